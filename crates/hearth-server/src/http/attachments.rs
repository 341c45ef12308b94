//! Downloading attachments: `GET /attachments/{channel_id}/{attachment_id}/{filename}`, the address
//! every attachment's `url` names. Allowed with a valid signature (`ex`, `hm`: what `<img>` and
//! `<video>` use) or a bearer token of a member who can read the channel's history. Served with the
//! sniffed type, `nosniff`, a sandboxing CSP, `Content-Disposition` (inline only for pictures, audio,
//! video and plain text) and single byte ranges for seeking.

use std::ops::Range;

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_core::Permissions;
use hearth_media::sniff;
use hearth_protocol::error::ErrorBody;
use hearth_store::{AttachmentRecord, AttachmentState};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{Authenticated, parse_id};
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult, Entity};
use crate::media::keys;
use crate::services::access::ChannelAccess;
use crate::state::AppState;

/// User content never runs script and never loads anything, even when opened directly.
const USER_CONTENT_CSP: &str = "default-src 'none'; sandbox";

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(download))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DownloadQuery {
    /// Expiry of the signature (unix seconds, hex).
    pub ex: Option<String>,
    /// The signature (hex).
    pub hm: Option<String>,
    /// Ask for the smallest stored thumbnail at least this wide (images).
    pub width: Option<u32>,
}

/// An attachment's bytes (signed address or bearer token with READ_MESSAGE_HISTORY). Supports one
/// `Range`. An image still being processed answers 409 `FILE_PROCESSING`.
#[utoipa::path(get, path = "/attachments/{channel_id}/{attachment_id}/{filename}", tag = "messages",
    params(("channel_id" = String, Path), ("attachment_id" = String, Path), ("filename" = String, Path), DownloadQuery),
    responses((status = 200, description = "the file"), (status = 206, description = "the requested range"),
        (status = 401, description = "UNAUTHORIZED (no valid signature or token)", body = ErrorBody),
        (status = 404, description = "UNKNOWN_ATTACHMENT", body = ErrorBody),
        (status = 409, description = "FILE_PROCESSING", body = ErrorBody),
        (status = 416, description = "the range is outside the file")))]
async fn download(
    State(state): State<AppState>,
    Path((channel_id, attachment_id, _filename)): Path<(String, String, String)>,
    Query(query): Query<DownloadQuery>,
    request: Request,
) -> ApiResult<Response> {
    let channel_id = parse_id("channel_id", &channel_id)?;
    let attachment_id = parse_id("attachment_id", &attachment_id)?;
    let (mut parts, _) = request.into_parts();
    let signed = match (&query.ex, &query.hm) {
        (Some(ex), Some(hm)) => state.media.signer.verify(
            channel_id,
            attachment_id,
            ex,
            hm,
            now_ms().max(0) as u64 / 1000,
        ),
        _ => false,
    };
    if !signed {
        // Without a valid signature, only a member who can read the channel may download.
        let auth = Authenticated::from_request_parts(&mut parts, &state).await?;
        let access = ChannelAccess::load(&state, &auth.user, channel_id)
            .await
            .map_err(|_| ApiError::NotFound(Entity::Attachment))?;
        access.require(Permissions::READ_MESSAGE_HISTORY)?;
    }
    let record = state
        .store
        .attachment(attachment_id)
        .await?
        .filter(|a| a.channel_id == channel_id && a.message_id.is_some())
        .ok_or(ApiError::NotFound(Entity::Attachment))?;
    if record.state == AttachmentState::Waiting {
        return Err(ApiError::FileProcessing);
    }
    // The row knows the served file's size; only a thumbnail's must be asked of the storage.
    let (key, content_type, size) = match query.width.and_then(|w| thumbnail_for(&record, w)) {
        Some((width, extension)) => (
            keys::attachment_thumbnail(record.id, width, extension),
            thumbnail_type(extension),
            None,
        ),
        None => (
            keys::attachment_file(record.id),
            record.content_type.as_str(),
            u64::try_from(record.size).ok(),
        ),
    };
    serve(&state, &record, &key, content_type, size, &parts.headers).await
}

/// The narrowest stored thumbnail at least `width` wide.
fn thumbnail_for(record: &AttachmentRecord, width: u32) -> Option<(u32, &str)> {
    record
        .thumbnails
        .split(',')
        .filter_map(|entry| entry.split_once(':'))
        .filter_map(|(w, extension)| Some((w.parse::<u32>().ok()?, extension)))
        .filter(|(w, _)| *w >= width)
        .min_by_key(|(w, _)| *w)
}

fn thumbnail_type(extension: &str) -> &'static str {
    match extension {
        "png" => "image/png",
        "webp" => "image/webp",
        "gif" => "image/gif",
        _ => "image/jpeg",
    }
}

async fn serve(
    state: &AppState,
    record: &AttachmentRecord,
    key: &str,
    content_type: &str,
    known_size: Option<u64>,
    request_headers: &HeaderMap,
) -> ApiResult<Response> {
    let size = match known_size {
        Some(size) => size,
        None => state
            .media
            .blobs
            .size(key)
            .await
            .map_err(anyhow::Error::from)?
            .ok_or(ApiError::NotFound(Entity::Attachment))?,
    };
    let range = match requested_range(request_headers, size) {
        Ok(range) => range,
        Err(()) => {
            let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                response.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return Ok(response);
        }
    };
    let read = state
        .media
        .blobs
        .read(key, range.clone())
        .await
        .map_err(anyhow::Error::from)?;
    let mut response = Response::new(Body::from_stream(read.stream));
    let length = read.range.end - read.range.start;
    if range.is_some() {
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        if let Ok(v) = HeaderValue::from_str(&format!(
            "bytes {}-{}/{}",
            read.range.start,
            read.range.end.saturating_sub(1),
            read.size
        )) {
            response.headers_mut().insert(header::CONTENT_RANGE, v);
        }
    }
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    let disposition = if sniff::is_inline_safe(content_type) {
        "inline"
    } else {
        "attachment"
    };
    let encoded = utf8_percent_encode(&record.filename, NON_ALPHANUMERIC);
    if let Ok(v) = HeaderValue::from_str(&format!("{disposition}; filename*=UTF-8''{encoded}")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(USER_CONTENT_CSP),
    );
    // Addresses are signed and short-lived: the browser may keep the bytes, shared caches may not.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    Ok(response)
}

/// The one byte range asked for, if any: `Ok(None)` serves the whole file (no header, several ranges
/// or a header that does not parse, which RFC 9110 lets a server ignore); `Err` is unsatisfiable.
fn requested_range(headers: &HeaderMap, size: u64) -> Result<Option<Range<u64>>, ()> {
    let Some(raw) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Ok(None);
    };
    let Ok(parsed) = http_range_header::parse_range_header(raw) else {
        return Ok(None);
    };
    match parsed.validate(size) {
        Ok(ranges) if ranges.len() == 1 => {
            let range = &ranges[0];
            Ok(Some(*range.start()..range.end() + 1))
        }
        Ok(_) => Ok(None),
        Err(_) => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_core::Snowflake;

    fn headers(range: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(header::RANGE, HeaderValue::from_str(range).unwrap());
        map
    }

    #[test]
    fn single_ranges_are_served_and_others_ignored_or_refused() {
        assert_eq!(requested_range(&HeaderMap::new(), 100), Ok(None));
        assert_eq!(requested_range(&headers("bytes=0-9"), 100), Ok(Some(0..10)));
        assert_eq!(
            requested_range(&headers("bytes=90-"), 100),
            Ok(Some(90..100))
        );
        assert_eq!(
            requested_range(&headers("bytes=-5"), 100),
            Ok(Some(95..100))
        );
        assert_eq!(requested_range(&headers("bytes=0-1,5-6"), 100), Ok(None));
        assert_eq!(requested_range(&headers("nonsense"), 100), Ok(None));
        assert_eq!(requested_range(&headers("bytes=100-200"), 100), Err(()));
    }

    #[test]
    fn the_narrowest_sufficient_thumbnail_is_chosen() {
        let record = AttachmentRecord {
            id: Snowflake::from_db(1),
            message_id: Some(Snowflake::from_db(2)),
            channel_id: Snowflake::from_db(3),
            uploader_id: Snowflake::from_db(4),
            filename: "a.png".into(),
            description: None,
            content_type: "image/png".into(),
            size: 1,
            width: Some(2000),
            height: Some(1000),
            placeholder: None,
            duration_ms: None,
            flags: 0,
            state: AttachmentState::Processed,
            thumbnails: "160:jpg,400:jpg,800:png".into(),
            created_at: 0,
        };
        assert_eq!(thumbnail_for(&record, 100), Some((160, "jpg")));
        assert_eq!(thumbnail_for(&record, 401), Some((800, "png")));
        assert_eq!(thumbnail_for(&record, 801), None);
    }
}
