//! `/admin`: instance administration, for instance admins only (the [`Admin`] extractor: 401 without
//! a live session, 403 `ADMIN_REQUIRED` for everyone else). This module holds instance invites and
//! settings; `admin/users.rs` the accounts, `admin/announcements.rs` the announcements and
//! `admin/audit_log.rs` the instance audit log, which every change here is recorded in, inside the
//! change's own transaction.

mod announcements;
mod audit_log;
mod users;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use hearth_core::instance::{
    DEFAULT_INSTANCE_NAME, InstanceAuditAction, InstanceDescription, InstanceDocument, InstanceName,
};
use hearth_core::{InviteLimits, RegistrationMode};
use hearth_protocol::admin::{
    self as wire, CreateInstanceInvite, InstanceInvite, InstanceSettings, UpdateInstanceSettings,
};
use hearth_protocol::error::ErrorBody;
use hearth_store::{InstanceSettingsRecord, NewInstanceAuditEntry, SettingsUpdate};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(crate) use announcements::announcement_view;

use super::extract::{Admin, ApiJson, AuditReason, Authenticated};
use super::views;
use crate::error::{ApiError, ApiResult, Entity, FieldErrors};
use crate::services::invites;
use crate::state::AppState;

/// Longest invite code looked up; longer ones cannot exist.
const INVITE_CODE_MAX_BYTES: usize = 64;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_invite, list_invites))
        .routes(routes!(delete_invite))
        .routes(routes!(get_settings, update_settings))
        .merge(users::routes())
        .merge(announcements::routes())
        .merge(audit_log::routes())
}

/// An instance audit entry for an action the signed-in admin takes now, with the request's
/// `X-Audit-Log-Reason`.
fn audit_entry(
    state: &AppState,
    admin: &Authenticated,
    action: InstanceAuditAction,
    reason: Option<String>,
) -> NewInstanceAuditEntry {
    NewInstanceAuditEntry::new(state.next_id(), Some(admin.user.id), action).reason(reason)
}

/// Create an instance invite code for registration.
#[utoipa::path(post, path = "/admin/invites", tag = "admin", security(("bearer" = [])), request_body = CreateInstanceInvite,
    params(("X-Audit-Log-Reason" = Option<String>, Header, description = "Recorded in the instance audit log")),
    responses((status = 201, body = InstanceInvite), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, description = "ADMIN_REQUIRED", body = ErrorBody)))]
async fn create_invite(
    State(state): State<AppState>,
    Admin(auth): Admin,
    AuditReason(reason): AuditReason,
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
    let entry = audit_entry(&state, &auth, InstanceAuditAction::InviteCreate, reason);
    let invite = invites::create(&state.store, Some(auth.user.id), limits, entry).await?;
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
    params(("code" = String, Path),
        ("X-Audit-Log-Reason" = Option<String>, Header, description = "Recorded in the instance audit log")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_INVITE", body = ErrorBody)))]
async fn delete_invite(
    State(state): State<AppState>,
    Admin(auth): Admin,
    AuditReason(reason): AuditReason,
    Path(code): Path<String>,
) -> ApiResult<StatusCode> {
    if code.len() > INVITE_CODE_MAX_BYTES {
        return Err(ApiError::NotFound(Entity::Invite));
    }
    let entry = audit_entry(&state, &auth, InstanceAuditAction::InviteDelete, reason).change(
        "code",
        code.as_str(),
        None::<&str>,
    );
    if state.store.delete_invite(&code, &entry).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(Entity::Invite))
    }
}

pub(crate) fn to_wire(mode: RegistrationMode) -> wire::RegistrationMode {
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

/// The instance's name as shown: the one set, or the default.
pub(crate) fn instance_name(settings: &InstanceSettingsRecord) -> String {
    settings
        .name
        .clone()
        .unwrap_or_else(|| DEFAULT_INSTANCE_NAME.to_owned())
}

fn settings_view(settings: &InstanceSettingsRecord) -> InstanceSettings {
    InstanceSettings {
        registration_mode: to_wire(settings.registration_mode),
        name: instance_name(settings),
        description: settings.description.clone(),
        terms: settings.terms.clone(),
        privacy: settings.privacy.clone(),
    }
}

/// Instance settings: registration mode and the public profile.
#[utoipa::path(get, path = "/admin/settings", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = InstanceSettings), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn get_settings(
    State(state): State<AppState>,
    _admin: Admin,
) -> ApiResult<axum::Json<InstanceSettings>> {
    Ok(axum::Json(settings_view(
        &state.store.instance_settings().await?,
    )))
}

/// Change instance settings. Every field is validated before anything is written; a change is
/// recorded in the instance audit log (`settings.update`, one change per field that differs).
#[utoipa::path(patch, path = "/admin/settings", tag = "admin", security(("bearer" = [])), request_body = UpdateInstanceSettings,
    params(("X-Audit-Log-Reason" = Option<String>, Header, description = "Recorded in the instance audit log")),
    responses((status = 200, body = InstanceSettings), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
async fn update_settings(
    State(state): State<AppState>,
    Admin(auth): Admin,
    AuditReason(reason): AuditReason,
    ApiJson(body): ApiJson<UpdateInstanceSettings>,
) -> ApiResult<axum::Json<InstanceSettings>> {
    let mut errors = FieldErrors::default();
    let name =
        (body.name.as_deref()).and_then(|raw| errors.check("name", InstanceName::parse(raw)));
    let description = (body.description.as_deref())
        .and_then(|raw| errors.check("description", InstanceDescription::parse(raw)));
    let terms =
        (body.terms.as_deref()).and_then(|raw| errors.check("terms", InstanceDocument::parse(raw)));
    let privacy = (body.privacy.as_deref())
        .and_then(|raw| errors.check("privacy", InstanceDocument::parse(raw)));
    errors.finish()?;
    let update = SettingsUpdate {
        registration_mode: body.registration_mode.map(from_wire),
        name,
        description,
        terms,
        privacy,
    };
    let entry = audit_entry(&state, &auth, InstanceAuditAction::SettingsUpdate, reason);
    let settings = state
        .store
        .update_instance_settings(&update, &entry)
        .await?;
    tracing::info!(admin_id = %auth.user.id, "instance settings changed");
    Ok(axum::Json(settings_view(&settings)))
}
