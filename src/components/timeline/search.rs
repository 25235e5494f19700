//! The step search in the timeline's head: the field (its text is the URL's
//! `?q=`, see [`super::query`]), the "N of M steps" count, `/` to focus it
//! and Esc to clear it; and scrolling the first match into view. Which
//! steps a query finds is [`crate::model::search`].

use super::use_visible_range::Placement;
use super::use_window::StepWindow;
use super::{StepFilter, TimelineUrl};
use crate::model::search::count_text;
use crate::model::shortcuts::Action;
use crate::state::page_actions::PageActions;
use leptos::prelude::*;

/// The search field above the step list and the count of the steps shown.
/// Typing filters the list at once (together with the status filter) and
/// writes `?q=` once typing pauses; Esc clears the text (and `?q=`, at once),
/// and Esc on an empty field leaves it; `/` focuses it (the
/// [`Action::FocusSearch`] shortcut).
#[component]
pub fn StepSearch(
    /// The timeline's URL state: the text lives in `?q=`.
    url: TimelineUrl,
    /// How many steps pass the filter and the search.
    #[prop(into)]
    shown: Signal<usize>,
    /// How many steps the run has.
    #[prop(into)]
    total: Signal<usize>,
) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    if let Some(actions) = PageActions::try_expect() {
        actions.register(
            Action::FocusSearch,
            Callback::new(move |_| {
                if let Some(el) = input.get_untracked() {
                    let _ = el.focus();
                    el.select();
                }
            }),
        );
    }
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() != "Escape" {
            return;
        }
        ev.prevent_default();
        if url.search.with_untracked(String::is_empty) {
            if let Some(el) = input.get_untracked() {
                let _ = el.blur();
            }
        } else {
            url.set_search("");
        }
    };
    let narrowed =
        move || !url.search.with(String::is_empty) || url.filter.get() != StepFilter::All;
    view! {
        <div class="timeline__search" role="search" aria-label="Steps">
            <label class="visually-hidden" for="step-search">"Search steps"</label>
            <input
                id="step-search"
                class="timeline__search-input"
                type="search"
                node_ref=input
                placeholder="Search steps  /"
                autocomplete="off"
                spellcheck="false"
                aria-describedby="step-search-count"
                prop:value=move || url.search.get()
                on:input=move |ev| url.type_search(&event_target_value(&ev))
                on:keydown=on_keydown
            />
            <span id="step-search-count" class="timeline__matches" role="status">
                {move || narrowed().then(|| count_text(shown.get(), total.get()))}
            </span>
        </div>
    }
}

/// Scrolls the first step the search finds into view whenever the search
/// text changes (as little as possible: not at all when it is on screen),
/// and when a deep link's `?q=` first finds steps (a third of the way down
/// the viewport, as a `?step=` deep link does: the page is still settling
/// then, the row height not yet measured, and a row placed at the very edge
/// would be cut off by a taller phone row or pushed out by a late shift).
pub fn use_first_match_in_view(url: TimelineUrl, steps: StepWindow) {
    let found = Memo::new(move |_| !steps.order.with(Vec::is_empty));
    // Whether the page was opened with a search that has not been shown yet.
    let linked = StoredValue::new(!url.search.with_untracked(String::is_empty));
    Effect::new(move |_| {
        let searching = !url.search.with(String::is_empty);
        if searching && found.get() {
            let placement = if linked.get_value() {
                Placement::UpperThird
            } else {
                Placement::Nearest
            };
            linked.set_value(false);
            // In the next frame, where the layout it reads is the one the
            // frame makes anyway (read now, it would be a second, forced one).
            // Not after the timeline is gone (its signals with it).
            request_animation_frame(move || {
                if found.try_get_untracked().is_some() {
                    steps.visible.measure();
                    steps.visible.scroll_to(0, placement);
                }
            });
        } else if !searching {
            linked.set_value(false);
        }
    });
}
