use crate::api::{Run, RunStoreFields};
use crate::components::{OutputPreview, Viewer};
use crate::model::outputs::{gallery, GalleryItem, MediaKind};
use leptos::prelude::*;
use reactive_stores::Store;

/// The run's outputs: final outputs first, intermediate outputs behind a
/// toggle. Each card opens the full-size viewer.
#[component]
pub fn OutputGallery(
    /// The run.
    run: Store<Run>,
) -> impl IntoView {
    let lists = Memo::new(move |_| {
        let finals = run.final_outputs();
        let steps = run.steps();
        finals.track();
        steps.track();
        run.with(gallery)
    });
    let show_intermediate = RwSignal::new(false);
    let finals = move || lists.with(|(f, _)| f.clone());
    let intermediates = move || lists.with(|(_, i)| i.clone());
    let intermediate_count = move || lists.with(|(_, i)| i.len());
    view! {
        <section class="gallery" aria-labelledby="gallery-heading">
            <h2 id="gallery-heading">"Outputs"</h2>
            {move || lists.with(|(f, _)| f.is_empty()).then(|| view! { <p class="empty">"No final outputs yet."</p> })}
            <OutputGrid items=Signal::derive(finals) />
            <button
                type="button"
                class="button gallery__toggle"
                aria-expanded=move || show_intermediate.get().to_string()
                on:click=move |_| show_intermediate.update(|v| *v = !*v)
                disabled=move || intermediate_count() == 0
            >
                {move || format!(
                    "{} intermediate outputs ({})",
                    if show_intermediate.get() { "Hide" } else { "Show" },
                    intermediate_count()
                )}
            </button>
            <Show when=move || show_intermediate.get()>
                <OutputGrid items=Signal::derive(intermediates) />
            </Show>
        </section>
    }
}

/// A grid of output cards, keyed by the whole output (its `Debug` text), not
/// just `outputId`: `For` keeps the view of an unchanged key, so a publish
/// result whose status changes under the same id must get a new key.
#[component]
fn OutputGrid(
    /// The outputs to show.
    #[prop(into)]
    items: Signal<Vec<GalleryItem>>,
) -> impl IntoView {
    let viewer = Viewer::expect();
    view! {
        <ul class="gallery__grid">
            <For each=move || items.get() key=|item| format!("{:?}", item.output) let:item>
                {
                    let kind = MediaKind::of(&item.output);
                    let opens = matches!(kind, MediaKind::Image | MediaKind::Video);
                    let id = item.output.output_id.clone();
                    let caption = item.step_name.clone().unwrap_or_default();
                    view! {
                        <li class=format!("gallery__card gallery__card--{}", kind.label())>
                            <OutputPreview item=item.clone() />
                            <div class="gallery__caption">
                                <span class="gallery__step">{caption}</span>
                                {opens.then(|| view! {
                                    <button type="button" class="button button--small"
                                        on:click=move |_| viewer.open(items.get_untracked(), &id)
                                        aria-label=format!("View {} full size", item.output.output_id)>
                                        "View"
                                    </button>
                                })}
                            </div>
                        </li>
                    }
                }
            </For>
        </ul>
    }
}
