//! Synthetic sources, jobs and runs for the health, history and calendar tests.
#![allow(dead_code)]

use std::rc::Rc;

use backwatch_core::config::{self, Config};
use backwatch_core::health::{self, Assessment, Expectation, JobRef};
use backwatch_core::model::{
    BackupSet, Coverage, Epoch, GuestType, Job, JobKind, PbsLocation, Run, RunOutcome,
    ScheduleClock, ScheduleSpec, SourceData, SourceId, SourceKind, Subject, Via,
};
use backwatch_core::schedule::Schedule;
use backwatch_core::sources::{CollectStats, Collected, SourceError, TransportError};
use backwatch_core::state::SourceStates;
use backwatch_core::time::{Utc, Zone};
use backwatch_core::zones::{SharedZone, ZoneLookup, Zones};

/// 2024-01-01T00:00:00Z, a Monday.
pub const MON: Epoch = 1_704_067_200;
pub const H: i64 = 3_600;
pub const D: i64 = 86_400;

pub fn id(kind: SourceKind, name: &str) -> SourceId {
    SourceId {
        kind,
        name: name.into(),
    }
}
pub fn pbs() -> SourceId {
    id(SourceKind::Pbs, "pbs")
}
pub fn pve() -> SourceId {
    id(SourceKind::Pve, "pve")
}
pub fn vm(n: u32) -> Subject {
    Subject::Guest {
        ty: GuestType::Vm,
        id: n,
    }
}
pub fn ct(n: u32) -> Subject {
    Subject::Guest {
        ty: GuestType::Ct,
        id: n,
    }
}

pub fn run(start: Epoch, outcome: RunOutcome) -> Run {
    Run {
        start,
        end: None,
        outcome,
        message: (outcome == RunOutcome::Failed).then(|| "boom".to_owned()),
    }
}
pub fn ok(start: Epoch) -> Run {
    run(start, RunOutcome::Ok)
}
pub fn failed(start: Epoch) -> Run {
    run(start, RunOutcome::Failed)
}
pub fn running(start: Epoch) -> Run {
    run(start, RunOutcome::Running)
}

/// A direct PBS backup set in `store1`, root namespace; runs newest first.
pub fn set(source: &SourceId, subject: Subject, mut runs: Vec<Run>) -> BackupSet {
    runs.sort_by_key(|r| std::cmp::Reverse(r.start));
    let last_success = runs
        .iter()
        .filter(|r| r.outcome.is_success())
        .map(|r| r.start)
        .max();
    BackupSet {
        source: source.clone(),
        via: Via::Direct,
        subject,
        location: (source.kind == SourceKind::Pbs).then(|| PbsLocation {
            datastore: "store1".into(),
            namespace: String::new(),
        }),
        label: None,
        snapshot_count: Some(runs.iter().filter(|r| r.outcome.is_success()).count() as u32),
        last_success,
        runs,
        verification: None,
        size_bytes: None,
        next_run: None,
        runs_complete: true,
        protected_count: None,
        encrypted: None,
    }
}

pub fn job(
    source: &SourceId,
    id: &str,
    kind: JobKind,
    schedule: Option<ScheduleSpec>,
    covers: Coverage,
) -> Job {
    Job {
        source: source.clone(),
        id: id.into(),
        kind,
        label: id.into(),
        schedule,
        clock: ScheduleClock::Local,
        zone: None,
        enabled: true,
        next_run: None,
        last_run: None,
        covers,
    }
}

/// A PVE backup job on a calendar event covering `subjects`.
pub fn pve_job(id: &str, calendar: &str, subjects: Vec<Subject>) -> Job {
    job(
        &pve(),
        id,
        JobKind::Backup,
        Some(ScheduleSpec::Calendar(calendar.into())),
        Coverage::Subjects(subjects),
    )
}

pub fn data(backups: Vec<BackupSet>, jobs: Vec<Job>) -> SourceData {
    SourceData {
        backups,
        jobs,
        ..SourceData::default()
    }
}

pub fn collected(
    source: &SourceId,
    at: Epoch,
    result: Result<SourceData, SourceError>,
) -> Collected {
    Collected {
        source: source.clone(),
        at,
        result,
        cache: None,
        stats: CollectStats::default(),
    }
}

pub fn unreachable(source: &SourceId) -> SourceError {
    SourceError::Transport {
        path: format!("/api/{}", source.name),
        error: TransportError::Network("connection refused".into()),
    }
}

pub fn unauthorized(source: &SourceId) -> SourceError {
    SourceError::Unauthorized {
        path: format!("/api/{}", source.name),
        body_excerpt: String::new(),
    }
}

pub fn load(toml: &str) -> Config {
    let loaded = config::parse(toml).expect("valid TOML");
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    loaded.config
}

/// The standard two-source config: PBS `pbs`, PVE `pve`, plus `extra`.
pub fn config(extra: &str) -> Config {
    load(&format!(
        "[[sources.pbs]]\nname = \"pbs\"\nbase = \"/api/pbs\"\n\n[[sources.pve]]\nname = \"pve\"\nbase = \"/api/pve\"\n\n{extra}"
    ))
}

/// States with each source recorded once.
pub fn states(config: &Config, results: Vec<Collected>) -> SourceStates {
    let mut s = SourceStates::new(config);
    for c in results {
        s.record(c);
    }
    s
}

/// Assess with UTC as the browser zone and a UTC-only lookup (or the tz database).
pub fn assess(config: &Config, states: &SourceStates, now: Epoch) -> Assessment {
    assess_in(config, states, now, &Lookup, Rc::new(Utc))
}

pub fn assess_in(
    config: &Config,
    states: &SourceStates,
    now: Epoch,
    lookup: &dyn ZoneLookup,
    browser: Rc<dyn Zone>,
) -> Assessment {
    let mut zones = Zones::new(lookup, browser, &config.defaults.timezone);
    health::assess(config, states, &mut zones, now)
}

/// The tz database when compiled in, else UTC only.
pub struct Lookup;
impl ZoneLookup for Lookup {
    fn zone(&self, name: &str) -> Option<Rc<dyn Zone>> {
        #[cfg(feature = "tzdb")]
        {
            backwatch_core::zones::TzdbLookup.zone(name)
        }
        #[cfg(not(feature = "tzdb"))]
        {
            backwatch_core::zones::UtcLookup.zone(name)
        }
    }
}

pub fn job_ref(label: &str) -> JobRef {
    JobRef {
        source: Some(pve()),
        id: label.into(),
        label: label.into(),
        kind: JobKind::Backup,
    }
}

/// An expectation with the default grace rule (25 % of the period, at most 3 h).
pub fn expect(
    label: &str,
    spec: ScheduleSpec,
    clock: ScheduleClock,
    zone: SharedZone,
) -> Expectation {
    let schedule = Schedule::parse(&spec).unwrap_or_else(|e| panic!("{spec:?}: {e}"));
    let period = schedule.nominal_period().map(i64::from);
    let grace = period.map_or(3 * H, |p| (p / 4).min(3 * H));
    Expectation {
        job: job_ref(label),
        schedule,
        clock,
        zone,
        grace_secs: grace,
        period_secs: period,
    }
}

pub fn calendar(label: &str, expr: &str) -> Expectation {
    expect(
        label,
        ScheduleSpec::Calendar(expr.into()),
        ScheduleClock::Local,
        SharedZone::new(Utc),
    )
}
