//! How instants are shown: relative ("3 min ago"), in the person's local
//! time, or in UTC. The choice is remembered (see
//! [`crate::state::time_display`]) and every time on every page follows it.
//!
//! Pure: the caller passes the current time and the local zone's offset,
//! so tests are deterministic.

use super::format;

/// How times are shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeMode {
    /// `3 min ago`; the exact local time on hover.
    Relative,
    /// `2026-03-20 13:00:01 (3 min ago)` in the browser's zone.
    #[default]
    Local,
    /// `2026-03-20 12:00:01 UTC (3 min ago)`.
    Utc,
}

impl TimeMode {
    /// Every mode, in the order the header's button cycles them.
    pub const ALL: [Self; 3] = [Self::Relative, Self::Local, Self::Utc];

    /// The mode as stored (`relative`, `local`, `utc`).
    pub fn value(self) -> &'static str {
        match self {
            Self::Relative => "relative",
            Self::Local => "local",
            Self::Utc => "utc",
        }
    }

    /// Reads a stored value; anything else (nothing stored yet, a value a
    /// later version wrote) is the default, local time.
    pub fn parse(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|m| m.value().eq_ignore_ascii_case(s.trim()))
            .unwrap_or_default()
    }

    /// The mode after this one, wrapping around.
    pub fn next(self) -> Self {
        let at = Self::ALL.iter().position(|m| *m == self).unwrap_or(0);
        Self::ALL[(at + 1) % Self::ALL.len()]
    }

    /// The mode for people: `relative`, `local`, `UTC`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Relative => "relative",
            Self::Local => "local",
            Self::Utc => "UTC",
        }
    }
}

/// One instant as shown: the main text, the relative time beside it (in
/// parentheses, if any) and the hover text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    /// The main text.
    pub text: String,
    /// `3 min ago`, shown beside the main text; `None` when the main text
    /// is already relative.
    pub beside: Option<String>,
    /// The hover text: the instant in the forms not shown.
    pub title: String,
}

/// `ms` (Unix ms) as `mode` shows it, at `now_ms`, in a zone `offset_min`
/// minutes *behind* UTC (JavaScript's `Date.getTimezoneOffset()`).
pub fn show(mode: TimeMode, ms: i64, now_ms: i64, offset_min: i64) -> Shown {
    let relative = format::relative(ms, now_ms);
    let local = format::local_time(ms, offset_min);
    let utc = utc_time(ms);
    match mode {
        TimeMode::Relative => Shown {
            text: relative,
            beside: None,
            title: format!("{local} · {utc}"),
        },
        TimeMode::Local => Shown {
            text: local,
            beside: Some(relative),
            title: utc,
        },
        TimeMode::Utc => Shown {
            text: utc,
            beside: Some(relative),
            title: format!("{local} local"),
        },
    }
}

/// `2026-03-20 12:00:01 UTC`; `—` out of range.
pub fn utc_time(ms: i64) -> String {
    match format::local_time(ms, 0) {
        t if t == "—" => t,
        t => format!("{t} UTC"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: i64 = 1_774_008_001_250; // 2026-03-20T12:00:01.250Z
    const NOW: i64 = AT + 180_000;

    #[test]
    fn each_mode_shows_its_form_and_the_others_on_hover() {
        assert_eq!(
            show(TimeMode::Relative, AT, NOW, -60),
            Shown {
                text: "3 min ago".into(),
                beside: None,
                title: "2026-03-20 13:00:01 · 2026-03-20 12:00:01 UTC".into(),
            }
        );
        assert_eq!(
            show(TimeMode::Local, AT, NOW, -60),
            Shown {
                text: "2026-03-20 13:00:01".into(),
                beside: Some("3 min ago".into()),
                title: "2026-03-20 12:00:01 UTC".into(),
            }
        );
        assert_eq!(
            show(TimeMode::Utc, AT, NOW, -60),
            Shown {
                text: "2026-03-20 12:00:01 UTC".into(),
                beside: Some("3 min ago".into()),
                title: "2026-03-20 13:00:01 local".into(),
            }
        );
    }

    #[test]
    fn utc_ignores_the_local_zone() {
        for offset in [-840, -330, 0, 60, 720] {
            assert_eq!(
                show(TimeMode::Utc, AT, NOW, offset).text,
                "2026-03-20 12:00:01 UTC"
            );
        }
        assert_eq!(
            show(TimeMode::Local, AT, NOW, 13 * 60).text,
            "2026-03-19 23:00:01"
        );
        assert_eq!(utc_time(i64::MAX), "—");
    }

    #[test]
    fn modes_round_trip_cycle_and_default_to_local() {
        for m in TimeMode::ALL {
            assert_eq!(TimeMode::parse(m.value()), m);
        }
        assert_eq!(TimeMode::parse(""), TimeMode::Local);
        assert_eq!(TimeMode::parse("UTC"), TimeMode::Utc);
        assert_eq!(TimeMode::parse("martian"), TimeMode::Local);
        assert_eq!(TimeMode::Relative.next(), TimeMode::Local);
        assert_eq!(TimeMode::Local.next(), TimeMode::Utc);
        assert_eq!(TimeMode::Utc.next(), TimeMode::Relative);
        assert_eq!(TimeMode::Utc.label(), "UTC");
    }
}
