//! Listing and revoking sessions.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, PASSWORD, assert_error, both_backends, spawn_app, spawn_app_with};

both_backends!(
    sessions_are_listed_with_the_current_one_marked,
    a_session_can_be_revoked_by_its_owner_only,
    revoking_others_keeps_the_current_session,
    revoking_a_sign_in_session_ends_exactly_its_gateway_connections,
    a_sign_in_revoked_from_the_command_line_loses_its_gateway_connection_at_the_next_check,
);

async fn sessions_are_listed_with_the_current_one_marked(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.owner().await;
    app.login("owner", PASSWORD).await;
    let sessions: Value = app
        .get("/api/v1/auth/sessions", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let sessions = sessions.as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    assert_eq!(
        sessions[0]["current"], true,
        "oldest first, and the first is this one"
    );
    assert_eq!(sessions[0]["ip"], "127.0.0.1");
    assert_eq!(sessions[0]["client"], "hearth-tests/1.0");
    assert!(sessions[0]["created_at"].as_str().unwrap().ends_with('Z'));
    assert!(sessions[0].get("token").is_none() && sessions[0].get("token_hash").is_none());
}

async fn a_session_can_be_revoked_by_its_owner_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner_with_open_registration().await;
    let (bob, _) = app.register("bob", None).await;
    let second: Value = app.login("owner", PASSWORD).await.json().await.unwrap();
    let second_token = second["token"].as_str().unwrap();
    let sessions: Value = app
        .get("/api/v1/auth/sessions", Some(&owner))
        .await
        .json()
        .await
        .unwrap();
    let other_id = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == false)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Bob cannot revoke (or even learn of) the owner's session.
    let path = format!("/api/v1/auth/sessions/{other_id}");
    assert_error(
        app.request(Method::DELETE, &path, Some(&bob), None).await,
        404,
        "UNKNOWN_SESSION",
    )
    .await;
    assert_eq!(
        app.get("/api/v1/users/@me", Some(second_token))
            .await
            .status(),
        200
    );

    assert_eq!(
        app.request(Method::DELETE, &path, Some(&owner), None)
            .await
            .status(),
        204
    );
    assert_error(
        app.get("/api/v1/users/@me", Some(second_token)).await,
        401,
        "UNAUTHORIZED",
    )
    .await;
    assert_error(
        app.request(Method::DELETE, &path, Some(&owner), None).await,
        404,
        "UNKNOWN_SESSION",
    )
    .await;
    let bad = app
        .request(
            Method::DELETE,
            "/api/v1/auth/sessions/not-an-id",
            Some(&owner),
            None,
        )
        .await;
    let body = assert_error(bad, 400, "VALIDATION_FAILED").await;
    assert!(body["error"]["fields"]["session_id"].is_string());
}

async fn revoking_others_keeps_the_current_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.owner().await;
    let mut others = Vec::new();
    for _ in 0..3 {
        let body: Value = app.login("owner", PASSWORD).await.json().await.unwrap();
        others.push(body["token"].as_str().unwrap().to_owned());
    }
    let revoked: Value = app
        .post(
            "/api/v1/auth/sessions/revoke-others",
            Some(&token),
            json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(revoked["revoked"], 3);
    assert_eq!(
        app.get("/api/v1/users/@me", Some(&token)).await.status(),
        200
    );
    for other in others {
        assert_eq!(
            app.get("/api/v1/users/@me", Some(&other)).await.status(),
            401
        );
    }
}

/// A gateway connection gets op 9 (and cannot identify again with its token) the moment the sign-in
/// session it used is revoked, however it is revoked; connections of other sign-ins carry on.
async fn revoking_a_sign_in_session_ends_exactly_its_gateway_connections(backend: Backend) {
    let app = spawn_app(backend).await;
    let first = app.owner().await;
    let mut tokens = vec![first];
    for _ in 0..3 {
        let login: Value = app.login("owner", PASSWORD).await.json().await.unwrap();
        tokens.push(login["token"].as_str().unwrap().to_owned());
    }
    let mut connections = Vec::new();
    for token in &tokens {
        connections.push(app.identified(token).await.0);
    }
    let sessions: Value = app
        .get("/api/v1/auth/sessions", Some(&tokens[0]))
        .await
        .json()
        .await
        .unwrap();
    // Oldest first, so session i is token i's.
    let id = |i: usize| sessions[i]["id"].as_str().unwrap().to_owned();

    async fn ended(connection: &mut crate::gateway_client::GatewayClient, token: &str) {
        let frame = connection.next_json().await;
        assert_eq!(frame["op"], 9, "{frame}");
        assert_eq!(frame["d"], false);
        connection
            .send(json!({"op": 2, "d": {"token": token, "properties": {"os": "linux"}}}))
            .await;
        assert_eq!(connection.expect_close().await, Some(4004));
    }
    async fn alive(connection: &mut crate::gateway_client::GatewayClient) {
        connection.heartbeat().await;
        assert_eq!(connection.next_json().await["op"], 11);
    }

    // Revoking one session by id ends its connection only.
    let revoke = app
        .delete(
            &format!("/api/v1/auth/sessions/{}", id(3)),
            Some(&tokens[0]),
        )
        .await;
    assert_eq!(revoke.status(), 204);
    ended(&mut connections[3], &tokens[3]).await;
    for connection in &mut connections[..3] {
        alive(connection).await;
    }
    // Logging out ends the connections of that token.
    let logout = app
        .post("/api/v1/auth/logout", Some(&tokens[2]), json!({}))
        .await;
    assert_eq!(logout.status(), 204);
    ended(&mut connections[2], &tokens[2]).await;
    // Revoking the others keeps the caller's own connection.
    let others = app
        .post(
            "/api/v1/auth/sessions/revoke-others",
            Some(&tokens[0]),
            json!({}),
        )
        .await;
    assert_eq!(others.status(), 200);
    ended(&mut connections[1], &tokens[1]).await;
    alive(&mut connections[0]).await;
}

/// The command line revokes sessions in the database without an event reaching the server; the
/// gateway's periodic check (every `gateway.session_check_secs`) ends such connections, and only them.
async fn a_sign_in_revoked_from_the_command_line_loses_its_gateway_connection_at_the_next_check(
    backend: Backend,
) {
    let app = spawn_app_with(backend, |c| c.gateway.session_check_secs = 1).await;
    let owner = app.owner_with_open_registration().await;
    let (bob, _) = app.register("bob", None).await;
    let (mut owner_ws, _, _) = app.identified(&owner).await;
    let (mut bob_ws, _, _) = app.identified(&bob).await;

    let out = app.hearth(&["admin", "disable-user", "bob"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let frame = bob_ws.next_json().await;
    assert_eq!(frame["op"], 9, "{frame}");
    bob_ws
        .send(json!({"op": 2, "d": {"token": bob, "properties": {"os": "linux"}}}))
        .await;
    assert_eq!(bob_ws.expect_close().await, Some(4004));

    // The owner's connection survives the checks, and its sign-in is kept in use.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    owner_ws.heartbeat().await;
    assert_eq!(owner_ws.next_json().await["op"], 11);
    assert_eq!(
        app.get("/api/v1/users/@me", Some(&owner)).await.status(),
        200
    );
}
