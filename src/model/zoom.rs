//! Timeline zoom: which part of the run the step timeline shows, and where
//! an instant sits along its axis.
//!
//! - [`Scale`] maps time (ms from the run's first step start) to a
//!   *position* on the axis and back. With [`Gaps::Real`] a position is the
//!   time itself; with [`Gaps::Squeeze`] every idle gap (no step running)
//!   of at least [`Scale::min_gap`] is drawn [`Scale::squeezed_width`] wide,
//!   so the mapping is piecewise linear: slope 1 where steps run, less in a
//!   squeezed gap. Both directions are monotonic and saturate.
//! - [`View`] is the window of time shown (`?view=<from>-<to>` in the URL,
//!   ms from the run start); [`Window`] is the same in positions, what the
//!   step list's CSS variables (`--view-from`, `--view-len`) get, so zooming
//!   changes two numbers on the list and no row.
//! - [`zoom`], [`pan`] and [`pinch`] give the next view, clamped to the run;
//!   [`ticks`] and [`Scale::marks`] are what the ruler above the rows shows.
//!
//! Integer arithmetic in 128 bits where a product could overflow: any `i64`
//! in, no panic, no wrap.

use crate::model::timeline::{Axis, Bar};

/// The smallest window, in positions (ms where steps run).
pub const MIN_VIEW_MS: i64 = 100;
/// How much one zoom step (button, `+`/`-`) magnifies.
pub const ZOOM_STEP: f64 = 2.0;
/// Gaps shorter than this are never squeezed, however short the run.
pub const MIN_GAP_FLOOR_MS: i64 = 1_000;

/// How idle gaps (no step running) are drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Gaps {
    /// At their real length: the axis is the wall clock.
    #[default]
    Real,
    /// Squeezed to a short, marked break.
    Squeeze,
}

impl Gaps {
    /// Reads `?gaps=`; anything but `squeeze` is [`Gaps::Real`].
    pub fn parse(value: &str) -> Self {
        if value == "squeeze" {
            Self::Squeeze
        } else {
            Self::Real
        }
    }

    /// The `?gaps=` value; `None` for the default.
    pub fn value(self) -> Option<&'static str> {
        match self {
            Self::Real => None,
            Self::Squeeze => Some("squeeze"),
        }
    }
}

/// A window of the run's time, in ms from its first step start
/// (`?view=<from>-<to>`). `from < to` always.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct View {
    /// Its first instant.
    pub from: i64,
    /// Its last instant.
    pub to: i64,
}

impl View {
    /// Reads `<from>-<to>` (whole non-negative ms, `from < to`); anything
    /// else is `None` (the whole run).
    pub fn parse(value: &str) -> Option<Self> {
        let (from, to) = value.split_once('-')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !(digits(from) && digits(to)) {
            return None;
        }
        let (from, to) = (from.parse().ok()?, to.parse().ok()?);
        (from < to).then_some(Self { from, to })
    }

    /// The `?view=` value.
    pub fn value(self) -> String {
        format!("{}-{}", self.from, self.to)
    }
}

/// The window shown, in positions: what the list's `--view-from` and
/// `--view-len` are. `len >= 1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// The position at the track's left edge.
    pub from: i64,
    /// The positions the track spans.
    pub len: i64,
}

impl Window {
    /// Where position `pos` is across the track: 0 its left edge, 1 its right.
    pub fn fraction(self, pos: i64) -> f64 {
        (pos.saturating_sub(self.from)) as f64 / self.len.max(1) as f64
    }
}

/// An idle gap, in ms from the run start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gap {
    /// When the last running step ended.
    pub from: i64,
    /// When the next step started.
    pub to: i64,
}

/// The mapping from time to position (see the module doc).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scale {
    /// The run's first step start (Unix ms): time 0.
    origin: i64,
    /// The run's span so far (ms from the origin).
    end: i64,
    /// `(time, position)` where the slope changes, sorted, starting at
    /// `(0, 0)`; linear between two, slope 1 after the last (and before 0).
    knots: Vec<(i64, i64)>,
    /// The squeezed gaps.
    gaps: Vec<Gap>,
}

/// `a * num / den` in 128 bits, floored, saturated to `i64` (`den > 0`).
fn mul_div(a: i64, num: i64, den: i64) -> i64 {
    let r = (i128::from(a) * i128::from(num)).div_euclid(i128::from(den.max(1)));
    r.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

impl Scale {
    /// The scale of `axis` (the run's busy spans) with gaps drawn as `gaps` says.
    pub fn new(axis: &Axis, gaps: Gaps) -> Self {
        let spans = axis.spans();
        let origin = spans.first().map_or(0, |s| s.0);
        let end = spans.last().map_or(0, |s| s.1.saturating_sub(origin));
        let mut scale = Self {
            origin,
            end,
            knots: vec![(0, 0)],
            gaps: Vec::new(),
        };
        if gaps == Gaps::Real {
            return scale;
        }
        let (min_gap, width) = (Self::min_gap(end), Self::squeezed_width(end));
        for pair in spans.windows(2) {
            let gap = Gap {
                from: pair[0].1.saturating_sub(origin),
                to: pair[1].0.saturating_sub(origin),
            };
            if gap.to.saturating_sub(gap.from) < min_gap {
                continue;
            }
            let at = scale.pos(gap.from);
            scale.knots.push((gap.from, at));
            scale.knots.push((gap.to, at.saturating_add(width)));
            scale.gaps.push(gap);
        }
        scale
    }

    /// The shortest idle gap that is squeezed in a run spanning `end` ms:
    /// a twentieth of the run, at least [`MIN_GAP_FLOOR_MS`].
    pub fn min_gap(end: i64) -> i64 {
        (end / 20).max(MIN_GAP_FLOOR_MS)
    }

    /// How wide a squeezed gap is drawn: a fifth of the shortest gap
    /// squeezed, so a squeezed gap never looks longer than one that is not.
    pub fn squeezed_width(end: i64) -> i64 {
        Self::min_gap(end) / 5
    }

    /// The run's first step start (Unix ms).
    pub fn origin(&self) -> i64 {
        self.origin
    }

    /// The run's span so far, in ms.
    pub fn end(&self) -> i64 {
        self.end
    }

    /// The squeezed gaps.
    pub fn gaps(&self) -> &[Gap] {
        &self.gaps
    }

    /// The axis length in positions (at least 1).
    pub fn total(&self) -> i64 {
        self.pos(self.end).max(1)
    }

    /// The position of time `t` (ms from the origin).
    pub fn pos(&self, t: i64) -> i64 {
        let i = self.knots.partition_point(|k| k.0 <= t);
        if i == 0 {
            return t;
        }
        let (t0, p0) = self.knots[i - 1];
        match self.knots.get(i) {
            Some(&(t1, p1)) => p0.saturating_add(mul_div(t.saturating_sub(t0), p1 - p0, t1 - t0)),
            None => p0.saturating_add(t.saturating_sub(t0)),
        }
    }

    /// The time at position `p`: the inverse of [`Scale::pos`] (in a
    /// squeezed gap, the earliest instant drawn there).
    pub fn time(&self, p: i64) -> i64 {
        let i = self.knots.partition_point(|k| k.1 <= p);
        if i == 0 {
            return p;
        }
        let (t0, p0) = self.knots[i - 1];
        match self.knots.get(i) {
            Some(&(t1, p1)) => t0.saturating_add(mul_div(p.saturating_sub(p0), t1 - t0, p1 - p0)),
            None => t0.saturating_add(p.saturating_sub(p0)),
        }
    }

    /// The bar of a step that started at `start` and ended at `end` (Unix
    /// ms; or is running at `now`), in positions; `None` if not started.
    pub fn bar(&self, start: Option<i64>, end: Option<i64>, now: i64) -> Option<Bar> {
        let start = start?;
        let end = end.unwrap_or(now).max(start);
        let s = self.pos(start.saturating_sub(self.origin));
        let e = self.pos(end.saturating_sub(self.origin));
        Some(Bar {
            start: s,
            len: e.saturating_sub(s),
        })
    }

    /// The window `view` shows, clamped to the run: the whole axis for
    /// `None`, or a view that covers it all.
    pub fn window(&self, view: Option<View>) -> Window {
        let total = self.total();
        let Some(view) = view else {
            return Window {
                from: 0,
                len: total,
            };
        };
        let from = self.pos(view.from);
        let len = self
            .pos(view.to)
            .saturating_sub(from)
            .clamp(MIN_VIEW_MS.min(total), total);
        Window {
            from: from.clamp(0, total - len),
            len,
        }
    }

    /// The view showing positions `from..from + len`, clamped to the run;
    /// `None` (the whole run) when it covers the whole axis.
    fn view_of(&self, from: f64, len: f64) -> Option<View> {
        let total = self.total();
        let len = (len.round() as i64).clamp(MIN_VIEW_MS.min(total), total);
        if len >= total {
            return None;
        }
        let from = (from.round() as i64).clamp(0, total - len);
        let view = View {
            from: self.time(from),
            to: self.time(from + len),
        };
        (view.from < view.to).then_some(view)
    }

    /// The squeezed gaps in `window`: where each sits across the track
    /// (fractions, 0 to 1) and how long it really was.
    pub fn marks(&self, window: Window) -> Vec<GapMark> {
        self.gaps
            .iter()
            .map(|g| GapMark {
                at: window.fraction(self.pos(g.from)),
                until: window.fraction(self.pos(g.to)),
                idle_ms: g.to - g.from,
            })
            .filter(|m| m.until >= 0.0 && m.at <= 1.0)
            .collect()
    }
}

/// Zooms `window` by `factor` (above 1 magnifies) keeping the instant at
/// `anchor` (a fraction across the track) where it is.
pub fn zoom(scale: &Scale, window: Window, factor: f64, anchor: f64) -> Option<View> {
    let factor = if factor.is_finite() && factor > 0.0 {
        factor
    } else {
        1.0
    };
    let anchor = if anchor.is_finite() {
        anchor.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let len = window.len as f64;
    let at = window.from as f64 + anchor * len;
    // Clamped first, so the anchor stays put at the deepest zoom too.
    let total = scale.total() as f64;
    let next = (len / factor).clamp((MIN_VIEW_MS as f64).min(total), total);
    scale.view_of(at - anchor * next, next)
}

/// Moves `window` by `by` of its width (negative: earlier), clamped to the run.
pub fn pan(scale: &Scale, window: Window, by: f64) -> Option<View> {
    let by = if by.is_finite() { by } else { 0.0 };
    let len = window.len as f64;
    scale.view_of(window.from as f64 + by * len, len)
}

/// A two-finger pinch: the fingers were `start` px apart over `window` and
/// are `now` px apart, centred at `anchor` across the track.
pub fn pinch(scale: &Scale, window: Window, start: f64, now: f64, anchor: f64) -> Option<View> {
    if !(start > 0.0 && now > 0.0) {
        return scale.view_of(window.from as f64, window.len as f64);
    }
    zoom(scale, window, now / start, anchor)
}

/// A squeezed gap on the ruler.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GapMark {
    /// Where it starts across the track (0 to 1; outside when off screen).
    pub at: f64,
    /// Where it ends across the track.
    pub until: f64,
    /// How long nothing ran, in ms.
    pub idle_ms: i64,
}

/// A labelled instant on the ruler.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// Where it is across the track (0 to 1).
    pub at: f64,
    /// Its label: time from the run start (`1:30`, `2:05:00`, `12.5s`).
    pub label: String,
    /// Its label ends at the tick instead of starting there: a label
    /// started this close to the track's right edge would be cut by it.
    pub end: bool,
}

/// The room one tick label needs on the ruler, in CSS px: the longest
/// label (`1:02:05`, `12.345s`) at the ruler's font size, and a gap.
pub const TICK_ROOM_PX: f64 = 64.0;

/// How many tick intervals a ruler `track_px` wide can label without two
/// labels touching: ticks are then at least [`TICK_ROOM_PX`] apart, so a
/// label ending at its tick never meets the one before it either.
pub fn tick_budget(track_px: f64) -> usize {
    if track_px.is_finite() && track_px > 0.0 {
        ((track_px / TICK_ROOM_PX) as usize).max(1)
    } else {
        1
    }
}

/// Tick spacings, in ms: round numbers of ms, seconds, minutes, hours, days.
const STEPS: &[i64] = &[
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000,
    120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000,
    43_200_000, 86_400_000,
];

/// The label of instant `t` (ms from the run start) when ticks are `step` apart.
pub fn tick_label(t: i64, step: i64) -> String {
    let t = t.max(0);
    if step < 1_000 {
        let decimals = if step < 10 {
            3
        } else if step < 100 {
            2
        } else {
            1
        };
        return format!("{:.*}s", decimals, t as f64 / 1000.0);
    }
    let (h, m, s) = (t / 3_600_000, t / 60_000 % 60, t / 1000 % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Where a label's room lies on a track `px` wide, in px: from its tick
/// on, or up to it for a label that ends there.
fn room_at(at: f64, end: bool, px: f64) -> (f64, f64) {
    let x = at * px;
    if end {
        (x - TICK_ROOM_PX, x)
    } else {
        (x, x + TICK_ROOM_PX)
    }
}

/// The room of `tick`'s label on a track `px` wide ([`room_at`]).
fn room(tick: &Tick, px: f64) -> (f64, f64) {
    room_at(tick.at, tick.end, px)
}

/// The ruler's ticks over `window` on a track `track_px` wide: fewer than
/// `max` intervals, at round instants, none inside a squeezed gap. A label
/// whose [`TICK_ROOM_PX`] would pass the track's right edge is marked
/// [`Tick::end`].
pub fn ticks(scale: &Scale, window: Window, max: usize, track_px: f64) -> Vec<Tick> {
    let px = if track_px.is_finite() {
        track_px.max(TICK_ROOM_PX)
    } else {
        TICK_ROOM_PX
    };
    let end_from = 1.0 - TICK_ROOM_PX / px;
    let max = max.max(1) as i64;
    let step = STEPS
        .iter()
        .copied()
        .find(|s| window.len / s < max)
        .unwrap_or(86_400_000 * (window.len / 86_400_000 / max + 1));
    let (first, last) = (
        scale.time(window.from),
        scale.time(window.from.saturating_add(window.len)),
    );
    // The stretches drawn at slope 1: between the squeezed gaps.
    let mut stretches = Vec::with_capacity(scale.gaps.len() + 1);
    let mut at = i64::MIN;
    for gap in &scale.gaps {
        stretches.push((at, gap.from));
        at = gap.to;
    }
    stretches.push((at, i64::MAX));
    let mut out = Vec::new();
    for (a, b) in stretches {
        let (a, b) = (a.max(first).max(0), b.min(last));
        if a > b {
            continue;
        }
        let mut k = a.div_euclid(step) + i64::from(a.rem_euclid(step) != 0);
        while k.saturating_mul(step) <= b && out.len() < 4 * max as usize {
            let t = k * step;
            let at = window.fraction(scale.pos(t));
            k += 1;
            let end = at > end_from;
            // A label with room on neither side of its tick (a track hardly
            // wider than one label), one ending at its tick, or any across
            // a squeezed gap, can meet the edge or the one before: it is
            // left out.
            let (from, _) = room_at(at, end, px);
            if from < 0.0 || out.last().is_some_and(|p: &Tick| room(p, px).1 > from) {
                continue;
            }
            out.push(Tick {
                at,
                label: tick_label(t, step),
                end,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 0–10 s busy, idle until 1 h, then 10 s busy.
    fn gappy() -> Axis {
        Axis::build(
            [
                (Some(1_000), Some(11_000)),
                (Some(3_601_000), Some(3_611_000)),
            ],
            0,
        )
    }

    #[test]
    fn view_parses_and_prints() {
        assert_eq!(View::parse("10-2000"), Some(View { from: 10, to: 2000 }));
        assert_eq!(View::parse("10-2000").unwrap().value(), "10-2000");
        for bad in [
            "",
            "5",
            "5-5",
            "9-3",
            "-1-4",
            "a-b",
            "1-",
            "+1-3",
            "1-99999999999999999999",
        ] {
            assert_eq!(View::parse(bad), None, "{bad}");
        }
        assert_eq!(Gaps::parse("squeeze"), Gaps::Squeeze);
        assert_eq!(Gaps::parse("nope"), Gaps::Real);
        assert_eq!(Gaps::Squeeze.value(), Some("squeeze"));
        assert_eq!(Gaps::Real.value(), None);
    }

    #[test]
    fn real_time_is_the_wall_clock_from_the_first_start() {
        let scale = Scale::new(&gappy(), Gaps::Real);
        assert_eq!(scale.origin(), 1_000);
        assert_eq!(scale.total(), 3_610_000);
        assert!(scale.gaps().is_empty());
        assert_eq!(
            scale.bar(Some(3_601_000), Some(3_611_000), 0),
            Some(Bar {
                start: 3_600_000,
                len: 10_000
            })
        );
        assert_eq!(scale.bar(None, None, 0), None);
    }

    #[test]
    fn squeezing_draws_a_long_gap_short_and_keeps_busy_time() {
        let scale = Scale::new(&gappy(), Gaps::Squeeze);
        let width = Scale::squeezed_width(3_610_000);
        assert_eq!(
            scale.gaps(),
            [Gap {
                from: 10_000,
                to: 3_600_000
            }]
        );
        assert_eq!(scale.total(), 20_000 + width);
        assert_eq!(
            scale.bar(Some(3_601_000), Some(3_611_000), 0),
            Some(Bar {
                start: 10_000 + width,
                len: 10_000
            })
        );
        // The middle of the gap is the middle of its break.
        assert_eq!(scale.pos(10_000 + 1_795_000), 10_000 + width / 2);
        assert_eq!(scale.time(10_000 + width), 3_600_000);
        let marks = scale.marks(scale.window(None));
        assert_eq!(marks.len(), 1);
        assert_eq!(marks[0].idle_ms, 3_590_000);
    }

    #[test]
    fn short_gaps_stay_real() {
        let axis = Axis::build([(Some(0), Some(30_000)), (Some(30_900), Some(60_000))], 0);
        let scale = Scale::new(&axis, Gaps::Squeeze);
        assert!(scale.gaps().is_empty());
        assert_eq!(scale.total(), 60_000);
    }

    #[test]
    fn zoom_keeps_the_anchor_and_fit_all_is_none() {
        let scale = Scale::new(&Axis::build([(Some(0), Some(100_000))], 0), Gaps::Real);
        let all = scale.window(None);
        assert_eq!(
            all,
            Window {
                from: 0,
                len: 100_000
            }
        );
        let v = zoom(&scale, all, 2.0, 0.25).unwrap();
        assert_eq!(
            v,
            View {
                from: 12_500,
                to: 62_500
            }
        );
        let w = scale.window(Some(v));
        assert_eq!(
            w,
            Window {
                from: 12_500,
                len: 50_000
            }
        );
        // Zooming back out around the same point returns to the whole run.
        assert_eq!(zoom(&scale, w, 0.5, 0.25), None);
        // Panning stops at the ends.
        assert_eq!(
            pan(&scale, w, 10.0),
            Some(View {
                from: 50_000,
                to: 100_000
            })
        );
        assert_eq!(
            pan(&scale, w, -10.0),
            Some(View {
                from: 0,
                to: 50_000
            })
        );
        // However far in, the window keeps MIN_VIEW_MS.
        let deep = zoom(&scale, w, 1e12, 1.0).unwrap();
        assert_eq!(
            deep,
            View {
                from: 62_400,
                to: 62_500
            }
        );
        // A pinch to twice the distance is a 2x zoom.
        assert_eq!(
            pinch(&scale, all, 100.0, 200.0, 0.5),
            Some(View {
                from: 25_000,
                to: 75_000
            })
        );
    }

    #[test]
    fn a_deep_link_past_the_end_is_clamped() {
        let scale = Scale::new(&Axis::build([(Some(0), Some(10_000))], 0), Gaps::Real);
        assert_eq!(
            scale.window(View::parse("9000-50000")),
            Window {
                from: 0,
                len: 10_000
            }
        );
        assert_eq!(
            scale.window(View::parse("9950-9960")),
            Window {
                from: 9_900,
                len: 100
            }
        );
        assert_eq!(Scale::default().window(None), Window { from: 0, len: 1 });
    }

    #[test]
    fn ticks_are_round_and_skip_squeezed_gaps() {
        let scale = Scale::new(&Axis::build([(Some(0), Some(120_000))], 0), Gaps::Real);
        let t = ticks(&scale, scale.window(None), 8, 800.0);
        let labels: Vec<_> = t.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0:00", "0:30", "1:00", "1:30", "2:00"]);
        assert_eq!(t[2].at, 0.5);
        // Only the last label would pass the right edge: it ends at its tick.
        let ends: Vec<_> = t.iter().map(|t| t.end).collect();
        assert_eq!(ends, [false, false, false, false, true]);
        let squeezed = Scale::new(&gappy(), Gaps::Squeeze);
        let t = ticks(&squeezed, squeezed.window(None), 8, 800.0);
        assert!(t.iter().all(|t| (0.0..=1.0).contains(&t.at)));
        assert!(t.iter().any(|t| t.label == "1:00:10"), "{t:?}");
        assert!(!t.iter().any(|t| t.label == "30:00"), "{t:?}");
        assert_eq!(tick_label(1_500, 500), "1.5s");
        assert_eq!(tick_label(3_725_000, 5_000), "1:02:05");
    }

    #[test]
    fn a_narrow_track_gets_fewer_ticks() {
        assert_eq!(tick_budget(800.0), 12);
        assert_eq!(tick_budget(70.0), 1);
        assert_eq!(tick_budget(0.0), 1);
        assert_eq!(tick_budget(f64::NAN), 1);
        let scale = Scale::new(&Axis::build([(Some(0), Some(120_000))], 0), Gaps::Real);
        let labels = |px: f64| -> Vec<(String, bool)> {
            let t = ticks(&scale, scale.window(None), tick_budget(px), px);
            t.into_iter().map(|t| (t.label, t.end)).collect()
        };
        // A phone's 100 px track has room for the start alone; 160 px for
        // the start and the end, which ends at its tick.
        assert_eq!(labels(100.0), [("0:00".to_string(), false)]);
        assert_eq!(
            labels(160.0),
            [("0:00".to_string(), false), ("2:00".to_string(), true)]
        );
    }
}

/// Property tests (native only: proptest does not build for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use proptest::prelude::*;

    fn axis() -> impl Strategy<Value = Axis> {
        proptest::collection::vec((0i64..10_000_000, 0i64..2_000_000), 1..30)
            .prop_map(|iv| Axis::build(iv.into_iter().map(|(a, d)| (Some(a), Some(a + d))), 0))
    }

    fn gaps() -> impl Strategy<Value = Gaps> {
        prop_oneof![Just(Gaps::Real), Just(Gaps::Squeeze)]
    }

    proptest! {
        #[test]
        fn the_mapping_is_monotonic_and_round_trips(
            axis in axis(), gaps in gaps(),
            mut ts in proptest::collection::vec(-1_000_000i64..20_000_000, 2..30),
        ) {
            let scale = Scale::new(&axis, gaps);
            ts.sort_unstable();
            let ps: Vec<i64> = ts.iter().map(|&t| scale.pos(t)).collect();
            prop_assert!(ps.windows(2).all(|w| w[0] <= w[1]), "{:?}", ps);
            for &p in &ps {
                let back = scale.pos(scale.time(p));
                prop_assert!(back <= p && back >= p - 1, "{} -> {}", p, back);
            }
            if gaps == Gaps::Real {
                prop_assert!(ts.iter().all(|&t| scale.time(scale.pos(t)) == t));
            }
            // Outside squeezed gaps, time survives the round trip.
            for &t in &ts {
                if !scale.gaps().iter().any(|g| t > g.from && t < g.to) {
                    prop_assert_eq!(scale.time(scale.pos(t)), t);
                }
            }
        }

        #[test]
        fn zooming_stays_on_the_run(
            axis in axis(), gaps in gaps(),
            view in proptest::option::of((0i64..20_000_000, 1i64..20_000_000)),
            factor in prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(0.0), 0.01f64..100.0],
            anchor in prop_oneof![Just(f64::NAN), -1.0f64..2.0],
            by in -3.0f64..3.0,
            px in 64.0f64..2_000.0,
        ) {
            let scale = Scale::new(&axis, gaps);
            let total = scale.total();
            let window = scale.window(view.map(|(a, d)| View { from: a, to: a + d }));
            prop_assert!(window.len >= 1 && window.from >= 0);
            prop_assert!(window.from + window.len <= total);
            let next = [zoom(&scale, window, factor, anchor), pan(&scale, window, by)];
            for v in next.into_iter().flatten() {
                prop_assert!(v.from < v.to && v.from >= 0 && v.to <= scale.end());
                let w = scale.window(Some(v));
                prop_assert!(w.from >= 0 && w.from + w.len <= total);
                prop_assert!(w.len >= MIN_VIEW_MS.min(total));
                // The URL form reads back as the same view.
                prop_assert_eq!(View::parse(&v.value()), Some(v));
            }
            let ticks = ticks(&scale, window, tick_budget(px), px);
            prop_assert!(ticks.len() <= 4 * tick_budget(px));
            prop_assert!(ticks.iter().all(|t| t.at >= -1e-9 && t.at <= 1.0 + 1e-9));
            // Each label's room lies on the track, and no two rooms overlap.
            let room: Vec<(f64, f64)> = ticks.iter().map(|t| room(t, px)).collect();
            prop_assert!(room.iter().all(|&(a, b)| a >= -1e-6 && b <= px + 1e-6), "{:?}", room);
            prop_assert!(room.windows(2).all(|p| p[1].0 >= p[0].1 - 1e-6), "{:?}", room);
        }
    }
}
