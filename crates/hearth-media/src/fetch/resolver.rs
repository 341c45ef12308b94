//! Name resolution that vets every address before reqwest may connect to it.
//!
//! reqwest connects to exactly the addresses this resolver returns, so the address that was
//! checked is the address that is used: there is no second lookup a rebinding DNS server could
//! answer differently.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::policy::Allowlist;

/// Where names are looked up.
#[derive(Debug, Clone)]
pub(crate) enum Lookup {
    /// The operating system's resolver (through tokio's `lookup_host`).
    System,
    /// A fixed table, for tests that must not touch the network: a name missing from it does
    /// not resolve.
    Static(Arc<HashMap<String, Vec<IpAddr>>>),
}

/// Why a name yielded no address to connect to.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum ResolveError {
    #[error("{host} resolves to the forbidden address {ip}")]
    Forbidden { host: String, ip: IpAddr },
    #[error("{host} has no address")]
    NoAddress { host: String },
    #[error("looking up {host} failed: {message}")]
    Lookup { host: String, message: String },
}

#[derive(Debug, Clone)]
pub(crate) struct GuardedResolver {
    lookup: Lookup,
    allowlist: Allowlist,
}

impl GuardedResolver {
    pub(crate) fn new(lookup: Lookup, allowlist: Allowlist) -> Self {
        Self { lookup, allowlist }
    }

    async fn lookup(&self, host: &str) -> Result<Vec<IpAddr>, ResolveError> {
        match &self.lookup {
            Lookup::System => tokio::net::lookup_host((host, 0))
                .await
                .map(|addrs| addrs.map(|addr| addr.ip()).collect())
                .map_err(|err| ResolveError::Lookup {
                    host: host.to_owned(),
                    message: err.to_string(),
                }),
            Lookup::Static(table) => Ok(table
                .get(&host.to_ascii_lowercase())
                .cloned()
                .unwrap_or_default()),
        }
    }

    /// The addresses of `host`, refused whole if any one of them is forbidden.
    ///
    /// Refusing (rather than dropping the bad addresses and using the rest) is deliberate: a name
    /// that mixes public and internal addresses is either misconfigured or an attack, and there
    /// is no preview worth the risk that the connector falls back to the internal one.
    pub(crate) async fn vetted(&self, host: &str) -> Result<Vec<IpAddr>, ResolveError> {
        let ips = self.lookup(host).await?;
        if let Some(&ip) = ips.iter().find(|&&ip| !self.allowlist.permits(ip, None)) {
            return Err(ResolveError::Forbidden {
                host: host.to_owned(),
                ip,
            });
        }
        if ips.is_empty() {
            return Err(ResolveError::NoAddress {
                host: host.to_owned(),
            });
        }
        Ok(ips)
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let resolver = self.clone();
        Box::pin(async move {
            let ips = resolver.vetted(name.as_str()).await?;
            // Port 0 tells reqwest to use the URL's port.
            let addrs: Addrs = Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver(entries: &[(&str, &[&str])]) -> GuardedResolver {
        let table = entries
            .iter()
            .map(|(name, ips)| {
                (
                    (*name).to_owned(),
                    ips.iter().map(|ip| ip.parse().unwrap()).collect(),
                )
            })
            .collect();
        GuardedResolver::new(Lookup::Static(Arc::new(table)), Allowlist::default())
    }

    #[tokio::test]
    async fn a_name_with_only_public_addresses_resolves_to_them() {
        let resolver = resolver(&[("example.com", &["93.184.216.34", "2606:2800:220:1::1"])]);
        let ips = resolver.vetted("example.com").await.unwrap();
        assert_eq!(ips.len(), 2);
    }

    #[tokio::test]
    async fn a_name_with_one_private_address_among_public_ones_is_refused() {
        let resolver = resolver(&[("mixed.test", &["93.184.216.34", "10.0.0.1"])]);
        let err = resolver.vetted("mixed.test").await.unwrap_err();
        assert!(
            matches!(err, ResolveError::Forbidden { ip, .. } if ip == "10.0.0.1".parse::<IpAddr>().unwrap())
        );
    }

    #[tokio::test]
    async fn a_name_missing_from_a_static_table_has_no_address() {
        let resolver = resolver(&[]);
        let err = resolver.vetted("unknown.test").await.unwrap_err();
        assert!(matches!(err, ResolveError::NoAddress { .. }));
    }

    #[tokio::test]
    async fn static_lookups_ignore_case() {
        let resolver = resolver(&[("example.com", &["93.184.216.34"])]);
        assert!(resolver.vetted("EXAMPLE.com").await.is_ok());
    }
}
