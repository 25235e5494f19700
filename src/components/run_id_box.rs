use crate::model::shortcuts::Action;
use crate::state::page_actions::PageActions;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The top bar's compact "open a run" box, on every page; `/` focuses it (the
/// [`Action::FocusRunId`] shortcut). An id that does not parse is reported by
/// the browser's own validation bubble, and the text stays in the box.
#[component]
pub fn RunIdBox(
    /// Reads a run id out of what a person typed or pasted (an id or a URL).
    parse: fn(&str) -> Option<String>,
) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    let navigate = use_navigate();
    if let Some(actions) = PageActions::try_expect() {
        actions.register(
            Action::FocusRunId,
            Callback::new(move |_| {
                if let Some(el) = input.get_untracked() {
                    let _ = el.focus();
                    el.select();
                }
            }),
        );
    }
    let open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(el) = input.get_untracked() else {
            return;
        };
        match parse(&el.value()) {
            Some(id) => {
                el.set_custom_validity("");
                el.set_value("");
                navigate(&crate::routes::run(&id), Default::default());
            }
            None => {
                el.set_custom_validity("Enter a run id such as run_abc123, or paste a run URL.");
                el.report_validity();
            }
        }
    };
    view! {
        <form class="topbar__open" role="search" aria-label="Open a run" on:submit=open>
            <label class="visually-hidden" for="topbar-run-id">"Run id or URL"</label>
            <input id="topbar-run-id" class="topbar__input" type="text" name="run_id" node_ref=input
                placeholder="run_abc123" autocomplete="off" spellcheck="false"
                on:input=move |_| if let Some(el) = input.get_untracked() { el.set_custom_validity("") } />
            <button type="submit" class="button button--small">"Open"</button>
        </form>
    }
}
