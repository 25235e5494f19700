use crate::api::Output;
use crate::components::lazy::text_preview;
use crate::components::near_view::save_data;
use crate::components::text_preview::TextPreviewFile;
use crate::components::LazyView;
use crate::components::MediaImg;
use crate::model::media::video_preload;
use crate::model::outputs::{GalleryItem, MediaKind, PublishInfo};
use crate::model::{format, url::safe_url};
use leptos::context::Provider;
use leptos::either::EitherOf6;
use leptos::prelude::*;

/// An output rendered by what it is: image, video (with its duration once the
/// metadata loads), audio, the first lines of a text file, a publish card, or
/// a file card. Only `http(s)` URLs become `src`/`href`; anything else is
/// shown as inert text. Media requests carry no credentials and no referrer
/// (the page's `<meta name="referrer" content="no-referrer">`, plus
/// `referrerpolicy` where the element has it).
#[component]
pub fn OutputPreview(
    /// The output and the step that made it.
    item: GalleryItem,
    /// A small thumbnail for timeline rows instead of a full preview.
    #[prop(optional)]
    compact: bool,
    /// For a publish result: the video or image it published, shown on its
    /// card (see [`crate::model::media::published_media`]).
    #[prop(optional_no_strip)]
    published: Option<GalleryItem>,
    /// The output the person is looking at (the hero, the viewer): its
    /// image loads at once and its video may fetch metadata (see
    /// [`video_preload`]); any other waits until near the screen or played.
    #[prop(optional)]
    lead: bool,
) -> impl IntoView {
    let output = item.output;
    let kind = MediaKind::of(&output);
    let url = output.url.as_deref().and_then(safe_url).map(str::to_string);
    let alt = format!(
        "{} output {}{}",
        kind.label(),
        output.output_id,
        item.step_name
            .map(|n| format!(" of {n}"))
            .unwrap_or_default()
    );
    match (kind, url) {
        (MediaKind::Image, Some(src)) => EitherOf6::A(view! {
            <MediaImg
                class="preview preview--image"
                src
                alt
                eager=lead
                width=output.width.unwrap_or(if compact { 48 } else { 320 })
                height=output.height.unwrap_or(if compact { 48 } else { 180 })
            />
        }),
        (MediaKind::Video, Some(src)) if !compact => {
            let loaded = RwSignal::new(None::<f64>);
            let stated = output.duration_ms.map(|ms| format::duration(ms as i64));
            EitherOf6::B(view! {
                <figure class="preview preview--video">
                    <video
                        src=src
                        controls
                        preload=video_preload(lead, save_data())
                        width=output.width.unwrap_or(320)
                        height=output.height.unwrap_or(180)
                        aria-label=alt
                        on:loadedmetadata=move |ev| {
                            let video: web_sys::HtmlMediaElement = event_target(&ev);
                            loaded.set(Some(video.duration()));
                        }
                    ></video>
                    <figcaption class="preview__meta">
                        {move || match (loaded.get(), stated.clone()) {
                            (Some(secs), _) if secs.is_finite() => format!("video · {}", format::duration((secs * 1000.0) as i64)),
                            (_, Some(stated)) => format!("video · {stated}"),
                            _ => "video".to_string(),
                        }}
                    </figcaption>
                </figure>
            })
        }
        (MediaKind::Audio, Some(src)) if !compact => EitherOf6::C(view! {
            <figure class="preview preview--audio">
                <audio src=src controls preload="metadata" aria-label=alt></audio>
                <figcaption class="preview__meta">
                    {output.duration_ms.map(|ms| format!("audio · {}", format::duration(ms as i64))).unwrap_or_else(|| "audio".into())}
                </figcaption>
            </figure>
        }),
        (MediaKind::Text, Some(src)) if !compact => {
            EitherOf6::D(view! { <LazyTextPreview src label=alt /> })
        }
        (MediaKind::Publish, _) if !compact => {
            EitherOf6::E(view! { <PublishCard info=PublishInfo::of(&output) published /> })
        }
        (kind, url) => EitherOf6::F(view! { <FileCard output kind url compact /> }),
    }
}

/// Any other output (or one too small for its player): its kind, type and
/// a download link (or its URL as inert text when it is not safe).
#[component]
fn FileCard(
    /// The output.
    output: Output,
    /// What it is.
    kind: MediaKind,
    /// Its URL, if safe to link.
    url: Option<String>,
    /// A timeline tile: a glyph only.
    compact: bool,
) -> impl IntoView {
    let mime = output
        .mime_type
        .clone()
        .unwrap_or_else(|| "unknown type".into());
    view! {
        <div class=format!("preview preview--file preview--{}", kind.label())>
            // Compact (a timeline tile, named by its button): a
            // glyph, so no visible word competes with that name.
            {if compact {
                view! { <span class="preview__glyph" title=kind.label() aria-hidden="true">{glyph(kind)}</span> }.into_any()
            } else {
                view! { <span class="preview__kind">{kind.label()}</span> }.into_any()
            }}
            {(!compact).then(|| view! {
                <span class="preview__mime">{mime}</span>
                {match url {
                    Some(href) => view! { <a href=href download rel="noreferrer noopener" target="_blank">"Download"</a> }.into_any(),
                    None => view! { <span class="preview__inert">{output.url.clone().unwrap_or_default()}</span> }.into_any(),
                }}
            })}
        </div>
    }
}

/// A publish result: the media it published (a player or a thumbnail, when
/// known), platform, status and link, plus every field the API sent that
/// runview does not know.
#[component]
fn PublishCard(
    /// The publish details.
    info: PublishInfo,
    /// The video or image it published, when the run's outputs tell.
    published: Option<GalleryItem>,
) -> impl IntoView {
    let status = info.status.clone().unwrap_or_else(|| "unknown".into());
    let platform = info.platform_label();
    let media = published.and_then(|item| {
        let src = item.output.url.as_deref().and_then(safe_url)?.to_string();
        let from = item
            .step_name
            .map(|s| format!(" from {s}"))
            .unwrap_or_default();
        let (w, h) = (
            item.output.width.unwrap_or(320),
            item.output.height.unwrap_or(180),
        );
        Some(match MediaKind::of(&item.output) {
            MediaKind::Video => view! {
                <video class="publish__player" src=src controls preload=video_preload(false, save_data()) width=w height=h
                    aria-label=format!("Video published to {platform}{from}")></video>
            }
            .into_any(),
            _ => view! {
                <MediaImg class="publish__thumb" src alt=format!("Image published to {platform}{from}")
                    width=w height=h />
            }
            .into_any(),
        })
    });
    view! {
        <div class="preview preview--publish">
            {media}
            <p class="publish__platform">{info.platform_label()}</p>
            <p class=format!("publish__status publish__status--{}", css_token(&status))>{status.clone()}</p>
            {info.post.map(|link| match safe_url(&link) {
                Some(href) => view! { <a class="publish__link" href=href.to_string() rel="noreferrer noopener" target="_blank">"Open post"</a> }.into_any(),
                None => view! { <span class="preview__inert">{link}</span> }.into_any(),
            })}
            {info.media.and_then(|m| safe_url(&m).map(str::to_string)).map(|href| view! {
                <a class="publish__media" href=href rel="noreferrer noopener" target="_blank">"Open media"</a>
            })}
            {(!info.other.is_empty()).then(|| view! {
                <dl class="publish__other">
                    {info.other.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                </dl>
            })}
        </div>
    }
}

/// A one-character picture of an output kind, for tiles too small for a word.
fn glyph(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Image => "▣",
        MediaKind::Video => "▶",
        MediaKind::Audio => "♪",
        MediaKind::Text => "≡",
        MediaKind::Publish => "↗",
        MediaKind::Other => "◇",
    }
}

/// Reduces an arbitrary string to a safe CSS class token.
fn css_token(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// A [`TextPreview`](super::TextPreview) whose code (the preview and its ranged, streamed,
/// abortable download) is fetched the first time a text output is shown: no
/// run needs it to paint, and the gallery, the viewer and compare, where
/// text appears, load after the first paint anyway. Each preview has its
/// own [`Provider`], so several on one page show their own files.
#[component]
pub fn LazyTextPreview(
    /// The file's `http(s)` URL (already checked by `safe_url`).
    src: String,
    /// What the file is, for the scrollable region's accessible name.
    label: String,
) -> impl IntoView {
    view! {
        <Provider value=TextPreviewFile { src, label }>
            <LazyView load=text_preview loading="Loading the preview…" class="preview preview--text" />
        </Provider>
    }
}
