//! Guilds: creation with their defaults, lookup, the member's view, update, ownership and deletion.

use std::collections::HashMap;

use hearth_core::{ChannelKind, Permissions, Snowflake};

use super::members::member_columns;
use super::records::{
    GuildContext, GuildRecord, GuildSummary, GuildUpdate, LOCK_USER, MemberRecord, NewGuild,
    RoleRecord, bits_from_db, bits_to_db, guild_columns, role_columns,
};
use crate::StoreError;
use crate::backend::{BeginWrite, DbRow, Store, on_reader, on_writer};
use crate::moderation::{NewAuditEntry, insert_audit_in};

const EVERYONE_ROLE_NAME: &str = "@everyone";
const DEFAULT_TEXT_CHANNEL: &str = "general";
const DEFAULT_VOICE_CHANNEL: &str = "General";
const GUILD_BY_ID: &str = concat!(
    "SELECT ",
    guild_columns!(),
    " FROM guilds g WHERE g.id = $1"
);

impl Store {
    /// Creates a guild with its @everyone role (the guild's id, position 0), a text and a voice channel,
    /// and the creator as owner and first member, in one transaction.
    pub async fn create_guild(&self, new: &NewGuild) -> Result<GuildRecord, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            sqlx::query(LOCK_USER)
                .bind(new.owner_id.to_db())
                .execute(&mut *tx)
                .await?;
            let (joined,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM members WHERE user_id = $1")
                    .bind(new.owner_id.to_db())
                    .fetch_one(&mut *tx)
                    .await?;
            if joined >= i64::from(new.max_guilds_per_user) {
                return Err(StoreError::LimitReached("guilds per user"));
            }
            sqlx::query(
                "INSERT INTO guilds (id, name, description, owner_id, system_channel_id, \
                 default_message_notifications, verification_level, explicit_content_filter, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
            )
            .bind(new.id.to_db())
            .bind(&new.name)
            .bind(&new.description)
            .bind(new.owner_id.to_db())
            .bind(new.text_channel_id.to_db())
            .bind(new.default_message_notifications)
            .bind(new.verification_level)
            .bind(new.explicit_content_filter)
            .bind(new.now_ms)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO roles (id, guild_id, name, position, permissions, created_at) \
                 VALUES ($1, $1, $2, 0, $3, $4)",
            )
            .bind(new.id.to_db())
            .bind(EVERYONE_ROLE_NAME)
            .bind(bits_to_db(new.everyone_permissions))
            .bind(new.now_ms)
            .execute(&mut *tx)
            .await?;
            const CHANNEL: &str = "INSERT INTO channels (id, guild_id, type, name, position, bitrate, user_limit, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)";
            sqlx::query(CHANNEL)
                .bind(new.text_channel_id.to_db())
                .bind(new.id.to_db())
                .bind(i64::from(ChannelKind::Text.as_wire()))
                .bind(DEFAULT_TEXT_CHANNEL)
                .bind(0_i64)
                .bind(None::<i64>)
                .bind(None::<i64>)
                .bind(new.now_ms)
                .execute(&mut *tx)
                .await?;
            sqlx::query(CHANNEL)
                .bind(new.voice_channel_id.to_db())
                .bind(new.id.to_db())
                .bind(i64::from(ChannelKind::Voice.as_wire()))
                .bind(DEFAULT_VOICE_CHANNEL)
                .bind(1_i64)
                .bind(i64::from(new.voice_bitrate))
                .bind(0_i64)
                .bind(new.now_ms)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO members (guild_id, user_id, joined_at) VALUES ($1, $2, $3)")
                .bind(new.id.to_db())
                .bind(new.owner_id.to_db())
                .bind(new.now_ms)
                .execute(&mut *tx)
                .await?;
            let row = sqlx::query(GUILD_BY_ID)
                .bind(new.id.to_db())
                .fetch_one(&mut *tx)
                .await?;
            let guild = GuildRecord::from_row(&row)?;
            tx.commit().await?;
            Ok(guild)
        })
    }

    pub async fn guild_by_id(&self, id: Snowflake) -> Result<Option<GuildRecord>, StoreError> {
        on_reader!(self, |db| {
            let row = sqlx::query(GUILD_BY_ID)
                .bind(id.to_db())
                .fetch_optional(db)
                .await?;
            Ok(row.map(|r| GuildRecord::from_row(&r)).transpose()?)
        })
    }

    /// The guild as `user_id` sees it: `None` when either does not exist or they are not a member.
    pub async fn guild_context(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
    ) -> Result<Option<GuildContext>, StoreError> {
        let Some(member) = self.member(guild_id, user_id).await? else {
            return Ok(None);
        };
        let Some(guild) = self.guild_by_id(guild_id).await? else {
            return Ok(None);
        };
        let roles = self.roles_of_guild(guild_id).await?;
        Ok(Some(GuildContext {
            guild,
            member,
            roles,
        }))
    }

    /// Every role of a guild, highest first (position descending; on a tie the older role first).
    pub async fn roles_of_guild(&self, guild_id: Snowflake) -> Result<Vec<RoleRecord>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            role_columns!(),
            " FROM roles r WHERE r.guild_id = $1 ORDER BY r.position DESC, r.id ASC"
        );
        on_reader!(self, |db| {
            let rows = sqlx::query(SQL)
                .bind(guild_id.to_db())
                .fetch_all(db)
                .await?;
            Ok(rows
                .iter()
                .map(RoleRecord::from_row)
                .collect::<Result<_, _>>()?)
        })
    }

    /// The guilds a user belongs to, oldest first, with what their permissions derive from.
    pub async fn guilds_of_user(
        &self,
        user_id: Snowflake,
    ) -> Result<Vec<GuildSummary>, StoreError> {
        const GUILDS: &str = concat!(
            "SELECT ",
            guild_columns!(),
            ", m.communication_disabled_until, r.permissions AS everyone_bits \
             FROM members m JOIN guilds g ON g.id = m.guild_id JOIN roles r ON r.id = g.id \
             WHERE m.user_id = $1 ORDER BY g.id"
        );
        const ROLES: &str = "SELECT mr.guild_id, mr.role_id, r.permissions FROM member_roles mr \
             JOIN roles r ON r.id = mr.role_id WHERE mr.user_id = $1";
        on_reader!(self, |db| {
            let rows = sqlx::query(GUILDS)
                .bind(user_id.to_db())
                .fetch_all(db)
                .await?;
            let role_rows = sqlx::query(ROLES)
                .bind(user_id.to_db())
                .fetch_all(db)
                .await?;
            let mut roles: HashMap<Snowflake, Vec<(Snowflake, Permissions)>> = HashMap::new();
            for row in &role_rows {
                roles
                    .entry(Snowflake::from_db(row.int("guild_id")?))
                    .or_default()
                    .push((
                        Snowflake::from_db(row.int("role_id")?),
                        bits_from_db(row.int("permissions")?),
                    ));
            }
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                let guild = GuildRecord::from_row(row)?;
                out.push(GuildSummary {
                    everyone: bits_from_db(row.int("everyone_bits")?),
                    member_roles: roles.remove(&guild.id).unwrap_or_default(),
                    communication_disabled_until: row.opt_int("communication_disabled_until")?,
                    guild,
                });
            }
            Ok(out)
        })
    }

    pub async fn member_count(&self, guild_id: Snowflake) -> Result<i64, StoreError> {
        on_reader!(self, |db| {
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM members WHERE guild_id = $1")
                .bind(guild_id.to_db())
                .fetch_one(db)
                .await?;
            Ok(n)
        })
    }

    /// Applies an update and writes its audit entry. A new system channel must be a text channel of the
    /// guild and a new owner a member, both checked inside the transaction (`StoreError::Missing`
    /// otherwise, and no entry).
    pub async fn update_guild(
        &self,
        id: Snowflake,
        update: &GuildUpdate,
        now_ms: i64,
        audit: &NewAuditEntry,
    ) -> Result<GuildRecord, StoreError> {
        const SQL: &str = "UPDATE guilds SET \
             name = COALESCE($2, name), \
             description = COALESCE($3, description), \
             system_channel_id = CASE WHEN $4 THEN $5 ELSE system_channel_id END, \
             default_message_notifications = COALESCE($6, default_message_notifications), \
             verification_level = COALESCE($7, verification_level), \
             explicit_content_filter = COALESCE($8, explicit_content_filter), \
             owner_id = COALESCE($9, owner_id), \
             updated_at = $10 WHERE id = $1";
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            if let Some(Some(channel)) = update.system_channel_id {
                // System messages go to a text channel, as in Discord.
                let found: Option<(i64,)> = sqlx::query_as(
                    "SELECT id FROM channels WHERE id = $1 AND guild_id = $2 AND type = $3",
                )
                .bind(channel.to_db())
                .bind(id.to_db())
                .bind(i64::from(ChannelKind::Text.as_wire()))
                .fetch_optional(&mut *tx)
                .await?;
                if found.is_none() {
                    return Err(StoreError::Missing("system_channel_id"));
                }
            }
            if let Some(owner) = update.owner_id {
                let found: Option<(i64,)> = sqlx::query_as(
                    "SELECT user_id FROM members WHERE guild_id = $1 AND user_id = $2",
                )
                .bind(id.to_db())
                .bind(owner.to_db())
                .fetch_optional(&mut *tx)
                .await?;
                if found.is_none() {
                    return Err(StoreError::Missing("owner_id"));
                }
            }
            let updated = sqlx::query(SQL)
                .bind(id.to_db())
                .bind(update.name.as_deref())
                .bind(update.description.as_deref())
                .bind(update.system_channel_id.is_some())
                .bind(update.system_channel_id.flatten().map(Snowflake::to_db))
                .bind(update.default_message_notifications)
                .bind(update.verification_level)
                .bind(update.explicit_content_filter)
                .bind(update.owner_id.map(Snowflake::to_db))
                .bind(now_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if updated == 0 {
                return Err(StoreError::NotFound);
            }
            insert_audit_in!(tx, audit);
            let row = sqlx::query(GUILD_BY_ID)
                .bind(id.to_db())
                .fetch_one(&mut *tx)
                .await?;
            let guild = GuildRecord::from_row(&row)?;
            tx.commit().await?;
            Ok(guild)
        })
    }

    /// Deletes a guild and everything in it (cascading). `false` when it did not exist.
    /// Deletes a guild and everything in it. Its reports go too, except those escalated to the
    /// instance's admins, which stay in their queue without a guild (`ON DELETE SET NULL`): deleting
    /// a guild must not be a way to destroy evidence the admins were asked to look at.
    pub async fn delete_guild(&self, id: Snowflake) -> Result<bool, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            sqlx::query("DELETE FROM reports WHERE guild_id = $1 AND NOT escalated")
                .bind(id.to_db())
                .execute(&mut *tx)
                .await?;
            let n = sqlx::query("DELETE FROM guilds WHERE id = $1")
                .bind(id.to_db())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok(n == 1)
        })
    }

    /// One member with their roles; `None` when not a member.
    pub async fn member(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
    ) -> Result<Option<MemberRecord>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            member_columns!(),
            " FROM members m JOIN users u ON u.id = m.user_id WHERE m.guild_id = $1 AND m.user_id = $2"
        );
        const ROLES: &str = "SELECT role_id FROM member_roles WHERE guild_id = $1 AND user_id = $2";
        on_reader!(self, |db| {
            let Some(row) = sqlx::query(SQL)
                .bind(guild_id.to_db())
                .bind(user_id.to_db())
                .fetch_optional(db)
                .await?
            else {
                return Ok(None);
            };
            let roles: Vec<(i64,)> = sqlx::query_as(ROLES)
                .bind(guild_id.to_db())
                .bind(user_id.to_db())
                .fetch_all(db)
                .await?;
            let mut member = MemberRecord::from_row(&row)?;
            member.roles = roles
                .into_iter()
                .map(|(id,)| Snowflake::from_db(id))
                .collect();
            Ok(Some(member))
        })
    }
}
