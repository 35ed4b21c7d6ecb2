//! The calendar tab's view-models: navigation (steps, windows and titles, across the DST
//! weeks of Europe/Berlin), week block geometry (per-mille of the shown hours, lanes by
//! visible length, midnight splits, the now line), grouping, overlap flags and sentences,
//! the block cap, and month chips with "+N more" and notes.

// Tables use tuple rows.
#![allow(clippy::type_complexity)]

mod health_support;

use std::rc::Rc;

use backwatch_core::calendar::{Calendar, Occurrence, Outcome};
use backwatch_core::health::{Assessment, EstDuration, JobRef};
use backwatch_core::model::{Coverage, Epoch, JobKind, PbsLocation, ScheduleSpec, SourceId};
use backwatch_core::time::Utc;
use backwatch_core::view::calendar::{
    self as vm, MAX_BLOCKS_PER_DAY, Mode, NaiveDate, WeekView, month_layout, week_layout,
};
use health_support::*;

const M: i64 = 60;

fn occ(
    source: Option<SourceId>,
    label: &str,
    kind: JobKind,
    start: Epoch,
    minutes: i64,
) -> Occurrence {
    Occurrence {
        job: Rc::new(JobRef {
            source,
            id: label.into(),
            label: label.into(),
            kind,
        }),
        job_index: 0,
        start,
        end: start + minutes * M,
        duration: EstDuration {
            secs: minutes * M,
            from_runs: false,
        },
        outcome: None,
        overlaps: Vec::new(),
    }
}

fn pbs_occ(label: &str, kind: JobKind, start: Epoch, minutes: i64) -> Occurrence {
    occ(Some(pbs()), label, kind, start, minutes)
}

fn cal(mut occurrences: Vec<Occurrence>) -> Calendar {
    occurrences.sort_by_key(|o| o.start);
    Calendar {
        from: 0,
        to: Epoch::MAX,
        occurrences,
        truncated: Vec::new(),
    }
}

/// Marks occurrences `i` and `k` (indices after sorting) as overlapping.
fn overlap(c: &mut Calendar, i: usize, k: usize) {
    c.occurrences[i].overlaps.push(k);
    c.occurrences[k].overlaps.push(i);
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// (day, time, kind, label, top, height, left, width, continued, continues) per block.
fn blocks(w: &WeekView) -> Vec<(&str, &str, &str, &str, u32, u32, u32, u32, bool, bool)> {
    w.days
        .iter()
        .flat_map(|d| {
            d.blocks.iter().map(move |b| {
                (
                    d.label.as_str(),
                    b.occ.time.as_str(),
                    b.occ.kind.key,
                    b.occ.label.as_str(),
                    b.top.0,
                    b.height.0,
                    b.left.0,
                    b.width.0,
                    b.continued,
                    b.continues,
                )
            })
        })
        .collect()
}

#[test]
fn week_blocks_are_placed_in_per_mille_of_the_shown_hours() {
    // Mon 03:00 GC (30 min) overlapping Mon 03:10 backup (1 h); Tue 02:00 dump (5 min,
    // drawn 20); Sun 23:30 prune (1 h) running into next Monday.
    let mut c = cal(vec![
        pbs_occ("GC store1", JobKind::GarbageCollection, MON + 3 * H, 30),
        occ(
            Some(pve()),
            "nightly",
            JobKind::Backup,
            MON + 3 * H + 10 * M,
            60,
        ),
        pbs_occ("db", JobKind::Dump, MON + D + 2 * H, 5),
        pbs_occ("p", JobKind::Prune, MON + 6 * D + 23 * H + 30 * M, 60),
    ]);
    overlap(&mut c, 0, 1);
    let now = MON + 3 * H + 20 * M;
    let w = week_layout(&c, MON + 2 * D, now, &Utc);
    // Shown hours: 02:00 (minus an hour) to the end of the day: 1380 minutes.
    assert_eq!((w.first_hour, w.end_hour), (1, 24));
    assert_eq!(
        blocks(&w),
        vec![
            // (180 - 60) / 1380 = 86.9 ‰, 30 / 1380 = 21.7 ‰; two lanes.
            (
                "Mon 1",
                "03:00",
                "gc",
                "GC store1",
                86,
                21,
                0,
                500,
                false,
                false
            ),
            (
                "Mon 1", "03:10", "backup", "nightly", 94, 43, 500, 500, false, false
            ),
            // 5 minutes are drawn as 20.
            (
                "Tue 2", "02:00", "dump", "db", 43, 14, 0, 1000, false, false
            ),
            // Cut at midnight, continues into the next week.
            (
                "Sun 7", "23:30", "prune", "p", 978, 21, 0, 1000, false, true
            ),
        ]
    );
    let now_mark = w.now.as_ref().unwrap();
    assert_eq!(
        (
            now_mark.day,
            now_mark.top.0,
            now_mark.time.as_str(),
            now_mark.datetime.as_str()
        ),
        (0, 101, "03:20", "2024-01-01T03:20:00+00:00")
    );
    assert_eq!(w.hours.len(), 23);
    assert_eq!((w.hours[0].label.as_str(), w.hours[0].top.0), ("01:00", 0));
    assert_eq!((w.hours[1].label.as_str(), w.hours[1].top.0), ("02:00", 43));
    let days: Vec<(&str, &str, bool)> = w
        .days
        .iter()
        .map(|d| (d.date.as_str(), d.label.as_str(), d.today))
        .collect();
    assert_eq!(days[0], ("2024-01-01", "Mon 1", true));
    assert_eq!(days[6], ("2024-01-07", "Sun 7", false));
    assert_eq!(w.overlaps, ["GC “GC store1” during backup “nightly”"]);
    let gc = &w.days[0].blocks[0].occ;
    assert_eq!(gc.overlaps, ["GC “GC store1” during backup “nightly”"]);
    assert_eq!(gc.datetime, "2024-01-01T03:00:00+00:00");
    let keys: Vec<&str> = w.legend.iter().map(|k| k.key).collect();
    assert_eq!(keys, ["backup", "dump", "prune", "gc"]);
    assert_eq!(w.hidden, 0);
}

#[test]
fn the_next_week_has_no_now_line_and_a_compact_range() {
    let c = cal(vec![
        pbs_occ("GC", JobKind::GarbageCollection, MON + 7 * D + 3 * H, 30),
        pbs_occ("prune", JobKind::Prune, MON + 8 * D + 5 * H, 10),
    ]);
    let w = week_layout(&c, MON + 7 * D, MON + 3 * H, &Utc);
    assert!(w.now.is_none());
    // 03:00–05:20 padded by an hour, then grown to 8 hours.
    assert_eq!((w.first_hour, w.end_hour), (2, 10));
    assert_eq!(
        blocks(&w),
        vec![
            // (180 - 120) / 480 = 125 ‰; 30 / 480 = 62.5 ‰.
            ("Mon 8", "03:00", "gc", "GC", 125, 62, 0, 1000, false, false),
            (
                "Tue 9", "05:00", "prune", "prune", 375, 41, 0, 1000, false, false
            ),
        ]
    );
    assert_eq!(w.days[0].blocks[0].top.css(), "12.5%");
    assert_eq!(w.days[0].blocks[0].height.css(), "6.2%");
}

#[test]
fn an_empty_week_shows_the_whole_day_and_the_full_legend() {
    let w = week_layout(&cal(vec![]), MON + 7 * D, MON, &Utc);
    assert_eq!((w.first_hour, w.end_hour, w.hours.len()), (0, 24, 24));
    assert_eq!(w.days.len(), 7);
    assert!(w.days.iter().all(|d| d.blocks.is_empty()));
    assert_eq!(w.legend.len(), 9);
}

#[test]
fn same_start_kind_and_source_share_one_block_with_the_worst_outcome() {
    let mut a = pbs_occ("homelab-pg", JobKind::Dump, MON + 2 * H, 8);
    a.outcome = Some(Outcome::Ok);
    let mut b = pbs_occ("hass-mariadb", JobKind::Dump, MON + 2 * H, 7);
    b.outcome = Some(Outcome::Failed);
    let c2 = pbs_occ("gitea", JobKind::Dump, MON + 2 * H, 3);
    let other_source = occ(Some(pve()), "pve dump", JobKind::Dump, MON + 2 * H, 3);
    let c = cal(vec![a, b, c2, other_source]);
    let w = week_layout(&c, MON, MON + 12 * H, &Utc);
    let mon = &w.days[0].blocks;
    assert_eq!(mon.len(), 2, "the PVE one is another source");
    let g = &mon[0].occ;
    assert_eq!(g.count, 3);
    assert_eq!(g.label, "3 × homelab-pg, hass-mariadb, gitea");
    assert_eq!(g.outcome.map(|o| o.key), Some("failed"));
    assert_eq!((g.time.as_str(), g.end_time.as_str()), ("02:00", "02:08"));
    assert_eq!(
        g.title,
        "3 × Database dump · PBS pbs · Mon 1 Jan 02:00–02:08 (~8 min)\n\
         homelab-pg (~8 min) ✓ ok\nhass-mariadb (~7 min) ✗ failed\ngitea (~3 min)"
    );
    assert_eq!(
        (mon[0].left.0, mon[1].left.0, mon[1].width.0),
        (0, 500, 500)
    );
    assert_eq!(mon[1].occ.count, 1);
}

#[test]
fn a_minutely_job_is_capped_per_day() {
    let c = cal((0..200)
        .map(|i| pbs_occ("sync", JobKind::Sync, MON + i * M, 1))
        .collect());
    let w = week_layout(&c, MON, MON, &Utc);
    assert_eq!(w.days[0].blocks.len(), MAX_BLOCKS_PER_DAY);
    assert_eq!(w.hidden, 200 - MAX_BLOCKS_PER_DAY);
    // Each drawn 20 minutes tall, one a minute: 20 lanes side by side.
    assert_eq!(w.days[0].blocks[0].width.0, 50);
}

#[test]
fn navigation_steps_titles_and_today() {
    let now = MON + 2 * D + 12 * H; // Wed 3 Jan 2024
    let today = vm::today(now, &Utc).unwrap();
    assert_eq!(today, date(2024, 1, 3));
    let n = vm::nav(Mode::Week, today, now, &Utc);
    assert_eq!(
        (n.title.as_str(), n.prev, n.next, n.today, n.at_today),
        (
            "1–7 Jan 2024",
            Some("Previous week"),
            Some("Next week"),
            Some("This week"),
            true
        )
    );
    let prev = vm::step(Mode::Week, today, -1).unwrap();
    let n = vm::nav(Mode::Week, prev, now, &Utc);
    assert_eq!((n.title.as_str(), n.at_today), ("25–31 Dec 2023", false));
    let m = vm::nav(Mode::Month, today, now, &Utc);
    assert_eq!(
        (m.title.as_str(), m.prev, m.today, m.at_today),
        (
            "January 2024",
            Some("Previous month"),
            Some("This month"),
            true
        )
    );
    let next_month = vm::step(Mode::Month, today, 1).unwrap();
    assert_eq!(next_month, date(2024, 2, 1));
    assert_eq!(
        vm::nav(Mode::Month, next_month, now, &Utc).title,
        "February 2024"
    );
    let a = vm::nav(Mode::Agenda, today, now, &Utc);
    assert_eq!(
        (a.title.as_str(), a.prev, a.next),
        ("Next 7 days", None, None)
    );
    assert_eq!(
        vm::window(Mode::Week, today, &Utc),
        Some((MON, MON + 7 * D))
    );
    // January 2024: Mon 1 Jan to Sun 11 Feb (6 weeks).
    assert_eq!(
        vm::window(Mode::Month, today, &Utc),
        Some((MON, MON + 42 * D))
    );
    let keys: Vec<(&str, &str)> = vm::MODES.iter().map(|m| (m.key(), m.label())).collect();
    assert_eq!(
        keys,
        [("week", "Week"), ("month", "Month"), ("agenda", "Agenda")]
    );
}

#[cfg(feature = "tzdb")]
mod berlin {
    use super::*;
    use backwatch_core::schedule::Schedule;
    use backwatch_core::time::NamedZone;

    /// 2026-03-29: clocks go from 02:00 to 03:00 in Berlin; 2026-10-25: 03:00 back to 02:00.
    #[test]
    fn week_and_month_windows_across_dst() {
        let berlin = NamedZone::by_name("Europe/Berlin").unwrap();
        // Mon 23 Mar 00:00 CET = 22 Mar 23:00 UTC; Mon 30 Mar 00:00 CEST = 29 Mar 22:00 UTC.
        let (from, to) = vm::window(Mode::Week, date(2026, 3, 25), &berlin).unwrap();
        assert_eq!((from, to), (1_774_220_400, 1_774_821_600));
        assert_eq!(to - from, 167 * H, "the spring week is an hour short");
        let (from, to) = vm::window(Mode::Week, date(2026, 10, 21), &berlin).unwrap();
        assert_eq!(to - from, 169 * H, "the autumn week an hour long");
        // Stepping keeps Monday-based weeks and titles across the change.
        let next = vm::step(Mode::Week, date(2026, 3, 25), 1).unwrap();
        assert_eq!(next, date(2026, 4, 1));
        let now = 1_774_220_400 + 12 * H;
        assert_eq!(
            vm::nav(Mode::Week, next, now, &berlin).title,
            "30 Mar – 5 Apr 2026"
        );
        assert_eq!(
            vm::nav(Mode::Week, date(2026, 3, 29), now, &berlin).title,
            "23–29 Mar 2026"
        );
        // March 2026: Mon 23 Feb 00:00 CET to Mon 6 Apr 00:00 CEST.
        let (from, to) = vm::window(Mode::Month, date(2026, 3, 10), &berlin).unwrap();
        assert_eq!((from, to), (1_771_801_200, 1_775_426_400));
    }

    #[test]
    fn a_daily_job_sits_at_the_same_wall_clock_height_every_day_of_a_dst_week() {
        let berlin = NamedZone::by_name("Europe/Berlin").unwrap();
        let (from, to) = vm::window(Mode::Week, date(2026, 3, 25), &berlin).unwrap();
        let s = Schedule::parse_calendar("04:00").unwrap();
        let c = cal(s
            .occurrences(from, to, &berlin)
            .map(|t| pbs_occ("prune", JobKind::Prune, t, 10))
            .collect());
        let w = week_layout(&c, from, from, &berlin);
        let tops: Vec<u32> = w.days.iter().map(|d| d.blocks[0].top.0).collect();
        assert!(tops.iter().all(|t| *t == tops[0]), "{tops:?}");
        let stamps: Vec<&str> = w
            .days
            .iter()
            .map(|d| d.blocks[0].occ.datetime.as_str())
            .collect();
        assert_eq!(stamps[5], "2026-03-28T04:00:00+01:00");
        assert_eq!(stamps[6], "2026-03-29T04:00:00+02:00");
    }
}

/// The health tests' lab: a PBS set of ct/101 in store1, PBS jobs, PVE jobs.
fn lab(now: Epoch, pbs_jobs: Vec<backwatch_core::model::Job>) -> Assessment {
    let c = config("[services.a]\nguests = [\"ct/101\"]\n");
    let mut s1 = set(&pbs(), ct(101), vec![ok(now - D)]);
    s1.location = Some(PbsLocation {
        datastore: "store1".into(),
        namespace: String::new(),
    });
    let s = states(
        &c,
        vec![
            collected(&pbs(), now, Ok(data(vec![s1], pbs_jobs))),
            collected(
                &pve(),
                now,
                Ok(data(
                    vec![],
                    vec![pve_job("nightly", "03:10", vec![ct(101)])],
                )),
            ),
        ],
    );
    assess(&c, &s, now)
}

fn store1() -> Coverage {
    Coverage::Datastore {
        store: "store1".into(),
        namespace: None,
    }
}

#[test]
fn gc_during_a_backup_is_flagged_in_the_week_from_an_assessment() {
    let now = MON + 12 * H;
    let a = lab(
        now,
        vec![job(
            &pbs(),
            "gc:store1",
            JobKind::GarbageCollection,
            Some(ScheduleSpec::Calendar("sat 03:00".into())),
            store1(),
        )],
    );
    let w = vm::week_view(&a, date(2024, 1, 3), now, &Utc);
    let sat = &w.days[5];
    let flagged: Vec<(&str, &str, Vec<&str>)> = sat
        .blocks
        .iter()
        .map(|b| {
            (
                b.occ.kind.key,
                b.occ.time.as_str(),
                b.occ.overlaps.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        flagged,
        vec![
            (
                "gc",
                "03:00",
                vec!["GC “gc:store1” during backup “nightly”"]
            ),
            (
                "backup",
                "03:10",
                vec!["GC “gc:store1” during backup “nightly”"]
            ),
        ]
    );
    assert_eq!(w.overlaps, ["GC “gc:store1” during backup “nightly”"]);
    // Other days: the nightly backup alone.
    assert!(
        w.days[..5]
            .iter()
            .all(|d| d.blocks.len() == 1 && d.blocks[0].occ.overlaps.is_empty())
    );
}

#[test]
fn month_cells_have_three_chips_more_and_notes() {
    // Wed 3 Jan: five groups (two dumps share one chip); an overlap and outcomes.
    let day = MON + 2 * D;
    let mut occurrences = vec![
        pbs_occ("a", JobKind::Dump, day + H, 5),
        pbs_occ("b", JobKind::Dump, day + H, 5),
        pbs_occ("GC", JobKind::GarbageCollection, day + 2 * H, 30),
        occ(
            Some(pve()),
            "nightly",
            JobKind::Backup,
            day + 2 * H + 10 * M,
            30,
        ),
        pbs_occ("verify", JobKind::Verify, day + 5 * H, 60),
        pbs_occ("prune", JobKind::Prune, day + 6 * H, 10),
        pbs_occ("next day", JobKind::Prune, day + D + 6 * H, 10),
    ];
    occurrences[0].outcome = Some(Outcome::Ok);
    occurrences[1].outcome = Some(Outcome::Failed);
    occurrences[4].outcome = Some(Outcome::Missed);
    let mut c = cal(occurrences);
    overlap(&mut c, 2, 3);
    let m = month_layout(&c, 2024, 1, day + 12 * H, &Utc);
    assert_eq!(m.cells.len(), 42);
    assert_eq!(
        m.weekdays,
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    );
    let wed = &m.cells[2];
    assert_eq!(
        (wed.date.as_str(), wed.day, wed.in_month, wed.today),
        ("2024-01-03", 3, true, true)
    );
    let chips: Vec<(&str, &str, &str, usize, bool)> = wed
        .chips
        .iter()
        .map(|c| {
            (
                c.occ.kind.code,
                c.occ.time.as_str(),
                c.occ.label.as_str(),
                c.occ.count,
                !c.occ.overlaps.is_empty(),
            )
        })
        .collect();
    assert_eq!(
        chips,
        vec![
            ("DMP", "01:00", "2 × a, b", 2, false),
            ("GC", "02:00", "GC", 1, true),
            ("BKP", "02:10", "nightly", 1, true),
        ]
    );
    assert_eq!((wed.more, wed.more_text.as_deref()), (2, Some("+2 more")));
    assert_eq!(wed.notes, ["✗ 1 failed", "! 1 missed", "⚠ 2 overlaps"]);
    assert_eq!(wed.label, "Wednesday 3 January: 6 scheduled");
    let thu = &m.cells[3];
    assert_eq!(
        (thu.chips.len(), thu.more, thu.more_text.clone()),
        (1, 0, None)
    );
    assert!(thu.notes.is_empty());
    // January 2024 starts on a Monday; the trailing days of February are outside it.
    assert_eq!(m.cells[41].date, "2024-02-11");
    assert!(!m.cells[41].in_month);
    assert_eq!(m.overlaps, ["GC “GC” during backup “nightly”"]);
}
