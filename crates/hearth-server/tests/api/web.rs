//! The web client as the binary serves it: the SPA fallback, asset caching, and the paths it must
//! never answer. The tests serve a small fake build from `http.web_dir`, so they do not depend on
//! `web/dist` having been built.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{Backend, TestApp, assert_error, both_backends, spawn_app_with};

both_backends!(
    pages_get_index_html_and_assets_are_immutable,
    server_paths_are_never_answered_by_the_app,
    paths_never_escape_the_web_folder,
    an_unbuilt_client_answers_503_with_instructions,
);

const INDEX: &str = "<!doctype html><html><head><script type=\"module\" \
                     src=\"/assets/app-abc123.js\"></script></head><body></body></html>";
const SCRIPT: &str = "console.log('hearth');";
const SECRET: &str = "top-secret-outside-the-web-folder";

/// A fake `dist/` inside `root`, next to a file that must stay unreachable.
fn fake_dist(root: &Path) -> PathBuf {
    let dist = root.join("dist");
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(dist.join("index.html"), INDEX).unwrap();
    std::fs::write(dist.join("assets/app-abc123.js"), SCRIPT).unwrap();
    std::fs::write(root.join("secret.txt"), SECRET).unwrap();
    dist
}

async fn spawn_with_web(backend: Backend) -> (TestApp, tempfile::TempDir) {
    let web = tempfile::tempdir().unwrap();
    let dist = fake_dist(web.path());
    let app = spawn_app_with(backend, |c| c.http.web_dir = Some(dist)).await;
    (app, web)
}

/// Sends `path` byte for byte (reqwest would normalise dot segments away) and returns the status and
/// the whole response text.
async fn raw_get(app: &TestApp, path: &str) -> (u16, String) {
    let addr = app.address.strip_prefix("http://").unwrap();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).await.unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

async fn pages_get_index_html_and_assets_are_immutable(backend: Backend) {
    let (app, _web) = spawn_with_web(backend).await;
    for path in ["/", "/channels/123/456", "/invite/abc", "/login"] {
        let response = app.get(path, None).await;
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers().clone();
        assert_eq!(headers["cache-control"], "no-cache", "{path}");
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{path}"
        );
        let csp = headers["content-security-policy"].to_str().unwrap();
        for directive in [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{csp}");
        }
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(response.text().await.unwrap(), INDEX);
    }

    let script = app.get("/assets/app-abc123.js", None).await;
    assert_eq!(script.status(), 200);
    let headers = script.headers().clone();
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript"),
        "{:?}",
        headers["content-type"]
    );
    assert_eq!(script.text().await.unwrap(), SCRIPT);

    // Revalidation by ETag, and HEAD without a body.
    let etag = headers["etag"].to_str().unwrap().to_owned();
    let again = app
        .client
        .get(app.url("/assets/app-abc123.js"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    let head = app.client.head(app.url("/")).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["cache-control"], "no-cache");
    assert!(head.text().await.unwrap().is_empty());

    // A missing hashed asset is a 404, never the page.
    assert_error(
        app.get("/assets/app-old999.js", None).await,
        404,
        "UNKNOWN_ROUTE",
    )
    .await;
}

async fn server_paths_are_never_answered_by_the_app(backend: Backend) {
    let (app, _web) = spawn_with_web(backend).await;
    for path in ["/api", "/api/", "/api/v1/nope", "/api/v2/x", "/gateway/x"] {
        assert_error(app.get(path, None).await, 404, "UNKNOWN_ROUTE").await;
    }
    // Other methods on page paths are not the app's either.
    let post = app
        .client
        .post(app.url("/channels/1"))
        .send()
        .await
        .unwrap();
    assert_error(post, 404, "UNKNOWN_ROUTE").await;
    for path in ["/healthz", "/readyz"] {
        let response = app.get(path, None).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.json::<Value>().await.unwrap()["status"], "ok");
    }
    let metrics = app.get("/metrics", None).await.text().await.unwrap();
    assert!(metrics.contains("hearth_http_requests_total"));
    let doc = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(doc.status(), 200);
    // The gateway still upgrades (a plain GET without the upgrade headers is refused by it, not
    // answered with the page).
    let gateway = app.get("/gateway", None).await;
    assert_ne!(gateway.status(), 200);
    assert!(
        !gateway.text().await.unwrap().contains("<!doctype html>"),
        "the gateway must not serve the page"
    );
}

async fn paths_never_escape_the_web_folder(backend: Backend) {
    let (app, _web) = spawn_with_web(backend).await;
    for path in [
        "/assets/../secret.txt",
        "/assets/../../secret.txt",
        "/assets/../../etc/passwd",
        "/assets/%2e%2e/secret.txt",
        "/assets/%2E%2E%2Fsecret.txt",
        "/assets/..%2fsecret.txt",
        "/assets/..%5csecret.txt",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/assets/%00",
    ] {
        let (status, text) = raw_get(&app, path).await;
        assert!(!text.contains(SECRET), "{path} leaked the file");
        assert!(!text.contains("root:"), "{path} leaked /etc/passwd");
        assert!(
            status == 404 || status == 400 || (status == 200 && text.contains(INDEX)),
            "{path}: {status}"
        );
    }
}

async fn an_unbuilt_client_answers_503_with_instructions(backend: Backend) {
    let web = tempfile::tempdir().unwrap();
    let empty = web.path().to_path_buf();
    let app = spawn_app_with(backend, |c| c.http.web_dir = Some(empty)).await;
    let response = app.get("/channels/1", None).await;
    assert_eq!(response.status(), 503);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(response.headers().contains_key("content-security-policy"));
    assert!(response.text().await.unwrap().contains("make web"));
    assert_error(app.get("/api/v1/nope", None).await, 404, "UNKNOWN_ROUTE").await;
}

/// The web client's API types are generated from `web/openapi.json`; it must be the document the
/// server serves, or the client drifts from the server. Regenerate with
/// `cargo run -p hearth-server -- openapi > web/openapi.json` (what `make openapi` does).
#[test]
fn web_openapi_json_matches_the_server() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/openapi.json");
    let Ok(committed) = std::fs::read_to_string(&path) else {
        eprintln!(
            "skipped: {} does not exist yet (generate it with `make openapi`)",
            path.display()
        );
        return;
    };
    let committed: Value = serde_json::from_str(&committed).expect("web/openapi.json is JSON");
    let current: Value =
        serde_json::from_str(&hearth_server::http::openapi_json().unwrap()).unwrap();
    assert!(
        committed == current,
        "web/openapi.json is out of date: run `make openapi` and commit the result"
    );
}
