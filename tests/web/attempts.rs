//! Attempts seen while polling: a poll that raises a step's `attemptNo`
//! keeps the earlier attempt (in memory and in sessionStorage), the
//! timeline lists it and marks it, and stored text that is not a memory is
//! ignored.

use crate::harness::*;
use crate::poll::Hook;
use leptos::prelude::*;
use reactive_stores::Store;
use runview::api::client::ApiConfig;
use runview::components::StepTimeline;
use runview::state::attempts::{storage_key, Attempts};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

fn session() -> web_sys::Storage {
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
}

/// The golden body with its third step (running since 12:00:25) at
/// `attempt`, started at `started`.
fn golden_attempt(attempt: u32, started: &str) -> String {
    let mut body: serde_json::Value = serde_json::from_str(GOLDEN).unwrap();
    body["steps"][2]["attemptNo"] = attempt.into();
    body["steps"][2]["startedAt"] = started.into();
    body.to_string()
}

#[wasm_bindgen_test]
async fn a_raised_attempt_number_keeps_the_earlier_attempt_in_memory_and_storage() {
    let id = "run_abc123";
    session().remove_item(&storage_key(id)).unwrap();
    let spy = FetchSpy::new(&golden_attempt(1, "2026-03-20T12:00:25Z"));
    let hook = Hook::mount(id, ApiConfig::default());
    settle().await;
    assert_eq!(hook.probe(), id);
    assert!(hook
        .handle
        .attempts
        .memory
        .get_untracked()
        .attempts
        .is_empty());

    spy.reply(200, &golden_attempt(2, "2026-03-20T12:00:37Z"));
    hook.advance(1_000).await;
    let memory = hook.handle.attempts.memory.get_untracked();
    let described: Vec<(String, String)> = memory
        .attempts
        .iter()
        .map(|a| (a.step.clone(), a.describe()))
        .collect();
    assert_eq!(
        described,
        [(
            "step_003".to_string(),
            "Attempt 1 was running when last seen; retried after 12.0 s".to_string()
        )]
    );
    sleep(20).await;
    let stored = session()
        .get_item(&storage_key(id))
        .unwrap()
        .unwrap_or_default();
    assert!(stored.contains(r#""attemptNo":1"#), "stored: {stored}");
    assert!(stored.contains("step_003"), "stored: {stored}");

    // The same attempt again adds nothing.
    hook.advance(5_000).await;
    assert_eq!(
        hook.handle.attempts.memory.get_untracked().attempts.len(),
        1
    );
    session().remove_item(&storage_key(id)).unwrap();
}

#[wasm_bindgen_test]
async fn stored_attempts_are_listed_under_the_step_and_marked_on_its_track() {
    let id = "run_web_attempts";
    let stored = r#"{"v":0,"attempts":[{"step":"step_003","attemptNo":1,"status":"failed","startedMs":1774008013000,"completedMs":1774008025000,"outputs":[{"outputId":"old_1","url":"https://storage.example.com/old.png"}]}]}"#;
    session().set_item(&storage_key(id), stored).unwrap();
    let mut run = golden();
    run.steps[2].attempt_no = 2;
    let run = Store::new(run);
    let (root, _h) = mount(move || {
        provide_context(Attempts::new(id));
        view! { <StepTimeline run /> }
    });
    settle().await;
    assert_eq!(count(&root, "#step-step_003 .step-row__attempt-mark"), 1);
    assert_eq!(count(&root, "#step-step_001 .step-row__attempt-mark"), 0);
    let badge: web_sys::HtmlElement = root
        .query_selector("#step-step_003 button.badge--attempt")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(badge.text_content().unwrap(), "attempt 2");
    badge.click();
    settle().await;
    let items: Vec<String> = {
        let list = root.query_selector_all(".attempts__list > li").unwrap();
        (0..list.length())
            .map(|i| list.get(i).unwrap().text_content().unwrap())
            .collect()
    };
    assert_eq!(
        items,
        [
            "Attempt 2 (current) running",
            "Attempt 1 failed after 12.0 sold_1"
        ]
    );
    assert!(text(&root, ".attempts__note").contains("before it was opened are not known"));
    session().remove_item(&storage_key(id)).unwrap();
}

#[wasm_bindgen_test]
async fn stored_text_that_is_not_a_memory_is_ignored() {
    for (id, stored) in [
        ("run_web_corrupt", "{not json"),
        ("run_web_wrong", r#"{"attempts":"many"}"#),
    ] {
        session().set_item(&storage_key(id), stored).unwrap();
        let slot = std::rc::Rc::new(std::cell::Cell::new(None));
        let s = slot.clone();
        let (root, _h) = mount(move || {
            let attempts = Attempts::new(id);
            s.set(Some(attempts));
            provide_context(attempts);
            let mut run = golden();
            run.steps[2].attempt_no = 2;
            let run = Store::new(run);
            view! { <StepTimeline run /> }
        });
        settle().await;
        let attempts = slot.get().unwrap();
        assert_eq!(
            attempts.memory.get_untracked().attempts.len(),
            0,
            "{stored}"
        );
        assert_eq!(count(&root, ".step-row__attempt-mark"), 0);
        // Still a working memory: a raised attempt is kept.
        let prev = golden().steps[2].clone();
        let mut next = prev.clone();
        next.attempt_no = 2;
        let update = runview::api::decode::Steps::Patch(vec![(2, next)]);
        attempts.observe(&golden().steps, &update);
        settle().await;
        assert_eq!(attempts.memory.get_untracked().attempts.len(), 1);
        assert_eq!(count(&root, "#step-step_003 .step-row__attempt-mark"), 1);
        session().remove_item(&storage_key(id)).unwrap();
    }
}
