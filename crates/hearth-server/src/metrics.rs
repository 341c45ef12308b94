//! Prometheus metrics: request counts and latency by route and status, storage pool, sessions.
//!
//! The `metrics` facade has one global recorder per process, so it is installed once and shared by every
//! server built in the process (tests build many).

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::state::AppState;

pub const HTTP_REQUESTS: &str = "hearth_http_requests_total";
pub const HTTP_DURATION: &str = "hearth_http_request_duration_seconds";
const LATENCY_BUCKETS_SECS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.into()), LATENCY_BUCKETS_SECS)
                .ok()?;
            match builder.install_recorder() {
                Ok(handle) => Some(handle),
                Err(e) => {
                    tracing::warn!(error = %e, "metrics recorder could not be installed");
                    None
                }
            }
        })
        .as_ref()
}

/// Installs the recorder; call once at start-up so that early requests are counted.
pub fn install() {
    let _ = handle();
}

/// Records one finished request.
pub fn record_request(method: &str, route: &str, status: u16, seconds: f64) {
    let labels = [
        ("method", method.to_owned()),
        ("route", route.to_owned()),
        ("status", status.to_string()),
    ];
    metrics::counter!(HTTP_REQUESTS, &labels).increment(1);
    metrics::histogram!(HTTP_DURATION, &labels).record(seconds);
}

/// The exposition text, with gauges sampled now.
pub async fn render(state: &AppState) -> String {
    let pool = state.store.pool_stats();
    metrics::gauge!("hearth_db_pool_connections", "state" => "open").set(pool.size as f64);
    metrics::gauge!("hearth_db_pool_connections", "state" => "idle").set(pool.idle as f64);
    match state.store.count_sessions().await {
        Ok(n) => metrics::gauge!("hearth_sessions").set(n as f64),
        Err(e) => tracing::warn!(error = %e, "could not count sessions for metrics"),
    }
    handle().map(PrometheusHandle::render).unwrap_or_default()
}
