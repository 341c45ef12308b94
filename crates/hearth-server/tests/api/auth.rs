//! Registration, sign-in, sign-out, password changes, throttling.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{
    Backend, PASSWORD, assert_error, both_backends, spawn_app, spawn_app_with, stdout,
};

both_backends!(
    first_account_becomes_the_owner_and_is_signed_in,
    registration_is_invite_only_after_the_first_account,
    an_invite_admits_as_many_accounts_as_it_has_uses,
    closed_registration_refuses_even_with_an_invite,
    open_registration_admits_anyone,
    usernames_are_unique_without_regard_to_case_or_width,
    registration_reports_every_invalid_field_and_changes_nothing,
    unknown_users_and_wrong_passwords_get_the_same_answer,
    repeated_failures_lock_the_account_with_retry_after,
    logout_revokes_the_token_at_once,
    changing_the_password_needs_the_current_one_and_revokes_other_sessions,
    malformed_unknown_and_foreign_tokens_are_rejected,
    idle_sessions_expire,
    disabling_a_user_stops_their_sessions_at_once,
    concurrent_first_registrations_make_exactly_one_owner,
);

async fn first_account_becomes_the_owner_and_is_signed_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let (token, user) = app.register("Alice", None).await;
    assert_eq!(user["username"], "Alice");
    assert_eq!(user["owner"], true);
    assert_eq!(user["admin"], true);
    assert!(
        user["id"].as_str().unwrap().parse::<u64>().is_ok(),
        "ids are decimal strings"
    );
    let me: serde_json::Value = app
        .get("/api/v1/users/@me", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["id"], user["id"]);
}

async fn registration_is_invite_only_after_the_first_account(backend: Backend) {
    let app = spawn_app(backend).await;
    app.owner().await;
    assert_error(
        app.register_raw("bob", PASSWORD, None).await,
        403,
        "INVITE_REQUIRED",
    )
    .await;
    assert_error(
        app.register_raw("bob", PASSWORD, Some("NOTAREALCD")).await,
        403,
        "INVALID_INVITE",
    )
    .await;
    assert_error(
        app.register_raw("bob", PASSWORD, Some("../../etc")).await,
        403,
        "INVALID_INVITE",
    )
    .await;
}

async fn an_invite_admits_as_many_accounts_as_it_has_uses(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner().await;
    let invite: serde_json::Value = app
        .post(
            "/api/v1/admin/invites",
            Some(&owner),
            json!({"max_uses": 2}),
        )
        .await
        .json()
        .await
        .unwrap();
    let code = invite["code"].as_str().unwrap();
    app.register("bob", Some(code)).await;
    app.register("carol", Some(code)).await;
    assert_error(
        app.register_raw("dave", PASSWORD, Some(code)).await,
        403,
        "INVALID_INVITE",
    )
    .await;
    let invites: serde_json::Value = app
        .get("/api/v1/admin/invites", Some(&owner))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(invites[0]["uses"], 2);
}

async fn closed_registration_refuses_even_with_an_invite(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner().await;
    let invite: serde_json::Value = app
        .post("/api/v1/admin/invites", Some(&owner), json!({}))
        .await
        .json()
        .await
        .unwrap();
    let response = app
        .request(
            Method::PATCH,
            "/api/v1/admin/settings",
            Some(&owner),
            Some(json!({"registration_mode": "closed"})),
        )
        .await;
    assert_eq!(response.status(), 200);
    let code = invite["code"].as_str().unwrap();
    assert_error(
        app.register_raw("bob", PASSWORD, Some(code)).await,
        403,
        "REGISTRATION_CLOSED",
    )
    .await;
}

async fn open_registration_admits_anyone(backend: Backend) {
    let app = spawn_app(backend).await;
    app.owner_with_open_registration().await;
    let (_, user) = app.register("bob", None).await;
    assert_eq!(user["owner"], false);
    assert_eq!(user["admin"], false);
}

async fn usernames_are_unique_without_regard_to_case_or_width(backend: Backend) {
    let app = spawn_app(backend).await;
    app.owner_with_open_registration().await;
    app.register("Alice", None).await;
    assert_error(
        app.register_raw("alice", PASSWORD, None).await,
        409,
        "USERNAME_TAKEN",
    )
    .await;
    assert_error(
        app.register_raw("ALICE", PASSWORD, None).await,
        409,
        "USERNAME_TAKEN",
    )
    .await;
    // Fullwidth letters normalise (NFKC) to the same name.
    assert_error(
        app.register_raw("ａｌｉｃｅ", PASSWORD, None).await,
        409,
        "USERNAME_TAKEN",
    )
    .await;
    // Sign-in ignores case as well.
    assert_eq!(app.login("aLiCe", PASSWORD).await.status(), 200);
}

async fn registration_reports_every_invalid_field_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = assert_error(
        app.register_raw("x", "short", None).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(body["error"]["fields"]["username"].is_string());
    assert!(body["error"]["fields"]["password"].is_string());
    let too_long = "p".repeat(129);
    assert_error(
        app.register_raw("validname", &too_long, None).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_error(
        app.register_raw("has space", PASSWORD, None).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_error(
        app.register_raw("everyone", PASSWORD, None).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    // Nothing was created: the next account is still the first, and becomes owner.
    let (_, user) = app.register("realfirst", None).await;
    assert_eq!(user["owner"], true);
}

async fn unknown_users_and_wrong_passwords_get_the_same_answer(backend: Backend) {
    let app = spawn_app(backend).await;
    app.owner().await;
    let wrong = assert_error(
        app.login("owner", "wrong password").await,
        401,
        "INVALID_CREDENTIALS",
    )
    .await;
    let unknown = assert_error(
        app.login("nobody", "wrong password").await,
        401,
        "INVALID_CREDENTIALS",
    )
    .await;
    assert_eq!(wrong, unknown);
    // A name that could never exist gets the same answer too.
    let impossible = assert_error(
        app.login("x", "wrong password").await,
        401,
        "INVALID_CREDENTIALS",
    )
    .await;
    assert_eq!(wrong, impossible);
}

async fn repeated_failures_lock_the_account_with_retry_after(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.auth.max_failures_per_account = 3;
        c.auth.lockout_secs = 60;
    })
    .await;
    app.owner().await;
    for _ in 0..3 {
        assert_error(
            app.login("owner", "wrong password").await,
            401,
            "INVALID_CREDENTIALS",
        )
        .await;
    }
    // Locked: even the right password is refused until the lockout ends.
    let response = app.login("owner", PASSWORD).await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_error(response, 429, "TOO_MANY_LOGIN_ATTEMPTS").await;
    // Unknown accounts are throttled the same way, so lockouts do not reveal which names exist.
    for _ in 0..3 {
        app.login("ghost", "wrong password").await;
    }
    assert_error(
        app.login("ghost", "wrong password").await,
        429,
        "TOO_MANY_LOGIN_ATTEMPTS",
    )
    .await;
}

async fn logout_revokes_the_token_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.owner().await;
    let response = app
        .post("/api/v1/auth/logout", Some(&token), json!({}))
        .await;
    assert_eq!(response.status(), 204);
    assert_error(
        app.get("/api/v1/users/@me", Some(&token)).await,
        401,
        "UNAUTHORIZED",
    )
    .await;
}

async fn changing_the_password_needs_the_current_one_and_revokes_other_sessions(backend: Backend) {
    let app = spawn_app(backend).await;
    let first = app.owner().await;
    let second: serde_json::Value = app.login("owner", PASSWORD).await.json().await.unwrap();
    let second = second["token"].as_str().unwrap().to_owned();

    let wrong = app
        .post(
            "/api/v1/auth/password",
            Some(&first),
            json!({"current_password": "nope nope", "new_password": "a new password"}),
        )
        .await;
    let body = assert_error(wrong, 400, "VALIDATION_FAILED").await;
    assert!(body["error"]["fields"]["current_password"].is_string());
    let weak = app
        .post(
            "/api/v1/auth/password",
            Some(&first),
            json!({"current_password": PASSWORD, "new_password": "short"}),
        )
        .await;
    assert_error(weak, 400, "VALIDATION_FAILED").await;

    let changed = app
        .post(
            "/api/v1/auth/password",
            Some(&first),
            json!({"current_password": PASSWORD, "new_password": "a new password"}),
        )
        .await;
    assert_eq!(changed.status(), 200);
    assert_eq!(
        changed.json::<serde_json::Value>().await.unwrap()["revoked"],
        1
    );
    assert_eq!(
        app.get("/api/v1/users/@me", Some(&first)).await.status(),
        200
    );
    assert_error(
        app.get("/api/v1/users/@me", Some(&second)).await,
        401,
        "UNAUTHORIZED",
    )
    .await;
    assert_error(
        app.login("owner", PASSWORD).await,
        401,
        "INVALID_CREDENTIALS",
    )
    .await;
    assert_eq!(app.login("owner", "a new password").await.status(), 200);
}

async fn malformed_unknown_and_foreign_tokens_are_rejected(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.owner().await;
    assert_error(
        app.get("/api/v1/users/@me", None).await,
        401,
        "UNAUTHORIZED",
    )
    .await;
    for bad in [
        "",
        "short",
        &"A".repeat(43),
        &format!("{token}x"),
        "../../etc/passwd",
    ] {
        assert_error(
            app.get("/api/v1/users/@me", Some(bad)).await,
            401,
            "UNAUTHORIZED",
        )
        .await;
    }
    let basic = app
        .client
        .get(app.url("/api/v1/users/@me"))
        .header("authorization", format!("Basic {token}"))
        .send()
        .await
        .unwrap();
    assert_error(basic, 401, "UNAUTHORIZED").await;
}

async fn idle_sessions_expire(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.auth.session_idle_timeout_secs = 1).await;
    let token = app.owner().await;
    assert_eq!(
        app.get("/api/v1/users/@me", Some(&token)).await.status(),
        200
    );
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    assert_error(
        app.get("/api/v1/users/@me", Some(&token)).await,
        401,
        "UNAUTHORIZED",
    )
    .await;
}

async fn disabling_a_user_stops_their_sessions_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    app.owner_with_open_registration().await;
    let (token, _) = app.register("bob", None).await;
    let out = app.hearth(&["admin", "disable-user", "bob"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_error(
        app.get("/api/v1/users/@me", Some(&token)).await,
        401,
        "UNAUTHORIZED",
    )
    .await;
    assert_error(app.login("bob", PASSWORD).await, 401, "INVALID_CREDENTIALS").await;
    let out = app.hearth(&["admin", "enable-user", "bob"]);
    assert!(out.status.success());
    assert_eq!(app.login("bob", PASSWORD).await.status(), 200);
    assert!(stdout(&app.hearth(&["admin", "disable-user", "nobody"])).is_empty());
    assert!(
        !app.hearth(&["admin", "disable-user", "nobody"])
            .status
            .success()
    );
}

async fn concurrent_first_registrations_make_exactly_one_owner(backend: Backend) {
    let app = spawn_app(backend).await;
    let names: Vec<String> = (0..6).map(|i| format!("racer{i}")).collect();
    let attempts = names
        .iter()
        .map(|name| app.register_raw(name, PASSWORD, None));
    let responses = futures_util::future::join_all(attempts).await;
    let mut owners = 0;
    for response in responses {
        if response.status() == 201 {
            let body: serde_json::Value = response.json().await.unwrap();
            owners += usize::from(body["user"]["owner"] == true);
        } else {
            assert_error(response, 403, "INVITE_REQUIRED").await;
        }
    }
    assert_eq!(owners, 1);
}
