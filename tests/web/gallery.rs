//! The output gallery.

use crate::harness::*;
use leptos::prelude::*;
use reactive_stores::Store;
use runview::components::OutputGallery;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

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
