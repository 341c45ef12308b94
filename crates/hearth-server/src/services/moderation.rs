//! Moderation actions on members: kick, ban (with message deletion), timeout and warnings. Shared by
//! the member and ban endpoints, report actions and voting moderation, so that each action checks the
//! same permission and hierarchy rules, writes its audit entry in the change's transaction and
//! publishes the same events wherever it is taken from.

use hearth_core::{AuditAction, Permissions, Snowflake};
use hearth_protocol::events::{Event, GuildBanEvent};
use hearth_protocol::messages::MessagesDeleted;
use hearth_protocol::moderation::WarningEvent;
use hearth_store::{MemberRecord, NewAuditEntry, UserRecord, WarningRecord};

use crate::bus::Audience;
use crate::clock::{now_ms, rfc3339};
use crate::error::{ApiError, ApiResult};
use crate::http::guilds::publish_member_gone;
use crate::http::views;
use crate::services::access::GuildAccess;
use crate::state::AppState;

/// Longest timeout (Discord's bound): 28 days.
pub const MAX_TIMEOUT_MS: i64 = 28 * 24 * 3600 * 1000;
/// Longest window of messages a ban deletes (Discord's bound): 7 days.
pub const MAX_DELETE_MESSAGE_SECONDS: i64 = 7 * 24 * 3600;

/// Whether the member holds ADMINISTRATOR in the guild (or owns it): such members cannot be timed
/// out, as in Discord, since their permissions would ignore the timeout anyway.
fn is_administrator(access: &GuildAccess, target: &MemberRecord) -> bool {
    access
        .permissions_of(target)
        .contains(Permissions::ADMINISTRATOR)
}

/// Refuses acting on oneself and on members at or above the actor.
fn require_may_moderate(access: &GuildAccess, target: &MemberRecord, verb: &str) -> ApiResult<()> {
    if target.user.id == access.user_id() {
        return Err(ApiError::field(
            "user_id",
            format!("you cannot {verb} yourself"),
        ));
    }
    access.require_outranks_member(target)
}

/// Removes a member (KICK_MEMBERS, below the actor). They may rejoin with an invite.
pub async fn kick(
    state: &AppState,
    access: &GuildAccess,
    target: &MemberRecord,
    reason: Option<String>,
) -> ApiResult<()> {
    access.require(Permissions::KICK_MEMBERS)?;
    require_may_moderate(access, target, "kick")?;
    let audit = access
        .audit(state, AuditAction::MemberKick, reason)
        .target(target.user.id);
    if state
        .store
        .kick_member(access.guild_id(), target.user.id, &audit)
        .await?
    {
        publish_member_gone(state, access, &target.user);
    }
    Ok(())
}

/// Bans a user, member or not (BAN_MEMBERS; a member must rank below the actor), deleting their
/// messages of the last `delete_message_seconds` (0–7 days).
pub async fn ban(
    state: &AppState,
    access: &GuildAccess,
    user: &UserRecord,
    reason: Option<String>,
    delete_message_seconds: i64,
) -> ApiResult<()> {
    access.require(Permissions::BAN_MEMBERS)?;
    if user.id == access.user_id() {
        return Err(ApiError::field("user_id", "you cannot ban yourself"));
    }
    if !(0..=MAX_DELETE_MESSAGE_SECONDS).contains(&delete_message_seconds) {
        return Err(ApiError::field(
            "delete_message_seconds",
            format!("must be between 0 and {MAX_DELETE_MESSAGE_SECONDS}"),
        ));
    }
    if let Some(member) = state.store.member(access.guild_id(), user.id).await? {
        access.require_outranks_member(&member)?;
    }
    let now = now_ms();
    let delete_from = (delete_message_seconds > 0)
        .then(|| hearth_core::message::first_id_at(now - delete_message_seconds * 1000));
    let mut audit = access
        .audit(state, AuditAction::MemberBanAdd, reason.clone())
        .target(user.id);
    if delete_message_seconds > 0 {
        audit = audit.option("delete_message_seconds", delete_message_seconds.to_string());
    }
    let outcome = state
        .store
        .ban_member(
            access.guild_id(),
            user.id,
            reason.as_deref(),
            access.user_id(),
            now,
            delete_from,
            &audit,
        )
        .await?;
    if outcome.was_member {
        publish_member_gone(state, access, user);
    }
    for (channel_id, ids) in &outcome.deleted_messages {
        state.bus.publish(
            Audience::Channel {
                guild_id: access.guild_id(),
                channel_id: *channel_id,
            },
            &Event::MessageDeleteBulk(MessagesDeleted {
                ids: ids.iter().map(Snowflake::to_string).collect(),
                channel_id: channel_id.to_string(),
                guild_id: access.guild_id().to_string(),
            }),
        );
    }
    state.bus.publish(
        ban_audience(access.guild_id()),
        &Event::GuildBanAdd(GuildBanEvent {
            guild_id: access.guild_id().to_string(),
            user: views::user(user),
        }),
    );
    Ok(())
}

pub fn ban_audience(guild_id: Snowflake) -> Audience {
    Audience::GuildWith {
        guild_id,
        permission: Permissions::BAN_MEMBERS,
    }
}

/// Checks a timeout's end: in the future and at most [`MAX_TIMEOUT_MS`] ahead (`None` lifts it).
pub fn check_timeout_until(until: Option<i64>, now_ms: i64) -> ApiResult<Option<i64>> {
    match until {
        Some(t) if t <= now_ms => Err(ApiError::field(
            "communication_disabled_until",
            "must be in the future (or null to lift the timeout)",
        )),
        Some(t) if t - now_ms > MAX_TIMEOUT_MS => Err(ApiError::field(
            "communication_disabled_until",
            "must be at most 28 days ahead",
        )),
        other => Ok(other),
    }
}

/// The permission and hierarchy checks of a timeout by `access`'s member (MODERATE_MEMBERS, below
/// the actor, not an administrator).
pub fn require_may_time_out(access: &GuildAccess, target: &MemberRecord) -> ApiResult<()> {
    access.require(Permissions::MODERATE_MEMBERS)?;
    require_may_moderate(access, target, "time out")?;
    if is_administrator(access, target) {
        return Err(ApiError::Hierarchy("administrators cannot be timed out"));
    }
    Ok(())
}

/// The audit entry of a timeout change (Discord records it as MEMBER_UPDATE).
pub fn timeout_audit(
    entry: NewAuditEntry,
    target: &MemberRecord,
    until: Option<i64>,
) -> NewAuditEntry {
    entry.target(target.user.id).change(
        "communication_disabled_until",
        target.communication_disabled_until.map(rfc3339),
        until.map(rfc3339),
    )
}

/// Times a member out until `until`, or lifts the timeout, with the given audit entry (a moderator's,
/// AutoMod's or a vote's), and tells the guild.
pub async fn apply_timeout(
    state: &AppState,
    target: &MemberRecord,
    until: Option<i64>,
    audit: &NewAuditEntry,
) -> ApiResult<MemberRecord> {
    let member = state
        .store
        .set_member_timeout(target.guild_id, target.user.id, until, audit)
        .await?;
    state.bus.publish(
        Audience::Guild(member.guild_id),
        &Event::GuildMemberUpdate(views::member_event(&member)),
    );
    Ok(member)
}

/// A moderator times a member out (or lifts it).
pub async fn timeout(
    state: &AppState,
    access: &GuildAccess,
    target: &MemberRecord,
    until: Option<i64>,
    reason: Option<String>,
) -> ApiResult<MemberRecord> {
    require_may_time_out(access, target)?;
    let until = check_timeout_until(until, now_ms())?;
    let audit = timeout_audit(
        access.audit(state, AuditAction::MemberUpdate, reason),
        target,
        until,
    );
    apply_timeout(state, target, until, &audit).await
}

/// Longest warning reason, in characters.
pub const WARNING_REASON_MAX_CHARS: usize = 512;

/// Warns a member (MODERATE_MEMBERS, below the actor); the member is told over the gateway.
pub async fn warn(
    state: &AppState,
    access: &GuildAccess,
    target: &MemberRecord,
    reason: &str,
) -> ApiResult<WarningRecord> {
    access.require(Permissions::MODERATE_MEMBERS)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > WARNING_REASON_MAX_CHARS {
        return Err(ApiError::field(
            "reason",
            format!("must be 1 to {WARNING_REASON_MAX_CHARS} characters"),
        ));
    }
    if reason.chars().any(char::is_control) {
        return Err(ApiError::field(
            "reason",
            "must not contain control characters",
        ));
    }
    require_may_moderate(access, target, "warn")?;
    let warning = WarningRecord {
        id: state.next_id(),
        guild_id: access.guild_id(),
        user_id: target.user.id,
        moderator_id: Some(access.user_id()),
        reason: reason.to_owned(),
        created_at: now_ms(),
    };
    let audit = access
        .audit(state, AuditAction::MemberWarn, Some(reason.to_owned()))
        .target(target.user.id)
        .option("warning_id", warning.id.to_string());
    state.store.add_warning(&warning, &audit).await?;
    let moderator = access
        .permissions_of(target)
        .contains(Permissions::MODERATE_MEMBERS);
    publish_warning(state, &warning, &target.user, true, moderator).await?;
    Ok(warning)
}

/// Removes a warning (MODERATE_MEMBERS). `member` is the warned user's membership, if they are
/// still a member.
pub async fn delete_warning(
    state: &AppState,
    access: &GuildAccess,
    user: &UserRecord,
    member: Option<&MemberRecord>,
    warning: &WarningRecord,
    reason: Option<String>,
) -> ApiResult<bool> {
    access.require(Permissions::MODERATE_MEMBERS)?;
    let audit = access
        .audit(state, AuditAction::MemberWarningDelete, reason)
        .target(user.id)
        .option("warning_id", warning.id.to_string())
        .change("reason", Some(&warning.reason), None::<&str>);
    let deleted = state
        .store
        .delete_warning(access.guild_id(), user.id, warning.id, &audit)
        .await?;
    if deleted {
        let moderator = member.is_some_and(|m| {
            access
                .permissions_of(m)
                .contains(Permissions::MODERATE_MEMBERS)
        });
        publish_warning(state, warning, user, false, moderator).await?;
    }
    Ok(deleted)
}

/// Tells the guild's moderators and the warned user; a user who is a moderator themselves is reached
/// by the first publication only, so no session gets the event twice.
async fn publish_warning(
    state: &AppState,
    warning: &WarningRecord,
    user: &UserRecord,
    created: bool,
    user_is_moderator: bool,
) -> ApiResult<()> {
    let count = state
        .store
        .warning_count(warning.guild_id, warning.user_id)
        .await?;
    let payload = Box::new(WarningEvent {
        guild_id: warning.guild_id.to_string(),
        warning: views::warning(warning),
        warning_count: count,
        user: views::user(user),
    });
    let event = if created {
        Event::GuildMemberWarningCreate(payload)
    } else {
        Event::GuildMemberWarningDelete(payload)
    };
    state.bus.publish(
        Audience::GuildWith {
            guild_id: warning.guild_id,
            permission: Permissions::MODERATE_MEMBERS,
        },
        &event,
    );
    if !user_is_moderator {
        state.bus.publish(Audience::User(warning.user_id), &event);
    }
    Ok(())
}
