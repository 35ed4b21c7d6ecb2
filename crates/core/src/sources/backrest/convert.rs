//! Backrest wire data → model.

use super::collect::{BackrestCache, PlanOps};
use super::{BackrestSchedule, BackrestSettings, wire};
use crate::model::{
    BackupSet, Coverage, Epoch, Job, JobKind, ReportedNextRun, Run, RunOutcome, ScheduleClock,
    SourceData, SourceId, Subject, Via,
};
use crate::sources::util;

fn outcome(s: &wire::OpStatus) -> RunOutcome {
    match s {
        wire::OpStatus::Success => RunOutcome::Ok,
        wire::OpStatus::Warning => RunOutcome::Warning,
        wire::OpStatus::Error => RunOutcome::Failed,
        wire::OpStatus::InProgress => RunOutcome::Running,
        wire::OpStatus::Pending => RunOutcome::Pending,
        wire::OpStatus::SystemCancelled | wire::OpStatus::UserCancelled => RunOutcome::Cancelled,
        wire::OpStatus::StatusUnknown | wire::OpStatus::Unknown(_) => RunOutcome::Unknown,
    }
}

fn secs(ms: i64) -> Epoch {
    ms.div_euclid(1000)
}

/// Reduces a plan's operations (any order) to counts and the last success.
pub(crate) fn plan_ops(
    ops: &[wire::Operation],
    newest: Option<(i64, String)>,
    now: Epoch,
) -> PlanOps {
    let mut out = PlanOps {
        newest,
        fetched_at: now,
        snapshot_count: 0,
        last_success: None,
        messages: Vec::new(),
    };
    for op in ops {
        let status = op.status.as_ref().unwrap_or(&wire::OpStatus::StatusUnknown);
        if let Some(idx) = &op.operation_index_snapshot
            && !idx.forgot
        {
            out.snapshot_count = out.snapshot_count.saturating_add(1);
        }
        if let Some(b) = &op.operation_backup {
            let ok = matches!(status, wire::OpStatus::Success | wire::OpStatus::Warning);
            if ok
                && !b.dry_run
                && let Some(start) = op.unix_time_start_ms.map(secs)
            {
                out.last_success = out.last_success.max(Some(start));
            }
            if matches!(status, wire::OpStatus::Error | wire::OpStatus::Warning)
                && let (Some(flow), Some(msg)) =
                    (op.flow_id.or(Some(op.id)), op.display_message.as_deref())
            {
                let msg = msg.trim();
                if !msg.is_empty() {
                    *util::entry(&mut out.messages, flow) = msg.to_owned();
                }
            }
        }
    }
    out
}

fn plan_set(source: &SourceId, s: &wire::Summary, ops: Option<&PlanOps>) -> BackupSet {
    let mut runs = Vec::new();
    if let Some(rb) = &s.recent_backups {
        let n = rb.timestamp_ms.len().min(rb.status.len());
        for i in 0..n {
            let (Some(ts), Some(status)) = (rb.timestamp_ms.get(i), rb.status.get(i)) else {
                continue;
            };
            let outcome = outcome(status);
            let start = secs(ts.0);
            let finished = !matches!(outcome, RunOutcome::Running | RunOutcome::Pending);
            let end = match (finished, rb.duration_ms.get(i)) {
                (true, Some(d)) => Some(start.saturating_add(secs(d.0))),
                _ => None,
            };
            let message = rb
                .flow_id
                .get(i)
                .and_then(|f| ops.and_then(|o| util::lookup(&o.messages, &f.0)))
                .cloned();
            runs.push(Run {
                start,
                end,
                outcome,
                message,
            });
        }
    }
    util::sort_desc(&mut runs, |r| r.start);
    let recent_success = runs
        .iter()
        .filter(|r| r.outcome.is_success())
        .map(|r| r.start)
        .max();
    let last_success = recent_success.max(ops.and_then(|o| o.last_success));
    BackupSet {
        source: source.clone(),
        via: Via::Direct,
        subject: Subject::Plan { id: s.id.clone() },
        location: None,
        label: None,
        snapshot_count: ops.map(|o| o.snapshot_count),
        last_success,
        runs,
        verification: None,
        size_bytes: s.protected_bytes.and_then(|b| u64::try_from(b).ok()),
        next_run: s.next_backup_time_ms.map(|ms| ReportedNextRun {
            at: secs(ms),
            job: s.id.clone(),
        }),
        runs_complete: false,
        protected_count: None,
        encrypted: None,
    }
}

fn schedule_parts(
    s: Option<&BackrestSchedule>,
) -> (Option<crate::model::ScheduleSpec>, ScheduleClock) {
    match s {
        Some(s) => (Some(s.spec.clone()), s.clock),
        None => (None, ScheduleClock::Local),
    }
}

pub(crate) fn source_data(
    source: &SourceId,
    settings: &BackrestSettings,
    d: &wire::SummaryDashboard,
    cache: &BackrestCache,
) -> SourceData {
    let mut warnings = Vec::new();
    let mut backups = Vec::new();
    let mut jobs = Vec::new();
    for s in &d.plan_summaries {
        let set = plan_set(source, s, cache.get(&s.id));
        let configured = settings.plans.iter().find(|p| p.id == s.id);
        let (schedule, clock) = schedule_parts(configured.and_then(|p| p.schedule.as_ref()));
        jobs.push(Job {
            source: source.clone(),
            id: s.id.clone(),
            kind: JobKind::Backup,
            label: format!("Backrest plan {}", s.id),
            schedule,
            clock,
            zone: settings.zone.clone(),
            enabled: configured.is_none_or(|p| p.enabled),
            next_run: set.next_run.as_ref().map(|n| n.at),
            last_run: set.runs.first().cloned(),
            covers: Coverage::Subjects(vec![Subject::Plan { id: s.id.clone() }]),
        });
        backups.push(set);
    }
    for p in &settings.plans {
        if !d.plan_summaries.iter().any(|s| s.id == p.id) {
            warnings.push(format!(
                "plan {} from the settings is not on the server",
                p.id
            ));
        }
    }
    for repo in &settings.repos {
        let tasks = [
            (JobKind::Prune, "prune", repo.prune.as_ref()),
            (JobKind::Check, "check", repo.check.as_ref()),
        ];
        for (kind, word, sched) in tasks {
            let Some(sched) = sched else { continue };
            jobs.push(Job {
                source: source.clone(),
                id: format!("{}/{word}", repo.id),
                kind,
                label: format!("Backrest {word} {}", repo.id),
                schedule: Some(sched.spec.clone()),
                clock: sched.clock,
                zone: settings.zone.clone(),
                enabled: true,
                next_run: None,
                last_run: None,
                covers: Coverage::Repo(repo.id.clone()),
            });
        }
    }
    SourceData {
        backups,
        jobs,
        guests: Vec::new(),
        not_backed_up: Vec::new(),
        datastores: Vec::new(),
        server: None,
        tasks: Vec::new(),
        timezone: settings.zone.clone(),
        warnings,
    }
}
