//! Login throttling: failed sign-ins are counted per account and per IP address, and either one reaching
//! its limit within the window locks further attempts (right or wrong) until the lockout ends.
//!
//! Kept in memory on each node for now; the cluster issue moves it onto shared state. Both maps are
//! bounded: past `MAX_TRACKED` keys, expired entries are swept, and if that is not enough the entries
//! closest to expiry go first, so an attacker cycling through usernames cannot grow memory without limit.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::AuthConfig;

const MAX_TRACKED: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    window_start: Instant,
    locked_until: Option<Instant>,
}

#[derive(Debug)]
struct Counter<K> {
    entries: Mutex<HashMap<K, Failures>>,
    limit: u32,
}

impl<K: Hash + Eq + Clone> Counter<K> {
    fn new(limit: u32) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            limit,
        }
    }

    fn locked_for<Q: Hash + Eq + ?Sized>(&self, key: &Q, now: Instant) -> Option<Duration>
    where
        K: Borrow<Q>,
    {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .and_then(|f| f.locked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
    }

    fn record(&self, key: K, now: Instant, window: Duration, lockout: Duration) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_TRACKED && !entries.contains_key(&key) {
            sweep(&mut entries, now, window);
        }
        let entry = entries.entry(key).or_insert(Failures {
            count: 0,
            window_start: now,
            locked_until: None,
        });
        if now.duration_since(entry.window_start) > window {
            *entry = Failures {
                count: 0,
                window_start: now,
                locked_until: None,
            };
        }
        entry.count += 1;
        if entry.count >= self.limit {
            entry.locked_until = Some(now + lockout);
            // The next lockout needs a full set of fresh failures.
            entry.count = 0;
            entry.window_start = now;
        }
    }

    fn clear<Q: Hash + Eq + ?Sized>(&self, key: &Q)
    where
        K: Borrow<Q>,
    {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

fn sweep<K: Hash + Eq + Clone>(entries: &mut HashMap<K, Failures>, now: Instant, window: Duration) {
    entries.retain(|_, f| {
        now.duration_since(f.window_start) <= window || f.locked_until.is_some_and(|u| u > now)
    });
    if entries.len() >= MAX_TRACKED {
        let mut oldest: Vec<(K, Instant)> = entries
            .iter()
            .map(|(k, f)| (k.clone(), f.window_start))
            .collect();
        oldest.sort_by_key(|(_, started)| *started);
        for (key, _) in oldest.into_iter().take(MAX_TRACKED / 10) {
            entries.remove(&key);
        }
    }
}

#[derive(Debug)]
pub struct LoginThrottle {
    accounts: Counter<String>,
    addresses: Counter<IpAddr>,
    window: Duration,
    lockout: Duration,
}

impl LoginThrottle {
    pub fn new(config: &AuthConfig) -> Self {
        Self {
            accounts: Counter::new(config.max_failures_per_account),
            addresses: Counter::new(config.max_failures_per_ip),
            window: Duration::from_secs(config.failure_window_secs),
            lockout: Duration::from_secs(config.lockout_secs),
        }
    }

    /// How long the caller must wait, if the account (by canonical username) or the address is locked.
    pub fn check(&self, account: &str, ip: IpAddr) -> Option<Duration> {
        let now = Instant::now();
        let by_account = self.accounts.locked_for(account, now);
        let by_ip = self.addresses.locked_for(&ip, now);
        by_account.max(by_ip)
    }

    /// Counts a failed attempt; unknown usernames count too, so the answer does not reveal which exist.
    pub fn record_failure(&self, account: &str, ip: IpAddr) {
        let now = Instant::now();
        self.accounts
            .record(account.to_owned(), now, self.window, self.lockout);
        self.addresses.record(ip, now, self.window, self.lockout);
    }

    /// A successful sign-in forgives the account's earlier failures (not the address's).
    pub fn record_success(&self, account: &str) {
        self.accounts.clear(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(&AuthConfig {
            max_failures_per_account: 3,
            max_failures_per_ip: 5,
            ..AuthConfig::default()
        })
    }

    #[test]
    fn an_account_locks_after_its_failure_limit() {
        let t = throttle();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..2 {
            t.record_failure("alice", ip);
        }
        assert!(t.check("alice", ip).is_none());
        t.record_failure("alice", ip);
        assert!(t.check("alice", ip).is_some());
        assert!(t.check("bob", "10.0.0.2".parse().unwrap()).is_none());
    }

    #[test]
    fn an_address_locks_after_failures_across_accounts() {
        let t = throttle();
        let ip: IpAddr = "10.0.0.9".parse().unwrap();
        for i in 0..5 {
            t.record_failure(&format!("user{i}"), ip);
        }
        assert!(t.check("someone-else", ip).is_some());
    }

    #[test]
    fn success_clears_the_account_counter() {
        let t = throttle();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        t.record_failure("alice", ip);
        t.record_failure("alice", ip);
        t.record_success("alice");
        t.record_failure("alice", ip);
        assert!(t.check("alice", ip).is_none());
    }

    #[test]
    fn memory_stays_bounded_under_username_cycling() {
        let t = throttle();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for i in 0..(MAX_TRACKED + 500) {
            t.record_failure(&format!("u{i}"), ip);
        }
        assert!(t.accounts.entries.lock().unwrap().len() <= MAX_TRACKED);
    }
}
