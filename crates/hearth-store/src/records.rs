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
    /// Argon2id PHC string; `None` for accounts without a password.
    pub password_hash: Option<String>,
    pub is_admin: bool,
    pub is_owner: bool,
    pub is_bot: bool,
    pub disabled: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Column list matching [`UserRecord::from_row`]; `u.` prefixed for joins.
pub(crate) const USER_COLUMNS: &str = "u.id, u.username, u.global_name, u.bio, u.pronouns, u.password_hash, \
     u.is_admin, u.is_owner, u.is_bot, u.disabled, u.created_at, u.updated_at";

impl UserRecord {
    pub(crate) fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: Snowflake::from_db(row.int("id")?),
            username: Username::from_trusted(row.text("username")?),
            global_name: row.opt_text("global_name")?,
            bio: row.text("bio")?,
            pronouns: row.text("pronouns")?,
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

pub(crate) const SESSION_COLUMNS: &str =
    "s.id, s.user_id, s.created_at, s.last_used_at, s.ip, s.client";

impl SessionRecord {
    pub(crate) fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: Snowflake::from_db(row.int("id")?),
            user_id: Snowflake::from_db(row.int("user_id")?),
            created_at: row.int("created_at")?,
            last_used_at: row.int("last_used_at")?,
            ip: row.opt_text("ip")?,
            client: row.opt_text("client")?,
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
