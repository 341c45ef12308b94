//! Moderation: the guild audit log (written inside the transaction of the change it records), warnings,
//! AutoMod rules, reports, voting moderation, and the instance's own log and announcements.

pub(crate) mod audit;

pub(crate) use audit::insert_audit_in;
pub use audit::{AuditChange, AuditQuery, AuditRecord, NewAuditEntry};
