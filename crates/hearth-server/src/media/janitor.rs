//! Deletes blobs whose rows are gone (the store's triggers queue their prefixes) and uploads that
//! were never attached. It looks at the queue every few seconds (one indexed query when it is
//! empty), so a deleted message's files go within moments whichever path deleted it (a moderator, a
//! ban's purge, a channel or guild deletion, an account deletion). Deleting the objects before
//! forgetting the queue entry means a crash in between only repeats a delete.

use std::time::Duration;

use crate::clock::now_ms;
use crate::state::AppState;

const INTERVAL: Duration = Duration::from_secs(5);
/// Failed uploads are looked for less often: they are only late garbage.
const UPLOAD_SWEEP_EVERY: u32 = 12;
const BATCH: u32 = 200;

pub async fn run(state: AppState) {
    let mut round: u32 = 0;
    loop {
        if round.is_multiple_of(UPLOAD_SWEEP_EVERY)
            && let Err(e) = sweep_failed_uploads(&state).await
        {
            tracing::warn!(error = %e, "could not discard failed uploads");
        }
        round = round.wrapping_add(1);
        if let Err(e) = delete_queued(&state).await {
            tracing::warn!(error = %e, "could not delete unreferenced files");
        }
        tokio::time::sleep(INTERVAL).await;
    }
}

/// Deletes the rows of uploads never sent within the upload timeout (which queues their blobs).
async fn sweep_failed_uploads(state: &AppState) -> anyhow::Result<()> {
    // An upload may take `upload_timeout_secs`; a minute more covers the send that follows it.
    let grace = (state.config.media.upload_timeout_secs + 60).saturating_mul(1000) as i64;
    let swept = state.store.sweep_unattached(now_ms() - grace).await?;
    if swept > 0 {
        tracing::info!(uploads = swept, "discarded uploads that were never sent");
    }
    Ok(())
}

/// Deletes the objects under every queued prefix, then forgets the prefixes.
async fn delete_queued(state: &AppState) -> anyhow::Result<()> {
    loop {
        let prefixes = state.store.blob_deletions(BATCH).await?;
        if prefixes.is_empty() {
            return Ok(());
        }
        for prefix in &prefixes {
            state.media.blobs.delete_prefix(prefix).await?;
        }
        state.store.forget_blob_deletions(&prefixes).await?;
        if prefixes.len() < BATCH as usize {
            return Ok(());
        }
    }
}
