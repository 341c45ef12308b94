//! `AppState`: what every handler can reach, built once at start-up.

use std::sync::Arc;
use std::time::Duration;

use hearth_core::{NodeId, Snowflake, SnowflakeGenerator};
use hearth_store::Store;

use crate::bus::EventBus;
use crate::clock;
use crate::config::Config;
use crate::gateway::Gateway;
use crate::services::login_throttle::LoginThrottle;
use crate::services::passwords::PasswordHasher;
use crate::services::rate_limit::RateLimits;

/// Events a slow subscriber may fall behind before it is told it lagged.
const EVENT_BUS_CAPACITY: usize = 4096;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: Config,
    pub store: Store,
    pub ids: SnowflakeGenerator,
    pub passwords: PasswordHasher,
    pub login_throttle: LoginThrottle,
    pub rate_limits: RateLimits,
    pub bus: EventBus,
    pub gateway: Gateway,
    pub typing: crate::http::typing::TypingLimiter,
    pub channel_order: crate::services::messaging::ChannelOrder,
    /// Compiled AutoMod rules per guild and the spam counts (per node).
    pub automod: crate::services::automod::AutoMod,
    /// Blob storage, signed addresses and the processing queue.
    pub media: crate::media::Media,
    /// The OpenAPI document, serialized once.
    pub openapi_json: bytes::Bytes,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Builds the state and starts the gateway's dispatcher (so it must run inside the runtime).
    pub fn new(
        config: Config,
        store: Store,
        media: crate::media::Media,
        openapi_json: bytes::Bytes,
    ) -> anyhow::Result<Self> {
        let node = NodeId::new(config.node_id).map_err(|e| anyhow::anyhow!("node_id {e}"))?;
        let bus = EventBus::new(EVENT_BUS_CAPACITY);
        Ok(Self(Arc::new(Inner {
            ids: SnowflakeGenerator::new(node),
            passwords: PasswordHasher::new(&config.auth)?,
            login_throttle: LoginThrottle::new(&config.auth),
            rate_limits: RateLimits::new(&config.rate_limits),
            gateway: Gateway::start(store.clone(), bus.clone()),
            automod: crate::services::automod::AutoMod::new(&bus),
            bus,
            typing: crate::http::typing::TypingLimiter::default(),
            channel_order: crate::services::messaging::ChannelOrder::default(),
            config,
            store,
            media,
            openapi_json,
        })))
    }

    pub fn next_id(&self) -> Snowflake {
        self.ids.next(clock::now_ms().max(0) as u64)
    }

    pub fn session_idle_timeout(&self) -> Duration {
        Duration::from_secs(self.config.auth.session_idle_timeout_secs)
    }
}
