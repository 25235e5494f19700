//! What every browser test shares: mounting a view, reading the DOM, and
//! the three global overrides a test may need (a fetch spy, the page's
//! visibility, a fake clock). Each override is a guard: dropping it puts the
//! platform back as it was, so no test leaks into the next.

use leptos::prelude::*;
use leptos_router::components::Router;
use runview::api::decode::decode_run;
use runview::api::Run;
use runview::components::Viewer;
use runview::state::clock::Clock;
use wasm_bindgen::{JsCast, JsValue};

/// The golden `GET /api/v1/runs/run_abc123` body of the API contract.
pub const GOLDEN: &str = include_str!("../fixtures/run_abc123.json");

/// The golden run, decoded.
pub fn golden() -> Run {
    decode_run(200, GOLDEN, None).unwrap()
}

/// Patches `new` into `store` as a poll would (every step diffed by key).
/// The steps' keys are registered first, as `run_store::load` leaves them
/// in the app before any poll.
pub fn patch(store: reactive_stores::Store<Run>, mut new: Run) {
    use runview::api::RunStoreFields;
    store.steps().update_keys();
    let steps = std::mem::take(&mut new.steps);
    runview::state::run_store::apply(store, new, runview::api::decode::Steps::Replace(steps));
}

/// The golden body with the run (not its steps) in `status`.
pub fn golden_with_status(status: &str) -> String {
    let from = "\"status\": \"running\",\n  \"startedAt\"";
    assert!(GOLDEN.contains(from), "the fixture's run status moved");
    GOLDEN.replace(from, &format!("\"status\": \"{status}\",\n  \"startedAt\""))
}

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts a view (inside a router, with the app's clock and viewer context)
/// into a fresh element; keep the handle alive while asserting, drop it to
/// unmount.
pub fn mount<V: IntoView + 'static>(
    f: impl FnOnce() -> V + 'static,
) -> (web_sys::HtmlElement, impl Drop) {
    let div: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&div).unwrap();
    // The router wants `Send` children; the browser has one thread, and a test
    // view may hold `Rc` state (a fake clock, counters).
    let f = send_wrapper::SendWrapper::new(f);
    // Test isolation: the view's reactive owner is disposed on drop.
    // Dropping `mount_to`'s handle only removes the DOM: effects whose owner
    // is still referenced live on (a poller would keep answering
    // `visibilitychange` in later tests). The view is mounted under an owner
    // of ours, cleaned up after the unmount, so no test leaks into the next
    // whatever order the runner picks.
    let owner = Owner::new();
    let handle = owner.with(|| {
        leptos::mount::mount_to(div.clone(), move || {
            Clock::provide();
            Viewer::provide();
            view! { <Router>{(f.take())()}</Router> }
        })
    });
    (div, Mounted(Some(handle), owner))
}

/// A mounted view: dropping it unmounts it, then disposes its owner.
struct Mounted<H>(Option<H>, Owner);

impl<H> Drop for Mounted<H> {
    fn drop(&mut self) {
        self.0.take();
        self.1.cleanup();
    }
}

/// The text of the first element matching `selector` (panics if none).
pub fn text(root: &web_sys::HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .text_content()
        .unwrap_or_default()
}

/// How many elements match `selector`.
pub fn count(root: &web_sys::HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

/// Evaluates JavaScript in the page.
pub fn js(src: &str) -> JsValue {
    js_sys::eval(src).unwrap()
}

/// Waits `ms` of real time: only for the browser's own asynchronous work
/// (layout, observers), never to let the app's timers fire (use a fake
/// clock for those).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits (real time, up to 3 s) until `ready()` holds: for the browser's
/// own asynchronous work, such as an `IntersectionObserver` reporting.
pub async fn until(what: &str, ready: impl Fn() -> bool) {
    for _ in 0..150 {
        if ready() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for {what}");
}

/// Waits for the reactive flush and one animation frame (focus moves then;
/// content waiting for a paint is built after it).
pub async fn frame() {
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

/// Lets pending promises, spawned tasks and reactive effects run (a few
/// macrotask turns), so a request answered by the spy reaches the app.
pub async fn settle() {
    for _ in 0..4 {
        sleep(0).await;
        leptos::task::tick().await;
    }
}

/// Starts recording DOM mutations under `root` as `name`: each record names
/// the step row it happened in, or the element's class.
pub fn observe(root: &web_sys::HtmlElement, name: &str) {
    root.set_id(name);
    js(&format!(
        "window['{name}'] = []; new MutationObserver(rs => rs.forEach(r => {{
            const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
            const row = el && el.closest('li.step-row');
            window['{name}'].push(row ? row.id : (el ? el.className || el.tagName : '?'));
         }})).observe(document.getElementById('{name}'), {{subtree: true, childList: true, attributes: true, characterData: true}});"
    ));
}

/// The mutations recorded by [`observe`] as `name`.
pub fn mutations(name: &str) -> Vec<String> {
    let arr: js_sys::Array = js(&format!("window['{name}']")).unchecked_into();
    arr.iter()
        .map(|v| v.as_string().unwrap_or_default())
        .collect()
}

/// A spy on `window.fetch` for `/api/` URLs (others go to the real fetch).
/// Every API request is recorded; it is answered with the current reply
/// (or the body of the first [`route`](Self::route) its URL matches) at once, or, while [`hold`](Self::hold) is on, kept pending until
/// [`release`](Self::release). Abort signals are honoured. Dropping the spy
/// restores the real `fetch`.
pub struct FetchSpy(());

impl FetchSpy {
    /// Installs the spy, answering `200` with `body`.
    pub fn new(body: &str) -> Self {
        js(r#"(() => {
          // A test that failed before its guard dropped may have left one.
          if (window.__fetchSpy) window.fetch = window.__fetchSpy.real;
          const real = window.fetch;
          const s = window.__fetchSpy = {
            real, calls: 0, inFlight: 0, maxInFlight: 0, aborted: 0, hold: false,
            status: 200, body: '', headers: {}, pending: [], requests: [], routes: [],
          };
          s.answer = (p) => {
            const hit = s.routes.find(([part]) => p.url.includes(part));
            const [status, body] = hit ? [200, hit[1]] : [s.status, s.body];
            p.resolve(new Response(status === 204 ? null : body,
              { status, headers: Object.assign({ 'Content-Type': 'application/json' }, s.headers) }));
          };
          window.fetch = (input, init) => {
            const url = typeof input === 'string' ? input : input.url;
            if (!url.includes('/api/')) return real(input, init);
            const signal = (init && init.signal) || (typeof input === 'object' ? input.signal : undefined);
            const headers = new Headers((init && init.headers) || (typeof input === 'object' ? input.headers : undefined));
            s.requests.push({
              url,
              redirect: (init && init.redirect) || (typeof input === 'object' ? input.redirect : 'follow'),
              authorization: headers.get('Authorization'),
              project: headers.get('X-Wonda-Project'),
            });
            s.calls++; s.inFlight++; s.maxInFlight = Math.max(s.maxInFlight, s.inFlight);
            return new Promise((resolve, reject) => {
              let done = false;
              const p = {
                url,
                resolve: (r) => { if (done) return; done = true; s.inFlight--; resolve(r); },
              };
              if (signal) signal.addEventListener('abort', () => {
                if (done) return; done = true; s.inFlight--; s.aborted++;
                reject(new DOMException('The request was aborted', 'AbortError'));
              });
              if (s.hold) s.pending.push(p); else s.answer(p);
            });
          };
        })()"#);
        let spy = Self(());
        spy.reply(200, body);
        spy
    }

    /// Answers later requests (and released ones) with `status` and `body`.
    pub fn reply(&self, status: u16, body: &str) {
        js(&format!(
            "window.__fetchSpy.status = {status}; window.__fetchSpy.body = {body:?};"
        ));
    }

    /// Answers later requests whose URL contains `part` with `200` and
    /// `body` (the first matching route wins; a new body for the same
    /// `part` replaces the old one).
    pub fn route(&self, part: &str, body: &str) {
        js(&format!(
            "(() => {{ const r = window.__fetchSpy.routes; const i = r.findIndex(([p]) => p === {part:?});
               if (i >= 0) r[i][1] = {body:?}; else r.push([{part:?}, {body:?}]); }})()"
        ));
    }

    /// The URLs of the API requests made so far, in order.
    pub fn urls(&self) -> Vec<String> {
        let arr: js_sys::Array = js("window.__fetchSpy.requests.map(r => r.url)").unchecked_into();
        arr.iter()
            .map(|v| v.as_string().unwrap_or_default())
            .collect()
    }

    /// Adds a response header to later answers (`Retry-After`, …).
    pub fn reply_header(&self, name: &str, value: &str) {
        js(&format!("window.__fetchSpy.headers[{name:?}] = {value:?};"));
    }

    /// Keeps new requests pending (`true`) or answers them at once.
    pub fn hold(&self, hold: bool) {
        js(&format!("window.__fetchSpy.hold = {hold};"));
    }

    /// Answers every pending request with the current reply.
    pub fn release(&self) {
        js("(() => { const s = window.__fetchSpy; s.pending.splice(0).forEach(s.answer); })()");
    }

    fn number(&self, field: &str) -> u32 {
        js(&format!("window.__fetchSpy.{field}")).as_f64().unwrap() as u32
    }

    /// API requests made so far.
    pub fn calls(&self) -> u32 {
        self.number("calls")
    }

    /// API requests neither answered nor aborted.
    pub fn in_flight(&self) -> u32 {
        self.number("inFlight")
    }

    /// The most API requests ever in flight at once.
    pub fn max_in_flight(&self) -> u32 {
        self.number("maxInFlight")
    }

    /// API requests aborted by their signal before an answer.
    pub fn aborted(&self) -> u32 {
        self.number("aborted")
    }

    /// A field of the `n`th request (0-based): `url`, `redirect`,
    /// `authorization` or `project`.
    pub fn request(&self, n: u32, field: &str) -> Option<String> {
        js(&format!(
            "(() => {{ const r = window.__fetchSpy.requests[{n}]; return r ? r[{field:?}] : undefined; }})()"
        ))
        .as_string()
    }
}

impl Drop for FetchSpy {
    fn drop(&mut self) {
        js("(() => { const s = window.__fetchSpy; if (s) { window.fetch = s.real; delete window.__fetchSpy; } })()");
    }
}

/// The page's visibility as the Page Visibility API reports it, overridden
/// until the guard drops (then the browser's own value is back and a
/// `visibilitychange` event says so).
pub struct Visibility(());

impl Visibility {
    /// Overrides the page as visible; [`set_hidden`](Self::set_hidden) flips it.
    pub fn new() -> Self {
        let v = Self(());
        v.set_hidden(false);
        v
    }

    /// Reports the page hidden (`true`) or visible, and fires `visibilitychange`.
    pub fn set_hidden(&self, hidden: bool) {
        js(&format!(
            "Object.defineProperty(document, 'visibilityState', {{value: '{}', configurable: true}});
             Object.defineProperty(document, 'hidden', {{value: {hidden}, configurable: true}});
             document.dispatchEvent(new Event('visibilitychange'));",
            if hidden { "hidden" } else { "visible" }
        ));
    }
}

impl Drop for Visibility {
    fn drop(&mut self) {
        js("delete document.visibilityState; delete document.hidden;
            document.dispatchEvent(new Event('visibilitychange'));");
    }
}
