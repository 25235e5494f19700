//! The timeline's view state in the URL query: `?filter=<StepFilter>` and
//! `?step=<stepId>` (the selected step, also a shareable deep link).
//!
//! History policy: a filter change is a new history entry (a view a person
//! chose, as todomvc's filter links are: Back undoes it); moving the
//! selection (`j`/`k`, a click on a row) replaces the current entry, so
//! walking through 200 steps does not bury the previous page under 200
//! entries for Back. Back/forward restore both, because both are read from
//! the URL and nowhere else.

use super::filter::StepFilter;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::location::Url;
use leptos_router::NavigateOptions;

/// The query parameter holding the filter.
pub const FILTER_PARAM: &str = "filter";
/// The query parameter holding the selected step.
pub const STEP_PARAM: &str = "step";

/// The query string (with its leading `?`, or empty) after setting `key` to
/// `value`, or removing it for `None`; every other parameter keeps its place
/// and value. `escape` percent-encodes one key or value.
pub fn with_param<'a>(
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
    key: &str,
    value: Option<&str>,
    escape: impl Fn(&str) -> String,
) -> String {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    let mut placed = false;
    for (k, v) in params {
        if k != key {
            pairs.push((k, v));
        } else if let (Some(value), false) = (value, placed) {
            pairs.push((key, value));
            placed = true;
        }
    }
    if let (Some(value), false) = (value, placed) {
        pairs.push((key, value));
    }
    let joined: Vec<String> = pairs
        .into_iter()
        .map(|(k, v)| format!("{}={}", escape(k), escape(v)))
        .collect();
    if joined.is_empty() {
        String::new()
    } else {
        format!("?{}", joined.join("&"))
    }
}

/// The timeline's URL state: read reactively, written through the router.
#[derive(Clone, Copy)]
pub struct TimelineUrl {
    /// The filter in effect.
    pub filter: Memo<StepFilter>,
    /// The selected step's id, if any.
    pub selected: Memo<Option<String>>,
    set: Callback<(&'static str, Option<String>, bool)>,
}

impl TimelineUrl {
    /// Reads the query of the current route; call inside a `<Router>`.
    pub fn use_url() -> Self {
        let query = use_query_map();
        let location = use_location();
        let navigate = use_navigate();
        let filter = Memo::new(move |_| {
            query.with(|q| StepFilter::parse(q.get_str(FILTER_PARAM).unwrap_or_default()))
        });
        let selected = Memo::new(move |_| query.with(|q| q.get(STEP_PARAM)));
        let set = Callback::new(
            move |(key, value, replace): (&'static str, Option<String>, bool)| {
                let search = query.with_untracked(|q| {
                    with_param(
                        q.into_iter().map(|(k, v)| (k.as_ref(), v)),
                        key,
                        value.as_deref(),
                        Url::escape,
                    )
                });
                let path = location.pathname.get_untracked();
                let hash = location.hash.get_untracked();
                navigate(
                    &format!("{path}{search}{hash}"),
                    NavigateOptions {
                        replace,
                        // The timeline scrolls itself; the router would jump to the top.
                        scroll: false,
                        ..Default::default()
                    },
                );
            },
        );
        Self {
            filter,
            selected,
            set,
        }
    }

    /// Shows `filter` (a new history entry); `All` removes the parameter.
    pub fn set_filter(&self, filter: StepFilter) {
        let value = (filter != StepFilter::All).then(|| filter.value().to_string());
        self.set.run((FILTER_PARAM, value, false));
    }

    /// Selects the step with `id`, replacing the current history entry.
    pub fn select(&self, id: String) {
        self.set.run((STEP_PARAM, Some(id), true));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str) -> String {
        s.replace('%', "%25")
            .replace('&', "%26")
            .replace(' ', "%20")
    }

    #[test]
    fn setting_a_param_keeps_the_others_in_place() {
        let q = [("step", "s1"), ("filter", "failed"), ("x", "y")];
        assert_eq!(
            with_param(q, "filter", Some("running"), esc),
            "?step=s1&filter=running&x=y"
        );
        assert_eq!(with_param(q, "filter", None, esc), "?step=s1&x=y");
        assert_eq!(
            with_param(q, "new", Some("a b&c"), esc),
            "?step=s1&filter=failed&x=y&new=a%20b%26c"
        );
        assert_eq!(with_param([("step", "s1")], "step", None, esc), "");
        assert_eq!(with_param([], "step", Some("s%1"), esc), "?step=s%251");
        // a repeated key collapses to the one new value
        assert_eq!(
            with_param([("step", "a"), ("step", "b")], "step", Some("c"), esc),
            "?step=c"
        );
    }
}
