//! View-models: what the widget's components render, computed without I/O. Sorting,
//! filtering, grouping, text and pagination windows live here (with native tests) so that
//! components only map them to markup. `now` and the display zone are always arguments.
//!
//! - [`status`]: the summary line, the problem list, the status table's rows, sort, filter
//!   and windows;
//! - [`sources`]: per-source notices (unreachable, credentials, stale) and the "all ok" line;
//! - [`history`]: the 30-day strip as labelled days with a text alternative.

pub mod history;
pub mod sources;
pub mod status;
