//! Pure domain logic derived from the API's data. No DOM, no signals: every
//! function here is a plain function with native tests.

pub mod attempts;
pub mod compare;
pub mod format;
pub mod lowercase;
pub mod manifest;
pub mod media;
pub mod outputs;
pub mod progress;
pub mod replay;
pub mod search;
pub mod shortcuts;
pub mod status;
pub mod swipe;
pub mod time_display;
pub mod timeline;
pub mod url;
pub mod window;
pub mod zoom;
