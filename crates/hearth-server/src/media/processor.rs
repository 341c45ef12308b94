//! Image processing off the request path: the cleaned file (metadata removed), thumbnails, size and
//! blurhash, then a MESSAGE_UPDATE. A bounded in-memory queue carries the work; the rows are the
//! truth (state 1 = waiting), so a full queue or a crash loses nothing: a sweep at start and every
//! half minute queues whatever still waits.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hearth_core::Snowflake;
use hearth_media::image::{ProcessedImage, process_attachment};
use hearth_protocol::events::Event;
use hearth_store::{AttachmentRecord, AttachmentState, ProcessedAttachment};
use tokio::sync::{Semaphore, mpsc};

use super::keys;
use crate::bus::Audience;
use crate::http::views;
use crate::state::AppState;

/// Attachments queued at once; more wait in the store for the next sweep.
const QUEUE_CAPACITY: usize = 1024;
const SWEEP_INTERVAL: Duration = Duration::from_secs(30);
const SWEEP_BATCH: u32 = 500;

pub struct Queue {
    sender: mpsc::Sender<Snowflake>,
    receiver: Mutex<Option<mpsc::Receiver<Snowflake>>>,
    /// Ids queued and not yet finished, so a sweep does not queue them twice.
    pending: Arc<Mutex<HashSet<Snowflake>>>,
}

impl Queue {
    pub fn new() -> Self {
        let (sender, receiver) = mpsc::channel(QUEUE_CAPACITY);
        Self {
            sender,
            receiver: Mutex::new(Some(receiver)),
            pending: Arc::default(),
        }
    }

    /// Queues an attachment for processing; when the queue is full the next sweep finds it.
    pub fn push(&self, id: Snowflake) {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        if pending.insert(id) && self.sender.try_send(id).is_err() {
            pending.remove(&id);
        }
    }

    fn done(&self, id: Snowflake) {
        self.pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
    }
}

impl Default for Queue {
    fn default() -> Self {
        Self::new()
    }
}

/// Runs the workers until the task is aborted. Only the first call gets the queue's receiver.
pub async fn run(state: AppState) {
    let Some(mut receiver) = state
        .media
        .processor
        .receiver
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take()
    else {
        return;
    };
    let workers = match state.config.media.processing_workers {
        0 => std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1)),
        n => n,
    };
    let permits = Arc::new(Semaphore::new(workers));
    let sweeper = tokio::spawn(sweep_forever(state.clone()));
    while let Some(id) = receiver.recv().await {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            break;
        };
        let state = state.clone();
        tokio::spawn(async move {
            if let Err(e) = process(&state, id).await {
                tracing::warn!(attachment = %id, error = %e, "could not process an attachment");
            }
            state.media.processor.done(id);
            drop(permit);
        });
    }
    sweeper.abort();
}

async fn sweep_forever(state: AppState) {
    let mut tick = tokio::time::interval(SWEEP_INTERVAL);
    loop {
        tick.tick().await;
        match state.store.attachments_waiting(SWEEP_BATCH).await {
            Ok(waiting) => {
                for attachment in waiting {
                    state.media.processor.push(attachment.id);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not list attachments waiting for processing")
            }
        }
    }
}

async fn process(state: &AppState, id: Snowflake) -> anyhow::Result<()> {
    let Some(record) = state.store.attachment(id).await? else {
        return Ok(());
    };
    // Not attached yet (the send is still committing) or done already: a later sweep or nothing.
    if record.state != AttachmentState::Waiting || record.message_id.is_none() {
        return Ok(());
    }
    let original = keys::attachment_original(id);
    let bytes = state
        .media
        .blobs
        .get(&original, state.config.media.max_file_bytes)
        .await?;
    let limits = state.media.image_limits.clone();
    let widths = state.config.media.thumbnail_widths.clone();
    let started = std::time::Instant::now();
    // `Bytes` clones share one buffer: the fallback below reuses it instead of reading it again.
    let input = bytes.clone();
    let processed =
        tokio::task::spawn_blocking(move || process_attachment(&input, &limits, &widths)).await?;
    let message = match processed {
        Ok(image) => {
            tracing::debug!(attachment = %id, ms = started.elapsed().as_millis() as u64, "processed an image");
            store_derived(state, &record, image).await?
        }
        Err(e) => {
            // Not a picture Hearth can decode (corrupt, a bomb, a polyglot): it is served as a plain
            // download, never inline, so a browser does not try to render it.
            tracing::info!(attachment = %id, reason = %e, "serving an image that did not process as a file");
            state
                .media
                .blobs
                .put(&keys::attachment_file(id), bytes)
                .await?;
            state
                .store
                .mark_attachment_stored(id, "application/octet-stream")
                .await?
        }
    };
    state.media.blobs.delete(&original).await?;
    if let Some(message_id) = message {
        announce(state, &record, message_id).await?;
    }
    Ok(())
}

async fn store_derived(
    state: &AppState,
    record: &AttachmentRecord,
    image: ProcessedImage,
) -> anyhow::Result<Option<Snowflake>> {
    let mut thumbnails = Vec::with_capacity(image.thumbnails.len());
    for thumbnail in image.thumbnails {
        let extension = thumbnail.kind.extension();
        state
            .media
            .blobs
            .put(
                &keys::attachment_thumbnail(record.id, thumbnail.width, extension),
                bytes::Bytes::from(thumbnail.bytes),
            )
            .await?;
        thumbnails.push((thumbnail.width, extension));
    }
    thumbnails.sort_unstable();
    let size = image.cleaned.len() as i64;
    state
        .media
        .blobs
        .put(
            &keys::attachment_file(record.id),
            bytes::Bytes::from(image.cleaned),
        )
        .await?;
    let done = ProcessedAttachment {
        width: Some(i64::from(image.info.width)),
        height: Some(i64::from(image.info.height)),
        placeholder: Some(image.blurhash),
        duration_ms: None,
        add_flags: if image.info.animated {
            hearth_protocol::media::ATTACHMENT_ANIMATED as i64
        } else {
            0
        },
        thumbnails: thumbnails
            .iter()
            .map(|(width, extension)| format!("{width}:{extension}"))
            .collect::<Vec<_>>()
            .join(","),
        size,
    };
    Ok(state.store.finish_processing(record.id, &done).await?)
}

/// MESSAGE_UPDATE with the processed attachment, to everyone who can see the channel.
async fn announce(
    state: &AppState,
    record: &AttachmentRecord,
    message_id: Snowflake,
) -> anyhow::Result<()> {
    let Some(message) = state
        .store
        .message(record.channel_id, message_id, record.uploader_id)
        .await?
    else {
        return Ok(());
    };
    state.bus.publish(
        Audience::Channel {
            guild_id: message.guild_id,
            channel_id: message.channel_id,
        },
        &Event::MessageUpdate(Box::new(views::message_event(
            &message,
            None,
            &state.media.signer,
        ))),
    );
    Ok(())
}
