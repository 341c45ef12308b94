//! Voting moderation: a guild's settings, members' votes to time a member out, and their ballots.
//!
//! A vote is decided by `hearth_core::vote::decide` inside the transaction that could change its
//! result: each ballot (under the vote's row lock), and the sweep of votes whose time is up. When it
//! passes, the target's timeout and the audit entries are written in that same transaction, so a vote
//! is never recorded as passed without its timeout, or the reverse.

use hearth_core::vote::{VOTE_START_WINDOW_MS, VOTES_STARTED_PER_WINDOW, decide};
use hearth_core::{
    MajorityPercent, Outcome, Permissions, Quorum, Snowflake, Tally, VoteDuration, VoteRule,
    VoteSettings, VoteStatus, VoteTimeout,
};

use crate::StoreError;
use crate::backend::{BeginWrite, DbRow, Store, on_reader, on_writer};
use crate::moderation::{NewAuditEntry, insert_audit_in};

/// Why a vote could not be started, voted in or cancelled.
#[derive(Debug, thiserror::Error)]
pub enum VoteError {
    #[error("voting moderation is off in this guild")]
    Disabled,
    /// No such vote in the guild, or the caller is no longer a member.
    #[error("unknown vote")]
    NotFound,
    #[error("the target is not a member of the guild")]
    TargetNotMember,
    #[error("the member already has an open vote")]
    AlreadyOpen,
    /// Fewer members could vote than the quorum needs: the vote could only fail.
    #[error("fewer members can vote than the quorum needs")]
    QuorumUnreachable,
    /// The initiator started [`VOTES_STARTED_PER_WINDOW`] votes in the last hour.
    #[error("too many votes started: retry in {retry_after_ms} ms")]
    TooManyStarted { retry_after_ms: i64 },
    #[error("the vote is closed")]
    Closed,
    #[error("already voted")]
    AlreadyVoted,
    #[error("{0}")]
    Ineligible(Ineligibility),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for VoteError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(StoreError::Database(e))
    }
}

/// Why a member may not vote in a vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Ineligibility {
    #[error("the member a vote is about cannot vote in it")]
    Target,
    /// Only members at the time the vote started vote, so accounts made for the vote do not count.
    #[error("members who joined after the vote started cannot vote in it")]
    JoinedAfterStart,
    #[error("timed-out members cannot vote")]
    TimedOut,
}

/// A vote with its tallies.
#[derive(Debug, Clone, PartialEq)]
pub struct VoteRecord {
    pub id: Snowflake,
    pub guild_id: Snowflake,
    pub channel_id: Option<Snowflake>,
    pub target_id: Snowflake,
    /// `None` once the initiator's account is gone.
    pub initiator_id: Option<Snowflake>,
    pub reason: String,
    /// The guild's rule when the vote started.
    pub rule: VoteRule,
    pub timeout: VoteTimeout,
    pub status: VoteStatus,
    pub created_at: i64,
    pub ends_at: i64,
    pub closed_at: Option<i64>,
    pub tally: Tally,
    /// The viewer's ballot (`Some(true)` in favour) when the vote was read for a viewer who voted.
    pub my_ballot: Option<bool>,
}

/// The vote columns with the two tallies. A macro so queries are `&'static str` built at compile time.
macro_rules! vote_columns {
    () => {
        "v.id, v.guild_id, v.channel_id, v.target_id, v.initiator_id, v.reason, v.quorum, \
         v.majority_percent, v.timeout_seconds, v.status, v.created_at, v.ends_at, v.closed_at, \
         (SELECT COUNT(*) FROM moderation_ballots b WHERE b.vote_id = v.id AND b.in_favour) \
         AS votes_for, \
         (SELECT COUNT(*) FROM moderation_ballots b WHERE b.vote_id = v.id AND NOT b.in_favour) \
         AS votes_against"
    };
}

/// The viewer's ballot as a column, for queries whose viewer is parameter `$1`.
macro_rules! my_ballot_column {
    () => {
        "(SELECT mb.in_favour FROM moderation_ballots mb \
         WHERE mb.vote_id = v.id AND mb.user_id = $1) AS my_ballot"
    };
}

fn count(raw: i64) -> u32 {
    raw.clamp(0, u32::MAX.into()) as u32
}

impl VoteRecord {
    fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        let code = row.int("status")?;
        Ok(Self {
            id: Snowflake::from_db(row.int("id")?),
            guild_id: Snowflake::from_db(row.int("guild_id")?),
            channel_id: row.opt_int("channel_id")?.map(Snowflake::from_db),
            target_id: Snowflake::from_db(row.int("target_id")?),
            initiator_id: row.opt_int("initiator_id")?.map(Snowflake::from_db),
            reason: row.text("reason")?,
            rule: VoteRule {
                quorum: Quorum::from_trusted(row.int("quorum")?),
                majority: MajorityPercent::from_trusted(row.int("majority_percent")?),
            },
            timeout: VoteTimeout::from_trusted(row.int("timeout_seconds")?),
            status: VoteStatus::from_code(code)
                .ok_or_else(|| sqlx::Error::Decode(format!("unknown vote status {code}").into()))?,
            created_at: row.int("created_at")?,
            ends_at: row.int("ends_at")?,
            closed_at: row.opt_int("closed_at")?,
            tally: Tally {
                in_favour: count(row.int("votes_for")?),
                against: count(row.int("votes_against")?),
            },
            my_ballot: None,
        })
    }

    fn from_viewer_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            my_ballot: row.opt_flag("my_ballot")?,
            ..Self::from_row(row)?
        })
    }
}

/// A vote to start. Its rule, duration and timeout come from the guild's settings, read in the
/// transaction that starts it.
#[derive(Debug, Clone)]
pub struct NewVote {
    pub id: Snowflake,
    pub guild_id: Snowflake,
    pub channel_id: Option<Snowflake>,
    pub target_id: Snowflake,
    pub initiator_id: Snowflake,
    pub reason: String,
    pub now_ms: i64,
}

/// The target's timeout as a passed vote changed it (unix ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeoutChange {
    pub before: Option<i64>,
    pub until: i64,
}

/// A vote as a ballot or the sweep left it. `timeout` is set when the vote passed and extended the
/// target's timeout (not when the target had left, or was already timed out for longer).
#[derive(Debug, Clone, PartialEq)]
pub struct SettledVote {
    pub vote: VoteRecord,
    pub timeout: Option<TimeoutChange>,
}

/// Describes a vote that just closed as the audit entries to write with it. The server supplies it
/// because it owns the entries' content (ids, time formats); the store writes them in the closing
/// transaction.
pub type DescribeClose<'a> = &'a (dyn Fn(&SettledVote) -> Vec<NewAuditEntry> + Sync);

/// Which votes a page lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteFilter {
    All,
    Open,
    Closed,
}

impl VoteFilter {
    /// The inclusive range of status codes it covers (an index range on (guild, status, id)).
    fn codes(self) -> (i64, i64) {
        match self {
            Self::All => (VoteStatus::Open.code(), VoteStatus::Cancelled.code()),
            Self::Open => (VoteStatus::Open.code(), VoteStatus::Open.code()),
            Self::Closed => (VoteStatus::Passed.code(), VoteStatus::Cancelled.code()),
        }
    }
}

/// A page of a guild's votes, newest first, as `viewer` sees them (with their own ballot).
#[derive(Debug, Clone)]
pub struct VoteQuery {
    pub guild_id: Snowflake,
    pub viewer: Snowflake,
    pub filter: VoteFilter,
    pub before: Option<Snowflake>,
    pub limit: u32,
}

const SETTINGS: &str = "SELECT enabled, quorum, majority_percent, duration_seconds, timeout_seconds \
     FROM vote_settings WHERE guild_id = $1";
const VOTE_BY_ID: &str = concat!(
    "SELECT ",
    vote_columns!(),
    " FROM moderation_votes v WHERE v.id = $1"
);
/// Takes the vote's row lock (see `LOCK_*` in `community/records.rs`): ballots on one vote, and the
/// sweep, run one after the other, so each counts every ballot committed before it.
const LOCK_VOTE: &str = "UPDATE moderation_votes SET status = status WHERE id = $1 \
     RETURNING guild_id, status, target_id, created_at, ends_at";
/// Eligible members who have not voted (members since the vote started, other than the target;
/// timed-out members count, since their timeout may end before the vote does), counted only up to
/// `$5` (`VoteRule::outstanding_that_matters`): a ballot in a guild of 100,000 members then reads a
/// handful of rows instead of all of them.
const OUTSTANDING: &str = "SELECT COUNT(*) FROM (SELECT 1 FROM members m \
     WHERE m.guild_id = $1 AND m.user_id <> $2 AND m.joined_at <= $3 AND NOT EXISTS \
     (SELECT 1 FROM moderation_ballots b WHERE b.vote_id = $4 AND b.user_id = m.user_id) \
     LIMIT $5) AS outstanding";
/// Members who could vote in a vote starting now, counted only up to `$4`.
const ELIGIBLE: &str = "SELECT COUNT(*) FROM (SELECT 1 FROM members \
     WHERE guild_id = $1 AND user_id <> $2 AND joined_at <= $3 LIMIT $4) AS eligible";
const INSERT_BALLOT: &str = "INSERT INTO moderation_ballots (vote_id, user_id, in_favour, created_at) \
     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";

fn settings_from_row(row: &impl DbRow) -> Result<VoteSettings, sqlx::Error> {
    Ok(VoteSettings {
        enabled: row.flag("enabled")?,
        quorum: Quorum::from_trusted(row.int("quorum")?),
        majority: MajorityPercent::from_trusted(row.int("majority_percent")?),
        duration: VoteDuration::from_trusted(row.int("duration_seconds")?),
        timeout: VoteTimeout::from_trusted(row.int("timeout_seconds")?),
    })
}

/// Decides the locked, open vote `$vote_id` inside `$tx` as of `$now` (ended once `$now` reaches
/// `ends_at`) and, when decided, closes it: status and `closed_at`, on a pass the target's timeout
/// (only when it extends the current one, and only while they are a member), and the audit entries
/// `$describe` gives. Evaluates to the [`SettledVote`]. A macro because it runs on either driver's
/// transaction.
macro_rules! settle_in {
    ($tx:ident, $vote_id:expr, $now:expr, $describe:expr) => {{
        let vote_id: Snowflake = $vote_id;
        let now: i64 = $now;
        let describe: DescribeClose<'_> = $describe;
        let mut vote = VoteRecord::from_row(
            &sqlx::query(VOTE_BY_ID)
                .bind(vote_id.to_db())
                .fetch_one(&mut *$tx)
                .await?,
        )?;
        let mut timeout = None;
        if vote.status.is_open() {
            let ended = now >= vote.ends_at;
            // An ended vote is decided by its ballots alone.
            let (outstanding,): (i64,) = if ended {
                (0,)
            } else {
                sqlx::query_as(OUTSTANDING)
                    .bind(vote.guild_id.to_db())
                    .bind(vote.target_id.to_db())
                    .bind(vote.created_at)
                    .bind(vote_id.to_db())
                    .bind(i64::from(vote.rule.outstanding_that_matters(vote.tally)))
                    .fetch_one(&mut *$tx)
                    .await?
            };
            if let Some(outcome) = decide(vote.tally, count(outstanding), vote.rule, ended) {
                vote.status = VoteStatus::from(outcome);
                vote.closed_at = Some(now);
                sqlx::query(
                    "UPDATE moderation_votes SET status = $2, closed_at = $3 WHERE id = $1",
                )
                .bind(vote_id.to_db())
                .bind(vote.status.code())
                .bind(now)
                .execute(&mut *$tx)
                .await?;
                if outcome == Outcome::Passed {
                    let current: Option<(Option<i64>,)> = sqlx::query_as(
                        "SELECT communication_disabled_until FROM members \
                         WHERE guild_id = $1 AND user_id = $2",
                    )
                    .bind(vote.guild_id.to_db())
                    .bind(vote.target_id.to_db())
                    .fetch_optional(&mut *$tx)
                    .await?;
                    // The target was checked when the vote started, but may have become the
                    // owner or a moderator since: such a member is not timed out by a vote.
                    let (owner,): (i64,) =
                        sqlx::query_as("SELECT owner_id FROM guilds WHERE id = $1")
                            .bind(vote.guild_id.to_db())
                            .fetch_one(&mut *$tx)
                            .await?;
                    let grants: Vec<(i64,)> = sqlx::query_as(
                        "SELECT permissions FROM roles WHERE guild_id = $1 AND (id = $1 OR id IN \
                         (SELECT role_id FROM member_roles WHERE guild_id = $1 AND user_id = $2))",
                    )
                    .bind(vote.guild_id.to_db())
                    .bind(vote.target_id.to_db())
                    .fetch_all(&mut *$tx)
                    .await?;
                    let held = grants.iter().fold(Permissions::empty(), |all, (bits,)| {
                        all | Permissions::from_db(*bits)
                    });
                    let protected = owner == vote.target_id.to_db()
                        || held
                            .intersects(Permissions::ADMINISTRATOR | Permissions::MODERATE_MEMBERS);
                    let until = now + vote.timeout.millis();
                    if let Some((before,)) = current
                        && !protected
                        && before.is_none_or(|b| b < until)
                    {
                        sqlx::query(
                            "UPDATE members SET communication_disabled_until = $3 \
                             WHERE guild_id = $1 AND user_id = $2",
                        )
                        .bind(vote.guild_id.to_db())
                        .bind(vote.target_id.to_db())
                        .bind(until)
                        .execute(&mut *$tx)
                        .await?;
                        timeout = Some(TimeoutChange { before, until });
                    }
                }
                let settled = SettledVote {
                    vote: vote.clone(),
                    timeout,
                };
                for entry in describe(&settled) {
                    insert_audit_in!($tx, &entry);
                }
            }
        }
        SettledVote { vote, timeout }
    }};
}

impl Store {
    /// The guild's settings; [`VoteSettings::DEFAULT`] (voting off) when it never saved any.
    pub async fn vote_settings(&self, guild_id: Snowflake) -> Result<VoteSettings, StoreError> {
        on_reader!(self, |db| {
            let row = sqlx::query(SETTINGS)
                .bind(guild_id.to_db())
                .fetch_optional(db)
                .await?;
            Ok(row
                .map(|r| settings_from_row(&r))
                .transpose()?
                .unwrap_or(VoteSettings::DEFAULT))
        })
    }

    /// Saves the guild's settings with their audit entry. Running votes keep the rule they started
    /// with.
    pub async fn set_vote_settings(
        &self,
        guild_id: Snowflake,
        settings: &VoteSettings,
        audit: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            sqlx::query(
                "INSERT INTO vote_settings \
                 (guild_id, enabled, quorum, majority_percent, duration_seconds, timeout_seconds) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (guild_id) DO UPDATE SET \
                 enabled = excluded.enabled, quorum = excluded.quorum, \
                 majority_percent = excluded.majority_percent, \
                 duration_seconds = excluded.duration_seconds, \
                 timeout_seconds = excluded.timeout_seconds",
            )
            .bind(guild_id.to_db())
            .bind(settings.enabled)
            .bind(i64::from(settings.quorum.get()))
            .bind(i64::from(settings.majority.get()))
            .bind(i64::from(settings.duration.secs()))
            .bind(i64::from(settings.timeout.secs()))
            .execute(&mut *tx)
            .await?;
            insert_audit_in!(tx, audit);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Starts a vote with the initiator's ballot in favour and its audit entry, in one transaction
    /// that reads the guild's settings, holds the initiator's member row (so their count of votes
    /// started in the last hour cannot be raced past), and refuses a vote that could only fail.
    pub async fn start_vote(
        &self,
        new: &NewVote,
        audit: &NewAuditEntry,
    ) -> Result<VoteRecord, VoteError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let settings = sqlx::query(SETTINGS)
                .bind(new.guild_id.to_db())
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| settings_from_row(&r))
                .transpose()?
                .unwrap_or(VoteSettings::DEFAULT);
            if !settings.enabled {
                return Err(VoteError::Disabled);
            }
            let initiator =
                sqlx::query("UPDATE members SET nick = nick WHERE guild_id = $1 AND user_id = $2")
                    .bind(new.guild_id.to_db())
                    .bind(new.initiator_id.to_db())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if initiator == 0 {
                return Err(VoteError::NotFound);
            }
            let target: Option<(i64,)> = sqlx::query_as(
                "SELECT joined_at FROM members WHERE guild_id = $1 AND user_id = $2",
            )
            .bind(new.guild_id.to_db())
            .bind(new.target_id.to_db())
            .fetch_optional(&mut *tx)
            .await?;
            if target.is_none() {
                return Err(VoteError::TargetNotMember);
            }
            let window_start = new.now_ms - VOTE_START_WINDOW_MS;
            let (started, oldest): (i64, Option<i64>) = sqlx::query_as(
                "SELECT COUNT(*), MIN(created_at) FROM moderation_votes \
                 WHERE guild_id = $1 AND initiator_id = $2 AND created_at > $3",
            )
            .bind(new.guild_id.to_db())
            .bind(new.initiator_id.to_db())
            .bind(window_start)
            .fetch_one(&mut *tx)
            .await?;
            if started >= i64::from(VOTES_STARTED_PER_WINDOW) {
                let frees_at = oldest.unwrap_or(new.now_ms) + VOTE_START_WINDOW_MS;
                return Err(VoteError::TooManyStarted {
                    retry_after_ms: (frees_at - new.now_ms).max(1),
                });
            }
            let rule = settings.rule();
            let opening = Tally {
                in_favour: 1,
                against: 0,
            };
            // The initiator is among the eligible members and has voted.
            let needed = rule.outstanding_that_matters(opening).saturating_add(1);
            let (eligible,): (i64,) = sqlx::query_as(ELIGIBLE)
                .bind(new.guild_id.to_db())
                .bind(new.target_id.to_db())
                .bind(new.now_ms)
                .bind(i64::from(needed))
                .fetch_one(&mut *tx)
                .await?;
            let outstanding = count(eligible).saturating_sub(1);
            if decide(opening, outstanding, rule, false) == Some(Outcome::Failed) {
                return Err(VoteError::QuorumUnreachable);
            }
            let ends_at = new.now_ms + settings.duration.millis();
            // The partial unique index allows one open vote per target; a second is skipped here.
            let inserted = sqlx::query(
                "INSERT INTO moderation_votes (id, guild_id, channel_id, target_id, initiator_id, \
                 reason, quorum, majority_percent, timeout_seconds, status, created_at, ends_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $11) ON CONFLICT DO NOTHING",
            )
            .bind(new.id.to_db())
            .bind(new.guild_id.to_db())
            .bind(new.channel_id.map(|c| c.to_db()))
            .bind(new.target_id.to_db())
            .bind(new.initiator_id.to_db())
            .bind(&new.reason)
            .bind(i64::from(rule.quorum.get()))
            .bind(i64::from(rule.majority.get()))
            .bind(i64::from(settings.timeout.secs()))
            .bind(new.now_ms)
            .bind(ends_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 0 {
                return Err(VoteError::AlreadyOpen);
            }
            sqlx::query(INSERT_BALLOT)
                .bind(new.id.to_db())
                .bind(new.initiator_id.to_db())
                .bind(true)
                .bind(new.now_ms)
                .execute(&mut *tx)
                .await?;
            insert_audit_in!(tx, audit);
            tx.commit().await?;
            Ok(VoteRecord {
                id: new.id,
                guild_id: new.guild_id,
                channel_id: new.channel_id,
                target_id: new.target_id,
                initiator_id: Some(new.initiator_id),
                reason: new.reason.clone(),
                rule,
                timeout: settings.timeout,
                status: VoteStatus::Open,
                created_at: new.now_ms,
                ends_at,
                closed_at: None,
                tally: opening,
                my_ballot: Some(true),
            })
        })
    }

    /// Records `voter`'s ballot and settles the vote in the same transaction, under the vote's row
    /// lock. Refused when the vote is closed or its time is up (the sweep closes it), when the voter
    /// is its target, joined after it started or is timed out, and on a second ballot.
    pub async fn cast_ballot(
        &self,
        guild_id: Snowflake,
        vote_id: Snowflake,
        voter: Snowflake,
        in_favour: bool,
        now_ms: i64,
        describe: DescribeClose<'_>,
    ) -> Result<SettledVote, VoteError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let locked: Option<(i64, i64, i64, i64, i64)> = sqlx::query_as(LOCK_VOTE)
                .bind(vote_id.to_db())
                .fetch_optional(&mut *tx)
                .await?;
            let Some((vote_guild, status, target, created_at, ends_at)) = locked else {
                return Err(VoteError::NotFound);
            };
            if vote_guild != guild_id.to_db() {
                return Err(VoteError::NotFound);
            }
            if status != VoteStatus::Open.code() || now_ms >= ends_at {
                return Err(VoteError::Closed);
            }
            if target == voter.to_db() {
                return Err(VoteError::Ineligible(Ineligibility::Target));
            }
            let member: Option<(i64, Option<i64>)> = sqlx::query_as(
                "SELECT joined_at, communication_disabled_until FROM members \
                 WHERE guild_id = $1 AND user_id = $2",
            )
            .bind(guild_id.to_db())
            .bind(voter.to_db())
            .fetch_optional(&mut *tx)
            .await?;
            let Some((joined_at, timed_out_until)) = member else {
                return Err(VoteError::NotFound);
            };
            if joined_at > created_at {
                return Err(VoteError::Ineligible(Ineligibility::JoinedAfterStart));
            }
            if timed_out_until.is_some_and(|until| until > now_ms) {
                return Err(VoteError::Ineligible(Ineligibility::TimedOut));
            }
            let cast = sqlx::query(INSERT_BALLOT)
                .bind(vote_id.to_db())
                .bind(voter.to_db())
                .bind(in_favour)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if cast == 0 {
                return Err(VoteError::AlreadyVoted);
            }
            let mut settled = settle_in!(tx, vote_id, now_ms, describe);
            tx.commit().await?;
            settled.vote.my_ballot = Some(in_favour);
            Ok(settled)
        })
    }

    /// Cancels an open vote with its audit entry; the vote as it stands afterwards.
    pub async fn cancel_vote(
        &self,
        guild_id: Snowflake,
        vote_id: Snowflake,
        now_ms: i64,
        audit: &NewAuditEntry,
    ) -> Result<VoteRecord, VoteError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let status: Option<(i64,)> = sqlx::query_as(
                "SELECT status FROM moderation_votes WHERE id = $1 AND guild_id = $2",
            )
            .bind(vote_id.to_db())
            .bind(guild_id.to_db())
            .fetch_optional(&mut *tx)
            .await?;
            match status {
                None => return Err(VoteError::NotFound),
                Some((code,)) if code != VoteStatus::Open.code() => {
                    return Err(VoteError::Closed);
                }
                Some(_) => {}
            }
            // Conditional on still being open, so a ballot that closed it first wins.
            let cancelled = sqlx::query(
                "UPDATE moderation_votes SET status = $2, closed_at = $3 WHERE id = $1 AND status = 0",
            )
            .bind(vote_id.to_db())
            .bind(VoteStatus::Cancelled.code())
            .bind(now_ms)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if cancelled == 0 {
                return Err(VoteError::Closed);
            }
            insert_audit_in!(tx, audit);
            let vote = VoteRecord::from_row(
                &sqlx::query(VOTE_BY_ID)
                    .bind(vote_id.to_db())
                    .fetch_one(&mut *tx)
                    .await?,
            )?;
            tx.commit().await?;
            Ok(vote)
        })
    }

    /// Closes up to `limit` open votes whose time is up as of `now_ms`, oldest deadline first, each in
    /// its own transaction (so one vote's failure or a long batch never holds the others); the votes
    /// it closed.
    pub async fn close_expired_votes(
        &self,
        now_ms: i64,
        limit: u32,
        describe: DescribeClose<'_>,
    ) -> Result<Vec<SettledVote>, StoreError> {
        let due: Vec<(i64,)> = on_reader!(self, |db| {
            sqlx::query_as(
                "SELECT id FROM moderation_votes WHERE status = 0 AND ends_at <= $1 \
                 ORDER BY ends_at LIMIT $2",
            )
            .bind(now_ms)
            .bind(i64::from(limit))
            .fetch_all(db)
            .await?
        });
        let mut closed = Vec::with_capacity(due.len());
        for (id,) in due {
            let vote_id = Snowflake::from_db(id);
            let settled = on_writer!(self, |db| {
                let mut tx = db.begin_write().await?;
                let locked: Option<(i64, i64, i64, i64, i64)> = sqlx::query_as(LOCK_VOTE)
                    .bind(vote_id.to_db())
                    .fetch_optional(&mut *tx)
                    .await?;
                // Closed (or deleted with its guild) since the list was read.
                if locked.is_none_or(|(_, status, ..)| status != VoteStatus::Open.code()) {
                    continue;
                }
                let settled = settle_in!(tx, vote_id, now_ms, describe);
                tx.commit().await?;
                settled
            });
            if !settled.vote.status.is_open() {
                closed.push(settled);
            }
        }
        Ok(closed)
    }

    /// One vote of the guild as `viewer` sees it.
    pub async fn vote(
        &self,
        guild_id: Snowflake,
        vote_id: Snowflake,
        viewer: Snowflake,
    ) -> Result<Option<VoteRecord>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            vote_columns!(),
            ", ",
            my_ballot_column!(),
            " FROM moderation_votes v WHERE v.id = $2 AND v.guild_id = $3"
        );
        on_reader!(self, |db| {
            let row = sqlx::query(SQL)
                .bind(viewer.to_db())
                .bind(vote_id.to_db())
                .bind(guild_id.to_db())
                .fetch_optional(db)
                .await?;
            Ok(row.map(|r| VoteRecord::from_viewer_row(&r)).transpose()?)
        })
    }

    /// A page of the guild's votes, newest first.
    pub async fn votes_of_guild(&self, query: &VoteQuery) -> Result<Vec<VoteRecord>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            vote_columns!(),
            ", ",
            my_ballot_column!(),
            " FROM moderation_votes v WHERE v.guild_id = $2 AND v.status >= $3 AND v.status <= $4 \
             AND v.id < $5 ORDER BY v.id DESC LIMIT $6"
        );
        let (lowest, highest) = query.filter.codes();
        on_reader!(self, |db| {
            let rows = sqlx::query(SQL)
                .bind(query.viewer.to_db())
                .bind(query.guild_id.to_db())
                .bind(lowest)
                .bind(highest)
                .bind(query.before.map_or(i64::MAX, |b| b.to_db()))
                .bind(i64::from(query.limit))
                .fetch_all(db)
                .await?;
            Ok(rows
                .iter()
                .map(VoteRecord::from_viewer_row)
                .collect::<Result<_, _>>()?)
        })
    }
}
