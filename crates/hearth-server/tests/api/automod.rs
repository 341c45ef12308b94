//! AutoMod over HTTP: rules managed behind MANAGE_GUILD, every trigger kind screening sends and edits
//! before anything is stored, what the actions do (block, alert, timeout) with their events and audit
//! entries, and the adversarial inputs a filter meets.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::gateway_client::GatewayClient;
use crate::helpers::{Backend, TestApp, assert_error, both_backends, perm, spawn_app};

both_backends!(
    rules_are_managed_behind_manage_guild_and_announced_only_to_managers,
    rule_bodies_are_validated_bounded_and_limited_per_trigger_type,
    each_trigger_kind_blocks_a_message_before_it_is_stored,
    disguised_keywords_huge_lists_and_pathological_patterns_are_handled,
    exempt_roles_channels_and_managers_are_not_screened,
    an_alert_and_a_timeout_follow_a_rule_that_lets_the_message_through,
    edits_are_screened_again_and_alerts_cannot_be_edited,
);

/// An owner, a plain member and the guild: (app, owner, member, member id, guild id, general channel).
struct Scene {
    app: TestApp,
    owner: String,
    member: String,
    member_id: String,
    guild_id: String,
    general: String,
}

impl Scene {
    async fn new(backend: Backend) -> Self {
        let app = spawn_app(backend).await;
        let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
        Self {
            guild_id: guild["id"].as_str().unwrap().to_owned(),
            general: guild["system_channel_id"].as_str().unwrap().to_owned(),
            app,
            owner,
            member,
            member_id,
        }
    }

    fn rules_path(&self) -> String {
        format!("/api/v1/guilds/{}/auto-moderation/rules", self.guild_id)
    }

    async fn create_rule(&self, body: Value) -> Value {
        let rule = self
            .app
            .expect(
                Method::POST,
                &self.rules_path(),
                &self.owner,
                Some(body),
                201,
            )
            .await;
        self.app.events();
        rule
    }

    async fn send(&self, token: &str, content: &str) -> reqwest::Response {
        self.send_in(token, &self.general, content).await
    }

    async fn send_in(&self, token: &str, channel: &str, content: &str) -> reqwest::Response {
        self.app
            .post(
                &format!("/api/v1/channels/{channel}/messages"),
                Some(token),
                json!({"content": content}),
            )
            .await
    }

    /// Sends as the member and expects AUTOMOD_BLOCKED; returns the error message.
    async fn blocked(&self, content: &str) -> String {
        let body = assert_error(
            self.send(&self.member, content).await,
            400,
            "AUTOMOD_BLOCKED",
        )
        .await;
        body["error"]["message"].as_str().unwrap().to_owned()
    }

    async fn allowed(&self, content: &str) -> Value {
        let response = self.send(&self.member, content).await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 201, "{content:?} was refused: {body}");
        body
    }

    async fn text_channel(&self, name: &str) -> String {
        let channel = self
            .app
            .expect(
                Method::POST,
                &format!("/api/v1/guilds/{}/channels", self.guild_id),
                &self.owner,
                Some(json!({"name": name})),
                201,
            )
            .await;
        channel["id"].as_str().unwrap().to_owned()
    }

    async fn history(&self, channel: &str) -> Vec<Value> {
        self.app
            .expect(
                Method::GET,
                &format!("/api/v1/channels/{channel}/messages"),
                &self.owner,
                None,
                200,
            )
            .await
            .as_array()
            .unwrap()
            .clone()
    }

    async fn audit(&self, action_type: u16) -> Vec<Value> {
        self.app
            .audit_entries(
                &self.owner,
                &self.guild_id,
                &format!("?action_type={action_type}"),
            )
            .await
    }
}

fn block(message: &str) -> Value {
    json!([{"type": 1, "metadata": {"custom_message": message}}])
}

fn keyword_rule(name: &str, keywords: &[&str]) -> Value {
    json!({
        "name": name, "event_type": 1, "trigger_type": 1, "enabled": true,
        "trigger_metadata": {"keyword_filter": keywords},
        "actions": block("Mind your language"),
    })
}

/// The names of the dispatches `ws` receives within `window`.
async fn dispatches_within(ws: &mut GatewayClient, window: Duration) -> Vec<String> {
    let mut names = Vec::new();
    let deadline = tokio::time::Instant::now() + window;
    while let Ok((name, _)) = tokio::time::timeout_at(deadline, ws.next_dispatch()).await {
        names.push(name);
    }
    names
}

async fn rules_are_managed_behind_manage_guild_and_announced_only_to_managers(backend: Backend) {
    let s = Scene::new(backend).await;
    let (mut owner_ws, _, _) = s.app.identified(&s.owner).await;
    let (mut member_ws, _, _) = s.app.identified(&s.member).await;

    let rule = s
        .create_rule(keyword_rule("Language", &["darn", "heck*"]))
        .await;
    assert_eq!(rule["guild_id"], s.guild_id.as_str());
    assert_eq!(rule["trigger_type"], 1);
    assert_eq!(rule["event_type"], 1);
    assert_eq!(rule["enabled"], true);
    assert_eq!(
        rule["trigger_metadata"]["keyword_filter"],
        json!(["darn", "heck*"])
    );
    assert_eq!(
        rule["actions"][0],
        json!({"type": 1, "metadata": {"custom_message": "Mind your language"}})
    );
    assert_eq!(rule["exempt_roles"], json!([]));
    let created = owner_ws.wait_for("AUTO_MODERATION_RULE_CREATE").await;
    assert_eq!(created, rule);
    let id = rule["id"].as_str().unwrap();
    let path = format!("{}/{id}", s.rules_path());

    let listed = s
        .app
        .expect(Method::GET, &s.rules_path(), &s.owner, None, 200)
        .await;
    assert_eq!(listed, json!([rule]));
    assert_eq!(
        s.app.expect(Method::GET, &path, &s.owner, None, 200).await,
        rule
    );

    // A plain member may neither read nor change rules, and changes nothing by trying.
    assert_error(
        s.app.get(&s.rules_path(), Some(&s.member)).await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    assert_error(
        s.app.get(&path, Some(&s.member)).await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    assert_error(
        s.app
            .post(
                &s.rules_path(),
                Some(&s.member),
                keyword_rule("Mine", &["x"]),
            )
            .await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    assert_error(
        s.app
            .patch(&path, Some(&s.member), json!({"enabled": false}))
            .await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    assert_error(
        s.app.delete(&path, Some(&s.member)).await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
    assert!(s.app.events().is_empty());

    // A manager role is enough.
    s.app
        .give_role(
            &s.owner,
            &s.guild_id,
            &s.member_id,
            "managers",
            perm::MANAGE_GUILD,
        )
        .await;
    s.app
        .expect(Method::GET, &s.rules_path(), &s.member, None, 200)
        .await;
    s.app.events();

    let updated = s
        .app
        .expect(
            Method::PATCH,
            &path,
            &s.owner,
            Some(json!({"name": "Words", "enabled": false, "trigger_metadata": {"keyword_filter": ["gosh"]}})),
            200,
        )
        .await;
    assert_eq!(updated["name"], "Words");
    assert_eq!(updated["enabled"], false);
    assert_eq!(
        updated["trigger_metadata"]["keyword_filter"],
        json!(["gosh"])
    );
    assert_eq!(updated["actions"], rule["actions"], "absent fields stay");
    let event = s.app.expect_event("AUTO_MODERATION_RULE_UPDATE");
    assert_eq!(event.data, updated);
    assert_eq!(
        owner_ws.wait_for("AUTO_MODERATION_RULE_UPDATE").await,
        updated
    );

    s.app
        .expect(Method::DELETE, &path, &s.owner, None, 204)
        .await;
    assert_eq!(
        s.app.expect_event("AUTO_MODERATION_RULE_DELETE").data["id"],
        id
    );
    assert_error(
        s.app.get(&path, Some(&s.owner)).await,
        404,
        "UNKNOWN_AUTO_MODERATION_RULE",
    )
    .await;
    assert_error(
        s.app.delete(&path, Some(&s.owner)).await,
        404,
        "UNKNOWN_AUTO_MODERATION_RULE",
    )
    .await;
    assert_error(
        s.app
            .get(&format!("{}/nope", s.rules_path()), Some(&s.owner))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;

    // Each change is in the audit log, by the owner, with the rule as target and the reason given.
    for action in [140, 141, 142] {
        let entries = s.audit(action).await;
        assert_eq!(entries.len(), 1, "action {action}");
        assert_eq!(entries[0]["target_id"], id);
    }
    let reasoned = s
        .app
        .request_with_reason(
            Method::POST,
            &s.rules_path(),
            &s.owner,
            "spam%20wave",
            Some(keyword_rule("R", &["x"])),
        )
        .await;
    assert_eq!(reasoned.status(), 201);
    assert_eq!(s.audit(140).await[0]["reason"], "spam wave");

    // The member got none of it until they could manage the guild, and then every rule event.
    let seen = dispatches_within(&mut member_ws, Duration::from_millis(300)).await;
    assert!(
        seen.iter()
            .filter(|n| n.starts_with("AUTO_MODERATION"))
            .count()
            == 3,
        "the member saw {seen:?}"
    );
}

async fn rule_bodies_are_validated_bounded_and_limited_per_trigger_type(backend: Backend) {
    let s = Scene::new(backend).await;
    let category = s
        .app
        .expect(
            Method::POST,
            &format!("/api/v1/guilds/{}/channels", s.guild_id),
            &s.owner,
            Some(json!({"name": "Archive", "type": 4})),
            201,
        )
        .await;
    let other_guild = s.app.create_guild(&s.member, "Elsewhere").await;
    s.app.events();
    let thousand_and_one: Vec<String> = (0..=1000).map(|i| format!("w{i}")).collect();
    let base = keyword_rule("Rule", &["ok"]);
    let with = |patch: Value| {
        let mut body = base.clone();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let cases = [
        (
            with(json!({"trigger_metadata": {"keyword_filter": thousand_and_one}})),
            "trigger_metadata.keyword_filter",
        ),
        (
            with(json!({"trigger_metadata": {"keyword_filter": ["x".repeat(61)]}})),
            "trigger_metadata.keyword_filter[0]",
        ),
        (
            with(json!({"trigger_metadata": {"keyword_filter": ["c*t"]}})),
            "trigger_metadata.keyword_filter[0]",
        ),
        (
            with(json!({"trigger_metadata": {"regex_patterns": [r"\w{1000}"]}})),
            "trigger_metadata.regex_patterns[0]",
        ),
        (
            with(json!({"trigger_metadata": {"regex_patterns": ["(?:x{50}){50}{50}"]}})),
            "trigger_metadata.regex_patterns[0]",
        ),
        (
            with(json!({"trigger_metadata": {"regex_patterns": ["a*"]}})),
            "trigger_metadata.regex_patterns[0]",
        ),
        (
            with(json!({"trigger_metadata": {"regex_patterns": vec!["x"; 11]}})),
            "trigger_metadata.regex_patterns",
        ),
        (
            with(json!({"trigger_metadata": {}})),
            "trigger_metadata.keyword_filter",
        ),
        (
            with(json!({"trigger_metadata": {"keyword_filter": ["ok"], "mention_total_limit": 5}})),
            "trigger_metadata.mention_total_limit",
        ),
        (with(json!({"trigger_type": 3})), "trigger_type"),
        (with(json!({"trigger_type": 4})), "trigger_type"),
        (with(json!({"trigger_type": 999})), "trigger_type"),
        (with(json!({"event_type": 2})), "event_type"),
        (with(json!({"name": ""})), "name"),
        (with(json!({"name": "n".repeat(101)})), "name"),
        (with(json!({"actions": []})), "actions"),
        (with(json!({"actions": [{"type": 9}]})), "actions[0].type"),
        (
            with(json!({"actions": [{"type": 1}, {"type": 1}]})),
            "actions[1].type",
        ),
        (
            with(json!({"actions": [{"type": 3, "metadata": {"duration_seconds": 2_419_201}}]})),
            "actions[0].metadata.duration_seconds",
        ),
        (
            with(json!({"actions": [{"type": 3}]})),
            "actions[0].metadata.duration_seconds",
        ),
        (
            with(
                json!({"actions": [{"type": 1, "metadata": {"custom_message": "m".repeat(151)}}]}),
            ),
            "actions[0].metadata.custom_message",
        ),
        (
            with(json!({"actions": [{"type": 2, "metadata": {"channel_id": "123"}}]})),
            "actions[0].metadata.channel_id",
        ),
        (
            with(json!({"actions": [{"type": 2, "metadata": {"channel_id": category["id"]}}]})),
            "actions[0].metadata.channel_id",
        ),
        (
            with(
                json!({"actions": [{"type": 2, "metadata": {"channel_id": other_guild["system_channel_id"]}}]}),
            ),
            "actions[0].metadata.channel_id",
        ),
        (with(json!({"exempt_roles": ["123"]})), "exempt_roles[0]"),
        (
            with(json!({"exempt_roles": (1..=21).map(|n| n.to_string()).collect::<Vec<_>>()})),
            "exempt_roles",
        ),
        (
            with(json!({"exempt_channels": [other_guild["system_channel_id"]]})),
            "exempt_channels[0]",
        ),
        (
            with(json!({"exempt_channels": ["x"]})),
            "exempt_channels[0]",
        ),
        (
            json!({"name": "M", "event_type": 1, "trigger_type": 5, "trigger_metadata": {"mention_total_limit": 51}, "actions": block("no")}),
            "trigger_metadata.mention_total_limit",
        ),
        (
            json!({"name": "M", "event_type": 1, "trigger_type": 5, "trigger_metadata": {"mention_total_limit": 5, "mention_raid_protection_enabled": true}, "actions": block("no")}),
            "trigger_metadata.mention_raid_protection_enabled",
        ),
        (
            json!({"name": "L", "event_type": 1, "trigger_type": 101, "trigger_metadata": {"blocked_domains": ["https://x.com"]}, "actions": block("no")}),
            "trigger_metadata.blocked_domains[0]",
        ),
        (
            json!({"name": "S", "event_type": 1, "trigger_type": 102, "trigger_metadata": {"interval_seconds": 601, "max_messages": 5}, "actions": block("no")}),
            "trigger_metadata.interval_seconds",
        ),
    ];
    for (body, field) in cases {
        let response = s
            .app
            .post(&s.rules_path(), Some(&s.owner), body.clone())
            .await;
        let error = assert_error(response, 400, "VALIDATION_FAILED").await;
        assert!(
            error["error"]["fields"].get(field).is_some(),
            "{field} not reported for {body}: {error}"
        );
    }
    assert_error(
        s.app
            .post(
                &s.rules_path(),
                Some(&s.owner),
                with(json!({"trigger_type": "1"})),
            )
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_error(
        s.app
            .post(
                &s.rules_path(),
                Some(&s.owner),
                with(json!({"surprise": true})),
            )
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    let listed = s
        .app
        .expect(Method::GET, &s.rules_path(), &s.owner, None, 200)
        .await;
    assert_eq!(listed, json!([]), "no refused body created anything");
    assert!(s.audit(140).await.is_empty());
    assert!(s.app.events().is_empty());

    // Six keyword rules and one of each other kind.
    let thousand: Vec<String> = (0..1000).map(|i| format!("w{i}")).collect();
    let biggest = with(
        json!({"trigger_metadata": {"keyword_filter": thousand, "regex_patterns": vec!["x"; 10], "allow_list": vec!["a"; 100]}}),
    );
    s.create_rule(biggest).await;
    for _ in 1..6 {
        s.create_rule(base.clone()).await;
    }
    assert_error(
        s.app
            .post(&s.rules_path(), Some(&s.owner), base.clone())
            .await,
        400,
        "LIMIT_REACHED",
    )
    .await;
    let mention = json!({"name": "M", "event_type": 1, "trigger_type": 5, "trigger_metadata": {"mention_total_limit": 5}, "actions": block("no")});
    s.create_rule(mention.clone()).await;
    assert_error(
        s.app.post(&s.rules_path(), Some(&s.owner), mention).await,
        400,
        "LIMIT_REACHED",
    )
    .await;

    // An update is held to the same rules, against the rule's own trigger type.
    let rule = &s
        .app
        .expect(Method::GET, &s.rules_path(), &s.owner, None, 200)
        .await[0];
    let path = format!("{}/{}", s.rules_path(), rule["id"].as_str().unwrap());
    for (body, field) in [
        (
            json!({"trigger_metadata": {"mention_total_limit": 3}}),
            "trigger_metadata.mention_total_limit",
        ),
        (json!({"actions": [{"type": 4}]}), "actions[0].type"),
        (
            json!({"exempt_channels": [category["id"].as_str().unwrap().to_owned() + "0"]}),
            "exempt_channels[0]",
        ),
    ] {
        let error = assert_error(
            s.app.patch(&path, Some(&s.owner), body).await,
            400,
            "VALIDATION_FAILED",
        )
        .await;
        assert!(error["error"]["fields"].get(field).is_some(), "{error}");
    }
    assert_error(
        s.app
            .patch(&path, Some(&s.owner), json!({"trigger_type": 5}))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(
        &s.app.expect(Method::GET, &path, &s.owner, None, 200).await,
        rule
    );
}

async fn each_trigger_kind_blocks_a_message_before_it_is_stored(backend: Backend) {
    let s = Scene::new(backend).await;
    let rule = |name: &str, trigger_type: u16, metadata: Value, message: &str| {
        json!({"name": name, "event_type": 1, "trigger_type": trigger_type, "enabled": true,
               "trigger_metadata": metadata, "actions": block(message)})
    };
    s.create_rule(rule(
        "Words",
        1,
        json!({"keyword_filter": ["darn", "*heck*"], "allow_list": ["checkers"]}),
        "No swearing",
    ))
    .await;
    s.create_rule(rule(
        "Patterns",
        1,
        json!({"regex_patterns": [r"\bfree\s+nitro\b"]}),
        "No scams",
    ))
    .await;
    s.create_rule(rule(
        "Mentions",
        5,
        json!({"mention_total_limit": 2}),
        "Too many mentions",
    ))
    .await;
    s.create_rule(rule(
        "Invites",
        100,
        json!({"allow_list": ["Friendly1"]}),
        "No invites",
    ))
    .await;
    s.create_rule(rule(
        "Links",
        101,
        json!({"blocked_domains": ["evil.example"]}),
        "No bad links",
    ))
    .await;
    let own_invite = s
        .app
        .expect(
            Method::POST,
            &format!("/api/v1/channels/{}/invites", s.general),
            &s.owner,
            Some(json!({"max_age": 0, "unique": true})),
            201,
        )
        .await;
    let own_code = own_invite["code"].as_str().unwrap();
    s.app.events();

    assert_eq!(s.blocked("well darn it").await, "No swearing");
    assert_eq!(s.blocked("what the HECK").await, "No swearing");
    s.allowed("a game of checkers").await;
    assert_eq!(s.blocked("get FREE   Nitro here").await, "No scams");
    s.allowed("free nitrogen").await;
    assert_eq!(s.blocked("<@1> <@2> <@&3>").await, "Too many mentions");
    assert_eq!(
        s.blocked("join https://discord.gg/abcd").await,
        "No invites"
    );
    assert_eq!(
        s.blocked("https://chat.example.net/invite/Other").await,
        "No invites"
    );
    s.allowed("https://chat.example.net/invite/Friendly1").await;
    s.allowed(&format!(
        "come back via https://hearth.example/invite/{own_code}"
    ))
    .await;
    assert_eq!(
        s.blocked("see https://cdn.evil.example/x").await,
        "No bad links"
    );
    s.allowed("see https://good.example/x").await;

    // Nothing blocked was stored, and no MESSAGE_CREATE went out for it.
    let stored: Vec<String> = s
        .history(&s.general)
        .await
        .iter()
        .map(|m| m["content"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(stored.len(), 5, "{stored:?}");
    assert!(
        stored
            .iter()
            .all(|c| !c.contains("darn") && !c.contains("evil"))
    );
    let created = s
        .app
        .events()
        .iter()
        .filter(|e| e.name == "MESSAGE_CREATE")
        .count();
    assert_eq!(created, 5);

    // Message spam (a rule added now, so the member's attempts above were not counted): another
    // member sends four distinct messages, then a fifth inside the minute.
    s.create_rule(rule(
        "Spam",
        102,
        json!({"max_messages": 4, "max_duplicates": 2, "interval_seconds": 60}),
        "Slow down",
    ))
    .await;
    let (third, _) = s.app.register("third", None).await;
    let code = s
        .app
        .invite_to(&s.owner, &json!({"system_channel_id": s.general}))
        .await;
    s.app.join(&third, &code).await;
    for n in 1..=4 {
        assert_eq!(s.send(&third, &format!("message {n}")).await.status(), 201);
    }
    let refused = assert_error(s.send(&third, "message 5").await, 400, "AUTOMOD_BLOCKED").await;
    assert_eq!(refused["error"]["message"], "Slow down");
    // Repeated content: a third copy within the window is refused even below the message count.
    let (fourth, _) = s.app.register("fourth", None).await;
    s.app.join(&fourth, &code).await;
    assert_eq!(s.send(&fourth, "BUY NOW").await.status(), 201);
    assert_eq!(s.send(&fourth, "buy  now").await.status(), 201);
    assert_error(s.send(&fourth, "Buy now").await, 400, "AUTOMOD_BLOCKED").await;

    // Each block is in the audit log with the rule's name, the author as target, no actor.
    let blocks = s.audit(143).await;
    assert_eq!(blocks.len(), 9);
    let spam = &blocks[0];
    assert!(spam["user_id"].is_null());
    assert_eq!(spam["options"]["auto_moderation_rule_name"], "Spam");
    assert_eq!(spam["options"]["auto_moderation_rule_trigger_type"], "102");
    assert_eq!(spam["options"]["channel_id"], s.general.as_str());
    assert_eq!(blocks.last().unwrap()["target_id"], s.member_id.as_str());
}

async fn disguised_keywords_huge_lists_and_pathological_patterns_are_handled(backend: Backend) {
    let s = Scene::new(backend).await;
    let mut keywords: Vec<String> = (0..999).map(|i| format!("filler{i:03}")).collect();
    keywords.push("free nitro".into());
    s.create_rule(json!({
        "name": "Big list", "event_type": 1, "trigger_type": 1, "enabled": true,
        "trigger_metadata": {"keyword_filter": keywords, "regex_patterns": ["(a+)+$"]},
        "actions": block("Blocked"),
    }))
    .await;
    for disguised in [
        "free nitro",
        "ｆｒｅｅ ｎｉｔｒｏ",
        "frее nitrо",
        "fr\u{200b}ee ni\u{200d}tro",
        "f\u{2060}ree\u{feff} nitro",
        "frée nîtrö",
        "𝐟𝐫𝐞𝐞 𝐧𝐢𝐭𝐫𝐨",
        "FREE NITRO",
        "filler998 here",
    ] {
        s.blocked(disguised).await;
    }
    // `(a+)+$` would backtrack for ages on this in a backtracking engine; here it simply does not
    // match (the text ends in `b`), and the same text without the `b` does.
    s.allowed(&format!("{}b", "a".repeat(3999))).await;
    s.blocked(&"a".repeat(4000)).await;
    s.allowed("freedom, nitrogen and filler1000").await;
}

async fn exempt_roles_channels_and_managers_are_not_screened(backend: Backend) {
    let s = Scene::new(backend).await;
    let quiet = s.text_channel("anything-goes").await;
    let trusted = s.app.create_role(&s.owner, &s.guild_id, "trusted", 0).await;
    let mut body = keyword_rule("Words", &["darn"]);
    body["exempt_channels"] = json!([quiet]);
    body["exempt_roles"] = json!([trusted["id"]]);
    s.create_rule(body).await;

    s.blocked("darn").await;
    assert_eq!(s.send_in(&s.member, &quiet, "darn").await.status(), 201);
    assert_eq!(
        s.send(&s.owner, "darn").await.status(),
        201,
        "the owner manages the guild"
    );
    s.app
        .grant_role(
            &s.owner,
            &s.guild_id,
            &s.member_id,
            trusted["id"].as_str().unwrap(),
        )
        .await;
    s.allowed("darn").await;

    // A disabled rule screens nothing; enabling it again takes effect at once.
    let (third, third_user) = s.app.register("third", None).await;
    let code = s
        .app
        .invite_to(&s.owner, &json!({"system_channel_id": s.general}))
        .await;
    s.app.join(&third, &code).await;
    let rule_id = s
        .app
        .expect(Method::GET, &s.rules_path(), &s.owner, None, 200)
        .await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("{}/{rule_id}", s.rules_path());
    s.app
        .expect(
            Method::PATCH,
            &path,
            &s.owner,
            Some(json!({"enabled": false})),
            200,
        )
        .await;
    assert_eq!(s.send(&third, "darn").await.status(), 201);
    s.app
        .expect(
            Method::PATCH,
            &path,
            &s.owner,
            Some(json!({"enabled": true})),
            200,
        )
        .await;
    assert_error(s.send(&third, "darn").await, 400, "AUTOMOD_BLOCKED").await;
    // Holding MANAGE_GUILD through a role exempts too.
    s.app
        .give_role(
            &s.owner,
            &s.guild_id,
            third_user["id"].as_str().unwrap(),
            "managers",
            perm::MANAGE_GUILD,
        )
        .await;
    assert_eq!(s.send(&third, "darn").await.status(), 201);
}

async fn an_alert_and_a_timeout_follow_a_rule_that_lets_the_message_through(backend: Backend) {
    let s = Scene::new(backend).await;
    let mods = s.text_channel("mod-log").await;
    let rule = s
        .create_rule(json!({
            "name": "Watch", "event_type": 1, "trigger_type": 1, "enabled": true,
            "trigger_metadata": {"keyword_filter": ["*scam*"]},
            "actions": [
                {"type": 2, "metadata": {"channel_id": mods}},
                {"type": 3, "metadata": {"duration_seconds": 600}},
            ],
        }))
        .await;
    let (mut owner_ws, _, _) = s.app.identified(&s.owner).await;
    let (mut member_ws, _, _) = s.app.identified(&s.member).await;

    let sent = s.allowed("this is a total SCAM, friends").await;
    let message_id = sent["id"].as_str().unwrap();

    // The alert: a type-24 message in the alert channel, in the author's name, with their content.
    let alerts = s.history(&mods).await;
    assert_eq!(alerts.len(), 1);
    let alert = &alerts[0];
    assert_eq!(alert["type"], 24);
    assert_eq!(alert["author"]["id"], s.member_id.as_str());
    assert_eq!(alert["content"], "this is a total SCAM, friends");

    // Presence changes from the sockets above may interleave; they are not this test's business.
    let events: Vec<_> = s
        .app
        .events()
        .into_iter()
        .filter(|e| e.name != "PRESENCE_UPDATE")
        .collect();
    let names: Vec<&str> = events.iter().map(|e| e.name).collect();
    assert_eq!(
        names,
        [
            "MESSAGE_CREATE",
            "MESSAGE_CREATE",
            "AUTO_MODERATION_ACTION_EXECUTION",
            "GUILD_MEMBER_UPDATE",
            "AUTO_MODERATION_ACTION_EXECUTION"
        ]
    );
    let executions: Vec<&Value> = events
        .iter()
        .filter(|e| e.name == "AUTO_MODERATION_ACTION_EXECUTION")
        .map(|e| &e.data)
        .collect();
    assert_eq!(executions[0]["action"]["type"], 2);
    assert_eq!(executions[0]["alert_system_message_id"], alert["id"]);
    assert_eq!(executions[1]["action"]["type"], 3);
    for execution in &executions {
        assert_eq!(execution["rule_id"], rule["id"]);
        assert_eq!(execution["rule_trigger_type"], 1);
        assert_eq!(execution["user_id"], s.member_id.as_str());
        assert_eq!(execution["channel_id"], s.general.as_str());
        assert_eq!(execution["message_id"], message_id);
        assert_eq!(execution["matched_keyword"], "*scam*");
        assert_eq!(execution["matched_content"], "scam");
        assert_eq!(execution["content"], "this is a total SCAM, friends");
    }
    let update = &events[3].data;
    assert_eq!(update["user"]["id"], s.member_id.as_str());
    assert!(update["communication_disabled_until"].is_string());

    // Moderators hear about it; the member does not.
    assert_eq!(
        owner_ws.wait_for("AUTO_MODERATION_ACTION_EXECUTION").await["action"]["type"],
        2
    );
    let member_saw = dispatches_within(&mut member_ws, Duration::from_millis(300)).await;
    assert!(
        !member_saw.iter().any(|n| n.starts_with("AUTO_MODERATION")),
        "the member saw {member_saw:?}"
    );

    // Timed out, the member cannot send.
    assert_error(
        s.send(&s.member, "hello?").await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;

    // Both actions are in the audit log, by no one, about the member.
    let flagged = s.audit(144).await;
    let silenced = s.audit(145).await;
    assert_eq!((flagged.len(), silenced.len()), (1, 1));
    for entry in [&flagged[0], &silenced[0]] {
        assert!(entry["user_id"].is_null());
        assert_eq!(entry["target_id"], s.member_id.as_str());
        assert_eq!(entry["options"]["auto_moderation_rule_name"], "Watch");
    }
    // Recorded like any timeout: the new end as an RFC 3339 time.
    let change = &silenced[0]["changes"][0];
    assert_eq!(change["key"], "communication_disabled_until");
    assert!(
        change["new_value"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
}

async fn edits_are_screened_again_and_alerts_cannot_be_edited(backend: Backend) {
    let s = Scene::new(backend).await;
    let mods = s.text_channel("mod-log").await;
    s.create_rule(keyword_rule("Words", &["darn"])).await;
    s.create_rule(json!({
        "name": "Watch", "event_type": 1, "trigger_type": 1, "enabled": true,
        "trigger_metadata": {"keyword_filter": ["hmm"]},
        "actions": [{"type": 2, "metadata": {"channel_id": mods}}],
    }))
    .await;
    let sent = s.allowed("all fine").await;
    let path = format!(
        "/api/v1/channels/{}/messages/{}",
        s.general,
        sent["id"].as_str().unwrap()
    );
    assert_error(
        s.app
            .patch(&path, Some(&s.member), json!({"content": "all darn fine"}))
            .await,
        400,
        "AUTOMOD_BLOCKED",
    )
    .await;
    let unchanged = s.app.expect(Method::GET, &path, &s.owner, None, 200).await;
    assert_eq!(unchanged["content"], "all fine");
    assert!(unchanged["edited_timestamp"].is_null());
    assert!(s.app.events().iter().all(|e| e.name != "MESSAGE_UPDATE"));

    // An edit that trips an alert-only rule is kept, and the alert names the edited message.
    let edited = s
        .app
        .expect(
            Method::PATCH,
            &path,
            &s.member,
            Some(json!({"content": "hmm, fine"})),
            200,
        )
        .await;
    assert_eq!(edited["content"], "hmm, fine");
    let execution = s.app.expect_event("AUTO_MODERATION_ACTION_EXECUTION");
    assert_eq!(execution.data["message_id"], sent["id"]);
    let alert = &s.history(&mods).await[0];
    assert_eq!(alert["type"], 24);

    // The alert bears the member's id but is not theirs to edit.
    let member_alert_path = format!(
        "/api/v1/channels/{mods}/messages/{}",
        alert["id"].as_str().unwrap()
    );
    assert_error(
        s.app
            .patch(
                &member_alert_path,
                Some(&s.member),
                json!({"content": "nothing to see"}),
            )
            .await,
        403,
        "NOT_AUTHOR",
    )
    .await;
    // Nor theirs to delete: only moderators remove an alert.
    assert_error(
        s.app.delete(&member_alert_path, Some(&s.member)).await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
}
