//! The calendar tab's view-models: modes and navigation (a cursor date moved by weeks or
//! months, in the display zone), the week view (day columns with blocks placed by start
//! and estimated duration, in lanes, with a now line) and the month view (6 × 7 cells with
//! chips and "+N more").
//!
//! Geometry is per-mille ([`Permille`]) of the hours shown: the week view shows the hours
//! that hold something (the hull of its blocks and of `now`, padded by an hour, at least
//! [`MIN_HOURS`]), not always the whole day, because a homelab's jobs cluster at night.
//! Blocks are at least [`MIN_BLOCK_MINUTES`] tall so their text stays readable, and lanes
//! are assigned with that visible length, so short jobs a few minutes apart sit side by
//! side instead of on top of each other.

use chrono::Datelike;
/// Dates of the cursor (re-exported: the widget depends on core, not on chrono).
pub use chrono::NaiveDate;

use crate::calendar::{self, Calendar, DEFAULT_WEEK_START};
use crate::display;
use crate::health::Assessment;
use crate::model::Epoch;
use crate::time::Zone;
use crate::view::occurrence::{self, KindInfo, OccurrenceView, Permille};
use crate::zones;

/// Blocks are drawn at least this many minutes tall.
pub const MIN_BLOCK_MINUTES: u32 = 20;
/// The week view shows at least this many hours.
pub const MIN_HOURS: u32 = 8;
/// Blocks per day column; more are counted in [`WeekView::hidden`] (a minutely job would
/// otherwise put thousands of elements on the page).
pub const MAX_BLOCKS_PER_DAY: usize = 120;
/// Chips per month cell before "+N more".
pub const MAX_CHIPS: usize = 3;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Which view of the calendar tab is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Hours × 7 days.
    Week,
    /// 6 × 7 day cells.
    Month,
    /// Upcoming occurrences as a list.
    Agenda,
}

/// The modes, in switch order.
pub const MODES: [Mode; 3] = [Mode::Week, Mode::Month, Mode::Agenda];

impl Mode {
    /// Stable key (`week`, `month`, `agenda`) for `data-mode` and test hooks.
    pub fn key(self) -> &'static str {
        match self {
            Mode::Week => "week",
            Mode::Month => "month",
            Mode::Agenda => "agenda",
        }
    }

    /// Button label.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Week => "Week",
            Mode::Month => "Month",
            Mode::Agenda => "Agenda",
        }
    }
}

/// `2026-05-18`.
pub fn iso_date(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// The local date of `now` in `zone`.
pub fn today(now: Epoch, zone: &dyn Zone) -> Option<NaiveDate> {
    zones::local_date(zone, now)
}

/// The cursor moved by `delta` weeks (week and agenda) or months (month). A month step
/// lands on the 1st. `None` outside chrono's range.
pub fn step(mode: Mode, cursor: NaiveDate, delta: i32) -> Option<NaiveDate> {
    match mode {
        Mode::Week | Mode::Agenda => {
            cursor.checked_add_signed(chrono::TimeDelta::try_days(7 * i64::from(delta))?)
        }
        Mode::Month => {
            let index =
                i64::from(cursor.year()) * 12 + i64::from(cursor.month0()) + i64::from(delta);
            let year = i32::try_from(index.div_euclid(12)).ok()?;
            let month = u32::try_from(index.rem_euclid(12)).ok()? + 1;
            NaiveDate::from_ymd_opt(year, month, 1)
        }
    }
}

/// `[from, to)` shown for the cursor: the week (Monday first) or the 6 × 7 month cells,
/// in `zone`. The agenda is not cursor-based: see [`crate::view::agenda::window`].
pub fn window(mode: Mode, cursor: NaiveDate, zone: &dyn Zone) -> Option<(Epoch, Epoch)> {
    match mode {
        Mode::Week | Mode::Agenda => {
            calendar::week_range(zones::day_start(zone, cursor)?, zone, DEFAULT_WEEK_START)
        }
        Mode::Month => {
            calendar::month_range(cursor.year(), cursor.month(), zone, DEFAULT_WEEK_START)
        }
    }
}

/// The navigation bar's texts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nav {
    /// `18–24 May 2026`, `May 2026`, `Next 7 days`.
    pub title: String,
    /// `Previous week` / `Previous month` (`None` in the agenda: it has no navigation).
    pub prev: Option<&'static str>,
    /// `Next week` / `Next month`.
    pub next: Option<&'static str>,
    /// `This week` / `This month`.
    pub today: Option<&'static str>,
    /// The cursor's week or month contains today.
    pub at_today: bool,
}

/// `18–24 May 2026`, `27 Apr – 3 May 2026`, `29 Dec 2025 – 4 Jan 2026`.
pub fn week_title(first: NaiveDate, last: NaiveDate) -> String {
    let short = |d: NaiveDate| display::month_name(d.month());
    if first.year() != last.year() {
        format!(
            "{} {} {} – {} {} {}",
            first.day(),
            short(first),
            first.year(),
            last.day(),
            short(last),
            last.year()
        )
    } else if first.month() != last.month() {
        format!(
            "{} {} – {} {} {}",
            first.day(),
            short(first),
            last.day(),
            short(last),
            last.year()
        )
    } else {
        format!(
            "{}–{} {} {}",
            first.day(),
            last.day(),
            short(last),
            last.year()
        )
    }
}

/// `May 2026`.
pub fn month_title(year: i32, month: u32) -> String {
    let name = MONTHS
        .get((month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("?");
    format!("{name} {year}")
}

fn week_first(cursor: NaiveDate) -> Option<NaiveDate> {
    calendar::week_start_of(cursor, DEFAULT_WEEK_START)
}

/// The navigation bar for `mode` at `cursor`, seen at `now` in `zone`.
pub fn nav(mode: Mode, cursor: NaiveDate, now: Epoch, zone: &dyn Zone) -> Nav {
    let today = today(now, zone);
    match mode {
        Mode::Week => {
            let first = week_first(cursor);
            let last = first.and_then(|f| f.checked_add_signed(chrono::TimeDelta::days(6)));
            let title = match (first, last) {
                (Some(f), Some(l)) => week_title(f, l),
                _ => String::new(),
            };
            Nav {
                title,
                prev: Some("Previous week"),
                next: Some("Next week"),
                today: Some("This week"),
                at_today: first.is_some() && today.and_then(week_first) == first,
            }
        }
        Mode::Month => Nav {
            title: month_title(cursor.year(), cursor.month()),
            prev: Some("Previous month"),
            next: Some("Next month"),
            today: Some("This month"),
            at_today: today
                .is_some_and(|t| (t.year(), t.month()) == (cursor.year(), cursor.month())),
        },
        Mode::Agenda => Nav {
            title: "Next 7 days".to_owned(),
            prev: None,
            next: None,
            today: None,
            at_today: true,
        },
    }
}

/// An hour line of the week view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HourMark {
    /// `03:00`.
    pub label: String,
    /// From the top of the shown hours.
    pub top: Permille,
}

/// One occurrence's block in a day column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeekBlock {
    /// The occurrence as text.
    pub occ: OccurrenceView,
    /// From the top of the shown hours.
    pub top: Permille,
    /// Visible length (at least [`MIN_BLOCK_MINUTES`], cut at the end of the day).
    pub height: Permille,
    /// From the left of the day column (its lane).
    pub left: Permille,
    /// Share of the column (one lane).
    pub width: Permille,
    /// Started the day before.
    pub continued: bool,
    /// Goes on into the next day.
    pub continues: bool,
}

/// One day column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeekDay {
    /// `2026-05-18`.
    pub date: String,
    /// `Mon 18`.
    pub label: String,
    /// The day holding `now`.
    pub today: bool,
    /// Blocks, by start.
    pub blocks: Vec<WeekBlock>,
}

/// The current time in the week view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NowMark {
    /// Index of the day column.
    pub day: usize,
    /// From the top of the shown hours.
    pub top: Permille,
    /// RFC 3339.
    pub datetime: String,
    /// `04:20`.
    pub time: String,
}

/// The week view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeekView {
    /// First hour shown (0–23).
    pub first_hour: u32,
    /// Hour after the last one shown (1–24).
    pub end_hour: u32,
    /// One line per hour shown.
    pub hours: Vec<HourMark>,
    /// Seven day columns, Monday first (none if the week cannot be placed in the zone).
    pub days: Vec<WeekDay>,
    /// The now line, when `now` falls in this week.
    pub now: Option<NowMark>,
    /// Every overlap starting this week, as text.
    pub overlaps: Vec<String>,
    /// Blocks left out over [`MAX_BLOCKS_PER_DAY`].
    pub hidden: usize,
    /// Kinds present this week.
    pub legend: Vec<KindInfo>,
}

/// The week containing `cursor` in `zone`: expands `a` over it and lays it out.
pub fn week_view(a: &Assessment, cursor: NaiveDate, now: Epoch, zone: &dyn Zone) -> WeekView {
    let Some((from, to)) = window(Mode::Week, cursor, zone) else {
        return week_layout(&empty(), from_or_now(zone, cursor, now), now, zone);
    };
    let cal = calendar::expand(a, from, to);
    week_layout(&cal, from, now, zone)
}

fn empty() -> Calendar {
    Calendar {
        from: 0,
        to: 0,
        occurrences: Vec::new(),
        truncated: Vec::new(),
    }
}

fn from_or_now(zone: &dyn Zone, cursor: NaiveDate, now: Epoch) -> Epoch {
    zones::day_start(zone, cursor).unwrap_or(now)
}

/// A group of blocks drawn as one (see [`occurrence::group`]).
struct Placed {
    members: Vec<usize>,
    continued: bool,
    continues: bool,
}

/// A block's visible extent in minutes of its day: `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

/// Greedy interval partitioning over visible extents (sorted by start): each span takes
/// the lowest free lane; a group of transitively overlapping spans shares its lane count.
/// Returns `(lane, lanes)` per span.
fn lanes(spans: &[Span]) -> Vec<(u32, u32)> {
    let mut out = vec![(0u32, 1u32); spans.len()];
    let mut lane_ends: Vec<u32> = Vec::new();
    let mut group_start = 0usize;
    let mut group_end = 0u32;
    let close = |out: &mut Vec<(u32, u32)>, from: usize, to: usize, n: usize| {
        let n = u32::try_from(n.max(1)).unwrap_or(u32::MAX);
        for o in out.iter_mut().take(to).skip(from) {
            o.1 = n;
        }
    };
    for (i, s) in spans.iter().enumerate() {
        if i > group_start && s.start >= group_end {
            close(&mut out, group_start, i, lane_ends.len());
            group_start = i;
            lane_ends.clear();
        }
        let lane = match lane_ends.iter().position(|&e| e <= s.start) {
            Some(l) => l,
            None => {
                lane_ends.push(0);
                lane_ends.len() - 1
            }
        };
        if let Some(e) = lane_ends.get_mut(lane) {
            *e = s.end;
        }
        if let Some(o) = out.get_mut(i) {
            o.0 = u32::try_from(lane).unwrap_or(u32::MAX);
        }
        group_end = if i == group_start {
            s.end
        } else {
            group_end.max(s.end)
        };
    }
    let n = spans.len();
    close(&mut out, group_start, n, lane_ends.len());
    out
}

/// The shown hours `[first, end)`: the hull of `spans` (minutes), padded by an hour, at
/// least [`MIN_HOURS`]; the whole day when empty.
fn hour_range(spans: impl Iterator<Item = Span>) -> (u32, u32) {
    let mut hull: Option<(u32, u32)> = None;
    for s in spans {
        hull = Some(match hull {
            None => (s.start, s.end),
            Some((a, b)) => (a.min(s.start), b.max(s.end)),
        });
    }
    let Some((lo, hi)) = hull else {
        return (0, 24);
    };
    let mut first = (lo / 60).saturating_sub(1);
    let mut end = (hi.div_ceil(60) + 1).min(24);
    while end - first < MIN_HOURS && end < 24 {
        end += 1;
    }
    while end - first < MIN_HOURS && first > 0 {
        first -= 1;
    }
    (first, end)
}

/// Lays out the week containing `at` from an expanded calendar (which should cover
/// [`window`]).
pub fn week_layout(cal: &Calendar, at: Epoch, now: Epoch, zone: &dyn Zone) -> WeekView {
    let grid = calendar::week_grid(cal, at, zone, DEFAULT_WEEK_START);
    let mut hidden = 0;
    // Per day: groups of blocks with one start, kind and source, each with its visible
    // span, capped.
    let days: Vec<Vec<(Placed, Span)>> = grid
        .days
        .iter()
        .map(|d| {
            let indices: Vec<usize> = d.blocks.iter().map(|b| b.occurrence).collect();
            let groups = occurrence::group(cal, &indices);
            hidden += groups.len().saturating_sub(MAX_BLOCKS_PER_DAY);
            groups
                .into_iter()
                .take(MAX_BLOCKS_PER_DAY)
                .filter_map(|members| {
                    let blocks: Vec<&calendar::Block> = members
                        .iter()
                        .filter_map(|m| d.blocks.iter().find(|b| b.occurrence == *m))
                        .collect();
                    let first = blocks.first()?;
                    let minutes = blocks.iter().map(|b| b.minutes).max().unwrap_or(1);
                    let start = first.top_minute.min(1439);
                    let len = minutes.max(MIN_BLOCK_MINUTES);
                    let end = start.saturating_add(len).min(1440).max(start + 1);
                    let placed = Placed {
                        continued: first.continued,
                        continues: blocks.iter().any(|b| b.continues),
                        members,
                    };
                    Some((placed, Span { start, end }))
                })
                .collect()
        })
        .collect();
    let now_day = grid.days.iter().position(|d| d.start <= now && now < d.end);
    let now_minute = now_day.and_then(|_| zones::local_minute(zone, now));
    let now_span = now_minute.map(|m| Span {
        start: m,
        end: m + 1,
    });
    let (first_hour, end_hour) = hour_range(
        days.iter()
            .flat_map(|d| d.iter().map(|(_, s)| *s))
            .chain(now_span),
    );
    let base = first_hour * 60;
    let range = (end_hour - first_hour) * 60;
    let pos = |minute: u32| Permille::of(minute.saturating_sub(base), range);
    let today = today(now, zone);
    let week_days = grid
        .days
        .iter()
        .zip(&days)
        .map(|(d, blocks)| {
            let spans: Vec<Span> = blocks.iter().map(|(_, s)| *s).collect();
            let placed = lanes(&spans);
            let blocks = blocks
                .iter()
                .zip(placed)
                .filter_map(|((p, s), (lane, n))| {
                    let occ = occurrence::group_view(cal, &p.members, now, zone)?;
                    Some(WeekBlock {
                        occ,
                        top: pos(s.start),
                        height: Permille::of(s.end - s.start, range),
                        left: Permille::of(lane, n),
                        width: Permille::of(1, n),
                        continued: p.continued,
                        continues: p.continues,
                    })
                })
                .collect();
            let weekday = zones_weekday(d.date);
            WeekDay {
                date: iso_date(d.date),
                label: format!("{} {}", display::weekday_name(weekday), d.date.day()),
                today: Some(d.date) == today,
                blocks,
            }
        })
        .collect();
    let hours = (first_hour..end_hour)
        .map(|h| HourMark {
            label: format!("{h:02}:00"),
            top: pos(h * 60),
        })
        .collect();
    let now = match (now_day, now_minute) {
        (Some(day), Some(m)) => Some(NowMark {
            day,
            top: pos(m),
            datetime: display::rfc3339(now, zone),
            time: display::clock(now, zone),
        }),
        _ => None,
    };
    let (from, to) = match (grid.days.first(), grid.days.last()) {
        (Some(f), Some(l)) => (f.start, l.end),
        _ => (0, 0),
    };
    let lo = cal.occurrences.partition_point(|o| o.start < from);
    let hi = cal.occurrences.partition_point(|o| o.start < to);
    WeekView {
        first_hour,
        end_hour,
        hours,
        days: week_days,
        now,
        overlaps: occurrence::overlap_list(cal, from, to),
        hidden,
        legend: occurrence::legend(cal.occurrences.get(lo..hi).unwrap_or(&[])),
    }
}

/// Monday = 0.
fn zones_weekday(d: NaiveDate) -> u32 {
    d.weekday().num_days_from_monday()
}

/// One chip of a month cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthChip {
    /// The occurrence as text.
    pub occ: OccurrenceView,
}

/// One day cell of the month view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthCell {
    /// The date.
    pub at: NaiveDate,
    /// `2026-05-18`.
    pub date: String,
    /// The day of the month.
    pub day: u32,
    /// In the month shown (leading and trailing days are not).
    pub in_month: bool,
    /// The day holding `now`.
    pub today: bool,
    /// The first [`MAX_CHIPS`] groups of occurrences starting that day (one start, kind and
    /// source each), by start.
    pub chips: Vec<MonthChip>,
    /// How many more occurrences start that day.
    pub more: usize,
    /// `+5 more` when `more > 0`.
    pub more_text: Option<String>,
    /// What needs attention among all of the day's occurrences: `✗ 1 failed`,
    /// `! 2 missed`, `⚠ 1 overlap`.
    pub notes: Vec<String>,
    /// `Monday 18 May: 12 scheduled`, for `aria-label`.
    pub label: String,
}

/// The month view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthView {
    /// `Mon` … `Sun`.
    pub weekdays: Vec<&'static str>,
    /// 42 cells, row by row (none for an invalid month).
    pub cells: Vec<MonthCell>,
    /// Every overlap starting in the cells shown.
    pub overlaps: Vec<String>,
    /// Kinds present in the cells shown.
    pub legend: Vec<KindInfo>,
}

/// The month containing `cursor` in `zone`: expands `a` over its cells and lays it out.
pub fn month_view(a: &Assessment, cursor: NaiveDate, now: Epoch, zone: &dyn Zone) -> MonthView {
    let cal = match window(Mode::Month, cursor, zone) {
        Some((from, to)) => calendar::expand(a, from, to),
        None => empty(),
    };
    month_layout(&cal, cursor.year(), cursor.month(), now, zone)
}

const WEEKDAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Lays out a month from an expanded calendar (which should cover [`window`]).
pub fn month_layout(
    cal: &Calendar,
    year: i32,
    month: u32,
    now: Epoch,
    zone: &dyn Zone,
) -> MonthView {
    let grid = calendar::month_grid(cal, year, month, zone, DEFAULT_WEEK_START);
    let today = today(now, zone);
    let cells = grid
        .cells
        .iter()
        .map(|c| {
            let groups = occurrence::group(cal, &c.chips);
            let shown = groups.iter().take(MAX_CHIPS).map(Vec::len).sum::<usize>();
            let chips = groups
                .iter()
                .take(MAX_CHIPS)
                .filter_map(|g| occurrence::group_view(cal, g, now, zone))
                .map(|occ| MonthChip { occ })
                .collect();
            let more = c.chips.len().saturating_sub(shown);
            let (mut failed, mut missed, mut overlaps) = (0, 0, 0);
            for o in c.chips.iter().filter_map(|&i| cal.occurrences.get(i)) {
                match o.outcome {
                    Some(calendar::Outcome::Failed) => failed += 1,
                    Some(calendar::Outcome::Missed) => missed += 1,
                    _ => {}
                }
                if !o.overlaps.is_empty() {
                    overlaps += 1;
                }
            }
            let mut notes = Vec::new();
            if failed > 0 {
                notes.push(format!("✗ {failed} failed"));
            }
            if missed > 0 {
                notes.push(format!("! {missed} missed"));
            }
            if overlaps > 0 {
                notes.push(format!(
                    "⚠ {}",
                    display::count(overlaps, "overlap", "overlaps")
                ));
            }
            let weekday = zones_weekday(c.date) as usize;
            let label = format!(
                "{} {} {}: {} scheduled",
                WEEKDAY_NAMES.get(weekday).copied().unwrap_or("?"),
                c.date.day(),
                MONTHS.get(c.date.month0() as usize).copied().unwrap_or("?"),
                c.chips.len()
            );
            MonthCell {
                at: c.date,
                date: iso_date(c.date),
                day: c.date.day(),
                in_month: c.in_month,
                today: Some(c.date) == today,
                chips,
                more,
                more_text: (more > 0).then(|| format!("+{more} more")),
                notes,
                label,
            }
        })
        .collect();
    let (from, to) = match (grid.cells.first(), grid.cells.last()) {
        (Some(f), Some(l)) => (f.start, l.end),
        _ => (0, 0),
    };
    let lo = cal.occurrences.partition_point(|o| o.start < from);
    let hi = cal.occurrences.partition_point(|o| o.start < to);
    MonthView {
        weekdays: (0..7).map(display::weekday_name).collect(),
        cells,
        overlaps: occurrence::overlap_list(cal, from, to),
        legend: occurrence::legend(cal.occurrences.get(lo..hi).unwrap_or(&[])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn lanes_use_visible_lengths() {
        // 02:00, 02:15, 02:20 and 02:30 each drawn 30 min tall, then 04:00 alone.
        let spans = [
            Span {
                start: 120,
                end: 150,
            },
            Span {
                start: 135,
                end: 165,
            },
            Span {
                start: 140,
                end: 170,
            },
            Span {
                start: 150,
                end: 180,
            },
            Span {
                start: 240,
                end: 270,
            },
        ];
        assert_eq!(lanes(&spans), [(0, 3), (1, 3), (2, 3), (0, 3), (0, 1)]);
        assert_eq!(lanes(&[]), []);
    }

    #[test]
    fn hour_ranges() {
        let s = |start, end| Span { start, end };
        assert_eq!(hour_range([].into_iter()), (0, 24), "empty: the whole day");
        assert_eq!(
            hour_range([s(120, 150), s(450, 480)].into_iter()),
            (1, 9),
            "02:00–08:00 padded by an hour"
        );
        assert_eq!(
            hour_range([s(240, 270)].into_iter()),
            (3, 11),
            "at least 8 hours: later hours first"
        );
        assert_eq!(
            hour_range([s(1380, 1440)].into_iter()),
            (16, 24),
            "then upwards"
        );
        assert_eq!(hour_range([s(0, 1440)].into_iter()), (0, 24));
    }

    #[test]
    fn month_steps_land_on_the_first() {
        assert_eq!(
            step(Mode::Month, date(2026, 1, 31), 1),
            Some(date(2026, 2, 1))
        );
        assert_eq!(
            step(Mode::Month, date(2026, 1, 31), -1),
            Some(date(2025, 12, 1))
        );
        assert_eq!(
            step(Mode::Month, date(2026, 12, 5), 13),
            Some(date(2028, 1, 1))
        );
        assert_eq!(
            step(Mode::Week, date(2026, 12, 29), 1),
            Some(date(2027, 1, 5))
        );
        assert_eq!(
            step(Mode::Week, NaiveDate::MAX, 1),
            None,
            "no panic at the end"
        );
        assert_eq!(step(Mode::Month, NaiveDate::MAX, 1), None);
    }

    #[test]
    fn titles() {
        assert_eq!(
            week_title(date(2026, 5, 18), date(2026, 5, 24)),
            "18–24 May 2026"
        );
        assert_eq!(
            week_title(date(2026, 4, 27), date(2026, 5, 3)),
            "27 Apr – 3 May 2026"
        );
        assert_eq!(
            week_title(date(2025, 12, 29), date(2026, 1, 4)),
            "29 Dec 2025 – 4 Jan 2026"
        );
        assert_eq!(month_title(2026, 5), "May 2026");
        assert_eq!(month_title(2026, 13), "? 2026");
        assert_eq!(iso_date(date(812, 3, 9)), "0812-03-09");
    }
}
