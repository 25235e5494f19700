//! Media economy: images wait until near the screen, only the lead video
//! preloads, Save-Data stops even that.

use crate::harness::*;
use leptos::prelude::*;
use runview::components::{MediaImg, OutputPreview};
use runview::model::outputs::GalleryItem;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

/// The first `<img>` under `root`.
fn img(root: &web_sys::HtmlElement) -> web_sys::Element {
    root.query_selector("img").unwrap().expect("an img")
}

#[wasm_bindgen_test]
async fn an_image_far_below_the_screen_gets_its_src_only_when_scrolled_near() {
    // A scroller of its own, fixed on screen: other tests run meanwhile, and
    // neither the document's height nor the window's scroll is touched.
    let (root, _h) = mount(|| {
        view! {
            <div class="far-scroller" style="position: fixed; top: 0; left: 0; width: 200px; height: 300px; overflow: auto">
                <div style="height: 4000px"></div>
                <MediaImg class="t" src="https://media.invalid/far.png".to_string() alt="" width=64 height=48 />
            </div>
        }
    });
    frame().await;
    frame().await;
    sleep(100).await;
    let el = img(&root);
    assert_eq!(
        el.get_attribute("src"),
        None,
        "nothing requested off screen"
    );
    for (attr, want) in [
        ("loading", "lazy"),
        ("decoding", "async"),
        ("referrerpolicy", "no-referrer"),
        ("width", "64"),
        ("height", "48"),
    ] {
        assert_eq!(el.get_attribute(attr).as_deref(), Some(want), "{attr}");
    }
    root.query_selector(".far-scroller")
        .unwrap()
        .unwrap()
        .set_scroll_top(4000);
    until("the src once near", || el.get_attribute("src").is_some()).await;
    assert_eq!(
        el.get_attribute("src").as_deref(),
        Some("https://media.invalid/far.png")
    );
}

#[wasm_bindgen_test]
async fn an_image_in_a_scrolling_row_waits_for_the_row_to_scroll() {
    let (root, _h) = mount(|| {
        view! {
            // Fixed on screen, whatever other tests do to the window's scroll.
            <div class="row" style="position: fixed; top: 0; left: 0; display: flex; overflow-x: auto; width: 200px">
                {(0..40).map(|i| view! {
                    <div style="flex: none; width: 100px">
                        <MediaImg class="t" src=format!("https://media.invalid/{i}.png") alt="" width=100 height=20 />
                    </div>
                }).collect_view()}
            </div>
        }
    });
    let with_src = || {
        let list = root.query_selector_all("img[src]").unwrap();
        list.length()
    };
    until("the images in view", || with_src() > 0).await;
    sleep(100).await;
    let at_rest = with_src();
    assert!(
        (2..=8).contains(&at_rest),
        "what is in view plus the margin, not all 40: {at_rest}"
    );
    let row: web_sys::HtmlElement = root
        .query_selector(".row")
        .unwrap()
        .unwrap()
        .unchecked_into();
    row.set_scroll_left(2000);
    until("more as the row scrolls", || with_src() > at_rest).await;
    assert!(with_src() < 40);
}

#[wasm_bindgen_test]
async fn eager_images_load_at_once() {
    let (root, _h) = mount(|| {
        view! {
            <div style="height: 4000px"></div>
            <MediaImg class="t" src="https://media.invalid/hero.png".to_string() alt="hero" width=64 height=48 eager=true />
        }
    });
    assert_eq!(
        img(&root).get_attribute("src").as_deref(),
        Some("https://media.invalid/hero.png")
    );
}

/// A video output of the golden run (its final output).
fn video() -> GalleryItem {
    let run = golden();
    GalleryItem {
        output: run.final_outputs[0].clone(),
        step_name: Some("Render video".into()),
    }
}

/// The `preload` of the video a preview renders.
fn preload_of(lead: bool) -> String {
    let (root, _h) = mount(move || view! { <OutputPreview item=video() lead /> });
    let video: web_sys::HtmlVideoElement = root
        .query_selector("video")
        .unwrap()
        .expect("a video")
        .unchecked_into();
    assert!(video.controls(), "a play button");
    video.preload()
}

#[wasm_bindgen_test]
fn only_the_lead_video_preloads_and_save_data_stops_it() {
    assert_eq!(preload_of(true), "metadata");
    assert_eq!(preload_of(false), "none");
    js("Object.defineProperty(navigator, 'connection', { configurable: true, value: { saveData: true } })");
    let saving = preload_of(true);
    js("delete navigator.connection");
    assert_eq!(saving, "none", "Save-Data: no video data until played");
    assert_eq!(preload_of(true), "metadata", "the override is gone");
}
