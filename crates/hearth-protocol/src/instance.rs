//! The instance as everyone sees it: its public profile (shown on the registration screen) and the
//! announcements its administrators post to every signed-in user.

use serde::{Deserialize, Serialize};

use crate::admin::RegistrationMode;

/// `GET /instance` (no sign-in needed): what a registration screen shows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstanceInfo {
    pub name: String,
    pub description: String,
    /// Terms of service, markdown; empty when the instance has none. When present, registering needs
    /// `accept_terms: true`.
    pub terms: String,
    /// Privacy policy, markdown; empty when the instance has none.
    pub privacy: String,
    pub registration_mode: RegistrationMode,
    /// Upload limits, so clients can refuse a file before sending it.
    pub media: MediaLimits,
}

/// What this instance accepts in uploads.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MediaLimits {
    /// Largest file in one upload, in bytes.
    pub max_file_bytes: u64,
    /// Files in one message.
    pub max_files_per_message: u32,
    /// Largest avatar, banner or icon image, in bytes.
    pub max_image_bytes: u64,
    /// Largest custom emoji image, in bytes.
    pub max_emoji_bytes: u64,
    /// Custom emoji one guild may have.
    pub max_emojis_per_guild: u32,
}

/// A notice from the instance's administrators (also the `ANNOUNCEMENT_CREATE` payload).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Announcement {
    pub id: String,
    pub title: String,
    /// Markdown.
    pub content: String,
    /// The administrator who posted it.
    pub author_id: Option<String>,
    pub created_at: String,
    /// When it stops being shown; null when it stays until deleted.
    pub expires_at: Option<String>,
}

/// `ANNOUNCEMENT_DELETE`: the announcement is no longer shown.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnouncementDeleted {
    pub id: String,
}
