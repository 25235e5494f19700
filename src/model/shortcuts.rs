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
    /// Focus the step search (on a run page; elsewhere `/` focuses the
    /// run-id box: see [`Action::fallback`]).
    FocusSearch,
    /// Zoom the timeline in.
    ZoomIn,
    /// Zoom the timeline out.
    ZoomOut,
    /// Fit the whole run in the timeline.
    ZoomFit,
    /// Enter or leave replay.
    ToggleReplay,
    /// Replay: back to the previous moment a step started or finished.
    ReplayBack,
    /// Replay: on to the next moment a step started or finished.
    ReplayForward,
}

impl Action {
    /// What to do instead when nothing on the page offers this action:
    /// `/` focuses the step search on a run page and the run-id box
    /// everywhere else.
    pub fn fallback(self) -> Option<Action> {
        match self {
            Self::FocusSearch => Some(Self::FocusRunId),
            _ => None,
        }
    }
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
    Shortcut {
        keys: "/",
        label: "Search the steps",
        scope: Scope::Run,
        action: Action::FocusSearch,
    },
    Shortcut {
        keys: "+",
        label: "Zoom the timeline in (also =)",
        scope: Scope::Run,
        action: Action::ZoomIn,
    },
    Shortcut {
        keys: "-",
        label: "Zoom the timeline out",
        scope: Scope::Run,
        action: Action::ZoomOut,
    },
    Shortcut {
        keys: "0",
        label: "Fit the whole run in the timeline",
        scope: Scope::Run,
        action: Action::ZoomFit,
    },
    Shortcut {
        keys: "t",
        label: "Enter or leave replay",
        scope: Scope::Run,
        action: Action::ToggleReplay,
    },
    Shortcut {
        keys: ",",
        label: "Replay: previous change",
        scope: Scope::Run,
        action: Action::ReplayBack,
    },
    Shortcut {
        keys: ".",
        label: "Replay: next change",
        scope: Scope::Run,
        action: Action::ReplayForward,
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
    /// The event target handles this key itself (Enter on a button or link,
    /// an arrow on a media player or slider).
    pub control: bool,
}

/// Whether a key press is a candidate for a shortcut: never while typing in a
/// field, never with Ctrl/Alt/Meta (those belong to the browser), never a
/// repeat (except for moving through steps or replay changes, where holding
/// `j` or `.` should walk, and zooming, where holding `+` or `-` keeps
/// zooming),
/// and never Enter, Space or an arrow on a control that handles them itself
/// (a button, a link, a media player).
pub fn accepts(press: KeyPress<'_>) -> bool {
    if press.typing || press.modifier {
        return false;
    }
    if press.control && matches!(press.key, "Enter" | " " | "ArrowLeft" | "ArrowRight") {
        return false;
    }
    !press.repeat
        || matches!(
            press.key,
            "j" | "k" | "ArrowLeft" | "ArrowRight" | "+" | "=" | "-" | "," | "."
        )
}

impl Scope {
    /// The heading of this scope in the help overlay.
    pub fn heading(self) -> &'static str {
        match self {
            Self::Global => "Everywhere",
            Self::Run => "On a run page",
            Self::Viewer => "In the media viewer",
        }
    }
}

/// What is open over the page; it decides which shortcuts are live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    /// Nothing: the page's own shortcuts.
    Page,
    /// The media viewer (modal): only its keys, plus `?`.
    Viewer,
    /// The help overlay (modal): only `?` and Esc, which close it.
    Help,
}

/// How long the second key of a sequence (`g` then `h`) may wait, in ms.
pub const SEQUENCE_TIMEOUT_MS: i64 = 1500;

/// The state between two key presses: turns accepted key presses into
/// actions, including the two-key sequence `g` then `h`. Pure: the caller
/// passes the time of each press.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sequence {
    /// When a `g` was pressed that may start `g h`.
    pending_g: Option<i64>,
}

impl Sequence {
    /// Feeds one key press that [`accepts`] let through, at `now_ms`, with
    /// `layer` open; returns the action it asks for, if any. For
    /// [`Layer::Help`], [`Action::Help`] means "close the overlay".
    pub fn press(&mut self, key: &str, layer: Layer, now_ms: i64) -> Option<Action> {
        let pending = self
            .pending_g
            .take()
            .is_some_and(|at| now_ms.saturating_sub(at) <= SEQUENCE_TIMEOUT_MS);
        match layer {
            Layer::Help => matches!(key, "?" | "Escape").then_some(Action::Help),
            Layer::Viewer => match key {
                "?" => Some(Action::Help),
                "ArrowLeft" => Some(Action::ViewerPrev),
                "ArrowRight" => Some(Action::ViewerNext),
                "Escape" => Some(Action::ViewerClose),
                "d" => Some(Action::ViewerDownload),
                _ => None,
            },
            Layer::Page => match key {
                "h" if pending => Some(Action::GoHome),
                "g" => {
                    self.pending_g = Some(now_ms);
                    None
                }
                "?" => Some(Action::Help),
                "/" => Some(Action::FocusSearch),
                "j" => Some(Action::NextStep),
                "k" => Some(Action::PrevStep),
                "Enter" => Some(Action::OpenStep),
                "f" => Some(Action::CycleFilter),
                "r" => Some(Action::Refresh),
                "p" => Some(Action::TogglePause),
                "h" => Some(Action::History),
                "+" | "=" => Some(Action::ZoomIn),
                "-" => Some(Action::ZoomOut),
                "0" => Some(Action::ZoomFit),
                "t" => Some(Action::ToggleReplay),
                "," => Some(Action::ReplayBack),
                "." => Some(Action::ReplayForward),
                _ => None,
            },
        }
    }

    /// Whether a `g` is waiting for its second key (as of `now_ms`).
    pub fn is_pending(&self, now_ms: i64) -> bool {
        self.pending_g
            .is_some_and(|at| now_ms.saturating_sub(at) <= SEQUENCE_TIMEOUT_MS)
    }
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
    fn enter_and_arrows_on_a_control_are_the_control_s() {
        let on_button = |key| KeyPress {
            key,
            control: true,
            ..Default::default()
        };
        assert!(!accepts(on_button("Enter")));
        assert!(!accepts(on_button(" ")));
        assert!(!accepts(on_button("ArrowLeft")));
        assert!(!accepts(on_button("ArrowRight")));
        assert!(accepts(on_button("j")));
        assert!(accepts(on_button("?")));
        assert!(accepts(KeyPress {
            key: "Enter",
            ..Default::default()
        }));
    }

    /// Presses `keys` (each 100 ms apart) on `layer`; the actions they asked for.
    fn actions(keys: &[&str], layer: Layer) -> Vec<Option<Action>> {
        let mut seq = Sequence::default();
        keys.iter()
            .enumerate()
            .map(|(i, k)| seq.press(k, layer, i as i64 * 100))
            .collect()
    }

    #[test]
    fn single_keys_on_the_page() {
        use Action::*;
        assert_eq!(
            actions(
                &["?", "/", "j", "k", "Enter", "f", "r", "p", "h", "x", "d"],
                Layer::Page
            ),
            [
                Some(Help),
                Some(FocusSearch),
                Some(NextStep),
                Some(PrevStep),
                Some(OpenStep),
                Some(CycleFilter),
                Some(Refresh),
                Some(TogglePause),
                Some(History),
                None,
                None
            ]
        );
    }

    #[test]
    fn zoom_keys_on_the_page_only() {
        use Action::*;
        assert_eq!(
            actions(&["+", "=", "-", "0"], Layer::Page),
            [Some(ZoomIn), Some(ZoomIn), Some(ZoomOut), Some(ZoomFit)]
        );
        assert_eq!(actions(&["+", "-", "0"], Layer::Viewer), [None, None, None]);
        let held = |key| KeyPress {
            key,
            repeat: true,
            ..Default::default()
        };
        assert!(accepts(held("+")) && accepts(held("-")) && !accepts(held("0")));
        // Ctrl with + and - is the browser's own zoom.
        assert!(!accepts(KeyPress {
            key: "+",
            modifier: true,
            ..Default::default()
        }));
    }

    #[test]
    fn replay_keys_on_the_page_only() {
        use Action::*;
        assert_eq!(
            actions(&["t", ",", "."], Layer::Page),
            [Some(ToggleReplay), Some(ReplayBack), Some(ReplayForward)]
        );
        assert_eq!(actions(&["t", ",", "."], Layer::Viewer), [None, None, None]);
        // Holding `.` walks through the changes; holding `t` does not flicker.
        let held = |key| KeyPress {
            key,
            repeat: true,
            ..Default::default()
        };
        assert!(accepts(held(".")) && accepts(held(",")));
        assert!(!accepts(held("t")));
    }

    #[test]
    fn g_then_h_goes_home_within_the_timeout_only() {
        use Action::*;
        assert_eq!(actions(&["g", "h"], Layer::Page), [None, Some(GoHome)]);
        // Another key in between cancels the sequence; `h` alone is history.
        assert_eq!(
            actions(&["g", "x", "h"], Layer::Page),
            [None, None, Some(History)]
        );
        // The key after `g` is handled as itself.
        assert_eq!(actions(&["g", "r"], Layer::Page), [None, Some(Refresh)]);
        // `g g h` still goes home: the second `g` restarts the wait.
        assert_eq!(
            actions(&["g", "g", "h"], Layer::Page),
            [None, None, Some(GoHome)]
        );
        let mut seq = Sequence::default();
        assert_eq!(seq.press("g", Layer::Page, 1000), None);
        assert!(seq.is_pending(1000 + SEQUENCE_TIMEOUT_MS));
        assert!(!seq.is_pending(1001 + SEQUENCE_TIMEOUT_MS));
        assert_eq!(
            seq.press("h", Layer::Page, 1001 + SEQUENCE_TIMEOUT_MS),
            Some(History)
        );
        // A sequence started on the page does not survive a modal.
        assert_eq!(actions(&["g", "h"], Layer::Viewer), [None, None]);
    }

    #[test]
    fn modals_take_only_their_keys() {
        use Action::*;
        assert_eq!(
            actions(
                &["ArrowLeft", "ArrowRight", "d", "Escape", "?", "j", "r", "/"],
                Layer::Viewer
            ),
            [
                Some(ViewerPrev),
                Some(ViewerNext),
                Some(ViewerDownload),
                Some(ViewerClose),
                Some(Help),
                None,
                None,
                None
            ]
        );
        assert_eq!(
            actions(&["j", "/", "Escape", "?", "ArrowLeft"], Layer::Help),
            [None, None, Some(Help), Some(Help), None]
        );
        // The page's layer ignores the viewer's keys.
        assert_eq!(
            actions(&["ArrowLeft", "ArrowRight", "Escape"], Layer::Page),
            [None, None, None]
        );
    }

    #[test]
    fn the_table_says_what_the_keys_do() {
        // Every row of the help overlay, typed as shown, does what it says.
        for s in SHORTCUTS {
            let layer = match s.scope {
                Scope::Global | Scope::Run => Layer::Page,
                Scope::Viewer => Layer::Viewer,
            };
            let keys: Vec<&str> = s
                .keys
                .split(' ')
                .map(|k| match k {
                    "Esc" => "Escape",
                    "←" => "ArrowLeft",
                    "→" => "ArrowRight",
                    k => k,
                })
                .collect();
            let done = actions(&keys, layer);
            let last = done.last().copied().flatten();
            assert!(
                last == Some(s.action) || last.and_then(Action::fallback) == Some(s.action),
                "{}",
                s.keys
            );
        }
        assert_eq!(Scope::Global.heading(), "Everywhere");
        assert_eq!(Scope::Run.heading(), "On a run page");
        assert_eq!(Scope::Viewer.heading(), "In the media viewer");
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
        assert_eq!(n, 21);
    }

    #[test]
    fn slash_searches_the_steps_or_else_focuses_the_run_id_box() {
        assert_eq!(actions(&["/"], Layer::Page), [Some(Action::FocusSearch)]);
        assert_eq!(Action::FocusSearch.fallback(), Some(Action::FocusRunId));
        assert_eq!(Action::FocusRunId.fallback(), None);
        assert_eq!(Action::NextStep.fallback(), None);
    }
}
