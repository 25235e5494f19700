//! The output gallery.

use crate::harness::*;
use leptos::prelude::*;
use reactive_stores::Store;
use runview::components::OutputGallery;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn gallery_shows_finals_then_a_filmstrip_and_blocks_unsafe_urls() {
    let mut data = golden();
    data.steps[0].outputs.push(serde_json::from_str(
        r#"{"type":"inference","outputId":"evil","url":"javascript:alert(1)","mimeType":"image/png"}"#,
    ).unwrap());
    let run = Store::new(data);
    let (root, _h) = mount(move || view! { <OutputGallery run /> });
    let video: web_sys::HtmlVideoElement = root
        .query_selector(".gallery__card video")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(video.src(), "https://storage.example.com/video.mp4");
    // Not the lead video (the hero is): no data until played.
    assert_eq!(video.preload(), "none");
    assert!(video.controls());
    assert_eq!(count(&root, ".gallery__card"), 1, "the one final output");
    // Intermediates: one filmstrip row (the step that made them), no toggle.
    assert_eq!(count(&root, ".gallery__toggle"), 0);
    assert_eq!(count(&root, ".filmstrip__group"), 1);
    assert_eq!(text(&root, ".filmstrip__step"), "Generate background");
    let tiles: Vec<String> = (0..count(&root, ".filmstrip__tile"))
        .map(|i| {
            root.query_selector_all(".filmstrip__tile")
                .unwrap()
                .item(i)
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(
        tiles,
        ["image ijo_1, full size", "image evil, full size"],
        "visible kind first, then the id for screen readers"
    );
    let img: web_sys::HtmlImageElement = root
        .query_selector(".filmstrip__tile img")
        .unwrap()
        .unwrap()
        .unchecked_into();
    img.scroll_into_view();
    until("the tile's image near the screen", || {
        img.has_attribute("src")
    })
    .await;
    assert_eq!(img.src(), "https://storage.example.com/output.png");
    assert_eq!(img.get_attribute("loading").as_deref(), Some("lazy"));
    assert_eq!((img.width(), img.height()), (1920, 1080), "space reserved");
    assert_eq!(
        count(&root, ".filmstrip__tile img"),
        1,
        "no image for the unsafe URL"
    );
    let html = root.inner_html();
    assert!(!html.contains("javascript"), "{html}");
}
