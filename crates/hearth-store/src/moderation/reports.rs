//! Reports: members flag a message or a user to a guild's moderators (and, escalated, to the
//! instance's admins). Moderators work a queue: status, assignee, notes; their actions land in the
//! audit log in the same transaction as the report's change.

use hearth_core::Snowflake;

use crate::StoreError;
use crate::backend::{BeginWrite, DbRow, Store, on_reader, on_writer};
use crate::moderation::{NewAuditEntry, insert_audit_in};

/// Most open reports one member may have in one guild (or instance-wide): bounds the queue a single
/// account can flood.
pub const MAX_OPEN_REPORTS_PER_REPORTER: i64 = 50;
/// Most notes on one report.
pub const MAX_NOTES_PER_REPORT: i64 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStatus {
    Open = 0,
    Resolved = 1,
    Dismissed = 2,
}

impl ReportStatus {
    pub fn from_db(value: i64) -> Self {
        match value {
            1 => Self::Resolved,
            2 => Self::Dismissed,
            _ => Self::Open,
        }
    }

    pub fn to_db(self) -> i64 {
        self as i64
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Resolved => "resolved",
            Self::Dismissed => "dismissed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "open" => Some(Self::Open),
            "resolved" => Some(Self::Resolved),
            "dismissed" => Some(Self::Dismissed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportRecord {
    pub id: Snowflake,
    /// `None` for a report made to the instance's admins only.
    pub guild_id: Option<Snowflake>,
    pub reporter_id: Snowflake,
    pub target_user_id: Snowflake,
    pub channel_id: Option<Snowflake>,
    pub message_id: Option<Snowflake>,
    /// The message's content when it was reported.
    pub message_content: Option<String>,
    pub category: String,
    pub reason: String,
    pub status: ReportStatus,
    pub assignee_id: Option<Snowflake>,
    pub escalated: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

const REPORT_COLUMNS: &str = "id, guild_id, reporter_id, target_user_id, channel_id, message_id, \
     message_content, category, reason, status, assignee_id, escalated, created_at, updated_at";

impl ReportRecord {
    fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: Snowflake::from_db(row.int("id")?),
            guild_id: row.opt_int("guild_id")?.map(Snowflake::from_db),
            reporter_id: Snowflake::from_db(row.int("reporter_id")?),
            target_user_id: Snowflake::from_db(row.int("target_user_id")?),
            channel_id: row.opt_int("channel_id")?.map(Snowflake::from_db),
            message_id: row.opt_int("message_id")?.map(Snowflake::from_db),
            message_content: row.opt_text("message_content")?,
            category: row.text("category")?,
            reason: row.text("reason")?,
            status: ReportStatus::from_db(row.int("status")?),
            assignee_id: row.opt_int("assignee_id")?.map(Snowflake::from_db),
            escalated: row.flag("escalated")?,
            created_at: row.int("created_at")?,
            updated_at: row.int("updated_at")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportNoteRecord {
    pub id: Snowflake,
    pub report_id: Snowflake,
    pub author_id: Option<Snowflake>,
    pub content: String,
    pub created_at: i64,
}

impl ReportNoteRecord {
    fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: Snowflake::from_db(row.int("id")?),
            report_id: Snowflake::from_db(row.int("report_id")?),
            author_id: row.opt_int("author_id")?.map(Snowflake::from_db),
            content: row.text("content")?,
            created_at: row.int("created_at")?,
        })
    }
}

/// Why filing a report failed.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("the reporter already has an open report of this")]
    AlreadyReported,
    #[error("too many open reports")]
    TooManyOpen,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ReportError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(StoreError::Database(e))
    }
}

/// A change to a report's triage fields; absent fields stay.
#[derive(Debug, Clone, Default)]
pub struct ReportUpdate {
    pub status: Option<ReportStatus>,
    pub assignee_id: Option<Option<Snowflake>>,
    pub escalated: Option<bool>,
}

/// The log a report change is recorded in: the guild's, or the instance's for admins' triage.
#[derive(Debug, Clone, Copy)]
pub enum ReportAudit<'a> {
    Guild(&'a NewAuditEntry),
    Instance(&'a crate::moderation::NewInstanceAuditEntry),
}

/// Which reports a queue page shows: a guild's, or the instance's (guild-less and escalated ones).
#[derive(Debug, Clone, Copy)]
pub enum ReportScope {
    Guild(Snowflake),
    Instance,
}

impl Store {
    /// Files a report. The reporter's user row is locked, so the open-report bound and the refusal
    /// of a second open report of the same message (or user) in the same queue hold under
    /// concurrency.
    pub async fn create_report(&self, report: &ReportRecord) -> Result<(), ReportError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            sqlx::query(crate::community::LOCK_USER)
                .bind(report.reporter_id.to_db())
                .execute(&mut *tx)
                .await?;
            let (open,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM reports WHERE reporter_id = $1 AND status = 0 \
                 AND (guild_id = $2 OR (guild_id IS NULL AND $2 IS NULL))",
            )
            .bind(report.reporter_id.to_db())
            .bind(report.guild_id.map(|g| g.to_db()))
            .fetch_one(&mut *tx)
            .await?;
            let (same,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM reports WHERE reporter_id = $1 AND status = 0 \
                 AND target_user_id = $3 \
                 AND (guild_id = $2 OR (guild_id IS NULL AND $2 IS NULL)) \
                 AND (message_id = $4 OR (message_id IS NULL AND $4 IS NULL))",
            )
            .bind(report.reporter_id.to_db())
            .bind(report.guild_id.map(|g| g.to_db()))
            .bind(report.target_user_id.to_db())
            .bind(report.message_id.map(|m| m.to_db()))
            .fetch_one(&mut *tx)
            .await?;
            if same > 0 {
                return Err(ReportError::AlreadyReported);
            }
            if open >= MAX_OPEN_REPORTS_PER_REPORTER {
                return Err(ReportError::TooManyOpen);
            }
            sqlx::query(
                "INSERT INTO reports (id, guild_id, reporter_id, target_user_id, channel_id, \
                 message_id, message_content, category, reason, status, assignee_id, escalated, \
                 created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, NULL, $10, $11, $11)",
            )
            .bind(report.id.to_db())
            .bind(report.guild_id.map(|g| g.to_db()))
            .bind(report.reporter_id.to_db())
            .bind(report.target_user_id.to_db())
            .bind(report.channel_id.map(|c| c.to_db()))
            .bind(report.message_id.map(|m| m.to_db()))
            .bind(report.message_content.as_deref())
            .bind(&report.category)
            .bind(&report.reason)
            .bind(report.escalated)
            .bind(report.created_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn report(&self, id: Snowflake) -> Result<Option<ReportRecord>, StoreError> {
        let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = $1");
        on_reader!(self, |db| {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(id.to_db())
                .fetch_optional(db)
                .await?;
            Ok(row.map(|r| ReportRecord::from_row(&r)).transpose()?)
        })
    }

    /// A page of a queue, newest first, optionally of one status.
    pub async fn reports(
        &self,
        scope: ReportScope,
        status: Option<ReportStatus>,
        before: Option<Snowflake>,
        limit: u32,
    ) -> Result<Vec<ReportRecord>, StoreError> {
        let filter = match scope {
            ReportScope::Guild(_) => "guild_id = $1",
            ReportScope::Instance => "(guild_id IS NULL OR escalated) AND $1 = 0",
        };
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM reports WHERE {filter} \
             AND ($2 IS NULL OR status = $2) AND id < $3 ORDER BY id DESC LIMIT $4"
        );
        let scope_id = match scope {
            ReportScope::Guild(g) => g.to_db(),
            ReportScope::Instance => 0,
        };
        on_reader!(self, |db| {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(scope_id)
                .bind(status.map(ReportStatus::to_db))
                .bind(before.map_or(i64::MAX, |b| b.to_db()))
                .bind(i64::from(limit))
                .fetch_all(db)
                .await?;
            Ok(rows
                .iter()
                .map(ReportRecord::from_row)
                .collect::<Result<_, _>>()?)
        })
    }

    /// Changes a report's triage fields with the audit entry of whoever triaged it (a guild
    /// moderator's or an instance admin's), in one transaction. Returns the report afterwards;
    /// `NotFound` (and no entry) when it does not exist.
    pub async fn update_report(
        &self,
        id: Snowflake,
        update: &ReportUpdate,
        now_ms: i64,
        audit: ReportAudit<'_>,
    ) -> Result<ReportRecord, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let n = sqlx::query(
                "UPDATE reports SET status = COALESCE($2, status), \
                 assignee_id = CASE WHEN $3 THEN $4 ELSE assignee_id END, \
                 escalated = COALESCE($5, escalated), updated_at = $6 WHERE id = $1",
            )
            .bind(id.to_db())
            .bind(update.status.map(ReportStatus::to_db))
            .bind(update.assignee_id.is_some())
            .bind(update.assignee_id.flatten().map(|a| a.to_db()))
            .bind(update.escalated)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            match audit {
                ReportAudit::Guild(entry) => insert_audit_in!(tx, entry),
                ReportAudit::Instance(entry) => {
                    crate::moderation::insert_instance_audit_in!(tx, entry)
                }
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.report(id).await?.ok_or(StoreError::NotFound)
    }

    /// Adds a note to a report (bounded per report, under the report's row lock).
    pub async fn add_report_note(&self, note: &ReportNoteRecord) -> Result<(), StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let found = sqlx::query("UPDATE reports SET updated_at = $2 WHERE id = $1")
                .bind(note.report_id.to_db())
                .bind(note.created_at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if found == 0 {
                return Err(StoreError::NotFound);
            }
            let (count,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM report_notes WHERE report_id = $1")
                    .bind(note.report_id.to_db())
                    .fetch_one(&mut *tx)
                    .await?;
            if count >= MAX_NOTES_PER_REPORT {
                return Err(StoreError::LimitReached("notes per report"));
            }
            sqlx::query(
                "INSERT INTO report_notes (id, report_id, author_id, content, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(note.id.to_db())
            .bind(note.report_id.to_db())
            .bind(note.author_id.map(|a| a.to_db()))
            .bind(&note.content)
            .bind(note.created_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// A report's notes, oldest first.
    pub async fn report_notes(
        &self,
        report_id: Snowflake,
    ) -> Result<Vec<ReportNoteRecord>, StoreError> {
        on_reader!(self, |db| {
            let rows = sqlx::query(
                "SELECT id, report_id, author_id, content, created_at FROM report_notes \
                 WHERE report_id = $1 ORDER BY id",
            )
            .bind(report_id.to_db())
            .fetch_all(db)
            .await?;
            Ok(rows
                .iter()
                .map(ReportNoteRecord::from_row)
                .collect::<Result<_, _>>()?)
        })
    }
}
