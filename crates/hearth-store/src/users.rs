//! Accounts: creation (with the registration rule), lookup, profile, password and admin flags, and
//! what instance administrators do to them (search, disable, promote, delete) with their audit entries.

use hearth_core::instance::{
    DELETED_USER_DISPLAY_NAME, DELETED_USERNAME_KEY_PREFIX, UserQuery, deleted_username,
    deleted_username_key,
};
use hearth_core::registration::{Admission, Applicant, Refusal, admit};
use hearth_core::{InviteCode, RegistrationMode, Snowflake, Username};
use sqlx::Row;

use crate::backend::{BeginWrite, DbRow, Store, on_reader, on_writer};
use crate::error::is_unique_violation;
use crate::moderation::{NewInstanceAuditEntry, insert_instance_audit_in};
use crate::records::user_columns;
use crate::sessions::{KEEP_NO_SESSION, REVOKE_SESSIONS_EXCEPT};
use crate::settings::{OWNER_KEY, REGISTRATION_MODE_KEY};
use crate::{CreateUserError, NewUser, ProfileUpdate, StoreError, UserRecord};

impl Store {
    /// Creates an account, applying the registration rule and consuming an invite use in the same
    /// transaction: an invite with one use left admits exactly one of many simultaneous registrations, and
    /// exactly one of two simultaneous registrations on an empty instance becomes its owner.
    pub async fn create_user(
        &self,
        new: NewUser,
        applicant: Applicant,
        invite: Option<&InviteCode>,
    ) -> Result<UserRecord, CreateUserError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            // Claiming the owner slot is an insert that conflicts, so concurrent first registrations
            // serialise on it (PostgreSQL blocks the second until the first commits or rolls back).
            let claimed = sqlx::query(
                "INSERT INTO instance_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            )
            .bind(OWNER_KEY)
            .bind(new.id.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            let mode: Option<(String,)> =
                sqlx::query_as("SELECT value FROM instance_settings WHERE key = $1")
                    .bind(REGISTRATION_MODE_KEY)
                    .fetch_optional(&mut *tx)
                    .await?;
            let mode = mode
                .and_then(|(v,)| RegistrationMode::parse(&v).ok())
                .unwrap_or_default();
            let applicant = match applicant {
                Applicant::Public { .. } => Applicant::Public {
                    has_invite: invite.is_some(),
                },
                other => other,
            };
            let admission = admit(mode, claimed, applicant).map_err(|refusal| match refusal {
                Refusal::Closed => CreateUserError::RegistrationClosed,
                Refusal::InviteRequired => CreateUserError::InviteRequired,
            })?;
            if admission == Admission::MemberByInvite {
                let code = invite.ok_or(CreateUserError::InviteRequired)?;
                let used = sqlx::query(
                    "UPDATE instance_invites SET uses = uses + 1 WHERE code = $1 \
                     AND (max_uses IS NULL OR uses < max_uses) AND (expires_at IS NULL OR expires_at > $2)",
                )
                .bind(code.as_str())
                .bind(new.now_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if used == 0 {
                    return Err(CreateUserError::InviteInvalid);
                }
            }
            let is_owner = admission == Admission::Owner;
            let is_admin =
                is_owner || (new.is_admin && matches!(applicant, Applicant::Administrator));
            const INSERT: &str = concat!(
                "INSERT INTO users (id, username, username_key, password_hash, is_admin, is_owner, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING ",
                user_columns!("")
            );
            let inserted = sqlx::query(INSERT)
                .bind(new.id.to_db())
                .bind(new.username.as_str())
                .bind(new.username.canonical())
                .bind(new.password_hash.as_deref())
                .bind(is_admin)
                .bind(is_owner)
                .bind(new.now_ms)
                .fetch_one(&mut *tx)
                .await;
            let user = match inserted {
                Err(e) if is_unique_violation(&e) => return Err(CreateUserError::UsernameTaken),
                other => UserRecord::from_row(&other?)?,
            };
            tx.commit().await?;
            Ok(user)
        })
    }

    pub async fn user_by_id(&self, id: Snowflake) -> Result<Option<UserRecord>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            user_columns!("u."),
            " FROM users u WHERE u.id = $1"
        );
        on_reader!(self, |db| {
            let row = sqlx::query(SQL).bind(id.to_db()).fetch_optional(db).await?;
            Ok(row.map(|r| UserRecord::from_row(&r)).transpose()?)
        })
    }

    /// The users among `ids` that exist, in id order: one query per batch of 500 ids.
    pub async fn users_by_ids(&self, ids: &[Snowflake]) -> Result<Vec<UserRecord>, StoreError> {
        let mut users = Vec::with_capacity(ids.len());
        for batch in ids.chunks(500) {
            let sql = format!(
                "SELECT {} FROM users u WHERE u.id IN ({}) ORDER BY u.id",
                user_columns!("u."),
                crate::backend::id_params(1, batch.len())
            );
            on_reader!(self, |db| {
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for id in batch {
                    query = query.bind(id.to_db());
                }
                for row in query.fetch_all(db).await? {
                    users.push(UserRecord::from_row(&row)?);
                }
                Ok::<_, StoreError>(())
            })?;
        }
        Ok(users)
    }

    /// Looks a user up by username, ignoring case.
    pub async fn user_by_username(
        &self,
        username: &Username,
    ) -> Result<Option<UserRecord>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            user_columns!("u."),
            " FROM users u WHERE u.username_key = $1"
        );
        on_reader!(self, |db| {
            let row = sqlx::query(SQL)
                .bind(username.canonical())
                .fetch_optional(db)
                .await?;
            Ok(row.map(|r| UserRecord::from_row(&r)).transpose()?)
        })
    }

    pub async fn count_users(&self) -> Result<i64, StoreError> {
        on_reader!(self, |db| {
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
                .fetch_one(db)
                .await?;
            Ok(n)
        })
    }

    /// Applies a profile update and returns the updated user.
    pub async fn update_profile(
        &self,
        id: Snowflake,
        update: &ProfileUpdate,
        now_ms: i64,
    ) -> Result<UserRecord, StoreError> {
        // Each field is written only when present: `CASE WHEN $n THEN value ELSE column END` keeps one
        // statement (and one prepared plan) for every combination of fields.
        const SQL: &str = concat!(
            "UPDATE users SET \
             global_name = CASE WHEN $2 THEN $3 ELSE global_name END, \
             bio = CASE WHEN $4 THEN $5 ELSE bio END, \
             pronouns = CASE WHEN $6 THEN $7 ELSE pronouns END, \
             updated_at = $8 WHERE id = $1 RETURNING ",
            user_columns!("")
        );
        on_writer!(self, |db| {
            let row = sqlx::query(SQL)
                .bind(id.to_db())
                .bind(update.global_name.is_some())
                .bind(update.global_name.clone().flatten())
                .bind(update.bio.is_some())
                .bind(update.bio.clone().unwrap_or_default())
                .bind(update.pronouns.is_some())
                .bind(update.pronouns.clone().unwrap_or_default())
                .bind(now_ms)
                .fetch_optional(db)
                .await?;
            row.map(|r| UserRecord::from_row(&r))
                .transpose()?
                .ok_or(StoreError::NotFound)
        })
    }

    /// Replaces the password hash and revokes every session except `keep` (the one that asked for the
    /// change, if any), in one transaction. Returns how many sessions were revoked.
    pub async fn set_password(
        &self,
        id: Snowflake,
        password_hash: &str,
        keep: Option<Snowflake>,
        now_ms: i64,
    ) -> Result<u64, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let updated =
                sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
                    .bind(id.to_db())
                    .bind(password_hash)
                    .bind(now_ms)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if updated == 0 {
                return Err(StoreError::NotFound);
            }
            let revoked = sqlx::query(REVOKE_SESSIONS_EXCEPT)
                .bind(id.to_db())
                .bind(keep.map_or(KEEP_NO_SESSION, Snowflake::to_db))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok(revoked)
        })
    }

    /// Disables or re-enables an account. Disabling also deletes its sessions; the session lookup checks
    /// the flag as well, so a request already past the lookup is the only one that can still finish.
    /// Writes no audit entry and checks no rank: administrators' changes (API and command line) go
    /// through [`Store::change_account`].
    pub async fn set_disabled(
        &self,
        id: Snowflake,
        disabled: bool,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let updated =
                sqlx::query("UPDATE users SET disabled = $2, updated_at = $3 WHERE id = $1")
                    .bind(id.to_db())
                    .bind(disabled)
                    .bind(now_ms)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if updated == 0 {
                return Err(StoreError::NotFound);
            }
            if disabled {
                sqlx::query(REVOKE_SESSIONS_EXCEPT)
                    .bind(id.to_db())
                    .bind(KEEP_NO_SESSION)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Sets the admin flag (the owner keeps it whatever is asked). Writes no audit entry:
    /// administrators' changes go through [`Store::change_account`].
    pub async fn set_admin(
        &self,
        id: Snowflake,
        is_admin: bool,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        on_writer!(self, |db| {
            // The owner stays an admin whatever is asked.
            let updated = sqlx::query(
                "UPDATE users SET is_admin = ($2 OR is_owner), updated_at = $3 WHERE id = $1",
            )
            .bind(id.to_db())
            .bind(is_admin)
            .bind(now_ms)
            .execute(db)
            .await?
            .rows_affected();
            if updated == 0 {
                Err(StoreError::NotFound)
            } else {
                Ok(())
            }
        })
    }
}

/// An instance administrator's change to an account's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChange {
    /// Disables the account and revokes every session.
    Disable,
    Enable,
    /// Makes the account an instance administrator.
    Promote,
    /// Takes administration away (never from the owner).
    Demote,
}

/// Which accounts an administrative change must leave alone. Who acts decides it; the store checks
/// it inside the change's transaction, so a promotion racing a disable cannot slip past it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Protected {
    /// The instance owner.
    pub owner: bool,
    /// Administrators (when the actor is not the owner).
    pub admins: bool,
}

/// Why an administrative change to an account was refused. A refused change writes nothing, its audit
/// entry included.
#[derive(Debug, thiserror::Error)]
pub enum AccountActionError {
    /// No such account, or one already deleted.
    #[error("no such account")]
    NotFound,
    #[error("the instance owner cannot be changed this way")]
    Owner,
    #[error("only the instance owner can act on an administrator")]
    Admin,
    /// Deleting the account would leave these guilds without an owner.
    #[error("the account owns {0} guilds")]
    OwnsGuilds(usize),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AccountActionError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(StoreError::Database(e))
    }
}

/// The outcome of an [`AccountChange`]: the account after it, and whether anything changed (asking
/// for the state an account is already in succeeds without an audit entry).
#[derive(Debug, Clone, PartialEq)]
pub struct AccountChanged {
    pub user: UserRecord,
    pub changed: bool,
}

/// What deleting an account did, for the events that follow it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeletedAccount {
    /// The anonymised account.
    pub user: UserRecord,
    /// Guilds the account was a member of (and no longer is).
    pub left_guilds: Vec<Snowflake>,
    /// Guilds the account owned, deleted with it.
    pub deleted_guilds: Vec<Snowflake>,
}

/// An account as the admin list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminUserRecord {
    pub user: UserRecord,
    /// The last use of any of its sessions; `None` without a session.
    pub last_active_at: Option<i64>,
    /// Deleted by an admin (kept, anonymised, for the messages it wrote).
    pub deleted: bool,
}

/// A page of accounts in id order after `after`, optionally only those whose username or display
/// name contains the query.
#[derive(Debug, Clone)]
pub struct UserSearch {
    pub query: Option<UserQuery>,
    pub after: Option<Snowflake>,
    pub limit: u32,
}

/// The admin view of accounts: the user columns, the username key (to tell deleted accounts) and the
/// last session use, one indexed lookup per row (`sessions_by_user`).
macro_rules! admin_user_select {
    ($where:literal) => {
        concat!(
            "SELECT ",
            user_columns!("u."),
            ", u.username_key, \
             (SELECT MAX(s.last_used_at) FROM sessions s WHERE s.user_id = u.id) AS last_active_at \
             FROM users u ",
            $where
        )
    };
}

/// One [`AccountChange`] as a conditional update: `$set` where `$when` holds (the change is not a
/// no-op), the account is not protected (`$3`: the owner, `$4`: admins) and not deleted (its key
/// starts with `DELETED_USERNAME_KEY_PREFIX`, spelt out here because `concat!` takes only literals).
macro_rules! account_update {
    ($set:literal, $when:literal) => {
        concat!(
            "UPDATE users SET ",
            $set,
            ", updated_at = $2 WHERE id = $1 AND ",
            $when,
            " AND NOT (is_owner AND $3) AND NOT (is_admin AND $4) \
             AND username_key NOT LIKE 'deleted:%' RETURNING ",
            user_columns!("")
        )
    };
}

impl AdminUserRecord {
    fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            user: UserRecord::from_row(row)?,
            last_active_at: row.opt_int("last_active_at")?,
            deleted: row
                .text("username_key")?
                .starts_with(DELETED_USERNAME_KEY_PREFIX),
        })
    }
}

impl Store {
    /// A page of accounts for the admins, in id order. The query matches the username key (already
    /// case-folded like the query) or the lower-cased display name anywhere; `LOWER` folds only ASCII
    /// on SQLite, so non-ASCII display names match case-sensitively there.
    pub async fn search_users(
        &self,
        search: &UserSearch,
    ) -> Result<Vec<AdminUserRecord>, StoreError> {
        const SQL: &str = admin_user_select!(
            "WHERE u.id > $1 AND ($2 IS NULL OR u.username_key LIKE $2 ESCAPE '\\' \
             OR LOWER(COALESCE(u.global_name, '')) LIKE $2 ESCAPE '\\') ORDER BY u.id LIMIT $3"
        );
        let pattern = search.query.as_ref().map(UserQuery::like_pattern);
        on_reader!(self, |db| {
            let rows = sqlx::query(SQL)
                .bind(search.after.map_or(-1, Snowflake::to_db))
                .bind(pattern)
                .bind(i64::from(search.limit))
                .fetch_all(db)
                .await?;
            Ok(rows
                .iter()
                .map(AdminUserRecord::from_row)
                .collect::<Result<_, _>>()?)
        })
    }

    /// One account as the admins see it.
    pub async fn admin_user(&self, id: Snowflake) -> Result<Option<AdminUserRecord>, StoreError> {
        const SQL: &str = admin_user_select!("WHERE u.id = $1");
        on_reader!(self, |db| {
            let row = sqlx::query(SQL).bind(id.to_db()).fetch_optional(db).await?;
            Ok(row.map(|r| AdminUserRecord::from_row(&r)).transpose()?)
        })
    }

    /// Applies an administrator's change with its audit entry, in one transaction: disabling also
    /// revokes every session. The change is one conditional update that skips protected accounts, so
    /// what `protected` names is checked against the row as it is at that moment. The owner is never
    /// demoted, whatever `protected` says.
    pub async fn change_account(
        &self,
        id: Snowflake,
        change: AccountChange,
        protected: Protected,
        now_ms: i64,
        entry: &NewInstanceAuditEntry,
    ) -> Result<AccountChanged, AccountActionError> {
        let sql = match change {
            AccountChange::Disable => account_update!("disabled = TRUE", "NOT disabled"),
            AccountChange::Enable => account_update!("disabled = FALSE", "disabled"),
            AccountChange::Promote => account_update!("is_admin = TRUE", "NOT is_admin"),
            AccountChange::Demote => {
                account_update!("is_admin = FALSE", "is_admin AND NOT is_owner")
            }
        };
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let updated = sqlx::query(sql)
                .bind(id.to_db())
                .bind(now_ms)
                .bind(protected.owner)
                .bind(protected.admins)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = updated else {
                // Nothing changed: find out whether the account is missing, protected, or already so.
                let current = sqlx::query(concat!(
                    "SELECT ",
                    user_columns!("u."),
                    ", u.username_key FROM users u WHERE u.id = $1"
                ))
                .bind(id.to_db())
                .fetch_optional(&mut *tx)
                .await?;
                let Some(current) = current else {
                    return Err(AccountActionError::NotFound);
                };
                if current
                    .try_get::<String, _>("username_key")?
                    .starts_with(DELETED_USERNAME_KEY_PREFIX)
                {
                    return Err(AccountActionError::NotFound);
                }
                let user = UserRecord::from_row(&current)?;
                if user.is_owner && (protected.owner || change == AccountChange::Demote) {
                    return Err(AccountActionError::Owner);
                }
                if user.is_admin && protected.admins {
                    return Err(AccountActionError::Admin);
                }
                return Ok(AccountChanged {
                    user,
                    changed: false,
                });
            };
            let user = UserRecord::from_row(&row)?;
            if change == AccountChange::Disable {
                sqlx::query(REVOKE_SESSIONS_EXCEPT)
                    .bind(id.to_db())
                    .bind(KEEP_NO_SESSION)
                    .execute(&mut *tx)
                    .await?;
            }
            insert_instance_audit_in!(tx, entry);
            tx.commit().await?;
            Ok(AccountChanged {
                user,
                changed: true,
            })
        })
    }

    /// Deletes an account the way Discord does, in one transaction with its audit entry: the row stays
    /// (messages keep their author) but is anonymised — renamed `deleted_user_<id>`, shown as
    /// "Deleted User", profile cleared, password removed, no longer admin or bot, disabled — and its
    /// sessions, memberships (with member overwrites and roles) and read markers go. Guilds it owns
    /// would be left without an owner, so the deletion is refused unless `delete_owned_guilds`, which
    /// deletes them (and everything in them) too.
    ///
    /// Every table that holds an account's private data must be cleared here.
    pub async fn delete_account(
        &self,
        id: Snowflake,
        protected: Protected,
        delete_owned_guilds: bool,
        now_ms: i64,
        entry: &NewInstanceAuditEntry,
    ) -> Result<DeletedAccount, AccountActionError> {
        const ANONYMISE: &str = concat!(
            "UPDATE users SET username = $2, username_key = $3, global_name = $4, bio = '', \
             pronouns = '', password_hash = NULL, is_admin = FALSE, is_bot = FALSE, disabled = TRUE, \
             updated_at = $5 WHERE id = $1 RETURNING ",
            user_columns!("")
        );
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            // Lock the row first so that the checks below hold until commit on PostgreSQL too.
            sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1")
                .bind(id.to_db())
                .execute(&mut *tx)
                .await?;
            let current: Option<(bool, bool, String)> =
                sqlx::query_as("SELECT is_owner, is_admin, username_key FROM users WHERE id = $1")
                    .bind(id.to_db())
                    .fetch_optional(&mut *tx)
                    .await?;
            let (is_owner, is_admin) = match current {
                Some((o, a, key)) if !key.starts_with(DELETED_USERNAME_KEY_PREFIX) => (o, a),
                _ => return Err(AccountActionError::NotFound),
            };
            if is_owner && protected.owner {
                return Err(AccountActionError::Owner);
            }
            if is_admin && protected.admins {
                return Err(AccountActionError::Admin);
            }
            let owned: Vec<(i64,)> =
                sqlx::query_as("SELECT id FROM guilds WHERE owner_id = $1 ORDER BY id")
                    .bind(id.to_db())
                    .fetch_all(&mut *tx)
                    .await?;
            if !owned.is_empty() && !delete_owned_guilds {
                return Err(AccountActionError::OwnsGuilds(owned.len()));
            }
            sqlx::query("DELETE FROM guilds WHERE owner_id = $1")
                .bind(id.to_db())
                .execute(&mut *tx)
                .await?;
            let joined: Vec<(i64,)> =
                sqlx::query_as("SELECT guild_id FROM members WHERE user_id = $1 ORDER BY guild_id")
                    .bind(id.to_db())
                    .fetch_all(&mut *tx)
                    .await?;
            // Member overwrites (kind 1) name the user in channels of every guild they were in.
            sqlx::query("DELETE FROM channel_overwrites WHERE target_id = $1 AND kind = 1")
                .bind(id.to_db())
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM members WHERE user_id = $1")
                .bind(id.to_db())
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM read_states WHERE user_id = $1")
                .bind(id.to_db())
                .execute(&mut *tx)
                .await?;
            sqlx::query(REVOKE_SESSIONS_EXCEPT)
                .bind(id.to_db())
                .bind(KEEP_NO_SESSION)
                .execute(&mut *tx)
                .await?;
            let row = sqlx::query(ANONYMISE)
                .bind(id.to_db())
                .bind(deleted_username(id))
                .bind(deleted_username_key(id))
                .bind(DELETED_USER_DISPLAY_NAME)
                .bind(now_ms)
                .fetch_one(&mut *tx)
                .await?;
            let user = UserRecord::from_row(&row)?;
            insert_instance_audit_in!(tx, entry);
            tx.commit().await?;
            Ok(DeletedAccount {
                user,
                left_guilds: joined
                    .into_iter()
                    .map(|(g,)| Snowflake::from_db(g))
                    .collect(),
                deleted_guilds: owned
                    .into_iter()
                    .map(|(g,)| Snowflake::from_db(g))
                    .collect(),
            })
        })
    }
}
