//! The polling policy for `GET /api/v1/runs/{runId}`: when to fetch, when to
//! back off, when to stop.
//!
//! Plain Rust, no clock and no randomness of its own: every method that needs
//! the time takes `now_ms` (Unix epoch milliseconds, e.g. `js_sys::Date::now()`
//! as `u64`; epoch time is required because `Retry-After` dates and
//! `deferUntil` are absolute), and jitter takes `random`, an `f64` in `[0, 1)`
//! (e.g. `js_sys::Math::random()`). The reactive hook owns the timers and the
//! requests and drives a [`Poller`]:
//!
//! 1. When [`Poller::next`] is [`Next::FetchAt`]`(t)`, wait until `t` (at once
//!    if `t <= now`), then call [`Poller::start_request`] and send the request.
//! 2. Abort the request when [`Poller::is_timed_out`] says so (a timer at
//!    [`Poller::timeout_at`]) and report [`Failure::Timeout`].
//! 3. Report the result with [`Poller::finish`]; apply the data only if the
//!    [`Verdict`] says [`Disposition::Apply`]; follow [`Verdict::next`].
//!
//! Cadence follows the service's guidance, "start polling at 1-second
//! intervals, increase the interval up to 5 seconds": 1 s while the run keeps
//! changing, growing ×1.5 per unchanged answer up to 5 s. Failures back off
//! exponentially with full jitter (1 s base, 30 s cap, 250 ms floor), and a
//! server hint (`Retry-After`, `deferUntil`) is a floor on the wait.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

/// Tuning of a [`Poller`]. All durations are milliseconds.
#[derive(Clone, Debug, PartialEq)]
pub struct PollConfig {
    /// Wait after a success while the run is changing (and after recovering
    /// from failures). Default 1000.
    pub initial_interval_ms: u64,
    /// Upper bound of the success interval. Default 5000.
    pub max_interval_ms: u64,
    /// Factor applied to the interval after each unchanged success. Default
    /// 1.5; values below 1 (or not finite) are treated as 1.
    pub growth: f64,
    /// Backoff ceiling of the first failure; doubles per consecutive failure.
    /// Default 1000.
    pub backoff_base_ms: u64,
    /// Largest backoff ceiling. Default 30000.
    pub backoff_cap_ms: u64,
    /// Smallest wait after a failure, so a jitter of 0 never hammers the
    /// server. Default 250.
    pub backoff_floor_ms: u64,
    /// Largest wait honoured from a server hint (`Retry-After`,
    /// `deferUntil`). Guards against clock skew or absurd values freezing the
    /// page; if the server still refuses, it says so again. Default 300000.
    pub hint_cap_ms: u64,
    /// A request running this long is timed out. Default 15000.
    pub request_timeout_ms: u64,
}

impl Default for PollConfig {
    fn default() -> Self {
        Self {
            initial_interval_ms: 1000,
            max_interval_ms: 5000,
            growth: 1.5,
            backoff_base_ms: 1000,
            backoff_cap_ms: 30_000,
            backoff_floor_ms: 250,
            hint_cap_ms: 300_000,
            request_timeout_ms: 15_000,
        }
    }
}

/// Is a run-level `status` final, so polling can stop?
///
/// Terminal: `succeeded`, `failed`, `canceled`/`cancelled` (the service uses
/// `canceled` for jobs), and `skipped` and `locked`, which the run-status page
/// says "count as completed". Not terminal: `queued`, `running`, and **any
/// other value**: an unknown status is more likely a new active state than a
/// new final one, and polling it at the slow cadence costs little, whereas
/// freezing would show a stale run forever. Comparison ignores ASCII case and
/// surrounding whitespace.
pub fn is_terminal_run_status(status: &str) -> bool {
    const TERMINAL: [&str; 6] = [
        "succeeded",
        "failed",
        "canceled",
        "cancelled",
        "skipped",
        "locked",
    ];
    let status = status.trim();
    TERMINAL.iter().any(|t| t.eq_ignore_ascii_case(status))
}

/// Why an HTTP status stops polling instead of being retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FatalKind {
    /// 400: bad request (e.g. `unknown_project` from the project header).
    BadRequest,
    /// 401: missing or invalid API key.
    Unauthorized,
    /// 403: the key may not read this run (`forbidden`, `feature_disabled`).
    Forbidden,
    /// 404: no such run, or the API is not enabled for the account.
    NotFound,
    /// 410: the endpoint was retired.
    Gone,
}

/// The fatal kind of an HTTP status, or `None` if the status is retryable.
///
/// Fatal: 400, 401, 403, 404, 410. Everything else (5xx, 429, 408, 402, 409,
/// unlisted codes) is retried with backoff: a transient cause is more likely
/// than a permanent one, and the backoff keeps retries cheap.
pub fn fatal_kind(status: u16) -> Option<FatalKind> {
    match status {
        400 => Some(FatalKind::BadRequest),
        401 => Some(FatalKind::Unauthorized),
        403 => Some(FatalKind::Forbidden),
        404 => Some(FatalKind::NotFound),
        410 => Some(FatalKind::Gone),
        _ => None,
    }
}

/// A fatal HTTP answer that stopped polling, with what the UI needs to
/// explain it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fatal {
    /// The classified reason.
    pub kind: FatalKind,
    /// The HTTP status as received.
    pub status: u16,
    /// The body's `error.code`, when it had the documented shape.
    pub code: Option<String>,
}

/// Why no further request is scheduled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// The run reached a terminal status.
    Finished,
    /// Paused by the user ([`Poller::pause`]).
    Paused,
    /// A fatal HTTP answer; waits for [`Poller::resume`] or
    /// [`Poller::refresh_now`].
    Fatal(Fatal),
}

/// What the hook should do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Start a request at this epoch-millisecond time (at once if it is not
    /// in the future; `0` means "immediately").
    FetchAt(u64),
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
    /// Stopped by a fatal HTTP answer.
    Fatal(Fatal),
}

/// A server hint of when to retry, from a `Retry-After` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryAfter {
    /// Delta-seconds form, converted to milliseconds.
    DelayMs(u64),
    /// HTTP-date form, as Unix epoch milliseconds (0 for dates before 1970).
    AtMs(u64),
}

impl RetryAfter {
    /// Parse a `Retry-After` value: delta-seconds (`"3"`) or an IMF-fixdate
    /// (`"Sun, 06 Nov 1994 08:49:37 GMT"`). Anything else (including the
    /// obsolete RFC 850 and asctime date forms, fractions and negative
    /// numbers) is `None`, and the caller falls back to plain backoff. The
    /// redundant weekday of a date is not cross-checked.
    pub fn parse(header: &str) -> Option<Self> {
        let value = header.trim();
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            let ms = value
                .parse::<u64>()
                .map_or(u64::MAX, |s| s.saturating_mul(1000));
            return Some(Self::DelayMs(ms));
        }
        let fmt = format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
        );
        let at = PrimitiveDateTime::parse(value, fmt).ok()?.assume_utc();
        Some(Self::AtMs(epoch_ms(at)))
    }

    /// Milliseconds to wait from `now_ms` (0 if the date has passed).
    pub fn wait_ms(self, now_ms: u64) -> u64 {
        match self {
            Self::DelayMs(ms) => ms,
            Self::AtMs(at) => at.saturating_sub(now_ms),
        }
    }
}

/// Parse a `Retry-After` value and return the wait in milliseconds from
/// `now_ms`: `"3"` → 3000; an HTTP date → the time until it (0 if past);
/// garbage → `None`. See [`RetryAfter::parse`].
pub fn parse_retry_after(header: &str, now_ms: u64) -> Option<u64> {
    RetryAfter::parse(header).map(|r| r.wait_ms(now_ms))
}

/// Parse an RFC 3339 timestamp (e.g. a `throttled` error's `deferUntil`) into
/// Unix epoch milliseconds. Times before 1970 give 0 ("already past");
/// anything unparseable gives `None`.
pub fn parse_rfc3339_ms(s: &str) -> Option<u64> {
    OffsetDateTime::parse(s.trim(), &Rfc3339).ok().map(epoch_ms)
}

fn epoch_ms(t: OffsetDateTime) -> u64 {
    let ms = t.unix_timestamp_nanos().div_euclid(1_000_000);
    u64::try_from(ms.max(0)).unwrap_or(u64::MAX)
}

/// The jittered backoff wait before retry `attempt` (1 = first failure):
/// `random × min(cap, base × 2^(attempt−1))`, rounded, floored at
/// `backoff_floor_ms` ("full jitter"). `random` is clamped to `[0, 1]`; a
/// non-finite value counts as 1 (the longest, safest wait). Attempt 0 is
/// treated as 1.
pub fn backoff_ms(config: &PollConfig, attempt: u32, random: f64) -> u64 {
    let exp = attempt.max(1) - 1;
    let ceiling = if exp >= 63 {
        config.backoff_cap_ms
    } else {
        config
            .backoff_base_ms
            .saturating_mul(1u64 << exp)
            .min(config.backoff_cap_ms)
    };
    let r = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        1.0
    };
    // `as` saturates for floats; the product is within [0, ceiling].
    let jittered = (r * ceiling as f64).round() as u64;
    jittered.max(config.backoff_floor_ms)
}

/// Why a request did not produce usable data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No HTTP answer (offline, DNS, CORS, connection reset). Retried.
    Network,
    /// No answer within [`PollConfig::request_timeout_ms`]. Retried.
    Timeout,
    /// An HTTP error status. Fatal if [`fatal_kind`] says so, else retried.
    Http {
        /// HTTP status code.
        status: u16,
        /// The body's `error.code`, if the body had the documented shape.
        code: Option<String>,
        /// The parsed `Retry-After` header, if readable; a floor on the wait.
        retry_after: Option<RetryAfter>,
        /// A `throttled` error's `deferUntil`, as epoch ms; a floor on the
        /// wait.
        defer_until_ms: Option<u64>,
    },
    /// A 2xx body that is not the documented JSON. Retried.
    Decode,
}

impl Failure {
    /// Build [`Failure::Http`] from raw header/body strings: `retry_after` is
    /// the verbatim `Retry-After` header and `defer_until` the RFC 3339
    /// `deferUntil`; unparseable values are dropped.
    pub fn http(
        status: u16,
        code: Option<String>,
        retry_after: Option<&str>,
        defer_until: Option<&str>,
    ) -> Self {
        Self::Http {
            status,
            code,
            retry_after: retry_after.and_then(RetryAfter::parse),
            defer_until_ms: defer_until.and_then(parse_rfc3339_ms),
        }
    }
}

/// How a request ended, as reported to [`Poller::finish`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A decoded run.
    Success {
        /// The run status is terminal ([`is_terminal_run_status`]).
        terminal: bool,
        /// The data differs from what was shown before. Report the first
        /// response of a poller as changed.
        changed: bool,
    },
    /// The request failed.
    Failure(Failure),
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
    started_at_ms: u64,
}

impl RequestTicket {
    /// Sequence number, strictly increasing per [`Poller`] (first is 1).
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// When the request started (epoch ms).
    pub fn started_at_ms(&self) -> u64 {
        self.started_at_ms
    }
}

/// The polling state machine of one run. Create a new one when the run
/// changes (tickets of another poller are meaningless to it).
///
/// Rules: at most one request in flight; the first fetch is due at once;
/// successes schedule the next fetch after the current interval; retryable
/// failures back off; terminal runs, fatal answers and pauses stop
/// scheduling; a hidden page fetches nothing. "Immediately" always means "now,
/// or when the server's last `Retry-After`/`deferUntil` allows, if later".
#[derive(Clone, Debug)]
pub struct Poller {
    config: PollConfig,
    /// Seq of the last ticket issued (0 = none).
    last_seq: u64,
    /// The request in flight, and whether it was a manual refresh.
    in_flight: Option<(RequestTicket, bool)>,
    /// Seq of the newest applied success.
    last_applied_seq: Option<u64>,
    /// The wait after the next unchanged success is based on this.
    interval_ms: u64,
    failures: u32,
    failing_since_ms: Option<u64>,
    /// When the next fetch is due, if the poller is active or a manual
    /// refresh is pending.
    due_at_ms: Option<u64>,
    /// Earliest time the server allows another request (from a hint).
    not_before_ms: u64,
    /// A one-shot refresh requested while stopped.
    manual: bool,
    finished: bool,
    fatal: Option<Fatal>,
    paused: bool,
    visible: bool,
}

impl Poller {
    /// A poller whose first fetch is due immediately, visible, not paused.
    pub fn new(config: PollConfig) -> Self {
        let interval_ms = config.initial_interval_ms.min(config.max_interval_ms);
        Self {
            config,
            last_seq: 0,
            in_flight: None,
            last_applied_seq: None,
            interval_ms,
            failures: 0,
            failing_since_ms: None,
            due_at_ms: Some(0),
            not_before_ms: 0,
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

    /// Start a request: `None` if one is in flight, the page is hidden, or
    /// polling is stopped (finished, fatal, paused) without a pending
    /// [`refresh_now`](Self::refresh_now). It does not check the schedule:
    /// call it when [`next`](Self::next) is due.
    pub fn start_request(&mut self, now_ms: u64) -> Option<RequestTicket> {
        if self.in_flight.is_some() || !self.visible {
            return None;
        }
        if !self.manual && self.stop_reason().is_some() {
            return None;
        }
        self.last_seq += 1;
        let ticket = RequestTicket {
            seq: self.last_seq,
            started_at_ms: now_ms,
        };
        self.in_flight = Some((ticket, self.manual));
        self.manual = false;
        Some(ticket)
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
        now_ms: u64,
        random: f64,
    ) -> Verdict {
        let data = match outcome {
            Outcome::Success { .. } if self.last_applied_seq.is_none_or(|s| ticket.seq > s) => {
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
            Outcome::Failure(failure) => self.on_failure(failure, now_ms, random),
        }
        Verdict {
            data,
            next: self.next(),
        }
    }

    fn on_success(&mut self, terminal: bool, changed: bool, now_ms: u64) {
        let recovering = self.failures > 0;
        self.failures = 0;
        self.failing_since_ms = None;
        self.not_before_ms = 0;
        if terminal {
            self.finished = true;
            self.due_at_ms = None;
            self.interval_ms = self.initial_interval();
            return;
        }
        self.finished = false;
        self.interval_ms = if changed || recovering {
            self.initial_interval()
        } else {
            self.grown_interval()
        };
        self.due_at_ms = Some(now_ms.saturating_add(self.interval_ms));
    }

    fn on_failure(&mut self, failure: Failure, now_ms: u64, random: f64) {
        self.failures = self.failures.saturating_add(1);
        self.failing_since_ms.get_or_insert(now_ms);
        let mut hint_ms = 0;
        if let Failure::Http {
            status,
            code,
            retry_after,
            defer_until_ms,
        } = failure
        {
            if let Some(kind) = fatal_kind(status) {
                // A finished run stays finished if its refresh is refused.
                if !self.finished {
                    self.fatal = Some(Fatal { kind, status, code });
                    self.due_at_ms = None;
                }
                return;
            }
            let from_header = retry_after.map_or(0, |r| r.wait_ms(now_ms));
            let from_body = defer_until_ms.map_or(0, |at| at.saturating_sub(now_ms));
            hint_ms = from_header.max(from_body).min(self.config.hint_cap_ms);
        }
        self.not_before_ms = now_ms.saturating_add(hint_ms);
        if self.finished {
            return;
        }
        let wait = backoff_ms(&self.config, self.failures, random).max(hint_ms);
        self.due_at_ms = Some(now_ms.saturating_add(wait));
    }

    fn initial_interval(&self) -> u64 {
        self.config
            .initial_interval_ms
            .min(self.config.max_interval_ms)
    }

    fn grown_interval(&self) -> u64 {
        let growth = if self.config.growth.is_finite() {
            self.config.growth.max(1.0)
        } else {
            1.0
        };
        let grown = (self.interval_ms as f64 * growth).round() as u64;
        grown.min(self.config.max_interval_ms)
    }

    fn immediately(&self, now_ms: u64) -> u64 {
        now_ms.max(self.not_before_ms)
    }

    /// The page became visible (`true`) or hidden (`false`). Hidden: nothing
    /// starts. Becoming visible while active (or with a refresh pending) makes
    /// a fetch due immediately. Returns the new [`next`](Self::next).
    pub fn set_visible(&mut self, visible: bool, now_ms: u64) -> Next {
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
    pub fn resume(&mut self, now_ms: u64) -> Next {
        self.paused = false;
        if self.fatal.take().is_some() {
            self.failures = 0;
            self.failing_since_ms = None;
        }
        if !self.finished {
            self.due_at_ms = Some(self.immediately(now_ms));
        }
        self.next()
    }

    /// Fetch once as soon as possible, even if finished, fatal or paused.
    /// Clears a fatal stop; afterwards the usual rules apply (a terminal
    /// answer keeps the run finished, a pause stays in force).
    pub fn refresh_now(&mut self, now_ms: u64) -> Next {
        if self.fatal.take().is_some() {
            self.failures = 0;
            self.failing_since_ms = None;
        }
        self.manual = true;
        self.due_at_ms = Some(self.immediately(now_ms));
        self.next()
    }

    /// Has the request of `ticket` run for at least
    /// [`PollConfig::request_timeout_ms`]?
    pub fn is_timed_out(&self, ticket: &RequestTicket, now_ms: u64) -> bool {
        now_ms.saturating_sub(ticket.started_at_ms) >= self.config.request_timeout_ms
    }

    /// When the request of `ticket` times out (epoch ms), for a timer.
    pub fn timeout_at(&self, ticket: &RequestTicket) -> u64 {
        ticket
            .started_at_ms
            .saturating_add(self.config.request_timeout_ms)
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
        match self.due_at_ms {
            Some(at) => Next::FetchAt(at),
            // Unreachable by construction; fetching is the safe default.
            None => Next::FetchAt(self.not_before_ms),
        }
    }

    /// When the next fetch is due, if one is scheduled (for "next poll in
    /// N s" / "retrying in N s").
    pub fn next_fetch_at(&self) -> Option<u64> {
        match self.next() {
            Next::FetchAt(at) => Some(at),
            _ => None,
        }
    }

    /// Is a request in flight?
    pub fn is_in_flight(&self) -> bool {
        self.in_flight.is_some()
    }

    /// Failures since the last success (fatal answers count too).
    pub fn consecutive_failures(&self) -> u32 {
        self.failures
    }

    /// When the current failure streak began (epoch ms), if failing.
    pub fn failing_since_ms(&self) -> Option<u64> {
        self.failing_since_ms
    }

    /// Seq of the newest applied success, if any.
    pub fn last_applied_seq(&self) -> Option<u64> {
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

    fn http(status: u16) -> Outcome {
        Outcome::Failure(Failure::Http {
            status,
            code: None,
            retry_after: None,
            defer_until_ms: None,
        })
    }

    /// Start a request at `now` and finish it at `now` with `outcome`.
    fn cycle(p: &mut Poller, now: u64, outcome: Outcome, random: f64) -> Verdict {
        let t = p.start_request(now).expect("a request may start");
        p.finish(t, outcome, now, random)
    }

    fn wait_after(p: &mut Poller, now: u64, outcome: Outcome, random: f64) -> u64 {
        match cycle(p, now, outcome, random).next {
            Next::FetchAt(at) => at - now,
            other => panic!("expected FetchAt, got {other:?}"),
        }
    }

    #[test]
    fn first_fetch_is_immediate_and_seqs_increase() {
        let mut p = poller();
        assert_eq!(p.next(), Next::FetchAt(0));
        assert_eq!(p.state(), PollState::Polling);
        let t1 = p.start_request(10).unwrap();
        assert_eq!(t1.seq(), 1);
        assert_eq!(t1.started_at_ms(), 10);
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
        assert_eq!(p.next_fetch_at(), None);
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
        assert_eq!(p.next_fetch_at(), Some(1700));
    }

    #[test]
    fn terminal_success_stops_for_good() {
        let mut p = poller();
        let v = cycle(&mut p, 0, done(), 0.5);
        assert!(v.should_apply());
        assert_eq!(v.next, Next::Stopped(StopReason::Finished));
        assert_eq!(p.state(), PollState::Finished);
        assert_eq!(p.next_fetch_at(), None);
        for now in [1_000, 60_000, 10_000_000] {
            assert_eq!(p.start_request(now), None);
        }
        // Neither visibility changes nor resume restart a finished run.
        p.set_visible(false, 1);
        assert_eq!(p.set_visible(true, 2), Next::Stopped(StopReason::Finished));
        assert_eq!(p.resume(3), Next::Stopped(StopReason::Finished));
        assert_eq!(p.start_request(4), None);
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
        let v = cycle(&mut p, 100, Outcome::Failure(Failure::Network), 0.5);
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
    fn backoff_with_zero_random_is_floored_at_250ms() {
        let c = PollConfig::default();
        for n in 1..=8 {
            assert_eq!(backoff_ms(&c, n, 0.0), 250, "attempt {n}");
        }
    }

    #[test]
    fn backoff_with_max_random_doubles_to_the_30s_cap() {
        let c = PollConfig::default();
        let got: Vec<u64> = (1..=8).map(|n| backoff_ms(&c, n, R_MAX)).collect();
        assert_eq!(
            got,
            [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]
        );
        assert_eq!(backoff_ms(&c, u32::MAX, R_MAX), 30_000);
    }

    #[test]
    fn backoff_jitter_spans_floor_to_ceiling() {
        let c = PollConfig::default();
        assert_eq!(backoff_ms(&c, 3, 0.5), 2000);
        assert_eq!(backoff_ms(&c, 3, 0.25), 1000);
        assert_eq!(backoff_ms(&c, 1, 0.1), 250); // 100 floored
        for i in 0..100 {
            let r = f64::from(i) / 100.0;
            let w = backoff_ms(&c, 4, r);
            assert!((250..=8000).contains(&w), "r={r} w={w}");
        }
        // Out-of-range randomness cannot escape the bounds.
        assert_eq!(backoff_ms(&c, 4, 7.0), 8000);
        assert_eq!(backoff_ms(&c, 4, -1.0), 250);
        assert_eq!(backoff_ms(&c, 4, f64::NAN), 8000);
    }

    #[test]
    fn consecutive_failures_back_off_exponentially() {
        let mut p = poller();
        let mut now = 0;
        let mut waits = vec![];
        for _ in 0..7 {
            let w = wait_after(&mut p, now, Outcome::Failure(Failure::Network), R_MAX);
            waits.push(w);
            now += w;
        }
        assert_eq!(waits, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
        assert_eq!(p.consecutive_failures(), 7);
        assert_eq!(p.state(), PollState::Retrying);
    }

    #[test]
    fn every_retryable_failure_kind_backs_off() {
        let retryable = [
            Outcome::Failure(Failure::Network),
            Outcome::Failure(Failure::Timeout),
            Outcome::Failure(Failure::Decode),
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
            assert_eq!(wait_after(&mut p, 0, outcome, 0.5), 500, "{label}");
            assert_eq!(p.state(), PollState::Retrying, "{label}");
        }
    }

    #[test]
    fn failing_since_marks_start_of_streak() {
        let mut p = poller();
        assert_eq!(p.failing_since_ms(), None);
        cycle(&mut p, 100, Outcome::Failure(Failure::Timeout), 0.5);
        cycle(&mut p, 900, Outcome::Failure(Failure::Network), 0.5);
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
            now += wait_after(&mut p, now, Outcome::Failure(Failure::Network), 0.5);
        }
        // Unchanged data after recovering still polls at 1 s.
        assert_eq!(wait_after(&mut p, now, ok(false), 0.5), 1000);
        assert_eq!(p.consecutive_failures(), 0);
        assert_eq!(p.failing_since_ms(), None);
        assert_eq!(p.state(), PollState::Polling);
        // And the next failure starts again at attempt 1.
        assert_eq!(
            wait_after(
                &mut p,
                now + 1000,
                Outcome::Failure(Failure::Network),
                R_MAX
            ),
            1000
        );
    }

    #[test]
    fn retry_after_seconds_is_a_floor_on_backoff() {
        let mut p = poller();
        let f = Failure::http(429, Some("rate_limit_exceeded".into()), Some("7"), None);
        assert_eq!(wait_after(&mut p, 1000, Outcome::Failure(f), R_MAX), 7000);
        // A hint shorter than the jittered wait does not shorten it.
        let mut p = poller();
        for _ in 0..4 {
            cycle(&mut p, 0, Outcome::Failure(Failure::Network), 0.0);
        }
        let f = Failure::http(429, None, Some("1"), None);
        assert_eq!(wait_after(&mut p, 0, Outcome::Failure(f), R_MAX), 16_000);
    }

    #[test]
    fn retry_after_date_is_a_floor_on_backoff() {
        // 1994-11-06T08:49:37Z = 784111777 s.
        let now = 784_111_777_000 - 12_000;
        let f = Failure::http(503, None, Some("Sun, 06 Nov 1994 08:49:37 GMT"), None);
        let mut p = poller();
        assert_eq!(wait_after(&mut p, now, Outcome::Failure(f), 0.0), 12_000);
    }

    #[test]
    fn defer_until_is_a_floor_on_backoff() {
        let at = parse_rfc3339_ms("2025-01-01T00:00:20Z").unwrap();
        let now = at - 20_000;
        let f = Failure::Http {
            status: 429,
            code: Some("throttled".into()),
            retry_after: None,
            defer_until_ms: Some(at),
        };
        let mut p = poller();
        let v = cycle(&mut p, now, Outcome::Failure(f), 0.3);
        assert_eq!(v.next, Next::FetchAt(at));
        assert_eq!(p.next_fetch_at(), Some(at));
    }

    #[test]
    fn absurd_hint_is_capped() {
        let f = Failure::http(429, None, Some("999999999"), None);
        let mut p = poller();
        assert_eq!(wait_after(&mut p, 0, Outcome::Failure(f), 0.5), 300_000);
    }

    #[test]
    fn immediate_triggers_honour_server_hint() {
        let f = Failure::http(429, None, Some("10"), None);
        let mut p = poller();
        cycle(&mut p, 0, Outcome::Failure(f), 0.5);
        p.set_visible(false, 1000);
        assert_eq!(p.set_visible(true, 2000), Next::FetchAt(10_000));
        assert_eq!(p.refresh_now(3000), Next::FetchAt(10_000));
    }

    #[test]
    fn fatal_statuses_stop_until_resume() {
        let table = [
            (401, FatalKind::Unauthorized),
            (403, FatalKind::Forbidden),
            (404, FatalKind::NotFound),
            (400, FatalKind::BadRequest),
            (410, FatalKind::Gone),
        ];
        for (status, kind) in table {
            let mut p = poller();
            let fatal = Fatal {
                kind,
                status,
                code: Some("c".into()),
            };
            let outcome = Outcome::Failure(Failure::http(status, Some("c".into()), None, None));
            let v = cycle(&mut p, 0, outcome, 0.5);
            assert_eq!(v.data, Disposition::Discard);
            assert_eq!(v.next, Next::Stopped(StopReason::Fatal(fatal.clone())));
            assert_eq!(p.state(), PollState::Fatal(fatal));
            assert_eq!(p.start_request(60_000), None, "{status}");
            assert_eq!(p.next_fetch_at(), None);
            assert_eq!(p.resume(70_000), Next::FetchAt(70_000), "{status}");
            assert_eq!(p.state(), PollState::Polling);
            assert_eq!(p.consecutive_failures(), 0);
            assert!(p.start_request(70_000).is_some());
        }
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
        assert_eq!(p.next_fetch_at(), None);
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
        let v = p.finish(t, Outcome::Failure(Failure::Network), 10, 0.5);
        assert_eq!(v.data, Disposition::Discard);
        assert_eq!(v.next, Next::FetchAt(1000));
        assert_eq!(p.consecutive_failures(), 0);
    }

    #[test]
    fn timeout_detection() {
        let mut p = poller();
        let t = p.start_request(1000).unwrap();
        assert!(!p.is_timed_out(&t, 1000));
        assert!(!p.is_timed_out(&t, 15_999));
        assert!(p.is_timed_out(&t, 16_000));
        assert!(!p.is_timed_out(&t, 0)); // clock going backwards
        assert_eq!(p.timeout_at(&t), 16_000);
        let v = p.finish(t, Outcome::Failure(Failure::Timeout), 16_000, R_MAX);
        assert_eq!(v.next, Next::FetchAt(17_000));
    }

    #[test]
    fn terminal_run_status_table() {
        let table = [
            ("succeeded", true),
            ("failed", true),
            ("canceled", true),
            ("cancelled", true),
            ("skipped", true),
            ("locked", true),
            ("SUCCEEDED", true),
            (" failed ", true),
            ("queued", false),
            ("running", false),
            ("in_progress", false),
            ("idle", false),
            ("scheduled", false),
            ("paused_for_review", false),
            ("", false),
        ];
        for (status, terminal) in table {
            assert_eq!(is_terminal_run_status(status), terminal, "{status:?}");
        }
    }

    #[test]
    fn parse_retry_after_forms() {
        let date_s = 784_111_777_000; // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("3", 0), Some(3000));
        assert_eq!(parse_retry_after(" 0 ", 0), Some(0));
        assert_eq!(parse_retry_after("120", 5), Some(120_000));
        let date = "Sun, 06 Nov 1994 08:49:37 GMT";
        assert_eq!(parse_retry_after(date, date_s - 2500), Some(2500));
        assert_eq!(parse_retry_after(date, date_s + 1), Some(0)); // past
        let wrong_weekday = "Mon, 06 Nov 1994 08:49:37 GMT";
        assert_eq!(parse_retry_after(wrong_weekday, date_s), Some(0));
        assert_eq!(
            RetryAfter::parse(date),
            Some(RetryAfter::AtMs(784_111_777_000))
        );
        for garbage in [
            "",
            "soon",
            "-1",
            "1.5",
            "3 s",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun, 31 Feb 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_retry_after(garbage, 0), None, "{garbage:?}");
        }
        assert_eq!(
            parse_retry_after("99999999999999999999999", 0),
            Some(u64::MAX)
        );
    }

    #[test]
    fn parse_rfc3339_forms() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:01.5Z"), Some(1500));
        assert_eq!(
            parse_rfc3339_ms("1994-11-06T09:49:37+01:00"),
            Some(784_111_777_000)
        );
        assert_eq!(parse_rfc3339_ms("1969-12-31T23:59:59Z"), Some(0));
        assert_eq!(parse_rfc3339_ms("tomorrow"), None);
        assert_eq!(parse_rfc3339_ms("2025-01-01"), None);
    }

    #[test]
    fn failure_http_builder_parses_raw_strings() {
        let f = Failure::http(429, None, Some("nope"), Some("1970-01-01T00:00:02Z"));
        assert_eq!(
            f,
            Failure::Http {
                status: 429,
                code: None,
                retry_after: None,
                defer_until_ms: Some(2000),
            }
        );
    }

    #[test]
    fn fatal_kind_classification() {
        assert_eq!(fatal_kind(401), Some(FatalKind::Unauthorized));
        for status in [200, 402, 408, 409, 429, 500, 503, 599] {
            assert_eq!(fatal_kind(status), None, "{status}");
        }
    }
}
