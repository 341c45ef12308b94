//! The guild audit log on both backends: an administrative change and its entry commit together, and a
//! change that fails, or changes nothing, leaves no entry.

use hearth_core::invite::INVITE_CODE_LEN;
use hearth_core::{
    AuditAction, ChannelKind, InviteCode, Overwrite, OverwriteKind, Permissions, Snowflake,
};
use hearth_store::{
    AuditChange, AuditQuery, AuditRecord, ChannelMove, ChannelUpdate, GuildUpdate, NewAuditEntry,
    NewChannel, NewGuildInvite, NewRole, RoleUpdate, StoreError,
};
use serde_json::json;

use super::TestDb;
use super::community::{channel, guild, role};
use super::messages::{guild_with_member, send, text};

/// An entry with no actor, for store calls whose entry a test does not look at.
pub fn entry(db: &TestDb, guild: Snowflake, action: AuditAction) -> NewAuditEntry {
    NewAuditEntry::new(db.id(), guild, None, action)
}

/// The guild's log, newest first: every entry, or only `action`'s.
async fn log(db: &TestDb, guild: Snowflake, action: Option<AuditAction>) -> Vec<AuditRecord> {
    db.store
        .audit_log(&AuditQuery {
            guild_id: guild,
            user_id: None,
            action,
            before: None,
            limit: 100,
        })
        .await
        .unwrap()
}

fn change(
    key: &str,
    old: Option<serde_json::Value>,
    new: Option<serde_json::Value>,
) -> AuditChange {
    AuditChange {
        key: key.into(),
        old_value: old,
        new_value: new,
    }
}

fn new_channel(db: &TestDb, guild: Snowflake, max_channels_per_guild: u32) -> NewChannel {
    NewChannel {
        id: db.id(),
        guild_id: guild,
        kind: ChannelKind::Text,
        name: "lounge".into(),
        topic: None,
        position: None,
        parent_id: None,
        nsfw: false,
        rate_limit_per_user: 0,
        bitrate: None,
        user_limit: None,
        overwrites: vec![],
        now_ms: db.now,
        max_channels_per_guild,
    }
}

fn new_invite(
    db: &TestDb,
    guild: Snowflake,
    channel: Snowflake,
    inviter: Snowflake,
) -> NewGuildInvite {
    let mut bytes = [0u8; INVITE_CODE_LEN];
    rand::fill(&mut bytes);
    NewGuildInvite {
        code: InviteCode::from_random(bytes),
        guild_id: guild,
        channel_id: channel,
        inviter_id: inviter,
        max_age: 0,
        max_uses: 0,
        temporary: false,
        unique: false,
        now_ms: db.now,
        max_invites_per_guild: 10,
    }
}

pub async fn an_administrative_change_and_its_audit_entry_commit_together(db: &TestDb) {
    let owner = db.owner().await;
    let g = guild(db, owner.id, 10).await.unwrap();
    assert!(
        log(db, g.id, None).await.is_empty(),
        "creating a guild is not audited"
    );

    let renamed = NewAuditEntry::new(db.id(), g.id, Some(owner.id), AuditAction::GuildUpdate)
        .target(g.id)
        .reason(Some("tidy up".into()))
        .change("name", "Hearthside", "Hearth")
        .change("verification_level", 0, 0);
    let update = GuildUpdate {
        name: Some("Hearth".into()),
        ..GuildUpdate::default()
    };
    db.store
        .update_guild(g.id, &update, db.now, &renamed)
        .await
        .unwrap();
    let entries = log(db, g.id, None).await;
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e.id, renamed.id);
    assert_eq!(e.action, Some(AuditAction::GuildUpdate));
    assert_eq!(e.action_code, 1);
    assert_eq!(e.user_id, Some(owner.id));
    assert_eq!(e.target_id, Some(g.id));
    assert_eq!(e.reason.as_deref(), Some("tidy up"));
    assert_eq!(
        e.changes,
        [change(
            "name",
            Some(json!("Hearthside")),
            Some(json!("Hearth"))
        )],
        "unchanged fields are left out"
    );
    assert!(e.options.is_empty());

    // Several entries in one transaction: a reorder writes one per role that moved.
    let low = role(db, g.id, Permissions::empty()).await;
    let high = role(db, g.id, Permissions::empty()).await;
    // Each new role lands at 1 and lifts the others, so read where they are now.
    let low = db.store.role(g.id, low.id).await.unwrap().unwrap();
    assert_eq!((low.position, high.position), (2, 1));
    let moves = [(low.id, high.position), (high.id, low.position)];
    let moved: Vec<NewAuditEntry> = [(&low, high.position), (&high, low.position)]
        .into_iter()
        .map(|(r, to)| {
            entry(db, g.id, AuditAction::RoleUpdate)
                .target(r.id)
                .change("position", r.position, to)
        })
        .collect();
    db.store
        .set_role_positions(g.id, &moves, &moved)
        .await
        .unwrap();
    let updates = log(db, g.id, Some(AuditAction::RoleUpdate)).await;
    assert_eq!(updates.len(), 2);
    assert_eq!(updates[0].changes[0].key, "position");
    assert_eq!(log(db, g.id, Some(AuditAction::RoleCreate)).await.len(), 2);

    let perms = entry(db, g.id, AuditAction::RoleUpdate)
        .target(low.id)
        .change("permissions", "0", Permissions::KICK_MEMBERS.to_string());
    let update = RoleUpdate {
        permissions: Some(Permissions::KICK_MEMBERS),
        ..RoleUpdate::default()
    };
    db.store
        .update_role(g.id, low.id, &update, &perms)
        .await
        .unwrap();
    let newest = &log(db, g.id, Some(AuditAction::RoleUpdate)).await[0];
    assert_eq!(
        newest.changes,
        [change("permissions", Some(json!("0")), Some(json!("2")))],
        "permissions are decimal strings, as in Discord"
    );

    // Overwrites: created, then deleted, each with its entry.
    let lounge = channel(db, g.id, ChannelKind::Text, None, vec![])
        .await
        .unwrap();
    let overwrite = Overwrite {
        id: low.id,
        kind: OverwriteKind::Role,
        allow: Permissions::empty(),
        deny: Permissions::VIEW_CHANNEL,
    };
    let created = entry(db, g.id, AuditAction::ChannelOverwriteCreate)
        .target(lounge.id)
        .option("id", low.id.to_string())
        .option("type", "0");
    db.store
        .put_overwrite(lounge.id, &overwrite, 10, &created)
        .await
        .unwrap();
    let e = &log(db, g.id, Some(AuditAction::ChannelOverwriteCreate)).await[0];
    assert_eq!(e.target_id, Some(lounge.id));
    assert_eq!(e.options.get("type"), Some(&json!("0")));
    let deleted = entry(db, g.id, AuditAction::ChannelOverwriteDelete).target(lounge.id);
    assert!(
        db.store
            .delete_overwrite(lounge.id, low.id, &deleted)
            .await
            .unwrap()
    );
    assert_eq!(
        log(db, g.id, Some(AuditAction::ChannelOverwriteDelete))
            .await
            .len(),
        1
    );

    assert!(
        db.store
            .delete_role(g.id, high.id, &entry(db, g.id, AuditAction::RoleDelete))
            .await
            .unwrap()
    );
    assert!(
        db.store
            .delete_channel(lounge.id, &entry(db, g.id, AuditAction::ChannelDelete))
            .await
            .unwrap()
    );
    let kinds: Vec<_> = log(db, g.id, None)
        .await
        .iter()
        .filter_map(|e| e.action)
        .collect();
    assert_eq!(
        kinds,
        [
            AuditAction::ChannelDelete,
            AuditAction::RoleDelete,
            AuditAction::ChannelOverwriteDelete,
            AuditAction::ChannelOverwriteCreate,
            AuditAction::ChannelCreate,
            AuditAction::RoleUpdate,
            AuditAction::RoleUpdate,
            AuditAction::RoleUpdate,
            AuditAction::RoleCreate,
            AuditAction::RoleCreate,
            AuditAction::GuildUpdate,
        ],
        "newest first, one entry per change"
    );

    // The entry is part of the change: when it cannot be written, the change does not happen either.
    let clashing = NewAuditEntry {
        id: renamed.id,
        ..entry(db, g.id, AuditAction::GuildUpdate)
    };
    let update = GuildUpdate {
        name: Some("Lost".into()),
        ..GuildUpdate::default()
    };
    assert!(
        db.store
            .update_guild(g.id, &update, db.now, &clashing)
            .await
            .is_err()
    );
    let now = db.store.guild_by_id(g.id).await.unwrap().unwrap();
    assert_eq!(now.name, "Hearth");
}

pub async fn a_refused_or_empty_change_leaves_no_audit_entry(db: &TestDb) {
    let owner = db.owner().await;
    let g = guild(db, owner.id, 10).await.unwrap();
    let general = g.system_channel_id.unwrap();
    let unknown = db.id();

    // The guild does not exist, and a system channel that is not one of its text channels.
    let update = GuildUpdate {
        name: Some("Other".into()),
        ..GuildUpdate::default()
    };
    assert!(matches!(
        db.store
            .update_guild(
                unknown,
                &update,
                db.now,
                &entry(db, g.id, AuditAction::GuildUpdate)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    let update = GuildUpdate {
        system_channel_id: Some(Some(unknown)),
        ..GuildUpdate::default()
    };
    assert!(matches!(
        db.store
            .update_guild(
                g.id,
                &update,
                db.now,
                &entry(db, g.id, AuditAction::GuildUpdate)
            )
            .await,
        Err(StoreError::Missing("system_channel_id"))
    ));

    // Channels: the limit, an unknown channel, a parent that is not a category, a move of an unknown
    // channel (which also undoes the valid move before it).
    assert!(matches!(
        db.store
            .create_channel(
                &new_channel(db, g.id, 2),
                &entry(db, g.id, AuditAction::ChannelCreate)
            )
            .await,
        Err(StoreError::LimitReached(_))
    ));
    let renamed = ChannelUpdate {
        name: Some("renamed".into()),
        ..ChannelUpdate::default()
    };
    let channel_update = [entry(db, g.id, AuditAction::ChannelUpdate)];
    assert!(matches!(
        db.store
            .update_channel(unknown, &renamed, false, db.now, &channel_update)
            .await,
        Err(StoreError::NotFound)
    ));
    let reparented = ChannelUpdate {
        parent_id: Some(Some(general)),
        ..ChannelUpdate::default()
    };
    assert!(matches!(
        db.store
            .update_channel(general, &reparented, false, db.now, &channel_update)
            .await,
        Err(StoreError::Missing("parent_id"))
    ));
    let moves = [
        ChannelMove {
            id: general,
            position: Some(7),
            parent_id: None,
            lock_permissions: false,
        },
        ChannelMove {
            id: unknown,
            position: Some(8),
            parent_id: None,
            lock_permissions: false,
        },
    ];
    assert!(matches!(
        db.store
            .move_channels(g.id, &moves, db.now, &channel_update)
            .await,
        Err(StoreError::Missing("id"))
    ));
    let general_now = db.store.channel_by_id(general).await.unwrap().unwrap();
    assert_eq!(general_now.position, 0, "the whole move was undone");
    assert!(
        !db.store
            .delete_channel(unknown, &entry(db, g.id, AuditAction::ChannelDelete))
            .await
            .unwrap()
    );

    // Overwrites: the limit, and a deletion of one that is not there.
    let overwrite = Overwrite {
        id: g.id,
        kind: OverwriteKind::Role,
        allow: Permissions::empty(),
        deny: Permissions::SEND_MESSAGES,
    };
    assert!(matches!(
        db.store
            .put_overwrite(
                general,
                &overwrite,
                0,
                &entry(db, g.id, AuditAction::ChannelOverwriteCreate)
            )
            .await,
        Err(StoreError::LimitReached(_))
    ));
    assert!(
        !db.store
            .delete_overwrite(
                general,
                g.id,
                &entry(db, g.id, AuditAction::ChannelOverwriteDelete)
            )
            .await
            .unwrap()
    );

    // Roles: the limit (@everyone does not count, so 0 refuses the first), an unknown role,
    // @everyone's deletion.
    let new_role = NewRole {
        id: db.id(),
        guild_id: g.id,
        name: "mods".into(),
        color: 0,
        hoist: false,
        mentionable: false,
        permissions: Permissions::empty(),
        now_ms: db.now,
        max_roles_per_guild: 0,
    };
    assert!(matches!(
        db.store
            .create_role(&new_role, &entry(db, g.id, AuditAction::RoleCreate))
            .await,
        Err(StoreError::LimitReached(_))
    ));
    assert!(matches!(
        db.store
            .update_role(
                g.id,
                unknown,
                &RoleUpdate::default(),
                &entry(db, g.id, AuditAction::RoleUpdate)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(
        !db.store
            .delete_role(g.id, g.id, &entry(db, g.id, AuditAction::RoleDelete))
            .await
            .unwrap(),
        "@everyone stays"
    );

    // Invites: answering an equivalent existing invite creates nothing; an unknown code deletes nothing.
    let first = new_invite(db, g.id, general, owner.id);
    let first_entry = entry(db, g.id, AuditAction::InviteCreate);
    let (_, is_new) = db
        .store
        .create_guild_invite(&first, &first_entry)
        .await
        .unwrap();
    assert!(is_new);
    let (again, is_new) = db
        .store
        .create_guild_invite(
            &new_invite(db, g.id, general, owner.id),
            &entry(db, g.id, AuditAction::InviteCreate),
        )
        .await
        .unwrap();
    assert!(!is_new);
    assert_eq!(again.code, first.code.as_str());
    assert!(
        db.store
            .delete_guild_invite("NoSuchCode", &entry(db, g.id, AuditAction::InviteDelete))
            .await
            .unwrap()
            .is_none()
    );

    let ids: Vec<Snowflake> = log(db, g.id, None).await.iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        [first_entry.id],
        "only the one invite that was created"
    );
}

pub async fn message_moderation_is_audited_only_when_it_changed_something(db: &TestDb) {
    let (g, owner, member) = guild_with_member(db).await;
    let general = g.system_channel_id.unwrap();
    let mut sent = Vec::new();
    for i in 0..5 {
        sent.push(
            send(db, &text(&g, general, member, &format!("m{i}")))
                .await
                .unwrap()
                .id,
        );
    }

    // The author's own deletion is not audited; a moderator's is, once.
    assert!(
        db.store
            .delete_message(general, sent[0], None)
            .await
            .unwrap()
    );
    assert!(
        log(db, g.id, Some(AuditAction::MessageDelete))
            .await
            .is_empty()
    );
    let by_moderator = NewAuditEntry::new(db.id(), g.id, Some(owner), AuditAction::MessageDelete)
        .target(member)
        .option("channel_id", general.to_string())
        .option("count", "1");
    assert!(
        db.store
            .delete_message(general, sent[1], Some(&by_moderator))
            .await
            .unwrap()
    );
    let again = entry(db, g.id, AuditAction::MessageDelete);
    assert!(
        !db.store
            .delete_message(general, sent[1], Some(&again))
            .await
            .unwrap()
    );
    let recorded = log(db, g.id, Some(AuditAction::MessageDelete)).await;
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].target_id, Some(member));
    assert_eq!(recorded[0].options.get("count"), Some(&json!("1")));

    // A bulk delete records how many it deleted; one that deleted nothing records nothing.
    let bulk = entry(db, g.id, AuditAction::MessageBulkDelete).target(general);
    let deleted = db
        .store
        .delete_messages(general, &[sent[1], sent[2], sent[3], db.id()], &bulk)
        .await
        .unwrap();
    assert_eq!(deleted, [sent[2], sent[3]]);
    let empty = entry(db, g.id, AuditAction::MessageBulkDelete);
    assert!(
        db.store
            .delete_messages(general, &[sent[2], sent[3]], &empty)
            .await
            .unwrap()
            .is_empty()
    );
    let bulks = log(db, g.id, Some(AuditAction::MessageBulkDelete)).await;
    assert_eq!(bulks.len(), 1);
    assert_eq!(bulks[0].target_id, Some(general));
    assert_eq!(bulks[0].options.get("count"), Some(&json!("2")));

    // Pins: only a pin or unpin that changed the message is recorded.
    let now = db.now;
    let pin = || entry(db, g.id, AuditAction::MessagePin);
    let unpin = || entry(db, g.id, AuditAction::MessageUnpin);
    assert!(
        db.store
            .pin_message(general, sent[4], 50, now, &pin())
            .await
            .unwrap()
            .changed
    );
    assert!(
        !db.store
            .pin_message(general, sent[4], 50, now, &pin())
            .await
            .unwrap()
            .changed
    );
    assert!(matches!(
        db.store
            .pin_message(general, sent[0], 50, now, &pin())
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(
        db.store
            .unpin_message(general, sent[4], &unpin())
            .await
            .unwrap()
            .changed
    );
    assert!(
        !db.store
            .unpin_message(general, sent[4], &unpin())
            .await
            .unwrap()
            .changed
    );
    assert_eq!(log(db, g.id, Some(AuditAction::MessagePin)).await.len(), 1);
    assert_eq!(
        log(db, g.id, Some(AuditAction::MessageUnpin)).await.len(),
        1
    );
}
