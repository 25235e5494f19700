//! What a run id means: the golden fixture, a scenario instance, or a fault run.

use crate::faults::FaultKind;
use crate::scenario::Scenario;

/// The id of the golden run, served verbatim from the contract's example.
pub const GOLDEN_RUN_ID: &str = "run_abc123";

/// The golden fixture: the contract's example response, served byte for byte.
pub const GOLDEN_JSON: &str = include_str!("../../tests/fixtures/run_abc123.json");

/// What the simulator serves for a run id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunTarget {
    /// `run_abc123`: the documented example, byte for byte.
    Golden,
    /// `run_<scenario>[-suffix]`, or `run_fault_<kind>[-suffix]` (happy + fault).
    Scenario {
        /// The behaviour of the run.
        scenario: Scenario,
        /// Fault injected on some of this instance's requests.
        fault: Option<FaultKind>,
    },
}

impl RunTarget {
    /// Parses `run_<name>` or `run_<name>-<suffix>`; `None` for unknown ids.
    pub fn parse(run_id: &str) -> Option<RunTarget> {
        if run_id == GOLDEN_RUN_ID {
            return Some(RunTarget::Golden);
        }
        let rest = run_id.strip_prefix("run_")?;
        let (name, suffix) = match rest.split_once('-') {
            Some((name, suffix)) => (name, Some(suffix)),
            None => (rest, None),
        };
        if let Some(suffix) = suffix {
            let url_safe = |c: char| c.is_ascii_alphanumeric() || "-_.~".contains(c);
            if suffix.is_empty() || suffix.len() > 128 || !suffix.chars().all(url_safe) {
                return None;
            }
        }
        if let Some(kind) = name.strip_prefix("fault_") {
            return FaultKind::from_name(kind).map(|fault| RunTarget::Scenario {
                scenario: Scenario::Happy,
                fault: Some(fault),
            });
        }
        Scenario::from_name(name).map(|scenario| RunTarget::Scenario {
            scenario,
            fault: None,
        })
    }

    /// The blueprint this run belongs to.
    pub fn blueprint_id(self) -> &'static str {
        match self {
            RunTarget::Golden => "bp_xyz",
            RunTarget::Scenario { scenario, .. } => scenario.blueprint_id(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_scenarios_suffixes_and_faults() {
        assert_eq!(RunTarget::parse("run_abc123"), Some(RunTarget::Golden));
        assert_eq!(
            RunTarget::parse("run_large_5k-t9"),
            Some(RunTarget::Scenario {
                scenario: Scenario::Large5k,
                fault: None
            })
        );
        assert_eq!(
            RunTarget::parse("run_fault_429_date-a-b"),
            Some(RunTarget::Scenario {
                scenario: Scenario::Happy,
                fault: Some(FaultKind::RateLimitDate)
            })
        );
        assert_eq!(RunTarget::parse("run_nope"), None);
        assert_eq!(RunTarget::parse("run_happy-"), None);
        assert_eq!(RunTarget::parse("run_happy-a b"), None);
        assert_eq!(RunTarget::parse("run_fault_teapot"), None);
        assert_eq!(RunTarget::parse("happy"), None);
    }
}
