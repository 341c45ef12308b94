//! `/instance` and `/announcements`: the instance as everyone sees it. The profile is public (a
//! registration screen shows the name, description, terms and privacy policy before anyone has an
//! account); the current announcements are for signed-in users.

use axum::extract::State;
use hearth_protocol::error::ErrorBody;
use hearth_protocol::instance::{Announcement, InstanceInfo};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::admin::{announcement_view, instance_name, to_wire};
use super::extract::Authenticated;
use crate::clock::now_ms;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(instance_info))
        .routes(routes!(current_announcements))
}

/// The instance's public profile and registration mode. No sign-in needed.
#[utoipa::path(get, path = "/instance", tag = "instance",
    responses((status = 200, body = InstanceInfo), (status = 429, body = ErrorBody)))]
async fn instance_info(State(state): State<AppState>) -> ApiResult<axum::Json<InstanceInfo>> {
    let settings = state.store.instance_settings().await?;
    Ok(axum::Json(InstanceInfo {
        name: instance_name(&settings),
        description: settings.description,
        terms: settings.terms,
        privacy: settings.privacy,
        registration_mode: to_wire(settings.registration_mode),
        media: hearth_protocol::instance::MediaLimits {
            max_file_bytes: state.config.media.max_file_bytes,
            max_files_per_message: state.config.media.max_files_per_message,
            max_image_bytes: state.config.media.max_image_bytes,
            max_emoji_bytes: state.config.media.max_emoji_bytes,
            max_emojis_per_guild: state.config.limits.emojis_per_guild,
        },
    }))
}

/// The announcements shown now (not expired), newest first; at most 25.
#[utoipa::path(get, path = "/announcements", tag = "instance", security(("bearer" = [])),
    responses((status = 200, body = Vec<Announcement>), (status = 401, body = ErrorBody)))]
async fn current_announcements(
    State(state): State<AppState>,
    _auth: Authenticated,
) -> ApiResult<axum::Json<Vec<Announcement>>> {
    let active = state.store.active_announcements(now_ms()).await?;
    Ok(axum::Json(active.iter().map(announcement_view).collect()))
}
