//! Geometry of the step timeline: where each step's bar sits on the run's
//! shared time axis.
//!
//! The axis counts only *active* time: instants when at least one step was
//! running. Gaps when nothing ran (a run waiting in a queue, a retry backoff)
//! are collapsed, so a long queue does not squash every bar into a sliver.
//! Coordinates are milliseconds of active time; the view divides by
//! [`Axis::total`] (a CSS variable), so a finished step's numbers never change
//! as the run goes on and its row is not touched.
//!
//! All arithmetic saturates: any `i64` (including `i64::MIN`/`MAX` from a
//! broken timestamp) gives bars inside `0..=total`, never a panic or a wrap.
//!
//! [`RowView`] is what one row shows of its step: a row slot keeps one and
//! compares it with its step, cheaply, when the step or the window changes.

use crate::api::{Output, Status, Step, Timestamp};
use crate::model::outputs::MediaKind;

/// The run's active-time axis.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Axis {
    /// Disjoint, sorted wall-clock intervals when some step ran.
    spans: Vec<(i64, i64)>,
    /// Active time before each span starts.
    before: Vec<i64>,
}

/// A step's bar in active-time milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bar {
    /// Active time from the axis start to the bar's start.
    pub start: i64,
    /// Active time the step ran.
    pub len: i64,
}

impl Axis {
    /// Builds the axis from steps' `(startedAt, completedAt)` in Unix ms.
    /// Steps not started have no bar; a step still running ends at `now`.
    pub fn build(
        intervals: impl IntoIterator<Item = (Option<i64>, Option<i64>)>,
        now: i64,
    ) -> Self {
        let mut raw: Vec<(i64, i64)> = intervals
            .into_iter()
            .filter_map(|(start, end)| {
                let start = start?;
                Some((start, end.unwrap_or(now).max(start)))
            })
            .collect();
        raw.sort_unstable();
        let mut spans: Vec<(i64, i64)> = Vec::with_capacity(raw.len());
        for (a, b) in raw {
            match spans.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => spans.push((a, b)),
            }
        }
        let mut before = Vec::with_capacity(spans.len());
        let mut acc: i64 = 0;
        for (a, b) in &spans {
            before.push(acc);
            acc = acc.saturating_add(b.saturating_sub(*a));
        }
        Self { spans, before }
    }

    /// The disjoint, sorted wall-clock intervals (Unix ms) when some step ran.
    pub fn spans(&self) -> &[(i64, i64)] {
        &self.spans
    }

    /// Total active time, in ms.
    pub fn total(&self) -> i64 {
        match (self.spans.last(), self.before.last()) {
            (Some((a, b)), Some(before)) => before.saturating_add(b.saturating_sub(*a)),
            _ => 0,
        }
    }

    /// Active time elapsed before wall-clock instant `t`.
    pub fn map(&self, t: i64) -> i64 {
        // index of the first span starting after t
        let i = self.spans.partition_point(|(a, _)| *a <= t);
        if i == 0 {
            return 0;
        }
        let (a, b) = self.spans[i - 1];
        self.before[i - 1].saturating_add(t.min(b).saturating_sub(a))
    }

    /// The bar of a step that started at `start` and ended at `end` (or is
    /// running at `now`); `None` if it has not started.
    pub fn bar(&self, start: Option<i64>, end: Option<i64>, now: i64) -> Option<Bar> {
        let start = start?;
        let end = end.unwrap_or(now).max(start);
        let (s, e) = (self.map(start), self.map(end));
        Some(Bar {
            start: s,
            len: e.saturating_sub(s),
        })
    }
}

/// What a timeline row shows of its step: the fields it reads, copied once
/// per change. A row *slot* holds one and compares it with a fresh one
/// ([`RowView::update`]) when its step or the window changes, so a poll that
/// changes one step announces one row's new view, and each element of the
/// row is updated only if its own value changed.
#[derive(Clone, Debug, PartialEq)]
pub struct RowView {
    /// The step's key ([`Step::key`]): the row's id and permalink.
    pub key: String,
    /// The step's name.
    pub name: String,
    /// The step's reference id.
    pub reference: String,
    /// The step's status.
    pub status: Status,
    /// The attempt number.
    pub attempt: u32,
    /// Predecessors still to finish.
    pub waiting: u32,
    /// When it started (Unix ms).
    pub started: Option<i64>,
    /// When it completed (Unix ms).
    pub completed: Option<i64>,
    /// Its outputs, as thumbnails.
    pub outputs: Vec<ThumbView>,
}

/// What a row's thumbnail shows of one output.
#[derive(Clone, Debug, PartialEq)]
pub struct ThumbView {
    /// The output's key ([`Output::key`]): what the viewer opens.
    pub key: String,
    /// Its `outputId`, for the button's label.
    pub id: String,
    /// How it is previewed.
    pub kind: MediaKind,
    /// Its URL as the API sent it (checked before any use).
    pub url: Option<String>,
}

impl ThumbView {
    /// The view of `output`.
    pub fn of(output: &Output) -> Self {
        Self {
            key: output.key(),
            id: output.output_id.clone(),
            kind: MediaKind::of(output),
            url: output.url.clone(),
        }
    }
}

impl RowView {
    /// The view of `step`.
    pub fn of(step: &Step) -> Self {
        Self {
            key: step.key(),
            name: step.name.clone(),
            reference: step.reference_id.clone(),
            status: step.status.clone(),
            attempt: step.attempt_no,
            waiting: step.predecessors_left,
            started: step.started_at.map(Timestamp::ms),
            completed: step.completed_at.map(Timestamp::ms),
            outputs: step.outputs.iter().map(ThumbView::of).collect(),
        }
    }

    /// The view of `step`, reusing `previous` when it already shows it:
    /// `(view, changed)`, as an owning memo wants it.
    pub fn update(previous: Option<Self>, step: &Step) -> (Self, bool) {
        let next = Self::of(step);
        match previous {
            Some(view) if view == next => (view, false),
            _ => (next, true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::api::decode::decode_run;

    fn steps(json: &str) -> Vec<Step> {
        decode_run(
            200,
            &format!(r#"{{"runId":"r","status":"running","steps":[{json}]}}"#),
            None,
        )
        .unwrap()
        .steps
    }

    #[test]
    fn a_row_view_shows_exactly_its_step() {
        let all = steps(
            r#"{"stepId":"a","name":"A","referenceId":"r","status":"running","attemptNo":2,
                "predecessorsLeft":1,"startedAt":"2026-03-20T12:00:00Z",
                "outputs":[{"outputId":"o","url":"https://m/o.png","mimeType":"image/png"},{"url":"https://m/p.mp4"}]},
               {"stepId":"a","name":"A","status":"running"}"#,
        );
        let view = RowView::of(&all[0]);
        assert_eq!(
            (
                view.key.as_str(),
                view.attempt,
                view.waiting,
                view.completed
            ),
            ("a", 2, 1, None)
        );
        assert_eq!(view.outputs[1].key, "@a/1");
        assert_eq!(view.outputs[1].kind, MediaKind::Video);
        assert!(!RowView::update(Some(view.clone()), &all[0]).1);
        assert!(
            RowView::update(Some(view.clone()), &all[1]).1,
            "a repeated id is another row"
        );
        assert_eq!(RowView::of(&all[1]).key, "a#1");
        // Every field a row shows counts.
        let changes: [fn(&mut Step); 9] = [
            |s| s.name.push('!'),
            |s| s.reference_id.clear(),
            |s| s.status = Status::Succeeded,
            |s| s.attempt_no = 3,
            |s| s.predecessors_left = 0,
            |s| s.started_at = None,
            |s| s.completed_at = Timestamp::parse("2026-03-20T12:00:09Z"),
            |s| s.outputs[0].url = None,
            |s| s.outputs[1].mime_type = Some("image/png".into()),
        ];
        for (i, change) in changes.iter().enumerate() {
            let mut step = all[0].clone();
            change(&mut step);
            assert_eq!(
                RowView::update(Some(view.clone()), &step),
                (RowView::of(&step), true),
                "change {i}"
            );
        }
        // An unchanged step keeps the view it had.
        assert_eq!(
            RowView::update(Some(view.clone()), &all[0]),
            (view.clone(), false)
        );
        assert_eq!(RowView::update(None, &all[0]), (view, true));
    }

    #[test]
    fn sequential_steps_tile_the_axis() {
        let steps = [
            (Some(1_000), Some(10_000)),
            (Some(10_000), Some(25_000)),
            (Some(25_000), None),
        ];
        let axis = Axis::build(steps, 30_000);
        assert_eq!(axis.total(), 29_000);
        let bars: Vec<_> = steps
            .iter()
            .map(|(s, e)| axis.bar(*s, *e, 30_000).unwrap())
            .collect();
        assert_eq!(
            bars,
            [
                Bar {
                    start: 0,
                    len: 9_000
                },
                Bar {
                    start: 9_000,
                    len: 15_000
                },
                Bar {
                    start: 24_000,
                    len: 5_000
                }
            ]
        );
    }

    #[test]
    fn idle_gaps_are_collapsed() {
        // step 2 waited 1 hour in a queue after step 1 finished
        let steps = [(Some(0), Some(10_000)), (Some(3_610_000), Some(3_620_000))];
        let axis = Axis::build(steps, 4_000_000);
        assert_eq!(axis.total(), 20_000);
        assert_eq!(
            axis.bar(Some(3_610_000), Some(3_620_000), 0),
            Some(Bar {
                start: 10_000,
                len: 10_000
            })
        );
    }

    #[test]
    fn parallel_steps_overlap_and_unstarted_have_no_bar() {
        let steps = [
            (Some(0), Some(10_000)),
            (Some(2_000), Some(6_000)),
            (None, None),
        ];
        let axis = Axis::build(steps, 50_000);
        assert_eq!(axis.total(), 10_000);
        assert_eq!(
            axis.bar(Some(2_000), Some(6_000), 50_000),
            Some(Bar {
                start: 2_000,
                len: 4_000
            })
        );
        assert_eq!(axis.bar(None, None, 50_000), None);
    }

    #[test]
    fn finished_bars_do_not_move_as_time_passes() {
        let steps = [(Some(0), Some(5_000)), (Some(5_000), None)];
        let early = Axis::build(steps, 6_000);
        let late = Axis::build(steps, 60_000);
        assert_eq!(
            early.bar(Some(0), Some(5_000), 6_000),
            late.bar(Some(0), Some(5_000), 60_000)
        );
        assert_eq!(
            late.bar(Some(5_000), None, 60_000),
            Some(Bar {
                start: 5_000,
                len: 55_000
            })
        );
        assert_eq!(late.total(), 60_000);
    }

    #[test]
    fn bad_data_never_gives_negative_bars() {
        let axis = Axis::build([(Some(10_000), Some(2_000))], 0);
        assert_eq!(axis.total(), 0);
        assert_eq!(
            axis.bar(Some(10_000), Some(2_000), 0),
            Some(Bar { start: 0, len: 0 })
        );
        assert_eq!(Axis::default().map(5), 0);
    }

    #[test]
    fn five_thousand_steps_build_quickly_enough_to_run_per_poll() {
        let steps: Vec<_> = (0..5_000i64)
            .map(|i| (Some(i * 100), Some(i * 100 + 250)))
            .collect();
        let axis = Axis::build(steps.iter().copied(), 1_000_000);
        assert_eq!(axis.total(), 4_999 * 100 + 250);
        assert_eq!(
            axis.bar(Some(100), Some(350), 0),
            Some(Bar {
                start: 100,
                len: 250
            })
        );
    }

    #[test]
    fn i64_extremes_saturate() {
        let steps = [
            (Some(i64::MIN), Some(i64::MAX)),
            (Some(i64::MAX), None),
            (Some(0), Some(i64::MIN)),
        ];
        let axis = Axis::build(steps, i64::MIN);
        assert_eq!(axis.total(), i64::MAX);
        assert_eq!(
            axis.bar(Some(i64::MIN), Some(i64::MAX), 0),
            Some(Bar {
                start: 0,
                len: i64::MAX
            })
        );
        assert_eq!(axis.map(i64::MAX), i64::MAX);
        assert_eq!(axis.map(i64::MIN), 0);
    }
}

/// Property tests (native only: proptest does not build for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use proptest::prelude::*;

    fn instant() -> impl Strategy<Value = i64> {
        prop_oneof![
            Just(i64::MIN),
            Just(i64::MAX),
            Just(0),
            -1_000_000i64..1_000_000,
            any::<i64>(),
        ]
    }

    proptest! {
        #[test]
        fn bars_stay_on_the_axis(
            steps in proptest::collection::vec(
                (proptest::option::of(instant()), proptest::option::of(instant())),
                0..40,
            ),
            now in instant(),
        ) {
            let axis = Axis::build(steps.iter().copied(), now);
            let total = axis.total();
            prop_assert!(total >= 0);
            for (start, end) in &steps {
                match axis.bar(*start, *end, now) {
                    None => prop_assert!(start.is_none()),
                    Some(bar) => {
                        prop_assert!(bar.start >= 0 && bar.len >= 0);
                        prop_assert!(bar.start.saturating_add(bar.len) <= total);
                    }
                }
            }
        }

        #[test]
        fn active_time_never_runs_backwards(
            steps in proptest::collection::vec((instant(), instant()), 0..30),
            mut ts in proptest::collection::vec(instant(), 2..20),
        ) {
            let axis = Axis::build(steps.iter().map(|(a, b)| (Some(*a), Some(*b))), 0);
            ts.sort_unstable();
            let mapped: Vec<i64> = ts.iter().map(|&t| axis.map(t)).collect();
            prop_assert!(mapped.windows(2).all(|w| w[0] <= w[1]), "{:?}", mapped);
            prop_assert!(mapped.iter().all(|&m| (0..=axis.total()).contains(&m)));
        }
    }
}
