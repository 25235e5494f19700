//! Keyboard shortcuts: which key does what, and when a key press is ours to
//! handle at all. Plain data and one pure guard; the listener lives in the
//! view layer and dispatches to [`crate::state::page_actions::PageActions`].

/// Where a shortcut applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every page.
    Global,
    /// The run page.
    Run,
    /// The full-size media viewer, while open.
    Viewer,
}

/// What a shortcut asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Open the help overlay listing every shortcut.
    Help,
    /// Focus the run-id box.
    FocusRunId,
    /// Go home (the two-key sequence `g` then `h`).
    GoHome,
    /// Move the step focus down.
    NextStep,
    /// Move the step focus up.
    PrevStep,
    /// Open the focused step's outputs.
    OpenStep,
    /// Cycle the step filter.
    CycleFilter,
    /// Refresh now.
    Refresh,
    /// Pause or resume live updates.
    TogglePause,
    /// Go to the blueprint's run history.
    History,
    /// Viewer: previous item.
    ViewerPrev,
    /// Viewer: next item.
    ViewerNext,
    /// Viewer: close.
    ViewerClose,
    /// Viewer: download the open item.
    ViewerDownload,
}

/// One row of the help overlay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shortcut {
    /// The keys, as shown to a person (`"g h"` is a sequence).
    pub keys: &'static str,
    /// What it does, as shown to a person.
    pub label: &'static str,
    /// Where it applies.
    pub scope: Scope,
    /// What it asks for.
    pub action: Action,
}

/// Every shortcut, in the order the help overlay lists them.
pub const SHORTCUTS: &[Shortcut] = &[
    Shortcut {
        keys: "?",
        label: "Show keyboard shortcuts",
        scope: Scope::Global,
        action: Action::Help,
    },
    Shortcut {
        keys: "/",
        label: "Focus the run id box",
        scope: Scope::Global,
        action: Action::FocusRunId,
    },
    Shortcut {
        keys: "g h",
        label: "Go home",
        scope: Scope::Global,
        action: Action::GoHome,
    },
    Shortcut {
        keys: "j",
        label: "Next step",
        scope: Scope::Run,
        action: Action::NextStep,
    },
    Shortcut {
        keys: "k",
        label: "Previous step",
        scope: Scope::Run,
        action: Action::PrevStep,
    },
    Shortcut {
        keys: "Enter",
        label: "Open the focused step's outputs",
        scope: Scope::Run,
        action: Action::OpenStep,
    },
    Shortcut {
        keys: "f",
        label: "Cycle the step filter",
        scope: Scope::Run,
        action: Action::CycleFilter,
    },
    Shortcut {
        keys: "r",
        label: "Refresh now",
        scope: Scope::Run,
        action: Action::Refresh,
    },
    Shortcut {
        keys: "p",
        label: "Pause or resume live updates",
        scope: Scope::Run,
        action: Action::TogglePause,
    },
    Shortcut {
        keys: "h",
        label: "Other runs of this blueprint",
        scope: Scope::Run,
        action: Action::History,
    },
    Shortcut {
        keys: "←",
        label: "Previous output",
        scope: Scope::Viewer,
        action: Action::ViewerPrev,
    },
    Shortcut {
        keys: "→",
        label: "Next output",
        scope: Scope::Viewer,
        action: Action::ViewerNext,
    },
    Shortcut {
        keys: "Esc",
        label: "Close the viewer",
        scope: Scope::Viewer,
        action: Action::ViewerClose,
    },
    Shortcut {
        keys: "d",
        label: "Download the open output",
        scope: Scope::Viewer,
        action: Action::ViewerDownload,
    },
];

/// The facts of a key press that decide whether a shortcut may fire.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyPress<'a> {
    /// `KeyboardEvent.key`.
    pub key: &'a str,
    /// Ctrl, Alt or Meta held (Shift is part of the key: `?` is Shift+/).
    pub modifier: bool,
    /// The event target is a field a person types into (input, textarea,
    /// select, or contenteditable).
    pub typing: bool,
    /// The key is auto-repeating.
    pub repeat: bool,
}

/// Whether a key press is a candidate for a shortcut: never while typing in a
/// field, never with Ctrl/Alt/Meta (those belong to the browser), never a
/// repeat (except for moving through steps, where holding `j` should walk).
pub fn accepts(press: KeyPress<'_>) -> bool {
    if press.typing || press.modifier {
        return false;
    }
    !press.repeat || matches!(press.key, "j" | "k" | "ArrowLeft" | "ArrowRight")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_and_modifiers_are_never_shortcuts() {
        let press = KeyPress {
            key: "j",
            ..Default::default()
        };
        assert!(accepts(press));
        assert!(!accepts(KeyPress {
            typing: true,
            ..press
        }));
        assert!(!accepts(KeyPress {
            modifier: true,
            ..press
        }));
        assert!(!accepts(KeyPress {
            key: "r",
            repeat: true,
            ..press
        }));
        assert!(accepts(KeyPress {
            repeat: true,
            ..press
        }));
    }

    #[test]
    fn every_action_is_listed_once() {
        let mut actions: Vec<_> = SHORTCUTS
            .iter()
            .map(|s| format!("{:?}", s.action))
            .collect();
        let n = actions.len();
        actions.sort();
        actions.dedup();
        assert_eq!(actions.len(), n);
        assert_eq!(n, 14);
    }
}
