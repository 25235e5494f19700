use crate::api::{Run, RunStoreFields};
use crate::components::{OutputPreview, Viewer};
use crate::model::media::{hero, media_items};
use crate::model::outputs::MediaKind;
use leptos::prelude::*;
use reactive_stores::Store;

/// The run's latest video (or, until it has one, its latest image), large,
/// near the top of the run page while the run goes on and after it ended;
/// "View full size" opens the viewer on every image and video of the run.
/// Renders nothing while the run has no image or video. The player is
/// re-created only when the hero changes to another output.
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
    move || {
        current.get().map(|item| {
            let kind = MediaKind::of(&item.output);
            let heading = match kind {
                MediaKind::Video => "Latest video",
                _ => "Latest image",
            };
            let id = item.output.key();
            let step = item.step_name.clone();
            view! {
                <section class="hero" aria-labelledby="hero-heading">
                    <div class="hero__head">
                        <h2 id="hero-heading">{heading}</h2>
                        {step.map(|s| view! { <span class="hero__step">{s}</span> })}
                        <button type="button" class="button button--small hero__open"
                            on:click=move |_| viewer.open(run.with_untracked(media_items), &id)>
                            "View full size"
                        </button>
                    </div>
                    <div class="hero__media">
                        <OutputPreview item lead=true />
                    </div>
                </section>
            }
        })
    }
}
