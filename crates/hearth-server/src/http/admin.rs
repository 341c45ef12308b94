//! `/admin`: instance administration (invites, registration mode), for instance admins only.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use hearth_core::{InviteLimits, RegistrationMode};
use hearth_protocol::admin::{
    self as wire, CreateInstanceInvite, InstanceInvite, InstanceSettings, UpdateInstanceSettings,
};
use hearth_protocol::error::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{Admin, ApiJson};
use super::views;
use crate::error::{ApiError, ApiResult, Entity};
use crate::services::invites;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_invite, list_invites))
        .routes(routes!(delete_invite))
        .routes(routes!(get_settings, update_settings))
}

/// Create an instance invite code for registration.
#[utoipa::path(post, path = "/admin/invites", tag = "admin", security(("bearer" = [])), request_body = CreateInstanceInvite,
    responses((status = 201, body = InstanceInvite), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, description = "ADMIN_REQUIRED", body = ErrorBody)))]
async fn create_invite(
    State(state): State<AppState>,
    Admin(auth): Admin,
    ApiJson(body): ApiJson<CreateInstanceInvite>,
) -> ApiResult<impl IntoResponse> {
    let limits =
        InviteLimits::parse(body.max_uses, None).map_err(|e| ApiError::field("max_uses", e))?;
    let age = InviteLimits::parse(None, body.max_age).map_err(|e| ApiError::field("max_age", e))?;
    let limits = InviteLimits {
        max_age_secs: age.max_age_secs,
        ..limits
    };
    let invite = invites::create(&state.store, Some(auth.user.id), limits).await?;
    Ok((StatusCode::CREATED, axum::Json(views::invite(&invite))))
}

/// Every instance invite, newest first.
#[utoipa::path(get, path = "/admin/invites", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<InstanceInvite>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_invites(
    State(state): State<AppState>,
    _admin: Admin,
) -> ApiResult<axum::Json<Vec<InstanceInvite>>> {
    Ok(axum::Json(
        state
            .store
            .list_invites()
            .await?
            .iter()
            .map(views::invite)
            .collect(),
    ))
}

/// Delete an invite; it stops working at once.
#[utoipa::path(delete, path = "/admin/invites/{code}", tag = "admin", security(("bearer" = [])),
    params(("code" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_INVITE", body = ErrorBody)))]
async fn delete_invite(
    State(state): State<AppState>,
    _admin: Admin,
    Path(code): Path<String>,
) -> ApiResult<StatusCode> {
    if code.len() <= 64 && state.store.delete_invite(&code).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(Entity::Invite))
    }
}

fn to_wire(mode: RegistrationMode) -> wire::RegistrationMode {
    match mode {
        RegistrationMode::Open => wire::RegistrationMode::Open,
        RegistrationMode::Invite => wire::RegistrationMode::Invite,
        RegistrationMode::Closed => wire::RegistrationMode::Closed,
    }
}

/// Instance settings.
#[utoipa::path(get, path = "/admin/settings", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = InstanceSettings), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn get_settings(
    State(state): State<AppState>,
    _admin: Admin,
) -> ApiResult<axum::Json<InstanceSettings>> {
    Ok(axum::Json(InstanceSettings {
        registration_mode: to_wire(state.store.registration_mode().await?),
    }))
}

/// Change instance settings.
#[utoipa::path(patch, path = "/admin/settings", tag = "admin", security(("bearer" = [])), request_body = UpdateInstanceSettings,
    responses((status = 200, body = InstanceSettings), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
async fn update_settings(
    State(state): State<AppState>,
    Admin(auth): Admin,
    ApiJson(body): ApiJson<UpdateInstanceSettings>,
) -> ApiResult<axum::Json<InstanceSettings>> {
    if let Some(mode) = body.registration_mode {
        let mode = match mode {
            wire::RegistrationMode::Open => RegistrationMode::Open,
            wire::RegistrationMode::Invite => RegistrationMode::Invite,
            wire::RegistrationMode::Closed => RegistrationMode::Closed,
        };
        state.store.set_registration_mode(mode).await?;
        tracing::info!(admin_id = %auth.user.id, mode = mode.as_str(), "registration mode changed");
    }
    Ok(axum::Json(InstanceSettings {
        registration_mode: to_wire(state.store.registration_mode().await?),
    }))
}
