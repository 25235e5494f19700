//! Property tests of the poller as a state machine: random sequences of
//! requests starting and finishing (every kind of answer, in and out of
//! order), the page hiding and showing, pause, resume, refresh, and the
//! clock moving forward or jumping either way. After every step:
//! - never two requests in flight;
//! - something is scheduled whenever polling is active and the run not
//!   finished;
//! - no scheduled wait is longer than the caps (and no retry sooner than the
//!   healthy interval);
//! - data is applied only in increasing sequence order.

use super::poller::{Next, Outcome, PollState, Poller, RequestTicket};
use super::PollConfig;
use crate::api::ApiError;
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Answer {
    Success { changed: bool, terminal: bool },
    Failure(ApiError),
    Aborted,
}

#[derive(Clone, Debug)]
enum Op {
    /// Start a request if the poller allows.
    Start,
    /// Finish the request in flight (or, if `stale`, an older ticket).
    Finish {
        answer: Answer,
        stale: bool,
    },
    Visible(bool),
    Pause,
    Resume,
    Refresh,
    /// Time passes.
    Advance(i64),
    /// The system clock is set to another time.
    Jump(i64),
}

fn error() -> impl Strategy<Value = ApiError> {
    let http = (
        prop::sample::select(vec![
            400u16, 401, 402, 403, 404, 408, 409, 410, 418, 429, 500, 502, 503, 504,
        ]),
        prop::option::of(prop_oneof![
            (0u32..400).prop_map(|s| s.to_string()),
            Just("Sun, 06 Nov 1994 08:49:37 GMT".to_string()),
            Just("Fri, 01 Jan 2100 00:00:00 GMT".to_string()),
            ".{0,12}",
        ]),
        prop::option::of(prop_oneof![
            Just("2026-12-01T10:00:00Z".to_string()),
            Just("1970-01-01T00:00:00Z".to_string()),
            ".{0,12}",
        ]),
    )
        .prop_map(|(status, retry_after, defer_until)| ApiError::Http {
            status,
            code: None,
            message: String::new(),
            retry_after,
            defer_until,
        });
    prop_oneof![
        Just(ApiError::Network("offline".into())),
        Just(ApiError::Timeout),
        Just(ApiError::Decode("truncated".into())),
        Just(ApiError::Request("invalid header value".into())),
        http,
    ]
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        4 => (any::<bool>(), prop::bool::weighted(0.1))
            .prop_map(|(changed, terminal)| Answer::Success { changed, terminal }),
        4 => error().prop_map(Answer::Failure),
        1 => Just(Answer::Aborted),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => Just(Op::Start),
        6 => (answer(), prop::bool::weighted(0.1))
            .prop_map(|(answer, stale)| Op::Finish { answer, stale }),
        1 => any::<bool>().prop_map(Op::Visible),
        1 => Just(Op::Pause),
        1 => Just(Op::Resume),
        1 => Just(Op::Refresh),
        4 => (0i64..120_000).prop_map(Op::Advance),
        1 => (-100_000_000i64..100_000_000).prop_map(Op::Jump),
    ]
}

/// The longest wait any schedule may ask for, from the time it was made.
fn longest_wait(c: &PollConfig) -> i64 {
    c.max_interval_ms.max(c.backoff_cap_ms).max(c.hint_cap_ms)
}

struct Model {
    p: Poller,
    now: i64,
    in_flight: Option<RequestTicket>,
    issued: Vec<RequestTicket>,
    last_applied: Option<u64>,
}

impl Model {
    fn check_wait(&self, next: &Next, failed: bool) -> Result<(), TestCaseError> {
        if let Next::FetchAt(at) = next {
            let wait = at.saturating_sub(self.now);
            let c = self.p.config();
            prop_assert!(wait <= longest_wait(c), "waits {wait} ms");
            if failed && self.p.consecutive_failures() > 0 {
                let floor = c.backoff_base_ms.max(self.p.interval_ms());
                prop_assert!(wait >= floor, "retry after {wait} ms < {floor} ms");
            }
        }
        Ok(())
    }

    fn step(&mut self, op: Op) -> Result<(), TestCaseError> {
        match op {
            Op::Start => {
                let started = self.p.start_request(self.now);
                if self.in_flight.is_some() {
                    prop_assert_eq!(started, None, "a second request started");
                }
                if let Some(t) = started {
                    self.in_flight = Some(t);
                    self.issued.push(t);
                }
            }
            Op::Finish { answer, stale } => {
                let ticket = if stale {
                    self.issued.first().copied()
                } else {
                    self.in_flight
                };
                let Some(ticket) = ticket else {
                    return Ok(());
                };
                let current = self.in_flight == Some(ticket);
                let (outcome, failed) = match answer {
                    Answer::Success { changed, terminal } => {
                        (Outcome::Success { changed, terminal }, false)
                    }
                    Answer::Failure(e) => {
                        let fatal = e.fatal_kind().is_some();
                        (Outcome::Failure(e), !fatal)
                    }
                    Answer::Aborted => (Outcome::Aborted, false),
                };
                let v = self.p.finish(ticket, outcome, self.now, 0.5);
                if current {
                    self.in_flight = None;
                }
                if v.should_apply() {
                    prop_assert!(
                        self.last_applied.is_none_or(|s| ticket.seq() > s),
                        "applied seq {} after {:?}",
                        ticket.seq(),
                        self.last_applied
                    );
                    self.last_applied = Some(ticket.seq());
                }
                self.check_wait(&v.next, failed && current)?;
            }
            Op::Visible(v) => {
                let next = self.p.set_visible(v, self.now);
                self.check_wait(&next, false)?;
            }
            Op::Pause => {
                self.p.pause();
            }
            Op::Resume => {
                let next = self.p.resume(self.now);
                self.check_wait(&next, false)?;
            }
            Op::Refresh => {
                let next = self.p.refresh_now(self.now);
                self.check_wait(&next, false)?;
            }
            Op::Advance(ms) => self.now = self.now.saturating_add(ms),
            Op::Jump(ms) => self.now = self.now.saturating_add(ms),
        }
        // Never two in flight, and the poller agrees with the model.
        prop_assert_eq!(self.p.is_in_flight(), self.in_flight.is_some());
        if self.in_flight.is_some() {
            prop_assert_eq!(self.p.next(), Next::InFlight);
            prop_assert_eq!(self.p.clone().start_request(self.now), None);
        }
        // Active and not finished: something is scheduled.
        let active = matches!(self.p.state(), PollState::Polling | PollState::Retrying);
        if active && self.in_flight.is_none() {
            prop_assert!(
                matches!(self.p.next(), Next::FetchAt(_)),
                "active but {:?}",
                self.p.next()
            );
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_poller_keeps_its_invariants(
        start in 0i64..4_000_000_000_000,
        ops in prop::collection::vec(op(), 1..200),
    ) {
        let mut m = Model {
            p: Poller::new(PollConfig::default()),
            now: start,
            in_flight: None,
            issued: Vec::new(),
            last_applied: None,
        };
        for op in ops {
            m.step(op)?;
        }
    }
}
