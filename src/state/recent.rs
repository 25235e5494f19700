//! What this browser watched, newest first, kept in localStorage: the runs
//! (with their last known status) and the blueprints whose history it
//! opened. One generic list ([`RecentList`]) serves both.

use codee::string::JsonSerdeCodec;
use leptos::prelude::*;
use leptos_use_storage::use_local_storage;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

/// How many entries a recent list keeps.
pub const MAX_RECENT: usize = 12;

/// An entry of a recent list.
pub trait Recent: Clone + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The localStorage key the list is kept under.
    const STORAGE_KEY: &'static str;

    /// What makes two entries the same thing (one entry per id).
    fn id(&self) -> &str;

    /// Whether `self` tells what `other` tells, apart from when it was seen
    /// (by default: it is the same thing).
    fn same_news(&self, other: &Self) -> bool {
        self.id() == other.id()
    }
}

/// Records a sighting: the entry moves to the front, the list stays at most
/// [`MAX_RECENT`] long. Returns false (and leaves the list alone) if the
/// first entry already says the same.
pub fn record<T: Recent>(list: &mut Vec<T>, entry: T) -> bool {
    if list.first().is_some_and(|first| first.same_news(&entry)) {
        return false;
    }
    list.retain(|e| e.id() != entry.id());
    list.insert(0, entry);
    list.truncate(MAX_RECENT);
    true
}

/// Reads a stored instant: an integer, or a float as older versions stored
/// it (so an upgrade keeps the list).
fn epoch_ms<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    // `as` saturates; a stored float is an integral number of milliseconds.
    f64::deserialize(d).map(|ms| ms as i64)
}

/// A run this browser watched.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecentRun {
    /// Run id.
    pub run_id: String,
    /// Last status seen, as the API spells it.
    pub status: String,
    /// When it was last seen (Unix ms).
    #[serde(deserialize_with = "epoch_ms")]
    pub seen_ms: i64,
}

impl Recent for RecentRun {
    const STORAGE_KEY: &'static str = "runview.recent";

    fn id(&self) -> &str {
        &self.run_id
    }

    /// A new status is news.
    fn same_news(&self, other: &Self) -> bool {
        self.run_id == other.run_id && self.status == other.status
    }
}

/// A blueprint whose history this browser opened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecentBlueprint {
    /// Blueprint id.
    pub blueprint_id: String,
    /// When its history was last opened (Unix ms).
    #[serde(deserialize_with = "epoch_ms")]
    pub seen_ms: i64,
}

impl Recent for RecentBlueprint {
    fn id(&self) -> &str {
        &self.blueprint_id
    }

    const STORAGE_KEY: &'static str = "runview.recent-blueprints";
}

/// A recent list persisted in localStorage, provided as context.
pub struct RecentList<T: Recent> {
    /// The list, newest first.
    pub list: Signal<Vec<T>>,
    set_list: WriteSignal<Vec<T>>,
}

impl<T: Recent> Clone for RecentList<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Recent> Copy for RecentList<T> {}

/// The runs this browser watched.
pub type RecentRuns = RecentList<RecentRun>;
/// The blueprints whose history this browser opened.
pub type RecentBlueprints = RecentList<RecentBlueprint>;

impl<T: Recent> RecentList<T> {
    /// Creates the list from storage and provides it as context.
    pub fn provide() -> Self {
        let (list, set_list, _) = use_local_storage::<Vec<T>, JsonSerdeCodec>(T::STORAGE_KEY);
        let recent = Self { list, set_list };
        provide_context(recent);
        recent
    }

    /// The list from context.
    pub fn expect() -> Self {
        expect_context::<Self>()
    }

    /// The list from context, if provided (a page mounted alone in a test may lack it).
    pub fn try_expect() -> Option<Self> {
        use_context::<Self>()
    }

    /// Records `entry` (see [`record`]).
    pub fn record(&self, entry: T) {
        let mut list = self.list.get_untracked();
        if record(&mut list, entry) {
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

    fn run(id: &str, status: &str, seen_ms: i64) -> RecentRun {
        RecentRun {
            run_id: id.into(),
            status: status.into(),
            seen_ms,
        }
    }

    fn blueprint(id: &str, seen_ms: i64) -> RecentBlueprint {
        RecentBlueprint {
            blueprint_id: id.into(),
            seen_ms,
        }
    }

    #[test]
    fn newest_first_unique_and_bounded() {
        let mut list = Vec::new();
        for i in 0..20 {
            assert!(record(&mut list, run(&format!("run_{i}"), "running", i)));
        }
        assert_eq!(list.len(), MAX_RECENT);
        assert_eq!(list[0].run_id, "run_19");
        assert!(record(&mut list, run("run_10", "succeeded", 99)));
        assert_eq!(list[0], run("run_10", "succeeded", 99));
        assert_eq!(list.iter().filter(|r| r.run_id == "run_10").count(), 1);
        // The same news later changes nothing (no storage write).
        assert!(!record(&mut list, run("run_10", "succeeded", 100)));
        assert_eq!(list[0].seen_ms, 99);
    }

    #[test]
    fn blueprints_newest_first_unique_and_bounded() {
        let mut list = Vec::new();
        for i in 0..15 {
            assert!(record(&mut list, blueprint(&format!("bp_{i}"), i)));
        }
        assert_eq!(list.len(), MAX_RECENT);
        assert_eq!(list[0].blueprint_id, "bp_14");
        assert!(!record(&mut list, blueprint("bp_14", 20)));
        assert!(record(&mut list, blueprint("bp_5", 21)));
        let ids: Vec<&str> = list
            .iter()
            .take(3)
            .map(|b| b.blueprint_id.as_str())
            .collect();
        assert_eq!(ids, ["bp_5", "bp_14", "bp_13"]);
        assert_eq!(list.iter().filter(|b| b.blueprint_id == "bp_5").count(), 1);
    }

    #[test]
    fn lists_stored_with_float_instants_still_load() {
        let stored = r#"[{"runId":"run_a","status":"running","seenMs":1764000000123.0}]"#;
        let list: Vec<RecentRun> = serde_json::from_str(stored).unwrap();
        assert_eq!(list, [run("run_a", "running", 1_764_000_000_123)]);
        let bp: Vec<RecentBlueprint> =
            serde_json::from_str(r#"[{"blueprintId":"bp","seenMs":5}]"#).unwrap();
        assert_eq!(bp, [blueprint("bp", 5)]);
    }
}
