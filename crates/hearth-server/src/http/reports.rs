//! Reports: members report a message or a member to the guild's moderators (MANAGE_REPORTS), or a
//! user to the instance's admins; moderators triage the queue (status, assignee, notes, escalation)
//! and act on a report with one click (delete, timeout, kick, ban), each action under its own
//! permission and recorded in the audit log.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hearth_core::instance::InstanceAuditAction;
use hearth_core::report::{REPORT_NOTE_MAX_CHARS, REPORT_REASON_MAX_CHARS, parse_note};
use hearth_core::{AuditAction, Permissions, Snowflake, report::ReportCategory};
use hearth_protocol::error::ErrorBody;
use hearth_protocol::events::Event;
use hearth_protocol::messages::MessageDeleted;
use hearth_protocol::moderation::{
    CreateReport, CreateReportNote, Report, ReportAction, ReportNote, UpdateReport,
};
use hearth_store::{
    AuditChange, NewInstanceAuditEntry, ReportAudit, ReportNoteRecord, ReportRecord, ReportScope,
    ReportStatus, ReportUpdate,
};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{AUDIT_REASON_MAX_CHARS, Admin, ApiJson, ApiQuery, Authenticated, parse_id};
use super::members::load_member;
use super::messages::{load_message, publish_in_channel};
use crate::bus::Audience;
use crate::clock::{now_ms, rfc3339};
use crate::error::{ApiError, ApiResult, Entity, FieldErrors};
use crate::services::access::{ChannelAccess, GuildAccess};
use crate::services::moderation;
use crate::state::AppState;

/// Largest page of a report queue.
const REPORT_PAGE_MAX: u32 = 100;
/// A timeout from a report lasts this long unless the moderator says otherwise.
const DEFAULT_TIMEOUT_SECONDS: i64 = 3600;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_guild_report, list_guild_reports))
        .routes(routes!(get_guild_report, update_guild_report))
        .routes(routes!(add_guild_note))
        .routes(routes!(act_on_report))
        .routes(routes!(create_instance_report))
        .routes(routes!(list_instance_reports))
        .routes(routes!(get_instance_report, update_instance_report))
        .routes(routes!(add_instance_note))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportPage {
    /// open, resolved or dismissed; all when absent.
    pub status: Option<String>,
    /// Reports older than this report id.
    pub before: Option<String>,
    /// 1–100, default 50.
    pub limit: Option<i64>,
}

impl ReportPage {
    fn parse(&self) -> ApiResult<(Option<ReportStatus>, Option<Snowflake>, u32)> {
        let mut errors = FieldErrors::default();
        let status = self.status.as_deref().and_then(|s| {
            errors.check(
                "status",
                ReportStatus::parse(s).ok_or("must be open, resolved or dismissed"),
            )
        });
        let before = errors.id("before", self.before.as_deref());
        let limit = errors.limit(self.limit, 50, REPORT_PAGE_MAX);
        errors.finish()?;
        Ok((status, before, limit))
    }
}

fn view(r: &ReportRecord, notes: Option<&[ReportNoteRecord]>) -> Report {
    Report {
        id: r.id.to_string(),
        guild_id: r.guild_id.map(|g| g.to_string()),
        reporter_id: r.reporter_id.to_string(),
        target_user_id: r.target_user_id.to_string(),
        channel_id: r.channel_id.map(|c| c.to_string()),
        message_id: r.message_id.map(|m| m.to_string()),
        message_content: r.message_content.clone(),
        category: r.category.clone(),
        reason: r.reason.clone(),
        status: r.status.as_str().to_owned(),
        assignee_id: r.assignee_id.map(|a| a.to_string()),
        escalated: r.escalated,
        created_at: rfc3339(r.created_at),
        updated_at: rfc3339(r.updated_at),
        notes: notes.map(|notes| {
            notes
                .iter()
                .map(|n| ReportNote {
                    id: n.id.to_string(),
                    author_id: n.author_id.map(|a| a.to_string()),
                    content: n.content.clone(),
                    created_at: rfc3339(n.created_at),
                })
                .collect()
        }),
    }
}

fn reports_audience(guild_id: Snowflake) -> Audience {
    Audience::GuildWith {
        guild_id,
        permission: Permissions::MANAGE_REPORTS,
    }
}

fn publish(state: &AppState, report: &ReportRecord, created: bool) {
    let Some(guild_id) = report.guild_id else {
        return;
    };
    let payload = Box::new(view(report, None));
    let event = if created {
        Event::ReportCreate(payload)
    } else {
        Event::ReportUpdate(payload)
    };
    state.bus.publish(reports_audience(guild_id), &event);
}

fn parse_category_and_reason(body: &CreateReport) -> ApiResult<(ReportCategory, String)> {
    let mut errors = FieldErrors::default();
    let category = errors.check("category", ReportCategory::parse(&body.category));
    let reason = errors.check(
        "reason",
        parse_note(
            body.reason.as_deref().unwrap_or(""),
            REPORT_REASON_MAX_CHARS,
            false,
        ),
    );
    match (category, reason) {
        (Some(c), Some(r)) => Ok((c, r)),
        _ => Err(errors.into_error()),
    }
}

/// Report a message (`channel_id` + `message_id`, of a channel you can see) or a member (`user_id`)
/// to the guild's moderators; `escalate` also sends it to the instance's admins. One open report per
/// reporter and message (or member); at most 50 open reports per reporter.
#[utoipa::path(post, path = "/guilds/{guild_id}/reports", tag = "moderation", security(("bearer" = [])),
    params(("guild_id" = String, Path)), request_body = CreateReport,
    responses((status = 201, body = Report), (status = 400, body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_CHANNEL, UNKNOWN_MESSAGE, UNKNOWN_MEMBER", body = ErrorBody),
        (status = 409, description = "ALREADY_REPORTED", body = ErrorBody)))]
async fn create_guild_report(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
    ApiJson(body): ApiJson<CreateReport>,
) -> ApiResult<(StatusCode, axum::Json<Report>)> {
    let guild_id = parse_id("guild_id", &guild_id)?;
    let (category, reason) = parse_category_and_reason(&body)?;
    let (target, channel_id, message_id, content) =
        match (&body.channel_id, &body.message_id, &body.user_id) {
            (Some(channel), Some(message), None) => {
                let access =
                    ChannelAccess::load(&state, &auth.user, parse_id("channel_id", channel)?)
                        .await?;
                if access.guild.guild_id() != guild_id {
                    return Err(ApiError::NotFound(Entity::Channel));
                }
                let message = load_message(&state, &access, message).await?;
                (
                    message.author.id,
                    Some(access.channel.id),
                    Some(message.id),
                    Some(message.content.clone()),
                )
            }
            (None, None, Some(user)) => {
                let access = GuildAccess::load(&state, &auth.user, guild_id).await?;
                let member = load_member(&state, &access, parse_id("user_id", user)?).await?;
                (member.user.id, None, None, None)
            }
            _ => {
                return Err(ApiError::field(
                    "user_id",
                    "give either channel_id and message_id, or user_id",
                ));
            }
        };
    if target == auth.user.id {
        return Err(ApiError::field("user_id", "you cannot report yourself"));
    }
    let now = now_ms();
    let report = ReportRecord {
        id: state.next_id(),
        guild_id: Some(guild_id),
        reporter_id: auth.user.id,
        target_user_id: target,
        channel_id,
        message_id,
        message_content: content,
        category: category.as_str().to_owned(),
        reason,
        status: ReportStatus::Open,
        assignee_id: None,
        escalated: body.escalate,
        created_at: now,
        updated_at: now,
    };
    state.store.create_report(&report).await?;
    publish(&state, &report, true);
    Ok((StatusCode::CREATED, axum::Json(view(&report, None))))
}

/// Report a user to the instance's admins (for what no one guild moderates, such as a profile).
#[utoipa::path(post, path = "/reports", tag = "moderation", security(("bearer" = [])),
    request_body = CreateReport,
    responses((status = 201, body = Report), (status = 400, body = ErrorBody),
        (status = 404, description = "UNKNOWN_USER", body = ErrorBody),
        (status = 409, description = "ALREADY_REPORTED", body = ErrorBody)))]
async fn create_instance_report(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(body): ApiJson<CreateReport>,
) -> ApiResult<(StatusCode, axum::Json<Report>)> {
    let (category, reason) = parse_category_and_reason(&body)?;
    if body.channel_id.is_some() || body.message_id.is_some() {
        return Err(ApiError::field(
            "message_id",
            "report messages to their guild: POST /guilds/{id}/reports",
        ));
    }
    let raw = body
        .user_id
        .as_deref()
        .ok_or_else(|| ApiError::field("user_id", "is required"))?;
    let target = state
        .store
        .user_by_id(parse_id("user_id", raw)?)
        .await?
        .ok_or(ApiError::NotFound(Entity::User))?;
    if target.id == auth.user.id {
        return Err(ApiError::field("user_id", "you cannot report yourself"));
    }
    let now = now_ms();
    let report = ReportRecord {
        id: state.next_id(),
        guild_id: None,
        reporter_id: auth.user.id,
        target_user_id: target.id,
        channel_id: None,
        message_id: None,
        message_content: None,
        category: category.as_str().to_owned(),
        reason,
        status: ReportStatus::Open,
        assignee_id: None,
        escalated: false,
        created_at: now,
        updated_at: now,
    };
    state.store.create_report(&report).await?;
    Ok((StatusCode::CREATED, axum::Json(view(&report, None))))
}

/// The guild's report queue, newest first (MANAGE_REPORTS).
#[utoipa::path(get, path = "/guilds/{guild_id}/reports", tag = "moderation", security(("bearer" = [])),
    params(("guild_id" = String, Path), ReportPage),
    responses((status = 200, body = Vec<Report>), (status = 400, body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD", body = ErrorBody)))]
async fn list_guild_reports(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(guild_id): Path<String>,
    ApiQuery(page): ApiQuery<ReportPage>,
) -> ApiResult<axum::Json<Vec<Report>>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::MANAGE_REPORTS)?;
    let (status, before, limit) = page.parse()?;
    let reports = state
        .store
        .reports(ReportScope::Guild(access.guild_id()), status, before, limit)
        .await?;
    Ok(axum::Json(reports.iter().map(|r| view(r, None)).collect()))
}

/// A report of this guild; `UNKNOWN_REPORT` for any other.
async fn guild_report(
    state: &AppState,
    access: &GuildAccess,
    raw_id: &str,
) -> ApiResult<ReportRecord> {
    state
        .store
        .report(parse_id("report_id", raw_id)?)
        .await?
        .filter(|r| r.guild_id == Some(access.guild_id()))
        .ok_or(ApiError::NotFound(Entity::Report))
}

/// One report with its notes (MANAGE_REPORTS).
#[utoipa::path(get, path = "/guilds/{guild_id}/reports/{report_id}", tag = "moderation", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("report_id" = String, Path)),
    responses((status = 200, body = Report), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_REPORT", body = ErrorBody)))]
async fn get_guild_report(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, report_id)): Path<(String, String)>,
) -> ApiResult<axum::Json<Report>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::MANAGE_REPORTS)?;
    let report = guild_report(&state, &access, &report_id).await?;
    let notes = state.store.report_notes(report.id).await?;
    Ok(axum::Json(view(&report, Some(&notes))))
}

/// The parsed triage change and its audit changes.
fn parse_update(body: &UpdateReport) -> ApiResult<ReportUpdate> {
    let mut errors = FieldErrors::default();
    let status = body.status.as_deref().and_then(|s| {
        errors.check(
            "status",
            ReportStatus::parse(s).ok_or("must be open, resolved or dismissed"),
        )
    });
    let assignee_id = match &body.assignee_id {
        Some(Some(raw)) => errors
            .check("assignee_id", raw.parse::<Snowflake>())
            .map(|id| Some(Some(id))),
        Some(None) => Some(Some(None)),
        None => Some(None),
    }
    .flatten();
    errors.finish()?;
    Ok(ReportUpdate {
        status,
        assignee_id,
        escalated: body.escalated,
    })
}

/// What a triage changes, for the audit entry of whichever log records it.
fn report_changes(report: &ReportRecord, update: &ReportUpdate) -> Vec<AuditChange> {
    [
        update.status.and_then(|status| {
            AuditChange::between("status", report.status.as_str(), status.as_str())
        }),
        update.assignee_id.and_then(|assignee| {
            AuditChange::between(
                "assignee_id",
                report.assignee_id.map(|a| a.to_string()),
                assignee.map(|a| a.to_string()),
            )
        }),
        update
            .escalated
            .and_then(|escalated| AuditChange::between("escalated", report.escalated, escalated)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Applies a triage with its audit entry, tells the guild's report managers, and answers the report.
async fn apply_update(
    state: &AppState,
    report: &ReportRecord,
    update: &ReportUpdate,
    audit: ReportAudit<'_>,
) -> ApiResult<axum::Json<Report>> {
    let updated = state
        .store
        .update_report(report.id, update, now_ms(), audit)
        .await?;
    publish(state, &updated, false);
    Ok(axum::Json(view(&updated, None)))
}

/// Triage a report (MANAGE_REPORTS): status, assignee (a member who can manage reports), or
/// escalation to the instance's admins (which a guild cannot take back).
#[utoipa::path(patch, path = "/guilds/{guild_id}/reports/{report_id}", tag = "moderation", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("report_id" = String, Path)), request_body = UpdateReport,
    responses((status = 200, body = Report), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_REPORT", body = ErrorBody)))]
async fn update_guild_report(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, report_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<UpdateReport>,
) -> ApiResult<axum::Json<Report>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::MANAGE_REPORTS)?;
    let report = guild_report(&state, &access, &report_id).await?;
    let update = parse_update(&body)?;
    if update.escalated == Some(false) && report.escalated {
        return Err(ApiError::field(
            "escalated",
            "only the instance's admins can take an escalation back",
        ));
    }
    if let Some(Some(assignee)) = update.assignee_id {
        let member = state
            .store
            .member(access.guild_id(), assignee)
            .await?
            .ok_or_else(|| ApiError::field("assignee_id", "is not a member of this guild"))?;
        if !access
            .permissions_of(&member)
            .contains(Permissions::MANAGE_REPORTS)
        {
            return Err(ApiError::field(
                "assignee_id",
                "cannot manage reports in this guild",
            ));
        }
    }
    let mut entry = access
        .audit(&state, AuditAction::ReportUpdate, None)
        .target(report.target_user_id)
        .option("report_id", report.id.to_string());
    entry.changes = report_changes(&report, &update);
    apply_update(&state, &report, &update, ReportAudit::Guild(&entry)).await
}

fn parse_note_body(body: &CreateReportNote) -> ApiResult<String> {
    parse_note(&body.content, REPORT_NOTE_MAX_CHARS, true)
        .map_err(|e| ApiError::field("content", e))
}

/// Add a moderator's note to a report (MANAGE_REPORTS); at most 200 notes per report.
#[utoipa::path(post, path = "/guilds/{guild_id}/reports/{report_id}/notes", tag = "moderation", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("report_id" = String, Path)), request_body = CreateReportNote,
    responses((status = 201, body = Report), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_REPORT", body = ErrorBody)))]
async fn add_guild_note(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, report_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<CreateReportNote>,
) -> ApiResult<(StatusCode, axum::Json<Report>)> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::MANAGE_REPORTS)?;
    let report = guild_report(&state, &access, &report_id).await?;
    let content = parse_note_body(&body)?;
    add_note(&state, &report, auth.user.id, content).await
}

async fn add_note(
    state: &AppState,
    report: &ReportRecord,
    author: Snowflake,
    content: String,
) -> ApiResult<(StatusCode, axum::Json<Report>)> {
    state
        .store
        .add_report_note(&ReportNoteRecord {
            id: state.next_id(),
            report_id: report.id,
            author_id: Some(author),
            content,
            created_at: now_ms(),
        })
        .await?;
    let notes = state.store.report_notes(report.id).await?;
    let report = state
        .store
        .report(report.id)
        .await?
        .ok_or(ApiError::NotFound(Entity::Report))?;
    Ok((StatusCode::CREATED, axum::Json(view(&report, Some(&notes)))))
}

/// Act on a report with one click and resolve it (MANAGE_REPORTS, plus the action's own
/// permission): `delete_message` (MANAGE_MESSAGES in the channel), `timeout` (MODERATE_MEMBERS),
/// `kick` (KICK_MEMBERS) or `ban` (BAN_MEMBERS). The action and the resolution are each audited.
#[utoipa::path(post, path = "/guilds/{guild_id}/reports/{report_id}/actions", tag = "moderation", security(("bearer" = [])),
    params(("guild_id" = String, Path), ("report_id" = String, Path)), request_body = ReportAction,
    responses((status = 200, body = Report), (status = 400, body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS, ROLE_HIERARCHY", body = ErrorBody),
        (status = 404, description = "UNKNOWN_GUILD, UNKNOWN_REPORT, UNKNOWN_MESSAGE, UNKNOWN_MEMBER", body = ErrorBody)))]
async fn act_on_report(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((guild_id, report_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ReportAction>,
) -> ApiResult<axum::Json<Report>> {
    let access = GuildAccess::load(&state, &auth.user, parse_id("guild_id", &guild_id)?).await?;
    access.require(Permissions::MANAGE_REPORTS)?;
    let report = guild_report(&state, &access, &report_id).await?;
    let reason = match body.reason.as_deref() {
        Some(r) => {
            let r = parse_note(r, AUDIT_REASON_MAX_CHARS, false)
                .map_err(|e| ApiError::field("reason", e))?;
            (!r.is_empty()).then_some(r)
        }
        None => None,
    }
    .or_else(|| Some(format!("report {}", report.id)));
    match body.kind.as_str() {
        "delete_message" => {
            let (Some(channel_id), Some(message_id)) = (report.channel_id, report.message_id)
            else {
                return Err(ApiError::field("type", "the report is not about a message"));
            };
            let channel = ChannelAccess::load(&state, &auth.user, channel_id).await?;
            channel.require(Permissions::MANAGE_MESSAGES)?;
            let message = load_message(&state, &channel, &message_id.to_string()).await?;
            let audit = channel
                .guild
                .audit(&state, AuditAction::MessageDelete, reason)
                .target(message.author.id)
                .option("channel_id", channel_id.to_string())
                .option("count", "1");
            if state
                .store
                .delete_message(channel_id, message.id, Some(&audit))
                .await?
            {
                publish_in_channel(
                    &state,
                    &channel,
                    &Event::MessageDelete(MessageDeleted {
                        id: message.id.to_string(),
                        channel_id: channel_id.to_string(),
                        guild_id: access.guild_id().to_string(),
                    }),
                );
            }
        }
        "timeout" => {
            let seconds = body.duration_seconds.unwrap_or(DEFAULT_TIMEOUT_SECONDS);
            if !(60..=moderation::MAX_TIMEOUT_MS / 1000).contains(&seconds) {
                return Err(ApiError::field(
                    "duration_seconds",
                    format!(
                        "must be between 60 and {}",
                        moderation::MAX_TIMEOUT_MS / 1000
                    ),
                ));
            }
            let target = load_member(&state, &access, report.target_user_id).await?;
            moderation::timeout(
                &state,
                &access,
                &target,
                Some(now_ms() + seconds * 1000),
                reason,
            )
            .await?;
        }
        "kick" => {
            let target = load_member(&state, &access, report.target_user_id).await?;
            moderation::kick(&state, &access, &target, reason).await?;
        }
        "ban" => {
            let user = state
                .store
                .user_by_id(report.target_user_id)
                .await?
                .ok_or(ApiError::NotFound(Entity::User))?;
            moderation::ban(
                &state,
                &access,
                &user,
                reason,
                body.delete_message_seconds.unwrap_or(0),
            )
            .await?;
        }
        _ => {
            return Err(ApiError::field(
                "type",
                "must be delete_message, timeout, kick or ban",
            ));
        }
    }
    let update = ReportUpdate {
        status: Some(ReportStatus::Resolved),
        ..ReportUpdate::default()
    };
    let mut entry = access
        .audit(&state, AuditAction::ReportUpdate, None)
        .target(report.target_user_id)
        .option("report_id", report.id.to_string())
        .option("action", body.kind.as_str());
    entry.changes = report_changes(&report, &update);
    apply_update(&state, &report, &update, ReportAudit::Guild(&entry)).await
}

/// The instance admins' queue: reports made to them and reports guilds escalated, newest first.
#[utoipa::path(get, path = "/admin/reports", tag = "admin", security(("bearer" = [])),
    params(ReportPage),
    responses((status = 200, body = Vec<Report>), (status = 400, body = ErrorBody),
        (status = 403, description = "ADMIN_REQUIRED", body = ErrorBody)))]
async fn list_instance_reports(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(page): ApiQuery<ReportPage>,
) -> ApiResult<axum::Json<Vec<Report>>> {
    let (status, before, limit) = page.parse()?;
    let reports = state
        .store
        .reports(ReportScope::Instance, status, before, limit)
        .await?;
    Ok(axum::Json(reports.iter().map(|r| view(r, None)).collect()))
}

/// A report in the admins' queue; `UNKNOWN_REPORT` for a guild's report that was not escalated.
async fn instance_report(state: &AppState, raw_id: &str) -> ApiResult<ReportRecord> {
    state
        .store
        .report(parse_id("report_id", raw_id)?)
        .await?
        .filter(|r| r.guild_id.is_none() || r.escalated)
        .ok_or(ApiError::NotFound(Entity::Report))
}

#[utoipa::path(get, path = "/admin/reports/{report_id}", tag = "admin", security(("bearer" = [])),
    params(("report_id" = String, Path)),
    responses((status = 200, body = Report), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_REPORT", body = ErrorBody)))]
async fn get_instance_report(
    State(state): State<AppState>,
    _admin: Admin,
    Path(report_id): Path<String>,
) -> ApiResult<axum::Json<Report>> {
    let report = instance_report(&state, &report_id).await?;
    let notes = state.store.report_notes(report.id).await?;
    Ok(axum::Json(view(&report, Some(&notes))))
}

/// Triage a report as an admin (status, assignee: an admin, or taking an escalation back); recorded
/// in the instance audit log.
#[utoipa::path(patch, path = "/admin/reports/{report_id}", tag = "admin", security(("bearer" = [])),
    params(("report_id" = String, Path)), request_body = UpdateReport,
    responses((status = 200, body = Report), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_REPORT", body = ErrorBody)))]
async fn update_instance_report(
    State(state): State<AppState>,
    Admin(auth): Admin,
    Path(report_id): Path<String>,
    ApiJson(body): ApiJson<UpdateReport>,
) -> ApiResult<axum::Json<Report>> {
    let report = instance_report(&state, &report_id).await?;
    let update = parse_update(&body)?;
    if let Some(Some(assignee)) = update.assignee_id {
        let is_admin = state
            .store
            .user_by_id(assignee)
            .await?
            .is_some_and(|u| u.is_admin && !u.disabled);
        if !is_admin {
            return Err(ApiError::field("assignee_id", "is not an instance admin"));
        }
    }
    if update.escalated == Some(false) && report.guild_id.is_none() {
        return Err(ApiError::field(
            "escalated",
            "a report made to the instance has no guild to return to",
        ));
    }
    let mut entry = NewInstanceAuditEntry::new(
        state.next_id(),
        Some(auth.user.id),
        InstanceAuditAction::ReportUpdate,
    )
    .target(report.id);
    entry.changes = report_changes(&report, &update);
    apply_update(&state, &report, &update, ReportAudit::Instance(&entry)).await
}

#[utoipa::path(post, path = "/admin/reports/{report_id}/notes", tag = "admin", security(("bearer" = [])),
    params(("report_id" = String, Path)), request_body = CreateReportNote,
    responses((status = 201, body = Report), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "UNKNOWN_REPORT", body = ErrorBody)))]
async fn add_instance_note(
    State(state): State<AppState>,
    Admin(auth): Admin,
    Path(report_id): Path<String>,
    ApiJson(body): ApiJson<CreateReportNote>,
) -> ApiResult<(StatusCode, axum::Json<Report>)> {
    let report = instance_report(&state, &report_id).await?;
    let content = parse_note_body(&body)?;
    add_note(&state, &report, auth.user.id, content).await
}
