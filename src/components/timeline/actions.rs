//! What the timeline does when asked: select a step (click, deep link,
//! `j`/`k`), open a step's outputs in the viewer (a thumbnail, `Enter`), and
//! cycle the filter (`f`). The keyboard actions are registered with the
//! page's [`PageActions`] while the timeline is mounted.

use super::row::gallery_items;
use super::use_visible_range::Placement;
use super::use_window::StepWindow;
use super::TimelineUrl;
use crate::api::{Run, RunStoreFields};
use crate::components::Viewer;
use crate::model::shortcuts::Action;
use crate::model::window::neighbour;
use crate::state::page_actions::PageActions;
use leptos::prelude::*;
use reactive_stores::Store;
use wasm_bindgen::JsCast;

/// Opens the outputs of the step with key `step` in the viewer, at the
/// output with key `output` (its first output for `None`). Nothing happens
/// for a step without outputs.
pub fn open_step(run: Store<Run>, viewer: Viewer, step: &str, output: Option<&str>) {
    let items = run.steps().with_untracked(|steps| {
        steps
            .iter()
            .find(|s| s.key() == step)
            .map(|s| gallery_items(s.outputs.clone(), &s.name))
    });
    let Some(items) = items else { return };
    let Some(at) = output
        .map(str::to_string)
        .or_else(|| items.first().map(|i| i.output.key()))
    else {
        return;
    };
    viewer.open(items, &at);
}

/// The timeline's selection: what a click, a deep link and `j`/`k` do.
#[derive(Clone, Copy)]
pub struct Selection {
    url: TimelineUrl,
    steps: StepWindow,
    list: NodeRef<leptos::html::Ol>,
    /// The step whose row was last put in view (a selection made here is in
    /// view already; a deep link is scrolled to once).
    scrolled_to: StoredValue<Option<String>>,
}

impl Selection {
    /// Selects the step `id` whose row is already in view (a click).
    pub fn select(&self, id: String) {
        self.scrolled_to.set_value(Some(id.clone()));
        self.url.select(id);
    }

    /// Moves the selection `delta` rows (`j`/`k`): URL, scroll, focus.
    pub fn move_by(&self, delta: isize) {
        let current = self
            .url
            .selected
            .with_untracked(|s| s.as_deref().and_then(|id| self.steps.position_of(id)));
        let len = self.steps.order.with_untracked(Vec::len);
        let first = self.steps.visible.first_on_screen(len);
        let Some(next) = neighbour(len, current, delta, first) else {
            return;
        };
        let Some(id) = self.steps.key_at(next) else {
            return;
        };
        self.select(id.clone());
        self.steps.visible.scroll_to(next, Placement::Nearest);
        // After the slots show the new window (the reactive flush runs first).
        let list = self.list;
        request_animation_frame(move || {
            if let Some(row) = row_element(list, &id) {
                let _ = row.focus();
            }
        });
    }
}

/// The selection of the timeline showing `steps` in `list`. A deep link, or
/// back/forward to another `?step=`, scrolls its row into the upper third
/// once; when scrolling makes the focused slot show another step, the focus
/// leaves it (`j`/`k` continue from the selection in the URL).
pub fn use_selection(
    url: TimelineUrl,
    steps: StepWindow,
    list: NodeRef<leptos::html::Ol>,
) -> Selection {
    let scrolled_to = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        let Some(id) = url.selected.get() else { return };
        steps.order.track();
        if scrolled_to.get_value().as_deref() == Some(id.as_str()) {
            return;
        }
        if let Some(index) = steps.position_of(&id) {
            scrolled_to.set_value(Some(id));
            steps.visible.scroll_to(index, Placement::UpperThird);
        }
    });
    Effect::new(move |_| {
        steps.window.track();
        request_animation_frame(move || blur_stale_row(list, url.selected));
    });
    Selection {
        url,
        steps,
        list,
        scrolled_to,
    }
}

/// Registers the timeline's keyboard actions ([`Action::NextStep`],
/// [`Action::PrevStep`], [`Action::OpenStep`], [`Action::CycleFilter`]) with
/// the page's [`PageActions`], when the app provides them.
pub fn use_timeline_actions(run: Store<Run>, url: TimelineUrl, selection: Selection) {
    let Some(actions) = PageActions::try_expect() else {
        return;
    };
    let viewer = Viewer::expect();
    actions.register(
        Action::NextStep,
        Callback::new(move |_| selection.move_by(1)),
    );
    actions.register(
        Action::PrevStep,
        Callback::new(move |_| selection.move_by(-1)),
    );
    actions.register(
        Action::OpenStep,
        Callback::new(move |_| {
            if let Some(id) = url.selected.get_untracked() {
                open_step(run, viewer, &id, None);
            }
        }),
    );
    actions.register(
        Action::CycleFilter,
        Callback::new(move |_| url.set_filter(url.filter.get_untracked().next())),
    );
}

/// The list's row showing step `id`, if it is rendered.
fn row_element(list: NodeRef<leptos::html::Ol>, id: &str) -> Option<web_sys::HtmlElement> {
    let list = list.try_get_untracked().flatten()?;
    let want = format!("step-{id}");
    let rows = list.children();
    (0..rows.length())
        .filter_map(|i| rows.item(i))
        .find(|row| row.id() == want)
        .map(JsCast::unchecked_into)
}

/// Blurs the focused row if it no longer shows the selected step.
fn blur_stale_row(list: NodeRef<leptos::html::Ol>, selected: Memo<Option<String>>) {
    let Some(Some(list)) = list.try_get_untracked() else {
        return;
    };
    let Some(active) = document().active_element() else {
        return;
    };
    let list: &web_sys::Element = &list;
    let is_row = active
        .parent_element()
        .is_some_and(|parent| parent == *list);
    let wanted = selected
        .try_get_untracked()
        .flatten()
        .map(|id| format!("step-{id}"));
    if is_row && wanted.as_deref() != Some(active.id().as_str()) {
        let _ = active.unchecked_into::<web_sys::HtmlElement>().blur();
    }
}
