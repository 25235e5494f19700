//! The timeline's view state in the URL query: `?filter=<StepFilter>`,
//! `?step=<stepId>` (the selected step, also a shareable deep link) and
//! `?q=<text>` (the step search); the parameters are named in
//! [`crate::routes`].
//!
//! History policy: a filter change is a new history entry (a view a person
//! chose, as todomvc's filter links are: Back undoes it); moving the
//! selection (`j`/`k`, a click on a row) replaces the current entry, so
//! walking through 200 steps does not bury the previous page under 200
//! entries for Back. The search text replaces the entry too, key press by
//! key press: a search of ten letters is not ten entries. Back/forward
//! restore all three, because all are read from the URL and nowhere else.

use super::filter::StepFilter;
use crate::routes::{use_set_query_param, FILTER_PARAM, SEARCH_PARAM, STEP_PARAM};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The timeline's URL state: read reactively, written through the router.
#[derive(Clone, Copy)]
pub struct TimelineUrl {
    /// The filter in effect.
    pub filter: Memo<StepFilter>,
    /// The selected step's id, if any.
    pub selected: Memo<Option<String>>,
    /// The step search's text, as typed (empty for none).
    pub search: Memo<String>,
    set: Callback<(&'static str, Option<String>, bool)>,
}

impl TimelineUrl {
    /// Reads the query of the current route; call inside a `<Router>`.
    pub fn use_url() -> Self {
        let query = use_query_map();
        let filter = Memo::new(move |_| {
            query.with(|q| StepFilter::parse(q.get_str(FILTER_PARAM).unwrap_or_default()))
        });
        let selected = Memo::new(move |_| query.with(|q| q.get(STEP_PARAM)));
        let search = Memo::new(move |_| query.with(|q| q.get(SEARCH_PARAM).unwrap_or_default()));
        // The timeline scrolls itself; the router would jump to the top.
        let set = use_set_query_param();
        Self {
            filter,
            selected,
            search,
            set,
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

    /// Searches for `text` (as typed), replacing the current history entry;
    /// empty text removes the parameter.
    pub fn set_search(&self, text: &str) {
        let value = (!text.is_empty()).then(|| text.to_string());
        self.set.run((SEARCH_PARAM, value, true));
    }
}
