//! Pure domain logic derived from the API's data. No DOM, no signals: every
//! function here is a plain function with native tests.

pub mod compare;
pub mod format;
pub mod media;
pub mod outputs;
pub mod progress;
pub mod replay;
pub mod shortcuts;
pub mod status;
pub mod swipe;
pub mod timeline;
pub mod url;
pub mod window;
