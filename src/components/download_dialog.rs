//! The "Download all" dialog (loaded on demand, see `components::lazy`):
//! saves the manifest of every output as JSON or CSV, and downloads the
//! files one by one with progress where the media host allows cross-origin
//! reads; where it does not, it says so and lists the files as links.
//!
//! No zip: media files are already compressed (PNG, MP4, WebM), a zip made
//! in the page would hold a second copy of every file in memory until the
//! end, and each file arrives as a download of its own anyway.

use crate::api::download::{read_blob, ReadError};
use crate::api::Run;
use crate::api::RunStoreFields;
use crate::model::manifest::{self, ManifestRow};
use crate::model::url::safe_url;
use leptos::prelude::*;
use reactive_stores::Store;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, Blob, BlobPropertyBag};

/// What the lazily loaded dialog reads: the run and whether it is open.
#[derive(Clone, Copy)]
pub struct DownloadAllContext {
    /// The run whose outputs are listed.
    pub run: Store<Run>,
    /// Whether the dialog is open; the dialog sets it back when it closes.
    pub open: RwSignal<bool>,
}

/// Where the file downloads are.
#[derive(Clone, Debug, PartialEq)]
enum Phase {
    /// Not started.
    Ready,
    /// File `done + 1` of `total` (`name`) is on its way.
    Running {
        done: usize,
        total: usize,
        name: String,
    },
    /// Finished (or canceled): this many saved, refused by their host
    /// (cross-origin reads not allowed), and failed otherwise.
    Finished {
        saved: usize,
        blocked: usize,
        failed: usize,
        canceled: bool,
    },
    /// The media host refused every cross-origin read: links instead.
    Blocked,
}

/// The dialog: a modal `<dialog>`, open while the context's `open` is true;
/// Esc, "Close" or a click outside closes it (a download in progress goes on
/// until canceled).
#[component]
pub fn DownloadDialog() -> impl IntoView {
    let DownloadAllContext { run, open } = expect_context();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    // The outputs as they were when the dialog opened (a poll meanwhile
    // does not rebuild the list under the person's eyes).
    let rows = RwSignal::new(Vec::<ManifestRow>::new());
    let phase = RwSignal::new(Phase::Ready);
    let controller = StoredValue::new_local(None::<AbortController>);
    Effect::new(move |_| {
        let Some(d) = dialog.get() else { return };
        if open.get() {
            if !d.open() {
                rows.set(run.with_untracked(manifest::rows));
                let _ = d.show_modal();
            }
        } else if d.open() {
            d.close();
        }
    });
    let run_id = move || run.run_id().get_untracked();
    let save_json = move |_| {
        let text = rows.with(|r| manifest::to_json(&run_id(), r));
        save_text(
            &text,
            "application/json",
            &format!("{}-manifest.json", run_id()),
        );
    };
    let save_csv = move |_| {
        let text = rows.with(|r| manifest::to_csv(r));
        save_text(&text, "text/csv", &format!("{}-manifest.csv", run_id()));
    };
    let start = move |_| download_files(rows.get_untracked(), phase, controller);
    let cancel = move |_| {
        if let Some(c) = controller.get_value() {
            c.abort();
        }
    };
    // Leaving the page stops the downloads too (the loop ends at its read).
    on_cleanup(move || {
        if let Some(Some(c)) = controller.try_get_value() {
            c.abort();
        }
    });
    let files = move || rows.with(|r| downloadable(r).count());
    view! {
        <dialog class="download" node_ref=dialog aria-labelledby="download-heading" on:close=move |_| open.set(false)
            on:click=move |ev| {
                if event_target::<web_sys::Element>(&ev).tag_name() == "DIALOG" {
                    open.set(false);
                }
            }>
            <div class="download__frame">
                <div class="download__head">
                    <h2 id="download-heading">"Download all"</h2>
                    <button type="button" class="button button--small" on:click=move |_| open.set(false)>"Close"</button>
                </div>
                <p>{move || format!("{} outputs, {} files to download (publish results link to their platform: in the manifest only).", rows.with(Vec::len), files())}</p>
                <div class="download__actions">
                    <button type="button" class="button" on:click=save_json>"Save manifest (JSON)"</button>
                    <button type="button" class="button" on:click=save_csv>"Save manifest (CSV)"</button>
                    <button type="button" class="button button--primary" on:click=start
                        disabled=move || files() == 0 || matches!(phase.get(), Phase::Running { .. })>
                        "Download files"
                    </button>
                </div>
                <DownloadProgress phase on_cancel=Callback::new(cancel) />
                <Show when=move || phase.with(|p| matches!(p, Phase::Blocked | Phase::Finished { blocked: 1.., .. }))>
                    <FileLinks rows />
                </Show>
            </div>
        </dialog>
    }
}

/// The downloads' progress, outcome and Cancel button.
#[component]
fn DownloadProgress(
    /// Where the downloads are.
    phase: RwSignal<Phase>,
    /// Cancels the downloads.
    on_cancel: Callback<()>,
) -> impl IntoView {
    move || {
        match phase.get() {
        Phase::Ready => ().into_any(),
        Phase::Running { done, total, name } => view! {
            <div class="download__progress">
                <progress max=total.to_string() value=done.to_string() aria-label="Files downloaded"></progress>
                <p role="status">{format!("Downloading file {} of {total}: {name}", done + 1)}</p>
                <button type="button" class="button button--small" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        }
        .into_any(),
        Phase::Finished {
            saved,
            blocked,
            failed,
            canceled,
        } => {
            let mut text = format!("{saved} files saved");
            if blocked > 0 {
                text.push_str(&format!(
                    ", {blocked} refused by their host (open them from the list below)"
                ));
            }
            if failed > 0 {
                text.push_str(&format!(", {failed} could not be read"));
            }
            if canceled {
                text.push_str(" (canceled)");
            }
            view! { <p role="status" class="download__done">{text + "."}</p> }.into_any()
        }
        Phase::Blocked => view! {
            <p role="alert" class="download__blocked">
                "The media host does not let this page read its files (no cross-origin access), so they cannot be saved from here. "
                "Save the manifest, or open each file from the list below."
            </p>
        }
        .into_any(),
    }
    }
}

/// The files to download with their names: outputs with a web URL, except
/// publish results (their URL is the platform's page, not a file).
fn downloadable(rows: &[ManifestRow]) -> impl Iterator<Item = (String, String)> + '_ {
    rows.iter().enumerate().filter_map(|(i, r)| {
        let url = safe_url(r.url.as_deref()?)?;
        (r.kind != "output").then(|| (url.to_string(), manifest::file_name(i, r)))
    })
}

/// Every file as a link (when the files cannot be read from the page).
#[component]
fn FileLinks(
    /// The manifest's rows.
    rows: RwSignal<Vec<ManifestRow>>,
) -> impl IntoView {
    let links = move || {
        rows.with(|rows| {
            downloadable(rows)
                .map(|(url, name)| { let label = name.clone(); view! { <li><a href=url target="_blank" rel="noopener noreferrer" download=name>{label}</a></li> } })
                .collect_view()
        })
    };
    view! { <ul class="download__links" aria-label="Files">{links}</ul> }
}

/// Reads and saves each file in turn, updating `phase`; if the host refused
/// every read, the dialog offers the links instead.
fn download_files(
    rows: Vec<ManifestRow>,
    phase: RwSignal<Phase>,
    controller: StoredValue<Option<AbortController>, LocalStorage>,
) {
    let Ok(c) = AbortController::new() else {
        return;
    };
    let signal = c.signal();
    controller.set_value(Some(c));
    let files: Vec<(String, String)> = downloadable(&rows).collect();
    leptos::task::spawn_local(async move {
        let total = files.len();
        let (mut saved, mut blocked, mut failed) = (0, 0, 0);
        for (done, (url, name)) in files.into_iter().enumerate() {
            phase.set(Phase::Running {
                done,
                total,
                name: name.clone(),
            });
            match read_blob(&url, &signal).await {
                Ok(blob) => {
                    save_blob(&blob, &name);
                    saved += 1;
                }
                Err(ReadError::Blocked) => blocked += 1,
                Err(ReadError::Aborted) => break,
                Err(ReadError::Status(_)) => failed += 1,
            }
        }
        let canceled = signal.aborted();
        phase.set(if saved == 0 && failed == 0 && blocked > 0 && !canceled {
            Phase::Blocked
        } else {
            Phase::Finished {
                saved,
                blocked,
                failed,
                canceled,
            }
        });
    });
}

/// Saves text as a download named `name`.
fn save_text(text: &str, mime: &str, name: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    if let Ok(blob) = Blob::new_with_str_sequence_and_options(&parts, &options) {
        save_blob(&blob, name);
    }
}

/// Saves `blob` as a download named `name`: an anchor with `download` on a
/// temporary object URL, revoked a minute later.
fn save_blob(blob: &Blob, name: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Some(a) = document()
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
}
