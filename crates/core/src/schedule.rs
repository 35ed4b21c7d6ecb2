//! Schedules: Proxmox calendar events, standard cron and Backrest periods, evaluated in
//! a [`Zone`](crate::time::Zone).
//!
//! [`Schedule::parse`] turns a [`ScheduleSpec`] into a [`Schedule`];
//! [`Schedule::next_after`], [`Schedule::prev_before`] and [`Schedule::occurrences`]
//! evaluate it, [`Schedule::next_run`] adds Backrest's clocks. Nothing here reads a
//! clock: every instant is an argument.
//!
//! ```
//! use backwatch_core::schedule::Schedule;
//! use backwatch_core::time::Utc;
//!
//! let s = Schedule::parse_calendar("mon..fri 04:00")?;
//! // Monday 2024-01-01 00:00 UTC -> 04:00 the same day.
//! assert_eq!(s.next_after(1_704_067_200, &Utc), Some(1_704_081_600));
//! assert_eq!(s.normalized(), "Mon..Fri *-*-* 04:00:00");
//! assert_eq!(s.describe(), "weekdays at 04:00");
//! # Ok::<(), backwatch_core::schedule::ScheduleError>(())
//! ```
//!
//! The accepted grammars, every difference from upstream and the DST rules are in
//! `docs/schedules.md` and the module docs of [`calendar`](self::CalendarEvent) and
//! [`cron`](self::Cron).

mod calendar;
mod cron;
mod describe;
mod engine;
mod error;
mod fields;
#[cfg(feature = "tzdb")]
pub mod harness;
mod normalize;

pub use calendar::CalendarEvent;
pub use cron::Cron;
pub use error::{Expected, Extension, Field, Found, PeriodUnit, ScheduleError, Syntax};

use crate::model::{Epoch, ScheduleClock, ScheduleSpec};
use crate::time::{Utc, Zone};
use engine::Policy;

/// A parsed schedule.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Schedule {
    /// A Proxmox calendar event (PBS, PVE).
    Calendar(CalendarEvent),
    /// A standard cron expression (Databasement, Backrest, config extras).
    Cron(Cron),
    /// Backrest `maxFrequencyHours`: at least this many hours apart (never 0).
    EveryHours(u32),
    /// Backrest `maxFrequencyDays`: at least this many days apart (never 0).
    EveryDays(u32),
}

impl Schedule {
    /// Parses any [`ScheduleSpec`].
    ///
    /// # Errors
    ///
    /// A [`ScheduleError`] for an invalid expression or a zero period.
    pub fn parse(spec: &ScheduleSpec) -> Result<Schedule, ScheduleError> {
        match spec {
            ScheduleSpec::Calendar(s) => Schedule::parse_calendar(s),
            ScheduleSpec::Cron(s) => Schedule::parse_cron(s),
            ScheduleSpec::EveryHours(0) => Err(ScheduleError::ZeroPeriod {
                unit: PeriodUnit::Hours,
            }),
            ScheduleSpec::EveryDays(0) => Err(ScheduleError::ZeroPeriod {
                unit: PeriodUnit::Days,
            }),
            ScheduleSpec::EveryHours(n) => Ok(Schedule::EveryHours(*n)),
            ScheduleSpec::EveryDays(n) => Ok(Schedule::EveryDays(*n)),
        }
    }

    /// Parses a Proxmox calendar event (exactly as PBS does: no trimming).
    ///
    /// # Errors
    ///
    /// A [`ScheduleError`] wherever proxmox-time rejects the input.
    pub fn parse_calendar(expr: &str) -> Result<Schedule, ScheduleError> {
        calendar::parse(expr).map(Schedule::Calendar)
    }

    /// Parses a five-field cron expression or an `@` macro.
    ///
    /// # Errors
    ///
    /// A [`ScheduleError`] for anything standard cron rejects.
    pub fn parse_cron(expr: &str) -> Result<Schedule, ScheduleError> {
        cron::parse(expr).map(Schedule::Cron)
    }

    /// The length of a period schedule in seconds (`None` for calendar and cron, or on
    /// overflow).
    fn period(&self) -> Option<i64> {
        match self {
            Schedule::EveryHours(n) => Some(i64::from(*n) * 3600),
            Schedule::EveryDays(n) => Some(i64::from(*n) * 86_400),
            _ => None,
        }
    }

    /// The matcher, DST policy and effective zone of calendar and cron schedules.
    fn matcher<'z>(
        &self,
        zone: &'z dyn Zone,
    ) -> Option<(&fields::CivilSpec, Policy, &'z dyn Zone)> {
        match self {
            Schedule::Calendar(c) => {
                let zone: &dyn Zone = if c.utc { &Utc } else { zone };
                Some((&c.spec, Policy::FirstOccurrence, zone))
            }
            Schedule::Cron(c) => {
                let policy = if c.is_wildcard() {
                    Policy::WallClock
                } else {
                    Policy::FixedTime
                };
                Some((&c.spec, policy, zone))
            }
            _ => None,
        }
    }

    /// The first occurrence strictly after `after`, evaluated in `zone` (calendar events
    /// ending in ` UTC` ignore it). `None` when there is none: impossible dates, only
    /// past years, or beyond the representable range.
    ///
    /// A period schedule has no grid: its next occurrence is `after` plus the period
    /// (Backrest's rule for the local and UTC clocks).
    pub fn next_after(&self, after: Epoch, zone: &dyn Zone) -> Option<Epoch> {
        if let Some(p) = self.period() {
            return after.checked_add(p);
        }
        let (spec, policy, zone) = self.matcher(zone)?;
        engine::next_after(spec, policy, after, zone)
    }

    /// The last occurrence strictly before `before`: when the last run should have
    /// happened. Exact across DST and for sparse schedules; the search is bounded (it
    /// looks back at most one 400-year calendar cycle). `None` for period schedules,
    /// which have no grid (use [`Schedule::next_run`] with the last run instead).
    pub fn prev_before(&self, before: Epoch, zone: &dyn Zone) -> Option<Epoch> {
        let (spec, policy, zone) = self.matcher(zone)?;
        engine::prev_before(spec, policy, before, zone)
    }

    /// The occurrences in `[from, to)`, ascending. For period schedules:
    /// `from + p`, `from + 2p`, … (see [`Schedule::next_after`]).
    pub fn occurrences<'a>(
        &'a self,
        from: Epoch,
        to: Epoch,
        zone: &'a dyn Zone,
    ) -> impl Iterator<Item = Epoch> + 'a {
        let mut cursor = from.checked_sub(1);
        std::iter::from_fn(move || {
            let t = self.next_after(cursor?, zone).filter(|&t| t < to);
            cursor = t;
            t
        })
    }

    /// When the next run is due, with Backrest's clocks:
    ///
    /// - [`ScheduleClock::Local`]: in `zone`; [`ScheduleClock::Utc`]: in UTC. The next
    ///   occurrence after `after` (for periods: `after` + period).
    /// - [`ScheduleClock::LastRunTime`]: counted from `last_run_end`, or from `after`
    ///   when it never ran (Backrest then keeps pushing the run out). Periods give
    ///   last end + period, which may lie before `after` (overdue); cron gives the next
    ///   occurrence after the last end, in `zone`.
    pub fn next_run(
        &self,
        clock: ScheduleClock,
        after: Epoch,
        last_run_end: Option<Epoch>,
        zone: &dyn Zone,
    ) -> Option<Epoch> {
        match clock {
            ScheduleClock::Local => self.next_after(after, zone),
            ScheduleClock::Utc => self.next_after(after, &Utc),
            ScheduleClock::LastRunTime => self.next_after(last_run_end.unwrap_or(after), zone),
        }
    }

    /// The nominal period in seconds: the smallest gap between two consecutive
    /// occurrences of the local wall-clock pattern (DST ignored), found over a 28-year
    /// reference window (one full weekday and leap-year cycle) that starts in 2000, or at
    /// the first listed year. Daily → 86 400, `mon..fri 04:00` → 86 400 (Friday to
    /// Monday is longer, the smallest gap counts), `*:0/15` → 900. `None` when the
    /// window holds fewer than two occurrences, or on overflow.
    pub fn nominal_period(&self) -> Option<u32> {
        if let Some(p) = self.period() {
            return u32::try_from(p).ok();
        }
        let spec = match self {
            Schedule::Calendar(c) => &c.spec,
            Schedule::Cron(c) => &c.spec,
            _ => return None,
        };
        describe::nominal_period(spec)
    }

    /// The canonical form: systemd/Proxmox style for calendar events
    /// (`daily` → `*-*-* 00:00:00`), five numeric fields for cron (`@daily` →
    /// `0 0 * * *`), the [`describe`](Schedule::describe) text for periods. Parsing it again gives
    /// an equal schedule.
    pub fn normalized(&self) -> String {
        match self {
            Schedule::Calendar(c) => normalize::calendar(c),
            Schedule::Cron(c) => normalize::cron(c),
            Schedule::EveryHours(_) | Schedule::EveryDays(_) => self.describe(),
        }
    }

    /// Short human text, e.g. `daily at 04:00`, `weekdays at 22:00`,
    /// `every hour at :22 on weekdays`, `every 15 minutes`, `1st of month at 07:00`.
    /// Falls back to a longer, faithful description when no short form fits.
    pub fn describe(&self) -> String {
        match self {
            Schedule::Calendar(c) => describe::describe(&c.spec, c.utc),
            Schedule::Cron(c) => describe::describe(&c.spec, false),
            Schedule::EveryHours(1) => "every hour".to_string(),
            Schedule::EveryHours(n) => format!("every {n} hours"),
            Schedule::EveryDays(1) => "every day".to_string(),
            Schedule::EveryDays(n) => format!("every {n} days"),
        }
    }
}

impl std::fmt::Display for Schedule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.normalized())
    }
}
