//! `/users`: the signed-in user's own account and other users' public profiles.

use axum::extract::{Path, State};
use hearth_core::{Bio, DisplayName, Pronouns};
use hearth_protocol::error::ErrorBody;
use hearth_protocol::users::{CurrentUser, UpdateCurrentUser, User};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, Authenticated, parse_id};
use super::views;
use crate::error::{ApiError, ApiResult, Entity, FieldErrors};
use crate::services::accounts::{self, ProfileChanges};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_me, update_me))
        .routes(routes!(get_user))
}

/// The signed-in user.
#[utoipa::path(get, path = "/users/@me", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = CurrentUser), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn get_me(auth: Authenticated) -> axum::Json<CurrentUser> {
    axum::Json(views::current_user(&auth.user))
}

/// Edit display name (`global_name`), bio and pronouns.
#[utoipa::path(patch, path = "/users/@me", tag = "users", security(("bearer" = [])), request_body = UpdateCurrentUser,
    responses((status = 200, body = CurrentUser), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn update_me(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(body): ApiJson<UpdateCurrentUser>,
) -> ApiResult<axum::Json<CurrentUser>> {
    crate::media::refuse_image_upload("avatar", &body.avatar)?;
    crate::media::refuse_image_upload("banner", &body.banner)?;
    let mut errors = FieldErrors::default();
    let global_name = match body.global_name {
        // An empty name clears it, like null.
        Some(Some(raw)) if raw.trim().is_empty() => Some(None),
        Some(Some(raw)) => errors
            .check("global_name", DisplayName::parse(&raw))
            .map(Some),
        Some(None) => Some(None),
        None => None,
    };
    let bio = body
        .bio
        .and_then(|raw| errors.check("bio", Bio::parse(&raw)));
    let pronouns = body
        .pronouns
        .and_then(|raw| errors.check("pronouns", Pronouns::parse(&raw)));
    errors.finish()?;
    let user = accounts::update_profile(
        &state,
        &auth.user,
        ProfileChanges {
            global_name,
            bio,
            pronouns,
        },
    )
    .await?;
    Ok(axum::Json(views::current_user(&user)))
}

/// A user's public profile.
#[utoipa::path(get, path = "/users/{user_id}", tag = "users", security(("bearer" = [])),
    params(("user_id" = String, Path, description = "Snowflake id")),
    responses((status = 200, body = User), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, description = "UNKNOWN_USER", body = ErrorBody)))]
async fn get_user(
    State(state): State<AppState>,
    _auth: Authenticated,
    Path(user_id): Path<String>,
) -> ApiResult<axum::Json<User>> {
    let id = parse_id("user_id", &user_id)?;
    let user = state
        .store
        .user_by_id(id)
        .await?
        .ok_or(ApiError::NotFound(Entity::User))?;
    Ok(axum::Json(views::user(&user)))
}
