//! Voting moderation: a guild's settings for member votes to time someone out, and the rule that
//! decides a vote, early when the remaining voters can no longer change the result.
//!
//! A vote passes when enough members took part (`for + against >= quorum`) and a large enough share
//! of them were in favour (`for * 100 >= majority_percent * (for + against)`). Members who do not vote
//! neither help nor hurt, except towards the quorum.

use crate::ValidationError;
use crate::text::text_field;
use crate::validation::check_range;

pub const VOTE_QUORUM_MIN: u32 = 2;
pub const VOTE_QUORUM_MAX: u32 = 1000;
/// A simple majority at least: a vote that half the voters oppose does not silence anyone.
pub const VOTE_MAJORITY_MIN_PERCENT: u32 = 51;
pub const VOTE_MAJORITY_MAX_PERCENT: u32 = 100;
/// Long enough for members to notice the vote, short enough to act on a disruption while it lasts.
pub const VOTE_DURATION_MIN_SECS: u32 = 30;
pub const VOTE_DURATION_MAX_SECS: u32 = 24 * 3600;
pub const VOTE_TIMEOUT_MIN_SECS: u32 = 60;
/// Discord's longest timeout: 28 days.
pub const VOTE_TIMEOUT_MAX_SECS: u32 = 28 * 24 * 3600;
pub const VOTE_REASON_MAX_CHARS: usize = 512;

/// Votes one member may start in a guild within [`VOTE_START_WINDOW_MS`]: enough to answer a raid of a
/// few accounts, too few to harass members with a stream of votes.
pub const VOTES_STARTED_PER_WINDOW: u32 = 3;
pub const VOTE_START_WINDOW_MS: i64 = 3_600_000;

/// Votes (for and against together) needed for a result to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quorum(u32);

impl Quorum {
    pub fn parse(raw: i64) -> Result<Self, ValidationError> {
        check_range(raw, VOTE_QUORUM_MIN.into(), VOTE_QUORUM_MAX.into()).map(|q| Self(q as u32))
    }

    /// Rebuilds a stored value, clamped into the bounds so that a damaged row cannot make every vote
    /// pass (a quorum of 0) or none (one above any guild's size).
    pub fn from_trusted(stored: i64) -> Self {
        Self(stored.clamp(VOTE_QUORUM_MIN.into(), VOTE_QUORUM_MAX.into()) as u32)
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// The share of votes in favour needed to pass, in percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MajorityPercent(u32);

impl MajorityPercent {
    pub fn parse(raw: i64) -> Result<Self, ValidationError> {
        check_range(
            raw,
            VOTE_MAJORITY_MIN_PERCENT.into(),
            VOTE_MAJORITY_MAX_PERCENT.into(),
        )
        .map(|p| Self(p as u32))
    }

    /// Rebuilds a stored value, clamped into the bounds (see [`Quorum::from_trusted`]).
    pub fn from_trusted(stored: i64) -> Self {
        Self(stored.clamp(
            VOTE_MAJORITY_MIN_PERCENT.into(),
            VOTE_MAJORITY_MAX_PERCENT.into(),
        ) as u32)
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// How long a vote stays open, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VoteDuration(u32);

impl VoteDuration {
    pub fn parse(raw_secs: i64) -> Result<Self, ValidationError> {
        check_range(
            raw_secs,
            VOTE_DURATION_MIN_SECS.into(),
            VOTE_DURATION_MAX_SECS.into(),
        )
        .map(|s| Self(s as u32))
    }

    /// Rebuilds a stored value, clamped into the bounds.
    pub fn from_trusted(stored: i64) -> Self {
        Self(stored.clamp(VOTE_DURATION_MIN_SECS.into(), VOTE_DURATION_MAX_SECS.into()) as u32)
    }

    pub fn secs(self) -> u32 {
        self.0
    }

    pub fn millis(self) -> i64 {
        i64::from(self.0) * 1000
    }
}

/// How long a passed vote times its target out, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VoteTimeout(u32);

impl VoteTimeout {
    pub fn parse(raw_secs: i64) -> Result<Self, ValidationError> {
        check_range(
            raw_secs,
            VOTE_TIMEOUT_MIN_SECS.into(),
            VOTE_TIMEOUT_MAX_SECS.into(),
        )
        .map(|s| Self(s as u32))
    }

    /// Rebuilds a stored value, clamped into the bounds.
    pub fn from_trusted(stored: i64) -> Self {
        Self(stored.clamp(VOTE_TIMEOUT_MIN_SECS.into(), VOTE_TIMEOUT_MAX_SECS.into()) as u32)
    }

    pub fn secs(self) -> u32 {
        self.0
    }

    pub fn millis(self) -> i64 {
        i64::from(self.0) * 1000
    }
}

text_field!(
    /// Why a member started a vote: 1–512 characters on one line, shown to every member.
    VoteReason, 1, VOTE_REASON_MAX_CHARS, false
);

/// A guild's voting-moderation settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteSettings {
    pub enabled: bool,
    pub quorum: Quorum,
    pub majority: MajorityPercent,
    pub duration: VoteDuration,
    pub timeout: VoteTimeout,
}

impl VoteSettings {
    /// What a guild that never saved settings has: voting off, and values that make sense for a
    /// small community when it is turned on (three votes, 60 % in favour, five minutes, ten minutes'
    /// timeout).
    pub const DEFAULT: Self = Self {
        enabled: false,
        quorum: Quorum(3),
        majority: MajorityPercent(60),
        duration: VoteDuration(300),
        timeout: VoteTimeout(600),
    };

    pub fn rule(&self) -> VoteRule {
        VoteRule {
            quorum: self.quorum,
            majority: self.majority,
        }
    }
}

/// The rule a vote is decided by, copied onto the vote when it starts so that changing the settings
/// does not change a running vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteRule {
    pub quorum: Quorum,
    pub majority: MajorityPercent,
}

impl VoteRule {
    /// Whether `tally` meets the quorum and the majority.
    pub fn passes(self, tally: Tally) -> bool {
        let (yes, no) = (u64::from(tally.in_favour), u64::from(tally.against));
        yes + no >= u64::from(self.quorum.get())
            && yes * 100 >= u64::from(self.majority.get()) * (yes + no)
    }

    /// How many outstanding voters can matter to [`decide`] for `tally`: with this many or more,
    /// its answer is the same, so a count of the outstanding voters may stop here. It keeps the
    /// count per ballot proportional to the vote (its quorum and ballots), not to the guild's size.
    ///
    /// Both early-decision tests are monotonic in the number of outstanding voters `r`: "still
    /// passes with all `r` against" holds up to some `r` and never again, and "would pass with all
    /// `r` in favour" fails up to some `r` and holds from then on (or never holds). Past both turning
    /// points nothing changes.
    pub fn outstanding_that_matters(self, tally: Tally) -> u32 {
        let stops_passing = first_true(|r| {
            !self.passes(Tally {
                against: tally.against.saturating_add(r),
                ..tally
            })
        });
        let starts_passing = first_true(|r| {
            self.passes(Tally {
                in_favour: tally.in_favour.saturating_add(r),
                ..tally
            })
        });
        stops_passing
            .unwrap_or(u32::MAX)
            .max(starts_passing.unwrap_or(0))
    }
}

/// The smallest `r` for which `holds(r)`, for a predicate that is false up to some point and true
/// from there on; `None` when it never holds.
fn first_true(holds: impl Fn(u32) -> bool) -> Option<u32> {
    if !holds(u32::MAX) {
        return None;
    }
    let (mut low, mut high) = (0u32, u32::MAX);
    while low < high {
        let mid = low + (high - low) / 2;
        if holds(mid) {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    Some(low)
}

/// The ballots cast so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub in_favour: u32,
    pub against: u32,
}

/// How a vote ended on its own (a cancellation is not an outcome of the count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed,
}

/// The result of a vote, if it is known: always when the vote has `ended`, and before that as soon
/// as no way the `outstanding` voters (eligible members who have not voted) could vote or abstain
/// would change it.
///
/// More votes in favour never hurt a vote's chances (they count towards the quorum, and the majority
/// is at most 100 %), and more votes against never help them. So the result is certain to be a pass
/// when it passes now and would still pass with every outstanding voter against, and certain to be a
/// failure when it would fail even with every outstanding voter in favour.
pub fn decide(tally: Tally, outstanding: u32, rule: VoteRule, ended: bool) -> Option<Outcome> {
    let passes_now = rule.passes(tally);
    if ended {
        return Some(if passes_now {
            Outcome::Passed
        } else {
            Outcome::Failed
        });
    }
    let all_against = Tally {
        against: tally.against.saturating_add(outstanding),
        ..tally
    };
    let all_in_favour = Tally {
        in_favour: tally.in_favour.saturating_add(outstanding),
        ..tally
    };
    if passes_now && rule.passes(all_against) {
        Some(Outcome::Passed)
    } else if !rule.passes(all_in_favour) {
        Some(Outcome::Failed)
    } else {
        None
    }
}

/// Where a vote stands. The discriminant is the database code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum VoteStatus {
    Open = 0,
    Passed = 1,
    Failed = 2,
    Cancelled = 3,
}

impl VoteStatus {
    pub fn code(self) -> i64 {
        self as i64
    }

    /// The status with this code; `None` for a code this binary does not know.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            0 => Some(Self::Open),
            1 => Some(Self::Passed),
            2 => Some(Self::Failed),
            3 => Some(Self::Cancelled),
            _ => None,
        }
    }

    /// The wire name (`"open"`, `"passed"`, `"failed"`, `"cancelled"`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn is_open(self) -> bool {
        self == Self::Open
    }
}

impl From<Outcome> for VoteStatus {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Passed => Self::Passed,
            Outcome::Failed => Self::Failed,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn rule(quorum: u32, majority: u32) -> VoteRule {
        VoteRule {
            quorum: Quorum::parse(quorum.into()).unwrap(),
            majority: MajorityPercent::parse(majority.into()).unwrap(),
        }
    }

    fn tally(in_favour: u32, against: u32) -> Tally {
        Tally { in_favour, against }
    }

    #[test]
    fn settings_bounds_are_inclusive() {
        assert!(Quorum::parse(1).is_err() && Quorum::parse(1001).is_err());
        assert_eq!(Quorum::parse(2).unwrap().get(), 2);
        assert_eq!(Quorum::parse(1000).unwrap().get(), 1000);
        assert!(MajorityPercent::parse(50).is_err() && MajorityPercent::parse(101).is_err());
        assert_eq!(MajorityPercent::parse(51).unwrap().get(), 51);
        assert!(VoteDuration::parse(29).is_err() && VoteDuration::parse(86_401).is_err());
        assert_eq!(VoteDuration::parse(30).unwrap().millis(), 30_000);
        assert!(VoteTimeout::parse(59).is_err() && VoteTimeout::parse(2_419_201).is_err());
        assert_eq!(VoteTimeout::parse(2_419_200).unwrap().secs(), 2_419_200);
        assert_eq!(
            Quorum::parse(-1),
            Err(ValidationError::Range { min: 2, max: 1000 })
        );
        // Damaged stored values are pulled back into the bounds.
        assert_eq!(Quorum::from_trusted(0).get(), 2);
        assert_eq!(MajorityPercent::from_trusted(500).get(), 100);
        const { assert!(!VoteSettings::DEFAULT.enabled) };
    }

    #[test]
    fn reasons_are_one_line_of_at_most_512_characters() {
        assert_eq!(VoteReason::parse("  spam  ").unwrap().as_str(), "spam");
        assert!(VoteReason::parse("   ").is_err());
        assert!(VoteReason::parse("a\nb").is_err());
        assert!(VoteReason::parse(&"é".repeat(512)).is_ok());
        assert!(VoteReason::parse(&"é".repeat(513)).is_err());
    }

    #[test]
    fn a_vote_passes_with_quorum_and_majority() {
        let r = rule(3, 60);
        assert!(r.passes(tally(3, 0)));
        assert!(r.passes(tally(3, 2)), "exactly 60 %");
        assert!(!r.passes(tally(2, 0)), "below quorum");
        assert!(!r.passes(tally(2, 2)), "50 %");
        let unanimous = rule(2, 100);
        assert!(unanimous.passes(tally(2, 0)) && !unanimous.passes(tally(9, 1)));
    }

    #[test]
    fn decide_closes_early_only_when_the_result_is_certain() {
        let r = rule(3, 60);
        // 3 for, 0 against, 1 outstanding: even against it stays at 75 %.
        assert_eq!(decide(tally(3, 0), 1, r, false), Some(Outcome::Passed));
        // 3 for, 0 against, 3 outstanding: three against would make it 50 %.
        assert_eq!(decide(tally(3, 0), 3, r, false), None);
        // 1 for, 0 against, 1 outstanding: the quorum of 3 is out of reach.
        assert_eq!(decide(tally(1, 0), 1, r, false), Some(Outcome::Failed));
        // 1 for, 2 against, 2 outstanding: at best 3 of 5 = 60 %, still possible.
        assert_eq!(decide(tally(1, 2), 2, r, false), None);
        // 1 for, 3 against, 2 outstanding: at best 3 of 6 = 50 %.
        assert_eq!(decide(tally(1, 3), 2, r, false), Some(Outcome::Failed));
        // At the end the count is what it is.
        assert_eq!(decide(tally(2, 0), 10, r, true), Some(Outcome::Failed));
        assert_eq!(decide(tally(3, 1), 10, r, true), Some(Outcome::Passed));
        assert_eq!(decide(tally(0, 0), 0, r, true), Some(Outcome::Failed));
    }

    #[test]
    fn only_a_few_outstanding_voters_matter_to_a_small_vote() {
        // Quorum 3, 60 %: at the start (1 for) two more ballots in favour would pass it, and no
        // number of outstanding voters makes it certain to pass.
        assert_eq!(rule(3, 60).outstanding_that_matters(tally(1, 0)), 2);
        // Unanimity lost: it can never pass, however many are left.
        assert_eq!(rule(3, 100).outstanding_that_matters(tally(4, 1)), 0);
        // 3 for, 0 against: certain to pass while at most 2 could still vote against, and 0 more
        // needed to pass: 3 matter.
        assert_eq!(rule(3, 60).outstanding_that_matters(tally(3, 0)), 3);
    }

    #[test]
    fn statuses_round_trip_their_codes() {
        for status in [
            VoteStatus::Open,
            VoteStatus::Passed,
            VoteStatus::Failed,
            VoteStatus::Cancelled,
        ] {
            assert_eq!(VoteStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(VoteStatus::from_code(4), None);
        assert_eq!(VoteStatus::from(Outcome::Passed).name(), "passed");
    }

    /// Every result the outstanding voters could still bring about: each votes for, against, or not.
    fn reachable(t: Tally, outstanding: u32, r: VoteRule) -> (bool, bool) {
        let (mut can_pass, mut can_fail) = (false, false);
        for more_for in 0..=outstanding {
            for more_against in 0..=outstanding - more_for {
                let end = tally(t.in_favour + more_for, t.against + more_against);
                match decide(end, 0, r, true) {
                    Some(Outcome::Passed) => can_pass = true,
                    _ => can_fail = true,
                }
            }
        }
        (can_pass, can_fail)
    }

    proptest! {
        #[test]
        fn an_early_decision_is_the_only_result_still_possible(
            in_favour in 0u32..12, against in 0u32..12, outstanding in 0u32..12,
            quorum in 2u32..20, majority in 51u32..=100,
        ) {
            let r = rule(quorum, majority);
            let t = tally(in_favour, against);
            let (can_pass, can_fail) = reachable(t, outstanding, r);
            match decide(t, outstanding, r, false) {
                Some(Outcome::Passed) => prop_assert!(can_pass && !can_fail),
                Some(Outcome::Failed) => prop_assert!(can_fail && !can_pass),
                // Undecided only while both results are still possible: no vote waits needlessly.
                None => prop_assert!(can_pass && can_fail),
            }
        }

        #[test]
        fn an_ended_vote_always_has_a_result_matching_the_rule(
            in_favour in 0u32..2000, against in 0u32..2000, outstanding in 0u32..2000,
            quorum in 2u32..=1000, majority in 51u32..=100,
        ) {
            let r = rule(quorum, majority);
            let t = tally(in_favour, against);
            let expected = if r.passes(t) { Outcome::Passed } else { Outcome::Failed };
            prop_assert_eq!(decide(t, outstanding, r, true), Some(expected));
        }

        #[test]
        fn counting_outstanding_voters_past_those_that_matter_changes_nothing(
            in_favour in 0u32..50, against in 0u32..50, outstanding in 0u32..3000,
            quorum in 2u32..=1000, majority in 51u32..=100,
        ) {
            let r = rule(quorum, majority);
            let t = tally(in_favour, against);
            let cap = r.outstanding_that_matters(t);
            prop_assert_eq!(
                decide(t, outstanding.min(cap), r, false),
                decide(t, outstanding, r, false)
            );
        }

        #[test]
        fn huge_counts_do_not_overflow(in_favour: u32, against: u32, outstanding: u32) {
            let _ = decide(tally(in_favour, against), outstanding, rule(2, 51), false);
        }
    }
}
