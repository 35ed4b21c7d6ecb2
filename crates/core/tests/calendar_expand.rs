//! Calendar occurrences: every job kind expanded, estimated durations, outcomes of past
//! occurrences, overlaps (GC during a backup on the same PBS).

// Tables use tuple rows.
#![allow(clippy::type_complexity)]

mod health_support;

use backwatch_core::calendar::{self, Outcome};
use backwatch_core::health::Assessment;
use backwatch_core::model::{
    Coverage, Epoch, Job, JobKind, PbsLocation, Run, RunOutcome, ScheduleClock, ScheduleSpec,
    SourceKind, Subject,
};
use health_support::*;

/// Wednesday 2024-01-03 12:00 UTC.
const NOW: Epoch = MON + 2 * D + 12 * H;

fn store(name: &str) -> Coverage {
    Coverage::Datastore {
        store: name.into(),
        namespace: None,
    }
}

fn cal(expr: &str) -> Option<ScheduleSpec> {
    Some(ScheduleSpec::Calendar(expr.into()))
}

fn lab(pbs_jobs: Vec<Job>, pve_jobs: Vec<Job>, runs: Vec<Run>) -> Assessment {
    let c = config(
        "[services.a]\nguests = [\"ct/101\"]\n\n[[schedules]]\nlabel = \"USB copy\"\nkind = \"sync\"\ncalendar = \"sat 10:00\"\n",
    );
    let mut s1 = set(&pbs(), ct(101), runs);
    s1.location = Some(PbsLocation {
        datastore: "store1".into(),
        namespace: String::new(),
    });
    let s = states(
        &c,
        vec![
            collected(&pbs(), NOW, Ok(data(vec![s1], pbs_jobs))),
            collected(&pve(), NOW, Ok(data(vec![], pve_jobs))),
        ],
    );
    assess(&c, &s, NOW)
}

fn with_end(mut r: Run, secs: i64) -> Run {
    r.end = Some(r.start + secs);
    r
}

#[test]
fn every_kind_expands_in_the_window() {
    let mut disabled = job(
        &pbs(),
        "s-old",
        JobKind::Prune,
        cal("weekly"),
        store("store1"),
    );
    disabled.enabled = false;
    let a = lab(
        vec![
            job(
                &pbs(),
                "gc:store1",
                JobKind::GarbageCollection,
                cal("daily"),
                store("store1"),
            ),
            job(
                &pbs(),
                "s-prune",
                JobKind::Prune,
                cal("04:00"),
                store("store1"),
            ),
            job(
                &pbs(),
                "v-verify",
                JobKind::Verify,
                cal("sat 05:00"),
                store("store1"),
            ),
            job(
                &pbs(),
                "s-sync",
                JobKind::Sync,
                cal("*:0/15"),
                store("store1"),
            ),
            disabled,
        ],
        vec![pve_job("nightly", "00:10", vec![ct(101)])],
        vec![],
    );
    // January 2024: 31 days.
    let c = calendar::expand(&a, MON, MON + 31 * D);
    let count = |id: &str| c.occurrences.iter().filter(|o| o.job.id == id).count();
    assert_eq!(count("gc:store1"), 31);
    assert_eq!(count("s-prune"), 31);
    assert_eq!(count("v-verify"), 4);
    assert_eq!(count("s-sync"), 31 * 96);
    assert_eq!(count("nightly"), 31);
    assert_eq!(count("config#0"), 4, "the [[schedules]] entry");
    assert_eq!(count("s-old"), 0, "disabled jobs have no occurrences");
    assert!(c.occurrences.windows(2).all(|w| w[0].start <= w[1].start));
    assert!(c.truncated.is_empty());
    let usb = c
        .occurrences
        .iter()
        .find(|o| o.job.id == "config#0")
        .unwrap();
    assert_eq!((usb.kind(), usb.job.source.clone()), (JobKind::Sync, None));
    assert_eq!(usb.job.label, "USB copy");
}

#[test]
fn gc_during_a_backup_on_the_same_pbs_is_flagged() {
    let a = lab(
        vec![
            job(
                &pbs(),
                "gc:store1",
                JobKind::GarbageCollection,
                cal("00:00"),
                store("store1"),
            ),
            job(
                &pbs(),
                "gc:store2",
                JobKind::GarbageCollection,
                cal("00:00"),
                store("store2"),
            ),
            job(
                &pbs(),
                "s-prune",
                JobKind::Prune,
                cal("12:00"),
                store("store1"),
            ),
        ],
        vec![pve_job("nightly", "00:10", vec![ct(101)])],
        vec![ok(MON + 10 * 60)],
    );
    let c = calendar::expand(&a, MON, MON + D);
    let label = |i: usize| c.occurrences[i].job.id.as_str();
    let flagged: Vec<(&str, Vec<&str>)> = c
        .occurrences
        .iter()
        .map(|o| {
            (
                o.job.id.as_str(),
                o.overlaps.iter().map(|&i| label(i)).collect(),
            )
        })
        .collect();
    assert_eq!(
        flagged,
        vec![
            ("gc:store1", vec!["nightly"]),
            ("gc:store2", vec![]),
            ("nightly", vec!["gc:store1"]),
            ("s-prune", vec![]),
        ],
        "GC store1 (30 min default) overlaps the 00:10 backup whose guests live in store1; \
         store2 is another datastore; the noon prune overlaps nothing"
    );
}

#[test]
fn outcomes_of_past_occurrences() {
    // Monday ok, Tuesday failed, Wednesday nothing (missed), Thursday in the future.
    let runs = vec![
        with_end(ok(MON + 2 * H + 5), 600),
        with_end(failed(MON + D + 2 * H + 5), 60),
        with_end(ok(MON - D + 2 * H + 5), 1_200),
    ];
    let a = lab(
        vec![],
        vec![pve_job("nightly", "02:00", vec![ct(101)])],
        runs,
    );
    let c = calendar::expand(&a, MON, MON + 4 * D);
    let outcomes: Vec<Option<Outcome>> = c.occurrences.iter().map(|o| o.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Some(Outcome::Ok),
            Some(Outcome::Failed),
            Some(Outcome::Missed),
            None
        ]
    );
    // Duration: the median of known successful runs (600 s and 1200 s → 1200).
    let o = &c.occurrences[0];
    assert_eq!((o.duration.secs, o.duration.from_runs), (1_200, true));
    assert_eq!(o.end - o.start, 1_200);
}

#[test]
fn pbs_jobs_match_their_last_run_and_a_past_next_run() {
    let mut prune = job(
        &pbs(),
        "s-prune",
        JobKind::Prune,
        cal("04:00"),
        store("store1"),
    );
    prune.last_run = Some(Run {
        start: MON + D + 4 * H,
        end: Some(MON + D + 4 * H + 300),
        outcome: RunOutcome::Ok,
        message: None,
    });
    // PBS says the next run was Wednesday 04:00: it has not happened (pending → missed).
    prune.next_run = Some(MON + 2 * D + 4 * H);
    let mut gc = job(
        &pbs(),
        "gc:store1",
        JobKind::GarbageCollection,
        cal("daily"),
        store("store1"),
    );
    gc.last_run = Some(Run {
        start: MON + 2 * D,
        end: Some(MON + 2 * D + 400),
        outcome: RunOutcome::Failed,
        message: Some("no space".into()),
    });
    let a = lab(vec![prune, gc], vec![], vec![]);
    let c = calendar::expand(&a, MON, MON + 3 * D);
    let got: Vec<(&str, Epoch, Option<Outcome>)> = c
        .occurrences
        .iter()
        .map(|o| (o.job.id.as_str(), o.start, o.outcome))
        .collect();
    assert_eq!(
        got,
        [
            ("gc:store1", MON, None),
            ("s-prune", MON + 4 * H, None),
            ("gc:store1", MON + D, None),
            ("s-prune", MON + D + 4 * H, Some(Outcome::Ok)),
            ("gc:store1", MON + 2 * D, Some(Outcome::Failed)),
            ("s-prune", MON + 2 * D + 4 * H, Some(Outcome::Missed)),
        ]
    );
    // The GC's duration comes from its last run.
    assert_eq!(c.occurrences[0].duration.secs, 400);
    // Prune default when nothing is known: 10 minutes… here its last run: 300 s.
    assert_eq!(c.occurrences[1].duration.secs, 300);
}

#[test]
fn last_run_clock_counts_from_the_last_run() {
    let c = load(
        "[[sources.backrest]]\nname = \"nas\"\nbase = \"/api/backrest\"\ntimezone = \"UTC\"\n",
    );
    let nas = id(SourceKind::Backrest, "nas");
    let plan = Subject::Plan {
        id: "docker".into(),
    };
    let mut j = job(
        &nas,
        "docker",
        JobKind::Backup,
        Some(ScheduleSpec::EveryHours(6)),
        Coverage::Subjects(vec![plan.clone()]),
    );
    j.clock = ScheduleClock::LastRunTime;
    j.last_run = Some(with_end(ok(NOW - 2 * H), 100));
    let s = states(
        &c,
        vec![collected(
            &nas,
            NOW,
            Ok(data(
                vec![set(&nas, plan, vec![with_end(ok(NOW - 2 * H), 100)])],
                vec![j],
            )),
        )],
    );
    let a = assess(&c, &s, NOW);
    let cal = calendar::expand(&a, NOW, NOW + D);
    let starts: Vec<Epoch> = cal.occurrences.iter().map(|o| o.start - NOW).collect();
    assert_eq!(
        starts,
        [4 * H + 100, 10 * H + 100, 16 * H + 100, 22 * H + 100]
    );
}

#[test]
fn minutely_jobs_are_cut() {
    let a = lab(
        vec![job(
            &pbs(),
            "s-sync",
            JobKind::Sync,
            cal("minutely"),
            store("store1"),
        )],
        vec![],
        vec![],
    );
    let c = calendar::expand(&a, MON, MON + 7 * D);
    let sync = c
        .occurrences
        .iter()
        .filter(|o| o.job.id == "s-sync")
        .count();
    assert_eq!(sync, calendar::MAX_PER_JOB);
    assert_eq!(c.truncated, [0]);
}
