//! Week and month grids: day columns in a display zone, blocks by start minute and
//! duration, midnight splits, lanes, week start, DST weeks, 6 × 7 month cells.

// Tables use tuple rows.
#![allow(clippy::type_complexity)]

mod health_support;

use std::rc::Rc;

use backwatch_core::calendar::{
    self, Block, Calendar, DEFAULT_WEEK_START, Occurrence, month_grid, week_grid,
};
use backwatch_core::health::{EstDuration, JobRef};
use backwatch_core::model::{Epoch, JobKind};
use backwatch_core::time::Utc;
use chrono::Weekday;
use health_support::*;

fn occ(id: &str, start: Epoch, minutes: i64) -> Occurrence {
    Occurrence {
        job: Rc::new(JobRef {
            source: Some(pbs()),
            id: id.into(),
            label: id.into(),
            kind: JobKind::GarbageCollection,
        }),
        job_index: 0,
        start,
        end: start + minutes * 60,
        duration: EstDuration {
            secs: minutes * 60,
            from_runs: false,
        },
        outcome: None,
        overlaps: Vec::new(),
    }
}

fn cal(mut occurrences: Vec<Occurrence>) -> Calendar {
    occurrences.sort_by_key(|o| o.start);
    Calendar {
        from: 0,
        to: i64::MAX,
        occurrences,
        truncated: Vec::new(),
    }
}

fn blocks(b: &[Block]) -> Vec<(usize, u32, u32, u16, u16, bool, bool)> {
    b.iter()
        .map(|b| {
            (
                b.occurrence,
                b.top_minute,
                b.minutes,
                b.lane,
                b.lanes,
                b.continued,
                b.continues,
            )
        })
        .collect()
}

#[test]
fn week_columns_blocks_and_lanes() {
    let c = cal(vec![
        occ("a", MON + 2 * H, 60),            // Mon 02:00-03:00
        occ("b", MON + 2 * H + 30 * 60, 60),  // Mon 02:30-03:30, overlaps a
        occ("c", MON + 4 * H, 30),            // Mon 04:00-04:30, alone
        occ("d", MON + 23 * H + 30 * 60, 90), // Mon 23:30 → Tue 01:00
        occ("e", MON + 6 * D + 12 * H, 0),    // Sun noon, zero length
    ]);
    // Any instant of the week (Wednesday) gives Monday to Sunday.
    let w = week_grid(&c, MON + 2 * D + 5, &Utc, DEFAULT_WEEK_START);
    let dates: Vec<String> = w.days.iter().map(|d| d.date.to_string()).collect();
    assert_eq!(
        dates,
        [
            "2024-01-01",
            "2024-01-02",
            "2024-01-03",
            "2024-01-04",
            "2024-01-05",
            "2024-01-06",
            "2024-01-07"
        ]
    );
    assert_eq!(
        blocks(&w.days[0].blocks),
        [
            (0, 120, 60, 0, 2, false, false),
            (1, 150, 60, 1, 2, false, false),
            (2, 240, 30, 0, 1, false, false),
            (3, 1410, 30, 0, 1, false, true),
        ]
    );
    assert_eq!(blocks(&w.days[1].blocks), [(3, 0, 60, 0, 1, true, false)]);
    assert_eq!(blocks(&w.days[6].blocks), [(4, 720, 1, 0, 1, false, false)]);
    assert_eq!(
        calendar::week_range(MON + 2 * D, &Utc, DEFAULT_WEEK_START),
        Some((MON, MON + 7 * D))
    );
}

#[test]
fn weeks_may_start_on_sunday() {
    let c = cal(vec![]);
    let w = week_grid(&c, MON + 2 * D, &Utc, Weekday::Sun);
    assert_eq!(w.days[0].date.to_string(), "2023-12-31");
    assert_eq!(w.days.len(), 7);
}

#[cfg(feature = "tzdb")]
#[test]
fn a_dst_week_in_berlin() {
    use backwatch_core::time::NamedZone;
    let berlin = NamedZone::by_name("Europe/Berlin").unwrap();
    // 2024-03-31: 02:00 CET → 03:00 CEST at 01:00Z. 03:30 CEST is 01:30Z.
    let spring = 1_711_843_200; // 2024-03-31T00:00Z
    let c = cal(vec![occ("x", spring + 90 * 60, 30)]);
    let w = week_grid(&c, spring, &berlin, DEFAULT_WEEK_START);
    let sunday = &w.days[6];
    assert_eq!(sunday.date.to_string(), "2024-03-31");
    assert_eq!(sunday.end - sunday.start, 23 * H);
    assert_eq!(blocks(&sunday.blocks), [(0, 210, 30, 0, 1, false, false)]);
    assert_eq!(w.days[0].date.to_string(), "2024-03-25");
}

#[test]
fn month_cells() {
    let c = cal(vec![
        occ("a", MON + 2 * H, 30),
        occ("b", MON + 2 * H + 60, 30),
        occ("c", MON + 31 * D + 2 * H, 30), // 2024-02-01
    ]);
    let m = month_grid(&c, 2024, 1, &Utc, DEFAULT_WEEK_START);
    assert_eq!(m.cells.len(), 42);
    assert_eq!(m.cells[0].date.to_string(), "2024-01-01");
    assert_eq!(m.cells.iter().filter(|c| c.in_month).count(), 31);
    assert_eq!(m.cells[0].chips, [0, 1]);
    assert_eq!(m.cells[31].chips, [2]);
    assert!(!m.cells[31].in_month);
    // February 2024 starts on a Thursday: the grid starts on Monday 2024-01-29.
    let f = month_grid(&c, 2024, 2, &Utc, DEFAULT_WEEK_START);
    assert_eq!(f.cells[0].date.to_string(), "2024-01-29");
    assert_eq!(f.cells[3].chips, [2]);
    assert_eq!(
        calendar::month_range(2024, 2, &Utc, DEFAULT_WEEK_START),
        Some((MON + 28 * D, MON + 70 * D))
    );
    assert!(
        month_grid(&c, 2024, 13, &Utc, DEFAULT_WEEK_START)
            .cells
            .is_empty()
    );
    assert_eq!(
        calendar::month_range(2024, 0, &Utc, DEFAULT_WEEK_START),
        None
    );
}
