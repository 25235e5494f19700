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

    /// What the client needs to call the API, as a signal (what the polling
    /// hooks follow: every save or forgotten key notifies it).
    pub fn api(&self) -> Signal<ApiConfig> {
        let this = *self;
        Signal::derive(move || this.config())
    }

    /// What the client needs to call the API.
    pub fn config(&self) -> ApiConfig {
        ApiConfig {
            base_url: self.base_url.get(),
            key: self.key(),
            project: self.project.get(),
        }
    }

    /// Saves the form once [`clean`] accepts it (the key goes to exactly one
    /// storage); otherwise saves nothing and returns what to say next to
    /// each refused field.
    pub fn save(&self, form: SettingsForm) -> Result<(), FormErrors> {
        let form = clean(form)?;
        self.set_base_url.set(form.base_url);
        self.set_project.set(form.project);
        let key = form.key;
        if form.remember {
            self.set_local_key.set(key);
            self.set_session_key.set(String::new());
        } else {
            self.set_session_key.set(key);
            self.set_local_key.set(String::new());
        }
        self.notice.set(None);
        self.panel_open.set(false);
        Ok(())
    }

    /// Removes the key from both storages.
    pub fn forget_key(&self) {
        self.set_session_key.set(String::new());
        self.set_local_key.set(String::new());
    }

    /// Opens the panel with a message saying why.
    pub fn open_with(&self, notice: impl Into<String>) {
        self.notice.set(Some(notice.into()));
        self.panel_open.set(true);
    }
}

/// Why a field of the settings form was refused, per field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormErrors {
    /// What is wrong with the API key.
    pub key: Option<String>,
    /// What is wrong with the project.
    pub project: Option<String>,
}

/// Characters a paste brings along unseen: no-break and zero-width spaces,
/// the byte-order mark, word joiner, soft hyphen, Mongolian vowel separator.
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00A0}' | '\u{00AD}' | '\u{180E}' | '\u{200B}'
                ..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

/// The first character an HTTP header value cannot carry as typed (only
/// visible ASCII, and spaces inside), with a message naming it.
fn header_refusal(value: &str, spaces_inside: bool, what: &str) -> Option<String> {
    let bad = value
        .chars()
        .find(|&c| !(c.is_ascii_graphic() || (spaces_inside && c == ' ')))?;
    let shown = if bad.is_control() {
        String::from("a control character")
    } else {
        format!("“{bad}”")
    };
    Some(format!(
        "The {what} contains {shown} (U+{:04X}), which cannot be sent in an HTTP header. \
         Only letters A–Z, digits and ASCII punctuation can.",
        u32::from(bad)
    ))
}

/// Cleans a submitted form, or says why it cannot be saved:
/// - the base URL loses surrounding spaces and trailing slashes;
/// - the key loses every invisible or whitespace character (a password
///   manager's trailing no-break space, a chat app's zero-width space or
///   byte-order mark), then must be visible ASCII;
/// - the project loses invisible characters and surrounding spaces, then
///   must be visible ASCII (spaces inside are fine).
pub fn clean(form: SettingsForm) -> Result<SettingsForm, FormErrors> {
    let key: String = form.key.chars().filter(|&c| !invisible(c)).collect();
    let project: String = form
        .project
        .chars()
        .filter(|&c| c.is_whitespace() || !invisible(c))
        .collect::<String>()
        .trim_matches(invisible)
        .to_string();
    let errors = FormErrors {
        key: header_refusal(&key, false, "API key"),
        project: header_refusal(&project, true, "project"),
    };
    if errors != FormErrors::default() {
        return Err(errors);
    }
    Ok(SettingsForm {
        base_url: form.base_url.trim().trim_end_matches('/').to_string(),
        key,
        project,
        remember: form.remember,
    })
}

/// A warning for an API base URL that would carry the key in clear text:
/// `http://` to a host other than this machine.
pub fn clear_text_warning(base_url: &str) -> Option<&'static str> {
    crate::model::url::is_clear_text_remote(base_url.trim()).then_some(
        "This address uses http:// to another machine: the API key would travel \
         unencrypted, readable by anyone on the network. Use https://.",
    )
}

/// Whether a key looks like the documented form `sk_` + 64 hex characters.
pub fn key_looks_valid(key: &str) -> bool {
    key.strip_prefix("sk_")
        .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(key: &str, project: &str) -> SettingsForm {
        SettingsForm {
            base_url: " https://api.example/ ".into(),
            key: key.into(),
            project: project.into(),
            remember: false,
        }
    }

    #[test]
    fn pasted_invisible_characters_are_cleaned_from_the_key() {
        let key = format!("sk_{}", "5eed".repeat(16));
        for pasted in [
            format!("{key}\u{00A0}"),
            format!("\u{FEFF}{key}"),
            format!(" {key}\u{200B}\n"),
            format!("sk_\u{200D}{}\t", "5eed".repeat(16)),
        ] {
            let cleaned = clean(form(&pasted, "")).unwrap();
            assert_eq!(cleaned.key, key, "{pasted:?}");
            assert_eq!(cleaned.base_url, "https://api.example");
        }
        let p = clean(form("k", "\u{FEFF} my project\u{00A0}")).unwrap();
        assert_eq!(p.project, "my project");
    }

    #[test]
    fn what_a_header_cannot_carry_is_refused_with_a_message() {
        let errors = clean(form("sk_é", "プロジェクト")).unwrap_err();
        assert_eq!(
            errors.key.as_deref(),
            Some("The API key contains “é” (U+00E9), which cannot be sent in an HTTP header. Only letters A–Z, digits and ASCII punctuation can.")
        );
        assert_eq!(
            errors.project.as_deref(),
            Some("The project contains “プ” (U+30D7), which cannot be sent in an HTTP header. Only letters A–Z, digits and ASCII punctuation can.")
        );
        let control = clean(form("sk_\u{7}x", "ok")).unwrap_err();
        assert!(control
            .key
            .unwrap()
            .contains("a control character (U+0007)"));
        assert_eq!(control.project, None);
        assert_eq!(clean(form("", "")).map(|f| f.key), Ok(String::new()));
    }

    #[test]
    fn clear_text_to_another_machine_is_warned_about() {
        assert!(clear_text_warning("http://api.example.com").is_some());
        assert!(clear_text_warning("http://192.168.1.4:8090").is_some());
        for fine in [
            "",
            "https://api.wondercat.ai",
            "http://127.0.0.1:8090",
            "http://localhost:8090/",
            "http://[::1]:8090",
            "http://app.localhost",
        ] {
            assert_eq!(clear_text_warning(fine), None, "{fine}");
        }
    }

    #[test]
    fn key_shape() {
        assert!(key_looks_valid(&format!("sk_{}", "5eed".repeat(16))));
        assert!(!key_looks_valid("sk_123"));
        assert!(!key_looks_valid(&format!("pk_{}", "0".repeat(64))));
        assert!(!key_looks_valid(&format!("sk_{}", "g".repeat(64))));
    }
}
