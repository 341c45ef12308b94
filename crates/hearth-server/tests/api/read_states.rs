//! Read markers: an ack moves the user's marker, tells their own sessions (MESSAGE_ACK), and reports
//! the mentions left after it, which edits and deletes lower.

use hearth_server::bus::Audience;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, assert_error, both_backends, perm, spawn_app};
use crate::messages::{deny_everyone, id_of, messages_path, room, say};

both_backends!(acks_report_the_mentions_left_after_the_marker_across_edits_and_deletes);

async fn acks_report_the_mentions_left_after_the_marker_across_edits_and_deletes(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let path = messages_path(&room.channel);
    let start = say(&app, &room.owner, &room.channel, "before").await;
    let mention = format!("hey <@{}>", room.member_id);
    let first = say(&app, &room.owner, &room.channel, &mention).await;
    let second = say(&app, &room.owner, &room.channel, &mention).await;
    say(
        &app,
        &room.member,
        &room.channel,
        &format!("self <@{}>", room.member_id),
    )
    .await;
    app.events();
    let member_id = room.member_id.parse().unwrap();
    let ack = |message: &Value| {
        let path = format!("{path}/{}/ack", id_of(message));
        let app = &app;
        let token = room.member.clone();
        async move {
            app.expect(Method::POST, &path, &token, None, 204).await;
            let event = app.expect_event("MESSAGE_ACK");
            assert_eq!(
                event.audience,
                Audience::User(member_id),
                "the user's own sessions"
            );
            event.data
        }
    };

    let acked = ack(&start).await;
    assert_eq!(
        acked,
        json!({"channel_id": room.channel, "message_id": start["id"], "mention_count": 2})
    );
    app.expect(
        Method::PATCH,
        &format!("{path}/{}", id_of(&first)),
        &room.owner,
        Some(json!({"content": "hey nobody"})),
        200,
    )
    .await;
    app.events();
    assert_eq!(
        ack(&start).await["mention_count"],
        1,
        "an edit that drops the mention"
    );
    app.expect(
        Method::DELETE,
        &format!("{path}/{}", id_of(&second)),
        &room.owner,
        None,
        204,
    )
    .await;
    app.events();
    assert_eq!(ack(&start).await["mention_count"], 0, "a deleted mention");

    let unknown = app
        .post(
            &format!("{path}/{}/ack", room.guild_id),
            Some(&room.member),
            json!({}),
        )
        .await;
    assert_error(unknown, 404, "UNKNOWN_MESSAGE").await;
    deny_everyone(&app, &room, &room.channel, perm::VIEW_CHANNEL).await;
    let hidden = app
        .post(
            &format!("{path}/{}/ack", id_of(&start)),
            Some(&room.member),
            json!({}),
        )
        .await;
    assert_error(hidden, 404, "UNKNOWN_CHANNEL").await;
}
