//! View components, one per file. Each reads signals or store fields handed
//! in as props; none fetches.

pub mod error_banner;
pub mod history_row;
pub mod lightbox;
pub mod live_status;
pub mod output_gallery;
pub mod output_preview;
pub mod progress_bar;
pub mod run_header;
pub mod settings_panel;
pub mod skeleton;
pub mod status_badge;
pub mod step_timeline;
pub mod synced_videos;
pub mod time_text;

pub use error_banner::ErrorBanner;
pub use history_row::HistoryRow;
pub use lightbox::{Lightbox, Viewer};
pub use live_status::LiveStatus;
pub use output_gallery::OutputGallery;
pub use output_preview::OutputPreview;
pub use progress_bar::ProgressBar;
pub use run_header::RunHeader;
pub use settings_panel::SettingsPanel;
pub use skeleton::RunSkeleton;
pub use status_badge::StatusBadge;
pub use step_timeline::StepTimeline;
pub use synced_videos::SyncedVideos;
pub use time_text::TimeText;
