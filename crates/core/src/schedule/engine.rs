//! From local wall-clock matches to instants: the DST rules.
//!
//! A [`CivilSpec`] says which local wall-clock seconds match. Turning them into UTC
//! instants needs a rule for the local times that do not exist (gaps) or exist twice
//! (folds). Three rules are used:
//!
//! - [`Policy::FirstOccurrence`] — Proxmox calendar events. proxmox-time searches in
//!   local time and normalises through libc `mktime` (`tm_isdst = -1`), so a time in a
//!   gap is moved forward by the gap length, fails the field check and the search goes
//!   on: **times inside a gap are skipped**. Wall-clock times are visited once, in
//!   order, so in a fold **only the first occurrence runs** (an hourly job runs at
//!   02:30 CEST and next at 03:30 CET).
//! - [`Policy::FixedTime`] — Debian cron jobs without `*` in minute and hour: like the
//!   above, but all runs that fall into a gap **run once, at the end of the gap**.
//! - [`Policy::WallClock`] — Debian cron jobs with `*` in minute or hour: they follow
//!   the clock; a gap has no runs, a fold runs **both** occurrences.
//!
//! Occurrences are the instants these rules produce; `next_after` and `prev_before` give
//! the nearest one strictly after / before an instant, so they are exact inverses.

use super::fields::CivilSpec;
use crate::model::Epoch;
use crate::time::{DAY, LocalResult, Zone, offset, resolve_local, to_local, transition_between};

/// How local times in gaps and folds become instants. See the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Policy {
    FirstOccurrence,
    FixedTime,
    WallClock,
}

/// Work limit: DST features (gaps, folds) skipped in one search before giving up.
const MAX_STEPS: usize = 1000;

fn min_opt(a: Option<Epoch>, b: Epoch) -> Epoch {
    a.map_or(b, |a| a.min(b))
}

fn max_opt(a: Option<Epoch>, b: Epoch) -> Epoch {
    a.map_or(b, |a| a.max(b))
}

/// The first occurrence strictly after `after`.
pub(crate) fn next_after(
    spec: &CivilSpec,
    policy: Policy,
    after: Epoch,
    zone: &dyn Zone,
) -> Option<Epoch> {
    let x = after.checked_add(1)?;
    let (cx, ox) = to_local(zone, x)?;
    let mut best = None;
    if policy == Policy::WallClock {
        // A fold within the next day repeats local times below `cx`: the second pass of
        // those can come before anything the forward search below finds.
        let oy = offset(zone, x.checked_add(DAY)?);
        if oy < ox {
            let t = transition_between(zone, x, x + DAY);
            if let Some(w) = spec.next_civil(t.checked_add(oy)?)
                && w < cx.min(t + ox)
            {
                best = Some(w - oy);
            }
        }
    }
    let mut from = cx;
    for _ in 0..MAX_STEPS {
        let Some(w) = spec.next_civil(from) else {
            return best;
        };
        let Some(r) = resolve_local(zone, w) else {
            return best;
        };
        match r {
            LocalResult::Single(t) => {
                if t > after {
                    return Some(min_opt(best, t));
                }
                from = w + 1;
            }
            LocalResult::Ambiguous { earlier, later } => {
                if earlier > after {
                    return Some(min_opt(best, earlier));
                }
                if policy == Policy::WallClock && later > after {
                    return Some(min_opt(best, later));
                }
                // We are in the second pass: the rest of the repeated local times has
                // run already. Continue at the end of the fold.
                let t = transition_between(zone, earlier, later);
                from = (w + 1).max(t + (w - earlier));
            }
            LocalResult::Gap {
                before: b,
                after: a,
            } => {
                let t = transition_between(zone, b, a);
                if policy == Policy::FixedTime && t > after {
                    return Some(min_opt(best, t));
                }
                // Continue at the end of the gap (local time of the transition).
                from = (w + 1).max(t + (w - b));
            }
        }
    }
    best
}

/// The last occurrence strictly before `before`.
pub(crate) fn prev_before(
    spec: &CivilSpec,
    policy: Policy,
    before: Epoch,
    zone: &dyn Zone,
) -> Option<Epoch> {
    let x = before.checked_sub(1)?;
    let (cx, ox) = to_local(zone, x)?;
    let mut best = None;
    // A fold within the last day: first-pass times with local time above `cx` are
    // earlier instants than `x` and later than anything the backward search finds.
    let oz = offset(zone, x.checked_sub(DAY)?);
    if oz > ox {
        let t = transition_between(zone, x - DAY, x);
        if let Some(w) = spec.prev_civil(t + oz - 1)
            && w > cx
        {
            best = Some(w - oz);
        }
    }
    let mut to = cx;
    for _ in 0..MAX_STEPS {
        let Some(w) = spec.prev_civil(to) else {
            return best;
        };
        let Some(r) = resolve_local(zone, w) else {
            return best;
        };
        match r {
            LocalResult::Single(t) => {
                if t < before {
                    return Some(max_opt(best, t));
                }
                to = w - 1;
            }
            LocalResult::Ambiguous { earlier, later } => {
                if policy == Policy::WallClock && later < before {
                    return Some(max_opt(best, later));
                }
                if earlier < before {
                    return Some(max_opt(best, earlier));
                }
                to = w - 1;
            }
            LocalResult::Gap {
                before: b,
                after: a,
            } => {
                let t = transition_between(zone, b, a);
                if policy == Policy::FixedTime && t < before {
                    return Some(max_opt(best, t));
                }
                // Continue below the gap (local time just before the transition).
                to = (w - 1).min(t + (w - a) - 1);
            }
        }
    }
    best
}
