use crate::api::text::{TextError, TextHead, TextRequest, MAX_BYTES};
use leptos::prelude::*;

/// The file a lazily loaded [`TextPreview`] shows: the context its code
/// reads (see `components::lazy`).
#[derive(Clone)]
pub struct TextPreviewFile {
    /// The file's `http(s)` URL.
    pub src: String,
    /// What the file is.
    pub label: String,
}

/// The start of a text file (at most 16 KiB, read by [`crate::api::text`])
/// in a scrollable box that the keyboard can reach, with an "open" link for
/// the whole file. The download is aborted when the preview unmounts (its
/// request lives in this component's owner and aborts when dropped) and
/// gives up after [`TIMEOUT_MS`](crate::api::text::TIMEOUT_MS); when the media host does not let the page read the
/// file (CORS), a note instead.
#[component]
pub fn TextPreview(
    /// The file's `http(s)` URL (already checked by `safe_url`).
    src: String,
    /// What the file is, for the scrollable region's accessible name.
    #[prop(optional, into)]
    label: Option<String>,
) -> impl IntoView {
    let request = StoredValue::new_local(TextRequest::new());
    let text = LocalResource::new({
        let src = src.clone();
        move || request.with_value(|r| r.fetch(src.clone()))
    });
    let region_label = label.unwrap_or_else(|| "Text preview".to_string());
    view! {
        <figure class="preview preview--text">
            <Suspense fallback=|| view! { <pre class="preview__lines">"…"</pre> }>
                {move || text.get().map(|result| match result {
                    Ok(TextHead { text, truncated }) => view! {
                        <pre class="preview__lines" tabindex="0" role="region" aria-label=region_label.clone()>{text}</pre>
                        {truncated.then(|| view! {
                            <p class="preview__note">{format!("First {} KiB shown; open the file for the rest.", MAX_BYTES / 1024)}</p>
                        })}
                    }.into_any(),
                    Err(TextError::Aborted) => ().into_any(),
                    Err(e) => view! { <p class="preview__note">{e.message()}</p> }.into_any(),
                })}
            </Suspense>
            <figcaption class="preview__meta">
                "text · " <a href=src rel="noreferrer noopener" target="_blank">"open"</a>
            </figcaption>
        </figure>
    }
}
