//! `ApiError`: the only place where a failure becomes an HTTP status and an error code.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_protocol::error::{ErrorBody, ErrorDetail};
use hearth_store::{CreateUserError, StoreError};

/// Things a request can name that may not exist.
#[derive(Debug, Clone, Copy)]
pub enum Entity {
    Route,
    User,
    Session,
    Invite,
    Guild,
    Channel,
    Role,
    Member,
    Ban,
    Overwrite,
    Message,
    AutoModRule,
    Warning,
    Report,
    Vote,
    Announcement,
    Attachment,
}

impl Entity {
    fn code(self) -> &'static str {
        match self {
            Self::Route => "UNKNOWN_ROUTE",
            Self::User => "UNKNOWN_USER",
            Self::Session => "UNKNOWN_SESSION",
            Self::Invite => "UNKNOWN_INVITE",
            Self::Guild => "UNKNOWN_GUILD",
            Self::Channel => "UNKNOWN_CHANNEL",
            Self::Role => "UNKNOWN_ROLE",
            Self::Member => "UNKNOWN_MEMBER",
            Self::Ban => "UNKNOWN_BAN",
            Self::Overwrite => "UNKNOWN_OVERWRITE",
            Self::Message => "UNKNOWN_MESSAGE",
            Self::AutoModRule => "UNKNOWN_AUTO_MODERATION_RULE",
            Self::Warning => "UNKNOWN_WARNING",
            Self::Report => "UNKNOWN_REPORT",
            Self::Vote => "UNKNOWN_VOTE",
            Self::Announcement => "UNKNOWN_ANNOUNCEMENT",
            Self::Attachment => "UNKNOWN_ATTACHMENT",
        }
    }

    fn message(self) -> &'static str {
        match self {
            Self::Route => "no such route",
            Self::User => "unknown user",
            Self::Session => "unknown session",
            Self::Invite => "unknown invite",
            Self::Guild => "unknown guild",
            Self::Channel => "unknown channel",
            Self::Role => "unknown role",
            Self::Member => "unknown member",
            Self::Ban => "unknown ban",
            Self::Overwrite => "unknown permission overwrite",
            Self::Message => "unknown message",
            Self::AutoModRule => "unknown AutoMod rule",
            Self::Warning => "unknown warning",
            Self::Report => "unknown report",
            Self::Vote => "unknown vote",
            Self::Announcement => "unknown announcement",
            Self::Attachment => "unknown attachment",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed")]
    Validation(BTreeMap<String, String>),
    #[error("the body is not valid JSON: {0}")]
    InvalidJson(String),
    #[error("the body must be application/json (or multipart/form-data where files are accepted)")]
    UnsupportedMediaType,
    #[error("the body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("a file is larger than {limit} bytes")]
    FileTooLarge { limit: u64 },
    #[error("at most {limit} files per message")]
    TooManyFiles { limit: u32 },
    #[error("your files would exceed your storage quota of {limit} bytes")]
    QuotaExceeded { limit: u64 },
    #[error("the multipart body is malformed: {0}")]
    InvalidMultipart(String),
    #[error("the file is still being processed; retry shortly")]
    FileProcessing,
    #[error("authentication required")]
    Unauthorized,
    #[error("invalid username or password")]
    InvalidCredentials,
    #[error("instance administrators only")]
    AdminRequired,
    #[error("only the instance owner can do this")]
    InstanceOwnerRequired,
    #[error("the instance owner cannot be disabled, demoted or deleted")]
    InstanceOwnerProtected,
    #[error("administrators cannot disable, demote or delete their own account")]
    CannotActOnSelf,
    #[error(
        "the account owns {0} guild(s): transfer them first, or delete them with the account \
         (delete_owned_guilds=true)"
    )]
    OwnsGuilds(usize),
    #[error("registration is closed")]
    RegistrationClosed,
    #[error("an invite is required to register")]
    InviteRequired,
    #[error("the invite is unknown, expired or used up")]
    InviteInvalid,
    #[error("not found")]
    NotFound(Entity),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("username is taken")]
    UsernameTaken,
    #[error("missing permissions: {}", .0.names().collect::<Vec<_>>().join(", "))]
    MissingPermissions(hearth_core::Permissions),
    #[error("{0}")]
    Hierarchy(&'static str),
    #[error("only the guild owner can do this")]
    OwnerOnly,
    #[error("the owner cannot leave the guild; transfer ownership or delete it")]
    OwnerCannotLeave,
    #[error("banned from this guild")]
    Banned,
    #[error("limit reached: {0}")]
    LimitReached(&'static str),
    #[error("rate limited")]
    RateLimited { retry_after: Duration },
    #[error("slow mode is on in this channel; wait before sending again")]
    SlowMode { retry_after: Duration },
    #[error("only the author can do this to a message")]
    NotAuthor,
    #[error("you already have an open report of this")]
    AlreadyReported,
    #[error("voting moderation is off in this guild")]
    VotingDisabled,
    /// The caller may not take part in a vote (timed out, its target, or joined after it started).
    #[error("{0}")]
    CannotVote(&'static str),
    /// The owner, administrators and moderators are not voted out.
    #[error("{0}")]
    VoteTargetProtected(&'static str),
    #[error("the member already has an open vote")]
    VoteAlreadyOpen,
    #[error("you have already voted in this vote")]
    AlreadyVoted,
    #[error("the vote is closed")]
    VoteClosed,
    #[error("fewer members can vote than the quorum needs")]
    QuorumUnreachable,
    #[error("messages cannot be sent to this kind of channel")]
    CannotSendHere,
    /// A guild's AutoMod rule refused the message; the text is the rule's custom message, if any.
    #[error("{0}")]
    AutoModBlocked(String),
    #[error("{0}")]
    UnknownEmoji(&'static str),
    #[error("too many failed sign-in attempts")]
    LoginLocked { retry_after: Duration },
    #[error("the server is busy")]
    Busy { retry_after: Duration },
    #[error("the request took too long")]
    Timeout,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// A validation error on one field.
    pub fn field(name: &str, problem: impl std::fmt::Display) -> Self {
        Self::Validation(BTreeMap::from([(name.to_owned(), problem.to_string())]))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::Validation(_)
            | Self::InvalidJson(_)
            | Self::OwnerCannotLeave
            | Self::LimitReached(_)
            | Self::CannotSendHere
            | Self::AutoModBlocked(_)
            | Self::UnknownEmoji(_)
            | Self::CannotActOnSelf
            | Self::TooManyFiles { .. }
            | Self::QuotaExceeded { .. }
            | Self::InvalidMultipart(_) => StatusCode::BAD_REQUEST,
            Self::FileTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::FileProcessing => StatusCode::CONFLICT,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unauthorized | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::AdminRequired
            | Self::InstanceOwnerRequired
            | Self::InstanceOwnerProtected
            | Self::MissingPermissions(_)
            | Self::Hierarchy(_)
            | Self::OwnerOnly
            | Self::Banned
            | Self::RegistrationClosed
            | Self::InviteRequired
            | Self::InviteInvalid
            | Self::NotAuthor => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::VotingDisabled | Self::CannotVote(_) | Self::VoteTargetProtected(_) => {
                StatusCode::FORBIDDEN
            }
            Self::VoteAlreadyOpen
            | Self::AlreadyVoted
            | Self::VoteClosed
            | Self::QuorumUnreachable => StatusCode::CONFLICT,
            Self::UsernameTaken | Self::AlreadyReported | Self::OwnsGuilds(_) => {
                StatusCode::CONFLICT
            }
            Self::RateLimited { .. } | Self::LoginLocked { .. } | Self::SlowMode { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            Self::Busy { .. } | Self::Timeout => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code documented in docs/api.md.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "VALIDATION_FAILED",
            Self::InvalidJson(_) => "INVALID_JSON",
            Self::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            Self::PayloadTooLarge { .. } => "PAYLOAD_TOO_LARGE",
            Self::FileTooLarge { .. } => "FILE_TOO_LARGE",
            Self::TooManyFiles { .. } => "TOO_MANY_FILES",
            Self::QuotaExceeded { .. } => "QUOTA_EXCEEDED",
            Self::InvalidMultipart(_) => "INVALID_MULTIPART",
            Self::FileProcessing => "FILE_PROCESSING",
            Self::Unauthorized => "UNAUTHORIZED",
            Self::InvalidCredentials => "INVALID_CREDENTIALS",
            Self::AdminRequired => "ADMIN_REQUIRED",
            Self::InstanceOwnerRequired => "INSTANCE_OWNER_REQUIRED",
            Self::InstanceOwnerProtected => "INSTANCE_OWNER_PROTECTED",
            Self::CannotActOnSelf => "CANNOT_ACT_ON_SELF",
            Self::OwnsGuilds(_) => "USER_OWNS_GUILDS",
            Self::RegistrationClosed => "REGISTRATION_CLOSED",
            Self::InviteRequired => "INVITE_REQUIRED",
            Self::InviteInvalid => "INVALID_INVITE",
            Self::NotFound(entity) => entity.code(),
            Self::MissingPermissions(_) => "MISSING_PERMISSIONS",
            Self::Hierarchy(_) => "ROLE_HIERARCHY",
            Self::OwnerOnly => "OWNER_ONLY",
            Self::OwnerCannotLeave => "OWNER_CANNOT_LEAVE",
            Self::Banned => "BANNED",
            Self::LimitReached(_) => "LIMIT_REACHED",
            Self::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            Self::UsernameTaken => "USERNAME_TAKEN",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::SlowMode { .. } => "SLOW_MODE",
            Self::NotAuthor => "NOT_AUTHOR",
            Self::AlreadyReported => "ALREADY_REPORTED",
            Self::VotingDisabled => "VOTING_DISABLED",
            Self::CannotVote(_) => "CANNOT_VOTE",
            Self::VoteTargetProtected(_) => "VOTE_TARGET_PROTECTED",
            Self::VoteAlreadyOpen => "VOTE_ALREADY_OPEN",
            Self::AlreadyVoted => "ALREADY_VOTED",
            Self::VoteClosed => "VOTE_CLOSED",
            Self::QuorumUnreachable => "QUORUM_UNREACHABLE",
            Self::CannotSendHere => "CANNOT_SEND_HERE",
            Self::AutoModBlocked(_) => "AUTOMOD_BLOCKED",
            Self::UnknownEmoji(_) => "UNKNOWN_EMOJI",
            Self::LoginLocked { .. } => "TOO_MANY_LOGIN_ATTEMPTS",
            Self::Busy { .. } => "SERVER_BUSY",
            Self::Timeout => "REQUEST_TIMEOUT",
            Self::Internal(_) => "INTERNAL_ERROR",
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after }
            | Self::LoginLocked { retry_after }
            | Self::SlowMode { retry_after }
            | Self::Busy { retry_after } => Some(*retry_after),
            _ => None,
        }
    }

    pub fn body(&self) -> ErrorBody {
        let message = match self {
            // Internal errors never leak their text; it is logged instead.
            Self::Internal(_) => "internal server error".to_owned(),
            Self::NotFound(entity) => entity.message().to_owned(),
            other => other.to_string(),
        };
        let fields = match self {
            Self::Validation(fields) => Some(fields.clone()),
            _ => None,
        };
        ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message,
                fields,
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(e) = &self {
            // Logged inside the request span, so the line carries the request id.
            tracing::error!(error = format!("{e:#}"), "internal error");
        }
        let mut response = (self.status(), axum::Json(self.body())).into_response();
        if let Some(wait) = self.retry_after() {
            // Whole seconds, rounded up, never 0: a client told "0" would retry at once.
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::LimitReached(what) => Self::LimitReached(what),
            StoreError::Missing(field) => Self::field(field, "refers to nothing in this guild"),
            other => Self::Internal(other.into()),
        }
    }
}

impl From<hearth_store::ReportError> for ApiError {
    fn from(e: hearth_store::ReportError) -> Self {
        match e {
            hearth_store::ReportError::AlreadyReported => Self::AlreadyReported,
            hearth_store::ReportError::TooManyOpen => Self::LimitReached("open reports"),
            hearth_store::ReportError::Store(e) => e.into(),
        }
    }
}

impl From<hearth_store::AccountActionError> for ApiError {
    fn from(e: hearth_store::AccountActionError) -> Self {
        match e {
            hearth_store::AccountActionError::NotFound => Self::NotFound(Entity::User),
            hearth_store::AccountActionError::Owner => Self::InstanceOwnerProtected,
            hearth_store::AccountActionError::Admin => Self::InstanceOwnerRequired,
            hearth_store::AccountActionError::OwnsGuilds(n) => Self::OwnsGuilds(n),
            hearth_store::AccountActionError::Store(e) => e.into(),
        }
    }
}

impl From<hearth_store::JoinError> for ApiError {
    fn from(e: hearth_store::JoinError) -> Self {
        match e {
            hearth_store::JoinError::InvalidInvite => Self::NotFound(Entity::Invite),
            hearth_store::JoinError::Banned => Self::Banned,
            hearth_store::JoinError::GuildLimit => Self::LimitReached("guilds per user"),
            hearth_store::JoinError::Store(e) => e.into(),
        }
    }
}

impl From<hearth_store::SendError> for ApiError {
    fn from(e: hearth_store::SendError) -> Self {
        match e {
            hearth_store::SendError::SlowMode { retry_after_ms } => Self::SlowMode {
                retry_after: Duration::from_millis(retry_after_ms.max(0) as u64),
            },
            hearth_store::SendError::UnknownReference => Self::field(
                "message_reference.message_id",
                "is not a message of this channel",
            ),
            hearth_store::SendError::Store(StoreError::NotFound) => Self::NotFound(Entity::Channel),
            hearth_store::SendError::Store(e) => e.into(),
        }
    }
}

impl From<hearth_store::ReactionError> for ApiError {
    fn from(e: hearth_store::ReactionError) -> Self {
        match e {
            hearth_store::ReactionError::NewEmojiRefused => {
                Self::MissingPermissions(hearth_core::Permissions::ADD_REACTIONS)
            }
            hearth_store::ReactionError::Store(StoreError::NotFound) => {
                Self::NotFound(Entity::Message)
            }
            hearth_store::ReactionError::Store(e) => e.into(),
        }
    }
}

impl From<hearth_store::VoteError> for ApiError {
    fn from(e: hearth_store::VoteError) -> Self {
        use hearth_store::{Ineligibility, VoteError};
        match e {
            VoteError::Disabled => Self::VotingDisabled,
            VoteError::NotFound => Self::NotFound(Entity::Vote),
            VoteError::TargetNotMember => Self::NotFound(Entity::Member),
            VoteError::AlreadyOpen => Self::VoteAlreadyOpen,
            VoteError::QuorumUnreachable => Self::QuorumUnreachable,
            VoteError::TooManyStarted { retry_after_ms } => Self::RateLimited {
                retry_after: Duration::from_millis(retry_after_ms.max(0) as u64),
            },
            VoteError::Closed => Self::VoteClosed,
            VoteError::AlreadyVoted => Self::AlreadyVoted,
            VoteError::Ineligible(Ineligibility::Target) => {
                Self::CannotVote("the member a vote is about cannot vote in it")
            }
            VoteError::Ineligible(Ineligibility::JoinedAfterStart) => {
                Self::CannotVote("members who joined after the vote started cannot vote in it")
            }
            VoteError::Ineligible(Ineligibility::TimedOut) => {
                Self::CannotVote("timed-out members cannot vote")
            }
            VoteError::Store(e) => e.into(),
        }
    }
}

impl From<CreateUserError> for ApiError {
    fn from(e: CreateUserError) -> Self {
        match e {
            CreateUserError::UsernameTaken => Self::UsernameTaken,
            CreateUserError::RegistrationClosed => Self::RegistrationClosed,
            CreateUserError::InviteRequired => Self::InviteRequired,
            CreateUserError::InviteInvalid => Self::InviteInvalid,
            CreateUserError::Store(e) => e.into(),
        }
    }
}

/// Collects validation problems across a request's fields, so that one answer reports them all.
#[derive(Debug, Default)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    /// Keeps a parsed value, or records why `field` was rejected and yields `None`.
    pub fn check<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        parsed: Result<T, E>,
    ) -> Option<T> {
        parsed
            .map_err(|e| self.0.insert(field.to_owned(), e.to_string()))
            .ok()
    }

    /// A page size from the query's `limit`: `default` when absent, else 1..=`max`. A value out of
    /// range is recorded as rejected (and answered as `default` so that parsing can go on).
    pub fn limit(&mut self, raw: Option<i64>, default: u32, max: u32) -> u32 {
        match raw {
            None => default,
            Some(n) if (1..=i64::from(max)).contains(&n) => n as u32,
            Some(_) => {
                self.0
                    .insert("limit".to_owned(), format!("must be between 1 and {max}"));
                default
            }
        }
    }

    /// An optional snowflake from the query (a cursor such as `before` or `after`).
    pub fn id(&mut self, field: &str, raw: Option<&str>) -> Option<hearth_core::Snowflake> {
        raw.and_then(|raw| self.check(field, raw.parse::<hearth_core::Snowflake>()))
    }

    /// `Err(Validation)` when any field was rejected.
    pub fn finish(self) -> ApiResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.into_error())
        }
    }

    /// The collected problems as one error (for when a required field came back `None`).
    pub fn into_error(self) -> ApiError {
        ApiError::Validation(self.0)
    }
}

/// Result alias for handlers and services.
pub type ApiResult<T> = Result<T, ApiError>;
