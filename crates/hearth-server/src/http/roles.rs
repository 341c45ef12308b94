//! Guild roles: listing, creating, editing, reordering and deleting, under the role hierarchy.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use hearth_core::{AuditAction, Permissions, RoleColor, RoleName, Snowflake};
use hearth_protocol::error::ErrorBody;
use hearth_protocol::events::{Event, GuildRoleDeleted, GuildRoleEvent};
use hearth_protocol::roles::{CreateRole, Role, RolePosition, UpdateRole};
use hearth_store::{NewRole, RoleRecord, RoleUpdate};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, AuditReason, Authenticated, parse_id};
use super::views;
use crate::bus::Audience;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult, Entity, FieldErrors};
use crate::services::access::GuildAccess;
use crate::state::AppState;

const DEFAULT_ROLE_NAME: &str = "new role";

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_roles, create_role, reorder_roles))
        .routes(routes!(update_role, delete_role))
}

fn publish_role(state: &AppState, role: &RoleRecord, created: bool) {
    let payload = GuildRoleEvent {
        guild_id: role.guild_id.to_string(),
        role: views::role(role),
    };
    let event = if created {
        Event::GuildRoleCreate(payload)
    } else {
        Event::GuildRoleUpdate(payload)
    };
    state.bus.publish(Audience::Guild(role.guild_id), &event);
}

/// Every role of the guild, highest first.
#[utoipa::path(get, path = "/guilds/{guild_id}/roles", tag = "roles", security(("bearer" = [])),
    params(("guild_id" = String, Path)),
    responses((status = 200, body = Vec<Role>), (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn list_roles(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
) -> ApiResult<axum::Json<Vec<Role>>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    Ok(axum::Json(
        access.context.roles.iter().map(views::role).collect(),
    ))
}

/// Create a role just above @everyone (MANAGE_ROLES; only permissions the caller holds).
#[utoipa::path(post, path = "/guilds/{guild_id}/roles", tag = "roles", security(("bearer" = [])),
    params(("guild_id" = String, Path)), request_body = CreateRole,
    responses((status = 201, body = Role), (status = 400, description = "VALIDATION_FAILED, LIMIT_REACHED", body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS, ROLE_HIERARCHY", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn create_role(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
    AuditReason(reason): AuditReason,
    ApiJson(body): ApiJson<CreateRole>,
) -> ApiResult<impl IntoResponse> {
    crate::media::refuse_image_upload("icon", &body.icon)?;
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::MANAGE_ROLES)?;
    let update = parse_role_fields(body)?;
    let permissions = update.permissions.unwrap_or(Permissions::empty());
    access.require_can_grant(permissions)?;
    let new = NewRole {
        id: state.next_id(),
        guild_id: access.guild_id(),
        name: update.name.unwrap_or_else(|| DEFAULT_ROLE_NAME.to_owned()),
        color: update.color.unwrap_or(0),
        hoist: update.hoist.unwrap_or(false),
        mentionable: update.mentionable.unwrap_or(false),
        permissions,
        now_ms: now_ms(),
        max_roles_per_guild: state.config.limits.roles_per_guild,
    };
    // Discord lists a new role's fields as changes from nothing; permissions as a decimal string.
    let absent = None::<()>;
    let audit = access
        .audit(&state, AuditAction::RoleCreate, reason)
        .target(new.id)
        .change("name", absent, &new.name)
        .change("color", absent, new.color)
        .change("hoist", absent, new.hoist)
        .change("mentionable", absent, new.mentionable)
        .change("permissions", absent, new.permissions.to_string());
    let role = state.store.create_role(&new, &audit).await?;
    publish_role(&state, &role, true);
    // Every other role moved up one; clients learn the new positions from these updates, read back
    // after the commit so that they are exact even beside a concurrent change.
    for after in state.store.roles_of_guild(access.guild_id()).await? {
        let moved = access
            .context
            .roles
            .iter()
            .any(|before| before.id == after.id && before.position != after.position);
        if moved {
            publish_role(&state, &after, false);
        }
    }
    Ok((StatusCode::CREATED, axum::Json(views::role(&role))))
}

fn parse_role_fields(body: CreateRole) -> ApiResult<RoleUpdate> {
    let mut errors = FieldErrors::default();
    let update = RoleUpdate {
        name: body
            .name
            .and_then(|raw| errors.check("name", RoleName::parse(&raw)))
            .map(RoleName::into_string),
        color: body
            .color
            .and_then(|raw| errors.check("color", RoleColor::parse(raw)))
            .map(RoleColor::rgb),
        hoist: body.hoist,
        mentionable: body.mentionable,
        permissions: body
            .permissions
            .and_then(|raw| errors.check("permissions", Permissions::parse(&raw))),
    };
    errors.finish()?;
    Ok(update)
}

/// Edit a role below the caller's highest (MANAGE_ROLES; permission changes only within what the
/// caller holds). @everyone's name cannot change.
#[utoipa::path(patch, path = "/guilds/{guild_id}/roles/{role_id}", tag = "roles", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("role_id" = String, Path)), request_body = UpdateRole,
    responses((status = 200, body = Role), (status = 400, body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS, ROLE_HIERARCHY", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_ROLE", body = ErrorBody)))]
async fn update_role(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, role_id)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
    ApiJson(body): ApiJson<UpdateRole>,
) -> ApiResult<axum::Json<Role>> {
    crate::media::refuse_image_upload("icon", &body.icon)?;
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    let role = access.role(parse_id("role_id", &role_id)?)?.clone();
    access.require(Permissions::MANAGE_ROLES)?;
    let update = parse_role_fields(body)?;
    if role.is_everyone() && update.name.is_some() {
        return Err(ApiError::field(
            "name",
            "the @everyone role cannot be renamed",
        ));
    }
    // @everyone sits below everyone, so the usual rank test would let anyone with a role edit it; its
    // bits still pass through `can_grant`.
    if !role.is_everyone() {
        access.require_outranks_role(&role)?;
    }
    if let Some(new) = update.permissions {
        access.require_can_grant(new ^ role.permissions)?;
    }
    let audit = access
        .audit(&state, AuditAction::RoleUpdate, reason)
        .target(role.id)
        .change(
            "name",
            &role.name,
            update.name.as_ref().unwrap_or(&role.name),
        )
        .change("color", role.color, update.color.unwrap_or(role.color))
        .change("hoist", role.hoist, update.hoist.unwrap_or(role.hoist))
        .change(
            "mentionable",
            role.mentionable,
            update.mentionable.unwrap_or(role.mentionable),
        )
        .change(
            "permissions",
            role.permissions.to_string(),
            update.permissions.unwrap_or(role.permissions).to_string(),
        );
    let updated = state
        .store
        .update_role(access.guild_id(), role.id, &update, &audit)
        .await?;
    publish_role(&state, &updated, false);
    Ok(axum::Json(views::role(&updated)))
}

/// Delete a role below the caller's highest (MANAGE_ROLES). @everyone cannot be deleted.
#[utoipa::path(delete, path = "/guilds/{guild_id}/roles/{role_id}", tag = "roles", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("role_id" = String, Path)),
    responses((status = 204), (status = 400, body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS, ROLE_HIERARCHY", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_ROLE", body = ErrorBody)))]
async fn delete_role(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, role_id)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
) -> ApiResult<StatusCode> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    let role = access.role(parse_id("role_id", &role_id)?)?.clone();
    access.require(Permissions::MANAGE_ROLES)?;
    if role.is_everyone() {
        return Err(ApiError::field(
            "role_id",
            "the @everyone role cannot be deleted",
        ));
    }
    access.require_outranks_role(&role)?;
    let absent = None::<()>;
    let audit = access
        .audit(&state, AuditAction::RoleDelete, reason)
        .target(role.id)
        .change("name", &role.name, absent)
        .change("color", role.color, absent)
        .change("hoist", role.hoist, absent)
        .change("mentionable", role.mentionable, absent)
        .change("permissions", role.permissions.to_string(), absent);
    if !state
        .store
        .delete_role(access.guild_id(), role.id, &audit)
        .await?
    {
        return Err(ApiError::NotFound(Entity::Role));
    }
    state.bus.publish(
        Audience::Guild(access.guild_id()),
        &Event::GuildRoleDelete(GuildRoleDeleted {
            guild_id: access.guild_id().to_string(),
            role_id: role.id.to_string(),
        }),
    );
    Ok(StatusCode::NO_CONTENT)
}

/// Reorder roles (MANAGE_ROLES). Listed roles take the given positions; the guild's order is then
/// renumbered 1..n. Nobody but the owner may move a role at or above their own highest role, or move
/// any role to or above it. Answers every role, highest first.
#[utoipa::path(patch, path = "/guilds/{guild_id}/roles", tag = "roles", security(("bearer" = [])),
    params(("guild_id" = String, Path)), request_body = Vec<RolePosition>,
    responses((status = 200, body = Vec<Role>), (status = 400, body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS, ROLE_HIERARCHY", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn reorder_roles(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
    AuditReason(reason): AuditReason,
    ApiJson(body): ApiJson<Vec<RolePosition>>,
) -> ApiResult<axum::Json<Vec<Role>>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::MANAGE_ROLES)?;
    let roles: Vec<&RoleRecord> = access
        .context
        .roles
        .iter()
        .filter(|r| !r.is_everyone())
        .collect();
    if body.is_empty() || body.len() > roles.len() {
        return Err(ApiError::field(
            "body",
            "must list between 1 role and every role of the guild",
        ));
    }
    let mut errors = FieldErrors::default();
    let mut requested: HashMap<Snowflake, i64> = HashMap::new();
    for (i, entry) in body.iter().enumerate() {
        let Some(id) = errors.check(&format!("[{i}].id"), entry.id.parse::<Snowflake>()) else {
            continue;
        };
        if !roles.iter().any(|r| r.id == id) {
            errors.check::<(), _>(
                &format!("[{i}].id"),
                Err("is not a role of this guild (or is @everyone)"),
            );
        } else if !(1..=i64::from(u16::MAX)).contains(&entry.position) {
            errors.check::<(), _>(
                &format!("[{i}].position"),
                Err("must be between 1 and 65535"),
            );
        } else if requested.insert(id, entry.position).is_some() {
            errors.check::<(), _>(&format!("[{i}].id"), Err("appears twice"));
        }
    }
    errors.finish()?;
    let order = reorder(&roles, &requested);
    let actor = access.actor();
    if !actor.is_owner {
        // Roles at or above the actor's top must keep their places at the top of the order.
        let locked = roles.iter().filter(|r| r.rank() >= actor.top_role).count();
        let old_top: Vec<Snowflake> = {
            let mut by_rank = roles.clone();
            by_rank.sort_by_key(|r| std::cmp::Reverse(r.rank()));
            by_rank.iter().take(locked).map(|r| r.id).collect()
        };
        let new_top: Vec<Snowflake> = order.iter().rev().take(locked).copied().collect();
        if old_top != new_top || requested.keys().any(|id| old_top.contains(id)) {
            return Err(ApiError::Hierarchy(
                "you can only move roles below your highest role, and only below it",
            ));
        }
    }
    let changes: Vec<(Snowflake, i32)> = order
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i as i32 + 1))
        .filter(|(id, position)| roles.iter().any(|r| r.id == *id && r.position != *position))
        .collect();
    // One ROLE_UPDATE per role that moved, as Discord records a reorder.
    let audit: Vec<_> = changes
        .iter()
        .filter_map(|(id, position)| {
            let before = roles.iter().find(|r| r.id == *id)?;
            Some(
                access
                    .audit(&state, AuditAction::RoleUpdate, reason.clone())
                    .target(*id)
                    .change("position", before.position, *position),
            )
        })
        .collect();
    state
        .store
        .set_role_positions(access.guild_id(), &changes, &audit)
        .await?;
    let updated = state.store.roles_of_guild(access.guild_id()).await?;
    for role in updated
        .iter()
        .filter(|r| changes.iter().any(|(id, _)| *id == r.id))
    {
        publish_role(&state, role, false);
    }
    Ok(axum::Json(updated.iter().map(views::role).collect()))
}

/// The new bottom-to-top order over slots 1..=n: each listed role lands at its requested position
/// (clamped to n; on a clash, the nearest free slot above, else below), and the others fill the
/// remaining slots in their current order.
fn reorder(roles: &[&RoleRecord], requested: &HashMap<Snowflake, i64>) -> Vec<Snowflake> {
    let n = roles.len();
    let mut by_rank: Vec<&RoleRecord> = roles.to_vec();
    by_rank.sort_by_key(|r| r.rank());
    let mut slots: Vec<Option<Snowflake>> = vec![None; n];
    let mut moved: Vec<(i64, &RoleRecord)> = by_rank
        .iter()
        .filter_map(|r| requested.get(&r.id).map(|p| (*p, *r)))
        .collect();
    moved.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.rank().cmp(&b.1.rank())));
    for (position, role) in moved {
        let wanted = (position.clamp(1, n as i64) - 1) as usize;
        let free = (wanted..n)
            .find(|i| slots[*i].is_none())
            .or_else(|| (0..wanted).rev().find(|i| slots[*i].is_none()));
        if let Some(i) = free {
            slots[i] = Some(role.id);
        }
    }
    let mut rest = by_rank
        .iter()
        .filter(|r| !requested.contains_key(&r.id))
        .map(|r| r.id);
    slots
        .into_iter()
        .map(|slot| slot.or_else(|| rest.next()))
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(id: u64, position: i32) -> RoleRecord {
        RoleRecord {
            id: Snowflake::from_db(id as i64),
            guild_id: Snowflake::from_db(1),
            name: format!("r{id}"),
            color: 0,
            hoist: false,
            mentionable: false,
            position,
            permissions: Permissions::empty(),
            icon: None,
            created_at: 0,
        }
    }

    fn ids(order: &[Snowflake]) -> Vec<i64> {
        order.iter().map(|id| id.to_db()).collect()
    }

    #[test]
    fn a_moved_role_lands_exactly_where_asked_and_the_rest_keep_their_order() {
        let roles = [role(10, 1), role(11, 2), role(12, 3), role(13, 4)];
        let refs: Vec<&RoleRecord> = roles.iter().collect();
        let up = reorder(&refs, &HashMap::from([(roles[0].id, 3)]));
        assert_eq!(ids(&up), [11, 12, 10, 13]);
        let down = reorder(&refs, &HashMap::from([(roles[3].id, 1)]));
        assert_eq!(ids(&down), [13, 10, 11, 12]);
        let beyond = reorder(&refs, &HashMap::from([(roles[0].id, 99)]));
        assert_eq!(ids(&beyond), [11, 12, 13, 10]);
    }

    #[test]
    fn clashing_requests_take_the_nearest_free_slot_and_keep_every_role() {
        let roles = [role(10, 1), role(11, 2), role(12, 3)];
        let refs: Vec<&RoleRecord> = roles.iter().collect();
        let order = reorder(&refs, &HashMap::from([(roles[0].id, 3), (roles[1].id, 3)]));
        let mut sorted = ids(&order);
        sorted.sort_unstable();
        assert_eq!(sorted, [10, 11, 12]);
        assert_eq!(
            ids(&order)[2],
            10,
            "the lower-ranked role claims the slot first"
        );
    }
}
