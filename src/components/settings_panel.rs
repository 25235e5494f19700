use crate::components::TimeModeRadios;
use crate::state::deployment::KeySource;
use crate::state::settings::{
    clear_text_warning, key_looks_valid, FormErrors, Settings, SettingsForm, PRODUCTION_BASE_URL,
};
use leptos::prelude::*;

/// The settings dialog: API base URL, API key and project, with where the key
/// is kept. Opens by itself (with a message) when the API refuses the key.
/// Invisible characters pasted with a key are removed on save; a key or
/// project an HTTP header cannot carry is refused with a message next to
/// its field; an `http://` base URL to another machine gets a warning.
/// Served by a proxy that keeps the key (`KeySource::Server`), it says so
/// instead of asking for one.
#[component]
pub fn SettingsPanel() -> impl IntoView {
    let settings = Settings::expect();
    // Whether a proxy keeps the key: fixed for the page's life (read once from its <meta>).
    let server_key = KeySource::of_page() == KeySource::Server;
    let fields = use_fields(settings);
    let Fields { key, errors, .. } = fields;
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let saved = settings.save(fields.form());
        errors.set(saved.err().unwrap_or_default());
    };
    view! {
        <Show when=move || settings.panel_open.get()>
            <div class="settings" role="dialog" aria-modal="true" aria-labelledby="settings-heading"
                on:keydown=move |ev| if ev.key() == "Escape" { settings.panel_open.set(false) }>
                <form class="settings__form" on:submit=save>
                    <h2 id="settings-heading">"Settings"</h2>
                    {move || settings.notice.get().map(|n| view! { <p class="settings__notice" role="alert">{n}</p> })}
                    <BaseUrlField base_url=fields.base_url />
                    // Behind a proxy that keeps the key: no key field, one line saying why.
                    {server_key.then(|| view! {
                        <p class="field__hint settings__managed" role="note">
                            "The API key is managed by the server: this page reaches the API through it, and no key is kept in this browser."
                        </p>
                    })}
                    {(!server_key).then(|| view! { <KeyFields fields /> })}
                    <ProjectField fields />
                    <TimeModeRadios />
                    <div class="settings__buttons">
                        <button type="submit" class="button button--primary">"Save"</button>
                        {(!server_key).then(|| view! {
                            <button type="button" class="button" on:click=move |_| { settings.forget_key(); key.set(String::new()); }>"Forget key"</button>
                        })}
                        <button type="button" class="button" on:click=move |_| settings.panel_open.set(false)>"Cancel"</button>
                    </div>
                </form>
            </div>
        </Show>
    }
}

/// The form's fields, filled from the settings each time the panel opens.
#[derive(Clone, Copy)]
struct Fields {
    base_url: RwSignal<String>,
    key: RwSignal<String>,
    project: RwSignal<String>,
    remember: RwSignal<bool>,
    /// What was refused at the last save, per field.
    errors: RwSignal<FormErrors>,
}

impl Fields {
    /// What the form holds now.
    fn form(&self) -> SettingsForm {
        SettingsForm {
            base_url: self.base_url.get_untracked(),
            key: self.key.get_untracked(),
            project: self.project.get_untracked(),
            remember: self.remember.get_untracked(),
        }
    }
}

/// The form's fields for `settings`, refilled from storage each time the
/// panel opens.
fn use_fields(settings: Settings) -> Fields {
    let fields = Fields {
        base_url: RwSignal::new(String::new()),
        key: RwSignal::new(String::new()),
        project: RwSignal::new(String::new()),
        remember: RwSignal::new(false),
        errors: RwSignal::new(FormErrors::default()),
    };
    Effect::new(move |_| {
        if settings.panel_open.get() {
            fields.errors.set(FormErrors::default());
            let form = settings.form();
            fields.base_url.set(form.base_url);
            fields.key.set(form.key);
            fields.project.set(form.project);
            fields.remember.set(form.remember);
        }
    });
    fields
}

/// The API base URL, its presets, and a warning for clear text to another
/// machine.
#[component]
fn BaseUrlField(
    /// The field's value.
    base_url: RwSignal<String>,
) -> impl IntoView {
    let clear_text = move || base_url.with(|b| clear_text_warning(b));
    view! {
        <label class="field">
            <span class="field__label">"API base URL"</span>
            <input type="url" name="base_url" autocomplete="url" placeholder="This page's origin"
                aria-describedby="settings-base-warning"
                prop:value=base_url on:input=move |ev| base_url.set(event_target_value(&ev)) />
        </label>
        {move || clear_text().map(|w| view! { <p id="settings-base-warning" class="field__warning" role="status">{w}</p> })}
        <div class="field__actions">
            <button type="button" class="button button--small" on:click=move |_| base_url.set(PRODUCTION_BASE_URL.into())>
                "Use production (api.wondercat.ai)"
            </button>
            <button type="button" class="button button--small" on:click=move |_| base_url.set(String::new())>
                "Use this page's origin"
            </button>
        </div>
    }
}

/// The API key (focused when the panel opens), its error and hint, and
/// where it is kept.
#[component]
fn KeyFields(
    /// The form.
    fields: Fields,
) -> impl IntoView {
    let Fields {
        key,
        remember,
        errors,
        ..
    } = fields;
    let key_input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = key_input.get() {
            let _ = input.focus();
        }
    });
    let key_hint = move || {
        let k = key.get();
        (!k.is_empty() && !key_looks_valid(k.trim()))
            .then_some("Keys usually look like sk_ followed by 64 hex characters.")
    };
    let key_error = move || errors.with(|e| e.key.clone());
    view! {
        <label class="field">
            <span class="field__label">"API key"</span>
            <input type="password" name="api_key" autocomplete="off" spellcheck="false" node_ref=key_input
                aria-describedby="settings-key-error" aria-invalid=move || key_error().is_some().to_string()
                prop:value=key on:input=move |ev| key.set(event_target_value(&ev)) />
        </label>
        {move || key_error().map(|e| view! { <p id="settings-key-error" class="field__error" role="alert">{e}</p> })}
        {move || key_hint().map(|h| view! { <p class="field__hint">{h}</p> })}
        <label class="field field--check">
            <input type="checkbox" prop:checked=remember on:change=move |ev| remember.set(event_target_checked(&ev)) />
            <span>"Remember on this device"</span>
        </label>
        <p class="field__hint">
            "The key stays in this browser: this tab only, or this device if remembered. It is sent only to the API base URL above, never to media hosts."
        </p>
    }
}

/// The optional project and its error.
#[component]
fn ProjectField(
    /// The form.
    fields: Fields,
) -> impl IntoView {
    let Fields {
        project, errors, ..
    } = fields;
    let project_error = move || errors.with(|e| e.project.clone());
    view! {
        <label class="field">
            <span class="field__label">"Project (optional)"</span>
            <input type="text" name="project" autocomplete="off"
                aria-describedby="settings-project-error" aria-invalid=move || project_error().is_some().to_string()
                prop:value=project on:input=move |ev| project.set(event_target_value(&ev)) />
        </label>
        {move || project_error().map(|e| view! { <p id="settings-project-error" class="field__error" role="alert">{e}</p> })}
    }
}
