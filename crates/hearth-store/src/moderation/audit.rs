//! The guild audit log. Every store method that makes an administrative change takes a
//! [`NewAuditEntry`] and writes it with [`insert_audit_in!`] in the same transaction, so a change that
//! fails leaves no entry and a change that commits always has one.

use hearth_core::{AuditAction, Snowflake};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::StoreError;
use crate::backend::{DbRow, Store, on_reader, on_writer};

/// One field's value before and after (Discord's audit log change object). A field that appeared has
/// no `old_value`; one that went has no `new_value`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditChange {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_value: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_value: Option<Value>,
}

impl AuditChange {
    /// `key` going from `old` to `new`, or `None` when they are equal. `None` (or JSON null) on
    /// either side means the field was absent on that side.
    pub fn between(key: &str, old: impl Serialize, new: impl Serialize) -> Option<Self> {
        let old = serde_json::to_value(old).ok().filter(|v| !v.is_null());
        let new = serde_json::to_value(new).ok().filter(|v| !v.is_null());
        (old != new).then(|| Self {
            key: key.to_owned(),
            old_value: old,
            new_value: new,
        })
    }
}

/// An entry to write. Built by the server, which knows the actor, the reason and the values before
/// and after; the store only persists it next to the change.
#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub id: Snowflake,
    pub guild_id: Snowflake,
    /// `None` when the system acted (AutoMod, a passed vote).
    pub user_id: Option<Snowflake>,
    pub action: AuditAction,
    pub target_id: Option<Snowflake>,
    pub reason: Option<String>,
    pub changes: Vec<AuditChange>,
    /// Action-specific details (`channel_id`, `count`, `delete_message_seconds`, …).
    pub options: serde_json::Map<String, Value>,
}

impl NewAuditEntry {
    pub fn new(
        id: Snowflake,
        guild_id: Snowflake,
        user_id: Option<Snowflake>,
        action: AuditAction,
    ) -> Self {
        Self {
            id,
            guild_id,
            user_id,
            action,
            target_id: None,
            reason: None,
            changes: Vec::new(),
            options: serde_json::Map::new(),
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
        self.changes.extend(AuditChange::between(key, old, new));
        self
    }

    /// Adds an action-specific detail.
    pub fn option(mut self, key: &str, value: impl Serialize) -> Self {
        if let Ok(value) = serde_json::to_value(value) {
            self.options.insert(key.to_owned(), value);
        }
        self
    }

    pub(crate) fn changes_json(&self) -> String {
        serde_json::to_string(&self.changes).unwrap_or_else(|_| "[]".to_owned())
    }

    pub(crate) fn options_json(&self) -> Option<String> {
        (!self.options.is_empty())
            .then(|| serde_json::to_string(&self.options).ok())
            .flatten()
    }
}

pub(crate) const INSERT_AUDIT: &str = "INSERT INTO audit_log \
     (id, guild_id, user_id, action_type, target_id, reason, changes, options) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// Writes `$entry` (a `&NewAuditEntry`) inside the caller's transaction `$tx`. A macro because it runs
/// on either driver's transaction.
macro_rules! insert_audit_in {
    ($tx:ident, $entry:expr) => {{
        let entry: &$crate::moderation::NewAuditEntry = $entry;
        sqlx::query($crate::moderation::audit::INSERT_AUDIT)
            .bind(entry.id.to_db())
            .bind(entry.guild_id.to_db())
            .bind(entry.user_id.map(|id| id.to_db()))
            .bind(i64::from(entry.action.code()))
            .bind(entry.target_id.map(|id| id.to_db()))
            .bind(entry.reason.as_deref())
            .bind(entry.changes_json())
            .bind(entry.options_json())
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(crate) use insert_audit_in;

/// A stored entry.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    pub id: Snowflake,
    pub guild_id: Snowflake,
    pub user_id: Option<Snowflake>,
    /// `None` for a code this binary does not know (written by a newer version).
    pub action: Option<AuditAction>,
    pub action_code: i64,
    pub target_id: Option<Snowflake>,
    pub reason: Option<String>,
    pub changes: Vec<AuditChange>,
    pub options: serde_json::Map<String, Value>,
}

impl AuditRecord {
    fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        let code = row.int("action_type")?;
        let changes = serde_json::from_str(&row.text("changes")?).unwrap_or_default();
        let options = row
            .opt_text("options")?
            .and_then(|o| serde_json::from_str(&o).ok())
            .unwrap_or_default();
        Ok(Self {
            id: Snowflake::from_db(row.int("id")?),
            guild_id: Snowflake::from_db(row.int("guild_id")?),
            user_id: row.opt_int("user_id")?.map(Snowflake::from_db),
            action: AuditAction::from_code(code),
            action_code: code,
            target_id: row.opt_int("target_id")?.map(Snowflake::from_db),
            reason: row.opt_text("reason")?,
            changes,
            options,
        })
    }
}

/// A page of a guild's log, newest first: entries older than `before` (all when `None`), optionally
/// only one actor's or one kind of action.
#[derive(Debug, Clone)]
pub struct AuditQuery {
    pub guild_id: Snowflake,
    pub user_id: Option<Snowflake>,
    pub action: Option<AuditAction>,
    pub before: Option<Snowflake>,
    pub limit: u32,
}

impl Store {
    /// Writes an entry on its own, for actions that change nothing else in the database (AutoMod
    /// blocking a message that was never stored).
    pub async fn record_audit(&self, entry: &NewAuditEntry) -> Result<(), StoreError> {
        on_writer!(self, |db| {
            let mut tx = crate::backend::BeginWrite::begin_write(db).await?;
            insert_audit_in!(tx, entry);
            tx.commit().await?;
        });
        Ok(())
    }

    /// One page of the log, newest first. Each filter is a `$N IS NULL OR …` test so that the query is
    /// one compile-time string; the indexes on (guild, actor, id) and (guild, action, id) serve them.
    pub async fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>, StoreError> {
        const SQL: &str = "SELECT id, guild_id, user_id, action_type, target_id, reason, changes, \
             options FROM audit_log WHERE guild_id = $1 \
             AND ($2 IS NULL OR user_id = $2) AND ($3 IS NULL OR action_type = $3) \
             AND id < $4 ORDER BY id DESC LIMIT $5";
        let before = query.before.map(|b| b.to_db()).unwrap_or(i64::MAX);
        on_reader!(self, |db| {
            let rows = sqlx::query(SQL)
                .bind(query.guild_id.to_db())
                .bind(query.user_id.map(|u| u.to_db()))
                .bind(query.action.map(|a| i64::from(a.code())))
                .bind(before)
                .bind(i64::from(query.limit))
                .fetch_all(db)
                .await?;
            Ok(rows
                .iter()
                .map(AuditRecord::from_row)
                .collect::<Result<_, _>>()?)
        })
    }
}
