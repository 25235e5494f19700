//! Runs this browser has watched, newest first, with their last known status,
//! and the blueprints whose history it opened.

use codee::string::JsonSerdeCodec;
use leptos::prelude::*;
use leptos_use_storage::use_local_storage;
use serde::{Deserialize, Serialize};

/// How many recent runs are kept.
pub const MAX_RECENT: usize = 12;

/// A run this browser watched.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecentRun {
    /// Run id.
    pub run_id: String,
    /// Last status seen, as the API spells it.
    pub status: String,
    /// When it was last seen (Unix ms).
    pub seen_ms: f64,
}

/// Records a sighting: the run moves to the front, the list stays short.
/// Returns false (and leaves the list alone) if nothing changed.
pub fn record(list: &mut Vec<RecentRun>, run_id: &str, status: &str, now_ms: f64) -> bool {
    if list
        .first()
        .is_some_and(|r| r.run_id == run_id && r.status == status)
    {
        return false;
    }
    list.retain(|r| r.run_id != run_id);
    list.insert(
        0,
        RecentRun {
            run_id: run_id.to_string(),
            status: status.to_string(),
            seen_ms: now_ms,
        },
    );
    list.truncate(MAX_RECENT);
    true
}

/// The recent-runs list, persisted in localStorage.
#[derive(Clone, Copy)]
pub struct RecentRuns {
    /// The list, newest first.
    pub list: Signal<Vec<RecentRun>>,
    set_list: WriteSignal<Vec<RecentRun>>,
}

impl RecentRuns {
    /// Creates the list from storage and provides it as context.
    pub fn provide() -> Self {
        let (list, set_list, _) =
            use_local_storage::<Vec<RecentRun>, JsonSerdeCodec>("runview.recent");
        let recent = Self { list, set_list };
        provide_context(recent);
        recent
    }

    /// The list from context.
    pub fn expect() -> Self {
        expect_context::<Self>()
    }

    /// Records that `run_id` was seen in `status`.
    pub fn record(&self, run_id: &str, status: &str) {
        let mut list = self.list.get_untracked();
        if record(&mut list, run_id, status, js_sys::Date::now()) {
            self.set_list.set(list);
        }
    }

    /// Empties the list.
    pub fn clear(&self) {
        self.set_list.set(Vec::new());
    }
}

/// A blueprint whose history this browser opened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecentBlueprint {
    /// Blueprint id.
    pub blueprint_id: String,
    /// When its history was last opened (Unix ms).
    pub seen_ms: f64,
}

/// Records a visit: the blueprint moves to the front, the list stays short.
/// Returns false (and leaves the list alone) if it already is first.
pub fn record_blueprint(list: &mut Vec<RecentBlueprint>, blueprint_id: &str, now_ms: f64) -> bool {
    if list.first().is_some_and(|b| b.blueprint_id == blueprint_id) {
        return false;
    }
    list.retain(|b| b.blueprint_id != blueprint_id);
    list.insert(
        0,
        RecentBlueprint {
            blueprint_id: blueprint_id.to_string(),
            seen_ms: now_ms,
        },
    );
    list.truncate(MAX_RECENT);
    true
}

/// The recently viewed blueprints, persisted in localStorage.
#[derive(Clone, Copy)]
pub struct RecentBlueprints {
    /// The list, newest first.
    pub list: Signal<Vec<RecentBlueprint>>,
    set_list: WriteSignal<Vec<RecentBlueprint>>,
}

impl RecentBlueprints {
    /// Creates the list from storage and provides it as context.
    pub fn provide() -> Self {
        let (list, set_list, _) =
            use_local_storage::<Vec<RecentBlueprint>, JsonSerdeCodec>("runview.recent-blueprints");
        let recent = Self { list, set_list };
        provide_context(recent);
        recent
    }

    /// The list from context, if provided (a page mounted alone in a test may lack it).
    pub fn try_expect() -> Option<Self> {
        use_context::<Self>()
    }

    /// Records that the history of `blueprint_id` was opened.
    pub fn record(&self, blueprint_id: &str) {
        let mut list = self.list.get_untracked();
        if record_blueprint(&mut list, blueprint_id, js_sys::Date::now()) {
            self.set_list.set(list);
        }
    }

    /// Empties the list.
    pub fn clear(&self) {
        self.set_list.set(Vec::new());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_unique_and_bounded() {
        let mut list = Vec::new();
        for i in 0..20 {
            assert!(record(&mut list, &format!("run_{i}"), "running", i as f64));
        }
        assert_eq!(list.len(), MAX_RECENT);
        assert_eq!(list[0].run_id, "run_19");
        assert!(record(&mut list, "run_10", "succeeded", 99.0));
        assert_eq!(
            (list[0].run_id.as_str(), list[0].status.as_str()),
            ("run_10", "succeeded")
        );
        assert_eq!(list.iter().filter(|r| r.run_id == "run_10").count(), 1);
        assert!(!record(&mut list, "run_10", "succeeded", 100.0));
    }

    #[test]
    fn blueprints_newest_first_unique_and_bounded() {
        let mut list = Vec::new();
        for i in 0..15 {
            assert!(record_blueprint(&mut list, &format!("bp_{i}"), i as f64));
        }
        assert_eq!(list.len(), MAX_RECENT);
        assert_eq!(list[0].blueprint_id, "bp_14");
        assert!(!record_blueprint(&mut list, "bp_14", 20.0));
        assert!(record_blueprint(&mut list, "bp_5", 21.0));
        let ids: Vec<&str> = list
            .iter()
            .take(3)
            .map(|b| b.blueprint_id.as_str())
            .collect();
        assert_eq!(ids, ["bp_5", "bp_14", "bp_13"]);
        assert_eq!(list.iter().filter(|b| b.blueprint_id == "bp_5").count(), 1);
    }
}
