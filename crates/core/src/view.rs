//! View-models: what the widget's components render, computed without I/O. Sorting,
//! filtering, grouping, text, layout and pagination windows live here (with native tests) so
//! that components only map them to markup. `now` and the display zone are always arguments;
//! positions are integers (per-mille), never floats (float formatting would add ~25 KB to the
//! wasm).
//!
//! - [`status`]: the summary line, the problem list, the status table's rows, sort, filter
//!   and windows;
//! - [`sources`]: per-source notices (unreachable, credentials, stale) and the "all ok" line;
//! - [`history`]: the 30-day strip as labelled days with a text alternative;
//! - [`calendar`], [`occurrence`], [`agenda`]: week/month layout, occurrence text, the agenda;
//! - [`tester`]: the schedule tester panel; [`ical_export`]: the .ics download.

pub mod agenda;
pub mod calendar;
pub mod history;
pub mod ical_export;
pub mod occurrence;
pub mod sources;
pub mod status;
pub mod tester;
