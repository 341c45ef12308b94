//! The limits every outgoing fetch obeys, and the one way to let a forbidden address through (tests).

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use super::address::is_forbidden;

/// Total time for one fetch: every redirect hop, connecting, and reading the body.
pub const DEFAULT_FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// Bytes of a page read for a link preview; the rest is cut off and what arrived is parsed.
pub const DEFAULT_MAX_PAGE_BYTES: u64 = 1024 * 1024;
/// Redirects followed before giving up.
pub const DEFAULT_MAX_REDIRECTS: u8 = 3;
/// Says "bot" so that sites which only serve their preview tags to crawlers serve them to us.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "Mozilla/5.0 (compatible; Hearthbot/",
    env!("CARGO_PKG_VERSION"),
    "; link preview)"
);

/// Limits for a [`SafeFetcher`](super::SafeFetcher).
///
/// Any port is allowed: a public address is public on every port, and link previews of
/// `https://example.com:8443/` are legitimate. What protects the server's own network is the
/// address check, not the port.
#[derive(Debug, Clone)]
pub struct FetchPolicy {
    /// Total time per fetch, redirects and body included.
    pub timeout: Duration,
    /// Body cap for pages ([`SafeFetcher::fetch_page`](super::SafeFetcher::fetch_page)); callers
    /// that fetch images pass their own cap.
    pub max_body_bytes: u64,
    pub max_redirects: u8,
    pub user_agent: String,
    /// Test-only: forbidden addresses that may be fetched anyway (fixture servers on loopback).
    /// A URL with a literal IP must match an entry's address and port. A host name is resolved
    /// without its port being known to the resolver, so for names only the address is matched.
    /// Empty by default, and it must stay empty in production.
    pub allow_loopback_for_tests: Vec<SocketAddr>,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        Self {
            timeout: DEFAULT_FETCH_TIMEOUT,
            max_body_bytes: DEFAULT_MAX_PAGE_BYTES,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            allow_loopback_for_tests: Vec::new(),
        }
    }
}

/// The addresses the policy lets through even though [`is_forbidden`] refuses them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Allowlist(Vec<SocketAddr>);

impl Allowlist {
    pub(crate) fn new(entries: &[SocketAddr]) -> Self {
        Self(entries.to_vec())
    }

    /// Whether a connection to `ip` (on `port`, when the caller knows it) may be made.
    pub(crate) fn permits(&self, ip: IpAddr, port: Option<u16>) -> bool {
        if !is_forbidden(ip) {
            return true;
        }
        self.0
            .iter()
            .any(|entry| entry.ip() == ip && port.is_none_or(|port| entry.port() == port))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_allowlist_permits_only_public_addresses() {
        let allowlist = Allowlist::default();
        assert!(allowlist.permits("8.8.8.8".parse().unwrap(), Some(443)));
        assert!(!allowlist.permits("127.0.0.1".parse().unwrap(), Some(80)));
        assert!(!allowlist.permits("127.0.0.1".parse().unwrap(), None));
    }

    #[test]
    fn an_allowlist_entry_permits_its_address_only_on_its_port() {
        let allowlist = Allowlist::new(&["127.0.0.1:4000".parse().unwrap()]);
        let loopback = "127.0.0.1".parse().unwrap();
        assert!(allowlist.permits(loopback, Some(4000)));
        assert!(!allowlist.permits(loopback, Some(4001)));
        assert!(allowlist.permits(loopback, None));
        assert!(!allowlist.permits("127.0.0.2".parse().unwrap(), Some(4000)));
    }

    #[test]
    fn defaults_match_the_documented_limits() {
        let policy = FetchPolicy::default();
        assert_eq!(policy.timeout, Duration::from_secs(5));
        assert_eq!(policy.max_body_bytes, 1_048_576);
        assert_eq!(policy.max_redirects, 3);
        assert!(policy.allow_loopback_for_tests.is_empty());
        assert!(policy.user_agent.contains("Hearthbot"));
    }
}
