//! `/guilds/{id}/channels` and `/channels/{id}`: creating each kind, editing, deleting, bulk moves, and
//! the permission overwrites that decide who can see a channel at all.

use hearth_server::bus::Audience;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    Backend, TestApp, assert_error, both_backends, perm, spawn_app, spawn_app_with,
};

both_backends!(
    each_channel_kind_is_created_with_its_own_fields_and_announced_to_its_viewers,
    a_channel_that_does_not_fit_its_kind_its_ranges_or_its_parent_is_refused,
    editing_a_channel_changes_only_what_is_sent_and_null_clears_the_topic,
    deleting_a_channel_frees_its_children_and_the_guilds_system_channel,
    bulk_moves_set_positions_and_parents_all_or_nothing_and_can_sync_overwrites,
    a_hidden_channel_is_indistinguishable_from_a_missing_one,
    overwrites_are_managed_only_within_the_callers_rank_and_permissions,
    a_refused_overwrite_names_the_offending_field,
    channel_and_overwrite_limits_are_enforced,
    a_bulk_move_cannot_reach_a_channel_the_mover_cannot_see,
    syncing_with_a_category_cannot_hand_out_permissions_the_mover_lacks,
);

/// Who receives an event about `channel`: the members who can view it.
fn viewers_of(channel: &Value) -> Audience {
    Audience::Channel {
        guild_id: channel["guild_id"].as_str().unwrap().parse().unwrap(),
        channel_id: channel["id"].as_str().unwrap().parse().unwrap(),
    }
}

/// The ids of the channels `token`'s user can see in the guild, in order.
async fn visible_channel_ids(app: &TestApp, token: &str, guild_id: &str) -> Vec<String> {
    let channels = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{guild_id}/channels"),
            token,
            None,
            200,
        )
        .await;
    channels
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn each_channel_kind_is_created_with_its_own_fields_and_announced_to_its_viewers(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let owner = app.owner().await;
    let guild = app.create_guild(&owner, "Hearthside").await;
    let gid = guild["id"].as_str().unwrap();
    let path = format!("/api/v1/guilds/{gid}/channels");
    let mut expected_order = visible_channel_ids(&app, &owner, gid).await;
    app.events();
    let create = |body: Value| app.expect(Method::POST, &path, &owner, Some(body), 201);

    let text = create(
        json!({"name": "  Off   Topic ", "topic": "anything goes", "nsfw": true,
        "rate_limit_per_user": 30}),
    )
    .await;
    assert_eq!(text["type"], 0);
    assert_eq!(text["name"], "off-topic", "text names become slugs");
    assert_eq!(text["guild_id"], gid);
    assert_eq!(text["topic"], "anything goes");
    assert_eq!(text["nsfw"], true);
    assert_eq!(text["rate_limit_per_user"], 30);
    assert_eq!(text["parent_id"], Value::Null);
    assert_eq!(text["permission_overwrites"], json!([]));
    assert!(text.get("bitrate").is_none() && text.get("user_limit").is_none());
    let event = app.expect_event("CHANNEL_CREATE");
    assert_eq!(event.data, text);
    assert_eq!(event.audience, viewers_of(&text));

    let voice = create(
        json!({"name": " Gaming Lounge ", "type": 2, "bitrate": 384000,
        "user_limit": 99}),
    )
    .await;
    assert_eq!(voice["type"], 2);
    assert_eq!(
        voice["name"], "Gaming Lounge",
        "voice names keep case and spaces"
    );
    assert_eq!(voice["bitrate"], 384000);
    assert_eq!(voice["user_limit"], 99);
    assert_eq!(voice["topic"], Value::Null);
    let event = app.expect_event("CHANNEL_CREATE");
    assert_eq!(event.audience, viewers_of(&voice));
    let quiet = create(json!({"name": "Quiet Room", "type": 2, "bitrate": 8000})).await;
    assert_eq!(quiet["bitrate"], 8000);
    assert_eq!(quiet["user_limit"], 0, "0 is unlimited and the default");
    let plain = create(json!({"name": "Plain", "type": 2})).await;
    assert_eq!(plain["bitrate"], 64000, "the default bitrate");

    let category = create(json!({"name": "Text Channels", "type": 4})).await;
    assert_eq!(category["type"], 4);
    assert_eq!(category["name"], "Text Channels");
    assert!(category.get("bitrate").is_none());
    let cid = category["id"].as_str().unwrap();

    let news = create(json!({"name": "News Feed", "type": 5, "parent_id": cid})).await;
    assert_eq!(news["type"], 5);
    assert_eq!(news["name"], "news-feed");
    assert_eq!(news["parent_id"], cid);

    let long_topic = "guidelines ".repeat(200);
    let forum = create(json!({"name": "Help", "type": 15, "topic": long_topic})).await;
    assert_eq!(forum["type"], 15);
    assert_eq!(forum["name"], "help");
    assert_eq!(
        forum["topic"],
        long_topic.trim_end(),
        "forum topics may exceed a text topic's 1024 characters"
    );
    let created: Vec<_> = app.events().iter().map(|e| e.name).collect();
    assert_eq!(created, ["CHANNEL_CREATE"; 5]);

    for channel in [&text, &voice, &quiet, &plain, &category, &news, &forum] {
        expected_order.push(channel["id"].as_str().unwrap().to_owned());
        let fetched = app
            .expect(
                Method::GET,
                &format!("/api/v1/channels/{}", channel["id"].as_str().unwrap()),
                &owner,
                None,
                200,
            )
            .await;
        assert_eq!(&fetched, channel);
    }
    assert_eq!(
        visible_channel_ids(&app, &owner, gid).await,
        expected_order,
        "new channels go to the end"
    );
}

async fn a_channel_that_does_not_fit_its_kind_its_ranges_or_its_parent_is_refused(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let owner = app.owner().await;
    let guild = app.create_guild(&owner, "Hearthside").await;
    let gid = guild["id"].as_str().unwrap();
    let path = format!("/api/v1/guilds/{gid}/channels");
    let general = guild["system_channel_id"].as_str().unwrap();
    let category = app
        .expect(
            Method::POST,
            &path,
            &owner,
            Some(json!({"name": "Area", "type": 4})),
            201,
        )
        .await;
    let cid = category["id"].as_str().unwrap();
    let elsewhere = app.create_guild(&owner, "Elsewhere").await;
    let foreign_category = app
        .expect(
            Method::POST,
            &format!(
                "/api/v1/guilds/{}/channels",
                elsewhere["id"].as_str().unwrap()
            ),
            &owner,
            Some(json!({"name": "Theirs", "type": 4})),
            201,
        )
        .await;
    let before = visible_channel_ids(&app, &owner, gid).await;
    app.events();

    let cases = [
        (json!({"name": "dm", "type": 1}), "type"),
        (json!({"name": "group", "type": 3}), "type"),
        (json!({"name": "stage", "type": 99}), "type"),
        (json!({"name": "what", "type": "x"}), "type"),
        (
            json!({"name": "Lounge", "type": 2, "topic": "music"}),
            "topic",
        ),
        (
            json!({"name": "Area 2", "type": 4, "topic": "stuff"}),
            "topic",
        ),
        (json!({"name": "chat", "bitrate": 64000}), "bitrate"),
        (json!({"name": "chat", "user_limit": 5}), "user_limit"),
        (
            json!({"name": "Lounge", "type": 2, "bitrate": 7999}),
            "bitrate",
        ),
        (
            json!({"name": "Lounge", "type": 2, "bitrate": 384_001}),
            "bitrate",
        ),
        (
            json!({"name": "Lounge", "type": 2, "user_limit": 100}),
            "user_limit",
        ),
        (
            json!({"name": "Lounge", "type": 2, "user_limit": -1}),
            "user_limit",
        ),
        (
            json!({"name": "chat", "rate_limit_per_user": 21_601}),
            "rate_limit_per_user",
        ),
        (
            json!({"name": "chat", "rate_limit_per_user": -1}),
            "rate_limit_per_user",
        ),
        (
            json!({"name": "Area 3", "type": 4, "rate_limit_per_user": 5}),
            "rate_limit_per_user",
        ),
        (json!({"name": "chat", "topic": "x".repeat(1025)}), "topic"),
        (json!({"name": "#general"}), "name"),
        (json!({"name": "   "}), "name"),
        (json!({"name": "chat", "position": -1}), "position"),
        (json!({"name": "child", "parent_id": general}), "parent_id"),
        (
            json!({"name": "Inner", "type": 4, "parent_id": cid}),
            "parent_id",
        ),
        (
            json!({"name": "child", "parent_id": foreign_category["id"]}),
            "parent_id",
        ),
        (
            json!({"name": "child", "parent_id": "123456789012345"}),
            "parent_id",
        ),
        (
            json!({"name": "child", "parent_id": "not-an-id"}),
            "parent_id",
        ),
    ];
    for (body, field) in cases {
        let response = app.post(&path, Some(&owner), body.clone()).await;
        let error = assert_error(response, 400, "VALIDATION_FAILED").await;
        assert!(
            error["error"]["fields"][field].is_string(),
            "{body} should be refused on {field}: {error}"
        );
    }
    let response = app
        .post(&path, Some(&owner), json!({"name": "chat", "colour": 3}))
        .await;
    assert_error(response, 400, "VALIDATION_FAILED").await;

    let edits = [
        (
            general.to_owned(),
            json!({"parent_id": guild["id"]}),
            "parent_id",
        ),
        (cid.to_owned(), json!({"parent_id": cid}), "parent_id"),
        (
            general.to_owned(),
            json!({"parent_id": foreign_category["id"]}),
            "parent_id",
        ),
    ];
    for (channel, body, field) in edits {
        let response = app
            .patch(
                &format!("/api/v1/channels/{channel}"),
                Some(&owner),
                body.clone(),
            )
            .await;
        let error = assert_error(response, 400, "VALIDATION_FAILED").await;
        assert!(
            error["error"]["fields"][field].is_string(),
            "{body}: {error}"
        );
    }
    assert!(
        app.events().is_empty(),
        "a refused request publishes nothing"
    );
    assert_eq!(visible_channel_ids(&app, &owner, gid).await, before);
    let general_now = app
        .expect(
            Method::GET,
            &format!("/api/v1/channels/{general}"),
            &owner,
            None,
            200,
        )
        .await;
    assert_eq!(general_now["parent_id"], Value::Null);
}

async fn editing_a_channel_changes_only_what_is_sent_and_null_clears_the_topic(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, _, guild) = app.two_users_in_a_guild().await;
    let gid = guild["id"].as_str().unwrap();
    let general = guild["system_channel_id"].as_str().unwrap();
    let general_path = format!("/api/v1/channels/{general}");
    let category = app
        .expect(
            Method::POST,
            &format!("/api/v1/guilds/{gid}/channels"),
            &owner,
            Some(json!({"name": "Area", "type": 4})),
            201,
        )
        .await;
    app.events();

    let edited = app
        .expect(
            Method::PATCH,
            &general_path,
            &owner,
            Some(
                json!({"name": "Main Hall", "topic": "welcome", "nsfw": true,
                "rate_limit_per_user": 10, "position": 5, "parent_id": category["id"]}),
            ),
            200,
        )
        .await;
    assert_eq!(edited["name"], "main-hall");
    assert_eq!(edited["topic"], "welcome");
    assert_eq!(edited["nsfw"], true);
    assert_eq!(edited["rate_limit_per_user"], 10);
    assert_eq!(edited["position"], 5);
    assert_eq!(edited["parent_id"], category["id"]);
    let event = app.expect_event("CHANNEL_UPDATE");
    assert_eq!(event.data, edited);
    assert_eq!(event.audience, viewers_of(&edited));

    let cleared = app
        .expect(
            Method::PATCH,
            &general_path,
            &owner,
            Some(json!({"topic": null, "parent_id": null})),
            200,
        )
        .await;
    assert_eq!(cleared["topic"], Value::Null);
    assert_eq!(cleared["parent_id"], Value::Null);
    assert_eq!(
        cleared["name"], "main-hall",
        "absent fields stay as they are"
    );
    assert_eq!(cleared["nsfw"], true);
    assert_eq!(cleared["rate_limit_per_user"], 10);
    app.expect(
        Method::PATCH,
        &general_path,
        &owner,
        Some(json!({"topic": "back"})),
        200,
    )
    .await;
    let emptied = app
        .expect(
            Method::PATCH,
            &general_path,
            &owner,
            Some(json!({"topic": "  "})),
            200,
        )
        .await;
    assert_eq!(emptied["topic"], Value::Null, "a blank topic clears it");
    app.events();

    let voice = app
        .expect(
            Method::POST,
            &format!("/api/v1/guilds/{gid}/channels"),
            &owner,
            Some(json!({"name": "Lounge", "type": 2})),
            201,
        )
        .await;
    let voice_path = format!("/api/v1/channels/{}", voice["id"].as_str().unwrap());
    let louder = app
        .expect(
            Method::PATCH,
            &voice_path,
            &owner,
            Some(json!({"name": "Big Room", "bitrate": 128000, "user_limit": 10})),
            200,
        )
        .await;
    assert_eq!(louder["name"], "Big Room");
    assert_eq!(louder["bitrate"], 128000);
    assert_eq!(louder["user_limit"], 10);
    app.events();

    let refusals = [
        (&voice_path, json!({"topic": "music"}), "topic"),
        (&voice_path, json!({"bitrate": 400_000}), "bitrate"),
        (&general_path, json!({"bitrate": 64000}), "bitrate"),
        (&general_path, json!({"user_limit": 2}), "user_limit"),
        (&general_path, json!({"name": "a:b"}), "name"),
        (
            &general_path,
            json!({"rate_limit_per_user": 30_000}),
            "rate_limit_per_user",
        ),
    ];
    for (path, body, field) in refusals {
        let response = app.patch(path, Some(&owner), body.clone()).await;
        let error = assert_error(response, 400, "VALIDATION_FAILED").await;
        assert!(
            error["error"]["fields"][field].is_string(),
            "{body}: {error}"
        );
    }
    let response = app
        .patch(&general_path, Some(&owner), json!({"nmae": "typo"}))
        .await;
    assert_error(response, 400, "VALIDATION_FAILED").await;

    let response = app
        .patch(&general_path, Some(&member), json!({"name": "mine"}))
        .await;
    assert_error(response, 403, "MISSING_PERMISSIONS").await;
    let response = app.delete(&general_path, Some(&member)).await;
    assert_error(response, 403, "MISSING_PERMISSIONS").await;
    let response = app
        .post(
            &format!("/api/v1/guilds/{gid}/channels"),
            Some(&member),
            json!({"name": "mine"}),
        )
        .await;
    assert_error(response, 403, "MISSING_PERMISSIONS").await;
    assert!(app.events().is_empty());
    let unchanged = app
        .expect(Method::GET, &general_path, &member, None, 200)
        .await;
    assert_eq!(unchanged["name"], "main-hall");
}

async fn deleting_a_channel_frees_its_children_and_the_guilds_system_channel(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner().await;
    let guild = app.create_guild(&owner, "Hearthside").await;
    let gid = guild["id"].as_str().unwrap();
    let path = format!("/api/v1/guilds/{gid}/channels");
    let category = app
        .expect(
            Method::POST,
            &path,
            &owner,
            Some(json!({"name": "Area", "type": 4})),
            201,
        )
        .await;
    let cid = category["id"].as_str().unwrap();
    let mut children = Vec::new();
    for body in [
        json!({"name": "inside", "parent_id": cid}),
        json!({"name": "Inside Voice", "type": 2, "parent_id": cid}),
    ] {
        children.push(
            app.expect(Method::POST, &path, &owner, Some(body), 201)
                .await,
        );
    }
    app.events();

    let deleted = app
        .expect(
            Method::DELETE,
            &format!("/api/v1/channels/{cid}"),
            &owner,
            None,
            200,
        )
        .await;
    assert_eq!(deleted, category, "the answer is the deleted channel");
    let events = app.events();
    let names: Vec<_> = events.iter().map(|e| e.name).collect();
    assert_eq!(
        names,
        ["CHANNEL_DELETE", "CHANNEL_UPDATE", "CHANNEL_UPDATE"]
    );
    assert_eq!(events[0].data["id"], cid);
    assert_eq!(events[0].audience, viewers_of(&category));
    for (update, child) in events[1..].iter().zip(&children) {
        assert_eq!(
            update.data["id"], child["id"],
            "each child learns it left the category"
        );
        assert_eq!(update.data["parent_id"], Value::Null);
    }
    for child in &children {
        let fetched = app
            .expect(
                Method::GET,
                &format!("/api/v1/channels/{}", child["id"].as_str().unwrap()),
                &owner,
                None,
                200,
            )
            .await;
        assert_eq!(
            fetched["parent_id"],
            Value::Null,
            "children move to the top level"
        );
    }
    let response = app
        .get(&format!("/api/v1/channels/{cid}"), Some(&owner))
        .await;
    assert_error(response, 404, "UNKNOWN_CHANNEL").await;
    let response = app
        .delete(&format!("/api/v1/channels/{cid}"), Some(&owner))
        .await;
    assert_error(response, 404, "UNKNOWN_CHANNEL").await;
    assert!(
        !visible_channel_ids(&app, &owner, gid)
            .await
            .contains(&cid.to_owned())
    );

    let general = guild["system_channel_id"].as_str().unwrap();
    app.expect(
        Method::DELETE,
        &format!("/api/v1/channels/{general}"),
        &owner,
        None,
        200,
    )
    .await;
    let after = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{gid}"),
            &owner,
            None,
            200,
        )
        .await;
    assert_eq!(after["system_channel_id"], Value::Null);
    let update = app.expect_event("GUILD_UPDATE");
    assert_eq!(update.data["system_channel_id"], Value::Null);

    // Only a text channel can take its place.
    let voice = app
        .expect(
            Method::POST,
            &path,
            &owner,
            Some(json!({"name": "Talk", "type": 2})),
            201,
        )
        .await;
    let response = app
        .patch(
            &format!("/api/v1/guilds/{gid}"),
            Some(&owner),
            json!({"system_channel_id": voice["id"]}),
        )
        .await;
    let error = assert_error(response, 400, "VALIDATION_FAILED").await;
    assert!(
        error["error"]["fields"]["system_channel_id"].is_string(),
        "{error}"
    );
}

async fn bulk_moves_set_positions_and_parents_all_or_nothing_and_can_sync_overwrites(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, member, _, guild) = app.two_users_in_a_guild().await;
    let gid = guild["id"].as_str().unwrap();
    let path = format!("/api/v1/guilds/{gid}/channels");
    let staff = app.create_role(&owner, gid, "staff", 0).await;
    let category = app
        .expect(
            Method::POST,
            &path,
            &owner,
            Some(json!({"name": "Staff Area", "type": 4})),
            201,
        )
        .await;
    let cid = category["id"].as_str().unwrap();
    for (target, body) in [
        (
            gid,
            json!({"type": 0, "deny": perm::SEND_MESSAGES.to_string()}),
        ),
        (
            staff["id"].as_str().unwrap(),
            json!({"type": 0, "allow": perm::SEND_MESSAGES.to_string()}),
        ),
    ] {
        app.expect(
            Method::PUT,
            &format!("/api/v1/channels/{cid}/permissions/{target}"),
            &owner,
            Some(body),
            204,
        )
        .await;
    }
    let category = app
        .expect(
            Method::GET,
            &format!("/api/v1/channels/{cid}"),
            &owner,
            None,
            200,
        )
        .await;
    let plans = app
        .expect(
            Method::POST,
            &path,
            &owner,
            Some(json!({"name": "plans"})),
            201,
        )
        .await;
    let plans_id = plans["id"].as_str().unwrap();
    let plans_path = format!("/api/v1/channels/{plans_id}");
    let general = guild["system_channel_id"].as_str().unwrap();
    app.events();

    app.expect(
        Method::PATCH,
        &path,
        &owner,
        Some(json!([
            {"id": plans_id, "position": 3, "parent_id": cid, "lock_permissions": true},
            {"id": general, "position": 9},
        ])),
        204,
    )
    .await;
    let moved = app
        .expect(Method::GET, &plans_path, &owner, None, 200)
        .await;
    assert_eq!(moved["position"], 3);
    assert_eq!(moved["parent_id"], cid);
    assert_eq!(
        moved["permission_overwrites"], category["permission_overwrites"],
        "lock_permissions copies the category's overwrites"
    );
    let events = app.events();
    let updated: Vec<_> = events
        .iter()
        .map(|e| (e.name, e.data["id"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        updated,
        [
            ("CHANNEL_UPDATE", plans_id.to_owned()),
            ("CHANNEL_UPDATE", general.to_owned())
        ]
    );
    assert_eq!(events[0].data, moved);
    assert_eq!(events[0].audience, viewers_of(&moved));
    let general_now = app
        .expect(
            Method::GET,
            &format!("/api/v1/channels/{general}"),
            &owner,
            None,
            200,
        )
        .await;
    assert_eq!(general_now["position"], 9);
    assert_eq!(general_now["permission_overwrites"], json!([]));

    app.expect(
        Method::PATCH,
        &path,
        &owner,
        Some(json!([{"id": plans_id, "parent_id": null}])),
        204,
    )
    .await;
    let top_level = app
        .expect(Method::GET, &plans_path, &owner, None, 200)
        .await;
    assert_eq!(top_level["parent_id"], Value::Null);
    assert_eq!(top_level["position"], 3, "an absent position stays");
    assert_eq!(
        top_level["permission_overwrites"], category["permission_overwrites"],
        "without lock_permissions the overwrites stay"
    );
    app.events();

    let refusals = [
        (json!([{"id": "123456789012345", "position": 1}]), "[0].id"),
        (
            json!([{"id": plans_id, "position": 50}, {"id": "123456789012345"}]),
            "[1].id",
        ),
        (json!([{"id": plans_id}, {"id": plans_id}]), "[1].id"),
        (json!([{"id": cid, "parent_id": cid}]), "[0].parent_id"),
        (json!([{"id": plans_id, "position": -1}]), "[0].position"),
        (json!([]), "body"),
        // Valid in shape, refused by the store: the first move must be rolled back.
        (
            json!([{"id": plans_id, "position": 50}, {"id": general, "parent_id": general}]),
            "parent_id",
        ),
    ];
    for (body, field) in refusals {
        let response = app.patch(&path, Some(&owner), body.clone()).await;
        let error = assert_error(response, 400, "VALIDATION_FAILED").await;
        assert!(
            error["error"]["fields"][field].is_string(),
            "{body}: {error}"
        );
    }
    let response = app
        .patch(
            &path,
            Some(&member),
            json!([{"id": plans_id, "position": 0}]),
        )
        .await;
    assert_error(response, 403, "MISSING_PERMISSIONS").await;
    assert!(app.events().is_empty());
    let unchanged = app
        .expect(Method::GET, &plans_path, &owner, None, 200)
        .await;
    assert_eq!(unchanged, top_level, "a refused move changes nothing");
}

async fn a_hidden_channel_is_indistinguishable_from_a_missing_one(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let gid = guild["id"].as_str().unwrap();
    let secret = app
        .expect(
            Method::POST,
            &format!("/api/v1/guilds/{gid}/channels"),
            &owner,
            Some(json!({"name": "secret"})),
            201,
        )
        .await;
    let sid = secret["id"].as_str().unwrap();
    let secret_path = format!("/api/v1/channels/{sid}");
    app.events();

    let hide = json!({"type": 0, "deny": perm::VIEW_CHANNEL.to_string()});
    app.expect(
        Method::PUT,
        &format!("{secret_path}/permissions/{gid}"),
        &owner,
        Some(hide),
        204,
    )
    .await;
    let event = app.expect_event("CHANNEL_UPDATE");
    assert_eq!(event.audience, viewers_of(&secret));
    assert_eq!(
        event.data["permission_overwrites"],
        json!([{"id": gid, "type": 0, "allow": "0", "deny": perm::VIEW_CHANNEL.to_string()}])
    );

    let hidden = app.get(&secret_path, Some(&member)).await;
    let hidden = assert_error(hidden, 404, "UNKNOWN_CHANNEL").await;
    let missing = app
        .get("/api/v1/channels/123456789012345", Some(&member))
        .await;
    let missing = assert_error(missing, 404, "UNKNOWN_CHANNEL").await;
    assert_eq!(
        hidden, missing,
        "a hidden channel answers exactly like a missing one"
    );
    let response = app
        .patch(&secret_path, Some(&member), json!({"name": "found"}))
        .await;
    assert_error(response, 404, "UNKNOWN_CHANNEL").await;
    let response = app.delete(&secret_path, Some(&member)).await;
    assert_error(response, 404, "UNKNOWN_CHANNEL").await;
    let response = app
        .put(
            &format!("{secret_path}/permissions/{member_id}"),
            Some(&member),
            Some(json!({"type": 1, "allow": perm::VIEW_CHANNEL.to_string()})),
        )
        .await;
    assert_error(response, 404, "UNKNOWN_CHANNEL").await;
    assert!(
        !visible_channel_ids(&app, &member, gid)
            .await
            .contains(&sid.to_owned())
    );
    assert!(
        visible_channel_ids(&app, &owner, gid)
            .await
            .contains(&sid.to_owned())
    );
    app.expect(Method::GET, &secret_path, &owner, None, 200)
        .await;

    let staff = app.create_role(&owner, gid, "staff", 0).await;
    let staff_id = staff["id"].as_str().unwrap();
    app.expect(
        Method::PUT,
        &format!("{secret_path}/permissions/{staff_id}"),
        &owner,
        Some(json!({"type": 0, "allow": perm::VIEW_CHANNEL.to_string()})),
        204,
    )
    .await;
    app.grant_role(&owner, gid, &member_id, staff_id).await;
    let seen = app
        .expect(Method::GET, &secret_path, &member, None, 200)
        .await;
    assert_eq!(seen["id"], sid, "a role allow beats the @everyone deny");
    assert!(
        visible_channel_ids(&app, &member, gid)
            .await
            .contains(&sid.to_owned())
    );

    app.expect(
        Method::PUT,
        &format!("{secret_path}/permissions/{member_id}"),
        &owner,
        Some(json!({"type": 1, "deny": perm::VIEW_CHANNEL.to_string()})),
        204,
    )
    .await;
    let response = app.get(&secret_path, Some(&member)).await;
    assert_error(response, 404, "UNKNOWN_CHANNEL").await;
    assert!(
        !visible_channel_ids(&app, &member, gid)
            .await
            .contains(&sid.to_owned()),
        "a member deny beats a role allow"
    );
    app.expect(
        Method::DELETE,
        &format!("{secret_path}/permissions/{member_id}"),
        &owner,
        None,
        204,
    )
    .await;
    app.expect(Method::GET, &secret_path, &member, None, 200)
        .await;

    let (outsider, _) = app.register("outsider", None).await;
    let general = guild["system_channel_id"].as_str().unwrap();
    for path in [format!("/api/v1/channels/{general}"), secret_path.clone()] {
        let response = app.get(&path, Some(&outsider)).await;
        assert_error(response, 404, "UNKNOWN_CHANNEL").await;
    }
    for path in [
        format!("/api/v1/guilds/{gid}"),
        format!("/api/v1/guilds/{gid}/channels"),
        format!("/api/v1/guilds/{gid}/roles"),
    ] {
        let response = app.get(&path, Some(&outsider)).await;
        assert_error(response, 404, "UNKNOWN_GUILD").await;
    }
    let response = app
        .post(
            &format!("/api/v1/guilds/{gid}/channels"),
            Some(&outsider),
            json!({"name": "mine"}),
        )
        .await;
    assert_error(response, 404, "UNKNOWN_GUILD").await;
}

async fn overwrites_are_managed_only_within_the_callers_rank_and_permissions(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let owner_id = guild["owner_id"].as_str().unwrap();
    let gid = guild["id"].as_str().unwrap();
    let general = guild["system_channel_id"].as_str().unwrap();
    let at = |target: &str| format!("/api/v1/channels/{general}/permissions/{target}");
    let boss = app.create_role(&owner, gid, "boss", 0).await;
    let moderator = app
        .create_role(&owner, gid, "moderator", perm::MANAGE_ROLES)
        .await;
    let low = app.create_role(&owner, gid, "low", 0).await;
    let (boss, moderator, low) = (
        boss["id"].as_str().unwrap(),
        moderator["id"].as_str().unwrap(),
        low["id"].as_str().unwrap(),
    );
    let deny_send = json!({"type": 0, "deny": perm::SEND_MESSAGES.to_string()});
    app.events();

    let response = app
        .put(&at(gid), Some(&member), Some(deny_send.clone()))
        .await;
    assert_error(response, 403, "MISSING_PERMISSIONS").await;

    app.grant_role(&owner, gid, &member_id, moderator).await;
    app.events();
    let refused = [
        (
            gid,
            json!({"type": 0, "allow": perm::MANAGE_MESSAGES.to_string()}),
        ),
        (boss, deny_send.clone()),
        (moderator, deny_send.clone()),
        (
            owner_id,
            json!({"type": 1, "deny": perm::SEND_MESSAGES.to_string()}),
        ),
    ];
    for (target, body) in refused {
        let response = app
            .put(&at(target), Some(&member), Some(body.clone()))
            .await;
        assert_error(response, 403, "ROLE_HIERARCHY").await;
    }
    assert!(app.events().is_empty());

    app.expect(Method::PUT, &at(gid), &member, Some(deny_send.clone()), 204)
        .await;
    let event = app.expect_event("CHANNEL_UPDATE");
    assert_eq!(event.data["id"], general);
    let view = json!({"type": 0, "allow": perm::VIEW_CHANNEL.to_string()});
    app.expect(Method::PUT, &at(low), &member, Some(view), 204)
        .await;
    let own = json!({"type": 1, "allow": perm::SEND_MESSAGES.to_string()});
    app.expect(Method::PUT, &at(&member_id), &member, Some(own), 204)
        .await;
    app.expect(Method::PUT, &at(boss), &owner, Some(deny_send.clone()), 204)
        .await;
    let channel = app
        .expect(
            Method::GET,
            &format!("/api/v1/channels/{general}"),
            &owner,
            None,
            200,
        )
        .await;
    let mut targets: Vec<_> = channel["permission_overwrites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["id"].as_str().unwrap().to_owned(),
                o["type"].as_i64().unwrap(),
            )
        })
        .collect();
    targets.sort();
    let mut expected = vec![
        (gid.to_owned(), 0),
        (low.to_owned(), 0),
        (member_id.clone(), 1),
        (boss.to_owned(), 0),
    ];
    expected.sort();
    assert_eq!(targets, expected);
    let updates: Vec<_> = app.events().iter().map(|e| e.name).collect();
    assert_eq!(updates, ["CHANNEL_UPDATE"; 3], "one per overwrite put");

    // Which field each refusal names is checked in `a_refused_overwrite_names_the_offending_field`.
    for body in [
        json!({"type": 0, "allow": perm::ADMINISTRATOR.to_string()}),
        json!({"type": 0, "deny": perm::ADMINISTRATOR.to_string()}),
        json!({"type": 0, "allow": "abc"}),
        json!({"type": 2}),
    ] {
        let response = app.put(&at(low), Some(&owner), Some(body)).await;
        assert_error(response, 400, "VALIDATION_FAILED").await;
    }
    let response = app
        .put(&at(low), Some(&owner), Some(json!({"allow": "0"})))
        .await;
    assert_error(response, 400, "VALIDATION_FAILED").await;
    let response = app
        .put(
            &at("123456789012345"),
            Some(&owner),
            Some(deny_send.clone()),
        )
        .await;
    assert_error(response, 404, "UNKNOWN_ROLE").await;
    let response = app
        .put(
            &at(low),
            Some(&owner),
            Some(json!({"type": 1, "deny": "0"})),
        )
        .await;
    assert_error(response, 404, "UNKNOWN_MEMBER").await;
    let response = app
        .put(
            &at(&member_id),
            Some(&owner),
            Some(json!({"type": 0, "deny": "0"})),
        )
        .await;
    assert_error(response, 404, "UNKNOWN_ROLE").await;

    let response = app.delete(&at("123456789012345"), Some(&owner)).await;
    assert_error(response, 404, "UNKNOWN_OVERWRITE").await;
    let response = app.delete(&at(boss), Some(&member)).await;
    assert_error(response, 403, "ROLE_HIERARCHY").await;
    assert!(app.events().is_empty());
    app.expect(Method::DELETE, &at(low), &member, None, 204)
        .await;
    let event = app.expect_event("CHANNEL_UPDATE");
    let remaining = event.data["permission_overwrites"].as_array().unwrap();
    assert!(remaining.iter().all(|o| o["id"] != low));
    assert_eq!(remaining.len(), 3);
}

async fn channel_and_overwrite_limits_are_enforced(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.limits.channels_per_guild = 3;
        c.limits.overwrites_per_channel = 2;
    })
    .await;
    let owner = app.owner().await;
    let guild = app.create_guild(&owner, "Hearthside").await;
    let gid = guild["id"].as_str().unwrap();
    let path = format!("/api/v1/guilds/{gid}/channels");
    let first = app.create_role(&owner, gid, "first", 0).await;
    let second = app.create_role(&owner, gid, "second", 0).await;
    let overwrite =
        |id: &Value| json!({"id": id, "type": 0, "deny": perm::SEND_MESSAGES.to_string()});
    app.events();

    let too_many = json!({"name": "busy", "permission_overwrites": [
        overwrite(&guild["id"]), overwrite(&first["id"]), overwrite(&second["id"])]});
    let response = app.post(&path, Some(&owner), too_many).await;
    assert_error(response, 400, "LIMIT_REACHED").await;
    let enough = json!({"name": "busy", "permission_overwrites": [
        overwrite(&guild["id"]), overwrite(&first["id"])]});
    let channel = app
        .expect(Method::POST, &path, &owner, Some(enough), 201)
        .await;
    assert_eq!(
        channel["permission_overwrites"].as_array().unwrap().len(),
        2
    );
    app.events();
    let response = app
        .post(&path, Some(&owner), json!({"name": "one-more"}))
        .await;
    assert_error(response, 400, "LIMIT_REACHED").await;

    let at = |target: &Value| {
        format!(
            "/api/v1/channels/{}/permissions/{}",
            channel["id"].as_str().unwrap(),
            target.as_str().unwrap()
        )
    };
    let body = json!({"type": 0, "allow": perm::SEND_MESSAGES.to_string()});
    let response = app
        .put(&at(&second["id"]), Some(&owner), Some(body.clone()))
        .await;
    assert_error(response, 400, "LIMIT_REACHED").await;
    assert!(app.events().is_empty());
    app.expect(Method::PUT, &at(&first["id"]), &owner, Some(body), 204)
        .await;
    let fetched = app
        .expect(
            Method::GET,
            &format!("/api/v1/channels/{}", channel["id"].as_str().unwrap()),
            &owner,
            None,
            200,
        )
        .await;
    let first_overwrite = fetched["permission_overwrites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == first["id"])
        .unwrap()
        .clone();
    assert_eq!(
        first_overwrite["allow"],
        perm::SEND_MESSAGES.to_string(),
        "replacing an existing overwrite is allowed at the limit"
    );
    assert_eq!(first_overwrite["deny"], "0");
}

async fn a_refused_overwrite_names_the_offending_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner().await;
    let guild = app.create_guild(&owner, "Hearthside").await;
    let gid = guild["id"].as_str().unwrap();
    let general = guild["system_channel_id"].as_str().unwrap();
    let administrator = perm::ADMINISTRATOR.to_string();

    let response = app
        .post(
            &format!("/api/v1/guilds/{gid}/channels"),
            Some(&owner),
            json!({"name": "x", "permission_overwrites": [
                {"id": gid, "type": 0, "allow": administrator}]}),
        )
        .await;
    let error = assert_error(response, 400, "VALIDATION_FAILED").await;
    assert_eq!(
        error["error"]["fields"],
        json!({"permission_overwrites[0].allow": "ADMINISTRATOR cannot be set in an overwrite"})
    );

    let at = |target: &str| format!("/api/v1/channels/{general}/permissions/{target}");
    let cases = [
        (at(gid), json!({"type": 0, "allow": administrator}), "allow"),
        (at(gid), json!({"type": 0, "deny": administrator}), "deny"),
        (at(gid), json!({"type": 0, "allow": "abc"}), "allow"),
        (at(gid), json!({"type": 2}), "type"),
        (at("abc"), json!({"type": 0}), "overwrite_id"),
    ];
    for (path, body, field) in cases {
        let response = app.put(&path, Some(&owner), Some(body.clone())).await;
        let error = assert_error(response, 400, "VALIDATION_FAILED").await;
        let named: Vec<_> = error["error"]["fields"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(named, [field], "PUT {path} {body}");
    }
}

async fn a_bulk_move_cannot_reach_a_channel_the_mover_cannot_see(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let gid = guild["id"].as_str().unwrap();
    let path = format!("/api/v1/guilds/{gid}/channels");
    app.give_role(
        &owner,
        gid,
        &member_id,
        "arranger",
        perm::MANAGE_CHANNELS | perm::MANAGE_ROLES,
    )
    .await;
    let open = app
        .expect(
            Method::POST,
            &path,
            &owner,
            Some(json!({"name": "Open", "type": 4})),
            201,
        )
        .await;
    let hide = json!({"id": gid, "type": 0, "deny": perm::VIEW_CHANNEL.to_string()});
    let staff = app
        .expect(
            Method::POST,
            &path,
            &owner,
            Some(json!({"name": "staff-only", "permission_overwrites": [hide]})),
            201,
        )
        .await;
    let staff_path = format!("/api/v1/channels/{}", staff["id"].as_str().unwrap());
    assert_error(
        app.get(&staff_path, Some(&member)).await,
        404,
        "UNKNOWN_CHANNEL",
    )
    .await;
    app.events();

    // Syncing the hidden channel with an open category would unhide it.
    let response = app
        .patch(
            &path,
            Some(&member),
            json!([{"id": staff["id"], "parent_id": open["id"], "lock_permissions": true}]),
        )
        .await;
    let error = assert_error(response, 400, "VALIDATION_FAILED").await;
    assert!(
        error["error"]["fields"]["[0].id"].is_string(),
        "a channel the mover cannot see is answered like a missing one: {error}"
    );
    assert!(app.events().is_empty());
    let unchanged = app
        .expect(Method::GET, &staff_path, &owner, None, 200)
        .await;
    assert_eq!(unchanged, staff);
    assert_error(
        app.get(&staff_path, Some(&member)).await,
        404,
        "UNKNOWN_CHANNEL",
    )
    .await;

    // The same request for a channel they can see goes through.
    let general = guild["system_channel_id"].as_str().unwrap();
    app.expect(
        Method::PATCH,
        &path,
        &member,
        Some(json!([{"id": general, "parent_id": open["id"], "lock_permissions": true}])),
        204,
    )
    .await;
}

async fn syncing_with_a_category_cannot_hand_out_permissions_the_mover_lacks(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let gid = guild["id"].as_str().unwrap();
    let path = format!("/api/v1/guilds/{gid}/channels");
    app.give_role(
        &owner,
        gid,
        &member_id,
        "arranger",
        perm::MANAGE_CHANNELS | perm::MANAGE_ROLES,
    )
    .await;
    // A category granting MANAGE_MESSAGES to everyone. The mover does not hold MANAGE_MESSAGES, so
    // copying that overwrite onto another channel hands out a permission they lack, which the same
    // overwrite sent with PUT is refused for.
    let grant = json!({"id": gid, "type": 0, "allow": perm::MANAGE_MESSAGES.to_string()});
    let lenient = app
        .expect(
            Method::POST,
            &path,
            &owner,
            Some(json!({"name": "Lenient", "type": 4, "permission_overwrites": [grant]})),
            201,
        )
        .await;
    let general = guild["system_channel_id"].as_str().unwrap();
    app.events();

    let response = app
        .put(
            &format!("/api/v1/channels/{general}/permissions/{gid}"),
            Some(&member),
            Some(json!({"type": 0, "allow": perm::MANAGE_MESSAGES.to_string()})),
        )
        .await;
    assert_error(response, 403, "ROLE_HIERARCHY").await;
    let response = app
        .patch(
            &path,
            Some(&member),
            json!([{"id": general, "parent_id": lenient["id"], "lock_permissions": true}]),
        )
        .await;
    assert_error(response, 403, "ROLE_HIERARCHY").await;
    let response = app
        .patch(
            &format!("/api/v1/channels/{general}"),
            Some(&member),
            json!({"parent_id": lenient["id"], "lock_permissions": true}),
        )
        .await;
    assert_error(response, 403, "ROLE_HIERARCHY").await;
    assert!(app.events().is_empty());
    let general_now = app
        .expect(
            Method::GET,
            &format!("/api/v1/channels/{general}"),
            &owner,
            None,
            200,
        )
        .await;
    assert_eq!(general_now["permission_overwrites"], json!([]));
    assert_eq!(general_now["parent_id"], Value::Null);
}
