//! One gateway connection: Hello, then Identify or Resume, then heartbeats in and dispatches out.
//!
//! The connection owns its socket and nothing else. Events reach it through its session's outbox,
//! which the dispatcher fills without waiting; the connection writes what is new whenever the outbox
//! wakes it. A connection that cannot keep up is closed (4100) and may resume; one that sends nothing
//! for 1.5 heartbeat intervals is closed (4009).

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use hearth_protocol::events::Event;
use hearth_protocol::gateway::{
    Hello, Identify, ReadState, Ready, Resume, UnavailableGuild, close, op,
};
use hearth_store::UserRecord;
use tokio::time::{Instant, sleep_until, timeout};

use super::SessionHandle;
use super::codec::{self, Inbound, Refusal};
use super::outbox::{Outbox, Pending};
use super::presence::PresenceState;
use super::snapshot::gateway_guild;
use crate::bus::{Audience, Dispatch};
use crate::clock::now_ms;
use crate::http::views;
use crate::services::tokens;
use crate::state::AppState;

/// A write that takes longer than this means the client stopped reading.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// The window over which inbound frames are counted.
const RATE_WINDOW: Duration = Duration::from_secs(60);
/// Gateway protocol version in READY.
const GATEWAY_VERSION: u8 = 10;

/// How a connection ended.
enum End {
    /// The client went away (or the socket broke).
    Gone,
    /// Close with this code.
    Close(u16, &'static str),
}

struct Connection {
    state: AppState,
    socket: WebSocket,
    resume_url: String,
    session: Option<(Arc<SessionHandle>, u64)>,
    /// Present when the client asked for `compress=zstd-stream`.
    compressor: Option<codec::Compressor>,
    last_heartbeat: Instant,
    window_start: Instant,
    frames_in_window: u32,
}

pub async fn run(state: AppState, socket: WebSocket, resume_url: String, compress: bool) {
    let compressor = match compress.then(codec::Compressor::new).transpose() {
        Ok(compressor) => compressor,
        Err(e) => {
            tracing::error!(error = %e, "could not start a zstd stream");
            return;
        }
    };
    metrics::gauge!("hearth_gateway_connections").increment(1.0);
    let now = Instant::now();
    let mut connection = Connection {
        state,
        socket,
        resume_url,
        session: None,
        compressor,
        last_heartbeat: now,
        window_start: now,
        frames_in_window: 0,
    };
    let end = connection.serve().await;
    if let End::Close(code, reason) = end {
        let frame = CloseFrame {
            code,
            reason: reason.into(),
        };
        let _ = timeout(
            WRITE_TIMEOUT,
            connection.socket.send(Message::Close(Some(frame))),
        )
        .await;
    }
    connection.detach();
    metrics::gauge!("hearth_gateway_connections").decrement(1.0);
}

impl Connection {
    async fn serve(&mut self) -> End {
        let interval = self.state.config.gateway.heartbeat_interval_ms;
        let hello = codec::op_frame(
            op::HELLO,
            &Hello {
                heartbeat_interval: interval,
            },
        );
        if let Err(end) = self.send(hello).await {
            return end;
        }
        let allowance = Duration::from_millis(interval + interval / 2);
        let mut shutdown = self.state.gateway.shutdown.subscribe();
        loop {
            let deadline = self.last_heartbeat + allowance;
            let session = self.session.as_ref().map(|(s, _)| Arc::clone(s));
            let woken = async {
                match &session {
                    Some(s) => s.outbox.notify.notified().await,
                    None => std::future::pending().await,
                }
            };
            let result = tokio::select! {
                frame = self.socket.recv() => self.inbound(frame).await,
                () = woken => self.flush().await,
                () = sleep_until(deadline) => Err(End::Close(close::SESSION_TIMED_OUT, "no heartbeat")),
                _ = shutdown.changed() => {
                    let _ = self.send(codec::op_frame(op::RECONNECT, &())).await;
                    Err(End::Close(close::UNKNOWN_ERROR, "server restarting; resume"))
                }
            };
            if let Err(end) = result {
                return end;
            }
        }
    }

    async fn inbound(&mut self, frame: Option<Result<Message, axum::Error>>) -> Result<(), End> {
        let text = match frame {
            None | Some(Ok(Message::Close(_))) => return Err(End::Gone),
            // Oversized frames and protocol violations surface here.
            Some(Err(_)) => return Err(End::Close(close::DECODE_ERROR, "unreadable frame")),
            Some(Ok(Message::Binary(_))) => {
                return Err(End::Close(close::DECODE_ERROR, "frames must be JSON text"));
            }
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => return Ok(()),
            Some(Ok(Message::Text(text))) => text,
        };
        self.count_frame()?;
        match codec::parse(text.as_str()) {
            Err(Refusal(code)) => Err(End::Close(code, "refused frame")),
            Ok(Inbound::Heartbeat) => {
                self.last_heartbeat = Instant::now();
                self.send(codec::op_frame(op::HEARTBEAT_ACK, &())).await
            }
            Ok(Inbound::Identify(identify)) => self.identify(identify).await,
            Ok(Inbound::Resume(resume)) => self.resume(resume).await,
            Ok(Inbound::PresenceUpdate(update)) => {
                let Some((session, _)) = &self.session else {
                    return Err(End::Close(close::NOT_AUTHENTICATED, "identify first"));
                };
                let presence = PresenceState::parse(&update)
                    .ok_or(End::Close(close::DECODE_ERROR, "unknown status"))?;
                let user_id = session.user_id;
                self.state.gateway.set_presence(user_id, presence).await;
                Ok(())
            }
            Ok(Inbound::VoiceStateUpdate) => {
                if self.session.is_none() {
                    return Err(End::Close(close::NOT_AUTHENTICATED, "identify first"));
                }
                Ok(())
            }
        }
    }

    fn count_frame(&mut self) -> Result<(), End> {
        let now = Instant::now();
        if now.duration_since(self.window_start) >= RATE_WINDOW {
            self.window_start = now;
            self.frames_in_window = 0;
        }
        self.frames_in_window += 1;
        if self.frames_in_window > self.state.config.gateway.max_frames_per_minute {
            return Err(End::Close(close::RATE_LIMITED, "too many frames"));
        }
        Ok(())
    }

    /// The token's user. Takes the state rather than `&self`: the socket is not `Sync`, so a shared
    /// borrow of the connection cannot be held across an await.
    async fn authenticate(
        state: &AppState,
        token: &str,
    ) -> Result<(hearth_store::SessionRecord, UserRecord), End> {
        let failed = End::Close(close::AUTHENTICATION_FAILED, "invalid token");
        let hash = tokens::hash(token.trim()).ok_or(failed)?;
        let cutoff = now_ms() - state.session_idle_timeout().as_millis() as i64;
        match state.store.authenticate(&hash, cutoff).await {
            Ok(Some(found)) => Ok(found),
            Ok(None) => Err(End::Close(close::AUTHENTICATION_FAILED, "invalid token")),
            Err(e) => {
                tracing::error!(error = %e, "gateway authentication failed");
                Err(End::Close(close::UNKNOWN_ERROR, "try again"))
            }
        }
    }

    async fn identify(&mut self, identify: Identify) -> Result<(), End> {
        if self.session.is_some() {
            return Err(End::Close(
                close::ALREADY_AUTHENTICATED,
                "already identified",
            ));
        }
        let (auth_session, user) = Self::authenticate(&self.state, &identify.token).await?;
        let presence = match &identify.presence {
            Some(update) => PresenceState::parse(update)
                .ok_or(End::Close(close::DECODE_ERROR, "unknown status"))?,
            None => PresenceState::online(),
        };
        let config = &self.state.config.gateway;
        let session = Arc::new(SessionHandle::new(
            new_session_id(),
            user.id,
            auth_session.id,
            Outbox::new(config.resume_buffer_events, config.max_send_lag_events),
        ));
        let guilds = self
            .state
            .store
            .guilds_of_user(user.id)
            .await
            .map_err(|e| internal(&e))?;
        let guild_ids: Vec<_> = guilds.iter().map(|g| g.guild.id).collect();
        // Registered before the snapshot is read: what commits meanwhile is held and follows READY.
        self.state
            .gateway
            .register(Arc::clone(&session), guild_ids.clone(), presence)
            .await;
        let generation = session.generation();
        self.session = Some((Arc::clone(&session), generation));
        // Guilds first, so that READY's read states cover exactly the channels the user can view.
        let mut snapshots = Vec::with_capacity(guild_ids.len());
        for guild_id in &guild_ids {
            match gateway_guild(&self.state, &user, *guild_id).await {
                Ok(guild) => snapshots.push(guild),
                // Left between the two reads: the held GUILD_DELETE follows.
                Err(crate::error::ApiError::NotFound(_)) => {}
                Err(e) => return Err(internal(&e)),
            }
        }
        let visible: HashSet<&str> = snapshots
            .iter()
            .flat_map(|g| g.channels.iter().map(|c| c.id.as_str()))
            .collect();
        let read_state = self
            .state
            .store
            .unread_summary(user.id)
            .await
            .map_err(|e| internal(&e))?
            .into_iter()
            .map(|r| ReadState {
                id: r.channel_id.to_string(),
                last_message_id: r.last_read_id.map(|id| id.to_string()),
                mention_count: r.mention_count,
            })
            .filter(|r| visible.contains(r.id.as_str()))
            .collect();
        let ready = Ready {
            v: GATEWAY_VERSION,
            user: views::current_user(&user),
            guilds: guild_ids
                .iter()
                .map(|id| UnavailableGuild {
                    id: id.to_string(),
                    unavailable: true,
                })
                .collect(),
            session_id: session.id.clone(),
            resume_gateway_url: self.resume_url.clone(),
            read_state,
        };
        session
            .outbox
            .push_first(local_dispatch("READY", &ready, user.id));
        for guild in snapshots {
            session.outbox.push_first(local_dispatch(
                "GUILD_CREATE",
                &Event::GuildCreate(Box::new(guild)),
                user.id,
            ));
        }
        session.outbox.release();
        self.flush().await
    }

    async fn resume(&mut self, resume: Resume) -> Result<(), End> {
        if self.session.is_some() {
            return Err(End::Close(
                close::ALREADY_AUTHENTICATED,
                "already identified",
            ));
        }
        let (auth_session, user) = Self::authenticate(&self.state, &resume.token).await?;
        let Some(session) = self
            .state
            .gateway
            .session(&resume.session_id)
            .filter(|s| s.user_id == user.id)
        else {
            return self.invalid_session().await;
        };
        match session.outbox.rewind(resume.seq) {
            Err(true) => return Err(End::Close(close::INVALID_SEQ, "sequence never sent")),
            Err(false) => {
                self.state.gateway.unregister(&session).await;
                return self.invalid_session().await;
            }
            Ok(()) => {}
        }
        session.set_auth_session(auth_session.id);
        let generation = session.attach();
        // Wake a connection still attached to this session so that it notices it was replaced.
        session.outbox.notify.notify_waiters();
        self.session = Some((Arc::clone(&session), generation));
        self.flush().await?;
        session
            .outbox
            .push(local_dispatch("RESUMED", &serde_json::json!({}), user.id));
        self.flush().await
    }

    async fn invalid_session(&mut self) -> Result<(), End> {
        // `false`: the session cannot be resumed; identify again.
        self.send(codec::op_frame(op::INVALID_SESSION, &false))
            .await
    }

    /// Writes everything new in the outbox.
    async fn flush(&mut self) -> Result<(), End> {
        let Some((session, generation)) = self.session.as_ref().map(|(s, g)| (Arc::clone(s), *g))
        else {
            return Ok(());
        };
        if session.generation() != generation {
            return Err(End::Close(close::UNKNOWN_ERROR, "resumed elsewhere"));
        }
        match session.outbox.take(usize::MAX) {
            Pending::TooSlow => {
                metrics::counter!("hearth_gateway_slow_consumers_total").increment(1);
                Err(End::Close(close::SLOW_CONSUMER, "too far behind; resume"))
            }
            Pending::Invalid => {
                self.state.gateway.unregister(&session).await;
                self.session = None;
                self.invalid_session().await
            }
            Pending::Frames(frames) => {
                for (seq, dispatch) in frames {
                    let frame = codec::dispatch_frame(seq, &dispatch);
                    // A write blocked on a client that stopped reading is abandoned as soon as the
                    // session falls too far behind, not only after the write timeout.
                    tokio::select! {
                        sent = self.send(frame) => sent?,
                        () = session.outbox.slow.notified() => {
                            metrics::counter!("hearth_gateway_slow_consumers_total").increment(1);
                            return Err(End::Close(close::SLOW_CONSUMER, "too far behind; resume"));
                        }
                    }
                }
                Ok(())
            }
        }
    }

    async fn send(&mut self, text: String) -> Result<(), End> {
        let message = match self.compressor.as_mut() {
            Some(compressor) => match compressor.compress(&text) {
                Ok(bytes) => Message::Binary(bytes.into()),
                Err(e) => return Err(internal(&e)),
            },
            None => Message::Text(text.into()),
        };
        match timeout(WRITE_TIMEOUT, self.socket.send(message)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(End::Gone),
            Err(_) => Err(End::Close(close::SLOW_CONSUMER, "too slow to read")),
        }
    }

    /// Leaves the session resumable for the configured window, then forgets it.
    fn detach(&mut self) {
        let Some((session, generation)) = self.session.take() else {
            return;
        };
        if !session.detach(generation) {
            return;
        }
        let gateway = self.state.clone();
        let window = Duration::from_secs(self.state.config.gateway.resume_window_secs);
        tokio::spawn(async move {
            tokio::time::sleep(window).await;
            if session.is_detached_since(generation) {
                gateway.gateway.unregister(&session).await;
            }
        });
    }
}

fn internal(e: &dyn std::fmt::Display) -> End {
    tracing::error!(error = %e, "gateway session failed");
    End::Close(close::UNKNOWN_ERROR, "internal error")
}

/// A dispatch for this session alone (READY, GUILD_CREATE at start, RESUMED).
fn local_dispatch(
    name: &'static str,
    payload: &impl serde::Serialize,
    user: hearth_core::Snowflake,
) -> Arc<Dispatch> {
    Arc::new(Dispatch {
        name,
        audience: Audience::User(user),
        data: bytes::Bytes::from(serde_json::to_vec(payload).unwrap_or_else(|_| b"null".to_vec())),
    })
}

/// 128 random bits, hex: unguessable, so a session id alone never lets anyone resume (the token is
/// checked too).
fn new_session_id() -> String {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}
