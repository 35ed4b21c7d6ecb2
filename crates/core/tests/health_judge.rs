//! The rule for one item (`health::judge`), table-driven: every state it decides, the
//! precedence among them, the grace boundaries to the second, missed counts, the last-run
//! clock, two covering jobs, and DST days.

// Tables use tuple rows.
#![allow(clippy::type_complexity)]

mod health_support;

use backwatch_core::health::{
    Expectation, Facts, InFlightHint, MISSED_CAP, State, Unscheduled, Verdict, judge,
};
use backwatch_core::model::{Epoch, Run, RunOutcome, ScheduleClock, ScheduleSpec};
use backwatch_core::time::Utc;
use backwatch_core::zones::SharedZone;
use health_support::*;

/// Monday 2024-01-01 02:00 UTC: the daily job's occurrence.
const SLOT: Epoch = MON + 2 * H;
/// Grace of a daily job: 25 % of a day, capped at 3 h.
const GRACE: i64 = 3 * H;

struct Case {
    name: &'static str,
    runs: Vec<Run>,
    exps: Vec<Expectation>,
    now: Epoch,
    state: State,
    text: &'static str,
}

fn daily() -> Vec<Expectation> {
    vec![calendar("nightly", "02:00")]
}

fn facts<'a>(runs: &'a [Run], exps: &'a [Expectation], as_of: Epoch) -> Facts<'a> {
    Facts {
        runs,
        last_success: None,
        expectations: exps,
        in_flight: None,
        unscheduled: Unscheduled::NoJob,
        history_complete: true,
        as_of,
    }
}

fn check(cases: Vec<Case>) {
    let mut failures = Vec::new();
    for c in &cases {
        let v = judge(&facts(&c.runs, &c.exps, c.now), c.now);
        let got = (v.state(), v.to_string());
        if got != (c.state, c.text.to_owned()) {
            failures.push(format!(
                "{}: got {:?} {:?}, want {:?} {:?}",
                c.name, got.0, got.1, c.state, c.text
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn states_and_precedence() {
    check(vec![
        Case {
            name: "ok: the run of today's occurrence succeeded",
            runs: vec![ok(SLOT + 12), ok(SLOT - D + 12)],
            exps: daily(),
            now: SLOT + 10 * H,
            state: State::Ok,
            text: "ok, last backup 9 h ago",
        },
        Case {
            name: "ok: a run up to 15 min early still counts (clock skew)",
            runs: vec![ok(SLOT - 14 * 60)],
            exps: daily(),
            now: SLOT + 10 * H,
            state: State::Ok,
            text: "ok, last backup 10 h ago",
        },
        Case {
            name: "late: due, within grace",
            runs: vec![ok(SLOT - D + 12)],
            exps: daily(),
            now: SLOT + H,
            state: State::Late,
            text: "late: due 60 min ago, grace ends in 2 h; last backup 24 h ago",
        },
        Case {
            name: "missed: one run",
            runs: vec![ok(SLOT - D + 12)],
            exps: daily(),
            now: SLOT + 4 * H,
            state: State::Missed,
            text: "missed 1 run, last backup 27 h ago",
        },
        Case {
            name: "missed: counted over several periods",
            runs: vec![ok(SLOT - 3 * D + 12)],
            exps: daily(),
            now: SLOT + 4 * H,
            state: State::Missed,
            text: "missed 3 runs, last backup 3 d ago",
        },
        Case {
            name: "missed: the newest occurrence still within grace is not counted",
            runs: vec![ok(SLOT - 3 * D + 12)],
            exps: daily(),
            now: SLOT + H,
            state: State::Missed,
            text: "missed 2 runs, last backup 3 d ago",
        },
        Case {
            name: "failed: the latest run failed after a success",
            runs: vec![failed(SLOT + 30), ok(SLOT - D + 12)],
            exps: daily(),
            now: SLOT + 5 * H,
            state: State::Failed,
            text: "latest run failed 4 h ago: boom; last backup 28 h ago",
        },
        Case {
            name: "failed: known at once, before grace ends",
            runs: vec![failed(SLOT + 30), ok(SLOT - D + 12)],
            exps: daily(),
            now: SLOT + H,
            state: State::Failed,
            text: "latest run failed 59 min ago: boom; last backup 24 h ago",
        },
        Case {
            name: "missed beats an older failure: the next occurrence had no attempt",
            runs: vec![failed(SLOT - D + 30), ok(SLOT - 2 * D + 12)],
            exps: daily(),
            now: SLOT + 4 * H,
            state: State::Missed,
            text: "missed 2 runs, last backup 2 d ago; last attempt failed 27 h ago: boom",
        },
        Case {
            name: "failed beats running: a retry is in progress",
            runs: vec![running(SLOT + 2 * H), failed(SLOT + 30), ok(SLOT - D + 12)],
            exps: daily(),
            now: SLOT + 2 * H + 60,
            state: State::Failed,
            text: "latest run failed 2 h ago: boom; last backup 26 h ago; retry running",
        },
        Case {
            name: "failed without any success ever",
            runs: vec![failed(SLOT + 30)],
            exps: daily(),
            now: SLOT + H,
            state: State::Failed,
            text: "latest run failed 59 min ago: boom; never succeeded",
        },
        Case {
            name: "running is not a failure",
            runs: vec![running(SLOT + 10), ok(SLOT - D + 12)],
            exps: daily(),
            now: SLOT + H,
            state: State::Running,
            text: "backing up now (started 59 min ago), last backup 24 h ago",
        },
        Case {
            name: "running past grace, for the newest occurrence: still running",
            runs: vec![running(SLOT + 10), ok(SLOT - D + 12)],
            exps: daily(),
            now: SLOT + 5 * H,
            state: State::Running,
            text: "backing up now (started 4 h ago), last backup 28 h ago",
        },
        Case {
            name: "a run stuck since yesterday does not hide today's missed occurrence",
            // Yesterday's (stuck) and today's (no attempt): two runs without success.
            runs: vec![running(SLOT - D + 10), ok(SLOT - 2 * D + 12)],
            exps: daily(),
            now: SLOT + 4 * H,
            state: State::Missed,
            text: "missed 2 runs, last backup 2 d ago",
        },
        Case {
            name: "a run already running next to an ok backup",
            runs: vec![running(SLOT + 9 * H), ok(SLOT + 12)],
            exps: daily(),
            now: SLOT + 10 * H,
            state: State::Running,
            text: "backing up now (started 60 min ago), last backup 9 h ago",
        },
        Case {
            name: "first backup running",
            runs: vec![running(SLOT + 10)],
            exps: daily(),
            now: SLOT + H,
            state: State::Running,
            text: "first backup running (started 59 min ago)",
        },
        Case {
            name: "never: no run at all",
            runs: vec![],
            exps: daily(),
            now: SLOT + 10 * H,
            state: State::Never,
            text: "never backed up; expected by nightly",
        },
        Case {
            name: "missed without any success: counted from the first attempt",
            runs: vec![run(SLOT - 2 * D, RunOutcome::Cancelled)],
            exps: daily(),
            now: SLOT + 4 * H,
            state: State::Missed,
            text: "missed 3 runs, never backed up",
        },
        Case {
            name: "a cancelled run is neither success nor failure",
            runs: vec![run(SLOT + 60, RunOutcome::Cancelled), ok(SLOT - D + 12)],
            exps: daily(),
            now: SLOT + H,
            state: State::Late,
            text: "late: due 60 min ago, grace ends in 2 h; last backup 24 h ago",
        },
        Case {
            name: "unscheduled: backups but no schedule",
            runs: vec![ok(SLOT - 2 * D)],
            exps: vec![],
            now: SLOT,
            state: State::Unscheduled,
            text: "unscheduled: no backup job covers it; last backup 2 d ago",
        },
        Case {
            name: "never beats unscheduled",
            runs: vec![],
            exps: vec![],
            now: SLOT,
            state: State::Never,
            text: "never backed up; no backup job covers it",
        },
        Case {
            name: "failed beats unscheduled",
            runs: vec![failed(SLOT - H), ok(SLOT - 2 * D)],
            exps: vec![],
            now: SLOT,
            state: State::Failed,
            text: "latest run failed 60 min ago: boom; last backup 2 d ago",
        },
        Case {
            name: "running beats unscheduled",
            runs: vec![running(SLOT - 60)],
            exps: vec![],
            now: SLOT,
            state: State::Running,
            text: "first backup running (started 1 min ago)",
        },
    ]);
}

#[test]
fn grace_boundaries_to_the_second() {
    let runs = vec![ok(SLOT - D + 12)];
    let exps = daily();
    let cases: [(&str, Epoch, State); 5] = [
        ("at the occurrence", SLOT, State::Late),
        ("one second before", SLOT - 1, State::Ok),
        ("expected + grace - 1 s", SLOT + GRACE - 1, State::Late),
        ("expected + grace", SLOT + GRACE, State::Missed),
        ("expected + grace + 1 s", SLOT + GRACE + 1, State::Missed),
    ];
    for (name, now, want) in cases {
        let v = judge(&facts(&runs, &exps, now), now);
        assert_eq!(v.state(), want, "{name}: {v}");
    }
    // The data's own time decides, not the wall clock: data read one refresh ago.
    let now = SLOT + GRACE + 120;
    let v = judge(&facts(&runs, &exps, SLOT + GRACE - 180), now);
    assert_eq!(v.state(), State::Late, "as_of before grace ends: {v}");
}

#[test]
fn grace_for_other_periods() {
    // Hourly at :30: grace 15 min. Weekly: 25 % would be 42 h, capped at 3 h.
    let hourly = vec![calendar("hourly", "*:30")];
    let slot = MON + 10 * H + 30 * 60;
    let runs = vec![ok(slot - H + 5)];
    for (now, want) in [
        (slot + 15 * 60 - 1, State::Late),
        (slot + 15 * 60, State::Missed),
    ] {
        assert_eq!(judge(&facts(&runs, &hourly, now), now).state(), want);
    }
    let weekly = vec![calendar("weekly", "sat 10:00")];
    let sat = MON + 5 * D + 10 * H;
    let runs = vec![ok(sat - 7 * D + 5)];
    for (now, want) in [(sat + 3 * H - 1, State::Late), (sat + 3 * H, State::Missed)] {
        assert_eq!(judge(&facts(&runs, &weekly, now), now).state(), want);
    }
}

#[test]
fn missed_count_saturates() {
    let exps = vec![calendar("minutely", "minutely")];
    let runs = vec![ok(MON)];
    let now = MON + 2 * D;
    match judge(&facts(&runs, &exps, now), now) {
        Verdict::Missed { runs, .. } => assert_eq!(runs, MISSED_CAP),
        v => panic!("{v:?}"),
    }
    assert_eq!(
        judge(&facts(&[ok(MON)], &exps, now), now).to_string(),
        "missed 999+ runs, last backup 2 d ago"
    );
}

#[test]
fn two_jobs_take_the_most_recent_expectation() {
    // ct/102: nightly at 02:00 and a weekday job at 12:30, both to PBS.
    let exps = vec![
        calendar("nightly", "02:00"),
        calendar("weekdays", "mon..fri 12:30"),
    ];
    let runs = vec![ok(SLOT + 9)];
    let cases: [(&str, Epoch, &str); 4] = [
        ("before 12:30", MON + 12 * H, "ok"),
        ("12:30 passed, within grace", MON + 13 * H, "late"),
        ("12:30 + 3 h", MON + 15 * H + 30 * 60, "missed"),
        ("the next 02:00 makes two", MON + D + 5 * H, "missed"),
    ];
    for (name, now, want) in cases {
        let v = judge(&facts(&runs, &exps, now), now);
        assert_eq!(v.state().key(), want, "{name}: {v}");
    }
    match judge(&facts(&runs, &exps, MON + D + 5 * H), MON + D + 5 * H) {
        Verdict::Missed { runs, job, .. } => {
            assert_eq!((runs, job.label.as_str()), (2, "nightly"));
        }
        v => panic!("{v:?}"),
    }
    match judge(&facts(&runs, &exps, MON + 13 * H), MON + 13 * H) {
        Verdict::Late { job, expected, .. } => {
            assert_eq!(
                (job.label.as_str(), expected.at),
                ("weekdays", MON + 12 * H + 1800)
            );
        }
        v => panic!("{v:?}"),
    }
    // On Saturday only the nightly expects anything.
    let sat = MON + 5 * D + 12 * H;
    let v = judge(&facts(&[ok(MON + 5 * D + 2 * H + 9)], &exps, sat), sat);
    assert_eq!(v.state(), State::Ok, "{v}");
}

#[test]
fn last_run_clock_counts_from_the_last_run() {
    // Backrest `every = "6h"`, clock = "last-run": grace 25 % of 6 h = 90 min.
    let exps = vec![expect(
        "docker-volumes",
        ScheduleSpec::EveryHours(6),
        ScheduleClock::LastRunTime,
        SharedZone::new(Utc),
    )];
    let last = MON + 7 * H;
    let mut done = ok(last);
    done.end = Some(last + 100);
    let due = last + 100 + 6 * H;
    let cases: [(&str, Epoch, &str); 5] = [
        ("before due", due - 1, "ok, last backup 6 h ago"),
        (
            "due, within grace",
            due + 30 * 60,
            "late: due 30 min ago, grace ends in 60 min; last backup 6 h ago",
        ),
        (
            "grace over",
            due + 90 * 60,
            "missed 1 run, last backup 7 h ago",
        ),
        (
            "two periods",
            due + 6 * H + 90 * 60,
            "missed 2 runs, last backup 13 h ago",
        ),
        (
            "a day",
            due + 18 * H + 90 * 60,
            "missed 4 runs, last backup 25 h ago",
        ),
    ];
    for (name, now, want) in cases {
        let runs = [done.clone()];
        let v = judge(&facts(&runs, &exps, now), now);
        assert_eq!(v.to_string(), want, "{name}");
    }
    // Failing every 6 h is failed, never missed: each failure restarts the clock.
    let mut f = failed(last + 6 * H);
    f.end = Some(last + 6 * H + 60);
    let runs = [f, done.clone()];
    let now = last + 6 * H + 3 * H;
    assert_eq!(judge(&facts(&runs, &exps, now), now).state(), State::Failed);
    // Never ran: Backrest keeps pushing the first run out, so nothing is due.
    let now = MON + 30 * D;
    assert_eq!(judge(&facts(&[], &exps, now), now).state(), State::Never);
}

#[test]
fn queued_in_a_running_job() {
    let exps = daily();
    let runs = vec![ok(SLOT - D + 9)];
    let mut f = facts(&runs, &exps, SLOT + 4 * H);
    f.in_flight = Some(InFlightHint {
        since: SLOT,
        queued_in: Some(job_ref("nightly")),
    });
    let v = judge(&f, SLOT + 4 * H);
    assert_eq!(
        v.to_string(),
        "queued in running job nightly (started 4 h ago), last backup 27 h ago"
    );
}

#[cfg(feature = "tzdb")]
mod dst {
    use super::*;
    use backwatch_core::time::NamedZone;

    fn berlin(label: &str, spec: ScheduleSpec) -> Expectation {
        expect(
            label,
            spec,
            ScheduleClock::Local,
            SharedZone::new(NamedZone::by_name("Europe/Berlin").unwrap()),
        )
    }

    /// 2024-03-31 (spring forward at 01:00Z) and 2024-10-27 (fall back at 01:00Z).
    const SPRING: Epoch = 1_711_843_200; // 2024-03-31T00:00Z
    const FALL: Epoch = 1_729_987_200; // 2024-10-27T00:00Z

    #[test]
    fn a_0230_job_in_berlin_on_dst_days() {
        let cal = vec![berlin(
            "calendar 02:30",
            ScheduleSpec::Calendar("02:30".into()),
        )];
        let cron = vec![berlin("cron 30 2", ScheduleSpec::Cron("30 2 * * *".into()))];
        // The day before spring forward: 02:30 CET = 01:30Z.
        let sat = SPRING - D + 90 * 60;
        let cases: Vec<(&str, &[Expectation], Vec<Run>, Epoch, &str)> = vec![
            (
                "spring, calendar: no 02:30 that day, so nothing is due until 04-01",
                &cal,
                vec![ok(sat + 5)],
                SPRING + D - 60,
                "ok",
            ),
            (
                "spring, calendar: 04-01 02:30 CEST (00:30Z) + 3 h missed, and only that one",
                &cal,
                vec![ok(sat + 5)],
                SPRING + D + 30 * 60 + 3 * H,
                "missed 1 run",
            ),
            (
                "spring, cron: runs at the end of the gap, 03:00 CEST (01:00Z)",
                &cron,
                vec![ok(SPRING + H + 5)],
                SPRING + 10 * H,
                "ok",
            ),
            (
                "spring, cron: late from 01:00Z on",
                &cron,
                vec![ok(sat + 5)],
                SPRING + H + 60,
                "late",
            ),
            (
                "fall, calendar: first 02:30 (CEST, 00:30Z) only; the repeated one is not due",
                &cal,
                vec![ok(FALL + 30 * 60 + 5)],
                FALL + 4 * H + 31 * 60,
                "ok",
            ),
            (
                "fall, down since 10-26: 10-27 00:30Z and 10-28 01:30Z missed",
                &cal,
                vec![ok(FALL - D + 30 * 60 + 5)],
                FALL + D + 5 * H,
                "missed 2 runs",
            ),
        ];
        for (name, exps, runs, now, want) in cases {
            let v = judge(&facts(&runs, exps, now), now);
            let text = v.to_string();
            assert!(
                text.starts_with(want) || v.state().key() == want,
                "{name}: {text}"
            );
        }
    }
}
