//! Guild members: listing, nicknames, role assignment and kicks, under the role hierarchy.

use std::collections::HashSet;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::{AuditAction, Nickname, Permissions, Snowflake};
use hearth_protocol::error::ErrorBody;
use hearth_protocol::events::Event;
use hearth_protocol::members::{Member, UpdateCurrentMember, UpdateMember};
use hearth_store::{MemberRecord, MemberUpdate, NewAuditEntry};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, ApiQuery, AuditReason, Authenticated, parse_id};
use super::views;
use crate::bus::Audience;
use crate::clock;
use crate::error::{ApiError, ApiResult, Entity, FieldErrors};
use crate::services::access::GuildAccess;
use crate::services::moderation;
use crate::state::AppState;

/// Largest page of `GET /guilds/{id}/members` (Discord's bound).
pub const MEMBER_PAGE_MAX: u32 = 1000;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_members))
        .routes(routes!(update_current_member))
        .routes(routes!(get_member, update_member, kick_member))
        .routes(routes!(add_member_role, remove_member_role))
}

/// `after` (a user id) and `limit` for cursor pages over user ids.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// Return entries with a user id above this one. Default 0.
    pub after: Option<String>,
    /// 1–1000. Default 1 for members (Discord's default), 1000 for bans.
    pub limit: Option<i64>,
}

impl Page {
    pub fn parse(&self, default_limit: u32) -> ApiResult<(Snowflake, u32)> {
        let mut errors = FieldErrors::default();
        let after = match &self.after {
            Some(raw) => errors.check("after", raw.parse::<Snowflake>()),
            None => Some(Snowflake::from_db(0)),
        };
        let limit = errors.limit(self.limit, default_limit, MEMBER_PAGE_MAX);
        errors.finish()?;
        Ok((after.unwrap_or(Snowflake::from_db(0)), limit))
    }
}

fn publish_member_update(state: &AppState, member: &MemberRecord) {
    state.bus.publish(
        Audience::Guild(member.guild_id),
        &Event::GuildMemberUpdate(views::member_event(member)),
    );
}

pub(super) async fn load_member(
    state: &AppState,
    access: &GuildAccess,
    user_id: Snowflake,
) -> ApiResult<MemberRecord> {
    if user_id == access.user_id() {
        return Ok(access.context.member.clone());
    }
    state
        .store
        .member(access.guild_id(), user_id)
        .await?
        .ok_or(ApiError::NotFound(Entity::Member))
}

/// Members in user-id order (any member may list them).
#[utoipa::path(get, path = "/guilds/{guild_id}/members", tag = "members", security(("bearer" = [])),
    params(("guild_id" = String, Path), Page),
    responses((status = 200, body = Vec<Member>), (status = 400, body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn list_members(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
    ApiQuery(page): ApiQuery<Page>,
) -> ApiResult<axum::Json<Vec<Member>>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    let (after, limit) = page.parse(1)?;
    let members = state
        .store
        .members_of_guild(access.guild_id(), after, limit)
        .await?;
    Ok(axum::Json(members.iter().map(views::member).collect()))
}

/// One member.
#[utoipa::path(get, path = "/guilds/{guild_id}/members/{user_id}", tag = "members", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("user_id" = String, Path)),
    responses((status = 200, body = Member), (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_MEMBER", body = ErrorBody)))]
async fn get_member(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, user_id)): Path<(String, String)>,
) -> ApiResult<axum::Json<Member>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    let member = load_member(&state, &access, parse_id("user_id", &user_id)?).await?;
    Ok(axum::Json(views::member(&member)))
}

fn parse_nick(raw: Option<Option<String>>) -> ApiResult<Option<Option<String>>> {
    Ok(match raw {
        Some(Some(raw)) if raw.trim().is_empty() => Some(None),
        Some(Some(raw)) => Some(Some(
            Nickname::parse(&raw)
                .map_err(|e| ApiError::field("nick", e))?
                .into_string(),
        )),
        Some(None) => Some(None),
        None => None,
    })
}

/// Change one's own nickname (CHANGE_NICKNAME or MANAGE_NICKNAMES).
#[utoipa::path(patch, path = "/guilds/{guild_id}/members/@me", tag = "members", security(("bearer" = [])),
    params(("guild_id" = String, Path)), request_body = UpdateCurrentMember,
    responses((status = 200, body = Member), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn update_current_member(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
    AuditReason(reason): AuditReason,
    ApiJson(body): ApiJson<UpdateCurrentMember>,
) -> ApiResult<axum::Json<Member>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    let nick = parse_nick(body.nick)?;
    if nick.is_some()
        && !access
            .permissions
            .intersects(Permissions::CHANGE_NICKNAME | Permissions::MANAGE_NICKNAMES)
    {
        return Err(ApiError::MissingPermissions(Permissions::CHANGE_NICKNAME));
    }
    let audit = nick.as_ref().map(|new| {
        access
            .audit(&state, AuditAction::MemberUpdate, reason)
            .target(auth.user.id)
            .change("nick", &access.context.member.nick, new)
    });
    let member = state
        .store
        .update_member(
            access.guild_id(),
            auth.user.id,
            &MemberUpdate {
                nick,
                ..MemberUpdate::default()
            },
            audit.as_slice(),
        )
        .await?;
    publish_member_update(&state, &member);
    Ok(axum::Json(views::member(&member)))
}

/// Change a member's nickname (MANAGE_NICKNAMES, or CHANGE_NICKNAME for oneself) and/or replace their
/// roles (MANAGE_ROLES; only roles below the caller's highest). Acting on someone else also needs the
/// caller to outrank them.
#[utoipa::path(patch, path = "/guilds/{guild_id}/members/{user_id}", tag = "members", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("user_id" = String, Path)), request_body = UpdateMember,
    responses((status = 200, body = Member), (status = 400, body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS, ROLE_HIERARCHY", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_MEMBER, UNKNOWN_ROLE", body = ErrorBody)))]
async fn update_member(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, user_id)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
    ApiJson(body): ApiJson<UpdateMember>,
) -> ApiResult<axum::Json<Member>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    let target = load_member(&state, &access, parse_id("user_id", &user_id)?).await?;
    let is_self = target.user.id == access.user_id();
    let nick = parse_nick(body.nick)?;
    let roles = match body.roles {
        Some(raw) => {
            let mut ids = Vec::with_capacity(raw.len());
            for (i, r) in raw.iter().enumerate() {
                let id = r
                    .parse::<Snowflake>()
                    .map_err(|e| ApiError::field(&format!("roles[{i}]"), e))?;
                let role = access.role(id)?;
                if role.is_everyone() {
                    return Err(ApiError::field(
                        &format!("roles[{i}]"),
                        "@everyone is implicit",
                    ));
                }
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            Some(ids)
        }
        None => None,
    };
    if nick.is_some() {
        if is_self {
            if !access
                .permissions
                .intersects(Permissions::CHANGE_NICKNAME | Permissions::MANAGE_NICKNAMES)
            {
                return Err(ApiError::MissingPermissions(Permissions::CHANGE_NICKNAME));
            }
        } else {
            access.require(Permissions::MANAGE_NICKNAMES)?;
        }
    }
    if let Some(new) = &roles {
        access.require(Permissions::MANAGE_ROLES)?;
        let before: HashSet<Snowflake> = target.roles.iter().copied().collect();
        let after: HashSet<Snowflake> = new.iter().copied().collect();
        for changed in before.symmetric_difference(&after) {
            // A role deleted meanwhile is simply dropped; only existing roles are checked.
            if let Ok(role) = access.role(*changed) {
                access.require_outranks_role(role)?;
            }
        }
    }
    let timeout = match body.communication_disabled_until {
        Some(raw) => {
            moderation::require_may_time_out(&access, &target)?;
            let until = match raw {
                Some(text) => Some(clock::parse_rfc3339(&text).ok_or_else(|| {
                    ApiError::field("communication_disabled_until", "must be an RFC 3339 time")
                })?),
                None => None,
            };
            Some(moderation::check_timeout_until(until, clock::now_ms())?)
        }
        None => None,
    };
    // Permissions first, then hierarchy: someone lacking the permission is told so, not that they
    // are outranked.
    if !is_self && (nick.is_some() || roles.is_some()) {
        access.require_outranks_member(&target)?;
    }
    let audits = update_audits(&state, &access, &target, &nick, &roles, timeout, reason);
    let member = state
        .store
        .update_member(
            access.guild_id(),
            target.user.id,
            &MemberUpdate {
                nick,
                roles,
                communication_disabled_until: timeout,
            },
            &audits,
        )
        .await?;
    publish_member_update(&state, &member);
    Ok(axum::Json(views::member(&member)))
}

/// The audit entries of a member update: MEMBER_UPDATE for the nickname and timeout, and
/// MEMBER_ROLE_UPDATE with Discord's `$add`/`$remove` lists of `{id, name}` for the roles.
fn update_audits(
    state: &AppState,
    access: &GuildAccess,
    target: &MemberRecord,
    nick: &Option<Option<String>>,
    roles: &Option<Vec<Snowflake>>,
    timeout: Option<Option<i64>>,
    reason: Option<String>,
) -> Vec<NewAuditEntry> {
    let mut audits = Vec::new();
    let mut update = access
        .audit(state, AuditAction::MemberUpdate, reason.clone())
        .target(target.user.id);
    if let Some(new) = nick {
        update = update.change("nick", &target.nick, new);
    }
    if let Some(until) = timeout {
        update = moderation::timeout_audit(update, target, until);
    }
    if !update.changes.is_empty() {
        audits.push(update);
    }
    if let Some(new) = roles {
        let added: Vec<Snowflake> = new
            .iter()
            .filter(|r| !target.roles.contains(r))
            .copied()
            .collect();
        let removed: Vec<Snowflake> = target
            .roles
            .iter()
            .filter(|r| !new.contains(r))
            .copied()
            .collect();
        if !added.is_empty() || !removed.is_empty() {
            audits.push(role_audit(
                access.audit(state, AuditAction::MemberRoleUpdate, reason),
                access,
                target.user.id,
                &added,
                &removed,
            ));
        }
    }
    audits
}

/// A MEMBER_ROLE_UPDATE entry: the roles added and removed, by id and name as they were then.
fn role_audit(
    entry: NewAuditEntry,
    access: &GuildAccess,
    target: Snowflake,
    added: &[Snowflake],
    removed: &[Snowflake],
) -> NewAuditEntry {
    let named = |ids: &[Snowflake]| -> Option<Vec<serde_json::Value>> {
        (!ids.is_empty()).then(|| {
            ids.iter()
                .map(|id| {
                    let name = access.role(*id).map(|r| r.name.clone()).unwrap_or_default();
                    serde_json::json!({ "id": id.to_string(), "name": name })
                })
                .collect()
        })
    };
    entry
        .target(target)
        .change("$add", None::<()>, named(added))
        .change("$remove", None::<()>, named(removed))
}

/// Give a member a role (MANAGE_ROLES; the role below the caller's highest; the member below the caller
/// unless it is the caller).
#[utoipa::path(put, path = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", tag = "members", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("user_id" = String, Path), ("role_id" = String, Path)),
    responses((status = 204), (status = 400, body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS, ROLE_HIERARCHY", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_MEMBER, UNKNOWN_ROLE", body = ErrorBody)))]
async fn add_member_role(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, user_id, role_id)): Path<(String, String, String)>,
    AuditReason(reason): AuditReason,
) -> ApiResult<StatusCode> {
    change_member_role(state, auth, (guild_id, user_id, role_id), reason, true).await
}

/// Take a role from a member (same rules as giving one).
#[utoipa::path(delete, path = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", tag = "members", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("user_id" = String, Path), ("role_id" = String, Path)),
    responses((status = 204), (status = 400, body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS, ROLE_HIERARCHY", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_MEMBER, UNKNOWN_ROLE", body = ErrorBody)))]
async fn remove_member_role(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, user_id, role_id)): Path<(String, String, String)>,
    AuditReason(reason): AuditReason,
) -> ApiResult<StatusCode> {
    change_member_role(state, auth, (guild_id, user_id, role_id), reason, false).await
}

async fn change_member_role(
    state: AppState,
    auth: Authenticated,
    (guild_id, user_id, role_id): (String, String, String),
    reason: Option<String>,
    add: bool,
) -> ApiResult<StatusCode> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    let target = load_member(&state, &access, parse_id("user_id", &user_id)?).await?;
    let role = access.role(parse_id("role_id", &role_id)?)?.clone();
    access.require(Permissions::MANAGE_ROLES)?;
    if role.is_everyone() {
        return Err(ApiError::field("role_id", "@everyone is implicit"));
    }
    access.require_outranks_role(&role)?;
    if target.user.id != access.user_id() {
        access.require_outranks_member(&target)?;
    }
    let (added, removed) = if add {
        (vec![role.id], vec![])
    } else {
        (vec![], vec![role.id])
    };
    let audit = role_audit(
        access.audit(&state, AuditAction::MemberRoleUpdate, reason),
        &access,
        target.user.id,
        &added,
        &removed,
    );
    let changed = if add {
        state
            .store
            .add_member_role(access.guild_id(), target.user.id, role.id, &audit)
            .await
            .map_err(|e| match e {
                hearth_store::StoreError::NotFound => ApiError::NotFound(Entity::Member),
                other => other.into(),
            })?
    } else {
        state
            .store
            .remove_member_role(access.guild_id(), target.user.id, role.id, &audit)
            .await?
    };
    if changed
        && let Some(member) = state
            .store
            .member(access.guild_id(), target.user.id)
            .await?
    {
        publish_member_update(&state, &member);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Remove a member from the guild (KICK_MEMBERS; below the caller). They may rejoin with an invite.
#[utoipa::path(delete, path = "/guilds/{guild_id}/members/{user_id}", tag = "members", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("user_id" = String, Path)),
    responses((status = 204), (status = 400, body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS, ROLE_HIERARCHY", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_MEMBER", body = ErrorBody)))]
async fn kick_member(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, user_id)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
) -> ApiResult<StatusCode> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    let target = load_member(&state, &access, parse_id("user_id", &user_id)?).await?;
    access.require(Permissions::KICK_MEMBERS)?;
    if target.user.id == access.user_id() {
        return Err(ApiError::field(
            "user_id",
            "use DELETE /users/@me/guilds/{id} to leave",
        ));
    }
    moderation::kick(&state, &access, &target, reason).await?;
    Ok(StatusCode::NO_CONTENT)
}
