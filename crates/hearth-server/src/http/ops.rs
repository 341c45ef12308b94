//! Operations endpoints: liveness, readiness, Prometheus metrics, the OpenAPI document.

use std::time::Duration;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use hearth_protocol::ops::HealthStatus;

use crate::metrics;
use crate::state::AppState;

const READINESS_TIMEOUT: Duration = Duration::from_secs(2);

/// The process is up and answering.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = HealthStatus)))]
pub async fn healthz() -> axum::Json<HealthStatus> {
    axum::Json(HealthStatus {
        status: "ok".into(),
    })
}

/// The database and the file storage answer: the node can serve traffic.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, body = HealthStatus), (status = 503, body = HealthStatus)))]
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let checks = async {
        state.store.ping().await.map_err(anyhow::Error::from)?;
        state.media.blobs.check().await.map_err(anyhow::Error::from)
    };
    let (status, word) = match tokio::time::timeout(READINESS_TIMEOUT, checks).await {
        Ok(Ok(())) => (StatusCode::OK, "ok"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
    };
    (
        status,
        axum::Json(HealthStatus {
            status: word.into(),
        }),
    )
}

/// Prometheus text exposition.
#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, content_type = "text/plain")))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let body = metrics::render(&state).await;
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body)
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "operations", responses((status = 200, content_type = "application/json")))]
pub async fn openapi(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.openapi_json.clone(),
    )
}
