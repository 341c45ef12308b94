//! Moderation: the guild audit log (written inside the transaction of the change it records), warnings,
//! AutoMod rules, reports, voting moderation, and the instance's own log and announcements.

mod announcements;
pub(crate) mod audit;
mod automod;
pub(crate) mod instance_audit;
mod reports;
mod votes;
mod warnings;

pub use announcements::{AnnouncementRecord, NewAnnouncement};
pub(crate) use audit::insert_audit_in;
pub use audit::{AuditChange, AuditQuery, AuditRecord, NewAuditEntry};
pub use automod::{AutoModRuleRecord, NewAutoModAlert, NewAutoModRule};
pub(crate) use instance_audit::insert_instance_audit_in;
pub use instance_audit::{InstanceAuditQuery, InstanceAuditRecord, NewInstanceAuditEntry};
pub use reports::{
    MAX_NOTES_PER_REPORT, MAX_OPEN_REPORTS_PER_REPORTER, ReportAudit, ReportError,
    ReportNoteRecord, ReportRecord, ReportScope, ReportStatus, ReportUpdate,
};
pub use votes::{
    DescribeClose, Ineligibility, NewVote, SettledVote, TimeoutChange, VoteError, VoteFilter,
    VoteQuery, VoteRecord,
};
pub use warnings::{MAX_WARNINGS_PER_MEMBER, WarningRecord};
