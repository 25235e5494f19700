//! The Runs API: `GET /api/v1/runs/{runId}`, auth, project scoping, errors in
//! the documented shape, CORS and the request log; the blueprint endpoints
//! live in [`crate::blueprints`].

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::auth::{auth_state, authorize};
use crate::blueprints;
use crate::error::ApiError;
use crate::faults::FaultKind;
use crate::http::{api_cors, json_200};
use crate::model::Run;
use crate::run_id::{RunTarget, GOLDEN_JSON};
use crate::scenario::{run_at, RunContext, Scenario};
use crate::state::SimState;

/// Longest a `hang` fault holds a request.
const HANG_CAP: Duration = Duration::from_secs(600);

/// Evaluates a scenario run for the given instance clock.
fn scenario_run(
    state: &SimState,
    scenario: Scenario,
    run_id: &str,
    elapsed_ms: u64,
    t0: i64,
) -> Run {
    let ctx = RunContext {
        run_id,
        t0_unix_ms: t0,
        speed: state.settings.speed,
        media_base: &state.settings.media_base,
    };
    run_at(scenario, &ctx, elapsed_ms)
}

/// Holds a request open until the client goes away (the future is dropped),
/// the server shuts down, or ten minutes pass.
async fn hang(state: &SimState) -> Response {
    let mut shutdown = state.shutdown.clone();
    tokio::select! {
        _ = tokio::time::sleep(HANG_CAP) => {}
        _ = shutdown.wait_for(|down| *down) => {}
    }
    ApiError::new(
        StatusCode::GATEWAY_TIMEOUT,
        "gateway_timeout",
        "The request was held and then abandoned.",
    )
    .into_response()
}

/// `GET /api/v1/runs/{runId}`.
async fn get_run(
    State(state): State<Arc<SimState>>,
    Path(run_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(err) = authorize(&headers, &state) {
        return err.into_response();
    }
    let target = RunTarget::parse(&run_id);
    let mut fault = state.take_fault(&run_id);
    let run = match target {
        None => None,
        Some(RunTarget::Golden) => {
            state.touch(&run_id);
            None
        }
        Some(RunTarget::Scenario {
            scenario,
            fault: built_in,
        }) => {
            let clock = state.touch(&run_id);
            if fault.is_none() {
                fault = built_in.filter(|k| k.hits_request(clock.request_no));
            }
            Some(scenario_run(
                &state,
                scenario,
                &run_id,
                clock.elapsed_ms,
                clock.t0_unix_ms,
            ))
        }
    };
    if let Some(kind) = fault {
        if kind == FaultKind::Hang {
            return hang(&state).await;
        }
        let real = match (&run, target) {
            (Some(run), _) => serde_json::to_vec(run).unwrap_or_default(),
            (None, Some(RunTarget::Golden)) => GOLDEN_JSON.as_bytes().to_vec(),
            (None, _) => ApiError::not_found_body(&run_id),
        };
        return kind.response(&real);
    }
    match (run, target) {
        (Some(run), _) => match serde_json::to_vec(&run) {
            Ok(bytes) => json_200(bytes),
            Err(_) => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_server_error",
                "Could not encode the run.",
            )
            .into_response(),
        },
        (None, Some(RunTarget::Golden)) => json_200(GOLDEN_JSON),
        (None, _) => ApiError::not_found(format!("Run {run_id} not found.")).into_response(),
    }
}

/// Unknown `/api/...` paths: 404 in the documented shape (never the SPA page).
async fn api_not_found() -> ApiError {
    ApiError::not_found("No such API endpoint.")
}

/// Records every API request (preflights included) in the request log.
async fn record(State(state): State<Arc<SimState>>, req: Request, next: Next) -> Response {
    let auth = auth_state(req.headers(), &state.settings.key);
    let path = req.uri().path().to_string();
    let run_id = path
        .strip_prefix("/api/v1/runs/")
        .filter(|id| !id.is_empty() && !id.contains('/'))
        .map(str::to_string);
    let seq = state.log_start(req.method().as_str(), &path, run_id, auth);
    let response = next.run(req).await;
    state.log_finish(seq, response.status().as_u16());
    response
}

/// The `/api` routes with CORS and request logging.
pub fn api_router(state: Arc<SimState>, origins: &[String]) -> Router {
    Router::new()
        .route("/api/v1/runs/{run_id}", get(get_run))
        .route(
            "/api/v1/blueprints/{blueprint_id}/runs",
            get(blueprints::list_runs).post(blueprints::start_run),
        )
        .route("/api", axum::routing::any(api_not_found))
        .route("/api/{*rest}", axum::routing::any(api_not_found))
        .layer(api_cors(origins))
        .layer(middleware::from_fn_with_state(state.clone(), record))
        .with_state(state)
}
