//! `/guilds`: creation with defaults, the member's list, editing, ownership, leaving and deletion.

use hearth_server::bus::Audience;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, assert_error, both_backends, perm, spawn_app, spawn_app_with};

both_backends!(
    a_new_guild_has_an_everyone_role_a_text_and_a_voice_channel_and_its_creator_as_owner,
    a_member_leaves_and_the_owner_cannot,
    editing_a_guild_needs_manage_guild_checks_every_field_and_announces_the_change,
    ownership_passes_only_from_the_owner_to_a_member,
    only_the_owner_deletes_a_guild_and_then_it_is_gone_for_every_member,
    guild_requests_need_a_token_a_well_formed_id_a_known_body_and_room_under_the_limit,
);

async fn a_new_guild_has_an_everyone_role_a_text_and_a_voice_channel_and_its_creator_as_owner(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, user) = app.register("founder", None).await;
    let guild = app.create_guild(&owner, "  The Hearth  ").await;
    let id = guild["id"].as_str().unwrap();
    assert_eq!(guild["name"], "The Hearth");
    assert_eq!(guild["owner_id"], user["id"]);
    let roles = guild["roles"].as_array().unwrap();
    assert_eq!(roles.len(), 1);
    assert_eq!(roles[0]["id"], id, "@everyone has the guild's id");
    assert_eq!(roles[0]["name"], "@everyone");
    assert_eq!(roles[0]["position"], 0);

    let channels = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{id}/channels"),
            &owner,
            None,
            200,
        )
        .await;
    let kinds: Vec<_> = channels
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["type"].as_i64().unwrap())
        .collect();
    assert_eq!(kinds, [0, 2]);
    assert_eq!(channels[0]["name"], "general");
    assert_eq!(guild["system_channel_id"], channels[0]["id"]);
    assert_eq!(channels[1]["bitrate"], 64000);

    let event = app.expect_event("GUILD_CREATE");
    assert_eq!(event.data["id"], id);

    let mine = app
        .expect(Method::GET, "/api/v1/users/@me/guilds", &owner, None, 200)
        .await;
    assert_eq!(mine[0]["id"], id);
    assert_eq!(mine[0]["owner"], true);
    let all_bits: u64 = mine[0]["permissions"].as_str().unwrap().parse().unwrap();
    assert_ne!(all_bits & (1 << 3), 0, "the owner holds every permission");

    let response = app
        .post("/api/v1/guilds", Some(&owner), json!({"name": "x"}))
        .await;
    let body = assert_error(response, 400, "VALIDATION_FAILED").await;
    assert!(body["error"]["fields"]["name"].is_string());
}

async fn a_member_leaves_and_the_owner_cannot(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let id = guild["id"].as_str().unwrap();
    let response = app
        .delete(&format!("/api/v1/users/@me/guilds/{id}"), Some(&owner))
        .await;
    assert_error(response, 400, "OWNER_CANNOT_LEAVE").await;

    app.expect(
        Method::DELETE,
        &format!("/api/v1/users/@me/guilds/{id}"),
        &member,
        None,
        204,
    )
    .await;
    let removed = app.events();
    let names: Vec<_> = removed.iter().map(|e| e.name).collect();
    assert_eq!(names, ["GUILD_MEMBER_REMOVE", "GUILD_DELETE"]);
    assert_eq!(removed[0].data["user"]["id"], member_id.as_str());
    let response = app
        .get(&format!("/api/v1/guilds/{id}"), Some(&member))
        .await;
    assert_error(response, 404, "UNKNOWN_GUILD").await;
}

async fn editing_a_guild_needs_manage_guild_checks_every_field_and_announces_the_change(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let gid = guild["id"].as_str().unwrap();
    let path = format!("/api/v1/guilds/{gid}");
    let general = guild["system_channel_id"].as_str().unwrap();

    let response = app
        .patch(&path, Some(&member), json!({"name": "Mine Now"}))
        .await;
    assert_error(response, 403, "MISSING_PERMISSIONS").await;
    assert!(app.events().is_empty());

    let edited = app
        .expect(
            Method::PATCH,
            &path,
            &owner,
            Some(
                json!({"name": "  Warm Hearth ", "description": "a cosy place",
                "verification_level": 2, "default_message_notifications": 1,
                "explicit_content_filter": 2}),
            ),
            200,
        )
        .await;
    assert_eq!(edited["name"], "Warm Hearth");
    assert_eq!(edited["description"], "a cosy place");
    assert_eq!(edited["verification_level"], 2);
    assert_eq!(edited["default_message_notifications"], 1);
    assert_eq!(edited["explicit_content_filter"], 2);
    assert_eq!(
        edited["system_channel_id"], general,
        "absent fields stay as they are"
    );
    assert_eq!(edited["owner_id"], guild["owner_id"]);
    let event = app.expect_event("GUILD_UPDATE");
    assert_eq!(event.data, edited);
    assert_eq!(event.audience, Audience::Guild(gid.parse().unwrap()));
    let seen = app.expect(Method::GET, &path, &member, None, 200).await;
    assert_eq!(seen, edited);

    let elsewhere = app.create_guild(&owner, "Elsewhere").await;
    app.events();
    let refusals = [
        (json!({"verification_level": 5}), "verification_level"),
        (json!({"verification_level": -1}), "verification_level"),
        (
            json!({"default_message_notifications": 2}),
            "default_message_notifications",
        ),
        (
            json!({"explicit_content_filter": 3}),
            "explicit_content_filter",
        ),
        (json!({"name": "x"}), "name"),
        (json!({"description": "d".repeat(1001)}), "description"),
        (
            json!({"system_channel_id": elsewhere["system_channel_id"]}),
            "system_channel_id",
        ),
        (
            json!({"system_channel_id": "123456789012345"}),
            "system_channel_id",
        ),
        (json!({"system_channel_id": "general"}), "system_channel_id"),
        (json!({"owner_id": "someone"}), "owner_id"),
    ];
    for (body, field) in refusals {
        let response = app.patch(&path, Some(&owner), body.clone()).await;
        let error = assert_error(response, 400, "VALIDATION_FAILED").await;
        assert!(
            error["error"]["fields"][field].is_string(),
            "{body}: {error}"
        );
    }
    assert!(app.events().is_empty(), "a refused edit publishes nothing");
    assert_eq!(
        app.expect(Method::GET, &path, &owner, None, 200).await,
        edited
    );

    let quiet = app
        .expect(
            Method::PATCH,
            &path,
            &owner,
            Some(json!({"system_channel_id": null})),
            200,
        )
        .await;
    assert_eq!(quiet["system_channel_id"], Value::Null);
    assert_eq!(quiet["name"], "Warm Hearth");

    app.give_role(&owner, gid, &member_id, "steward", perm::MANAGE_GUILD)
        .await;
    let renamed = app
        .expect(
            Method::PATCH,
            &path,
            &member,
            Some(json!({"name": "Stewarded", "system_channel_id": general})),
            200,
        )
        .await;
    assert_eq!(renamed["name"], "Stewarded");
    assert_eq!(renamed["system_channel_id"], general);
}

async fn ownership_passes_only_from_the_owner_to_a_member(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let gid = guild["id"].as_str().unwrap();
    let path = format!("/api/v1/guilds/{gid}");
    let old_owner_id = guild["owner_id"].as_str().unwrap();
    let (_, outsider) = app.register("outsider", None).await;
    app.give_role(&owner, gid, &member_id, "steward", perm::MANAGE_GUILD)
        .await;
    app.events();

    let response = app
        .patch(&path, Some(&member), json!({"owner_id": member_id}))
        .await;
    assert_error(response, 403, "OWNER_ONLY").await;
    for target in [outsider["id"].clone(), json!("123456789012345")] {
        let response = app
            .patch(&path, Some(&owner), json!({"owner_id": target}))
            .await;
        let error = assert_error(response, 400, "VALIDATION_FAILED").await;
        assert!(error["error"]["fields"]["owner_id"].is_string(), "{error}");
    }
    assert!(app.events().is_empty());

    let transferred = app
        .expect(
            Method::PATCH,
            &path,
            &owner,
            Some(json!({"owner_id": member_id})),
            200,
        )
        .await;
    assert_eq!(transferred["owner_id"], member_id.as_str());
    let event = app.expect_event("GUILD_UPDATE");
    assert_eq!(event.data["owner_id"], member_id.as_str());
    assert_eq!(event.audience, Audience::Guild(gid.parse().unwrap()));
    let theirs = app
        .expect(Method::GET, "/api/v1/users/@me/guilds", &member, None, 200)
        .await;
    assert_eq!(theirs[0]["owner"], true);
    let mine = app
        .expect(Method::GET, "/api/v1/users/@me/guilds", &owner, None, 200)
        .await;
    assert_eq!(mine[0]["owner"], false);

    let response = app
        .patch(&path, Some(&owner), json!({"owner_id": old_owner_id}))
        .await;
    // Ownership is checked before anything else: the former owner is told it is no longer theirs.
    assert_error(response, 403, "OWNER_ONLY").await;
    let response = app.delete(&path, Some(&owner)).await;
    assert_error(response, 403, "OWNER_ONLY").await;
    let leave = format!("/api/v1/users/@me/guilds/{gid}");
    let response = app.delete(&leave, Some(&member)).await;
    assert_error(response, 400, "OWNER_CANNOT_LEAVE").await;
    app.expect(Method::DELETE, &leave, &owner, None, 204).await;
    let response = app.get(&path, Some(&owner)).await;
    assert_error(response, 404, "UNKNOWN_GUILD").await;
    let kept = app.expect(Method::GET, &path, &member, None, 200).await;
    assert_eq!(kept["owner_id"], member_id.as_str());
    assert_eq!(kept["approximate_member_count"], 1);
}

async fn only_the_owner_deletes_a_guild_and_then_it_is_gone_for_every_member(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, _, guild) = app.two_users_in_a_guild().await;
    let gid = guild["id"].as_str().unwrap();
    let path = format!("/api/v1/guilds/{gid}");
    let general = guild["system_channel_id"].as_str().unwrap();

    let response = app.delete(&path, Some(&member)).await;
    assert_error(response, 403, "OWNER_ONLY").await;
    assert!(app.events().is_empty());
    app.expect(Method::GET, &path, &member, None, 200).await;

    app.expect(Method::DELETE, &path, &owner, None, 204).await;
    let event = app.expect_event("GUILD_DELETE");
    assert_eq!(event.data, json!({"id": gid, "unavailable": false}));
    assert_eq!(event.audience, Audience::Guild(gid.parse().unwrap()));

    for token in [&owner, &member] {
        let response = app.get(&path, Some(token)).await;
        assert_error(response, 404, "UNKNOWN_GUILD").await;
        let response = app
            .get(&format!("/api/v1/channels/{general}"), Some(token))
            .await;
        assert_error(response, 404, "UNKNOWN_CHANNEL").await;
        let mine = app
            .expect(Method::GET, "/api/v1/users/@me/guilds", token, None, 200)
            .await;
        assert_eq!(mine, json!([]));
    }
    let response = app.delete(&path, Some(&owner)).await;
    assert_error(response, 404, "UNKNOWN_GUILD").await;
}

async fn guild_requests_need_a_token_a_well_formed_id_a_known_body_and_room_under_the_limit(
    backend: Backend,
) {
    let app = spawn_app_with(backend, |c| c.limits.guilds_per_user = 2).await;
    let owner = app.owner().await;
    let guild = app.create_guild(&owner, "Hearthside").await;
    let gid = guild["id"].as_str().unwrap();
    let general = guild["system_channel_id"].as_str().unwrap();
    app.events();

    let guild_path = format!("/api/v1/guilds/{gid}");
    let channels_path = format!("{guild_path}/channels");
    let channel_path = format!("/api/v1/channels/{general}");
    for token in [None, Some("not-a-real-token")] {
        for response in [
            app.get(&guild_path, token).await,
            app.post("/api/v1/guilds", token, json!({"name": "Sneaky"}))
                .await,
            app.patch(&guild_path, token, json!({"name": "Sneaky"}))
                .await,
            app.delete(&guild_path, token).await,
            app.get(&channels_path, token).await,
            app.get(&channel_path, token).await,
            app.post(&format!("{guild_path}/roles"), token, json!({}))
                .await,
        ] {
            assert_error(response, 401, "UNAUTHORIZED").await;
        }
    }

    let malformed = [
        ("/api/v1/guilds/abc", "guild_id"),
        ("/api/v1/guilds/-1", "guild_id"),
        ("/api/v1/guilds/99999999999999999999", "guild_id"),
        ("/api/v1/channels/abc", "channel_id"),
    ];
    for (path, field) in malformed {
        let error = assert_error(app.get(path, Some(&owner)).await, 400, "VALIDATION_FAILED").await;
        assert!(
            error["error"]["fields"][field].is_string(),
            "{path}: {error}"
        );
    }
    let response = app
        .patch(
            &format!("{guild_path}/roles/abc"),
            Some(&owner),
            json!({"name": "x"}),
        )
        .await;
    let error = assert_error(response, 400, "VALIDATION_FAILED").await;
    assert!(error["error"]["fields"]["role_id"].is_string(), "{error}");

    let response = app
        .post(
            "/api/v1/guilds",
            Some(&owner),
            json!({"name": "Fine Name", "region": "eu"}),
        )
        .await;
    assert_error(response, 400, "VALIDATION_FAILED").await;
    let response = app
        .patch(&guild_path, Some(&owner), json!({"icon_hash": "abc"}))
        .await;
    assert_error(response, 400, "VALIDATION_FAILED").await;
    assert!(app.events().is_empty(), "nothing refused was published");

    app.create_guild(&owner, "Second Hearth").await;
    let response = app
        .post(
            "/api/v1/guilds",
            Some(&owner),
            json!({"name": "Third Hearth"}),
        )
        .await;
    assert_error(response, 400, "LIMIT_REACHED").await;
    let mine = app
        .expect(Method::GET, "/api/v1/users/@me/guilds", &owner, None, 200)
        .await;
    assert_eq!(mine.as_array().unwrap().len(), 2);
}
