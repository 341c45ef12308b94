//! Voting moderation on both backends: a vote is decided in the transaction of the ballot or the sweep
//! that settles it, a pass writes the timeout and the audit entries with it, late joiners neither vote
//! nor count, concurrent ballots close a vote exactly once, and the sweep closes votes whose time is
//! up (the store takes "now" from its caller, so these tests move time instead of waiting).

use std::sync::Arc;

use hearth_core::vote::VOTE_START_WINDOW_MS;
use hearth_core::{
    AuditAction, MajorityPercent, NodeId, Quorum, Snowflake, SnowflakeGenerator, VoteDuration,
    VoteSettings, VoteStatus, VoteTimeout,
};
use hearth_store::{
    AuditQuery, GuildRecord, Ineligibility, NewAuditEntry, NewVote, SettledVote, VoteError,
    VoteFilter, VoteQuery, VoteRecord,
};

use super::community::{guild, invite};
use super::{TestDb, wall_clock_ms};

const DURATION_MS: i64 = 30_000;
const TIMEOUT_MS: i64 = 60_000;

fn settings(enabled: bool, quorum: i64, majority: i64) -> VoteSettings {
    VoteSettings {
        enabled,
        quorum: Quorum::parse(quorum).unwrap(),
        majority: MajorityPercent::parse(majority).unwrap(),
        duration: VoteDuration::parse(DURATION_MS / 1000).unwrap(),
        timeout: VoteTimeout::parse(TIMEOUT_MS / 1000).unwrap(),
    }
}

/// The entries the server writes when a vote closes by its count (see `services/votes.rs`).
fn close_entries(next_id: &dyn Fn() -> Snowflake, settled: &SettledVote) -> Vec<NewAuditEntry> {
    let vote = &settled.vote;
    let mut entries = vec![
        NewAuditEntry::new(next_id(), vote.guild_id, None, AuditAction::VoteClose)
            .target(vote.target_id)
            .option("result", vote.status.name()),
    ];
    if let Some(timeout) = settled.timeout {
        entries.push(
            NewAuditEntry::new(next_id(), vote.guild_id, None, AuditAction::MemberUpdate)
                .target(vote.target_id)
                .change(
                    "communication_disabled_until",
                    timeout.before,
                    timeout.until,
                ),
        );
    }
    entries
}

/// A guild on an open instance with its owner and members who all joined at `db.now`:
/// (guild, owner, members in `names` order).
async fn community(db: &TestDb, names: &[&str]) -> (GuildRecord, Snowflake, Vec<Snowflake>) {
    let owner = db.owner().await;
    db.store
        .set_registration_mode(hearth_core::RegistrationMode::Open)
        .await
        .unwrap();
    let g = guild(db, owner.id, 10).await.unwrap();
    let code = invite(db, &g, owner.id, 0).await;
    let mut members = Vec::new();
    for name in names {
        let user = db.register(name, None).await.unwrap();
        db.store
            .join_guild(&code, user.id, db.now, 10)
            .await
            .unwrap();
        members.push(user.id);
    }
    (g, owner.id, members)
}

async fn save_settings(db: &TestDb, g: &GuildRecord, s: VoteSettings) {
    let entry = NewAuditEntry::new(db.id(), g.id, None, AuditAction::VoteSettingsUpdate);
    db.store.set_vote_settings(g.id, &s, &entry).await.unwrap();
}

async fn start(
    db: &TestDb,
    g: &GuildRecord,
    initiator: Snowflake,
    target: Snowflake,
    at: i64,
) -> Result<VoteRecord, VoteError> {
    let id = db.id();
    let entry =
        NewAuditEntry::new(db.id(), g.id, Some(initiator), AuditAction::VoteStart).target(target);
    db.store
        .start_vote(
            &NewVote {
                id,
                guild_id: g.id,
                channel_id: None,
                target_id: target,
                initiator_id: initiator,
                reason: "spam".into(),
                now_ms: at,
            },
            &entry,
        )
        .await
}

async fn vote(
    db: &TestDb,
    g: &GuildRecord,
    vote: &VoteRecord,
    voter: Snowflake,
    yes: bool,
    at: i64,
) -> Result<SettledVote, VoteError> {
    let next_id = || db.id();
    let describe = |s: &SettledVote| close_entries(&next_id, s);
    db.store
        .cast_ballot(g.id, vote.id, voter, yes, at, &describe)
        .await
}

async fn sweep(db: &TestDb, at: i64) -> Vec<SettledVote> {
    let next_id = || db.id();
    let describe = |s: &SettledVote| close_entries(&next_id, s);
    let mut closed = db
        .store
        .close_expired_votes(at, 100, &describe)
        .await
        .unwrap();
    closed.sort_by_key(|s| s.vote.id);
    closed
}

async fn entries(
    db: &TestDb,
    g: &GuildRecord,
    action: AuditAction,
) -> Vec<hearth_store::AuditRecord> {
    db.store
        .audit_log(&AuditQuery {
            guild_id: g.id,
            user_id: None,
            action: Some(action),
            before: None,
            limit: 100,
        })
        .await
        .unwrap()
}

async fn timed_out_until(db: &TestDb, g: &GuildRecord, user: Snowflake) -> Option<i64> {
    db.store
        .member(g.id, user)
        .await
        .unwrap()
        .expect("a member")
        .communication_disabled_until
}

pub async fn an_expired_vote_closes_by_its_count_at_its_deadline_and_only_then(db: &TestDb) {
    let (g, _owner, m) = community(db, &["alice", "bob", "carol", "target"]).await;
    let [alice, bob, carol, target] = m[..] else {
        unreachable!()
    };
    save_settings(db, &g, settings(true, 2, 51)).await;

    // Eligible: owner, alice, bob, carol. 2 for, 2 outstanding: both against would be 50 %.
    let passing = start(db, &g, alice, target, db.now).await.unwrap();
    assert_eq!(passing.ends_at, db.now + DURATION_MS);
    let open = vote(db, &g, &passing, bob, true, db.now + 1).await.unwrap();
    assert_eq!(open.vote.status, VoteStatus::Open);
    assert_eq!(open.vote.tally.in_favour, 2);
    // Eligible for this one: owner, alice, bob, target. 1 for is below the quorum of 2.
    let failing = start(db, &g, bob, carol, db.now).await.unwrap();

    // Before the deadline the sweep closes nothing.
    assert!(sweep(db, passing.ends_at - 1).await.is_empty());
    // At the deadline no more ballots are taken, even before the sweep ran.
    assert!(matches!(
        vote(db, &g, &passing, carol, false, passing.ends_at).await,
        Err(VoteError::Closed)
    ));

    let closed_at = passing.ends_at + 2_500;
    let closed = sweep(db, closed_at).await;
    assert_eq!(closed.len(), 2);
    let (passed, failed) = (&closed[0], &closed[1]);
    assert_eq!(passed.vote.id, passing.id);
    assert_eq!(passed.vote.status, VoteStatus::Passed);
    assert_eq!(passed.vote.closed_at, Some(closed_at));
    assert_eq!(passed.vote.tally.in_favour, 2);
    let until = closed_at + TIMEOUT_MS;
    assert_eq!(
        passed.timeout,
        Some(hearth_store::TimeoutChange {
            before: None,
            until
        })
    );
    assert_eq!(timed_out_until(db, &g, target).await, Some(until));
    assert_eq!(failed.vote.id, failing.id);
    assert_eq!(failed.vote.status, VoteStatus::Failed);
    assert_eq!(failed.timeout, None);
    assert_eq!(timed_out_until(db, &g, carol).await, None);

    // The entries were written with the change: two closes, one timeout, no actor.
    let closes = entries(db, &g, AuditAction::VoteClose).await;
    assert_eq!(closes.len(), 2);
    assert!(closes.iter().all(|e| e.user_id.is_none()));
    let timeouts = entries(db, &g, AuditAction::MemberUpdate).await;
    assert_eq!(timeouts.len(), 1);
    assert_eq!(timeouts[0].target_id, Some(target));
    assert_eq!(timeouts[0].user_id, None);

    // A second sweep finds nothing left, and the stored votes read back as closed.
    assert!(sweep(db, closed_at + 10_000).await.is_empty());
    let stored = db.store.vote(g.id, passing.id, bob).await.unwrap().unwrap();
    assert_eq!(stored.status, VoteStatus::Passed);
    assert_eq!(stored.closed_at, Some(closed_at));
    assert_eq!(stored.my_ballot, Some(true));
    assert_eq!(entries(db, &g, AuditAction::VoteClose).await.len(), 2);
}

pub async fn a_pass_never_shortens_a_timeout_and_skips_a_target_who_left(db: &TestDb) {
    let (g, owner, m) = community(db, &["alice", "bob", "first", "second"]).await;
    let [alice, bob, first, second] = m[..] else {
        unreachable!()
    };
    save_settings(db, &g, settings(true, 2, 51)).await;
    let longer = db.now + 10 * 3_600_000;
    let moderator = NewAuditEntry::new(db.id(), g.id, Some(owner), AuditAction::MemberUpdate);
    db.store
        .set_member_timeout(g.id, first, Some(longer), &moderator)
        .await
        .unwrap();

    // Eligible: owner, alice, bob, second. 3 for with 1 outstanding is certain to pass.
    let v = start(db, &g, alice, first, db.now).await.unwrap();
    assert_eq!(
        vote(db, &g, &v, bob, true, db.now)
            .await
            .unwrap()
            .vote
            .status,
        VoteStatus::Open
    );
    let passed = vote(db, &g, &v, second, true, db.now + 5).await.unwrap();
    assert_eq!(passed.vote.status, VoteStatus::Passed);
    assert_eq!(passed.timeout, None, "ten hours already beat a minute");
    assert_eq!(timed_out_until(db, &g, first).await, Some(longer));
    assert_eq!(
        entries(db, &g, AuditAction::MemberUpdate).await.len(),
        1,
        "only the moderator's own timeout"
    );

    // A target who leaves during the vote is not timed out when it passes.
    let v = start(db, &g, alice, second, db.now).await.unwrap();
    assert!(db.store.remove_member(g.id, second).await.unwrap());
    assert_eq!(
        vote(db, &g, &v, bob, true, db.now)
            .await
            .unwrap()
            .vote
            .status,
        VoteStatus::Open
    );
    let passed = vote(db, &g, &v, owner, true, db.now).await.unwrap();
    assert_eq!(passed.vote.status, VoteStatus::Passed);
    assert_eq!(passed.timeout, None);
    assert!(db.store.member(g.id, second).await.unwrap().is_none());
    assert_eq!(entries(db, &g, AuditAction::VoteClose).await.len(), 2);
    assert_eq!(entries(db, &g, AuditAction::MemberUpdate).await.len(), 1);
}

pub async fn a_vote_keeps_its_rule_and_counts_only_members_from_its_start(db: &TestDb) {
    let (g, owner, m) = community(db, &["alice", "bob", "target"]).await;
    let [alice, bob, target] = m[..] else {
        unreachable!()
    };
    save_settings(db, &g, settings(true, 2, 60)).await;
    let v = start(db, &g, alice, target, db.now).await.unwrap();
    assert_eq!(v.rule.quorum.get(), 2);
    assert_eq!(v.my_ballot, Some(true));

    // New settings apply to new votes only.
    save_settings(db, &g, settings(true, 3, 100)).await;
    let stored = db.store.vote(g.id, v.id, owner).await.unwrap().unwrap();
    assert_eq!(
        (stored.rule.quorum.get(), stored.rule.majority.get()),
        (2, 60)
    );
    assert_eq!(stored.my_ballot, None);

    // A member who joins later cannot vote, and is not waited for: with bob in favour (2 for), the
    // owner is the only outstanding voter and 2 of 3 is 66 %, so the vote passes now under its own
    // rule (quorum 2, 60 %). Counting the latecomer (2 of 4 is 50 %), or applying the new settings
    // (quorum 3), would have kept it open.
    let late = db.register("latecomer", None).await.unwrap();
    let code = invite(db, &g, owner, 0).await;
    db.store
        .join_guild(&code, late.id, db.now + 1, 10)
        .await
        .unwrap();
    assert!(matches!(
        vote(db, &g, &v, late.id, true, db.now + 2).await,
        Err(VoteError::Ineligible(Ineligibility::JoinedAfterStart))
    ));
    assert!(matches!(
        vote(db, &g, &v, target, false, db.now + 2).await,
        Err(VoteError::Ineligible(Ineligibility::Target))
    ));
    let timeout = NewAuditEntry::new(db.id(), g.id, Some(owner), AuditAction::MemberUpdate);
    db.store
        .set_member_timeout(g.id, owner, Some(db.now + 60_000), &timeout)
        .await
        .unwrap();
    assert!(matches!(
        vote(db, &g, &v, owner, false, db.now + 2).await,
        Err(VoteError::Ineligible(Ineligibility::TimedOut))
    ));
    // The initiator's ballot is already in.
    assert!(matches!(
        vote(db, &g, &v, alice, true, db.now + 2).await,
        Err(VoteError::AlreadyVoted)
    ));
    let other = guild(db, owner, 10).await.unwrap();
    assert!(matches!(
        vote(db, &other, &v, bob, true, db.now + 2).await,
        Err(VoteError::NotFound)
    ));
    let passed = vote(db, &g, &v, bob, true, db.now + 3).await.unwrap();
    assert_eq!(passed.vote.status, VoteStatus::Passed);
    assert_eq!(passed.vote.my_ballot, Some(true));
    assert_eq!(passed.vote.closed_at, Some(db.now + 3));

    // The list filters by status and pages backwards.
    let second = start(db, &g, bob, late.id, db.now + 4).await.unwrap();
    let page = |filter, before| VoteQuery {
        guild_id: g.id,
        viewer: alice,
        filter,
        before,
        limit: 10,
    };
    let ids = |votes: Vec<VoteRecord>| votes.iter().map(|v| v.id).collect::<Vec<_>>();
    let all = db
        .store
        .votes_of_guild(&page(VoteFilter::All, None))
        .await
        .unwrap();
    assert_eq!(ids(all.clone()), [second.id, v.id]);
    assert_eq!(all[1].my_ballot, Some(true));
    assert_eq!(all[0].my_ballot, None);
    let open = db
        .store
        .votes_of_guild(&page(VoteFilter::Open, None))
        .await
        .unwrap();
    assert_eq!(ids(open), [second.id]);
    let closed = db
        .store
        .votes_of_guild(&page(VoteFilter::Closed, None))
        .await
        .unwrap();
    assert_eq!(ids(closed), [v.id]);
    let older = db
        .store
        .votes_of_guild(&page(VoteFilter::All, Some(second.id)))
        .await
        .unwrap();
    assert_eq!(ids(older), [v.id]);
}

pub async fn starting_a_vote_is_refused_when_off_absent_open_unreachable_or_too_frequent(
    db: &TestDb,
) {
    let (g, owner, m) = community(db, &["alice", "bob", "carol", "dave", "erin"]).await;
    let [alice, bob, carol, dave, erin] = m[..] else {
        unreachable!()
    };
    // Never configured, then configured but off.
    assert!(matches!(
        start(db, &g, alice, bob, db.now).await,
        Err(VoteError::Disabled)
    ));
    save_settings(db, &g, settings(false, 2, 51)).await;
    assert!(matches!(
        start(db, &g, alice, bob, db.now).await,
        Err(VoteError::Disabled)
    ));
    assert_eq!(
        db.store.vote_settings(g.id).await.unwrap(),
        settings(false, 2, 51)
    );

    // Five members could vote against bob: a quorum of 6 could never be met.
    save_settings(db, &g, settings(true, 6, 51)).await;
    assert!(matches!(
        start(db, &g, alice, bob, db.now).await,
        Err(VoteError::QuorumUnreachable)
    ));
    save_settings(db, &g, settings(true, 2, 51)).await;
    let stranger = db.register("stranger", None).await.unwrap();
    assert!(matches!(
        start(db, &g, alice, stranger.id, db.now).await,
        Err(VoteError::TargetNotMember)
    ));
    assert!(matches!(
        start(db, &g, stranger.id, bob, db.now).await,
        Err(VoteError::NotFound)
    ));
    // Nothing refused left a vote or an entry behind.
    let all = VoteQuery {
        guild_id: g.id,
        viewer: owner,
        filter: VoteFilter::All,
        before: None,
        limit: 100,
    };
    assert!(db.store.votes_of_guild(&all).await.unwrap().is_empty());
    assert!(entries(db, &g, AuditAction::VoteStart).await.is_empty());

    // One open vote per target.
    let first = start(db, &g, alice, bob, db.now).await.unwrap();
    assert!(matches!(
        start(db, &g, carol, bob, db.now).await,
        Err(VoteError::AlreadyOpen)
    ));
    // Three starts an hour per member, cancelled ones included.
    let cancel = NewAuditEntry::new(db.id(), g.id, Some(alice), AuditAction::VoteClose);
    let cancelled = db
        .store
        .cancel_vote(g.id, first.id, db.now + 10, &cancel)
        .await
        .unwrap();
    assert_eq!(cancelled.status, VoteStatus::Cancelled);
    assert_eq!(cancelled.closed_at, Some(db.now + 10));
    assert!(matches!(
        db.store
            .cancel_vote(g.id, first.id, db.now + 11, &cancel)
            .await,
        Err(VoteError::Closed)
    ));
    start(db, &g, alice, carol, db.now + 1_000).await.unwrap();
    start(db, &g, alice, dave, db.now + 2_000).await.unwrap();
    let at = db.now + 5_000;
    match start(db, &g, alice, erin, at).await {
        Err(VoteError::TooManyStarted { retry_after_ms }) => {
            assert_eq!(retry_after_ms, db.now + VOTE_START_WINDOW_MS - at)
        }
        other => panic!("expected TooManyStarted, got {other:?}"),
    }
    // Another member is not held back, and an hour after her first start alice may start again.
    start(db, &g, bob, erin, at).await.unwrap();
    assert!(matches!(
        start(db, &g, alice, bob, db.now + VOTE_START_WINDOW_MS - 1).await,
        Err(VoteError::TooManyStarted { .. })
    ));
    start(db, &g, alice, bob, db.now + VOTE_START_WINDOW_MS)
        .await
        .unwrap();
    assert_eq!(entries(db, &g, AuditAction::VoteStart).await.len(), 5);
    assert_eq!(entries(db, &g, AuditAction::VoteClose).await.len(), 1);
    // Votes of an unknown id or another guild cannot be cancelled.
    let other = guild(db, owner, 10).await.unwrap();
    assert!(matches!(
        db.store
            .cancel_vote(other.id, cancelled.id, at, &cancel)
            .await,
        Err(VoteError::NotFound)
    ));
}

pub async fn concurrent_ballots_close_a_vote_exactly_once(db: &TestDb) {
    let names: Vec<String> = (0..10).map(|i| format!("member{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let (g, _owner, m) = community(db, &names).await;
    save_settings(db, &g, settings(true, 3, 51)).await;
    // Eligible: the owner and member1..member9 (10). After k more ballots in favour, 1 + k for and
    // 9 - k outstanding: certain to pass once (1 + k) * 100 >= 51 * 10, at the fifth.
    let v = start(db, &g, m[1], m[0], db.now).await.unwrap();
    db.warm_up().await;
    let ids = Arc::new(SnowflakeGenerator::new(NodeId::new(4).unwrap()));
    let racers: Vec<_> = m[2..]
        .iter()
        .map(|&voter| {
            let store = db.store.clone();
            let ids = ids.clone();
            let (guild_id, vote_id, at) = (g.id, v.id, db.now + 1);
            tokio::spawn(async move {
                let next_id = || ids.next(wall_clock_ms() as u64);
                let describe = |s: &SettledVote| close_entries(&next_id, s);
                store
                    .cast_ballot(guild_id, vote_id, voter, true, at, &describe)
                    .await
            })
        })
        .collect();
    let mut counted = 0;
    let mut closers = 0;
    let mut refused = 0;
    for racer in racers {
        match racer.await.unwrap() {
            Ok(settled) => {
                counted += 1;
                if settled.vote.status == VoteStatus::Passed {
                    closers += 1;
                    assert_eq!(settled.vote.tally.in_favour, 6);
                    assert!(settled.timeout.is_some());
                }
            }
            Err(VoteError::Closed) => refused += 1,
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!((counted, closers, refused), (5, 1, 3));
    let stored = db.store.vote(g.id, v.id, m[0]).await.unwrap().unwrap();
    assert_eq!(stored.status, VoteStatus::Passed);
    assert_eq!((stored.tally.in_favour, stored.tally.against), (6, 0));
    assert_eq!(entries(db, &g, AuditAction::VoteClose).await.len(), 1);
    assert_eq!(entries(db, &g, AuditAction::MemberUpdate).await.len(), 1);
    assert_eq!(
        timed_out_until(db, &g, m[0]).await,
        Some(db.now + 1 + TIMEOUT_MS)
    );
}

/// Sample rows for the snapshot round trip: settings, a vote that failed early (a channel and a
/// `closed_at`) and an open one (NULLs there), and their ballots.
pub async fn populate(db: &TestDb, owner: Snowflake, member: Snowflake) {
    let g = db
        .store
        .guilds_of_user(owner)
        .await
        .unwrap()
        .remove(0)
        .guild;
    // A third member, so that a vote has more than one voter.
    let carol = db
        .store
        .user_by_username(&hearth_core::Username::parse("carol").unwrap())
        .await
        .unwrap()
        .unwrap();
    let code = db.store.guild_invites(g.id).await.unwrap().remove(0).code;
    db.store
        .join_guild(&code, carol.id, db.now, 10)
        .await
        .unwrap();
    save_settings(db, &g, settings(true, 2, 51)).await;
    let entry = NewAuditEntry::new(db.id(), g.id, Some(owner), AuditAction::VoteStart);
    let failed = db
        .store
        .start_vote(
            &NewVote {
                id: db.id(),
                guild_id: g.id,
                channel_id: g.system_channel_id,
                target_id: member,
                initiator_id: owner,
                reason: "spam \"quoted\" ✨".into(),
                now_ms: db.now,
            },
            &entry,
        )
        .await
        .unwrap();
    // 1 for, 1 against, nobody left to vote: 50 % fails.
    let closed = vote(db, &g, &failed, carol.id, false, db.now + 1)
        .await
        .unwrap();
    assert_eq!(closed.vote.status, VoteStatus::Failed);
    start(db, &g, owner, carol.id, db.now + 2).await.unwrap();
}
