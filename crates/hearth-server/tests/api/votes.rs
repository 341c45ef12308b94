//! Voting moderation: a guild that turns it on lets members vote to time out a disruptive member. Each
//! member votes once, late joiners do not vote, the vote closes as soon as its result is certain, a
//! pass times the target out, and every step is an event and an audit entry. Expiry by the sweeper is
//! proven in the store's tests (`crates/hearth-store/tests/votes/`), which can move time forward.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, assert_error, both_backends, perm, spawn_app};

both_backends!(
    vote_settings_default_to_off_are_bounded_and_need_manage_guild,
    a_guild_with_voting_off_refuses_votes,
    votes_against_absent_protected_or_oneself_and_bad_bodies_are_refused,
    timed_out_members_start_no_vote_and_a_member_has_one_open_vote_at_a_time,
    each_member_votes_once_and_late_joiners_the_target_and_the_timed_out_cannot,
    a_vote_that_is_certain_to_pass_closes_early_and_times_the_target_out,
    a_vote_that_can_no_longer_pass_fails_early_and_times_nobody_out,
    a_target_who_became_a_moderator_during_the_vote_is_not_timed_out,
    votes_are_cancelled_by_their_initiator_or_a_moderator_only,
    a_member_starts_at_most_three_votes_an_hour,
    vote_lists_filter_by_status_page_backwards_and_show_the_callers_ballot,
);

/// A guild with its owner and members who joined in the order given.
struct Community {
    owner: String,
    guild_id: String,
    channel: String,
    /// (token, user id) per member, in `names` order.
    members: Vec<(String, String)>,
}

impl Community {
    fn token(&self, i: usize) -> &str {
        &self.members[i].0
    }

    fn id(&self, i: usize) -> &str {
        &self.members[i].1
    }

    fn votes(&self) -> String {
        format!("/api/v1/guilds/{}/votes", self.guild_id)
    }

    fn settings(&self) -> String {
        format!("/api/v1/guilds/{}/vote-settings", self.guild_id)
    }
}

async fn community(app: &TestApp, names: &[&str]) -> Community {
    let owner = app.owner_with_open_registration().await;
    let guild = app.create_guild(&owner, "Hearthside").await;
    let code = app.invite_to(&owner, &guild).await;
    let mut members = Vec::new();
    for name in names {
        let (token, user) = app.register(name, None).await;
        app.join(&token, &code).await;
        members.push((token, user["id"].as_str().unwrap().to_owned()));
    }
    app.events();
    Community {
        owner,
        guild_id: guild["id"].as_str().unwrap().to_owned(),
        channel: guild["system_channel_id"].as_str().unwrap().to_owned(),
        members,
    }
}

fn settings(enabled: bool, quorum: i64, majority: i64) -> Value {
    json!({
        "enabled": enabled, "quorum": quorum, "majority_percent": majority,
        "duration_seconds": 300, "timeout_seconds": 600,
    })
}

async fn enable_voting(app: &TestApp, c: &Community, quorum: i64, majority: i64) {
    app.expect(
        Method::PUT,
        &c.settings(),
        &c.owner,
        Some(settings(true, quorum, majority)),
        200,
    )
    .await;
}

async fn start_vote(app: &TestApp, c: &Community, token: &str, target: &str) -> Value {
    app.expect(
        Method::POST,
        &c.votes(),
        token,
        Some(json!({"target_id": target, "reason": "flooding the channel"})),
        201,
    )
    .await
}

async fn ballot(
    app: &TestApp,
    c: &Community,
    token: &str,
    vote: &Value,
    yes: bool,
) -> reqwest::Response {
    let id = vote["id"].as_str().unwrap();
    app.put(
        &format!("{}/{id}/ballot", c.votes()),
        Some(token),
        Some(json!({ "in_favour": yes })),
    )
    .await
}

async fn cast(app: &TestApp, c: &Community, token: &str, vote: &Value, yes: bool) -> Value {
    let response = ballot(app, c, token, vote, yes).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn send(app: &TestApp, c: &Community, token: &str) -> reqwest::Response {
    app.post(
        &format!("/api/v1/channels/{}/messages", c.channel),
        Some(token),
        json!({"content": "hello"}),
    )
    .await
}

async fn vote_settings_default_to_off_are_bounded_and_need_manage_guild(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = community(&app, &["alice"]).await;
    let alice = c.token(0);

    // Any member reads them; a guild that never saved any has voting off with the defaults.
    let shown = app
        .expect(Method::GET, &c.settings(), alice, None, 200)
        .await;
    assert_eq!(
        shown,
        json!({"enabled": false, "quorum": 3, "majority_percent": 60,
               "duration_seconds": 300, "timeout_seconds": 600})
    );

    // Changing them needs MANAGE_GUILD.
    let refused = app
        .put(&c.settings(), Some(alice), Some(settings(true, 3, 60)))
        .await;
    assert_error(refused, 403, "MISSING_PERMISSIONS").await;

    // Every bound is checked, and every offending field is named at once.
    let out_of_bounds = json!({"enabled": true, "quorum": 1, "majority_percent": 50,
        "duration_seconds": 29, "timeout_seconds": 59});
    let body = assert_error(
        app.put(&c.settings(), Some(&c.owner), Some(out_of_bounds))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    for field in [
        "quorum",
        "majority_percent",
        "duration_seconds",
        "timeout_seconds",
    ] {
        assert!(body["error"]["fields"][field].is_string(), "{body}");
    }
    let too_high = json!({"enabled": true, "quorum": 1001, "majority_percent": 101,
        "duration_seconds": 86_401, "timeout_seconds": 2_419_201});
    let body = assert_error(
        app.put(&c.settings(), Some(&c.owner), Some(too_high)).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(body["error"]["fields"].as_object().unwrap().len(), 4);
    for bad in [
        json!({"enabled": "yes", "quorum": 3, "majority_percent": 60, "duration_seconds": 300, "timeout_seconds": 600}),
        json!({"enabled": true, "quorum": 3, "majority_percent": 60, "duration_seconds": 300}),
        json!({"enabled": true, "quorum": 3, "majority_percent": 60, "duration_seconds": 300, "timeout_seconds": 600, "extra": 1}),
        json!({"enabled": true, "quorum": 1e30, "majority_percent": 60, "duration_seconds": 300, "timeout_seconds": 600}),
    ] {
        let response = app.put(&c.settings(), Some(&c.owner), Some(bad)).await;
        assert_error(response, 400, "VALIDATION_FAILED").await;
    }
    // Nothing refused was saved or audited.
    let shown = app
        .expect(Method::GET, &c.settings(), alice, None, 200)
        .await;
    assert_eq!(shown["enabled"], false);
    assert!(
        app.audit_entries(&c.owner, &c.guild_id, "?action_type=1022")
            .await
            .is_empty()
    );

    // The extremes are accepted.
    let highest = json!({"enabled": true, "quorum": 1000, "majority_percent": 100,
        "duration_seconds": 86_400, "timeout_seconds": 2_419_200});
    let saved = app
        .expect(
            Method::PUT,
            &c.settings(),
            &c.owner,
            Some(highest.clone()),
            200,
        )
        .await;
    assert_eq!(saved, highest);
    assert_eq!(
        app.expect(Method::GET, &c.settings(), alice, None, 200)
            .await,
        highest
    );
    let entries = app
        .audit_entries(&c.owner, &c.guild_id, "?action_type=1022")
        .await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["target_id"], c.guild_id.as_str());
    let changes = entries[0]["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 5, "every field changed: {changes:?}");
    let quorum = changes.iter().find(|c| c["key"] == "quorum").unwrap();
    assert_eq!(quorum["old_value"], 3);
    assert_eq!(quorum["new_value"], 1000);

    // A manager who is not the owner may change them too.
    let manager = app
        .give_role(
            &c.owner,
            &c.guild_id,
            c.id(0),
            "managers",
            perm::MANAGE_GUILD,
        )
        .await;
    assert!(manager["id"].is_string());
    app.expect(
        Method::PUT,
        &c.settings(),
        alice,
        Some(settings(false, 2, 51)),
        200,
    )
    .await;
    let entries = app
        .audit_entries(&c.owner, &c.guild_id, "?action_type=1022")
        .await;
    assert_eq!(entries[0]["user_id"], c.id(0));
}

async fn a_guild_with_voting_off_refuses_votes(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = community(&app, &["alice", "bob", "carol"]).await;
    let attempt = json!({"target_id": c.id(1), "reason": "spam"});
    let refused = app
        .post(&c.votes(), Some(c.token(0)), attempt.clone())
        .await;
    assert_error(refused, 403, "VOTING_DISABLED").await;

    // Turned on and off again: refused again, and nothing was ever started.
    enable_voting(&app, &c, 2, 51).await;
    app.expect(
        Method::PUT,
        &c.settings(),
        &c.owner,
        Some(settings(false, 2, 51)),
        200,
    )
    .await;
    let refused = app.post(&c.votes(), Some(c.token(0)), attempt).await;
    assert_error(refused, 403, "VOTING_DISABLED").await;
    let listed = app
        .expect(Method::GET, &c.votes(), c.token(0), None, 200)
        .await;
    assert_eq!(listed, json!([]));
    assert!(
        app.events()
            .iter()
            .all(|e| !e.name.starts_with("MODERATION_VOTE"))
    );
}

async fn votes_against_absent_protected_or_oneself_and_bad_bodies_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = community(&app, &["alice", "bob", "admin", "moderator", "dave"]).await;
    enable_voting(&app, &c, 2, 51).await;
    app.give_role(
        &c.owner,
        &c.guild_id,
        c.id(2),
        "admins",
        perm::ADMINISTRATOR,
    )
    .await;
    app.give_role(
        &c.owner,
        &c.guild_id,
        c.id(3),
        "mods",
        perm::MODERATE_MEMBERS,
    )
    .await;
    let (outsider, outsider_user) = app.register("outsider", None).await;
    let outsider_id = outsider_user["id"].as_str().unwrap();
    let alice = c.token(0);
    let owner_id = app
        .expect(Method::GET, "/api/v1/users/@me", &c.owner, None, 200)
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let votes = c.votes();
    let post = |body: Value| app.post(&votes, Some(alice), body);

    let own = post(json!({"target_id": c.id(0), "reason": "me"})).await;
    let body = assert_error(own, 400, "VALIDATION_FAILED").await;
    assert!(body["error"]["fields"]["target_id"].is_string());
    for protected in [owner_id.as_str(), c.id(2), c.id(3)] {
        let refused = post(json!({"target_id": protected, "reason": "spam"})).await;
        assert_error(refused, 403, "VOTE_TARGET_PROTECTED").await;
    }
    let absent = post(json!({"target_id": outsider_id, "reason": "spam"})).await;
    assert_error(absent, 404, "UNKNOWN_MEMBER").await;
    let unknown = post(json!({"target_id": "12345", "reason": "spam"})).await;
    assert_error(unknown, 404, "UNKNOWN_MEMBER").await;
    // Someone outside the guild cannot start one at all.
    let stranger = app
        .post(
            &c.votes(),
            Some(&outsider),
            json!({"target_id": c.id(1), "reason": "spam"}),
        )
        .await;
    assert_error(stranger, 404, "UNKNOWN_GUILD").await;

    // Reasons: one line of 1–512 characters; ids: decimal snowflakes; no unknown fields.
    let body = assert_error(
        post(json!({"target_id": "abc", "reason": "  "})).await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(body["error"]["fields"]["target_id"].is_string());
    assert!(body["error"]["fields"]["reason"].is_string());
    for bad in [
        json!({"target_id": c.id(1), "reason": "x".repeat(513)}),
        json!({"target_id": c.id(1), "reason": "two\nlines"}),
        json!({"target_id": c.id(1)}),
        json!({"target_id": 5, "reason": "spam"}),
        json!({"target_id": c.id(1), "reason": "spam", "channel_id": "x"}),
        json!({"target_id": c.id(1), "reason": "spam", "duration": 5}),
    ] {
        assert_error(post(bad).await, 400, "VALIDATION_FAILED").await;
    }
    // The channel must be one of this guild's that the caller can see.
    let other_guild = app.create_guild(&c.owner, "Elsewhere").await;
    for channel in [other_guild["system_channel_id"].as_str().unwrap(), "777"] {
        let refused =
            post(json!({"target_id": c.id(1), "reason": "spam", "channel_id": channel})).await;
        assert_error(refused, 404, "UNKNOWN_CHANNEL").await;
    }
    assert!(
        app.events()
            .iter()
            .all(|e| !e.name.starts_with("MODERATION_VOTE"))
    );

    // A reason of exactly 512 characters in the guild's channel is fine.
    let vote = app
        .expect(
            Method::POST,
            &c.votes(),
            alice,
            Some(json!({"target_id": c.id(1), "reason": "é".repeat(512), "channel_id": c.channel})),
            201,
        )
        .await;
    assert_eq!(vote["channel_id"], c.channel.as_str());
    assert_eq!(vote["my_ballot"], true);
    assert!(
        app.audit_entries(&c.owner, &c.guild_id, "?action_type=1020")
            .await
            .len()
            == 1
    );
}

async fn timed_out_members_start_no_vote_and_a_member_has_one_open_vote_at_a_time(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let c = community(&app, &["alice", "bob", "carol"]).await;
    enable_voting(&app, &c, 2, 51).await;

    // One open vote per target, whoever starts the second.
    let vote = start_vote(&app, &c, c.token(0), c.id(1)).await;
    for token in [c.token(0), c.token(2)] {
        let again = app
            .post(
                &c.votes(),
                Some(token),
                json!({"target_id": c.id(1), "reason": "again"}),
            )
            .await;
        assert_error(again, 409, "VOTE_ALREADY_OPEN").await;
    }
    // Once it is closed, a new one may start.
    app.expect(
        Method::DELETE,
        &format!("{}/{}", c.votes(), vote["id"].as_str().unwrap()),
        c.token(0),
        None,
        204,
    )
    .await;
    start_vote(&app, &c, c.token(2), c.id(1)).await;

    // A timed-out member cannot start one.
    let until = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    let until = until
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    app.expect(
        Method::PATCH,
        &format!("/api/v1/guilds/{}/members/{}", c.guild_id, c.id(0)),
        &c.owner,
        Some(json!({ "communication_disabled_until": until })),
        200,
    )
    .await;
    let refused = app
        .post(
            &c.votes(),
            Some(c.token(0)),
            json!({"target_id": c.id(2), "reason": "spam"}),
        )
        .await;
    assert_error(refused, 403, "CANNOT_VOTE").await;
}

async fn each_member_votes_once_and_late_joiners_the_target_and_the_timed_out_cannot(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    // A quorum of 5 among 6 eligible members keeps the vote open throughout.
    let c = community(&app, &["alice", "bob", "carol", "dave", "erin", "frank"]).await;
    enable_voting(&app, &c, 5, 51).await;
    let vote = start_vote(&app, &c, c.token(0), c.id(1)).await;
    let vote_path = format!("{}/{}", c.votes(), vote["id"].as_str().unwrap());

    let counted = cast(&app, &c, c.token(2), &vote, false).await;
    assert_eq!(counted["votes_for"], 1);
    assert_eq!(counted["votes_against"], 1);
    assert_eq!(counted["my_ballot"], false);
    assert_eq!(counted["status"], "open");
    // A second ballot, either way, is refused; the first stands.
    for yes in [false, true] {
        let again = ballot(&app, &c, c.token(2), &vote, yes).await;
        assert_error(again, 409, "ALREADY_VOTED").await;
    }
    let initiator_again = ballot(&app, &c, c.token(0), &vote, true).await;
    assert_error(initiator_again, 409, "ALREADY_VOTED").await;
    // The target does not vote on their own vote.
    let target = ballot(&app, &c, c.token(1), &vote, false).await;
    assert_error(target, 403, "CANNOT_VOTE").await;
    // A member who joins after the vote started does not vote (no sock puppets).
    let (late, _) = app.register("latecomer", None).await;
    let guild = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{}", c.guild_id),
            &c.owner,
            None,
            200,
        )
        .await;
    let code = app.invite_to(&c.owner, &guild).await;
    app.join(&late, &code).await;
    let refused = ballot(&app, &c, &late, &vote, true).await;
    assert_error(refused, 403, "CANNOT_VOTE").await;
    // A timed-out member does not vote.
    let until = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    let until = until
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    app.expect(
        Method::PATCH,
        &format!("/api/v1/guilds/{}/members/{}", c.guild_id, c.id(3)),
        &c.owner,
        Some(json!({ "communication_disabled_until": until })),
        200,
    )
    .await;
    let refused = ballot(&app, &c, c.token(3), &vote, true).await;
    assert_error(refused, 403, "CANNOT_VOTE").await;
    // Someone outside the guild cannot even see it.
    let (outsider, _) = app.register("outsider", None).await;
    let refused = ballot(&app, &c, &outsider, &vote, true).await;
    assert_error(refused, 404, "UNKNOWN_GUILD").await;

    // Bad bodies and unknown votes.
    for bad in [
        json!({}),
        json!({"in_favour": "yes"}),
        json!({"in_favour": true, "x": 1}),
    ] {
        let response = app
            .put(&format!("{vote_path}/ballot"), Some(c.token(4)), Some(bad))
            .await;
        assert_error(response, 400, "VALIDATION_FAILED").await;
    }
    let unknown = app
        .put(
            &format!("{}/999/ballot", c.votes()),
            Some(c.token(4)),
            Some(json!({"in_favour": true})),
        )
        .await;
    assert_error(unknown, 404, "UNKNOWN_VOTE").await;
    let malformed = app
        .put(
            &format!("{}/abc/ballot", c.votes()),
            Some(c.token(4)),
            Some(json!({"in_favour": true})),
        )
        .await;
    assert_error(malformed, 400, "VALIDATION_FAILED").await;

    // Only the refused ballots were refused: the tallies hold the two accepted ones.
    let shown = app
        .expect(Method::GET, &vote_path, c.token(4), None, 200)
        .await;
    assert_eq!(
        (shown["votes_for"].clone(), shown["votes_against"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(shown["my_ballot"], Value::Null);
    let updates: Vec<_> = app
        .events()
        .into_iter()
        .filter(|e| e.name == "MODERATION_VOTE_UPDATE")
        .collect();
    assert_eq!(updates.len(), 1, "one accepted ballot, one update");
}

async fn a_vote_that_is_certain_to_pass_closes_early_and_times_the_target_out(backend: Backend) {
    let app = spawn_app(backend).await;
    // Eligible: the owner, alice, bob and carol (not the target, dave). Quorum 3, 60 % in favour.
    let c = community(&app, &["alice", "bob", "carol", "dave"]).await;
    enable_voting(&app, &c, 3, 60).await;
    let target = c.id(3);
    assert!(send(&app, &c, c.token(3)).await.status().is_success());
    app.events();

    let vote = start_vote(&app, &c, c.token(0), target).await;
    let vote_id = vote["id"].as_str().unwrap().to_owned();
    assert_eq!(vote["status"], "open");
    assert_eq!(vote["target_id"], target);
    assert_eq!(vote["initiator_id"], c.id(0));
    assert_eq!(
        (vote["quorum"].clone(), vote["majority_percent"].clone()),
        (json!(3), json!(60))
    );
    assert_eq!(vote["timeout_seconds"], 600);
    assert_eq!(vote["votes_for"], 1);
    assert!(vote["ends_at"].is_string() && vote["closed_at"].is_null());
    let created = app.expect_event("MODERATION_VOTE_CREATE");
    assert_eq!(
        created.audience,
        hearth_server::bus::Audience::Guild(c.guild_id.parse().unwrap())
    );
    assert_eq!(created.data["id"], vote_id.as_str());
    assert_eq!(
        created.data["my_ballot"],
        Value::Null,
        "events carry nobody's ballot"
    );

    // 2 for, 2 outstanding: both against would make it 50 %, so it stays open.
    let open = cast(&app, &c, c.token(1), &vote, true).await;
    assert_eq!(open["status"], "open");
    let update = app.expect_event("MODERATION_VOTE_UPDATE");
    assert_eq!(update.data["votes_for"], 2);
    assert_eq!(update.data["my_ballot"], Value::Null);

    // 3 for, 1 outstanding: even against, 75 % ≥ 60 %. It passes now, before its deadline.
    let passed = cast(&app, &c, c.token(2), &vote, true).await;
    assert_eq!(passed["status"], "passed");
    assert_eq!(passed["votes_for"], 3);
    assert!(passed["closed_at"].is_string());
    let events = app.events();
    let names: Vec<_> = events.iter().map(|e| e.name).collect();
    assert_eq!(
        names,
        [
            "MODERATION_VOTE_UPDATE",
            "MODERATION_VOTE_CLOSE",
            "GUILD_MEMBER_UPDATE"
        ]
    );
    assert_eq!(events[1].data["status"], "passed");
    assert_eq!(events[2].data["user"]["id"], target);
    let until = events[2].data["communication_disabled_until"]
        .as_str()
        .unwrap()
        .to_owned();

    // The target is timed out: the member shows it and they cannot send.
    let member = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{}/members/{target}", c.guild_id),
            &c.owner,
            None,
            200,
        )
        .await;
    assert_eq!(member["communication_disabled_until"], until.as_str());
    assert_error(send(&app, &c, c.token(3)).await, 403, "MISSING_PERMISSIONS").await;

    // The closed vote takes no more ballots and cannot be cancelled.
    let late = ballot(&app, &c, &c.owner, &vote, false).await;
    assert_error(late, 409, "VOTE_CLOSED").await;
    let cancel = app
        .delete(&format!("{}/{vote_id}", c.votes()), Some(c.token(0)))
        .await;
    assert_error(cancel, 409, "VOTE_CLOSED").await;

    // The audit log has the start (by alice), and the close and the timeout (by the system).
    let started = app
        .audit_entries(&c.owner, &c.guild_id, "?action_type=1020")
        .await;
    assert_eq!(started.len(), 1);
    assert_eq!(started[0]["user_id"], c.id(0));
    assert_eq!(started[0]["target_id"], target);
    assert_eq!(started[0]["reason"], "flooding the channel");
    assert_eq!(started[0]["options"]["vote_id"], vote_id.as_str());
    let closed = app
        .audit_entries(&c.owner, &c.guild_id, "?action_type=1021")
        .await;
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0]["user_id"], Value::Null);
    assert_eq!(closed[0]["target_id"], target);
    assert_eq!(
        closed[0]["options"],
        json!({"vote_id": vote_id, "result": "passed", "for": "3", "against": "0"})
    );
    let timeouts = app
        .audit_entries(&c.owner, &c.guild_id, "?action_type=24")
        .await;
    assert_eq!(timeouts.len(), 1);
    assert_eq!(timeouts[0]["user_id"], Value::Null);
    assert_eq!(timeouts[0]["target_id"], target);
    assert_eq!(timeouts[0]["reason"], format!("vote {vote_id}"));
    assert_eq!(
        timeouts[0]["changes"],
        json!([{"key": "communication_disabled_until", "new_value": until}])
    );

    // Everyone can read the result, with their own ballot.
    let path = format!("{}/{vote_id}", c.votes());
    let seen_by_bob = app.expect(Method::GET, &path, c.token(1), None, 200).await;
    assert_eq!(seen_by_bob["status"], "passed");
    assert_eq!(seen_by_bob["my_ballot"], true);
    let seen_by_target = app.expect(Method::GET, &path, c.token(3), None, 200).await;
    assert_eq!(seen_by_target["my_ballot"], Value::Null);
}

async fn a_vote_that_can_no_longer_pass_fails_early_and_times_nobody_out(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = community(&app, &["alice", "bob", "carol", "dave"]).await;
    enable_voting(&app, &c, 3, 60).await;
    let target = c.id(3);
    let vote = start_vote(&app, &c, c.token(0), target).await;

    // 1 for, 1 against, 2 outstanding: 3 of 4 in favour is still possible.
    assert_eq!(
        cast(&app, &c, c.token(1), &vote, false).await["status"],
        "open"
    );
    // 1 for, 2 against, 1 outstanding: at best 2 of 4 = 50 % < 60 %.
    let failed = cast(&app, &c, c.token(2), &vote, false).await;
    assert_eq!(failed["status"], "failed");
    assert_eq!(
        (failed["votes_for"].clone(), failed["votes_against"].clone()),
        (json!(1), json!(2))
    );
    let names: Vec<_> = app.events().iter().map(|e| e.name).collect();
    assert_eq!(
        names,
        [
            "MODERATION_VOTE_CREATE",
            "MODERATION_VOTE_UPDATE",
            "MODERATION_VOTE_UPDATE",
            "MODERATION_VOTE_CLOSE"
        ]
    );

    // Nobody was timed out: the target still speaks, and no MEMBER_UPDATE was recorded.
    assert!(send(&app, &c, c.token(3)).await.status().is_success());
    let member = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{}/members/{target}", c.guild_id),
            &c.owner,
            None,
            200,
        )
        .await;
    assert!(member["communication_disabled_until"].is_null());
    assert!(
        app.audit_entries(&c.owner, &c.guild_id, "?action_type=24")
            .await
            .is_empty()
    );
    let closed = app
        .audit_entries(&c.owner, &c.guild_id, "?action_type=1021")
        .await;
    assert_eq!(closed[0]["options"]["result"], "failed");
    assert_eq!(closed[0]["options"]["against"], "2");

    // A quorum above the members who could vote (four) is refused before the vote starts.
    enable_voting(&app, &c, 5, 60).await;
    app.events();
    let refused = app
        .post(
            &c.votes(),
            Some(c.token(0)),
            json!({"target_id": target, "reason": "spam"}),
        )
        .await;
    assert_error(refused, 409, "QUORUM_UNREACHABLE").await;
    assert!(app.events().is_empty());
}

async fn a_target_who_became_a_moderator_during_the_vote_is_not_timed_out(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = community(&app, &["alice", "bob", "carol"]).await;
    enable_voting(&app, &c, 2, 60).await;
    let target = c.id(2);
    let vote = start_vote(&app, &c, c.token(0), target).await;
    app.give_role(
        &c.owner,
        &c.guild_id,
        target,
        "moderators",
        perm::MODERATE_MEMBERS,
    )
    .await;
    // Two of two eligible voters in favour: the vote passes, but the target is now protected.
    let passed = cast(&app, &c, c.token(1), &vote, true).await;
    assert_eq!(passed["status"], "passed");
    let member = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{}/members/{target}", c.guild_id),
            &c.owner,
            None,
            200,
        )
        .await;
    assert!(member["communication_disabled_until"].is_null());
    assert!(send(&app, &c, c.token(2)).await.status().is_success());
    assert!(
        app.audit_entries(&c.owner, &c.guild_id, "?action_type=24")
            .await
            .is_empty()
    );
}

async fn votes_are_cancelled_by_their_initiator_or_a_moderator_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = community(&app, &["alice", "bob", "carol", "moderator"]).await;
    enable_voting(&app, &c, 2, 51).await;
    app.give_role(
        &c.owner,
        &c.guild_id,
        c.id(3),
        "mods",
        perm::MODERATE_MEMBERS,
    )
    .await;
    // Quorum 2 with 3 outstanding voters: one more ballot in favour would pass it, so nobody votes.
    let vote = start_vote(&app, &c, c.token(0), c.id(1)).await;
    let path = format!("{}/{}", c.votes(), vote["id"].as_str().unwrap());
    app.events();

    // Neither another member nor the target may cancel it.
    for token in [c.token(2), c.token(1)] {
        let refused = app.delete(&path, Some(token)).await;
        assert_error(refused, 403, "MISSING_PERMISSIONS").await;
    }
    assert!(app.events().is_empty());
    let unknown = app
        .delete(&format!("{}/42", c.votes()), Some(c.token(0)))
        .await;
    assert_error(unknown, 404, "UNKNOWN_VOTE").await;

    // The initiator may, with a reason for the log.
    let response = app
        .request_with_reason(
            Method::DELETE,
            &path,
            c.token(0),
            "changed%20my%20mind",
            None,
        )
        .await;
    assert_eq!(response.status(), 204);
    let closed = app.expect_event("MODERATION_VOTE_CLOSE");
    assert_eq!(closed.data["status"], "cancelled");
    assert!(closed.data["closed_at"].is_string());
    let again = app.delete(&path, Some(c.token(0))).await;
    assert_error(again, 409, "VOTE_CLOSED").await;
    let ballot_after = ballot(&app, &c, c.token(2), &vote, true).await;
    assert_error(ballot_after, 409, "VOTE_CLOSED").await;
    let entries = app
        .audit_entries(&c.owner, &c.guild_id, "?action_type=1021")
        .await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["user_id"], c.id(0));
    assert_eq!(entries[0]["reason"], "changed my mind");
    assert_eq!(entries[0]["options"]["result"], "cancelled");

    // A moderator may cancel someone else's vote.
    let second = start_vote(&app, &c, c.token(2), c.id(1)).await;
    app.expect(
        Method::DELETE,
        &format!("{}/{}", c.votes(), second["id"].as_str().unwrap()),
        c.token(3),
        None,
        204,
    )
    .await;
    let entries = app
        .audit_entries(&c.owner, &c.guild_id, "?action_type=1021")
        .await;
    assert_eq!(entries[0]["user_id"], c.id(3));
    // Nobody was timed out by a cancelled vote.
    assert!(
        app.audit_entries(&c.owner, &c.guild_id, "?action_type=24")
            .await
            .is_empty()
    );
}

async fn a_member_starts_at_most_three_votes_an_hour(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = community(&app, &["alice", "bob", "carol", "dave", "erin"]).await;
    enable_voting(&app, &c, 2, 51).await;
    // Cancelled votes count too, or starting and cancelling would get round the bound.
    for i in 1..=3 {
        let vote = start_vote(&app, &c, c.token(0), c.id(i)).await;
        app.expect(
            Method::DELETE,
            &format!("{}/{}", c.votes(), vote["id"].as_str().unwrap()),
            c.token(0),
            None,
            204,
        )
        .await;
    }
    let fourth = app
        .post(
            &c.votes(),
            Some(c.token(0)),
            json!({"target_id": c.id(4), "reason": "spam"}),
        )
        .await;
    let retry_after: u64 = fourth.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    assert_error(fourth, 429, "RATE_LIMITED").await;
    assert_eq!(
        app.audit_entries(&c.owner, &c.guild_id, "?action_type=1020")
            .await
            .len(),
        3
    );
    // The bound is per member: another member may still start one.
    start_vote(&app, &c, c.token(1), c.id(4)).await;
}

async fn vote_lists_filter_by_status_page_backwards_and_show_the_callers_ballot(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = community(&app, &["alice", "bob", "carol", "dave"]).await;
    enable_voting(&app, &c, 2, 51).await;
    let first = start_vote(&app, &c, c.token(0), c.id(1)).await;
    app.expect(
        Method::DELETE,
        &format!("{}/{}", c.votes(), first["id"].as_str().unwrap()),
        c.token(0),
        None,
        204,
    )
    .await;
    let second = start_vote(&app, &c, c.token(0), c.id(2)).await;
    let third = start_vote(&app, &c, c.token(1), c.id(3)).await;
    let ids = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|v| v["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let id = |v: &Value| v["id"].as_str().unwrap().to_owned();

    let all = app
        .expect(Method::GET, &c.votes(), c.token(0), None, 200)
        .await;
    assert_eq!(ids(&all), [id(&third), id(&second), id(&first)]);
    // Alice voted in her own two, not in bob's.
    let ballots: Vec<_> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["my_ballot"].clone())
        .collect();
    assert_eq!(ballots, [Value::Null, json!(true), json!(true)]);
    let open = app
        .expect(
            Method::GET,
            &format!("{}?status=open", c.votes()),
            c.token(0),
            None,
            200,
        )
        .await;
    assert_eq!(ids(&open), [id(&third), id(&second)]);
    let closed = app
        .expect(
            Method::GET,
            &format!("{}?status=closed", c.votes()),
            c.token(0),
            None,
            200,
        )
        .await;
    assert_eq!(ids(&closed), [id(&first)]);
    assert_eq!(closed[0]["status"], "cancelled");
    let page = app
        .expect(
            Method::GET,
            &format!("{}?limit=1&before={}", c.votes(), id(&third)),
            c.token(0),
            None,
            200,
        )
        .await;
    assert_eq!(ids(&page), [id(&second)]);

    for query in [
        "?status=passed",
        "?limit=0",
        "?limit=101",
        "?before=x",
        "?sort=new",
    ] {
        let response = app
            .get(&format!("{}{query}", c.votes()), Some(c.token(0)))
            .await;
        assert_error(response, 400, "VALIDATION_FAILED").await;
    }
    // Votes are the guild's business: outsiders see neither the list nor a vote.
    let (outsider, _) = app.register("outsider", None).await;
    assert_error(
        app.get(&c.votes(), Some(&outsider)).await,
        404,
        "UNKNOWN_GUILD",
    )
    .await;
    let one = format!("{}/{}", c.votes(), id(&second));
    assert_error(app.get(&one, Some(&outsider)).await, 404, "UNKNOWN_GUILD").await;
    // A vote id from another guild is unknown here.
    let other = app.create_guild(&c.owner, "Elsewhere").await;
    let elsewhere = format!(
        "/api/v1/guilds/{}/votes/{}",
        other["id"].as_str().unwrap(),
        id(&second)
    );
    assert_error(
        app.get(&elsewhere, Some(&c.owner)).await,
        404,
        "UNKNOWN_VOTE",
    )
    .await;
}
