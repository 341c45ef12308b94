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
use crate::error::{ApiError, ApiResult, Entity, FieldErrors};
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
    let mut errors = FieldErrors::default();
    let max_uses = errors.check("max_uses", InviteLimits::parse_max_uses(body.max_uses));
    let max_age_secs = errors.check("max_age", InviteLimits::parse_max_age(body.max_age));
    errors.finish()?;
    let limits = InviteLimits {
        max_uses: max_uses.flatten(),
        max_age_secs: max_age_secs.flatten(),
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

fn from_wire(mode: wire::RegistrationMode) -> RegistrationMode {
    match mode {
        wire::RegistrationMode::Open => RegistrationMode::Open,
        wire::RegistrationMode::Invite => RegistrationMode::Invite,
        wire::RegistrationMode::Closed => RegistrationMode::Closed,
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
    let mode = match body.registration_mode {
        Some(wanted) => {
            let mode = from_wire(wanted);
            state.store.set_registration_mode(mode).await?;
            tracing::info!(admin_id = %auth.user.id, mode = mode.as_str(), "registration mode changed");
            mode
        }
        None => state.store.registration_mode().await?,
    };
    Ok(axum::Json(InstanceSettings {
        registration_mode: to_wire(mode),
    }))
}
