//! Time zones by name, and local calendar days.
//!
//! Everything below [`crate::time`] sees a zone only as a [`Zone`]. This module says how
//! the rest of the crate gets one **by name**: through a [`ZoneLookup`] the caller provides.
//! The widget implements it with the browser's `Intl` (no tz database in the wasm); native
//! tests and tools use [`TzdbLookup`] (feature `tzdb`) or [`UtcLookup`].
//!
//! [`Zones`] wraps a lookup for one assessment: it resolves the display zone once, caches
//! every name it was asked for, and turns an unknown name into the display zone plus a
//! warning — never a panic, never an error that blanks the view.
//!
//! The day helpers ([`local_date`], [`day_start`], [`local_minute`]) work in the local
//! wall clock of a zone using only [`Zone::offset_at`], so they agree with the schedule
//! engine on DST days (23- and 25-hour days).

use std::rc::Rc;

use chrono::{Datelike, NaiveDate};

use crate::config::DisplayZone;
use crate::model::Epoch;
use crate::time::{self, LocalResult, Utc, Zone};

/// Finds a zone by its IANA name (`Europe/Berlin`, `Etc/UTC`, `UTC`).
pub trait ZoneLookup {
    /// The zone named `name`, or `None` when the name is unknown.
    fn zone(&self, name: &str) -> Option<Rc<dyn Zone>>;
}

/// A shared zone handle that prints and compares by name (assessments hold many).
#[derive(Clone)]
pub struct SharedZone(pub Rc<dyn Zone>);

impl SharedZone {
    /// Wraps any zone.
    pub fn new(zone: impl Zone + 'static) -> Self {
        SharedZone(Rc::new(zone))
    }

    /// The zone as a trait object.
    pub fn zone(&self) -> &dyn Zone {
        &*self.0
    }
}

impl std::fmt::Debug for SharedZone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Zone({})", self.0.name())
    }
}

impl PartialEq for SharedZone {
    fn eq(&self, other: &Self) -> bool {
        self.0.name() == other.0.name()
    }
}

/// Names that mean UTC in the IANA database.
const UTC_NAMES: [&str; 10] = [
    "UTC",
    "Etc/UTC",
    "Etc/UCT",
    "UCT",
    "Etc/GMT",
    "GMT",
    "Etc/Universal",
    "Universal",
    "Etc/Zulu",
    "Zulu",
];

/// A lookup that knows only UTC and its aliases (`UTC`, `Etc/UTC`, `GMT`, …). For builds
/// and tests without a tz database; every other name is unknown.
#[derive(Clone, Copy, Debug, Default)]
pub struct UtcLookup;

impl ZoneLookup for UtcLookup {
    fn zone(&self, name: &str) -> Option<Rc<dyn Zone>> {
        UTC_NAMES
            .contains(&name)
            .then(|| Rc::new(Utc) as Rc<dyn Zone>)
    }
}

/// Every IANA zone from the compiled-in database of `chrono-tz` (feature `tzdb`, for native
/// tools and tests; the widget uses the browser's `Intl` instead).
#[cfg(feature = "tzdb")]
#[derive(Clone, Copy, Debug, Default)]
pub struct TzdbLookup;

#[cfg(feature = "tzdb")]
impl ZoneLookup for TzdbLookup {
    fn zone(&self, name: &str) -> Option<Rc<dyn Zone>> {
        crate::time::NamedZone::by_name(name).map(|z| Rc::new(z) as Rc<dyn Zone>)
    }
}

/// Zones for one assessment: the display zone, a cache of names, and warnings about names
/// that could not be resolved.
pub struct Zones<'a> {
    lookup: &'a dyn ZoneLookup,
    display: Rc<dyn Zone>,
    cache: Vec<(String, Option<Rc<dyn Zone>>)>,
    warnings: Vec<String>,
}

impl<'a> Zones<'a> {
    /// Resolves the configured display zone: [`DisplayZone::Browser`] is `browser` (the
    /// browser's own zone, which the widget passes in), a named zone is looked up and falls
    /// back to `browser` with a warning when unknown.
    pub fn new(lookup: &'a dyn ZoneLookup, browser: Rc<dyn Zone>, display: &DisplayZone) -> Self {
        let mut zones = Zones {
            lookup,
            display: browser,
            cache: Vec::new(),
            warnings: Vec::new(),
        };
        if let DisplayZone::Named(name) = display {
            match lookup.zone(name) {
                Some(z) => zones.display = z,
                None => {
                    let browser = zones.display.name().to_owned();
                    zones.warnings.push(format!(
                        "unknown time zone `{name}` for the display; using the browser's zone {browser}"
                    ));
                }
            }
        }
        zones
    }

    /// The zone times are displayed in.
    pub fn display(&self) -> SharedZone {
        SharedZone(Rc::clone(&self.display))
    }

    /// The zone named `name`; `None` (no name given) is the display zone. An unknown name
    /// also gives the display zone and records one warning naming `what` (e.g.
    /// `PBS pbs-main`).
    pub fn get(&mut self, name: Option<&str>, what: &str) -> SharedZone {
        let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
            return self.display();
        };
        if let Some((_, z)) = self.cache.iter().find(|(n, _)| n == name) {
            return SharedZone(z.clone().unwrap_or_else(|| Rc::clone(&self.display)));
        }
        let found = self.lookup.zone(name);
        if found.is_none() {
            self.warnings.push(format!(
                "unknown time zone `{name}` for {what}; using the display zone {}",
                self.display.name()
            ));
        }
        self.cache.push((name.to_owned(), found.clone()));
        SharedZone(found.unwrap_or_else(|| Rc::clone(&self.display)))
    }

    /// Warnings so far (unknown names), each once.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// Days from 0001-01-01 (CE day 1) to 1970-01-01.
const UNIX_EPOCH_CE_DAYS: i64 = 719_163;

/// The local calendar date at `t` in `zone`.
pub fn local_date(zone: &dyn Zone, t: Epoch) -> Option<NaiveDate> {
    let (local, _) = time::to_local(zone, t)?;
    date_of_days(local.div_euclid(time::DAY))
}

/// The date `days` days after 1970-01-01.
fn date_of_days(days: i64) -> Option<NaiveDate> {
    let ce = i32::try_from(days.checked_add(UNIX_EPOCH_CE_DAYS)?).ok()?;
    NaiveDate::from_num_days_from_ce_opt(ce)
}

/// Days from 1970-01-01 to `date`.
fn days_of_date(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - UNIX_EPOCH_CE_DAYS
}

/// The first instant of the local day `date` in `zone`: local midnight, or the end of the
/// DST gap when midnight does not exist that day, or the first of two midnights.
pub fn day_start(zone: &dyn Zone, date: NaiveDate) -> Option<Epoch> {
    let local = days_of_date(date).checked_mul(time::DAY)?;
    Some(match time::resolve_local(zone, local)? {
        LocalResult::Single(t) => t,
        LocalResult::Ambiguous { earlier, .. } => earlier,
        LocalResult::Gap { after, .. } => after,
    })
}

/// Minutes since local midnight on the wall clock at `t` (0 to 1439). On DST days the
/// wall clock jumps: 03:30 after a spring-forward is minute 210 although only 150 minutes
/// passed.
pub fn local_minute(zone: &dyn Zone, t: Epoch) -> Option<u32> {
    let (local, _) = time::to_local(zone, t)?;
    u32::try_from(local.rem_euclid(time::DAY) / 60).ok()
}

/// The next calendar day.
pub(crate) fn next_day(date: NaiveDate) -> Option<NaiveDate> {
    date.succ_opt()
}

/// `date` plus `n` days (negative goes back).
pub(crate) fn add_days(date: NaiveDate, n: i64) -> Option<NaiveDate> {
    date_of_days(days_of_date(date).checked_add(n)?)
}

/// Weekday of `date` as days since Monday (Monday 0 … Sunday 6).
pub(crate) fn weekday_from_monday(date: NaiveDate) -> u32 {
    date.weekday().num_days_from_monday()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::FixedOffset;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn local_days_in_a_fixed_zone() {
        let plus2 = FixedOffset::east(7200).unwrap();
        // 2026-05-17T23:00Z is 2026-05-18 01:00 at +02:00.
        let t = 1_779_058_800;
        assert_eq!(local_date(&plus2, t), Some(date(2026, 5, 18)));
        assert_eq!(local_date(&Utc, t), Some(date(2026, 5, 17)));
        assert_eq!(day_start(&plus2, date(2026, 5, 18)), Some(1_779_055_200));
        assert_eq!(local_minute(&plus2, t), Some(60));
        assert_eq!(add_days(date(2026, 3, 1), -1), Some(date(2026, 2, 28)));
        assert_eq!(weekday_from_monday(date(2026, 5, 17)), 6, "a Sunday");
    }

    #[test]
    fn lookups() {
        assert!(UtcLookup.zone("Etc/UTC").is_some());
        assert!(UtcLookup.zone("Europe/Berlin").is_none());
        let mut zones = Zones::new(
            &UtcLookup,
            Rc::new(FixedOffset::east(3600).unwrap()),
            &DisplayZone::Named("Mars/Olympus".into()),
        );
        assert_eq!(zones.display().0.name(), "+01:00");
        assert_eq!(zones.get(Some("UTC"), "PBS a").0.name(), "UTC");
        assert_eq!(zones.get(Some("Nowhere/Else"), "PBS a").0.name(), "+01:00");
        assert_eq!(zones.get(Some("Nowhere/Else"), "PBS b").0.name(), "+01:00");
        assert_eq!(zones.get(None, "x").0.name(), "+01:00");
        assert_eq!(
            zones.warnings(),
            [
                "unknown time zone `Mars/Olympus` for the display; using the browser's zone +01:00",
                "unknown time zone `Nowhere/Else` for PBS a; using the display zone +01:00",
            ]
        );
    }
}
