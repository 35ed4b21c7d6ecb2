//! The agenda: upcoming occurrences (and those still in progress by their estimate)
//! grouped by local day — today and the next days. The compact layout shows
//! [`COMPACT_DAYS`] (today and tomorrow: the next 24–48 h), the calendar tab
//! [`FULL_DAYS`].

use chrono::NaiveDate;

use crate::calendar::{self, Calendar, Outcome};
use crate::display;
use crate::health::Assessment;
use crate::model::Epoch;
use crate::time::Zone;
use crate::view::calendar::iso_date;
use crate::view::occurrence::{self, OccurrenceView};
use crate::zones;

/// Days in the compact layout: today and tomorrow.
pub const COMPACT_DAYS: u32 = 2;
/// Days in the calendar tab's agenda.
pub const FULL_DAYS: u32 = 7;
/// Rows at most; more are counted in [`AgendaView::hidden`].
pub const MAX_ITEMS: usize = 200;

/// Earliest start considered: a job started this long ago may still be running.
const LOOKBACK: i64 = 86_400;

/// One row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgendaItem {
    /// The occurrence as text.
    pub occ: OccurrenceView,
    /// `in 40 min`; for one in progress `20 min ago` (with its outcome `running`), or
    /// `due 20 min ago` when no run is known.
    pub when: String,
    /// Started at or before `now` and not over by its estimate.
    pub in_progress: bool,
}

/// The rows of one local day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgendaDay {
    /// `2026-05-18`.
    pub date: String,
    /// `Today · Mon 18 May`, `Tomorrow · Tue 19 May`, `Wed 20 May`.
    pub heading: String,
    /// By start.
    pub items: Vec<AgendaItem>,
}

/// The agenda.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgendaView {
    /// Days with something scheduled, in order.
    pub days: Vec<AgendaDay>,
    /// Rows left out over the cap.
    pub hidden: usize,
    /// `Nothing scheduled today or tomorrow` when there are no rows.
    pub empty: Option<String>,
}

/// `[from, to)` to expand for an agenda of `days` local days starting today: from a day
/// before `now` (runs still in progress) to the start of the day after the last.
pub fn window(now: Epoch, zone: &dyn Zone, days: u32) -> Option<(Epoch, Epoch)> {
    let today = zones::local_date(zone, now)?;
    let last = today.checked_add_days(chrono::Days::new(u64::from(days.max(1))))?;
    Some((now.saturating_sub(LOOKBACK), zones::day_start(zone, last)?))
}

/// The agenda of `days` local days at `now` in `zone`: expands `a` and lays it out.
pub fn agenda(a: &Assessment, now: Epoch, zone: &dyn Zone, days: u32) -> AgendaView {
    match window(now, zone, days) {
        Some((from, to)) => agenda_layout(&calendar::expand(a, from, to), now, zone, days, to),
        None => agenda_layout(
            &Calendar {
                from: now,
                to: now,
                occurrences: Vec::new(),
                truncated: Vec::new(),
            },
            now,
            zone,
            days,
            now,
        ),
    }
}

fn heading(date: NaiveDate, today: Option<NaiveDate>) -> String {
    use chrono::Datelike;
    let day = format!(
        "{} {} {}",
        display::weekday_name(date.weekday().num_days_from_monday()),
        date.day(),
        display::month_name(date.month())
    );
    let offset = today.map(|t| (date - t).num_days());
    match offset {
        Some(0) => format!("Today · {day}"),
        Some(1) => format!("Tomorrow · {day}"),
        _ => day,
    }
}

/// Lists the occurrences of `cal` that start before `to` and are upcoming or in progress
/// at `now` (a past one whose outcome is settled is left out) by local day; occurrences
/// with one start, kind and source share a row (see [`occurrence::group`]).
pub fn agenda_layout(
    cal: &Calendar,
    now: Epoch,
    zone: &dyn Zone,
    days: u32,
    to: Epoch,
) -> AgendaView {
    let today = zones::local_date(zone, now);
    // Indices per local day, in order.
    let mut per_day: Vec<(NaiveDate, Vec<usize>)> = Vec::new();
    let mut hidden = 0;
    let mut shown = 0;
    for (i, o) in cal.occurrences.iter().enumerate() {
        if o.start >= to {
            break;
        }
        let settled = matches!(
            o.outcome,
            Some(Outcome::Ok | Outcome::Failed | Outcome::Missed)
        );
        if o.start <= now && (settled || o.end <= now) {
            continue;
        }
        if shown >= MAX_ITEMS {
            hidden += 1;
            continue;
        }
        // In progress since yesterday: listed under today.
        let Some(date) = zones::local_date(zone, o.start).map(|d| match today {
            Some(t) if d < t => t,
            _ => d,
        }) else {
            continue;
        };
        shown += 1;
        match per_day.last_mut() {
            Some((d, list)) if *d == date => list.push(i),
            _ => per_day.push((date, vec![i])),
        }
    }
    let out: Vec<AgendaDay> = per_day
        .into_iter()
        .map(|(date, indices)| {
            let items = occurrence::group(cal, &indices)
                .iter()
                .filter_map(|g| {
                    let occ = occurrence::group_view(cal, g, now, zone)?;
                    let start = cal.occurrences.get(*g.first()?)?.start;
                    let started = start <= now;
                    let when = if started && occ.outcome.is_none() {
                        // Not known to run: only its estimate says it would still be.
                        format!("due {}", display::relative(start, now))
                    } else {
                        display::relative(start, now)
                    };
                    Some(AgendaItem {
                        occ,
                        when,
                        in_progress: started,
                    })
                })
                .collect();
            AgendaDay {
                date: iso_date(date),
                heading: heading(date, today),
                items,
            }
        })
        .collect();
    let empty = out.is_empty().then(|| match days {
        0 | 1 => "Nothing scheduled today".to_owned(),
        2 => "Nothing scheduled today or tomorrow".to_owned(),
        n => format!("Nothing scheduled in the next {n} days"),
    });
    AgendaView {
        days: out,
        hidden,
        empty,
    }
}
