//! View components, one per file. Each reads signals or store fields handed
//! in as props; none fetches.

pub mod after_paint;
pub mod copy;
pub mod error_banner;
pub mod filmstrip;
pub mod help_overlay;
pub mod hero;
pub mod history_row;
pub mod lightbox;
pub mod live_status;
pub mod output_gallery;
pub mod output_preview;
pub mod progress_bar;
pub mod run_header;
pub mod run_id_box;
pub mod settings_panel;
pub mod shortcuts;
pub mod skeleton;
pub mod status_badge;
pub mod synced_videos;
pub mod text_preview;
pub mod time_text;
pub mod timeline;

pub use after_paint::AfterPaint;
pub use error_banner::ErrorBanner;
pub use filmstrip::Filmstrip;
pub use help_overlay::HelpOverlay;
pub use hero::RunHero;
pub use history_row::HistoryRow;
pub use lightbox::{Lightbox, Viewer};
pub use live_status::LiveStatus;
pub use output_gallery::OutputGallery;
pub use output_preview::OutputPreview;
pub use progress_bar::ProgressBar;
pub use run_header::RunHeader;
pub use run_id_box::RunIdBox;
pub use settings_panel::SettingsPanel;
pub use shortcuts::KeyboardShortcuts;
pub use skeleton::RunSkeleton;
pub use status_badge::StatusBadge;
pub use synced_videos::SyncedVideos;
pub use text_preview::TextPreview;
pub use time_text::TimeText;
pub use timeline::StepTimeline;
