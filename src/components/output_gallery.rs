use crate::api::Run;
use crate::components::on_screen::use_on_screen;
use crate::components::{Filmstrip, OutputPreview, Viewer};
use crate::model::media::published_media;
use crate::model::outputs::{final_items, GalleryItem, MediaKind};
use crate::state::replay::ReplayState;
use leptos::prelude::*;
use reactive_stores::Store;

/// A final output, with the media it published when it is a publish result.
type FinalCard = (GalleryItem, Option<GalleryItem>);

/// The run whose outputs the lazily loaded gallery shows: the context its
/// code reads (see `components::lazy`).
#[derive(Clone, Copy)]
pub struct GalleryRun(pub Store<Run>);

/// Whether the gallery follows the run it shows: always, except in replay
/// while the gallery is far from the screen (below a long step list, it
/// usually is). A replay frame then costs it nothing (at 60× on 5,000
/// steps its cards and filmstrip would be worked out again every frame),
/// and it catches up with the moment as it comes near. Built in replay, it
/// waits for the browser's first report (right after its first paint)
/// before working anything out.
fn use_follow(section: NodeRef<leptos::html::Section>) -> Signal<bool> {
    let replay = use_context::<ReplayState>();
    let replaying = move || replay.is_some_and(|r| r.is_open());
    let near = use_on_screen(section, "1000px", !untrack(replaying));
    Signal::derive(move || near.get() || !replaying())
}

/// The run's outputs: the final outputs as cards (a publish result shows
/// the video or image it published), then every intermediate output as a
/// filmstrip grouped by step. Each card and tile opens the full-size viewer.
#[component]
pub fn OutputGallery(
    /// The run.
    run: Store<Run>,
) -> impl IntoView {
    let section = NodeRef::new();
    let follow = use_follow(section);
    // Only the final outputs are copied (the filmstrip reads its own rows).
    // `None` until first worked out; kept as it is while not following.
    let cards = Memo::new(move |kept: Option<&Option<Vec<FinalCard>>>| {
        if !follow.get() {
            return kept.cloned().flatten();
        }
        let cards = run.with(|r| {
            final_items(r)
                .into_iter()
                .map(|item| {
                    let published = (MediaKind::of(&item.output) == MediaKind::Publish)
                        .then(|| published_media(r, &item.output))
                        .flatten();
                    (item, published)
                })
                .collect::<Vec<FinalCard>>()
        });
        Some(cards)
    });
    view! {
        <section class="gallery" aria-labelledby="gallery-heading" node_ref=section>
            <h2 id="gallery-heading">"Outputs"</h2>
            <h3>"Final results"</h3>
            {move || cards.with(|c| c.as_ref().is_some_and(Vec::is_empty)).then(|| view! { <p class="empty">"No final outputs yet."</p> })}
            <OutputGrid cards=Signal::derive(move || cards.get().unwrap_or_default()) />
            <Filmstrip run follow />
        </section>
    }
}

/// A grid of output cards, keyed by the whole card (its `Debug` text), not
/// just `outputId`: `For` keeps the view of an unchanged key, so a publish
/// result whose status changes under the same id must get a new key.
#[component]
fn OutputGrid(
    /// The outputs to show, each with what it published.
    #[prop(into)]
    cards: Signal<Vec<FinalCard>>,
) -> impl IntoView {
    let viewer = Viewer::expect();
    let items = move || {
        cards.with_untracked(|c| c.iter().map(|(item, _)| item.clone()).collect::<Vec<_>>())
    };
    view! {
        <ul class="gallery__grid">
            <For each=move || cards.get() key=|card| format!("{card:?}") let:card>
                {
                    let (item, published) = card;
                    let kind = MediaKind::of(&item.output);
                    let opens = matches!(kind, MediaKind::Image | MediaKind::Video);
                    let id = item.output.key();
                    let caption = item.step_name.clone().unwrap_or_default();
                    view! {
                        <li class=format!("gallery__card gallery__card--{}", kind.label())>
                            <OutputPreview item=item.clone() published />
                            <div class="gallery__caption">
                                <span class="gallery__step">{caption}</span>
                                {opens.then(|| view! {
                                    <button type="button" class="button button--small"
                                        on:click=move |_| viewer.open(items(), &id)>
                                        "View"
                                        <span class="visually-hidden">{format!(" {} full size", item.output.output_id)}</span>
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
