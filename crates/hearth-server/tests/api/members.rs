//! Guild members and bans: listing, nicknames, role assignment, kicks and bans, each under the
//! permission it needs and the role hierarchy, and each announced to the right audience.

use hearth_core::{Permissions, Snowflake};
use hearth_server::bus::Audience;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, assert_error, both_backends, perm, spawn_app};

both_backends!(
    the_member_list_pages_in_user_id_order_one_member_at_a_time_by_default,
    a_member_shows_nick_roles_and_join_date_and_strangers_see_no_guild,
    members_set_and_clear_their_own_nickname_while_they_hold_change_nickname,
    changing_another_members_nickname_needs_manage_nicknames_and_a_higher_role,
    giving_and_taking_roles_needs_manage_roles_and_a_role_above_both_role_and_member,
    patching_a_members_roles_replaces_the_whole_set,
    kicking_needs_kick_members_and_a_higher_role_and_the_kicked_may_rejoin,
    a_ban_removes_the_member_keeps_the_reason_and_tells_only_ban_managers,
    bans_are_refused_without_ban_members_on_superiors_oneself_and_unknown_users,
);

fn id(raw: &Value) -> Snowflake {
    raw.as_str().expect("id string").parse().expect("snowflake")
}

/// Registers `name` and joins them to the guild through a fresh invite; returns (token, user id).
async fn another_member(app: &TestApp, owner: &str, guild: &Value, name: &str) -> (String, String) {
    let (token, user) = app.register(name, None).await;
    let code = app.invite_to(owner, guild).await;
    app.join(&token, &code).await;
    app.events();
    (token, user["id"].as_str().unwrap().to_owned())
}

fn ids_of(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|m| m["user"]["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn the_member_list_pages_in_user_id_order_one_member_at_a_time_by_default(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let mut all = vec![guild["owner_id"].as_str().unwrap().to_owned(), member_id];
    for name in ["third", "fourth"] {
        all.push(another_member(&app, &owner, &guild, name).await.1);
    }
    all.sort_by_key(|id| id.parse::<u64>().unwrap());
    let path = format!("/api/v1/guilds/{guild_id}/members");

    let first = app.expect(Method::GET, &path, &member, None, 200).await;
    assert_eq!(ids_of(&first), all[..1]);
    assert_eq!(first[0]["roles"], json!([]));
    assert!(first[0]["joined_at"].is_string());
    let page = app
        .expect(Method::GET, &format!("{path}?limit=2"), &member, None, 200)
        .await;
    assert_eq!(ids_of(&page), all[..2]);
    let after = &all[1];
    let page = app
        .expect(
            Method::GET,
            &format!("{path}?after={after}&limit=2"),
            &member,
            None,
            200,
        )
        .await;
    assert_eq!(ids_of(&page), all[2..]);
    let last = &all[3];
    let page = app
        .expect(
            Method::GET,
            &format!("{path}?after={last}&limit=1000"),
            &member,
            None,
            200,
        )
        .await;
    assert_eq!(page, json!([]));
    let page = app
        .expect(
            Method::GET,
            &format!("{path}?limit=1000"),
            &member,
            None,
            200,
        )
        .await;
    assert_eq!(ids_of(&page), all);

    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=-1", "limit"),
        ("limit=abc", "query"),
        ("after=abc", "after"),
        ("sort=desc", "query"),
    ] {
        let response = app.get(&format!("{path}?{query}"), Some(&member)).await;
        let body = assert_error(response, 400, "VALIDATION_FAILED").await;
        assert!(
            body["error"]["fields"][field].is_string(),
            "{query}: {body}"
        );
    }
}

async fn a_member_shows_nick_roles_and_join_date_and_strangers_see_no_guild(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let role = app
        .give_role(&owner, guild_id, &member_id, "Regular", 0)
        .await;
    app.expect(
        Method::PATCH,
        &format!("/api/v1/guilds/{guild_id}/members/@me"),
        &member,
        Some(json!({"nick": "Ember"})),
        200,
    )
    .await;

    let path = format!("/api/v1/guilds/{guild_id}/members/{member_id}");
    let shown = app.expect(Method::GET, &path, &owner, None, 200).await;
    assert_eq!(shown["user"]["id"], member_id.as_str());
    assert_eq!(shown["user"]["username"], "member");
    assert_eq!(shown["nick"], "Ember");
    assert_eq!(shown["roles"], json!([role["id"]]));
    assert_eq!(shown["pending"], false);
    assert!(shown["communication_disabled_until"].is_null());
    let joined_at = shown["joined_at"].as_str().unwrap();
    assert!(
        joined_at.len() >= 20 && joined_at.contains('T'),
        "{joined_at}"
    );
    let owner_id = guild["owner_id"].as_str().unwrap();
    let owner_seen = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{guild_id}/members/{owner_id}"),
            &member,
            None,
            200,
        )
        .await;
    assert_eq!(owner_seen["roles"], json!([]), "@everyone is never listed");

    let (stranger, stranger_user) = app.register("stranger", None).await;
    let stranger_id = stranger_user["id"].as_str().unwrap();
    for unknown in [stranger_id, "123456789"] {
        let response = app
            .get(
                &format!("/api/v1/guilds/{guild_id}/members/{unknown}"),
                Some(&owner),
            )
            .await;
        assert_error(response, 404, "UNKNOWN_MEMBER").await;
    }
    let response = app
        .get(
            &format!("/api/v1/guilds/{guild_id}/members/abc"),
            Some(&owner),
        )
        .await;
    assert_error(response, 400, "VALIDATION_FAILED").await;
    for path in [
        path.clone(),
        format!("/api/v1/guilds/{guild_id}/members"),
        "/api/v1/guilds/123456789/members".to_owned(),
    ] {
        let response = app.get(&path, Some(&stranger)).await;
        assert_error(response, 404, "UNKNOWN_GUILD").await;
    }
    let response = app.get(&path, None).await;
    assert_error(response, 401, "UNAUTHORIZED").await;
}

async fn members_set_and_clear_their_own_nickname_while_they_hold_change_nickname(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let me = format!("/api/v1/guilds/{guild_id}/members/@me");

    let set = app
        .expect(
            Method::PATCH,
            &me,
            &member,
            Some(json!({"nick": "  Ember  "})),
            200,
        )
        .await;
    assert_eq!(set["nick"], "Ember");
    assert_eq!(set["user"]["id"], member_id.as_str());
    let event = app.expect_event("GUILD_MEMBER_UPDATE");
    assert_eq!(event.audience, Audience::Guild(id(&guild["id"])));
    assert_eq!(event.data["guild_id"], guild_id);
    assert_eq!(event.data["user"]["id"], member_id.as_str());
    assert_eq!(event.data["nick"], "Ember");

    for clear in [
        json!({"nick": ""}),
        json!({"nick": null}),
        json!({"nick": "   "}),
    ] {
        app.expect(
            Method::PATCH,
            &me,
            &member,
            Some(json!({"nick": "Ember"})),
            200,
        )
        .await;
        app.events();
        let cleared = app
            .expect(Method::PATCH, &me, &member, Some(clear.clone()), 200)
            .await;
        assert!(cleared["nick"].is_null(), "{clear} → {cleared}");
        assert!(app.expect_event("GUILD_MEMBER_UPDATE").data["nick"].is_null());
    }

    let longest = "n".repeat(32);
    let set = app
        .expect(
            Method::PATCH,
            &me,
            &member,
            Some(json!({"nick": longest})),
            200,
        )
        .await;
    assert_eq!(set["nick"], longest);
    app.events();
    for bad in [json!({"nick": "n".repeat(33)}), json!({"nick": 5})] {
        let response = app.patch(&me, Some(&member), bad).await;
        let body = assert_error(response, 400, "VALIDATION_FAILED").await;
        assert!(body["error"]["fields"]["nick"].is_string(), "{body}");
    }
    let response = app.patch(&me, Some(&member), json!({"roles": []})).await;
    assert_error(response, 400, "VALIDATION_FAILED").await;
    assert!(app.events().is_empty(), "refused changes publish nothing");

    // Without CHANGE_NICKNAME on @everyone the member can change it neither way.
    let everyone: u64 = guild["roles"][0]["permissions"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(everyone & perm::CHANGE_NICKNAME, 0);
    app.expect(
        Method::PATCH,
        &format!("/api/v1/guilds/{guild_id}/roles/{guild_id}"),
        &owner,
        Some(json!({"permissions": (everyone & !perm::CHANGE_NICKNAME).to_string()})),
        200,
    )
    .await;
    app.events();
    let response = app.patch(&me, Some(&member), json!({"nick": "Ash"})).await;
    assert_error(response, 403, "MISSING_PERMISSIONS").await;
    let response = app
        .patch(
            &format!("/api/v1/guilds/{guild_id}/members/{member_id}"),
            Some(&member),
            json!({"nick": "Ash"}),
        )
        .await;
    assert_error(response, 403, "MISSING_PERMISSIONS").await;
    assert!(app.events().is_empty());
}

async fn changing_another_members_nickname_needs_manage_nicknames_and_a_higher_role(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let (_, third_id) = another_member(&app, &owner, &guild, "third").await;
    // Created first, so it ends up above the others.
    let moderator = app
        .create_role(&owner, guild_id, "Moderator", perm::MANAGE_NICKNAMES)
        .await;
    let greeter = app.create_role(&owner, guild_id, "Greeter", 0).await;
    let moderator = moderator["id"].as_str().unwrap();
    let greeter = greeter["id"].as_str().unwrap();
    let third_path = format!("/api/v1/guilds/{guild_id}/members/{third_id}");
    let owner_id = guild["owner_id"].as_str().unwrap();

    // Ranked above the third member, but without MANAGE_NICKNAMES.
    app.grant_role(&owner, guild_id, &member_id, greeter).await;
    app.events();
    let response = app
        .patch(&third_path, Some(&member), json!({"nick": "Newbie"}))
        .await;
    assert_error(response, 403, "MISSING_PERMISSIONS").await;

    app.grant_role(&owner, guild_id, &member_id, moderator)
        .await;
    app.events();
    let renamed = app
        .expect(
            Method::PATCH,
            &third_path,
            &member,
            Some(json!({"nick": "Newbie"})),
            200,
        )
        .await;
    assert_eq!(renamed["nick"], "Newbie");
    let event = app.expect_event("GUILD_MEMBER_UPDATE");
    assert_eq!(event.audience, Audience::Guild(id(&guild["id"])));
    assert_eq!(event.data["user"]["id"], third_id.as_str());
    assert_eq!(event.data["nick"], "Newbie");

    // Nobody renames the owner, nor someone of the same rank.
    let response = app
        .patch(
            &format!("/api/v1/guilds/{guild_id}/members/{owner_id}"),
            Some(&member),
            json!({"nick": "Boss"}),
        )
        .await;
    assert_error(response, 403, "ROLE_HIERARCHY").await;
    app.grant_role(&owner, guild_id, &third_id, moderator).await;
    app.events();
    let response = app
        .patch(&third_path, Some(&member), json!({"nick": null}))
        .await;
    assert_error(response, 403, "ROLE_HIERARCHY").await;
    assert!(app.events().is_empty());

    // The owner outranks everyone.
    let cleared = app
        .expect(
            Method::PATCH,
            &third_path,
            &owner,
            Some(json!({"nick": null})),
            200,
        )
        .await;
    assert!(cleared["nick"].is_null());
    assert!(app.expect_event("GUILD_MEMBER_UPDATE").data["nick"].is_null());
    let response = app
        .patch(
            &format!("/api/v1/guilds/{guild_id}/members/123456789"),
            Some(&owner),
            json!({"nick": "Ghost"}),
        )
        .await;
    assert_error(response, 404, "UNKNOWN_MEMBER").await;
}

async fn giving_and_taking_roles_needs_manage_roles_and_a_role_above_both_role_and_member(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let (_, third_id) = another_member(&app, &owner, &guild, "third").await;
    // Each new role goes just above @everyone: Top > Manager > Low.
    let top = app.create_role(&owner, guild_id, "Top", 0).await;
    let manager = app
        .create_role(&owner, guild_id, "Manager", perm::MANAGE_ROLES)
        .await;
    let low = app.create_role(&owner, guild_id, "Low", 0).await;
    let (top, manager, low) = (
        top["id"].as_str().unwrap(),
        manager["id"].as_str().unwrap(),
        low["id"].as_str().unwrap(),
    );
    app.events();
    let role_path =
        |user: &str, role: &str| format!("/api/v1/guilds/{guild_id}/members/{user}/roles/{role}");

    let response = app
        .put(&role_path(&third_id, low), Some(&member), None)
        .await;
    assert_error(response, 403, "MISSING_PERMISSIONS").await;

    app.grant_role(&owner, guild_id, &member_id, manager).await;
    let event = app.expect_event("GUILD_MEMBER_UPDATE");
    assert_eq!(event.data["roles"], json!([manager]));

    app.expect(Method::PUT, &role_path(&third_id, low), &member, None, 204)
        .await;
    let event = app.expect_event("GUILD_MEMBER_UPDATE");
    assert_eq!(event.audience, Audience::Guild(id(&guild["id"])));
    assert_eq!(event.data["user"]["id"], third_id.as_str());
    assert_eq!(event.data["roles"], json!([low]));
    // Giving a role the member already has changes nothing and announces nothing.
    app.expect(Method::PUT, &role_path(&third_id, low), &member, None, 204)
        .await;
    assert!(app.events().is_empty());

    let owner_id = guild["owner_id"].as_str().unwrap();
    for (user, role) in [
        (third_id.as_str(), top),
        (third_id.as_str(), manager),
        (member_id.as_str(), top),
        (owner_id, low),
    ] {
        let response = app.put(&role_path(user, role), Some(&member), None).await;
        assert_error(response, 403, "ROLE_HIERARCHY").await;
    }
    let response = app
        .put(&role_path(&third_id, guild_id), Some(&member), None)
        .await;
    let body = assert_error(response, 400, "VALIDATION_FAILED").await;
    assert!(body["error"]["fields"]["role_id"].is_string(), "{body}");
    let response = app
        .put(&role_path(&third_id, "123456789"), Some(&member), None)
        .await;
    assert_error(response, 404, "UNKNOWN_ROLE").await;
    let response = app
        .put(&role_path("123456789", low), Some(&member), None)
        .await;
    assert_error(response, 404, "UNKNOWN_MEMBER").await;
    assert!(app.events().is_empty());

    // Oneself needs no outranking, only the role does.
    app.expect(Method::PUT, &role_path(&member_id, low), &member, None, 204)
        .await;
    app.expect(
        Method::DELETE,
        &role_path(&member_id, low),
        &member,
        None,
        204,
    )
    .await;
    let events = app.events();
    let names: Vec<_> = events.iter().map(|e| e.name).collect();
    assert_eq!(names, ["GUILD_MEMBER_UPDATE", "GUILD_MEMBER_UPDATE"]);
    assert_eq!(events[0].data["roles"].as_array().unwrap().len(), 2);
    assert_eq!(events[1].data["roles"], json!([manager]));

    // Taking follows the same rules: a peer's role stays.
    app.grant_role(&owner, guild_id, &third_id, manager).await;
    app.events();
    let response = app.delete(&role_path(&third_id, low), Some(&member)).await;
    assert_error(response, 403, "ROLE_HIERARCHY").await;
    app.expect(
        Method::DELETE,
        &role_path(&third_id, low),
        &owner,
        None,
        204,
    )
    .await;
    assert_eq!(
        app.expect_event("GUILD_MEMBER_UPDATE").data["roles"],
        json!([manager])
    );
    app.expect(
        Method::DELETE,
        &role_path(&third_id, low),
        &owner,
        None,
        204,
    )
    .await;
    assert!(
        app.events().is_empty(),
        "taking a role not held announces nothing"
    );
}

async fn patching_a_members_roles_replaces_the_whole_set(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let (_, third_id) = another_member(&app, &owner, &guild, "third").await;
    let top = app.create_role(&owner, guild_id, "Top", 0).await;
    let manager = app
        .create_role(&owner, guild_id, "Manager", perm::MANAGE_ROLES)
        .await;
    let low = app.create_role(&owner, guild_id, "Low", 0).await;
    let (top, manager, low) = (
        top["id"].as_str().unwrap(),
        manager["id"].as_str().unwrap(),
        low["id"].as_str().unwrap(),
    );
    app.events();
    let member_path = format!("/api/v1/guilds/{guild_id}/members/{member_id}");
    let sorted = |roles: &Value| {
        let mut ids: Vec<String> = roles
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };

    let both = app
        .expect(
            Method::PATCH,
            &member_path,
            &owner,
            Some(json!({"roles": [top, low, top]})),
            200,
        )
        .await;
    let mut expected = vec![top.to_owned(), low.to_owned()];
    expected.sort();
    assert_eq!(sorted(&both["roles"]), expected);
    assert_eq!(
        sorted(&app.expect_event("GUILD_MEMBER_UPDATE").data["roles"]),
        expected
    );

    let one = app
        .expect(
            Method::PATCH,
            &member_path,
            &owner,
            Some(json!({"roles": [manager]})),
            200,
        )
        .await;
    assert_eq!(one["roles"], json!([manager]));
    assert_eq!(
        app.expect_event("GUILD_MEMBER_UPDATE").data["roles"],
        json!([manager])
    );

    for (roles, code) in [
        (json!([guild_id]), "VALIDATION_FAILED"),
        (json!(["abc"]), "VALIDATION_FAILED"),
        (json!(["123456789"]), "UNKNOWN_ROLE"),
    ] {
        let response = app
            .patch(&member_path, Some(&owner), json!({"roles": roles}))
            .await;
        let status = if code == "UNKNOWN_ROLE" { 404 } else { 400 };
        assert_error(response, status, code).await;
    }

    // A manager replaces a lower member's roles only among roles below their own.
    let third_path = format!("/api/v1/guilds/{guild_id}/members/{third_id}");
    let response = app
        .patch(&third_path, Some(&member), json!({"roles": [top]}))
        .await;
    assert_error(response, 403, "ROLE_HIERARCHY").await;
    assert!(app.events().is_empty());
    let third = app
        .expect(
            Method::PATCH,
            &third_path,
            &member,
            Some(json!({"roles": [low]})),
            200,
        )
        .await;
    assert_eq!(third["roles"], json!([low]));
    app.events();
    let none = app
        .expect(
            Method::PATCH,
            &third_path,
            &member,
            Some(json!({"roles": []})),
            200,
        )
        .await;
    assert_eq!(none["roles"], json!([]));
    assert_eq!(
        app.expect_event("GUILD_MEMBER_UPDATE").data["roles"],
        json!([])
    );
}

async fn kicking_needs_kick_members_and_a_higher_role_and_the_kicked_may_rejoin(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let owner_id = guild["owner_id"].as_str().unwrap();
    let (third, third_id) = another_member(&app, &owner, &guild, "third").await;
    let kick_path = |user: &str| format!("/api/v1/guilds/{guild_id}/members/{user}");

    let response = app.delete(&kick_path(&third_id), Some(&member)).await;
    assert_error(response, 403, "MISSING_PERMISSIONS").await;
    let bouncer = app
        .create_role(&owner, guild_id, "Bouncer", perm::KICK_MEMBERS)
        .await;
    let bouncer = bouncer["id"].as_str().unwrap();
    app.grant_role(&owner, guild_id, &member_id, bouncer).await;
    app.events();

    let response = app.delete(&kick_path(owner_id), Some(&member)).await;
    assert_error(response, 403, "ROLE_HIERARCHY").await;
    for (token, user) in [(&member, member_id.as_str()), (&owner, owner_id)] {
        let response = app.delete(&kick_path(user), Some(token)).await;
        assert_error(response, 400, "VALIDATION_FAILED").await;
    }
    let response = app.delete(&kick_path("123456789"), Some(&member)).await;
    assert_error(response, 404, "UNKNOWN_MEMBER").await;
    assert!(app.events().is_empty());

    app.expect(Method::DELETE, &kick_path(&third_id), &member, None, 204)
        .await;
    let events = app.events();
    let names: Vec<_> = events.iter().map(|e| e.name).collect();
    assert_eq!(names, ["GUILD_MEMBER_REMOVE", "GUILD_DELETE"]);
    assert_eq!(events[0].audience, Audience::Guild(id(&guild["id"])));
    assert_eq!(events[0].data["guild_id"], guild_id);
    assert_eq!(events[0].data["user"]["id"], third_id.as_str());
    assert_eq!(
        events[1].audience,
        Audience::User(third_id.parse().unwrap())
    );
    assert_eq!(
        events[1].data,
        json!({"id": guild_id, "unavailable": false})
    );

    let response = app
        .get(&format!("/api/v1/guilds/{guild_id}"), Some(&third))
        .await;
    assert_error(response, 404, "UNKNOWN_GUILD").await;
    let response = app.get(&kick_path(&third_id), Some(&owner)).await;
    assert_error(response, 404, "UNKNOWN_MEMBER").await;
    let response = app.delete(&kick_path(&third_id), Some(&member)).await;
    assert_error(response, 404, "UNKNOWN_MEMBER").await;

    // A kick is not a ban: an invite brings them back, as a fresh member.
    let code = app.invite_to(&owner, &guild).await;
    app.events();
    app.join(&third, &code).await;
    assert_eq!(
        app.expect_event("GUILD_MEMBER_ADD").data["user"]["id"],
        third_id.as_str()
    );

    // A peer cannot be kicked; the owner kicks anyone.
    app.grant_role(&owner, guild_id, &third_id, bouncer).await;
    app.events();
    let response = app.delete(&kick_path(&third_id), Some(&member)).await;
    assert_error(response, 403, "ROLE_HIERARCHY").await;
    app.expect(Method::DELETE, &kick_path(&member_id), &owner, None, 204)
        .await;
    assert_eq!(
        app.expect_event("GUILD_MEMBER_REMOVE").data["user"]["id"],
        member_id.as_str()
    );
}

async fn a_ban_removes_the_member_keeps_the_reason_and_tells_only_ban_managers(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let (_, stranger) = app.register("stranger", None).await;
    let stranger_id = stranger["id"].as_str().unwrap();
    let ban_path = |user: &str| format!("/api/v1/guilds/{guild_id}/bans/{user}");
    let ban_audience = Audience::GuildWith {
        guild_id: id(&guild["id"]),
        permission: Permissions::BAN_MEMBERS,
    };

    // The reason from the header, percent-encoded UTF-8 as Discord's clients send it.
    let response = app
        .client
        .put(app.url(&ban_path(&member_id)))
        .bearer_auth(&owner)
        .header("X-Audit-Log-Reason", "spam%20%F0%9F%90%9F")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let events = app.events();
    let names: Vec<_> = events.iter().map(|e| e.name).collect();
    assert_eq!(
        names,
        ["GUILD_MEMBER_REMOVE", "GUILD_DELETE", "GUILD_BAN_ADD"]
    );
    assert_eq!(
        events[1].audience,
        Audience::User(member_id.parse().unwrap())
    );
    assert_eq!(events[2].audience, ban_audience);
    assert_eq!(events[2].data["guild_id"], guild_id);
    assert_eq!(events[2].data["user"]["id"], member_id.as_str());
    let ban = app
        .expect(Method::GET, &ban_path(&member_id), &owner, None, 200)
        .await;
    assert_eq!(ban["user"]["id"], member_id.as_str());
    assert_eq!(ban["reason"], "spam 🐟");
    let response = app
        .get(&format!("/api/v1/guilds/{guild_id}"), Some(&member))
        .await;
    assert_error(response, 404, "UNKNOWN_GUILD").await;

    // Someone who never joined can be banned too; the body's reason wins over the header's.
    let response = app
        .client
        .put(app.url(&ban_path(stranger_id)))
        .bearer_auth(&owner)
        .header("X-Audit-Log-Reason", "ignored")
        .json(&json!({"reason": "  raids elsewhere "}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let event = app.expect_event("GUILD_BAN_ADD");
    assert_eq!(event.audience, ban_audience);
    assert_eq!(event.data["user"]["id"], stranger_id);
    let ban = app
        .expect(Method::GET, &ban_path(stranger_id), &owner, None, 200)
        .await;
    assert_eq!(ban["reason"], "raids elsewhere");

    // The list, in user-id order, one page at a time.
    let mut banned = vec![member_id.clone(), stranger_id.to_owned()];
    banned.sort_by_key(|id| id.parse::<u64>().unwrap());
    let bans_path = format!("/api/v1/guilds/{guild_id}/bans");
    let all = app.expect(Method::GET, &bans_path, &owner, None, 200).await;
    assert_eq!(ids_of(&all), banned);
    let first = app
        .expect(
            Method::GET,
            &format!("{bans_path}?limit=1"),
            &owner,
            None,
            200,
        )
        .await;
    assert_eq!(ids_of(&first), banned[..1]);
    let after = &banned[0];
    let rest = app
        .expect(
            Method::GET,
            &format!("{bans_path}?after={after}"),
            &owner,
            None,
            200,
        )
        .await;
    assert_eq!(ids_of(&rest), banned[1..]);
    let response = app.get(&format!("{bans_path}?limit=0"), Some(&owner)).await;
    assert_error(response, 400, "VALIDATION_FAILED").await;

    // Unbanning announces it to the same audience, and the ban is then unknown.
    app.expect(Method::DELETE, &ban_path(&member_id), &owner, None, 204)
        .await;
    let event = app.expect_event("GUILD_BAN_REMOVE");
    assert_eq!(event.audience, ban_audience);
    assert_eq!(event.data["user"]["id"], member_id.as_str());
    let response = app.get(&ban_path(&member_id), Some(&owner)).await;
    assert_error(response, 404, "UNKNOWN_BAN").await;
    let response = app.delete(&ban_path(&member_id), Some(&owner)).await;
    assert_error(response, 404, "UNKNOWN_BAN").await;
    assert!(app.events().is_empty());
    let all = app.expect(Method::GET, &bans_path, &owner, None, 200).await;
    assert_eq!(ids_of(&all), [stranger_id]);
}

async fn bans_are_refused_without_ban_members_on_superiors_oneself_and_unknown_users(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let owner_id = guild["owner_id"].as_str().unwrap();
    let (_, third_id) = another_member(&app, &owner, &guild, "third").await;
    let ban_path = |user: &str| format!("/api/v1/guilds/{guild_id}/bans/{user}");
    let bans_path = format!("/api/v1/guilds/{guild_id}/bans");

    for response in [
        app.put(&ban_path(&third_id), Some(&member), None).await,
        app.get(&bans_path, Some(&member)).await,
        app.get(&ban_path(&third_id), Some(&member)).await,
        app.delete(&ban_path(&third_id), Some(&member)).await,
    ] {
        assert_error(response, 403, "MISSING_PERMISSIONS").await;
    }

    let warden = app
        .create_role(&owner, guild_id, "Warden", perm::BAN_MEMBERS)
        .await;
    let warden = warden["id"].as_str().unwrap();
    app.grant_role(&owner, guild_id, &member_id, warden).await;
    app.events();

    let response = app.put(&ban_path(owner_id), Some(&member), None).await;
    assert_error(response, 403, "ROLE_HIERARCHY").await;
    let response = app.put(&ban_path(&member_id), Some(&member), None).await;
    let body = assert_error(response, 400, "VALIDATION_FAILED").await;
    assert!(body["error"]["fields"]["user_id"].is_string(), "{body}");
    let response = app.put(&ban_path(owner_id), Some(&owner), None).await;
    assert_error(response, 400, "VALIDATION_FAILED").await;
    let response = app.put(&ban_path("123456789"), Some(&member), None).await;
    assert_error(response, 404, "UNKNOWN_USER").await;
    let response = app.put(&ban_path("abc"), Some(&member), None).await;
    assert_error(response, 400, "VALIDATION_FAILED").await;

    let too_long = "x".repeat(513);
    let response = app
        .put(
            &ban_path(&third_id),
            Some(&member),
            Some(json!({"reason": too_long})),
        )
        .await;
    let body = assert_error(response, 400, "VALIDATION_FAILED").await;
    assert!(body["error"]["fields"]["reason"].is_string(), "{body}");
    for header in [too_long.as_str(), "%FF%FE"] {
        let response = app
            .client
            .put(app.url(&ban_path(&third_id)))
            .bearer_auth(&member)
            .header("X-Audit-Log-Reason", header)
            .send()
            .await
            .unwrap();
        let body = assert_error(response, 400, "VALIDATION_FAILED").await;
        assert!(
            body["error"]["fields"]["X-Audit-Log-Reason"].is_string(),
            "{body}"
        );
    }
    let response = app
        .put(
            &ban_path(&third_id),
            Some(&member),
            Some(json!({"why": "no"})),
        )
        .await;
    assert_error(response, 400, "VALIDATION_FAILED").await;
    assert!(app.events().is_empty(), "refused bans publish nothing");
    let response = app.get(&ban_path(&third_id), Some(&member)).await;
    assert_error(response, 404, "UNKNOWN_BAN").await;

    // A peer is out of reach; someone below is not, with a reason of exactly 512 characters.
    app.grant_role(&owner, guild_id, &third_id, warden).await;
    app.events();
    let response = app.put(&ban_path(&third_id), Some(&member), None).await;
    assert_error(response, 403, "ROLE_HIERARCHY").await;
    app.expect(
        Method::DELETE,
        &format!("/api/v1/guilds/{guild_id}/members/{third_id}/roles/{warden}"),
        &owner,
        None,
        204,
    )
    .await;
    app.events();
    let longest = "x".repeat(512);
    app.expect(
        Method::PUT,
        &ban_path(&third_id),
        &member,
        Some(json!({"reason": longest})),
        204,
    )
    .await;
    app.expect_event("GUILD_BAN_ADD");
    let ban = app
        .expect(Method::GET, &ban_path(&third_id), &member, None, 200)
        .await;
    assert_eq!(ban["reason"], longest);
}
