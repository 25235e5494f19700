//! Browser unit tests: components mounted into headless Chromium with data,
//! asserting what a person sees; and the polling hook against a fake
//! `window.fetch`, so its discipline (one request in flight, abort on
//! unmount, no requests while hidden) is checked at the platform boundary.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_router::components::Router;
use reactive_stores::Store;
use runview::api::decode::decode_run;
use runview::api::{Run, RunStoreFields, Status};
use runview::components::{
    OutputGallery, ProgressBar, RunHeader, StatusBadge, StepTimeline, Viewer,
};
use runview::state::clock::Clock;
use runview::state::run_store::patch_run;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const GOLDEN: &str = include_str!("fixtures/run_abc123.json");

fn golden() -> Run {
    decode_run(200, GOLDEN, None).unwrap()
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts a view into a fresh element; keep the handle alive while asserting.
fn mount<V: IntoView + 'static>(
    f: impl FnOnce() -> V + Send + 'static,
) -> (web_sys::HtmlElement, impl Drop) {
    let div: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&div).unwrap();
    let handle = leptos::mount::mount_to(div.clone(), move || {
        Clock::provide();
        Viewer::provide();
        view! { <Router>{f()}</Router> }
    });
    (div, handle)
}

fn text(root: &web_sys::HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .text_content()
        .unwrap_or_default()
}

fn count(root: &web_sys::HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

fn js(src: &str) -> JsValue {
    js_sys::eval(src).unwrap()
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Starts recording DOM mutations under `root`; returns the recorder's name.
fn observe(root: &web_sys::HtmlElement, name: &str) {
    root.set_id(name);
    js(&format!(
        "window['{name}'] = []; new MutationObserver(rs => rs.forEach(r => {{
            const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
            const row = el && el.closest('li.step-row');
            window['{name}'].push(row ? row.id : (el ? el.className || el.tagName : '?'));
         }})).observe(document.getElementById('{name}'), {{subtree: true, childList: true, attributes: true, characterData: true}});"
    ));
}

fn mutations(name: &str) -> Vec<String> {
    let arr: js_sys::Array = js(&format!("window['{name}']")).unchecked_into();
    arr.iter()
        .map(|v| v.as_string().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn status_badge_shows_known_and_unknown_values() {
    let status = RwSignal::new(Status::Running);
    let (root, _h) = mount(move || view! { <StatusBadge status /> });
    assert_eq!(text(&root, ".status__label"), "running");
    assert!(root.query_selector(".status--running").unwrap().is_some());
    status.set(Status::Unknown("waiting_for_gpu".into()));
    leptos::task::tick().await;
    assert_eq!(text(&root, ".status__label"), "unknown: waiting_for_gpu");
    assert!(root.query_selector(".status--unknown").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn progress_bar_reports_counts_in_text_and_aria() {
    let run = Store::new(golden());
    let (root, _h) = mount(
        move || view! { <ProgressBar progress=Signal::derive(move || run.progress().get()) /> },
    );
    let bar = root.query_selector("[role=progressbar]").unwrap().unwrap();
    assert_eq!(bar.get_attribute("aria-valuenow").as_deref(), Some("3"));
    assert_eq!(bar.get_attribute("aria-valuemax").as_deref(), Some("5"));
    assert!(text(&root, ".progress__text").contains("60%"));
    assert!(text(&root, ".progress__text").contains("3 of 5 steps done · 1 running · 0 failed"));
}

#[wasm_bindgen_test]
async fn run_header_shows_id_blueprint_status_and_times() {
    let run = Store::new(golden());
    let (root, _h) = mount(move || view! { <RunHeader run updated_at=Signal::stored(None) /> });
    assert_eq!(text(&root, ".run-header__id"), "run_abc123");
    assert!(root.text_content().unwrap().contains("bp_xyz"));
    assert_eq!(text(&root, ".status__label"), "running");
    let started = root.query_selector("time").unwrap().unwrap();
    assert_eq!(
        started.get_attribute("datetime").as_deref(),
        Some("2026-03-20T12:00:00.000Z")
    );
    assert!(
        text(&root, ".run-header__duration").contains("h"),
        "a live duration since March"
    );
}

#[wasm_bindgen_test]
async fn timeline_rows_and_only_the_changed_row_mutates() {
    let run = Store::new(golden());
    let (root, _h) = mount(move || view! { <StepTimeline run /> });
    assert_eq!(count(&root, "li.step-row"), 3);
    let names: Vec<String> = (0..3)
        .map(|i| {
            root.query_selector_all(".step-row__name")
                .unwrap()
                .get(i)
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(names, ["Generate background", "Render video", "Publish"]);
    assert_eq!(text(&root, "#step-step_001 .step-row__duration"), "9.0 s");
    assert_eq!(
        count(&root, "#step-step_001 img"),
        1,
        "image output previewed in its row"
    );

    // An identical response changes nothing in the DOM.
    observe(&root, "muts_same");
    patch_run(run, golden());
    leptos::task::tick().await;
    sleep(20).await;
    assert_eq!(mutations("muts_same"), Vec::<String>::new());

    // A response where only step_003 changed touches only that row.
    let mut next = golden();
    next.steps[2].status = Status::Succeeded;
    next.steps[2].completed_at = runview::api::Timestamp::parse("2026-03-20T12:00:30Z");
    next.steps[2].attempt_no = 2;
    observe(&root, "muts_changed");
    patch_run(run, next);
    leptos::task::tick().await;
    sleep(20).await;
    let touched = mutations("muts_changed");
    assert!(!touched.is_empty());
    // The step's end moved the shared time axis: the list's one `--axis`
    // variable changes (bars rescale in CSS); nothing else outside the row.
    let outside: Vec<_> = touched.iter().filter(|t| *t != "step-step_003").collect();
    assert!(
        outside.len() <= 1 && outside.iter().all(|t| *t == "timeline__rows"),
        "mutations outside the changed row: {touched:?}"
    );
    assert_eq!(text(&root, "#step-step_003 .status__label"), "succeeded");
    assert!(text(&root, "#step-step_003").contains("attempt 2"));
    assert_eq!(count(&root, "li.step-row"), 3);
}

#[wasm_bindgen_test]
async fn timeline_filter_shows_only_matching_rows() {
    let run = Store::new(golden());
    let (root, _h) = mount(move || view! { <StepTimeline run /> });
    let select: web_sys::HtmlSelectElement = root
        .query_selector("select")
        .unwrap()
        .unwrap()
        .unchecked_into();
    select.set_value("running");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(count(&root, "li.step-row"), 1);
    assert_eq!(text(&root, "li.step-row .step-row__name"), "Publish");
    select.set_value("all");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(count(&root, "li.step-row"), 3);
}

#[wasm_bindgen_test]
async fn gallery_shows_finals_then_intermediates_and_blocks_unsafe_urls() {
    let mut data = golden();
    data.steps[0].outputs.push(serde_json::from_str(
        r#"{"type":"inference","outputId":"evil","url":"javascript:alert(1)","mimeType":"image/png"}"#,
    ).unwrap());
    let run = Store::new(data);
    let (root, _h) = mount(move || view! { <OutputGallery run /> });
    let video: web_sys::HtmlVideoElement = root
        .query_selector("video")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(video.src(), "https://storage.example.com/video.mp4");
    assert_eq!(video.preload(), "metadata");
    assert!(video.controls());
    assert_eq!(
        count(&root, ".gallery__card"),
        1,
        "only the final output until the toggle"
    );
    let toggle: web_sys::HtmlElement = root
        .query_selector(".gallery__toggle")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(
        toggle.text_content().unwrap(),
        "Show intermediate outputs (2)"
    );
    toggle.click();
    leptos::task::tick().await;
    assert_eq!(count(&root, ".gallery__card"), 3);
    let img: web_sys::HtmlImageElement = root
        .query_selector("img")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(img.src(), "https://storage.example.com/output.png");
    assert_eq!(img.get_attribute("loading").as_deref(), Some("lazy"));
    assert_eq!((img.width(), img.height()), (1920, 1080), "space reserved");
    let html = root.inner_html();
    assert!(!html.contains("src=\"javascript"), "{html}");
    assert!(!html.contains("href=\"javascript"), "{html}");
    assert!(html.contains("javascript:alert(1)"), "shown as inert text");
}

/// Installs a fake `window.fetch` for `/api/` URLs: answers with `body`
/// after `delay` ms, honours abort signals, and records calls, aborts and
/// the most requests ever in flight at once.
fn fake_fetch(body: &str, delay: u32) {
    js(&format!(
        r#"(() => {{
          const real = window.__realFetch || window.fetch; window.__realFetch = real;
          window.__fake = {{ calls: 0, inFlight: 0, maxInFlight: 0, aborted: 0, body: {body:?}, delay: {delay} }};
          window.fetch = (input, init) => {{
            const f = window.__fake;
            const url = typeof input === 'string' ? input : input.url;
            if (!url.includes('/api/')) return real(input, init);
            const signal = (init && init.signal) || (input && input.signal);
            f.calls++; f.inFlight++; f.maxInFlight = Math.max(f.maxInFlight, f.inFlight);
            return new Promise((resolve, reject) => {{
              const t = setTimeout(() => {{ f.inFlight--; resolve(new Response(f.body, {{status: 200, headers: {{'Content-Type': 'application/json'}}}})); }}, f.delay);
              if (signal) signal.addEventListener('abort', () => {{ clearTimeout(t); f.inFlight--; f.aborted++; reject(new DOMException('aborted', 'AbortError')); }});
            }});
          }};
        }})()"#
    ));
}

fn fake(field: &str) -> f64 {
    js(&format!("window.__fake.{field}")).as_f64().unwrap()
}

fn set_hidden(hidden: bool) {
    js(&format!(
        "Object.defineProperty(document, 'visibilityState', {{value: '{}', configurable: true}});
         Object.defineProperty(document, 'hidden', {{value: {hidden}, configurable: true}});
         document.dispatchEvent(new Event('visibilitychange'));",
        if hidden { "hidden" } else { "visible" }
    ));
}

#[component]
fn HookProbe(run_id: String) -> impl IntoView {
    let config = Signal::stored(runview::api::client::ApiConfig::default());
    let handle = runview::poll::use_run(run_id, config);
    view! {
        <p class="probe">{move || if handle.loaded.get() { handle.run.run_id().get() } else { "loading".into() }}</p>
    }
}

#[wasm_bindgen_test]
async fn hook_polls_one_at_a_time_and_aborts_on_unmount() {
    let running = GOLDEN.to_string();
    fake_fetch(&running, 600);
    let (root, handle) = mount(|| view! { <HookProbe run_id="run_abc123".to_string() /> });
    assert_eq!(text(&root, ".probe"), "loading");
    sleep(800).await;
    assert_eq!(text(&root, ".probe"), "run_abc123");
    // Slow responses (600 ms) and a 1 s cadence: never two at once.
    sleep(2500).await;
    assert!(fake("calls") >= 2.0, "kept polling a running run");
    assert_eq!(fake("maxInFlight"), 1.0);
    // Unmount while a request is in flight: it is aborted, and no more start.
    sleep(1100).await;
    let calls = fake("calls");
    drop(handle);
    sleep(50).await;
    assert!(fake("aborted") + (fake("inFlight") == 0.0) as u8 as f64 >= 1.0);
    sleep(2500).await;
    assert_eq!(fake("calls"), calls, "no request after unmount");
}

#[wasm_bindgen_test]
async fn hook_sends_nothing_while_hidden_and_fetches_on_return() {
    fake_fetch(GOLDEN, 10);
    let (root, _h) = mount(|| view! { <HookProbe run_id="run_abc123".to_string() /> });
    sleep(300).await;
    assert_eq!(text(&root, ".probe"), "run_abc123");
    set_hidden(true);
    sleep(50).await;
    let calls = fake("calls");
    sleep(3000).await;
    assert_eq!(fake("calls"), calls, "no request while hidden");
    set_hidden(false);
    sleep(200).await;
    assert_eq!(
        fake("calls"),
        calls + 1.0,
        "an immediate fetch when visible again"
    );
}

#[wasm_bindgen_test]
async fn hook_stops_after_a_terminal_response() {
    let finished = GOLDEN.replace(
        "\"status\": \"running\",\n  \"startedAt\"",
        "\"status\": \"succeeded\",\n  \"startedAt\"",
    );
    assert!(finished.contains("\"succeeded\",\n  \"startedAt\""));
    fake_fetch(&finished, 10);
    let (_root, _h) = mount(|| view! { <HookProbe run_id="run_abc123".to_string() /> });
    sleep(300).await;
    assert_eq!(fake("calls"), 1.0);
    sleep(2500).await;
    assert_eq!(fake("calls"), 1.0, "no polling after the run ended");
}

#[wasm_bindgen_test]
async fn long_runs_render_only_the_rows_in_view() {
    let mut data = golden();
    let template = data.steps[0].clone();
    data.steps = (0..1_000)
        .map(|i| {
            let mut s = template.clone();
            s.step_id = format!("s{i}");
            s.name = format!("Step {i}");
            s.outputs.clear();
            s
        })
        .collect();
    let run = Store::new(data);
    let (root, _h) = mount(move || view! { <StepTimeline run /> });
    leptos::task::tick().await;
    sleep(100).await;
    assert_eq!(text(&root, ".timeline__count"), "1000");
    let rendered = count(&root, "li.step-row");
    assert!((1..100).contains(&rendered), "{rendered} rows in the DOM");
    assert_eq!(text(&root, "li.step-row .step-row__name"), "Step 0");
    // The list keeps the full height, so the page scrolls as if every row were there.
    let list: web_sys::HtmlElement = root.query_selector("ol").unwrap().unwrap().unchecked_into();
    assert!(
        list.offset_height() > 1_000 * 20,
        "{}",
        list.offset_height()
    );
    // Scrolling to the middle renders the middle rows.
    let top =
        list.get_bounding_client_rect().top() + web_sys::window().unwrap().scroll_y().unwrap();
    // (No stylesheet here: measure a row instead of assuming CSS's 3 rem.)
    let row_h = root
        .query_selector("li.step-row")
        .unwrap()
        .unwrap()
        .get_bounding_client_rect()
        .height();
    web_sys::window()
        .unwrap()
        .scroll_to_with_x_and_y(0.0, top + 500.0 * row_h);
    web_sys::window()
        .unwrap()
        .dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    sleep(100).await;
    let first = root.query_selector("li.step-row").unwrap().map(|e| e.id());
    let y = web_sys::window().unwrap().scroll_y().unwrap();
    assert!(
        root.query_selector("#step-s500").unwrap().is_some(),
        "row 500 rendered after scrolling to {y}; first row {first:?}"
    );
    assert!(
        root.query_selector("#step-s0").unwrap().is_none(),
        "row 0 left the DOM"
    );
    web_sys::window().unwrap().scroll_to_with_x_and_y(0.0, 0.0);
}

/// Runs `prefetch.js` (what index.html inlines) as a page at `path` would.
fn start_prefetch(path: &str) {
    js(include_str!("../src/api/prefetch.js"));
    js("sessionStorage.clear(); localStorage.clear();");
    js(&format!("window.__runviewStartPrefetch({path:?})"));
}

#[wasm_bindgen_test]
async fn the_prefetched_first_request_is_adopted_not_repeated() {
    fake_fetch(GOLDEN, 200);
    start_prefetch("/runs/run_abc123");
    assert_eq!(fake("calls"), 1.0, "prefetch.js started the request");
    let (root, _h) = mount(|| view! { <HookProbe run_id="run_abc123".to_string() /> });
    sleep(400).await;
    assert_eq!(text(&root, ".probe"), "run_abc123");
    assert_eq!(fake("calls"), 1.0, "the app used the prefetched answer");
    assert!(js("window.__runviewPrefetch").is_undefined());
    sleep(1200).await;
    assert_eq!(fake("calls"), 2.0, "then polls as usual");
    assert_eq!(fake("maxInFlight"), 1.0);
}

#[wasm_bindgen_test]
async fn a_prefetch_for_another_request_is_aborted() {
    fake_fetch(GOLDEN, 200);
    start_prefetch("/runs/run_other");
    let (root, _h) = mount(|| view! { <HookProbe run_id="run_abc123".to_string() /> });
    sleep(50).await;
    assert_eq!(fake("aborted"), 1.0, "the unmatched prefetch was aborted");
    assert_eq!(fake("calls"), 2.0);
    assert_eq!(fake("maxInFlight"), 1.0, "never two at once");
    sleep(400).await;
    assert_eq!(text(&root, ".probe"), "run_abc123");
}

// === history & compare (the lead moves this block to tests/web/history.rs) ===
mod history {
    use super::{count, js, mount, sleep, text, GOLDEN};
    use leptos::prelude::*;
    use leptos_router::components::{Route, Routes};
    use leptos_router::path;
    use runview::api::history::HistoryItem;
    use runview::api::{Progress, Status, Timestamp};
    use runview::components::HistoryRow;
    use runview::pages::{compare::ComparePage, history::HistoryPage};
    use runview::state::settings::Settings;
    use wasm_bindgen::JsCast;

    /// A fake `window.fetch` for `/api/` URLs answering by URL: the first
    /// `[part, body]` whose `part` the URL contains; records every API URL.
    fn route_fetch(routes: &[(&str, String)]) {
        let table: Vec<String> = routes
            .iter()
            .map(|(part, body)| format!("[{part:?}, {body:?}]"))
            .collect();
        js(&format!(
            r#"(() => {{
              const real = window.__realFetch || window.fetch; window.__realFetch = real;
              window.__routes = [{}]; window.__urls = [];
              window.fetch = (input, init) => {{
                const url = typeof input === 'string' ? input : input.url;
                if (!url.includes('/api/')) return real(input, init);
                window.__urls.push(url);
                const hit = window.__routes.find(([part]) => url.includes(part));
                const body = hit ? hit[1] : '{{"error":{{"message":"no","code":"not_found"}}}}';
                return Promise.resolve(new Response(body, {{status: hit ? 200 : 404, headers: {{'Content-Type': 'application/json'}}}}));
              }};
            }})()"#,
            table.join(",")
        ));
    }

    fn restore_fetch() {
        js("if (window.__realFetch) window.fetch = window.__realFetch;");
    }

    fn urls() -> Vec<String> {
        let arr: js_sys::Array = js("window.__urls").unchecked_into();
        arr.iter()
            .map(|v| v.as_string().unwrap_or_default())
            .collect()
    }

    fn location() -> String {
        let l = web_sys::window().unwrap().location();
        format!("{}{}", l.pathname().unwrap(), l.search().unwrap())
    }

    fn go(path: &str) {
        web_sys::window()
            .unwrap()
            .history()
            .unwrap()
            .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
            .unwrap();
    }

    /// The app's routes for these pages, with the app-wide settings.
    fn pages() -> impl IntoView {
        Settings::provide();
        view! {
            <Routes fallback=|| "none">
                <Route path=path!("/blueprints/:id") view=HistoryPage />
                <Route path=path!("/compare/:a/:b") view=ComparePage />
            </Routes>
        }
    }

    /// Waits (polling every 20 ms, at most 5 s) until `ready` holds.
    async fn until(what: &str, ready: impl Fn() -> bool) {
        for _ in 0..250 {
            if ready() {
                return;
            }
            sleep(20).await;
        }
        panic!("timed out waiting for {what}");
    }

    fn texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
        let list = root.query_selector_all(selector).unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
            .collect()
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    async fn a_history_row_shows_what_a_person_judges_a_run_by() {
        let picked = RwSignal::new(false);
        let toggled = RwSignal::new(Vec::<String>::new());
        let item = HistoryItem {
            run_id: "run_t".into(),
            status: Status::Succeeded,
            created_at: None,
            started_at: Some(Timestamp(1_000_000)),
            completed_at: Some(Timestamp(1_030_000)),
            progress: Some(Progress {
                total_steps: 12,
                completed_steps: 11,
                failed_steps: 1,
                running_steps: 0,
            }),
            thumbnail_url: Some("javascript:alert(1)".into()),
        };
        let (root, _h) = mount(move || {
            view! {
                <ul><HistoryRow item selected=picked
                    on_toggle=Callback::new(move |id| toggled.update(|t| t.push(id))) /></ul>
            }
        });
        assert_eq!(text(&root, ".history-row__id"), "run_t");
        assert_eq!(text(&root, ".status__label"), "succeeded");
        assert_eq!(text(&root, ".history-row__duration"), "Duration 30.0 s");
        assert_eq!(text(&root, ".history-row__progress"), "12/12 steps");
        assert_eq!(
            count(&root, "img"),
            0,
            "an unsafe thumbnail URL is not loaded"
        );
        let label = root.query_selector("label").unwrap().unwrap();
        assert_eq!(label.text_content().unwrap(), "Pick run_t to compare");
        let checkbox: web_sys::HtmlInputElement = root
            .query_selector("input[type=checkbox]")
            .unwrap()
            .unwrap()
            .unchecked_into();
        assert!(!checkbox.checked());
        checkbox.click();
        assert_eq!(toggled.get_untracked(), vec!["run_t".to_string()]);
        picked.set(true);
        leptos::task::tick().await;
        assert!(checkbox.checked());
        assert_eq!(count(&root, ".history-row--picked"), 1);
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    async fn the_history_page_lists_newest_first_loads_more_and_keeps_picks_in_the_url() {
        let item = |id: &str, at: &str, status: &str| {
            format!(
                r#"{{"runId":"{id}","status":"{status}","startedAt":"{at}","completedAt":"{at}"}}"#
            )
        };
        let page1 = format!(
            r#"{{"runs":[{},{}],"nextCursor":"c2"}}"#,
            item("run_old", "2026-03-20T10:00:00Z", "succeeded"),
            item("run_new", "2026-03-20T12:00:00Z", "failed")
        );
        let page2 = format!(
            r#"{{"items":[{}]}}"#,
            item("run_older", "2026-03-19T10:00:00Z", "succeeded")
        );
        route_fetch(&[("cursor=c2", page2), ("/blueprints/bp_t/runs", page1)]);
        let back = location();
        go("/blueprints/bp_t");
        let (root, h) = mount(pages);
        until("the first page", || count(&root, ".history-row") == 2).await;
        assert_eq!(texts(&root, ".history-row__id"), ["run_new", "run_old"]);
        let button = |name: &str| {
            let all = root.query_selector_all("button").unwrap();
            (0..all.length())
                .map(|i| {
                    all.item(i)
                        .unwrap()
                        .unchecked_into::<web_sys::HtmlButtonElement>()
                })
                .find(|b| b.text_content().unwrap_or_default().trim() == name)
        };
        assert!(button("Compare").unwrap().disabled());
        button("Load more").unwrap().click();
        until("the second page", || count(&root, ".history-row") == 3).await;
        assert_eq!(location(), "/blueprints/bp_t?pages=2");
        assert_eq!(
            texts(&root, ".history-row__id"),
            ["run_new", "run_old", "run_older"]
        );
        assert!(
            button("Load more").is_none(),
            "the last page offers no more"
        );
        let boxes = root.query_selector_all("input[type=checkbox]").unwrap();
        for i in [0, 2] {
            boxes
                .item(i)
                .unwrap()
                .unchecked_into::<web_sys::HtmlElement>()
                .click();
            let picked = count(&root, ".history-row--picked");
            until("the pick", || count(&root, ".history-row--picked") > picked).await;
        }
        assert_eq!(location(), "/blueprints/bp_t?pages=2&sel=run_new,run_older");
        button("Compare").unwrap().click();
        until("the compare URL", || location().starts_with("/compare/")).await;
        assert_eq!(location(), "/compare/run_older/run_new");
        // Every run was final: no poll after the pages were fetched (page 1,
        // then pages 1 and 2 for "Load more").
        let history_calls = || urls().iter().filter(|u| u.contains("/blueprints/")).count();
        assert_eq!(history_calls(), 3, "{:?}", urls());
        sleep(1_300).await;
        drop(h);
        assert_eq!(
            history_calls(),
            3,
            "no polling of a settled history: {:?}",
            urls()
        );
        restore_fetch();
        go(&back);
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    async fn the_compare_page_sums_up_matches_steps_and_swaps_by_url() {
        let finished = GOLDEN.replace(
            "\"status\": \"running\",\n  \"startedAt\"",
            "\"status\": \"succeeded\",\n  \"startedAt\"",
        );
        assert_ne!(finished, GOLDEN);
        route_fetch(&[
            ("/runs/run_a", finished.replace("run_abc123", "run_a")),
            ("/runs/run_b", finished.replace("run_abc123", "run_b")),
        ]);
        let back = location();
        go("/compare/run_a/run_b");
        let (root, _h) = mount(pages);
        until("both runs", || count(&root, ".compare-table tbody tr") > 0).await;
        assert_eq!(texts(&root, ".compare__ids code"), ["run_a", "run_b"]);
        let steps = texts(&root, ".compare-table tbody th");
        assert_eq!(steps.len() as u32, count(&root, ".compare-table tbody tr"));
        assert!(!steps.is_empty());
        // The same run twice: every timed step reads "same", none is only in one run.
        assert_eq!(count(&root, ".compare-table__only"), 0);
        assert_eq!(count(&root, ".compare-table .delta--faster"), 0);
        assert_eq!(count(&root, ".compare-table .delta--slower"), 0);
        let swap = root
            .query_selector(".compare__actions button")
            .unwrap()
            .unwrap()
            .unchecked_into::<web_sys::HtmlElement>();
        assert_eq!(swap.text_content().unwrap(), "Swap A and B");
        swap.click();
        until("the swapped view", || {
            texts(&root, ".compare__ids code") == ["run_b", "run_a"]
                && count(&root, ".compare-table tbody tr") > 0
        })
        .await;
        assert_eq!(location(), "/compare/run_b/run_a");
        assert_eq!(texts(&root, ".compare__ids code"), ["run_b", "run_a"]);
        restore_fetch();
        go(&back);
    }
}
