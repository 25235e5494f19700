use crate::api::{Run, RunStoreFields};
use crate::components::{OutputPreview, Viewer};
use crate::model::media::{hero, media_items};
use crate::model::outputs::MediaKind;
use leptos::prelude::*;
use reactive_stores::Store;

/// The run's latest video (or, until it has one, its latest image), large,
/// near the top of the run page while the run goes on and after it ended;
/// "View full size" opens the viewer on every image and video of the run.
/// While the run is live its 16:9 box is there before the first image (so
/// nothing below moves when it comes); a run that ended without an image or
/// video shows none. The player is re-created only when the hero changes to
/// another output.
#[component]
pub fn RunHero(
    /// The run.
    run: Store<Run>,
) -> impl IntoView {
    let viewer = Viewer::expect();
    let current = Memo::new(move |_| {
        run.final_outputs().track();
        run.steps().track();
        run.with(hero)
    });
    // The box is there from the first paint while the run is live, so the
    // first image arriving moves nothing below it; once shown it stays.
    let shown = Memo::new(move |was: Option<&bool>| {
        was.copied().unwrap_or(false)
            || current.with(Option::is_some)
            || !run.status().with(|s| s.is_terminal())
    });
    let heading = move || match current.with(|c| c.as_ref().map(|i| MediaKind::of(&i.output))) {
        Some(MediaKind::Video) => "Latest video",
        Some(_) => "Latest image",
        None => "Latest output",
    };
    // What the head adds for an output: its step and "View full size".
    let open = move || {
        current.get().map(|item| {
            let id = item.output.key();
            view! {
                {item.step_name.map(|s| view! { <span class="hero__step">{s}</span> })}
                <button type="button" class="button button--small hero__open"
                    on:click=move |_| viewer.open(run.with_untracked(media_items), &id)>
                    "View full size"
                </button>
            }
        })
    };
    let media = move || match current.get() {
        Some(item) => view! { <OutputPreview item lead=true /> }.into_any(),
        None => view! { <p class="hero__empty">"No image or video yet."</p> }.into_any(),
    };
    move || {
        shown.get().then(|| {
            view! {
                <section class="hero" aria-labelledby="hero-heading">
                    <div class="hero__head">
                        <h2 id="hero-heading">{heading}</h2>
                        {open}
                    </div>
                    <div class="hero__media">{media}</div>
                </section>
            }
        })
    }
}
