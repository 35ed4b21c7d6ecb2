//! The calendar: every backup-related schedule expanded into occurrences, with estimated
//! durations, known outcomes and overlaps; and the week and month grids the view renders.
//!
//! [`expand`] takes an [`Assessment`] (whose [`JobHealth`]s hold every job of every source —
//! PVE backup jobs; PBS GC, prune, verify and sync jobs; Databasement dumps; Backrest plans,
//! repository prune and check — and the `[[schedules]]` entries) and a window `[from, to)`.
//! Each [`Occurrence`] carries its job (kind, label, source, id), start, estimated end
//! (median of known run durations, else a per-kind default), and for past occurrences the
//! outcome where a run can be matched:
//!
//! - jobs that cover subjects (PVE backup, Databasement dump, Backrest plan): the runs of
//!   the items that job schedules, started between this occurrence (minus its early
//!   tolerance) and the next. Per item a success settles it, else a failure, else a run in
//!   progress, else `missed` when there is evidence (after its last success or within its
//!   dense history, see [`crate::history`]). The occurrence is `failed` if any item failed,
//!   else `running`, else `missed`, else `ok`;
//! - PBS jobs (GC, prune, verify, sync): the job's last run; occurrences from a `next-run`
//!   in the past on are `missed` once their grace passed;
//! - `[[schedules]]` entries: unknown.
//!
//! Disabled jobs and manual jobs have no occurrences. Period schedules and Backrest's
//! last-run clock are counted from the job's last run.
//!
//! **Overlaps** are flagged when two occurrences of different jobs overlap in time, use a
//! common [`Resource`] (the same PBS datastore, the same Backrest instance or repository,
//! the same Databasement), and at least one of them is maintenance (GC, prune, verify, sync,
//! check, cleanup): GC during a backup on the same PBS, a prune during a verify. A PVE job
//! uses the PBS datastores its guests' backups are found in.
//!
//! The grids are pure: [`week_grid`] lays occurrences into 7 day columns of a display zone
//! (minute of the local wall clock and duration, side-by-side lanes for overlapping
//! blocks); [`month_grid`] gives 6 × 7 day cells with chips. Weeks start on Monday unless
//! told otherwise.

use std::rc::Rc;

use chrono::{NaiveDate, Weekday};

use crate::health::judge::{anchor, occurrences_in};
use crate::health::{
    Assessment, Due, EstDuration, ItemHealth, JobHealth, JobRef, Provenance, Resource,
};
use crate::history;
use crate::model::{Coverage, Epoch, JobKind, RunOutcome};
use crate::sources::util;
use crate::time::Zone;
use crate::zones;

/// Weeks start on Monday unless the caller says otherwise.
pub const DEFAULT_WEEK_START: Weekday = Weekday::Mon;

/// Occurrences per job and window (a minutely schedule is cut here, see
/// [`Calendar::truncated`]).
pub const MAX_PER_JOB: usize = 5_000;

/// What happened at a past occurrence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Its runs succeeded.
    Ok,
    /// A run failed.
    Failed,
    /// Nothing ran (for some item, with evidence).
    Missed,
    /// In progress.
    Running,
}

impl Outcome {
    /// Stable key: `ok`, `failed`, `missed`, `running`.
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
            Outcome::Missed => "missed",
            Outcome::Running => "running",
        }
    }
}

/// One scheduled occurrence of a job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// The job: kind, label, source (`None` for `[[schedules]]`), id.
    pub job: Rc<JobRef>,
    /// Index of the job in [`Assessment::jobs`].
    pub job_index: usize,
    /// Scheduled start.
    pub start: Epoch,
    /// Estimated end (`start` + estimated duration).
    pub end: Epoch,
    /// The estimate.
    pub duration: EstDuration,
    /// For past occurrences, what happened, when known.
    pub outcome: Option<Outcome>,
    /// Indices (into [`Calendar::occurrences`]) of the occurrences it conflicts with.
    pub overlaps: Vec<usize>,
}

impl Occurrence {
    /// The job's kind (drives the colour).
    pub fn kind(&self) -> JobKind {
        self.job.kind
    }
}

/// Occurrences of every enabled, scheduled job in a window, sorted by start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// Window start (inclusive).
    pub from: Epoch,
    /// Window end (exclusive).
    pub to: Epoch,
    /// Sorted by start, then job index.
    pub occurrences: Vec<Occurrence>,
    /// Jobs whose occurrences were cut at [`MAX_PER_JOB`].
    pub truncated: Vec<usize>,
}

fn is_maintenance(k: JobKind) -> bool {
    matches!(
        k,
        JobKind::Prune
            | JobKind::GarbageCollection
            | JobKind::Verify
            | JobKind::Sync
            | JobKind::Check
            | JobKind::Cleanup
    )
}

/// The items a job schedules (whose expectations name it).
fn items_of<'a>(a: &'a Assessment, job: &JobRef) -> Vec<&'a ItemHealth> {
    a.all_items()
        .filter(|i| i.expectations.iter().any(|e| &e.job == job))
        .collect()
}

/// Expands every job of `a` in `[from, to)`. See the module docs.
pub fn expand(a: &Assessment, from: Epoch, to: Epoch) -> Calendar {
    let now = a.now;
    let mut occurrences: Vec<Occurrence> = Vec::new();
    let mut truncated = Vec::new();
    // History horizons per item, computed once: items are shared by many occurrences.
    let horizon_from = from.min(now).saturating_sub(31 * 86_400);
    let mut cache = history::SlotCache::default();
    for (ji, j) in a.jobs.iter().enumerate() {
        let Some(schedule) = j.schedule.as_ref().filter(|_| j.enabled) else {
            continue;
        };
        let run_anchor = j.last_run.as_ref().map(|r| r.end.unwrap_or(r.start));
        let items = match &j.covers {
            Coverage::Subjects(_) => items_of(a, &j.job),
            _ => Vec::new(),
        };
        let anchor = run_anchor.or_else(|| {
            items
                .iter()
                .filter_map(|i| anchor(&i.runs, i.last_success))
                .max()
        });
        // One more occurrence than needed, to bound the last one's run window.
        let mut starts = occurrences_in(
            schedule,
            j.clock,
            j.zone.zone(),
            anchor,
            from,
            to,
            MAX_PER_JOB + 1,
        );
        if starts.len() > MAX_PER_JOB {
            starts.truncate(MAX_PER_JOB);
            truncated.push(ji);
        }
        let next_after_window = starts.last().and_then(|&l| {
            occurrences_in(
                schedule,
                j.clock,
                j.zone.zone(),
                anchor,
                l.saturating_add(1),
                Epoch::MAX,
                1,
            )
            .first()
            .copied()
        });
        let horizons: Vec<Option<Epoch>> = items
            .iter()
            .map(|i| history::dense_since_cached(i, horizon_from, &mut cache))
            .collect();
        let tol = j.period_secs.map_or(60, |p| (p / 10).clamp(0, 900));
        let job = Rc::new(j.job.clone());
        for (k, &start) in starts.iter().enumerate() {
            let next = starts.get(k + 1).copied().or(next_after_window);
            let outcome = if start > now {
                None
            } else {
                outcome(j, &items, &horizons, start, next, tol, now)
            };
            occurrences.push(Occurrence {
                job: Rc::clone(&job),
                job_index: ji,
                start,
                end: start.saturating_add(j.duration.secs),
                duration: j.duration,
                outcome,
                overlaps: Vec::new(),
            });
        }
    }
    // Stable: ties stay in job order.
    util::sort_asc(&mut occurrences, |o| o.start);
    flag_overlaps(a, &mut occurrences);
    Calendar {
        from,
        to,
        occurrences,
        truncated,
    }
}

/// The outcome of a past occurrence, when a run can be matched.
fn outcome(
    j: &JobHealth,
    items: &[&ItemHealth],
    horizons: &[Option<Epoch>],
    start: Epoch,
    next: Option<Epoch>,
    tol: i64,
    now: Epoch,
) -> Option<Outcome> {
    let lo = start.saturating_sub(tol);
    let hi = next.map_or(Epoch::MAX, |n| n.saturating_sub(tol));
    if !items.is_empty() {
        let (mut ok, mut failed, mut running, mut missed) = (0, 0, 0, 0);
        for (item, horizon) in items.iter().zip(horizons) {
            let mut runs = item.runs.iter().filter(|r| r.start >= lo && r.start < hi);
            let (mut i_ok, mut i_failed, mut i_running) = (false, false, false);
            for r in runs.by_ref() {
                match r.outcome {
                    RunOutcome::Ok | RunOutcome::Warning => i_ok = true,
                    RunOutcome::Failed => i_failed = true,
                    RunOutcome::Running | RunOutcome::Pending => i_running = true,
                    RunOutcome::Cancelled | RunOutcome::Unknown => {}
                }
            }
            // A guest is backed up once per run of its job: a success settles it (another
            // run in the window is a manual one), then a failure, then one in progress.
            if i_ok {
                ok += 1;
            } else if i_failed {
                failed += 1;
            } else if i_running {
                running += 1;
            } else {
                let expired = start.saturating_add(j.grace_secs) <= item.as_of;
                let after_success = item
                    .last_success
                    .is_some_and(|s| start > s.saturating_add(tol));
                let dense = horizon.is_some_and(|h| start >= h);
                if expired && (after_success || dense) {
                    missed += 1;
                }
            }
        }
        return if failed > 0 {
            Some(Outcome::Failed)
        } else if running > 0 {
            Some(Outcome::Running)
        } else if missed > 0 {
            Some(Outcome::Missed)
        } else if ok > 0 {
            Some(Outcome::Ok)
        } else {
            None
        };
    }
    if let Some(r) = &j.last_run
        && r.start >= lo
        && r.start < hi
    {
        return match r.outcome {
            RunOutcome::Ok | RunOutcome::Warning => Some(Outcome::Ok),
            RunOutcome::Failed => Some(Outcome::Failed),
            RunOutcome::Running | RunOutcome::Pending => Some(Outcome::Running),
            RunOutcome::Cancelled | RunOutcome::Unknown => None,
        };
    }
    // A server-reported next run in the past: that occurrence and later ones did not run.
    if let Some(n) = &j.next_run
        && n.provenance == Provenance::Server
        && n.due != Due::Upcoming
        && start >= n.at.saturating_sub(tol)
        && start.saturating_add(j.grace_secs) <= now
    {
        return Some(Outcome::Missed);
    }
    None
}

/// Marks conflicting pairs (see the module docs).
fn flag_overlaps(a: &Assessment, occ: &mut [Occurrence]) {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for i in 0..occ.len() {
        let Some(x) = occ.get(i) else { continue };
        for k in i + 1..occ.len() {
            let Some(y) = occ.get(k) else { break };
            if y.start >= x.end {
                break;
            }
            if x.job_index == y.job_index || !(is_maintenance(x.kind()) || is_maintenance(y.kind()))
            {
                continue;
            }
            let (Some(jx), Some(jy)) = (a.jobs.get(x.job_index), a.jobs.get(y.job_index)) else {
                continue;
            };
            let shared = jx
                .resources
                .iter()
                .any(|r| jy.resources.iter().any(|s| r.shared_with(s)));
            if shared {
                pairs.push((i, k));
            }
        }
    }
    for (i, k) in pairs {
        if let Some(x) = occ.get_mut(i) {
            x.overlaps.push(k);
        }
        if let Some(y) = occ.get_mut(k) {
            y.overlaps.push(i);
        }
    }
}

/// Is `r` used by an occurrence's job? (For views that filter by datastore.)
pub fn uses(a: &Assessment, o: &Occurrence, r: &Resource) -> bool {
    a.jobs
        .get(o.job_index)
        .is_some_and(|j| j.resources.iter().any(|x| x.shared_with(r)))
}

/// One occurrence's piece within a day column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    /// Index into [`Calendar::occurrences`].
    pub occurrence: usize,
    /// Minute of the local wall clock where it starts (0 to 1439; 0 when continued from
    /// the day before).
    pub top_minute: u32,
    /// Length in minutes (at least 1), cut at the end of the day.
    pub minutes: u32,
    /// Column within its group of overlapping blocks (0-based).
    pub lane: u16,
    /// Number of columns in that group.
    pub lanes: u16,
    /// Started the day before.
    pub continued: bool,
    /// Goes on into the next day.
    pub continues: bool,
}

/// One day column of a week.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GridDay {
    /// The local date.
    pub date: NaiveDate,
    /// First instant of the day.
    pub start: Epoch,
    /// First instant of the next day.
    pub end: Epoch,
    /// Blocks sorted by start minute.
    pub blocks: Vec<Block>,
}

/// Seven day columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeekGrid {
    /// Monday (or the chosen first day) to Sunday.
    pub days: Vec<GridDay>,
}

/// The first day of the week containing `date`.
pub fn week_start_of(date: NaiveDate, week_start: Weekday) -> Option<NaiveDate> {
    let offset = (7 + zones::weekday_from_monday(date) - week_start.num_days_from_monday()) % 7;
    zones::add_days(date, -i64::from(offset))
}

/// The days `first`, `first + 1`, … as `(date, start, end)` in `zone`.
fn day_bounds(first: NaiveDate, n: usize, zone: &dyn Zone) -> Vec<(NaiveDate, Epoch, Epoch)> {
    let mut out = Vec::with_capacity(n);
    let mut date = first;
    for _ in 0..n {
        let Some(next) = zones::next_day(date) else {
            break;
        };
        let (Some(start), Some(end)) = (zones::day_start(zone, date), zones::day_start(zone, next))
        else {
            break;
        };
        out.push((date, start, end));
        date = next;
    }
    out
}

/// `[from, to)` of the week containing the instant `at` in `zone`: expand the calendar
/// over this window, then call [`week_grid`].
pub fn week_range(at: Epoch, zone: &dyn Zone, week_start: Weekday) -> Option<(Epoch, Epoch)> {
    let first = week_start_of(zones::local_date(zone, at)?, week_start)?;
    let days = day_bounds(first, 7, zone);
    Some((days.first()?.1, days.last()?.2))
}

/// The week containing `at`, in `zone`, with blocks positioned by local start minute and
/// duration. Occurrences crossing midnight are split; overlapping blocks share the column
/// side by side (`lane` of `lanes`). On DST days the wall clock jumps: positions are wall
/// clock minutes, lengths real minutes.
pub fn week_grid(cal: &Calendar, at: Epoch, zone: &dyn Zone, week_start: Weekday) -> WeekGrid {
    let first = zones::local_date(zone, at).and_then(|d| week_start_of(d, week_start));
    let Some(first) = first else {
        return WeekGrid { days: Vec::new() };
    };
    let days = day_bounds(first, 7, zone)
        .into_iter()
        .map(|(date, start, end)| {
            let mut blocks: Vec<Block> = cal
                .occurrences
                .iter()
                .enumerate()
                .filter(|(_, o)| o.start < end && o.end.max(o.start.saturating_add(1)) > start)
                .map(|(i, o)| {
                    let seg_start = o.start.max(start);
                    let seg_end = o.end.max(o.start.saturating_add(1)).min(end);
                    let top = if seg_start == start {
                        0
                    } else {
                        zones::local_minute(zone, seg_start).unwrap_or(0)
                    };
                    let len =
                        u32::try_from(seg_end.saturating_sub(seg_start).saturating_add(59) / 60)
                            .unwrap_or(1440);
                    Block {
                        occurrence: i,
                        top_minute: top,
                        minutes: len.clamp(1, 1440u32.saturating_sub(top).max(1)),
                        lane: 0,
                        lanes: 1,
                        continued: o.start < start,
                        continues: o.end > end,
                    }
                })
                .collect();
            assign_lanes(&mut blocks);
            GridDay {
                date,
                start,
                end,
                blocks,
            }
        })
        .collect();
    WeekGrid { days }
}

/// Greedy interval partitioning: each block takes the lowest free lane; a group of
/// transitively overlapping blocks shares its lane count.
fn assign_lanes(blocks: &mut Vec<Block>) {
    util::sort_asc(blocks, |b| {
        (i64::from(b.top_minute) << 32) | i64::from(u32::MAX - b.minutes)
    });
    let mut group_start = 0usize;
    let mut group_end = 0u32;
    let mut lane_ends: Vec<u32> = Vec::new();
    let finish = |blocks: &mut [Block], from: usize, to: usize, lanes: usize| {
        let lanes = u16::try_from(lanes.max(1)).unwrap_or(u16::MAX);
        for b in blocks.iter_mut().take(to).skip(from) {
            b.lanes = lanes;
        }
    };
    for i in 0..blocks.len() {
        let Some(b) = blocks.get(i).copied() else {
            break;
        };
        let end = b.top_minute.saturating_add(b.minutes);
        if i > group_start && b.top_minute >= group_end {
            finish(blocks, group_start, i, lane_ends.len());
            group_start = i;
            lane_ends.clear();
        }
        let lane = match lane_ends.iter().position(|&e| e <= b.top_minute) {
            Some(l) => l,
            None => {
                lane_ends.push(0);
                lane_ends.len() - 1
            }
        };
        if let Some(e) = lane_ends.get_mut(lane) {
            *e = end;
        }
        if let Some(x) = blocks.get_mut(i) {
            x.lane = u16::try_from(lane).unwrap_or(u16::MAX);
        }
        group_end = if i == group_start {
            end
        } else {
            group_end.max(end)
        };
    }
    let n = blocks.len();
    finish(blocks, group_start, n, lane_ends.len());
}

/// One day cell of a month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GridCell {
    /// The local date.
    pub date: NaiveDate,
    /// Whether the date belongs to the month shown (leading and trailing days do not).
    pub in_month: bool,
    /// First instant of the day.
    pub start: Epoch,
    /// First instant of the next day.
    pub end: Epoch,
    /// Occurrences starting that day (indices into [`Calendar::occurrences`]), by start.
    pub chips: Vec<usize>,
}

/// Six weeks of seven day cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthGrid {
    /// The year shown.
    pub year: i32,
    /// The month shown (1 to 12).
    pub month: u32,
    /// 42 cells, row by row.
    pub cells: Vec<GridCell>,
}

/// `[from, to)` of the 6 × 7 cells shown for a month: expand the calendar over this
/// window, then call [`month_grid`]. `None` for an invalid month.
pub fn month_range(
    year: i32,
    month: u32,
    zone: &dyn Zone,
    week_start: Weekday,
) -> Option<(Epoch, Epoch)> {
    let first = week_start_of(NaiveDate::from_ymd_opt(year, month, 1)?, week_start)?;
    let days = day_bounds(first, 42, zone);
    Some((days.first()?.1, days.last()?.2))
}

/// The month grid: 6 rows × 7 days from the week containing the 1st, each day with the
/// occurrences starting on it. Empty for an invalid month.
pub fn month_grid(
    cal: &Calendar,
    year: i32,
    month: u32,
    zone: &dyn Zone,
    week_start: Weekday,
) -> MonthGrid {
    let first = NaiveDate::from_ymd_opt(year, month, 1).and_then(|d| week_start_of(d, week_start));
    let cells = match first {
        None => Vec::new(),
        Some(first) => day_bounds(first, 42, zone)
            .into_iter()
            .map(|(date, start, end)| {
                use chrono::Datelike;
                let lo = cal.occurrences.partition_point(|o| o.start < start);
                let hi = cal.occurrences.partition_point(|o| o.start < end);
                GridCell {
                    date,
                    in_month: date.year() == year && date.month() == month,
                    start,
                    end,
                    chips: (lo..hi).collect(),
                }
            })
            .collect(),
    };
    MonthGrid { year, month, cells }
}
