//! Files and what is derived from them: attachments, embeds (link previews) and custom emoji, in
//! Discord's shapes.

use serde::{Deserialize, Serialize};

use crate::users::User;

/// A file sent with a message.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: String,
    /// Sanitized: no path, no control characters; spoilers start with `SPOILER_`.
    pub filename: String,
    /// Alt text, up to 1024 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The type sniffed from the file's bytes (never the type the client claimed).
    pub content_type: String,
    /// Bytes.
    pub size: u64,
    /// A signed download address, valid for a limited time (a fresh one comes with every read of the
    /// message); signed-in members who can see the channel may also fetch it without the signature.
    pub url: String,
    /// Like `url`; add `?width=N` to get the smallest stored thumbnail at least that wide.
    pub proxy_url: String,
    /// Pixels, for images and (with ffmpeg) videos once processed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// A blurhash of the image to show while it loads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// Audio and video: length in seconds. Not yet measured (always absent); kept for Discord
    /// clients, which read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_secs: Option<f64>,
    /// Discord's attachment flags: 8 spoiler, 32 animated.
    pub flags: u64,
    /// True while thumbnails, dimensions and metadata removal are still being worked out; a
    /// MESSAGE_UPDATE follows when they are done. A processing image is not yet downloadable.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub processing: bool,
}

/// Discord's flag for attachments whose filename starts with `SPOILER_`.
pub const ATTACHMENT_SPOILER: u64 = 1 << 3;
/// Discord's flag for animated images (GIF, animated WebP).
pub const ATTACHMENT_ANIMATED: u64 = 1 << 5;

/// In `payload_json.attachments`: names the file part `files[id]` and gives it a filename and alt text.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AttachmentDescriptor {
    /// The `n` of the part `files[n]`, as a number or a string.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub id: serde_json::Value,
    /// Replaces the part's own filename.
    #[serde(default)]
    pub filename: Option<String>,
    /// Alt text, up to 1024 characters.
    #[serde(default)]
    pub description: Option<String>,
}

/// A link preview (or, later, a bot's rich embed), in Discord's shape. Every image address is
/// Hearth's media proxy, so readers never contact the linked site.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Embed {
    /// `rich`, `link`, `article`, `image`, `video` or `gifv`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The link the preview is of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// 0xRRGGBB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<EmbedFooter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<EmbedMedia>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<EmbedMedia>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<EmbedMedia>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<EmbedProvider>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<EmbedAuthor>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<EmbedField>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmbedFooter {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_icon_url: Option<String>,
}

/// An embed's image, thumbnail or video: `url` is the original, `proxy_url` Hearth's copy.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmbedMedia {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmbedProvider {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmbedAuthor {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_icon_url: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmbedField {
    pub name: String,
    pub value: String,
    #[serde(default)]
    pub inline: bool,
}

/// A guild's custom emoji. Its image is at `/emojis/{id}.png` (`.gif` when animated), public as in
/// Discord.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuildEmoji {
    pub id: String,
    /// 2–32 characters: letters, digits and underscores.
    pub name: String,
    /// Role ids allowed to use it; empty means everyone.
    pub roles: Vec<String>,
    /// Who uploaded it (shown to members with MANAGE_EMOJIS; null otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    /// Always true.
    pub require_colons: bool,
    /// Always false.
    pub managed: bool,
    pub animated: bool,
    /// Always true.
    pub available: bool,
}

/// `POST /guilds/{id}/emojis`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateGuildEmoji {
    pub name: String,
    /// A data URI (`data:image/png;base64,…`) of a PNG, GIF or WebP image of at most 256 KiB.
    pub image: String,
    #[serde(default)]
    pub roles: Option<Vec<String>>,
}

/// `PATCH /guilds/{id}/emojis/{id}`: absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateGuildEmoji {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub roles: Option<Vec<String>>,
}

/// GUILD_EMOJIS_UPDATE: the guild's whole emoji list after a change.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuildEmojisUpdate {
    pub guild_id: String,
    pub emojis: Vec<GuildEmoji>,
}
