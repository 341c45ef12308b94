//! Reports: members report messages and members; moderators with MANAGE_REPORTS triage the queue and
//! act with one click under each action's own permission; escalations reach the instance's admins.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, assert_error, both_backends, perm, spawn_app};

both_backends!(
    a_reported_message_reaches_report_managers_with_its_content_kept_after_deletion,
    reports_are_refused_for_bad_input_unseen_messages_oneself_and_duplicates,
    triage_sets_status_assignee_and_notes_and_is_audited,
    one_click_actions_need_their_own_permission_and_resolve_the_report,
    escalated_and_instance_reports_reach_admins_only,
    the_open_reports_of_one_reporter_are_bounded,
);

/// Owner, member (reporter), the member's id, a third member ("troll") with a message in the system
/// channel, and the guild.
struct Scene {
    owner: String,
    reporter: String,
    troll: String,
    troll_id: String,
    message: Value,
    guild: Value,
}

impl Scene {
    fn guild_id(&self) -> &str {
        self.guild["id"].as_str().unwrap()
    }

    fn channel(&self) -> &str {
        self.guild["system_channel_id"].as_str().unwrap()
    }

    fn reports(&self) -> String {
        format!("/api/v1/guilds/{}/reports", self.guild_id())
    }

    fn message_report(&self) -> Value {
        json!({
            "channel_id": self.channel(),
            "message_id": self.message["id"],
            "category": "harassment",
            "reason": "rude",
        })
    }
}

async fn scene(app: &TestApp) -> Scene {
    let (owner, reporter, _reporter_id, guild) = app.two_users_in_a_guild().await;
    let (troll, troll_user) = app.register("troll", None).await;
    let code = app.invite_to(&owner, &guild).await;
    app.join(&troll, &code).await;
    let channel = guild["system_channel_id"].as_str().unwrap();
    let message = app
        .expect(
            Method::POST,
            &format!("/api/v1/channels/{channel}/messages"),
            &troll,
            Some(json!({ "content": "you are all terrible" })),
            201,
        )
        .await;
    app.events();
    Scene {
        owner,
        reporter,
        troll,
        troll_id: troll_user["id"].as_str().unwrap().to_owned(),
        message,
        guild,
    }
}

async fn a_reported_message_reaches_report_managers_with_its_content_kept_after_deletion(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let s = scene(&app).await;
    let report = app
        .expect(
            Method::POST,
            &s.reports(),
            &s.reporter,
            Some(s.message_report()),
            201,
        )
        .await;
    assert_eq!(report["status"], "open");
    assert_eq!(report["target_user_id"], s.troll_id.as_str());
    assert_eq!(report["message_content"], "you are all terrible");
    let event = app.expect_event("REPORT_CREATE");
    assert_eq!(
        event.audience,
        hearth_server::bus::Audience::GuildWith {
            guild_id: s.guild_id().parse().unwrap(),
            permission: hearth_core::Permissions::MANAGE_REPORTS,
        }
    );

    // The author deletes the message; the evidence stays.
    app.expect(
        Method::DELETE,
        &format!(
            "/api/v1/channels/{}/messages/{}",
            s.channel(),
            s.message["id"].as_str().unwrap()
        ),
        &s.troll,
        None,
        204,
    )
    .await;
    let queue = app
        .expect(Method::GET, &s.reports(), &s.owner, None, 200)
        .await;
    assert_eq!(queue.as_array().unwrap().len(), 1);
    assert_eq!(queue[0]["message_content"], "you are all terrible");

    // The queue is for report managers only.
    assert_error(
        app.get(&s.reports(), Some(&s.reporter)).await,
        403,
        "MISSING_PERMISSIONS",
    )
    .await;
}

async fn reports_are_refused_for_bad_input_unseen_messages_oneself_and_duplicates(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let s = scene(&app).await;
    let mut bad = s.message_report();
    bad["category"] = json!("meh");
    let cases = [
        bad,
        json!({ "category": "spam" }),
        json!({ "user_id": s.troll_id, "message_id": s.message["id"], "channel_id": s.channel(), "category": "spam" }),
        json!({ "user_id": s.troll_id, "category": "spam", "reason": "x".repeat(1001) }),
        json!({ "user_id": s.troll_id, "category": "spam", "reason": "nul\u{0}" }),
        json!({ "user_id": s.troll_id, "category": "spam", "severity": 9 }),
        json!({ "user_id": "nope", "category": "spam" }),
    ];
    for body in cases {
        let r = app
            .post(&s.reports(), Some(&s.reporter), body.clone())
            .await;
        assert_eq!(r.status(), 400, "{body} accepted");
    }
    // A message in a channel the reporter cannot see is unknown to them.
    let private = app
        .expect(
            Method::POST,
            &format!("/api/v1/guilds/{}/channels", s.guild_id()),
            &s.owner,
            Some(json!({
                "name": "staff",
                "permission_overwrites": [
                    { "id": s.guild_id(), "type": 0, "deny": perm::VIEW_CHANNEL.to_string() }
                ]
            })),
            201,
        )
        .await;
    let hidden = app
        .expect(
            Method::POST,
            &format!(
                "/api/v1/channels/{}/messages",
                private["id"].as_str().unwrap()
            ),
            &s.owner,
            Some(json!({ "content": "secret" })),
            201,
        )
        .await;
    let r = app
        .post(
            &s.reports(),
            Some(&s.reporter),
            json!({ "channel_id": private["id"], "message_id": hidden["id"], "category": "spam" }),
        )
        .await;
    assert_error(r, 404, "UNKNOWN_CHANNEL").await;
    // Oneself, strangers.
    let own = app
        .expect(
            Method::POST,
            &format!("/api/v1/channels/{}/messages", s.channel()),
            &s.reporter,
            Some(json!({ "content": "mine" })),
            201,
        )
        .await;
    let r = app
        .post(
            &s.reports(),
            Some(&s.reporter),
            json!({ "channel_id": s.channel(), "message_id": own["id"], "category": "spam" }),
        )
        .await;
    assert_eq!(r.status(), 400);
    let (outsider, _) = app.register("outsider", None).await;
    let r = app
        .post(&s.reports(), Some(&outsider), s.message_report())
        .await;
    assert_eq!(r.status(), 404);

    // One open report per reporter and message.
    app.expect(
        Method::POST,
        &s.reports(),
        &s.reporter,
        Some(s.message_report()),
        201,
    )
    .await;
    let r = app
        .post(&s.reports(), Some(&s.reporter), s.message_report())
        .await;
    assert_error(r, 409, "ALREADY_REPORTED").await;
    let queue = app
        .expect(Method::GET, &s.reports(), &s.owner, None, 200)
        .await;
    assert_eq!(queue.as_array().unwrap().len(), 1);
}

async fn triage_sets_status_assignee_and_notes_and_is_audited(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = scene(&app).await;
    let owner_id = s.guild["owner_id"].as_str().unwrap();
    let report = app
        .expect(
            Method::POST,
            &s.reports(),
            &s.reporter,
            Some(json!({ "user_id": s.troll_id, "category": "spam" })),
            201,
        )
        .await;
    let path = format!("{}/{}", s.reports(), report["id"].as_str().unwrap());

    // Only members who can manage reports can be assigned.
    let r = app
        .patch(&path, Some(&s.owner), json!({ "assignee_id": s.troll_id }))
        .await;
    assert_eq!(r.status(), 400);
    for bad in [
        json!({ "status": "closed" }),
        json!({ "assignee_id": 5 }),
        json!({ "priority": 1 }),
    ] {
        let r = app.patch(&path, Some(&s.owner), bad.clone()).await;
        assert_eq!(r.status(), 400, "{bad} accepted");
    }
    let updated = app
        .expect(
            Method::PATCH,
            &path,
            &s.owner,
            Some(json!({ "assignee_id": owner_id, "status": "dismissed" })),
            200,
        )
        .await;
    assert_eq!(updated["status"], "dismissed");
    assert_eq!(updated["assignee_id"], owner_id);
    app.expect_event("REPORT_UPDATE");

    let noted = app
        .expect(
            Method::POST,
            &format!("{path}/notes"),
            &s.owner,
            Some(json!({ "content": "looked at their history" })),
            201,
        )
        .await;
    assert_eq!(noted["notes"][0]["content"], "looked at their history");
    let r = app
        .post(
            &format!("{path}/notes"),
            Some(&s.owner),
            json!({ "content": " " }),
        )
        .await;
    assert_eq!(r.status(), 400);
    let r = app
        .post(
            &format!("{path}/notes"),
            Some(&s.owner),
            json!({ "content": "x".repeat(2001) }),
        )
        .await;
    assert_eq!(r.status(), 400);
    let shown = app.expect(Method::GET, &path, &s.owner, None, 200).await;
    assert_eq!(shown["notes"].as_array().unwrap().len(), 1);

    let log = app
        .expect(
            Method::GET,
            &format!(
                "/api/v1/guilds/{}/audit-logs?action_type=1010",
                s.guild_id()
            ),
            &s.owner,
            None,
            200,
        )
        .await;
    let entries = log["audit_log_entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "only the successful triage");
    let keys: Vec<&str> = entries[0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["status", "assignee_id"]);

    // Unknown and foreign report ids.
    assert_error(
        app.get(&format!("{}/1", s.reports()), Some(&s.owner)).await,
        404,
        "UNKNOWN_REPORT",
    )
    .await;
}

async fn one_click_actions_need_their_own_permission_and_resolve_the_report(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = scene(&app).await;
    let report = app
        .expect(
            Method::POST,
            &s.reports(),
            &s.reporter,
            Some(s.message_report()),
            201,
        )
        .await;
    let actions = format!("{}/{}/actions", s.reports(), report["id"].as_str().unwrap());
    // A triager who may manage reports but not ban.
    let (triager, triager_user) = app.register("triager", None).await;
    let code = app.invite_to(&s.owner, &s.guild).await;
    app.join(&triager, &code).await;
    app.give_role(
        &s.owner,
        s.guild_id(),
        triager_user["id"].as_str().unwrap(),
        "triage",
        1 << 60,
    )
    .await;
    let r = app
        .post(&actions, Some(&triager), json!({ "type": "ban" }))
        .await;
    assert_error(r, 403, "MISSING_PERMISSIONS").await;
    let r = app
        .post(&actions, Some(&s.owner), json!({ "type": "explode" }))
        .await;
    assert_eq!(r.status(), 400);
    let r = app
        .post(
            &actions,
            Some(&s.owner),
            json!({ "type": "timeout", "duration_seconds": 10 }),
        )
        .await;
    assert_eq!(r.status(), 400);

    // Delete the message, then time the author out, as the owner.
    let resolved = app
        .expect(
            Method::POST,
            &actions,
            &s.owner,
            Some(json!({ "type": "delete_message" })),
            200,
        )
        .await;
    assert_eq!(resolved["status"], "resolved");
    let r = app
        .get(
            &format!(
                "/api/v1/channels/{}/messages/{}",
                s.channel(),
                s.message["id"].as_str().unwrap()
            ),
            Some(&s.owner),
        )
        .await;
    assert_eq!(r.status(), 404);
    app.expect(
        Method::POST,
        &actions,
        &s.owner,
        Some(json!({ "type": "timeout", "duration_seconds": 600, "reason": "cool off" })),
        200,
    )
    .await;
    let member = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{}/members/{}", s.guild_id(), s.troll_id),
            &s.owner,
            None,
            200,
        )
        .await;
    assert!(member["communication_disabled_until"].is_string());

    let log = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{}/audit-logs", s.guild_id()),
            &s.owner,
            None,
            200,
        )
        .await;
    let kinds: Vec<i64> = log["audit_log_entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action_type"].as_i64().unwrap())
        .filter(|k| [24, 72, 1010].contains(k))
        .collect();
    assert_eq!(kinds, [1010, 24, 1010, 72]);
    let timeout = log["audit_log_entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action_type"] == 24)
        .unwrap();
    assert_eq!(timeout["reason"], "cool off");
    // Timed out: the author can no longer send.
    let silenced = app
        .post(
            &format!("/api/v1/channels/{}/messages", s.channel()),
            Some(&s.troll),
            json!({ "content": "still here" }),
        )
        .await;
    assert_error(silenced, 403, "MISSING_PERMISSIONS").await;
}

async fn escalated_and_instance_reports_reach_admins_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = scene(&app).await;
    // The owner of the instance is its first account, the guild owner here.
    let escalated = app
        .expect(
            Method::POST,
            &s.reports(),
            &s.reporter,
            Some(json!({ "user_id": s.troll_id, "category": "illegal", "escalate": true })),
            201,
        )
        .await;
    app.expect(
        Method::POST,
        &s.reports(),
        &s.reporter,
        Some(s.message_report()),
        201,
    )
    .await;
    let direct = app
        .expect(
            Method::POST,
            "/api/v1/reports",
            &s.reporter,
            Some(json!({ "user_id": s.troll_id, "category": "impersonation" })),
            201,
        )
        .await;
    assert!(direct["guild_id"].is_null());
    let r = app
        .post(
            "/api/v1/reports",
            Some(&s.reporter),
            json!({ "user_id": "1", "category": "spam" }),
        )
        .await;
    assert_error(r, 404, "UNKNOWN_USER").await;

    let queue = app
        .expect(Method::GET, "/api/v1/admin/reports", &s.owner, None, 200)
        .await;
    let ids: Vec<&Value> = queue.as_array().unwrap().iter().map(|r| &r["id"]).collect();
    assert_eq!(ids, [&direct["id"], &escalated["id"]]);
    assert_error(
        app.get("/api/v1/admin/reports", Some(&s.reporter)).await,
        403,
        "ADMIN_REQUIRED",
    )
    .await;

    let path = format!("/api/v1/admin/reports/{}", direct["id"].as_str().unwrap());
    let r = app
        .patch(&path, Some(&s.owner), json!({ "assignee_id": s.troll_id }))
        .await;
    assert_eq!(r.status(), 400, "only admins can be assigned");
    let done = app
        .expect(
            Method::PATCH,
            &path,
            &s.owner,
            Some(json!({ "status": "resolved" })),
            200,
        )
        .await;
    assert_eq!(done["status"], "resolved");
    let open = app
        .expect(
            Method::GET,
            "/api/v1/admin/reports?status=open",
            &s.owner,
            None,
            200,
        )
        .await;
    assert_eq!(open.as_array().unwrap().len(), 1);

    // Deleting the guild keeps the escalated report in the admins' queue, without its guild.
    app.expect(
        Method::DELETE,
        &format!("/api/v1/guilds/{}", s.guild_id()),
        &s.owner,
        None,
        204,
    )
    .await;
    let open = app
        .expect(
            Method::GET,
            "/api/v1/admin/reports?status=open",
            &s.owner,
            None,
            200,
        )
        .await;
    assert_eq!(open[0]["id"], escalated["id"]);
    assert!(open[0]["guild_id"].is_null());
}

async fn the_open_reports_of_one_reporter_are_bounded(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = scene(&app).await;
    let channel = s.channel().to_owned();
    for n in 0..50 {
        let message = app
            .expect(
                Method::POST,
                &format!("/api/v1/channels/{channel}/messages"),
                &s.troll,
                Some(json!({ "content": format!("spam {n}") })),
                201,
            )
            .await;
        app.expect(
            Method::POST,
            &s.reports(),
            &s.reporter,
            Some(json!({ "channel_id": channel, "message_id": message["id"], "category": "spam" })),
            201,
        )
        .await;
    }
    let r = app
        .post(&s.reports(), Some(&s.reporter), s.message_report())
        .await;
    assert_error(r, 400, "LIMIT_REACHED").await;
    let queue = app
        .expect(
            Method::GET,
            &format!("{}?limit=100", s.reports()),
            &s.owner,
            None,
            200,
        )
        .await;
    assert_eq!(queue.as_array().unwrap().len(), 50);
}
