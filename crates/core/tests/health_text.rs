//! The plain-English texts of verdicts, causes and spans are interface: pinned here.

// Tables use tuple rows.
#![allow(clippy::type_complexity)]

mod health_support;

use backwatch_core::health::{
    Ago, Due, FailedRun, NextRun, Provenance, UnknownCause, Unscheduled, Verdict, VerifyHealth,
    span,
};
use backwatch_core::state::{Availability, ErrorKind};
use chrono::NaiveDate;
use health_support::*;

const NOW: i64 = MON + 10 * D;

fn ago(secs: i64) -> Ago {
    Ago::new(NOW - secs, NOW)
}

#[test]
fn spans() {
    let cases = [
        (0, "0 s"),
        (59, "59 s"),
        (60, "1 min"),
        (89 * 60 + 59, "89 min"),
        (90 * 60, "1 h"),
        (47 * H + 59 * 60, "47 h"),
        (48 * H, "2 d"),
        (-3 * D, "3 d"),
        (i64::MIN, "106751991167300 d"),
    ];
    for (secs, want) in cases {
        assert_eq!(span(secs), want, "{secs}");
    }
}

#[test]
fn verdicts() {
    let job = job_ref("nightly to PBS");
    let fail = FailedRun {
        at: ago(10 * H),
        message: Some("backup ended but finished state is not set.\nsecond line".into()),
    };
    let cases: Vec<(&str, Verdict, &str)> = vec![
        (
            "ok",
            Verdict::Ok {
                last_success: ago(2 * H),
                expected: Some(ago(2 * H)),
            },
            "ok, last backup 2 h ago",
        ),
        (
            "running",
            Verdict::Running {
                since: ago(180),
                queued_in: None,
                last_success: Some(ago(D)),
                overdue: 0,
            },
            "backing up now (started 3 min ago), last backup 24 h ago",
        ),
        (
            "running, first",
            Verdict::Running {
                since: ago(30),
                queued_in: None,
                last_success: None,
                overdue: 0,
            },
            "first backup running (started 30 s ago)",
        ),
        (
            "running, queued, after misses",
            Verdict::Running {
                since: ago(12 * 60),
                queued_in: Some(job.clone()),
                last_success: Some(ago(3 * D)),
                overdue: 2,
            },
            "queued in running job nightly to PBS (started 12 min ago), last backup 3 d ago; missed 2 runs before",
        ),
        (
            "late",
            Verdict::Late {
                expected: ago(20 * 60),
                grace_ends: ago(-160 * 60),
                job: job.clone(),
                last_success: ago(D + 20 * 60),
            },
            "late: due 20 min ago, grace ends in 2 h; last backup 24 h ago",
        ),
        (
            "missed",
            Verdict::Missed {
                runs: 2,
                expected: ago(5 * H),
                job: job.clone(),
                last_success: Some(ago(3 * D)),
                last_failure: None,
            },
            "missed 2 runs, last backup 3 d ago",
        ),
        (
            "missed, never, with a failure",
            Verdict::Missed {
                runs: 1,
                expected: ago(5 * H),
                job: job.clone(),
                last_success: None,
                last_failure: Some(fail.clone()),
            },
            "missed 1 run, never backed up; last attempt failed 10 h ago: backup ended but finished state is not set.",
        ),
        (
            "failed",
            Verdict::Failed {
                failure: fail.clone(),
                last_success: Some(ago(34 * H)),
                missed: 1,
                retrying: false,
            },
            "latest run failed 10 h ago: backup ended but finished state is not set.; last backup 34 h ago",
        ),
        (
            "failed, never, several, retrying",
            Verdict::Failed {
                failure: FailedRun {
                    at: ago(60),
                    message: None,
                },
                last_success: None,
                missed: 3,
                retrying: true,
            },
            "latest run failed 1 min ago; never succeeded; 3 runs without success; retry running",
        ),
        (
            "never",
            Verdict::Never {
                job: Some(job.clone()),
                unscheduled: None,
                history_complete: true,
            },
            "never backed up; expected by nightly to PBS",
        ),
        (
            "never, partial history, unscheduled",
            Verdict::Never {
                job: None,
                unscheduled: Some(Unscheduled::NotBackedUp { source: pve() }),
                history_complete: false,
            },
            "never backed up (in the history read); PVE pve lists it without backup job",
        ),
        (
            "unscheduled",
            Verdict::Unscheduled {
                last_success: Some(ago(5 * D)),
                why: Unscheduled::OnlyDisabled { job: job.clone() },
            },
            "unscheduled: only the disabled job nightly to PBS covers it; last backup 5 d ago",
        ),
        (
            "unscheduled service",
            Verdict::Unscheduled {
                last_success: None,
                why: Unscheduled::NoItems,
            },
            "unscheduled: nothing is monitored",
        ),
        (
            "retired",
            Verdict::Retired { last_success: None },
            "retired",
        ),
        (
            "paused",
            Verdict::Paused {
                until: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
                underlying: Box::new(Verdict::Missed {
                    runs: 2,
                    expected: ago(5 * H),
                    job: job.clone(),
                    last_success: Some(ago(3 * D)),
                    last_failure: None,
                }),
            },
            "paused until 2026-09-01 (missed 2 runs, last backup 3 d ago)",
        ),
        (
            "unknown",
            Verdict::Unknown {
                causes: vec![
                    UnknownCause::Source {
                        id: pbs(),
                        availability: Availability::Error,
                        kind: Some(ErrorKind::Forbidden),
                        last_good: Some(ago(10 * 60)),
                    },
                    UnknownCause::Source {
                        id: pve(),
                        availability: Availability::Error,
                        kind: Some(ErrorKind::BadResponse),
                        last_good: None,
                    },
                    UnknownCause::BadSchedule {
                        job: job.clone(),
                        error: "expected a time, found `x` at column 1".into(),
                    },
                ],
                last_known: None,
            },
            "unknown: PBS pbs denied permission — check the token's privileges (last read 10 min ago); PVE pve sent an unexpected response; the schedule of nightly to PBS cannot be read: expected a time, found `x` at column 1",
        ),
    ];
    for (name, v, want) in cases {
        assert_eq!(v.to_string(), want, "{name}");
    }
}

#[test]
fn long_messages_are_cut() {
    let v = Verdict::Failed {
        failure: FailedRun {
            at: ago(60),
            message: Some("x".repeat(500)),
        },
        last_success: None,
        missed: 0,
        retrying: false,
    };
    let text = v.to_string();
    assert!(text.contains(&format!("{}…", "x".repeat(200))), "{text}");
    assert!(!text.contains(&"x".repeat(201)));
}

#[test]
fn verification_and_next_run() {
    let cases = [
        (VerifyHealth::Ok { at: ago(3 * D) }, "verified 3 d ago"),
        (VerifyHealth::Failed { at: None }, "verification failed"),
        (
            VerifyHealth::Stale {
                at: Some(ago(40 * D)),
            },
            "verification stale (40 d ago)",
        ),
        (VerifyHealth::None, "never verified"),
    ];
    for (v, want) in cases {
        assert_eq!(v.to_string(), want);
    }
    let next = NextRun {
        at: NOW + 14 * H,
        provenance: Provenance::Server,
        job: job_ref("nightly to PBS"),
        due: Due::Upcoming,
    };
    assert_eq!(next.describe(NOW), "next: nightly to PBS in 14 h (server)");
    let missed = NextRun {
        at: NOW - 5 * H,
        provenance: Provenance::Computed,
        due: Due::Missed,
        ..next
    };
    assert_eq!(
        missed.describe(NOW),
        "next: nightly to PBS 5 h ago, missed (computed)"
    );
}
