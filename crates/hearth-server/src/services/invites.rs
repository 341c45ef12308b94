//! Instance invites: minting unique codes.

use hearth_core::{InviteCode, InviteLimits, Snowflake};
use hearth_store::{InviteRecord, NewInstanceAuditEntry, NewInvite, Store, StoreError};

use crate::clock::now_ms;

/// A collision among 57^10 codes is all but impossible; retrying a few times turns "all but" into "never
/// in practice" without a loop that could spin.
const CODE_ATTEMPTS: usize = 4;

/// Mints an invite and records it in the instance audit log with `entry` (an `invite.create` entry
/// naming the actor), to which the code and limits are added.
pub async fn create(
    store: &Store,
    created_by: Option<Snowflake>,
    limits: InviteLimits,
    entry: NewInstanceAuditEntry,
) -> anyhow::Result<InviteRecord> {
    for _ in 0..CODE_ATTEMPTS {
        let mut bytes = [0u8; hearth_core::invite::INVITE_CODE_LEN];
        rand::fill(&mut bytes);
        let new = NewInvite {
            code: InviteCode::from_random(bytes),
            created_by,
            limits,
            now_ms: now_ms(),
        };
        let entry = entry
            .clone()
            .change("code", None::<&str>, new.code.as_str())
            .change("max_uses", None::<u32>, limits.max_uses)
            .change("max_age", None::<u64>, limits.max_age_secs);
        match store.create_invite(&new, &entry).await {
            Err(StoreError::Conflict(_)) => continue,
            other => return Ok(other?),
        }
    }
    anyhow::bail!("could not find a free invite code")
}
