//! Health, history and the calendar never panic, whatever the sources report: extreme
//! and inconsistent timestamps, runs in the future, empty and odd schedules. Runs in the
//! debug profile, so arithmetic overflow would panic here.

// Tables use tuple rows.
#![allow(clippy::type_complexity)]

mod health_support;

use backwatch_core::calendar;
use backwatch_core::history;
use backwatch_core::model::{
    Coverage, Epoch, JobKind, Run, RunOutcome, ScheduleClock, ScheduleSpec, SourceKind, Subject,
};
use backwatch_core::time::Utc;
use health_support::*;

/// Deterministic pseudo-random numbers.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[(self.next() as usize) % xs.len()]
    }
}

const TIMES: [Epoch; 12] = [
    i64::MIN,
    i64::MIN + 1,
    -1,
    0,
    1,
    MON,
    MON + 2 * H,
    MON + 2 * H + 1,
    MON + 40 * D,
    253_402_300_799, // 9999-12-31
    i64::MAX - 1,
    i64::MAX,
];

const OUTCOMES: [RunOutcome; 7] = [
    RunOutcome::Ok,
    RunOutcome::Warning,
    RunOutcome::Failed,
    RunOutcome::Running,
    RunOutcome::Pending,
    RunOutcome::Cancelled,
    RunOutcome::Unknown,
];

fn specs() -> Vec<(ScheduleSpec, ScheduleClock)> {
    vec![
        (ScheduleSpec::Calendar("02:00".into()), ScheduleClock::Local),
        (
            ScheduleSpec::Calendar("minutely".into()),
            ScheduleClock::Local,
        ),
        (
            ScheduleSpec::Calendar("2015-10-21".into()),
            ScheduleClock::Local,
        ),
        (
            ScheduleSpec::Calendar("*-02-30".into()),
            ScheduleClock::Local,
        ),
        (
            ScheduleSpec::Calendar("not a schedule".into()),
            ScheduleClock::Local,
        ),
        (
            ScheduleSpec::Cron("30 2 * * *".into()),
            ScheduleClock::LastRunTime,
        ),
        (ScheduleSpec::Cron("0 0 13 * 5".into()), ScheduleClock::Utc),
        (ScheduleSpec::EveryHours(1), ScheduleClock::Local),
        (
            ScheduleSpec::EveryDays(u32::MAX),
            ScheduleClock::LastRunTime,
        ),
        (ScheduleSpec::EveryHours(0), ScheduleClock::Local),
    ]
}

#[test]
fn nothing_panics() {
    let mut rng = Lcg(7);
    let c = load(
        "[[sources.pbs]]\nname = \"pbs\"\nbase = \"/api/pbs\"\n\n[[sources.pve]]\nname = \"pve\"\nbase = \"/api/pve\"\n\n\
         [[sources.backrest]]\nname = \"br\"\nbase = \"/api/br\"\n\n\
         [services.a]\nguests = [\"ct/101\", \"vm/102\"]\nplans = [\"p\"]\npaused_until = 2024-01-05\n\n\
         [services.b]\nguests = [\"ct/103\"]\n",
    );
    let br = id(SourceKind::Backrest, "br");
    for round in 0..200 {
        fn runs(rng: &mut Lcg, n: usize) -> Vec<Run> {
            (0..n)
                .map(|_| Run {
                    start: rng.pick(&TIMES),
                    end: if rng.next().is_multiple_of(2) {
                        Some(rng.pick(&TIMES))
                    } else {
                        None
                    },
                    outcome: rng.pick(&OUTCOMES),
                    message: None,
                })
                .collect()
        }
        let sets = vec![
            set(&pbs(), ct(101), runs(&mut rng, 5)),
            set(&pbs(), vm(102), runs(&mut rng, 3)),
            set(&pbs(), ct(103), runs(&mut rng, 0)),
            set(&pbs(), vm(999), runs(&mut rng, 4)),
        ];
        let plan_runs = runs(&mut rng, 4);
        let specs = specs();
        let (spec, clock) = specs[round % specs.len()].clone();
        let mut j = pve_job("j", "02:00", vec![ct(101), vm(102), ct(103)]);
        j.schedule = Some(spec.clone());
        j.clock = clock;
        j.next_run = Some(rng.pick(&TIMES));
        let mut pj = job(
            &br,
            "p",
            JobKind::Backup,
            Some(spec),
            Coverage::Subjects(vec![Subject::Plan { id: "p".into() }]),
        );
        pj.clock = clock;
        pj.last_run = plan_runs.first().cloned();
        let mut gc = job(
            &pbs(),
            "gc",
            JobKind::GarbageCollection,
            Some(ScheduleSpec::Calendar("daily".into())),
            Coverage::Datastore {
                store: "store1".into(),
                namespace: None,
            },
        );
        gc.last_run = runs(&mut rng, 1).pop();
        gc.next_run = Some(rng.pick(&TIMES));
        let at = rng.pick(&TIMES);
        let now = rng.pick(&TIMES);
        let s = states(
            &c,
            vec![
                collected(&pbs(), at, Ok(data(sets, vec![gc]))),
                collected(&pve(), at, Ok(data(vec![], vec![j]))),
                collected(
                    &br,
                    at,
                    Ok(data(
                        vec![set(&br, Subject::Plan { id: "p".into() }, plan_runs)],
                        vec![pj],
                    )),
                ),
            ],
        );
        let a = assess(&c, &s, now);
        for item in a.all_items() {
            let _ = item.verdict.to_string();
            let _ = history::item_history(item, now, &Utc, 30);
        }
        for svc in &a.services {
            let _ = svc.summary();
            let _ = history::service_history(svc, now, &Utc, 30);
        }
        let from = rng.pick(&TIMES);
        let to = from.saturating_add(rng.pick(&[0, 1, 7 * D, 31 * D, i64::MAX]));
        let cal = calendar::expand(&a, from, to);
        let _ = calendar::week_grid(&cal, now, &Utc, calendar::DEFAULT_WEEK_START);
        let _ = calendar::month_grid(&cal, 2024, 1, &Utc, calendar::DEFAULT_WEEK_START);
    }
}
