//! The polling state machine of one polled resource (a run, a blueprint's
//! history): when to fetch, when to back off, when to stop.
//!
//! Plain Rust, no clock and no randomness of its own: every method that needs
//! the time takes `now_ms` (Unix epoch milliseconds, the app's one time
//! representation: see [`crate::state::clock`]), and jitter takes `random`,
//! an `f64` in `[0, 1)`. The [`driver`](super::driver) owns the timers and
//! the requests and drives a [`Poller`]:
//!
//! 1. When [`Poller::next`] is [`Next::FetchAt`]`(t)`, wait until `t` (at once
//!    if `t <= now`), then call [`Poller::start_request`] and send the request.
//! 2. Abort the request after [`PollConfig::request_timeout_ms`] and report
//!    [`ApiError::Timeout`].
//! 3. Report the result with [`Poller::finish`]; apply the data only if the
//!    [`Verdict`] says [`Disposition::Apply`]; follow [`Verdict::next`].
//!
//! Cadence follows the service's guidance, "start polling at 1-second
//! intervals, increase the interval up to 5 seconds": 1 s while the run keeps
//! changing, growing ×1.5 per unchanged answer up to 5 s. Failures back off
//! ([`super::backoff`]: never sooner than the healthy interval, up to 30 s),
//! and a server hint ([`super::hints`]) is a floor on the wait.

use super::backoff::backoff_ms;
use super::hints::hint_wait_ms;
use super::PollConfig;
use crate::api::{error::FatalKind, ApiError};

/// A fatal answer that stopped polling, with what the UI needs to explain it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fatal {
    /// The classified reason.
    pub kind: FatalKind,
    /// The error as received.
    pub error: ApiError,
}

/// Why no further request is scheduled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// The run reached a terminal status.
    Finished,
    /// Paused by the user ([`Poller::pause`]).
    Paused,
    /// A fatal answer; waits for [`Poller::resume`] or
    /// [`Poller::refresh_now`].
    Fatal(Fatal),
}

/// What the hook should do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Start a request at this epoch-millisecond time (at once if it is not
    /// in the future).
    FetchAt(i64),
    /// A request is in flight; wait for its [`Poller::finish`].
    InFlight,
    /// The page is hidden; nothing is fetched until it is visible again.
    Hidden,
    /// Nothing is scheduled.
    Stopped(StopReason),
}

/// What the UI shows about polling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PollState {
    /// Polling normally (a request may be in flight).
    Polling,
    /// The last request(s) failed; retrying with backoff.
    Retrying,
    /// Paused by the user.
    Paused,
    /// The page is hidden; polling resumes when it is visible.
    Hidden,
    /// The run reached a terminal status.
    Finished,
    /// Stopped by a fatal answer.
    Fatal(Fatal),
}

/// How a request ended, as reported to [`Poller::finish`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A decoded run.
    Success {
        /// The run status is terminal ([`Status::is_terminal`](crate::api::Status::is_terminal)).
        terminal: bool,
        /// The data differs from what was shown before. Report the first
        /// response of a poller as changed.
        changed: bool,
    },
    /// The request failed: fatal if [`ApiError::fatal_kind`] says so, else
    /// retried with backoff.
    Failure(ApiError),
    /// The hook aborted the request on purpose; nothing changes except that
    /// it is no longer in flight.
    Aborted,
}

/// Whether to apply a response's data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disposition {
    /// Newest data so far: apply it.
    Apply,
    /// Failure, abort, or older than data already applied: ignore it.
    Discard,
}

/// The answer to [`Poller::finish`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Whether to apply the response's data.
    pub data: Disposition,
    /// What to do next.
    pub next: Next,
}

impl Verdict {
    /// `true` if the data should be applied.
    pub fn should_apply(&self) -> bool {
        self.data == Disposition::Apply
    }
}

/// Permission to send one request, from [`Poller::start_request`]. Hand it
/// back to [`Poller::finish`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RequestTicket {
    seq: u64,
}

impl RequestTicket {
    /// Sequence number, strictly increasing per [`Poller`] (first is 1).
    pub fn seq(&self) -> u64 {
        self.seq
    }
}

/// The polling state machine of one polled resource. Create a new one when
/// the resource changes (tickets of another poller are meaningless to it).
///
/// Rules: at most one request in flight; the first fetch is due at once;
/// successes schedule the next fetch after the current interval; retryable
/// failures back off; terminal runs, fatal answers and pauses stop
/// scheduling; a hidden page fetches nothing. "Immediately" always means "now,
/// or when the server's last `Retry-After`/`deferUntil` allows, if later".
/// If the clock jumps backwards, scheduled times move with it, so no wait
/// grows by the jump.
#[derive(Clone, Debug)]
pub struct Poller {
    config: PollConfig,
    /// Seq of the last ticket issued (0 = none).
    last_seq: u64,
    /// The request in flight, and whether it was a manual refresh.
    in_flight: Option<(RequestTicket, bool)>,
    /// Seq of the newest applied success.
    last_applied_seq: Option<u64>,
    /// The healthy interval: the wait after a success, and the floor of
    /// every retry's wait.
    interval_ms: i64,
    failures: u32,
    failing_since_ms: Option<i64>,
    /// When the next fetch is due, if the poller is active or a manual
    /// refresh is pending.
    due_at_ms: Option<i64>,
    /// Earliest time the server allows another request (from a hint).
    not_before_ms: Option<i64>,
    /// The latest time seen, to notice the clock going backwards.
    clock_ms: Option<i64>,
    /// A manual refresh is pending: fetch even if stopped.
    manual: bool,
    finished: bool,
    fatal: Option<Fatal>,
    paused: bool,
    visible: bool,
}

impl Poller {
    /// A poller whose first fetch is due immediately, visible, not paused.
    pub fn new(config: PollConfig) -> Self {
        let interval_ms = config.initial_interval();
        Self {
            config,
            last_seq: 0,
            in_flight: None,
            last_applied_seq: None,
            interval_ms,
            failures: 0,
            failing_since_ms: None,
            due_at_ms: Some(i64::MIN),
            not_before_ms: None,
            clock_ms: None,
            manual: false,
            finished: false,
            fatal: None,
            paused: false,
            visible: true,
        }
    }

    /// The configuration in use.
    pub fn config(&self) -> &PollConfig {
        &self.config
    }

    /// Notes the time; if it went backwards, moves scheduled times back by
    /// as much, keeping every remaining wait as it was.
    fn observe_clock(&mut self, now_ms: i64) {
        if let Some(last) = self.clock_ms {
            if now_ms < last {
                let shift = |t: &mut Option<i64>| {
                    if let Some(t) = t {
                        *t = t.saturating_sub(last.saturating_sub(now_ms));
                    }
                };
                shift(&mut self.due_at_ms);
                shift(&mut self.not_before_ms);
            }
        }
        self.clock_ms = Some(now_ms);
    }

    /// Start a request: `None` if one is in flight, the page is hidden, or
    /// polling is stopped (finished, fatal, paused) without a pending
    /// [`refresh_now`](Self::refresh_now). It does not check the schedule:
    /// call it when [`next`](Self::next) is due.
    pub fn start_request(&mut self, now_ms: i64) -> Option<RequestTicket> {
        self.observe_clock(now_ms);
        if self.in_flight.is_some() || !self.visible {
            return None;
        }
        if !self.manual && self.stop_reason().is_some() {
            return None;
        }
        self.last_seq += 1;
        let ticket = RequestTicket { seq: self.last_seq };
        self.in_flight = Some((ticket, self.manual));
        self.manual = false;
        Some(ticket)
    }

    /// Whether a success of `ticket` would be applied: it is newer than
    /// every success applied before (what [`finish`](Self::finish) decides).
    pub fn accepts(&self, ticket: RequestTicket) -> bool {
        self.last_applied_seq.is_none_or(|s| ticket.seq > s)
    }

    /// Report how the request of `ticket` ended; `now_ms` is the time of the
    /// answer and `random` in `[0, 1)` jitters a failure's backoff.
    ///
    /// A success is applied only if its seq is newer than every success
    /// applied before. A ticket that is not the one in flight (reported
    /// twice, or after an abort) never changes the schedule.
    pub fn finish(
        &mut self,
        ticket: RequestTicket,
        outcome: Outcome,
        now_ms: i64,
        random: f64,
    ) -> Verdict {
        self.observe_clock(now_ms);
        let data = match outcome {
            Outcome::Success { .. } if self.accepts(ticket) => {
                self.last_applied_seq = Some(ticket.seq);
                Disposition::Apply
            }
            _ => Disposition::Discard,
        };
        let was_manual = match self.in_flight {
            Some((t, manual)) if t.seq == ticket.seq => manual,
            _ => {
                return Verdict {
                    data,
                    next: self.next(),
                }
            }
        };
        self.in_flight = None;
        match outcome {
            Outcome::Aborted => self.manual |= was_manual,
            Outcome::Success { terminal, changed } => self.on_success(terminal, changed, now_ms),
            Outcome::Failure(error) => self.on_failure(error, now_ms, random),
        }
        Verdict {
            data,
            next: self.next(),
        }
    }

    fn on_success(&mut self, terminal: bool, changed: bool, now_ms: i64) {
        let recovering = self.failures > 0;
        self.failures = 0;
        self.failing_since_ms = None;
        self.not_before_ms = None;
        if terminal {
            self.finished = true;
            self.due_at_ms = None;
            self.interval_ms = self.config.initial_interval();
            return;
        }
        self.finished = false;
        self.interval_ms = if changed || recovering {
            self.config.initial_interval()
        } else {
            self.config.grown_interval(self.interval_ms)
        };
        self.due_at_ms = Some(now_ms.saturating_add(self.interval_ms));
    }

    fn on_failure(&mut self, error: ApiError, now_ms: i64, random: f64) {
        self.failures = self.failures.saturating_add(1);
        self.failing_since_ms.get_or_insert(now_ms);
        if let Some(kind) = error.fatal_kind() {
            // A finished run stays finished if its refresh is refused.
            if !self.finished {
                self.fatal = Some(Fatal { kind, error });
                self.due_at_ms = None;
            }
            return;
        }
        let hint_ms = hint_wait_ms(&error, now_ms, self.config.hint_cap_ms);
        self.not_before_ms = Some(now_ms.saturating_add(hint_ms));
        // A finished run schedules nothing, unless a refresh was asked for
        // while this request ran: that one waits like any retry.
        if self.finished && !self.manual {
            return;
        }
        let wait = backoff_ms(&self.config, self.failures, self.interval_ms, random).max(hint_ms);
        self.due_at_ms = Some(now_ms.saturating_add(wait));
    }

    fn immediately(&self, now_ms: i64) -> i64 {
        self.not_before_ms.map_or(now_ms, |t| t.max(now_ms))
    }

    /// The page became visible (`true`) or hidden (`false`). Hidden: nothing
    /// starts. Becoming visible while active (or with a refresh pending) makes
    /// a fetch due immediately. Returns the new [`next`](Self::next).
    pub fn set_visible(&mut self, visible: bool, now_ms: i64) -> Next {
        self.observe_clock(now_ms);
        let was_visible = self.visible;
        self.visible = visible;
        if visible && !was_visible && (self.manual || self.stop_reason().is_none()) {
            self.due_at_ms = Some(self.immediately(now_ms));
        }
        self.next()
    }

    /// Stop scheduling until [`resume`](Self::resume). A request in flight is
    /// still reported normally; its data may be applied.
    pub fn pause(&mut self) -> Next {
        self.paused = true;
        self.next()
    }

    /// Undo [`pause`](Self::pause) and clear a fatal stop (e.g. after the
    /// key changed); a fetch is due immediately. A finished run stays
    /// finished (use [`refresh_now`](Self::refresh_now)).
    pub fn resume(&mut self, now_ms: i64) -> Next {
        self.observe_clock(now_ms);
        self.paused = false;
        self.clear_fatal();
        if !self.finished {
            self.due_at_ms = Some(self.immediately(now_ms));
        }
        self.next()
    }

    /// Fetch once as soon as possible, even if finished, fatal or paused.
    /// Clears a fatal stop; afterwards the usual rules apply (a terminal
    /// answer keeps the run finished, a pause stays in force).
    pub fn refresh_now(&mut self, now_ms: i64) -> Next {
        self.observe_clock(now_ms);
        self.clear_fatal();
        self.manual = true;
        self.due_at_ms = Some(self.immediately(now_ms));
        self.next()
    }

    fn clear_fatal(&mut self) {
        if self.fatal.take().is_some() {
            self.failures = 0;
            self.failing_since_ms = None;
        }
    }

    fn stop_reason(&self) -> Option<StopReason> {
        if self.finished {
            Some(StopReason::Finished)
        } else if let Some(fatal) = &self.fatal {
            Some(StopReason::Fatal(fatal.clone()))
        } else if self.paused {
            Some(StopReason::Paused)
        } else {
            None
        }
    }

    /// What the hook should do next.
    pub fn next(&self) -> Next {
        if self.in_flight.is_some() {
            return Next::InFlight;
        }
        if !self.manual {
            if let Some(reason) = self.stop_reason() {
                return Next::Stopped(reason);
            }
        }
        if !self.visible {
            return Next::Hidden;
        }
        // `None` is unreachable by construction; fetching is the safe default.
        let at = self.due_at_ms.unwrap_or(i64::MIN);
        Next::FetchAt(self.not_before_ms.map_or(at, |t| t.max(at)))
    }

    /// Is a request in flight?
    pub fn is_in_flight(&self) -> bool {
        self.in_flight.is_some()
    }

    /// The healthy interval now in force (ms).
    #[cfg(test)]
    pub(super) fn interval_ms(&self) -> i64 {
        self.interval_ms
    }

    /// Failures since the last success (fatal answers count too).
    #[cfg(test)]
    pub(super) fn consecutive_failures(&self) -> u32 {
        self.failures
    }

    /// When the current failure streak began (epoch ms), if failing.
    pub fn failing_since_ms(&self) -> Option<i64> {
        self.failing_since_ms
    }

    /// Seq of the newest applied success, if any.
    #[cfg(test)]
    pub(super) fn last_applied_seq(&self) -> Option<u64> {
        self.last_applied_seq
    }

    /// The state to show. Precedence: finished, fatal, paused, hidden,
    /// retrying, polling.
    pub fn state(&self) -> PollState {
        match self.stop_reason() {
            Some(StopReason::Finished) => PollState::Finished,
            Some(StopReason::Fatal(fatal)) => PollState::Fatal(fatal),
            Some(StopReason::Paused) => PollState::Paused,
            None if !self.visible => PollState::Hidden,
            None if self.failures > 0 => PollState::Retrying,
            None => PollState::Polling,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const R_MAX: f64 = 1.0 - 1e-12;

    fn poller() -> Poller {
        Poller::new(PollConfig::default())
    }

    /// When the next fetch is due, if one is scheduled.
    fn due(p: &Poller) -> Option<i64> {
        match p.next() {
            Next::FetchAt(at) => Some(at),
            _ => None,
        }
    }

    fn ok(changed: bool) -> Outcome {
        Outcome::Success {
            terminal: false,
            changed,
        }
    }

    fn done() -> Outcome {
        Outcome::Success {
            terminal: true,
            changed: true,
        }
    }

    fn fail(e: ApiError) -> Outcome {
        Outcome::Failure(e)
    }

    fn http(status: u16) -> Outcome {
        fail(ApiError::http(status, None))
    }

    fn with_hints(status: u16, retry_after: Option<&str>, defer_until: Option<&str>) -> Outcome {
        fail(ApiError::Http {
            status,
            code: None,
            message: String::new(),
            retry_after: retry_after.map(str::to_string),
            defer_until: defer_until.map(str::to_string),
        })
    }

    fn network() -> Outcome {
        fail(ApiError::Network("offline".into()))
    }

    /// Start a request at `now` and finish it at `now` with `outcome`.
    fn cycle(p: &mut Poller, now: i64, outcome: Outcome, random: f64) -> Verdict {
        let t = p.start_request(now).expect("a request may start");
        p.finish(t, outcome, now, random)
    }

    fn wait_after(p: &mut Poller, now: i64, outcome: Outcome, random: f64) -> i64 {
        match cycle(p, now, outcome, random).next {
            Next::FetchAt(at) => at - now,
            other => panic!("expected FetchAt, got {other:?}"),
        }
    }

    #[test]
    fn first_fetch_is_immediate_and_seqs_increase() {
        let mut p = poller();
        assert!(matches!(p.next(), Next::FetchAt(at) if at <= 0));
        assert_eq!(p.state(), PollState::Polling);
        let t1 = p.start_request(10).unwrap();
        assert_eq!(t1.seq(), 1);
        p.finish(t1, ok(true), 20, 0.5);
        let t2 = p.start_request(1020).unwrap();
        assert_eq!(t2.seq(), 2);
    }

    #[test]
    fn only_one_request_in_flight() {
        let mut p = poller();
        let t = p.start_request(0).unwrap();
        assert!(p.is_in_flight());
        assert_eq!(p.start_request(0), None);
        assert_eq!(p.start_request(99_999), None);
        assert_eq!(p.next(), Next::InFlight);
        assert_eq!(due(&p), None);
        p.finish(t, ok(true), 100, 0.5);
        assert!(!p.is_in_flight());
        assert!(p.start_request(1100).is_some());
    }

    #[test]
    fn interval_grows_while_unchanged_and_caps_at_5s() {
        let mut p = poller();
        let mut now = 0;
        let mut waits = vec![];
        for i in 0..8 {
            let w = wait_after(&mut p, now, ok(i == 0), 0.5);
            waits.push(w);
            now += w;
        }
        assert_eq!(waits, [1000, 1500, 2250, 3375, 5000, 5000, 5000, 5000]);
    }

    #[test]
    fn changed_data_resets_interval_to_1s() {
        let mut p = poller();
        let mut now = 0;
        for changed in [true, false, false, false] {
            now += wait_after(&mut p, now, ok(changed), 0.5);
        }
        assert_eq!(wait_after(&mut p, now, ok(true), 0.5), 1000);
        assert_eq!(wait_after(&mut p, now + 1000, ok(false), 0.5), 1500);
    }

    #[test]
    fn success_schedules_relative_to_answer_time() {
        let mut p = poller();
        let t = p.start_request(0).unwrap();
        let v = p.finish(t, ok(true), 700, 0.5);
        assert_eq!(v.next, Next::FetchAt(1700));
        assert_eq!(due(&p), Some(1700));
    }

    #[test]
    fn terminal_success_stops_for_good() {
        let mut p = poller();
        let v = cycle(&mut p, 0, done(), 0.5);
        assert!(v.should_apply());
        assert_eq!(v.next, Next::Stopped(StopReason::Finished));
        assert_eq!(p.state(), PollState::Finished);
        assert_eq!(due(&p), None);
        for now in [1_000, 60_000, 10_000_000] {
            assert_eq!(p.start_request(now), None);
        }
        // Neither visibility changes nor resume restart a finished run.
        p.set_visible(false, 10_000_001);
        assert_eq!(
            p.set_visible(true, 10_000_002),
            Next::Stopped(StopReason::Finished)
        );
        assert_eq!(p.resume(10_000_003), Next::Stopped(StopReason::Finished));
        assert_eq!(p.start_request(10_000_004), None);
    }

    #[test]
    fn refresh_of_finished_run_fetches_once_and_stays_finished() {
        let mut p = poller();
        cycle(&mut p, 0, done(), 0.5);
        assert_eq!(p.refresh_now(5000), Next::FetchAt(5000));
        let t = p.start_request(5000).unwrap();
        assert_eq!(p.start_request(5000), None);
        let v = p.finish(t, done(), 5100, 0.5);
        assert!(v.should_apply());
        assert_eq!(v.next, Next::Stopped(StopReason::Finished));
        assert_eq!(p.start_request(9000), None);
    }

    #[test]
    fn failed_refresh_of_finished_run_stays_finished() {
        let mut p = poller();
        cycle(&mut p, 0, done(), 0.5);
        p.refresh_now(100);
        let v = cycle(&mut p, 100, network(), 0.5);
        assert_eq!(v.next, Next::Stopped(StopReason::Finished));
        assert_eq!(p.consecutive_failures(), 1);
        p.refresh_now(200);
        let v = cycle(&mut p, 200, http(401), 0.5);
        assert_eq!(v.next, Next::Stopped(StopReason::Finished));
        assert_eq!(p.start_request(300), None);
    }

    #[test]
    fn refresh_finding_run_active_again_resumes_polling() {
        let mut p = poller();
        cycle(&mut p, 0, done(), 0.5);
        p.refresh_now(100);
        assert_eq!(wait_after(&mut p, 100, ok(true), 0.5), 1000);
        assert_eq!(p.state(), PollState::Polling);
    }

    #[test]
    fn consecutive_failures_back_off_from_1s_to_the_30s_cap() {
        for (random, expected) in [
            (0.0, [1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]),
            (R_MAX, [2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]),
        ] {
            let mut p = poller();
            cycle(&mut p, 0, ok(true), 0.5);
            let mut now = 1000;
            let mut waits = vec![];
            for _ in 0..7 {
                let w = wait_after(&mut p, now, network(), random);
                waits.push(w);
                now += w;
            }
            assert_eq!(waits, expected, "random {random}");
            assert_eq!(p.consecutive_failures(), 7);
            assert_eq!(p.state(), PollState::Retrying);
        }
    }

    #[test]
    fn retries_are_never_sooner_than_the_healthy_interval() {
        // Unchanged answers slowed polling to 3.375 s; then the server fails.
        let mut p = poller();
        let mut now = 0;
        for changed in [true, false, false, false] {
            now += wait_after(&mut p, now, ok(changed), 0.5);
        }
        assert_eq!(p.interval_ms(), 3375);
        assert_eq!(wait_after(&mut p, now, http(500), 0.0), 3375);
    }

    #[test]
    fn every_retryable_failure_kind_backs_off_at_least_1s() {
        let retryable = [
            network(),
            fail(ApiError::Timeout),
            fail(ApiError::Decode("x".into())),
            http(500),
            http(502),
            http(503),
            http(429),
            http(408),
            http(402),
            http(409),
            http(418),
        ];
        for outcome in retryable {
            let mut p = poller();
            let label = format!("{outcome:?}");
            assert_eq!(wait_after(&mut p, 0, outcome.clone(), 0.0), 1000, "{label}");
            assert_eq!(p.state(), PollState::Retrying, "{label}");
            let mut p = poller();
            assert_eq!(wait_after(&mut p, 0, outcome, 0.5), 1500, "{label}");
        }
    }

    #[test]
    fn failing_since_marks_start_of_streak() {
        let mut p = poller();
        assert_eq!(p.failing_since_ms(), None);
        cycle(&mut p, 100, fail(ApiError::Timeout), 0.5);
        cycle(&mut p, 1900, network(), 0.5);
        assert_eq!(p.failing_since_ms(), Some(100));
        assert_eq!(p.consecutive_failures(), 2);
    }

    #[test]
    fn success_resets_failures_and_cadence_resumes_at_1s() {
        let mut p = poller();
        let mut now = 0;
        for changed in [true, false, false] {
            now += wait_after(&mut p, now, ok(changed), 0.5);
        }
        for _ in 0..3 {
            now += wait_after(&mut p, now, network(), 0.5);
        }
        // Unchanged data after recovering still polls at 1 s.
        assert_eq!(wait_after(&mut p, now, ok(false), 0.5), 1000);
        assert_eq!(p.consecutive_failures(), 0);
        assert_eq!(p.failing_since_ms(), None);
        assert_eq!(p.state(), PollState::Polling);
        // And the next failure starts again at attempt 1.
        assert_eq!(wait_after(&mut p, now + 1000, network(), R_MAX), 2000);
    }

    #[test]
    fn retry_after_seconds_is_a_floor_on_backoff() {
        let mut p = poller();
        assert_eq!(
            wait_after(&mut p, 1000, with_hints(429, Some("7"), None), R_MAX),
            7000
        );
        // A hint shorter than the jittered wait does not shorten it.
        let mut p = poller();
        for _ in 0..4 {
            cycle(&mut p, 0, network(), 0.0);
        }
        assert_eq!(
            wait_after(&mut p, 0, with_hints(429, Some("1"), None), R_MAX),
            30_000
        );
    }

    #[test]
    fn retry_after_date_is_a_floor_on_backoff() {
        // 1994-11-06T08:49:37Z = 784111777 s.
        let now = 784_111_777_000 - 12_000;
        let f = with_hints(503, Some("Sun, 06 Nov 1994 08:49:37 GMT"), None);
        let mut p = poller();
        assert_eq!(wait_after(&mut p, now, f, 0.0), 12_000);
    }

    #[test]
    fn defer_until_is_a_floor_on_backoff() {
        let at = super::super::hints::parse_rfc3339_ms("2025-01-01T00:00:20Z").unwrap();
        let now = at - 20_000;
        let f = with_hints(429, None, Some("2025-01-01T00:00:20Z"));
        let mut p = poller();
        let v = cycle(&mut p, now, f, 0.3);
        assert_eq!(v.next, Next::FetchAt(at));
        assert_eq!(due(&p), Some(at));
    }

    #[test]
    fn absurd_hint_is_capped() {
        let mut p = poller();
        assert_eq!(
            wait_after(&mut p, 0, with_hints(429, Some("999999999"), None), 0.5),
            300_000
        );
    }

    #[test]
    fn immediate_triggers_honour_server_hint() {
        let mut p = poller();
        cycle(&mut p, 0, with_hints(429, Some("10"), None), 0.5);
        p.set_visible(false, 1000);
        assert_eq!(p.set_visible(true, 2000), Next::FetchAt(10_000));
        assert_eq!(p.refresh_now(3000), Next::FetchAt(10_000));
    }

    #[test]
    fn fatal_answers_stop_until_resume() {
        let table = [
            (401, FatalKind::Unauthorized),
            (403, FatalKind::Forbidden),
            (404, FatalKind::NotFound),
            (400, FatalKind::BadRequest),
            (410, FatalKind::Gone),
        ];
        for (status, kind) in table {
            let mut p = poller();
            let error = ApiError::http(status, Some("c"));
            let fatal = Fatal {
                kind,
                error: error.clone(),
            };
            let v = cycle(&mut p, 0, fail(error), 0.5);
            assert_eq!(v.data, Disposition::Discard);
            assert_eq!(v.next, Next::Stopped(StopReason::Fatal(fatal.clone())));
            assert_eq!(p.state(), PollState::Fatal(fatal));
            assert_eq!(p.start_request(60_000), None, "{status}");
            assert_eq!(due(&p), None);
            assert_eq!(p.resume(70_000), Next::FetchAt(70_000), "{status}");
            assert_eq!(p.state(), PollState::Polling);
            assert_eq!(p.consecutive_failures(), 0);
            assert!(p.start_request(70_000).is_some());
        }
    }

    #[test]
    fn an_unsendable_request_stops_until_refresh() {
        let mut p = poller();
        let error = ApiError::Request("invalid header value".into());
        let v = cycle(&mut p, 0, fail(error.clone()), 0.5);
        let fatal = Fatal {
            kind: FatalKind::Unsendable,
            error,
        };
        assert_eq!(v.next, Next::Stopped(StopReason::Fatal(fatal)));
        assert_eq!(p.refresh_now(10), Next::FetchAt(10));
        assert!(p.start_request(10).is_some());
    }

    #[test]
    fn refresh_now_clears_fatal() {
        let mut p = poller();
        cycle(&mut p, 0, http(401), 0.5);
        assert_eq!(p.refresh_now(500), Next::FetchAt(500));
        assert_eq!(wait_after(&mut p, 500, ok(true), 0.5), 1000);
        assert_eq!(p.state(), PollState::Polling);
    }

    #[test]
    fn hidden_starts_nothing_and_visible_fetches_immediately() {
        let mut p = poller();
        cycle(&mut p, 0, ok(true), 0.5);
        assert_eq!(p.set_visible(false, 100), Next::Hidden);
        assert_eq!(p.state(), PollState::Hidden);
        assert_eq!(due(&p), None);
        assert_eq!(p.start_request(5000), None);
        assert_eq!(p.set_visible(true, 60_000), Next::FetchAt(60_000));
        assert_eq!(p.state(), PollState::Polling);
        assert!(p.start_request(60_000).is_some());
    }

    #[test]
    fn becoming_visible_again_without_hiding_changes_nothing() {
        let mut p = poller();
        cycle(&mut p, 0, ok(true), 0.5);
        assert_eq!(p.set_visible(true, 10), Next::FetchAt(1000));
    }

    #[test]
    fn answer_arriving_while_hidden_is_applied_but_schedules_nothing() {
        let mut p = poller();
        let t = p.start_request(0).unwrap();
        p.set_visible(false, 10);
        let v = p.finish(t, ok(true), 20, 0.5);
        assert!(v.should_apply());
        assert_eq!(v.next, Next::Hidden);
    }

    #[test]
    fn pause_stops_and_resume_fetches_immediately() {
        let mut p = poller();
        cycle(&mut p, 0, ok(true), 0.5);
        assert_eq!(p.pause(), Next::Stopped(StopReason::Paused));
        assert_eq!(p.state(), PollState::Paused);
        assert_eq!(p.start_request(50_000), None);
        assert_eq!(p.resume(50_000), Next::FetchAt(50_000));
        assert!(p.start_request(50_000).is_some());
    }

    #[test]
    fn refresh_while_paused_fetches_once_and_stays_paused() {
        let mut p = poller();
        cycle(&mut p, 0, ok(true), 0.5);
        p.pause();
        assert_eq!(p.refresh_now(100), Next::FetchAt(100));
        let v = cycle(&mut p, 100, ok(true), 0.5);
        assert!(v.should_apply());
        assert_eq!(v.next, Next::Stopped(StopReason::Paused));
        assert_eq!(p.start_request(5000), None);
    }

    #[test]
    fn aborted_only_clears_in_flight() {
        let mut p = poller();
        cycle(&mut p, 0, ok(true), 0.5);
        let t = p.start_request(1000).unwrap();
        let v = p.finish(t, Outcome::Aborted, 1200, 0.5);
        assert_eq!(v.data, Disposition::Discard);
        assert_eq!(v.next, Next::FetchAt(1000));
        assert_eq!(p.consecutive_failures(), 0);
        assert_eq!(p.last_applied_seq(), Some(1));
        // An aborted manual refresh stays pending.
        cycle(&mut p, 1200, done(), 0.5);
        p.refresh_now(2000);
        let t = p.start_request(2000).unwrap();
        p.finish(t, Outcome::Aborted, 2001, 0.5);
        assert_eq!(p.next(), Next::FetchAt(2000));
        assert!(p.start_request(2002).is_some());
    }

    #[test]
    fn stale_response_is_discarded_after_abort_and_restart() {
        let mut p = poller();
        let old = p.start_request(0).unwrap();
        p.finish(old, Outcome::Aborted, 5, 0.5);
        let new = p.start_request(10).unwrap();
        assert!(p.finish(new, ok(true), 20, 0.5).should_apply());
        // The aborted request's answer arrives late anyway.
        let v = p.finish(old, ok(true), 30, 0.5);
        assert_eq!(v.data, Disposition::Discard);
        assert_eq!(v.next, Next::FetchAt(1020)); // schedule untouched
        assert_eq!(p.last_applied_seq(), Some(new.seq()));
    }

    #[test]
    fn ticket_reported_twice_does_not_touch_schedule() {
        let mut p = poller();
        let t = p.start_request(0).unwrap();
        p.finish(t, ok(true), 0, 0.5);
        let v = p.finish(t, network(), 10, 0.5);
        assert_eq!(v.data, Disposition::Discard);
        assert_eq!(v.next, Next::FetchAt(1000));
        assert_eq!(p.consecutive_failures(), 0);
    }

    #[test]
    fn a_timeout_is_retried_like_any_failure() {
        let mut p = poller();
        let t = p.start_request(1000).unwrap();
        let v = p.finish(t, fail(ApiError::Timeout), 16_000, R_MAX);
        assert_eq!(v.next, Next::FetchAt(18_000));
    }

    #[test]
    fn a_clock_jumping_backwards_keeps_the_remaining_wait() {
        let mut p = poller();
        cycle(&mut p, 10_000_000, ok(true), 0.5);
        assert_eq!(due(&p), Some(10_001_000));
        // The system clock is set back an hour: the fetch is still 1 s away.
        let now = 10_000_000 - 3_600_000;
        p.set_visible(true, now);
        assert_eq!(due(&p), Some(now + 1000));
        // Forward jumps just make it due sooner (time did pass, as far as
        // anyone can tell).
        p.set_visible(true, now + 7_200_000);
        assert_eq!(due(&p), Some(now + 1000));
    }

    #[test]
    fn a_refresh_asked_for_during_a_failing_request_waits_like_a_retry() {
        let mut p = poller();
        cycle(&mut p, 0, done(), 0.5);
        p.refresh_now(100);
        let t = p.start_request(100).unwrap();
        p.refresh_now(150);
        let v = p.finish(t, network(), 200, 0.0);
        assert_eq!(v.next, Next::FetchAt(1200));
    }
}
