//! The in-process bus: a bounded broadcast channel.
//!
//! Bounded on purpose: a subscriber that falls more than `capacity` events behind gets `Lagged` instead
//! of growing memory without limit; the gateway answers that by invalidating the session, which then
//! resumes or reconnects.

use std::sync::Arc;

use tokio::sync::broadcast;

use super::{Dispatch, EventTransport};

pub struct LocalBus {
    sender: broadcast::Sender<Arc<Dispatch>>,
}

impl LocalBus {
    pub fn new(capacity: usize) -> Self {
        let (sender, _) = broadcast::channel(capacity.max(1));
        Self { sender }
    }
}

impl EventTransport for LocalBus {
    fn publish(&self, dispatch: Arc<Dispatch>) {
        metrics::counter!("hearth_events_published_total", "event" => dispatch.name).increment(1);
        // No subscriber is not an error: nobody is connected to receive it.
        let _ = self.sender.send(dispatch);
    }

    fn subscribe(&self) -> broadcast::Receiver<Arc<Dispatch>> {
        self.sender.subscribe()
    }
}
