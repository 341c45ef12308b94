//! The real-time gateway at `/gateway`: WebSocket sessions that receive, in order and exactly once,
//! the events their user may see (see docs/gateway.md).
//!
//! `session.rs` runs one connection; `dispatch.rs` decides who receives each event; `outbox.rs` is a
//! session's sequenced, bounded buffer (and what makes resuming exact); `guild_state.rs` is the
//! permission state the dispatcher decides with; `snapshot.rs` builds READY and GUILD_CREATE;
//! `codec.rs` parses and builds frames; `presence.rs` is online status.

mod codec;
mod dispatch;
mod guild_state;
mod outbox;
mod presence;
mod session;
pub mod snapshot;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{RawQuery, State, WebSocketUpgrade};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use hearth_core::Snowflake;
use hearth_store::Store;
use tokio::sync::{mpsc, oneshot, watch};

pub use dispatch::SessionHandle;
use dispatch::{Command, Dispatcher};
pub use presence::PresenceState;

use crate::bus::EventBus;
use crate::error::ApiError;
use crate::state::AppState;

/// Commands waiting for the dispatcher before senders wait.
const COMMAND_QUEUE: usize = 1024;
/// Socket buffers: small, because memory per idle connection is what limits how many a node holds.
const SOCKET_BUFFER_BYTES: usize = 4 * 1024;

/// The node's gateway: the dispatcher's command channel and the sessions that can be resumed.
pub struct Gateway {
    commands: mpsc::Sender<Command>,
    sessions: Mutex<HashMap<String, Arc<SessionHandle>>>,
    shutdown: watch::Sender<bool>,
}

impl Gateway {
    /// Starts the dispatcher on the current runtime.
    pub fn start(store: Store, bus: EventBus) -> Self {
        let (commands, receiver) = mpsc::channel(COMMAND_QUEUE);
        let dispatcher = Dispatcher::new(store, bus.clone(), commands.clone());
        tokio::spawn(dispatcher.run(bus.subscribe(), receiver));
        Self {
            commands,
            sessions: Mutex::new(HashMap::new()),
            shutdown: watch::channel(false).0,
        }
    }

    async fn send(&self, command: Command) {
        // The dispatcher lives as long as the process; a send fails only during shutdown.
        let _ = self.commands.send(command).await;
    }

    /// The visible presences of a guild's members connected to this node, and the viewer's own even
    /// before this node has seen them join.
    pub async fn presences(
        &self,
        guild_id: Snowflake,
        viewer: Snowflake,
    ) -> Vec<(Snowflake, PresenceState)> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Presences {
            guild_id,
            viewer,
            reply,
        })
        .await;
        answer.await.unwrap_or_default()
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<SessionHandle>>> {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn register(
        &self,
        session: Arc<SessionHandle>,
        guilds: Vec<Snowflake>,
        presence: PresenceState,
    ) {
        self.sessions()
            .insert(session.id.clone(), Arc::clone(&session));
        self.send(Command::Register {
            session,
            guilds,
            presence,
        })
        .await;
    }

    fn session(&self, id: &str) -> Option<Arc<SessionHandle>> {
        self.sessions().get(id).cloned()
    }

    async fn unregister(&self, session: &SessionHandle) {
        self.sessions().remove(&session.id);
        self.send(Command::Unregister {
            session_id: session.id.clone(),
            user_id: session.user_id,
        })
        .await;
    }

    async fn set_presence(&self, user_id: Snowflake, presence: PresenceState) {
        self.send(Command::SetPresence { user_id, presence }).await;
    }

    /// Ends the sessions on this node whose sign-in session no longer authenticates (revoked where
    /// no event reached this node, such as by the command line, or idle past the timeout, or the
    /// account disabled), through the same path as a revocation; marks the others' sign-ins used.
    pub async fn check_sessions(
        &self,
        store: &Store,
        bus: &EventBus,
        idle_cutoff_ms: i64,
        now_ms: i64,
    ) -> Result<usize, hearth_store::StoreError> {
        let connected: Vec<(Snowflake, Snowflake)> = self
            .sessions()
            .values()
            .map(|s| (s.user_id, s.auth_session()))
            .collect();
        let mut ids: Vec<Snowflake> = connected.iter().map(|(_, auth)| *auth).collect();
        ids.sort_unstable();
        ids.dedup();
        let live = store
            .keep_live_sessions(&ids, idle_cutoff_ms, now_ms)
            .await?;
        let mut ended: Vec<(Snowflake, Snowflake)> = connected
            .into_iter()
            .filter(|(_, auth)| !live.contains(auth))
            .collect();
        ended.sort_unstable();
        ended.dedup();
        for (user, auth) in &ended {
            bus.disconnect(*user, crate::bus::Revoked::Session(*auth));
        }
        Ok(ended.len())
    }

    /// Asks every connection to reconnect elsewhere (op 7) and close: the server is stopping.
    pub fn shut_down(&self) {
        let _ = self.shutdown.send(true);
    }
}

/// `GET /gateway?v=10&encoding=json&compress=zstd-stream`: upgrades to a WebSocket session. `v` and
/// `encoding=json` are accepted for compatibility; `compress=zstd-stream` turns on compression.
pub async fn upgrade(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let compress = compression(query.as_deref().unwrap_or(""))?;
    let limit = state.config.gateway.max_frame_bytes;
    let resume_url = resume_url(&state, &headers);
    Ok(ws
        .read_buffer_size(SOCKET_BUFFER_BYTES)
        .write_buffer_size(SOCKET_BUFFER_BYTES)
        .max_write_buffer_size(SOCKET_BUFFER_BYTES * 16)
        .max_message_size(limit)
        .max_frame_size(limit)
        .on_upgrade(move |socket| session::run(state, socket, resume_url, compress)))
}

/// Whether the query asks for zstd-stream; anything Hearth cannot honour is refused before upgrading.
fn compression(query: &str) -> Result<bool, ApiError> {
    let mut compress = false;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match (key, value) {
            ("v", "10") | ("encoding", "json") => {}
            ("compress", "zstd-stream") => compress = true,
            ("v", _) => return Err(ApiError::field("v", "only gateway version 10 is served")),
            ("encoding", _) => return Err(ApiError::field("encoding", "only json is served")),
            ("compress", _) => {
                return Err(ApiError::field("compress", "only zstd-stream is offered"));
            }
            _ => return Err(ApiError::field("query", "unknown parameter")),
        }
    }
    Ok(compress)
}

/// Where clients resume: this gateway as the client reached it (`wss` behind a trusted TLS proxy).
fn resume_url(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| h.len() <= 255 && h.bytes().all(|b| b.is_ascii_graphic()))
        .map_or_else(|| state.config.listen.to_string(), str::to_owned);
    let tls = state.config.http.trust_forwarded_for
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let scheme = if tls { "wss" } else { "ws" };
    format!("{scheme}://{host}/gateway")
}
