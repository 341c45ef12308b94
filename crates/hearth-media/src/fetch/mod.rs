//! Fetching third-party URLs on the server's behalf without letting them reach the server's own
//! network (SSRF): link previews, and the media proxy that downloads preview images so readers'
//! addresses never reach third parties.
//!
//! Every hop is checked before it is sent: the scheme (http/https), a literal IP host against
//! [`is_forbidden`], and a host name through a resolver that refuses forbidden answers and hands
//! reqwest exactly the addresses it checked. Redirects are followed here, one checked hop at a
//! time; no cookies are kept, no proxy is used, no compression is negotiated, and one timeout
//! covers the whole fetch.

mod address;
mod body;
mod policy;
mod resolver;

use std::collections::HashMap;
use std::error::Error as _;
use std::net::IpAddr;
use std::sync::Arc;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, LOCATION};
use url::{Host, Url};

pub use address::is_forbidden;
pub use body::BodyLimit;
pub use policy::{
    DEFAULT_FETCH_TIMEOUT, DEFAULT_MAX_PAGE_BYTES, DEFAULT_MAX_REDIRECTS, DEFAULT_USER_AGENT,
    FetchPolicy,
};

use policy::Allowlist;
use resolver::{GuardedResolver, Lookup, ResolveError};

/// Why a fetch produced no body.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    /// The URL's host is, or resolves to, an address the server must not reach.
    #[error("{host} is or resolves to the forbidden address {ip}")]
    Forbidden { host: String, ip: IpAddr },
    #[error("only http and https URLs are fetched, not {0}")]
    BadScheme(String),
    /// The URL (or a redirect's Location) has no host or cannot be parsed.
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
    #[error("more than {0} redirects")]
    TooManyRedirects(u8),
    #[error("the fetch took too long")]
    Timeout,
    #[error("the body is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    /// The final answer was not a success (or was a redirect without a Location).
    #[error("the server answered {0}")]
    Http(StatusCode),
    #[error("network error: {0}")]
    Network(String),
    #[error("the HTTP client could not be built: {0}")]
    Client(String),
}

impl FetchError {
    fn from_reqwest(err: reqwest::Error) -> Self {
        if let Some(resolve) = find_source::<ResolveError>(&err) {
            return match resolve {
                ResolveError::Forbidden { host, ip } => Self::Forbidden {
                    host: host.clone(),
                    ip: *ip,
                },
                other => Self::Network(other.to_string()),
            };
        }
        if err.is_timeout() {
            return Self::Timeout;
        }
        Self::Network(error_chain(&err))
    }
}

/// A successful fetch.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// Where the body came from, after redirects.
    pub final_url: Url,
    pub status: StatusCode,
    /// As the server sent it: a claim, not a fact; callers sniff the body.
    pub content_type: Option<String>,
    pub body: Bytes,
    /// True when the body was cut at the cap ([`BodyLimit::Truncate`]).
    pub truncated: bool,
}

/// Fetches URLs under a [`FetchPolicy`]. Build one and share it: it holds one connection pool.
#[derive(Debug, Clone)]
pub struct SafeFetcher {
    client: reqwest::Client,
    policy: Arc<FetchPolicy>,
    allowlist: Allowlist,
}

/// What we ask for: pages first, then media, then anything.
const ACCEPT_VALUE: &str =
    "text/html,application/xhtml+xml;q=0.9,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5";

impl SafeFetcher {
    /// A fetcher that resolves names with the operating system's resolver.
    pub fn new(policy: FetchPolicy) -> Result<Self, FetchError> {
        Self::build(policy, Lookup::System)
    }

    /// A fetcher that resolves names only from `names` (lowercase host → addresses), for tests
    /// that must stay offline; a name missing from the table does not resolve.
    pub fn with_static_resolver(
        policy: FetchPolicy,
        names: HashMap<String, Vec<IpAddr>>,
    ) -> Result<Self, FetchError> {
        let names = names
            .into_iter()
            .map(|(name, ips)| (name.to_ascii_lowercase(), ips))
            .collect();
        Self::build(policy, Lookup::Static(Arc::new(names)))
    }

    fn build(policy: FetchPolicy, lookup: Lookup) -> Result<Self, FetchError> {
        let allowlist = Allowlist::new(&policy.allow_loopback_for_tests);
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static(ACCEPT_VALUE));
        let client = reqwest::Client::builder()
            .dns_resolver(GuardedResolver::new(lookup, allowlist.clone()))
            // Followed by hand so that every hop is checked.
            .redirect(reqwest::redirect::Policy::none())
            // A proxy would resolve names itself, past our resolver.
            .no_proxy()
            .referer(false)
            // Never negotiate compression, whatever features other crates turn on: Content-Length
            // then describes the bytes read, and no decoder runs on hostile input.
            .no_gzip()
            .no_brotli()
            .no_zstd()
            .no_deflate()
            .user_agent(policy.user_agent.as_str())
            .default_headers(headers)
            .build()
            .map_err(|err| FetchError::Client(error_chain(&err)))?;
        Ok(Self {
            client,
            policy: Arc::new(policy),
            allowlist,
        })
    }

    pub fn policy(&self) -> &FetchPolicy {
        &self.policy
    }

    /// A page for a link preview: cut at the policy's `max_body_bytes`.
    pub async fn fetch_page(&self, url: &Url) -> Result<Fetched, FetchError> {
        self.fetch(url, BodyLimit::Truncate(self.policy.max_body_bytes))
            .await
    }

    /// A media file for the proxy: refused whole beyond `max_bytes`.
    pub async fn fetch_media(&self, url: &Url, max_bytes: u64) -> Result<Fetched, FetchError> {
        self.fetch(url, BodyLimit::Refuse(max_bytes)).await
    }

    /// GET `url`, following at most `max_redirects` checked redirects, all within the timeout.
    pub async fn fetch(&self, url: &Url, limit: BodyLimit) -> Result<Fetched, FetchError> {
        tokio::time::timeout(self.policy.timeout, self.fetch_following(url, limit))
            .await
            .map_err(|_| FetchError::Timeout)?
    }

    async fn fetch_following(&self, url: &Url, limit: BodyLimit) -> Result<Fetched, FetchError> {
        let mut current = self.vetted_url(url)?;
        let mut redirects: u8 = 0;
        loop {
            let response = self
                .client
                .get(current.clone())
                .send()
                .await
                .map_err(FetchError::from_reqwest)?;
            let status = response.status();
            if is_followed_redirect(status)
                && let Some(location) = response.headers().get(LOCATION)
            {
                if redirects >= self.policy.max_redirects {
                    return Err(FetchError::TooManyRedirects(self.policy.max_redirects));
                }
                redirects += 1;
                let location = location
                    .to_str()
                    .map_err(|_| FetchError::InvalidUrl("a Location that is not text".into()))?;
                let next = current
                    .join(location)
                    .map_err(|err| FetchError::InvalidUrl(format!("{location}: {err}")))?;
                current = self.vetted_url(&next)?;
                continue;
            }
            if !status.is_success() {
                return Err(FetchError::Http(status));
            }
            let content_type = response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned);
            let (body, truncated) = body::read_capped(response, limit).await?;
            return Ok(Fetched {
                final_url: current,
                status,
                content_type,
                body,
                truncated,
            });
        }
    }

    /// `url` if it may be requested, without credentials or fragment.
    ///
    /// Host names are vetted later, by the resolver, on the addresses actually connected to;
    /// literal IPs never reach a resolver, so they are vetted here. The `url` crate has already
    /// normalised decimal, octal and hexadecimal IPv4 spellings into `Host::Ipv4`.
    fn vetted_url(&self, url: &Url) -> Result<Url, FetchError> {
        let scheme = url.scheme();
        if scheme != "http" && scheme != "https" {
            return Err(FetchError::BadScheme(scheme.to_owned()));
        }
        let ip = match url.host() {
            None => return Err(FetchError::InvalidUrl(format!("{url} has no host"))),
            Some(Host::Domain(_)) => None,
            Some(Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        };
        if let Some(ip) = ip
            && !self.allowlist.permits(ip, url.port_or_known_default())
        {
            return Err(FetchError::Forbidden {
                host: url.host_str().unwrap_or_default().to_owned(),
                ip,
            });
        }
        let mut clean = url.clone();
        clean.set_fragment(None);
        // Never act as an authenticated client of a third party; these cannot fail on http(s).
        let _ = clean.set_username("");
        let _ = clean.set_password(None);
        Ok(clean)
    }
}

fn is_followed_redirect(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::MOVED_PERMANENTLY
            | StatusCode::FOUND
            | StatusCode::SEE_OTHER
            | StatusCode::TEMPORARY_REDIRECT
            | StatusCode::PERMANENT_REDIRECT
    )
}

fn find_source<'a, T: std::error::Error + 'static>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut current = Some(err);
    while let Some(err) = current {
        if let Some(found) = err.downcast_ref::<T>() {
            return Some(found);
        }
        current = err.source();
    }
    None
}

/// reqwest's own message is only the outermost layer ("error sending request"); the cause is
/// in the chain.
fn error_chain(err: &reqwest::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
