//! Rows as the store hands them out and takes them in.

use hearth_core::{Snowflake, Username};

use crate::backend::DbRow;

#[derive(Debug, Clone, PartialEq)]
pub struct UserRecord {
    pub id: Snowflake,
    pub username: Username,
    pub global_name: Option<String>,
    pub bio: String,
    pub pronouns: String,
    /// Image hashes (Discord's `avatar` and `banner`).
    pub avatar: Option<String>,
    pub banner: Option<String>,
    /// Argon2id PHC string; `None` for accounts without a password.
    pub password_hash: Option<String>,
    pub is_admin: bool,
    pub is_owner: bool,
    pub is_bot: bool,
    pub disabled: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The user columns [`UserRecord::from_row`] reads, each behind `$table` (`"u."` in joins, `""` where
/// a qualifier is not allowed, as in `RETURNING`). A macro so that queries are `&'static str` built at
/// compile time rather than formatted on every call.
macro_rules! user_columns {
    ($table:literal) => {
        concat!(
            $table,
            "id, ",
            $table,
            "username, ",
            $table,
            "global_name, ",
            $table,
            "bio, ",
            $table,
            "pronouns, ",
            $table,
            "avatar, ",
            $table,
            "banner, ",
            $table,
            "password_hash, ",
            $table,
            "is_admin, ",
            $table,
            "is_owner, ",
            $table,
            "is_bot, ",
            $table,
            "disabled, ",
            $table,
            "created_at, ",
            $table,
            "updated_at"
        )
    };
}
pub(crate) use user_columns;

impl UserRecord {
    pub(crate) fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: Snowflake::from_db(row.int("id")?),
            username: Username::from_trusted(row.text("username")?),
            global_name: row.opt_text("global_name")?,
            bio: row.text("bio")?,
            pronouns: row.text("pronouns")?,
            avatar: row.opt_text("avatar")?,
            banner: row.opt_text("banner")?,
            password_hash: row.opt_text("password_hash")?,
            is_admin: row.flag("is_admin")?,
            is_owner: row.flag("is_owner")?,
            is_bot: row.flag("is_bot")?,
            disabled: row.flag("disabled")?,
            created_at: row.int("created_at")?,
            updated_at: row.int("updated_at")?,
        })
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: Snowflake,
    pub username: Username,
    pub password_hash: Option<String>,
    /// Ask for admin rights (honoured only for administrator-created accounts; the owner is always admin).
    pub is_admin: bool,
    pub now_ms: i64,
}

/// Changes to a profile: `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileUpdate {
    pub global_name: Option<Option<String>>,
    pub bio: Option<String>,
    pub pronouns: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    pub id: Snowflake,
    pub user_id: Snowflake,
    pub created_at: i64,
    pub last_used_at: i64,
    pub ip: Option<String>,
    pub client: Option<String>,
}

/// The session columns [`SessionRecord::from_row`] reads, aliased so that they can share a row with a
/// user's columns (both tables have `id` and `created_at`).
macro_rules! session_columns {
    () => {
        "s.id AS session_id, s.user_id AS session_user_id, s.created_at AS session_created_at, \
         s.last_used_at AS session_last_used_at, s.ip AS session_ip, s.client AS session_client"
    };
}
pub(crate) use session_columns;

impl SessionRecord {
    pub(crate) fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: Snowflake::from_db(row.int("session_id")?),
            user_id: Snowflake::from_db(row.int("session_user_id")?),
            created_at: row.int("session_created_at")?,
            last_used_at: row.int("session_last_used_at")?,
            ip: row.opt_text("session_ip")?,
            client: row.opt_text("session_client")?,
        })
    }
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: Snowflake,
    pub user_id: Snowflake,
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    pub ip: Option<String>,
    pub client: Option<String>,
    pub now_ms: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InviteRecord {
    pub code: String,
    pub created_by: Option<Snowflake>,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub max_uses: Option<u32>,
    pub uses: u32,
}

impl InviteRecord {
    pub(crate) fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            code: row.text("code")?,
            created_by: row.opt_int("created_by")?.map(Snowflake::from_db),
            created_at: row.int("created_at")?,
            expires_at: row.opt_int("expires_at")?,
            max_uses: row
                .opt_int("max_uses")?
                .map(|n| n.clamp(0, u32::MAX as i64) as u32),
            uses: row.int("uses")?.clamp(0, u32::MAX as i64) as u32,
        })
    }
}

#[derive(Debug, Clone)]
pub struct NewInvite {
    pub code: hearth_core::InviteCode,
    pub created_by: Option<Snowflake>,
    pub limits: hearth_core::InviteLimits,
    pub now_ms: i64,
}
