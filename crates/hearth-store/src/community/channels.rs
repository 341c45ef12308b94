//! Channels and their permission overwrites.

use std::collections::HashMap;

use hearth_core::{ChannelKind, Overwrite, Snowflake};

use super::records::{
    ChannelMove, ChannelRecord, ChannelUpdate, LOCK_CHANNEL, LOCK_GUILD, NewChannel, bits_to_db,
    channel_columns, overwrite_from_row,
};
use crate::StoreError;
use crate::backend::{BeginWrite, Store, on_reader, on_writer};
use crate::moderation::{NewAuditEntry, insert_audit_in};

const CHANNEL_BY_ID: &str = concat!(
    "SELECT ",
    channel_columns!(),
    " FROM channels c WHERE c.id = $1"
);
const OVERWRITES_OF_CHANNEL: &str = "SELECT channel_id, target_id, kind, allow_bits, deny_bits \
     FROM channel_overwrites WHERE channel_id = $1 ORDER BY target_id";
const INSERT_OVERWRITE: &str = "INSERT INTO channel_overwrites (channel_id, target_id, kind, allow_bits, deny_bits) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel_id, target_id) DO UPDATE SET \
     kind = excluded.kind, allow_bits = excluded.allow_bits, deny_bits = excluded.deny_bits";

/// Runs, inside transaction `$tx`, the check that `$parent` is a category of guild `$guild`.
macro_rules! check_parent {
    ($tx:ident, $guild:expr, $parent:expr) => {{
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM channels WHERE id = $1 AND guild_id = $2 AND type = $3")
                .bind($parent.to_db())
                .bind($guild.to_db())
                .bind(i64::from(ChannelKind::Category.as_wire()))
                .fetch_optional(&mut *$tx)
                .await?;
        if found.is_none() {
            return Err(StoreError::Missing("parent_id"));
        }
    }};
}

/// Replaces every overwrite of `$channel` with `$overwrites` inside transaction `$tx`.
macro_rules! replace_overwrites {
    ($tx:ident, $channel:expr, $overwrites:expr) => {{
        sqlx::query("DELETE FROM channel_overwrites WHERE channel_id = $1")
            .bind($channel.to_db())
            .execute(&mut *$tx)
            .await?;
        for o in $overwrites {
            sqlx::query(INSERT_OVERWRITE)
                .bind($channel.to_db())
                .bind(o.id.to_db())
                .bind(i64::from(o.kind.as_wire()))
                .bind(bits_to_db(o.allow))
                .bind(bits_to_db(o.deny))
                .execute(&mut *$tx)
                .await?;
        }
    }};
}

/// Copies the overwrites of category `$parent` onto `$channel` inside transaction `$tx`.
macro_rules! copy_parent_overwrites {
    ($tx:ident, $channel:expr, $parent:expr) => {{
        sqlx::query("DELETE FROM channel_overwrites WHERE channel_id = $1")
            .bind($channel.to_db())
            .execute(&mut *$tx)
            .await?;
        sqlx::query(
            "INSERT INTO channel_overwrites (channel_id, target_id, kind, allow_bits, deny_bits) \
             SELECT $1, target_id, kind, allow_bits, deny_bits FROM channel_overwrites WHERE channel_id = $2",
        )
        .bind($channel.to_db())
        .bind($parent.to_db())
        .execute(&mut *$tx)
        .await?;
    }};
}

impl Store {
    /// Creates a channel with its overwrites and writes its audit entry (CHANNEL_CREATE).
    pub async fn create_channel(
        &self,
        new: &NewChannel,
        audit: &NewAuditEntry,
    ) -> Result<ChannelRecord, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            sqlx::query(LOCK_GUILD)
                .bind(new.guild_id.to_db())
                .execute(&mut *tx)
                .await?;
            let (count, last): (i64, Option<i64>) =
                sqlx::query_as("SELECT COUNT(*), MAX(position) FROM channels WHERE guild_id = $1")
                    .bind(new.guild_id.to_db())
                    .fetch_one(&mut *tx)
                    .await?;
            if count >= i64::from(new.max_channels_per_guild) {
                return Err(StoreError::LimitReached("channels per guild"));
            }
            if let Some(parent) = new.parent_id {
                check_parent!(tx, new.guild_id, parent);
            }
            let position = new
                .position
                .map(i64::from)
                .unwrap_or_else(|| last.map_or(0, |p| p + 1));
            sqlx::query(
                "INSERT INTO channels (id, guild_id, type, name, topic, position, parent_id, nsfw, \
                 rate_limit_per_user, bitrate, user_limit, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
            )
            .bind(new.id.to_db())
            .bind(new.guild_id.to_db())
            .bind(i64::from(new.kind.as_wire()))
            .bind(&new.name)
            .bind(new.topic.as_deref())
            .bind(position)
            .bind(new.parent_id.map(Snowflake::to_db))
            .bind(new.nsfw)
            .bind(i64::from(new.rate_limit_per_user))
            .bind(new.bitrate.map(i64::from))
            .bind(new.user_limit.map(i64::from))
            .bind(new.now_ms)
            .execute(&mut *tx)
            .await?;
            replace_overwrites!(tx, new.id, &new.overwrites);
            insert_audit_in!(tx, audit);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.channel_by_id(new.id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// A channel with its overwrites.
    pub async fn channel_by_id(&self, id: Snowflake) -> Result<Option<ChannelRecord>, StoreError> {
        on_reader!(self, |db| {
            let Some(row) = sqlx::query(CHANNEL_BY_ID)
                .bind(id.to_db())
                .fetch_optional(db)
                .await?
            else {
                return Ok(None);
            };
            let mut channel = ChannelRecord::from_row(&row)?;
            let rows = sqlx::query(OVERWRITES_OF_CHANNEL)
                .bind(id.to_db())
                .fetch_all(db)
                .await?;
            channel.overwrites = rows
                .iter()
                .map(|r| overwrite_from_row(r).map(|(_, o)| o))
                .collect::<Result<_, _>>()?;
            Ok(Some(channel))
        })
    }

    /// Every channel of a guild with its overwrites (two queries), in position order.
    pub async fn channels_of_guild(
        &self,
        guild_id: Snowflake,
    ) -> Result<Vec<ChannelRecord>, StoreError> {
        const CHANNELS: &str = concat!(
            "SELECT ",
            channel_columns!(),
            " FROM channels c WHERE c.guild_id = $1 ORDER BY c.position, c.id"
        );
        const OVERWRITES: &str = "SELECT o.channel_id, o.target_id, o.kind, o.allow_bits, o.deny_bits \
             FROM channel_overwrites o JOIN channels c ON c.id = o.channel_id \
             WHERE c.guild_id = $1 ORDER BY o.target_id";
        on_reader!(self, |db| {
            let rows = sqlx::query(CHANNELS)
                .bind(guild_id.to_db())
                .fetch_all(db)
                .await?;
            let mut channels = rows
                .iter()
                .map(ChannelRecord::from_row)
                .collect::<Result<Vec<_>, _>>()?;
            let rows = sqlx::query(OVERWRITES)
                .bind(guild_id.to_db())
                .fetch_all(db)
                .await?;
            let mut by_channel: HashMap<Snowflake, Vec<Overwrite>> = HashMap::new();
            for row in &rows {
                let (channel, overwrite) = overwrite_from_row(row)?;
                by_channel.entry(channel).or_default().push(overwrite);
            }
            for channel in &mut channels {
                channel.overwrites = by_channel.remove(&channel.id).unwrap_or_default();
            }
            Ok(channels)
        })
    }

    /// Applies an update (a new parent must be a category of the same guild, checked in the
    /// transaction). `lock_permissions` copies the (new) parent's overwrites onto the channel. `audit`
    /// holds the entries the update produces (CHANNEL_UPDATE, and one per overwrite it creates, changes
    /// or removes, as Discord records them); they are written only if the update commits.
    pub async fn update_channel(
        &self,
        id: Snowflake,
        update: &ChannelUpdate,
        lock_permissions: bool,
        now_ms: i64,
        audit: &[NewAuditEntry],
    ) -> Result<ChannelRecord, StoreError> {
        const SQL: &str = "UPDATE channels SET name = COALESCE($2, name), \
             topic = CASE WHEN $3 THEN $4 ELSE topic END, position = COALESCE($5, position), \
             parent_id = CASE WHEN $6 THEN $7 ELSE parent_id END, nsfw = COALESCE($8, nsfw), \
             rate_limit_per_user = COALESCE($9, rate_limit_per_user), bitrate = COALESCE($10, bitrate), \
             user_limit = COALESCE($11, user_limit), updated_at = $12 WHERE id = $1 RETURNING guild_id, parent_id";
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let guild: Option<(i64,)> =
                sqlx::query_as("SELECT guild_id FROM channels WHERE id = $1")
                    .bind(id.to_db())
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((guild,)) = guild else {
                return Err(StoreError::NotFound);
            };
            if let Some(Some(parent)) = update.parent_id {
                check_parent!(tx, Snowflake::from_db(guild), parent);
            }
            let (_, parent): (i64, Option<i64>) = sqlx::query_as(SQL)
                .bind(id.to_db())
                .bind(update.name.as_deref())
                .bind(update.topic.is_some())
                .bind(update.topic.clone().flatten())
                .bind(update.position.map(i64::from))
                .bind(update.parent_id.is_some())
                .bind(update.parent_id.flatten().map(Snowflake::to_db))
                .bind(update.nsfw)
                .bind(update.rate_limit_per_user.map(i64::from))
                .bind(update.bitrate.map(i64::from))
                .bind(update.user_limit.map(i64::from))
                .bind(now_ms)
                .fetch_one(&mut *tx)
                .await?;
            if let Some(overwrites) = &update.overwrites {
                replace_overwrites!(tx, id, overwrites);
            } else if lock_permissions && let Some(parent) = parent {
                copy_parent_overwrites!(tx, id, Snowflake::from_db(parent));
            }
            for entry in audit {
                insert_audit_in!(tx, entry);
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.channel_by_id(id).await?.ok_or(StoreError::NotFound)
    }

    /// Moves several channels at once (positions and parents), in one transaction with `audit`, the
    /// entries for the channels that actually moved (and the overwrites a sync changed).
    pub async fn move_channels(
        &self,
        guild_id: Snowflake,
        moves: &[ChannelMove],
        now_ms: i64,
        audit: &[NewAuditEntry],
    ) -> Result<(), StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            for m in moves {
                if let Some(Some(parent)) = m.parent_id {
                    check_parent!(tx, guild_id, parent);
                }
                let row: Option<(Option<i64>,)> = sqlx::query_as(
                    "UPDATE channels SET position = COALESCE($3, position), \
                     parent_id = CASE WHEN $4 THEN $5 ELSE parent_id END, updated_at = $6 \
                     WHERE id = $1 AND guild_id = $2 RETURNING parent_id",
                )
                .bind(m.id.to_db())
                .bind(guild_id.to_db())
                .bind(m.position.map(i64::from))
                .bind(m.parent_id.is_some())
                .bind(m.parent_id.flatten().map(Snowflake::to_db))
                .bind(now_ms)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((parent,)) = row else {
                    return Err(StoreError::Missing("id"));
                };
                if m.lock_permissions
                    && let Some(parent) = parent
                {
                    copy_parent_overwrites!(tx, m.id, Snowflake::from_db(parent));
                }
            }
            for entry in audit {
                insert_audit_in!(tx, entry);
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Deletes a channel: its children lose their parent, the guild its system channel if it was this
    /// one, and its invites and overwrites go with it; `audit` (CHANNEL_DELETE) is written with it.
    /// `false` when it did not exist, and then nothing is written.
    pub async fn delete_channel(
        &self,
        id: Snowflake,
        audit: &NewAuditEntry,
    ) -> Result<bool, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            sqlx::query("UPDATE channels SET parent_id = NULL WHERE parent_id = $1")
                .bind(id.to_db())
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE guilds SET system_channel_id = NULL WHERE system_channel_id = $1")
                .bind(id.to_db())
                .execute(&mut *tx)
                .await?;
            let n = sqlx::query("DELETE FROM channels WHERE id = $1")
                .bind(id.to_db())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n != 1 {
                // Dropping the transaction rolls back the two updates above (they matched nothing).
                return Ok(false);
            }
            insert_audit_in!(tx, audit);
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Creates or replaces one overwrite with its audit entry, refusing a new one beyond
    /// `max_per_channel` (and then writing no entry).
    pub async fn put_overwrite(
        &self,
        channel_id: Snowflake,
        overwrite: &Overwrite,
        max_per_channel: u32,
        audit: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            sqlx::query(LOCK_CHANNEL)
                .bind(channel_id.to_db())
                .execute(&mut *tx)
                .await?;
            let (count,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM channel_overwrites WHERE channel_id = $1 AND target_id <> $2",
            )
            .bind(channel_id.to_db())
            .bind(overwrite.id.to_db())
            .fetch_one(&mut *tx)
            .await?;
            if count >= i64::from(max_per_channel) {
                return Err(StoreError::LimitReached("overwrites per channel"));
            }
            sqlx::query(INSERT_OVERWRITE)
                .bind(channel_id.to_db())
                .bind(overwrite.id.to_db())
                .bind(i64::from(overwrite.kind.as_wire()))
                .bind(bits_to_db(overwrite.allow))
                .bind(bits_to_db(overwrite.deny))
                .execute(&mut *tx)
                .await?;
            insert_audit_in!(tx, audit);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Deletes one overwrite with its audit entry; `false` (and no entry) when there was none.
    pub async fn delete_overwrite(
        &self,
        channel_id: Snowflake,
        target_id: Snowflake,
        audit: &NewAuditEntry,
    ) -> Result<bool, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let n = sqlx::query(
                "DELETE FROM channel_overwrites WHERE channel_id = $1 AND target_id = $2",
            )
            .bind(channel_id.to_db())
            .bind(target_id.to_db())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n != 1 {
                return Ok(false);
            }
            insert_audit_in!(tx, audit);
            tx.commit().await?;
            Ok(true)
        })
    }
}
