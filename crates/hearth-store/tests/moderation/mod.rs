//! Member moderation storage on both backends: bans that delete a window of messages, timeouts,
//! kicks, warnings and reports, each committing with its audit entry or not at all.

use hearth_core::message::first_id_at;
use hearth_core::{AuditAction, Snowflake};
use hearth_store::{
    AuditQuery, MemberUpdate, ReportAudit, ReportError, ReportNoteRecord, ReportRecord,
    ReportScope, ReportStatus, ReportUpdate, StoreError, WarningRecord,
};

use super::TestDb;
use super::audit::entry;
use super::messages::{guild_with_member, send, text};

async fn count(db: &TestDb, guild: Snowflake, action: AuditAction) -> usize {
    db.store
        .audit_log(&AuditQuery {
            guild_id: guild,
            user_id: None,
            action: Some(action),
            before: None,
            limit: 100,
        })
        .await
        .unwrap()
        .len()
}

fn warning(db: &TestDb, guild: Snowflake, user: Snowflake, reason: &str) -> WarningRecord {
    WarningRecord {
        id: db.id(),
        guild_id: guild,
        user_id: user,
        moderator_id: None,
        reason: reason.into(),
        created_at: db.now,
    }
}

fn report(
    db: &TestDb,
    guild: Option<Snowflake>,
    reporter: Snowflake,
    target: Snowflake,
    message: Option<Snowflake>,
) -> ReportRecord {
    ReportRecord {
        id: db.id(),
        guild_id: guild,
        reporter_id: reporter,
        target_user_id: target,
        channel_id: None,
        message_id: message,
        message_content: message.map(|_| "evidence \"quoted\" ✨".into()),
        category: "spam".into(),
        reason: "line one\nline two".into(),
        status: ReportStatus::Open,
        assignee_id: None,
        escalated: false,
        created_at: db.now,
        updated_at: db.now,
    }
}

pub async fn a_ban_deletes_its_window_of_messages_with_its_entry_or_nothing_at_all(db: &TestDb) {
    let (g, owner, member) = guild_with_member(db).await;
    let general = g.system_channel_id.unwrap();
    let old = send(db, &text(&g, general, member, "old")).await.unwrap();
    let from = first_id_at(old.id.unix_ms() as i64 + 1);
    // The window starts after `old`; wait past its millisecond so the next ids are inside it.
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    let recent = send(db, &text(&g, general, member, "recent"))
        .await
        .unwrap();
    let theirs = send(db, &text(&g, general, owner, "the owner's"))
        .await
        .unwrap();

    // An entry whose id is taken fails the insert, and with it the whole ban.
    let first = entry(db, g.id, AuditAction::MemberKick);
    db.store.record_audit(&first).await.unwrap();
    let clash = hearth_store::NewAuditEntry {
        id: first.id,
        ..entry(db, g.id, AuditAction::MemberBanAdd)
    };
    let failed = db
        .store
        .ban_member(
            g.id,
            member,
            Some("spam"),
            owner,
            db.now,
            Some(from),
            &clash,
        )
        .await;
    assert!(failed.is_err());
    assert!(db.store.member(g.id, member).await.unwrap().is_some());
    assert!(db.store.ban(g.id, member).await.unwrap().is_none());
    assert!(
        db.store
            .message(general, recent.id, owner)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(count(db, g.id, AuditAction::MemberBanAdd).await, 0);

    let outcome = db
        .store
        .ban_member(
            g.id,
            member,
            Some("spam"),
            owner,
            db.now,
            Some(from),
            &entry(db, g.id, AuditAction::MemberBanAdd),
        )
        .await
        .unwrap();
    assert!(outcome.was_member);
    assert_eq!(outcome.deleted_messages, vec![(general, vec![recent.id])]);
    for (id, kept) in [(old.id, true), (recent.id, false), (theirs.id, true)] {
        let found = db.store.message(general, id, owner).await.unwrap();
        assert_eq!(found.is_some(), kept, "message {id}");
    }
    assert_eq!(count(db, g.id, AuditAction::MemberBanAdd).await, 1);

    // Lifting it: once with an entry, then nothing to lift and no entry.
    let unban = entry(db, g.id, AuditAction::MemberBanRemove);
    assert!(db.store.unban_member(g.id, member, &unban).await.unwrap());
    let again = entry(db, g.id, AuditAction::MemberBanRemove);
    assert!(!db.store.unban_member(g.id, member, &again).await.unwrap());
    assert_eq!(count(db, g.id, AuditAction::MemberBanRemove).await, 1);
}

pub async fn timeouts_kicks_and_role_changes_write_entries_only_when_they_happen(db: &TestDb) {
    let (g, _owner, member) = guild_with_member(db).await;
    let until = db.now + 60_000;
    let timed_out = db
        .store
        .set_member_timeout(
            g.id,
            member,
            Some(until),
            &entry(db, g.id, AuditAction::MemberUpdate),
        )
        .await
        .unwrap();
    assert_eq!(timed_out.communication_disabled_until, Some(until));
    assert!(timed_out.is_timed_out(db.now));
    // A stranger is not found and leaves no entry.
    let stranger = db.register("stranger", None).await.unwrap();
    let missing = db
        .store
        .update_member(
            g.id,
            stranger.id,
            &MemberUpdate {
                communication_disabled_until: Some(Some(until)),
                ..MemberUpdate::default()
            },
            &[entry(db, g.id, AuditAction::MemberUpdate)],
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)));
    assert_eq!(count(db, g.id, AuditAction::MemberUpdate).await, 1);
    let lifted = db
        .store
        .set_member_timeout(
            g.id,
            member,
            None,
            &entry(db, g.id, AuditAction::MemberUpdate),
        )
        .await
        .unwrap();
    assert_eq!(lifted.communication_disabled_until, None);

    let role = super::community::role(db, g.id, hearth_core::Permissions::empty()).await;
    let give = entry(db, g.id, AuditAction::MemberRoleUpdate);
    assert!(
        db.store
            .add_member_role(g.id, member, role.id, &give)
            .await
            .unwrap()
    );
    let again = entry(db, g.id, AuditAction::MemberRoleUpdate);
    assert!(
        !db.store
            .add_member_role(g.id, member, role.id, &again)
            .await
            .unwrap()
    );
    let take = entry(db, g.id, AuditAction::MemberRoleUpdate);
    assert!(
        db.store
            .remove_member_role(g.id, member, role.id, &take)
            .await
            .unwrap()
    );
    let again = entry(db, g.id, AuditAction::MemberRoleUpdate);
    assert!(
        !db.store
            .remove_member_role(g.id, member, role.id, &again)
            .await
            .unwrap()
    );
    assert_eq!(count(db, g.id, AuditAction::MemberRoleUpdate).await, 2);

    let kick = entry(db, g.id, AuditAction::MemberKick);
    assert!(db.store.kick_member(g.id, member, &kick).await.unwrap());
    let again = entry(db, g.id, AuditAction::MemberKick);
    assert!(!db.store.kick_member(g.id, member, &again).await.unwrap());
    assert_eq!(count(db, g.id, AuditAction::MemberKick).await, 1);
}

pub async fn warnings_outlive_membership_are_bounded_and_audited(db: &TestDb) {
    let (g, owner, member) = guild_with_member(db).await;
    let first = warning(db, g.id, member, "be kind");
    db.store
        .add_warning(&first, &entry(db, g.id, AuditAction::MemberWarn))
        .await
        .unwrap();
    let second = warning(db, g.id, member, "second");
    db.store
        .add_warning(&second, &entry(db, g.id, AuditAction::MemberWarn))
        .await
        .unwrap();
    // Not a member: refused, and no entry.
    let stranger = db.register("stranger", None).await.unwrap();
    let refused = db
        .store
        .add_warning(
            &warning(db, g.id, stranger.id, "x"),
            &entry(db, g.id, AuditAction::MemberWarn),
        )
        .await;
    assert!(matches!(refused, Err(StoreError::NotFound)));
    assert_eq!(count(db, g.id, AuditAction::MemberWarn).await, 2);

    let listed = db.store.warnings(g.id, member, None, 10).await.unwrap();
    assert_eq!(listed, vec![second.clone(), first.clone()]);
    let older = db
        .store
        .warnings(g.id, member, Some(second.id), 10)
        .await
        .unwrap();
    assert_eq!(older, vec![first.clone()]);
    assert_eq!(
        db.store.warning(g.id, member, first.id).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(db.store.warning(g.id, owner, first.id).await.unwrap(), None);

    // Leaving keeps them; deleting one is audited once.
    assert!(db.store.remove_member(g.id, member).await.unwrap());
    assert_eq!(db.store.warning_count(g.id, member).await.unwrap(), 2);
    let delete = entry(db, g.id, AuditAction::MemberWarningDelete);
    assert!(
        db.store
            .delete_warning(g.id, member, first.id, &delete)
            .await
            .unwrap()
    );
    let again = entry(db, g.id, AuditAction::MemberWarningDelete);
    assert!(
        !db.store
            .delete_warning(g.id, member, first.id, &again)
            .await
            .unwrap()
    );
    assert_eq!(count(db, g.id, AuditAction::MemberWarningDelete).await, 1);
    assert_eq!(db.store.warning_count(g.id, member).await.unwrap(), 1);
}

pub async fn reports_are_bounded_per_reporter_and_triaged_with_their_entry(db: &TestDb) {
    let (g, owner, member) = guild_with_member(db).await;
    let general = g.system_channel_id.unwrap();
    let message = send(db, &text(&g, general, owner, "rude")).await.unwrap();
    let filed = report(db, Some(g.id), member, owner, Some(message.id));
    db.store.create_report(&filed).await.unwrap();
    assert_eq!(
        db.store.report(filed.id).await.unwrap(),
        Some(filed.clone())
    );

    // The same message again is refused; the same user in another queue is not.
    let again = report(db, Some(g.id), member, owner, Some(message.id));
    assert!(matches!(
        db.store.create_report(&again).await,
        Err(ReportError::AlreadyReported)
    ));
    let to_admins = report(db, None, member, owner, None);
    db.store.create_report(&to_admins).await.unwrap();
    let about_user = report(db, Some(g.id), member, owner, None);
    db.store.create_report(&about_user).await.unwrap();

    // Queues.
    let guild_queue = db
        .store
        .reports(ReportScope::Guild(g.id), None, None, 10)
        .await
        .unwrap();
    assert_eq!(
        guild_queue.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![about_user.id, filed.id]
    );
    let admin_queue = db
        .store
        .reports(ReportScope::Instance, None, None, 10)
        .await
        .unwrap();
    assert_eq!(
        admin_queue.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![to_admins.id]
    );

    // Triage with a clashing entry changes nothing; with a fresh one, both commit.
    let first = entry(db, g.id, AuditAction::ReportUpdate);
    db.store.record_audit(&first).await.unwrap();
    let update = ReportUpdate {
        status: Some(ReportStatus::Resolved),
        assignee_id: Some(Some(owner)),
        escalated: Some(true),
    };
    let clash = hearth_store::NewAuditEntry {
        id: first.id,
        ..entry(db, g.id, AuditAction::ReportUpdate)
    };
    assert!(
        db.store
            .update_report(filed.id, &update, db.now + 5, ReportAudit::Guild(&clash))
            .await
            .is_err()
    );
    assert_eq!(
        db.store.report(filed.id).await.unwrap().unwrap().status,
        ReportStatus::Open
    );
    let done = db
        .store
        .update_report(
            filed.id,
            &update,
            db.now + 5,
            ReportAudit::Guild(&entry(db, g.id, AuditAction::ReportUpdate)),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            done.status,
            done.assignee_id,
            done.escalated,
            done.updated_at
        ),
        (ReportStatus::Resolved, Some(owner), true, db.now + 5)
    );
    assert_eq!(count(db, g.id, AuditAction::ReportUpdate).await, 2);
    let unknown = db
        .store
        .update_report(
            db.id(),
            &update,
            db.now,
            ReportAudit::Guild(&entry(db, g.id, AuditAction::ReportUpdate)),
        )
        .await;
    assert!(matches!(unknown, Err(StoreError::NotFound)));
    assert_eq!(count(db, g.id, AuditAction::ReportUpdate).await, 2);
    // Resolved, the message can be reported again.
    db.store
        .create_report(&report(db, Some(g.id), member, owner, Some(message.id)))
        .await
        .unwrap();

    // Notes, oldest first, bounded.
    for n in 0..hearth_store::MAX_NOTES_PER_REPORT {
        db.store
            .add_report_note(&ReportNoteRecord {
                id: db.id(),
                report_id: filed.id,
                author_id: Some(owner),
                content: format!("note {n}"),
                created_at: db.now,
            })
            .await
            .unwrap();
    }
    let over = db
        .store
        .add_report_note(&ReportNoteRecord {
            id: db.id(),
            report_id: filed.id,
            author_id: None,
            content: "one too many".into(),
            created_at: db.now,
        })
        .await;
    assert!(matches!(over, Err(StoreError::LimitReached(_))));
    let notes = db.store.report_notes(filed.id).await.unwrap();
    assert_eq!(notes.len() as i64, hearth_store::MAX_NOTES_PER_REPORT);
    assert_eq!(notes[0].content, "note 0");

    // Open reports per reporter are bounded, concurrently too.
    let reporter = db.register("reporter", None).await.unwrap();
    let mut filings = Vec::new();
    for _ in 0..hearth_store::MAX_OPEN_REPORTS_PER_REPORTER + 5 {
        let target = db.id();
        let r = report(db, None, reporter.id, target, None);
        let store = db.store.clone();
        filings.push(tokio::spawn(async move { store.create_report(&r).await }));
    }
    let mut accepted = 0;
    for f in filings {
        match f.await.unwrap() {
            Ok(()) => accepted += 1,
            Err(ReportError::TooManyOpen) => {}
            Err(other) => panic!("unexpected {other}"),
        }
    }
    assert_eq!(accepted, hearth_store::MAX_OPEN_REPORTS_PER_REPORTER);

    // Deleting the guild keeps only what was escalated, now without a guild.
    assert!(db.store.delete_guild(g.id).await.unwrap());
    assert_eq!(
        db.store.report(filed.id).await.unwrap().unwrap().guild_id,
        None
    );
    assert_eq!(db.store.report(about_user.id).await.unwrap(), None);
}

/// Rows for the snapshot round trip: a warning, a report and a note.
pub async fn populate(db: &TestDb, owner: Snowflake, member: Snowflake) {
    let g = db
        .store
        .guilds_of_user(owner)
        .await
        .unwrap()
        .remove(0)
        .guild;
    db.store
        .add_warning(
            &warning(db, g.id, member, "be \"kind\" ✨"),
            &entry(db, g.id, AuditAction::MemberWarn),
        )
        .await
        .unwrap();
    let filed = ReportRecord {
        escalated: true,
        ..report(db, Some(g.id), member, owner, Some(db.id()))
    };
    db.store.create_report(&filed).await.unwrap();
    db.store
        .add_report_note(&ReportNoteRecord {
            id: db.id(),
            report_id: filed.id,
            author_id: Some(owner),
            content: "looked; DROP TABLE reports; --".into(),
            created_at: db.now,
        })
        .await
        .unwrap();
}
