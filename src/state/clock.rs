//! Time, in one representation, from one injectable source.
//!
//! **Every instant in the app's state is an `i64` of Unix epoch
//! milliseconds** (the API's timestamps as [`Timestamp`](crate::api::Timestamp),
//! "updated at", "failing since", "next try at", the poller's schedule).
//! Epoch time because the server's hints (`Retry-After` dates, `deferUntil`)
//! and the API's timestamps are absolute; milliseconds because that is what
//! the browser's clock and timers speak; signed so that differences (a
//! duration, "3 s ago", a clock set backwards) never underflow; integer so
//! that equal instants compare equal. The browser's `f64` from `Date.now()`
//! is converted once, here, at the boundary.
//!
//! Two things live here:
//! - [`TimeSource`]: now, timers and jitter for the polling hook, real
//!   ([`RealTime`]) in the app and fake ([`FakeTime`]) in tests, so a test
//!   of the hook runs hours of polling in milliseconds.
//! - [`Clock`]: the one ticking signal for everything that shows live time
//!   (durations of running steps, "updated N s ago", retry countdowns). It
//!   ticks once a second while the page is mounted, through leptos-use,
//!   which clears the interval on unmount.

use leptos::prelude::*;
use leptos_use_interval_fn::use_interval_fn;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Now, in Unix epoch milliseconds, from the browser's clock.
pub fn now_ms() -> i64 {
    // `as` saturates; Date.now() is an integral number of milliseconds.
    js_sys::Date::now() as i64
}

/// A timer from [`TimeSource::set_timer`]. Dropping it does not cancel it.
pub struct Timer(Option<Box<dyn FnOnce()>>);

impl Timer {
    /// Cancels the timer; its callback never runs (a no-op if it already ran).
    pub fn cancel(mut self) {
        if let Some(cancel) = self.0.take() {
            cancel();
        }
    }
}

/// Where the polling hook gets the time, its timers and its jitter.
pub trait TimeSource {
    /// Now, in Unix epoch milliseconds.
    fn now_ms(&self) -> i64;
    /// Runs `f` once, `delay_ms` from now (at once if not positive, but
    /// never synchronously).
    fn set_timer(&self, delay_ms: i64, f: Box<dyn FnOnce()>) -> Timer;
    /// A number in `[0, 1)` for jitter.
    fn random(&self) -> f64;
}

/// The browser's clock, `setTimeout` and `Math.random`.
#[derive(Clone, Copy, Debug, Default)]
pub struct RealTime;

impl TimeSource for RealTime {
    fn now_ms(&self) -> i64 {
        now_ms()
    }

    fn set_timer(&self, delay_ms: i64, f: Box<dyn FnOnce()>) -> Timer {
        let delay = std::time::Duration::from_millis(u64::try_from(delay_ms).unwrap_or(0));
        match set_timeout_with_handle(f, delay) {
            Ok(handle) => Timer(Some(Box::new(move || handle.clear()))),
            Err(_) => Timer(None),
        }
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}

type Callbacks = BTreeMap<(i64, u64), Box<dyn FnOnce()>>;

#[derive(Default)]
struct Fake {
    now: i64,
    random: f64,
    next_id: u64,
    timers: Callbacks,
}

/// A clock that moves only when told to, for tests: timers fire, in order,
/// as [`advance`](Self::advance) passes their time. Cheap to clone (clones
/// share the clock).
#[derive(Clone, Default)]
pub struct FakeTime(Rc<RefCell<Fake>>);

impl FakeTime {
    /// A fake clock at `now_ms`, with jitter 0 (the shortest waits).
    pub fn new(now_ms: i64) -> Self {
        let fake = Self::default();
        fake.0.borrow_mut().now = now_ms;
        fake
    }

    /// Sets what [`TimeSource::random`] returns from now on.
    pub fn set_random(&self, random: f64) {
        self.0.borrow_mut().random = random;
    }

    /// Moves the clock forward by `ms`, running each timer that comes due
    /// at its own time, in order (timers they set run too, if due).
    pub fn advance(&self, ms: i64) {
        let target = self.0.borrow().now.saturating_add(ms.max(0));
        loop {
            let due = {
                let mut fake = self.0.borrow_mut();
                match fake.timers.first_key_value() {
                    Some((&(at, _), _)) if at <= target => {
                        let (_, f) = fake.timers.pop_first().expect("a timer");
                        fake.now = fake.now.max(at);
                        Some(f)
                    }
                    _ => None,
                }
            };
            match due {
                Some(f) => f(),
                None => break,
            }
        }
        self.0.borrow_mut().now = target;
    }

    /// Sets the clock to `now_ms` without running any timer, as when the
    /// system clock is changed (forwards or backwards). Timers keep their
    /// remaining delay, as browser timers do.
    pub fn jump_to(&self, now_ms: i64) {
        let mut fake = self.0.borrow_mut();
        let shift = now_ms.saturating_sub(fake.now);
        let timers = std::mem::take(&mut fake.timers);
        fake.timers = timers
            .into_iter()
            .map(|((at, id), f)| ((at.saturating_add(shift), id), f))
            .collect();
        fake.now = now_ms;
    }

    /// Timers set and not yet run or cancelled.
    pub fn pending_timers(&self) -> usize {
        self.0.borrow().timers.len()
    }

    /// When the earliest pending timer is due.
    pub fn next_timer_at(&self) -> Option<i64> {
        self.0.borrow().timers.keys().next().map(|&(at, _)| at)
    }
}

impl TimeSource for FakeTime {
    fn now_ms(&self) -> i64 {
        self.0.borrow().now
    }

    fn set_timer(&self, delay_ms: i64, f: Box<dyn FnOnce()>) -> Timer {
        let key = {
            let mut fake = self.0.borrow_mut();
            fake.next_id += 1;
            let key = (fake.now.saturating_add(delay_ms.max(0)), fake.next_id);
            fake.timers.insert(key, f);
            key
        };
        let fake = self.0.clone();
        Timer(Some(Box::new(move || {
            // Dropped outside the borrow: a callback may own other timers.
            let removed = fake.borrow_mut().timers.remove(&key);
            drop(removed);
        })))
    }

    fn random(&self) -> f64 {
        self.0.borrow().random
    }
}

/// The current time in Unix ms, updated every second.
#[derive(Clone, Copy)]
pub struct Clock(pub ReadSignal<i64>);

impl Clock {
    /// Starts the clock in the current owner and provides it as context.
    pub fn provide() -> Self {
        let (now, set_now) = signal(now_ms());
        use_interval_fn(move || set_now.set(now_ms()), 1000);
        let clock = Self(now);
        provide_context(clock);
        clock
    }

    /// The clock from context.
    pub fn expect() -> Self {
        expect_context::<Self>()
    }

    /// Now, tracked.
    pub fn now(&self) -> i64 {
        self.0.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fake_timers_fire_in_order_at_their_time() {
        let time = FakeTime::new(1000);
        let log = Rc::new(RefCell::new(Vec::new()));
        for (delay, name) in [(300, "b"), (100, "a"), (300, "c")] {
            let (log, t) = (log.clone(), time.clone());
            time.set_timer(
                delay,
                Box::new(move || log.borrow_mut().push((name, t.now_ms()))),
            );
        }
        let cancelled = time.set_timer(200, Box::new(|| panic!("cancelled")));
        cancelled.cancel();
        time.advance(99);
        assert!(log.borrow().is_empty());
        time.advance(1000);
        assert_eq!(*log.borrow(), [("a", 1100), ("b", 1300), ("c", 1300)]);
        assert_eq!(time.now_ms(), 2099);
        assert_eq!(time.pending_timers(), 0);
    }

    #[test]
    fn timers_set_by_timers_run_when_due() {
        let time = FakeTime::new(0);
        let fired = Rc::new(RefCell::new(Vec::new()));
        let (t, f) = (time.clone(), fired.clone());
        time.set_timer(
            10,
            Box::new(move || {
                let (t2, f2) = (t.clone(), f.clone());
                t.set_timer(10, Box::new(move || f2.borrow_mut().push(t2.now_ms())));
            }),
        );
        time.advance(15);
        assert!(fired.borrow().is_empty());
        time.advance(5);
        assert_eq!(*fired.borrow(), [20]);
    }

    #[test]
    fn jumps_keep_remaining_delays() {
        let time = FakeTime::new(10_000);
        time.set_timer(500, Box::new(|| {}));
        time.jump_to(0);
        assert_eq!(time.next_timer_at(), Some(500));
        time.jump_to(1_000_000);
        assert_eq!(time.next_timer_at(), Some(1_000_500));
    }
}
