//! The person's choice of how times are shown ([`TimeMode`]), remembered in
//! localStorage (`runview.timeDisplay`) and provided app-wide.

use crate::model::time_display::TimeMode;
use codee::string::FromToStringCodec;
use leptos::prelude::*;
use leptos_use_storage::use_local_storage;

/// The localStorage key of the remembered mode.
pub const TIME_DISPLAY_KEY: &str = "runview.timeDisplay";

/// The time display context. `Copy`.
#[derive(Clone, Copy)]
pub struct TimeDisplay {
    stored: Signal<String>,
    set_stored: WriteSignal<String>,
}

impl TimeDisplay {
    /// Reads the remembered mode and provides it as context.
    pub fn provide() -> Self {
        let (stored, set_stored, _) =
            use_local_storage::<String, FromToStringCodec>(TIME_DISPLAY_KEY);
        let this = Self { stored, set_stored };
        provide_context(this);
        this
    }

    /// The mode in effect: the context's, or the default where the app
    /// provided none (a component mounted alone in a test).
    pub fn mode_here() -> Signal<TimeMode> {
        match use_context::<Self>() {
            Some(this) => Signal::derive(move || this.mode()),
            None => Signal::stored(TimeMode::default()),
        }
    }

    /// The context, if the app provided it.
    pub fn try_expect() -> Option<Self> {
        use_context::<Self>()
    }

    /// The mode in effect (reactive).
    pub fn mode(&self) -> TimeMode {
        self.stored.with(|s| TimeMode::parse(s))
    }

    /// Shows times as `mode` from now on, here and in later visits.
    pub fn set(&self, mode: TimeMode) {
        self.set_stored.set(mode.value().to_string());
    }
}
