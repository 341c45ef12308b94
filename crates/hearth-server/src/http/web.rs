//! The web client: the built single-page app (`web/dist`), embedded in the binary at compile time or
//! read from `http.web_dir`. Hashed files under `/assets/` are cached for a year; every other page
//! path answers `index.html` (no-cache) so the client's router can take it. API, gateway and
//! operational paths never reach the app: unknown ones keep the JSON `UNKNOWN_ROUTE` envelope.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::edge;
use crate::state::AppState;

/// `web/dist` as built by `make web`. A missing folder embeds nothing (so `cargo build` works
/// without Node); debug builds read the folder from disk on each request.
#[derive(rust_embed::Embed)]
#[folder = "$CARGO_MANIFEST_DIR/../../web/dist"]
#[allow_missing = true]
struct Dist;

const INDEX: &str = "index.html";
const ASSETS_PREFIX: &str = "assets/";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";

const NOT_BUILT: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Hearth: web client not built</title></head><body>\
<h1>The Hearth web client was not built into this binary</h1>\
<p>The API (<code>/api/v1</code>) and the gateway (<code>/gateway</code>) work. To get the web UI, \
build it and then the binary: run <code>make web</code> (needs Node.js 20 and npm), then \
<code>make build</code>, or simply <code>make run</code>. While developing the client, \
<code>http.web_dir</code> serves it from a directory instead.</p></body></html>\n";

/// Path prefixes that belong to the server, never to the app.
fn is_server_path(path: &str) -> bool {
    ["/api", "/gateway", "/healthz", "/readyz", "/metrics"]
        .iter()
        .any(|prefix| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
}

/// The request path as a relative file name, or `None` when it could name anything outside the
/// app's folder: every segment percent-decoded, then rejected if empty, `.`, `..`, or holding a
/// separator, a drive colon or a control character.
fn relative_file(path: &str) -> Option<String> {
    let trimmed = path.strip_prefix('/')?;
    if trimmed.is_empty() {
        return Some(String::new());
    }
    let mut segments = Vec::new();
    for raw in trimmed.split('/') {
        let decoded = percent_encoding::percent_decode_str(raw)
            .decode_utf8()
            .ok()?;
        let ok = !decoded.is_empty()
            && decoded != "."
            && decoded != ".."
            && !decoded
                .chars()
                .any(|c| c == '/' || c == '\\' || c == ':' || c.is_control());
        if !ok {
            return None;
        }
        segments.push(decoded.into_owned());
    }
    Some(segments.join("/"))
}

struct File {
    bytes: Cow<'static, [u8]>,
    etag: String,
}

fn etag_of(hash: &[u8]) -> String {
    format!("\"{}\"", hex::encode(&hash[..16]))
}

/// Looks a file up in `http.web_dir` (when set) or the embedded copy.
async fn load(dir: Option<&Path>, name: &str) -> Option<File> {
    match dir {
        Some(dir) => {
            let root = tokio::fs::canonicalize(dir).await.ok()?;
            let full: PathBuf = tokio::fs::canonicalize(root.join(name)).await.ok()?;
            // Symlinks must not lead out of the folder either.
            if !full.starts_with(&root) || !tokio::fs::metadata(&full).await.ok()?.is_file() {
                return None;
            }
            let bytes = tokio::fs::read(&full).await.ok()?;
            let etag = etag_of(&Sha256::digest(&bytes));
            Some(File {
                bytes: Cow::Owned(bytes),
                etag,
            })
        }
        None => {
            let file = Dist::get(name)?;
            Some(File {
                etag: etag_of(&file.metadata.sha256_hash()),
                bytes: file.data,
            })
        }
    }
}

fn content_type(name: &str) -> HeaderValue {
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || mime.subtype() == mime_guess::mime::JAVASCRIPT
        || mime.subtype() == mime_guess::mime::JSON;
    let value = if text && mime.get_param(mime_guess::mime::CHARSET).is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    };
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

fn respond(name: &str, file: File, cache: &'static str, request: &HeaderMap) -> Response {
    let etag = HeaderValue::from_str(&file.etag).ok();
    let fresh = etag.as_ref().is_some_and(|etag| {
        request
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().trim_start_matches("W/"))
            .any(|v| v == "*" || v.as_bytes() == etag.as_bytes())
    });
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        // Embedded files are served from the binary's static data, without a copy.
        let body = match file.bytes {
            Cow::Borrowed(bytes) => Body::from(bytes::Bytes::from_static(bytes)),
            Cow::Owned(bytes) => Body::from(bytes),
        };
        let mut response = Response::new(body);
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, content_type(name));
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Some(etag) = etag {
        headers.insert(header::ETAG, etag);
    }
    response
}

fn not_built() -> Response {
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, NOT_BUILT).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_CACHE));
    response
}

/// The router's fallback: the app for page paths, the JSON 404 for everything else.
pub async fn fallback(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path();
    if is_server_path(path) || !matches!(*request.method(), Method::GET | Method::HEAD) {
        return edge::unknown_route().await.into_response();
    }
    let dir = state.config.http.web_dir.as_deref();
    let headers = request.headers();
    let Some(name) = relative_file(path) else {
        // Not a file name (a dot segment, an empty segment, an encoded separator): never read from
        // disk. Under /assets/ that is a 404; elsewhere the page still loads.
        if path.starts_with("/assets/") {
            return edge::unknown_route().await.into_response();
        }
        return match load(dir, INDEX).await {
            Some(file) => respond(INDEX, file, NO_CACHE, headers),
            None => not_built(),
        };
    };
    if name.starts_with(ASSETS_PREFIX) {
        // A hashed asset that is missing is a 404, never the page: a stale tab must not run HTML
        // as a script.
        return match load(dir, &name).await {
            Some(file) => respond(&name, file, IMMUTABLE, headers),
            None => edge::unknown_route().await.into_response(),
        };
    }
    // Unhashed files at the top level (favicon, robots.txt) are served as they are, revalidated.
    if !name.is_empty()
        && name != INDEX
        && let Some(file) = load(dir, &name).await
    {
        return respond(&name, file, NO_CACHE, headers);
    }
    match load(dir, INDEX).await {
        Some(file) => respond(INDEX, file, NO_CACHE, headers),
        None => not_built(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_paths_are_recognised_by_whole_segment() {
        for path in [
            "/api",
            "/api/",
            "/api/v1/nope",
            "/gateway",
            "/gateway/x",
            "/healthz",
            "/readyz",
            "/metrics",
        ] {
            assert!(is_server_path(path), "{path}");
        }
        for path in ["/", "/apis", "/channels/1/2", "/metricsx", "/invite/abc"] {
            assert!(!is_server_path(path), "{path}");
        }
    }

    #[test]
    fn file_names_never_escape_the_folder() {
        assert_eq!(relative_file("/").as_deref(), Some(""));
        assert_eq!(
            relative_file("/assets/app-1.js").as_deref(),
            Some("assets/app-1.js")
        );
        assert_eq!(
            relative_file("/assets/a%20b.js").as_deref(),
            Some("assets/a b.js")
        );
        for path in [
            "/assets/../../etc/passwd",
            "/assets/%2e%2e/%2e%2e/etc/passwd",
            "/assets/%2E%2E%2Fetc%2Fpasswd",
            "/assets/..%5c..%5cetc",
            "/assets//x",
            "/assets/./x",
            "/assets/c:%5cwindows",
            "/assets/%00",
            "/assets/%ff",
        ] {
            assert_eq!(relative_file(path), None, "{path}");
        }
    }
}
