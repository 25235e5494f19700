//! What a status means and how it is shown.

use crate::api::Status;

impl Status {
    /// The status as the API spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
            Self::Locked => "locked",
            Self::Unknown(s) => s,
        }
    }

    /// A label for people; unknown values read "unknown: <value>".
    pub fn label(&self) -> String {
        match self {
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
            Self::Unknown(_) => "?",
        }
    }

    /// Whether a run in this status will change no more.
    ///
    /// `succeeded` and `failed` end a run. The docs say `skipped` and `locked`
    /// "count as completed", so a run reported in either is treated as ended
    /// too. Unknown values are *not* terminal: a new value is more likely a new
    /// active state than an end, and polling slowly beats freezing the page.
    pub fn is_terminal(&self) -> bool {
        crate::poll::policy::is_terminal_run_status(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_icons_and_terminality() {
        let table = [
            ("queued", "queued", "queued", false),
            ("running", "running", "running", false),
            ("succeeded", "succeeded", "succeeded", true),
            ("failed", "failed", "failed", true),
            ("skipped", "skipped", "skipped", true),
            ("locked", "locked", "locked", true),
            ("cancelled", "unknown: cancelled", "unknown", true),
            ("in_progress", "unknown: in_progress", "unknown", false),
        ];
        for (raw, label, modifier, terminal) in table {
            let s = Status::from(raw.to_string());
            assert_eq!(s.as_str(), raw);
            assert_eq!(s.label(), label);
            assert_eq!(s.modifier(), modifier);
            assert_eq!(s.is_terminal(), terminal, "{raw}");
            assert!(!s.icon().is_empty());
        }
    }
}
