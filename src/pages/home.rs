use crate::api::Status;
use crate::components::StatusBadge;
use crate::routes;
use crate::state::recent::{RecentBlueprints, RecentRuns};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Reads a run id out of what a person pasted: a bare id, or a runview or
/// API URL ending in `/runs/<id>` (query and fragment ignored).
pub fn parse_run_input(input: &str) -> Option<String> {
    let s = input.trim();
    let s = s.split(['?', '#']).next().unwrap_or("");
    let id = match s.rfind("/runs/") {
        Some(i) => s[i + "/runs/".len()..].trim_end_matches('/'),
        None => s,
    };
    (!id.is_empty() && !id.contains('/') && !id.chars().any(char::is_whitespace))
        .then(|| id.to_string())
}

/// The home page: open a run by id, or pick one watched before.
#[component]
pub fn HomePage() -> impl IntoView {
    let recent = RecentRuns::expect();
    let blueprints = RecentBlueprints::try_expect();
    let input = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let navigate = use_navigate();
    let open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match parse_run_input(&input.get_untracked()) {
            Some(id) => navigate(&routes::run(&id), Default::default()),
            None => error.set(Some(
                "Enter a run id such as run_abc123, or paste a run URL.",
            )),
        }
    };
    view! {
        <section class="home">
            <h1>"Watch a run"</h1>
            <form class="home__form" on:submit=open>
                <label class="field">
                    <span class="field__label">"Run id"</span>
                    <input type="text" name="run_id" placeholder="run_abc123" autocomplete="off" spellcheck="false"
                        aria-describedby="run-id-error"
                        prop:value=input on:input=move |ev| { error.set(None); input.set(event_target_value(&ev)); } />
                </label>
                <button type="submit" class="button button--primary">"Open run"</button>
                <p id="run-id-error" class="field__error" aria-live="polite">{move || error.get()}</p>
            </form>
            <div class="home__lists">
            <div class="home__list">
            <h2>"Recent runs"</h2>
            {move || {
                let list = recent.list.get();
                if list.is_empty() {
                    view! {
                        <p class="empty">"No runs watched yet. Open one above; with the simulator, try run_demo."</p>
                    }.into_any()
                } else {
                    view! {
                        <ul class="recent">
                            {list.into_iter().map(|r| {
                                let href = routes::run(&r.run_id);
                                let status = Status::from(r.status.clone());
                                view! {
                                    <li class="recent__item">
                                        <a href=href><code>{r.run_id.clone()}</code></a>
                                        <StatusBadge status=Signal::stored(status) />
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <button type="button" class="button button--small" on:click=move |_| recent.clear()>"Clear list"</button>
                    }.into_any()
                }
            }}
            </div>
            {blueprints.map(|bps| view! { <RecentBlueprintList recent=bps /> })}
            </div>
        </section>
    }
}

/// The blueprints whose history was opened here, newest first.
#[component]
fn RecentBlueprintList(
    /// The list from context.
    recent: RecentBlueprints,
) -> impl IntoView {
    view! {
        <div class="home__list">
            <h2>"Recent blueprints"</h2>
            {move || {
                let list = recent.list.get();
                if list.is_empty() {
                    view! {
                        <p class="empty">"No blueprint histories opened yet. A run page links to its blueprint's other runs."</p>
                    }.into_any()
                } else {
                    view! {
                        <ul class="recent">
                            {list.into_iter().map(|b| {
                                let href = routes::history(&b.blueprint_id);
                                view! {
                                    <li class="recent__item">
                                        <a href=href>"Runs of " <code>{b.blueprint_id.clone()}</code></a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <button type="button" class="button button--small" on:click=move |_| recent.clear()>"Clear blueprints"</button>
                    }.into_any()
                }
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_from_ids_and_urls() {
        assert_eq!(
            parse_run_input(" run_abc123 ").as_deref(),
            Some("run_abc123")
        );
        assert_eq!(
            parse_run_input("http://127.0.0.1:8080/runs/run_demo?step=s1#x").as_deref(),
            Some("run_demo")
        );
        assert_eq!(
            parse_run_input("https://api.wondercat.ai/api/v1/runs/run_x/").as_deref(),
            Some("run_x")
        );
        assert_eq!(parse_run_input(""), None);
        assert_eq!(parse_run_input("two words"), None);
        assert_eq!(parse_run_input("a/b"), None);
    }
}
