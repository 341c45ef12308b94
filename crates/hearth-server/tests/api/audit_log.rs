//! What the guild audit log records for guild, channel, overwrite, role, invite, message and pin changes:
//! exactly one entry per accepted change (with actor, target, the `X-Audit-Log-Reason` and the values
//! before and after), and nothing for a refused one.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    Backend, TestApp, assert_error, both_backends, perm, spawn_app, spawn_app_with,
};

both_backends!(
    a_guild_update_records_each_changed_field_with_the_percent_decoded_reason,
    channel_creation_edits_moves_and_deletion_are_each_recorded,
    overwrites_are_recorded_as_created_updated_and_deleted,
    role_changes_are_recorded_with_permissions_as_decimal_strings,
    invites_are_recorded_when_created_and_revoked_but_not_when_reused,
    moderator_deletes_and_pins_are_recorded_but_an_authors_own_delete_is_not,
);

/// Reads the log as the owner and hands out only what was added since the last look.
struct Log<'a> {
    app: &'a TestApp,
    token: String,
    guild_id: String,
    seen: usize,
}

impl<'a> Log<'a> {
    async fn new(app: &'a TestApp, token: &str, guild_id: &str) -> Self {
        let mut log = Self {
            app,
            token: token.to_owned(),
            guild_id: guild_id.to_owned(),
            seen: 0,
        };
        log.seen = log.all().await.len();
        log
    }

    async fn all(&self) -> Vec<Value> {
        self.app
            .audit_entries(&self.token, &self.guild_id, "?limit=100")
            .await
    }

    /// The entries written since the last call, newest first.
    async fn new_entries(&mut self) -> Vec<Value> {
        let all = self.all().await;
        let fresh = all.len() - self.seen;
        self.seen = all.len();
        all[..fresh].to_vec()
    }

    /// The one entry written since the last call.
    async fn one(&mut self) -> Value {
        let fresh = self.new_entries().await;
        assert_eq!(fresh.len(), 1, "expected exactly one new entry: {fresh:#?}");
        fresh[0].clone()
    }

    async fn none(&mut self) {
        let fresh = self.new_entries().await;
        assert!(fresh.is_empty(), "expected no new entry: {fresh:#?}");
    }
}

/// The `(old_value, new_value)` of `key` in an entry's changes; `Null` for a side that is absent.
fn change(entry: &Value, key: &str) -> (Value, Value) {
    let found = entry["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .unwrap_or_else(|| panic!("no change {key} in {entry:#}"));
    (found["old_value"].clone(), found["new_value"].clone())
}

fn keys(entry: &Value) -> Vec<String> {
    let mut keys: Vec<String> = entry["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap().to_owned())
        .collect();
    keys.sort();
    keys
}

async fn user_id(app: &TestApp, token: &str) -> String {
    let me = app
        .expect(Method::GET, "/api/v1/users/@me", token, None, 200)
        .await;
    me["id"].as_str().unwrap().to_owned()
}

async fn say(app: &TestApp, token: &str, channel: &str, content: &str) -> String {
    let message = app
        .expect(
            Method::POST,
            &format!("/api/v1/channels/{channel}/messages"),
            token,
            Some(json!({ "content": content })),
            201,
        )
        .await;
    message["id"].as_str().unwrap().to_owned()
}

async fn a_guild_update_records_each_changed_field_with_the_percent_decoded_reason(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, member, _, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let owner_id = user_id(&app, &owner).await;
    let path = format!("/api/v1/guilds/{guild_id}");
    let mut log = Log::new(&app, &owner, guild_id).await;

    let response = app
        .request_with_reason(
            Method::PATCH,
            &path,
            &owner,
            "Spring%20clean%20%E2%9C%A8",
            Some(json!({"name": "Hearth", "verification_level": 2, "explicit_content_filter": 0})),
        )
        .await;
    assert_eq!(response.status(), 200);
    let entry = log.one().await;
    assert_eq!(entry["action_type"], 1);
    assert_eq!(entry["user_id"], owner_id.as_str());
    assert_eq!(entry["target_id"], guild_id);
    assert_eq!(entry["reason"], "Spring clean ✨");
    assert_eq!(
        keys(&entry),
        ["name", "verification_level"],
        "an unchanged field is not recorded"
    );
    assert_eq!(
        change(&entry, "name"),
        (json!("Hearthside"), json!("Hearth"))
    );
    assert_eq!(change(&entry, "verification_level"), (json!(0), json!(2)));

    // Clearing the system channel records its old id going away.
    let system = guild["system_channel_id"].as_str().unwrap();
    app.expect(
        Method::PATCH,
        &path,
        &owner,
        Some(json!({"system_channel_id": null})),
        200,
    )
    .await;
    let entry = log.one().await;
    assert_eq!(entry["reason"], Value::Null);
    assert_eq!(
        change(&entry, "system_channel_id"),
        (json!(system), Value::Null)
    );

    // Refused: no permission, an invalid value, a field that names nothing, a malformed reason.
    assert_error(
        app.patch(&path, Some(&member), json!({"name": "Mine"}))
            .await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    assert_error(
        app.patch(&path, Some(&owner), json!({"verification_level": 9}))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_error(
        app.patch(&path, Some(&owner), json!({"system_channel_id": "1"}))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    let too_long = "x".repeat(513);
    for reason in [too_long.as_str(), "%FF%FE"] {
        let response = app
            .request_with_reason(
                Method::PATCH,
                &path,
                &owner,
                reason,
                Some(json!({"name": "Reasoned"})),
            )
            .await;
        assert_error(response, 400, "VALIDATION_FAILED").await;
    }
    log.none().await;
    let unchanged = app
        .get(&path, Some(&owner))
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(unchanged["name"], "Hearth");

    // Only VIEW_AUDIT_LOG reads the log.
    assert_error(
        app.get(&format!("{path}/audit-logs"), Some(&member)).await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
}

async fn channel_creation_edits_moves_and_deletion_are_each_recorded(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, _, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let mut log = Log::new(&app, &owner, guild_id).await;
    let channels = format!("/api/v1/guilds/{guild_id}/channels");

    let response = app
        .request_with_reason(
            Method::POST,
            &channels,
            &owner,
            "for%20news",
            Some(json!({"name": "news", "topic": "What is new", "rate_limit_per_user": 5})),
        )
        .await;
    assert_eq!(response.status(), 201);
    let news: Value = response.json().await.unwrap();
    let news_id = news["id"].as_str().unwrap();
    let entry = log.one().await;
    assert_eq!(entry["action_type"], 10);
    assert_eq!(entry["target_id"], news_id);
    assert_eq!(entry["reason"], "for news");
    assert_eq!(change(&entry, "name"), (Value::Null, json!("news")));
    assert_eq!(change(&entry, "type"), (Value::Null, json!(0)));
    assert_eq!(change(&entry, "topic"), (Value::Null, json!("What is new")));
    assert_eq!(
        change(&entry, "rate_limit_per_user"),
        (Value::Null, json!(5))
    );
    assert_eq!(change(&entry, "nsfw"), (Value::Null, json!(false)));

    // An edit records old and new values of what changed.
    let channel = format!("/api/v1/channels/{news_id}");
    app.expect(
        Method::PATCH,
        &channel,
        &owner,
        Some(json!({"name": "announcements", "topic": null, "nsfw": false})),
        200,
    )
    .await;
    let entry = log.one().await;
    assert_eq!(entry["action_type"], 11);
    assert_eq!(entry["target_id"], news_id);
    assert_eq!(keys(&entry), ["name", "topic"]);
    assert_eq!(
        change(&entry, "name"),
        (json!("news"), json!("announcements"))
    );
    assert_eq!(change(&entry, "topic"), (json!("What is new"), Value::Null));

    // Overwrites set through the edit are recorded as overwrite entries, as in Discord.
    app.expect(
        Method::PATCH,
        &channel,
        &owner,
        Some(json!({"permission_overwrites": [
            {"id": guild_id, "type": 0, "allow": "0", "deny": perm::SEND_MESSAGES.to_string()}
        ]})),
        200,
    )
    .await;
    let entry = log.one().await;
    assert_eq!(entry["action_type"], 13);
    assert_eq!(entry["target_id"], news_id);
    assert_eq!(entry["options"]["id"], guild_id);
    assert_eq!(entry["options"]["type"], "0");
    assert_eq!(
        change(&entry, "deny"),
        (Value::Null, json!(perm::SEND_MESSAGES.to_string()))
    );

    // A bulk move writes one entry per channel whose position changed, in one go.
    let listed = app.expect(Method::GET, &channels, &owner, None, 200).await;
    let moves: Vec<Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({"id": c["id"], "position": c["position"].as_i64().unwrap() + 1}))
        .collect();
    let moved_count = moves.len();
    let unchanged = listed[0]["id"].as_str().unwrap();
    let mut moves_with_same = moves.clone();
    moves_with_same[0]["position"] = listed[0]["position"].clone();
    app.expect(
        Method::PATCH,
        &channels,
        &owner,
        Some(Value::Array(moves_with_same)),
        204,
    )
    .await;
    let entries = log.new_entries().await;
    assert_eq!(entries.len(), moved_count - 1, "{entries:#?}");
    assert!(entries.iter().all(|e| e["action_type"] == 11));
    assert!(entries.iter().all(|e| e["target_id"] != unchanged));
    let (old, new) = change(&entries[0], "position");
    assert_eq!(new.as_i64().unwrap(), old.as_i64().unwrap() + 1);

    // Refused: no permission, an invalid name, an unknown channel, a move naming an unknown channel.
    assert_error(
        app.patch(&channel, Some(&member), json!({"name": "mine"}))
            .await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    assert_error(
        app.patch(&channel, Some(&owner), json!({"name": ""})).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_error(
        app.patch("/api/v1/channels/1", Some(&owner), json!({"name": "x"}))
            .await,
        404,
        "UNKNOWN_CHANNEL",
    )
    .await;
    assert_error(
        app.patch(&channels, Some(&owner), json!([{"id": "1", "position": 0}]))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_error(
        app.post(&channels, Some(&member), json!({"name": "mine"}))
            .await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    assert_error(
        app.delete(&channel, Some(&member)).await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    log.none().await;

    // Deletion records the channel as it was.
    app.expect(Method::DELETE, &channel, &owner, None, 200)
        .await;
    let entry = log.one().await;
    assert_eq!(entry["action_type"], 12);
    assert_eq!(entry["target_id"], news_id);
    assert_eq!(
        change(&entry, "name"),
        (json!("announcements"), Value::Null)
    );
    let (old_overwrites, _) = change(&entry, "permission_overwrites");
    assert_eq!(old_overwrites[0]["id"], guild_id);
    assert_error(
        app.delete(&channel, Some(&owner)).await,
        404,
        "UNKNOWN_CHANNEL",
    )
    .await;
    log.none().await;
}

async fn overwrites_are_recorded_as_created_updated_and_deleted(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let channel = guild["system_channel_id"].as_str().unwrap();
    let mut log = Log::new(&app, &owner, guild_id).await;
    let path = format!("/api/v1/channels/{channel}/permissions/{member_id}");
    let deny = perm::SEND_MESSAGES.to_string();

    let response = app
        .request_with_reason(
            Method::PUT,
            &path,
            &owner,
            "cool%20down",
            Some(json!({"type": 1, "deny": deny})),
        )
        .await;
    assert_eq!(response.status(), 204);
    let entry = log.one().await;
    assert_eq!(entry["action_type"], 13);
    assert_eq!(entry["target_id"], channel);
    assert_eq!(entry["reason"], "cool down");
    assert_eq!(entry["options"], json!({"id": member_id, "type": "1"}));
    assert_eq!(change(&entry, "id"), (Value::Null, json!(member_id)));
    assert_eq!(change(&entry, "type"), (Value::Null, json!(1)));
    assert_eq!(change(&entry, "allow"), (Value::Null, json!("0")));
    assert_eq!(change(&entry, "deny"), (Value::Null, json!(deny)));

    let both = (perm::SEND_MESSAGES | perm::MANAGE_MESSAGES).to_string();
    app.expect(
        Method::PUT,
        &path,
        &owner,
        Some(json!({"type": 1, "deny": both})),
        204,
    )
    .await;
    let entry = log.one().await;
    assert_eq!(entry["action_type"], 14);
    assert_eq!(keys(&entry), ["deny"]);
    assert_eq!(change(&entry, "deny"), (json!(deny), json!(both)));

    // Refused: ADMINISTRATOR in an overwrite, a target outside the guild, no MANAGE_ROLES, an overwrite
    // that does not exist.
    assert_error(
        app.put(
            &path,
            Some(&owner),
            Some(json!({"type": 1, "allow": perm::ADMINISTRATOR.to_string()})),
        )
        .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_error(
        app.put(
            &format!("/api/v1/channels/{channel}/permissions/1"),
            Some(&owner),
            Some(json!({"type": 1})),
        )
        .await,
        404,
        "UNKNOWN_MEMBER",
    )
    .await;
    assert_error(
        app.delete(&path, Some(&member)).await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    assert_error(
        app.delete(
            &format!("/api/v1/channels/{channel}/permissions/{guild_id}"),
            Some(&owner),
        )
        .await,
        404,
        "UNKNOWN_OVERWRITE",
    )
    .await;
    log.none().await;

    app.expect(Method::DELETE, &path, &owner, None, 204).await;
    let entry = log.one().await;
    assert_eq!(entry["action_type"], 15);
    assert_eq!(entry["target_id"], channel);
    assert_eq!(change(&entry, "deny"), (json!(both), Value::Null));
    assert_eq!(change(&entry, "id"), (json!(member_id), Value::Null));
}

async fn role_changes_are_recorded_with_permissions_as_decimal_strings(backend: Backend) {
    // Three roles at most, so the limit can be met.
    let app = spawn_app_with(backend, |c| c.limits.roles_per_guild = 3).await;
    let (owner, member, _, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let roles = format!("/api/v1/guilds/{guild_id}/roles");
    let mut log = Log::new(&app, &owner, guild_id).await;

    let response = app
        .request_with_reason(
            Method::POST,
            &roles,
            &owner,
            "helpers",
            Some(json!({"name": "helpers", "permissions": perm::KICK_MEMBERS.to_string(), "hoist": true})),
        )
        .await;
    assert_eq!(response.status(), 201);
    let helpers: Value = response.json().await.unwrap();
    let helpers_id = helpers["id"].as_str().unwrap();
    let entry = log.one().await;
    assert_eq!(entry["action_type"], 30);
    assert_eq!(entry["target_id"], helpers_id);
    assert_eq!(entry["reason"], "helpers");
    assert_eq!(change(&entry, "name"), (Value::Null, json!("helpers")));
    assert_eq!(
        change(&entry, "permissions"),
        (Value::Null, json!(perm::KICK_MEMBERS.to_string()))
    );
    assert_eq!(change(&entry, "hoist"), (Value::Null, json!(true)));

    let role = format!("{roles}/{helpers_id}");
    let widened = (perm::KICK_MEMBERS | perm::MANAGE_MESSAGES).to_string();
    app.expect(
        Method::PATCH,
        &role,
        &owner,
        Some(json!({"name": "helpers", "color": 0x3366ff, "permissions": widened})),
        200,
    )
    .await;
    let entry = log.one().await;
    assert_eq!(entry["action_type"], 31);
    assert_eq!(entry["target_id"], helpers_id);
    assert_eq!(keys(&entry), ["color", "permissions"]);
    assert_eq!(change(&entry, "color"), (json!(0), json!(0x3366ff)));
    assert_eq!(
        change(&entry, "permissions"),
        (json!(perm::KICK_MEMBERS.to_string()), json!(widened))
    );

    // A reorder writes one entry per role whose position changed.
    let other = app.create_role(&owner, guild_id, "other", 0).await;
    let other_id = other["id"].as_str().unwrap();
    log.one().await;
    app.expect(
        Method::PATCH,
        &roles,
        &owner,
        Some(json!([{"id": helpers_id, "position": 1}])),
        200,
    )
    .await;
    let entries = log.new_entries().await;
    assert_eq!(entries.len(), 2, "{entries:#?}");
    let targets: Vec<&str> = entries
        .iter()
        .map(|e| e["target_id"].as_str().unwrap())
        .collect();
    assert!(targets.contains(&helpers_id) && targets.contains(&other_id));
    let moved = entries
        .iter()
        .find(|e| e["target_id"] == helpers_id)
        .unwrap();
    assert_eq!(change(moved, "position"), (json!(2), json!(1)));

    // Refused: the limit, no MANAGE_ROLES, @everyone's deletion, an invalid colour, an unknown role.
    app.create_role(&owner, guild_id, "third", 0).await;
    log.one().await;
    assert_error(
        app.post(&roles, Some(&owner), json!({"name": "fourth"}))
            .await,
        400,
        "LIMIT_REACHED",
    )
    .await;
    assert_error(
        app.post(&roles, Some(&member), json!({"name": "mine"}))
            .await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    assert_error(
        app.delete(&format!("{roles}/{guild_id}"), Some(&owner))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_error(
        app.patch(&role, Some(&owner), json!({"color": -1})).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_error(
        app.delete(&format!("{roles}/1"), Some(&owner)).await,
        404,
        "UNKNOWN_ROLE",
    )
    .await;
    log.none().await;

    app.expect(Method::DELETE, &role, &owner, None, 204).await;
    let entry = log.one().await;
    assert_eq!(entry["action_type"], 32);
    assert_eq!(entry["target_id"], helpers_id);
    assert_eq!(change(&entry, "name"), (json!("helpers"), Value::Null));
    assert_eq!(change(&entry, "permissions"), (json!(widened), Value::Null));
}

async fn invites_are_recorded_when_created_and_revoked_but_not_when_reused(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let channel = guild["system_channel_id"].as_str().unwrap();
    let invites = format!("/api/v1/channels/{channel}/invites");
    let mut log = Log::new(&app, &owner, guild_id).await;

    // Any member may invite (the default @everyone permissions); the entry names them as actor.
    let body = json!({"max_age": 3600, "max_uses": 5});
    let response = app
        .request_with_reason(
            Method::POST,
            &invites,
            &member,
            "friends",
            Some(body.clone()),
        )
        .await;
    assert_eq!(response.status(), 201);
    let invite: Value = response.json().await.unwrap();
    let code = invite["code"].as_str().unwrap();
    let entry = log.one().await;
    assert_eq!(entry["action_type"], 40);
    assert_eq!(entry["user_id"], member_id.as_str());
    assert_eq!(
        entry["target_id"],
        Value::Null,
        "the code is in the changes"
    );
    assert_eq!(entry["reason"], "friends");
    assert_eq!(change(&entry, "code"), (Value::Null, json!(code)));
    assert_eq!(change(&entry, "channel_id"), (Value::Null, json!(channel)));
    assert_eq!(change(&entry, "max_age"), (Value::Null, json!(3600)));
    assert_eq!(change(&entry, "max_uses"), (Value::Null, json!(5)));
    assert_eq!(change(&entry, "temporary"), (Value::Null, json!(false)));

    // The same request answers the same invite: nothing new happened.
    app.expect(Method::POST, &invites, &member, Some(body), 200)
        .await;
    // Refused: bounds, and a stranger's revocation.
    assert_error(
        app.post(&invites, Some(&member), json!({"max_uses": 101}))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    let (stranger, _) = app.register("stranger", None).await;
    assert_error(
        app.delete(&format!("/api/v1/invites/{code}"), Some(&stranger))
            .await,
        404,
        "UNKNOWN_INVITE",
    )
    .await;
    log.none().await;

    app.expect(
        Method::DELETE,
        &format!("/api/v1/invites/{code}"),
        &owner,
        None,
        200,
    )
    .await;
    let entry = log.one().await;
    assert_eq!(entry["action_type"], 42);
    assert_eq!(change(&entry, "code"), (json!(code), Value::Null));
    assert_eq!(
        change(&entry, "inviter_id"),
        (json!(member_id), Value::Null)
    );
    assert_error(
        app.delete(&format!("/api/v1/invites/{code}"), Some(&owner))
            .await,
        404,
        "UNKNOWN_INVITE",
    )
    .await;
    log.none().await;
}

async fn moderator_deletes_and_pins_are_recorded_but_an_authors_own_delete_is_not(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let guild_id = guild["id"].as_str().unwrap();
    let channel = guild["system_channel_id"].as_str().unwrap();
    let messages = format!("/api/v1/channels/{channel}/messages");
    let mut log = Log::new(&app, &owner, guild_id).await;
    let mut sent = Vec::new();
    for i in 0..5 {
        sent.push(say(&app, &member, channel, &format!("m{i}")).await);
    }
    let owners = say(&app, &owner, channel, "the owner's").await;

    app.expect(
        Method::DELETE,
        &format!("{messages}/{}", sent[0]),
        &member,
        None,
        204,
    )
    .await;
    log.none().await;

    let response = app
        .request_with_reason(
            Method::DELETE,
            &format!("{messages}/{}", sent[1]),
            &owner,
            "off%20topic",
            None,
        )
        .await;
    assert_eq!(response.status(), 204);
    let entry = log.one().await;
    assert_eq!(entry["action_type"], 72);
    assert_eq!(entry["target_id"], member_id.as_str(), "the author");
    assert_eq!(entry["reason"], "off topic");
    assert_eq!(
        entry["options"],
        json!({"channel_id": channel, "count": "1"})
    );

    // A bulk delete counts what it deleted (an id already gone is ignored).
    app.expect(
        Method::POST,
        &format!("{messages}/bulk-delete"),
        &owner,
        Some(json!({"messages": [sent[1], sent[2], sent[3]]})),
        204,
    )
    .await;
    let entry = log.one().await;
    assert_eq!(entry["action_type"], 73);
    assert_eq!(entry["target_id"], channel);
    assert_eq!(entry["options"]["count"], "2");

    // Pins name the message's author as target; a pin that changes nothing records nothing.
    let pin = format!("/api/v1/channels/{channel}/pins/{}", sent[4]);
    app.expect(Method::PUT, &pin, &owner, None, 204).await;
    let entry = log.one().await;
    assert_eq!(entry["action_type"], 74);
    assert_eq!(entry["target_id"], member_id.as_str());
    assert_eq!(
        entry["options"],
        json!({"channel_id": channel, "message_id": sent[4]})
    );
    app.expect(Method::PUT, &pin, &owner, None, 204).await;
    log.none().await;
    app.expect(Method::DELETE, &pin, &owner, None, 204).await;
    assert_eq!(log.one().await["action_type"], 75);
    app.expect(Method::DELETE, &pin, &owner, None, 204).await;
    log.none().await;

    // Refused: a member deleting another's message, bulk deletes and pins without MANAGE_MESSAGES,
    // unknown messages, a bulk delete outside its bounds.
    assert_error(
        app.delete(&format!("{messages}/{owners}"), Some(&member))
            .await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    assert_error(
        app.post(
            &format!("{messages}/bulk-delete"),
            Some(&member),
            json!({"messages": [sent[4], owners]}),
        )
        .await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    assert_error(
        app.put(&pin, Some(&member), None).await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    assert_error(
        app.delete(&format!("{messages}/{}", sent[1]), Some(&owner))
            .await,
        404,
        "UNKNOWN_MESSAGE",
    )
    .await;
    assert_error(
        app.put(
            &format!("/api/v1/channels/{channel}/pins/{}", sent[2]),
            Some(&owner),
            None,
        )
        .await,
        404,
        "UNKNOWN_MESSAGE",
    )
    .await;
    assert_error(
        app.post(
            &format!("{messages}/bulk-delete"),
            Some(&owner),
            json!({"messages": [sent[4]]}),
        )
        .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    log.none().await;
}
