//! backwatch-core: everything backwatch knows, without I/O.
//!
//! - [`schedule`]: Proxmox calendar events, standard cron and Backrest schedules, evaluated
//!   in a named time zone ([`time`]).
//! - [`sources`]: per-API wire types and sans-IO collectors that turn response bytes into
//!   the [`model`].
//! - [`config`]: the widget's TOML configuration.
//! - [`assemble`]: configuration → the collectors of one refresh; [`state`]: each source's
//!   last good data, failures and staleness across refreshes.
//! - [`health`]: every monitored item and service judged against its schedule
//!   (`docs/health.md`); [`calendar`]: schedules expanded into occurrences and week/month
//!   grids; [`history`]: the 30-day strip per service; [`zones`]: zones by name.
//! - [`view`]: view-models the widget renders (status table, summary, source notices,
//!   history strip);
//! - [`display`]: times, durations and sizes as text; [`ical`]: iCalendar export;
//!   [`params`]: the page's URL-fragment parameters.
//! - [`view`]: view-models the widget's components render.
//!
//! Every function that depends on the current time takes `now` as an argument; only the
//! widget shell reads the clock or the network.

pub mod assemble;
pub mod calendar;
pub mod config;
pub mod display;
pub mod health;
pub mod history;
pub mod ical;
pub mod model;
pub mod params;
pub mod schedule;
pub mod sources;
pub mod state;
pub mod time;
pub mod view;
pub mod zones;
