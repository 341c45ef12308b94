//! Instance administration of accounts over the API: listing and search, disable and enable (which end
//! every session, gateway included), promote and demote, delete, who may do which, and the instance
//! audit log entry each one leaves.

use reqwest::Method;
use serde_json::{Value, json};

use hearth_server::bus::Audience;

use crate::helpers::{Backend, PASSWORD, TestApp, assert_error, both_backends, spawn_app};
use crate::messages::say;

both_backends!(
    every_admin_endpoint_refuses_members_and_anonymous_callers,
    admins_search_accounts_by_name_and_page_through_them_in_id_order,
    disabling_an_account_ends_its_sessions_and_gateway_connections,
    nobody_acts_on_the_owner_or_themselves_and_only_the_owner_manages_admins,
    deleting_an_account_anonymises_it_and_keeps_its_messages,
);

/// The instance audit log's entries, newest first (as the owner sees it).
pub async fn audit_actions(app: &TestApp, owner: &str) -> Vec<Value> {
    let log = app
        .expect(Method::GET, "/api/v1/admin/audit-log", owner, None, 200)
        .await;
    log["entries"].as_array().unwrap().clone()
}

fn action_names(entries: &[Value]) -> Vec<&str> {
    entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect()
}

/// An account with a live session: (token, id).
async fn account(app: &TestApp, name: &str) -> (String, String) {
    let (token, user) = app.register(name, None).await;
    (token, user["id"].as_str().unwrap().to_owned())
}

async fn every_admin_endpoint_refuses_members_and_anonymous_callers(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner_with_open_registration().await;
    let (bob, bob_id) = account(&app, "bob").await;
    let (_, carol_id) = account(&app, "carol").await;
    let announcement = app
        .expect(
            Method::POST,
            "/api/v1/admin/announcements",
            &owner,
            Some(json!({"title": "Hello", "content": "Welcome"})),
            201,
        )
        .await;
    let announcement_id = announcement["id"].as_str().unwrap();
    let before = audit_actions(&app, &owner).await.len();
    let endpoints: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/api/v1/admin/users".into(), None),
        (Method::GET, "/api/v1/admin/users?query=car".into(), None),
        (Method::GET, format!("/api/v1/admin/users/{carol_id}"), None),
        (
            Method::POST,
            format!("/api/v1/admin/users/{carol_id}/disable"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/admin/users/{carol_id}/enable"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/admin/users/{carol_id}/admin"),
            None,
        ),
        (
            Method::DELETE,
            format!("/api/v1/admin/users/{carol_id}/admin"),
            None,
        ),
        (
            Method::DELETE,
            format!("/api/v1/admin/users/{carol_id}"),
            None,
        ),
        (Method::GET, "/api/v1/admin/announcements".into(), None),
        (
            Method::POST,
            "/api/v1/admin/announcements".into(),
            Some(json!({"title": "Mine", "content": "now"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/admin/announcements/{announcement_id}"),
            None,
        ),
        (Method::GET, "/api/v1/admin/audit-log".into(), None),
        (Method::GET, "/api/v1/admin/settings".into(), None),
        (
            Method::PATCH,
            "/api/v1/admin/settings".into(),
            Some(json!({"terms": "mine now"})),
        ),
        (Method::GET, "/api/v1/admin/invites".into(), None),
        (
            Method::POST,
            "/api/v1/admin/invites".into(),
            Some(json!({})),
        ),
    ];
    for (method, path, body) in &endpoints {
        let response = app
            .request(method.clone(), path, Some(&bob), body.clone())
            .await;
        assert_error(response, 403, "ADMIN_REQUIRED").await;
        let response = app.request(method.clone(), path, None, body.clone()).await;
        assert_error(response, 401, "UNAUTHORIZED").await;
    }
    // A disabled admin is just signed out.
    app.expect(
        Method::POST,
        &format!("/api/v1/admin/users/{bob_id}/admin"),
        &owner,
        None,
        200,
    )
    .await;
    app.expect(Method::GET, "/api/v1/admin/users", &bob, None, 200)
        .await;
    app.expect(
        Method::POST,
        &format!("/api/v1/admin/users/{bob_id}/disable"),
        &owner,
        None,
        200,
    )
    .await;
    for (method, path, body) in &endpoints {
        let response = app
            .request(method.clone(), path, Some(&bob), body.clone())
            .await;
        assert_error(response, 401, "UNAUTHORIZED").await;
    }
    // Nothing the refused calls asked for happened: carol is untouched and the log has only the
    // owner's two actions.
    let carol = app
        .expect(
            Method::GET,
            &format!("/api/v1/admin/users/{carol_id}"),
            &owner,
            None,
            200,
        )
        .await;
    assert_eq!(
        (&carol["disabled"], &carol["admin"], &carol["deleted"]),
        (&json!(false), &json!(false), &json!(false))
    );
    let entries = audit_actions(&app, &owner).await;
    assert_eq!(entries.len(), before + 2);
    assert_eq!(
        action_names(&entries[..2]),
        ["user.disable", "user.promote"]
    );
}

async fn admins_search_accounts_by_name_and_page_through_them_in_id_order(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner_with_open_registration().await;
    let (ada, _) = account(&app, "AdaLovelace").await;
    let (_, grace_id) = account(&app, "grace").await;
    account(&app, "linus").await;
    app.patch(
        "/api/v1/users/@me",
        Some(&ada),
        json!({"global_name": "Countess"}),
    )
    .await;
    let names = |users: &Value| -> Vec<String> {
        users
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["username"].as_str().unwrap().to_owned())
            .collect()
    };
    let list = |query: &str| {
        let path = format!("/api/v1/admin/users{query}");
        let owner = owner.clone();
        let app = &app;
        async move { app.expect(Method::GET, &path, &owner, None, 200).await }
    };
    let all = list("").await;
    assert_eq!(names(&all), ["owner", "AdaLovelace", "grace", "linus"]);
    let first = &all[0];
    assert_eq!(
        (&first["owner"], &first["admin"], &first["disabled"]),
        (&json!(true), &json!(true), &json!(false))
    );
    assert!(first["last_active_at"].is_string(), "{first}");
    assert!(first["created_at"].is_string());
    // Username prefix or substring, any case; display names too; `_` and `%` are literal.
    assert_eq!(names(&list("?query=ADA").await), ["AdaLovelace"]);
    assert_eq!(names(&list("?query=love").await), ["AdaLovelace"]);
    assert_eq!(names(&list("?query=countess").await), ["AdaLovelace"]);
    assert_eq!(names(&list("?query=%25").await), Vec::<String>::new());
    assert_eq!(names(&list("?query=").await).len(), 4, "empty means all");
    // Pages follow ids.
    let page = list(&format!(
        "?limit=2&after={}",
        all[1]["id"].as_str().unwrap()
    ))
    .await;
    assert_eq!(names(&page), ["grace", "linus"]);
    assert_eq!(names(&list("?limit=1").await), ["owner"]);
    assert_eq!(names(&list("?limit=100").await).len(), 4);
    let grace = app
        .expect(
            Method::GET,
            &format!("/api/v1/admin/users/{grace_id}"),
            &owner,
            None,
            200,
        )
        .await;
    assert_eq!(grace["username"], "grace");

    for bad in [
        "?limit=0",
        "?limit=101",
        "?limit=ten",
        "?after=abc",
        "?query=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "?sort=name",
    ] {
        let response = app
            .get(&format!("/api/v1/admin/users{bad}"), Some(&owner))
            .await;
        assert_error(response, 400, "VALIDATION_FAILED").await;
    }
    assert_error(
        app.get("/api/v1/admin/users/123", Some(&owner)).await,
        404,
        "UNKNOWN_USER",
    )
    .await;
    assert_error(
        app.get("/api/v1/admin/users/alice", Some(&owner)).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
}

async fn disabling_an_account_ends_its_sessions_and_gateway_connections(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner_with_open_registration().await;
    let (bob, bob_id) = account(&app, "bob").await;
    let second = app.login("bob", PASSWORD).await;
    assert_eq!(second.status(), 200);
    let (mut gateway, _, _) = app.identified(&bob).await;
    let (mut watcher, _, _) = app.identified(&owner).await;
    app.events();

    let disabled = app
        .request(
            Method::POST,
            &format!("/api/v1/admin/users/{bob_id}/disable"),
            Some(&owner),
            None,
        )
        .await;
    assert_eq!(disabled.status(), 200);
    let body: Value = disabled.json().await.unwrap();
    assert_eq!(body["disabled"], true);
    assert!(body["last_active_at"].is_null(), "no session is left");
    let bob_snowflake: hearth_core::Snowflake = bob_id.parse().unwrap();
    assert_eq!(
        app.expect_event("@DISCONNECT_USER").audience,
        Audience::User(bob_snowflake)
    );
    assert_error(
        app.get("/api/v1/users/@me", Some(&bob)).await,
        401,
        "UNAUTHORIZED",
    )
    .await;
    assert_error(app.login("bob", PASSWORD).await, 401, "INVALID_CREDENTIALS").await;
    // The live connection is told its session is invalid, and cannot identify again.
    let frame = gateway.next_json().await;
    assert_eq!(frame["op"], 9, "{frame}");
    assert_eq!(frame["d"], false);
    gateway
        .send(json!({"op": 2, "d": {"token": bob, "properties": {"os": "linux"}}}))
        .await;
    assert_eq!(gateway.expect_close().await, Some(4004));
    // Nobody else was disconnected.
    watcher.heartbeat().await;
    assert_eq!(watcher.next_json().await["op"], 11);

    // Asking again changes nothing and records nothing; enabling lets bob sign in again.
    app.expect(
        Method::POST,
        &format!("/api/v1/admin/users/{bob_id}/disable"),
        &owner,
        None,
        200,
    )
    .await;
    let enabled = app
        .expect(
            Method::POST,
            &format!("/api/v1/admin/users/{bob_id}/enable"),
            &owner,
            None,
            200,
        )
        .await;
    assert_eq!(enabled["disabled"], false);
    assert_error(
        app.get("/api/v1/users/@me", Some(&bob)).await,
        401,
        "UNAUTHORIZED",
    )
    .await;
    assert_eq!(app.login("bob", PASSWORD).await.status(), 200);

    let entries = audit_actions(&app, &owner).await;
    assert_eq!(
        action_names(&entries),
        ["user.enable", "user.disable", "settings.update"]
    );
    let disable = &entries[1];
    assert_eq!(disable["target_id"], bob_id.as_str());
    assert_eq!(
        disable["changes"],
        json!([{"key": "disabled", "old_value": false, "new_value": true}])
    );
    let log = app
        .expect(Method::GET, "/api/v1/admin/audit-log", &owner, None, 200)
        .await;
    let named: Vec<&str> = log["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(named, ["owner", "bob"], "actors and targets come along");
}

async fn nobody_acts_on_the_owner_or_themselves_and_only_the_owner_manages_admins(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let owner = app.owner_with_open_registration().await;
    let owner_id = app
        .expect(Method::GET, "/api/v1/users/@me", &owner, None, 200)
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (admin, admin_id) = account(&app, "admin").await;
    let (_, carol_id) = account(&app, "carol").await;
    let (_, bob_id) = account(&app, "bob").await;
    for id in [&admin_id, &carol_id] {
        app.expect(
            Method::POST,
            &format!("/api/v1/admin/users/{id}/admin"),
            &owner,
            None,
            200,
        )
        .await;
    }
    let before = audit_actions(&app, &owner).await.len();
    let user = |id: &str, rest: &str| format!("/api/v1/admin/users/{id}{rest}");
    let refused = [
        // The owner is out of everyone's reach.
        (
            &admin,
            Method::POST,
            user(&owner_id, "/disable"),
            403,
            "INSTANCE_OWNER_PROTECTED",
        ),
        (
            &admin,
            Method::DELETE,
            user(&owner_id, ""),
            403,
            "INSTANCE_OWNER_PROTECTED",
        ),
        (
            &admin,
            Method::DELETE,
            user(&owner_id, "/admin"),
            403,
            "INSTANCE_OWNER_REQUIRED",
        ),
        // Nobody disables, demotes or deletes themselves.
        (
            &admin,
            Method::POST,
            user(&admin_id, "/disable"),
            400,
            "CANNOT_ACT_ON_SELF",
        ),
        (
            &admin,
            Method::DELETE,
            user(&admin_id, ""),
            400,
            "CANNOT_ACT_ON_SELF",
        ),
        (
            &admin,
            Method::DELETE,
            user(&admin_id, "/admin"),
            400,
            "CANNOT_ACT_ON_SELF",
        ),
        (
            &owner,
            Method::POST,
            user(&owner_id, "/disable"),
            400,
            "CANNOT_ACT_ON_SELF",
        ),
        (
            &owner,
            Method::DELETE,
            user(&owner_id, "/admin"),
            400,
            "CANNOT_ACT_ON_SELF",
        ),
        (
            &owner,
            Method::DELETE,
            user(&owner_id, ""),
            400,
            "CANNOT_ACT_ON_SELF",
        ),
        // Only the owner promotes, demotes, or acts on another admin.
        (
            &admin,
            Method::POST,
            user(&bob_id, "/admin"),
            403,
            "INSTANCE_OWNER_REQUIRED",
        ),
        (
            &admin,
            Method::DELETE,
            user(&carol_id, "/admin"),
            403,
            "INSTANCE_OWNER_REQUIRED",
        ),
        (
            &admin,
            Method::POST,
            user(&carol_id, "/disable"),
            403,
            "INSTANCE_OWNER_REQUIRED",
        ),
        (
            &admin,
            Method::DELETE,
            user(&carol_id, ""),
            403,
            "INSTANCE_OWNER_REQUIRED",
        ),
        // Unknown accounts.
        (
            &owner,
            Method::POST,
            user("42", "/disable"),
            404,
            "UNKNOWN_USER",
        ),
        (
            &owner,
            Method::POST,
            user("42", "/admin"),
            404,
            "UNKNOWN_USER",
        ),
        (&owner, Method::DELETE, user("42", ""), 404, "UNKNOWN_USER"),
        (
            &owner,
            Method::POST,
            user("x", "/enable"),
            400,
            "VALIDATION_FAILED",
        ),
    ];
    for (token, method, path, status, code) in refused {
        let response = app.request(method.clone(), &path, Some(token), None).await;
        let body = assert_error(response, status, code).await;
        assert!(!body["error"]["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(
        audit_actions(&app, &owner).await.len(),
        before,
        "refusals leave no entry"
    );
    for id in [&owner_id, &admin_id, &carol_id] {
        let account = app
            .expect(Method::GET, &user(id, ""), &owner, None, 200)
            .await;
        assert_eq!(
            (&account["admin"], &account["disabled"]),
            (&json!(true), &json!(false))
        );
    }

    // An admin may act on plain accounts; the owner on admins.
    app.expect(Method::POST, &user(&bob_id, "/disable"), &admin, None, 200)
        .await;
    app.expect(Method::POST, &user(&bob_id, "/enable"), &admin, None, 200)
        .await;
    let bob = app
        .login("bob", PASSWORD)
        .await
        .json::<Value>()
        .await
        .unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let promoted = app
        .expect(Method::POST, &user(&bob_id, "/admin"), &owner, None, 200)
        .await;
    assert_eq!(promoted["admin"], true);
    app.expect(Method::GET, "/api/v1/admin/settings", &bob, None, 200)
        .await;
    let demoted = app
        .expect(Method::DELETE, &user(&bob_id, "/admin"), &owner, None, 200)
        .await;
    assert_eq!(demoted["admin"], false);
    assert_error(
        app.get("/api/v1/admin/settings", Some(&bob)).await,
        403,
        "ADMIN_REQUIRED",
    )
    .await;
    let demoted_carol = app
        .expect(
            Method::DELETE,
            &user(&carol_id, "/admin"),
            &owner,
            None,
            200,
        )
        .await;
    assert_eq!(demoted_carol["admin"], false);
    let entries = audit_actions(&app, &owner).await;
    assert_eq!(
        action_names(&entries[..5]),
        [
            "user.demote",
            "user.demote",
            "user.promote",
            "user.enable",
            "user.disable"
        ]
    );
    assert_eq!(entries[4]["user_id"], admin_id.as_str());
    assert_eq!(entries[0]["user_id"], owner_id.as_str());
}

async fn deleting_an_account_anonymises_it_and_keeps_its_messages(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let channel = guild["system_channel_id"].as_str().unwrap();
    let sent = say(&app, &member, channel, "remember me").await;
    let own = app.create_guild(&member, "Member's place").await;
    let own_id = own["id"].as_str().unwrap();
    let before = audit_actions(&app, &owner).await.len();
    let path = format!("/api/v1/admin/users/{member_id}");

    // Owning a guild blocks the deletion, which changes nothing.
    let response = app.request(Method::DELETE, &path, Some(&owner), None).await;
    let body = assert_error(response, 409, "USER_OWNS_GUILDS").await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("delete_owned_guilds")
    );
    app.expect(Method::GET, "/api/v1/users/@me", &member, None, 200)
        .await;
    assert_eq!(audit_actions(&app, &owner).await.len(), before);
    assert_error(
        app.request(
            Method::DELETE,
            &format!("{path}?delete_owned_guilds=yes"),
            Some(&owner),
            None,
        )
        .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    app.events();

    let response = app
        .request(
            Method::DELETE,
            &format!("{path}?delete_owned_guilds=true"),
            Some(&owner),
            None,
        )
        .await;
    assert_eq!(response.status(), 204);
    let events = app.events();
    let names: Vec<_> = events.iter().map(|e| e.name).collect();
    assert_eq!(
        names,
        ["@DISCONNECT_USER", "GUILD_DELETE", "GUILD_MEMBER_REMOVE"]
    );
    assert_eq!(events[1].data["id"], own_id);
    assert_eq!(events[2].data["guild_id"], guild["id"]);
    assert_eq!(
        events[2].data["user"]["username"],
        format!("deleted_user_{member_id}")
    );

    // The account cannot be used.
    assert_error(
        app.get("/api/v1/users/@me", Some(&member)).await,
        401,
        "UNAUTHORIZED",
    )
    .await;
    assert_error(
        app.login("member", PASSWORD).await,
        401,
        "INVALID_CREDENTIALS",
    )
    .await;
    // Its message stays, under the anonymised author.
    let history = app
        .expect(
            Method::GET,
            &format!("/api/v1/channels/{channel}/messages"),
            &owner,
            None,
            200,
        )
        .await;
    let kept = history
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == sent["id"])
        .expect("the message is still there");
    assert_eq!(kept["content"], "remember me");
    assert_eq!(kept["author"]["id"], member_id.as_str());
    assert_eq!(
        kept["author"]["username"],
        format!("deleted_user_{member_id}")
    );
    assert_eq!(kept["author"]["global_name"], "Deleted User");
    // It left the guild; its own guild is gone.
    let members = app
        .expect(
            Method::GET,
            &format!(
                "/api/v1/guilds/{}/members?limit=100",
                guild["id"].as_str().unwrap()
            ),
            &owner,
            None,
            200,
        )
        .await;
    assert!(
        members
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["user"]["id"] != member_id.as_str())
    );
    assert_error(
        app.get(&format!("/api/v1/guilds/{own_id}"), Some(&owner))
            .await,
        404,
        "UNKNOWN_GUILD",
    )
    .await;
    let shown = app.expect(Method::GET, &path, &owner, None, 200).await;
    assert_eq!(
        (
            &shown["deleted"],
            &shown["disabled"],
            &shown["admin"],
            &shown["bio"]
        ),
        (&json!(true), &json!(true), &json!(false), &json!(""))
    );
    // Deleting again finds nothing; the old name is free.
    assert_error(
        app.request(Method::DELETE, &path, Some(&owner), None).await,
        404,
        "UNKNOWN_USER",
    )
    .await;
    assert_error(
        app.request(Method::POST, &format!("{path}/enable"), Some(&owner), None)
            .await,
        404,
        "UNKNOWN_USER",
    )
    .await;
    app.register("member", None).await;

    let entries = audit_actions(&app, &owner).await;
    assert_eq!(entries.len(), before + 1);
    assert_eq!(entries[0]["action"], "user.delete");
    assert_eq!(entries[0]["target_id"], member_id.as_str());
}
