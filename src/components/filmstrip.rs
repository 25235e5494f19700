use crate::api::Run;
use crate::components::{MediaImg, Viewer};
use crate::model::media::{filmstrip, filmstrip_head, StripGroup};
use crate::model::outputs::{GalleryItem, MediaKind};
use crate::model::url::safe_url;
use leptos::prelude::*;
use reactive_stores::Store;

/// How many steps' rows show before "Show all"; keeps a run of thousands of
/// steps as quick to render as a small one.
const FIRST_GROUPS: usize = 24;

/// The intermediate outputs of the run as a filmstrip
/// ([`crate::model::media::filmstrip`]): one row per step, each output a
/// small tile (image, first frame of a video, or its kind) that opens the
/// full-size viewer, which then browses every tile of the strip. Only the
/// rows shown are built; the others are counted.
#[component]
pub fn Filmstrip(
    /// The run.
    run: Store<Run>,
    /// Whether the strip follows the run's changes (by default, always);
    /// while `false` it keeps what it shows.
    #[prop(into, default = true.into())]
    follow: Signal<bool>,
) -> impl IntoView {
    let viewer = Viewer::expect();
    let show_all = RwSignal::new(false);
    // `None` until first worked out; kept as it is while not following.
    let strip = Memo::new(move |kept: Option<&Option<(Vec<StripGroup>, usize)>>| {
        if !follow.get() {
            return kept.cloned().flatten();
        }
        let limit = if show_all.get() {
            usize::MAX
        } else {
            FIRST_GROUPS
        };
        Some(run.with(|r| filmstrip_head(r, limit)))
    });
    let total = move || strip.with(|s| s.as_ref().map_or(0, |(_, total)| *total));
    let none = move || strip.with(|s| s.as_ref().is_some_and(|(_, total)| *total == 0));
    let visible =
        move || strip.with(|s| s.as_ref().map(|(head, _)| head.clone()).unwrap_or_default());
    let everything = move || {
        run.with_untracked(|r| {
            filmstrip(r)
                .into_iter()
                .flat_map(|g| g.items)
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="filmstrip">
            <h3>"By step"</h3>
            {move || none().then(|| view! { <p class="empty">"No intermediate outputs yet."</p> })}
            <ol class="filmstrip__groups">
                <For each=visible key=|g| format!("{g:?}") let:group>
                    <li class="filmstrip__group">
                        <h4 class="filmstrip__step">{group.step_name.clone()}</h4>
                        <ul class="filmstrip__items">
                            {group.items.into_iter().map(|item| view! {
                                <li><Tile item open=Callback::new(move |id: String| {
                                    viewer.open(everything(), &id)
                                }) /></li>
                            }).collect_view()}
                        </ul>
                    </li>
                </For>
            </ol>
            {move || (total() > FIRST_GROUPS && !show_all.get()).then(|| view! {
                <button type="button" class="button button--small filmstrip__more" on:click=move |_| show_all.set(true)>
                    {format!("Show all {} steps with outputs", total())}
                </button>
            })}
        </div>
    }
}

/// One output of the strip: a button showing a thumbnail and its kind, named
/// "<kind> <outputId>, full size" for screen readers (the visible kind first,
/// so the name contains what is seen).
#[component]
fn Tile(
    /// The output.
    item: GalleryItem,
    /// Opens the viewer at the output with this key.
    open: Callback<String>,
) -> impl IntoView {
    let kind = MediaKind::of(&item.output);
    let src = item
        .output
        .url
        .as_deref()
        .and_then(safe_url)
        .map(str::to_string);
    let thumb = match (kind, src) {
        (MediaKind::Image, Some(src)) => Some(
            view! {
                <MediaImg class="filmstrip__thumb" src alt=""
                    width=item.output.width.unwrap_or(160) height=item.output.height.unwrap_or(90) />
            }
            .into_any(),
        ),
        // Never loaded unasked: at most one video of the page (the hero)
        // fetches data before a play.
        (MediaKind::Video, Some(src)) => Some(
            view! {
                <video class="filmstrip__thumb" src=src preload="none" muted aria-hidden="true"
                    width=item.output.width.unwrap_or(160) height=item.output.height.unwrap_or(90)></video>
            }
            .into_any(),
        ),
        _ => None,
    };
    let id = item.output.key();
    view! {
        <button type="button" class=format!("filmstrip__tile filmstrip__tile--{}", kind.label())
            on:click=move |_| open.run(id.clone())>
            {thumb}
            <span class="filmstrip__kind">
                {kind.label()}
                <span class="visually-hidden">{format!(" {}, full size", item.output.output_id)}</span>
            </span>
        </button>
    }
}
