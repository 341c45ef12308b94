//! Blob keys, derived from row ids so that no row stores a path and a row's blobs share a prefix
//! (the prefix the store's deletion triggers queue: keep the two in step).

use hearth_core::Snowflake;

/// Everything of one attachment.
pub fn attachment_prefix(id: Snowflake) -> String {
    format!("attachments/{id}/")
}

/// The bytes served for an attachment.
pub fn attachment_file(id: Snowflake) -> String {
    format!("attachments/{id}/file")
}

/// An image as uploaded, kept only until processing has written the cleaned `file` (it may carry
/// GPS positions and is never served).
pub fn attachment_original(id: Snowflake) -> String {
    format!("attachments/{id}/original")
}

pub fn attachment_thumbnail(id: Snowflake, width: u32, extension: &str) -> String {
    format!("attachments/{id}/t{width}.{extension}")
}
