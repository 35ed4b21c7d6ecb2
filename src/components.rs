//! The widget's components, one per file. They render view-models and never judge health:
//! that is `backwatch_core::health`'s job.

mod config_notice;
mod shell;
mod status_list;

pub use config_notice::ConfigNotice;
pub use shell::Shell;
