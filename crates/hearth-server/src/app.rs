//! Building and running the server: storage, state, listener, background upkeep, graceful shutdown.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use hearth_store::Store;
use tokio::net::TcpListener;

use crate::clock::now_ms;
use crate::config::Config;
use crate::state::AppState;
use crate::{http, metrics};

/// How often idle sessions are deleted and refilled rate-limit buckets forgotten.
const UPKEEP_INTERVAL: Duration = Duration::from_secs(60);

pub struct Application {
    listener: TcpListener,
    state: AppState,
}

impl Application {
    /// Opens storage (applying migrations) and binds the listener. Port 0 picks a free port.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&config.data_dir)?;
        std::fs::create_dir_all(config.files_dir())?;
        metrics::install();
        let store = Store::connect(&config.store_options()).await?;
        store.migrate().await?;
        let openapi = bytes::Bytes::from(http::openapi_json()?);
        let listener = TcpListener::bind(config.listen).await?;
        let media = crate::media::Media::open(&config, &store).await?;
        let state = AppState::new(config, store, media, openapi)?;
        Ok(Self { listener, state })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then stops accepting, lets in-flight requests finish (up to the
    /// configured grace period) and closes storage.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let state = self.state.clone();
        if state.store.count_users().await? == 0 {
            tracing::info!(
                "no accounts yet: the first account to register becomes the instance owner"
            );
        }
        let upkeep = tokio::spawn(upkeep(state.clone()));
        // Votes close within seconds of their deadline, far more often than the minute-long upkeep.
        let vote_sweeper = tokio::spawn(crate::services::votes::sweep_forever(state.clone()));
        let session_checker = tokio::spawn(check_gateway_sessions(state.clone()));
        let processor = tokio::spawn(crate::media::processor::run(state.clone()));
        let janitor = tokio::spawn(crate::media::janitor::run(state.clone()));
        let grace = Duration::from_secs(state.config.http.shutdown_grace_secs);
        let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
        let gateway_state = state.clone();
        let service =
            http::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let server = axum::serve(self.listener, service).with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down: finishing in-flight requests");
            gateway_state.gateway.shut_down();
            let _ = stopping_tx.send(());
        });
        let served = async move {
            let mut server = std::pin::pin!(server.into_future());
            tokio::select! {
                result = &mut server => result,
                _ = async { let _ = stopping_rx.await; tokio::time::sleep(grace).await } => {
                    tracing::warn!("grace period over; dropping remaining connections");
                    Ok(())
                }
            }
        };
        let result = served.await;
        upkeep.abort();
        vote_sweeper.abort();
        session_checker.abort();
        processor.abort();
        janitor.abort();
        state.store.close().await;
        tracing::info!("stopped");
        Ok(result?)
    }
}

/// Ends gateway connections whose sign-in was revoked without an event reaching this node, every
/// `gateway.session_check_secs`.
async fn check_gateway_sessions(state: AppState) {
    let mut tick =
        tokio::time::interval(Duration::from_secs(state.config.gateway.session_check_secs));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = now_ms();
        let cutoff = now - state.session_idle_timeout().as_millis() as i64;
        match state
            .gateway
            .check_sessions(&state.store, &state.bus, cutoff, now)
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                ended = n,
                "ended gateway sessions whose sign-in was revoked"
            ),
            Err(e) => tracing::warn!(error = %e, "could not check gateway sessions"),
        }
    }
}

async fn upkeep(state: AppState) {
    let mut tick = tokio::time::interval(UPKEEP_INTERVAL);
    loop {
        tick.tick().await;
        state.rate_limits.sweep();
        state.typing.sweep();
        let cutoff = now_ms() - state.session_idle_timeout().as_millis() as i64;
        match state.store.delete_idle_sessions(cutoff).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "deleted idle sessions"),
            Err(e) => tracing::warn!(error = %e, "could not delete idle sessions"),
        }
        crate::services::messaging::forget_old_nonces(&state, now_ms()).await;
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
