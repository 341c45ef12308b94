//! `/auth/sessions`: the signed-in user's sessions, listed and revoked.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_protocol::auth::{RevokedSessions, Session};
use hearth_protocol::error::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{Authenticated, parse_id};
use super::views;
use crate::bus::Revoked;
use crate::error::{ApiError, ApiResult, Entity};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sessions))
        .routes(routes!(revoke_session))
        .routes(routes!(revoke_other_sessions))
}

/// Every session of the signed-in user, oldest first; `current` marks this one.
#[utoipa::path(get, path = "/auth/sessions", tag = "sessions", security(("bearer" = [])),
    responses((status = 200, body = Vec<Session>), (status = 401, body = ErrorBody)))]
async fn list_sessions(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<axum::Json<Vec<Session>>> {
    let sessions = state.store.list_sessions(auth.user.id).await?;
    Ok(axum::Json(
        sessions
            .iter()
            .map(|s| views::session(s, auth.session.id))
            .collect(),
    ))
}

/// Revoke one of your sessions (its token stops working at once).
#[utoipa::path(delete, path = "/auth/sessions/{session_id}", tag = "sessions", security(("bearer" = [])),
    params(("session_id" = String, Path, description = "Snowflake id")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, description = "UNKNOWN_SESSION (including other users' sessions)", body = ErrorBody)))]
async fn revoke_session(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(session_id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = parse_id("session_id", &session_id)?;
    if state.store.delete_session(auth.user.id, id).await? {
        state.bus.disconnect(auth.user.id, Revoked::Session(id));
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(Entity::Session))
    }
}

/// Revoke every session except the one making this request.
#[utoipa::path(post, path = "/auth/sessions/revoke-others", tag = "sessions", security(("bearer" = [])),
    responses((status = 200, body = RevokedSessions), (status = 401, body = ErrorBody)))]
async fn revoke_other_sessions(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<axum::Json<RevokedSessions>> {
    let revoked = state
        .store
        .delete_other_sessions(auth.user.id, auth.session.id)
        .await?;
    state
        .bus
        .disconnect(auth.user.id, Revoked::AllBut(auth.session.id));
    Ok(axum::Json(RevokedSessions { revoked }))
}
