//! A blueprint's run history: `GET /api/v1/blueprints/{blueprintId}/runs`.
//!
//! The docs say only that "each item includes the run status plus any
//! thumbnail URL"; item fields and pagination are not documented. So the
//! body is read leniently ([`decode_history`]): the list may be a bare array
//! or sit under `runs`, `items`, `data` or `results`; unknown fields are
//! ignored, missing ones tolerated, items without a run id skipped; a
//! `nextCursor`/`next`/`cursor`/`nextPage`/`page`-style hint is followed if
//! present ([`NextPage`]), otherwise the first page is all there is.

use super::decode::{decode_error, excerpt};
use super::{ApiError, Progress, Status, Timestamp};
use serde_json::{Map, Value};

/// One run of the history.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryItem {
    /// The run id.
    pub run_id: String,
    /// Status at the time of the answer (`Unknown("")` when missing).
    pub status: Status,
    /// When the run was created, if said.
    pub created_at: Option<Timestamp>,
    /// When it started, if said.
    pub started_at: Option<Timestamp>,
    /// When it completed, if said.
    pub completed_at: Option<Timestamp>,
    /// Step counts, if the item carries them.
    pub progress: Option<Progress>,
    /// A thumbnail image URL (not yet checked for safety: the view does that).
    pub thumbnail_url: Option<String>,
}

impl HistoryItem {
    /// The time the history sorts by: start, else creation.
    pub fn sort_time(&self) -> Option<Timestamp> {
        self.started_at.or(self.created_at)
    }
}

/// How to ask for the page after this one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextPage {
    /// `?cursor=<token>`.
    Cursor(String),
    /// `?page=<n>`.
    Page(u64),
    /// A path on the API's origin (from a `next` link), query included.
    Path(String),
}

/// One page of the history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryPage {
    /// The items in the order the API sent them.
    pub items: Vec<HistoryItem>,
    /// How to get more, if the answer said.
    pub next: Option<NextPage>,
}

/// The URL of the history of `blueprint_id`, at `next` or the first page.
/// A `next` path is only ever joined to the configured base URL, so a
/// response can never send the key to another origin.
pub fn history_url(base_url: &str, blueprint_id: &str, next: Option<&NextPage>) -> String {
    let base = base_url.trim().trim_end_matches('/');
    let first = format!(
        "{base}/api/v1/blueprints/{}/runs",
        super::encode_segment(blueprint_id)
    );
    match next {
        None => first,
        Some(NextPage::Cursor(c)) => format!("{first}?cursor={}", super::encode_segment(c)),
        Some(NextPage::Page(n)) => format!("{first}?page={n}"),
        Some(NextPage::Path(p)) => format!("{base}{p}"),
    }
}

/// Decodes a history answer: an error status becomes [`ApiError::Http`], a
/// 2xx body that holds no list becomes [`ApiError::Decode`].
pub fn decode_history(
    status: u16,
    body: &str,
    retry_after: Option<String>,
    base_url: &str,
) -> Result<HistoryPage, ApiError> {
    if !(200..300).contains(&status) {
        return Err(decode_error(status, body, retry_after));
    }
    let value: Value = serde_json::from_str(body)
        .map_err(|e| ApiError::Decode(format!("not JSON ({e}): {}", excerpt(body))))?;
    let (list, envelope) = match &value {
        Value::Array(list) => (list, None),
        Value::Object(obj) => {
            let list = ["runs", "items", "data", "results"]
                .iter()
                .find_map(|k| obj.get(*k).and_then(Value::as_array))
                .or_else(|| {
                    // `{"data": {"runs": [...]}}`
                    obj.get("data")
                        .and_then(Value::as_object)
                        .and_then(|d| ["runs", "items"].iter().find_map(|k| d.get(*k)))
                        .and_then(Value::as_array)
                });
            match list {
                Some(list) => (list, Some(obj)),
                None => {
                    return Err(ApiError::Decode(format!(
                        "no list of runs in the answer: {}",
                        excerpt(body)
                    )))
                }
            }
        }
        _ => {
            return Err(ApiError::Decode(format!(
                "no list of runs in the answer: {}",
                excerpt(body)
            )))
        }
    };
    let items = list
        .iter()
        .filter_map(Value::as_object)
        .filter_map(item)
        .collect();
    let next = envelope.and_then(|e| next_hint(e, base_url));
    Ok(HistoryPage { items, next })
}

/// The first string (or number, as text) among `keys`.
fn text(obj: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match obj.get(*k)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

fn time(obj: &Map<String, Value>, keys: &[&str]) -> Option<Timestamp> {
    keys.iter()
        .find_map(|k| obj.get(*k)?.as_str().and_then(Timestamp::parse))
}

fn item(obj: &Map<String, Value>) -> Option<HistoryItem> {
    let run_id = text(obj, &["runId", "run_id", "id"])?;
    let status = text(obj, &["status", "state"]).unwrap_or_default();
    let progress = obj
        .get("progress")
        .filter(|p| p.is_object())
        .and_then(|p| serde_json::from_value::<Progress>(p.clone()).ok());
    let thumbnail_url = text(obj, &["thumbnailUrl", "thumbnail_url", "thumbnail"]).or_else(|| {
        obj.get("thumbnail")
            .and_then(Value::as_object)
            .and_then(|t| text(t, &["url"]))
    });
    Some(HistoryItem {
        run_id,
        status: Status::from(status),
        created_at: time(obj, &["createdAt", "created_at"]),
        started_at: time(obj, &["startedAt", "started_at"]),
        completed_at: time(obj, &["completedAt", "completed_at", "finishedAt"]),
        progress,
        thumbnail_url,
    })
}

/// Reads a pagination hint from the envelope (or its `pagination`/`meta`/
/// `links` object).
fn next_hint(envelope: &Map<String, Value>, base_url: &str) -> Option<NextPage> {
    if envelope.get("hasMore").or(envelope.get("has_more")) == Some(&Value::Bool(false)) {
        return None;
    }
    for key in ["pagination", "meta", "links", "page_info", "pageInfo"] {
        if let Some(inner) = envelope.get(key).and_then(Value::as_object) {
            if let Some(next) = next_hint(inner, base_url) {
                return Some(next);
            }
        }
    }
    if let Some(c) = text(
        envelope,
        &["nextCursor", "next_cursor", "cursor", "endCursor"],
    ) {
        return Some(NextPage::Cursor(c));
    }
    if let Some(next) = envelope.get("next") {
        match next {
            Value::Number(n) => return n.as_u64().map(NextPage::Page),
            Value::String(s) if !s.trim().is_empty() => return link_or_cursor(s, base_url),
            _ => {}
        }
    }
    if let Some(n) = envelope
        .get("nextPage")
        .or(envelope.get("next_page"))
        .and_then(Value::as_u64)
    {
        return Some(NextPage::Page(n));
    }
    let page = envelope.get("page").and_then(Value::as_u64)?;
    let total = envelope
        .get("totalPages")
        .or(envelope.get("total_pages"))
        .or(envelope.get("pages"))
        .and_then(Value::as_u64);
    let more = envelope.get("hasMore").or(envelope.get("has_more")) == Some(&Value::Bool(true));
    (more || total.is_some_and(|t| page < t)).then_some(NextPage::Page(page + 1))
}

/// A `next` string: a link on the API's own origin becomes a path; a link to
/// another origin is refused (it would receive the key); anything else is a cursor.
fn link_or_cursor(s: &str, base_url: &str) -> Option<NextPage> {
    let s = s.trim();
    if s.starts_with('/') && !s.starts_with("//") {
        return Some(NextPage::Path(s.to_string()));
    }
    if s.starts_with("http://") || s.starts_with("https://") {
        let base = base_url.trim().trim_end_matches('/');
        let path = s.strip_prefix(base).filter(|_| !base.is_empty())?;
        return path
            .starts_with('/')
            .then(|| NextPage::Path(path.to_string()));
    }
    Some(NextPage::Cursor(s.to_string()))
}

/// Newest first (by start, else creation time; undated items last, in the
/// order they came), without duplicate run ids: `more` is appended to
/// `items`, replacing items with the same run id in place.
pub fn merge(items: &mut Vec<HistoryItem>, more: Vec<HistoryItem>) {
    for new in more {
        match items.iter_mut().find(|i| i.run_id == new.run_id) {
            Some(old) => *old = new,
            None => items.push(new),
        }
    }
    // Stable: equal keys keep their order.
    items.sort_by(|a, b| match (a.sort_time(), b.sort_time()) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

/// The run listed right after `run_id` in newest-first `items`: the run of
/// the same blueprint that started before it.
pub fn previous_run<'a>(items: &'a [HistoryItem], run_id: &str) -> Option<&'a str> {
    let i = items.iter().position(|x| x.run_id == run_id)?;
    items.get(i + 1).map(|x| x.run_id.as_str())
}

/// Whether any item may still change: a known status that is not terminal
/// (an item without a status is not polled for).
pub fn any_live(items: &[HistoryItem]) -> bool {
    items
        .iter()
        .any(|i| !i.status.as_str().is_empty() && !i.status.is_terminal())
}

/// Fetches one page of the history, `signal` aborting it.
pub async fn fetch_history(
    config: &super::client::ApiConfig,
    blueprint_id: &str,
    next: Option<&NextPage>,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<HistoryPage, ApiError> {
    let url = history_url(&config.base_url, blueprint_id, next);
    let raw = super::client::fetch_raw(config, &url, signal).await?;
    let body = String::from_utf8_lossy(&raw.body);
    decode_history(raw.status, &body, raw.retry_after, &config.base_url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &str) -> HistoryPage {
        decode_history(200, body, None, "https://api.example").expect("decodes")
    }

    fn ids(page: &HistoryPage) -> Vec<&str> {
        page.items.iter().map(|i| i.run_id.as_str()).collect()
    }

    #[test]
    fn reads_the_simulators_shape() {
        let page = ok(
            r#"{"runs":[{"runId":"run_b","blueprintId":"bp","status":"running",
            "createdAt":"2026-03-20T12:00:00Z","startedAt":"2026-03-20T12:00:00.500Z","completedAt":null,
            "progress":{"totalSteps":12,"completedSteps":3,"failedSteps":0,"runningSteps":2},
            "thumbnailUrl":"http://m/x.png","extra":{"a":1}}],"nextCursor":"17_run_b"}"#,
        );
        assert_eq!(
            page.items,
            vec![HistoryItem {
                run_id: "run_b".into(),
                status: Status::Running,
                created_at: Timestamp::parse("2026-03-20T12:00:00Z"),
                started_at: Timestamp::parse("2026-03-20T12:00:00.500Z"),
                completed_at: None,
                progress: Some(Progress {
                    total_steps: 12,
                    completed_steps: 3,
                    failed_steps: 0,
                    running_steps: 2
                }),
                thumbnail_url: Some("http://m/x.png".into()),
            }]
        );
        assert_eq!(page.next, Some(NextPage::Cursor("17_run_b".into())));
        let last = ok(r#"{"runs":[],"nextCursor":null}"#);
        assert_eq!(last, HistoryPage::default());
    }

    #[test]
    fn finds_the_list_wherever_it_is() {
        let one = r#"{"runId":"run_a","status":"succeeded"}"#;
        for body in [
            format!("[{one}]"),
            format!(r#"{{"items":[{one}]}}"#),
            format!(r#"{{"data":[{one}]}}"#),
            format!(r#"{{"results":[{one}]}}"#),
            format!(r#"{{"data":{{"runs":[{one}]}}}}"#),
        ] {
            assert_eq!(ids(&ok(&body)), vec!["run_a"], "{body}");
        }
    }

    #[test]
    fn tolerates_missing_and_odd_fields() {
        let page = ok(r#"{"runs":[
            {"id":"run_min"},
            {"run_id":"run_snake","state":"failed","started_at":"2026-03-20T12:00:00Z","thumbnail":{"url":"u"}},
            {"status":"running"},
            "not an object",
            {"runId":"run_bad","status":"cancelled","startedAt":"yesterday","progress":"half","thumbnailUrl":7}
        ]}"#);
        assert_eq!(ids(&page), vec!["run_min", "run_snake", "run_bad"]);
        assert_eq!(page.items[0].status, Status::Unknown(String::new()));
        assert_eq!(page.items[0].started_at, None);
        assert_eq!(page.items[1].status, Status::Failed);
        assert_eq!(page.items[1].thumbnail_url.as_deref(), Some("u"));
        assert_eq!(page.items[2].started_at, None);
        assert_eq!(page.items[2].progress, None);
        // Both spellings of canceled are the one known status.
        assert_eq!(page.items[2].status, Status::Canceled);
        assert_eq!(page.next, None);
    }

    #[test]
    fn follows_pagination_hints() {
        let hint = |tail: &str| ok(&format!(r#"{{"runs":[]{tail}}}"#)).next;
        assert_eq!(hint(""), None);
        assert_eq!(
            hint(r#","next_cursor":"abc""#),
            Some(NextPage::Cursor("abc".into()))
        );
        assert_eq!(
            hint(r#","cursor":"c2""#),
            Some(NextPage::Cursor("c2".into()))
        );
        assert_eq!(
            hint(r#","next":"tok""#),
            Some(NextPage::Cursor("tok".into()))
        );
        assert_eq!(hint(r#","next":3"#), Some(NextPage::Page(3)));
        assert_eq!(hint(r#","nextPage":2"#), Some(NextPage::Page(2)));
        assert_eq!(hint(r#","page":1,"totalPages":3"#), Some(NextPage::Page(2)));
        assert_eq!(hint(r#","page":3,"totalPages":3"#), None);
        assert_eq!(hint(r#","page":1,"hasMore":true"#), Some(NextPage::Page(2)));
        assert_eq!(hint(r#","nextCursor":"x","hasMore":false"#), None);
        assert_eq!(
            hint(r#","pagination":{"nextCursor":"deep"}"#),
            Some(NextPage::Cursor("deep".into()))
        );
        assert_eq!(
            hint(r#","next":"/api/v1/blueprints/bp/runs?page=2""#),
            Some(NextPage::Path("/api/v1/blueprints/bp/runs?page=2".into()))
        );
        assert_eq!(
            hint(r#","next":"https://api.example/api/v1/blueprints/bp/runs?after=9""#),
            Some(NextPage::Path("/api/v1/blueprints/bp/runs?after=9".into()))
        );
        // A link to another origin would receive the key: not followed.
        assert_eq!(hint(r#","next":"https://evil.example/steal""#), None);
        assert_eq!(
            hint(r#","next":"//evil.example/steal""#),
            Some(NextPage::Cursor("//evil.example/steal".into()))
        );
        assert_eq!(hint(r#","nextCursor":"""#), None);
    }

    #[test]
    fn urls_keep_the_id_and_cursor_one_segment() {
        assert_eq!(
            history_url("", "bp_x", None),
            "/api/v1/blueprints/bp_x/runs"
        );
        assert_eq!(
            history_url(
                "https://a.b/",
                "bp/x",
                Some(&NextPage::Cursor("1_run a&b".into()))
            ),
            "https://a.b/api/v1/blueprints/bp%2Fx/runs?cursor=1_run%20a%26b"
        );
        assert_eq!(
            history_url("https://a.b", "bp", Some(&NextPage::Page(2))),
            "https://a.b/api/v1/blueprints/bp/runs?page=2"
        );
        assert_eq!(
            history_url(
                "https://a.b",
                "bp",
                Some(&NextPage::Path("/api/v1/x?p=2".into()))
            ),
            "https://a.b/api/v1/x?p=2"
        );
    }

    #[test]
    fn errors_and_unreadable_bodies_are_typed() {
        let e = decode_history(
            404,
            r#"{"error":{"message":"nope","code":"not_found"}}"#,
            None,
            "",
        )
        .unwrap_err();
        assert_eq!(e.status(), Some(404));
        assert!(matches!(
            decode_history(200, "<html>", None, ""),
            Err(ApiError::Decode(_))
        ));
        assert!(matches!(
            decode_history(200, r#"{"runs":3}"#, None, ""),
            Err(ApiError::Decode(_))
        ));
        assert!(matches!(
            decode_history(200, "7", None, ""),
            Err(ApiError::Decode(_))
        ));
    }

    fn item(id: &str, started: Option<&str>, status: &str) -> HistoryItem {
        HistoryItem {
            run_id: id.into(),
            status: Status::from(status.to_string()),
            created_at: None,
            started_at: started.and_then(Timestamp::parse),
            completed_at: None,
            progress: None,
            thumbnail_url: None,
        }
    }

    #[test]
    fn merging_keeps_newest_first_without_duplicates() {
        let mut items = vec![
            item("run_2", Some("2026-03-20T12:00:02Z"), "running"),
            item("run_1", Some("2026-03-20T12:00:01Z"), "succeeded"),
        ];
        assert!(any_live(&items));
        merge(
            &mut items,
            vec![
                item("run_3", Some("2026-03-20T12:00:03Z"), "queued"),
                item("run_2", Some("2026-03-20T12:00:02Z"), "failed"),
                item("run_x", None, "succeeded"),
                item("run_0", Some("2026-03-20T12:00:00Z"), "succeeded"),
            ],
        );
        let order: Vec<(&str, &str)> = items
            .iter()
            .map(|i| (i.run_id.as_str(), i.status.as_str()))
            .collect();
        assert_eq!(
            order,
            vec![
                ("run_3", "queued"),
                ("run_2", "failed"),
                ("run_1", "succeeded"),
                ("run_0", "succeeded"),
                ("run_x", "succeeded"),
            ]
        );
        assert!(any_live(&items));
        assert_eq!(previous_run(&items, "run_2"), Some("run_1"));
        assert_eq!(previous_run(&items, "run_x"), None);
        assert_eq!(previous_run(&items, "run_nope"), None);
        items.remove(0);
        assert!(!any_live(&items));
    }
}
