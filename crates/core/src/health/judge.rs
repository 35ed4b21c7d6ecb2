//! The rule for one item: its runs against its schedules.

use super::{Ago, Expectation, FailedRun, JobRef, Unscheduled, Verdict};
use crate::model::{Epoch, Run, RunOutcome};
use crate::schedule::Schedule;

/// Missed-run counts saturate here (a minutely schedule without a success for a year would
/// otherwise count half a million occurrences).
pub const MISSED_CAP: u32 = 999;

/// A backup known to be in progress that is not one of the item's own runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlightHint {
    /// When it started.
    pub since: Epoch,
    /// The PVE job that is working through its guests, this one still queued.
    pub queued_in: Option<JobRef>,
}

/// What is known about one item.
#[derive(Clone, Debug)]
pub struct Facts<'a> {
    /// Known runs, newest first (any order works).
    pub runs: &'a [Run],
    /// Newest success as the source reports it (may be newer than any listed run).
    pub last_success: Option<Epoch>,
    /// The schedules it is judged against; empty = unscheduled.
    pub expectations: &'a [Expectation],
    /// A backup in progress that is not in `runs` (its PVE job is running).
    pub in_flight: Option<InFlightHint>,
    /// Why nothing is expected, when `expectations` is empty.
    pub unscheduled: Unscheduled,
    /// Whether the whole history was read.
    pub history_complete: bool,
    /// The instant the data describes; expected runs and grace are measured against it.
    pub as_of: Epoch,
}

/// What one expectation says at `as_of`.
struct Slots {
    /// The newest occurrence at or before `as_of`.
    due: Option<Epoch>,
    /// Occurrences past grace without a success.
    overdue: u32,
    /// The newest of them.
    newest_overdue: Option<Epoch>,
}

/// Whole periods `p` from `a` to `b` (`a <= b`, `p > 0`), without overflow.
fn steps(a: Epoch, b: Epoch, p: i64) -> i64 {
    b.saturating_sub(a) / p.max(1)
}

fn in_flight(r: &Run) -> bool {
    matches!(r.outcome, RunOutcome::Running | RunOutcome::Pending)
}

fn finished(r: &Run) -> bool {
    !in_flight(r)
}

/// The occurrences of a grid schedule in `[from, to)`: how many (capped) and the newest.
fn grid_overdue(e: &Expectation, from: Epoch, to: Epoch) -> (u32, Option<Epoch>) {
    if from >= to {
        return (0, None);
    }
    let zone = e.eval_zone();
    let count = e
        .schedule
        .occurrences(from, to, zone)
        .take(MISSED_CAP as usize)
        .count();
    let newest = e.schedule.prev_before(to, zone).filter(|o| *o >= from);
    (u32::try_from(count).unwrap_or(MISSED_CAP), newest)
}

fn slots(e: &Expectation, f: &Facts<'_>, s: Option<Epoch>) -> Slots {
    let as_of = f.as_of;
    let tol = e.tolerance();
    // Exclusive upper bound of overdue occurrences: o + grace <= as_of.
    let limit = as_of.saturating_sub(e.grace_secs).saturating_add(1);
    if e.is_grid() {
        let zone = e.eval_zone();
        let due = e.schedule.prev_before(as_of.saturating_add(1), zone);
        // An occurrence o is satisfied by a success at or after o - tol.
        let from = match s {
            Some(s) => Some(s.saturating_add(tol).saturating_add(1)),
            None => f
                .runs
                .iter()
                .map(|r| r.start)
                .min()
                .map(|t| t.saturating_sub(tol)),
        };
        let (overdue, newest_overdue) = match from {
            Some(from) => grid_overdue(e, from, limit),
            None => (0, None),
        };
        return Slots {
            due,
            overdue,
            newest_overdue,
        };
    }
    // Counted from the last run: the anchor is the end of the newest finished run.
    let anchor = f
        .runs
        .iter()
        .filter(|r| finished(r))
        .map(|r| r.end.unwrap_or(r.start).max(r.start))
        .max()
        .max(s);
    let Some(anchor) = anchor else {
        return Slots {
            due: None,
            overdue: 0,
            newest_overdue: None,
        };
    };
    let zone = e.eval_zone();
    let period = match e.schedule {
        Schedule::EveryHours(n) => Some(i64::from(n).saturating_mul(3_600)),
        Schedule::EveryDays(n) => Some(i64::from(n).saturating_mul(86_400)),
        _ => None,
    };
    let first = match period {
        Some(p) => anchor.checked_add(p),
        None => e.schedule.next_after(anchor, zone),
    };
    let Some(first) = first else {
        return Slots {
            due: None,
            overdue: 0,
            newest_overdue: None,
        };
    };
    match period {
        Some(p) if p > 0 => {
            let due = (first <= as_of)
                .then(|| first.saturating_add(steps(first, as_of, p).saturating_mul(p)));
            let last = limit.saturating_sub(1);
            let (overdue, newest_overdue) = if first <= last {
                let k = steps(first, last, p);
                let n = u32::try_from(k.saturating_add(1))
                    .unwrap_or(u32::MAX)
                    .min(MISSED_CAP);
                (n, Some(first.saturating_add(k.saturating_mul(p))))
            } else {
                (0, None)
            };
            Slots {
                due,
                overdue,
                newest_overdue,
            }
        }
        _ => {
            // Cron counted from the last run: occurrences from the first one on.
            let due = e
                .schedule
                .prev_before(as_of.saturating_add(1), zone)
                .filter(|d| *d >= first);
            let (overdue, newest_overdue) = grid_overdue(e, first, limit);
            Slots {
                due,
                overdue,
                newest_overdue,
            }
        }
    }
}

/// Judges one item at `now` (ages in the reasons are relative to `now`; expected runs
/// and grace to [`Facts::as_of`]). Retired, paused and unknown are decided by the caller
/// around this; see the module docs of [`crate::health`] for the precedence.
pub fn judge(f: &Facts<'_>, now: Epoch) -> Verdict {
    let ago = |t: Epoch| Ago::new(t, now);
    let s = f
        .runs
        .iter()
        .filter(|r| r.outcome.is_success())
        .map(|r| r.start)
        .max()
        .max(f.last_success);
    let after_s = |t: Epoch| s.is_none_or(|s| t > s);
    let own_flight = f
        .runs
        .iter()
        .filter(|r| in_flight(r) && after_s(r.start))
        .map(|r| r.start)
        .max();
    let (flight, queued_in) = match (own_flight, &f.in_flight) {
        (Some(t), _) => (Some(t), None),
        (None, Some(h)) if after_s(h.since) => (Some(h.since), h.queued_in.clone()),
        _ => (None, None),
    };
    let failure = f
        .runs
        .iter()
        .filter(|r| r.outcome == RunOutcome::Failed && after_s(r.start))
        .max_by_key(|r| r.start)
        .map(|r| FailedRun {
            at: ago(r.start),
            message: r.message.clone(),
        });
    let last = s.map(ago);

    if f.expectations.is_empty() {
        if let Some(failure) = failure {
            return Verdict::Failed {
                failure,
                last_success: last,
                missed: 0,
                retrying: flight.is_some(),
            };
        }
        if let Some(t) = flight {
            return Verdict::Running {
                since: ago(t),
                queued_in,
                last_success: last,
                overdue: 0,
            };
        }
        return match last {
            None => Verdict::Never {
                job: None,
                unscheduled: Some(f.unscheduled.clone()),
                history_complete: f.history_complete,
            },
            Some(_) => Verdict::Unscheduled {
                last_success: last,
                why: f.unscheduled.clone(),
            },
        };
    }

    let mut total: u32 = 0;
    let mut newest: Option<(Epoch, &Expectation)> = None;
    let mut due: Option<(Epoch, &Expectation)> = None;
    for e in f.expectations {
        let sl = slots(e, f, s);
        total = total.saturating_add(sl.overdue).min(MISSED_CAP);
        if let Some(o) = sl.newest_overdue
            && newest.is_none_or(|(n, _)| o > n)
        {
            newest = Some((o, e));
        }
        if let Some(d) = sl.due
            && due.is_none_or(|(n, _)| d > n)
        {
            due = Some((d, e));
        }
    }

    if let Some(failure) = failure {
        let attempted_newest =
            newest.is_none_or(|(o, e)| failure.at.at >= o.saturating_sub(e.tolerance()));
        if attempted_newest {
            return Verdict::Failed {
                failure,
                last_success: last,
                missed: total,
                retrying: flight.is_some(),
            };
        }
        if let Some((o, e)) = newest {
            return Verdict::Missed {
                runs: total.max(1),
                expected: ago(o),
                job: e.job.clone(),
                last_success: last,
                last_failure: Some(failure),
            };
        }
    }
    if let Some((o, e)) = newest {
        if let Some(t) = flight.filter(|t| *t >= o.saturating_sub(e.tolerance())) {
            return Verdict::Running {
                since: ago(t),
                queued_in,
                last_success: last,
                overdue: total.saturating_sub(1),
            };
        }
        return Verdict::Missed {
            runs: total.max(1),
            expected: ago(o),
            job: e.job.clone(),
            last_success: last,
            last_failure: None,
        };
    }
    if let Some(t) = flight {
        return Verdict::Running {
            since: ago(t),
            queued_in,
            last_success: last,
            overdue: 0,
        };
    }
    let Some(s) = s else {
        let job = due.map(|(_, e)| e).or(f.expectations.first());
        return Verdict::Never {
            job: job.map(|e| e.job.clone()),
            unscheduled: None,
            history_complete: f.history_complete,
        };
    };
    if let Some((d, e)) = due
        && s < d.saturating_sub(e.tolerance())
    {
        return Verdict::Late {
            expected: ago(d),
            grace_ends: ago(d.saturating_add(e.grace_secs)),
            job: e.job.clone(),
            last_success: ago(s),
        };
    }
    Verdict::Ok {
        last_success: ago(s),
        expected: due.map(|(d, _)| ago(d)),
    }
}

/// The end of the newest finished run (or the last success): what Backrest's last-run
/// clock and period schedules count from.
pub(crate) fn anchor(runs: &[Run], last_success: Option<Epoch>) -> Option<Epoch> {
    runs.iter()
        .filter(|r| finished(r))
        .map(|r| r.end.unwrap_or(r.start).max(r.start))
        .max()
        .max(last_success)
}

/// Occurrences of a schedule in `[from, to)`, at most `cap`: the grid for calendar events
/// and cron on the local or UTC clock; counted from `anchor` for the last-run clock and for
/// periods (nothing without an anchor).
pub(crate) fn occurrences_in(
    schedule: &Schedule,
    clock: crate::model::ScheduleClock,
    zone: &dyn crate::time::Zone,
    anchor: Option<Epoch>,
    from: Epoch,
    to: Epoch,
    cap: usize,
) -> Vec<Epoch> {
    use crate::model::ScheduleClock;
    let zone: &dyn crate::time::Zone = if clock == ScheduleClock::Utc {
        &crate::time::Utc
    } else {
        zone
    };
    if from >= to {
        return Vec::new();
    }
    let period = match schedule {
        Schedule::EveryHours(n) => Some(i64::from(*n).saturating_mul(3_600)),
        Schedule::EveryDays(n) => Some(i64::from(*n).saturating_mul(86_400)),
        _ => None,
    };
    match (period, clock) {
        (Some(p), _) => {
            let Some(first) = anchor.and_then(|a| a.checked_add(p)) else {
                return Vec::new();
            };
            if p <= 0 {
                return Vec::new();
            }
            // First step at or after `from`.
            let k = if first >= from {
                0
            } else {
                steps(first, from.saturating_sub(1), p).saturating_add(1)
            };
            let mut out = Vec::new();
            let mut t = first.saturating_add(k.saturating_mul(p));
            while t < to && out.len() < cap {
                out.push(t);
                t = t.saturating_add(p);
            }
            out
        }
        (None, ScheduleClock::LastRunTime) => {
            let Some(first) = anchor.and_then(|a| schedule.next_after(a, zone)) else {
                return Vec::new();
            };
            schedule
                .occurrences(first.max(from), to, zone)
                .take(cap)
                .collect()
        }
        (None, _) => schedule.occurrences(from, to, zone).take(cap).collect(),
    }
}
