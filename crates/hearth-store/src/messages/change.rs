//! Changing messages: editing the text (with its mentions), deleting one, and deleting many at once.

use hearth_core::Snowflake;

use super::create::{INSERT_ROLE_MENTION, INSERT_USER_MENTION};
use super::records::{MessageEdit, MessageRecord};
use crate::StoreError;
use crate::backend::{BeginWrite, Store, id_params, on_writer};
use crate::moderation::{NewAuditEntry, insert_audit_in};

impl Store {
    /// Replaces a message's text and mentions and sets its edit time, in one transaction. Only the
    /// author's own message matches; `NotFound` otherwise (or when it is gone).
    pub async fn edit_message(
        &self,
        channel_id: Snowflake,
        id: Snowflake,
        author_id: Snowflake,
        edit: &MessageEdit,
    ) -> Result<MessageRecord, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let Some((guild_id,)): Option<(i64,)> = sqlx::query_as(
                "UPDATE messages SET content = $4, mention_everyone = $5, edited_at = $6 \
                 WHERE id = $1 AND channel_id = $2 AND author_id = $3 RETURNING guild_id",
            )
            .bind(id.to_db())
            .bind(channel_id.to_db())
            .bind(author_id.to_db())
            .bind(&edit.content)
            .bind(edit.mention_everyone)
            .bind(edit.now_ms)
            .fetch_optional(&mut *tx)
            .await?
            else {
                return Err(StoreError::NotFound);
            };
            sqlx::query("DELETE FROM message_mentions WHERE message_id = $1")
                .bind(id.to_db())
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM message_role_mentions WHERE message_id = $1")
                .bind(id.to_db())
                .execute(&mut *tx)
                .await?;
            for user in &edit.mentions {
                sqlx::query(INSERT_USER_MENTION)
                    .bind(id.to_db())
                    .bind(guild_id)
                    .bind(user.to_db())
                    .execute(&mut *tx)
                    .await?;
            }
            for role in &edit.mention_roles {
                sqlx::query(INSERT_ROLE_MENTION)
                    .bind(id.to_db())
                    .bind(guild_id)
                    .bind(role.to_db())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.message(channel_id, id, author_id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Deletes a message with its mentions, reactions and nonce; `false` when it was not in the channel.
    /// A moderator's deletion carries its audit entry (MESSAGE_DELETE), written only if the message was
    /// deleted; an author deleting their own message is not audited (`None`).
    pub async fn delete_message(
        &self,
        channel_id: Snowflake,
        id: Snowflake,
        audit: Option<&NewAuditEntry>,
    ) -> Result<bool, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let n = sqlx::query("DELETE FROM messages WHERE id = $1 AND channel_id = $2")
                .bind(id.to_db())
                .bind(channel_id.to_db())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n != 1 {
                return Ok(false);
            }
            if let Some(entry) = audit {
                insert_audit_in!(tx, entry);
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Deletes those of `ids` that are messages of the channel, in one statement (so all or none), and
    /// returns them in ascending order. Ids of other channels or of nothing are ignored. `audit`
    /// (MESSAGE_BULK_DELETE) is written in the same transaction with `options.count` set to the number
    /// actually deleted, which only this statement knows; nothing is written when nothing was deleted.
    pub async fn delete_messages(
        &self,
        channel_id: Snowflake,
        ids: &[Snowflake],
        audit: &NewAuditEntry,
    ) -> Result<Vec<Snowflake>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "DELETE FROM messages WHERE channel_id = $1 AND id IN ({}) RETURNING id",
            id_params(2, ids.len())
        );
        let mut deleted: Vec<Snowflake> = on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let mut query = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(sql));
            query = query.bind(channel_id.to_db());
            for id in ids {
                query = query.bind(id.to_db());
            }
            let deleted: Vec<Snowflake> = query
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .map(|(id,)| Snowflake::from_db(id))
                .collect();
            if deleted.is_empty() {
                return Ok(deleted);
            }
            // Discord's `count` is a decimal string.
            let entry = audit.clone().option("count", deleted.len().to_string());
            insert_audit_in!(tx, &entry);
            tx.commit().await?;
            deleted
        });
        deleted.sort();
        Ok(deleted)
    }
}
