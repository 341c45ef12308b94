//! Permissions: Discord's bitfield, its decimal wire form, and how a member's roles and a channel's
//! overwrites resolve into what that member may do there.
//!
//! Bits are Discord's, at Discord's positions, so that Discord clients and bots read them unchanged.
//! Hearth's own bits start at 60, far above Discord's, so Discord can keep adding bits without collision.
//! Every defined bit is below 63, so a permission set fits a signed `BIGINT` column as it is.
//!
//! Resolution follows <https://discord.com/developers/docs/topics/permissions>: "Permission
//! Hierarchy", "Permission Overwrites", "Implicit Permissions" and the timeout rules.

use std::fmt;
use std::str::FromStr;

use crate::{Snowflake, ValidationError};

bitflags::bitflags! {
    /// A set of permissions. `Permissions::all()` is every defined bit, what owners and administrators get.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Permissions: u64 {
        const CREATE_INSTANT_INVITE = 1 << 0;
        const KICK_MEMBERS = 1 << 1;
        const BAN_MEMBERS = 1 << 2;
        /// Every permission in every channel; overwrites do not apply.
        const ADMINISTRATOR = 1 << 3;
        const MANAGE_CHANNELS = 1 << 4;
        const MANAGE_GUILD = 1 << 5;
        const ADD_REACTIONS = 1 << 6;
        const VIEW_AUDIT_LOG = 1 << 7;
        const PRIORITY_SPEAKER = 1 << 8;
        /// Share a screen or camera in a voice channel.
        const STREAM = 1 << 9;
        const VIEW_CHANNEL = 1 << 10;
        const SEND_MESSAGES = 1 << 11;
        const SEND_TTS_MESSAGES = 1 << 12;
        /// Delete and pin other people's messages.
        const MANAGE_MESSAGES = 1 << 13;
        const EMBED_LINKS = 1 << 14;
        const ATTACH_FILES = 1 << 15;
        const READ_MESSAGE_HISTORY = 1 << 16;
        /// Mention @everyone and @here so that they notify.
        const MENTION_EVERYONE = 1 << 17;
        const USE_EXTERNAL_EMOJIS = 1 << 18;
        const VIEW_GUILD_INSIGHTS = 1 << 19;
        const CONNECT = 1 << 20;
        const SPEAK = 1 << 21;
        const MUTE_MEMBERS = 1 << 22;
        const DEAFEN_MEMBERS = 1 << 23;
        const MOVE_MEMBERS = 1 << 24;
        /// Speak on voice activity rather than push-to-talk only.
        const USE_VAD = 1 << 25;
        const CHANGE_NICKNAME = 1 << 26;
        const MANAGE_NICKNAMES = 1 << 27;
        const MANAGE_ROLES = 1 << 28;
        const MANAGE_WEBHOOKS = 1 << 29;
        /// Edit and delete emojis, stickers and sounds, including other people's.
        const MANAGE_GUILD_EXPRESSIONS = 1 << 30;
        const USE_APPLICATION_COMMANDS = 1 << 31;
        const REQUEST_TO_SPEAK = 1 << 32;
        const MANAGE_EVENTS = 1 << 33;
        const MANAGE_THREADS = 1 << 34;
        const CREATE_PUBLIC_THREADS = 1 << 35;
        const CREATE_PRIVATE_THREADS = 1 << 36;
        const USE_EXTERNAL_STICKERS = 1 << 37;
        const SEND_MESSAGES_IN_THREADS = 1 << 38;
        const USE_EMBEDDED_ACTIVITIES = 1 << 39;
        /// Time members out.
        const MODERATE_MEMBERS = 1 << 40;
        const VIEW_CREATOR_MONETIZATION_ANALYTICS = 1 << 41;
        const USE_SOUNDBOARD = 1 << 42;
        const CREATE_GUILD_EXPRESSIONS = 1 << 43;
        const CREATE_EVENTS = 1 << 44;
        const USE_EXTERNAL_SOUNDS = 1 << 45;
        const SEND_VOICE_MESSAGES = 1 << 46;
        const SEND_POLLS = 1 << 49;
        const USE_EXTERNAL_APPS = 1 << 50;
        const PIN_MESSAGES = 1 << 51;
        const BYPASS_SLOWMODE = 1 << 52;

        /// Hearth's own: see and resolve the guild's reports queue.
        const MANAGE_REPORTS = 1 << 60;
    }
}

/// What a timed-out member keeps (owners and administrators are exempt from timeouts).
const KEPT_WHILE_TIMED_OUT: Permissions =
    Permissions::VIEW_CHANNEL.union(Permissions::READ_MESSAGE_HISTORY);

/// What a member loses in a channel where they cannot send messages (Discord's implicit denial).
const NEEDS_SEND_MESSAGES: Permissions = Permissions::MENTION_EVERYONE
    .union(Permissions::SEND_TTS_MESSAGES)
    .union(Permissions::ATTACH_FILES)
    .union(Permissions::EMBED_LINKS);

/// What an overwrite can change. ADMINISTRATOR is a guild-wide grant decided by roles alone: an overwrite
/// allowing it must not make a channel's result claim it (Discord ignores it in overwrites too).
const OVERWRITABLE: Permissions = Permissions::all().difference(Permissions::ADMINISTRATOR);

impl Permissions {
    /// A new guild's @everyone role, after Discord's default: talk, react, share, join voice, use apps;
    /// nothing that moderates or manages, and no @everyone mentions.
    pub const DEFAULT_EVERYONE: Self = Self::from_bits_retain(
        Self::VIEW_CHANNEL.bits()
            | Self::CREATE_INSTANT_INVITE.bits()
            | Self::CHANGE_NICKNAME.bits()
            | Self::SEND_MESSAGES.bits()
            | Self::SEND_MESSAGES_IN_THREADS.bits()
            | Self::CREATE_PUBLIC_THREADS.bits()
            | Self::CREATE_PRIVATE_THREADS.bits()
            | Self::EMBED_LINKS.bits()
            | Self::ATTACH_FILES.bits()
            | Self::ADD_REACTIONS.bits()
            | Self::USE_EXTERNAL_EMOJIS.bits()
            | Self::USE_EXTERNAL_STICKERS.bits()
            | Self::READ_MESSAGE_HISTORY.bits()
            | Self::CONNECT.bits()
            | Self::SPEAK.bits()
            | Self::STREAM.bits()
            | Self::USE_VAD.bits()
            | Self::USE_APPLICATION_COMMANDS.bits()
            | Self::USE_EMBEDDED_ACTIVITIES.bits()
            | Self::USE_SOUNDBOARD.bits()
            | Self::USE_EXTERNAL_SOUNDS.bits()
            | Self::SEND_VOICE_MESSAGES.bits()
            | Self::SEND_POLLS.bits()
            | Self::USE_EXTERNAL_APPS.bits()
            | Self::REQUEST_TO_SPEAK.bits()
            | Self::CREATE_EVENTS.bits()
            | Self::CREATE_GUILD_EXPRESSIONS.bits(),
    );

    /// Parses the wire form: a decimal integer in a string (Discord API v8+; JSON numbers lose
    /// precision above 2^53). Undefined bits are refused rather than dropped, so that a client never
    /// believes it stored a permission Hearth does not know.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValidationError::Invalid(
                "permissions must be a decimal integer",
            ));
        }
        let bits: u64 = raw
            .parse()
            .map_err(|_| ValidationError::Invalid("permissions do not fit in 64 bits"))?;
        Self::from_bits(bits).ok_or(ValidationError::Invalid(
            "contains undefined permission bits",
        ))
    }

    /// Rebuilds a set read back from the store; never negative, since every defined bit is below 63.
    pub fn from_db(raw: i64) -> Self {
        Self::from_bits_truncate(raw as u64)
    }

    pub fn to_db(self) -> i64 {
        self.bits() as i64
    }

    /// The names of the set bits, lowest bit first, for messages such as "missing MANAGE_ROLES".
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        self.iter_names().map(|(name, _)| name)
    }
}

/// The wire form: the decimal value.
impl fmt::Display for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.bits().fmt(f)
    }
}

impl FromStr for Permissions {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Whom a channel overwrite targets, with Discord's `type` numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OverwriteKind {
    Role = 0,
    Member = 1,
}

impl OverwriteKind {
    pub fn from_wire(raw: i64) -> Result<Self, ValidationError> {
        match raw {
            0 => Ok(Self::Role),
            1 => Ok(Self::Member),
            _ => Err(ValidationError::Range { min: 0, max: 1 }),
        }
    }

    pub fn as_wire(self) -> u8 {
        self as u8
    }
}

/// A channel's adjustment for one role or one member. The @everyone overwrite is the role overwrite whose
/// id is the guild's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overwrite {
    pub id: Snowflake,
    pub kind: OverwriteKind,
    pub allow: Permissions,
    pub deny: Permissions,
}

/// Everything resolution needs to know about one member of one guild.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// Also the id of the @everyone role.
    pub guild_id: Snowflake,
    pub user_id: Snowflake,
    pub is_owner: bool,
    pub is_timed_out: bool,
    /// The @everyone role's permissions.
    pub everyone: Permissions,
    /// The member's other roles: (id, permissions).
    pub roles: &'a [(Snowflake, Permissions)],
}

impl Subject<'_> {
    /// What the member may do guild-wide (banning, managing roles, …).
    pub fn guild_permissions(&self) -> Permissions {
        if self.is_owner {
            return Permissions::all();
        }
        let base = self.base_permissions();
        if base.contains(Permissions::ADMINISTRATOR) {
            Permissions::all()
        } else if self.is_timed_out {
            base & KEPT_WHILE_TIMED_OUT
        } else {
            base
        }
    }

    /// What the member may do in a channel with these overwrites. Allocates nothing: the overwrites are
    /// folded into three allow/deny pairs in one pass, then applied in Discord's order.
    pub fn channel_permissions(&self, overwrites: &[Overwrite]) -> Permissions {
        if self.is_owner {
            return Permissions::all();
        }
        let base = self.base_permissions();
        if base.contains(Permissions::ADMINISTRATOR) {
            return Permissions::all();
        }

        // Duplicates for one target are merged rather than applied in slice order, so that the result
        // never depends on the order the store returned them in.
        let (mut everyone, mut roles, mut member) = (Grant::NONE, Grant::NONE, Grant::NONE);
        for overwrite in overwrites {
            let target = match overwrite.kind {
                OverwriteKind::Role if overwrite.id == self.guild_id => &mut everyone,
                OverwriteKind::Role if self.has_role(overwrite.id) => &mut roles,
                OverwriteKind::Member if overwrite.id == self.user_id => &mut member,
                _ => continue,
            };
            target.add(overwrite);
        }
        // All role denies go before all role allows: one role's allow beats another role's deny.
        let mut permissions = member.apply(roles.apply(everyone.apply(base)));

        if !permissions.contains(Permissions::VIEW_CHANNEL) {
            return Permissions::empty();
        }
        if !permissions.contains(Permissions::SEND_MESSAGES) {
            permissions.remove(NEEDS_SEND_MESSAGES);
        }
        if self.is_timed_out {
            permissions &= KEPT_WHILE_TIMED_OUT;
        }
        permissions
    }

    /// @everyone's permissions together with every role's, before any timeout.
    fn base_permissions(&self) -> Permissions {
        self.roles
            .iter()
            .fold(self.everyone, |all, (_, role)| all | *role)
    }

    fn has_role(&self, id: Snowflake) -> bool {
        self.roles.iter().any(|(role, _)| *role == id)
    }
}

/// The merged allow and deny of one step of overwrite resolution.
#[derive(Clone, Copy)]
struct Grant {
    allow: Permissions,
    deny: Permissions,
}

impl Grant {
    const NONE: Self = Self {
        allow: Permissions::empty(),
        deny: Permissions::empty(),
    };

    fn add(&mut self, overwrite: &Overwrite) {
        self.allow |= overwrite.allow & OVERWRITABLE;
        self.deny |= overwrite.deny & OVERWRITABLE;
    }

    /// Deny first, then allow: a bit both allowed and denied at the same step is allowed, as in Discord.
    fn apply(self, permissions: Permissions) -> Permissions {
        (permissions - self.deny) | self.allow
    }
}

#[cfg(test)]
mod tests;
