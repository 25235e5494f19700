//! The blueprint endpoints: `GET /api/v1/blueprints/{id}/runs` (a paginated
//! run history, newest first) and `POST` to the same path (start a run).
//!
//! The history's shape is not documented; the simulator serves
//! `{"runs": [RunSummary...], "nextCursor": "..." | null}` and takes
//! `?cursor=<nextCursor>&limit=<1..=50>` (default 5). The cursor is a keyset
//! (start time, run id) of the last item, so runs started between two pages
//! neither repeat nor shift items.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::auth::authorize;
use crate::error::ApiError;
use crate::model::{Run, RunList, RunSummary};
use crate::run_id::{RunTarget, GOLDEN_JSON, GOLDEN_RUN_ID};
use crate::scenario::{run_at, seed_of, RunContext, Scenario};
use crate::state::SimState;
use crate::timestamp::{now_unix_ms, parse_rfc3339_ms};

/// Items per page when the request names no `limit`.
pub const DEFAULT_PAGE: usize = 5;
/// Largest `limit` accepted.
pub const MAX_PAGE: usize = 50;

/// The run ids each blueprint lists even before anyone requested them.
pub fn blueprint_base_runs(blueprint_id: &str) -> Option<&'static [&'static str]> {
    Some(match blueprint_id {
        "bp_xyz" => &[GOLDEN_RUN_ID],
        "bp_shorts" => &[
            "run_take_1",
            "run_take_2",
            "run_take_3",
            "run_take_4",
            "run_take_5",
            "run_take_6",
            "run_finished",
        ],
        "bp_publish" => &["run_publish"],
        "bp_large" => &["run_large", "run_large_1k", "run_large_5k"],
        "bp_lab" => &["run_unknown_status"],
        "bp_batch" => &["run_batch"],
        _ => return None,
    })
}

/// Summary of one run for the history, with its start time (Unix ms) for sorting.
fn summary(state: &SimState, run_id: &str) -> Option<(i64, RunSummary)> {
    let target = RunTarget::parse(run_id)?;
    let base = &state.settings.media_base;
    let seed = seed_of(run_id);
    let thumbnail = Some(format!("{base}/media/img/{seed:08x}-320x180.png"));
    let (run, thumbnail): (Run, _) = match target {
        RunTarget::Golden => (serde_json::from_str(GOLDEN_JSON).ok()?, thumbnail),
        RunTarget::Scenario { scenario, .. } => {
            let (elapsed, t0) = state
                .peek(run_id)
                .map_or((0, now_unix_ms()), |c| (c.elapsed_ms, c.t0_unix_ms));
            let ctx = RunContext {
                run_id,
                t0_unix_ms: t0,
                speed: state.settings.speed,
                media_base: base,
            };
            let thumbnail = thumbnail.filter(|_| scenario != Scenario::UnknownStatus);
            (run_at(scenario, &ctx, elapsed), thumbnail)
        }
    };
    let started_ms = run
        .started_at
        .as_deref()
        .and_then(parse_rfc3339_ms)
        .unwrap_or(0);
    Some((
        started_ms,
        RunSummary {
            run_id: run.run_id,
            blueprint_id: run.blueprint_id,
            status: run.status,
            created_at: run.started_at.clone(),
            started_at: run.started_at,
            completed_at: run.completed_at,
            progress: Some(run.progress),
            thumbnail_url: thumbnail,
        },
    ))
}

/// A position in the history: the (start ms, run id) of the last item shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// Start time of the last item (Unix ms).
    pub started_ms: i64,
    /// Its run id.
    pub run_id: String,
}

impl Cursor {
    /// The opaque token: `<ms>_<runId>`.
    pub fn token(&self) -> String {
        format!("{}_{}", self.started_ms, self.run_id)
    }

    /// Reads a token made by [`Cursor::token`].
    pub fn parse(token: &str) -> Option<Cursor> {
        let (ms, run_id) = token.split_once('_')?;
        let started_ms = ms.parse().ok()?;
        RunTarget::parse(run_id)?;
        Some(Cursor {
            started_ms,
            run_id: run_id.to_string(),
        })
    }

    /// Whether an item sorts after this cursor (newest first, then by id).
    fn precedes(&self, started_ms: i64, run_id: &str) -> bool {
        started_ms < self.started_ms
            || (started_ms == self.started_ms && run_id > self.run_id.as_str())
    }
}

/// The page size asked for by `limit`, or why it is refused.
fn page_size(query: &HashMap<String, String>) -> Result<usize, ApiError> {
    match query.get("limit") {
        None => Ok(DEFAULT_PAGE),
        Some(text) => text
            .parse()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| ApiError::validation(format!("limit must be 1 to {MAX_PAGE}."))),
    }
}

/// `GET /api/v1/blueprints/{blueprintId}/runs[?cursor=&limit=]`: the runs of
/// the blueprint, requested and historic, newest start first.
pub async fn list_runs(
    State(state): State<Arc<SimState>>,
    Path(blueprint_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Json<RunList>, ApiError> {
    authorize(&headers, &state)?;
    let base = blueprint_base_runs(&blueprint_id)
        .ok_or_else(|| ApiError::not_found(format!("Blueprint {blueprint_id} not found.")))?;
    let limit = page_size(&query)?;
    let after = match query.get("cursor").filter(|c| !c.is_empty()) {
        Some(token) => Some(
            Cursor::parse(token)
                .ok_or_else(|| ApiError::validation("cursor is not one this API handed out."))?,
        ),
        None => None,
    };
    // Runs that began before anyone looked at them (the historic takes) start
    // their clock at the first listing, so a live one moves on between polls.
    for id in base {
        if let Some(RunTarget::Scenario { scenario, .. }) = RunTarget::parse(id) {
            if scenario.started_ago_ms() > 0 {
                state.ensure(id);
            }
        }
    }
    let mut ids: Vec<String> = state
        .instances()
        .into_iter()
        .map(|(id, _)| id)
        .filter(|id| RunTarget::parse(id).is_some_and(|t| t.blueprint_id() == blueprint_id))
        .collect();
    for id in base {
        if !ids.iter().any(|i| i == id) {
            ids.push(id.to_string());
        }
    }
    let mut items: Vec<(i64, RunSummary)> =
        ids.iter().filter_map(|id| summary(&state, id)).collect();
    items.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.run_id.cmp(&b.1.run_id)));
    let mut rest: Vec<(i64, RunSummary)> = items
        .into_iter()
        .filter(|(ms, s)| after.as_ref().is_none_or(|c| c.precedes(*ms, &s.run_id)))
        .collect();
    let more = rest.len() > limit;
    rest.truncate(limit);
    let next_cursor = rest.last().filter(|_| more).map(|(ms, s)| {
        Cursor {
            started_ms: *ms,
            run_id: s.run_id.clone(),
        }
        .token()
    });
    Ok(Json(RunList {
        runs: rest.into_iter().map(|(_, s)| s).collect(),
        next_cursor,
    }))
}

/// `POST /api/v1/blueprints/{blueprintId}/runs`: starts a fresh run of the
/// blueprint's main scenario and answers `{"runId": ...}`.
pub async fn start_run(
    State(state): State<Arc<SimState>>,
    Path(blueprint_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(&headers, &state)?;
    let scenario = match blueprint_id.as_str() {
        "bp_shorts" => "happy",
        "bp_publish" => "publish",
        "bp_large" => "large",
        "bp_lab" => "unknown_status",
        "bp_batch" => "batch",
        _ => {
            return Err(ApiError::not_found(format!(
                "Blueprint {blueprint_id} not found."
            )))
        }
    };
    let suffix = format!("{:x}", now_unix_ms());
    let run_id = format!("run_{scenario}-{suffix}");
    state.set_clock(&run_id, 0.0);
    let body = serde_json::json!({ "runId": run_id });
    Ok((
        StatusCode::CREATED,
        [(header::CACHE_CONTROL, "no-store")],
        Json(body),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_tokens_round_trip_and_order_items() {
        let c = Cursor {
            started_ms: 1_700_000_000_000,
            run_id: "run_take_3".into(),
        };
        assert_eq!(c.token(), "1700000000000_run_take_3");
        assert_eq!(Cursor::parse(&c.token()), Some(c.clone()));
        assert_eq!(Cursor::parse("x_run_take_3"), None);
        assert_eq!(Cursor::parse("12_run_nope"), None);
        assert!(c.precedes(1_699_999_999_999, "run_take_1"));
        assert!(c.precedes(1_700_000_000_000, "run_take_4"));
        assert!(!c.precedes(1_700_000_000_000, "run_take_3"));
        assert!(!c.precedes(1_700_000_000_001, "run_take_9"));
    }
}
