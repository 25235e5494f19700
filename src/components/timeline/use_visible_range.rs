//! `use_visible_range`: which rows of a long list are on screen, measured
//! from the list's position in the viewport (window scroll and resize, at most
//! once per animation frame), as a reactive window for [`crate::model::window`].

use crate::model::window::{narrowed_range, scroll_into_view, scroll_target};
use leptos::prelude::*;
use std::ops::Range;

/// Row height (px) assumed before a row has been measured (CSS: 3 rem).
pub const DEFAULT_ROW_HEIGHT: f64 = 48.0;

/// Quiet time after the last scroll event before the list counts as at rest.
pub const SETTLE_MS: u64 = 150;

/// Where [`VisibleRange::scroll_to`] puts a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// A third of the way down the viewport (deep links: the row is found
    /// with context around it).
    UpperThird,
    /// Wherever it moves the page least; not at all if the row is in view
    /// (keyboard focus walking through rows).
    Nearest,
}

/// A list's window on screen. `Copy`; its listeners are removed when the
/// owner that called [`use_visible_range`] is cleaned up.
#[derive(Clone, Copy)]
pub struct VisibleRange {
    /// The rows to render (see [`visible_range`]).
    pub range: Memo<Range<usize>>,
    /// The measured height of one row, px.
    pub row_height: RwSignal<f64>,
    /// True while the page is scrolling (until [`SETTLE_MS`] after the last
    /// scroll event): rows can put off work that only matters at rest, such
    /// as requesting images that would scroll away before they arrive.
    pub scrolling: RwSignal<bool>,
    list: NodeRef<leptos::html::Ol>,
    viewport: RwSignal<(f64, f64)>,
}

fn viewport_height(window: &web_sys::Window) -> f64 {
    window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(1_000.0)
}

impl VisibleRange {
    /// Measures the list's position and row height now (synchronously), so
    /// the window follows a scroll made in code before the next frame.
    pub fn measure(&self) {
        // May run from a queued animation frame after the list is gone.
        let Some(Some(list)) = self.list.try_get_untracked() else {
            return;
        };
        let Some(window) = web_sys::window() else {
            return;
        };
        let now = (
            list.get_bounding_client_rect().top(),
            viewport_height(&window),
        );
        if self.viewport.try_get_untracked() != Some(now) {
            self.viewport.set(now);
        }
        if let Some(row) = list.first_element_child() {
            let h = row.get_bounding_client_rect().height();
            if h > 0.0 && self.row_height.try_get_untracked() != Some(h) {
                self.row_height.set(h);
            }
        }
    }

    /// Scrolls the page so row `index` of the list is on screen as
    /// `placement` says, and measures, so the row is rendered.
    pub fn scroll_to(&self, index: usize, placement: Placement) {
        let (Some(list), Some(window)) = (self.list.get_untracked(), web_sys::window()) else {
            return;
        };
        let scroll_y = window.scroll_y().unwrap_or(0.0);
        let list_top = list.get_bounding_client_rect().top() + scroll_y;
        let (row_height, height) = (self.row_height.get_untracked(), viewport_height(&window));
        let y = match placement {
            Placement::UpperThird => Some(scroll_target(index, row_height, list_top, height)),
            Placement::Nearest => scroll_into_view(index, row_height, list_top, scroll_y, height),
        };
        if let Some(y) = y {
            window.scroll_to_with_x_and_y(window.scroll_x().unwrap_or(0.0), y);
        }
        self.measure();
    }

    /// The first row whose top is at or below the viewport's top edge
    /// (where `j` starts when no step is selected), clamped to `count`.
    pub fn first_on_screen(&self, count: usize) -> usize {
        let (top, _) = self.viewport.get_untracked();
        let h = self.row_height.get_untracked();
        if !(h.is_finite() && h > 0.0 && top.is_finite()) {
            return 0;
        }
        // `as usize` saturates: no wrap for any measurement.
        ((-top / h).ceil().max(0.0) as usize).min(count.saturating_sub(1))
    }
}

/// Tracks which of `count` rows of `list` are on screen, the list showing
/// `count` of `total` rows (a filter or a search narrows it; whether to
/// window is decided by `total`, see [`narrowed_range`]). Measures when the
/// list is mounted, when `count` changes, and on window scroll and resize
/// (at most once per animation frame).
pub fn use_visible_range(
    list: NodeRef<leptos::html::Ol>,
    count: Signal<usize>,
    total: Signal<usize>,
) -> VisibleRange {
    // Until the list is measured (the frame after it is shown), the window
    // is sized for the real viewport, not a guess, so the first render builds
    // no rows the first measurement drops.
    let height = web_sys::window().map_or(1_000.0, |w| viewport_height(&w));
    let viewport = RwSignal::new((0.0_f64, height));
    let row_height = RwSignal::new(DEFAULT_ROW_HEIGHT);
    let range = Memo::new(move |_| {
        let (top, height) = viewport.get();
        narrowed_range(count.get(), total.get(), row_height.get(), top, height)
    });
    let scrolling = RwSignal::new(false);
    let this = VisibleRange {
        range,
        row_height,
        scrolling,
        list,
        viewport,
    };
    // Scroll events come faster than frames: measure at most once a frame.
    let frame_pending = StoredValue::new(false);
    let measure_next_frame = move || {
        if !frame_pending.get_value() {
            frame_pending.set_value(true);
            request_animation_frame(move || {
                if frame_pending.try_set_value(false).is_none() {
                    this.measure();
                }
            });
        }
    };
    let settle_timer = StoredValue::new(None::<TimeoutHandle>);
    let on_scroll = window_event_listener(leptos::ev::scroll, move |_| {
        measure_next_frame();
        if !scrolling.get_untracked() {
            scrolling.set(true);
        }
        if let Some(timer) = settle_timer.get_value() {
            timer.clear();
        }
        let timer = set_timeout_with_handle(
            move || {
                let _ = scrolling.try_set(false);
            },
            std::time::Duration::from_millis(SETTLE_MS),
        );
        settle_timer.set_value(timer.ok());
    });
    let on_resize = window_event_listener(leptos::ev::resize, move |_| measure_next_frame());
    on_cleanup(move || {
        on_scroll.remove();
        on_resize.remove();
        if let Some(Some(timer)) = settle_timer.try_get_value() {
            timer.clear();
        }
    });
    // Measure once the list is in the page and whenever its length changes.
    Effect::new(move |_| {
        count.track();
        list.track();
        request_animation_frame(move || this.measure());
    });
    this
}
