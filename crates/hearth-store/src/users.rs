//! Accounts: creation (with the registration rule), lookup, profile, password and admin flags.

use hearth_core::registration::{Admission, Applicant, Refusal, admit};
use hearth_core::{InviteCode, RegistrationMode, Snowflake, Username};

use crate::backend::{BeginWrite, Store, on_reader, on_writer};
use crate::error::is_unique_violation;
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
