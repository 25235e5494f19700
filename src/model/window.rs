//! Windowing for long step lists: which rows to render for the part of the
//! list that is on screen, and which row each of a fixed set of *slots* shows.
//!
//! Runs up to [`THRESHOLD`] steps render every row (so find-in-page and
//! screen readers see them all); larger runs render a window (also while a
//! filter or a search shows fewer: [`narrowed_range`]) of a constant
//! length (the rows that fit the viewport plus [`OVERSCAN`] on each side),
//! with padding standing in for the rest, so a 5,000-step run costs what 40
//! rows cost. The window's length depends only on the viewport and the row
//! height, never on the scroll position, so scrolling moves the window's
//! `start` while the slots stay: slot `i` shows row `start + i`.
//!
//! Every function here takes raw browser measurements (any `f64`, including
//! NaN, infinities and negatives) and any `usize`, and never panics, wraps or
//! returns an out-of-range index.

use std::ops::Range;

/// Lists up to this many rows are rendered whole.
pub const THRESHOLD: usize = 300;
/// Extra rows rendered above and below the viewport. The window follows a
/// scroll in the same frame (it is measured in the frame's animation
/// callback, before paint), so these rows only cover what the compositor
/// scrolls into view ahead of the page's script: 3 rows (~150 px) cover a
/// fast flick of ~9,000 px/s. Each one costs every scroll frame its update
/// (8 made a 5,000-step run's scroll frames ~30% heavier).
pub const OVERSCAN: usize = 3;

/// Rows that fit `viewport_height`, rounded up, plus one for a row cut at
/// the top and one at the bottom. Non-finite or negative inputs count as 0.
fn rows_per_screen(row_height: f64, viewport_height: f64) -> usize {
    let height = if viewport_height.is_finite() {
        viewport_height.max(0.0)
    } else {
        0.0
    };
    // `as usize` saturates (and maps NaN to 0), so this cannot wrap.
    ((height / row_height).ceil() as usize).saturating_add(2)
}

/// The rows to render, given the list's top relative to the viewport (px,
/// negative once scrolled past), a fixed row height and the viewport height.
///
/// The result always lies within `0..count`; for large lists its length is
/// the same wherever the list is scrolled (the last window is shifted up
/// rather than shortened). A row height that is not a positive finite number
/// renders everything (nothing sensible can be computed from it); a
/// non-finite list top counts as "above" (`+inf`, `NaN`) or "past the end"
/// (`-inf`).
pub fn visible_range(
    count: usize,
    row_height: f64,
    list_top: f64,
    viewport_height: f64,
) -> Range<usize> {
    narrowed_range(count, count, row_height, list_top, viewport_height)
}

/// [`visible_range`] for `count` rows shown out of a list of `total` (a
/// filter or a search narrowed it): whether to window at all is decided by
/// `total`, not `count`. A search on a 20,000-step run that finds 160 steps
/// still renders only the rows on screen: rendering all 160 would build
/// ~130 rows in the key press that found them (a task of 100–500 ms), and
/// tear them down again on the next key or Esc.
pub fn narrowed_range(
    count: usize,
    total: usize,
    row_height: f64,
    list_top: f64,
    viewport_height: f64,
) -> Range<usize> {
    if total.max(count) <= THRESHOLD || !(row_height.is_finite() && row_height > 0.0) {
        return 0..count;
    }
    let len = rows_per_screen(row_height, viewport_height)
        .saturating_add(OVERSCAN.saturating_mul(2))
        .min(count);
    // The first row on screen; NaN (`as` maps it to 0) counts as the top.
    let first = if list_top == f64::NEG_INFINITY {
        count
    } else {
        (-list_top / row_height).floor().max(0.0) as usize
    };
    let start = first.saturating_sub(OVERSCAN).min(count - len);
    start..start + len
}

/// The row slot `slot` shows in `window`, if the window is that long.
pub fn slot_row(window: &Range<usize>, slot: usize) -> Option<usize> {
    let row = window.start.checked_add(slot)?;
    (row < window.end).then_some(row)
}

/// The slot that shows `row` in `window`, if the row is in it.
pub fn row_slot(window: &Range<usize>, row: usize) -> Option<usize> {
    window.contains(&row).then(|| row - window.start)
}

/// A finite, non-negative scroll position from any number.
fn clamp_scroll(y: f64) -> f64 {
    if y.is_nan() {
        0.0
    } else {
        y.clamp(0.0, f64::MAX)
    }
}

/// Where the page must scroll so that row `index` sits a third of the way
/// down the viewport; `list_top_in_page` is the list's offset from the page top.
/// Always finite and `>= 0`.
pub fn scroll_target(
    index: usize,
    row_height: f64,
    list_top_in_page: f64,
    viewport_height: f64,
) -> f64 {
    clamp_scroll(list_top_in_page + index as f64 * row_height - viewport_height / 3.0)
}

/// Where the page must scroll so that row `index` is wholly in view, moving
/// as little as possible (the row ends up at the top or bottom edge), or
/// `None` if it already is. `scroll_y` is the current scroll position.
pub fn scroll_into_view(
    index: usize,
    row_height: f64,
    list_top_in_page: f64,
    scroll_y: f64,
    viewport_height: f64,
) -> Option<f64> {
    let top = list_top_in_page + index as f64 * row_height;
    let bottom = top + row_height;
    if !(top.is_finite() && bottom.is_finite() && scroll_y.is_finite()) {
        return None;
    }
    let height = if viewport_height.is_finite() {
        viewport_height.max(0.0)
    } else {
        0.0
    };
    if top < scroll_y {
        Some(clamp_scroll(top))
    } else if bottom > scroll_y + height {
        Some(clamp_scroll(bottom - height))
    } else {
        None
    }
}

/// The row `delta` rows away from `current` in a list of `len` rows,
/// stopping at the ends; from no current row, `fallback` (clamped into the
/// list). `None` only for an empty list.
pub fn neighbour(
    len: usize,
    current: Option<usize>,
    delta: isize,
    fallback: usize,
) -> Option<usize> {
    let last = len.checked_sub(1)?;
    Some(match current {
        Some(at) => at.min(last).saturating_add_signed(delta).min(last),
        None => fallback.min(last),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_lists_render_whole() {
        assert_eq!(visible_range(300, 48.0, -5_000.0, 900.0), 0..300);
        assert_eq!(visible_range(0, 48.0, 0.0, 900.0), 0..0);
    }

    #[test]
    fn large_lists_render_the_viewport_plus_overscan() {
        // 900 px / 48 px = 18.75 → 19 rows, + 2 cut rows, + 2 × OVERSCAN
        let len = 19 + 2 + 2 * OVERSCAN;
        // list starts 400 px down the viewport: the first rows
        assert_eq!(visible_range(5_000, 48.0, 400.0, 900.0), 0..len);
        // scrolled 48,000 px into the list: row 1000 is the first on screen
        assert_eq!(
            visible_range(5_000, 48.0, -48_000.0, 900.0),
            (1_000 - OVERSCAN)..(1_000 - OVERSCAN + len)
        );
        // past the end: the last window, not an empty one
        assert_eq!(
            visible_range(5_000, 48.0, -1e9, 900.0),
            (5_000 - len)..5_000
        );
        // list far below the viewport: the first rows
        assert_eq!(visible_range(5_000, 48.0, 10_000.0, 900.0), 0..len);
    }

    #[test]
    fn the_window_length_does_not_change_while_scrolling() {
        let lens: Vec<usize> = (0..2_000)
            .map(|y| visible_range(5_000, 48.0, 300.0 - f64::from(y) * 7.3, 900.0).len())
            .collect();
        // 900 px / 48 px = 18.75 → 19 rows, + 2 cut rows, + 2 × OVERSCAN, everywhere.
        assert_eq!(lens, vec![19 + 2 + 2 * OVERSCAN; 2_000]);
    }

    #[test]
    fn odd_inputs_never_panic_and_stay_in_range() {
        assert_eq!(visible_range(1_000, 0.0, 0.0, 900.0), 0..1_000);
        assert_eq!(visible_range(1_000, f64::NAN, 0.0, 900.0), 0..1_000);
        let len = 19 + 2 + 2 * OVERSCAN;
        assert_eq!(visible_range(1_000, 48.0, f64::NAN, 900.0), 0..len);
        assert_eq!(visible_range(1_000, 48.0, f64::INFINITY, 900.0), 0..len);
        assert_eq!(
            visible_range(1_000, 48.0, f64::NEG_INFINITY, 900.0),
            (1_000 - len)..1_000
        );
        // no viewport height: only the overscan rows (and the two cut rows)
        assert_eq!(
            visible_range(1_000, 48.0, 0.0, f64::NAN),
            0..(2 + 2 * OVERSCAN)
        );
        assert_eq!(
            visible_range(1_000, 48.0, 0.0, f64::INFINITY),
            0..(2 + 2 * OVERSCAN)
        );
        assert_eq!(visible_range(1_000, 1e-300, 0.0, 900.0), 0..1_000);
        assert_eq!(
            visible_range(usize::MAX, 48.0, -1e300, 900.0).end,
            usize::MAX
        );
    }

    #[test]
    fn slots_map_to_rows_in_order() {
        let w = 100..145;
        assert_eq!(slot_row(&w, 0), Some(100));
        assert_eq!(slot_row(&w, 44), Some(144));
        assert_eq!(slot_row(&w, 45), None);
        assert_eq!(slot_row(&(usize::MAX - 1..usize::MAX), usize::MAX), None);
        assert_eq!(row_slot(&w, 100), Some(0));
        assert_eq!(row_slot(&w, 144), Some(44));
        assert_eq!(row_slot(&w, 99), None);
        assert_eq!(row_slot(&w, 145), None);
    }

    #[test]
    fn deep_links_scroll_the_row_into_the_upper_third() {
        assert_eq!(
            scroll_target(1_000, 48.0, 600.0, 900.0),
            600.0 + 48_000.0 - 300.0
        );
        assert_eq!(scroll_target(0, 48.0, 100.0, 900.0), 0.0);
        assert_eq!(scroll_target(0, f64::NAN, 100.0, 900.0), 0.0);
        assert_eq!(scroll_target(usize::MAX, f64::MAX, 0.0, 0.0), f64::MAX);
    }

    #[test]
    fn keyboard_focus_scrolls_as_little_as_possible() {
        // list at 500 px in the page, viewport 900 px tall, scrolled to 1,000
        // row 20 spans 1460..1508: in view
        assert_eq!(scroll_into_view(20, 48.0, 500.0, 1_000.0, 900.0), None);
        // row 5 spans 740..788: above, so it goes to the top edge
        assert_eq!(
            scroll_into_view(5, 48.0, 500.0, 1_000.0, 900.0),
            Some(740.0)
        );
        // row 30 spans 1940..1988: below, so it goes to the bottom edge
        assert_eq!(
            scroll_into_view(30, 48.0, 500.0, 1_000.0, 900.0),
            Some(1_988.0 - 900.0)
        );
        assert_eq!(scroll_into_view(3, f64::NAN, 0.0, 0.0, 900.0), None);
    }

    #[test]
    fn neighbours_stop_at_the_ends() {
        assert_eq!(neighbour(0, None, 1, 0), None);
        assert_eq!(neighbour(0, Some(3), 1, 0), None);
        assert_eq!(neighbour(5, None, 1, 2), Some(2));
        assert_eq!(neighbour(5, None, -1, 9), Some(4));
        assert_eq!(neighbour(5, Some(2), 1, 0), Some(3));
        assert_eq!(neighbour(5, Some(4), 1, 0), Some(4));
        assert_eq!(neighbour(5, Some(0), -1, 0), Some(0));
        assert_eq!(neighbour(5, Some(9), -1, 0), Some(3));
        assert_eq!(
            neighbour(usize::MAX, Some(usize::MAX - 1), isize::MAX, 0),
            Some(usize::MAX - 1)
        );
    }
}

/// Property tests (native only: proptest does not build for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use proptest::prelude::*;

    fn any_f64() -> impl Strategy<Value = f64> {
        prop_oneof![
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(0.0),
            Just(-0.0),
            Just(f64::MAX),
            Just(f64::MIN),
            Just(f64::MIN_POSITIVE),
            -1e7..1e7f64,
            any::<f64>(),
        ]
    }

    proptest! {
        #[test]
        fn windows_stay_inside_the_list(
            count in prop_oneof![0..10_000usize, any::<usize>()],
            row_height in any_f64(),
            top in any_f64(),
            viewport in any_f64(),
        ) {
            let r = visible_range(count, row_height, top, viewport);
            prop_assert!(r.start <= r.end && r.end <= count);
        }

        #[test]
        fn with_sane_inputs_every_row_on_screen_is_rendered(
            count in 301..20_000usize,
            row_height in 10.0..200.0f64,
            top in -1e6..1e4f64,
            viewport in 100.0..3_000.0f64,
        ) {
            let r = visible_range(count, row_height, top, viewport);
            let on_screen = (0..count).filter(|&i| {
                let y = top + i as f64 * row_height;
                y + row_height > 0.0 && y < viewport
            });
            for i in on_screen {
                prop_assert!(r.contains(&i), "row {} not in {:?}", i, r);
            }
            // constant length while scrolling
            prop_assert_eq!(r.len(), visible_range(count, row_height, 0.0, viewport).len());
        }

        #[test]
        fn a_narrowed_long_list_stays_windowed(
            total in 301..30_000usize,
            count in 0..30_000usize,
            row_height in 10.0..200.0f64,
            top in -1e6..1e4f64,
            viewport in 100.0..3_000.0f64,
        ) {
            let count = count.min(total);
            let r = narrowed_range(count, total, row_height, top, viewport);
            prop_assert!(r.start <= r.end && r.end <= count);
            // Never more rows than a screen and the overscan, however few were found.
            prop_assert_eq!(r.len(), visible_range(total, row_height, 0.0, viewport).len().min(count));
            // Every row of the narrowed list on screen is rendered.
            for i in (0..count).filter(|&i| {
                let y = top + i as f64 * row_height;
                y + row_height > 0.0 && y < viewport
            }) {
                prop_assert!(r.contains(&i), "row {} not in {:?}", i, r);
            }
        }

        #[test]
        fn a_short_list_narrowed_renders_every_row_found(
            total in 0..=THRESHOLD,
            count in 0..=THRESHOLD,
            top in any_f64(),
        ) {
            let count = count.min(total);
            prop_assert_eq!(narrowed_range(count, total, 48.0, top, 900.0), 0..count);
        }

        #[test]
        fn slots_and_rows_round_trip(start in any::<usize>(), len in 0..500usize, slot in 0..600usize) {
            let w = start..start.saturating_add(len);
            if let Some(row) = slot_row(&w, slot) {
                prop_assert!(w.contains(&row));
                prop_assert_eq!(row_slot(&w, row), Some(slot));
            } else {
                prop_assert!(slot >= w.len());
            }
        }

        #[test]
        fn scroll_positions_are_finite_and_not_negative(
            index in any::<usize>(),
            row_height in any_f64(),
            top in any_f64(),
            scroll in any_f64(),
            viewport in any_f64(),
        ) {
            let y = scroll_target(index, row_height, top, viewport);
            prop_assert!(y.is_finite() && y >= 0.0);
            if let Some(y) = scroll_into_view(index, row_height, top, scroll, viewport) {
                prop_assert!(y.is_finite() && y >= 0.0);
            }
        }

        #[test]
        fn neighbours_are_in_the_list(
            len in any::<usize>(),
            current in proptest::option::of(any::<usize>()),
            delta in any::<isize>(),
            fallback in any::<usize>(),
        ) {
            match neighbour(len, current, delta, fallback) {
                None => prop_assert_eq!(len, 0),
                Some(i) => prop_assert!(i < len),
            }
        }
    }
}
