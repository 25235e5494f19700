//! Real-world input (values a real server sends beyond the contract): ugly bodies and repeated step ids on screen,
//! keys pasted with invisible characters, the canceled status, the text
//! preview's limit and keyboard reach.

use crate::harness::*;
use leptos::prelude::*;
use reactive_stores::Store;
use runview::api::decode::{decode_run, decode_update, Steps, Update};
use runview::api::{Run, Status};
use runview::components::{SettingsPanel, StatusBadge, StepTimeline, TextPreview};
use runview::state::run_store;
use runview::state::settings::Settings;
use wasm_bindgen_test::*;

/// A body as a real server may send it: nulls, floats, negatives, a
/// non-object step, and the second step repeating the first one's id.
fn ugly(second_status: &str) -> String {
    format!(
        r#"{{"runId":"run_ugly","blueprintId":null,"status":"running",
        "progress":{{"totalSteps":3.0,"completedSteps":-1,"failedSteps":null,"runningSteps":1e300}},
        "steps":[
          {{"stepId":"s1","name":"First","referenceId":null,"status":"running","attemptNo":1.0,"predecessorsLeft":-1}},
          {{"stepId":"s1","name":"Second","status":"{second_status}","attemptNo":null}},
          {{"stepId":"s3","name":null,"status":7}}]}}"#
    )
}

fn row_texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn an_ugly_body_is_shown_and_a_repeated_id_updates_its_own_row() {
    let first = ugly("queued");
    let Update::Changed {
        head,
        steps: Steps::Replace(all),
        snapshot,
    } = decode_update(None, 200, first.clone().into_bytes(), None).unwrap()
    else {
        panic!("first body")
    };
    let run = Store::new(Run { steps: all, ..head });
    run_store::load(run, run.get_untracked());
    let (root, _h) = mount(move || view! { <StepTimeline run /> });
    settle().await;
    assert_eq!(
        row_texts(&root, "li.step-row .step-row__name"),
        ["First", "Second", ""]
    );
    assert_eq!(
        row_texts(&root, "li.step-row .status__label"),
        ["running", "queued", "unknown: 7"]
    );
    // The second row (same stepId as the first) changes; the first does not.
    let Update::Changed { head, steps, .. } =
        decode_update(Some(&snapshot), 200, ugly("failed").into_bytes(), None).unwrap()
    else {
        panic!("bytes differ")
    };
    run_store::apply(run, head, steps);
    settle().await;
    assert_eq!(
        row_texts(&root, "li.step-row .status__label"),
        ["running", "failed", "unknown: 7"]
    );
    assert_eq!(
        run.get_untracked(),
        decode_run(200, &ugly("failed"), None).unwrap()
    );
}

#[wasm_bindgen_test]
async fn canceled_has_its_own_badge() {
    let status = RwSignal::new(Status::from("cancelled".to_string()));
    let (root, _h) = mount(move || view! { <StatusBadge status /> });
    assert_eq!(text(&root, ".status__label"), "canceled");
    assert_eq!(text(&root, ".status__icon"), "⊘");
    assert_eq!(count(&root, ".status--canceled"), 1);
    status.set(Status::Running);
    leptos::task::tick().await;
    assert_eq!(count(&root, ".status--canceled"), 0);
}

/// Types `value` into the settings field `name` and submits the form.
fn submit_settings(root_id: &str, name: &str, value: &str) {
    js(&format!(
        "(() => {{
            const root = document.getElementById({root_id:?});
            const input = root.querySelector('input[name={name}]');
            input.value = {value:?};
            input.dispatchEvent(new Event('input', {{ bubbles: true }}));
            root.querySelector('form.settings__form').requestSubmit();
        }})()"
    ));
}

#[wasm_bindgen_test]
async fn a_pasted_key_is_cleaned_and_one_a_header_cannot_carry_is_refused() {
    js("sessionStorage.removeItem('runview.apiKey'); localStorage.removeItem('runview.apiKey');");
    let settings = StoredValue::new(None::<Settings>);
    let (root, _h) = mount(move || {
        let s = Settings::provide();
        settings.set_value(Some(s));
        s.panel_open.set(true);
        view! { <SettingsPanel /> }
    });
    root.set_id("settings-input-test");
    settle().await;
    let settings = settings.get_value().unwrap();
    let key = format!("sk_{}", "5eed".repeat(16));

    for pasted in [format!("{key}\u{00A0}"), format!("\u{FEFF}{key}")] {
        settings.panel_open.set(true);
        settle().await;
        submit_settings("settings-input-test", "api_key", &pasted);
        settle().await;
        assert!(!settings.panel_open.get_untracked(), "saved and closed");
        assert_eq!(settings.key(), key, "{pasted:?} is saved cleaned");
        assert_eq!(settings.config().key, key);
    }

    settings.panel_open.set(true);
    settle().await;
    submit_settings("settings-input-test", "api_key", "sk_clé");
    settle().await;
    assert!(
        settings.panel_open.get_untracked(),
        "refused: the dialog stays open"
    );
    assert_eq!(
        text(&root, "#settings-key-error"),
        "The API key contains “é” (U+00E9), which cannot be sent in an HTTP header. Only letters A–Z, digits and ASCII punctuation can."
    );
    let input = root.query_selector("input[name=api_key]").unwrap().unwrap();
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(settings.key(), key, "the last good key is kept");

    submit_settings("settings-input-test", "project", "プロジェクト");
    settle().await;
    assert!(
        text(&root, "#settings-project-error").starts_with("The project contains “プ” (U+30D7)")
    );

    js("(() => { const i = document.querySelector('#settings-input-test input[name=base_url]');
        i.value = 'http://api.example.com'; i.dispatchEvent(new Event('input', { bubbles: true })); })()");
    settle().await;
    assert!(text(&root, "#settings-base-warning").contains("unencrypted"));
    js("sessionStorage.removeItem('runview.apiKey'); localStorage.removeItem('runview.apiKey');");
}

#[wasm_bindgen_test]
async fn the_text_preview_reads_16_kib_and_can_be_reached_by_keyboard() {
    let long = "line\n".repeat(10_000); // 50,000 bytes
    let src = js(&format!(
        "URL.createObjectURL(new Blob([{long:?}], {{ type: 'text/plain' }}))"
    ))
    .as_string()
    .unwrap();
    let (root, _h) = mount({
        let src = src.clone();
        move || view! { <TextPreview src label="text output t1" /> }
    });
    let mut shown = String::new();
    for _ in 0..50 {
        settle().await;
        if let Some(pre) = root.query_selector("pre[role=region]").unwrap() {
            shown = pre.text_content().unwrap_or_default();
            break;
        }
        sleep(20).await;
    }
    assert_eq!(shown.len(), 16 * 1024);
    let pre = root.query_selector("pre[role=region]").unwrap().unwrap();
    assert_eq!(pre.get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(
        pre.get_attribute("aria-label").as_deref(),
        Some("text output t1")
    );
    assert_eq!(
        text(&root, ".preview__note"),
        "First 16 KiB shown; open the file for the rest."
    );
    let open = root.query_selector("a").unwrap().unwrap();
    assert_eq!(open.get_attribute("href"), Some(src));
}
