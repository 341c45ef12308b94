//! Message rules that need the guild in hand: where messages may be sent, which mentions take effect,
//! and who skips slow mode. Shared by sending and editing (and, later, the gateway).

use std::time::Duration;

use hearth_core::{ChannelKind, MessageContent, Permissions, Snowflake, mentions};

use crate::services::access::ChannelAccess;
use crate::state::AppState;

/// A send repeating a nonce within this window answers the first message (Discord's dedupe window).
pub const NONCE_WINDOW: Duration = Duration::from_secs(10 * 60);

/// Any of these lets a member ignore slow mode (Discord's rule).
const SLOW_MODE_EXEMPT: Permissions = Permissions::MANAGE_MESSAGES
    .union(Permissions::MANAGE_CHANNELS)
    .union(Permissions::BYPASS_SLOWMODE);

/// The mentions of a message that take effect.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mentions {
    /// `@everyone` or `@here`, written by someone holding MENTION_EVERYONE in the channel.
    pub everyone: bool,
    /// Candidates: the store keeps those who are members of the guild.
    pub users: Vec<Snowflake>,
    /// Roles of the guild, other than @everyone, that are mentionable or mentioned by a holder of
    /// MENTION_EVERYONE.
    pub roles: Vec<Snowflake>,
}

/// Whether a channel of this kind takes messages: text and announcement channels, and voice channels'
/// text chat. Categories hold channels, and forums hold posts (threads), not messages.
pub fn accepts_messages(kind: ChannelKind) -> bool {
    matches!(
        kind,
        ChannelKind::Text | ChannelKind::Announcement | ChannelKind::Voice
    )
}

pub fn bypasses_slow_mode(access: &ChannelAccess) -> bool {
    access.permissions.intersects(SLOW_MODE_EXEMPT)
}

/// The mentions in `content` that the author may make in this channel. Without MENTION_EVERYONE,
/// `@everyone` and `@here` stay text (they are still shown, but notify nobody) and only mentionable
/// roles count, as in Discord.
pub fn resolve_mentions(access: &ChannelAccess, content: &MessageContent) -> Mentions {
    let parsed = mentions::parse(content.as_str());
    let may_mention_everyone = access.permissions.contains(Permissions::MENTION_EVERYONE);
    let roles = &access.guild.context.roles;
    Mentions {
        everyone: may_mention_everyone && (parsed.everyone || parsed.here),
        users: parsed.users,
        roles: parsed
            .roles
            .into_iter()
            .filter(|id| {
                roles.iter().any(|r| {
                    r.id == *id && !r.is_everyone() && (r.mentionable || may_mention_everyone)
                })
            })
            .collect(),
    }
}

/// Deletes the nonces of sends older than the dedupe window (run by the upkeep task).
pub async fn forget_old_nonces(state: &AppState, now_ms: i64) {
    let cutoff = now_ms - NONCE_WINDOW.as_millis() as i64;
    match state.store.delete_old_nonces(cutoff).await {
        Ok(0) => {}
        Ok(n) => tracing::debug!(deleted = n, "deleted old message nonces"),
        Err(e) => tracing::warn!(error = %e, "could not delete old message nonces"),
    }
}

/// Lock shards for [`ChannelOrder`]; channels hashing to one shard share it, which only serialises
/// sends that the database would serialise on the channel's row lock anyway, plus a few unrelated ones.
const ORDER_SHARDS: usize = 256;

/// Makes the event stream carry each channel's new messages in commit order: a send holds its
/// channel's turn from before its transaction until its event is published. Within one node; across
/// nodes the cluster bus orders per channel.
pub struct ChannelOrder(Vec<tokio::sync::Mutex<()>>);

impl Default for ChannelOrder {
    fn default() -> Self {
        Self(
            (0..ORDER_SHARDS)
                .map(|_| tokio::sync::Mutex::new(()))
                .collect(),
        )
    }
}

impl ChannelOrder {
    pub async fn turn(&self, channel: hearth_core::Snowflake) -> tokio::sync::MutexGuard<'_, ()> {
        // Snowflakes' low bits are a per-millisecond sequence; mixing spreads channels over shards.
        let index =
            (channel.get().wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize % self.0.len();
        self.0[index].lock().await
    }
}
