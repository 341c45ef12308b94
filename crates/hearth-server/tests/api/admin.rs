//! Instance administration over the API: invites and settings, admins only.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, PASSWORD, assert_error, both_backends, spawn_app, stdout};

both_backends!(
    only_admins_may_manage_invites_and_settings,
    invite_limits_are_validated,
    deleted_and_expired_invites_stop_working,
    command_line_invites_print_only_the_code,
);

async fn only_admins_may_manage_invites_and_settings(backend: Backend) {
    let app = spawn_app(backend).await;
    app.owner_with_open_registration().await;
    let (bob, _) = app.register("bob", None).await;
    assert_error(
        app.post("/api/v1/admin/invites", Some(&bob), json!({}))
            .await,
        403,
        "ADMIN_REQUIRED",
    )
    .await;
    assert_error(
        app.get("/api/v1/admin/invites", Some(&bob)).await,
        403,
        "ADMIN_REQUIRED",
    )
    .await;
    assert_error(
        app.get("/api/v1/admin/settings", Some(&bob)).await,
        403,
        "ADMIN_REQUIRED",
    )
    .await;
    let patch = app.request(
        Method::PATCH,
        "/api/v1/admin/settings",
        Some(&bob),
        Some(json!({"registration_mode": "open"})),
    );
    assert_error(patch.await, 403, "ADMIN_REQUIRED").await;
    assert_error(
        app.post("/api/v1/admin/invites", None, json!({})).await,
        401,
        "UNAUTHORIZED",
    )
    .await;
    // An admin made on the command line gains access.
    let out = app.hearth(&[
        "admin",
        "create-user",
        "carol",
        "--admin",
        "--password-stdin",
    ]);
    assert!(!out.status.success(), "no password on stdin must fail");
    let out = crate::helpers::run_hearth(
        &app.config,
        &[
            "admin",
            "create-user",
            "carol",
            "--admin",
            "--password-stdin",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let carol: Value = app.login("carol", PASSWORD).await.json().await.unwrap();
    assert_eq!(carol["user"]["admin"], true);
    let token = carol["token"].as_str().unwrap();
    assert_eq!(
        app.get("/api/v1/admin/settings", Some(token))
            .await
            .status(),
        200
    );
}

async fn invite_limits_are_validated(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner().await;
    // Each bad body names the offending field; both bad fields are reported together.
    let bad_bodies = [
        (json!({"max_uses": 100_001}), vec!["max_uses"]),
        (json!({"max_age": 400 * 86400}), vec!["max_age"]),
        (
            json!({"max_uses": 100_001, "max_age": 400 * 86400}),
            vec!["max_age", "max_uses"],
        ),
        (json!({"max_uses": -1}), vec!["max_uses"]),
        (json!({"max_uses": "5"}), vec!["max_uses"]),
    ];
    for (bad, fields) in bad_bodies {
        let response = app
            .post("/api/v1/admin/invites", Some(&owner), bad.clone())
            .await;
        let body = assert_error(response, 400, "VALIDATION_FAILED").await;
        let named: Vec<_> = body["error"]["fields"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(named, fields, "for {bad}");
    }
    let listed: Value = app
        .get("/api/v1/admin/invites", Some(&owner))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed, json!([]), "rejected requests create nothing");
    let created = app
        .post(
            "/api/v1/admin/invites",
            Some(&owner),
            json!({"max_uses": 5, "max_age": 3600}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let invite: Value = created.json().await.unwrap();
    assert_eq!(invite["max_uses"], 5);
    assert_eq!(invite["uses"], 0);
    assert!(invite["expires_at"].is_string());
    let bad_mode = app.request(
        Method::PATCH,
        "/api/v1/admin/settings",
        Some(&owner),
        Some(json!({"registration_mode": "sometimes"})),
    );
    assert_error(bad_mode.await, 400, "VALIDATION_FAILED").await;
}

async fn deleted_and_expired_invites_stop_working(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner().await;
    let invite: Value = app
        .post("/api/v1/admin/invites", Some(&owner), json!({}))
        .await
        .json()
        .await
        .unwrap();
    let code = invite["code"].as_str().unwrap();
    let path = format!("/api/v1/admin/invites/{code}");
    assert_eq!(
        app.request(Method::DELETE, &path, Some(&owner), None)
            .await
            .status(),
        204
    );
    assert_error(
        app.request(Method::DELETE, &path, Some(&owner), None).await,
        404,
        "UNKNOWN_INVITE",
    )
    .await;
    assert_error(
        app.register_raw("bob", PASSWORD, Some(code)).await,
        403,
        "INVALID_INVITE",
    )
    .await;

    let out = app.hearth(&["admin", "create-invite", "--expires", "1s"]);
    assert!(out.status.success());
    let short_lived = stdout(&out);
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_error(
        app.register_raw("bob", PASSWORD, Some(&short_lived)).await,
        403,
        "INVALID_INVITE",
    )
    .await;
}

async fn command_line_invites_print_only_the_code(backend: Backend) {
    let app = spawn_app(backend).await;
    app.owner().await;
    let out = app.hearth(&[
        "admin",
        "create-invite",
        "--max-uses",
        "1",
        "--expires",
        "7d",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let code = stdout(&out);
    assert_eq!(code.len(), 10, "stdout is the code alone: {code:?}");
    app.register("bob", Some(&code)).await;
    assert_error(
        app.register_raw("carol", PASSWORD, Some(&code)).await,
        403,
        "INVALID_INVITE",
    )
    .await;
    let bad = app.hearth(&["admin", "create-invite", "--expires", "7y"]);
    assert!(!bad.status.success());
    assert!(stdout(&bad).is_empty());
}
