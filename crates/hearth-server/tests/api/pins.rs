//! Pins: who may pin, the fifty-pin limit, the pinned list (most recent pin first), and
//! CHANNEL_PINS_UPDATE for every change.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, assert_error, both_backends, spawn_app};
use crate::messages::{bits, id_of, room, say, viewers};

both_backends!(
    pinning_needs_pin_or_manage_messages_and_every_change_is_announced,
    the_fifty_first_pin_is_refused,
);

async fn pinning_needs_pin_or_manage_messages_and_every_change_is_announced(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let pins = format!("/api/v1/channels/{}/pins", room.channel);
    let first = say(&app, &room.member, &room.channel, "pin me").await;
    let second = say(&app, &room.member, &room.channel, "and me").await;
    app.events();

    let refused = app
        .put(
            &format!("{pins}/{}", id_of(&first)),
            Some(&room.member),
            None,
        )
        .await;
    assert_error(refused, 403, "MISSING_PERMISSIONS").await;
    let unknown = app
        .put(
            &format!("{pins}/{}", room.guild_id),
            Some(&room.owner),
            None,
        )
        .await;
    assert_error(unknown, 404, "UNKNOWN_MESSAGE").await;
    assert!(app.events().is_empty());

    app.expect(
        Method::PUT,
        &format!("{pins}/{}", id_of(&second)),
        &room.owner,
        None,
        204,
    )
    .await;
    let event = app.expect_event("CHANNEL_PINS_UPDATE");
    assert_eq!(event.audience, viewers(&room, &room.channel));
    assert_eq!(event.data["guild_id"], room.guild_id.as_str());
    assert_eq!(event.data["channel_id"], room.channel.as_str());
    let second_pinned_at = event.data["last_pin_timestamp"].clone();
    assert!(second_pinned_at.is_string());
    app.expect(
        Method::PUT,
        &format!("{pins}/{}", id_of(&second)),
        &room.owner,
        None,
        204,
    )
    .await;
    assert!(
        app.events().is_empty(),
        "pinning a pinned message changes nothing"
    );

    app.give_role(
        &room.owner,
        &room.guild_id,
        &room.member_id,
        "pinners",
        bits::PIN_MESSAGES,
    )
    .await;
    app.events();
    app.expect(
        Method::PUT,
        &format!("{pins}/{}", id_of(&first)),
        &room.member,
        None,
        204,
    )
    .await;
    app.expect_event("CHANNEL_PINS_UPDATE");

    let listed = app
        .expect(Method::GET, &pins, &room.member, None, 200)
        .await;
    let order: Vec<_> = listed.as_array().unwrap().iter().map(id_of).collect();
    assert_eq!(
        order,
        [id_of(&first), id_of(&second)],
        "the most recent pin first"
    );
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["pinned"] == true)
    );

    app.expect(
        Method::DELETE,
        &format!("{pins}/{}", id_of(&first)),
        &room.member,
        None,
        204,
    )
    .await;
    let event = app.expect_event("CHANNEL_PINS_UPDATE");
    assert_eq!(
        event.data,
        json!({"guild_id": room.guild_id, "channel_id": room.channel,
               "last_pin_timestamp": second_pinned_at}),
        "the newest remaining pin"
    );
    let message = app
        .expect(
            Method::GET,
            &format!(
                "/api/v1/channels/{}/messages/{}",
                room.channel,
                id_of(&first)
            ),
            &room.member,
            None,
            200,
        )
        .await;
    assert_eq!(message["pinned"], false);
    app.expect(
        Method::DELETE,
        &format!("{pins}/{}", id_of(&second)),
        &room.member,
        None,
        204,
    )
    .await;
    assert_eq!(
        app.expect_event("CHANNEL_PINS_UPDATE").data["last_pin_timestamp"],
        Value::Null
    );
    assert_eq!(
        app.expect(Method::GET, &pins, &room.member, None, 200)
            .await,
        json!([])
    );
}

async fn the_fifty_first_pin_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let pins = format!("/api/v1/channels/{}/pins", room.channel);
    for i in 0..51 {
        let message = say(&app, &room.owner, &room.channel, &format!("m{i}")).await;
        let response = app
            .put(
                &format!("{pins}/{}", id_of(&message)),
                Some(&room.owner),
                None,
            )
            .await;
        if i < 50 {
            assert_eq!(response.status(), 204, "pin {i}");
        } else {
            assert_error(response, 400, "LIMIT_REACHED").await;
        }
    }
    let listed = app
        .expect(Method::GET, &pins, &room.member, None, 200)
        .await;
    assert_eq!(listed.as_array().unwrap().len(), 50);
}
