//! The gateway: real WebSocket clients against the real server, on SQLite and PostgreSQL.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::gateway_client::{Frame, GatewayClient};
use crate::helpers::{Backend, both_backends, spawn_app, spawn_app_with};

both_backends!(
    a_session_gets_ready_then_each_guild_as_its_user_may_see_it,
    channel_events_reach_exactly_the_members_who_may_see_the_channel,
    a_dropped_session_resumes_with_exactly_what_it_missed,
    resuming_an_unknown_or_foreign_session_or_a_future_seq_is_refused,
    heartbeats_keep_a_connection_open_and_silence_closes_it,
    hostile_frames_close_the_connection_with_discords_codes,
    a_client_that_stops_reading_is_evicted_while_others_keep_receiving,
    presence_follows_sessions_and_status,
    typing_reaches_the_channel_viewers_within_a_rate,
    two_users_chat_and_each_message_arrives_once_in_order,
    messages_in_a_private_channel_never_reach_a_member_who_cannot_see_it,
    a_compressed_session_receives_the_same_frames_as_zstd,
    a_temporary_member_without_a_role_leaves_when_they_go_offline,
    a_connected_user_who_joins_sees_themselves_online_in_the_new_guild,
);

async fn a_connected_user_who_joins_sees_themselves_online_in_the_new_guild(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner_with_open_registration().await;
    let guild = app.create_guild(&owner, "Hearthside").await;
    let code = app.invite_to(&owner, &guild).await;
    let (mut owner_ws, owner_ready, _) = app.identified(&owner).await;
    let (joiner, joiner_user) = app.register("joiner", None).await;
    let (mut joiner_ws, _, guilds) = app.identified(&joiner).await;
    assert!(guilds.is_empty());

    app.join(&joiner, &code).await;
    let created = joiner_ws.wait_for("GUILD_CREATE").await;
    assert_eq!(created["id"], guild["id"]);
    let mut online: Vec<(String, String)> = created["presences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["user"]["id"].as_str().unwrap().to_owned(),
                p["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    online.sort();
    let mut expected = vec![
        (
            owner_ready["user"]["id"].as_str().unwrap().to_owned(),
            "online".to_owned(),
        ),
        (
            joiner_user["id"].as_str().unwrap().to_owned(),
            "online".to_owned(),
        ),
    ];
    expected.sort();
    assert_eq!(
        online, expected,
        "the joiner is listed once, as online, beside the owner"
    );

    // And the members already there see the newcomer come online (after, possibly, their own).
    let presence = loop {
        let update = owner_ws.wait_for("PRESENCE_UPDATE").await;
        if update["user"]["id"] != owner_ready["user"]["id"] {
            break update;
        }
    };
    assert_eq!(presence["user"]["id"], joiner_user["id"]);
    assert_eq!(presence["guild_id"], guild["id"]);
    assert_eq!(presence["status"], "online");
}

async fn a_temporary_member_without_a_role_leaves_when_they_go_offline(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.gateway.resume_window_secs = 1).await;
    let owner = app.owner_with_open_registration().await;
    let guild = app.create_guild(&owner, "Drop-in").await;
    let gid = guild["id"].as_str().unwrap();
    let channel = guild["system_channel_id"].as_str().unwrap();
    let invite = app
        .expect(
            Method::POST,
            &format!("/api/v1/channels/{channel}/invites"),
            &owner,
            Some(json!({"temporary": true, "max_age": 0})),
            201,
        )
        .await;
    let code = invite["code"].as_str().unwrap();
    let (guest, guest_user) = app.register("guest", None).await;
    let (kept, kept_user) = app.register("kept", None).await;
    app.join(&guest, code).await;
    app.join(&kept, code).await;
    let keeper = app.create_role(&owner, gid, "regulars", 0).await;
    app.grant_role(
        &owner,
        gid,
        kept_user["id"].as_str().unwrap(),
        keeper["id"].as_str().unwrap(),
    )
    .await;
    let (mut owner_ws, _, _) = app.identified(&owner).await;
    let (guest_ws, _, _) = app.identified(&guest).await;
    let (kept_ws, _, _) = app.identified(&kept).await;

    guest_ws.drop_connection();
    kept_ws.drop_connection();
    let removed = owner_ws.wait_for("GUILD_MEMBER_REMOVE").await;
    assert_eq!(removed["user"]["id"], guest_user["id"]);
    let response = app
        .get(&format!("/api/v1/guilds/{gid}"), Some(&guest))
        .await;
    assert_eq!(response.status(), 404);
    // Given a role, a temporary member is a member like any other.
    app.expect(
        Method::GET,
        &format!("/api/v1/guilds/{gid}"),
        &kept,
        None,
        200,
    )
    .await;
}

async fn a_compressed_session_receives_the_same_frames_as_zstd(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, _, guild) = app.two_users_in_a_guild().await;
    let channel = guild["system_channel_id"].as_str().unwrap();
    let mut compressed = app.gateway_compressed().await;
    let ready = compressed.identify(&member).await;
    assert_eq!(ready["guilds"][0]["id"], guild["id"]);
    compressed.expect_dispatch("GUILD_CREATE").await;
    for n in 0..5 {
        send_message(&app, &owner, channel, &format!("compressed {n}")).await;
    }
    for n in 0..5 {
        assert_eq!(
            compressed.wait_for("MESSAGE_CREATE").await["content"],
            format!("compressed {n}")
        );
    }
    compressed.heartbeat().await;

    // Anything else is refused before the upgrade.
    for query in ["compress=zlib-stream", "encoding=etf", "v=9", "bogus=1"] {
        let url = format!("{}?{query}", app.gateway_url());
        assert!(
            tokio_tungstenite::connect_async(url).await.is_err(),
            "{query}"
        );
    }
}

async fn send_message(
    app: &crate::helpers::TestApp,
    token: &str,
    channel: &str,
    content: &str,
) -> Value {
    app.expect(
        Method::POST,
        &format!("/api/v1/channels/{channel}/messages"),
        token,
        Some(json!({"content": content})),
        201,
    )
    .await
}

async fn two_users_chat_and_each_message_arrives_once_in_order(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let channel = guild["system_channel_id"].as_str().unwrap().to_owned();
    let (mut owner_ws, _, _) = app.identified(&owner).await;
    let (mut member_ws, _, _) = app.identified(&member).await;

    let hello = send_message(&app, &owner, &channel, &format!("hello <@{member_id}>")).await;
    let got = member_ws.wait_for("MESSAGE_CREATE").await;
    assert_eq!(got["id"], hello["id"]);
    assert_eq!(got["mentions"][0]["id"], member_id.as_str());
    assert_eq!(owner_ws.wait_for("MESSAGE_CREATE").await["id"], hello["id"]);

    // Both send at once, many times: every session sees every message once, in one order.
    let sends = (0..10).flat_map(|i| {
        [
            send_message_raw(&app, &owner, &channel, format!("owner {i}")),
            send_message_raw(&app, &member, &channel, format!("member {i}")),
        ]
    });
    for status in futures_util::future::join_all(sends).await {
        assert_eq!(status, 201);
    }
    let mut orders = Vec::new();
    for ws in [&mut owner_ws, &mut member_ws] {
        let mut ids = Vec::new();
        while ids.len() < 20 {
            let (name, data) = ws.next_dispatch().await;
            if name == "MESSAGE_CREATE" {
                ids.push(data["id"].as_str().unwrap().parse::<u64>().unwrap());
            }
        }
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            ids, sorted,
            "ids arrive strictly increasing: the channel's one order"
        );
        orders.push(ids);
    }
    assert_eq!(orders[0], orders[1], "both sessions see the same order");
}

async fn send_message_raw(
    app: &crate::helpers::TestApp,
    token: &str,
    channel: &str,
    content: String,
) -> u16 {
    app.request(
        Method::POST,
        &format!("/api/v1/channels/{channel}/messages"),
        Some(token),
        Some(json!({"content": content})),
    )
    .await
    .status()
    .as_u16()
}

async fn messages_in_a_private_channel_never_reach_a_member_who_cannot_see_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let gid = guild["id"].as_str().unwrap();
    let secret = create_channel(
        &app,
        &owner,
        gid,
        json!({"name": "secret", "permission_overwrites": [{"id": gid, "type": 0, "deny": "1024"}]}),
    )
    .await;
    let sid = secret["id"].as_str().unwrap();
    let public = guild["system_channel_id"].as_str().unwrap();
    let (mut owner_ws, _, _) = app.identified(&owner).await;
    let (mut member_ws, _, _) = app.identified(&member).await;

    send_message(&app, &owner, sid, "for staff only").await;
    send_message(&app, &owner, public, "for everyone").await;
    // The first message the member receives is the public one.
    assert_eq!(
        member_ws.wait_for("MESSAGE_CREATE").await["content"],
        "for everyone"
    );
    owner_ws.wait_for("MESSAGE_CREATE").await;

    // Shown, the member receives the channel's messages; hidden again, from that moment nothing.
    let grant = format!("/api/v1/channels/{sid}/permissions/{member_id}");
    app.expect(
        Method::PUT,
        &grant,
        &owner,
        Some(json!({"type": 1, "allow": "1024"})),
        204,
    )
    .await;
    send_message(&app, &owner, sid, "welcome in").await;
    assert_eq!(member_ws.wait_for("CHANNEL_CREATE").await["id"], sid);
    assert_eq!(
        member_ws.wait_for("MESSAGE_CREATE").await["content"],
        "welcome in"
    );
    app.expect(
        Method::PUT,
        &grant,
        &owner,
        Some(json!({"type": 1, "deny": "1024"})),
        204,
    )
    .await;
    send_message(&app, &owner, sid, "they left").await;
    assert_eq!(member_ws.wait_for("CHANNEL_DELETE").await["id"], sid);
    member_ws.expect_silence(Duration::from_millis(300)).await;
    let response = app
        .get(&format!("/api/v1/channels/{sid}/messages"), Some(&member))
        .await;
    assert_eq!(response.status(), 404);
}

/// Creates a text channel through the API and returns it.
async fn create_channel(
    app: &crate::helpers::TestApp,
    token: &str,
    guild_id: &str,
    body: Value,
) -> Value {
    app.expect(
        Method::POST,
        &format!("/api/v1/guilds/{guild_id}/channels"),
        token,
        Some(body),
        201,
    )
    .await
}

fn ids(values: &Value) -> Vec<String> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_session_gets_ready_then_each_guild_as_its_user_may_see_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let gid = guild["id"].as_str().unwrap();
    let hidden = create_channel(
        &app,
        &owner,
        gid,
        json!({"name": "staff", "permission_overwrites": [{"id": gid, "type": 0, "deny": "1024"}]}),
    )
    .await;

    let (_owner_client, owner_ready, owner_guilds) = app.identified(&owner).await;
    assert_eq!(owner_ready["v"], 10);
    assert_eq!(
        owner_ready["guilds"],
        json!([{"id": gid, "unavailable": true}])
    );
    assert!(
        owner_ready["resume_gateway_url"]
            .as_str()
            .unwrap()
            .ends_with("/gateway")
    );
    assert_eq!(owner_guilds.len(), 1);
    assert!(ids(&owner_guilds[0]["channels"]).contains(&hidden["id"].as_str().unwrap().to_owned()));

    let (_member_client, ready, guilds) = app.identified(&member).await;
    assert_eq!(ready["user"]["id"], member_id.as_str());
    assert_eq!(ready["session_id"].as_str().unwrap().len(), 32);
    let created = &guilds[0];
    assert_eq!(created["id"], gid);
    assert_eq!(created["name"], "Hearthside");
    assert_eq!(created["member_count"], 2);
    let visible = ids(&created["channels"]);
    assert_eq!(
        visible.len(),
        2,
        "general and General, not staff: {visible:?}"
    );
    assert!(!visible.contains(&hidden["id"].as_str().unwrap().to_owned()));
    assert!(
        created["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["user"]["id"] == member_id.as_str())
    );
    // Both are connected, so both are listed as online.
    let mut online: Vec<_> = created["presences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["user"]["id"].as_str().unwrap().to_owned(),
                p["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    online.sort();
    let mut expected = vec![
        (
            owner_ready["user"]["id"].as_str().unwrap().to_owned(),
            "online".to_owned(),
        ),
        (member_id.clone(), "online".to_owned()),
    ];
    expected.sort();
    assert_eq!(online, expected);
}

async fn channel_events_reach_exactly_the_members_who_may_see_the_channel(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let gid = guild["id"].as_str().unwrap();
    let (outsider, _) = app.register("outsider", None).await;
    app.create_guild(&outsider, "Elsewhere").await;
    let (mut owner_ws, _, _) = app.identified(&owner).await;
    let (mut member_ws, _, _) = app.identified(&member).await;
    let (mut outsider_ws, _, _) = app.identified(&outsider).await;
    owner_ws.wait_for("PRESENCE_UPDATE").await;
    owner_ws.wait_for("PRESENCE_UPDATE").await;

    let open = create_channel(&app, &owner, gid, json!({"name": "open"})).await;
    assert_eq!(member_ws.wait_for("CHANNEL_CREATE").await["id"], open["id"]);
    assert_eq!(owner_ws.wait_for("CHANNEL_CREATE").await["id"], open["id"]);

    let secret = create_channel(
        &app,
        &owner,
        gid,
        json!({"name": "secret", "permission_overwrites": [{"id": gid, "type": 0, "deny": "1024"}]}),
    )
    .await;
    let sid = secret["id"].as_str().unwrap();
    assert_eq!(owner_ws.expect_dispatch("CHANNEL_CREATE").await["id"], sid);
    app.patch(
        &format!("/api/v1/channels/{sid}"),
        Some(&owner),
        json!({"topic": "plans"}),
    )
    .await;
    assert_eq!(
        owner_ws.expect_dispatch("CHANNEL_UPDATE").await["topic"],
        "plans"
    );

    // Granting the member VIEW_CHANNEL shows them the channel as new: CHANNEL_CREATE, not an update.
    let grant = format!("/api/v1/channels/{sid}/permissions/{member_id}");
    app.expect(
        Method::PUT,
        &grant,
        &owner,
        Some(json!({"type": 1, "allow": "1024"})),
        204,
    )
    .await;
    let shown = member_ws.expect_dispatch("CHANNEL_CREATE").await;
    assert_eq!(shown["id"], sid);
    assert_eq!(shown["topic"], "plans");
    assert_eq!(owner_ws.expect_dispatch("CHANNEL_UPDATE").await["id"], sid);

    // Taking it away hides it at once, and nothing about it follows.
    app.expect(
        Method::PUT,
        &grant,
        &owner,
        Some(json!({"type": 1, "deny": "1024"})),
        204,
    )
    .await;
    assert_eq!(member_ws.expect_dispatch("CHANNEL_DELETE").await["id"], sid);
    app.patch(
        &format!("/api/v1/channels/{sid}"),
        Some(&owner),
        json!({"topic": "more plans"}),
    )
    .await;
    owner_ws.wait_for("CHANNEL_UPDATE").await;
    owner_ws.wait_for("CHANNEL_UPDATE").await;
    member_ws.expect_silence(Duration::from_millis(300)).await;
    // The outsider hears only about their own guild (their own presence there).
    outsider_ws.wait_for("PRESENCE_UPDATE").await;
    outsider_ws.expect_silence(Duration::from_millis(100)).await;

    // A role that reveals the channel does so the moment the member gets it.
    let seers = app.create_role(&owner, gid, "seers", 0).await;
    let rid = seers["id"].as_str().unwrap();
    app.expect(
        Method::PUT,
        &format!("/api/v1/channels/{sid}/permissions/{rid}"),
        &owner,
        Some(json!({"type": 0, "allow": "1024"})),
        204,
    )
    .await;
    app.expect(Method::DELETE, &grant, &owner, None, 204).await;
    member_ws.wait_for("GUILD_ROLE_CREATE").await;
    member_ws.expect_silence(Duration::from_millis(200)).await;
    app.grant_role(&owner, gid, &member_id, rid).await;
    assert_eq!(member_ws.wait_for("CHANNEL_CREATE").await["id"], sid);
}

async fn a_dropped_session_resumes_with_exactly_what_it_missed(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, _, guild) = app.two_users_in_a_guild().await;
    let gid = guild["id"].as_str().unwrap();
    let (member_ws, _, _) = app.identified(&member).await;
    let session = member_ws.session_id.clone().unwrap();
    let seq = member_ws.seq;
    member_ws.drop_connection();

    let mut made = Vec::new();
    for name in ["one", "two", "three"] {
        made.push(create_channel(&app, &owner, gid, json!({"name": name})).await["id"].clone());
    }
    let mut resumed = GatewayClient::resume(&app, &member, &session, seq).await;
    // What it missed arrives in order and once (the client checks that sequence numbers are
    // contiguous); RESUMED marks the end of the replay, and anything the dispatcher had not yet
    // routed when the client resumed follows it live.
    let mut replayed = Vec::new();
    let mut resumed_seen = false;
    while replayed.len() < made.len() || !resumed_seen {
        let (name, data) = resumed.next_dispatch().await;
        match name.as_str() {
            "CHANNEL_CREATE" => replayed.push(data["id"].clone()),
            "RESUMED" => resumed_seen = true,
            other => assert_eq!(other, "PRESENCE_UPDATE"),
        }
    }
    assert_eq!(replayed, made);

    // The resumed session is live.
    create_channel(&app, &owner, gid, json!({"name": "four"})).await;
    resumed.expect_dispatch("CHANNEL_CREATE").await;
}

async fn resuming_an_unknown_or_foreign_session_or_a_future_seq_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, _, _) = app.two_users_in_a_guild().await;
    let (member_ws, _, _) = app.identified(&member).await;
    let session = member_ws.session_id.clone().unwrap();
    let seq = member_ws.seq;
    member_ws.drop_connection();

    let mut unknown =
        GatewayClient::resume(&app, &member, "0123456789abcdef0123456789abcdef", 1).await;
    let answer = unknown.next_json().await;
    assert_eq!(
        (answer["op"].clone(), answer["d"].clone()),
        (json!(9), json!(false))
    );
    // Op 9 leaves the connection open for a fresh Identify, which starts a new sequence.
    unknown.seq = 0;
    unknown.identify(&member).await;

    let mut foreign = GatewayClient::resume(&app, &owner, &session, seq).await;
    assert_eq!(foreign.next_json().await["op"], 9);

    let mut future = GatewayClient::resume(&app, &member, &session, seq + 100).await;
    assert_eq!(future.expect_close().await, Some(4007));

    let mut bad_token = GatewayClient::resume(&app, "nope", &session, seq).await;
    assert_eq!(bad_token.expect_close().await, Some(4004));
}

async fn heartbeats_keep_a_connection_open_and_silence_closes_it(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.gateway.heartbeat_interval_ms = 300).await;
    let owner = app.owner().await;
    let mut client = app.gateway().await;
    assert_eq!(client.heartbeat_interval, 300);
    client.identify(&owner).await;
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        client.heartbeat().await;
        loop {
            let frame = client.next_json().await;
            if frame["op"] == 11 {
                break;
            }
        }
    }
    // 1.5 intervals of silence.
    assert_eq!(client.expect_close().await, Some(4009));
}

async fn hostile_frames_close_the_connection_with_discords_codes(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.gateway.max_frames_per_minute = 20).await;
    let owner = app.owner().await;

    let cases: Vec<(Message, u16)> = vec![
        (Message::Text("{not json".into()), 4002),
        (Message::Binary(vec![1, 2, 3].into()), 4002),
        (
            Message::Text(json!({"op": 99, "d": null}).to_string().into()),
            4001,
        ),
        (
            Message::Text(json!({"op": 2, "d": {"token": 5}}).to_string().into()),
            4002,
        ),
        (
            Message::Text(
                json!({"op": 3, "d": {"status": "online", "activities": []}})
                    .to_string()
                    .into(),
            ),
            4003,
        ),
        (
            Message::Text(
                json!({"op": 2, "d": {"token": "forged"}})
                    .to_string()
                    .into(),
            ),
            4004,
        ),
        (Message::Text("x".repeat(20 * 1024).into()), 4002),
    ];
    for (frame, code) in cases {
        let mut client = app.gateway().await;
        client.send_raw(frame.clone()).await;
        let closed = client.expect_close().await;
        // An oversized frame may break the socket before the close frame is read.
        if frame.len() > 16 * 1024 {
            assert!(matches!(closed, Some(4002) | None), "{closed:?}");
        } else {
            assert_eq!(closed, Some(code), "after {frame:?}");
        }
    }

    let mut twice = app.gateway().await;
    twice.identify(&owner).await;
    twice.send(json!({"op": 2, "d": {"token": owner}})).await;
    assert_eq!(twice.expect_close().await, Some(4005));

    let mut bad_status = app.gateway().await;
    bad_status.identify(&owner).await;
    bad_status
        .send(json!({"op": 3, "d": {"status": "asleep", "activities": []}}))
        .await;
    assert_eq!(bad_status.expect_close().await, Some(4002));

    let mut flood = app.gateway().await;
    for _ in 0..25 {
        flood
            .send_raw(Message::Text(
                json!({"op": 1, "d": null}).to_string().into(),
            ))
            .await;
    }
    assert_eq!(flood.expect_close().await, Some(4008));
}

async fn a_client_that_stops_reading_is_evicted_while_others_keep_receiving(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.gateway.max_send_lag_events = 1024;
        c.gateway.resume_buffer_events = 8192;
    })
    .await;
    let (owner, member, _, guild) = app.two_users_in_a_guild().await;
    let gid = guild["id"].as_str().unwrap();

    // Fifty channels with long topics: every bulk move of them is fifty large CHANNEL_UPDATEs, enough
    // in all to overflow the kernel's socket buffers of a client that does not read.
    let padding = "x".repeat(1000);
    let mut channels = Vec::new();
    for i in 0..50 {
        let channel = create_channel(
            &app,
            &owner,
            gid,
            json!({"name": format!("c{i}"), "topic": padding}),
        )
        .await;
        channels.push(channel["id"].as_str().unwrap().to_owned());
    }

    // The slow client's socket has a tiny receive buffer and it stops reading after READY.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(2048).unwrap();
    let address = app.address.trim_start_matches("http://").parse().unwrap();
    let stream = socket.connect(address).await.unwrap();
    let (ws, _) = tokio_tungstenite::client_async(
        app.gateway_url(),
        tokio_tungstenite::MaybeTlsStream::Plain(stream),
    )
    .await
    .unwrap();
    let mut slow = GatewayClient::after_connect(ws).await;
    slow.identify(&member).await;
    slow.expect_dispatch("GUILD_CREATE").await;
    let (mut fast, _, _) = app.identified(&owner).await;
    let rounds = 100;
    let updates = rounds * channels.len();
    // The fast client reads as events come, as a live client does.
    let reader = tokio::spawn(async move {
        let mut seen = 0;
        while seen < updates {
            if fast.next_dispatch().await.0 == "CHANNEL_UPDATE" {
                seen += 1;
            }
        }
        seen
    });

    for round in 0..rounds {
        let moves: Vec<Value> = channels
            .iter()
            .enumerate()
            .map(|(i, id)| json!({"id": id, "position": (i + round) % 50}))
            .collect();
        app.expect(
            Method::PATCH,
            &format!("/api/v1/guilds/{gid}/channels"),
            &owner,
            Some(Value::Array(moves)),
            204,
        )
        .await;
    }
    assert_eq!(
        reader.await.unwrap(),
        updates,
        "the fast client missed nothing"
    );

    // The slow client gets what fitted in its buffers, then the close.
    let mut before_close = 0;
    let code = loop {
        match slow.next().await {
            Frame::Json(frame) if frame["t"] == "CHANNEL_UPDATE" => before_close += 1,
            Frame::Json(_) => {}
            Frame::Closed(code) => break code,
        }
    };
    assert_eq!(code, Some(4100), "a slow consumer is told so");
    assert!(
        before_close < updates,
        "it really fell behind ({before_close})"
    );

    // Evicted, not forgotten: it resumes from where it got to and receives the rest, in order, once.
    let session = slow.session_id.clone().unwrap();
    let mut resumed = GatewayClient::resume(&app, &member, &session, slow.seq).await;
    let mut after_resume = Vec::new();
    loop {
        let (name, data) = resumed.next_dispatch().await;
        match name.as_str() {
            "RESUMED" => break,
            "CHANNEL_UPDATE" => after_resume.push(data["id"].as_str().unwrap().to_owned()),
            other => assert_eq!(other, "PRESENCE_UPDATE"),
        }
    }
    assert_eq!(
        before_close + after_resume.len(),
        updates,
        "every update exactly once"
    );
}

async fn presence_follows_sessions_and_status(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.gateway.resume_window_secs = 1).await;
    let (owner, member, member_id, _) = app.two_users_in_a_guild().await;
    let (mut owner_ws, _, _) = app.identified(&owner).await;
    owner_ws.wait_for("PRESENCE_UPDATE").await;

    let (mut member_ws, _, _) = app.identified(&member).await;
    let online = owner_ws.wait_for("PRESENCE_UPDATE").await;
    assert_eq!(
        (online["user"]["id"].as_str(), online["status"].as_str()),
        (Some(member_id.as_str()), Some("online"))
    );

    member_ws
        .send(
            json!({"op": 3, "d": {"since": null, "afk": false, "status": "dnd",
            "activities": [{"name": "Custom Status", "type": 4, "state": "heads down"}]}}),
        )
        .await;
    let dnd = owner_ws.wait_for("PRESENCE_UPDATE").await;
    assert_eq!(dnd["status"], "dnd");
    assert_eq!(dnd["activities"][0]["state"], "heads down");

    member_ws
        .send(json!({"op": 3, "d": {"status": "invisible", "activities": []}}))
        .await;
    assert_eq!(
        owner_ws.wait_for("PRESENCE_UPDATE").await["status"],
        "offline"
    );
    member_ws
        .send(json!({"op": 3, "d": {"status": "online", "activities": []}}))
        .await;
    assert_eq!(
        owner_ws.wait_for("PRESENCE_UPDATE").await["status"],
        "online"
    );

    // The last session ends (and is not resumed within the window): offline.
    member_ws.drop_connection();
    let gone = owner_ws.wait_for("PRESENCE_UPDATE").await;
    assert_eq!(
        (gone["user"]["id"].as_str(), gone["status"].as_str()),
        (Some(member_id.as_str()), Some("offline"))
    );
}

async fn typing_reaches_the_channel_viewers_within_a_rate(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let channel = guild["system_channel_id"].as_str().unwrap();
    let (mut owner_ws, _, _) = app.identified(&owner).await;
    let path = format!("/api/v1/channels/{channel}/typing");
    app.expect(Method::POST, &path, &member, None, 204).await;
    let typing = owner_ws.wait_for("TYPING_START").await;
    assert_eq!(typing["user_id"], member_id.as_str());
    assert_eq!(typing["channel_id"], channel);
    assert_eq!(typing["member"]["user"]["id"], member_id.as_str());
    app.expect(Method::POST, &path, &member, None, 204).await;
    let response = app.request(Method::POST, &path, Some(&member), None).await;
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
}
