//! What a status means and how it is shown.

use crate::api::Status;

impl Status {
    /// The status as the API spells it (its first word in
    /// [`Status::WORDS`]; an unknown value as received).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Unknown(s) => s,
            known => Self::WORDS
                .iter()
                .find(|(_, status)| status == known)
                .map_or("", |(word, _)| word),
        }
    }

    /// A label for people; unknown values read "unknown: <value>" (and
    /// "unknown: (none)" when the API sent none).
    pub fn label(&self) -> String {
        match self {
            Self::Unknown(s) if s.trim().is_empty() => "unknown: (none)".to_string(),
            Self::Unknown(s) => format!("unknown: {s}"),
            known => known.as_str().to_string(),
        }
    }

    /// The BEM modifier used by status styles (`status--running`); every
    /// unknown value shares `unknown`, so no API string becomes a class name.
    pub fn modifier(&self) -> &str {
        match self {
            Self::Unknown(_) => "unknown",
            known => known.as_str(),
        }
    }

    /// A one-character icon; colour is never the only signal.
    pub fn icon(&self) -> &'static str {
        match self {
            Self::Queued => "○",
            Self::Running => "●",
            Self::Succeeded => "✓",
            Self::Failed => "✗",
            Self::Skipped => "↷",
            Self::Locked => "🔒",
            Self::Canceled => "⊘",
            Self::Unknown(_) => "?",
        }
    }

    /// Whether a run in this status will change no more.
    ///
    /// `succeeded`, `failed` and `canceled` end a run. The docs say `skipped`
    /// and `locked` "count as completed", so a run reported in either is
    /// treated as ended too. Unknown values are *not* terminal: a new value is
    /// more likely a new active state than an end, and polling slowly beats
    /// freezing the page. The polling policy asks this method.
    pub fn is_terminal(&self) -> bool {
        match self {
            Self::Succeeded | Self::Failed | Self::Canceled | Self::Skipped | Self::Locked => true,
            Self::Queued | Self::Running | Self::Unknown(_) => false,
        }
    }

    /// The favicon colour (`#rrggbb`) for a run in this status.
    pub fn colour(&self) -> &'static str {
        match self {
            Self::Succeeded => "#16a34a",
            Self::Failed => "#dc2626",
            Self::Running => "#2563eb",
            Self::Queued => "#9ca3af",
            Self::Skipped | Self::Locked => "#a16207",
            Self::Canceled => "#6b7280",
            Self::Unknown(_) => "#7c3aed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_icons_and_terminality() {
        let table = [
            ("queued", "queued", "queued", "○", false),
            ("running", "running", "running", "●", false),
            ("succeeded", "succeeded", "succeeded", "✓", true),
            ("failed", "failed", "failed", "✗", true),
            ("skipped", "skipped", "skipped", "↷", true),
            ("locked", "locked", "locked", "🔒", true),
            ("canceled", "canceled", "canceled", "⊘", true),
            ("cancelled", "canceled", "canceled", "⊘", true),
            (" Cancelled ", "canceled", "canceled", "⊘", true),
            ("SUCCEEDED", "succeeded", "succeeded", "✓", true),
            ("in_progress", "unknown: in_progress", "unknown", "?", false),
            ("", "unknown: (none)", "unknown", "?", false),
        ];
        for (raw, label, modifier, icon, terminal) in table {
            let s = Status::from(raw.to_string());
            assert_eq!(s.label(), label, "{raw:?}");
            assert_eq!(s.modifier(), modifier, "{raw:?}");
            assert_eq!(s.icon(), icon, "{raw:?}");
            assert_eq!(s.is_terminal(), terminal, "{raw:?}");
        }
        assert_eq!(
            Status::from("in_progress".to_string()).as_str(),
            "in_progress"
        );
        assert_eq!(Status::Canceled.colour(), "#6b7280");
    }
}
