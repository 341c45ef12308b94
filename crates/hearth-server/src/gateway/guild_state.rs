//! What the dispatcher knows about one guild to decide who may see each event: roles, channels with
//! their overwrites, the owner, and the roles of the members connected to this node.
//!
//! It is loaded from the store when the first member connects and then kept current from the events
//! themselves (each carries the whole changed object), in the order they are published, so every
//! decision uses the state as of that event. Resolution is `hearth_core::Subject`, the same function
//! the REST authorisation layer uses.

use std::collections::{HashMap, HashSet};

use hearth_core::{Overwrite, OverwriteKind, Permissions, Snowflake, Subject};
use hearth_protocol::channels::Channel;
use hearth_protocol::events::{
    GuildDeleted, GuildMemberEvent, GuildMemberRemoved, GuildRoleDeleted, GuildRoleEvent,
};
use hearth_protocol::guilds::Guild;
use hearth_store::{ChannelRecord, GuildRecord, MemberRecord, RoleRecord};

use crate::clock::{now_ms, parse_rfc3339};
use crate::http::views;

/// A connected member's roles and timeout.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemberPerms {
    /// Role ids other than @everyone.
    roles: Vec<Snowflake>,
    timed_out_until: Option<i64>,
}

#[derive(Debug, Clone)]
struct ChannelEntry {
    wire: Channel,
    overwrites: Vec<Overwrite>,
}

#[derive(Debug, Clone)]
pub struct GuildState {
    pub id: Snowflake,
    owner_id: Snowflake,
    roles: HashMap<Snowflake, Permissions>,
    channels: HashMap<Snowflake, ChannelEntry>,
    members: HashMap<Snowflake, MemberPerms>,
}

/// What applying an event changed, for the dispatcher's visibility bookkeeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Nothing that decides visibility.
    None,
    /// Permissions may have changed for every member.
    Permissions,
    /// The guild is gone.
    Deleted,
}

impl GuildState {
    pub fn load(
        guild: &GuildRecord,
        roles: &[RoleRecord],
        channels: &[ChannelRecord],
        members: &[MemberRecord],
    ) -> Self {
        Self {
            id: guild.id,
            owner_id: guild.owner_id,
            roles: roles.iter().map(|r| (r.id, r.permissions)).collect(),
            channels: channels
                .iter()
                .map(|c| {
                    (
                        c.id,
                        ChannelEntry {
                            wire: views::channel(c),
                            overwrites: c.overwrites.clone(),
                        },
                    )
                })
                .collect(),
            members: members
                .iter()
                .map(|m| {
                    (
                        m.user.id,
                        MemberPerms {
                            roles: m.roles.clone(),
                            timed_out_until: m.communication_disabled_until,
                        },
                    )
                })
                .collect(),
        }
    }

    pub fn has_member(&self, user: Snowflake) -> bool {
        self.members.contains_key(&user)
    }

    pub fn members(&self) -> impl Iterator<Item = Snowflake> + '_ {
        self.members.keys().copied()
    }

    pub fn remove_member(&mut self, user: Snowflake) {
        self.members.remove(&user);
    }

    /// The member's roles with their permissions: resolution's input.
    fn role_bits(&self, member: &MemberPerms) -> Vec<(Snowflake, Permissions)> {
        member
            .roles
            .iter()
            .filter_map(|id| self.roles.get(id).map(|p| (*id, *p)))
            .collect()
    }

    fn subject<'a>(
        &'a self,
        user: Snowflake,
        member: &MemberPerms,
        roles: &'a [(Snowflake, Permissions)],
    ) -> Subject<'a> {
        Subject {
            guild_id: self.id,
            user_id: user,
            is_owner: user == self.owner_id,
            is_timed_out: member.timed_out_until.is_some_and(|t| t > now_ms()),
            everyone: self
                .roles
                .get(&self.id)
                .copied()
                .unwrap_or(Permissions::empty()),
            roles,
        }
    }

    pub fn guild_permissions(&self, user: Snowflake) -> Permissions {
        let Some(member) = self.members.get(&user) else {
            return Permissions::empty();
        };
        let roles = self.role_bits(member);
        self.subject(user, member, &roles).guild_permissions()
    }

    pub fn channel_permissions(&self, user: Snowflake, channel: Snowflake) -> Permissions {
        let (Some(member), Some(entry)) = (self.members.get(&user), self.channels.get(&channel))
        else {
            return Permissions::empty();
        };
        let roles = self.role_bits(member);
        self.subject(user, member, &roles)
            .channel_permissions(&entry.overwrites)
    }

    /// The channels `user` can view.
    pub fn visible_channels(&self, user: Snowflake) -> HashSet<Snowflake> {
        let Some(member) = self.members.get(&user) else {
            return HashSet::new();
        };
        let roles = self.role_bits(member);
        let subject = self.subject(user, member, &roles);
        self.channels
            .iter()
            .filter(|(_, c)| {
                subject
                    .channel_permissions(&c.overwrites)
                    .contains(Permissions::VIEW_CHANNEL)
            })
            .map(|(id, _)| *id)
            .collect()
    }

    /// The wire form of a channel (for CHANNEL_CREATE/DELETE sent when visibility changes).
    pub fn channel(&self, id: Snowflake) -> Option<&Channel> {
        self.channels.get(&id).map(|c| &c.wire)
    }

    /// Applies a published event's change. Payloads that fail to parse change nothing (they come from
    /// this server's own serializer, so that would be a bug, logged).
    pub fn apply(&mut self, name: &str, data: &[u8]) -> Effect {
        match self.try_apply(name, data) {
            Ok(effect) => effect,
            Err(e) => {
                tracing::error!(event = name, error = %e, "could not apply event to guild state");
                Effect::None
            }
        }
    }

    fn try_apply(&mut self, name: &str, data: &[u8]) -> Result<Effect, serde_json::Error> {
        Ok(match name {
            "CHANNEL_CREATE" | "CHANNEL_UPDATE" => {
                let wire: Channel = serde_json::from_slice(data)?;
                let overwrites = wire
                    .permission_overwrites
                    .iter()
                    .filter_map(parse_overwrite)
                    .collect();
                if let Ok(id) = wire.id.parse() {
                    self.channels.insert(id, ChannelEntry { wire, overwrites });
                }
                Effect::Permissions
            }
            "CHANNEL_DELETE" => {
                let wire: Channel = serde_json::from_slice(data)?;
                if let Ok(id) = wire.id.parse::<Snowflake>() {
                    self.channels.remove(&id);
                }
                Effect::Permissions
            }
            "GUILD_ROLE_CREATE" | "GUILD_ROLE_UPDATE" => {
                let event: GuildRoleEvent = serde_json::from_slice(data)?;
                if let (Ok(id), Ok(bits)) = (
                    event.role.id.parse(),
                    Permissions::parse(&event.role.permissions),
                ) {
                    self.roles.insert(id, bits);
                }
                Effect::Permissions
            }
            "GUILD_ROLE_DELETE" => {
                let event: GuildRoleDeleted = serde_json::from_slice(data)?;
                if let Ok(id) = event.role_id.parse::<Snowflake>() {
                    self.roles.remove(&id);
                    for member in self.members.values_mut() {
                        member.roles.retain(|r| *r != id);
                    }
                    for channel in self.channels.values_mut() {
                        channel.overwrites.retain(|o| o.id != id);
                    }
                }
                Effect::Permissions
            }
            "GUILD_MEMBER_UPDATE" => {
                let event: GuildMemberEvent = serde_json::from_slice(data)?;
                if let Ok(user) = event.member.user.id.parse::<Snowflake>()
                    && let Some(member) = self.members.get_mut(&user)
                {
                    member.roles = event
                        .member
                        .roles
                        .iter()
                        .filter_map(|r| r.parse().ok())
                        .collect();
                    member.timed_out_until = event
                        .member
                        .communication_disabled_until
                        .as_deref()
                        .and_then(parse_rfc3339);
                }
                Effect::Permissions
            }
            "GUILD_MEMBER_REMOVE" => {
                let event: GuildMemberRemoved = serde_json::from_slice(data)?;
                if let Ok(user) = event.user.id.parse::<Snowflake>() {
                    self.members.remove(&user);
                }
                Effect::None
            }
            "GUILD_UPDATE" => {
                let guild: Guild = serde_json::from_slice(data)?;
                let owner = guild.owner_id.parse().unwrap_or(self.owner_id);
                let changed = owner != self.owner_id;
                self.owner_id = owner;
                if changed {
                    Effect::Permissions
                } else {
                    Effect::None
                }
            }
            "GUILD_DELETE" => {
                let _: GuildDeleted = serde_json::from_slice(data)?;
                Effect::Deleted
            }
            _ => Effect::None,
        })
    }
}

fn parse_overwrite(o: &hearth_protocol::channels::PermissionOverwrite) -> Option<Overwrite> {
    Some(Overwrite {
        id: o.id.parse().ok()?,
        kind: OverwriteKind::from_wire(o.kind).ok()?,
        allow: Permissions::parse(&o.allow).ok()?,
        deny: Permissions::parse(&o.deny).ok()?,
    })
}
