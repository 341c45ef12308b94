//! Guild invites: creating them within Discord's bounds, previewing without signing in, joining (once
//! per use, even under concurrency), the limits and bans that keep people out, and revoking them.

use std::time::Duration;

use hearth_core::{Permissions, Snowflake};
use hearth_server::bus::Audience;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    Backend, TestApp, assert_error, both_backends, perm, spawn_app, spawn_app_with,
};

both_backends!(
    an_invite_lasts_a_day_with_unlimited_uses_and_is_reused_for_an_equivalent_request,
    invite_settings_are_bounded_and_need_create_instant_invite,
    anyone_may_preview_a_usable_invite_without_signing_in_and_sees_nothing_private,
    joining_adds_a_member_once_and_consumes_one_use,
    concurrent_joins_never_exceed_max_uses,
    concurrent_joins_never_take_a_user_past_guilds_per_user,
    a_banned_user_cannot_join_until_unbanned,
    joins_beyond_guilds_per_user_and_invites_beyond_invites_per_guild_are_refused,
    used_up_invites_do_not_count_toward_invites_per_guild,
    revoking_an_invite_needs_manage_channels_or_manage_guild_and_makes_it_unknown,
    a_member_who_joins_through_a_temporary_invite_is_pending_until_given_a_role,
);

/// The alphabet of invite codes (docs/security.md): no 0/O, 1/l/I look-alikes.
const CODE_ALPHABET: &str = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

fn id(raw: &Value) -> Snowflake {
    raw.as_str().expect("id string").parse().expect("snowflake")
}

fn invites_path(guild: &Value) -> String {
    let channel = guild["system_channel_id"].as_str().unwrap();
    format!("/api/v1/channels/{channel}/invites")
}

/// Creates an invite to the guild's system channel with `body`; returns it.
async fn create_invite(app: &TestApp, token: &str, guild: &Value, body: Value) -> Value {
    app.expect(Method::POST, &invites_path(guild), token, Some(body), 201)
        .await
}

/// A create request answered with an equivalent existing invite: 200, and no event.
async fn reuse_invite(app: &TestApp, token: &str, guild: &Value, body: Value) -> Value {
    app.events();
    let invite = app
        .expect(Method::POST, &invites_path(guild), token, Some(body), 200)
        .await;
    assert!(
        app.events().is_empty(),
        "reusing an invite announces nothing"
    );
    invite
}

/// The invite as listed by `GET /guilds/{id}/invites` (which needs MANAGE_GUILD).
async fn listed_invite(app: &TestApp, manager: &str, guild: &Value, code: &str) -> Value {
    let guild_id = guild["id"].as_str().unwrap();
    let all = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{guild_id}/invites"),
            manager,
            None,
            200,
        )
        .await;
    all.as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap_or_else(|| panic!("{code} not among {all}"))
        .clone()
}

async fn an_invite_lasts_a_day_with_unlimited_uses_and_is_reused_for_an_equivalent_request(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, member, _, guild) = app.two_users_in_a_guild().await;
    let invite = create_invite(&app, &owner, &guild, json!({})).await;
    assert_eq!(invite["max_age"], 86400);
    assert_eq!(invite["max_uses"], 0);
    assert_eq!(invite["uses"], 0);
    assert_eq!(invite["temporary"], false);
    assert_eq!(invite["guild_id"], guild["id"]);
    assert_eq!(invite["channel_id"], guild["system_channel_id"]);
    assert_eq!(invite["inviter"]["id"], guild["owner_id"]);
    assert!(invite["expires_at"].is_string(), "{invite}");
    let code = invite["code"].as_str().unwrap();
    assert!(code.len() >= 8, "{code}");
    assert!(code.chars().all(|c| CODE_ALPHABET.contains(c)), "{code}");

    let created = app.expect_event("INVITE_CREATE");
    assert_eq!(created.data["code"], code);
    assert_eq!(
        created.audience,
        Audience::ChannelWith {
            guild_id: id(&guild["id"]),
            channel_id: id(&guild["system_channel_id"]),
            permission: Permissions::MANAGE_CHANNELS,
        }
    );

    // No body at all, or the defaults spelled out, is the same request: the same code comes back.
    let bare = app
        .request(Method::POST, &invites_path(&guild), Some(&owner), None)
        .await;
    assert_eq!(bare.status(), 200);
    assert_eq!(bare.json::<Value>().await.unwrap()["code"], code);
    assert!(
        app.events().is_empty(),
        "reusing an invite announces nothing"
    );
    let spelled = json!({"max_age": 86400, "max_uses": 0, "temporary": false, "unique": false});
    let again = reuse_invite(&app, &owner, &guild, spelled).await;
    assert_eq!(again["code"], code);

    let unique = create_invite(&app, &owner, &guild, json!({"unique": true})).await;
    assert_ne!(unique["code"], code);
    let limited = create_invite(&app, &owner, &guild, json!({"max_uses": 5})).await;
    assert_ne!(limited["code"], code);
    assert_eq!(limited["max_uses"], 5);
    // The never-expiring invite made while setting up the guild is equivalent, so it comes back.
    let forever = reuse_invite(&app, &owner, &guild, json!({"max_age": 0})).await;
    assert_eq!(forever["max_age"], 0);
    assert!(forever["expires_at"].is_null(), "{forever}");
    let by_member = create_invite(&app, &member, &guild, json!({})).await;
    assert_ne!(
        by_member["code"], code,
        "another inviter gets their own code"
    );
}

async fn invite_settings_are_bounded_and_need_create_instant_invite(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, _, guild) = app.two_users_in_a_guild().await;
    let path = invites_path(&guild);

    let at_bounds = create_invite(
        &app,
        &owner,
        &guild,
        json!({"max_age": 604800, "max_uses": 100}),
    )
    .await;
    assert_eq!(at_bounds["max_age"], 604800);
    assert_eq!(at_bounds["max_uses"], 100);
    app.events();

    for (body, fields) in [
        (json!({"max_age": 604801}), vec!["max_age"]),
        (json!({"max_uses": 101}), vec!["max_uses"]),
        (
            json!({"max_age": -1, "max_uses": -1}),
            vec!["max_age", "max_uses"],
        ),
        (json!({"max_age": "3600"}), vec!["max_age"]),
        (json!({"max_uses": 1.5}), vec!["max_uses"]),
        (json!({"temporary": "yes"}), vec!["temporary"]),
        (json!({"unique": 1}), vec!["unique"]),
    ] {
        let response = app.post(&path, Some(&owner), body.clone()).await;
        let error = assert_error(response, 400, "VALIDATION_FAILED").await;
        for field in fields {
            assert!(
                error["error"]["fields"][field].is_string(),
                "{body} → {error}"
            );
        }
    }
    let response = app.post(&path, Some(&owner), json!({"maxAge": 60})).await;
    assert_error(response, 400, "VALIDATION_FAILED").await;
    let response = app.post(&path, None, json!({})).await;
    assert_error(response, 401, "UNAUTHORIZED").await;

    // Take CREATE_INSTANT_INVITE from @everyone: the member may no longer invite, the owner still may.
    let guild_id = guild["id"].as_str().unwrap();
    let everyone: u64 = guild["roles"][0]["permissions"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(everyone & perm::CREATE_INSTANT_INVITE, 0);
    app.expect(
        Method::PATCH,
        &format!("/api/v1/guilds/{guild_id}/roles/{guild_id}"),
        &owner,
        Some(json!({"permissions": (everyone & !perm::CREATE_INSTANT_INVITE).to_string()})),
        200,
    )
    .await;
    app.events();
    let response = app.post(&path, Some(&member), json!({})).await;
    assert_error(response, 403, "MISSING_PERMISSIONS").await;
    assert!(
        app.events().is_empty(),
        "a refused invite publishes nothing"
    );
    create_invite(&app, &owner, &guild, json!({"unique": true})).await;
}

async fn anyone_may_preview_a_usable_invite_without_signing_in_and_sees_nothing_private(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, _, _, guild) = app.two_users_in_a_guild().await;
    let invite = create_invite(&app, &owner, &guild, json!({"max_uses": 1})).await;
    let code = invite["code"].as_str().unwrap();

    let response = app.get(&format!("/api/v1/invites/{code}"), None).await;
    assert_eq!(response.status(), 200);
    let preview: Value = response.json().await.unwrap();
    assert_eq!(preview["code"], code);
    assert_eq!(preview["guild"]["id"], guild["id"]);
    assert_eq!(preview["guild"]["name"], "Hearthside");
    assert_eq!(preview["channel"]["id"], guild["system_channel_id"]);
    assert_eq!(preview["channel"]["name"], "general");
    assert_eq!(preview["channel"]["type"], 0);
    assert_eq!(preview["inviter"]["id"], guild["owner_id"]);
    assert_eq!(preview["approximate_member_count"], 2);
    assert_eq!(preview["expires_at"], invite["expires_at"]);
    let mut guild_keys: Vec<_> = preview["guild"].as_object().unwrap().keys().collect();
    guild_keys.sort();
    assert_eq!(guild_keys, ["description", "icon", "id", "name"]);
    for private in ["owner_id", "roles", "uses", "max_uses"] {
        assert!(preview.get(private).is_none(), "{private} leaks: {preview}");
    }

    for bad in ["abc", "0000000000", "ABCDEFGHJK", "ABCDEFGHJKLMN", "%20"] {
        let response = app.get(&format!("/api/v1/invites/{bad}"), None).await;
        assert_error(response, 404, "UNKNOWN_INVITE").await;
    }

    // Used up: its one use taken, the preview and further joins are refused.
    let (joiner, _) = app.register("joiner", None).await;
    app.join(&joiner, code).await;
    let response = app.get(&format!("/api/v1/invites/{code}"), None).await;
    assert_error(response, 404, "UNKNOWN_INVITE").await;
    let (late, _) = app.register("late", None).await;
    let response = app
        .request(
            Method::POST,
            &format!("/api/v1/invites/{code}"),
            Some(&late),
            None,
        )
        .await;
    assert_error(response, 404, "UNKNOWN_INVITE").await;

    // Expired: a one-second invite, a little over a second later.
    let short = create_invite(&app, &owner, &guild, json!({"max_age": 1})).await;
    let short = short["code"].as_str().unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let response = app.get(&format!("/api/v1/invites/{short}"), None).await;
    assert_error(response, 404, "UNKNOWN_INVITE").await;
    let response = app
        .request(
            Method::POST,
            &format!("/api/v1/invites/{short}"),
            Some(&late),
            None,
        )
        .await;
    assert_error(response, 404, "UNKNOWN_INVITE").await;
}

async fn joining_adds_a_member_once_and_consumes_one_use(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner_with_open_registration().await;
    let guild = app.create_guild(&owner, "Hearthside").await;
    let code = app.invite_to(&owner, &guild).await;
    let (joiner, user) = app.register("joiner", None).await;
    app.events();

    let joined = app.join(&joiner, &code).await;
    assert_eq!(joined["id"], guild["id"]);
    assert_eq!(joined["approximate_member_count"], 2);
    let events = app.events();
    let names: Vec<_> = events.iter().map(|e| e.name).collect();
    assert_eq!(names, ["GUILD_MEMBER_ADD", "GUILD_CREATE"]);
    assert_eq!(events[0].audience, Audience::Guild(id(&guild["id"])));
    assert_eq!(events[0].data["guild_id"], guild["id"]);
    assert_eq!(events[0].data["user"]["id"], user["id"]);
    assert_eq!(events[0].data["roles"], json!([]));
    assert_eq!(events[0].data["pending"], false);
    assert_eq!(events[1].audience, Audience::User(id(&user["id"])));
    assert_eq!(events[1].data["id"], guild["id"]);
    assert_eq!(listed_invite(&app, &owner, &guild, &code).await["uses"], 1);

    // Listing a guild's invites takes MANAGE_GUILD.
    let guild_id = guild["id"].as_str().unwrap();
    let response = app
        .get(&format!("/api/v1/guilds/{guild_id}/invites"), Some(&joiner))
        .await;
    assert_error(response, 403, "MISSING_PERMISSIONS").await;

    // Joining again answers the guild, consumes nothing and announces nothing.
    let again = app.join(&joiner, &code).await;
    assert_eq!(again["id"], guild["id"]);
    assert!(app.events().is_empty());
    assert_eq!(listed_invite(&app, &owner, &guild, &code).await["uses"], 1);

    let response = app
        .request(Method::POST, &format!("/api/v1/invites/{code}"), None, None)
        .await;
    assert_error(response, 401, "UNAUTHORIZED").await;
}

async fn concurrent_joins_never_exceed_max_uses(backend: Backend) {
    const JOINERS: usize = 8;
    let app = spawn_app(backend).await;
    let owner = app.owner_with_open_registration().await;
    let guild = app.create_guild(&owner, "Hearthside").await;
    let invite = create_invite(&app, &owner, &guild, json!({"max_uses": 3, "max_age": 0})).await;
    let code = invite["code"].as_str().unwrap();
    let mut tokens = Vec::new();
    for n in 0..JOINERS {
        tokens.push(app.register(&format!("joiner{n}"), None).await.0);
    }
    app.events();

    let path = format!("/api/v1/invites/{code}");
    let responses = futures_util::future::join_all(
        tokens
            .iter()
            .map(|token| app.request(Method::POST, &path, Some(token.as_str()), None)),
    )
    .await;
    let mut admitted = 0;
    for response in responses {
        if response.status() == 200 {
            admitted += 1;
        } else {
            assert_error(response, 404, "UNKNOWN_INVITE").await;
        }
    }
    assert_eq!(admitted, 3);
    let added = app
        .events()
        .iter()
        .filter(|e| e.name == "GUILD_MEMBER_ADD")
        .count();
    assert_eq!(added, 3);
    assert_eq!(listed_invite(&app, &owner, &guild, code).await["uses"], 3);
    let guild_id = guild["id"].as_str().unwrap();
    let members = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{guild_id}/members?limit=1000"),
            &owner,
            None,
            200,
        )
        .await;
    assert_eq!(
        members.as_array().unwrap().len(),
        4,
        "the owner and three joiners"
    );
}

/// Each user races a join to two guilds while one more guild would take them past the limit.
async fn concurrent_joins_never_take_a_user_past_guilds_per_user(backend: Backend) {
    const RACERS: usize = 10;
    let app = spawn_app_with(backend, |c| c.limits.guilds_per_user = 1).await;
    let first_owner = app.owner_with_open_registration().await;
    let (second_owner, _) = app.register("second", None).await;
    let mut codes = Vec::new();
    for (owner, name) in [(&first_owner, "First"), (&second_owner, "Second")] {
        let guild = app.create_guild(owner, name).await;
        codes.push(app.invite_to(owner, &guild).await);
    }
    let mut tokens = Vec::new();
    for n in 0..RACERS {
        tokens.push(app.register(&format!("racer{n}"), None).await.0);
    }

    let app = &app;
    let joins = tokens.iter().flat_map(|token| {
        codes.iter().map(move |code| async move {
            let path = format!("/api/v1/invites/{code}");
            app.request(Method::POST, &path, Some(token.as_str()), None)
                .await
        })
    });
    let responses = futures_util::future::join_all(joins).await;
    let mut admitted = 0;
    for response in responses {
        if response.status() == 200 {
            admitted += 1;
        } else {
            assert_error(response, 400, "LIMIT_REACHED").await;
        }
    }
    for token in &tokens {
        let mine = app
            .expect(Method::GET, "/api/v1/users/@me/guilds", token, None, 200)
            .await;
        assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    }
    assert_eq!(admitted, RACERS);
}

async fn a_banned_user_cannot_join_until_unbanned(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let code = app.invite_to(&owner, &guild).await;
    let (stranger, stranger_user) = app.register("stranger", None).await;
    let stranger_id = stranger_user["id"].as_str().unwrap();
    for user_id in [member_id.as_str(), stranger_id] {
        app.expect(
            Method::PUT,
            &format!("/api/v1/guilds/{guild_id}/bans/{user_id}"),
            &owner,
            None,
            204,
        )
        .await;
    }
    app.events();

    let join_path = format!("/api/v1/invites/{code}");
    for token in [&member, &stranger] {
        let response = app
            .request(Method::POST, &join_path, Some(token.as_str()), None)
            .await;
        assert_error(response, 403, "BANNED").await;
    }
    assert!(app.events().is_empty());
    assert_eq!(listed_invite(&app, &owner, &guild, &code).await["uses"], 0);

    app.expect(
        Method::DELETE,
        &format!("/api/v1/guilds/{guild_id}/bans/{member_id}"),
        &owner,
        None,
        204,
    )
    .await;
    app.join(&member, &code).await;
    let response = app
        .request(Method::POST, &join_path, Some(&stranger), None)
        .await;
    assert_error(response, 403, "BANNED").await;
    assert_eq!(listed_invite(&app, &owner, &guild, &code).await["uses"], 1);
}

async fn joins_beyond_guilds_per_user_and_invites_beyond_invites_per_guild_are_refused(
    backend: Backend,
) {
    let app = spawn_app_with(backend, |c| {
        c.limits.guilds_per_user = 1;
        c.limits.invites_per_guild = 2;
    })
    .await;
    let owner = app.owner_with_open_registration().await;
    let guild = app.create_guild(&owner, "Hearthside").await;
    let code = app.invite_to(&owner, &guild).await;
    let (elsewhere, _) = app.register("elsewhere", None).await;
    app.create_guild(&elsewhere, "Elsewhere").await;
    app.events();

    let response = app
        .request(
            Method::POST,
            &format!("/api/v1/invites/{code}"),
            Some(&elsewhere),
            None,
        )
        .await;
    assert_error(response, 400, "LIMIT_REACHED").await;
    assert!(app.events().is_empty());
    assert_eq!(listed_invite(&app, &owner, &guild, &code).await["uses"], 0);
    let (newcomer, _) = app.register("newcomer", None).await;
    app.join(&newcomer, &code).await;

    // The guild holds `code` and one more; past that only an equivalent invite can be reused.
    let second = create_invite(&app, &owner, &guild, json!({"unique": true})).await;
    app.events();
    let response = app
        .post(&invites_path(&guild), Some(&owner), json!({"unique": true}))
        .await;
    assert_error(response, 400, "LIMIT_REACHED").await;
    assert!(app.events().is_empty());
    let reused = reuse_invite(&app, &owner, &guild, json!({"max_age": 0, "max_uses": 0})).await;
    assert_eq!(reused["code"], code.as_str());

    let second = second["code"].as_str().unwrap();
    app.expect(
        Method::DELETE,
        &format!("/api/v1/invites/{second}"),
        &owner,
        None,
        200,
    )
    .await;
    create_invite(&app, &owner, &guild, json!({"unique": true})).await;
}

/// The limit is on outstanding invites (config.rs): one that can never be used again leaves room.
async fn used_up_invites_do_not_count_toward_invites_per_guild(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.limits.invites_per_guild = 1).await;
    let owner = app.owner_with_open_registration().await;
    let guild = app.create_guild(&owner, "Hearthside").await;
    let single = create_invite(&app, &owner, &guild, json!({"max_uses": 1})).await;
    let (joiner, _) = app.register("joiner", None).await;
    app.join(&joiner, single["code"].as_str().unwrap()).await;

    create_invite(&app, &owner, &guild, json!({"max_uses": 1})).await;
}

async fn revoking_an_invite_needs_manage_channels_or_manage_guild_and_makes_it_unknown(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let code = app.invite_to(&owner, &guild).await;
    let (stranger, _) = app.register("stranger", None).await;
    app.events();
    let path = format!("/api/v1/invites/{code}");

    let response = app.delete(&path, Some(&stranger)).await;
    assert_error(response, 404, "UNKNOWN_INVITE").await;
    let response = app.delete(&path, Some(&member)).await;
    assert_error(response, 403, "MISSING_PERMISSIONS").await;
    let response = app.delete(&path, None).await;
    assert_error(response, 401, "UNAUTHORIZED").await;
    let response = app.delete("/api/v1/invites/not-a-code", Some(&owner)).await;
    assert_error(response, 404, "UNKNOWN_INVITE").await;
    assert!(app.events().is_empty());

    app.give_role(
        &owner,
        guild_id,
        &member_id,
        "Channel keeper",
        perm::MANAGE_CHANNELS,
    )
    .await;
    app.events();
    let deleted = app.expect(Method::DELETE, &path, &member, None, 200).await;
    assert_eq!(deleted["code"], code.as_str());
    assert_eq!(deleted["inviter"]["id"], guild["owner_id"]);
    let event = app.expect_event("INVITE_DELETE");
    assert_eq!(
        event.data,
        json!({"guild_id": guild_id, "channel_id": guild["system_channel_id"], "code": code})
    );
    assert_eq!(
        event.audience,
        Audience::ChannelWith {
            guild_id: id(&guild["id"]),
            channel_id: id(&guild["system_channel_id"]),
            permission: Permissions::MANAGE_CHANNELS,
        }
    );
    let response = app.get(&path, None).await;
    assert_error(response, 404, "UNKNOWN_INVITE").await;
    let response = app
        .request(Method::POST, &path, Some(&stranger), None)
        .await;
    assert_error(response, 404, "UNKNOWN_INVITE").await;
    let response = app.delete(&path, Some(&owner)).await;
    assert_error(response, 404, "UNKNOWN_INVITE").await;

    // MANAGE_GUILD alone is enough too.
    let code = app.invite_to(&owner, &guild).await;
    let (steward, steward_user) = app.register("steward", None).await;
    app.join(&steward, &code).await;
    let role = app
        .create_role(&owner, guild_id, "Steward", perm::MANAGE_GUILD)
        .await;
    app.grant_role(
        &owner,
        guild_id,
        steward_user["id"].as_str().unwrap(),
        role["id"].as_str().unwrap(),
    )
    .await;
    app.events();
    app.expect(
        Method::DELETE,
        &format!("/api/v1/invites/{code}"),
        &steward,
        None,
        200,
    )
    .await;
    assert_eq!(
        app.expect_event("INVITE_DELETE").data["code"],
        code.as_str()
    );
}

async fn a_member_who_joins_through_a_temporary_invite_is_pending_until_given_a_role(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let owner = app.owner_with_open_registration().await;
    let guild = app.create_guild(&owner, "Hearthside").await;
    let guild_id = guild["id"].as_str().unwrap();
    let invite = create_invite(&app, &owner, &guild, json!({"temporary": true})).await;
    assert_eq!(invite["temporary"], true);
    let (guest, user) = app.register("guest", None).await;
    let guest_id = user["id"].as_str().unwrap();
    app.events();

    app.join(&guest, invite["code"].as_str().unwrap()).await;
    assert_eq!(app.expect_event("GUILD_MEMBER_ADD").data["pending"], true);
    let member_path = format!("/api/v1/guilds/{guild_id}/members/{guest_id}");
    let member = app
        .expect(Method::GET, &member_path, &owner, None, 200)
        .await;
    assert_eq!(member["pending"], true);

    let role = app.create_role(&owner, guild_id, "Regular", 0).await;
    let role_id = role["id"].as_str().unwrap();
    app.events();
    app.grant_role(&owner, guild_id, guest_id, role_id).await;
    let update = app.expect_event("GUILD_MEMBER_UPDATE");
    assert_eq!(update.data["pending"], false);
    assert_eq!(update.data["roles"], json!([role_id]));

    // Losing the role again does not make the membership temporary again.
    app.expect(
        Method::DELETE,
        &format!("{member_path}/roles/{role_id}"),
        &owner,
        None,
        204,
    )
    .await;
    let member = app
        .expect(Method::GET, &member_path, &owner, None, 200)
        .await;
    assert_eq!(member["pending"], false);
    assert_eq!(member["roles"], json!([]));
}
