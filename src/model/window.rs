//! Windowing for long step lists: which rows to render for the part of the
//! list that is on screen. Runs up to [`THRESHOLD`] steps render every row
//! (so find-in-page and screen readers see them all); larger runs render
//! only the rows in view plus [`OVERSCAN`] on each side, with padding
//! standing in for the rest, so a 5,000-step run costs what 40 rows cost.

use std::ops::Range;

/// Lists up to this many rows are rendered whole.
pub const THRESHOLD: usize = 300;
/// Extra rows rendered above and below the viewport.
pub const OVERSCAN: usize = 12;

/// The rows to render, given the list's top relative to the viewport (px,
/// negative once scrolled past), a fixed row height and the viewport height.
pub fn visible_range(
    count: usize,
    row_height: f64,
    list_top: f64,
    viewport_height: f64,
) -> Range<usize> {
    if count <= THRESHOLD
        || row_height <= 0.0
        || !list_top.is_finite()
        || !viewport_height.is_finite()
    {
        return 0..count;
    }
    let first = (-list_top / row_height).floor().max(0.0) as usize;
    let last = ((viewport_height - list_top) / row_height).ceil().max(0.0) as usize;
    let start = first.saturating_sub(OVERSCAN).min(count);
    let end = (last + OVERSCAN).min(count).max(start);
    start..end
}

/// Where the page must scroll so that row `index` sits a third of the way
/// down the viewport; `list_top_in_page` is the list's offset from the page top.
pub fn scroll_target(
    index: usize,
    row_height: f64,
    list_top_in_page: f64,
    viewport_height: f64,
) -> f64 {
    (list_top_in_page + index as f64 * row_height - viewport_height / 3.0).max(0.0)
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
        // list starts 400 px down the viewport: rows 0..11 visible
        assert_eq!(visible_range(5_000, 48.0, 400.0, 900.0), 0..(11 + OVERSCAN));
        // scrolled 48,000 px into the list: rows 1000..1019 visible
        assert_eq!(
            visible_range(5_000, 48.0, -48_000.0, 900.0),
            (1_000 - OVERSCAN)..(1_019 + OVERSCAN)
        );
        // past the end
        assert_eq!(visible_range(5_000, 48.0, -1e9, 900.0), 5_000..5_000);
        // list far below the viewport: only overscan rows
        assert_eq!(visible_range(5_000, 48.0, 10_000.0, 900.0), 0..OVERSCAN);
        assert!(visible_range(5_000, 48.0, 0.0, 900.0).len() < 60);
    }

    #[test]
    fn odd_inputs_fall_back_to_everything() {
        assert_eq!(visible_range(1_000, 0.0, 0.0, 900.0), 0..1_000);
        assert_eq!(visible_range(1_000, 48.0, f64::NAN, 900.0), 0..1_000);
    }

    #[test]
    fn deep_links_scroll_the_row_into_the_upper_third() {
        assert_eq!(
            scroll_target(1_000, 48.0, 600.0, 900.0),
            600.0 + 48_000.0 - 300.0
        );
        assert_eq!(scroll_target(0, 48.0, 100.0, 900.0), 0.0);
    }
}
