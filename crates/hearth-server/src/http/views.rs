//! Store records rendered as wire types.

use hearth_core::Overwrite;
use hearth_protocol::admin::InstanceInvite;
use hearth_protocol::auth::Session;
use hearth_protocol::channels::{Channel, PermissionOverwrite};
use hearth_protocol::events::GuildMemberEvent;
use hearth_protocol::guilds::Guild;
use hearth_protocol::invites::{Invite, InviteChannel, InviteGuild, InviteMetadata};
use hearth_protocol::members::{Ban, Member};
use hearth_protocol::messages::{Emoji, Message, MessageEvent, MessageReference, Reaction};
use hearth_protocol::roles::Role;
use hearth_protocol::users::{CurrentUser, User};
use hearth_store::{
    BanRecord, ChannelRecord, GuildInviteRecord, GuildRecord, InvitePreview, InviteRecord,
    MemberRecord, RoleRecord, SessionRecord, UserRecord,
};

use crate::clock::rfc3339;
use crate::media::signing::UrlSigner;
use hearth_protocol::media::Attachment;
use hearth_store::{AttachmentRecord, AttachmentState};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

pub fn user(u: &UserRecord) -> User {
    User {
        id: u.id.to_string(),
        username: u.username.as_str().to_owned(),
        global_name: u.global_name.clone(),
        bio: u.bio.clone(),
        pronouns: u.pronouns.clone(),
        avatar: u.avatar.clone(),
        banner: u.banner.clone(),
        bot: u.is_bot,
        created_at: rfc3339(u.created_at),
    }
}

pub fn current_user(u: &UserRecord) -> CurrentUser {
    CurrentUser {
        user: user(u),
        admin: u.is_admin,
        owner: u.is_owner,
        mfa_enabled: false,
    }
}

pub fn session(s: &SessionRecord, current: hearth_core::Snowflake) -> Session {
    Session {
        id: s.id.to_string(),
        created_at: rfc3339(s.created_at),
        last_used_at: rfc3339(s.last_used_at),
        ip: s.ip.clone(),
        client: s.client.clone(),
        current: s.id == current,
    }
}

pub fn invite(i: &InviteRecord) -> InstanceInvite {
    InstanceInvite {
        code: i.code.clone(),
        created_at: rfc3339(i.created_at),
        expires_at: i.expires_at.map(rfc3339),
        max_uses: i.max_uses,
        uses: i.uses,
        created_by: i.created_by.map(|id| id.to_string()),
    }
}

pub fn role(r: &RoleRecord) -> Role {
    Role {
        id: r.id.to_string(),
        name: r.name.clone(),
        color: r.color,
        hoist: r.hoist,
        mentionable: r.mentionable,
        position: r.position,
        permissions: r.permissions.to_string(),
        managed: false,
        icon: r.icon.clone(),
    }
}

pub fn guild(g: &GuildRecord, roles: &[RoleRecord], member_count: i64) -> Guild {
    Guild {
        id: g.id.to_string(),
        name: g.name.clone(),
        description: g.description.clone(),
        icon: g.icon.clone(),
        banner: g.banner.clone(),
        emojis: Vec::new(),
        owner_id: g.owner_id.to_string(),
        system_channel_id: g.system_channel_id.map(|id| id.to_string()),
        default_message_notifications: g.default_message_notifications,
        verification_level: g.verification_level,
        explicit_content_filter: g.explicit_content_filter,
        roles: roles.iter().map(role).collect(),
        features: Vec::new(),
        approximate_member_count: member_count,
        created_at: rfc3339(g.created_at),
    }
}

pub fn overwrite(o: &Overwrite) -> PermissionOverwrite {
    PermissionOverwrite {
        id: o.id.to_string(),
        kind: i64::from(o.kind.as_wire()),
        allow: o.allow.to_string(),
        deny: o.deny.to_string(),
    }
}

pub fn channel(c: &ChannelRecord) -> Channel {
    Channel {
        id: c.id.to_string(),
        kind: c.kind.as_wire(),
        guild_id: c.guild_id.to_string(),
        name: c.name.clone(),
        topic: c.topic.clone(),
        position: c.position,
        parent_id: c.parent_id.map(|id| id.to_string()),
        nsfw: c.nsfw,
        rate_limit_per_user: c.rate_limit_per_user,
        bitrate: c.bitrate,
        user_limit: c.user_limit,
        permission_overwrites: c.overwrites.iter().map(overwrite).collect(),
        last_message_id: c.last_message_id.map(|id| id.to_string()),
    }
}

pub fn member(m: &MemberRecord) -> Member {
    Member {
        user: user(&m.user),
        nick: m.nick.clone(),
        roles: m.roles.iter().map(|id| id.to_string()).collect(),
        joined_at: rfc3339(m.joined_at),
        pending: m.is_temporary,
        communication_disabled_until: m.communication_disabled_until.map(rfc3339),
    }
}

pub fn member_event(m: &MemberRecord) -> GuildMemberEvent {
    GuildMemberEvent {
        guild_id: m.guild_id.to_string(),
        member: member(m),
    }
}

pub fn invite_metadata(i: &GuildInviteRecord, inviter: Option<&UserRecord>) -> InviteMetadata {
    InviteMetadata {
        code: i.code.clone(),
        guild_id: i.guild_id.to_string(),
        channel_id: i.channel_id.to_string(),
        inviter: inviter.map(user),
        uses: i.uses,
        max_uses: i.max_uses,
        max_age: i.max_age,
        temporary: i.temporary,
        created_at: rfc3339(i.created_at),
        expires_at: i.expires_at.map(rfc3339),
    }
}

pub fn invite_preview(p: &InvitePreview) -> Invite {
    Invite {
        code: p.invite.code.clone(),
        guild: InviteGuild {
            id: p.guild.id.to_string(),
            name: p.guild.name.clone(),
            description: p.guild.description.clone(),
            icon: None,
        },
        channel: InviteChannel {
            id: p.invite.channel_id.to_string(),
            name: p.channel_name.clone(),
            kind: p.channel_kind.as_wire(),
        },
        inviter: p.inviter.as_ref().map(user),
        approximate_member_count: p.member_count,
        approximate_presence_count: p.active_count,
        expires_at: p.invite.expires_at.map(rfc3339),
    }
}

pub fn ban(b: &BanRecord) -> Ban {
    Ban {
        user: user(&b.user),
        reason: b.reason.clone(),
    }
}

/// A message as the API shows it. `nonce` is echoed only in the answer to (and event of) its send;
/// `signer` signs the attachments' download addresses.
pub fn message(
    m: &hearth_store::MessageRecord,
    nonce: Option<&str>,
    signer: &UrlSigner,
) -> Message {
    let expiry = signer.expiry(crate::clock::now_ms().max(0) as u64 / 1000);
    let mut view = message_without_original(m, signer, expiry);
    view.nonce = nonce.map(str::to_owned);
    // Present on every reply: the original, or null when it has been deleted.
    view.referenced_message = m.reference_id.map(|_| {
        m.referenced
            .as_deref()
            .map(|original| Box::new(message_without_original(original, signer, expiry)))
    });
    view
}

fn message_without_original(
    m: &hearth_store::MessageRecord,
    signer: &UrlSigner,
    expiry: u64,
) -> Message {
    Message {
        id: m.id.to_string(),
        channel_id: m.channel_id.to_string(),
        author: user(&m.author),
        content: m.content.clone(),
        timestamp: rfc3339(m.created_at),
        edited_timestamp: m.edited_at.map(rfc3339),
        tts: false,
        mention_everyone: m.mention_everyone,
        mentions: m.mentions.iter().map(user).collect(),
        mention_roles: m.mention_roles.iter().map(|id| id.to_string()).collect(),
        attachments: m
            .attachments
            .iter()
            .map(|a| attachment(a, signer, expiry))
            .collect(),
        embeds: m
            .embeds
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default(),
        reactions: Some(
            m.reactions
                .iter()
                .map(|r| Reaction {
                    count: r.count,
                    me: r.me,
                    emoji: emoji(&r.emoji),
                })
                .collect(),
        ),
        nonce: None,
        pinned: m.pinned_at.is_some(),
        kind: m.kind.as_wire(),
        flags: 0,
        message_reference: m.reference_id.map(|id| MessageReference {
            kind: 0,
            message_id: id.to_string(),
            channel_id: m.channel_id.to_string(),
            guild_id: m.guild_id.to_string(),
        }),
        referenced_message: None,
    }
}

/// An attachment with its download address signed until `expiry` (unix seconds).
pub fn attachment(a: &AttachmentRecord, signer: &UrlSigner, expiry: u64) -> Attachment {
    let name = utf8_percent_encode(&a.filename, PATH_SEGMENT);
    let url = format!(
        "/attachments/{}/{}/{name}?{}",
        a.channel_id,
        a.id,
        signer.query(a.channel_id, a.id, expiry)
    );
    Attachment {
        id: a.id.to_string(),
        filename: a.filename.clone(),
        description: a.description.clone(),
        content_type: a.content_type.clone(),
        size: a.size.max(0) as u64,
        proxy_url: url.clone(),
        url,
        width: a.width.and_then(|w| u32::try_from(w).ok()),
        height: a.height.and_then(|h| u32::try_from(h).ok()),
        placeholder: a.placeholder.clone(),
        duration_secs: a.duration_ms.map(|ms| ms as f64 / 1000.0),
        flags: a.flags.max(0) as u64,
        processing: a.state == AttachmentState::Waiting,
    }
}

/// Characters escaped in a filename put into a path segment: everything but unreserved ones.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// MESSAGE_CREATE and MESSAGE_UPDATE. Reactions are left out: their `me` differs per reader.
pub fn message_event(
    m: &hearth_store::MessageRecord,
    nonce: Option<&str>,
    signer: &UrlSigner,
) -> MessageEvent {
    let mut view = message(m, nonce, signer);
    view.reactions = None;
    if let Some(Some(original)) = &mut view.referenced_message {
        original.reactions = None;
    }
    MessageEvent {
        message: view,
        guild_id: m.guild_id.to_string(),
    }
}

/// A unicode emoji as reactions show it.
pub fn emoji(name: &str) -> Emoji {
    Emoji {
        id: None,
        name: name.to_owned(),
        animated: false,
    }
}

pub fn warning(w: &hearth_store::WarningRecord) -> hearth_protocol::moderation::Warning {
    hearth_protocol::moderation::Warning {
        id: w.id.to_string(),
        guild_id: w.guild_id.to_string(),
        user_id: w.user_id.to_string(),
        moderator_id: w.moderator_id.map(|m| m.to_string()),
        reason: w.reason.clone(),
        created_at: rfc3339(w.created_at),
    }
}
