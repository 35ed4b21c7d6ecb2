//! The agenda: upcoming and in-progress occurrences grouped by local day, settled past ones
//! left out, shared rows for one start, kind and source, the window of the compact layout
//! (today and tomorrow) and the empty texts.

mod health_support;

use std::rc::Rc;

use backwatch_core::calendar::{Calendar, Occurrence, Outcome};
use backwatch_core::health::{EstDuration, JobRef};
use backwatch_core::model::{Epoch, JobKind};
use backwatch_core::time::{FixedOffset, Utc};
use backwatch_core::view::agenda::{self, AgendaView, COMPACT_DAYS, FULL_DAYS, agenda_layout};
use health_support::*;

const M: i64 = 60;
/// Monday 2024-01-01 10:00 UTC.
const NOW: Epoch = MON + 10 * H;

fn occ(
    label: &str,
    kind: JobKind,
    start: Epoch,
    minutes: i64,
    outcome: Option<Outcome>,
) -> Occurrence {
    Occurrence {
        job: Rc::new(JobRef {
            source: Some(pbs()),
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
        outcome,
        overlaps: Vec::new(),
    }
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

/// (time, code, label, when, outcome, in progress) of one agenda item.
type Item<'a> = (&'a str, &'a str, &'a str, &'a str, Option<&'a str>, bool);

/// (heading, items) per day.
fn rows(v: &AgendaView) -> Vec<(&str, Vec<Item<'_>>)> {
    v.days
        .iter()
        .map(|d| {
            (
                d.heading.as_str(),
                d.items
                    .iter()
                    .map(|i| {
                        (
                            i.occ.time.as_str(),
                            i.occ.kind.code,
                            i.occ.label.as_str(),
                            i.when.as_str(),
                            i.occ.outcome.map(|o| o.text),
                            i.in_progress,
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

fn sample() -> Calendar {
    cal(vec![
        // Since yesterday 23:00, still within its 12-hour estimate.
        occ("long verify", JobKind::Verify, MON - H, 12 * 60, None),
        occ("done", JobKind::Backup, MON + 2 * H, 30, Some(Outcome::Ok)),
        occ(
            "failed",
            JobKind::Backup,
            MON + 9 * H + 50 * M,
            60,
            Some(Outcome::Failed),
        ),
        occ(
            "nightly",
            JobKind::Backup,
            MON + 9 * H + 30 * M,
            60,
            Some(Outcome::Running),
        ),
        occ("weekly", JobKind::Sync, MON + 9 * H + 50 * M, 30, None),
        occ("over", JobKind::Prune, MON + 9 * H, 10, None),
        occ("prune", JobKind::Prune, MON + 12 * H, 10, None),
        occ("a", JobKind::Dump, MON + D + 2 * H, 5, None),
        occ("b", JobKind::Dump, MON + D + 2 * H, 5, None),
        occ(
            "gc",
            JobKind::GarbageCollection,
            MON + 2 * D + 3 * H,
            30,
            None,
        ),
    ])
}

#[test]
fn today_and_tomorrow_grouped_by_day() {
    let c = sample();
    let (_, to) = agenda::window(NOW, &Utc, COMPACT_DAYS).unwrap();
    assert_eq!(to, MON + 2 * D, "to the end of tomorrow");
    let v = agenda_layout(&c, NOW, &Utc, COMPACT_DAYS, to);
    assert_eq!(
        rows(&v),
        vec![
            (
                "Today · Mon 1 Jan",
                vec![
                    ("23:00", "VFY", "long verify", "due 11 h ago", None, true),
                    (
                        "09:30",
                        "BKP",
                        "nightly",
                        "30 min ago",
                        Some("running"),
                        true
                    ),
                    ("09:50", "SYN", "weekly", "due 10 min ago", None, true),
                    ("12:00", "PRN", "prune", "in 2 h", None, false),
                ]
            ),
            (
                "Tomorrow · Tue 2 Jan",
                vec![("02:00", "DMP", "2 × a, b", "in 16 h", None, false)]
            ),
        ],
        "settled (ok, failed) and finished occurrences are left out; Wednesday is past the window"
    );
    assert_eq!(v.days[1].date, "2024-01-02");
    assert_eq!(v.days[1].items[0].occ.count, 2);
    assert_eq!((v.hidden, v.empty.clone()), (0, None));
}

#[test]
fn a_week_and_a_display_zone() {
    let plus2 = FixedOffset::east(2 * 3_600).unwrap();
    let c = sample();
    let (_, to) = agenda::window(NOW, &plus2, FULL_DAYS).unwrap();
    // Mon 12:00 local + 7 days: up to Mon 8 Jan 00:00 local = Sun 7 Jan 22:00 UTC.
    assert_eq!(to, MON + 7 * D - 2 * H);
    let v = agenda_layout(&c, NOW, &plus2, FULL_DAYS, to);
    let headings: Vec<&str> = v.days.iter().map(|d| d.heading.as_str()).collect();
    assert_eq!(
        headings,
        ["Today · Mon 1 Jan", "Tomorrow · Tue 2 Jan", "Wed 3 Jan"]
    );
    assert_eq!(v.days[2].items[0].occ.time, "05:00");
    assert_eq!(v.days[2].items[0].occ.datetime, "2024-01-03T05:00:00+02:00");
}

#[test]
fn empty_agendas_say_so() {
    let v = agenda_layout(&cal(vec![]), NOW, &Utc, COMPACT_DAYS, NOW + D);
    assert_eq!(
        v.empty.as_deref(),
        Some("Nothing scheduled today or tomorrow")
    );
    let v = agenda_layout(&cal(vec![]), NOW, &Utc, FULL_DAYS, NOW + D);
    assert_eq!(
        v.empty.as_deref(),
        Some("Nothing scheduled in the next 7 days")
    );
    let v = agenda_layout(&cal(vec![]), NOW, &Utc, 1, NOW + D);
    assert_eq!(v.empty.as_deref(), Some("Nothing scheduled today"));
}

#[test]
fn rows_are_capped() {
    let c = cal((0..300)
        .map(|i| occ("s", JobKind::Sync, NOW + (i + 1) * M, 1, None))
        .collect());
    let v = agenda_layout(&c, NOW, &Utc, COMPACT_DAYS, MON + 2 * D);
    let shown: usize = v.days.iter().map(|d| d.items.len()).sum();
    assert_eq!(
        (shown, v.hidden),
        (agenda::MAX_ITEMS, 300 - agenda::MAX_ITEMS)
    );
}

#[test]
fn from_an_assessment() {
    let c = config("[services.a]\nguests = [\"ct/101\"]\n");
    let s = states(
        &c,
        vec![collected(
            &pve(),
            NOW,
            Ok(data(
                vec![],
                vec![pve_job("nightly", "03:10", vec![ct(101)])],
            )),
        )],
    );
    let a = assess(&c, &s, NOW);
    let v = agenda::agenda(&a, NOW, &Utc, COMPACT_DAYS);
    assert_eq!(
        rows(&v),
        vec![(
            "Tomorrow · Tue 2 Jan",
            vec![("03:10", "BKP", "nightly", "in 17 h", None, false)]
        )]
    );
}
