//! One shared clock for everything that shows live time (durations of running
//! steps, "updated N s ago", retry countdowns). It ticks once a second while
//! the page is mounted, through leptos-use, which clears the interval on unmount.

use leptos::prelude::*;
use leptos_use_interval_fn::use_interval_fn;

/// The current time in Unix ms, updated every second.
#[derive(Clone, Copy)]
pub struct Clock(pub ReadSignal<f64>);

impl Clock {
    /// Starts the clock in the current owner and provides it as context.
    pub fn provide() -> Self {
        let (now, set_now) = signal(js_sys::Date::now());
        use_interval_fn(move || set_now.set(js_sys::Date::now()), 1000);
        let clock = Self(now);
        provide_context(clock);
        clock
    }

    /// The clock from context.
    pub fn expect() -> Self {
        expect_context::<Self>()
    }

    /// Now, tracked.
    pub fn now(&self) -> f64 {
        self.0.get()
    }
}
