//! Messages in a channel: sending (replies, mentions, nonces, slow mode), history pages, reading one,
//! editing, deleting and bulk deleting.

use std::collections::HashSet;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use hearth_core::{MessageContent, MessageKind, Nonce, Permissions, Snowflake};
use hearth_protocol::error::ErrorBody;
use hearth_protocol::events::Event;
use hearth_protocol::messages::{
    BulkDelete, CreateMessage, CreateMessageReference, EditMessage, Message, MessageDeleted,
    MessagesDeleted,
};
use hearth_store::{HistoryPage, MessageEdit, MessageRecord, NewMessage, NewReference};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, ApiQuery, Authenticated, parse_id};
use super::views;
use crate::bus::Audience;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult, Entity, FieldErrors};
use crate::media::upload;
use crate::services::access::ChannelAccess;
use crate::services::automod::{self, Screening};
use crate::services::messaging::{self, NONCE_WINDOW};
use crate::state::AppState;

/// Discord's page bounds for history.
const HISTORY_PAGE_MAX: u32 = 100;
const HISTORY_PAGE_DEFAULT: u32 = 50;
/// Discord's bounds for one bulk delete.
const BULK_DELETE_MIN: usize = 2;
const BULK_DELETE_MAX: usize = 100;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_messages, create_message))
        .routes(routes!(get_message, edit_message, delete_message))
        .routes(routes!(bulk_delete))
}

/// Publishes an event to the members who can view the channel.
pub(super) fn publish_in_channel(state: &AppState, access: &ChannelAccess, event: &Event) {
    state.bus.publish(
        Audience::Channel {
            guild_id: access.guild.guild_id(),
            channel_id: access.channel.id,
        },
        event,
    );
}

/// A message of the channel, as `access`'s user sees it; `UNKNOWN_MESSAGE` when it is not there.
pub(super) async fn load_message(
    state: &AppState,
    access: &ChannelAccess,
    raw_id: &str,
) -> ApiResult<MessageRecord> {
    let id = parse_id("message_id", raw_id)?;
    state
        .store
        .message(access.channel.id, id, access.guild.user_id())
        .await?
        .ok_or(ApiError::NotFound(Entity::Message))
}

/// `before`, `after` or `around` (at most one) and `limit`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// Messages older than this id.
    pub before: Option<String>,
    /// Messages newer than this id (still answered newest first).
    pub after: Option<String>,
    /// Messages around this id: half older, the rest this one and newer.
    pub around: Option<String>,
    /// 1–100, default 50.
    pub limit: Option<i64>,
}

impl HistoryQuery {
    fn parse(&self) -> ApiResult<(HistoryPage, u32)> {
        let mut errors = FieldErrors::default();
        let mut cursors = Vec::new();
        for (name, raw, page) in [
            (
                "before",
                &self.before,
                HistoryPage::Before as fn(Snowflake) -> HistoryPage,
            ),
            ("after", &self.after, HistoryPage::After),
            ("around", &self.around, HistoryPage::Around),
        ] {
            if let Some(raw) = raw
                && let Some(id) = errors.check(name, raw.parse::<Snowflake>())
            {
                cursors.push(page(id));
            }
        }
        let limit = errors.limit(self.limit, HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX);
        if cursors.len() > 1 {
            errors.check::<(), _>("query", Err("give at most one of before, after and around"));
        }
        errors.finish()?;
        Ok((cursors.pop().unwrap_or(HistoryPage::Latest), limit))
    }
}

/// A page of the channel's history, newest first (VIEW_CHANNEL; without READ_MESSAGE_HISTORY the
/// answer is an empty list, as in Discord).
#[utoipa::path(get, path = "/channels/{channel_id}/messages", tag = "messages", security(("bearer" = [])),
    params(("channel_id" = String, Path), HistoryQuery),
    responses((status = 200, body = Vec<Message>), (status = 400, description = "VALIDATION_FAILED", body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL", body = ErrorBody)))]
async fn list_messages(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(channel_id): Path<String>,
    ApiQuery(query): ApiQuery<HistoryQuery>,
) -> ApiResult<axum::Json<Vec<Message>>> {
    let access =
        ChannelAccess::load(&state, &auth.user, parse_id("channel_id", &channel_id)?).await?;
    let (page, limit) = query.parse()?;
    if !access
        .permissions
        .contains(Permissions::READ_MESSAGE_HISTORY)
    {
        return Ok(axum::Json(Vec::new()));
    }
    let messages = state
        .store
        .messages(access.channel.id, page, limit, auth.user.id)
        .await?;
    Ok(axum::Json(
        messages
            .iter()
            .map(|m| views::message(m, None, &state.media.signer))
            .collect(),
    ))
}

/// Parses a reply's reference: the ids must be decimal, and a channel or guild given must be this one.
fn parse_reference(
    raw: &CreateMessageReference,
    access: &ChannelAccess,
    errors: &mut FieldErrors,
) -> Option<NewReference> {
    let field = "message_reference";
    let message_id = errors.check(
        &format!("{field}.message_id"),
        raw.message_id.parse::<Snowflake>(),
    );
    if let Some(channel) = &raw.channel_id
        && channel.parse::<Snowflake>().ok() != Some(access.channel.id)
    {
        errors.check::<(), _>(
            &format!("{field}.channel_id"),
            Err("must be this channel: replies stay in their channel"),
        );
    }
    if let Some(guild) = &raw.guild_id
        && guild.parse::<Snowflake>().ok() != Some(access.guild.guild_id())
    {
        errors.check::<(), _>(
            &format!("{field}.guild_id"),
            Err("must be this channel's guild"),
        );
    }
    if raw.kind.is_some_and(|kind| kind != 0) {
        errors.check::<(), _>(
            &format!("{field}.type"),
            Err("only replies (0) are supported"),
        );
    }
    Some(NewReference {
        message_id: message_id?,
        fail_if_missing: raw.fail_if_not_exists.unwrap_or(true),
    })
}

/// Send a message (VIEW_CHANNEL and SEND_MESSAGES; a reply also READ_MESSAGE_HISTORY): 201. A repeated
/// `nonce` (same author and channel, within ten minutes) answers the first message with 200 and
/// publishes nothing.
#[utoipa::path(post, path = "/channels/{channel_id}/messages", tag = "messages", security(("bearer" = [])),
    params(("channel_id" = String, Path)), request_body = CreateMessage,
    responses((status = 201, body = Message), (status = 200, description = "the message an earlier send with this nonce created", body = Message),
        (status = 400, description = "VALIDATION_FAILED, CANNOT_SEND_HERE", body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL", body = ErrorBody),
        (status = 429, description = "SLOW_MODE (with Retry-After)", body = ErrorBody)))]
async fn create_message(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(channel_id): Path<String>,
    body: MessageBody,
) -> ApiResult<axum::response::Response> {
    let access =
        ChannelAccess::load(&state, &auth.user, parse_id("channel_id", &channel_id)?).await?;
    if !messaging::accepts_messages(access.channel.kind) {
        return Err(ApiError::CannotSendHere);
    }
    access.require(Permissions::SEND_MESSAGES)?;
    let (body, uploads) = match body {
        MessageBody::Json(body) => (body, Vec::new()),
        MessageBody::Multipart { boundary, body } => {
            access.require(Permissions::ATTACH_FILES)?;
            let received = upload::receive(
                &state,
                auth.user.id,
                access.channel.id,
                boundary,
                body.into_data_stream(),
            )
            .await?;
            (received.payload, received.uploads)
        }
    };
    let sent = send(&state, &auth, &access, &body, &uploads).await;
    if !matches!(&sent, Ok((StatusCode::CREATED, _))) {
        // Refused, failed, or a repeated nonce answering the earlier message: these files go.
        upload::discard(&state, &uploads).await;
    }
    let (status, view) = sent?;
    Ok((status, axum::Json(view)).into_response())
}

/// A send's body: JSON, or multipart with files (`payload_json` + `files[n]`), whose parts are read
/// only after the permission checks.
pub enum MessageBody {
    Json(CreateMessage),
    Multipart {
        boundary: String,
        body: axum::body::Body,
    },
}

impl axum::extract::FromRequest<AppState> for MessageBody {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &AppState) -> Result<Self, ApiError> {
        match upload::multipart_boundary(req.headers()) {
            Some(boundary) => Ok(Self::Multipart {
                boundary,
                body: req.into_body(),
            }),
            None => Ok(Self::Json(ApiJson::from_request(req, state).await?.0)),
        }
    }
}

/// Validates and stores a send, attaching `uploads`; publishes MESSAGE_CREATE when it is new.
async fn send(
    state: &AppState,
    auth: &Authenticated,
    access: &ChannelAccess,
    body: &CreateMessage,
    uploads: &[upload::Upload],
) -> ApiResult<(StatusCode, Message)> {
    let mut errors = FieldErrors::default();
    // A message may be only files; otherwise it needs text.
    let content = if body.content.is_empty() && !uploads.is_empty() {
        None
    } else {
        errors.check("content", MessageContent::parse(&body.content))
    };
    let nonce = match &body.nonce {
        Some(hearth_protocol::messages::Nonce::Integer(n)) => Some(Nonce::from_integer(*n)),
        Some(hearth_protocol::messages::Nonce::Text(raw)) => {
            errors.check("nonce", Nonce::parse(raw))
        }
        None => None,
    };
    let reference = body
        .message_reference
        .as_ref()
        .and_then(|raw| parse_reference(raw, access, &mut errors));
    errors.finish()?;
    if content.is_none() && uploads.is_empty() {
        return Err(ApiError::field("content", "is required"));
    }
    if reference.is_some() {
        access.require(Permissions::READ_MESSAGE_HISTORY)?;
    }
    // AutoMod runs before anything is stored: a blocked message is never written.
    let (verdict, mentions) = match &content {
        Some(content) => (
            Some(automod::screen(state, access, content, Screening::Send).await?),
            messaging::resolve_mentions(access, content),
        ),
        None => (None, messaging::Mentions::default()),
    };
    let new = NewMessage {
        channel_id: access.channel.id,
        guild_id: access.guild.guild_id(),
        author_id: auth.user.id,
        content: content.map(MessageContent::into_string).unwrap_or_default(),
        reference,
        mention_everyone: mentions.everyone,
        mentions: mentions.users,
        mention_roles: mentions.roles,
        nonce: nonce.as_ref().map(|n| n.as_str().to_owned()),
        nonce_window_ms: NONCE_WINDOW.as_millis() as i64,
        slow_mode_exempt: messaging::bypasses_slow_mode(access),
        attachments: uploads.iter().map(|u| u.id).collect(),
        now_ms: now_ms(),
    };
    // Commit and publish under the channel's turn, so the stream carries this channel's messages in
    // the order they committed (their id order), not in whichever order the handlers resume.
    let turn = state.channel_order.turn(access.channel.id).await;
    let sent = state
        .store
        .create_message(&new, &|| state.next_id())
        .await?;
    let nonce = nonce.as_ref().map(Nonce::as_str);
    let view = views::message(&sent.message, nonce, &state.media.signer);
    if !sent.is_new {
        // The earlier send was announced already; nothing changed now.
        return Ok((StatusCode::OK, view));
    }
    publish_in_channel(
        state,
        access,
        &Event::MessageCreate(Box::new(views::message_event(
            &sent.message,
            nonce,
            &state.media.signer,
        ))),
    );
    drop(turn);
    for attachment in &sent.message.attachments {
        if attachment.state == hearth_store::AttachmentState::Waiting {
            state.media.processor.push(attachment.id);
        }
    }
    if let Some(verdict) = verdict {
        verdict.carry_out(state, access, sent.message.id).await;
    }
    Ok((StatusCode::CREATED, view))
}

/// One message (READ_MESSAGE_HISTORY).
#[utoipa::path(get, path = "/channels/{channel_id}/messages/{message_id}", tag = "messages", security(("bearer" = [])),
    params(("channel_id" = String, Path), ("message_id" = String, Path)),
    responses((status = 200, body = Message), (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL, UNKNOWN_MESSAGE", body = ErrorBody)))]
async fn get_message(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((channel_id, message_id)): Path<(String, String)>,
) -> ApiResult<axum::Json<Message>> {
    let access =
        ChannelAccess::load(&state, &auth.user, parse_id("channel_id", &channel_id)?).await?;
    access.require(Permissions::READ_MESSAGE_HISTORY)?;
    let message = load_message(&state, &access, &message_id).await?;
    Ok(axum::Json(views::message(
        &message,
        None,
        &state.media.signer,
    )))
}

/// Edit a message's text (its author only): mentions are parsed again and `edited_timestamp` is set.
/// An absent `content` changes nothing.
#[utoipa::path(patch, path = "/channels/{channel_id}/messages/{message_id}", tag = "messages", security(("bearer" = [])),
    params(("channel_id" = String, Path), ("message_id" = String, Path)), request_body = EditMessage,
    responses((status = 200, body = Message), (status = 400, description = "VALIDATION_FAILED", body = ErrorBody),
        (status = 403, description = "NOT_AUTHOR", body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL, UNKNOWN_MESSAGE", body = ErrorBody)))]
async fn edit_message(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((channel_id, message_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<EditMessage>,
) -> ApiResult<axum::Json<Message>> {
    let access =
        ChannelAccess::load(&state, &auth.user, parse_id("channel_id", &channel_id)?).await?;
    let message = load_message(&state, &access, &message_id).await?;
    // An AutoMod alert carries its author's id but is the system's message.
    if message.author.id != auth.user.id || message.kind == MessageKind::AutoModerationAction {
        return Err(ApiError::NotAuthor);
    }
    let Some(raw) = &body.content else {
        return Ok(axum::Json(views::message(
            &message,
            None,
            &state.media.signer,
        )));
    };
    let content = MessageContent::parse(raw).map_err(|e| ApiError::field("content", e))?;
    let verdict = automod::screen(&state, &access, &content, Screening::Edit).await?;
    let mentions = messaging::resolve_mentions(&access, &content);
    let edit = MessageEdit {
        content: content.into_string(),
        mention_everyone: mentions.everyone,
        mentions: mentions.users,
        mention_roles: mentions.roles,
        now_ms: now_ms(),
    };
    let edited = state
        .store
        .edit_message(access.channel.id, message.id, auth.user.id, &edit)
        .await
        .map_err(|e| match e {
            hearth_store::StoreError::NotFound => ApiError::NotFound(Entity::Message),
            other => other.into(),
        })?;
    publish_in_channel(
        &state,
        &access,
        &Event::MessageUpdate(Box::new(views::message_event(
            &edited,
            None,
            &state.media.signer,
        ))),
    );
    verdict.carry_out(&state, &access, edited.id).await;
    Ok(axum::Json(views::message(
        &edited,
        None,
        &state.media.signer,
    )))
}

/// Delete a message: its author, or a member with MANAGE_MESSAGES in the channel.
#[utoipa::path(delete, path = "/channels/{channel_id}/messages/{message_id}", tag = "messages", security(("bearer" = [])),
    params(("channel_id" = String, Path), ("message_id" = String, Path)),
    responses((status = 204), (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL, UNKNOWN_MESSAGE", body = ErrorBody)))]
async fn delete_message(
    State(state): State<AppState>,
    auth: Authenticated,
    Path((channel_id, message_id)): Path<(String, String)>,
    super::extract::AuditReason(reason): super::extract::AuditReason,
) -> ApiResult<StatusCode> {
    let access =
        ChannelAccess::load(&state, &auth.user, parse_id("channel_id", &channel_id)?).await?;
    let message = load_message(&state, &access, &message_id).await?;
    // A moderator deleting someone else's message is audited (Discord's MESSAGE_DELETE, the author as
    // target); an author deleting their own is not.
    // An AutoMod alert names the offending author but is the system's message: only moderators may
    // remove it (and that is audited), or the author could erase the alert about them.
    let moderated =
        message.author.id != auth.user.id || message.kind == MessageKind::AutoModerationAction;
    let audit = if moderated {
        access.require(Permissions::MANAGE_MESSAGES)?;
        Some(
            access
                .guild
                .audit(&state, hearth_core::AuditAction::MessageDelete, reason)
                .target(message.author.id)
                .option("channel_id", access.channel.id.to_string())
                .option("count", "1"),
        )
    } else {
        None
    };
    if !state
        .store
        .delete_message(access.channel.id, message.id, audit.as_ref())
        .await?
    {
        return Err(ApiError::NotFound(Entity::Message));
    }
    publish_in_channel(
        &state,
        &access,
        &Event::MessageDelete(MessageDeleted {
            id: message.id.to_string(),
            channel_id: access.channel.id.to_string(),
            guild_id: access.guild.guild_id().to_string(),
        }),
    );
    Ok(StatusCode::NO_CONTENT)
}

/// Delete 2–100 messages of the channel at once (MANAGE_MESSAGES): all or nothing. Ids that are not
/// messages of this channel are ignored, as in Discord.
#[utoipa::path(post, path = "/channels/{channel_id}/messages/bulk-delete", tag = "messages", security(("bearer" = [])),
    params(("channel_id" = String, Path)), request_body = BulkDelete,
    responses((status = 204), (status = 400, description = "VALIDATION_FAILED", body = ErrorBody),
        (status = 403, description = "MISSING_PERMISSIONS", body = ErrorBody),
        (status = 404, description = "UNKNOWN_CHANNEL", body = ErrorBody)))]
async fn bulk_delete(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(channel_id): Path<String>,
    super::extract::AuditReason(reason): super::extract::AuditReason,
    ApiJson(body): ApiJson<BulkDelete>,
) -> ApiResult<StatusCode> {
    let access =
        ChannelAccess::load(&state, &auth.user, parse_id("channel_id", &channel_id)?).await?;
    access.require(Permissions::MANAGE_MESSAGES)?;
    if !(BULK_DELETE_MIN..=BULK_DELETE_MAX).contains(&body.messages.len()) {
        return Err(ApiError::field(
            "messages",
            format!("must list between {BULK_DELETE_MIN} and {BULK_DELETE_MAX} message ids"),
        ));
    }
    let mut errors = FieldErrors::default();
    let mut seen = HashSet::new();
    let mut ids = Vec::with_capacity(body.messages.len());
    for (i, raw) in body.messages.iter().enumerate() {
        let field = format!("messages[{i}]");
        let Some(id) = errors.check(&field, raw.parse::<Snowflake>()) else {
            continue;
        };
        if !seen.insert(id) {
            errors.check::<(), _>(&field, Err("appears twice"));
            continue;
        }
        ids.push(id);
    }
    errors.finish()?;
    // The store adds `count`, the number actually deleted, and writes nothing when that is zero.
    let audit = access
        .guild
        .audit(&state, hearth_core::AuditAction::MessageBulkDelete, reason)
        .target(access.channel.id);
    let deleted = state
        .store
        .delete_messages(access.channel.id, &ids, &audit)
        .await?;
    if !deleted.is_empty() {
        publish_in_channel(
            &state,
            &access,
            &Event::MessageDeleteBulk(MessagesDeleted {
                ids: deleted.iter().map(Snowflake::to_string).collect(),
                channel_id: access.channel.id.to_string(),
                guild_id: access.guild.guild_id().to_string(),
            }),
        );
    }
    Ok(StatusCode::NO_CONTENT)
}
