use crate::components::copy::{use_copy, CopyState};
use crate::components::{use_swipe, OutputPreview};
use crate::model::outputs::{GalleryItem, MediaKind};
use crate::model::shortcuts::Action;
use crate::model::swipe::Swipe;
use crate::model::url::safe_url;
use crate::state::page_actions::PageActions;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

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

    /// Opens `items` at the output whose [`key`](crate::api::Output::key) is
    /// `key` (the `outputId`, or a positional key for an output without one,
    /// so two outputs without ids open where they were clicked).
    pub fn open(&self, items: Vec<GalleryItem>, key: &str) {
        let at = items
            .iter()
            .position(|i| i.output.key() == key)
            .unwrap_or(0);
        self.items.set(items);
        self.index.set(Some(at));
    }

    /// Opens a single output.
    pub fn open_one(&self, item: GalleryItem) {
        self.items.set(vec![item]);
        self.index.set(Some(0));
    }

    /// Whether an output is open.
    pub fn is_open(&self) -> Signal<bool> {
        let index = self.index;
        Signal::derive(move || index.with(Option::is_some))
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

/// A full-size view of one output over the page, with previous/next,
/// download, copy-link and close buttons; on a touch screen a swipe moves to
/// the previous or next output. While it is open, the shortcuts
/// ←, →, Esc and `d` (registered here, dispatched by the one keyboard
/// listener and its guard) do what those buttons do.
#[component]
pub fn Lightbox() -> impl IntoView {
    let viewer = Viewer::expect();
    let current = Memo::new(move |_| {
        viewer
            .index
            .get()
            .and_then(|i| viewer.items.with(|items| items.get(i).cloned()))
    });
    let close_ref = NodeRef::<leptos::html::Button>::new();
    let download_ref = NodeRef::<leptos::html::A>::new();
    // Focus moves to "Close" when the viewer opens, and back to where it was
    // (the "View" button, say) when it closes.
    let returns_to = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |was_open: Option<bool>| {
        let open = current.with(Option::is_some);
        if open && was_open != Some(true) {
            returns_to.set_value(
                document()
                    .active_element()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()),
            );
        }
        if open {
            if let Some(button) = close_ref.get() {
                let _ = button.focus();
            }
        } else if was_open == Some(true) {
            if let Some(el) = returns_to.try_update_value(Option::take).flatten() {
                let _ = el.focus();
            }
        }
        open
    });
    let (copied, copy_text) = use_copy();
    // Touch: a swipe to the left shows the next output, to the right the previous.
    let (swipe_start, swipe_end) = use_swipe(Callback::new(move |s: Swipe| viewer.step(s.delta())));
    view! {
        <Show when=move || current.with(Option::is_some)>
            <ViewerKeys viewer download=download_ref />
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
                                <a class="button" node_ref=download_ref href=href download rel="noreferrer noopener" target="_blank">"Download"</a>
                                <button type="button" class="button" on:click=move |_| copy_text(copy_href.clone())>{move || match copied.get() {
                                    CopyState::Idle => "Copy link",
                                    CopyState::Copied => "Link copied",
                                    CopyState::Failed => "Copy failed",
                                }}</button>
                            }
                        })}
                        <button type="button" class="button" node_ref=close_ref on:click=move |_| viewer.close() aria-label="Close viewer">"✕"</button>
                    </div>
                    <div class="lightbox__body" on:pointerdown=swipe_start on:pointerup=swipe_end>
                        {move || current.get().map(|item| view! { <OutputPreview item lead=true /> })}
                    </div>
                </div>
            </div>
        </Show>
    }
}

/// Registers the viewer's shortcuts while it is mounted (that is, while the
/// viewer is open).
#[component]
fn ViewerKeys(
    /// The viewer.
    viewer: Viewer,
    /// The open output's download link, when it has a safe URL.
    download: NodeRef<leptos::html::A>,
) -> impl IntoView {
    if let Some(actions) = PageActions::try_expect() {
        actions.register(Action::ViewerPrev, Callback::new(move |_| viewer.step(-1)));
        actions.register(Action::ViewerNext, Callback::new(move |_| viewer.step(1)));
        actions.register(Action::ViewerClose, Callback::new(move |_| viewer.close()));
        actions.register(
            Action::ViewerDownload,
            Callback::new(move |_| {
                if let Some(a) = download.get_untracked() {
                    a.click();
                }
            }),
        );
    }
}
