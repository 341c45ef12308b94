//! Accounts: registration, sign-in, password changes and profile edits.

use std::net::IpAddr;

use hearth_core::registration::Applicant;
use hearth_core::{Bio, DisplayName, InviteCode, Password, Pronouns, Snowflake, Username};
use hearth_store::{NewSession, NewUser, ProfileUpdate, SessionRecord, UserRecord};

use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::services::tokens;
use crate::state::AppState;

/// Longest client description kept with a session.
const CLIENT_DESCRIPTION_MAX_CHARS: usize = 256;

/// Who is signing in from where, as recorded on the session.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub ip: IpAddr,
    pub user_agent: Option<String>,
}

/// A new session: the token goes to the client once; the store keeps only its hash.
pub struct IssuedSession {
    pub token: String,
    pub user: UserRecord,
    pub session: SessionRecord,
}

/// Parsed registration input.
pub struct Registration {
    pub username: Username,
    pub password: Password,
    pub invite: Option<InviteCode>,
    /// The applicant accepted the instance's terms of service.
    pub accept_terms: bool,
}

pub async fn register(
    state: &AppState,
    input: Registration,
    client: &ClientInfo,
) -> ApiResult<IssuedSession> {
    // An instance with terms of service admits only applicants who accepted them (the registration
    // screen shows them from `GET /instance`).
    if !input.accept_terms && state.store.instance_settings().await?.has_terms() {
        return Err(ApiError::field(
            "accept_terms",
            "must be true: this instance has terms of service",
        ));
    }
    // Cheap pre-check so a taken name does not cost an Argon2 hash; the unique index decides for real.
    if state
        .store
        .user_by_username(&input.username)
        .await?
        .is_some()
    {
        return Err(ApiError::UsernameTaken);
    }
    let hash = state.passwords.hash(&input.password).await?;
    let new = NewUser {
        id: state.next_id(),
        username: input.username,
        password_hash: Some(hash),
        is_admin: false,
        now_ms: now_ms(),
    };
    let user = state
        .store
        .create_user(
            new,
            Applicant::Public {
                has_invite: input.invite.is_some(),
            },
            input.invite.as_ref(),
        )
        .await?;
    tracing::info!(user_id = %user.id, owner = user.is_owner, "account registered");
    issue_session(state, user, client).await
}

pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    client: &ClientInfo,
) -> ApiResult<IssuedSession> {
    // A name that cannot exist still goes through the same throttle and dummy hash, so the answer and its
    // timing do not tell which names are registered.
    let parsed = Username::parse(username).ok();
    let account_key = parsed
        .as_ref()
        .map(Username::canonical)
        .unwrap_or_else(|| username.to_lowercase());
    if let Some(retry_after) = state.login_throttle.check(&account_key, client.ip) {
        return Err(ApiError::LoginLocked { retry_after });
    }
    let user = match &parsed {
        Some(name) => state.store.user_by_username(name).await?,
        None => None,
    };
    let usable = user.as_ref().filter(|u| !u.disabled);
    let stored_hash = usable.and_then(|u| u.password_hash.as_deref());
    let password_ok = password.chars().count() <= hearth_core::secret::PASSWORD_MAX_CHARS
        && state.passwords.verify(stored_hash, password).await?;
    match usable {
        Some(user) if password_ok => {
            state.login_throttle.record_success(&account_key);
            let user = user.clone();
            issue_session(state, user, client).await
        }
        _ => {
            state.login_throttle.record_failure(&account_key, client.ip);
            Err(ApiError::InvalidCredentials)
        }
    }
}

async fn issue_session(
    state: &AppState,
    user: UserRecord,
    client: &ClientInfo,
) -> ApiResult<IssuedSession> {
    let token = tokens::generate();
    let token_hash = tokens::hash(&token)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("fresh token did not hash")))?;
    let session = state
        .store
        .create_session(&NewSession {
            id: state.next_id(),
            user_id: user.id,
            token_hash,
            ip: Some(client.ip.to_string()),
            client: client
                .user_agent
                .as_ref()
                .map(|ua| ua.chars().take(CLIENT_DESCRIPTION_MAX_CHARS).collect()),
            now_ms: now_ms(),
        })
        .await?;
    Ok(IssuedSession {
        token,
        user,
        session,
    })
}

/// Changes the password after checking the current one; every other session is revoked.
pub async fn change_password(
    state: &AppState,
    user: &UserRecord,
    current_session: Snowflake,
    current_password: &str,
    new_password: Password,
    ip: IpAddr,
) -> ApiResult<u64> {
    let account_key = user.username.canonical();
    if let Some(retry_after) = state.login_throttle.check(&account_key, ip) {
        return Err(ApiError::LoginLocked { retry_after });
    }
    if !state
        .passwords
        .verify(user.password_hash.as_deref(), current_password)
        .await?
    {
        // A stolen session must not be able to guess the password at leisure.
        state.login_throttle.record_failure(&account_key, ip);
        return Err(ApiError::field("current_password", "is not correct"));
    }
    let hash = state.passwords.hash(&new_password).await?;
    let revoked = state
        .store
        .set_password(user.id, &hash, Some(current_session), now_ms())
        .await?;
    tracing::info!(user_id = %user.id, revoked, "password changed");
    Ok(revoked)
}

/// Parsed profile changes.
pub struct ProfileChanges {
    pub global_name: Option<Option<DisplayName>>,
    pub bio: Option<Bio>,
    pub pronouns: Option<Pronouns>,
}

pub async fn update_profile(
    state: &AppState,
    user: &UserRecord,
    changes: ProfileChanges,
) -> ApiResult<UserRecord> {
    let update = ProfileUpdate {
        global_name: changes.global_name.map(|n| n.map(DisplayName::into_string)),
        bio: changes.bio.map(Bio::into_string),
        pronouns: changes.pronouns.map(Pronouns::into_string),
    };
    Ok(state
        .store
        .update_profile(user.id, &update, now_ms())
        .await?)
}
