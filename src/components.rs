//! The widget's components, one per file. They render view-models and never judge health:
//! that is `backwatch_core::health`'s job.

mod agenda;
mod calendar_view;
mod config_notice;
mod header;
mod health_badge;
mod history_strip;
mod item_row;
mod problem_list;
mod row_cells;
mod schedule_tester;
mod service_row;
mod shell;
mod skeleton;
mod source_badges;
mod source_notice;
mod source_notices;
mod state_filter;
mod status_table;
mod status_view;
mod summary;
mod tabs;
mod time_cell;

pub use agenda::Agenda;
pub use calendar_view::CalendarView;
pub use config_notice::ConfigNotice;
pub use header::Header;
pub use health_badge::HealthBadge;
pub use history_strip::HistoryStrip;
pub use item_row::ItemRow;
pub use problem_list::ProblemList;
pub use row_cells::RowCells;
pub use schedule_tester::ScheduleTester;
pub use service_row::ServiceRow;
pub use shell::Shell;
pub use skeleton::Skeleton;
pub use source_badges::SourceBadges;
pub use source_notice::SourceNotice;
pub use source_notices::SourceNotices;
pub use state_filter::StateFilter;
pub use status_table::StatusTable;
pub use status_view::StatusView;
pub use summary::Summary;
pub use tabs::{Tab, Tabs};
pub use time_cell::TimeCell;
