//! The simulator's mutable state: run instances and their clocks, injected
//! faults, and the log of API requests.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use serde::Serialize;
use tokio::sync::watch;

use crate::faults::FaultKind;
use crate::timestamp::now_unix_ms;

/// Most request-log entries kept.
const LOG_CAPACITY: usize = 100_000;

/// Settings fixed at start-up.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The one accepted API key.
    pub key: String,
    /// Scenario ms per wall-clock ms.
    pub speed: f64,
    /// Public base URL of the media origin (no trailing slash).
    pub media_base: String,
}

/// One run id's independent clock.
#[derive(Debug, Clone)]
struct Instance {
    /// Creation order (for listings).
    order: u64,
    /// Wall time when `base_elapsed_ms` was set.
    anchor: Instant,
    /// Scenario time at `anchor`.
    base_elapsed_ms: f64,
    /// Wall-clock Unix ms of scenario time 0.
    t0_unix_ms: i64,
    /// API requests answered for this run id so far.
    requests: u64,
}

/// Where an instance is in its scenario, right now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock {
    /// Scenario time elapsed.
    pub elapsed_ms: u64,
    /// Wall-clock Unix ms of scenario time 0.
    pub t0_unix_ms: i64,
    /// Number of the current request (1-based), or the count so far when peeking.
    pub request_no: u64,
    /// Creation order.
    pub order: u64,
}

/// A fault injected through `POST /_sim/faults`.
#[derive(Debug, Clone, Copy)]
struct Injected {
    kind: FaultKind,
    remaining: Option<u64>,
}

/// One API request, as `GET /_sim/requests` reports it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedRequest {
    /// Sequence number, from 1.
    pub seq: u64,
    /// HTTP method (`OPTIONS` for preflights).
    pub method: String,
    /// Request path (no query).
    pub path: String,
    /// Run id in the path, if any.
    pub run_id: Option<String>,
    /// Response status; `null` while pending or if never answered (hang).
    pub status: Option<u16>,
    /// Arrival, in ms since the simulator started.
    pub at_ms: f64,
    /// `ok`, `missing` or `wrong` (never the key).
    pub auth: &'static str,
}

/// The simulator's state, shared by all handlers.
#[derive(Debug)]
pub struct SimState {
    /// Start-up settings.
    pub settings: Settings,
    started: Instant,
    instances: Mutex<HashMap<String, Instance>>,
    next_order: Mutex<u64>,
    faults: Mutex<HashMap<String, Injected>>,
    log: Mutex<VecDeque<LoggedRequest>>,
    next_seq: Mutex<u64>,
    /// Becomes `true` when the servers shut down (ends hanging requests).
    pub shutdown: watch::Receiver<bool>,
}

/// Locks a mutex, ignoring poisoning (the data stays usable).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl SimState {
    /// Fresh state.
    pub fn new(settings: Settings, shutdown: watch::Receiver<bool>) -> SimState {
        SimState {
            settings,
            started: Instant::now(),
            instances: Mutex::new(HashMap::new()),
            next_order: Mutex::new(0),
            faults: Mutex::new(HashMap::new()),
            log: Mutex::new(VecDeque::new()),
            next_seq: Mutex::new(1),
            shutdown,
        }
    }

    fn clock_of(&self, inst: &Instance, now: Instant) -> Clock {
        let elapsed = inst.base_elapsed_ms
            + now.duration_since(inst.anchor).as_secs_f64() * 1_000.0 * self.settings.speed;
        Clock {
            elapsed_ms: elapsed.max(0.0) as u64,
            t0_unix_ms: inst.t0_unix_ms,
            request_no: inst.requests,
            order: inst.order,
        }
    }

    fn new_instance(&self, elapsed_ms: f64) -> Instance {
        let mut order = lock(&self.next_order);
        *order += 1;
        Instance {
            order: *order,
            anchor: Instant::now(),
            base_elapsed_ms: elapsed_ms,
            t0_unix_ms: now_unix_ms() - (elapsed_ms / self.settings.speed).round() as i64,
            requests: 0,
        }
    }

    /// Counts an API request for `run_id` (creating its instance on first sight)
    /// and returns its clock.
    pub fn touch(&self, run_id: &str) -> Clock {
        let mut instances = lock(&self.instances);
        let inst = instances
            .entry(run_id.to_string())
            .or_insert_with(|| self.new_instance(0.0));
        inst.requests += 1;
        let inst = inst.clone();
        self.clock_of(&inst, Instant::now())
    }

    /// Creates the instance of `run_id` if it does not exist yet, without
    /// counting a request; returns its clock.
    pub fn ensure(&self, run_id: &str) -> Clock {
        let mut instances = lock(&self.instances);
        let inst = instances
            .entry(run_id.to_string())
            .or_insert_with(|| self.new_instance(0.0))
            .clone();
        self.clock_of(&inst, Instant::now())
    }

    /// The clock of `run_id` if it has been created, without counting a request.
    pub fn peek(&self, run_id: &str) -> Option<Clock> {
        let instances = lock(&self.instances);
        instances
            .get(run_id)
            .map(|inst| self.clock_of(inst, Instant::now()))
    }

    /// All instances, as (run id, clock).
    pub fn instances(&self) -> Vec<(String, Clock)> {
        let now = Instant::now();
        lock(&self.instances)
            .iter()
            .map(|(id, inst)| (id.clone(), self.clock_of(inst, now)))
            .collect()
    }

    /// Sets the scenario time of `run_id` to `elapsed_ms` now (creating it if needed).
    pub fn set_clock(&self, run_id: &str, elapsed_ms: f64) -> Clock {
        let mut instances = lock(&self.instances);
        let fresh = self.new_instance(elapsed_ms);
        let inst = instances
            .entry(run_id.to_string())
            .or_insert_with(|| fresh.clone());
        inst.anchor = fresh.anchor;
        inst.base_elapsed_ms = fresh.base_elapsed_ms;
        inst.t0_unix_ms = fresh.t0_unix_ms;
        let inst = inst.clone();
        self.clock_of(&inst, Instant::now())
    }

    /// Injects `kind` into the next `count` requests of `run_id` (`None`: until cleared).
    pub fn inject(&self, run_id: &str, kind: FaultKind, count: Option<u64>) {
        lock(&self.faults).insert(
            run_id.to_string(),
            Injected {
                kind,
                remaining: count,
            },
        );
    }

    /// Consumes one injected fault for `run_id`, if any.
    pub fn take_fault(&self, run_id: &str) -> Option<FaultKind> {
        let mut faults = lock(&self.faults);
        let injected = faults.get_mut(run_id)?;
        let kind = injected.kind;
        match &mut injected.remaining {
            Some(0) => {
                faults.remove(run_id);
                return None;
            }
            Some(n) => {
                *n -= 1;
                if *n == 0 {
                    faults.remove(run_id);
                }
            }
            None => {}
        }
        Some(kind)
    }

    /// Removes every injected fault.
    pub fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    /// Clears instances, faults and the request log.
    pub fn reset(&self) {
        lock(&self.instances).clear();
        self.clear_faults();
        lock(&self.log).clear();
    }

    /// Records the arrival of an API request; returns its sequence number.
    pub fn log_start(
        &self,
        method: &str,
        path: &str,
        run_id: Option<String>,
        auth: &'static str,
    ) -> u64 {
        let seq = {
            let mut next = lock(&self.next_seq);
            let seq = *next;
            *next += 1;
            seq
        };
        let mut log = lock(&self.log);
        if log.len() >= LOG_CAPACITY {
            log.pop_front();
        }
        log.push_back(LoggedRequest {
            seq,
            method: method.to_string(),
            path: path.to_string(),
            run_id,
            status: None,
            at_ms: self.started.elapsed().as_secs_f64() * 1_000.0,
            auth,
        });
        seq
    }

    /// Records the status of request `seq`.
    pub fn log_finish(&self, seq: u64, status: u16) {
        let mut log = lock(&self.log);
        let Some(first) = log.front().map(|r| r.seq) else {
            return;
        };
        if let Some(entry) = seq
            .checked_sub(first)
            .and_then(|i| log.get_mut(i as usize))
            .filter(|e| e.seq == seq)
        {
            entry.status = Some(status);
        }
    }

    /// The logged requests, optionally only those of `run_id`.
    pub fn requests(&self, run_id: Option<&str>) -> Vec<LoggedRequest> {
        lock(&self.log)
            .iter()
            .filter(|r| run_id.is_none_or(|id| r.run_id.as_deref() == Some(id)))
            .cloned()
            .collect()
    }
}
