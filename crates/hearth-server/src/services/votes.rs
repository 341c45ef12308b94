//! Voting moderation: members start a vote to time out a disruptive member, vote once each, and the
//! vote closes as soon as its result is certain or when its time is up (the sweeper below), timing
//! the target out when it passed.
//!
//! The store decides and closes a vote inside the transaction of the ballot or the sweep, with the
//! timeout and the audit entries this module describes ([`close_audits`]); this module publishes the
//! events after that transaction commits.

use std::time::Duration;

use hearth_core::{AuditAction, Permissions, Snowflake, VoteReason};
use hearth_protocol::events::Event;
use hearth_store::{NewAuditEntry, NewVote, SettledVote, VoteRecord};

use crate::bus::Audience;
use crate::clock::{now_ms, rfc3339};
use crate::error::{ApiError, ApiResult, Entity};
use crate::http::{views, votes::vote_event};
use crate::services::access::GuildAccess;
use crate::state::AppState;

/// How often the sweeper looks for votes whose time is up: a vote closes at most this long after its
/// `ends_at`.
pub const SWEEP_INTERVAL: Duration = Duration::from_secs(5);
/// Votes closed per sweep, so one pass stays short however many votes end at once; the rest wait for
/// the next pass.
pub const SWEEP_BATCH: u32 = 100;

/// Starts a vote against the member `target_id`. Refused when the guild has voting off, when the
/// caller is timed out, and when the target is not a member, is the caller, the owner, an
/// administrator or a moderator.
pub async fn start(
    state: &AppState,
    access: &GuildAccess,
    target_id: Snowflake,
    reason: VoteReason,
    channel_id: Option<Snowflake>,
) -> ApiResult<VoteRecord> {
    let now = now_ms();
    if !state.store.vote_settings(access.guild_id()).await?.enabled {
        return Err(ApiError::VotingDisabled);
    }
    if access.context.member.is_timed_out(now) {
        return Err(ApiError::CannotVote("timed-out members cannot start votes"));
    }
    if target_id == access.user_id() {
        return Err(ApiError::field(
            "target_id",
            "you cannot start a vote against yourself",
        ));
    }
    let target = state
        .store
        .member(access.guild_id(), target_id)
        .await?
        .ok_or(ApiError::NotFound(Entity::Member))?;
    if target.user.id == access.guild().owner_id {
        return Err(ApiError::VoteTargetProtected(
            "the guild owner cannot be voted out",
        ));
    }
    // Moderators are answerable to the owner, not to a vote; and administrators' permissions would
    // ignore the timeout anyway.
    if access
        .permissions_of(&target)
        .intersects(Permissions::ADMINISTRATOR | Permissions::MODERATE_MEMBERS)
    {
        return Err(ApiError::VoteTargetProtected(
            "administrators and moderators cannot be voted out",
        ));
    }
    let new = NewVote {
        id: state.next_id(),
        guild_id: access.guild_id(),
        channel_id,
        target_id: target.user.id,
        initiator_id: access.user_id(),
        reason: reason.into_string(),
        now_ms: now,
    };
    let mut audit = access
        .audit(state, AuditAction::VoteStart, Some(new.reason.clone()))
        .target(target.user.id)
        .option("vote_id", new.id.to_string());
    if let Some(channel) = channel_id {
        audit = audit.option("channel_id", channel.to_string());
    }
    let vote = state.store.start_vote(&new, &audit).await?;
    state.bus.publish(
        Audience::Guild(vote.guild_id),
        &Event::ModerationVoteCreate(vote_event(&vote)),
    );
    Ok(vote)
}

/// Casts the caller's ballot; the vote afterwards (closed when the ballot decided it).
pub async fn cast(
    state: &AppState,
    access: &GuildAccess,
    vote_id: Snowflake,
    in_favour: bool,
) -> ApiResult<VoteRecord> {
    let describe = |settled: &SettledVote| close_audits(state, settled);
    let settled = state
        .store
        .cast_ballot(
            access.guild_id(),
            vote_id,
            access.user_id(),
            in_favour,
            now_ms(),
            &describe,
        )
        .await?;
    state.bus.publish(
        Audience::Guild(settled.vote.guild_id),
        &Event::ModerationVoteUpdate(vote_event(&settled.vote)),
    );
    if !settled.vote.status.is_open() {
        publish_close(state, &settled).await;
    }
    Ok(settled.vote)
}

/// Cancels an open vote: its initiator may, and so may members with MODERATE_MEMBERS.
pub async fn cancel(
    state: &AppState,
    access: &GuildAccess,
    vote: &VoteRecord,
    reason: Option<String>,
) -> ApiResult<VoteRecord> {
    if vote.initiator_id != Some(access.user_id()) {
        access.require(Permissions::MODERATE_MEMBERS)?;
    }
    let audit = access
        .audit(state, AuditAction::VoteClose, reason)
        .target(vote.target_id)
        .option("vote_id", vote.id.to_string())
        .option("result", "cancelled");
    let cancelled = state
        .store
        .cancel_vote(access.guild_id(), vote.id, now_ms(), &audit)
        .await?;
    state.bus.publish(
        Audience::Guild(cancelled.guild_id),
        &Event::ModerationVoteClose(vote_event(&cancelled)),
    );
    Ok(cancelled)
}

/// The audit entries of a vote its count closed, written by the store in the closing transaction:
/// VOTE_CLOSE with the result and tallies, and on a pass that timed the target out, MEMBER_UPDATE for
/// the timeout (as Discord records timeouts). The system acted, so neither has an actor.
pub fn close_audits(state: &AppState, settled: &SettledVote) -> Vec<NewAuditEntry> {
    let vote = &settled.vote;
    let mut entries = vec![
        NewAuditEntry::new(state.next_id(), vote.guild_id, None, AuditAction::VoteClose)
            .target(vote.target_id)
            .option("vote_id", vote.id.to_string())
            .option("result", vote.status.name())
            .option("for", vote.tally.in_favour.to_string())
            .option("against", vote.tally.against.to_string()),
    ];
    if let Some(timeout) = settled.timeout {
        entries.push(
            NewAuditEntry::new(
                state.next_id(),
                vote.guild_id,
                None,
                AuditAction::MemberUpdate,
            )
            .target(vote.target_id)
            .reason(Some(format!("vote {}", vote.id)))
            .change(
                "communication_disabled_until",
                timeout.before.map(rfc3339),
                Some(rfc3339(timeout.until)),
            ),
        );
    }
    entries
}

/// Tells the guild a vote closed, and, when it timed its target out, that the member changed.
async fn publish_close(state: &AppState, settled: &SettledVote) {
    let vote = &settled.vote;
    state.bus.publish(
        Audience::Guild(vote.guild_id),
        &Event::ModerationVoteClose(vote_event(vote)),
    );
    if settled.timeout.is_none() {
        return;
    }
    // The timeout has committed; the event carries the member as they are now. A failed read loses
    // only the event (clients see the timeout on their next fetch), not the committed change.
    match state.store.member(vote.guild_id, vote.target_id).await {
        Ok(Some(member)) => state.bus.publish(
            Audience::Guild(member.guild_id),
            &Event::GuildMemberUpdate(views::member_event(&member)),
        ),
        Ok(None) => {}
        Err(e) => {
            tracing::warn!(error = %e, vote_id = %vote.id, "could not read the timed-out member")
        }
    }
}

/// Closes the votes whose time is up as of `now_ms` (at most [`SWEEP_BATCH`]) and publishes their
/// results; how many it closed.
pub async fn close_expired(state: &AppState, now_ms: i64) -> usize {
    let describe = |settled: &SettledVote| close_audits(state, settled);
    match state
        .store
        .close_expired_votes(now_ms, SWEEP_BATCH, &describe)
        .await
    {
        Ok(closed) => {
            for settled in &closed {
                publish_close(state, settled).await;
            }
            closed.len()
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not close expired votes");
            0
        }
    }
}

/// The sweeper: runs for the life of the server, closing expired votes every [`SWEEP_INTERVAL`].
pub async fn sweep_forever(state: AppState) {
    let mut tick = tokio::time::interval(SWEEP_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let closed = close_expired(&state, now_ms()).await;
        if closed > 0 {
            tracing::debug!(closed, "closed expired votes");
        }
    }
}
