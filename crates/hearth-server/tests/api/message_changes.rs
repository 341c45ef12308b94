//! Changing messages: only the author edits, the author or a message manager deletes, bulk deletes
//! take 2–100 distinct ids; each change with its event.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, assert_error, both_backends, perm, spawn_app};
use crate::messages::{id_of, ids, list, messages_path, room, say, viewers};

both_backends!(
    only_the_author_edits_and_an_edit_is_announced,
    authors_and_message_managers_delete_messages,
    bulk_deletes_take_two_to_a_hundred_distinct_ids_of_the_channel,
);

async fn only_the_author_edits_and_an_edit_is_announced(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let message = say(&app, &room.owner, &room.channel, "first draft").await;
    let path = format!("{}/{}", messages_path(&room.channel), id_of(&message));
    app.events();

    let refused = app
        .patch(&path, Some(&room.member), json!({"content": "mine now"}))
        .await;
    assert_error(refused, 403, "NOT_AUTHOR").await;
    let empty = app
        .patch(&path, Some(&room.owner), json!({"content": " "}))
        .await;
    assert_error(empty, 400, "VALIDATION_FAILED").await;
    let unchanged = app
        .expect(Method::PATCH, &path, &room.owner, Some(json!({})), 200)
        .await;
    assert_eq!(unchanged["edited_timestamp"], Value::Null);
    assert!(app.events().is_empty());

    let edited = app
        .expect(
            Method::PATCH,
            &path,
            &room.owner,
            Some(json!({"content": format!("final <@{}>", room.member_id)})),
            200,
        )
        .await;
    assert_eq!(edited["content"], format!("final <@{}>", room.member_id));
    assert!(edited["edited_timestamp"].is_string());
    assert_eq!(edited["mentions"][0]["id"], room.member_id.as_str());
    assert_eq!(edited["timestamp"], message["timestamp"]);
    let event = app.expect_event("MESSAGE_UPDATE");
    assert_eq!(event.audience, viewers(&room, &room.channel));
    assert_eq!(event.data["guild_id"], room.guild_id.as_str());
    assert_eq!(event.data["content"], edited["content"]);
    assert!(
        event.data.get("reactions").is_none(),
        "reactions differ per reader"
    );
}

async fn authors_and_message_managers_delete_messages(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let path = messages_path(&room.channel);
    let own = say(&app, &room.member, &room.channel, "mine").await;
    let owners = say(&app, &room.owner, &room.channel, "theirs").await;
    app.events();

    app.expect(
        Method::DELETE,
        &format!("{path}/{}", id_of(&own)),
        &room.member,
        None,
        204,
    )
    .await;
    let event = app.expect_event("MESSAGE_DELETE");
    assert_eq!(
        event.data,
        json!({"id": own["id"], "channel_id": room.channel, "guild_id": room.guild_id})
    );
    assert_eq!(event.audience, viewers(&room, &room.channel));
    let gone = app
        .delete(&format!("{path}/{}", id_of(&own)), Some(&room.member))
        .await;
    assert_error(gone, 404, "UNKNOWN_MESSAGE").await;
    let refused = app
        .delete(&format!("{path}/{}", id_of(&owners)), Some(&room.member))
        .await;
    assert_error(refused, 403, "MISSING_PERMISSIONS").await;

    app.give_role(
        &room.owner,
        &room.guild_id,
        &room.member_id,
        "mods",
        perm::MANAGE_MESSAGES,
    )
    .await;
    app.events();
    app.expect(
        Method::DELETE,
        &format!("{path}/{}", id_of(&owners)),
        &room.member,
        None,
        204,
    )
    .await;
    app.expect_event("MESSAGE_DELETE");
    assert_eq!(list(&app, &room.owner, &room.channel, "").await, json!([]));
}

async fn bulk_deletes_take_two_to_a_hundred_distinct_ids_of_the_channel(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let path = format!("{}/bulk-delete", messages_path(&room.channel));
    let mut sent = Vec::new();
    for i in 0..4 {
        sent.push(id_of(
            &say(&app, &room.member, &room.channel, &format!("m{i}")).await,
        ));
    }
    app.events();
    let refused = app
        .post(
            &path,
            Some(&room.member),
            json!({"messages": [sent[0], sent[1]]}),
        )
        .await;
    assert_error(refused, 403, "MISSING_PERMISSIONS").await;
    let many: Vec<String> = (0..101).map(|i| (1_000 + i).to_string()).collect();
    for bad in [
        json!({"messages": [sent[0]]}),
        json!({"messages": many}),
        json!({"messages": [sent[0], sent[0]]}),
        json!({"messages": [sent[0], "not-an-id"]}),
        json!({"messages": []}),
    ] {
        let response = app.post(&path, Some(&room.owner), bad).await;
        assert_error(response, 400, "VALIDATION_FAILED").await;
    }
    assert!(app.events().is_empty());
    assert_eq!(
        list(&app, &room.owner, &room.channel, "")
            .await
            .as_array()
            .unwrap()
            .len(),
        4
    );

    app.expect(
        Method::POST,
        &path,
        &room.owner,
        Some(json!({"messages": [sent[2], sent[0], room.guild_id, sent[1]]})),
        204,
    )
    .await;
    let event = app.expect_event("MESSAGE_DELETE_BULK");
    assert_eq!(
        event.data,
        json!({"ids": [sent[0], sent[1], sent[2]], "channel_id": room.channel,
               "guild_id": room.guild_id}),
        "unknown ids are ignored"
    );
    assert_eq!(event.audience, viewers(&room, &room.channel));
    assert_eq!(
        ids(&list(&app, &room.owner, &room.channel, "").await),
        [sent[3].clone()]
    );
}
