//! Instance invites: minting unique codes.

use hearth_core::{InviteCode, InviteLimits, Snowflake};
use hearth_store::{InviteRecord, NewInvite, Store, StoreError};

use crate::clock::now_ms;

/// A collision among 57^10 codes is all but impossible; retrying a few times turns "all but" into "never
/// in practice" without a loop that could spin.
const CODE_ATTEMPTS: usize = 4;

pub async fn create(
    store: &Store,
    created_by: Option<Snowflake>,
    limits: InviteLimits,
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
        match store.create_invite(&new).await {
            Err(StoreError::Conflict(_)) => continue,
            other => return Ok(other?),
        }
    }
    anyhow::bail!("could not find a free invite code")
}
