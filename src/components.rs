//! The widget's components, one per file. They render view-models and never judge health:
//! that is `backwatch_core::health`'s job.

mod agenda;
mod calendar_view;
mod config_notice;
mod header;
mod schedule_tester;
mod shell;
mod status_view;
mod summary;
mod tabs;

pub use agenda::Agenda;
pub use calendar_view::CalendarView;
pub use config_notice::ConfigNotice;
pub use header::Header;
pub use schedule_tester::ScheduleTester;
pub use shell::Shell;
pub use status_view::StatusView;
pub use summary::Summary;
pub use tabs::{Tab, Tabs};
