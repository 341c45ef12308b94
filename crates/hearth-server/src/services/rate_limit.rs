//! Request rate limits: token buckets per IP address, per user, and for the sign-in endpoints.
//!
//! governor's GCRA buckets are keyed and lock-free; `StateInformationMiddleware` reports the remaining
//! burst so responses can carry `X-RateLimit-*` headers. Buckets idle long enough to be full again are
//! forgotten by [`RateLimits::sweep`], which the server runs periodically, keeping memory bounded by the
//! number of recently active keys.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::config::RateLimitConfig;

type Keyed<K> = RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock, StateInformationMiddleware>;

/// What a response tells the client about the bucket that applied.
#[derive(Debug, Clone, Copy)]
pub struct RateInfo {
    pub limit: u32,
    pub remaining: u32,
    /// Time until the bucket is full again (or, when refused, until the next request is allowed).
    pub reset_after: Duration,
    pub refused: bool,
}

pub struct RateLimits {
    per_ip: Keyed<IpAddr>,
    per_user: Keyed<u64>,
    auth_per_ip: Keyed<IpAddr>,
    clock: DefaultClock,
}

fn nonzero(n: u32) -> NonZeroU32 {
    // Config validation rejects zeros; this is the fallback should one slip through.
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

fn keyed<K: std::hash::Hash + Eq + Clone>(quota: Quota) -> Keyed<K> {
    RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>()
}

impl RateLimits {
    pub fn new(config: &RateLimitConfig) -> Self {
        Self {
            per_ip: keyed(
                Quota::per_second(nonzero(config.per_ip_per_second))
                    .allow_burst(nonzero(config.per_ip_burst)),
            ),
            per_user: keyed(
                Quota::per_second(nonzero(config.per_user_per_second))
                    .allow_burst(nonzero(config.per_user_burst)),
            ),
            auth_per_ip: keyed(
                Quota::per_minute(nonzero(config.auth_per_ip_per_minute))
                    .allow_burst(nonzero(config.auth_per_ip_burst)),
            ),
            clock: DefaultClock::default(),
        }
    }

    pub fn check_ip(&self, ip: IpAddr) -> RateInfo {
        self.check(&self.per_ip, &ip)
    }

    pub fn check_user(&self, user_id: u64) -> RateInfo {
        self.check(&self.per_user, &user_id)
    }

    pub fn check_auth(&self, ip: IpAddr) -> RateInfo {
        self.check(&self.auth_per_ip, &ip)
    }

    fn check<K: std::hash::Hash + Eq + Clone>(&self, limiter: &Keyed<K>, key: &K) -> RateInfo {
        match limiter.check_key(key) {
            Ok(snapshot) => {
                let quota = snapshot.quota();
                let remaining = snapshot.remaining_burst_capacity();
                let used = quota.burst_size().get().saturating_sub(remaining);
                RateInfo {
                    limit: quota.burst_size().get(),
                    remaining,
                    reset_after: quota.replenish_interval() * used,
                    refused: false,
                }
            }
            Err(not_until) => RateInfo {
                limit: not_until.quota().burst_size().get(),
                remaining: 0,
                reset_after: not_until.wait_time_from(self.clock.now()),
                refused: true,
            },
        }
    }

    /// Forgets buckets that have refilled; run periodically.
    pub fn sweep(&self) {
        self.per_ip.retain_recent();
        self.per_user.retain_recent();
        self.auth_per_ip.retain_recent();
        self.per_ip.shrink_to_fit();
        self.per_user.shrink_to_fit();
        self.auth_per_ip.shrink_to_fit();
    }
}
