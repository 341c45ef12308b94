//! `/auth`: register, log in, log out, change password.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use hearth_core::{InviteCode, Password, Username};
use hearth_protocol::auth::{
    AuthResponse, ChangePasswordRequest, LoginRequest, RegisterRequest, RevokedSessions,
};
use hearth_protocol::error::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, Authenticated, ClientIp, SignInLimit};
use super::views;
use crate::bus::Revoked;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::services::accounts::{self, ClientInfo, IssuedSession, Registration};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(change_password))
}

fn client_info(ip: ClientIp, headers: &HeaderMap) -> ClientInfo {
    ClientInfo {
        ip: ip.0,
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    }
}

fn issued(issued: IssuedSession) -> AuthResponse {
    AuthResponse {
        token: issued.token,
        user: views::current_user(&issued.user),
    }
}

/// Parses every field and reports all problems at once.
fn parse_registration(body: RegisterRequest) -> ApiResult<Registration> {
    let mut errors = FieldErrors::default();
    let username = errors.check("username", Username::parse(&body.username));
    let password = errors.check("password", Password::parse(&body.password));
    let (Some(username), Some(password)) = (username, password) else {
        return Err(errors.into_error());
    };
    let invite = match body
        .invite
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        // An unparseable code is reported like an unknown one: both are simply not a valid invite.
        Some(raw) => Some(InviteCode::parse(raw).map_err(|_| ApiError::InviteInvalid)?),
        None => None,
    };
    Ok(Registration {
        username,
        password,
        invite,
        accept_terms: body.accept_terms,
    })
}

/// Create an account and sign in. The first account on an empty instance becomes its owner.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterRequest,
    responses(
        (status = 201, description = "Account created and signed in", body = AuthResponse),
        (status = 400, description = "Invalid fields or JSON; `accept_terms` missing when the instance has terms", body = ErrorBody),
        (status = 403, description = "REGISTRATION_CLOSED, INVITE_REQUIRED or INVALID_INVITE", body = ErrorBody),
        (status = 409, description = "USERNAME_TAKEN", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
async fn register(
    _limit: SignInLimit,
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RegisterRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = parse_registration(body)?;
    let session = accounts::register(&state, input, &client_info(ip, &headers)).await?;
    Ok((StatusCode::CREATED, axum::Json(issued(session))))
}

/// Sign in with username and password. Unknown usernames and wrong passwords get the same answer.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = AuthResponse),
        (status = 400, body = ErrorBody),
        (status = 401, description = "INVALID_CREDENTIALS", body = ErrorBody),
        (status = 429, description = "RATE_LIMITED or TOO_MANY_LOGIN_ATTEMPTS, with Retry-After", body = ErrorBody),
    ))]
async fn login(
    _limit: SignInLimit,
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginRequest>,
) -> ApiResult<axum::Json<AuthResponse>> {
    let session = accounts::login(
        &state,
        &body.username,
        &body.password,
        &client_info(ip, &headers),
    )
    .await?;
    Ok(axum::Json(issued(session)))
}

/// Revoke the session making this request.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "Signed out"), (status = 401, body = ErrorBody)))]
async fn logout(State(state): State<AppState>, auth: Authenticated) -> ApiResult<StatusCode> {
    state
        .store
        .delete_session(auth.user.id, auth.session.id)
        .await?;
    state
        .bus
        .disconnect(auth.user.id, Revoked::Session(auth.session.id));
    Ok(StatusCode::NO_CONTENT)
}

/// Change the password; every other session is signed out.
#[utoipa::path(post, path = "/auth/password", tag = "auth", security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 200, description = "Changed; the count of other sessions revoked", body = RevokedSessions),
        (status = 400, description = "Wrong current password or invalid new one", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 429, body = ErrorBody),
    ))]
async fn change_password(
    State(state): State<AppState>,
    auth: Authenticated,
    ip: ClientIp,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> ApiResult<axum::Json<RevokedSessions>> {
    let new_password =
        Password::parse(&body.new_password).map_err(|e| ApiError::field("new_password", e))?;
    let revoked = accounts::change_password(
        &state,
        &auth.user,
        auth.session.id,
        &body.current_password,
        new_password,
        ip.0,
    )
    .await?;
    state
        .bus
        .disconnect(auth.user.id, Revoked::AllBut(auth.session.id));
    Ok(axum::Json(RevokedSessions { revoked }))
}
