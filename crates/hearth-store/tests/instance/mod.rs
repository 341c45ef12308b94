//! Instance administration on both backends: account changes, deletion, settings, announcements and
//! invites commit together with their instance audit entry, and a refused change (or one that changes
//! nothing) leaves none.

use hearth_core::instance::{
    AnnouncementContent, AnnouncementTitle, InstanceAuditAction, InstanceDocument, InstanceName,
    MAX_ACTIVE_ANNOUNCEMENTS, UserQuery,
};
use hearth_core::{
    ChannelKind, Overwrite, OverwriteKind, Permissions, RegistrationMode, Snowflake,
};
use hearth_store::{
    AccountActionError, AccountChange, InstanceAuditQuery, InstanceAuditRecord, NewAnnouncement,
    NewInstanceAuditEntry, ProfileUpdate, Protected, SettingsUpdate, StoreError, UserSearch,
};
use serde_json::json;

use super::TestDb;
use super::community::{channel, guild};
use super::messages::{guild_with_member, send, text};

/// An entry made on the command line (no actor), for calls whose entry a test does not look at.
pub fn cli_entry(id: Snowflake, action: InstanceAuditAction) -> NewInstanceAuditEntry {
    NewInstanceAuditEntry::new(id, None, action)
}

/// What an admin who is not the owner may touch: neither the owner nor other admins.
const BY_ADMIN: Protected = Protected {
    owner: true,
    admins: true,
};
const BY_OWNER: Protected = Protected {
    owner: true,
    admins: false,
};

async fn log(db: &TestDb) -> Vec<InstanceAuditRecord> {
    db.store
        .instance_audit_log(&InstanceAuditQuery {
            user_id: None,
            action: None,
            before: None,
            limit: 100,
        })
        .await
        .unwrap()
}

pub async fn account_changes_are_guarded_and_logged_with_their_audit_entry(db: &TestDb) {
    let owner = db.owner().await;
    let admin = db.create_by_admin("admin", true).await;
    let plain = db.create_by_admin("plain", false).await;
    let (_, plain_token) = db.session(plain.id, db.now).await;
    let later = db.now + 1_000;
    let entry = |action| NewInstanceAuditEntry::new(db.id(), Some(admin.id), action);

    let disable = entry(InstanceAuditAction::UserDisable)
        .target(plain.id)
        .reason(Some("spam".into()));
    let done = db
        .store
        .change_account(plain.id, AccountChange::Disable, BY_ADMIN, later, &disable)
        .await
        .unwrap();
    assert!(done.changed && done.user.disabled);
    assert_eq!(done.user.updated_at, later);
    assert!(
        db.session_ids(plain.id).await.is_empty(),
        "sessions revoked"
    );
    assert!(!db.authenticates(&plain_token).await);
    let entries = log(db).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].id, disable.id);
    assert_eq!(entries[0].action, "user.disable");
    assert_eq!(entries[0].user_id, Some(admin.id));
    assert_eq!(entries[0].target_id, Some(plain.id));
    assert_eq!(entries[0].reason.as_deref(), Some("spam"));

    // Asking again changes nothing and writes nothing.
    let again = db
        .store
        .change_account(
            plain.id,
            AccountChange::Disable,
            BY_ADMIN,
            later,
            &entry(InstanceAuditAction::UserDisable),
        )
        .await
        .unwrap();
    assert!(!again.changed && again.user.disabled);

    // Refusals: an admin acting on another admin or the owner, anyone demoting the owner, unknown ids.
    let refused = [
        (admin.id, AccountChange::Disable, BY_ADMIN),
        (owner.id, AccountChange::Disable, BY_ADMIN),
        (owner.id, AccountChange::Disable, BY_OWNER),
        (
            owner.id,
            AccountChange::Demote,
            Protected {
                owner: false,
                admins: false,
            },
        ),
        (admin.id, AccountChange::Demote, BY_ADMIN),
        (db.id(), AccountChange::Enable, BY_OWNER),
    ];
    for (target, change, protected) in refused {
        let result = db
            .store
            .change_account(
                target,
                change,
                protected,
                later,
                &entry(InstanceAuditAction::UserDisable),
            )
            .await;
        match (target, result) {
            (t, Err(AccountActionError::Owner)) if t == owner.id => {}
            (t, Err(AccountActionError::Admin)) if t == admin.id => {}
            (t, Err(AccountActionError::NotFound)) if t != owner.id && t != admin.id => {}
            (_, other) => panic!("{change:?} on {target} with {protected:?}: {other:?}"),
        }
    }
    let admin_now = db.store.user_by_id(admin.id).await.unwrap().unwrap();
    assert!(admin_now.is_admin && !admin_now.disabled);
    let owner_now = db.store.user_by_id(owner.id).await.unwrap().unwrap();
    assert!(owner_now.is_owner && owner_now.is_admin && !owner_now.disabled);
    assert_eq!(log(db).await.len(), 1, "refusals leave no entry");

    // The owner may act on admins.
    let demoted = db
        .store
        .change_account(
            admin.id,
            AccountChange::Demote,
            BY_OWNER,
            later,
            &entry(InstanceAuditAction::UserDemote),
        )
        .await
        .unwrap();
    assert!(demoted.changed && !demoted.user.is_admin);

    // A change whose entry cannot be written does not happen: here the entry reuses an id.
    let clash =
        NewInstanceAuditEntry::new(disable.id, Some(owner.id), InstanceAuditAction::UserEnable);
    assert!(
        db.store
            .change_account(plain.id, AccountChange::Enable, BY_OWNER, later, &clash)
            .await
            .is_err()
    );
    assert!(
        db.store
            .user_by_id(plain.id)
            .await
            .unwrap()
            .unwrap()
            .disabled
    );
    let enabled = db
        .store
        .change_account(
            plain.id,
            AccountChange::Enable,
            BY_OWNER,
            later,
            &entry(InstanceAuditAction::UserEnable),
        )
        .await
        .unwrap();
    assert!(enabled.changed && !enabled.user.disabled);
    let actions: Vec<_> = log(db).await.into_iter().map(|e| e.action).collect();
    assert_eq!(actions, ["user.enable", "user.demote", "user.disable"]);
}

pub async fn deleting_an_account_anonymises_it_and_keeps_its_messages(db: &TestDb) {
    let (g, owner, member) = guild_with_member(db).await;
    let lounge = g.system_channel_id.unwrap();
    let sent = send(db, &text(&g, lounge, member, "hello, all"))
        .await
        .unwrap();
    assert!(db.store.ack_message(member, lounge, sent.id).await.unwrap());
    let private = channel(
        db,
        g.id,
        ChannelKind::Text,
        None,
        vec![Overwrite {
            id: member,
            kind: OverwriteKind::Member,
            allow: Permissions::VIEW_CHANNEL,
            deny: Permissions::empty(),
        }],
    )
    .await
    .unwrap();
    let own = guild(db, member, 10).await.unwrap();
    db.store
        .update_profile(
            member,
            &ProfileUpdate {
                global_name: Some(Some("Mem".into())),
                bio: Some("about me".into()),
                pronouns: Some("they".into()),
            },
            db.now,
        )
        .await
        .unwrap();
    let (_, token) = db.session(member, db.now).await;
    let entry = || {
        NewInstanceAuditEntry::new(db.id(), Some(owner), InstanceAuditAction::UserDelete)
            .target(member)
    };

    // Owning a guild blocks the deletion unless asked to delete the guild too; nothing changes.
    let blocked = db
        .store
        .delete_account(member, BY_OWNER, false, db.now, &entry())
        .await;
    assert!(
        matches!(blocked, Err(AccountActionError::OwnsGuilds(1))),
        "{blocked:?}"
    );
    let refused_owner = db
        .store
        .delete_account(owner, BY_OWNER, true, db.now, &entry())
        .await;
    assert!(matches!(refused_owner, Err(AccountActionError::Owner)));
    // An entry that cannot be written takes the deletion with it.
    let first = entry();
    db.store
        .change_account(member, AccountChange::Promote, BY_OWNER, db.now, &first)
        .await
        .unwrap();
    let clash = NewInstanceAuditEntry::new(first.id, Some(owner), InstanceAuditAction::UserDelete);
    assert!(
        db.store
            .delete_account(member, BY_OWNER, true, db.now, &clash)
            .await
            .is_err()
    );
    let untouched = db.store.user_by_id(member).await.unwrap().unwrap();
    assert_eq!(untouched.username.as_str(), "member");
    assert!(db.store.member(g.id, member).await.unwrap().is_some());
    assert!(db.store.guild_by_id(own.id).await.unwrap().is_some());
    assert!(db.authenticates(&token).await);
    assert_eq!(log(db).await.len(), 1);

    let later = db.now + 5_000;
    let deletion = entry();
    let deleted = db
        .store
        .delete_account(member, BY_OWNER, true, later, &deletion)
        .await
        .unwrap();
    assert_eq!(deleted.left_guilds, [g.id]);
    assert_eq!(deleted.deleted_guilds, [own.id]);
    let user = &deleted.user;
    assert_eq!(user.username.as_str(), format!("deleted_user_{member}"));
    assert_eq!(user.global_name.as_deref(), Some("Deleted User"));
    assert_eq!((user.bio.as_str(), user.pronouns.as_str()), ("", ""));
    assert!(user.password_hash.is_none());
    assert!(user.disabled && !user.is_admin && !user.is_bot);
    assert_eq!(user.updated_at, later);
    assert_eq!(
        db.store.user_by_id(member).await.unwrap().as_ref(),
        Some(user)
    );

    // The message stays, under the anonymised author.
    let kept = db
        .store
        .message(lounge, sent.id, owner)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.content, "hello, all");
    assert_eq!(
        kept.author.username.as_str(),
        format!("deleted_user_{member}")
    );
    // Memberships, member overwrites, sessions and owned guilds are gone.
    assert!(db.store.member(g.id, member).await.unwrap().is_none());
    let overwrites = db
        .store
        .channel_by_id(private.id)
        .await
        .unwrap()
        .unwrap()
        .overwrites;
    assert!(overwrites.iter().all(|o| o.id != member), "{overwrites:?}");
    assert!(db.session_ids(member).await.is_empty());
    assert!(!db.authenticates(&token).await);
    assert!(db.store.guild_by_id(own.id).await.unwrap().is_none());
    // Its old name is free, and its deleted name does not find it.
    let name = hearth_core::Username::parse("member").unwrap();
    assert!(db.store.user_by_username(&name).await.unwrap().is_none());
    let shown = hearth_core::Username::parse(&format!("deleted_user_{member}")).unwrap();
    assert!(db.store.user_by_username(&shown).await.unwrap().is_none());

    let entries = log(db).await;
    assert_eq!(entries.len(), 2);
    assert_eq!(
        (entries[0].id, entries[0].action.as_str()),
        (deletion.id, "user.delete")
    );

    // A deleted account is gone for every later action, and listed as deleted.
    assert!(matches!(
        db.store
            .delete_account(member, BY_OWNER, true, later, &entry())
            .await,
        Err(AccountActionError::NotFound)
    ));
    assert!(matches!(
        db.store
            .change_account(member, AccountChange::Enable, BY_OWNER, later, &entry())
            .await,
        Err(AccountActionError::NotFound)
    ));
    let listed = db.store.admin_user(member).await.unwrap().unwrap();
    assert!(listed.deleted && listed.last_active_at.is_none());
    assert_eq!(log(db).await.len(), 2);
}

pub async fn instance_settings_and_announcements_are_logged_only_when_they_change(db: &TestDb) {
    let owner = db.owner().await;
    let entry = |action| NewInstanceAuditEntry::new(db.id(), Some(owner.id), action);
    let settings = entry(InstanceAuditAction::SettingsUpdate);
    let update = SettingsUpdate {
        registration_mode: Some(RegistrationMode::Open),
        name: Some(InstanceName::parse("Hearthside").unwrap()),
        terms: Some(InstanceDocument::parse("Be kind.").unwrap()),
        privacy: Some(InstanceDocument::parse("").unwrap()),
        ..SettingsUpdate::default()
    };
    let after = db
        .store
        .update_instance_settings(&update, &settings)
        .await
        .unwrap();
    assert_eq!(after, db.store.instance_settings().await.unwrap());
    assert_eq!(after.registration_mode, RegistrationMode::Open);
    assert_eq!(after.name.as_deref(), Some("Hearthside"));
    assert!(after.has_terms() && after.privacy.is_empty());
    let entries = log(db).await;
    assert_eq!(entries.len(), 1);
    let changes: Vec<_> = entries[0]
        .changes
        .iter()
        .map(|c| (c.key.as_str(), c.old_value.clone(), c.new_value.clone()))
        .collect();
    assert_eq!(
        changes,
        [
            (
                "registration_mode",
                Some(json!("invite")),
                Some(json!("open"))
            ),
            ("name", None, Some(json!("Hearthside"))),
            ("terms", None, Some(json!("Be kind."))),
        ],
        "an unchanged (empty) privacy policy is left out"
    );
    // The same update again changes nothing and writes no entry; a clashing entry id writes nothing.
    db.store
        .update_instance_settings(&update, &entry(InstanceAuditAction::SettingsUpdate))
        .await
        .unwrap();
    let clash = NewInstanceAuditEntry::new(settings.id, None, InstanceAuditAction::SettingsUpdate);
    let closing = SettingsUpdate {
        registration_mode: Some(RegistrationMode::Closed),
        ..SettingsUpdate::default()
    };
    assert!(
        db.store
            .update_instance_settings(&closing, &clash)
            .await
            .is_err()
    );
    assert_eq!(
        db.store.registration_mode().await.unwrap(),
        RegistrationMode::Open
    );
    assert_eq!(log(db).await.len(), 1);

    // Announcements: at most MAX_ACTIVE_ANNOUNCEMENTS shown at once; expired ones do not count.
    let post = |expires_at: Option<i64>| NewAnnouncement {
        id: db.id(),
        author_id: Some(owner.id),
        title: AnnouncementTitle::parse("Maintenance").unwrap(),
        content: AnnouncementContent::parse("Back soon.").unwrap(),
        now_ms: db.now,
        expires_at,
    };
    let expired = post(Some(db.now + 10));
    db.store
        .create_announcement(&expired, &entry(InstanceAuditAction::AnnouncementCreate))
        .await
        .unwrap();
    let later = db.now + 20;
    for _ in 0..MAX_ACTIVE_ANNOUNCEMENTS {
        let new = NewAnnouncement {
            now_ms: later,
            ..post(None)
        };
        db.store
            .create_announcement(&new, &entry(InstanceAuditAction::AnnouncementCreate))
            .await
            .unwrap();
    }
    let over = NewAnnouncement {
        now_ms: later,
        ..post(None)
    };
    assert!(matches!(
        db.store
            .create_announcement(&over, &entry(InstanceAuditAction::AnnouncementCreate))
            .await,
        Err(StoreError::LimitReached(_))
    ));
    let active = db.store.active_announcements(later).await.unwrap();
    assert_eq!(active.len(), MAX_ACTIVE_ANNOUNCEMENTS as usize);
    assert!(active.iter().all(|a| a.id != expired.id));
    assert!(active.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    let all = db.store.announcements(None, 100).await.unwrap();
    assert_eq!(all.len(), MAX_ACTIVE_ANNOUNCEMENTS as usize + 1);
    let page = db.store.announcements(Some(all[1].id), 100).await.unwrap();
    assert_eq!(page.len(), all.len() - 2);
    assert_eq!(page[0].id, all[2].id);

    let removal = entry(InstanceAuditAction::AnnouncementDelete).target(expired.id);
    let gone = db
        .store
        .delete_announcement(expired.id, &removal)
        .await
        .unwrap();
    assert_eq!(gone.map(|a| a.title), Some("Maintenance".to_owned()));
    assert_eq!(
        db.store
            .delete_announcement(expired.id, &entry(InstanceAuditAction::AnnouncementDelete))
            .await
            .unwrap(),
        None
    );
    let creates = log_of(db, InstanceAuditAction::AnnouncementCreate).await;
    assert_eq!(
        creates.len(),
        MAX_ACTIVE_ANNOUNCEMENTS as usize + 1,
        "the refused post left none"
    );
    assert_eq!(
        log_of(db, InstanceAuditAction::AnnouncementDelete)
            .await
            .len(),
        1
    );

    // Invites: the code is recorded; a clashing code is refused without an entry.
    let invite = db
        .invite("AUDTxxxxxx", Some(owner.id), None, None, db.now)
        .await;
    let clashing = db
        .store
        .create_invite(
            &hearth_store::NewInvite {
                code: invite.clone(),
                created_by: None,
                limits: hearth_core::InviteLimits::default(),
                now_ms: db.now,
            },
            &entry(InstanceAuditAction::InviteCreate),
        )
        .await;
    assert!(matches!(clashing, Err(StoreError::Conflict(_))));
    assert_eq!(log_of(db, InstanceAuditAction::InviteCreate).await.len(), 1);

    // Paging and filters.
    let newest = log(db).await;
    let older = db
        .store
        .instance_audit_log(&InstanceAuditQuery {
            user_id: Some(owner.id),
            action: None,
            before: Some(newest[0].id),
            limit: 3,
        })
        .await
        .unwrap();
    assert_eq!(older.len(), 3);
    assert_eq!(older[0].id, newest[1].id);
    let nobody = db
        .store
        .instance_audit_log(&InstanceAuditQuery {
            user_id: Some(db.id()),
            action: None,
            before: None,
            limit: 100,
        })
        .await
        .unwrap();
    assert!(nobody.is_empty());
}

async fn log_of(db: &TestDb, action: InstanceAuditAction) -> Vec<InstanceAuditRecord> {
    db.store
        .instance_audit_log(&InstanceAuditQuery {
            user_id: None,
            action: Some(action),
            before: None,
            limit: 100,
        })
        .await
        .unwrap()
}

pub async fn accounts_are_searched_by_name_and_paged_in_id_order(db: &TestDb) {
    let owner = db.owner().await;
    let ada = db.create_by_admin("AdaLovelace", false).await;
    let grace = db.create_by_admin("grace", false).await;
    let percent = db.create_by_admin("100_percent", false).await;
    db.store
        .update_profile(
            grace.id,
            &ProfileUpdate {
                global_name: Some(Some("Admiral HOPPER".into())),
                ..ProfileUpdate::default()
            },
            db.now,
        )
        .await
        .unwrap();
    db.session(grace.id, db.now + 7).await;
    let search = |query: Option<&str>, after: Option<Snowflake>, limit: u32| {
        let query = query.map(|q| UserQuery::parse(q).unwrap());
        async move {
            db.store
                .search_users(&UserSearch {
                    query,
                    after,
                    limit,
                })
                .await
                .unwrap()
                .into_iter()
                .map(|u| u.user.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        search(None, None, 10).await,
        [owner.id, ada.id, grace.id, percent.id]
    );
    assert_eq!(search(None, Some(ada.id), 2).await, [grace.id, percent.id]);
    assert_eq!(search(Some("LOVE"), None, 10).await, [ada.id]);
    assert_eq!(
        search(Some("hopper"), None, 10).await,
        [grace.id],
        "display names match too"
    );
    assert_eq!(search(Some("a"), Some(ada.id), 10).await, [grace.id]);
    // `_` and `%` match themselves, not any character.
    assert_eq!(search(Some("0_p"), None, 10).await, [percent.id]);
    assert!(search(Some("%"), None, 10).await.is_empty());
    assert!(search(Some("o_n"), None, 10).await.is_empty());
    let listed = db.store.admin_user(grace.id).await.unwrap().unwrap();
    assert_eq!(listed.last_active_at, Some(db.now + 7));
    assert!(!listed.deleted);
    assert!(db.store.admin_user(db.id()).await.unwrap().is_none());
}
