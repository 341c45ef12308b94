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

use crate::bus::Audience;
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

/// Events whose change can show or hide channels, so the dispatcher compares visibility around them.
pub fn may_change_visibility(name: &str) -> bool {
    matches!(
        name,
        "CHANNEL_UPDATE"
            | "CHANNEL_DELETE"
            | "GUILD_ROLE_UPDATE"
            | "GUILD_ROLE_DELETE"
            | "GUILD_MEMBER_UPDATE"
            | "GUILD_UPDATE"
    )
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

    /// Counts a member who connected after the state was loaded.
    pub fn add_member(&mut self, member: &MemberRecord) {
        self.members.insert(
            member.user.id,
            MemberPerms {
                roles: member.roles.clone(),
                timed_out_until: member.communication_disabled_until,
            },
        );
    }

    pub fn remove_member(&mut self, user: Snowflake) {
        self.members.remove(&user);
    }

    /// Fills `buf` with the member's roles and their permissions (resolution's input), reusing its
    /// allocation across members.
    fn role_bits(&self, member: &MemberPerms, buf: &mut Vec<(Snowflake, Permissions)>) {
        buf.clear();
        buf.extend(
            member
                .roles
                .iter()
                .filter_map(|id| self.roles.get(id).map(|p| (*id, *p))),
        );
    }

    fn subject<'a>(
        &self,
        user: Snowflake,
        member: &MemberPerms,
        roles: &'a [(Snowflake, Permissions)],
        now_ms: i64,
    ) -> Subject<'a> {
        Subject {
            guild_id: self.id,
            user_id: user,
            is_owner: user == self.owner_id,
            is_timed_out: member.timed_out_until.is_some_and(|t| t > now_ms),
            everyone: self
                .roles
                .get(&self.id)
                .copied()
                .unwrap_or(Permissions::empty()),
            roles,
        }
    }

    /// The connected members an event with this audience goes to. This runs for every event on the
    /// fan-out path, so it reads the clock once and allocates one role buffer for all members.
    pub fn audience(&self, audience: &Audience) -> Vec<Snowflake> {
        let now = now_ms();
        let mut roles = Vec::new();
        let mut recipients = Vec::new();
        for (user, member) in &self.members {
            self.role_bits(member, &mut roles);
            let subject = self.subject(*user, member, &roles, now);
            let in_channel = |channel: &Snowflake, needed: Permissions| {
                self.channels
                    .get(channel)
                    .is_some_and(|c| subject.channel_permissions(&c.overwrites).contains(needed))
            };
            let wanted = match audience {
                Audience::Guild(_) => true,
                Audience::GuildWith { permission, .. } => {
                    subject.guild_permissions().contains(*permission)
                }
                Audience::Channel { channel_id, .. } => {
                    in_channel(channel_id, Permissions::VIEW_CHANNEL)
                }
                Audience::ChannelWith {
                    channel_id,
                    permission,
                    ..
                } => in_channel(channel_id, Permissions::VIEW_CHANNEL | *permission),
                Audience::User(u) => u == user,
                // Routed by the dispatcher before guild state is consulted.
                Audience::Everyone => true,
            };
            if wanted {
                recipients.push(*user);
            }
        }
        recipients
    }

    /// Every connected member's viewable channels.
    pub fn visibility(&self) -> HashMap<Snowflake, HashSet<Snowflake>> {
        let now = now_ms();
        let mut roles = Vec::new();
        self.members
            .iter()
            .map(|(user, member)| {
                self.role_bits(member, &mut roles);
                let subject = self.subject(*user, member, &roles, now);
                let visible = self
                    .channels
                    .iter()
                    .filter(|(_, c)| {
                        subject
                            .channel_permissions(&c.overwrites)
                            .contains(Permissions::VIEW_CHANNEL)
                    })
                    .map(|(id, _)| *id)
                    .collect();
                (*user, visible)
            })
            .collect()
    }

    /// The wire form of a channel (for CHANNEL_CREATE/DELETE sent when visibility changes).
    pub fn channel(&self, id: Snowflake) -> Option<&Channel> {
        self.channels.get(&id).map(|c| &c.wire)
    }

    /// Applies a published event's change. Payloads that fail to parse change nothing (they come from
    /// this server's own serializer, so that would be a bug, logged).
    /// Returns whether the event deleted the guild.
    pub fn apply(&mut self, name: &str, data: &[u8]) -> bool {
        match self.try_apply(name, data) {
            Ok(deleted) => deleted,
            Err(e) => {
                tracing::error!(event = name, error = %e, "could not apply event to guild state");
                false
            }
        }
    }

    fn try_apply(&mut self, name: &str, data: &[u8]) -> Result<bool, serde_json::Error> {
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
                false
            }
            "CHANNEL_DELETE" => {
                let wire: Channel = serde_json::from_slice(data)?;
                if let Ok(id) = wire.id.parse::<Snowflake>() {
                    self.channels.remove(&id);
                }
                false
            }
            "GUILD_ROLE_CREATE" | "GUILD_ROLE_UPDATE" => {
                let event: GuildRoleEvent = serde_json::from_slice(data)?;
                if let (Ok(id), Ok(bits)) = (
                    event.role.id.parse(),
                    Permissions::parse(&event.role.permissions),
                ) {
                    self.roles.insert(id, bits);
                }
                false
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
                false
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
                false
            }
            "GUILD_MEMBER_REMOVE" => {
                let event: GuildMemberRemoved = serde_json::from_slice(data)?;
                if let Ok(user) = event.user.id.parse::<Snowflake>() {
                    self.members.remove(&user);
                }
                false
            }
            "GUILD_UPDATE" => {
                let guild: Guild = serde_json::from_slice(data)?;
                let owner = guild.owner_id.parse().unwrap_or(self.owner_id);
                self.owner_id = owner;
                false
            }
            "GUILD_DELETE" => {
                let _: GuildDeleted = serde_json::from_slice(data)?;
                true
            }
            _ => false,
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
