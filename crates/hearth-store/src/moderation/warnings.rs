//! Warnings: a moderator's recorded caution to a member, kept with the guild and the user (leaving
//! and rejoining does not clear them) and shown to the member.

use hearth_core::Snowflake;

use crate::StoreError;
use crate::backend::{BeginWrite, DbRow, Store, on_reader, on_writer};
use crate::moderation::{NewAuditEntry, insert_audit_in};

/// Most warnings kept per member; a further warning is refused (`LimitReached("warnings")`) until a
/// moderator removes some.
pub const MAX_WARNINGS_PER_MEMBER: i64 = 1000;

#[derive(Debug, Clone, PartialEq)]
pub struct WarningRecord {
    pub id: Snowflake,
    pub guild_id: Snowflake,
    pub user_id: Snowflake,
    pub moderator_id: Option<Snowflake>,
    pub reason: String,
    pub created_at: i64,
}

impl WarningRecord {
    fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: Snowflake::from_db(row.int("id")?),
            guild_id: Snowflake::from_db(row.int("guild_id")?),
            user_id: Snowflake::from_db(row.int("user_id")?),
            moderator_id: row.opt_int("moderator_id")?.map(Snowflake::from_db),
            reason: row.text("reason")?,
            created_at: row.int("created_at")?,
        })
    }
}

impl Store {
    /// Records a warning with its audit entry. The member row is locked so that the count check and
    /// the insert are one step under concurrency; `NotFound` when the user is not a member.
    pub async fn add_warning(
        &self,
        warning: &WarningRecord,
        audit: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            // Locks the member's row (both dialects) and proves the membership in one statement.
            let member =
                sqlx::query("UPDATE members SET nick = nick WHERE guild_id = $1 AND user_id = $2")
                    .bind(warning.guild_id.to_db())
                    .bind(warning.user_id.to_db())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if member == 0 {
                return Err(StoreError::NotFound);
            }
            let (count,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM member_warnings WHERE guild_id = $1 AND user_id = $2",
            )
            .bind(warning.guild_id.to_db())
            .bind(warning.user_id.to_db())
            .fetch_one(&mut *tx)
            .await?;
            if count >= MAX_WARNINGS_PER_MEMBER {
                return Err(StoreError::LimitReached("warnings"));
            }
            sqlx::query(
                "INSERT INTO member_warnings (id, guild_id, user_id, moderator_id, reason, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(warning.id.to_db())
            .bind(warning.guild_id.to_db())
            .bind(warning.user_id.to_db())
            .bind(warning.moderator_id.map(|m| m.to_db()))
            .bind(&warning.reason)
            .bind(warning.created_at)
            .execute(&mut *tx)
            .await?;
            insert_audit_in!(tx, audit);
            tx.commit().await?;
            Ok(())
        })
    }

    /// A member's warnings, newest first, at most `limit` before `before` (all when `None`).
    pub async fn warnings(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
        before: Option<Snowflake>,
        limit: u32,
    ) -> Result<Vec<WarningRecord>, StoreError> {
        const SQL: &str = "SELECT id, guild_id, user_id, moderator_id, reason, created_at \
             FROM member_warnings WHERE guild_id = $1 AND user_id = $2 AND id < $3 \
             ORDER BY id DESC LIMIT $4";
        on_reader!(self, |db| {
            let rows = sqlx::query(SQL)
                .bind(guild_id.to_db())
                .bind(user_id.to_db())
                .bind(before.map_or(i64::MAX, |b| b.to_db()))
                .bind(i64::from(limit))
                .fetch_all(db)
                .await?;
            Ok(rows
                .iter()
                .map(WarningRecord::from_row)
                .collect::<Result<_, _>>()?)
        })
    }

    /// One warning of a member.
    pub async fn warning(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
        warning_id: Snowflake,
    ) -> Result<Option<WarningRecord>, StoreError> {
        on_reader!(self, |db| {
            let row = sqlx::query(
                "SELECT id, guild_id, user_id, moderator_id, reason, created_at \
                 FROM member_warnings WHERE id = $1 AND guild_id = $2 AND user_id = $3",
            )
            .bind(warning_id.to_db())
            .bind(guild_id.to_db())
            .bind(user_id.to_db())
            .fetch_optional(db)
            .await?;
            Ok(row.map(|r| WarningRecord::from_row(&r)).transpose()?)
        })
    }

    /// How many warnings a member has.
    pub async fn warning_count(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
    ) -> Result<i64, StoreError> {
        on_reader!(self, |db| {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM member_warnings WHERE guild_id = $1 AND user_id = $2",
            )
            .bind(guild_id.to_db())
            .bind(user_id.to_db())
            .fetch_one(db)
            .await?;
            Ok(n)
        })
    }

    /// Removes one warning with its audit entry; `false` (and no entry) when it does not exist for
    /// this member.
    pub async fn delete_warning(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
        warning_id: Snowflake,
        audit: &NewAuditEntry,
    ) -> Result<bool, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let n = sqlx::query(
                "DELETE FROM member_warnings WHERE id = $1 AND guild_id = $2 AND user_id = $3",
            )
            .bind(warning_id.to_db())
            .bind(guild_id.to_db())
            .bind(user_id.to_db())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                insert_audit_in!(tx, audit);
            }
            tx.commit().await?;
            Ok(n == 1)
        })
    }
}
