//! Gateway dispatch events: every event Hearth emits, its payload, and who receives it.
//!
//! [`CATALOGUE`] is the one list of event names; the server emits nothing that is not in it, and the web
//! client handles everything that is (tests check both). Payloads follow Discord's shapes.

use serde::{Deserialize, Serialize};

use crate::automod::{AutoModActionExecution, AutoModRule};
use crate::channels::Channel;
use crate::gateway::{GatewayGuild, Presence, TypingStart};
use crate::guilds::Guild;
use crate::instance::{Announcement, AnnouncementDeleted};
use crate::invites::InviteMetadata;
use crate::members::Member;
use crate::messages::{
    ChannelPinsUpdate, EmojiReactionsCleared, MessageAck, MessageDeleted, MessageEvent,
    MessagesDeleted, ReactionEvent, ReactionsCleared,
};
use crate::moderation::{Report, WarningEvent};
use crate::roles::Role;
use crate::users::User;
use crate::votes::ModerationVote;

/// Who receives an event, as documentation for clients (the server's dispatcher enforces it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Every member of the guild.
    GuildMembers,
    /// Members who can view the channel (VIEW_CHANNEL after overwrites).
    ChannelViewers,
    /// Members with MANAGE_GUILD or MANAGE_CHANNELS on the invite's channel.
    InviteManagers,
    /// Members with BAN_MEMBERS.
    BanManagers,
    /// Members with MANAGE_GUILD (AutoMod rules and what they did).
    GuildManagers,
    /// Members with MODERATE_MEMBERS, and the member the event is about.
    MemberModerators,
    /// Members with MANAGE_REPORTS.
    ReportManagers,
    /// The user the event is about, on every session (e.g. a guild they left).
    Subject,
    /// The one session the event is about (READY, RESUMED).
    Session,
    /// Every signed-in session on the instance (instance announcements).
    Everyone,
}

/// One catalogue entry: the event's name, its audience, and the Hearth version that introduced it.
#[derive(Debug, Clone, Copy)]
pub struct EventInfo {
    pub name: &'static str,
    pub audience: Audience,
    pub since: &'static str,
}

const fn info(name: &'static str, audience: Audience) -> EventInfo {
    EventInfo {
        name,
        audience,
        since: "0.1",
    }
}

/// Every dispatch event name.
pub const CATALOGUE: &[EventInfo] = &[
    // Session events: sent by the gateway to one session, not published on the bus.
    info("READY", Audience::Session),
    info("RESUMED", Audience::Session),
    info("TYPING_START", Audience::ChannelViewers),
    info("PRESENCE_UPDATE", Audience::GuildMembers),
    info("GUILD_CREATE", Audience::Subject),
    info("GUILD_UPDATE", Audience::GuildMembers),
    info("GUILD_DELETE", Audience::GuildMembers),
    info("CHANNEL_CREATE", Audience::ChannelViewers),
    info("CHANNEL_UPDATE", Audience::ChannelViewers),
    info("CHANNEL_DELETE", Audience::ChannelViewers),
    info("GUILD_ROLE_CREATE", Audience::GuildMembers),
    info("GUILD_ROLE_UPDATE", Audience::GuildMembers),
    info("GUILD_ROLE_DELETE", Audience::GuildMembers),
    info("GUILD_MEMBER_ADD", Audience::GuildMembers),
    info("GUILD_MEMBER_UPDATE", Audience::GuildMembers),
    info("GUILD_MEMBER_REMOVE", Audience::GuildMembers),
    info("GUILD_BAN_ADD", Audience::BanManagers),
    info("GUILD_BAN_REMOVE", Audience::BanManagers),
    info("MODERATION_VOTE_CREATE", Audience::GuildMembers),
    info("MODERATION_VOTE_UPDATE", Audience::GuildMembers),
    info("MODERATION_VOTE_CLOSE", Audience::GuildMembers),
    info("GUILD_MEMBER_WARNING_CREATE", Audience::MemberModerators),
    info("GUILD_MEMBER_WARNING_DELETE", Audience::MemberModerators),
    info("REPORT_CREATE", Audience::ReportManagers),
    info("REPORT_UPDATE", Audience::ReportManagers),
    info("AUTO_MODERATION_RULE_CREATE", Audience::GuildManagers),
    info("AUTO_MODERATION_RULE_UPDATE", Audience::GuildManagers),
    info("AUTO_MODERATION_RULE_DELETE", Audience::GuildManagers),
    info("AUTO_MODERATION_ACTION_EXECUTION", Audience::GuildManagers),
    info("INVITE_CREATE", Audience::InviteManagers),
    info("INVITE_DELETE", Audience::InviteManagers),
    info("MESSAGE_CREATE", Audience::ChannelViewers),
    info("MESSAGE_UPDATE", Audience::ChannelViewers),
    info("MESSAGE_DELETE", Audience::ChannelViewers),
    info("MESSAGE_DELETE_BULK", Audience::ChannelViewers),
    info("MESSAGE_REACTION_ADD", Audience::ChannelViewers),
    info("MESSAGE_REACTION_REMOVE", Audience::ChannelViewers),
    info("MESSAGE_REACTION_REMOVE_ALL", Audience::ChannelViewers),
    info("MESSAGE_REACTION_REMOVE_EMOJI", Audience::ChannelViewers),
    info("CHANNEL_PINS_UPDATE", Audience::ChannelViewers),
    info("MESSAGE_ACK", Audience::Subject),
    info("ANNOUNCEMENT_CREATE", Audience::Everyone),
    info("ANNOUNCEMENT_DELETE", Audience::Everyone),
];

/// A dispatch event's payload (`d`). Serializes to the payload alone; [`Event::name`] gives `t`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Event {
    /// Sent to a user who joins or creates a guild: the guild as they see it.
    GuildCreate(Box<GatewayGuild>),
    TypingStart(TypingStart),
    PresenceUpdate(Presence),
    GuildUpdate(Guild),
    GuildDelete(GuildDeleted),
    ChannelCreate(Channel),
    ChannelUpdate(Channel),
    ChannelDelete(Channel),
    GuildRoleCreate(GuildRoleEvent),
    GuildRoleUpdate(GuildRoleEvent),
    GuildRoleDelete(GuildRoleDeleted),
    GuildMemberAdd(GuildMemberEvent),
    GuildMemberUpdate(GuildMemberEvent),
    GuildMemberRemove(GuildMemberRemoved),
    GuildBanAdd(GuildBanEvent),
    GuildBanRemove(GuildBanEvent),
    ModerationVoteCreate(Box<ModerationVote>),
    ModerationVoteUpdate(Box<ModerationVote>),
    ModerationVoteClose(Box<ModerationVote>),
    GuildMemberWarningCreate(Box<WarningEvent>),
    GuildMemberWarningDelete(Box<WarningEvent>),
    ReportCreate(Box<Report>),
    ReportUpdate(Box<Report>),
    AutoModerationRuleCreate(Box<AutoModRule>),
    AutoModerationRuleUpdate(Box<AutoModRule>),
    AutoModerationRuleDelete(Box<AutoModRule>),
    AutoModerationActionExecution(Box<AutoModActionExecution>),
    InviteCreate(InviteMetadata),
    InviteDelete(InviteDeleted),
    MessageCreate(Box<MessageEvent>),
    MessageUpdate(Box<MessageEvent>),
    MessageDelete(MessageDeleted),
    MessageDeleteBulk(MessagesDeleted),
    MessageReactionAdd(ReactionEvent),
    MessageReactionRemove(ReactionEvent),
    MessageReactionRemoveAll(ReactionsCleared),
    MessageReactionRemoveEmoji(EmojiReactionsCleared),
    ChannelPinsUpdate(ChannelPinsUpdate),
    /// Sent to the user whose read marker moved, on every session.
    MessageAck(MessageAck),
    /// An instance announcement was posted.
    AnnouncementCreate(Box<Announcement>),
    /// An instance announcement was deleted.
    AnnouncementDelete(AnnouncementDeleted),
}

impl Event {
    /// The `t` of the dispatch frame.
    pub fn name(&self) -> &'static str {
        match self {
            Self::GuildCreate(_) => "GUILD_CREATE",
            Self::TypingStart(_) => "TYPING_START",
            Self::PresenceUpdate(_) => "PRESENCE_UPDATE",
            Self::GuildUpdate(_) => "GUILD_UPDATE",
            Self::GuildDelete(_) => "GUILD_DELETE",
            Self::ChannelCreate(_) => "CHANNEL_CREATE",
            Self::ChannelUpdate(_) => "CHANNEL_UPDATE",
            Self::ChannelDelete(_) => "CHANNEL_DELETE",
            Self::GuildRoleCreate(_) => "GUILD_ROLE_CREATE",
            Self::GuildRoleUpdate(_) => "GUILD_ROLE_UPDATE",
            Self::GuildRoleDelete(_) => "GUILD_ROLE_DELETE",
            Self::GuildMemberAdd(_) => "GUILD_MEMBER_ADD",
            Self::GuildMemberUpdate(_) => "GUILD_MEMBER_UPDATE",
            Self::GuildMemberRemove(_) => "GUILD_MEMBER_REMOVE",
            Self::GuildBanAdd(_) => "GUILD_BAN_ADD",
            Self::GuildBanRemove(_) => "GUILD_BAN_REMOVE",
            Self::ModerationVoteCreate(_) => "MODERATION_VOTE_CREATE",
            Self::ModerationVoteUpdate(_) => "MODERATION_VOTE_UPDATE",
            Self::ModerationVoteClose(_) => "MODERATION_VOTE_CLOSE",
            Self::GuildMemberWarningCreate(_) => "GUILD_MEMBER_WARNING_CREATE",
            Self::GuildMemberWarningDelete(_) => "GUILD_MEMBER_WARNING_DELETE",
            Self::ReportCreate(_) => "REPORT_CREATE",
            Self::ReportUpdate(_) => "REPORT_UPDATE",
            Self::AutoModerationRuleCreate(_) => "AUTO_MODERATION_RULE_CREATE",
            Self::AutoModerationRuleUpdate(_) => "AUTO_MODERATION_RULE_UPDATE",
            Self::AutoModerationRuleDelete(_) => "AUTO_MODERATION_RULE_DELETE",
            Self::AutoModerationActionExecution(_) => "AUTO_MODERATION_ACTION_EXECUTION",
            Self::InviteCreate(_) => "INVITE_CREATE",
            Self::InviteDelete(_) => "INVITE_DELETE",
            Self::MessageCreate(_) => "MESSAGE_CREATE",
            Self::MessageUpdate(_) => "MESSAGE_UPDATE",
            Self::MessageDelete(_) => "MESSAGE_DELETE",
            Self::MessageDeleteBulk(_) => "MESSAGE_DELETE_BULK",
            Self::MessageReactionAdd(_) => "MESSAGE_REACTION_ADD",
            Self::MessageReactionRemove(_) => "MESSAGE_REACTION_REMOVE",
            Self::MessageReactionRemoveAll(_) => "MESSAGE_REACTION_REMOVE_ALL",
            Self::MessageReactionRemoveEmoji(_) => "MESSAGE_REACTION_REMOVE_EMOJI",
            Self::ChannelPinsUpdate(_) => "CHANNEL_PINS_UPDATE",
            Self::MessageAck(_) => "MESSAGE_ACK",
            Self::AnnouncementCreate(_) => "ANNOUNCEMENT_CREATE",
            Self::AnnouncementDelete(_) => "ANNOUNCEMENT_DELETE",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GuildDeleted {
    pub id: String,
    /// Always false: the guild is gone (or the user left it), not an outage.
    pub unavailable: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GuildRoleEvent {
    pub guild_id: String,
    pub role: Role,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GuildRoleDeleted {
    pub guild_id: String,
    pub role_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GuildMemberEvent {
    pub guild_id: String,
    #[serde(flatten)]
    pub member: Member,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GuildMemberRemoved {
    pub guild_id: String,
    pub user: User,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GuildBanEvent {
    pub guild_id: String,
    pub user: User,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InviteDeleted {
    pub guild_id: String,
    pub channel_id: String,
    pub code: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_names_are_unique() {
        let mut names: Vec<_> = CATALOGUE.iter().map(|e| e.name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len());
    }

    #[test]
    fn every_event_is_in_the_catalogue() {
        let deleted = Event::GuildDelete(GuildDeleted {
            id: "1".into(),
            unavailable: false,
        });
        let role_deleted = Event::GuildRoleDelete(GuildRoleDeleted {
            guild_id: "1".into(),
            role_id: "2".into(),
        });
        let invite_deleted = Event::InviteDelete(InviteDeleted {
            guild_id: "1".into(),
            channel_id: "2".into(),
            code: "c".into(),
        });
        for event in [deleted, role_deleted, invite_deleted] {
            assert!(CATALOGUE.iter().any(|e| e.name == event.name()));
        }
        // The match in `name` is exhaustive, so a new variant cannot compile without a name; this
        // checks that each name the match can return is listed.
        let source = include_str!("events.rs");
        let start = source.find("pub fn name").unwrap();
        let body = &source[start..start + source[start..].find("\n    }\n").unwrap()];
        for name in body.split('"').skip(1).step_by(2) {
            assert!(
                CATALOGUE.iter().any(|e| e.name == name),
                "{name} is emitted but not catalogued"
            );
        }
    }
}
