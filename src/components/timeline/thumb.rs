//! One output thumbnail slot in a timeline row: like the row, it is created
//! once and shows whichever output it is handed, so scrolling a long run
//! changes an `<img>`'s `src` instead of creating elements.

use crate::components::near_view::use_near_view;
use crate::model::outputs::MediaKind;
use crate::model::timeline::ThumbView;
use crate::model::url::safe_url;
use leptos::prelude::*;

/// Whether the `load`/`error` event of `img` belongs to its current `src`
/// (not to a URL it showed before the slot moved on).
fn settled_for_current_src(img: &web_sys::EventTarget) -> bool {
    let read = |key: &str| {
        js_sys::Reflect::get(img, &key.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    read("currentSrc") == read("src")
}

/// A small preview of one output, as a button that opens it in the viewer:
/// the image itself for images (loaded lazily, decoded off the main thread,
/// at low priority, no referrer, only once near the screen), the kind
/// (`video`, `text`, …) otherwise.
/// While a new image loads the slot shows an empty tile, never the image of
/// the step it showed before. With no output (its step has fewer outputs
/// than the slot's place) the slot is hidden.
#[component]
pub fn StepThumb(
    /// The output this slot shows now; it changes as a long list scrolls.
    /// Pass a memo: every part of the thumbnail reads it.
    #[prop(into)]
    output: Signal<Option<ThumbView>>,
    /// Called with the output's key when the thumbnail is clicked.
    on_open: Callback<String>,
    /// While true (the list is scrolling), a new image is not requested
    /// yet: the tile stays empty until the list comes to rest.
    #[prop(into)]
    defer: Signal<bool>,
) -> impl IntoView {
    let kind = move || output.with(|o| o.as_ref().map_or(MediaKind::Other, |o| o.kind));
    let ThumbImage {
        checked,
        requested,
        settled,
    } = use_thumb_image(output, defer);
    let src_hidden = move || checked.with(|c| c.as_ref().is_some_and(Option::is_none));
    let settle = move |target: Option<web_sys::EventTarget>| {
        let current = requested.get_untracked();
        if target.is_some_and(|t| settled_for_current_src(&t))
            && settled.with_untracked(|s| *s != current)
        {
            settled.set(current);
        }
    };
    let pending = move || checked.with(|c| c.as_ref().is_none_or(|s| settled.with(|l| s != l)));
    // A slot clipped out of its row (a step with more outputs than fit) or
    // off screen requests nothing.
    let img = NodeRef::<leptos::html::Img>::new();
    let near = use_near_view(img);
    view! {
        <button
            type="button"
            class="step-row__output"
            hidden=move || output.with(Option::is_none)
            aria-label=move || output.with(|o| o.as_ref().map(|o| format!("Open {} output {}", o.kind.label(), o.id)))
            on:click=move |_| {
                if let Some(key) = output.with_untracked(|o| o.as_ref().map(|o| o.key.clone())) {
                    on_open.run(key);
                }
            }
        >
            <img
                class="preview preview--image"
                class:step-row__thumb--pending=pending
                hidden=src_hidden
                node_ref=img
                src=move || if near.get() { requested.get() } else { None }
                // The button's label names it; the image is its picture.
                alt=""
                loading="lazy"
                decoding="async"
                fetchpriority="low"
                referrerpolicy="no-referrer"
                width="40"
                height="40"
                on:load=move |ev| settle(ev.target())
                on:error=move |ev| settle(ev.target())
            />
            <span class="preview preview--file" hidden=move || !src_hidden()>
                <span class="preview__kind">{move || kind().label()}</span>
            </span>
        </button>
    }
}

/// What a thumbnail slot's `<img>` shows, from [`use_thumb_image`].
struct ThumbImage {
    /// The image's URL as sent, and whether it is safe to load: checked
    /// (`Some`) once the list is at rest, not for every step scrolled past;
    /// `Some(None)` for no image to load. While unchecked, an image tile
    /// stays empty.
    checked: Memo<Option<Option<String>>>,
    /// The URL the `<img>` requests: the slot's image, once checked.
    requested: RwSignal<Option<String>>,
    /// The URL whose image has loaded (or failed): until it is the slot's
    /// image, the `<img>` is transparent, never showing the step before.
    settled: RwSignal<Option<String>>,
}

/// The image of a thumbnail slot showing `output`, put off while `defer`.
fn use_thumb_image(output: Signal<Option<ThumbView>>, defer: Signal<bool>) -> ThumbImage {
    let is_image = move || {
        output.with(|o| {
            o.as_ref()
                .is_some_and(|o| o.kind == MediaKind::Image && o.url.is_some())
        })
    };
    let checked = Memo::new(move |_| {
        if !is_image() {
            Some(None)
        } else if defer.get() {
            None
        } else {
            Some(output.with(|o| {
                o.as_ref()
                    .and_then(|o| o.url.as_deref())
                    .and_then(safe_url)
                    .map(str::to_string)
            }))
        }
    });
    let requested = RwSignal::new(checked.get_untracked().flatten());
    Effect::new(move |_| {
        if let Some(want) = checked.get() {
            if requested.with_untracked(|r| *r != want) {
                requested.set(want);
            }
        }
    });
    ThumbImage {
        checked,
        requested,
        settled: RwSignal::new(checked.get_untracked().flatten()),
    }
}
