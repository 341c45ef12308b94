//! Files: message attachments (reserved before their bytes are stored, attached when the message is
//! sent, finished when processing ends) and the queue of blob prefixes to delete.
//!
//! Every blob has a row that names it (its key is derived from the row's id), and deleting a row, by
//! any path including cascades, queues the blob's prefix in `blob_deletions` through a trigger in the
//! same transaction. So the object store never keeps a file whose row is gone for longer than the
//! janitor takes to catch up.

mod attachments;
mod blobs;
mod images;

pub(crate) use attachments::attachment_columns;
pub use attachments::{AttachmentRecord, AttachmentState, NewAttachment, ProcessedAttachment};
pub use images::{GuildImage, UserImage};
