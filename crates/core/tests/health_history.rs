//! The per-day history strip: a missed day between good ones, pruned history that must
//! not look missed, days after the last success, failed and running days, services, DST.

// Tables use tuple rows.
#![allow(clippy::type_complexity)]

mod health_support;

use backwatch_core::health::Assessment;
use backwatch_core::history::{self, DayState};
use backwatch_core::model::{Epoch, Run};
use backwatch_core::time::Utc;
use health_support::*;

/// "Today": Monday 2024-01-15, 10:00 UTC.
const TODAY: Epoch = MON + 14 * D;
const NOW: Epoch = TODAY + 10 * H;

/// The nightly (02:00 UTC) of `days_ago` days before today.
fn night(days_ago: i64) -> Epoch {
    TODAY - days_ago * D + 2 * H
}

fn assess_runs(runs: Vec<Run>) -> Assessment {
    let c = config("[services.a]\nguests = [\"ct/101\", \"ct/102\"]\n");
    let s = states(
        &c,
        vec![
            collected(
                &pbs(),
                NOW,
                Ok(data(
                    vec![
                        set(&pbs(), ct(101), runs),
                        set(&pbs(), ct(102), (0..10).map(|d| ok(night(d) + 5)).collect()),
                    ],
                    vec![],
                )),
            ),
            collected(
                &pve(),
                NOW,
                Ok(data(
                    vec![],
                    vec![pve_job("nightly", "02:00", vec![ct(101), ct(102)])],
                )),
            ),
        ],
    );
    assess(&c, &s, NOW)
}

fn strip(runs: Vec<Run>, days: u16) -> String {
    let a = assess_runs(runs);
    history::item_history(&a.services[0].items[0], NOW, &Utc, days)
        .iter()
        .map(|d| match d.state {
            DayState::Ok => 'o',
            DayState::Failed => 'F',
            DayState::Missed => 'M',
            DayState::Running => 'R',
            DayState::None => '.',
        })
        .collect()
}

#[test]
fn strips() {
    let cases: Vec<(&str, Vec<Run>, &str)> = vec![
        (
            "every night ok",
            (0..5).map(|d| ok(night(d) + 5)).collect(),
            "..ooooo",
        ),
        (
            "a missed day between good days",
            vec![0, 1, 3, 4, 5]
                .into_iter()
                .map(|d| ok(night(d) + 5))
                .collect(),
            ".oooMoo",
        ),
        (
            "pruned: three nights without any run are retention, not missed",
            vec![0, 1, 2, 6]
                .into_iter()
                .map(|d| ok(night(d) + 5))
                .collect(),
            "o...ooo",
        ),
        (
            "after the last success every night is missed",
            vec![3, 4, 5]
                .into_iter()
                .map(|d| ok(night(d) + 5))
                .collect(),
            ".oooMMM",
        ),
        (
            "a failed night, and a backup running now",
            vec![
                running(NOW - 60),
                failed(night(1) + 5),
                ok(night(2) + 5),
                ok(night(3) + 5),
            ],
            "...ooFR",
        ),
        (
            "today's occurrence still within grace is not missed yet",
            vec![ok(night(1) + 5), ok(night(2) + 5)],
            "....ooM",
        ),
    ];
    for (name, runs, want) in cases {
        assert_eq!(strip(runs, 7), want, "{name}");
    }
}

#[test]
fn grace_decides_today() {
    // At 04:00 the 02:00 occurrence is within grace: today is not missed yet.
    let c = config("[services.a]\nguests = [\"ct/101\"]\n");
    let at = TODAY + 4 * H;
    let s = states(
        &c,
        vec![
            collected(
                &pbs(),
                at,
                Ok(data(
                    vec![set(&pbs(), ct(101), vec![ok(night(1) + 5)])],
                    vec![],
                )),
            ),
            collected(
                &pve(),
                at,
                Ok(data(
                    vec![],
                    vec![pve_job("nightly", "02:00", vec![ct(101)])],
                )),
            ),
        ],
    );
    let a = assess(&c, &s, at);
    let days = history::item_history(&a.services[0].items[0], at, &Utc, 2);
    let states: Vec<DayState> = days.iter().map(|d| d.state).collect();
    assert_eq!(states, [DayState::Ok, DayState::None]);
    assert_eq!(days[1].date.to_string(), "2024-01-15");
    assert_eq!((days[1].start, days[1].end), (TODAY, TODAY + D));
}

#[test]
fn service_strip_is_the_worst_item_per_day() {
    let a = assess_runs(
        vec![0, 1, 3, 4, 5]
            .into_iter()
            .map(|d| ok(night(d) + 5))
            .collect(),
    );
    let days = history::service_history(&a.services[0], NOW, &Utc, 7);
    let s: String = days
        .iter()
        .map(|d| d.state.key().chars().next().unwrap())
        .collect();
    // ct/102 ran every night; ct/101 missed two nights ago.
    assert_eq!(s, "oooomoo");
    assert_eq!(days[4].state, DayState::Missed);
    assert_eq!((days[4].ok, days[4].missed), (1, 1));
}

#[cfg(feature = "tzdb")]
#[test]
fn days_follow_the_display_zone_across_dst() {
    use backwatch_core::time::NamedZone;
    let berlin = NamedZone::by_name("Europe/Berlin").unwrap();
    // 2024-10-27 (25 h) in Berlin, seen from 2024-10-28 12:00Z.
    let now = 1_730_116_800;
    let a = assess_runs(vec![]);
    let days = history::item_history(&a.services[0].items[0], now, &berlin, 3);
    let lengths: Vec<i64> = days.iter().map(|d| (d.end - d.start) / 3_600).collect();
    assert_eq!(lengths, [24, 25, 24]);
    assert_eq!(days[1].date.to_string(), "2024-10-27");
}
