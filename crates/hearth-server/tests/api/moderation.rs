//! Member moderation: timeouts, bans that delete recent messages, kicks and warnings, each under its
//! permission and the role hierarchy, each recorded in the audit log with its reason, and refused
//! actions recording nothing.

use reqwest::Method;
use serde_json::{Value, json};

use std::time::Duration;

use crate::helpers::{Backend, TestApp, assert_error, both_backends, perm, spawn_app};

both_backends!(
    a_timeout_silences_the_member_until_lifted_and_is_audited_with_before_and_after,
    timeouts_are_bounded_to_28_days_and_refused_on_admins_superiors_and_oneself,
    a_ban_can_delete_the_last_seconds_of_messages_and_tells_each_channel,
    ban_message_deletion_outside_zero_to_seven_days_is_refused_and_changes_nothing,
    kicks_bans_and_unbans_are_audited_with_the_header_reason_and_refusals_are_not,
    member_nick_and_role_changes_are_audited_with_discords_add_and_remove_lists,
    warnings_are_recorded_shown_to_the_member_and_removable_by_moderators,
    warnings_need_moderate_members_a_reason_and_a_lower_member,
    the_audit_log_filters_by_actor_and_action_pages_backwards_and_needs_view_audit_log,
    over_the_gateway_a_warning_reaches_the_member_once_and_reports_only_their_managers,
);

fn rfc3339_in(seconds: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::seconds(seconds);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// Sends a message as `token` in the channel and returns it.
async fn say(app: &TestApp, token: &str, channel: &str, content: &str) -> Value {
    app.expect(
        Method::POST,
        &format!("/api/v1/channels/{channel}/messages"),
        token,
        Some(json!({ "content": content })),
        201,
    )
    .await
}

async fn a_timeout_silences_the_member_until_lifted_and_is_audited_with_before_and_after(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let channel = guild["system_channel_id"].as_str().unwrap();
    let path = format!("/api/v1/guilds/{guild_id}/members/{member_id}");
    let until = rfc3339_in(3600);

    let response = app
        .request_with_reason(
            Method::PATCH,
            &path,
            &owner,
            "cool%20down",
            Some(json!({ "communication_disabled_until": until })),
        )
        .await;
    assert_eq!(response.status(), 200);
    let shown: Value = response.json().await.unwrap();
    assert!(shown["communication_disabled_until"].is_string());
    let event = app.expect_event("GUILD_MEMBER_UPDATE");
    assert!(event.data["communication_disabled_until"].is_string());

    // Timed out: reading is allowed, sending is not.
    let refused = app
        .request(
            Method::POST,
            &format!("/api/v1/channels/{channel}/messages"),
            Some(&member),
            Some(json!({ "content": "let me speak" })),
        )
        .await;
    assert_error(refused, 403, "MISSING_PERMISSIONS").await;
    app.expect(
        Method::GET,
        &format!("/api/v1/channels/{channel}/messages"),
        &member,
        None,
        200,
    )
    .await;

    let entries = app.audit_entries(&owner, guild_id, "").await;
    let entry = &entries[0];
    assert_eq!(entry["action_type"], 24);
    assert_eq!(entry["target_id"], member_id.as_str());
    assert_eq!(entry["reason"], "cool down");
    assert_eq!(entry["changes"][0]["key"], "communication_disabled_until");
    assert!(entry["changes"][0].get("old_value").is_none());
    assert!(entry["changes"][0]["new_value"].is_string());

    // Lifting it restores sending and records the old value.
    app.expect(
        Method::PATCH,
        &path,
        &owner,
        Some(json!({ "communication_disabled_until": null })),
        200,
    )
    .await;
    say(&app, &member, channel, "thanks").await;
    let entries = app.audit_entries(&owner, guild_id, "").await;
    assert!(entries[0]["changes"][0]["old_value"].is_string());
    assert!(entries[0]["changes"][0].get("new_value").is_none());
}

async fn timeouts_are_bounded_to_28_days_and_refused_on_admins_superiors_and_oneself(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, _member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let owner_id = guild["owner_id"].as_str().unwrap();
    let path = format!("/api/v1/guilds/{guild_id}/members/{member_id}");
    let patch = |until: Value| json!({ "communication_disabled_until": until });

    // Without MODERATE_MEMBERS.
    let (third, third_user) = app.register("third", None).await;
    let code = app.invite_to(&owner, &guild).await;
    app.join(&third, &code).await;
    let third_id = third_user["id"].as_str().unwrap();
    let r = app
        .patch(&path, Some(&third), patch(json!(rfc3339_in(60))))
        .await;
    assert_error(r, 403, "MISSING_PERMISSIONS").await;

    // Bounds and shape.
    for bad in [
        json!(rfc3339_in(29 * 24 * 3600)),
        json!(rfc3339_in(-60)),
        json!("tomorrow"),
        json!(12345),
    ] {
        let r = app.patch(&path, Some(&owner), patch(bad.clone())).await;
        assert_eq!(r.status(), 400, "{bad} accepted");
    }
    app.expect(
        Method::PATCH,
        &path,
        &owner,
        Some(patch(json!(rfc3339_in(28 * 24 * 3600 - 60)))),
        200,
    )
    .await;

    // A moderator below the member, oneself, the owner and administrators are out of reach.
    app.give_role(&owner, guild_id, third_id, "mods", perm::MODERATE_MEMBERS)
        .await;
    let admins = app
        .create_role(&owner, guild_id, "admins", perm::ADMINISTRATOR)
        .await;
    app.grant_role(&owner, guild_id, &member_id, admins["id"].as_str().unwrap())
        .await;
    let r = app
        .patch(&path, Some(&third), patch(json!(rfc3339_in(60))))
        .await;
    assert_error(r, 403, "ROLE_HIERARCHY").await;
    let own = format!("/api/v1/guilds/{guild_id}/members/{third_id}");
    let r = app
        .patch(&own, Some(&third), patch(json!(rfc3339_in(60))))
        .await;
    assert_eq!(r.status(), 400);
    let owner_path = format!("/api/v1/guilds/{guild_id}/members/{owner_id}");
    let r = app
        .patch(&owner_path, Some(&third), patch(json!(rfc3339_in(60))))
        .await;
    assert_error(r, 403, "ROLE_HIERARCHY").await;
    // The owner outranks the administrator but still cannot time them out.
    let r = app
        .patch(&path, Some(&owner), patch(json!(rfc3339_in(60))))
        .await;
    assert_error(r, 403, "ROLE_HIERARCHY").await;

    // Only the one successful timeout is in the log.
    let entries = app.audit_entries(&owner, guild_id, "?action_type=24").await;
    assert_eq!(entries.len(), 1);
}

async fn a_ban_can_delete_the_last_seconds_of_messages_and_tells_each_channel(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let general = guild["system_channel_id"].as_str().unwrap();
    let other = app
        .expect(
            Method::POST,
            &format!("/api/v1/guilds/{guild_id}/channels"),
            &owner,
            Some(json!({ "name": "other" })),
            201,
        )
        .await;
    let other = other["id"].as_str().unwrap();
    let mut theirs = Vec::new();
    for (channel, text) in [
        (general, "spam one"),
        (other, "spam two"),
        (general, "spam three"),
    ] {
        theirs.push(say(&app, &member, channel, text).await["id"].clone());
    }
    let kept = say(&app, &owner, general, "mine stays").await;
    app.events();

    app.expect(
        Method::PUT,
        &format!("/api/v1/guilds/{guild_id}/bans/{member_id}"),
        &owner,
        Some(json!({ "delete_message_seconds": 3600, "reason": "spam" })),
        204,
    )
    .await;
    let events = app.events();
    let bulk: Vec<_> = events
        .iter()
        .filter(|e| e.name == "MESSAGE_DELETE_BULK")
        .collect();
    assert_eq!(bulk.len(), 2, "one bulk delete per channel");
    let mut deleted: Vec<Value> = bulk
        .iter()
        .flat_map(|e| e.data["ids"].as_array().unwrap().clone())
        .collect();
    deleted.sort_by_key(|v| v.as_str().unwrap().parse::<u64>().unwrap());
    assert_eq!(deleted, theirs);
    assert!(events.iter().any(|e| e.name == "GUILD_BAN_ADD"));

    let history = app
        .expect(
            Method::GET,
            &format!("/api/v1/channels/{general}/messages"),
            &owner,
            None,
            200,
        )
        .await;
    let ids: Vec<&Value> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["id"])
        .collect();
    assert!(ids.contains(&&kept["id"]));
    assert!(!ids.iter().any(|id| theirs.contains(id)));

    let entries = app.audit_entries(&owner, guild_id, "?action_type=22").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["options"]["delete_message_seconds"], "3600");
    assert_eq!(entries[0]["reason"], "spam");
    // Banned: the guild is gone for them.
    assert_error(
        app.get(&format!("/api/v1/guilds/{guild_id}"), Some(&member))
            .await,
        404,
        "UNKNOWN_GUILD",
    )
    .await;
}

async fn ban_message_deletion_outside_zero_to_seven_days_is_refused_and_changes_nothing(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let channel = guild["system_channel_id"].as_str().unwrap();
    say(&app, &member, channel, "still here").await;
    let path = format!("/api/v1/guilds/{guild_id}/bans/{member_id}");
    for bad in [json!(-1), json!(604801), json!("3600"), json!(1.5)] {
        let r = app
            .put(
                &path,
                Some(&owner),
                Some(json!({ "delete_message_seconds": bad })),
            )
            .await;
        assert_eq!(r.status(), 400, "{bad} accepted");
    }
    // Still a member, not banned, message kept, nothing audited.
    app.expect(
        Method::GET,
        &format!("/api/v1/guilds/{guild_id}/members/{member_id}"),
        &owner,
        None,
        200,
    )
    .await;
    assert_error(app.get(&path, Some(&owner)).await, 404, "UNKNOWN_BAN").await;
    let history = app
        .expect(
            Method::GET,
            &format!("/api/v1/channels/{channel}/messages"),
            &owner,
            None,
            200,
        )
        .await;
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert!(
        app.audit_entries(&owner, guild_id, "?action_type=22")
            .await
            .is_empty()
    );
}

async fn kicks_bans_and_unbans_are_audited_with_the_header_reason_and_refusals_are_not(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let owner_id = guild["owner_id"].as_str().unwrap();
    let member_path = format!("/api/v1/guilds/{guild_id}/members/{member_id}");
    let ban_path = format!("/api/v1/guilds/{guild_id}/bans/{member_id}");

    // Refused: no permission, so no entry.
    let r = app
        .delete(
            &format!("/api/v1/guilds/{guild_id}/members/{owner_id}"),
            Some(&member),
        )
        .await;
    assert_error(r, 403, "MISSING_PERMISSIONS").await;
    assert!(
        app.audit_entries(&owner, guild_id, "?action_type=20")
            .await
            .is_empty()
    );

    let r = app
        .request_with_reason(Method::DELETE, &member_path, &owner, "r%C3%A9son%201", None)
        .await;
    assert_eq!(r.status(), 204);
    let code = app.invite_to(&owner, &guild).await;
    app.join(&member, &code).await;
    let r = app
        .request_with_reason(Method::PUT, &ban_path, &owner, "second", None)
        .await;
    assert_eq!(r.status(), 204);
    let r = app
        .request_with_reason(Method::DELETE, &ban_path, &owner, "third", None)
        .await;
    assert_eq!(r.status(), 204);
    // Unbanning again: nothing to lift, nothing recorded.
    assert_error(
        app.delete(&ban_path, Some(&owner)).await,
        404,
        "UNKNOWN_BAN",
    )
    .await;

    let entries = app.audit_entries(&owner, guild_id, "").await;
    let summary: Vec<(i64, &str, &str, &str)> = entries
        .iter()
        .filter(|e| [20, 22, 23].contains(&e["action_type"].as_i64().unwrap()))
        .map(|e| {
            (
                e["action_type"].as_i64().unwrap(),
                e["user_id"].as_str().unwrap(),
                e["target_id"].as_str().unwrap(),
                e["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (23, owner_id, member_id.as_str(), "third"),
            (22, owner_id, member_id.as_str(), "second"),
            (20, owner_id, member_id.as_str(), "réson 1"),
        ]
    );
    let log = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{guild_id}/audit-logs"),
            &owner,
            None,
            200,
        )
        .await;
    let users: Vec<&str> = log["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert!(users.contains(&owner_id) && users.contains(&member_id.as_str()));
}

async fn member_nick_and_role_changes_are_audited_with_discords_add_and_remove_lists(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, _member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let red = app.create_role(&owner, guild_id, "red", 0).await;
    let blue = app.create_role(&owner, guild_id, "blue", 0).await;
    let (red_id, blue_id) = (red["id"].as_str().unwrap(), blue["id"].as_str().unwrap());
    let path = format!("/api/v1/guilds/{guild_id}/members/{member_id}");

    app.grant_role(&owner, guild_id, &member_id, red_id).await;
    app.expect(
        Method::PATCH,
        &path,
        &owner,
        Some(json!({ "nick": "Newt", "roles": [blue_id] })),
        200,
    )
    .await;
    // Unchanged values record nothing.
    app.expect(
        Method::PATCH,
        &path,
        &owner,
        Some(json!({ "nick": "Newt", "roles": [blue_id] })),
        200,
    )
    .await;

    let entries = app.audit_entries(&owner, guild_id, "").await;
    let roles: Vec<&Value> = entries.iter().filter(|e| e["action_type"] == 25).collect();
    assert_eq!(roles.len(), 2);
    let patch = roles[0];
    let change = |key: &str| {
        patch["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["key"] == key)
            .cloned()
    };
    assert_eq!(
        change("$add").unwrap()["new_value"],
        json!([{ "id": blue_id, "name": "blue" }])
    );
    assert_eq!(
        change("$remove").unwrap()["new_value"],
        json!([{ "id": red_id, "name": "red" }])
    );
    assert_eq!(
        roles[1]["changes"][0]["new_value"],
        json!([{ "id": red_id, "name": "red" }])
    );
    let nicks: Vec<&Value> = entries.iter().filter(|e| e["action_type"] == 24).collect();
    assert_eq!(nicks.len(), 1);
    assert_eq!(nicks[0]["changes"][0]["key"], "nick");
    assert_eq!(nicks[0]["changes"][0]["new_value"], "Newt");
}

async fn warnings_are_recorded_shown_to_the_member_and_removable_by_moderators(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let path = format!("/api/v1/guilds/{guild_id}/members/{member_id}/warnings");

    let first = app
        .expect(
            Method::POST,
            &path,
            &owner,
            Some(json!({ "reason": "be kind" })),
            201,
        )
        .await;
    let events = app.events();
    let warned: Vec<_> = events
        .iter()
        .filter(|e| e.name == "GUILD_MEMBER_WARNING_CREATE")
        .collect();
    assert_eq!(warned.len(), 2, "moderators and the member");
    assert!(warned.iter().all(|e| e.data["warning_count"] == 1));
    app.expect(
        Method::POST,
        &path,
        &owner,
        Some(json!({ "reason": "second time" })),
        201,
    )
    .await;

    // The member sees their own warnings, newest first.
    let mine = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{guild_id}/members/@me/warnings"),
            &member,
            None,
            200,
        )
        .await;
    let reasons: Vec<&str> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["second time", "be kind"]);

    // Warnings outlive membership.
    app.expect(
        Method::DELETE,
        &format!("/api/v1/guilds/{guild_id}/members/{member_id}"),
        &owner,
        None,
        204,
    )
    .await;
    let listed = app.expect(Method::GET, &path, &owner, None, 200).await;
    assert_eq!(listed.as_array().unwrap().len(), 2);

    let first_id = first["id"].as_str().unwrap();
    app.expect(
        Method::DELETE,
        &format!("{path}/{first_id}"),
        &owner,
        None,
        204,
    )
    .await;
    assert_error(
        app.delete(&format!("{path}/{first_id}"), Some(&owner))
            .await,
        404,
        "UNKNOWN_WARNING",
    )
    .await;
    let listed = app.expect(Method::GET, &path, &owner, None, 200).await;
    assert_eq!(listed[0]["reason"], "second time");
    assert_eq!(listed.as_array().unwrap().len(), 1);

    let entries = app.audit_entries(&owner, guild_id, "").await;
    let kinds: Vec<i64> = entries
        .iter()
        .map(|e| e["action_type"].as_i64().unwrap())
        .filter(|a| *a >= 1000)
        .collect();
    assert_eq!(kinds, [1001, 1000, 1000]);
}

async fn warnings_need_moderate_members_a_reason_and_a_lower_member(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let owner_id = guild["owner_id"].as_str().unwrap();
    let path = format!("/api/v1/guilds/{guild_id}/members/{member_id}/warnings");

    let r = app
        .post(
            &format!("/api/v1/guilds/{guild_id}/members/{owner_id}/warnings"),
            Some(&member),
            json!({ "reason": "x" }),
        )
        .await;
    assert_error(r, 403, "MISSING_PERMISSIONS").await;
    // Another member's list is for moderators only.
    let r = app
        .get(
            &format!("/api/v1/guilds/{guild_id}/members/{owner_id}/warnings"),
            Some(&member),
        )
        .await;
    assert_error(r, 403, "MISSING_PERMISSIONS").await;

    for bad in [
        json!({ "reason": "" }),
        json!({ "reason": "   " }),
        json!({ "reason": "x".repeat(513) }),
        json!({ "reason": "bell\u{7}" }),
        json!({ "reason": 5 }),
        json!({}),
        json!({ "reason": "ok", "severity": 3 }),
    ] {
        let r = app.post(&path, Some(&owner), bad.clone()).await;
        assert_eq!(r.status(), 400, "{bad} accepted");
    }
    app.post(&path, Some(&owner), json!({ "reason": "x".repeat(512) }))
        .await
        .error_for_status()
        .unwrap();

    // A moderator cannot warn their superior or themselves, nor a stranger.
    app.give_role(&owner, guild_id, &member_id, "mods", perm::MODERATE_MEMBERS)
        .await;
    let r = app
        .post(
            &format!("/api/v1/guilds/{guild_id}/members/{owner_id}/warnings"),
            Some(&member),
            json!({ "reason": "x" }),
        )
        .await;
    assert_error(r, 403, "ROLE_HIERARCHY").await;
    let r = app
        .post(&path, Some(&member), json!({ "reason": "x" }))
        .await;
    assert_eq!(r.status(), 400);
    let (_, stranger) = app.register("stranger", None).await;
    let stranger_id = stranger["id"].as_str().unwrap();
    let r = app
        .post(
            &format!("/api/v1/guilds/{guild_id}/members/{stranger_id}/warnings"),
            Some(&owner),
            json!({ "reason": "x" }),
        )
        .await;
    assert_error(r, 404, "UNKNOWN_MEMBER").await;
    let entries = app
        .audit_entries(&owner, guild_id, "?action_type=1000")
        .await;
    assert_eq!(entries.len(), 1);
}

async fn the_audit_log_filters_by_actor_and_action_pages_backwards_and_needs_view_audit_log(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let owner_id = guild["owner_id"].as_str().unwrap();
    let path = format!("/api/v1/guilds/{guild_id}/members/{member_id}/warnings");
    for n in 0..5 {
        app.expect(
            Method::POST,
            &path,
            &owner,
            Some(json!({ "reason": format!("warning {n}") })),
            201,
        )
        .await;
    }
    let log = format!("/api/v1/guilds/{guild_id}/audit-logs");
    assert_error(
        app.get(&log, Some(&member)).await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    app.give_role(
        &owner,
        guild_id,
        &member_id,
        "auditors",
        perm::VIEW_AUDIT_LOG,
    )
    .await;

    let page = app
        .audit_entries(&member, guild_id, "?action_type=1000&limit=2")
        .await;
    let reasons: Vec<&str> = page.iter().map(|e| e["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons, ["warning 4", "warning 3"]);
    let before = page[1]["id"].as_str().unwrap();
    let page = app
        .audit_entries(
            &member,
            guild_id,
            &format!("?action_type=1000&limit=2&before={before}"),
        )
        .await;
    let reasons: Vec<&str> = page.iter().map(|e| e["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons, ["warning 2", "warning 1"]);

    let by_owner = app
        .audit_entries(&member, guild_id, &format!("?user_id={owner_id}"))
        .await;
    assert!(by_owner.iter().all(|e| e["user_id"] == owner_id));
    let count = |code: i64| by_owner.iter().filter(|e| e["action_type"] == code).count();
    assert_eq!(
        (count(1000), count(25)),
        (5, 1),
        "five warnings and a role grant"
    );
    let by_member = app
        .audit_entries(&member, guild_id, &format!("?user_id={member_id}"))
        .await;
    assert!(by_member.is_empty());

    for bad in [
        "?limit=0",
        "?limit=101",
        "?action_type=9999",
        "?action_type=x",
        "?user_id=abc",
        "?before=-1",
        "?colour=red",
    ] {
        let r = app.get(&format!("{log}{bad}"), Some(&member)).await;
        assert_eq!(r.status(), 400, "{bad} accepted");
    }
}

async fn over_the_gateway_a_warning_reaches_the_member_once_and_reports_only_their_managers(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    // The member moderates too (below the owner): they must still get their own warning once.
    app.give_role(
        &owner,
        guild_id,
        &member_id,
        "helpers",
        perm::MODERATE_MEMBERS,
    )
    .await;
    let (mut owner_ws, _, _) = app.identified(&owner).await;
    let (mut member_ws, _, _) = app.identified(&member).await;
    owner_ws.wait_for("PRESENCE_UPDATE").await;
    owner_ws.wait_for("PRESENCE_UPDATE").await;
    member_ws.wait_for("PRESENCE_UPDATE").await;

    app.expect(
        Method::POST,
        &format!("/api/v1/guilds/{guild_id}/members/{member_id}/warnings"),
        &owner,
        Some(json!({ "reason": "mind the language" })),
        201,
    )
    .await;
    let seen = member_ws.wait_for("GUILD_MEMBER_WARNING_CREATE").await;
    assert_eq!(seen["warning"]["reason"], "mind the language");
    assert_eq!(seen["warning_count"], 1);
    assert_eq!(
        owner_ws.wait_for("GUILD_MEMBER_WARNING_CREATE").await["user"]["id"],
        member_id.as_str()
    );
    member_ws.expect_silence(Duration::from_millis(300)).await;

    // A report goes to MANAGE_REPORTS holders (the owner), not to the moderating member.
    let owner_id = guild["owner_id"].as_str().unwrap();
    app.expect(
        Method::POST,
        &format!("/api/v1/guilds/{guild_id}/reports"),
        &member,
        Some(json!({ "user_id": owner_id, "category": "other", "reason": "testing" })),
        201,
    )
    .await;
    assert_eq!(
        owner_ws.wait_for("REPORT_CREATE").await["reason"],
        "testing"
    );
    member_ws.expect_silence(Duration::from_millis(300)).await;
}
