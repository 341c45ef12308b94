//! Registration, login, sessions and password changes.

use serde::{Deserialize, Serialize};

use crate::users::CurrentUser;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// 2–32 characters: letters, digits, `_`, `.`, `-`; unique without regard to case.
    pub username: String,
    /// 8–128 characters.
    pub password: String,
    /// Instance invite code; required when registration is invite-only.
    #[serde(default)]
    pub invite: Option<String>,
    /// Acceptance of the instance's terms of service (`GET /instance`); required (`true`) when the
    /// instance has terms.
    #[serde(default)]
    pub accept_terms: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// Second-factor code, for accounts with 2FA enabled.
    #[serde(default)]
    pub code: Option<String>,
}

/// Answer to register and login: a bearer token (shown once, never stored in clear) and the user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthResponse {
    pub token: String,
    pub user: CurrentUser,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// One signed-in device or client.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub id: String,
    pub created_at: String,
    pub last_used_at: String,
    /// Address the session signed in from.
    pub ip: Option<String>,
    /// The client's self-description (its User-Agent), truncated.
    pub client: Option<String>,
    /// True for the session making this request.
    pub current: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevokedSessions {
    pub revoked: u64,
}
