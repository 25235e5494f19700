//! Every path and query of the app, in one place: typed builders for links
//! and navigation, and the typed params each page reads
//! (`#[derive(Params)]`, read with `use_params` / `use_query`).
//!
//! | path | page |
//! |---|---|
//! | `/` | home |
//! | `/runs/:id?filter=&step=&q=&view=&gaps=&at=` | one run ([`run`]; the query is the timeline's view and the replay moment, [`with_param`]) |
//! | `/blueprints/:id?pages=&sel=` | a blueprint's history ([`history`]) |
//! | `/blueprints/:bp/compare/:run` | finds the run before `run`, then redirects ([`compare_previous`]) |
//! | `/compare/:a/:b` | two runs side by side ([`compare`]) |
//!
//! Ids go into a path as one percent-encoded segment
//! ([`encode_segment`]), so an id with `/`, `?` or spaces stays one id.

use crate::api::encode_segment;
use leptos::Params;
use leptos_router::params::Params;

/// The home page.
pub const HOME: &str = "/";

/// The run page of `run_id`.
pub fn run(run_id: &str) -> String {
    format!("/runs/{}", encode_segment(run_id))
}

/// The history page of `blueprint_id`, one page shown, nothing picked.
pub fn history(blueprint_id: &str) -> String {
    history_view(blueprint_id, 1, &[])
}

/// The history page of `blueprint_id` showing `pages` pages, with the runs
/// in `selection` picked for comparison.
pub fn history_view(blueprint_id: &str, pages: usize, selection: &[String]) -> String {
    let mut query = Vec::new();
    if pages > 1 {
        query.push(format!("{PAGES_PARAM}={pages}"));
    }
    if !selection.is_empty() {
        let ids: Vec<String> = selection.iter().map(|s| encode_segment(s)).collect();
        query.push(format!("{SELECTION_PARAM}={}", ids.join(",")));
    }
    let base = format!("/blueprints/{}", encode_segment(blueprint_id));
    if query.is_empty() {
        base
    } else {
        format!("{base}?{}", query.join("&"))
    }
}

/// "Compare with the previous run" of `run_id` in `blueprint_id`'s history.
pub fn compare_previous(blueprint_id: &str, run_id: &str) -> String {
    format!(
        "/blueprints/{}/compare/{}",
        encode_segment(blueprint_id),
        encode_segment(run_id)
    )
}

/// The comparison of run `a` (before) with run `b` (after).
pub fn compare(a: &str, b: &str) -> String {
    format!("/compare/{}/{}", encode_segment(a), encode_segment(b))
}

/// `path` with the query string `search` (with its `?`, or empty) and the
/// fragment `hash` (with its `#`, or empty): the current page with another
/// query ([`with_param`]).
pub fn with_query(path: &str, search: &str, hash: &str) -> String {
    format!("{path}{search}{hash}")
}

/// The run page's query parameter holding the timeline filter.
pub const FILTER_PARAM: &str = "filter";
/// The run page's query parameter holding the selected step.
pub const STEP_PARAM: &str = "step";
/// The history page's query parameter: how many pages are shown.
pub const PAGES_PARAM: &str = "pages";
/// The history page's query parameter: the runs picked for comparison.
pub const SELECTION_PARAM: &str = "sel";
/// The run page's query parameter holding the step search's text.
pub const SEARCH_PARAM: &str = "q";
/// The run page's query parameter holding the timeline's zoom window:
/// `<from>-<to>` in ms from the run's first step start.
pub const VIEW_PARAM: &str = "view";
/// The run page's query parameter saying how idle gaps are drawn (`squeeze`).
pub const GAPS_PARAM: &str = "gaps";
/// The run page's query parameter holding the replay moment, in ms from the
/// run's start (absent: live).
pub const AT_PARAM: &str = "at";

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

/// Sets one query parameter of the current route (`None` removes it) and
/// navigates there, keeping every other parameter, the path and the hash:
/// `(key, value, replace)`, where `replace` replaces the history entry
/// instead of adding one. The router does not scroll (the views that use it
/// keep their own scroll position). Call inside a `<Router>`.
pub fn use_set_query_param() -> leptos::prelude::Callback<(&'static str, Option<String>, bool)> {
    use leptos::prelude::*;
    use leptos_router::hooks::{use_location, use_navigate, use_query_map};
    use leptos_router::location::Url;
    use leptos_router::NavigateOptions;
    let query = use_query_map();
    let location = use_location();
    let navigate = use_navigate();
    Callback::new(
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
                &with_query(&path, &search, &hash),
                NavigateOptions {
                    replace,
                    scroll: false,
                    ..Default::default()
                },
            );
        },
    )
}

/// Most pages a history link may ask for.
pub const MAX_PAGES: usize = 20;

/// `?pages=`: 1 when missing or unreadable, at most [`MAX_PAGES`].
pub fn parse_pages(raw: Option<&str>) -> usize {
    raw.and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_PAGES)
}

/// `?sel=`: up to two distinct, non-empty run ids.
pub fn parse_selection(raw: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in raw.unwrap_or("").split(',').map(str::trim) {
        if !id.is_empty() && out.len() < 2 && !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    }
    out
}

/// `/runs/:id`.
#[derive(Params, Clone, Debug, PartialEq)]
pub struct RunParams {
    /// The run id.
    pub id: Option<String>,
}

/// `/blueprints/:id`.
#[derive(Params, Clone, Debug, PartialEq)]
pub struct HistoryParams {
    /// The blueprint id.
    pub id: Option<String>,
}

/// The history page's query: `?pages=N&sel=a,b` (raw; read with
/// [`HistoryQuery::pages`] and [`HistoryQuery::selection`]).
#[derive(Params, Clone, Debug, PartialEq)]
pub struct HistoryQuery {
    /// `?pages=`.
    pub pages: Option<String>,
    /// `?sel=`.
    pub sel: Option<String>,
}

impl HistoryQuery {
    /// Pages shown (see [`parse_pages`]).
    pub fn pages(&self) -> usize {
        parse_pages(self.pages.as_deref())
    }

    /// Runs picked (see [`parse_selection`]).
    pub fn selection(&self) -> Vec<String> {
        parse_selection(self.sel.as_deref())
    }
}

/// `/blueprints/:bp/compare/:run`.
#[derive(Params, Clone, Debug, PartialEq)]
pub struct ComparePreviousParams {
    /// The blueprint id.
    pub bp: Option<String>,
    /// The run to compare with the one before it.
    pub run: Option<String>,
}

/// `/compare/:a/:b`.
#[derive(Params, Clone, Debug, PartialEq)]
pub struct CompareParams {
    /// Run A (before).
    pub a: Option<String>,
    /// Run B (after).
    pub b: Option<String>,
}

/// One param read from the URL: the value, or empty if missing (a page with
/// an empty id says it has none).
pub fn param<P, E>(params: &Result<P, E>, field: impl Fn(&P) -> Option<String>) -> String {
    params.as_ref().ok().and_then(field).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_encodes_its_ids_as_one_segment() {
        let built = [
            (run("run_a"), "/runs/run_a"),
            (run("a/b c"), "/runs/a%2Fb%20c"),
            (history("bp x"), "/blueprints/bp%20x"),
            (compare("run_a", "run b"), "/compare/run_a/run%20b"),
            (
                compare_previous("bp/1", "run?2"),
                "/blueprints/bp%2F1/compare/run%3F2",
            ),
            (with_query("/runs/r", "?step=s", "#x"), "/runs/r?step=s#x"),
        ];
        for (path, expected) in built {
            assert_eq!(path, expected);
        }
    }

    #[test]
    fn history_views_put_only_what_differs_from_the_default_in_the_query() {
        assert_eq!(history_view("bp_x", 1, &[]), "/blueprints/bp_x");
        assert_eq!(
            history_view("bp x", 2, &["run_a".into(), "run/b".into()]),
            "/blueprints/bp%20x?pages=2&sel=run_a,run%2Fb"
        );
        assert_eq!(history_view("bp", 1, &["r".into()]), "/blueprints/bp?sel=r");
    }

    #[test]
    fn history_queries_read_back_what_the_builder_wrote() {
        assert_eq!(parse_pages(None), 1);
        assert_eq!(parse_pages(Some("3")), 3);
        assert_eq!(parse_pages(Some("0")), 1);
        assert_eq!(parse_pages(Some("-2")), 1);
        assert_eq!(parse_pages(Some("x")), 1);
        assert_eq!(parse_pages(Some("999")), MAX_PAGES);
        assert_eq!(
            parse_selection(Some("a, b,a,c")),
            vec!["a".to_string(), "b".to_string()]
        );
        assert_eq!(parse_selection(Some(",,")), Vec::<String>::new());
        let q = HistoryQuery {
            pages: Some("2".into()),
            sel: Some("run_a,run_b".into()),
        };
        assert_eq!(
            (q.pages(), q.selection()),
            (2, vec!["run_a".into(), "run_b".into()])
        );
    }

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
