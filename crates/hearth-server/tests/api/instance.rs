//! The instance's profile (settings, the public `/instance`, terms at registration), announcements
//! (REST and gateway, with expiry), and the instance audit log's paging, filters and command-line
//! entries.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::admin_users::audit_actions;
use crate::helpers::{Backend, PASSWORD, assert_error, both_backends, spawn_app};

both_backends!(
    settings_carry_a_bounded_public_profile_shown_before_registration,
    registration_requires_accepting_the_terms_when_there_are_some,
    announcements_reach_every_connected_session_and_expire,
    the_instance_audit_log_pages_filters_and_records_the_command_line,
);

async fn settings_carry_a_bounded_public_profile_shown_before_registration(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner().await;
    let public: Value = app
        .get("/api/v1/instance", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        public,
        json!({"name": "Hearth", "description": "", "terms": "", "privacy": "",
               "registration_mode": "invite",
               "media": {"max_file_bytes": 25 * 1024 * 1024, "max_files_per_message": 10,
                         "max_image_bytes": 10 * 1024 * 1024, "max_emoji_bytes": 256 * 1024,
                         "max_emojis_per_guild": 200}})
    );
    let terms = format!("# Terms\n\n{}", "t".repeat(19_000));
    let patched = app
        .expect(
            Method::PATCH,
            "/api/v1/admin/settings",
            &owner,
            Some(json!({
                "name": "  Hearthside  ",
                "description": "Books and tea.\nMostly tea.",
                "terms": terms,
                "privacy": "We keep nothing.",
                "registration_mode": "open",
            })),
            200,
        )
        .await;
    assert_eq!(patched["name"], "Hearthside");
    assert_eq!(patched["registration_mode"], "open");
    let public: Value = app
        .get("/api/v1/instance", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["name"], "Hearthside");
    assert_eq!(public["description"], "Books and tea.\nMostly tea.");
    assert_eq!(public["terms"], terms.as_str());
    assert_eq!(public["privacy"], "We keep nothing.");
    assert_eq!(public["registration_mode"], "open");
    assert_eq!(
        app.expect(Method::GET, "/api/v1/admin/settings", &owner, None, 200)
            .await,
        patched
    );
    let entries = audit_actions(&app, &owner).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["action"], "settings.update");
    let keys: Vec<&str> = entries[0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "registration_mode",
            "name",
            "description",
            "terms",
            "privacy"
        ]
    );

    // Every bad field is reported at once and nothing changes.
    let bad = app
        .request(
            Method::PATCH,
            "/api/v1/admin/settings",
            Some(&owner),
            Some(json!({
                "name": "n".repeat(101),
                "description": "d".repeat(1001),
                "terms": "t".repeat(20_001),
                "privacy": "bell\u{7}",
                "registration_mode": "closed",
            })),
        )
        .await;
    let body = assert_error(bad, 400, "VALIDATION_FAILED").await;
    let fields: Vec<&String> = body["error"]["fields"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(fields, ["description", "name", "privacy", "terms"]);
    for bad in [
        json!({"name": ""}),
        json!({"name": "two\nlines"}),
        json!({"terms": 5}),
        json!({"motd": "hi"}),
        json!({"registration_mode": "sometimes"}),
    ] {
        let response = app
            .request(
                Method::PATCH,
                "/api/v1/admin/settings",
                Some(&owner),
                Some(bad.clone()),
            )
            .await;
        assert_error(response, 400, "VALIDATION_FAILED").await;
    }
    let after: Value = app
        .get("/api/v1/instance", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after, public, "rejected requests change nothing");
    // The same values again, or nothing at all, are not changes.
    app.expect(
        Method::PATCH,
        "/api/v1/admin/settings",
        &owner,
        Some(json!({"name": "Hearthside", "registration_mode": "open"})),
        200,
    )
    .await;
    app.expect(
        Method::PATCH,
        "/api/v1/admin/settings",
        &owner,
        Some(json!({})),
        200,
    )
    .await;
    assert_eq!(audit_actions(&app, &owner).await.len(), 1);
    // Empty texts clear them.
    let cleared = app
        .expect(
            Method::PATCH,
            "/api/v1/admin/settings",
            &owner,
            Some(json!({"terms": "", "privacy": "  "})),
            200,
        )
        .await;
    assert_eq!(
        (&cleared["terms"], &cleared["privacy"]),
        (&json!(""), &json!(""))
    );
}

async fn registration_requires_accepting_the_terms_when_there_are_some(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner_with_open_registration().await;
    app.register("before", None).await;
    app.expect(
        Method::PATCH,
        "/api/v1/admin/settings",
        &owner,
        Some(json!({"terms": "Be kind."})),
        200,
    )
    .await;
    let refused = app.register_raw("ada", PASSWORD, None).await;
    let body = assert_error(refused, 400, "VALIDATION_FAILED").await;
    assert!(
        body["error"]["fields"]["accept_terms"].is_string(),
        "{body}"
    );
    let declined = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"username": "ada", "password": PASSWORD, "accept_terms": false}),
        )
        .await;
    assert_error(declined, 400, "VALIDATION_FAILED").await;
    let wrong_type = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"username": "ada", "password": PASSWORD, "accept_terms": "yes"}),
        )
        .await;
    assert_error(wrong_type, 400, "VALIDATION_FAILED").await;
    let accepted = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"username": "ada", "password": PASSWORD, "accept_terms": true}),
        )
        .await;
    assert_eq!(accepted.status(), 201);
    // Existing accounts sign in as before; without terms nobody has to accept anything.
    assert_eq!(app.login("before", PASSWORD).await.status(), 200);
    app.expect(
        Method::PATCH,
        "/api/v1/admin/settings",
        &owner,
        Some(json!({"terms": ""})),
        200,
    )
    .await;
    app.register("grace", None).await;
}

async fn announcements_reach_every_connected_session_and_expire(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner_with_open_registration().await;
    let (bob, _) = app.register("bob", None).await;
    // Bob is in no guild: announcements reach everyone signed in, not guild members.
    let (mut bob_ws, _, _) = app.identified(&bob).await;
    let (mut second_ws, _, _) = app.identified(&bob).await;

    let posted = app
        .expect(
            Method::POST,
            "/api/v1/admin/announcements",
            &owner,
            Some(json!({"title": "Maintenance", "content": "**Down** at noon.\n\nBack by one."})),
            201,
        )
        .await;
    assert_eq!(posted["title"], "Maintenance");
    assert!(posted["expires_at"].is_null());
    let event = app.expect_event("ANNOUNCEMENT_CREATE");
    assert_eq!(event.audience, hearth_server::bus::Audience::Everyone);
    assert_eq!(event.data, posted);
    assert_eq!(bob_ws.expect_dispatch("ANNOUNCEMENT_CREATE").await, posted);
    assert_eq!(
        second_ws.expect_dispatch("ANNOUNCEMENT_CREATE").await,
        posted
    );

    let soon = time::OffsetDateTime::now_utc() + time::Duration::milliseconds(2500);
    let expiring = app
        .expect(
            Method::POST,
            "/api/v1/admin/announcements",
            &owner,
            Some(json!({
                "title": "Flash sale",
                "content": "Gone soon",
                "expires_at": soon.format(&time::format_description::well_known::Rfc3339).unwrap(),
            })),
            201,
        )
        .await;
    assert!(expiring["expires_at"].is_string());
    bob_ws.expect_dispatch("ANNOUNCEMENT_CREATE").await;
    app.events();
    let listed = app
        .expect(Method::GET, "/api/v1/announcements", &bob, None, 200)
        .await;
    assert_eq!(listed, json!([expiring, posted]), "newest first");
    assert_error(
        app.get("/api/v1/announcements", None).await,
        401,
        "UNAUTHORIZED",
    )
    .await;

    // Bad posts are refused and publish nothing.
    let past = "2020-01-01T00:00:00Z";
    let far = "2999-01-01T00:00:00Z";
    for (bad, field) in [
        (json!({"title": "", "content": "x"}), "title"),
        (json!({"title": "t".repeat(101), "content": "x"}), "title"),
        (
            json!({"title": "x", "content": "c".repeat(4001)}),
            "content",
        ),
        (json!({"title": "x", "content": "   "}), "content"),
        (
            json!({"title": "x", "content": "y", "expires_at": past}),
            "expires_at",
        ),
        (
            json!({"title": "x", "content": "y", "expires_at": far}),
            "expires_at",
        ),
        (
            json!({"title": "x", "content": "y", "expires_at": "tomorrow"}),
            "expires_at",
        ),
        (json!({"title": "x"}), "body"),
    ] {
        let response = app
            .post("/api/v1/admin/announcements", Some(&owner), bad.clone())
            .await;
        let body = assert_error(response, 400, "VALIDATION_FAILED").await;
        assert!(
            body["error"]["fields"].get(field).is_some(),
            "{bad} should name {field}: {body}"
        );
    }
    assert!(app.events().is_empty());

    tokio::time::sleep(Duration::from_millis(2600)).await;
    let listed = app
        .expect(Method::GET, "/api/v1/announcements", &bob, None, 200)
        .await;
    assert_eq!(listed, json!([posted]), "expired ones are hidden");
    let all = app
        .expect(
            Method::GET,
            "/api/v1/admin/announcements",
            &owner,
            None,
            200,
        )
        .await;
    assert_eq!(all.as_array().unwrap().len(), 2, "admins still see it");
    let page = app
        .expect(
            Method::GET,
            &format!(
                "/api/v1/admin/announcements?limit=1&before={}",
                expiring["id"].as_str().unwrap()
            ),
            &owner,
            None,
            200,
        )
        .await;
    assert_eq!(page, json!([posted]));
    assert_error(
        app.get("/api/v1/admin/announcements?limit=101", Some(&owner))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;

    let id = posted["id"].as_str().unwrap();
    let path = format!("/api/v1/admin/announcements/{id}");
    assert_eq!(app.delete(&path, Some(&owner)).await.status(), 204);
    let deleted = bob_ws.expect_dispatch("ANNOUNCEMENT_DELETE").await;
    assert_eq!(deleted, json!({"id": id}));
    second_ws.wait_for("ANNOUNCEMENT_DELETE").await;
    assert_error(
        app.delete(&path, Some(&owner)).await,
        404,
        "UNKNOWN_ANNOUNCEMENT",
    )
    .await;
    assert_error(
        app.delete("/api/v1/admin/announcements/nope", Some(&owner))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    let listed = app
        .expect(Method::GET, "/api/v1/announcements", &bob, None, 200)
        .await;
    assert_eq!(listed, json!([]));
    let actions: Vec<Value> = audit_actions(&app, &owner)
        .await
        .iter()
        .map(|e| e["action"].clone())
        .collect();
    assert_eq!(
        actions,
        [
            "announcement.delete",
            "announcement.create",
            "announcement.create",
            "settings.update"
        ]
    );
}

async fn the_instance_audit_log_pages_filters_and_records_the_command_line(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner_with_open_registration().await;
    let (_, bob) = app.register("bob", None).await;
    let bob_id = bob["id"].as_str().unwrap();
    let invite = app
        .expect(
            Method::POST,
            "/api/v1/admin/invites",
            &owner,
            Some(json!({"max_uses": 3})),
            201,
        )
        .await;
    let code = invite["code"].as_str().unwrap();
    let reason = app
        .client
        .delete(app.url(&format!("/api/v1/admin/invites/{code}")))
        .bearer_auth(&owner)
        .header("X-Audit-Log-Reason", "leaked%20on%20a%20forum")
        .send()
        .await
        .unwrap();
    assert_eq!(reason.status(), 204);
    assert_error(
        app.delete(&format!("/api/v1/admin/invites/{code}"), Some(&owner))
            .await,
        404,
        "UNKNOWN_INVITE",
    )
    .await;
    for args in [
        vec!["admin", "disable-user", "bob"],
        vec!["admin", "enable-user", "bob"],
        vec!["admin", "grant-admin", "bob"],
        vec!["admin", "revoke-admin", "bob"],
        vec!["admin", "registration", "closed"],
        vec!["admin", "create-invite", "--max-uses", "1"],
    ] {
        let out = app.hearth(&args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Refused on the command line too, and left out of the log.
    assert!(
        !app.hearth(&["admin", "revoke-admin", "owner"])
            .status
            .success()
    );

    let entries = audit_actions(&app, &owner).await;
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "invite.create",
            "settings.update",
            "user.demote",
            "user.promote",
            "user.enable",
            "user.disable",
            "invite.delete",
            "invite.create",
            "settings.update",
        ]
    );
    for cli in &entries[..6] {
        assert!(
            cli["user_id"].is_null(),
            "the command line has no actor: {cli}"
        );
        assert!(cli["created_at"].is_string());
    }
    assert_eq!(entries[5]["target_id"], bob_id);
    assert_eq!(entries[6]["reason"], "leaked on a forum");
    assert_eq!(
        entries[6]["changes"],
        json!([{"key": "code", "old_value": code}])
    );
    assert_eq!(
        entries[7]["changes"][0],
        json!({"key": "code", "new_value": code})
    );
    assert_eq!(
        entries[7]["changes"][1],
        json!({"key": "max_uses", "new_value": 3})
    );

    // Filters and pages.
    let get = |query: String| {
        let app = &app;
        let owner = owner.clone();
        async move {
            app.expect(
                Method::GET,
                &format!("/api/v1/admin/audit-log{query}"),
                &owner,
                None,
                200,
            )
            .await["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].clone())
                .collect::<Vec<_>>()
        }
    };
    let ids: Vec<Value> = entries.iter().map(|e| e["id"].clone()).collect();
    assert_eq!(
        get("?action=invite.create".into()).await,
        [ids[0].clone(), ids[7].clone()]
    );
    let owner_id = app
        .expect(Method::GET, "/api/v1/users/@me", &owner, None, 200)
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        get(format!("?user_id={owner_id}")).await,
        [ids[6].clone(), ids[7].clone(), ids[8].clone()]
    );
    assert_eq!(
        get(format!("?before={}&limit=2", ids[2].as_str().unwrap())).await,
        [ids[3].clone(), ids[4].clone()]
    );
    for bad in [
        "?action=user.explode",
        "?limit=0",
        "?limit=101",
        "?before=x",
        "?user_id=-1",
        "?page=2",
    ] {
        assert_error(
            app.get(&format!("/api/v1/admin/audit-log{bad}"), Some(&owner))
                .await,
            400,
            "VALIDATION_FAILED",
        )
        .await;
    }
}
