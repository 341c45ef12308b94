//! The store's behaviour, proven identical on SQLite and PostgreSQL: every test body runs once per backend.
//!
//! PostgreSQL tests expect a server at 127.0.0.1:5432 that trusts the `postgres` user; each test gets its
//! own freshly created database, dropped again when the test passes.

mod audit;
mod automod;
mod community;
mod instance;
mod media;
mod messages;
mod moderation;
mod votes;

use std::sync::Arc;

use votes::{
    a_pass_never_shortens_a_timeout_and_skips_a_target_who_left,
    a_vote_keeps_its_rule_and_counts_only_members_from_its_start,
    an_expired_vote_closes_by_its_count_at_its_deadline_and_only_then,
    concurrent_ballots_close_a_vote_exactly_once,
    starting_a_vote_is_refused_when_off_absent_open_unreachable_or_too_frequent,
};

use moderation::{
    a_ban_deletes_its_window_of_messages_with_its_entry_or_nothing_at_all,
    reports_are_bounded_per_reporter_and_triaged_with_their_entry,
    timeouts_kicks_and_role_changes_write_entries_only_when_they_happen,
    warnings_outlive_membership_are_bounded_and_audited,
};

use audit::{
    a_refused_or_empty_change_leaves_no_audit_entry,
    an_administrative_change_and_its_audit_entry_commit_together,
    message_moderation_is_audited_only_when_it_changed_something,
};
use automod::{
    an_automod_alert_is_a_system_message_posted_with_its_audit_entry,
    automod_rule_counts_are_limited_per_trigger_type_even_at_once,
    automod_rules_round_trip_and_each_change_commits_with_its_audit_entry,
};
use community::{
    a_guild_starts_with_its_defaults_and_counts_against_the_creators_limit,
    deleting_roles_channels_and_members_takes_their_grants_with_them,
    joining_consumes_one_use_once_and_bans_keep_users_out,
};
use instance::{
    account_changes_are_guarded_and_logged_with_their_audit_entry,
    accounts_are_searched_by_name_and_paged_in_id_order, cli_entry,
    deleting_an_account_anonymises_it_and_keeps_its_messages,
    instance_settings_and_announcements_are_logged_only_when_they_change,
};
use media::{
    a_send_attaches_its_uploads_in_order_and_only_the_authors_own,
    deleting_a_guild_queues_the_blobs_of_its_messages,
    every_way_an_attachment_goes_queues_its_blobs,
    processing_results_are_recorded_once_and_name_the_message,
    replacing_an_avatar_queues_the_old_image_only,
    the_quota_counts_every_stored_byte_of_the_uploader,
};
use messages::{
    a_repeated_nonce_answers_the_first_message_even_when_sent_at_once,
    a_send_keeps_member_mentions_and_guild_roles_and_moves_the_channels_marker,
    concurrent_sends_from_several_authors_all_land_in_one_order,
    deletes_take_reactions_nonces_and_whole_channels_with_them,
    history_pages_come_newest_first_in_every_mode,
    mention_counts_follow_read_markers_edits_and_deletes,
    pins_are_limited_per_channel_and_listed_most_recent_first,
    reactions_are_counted_per_emoji_and_limited_to_twenty_distinct,
    slow_mode_counts_from_the_authors_last_message_unless_exempt,
};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hearth_core::instance::InstanceAuditAction;
use hearth_core::{
    Applicant, InviteCode, InviteLimits, NodeId, RegistrationMode, Snowflake, SnowflakeGenerator,
    Username,
};
use hearth_store::snapshot::TableSchema;
use hearth_store::{
    CreateUserError, InviteRecord, NewInvite, NewSession, NewUser, ProfileUpdate, SessionRecord,
    Store, StoreError, StoreOptions, UserRecord,
};
use serde_json::Value;
use sqlx::Connection;
use tempfile::TempDir;

const PG_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const HOUR_MS: i64 = 3_600_000;

// ---------------------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn other(self) -> Self {
        match self {
            Self::Sqlite => Self::Postgres,
            Self::Postgres => Self::Sqlite,
        }
    }
}

/// Generates, for each named `async fn(&TestDb)`, a module with a `sqlite` and a `postgres` test. Each
/// gets a fresh, migrated database, dropped after the body returns.
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use super::{Backend, TestDb};

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let db = TestDb::migrated(Backend::Sqlite).await;
                    super::$name(&db).await;
                    db.finish().await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let db = TestDb::migrated(Backend::Postgres).await;
                    super::$name(&db).await;
                    db.finish().await;
                }
            }
        )*
    };
}

both_backends!(
    a_send_attaches_its_uploads_in_order_and_only_the_authors_own,
    deleting_a_guild_queues_the_blobs_of_its_messages,
    every_way_an_attachment_goes_queues_its_blobs,
    processing_results_are_recorded_once_and_name_the_message,
    replacing_an_avatar_queues_the_old_image_only,
    the_quota_counts_every_stored_byte_of_the_uploader,
);

both_backends!(
    migrations_apply_once_and_report_themselves_applied,
    the_first_account_becomes_owner_and_admin_whatever_the_mode,
    later_accounts_follow_the_registration_mode,
    only_administrators_can_grant_admin_rights_and_the_owner_stays_admin,
    expired_and_used_up_invites_are_refused,
    invites_are_listed_newest_first_and_deleted_by_code,
    usernames_are_unique_without_regard_to_case,
    a_failed_registration_changes_nothing,
    concurrent_registrations_with_a_single_use_invite_admit_exactly_one,
    concurrent_first_registrations_produce_exactly_one_owner,
    authenticate_finds_a_session_by_token_hash_and_rejects_unknown_hashes,
    idle_sessions_stop_authenticating_and_are_swept,
    disabled_users_cannot_authenticate,
    delete_session_only_deletes_the_callers_own_session,
    delete_other_sessions_keeps_the_current_one,
    set_password_revokes_other_sessions_but_keeps_the_given_one,
    update_profile_changes_only_the_fields_given_and_can_clear_the_display_name,
    a_snapshot_restores_identical_rows_on_the_same_backend,
    a_snapshot_restores_identical_rows_on_the_other_backend,
    import_refuses_a_non_empty_database,
    a_rejected_import_leaves_the_database_empty,
    a_guild_starts_with_its_defaults_and_counts_against_the_creators_limit,
    deleting_roles_channels_and_members_takes_their_grants_with_them,
    joining_consumes_one_use_once_and_bans_keep_users_out,
    a_send_keeps_member_mentions_and_guild_roles_and_moves_the_channels_marker,
    a_repeated_nonce_answers_the_first_message_even_when_sent_at_once,
    concurrent_sends_from_several_authors_all_land_in_one_order,
    slow_mode_counts_from_the_authors_last_message_unless_exempt,
    history_pages_come_newest_first_in_every_mode,
    reactions_are_counted_per_emoji_and_limited_to_twenty_distinct,
    pins_are_limited_per_channel_and_listed_most_recent_first,
    mention_counts_follow_read_markers_edits_and_deletes,
    deletes_take_reactions_nonces_and_whole_channels_with_them,
    a_snapshot_from_before_messages_restores_and_migrates,
    automod_rules_round_trip_and_each_change_commits_with_its_audit_entry,
    automod_rule_counts_are_limited_per_trigger_type_even_at_once,
    an_automod_alert_is_a_system_message_posted_with_its_audit_entry,
    an_administrative_change_and_its_audit_entry_commit_together,
    a_refused_or_empty_change_leaves_no_audit_entry,
    message_moderation_is_audited_only_when_it_changed_something,
    account_changes_are_guarded_and_logged_with_their_audit_entry,
    accounts_are_searched_by_name_and_paged_in_id_order,
    deleting_an_account_anonymises_it_and_keeps_its_messages,
    instance_settings_and_announcements_are_logged_only_when_they_change,
    a_ban_deletes_its_window_of_messages_with_its_entry_or_nothing_at_all,
    timeouts_kicks_and_role_changes_write_entries_only_when_they_happen,
    warnings_outlive_membership_are_bounded_and_audited,
    reports_are_bounded_per_reporter_and_triaged_with_their_entry,
    an_expired_vote_closes_by_its_count_at_its_deadline_and_only_then,
    a_pass_never_shortens_a_timeout_and_skips_a_target_who_left,
    a_vote_keeps_its_rule_and_counts_only_members_from_its_start,
    starting_a_vote_is_refused_when_off_absent_open_unreachable_or_too_frequent,
    concurrent_ballots_close_a_vote_exactly_once,
);

fn wall_clock_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::fill(&mut buf[..]);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// One test's database and the clock and id generator it uses.
struct TestDb {
    backend: Backend,
    store: Store,
    /// The test's "now" in unix milliseconds; tests move time by adding offsets to it.
    now: i64,
    ids: SnowflakeGenerator,
    pg_database: Option<String>,
    _dir: Option<TempDir>,
}

impl TestDb {
    /// A fresh database with the schema applied.
    async fn migrated(backend: Backend) -> Self {
        let db = Self::empty(backend).await;
        db.store.migrate().await.expect("migrations apply");
        db
    }

    /// A fresh database the store has connected to but not migrated.
    async fn empty(backend: Backend) -> Self {
        let (url, pg_database, dir) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("hearth.db").display());
                (url, None, Some(dir))
            }
            Backend::Postgres => {
                let name = format!("hearth_store_test_{}", random_hex(8));
                let mut admin = sqlx::PgConnection::connect(PG_ADMIN_URL)
                    .await
                    .expect("PostgreSQL at 127.0.0.1:5432 trusting user postgres");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut admin)
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
                (url, Some(name), None)
            }
        };
        let store = Store::connect(&StoreOptions {
            url,
            max_connections: 5,
            acquire_timeout: Duration::from_secs(10),
        })
        .await
        .expect("store connects");
        Self {
            backend,
            store,
            now: wall_clock_ms(),
            ids: SnowflakeGenerator::new(NodeId::new(1).unwrap()),
            pg_database,
            _dir: dir,
        }
    }

    /// Closes the store and drops the PostgreSQL database (best effort; a failed test leaves it behind).
    async fn finish(self) {
        self.store.close().await;
        if let Some(name) = &self.pg_database
            && let Ok(mut admin) = sqlx::PgConnection::connect(PG_ADMIN_URL).await
        {
            let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            let _ = sqlx::query(sqlx::AssertSqlSafe(drop))
                .execute(&mut admin)
                .await;
            admin.close().await.ok();
        }
    }

    fn id(&self) -> Snowflake {
        self.ids.next(wall_clock_ms() as u64)
    }

    fn new_user(&self, name: &str) -> NewUser {
        NewUser {
            id: self.id(),
            username: Username::parse(name).unwrap(),
            password_hash: Some(format!("$argon2id$v=19$m=19456,t=2,p=1${name}")),
            is_admin: false,
            now_ms: self.now,
        }
    }

    /// Self-service registration (the applicant's `has_invite` is derived from `invite` by the store).
    async fn register(
        &self,
        name: &str,
        invite: Option<&InviteCode>,
    ) -> Result<UserRecord, CreateUserError> {
        self.store
            .create_user(
                self.new_user(name),
                Applicant::Public { has_invite: false },
                invite,
            )
            .await
    }

    /// An account created by an administrator, which no registration mode blocks.
    async fn create_by_admin(&self, name: &str, is_admin: bool) -> UserRecord {
        let new = NewUser {
            is_admin,
            ..self.new_user(name)
        };
        self.store
            .create_user(new, Applicant::Administrator, None)
            .await
            .expect("administrators can always create accounts")
    }

    /// The first account, which becomes the instance owner.
    async fn owner(&self) -> UserRecord {
        let owner = self
            .register("owner", None)
            .await
            .expect("the first account is admitted");
        assert!(owner.is_owner);
        owner
    }

    /// A session for `user` created at `at`, with the hash of its (random) token.
    async fn session(&self, user: Snowflake, at: i64) -> (SessionRecord, String) {
        let token_hash = random_hex(32);
        let session = self
            .store
            .create_session(&NewSession {
                id: self.id(),
                user_id: user,
                token_hash: token_hash.clone(),
                ip: Some("192.0.2.7".into()),
                client: Some("hearth-tests/1.0".into()),
                now_ms: at,
            })
            .await
            .expect("session is created");
        (session, token_hash)
    }

    async fn invite(
        &self,
        code: &str,
        created_by: Option<Snowflake>,
        max_uses: Option<u32>,
        max_age_secs: Option<u64>,
        at: i64,
    ) -> InviteCode {
        let code = InviteCode::parse(code).unwrap();
        self.store
            .create_invite(
                &NewInvite {
                    code: code.clone(),
                    created_by,
                    limits: InviteLimits {
                        max_uses,
                        max_age_secs,
                    },
                    now_ms: at,
                },
                &cli_entry(self.id(), InstanceAuditAction::InviteCreate),
            )
            .await
            .expect("invite is created");
        code
    }

    async fn invite_record(&self, code: &InviteCode) -> InviteRecord {
        self.store
            .list_invites()
            .await
            .unwrap()
            .into_iter()
            .find(|i| i.code == code.as_str())
            .expect("the invite exists")
    }

    async fn session_ids(&self, user: Snowflake) -> Vec<Snowflake> {
        self.store
            .list_sessions(user)
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect()
    }

    async fn authenticates(&self, token_hash: &str) -> bool {
        self.store
            .authenticate(token_hash, self.now - HOUR_MS)
            .await
            .unwrap()
            .is_some()
    }

    /// Opens the pool's connections ahead of a race. On a cold pool the first racer takes the one open
    /// connection and finishes while the others are still connecting, so nothing actually overlaps.
    async fn warm_up(&self) {
        for _ in 0..20 {
            if self.store.pool_stats().size >= 5 {
                return;
            }
            let pings: Vec<_> = (0..8)
                .map(|_| {
                    let store = self.store.clone();
                    tokio::spawn(async move { store.ping().await })
                })
                .collect();
            for ping in pings {
                ping.await.unwrap().unwrap();
            }
        }
    }

    async fn snapshot(&self) -> Snapshot {
        let mut rows = Vec::new();
        let version = self
            .store
            .export_snapshot(&mut |table: &'static TableSchema, row: Vec<Value>| {
                rows.push((table.name, row));
                Ok(())
            })
            .await
            .expect("snapshot exports");
        Snapshot { version, rows }
    }

    async fn import(&self, snapshot: &Snapshot) -> Result<u64, StoreError> {
        let rows = snapshot.rows.clone();
        self.store
            .import_snapshot(snapshot.version, &mut |table: &'static TableSchema| {
                let table_rows: Vec<_> = rows
                    .iter()
                    .filter(|(name, _)| *name == table.name)
                    .map(|(_, row)| Ok(row.clone()))
                    .collect();
                Ok(Box::new(table_rows.into_iter()))
            })
            .await
    }
}

/// Every row of every table, in export order.
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    version: i64,
    rows: Vec<(&'static str, Vec<Value>)>,
}

impl Snapshot {
    fn count(&self, table: &str) -> usize {
        self.rows.iter().filter(|(name, _)| *name == table).count()
    }
}

// ---------------------------------------------------------------------------------------------------------
// Migrations
// ---------------------------------------------------------------------------------------------------------

async fn migrations_apply_once_and_report_themselves_applied(db: &TestDb) {
    // The fixture is already migrated; this test needs a database from before that.
    let fresh = TestDb::empty(db.backend).await;
    let store = &fresh.store;

    assert_eq!(store.schema_version().await.unwrap(), 0);
    let before = store.migration_status().await.unwrap();
    assert!(!before.is_empty(), "the binary knows some migrations");
    assert!(before.iter().all(|m| m.applied_at.is_none()), "{before:?}");
    let latest = before.iter().map(|m| m.version).max().unwrap();

    store.migrate().await.unwrap();
    let applied = store.migration_status().await.unwrap();
    assert_eq!(store.schema_version().await.unwrap(), latest);
    assert_eq!(applied.len(), before.len());
    for (after, known) in applied.iter().zip(&before) {
        assert_eq!(
            (after.version, &after.description),
            (known.version, &known.description)
        );
        assert!(after.applied_at.is_some(), "{after:?} not applied");
    }
    assert!(store.is_empty().await.unwrap());
    assert_eq!(store.count_users().await.unwrap(), 0);

    // Migrating again is a no-op: same versions, same application times, data untouched.
    fresh.owner().await;
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    assert_eq!(store.migration_status().await.unwrap(), applied);
    assert_eq!(store.schema_version().await.unwrap(), latest);
    assert_eq!(store.count_users().await.unwrap(), 1);

    // The fixture (migrated by the harness) reports the same.
    assert_eq!(db.store.schema_version().await.unwrap(), latest);
    fresh.finish().await;
}

// ---------------------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------------------

async fn the_first_account_becomes_owner_and_admin_whatever_the_mode(db: &TestDb) {
    for mode in [
        RegistrationMode::Open,
        RegistrationMode::Invite,
        RegistrationMode::Closed,
    ] {
        let fresh = TestDb::migrated(db.backend).await;
        fresh.store.set_registration_mode(mode).await.unwrap();

        // No invite, even in invite or closed mode, and no admin rights asked for.
        let first = fresh.register("Founder", None).await.unwrap_or_else(|e| {
            panic!("first registration in {mode:?} mode refused: {e}");
        });
        assert!(first.is_owner && first.is_admin, "{mode:?}: {first:?}");
        assert!(!first.disabled && !first.is_bot);
        assert_eq!(first.username.as_str(), "Founder");
        assert_eq!(fresh.store.user_by_id(first.id).await.unwrap(), Some(first));
        // Becoming owner does not change the mode.
        assert_eq!(fresh.store.registration_mode().await.unwrap(), mode);

        // Nobody else becomes owner: the second account (created by an admin so every mode allows it).
        let second = fresh.create_by_admin("second", false).await;
        assert!(!second.is_owner && !second.is_admin, "{mode:?}: {second:?}");
        fresh.finish().await;
    }
}

async fn later_accounts_follow_the_registration_mode(db: &TestDb) {
    // Invite-only until someone says otherwise.
    assert_eq!(
        db.store.registration_mode().await.unwrap(),
        RegistrationMode::Invite
    );
    let owner = db.owner().await;
    let invite = db
        .invite("ABCDEFGHJK", Some(owner.id), None, None, db.now)
        .await;
    let unknown = InviteCode::parse("ZZZZZZZZZZ").unwrap();

    // Invite mode (the default).
    assert!(matches!(
        db.register("noinvite", None).await,
        Err(CreateUserError::InviteRequired)
    ));
    assert!(matches!(
        db.register("badinvite", Some(&unknown)).await,
        Err(CreateUserError::InviteInvalid)
    ));
    let invited = db.register("invited", Some(&invite)).await.unwrap();
    assert!(!invited.is_owner && !invited.is_admin);
    assert_eq!(db.invite_record(&invite).await.uses, 1);

    // Closed: public registration is refused even with a valid invite, which is left unused.
    db.store
        .set_registration_mode(RegistrationMode::Closed)
        .await
        .unwrap();
    assert_eq!(
        db.store.registration_mode().await.unwrap(),
        RegistrationMode::Closed
    );
    assert!(matches!(
        db.register("closed1", None).await,
        Err(CreateUserError::RegistrationClosed)
    ));
    assert!(matches!(
        db.register("closed2", Some(&invite)).await,
        Err(CreateUserError::RegistrationClosed)
    ));
    assert_eq!(db.invite_record(&invite).await.uses, 1);
    // Administrators are not bound by the mode.
    db.create_by_admin("byadmin", false).await;

    // Open: no invite needed, and one presented anyway is not consumed.
    db.store
        .set_registration_mode(RegistrationMode::Open)
        .await
        .unwrap();
    db.register("open1", None).await.unwrap();
    db.register("open2", Some(&invite)).await.unwrap();
    db.register("open3", Some(&unknown)).await.unwrap();
    assert_eq!(db.invite_record(&invite).await.uses, 1);

    // And back to invite-only.
    db.store
        .set_registration_mode(RegistrationMode::Invite)
        .await
        .unwrap();
    assert!(matches!(
        db.register("again", None).await,
        Err(CreateUserError::InviteRequired)
    ));

    let mut names: Vec<String> = Vec::new();
    for name in [
        "owner",
        "invited",
        "byadmin",
        "open1",
        "open2",
        "open3",
        "noinvite",
        "badinvite",
        "closed1",
        "closed2",
        "again",
    ] {
        if db
            .store
            .user_by_username(&Username::parse(name).unwrap())
            .await
            .unwrap()
            .is_some()
        {
            names.push(name.into());
        }
    }
    assert_eq!(
        names,
        ["owner", "invited", "byadmin", "open1", "open2", "open3"]
    );
    assert_eq!(db.store.count_users().await.unwrap(), 6);
}

async fn only_administrators_can_grant_admin_rights_and_the_owner_stays_admin(db: &TestDb) {
    let owner = db.owner().await;
    db.store
        .set_registration_mode(RegistrationMode::Open)
        .await
        .unwrap();

    // A self-registering applicant asking for admin rights does not get them.
    let sneaky = db
        .store
        .create_user(
            NewUser {
                is_admin: true,
                ..db.new_user("sneaky")
            },
            Applicant::Public { has_invite: false },
            None,
        )
        .await
        .unwrap();
    assert!(!sneaky.is_admin);

    let admin = db.create_by_admin("admin", true).await;
    let plain = db.create_by_admin("plain", false).await;
    assert!(admin.is_admin && !admin.is_owner);
    assert!(!plain.is_admin);

    let later = db.now + 1_000;
    db.store.set_admin(plain.id, true, later).await.unwrap();
    let plain = db.store.user_by_id(plain.id).await.unwrap().unwrap();
    assert!(plain.is_admin);
    assert_eq!(plain.updated_at, later);
    db.store.set_admin(plain.id, false, later).await.unwrap();
    assert!(
        !db.store
            .user_by_id(plain.id)
            .await
            .unwrap()
            .unwrap()
            .is_admin
    );

    // The owner cannot be demoted.
    db.store.set_admin(owner.id, false, later).await.unwrap();
    let owner = db.store.user_by_id(owner.id).await.unwrap().unwrap();
    assert!(owner.is_owner && owner.is_admin);

    assert!(matches!(
        db.store.set_admin(db.id(), true, later).await,
        Err(StoreError::NotFound)
    ));
}

async fn expired_and_used_up_invites_are_refused(db: &TestDb) {
    let owner = db.owner().await;

    // Made two hours ago, valid for one: expired an hour ago.
    let expired = db
        .invite(
            "EXPRDxxxxx",
            Some(owner.id),
            None,
            Some(3600),
            db.now - 2 * HOUR_MS,
        )
        .await;
    assert_eq!(
        db.invite_record(&expired).await.expires_at,
        Some(db.now - HOUR_MS)
    );
    assert!(matches!(
        db.register("late", Some(&expired)).await,
        Err(CreateUserError::InviteInvalid)
    ));
    assert_eq!(db.invite_record(&expired).await.uses, 0);

    // Expiry is exclusive: usable up to the millisecond before `expires_at`, not at it.
    let timed = db
        .invite("TMEDxxxxxx", Some(owner.id), None, Some(60), db.now)
        .await;
    let expires_at = db.now + 60_000;
    let at_expiry = NewUser {
        now_ms: expires_at,
        ..db.new_user("atexpiry")
    };
    assert!(matches!(
        db.store
            .create_user(
                at_expiry,
                Applicant::Public { has_invite: true },
                Some(&timed)
            )
            .await,
        Err(CreateUserError::InviteInvalid)
    ));
    let just_before = NewUser {
        now_ms: expires_at - 1,
        ..db.new_user("justintime")
    };
    db.store
        .create_user(
            just_before,
            Applicant::Public { has_invite: true },
            Some(&timed),
        )
        .await
        .expect("the invite is still valid a millisecond before it expires");
    assert_eq!(db.invite_record(&timed).await.uses, 1);

    // Two uses: two registrations, then no more.
    let twice = db
        .invite("TWCExxxxxx", Some(owner.id), Some(2), None, db.now)
        .await;
    db.register("first", Some(&twice)).await.unwrap();
    db.register("second", Some(&twice)).await.unwrap();
    assert!(matches!(
        db.register("third", Some(&twice)).await,
        Err(CreateUserError::InviteInvalid)
    ));
    let record = db.invite_record(&twice).await;
    assert_eq!((record.uses, record.max_uses), (2, Some(2)));

    // A deleted invite is unknown.
    let deleted = db.invite("DLTDxxxxxx", None, None, None, db.now).await;
    let entry = cli_entry(db.id(), InstanceAuditAction::InviteDelete);
    assert!(
        db.store
            .delete_invite(deleted.as_str(), &entry)
            .await
            .unwrap()
    );
    assert!(matches!(
        db.register("toolate", Some(&deleted)).await,
        Err(CreateUserError::InviteInvalid)
    ));

    // owner, justintime, first, second.
    assert_eq!(db.store.count_users().await.unwrap(), 4);
}

async fn invites_are_listed_newest_first_and_deleted_by_code(db: &TestDb) {
    let owner = db.owner().await;
    assert!(db.store.list_invites().await.unwrap().is_empty());

    db.invite(
        "PASTxxxxxx",
        Some(owner.id),
        Some(5),
        Some(60),
        db.now - 2_000,
    )
    .await;
    db.invite("NEWxxxxxxx", None, None, None, db.now).await;
    db.invite("MDDLxxxxxx", Some(owner.id), None, None, db.now - 1_000)
        .await;

    let listed = db.store.list_invites().await.unwrap();
    let codes: Vec<_> = listed.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, ["NEWxxxxxxx", "MDDLxxxxxx", "PASTxxxxxx"]);
    assert_eq!(
        listed[2],
        InviteRecord {
            code: "PASTxxxxxx".into(),
            created_by: Some(owner.id),
            created_at: db.now - 2_000,
            expires_at: Some(db.now - 2_000 + 60_000),
            max_uses: Some(5),
            uses: 0,
        }
    );
    assert_eq!(
        listed[0],
        InviteRecord {
            code: "NEWxxxxxxx".into(),
            created_by: None,
            created_at: db.now,
            expires_at: None,
            max_uses: None,
            uses: 0,
        }
    );

    // Codes are unique.
    let duplicate = db
        .store
        .create_invite(
            &NewInvite {
                code: InviteCode::parse("MDDLxxxxxx").unwrap(),
                created_by: None,
                limits: InviteLimits::default(),
                now_ms: db.now,
            },
            &cli_entry(db.id(), InstanceAuditAction::InviteCreate),
        )
        .await;
    assert!(
        matches!(duplicate, Err(StoreError::Conflict(_))),
        "{duplicate:?}"
    );

    let entry = cli_entry(db.id(), InstanceAuditAction::InviteDelete);
    assert!(db.store.delete_invite("MDDLxxxxxx", &entry).await.unwrap());
    assert!(!db.store.delete_invite("MDDLxxxxxx", &entry).await.unwrap());
    assert!(!db.store.delete_invite("NPExxxxxxx", &entry).await.unwrap());
    let codes: Vec<_> = db
        .store
        .list_invites()
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.code)
        .collect();
    assert_eq!(codes, ["NEWxxxxxxx", "PASTxxxxxx"]);
}

async fn usernames_are_unique_without_regard_to_case(db: &TestDb) {
    let alice = db.register("Alice", None).await.unwrap();
    db.store
        .set_registration_mode(RegistrationMode::Open)
        .await
        .unwrap();

    assert!(matches!(
        db.register("alice", None).await,
        Err(CreateUserError::UsernameTaken)
    ));
    assert!(matches!(
        db.store
            .create_user(db.new_user("ALICE"), Applicant::Administrator, None)
            .await,
        Err(CreateUserError::UsernameTaken)
    ));
    // Beyond ASCII too.
    db.register("Åsa", None).await.unwrap();
    assert!(matches!(
        db.register("åSA", None).await,
        Err(CreateUserError::UsernameTaken)
    ));

    // Lookup ignores case and returns the name as it was registered.
    for spelling in ["alice", "ALICE", "aLiCe"] {
        let found = db
            .store
            .user_by_username(&Username::parse(spelling).unwrap())
            .await
            .unwrap();
        assert_eq!(found.as_ref(), Some(&alice), "{spelling}");
    }
    assert_eq!(alice.username.as_str(), "Alice");
    assert_eq!(
        db.store
            .user_by_username(&Username::parse("bob").unwrap())
            .await
            .unwrap(),
        None
    );
    assert_eq!(db.store.count_users().await.unwrap(), 2);
}

async fn a_failed_registration_changes_nothing(db: &TestDb) {
    let owner = db.register("Alice", None).await.unwrap();
    let invite = db
        .invite("ABCDEFGHJK", Some(owner.id), Some(5), None, db.now)
        .await;
    let before = db.snapshot().await;

    // The invite is valid, so its use is taken before the username clashes; the clash must undo it.
    let clash = db.new_user("alice");
    let clash_id = clash.id;
    let result = db
        .store
        .create_user(clash, Applicant::Public { has_invite: true }, Some(&invite))
        .await;
    assert!(
        matches!(result, Err(CreateUserError::UsernameTaken)),
        "{result:?}"
    );
    assert_eq!(db.store.user_by_id(clash_id).await.unwrap(), None);
    assert_eq!(db.invite_record(&invite).await.uses, 0);
    assert_eq!(db.store.count_users().await.unwrap(), 1);

    // Refusals by rule leave no trace either.
    for (name, code) in [("noinvite", None), ("badcode", Some("ZZZZZZZZZZ"))] {
        let code = code.map(|c| InviteCode::parse(c).unwrap());
        assert!(db.register(name, code.as_ref()).await.is_err());
    }
    db.store
        .set_registration_mode(RegistrationMode::Closed)
        .await
        .unwrap();
    assert!(db.register("closed", Some(&invite)).await.is_err());
    db.store
        .set_registration_mode(RegistrationMode::Invite)
        .await
        .unwrap();

    // Setting the mode back and forth wrote a settings row, so compare everything else exactly.
    let mut after = db.snapshot().await;
    after
        .rows
        .retain(|(table, row)| !(*table == "instance_settings" && row[0] == "registration_mode"));
    assert_eq!(after, before);

    // The invite still works for a fresh name.
    db.register("bob", Some(&invite)).await.unwrap();
    assert_eq!(db.invite_record(&invite).await.uses, 1);
}

async fn concurrent_registrations_with_a_single_use_invite_admit_exactly_one(db: &TestDb) {
    const TASKS: usize = 8;
    let owner = db.owner().await;
    let invite = db
        .invite("SNGLxxxxxx", Some(owner.id), Some(1), None, db.now)
        .await;

    db.warm_up().await;
    let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
    let tasks: Vec<_> = (0..TASKS)
        .map(|i| {
            let store = db.store.clone();
            let new = db.new_user(&format!("racer{i}"));
            let invite = invite.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                store
                    .create_user(new, Applicant::Public { has_invite: true }, Some(&invite))
                    .await
            })
        })
        .collect();
    let mut admitted = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(user) => admitted.push(user),
            Err(CreateUserError::InviteInvalid) => {}
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }

    assert_eq!(admitted.len(), 1, "{admitted:?}");
    assert!(!admitted[0].is_owner && !admitted[0].is_admin);
    assert_eq!(db.invite_record(&invite).await.uses, 1);
    assert_eq!(db.store.count_users().await.unwrap(), 2);
}

async fn concurrent_first_registrations_produce_exactly_one_owner(db: &TestDb) {
    const TASKS: usize = 8;
    // Open, so that every applicant is admitted and only ownership is contended.
    db.store
        .set_registration_mode(RegistrationMode::Open)
        .await
        .unwrap();

    db.warm_up().await;
    let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
    let tasks: Vec<_> = (0..TASKS)
        .map(|i| {
            let store = db.store.clone();
            let new = db.new_user(&format!("early{i}"));
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                store
                    .create_user(new, Applicant::Public { has_invite: false }, None)
                    .await
            })
        })
        .collect();
    let mut users = Vec::new();
    for task in tasks {
        users.push(
            task.await
                .unwrap()
                .expect("open registration admits everyone"),
        );
    }

    let owners: Vec<_> = users.iter().filter(|u| u.is_owner).collect();
    assert_eq!(owners.len(), 1, "{users:?}");
    let owner = owners[0];
    assert!(owner.is_admin);
    assert!(
        users
            .iter()
            .filter(|u| u.id != owner.id)
            .all(|u| !u.is_admin),
        "{users:?}"
    );
    assert_eq!(db.store.count_users().await.unwrap(), TASKS as i64);

    // The recorded owner is the account that was made owner.
    let snapshot = db.snapshot().await;
    let recorded: Vec<_> = snapshot
        .rows
        .iter()
        .filter(|(table, row)| *table == "instance_settings" && row[0] == "owner_id")
        .map(|(_, row)| row[1].clone())
        .collect();
    assert_eq!(recorded, [Value::from(owner.id.to_string())]);
}

// ---------------------------------------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------------------------------------

async fn authenticate_finds_a_session_by_token_hash_and_rejects_unknown_hashes(db: &TestDb) {
    let owner = db.owner().await;
    let (session, token_hash) = db.session(owner.id, db.now).await;
    assert_eq!(session.created_at, db.now);
    assert_eq!(session.last_used_at, db.now);

    let (found, user) = db
        .store
        .authenticate(&token_hash, db.now - HOUR_MS)
        .await
        .unwrap()
        .expect("the session authenticates");
    assert_eq!(found, session);
    assert_eq!(user, owner);

    // Another user's session finds that user.
    db.store
        .set_registration_mode(RegistrationMode::Open)
        .await
        .unwrap();
    let bob = db.register("bob", None).await.unwrap();
    let (bob_session, bob_hash) = db.session(bob.id, db.now).await;
    let (found, user) = db
        .store
        .authenticate(&bob_hash, db.now - HOUR_MS)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found, user), (bob_session, bob));

    // Unknown hashes, including near misses, find nothing.
    for unknown in [
        random_hex(32),
        token_hash.to_uppercase(),
        token_hash[..63].to_owned(),
        String::new(),
    ] {
        assert!(
            db.store
                .authenticate(&unknown, db.now - HOUR_MS)
                .await
                .unwrap()
                .is_none(),
            "{unknown:?} authenticated"
        );
    }
    // Failed lookups neither create nor remove sessions.
    assert_eq!(db.store.count_sessions().await.unwrap(), 2);
}

async fn idle_sessions_stop_authenticating_and_are_swept(db: &TestDb) {
    let owner = db.owner().await;
    let t = db.now;
    let (stale, stale_hash) = db.session(owner.id, t - 2 * HOUR_MS).await;
    let (fresh, fresh_hash) = db.session(owner.id, t - 2 * HOUR_MS).await;
    let (edge, edge_hash) = db.session(owner.id, t - HOUR_MS).await;

    // Idle means "not used after the cutoff": a session last used exactly at the cutoff is idle.
    let cutoff = t - 2 * HOUR_MS;
    assert!(
        db.store
            .authenticate(&stale_hash, cutoff)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.store
            .authenticate(&stale_hash, cutoff - 1)
            .await
            .unwrap()
            .is_some()
    );

    // Using a session moves it past the cutoff, and never backwards.
    db.store.touch_session(fresh.id, t).await.unwrap();
    db.store.touch_session(fresh.id, t - HOUR_MS).await.unwrap();
    let (found, _) = db
        .store
        .authenticate(&fresh_hash, t - HOUR_MS)
        .await
        .unwrap()
        .expect("a touched session is live");
    assert_eq!(found.last_used_at, t);
    assert_eq!(found.created_at, t - 2 * HOUR_MS);
    assert!(
        db.store
            .authenticate(&stale_hash, t - HOUR_MS)
            .await
            .unwrap()
            .is_none()
    );

    // Sweeping removes exactly the ones that no longer authenticate, the one idle since exactly the cutoff
    // included.
    assert!(
        db.store
            .authenticate(&edge_hash, t - HOUR_MS)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        db.session_ids(owner.id).await,
        [stale.id, fresh.id, edge.id]
    );
    assert_eq!(db.store.delete_idle_sessions(t - HOUR_MS).await.unwrap(), 2);
    assert_eq!(db.session_ids(owner.id).await, [fresh.id]);
    assert_eq!(db.store.delete_idle_sessions(t - HOUR_MS).await.unwrap(), 0);
    // Even when the old session's own cutoff is passed it stays gone.
    assert!(
        db.store
            .authenticate(&stale_hash, 0)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(db.store.count_sessions().await.unwrap(), 1);
}

async fn disabled_users_cannot_authenticate(db: &TestDb) {
    let owner = db.owner().await;
    let mallory = db.create_by_admin("mallory", false).await;
    let (_, hash) = db.session(mallory.id, db.now).await;
    let (_, owner_hash) = db.session(owner.id, db.now).await;
    assert!(db.authenticates(&hash).await);

    let later = db.now + 1_000;
    db.store
        .set_disabled(mallory.id, true, later)
        .await
        .unwrap();
    assert!(!db.authenticates(&hash).await);
    // Disabling revoked the sessions, and only this user's.
    assert!(db.session_ids(mallory.id).await.is_empty());
    assert!(db.authenticates(&owner_hash).await);
    let disabled = db.store.user_by_id(mallory.id).await.unwrap().unwrap();
    assert!(disabled.disabled);
    assert_eq!(disabled.updated_at, later);

    // Even a session that exists for a disabled user (say, created in a race) does not authenticate.
    let (_, raced) = db.session(mallory.id, later).await;
    assert_eq!(db.session_ids(mallory.id).await.len(), 1);
    assert!(!db.authenticates(&raced).await);

    // Re-enabling brings that session back to life.
    db.store
        .set_disabled(mallory.id, false, later)
        .await
        .unwrap();
    assert!(
        !db.store
            .user_by_id(mallory.id)
            .await
            .unwrap()
            .unwrap()
            .disabled
    );
    assert!(db.authenticates(&raced).await);

    assert!(matches!(
        db.store.set_disabled(db.id(), true, later).await,
        Err(StoreError::NotFound)
    ));
}

async fn delete_session_only_deletes_the_callers_own_session(db: &TestDb) {
    let alice = db.owner().await;
    let bob = db.create_by_admin("bob", false).await;
    let (a1, a1_hash) = db.session(alice.id, db.now).await;
    let (a2, _) = db.session(alice.id, db.now).await;
    let (b1, b1_hash) = db.session(bob.id, db.now).await;

    // Alice cannot revoke Bob's session by its id.
    assert!(!db.store.delete_session(alice.id, b1.id).await.unwrap());
    assert!(db.authenticates(&b1_hash).await);
    assert_eq!(db.session_ids(bob.id).await, [b1.id]);

    // Her own goes, once, and only that one.
    assert!(db.store.delete_session(alice.id, a1.id).await.unwrap());
    assert!(!db.store.delete_session(alice.id, a1.id).await.unwrap());
    assert!(!db.authenticates(&a1_hash).await);
    assert_eq!(db.session_ids(alice.id).await, [a2.id]);
    assert_eq!(db.session_ids(bob.id).await, [b1.id]);
    assert!(!db.store.delete_session(alice.id, db.id()).await.unwrap());
    assert_eq!(db.store.count_sessions().await.unwrap(), 2);
}

async fn delete_other_sessions_keeps_the_current_one(db: &TestDb) {
    let alice = db.owner().await;
    let bob = db.create_by_admin("bob", false).await;
    let (a1, _) = db.session(alice.id, db.now).await;
    let (current, current_hash) = db.session(alice.id, db.now).await;
    let (a3, a3_hash) = db.session(alice.id, db.now).await;
    let (b1, b1_hash) = db.session(bob.id, db.now).await;
    assert_eq!(db.session_ids(alice.id).await, [a1.id, current.id, a3.id]);

    assert_eq!(
        db.store
            .delete_other_sessions(alice.id, current.id)
            .await
            .unwrap(),
        2
    );
    assert_eq!(db.session_ids(alice.id).await, [current.id]);
    assert!(db.authenticates(&current_hash).await);
    assert!(!db.authenticates(&a3_hash).await);
    assert_eq!(db.session_ids(bob.id).await, [b1.id]);
    assert!(db.authenticates(&b1_hash).await);

    // Nothing left to revoke; and naming another user's session as "current" keeps none of one's own.
    assert_eq!(
        db.store
            .delete_other_sessions(alice.id, current.id)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        db.store
            .delete_other_sessions(alice.id, b1.id)
            .await
            .unwrap(),
        1
    );
    assert!(db.session_ids(alice.id).await.is_empty());
    assert_eq!(db.session_ids(bob.id).await, [b1.id]);
}

async fn set_password_revokes_other_sessions_but_keeps_the_given_one(db: &TestDb) {
    let alice = db.owner().await;
    let bob = db.create_by_admin("bob", false).await;
    let (a1, _) = db.session(alice.id, db.now).await;
    let (kept, kept_hash) = db.session(alice.id, db.now).await;
    let (_, a3_hash) = db.session(alice.id, db.now).await;
    let (b1, _) = db.session(bob.id, db.now).await;

    let later = db.now + 5_000;
    let revoked = db
        .store
        .set_password(alice.id, "$argon2id$new", Some(kept.id), later)
        .await
        .unwrap();
    assert_eq!(revoked, 2);
    let updated = db.store.user_by_id(alice.id).await.unwrap().unwrap();
    assert_eq!(updated.password_hash.as_deref(), Some("$argon2id$new"));
    assert_eq!(updated.updated_at, later);
    assert_ne!(alice.password_hash, updated.password_hash);
    assert_eq!(db.session_ids(alice.id).await, [kept.id]);
    assert!(db.authenticates(&kept_hash).await);
    assert!(!db.authenticates(&a3_hash).await);
    assert_eq!(db.session_ids(bob.id).await, [b1.id]);
    assert_ne!(a1.id, kept.id);

    // Without a session to keep (an administrator's reset), every session goes.
    assert_eq!(
        db.store
            .set_password(alice.id, "$argon2id$newer", None, later)
            .await
            .unwrap(),
        1
    );
    assert!(db.session_ids(alice.id).await.is_empty());
    assert_eq!(db.session_ids(bob.id).await, [b1.id]);

    assert!(matches!(
        db.store
            .set_password(db.id(), "$argon2id$x", None, later)
            .await,
        Err(StoreError::NotFound)
    ));
    // Bob's password is untouched by all this.
    assert_eq!(
        db.store
            .user_by_id(bob.id)
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        bob.password_hash
    );
}

// ---------------------------------------------------------------------------------------------------------
// Profiles
// ---------------------------------------------------------------------------------------------------------

async fn update_profile_changes_only_the_fields_given_and_can_clear_the_display_name(db: &TestDb) {
    let alice = db.owner().await;
    let bob = db.create_by_admin("bob", false).await;
    assert_eq!(
        (
            alice.global_name.as_deref(),
            alice.bio.as_str(),
            alice.pronouns.as_str()
        ),
        (None, "", "")
    );

    let t1 = db.now + 1_000;
    let updated = db
        .store
        .update_profile(
            alice.id,
            &ProfileUpdate {
                global_name: Some(Some("Alice “Al” O'Hara".into())),
                bio: Some("line one\nline two ✨".into()),
                pronouns: None,
            },
            t1,
        )
        .await
        .unwrap();
    assert_eq!(updated.global_name.as_deref(), Some("Alice “Al” O'Hara"));
    assert_eq!(updated.bio, "line one\nline two ✨");
    assert_eq!(updated.pronouns, "");
    assert_eq!(updated.updated_at, t1);
    assert_eq!(updated.created_at, alice.created_at);
    assert_eq!(
        db.store.user_by_id(alice.id).await.unwrap().as_ref(),
        Some(&updated)
    );

    let t2 = db.now + 2_000;
    let updated = db
        .store
        .update_profile(
            alice.id,
            &ProfileUpdate {
                pronouns: Some("she/her".into()),
                ..ProfileUpdate::default()
            },
            t2,
        )
        .await
        .unwrap();
    assert_eq!(updated.global_name.as_deref(), Some("Alice “Al” O'Hara"));
    assert_eq!(updated.bio, "line one\nline two ✨");
    assert_eq!(updated.pronouns, "she/her");

    // `Some(None)` clears the display name; an empty bio is a value, not an absence.
    let t3 = db.now + 3_000;
    let updated = db
        .store
        .update_profile(
            alice.id,
            &ProfileUpdate {
                global_name: Some(None),
                bio: Some(String::new()),
                pronouns: None,
            },
            t3,
        )
        .await
        .unwrap();
    assert_eq!(updated.global_name, None);
    assert_eq!(updated.bio, "");
    assert_eq!(updated.pronouns, "she/her");
    assert_eq!(updated.updated_at, t3);
    // Fields that were never part of a profile update stay as they were.
    assert_eq!(
        (
            &updated.username,
            &updated.password_hash,
            updated.is_owner,
            updated.is_admin
        ),
        (&alice.username, &alice.password_hash, true, true)
    );
    assert_eq!(db.store.user_by_id(alice.id).await.unwrap(), Some(updated));

    // An empty update only touches the timestamp.
    let t4 = db.now + 4_000;
    let same = db
        .store
        .update_profile(alice.id, &ProfileUpdate::default(), t4)
        .await
        .unwrap();
    assert_eq!(same.pronouns, "she/her");
    assert_eq!(same.global_name, None);
    assert_eq!(same.updated_at, t4);

    // Other users are untouched; unknown ids are reported.
    assert_eq!(db.store.user_by_id(bob.id).await.unwrap(), Some(bob));
    assert!(matches!(
        db.store
            .update_profile(db.id(), &ProfileUpdate::default(), t4)
            .await,
        Err(StoreError::NotFound)
    ));
}

// ---------------------------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------------------------

/// Fills every table with rows that exercise every column type, NULLs included. Returns the hash of a
/// live session's token.
async fn populate(db: &TestDb) -> String {
    let owner = db.register("Owner", None).await.unwrap();
    // Codes whose order differs between bytewise and case-insensitive collation.
    let limited = db
        .invite("aaaaaaaaaa", Some(owner.id), Some(3), Some(3600), db.now)
        .await;
    db.invite("BBBBBBBBBB", None, None, None, db.now - 1).await;
    let bob = db.register("Bob", Some(&limited)).await.unwrap();
    db.store
        .update_profile(
            bob.id,
            &ProfileUpdate {
                global_name: Some(Some("Bób \"the\" builder ✨".into())),
                bio: Some("line one\nline two; DROP TABLE users; --".into()),
                pronouns: Some("he/him".into()),
            },
            db.now + 1,
        )
        .await
        .unwrap();
    db.create_by_admin("carol", true).await;
    let dave = db
        .store
        .create_user(
            NewUser {
                password_hash: None,
                ..db.new_user("dave")
            },
            Applicant::Administrator,
            None,
        )
        .await
        .unwrap();
    db.store
        .set_disabled(dave.id, true, db.now + 2)
        .await
        .unwrap();
    let (_, owner_hash) = db.session(owner.id, db.now).await;
    db.store
        .create_session(&NewSession {
            id: db.id(),
            user_id: bob.id,
            token_hash: random_hex(32),
            ip: None,
            client: None,
            now_ms: db.now,
        })
        .await
        .unwrap();
    db.store
        .set_registration_mode(RegistrationMode::Open)
        .await
        .unwrap();
    community::populate(db, owner.id, bob.id, dave.id).await;
    messages::populate(db, owner.id, bob.id).await;
    automod::populate(db, owner.id, bob.id).await;
    votes::populate(db, owner.id, bob.id).await;
    moderation::populate(db, owner.id, bob.id).await;
    owner_hash
}

/// Restores `source`'s snapshot into `target` (an empty, unmigrated database) and checks that the rows
/// come back identical and the restored store is usable.
async fn restore_and_compare(source: &TestDb, target: &TestDb) {
    let owner_hash = populate(source).await;
    let exported = source.snapshot().await;
    for (table, rows) in [
        ("users", 4),
        ("sessions", 2),
        ("instance_invites", 2),
        ("instance_settings", 2),
        ("guilds", 1),
        ("roles", 2),
        ("channels", 4),
        ("channel_overwrites", 2),
        // Carol joins for the vote samples (`votes::populate`).
        ("members", 3),
        ("member_roles", 1),
        ("guild_invites", 1),
        ("guild_bans", 1),
        ("messages", 2),
        ("message_mentions", 1),
        ("message_role_mentions", 1),
        ("message_nonces", 1),
        ("reactions", 1),
        ("read_states", 1),
        ("automod_rules", 1),
        ("vote_settings", 1),
        ("moderation_votes", 2),
        ("moderation_ballots", 3),
        ("member_warnings", 1),
        ("reports", 1),
        ("report_notes", 1),
    ] {
        assert_eq!(exported.count(table), rows, "{table} in {exported:?}");
    }
    // Every known table is covered.
    assert_eq!(hearth_store::snapshot::TABLES.len(), 33);

    let restored = target
        .import(&exported)
        .await
        .expect("the snapshot imports");
    assert_eq!(restored, exported.rows.len() as u64);
    assert_eq!(target.snapshot().await, exported);
    assert_eq!(
        target.store.migration_status().await.unwrap().len(),
        source.store.migration_status().await.unwrap().len()
    );
    assert!(
        target
            .store
            .migration_status()
            .await
            .unwrap()
            .iter()
            .all(|m| m.applied_at.is_some())
    );

    // The restored database behaves like the original.
    let (session, user) = target
        .store
        .authenticate(&owner_hash, source.now - HOUR_MS)
        .await
        .unwrap()
        .expect("a restored session authenticates");
    let (original_session, original_user) = source
        .store
        .authenticate(&owner_hash, source.now - HOUR_MS)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((session, user), (original_session, original_user));
    let bob = Username::parse("bob").unwrap();
    assert_eq!(
        target.store.user_by_username(&bob).await.unwrap(),
        source.store.user_by_username(&bob).await.unwrap()
    );
    assert_eq!(
        target.store.list_invites().await.unwrap(),
        source.store.list_invites().await.unwrap()
    );
    assert_eq!(
        target.store.registration_mode().await.unwrap(),
        RegistrationMode::Open
    );
    // The owner slot came across: a new registration is not a second owner.
    let newcomer = target.register("newcomer", None).await.unwrap();
    assert!(!newcomer.is_owner && !newcomer.is_admin);
    assert!(matches!(
        target.register("BOB", None).await,
        Err(CreateUserError::UsernameTaken)
    ));
}

async fn a_snapshot_restores_identical_rows_on_the_same_backend(db: &TestDb) {
    let target = TestDb::empty(db.backend).await;
    restore_and_compare(db, &target).await;
    target.finish().await;
}

async fn a_snapshot_restores_identical_rows_on_the_other_backend(db: &TestDb) {
    let target = TestDb::empty(db.backend.other()).await;
    restore_and_compare(db, &target).await;
    target.finish().await;
}

async fn import_refuses_a_non_empty_database(db: &TestDb) {
    let source = TestDb::migrated(db.backend).await;
    populate(&source).await;
    let exported = source.snapshot().await;
    source.finish().await;

    // Even a database holding nothing but a setting counts as in use.
    db.store
        .set_registration_mode(RegistrationMode::Closed)
        .await
        .unwrap();
    let before = db.snapshot().await;
    let result = db.import(&exported).await;
    assert!(matches!(result, Err(StoreError::Snapshot(_))), "{result:?}");
    assert_eq!(db.snapshot().await, before);

    db.owner().await;
    let before = db.snapshot().await;
    let result = db.import(&exported).await;
    assert!(matches!(result, Err(StoreError::Snapshot(_))), "{result:?}");
    assert_eq!(db.snapshot().await, before);
    assert_eq!(db.store.count_users().await.unwrap(), 1);
}

/// A backup from before messages existed (schema 2: no message or moderation tables, no
/// `channels.last_message_id`)
/// restores into that schema and is migrated forward.
async fn a_snapshot_from_before_messages_restores_and_migrates(db: &TestDb) {
    // The tables migrations 3 (messages), 4 (moderation) and 5 (media) added.
    const MESSAGE_TABLES: [&str; 21] = [
        "secrets",
        "attachments",
        "guild_emojis",
        "guild_emoji_roles",
        "blob_deletions",
        "messages",
        "message_mentions",
        "message_role_mentions",
        "message_nonces",
        "reactions",
        "read_states",
        "audit_log",
        "member_warnings",
        "automod_rules",
        "reports",
        "report_notes",
        "vote_settings",
        "moderation_votes",
        "moderation_ballots",
        "instance_audit_log",
        "announcements",
    ];
    populate(db).await;
    let current = db.snapshot().await;
    let last_message = hearth_store::snapshot::table("channels")
        .unwrap()
        .columns
        .iter()
        .position(|(name, _)| *name == "last_message_id")
        .unwrap();
    let mut old = Snapshot {
        version: 2,
        rows: current
            .rows
            .iter()
            .filter(|(table, _)| !MESSAGE_TABLES.contains(table))
            .cloned()
            .collect(),
    };
    // The image columns migration 5 added to tables that existed at version 2.
    let images: Vec<(&str, usize)> = [
        ("users", "avatar"),
        ("users", "banner"),
        ("guilds", "icon"),
        ("guilds", "banner"),
        ("roles", "icon"),
    ]
    .iter()
    .map(|(table, column)| {
        let position = hearth_store::snapshot::table(table)
            .unwrap()
            .columns
            .iter()
            .position(|(name, _)| name == column)
            .unwrap();
        (*table, position)
    })
    .collect();
    let strip = |table: &str, row: &mut Vec<Value>| {
        // Highest position first, so removing one leaves the others' positions valid.
        for (_, position) in images.iter().rev().filter(|(t, _)| *t == table) {
            row.remove(*position);
        }
        if table == "channels" {
            row.remove(last_message);
        }
    };
    for (table, row) in &mut old.rows {
        strip(table, row);
    }
    let mut expected = old.clone();
    expected.version = current.version;
    for (table, row) in &mut expected.rows {
        for (_, position) in images.iter().filter(|(t, _)| t == table) {
            row.insert(*position, Value::Null);
        }
        if *table == "channels" {
            row.insert(last_message, Value::Null);
        }
    }

    let target = TestDb::empty(db.backend).await;
    target
        .import(&old)
        .await
        .expect("an older snapshot imports");
    assert_eq!(target.snapshot().await, expected);
    // A row as wide as today's is the wrong width for the older schema.
    let mut too_wide = old.clone();
    too_wide.rows.retain(|(table, _)| *table == "channels");
    too_wide.rows[0].1.push(Value::Null);
    let other = TestDb::empty(db.backend).await;
    assert!(matches!(
        other.import(&too_wide).await,
        Err(StoreError::Snapshot(_))
    ));
    other.finish().await;
    target.finish().await;
}

async fn a_rejected_import_leaves_the_database_empty(db: &TestDb) {
    let source = TestDb::migrated(db.backend).await;
    populate(&source).await;
    let good = source.snapshot().await;
    source.finish().await;

    // A snapshot from a newer schema than this binary knows.
    let newer = Snapshot {
        version: good.version + 1,
        ..good.clone()
    };
    assert!(matches!(
        db.import(&newer).await,
        Err(StoreError::Snapshot(_))
    ));

    // A bad row after good ones: the whole import is one transaction, so the good rows go too.
    let mut bad = good.clone();
    let session = bad
        .rows
        .iter_mut()
        .find(|(table, _)| *table == "sessions")
        .unwrap();
    session.1.pop();
    assert!(matches!(
        db.import(&bad).await,
        Err(StoreError::Snapshot(_))
    ));
    assert!(db.store.is_empty().await.unwrap());

    let mut mistyped = good.clone();
    let invite = mistyped
        .rows
        .iter_mut()
        .find(|(table, _)| *table == "instance_invites")
        .unwrap();
    invite.1[5] = Value::from("three");
    assert!(matches!(
        db.import(&mistyped).await,
        Err(StoreError::Snapshot(_))
    ));
    assert!(db.store.is_empty().await.unwrap());
    assert_eq!(db.store.count_users().await.unwrap(), 0);

    // The same database then takes the good snapshot.
    db.import(&good).await.unwrap();
    assert_eq!(db.snapshot().await, good);
}
