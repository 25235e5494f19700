use crate::components::OutputPreview;
use crate::model::outputs::{GalleryItem, MediaKind};
use crate::model::url::safe_url;
use leptos::ev;
use leptos::prelude::*;

/// The full-size viewer's state, shared as context: the list being browsed
/// and which item is open.
#[derive(Clone, Copy)]
pub struct Viewer {
    items: RwSignal<Vec<GalleryItem>>,
    index: RwSignal<Option<usize>>,
}

impl Viewer {
    /// Creates a closed viewer and provides it as context.
    pub fn provide() -> Self {
        let viewer = Self {
            items: RwSignal::new(Vec::new()),
            index: RwSignal::new(None),
        };
        provide_context(viewer);
        viewer
    }

    /// The viewer from context.
    pub fn expect() -> Self {
        expect_context::<Self>()
    }

    /// Opens `items` at the output with `output_id`.
    pub fn open(&self, items: Vec<GalleryItem>, output_id: &str) {
        let at = items
            .iter()
            .position(|i| i.output.output_id == output_id)
            .unwrap_or(0);
        self.items.set(items);
        self.index.set(Some(at));
    }

    /// Opens a single output.
    pub fn open_one(&self, item: GalleryItem) {
        self.items.set(vec![item]);
        self.index.set(Some(0));
    }

    /// Closes the viewer.
    pub fn close(&self) {
        self.index.set(None);
    }

    /// Moves by `delta` items, wrapping around.
    pub fn step(&self, delta: isize) {
        let len = self.items.with_untracked(Vec::len) as isize;
        if len > 0 {
            self.index.update(|i| {
                if let Some(i) = i {
                    *i = (*i as isize + delta).rem_euclid(len) as usize;
                }
            });
        }
    }
}

/// A full-size view of one output over the page: Esc closes, arrow keys
/// move, with download and copy-link buttons.
#[component]
pub fn Lightbox() -> impl IntoView {
    let viewer = Viewer::expect();
    let current = Memo::new(move |_| {
        viewer
            .index
            .get()
            .and_then(|i| viewer.items.with(|items| items.get(i).cloned()))
    });
    let keys = window_event_listener(ev::keydown, move |ev| {
        if viewer.index.get_untracked().is_none() {
            return;
        }
        match ev.key().as_str() {
            "Escape" => viewer.close(),
            "ArrowRight" => viewer.step(1),
            "ArrowLeft" => viewer.step(-1),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || keys.remove());
    let close_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if current.with(Option::is_some) {
            if let Some(button) = close_ref.get() {
                let _ = button.focus();
            }
        }
    });
    let copied = RwSignal::new(false);
    view! {
        <Show when=move || current.with(Option::is_some)>
            <div class="lightbox" role="dialog" aria-modal="true" aria-label="Output viewer"
                on:click=move |ev| {
                    if event_target::<web_sys::Element>(&ev).class_list().contains("lightbox") {
                        viewer.close();
                    }
                }>
                <div class="lightbox__frame">
                    <div class="lightbox__bar">
                        <span class="lightbox__title">
                            {move || current.get().map(|i| format!(
                                "{} · {} {}",
                                i.step_name.unwrap_or_default(),
                                MediaKind::of(&i.output).label(),
                                i.output.output_id
                            ))}
                        </span>
                        <button type="button" class="button" on:click=move |_| viewer.step(-1) aria-label="Previous output">"←"</button>
                        <button type="button" class="button" on:click=move |_| viewer.step(1) aria-label="Next output">"→"</button>
                        {move || current.get().and_then(|i| i.output.url.as_deref().and_then(safe_url).map(str::to_string)).map(|href| {
                            let copy_href = href.clone();
                            view! {
                                <a class="button" href=href download rel="noreferrer noopener" target="_blank">"Download"</a>
                                <button type="button" class="button" on:click=move |_| {
                                    if let Some(w) = web_sys::window() {
                                        let _ = w.navigator().clipboard().write_text(&copy_href);
                                        copied.set(true);
                                    }
                                }>{move || if copied.get() { "Link copied" } else { "Copy link" }}</button>
                            }
                        })}
                        <button type="button" class="button" node_ref=close_ref on:click=move |_| viewer.close() aria-label="Close viewer">"✕"</button>
                    </div>
                    <div class="lightbox__body">
                        {move || current.get().map(|item| {
                            copied.set(false);
                            view! { <OutputPreview item /> }
                        })}
                    </div>
                </div>
            </div>
        </Show>
    }
}
