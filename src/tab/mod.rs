//! The browser tab shows the run at a glance: the document title
//! (`● 3/5 running · run_abc123`) and a favicon coloured by status; when the
//! run ends, an opt-in desktop notification.
//!
//! - [`title`]: the text of each, plain functions with native tests.
//! - [`effects`]: the reactive part that writes them into the document.

pub mod effects;
pub mod title;

pub use effects::use_tab_status;
pub use title::{favicon_color, favicon_href, notification, title};
