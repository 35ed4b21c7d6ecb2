//! The widget's components, one per file. They render view-models and never judge health:
//! that is `backwatch_core::health`'s job.

mod agenda;
mod calendar_nav;
mod calendar_view;
mod config_notice;
mod expr_highlight;
mod header;
mod ical_link;
mod kind_legend;
mod month_view;
mod occurrence_block;
mod occurrence_chip;
mod outcome_mark;
mod overlap_list;
mod schedule_tester;
mod shell;
mod status_view;
mod summary;
mod tabs;
mod week_view;

pub use agenda::Agenda;
pub use calendar_nav::CalendarNav;
pub use calendar_view::CalendarView;
pub use config_notice::ConfigNotice;
pub use expr_highlight::ExprHighlight;
pub use header::Header;
pub use ical_link::IcalLink;
pub use kind_legend::KindLegend;
pub use month_view::MonthView;
pub use occurrence_block::OccurrenceBlock;
pub use occurrence_chip::OccurrenceChip;
pub use outcome_mark::OutcomeMark;
pub use overlap_list::OverlapList;
pub use schedule_tester::ScheduleTester;
pub use shell::Shell;
pub use status_view::StatusView;
pub use summary::Summary;
pub use tabs::{Tab, Tabs};
pub use week_view::WeekView;
