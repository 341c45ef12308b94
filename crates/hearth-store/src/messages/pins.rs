//! Pins: pinning within the per-channel limit, unpinning, and the pinned list.

use hearth_core::Snowflake;

use super::records::{MessageRecord, PinChange, select_messages};
use crate::StoreError;
use crate::backend::{BeginWrite, Store, on_reader, on_writer};
use crate::moderation::{NewAuditEntry, insert_audit_in};

/// Serialises pin changes in a channel, so the pinned count cannot be read stale.
const LOCK_CHANNEL: &str = "UPDATE channels SET updated_at = updated_at WHERE id = $1";
const LAST_PIN: &str =
    "SELECT MAX(pinned_at) FROM messages WHERE channel_id = $1 AND pinned_at IS NOT NULL";

impl Store {
    /// Pins a message of the channel, refusing the pin beyond `max_pins`: `NotFound` when the message
    /// is not in the channel, `LimitReached` when the channel is full. Pinning a pinned message changes
    /// nothing. `audit` (MESSAGE_PIN) is written only when the pin changed something.
    pub async fn pin_message(
        &self,
        channel_id: Snowflake,
        message_id: Snowflake,
        max_pins: u32,
        now_ms: i64,
        audit: &NewAuditEntry,
    ) -> Result<PinChange, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            sqlx::query(LOCK_CHANNEL)
                .bind(channel_id.to_db())
                .execute(&mut *tx)
                .await?;
            let Some((pinned_at,)): Option<(Option<i64>,)> =
                sqlx::query_as("SELECT pinned_at FROM messages WHERE id = $1 AND channel_id = $2")
                    .bind(message_id.to_db())
                    .bind(channel_id.to_db())
                    .fetch_optional(&mut *tx)
                    .await?
            else {
                return Err(StoreError::NotFound);
            };
            let changed = pinned_at.is_none();
            if changed {
                let (count, last): (i64, Option<i64>) = sqlx::query_as(
                    "SELECT COUNT(*), MAX(pinned_at) FROM messages \
                     WHERE channel_id = $1 AND pinned_at IS NOT NULL",
                )
                .bind(channel_id.to_db())
                .fetch_one(&mut *tx)
                .await?;
                if count >= i64::from(max_pins) {
                    return Err(StoreError::LimitReached("pins per channel"));
                }
                // Pin times increase strictly within a channel, so the pinned list keeps the order of
                // pinning even for pins within one millisecond.
                let at = last.map_or(now_ms, |last| now_ms.max(last + 1));
                sqlx::query("UPDATE messages SET pinned_at = $2 WHERE id = $1")
                    .bind(message_id.to_db())
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                insert_audit_in!(tx, audit);
            }
            let (last_pin_at,): (Option<i64>,) = sqlx::query_as(LAST_PIN)
                .bind(channel_id.to_db())
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(PinChange {
                changed,
                last_pin_at,
            })
        })
    }

    /// Unpins a message of the channel: `NotFound` when it is not in the channel; unpinning a message
    /// that is not pinned changes nothing. `audit` (MESSAGE_UNPIN) is written only when it was pinned.
    pub async fn unpin_message(
        &self,
        channel_id: Snowflake,
        message_id: Snowflake,
        audit: &NewAuditEntry,
    ) -> Result<PinChange, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let Some((pinned_at,)): Option<(Option<i64>,)> =
                sqlx::query_as("SELECT pinned_at FROM messages WHERE id = $1 AND channel_id = $2")
                    .bind(message_id.to_db())
                    .bind(channel_id.to_db())
                    .fetch_optional(&mut *tx)
                    .await?
            else {
                return Err(StoreError::NotFound);
            };
            let changed = pinned_at.is_some();
            if changed {
                sqlx::query("UPDATE messages SET pinned_at = NULL WHERE id = $1")
                    .bind(message_id.to_db())
                    .execute(&mut *tx)
                    .await?;
                insert_audit_in!(tx, audit);
            }
            let (last_pin_at,): (Option<i64>,) = sqlx::query_as(LAST_PIN)
                .bind(channel_id.to_db())
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(PinChange {
                changed,
                last_pin_at,
            })
        })
    }

    /// The channel's pinned messages, most recently pinned first.
    pub async fn pinned_messages(
        &self,
        channel_id: Snowflake,
        viewer: Snowflake,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        const SQL: &str = concat!(
            select_messages!(),
            "WHERE m.channel_id = $1 AND m.pinned_at IS NOT NULL ORDER BY m.pinned_at DESC, m.id DESC"
        );
        let pinned = on_reader!(self, |db| {
            sqlx::query(SQL)
                .bind(channel_id.to_db())
                .fetch_all(db)
                .await?
                .iter()
                .map(MessageRecord::from_row)
                .collect::<Result<Vec<_>, _>>()?
        });
        self.complete(pinned, viewer).await
    }
}
