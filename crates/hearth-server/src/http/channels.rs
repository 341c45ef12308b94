//! Guild channels: listing, creating, moving, editing and deleting them, and their permission overwrites.

use std::collections::HashSet;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use hearth_core::channel::parse_position;
use hearth_core::{
    AuditAction, Bitrate, ChannelKind, ChannelName, ChannelTopic, Overwrite, OverwriteKind,
    Permissions, SlowMode, Snowflake, UserLimit,
};
use hearth_protocol::channels::{
    Channel, ChannelPosition, CreateChannel, PermissionOverwrite, PutOverwrite, UpdateChannel,
};
use hearth_protocol::error::ErrorBody;
use hearth_protocol::events::Event;
use hearth_store::{ChannelMove, ChannelRecord, ChannelUpdate, NewAuditEntry, NewChannel};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, AuditReason, Authenticated, parse_id};
use super::views;
use crate::bus::Audience;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult, Entity, FieldErrors};
use crate::services::access::{ChannelAccess, GuildAccess};
use crate::state::AppState;

/// At most this many entries in one bulk move.
const MAX_MOVES_PER_REQUEST: usize = 500;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_channels, create_channel, move_channels))
        .routes(routes!(get_channel, update_channel, delete_channel))
        .routes(routes!(put_overwrite, delete_overwrite))
}

fn publish_channel(state: &AppState, channel: &ChannelRecord, event: Event) {
    state.bus.publish(
        Audience::Channel {
            guild_id: channel.guild_id,
            channel_id: channel.id,
        },
        &event,
    );
}

/// Parses overwrites for a channel of `access`'s guild: known kinds, decimal bitfields without
/// ADMINISTRATOR (which only roles can carry), targets that exist in the guild, no duplicates, within
/// the configured count.
async fn parse_overwrites(
    state: &AppState,
    access: &GuildAccess,
    raw: &[PermissionOverwrite],
    errors: &mut FieldErrors,
) -> ApiResult<Vec<Overwrite>> {
    let field = "permission_overwrites";
    if raw.len() > state.config.limits.overwrites_per_channel as usize {
        return Err(ApiError::LimitReached("overwrites per channel"));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(raw.len());
    for (i, o) in raw.iter().enumerate() {
        let at = format!("{field}[{i}]");
        let Some(overwrite) = parse_overwrite(
            &at,
            &format!("{at}.id"),
            &o.id,
            o.kind,
            Some(&o.allow),
            Some(&o.deny),
            errors,
        ) else {
            continue;
        };
        if !seen.insert(overwrite.id) {
            errors.check::<(), _>(&format!("{at}.id"), Err("appears twice"));
            continue;
        }
        if !overwrite_target_exists(state, access, &overwrite).await? {
            errors.check::<(), _>(
                &format!("{at}.id"),
                Err("is not a role or member of this guild"),
            );
            continue;
        }
        out.push(overwrite);
    }
    Ok(out)
}

/// Parses one overwrite; `at` prefixes the field names (empty for the PUT body, whose id comes from the
/// path and is reported as `id_field`).
fn parse_overwrite(
    at: &str,
    id_field: &str,
    raw_id: &str,
    raw_kind: i64,
    allow: Option<&str>,
    deny: Option<&str>,
    errors: &mut FieldErrors,
) -> Option<Overwrite> {
    let field = |name: &str| {
        if at.is_empty() {
            name.to_owned()
        } else {
            format!("{at}.{name}")
        }
    };
    let id = errors.check(id_field, raw_id.parse::<Snowflake>());
    let kind = errors.check(&field("type"), OverwriteKind::from_wire(raw_kind));
    let mut bits = |name: &str, raw: Option<&str>| {
        let parsed = errors.check(&field(name), Permissions::parse(raw.unwrap_or("0")));
        match parsed {
            Some(p) if p.contains(Permissions::ADMINISTRATOR) => {
                errors.check::<(), _>(
                    &field(name),
                    Err("ADMINISTRATOR cannot be set in an overwrite"),
                );
                None
            }
            other => other,
        }
    };
    let allow = bits("allow", allow);
    let deny = bits("deny", deny);
    Some(Overwrite {
        id: id?,
        kind: kind?,
        allow: allow?,
        deny: deny?,
    })
}

async fn overwrite_target_exists(
    state: &AppState,
    access: &GuildAccess,
    o: &Overwrite,
) -> ApiResult<bool> {
    Ok(match o.kind {
        OverwriteKind::Role => access.role(o.id).is_ok(),
        OverwriteKind::Member => state.store.member(access.guild_id(), o.id).await?.is_some(),
    })
}

/// Hierarchy for overwrite changes: the actor must outrank a targeted role (other than @everyone) or
/// member (other than themselves) and hold every bit they add or remove.
async fn check_overwrite_change(
    state: &AppState,
    access: &GuildAccess,
    before: &[Overwrite],
    after: &[Overwrite],
) -> ApiResult<()> {
    let mut changed = Permissions::empty();
    let mut targets = Vec::new();
    for o in after {
        let old = before.iter().find(|b| b.id == o.id);
        let (old_allow, old_deny) = old.map_or((Permissions::empty(), Permissions::empty()), |b| {
            (b.allow, b.deny)
        });
        let delta = (old_allow ^ o.allow) | (old_deny ^ o.deny);
        if !delta.is_empty() {
            changed |= delta;
            targets.push(*o);
        }
    }
    for b in before {
        if !after.iter().any(|o| o.id == b.id) {
            changed |= b.allow | b.deny;
            targets.push(*b);
        }
    }
    access.require_can_grant(changed)?;
    for t in targets {
        match t.kind {
            OverwriteKind::Role if t.id != access.guild_id() => {
                access.require_outranks_role(access.role(t.id)?)?;
            }
            OverwriteKind::Member if t.id != access.user_id() => {
                if let Some(member) = state.store.member(access.guild_id(), t.id).await? {
                    access.require_outranks_member(&member)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn require_in_channel(held: Permissions, needed: Permissions) -> ApiResult<()> {
    if held.contains(needed) {
        Ok(())
    } else {
        Err(ApiError::MissingPermissions(needed.difference(held)))
    }
}

/// Ids in audit changes are strings, as everywhere on the wire.
fn id_value(id: Option<Snowflake>) -> Option<String> {
    id.map(|id| id.to_string())
}

/// What happened to one overwrite of a channel.
enum OverwriteChange<'a> {
    Created(&'a Overwrite),
    Updated {
        before: &'a Overwrite,
        after: &'a Overwrite,
    },
    Deleted(&'a Overwrite),
}

/// The audit entry for one overwrite change. As in Discord, the channel is the target and `options`
/// name the role or member (`type` "0" or "1").
fn overwrite_entry(
    state: &AppState,
    access: &GuildAccess,
    reason: &Option<String>,
    channel_id: Snowflake,
    change: OverwriteChange<'_>,
) -> NewAuditEntry {
    let (action, subject, before, after) = match change {
        OverwriteChange::Created(o) => (AuditAction::ChannelOverwriteCreate, o, None, Some(o)),
        OverwriteChange::Updated { before, after } => (
            AuditAction::ChannelOverwriteUpdate,
            after,
            Some(before),
            Some(after),
        ),
        OverwriteChange::Deleted(o) => (AuditAction::ChannelOverwriteDelete, o, Some(o), None),
    };
    let mut entry = access
        .audit(state, action, reason.clone())
        .target(channel_id)
        .option("id", subject.id.to_string())
        .option("type", subject.kind.as_wire().to_string());
    // An overwrite's id never changes, so it is only recorded when one appears or goes.
    if action != AuditAction::ChannelOverwriteUpdate {
        entry = entry.change(
            "id",
            before.map(|o| o.id.to_string()),
            after.map(|o| o.id.to_string()),
        );
    }
    entry
        .change(
            "type",
            before.map(|o| o.kind.as_wire()),
            after.map(|o| o.kind.as_wire()),
        )
        .change(
            "allow",
            before.map(|o| o.allow.to_string()),
            after.map(|o| o.allow.to_string()),
        )
        .change(
            "deny",
            before.map(|o| o.deny.to_string()),
            after.map(|o| o.deny.to_string()),
        )
}

/// One overwrite entry per overwrite that differs between `before` and `after` (a replacement of the
/// whole set, or a sync with the parent category).
fn overwrite_entries(
    state: &AppState,
    access: &GuildAccess,
    reason: &Option<String>,
    channel_id: Snowflake,
    before: &[Overwrite],
    after: &[Overwrite],
) -> Vec<NewAuditEntry> {
    let changed = after.iter().filter_map(|o| {
        let change = match before.iter().find(|b| b.id == o.id) {
            None => OverwriteChange::Created(o),
            Some(b) if b == o => return None,
            Some(b) => OverwriteChange::Updated {
                before: b,
                after: o,
            },
        };
        Some(overwrite_entry(state, access, reason, channel_id, change))
    });
    let removed = before
        .iter()
        .filter(|b| !after.iter().any(|o| o.id == b.id))
        .map(|b| {
            overwrite_entry(
                state,
                access,
                reason,
                channel_id,
                OverwriteChange::Deleted(b),
            )
        });
    changed.chain(removed).collect()
}

/// Type-specific fields, checked against the channel's kind.
struct KindFields {
    topic: Option<Option<String>>,
    rate_limit_per_user: Option<u32>,
    bitrate: Option<u32>,
    user_limit: Option<u32>,
}

#[allow(clippy::too_many_arguments)]
fn parse_kind_fields(
    kind: ChannelKind,
    topic: Option<Option<String>>,
    rate_limit: Option<i64>,
    bitrate: Option<i64>,
    user_limit: Option<i64>,
    errors: &mut FieldErrors,
) -> KindFields {
    let topic = match topic {
        Some(_) if !kind.is_text_like() => {
            errors.check::<(), _>(
                "topic",
                Err("only text, announcement and forum channels have a topic"),
            );
            None
        }
        Some(Some(raw)) if raw.trim().is_empty() => Some(None),
        Some(Some(raw)) => errors
            .check("topic", ChannelTopic::parse(kind, &raw))
            .map(|t| Some(t.into_string())),
        Some(None) => Some(None),
        None => None,
    };
    let rate_limit_per_user = match rate_limit {
        Some(_) if kind.is_category() => {
            errors.check::<(), _>("rate_limit_per_user", Err("categories have no slow mode"));
            None
        }
        Some(v) => errors
            .check("rate_limit_per_user", SlowMode::parse(v))
            .map(SlowMode::secs),
        None => None,
    };
    let bitrate = match bitrate {
        Some(_) if !kind.is_voice() => {
            errors.check::<(), _>("bitrate", Err("only voice channels have a bitrate"));
            None
        }
        Some(v) => errors.check("bitrate", Bitrate::parse(v)).map(Bitrate::bps),
        None => None,
    };
    let user_limit = match user_limit {
        Some(_) if !kind.is_voice() => {
            errors.check::<(), _>("user_limit", Err("only voice channels have a user limit"));
            None
        }
        Some(v) => errors
            .check("user_limit", UserLimit::parse(v))
            .map(|u| u.get().map_or(0, u32::from)),
        None => None,
    };
    KindFields {
        topic,
        rate_limit_per_user,
        bitrate,
        user_limit,
    }
}

/// The guild's channels the signed-in user can view, in position order.
#[utoipa::path(get, path = "/guilds/{guild_id}/channels", tag = "channels", security(("bearer" = [])),
    params(("guild_id" = String, Path)),
    responses((status = 200, body = Vec<Channel>), (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn list_channels(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
) -> ApiResult<axum::Json<Vec<Channel>>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    let channels = state.store.channels_of_guild(access.guild_id()).await?;
    Ok(axum::Json(
        channels
            .iter()
            .filter(|c| access.can_view(c))
            .map(views::channel)
            .collect(),
    ))
}

/// Create a channel (MANAGE_CHANNELS; MANAGE_ROLES as well when overwrites are given).
#[utoipa::path(post, path = "/guilds/{guild_id}/channels", tag = "channels", security(("bearer" = [])),
    params(("guild_id" = String, Path)), request_body = CreateChannel,
    responses((status = 201, body = Channel), (status = 400, description = "VALIDATION_FAILED, LIMIT_REACHED", body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS, ROLE_HIERARCHY", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn create_channel(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
    AuditReason(reason): AuditReason,
    ApiJson(body): ApiJson<CreateChannel>,
) -> ApiResult<impl IntoResponse> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::MANAGE_CHANNELS)?;
    let mut errors = FieldErrors::default();
    let kind = errors
        .check("type", ChannelKind::from_wire(body.kind.unwrap_or(0)))
        .unwrap_or(ChannelKind::Text);
    let name = errors.check("name", ChannelName::parse(kind, &body.name));
    let position = body
        .position
        .and_then(|p| errors.check("position", parse_position(p)));
    let parent_id = match body.parent_id {
        Some(_) if !kind.can_have_parent() => {
            errors.check::<(), _>("parent_id", Err("a category cannot be inside a category"));
            None
        }
        Some(raw) => errors.check("parent_id", raw.parse::<Snowflake>()),
        None => None,
    };
    let fields = parse_kind_fields(
        kind,
        body.topic.map(Some),
        body.rate_limit_per_user,
        body.bitrate,
        body.user_limit,
        &mut errors,
    );
    let overwrites = match &body.permission_overwrites {
        Some(raw) => {
            access.require(Permissions::MANAGE_ROLES)?;
            parse_overwrites(&state, &access, raw, &mut errors).await?
        }
        None => Vec::new(),
    };
    errors.finish()?;
    let Some(name) = name else {
        return Err(ApiError::field("name", "is required"));
    };
    check_overwrite_change(&state, &access, &[], &overwrites).await?;
    let new = NewChannel {
        id: state.next_id(),
        guild_id: access.guild_id(),
        kind,
        name: name.into_string(),
        topic: fields.topic.flatten(),
        position,
        parent_id,
        nsfw: body.nsfw.unwrap_or(false),
        rate_limit_per_user: fields.rate_limit_per_user.unwrap_or(0),
        bitrate: kind
            .is_voice()
            .then(|| fields.bitrate.unwrap_or(Bitrate::DEFAULT.bps())),
        user_limit: kind.is_voice().then(|| fields.user_limit.unwrap_or(0)),
        overwrites,
        now_ms: now_ms(),
        max_channels_per_guild: state.config.limits.channels_per_guild,
    };
    // Discord lists a new channel's fields as changes from nothing; its overwrites go in the same entry.
    let absent = None::<()>;
    let overwrites: Vec<PermissionOverwrite> =
        new.overwrites.iter().map(views::overwrite).collect();
    let audit = access
        .audit(&state, AuditAction::ChannelCreate, reason)
        .target(new.id)
        .change("name", absent, &new.name)
        .change("type", absent, new.kind.as_wire())
        .change("topic", absent, &new.topic)
        .change("nsfw", absent, new.nsfw)
        .change("rate_limit_per_user", absent, new.rate_limit_per_user)
        .change("parent_id", absent, id_value(new.parent_id))
        .change("bitrate", absent, new.bitrate)
        .change("user_limit", absent, new.user_limit)
        .change("permission_overwrites", absent, overwrites);
    let channel = state.store.create_channel(&new, &audit).await?;
    publish_channel(
        &state,
        &channel,
        Event::ChannelCreate(views::channel(&channel)),
    );
    Ok((StatusCode::CREATED, axum::Json(views::channel(&channel))))
}

/// Move several channels at once: positions, parents, and optionally syncing overwrites with the new
/// parent (MANAGE_CHANNELS; MANAGE_ROLES to sync).
#[utoipa::path(patch, path = "/guilds/{guild_id}/channels", tag = "channels", security(("bearer" = [])),
    params(("guild_id" = String, Path)), request_body = Vec<ChannelPosition>,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn move_channels(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
    AuditReason(reason): AuditReason,
    ApiJson(body): ApiJson<Vec<ChannelPosition>>,
) -> ApiResult<StatusCode> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::MANAGE_CHANNELS)?;
    if body.is_empty() || body.len() > MAX_MOVES_PER_REQUEST {
        return Err(ApiError::field(
            "body",
            format!("must list between 1 and {MAX_MOVES_PER_REQUEST} channels"),
        ));
    }
    let channels = state.store.channels_of_guild(access.guild_id()).await?;
    let mut errors = FieldErrors::default();
    let mut moves = Vec::with_capacity(body.len());
    let mut seen = HashSet::new();
    for (i, entry) in body.iter().enumerate() {
        let id = errors.check(&format!("[{i}].id"), entry.id.parse::<Snowflake>());
        // A channel the caller cannot see is answered like one that does not exist.
        let channel = id.and_then(|id| channels.iter().find(|c| c.id == id && access.can_view(c)));
        let Some(channel) = channel else {
            errors.check::<(), _>(&format!("[{i}].id"), Err("is not a channel of this guild"));
            continue;
        };
        if !seen.insert(channel.id) {
            errors.check::<(), _>(&format!("[{i}].id"), Err("appears twice"));
            continue;
        }
        let position = entry
            .position
            .and_then(|p| errors.check(&format!("[{i}].position"), parse_position(p)));
        let parent_id = match &entry.parent_id {
            Some(Some(_)) if !channel.kind.can_have_parent() => {
                errors.check::<(), _>(
                    &format!("[{i}].parent_id"),
                    Err("a category cannot be inside a category"),
                );
                None
            }
            Some(Some(raw)) => errors
                .check(&format!("[{i}].parent_id"), raw.parse::<Snowflake>())
                .map(Some),
            Some(None) => Some(None),
            None => None,
        };
        let lock_permissions = entry.lock_permissions.unwrap_or(false);
        moves.push(ChannelMove {
            id: channel.id,
            position,
            parent_id,
            lock_permissions,
        });
    }
    errors.finish()?;
    // Each channel is checked at its own level: an overwrite denying the mover MANAGE_CHANNELS there
    // holds here as in PATCH /channels/{id}. Syncing must pass the same rules as writing the parent's
    // overwrites by hand. Each channel that actually moves gets its CHANNEL_UPDATE, and each overwrite
    // a sync changes its own entry, all written in the move's transaction.
    let mut audit = Vec::new();
    for m in &moves {
        let Some(channel) = channels.iter().find(|c| c.id == m.id) else {
            continue;
        };
        let held = access.channel_permissions(channel);
        require_in_channel(held, Permissions::MANAGE_CHANNELS)?;
        let moved = access
            .audit(&state, AuditAction::ChannelUpdate, reason.clone())
            .target(channel.id)
            .change(
                "position",
                channel.position,
                m.position.unwrap_or(channel.position),
            )
            .change(
                "parent_id",
                id_value(channel.parent_id),
                id_value(m.parent_id.unwrap_or(channel.parent_id)),
            );
        if !moved.changes.is_empty() {
            audit.push(moved);
        }
        if m.lock_permissions {
            require_in_channel(held, Permissions::MANAGE_ROLES)?;
            let parent = m.parent_id.unwrap_or(channel.parent_id);
            if let Some(parent) = parent.and_then(|p| channels.iter().find(|c| c.id == p)) {
                check_overwrite_change(&state, &access, &channel.overwrites, &parent.overwrites)
                    .await?;
                audit.extend(overwrite_entries(
                    &state,
                    &access,
                    &reason,
                    channel.id,
                    &channel.overwrites,
                    &parent.overwrites,
                ));
            }
        }
    }
    state
        .store
        .move_channels(access.guild_id(), &moves, now_ms(), &audit)
        .await?;
    for m in &moves {
        if let Some(channel) = state.store.channel_by_id(m.id).await? {
            publish_channel(
                &state,
                &channel,
                Event::ChannelUpdate(views::channel(&channel)),
            );
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

/// A channel the signed-in user can view.
#[utoipa::path(get, path = "/channels/{channel_id}", tag = "channels", security(("bearer" = [])),
    params(("channel_id" = String, Path)),
    responses((status = 200, body = Channel), (status = 404, description = "UNKNOWN_CHANNEL", body = ErrorBody)))]
async fn get_channel(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(channel_id): Path<String>,
) -> ApiResult<axum::Json<Channel>> {
    let access =
        ChannelAccess::load(&state, &auth.user, parse_id("channel_id", &channel_id)?).await?;
    Ok(axum::Json(views::channel(&access.channel)))
}

/// Edit a channel (MANAGE_CHANNELS in it; MANAGE_ROLES in it to change overwrites or sync them).
#[utoipa::path(patch, path = "/channels/{channel_id}", tag = "channels", security(("bearer" = [])),
    params(("channel_id" = String, Path)), request_body = UpdateChannel,
    responses((status = 200, body = Channel), (status = 400, body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS, ROLE_HIERARCHY", body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL", body = ErrorBody)))]
async fn update_channel(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(channel_id): Path<String>,
    AuditReason(reason): AuditReason,
    ApiJson(body): ApiJson<UpdateChannel>,
) -> ApiResult<axum::Json<Channel>> {
    let access =
        ChannelAccess::load(&state, &auth.user, parse_id("channel_id", &channel_id)?).await?;
    access.require(Permissions::MANAGE_CHANNELS)?;
    let kind = access.channel.kind;
    let mut errors = FieldErrors::default();
    let name = body
        .name
        .and_then(|raw| errors.check("name", ChannelName::parse(kind, &raw)))
        .map(ChannelName::into_string);
    let position = body
        .position
        .and_then(|p| errors.check("position", parse_position(p)));
    let parent_id = match body.parent_id {
        Some(Some(_)) if !kind.can_have_parent() => {
            errors.check::<(), _>("parent_id", Err("a category cannot be inside a category"));
            None
        }
        Some(Some(raw)) => errors
            .check("parent_id", raw.parse::<Snowflake>())
            .map(Some),
        Some(None) => Some(None),
        None => None,
    };
    let fields = parse_kind_fields(
        kind,
        body.topic,
        body.rate_limit_per_user,
        body.bitrate,
        body.user_limit,
        &mut errors,
    );
    let lock_permissions = body.lock_permissions.unwrap_or(false);
    let overwrites = match &body.permission_overwrites {
        Some(raw) => Some(parse_overwrites(&state, &access.guild, raw, &mut errors).await?),
        None => None,
    };
    errors.finish()?;
    if overwrites.is_some() || lock_permissions {
        access.require(Permissions::MANAGE_ROLES)?;
    }
    // The parent's overwrites when the update syncs with it (and sends none of its own).
    let mut synced = None;
    if let Some(new) = &overwrites {
        check_overwrite_change(&state, &access.guild, &access.channel.overwrites, new).await?;
    } else if lock_permissions {
        // The overwrites the sync would copy, from the parent the channel will have.
        let parent = match parent_id {
            Some(new_parent) => new_parent,
            None => access.channel.parent_id,
        };
        if let Some(parent) = parent {
            let parent = state
                .store
                .channel_by_id(parent)
                .await?
                .filter(|c| c.guild_id == access.guild.guild_id() && c.kind.is_category())
                .ok_or_else(|| ApiError::field("parent_id", "is not a category of this guild"))?;
            check_overwrite_change(
                &state,
                &access.guild,
                &access.channel.overwrites,
                &parent.overwrites,
            )
            .await?;
            synced = Some(parent.overwrites);
        }
    }
    let update = ChannelUpdate {
        name,
        topic: fields.topic,
        position,
        parent_id,
        nsfw: body.nsfw,
        rate_limit_per_user: fields.rate_limit_per_user,
        bitrate: fields.bitrate,
        user_limit: fields.user_limit,
        overwrites,
    };
    let audit = channel_update_entries(
        &state,
        &access,
        &reason,
        &update,
        update.overwrites.as_deref().or(synced.as_deref()),
    );
    let channel = state
        .store
        .update_channel(
            access.channel.id,
            &update,
            lock_permissions,
            now_ms(),
            &audit,
        )
        .await?;
    publish_channel(
        &state,
        &channel,
        Event::ChannelUpdate(views::channel(&channel)),
    );
    Ok(axum::Json(views::channel(&channel)))
}

/// The entries an update writes: CHANNEL_UPDATE with every field it changes, and one overwrite entry per
/// overwrite it changes (`overwrites` is the channel's new set, when it gets one). Like Discord, an
/// update that only touches overwrites records only those; any other update records CHANNEL_UPDATE, even
/// one that changed no value, so every accepted call leaves a trace.
fn channel_update_entries(
    state: &AppState,
    access: &ChannelAccess,
    reason: &Option<String>,
    update: &ChannelUpdate,
    overwrites: Option<&[Overwrite]>,
) -> Vec<NewAuditEntry> {
    let c = &access.channel;
    let channel_entry = access
        .guild
        .audit(state, AuditAction::ChannelUpdate, reason.clone())
        .target(c.id)
        .change("name", &c.name, update.name.as_ref().unwrap_or(&c.name))
        .change("topic", &c.topic, update.topic.as_ref().unwrap_or(&c.topic))
        .change(
            "position",
            c.position,
            update.position.unwrap_or(c.position),
        )
        .change(
            "parent_id",
            id_value(c.parent_id),
            id_value(update.parent_id.unwrap_or(c.parent_id)),
        )
        .change("nsfw", c.nsfw, update.nsfw.unwrap_or(c.nsfw))
        .change(
            "rate_limit_per_user",
            c.rate_limit_per_user,
            update.rate_limit_per_user.unwrap_or(c.rate_limit_per_user),
        )
        .change("bitrate", c.bitrate, update.bitrate.or(c.bitrate))
        .change(
            "user_limit",
            c.user_limit,
            update.user_limit.or(c.user_limit),
        );
    let overwrite_changes = overwrites.map_or_else(Vec::new, |after| {
        overwrite_entries(state, &access.guild, reason, c.id, &c.overwrites, after)
    });
    let mut entries = Vec::with_capacity(1 + overwrite_changes.len());
    if !channel_entry.changes.is_empty() || overwrite_changes.is_empty() {
        entries.push(channel_entry);
    }
    entries.extend(overwrite_changes);
    entries
}

/// Delete a channel (MANAGE_CHANNELS in it). Channels inside a deleted category move to the top level.
#[utoipa::path(delete, path = "/channels/{channel_id}", tag = "channels", security(("bearer" = [])),
    params(("channel_id" = String, Path)),
    responses((status = 200, body = Channel), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL", body = ErrorBody)))]
async fn delete_channel(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(channel_id): Path<String>,
    AuditReason(reason): AuditReason,
) -> ApiResult<axum::Json<Channel>> {
    let access =
        ChannelAccess::load(&state, &auth.user, parse_id("channel_id", &channel_id)?).await?;
    access.require(Permissions::MANAGE_CHANNELS)?;
    let children: Vec<Snowflake> = if access.channel.kind.is_category() {
        state
            .store
            .channels_of_guild(access.guild.guild_id())
            .await?
            .iter()
            .filter(|c| c.parent_id == Some(access.channel.id))
            .map(|c| c.id)
            .collect()
    } else {
        Vec::new()
    };
    let was_system_channel = access.guild.guild().system_channel_id == Some(access.channel.id);
    // Discord lists the deleted channel's fields as changes to nothing.
    let c = &access.channel;
    let absent = None::<()>;
    let overwrites: Vec<PermissionOverwrite> = c.overwrites.iter().map(views::overwrite).collect();
    let audit = access
        .guild
        .audit(&state, AuditAction::ChannelDelete, reason)
        .target(c.id)
        .change("name", &c.name, absent)
        .change("type", c.kind.as_wire(), absent)
        .change("topic", &c.topic, absent)
        .change("nsfw", c.nsfw, absent)
        .change("rate_limit_per_user", c.rate_limit_per_user, absent)
        .change("parent_id", id_value(c.parent_id), absent)
        .change("bitrate", c.bitrate, absent)
        .change("user_limit", c.user_limit, absent)
        .change("permission_overwrites", overwrites, absent);
    if !state
        .store
        .delete_channel(access.channel.id, &audit)
        .await?
    {
        return Err(ApiError::NotFound(Entity::Channel));
    }
    let view = views::channel(&access.channel);
    publish_channel(&state, &access.channel, Event::ChannelDelete(view.clone()));
    // The deletion also changed the children's parent and possibly the guild's system channel.
    for child in children {
        if let Some(channel) = state.store.channel_by_id(child).await? {
            publish_channel(
                &state,
                &channel,
                Event::ChannelUpdate(views::channel(&channel)),
            );
        }
    }
    if was_system_channel
        && let Some(guild) = state.store.guild_by_id(access.guild.guild_id()).await?
    {
        let count = state.store.member_count(guild.id).await?;
        let guild_view = views::guild(&guild, &access.guild.context.roles, count);
        state
            .bus
            .publish(Audience::Guild(guild.id), &Event::GuildUpdate(guild_view));
    }
    Ok(axum::Json(view))
}

/// Create or replace the overwrite for a role (`type` 0) or member (`type` 1) on a channel
/// (MANAGE_ROLES in the channel; only bits the caller holds; only for roles and members below them).
#[utoipa::path(put, path = "/channels/{channel_id}/permissions/{overwrite_id}", tag = "channels", security(("bearer" = [])),
    params(("channel_id" = String, Path), ("overwrite_id" = String, Path)), request_body = PutOverwrite,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL", body = ErrorBody)))]
async fn put_overwrite(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((channel_id, overwrite_id)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
    ApiJson(body): ApiJson<PutOverwrite>,
) -> ApiResult<StatusCode> {
    let access =
        ChannelAccess::load(&state, &auth.user, parse_id("channel_id", &channel_id)?).await?;
    access.require(Permissions::MANAGE_ROLES)?;
    let mut errors = FieldErrors::default();
    let overwrite = parse_overwrite(
        "",
        "overwrite_id",
        &overwrite_id,
        body.kind,
        body.allow.as_deref(),
        body.deny.as_deref(),
        &mut errors,
    );
    errors.finish()?;
    let Some(overwrite) = overwrite else {
        return Err(ApiError::field("overwrite_id", "is not valid"));
    };
    if !overwrite_target_exists(&state, &access.guild, &overwrite).await? {
        return Err(ApiError::NotFound(match overwrite.kind {
            OverwriteKind::Role => Entity::Role,
            OverwriteKind::Member => Entity::Member,
        }));
    }
    let mut after: Vec<Overwrite> = access
        .channel
        .overwrites
        .iter()
        .filter(|o| o.id != overwrite.id)
        .copied()
        .collect();
    after.push(overwrite);
    check_overwrite_change(&state, &access.guild, &access.channel.overwrites, &after).await?;
    // A put that repeats the current values is still recorded (as an update without changes).
    let change = match access
        .channel
        .overwrites
        .iter()
        .find(|o| o.id == overwrite.id)
    {
        Some(before) => OverwriteChange::Updated {
            before,
            after: &overwrite,
        },
        None => OverwriteChange::Created(&overwrite),
    };
    let audit = overwrite_entry(&state, &access.guild, &reason, access.channel.id, change);
    state
        .store
        .put_overwrite(
            access.channel.id,
            &overwrite,
            state.config.limits.overwrites_per_channel,
            &audit,
        )
        .await?;
    if let Some(channel) = state.store.channel_by_id(access.channel.id).await? {
        publish_channel(
            &state,
            &channel,
            Event::ChannelUpdate(views::channel(&channel)),
        );
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Delete an overwrite (same rules as creating one).
#[utoipa::path(delete, path = "/channels/{channel_id}/permissions/{overwrite_id}", tag = "channels", security(("bearer" = [])),
    params(("channel_id" = String, Path), ("overwrite_id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL, UNKNOWN_OVERWRITE", body = ErrorBody)))]
async fn delete_overwrite(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((channel_id, overwrite_id)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
) -> ApiResult<StatusCode> {
    let access =
        ChannelAccess::load(&state, &auth.user, parse_id("channel_id", &channel_id)?).await?;
    access.require(Permissions::MANAGE_ROLES)?;
    let target = parse_id("overwrite_id", &overwrite_id)?;
    let Some(before) = access.channel.overwrites.iter().find(|o| o.id == target) else {
        return Err(ApiError::NotFound(Entity::Overwrite));
    };
    let after: Vec<Overwrite> = access
        .channel
        .overwrites
        .iter()
        .filter(|o| o.id != target)
        .copied()
        .collect();
    check_overwrite_change(&state, &access.guild, &access.channel.overwrites, &after).await?;
    let audit = overwrite_entry(
        &state,
        &access.guild,
        &reason,
        access.channel.id,
        OverwriteChange::Deleted(before),
    );
    if state
        .store
        .delete_overwrite(access.channel.id, target, &audit)
        .await?
        && let Some(channel) = state.store.channel_by_id(access.channel.id).await?
    {
        publish_channel(
            &state,
            &channel,
            Event::ChannelUpdate(views::channel(&channel)),
        );
    }
    Ok(StatusCode::NO_CONTENT)
}
