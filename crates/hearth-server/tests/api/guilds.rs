//! `/guilds`: creation with defaults, the member's list, editing, ownership, leaving and deletion.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{Backend, assert_error, both_backends, spawn_app};

both_backends!(
    a_new_guild_has_an_everyone_role_a_text_and_a_voice_channel_and_its_creator_as_owner,
    a_member_leaves_and_the_owner_cannot,
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
