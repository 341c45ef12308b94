//! Reactions: adding one (with the distinct-emoji limit and the rule for new emoji), removing them,
//! and listing who reacted.

use hearth_core::Snowflake;

use crate::backend::{BeginWrite, Store, on_reader, on_writer};
use crate::records::user_columns;
use crate::{StoreError, UserRecord};

/// Why a reaction was refused.
#[derive(Debug, thiserror::Error)]
pub enum ReactionError {
    /// Nobody has reacted with this emoji yet, and the user may only join existing reactions.
    #[error("this emoji is not on the message and the user may not add new reactions")]
    NewEmojiRefused,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ReactionError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(StoreError::Database(e))
    }
}

/// One user's reaction to add.
#[derive(Debug, Clone)]
pub struct NewReaction<'a> {
    pub channel_id: Snowflake,
    pub message_id: Snowflake,
    /// A parsed emoji in its canonical form.
    pub emoji: &'a str,
    pub user_id: Snowflake,
    /// Whether the user may put an emoji on the message that nobody used yet (ADD_REACTIONS).
    pub may_add_new_emoji: bool,
    /// How many distinct emoji one message may carry.
    pub max_distinct_emoji: u32,
    pub now_ms: i64,
}

/// Takes the message's row lock so that the distinct-emoji count cannot be read stale by a concurrent
/// reaction; answers nothing when the message is not in the channel.
const LOCK_MESSAGE: &str =
    "UPDATE messages SET kind = kind WHERE id = $1 AND channel_id = $2 RETURNING id";

impl Store {
    /// Adds a reaction in one transaction: `Ok(false)` when the user had already reacted with it;
    /// `NewEmojiRefused` or `LimitReached` when the emoji is new to the message and the user may not add
    /// one or the message has no room; `NotFound` when the message is not in the channel.
    pub async fn add_reaction(&self, new: &NewReaction<'_>) -> Result<bool, ReactionError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let locked: Option<(i64,)> = sqlx::query_as(LOCK_MESSAGE)
                .bind(new.message_id.to_db())
                .bind(new.channel_id.to_db())
                .fetch_optional(&mut *tx)
                .await?;
            if locked.is_none() {
                return Err(StoreError::NotFound.into());
            }
            let (kinds, same, mine): (i64, i64, i64) = sqlx::query_as(
                "SELECT COUNT(DISTINCT emoji), COUNT(*) FILTER (WHERE emoji = $2), \
                 COUNT(*) FILTER (WHERE emoji = $2 AND user_id = $3) FROM reactions WHERE message_id = $1",
            )
            .bind(new.message_id.to_db())
            .bind(new.emoji)
            .bind(new.user_id.to_db())
            .fetch_one(&mut *tx)
            .await?;
            if mine > 0 {
                return Ok(false);
            }
            if same == 0 {
                if !new.may_add_new_emoji {
                    return Err(ReactionError::NewEmojiRefused);
                }
                if kinds >= i64::from(new.max_distinct_emoji) {
                    return Err(StoreError::LimitReached("reactions per message").into());
                }
            }
            sqlx::query(
                "INSERT INTO reactions (message_id, emoji, user_id, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(new.message_id.to_db())
            .bind(new.emoji)
            .bind(new.user_id.to_db())
            .bind(new.now_ms)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Removes one user's reaction; `false` when there was none.
    pub async fn remove_reaction(
        &self,
        message_id: Snowflake,
        emoji: &str,
        user_id: Snowflake,
    ) -> Result<bool, StoreError> {
        on_writer!(self, |db| {
            let n = sqlx::query(
                "DELETE FROM reactions WHERE message_id = $1 AND emoji = $2 AND user_id = $3",
            )
            .bind(message_id.to_db())
            .bind(emoji)
            .bind(user_id.to_db())
            .execute(db)
            .await?
            .rows_affected();
            Ok(n == 1)
        })
    }

    /// Removes every reaction of a message, or only those with `emoji`; returns how many went.
    pub async fn clear_reactions(
        &self,
        message_id: Snowflake,
        emoji: Option<&str>,
    ) -> Result<u64, StoreError> {
        on_writer!(self, |db| {
            Ok(sqlx::query(
                "DELETE FROM reactions WHERE message_id = $1 AND ($2 IS NULL OR emoji = $2)",
            )
            .bind(message_id.to_db())
            .bind(emoji)
            .execute(db)
            .await?
            .rows_affected())
        })
    }

    /// The users who reacted with `emoji`, by user id after `after`, at most `limit`.
    pub async fn reaction_users(
        &self,
        message_id: Snowflake,
        emoji: &str,
        after: Snowflake,
        limit: u32,
    ) -> Result<Vec<UserRecord>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            user_columns!("u."),
            " FROM reactions r JOIN users u ON u.id = r.user_id \
             WHERE r.message_id = $1 AND r.emoji = $2 AND r.user_id > $3 ORDER BY r.user_id LIMIT $4"
        );
        on_reader!(self, |db| {
            Ok(sqlx::query(SQL)
                .bind(message_id.to_db())
                .bind(emoji)
                .bind(after.to_db())
                .bind(i64::from(limit))
                .fetch_all(db)
                .await?
                .iter()
                .map(UserRecord::from_row)
                .collect::<Result<_, _>>()?)
        })
    }
}
