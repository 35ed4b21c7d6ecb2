//! backwatch-core: everything backwatch knows, without I/O.
//!
//! - [`schedule`]: Proxmox calendar events, standard cron and Backrest schedules, evaluated
//!   in a named time zone ([`time`]).
//! - [`sources`]: per-API wire types and sans-IO collectors that turn response bytes into
//!   the [`model`].
//! - [`config`]: the widget's TOML configuration.
//!
//! Every function that depends on the current time takes `now` as an argument; only the
//! widget shell reads the clock or the network.

pub mod config;
pub mod display;
pub mod ical;
pub mod model;
pub mod params;
pub mod schedule;
pub mod sources;
pub mod time;
