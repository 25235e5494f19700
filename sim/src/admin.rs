//! Test controls under `/_sim/` (no auth): inject faults, move run clocks,
//! read the request log, reset everything.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::error::ApiError;
use crate::faults::FaultKind;
use crate::http::{api_cors, parse_body};
use crate::run_id::RunTarget;
use crate::state::SimState;

/// Body of `POST /_sim/faults`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FaultRequest {
    run_id: String,
    fault: String,
    count: Option<u64>,
}

/// Body of `POST /_sim/runs/{runId}/clock`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClockRequest {
    elapsed_ms: f64,
}

/// `POST /_sim/faults`.
async fn inject(State(state): State<Arc<SimState>>, body: Bytes) -> Result<Response, ApiError> {
    let req: FaultRequest = parse_body(&body)?;
    let kind = FaultKind::from_name(&req.fault).ok_or_else(|| {
        let names: Vec<_> = FaultKind::ALL.iter().map(|k| k.name()).collect();
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "validation_error",
            format!("Unknown fault {:?}; known: {}", req.fault, names.join(", ")),
        )
    })?;
    state.inject(&req.run_id, kind, req.count);
    Ok(
        Json(json!({ "runId": req.run_id, "fault": kind.name(), "count": req.count }))
            .into_response(),
    )
}

/// `DELETE /_sim/faults`.
async fn clear(State(state): State<Arc<SimState>>) -> StatusCode {
    state.clear_faults();
    StatusCode::NO_CONTENT
}

/// `POST /_sim/runs/{runId}/clock`.
async fn set_clock(
    State(state): State<Arc<SimState>>,
    Path(run_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let req: ClockRequest = parse_body(&body)?;
    if !matches!(RunTarget::parse(&run_id), Some(RunTarget::Scenario { .. })) {
        return Err(ApiError::not_found(format!(
            "Run {run_id} is not a scenario run."
        )));
    }
    if !req.elapsed_ms.is_finite() || req.elapsed_ms < 0.0 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "validation_error",
            "elapsedMs must be a non-negative number.",
        ));
    }
    let clock = state.set_clock(&run_id, req.elapsed_ms);
    Ok(Json(json!({ "runId": run_id, "elapsedMs": clock.elapsed_ms })).into_response())
}

/// `GET /_sim/requests[?runId=...]`.
async fn requests(
    State(state): State<Arc<SimState>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    Json(state.requests(query.get("runId").map(String::as_str))).into_response()
}

/// `POST /_sim/reset`.
async fn reset(State(state): State<Arc<SimState>>) -> StatusCode {
    state.reset();
    StatusCode::NO_CONTENT
}

/// `GET /_sim/health`: answers once the simulator is up.
async fn health() -> Json<serde_json::Value> {
    Json(json!({ "ok": true }))
}

/// Unknown `/_sim/...` paths.
async fn not_found() -> ApiError {
    ApiError::not_found("No such simulator endpoint.")
}

/// The `/_sim` routes, with the same CORS as the API.
pub fn admin_router(state: Arc<SimState>, origins: &[String]) -> Router {
    Router::new()
        .route("/_sim/faults", post(inject).delete(clear))
        .route("/_sim/runs/{run_id}/clock", post(set_clock))
        .route("/_sim/requests", get(requests))
        .route("/_sim/reset", post(reset))
        .route("/_sim/health", get(health))
        .route("/_sim/{*rest}", axum::routing::any(not_found))
        .layer(api_cors(origins))
        .with_state(state)
}
