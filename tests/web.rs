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

// ======================================================================
// === timeline: row slots, URL state (`?filter=`, `?step=`), keyboard ===
// (the timeline engineer's block; to be moved into tests/web/ on merge)
// ======================================================================
mod timeline {
    use super::*;
    use runview::model::shortcuts::Action;
    use runview::state::page_actions::PageActions;
    use std::cell::Cell;
    use std::rc::Rc;

    /// Restores the page URL when dropped: these tests navigate.
    struct UrlGuard(String);

    impl UrlGuard {
        /// Sets the page's query to `search` (e.g. `"?filter=running"`).
        fn with_query(search: &str) -> Self {
            let location = web_sys::window().unwrap().location();
            let original = format!(
                "{}{}",
                location.pathname().unwrap(),
                location.search().unwrap()
            );
            let path = location.pathname().unwrap();
            replace_url(&format!("{path}{search}"));
            Self(original)
        }
    }

    impl Drop for UrlGuard {
        fn drop(&mut self) {
            replace_url(&self.0);
        }
    }

    fn replace_url(url: &str) {
        web_sys::window()
            .unwrap()
            .history()
            .unwrap()
            .replace_state_with_url(&JsValue::NULL, "", Some(url))
            .unwrap();
    }

    fn search() -> String {
        web_sys::window().unwrap().location().search().unwrap()
    }

    fn active_id() -> String {
        document()
            .active_element()
            .map(|e| e.id())
            .unwrap_or_default()
    }

    fn names(root: &web_sys::HtmlElement) -> Vec<String> {
        let list = root.query_selector_all(".step-row__name").unwrap();
        (0..list.length())
            .map(|i| list.get(i).unwrap().text_content().unwrap_or_default())
            .collect()
    }

    fn rows(root: &web_sys::HtmlElement) -> Vec<web_sys::Element> {
        let list = root.query_selector_all("li.step-row").unwrap();
        (0..list.length())
            .map(|i| list.get(i).unwrap().unchecked_into())
            .collect()
    }

    /// Waits for the reactive flush and one animation frame (focus moves then).
    async fn frame() {
        leptos::task::tick().await;
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .request_animation_frame(&resolve)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
        leptos::task::tick().await;
    }

    /// Mounts the timeline with the page-action registry; returns it too.
    fn mount_timeline(run: Store<Run>) -> (web_sys::HtmlElement, PageActions, impl Drop) {
        let div: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
        document().body().unwrap().append_child(&div).unwrap();
        web_sys::window().unwrap().scroll_to_with_x_and_y(0.0, 0.0);
        let actions = Rc::new(Cell::new(None));
        let out = actions.clone();
        let handle = leptos::mount::mount_to(div.clone(), move || {
            Clock::provide();
            Viewer::provide();
            out.set(Some(PageActions::provide()));
            view! { <Router><StepTimeline run /></Router> }
        });
        (div, actions.get().unwrap(), handle)
    }

    fn large_run(n: usize) -> Run {
        let mut data = golden();
        let template = data.steps[0].clone();
        data.steps = (0..n)
            .map(|i| {
                let mut s = template.clone();
                s.step_id = format!("s{i}");
                s.name = format!("Step {i}");
                s.outputs.clear();
                s
            })
            .collect();
        data
    }

    #[wasm_bindgen_test]
    async fn scrolling_reuses_the_same_row_elements_for_other_steps() {
        let _url = UrlGuard::with_query("");
        let mut data = large_run(1_000);
        let image = golden().steps[0].outputs[0].clone();
        for (i, step) in data.steps.iter_mut().enumerate() {
            let mut output = image.clone();
            output.output_id = format!("out_{i}");
            output.url = Some(format!("https://media.invalid/{i}.png"));
            step.outputs = vec![output];
        }
        let run = Store::new(data);
        let (root, _actions, _h) = mount_timeline(run);
        frame().await;
        let before = rows(&root);
        let first_names = names(&root);
        let imgs = |root: &web_sys::HtmlElement| -> Vec<web_sys::Element> {
            let list = root.query_selector_all("li.step-row img").unwrap();
            (0..list.length())
                .map(|i| list.get(i).unwrap().unchecked_into())
                .collect()
        };
        let thumbs_before = imgs(&root);
        assert_eq!(thumbs_before.len(), before.len(), "one thumbnail per row");
        assert_eq!(
            thumbs_before[0].get_attribute("src").as_deref(),
            Some("https://media.invalid/0.png")
        );
        assert_eq!(
            thumbs_before[0].get_attribute("loading").as_deref(),
            Some("lazy")
        );
        assert_eq!(
            thumbs_before[0].get_attribute("decoding").as_deref(),
            Some("async")
        );
        assert_eq!(first_names[0], "Step 0");
        assert_eq!(first_names.len(), before.len());
        let list: web_sys::HtmlElement =
            root.query_selector("ol").unwrap().unwrap().unchecked_into();
        let window = web_sys::window().unwrap();
        let top = list.get_bounding_client_rect().top() + window.scroll_y().unwrap();
        let row_h = before[0].get_bounding_client_rect().height();
        window.scroll_to_with_x_and_y(0.0, top + 500.0 * row_h);
        window
            .dispatch_event(&web_sys::Event::new("scroll").unwrap())
            .unwrap();
        frame().await;
        frame().await;
        let after = rows(&root);
        assert_eq!(after.len(), before.len(), "the window keeps its length");
        for (i, (a, b)) in before.iter().zip(&after).enumerate() {
            assert!(a == b, "slot {i} is a new element");
        }
        let thumbs_after = imgs(&root);
        assert_eq!(thumbs_after.len(), thumbs_before.len());
        for (i, (a, b)) in thumbs_before.iter().zip(&thumbs_after).enumerate() {
            assert!(a == b, "thumbnail {i} is a new element");
        }
        let shown = names(&root);
        assert!(shown.contains(&"Step 500".to_string()), "{shown:?}");
        assert!(!shown.contains(&"Step 0".to_string()), "{shown:?}");
        // Slots stay in index order: the DOM order is the visual order.
        let numbers: Vec<usize> = shown
            .iter()
            .map(|n| n.trim_start_matches("Step ").parse().unwrap())
            .collect();
        assert!(numbers.windows(2).all(|w| w[1] == w[0] + 1), "{numbers:?}");
        assert_eq!(
            after[0].id(),
            format!("step-s{}", numbers[0]),
            "the row's id follows its step"
        );
        // While scrolling, a moved thumbnail shows an empty tile (never the
        // previous step's image) and requests its new image at rest.
        assert!(thumbs_after[0]
            .class_list()
            .contains("step-row__thumb--pending"));
        sleep(300).await;
        frame().await;
        assert_eq!(
            thumbs_after[0].get_attribute("src"),
            Some(format!("https://media.invalid/{}.png", numbers[0])),
            "the thumbnail follows its step"
        );
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }

    #[wasm_bindgen_test]
    async fn a_changed_step_in_a_long_run_touches_only_its_row() {
        let _url = UrlGuard::with_query("");
        let run = Store::new(large_run(1_000));
        let (root, _actions, _h) = mount_timeline(run);
        frame().await;
        observe(&root, "muts_large_same");
        patch_run(run, large_run(1_000));
        frame().await;
        assert_eq!(mutations("muts_large_same"), Vec::<String>::new());
        let mut next = large_run(1_000);
        next.steps[3].name = "Renamed".into();
        observe(&root, "muts_large_one");
        patch_run(run, next);
        frame().await;
        // The name's text and the permalink's label, both in that row.
        assert_eq!(mutations("muts_large_one"), vec!["step-s3".to_string(); 2]);
        assert_eq!(text(&root, "#step-s3 .step-row__name"), "Renamed");
    }

    #[wasm_bindgen_test]
    async fn j_and_k_move_the_focus_and_the_step_in_the_url() {
        let _url = UrlGuard::with_query("");
        let run = Store::new(golden());
        let (root, actions, _h) = mount_timeline(run);
        frame().await;
        assert!(actions.run(Action::NextStep), "the timeline registered j");
        frame().await;
        assert_eq!(active_id(), "step-step_001");
        assert_eq!(search(), "?step=step_001");
        let row = root.query_selector("#step-step_001").unwrap().unwrap();
        assert_eq!(row.get_attribute("tabindex").as_deref(), Some("0"));
        assert_eq!(row.get_attribute("aria-current").as_deref(), Some("true"));
        assert!(row.class_list().contains("step-row--highlight"));

        actions.run(Action::NextStep);
        frame().await;
        actions.run(Action::NextStep);
        frame().await;
        assert_eq!(active_id(), "step-step_003");
        actions.run(Action::NextStep);
        frame().await;
        assert_eq!(active_id(), "step-step_003", "j stops at the last step");
        actions.run(Action::PrevStep);
        frame().await;
        assert_eq!(active_id(), "step-step_002");
        assert_eq!(search(), "?step=step_002");
        let old = root.query_selector("#step-step_001").unwrap().unwrap();
        assert_eq!(old.get_attribute("tabindex").as_deref(), Some("-1"));
        assert_eq!(count(&root, ".step-row--highlight"), 1);

        // A click on a row selects it too (the visible control).
        root.query_selector("#step-step_003 .step-row__name")
            .unwrap()
            .unwrap()
            .unchecked_into::<web_sys::HtmlElement>()
            .click();
        frame().await;
        assert_eq!(search(), "?step=step_003");
        assert_eq!(count(&root, "#step-step_003.step-row--highlight"), 1);
    }

    #[wasm_bindgen_test]
    async fn enter_opens_the_selected_steps_outputs() {
        let _url = UrlGuard::with_query("?step=step_001");
        let run = Store::new(golden());
        let viewer = Rc::new(Cell::new(None));
        let out = viewer.clone();
        let div: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
        document().body().unwrap().append_child(&div).unwrap();
        let actions = Rc::new(Cell::new(None));
        let actions_out = actions.clone();
        let _h = leptos::mount::mount_to(div, move || {
            Clock::provide();
            out.set(Some(Viewer::provide()));
            actions_out.set(Some(PageActions::provide()));
            view! { <Router><StepTimeline run /><runview::components::Lightbox /></Router> }
        });
        let actions = actions.get().unwrap();
        frame().await;
        assert!(actions.run(Action::OpenStep));
        frame().await;
        let dialog = document()
            .query_selector("[role=dialog][aria-label='Output viewer']")
            .unwrap()
            .expect("the viewer opened");
        assert!(dialog
            .text_content()
            .unwrap()
            .contains("Generate background"));
        viewer.get().unwrap().close();
    }

    #[wasm_bindgen_test]
    async fn the_filter_lives_in_the_url_and_back_restores_it() {
        let _url = UrlGuard::with_query("?filter=running");
        let run = Store::new(golden());
        let (root, actions, _h) = mount_timeline(run);
        frame().await;
        assert_eq!(names(&root), ["Publish"], "?filter=running on load");
        let select: web_sys::HtmlSelectElement = root
            .query_selector("select")
            .unwrap()
            .unwrap()
            .unchecked_into();
        assert_eq!(select.value(), "running");

        // The control pushes a history entry.
        let history = web_sys::window().unwrap().history().unwrap();
        let entries = history.length().unwrap();
        select.set_value("succeeded");
        select
            .dispatch_event(&web_sys::Event::new("change").unwrap())
            .unwrap();
        frame().await;
        assert_eq!(search(), "?filter=succeeded");
        assert_eq!(history.length().unwrap(), entries + 1);
        assert_eq!(names(&root), ["Generate background", "Render video"]);

        // Back restores the previous filter.
        history.back().unwrap();
        sleep(100).await;
        frame().await;
        assert_eq!(search(), "?filter=running");
        assert_eq!(names(&root), ["Publish"]);
        assert_eq!(select.value(), "running");

        // `f` cycles: running → queued (none) → succeeded; "all" drops the parameter.
        actions.run(Action::CycleFilter);
        frame().await;
        assert_eq!(search(), "?filter=queued");
        assert_eq!(count(&root, "li.step-row"), 0);
        assert_eq!(
            text(&root, ".timeline .empty"),
            "No steps match this filter."
        );
        for _ in 0..4 {
            actions.run(Action::CycleFilter);
            frame().await;
        }
        assert_eq!(search(), "");
        assert_eq!(count(&root, "li.step-row"), 3);
    }

    #[wasm_bindgen_test]
    async fn bars_are_positioned_through_css_properties_not_style_strings() {
        let _url = UrlGuard::with_query("");
        let run = Store::new(golden());
        let (root, _actions, _h) = mount_timeline(run);
        frame().await;
        let bar: web_sys::HtmlElement = root
            .query_selector("#step-step_001 .step-row__bar")
            .unwrap()
            .unwrap()
            .unchecked_into();
        // step_001 ran 9 s from the axis start: CSSOM custom properties.
        assert_eq!(
            bar.get_attribute("style").as_deref(),
            Some("--start: 0; --len: 9000;")
        );
        let hidden = root
            .query_selector("#step-step_001 .badge--attempt")
            .unwrap()
            .unwrap();
        assert!(hidden.has_attribute("hidden"), "first attempt: no badge");
    }
}
