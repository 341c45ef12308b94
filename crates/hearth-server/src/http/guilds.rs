//! `/guilds` and `/users/@me/guilds`: creating, viewing, editing, transferring, leaving and deleting
//! guilds.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use hearth_core::{
    AuditAction, Bitrate, ExplicitContentFilter, GuildDescription, GuildName, NotificationLevel,
    Permissions, Subject, VerificationLevel,
};
use hearth_protocol::error::ErrorBody;
use hearth_protocol::events::{Event, GuildDeleted, GuildMemberRemoved};
use hearth_protocol::guilds::{CreateGuild, Guild, UpdateGuild, UserGuild};
use hearth_store::{GuildRecord, GuildUpdate, NewAuditEntry, NewGuild};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, AuditReason, Authenticated, parse_id};
use super::views;
use crate::bus::Audience;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::gateway::snapshot::gateway_guild_from;
use crate::services::access::GuildAccess;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_guild))
        .routes(routes!(my_guilds))
        .routes(routes!(leave_guild))
        .routes(routes!(get_guild, update_guild, delete_guild))
}

/// The full guild object as members see it.
pub async fn guild_view(state: &AppState, access: &GuildAccess) -> ApiResult<Guild> {
    let count = state.store.member_count(access.guild_id()).await?;
    Ok(views::guild(access.guild(), &access.context.roles, count))
}

/// Create a guild; the creator becomes its owner. It starts with an @everyone role (whose id is the
/// guild's), a `general` text channel (the system channel) and a `General` voice channel.
#[utoipa::path(post, path = "/guilds", tag = "guilds", security(("bearer" = [])), request_body = CreateGuild,
    responses((status = 201, body = Guild), (status = 400, description = "VALIDATION_FAILED, LIMIT_REACHED", body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn create_guild(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(body): ApiJson<CreateGuild>,
) -> ApiResult<impl IntoResponse> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", GuildName::parse(&body.name));
    let description = match body.description.as_deref() {
        Some(raw) => errors.check("description", GuildDescription::parse(raw)),
        None => GuildDescription::parse("").ok(),
    };
    let verification = body
        .verification_level
        .map(|v| errors.check("verification_level", VerificationLevel::from_wire(v)));
    let notifications = body.default_message_notifications.map(|v| {
        errors.check(
            "default_message_notifications",
            NotificationLevel::from_wire(v),
        )
    });
    let filter = body.explicit_content_filter.map(|v| {
        errors.check(
            "explicit_content_filter",
            ExplicitContentFilter::from_wire(v),
        )
    });
    errors.finish()?;
    let (Some(name), Some(description)) = (name, description) else {
        return Err(ApiError::field("name", "is required"));
    };
    let id = state.next_id();
    let new = NewGuild {
        id,
        name: name.into_string(),
        description: description.into_string(),
        owner_id: auth.user.id,
        everyone_permissions: Permissions::DEFAULT_EVERYONE,
        text_channel_id: state.next_id(),
        voice_channel_id: state.next_id(),
        voice_bitrate: Bitrate::DEFAULT.bps(),
        default_message_notifications: i64::from(
            notifications.flatten().unwrap_or_default().as_wire(),
        ),
        verification_level: i64::from(verification.flatten().unwrap_or_default().as_wire()),
        explicit_content_filter: i64::from(filter.flatten().unwrap_or_default().as_wire()),
        now_ms: now_ms(),
        max_guilds_per_user: state.config.limits.guilds_per_user,
    };
    state.store.create_guild(&new).await?;
    let access = GuildAccess::load(&state, &auth.user, id).await?;
    let guild = guild_view(&state, &access).await?;
    let seen = gateway_guild_from(&state, &access, guild.clone()).await?;
    state.bus.publish(
        Audience::User(auth.user.id),
        &Event::GuildCreate(Box::new(seen)),
    );
    Ok((StatusCode::CREATED, axum::Json(guild)))
}

/// The guilds the signed-in user belongs to, with their permissions in each.
#[utoipa::path(get, path = "/users/@me/guilds", tag = "guilds", security(("bearer" = [])),
    responses((status = 200, body = Vec<UserGuild>), (status = 401, body = ErrorBody)))]
async fn my_guilds(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<axum::Json<Vec<UserGuild>>> {
    let now = now_ms();
    let guilds = state.store.guilds_of_user(auth.user.id).await?;
    Ok(axum::Json(
        guilds
            .iter()
            .map(|g| {
                let is_owner = g.guild.owner_id == auth.user.id;
                let permissions = Subject {
                    guild_id: g.guild.id,
                    user_id: auth.user.id,
                    is_owner,
                    is_timed_out: g.communication_disabled_until.is_some_and(|t| t > now),
                    everyone: g.everyone,
                    roles: &g.member_roles,
                }
                .guild_permissions();
                UserGuild {
                    id: g.guild.id.to_string(),
                    name: g.guild.name.clone(),
                    icon: None,
                    owner: is_owner,
                    permissions: permissions.to_string(),
                    features: Vec::new(),
                }
            })
            .collect(),
    ))
}

/// Leave a guild. The owner cannot leave (transfer ownership or delete the guild instead).
#[utoipa::path(delete, path = "/users/@me/guilds/{guild_id}", tag = "guilds", security(("bearer" = [])),
    params(("guild_id" = String, Path)),
    responses((status = 204), (status = 400, description = "OWNER_CANNOT_LEAVE", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn leave_guild(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
) -> ApiResult<StatusCode> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    if access.is_owner() {
        return Err(ApiError::OwnerCannotLeave);
    }
    if state
        .store
        .remove_member(access.guild_id(), auth.user.id)
        .await?
    {
        publish_member_gone(&state, &access, &auth.user);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// GUILD_MEMBER_REMOVE to the guild, GUILD_DELETE to the user who is no longer in it.
pub fn publish_member_gone(
    state: &AppState,
    access: &GuildAccess,
    user: &hearth_store::UserRecord,
) {
    state.bus.publish(
        Audience::Guild(access.guild_id()),
        &Event::GuildMemberRemove(GuildMemberRemoved {
            guild_id: access.guild_id().to_string(),
            user: views::user(user),
        }),
    );
    state.bus.publish(
        Audience::User(user.id),
        &Event::GuildDelete(GuildDeleted {
            id: access.guild_id().to_string(),
            unavailable: false,
        }),
    );
}

/// A guild the signed-in user is a member of.
#[utoipa::path(get, path = "/guilds/{guild_id}", tag = "guilds", security(("bearer" = [])),
    params(("guild_id" = String, Path)),
    responses((status = 200, body = Guild), (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn get_guild(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
) -> ApiResult<axum::Json<Guild>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    Ok(axum::Json(guild_view(&state, &access).await?))
}

/// Edit a guild (MANAGE_GUILD). `owner_id` transfers ownership and only the owner may send it.
#[utoipa::path(patch, path = "/guilds/{guild_id}", tag = "guilds", security(("bearer" = [])),
    params(("guild_id" = String, Path)), request_body = UpdateGuild,
    responses((status = 200, body = Guild), (status = 400, body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS, OWNER_ONLY", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn update_guild(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
    AuditReason(reason): AuditReason,
    ApiJson(body): ApiJson<UpdateGuild>,
) -> ApiResult<axum::Json<Guild>> {
    crate::media::refuse_image_upload("icon", &body.icon)?;
    crate::media::refuse_image_upload("banner", &body.banner)?;
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    // Ownership is the owner's alone, whatever else they hold; everything else needs MANAGE_GUILD.
    if body.owner_id.is_some() {
        access.require_owner()?;
    }
    access.require(Permissions::MANAGE_GUILD)?;
    let mut errors = FieldErrors::default();
    let update = GuildUpdate {
        name: body
            .name
            .and_then(|raw| errors.check("name", GuildName::parse(&raw)))
            .map(GuildName::into_string),
        description: body
            .description
            .and_then(|raw| errors.check("description", GuildDescription::parse(&raw)))
            .map(GuildDescription::into_string),
        system_channel_id: match body.system_channel_id {
            Some(Some(raw)) => errors
                .check("system_channel_id", raw.parse::<hearth_core::Snowflake>())
                .map(Some),
            Some(None) => Some(None),
            None => None,
        },
        default_message_notifications: body
            .default_message_notifications
            .and_then(|v| {
                errors.check(
                    "default_message_notifications",
                    NotificationLevel::from_wire(v),
                )
            })
            .map(|v| i64::from(v.as_wire())),
        verification_level: body
            .verification_level
            .and_then(|v| errors.check("verification_level", VerificationLevel::from_wire(v)))
            .map(|v| i64::from(v.as_wire())),
        explicit_content_filter: body
            .explicit_content_filter
            .and_then(|v| {
                errors.check(
                    "explicit_content_filter",
                    ExplicitContentFilter::from_wire(v),
                )
            })
            .map(|v| i64::from(v.as_wire())),
        owner_id: body
            .owner_id
            .and_then(|raw| errors.check("owner_id", raw.parse::<hearth_core::Snowflake>())),
    };
    errors.finish()?;
    let audit = guild_update_entry(
        access.audit(&state, AuditAction::GuildUpdate, reason),
        access.guild(),
        &update,
    );
    let guild = state
        .store
        .update_guild(access.guild_id(), &update, now_ms(), &audit)
        .await?;
    let count = state.store.member_count(guild.id).await?;
    let view = views::guild(&guild, &access.context.roles, count);
    state
        .bus
        .publish(Audience::Guild(guild.id), &Event::GuildUpdate(view.clone()));
    Ok(axum::Json(view))
}

/// GUILD_UPDATE: every field the update changes, from the guild as loaded for this request. An
/// empty description is recorded as absent, as Discord has none.
fn guild_update_entry(
    entry: NewAuditEntry,
    before: &GuildRecord,
    update: &GuildUpdate,
) -> NewAuditEntry {
    let description = |d: &str| Some(d.to_owned()).filter(|d| !d.is_empty());
    let id = |id: Option<hearth_core::Snowflake>| id.map(|id| id.to_string());
    entry
        .target(before.id)
        .change(
            "name",
            &before.name,
            update.name.as_ref().unwrap_or(&before.name),
        )
        .change(
            "description",
            description(&before.description),
            description(update.description.as_ref().unwrap_or(&before.description)),
        )
        .change(
            "system_channel_id",
            id(before.system_channel_id),
            id(update.system_channel_id.unwrap_or(before.system_channel_id)),
        )
        .change(
            "default_message_notifications",
            before.default_message_notifications,
            update
                .default_message_notifications
                .unwrap_or(before.default_message_notifications),
        )
        .change(
            "verification_level",
            before.verification_level,
            update
                .verification_level
                .unwrap_or(before.verification_level),
        )
        .change(
            "explicit_content_filter",
            before.explicit_content_filter,
            update
                .explicit_content_filter
                .unwrap_or(before.explicit_content_filter),
        )
        .change(
            "owner_id",
            id(Some(before.owner_id)),
            id(Some(update.owner_id.unwrap_or(before.owner_id))),
        )
}

/// Delete a guild and everything in it (owner only).
#[utoipa::path(delete, path = "/guilds/{guild_id}", tag = "guilds", security(("bearer" = [])),
    params(("guild_id" = String, Path)),
    responses((status = 204), (status = 403, description = "OWNER_ONLY", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn delete_guild(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
) -> ApiResult<StatusCode> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require_owner()?;
    if state.store.delete_guild(access.guild_id()).await? {
        state.bus.publish(
            Audience::Guild(access.guild_id()),
            &Event::GuildDelete(GuildDeleted {
                id: access.guild_id().to_string(),
                unavailable: false,
            }),
        );
    }
    Ok(StatusCode::NO_CONTENT)
}
