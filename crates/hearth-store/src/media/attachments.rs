//! Attachment rows: reserve, finish the upload, finish processing, look up, sweep failed uploads.

use hearth_core::Snowflake;

use crate::StoreError;
use crate::backend::{DbRow, Store, on_reader, on_writer};

/// Where an attachment's bytes are in their life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentState {
    /// Stored and served as uploaded (not an image, or nothing to derive).
    Stored,
    /// Stored, waiting for processing; not served until processed (the stored bytes may still carry
    /// metadata such as GPS positions).
    Waiting,
    /// Processed: the served bytes are the cleaned ones, thumbnails exist.
    Processed,
}

impl AttachmentState {
    fn to_db(self) -> i64 {
        match self {
            Self::Stored => 0,
            Self::Waiting => 1,
            Self::Processed => 2,
        }
    }

    fn from_db(raw: i64) -> Result<Self, sqlx::Error> {
        match raw {
            0 => Ok(Self::Stored),
            1 => Ok(Self::Waiting),
            2 => Ok(Self::Processed),
            other => Err(sqlx::Error::Decode(
                format!("unknown attachment state {other}").into(),
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AttachmentRecord {
    pub id: Snowflake,
    /// None while the upload is in flight (or after it failed).
    pub message_id: Option<Snowflake>,
    pub channel_id: Snowflake,
    pub uploader_id: Snowflake,
    pub filename: String,
    pub description: Option<String>,
    pub content_type: String,
    pub size: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub placeholder: Option<String>,
    pub duration_ms: Option<i64>,
    pub flags: i64,
    pub state: AttachmentState,
    /// The stored thumbnails as `width:extension` pairs, comma separated, narrowest first.
    pub thumbnails: String,
    pub created_at: i64,
}

/// The columns `from_row` reads, behind `a.`. A macro so queries are built at compile time.
macro_rules! attachment_columns {
    () => {
        "a.id, a.message_id, a.channel_id, a.uploader_id, a.filename, a.description, a.content_type, \
         a.size, a.width, a.height, a.placeholder, a.duration_ms, a.flags, a.state, a.thumbnails, \
         a.created_at"
    };
}
pub(crate) use attachment_columns;

impl AttachmentRecord {
    pub(crate) fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: Snowflake::from_db(row.int("id")?),
            message_id: row.opt_int("message_id")?.map(Snowflake::from_db),
            channel_id: Snowflake::from_db(row.int("channel_id")?),
            uploader_id: Snowflake::from_db(row.int("uploader_id")?),
            filename: row.text("filename")?,
            description: row.opt_text("description")?,
            content_type: row.text("content_type")?,
            size: row.int("size")?,
            width: row.opt_int("width")?,
            height: row.opt_int("height")?,
            placeholder: row.opt_text("placeholder")?,
            duration_ms: row.opt_int("duration_ms")?,
            flags: row.int("flags")?,
            state: AttachmentState::from_db(row.int("state")?)?,
            thumbnails: row.text("thumbnails")?,
            created_at: row.int("created_at")?,
        })
    }
}

/// An upload about to be stored: its row exists before its bytes do.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub id: Snowflake,
    pub channel_id: Snowflake,
    pub uploader_id: Snowflake,
    pub filename: String,
    pub description: Option<String>,
    pub flags: i64,
    pub now_ms: i64,
}

/// What processing found out and stored.
#[derive(Debug, Clone, Default)]
pub struct ProcessedAttachment {
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub placeholder: Option<String>,
    pub duration_ms: Option<i64>,
    /// Flags to add (animated).
    pub add_flags: i64,
    pub thumbnails: String,
    /// The size of the served bytes (metadata removal changes it).
    pub size: i64,
}

const SELECT_ATTACHMENT: &str = concat!(
    "SELECT ",
    attachment_columns!(),
    " FROM attachments a WHERE a.id = $1"
);
const SELECT_WAITING: &str = concat!(
    "SELECT ",
    attachment_columns!(),
    " FROM attachments a WHERE a.state = 1 AND a.message_id IS NOT NULL ORDER BY a.id LIMIT $1"
);

impl Store {
    /// Writes the row of an upload about to be stored (size 0, not attached). The quota is the
    /// caller's to check: it counts bytes as they stream, which the store never sees.
    pub async fn reserve_attachment(&self, new: &NewAttachment) -> Result<(), StoreError> {
        on_writer!(self, |db| {
            sqlx::query(
                "INSERT INTO attachments (id, channel_id, uploader_id, filename, description, \
                 content_type, size, flags, state, created_at) \
                 VALUES ($1, $2, $3, $4, $5, 'application/octet-stream', 0, $6, 1, $7)",
            )
            .bind(new.id.to_db())
            .bind(new.channel_id.to_db())
            .bind(new.uploader_id.to_db())
            .bind(&new.filename)
            .bind(&new.description)
            .bind(new.flags)
            .bind(new.now_ms)
            .execute(db)
            .await?;
            Ok(())
        })
    }

    /// The bytes of an upload are stored: its sniffed type, size and whether it waits for processing.
    pub async fn finish_upload(
        &self,
        id: Snowflake,
        content_type: &str,
        size: i64,
        state: AttachmentState,
    ) -> Result<(), StoreError> {
        on_writer!(self, |db| {
            sqlx::query(
                "UPDATE attachments SET content_type = $2, size = $3, state = $4 \
                 WHERE id = $1 AND message_id IS NULL",
            )
            .bind(id.to_db())
            .bind(content_type)
            .bind(size)
            .bind(state.to_db())
            .execute(db)
            .await?;
            Ok(())
        })
    }

    /// Sets an unattached upload's filename, alt text and flags (None keeps each as it is).
    pub async fn describe_upload(
        &self,
        id: Snowflake,
        filename: Option<&str>,
        description: Option<&str>,
        flags: Option<i64>,
    ) -> Result<(), StoreError> {
        on_writer!(self, |db| {
            sqlx::query(
                "UPDATE attachments SET filename = COALESCE($2, filename), \
                 description = COALESCE($3, description), flags = COALESCE($4, flags) \
                 WHERE id = $1 AND message_id IS NULL",
            )
            .bind(id.to_db())
            .bind(filename)
            .bind(description)
            .bind(flags)
            .execute(db)
            .await?;
            Ok(())
        })
    }

    /// The bytes an uploader has stored in all (finished and in-flight uploads).
    pub async fn stored_bytes(&self, uploader_id: Snowflake) -> Result<i64, StoreError> {
        on_reader!(self, |db| {
            let (used,): (i64,) = sqlx::query_as(
                "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM attachments WHERE uploader_id = $1",
            )
            .bind(uploader_id.to_db())
            .fetch_one(db)
            .await?;
            Ok(used)
        })
    }

    pub async fn attachment(&self, id: Snowflake) -> Result<Option<AttachmentRecord>, StoreError> {
        on_reader!(self, |db| {
            Ok(sqlx::query(SELECT_ATTACHMENT)
                .bind(id.to_db())
                .fetch_optional(db)
                .await?
                .map(|row| AttachmentRecord::from_row(&row))
                .transpose()?)
        })
    }

    /// Attached uploads still waiting for processing, oldest first (the start-up sweep after a crash).
    pub async fn attachments_waiting(
        &self,
        limit: u32,
    ) -> Result<Vec<AttachmentRecord>, StoreError> {
        on_reader!(self, |db| {
            Ok(sqlx::query(SELECT_WAITING)
                .bind(i64::from(limit))
                .fetch_all(db)
                .await?
                .iter()
                .map(AttachmentRecord::from_row)
                .collect::<Result<_, _>>()?)
        })
    }

    /// Records what processing produced and marks the attachment processed. Returns the message it
    /// belongs to, or None when the attachment (or its message) is gone meanwhile.
    pub async fn finish_processing(
        &self,
        id: Snowflake,
        done: &ProcessedAttachment,
    ) -> Result<Option<Snowflake>, StoreError> {
        on_writer!(self, |db| {
            let row: Option<(Option<i64>,)> = sqlx::query_as(
                "UPDATE attachments SET width = $2, height = $3, placeholder = $4, duration_ms = $5, \
                 flags = flags | $6, thumbnails = $7, size = $8, state = 2 \
                 WHERE id = $1 AND state = 1 RETURNING message_id",
            )
            .bind(id.to_db())
            .bind(done.width)
            .bind(done.height)
            .bind(&done.placeholder)
            .bind(done.duration_ms)
            .bind(done.add_flags)
            .bind(&done.thumbnails)
            .bind(done.size)
            .fetch_optional(db)
            .await?;
            Ok(row.and_then(|(message,)| message).map(Snowflake::from_db))
        })
    }

    /// Processing found nothing to derive (not a decodable image): serve the bytes as stored, as
    /// `content_type`. Returns the message, as [`Store::finish_processing`] does.
    pub async fn mark_attachment_stored(
        &self,
        id: Snowflake,
        content_type: &str,
    ) -> Result<Option<Snowflake>, StoreError> {
        on_writer!(self, |db| {
            let row: Option<(Option<i64>,)> = sqlx::query_as(
                "UPDATE attachments SET state = 0, content_type = $2 WHERE id = $1 AND state = 1 \
                 RETURNING message_id",
            )
            .bind(id.to_db())
            .bind(content_type)
            .fetch_optional(db)
            .await?;
            Ok(row.and_then(|(message,)| message).map(Snowflake::from_db))
        })
    }

    /// Deletes one upload that was never attached (its request failed); the trigger queues its blobs.
    pub async fn discard_upload(&self, id: Snowflake) -> Result<(), StoreError> {
        on_writer!(self, |db| {
            sqlx::query("DELETE FROM attachments WHERE id = $1 AND message_id IS NULL")
                .bind(id.to_db())
                .execute(db)
                .await?;
            Ok(())
        })
    }

    /// Deletes uploads never attached to a message and created before `cutoff` (unix ms): requests
    /// that died mid-way. Returns how many went.
    pub async fn sweep_unattached(&self, cutoff: i64) -> Result<u64, StoreError> {
        on_writer!(self, |db| {
            Ok(
                sqlx::query("DELETE FROM attachments WHERE message_id IS NULL AND created_at < $1")
                    .bind(cutoff)
                    .execute(db)
                    .await?
                    .rows_affected(),
            )
        })
    }
}
