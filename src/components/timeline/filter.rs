//! Which steps the timeline shows: the filter's values (as they appear in
//! the URL, `?filter=failed`) and the control that changes it.

use crate::api::Status;
use leptos::prelude::*;

/// Which rows the timeline shows. Lives in the URL query as `filter`
/// ([`StepFilter::value`]); an absent or unknown value means [`StepFilter::All`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StepFilter {
    /// Every step.
    #[default]
    All,
    /// Running steps.
    Running,
    /// Queued steps.
    Queued,
    /// Succeeded steps.
    Succeeded,
    /// Failed steps.
    Failed,
    /// Everything else: skipped, locked, canceled and unknown statuses.
    Other,
}

impl StepFilter {
    /// Every filter, in the order the control lists them and `f` cycles them.
    pub const ALL: [Self; 6] = [
        Self::All,
        Self::Running,
        Self::Queued,
        Self::Succeeded,
        Self::Failed,
        Self::Other,
    ];

    /// The filter as written in the URL and the control's option values.
    pub fn value(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Running => "running",
            Self::Queued => "queued",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Other => "other",
        }
    }

    /// Reads a URL or control value; anything unknown (a typo in a shared
    /// link, a filter a later version added) shows every step.
    pub fn parse(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|f| f.value().eq_ignore_ascii_case(s.trim()))
            .unwrap_or_default()
    }

    /// The filter after this one, wrapping around (the `f` shortcut).
    pub fn next(self) -> Self {
        let at = Self::ALL.iter().position(|f| *f == self).unwrap_or(0);
        Self::ALL[(at + 1) % Self::ALL.len()]
    }

    /// Whether a step in `status` passes this filter.
    pub fn admits(self, status: &Status) -> bool {
        let main = matches!(
            status,
            Status::Running | Status::Queued | Status::Succeeded | Status::Failed
        );
        match self {
            Self::All => true,
            Self::Running => *status == Status::Running,
            Self::Queued => *status == Status::Queued,
            Self::Succeeded => *status == Status::Succeeded,
            Self::Failed => *status == Status::Failed,
            Self::Other => !main,
        }
    }
}

/// The "Show" select above the timeline: every [`StepFilter`], the current
/// one selected. The same control the `f` shortcut drives.
#[component]
pub fn StepFilterControl(
    /// The filter in effect (from the URL).
    #[prop(into)]
    filter: Signal<StepFilter>,
    /// Called with the filter a person picked.
    on_change: Callback<StepFilter>,
) -> impl IntoView {
    view! {
        <label class="timeline__filter">
            "Show "
            <select
                prop:value=move || filter.get().value()
                on:change=move |ev| on_change.run(StepFilter::parse(&event_target_value(&ev)))
            >
                {StepFilter::ALL
                    .map(|f| {
                        view! {
                            <option value=f.value() selected=move || filter.get() == f>
                                {f.value()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_admit_the_right_statuses() {
        assert!(StepFilter::All.admits(&Status::Unknown("x".into())));
        assert!(StepFilter::Running.admits(&Status::Running));
        assert!(!StepFilter::Running.admits(&Status::Queued));
        assert!(StepFilter::Other.admits(&Status::Skipped));
        assert!(StepFilter::Other.admits(&Status::Locked));
        assert!(StepFilter::Other.admits(&Status::Unknown("waiting_for_gpu".into())));
        assert!(!StepFilter::Other.admits(&Status::Failed));
        assert!(!StepFilter::Other.admits(&Status::Queued));
    }

    #[test]
    fn url_values_round_trip_and_unknown_ones_show_everything() {
        for f in StepFilter::ALL {
            assert_eq!(StepFilter::parse(f.value()), f);
        }
        assert_eq!(StepFilter::parse("failed"), StepFilter::Failed);
        assert_eq!(StepFilter::parse(" Failed "), StepFilter::Failed);
        assert_eq!(StepFilter::parse("nonsense"), StepFilter::All);
        assert_eq!(StepFilter::parse(""), StepFilter::All);
    }

    #[test]
    fn cycling_visits_every_filter_once_and_wraps() {
        let mut f = StepFilter::All;
        let mut seen = vec![f];
        for _ in 1..StepFilter::ALL.len() {
            f = f.next();
            seen.push(f);
        }
        assert_eq!(seen, StepFilter::ALL);
        assert_eq!(f.next(), StepFilter::All);
    }
}
