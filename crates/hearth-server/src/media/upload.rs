//! Receiving a message's files: `multipart/form-data` with a `payload_json` part and `files[n]`
//! parts (Discord's shape). Each file is streamed into the blob store as it arrives, never held whole
//! in memory: its first bytes decide its type, its size is counted against the per-file limit and
//! the uploader's quota as it streams, and a refused or failed upload leaves no row and no blob.

use bytes::Bytes;
use futures_util::Stream;
use hearth_core::Snowflake;
use hearth_media::{filename, sniff};
use hearth_protocol::messages::CreateMessage;
use hearth_store::{AttachmentState, NewAttachment};

use super::keys;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::parse_json;
use crate::state::AppState;

/// Longest alt text, as in Discord.
const MAX_DESCRIPTION_CHARS: usize = 1024;
/// Room for part headers and boundaries on top of the parts' own bytes.
const MULTIPART_OVERHEAD_BYTES: u64 = 64 * 1024;
/// Discord prefixes a spoiler's filename with this.
const SPOILER_PREFIX: &str = "SPOILER_";

/// One stored file of the request.
#[derive(Debug, Clone)]
pub struct Upload {
    pub id: Snowflake,
    /// The `n` of its part `files[n]`.
    pub index: u32,
}

/// The parts of a multipart send: the message body and the files, in part order.
pub struct Received {
    pub payload: CreateMessage,
    pub uploads: Vec<Upload>,
}

/// The boundary of a request whose body is `multipart/form-data`, if it is one.
pub fn multipart_boundary(headers: &axum::http::HeaderMap) -> Option<String> {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)?
        .to_str()
        .ok()?;
    multer::parse_boundary(content_type).ok()
}

/// Reads every part, storing the files as uploads of `uploader` to `channel`. On any error the
/// uploads stored so far are discarded before returning.
pub async fn receive<S>(
    state: &AppState,
    uploader: Snowflake,
    channel: Snowflake,
    boundary: String,
    body: S,
) -> ApiResult<Received>
where
    S: Stream<Item = Result<Bytes, axum::Error>> + Send + 'static,
{
    let mut uploads = Vec::new();
    match read_parts(state, uploader, channel, boundary, body, &mut uploads).await {
        Ok(received) => Ok(received),
        Err(e) => {
            discard(state, &uploads).await;
            Err(e)
        }
    }
}

/// Deletes uploads that will not be sent (the row goes, its trigger queues the blobs).
pub async fn discard(state: &AppState, uploads: &[Upload]) {
    for upload in uploads {
        if let Err(e) = state.store.discard_upload(upload.id).await {
            tracing::warn!(error = %e, "could not discard an upload; the janitor will");
        }
    }
}

async fn read_parts<S>(
    state: &AppState,
    uploader: Snowflake,
    channel: Snowflake,
    boundary: String,
    body: S,
    uploads: &mut Vec<Upload>,
) -> ApiResult<Received>
where
    S: Stream<Item = Result<Bytes, axum::Error>> + Send + 'static,
{
    let media = &state.config.media;
    let max_json = state.config.http.max_json_body_bytes as u64;
    let whole = u64::from(media.max_files_per_message)
        .saturating_mul(media.max_file_bytes)
        .saturating_add(max_json)
        .saturating_add(MULTIPART_OVERHEAD_BYTES);
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream(whole)
            // One byte over the limit is enough to know a file is too large; the per-file check
            // below then answers FILE_TOO_LARGE.
            .per_field(media.max_file_bytes.saturating_add(1))
            .for_field("payload_json", max_json),
    );
    let mut multipart = multer::Multipart::with_constraints(body, boundary, constraints);
    let mut payload: Option<CreateMessage> = None;
    let mut used = state.store.stored_bytes(uploader).await?.max(0) as u64;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "payload_json" {
            if payload.is_some() {
                return Err(ApiError::field("payload_json", "appears twice"));
            }
            let text = field.bytes().await.map_err(|e| match e {
                multer::Error::FieldSizeExceeded { .. } => ApiError::PayloadTooLarge {
                    limit: max_json as usize,
                },
                other => multipart_error(other),
            })?;
            payload = Some(parse_json(&text, Some("payload_json"))?);
            continue;
        }
        let Some(index) = file_index(&name) else {
            return Err(ApiError::field(
                &name,
                "unknown part: expected payload_json or files[n]",
            ));
        };
        if index >= media.max_files_per_message {
            return Err(ApiError::TooManyFiles {
                limit: media.max_files_per_message,
            });
        }
        if uploads.iter().any(|u| u.index == index) {
            return Err(ApiError::field(&name, "appears twice"));
        }
        let id = state.next_id();
        let name = filename::sanitize(field.file_name().unwrap_or("file"));
        let flags = spoiler_flag(&name);
        // A full quota refuses before anything is written; a file that fills it mid-way is
        // refused as it streams (`check_size`).
        if media.user_quota_bytes > 0 && used >= media.user_quota_bytes {
            return Err(ApiError::QuotaExceeded {
                limit: media.user_quota_bytes,
            });
        }
        state
            .store
            .reserve_attachment(&NewAttachment {
                id,
                channel_id: channel,
                uploader_id: uploader,
                filename: name,
                description: None,
                flags,
                now_ms: now_ms(),
            })
            .await?;
        uploads.push(Upload { id, index });
        let size = stream_file(state, id, field, &mut used).await?;
        tracing::debug!(attachment = %id, bytes = size, "stored an upload");
    }
    let payload = payload.unwrap_or_default();
    describe(state, &payload, uploads).await?;
    Ok(Received {
        payload,
        uploads: std::mem::take(uploads),
    })
}

/// `files[3]` → 3. Also accepts Discord's older `file` and `fileN` names.
fn file_index(name: &str) -> Option<u32> {
    if let Some(inner) = name
        .strip_prefix("files[")
        .and_then(|r| r.strip_suffix(']'))
    {
        return inner.parse().ok().filter(|_| inner.len() <= 3);
    }
    if name == "file" {
        return Some(0);
    }
    name.strip_prefix("file")
        .filter(|digits| (1..=3).contains(&digits.len()))
        .and_then(|digits| digits.parse().ok())
}

fn spoiler_flag(name: &str) -> i64 {
    if name.starts_with(SPOILER_PREFIX) {
        hearth_protocol::media::ATTACHMENT_SPOILER as i64
    } else {
        0
    }
}

fn multipart_error(e: multer::Error) -> ApiError {
    match e {
        multer::Error::StreamSizeExceeded { limit } => ApiError::PayloadTooLarge {
            limit: limit as usize,
        },
        other => ApiError::InvalidMultipart(other.to_string()),
    }
}

/// Streams one file part into the blob store: the first bytes are sniffed to choose where it goes
/// (images wait under `original` until processed), then every chunk is counted before it is written.
async fn stream_file(
    state: &AppState,
    id: Snowflake,
    mut field: multer::Field<'static>,
    used: &mut u64,
) -> ApiResult<u64> {
    let media = &state.config.media;
    let quota = media.user_quota_bytes;
    let mut head: Vec<u8> = Vec::with_capacity(sniff::SNIFF_BYTES);
    let mut pending: Vec<Bytes> = Vec::new();
    let mut size: u64 = 0;
    let mut ended = false;
    // Gather the first bytes without writing anything: the type decides the key.
    while head.len() < sniff::SNIFF_BYTES {
        match field
            .chunk()
            .await
            .map_err(file_error(media.max_file_bytes))?
        {
            Some(chunk) => {
                size += chunk.len() as u64;
                check_size(size, *used, media.max_file_bytes, quota)?;
                let take = (sniff::SNIFF_BYTES - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
                pending.push(chunk);
            }
            None => {
                ended = true;
                break;
            }
        }
    }
    let content_type = sniff::sniff(&head);
    let waits = sniff::is_processable_image(content_type);
    let key = if waits {
        keys::attachment_original(id)
    } else {
        keys::attachment_file(id)
    };
    let mut writer = state
        .media
        .blobs
        .writer(&key)
        .await
        .map_err(anyhow::Error::from)?;
    let written = async {
        for chunk in pending.drain(..) {
            writer.write(&chunk).await.map_err(anyhow::Error::from)?;
        }
        while !ended {
            match field
                .chunk()
                .await
                .map_err(file_error(media.max_file_bytes))?
            {
                Some(chunk) => {
                    size += chunk.len() as u64;
                    check_size(size, *used, media.max_file_bytes, quota)?;
                    writer.write(&chunk).await.map_err(anyhow::Error::from)?;
                }
                None => ended = true,
            }
        }
        Ok::<(), ApiError>(())
    }
    .await;
    if let Err(e) = written {
        writer.abort().await;
        return Err(e);
    }
    writer.finish().await.map_err(anyhow::Error::from)?;
    *used += size;
    let state_after = if waits {
        AttachmentState::Waiting
    } else {
        AttachmentState::Stored
    };
    state
        .store
        .finish_upload(id, content_type, size as i64, state_after)
        .await?;
    Ok(size)
}

fn check_size(size: u64, used: u64, max_file: u64, quota: u64) -> ApiResult<()> {
    if size > max_file {
        return Err(ApiError::FileTooLarge { limit: max_file });
    }
    if quota > 0 && used.saturating_add(size) > quota {
        return Err(ApiError::QuotaExceeded { limit: quota });
    }
    Ok(())
}

fn file_error(max_file: u64) -> impl Fn(multer::Error) -> ApiError {
    move |e| match e {
        multer::Error::FieldSizeExceeded { .. } => ApiError::FileTooLarge { limit: max_file },
        other => multipart_error(other),
    }
}

/// Applies `payload_json.attachments`: a filename and alt text per `files[n]`.
async fn describe(state: &AppState, payload: &CreateMessage, uploads: &[Upload]) -> ApiResult<()> {
    let Some(descriptors) = &payload.attachments else {
        return Ok(());
    };
    for (i, descriptor) in descriptors.iter().enumerate() {
        let field = format!("payload_json.attachments[{i}]");
        let index = match &descriptor.id {
            serde_json::Value::Number(n) => n.as_u64(),
            serde_json::Value::String(s) => s.parse().ok(),
            _ => None,
        }
        .and_then(|n| u32::try_from(n).ok());
        let Some(upload) = index.and_then(|n| uploads.iter().find(|u| u.index == n)) else {
            return Err(ApiError::field(
                &format!("{field}.id"),
                "names no files[n] part of this request",
            ));
        };
        if let Some(description) = &descriptor.description
            && description.chars().count() > MAX_DESCRIPTION_CHARS
        {
            return Err(ApiError::field(
                &format!("{field}.description"),
                format!("at most {MAX_DESCRIPTION_CHARS} characters"),
            ));
        }
        let name = descriptor.filename.as_deref().map(filename::sanitize);
        let flags = name.as_deref().map(spoiler_flag);
        state
            .store
            .describe_upload(
                upload.id,
                name.as_deref(),
                descriptor.description.as_deref(),
                flags,
            )
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_parts_are_named_as_discord_names_them() {
        assert_eq!(file_index("files[0]"), Some(0));
        assert_eq!(file_index("files[9]"), Some(9));
        assert_eq!(file_index("file"), Some(0));
        assert_eq!(file_index("file2"), Some(2));
        assert_eq!(file_index("files[]"), None);
        assert_eq!(file_index("files[-1]"), None);
        assert_eq!(file_index("files[99999999999]"), None);
        assert_eq!(file_index("payload"), None);
        assert_eq!(file_index("file12345"), None);
    }

    #[test]
    fn spoilers_are_marked_by_their_filename() {
        assert_eq!(spoiler_flag("SPOILER_ending.png"), 8);
        assert_eq!(spoiler_flag("spoiler_ending.png"), 0);
        assert_eq!(spoiler_flag("ending.png"), 0);
    }
}
