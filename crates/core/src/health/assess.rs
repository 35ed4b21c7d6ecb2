//! From configuration and source states to an [`Assessment`].

use super::judge::{Facts, InFlightHint, judge};
use super::{
    Ago, Assessment, Due, EstDuration, Expectation, ItemHealth, JobHealth, JobRef, NextRun,
    NotBackedUp, Note, Provenance, Resource, ServiceHealth, State, UnknownCause, Unscheduled,
    Verdict, VerifyHealth,
};
use crate::config::{Config, Grace, Scope, Target};
use crate::model::{
    BackupSet, Coverage, Epoch, Guest, JobKind, Run, RunOutcome, ScheduleClock, ScheduleSpec,
    SourceData, SourceId, SourceKind, Subject, VerifyState, Via,
};
use crate::schedule::Schedule;
use crate::sources::merge::is_duplicate;
use crate::sources::util;
use crate::state::{Availability, ErrorKind, SourceStates};
use crate::zones::{self, SharedZone, Zones};

/// One configured source as seen by this assessment.
struct Src<'a> {
    id: SourceId,
    availability: Availability,
    kind: Option<ErrorKind>,
    at: Option<Epoch>,
    data: Option<&'a SourceData>,
    zone: SharedZone,
    /// PVE with "PBS via PVE" storages configured: it can hold guest backups.
    via_storages: bool,
}

impl Src<'_> {
    fn usable(&self) -> bool {
        self.availability == Availability::Ok
    }
}

/// A backup set of some source.
struct SetRef<'a> {
    set: &'a BackupSet,
}

/// Which list an item goes to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Service(usize),
    Unmapped,
    Ignored,
}

/// An item to assess.
struct ItemSpec {
    target: Target,
    grace: Option<Grace>,
    retired: bool,
    group: Group,
}

/// Everything shared by the items of one assessment.
struct Ctx<'c, 'a> {
    config: &'c Config,
    srcs: &'c [Src<'a>],
    sets: &'c [SetRef<'a>],
    /// "PBS via PVE" duplicates and the direct set they duplicate.
    dropped: &'c [(&'a BackupSet, &'a BackupSet)],
    jobs: &'c [JobHealth],
    job_src: &'c [Option<usize>],
    /// Per job: the start of its current run, when a PVE job is working through guests.
    job_running: &'c [Option<Epoch>],
    now: Epoch,
}

fn config_zone<'c>(config: &'c Config, id: &SourceId) -> Option<&'c str> {
    let s = &config.sources;
    match id.kind {
        SourceKind::Pbs => s.pbs.iter().find(|x| &x.id == id)?.timezone.as_deref(),
        SourceKind::Pve => s.pve.iter().find(|x| &x.id == id)?.timezone.as_deref(),
        SourceKind::Databasement => s
            .databasement
            .iter()
            .find(|x| &x.id == id)?
            .timezone
            .as_deref(),
        SourceKind::Backrest => s.backrest.iter().find(|x| &x.id == id)?.timezone.as_deref(),
    }
}

/// Grace in seconds for a schedule with nominal period `period`.
fn grace_secs(grace: Grace, period: Option<i64>, max: u64) -> i64 {
    let secs = match (grace, period) {
        (Grace::Fixed { secs }, _) => secs,
        (g, Some(p)) => g.seconds(u64::try_from(p).unwrap_or(0), max),
        (Grace::Fraction { .. }, None) => max,
    };
    i64::try_from(secs).unwrap_or(i64::MAX)
}

fn period_of(s: &Schedule) -> Option<i64> {
    s.nominal_period().map(i64::from)
}

fn tolerance(period: Option<i64>) -> i64 {
    period.map_or(60, |p| (p / 10).clamp(0, 900))
}

/// Sort key of a subject: guests by type and numeric id, then hosts, databases, plans.
fn subject_key(s: &Subject) -> String {
    match s {
        Subject::Guest { ty, id } => format!("0{}{id:010}", ty.key()),
        Subject::Host { id } => format!("1{id}"),
        Subject::Database { server, database } => format!("2{server}\u{0}{database}"),
        Subject::Plan { id } => format!("3{id}"),
    }
}

fn guest_subject(g: &Guest) -> Subject {
    Subject::Guest { ty: g.ty, id: g.id }
}

fn covers(c: &Coverage, subject: &Subject) -> bool {
    matches!(c, Coverage::Subjects(v) if v.contains(subject))
}

fn matches_target(t: &Target, b: &BackupSet) -> bool {
    b.subject == t.subject && t.scope.matches(&b.source, b.location.as_ref())
}

fn is_grid(s: &Schedule, clock: ScheduleClock) -> bool {
    matches!(s, Schedule::Calendar(_) | Schedule::Cron(_)) && clock != ScheduleClock::LastRunTime
}

fn default_duration(kind: JobKind) -> i64 {
    match kind {
        JobKind::Backup | JobKind::GarbageCollection | JobKind::Sync | JobKind::Check => 1_800,
        JobKind::Verify => 3_600,
        JobKind::Prune => 600,
        JobKind::Dump | JobKind::Cleanup => 300,
        JobKind::Other => 900,
    }
}

fn median(v: &mut Vec<i64>) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    util::sort_asc(v, |x| *x);
    v.get(v.len() / 2).copied()
}

/// Decides whether a past `at` is pending or missed.
fn due_of(at: Epoch, grace: i64, now: Epoch) -> Due {
    if at >= now {
        Due::Upcoming
    } else if now >= at.saturating_add(grace) {
        Due::Missed
    } else {
        Due::Pending
    }
}

/// Assesses every service, item and job at `now`. See the [module docs](super).
pub fn assess(
    config: &Config,
    states: &SourceStates,
    zones: &mut Zones<'_>,
    now: Epoch,
) -> Assessment {
    let statuses = states.statuses(now);
    let srcs: Vec<Src<'_>> = statuses
        .iter()
        .map(|st| {
            let data = states.data(&st.id);
            let reported = match st.id.kind {
                SourceKind::Pbs | SourceKind::Pve => data.and_then(|(_, d)| d.timezone.as_deref()),
                _ => None,
            };
            let name = config_zone(config, &st.id).or(reported);
            let zone = zones.get(name, &st.id.to_string());
            let via_storages = st.id.kind == SourceKind::Pve
                && config
                    .sources
                    .pve
                    .iter()
                    .any(|p| p.id == st.id && !p.pbs_storages.is_empty());
            Src {
                id: st.id.clone(),
                availability: st.availability,
                kind: st.failure.as_ref().map(|f| f.kind),
                at: data.map(|(at, _)| at),
                data: data.map(|(_, d)| d),
                zone,
                via_storages,
            }
        })
        .collect();

    // Backup sets of every source with data, "PBS via PVE" duplicates of direct PBS removed.
    let all: Vec<SetRef<'_>> = srcs
        .iter()
        .flat_map(|s| {
            s.data
                .into_iter()
                .flat_map(|d| d.backups.iter())
                .map(|set| SetRef { set })
        })
        .collect();
    let direct: Vec<&BackupSet> = all
        .iter()
        .map(|r| r.set)
        .filter(|b| b.via == Via::Direct && b.source.kind == SourceKind::Pbs)
        .collect();
    let mut sets: Vec<SetRef<'_>> = Vec::new();
    // Dropped "PBS via PVE" sets with their direct twin: a target scoped to that PVE
    // source still finds them.
    let mut dropped: Vec<(&BackupSet, &BackupSet)> = Vec::new();
    for r in all {
        let twin = match r.set.via {
            Via::PbsViaPve { .. } => direct.iter().find(|d| is_duplicate(r.set, d)),
            Via::Direct => None,
        };
        match twin {
            Some(d) => dropped.push((r.set, d)),
            None => sets.push(r),
        }
    }

    let mut warnings: Vec<String> = Vec::new();
    let (mut jobs, job_src) = build_jobs(config, &srcs, zones, now, &mut warnings);
    resources_and_durations(&mut jobs, &job_src, &srcs, &sets);
    let job_running = running_jobs(&jobs, &sets, now);

    let ctx = Ctx {
        config,
        srcs: &srcs,
        sets: &sets,
        dropped: &dropped,
        jobs: &jobs,
        job_src: &job_src,
        job_running: &job_running,
        now,
    };
    let display = zones.display();
    let today = zones::local_date(display.zone(), now);

    // Items: configured ones, then unmapped and ignored ones.
    let mut specs: Vec<ItemSpec> = Vec::new();
    for (si, service) in config.services.iter().enumerate() {
        for item in &service.items {
            specs.push(ItemSpec {
                target: item.target.clone(),
                grace: item.grace.or(service.grace),
                retired: item.retired || service.retired,
                group: Group::Service(si),
            });
        }
    }
    let mapped = |b: &BackupSet| {
        config
            .services
            .iter()
            .flat_map(|s| s.items.iter())
            .any(|i| {
                matches_target(&i.target, b)
                    || dropped
                        .iter()
                        .any(|(via, twin)| std::ptr::eq(*twin, b) && matches_target(&i.target, via))
            })
    };
    let ignored_set = |b: &BackupSet| config.ignore.iter().any(|t| matches_target(t, b));
    let mut extra: Vec<ItemSpec> = Vec::new();
    for r in &sets {
        let b = r.set;
        if mapped(b) {
            continue;
        }
        let target = Target {
            subject: b.subject.clone(),
            scope: Scope {
                source: Some(b.source.clone()),
                datastore: b.location.as_ref().map(|l| l.datastore.clone()),
                namespace: b.location.as_ref().map(|l| l.namespace.clone()),
            },
        };
        if extra.iter().any(|e| e.target == target) {
            continue;
        }
        let group = if ignored_set(b) {
            Group::Ignored
        } else {
            Group::Unmapped
        };
        extra.push(ItemSpec {
            target,
            grace: None,
            retired: false,
            group,
        });
    }
    // PVE guests without any backup set.
    for s in &srcs {
        let Some(d) = s.data.filter(|_| s.id.kind == SourceKind::Pve) else {
            continue;
        };
        for g in d.guests.iter().chain(d.not_backed_up.iter()) {
            let subject = guest_subject(g);
            if sets.iter().any(|r| r.set.subject == subject) {
                continue;
            }
            let by_service = config
                .services
                .iter()
                .flat_map(|x| x.items.iter())
                .any(|i| {
                    i.target.subject == subject
                        && i.target
                            .scope
                            .source
                            .as_ref()
                            .is_none_or(|src| src.kind == SourceKind::Pbs || *src == s.id)
                });
            if by_service {
                continue;
            }
            let target = Target {
                subject,
                scope: Scope {
                    source: Some(s.id.clone()),
                    datastore: None,
                    namespace: None,
                },
            };
            if extra.iter().any(|e| e.target == target) {
                continue;
            }
            let ignored = config
                .ignore
                .iter()
                .any(|t| t.subject == target.subject && t.scope.matches(&s.id, None));
            extra.push(ItemSpec {
                target,
                grace: None,
                retired: false,
                group: if ignored {
                    Group::Ignored
                } else {
                    Group::Unmapped
                },
            });
        }
    }
    util::sort_by_text(&mut extra, |s| {
        let source = s
            .target
            .scope
            .source
            .as_ref()
            .map_or("", |x| x.name.as_str());
        format!("{}\u{0}{source}", subject_key(&s.target.subject))
    });
    specs.extend(extra);

    let mut services: Vec<ServiceHealth> = config
        .services
        .iter()
        .map(|s| ServiceHealth {
            name: s.name.clone(),
            description: s.description.clone(),
            link: s.link.clone(),
            retired: s.retired,
            paused_until: s.paused_until.filter(|d| today.is_some_and(|t| t <= *d)),
            verdict: Verdict::Unscheduled {
                last_success: None,
                why: Unscheduled::NoItems,
            },
            state: State::Unscheduled,
            worst: None,
            items: Vec::new(),
            verification: None,
            next_run: None,
            schedules: jobs
                .iter()
                .enumerate()
                .filter(|(_, j)| j.service.as_deref() == Some(s.name.as_str()))
                .map(|(i, _)| i)
                .collect(),
        })
        .collect();
    let mut unmapped = Vec::new();
    let mut ignored = Vec::new();
    for spec in &specs {
        let service = match spec.group {
            Group::Service(si) => config.services.get(si),
            _ => None,
        };
        let paused = match spec.group {
            Group::Service(si) => services.get(si).and_then(|s| s.paused_until),
            _ => None,
        };
        let item = assess_item(&ctx, spec, service, paused);
        match spec.group {
            Group::Service(si) => {
                if let Some(s) = services.get_mut(si) {
                    s.items.push(item);
                }
            }
            Group::Unmapped => unmapped.push(item),
            Group::Ignored => ignored.push(item),
        }
    }
    for s in &mut services {
        roll_up(s, now);
    }

    // PVE's "Guests without backup job", minus [ignore].
    let mut not_backed_up = Vec::new();
    for s in &srcs {
        let Some(d) = s.data.filter(|_| s.id.kind == SourceKind::Pve) else {
            continue;
        };
        for g in &d.not_backed_up {
            let subject = guest_subject(g);
            if config
                .ignore
                .iter()
                .any(|t| t.subject == subject && t.scope.matches(&s.id, None))
            {
                continue;
            }
            let service = config
                .services
                .iter()
                .find(|x| x.items.iter().any(|i| i.target.subject == subject))
                .map(|x| x.name.clone());
            not_backed_up.push(NotBackedUp {
                guest: g.clone(),
                source: s.id.clone(),
                service,
            });
        }
    }

    warnings.extend(zones.warnings().iter().cloned());
    Assessment {
        now,
        display_zone: display,
        services,
        unmapped,
        ignored,
        not_backed_up,
        jobs,
        sources: statuses,
        warnings,
    }
}

/// Every job of every source with data, then the `[[schedules]]` entries; with the index
/// of each job's source.
fn build_jobs(
    config: &Config,
    srcs: &[Src<'_>],
    zones: &mut Zones<'_>,
    now: Epoch,
    warnings: &mut Vec<String>,
) -> (Vec<JobHealth>, Vec<Option<usize>>) {
    let d = &config.defaults;
    let mut jobs = Vec::new();
    let mut job_src = Vec::new();
    let mut parse =
        |spec: Option<&ScheduleSpec>, what: &str| -> (Option<Schedule>, Option<String>) {
            match spec.map(Schedule::parse) {
                None => (None, None),
                Some(Ok(s)) => (Some(s), None),
                Some(Err(e)) => {
                    let e = e.to_string();
                    warnings.push(format!("{what}: schedule cannot be read: {e}"));
                    (None, Some(e))
                }
            }
        };
    for (si, s) in srcs.iter().enumerate() {
        let Some(data) = s.data else { continue };
        for j in &data.jobs {
            let zone = match j.zone.as_deref() {
                Some(z) if s.id.kind != SourceKind::Pbs && s.id.kind != SourceKind::Pve => {
                    zones.get(Some(z), &s.id.to_string())
                }
                _ => s.zone.clone(),
            };
            let (schedule, schedule_error) =
                parse(j.schedule.as_ref(), &format!("{} job {}", s.id, j.label));
            let period = schedule.as_ref().and_then(period_of);
            let grace = grace_secs(d.grace, period, d.grace_max_secs);
            let job = JobRef {
                source: Some(s.id.clone()),
                id: j.id.clone(),
                label: j.label.clone(),
                kind: j.kind,
            };
            let mut h = JobHealth {
                job,
                enabled: j.enabled,
                spec: j.schedule.clone(),
                schedule,
                schedule_error,
                clock: j.clock,
                zone,
                grace_secs: grace,
                period_secs: period,
                next_run: None,
                last_run: j.last_run.clone(),
                covers: j.covers.clone(),
                duration: EstDuration {
                    secs: default_duration(j.kind),
                    from_runs: false,
                },
                resources: Vec::new(),
                service: None,
                availability: Some(s.availability),
            };
            // PVE reports a next run even for disabled jobs: ignored.
            h.next_run = next_run(&h, j.next_run.filter(|_| j.enabled), now);
            jobs.push(h);
            job_src.push(Some(si));
        }
    }
    for (i, x) in config.schedules.iter().enumerate() {
        let zone = zones.get(x.timezone.as_deref(), &format!("schedule {}", x.label));
        let (schedule, schedule_error) = parse(Some(&x.schedule), &format!("schedule {}", x.label));
        let period = schedule.as_ref().and_then(period_of);
        let mut h = JobHealth {
            job: JobRef {
                source: None,
                id: format!("config#{i}"),
                label: x.label.clone(),
                kind: x.kind,
            },
            enabled: true,
            spec: Some(x.schedule.clone()),
            schedule,
            schedule_error,
            clock: ScheduleClock::Local,
            zone,
            grace_secs: grace_secs(d.grace, period, d.grace_max_secs),
            period_secs: period,
            next_run: None,
            last_run: None,
            covers: Coverage::Unknown,
            duration: EstDuration {
                secs: default_duration(x.kind),
                from_runs: false,
            },
            resources: Vec::new(),
            service: x.service.clone(),
            availability: None,
        };
        h.next_run = next_run(&h, None, now);
        jobs.push(h);
        job_src.push(None);
    }
    (jobs, job_src)
}

/// The next run of a job: the server's value if any, else computed.
fn next_run(j: &JobHealth, server: Option<Epoch>, now: Epoch) -> Option<NextRun> {
    if let Some(at) = server {
        return Some(NextRun {
            at,
            provenance: Provenance::Server,
            job: j.job.clone(),
            due: due_of(at, j.grace_secs, now),
        });
    }
    if !j.enabled {
        return None;
    }
    let s = j.schedule.as_ref()?;
    let at = if is_grid(s, j.clock) {
        let zone: &dyn crate::time::Zone = if j.clock == ScheduleClock::Utc {
            &crate::time::Utc
        } else {
            j.zone.zone()
        };
        s.next_after(now, zone)?
    } else {
        let anchor = j.last_run.as_ref().map(|r| r.end.unwrap_or(r.start));
        s.next_run(ScheduleClock::LastRunTime, now, anchor, j.zone.zone())?
    };
    Some(NextRun {
        at,
        provenance: Provenance::Computed,
        job: j.job.clone(),
        due: due_of(at, j.grace_secs, now),
    })
}

/// Resources (for overlaps) and estimated durations (median of known runs).
fn resources_and_durations(
    jobs: &mut [JobHealth],
    job_src: &[Option<usize>],
    srcs: &[Src<'_>],
    sets: &[SetRef<'_>],
) {
    for (j, src) in jobs.iter_mut().zip(job_src) {
        let Some(src) = src.and_then(|i| srcs.get(i)) else {
            continue;
        };
        let id = &src.id;
        j.resources = match (id.kind, &j.covers) {
            (SourceKind::Pbs, Coverage::Datastore { store, .. }) => vec![Resource::PbsStore {
                source: id.clone(),
                store: store.clone(),
            }],
            (SourceKind::Pve, Coverage::Subjects(subjects)) => {
                let mut out: Vec<Resource> = Vec::new();
                for r in sets {
                    let b = r.set;
                    if b.via != Via::Direct || b.source.kind != SourceKind::Pbs {
                        continue;
                    }
                    if let Some(l) = &b.location
                        && subjects.contains(&b.subject)
                    {
                        let res = Resource::PbsStore {
                            source: b.source.clone(),
                            store: l.datastore.clone(),
                        };
                        if !out.contains(&res) {
                            out.push(res);
                        }
                    }
                }
                out
            }
            (SourceKind::Backrest, Coverage::Repo(repo)) => vec![Resource::Backrest {
                source: id.clone(),
                repo: Some(repo.clone()),
            }],
            (SourceKind::Backrest, _) => vec![Resource::Backrest {
                source: id.clone(),
                repo: None,
            }],
            (SourceKind::Databasement, _) => vec![Resource::Databasement { source: id.clone() }],
            _ => Vec::new(),
        };
        // Duration: the job's own last run, else the sum of the per-subject medians
        // (vzdump and Databasement work through their subjects one after another).
        let own = j
            .last_run
            .as_ref()
            .and_then(|r| r.end.map(|e| e.saturating_sub(r.start)))
            .filter(|d| *d > 0);
        let from_subjects = match &j.covers {
            Coverage::Subjects(subjects) => {
                let mut total: Option<i64> = None;
                for subject in subjects {
                    let mut d: Vec<i64> = sets
                        .iter()
                        .filter(|r| &r.set.subject == subject)
                        // PVE guests' runs are in PBS; others report their own runs.
                        .filter(|r| id.kind == SourceKind::Pve || r.set.source == *id)
                        .flat_map(|r| r.set.runs.iter())
                        .filter(|run| run.outcome.is_success())
                        .filter_map(|run| run.end.map(|e| e.saturating_sub(run.start)))
                        .filter(|d| *d > 0)
                        .collect();
                    if let Some(m) = median(&mut d) {
                        total = Some(total.unwrap_or(0).saturating_add(m));
                    }
                }
                total
            }
            _ => None,
        };
        if let Some(secs) = own.or(from_subjects) {
            let cap = j.period_secs.unwrap_or(86_400).max(60);
            j.duration = EstDuration {
                secs: secs.clamp(60, cap),
                from_runs: true,
            };
        }
    }
}

/// Per PVE backup job: when its current run started, if some covered guest has a backup in
/// progress that started at or after the job's latest occurrence.
fn running_jobs(jobs: &[JobHealth], sets: &[SetRef<'_>], now: Epoch) -> Vec<Option<Epoch>> {
    jobs.iter()
        .map(|j| {
            let src = j.job.source.as_ref()?;
            if src.kind != SourceKind::Pve || j.job.kind != JobKind::Backup || !j.enabled {
                return None;
            }
            let Coverage::Subjects(subjects) = &j.covers else {
                return None;
            };
            let s = j.schedule.as_ref()?;
            let slot = s.prev_before(now.saturating_add(1), j.zone.zone())?;
            let from = slot.saturating_sub(tolerance(j.period_secs));
            // A guest is backed up once per job run: an in-flight run counts as this run's
            // only when that guest has nothing else since the occurrence.
            let running = sets.iter().any(|r| {
                let since: Vec<&Run> = r.set.runs.iter().filter(|run| run.start >= from).collect();
                subjects.contains(&r.set.subject)
                    && since.len() == 1
                    && since
                        .iter()
                        .all(|run| matches!(run.outcome, RunOutcome::Running | RunOutcome::Pending))
            });
            running.then_some(slot)
        })
        .collect()
}

/// Sources that could hold an item's backups, and sources that could schedule it.
fn candidates(ctx: &Ctx<'_, '_>, t: &Target) -> (Vec<usize>, Vec<usize>) {
    let scope_ok = |id: &SourceId| t.scope.source.as_ref().is_none_or(|s| s == id);
    let located = t.scope.datastore.is_some() || t.scope.namespace.is_some();
    let mut data = Vec::new();
    let mut sched = Vec::new();
    for (i, s) in ctx.srcs.iter().enumerate() {
        let k = s.id.kind;
        match &t.subject {
            Subject::Guest { .. } => {
                if (k == SourceKind::Pbs && scope_ok(&s.id))
                    || (k == SourceKind::Pve && s.via_storages && !located && scope_ok(&s.id))
                {
                    data.push(i);
                }
                let pve_ok = t
                    .scope
                    .source
                    .as_ref()
                    .is_none_or(|src| src.kind != SourceKind::Pve || *src == s.id);
                if k == SourceKind::Pve && pve_ok {
                    sched.push(i);
                }
            }
            Subject::Host { .. } => {
                if k == SourceKind::Pbs && scope_ok(&s.id) {
                    data.push(i);
                }
            }
            Subject::Database { .. } => {
                if k == SourceKind::Databasement && scope_ok(&s.id) {
                    data.push(i);
                    sched.push(i);
                }
            }
            Subject::Plan { .. } => {
                if k == SourceKind::Backrest && scope_ok(&s.id) {
                    data.push(i);
                    sched.push(i);
                }
            }
        }
    }
    (data, sched)
}

/// Does a source's data say anything about this item?
fn mentions(d: &SourceData, t: &Target) -> bool {
    d.backups.iter().any(|b| matches_target(t, b))
        || d.jobs.iter().any(|j| {
            covers(&j.covers, &t.subject)
                || (matches!(t.subject, Subject::Guest { .. })
                    && j.covers == Coverage::Unknown
                    && j.kind == JobKind::Backup)
        })
        || d.guests
            .iter()
            .chain(d.not_backed_up.iter())
            .any(|g| guest_subject(g) == t.subject)
}

/// Does job `j` create an expectation for target `t`?
fn job_applies(ctx: &Ctx<'_, '_>, j: &JobHealth, src: Option<usize>, t: &Target) -> bool {
    let Some(src) = src.and_then(|i| ctx.srcs.get(i)) else {
        return false;
    };
    let id = &src.id;
    let (kind_ok, scope_ok) = match (&t.subject, id.kind) {
        (Subject::Guest { .. }, SourceKind::Pve) => (
            j.job.kind == JobKind::Backup,
            t.scope
                .source
                .as_ref()
                .is_none_or(|s| s.kind != SourceKind::Pve || s == id),
        ),
        (Subject::Database { .. }, SourceKind::Databasement) => (
            j.job.kind == JobKind::Dump,
            t.scope.source.as_ref().is_none_or(|s| s == id),
        ),
        (Subject::Plan { .. }, SourceKind::Backrest) => (
            j.job.kind == JobKind::Backup,
            t.scope.source.as_ref().is_none_or(|s| s == id),
        ),
        _ => (false, false),
    };
    kind_ok && scope_ok && covers(&j.covers, &t.subject)
}

/// A readable PBS source may still have datastores it could not read. An item scoped to
/// such a datastore is unknown; so is an unscoped item found nowhere, whose backups may be
/// on it ("never" would be a claim the data cannot support).
fn unreadable_datastores(
    s: &Src<'_>,
    t: &Target,
    found_nothing: bool,
    causes: &mut Vec<UnknownCause>,
) {
    if s.id.kind != SourceKind::Pbs || !data_candidate_for_guest_or_host(t) {
        return;
    }
    let Some(data) = s.data else { return };
    if t.scope.source.as_ref().is_some_and(|x| *x != s.id) {
        return;
    }
    for ds in &data.datastores {
        let Some(problem) = &ds.problem else { continue };
        let relevant = match &t.scope.datastore {
            Some(store) => *store == ds.name,
            None => found_nothing,
        };
        if relevant {
            causes.push(UnknownCause::Datastore {
                source: s.id.clone(),
                store: ds.name.clone(),
                problem: problem.clone(),
            });
        }
    }
}

fn data_candidate_for_guest_or_host(t: &Target) -> bool {
    matches!(t.subject, Subject::Guest { .. } | Subject::Host { .. })
}

fn assess_item(
    ctx: &Ctx<'_, '_>,
    spec: &ItemSpec,
    service: Option<&crate::config::Service>,
    paused: Option<chrono::NaiveDate>,
) -> ItemHealth {
    let now = ctx.now;
    let d = &ctx.config.defaults;
    let t = &spec.target;
    let mut matched: Vec<&BackupSet> = ctx
        .sets
        .iter()
        .map(|r| r.set)
        .filter(|b| matches_target(t, b))
        .collect();
    for (via, twin) in ctx.dropped {
        if matches_target(t, via) && !matched.iter().any(|m| std::ptr::eq(*m, *twin)) {
            matched.push(via);
        }
    }

    // Runs of every matching set, newest first, duplicates (same start and outcome) removed.
    let mut runs: Vec<Run> = matched
        .iter()
        .flat_map(|r| r.runs.iter().cloned())
        .collect();
    util::sort_desc(&mut runs, |r| r.start);
    runs.dedup_by(|a, b| a.start == b.start && a.outcome == b.outcome);
    let last_success = matched.iter().filter_map(|r| r.last_success).max();
    let newest = matched.iter().max_by_key(|r| r.last_success).copied();
    let snapshot_count = matched
        .iter()
        .filter_map(|r| r.snapshot_count)
        .reduce(|a, b| a.saturating_add(b));
    let mut sources: Vec<SourceId> = Vec::new();
    for r in &matched {
        if !sources.contains(&r.source) {
            sources.push(r.source.clone());
        }
    }
    let guest_name = ctx
        .srcs
        .iter()
        .filter(|s| s.id.kind == SourceKind::Pve)
        .filter(|s| {
            t.scope
                .source
                .as_ref()
                .is_none_or(|x| x.kind != SourceKind::Pve || *x == s.id)
        })
        .filter_map(|s| s.data)
        .flat_map(|d| d.guests.iter().chain(d.not_backed_up.iter()))
        .find(|g| guest_subject(g) == t.subject)
        .and_then(|g| g.name.clone());
    let label = guest_name.or_else(|| matched.iter().find_map(|r| r.label.clone()));

    // Dependencies: sources that could hold its backups or its schedule.
    let (data_c, sched_c) = candidates(ctx, t);
    let mut causes: Vec<UnknownCause> = Vec::new();
    let mut any_data = false;
    let mut as_of = now;
    let mut all_c = data_c.clone();
    for i in sched_c {
        if !all_c.contains(&i) {
            all_c.push(i);
        }
    }
    for &i in &all_c {
        let Some(s) = ctx.srcs.get(i) else { continue };
        any_data |= s.data.is_some();
        if s.usable() {
            if let Some(at) = s.at {
                as_of = as_of.min(at);
            }
            unreadable_datastores(s, t, matched.is_empty(), &mut causes);
            continue;
        }
        let depends = s.data.is_none_or(|d| mentions(d, t));
        if depends {
            causes.push(UnknownCause::Source {
                id: s.id.clone(),
                availability: s.availability,
                kind: s.kind.filter(|_| s.availability != Availability::Stale),
                last_good: s.at.map(|at| Ago::new(at, now)),
            });
        }
    }
    if all_c.is_empty() {
        causes.push(UnknownCause::NoSource);
    }

    // Expectations: covering enabled jobs; else the service's backup/dump schedules.
    let grace = spec.grace.unwrap_or(d.grace);
    let mut expectations: Vec<Expectation> = Vec::new();
    let mut exp_jobs: Vec<usize> = Vec::new();
    let mut disabled: Option<JobRef> = None;
    let mut no_schedule: Option<JobRef> = None;
    let mut not_backed_up: Option<SourceId> = None;
    let mut in_flight: Option<InFlightHint> = None;
    if matches!(t.subject, Subject::Guest { .. }) {
        for s in ctx.srcs.iter().filter(|s| s.id.kind == SourceKind::Pve) {
            let listed = s.data.is_some_and(|d| {
                d.not_backed_up
                    .iter()
                    .any(|g| guest_subject(g) == t.subject)
            });
            let in_scope = t
                .scope
                .source
                .as_ref()
                .is_none_or(|x| x.kind != SourceKind::Pve || *x == s.id);
            if listed && in_scope {
                not_backed_up = Some(s.id.clone());
            }
        }
    }
    let mut coverage_unknown: Option<SourceId> = None;
    for (ji, j) in ctx.jobs.iter().enumerate() {
        let src = ctx.job_src.get(ji).copied().flatten();
        if matches!(t.subject, Subject::Guest { .. })
            && j.job.kind == JobKind::Backup
            && j.covers == Coverage::Unknown
            && let Some(s) = j.job.source.as_ref().filter(|s| s.kind == SourceKind::Pve)
            && t.scope
                .source
                .as_ref()
                .is_none_or(|x| x.kind != SourceKind::Pve || x == s)
        {
            coverage_unknown = Some(s.clone());
        }
        if !job_applies(ctx, j, src, t) {
            continue;
        }
        // PVE's own list of uncovered guests wins over our reading of its selections.
        if let Some(nb) = &not_backed_up
            && j.job.source.as_ref() == Some(nb)
        {
            continue;
        }
        if !j.enabled {
            disabled.get_or_insert_with(|| j.job.clone());
            continue;
        }
        if let Some(e) = &j.schedule_error {
            causes.push(UnknownCause::BadSchedule {
                job: j.job.clone(),
                error: e.clone(),
            });
            continue;
        }
        let Some(schedule) = j.schedule.clone() else {
            no_schedule.get_or_insert_with(|| j.job.clone());
            continue;
        };
        // Its job is working through its guests and this one has not had its turn yet.
        if let Some(Some(since)) = ctx.job_running.get(ji)
            && !runs
                .iter()
                .any(|r| r.start >= since.saturating_sub(tolerance(j.period_secs)))
        {
            in_flight.get_or_insert(InFlightHint {
                since: *since,
                queued_in: Some(j.job.clone()),
            });
        }
        expectations.push(Expectation {
            job: j.job.clone(),
            grace_secs: grace_secs(grace, j.period_secs, d.grace_max_secs),
            period_secs: j.period_secs,
            schedule,
            clock: j.clock,
            zone: j.zone.clone(),
        });
        exp_jobs.push(ji);
    }
    let mut notes: Vec<Note> = Vec::new();
    if expectations.is_empty()
        && let Some(service) = service
    {
        for (ji, j) in ctx.jobs.iter().enumerate() {
            let linked = j.job.source.is_none()
                && j.service.as_deref() == Some(service.name.as_str())
                && matches!(j.job.kind, JobKind::Backup | JobKind::Dump);
            let Some(schedule) = j.schedule.clone().filter(|_| linked) else {
                continue;
            };
            notes.push(Note::ScheduleFromConfig {
                label: j.job.label.clone(),
            });
            expectations.push(Expectation {
                job: j.job.clone(),
                grace_secs: grace_secs(grace, j.period_secs, d.grace_max_secs),
                period_secs: j.period_secs,
                schedule,
                clock: j.clock,
                zone: j.zone.clone(),
            });
            exp_jobs.push(ji);
        }
    }
    if expectations.is_empty()
        && not_backed_up.is_none()
        && let Some(source) = coverage_unknown
    {
        causes.push(UnknownCause::CoverageUnknown { source });
    }
    let why = match (&not_backed_up, no_schedule, disabled) {
        (Some(source), _, _) => Unscheduled::NotBackedUp {
            source: source.clone(),
        },
        (None, Some(job), _) => Unscheduled::NoSchedule { job },
        (None, None, Some(job)) => Unscheduled::OnlyDisabled { job },
        (None, None, None) => Unscheduled::NoJob,
    };

    let facts = Facts {
        runs: &runs,
        last_success,
        expectations: &expectations,
        in_flight,
        unscheduled: why,
        history_complete: matched.iter().all(|r| r.runs_complete),
        as_of,
    };
    let mut verdict = judge(&facts, now);
    if !causes.is_empty() {
        verdict = Verdict::Unknown {
            causes,
            last_known: any_data.then(|| Box::new(verdict)),
        };
    }
    if let Some(until) = paused {
        verdict = Verdict::Paused {
            until,
            underlying: Box::new(verdict),
        };
    }
    if spec.retired {
        verdict = Verdict::Retired {
            last_success: last_success.map(|s| Ago::new(s, now)),
        };
    }

    // Verification (PBS only).
    let verification = match t.subject {
        Subject::Guest { .. } | Subject::Host { .. } => {
            let newest_verify = matched
                .iter()
                .filter_map(|r| r.verification)
                .max_by_key(|v| v.at);
            let max_age = i64::try_from(d.verify_max_age_secs).unwrap_or(i64::MAX);
            Some(match newest_verify {
                None => VerifyHealth::None,
                Some(v) => {
                    let at = v.at.map(|a| Ago::new(a, now));
                    match (v.state, at) {
                        (VerifyState::Failed, _) => VerifyHealth::Failed { at },
                        (VerifyState::Ok, Some(a)) if a.secs <= max_age => {
                            VerifyHealth::Ok { at: a }
                        }
                        (VerifyState::Ok, _) => VerifyHealth::Stale { at },
                    }
                }
            })
        }
        _ => None,
    };

    if let Some(source) = not_backed_up {
        notes.push(Note::NotBackedUp { source });
    }
    if let Some(r) = runs.iter().find(|r| r.outcome.is_success())
        && r.outcome == RunOutcome::Warning
    {
        notes.push(Note::LatestRunWarning {
            at: Ago::new(r.start, now),
            message: r.message.clone(),
        });
    }

    // Next run: the soonest over its schedules; a server-reported one wins a tie.
    let mut next: Option<NextRun> = None;
    for &ji in &exp_jobs {
        let Some(mut n) = ctx.jobs.get(ji).and_then(|j| j.next_run.clone()) else {
            continue;
        };
        // A Backrest plan reports its next run on the backup set too.
        if n.provenance == Provenance::Computed
            && let Some(r) = newest.and_then(|b| b.next_run.as_ref())
        {
            n.at = r.at;
            n.provenance = Provenance::Server;
        }
        let better = next
            .as_ref()
            .is_none_or(|b| n.at < b.at || (n.at == b.at && n.provenance == Provenance::Server));
        if better {
            next = Some(n);
        }
    }

    let in_flight = runs
        .iter()
        .filter(|r| matches!(r.outcome, RunOutcome::Running | RunOutcome::Pending))
        .filter(|r| last_success.is_none_or(|s| r.start > s))
        .map(|r| r.start)
        .max();
    ItemHealth {
        target: t.clone(),
        label,
        retired: spec.retired,
        state: verdict.state(),
        verdict,
        last_success,
        in_flight,
        next_run: next,
        verification,
        snapshot_count,
        size_bytes: newest.and_then(|b| b.size_bytes),
        sources,
        notes,
        runs,
        expectations,
        as_of,
    }
}

/// A service's verdict, verification and next run from its items.
fn roll_up(s: &mut ServiceHealth, now: Epoch) {
    let active: Vec<usize> = (0..s.items.len())
        .filter(|&i| s.items.get(i).is_some_and(|it| !it.retired))
        .collect();
    if s.items.is_empty() {
        s.verdict = Verdict::Unscheduled {
            last_success: None,
            why: Unscheduled::NoItems,
        };
    } else if active.is_empty() || s.retired {
        let last = s.items.iter().filter_map(|i| i.last_success).max();
        s.verdict = Verdict::Retired {
            last_success: last.map(|l| Ago::new(l, now)),
        };
    } else {
        let worst = active.iter().copied().max_by(|&a, &b| {
            let sev = |i: usize| {
                s.items
                    .get(i)
                    .map_or(0, |it| it.verdict.underlying_state().severity())
            };
            // Ties go to the first item.
            sev(a).cmp(&sev(b)).then(b.cmp(&a))
        });
        s.worst = worst;
        if let Some(item) = worst.and_then(|i| s.items.get(i)) {
            s.verdict = item.verdict.clone();
        }
        s.verification = active
            .iter()
            .filter_map(|&i| s.items.get(i).and_then(|it| it.verification))
            .max_by_key(|v| v.severity());
        s.next_run = active
            .iter()
            .filter_map(|&i| s.items.get(i).and_then(|it| it.next_run.clone()))
            .min_by(|a, b| {
                a.at.cmp(&b.at).then_with(|| {
                    (b.provenance == Provenance::Server).cmp(&(a.provenance == Provenance::Server))
                })
            });
    }
    s.state = s.verdict.state();
}
