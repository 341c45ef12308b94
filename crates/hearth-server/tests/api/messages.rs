//! `/channels/{id}/messages`: sending (content bounds, nonces, replies, mentions, slow mode) and
//! history pages, with the event each send publishes. The scenario helpers here are shared with
//! `message_changes.rs`, `read_states.rs`, `reactions.rs` and `pins.rs`.

use hearth_server::bus::Audience;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, assert_error, both_backends, perm, spawn_app};

both_backends!(
    a_sent_message_is_answered_in_discords_shape_and_announced_to_the_channel,
    content_must_be_one_to_four_thousand_characters_of_text,
    history_pages_come_newest_first_in_every_mode,
    a_repeated_nonce_answers_the_first_message_and_publishes_nothing,
    concurrent_sends_with_one_nonce_store_exactly_one_message,
    concurrent_sends_from_several_users_keep_one_order,
    a_reply_points_at_a_message_of_the_same_channel,
    mentions_take_effect_only_where_the_author_may_make_them,
    members_who_cannot_view_send_or_read_get_the_matching_answer,
    only_categories_and_forums_refuse_messages,
    slow_mode_refuses_early_sends_with_retry_after_and_spares_moderators,
);

/// Permission bits these tests name beyond `helpers::perm`.
pub mod bits {
    pub const ADD_REACTIONS: u64 = 1 << 6;
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    pub const PIN_MESSAGES: u64 = 1 << 51;
    pub const BYPASS_SLOWMODE: u64 = 1 << 52;
}

/// A guild with its owner and a member, and its `general` channel.
pub struct Room {
    pub owner: String,
    pub member: String,
    pub member_id: String,
    pub owner_id: String,
    pub guild_id: String,
    pub channel: String,
}

pub async fn room(app: &TestApp) -> Room {
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    Room {
        owner,
        member,
        member_id,
        owner_id: guild["owner_id"].as_str().unwrap().to_owned(),
        guild_id: guild["id"].as_str().unwrap().to_owned(),
        channel: guild["system_channel_id"].as_str().unwrap().to_owned(),
    }
}

pub fn messages_path(channel: &str) -> String {
    format!("/api/v1/channels/{channel}/messages")
}

/// Sends `content` as `token`'s user (which must succeed); returns the message.
pub async fn say(app: &TestApp, token: &str, channel: &str, content: &str) -> Value {
    send(app, token, channel, json!({"content": content})).await
}

/// Sends `body` (which must answer 201); returns the message.
pub async fn send(app: &TestApp, token: &str, channel: &str, body: Value) -> Value {
    app.expect(
        Method::POST,
        &messages_path(channel),
        token,
        Some(body),
        201,
    )
    .await
}

pub fn id_of(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_owned()
}

/// The audience of events about a channel: whoever can view it.
pub fn viewers(room: &Room, channel: &str) -> Audience {
    Audience::Channel {
        guild_id: room.guild_id.parse().unwrap(),
        channel_id: channel.parse().unwrap(),
    }
}

/// Sets the @everyone overwrite of `channel` to deny `deny` (and allow nothing extra).
pub async fn deny_everyone(app: &TestApp, room: &Room, channel: &str, deny: u64) {
    app.expect(
        Method::PUT,
        &format!("/api/v1/channels/{channel}/permissions/{}", room.guild_id),
        &room.owner,
        Some(json!({"type": 0, "allow": "0", "deny": deny.to_string()})),
        204,
    )
    .await;
    app.events();
}

pub fn ids(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(id_of).collect()
}

/// `GET` a history page (`query` starts with `?` or is empty), which must answer 200.
pub async fn list(app: &TestApp, token: &str, channel: &str, query: &str) -> Value {
    app.expect(
        Method::GET,
        &format!("{}{query}", messages_path(channel)),
        token,
        None,
        200,
    )
    .await
}

async fn a_sent_message_is_answered_in_discords_shape_and_announced_to_the_channel(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let sent = send(
        &app,
        &room.member,
        &room.channel,
        json!({"content": "  hello **world**\n", "nonce": "n-1", "tts": true}),
    )
    .await;
    assert_eq!(sent["content"], "  hello **world**\n", "stored as written");
    assert_eq!(sent["channel_id"], room.channel.as_str());
    assert_eq!(sent["author"]["id"], room.member_id.as_str());
    assert_eq!(sent["author"]["username"], "member");
    assert_eq!(sent["type"], 0);
    assert_eq!(sent["nonce"], "n-1");
    for (field, value) in [
        ("edited_timestamp", Value::Null),
        ("tts", json!(false)),
        ("mention_everyone", json!(false)),
        ("mentions", json!([])),
        ("mention_roles", json!([])),
        ("attachments", json!([])),
        ("embeds", json!([])),
        ("reactions", json!([])),
        ("pinned", json!(false)),
        ("flags", json!(0)),
    ] {
        assert_eq!(sent[field], value, "{field}");
    }
    assert!(sent["timestamp"].as_str().unwrap().ends_with('Z'));
    assert!(sent.get("message_reference").is_none() && sent.get("referenced_message").is_none());

    let event = app.expect_event("MESSAGE_CREATE");
    assert_eq!(event.audience, viewers(&room, &room.channel));
    assert_eq!(event.data["guild_id"], room.guild_id.as_str());
    let mut expected = sent.clone();
    expected.as_object_mut().unwrap().remove("reactions");
    expected["guild_id"] = json!(room.guild_id);
    assert_eq!(event.data, expected);

    let channel = app
        .expect(
            Method::GET,
            &format!("/api/v1/channels/{}", room.channel),
            &room.owner,
            None,
            200,
        )
        .await;
    assert_eq!(channel["last_message_id"], sent["id"]);
    let fetched = app
        .expect(
            Method::GET,
            &format!("{}/{}", messages_path(&room.channel), id_of(&sent)),
            &room.owner,
            None,
            200,
        )
        .await;
    let mut without_nonce = sent.clone();
    without_nonce.as_object_mut().unwrap().remove("nonce");
    assert_eq!(
        fetched, without_nonce,
        "the nonce is echoed only to the send"
    );
    let missing = app
        .get(
            &format!("{}/{}", messages_path(&room.channel), room.guild_id),
            Some(&room.owner),
        )
        .await;
    assert_error(missing, 404, "UNKNOWN_MESSAGE").await;
}

async fn content_must_be_one_to_four_thousand_characters_of_text(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let path = messages_path(&room.channel);
    for bad in [
        json!({"content": "é".repeat(4001)}),
        json!({"content": ""}),
        json!({"content": " \n\t "}),
        json!({"content": "nul\u{0}byte"}),
        json!({"content": "hi", "nonce": "x".repeat(26)}),
    ] {
        let response = app.post(&path, Some(&room.member), bad.clone()).await;
        let body = assert_error(response, 400, "VALIDATION_FAILED").await;
        let field = if bad.get("nonce").is_some() {
            "nonce"
        } else {
            "content"
        };
        assert!(body["error"]["fields"][field].is_string(), "{bad}: {body}");
    }
    for bad in [
        json!({"nonce": "x"}),
        json!({"content": "hi", "embeds": []}),
        json!({"content": "hi", "nonce": 1.5}),
    ] {
        let response = app.post(&path, Some(&room.member), bad).await;
        assert_error(response, 400, "VALIDATION_FAILED").await;
    }
    assert!(app.events().is_empty(), "a refused send announces nothing");
    let longest = say(&app, &room.member, &room.channel, &"é".repeat(4000)).await;
    assert_eq!(longest["content"].as_str().unwrap().chars().count(), 4000);
    assert_eq!(
        list(&app, &room.owner, &room.channel, "")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn history_pages_come_newest_first_in_every_mode(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let mut sent = Vec::new();
    for i in 0..7 {
        let token = if i % 2 == 0 {
            &room.owner
        } else {
            &room.member
        };
        sent.push(id_of(
            &say(&app, token, &room.channel, &format!("m{i}")).await,
        ));
    }
    let newest_first: Vec<_> = sent.iter().rev().cloned().collect();
    let page = |query: String| {
        let app = &app;
        let room = &room;
        async move { ids(&list(app, &room.member, &room.channel, &query).await) }
    };
    assert_eq!(page(String::new()).await, newest_first);
    assert_eq!(page("?limit=2".into()).await, newest_first[..2]);
    assert_eq!(
        page(format!("?before={}&limit=2", sent[3])).await,
        [sent[2].clone(), sent[1].clone()]
    );
    assert_eq!(
        page(format!("?after={}&limit=2", sent[3])).await,
        [sent[5].clone(), sent[4].clone()],
        "the next two after the id, newest first"
    );
    assert_eq!(
        page(format!("?around={}&limit=3", sent[3])).await,
        [sent[4].clone(), sent[3].clone(), sent[2].clone()]
    );
    assert_eq!(
        page(format!("?after={}", sent[6])).await,
        Vec::<String>::new()
    );

    let path = messages_path(&room.channel);
    for query in [
        "?limit=0",
        "?limit=101",
        "?before=abc",
        "?before=1&after=2",
        "?sideways=1",
    ] {
        let response = app.get(&format!("{path}{query}"), Some(&room.member)).await;
        assert_error(response, 400, "VALIDATION_FAILED").await;
    }
}

async fn a_repeated_nonce_answers_the_first_message_and_publishes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let path = messages_path(&room.channel);
    let first = send(
        &app,
        &room.member,
        &room.channel,
        json!({"content": "once", "nonce": 42}),
    )
    .await;
    assert_eq!(first["nonce"], "42", "integer nonces come back as strings");
    app.expect_event("MESSAGE_CREATE");
    let again = app
        .expect(
            Method::POST,
            &path,
            &room.member,
            Some(json!({"content": "once again", "nonce": "42"})),
            200,
        )
        .await;
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["content"], "once", "the first message, unchanged");
    assert!(app.events().is_empty());
    // Another author's identical nonce is theirs alone.
    let owners = send(
        &app,
        &room.owner,
        &room.channel,
        json!({"content": "mine", "nonce": 42}),
    )
    .await;
    assert_ne!(owners["id"], first["id"]);
    assert_eq!(
        list(&app, &room.owner, &room.channel, "")
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

async fn concurrent_sends_with_one_nonce_store_exactly_one_message(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let path = messages_path(&room.channel);
    let sends = (0..10).map(|_| {
        app.post(
            &path,
            Some(&room.member),
            json!({"content": "racing", "nonce": "same"}),
        )
    });
    let responses = futures_util::future::join_all(sends).await;
    let mut created = 0;
    let mut ids = Vec::new();
    for response in responses {
        match response.status().as_u16() {
            201 => created += 1,
            200 => {}
            other => panic!("unexpected status {other}"),
        }
        let body: Value = response.json().await.unwrap();
        ids.push(id_of(&body));
    }
    assert_eq!(created, 1, "exactly one send creates the message");
    assert!(ids.iter().all(|id| *id == ids[0]));
    let events = app.events();
    assert_eq!(
        events.iter().filter(|e| e.name == "MESSAGE_CREATE").count(),
        1
    );
    assert_eq!(
        list(&app, &room.owner, &room.channel, "")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn concurrent_sends_from_several_users_keep_one_order(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let path = messages_path(&room.channel);
    let sends = (0..20).map(|i| {
        let token = if i % 2 == 0 {
            &room.owner
        } else {
            &room.member
        };
        app.post(&path, Some(token), json!({"content": format!("m{i}")}))
    });
    let mut sent = Vec::new();
    for response in futures_util::future::join_all(sends).await {
        assert_eq!(response.status(), 201);
        let body: Value = response.json().await.unwrap();
        sent.push(id_of(&body).parse::<u64>().unwrap());
    }
    let listed: Vec<u64> = ids(&list(&app, &room.owner, &room.channel, "?limit=100").await)
        .iter()
        .map(|id| id.parse().unwrap())
        .collect();
    assert_eq!(listed.len(), 20);
    assert!(
        listed.windows(2).all(|w| w[0] > w[1]),
        "one strict order: {listed:?}"
    );
    sent.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(listed, sent);
    // The events went out once per message.
    assert_eq!(
        app.events()
            .iter()
            .filter(|e| e.name == "MESSAGE_CREATE")
            .count(),
        20
    );
}

async fn a_reply_points_at_a_message_of_the_same_channel(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let path = messages_path(&room.channel);
    let original = say(&app, &room.owner, &room.channel, "question?").await;
    app.events();
    let reply = send(
        &app,
        &room.member,
        &room.channel,
        json!({"content": "answer", "message_reference": {"message_id": original["id"]}}),
    )
    .await;
    assert_eq!(reply["type"], 19);
    assert_eq!(
        reply["message_reference"],
        json!({"type": 0, "message_id": original["id"], "channel_id": room.channel,
               "guild_id": room.guild_id})
    );
    assert_eq!(reply["referenced_message"]["id"], original["id"]);
    assert_eq!(reply["referenced_message"]["content"], "question?");
    assert!(
        reply["referenced_message"]
            .get("referenced_message")
            .is_none()
    );
    let event = app.expect_event("MESSAGE_CREATE");
    assert_eq!(event.data["referenced_message"]["id"], original["id"]);
    assert!(
        event.data["referenced_message"].get("reactions").is_none(),
        "no per-reader fields in events"
    );

    let unknown = json!({"content": "x", "message_reference": {"message_id": room.guild_id}});
    let body = assert_error(
        app.post(&path, Some(&room.member), unknown).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(
        body["error"]["fields"]["message_reference.message_id"].is_string(),
        "{body}"
    );
    let lenient = send(
        &app,
        &room.member,
        &room.channel,
        json!({"content": "x", "message_reference": {"message_id": room.guild_id,
               "fail_if_not_exists": false}}),
    )
    .await;
    assert_eq!(lenient["type"], 0);
    assert!(lenient.get("message_reference").is_none());

    let elsewhere = app
        .expect(
            Method::POST,
            &format!("/api/v1/guilds/{}/channels", room.guild_id),
            &room.owner,
            Some(json!({"name": "elsewhere"})),
            201,
        )
        .await;
    let across = json!({"content": "x", "message_reference": {"message_id": original["id"]}});
    let response = app
        .post(
            &messages_path(&id_of(&elsewhere)),
            Some(&room.member),
            across,
        )
        .await;
    assert_error(response, 400, "VALIDATION_FAILED").await;
    let wrong_channel = json!({"content": "x", "message_reference": {"message_id": original["id"],
        "channel_id": id_of(&elsewhere)}});
    assert_error(
        app.post(&path, Some(&room.member), wrong_channel).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;

    // Once the original is gone, the reply shows it as deleted (null), not absent.
    app.expect(
        Method::DELETE,
        &format!("{path}/{}", id_of(&original)),
        &room.owner,
        None,
        204,
    )
    .await;
    let fetched = app
        .expect(
            Method::GET,
            &format!("{path}/{}", id_of(&reply)),
            &room.member,
            None,
            200,
        )
        .await;
    assert_eq!(fetched["referenced_message"], Value::Null);
    assert_eq!(fetched["message_reference"]["message_id"], original["id"]);
}

async fn mentions_take_effect_only_where_the_author_may_make_them(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let (_, stranger) = app.register("stranger", None).await;
    let stranger_id = stranger["id"].as_str().unwrap();
    let roles_path = format!("/api/v1/guilds/{}/roles", room.guild_id);
    let loud = app
        .expect(
            Method::POST,
            &roles_path,
            &room.owner,
            Some(json!({"name": "loud", "mentionable": true})),
            201,
        )
        .await;
    let quiet = app
        .expect(
            Method::POST,
            &roles_path,
            &room.owner,
            Some(json!({"name": "quiet"})),
            201,
        )
        .await;
    let content = format!(
        "@everyone @here <@{}> <@!{}> <@{stranger_id}> <@&{}> <@&{}> <@&{}>",
        room.owner_id,
        room.owner_id,
        id_of(&loud),
        id_of(&quiet),
        room.guild_id
    );

    let plain = say(&app, &room.member, &room.channel, &content).await;
    assert_eq!(
        plain["mention_everyone"], false,
        "without MENTION_EVERYONE it stays text"
    );
    let mentioned: Vec<_> = plain["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(id_of)
        .collect();
    assert_eq!(
        mentioned,
        [room.owner_id.as_str()],
        "members only, each once"
    );
    assert_eq!(
        plain["mention_roles"],
        json!([id_of(&loud)]),
        "only mentionable roles"
    );
    assert_eq!(plain["content"], content.as_str());

    let by_owner = say(&app, &room.owner, &room.channel, &content).await;
    assert_eq!(by_owner["mention_everyone"], true);
    let mut roles: Vec<String> = by_owner["mention_roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_owned())
        .collect();
    roles.sort();
    let mut expected = vec![id_of(&loud), id_of(&quiet)];
    expected.sort();
    assert_eq!(
        roles, expected,
        "MENTION_EVERYONE reaches every role, never @everyone's id"
    );

    app.give_role(
        &room.owner,
        &room.guild_id,
        &room.member_id,
        "heralds",
        perm::MENTION_EVERYONE,
    )
    .await;
    let herald = say(&app, &room.member, &room.channel, "@here folks").await;
    assert_eq!(herald["mention_everyone"], true);
}

async fn members_who_cannot_view_send_or_read_get_the_matching_answer(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let path = messages_path(&room.channel);
    let message = say(&app, &room.owner, &room.channel, "hello").await;
    let one = format!("{path}/{}", id_of(&message));

    deny_everyone(&app, &room, &room.channel, bits::READ_MESSAGE_HISTORY).await;
    assert_eq!(list(&app, &room.member, &room.channel, "").await, json!([]));
    assert_error(
        app.get(&one, Some(&room.member)).await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    say(
        &app,
        &room.member,
        &room.channel,
        "sending needs no history",
    )
    .await;

    deny_everyone(&app, &room, &room.channel, perm::SEND_MESSAGES).await;
    let refused = app
        .post(&path, Some(&room.member), json!({"content": "hi"}))
        .await;
    assert_error(refused, 403, "MISSING_PERMISSIONS").await;
    assert_eq!(
        list(&app, &room.member, &room.channel, "")
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );

    deny_everyone(&app, &room, &room.channel, perm::VIEW_CHANNEL).await;
    let hidden = app
        .post(&path, Some(&room.member), json!({"content": "hi"}))
        .await;
    assert_error(hidden, 404, "UNKNOWN_CHANNEL").await;
    assert_error(
        app.get(&path, Some(&room.member)).await,
        404,
        "UNKNOWN_CHANNEL",
    )
    .await;
    assert_error(
        app.get(&one, Some(&room.member)).await,
        404,
        "UNKNOWN_CHANNEL",
    )
    .await;
    assert!(app.events().is_empty());
    // A stranger to the guild sees nothing either.
    let (stranger, _) = app.register("stranger", None).await;
    assert_error(
        app.get(&path, Some(&stranger)).await,
        404,
        "UNKNOWN_CHANNEL",
    )
    .await;
}

async fn only_categories_and_forums_refuse_messages(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let channels = format!("/api/v1/guilds/{}/channels", room.guild_id);
    let create = |body: Value| app.expect(Method::POST, &channels, &room.owner, Some(body), 201);
    for kind in [4, 15] {
        let channel = create(json!({"name": "nope", "type": kind})).await;
        let response = app
            .post(
                &messages_path(&id_of(&channel)),
                Some(&room.member),
                json!({"content": "hi"}),
            )
            .await;
        assert_error(response, 400, "CANNOT_SEND_HERE").await;
    }
    for kind in [2, 5] {
        let channel = create(json!({"name": "fine", "type": kind})).await;
        say(&app, &room.owner, &id_of(&channel), "hi").await;
    }
}

async fn slow_mode_refuses_early_sends_with_retry_after_and_spares_moderators(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let path = messages_path(&room.channel);
    app.expect(
        Method::PATCH,
        &format!("/api/v1/channels/{}", room.channel),
        &room.owner,
        Some(json!({"rate_limit_per_user": 60})),
        200,
    )
    .await;
    let first = send(
        &app,
        &room.member,
        &room.channel,
        json!({"content": "one", "nonce": "n"}),
    )
    .await;
    app.events();
    let refused = app
        .post(&path, Some(&room.member), json!({"content": "two"}))
        .await;
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (55..=60).contains(&retry_after),
        "Retry-After {retry_after}"
    );
    assert_error(refused, 429, "SLOW_MODE").await;
    assert!(app.events().is_empty());
    // A retried send (same nonce) is not a new message, so slow mode does not refuse it.
    let again = app
        .expect(
            Method::POST,
            &path,
            &room.member,
            Some(json!({"content": "one", "nonce": "n"})),
            200,
        )
        .await;
    assert_eq!(again["id"], first["id"]);
    say(
        &app,
        &room.owner,
        &room.channel,
        "the owner has every exemption",
    )
    .await;

    app.give_role(
        &room.owner,
        &room.guild_id,
        &room.member_id,
        "fast",
        bits::BYPASS_SLOWMODE,
    )
    .await;
    say(&app, &room.member, &room.channel, "two").await;
    say(&app, &room.member, &room.channel, "three").await;
}
