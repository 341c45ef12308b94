//! Profiles: the signed-in user's own and other users' public ones.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, assert_error, both_backends, spawn_app};

both_backends!(
    profile_updates_change_only_the_given_fields,
    profile_updates_reject_bad_values_and_change_nothing,
    public_profiles_hide_account_details,
);

async fn profile_updates_change_only_the_given_fields(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.owner().await;
    let patch =
        |body: Value| app.request(Method::PATCH, "/api/v1/users/@me", Some(&token), Some(body));
    let me: Value = patch(
        json!({"global_name": "  Ada  ", "bio": "line one\nline two", "pronouns": "she/her"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(me["global_name"], "Ada");
    assert_eq!(me["bio"], "line one\nline two");
    let me: Value = patch(json!({"pronouns": "they/them"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["global_name"], "Ada");
    assert_eq!(me["bio"], "line one\nline two");
    assert_eq!(me["pronouns"], "they/them");
    let me: Value = patch(json!({"global_name": null, "bio": ""}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["global_name"], Value::Null);
    assert_eq!(me["bio"], "");
    let fetched: Value = app
        .get("/api/v1/users/@me", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fetched, me);
}

async fn profile_updates_reject_bad_values_and_change_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.owner().await;
    let patch =
        |body: Value| app.request(Method::PATCH, "/api/v1/users/@me", Some(&token), Some(body));
    let body = assert_error(
        patch(json!({"global_name": "x".repeat(33), "bio": "b".repeat(191), "pronouns": "ok"}))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(body["error"]["fields"]["global_name"].is_string());
    assert!(body["error"]["fields"]["bio"].is_string());
    assert_error(
        patch(json!({"global_name": "bad\u{202e}name"})).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_error(
        patch(json!({"admin": true})).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_error(patch(json!({"bio": 42})).await, 400, "VALIDATION_FAILED").await;
    // Avatar uploads are refused (not yet processed), never silently dropped.
    let refused = assert_error(
        patch(json!({"avatar": "data:image/png;base64,iVBORw0KGgo=", "pronouns": "they"})).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(refused["error"]["fields"]["avatar"].is_string());
    let me: Value = app
        .get("/api/v1/users/@me", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["pronouns"], "", "a rejected request changes nothing");
}

async fn public_profiles_hide_account_details(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner_with_open_registration().await;
    let (_, bob) = app.register("bob", None).await;
    let id = bob["id"].as_str().unwrap();
    let profile: Value = app
        .get(&format!("/api/v1/users/{id}"), Some(&owner))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(profile["username"], "bob");
    for private in ["admin", "owner", "mfa_enabled", "password_hash"] {
        assert!(profile.get(private).is_none(), "{private} leaked");
    }
    assert_error(
        app.get(&format!("/api/v1/users/{id}"), None).await,
        401,
        "UNAUTHORIZED",
    )
    .await;
    assert_error(
        app.get("/api/v1/users/123456789", Some(&owner)).await,
        404,
        "UNKNOWN_USER",
    )
    .await;
    assert_error(
        app.get("/api/v1/users/abc", Some(&owner)).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_error(
        app.get("/api/v1/users/99999999999999999999999", Some(&owner))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
}
