//! The instance audit log: what instance administrators (and the `hearth admin` command line) did to
//! accounts, settings, invites, announcements and escalated reports. As with the guild log, every
//! store method that makes such a change takes a [`NewInstanceAuditEntry`] and writes it with
//! [`insert_instance_audit_in!`] in the same transaction, so a refused or failed change leaves no entry
//! and a committed one always has one.

use hearth_core::Snowflake;
use hearth_core::instance::InstanceAuditAction;
use serde::Serialize;

use super::AuditChange;
use crate::StoreError;
use crate::backend::{DbRow, Store, on_reader};

/// An entry to write, built by the server (which knows the actor and the reason); the store persists
/// it beside the change.
#[derive(Debug, Clone)]
pub struct NewInstanceAuditEntry {
    pub id: Snowflake,
    /// `None` when the command line acted: it runs with the database's own authority, not an account's.
    pub user_id: Option<Snowflake>,
    pub action: InstanceAuditAction,
    pub target_id: Option<Snowflake>,
    pub reason: Option<String>,
    pub changes: Vec<AuditChange>,
}

impl NewInstanceAuditEntry {
    pub fn new(id: Snowflake, user_id: Option<Snowflake>, action: InstanceAuditAction) -> Self {
        Self {
            id,
            user_id,
            action,
            target_id: None,
            reason: None,
            changes: Vec::new(),
        }
    }

    pub fn target(mut self, target_id: Snowflake) -> Self {
        self.target_id = Some(target_id);
        self
    }

    pub fn reason(mut self, reason: Option<String>) -> Self {
        self.reason = reason;
        self
    }

    /// Records `key` going from `old` to `new`; nothing when they are equal. `None` (or JSON null) on
    /// either side means the field was absent on that side.
    pub fn change(mut self, key: &str, old: impl Serialize, new: impl Serialize) -> Self {
        self.push_change(key, old, new);
        self
    }

    pub(crate) fn push_change(&mut self, key: &str, old: impl Serialize, new: impl Serialize) {
        self.changes.extend(AuditChange::between(key, old, new));
    }

    pub(crate) fn changes_json(&self) -> String {
        serde_json::to_string(&self.changes).unwrap_or_else(|_| "[]".to_owned())
    }
}

pub(crate) const INSERT_INSTANCE_AUDIT: &str = "INSERT INTO instance_audit_log \
     (id, user_id, action, target_id, reason, changes) VALUES ($1, $2, $3, $4, $5, $6)";

/// Writes `$entry` (a `&NewInstanceAuditEntry`) inside the caller's transaction `$tx`. A macro because
/// it runs on either driver's transaction.
macro_rules! insert_instance_audit_in {
    ($tx:ident, $entry:expr) => {{
        let entry: &$crate::moderation::NewInstanceAuditEntry = $entry;
        sqlx::query($crate::moderation::instance_audit::INSERT_INSTANCE_AUDIT)
            .bind(entry.id.to_db())
            .bind(entry.user_id.map(|id| id.to_db()))
            .bind(entry.action.as_str())
            .bind(entry.target_id.map(|id| id.to_db()))
            .bind(entry.reason.as_deref())
            .bind(entry.changes_json())
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(crate) use insert_instance_audit_in;

/// A stored entry. Its time is its id's.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceAuditRecord {
    pub id: Snowflake,
    pub user_id: Option<Snowflake>,
    /// As stored; a newer version may write names this one does not know.
    pub action: String,
    pub target_id: Option<Snowflake>,
    pub reason: Option<String>,
    pub changes: Vec<AuditChange>,
}

impl InstanceAuditRecord {
    fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: Snowflake::from_db(row.int("id")?),
            user_id: row.opt_int("user_id")?.map(Snowflake::from_db),
            action: row.text("action")?,
            target_id: row.opt_int("target_id")?.map(Snowflake::from_db),
            reason: row.opt_text("reason")?,
            changes: serde_json::from_str(&row.text("changes")?).unwrap_or_default(),
        })
    }
}

/// A page of the log, newest first: entries older than `before` (all when `None`), optionally only
/// one actor's or one kind of action.
#[derive(Debug, Clone)]
pub struct InstanceAuditQuery {
    pub user_id: Option<Snowflake>,
    pub action: Option<InstanceAuditAction>,
    pub before: Option<Snowflake>,
    pub limit: u32,
}

impl Store {
    /// One page of the instance log, newest first. The filters are `$N IS NULL OR …` tests, so the
    /// query is one compile-time string; the (actor, id) and (action, id) indexes serve them.
    pub async fn instance_audit_log(
        &self,
        query: &InstanceAuditQuery,
    ) -> Result<Vec<InstanceAuditRecord>, StoreError> {
        const SQL: &str = "SELECT id, user_id, action, target_id, reason, changes \
             FROM instance_audit_log WHERE ($1 IS NULL OR user_id = $1) \
             AND ($2 IS NULL OR action = $2) AND id < $3 ORDER BY id DESC LIMIT $4";
        let before = query.before.map_or(i64::MAX, Snowflake::to_db);
        on_reader!(self, |db| {
            let rows = sqlx::query(SQL)
                .bind(query.user_id.map(Snowflake::to_db))
                .bind(query.action.map(InstanceAuditAction::as_str))
                .bind(before)
                .bind(i64::from(query.limit))
                .fetch_all(db)
                .await?;
            Ok(rows
                .iter()
                .map(InstanceAuditRecord::from_row)
                .collect::<Result<_, _>>()?)
        })
    }
}
