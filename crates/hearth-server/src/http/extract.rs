//! Extractors that turn raw requests into parsed, authenticated input, failing with `ApiError`.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use bytes::Bytes;
use hearth_store::{SessionRecord, UserRecord};
use serde::de::DeserializeOwned;

use crate::clock::now_ms;
use crate::error::ApiError;
use crate::services::rate_limit::RateInfo;
use crate::services::tokens;
use crate::state::AppState;

/// The client's address as the edge middleware determined it (socket peer, or the proxy's
/// `X-Forwarded-For` entry when configured to trust it).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts.extensions.get::<ClientIp>().copied().ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!(
                "edge middleware did not set the client address"
            ))
        })
    }
}

/// Where the authenticating extractor leaves the per-user bucket's state for the edge middleware, which
/// turns it into `X-RateLimit-*` headers.
#[derive(Debug, Clone, Default)]
pub struct RateSlot(pub Arc<Mutex<Option<RateInfo>>>);

impl RateSlot {
    pub fn set(&self, info: RateInfo) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(info);
    }

    pub fn get(&self) -> Option<RateInfo> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Applies a bucket's verdict: records it for the headers and refuses when empty.
fn enforce(parts: &Parts, info: RateInfo) -> Result<(), ApiError> {
    if let Some(slot) = parts.extensions.get::<RateSlot>() {
        slot.set(info);
    }
    if info.refused {
        return Err(ApiError::RateLimited {
            retry_after: info.reset_after.max(Duration::from_millis(1)),
        });
    }
    Ok(())
}

/// Passes when the client address still has sign-in budget (register and login): a bucket much
/// smaller than the general per-IP one, because each attempt costs an Argon2 hash.
pub struct SignInLimit;

impl FromRequestParts<AppState> for SignInLimit {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ip = ClientIp::from_request_parts(parts, state).await?;
        enforce(parts, state.rate_limits.check_auth(ip.0))?;
        Ok(Self)
    }
}

/// A JSON body: `application/json` (415 otherwise), within the body limit (413), well-formed (400
/// `INVALID_JSON`) and of the right shape (400 `VALIDATION_FAILED` naming the offending field).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json"
                    || (mime.starts_with("application/") && mime.ends_with("+json"))
            });
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let limit = req
            .extensions()
            .get::<BodyLimit>()
            .map(|l| l.0)
            .unwrap_or(usize::MAX);
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e: BytesRejection| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge { limit }
                } else {
                    ApiError::InvalidJson("the body could not be read".into())
                }
            })?;
        parse_json(&bytes, None).map(Self)
    }
}

/// Parses a JSON document into `T`: malformed JSON (or trailing data) is `INVALID_JSON`, a
/// well-formed document of the wrong shape `VALIDATION_FAILED` naming the offending field. Fields
/// are named from the body's root, or under `within` (a multipart part's name) when given.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8], within: Option<&str>) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if !inner.is_data() {
            return ApiError::InvalidJson(inner.to_string());
        }
        let field = match (within, path.as_str()) {
            (None, ".") => "body".to_owned(),
            (None, _) => path,
            (Some(part), ".") => part.to_owned(),
            (Some(part), _) => format!("{part}.{path}"),
        };
        ApiError::field(&field, inner)
    })?;
    deserializer
        .end()
        .map_err(|e| ApiError::InvalidJson(e.to_string()))?;
    Ok(value)
}

/// An optional JSON body: absent when the request has neither a body nor a content type (Discord lets
/// clients omit bodies whose fields are all optional); otherwise parsed exactly like [`ApiJson`].
impl<S: Send + Sync, T: DeserializeOwned> axum::extract::OptionalFromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, ApiError> {
        let headers = req.headers();
        let empty_length = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|v| v.trim() == "0");
        let chunked = headers.contains_key(header::TRANSFER_ENCODING);
        if !headers.contains_key(header::CONTENT_TYPE) && empty_length && !chunked {
            return Ok(None);
        }
        <Self as FromRequest<S>>::from_request(req, state)
            .await
            .map(Some)
    }
}

/// The configured JSON body limit, placed in request extensions so 413 answers can state it.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// A signed-in user and the session they used. Rejects missing, malformed, unknown, revoked and idle
/// tokens and disabled users with 401, and applies the per-user rate limit.
pub struct Authenticated {
    pub user: UserRecord,
    pub session: SessionRecord,
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(ApiError::Unauthorized)?;
        let token_hash = tokens::hash(token.trim()).ok_or(ApiError::Unauthorized)?;
        let now = now_ms();
        let idle = state.session_idle_timeout();
        let cutoff = now - idle.as_millis() as i64;
        let (session, user) = state
            .store
            .authenticate(&token_hash, cutoff)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        // Refresh `last_used_at` at most every quarter of the idle timeout (and at most once a minute), so
        // that reads do not each become a write.
        let touch_every = (idle / 4).min(Duration::from_secs(60)).as_millis() as i64;
        if now - session.last_used_at >= touch_every {
            let store = state.store.clone();
            let id = session.id;
            tokio::spawn(async move {
                if let Err(e) = store.touch_session(id, now).await {
                    tracing::warn!(error = %e, "could not record session use");
                }
            });
        }
        enforce(parts, state.rate_limits.check_user(user.id.get()))?;
        Ok(Self { user, session })
    }
}

/// An authenticated instance administrator (403 `ADMIN_REQUIRED` otherwise).
pub struct Admin(pub Authenticated);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let auth = Authenticated::from_request_parts(parts, state).await?;
        if !auth.user.is_admin {
            return Err(ApiError::AdminRequired);
        }
        Ok(Self(auth))
    }
}

/// Parses a snowflake from a path segment, naming the parameter in the error.
pub fn parse_id(name: &str, raw: &str) -> Result<hearth_core::Snowflake, ApiError> {
    raw.parse().map_err(|e| ApiError::field(name, e))
}

/// Query parameters, failing with a 400 `VALIDATION_FAILED` on `query` rather than axum's text answer.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|q| Self(q.0))
            .map_err(|e| ApiError::field("query", e.body_text()))
    }
}

/// Longest accepted `X-Audit-Log-Reason`, in characters (Discord's bound).
pub const AUDIT_REASON_MAX_CHARS: usize = 512;

/// The optional `X-Audit-Log-Reason` header: percent-decoded UTF-8 (as Discord's clients send it),
/// trimmed, at most [`AUDIT_REASON_MAX_CHARS`] characters.
pub struct AuditReason(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for AuditReason {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(raw) = parts.headers.get("x-audit-log-reason") else {
            return Ok(Self(None));
        };
        let field = "X-Audit-Log-Reason";
        let raw = raw
            .to_str()
            .map_err(|_| ApiError::field(field, "must be percent-encoded UTF-8"))?;
        let decoded = percent_encoding::percent_decode_str(raw)
            .decode_utf8()
            .map_err(|_| ApiError::field(field, "must be percent-encoded UTF-8"))?;
        let reason = decoded.trim();
        if reason.chars().count() > AUDIT_REASON_MAX_CHARS {
            return Err(ApiError::field(
                field,
                format!("must be at most {AUDIT_REASON_MAX_CHARS} characters"),
            ));
        }
        if reason.chars().any(char::is_control) {
            return Err(ApiError::field(
                field,
                "must not contain control characters",
            ));
        }
        Ok(Self((!reason.is_empty()).then(|| reason.to_owned())))
    }
}
