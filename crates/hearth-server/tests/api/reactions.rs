//! Reactions: unicode emoji only, counted per emoji with `me` for the reader, at most twenty distinct
//! emoji per message, ADD_REACTIONS only for new ones, and moderators' removals, each with its event.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, assert_error, both_backends, perm, spawn_app};
use crate::messages::{Room, bits, deny_everyone, id_of, messages_path, room, say, viewers};

both_backends!(
    reactions_are_counted_per_emoji_with_me_for_the_reader_and_announced,
    only_unicode_emoji_are_reactions,
    a_message_takes_at_most_twenty_distinct_emoji,
    add_reactions_is_needed_only_for_an_emoji_nobody_used_yet,
    moderators_remove_and_clear_other_peoples_reactions,
);

fn reactions_path(room: &Room, message: &Value) -> String {
    format!(
        "{}/{}/reactions",
        messages_path(&room.channel),
        id_of(message)
    )
}

async fn react(app: &TestApp, token: &str, room: &Room, message: &Value, emoji: &str) {
    app.expect(
        Method::PUT,
        &format!("{}/{emoji}/@me", reactions_path(room, message)),
        token,
        None,
        204,
    )
    .await;
}

async fn fetch(app: &TestApp, token: &str, room: &Room, message: &Value) -> Value {
    app.expect(
        Method::GET,
        &format!("{}/{}", messages_path(&room.channel), id_of(message)),
        token,
        None,
        200,
    )
    .await
}

async fn reactions_are_counted_per_emoji_with_me_for_the_reader_and_announced(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let message = say(&app, &room.owner, &room.channel, "react to me").await;
    app.events();

    // The path segment is percent-encoded UTF-8; the raw character works as well.
    react(&app, &room.member, &room, &message, "%F0%9F%91%8D").await;
    let event = app.expect_event("MESSAGE_REACTION_ADD");
    assert_eq!(
        event.data,
        json!({"user_id": room.member_id, "channel_id": room.channel, "message_id": message["id"],
               "guild_id": room.guild_id, "emoji": {"id": null, "name": "👍"},
               "message_author_id": room.owner_id})
    );
    assert_eq!(event.audience, viewers(&room, &room.channel));
    react(&app, &room.member, &room, &message, "👍").await;
    assert!(
        app.events().is_empty(),
        "reacting twice changes and announces nothing"
    );
    react(&app, &room.owner, &room, &message, "👍").await;
    react(&app, &room.owner, &room, &message, "🎉").await;

    let seen_by_member = fetch(&app, &room.member, &room, &message).await;
    assert_eq!(
        seen_by_member["reactions"],
        json!([{"count": 2, "me": true, "emoji": {"id": null, "name": "👍"}},
               {"count": 1, "me": false, "emoji": {"id": null, "name": "🎉"}}])
    );
    let page = app
        .expect(
            Method::GET,
            &format!("{}?limit=1", messages_path(&room.channel)),
            &room.owner,
            None,
            200,
        )
        .await;
    assert_eq!(
        page[0]["reactions"][1]["me"], true,
        "lists carry reactions too"
    );

    let users = app
        .expect(
            Method::GET,
            &format!("{}/👍", reactions_path(&room, &message)),
            &room.member,
            None,
            200,
        )
        .await;
    let mut expected = [room.owner_id.clone(), room.member_id.clone()];
    expected.sort_by_key(|id| id.parse::<u64>().unwrap());
    assert_eq!(
        users
            .as_array()
            .unwrap()
            .iter()
            .map(id_of)
            .collect::<Vec<_>>(),
        expected
    );
    let after_first = app
        .expect(
            Method::GET,
            &format!(
                "{}/👍?after={}&limit=5",
                reactions_path(&room, &message),
                expected[0]
            ),
            &room.member,
            None,
            200,
        )
        .await;
    assert_eq!(after_first.as_array().unwrap().len(), 1);
    let nobody = app
        .expect(
            Method::GET,
            &format!("{}/🔥", reactions_path(&room, &message)),
            &room.member,
            None,
            200,
        )
        .await;
    assert_eq!(nobody, json!([]), "an emoji nobody used has no users");
    let bad_limit = app
        .get(
            &format!("{}/👍?limit=101", reactions_path(&room, &message)),
            Some(&room.member),
        )
        .await;
    assert_error(bad_limit, 400, "VALIDATION_FAILED").await;
    app.events();

    app.expect(
        Method::DELETE,
        &format!("{}/👍/@me", reactions_path(&room, &message)),
        &room.member,
        None,
        204,
    )
    .await;
    let event = app.expect_event("MESSAGE_REACTION_REMOVE");
    assert_eq!(event.data["user_id"], room.member_id.as_str());
    assert!(event.data.get("message_author_id").is_none());
    let seen = fetch(&app, &room.member, &room, &message).await;
    assert_eq!(
        seen["reactions"][0],
        json!({"count": 1, "me": false, "emoji": {"id": null, "name": "👍"}})
    );
}

async fn only_unicode_emoji_are_reactions(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let message = say(&app, &room.owner, &room.channel, "hi").await;
    let path = reactions_path(&room, &message);
    for bad in ["thumbsup", "hearth:1234", "%3Ahearth%3A1234", "👍👍"] {
        let response = app
            .put(&format!("{path}/{bad}/@me"), Some(&room.member), None)
            .await;
        assert_error(response, 400, "UNKNOWN_EMOJI").await;
    }
    let not_utf8 = app
        .put(&format!("{path}/%FF/@me"), Some(&room.member), None)
        .await;
    assert_error(not_utf8, 400, "VALIDATION_FAILED").await;
    let listed = app
        .get(&format!("{path}/notanemoji"), Some(&room.member))
        .await;
    assert_error(listed, 400, "UNKNOWN_EMOJI").await;
    let unknown_message = app
        .put(
            &format!(
                "{}/{}/reactions/👍/@me",
                messages_path(&room.channel),
                room.guild_id
            ),
            Some(&room.member),
            None,
        )
        .await;
    assert_error(unknown_message, 404, "UNKNOWN_MESSAGE").await;
    assert!(app.events().iter().all(|e| e.name == "MESSAGE_CREATE"));

    // With or without the variation selector, one heart.
    react(&app, &room.member, &room, &message, "❤").await;
    react(&app, &room.owner, &room, &message, "❤\u{fe0f}").await;
    let seen = fetch(&app, &room.owner, &room, &message).await;
    assert_eq!(seen["reactions"].as_array().unwrap().len(), 1);
    assert_eq!(seen["reactions"][0]["count"], 2);
    assert_eq!(seen["reactions"][0]["emoji"]["name"], "❤\u{fe0f}");
}

async fn a_message_takes_at_most_twenty_distinct_emoji(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let message = say(&app, &room.owner, &room.channel, "so many").await;
    const TWENTY: [&str; 20] = [
        "😀", "😃", "😄", "😁", "😆", "😅", "😂", "🙂", "🙃", "😉", "😊", "😇", "🥰", "😍", "🤩",
        "😘", "😗", "😚", "😙", "👍",
    ];
    for emoji in TWENTY {
        react(&app, &room.owner, &room, &message, emoji).await;
    }
    app.events();
    let refused = app
        .put(
            &format!("{}/🔥/@me", reactions_path(&room, &message)),
            Some(&room.member),
            None,
        )
        .await;
    assert_error(refused, 400, "LIMIT_REACHED").await;
    assert!(app.events().is_empty());
    react(&app, &room.member, &room, &message, "😀").await;
    let seen = fetch(&app, &room.member, &room, &message).await;
    assert_eq!(seen["reactions"].as_array().unwrap().len(), 20);
    assert_eq!(
        seen["reactions"][0],
        json!({"count": 2, "me": true, "emoji": {"id": null, "name": "😀"}})
    );
}

async fn add_reactions_is_needed_only_for_an_emoji_nobody_used_yet(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let message = say(&app, &room.owner, &room.channel, "hi").await;
    react(&app, &room.owner, &room, &message, "👍").await;
    deny_everyone(&app, &room, &room.channel, bits::ADD_REACTIONS).await;
    let refused = app
        .put(
            &format!("{}/🎉/@me", reactions_path(&room, &message)),
            Some(&room.member),
            None,
        )
        .await;
    assert_error(refused, 403, "MISSING_PERMISSIONS").await;
    react(&app, &room.member, &room, &message, "👍").await;
    app.expect_event("MESSAGE_REACTION_ADD");

    deny_everyone(&app, &room, &room.channel, bits::READ_MESSAGE_HISTORY).await;
    let blind = app
        .put(
            &format!("{}/👍/@me", reactions_path(&room, &message)),
            Some(&room.owner),
            None,
        )
        .await;
    assert_eq!(blind.status(), 204, "the owner holds everything");
    let refused = app
        .get(
            &format!("{}/👍", reactions_path(&room, &message)),
            Some(&room.member),
        )
        .await;
    assert_error(refused, 403, "MISSING_PERMISSIONS").await;
}

async fn moderators_remove_and_clear_other_peoples_reactions(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let message = say(&app, &room.owner, &room.channel, "hi").await;
    let path = reactions_path(&room, &message);
    react(&app, &room.owner, &room, &message, "👍").await;
    react(&app, &room.member, &room, &message, "👍").await;
    react(&app, &room.member, &room, &message, "🎉").await;
    app.events();

    let refused = app
        .delete(&format!("{path}/👍/{}", room.owner_id), Some(&room.member))
        .await;
    assert_error(refused, 403, "MISSING_PERMISSIONS").await;
    assert_error(
        app.delete(&path, Some(&room.member)).await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    assert_error(
        app.delete(&format!("{path}/👍"), Some(&room.member)).await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    assert!(app.events().is_empty());

    app.expect(
        Method::DELETE,
        &format!("{path}/👍/{}", room.member_id),
        &room.owner,
        None,
        204,
    )
    .await;
    let event = app.expect_event("MESSAGE_REACTION_REMOVE");
    assert_eq!(event.data["user_id"], room.member_id.as_str());
    assert_eq!(event.audience, viewers(&room, &room.channel));

    app.expect(
        Method::DELETE,
        &format!("{path}/👍"),
        &room.owner,
        None,
        204,
    )
    .await;
    let event = app.expect_event("MESSAGE_REACTION_REMOVE_EMOJI");
    assert_eq!(
        event.data,
        json!({"channel_id": room.channel, "message_id": message["id"], "guild_id": room.guild_id,
               "emoji": {"id": null, "name": "👍"}})
    );

    app.give_role(
        &room.owner,
        &room.guild_id,
        &room.member_id,
        "mods",
        perm::MANAGE_MESSAGES,
    )
    .await;
    app.events();
    app.expect(Method::DELETE, &path, &room.member, None, 204)
        .await;
    let event = app.expect_event("MESSAGE_REACTION_REMOVE_ALL");
    assert_eq!(
        event.data,
        json!({"channel_id": room.channel, "message_id": message["id"], "guild_id": room.guild_id})
    );
    let seen = fetch(&app, &room.owner, &room, &message).await;
    assert_eq!(seen["reactions"], json!([]));
    app.expect(Method::DELETE, &path, &room.member, None, 204)
        .await;
    assert!(
        app.events().is_empty(),
        "clearing nothing announces nothing"
    );
}
