//! The edge every request passes: request id, client address, per-IP rate limit, timeout, security
//! headers, error envelope for framework-level failures, and one log line plus metrics per request.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

use super::extract::{BodyLimit, ClientIp, RateSlot};
use crate::error::ApiError;
use crate::metrics;
use crate::services::rate_limit::RateInfo;
use crate::state::AppState;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
const MAX_REQUEST_ID_LEN: usize = 64;

/// Security headers for every response. The CSP allows only same-origin resources and no framing; the
/// web client is built to need nothing else (no inline script or style). `connect-src 'self'` also
/// admits the same-origin gateway WebSocket (`ws:`/`wss:` to this host, CSP Level 3), so no scheme-wide
/// `ws:`/`wss:` source is needed.
pub const SECURITY_HEADERS: &[(&str, &str)] = &[
    (
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; \
         media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    (
        "permissions-policy",
        "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()",
    ),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
];

/// Keeps a client-supplied request id only when it is short and plain, so it cannot inject into logs.
fn request_id(req: &Request) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= MAX_REQUEST_ID_LEN)
        .filter(|v| {
            v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_owned)
        .unwrap_or_else(|| {
            let mut bytes = [0u8; 12];
            rand::fill(&mut bytes);
            hex::encode(bytes)
        })
}

fn client_ip(req: &Request, trust_forwarded_for: bool) -> IpAddr {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]));
    if !trust_forwarded_for {
        return peer;
    }
    // The last entry is the one our own proxy appended; earlier ones are whatever the client claimed.
    req.headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .next_back()
        .and_then(|v| v.rsplit(',').next())
        .and_then(|s| s.trim().parse::<IpAddr>().ok())
        .unwrap_or(peer)
}

fn set_rate_headers(response: &mut Response, info: RateInfo) {
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from(info.limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(info.remaining));
    if let Ok(v) = HeaderValue::from_str(&format!("{:.3}", info.reset_after.as_secs_f64())) {
        headers.insert("x-ratelimit-reset-after", v);
    }
}

pub async fn edge(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id(&req);
    let ip = client_ip(&req, state.config.http.trust_forwarded_for);
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let span = tracing::info_span!("request", request_id = %id, method = %method, route = %route);

    let slot = RateSlot::default();
    req.extensions_mut().insert(ClientIp(ip));
    req.extensions_mut().insert(slot.clone());
    req.extensions_mut()
        .insert(BodyLimit(state.config.http.max_json_body_bytes));

    // Probes and scrapes are not rate limited: a monitoring system must always get through.
    let is_operational = matches!(route.as_str(), "/healthz" | "/readyz" | "/metrics");
    let ip_info = (!is_operational).then(|| state.rate_limits.check_ip(ip));
    // Sending files takes as long as the upload does; every other request gets the usual bound.
    let is_upload = method == axum::http::Method::POST
        && route == "/api/v1/channels/{channel_id}/messages"
        && crate::media::upload::multipart_boundary(req.headers()).is_some();
    let timeout = Duration::from_secs(if is_upload {
        state.config.media.upload_timeout_secs
    } else {
        state.config.http.request_timeout_secs
    });

    let mut response = async {
        if let Some(info) = ip_info.filter(|i| i.refused) {
            return ApiError::RateLimited {
                retry_after: info.reset_after,
            }
            .into_response();
        }
        match tokio::time::timeout(timeout, next.run(req)).await {
            Ok(response) => response,
            Err(_) => ApiError::Timeout.into_response(),
        }
    }
    .instrument(span.clone())
    .await;

    if let Some(info) = slot.get().or(ip_info) {
        set_rate_headers(&mut response, info);
    }
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        // A handler may set a stricter policy (user content is served sandboxed).
        if *name == "content-security-policy" && headers.contains_key(*name) {
            continue;
        }
        headers.insert(*name, HeaderValue::from_static(value));
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        headers.insert(REQUEST_ID, v);
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }

    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    metrics::record_request(method.as_str(), &route, status, elapsed.as_secs_f64());
    // One line per request: no query strings, bodies, tokens or addresses.
    span.in_scope(|| {
        tracing::info!(
            status,
            latency_ms = elapsed.as_secs_f64() * 1000.0,
            "request"
        )
    });
    response
}

/// Unknown paths get the error envelope, not an empty 404.
pub async fn unknown_route() -> ApiError {
    ApiError::NotFound(crate::error::Entity::Route)
}

/// Known paths with the wrong method.
pub async fn wrong_method() -> ApiError {
    ApiError::MethodNotAllowed
}

/// A handler that panicked answers 500 with the envelope; the panic itself is logged.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    ApiError::Internal(anyhow::anyhow!("handler panicked: {detail}")).into_response()
}
