//! The HTTP edge: error envelope, body and content-type rules, headers, request ids, rate limits.

use serde_json::{Value, json};

use crate::helpers::{Backend, PASSWORD, assert_error, both_backends, spawn_app, spawn_app_with};

both_backends!(
    unknown_routes_and_wrong_methods_get_the_error_envelope,
    malformed_bodies_get_precise_errors,
    bodies_over_the_limit_get_413,
    every_response_carries_security_headers_and_a_request_id,
    a_flood_from_one_address_is_refused_with_retry_after,
    a_flood_from_one_user_is_refused,
    sign_in_floods_are_limited_per_address,
    forwarded_addresses_are_used_only_when_trusted,
);

async fn unknown_routes_and_wrong_methods_get_the_error_envelope(backend: Backend) {
    let app = spawn_app(backend).await;
    assert_error(app.get("/api/v1/nope", None).await, 404, "UNKNOWN_ROUTE").await;
    assert_error(app.get("/api", None).await, 404, "UNKNOWN_ROUTE").await;
    let wrong = app
        .client
        .delete(app.url("/api/v1/auth/login"))
        .send()
        .await
        .unwrap();
    assert_error(wrong, 405, "METHOD_NOT_ALLOWED").await;
    let wrong = app.client.put(app.url("/healthz")).send().await.unwrap();
    assert_error(wrong, 405, "METHOD_NOT_ALLOWED").await;
}

async fn malformed_bodies_get_precise_errors(backend: Backend) {
    let app = spawn_app(backend).await;
    let url = app.url("/api/v1/auth/register");
    let send = |body: &'static str, content_type: &'static str| {
        app.client
            .post(url.clone())
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    assert_error(
        send("{not json", "application/json").await.unwrap(),
        400,
        "INVALID_JSON",
    )
    .await;
    assert_error(
        send(
            r#"{"username":"okay","password":"correct horse"} trailing"#,
            "application/json",
        )
        .await
        .unwrap(),
        400,
        "INVALID_JSON",
    )
    .await;
    let missing = assert_error(
        send(r#"{"username":"alice"}"#, "application/json")
            .await
            .unwrap(),
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(
        missing["error"]["fields"]["body"]
            .as_str()
            .unwrap()
            .contains("password")
    );
    let typed = assert_error(
        send(
            r#"{"username":"alice","password":12345678}"#,
            "application/json",
        )
        .await
        .unwrap(),
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(typed["error"]["fields"]["password"].is_string());
    let unknown = r#"{"username":"alice","password":"correct horse","admin":true}"#;
    assert_error(
        send(unknown, "application/json").await.unwrap(),
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_error(
        send(r#"[]"#, "application/json").await.unwrap(),
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_error(
        send(r#"{"username":"a","password":"b"}"#, "text/plain")
            .await
            .unwrap(),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
    )
    .await;
    let none = app
        .client
        .post(url.clone())
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_error(none, 415, "UNSUPPORTED_MEDIA_TYPE").await;
    // Nothing above created an account.
    let (_, user) = app.register("alice", None).await;
    assert_eq!(user["owner"], true);
}

async fn bodies_over_the_limit_get_413(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.http.max_json_body_bytes = 4096).await;
    let huge = json!({"username": "alice", "password": "p".repeat(8000)});
    assert_error(
        app.post("/api/v1/auth/register", None, huge).await,
        413,
        "PAYLOAD_TOO_LARGE",
    )
    .await;
    // Streaming without a Content-Length is cut off the same way.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        vec![Ok(vec![b' '; 3000]), Ok(vec![b' '; 3000])];
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let streamed = app
        .client
        .post(app.url("/api/v1/auth/register"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_error(streamed, 413, "PAYLOAD_TOO_LARGE").await;
}

async fn every_response_carries_security_headers_and_a_request_id(backend: Backend) {
    let app = spawn_app(backend).await;
    for response in [
        app.get("/healthz", None).await,
        app.get("/api/v1/users/@me", None).await,
        app.get("/missing", None).await,
    ] {
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert!(headers.contains_key("permissions-policy"));
        assert_eq!(headers["x-request-id"].len(), 24);
    }
    let echoed = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-abc_123")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "trace-abc_123");
    let hostile = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "evil\" injected=1")
        .send()
        .await
        .unwrap();
    assert_ne!(hostile.headers()["x-request-id"], "evil\" injected=1");
}

async fn a_flood_from_one_address_is_refused_with_retry_after(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.rate_limits.per_ip_per_second = 1;
        c.rate_limits.per_ip_burst = 5;
    })
    .await;
    let mut remaining = Vec::new();
    for _ in 0..5 {
        let response = app.get("/api/v1/users/@me", None).await;
        assert_eq!(response.status(), 401);
        assert_eq!(response.headers()["x-ratelimit-limit"], "5");
        remaining.push(
            response.headers()["x-ratelimit-remaining"]
                .to_str()
                .unwrap()
                .parse::<u32>()
                .unwrap(),
        );
    }
    assert_eq!(remaining, vec![4, 3, 2, 1, 0]);
    let refused = app.get("/api/v1/users/@me", None).await;
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(refused.headers()["x-ratelimit-remaining"], "0");
    assert_error(refused, 429, "RATE_LIMITED").await;
    // Probes are never limited.
    assert_eq!(app.get("/healthz", None).await.status(), 200);
    assert_eq!(app.get("/readyz", None).await.status(), 200);
}

async fn a_flood_from_one_user_is_refused(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.rate_limits.per_user_per_second = 1;
        c.rate_limits.per_user_burst = 3;
    })
    .await;
    let token = app.owner().await;
    for _ in 0..3 {
        let ok = app.get("/api/v1/users/@me", Some(&token)).await;
        assert_eq!(ok.status(), 200);
        assert_eq!(
            ok.headers()["x-ratelimit-limit"],
            "3",
            "the user's bucket is reported"
        );
    }
    let refused = app.get("/api/v1/users/@me", Some(&token)).await;
    assert!(refused.headers().contains_key("retry-after"));
    assert_error(refused, 429, "RATE_LIMITED").await;
}

async fn sign_in_floods_are_limited_per_address(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.rate_limits.auth_per_ip_per_minute = 1;
        c.rate_limits.auth_per_ip_burst = 3;
        c.auth.max_failures_per_account = 100;
        c.auth.max_failures_per_ip = 100;
    })
    .await;
    app.owner().await;
    for _ in 0..2 {
        assert_eq!(app.login("owner", "wrong password").await.status(), 401);
    }
    let refused = app.login("owner", PASSWORD).await;
    let body: Value = assert_error(refused, 429, "RATE_LIMITED").await;
    assert!(body["error"]["fields"].is_null());
}

/// The address a login is recorded with, when the client claims `forwarded` in `X-Forwarded-For`.
async fn recorded_address(app: &crate::helpers::TestApp, forwarded: &str) -> Value {
    let login = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", forwarded)
        .json(&json!({"username": "owner", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let token = login.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let sessions: Value = app
        .get("/api/v1/auth/sessions", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let current = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == true)
        .unwrap();
    current["ip"].clone()
}

async fn forwarded_addresses_are_used_only_when_trusted(backend: Backend) {
    let untrusting = spawn_app(backend).await;
    untrusting.owner().await;
    assert_eq!(
        recorded_address(&untrusting, "203.0.113.9").await,
        "127.0.0.1"
    );

    let behind_proxy = spawn_app_with(backend, |c| c.http.trust_forwarded_for = true).await;
    behind_proxy.owner().await;
    // Only the entry the proxy appended (the last) counts; what the client put first is ignored.
    assert_eq!(
        recorded_address(&behind_proxy, "198.51.100.1, 203.0.113.9").await,
        "203.0.113.9"
    );
    assert_eq!(
        recorded_address(&behind_proxy, "not-an-address").await,
        "127.0.0.1"
    );
}
