//! The timeline's zoom state ([`Zoom`]): `?view=` and `?gaps=` read from the
//! URL, the [`Scale`] and [`Window`] derived from them, the actions that
//! change them, and the keys `+`/`=`, `-` and `0`.
//!
//! Only this (and the math in [`crate::model::zoom`]) is in the first load:
//! the buttons and the ruler ([`super::zoom_controls`]) are a chunk fetched
//! after the first paint. The list reads the window as two CSS variables,
//! so zooming rewrites two numbers and no row.
//!
//! History policy: a button, a key or the squeeze switch is a new entry
//! (Back undoes it); continuous zooming (Ctrl+wheel, a pinch) replaces the
//! current one.

use super::TimelineUrl;
use crate::model::shortcuts::Action;
use crate::model::timeline::Axis;
use crate::model::zoom::{self, Gaps, Scale, View, Window, ZOOM_STEP};
use crate::routes::{GAPS_PARAM, VIEW_PARAM};
use crate::state::page_actions::PageActions;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The timeline's zoom: what it shows and how to change it. `Copy`;
/// provided as context by the timeline.
#[derive(Clone, Copy)]
pub struct Zoom {
    /// How idle gaps are drawn (`?gaps=`).
    pub gaps: Memo<Gaps>,
    /// The window of time shown (`?view=`); `None` fits the whole run.
    pub view: Memo<Option<View>>,
    /// Time to position along the axis.
    pub scale: Memo<Scale>,
    /// The window shown, in positions (the list's CSS variables).
    pub window: Memo<Window>,
    /// The step list (pinch and Ctrl+wheel are read over it).
    pub list: NodeRef<leptos::html::Ol>,
    url: TimelineUrl,
}

impl Zoom {
    /// Reads the zoom of the current route over `axis`; call inside a `<Router>`.
    pub fn use_zoom(
        axis: ReadSignal<Axis>,
        url: TimelineUrl,
        list: NodeRef<leptos::html::Ol>,
    ) -> Self {
        let query = use_query_map();
        let gaps = Memo::new(move |_| {
            query.with(|q| Gaps::parse(q.get_str(GAPS_PARAM).unwrap_or_default()))
        });
        let view = Memo::new(move |_| query.with(|q| q.get_str(VIEW_PARAM).and_then(View::parse)));
        let scale = Memo::new(move |_| axis.with(|a| Scale::new(a, gaps.get())));
        let window = Memo::new(move |_| scale.with(|s| s.window(view.get())));
        Self {
            gaps,
            view,
            scale,
            window,
            list,
            url,
        }
    }

    /// The zoom the timeline provides.
    pub fn expect() -> Self {
        expect_context()
    }

    /// Shows `view` (`None`: the whole run).
    fn show(&self, view: Option<View>, replace: bool) {
        if view != self.view.get_untracked() {
            self.url
                .set_param(VIEW_PARAM, view.map(View::value), replace);
        }
    }

    /// Shows `view` while zooming continuously (a pinch): replaces the
    /// current history entry.
    pub fn show_continuous(&self, view: Option<View>) {
        self.show(view, true);
    }

    /// Zooms by `factor` (above 1 magnifies) around `anchor`, a fraction
    /// across the track; `replace` for continuous zooming.
    pub fn zoom_by(&self, factor: f64, anchor: f64, replace: bool) {
        let next = self
            .scale
            .with_untracked(|s| zoom::zoom(s, self.window.get_untracked(), factor, anchor));
        self.show(next, replace);
    }

    /// One step in, around the middle.
    pub fn zoom_in(&self) {
        self.zoom_by(ZOOM_STEP, 0.5, false);
    }

    /// One step out, around the middle.
    pub fn zoom_out(&self) {
        self.zoom_by(1.0 / ZOOM_STEP, 0.5, false);
    }

    /// Moves the window by `by` of its width (negative: earlier).
    pub fn pan(&self, by: f64) {
        let next = self
            .scale
            .with_untracked(|s| zoom::pan(s, self.window.get_untracked(), by));
        self.show(next, false);
    }

    /// Shows the whole run.
    pub fn fit(&self) {
        self.show(None, false);
    }

    /// Sets how idle gaps are drawn (a new history entry). The view, in
    /// time, stays.
    pub fn set_gaps(&self, gaps: Gaps) {
        self.url
            .set_param(GAPS_PARAM, gaps.value().map(str::to_string), false);
    }
}

/// Registers the zoom keys ([`Action::ZoomIn`], [`Action::ZoomOut`],
/// [`Action::ZoomFit`]) with the page's [`PageActions`], when the app
/// provides them.
pub fn use_zoom_actions(zoom: Zoom) {
    let Some(actions) = PageActions::try_expect() else {
        return;
    };
    actions.register(Action::ZoomIn, Callback::new(move |_| zoom.zoom_in()));
    actions.register(Action::ZoomOut, Callback::new(move |_| zoom.zoom_out()));
    actions.register(Action::ZoomFit, Callback::new(move |_| zoom.fit()));
}
