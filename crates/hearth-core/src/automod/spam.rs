//! The recent messages of one author in one guild, which MESSAGE_SPAM rules count. The server keeps
//! one [`SpamHistory`] per (guild, author) and passes a snapshot of it to [`super::check`].

use std::collections::VecDeque;

/// Entries kept per author: one more than the largest `max_messages` or `max_duplicates`, which is
/// all a rule needs to see to decide.
pub const SPAM_HISTORY_LEN: usize = super::SPAM_MESSAGES_MAX as usize + 1;

/// One author's recent sends in one guild: when (unix ms) and the content's [`super::fingerprint`],
/// oldest first, at most [`SPAM_HISTORY_LEN`] and none older than the window asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpamHistory {
    entries: VecDeque<(i64, u64)>,
}

impl SpamHistory {
    /// Records a send at `now_ms` and returns what came before it within `window_ms`, for the check.
    /// Every screened send is recorded, blocked ones included, so that an author who keeps flooding
    /// stays over the limit instead of getting a fresh allowance each window.
    pub fn record(&mut self, now_ms: i64, fingerprint: u64, window_ms: i64) -> Vec<(i64, u64)> {
        self.forget_before(now_ms - window_ms);
        let earlier: Vec<(i64, u64)> = self.entries.iter().copied().collect();
        if self.entries.len() == SPAM_HISTORY_LEN {
            self.entries.pop_front();
        }
        self.entries.push_back((now_ms, fingerprint));
        earlier
    }

    /// The time of the newest entry, if any (to find idle histories).
    pub fn last_at(&self) -> Option<i64> {
        self.entries.back().map(|(at, _)| *at)
    }

    fn forget_before(&mut self, cutoff_ms: i64) {
        while self.entries.front().is_some_and(|(at, _)| *at < cutoff_ms) {
            self.entries.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_is_bounded_and_forgets_what_left_the_window() {
        let mut history = SpamHistory::default();
        for i in 0..200 {
            history.record(i, 7, 1_000_000);
        }
        assert_eq!(history.entries.len(), SPAM_HISTORY_LEN);
        let earlier = history.record(10_000, 7, 1_000);
        assert!(earlier.is_empty(), "everything is older than the window");
        assert_eq!(history.last_at(), Some(10_000));
        let earlier = history.record(10_500, 8, 1_000);
        assert_eq!(earlier, vec![(10_000, 7)]);
    }
}
