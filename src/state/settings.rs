//! Where the API is and the key to call it with.
//!
//! The key is the user's own, typed by them and kept only where they choose:
//! sessionStorage by default (gone when the tab closes), localStorage when
//! "Remember on this device" is ticked, nowhere after "Forget key". It is only
//! ever sent to the configured API base URL, never put in a URL or a log.

use crate::api::client::ApiConfig;
use codee::string::FromToStringCodec;
use leptos::prelude::*;
use leptos_use_storage::{use_local_storage, use_session_storage};

/// The production API host, one click away in the settings panel.
pub const PRODUCTION_BASE_URL: &str = "https://api.wondercat.ai";

const BASE_URL_KEY: &str = "runview.baseUrl";
const PROJECT_KEY: &str = "runview.project";
const API_KEY_KEY: &str = "runview.apiKey";

/// The settings context (a newtype of signals; `Copy`).
#[derive(Clone, Copy)]
pub struct Settings {
    base_url: Signal<String>,
    set_base_url: WriteSignal<String>,
    project: Signal<String>,
    set_project: WriteSignal<String>,
    session_key: Signal<String>,
    set_session_key: WriteSignal<String>,
    local_key: Signal<String>,
    set_local_key: WriteSignal<String>,
    /// Whether the settings panel is open.
    pub panel_open: RwSignal<bool>,
    /// Why the panel was opened for the person (e.g. the key was refused).
    pub notice: RwSignal<Option<String>>,
    /// Bumped on every save, so pages can refetch with the new settings.
    pub revision: RwSignal<u32>,
}

/// What the settings form submits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SettingsForm {
    /// API base URL; empty = this page's origin.
    pub base_url: String,
    /// API key.
    pub key: String,
    /// Optional project.
    pub project: String,
    /// Keep the key in localStorage instead of sessionStorage.
    pub remember: bool,
}

impl Settings {
    /// Creates the settings from browser storage and provides them as context.
    pub fn provide() -> Self {
        let (base_url, set_base_url, _) =
            use_local_storage::<String, FromToStringCodec>(BASE_URL_KEY);
        let (project, set_project, _) = use_local_storage::<String, FromToStringCodec>(PROJECT_KEY);
        let (session_key, set_session_key, _) =
            use_session_storage::<String, FromToStringCodec>(API_KEY_KEY);
        let (local_key, set_local_key, _) =
            use_local_storage::<String, FromToStringCodec>(API_KEY_KEY);
        let settings = Self {
            base_url,
            set_base_url,
            project,
            set_project,
            session_key,
            set_session_key,
            local_key,
            set_local_key,
            panel_open: RwSignal::new(false),
            notice: RwSignal::new(None),
            revision: RwSignal::new(0),
        };
        provide_context(settings);
        settings
    }

    /// The settings from context.
    pub fn expect() -> Self {
        expect_context::<Self>()
    }

    /// The key in use: the remembered one wins over the session one.
    pub fn key(&self) -> String {
        let local = self.local_key.get();
        if local.is_empty() {
            self.session_key.get()
        } else {
            local
        }
    }

    /// Whether the key is remembered on this device.
    pub fn remembered(&self) -> bool {
        !self.local_key.get().is_empty()
    }

    /// The current values, to fill the form.
    pub fn form(&self) -> SettingsForm {
        SettingsForm {
            base_url: self.base_url.get(),
            key: self.key(),
            project: self.project.get(),
            remember: self.remembered(),
        }
    }

    /// What the client needs to call the API.
    pub fn config(&self) -> ApiConfig {
        ApiConfig {
            base_url: self.base_url.get(),
            key: self.key(),
            project: self.project.get(),
        }
    }

    /// Saves the form: the key goes to exactly one storage.
    pub fn save(&self, form: SettingsForm) {
        self.set_base_url
            .set(form.base_url.trim().trim_end_matches('/').to_string());
        self.set_project.set(form.project.trim().to_string());
        let key = form.key.trim().to_string();
        if form.remember {
            self.set_local_key.set(key);
            self.set_session_key.set(String::new());
        } else {
            self.set_session_key.set(key);
            self.set_local_key.set(String::new());
        }
        self.notice.set(None);
        self.panel_open.set(false);
        self.revision.update(|r| *r += 1);
    }

    /// Removes the key from both storages.
    pub fn forget_key(&self) {
        self.set_session_key.set(String::new());
        self.set_local_key.set(String::new());
        self.revision.update(|r| *r += 1);
    }

    /// Opens the panel with a message saying why.
    pub fn open_with(&self, notice: impl Into<String>) {
        self.notice.set(Some(notice.into()));
        self.panel_open.set(true);
    }
}

/// Whether a key looks like the documented form `sk_` + 64 hex characters.
pub fn key_looks_valid(key: &str) -> bool {
    key.strip_prefix("sk_")
        .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_shape() {
        assert!(key_looks_valid(&format!("sk_{}", "5eed".repeat(16))));
        assert!(!key_looks_valid("sk_123"));
        assert!(!key_looks_valid(&format!("pk_{}", "0".repeat(64))));
        assert!(!key_looks_valid(&format!("sk_{}", "g".repeat(64))));
    }
}
