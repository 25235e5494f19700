//! Swipe gestures: whether a pointer's path from down to up was a deliberate
//! horizontal swipe, and which way. The media viewer moves to the previous or
//! next output on one; the rule lives here so it is tested without a touch
//! screen.

/// Shortest horizontal travel (CSS px) that counts as a swipe: a finger that
/// slides a little while tapping does not turn the page.
pub const MIN_DISTANCE: f64 = 50.0;

/// Longest time (ms) from touching to lifting for a swipe; a slow drag is
/// someone reading or panning, not flicking to the next output.
pub const MAX_DURATION_MS: f64 = 800.0;

/// Which way a swipe went, as the viewer moves: a swipe to the left brings in
/// the next output (as on a phone's photo viewer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Swipe {
    /// Finger moved right to left: show the next output.
    Next,
    /// Finger moved left to right: show the previous output.
    Previous,
}

impl Swipe {
    /// The viewer's step for this swipe (`+1` next, `-1` previous).
    pub fn delta(self) -> isize {
        match self {
            Swipe::Next => 1,
            Swipe::Previous => -1,
        }
    }
}

/// The swipe a pointer made, if any: it moved `dx`, `dy` CSS px between down
/// and up in `elapsed_ms`. It counts when the horizontal travel is at least
/// [`MIN_DISTANCE`], at least twice the vertical one (a mostly vertical
/// movement is a scroll), and it took no longer than [`MAX_DURATION_MS`].
pub fn classify(dx: f64, dy: f64, elapsed_ms: f64) -> Option<Swipe> {
    let horizontal = dx.abs() >= MIN_DISTANCE && dx.abs() >= 2.0 * dy.abs();
    let quick = (0.0..=MAX_DURATION_MS).contains(&elapsed_ms);
    if !(horizontal && quick) {
        return None;
    }
    Some(if dx < 0.0 {
        Swipe::Next
    } else {
        Swipe::Previous
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quick_horizontal_flick_is_a_swipe_each_way() {
        assert_eq!(classify(-120.0, 10.0, 200.0), Some(Swipe::Next));
        assert_eq!(classify(120.0, -10.0, 200.0), Some(Swipe::Previous));
        assert_eq!(Swipe::Next.delta(), 1);
        assert_eq!(Swipe::Previous.delta(), -1);
    }

    #[test]
    fn the_distance_threshold_is_inclusive() {
        assert_eq!(classify(-MIN_DISTANCE, 0.0, 100.0), Some(Swipe::Next));
        assert_eq!(classify(-(MIN_DISTANCE - 0.5), 0.0, 100.0), None);
    }

    #[test]
    fn a_tap_or_small_slide_is_not_a_swipe() {
        assert_eq!(classify(0.0, 0.0, 80.0), None);
        assert_eq!(classify(20.0, 3.0, 80.0), None);
    }

    #[test]
    fn a_mostly_vertical_movement_is_a_scroll() {
        assert_eq!(classify(80.0, 60.0, 200.0), None);
        assert_eq!(classify(80.0, 40.0, 200.0), Some(Swipe::Previous));
    }

    #[test]
    fn a_slow_drag_is_not_a_swipe() {
        assert_eq!(classify(-200.0, 0.0, MAX_DURATION_MS), Some(Swipe::Next));
        assert_eq!(classify(-200.0, 0.0, MAX_DURATION_MS + 1.0), None);
        assert_eq!(
            classify(-200.0, 0.0, -1.0),
            None,
            "a clock that went backwards"
        );
    }
}
