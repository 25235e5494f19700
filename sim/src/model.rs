//! Wire types of the Runs API, exactly as `GET /api/v1/runs/{runId}` documents them.
//!
//! Field names are camelCase on the wire; optional media fields are omitted
//! when they do not apply, while `startedAt`/`completedAt` are always present
//! (as `null` until known).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Status of a run or step that counts as "completed" in `progress`.
pub const COMPLETED_STATUSES: [&str; 3] = ["succeeded", "skipped", "locked"];

/// One run, as returned by `GET /api/v1/runs/{runId}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    /// The run id from the path.
    pub run_id: String,
    /// Blueprint the run belongs to.
    pub blueprint_id: String,
    /// `queued`, `running`, `succeeded`, `failed`, or a value nobody documented.
    pub status: String,
    /// RFC 3339 UTC start time.
    pub started_at: Option<String>,
    /// RFC 3339 UTC completion time; `null` until the run completes.
    pub completed_at: Option<String>,
    /// Step counts, consistent with `steps`.
    pub progress: Progress,
    /// Outputs of leaf steps (no successors), in step order.
    pub final_outputs: Vec<Output>,
    /// Every step of the run, in a topological order.
    pub steps: Vec<Step>,
}

/// Step-level counts of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Number of steps.
    pub total_steps: u32,
    /// Steps that succeeded, were skipped or are locked.
    pub completed_steps: u32,
    /// Steps that failed.
    pub failed_steps: u32,
    /// Steps that are running.
    pub running_steps: u32,
}

impl Progress {
    /// Counts the statuses of `steps` the way the service does.
    pub fn of(steps: &[Step]) -> Self {
        let mut progress = Progress {
            total_steps: steps.len() as u32,
            completed_steps: 0,
            failed_steps: 0,
            running_steps: 0,
        };
        for step in steps {
            match step.status.as_str() {
                s if COMPLETED_STATUSES.contains(&s) => progress.completed_steps += 1,
                "failed" => progress.failed_steps += 1,
                "running" => progress.running_steps += 1,
                _ => {}
            }
        }
        progress
    }
}

/// One node of the run's DAG.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// Unique id of the step within the run.
    pub step_id: String,
    /// Id of the blueprint node this step executes.
    pub reference_id: String,
    /// Human name.
    pub name: String,
    /// `queued`, `running`, `succeeded`, `failed`, `skipped`, `locked`, or unknown.
    pub status: String,
    /// Predecessors that have not completed yet.
    pub predecessors_left: u32,
    /// 1-based attempt number.
    pub attempt_no: u32,
    /// Start of the current attempt; `null` before the step starts.
    pub started_at: Option<String>,
    /// Completion time; `null` until the step completes.
    pub completed_at: Option<String>,
    /// Outputs produced by the step (only once it has completed).
    pub outputs: Vec<Output>,
}

/// One artifact of a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Output {
    /// `inference`, `editor`, `output` (publish) or unknown.
    #[serde(rename = "type")]
    pub kind: String,
    /// Stable id; the same output appears in `steps[].outputs` and `finalOutputs`.
    pub output_id: String,
    /// Public URL of the artifact (another origin; never send the key there).
    pub url: String,
    /// MIME type; publish outputs may omit it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Pixel width of images and videos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Pixel height of images and videos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Duration of audio and video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// Undocumented fields (publish outputs: platform, status, permalink, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The documented error body: `{"error":{"message","code"}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error itself.
    pub error: ErrorDetail,
}

/// Inside [`ErrorBody`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetail {
    /// Human-readable message.
    pub message: String,
    /// Machine-readable code, always present.
    pub code: String,
    /// RFC 3339 time before which a `throttled` request should not be retried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defer_until: Option<String>,
}

/// One item of `GET /api/v1/blueprints/{blueprintId}/runs` (shape not
/// documented: "each item includes the run status plus any thumbnail URL").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunSummary {
    /// The run id.
    pub run_id: String,
    /// Its blueprint.
    pub blueprint_id: String,
    /// Status right now.
    pub status: String,
    /// When the run was created.
    pub created_at: Option<String>,
    /// Start time, if any.
    pub started_at: Option<String>,
    /// Completion time, if completed.
    pub completed_at: Option<String>,
    /// Step counts, as in the run itself.
    pub progress: Option<Progress>,
    /// A PNG on the media origin, or `null`.
    pub thumbnail_url: Option<String>,
}

/// Body of `GET /api/v1/blueprints/{blueprintId}/runs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunList {
    /// One page, newest start first.
    pub runs: Vec<RunSummary>,
    /// Pass as `?cursor=` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}
