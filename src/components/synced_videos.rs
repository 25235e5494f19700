use crate::model::format;
use leptos::html::Video;
use leptos::prelude::*;

/// Two videos side by side with ONE play control: play, pause and seek act
/// on both, so the same moment of two variations shows at once. The videos
/// carry no controls of their own (that would let them drift apart).
#[component]
pub fn SyncedVideos(
    /// URL of run A's video (already checked by `safe_url`).
    a: String,
    /// URL of run B's video (already checked by `safe_url`).
    b: String,
    /// What the pair shows, for the group's label (the step name).
    label: String,
) -> impl IntoView {
    let video_a = NodeRef::<Video>::new();
    let video_b = NodeRef::<Video>::new();
    let playing = RwSignal::new(false);
    let position = RwSignal::new(0.0_f64);
    let length = RwSignal::new(0.0_f64);
    let both = move |f: &dyn Fn(&web_sys::HtmlVideoElement)| {
        for v in [video_a, video_b] {
            if let Some(v) = v.get_untracked() {
                f(&v);
            }
        }
    };
    let toggle = move |_| {
        if playing.get_untracked() {
            both(&|v| {
                let _ = v.pause();
            });
            playing.set(false);
        } else {
            both(&|v| {
                let _ = v.play();
            });
            playing.set(true);
        }
    };
    let seek = move |ev: leptos::ev::Event| {
        let at: f64 = event_target_value(&ev).parse().unwrap_or(0.0);
        both(&|v| v.set_current_time(at));
        position.set(at);
    };
    let on_meta = move |_| {
        let longest = [video_a, video_b]
            .iter()
            .filter_map(|v| v.get_untracked())
            .map(|v| v.duration())
            .filter(|d| d.is_finite())
            .fold(0.0, f64::max);
        length.set(longest);
    };
    let on_time = move |_| {
        if let Some(v) = video_a.get_untracked() {
            position.set(v.current_time());
        }
    };
    let on_ended = move |_| {
        let all_ended = [video_a, video_b]
            .iter()
            .filter_map(|v| v.get_untracked())
            .all(|v| v.ended() || v.paused());
        if all_ended {
            playing.set(false);
        }
    };
    let clock_text = move || {
        format!(
            "{} / {}",
            format::duration((position.get() * 1000.0) as i64),
            format::duration((length.get() * 1000.0) as i64)
        )
    };
    view! {
        <div class="synced" role="group" aria-label=format!("Videos of {label}, played together")>
            <div class="synced__pair">
                <video node_ref=video_a src=a preload="metadata" playsinline aria-label=format!("{label}, run A")
                    on:loadedmetadata=on_meta on:timeupdate=on_time on:ended=on_ended></video>
                <video node_ref=video_b src=b preload="metadata" playsinline aria-label=format!("{label}, run B")
                    on:loadedmetadata=on_meta on:ended=on_ended></video>
            </div>
            <div class="synced__controls">
                <button type="button" class="button button--small synced__play" on:click=toggle
                    aria-pressed=move || playing.get().to_string()>
                    {move || if playing.get() { "Pause both" } else { "Play both" }}
                </button>
                <input type="range" class="synced__seek" min="0" step="0.1"
                    prop:max=move || length.get().max(0.1) prop:value=move || position.get()
                    aria-label="Position in both videos" aria-valuetext=clock_text
                    on:input=seek />
                <span class="synced__time">{clock_text}</span>
            </div>
        </div>
    }
}
