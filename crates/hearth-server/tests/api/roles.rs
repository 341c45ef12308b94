//! `/guilds/{id}/roles`: creating, editing, reordering and deleting roles under the role hierarchy, and
//! what a role's permissions let its holders see.

use hearth_server::bus::Audience;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    Backend, TestApp, assert_error, both_backends, perm, spawn_app, spawn_app_with,
};

both_backends!(
    a_new_role_lands_just_above_everyone_and_pushes_the_others_up,
    role_fields_are_validated_and_permissions_round_trip_as_decimal_strings,
    the_everyone_role_keeps_its_name_and_existence_but_its_permissions_can_change,
    a_role_manager_acts_only_below_their_highest_role_and_within_their_own_permissions,
    reordering_moves_roles_exactly_and_never_to_or_past_the_movers_top_role,
    deleting_a_role_frees_its_slot_and_removes_it_from_members_and_overwrites,
    an_administrator_sees_every_channel_whatever_its_overwrites,
);

/// The guild's roles as (name, position), highest first.
async fn role_order(app: &TestApp, token: &str, guild_id: &str) -> Vec<(String, i64)> {
    let roles = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{guild_id}/roles"),
            token,
            None,
            200,
        )
        .await;
    roles
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["position"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn id(value: &Value) -> &str {
    value["id"].as_str().unwrap()
}

async fn a_new_role_lands_just_above_everyone_and_pushes_the_others_up(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner().await;
    let guild = app.create_guild(&owner, "Hearthside").await;
    let gid = id(&guild);
    let path = format!("/api/v1/guilds/{gid}/roles");
    let everyone_audience = Audience::Guild(gid.parse().unwrap());
    app.events();

    let first = app
        .expect(Method::POST, &path, &owner, Some(json!({})), 201)
        .await;
    assert_eq!(first["name"], "new role");
    assert_eq!(first["permissions"], "0");
    assert_eq!(first["color"], 0);
    assert_eq!(first["hoist"], false);
    assert_eq!(first["mentionable"], false);
    assert_eq!(first["managed"], false);
    assert_eq!(first["position"], 1);
    let events = app.events();
    assert_eq!(events.len(), 1, "only the new role: no other role moved");
    assert_eq!(events[0].name, "GUILD_ROLE_CREATE");
    assert_eq!(events[0].data, json!({"guild_id": gid, "role": first}));
    assert_eq!(events[0].audience, everyone_audience);

    let kick_and_ban = (perm::KICK_MEMBERS | perm::BAN_MEMBERS).to_string();
    let second = app
        .expect(
            Method::POST,
            &path,
            &owner,
            Some(
                json!({"name": " Moderators ", "color": 0x34_98db, "hoist": true,
                "mentionable": true, "permissions": kick_and_ban}),
            ),
            201,
        )
        .await;
    assert_eq!(second["name"], "Moderators");
    assert_eq!(second["color"], 0x34_98db);
    assert_eq!(second["hoist"], true);
    assert_eq!(second["mentionable"], true);
    assert_eq!(second["permissions"], kick_and_ban);
    assert_eq!(second["position"], 1);
    let events = app.events();
    let names: Vec<_> = events.iter().map(|e| e.name).collect();
    assert_eq!(names, ["GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE"]);
    assert_eq!(events[0].data["role"], second);
    assert_eq!(events[1].data["role"]["id"], first["id"]);
    assert_eq!(events[1].data["role"]["position"], 2);
    assert!(events.iter().all(|e| e.audience == everyone_audience));

    app.expect(
        Method::POST,
        &path,
        &owner,
        Some(json!({"name": "Helpers"})),
        201,
    )
    .await;
    let mut moved: Vec<_> = app
        .events()
        .iter()
        .filter(|e| e.name == "GUILD_ROLE_UPDATE")
        .map(|e| {
            (
                e.data["role"]["name"].as_str().unwrap().to_owned(),
                e.data["role"]["position"].as_i64().unwrap(),
            )
        })
        .collect();
    moved.sort();
    assert_eq!(
        moved,
        [("Moderators".to_owned(), 2), ("new role".to_owned(), 3)]
    );
    let expected = [
        ("new role", 3),
        ("Moderators", 2),
        ("Helpers", 1),
        ("@everyone", 0),
    ]
    .map(|(n, p)| (n.to_owned(), p));
    assert_eq!(role_order(&app, &owner, gid).await, expected);
    let fetched = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{gid}"),
            &owner,
            None,
            200,
        )
        .await;
    let guild_roles: Vec<_> = fetched["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        guild_roles,
        ["new role", "Moderators", "Helpers", "@everyone"]
    );
}

async fn role_fields_are_validated_and_permissions_round_trip_as_decimal_strings(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner().await;
    let guild = app.create_guild(&owner, "Hearthside").await;
    let gid = id(&guild);
    let path = format!("/api/v1/guilds/{gid}/roles");

    // Above 2^53, where JSON numbers lose precision, and Hearth's own bit 60.
    let high_bits = ((1u64 << 60) | (1 << 52) | perm::KICK_MEMBERS).to_string();
    let role = app
        .expect(
            Method::POST,
            &path,
            &owner,
            Some(json!({"name": "reporters", "permissions": high_bits, "color": 0xFF_FFFF})),
            201,
        )
        .await;
    assert_eq!(role["permissions"], high_bits);
    assert_eq!(role["color"], 0xFF_FFFF);
    let role_path = format!("{path}/{}", id(&role));
    let listed = app.expect(Method::GET, &path, &owner, None, 200).await;
    assert_eq!(listed[0], role, "the stored bits read back unchanged");
    let edited = app
        .expect(
            Method::PATCH,
            &role_path,
            &owner,
            Some(json!({"permissions": "0", "color": 0})),
            200,
        )
        .await;
    assert_eq!(edited["permissions"], "0");
    assert_eq!(
        edited["name"], "reporters",
        "absent fields stay as they are"
    );
    let event = app.events().pop().unwrap();
    assert_eq!(event.name, "GUILD_ROLE_UPDATE");
    assert_eq!(event.data["role"], edited);
    app.expect(
        Method::PATCH,
        &role_path,
        &owner,
        Some(json!({"permissions": high_bits})),
        200,
    )
    .await;

    let bad = [
        (json!({"permissions": "abc"}), "permissions"),
        (json!({"permissions": "-1"}), "permissions"),
        (json!({"permissions": ""}), "permissions"),
        (json!({"permissions": " 8"}), "permissions"),
        (
            json!({"permissions": "18446744073709551616"}),
            "permissions",
        ),
        (
            json!({"permissions": (1u64 << 47).to_string()}),
            "permissions",
        ),
        (json!({"permissions": 8}), "permissions"),
        (json!({"name": "@everyone"}), "name"),
        (json!({"name": " @EveryOne "}), "name"),
        (json!({"name": "   "}), "name"),
        (json!({"name": "x".repeat(101)}), "name"),
        (json!({"color": -1}), "color"),
        (json!({"color": 0x100_0000}), "color"),
    ];
    app.events();
    for (body, field) in bad {
        for response in [
            app.post(&path, Some(&owner), body.clone()).await,
            app.patch(&role_path, Some(&owner), body.clone()).await,
        ] {
            let error = assert_error(response, 400, "VALIDATION_FAILED").await;
            assert!(
                error["error"]["fields"][field].is_string(),
                "{body}: {error}"
            );
        }
    }
    let response = app.post(&path, Some(&owner), json!({"colour": 1})).await;
    assert_error(response, 400, "VALIDATION_FAILED").await;
    assert!(
        app.events().is_empty(),
        "a refused request publishes nothing"
    );
    let roles = app.expect(Method::GET, &path, &owner, None, 200).await;
    assert_eq!(roles.as_array().unwrap().len(), 2);
    assert_eq!(roles[0]["permissions"], high_bits);
    assert_eq!(roles[0]["name"], "reporters");
}

async fn the_everyone_role_keeps_its_name_and_existence_but_its_permissions_can_change(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, member, _, guild) = app.two_users_in_a_guild().await;
    let gid = id(&guild);
    let everyone_path = format!("/api/v1/guilds/{gid}/roles/{gid}");

    let response = app
        .patch(&everyone_path, Some(&owner), json!({"name": "all"}))
        .await;
    let error = assert_error(response, 400, "VALIDATION_FAILED").await;
    assert!(error["error"]["fields"]["name"].is_string());
    let response = app.delete(&everyone_path, Some(&owner)).await;
    let error = assert_error(response, 400, "VALIDATION_FAILED").await;
    assert!(error["error"]["fields"]["role_id"].is_string());
    assert!(app.events().is_empty());

    let defaults: u64 = guild["roles"][0]["permissions"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(defaults & perm::SEND_MESSAGES, 0);
    let quieter = (defaults & !perm::SEND_MESSAGES).to_string();
    let everyone = app
        .expect(
            Method::PATCH,
            &everyone_path,
            &owner,
            Some(json!({"permissions": quieter, "color": 0})),
            200,
        )
        .await;
    assert_eq!(everyone["name"], "@everyone");
    assert_eq!(everyone["permissions"], quieter);
    assert_eq!(everyone["position"], 0);
    let event = app.expect_event("GUILD_ROLE_UPDATE");
    assert_eq!(event.data, json!({"guild_id": gid, "role": everyone}));
    assert_eq!(event.audience, Audience::Guild(gid.parse().unwrap()));

    let mine = app
        .expect(Method::GET, "/api/v1/users/@me/guilds", &member, None, 200)
        .await;
    assert_eq!(
        mine[0]["permissions"], quieter,
        "members feel the change at once"
    );
    let roles = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{gid}/roles"),
            &member,
            None,
            200,
        )
        .await;
    assert_eq!(roles, json!([everyone]));
}

async fn a_role_manager_acts_only_below_their_highest_role_and_within_their_own_permissions(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (owner, manager, manager_id, guild) = app.two_users_in_a_guild().await;
    let gid = id(&guild);
    let owner_id = guild["owner_id"].as_str().unwrap();
    let code = app.invite_to(&owner, &guild).await;
    let (bystander, bystander_user) = app.register("bystander", None).await;
    app.join(&bystander, &code).await;
    let bystander_id = id(&bystander_user);
    let roles_path = format!("/api/v1/guilds/{gid}/roles");
    let high = app.create_role(&owner, gid, "high", 0).await;
    let managing = app
        .create_role(
            &owner,
            gid,
            "manager",
            perm::MANAGE_ROLES | perm::KICK_MEMBERS,
        )
        .await;
    let low = app.create_role(&owner, gid, "low", 0).await;
    let (high, managing, low) = (id(&high), id(&managing), id(&low));
    app.grant_role(&owner, gid, &manager_id, managing).await;
    let role_path = |role: &str| format!("{roles_path}/{role}");
    let member_role =
        |user: &str, role: &str| format!("/api/v1/guilds/{gid}/members/{user}/roles/{role}");
    let kick = perm::KICK_MEMBERS.to_string();
    let ban = perm::BAN_MEMBERS.to_string();
    app.events();

    // Without MANAGE_ROLES nothing about roles can be changed.
    for response in [
        app.post(&roles_path, Some(&bystander), json!({"name": "mine"}))
            .await,
        app.patch(&role_path(low), Some(&bystander), json!({"name": "mine"}))
            .await,
        app.delete(&role_path(low), Some(&bystander)).await,
        app.put(&member_role(bystander_id, low), Some(&bystander), None)
            .await,
        app.patch(
            &roles_path,
            Some(&bystander),
            json!([{"id": low, "position": 2}]),
        )
        .await,
    ] {
        assert_error(response, 403, "MISSING_PERMISSIONS").await;
    }

    // At or above the manager's own top role, or beyond their permissions: refused.
    for response in [
        app.patch(&role_path(high), Some(&manager), json!({"name": "mine"}))
            .await,
        app.delete(&role_path(high), Some(&manager)).await,
        app.patch(&role_path(managing), Some(&manager), json!({"hoist": true}))
            .await,
        app.delete(&role_path(managing), Some(&manager)).await,
        app.put(&member_role(&manager_id, high), Some(&manager), None)
            .await,
        app.put(&member_role(bystander_id, managing), Some(&manager), None)
            .await,
        app.put(&member_role(owner_id, low), Some(&manager), None)
            .await,
        app.post(&roles_path, Some(&manager), json!({"permissions": ban}))
            .await,
        app.patch(&role_path(low), Some(&manager), json!({"permissions": ban}))
            .await,
        app.patch(
            &role_path(gid),
            Some(&manager),
            json!({"permissions": (guild["roles"][0]["permissions"].as_str().unwrap()
                .parse::<u64>().unwrap() | perm::MANAGE_MESSAGES).to_string()}),
        )
        .await,
    ] {
        assert_error(response, 403, "ROLE_HIERARCHY").await;
    }
    assert!(
        app.events().is_empty(),
        "a refused request publishes nothing"
    );

    // Below it and within their permissions: allowed.
    let edited = app
        .expect(
            Method::PATCH,
            &role_path(low),
            &manager,
            Some(json!({"name": "helpers", "permissions": kick})),
            200,
        )
        .await;
    assert_eq!(edited["name"], "helpers");
    assert_eq!(edited["permissions"], kick);
    assert_eq!(app.expect_event("GUILD_ROLE_UPDATE").data["role"], edited);
    let created = app
        .expect(
            Method::POST,
            &roles_path,
            &manager,
            Some(json!({"name": "trial", "permissions": kick})),
            201,
        )
        .await;
    assert_eq!(created["position"], 1);
    app.grant_role(&manager, gid, bystander_id, low).await;
    let event = app.expect_event("GUILD_MEMBER_UPDATE");
    assert_eq!(event.data["user"]["id"], bystander_id);
    assert!(
        event.data["roles"]
            .as_array()
            .unwrap()
            .contains(&json!(low))
    );
    app.grant_role(&manager, gid, &manager_id, id(&created))
        .await;
    app.expect(Method::DELETE, &role_path(low), &manager, None, 204)
        .await;
    let order: Vec<_> = role_order(&app, &owner, gid)
        .await
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(order, ["high", "manager", "trial", "@everyone"]);
}

async fn reordering_moves_roles_exactly_and_never_to_or_past_the_movers_top_role(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, manager, manager_id, guild) = app.two_users_in_a_guild().await;
    let gid = id(&guild);
    let path = format!("/api/v1/guilds/{gid}/roles");
    let top = app.create_role(&owner, gid, "top", 0).await;
    let managing = app
        .create_role(&owner, gid, "manager", perm::MANAGE_ROLES)
        .await;
    let low1 = app.create_role(&owner, gid, "low1", 0).await;
    let low2 = app.create_role(&owner, gid, "low2", 0).await;
    let (top, managing, low1, low2) = (id(&top), id(&managing), id(&low1), id(&low2));
    app.grant_role(&owner, gid, &manager_id, managing).await;
    let order = |names: [(&str, i64); 5]| names.map(|(n, p)| (n.to_owned(), p)).to_vec();
    assert_eq!(
        role_order(&app, &owner, gid).await,
        order([
            ("top", 4),
            ("manager", 3),
            ("low1", 2),
            ("low2", 1),
            ("@everyone", 0)
        ])
    );
    app.events();

    let answer = app
        .expect(
            Method::PATCH,
            &path,
            &owner,
            Some(json!([{"id": low2, "position": 4}])),
            200,
        )
        .await;
    let expected = order([
        ("low2", 4),
        ("top", 3),
        ("manager", 2),
        ("low1", 1),
        ("@everyone", 0),
    ]);
    let answered: Vec<_> = answer
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["position"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        answered, expected,
        "the answer lists every role, highest first"
    );
    assert_eq!(role_order(&app, &owner, gid).await, expected);
    let events = app.events();
    assert_eq!(events.len(), 4, "one GUILD_ROLE_UPDATE per role that moved");
    assert!(events.iter().all(|e| e.name == "GUILD_ROLE_UPDATE"));

    app.expect(
        Method::PATCH,
        &path,
        &owner,
        Some(json!([
            {"id": top, "position": 4}, {"id": managing, "position": 3},
            {"id": low1, "position": 2}, {"id": low2, "position": 1},
        ])),
        200,
    )
    .await;
    let restored = order([
        ("top", 4),
        ("manager", 3),
        ("low1", 2),
        ("low2", 1),
        ("@everyone", 0),
    ]);
    assert_eq!(role_order(&app, &owner, gid).await, restored);
    app.events();

    for body in [
        json!([{"id": low2, "position": 3}]),
        json!([{"id": low1, "position": 4}]),
        json!([{"id": managing, "position": 1}]),
        json!([{"id": top, "position": 1}]),
    ] {
        let response = app.patch(&path, Some(&manager), body).await;
        assert_error(response, 403, "ROLE_HIERARCHY").await;
    }
    assert!(app.events().is_empty());
    assert_eq!(role_order(&app, &owner, gid).await, restored);

    app.expect(
        Method::PATCH,
        &path,
        &manager,
        Some(json!([{"id": low2, "position": 2}])),
        200,
    )
    .await;
    assert_eq!(
        role_order(&app, &owner, gid).await,
        order([
            ("top", 4),
            ("manager", 3),
            ("low2", 2),
            ("low1", 1),
            ("@everyone", 0)
        ]),
        "below their top role a manager may reorder"
    );
    let moved: Vec<_> = app
        .events()
        .iter()
        .map(|e| e.data["role"]["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(moved.len(), 2);

    let invalid = [
        (json!([]), "body"),
        (json!([{"id": gid, "position": 1}]), "[0].id"),
        (json!([{"id": "123456789012345", "position": 1}]), "[0].id"),
        (json!([{"id": low1, "position": 0}]), "[0].position"),
        (
            json!([{"id": low1, "position": 2}, {"id": low1, "position": 1}]),
            "[1].id",
        ),
        (json!([{"id": low1, "position": "2"}]), "[0].position"),
    ];
    for (body, field) in invalid {
        let response = app.patch(&path, Some(&owner), body.clone()).await;
        let error = assert_error(response, 400, "VALIDATION_FAILED").await;
        assert!(
            error["error"]["fields"][field].is_string(),
            "{body}: {error}"
        );
    }
}

async fn deleting_a_role_frees_its_slot_and_removes_it_from_members_and_overwrites(
    backend: Backend,
) {
    let app = spawn_app_with(backend, |c| c.limits.roles_per_guild = 2).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let gid = id(&guild);
    let general = guild["system_channel_id"].as_str().unwrap();
    let path = format!("/api/v1/guilds/{gid}/roles");
    let doomed = app
        .create_role(&owner, gid, "doomed", perm::MANAGE_MESSAGES)
        .await;
    app.create_role(&owner, gid, "kept", 0).await;
    let response = app
        .post(&path, Some(&owner), json!({"name": "third"}))
        .await;
    assert_error(response, 400, "LIMIT_REACHED").await;

    let doomed_id = id(&doomed);
    app.grant_role(&owner, gid, &member_id, doomed_id).await;
    app.expect(
        Method::PUT,
        &format!("/api/v1/channels/{general}/permissions/{doomed_id}"),
        &owner,
        Some(json!({"type": 0, "allow": perm::MENTION_EVERYONE.to_string()})),
        204,
    )
    .await;
    app.events();

    app.expect(
        Method::DELETE,
        &format!("{path}/{doomed_id}"),
        &owner,
        None,
        204,
    )
    .await;
    let event = app.expect_event("GUILD_ROLE_DELETE");
    assert_eq!(event.data, json!({"guild_id": gid, "role_id": doomed_id}));
    assert_eq!(event.audience, Audience::Guild(gid.parse().unwrap()));

    let held = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{gid}/members/{member_id}"),
            &member,
            None,
            200,
        )
        .await;
    assert_eq!(held["roles"], json!([]));
    let channel = app
        .expect(
            Method::GET,
            &format!("/api/v1/channels/{general}"),
            &member,
            None,
            200,
        )
        .await;
    assert_eq!(channel["permission_overwrites"], json!([]));
    let names: Vec<_> = role_order(&app, &member, gid)
        .await
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(names, ["kept", "@everyone"]);
    let mine = app
        .expect(Method::GET, "/api/v1/users/@me/guilds", &member, None, 200)
        .await;
    let bits: u64 = mine[0]["permissions"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        bits & perm::MANAGE_MESSAGES,
        0,
        "the role's permissions went with it"
    );

    let response = app
        .delete(&format!("{path}/{doomed_id}"), Some(&owner))
        .await;
    assert_error(response, 404, "UNKNOWN_ROLE").await;
    let response = app
        .patch(
            &format!("{path}/{doomed_id}"),
            Some(&owner),
            json!({"name": "back"}),
        )
        .await;
    assert_error(response, 404, "UNKNOWN_ROLE").await;
    let response = app
        .put(
            &format!("/api/v1/guilds/{gid}/members/{member_id}/roles/{doomed_id}"),
            Some(&owner),
            None,
        )
        .await;
    assert_error(response, 404, "UNKNOWN_ROLE").await;
    app.expect(
        Method::POST,
        &path,
        &owner,
        Some(json!({"name": "third"})),
        201,
    )
    .await;
}

async fn an_administrator_sees_every_channel_whatever_its_overwrites(backend: Backend) {
    let app = spawn_app(backend).await;
    let (owner, member, member_id, guild) = app.two_users_in_a_guild().await;
    let gid = id(&guild);
    let deny_view = perm::VIEW_CHANNEL.to_string();
    let vault = app
        .expect(
            Method::POST,
            &format!("/api/v1/guilds/{gid}/channels"),
            &owner,
            Some(json!({"name": "vault", "permission_overwrites": [
                {"id": gid, "type": 0, "deny": deny_view},
                {"id": member_id, "type": 1, "deny": deny_view},
            ]})),
            201,
        )
        .await;
    let vault_path = format!("/api/v1/channels/{}", id(&vault));
    let response = app.get(&vault_path, Some(&member)).await;
    assert_error(response, 404, "UNKNOWN_CHANNEL").await;

    let admin = app
        .create_role(&owner, gid, "admin", perm::ADMINISTRATOR)
        .await;
    app.grant_role(&owner, gid, &member_id, id(&admin)).await;
    app.expect(Method::GET, &vault_path, &member, None, 200)
        .await;
    let listed = app
        .expect(
            Method::GET,
            &format!("/api/v1/guilds/{gid}/channels"),
            &member,
            None,
            200,
        )
        .await;
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == vault["id"])
    );
    let renamed = app
        .expect(
            Method::PATCH,
            &vault_path,
            &member,
            Some(json!({"name": "open-vault"})),
            200,
        )
        .await;
    assert_eq!(
        renamed["name"], "open-vault",
        "administrators hold every permission there"
    );
}
