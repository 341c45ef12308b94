//! Community rows as the store hands them out and takes them in.

use hearth_core::{ChannelKind, Overwrite, OverwriteKind, Permissions, Snowflake};

use crate::UserRecord;
use crate::backend::DbRow;

/// Statements that take the row lock a count-then-insert limit check needs, inside the caller's
/// transaction. They change nothing; on PostgreSQL the no-op UPDATE holds the row's lock until the
/// transaction ends, so two transactions checking the same limit run one after the other instead of
/// both counting the old total. (SQLite already serialises every write transaction.)
pub(crate) const LOCK_USER: &str = "UPDATE users SET updated_at = updated_at WHERE id = $1";
pub(crate) const LOCK_GUILD: &str = "UPDATE guilds SET updated_at = updated_at WHERE id = $1";
pub(crate) const LOCK_CHANNEL: &str = "UPDATE channels SET updated_at = updated_at WHERE id = $1";

/// Permission bitfields are u64; the databases store the same bit pattern in a signed BIGINT.
pub(crate) fn bits_to_db(p: Permissions) -> i64 {
    p.to_db()
}

pub(crate) fn bits_from_db(raw: i64) -> Permissions {
    Permissions::from_db(raw)
}

fn small(raw: i64) -> i32 {
    raw.clamp(i32::MIN as i64, i32::MAX as i64) as i32
}

fn unsigned(raw: i64) -> u32 {
    raw.clamp(0, u32::MAX as i64) as u32
}

#[derive(Debug, Clone, PartialEq)]
pub struct GuildRecord {
    pub id: Snowflake,
    pub name: String,
    pub description: String,
    pub owner_id: Snowflake,
    pub system_channel_id: Option<Snowflake>,
    pub default_message_notifications: i64,
    pub verification_level: i64,
    pub explicit_content_filter: i64,
    /// Image hashes.
    pub icon: Option<String>,
    pub banner: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The columns `from_row` reads. A macro so queries are `&'static str` built at compile time.
macro_rules! guild_columns {
    () => {
        "g.id, g.name, g.description, g.owner_id, g.system_channel_id, \
     g.default_message_notifications, g.verification_level, g.explicit_content_filter, g.icon, g.banner, g.created_at, g.updated_at"
    };
}
pub(crate) use guild_columns;

impl GuildRecord {
    pub(crate) fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: Snowflake::from_db(row.int("id")?),
            name: row.text("name")?,
            description: row.text("description")?,
            owner_id: Snowflake::from_db(row.int("owner_id")?),
            system_channel_id: row.opt_int("system_channel_id")?.map(Snowflake::from_db),
            default_message_notifications: row.int("default_message_notifications")?,
            verification_level: row.int("verification_level")?,
            explicit_content_filter: row.int("explicit_content_filter")?,
            icon: row.opt_text("icon")?,
            banner: row.opt_text("banner")?,
            created_at: row.int("created_at")?,
            updated_at: row.int("updated_at")?,
        })
    }
}

/// A guild with the figures its summaries show.
#[derive(Debug, Clone, PartialEq)]
pub struct GuildSummary {
    pub guild: GuildRecord,
    /// The viewer's guild-level permissions inputs: @everyone's bits and their own roles' bits.
    pub everyone: Permissions,
    pub member_roles: Vec<(Snowflake, Permissions)>,
    pub communication_disabled_until: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewGuild {
    pub id: Snowflake,
    pub name: String,
    pub description: String,
    pub owner_id: Snowflake,
    pub everyone_permissions: Permissions,
    pub text_channel_id: Snowflake,
    pub voice_channel_id: Snowflake,
    pub voice_bitrate: u32,
    pub default_message_notifications: i64,
    pub verification_level: i64,
    pub explicit_content_filter: i64,
    pub now_ms: i64,
    /// How many guilds one user may belong to.
    pub max_guilds_per_user: u32,
}

/// Changes to a guild: `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct GuildUpdate {
    pub name: Option<String>,
    pub description: Option<String>,
    pub system_channel_id: Option<Option<Snowflake>>,
    pub default_message_notifications: Option<i64>,
    pub verification_level: Option<i64>,
    pub explicit_content_filter: Option<i64>,
    /// Ownership transfer; the new owner must be a member (checked in the same transaction).
    pub owner_id: Option<Snowflake>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoleRecord {
    pub id: Snowflake,
    pub guild_id: Snowflake,
    pub name: String,
    pub color: u32,
    pub hoist: bool,
    pub mentionable: bool,
    pub position: i32,
    pub permissions: Permissions,
    /// Image hash.
    pub icon: Option<String>,
    pub created_at: i64,
}

/// The columns `from_row` reads. A macro so queries are `&'static str` built at compile time.
macro_rules! role_columns {
    () => {
        "r.id, r.guild_id, r.name, r.color, r.hoist, r.mentionable, r.position, r.permissions, r.icon, r.created_at"
    };
}
pub(crate) use role_columns;

impl RoleRecord {
    pub(crate) fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: Snowflake::from_db(row.int("id")?),
            guild_id: Snowflake::from_db(row.int("guild_id")?),
            name: row.text("name")?,
            color: unsigned(row.int("color")?),
            hoist: row.flag("hoist")?,
            mentionable: row.flag("mentionable")?,
            position: small(row.int("position")?),
            permissions: bits_from_db(row.int("permissions")?),
            icon: row.opt_text("icon")?,
            created_at: row.int("created_at")?,
        })
    }

    /// Whether this is the guild's @everyone role.
    pub fn is_everyone(&self) -> bool {
        self.id == self.guild_id
    }

    pub fn rank(&self) -> hearth_core::RoleRank {
        hearth_core::RoleRank {
            position: self.position,
            id: self.id,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewRole {
    pub id: Snowflake,
    pub guild_id: Snowflake,
    pub name: String,
    pub color: u32,
    pub hoist: bool,
    pub mentionable: bool,
    pub permissions: Permissions,
    pub now_ms: i64,
    pub max_roles_per_guild: u32,
}

#[derive(Debug, Clone, Default)]
pub struct RoleUpdate {
    pub name: Option<String>,
    pub color: Option<u32>,
    pub hoist: Option<bool>,
    pub mentionable: Option<bool>,
    pub permissions: Option<Permissions>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChannelRecord {
    pub id: Snowflake,
    pub guild_id: Snowflake,
    pub kind: ChannelKind,
    pub name: String,
    pub topic: Option<String>,
    pub position: i32,
    pub parent_id: Option<Snowflake>,
    pub nsfw: bool,
    pub rate_limit_per_user: u32,
    pub bitrate: Option<u32>,
    pub user_limit: Option<u32>,
    pub overwrites: Vec<Overwrite>,
    /// The newest message sent in the channel; it may have been deleted since.
    pub last_message_id: Option<Snowflake>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The columns `from_row` reads. A macro so queries are `&'static str` built at compile time.
macro_rules! channel_columns {
    () => {
        "c.id, c.guild_id, c.type, c.name, c.topic, c.position, c.parent_id, c.nsfw, \
     c.rate_limit_per_user, c.bitrate, c.user_limit, c.last_message_id, c.created_at, c.updated_at"
    };
}
pub(crate) use channel_columns;

impl ChannelRecord {
    /// The row without its overwrites, which come from a second query.
    pub(crate) fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        let raw_kind = row.int("type")?;
        Ok(Self {
            id: Snowflake::from_db(row.int("id")?),
            guild_id: Snowflake::from_db(row.int("guild_id")?),
            kind: ChannelKind::from_wire(raw_kind).map_err(|_| {
                sqlx::Error::Decode(format!("unknown channel type {raw_kind}").into())
            })?,
            name: row.text("name")?,
            topic: row.opt_text("topic")?,
            position: small(row.int("position")?),
            parent_id: row.opt_int("parent_id")?.map(Snowflake::from_db),
            nsfw: row.flag("nsfw")?,
            rate_limit_per_user: unsigned(row.int("rate_limit_per_user")?),
            bitrate: row.opt_int("bitrate")?.map(unsigned),
            user_limit: row.opt_int("user_limit")?.map(unsigned),
            overwrites: Vec::new(),
            last_message_id: row.opt_int("last_message_id")?.map(Snowflake::from_db),
            created_at: row.int("created_at")?,
            updated_at: row.int("updated_at")?,
        })
    }
}

pub(crate) fn overwrite_from_row(row: &impl DbRow) -> Result<(Snowflake, Overwrite), sqlx::Error> {
    let raw_kind = row.int("kind")?;
    let kind = OverwriteKind::from_wire(raw_kind)
        .map_err(|_| sqlx::Error::Decode(format!("unknown overwrite kind {raw_kind}").into()))?;
    Ok((
        Snowflake::from_db(row.int("channel_id")?),
        Overwrite {
            id: Snowflake::from_db(row.int("target_id")?),
            kind,
            allow: bits_from_db(row.int("allow_bits")?),
            deny: bits_from_db(row.int("deny_bits")?),
        },
    ))
}

#[derive(Debug, Clone)]
pub struct NewChannel {
    pub id: Snowflake,
    pub guild_id: Snowflake,
    pub kind: ChannelKind,
    pub name: String,
    pub topic: Option<String>,
    /// `None` places the channel after the last one.
    pub position: Option<i32>,
    pub parent_id: Option<Snowflake>,
    pub nsfw: bool,
    pub rate_limit_per_user: u32,
    pub bitrate: Option<u32>,
    pub user_limit: Option<u32>,
    pub overwrites: Vec<Overwrite>,
    pub now_ms: i64,
    pub max_channels_per_guild: u32,
}

#[derive(Debug, Clone, Default)]
pub struct ChannelUpdate {
    pub name: Option<String>,
    pub topic: Option<Option<String>>,
    pub position: Option<i32>,
    pub parent_id: Option<Option<Snowflake>>,
    pub nsfw: Option<bool>,
    pub rate_limit_per_user: Option<u32>,
    pub bitrate: Option<u32>,
    pub user_limit: Option<u32>,
    /// Replace every overwrite with these (Discord's `permission_overwrites` on PATCH).
    pub overwrites: Option<Vec<Overwrite>>,
}

/// One entry of a bulk channel reorder.
#[derive(Debug, Clone)]
pub struct ChannelMove {
    pub id: Snowflake,
    pub position: Option<i32>,
    pub parent_id: Option<Option<Snowflake>>,
    /// Copy the new parent's overwrites onto the channel.
    pub lock_permissions: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MemberRecord {
    pub guild_id: Snowflake,
    pub user: UserRecord,
    pub nick: Option<String>,
    pub joined_at: i64,
    pub is_temporary: bool,
    pub communication_disabled_until: Option<i64>,
    /// Role ids other than @everyone, in no particular order.
    pub roles: Vec<Snowflake>,
}

impl MemberRecord {
    pub fn is_timed_out(&self, now_ms: i64) -> bool {
        self.communication_disabled_until
            .is_some_and(|until| until > now_ms)
    }
}

/// Everything the authorisation layer needs to decide what one member may do in one guild.
#[derive(Debug, Clone, PartialEq)]
pub struct GuildContext {
    pub guild: GuildRecord,
    pub member: MemberRecord,
    /// Every role of the guild, @everyone included, highest first.
    pub roles: Vec<RoleRecord>,
}

#[derive(Debug, Clone, Default)]
pub struct MemberUpdate {
    pub nick: Option<Option<String>>,
    /// Replace the member's roles with these (ids other than @everyone, already checked to belong to the guild).
    pub roles: Option<Vec<Snowflake>>,
    /// Time out until this unix-ms time (`Some(None)` lifts a timeout).
    pub communication_disabled_until: Option<Option<i64>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GuildInviteRecord {
    pub code: String,
    pub guild_id: Snowflake,
    pub channel_id: Snowflake,
    pub inviter_id: Option<Snowflake>,
    pub created_at: i64,
    pub max_age: u32,
    pub expires_at: Option<i64>,
    pub max_uses: u32,
    pub uses: u32,
    pub temporary: bool,
}

/// The columns `from_row` reads. A macro so queries are `&'static str` built at compile time.
macro_rules! invite_columns {
    () => {
        "i.code, i.guild_id, i.channel_id, i.inviter_id, i.created_at, i.max_age, \
     i.expires_at, i.max_uses, i.uses, i.temporary"
    };
}
pub(crate) use invite_columns;

impl GuildInviteRecord {
    pub(crate) fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            code: row.text("code")?,
            guild_id: Snowflake::from_db(row.int("guild_id")?),
            channel_id: Snowflake::from_db(row.int("channel_id")?),
            inviter_id: row.opt_int("inviter_id")?.map(Snowflake::from_db),
            created_at: row.int("created_at")?,
            max_age: unsigned(row.int("max_age")?),
            expires_at: row.opt_int("expires_at")?,
            max_uses: unsigned(row.int("max_uses")?),
            uses: unsigned(row.int("uses")?),
            temporary: row.flag("temporary")?,
        })
    }

    pub fn is_usable(&self, now_ms: i64) -> bool {
        self.expires_at.is_none_or(|at| at > now_ms)
            && (self.max_uses == 0 || self.uses < self.max_uses)
    }
}

#[derive(Debug, Clone)]
pub struct NewGuildInvite {
    pub code: hearth_core::InviteCode,
    pub guild_id: Snowflake,
    pub channel_id: Snowflake,
    pub inviter_id: Snowflake,
    /// Seconds; 0 never expires.
    pub max_age: u32,
    /// 0 is unlimited.
    pub max_uses: u32,
    pub temporary: bool,
    /// When false, an existing usable invite with the same settings from the same inviter is returned.
    pub unique: bool,
    pub now_ms: i64,
    pub max_invites_per_guild: u32,
}

/// An invite with what its public preview shows.
#[derive(Debug, Clone, PartialEq)]
pub struct InvitePreview {
    pub invite: GuildInviteRecord,
    pub guild: GuildRecord,
    pub channel_name: String,
    pub channel_kind: ChannelKind,
    pub inviter: Option<UserRecord>,
    pub member_count: i64,
    /// Members with a session used within the caller's window.
    pub active_count: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BanRecord {
    pub guild_id: Snowflake,
    pub user: UserRecord,
    pub reason: Option<String>,
    pub banned_by: Option<Snowflake>,
    pub created_at: i64,
}

/// What a ban removed: whether the user was a member, and the messages deleted with it per channel.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BanOutcome {
    pub was_member: bool,
    pub deleted_messages: Vec<(Snowflake, Vec<Snowflake>)>,
}
