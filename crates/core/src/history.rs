//! The per-day history strip of an item or a service (30 days by default).
//!
//! Each local day (display zone) gets one [`DayState`], from the item's known runs and its
//! schedules (its [`Expectation`]s):
//!
//! - **ok** — a backup succeeded that day (or a run satisfied an occurrence of that day,
//!   e.g. a 23:55 occurrence whose run started at 00:02);
//! - **running** — a backup is in progress (today);
//! - **failed** — runs failed and none succeeded;
//! - **missed** — a scheduled occurrence passed its grace without any success that day;
//! - **none** — nothing scheduled, nothing ran, or nothing is known.
//!
//! # Pruned history is not a missed day
//! Sources forget old runs: PBS and restic prune snapshots, Backrest's garbage collection
//! deletes the operations of forgotten snapshots, Databasement cleans up old dumps. An
//! occurrence without a known run is therefore only **missed** when there is evidence:
//! - it lies after the newest success (certain: nothing succeeded since), or
//! - it lies within the item's **dense history**: walking back from the newest run, each
//!   gap between two consecutive runs leaves at most one occurrence without any run.
//!   The first gap with two or more (retention thinning: Backrest's "overdue" buckets
//!   after garbage collection, weekly snapshots kept by PBS) ends the dense history; older
//!   days without runs are `none`.
//!
//! So a single missed day between good days shows as missed; two consecutive missed days
//! in the past, followed by successes, show as `none` (indistinguishable from pruning).
//! Days after the last success are always judged.

use chrono::NaiveDate;

use crate::health::judge::{anchor, occurrences_in};
use crate::health::{Expectation, ItemHealth, JobRef, ServiceHealth};
use crate::model::{Epoch, Run, RunOutcome};
use crate::sources::util;
use crate::time::Zone;
use crate::zones;

/// Days in the strip by default.
pub const DEFAULT_DAYS: u16 = 30;

/// Occurrences considered per schedule and strip (a minutely schedule is cut here).
const SLOT_CAP: usize = 10_000;

/// One day's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DayState {
    /// A backup succeeded.
    Ok,
    /// Runs failed and none succeeded.
    Failed,
    /// A scheduled run had no success at all.
    Missed,
    /// A backup is in progress.
    Running,
    /// Nothing scheduled, nothing ran, or nothing known.
    None,
}

impl DayState {
    /// Stable key: `ok`, `failed`, `missed`, `running`, `none`.
    pub fn key(self) -> &'static str {
        match self {
            DayState::Ok => "ok",
            DayState::Failed => "failed",
            DayState::Missed => "missed",
            DayState::Running => "running",
            DayState::None => "none",
        }
    }

    /// For a service's day, the worst of its items: missed > failed > running > ok > none.
    pub fn severity(self) -> u8 {
        match self {
            DayState::None => 0,
            DayState::Ok => 1,
            DayState::Running => 2,
            DayState::Failed => 3,
            DayState::Missed => 4,
        }
    }
}

/// One local day of the strip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Day {
    /// The local date.
    pub date: NaiveDate,
    /// First instant of the day.
    pub start: Epoch,
    /// First instant of the next day (days are 23 to 25 hours long around DST).
    pub end: Epoch,
    /// The day's state.
    pub state: DayState,
    /// Successful runs started that day.
    pub ok: u16,
    /// Failed runs started that day.
    pub failed: u16,
    /// Occurrences that day judged missed.
    pub missed: u16,
}

/// The local days ending with today: `(date, start, end)`, oldest first.
fn days_ending_today(now: Epoch, zone: &dyn Zone, days: u16) -> Vec<(NaiveDate, Epoch, Epoch)> {
    let Some(today) = zones::local_date(zone, now) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(usize::from(days));
    for back in (0..i64::from(days)).rev() {
        let Some(date) = zones::add_days(today, -back) else {
            continue;
        };
        let (Some(start), Some(end)) = (
            zones::day_start(zone, date),
            zones::next_day(date).and_then(|d| zones::day_start(zone, d)),
        ) else {
            continue;
        };
        out.push((date, start, end));
    }
    out
}

fn in_flight(r: &Run) -> bool {
    matches!(r.outcome, RunOutcome::Running | RunOutcome::Pending)
}

/// An expired occurrence and its early tolerance.
#[derive(Clone, Copy)]
struct Slot {
    at: Epoch,
    tol: i64,
}

/// Grid occurrences shared by the items of one strip or calendar: most items of a lab
/// follow the same few jobs, so each `(job, grace, window)` is expanded once.
#[derive(Default)]
pub(crate) struct SlotCache {
    entries: Vec<CacheEntry>,
}

struct CacheEntry {
    job: JobRef,
    grace: i64,
    from: Epoch,
    limit: Epoch,
    slots: Vec<Epoch>,
}

impl SlotCache {
    fn grid(&mut self, e: &Expectation, from: Epoch, limit: Epoch) -> Vec<Epoch> {
        let hit = self.entries.iter().find(|c| {
            c.from == from && c.limit == limit && c.grace == e.grace_secs && c.job == e.job
        });
        if let Some(c) = hit {
            return c.slots.clone();
        }
        let slots = expand(e, None, from, limit);
        self.entries.push(CacheEntry {
            job: e.job.clone(),
            grace: e.grace_secs,
            from,
            limit,
            slots: slots.clone(),
        });
        slots
    }
}

/// Expired occurrences (`o + grace <= as_of`) in `[from, to)` of all of an item's schedules,
/// ascending, duplicates removed.
fn expired_slots(item: &ItemHealth, from: Epoch, to: Epoch, cache: &mut SlotCache) -> Vec<Slot> {
    let s = item.last_success;
    let anchor = anchor(&item.runs, s);
    let mut out: Vec<Slot> = Vec::new();
    for e in &item.expectations {
        let limit = item
            .as_of
            .saturating_sub(e.grace_secs)
            .saturating_add(1)
            .min(to);
        let tol = e.tolerance();
        let slots = if e.is_grid() {
            cache.grid(e, from, limit)
        } else {
            expand(e, anchor, from, limit)
        };
        out.extend(slots.into_iter().map(|at| Slot { at, tol }));
    }
    util::sort_asc(&mut out, |s| s.at);
    out.dedup_by_key(|s| s.at);
    out
}

fn expand(e: &Expectation, anchor: Option<Epoch>, from: Epoch, to: Epoch) -> Vec<Epoch> {
    occurrences_in(
        &e.schedule,
        e.clock,
        e.zone.zone(),
        anchor,
        from,
        to,
        SLOT_CAP,
    )
}

/// The start of an item's dense history (see the module docs), not before `from`.
/// `None` when it has no runs.
pub fn dense_since(item: &ItemHealth, from: Epoch) -> Option<Epoch> {
    dense_since_cached(item, from, &mut SlotCache::default())
}

pub(crate) fn dense_since_cached(
    item: &ItemHealth,
    from: Epoch,
    cache: &mut SlotCache,
) -> Option<Epoch> {
    let slots = expired_slots(item, from, item.as_of.saturating_add(1), cache);
    dense_since_with(item, &slots, from)
}

fn dense_since_with(item: &ItemHealth, slots: &[Slot], from: Epoch) -> Option<Epoch> {
    let mut starts: Vec<Epoch> = item.runs.iter().map(|r| r.start).collect();
    util::sort_desc(&mut starts, |x| *x);
    starts.dedup();
    let mut horizon = *starts.first()?;
    for pair in starts.windows(2) {
        let (Some(&newer), Some(&older)) = (pair.first(), pair.get(1)) else {
            break;
        };
        if horizon <= from {
            break;
        }
        // Occurrences strictly between the two runs that neither run satisfies.
        let lo = slots.partition_point(|s| s.at <= older.saturating_add(s.tol));
        let hi = slots.partition_point(|s| s.at < newer.saturating_sub(s.tol));
        let empty = hi.saturating_sub(lo);
        if empty >= 2 {
            break;
        }
        horizon = older;
    }
    Some(horizon.max(from))
}

/// The strip of one item: `days` local days in `zone` ending today, oldest first.
pub fn item_history(item: &ItemHealth, now: Epoch, zone: &dyn Zone, days: u16) -> Vec<Day> {
    item_history_cached(item, now, zone, days, &mut SlotCache::default())
}

fn item_history_cached(
    item: &ItemHealth,
    now: Epoch,
    zone: &dyn Zone,
    days: u16,
    cache: &mut SlotCache,
) -> Vec<Day> {
    let bounds = days_ending_today(now, zone, days);
    let (Some(first), Some(last)) = (bounds.first(), bounds.last()) else {
        return Vec::new();
    };
    let (from, to) = (first.1, last.2);
    let mut out: Vec<Day> = bounds
        .iter()
        .map(|&(date, start, end)| Day {
            date,
            start,
            end,
            state: DayState::None,
            ok: 0,
            failed: 0,
            missed: 0,
        })
        .collect();
    let ends: Vec<Epoch> = out.iter().map(|d| d.end).collect();
    let day_of = |t: Epoch| -> Option<usize> {
        if t < from || t >= to {
            return None;
        }
        Some(ends.partition_point(|&e| e <= t))
    };
    let mut running = vec![false; out.len()];
    let mut satisfied = vec![false; out.len()];
    let s = item.last_success;
    for r in &item.runs {
        let Some(i) = day_of(r.start) else { continue };
        let Some(d) = out.get_mut(i) else { continue };
        if r.outcome.is_success() {
            d.ok = d.ok.saturating_add(1);
        } else if r.outcome == RunOutcome::Failed {
            d.failed = d.failed.saturating_add(1);
        } else if in_flight(r)
            && s.is_none_or(|s| r.start > s)
            && let Some(f) = running.get_mut(i)
        {
            *f = true;
        }
    }

    // Occurrences: satisfied by a success before the next occurrence, else missed when
    // there is evidence (after the last success, or within the dense history).
    let slots = expired_slots(item, from, to, cache);
    let dense = dense_since_with(item, &slots, from);
    let successes: Vec<Epoch> = {
        let mut v: Vec<Epoch> = item
            .runs
            .iter()
            .filter(|r| r.outcome.is_success())
            .map(|r| r.start)
            .collect();
        util::sort_asc(&mut v, |x| *x);
        v
    };
    for (k, slot) in slots.iter().enumerate() {
        let Some(i) = day_of(slot.at) else { continue };
        let window_end = slots
            .get(k + 1)
            .map_or(Epoch::MAX, |n| n.at.saturating_sub(n.tol));
        let lo = slot.at.saturating_sub(slot.tol);
        let j = successes.partition_point(|&t| t < lo);
        let ok = successes.get(j).is_some_and(|&t| t < window_end);
        if ok {
            if let Some(f) = satisfied.get_mut(i) {
                *f = true;
            }
            continue;
        }
        let certain = s.is_some_and(|s| slot.at > s.saturating_add(slot.tol));
        let evidence = certain || dense.is_some_and(|h| slot.at >= h);
        if evidence && let Some(d) = out.get_mut(i) {
            d.missed = d.missed.saturating_add(1);
        }
    }
    for (i, d) in out.iter_mut().enumerate() {
        d.state = if d.ok > 0 || satisfied.get(i).copied().unwrap_or(false) {
            DayState::Ok
        } else if running.get(i).copied().unwrap_or(false) {
            DayState::Running
        } else if d.failed > 0 {
            DayState::Failed
        } else if d.missed > 0 {
            DayState::Missed
        } else {
            DayState::None
        };
    }
    out
}

/// The strip of a service: per day the worst of its non-retired items (all items when
/// every one is retired), counts summed.
pub fn service_history(
    service: &ServiceHealth,
    now: Epoch,
    zone: &dyn Zone,
    days: u16,
) -> Vec<Day> {
    service_history_cached(service, now, zone, days, &mut SlotCache::default())
}

/// The strips of many services at once (shares the schedule expansion between them).
pub fn service_histories(
    services: &[ServiceHealth],
    now: Epoch,
    zone: &dyn Zone,
    days: u16,
) -> Vec<Vec<Day>> {
    let mut cache = SlotCache::default();
    services
        .iter()
        .map(|s| service_history_cached(s, now, zone, days, &mut cache))
        .collect()
}

fn service_history_cached(
    service: &ServiceHealth,
    now: Epoch,
    zone: &dyn Zone,
    days: u16,
    cache: &mut SlotCache,
) -> Vec<Day> {
    let all_retired = service.items.iter().all(|i| i.retired);
    let mut out: Vec<Day> = days_ending_today(now, zone, days)
        .into_iter()
        .map(|(date, start, end)| Day {
            date,
            start,
            end,
            state: DayState::None,
            ok: 0,
            failed: 0,
            missed: 0,
        })
        .collect();
    for item in service.items.iter().filter(|i| all_retired || !i.retired) {
        for (d, x) in out
            .iter_mut()
            .zip(item_history_cached(item, now, zone, days, cache))
        {
            if x.state.severity() > d.state.severity() {
                d.state = x.state;
            }
            d.ok = d.ok.saturating_add(x.ok);
            d.failed = d.failed.saturating_add(x.failed);
            d.missed = d.missed.saturating_add(x.missed);
        }
    }
    out
}
