//! Health, readiness, metrics, the OpenAPI document, graceful shutdown.

use serde_json::{Value, json};

use crate::helpers::{Backend, PASSWORD, both_backends, spawn_app, spawn_app_with};

both_backends!(
    health_and_readiness_answer_ok,
    metrics_count_requests_by_route_and_status,
    the_openapi_document_describes_every_route_and_its_errors,
    shutdown_lets_in_flight_requests_finish,
);

async fn health_and_readiness_answer_ok(backend: Backend) {
    let app = spawn_app(backend).await;
    for path in ["/healthz", "/readyz"] {
        let response = app.get(path, None).await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.json::<Value>().await.unwrap(),
            json!({"status": "ok"})
        );
    }
}

async fn metrics_count_requests_by_route_and_status(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.owner().await;
    app.get("/api/v1/users/@me", Some(&token)).await;
    app.get("/api/v1/users/@me", None).await;
    let text = app.get("/metrics", None).await.text().await.unwrap();
    let has = |needle: &str| {
        text.lines()
            .any(|l| l.starts_with("hearth_http_requests_total") && l.contains(needle))
    };
    assert!(
        has(r#"route="/api/v1/users/@me""#) && has(r#"status="401""#) && has(r#"status="200""#),
        "{text}"
    );
    assert!(text.contains("hearth_http_request_duration_seconds_bucket"));
    assert!(
        text.lines()
            .any(|l| l.starts_with("hearth_sessions ") && l != "hearth_sessions 0"),
        "{text}"
    );
    assert!(text.contains(r#"hearth_db_pool_connections{state="open"}"#));
    assert!(!text.contains(&token), "metrics never carry secrets");
}

async fn the_openapi_document_describes_every_route_and_its_errors(backend: Backend) {
    let app = spawn_app(backend).await;
    let doc: Value = app
        .get("/api/v1/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/auth/register", "post"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/auth/password", "post"),
        ("/api/v1/auth/sessions", "get"),
        ("/api/v1/auth/sessions/{session_id}", "delete"),
        ("/api/v1/auth/sessions/revoke-others", "post"),
        ("/api/v1/users/@me", "get"),
        ("/api/v1/users/@me", "patch"),
        ("/api/v1/users/{user_id}", "get"),
        ("/api/v1/admin/invites", "post"),
        ("/api/v1/admin/invites", "get"),
        ("/api/v1/admin/invites/{code}", "delete"),
        ("/api/v1/admin/settings", "get"),
        ("/api/v1/admin/settings", "patch"),
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/metrics", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing"
        );
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for schema in [
        "ErrorBody",
        "RegisterRequest",
        "AuthResponse",
        "CurrentUser",
        "Session",
        "InstanceInvite",
    ] {
        assert!(schemas.contains_key(schema), "{schema} missing");
    }
    let login_errors = &doc["paths"]["/api/v1/auth/login"]["post"]["responses"]["401"];
    assert!(login_errors.to_string().contains("ErrorBody"));

    // Every parameter sits where it is: path parameters are the path's `{name}`s, and nothing else
    // claims to be one (a query struct without `parameter_in = Query` would), so generated clients
    // can call every endpoint.
    let mut queries = 0;
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap();
                match parameter["in"].as_str().unwrap() {
                    "path" => assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: `{name}` is declared in the path but is not in it"
                    ),
                    "query" => queries += 1,
                    "header" => {}
                    other => panic!("{method} {path}: `{name}` in {other}"),
                }
            }
        }
    }
    let history = &doc["paths"]["/api/v1/channels/{channel_id}/messages"]["get"]["parameters"];
    let limit = history
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap();
    assert_eq!(limit["in"], "query");
    assert!(queries >= 20, "only {queries} query parameters");
}

async fn shutdown_lets_in_flight_requests_finish(backend: Backend) {
    // One hash at a time, so several logins queue and are still running when shutdown begins.
    let mut app = spawn_app_with(backend, |c| c.auth.max_concurrent_hashes = 1).await;
    app.owner().await;
    let logins: Vec<_> = (0..8)
        .map(|_| {
            let request = app
                .client
                .post(app.url("/api/v1/auth/login"))
                .json(&json!({"username": "owner", "password": PASSWORD}));
            tokio::spawn(request.send())
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    // Eight serial hashes take far longer than 30 ms, so some requests are still in flight here; if
    // none were, this test would prove nothing.
    assert!(logins.iter().any(|login| !login.is_finished()));
    app.shutdown_now().await;
    for login in logins {
        let response = login.await.unwrap().expect("in-flight request answered");
        assert_eq!(response.status(), 200);
    }
    assert!(
        app.client.get(app.url("/healthz")).send().await.is_err(),
        "no new connections after shutdown"
    );
}
