//! Sessions: created at login, found by the hash of their token, listed and revoked by their owner.

use hearth_core::Snowflake;

use crate::backend::{Store, on_reader, on_writer};
use crate::records::{session_columns, user_columns};
use crate::{NewSession, SessionRecord, StoreError, UserRecord};

/// Deletes a user's sessions except the one with id `$2` (pass -1, which no snowflake is, to keep none).
pub(crate) const REVOKE_SESSIONS_EXCEPT: &str =
    "DELETE FROM sessions WHERE user_id = $1 AND id <> $2";
/// Binds to [`REVOKE_SESSIONS_EXCEPT`]'s `$2` when no session is kept.
pub(crate) const KEEP_NO_SESSION: i64 = -1;

impl Store {
    pub async fn create_session(&self, new: &NewSession) -> Result<SessionRecord, StoreError> {
        on_writer!(self, |db| {
            sqlx::query(
                "INSERT INTO sessions (id, user_id, token_hash, created_at, last_used_at, ip, client) \
                 VALUES ($1, $2, $3, $4, $4, $5, $6)",
            )
            .bind(new.id.to_db())
            .bind(new.user_id.to_db())
            .bind(&new.token_hash)
            .bind(new.now_ms)
            .bind(new.ip.as_deref())
            .bind(new.client.as_deref())
            .execute(db)
            .await?;
        });
        Ok(SessionRecord {
            id: new.id,
            user_id: new.user_id,
            created_at: new.now_ms,
            last_used_at: new.now_ms,
            ip: new.ip.clone(),
            client: new.client.clone(),
        })
    }

    /// The live session with this token hash and its user: `None` when the token is unknown, the
    /// session was revoked, it has been idle since before `idle_cutoff_ms`, or the user is disabled.
    pub async fn authenticate(
        &self,
        token_hash: &str,
        idle_cutoff_ms: i64,
    ) -> Result<Option<(SessionRecord, UserRecord)>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            session_columns!(),
            ", ",
            user_columns!("u."),
            " FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.last_used_at > $2 AND NOT u.disabled"
        );
        on_reader!(self, |db| {
            let row = sqlx::query(SQL)
                .bind(token_hash)
                .bind(idle_cutoff_ms)
                .fetch_optional(db)
                .await?;
            Ok(row
                .map(|row| {
                    Ok::<_, sqlx::Error>((
                        SessionRecord::from_row(&row)?,
                        UserRecord::from_row(&row)?,
                    ))
                })
                .transpose()?)
        })
    }

    /// Of `ids`, the sessions that still authenticate (not revoked, used after `idle_cutoff_ms`, the
    /// account not disabled), each marked as used at `now_ms` in the same statement: a connected
    /// gateway session is a session in use. One statement per batch of 500 ids.
    pub async fn keep_live_sessions(
        &self,
        ids: &[Snowflake],
        idle_cutoff_ms: i64,
        now_ms: i64,
    ) -> Result<std::collections::HashSet<Snowflake>, StoreError> {
        let mut live = std::collections::HashSet::with_capacity(ids.len());
        for batch in ids.chunks(500) {
            let sql = format!(
                "UPDATE sessions SET last_used_at = $2 WHERE last_used_at > $1 \
                 AND user_id IN (SELECT id FROM users WHERE NOT disabled) \
                 AND id IN ({}) RETURNING id",
                crate::backend::id_params(3, batch.len())
            );
            on_writer!(self, |db| {
                let mut query = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(sql))
                    .bind(idle_cutoff_ms)
                    .bind(now_ms);
                for id in batch {
                    query = query.bind(id.to_db());
                }
                for (id,) in query.fetch_all(db).await? {
                    live.insert(Snowflake::from_db(id));
                }
                Ok::<_, StoreError>(())
            })?;
        }
        Ok(live)
    }

    /// Records use of a session. Callers throttle this so that reads do not turn into writes.
    pub async fn touch_session(&self, id: Snowflake, now_ms: i64) -> Result<(), StoreError> {
        on_writer!(self, |db| {
            sqlx::query(
                "UPDATE sessions SET last_used_at = $2 WHERE id = $1 AND last_used_at < $2",
            )
            .bind(id.to_db())
            .bind(now_ms)
            .execute(db)
            .await?;
        });
        Ok(())
    }

    pub async fn list_sessions(
        &self,
        user_id: Snowflake,
    ) -> Result<Vec<SessionRecord>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            session_columns!(),
            " FROM sessions s WHERE s.user_id = $1 ORDER BY s.id"
        );
        on_reader!(self, |db| {
            let rows = sqlx::query(SQL).bind(user_id.to_db()).fetch_all(db).await?;
            Ok(rows
                .iter()
                .map(SessionRecord::from_row)
                .collect::<Result<_, _>>()?)
        })
    }

    /// Revokes one of the user's sessions; `false` when the user has no session with that id.
    pub async fn delete_session(
        &self,
        user_id: Snowflake,
        id: Snowflake,
    ) -> Result<bool, StoreError> {
        on_writer!(self, |db| {
            let n = sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
                .bind(id.to_db())
                .bind(user_id.to_db())
                .execute(db)
                .await?
                .rows_affected();
            Ok(n == 1)
        })
    }

    /// Revokes every session of the user except `keep`; returns how many went.
    pub async fn delete_other_sessions(
        &self,
        user_id: Snowflake,
        keep: Snowflake,
    ) -> Result<u64, StoreError> {
        on_writer!(self, |db| {
            Ok(sqlx::query(REVOKE_SESSIONS_EXCEPT)
                .bind(user_id.to_db())
                .bind(keep.to_db())
                .execute(db)
                .await?
                .rows_affected())
        })
    }

    /// Deletes sessions idle since before the cutoff (they no longer authenticate anyway).
    pub async fn delete_idle_sessions(&self, idle_cutoff_ms: i64) -> Result<u64, StoreError> {
        on_writer!(self, |db| {
            Ok(sqlx::query("DELETE FROM sessions WHERE last_used_at <= $1")
                .bind(idle_cutoff_ms)
                .execute(db)
                .await?
                .rows_affected())
        })
    }

    pub async fn count_sessions(&self) -> Result<i64, StoreError> {
        on_reader!(self, |db| {
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
                .fetch_one(db)
                .await?;
            Ok(n)
        })
    }
}
