//! The timeline's view state in the URL query: `?filter=<StepFilter>`,
//! `?step=<stepId>` (the selected step, also a shareable deep link) and
//! `?q=<text>` (the step search); the parameters are named in
//! [`crate::routes`].
//!
//! History policy: a filter change is a new history entry (a view a person
//! chose, as todomvc's filter links are: Back undoes it); moving the
//! selection (`j`/`k`, a click on a row) replaces the current entry, so
//! walking through 200 steps does not bury the previous page under 200
//! entries for Back. The search text replaces the entry too: a search of
//! ten letters is not ten entries. Back/forward restore all three, because
//! all are read from the URL.
//!
//! The search text is the one exception to "read from the URL and nowhere
//! else", for [`SEARCH_URL_DELAY_MS`]: a key press filters the list at once
//! from the text typed, and `?q=` is written once typing pauses, so a key's
//! task does not also pay for a navigation (a `history.replaceState` and the
//! router's query map rebuilt and re-read) per letter. A URL change in the
//! meantime (Back, a link) wins over the text not yet written.

use super::filter::StepFilter;
use crate::routes::{use_set_query_param, FILTER_PARAM, SEARCH_PARAM, STEP_PARAM};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_use_filters::{debounce_filter, DebounceOptions};
use std::sync::Arc;

/// How long after the last key press the search text is written to `?q=`.
pub const SEARCH_URL_DELAY_MS: f64 = 250.0;

/// Search text typed but not yet in the URL, and the URL's text it was
/// typed over (if the URL's text is no longer that, the URL changed since
/// and wins).
#[derive(Clone, Debug, PartialEq)]
struct Typed {
    text: String,
    over: String,
}

/// The timeline's URL state: read reactively, written through the router.
#[derive(Clone, Copy)]
pub struct TimelineUrl {
    /// The filter in effect.
    pub filter: Memo<StepFilter>,
    /// The selected step's id, if any.
    pub selected: Memo<Option<String>>,
    /// The step search's text, as typed (empty for none): `?q=`, or the
    /// text typed since, until it is written there.
    pub search: Memo<String>,
    set: Callback<(&'static str, Option<String>, bool)>,
    in_url: Memo<String>,
    typed: RwSignal<Option<Typed>>,
    write_search_later: Callback<()>,
}

impl TimelineUrl {
    /// Reads the query of the current route; call inside a `<Router>`.
    pub fn use_url() -> Self {
        let query = use_query_map();
        let filter = Memo::new(move |_| {
            query.with(|q| StepFilter::parse(q.get_str(FILTER_PARAM).unwrap_or_default()))
        });
        let selected = Memo::new(move |_| query.with(|q| q.get(STEP_PARAM)));
        let in_url = Memo::new(move |_| query.with(|q| q.get(SEARCH_PARAM).unwrap_or_default()));
        let typed = RwSignal::new(None::<Typed>);
        let search = Memo::new(move |_| {
            typed.with(|t| match t {
                Some(t) if in_url.with(|u| *u == t.over) => t.text.clone(),
                _ => in_url.get(),
            })
        });
        // The timeline scrolls itself; the router would jump to the top.
        let set = use_set_query_param();
        let debounced = debounce_filter(SEARCH_URL_DELAY_MS, DebounceOptions::default());
        let write_search_later = Callback::new(move |()| {
            debounced(Arc::new(move || {
                // Not after the timeline is gone, nor over a newer URL.
                let Some(Some(t)) = typed.try_get_untracked() else {
                    return;
                };
                if in_url.with_untracked(|u| *u == t.over) {
                    set.run((SEARCH_PARAM, (!t.text.is_empty()).then_some(t.text), true));
                }
                typed.set(None);
            }));
        });
        Self {
            filter,
            selected,
            search,
            set,
            in_url,
            typed,
            write_search_later,
        }
    }

    /// Shows `filter` (a new history entry); `All` removes the parameter.
    pub fn set_filter(&self, filter: StepFilter) {
        let value = (filter != StepFilter::All).then(|| filter.value().to_string());
        self.set.run((FILTER_PARAM, value, false));
    }

    /// Sets parameter `key` to `value` (`None` removes it), as a new
    /// history entry or replacing the current one.
    pub fn set_param(&self, key: &'static str, value: Option<String>, replace: bool) {
        self.set.run((key, value, replace));
    }

    /// Selects the step with `id`, replacing the current history entry.
    pub fn select(&self, id: String) {
        self.set.run((STEP_PARAM, Some(id), true));
    }

    /// Searches for `text` (as typed) now, and writes it to `?q=` (replacing
    /// the current history entry; empty text removes the parameter)
    /// [`SEARCH_URL_DELAY_MS`] after the last call: for typing.
    pub fn type_search(&self, text: &str) {
        self.typed.set(Some(Typed {
            text: text.to_string(),
            over: self.in_url.get_untracked(),
        }));
        self.write_search_later.run(());
    }

    /// Searches for `text` (as typed) and writes it to `?q=` at once,
    /// replacing the current history entry (empty text removes the
    /// parameter); text typed and not yet written is dropped.
    pub fn set_search(&self, text: &str) {
        self.typed.set(None);
        let value = (!text.is_empty()).then(|| text.to_string());
        self.set.run((SEARCH_PARAM, value, true));
    }
}
