//! Blob keys, derived from row ids so that no row stores a path and a row's blobs share the prefix
//! `attachments/{id}/`, which the store's deletion trigger queues: keep the two in step.

use hearth_core::Snowflake;

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
