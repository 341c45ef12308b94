//! Sending a message: nonce dedupe, slow mode, the reply check, mentions and the channel's
//! `last_message_id`, all in one transaction under the channel's row lock.

use hearth_core::{MessageKind, Snowflake};

use super::records::NewMessage;
use crate::backend::{BeginWrite, Store, on_writer};
use crate::{MessageRecord, StoreError};

/// Why a send was refused.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The author sent a message less than the channel's slow-mode interval ago.
    #[error("slow mode: retry in {retry_after_ms} ms")]
    SlowMode { retry_after_ms: i64 },
    /// The message replied to is not in this channel (and the send asked to fail in that case).
    #[error("the message replied to is not in this channel")]
    UnknownReference,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SendError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(StoreError::Database(e))
    }
}

/// A sent message, or the earlier one a repeated nonce stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub message: MessageRecord,
    /// False when the nonce matched an earlier send: nothing was written.
    pub is_new: bool,
}

/// Takes the channel's row lock (the no-op update holds it until the transaction ends on PostgreSQL;
/// SQLite serialises writers anyway) and reads the slow-mode interval under it.
const LOCK_CHANNEL_FOR_SEND: &str = "UPDATE channels SET updated_at = updated_at \
     WHERE id = $1 AND guild_id = $2 RETURNING rate_limit_per_user";
const EARLIER_NONCE: &str = "SELECT message_id FROM message_nonces \
     WHERE channel_id = $1 AND author_id = $2 AND nonce = $3 AND created_at > $4";
const AUTHORS_LAST_MESSAGE: &str = "SELECT created_at FROM messages \
     WHERE channel_id = $1 AND author_id = $2 ORDER BY id DESC LIMIT 1";
const INSERT_MESSAGE: &str = "INSERT INTO messages (id, channel_id, guild_id, author_id, content, kind, \
     reference_id, mention_everyone, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
/// Keeps a user mention only when the user is a member of the message's guild.
pub(super) const INSERT_USER_MENTION: &str = "INSERT INTO message_mentions (message_id, user_id) \
     SELECT $1, user_id FROM members WHERE guild_id = $2 AND user_id = $3 ON CONFLICT DO NOTHING";
/// Keeps a role mention only when the role belongs to the message's guild.
pub(super) const INSERT_ROLE_MENTION: &str = "INSERT INTO message_role_mentions (message_id, role_id) \
     SELECT $1, id FROM roles WHERE guild_id = $2 AND id = $3 ON CONFLICT DO NOTHING";
/// Attaches an upload to the message being sent: only the author's own, unattached upload for this
/// channel whose bytes are stored (state 0 or 1).
const ATTACH_UPLOAD: &str = "UPDATE attachments SET message_id = $1, position = $2 \
     WHERE id = $3 AND uploader_id = $4 AND channel_id = $5 AND message_id IS NULL AND state IN (0, 1)";
/// A nonce older than the window may still be stored (upkeep sweeps it later); the new send takes it over.
const INSERT_NONCE: &str = "INSERT INTO message_nonces (channel_id, author_id, nonce, message_id, created_at) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel_id, author_id, nonce) \
     DO UPDATE SET message_id = excluded.message_id, created_at = excluded.created_at";

impl Store {
    /// Sends a message in one transaction under the channel's row lock: a nonce repeated within the
    /// window answers the earlier message and writes nothing; slow mode is checked against the author's
    /// last message; a reply must point at a message of the same channel; mentions are kept for members
    /// and the guild's roles; the channel's `last_message_id` moves.
    ///
    /// The id comes from `next_id`, called under the lock, so ids in a channel increase in commit
    /// order: a reader paging with `after` never misses a message that commits later with a smaller id.
    pub async fn create_message(
        &self,
        new: &NewMessage,
        next_id: &(dyn Fn() -> Snowflake + Sync),
    ) -> Result<Sent, SendError> {
        let (id, is_new) = on_writer!(self, |db| 'send: {
            let mut tx = db.begin_write().await?;
            let Some((slow_mode_secs,)): Option<(i64,)> = sqlx::query_as(LOCK_CHANNEL_FOR_SEND)
                .bind(new.channel_id.to_db())
                .bind(new.guild_id.to_db())
                .fetch_optional(&mut *tx)
                .await?
            else {
                return Err(StoreError::NotFound.into());
            };
            if let Some(nonce) = &new.nonce {
                let earlier: Option<(i64,)> = sqlx::query_as(EARLIER_NONCE)
                    .bind(new.channel_id.to_db())
                    .bind(new.author_id.to_db())
                    .bind(nonce)
                    .bind(new.now_ms - new.nonce_window_ms)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some((earlier,)) = earlier {
                    // Nothing written: dropping the transaction rolls it back.
                    break 'send (Snowflake::from_db(earlier), false);
                }
            }
            if !new.slow_mode_exempt && slow_mode_secs > 0 {
                let last: Option<(i64,)> = sqlx::query_as(AUTHORS_LAST_MESSAGE)
                    .bind(new.channel_id.to_db())
                    .bind(new.author_id.to_db())
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some((last_at,)) = last {
                    let retry_after_ms = last_at + slow_mode_secs * 1000 - new.now_ms;
                    if retry_after_ms > 0 {
                        return Err(SendError::SlowMode { retry_after_ms });
                    }
                }
            }
            let reference = match new.reference {
                Some(reference) => {
                    let found: Option<(i64,)> =
                        sqlx::query_as("SELECT id FROM messages WHERE id = $1 AND channel_id = $2")
                            .bind(reference.message_id.to_db())
                            .bind(new.channel_id.to_db())
                            .fetch_optional(&mut *tx)
                            .await?;
                    match found {
                        Some(_) => Some(reference.message_id),
                        None if reference.fail_if_missing => {
                            return Err(SendError::UnknownReference);
                        }
                        None => None,
                    }
                }
                None => None,
            };
            let kind = match reference {
                Some(_) => MessageKind::Reply,
                None => MessageKind::Default,
            };
            let id = next_id();
            sqlx::query(INSERT_MESSAGE)
                .bind(id.to_db())
                .bind(new.channel_id.to_db())
                .bind(new.guild_id.to_db())
                .bind(new.author_id.to_db())
                .bind(&new.content)
                .bind(i64::from(kind.as_wire()))
                .bind(reference.map(Snowflake::to_db))
                .bind(new.mention_everyone)
                .bind(new.now_ms)
                .execute(&mut *tx)
                .await?;
            for user in &new.mentions {
                sqlx::query(INSERT_USER_MENTION)
                    .bind(id.to_db())
                    .bind(new.guild_id.to_db())
                    .bind(user.to_db())
                    .execute(&mut *tx)
                    .await?;
            }
            for role in &new.mention_roles {
                sqlx::query(INSERT_ROLE_MENTION)
                    .bind(id.to_db())
                    .bind(new.guild_id.to_db())
                    .bind(role.to_db())
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some(nonce) = &new.nonce {
                sqlx::query(INSERT_NONCE)
                    .bind(new.channel_id.to_db())
                    .bind(new.author_id.to_db())
                    .bind(nonce)
                    .bind(id.to_db())
                    .bind(new.now_ms)
                    .execute(&mut *tx)
                    .await?;
            }
            for (position, attachment) in new.attachments.iter().enumerate() {
                let attached = sqlx::query(ATTACH_UPLOAD)
                    .bind(id.to_db())
                    .bind(position as i64)
                    .bind(attachment.to_db())
                    .bind(new.author_id.to_db())
                    .bind(new.channel_id.to_db())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if attached != 1 {
                    return Err(StoreError::Missing("attachments").into());
                }
            }
            sqlx::query("UPDATE channels SET last_message_id = $2 WHERE id = $1")
                .bind(new.channel_id.to_db())
                .bind(id.to_db())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            (id, true)
        });
        let message = self
            .message(new.channel_id, id, new.author_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(Sent { message, is_new })
    }

    /// Forgets the nonces of sends older than `cutoff` (unix ms), past the dedupe window. Returns how
    /// many went.
    pub async fn delete_old_nonces(&self, cutoff: i64) -> Result<u64, StoreError> {
        on_writer!(self, |db| {
            Ok(
                sqlx::query("DELETE FROM message_nonces WHERE created_at < $1")
                    .bind(cutoff)
                    .execute(db)
                    .await?
                    .rows_affected(),
            )
        })
    }
}
