//! Read states: each user's read marker per channel, and the mention counts unread badges show.
//!
//! A mention counts for a user when the message is newer than their marker (or, with no marker, newer
//! than their joining the guild), was written by someone else, and mentions them, one of their current
//! roles, or everyone (`@everyone`/`@here` written with the right to). Counts are computed from the
//! messages as they are now, so an edit that drops a mention or a deleted message lowers them.

use std::collections::BTreeMap;

use hearth_core::Snowflake;
use hearth_core::id::HEARTH_EPOCH_MS;
use hearth_core::message::first_id_at;

use super::records::ReadState;
use crate::StoreError;
use crate::backend::{DbRow, Store, on_reader, on_writer};

/// Mentions of user `$1` per channel. `$2` is the id epoch and `$3` the ids per millisecond, which turn
/// `joined_at` into the first id made at that moment. The three branches each use an index: mentions by
/// user, role mentions by role, and messages mentioning everyone by guild.
macro_rules! mention_counts {
    ($channel_filter:literal) => {
        concat!(
            "WITH mine AS ( \
                SELECT message_id FROM message_mentions WHERE user_id = $1 \
                UNION \
                SELECT rm.message_id FROM message_role_mentions rm \
                    JOIN member_roles mr ON mr.role_id = rm.role_id AND mr.user_id = $1 \
                UNION \
                SELECT e.id FROM messages e \
                    JOIN members em ON em.guild_id = e.guild_id AND em.user_id = $1 \
                    WHERE e.mention_everyone \
             ) \
             SELECT m.channel_id, COUNT(*) AS mentions FROM mine \
             JOIN messages m ON m.id = mine.message_id \
             JOIN members mb ON mb.guild_id = m.guild_id AND mb.user_id = $1 \
             LEFT JOIN read_states rs ON rs.user_id = $1 AND rs.channel_id = m.channel_id \
             WHERE m.author_id <> $1 AND m.id > COALESCE(rs.last_message_id, \
                CASE WHEN mb.joined_at > $2 THEN (mb.joined_at - $2) * $3 ELSE 0 END) ",
            $channel_filter,
            " GROUP BY m.channel_id"
        )
    };
}

/// The bounds `mention_counts!` converts join times with.
fn id_epoch() -> (i64, i64) {
    let epoch = HEARTH_EPOCH_MS as i64;
    (epoch, first_id_at(epoch + 1).to_db())
}

impl Store {
    /// Moves the user's read marker in the channel to `message_id`, forwards or back (marking unread);
    /// `false` when that message is not in the channel.
    pub async fn ack_message(
        &self,
        user_id: Snowflake,
        channel_id: Snowflake,
        message_id: Snowflake,
    ) -> Result<bool, StoreError> {
        on_writer!(self, |db| {
            let n = sqlx::query(
                "INSERT INTO read_states (user_id, channel_id, last_message_id) \
                 SELECT $1, channel_id, id FROM messages WHERE id = $3 AND channel_id = $2 \
                 ON CONFLICT (user_id, channel_id) DO UPDATE SET last_message_id = excluded.last_message_id",
            )
            .bind(user_id.to_db())
            .bind(channel_id.to_db())
            .bind(message_id.to_db())
            .execute(db)
            .await?
            .rows_affected();
            Ok(n == 1)
        })
    }

    /// How many unread messages in the channel mention the user.
    pub async fn mention_count(
        &self,
        user_id: Snowflake,
        channel_id: Snowflake,
    ) -> Result<i64, StoreError> {
        const SQL: &str = mention_counts!("AND m.channel_id = $4");
        let (epoch, per_ms) = id_epoch();
        on_reader!(self, |db| {
            let row = sqlx::query(SQL)
                .bind(user_id.to_db())
                .bind(epoch)
                .bind(per_ms)
                .bind(channel_id.to_db())
                .fetch_optional(db)
                .await?;
            Ok(row.map(|r| r.int("mentions")).transpose()?.unwrap_or(0))
        })
    }

    /// Every channel of the user's guilds where they have a read marker or unread mentions, by channel
    /// id. Channels the user may not view are included: the caller filters by permission.
    pub async fn unread_summary(&self, user_id: Snowflake) -> Result<Vec<ReadState>, StoreError> {
        const MARKERS: &str = "SELECT rs.channel_id, rs.last_message_id FROM read_states rs \
             JOIN channels c ON c.id = rs.channel_id \
             JOIN members mb ON mb.guild_id = c.guild_id AND mb.user_id = rs.user_id \
             WHERE rs.user_id = $1";
        const MENTIONS: &str = mention_counts!("");
        let (epoch, per_ms) = id_epoch();
        let mut states: BTreeMap<Snowflake, ReadState> = BTreeMap::new();
        on_reader!(self, |db| {
            for row in sqlx::query(MARKERS)
                .bind(user_id.to_db())
                .fetch_all(db)
                .await?
            {
                let channel_id = Snowflake::from_db(row.int("channel_id")?);
                states.insert(
                    channel_id,
                    ReadState {
                        channel_id,
                        last_read_id: Some(Snowflake::from_db(row.int("last_message_id")?)),
                        mention_count: 0,
                    },
                );
            }
            for row in sqlx::query(MENTIONS)
                .bind(user_id.to_db())
                .bind(epoch)
                .bind(per_ms)
                .fetch_all(db)
                .await?
            {
                let channel_id = Snowflake::from_db(row.int("channel_id")?);
                states
                    .entry(channel_id)
                    .or_insert(ReadState {
                        channel_id,
                        last_read_id: None,
                        mention_count: 0,
                    })
                    .mention_count = row.int("mentions")?;
            }
        });
        Ok(states.into_values().collect())
    }
}
