//! What the guild audit log records: the kinds of administrative action, numbered as Discord numbers
//! them so that existing tooling reads Hearth's log, with Hearth's own kinds from 1000.

/// One kind of administrative action. The discriminant is the wire and database code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum AuditAction {
    GuildUpdate = 1,
    ChannelCreate = 10,
    ChannelUpdate = 11,
    ChannelDelete = 12,
    ChannelOverwriteCreate = 13,
    ChannelOverwriteUpdate = 14,
    ChannelOverwriteDelete = 15,
    MemberKick = 20,
    MemberBanAdd = 22,
    MemberBanRemove = 23,
    /// Nickname or timeout (`communication_disabled_until`) changed.
    MemberUpdate = 24,
    MemberRoleUpdate = 25,
    RoleCreate = 30,
    RoleUpdate = 31,
    RoleDelete = 32,
    InviteCreate = 40,
    InviteDelete = 42,
    WebhookCreate = 50,
    WebhookUpdate = 51,
    WebhookDelete = 52,
    MessageDelete = 72,
    MessageBulkDelete = 73,
    MessagePin = 74,
    MessageUnpin = 75,
    AutoModerationRuleCreate = 140,
    AutoModerationRuleUpdate = 141,
    AutoModerationRuleDelete = 142,
    AutoModerationBlockMessage = 143,
    AutoModerationFlagToChannel = 144,
    AutoModerationUserCommunicationDisabled = 145,
    /// A moderator warned a member.
    MemberWarn = 1000,
    /// A moderator removed a warning.
    MemberWarningDelete = 1001,
    /// A report's status or assignee changed.
    ReportUpdate = 1010,
    /// Members started a vote to time out a member.
    VoteStart = 1020,
    /// A vote closed (passed, failed or cancelled); a passed one also records the timeout.
    VoteClose = 1021,
    /// The guild's voting-moderation settings changed.
    VoteSettingsUpdate = 1022,
}

impl AuditAction {
    pub const ALL: &'static [AuditAction] = &[
        Self::GuildUpdate,
        Self::ChannelCreate,
        Self::ChannelUpdate,
        Self::ChannelDelete,
        Self::ChannelOverwriteCreate,
        Self::ChannelOverwriteUpdate,
        Self::ChannelOverwriteDelete,
        Self::MemberKick,
        Self::MemberBanAdd,
        Self::MemberBanRemove,
        Self::MemberUpdate,
        Self::MemberRoleUpdate,
        Self::RoleCreate,
        Self::RoleUpdate,
        Self::RoleDelete,
        Self::InviteCreate,
        Self::InviteDelete,
        Self::WebhookCreate,
        Self::WebhookUpdate,
        Self::WebhookDelete,
        Self::MessageDelete,
        Self::MessageBulkDelete,
        Self::MessagePin,
        Self::MessageUnpin,
        Self::AutoModerationRuleCreate,
        Self::AutoModerationRuleUpdate,
        Self::AutoModerationRuleDelete,
        Self::AutoModerationBlockMessage,
        Self::AutoModerationFlagToChannel,
        Self::AutoModerationUserCommunicationDisabled,
        Self::MemberWarn,
        Self::MemberWarningDelete,
        Self::ReportUpdate,
        Self::VoteStart,
        Self::VoteClose,
        Self::VoteSettingsUpdate,
    ];

    pub fn code(self) -> u16 {
        self as u16
    }

    /// The action with this code; `None` for codes Hearth does not record.
    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|a| i64::from(a.code()) == code)
    }

    /// Discord's upper-case name (Hearth's own in the same style), for documentation and logs.
    pub fn name(self) -> &'static str {
        match self {
            Self::GuildUpdate => "GUILD_UPDATE",
            Self::ChannelCreate => "CHANNEL_CREATE",
            Self::ChannelUpdate => "CHANNEL_UPDATE",
            Self::ChannelDelete => "CHANNEL_DELETE",
            Self::ChannelOverwriteCreate => "CHANNEL_OVERWRITE_CREATE",
            Self::ChannelOverwriteUpdate => "CHANNEL_OVERWRITE_UPDATE",
            Self::ChannelOverwriteDelete => "CHANNEL_OVERWRITE_DELETE",
            Self::MemberKick => "MEMBER_KICK",
            Self::MemberBanAdd => "MEMBER_BAN_ADD",
            Self::MemberBanRemove => "MEMBER_BAN_REMOVE",
            Self::MemberUpdate => "MEMBER_UPDATE",
            Self::MemberRoleUpdate => "MEMBER_ROLE_UPDATE",
            Self::RoleCreate => "ROLE_CREATE",
            Self::RoleUpdate => "ROLE_UPDATE",
            Self::RoleDelete => "ROLE_DELETE",
            Self::InviteCreate => "INVITE_CREATE",
            Self::InviteDelete => "INVITE_DELETE",
            Self::WebhookCreate => "WEBHOOK_CREATE",
            Self::WebhookUpdate => "WEBHOOK_UPDATE",
            Self::WebhookDelete => "WEBHOOK_DELETE",
            Self::MessageDelete => "MESSAGE_DELETE",
            Self::MessageBulkDelete => "MESSAGE_BULK_DELETE",
            Self::MessagePin => "MESSAGE_PIN",
            Self::MessageUnpin => "MESSAGE_UNPIN",
            Self::AutoModerationRuleCreate => "AUTO_MODERATION_RULE_CREATE",
            Self::AutoModerationRuleUpdate => "AUTO_MODERATION_RULE_UPDATE",
            Self::AutoModerationRuleDelete => "AUTO_MODERATION_RULE_DELETE",
            Self::AutoModerationBlockMessage => "AUTO_MODERATION_BLOCK_MESSAGE",
            Self::AutoModerationFlagToChannel => "AUTO_MODERATION_FLAG_TO_CHANNEL",
            Self::AutoModerationUserCommunicationDisabled => {
                "AUTO_MODERATION_USER_COMMUNICATION_DISABLED"
            }
            Self::MemberWarn => "MEMBER_WARN",
            Self::MemberWarningDelete => "MEMBER_WARNING_DELETE",
            Self::ReportUpdate => "REPORT_UPDATE",
            Self::VoteStart => "VOTE_START",
            Self::VoteClose => "VOTE_CLOSE",
            Self::VoteSettingsUpdate => "VOTE_SETTINGS_UPDATE",
        }
    }
}

/// The longest reason an audit entry keeps, in characters (Discord's bound for `X-Audit-Log-Reason`).
pub const AUDIT_REASON_MAX_CHARS: usize = 512;

/// Longest page of `GET /guilds/{id}/audit-logs`.
pub const AUDIT_PAGE_MAX: u32 = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for action in AuditAction::ALL {
            assert!(seen.insert(action.code()), "{action:?} repeats a code");
            assert_eq!(
                AuditAction::from_code(i64::from(action.code())),
                Some(*action)
            );
        }
        assert_eq!(AuditAction::from_code(0), None);
        assert_eq!(AuditAction::from_code(-22), None);
        assert_eq!(AuditAction::from_code(i64::MAX), None);
    }

    #[test]
    fn discord_numbers_are_kept() {
        assert_eq!(AuditAction::MemberBanAdd.code(), 22);
        assert_eq!(AuditAction::MessageBulkDelete.code(), 73);
        assert_eq!(AuditAction::AutoModerationBlockMessage.code(), 143);
        assert_eq!(AuditAction::MemberUpdate.name(), "MEMBER_UPDATE");
    }
}
