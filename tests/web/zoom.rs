//! Timeline zoom: the buttons move the bars (measured with the app's own
//! stylesheet), and the window and squeezed gaps round-trip through the URL.

use crate::harness::document;
use crate::harness::*;
use leptos::prelude::*;
use reactive_stores::Store;
use runview::components::StepTimeline;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

/// Goes to `search` as a link would (the router follows `popstate`).
fn go(search: &str) {
    js(&format!(
        "history.pushState(null, '', location.pathname + '{search}'); dispatchEvent(new PopStateEvent('popstate'))"
    ));
}

fn search() -> String {
    web_sys::window().unwrap().location().search().unwrap()
}

/// Where step `id`'s bar is across its track: (left, width) as fractions.
fn bar(root: &web_sys::HtmlElement, id: &str) -> (f64, f64) {
    let el = root
        .query_selector(&format!("#step-{id} .step-row__bar"))
        .unwrap()
        .unwrap();
    let track = el.parent_element().unwrap().get_bounding_client_rect();
    let b = el.get_bounding_client_rect();
    (
        (b.left() - track.left()) / track.width(),
        b.width() / track.width(),
    )
}

fn button(root: &web_sys::HtmlElement, label: &str) -> web_sys::HtmlElement {
    root.query_selector(&format!(
        ".zoom button[aria-label='{label}'], .zoom button[title^='{label}']"
    ))
    .unwrap()
    .unwrap_or_else(|| panic!("no button {label}"))
    .unchecked_into()
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.01
}

#[wasm_bindgen_test]
async fn zoom_buttons_move_the_bars_and_the_url_round_trips() {
    let home = search();
    let style = document().create_element("style").unwrap();
    style.set_text_content(Some(include_str!("../../style/main.css")));
    document().head().unwrap().append_child(&style).unwrap();
    let run = Store::new(golden());
    let (root, _h) = mount(move || view! { <StepTimeline run /> });
    // The controls and the ruler arrive after the first paint.
    until("the zoom buttons", || count(&root, ".zoom button") == 5).await;

    // A deep link: the first 30 s of the run (step_001 ran 0–9 s of it).
    go("?view=0-30000&gaps=squeeze");
    frame().await;
    let (left, width) = bar(&root, "step_001");
    assert!(near(left, 0.0) && near(width, 0.3), "{left} {width}");
    let squeeze: web_sys::HtmlInputElement = root
        .query_selector(".zoom__squeeze input")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(squeeze.checked(), "?gaps=squeeze checks the switch");
    assert!(text(&root, ".zoom__range").starts_with("0:00–0:30 of "));
    // As many labels as the ruler's measured width has room for.
    until("the ruler labels the window", || {
        count(&root, ".ruler__tick") >= 3
    })
    .await;

    // Zoom in around the middle: 7.5–22.5 s, the bar twice as wide.
    button(&root, "Zoom in").click();
    frame().await;
    assert!(search().contains("view=7500-22500"), "{}", search());
    let (left, width) = bar(&root, "step_001");
    assert!(near(left, -0.5) && near(width, 0.6), "{left} {width}");
    // Later: half a window on.
    button(&root, "Show later").click();
    frame().await;
    assert!(search().contains("view=15000-30000"), "{}", search());
    // Back returns to the previous window; the bars follow the URL alone.
    js("history.back()");
    until("Back restores 7.5–22.5 s", || {
        search().contains("view=7500-22500")
    })
    .await;
    frame().await;
    assert!(near(bar(&root, "step_001").0, -0.5));

    // Fit all and real time remove both parameters.
    button(&root, "Fit the whole run").click();
    squeeze.click();
    frame().await;
    assert!(
        !search().contains("view=") && !search().contains("gaps="),
        "{}",
        search()
    );
    assert_eq!(
        root.query_selector("ol.timeline__rows")
            .unwrap()
            .unwrap()
            .unchecked_into::<web_sys::HtmlElement>()
            .style()
            .get_property_value("--view-from")
            .unwrap(),
        "0"
    );
    go(&home);
    style.remove();
}
