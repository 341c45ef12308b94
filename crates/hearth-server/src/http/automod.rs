//! A guild's AutoMod rules (`/guilds/{id}/auto-moderation/rules`), all behind MANAGE_GUILD, in
//! Discord's shapes. Screening messages with them is `services/automod.rs`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use hearth_core::automod::{
    self as rules, Action, ActionInput, AutoModRule, EventType, RuleName, Trigger, TriggerInput,
    TriggerType,
};
use hearth_core::{AuditAction, Permissions, Snowflake};
use hearth_protocol::automod::{
    ActionMetadata, AutoModAction, AutoModRule as WireRule, CreateAutoModRule, TriggerMetadata,
    UpdateAutoModRule,
};
use hearth_protocol::error::ErrorBody;
use hearth_protocol::events::Event;
use hearth_store::{AutoModRuleRecord, ChannelRecord, NewAutoModRule, StoreError};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, AuditReason, Authenticated, parse_id};
use crate::bus::Audience;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult, Entity, FieldErrors};
use crate::services::access::GuildAccess;
use crate::services::messaging;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rules, create_rule))
        .routes(routes!(get_rule, update_rule, delete_rule))
}

/// An action on the wire.
pub fn action(action: &Action) -> AutoModAction {
    let (kind, metadata) = match action {
        Action::BlockMessage { custom_message } => (
            1,
            ActionMetadata {
                custom_message: custom_message.clone(),
                ..ActionMetadata::default()
            },
        ),
        Action::SendAlertMessage { channel_id } => (
            2,
            ActionMetadata {
                channel_id: Some(channel_id.to_string()),
                ..ActionMetadata::default()
            },
        ),
        Action::Timeout { duration_seconds } => (
            3,
            ActionMetadata {
                duration_seconds: Some(i64::from(*duration_seconds)),
                ..ActionMetadata::default()
            },
        ),
    };
    AutoModAction {
        kind,
        metadata: Some(metadata),
    }
}

fn texts<T>(items: &[T], text: impl Fn(&T) -> &str) -> Option<Vec<String>> {
    Some(items.iter().map(|i| text(i).to_owned()).collect())
}

fn trigger_metadata(trigger: &Trigger) -> TriggerMetadata {
    match trigger {
        Trigger::Keyword {
            keywords,
            regex_patterns,
            allow_list,
        } => TriggerMetadata {
            keyword_filter: texts(keywords, |k| k.as_str()),
            regex_patterns: texts(regex_patterns, |p| p.as_str()),
            allow_list: texts(allow_list, |k| k.as_str()),
            ..TriggerMetadata::default()
        },
        Trigger::MentionSpam {
            mention_total_limit,
        } => TriggerMetadata {
            mention_total_limit: Some(i64::from(*mention_total_limit)),
            mention_raid_protection_enabled: Some(false),
            ..TriggerMetadata::default()
        },
        Trigger::InviteLinks {
            allow_list,
            allow_guild_invites,
        } => TriggerMetadata {
            allow_list: Some(allow_list.clone()),
            allow_guild_invites: Some(*allow_guild_invites),
            ..TriggerMetadata::default()
        },
        Trigger::Links {
            allowed_domains,
            blocked_domains,
        } => TriggerMetadata {
            allowed_domains: texts(allowed_domains, |d| d.as_str()),
            blocked_domains: texts(blocked_domains, |d| d.as_str()),
            ..TriggerMetadata::default()
        },
        Trigger::MessageSpam {
            max_messages,
            max_duplicates,
            interval_seconds,
        } => TriggerMetadata {
            max_messages: max_messages.map(i64::from),
            max_duplicates: max_duplicates.map(i64::from),
            interval_seconds: Some(i64::from(*interval_seconds)),
            ..TriggerMetadata::default()
        },
    }
}

/// A stored rule on the wire.
pub fn rule(record: &AutoModRuleRecord) -> WireRule {
    let rule = &record.rule;
    WireRule {
        id: rule.id.to_string(),
        guild_id: record.guild_id.to_string(),
        name: rule.name.as_str().to_owned(),
        creator_id: record.creator_id.map(|id| id.to_string()),
        event_type: rule.event_type.as_wire(),
        trigger_type: rule.trigger.kind().as_wire(),
        trigger_metadata: trigger_metadata(&rule.trigger),
        actions: rule.actions.iter().map(action).collect(),
        enabled: rule.enabled,
        exempt_roles: rule.exempt_roles.iter().map(Snowflake::to_string).collect(),
        exempt_channels: rule
            .exempt_channels
            .iter()
            .map(Snowflake::to_string)
            .collect(),
    }
}

fn publish(state: &AppState, record: &AutoModRuleRecord, event: fn(Box<WireRule>) -> Event) {
    state.automod.invalidate(record.guild_id);
    state.bus.publish(
        Audience::GuildWith {
            guild_id: record.guild_id,
            permission: Permissions::MANAGE_GUILD,
        },
        &event(Box::new(rule(record))),
    );
}

/// Records each of a parse's problems under `prefix` (`trigger_metadata.keyword_filter[3]`).
fn record<T>(
    errors: &mut FieldErrors,
    prefix: &str,
    parsed: Result<T, rules::Problems>,
) -> Option<T> {
    match parsed {
        Ok(value) => Some(value),
        Err(problems) => {
            for (path, problem) in problems {
                let field = match (prefix, path.starts_with('[')) {
                    (_, true) | ("", _) => format!("{prefix}{path}"),
                    _ if path.is_empty() => prefix.to_owned(),
                    _ => format!("{prefix}.{path}"),
                };
                errors.check::<(), _>(&field, Err(problem));
            }
            None
        }
    }
}

fn trigger_input(raw: &TriggerMetadata) -> TriggerInput {
    TriggerInput {
        keyword_filter: raw.keyword_filter.clone(),
        regex_patterns: raw.regex_patterns.clone(),
        allow_list: raw.allow_list.clone(),
        presets: raw.presets.clone(),
        mention_total_limit: raw.mention_total_limit,
        mention_raid_protection_enabled: raw.mention_raid_protection_enabled,
        allow_guild_invites: raw.allow_guild_invites,
        allowed_domains: raw.allowed_domains.clone(),
        blocked_domains: raw.blocked_domains.clone(),
        max_messages: raw.max_messages,
        max_duplicates: raw.max_duplicates,
        interval_seconds: raw.interval_seconds,
    }
}

fn parse_actions(raw: &[AutoModAction], errors: &mut FieldErrors) -> Option<Vec<Action>> {
    let inputs: Vec<ActionInput> = raw
        .iter()
        .map(|a| {
            let meta = a.metadata.clone().unwrap_or_default();
            ActionInput {
                kind: a.kind,
                custom_message: meta.custom_message,
                channel_id: meta.channel_id,
                duration_seconds: meta.duration_seconds,
            }
        })
        .collect();
    record(errors, "actions", rules::parse_actions(&inputs))
}

/// Checks that exempt roles are roles of the guild, and exempt and alert channels channels of it (an
/// alert channel one that takes messages).
fn check_references(
    access: &GuildAccess,
    channels: &[ChannelRecord],
    rule: &AutoModRule,
    errors: &mut FieldErrors,
) {
    for (i, role) in rule.exempt_roles.iter().enumerate() {
        if access.role(*role).is_err() {
            errors.check::<(), _>(
                &format!("exempt_roles[{i}]"),
                Err("is not a role of this guild"),
            );
        }
    }
    for (i, channel) in rule.exempt_channels.iter().enumerate() {
        if !channels.iter().any(|c| c.id == *channel) {
            errors.check::<(), _>(
                &format!("exempt_channels[{i}]"),
                Err("is not a channel of this guild"),
            );
        }
    }
    for (i, action) in rule.actions.iter().enumerate() {
        if let Action::SendAlertMessage { channel_id } = action
            && !channels
                .iter()
                .any(|c| c.id == *channel_id && messaging::accepts_messages(c.kind))
        {
            errors.check::<(), _>(
                &format!("actions[{i}].metadata.channel_id"),
                Err("is not a text channel of this guild"),
            );
        }
    }
}

async fn manager(state: &AppState, auth: &Authenticated, guild_id: &str) -> ApiResult<GuildAccess> {
    let access = GuildAccess::load(state, &auth.user, parse_id("guild_id", guild_id)?).await?;
    access.require(Permissions::MANAGE_GUILD)?;
    Ok(access)
}

async fn load_rule(
    state: &AppState,
    access: &GuildAccess,
    rule_id: &str,
) -> ApiResult<AutoModRuleRecord> {
    state
        .store
        .automod_rule(access.guild_id(), parse_id("rule_id", rule_id)?)
        .await?
        .ok_or(ApiError::NotFound(Entity::AutoModRule))
}

/// The guild's rules, oldest first (MANAGE_GUILD).
#[utoipa::path(get, path = "/guilds/{guild_id}/auto-moderation/rules", tag = "automod", security(("bearer" = [])),
    params(("guild_id" = String, Path)),
    responses((status = 200, body = Vec<WireRule>), (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn list_rules(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
) -> ApiResult<axum::Json<Vec<WireRule>>> {
    let access = manager(&state, &auth, &guild_id).await?;
    let records = state.store.automod_rules(access.guild_id()).await?;
    Ok(axum::Json(records.iter().map(rule).collect()))
}

/// One rule (MANAGE_GUILD).
#[utoipa::path(get, path = "/guilds/{guild_id}/auto-moderation/rules/{rule_id}", tag = "automod", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("rule_id" = String, Path)),
    responses((status = 200, body = WireRule), (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_AUTO_MODERATION_RULE", body = ErrorBody)))]
async fn get_rule(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, rule_id)): Path<(String, String)>,
) -> ApiResult<axum::Json<WireRule>> {
    let access = manager(&state, &auth, &guild_id).await?;
    Ok(axum::Json(rule(
        &load_rule(&state, &access, &rule_id).await?,
    )))
}

/// Create a rule (MANAGE_GUILD): at most 6 KEYWORD rules and one of each other trigger type.
#[utoipa::path(post, path = "/guilds/{guild_id}/auto-moderation/rules", tag = "automod", security(("bearer" = [])),
    params(("guild_id" = String, Path)), request_body = CreateAutoModRule,
    responses((status = 201, body = WireRule), (status = 400, description = "VALIDATION_FAILED, LIMIT_REACHED", body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn create_rule(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
    AuditReason(reason): AuditReason,
    ApiJson(body): ApiJson<CreateAutoModRule>,
) -> ApiResult<impl IntoResponse> {
    let access = manager(&state, &auth, &guild_id).await?;
    let mut errors = FieldErrors::default();
    let name = errors.check("name", RuleName::parse(&body.name));
    let event_type = errors.check("event_type", EventType::from_wire(body.event_type));
    let kind = errors.check("trigger_type", TriggerType::from_wire(body.trigger_type));
    let trigger = kind.and_then(|kind| {
        let raw = body.trigger_metadata.clone().unwrap_or_default();
        record(
            &mut errors,
            "trigger_metadata",
            Trigger::parse(kind, &trigger_input(&raw)),
        )
    });
    let actions = parse_actions(&body.actions, &mut errors);
    let exempt_roles = record(
        &mut errors,
        "exempt_roles",
        rules::parse_exempt_ids(
            body.exempt_roles.as_deref().unwrap_or_default(),
            rules::EXEMPT_ROLES_MAX,
        ),
    );
    let exempt_channels = record(
        &mut errors,
        "exempt_channels",
        rules::parse_exempt_ids(
            body.exempt_channels.as_deref().unwrap_or_default(),
            rules::EXEMPT_CHANNELS_MAX,
        ),
    );
    let (
        Some(name),
        Some(event_type),
        Some(trigger),
        Some(actions),
        Some(exempt_roles),
        Some(exempt_channels),
    ) = (
        name,
        event_type,
        trigger,
        actions,
        exempt_roles,
        exempt_channels,
    )
    else {
        return Err(errors.into_error());
    };
    let new_rule = AutoModRule {
        id: state.next_id(),
        name,
        event_type,
        trigger,
        actions,
        enabled: body.enabled.unwrap_or(false),
        exempt_roles,
        exempt_channels,
    };
    let channels = state.store.channels_of_guild(access.guild_id()).await?;
    check_references(&access, &channels, &new_rule, &mut errors);
    errors.finish()?;
    let entry = access
        .audit(&state, AuditAction::AutoModerationRuleCreate, reason)
        .target(new_rule.id)
        .change("name", None::<&str>, new_rule.name.as_str())
        .change(
            "trigger_type",
            None::<u16>,
            new_rule.trigger.kind().as_wire(),
        )
        .change("enabled", None::<bool>, new_rule.enabled);
    let created = state
        .store
        .create_automod_rule(
            &NewAutoModRule {
                guild_id: access.guild_id(),
                creator_id: access.user_id(),
                rule: new_rule,
                now_ms: now_ms(),
            },
            &entry,
        )
        .await?;
    publish(&state, &created, Event::AutoModerationRuleCreate);
    Ok((StatusCode::CREATED, axum::Json(rule(&created))))
}

/// Edit a rule (MANAGE_GUILD). Given fields replace the rule's; `trigger_metadata` is checked against
/// the rule's trigger type, which cannot change.
#[utoipa::path(patch, path = "/guilds/{guild_id}/auto-moderation/rules/{rule_id}", tag = "automod", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("rule_id" = String, Path)), request_body = UpdateAutoModRule,
    responses((status = 200, body = WireRule), (status = 400, description = "VALIDATION_FAILED", body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_AUTO_MODERATION_RULE", body = ErrorBody)))]
async fn update_rule(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, rule_id)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
    ApiJson(body): ApiJson<UpdateAutoModRule>,
) -> ApiResult<axum::Json<WireRule>> {
    let access = manager(&state, &auth, &guild_id).await?;
    let before = load_rule(&state, &access, &rule_id).await?;
    let mut errors = FieldErrors::default();
    let mut changed = before.rule.clone();
    if let Some(raw) = &body.name
        && let Some(name) = errors.check("name", RuleName::parse(raw))
    {
        changed.name = name;
    }
    if let Some(raw) = body.event_type
        && let Some(event_type) = errors.check("event_type", EventType::from_wire(raw))
    {
        changed.event_type = event_type;
    }
    if let Some(raw) = &body.trigger_metadata
        && let Some(trigger) = record(
            &mut errors,
            "trigger_metadata",
            Trigger::parse(changed.trigger.kind(), &trigger_input(raw)),
        )
    {
        changed.trigger = trigger;
    }
    if let Some(raw) = &body.actions
        && let Some(actions) = parse_actions(raw, &mut errors)
    {
        changed.actions = actions;
    }
    if let Some(enabled) = body.enabled {
        changed.enabled = enabled;
    }
    if let Some(raw) = &body.exempt_roles
        && let Some(ids) = record(
            &mut errors,
            "exempt_roles",
            rules::parse_exempt_ids(raw, rules::EXEMPT_ROLES_MAX),
        )
    {
        changed.exempt_roles = ids;
    }
    if let Some(raw) = &body.exempt_channels
        && let Some(ids) = record(
            &mut errors,
            "exempt_channels",
            rules::parse_exempt_ids(raw, rules::EXEMPT_CHANNELS_MAX),
        )
    {
        changed.exempt_channels = ids;
    }
    let channels = state.store.channels_of_guild(access.guild_id()).await?;
    check_references(&access, &channels, &changed, &mut errors);
    errors.finish()?;
    let old = rule(&before);
    let new = rule(&AutoModRuleRecord {
        rule: changed.clone(),
        ..before.clone()
    });
    let entry = access
        .audit(&state, AuditAction::AutoModerationRuleUpdate, reason)
        .target(changed.id)
        .change("name", &old.name, &new.name)
        .change("event_type", old.event_type, new.event_type)
        .change(
            "trigger_metadata",
            &old.trigger_metadata,
            &new.trigger_metadata,
        )
        .change("actions", &old.actions, &new.actions)
        .change("enabled", old.enabled, new.enabled)
        .change("exempt_roles", &old.exempt_roles, &new.exempt_roles)
        .change(
            "exempt_channels",
            &old.exempt_channels,
            &new.exempt_channels,
        );
    let updated = state
        .store
        .update_automod_rule(access.guild_id(), &changed, now_ms(), &entry)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::NotFound(Entity::AutoModRule),
            other => other.into(),
        })?;
    publish(&state, &updated, Event::AutoModerationRuleUpdate);
    Ok(axum::Json(rule(&updated)))
}

/// Delete a rule (MANAGE_GUILD): 204.
#[utoipa::path(delete, path = "/guilds/{guild_id}/auto-moderation/rules/{rule_id}", tag = "automod", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("rule_id" = String, Path)),
    responses((status = 204), (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_AUTO_MODERATION_RULE", body = ErrorBody)))]
async fn delete_rule(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, rule_id)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
) -> ApiResult<StatusCode> {
    let access = manager(&state, &auth, &guild_id).await?;
    let rule_id = parse_id("rule_id", &rule_id)?;
    let entry = access
        .audit(&state, AuditAction::AutoModerationRuleDelete, reason)
        .target(rule_id);
    let deleted = state
        .store
        .delete_automod_rule(access.guild_id(), rule_id, &entry)
        .await?
        .ok_or(ApiError::NotFound(Entity::AutoModRule))?;
    publish(&state, &deleted, Event::AutoModerationRuleDelete);
    Ok(StatusCode::NO_CONTENT)
}
