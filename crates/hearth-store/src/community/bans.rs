//! Guild bans: a banned user is removed and cannot rejoin until unbanned.

use hearth_core::Snowflake;

use super::members::remove_member_in;
use super::records::{BanOutcome, BanRecord};
use crate::backend::{BeginWrite, DbRow, Store, on_reader, on_writer};
use crate::moderation::{NewAuditEntry, insert_audit_in};
use crate::records::user_columns;
use crate::{StoreError, UserRecord};

impl BanRecord {
    fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            guild_id: Snowflake::from_db(row.int("guild_id")?),
            user: UserRecord::from_row(row)?,
            reason: row.opt_text("reason")?,
            banned_by: row.opt_int("banned_by")?.map(Snowflake::from_db),
            created_at: row.int("banned_at")?,
        })
    }
}

impl Store {
    /// Bans a user (member or not), removes their membership and, when `delete_messages_from` is
    /// given, deletes their messages in the guild with ids from it on (the deletion window), all in one
    /// transaction with the audit entry. Banning again replaces the reason.
    #[allow(clippy::too_many_arguments)]
    pub async fn ban_member(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
        reason: Option<&str>,
        banned_by: Snowflake,
        now_ms: i64,
        delete_messages_from: Option<Snowflake>,
        audit: &NewAuditEntry,
    ) -> Result<BanOutcome, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            sqlx::query(
                "INSERT INTO guild_bans (guild_id, user_id, reason, banned_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (guild_id, user_id) DO UPDATE SET \
                 reason = excluded.reason, banned_by = excluded.banned_by",
            )
            .bind(guild_id.to_db())
            .bind(user_id.to_db())
            .bind(reason)
            .bind(banned_by.to_db())
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
            let was_member = remove_member_in!(tx, guild_id, user_id);
            let mut deleted_messages: Vec<(Snowflake, Vec<Snowflake>)> = Vec::new();
            if let Some(from) = delete_messages_from {
                // Reactions, mentions and nonces go with each message (ON DELETE CASCADE).
                let rows: Vec<(i64, i64)> = sqlx::query_as(
                    "DELETE FROM messages WHERE guild_id = $1 AND author_id = $2 AND id >= $3 \
                     RETURNING channel_id, id",
                )
                .bind(guild_id.to_db())
                .bind(user_id.to_db())
                .bind(from.to_db())
                .fetch_all(&mut *tx)
                .await?;
                let mut rows: Vec<(Snowflake, Snowflake)> = rows
                    .into_iter()
                    .map(|(c, m)| (Snowflake::from_db(c), Snowflake::from_db(m)))
                    .collect();
                rows.sort_unstable();
                for (channel, message) in rows {
                    match deleted_messages.last_mut() {
                        Some((c, ids)) if *c == channel => ids.push(message),
                        _ => deleted_messages.push((channel, vec![message])),
                    }
                }
            }
            insert_audit_in!(tx, audit);
            tx.commit().await?;
            Ok(BanOutcome {
                was_member,
                deleted_messages,
            })
        })
    }

    /// Lifts a ban, with the audit entry; `false` (and no entry) when there was none.
    pub async fn unban_member(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
        audit: &NewAuditEntry,
    ) -> Result<bool, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let n = sqlx::query("DELETE FROM guild_bans WHERE guild_id = $1 AND user_id = $2")
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

    /// Bans in user-id order after `after`, at most `limit`.
    pub async fn bans(
        &self,
        guild_id: Snowflake,
        after: Snowflake,
        limit: u32,
    ) -> Result<Vec<BanRecord>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            "b.guild_id, b.reason, b.banned_by, b.created_at AS banned_at, ",
            user_columns!("u."),
            " FROM guild_bans b JOIN users u ON u.id = b.user_id \
             WHERE b.guild_id = $1 AND b.user_id > $2 ORDER BY b.user_id LIMIT $3"
        );
        on_reader!(self, |db| {
            let rows = sqlx::query(SQL)
                .bind(guild_id.to_db())
                .bind(after.to_db())
                .bind(i64::from(limit))
                .fetch_all(db)
                .await?;
            Ok(rows
                .iter()
                .map(BanRecord::from_row)
                .collect::<Result<_, _>>()?)
        })
    }

    pub async fn ban(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
    ) -> Result<Option<BanRecord>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            "b.guild_id, b.reason, b.banned_by, b.created_at AS banned_at, ",
            user_columns!("u."),
            " FROM guild_bans b JOIN users u ON u.id = b.user_id WHERE b.guild_id = $1 AND b.user_id = $2"
        );
        on_reader!(self, |db| {
            let row = sqlx::query(SQL)
                .bind(guild_id.to_db())
                .bind(user_id.to_db())
                .fetch_optional(db)
                .await?;
            Ok(row.map(|r| BanRecord::from_row(&r)).transpose()?)
        })
    }
}
