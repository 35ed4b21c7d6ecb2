//! Backrest: the orchestrator runs one task at a time; each plan execution is a flow
//! (backup, index-snapshot, forget; a hook after an error); repo prune and check leave
//! their own ops; each schedulable task waits as a PENDING op; the daily op-log garbage
//! collection deletes flows whose snapshot was forgotten.

use std::collections::{BTreeMap, BTreeSet};

use backwatch_core::model::{Epoch, ScheduleClock};
use backwatch_core::schedule::Schedule;
use backwatch_core::time::{NamedZone, Zone};

use super::{Ctx, Planted, dur_s, size};
use crate::scenario::{BrPlan, BrRepo, BrSchedule};
use crate::util::{Rng, hash, local_format};

/// Operation status (protojson enum names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum OpStatus {
    /// STATUS_PENDING
    Pending,
    /// STATUS_INPROGRESS
    InProgress,
    /// STATUS_SUCCESS
    Success,
    /// STATUS_WARNING
    Warning,
    /// STATUS_ERROR
    Error,
}

impl OpStatus {
    /// Enum name.
    pub fn name(self) -> &'static str {
        match self {
            OpStatus::Pending => "STATUS_PENDING",
            OpStatus::InProgress => "STATUS_INPROGRESS",
            OpStatus::Success => "STATUS_SUCCESS",
            OpStatus::Warning => "STATUS_WARNING",
            OpStatus::Error => "STATUS_ERROR",
        }
    }

    /// Proto number (for a stable order).
    pub fn number(self) -> i32 {
        match self {
            OpStatus::Pending => 1,
            OpStatus::InProgress => 2,
            OpStatus::Success => 3,
            OpStatus::Error => 4,
            OpStatus::Warning => 7,
        }
    }
}

/// A restic backup summary.
#[derive(Clone, Debug)]
pub struct Summary {
    /// filesNew
    pub files_new: i64,
    /// filesChanged
    pub files_changed: i64,
    /// filesUnmodified
    pub files_unmodified: i64,
    /// dirsNew
    pub dirs_new: i64,
    /// dirsChanged
    pub dirs_changed: i64,
    /// dirsUnmodified
    pub dirs_unmodified: i64,
    /// dataBlobs
    pub data_blobs: i64,
    /// treeBlobs
    pub tree_blobs: i64,
    /// dataAdded
    pub data_added: i64,
    /// totalFilesProcessed
    pub total_files: i64,
    /// totalBytesProcessed
    pub total_bytes: i64,
    /// totalDuration (s)
    pub total_duration: f64,
}

/// What kind of operation.
#[derive(Clone, Debug)]
pub enum OpKind {
    /// operationBackup: summary when finished OK, progress while running, nothing otherwise.
    Backup {
        /// Summary.
        summary: Option<Summary>,
        /// Progress while running: (fraction, files done, bytes done, total files, total bytes, current file).
        progress: Option<(f64, i64, i64, i64, i64, String)>,
    },
    /// operationIndexSnapshot.
    Index {
        /// Snapshot time ms.
        time_ms: i64,
        /// Tree hash.
        tree: String,
        /// Parent snapshot id.
        parent: Option<String>,
        /// Paths.
        paths: Vec<String>,
        /// Summary.
        summary: Summary,
        /// Forgotten (until the next op-log GC).
        forgot: bool,
    },
    /// operationForget with the plan's policy.
    Forget,
    /// operationRunHook.
    Hook {
        /// Parent op id.
        parent: i64,
    },
    /// operationPrune.
    Prune {
        /// Output logref.
        logref: String,
    },
    /// operationCheck.
    Check {
        /// Output logref.
        logref: String,
    },
    /// operationStats.
    Stats {
        /// totalSize
        total_size: i64,
        /// snapshotCount
        snapshot_count: i64,
    },
}

/// An operation.
#[derive(Clone, Debug)]
pub struct Op {
    /// id
    pub id: i64,
    /// modno
    pub modno: i64,
    /// flowId
    pub flow_id: i64,
    /// repoId
    pub repo: usize,
    /// planId (`_system_` for repo tasks)
    pub plan_id: String,
    /// snapshotId
    pub snapshot_id: Option<String>,
    /// status
    pub status: OpStatus,
    /// unixTimeStartMs
    pub start_ms: i64,
    /// unixTimeEndMs
    pub end_ms: Option<i64>,
    /// displayMessage
    pub message: Option<String>,
    /// logref
    pub logref: Option<String>,
    /// The op.
    pub kind: OpKind,
}

/// A repository.
#[derive(Clone, Debug)]
pub struct RepoRow {
    /// The configuration.
    pub cfg: BrRepo,
    /// restic repo id (64 hex).
    pub guid: String,
}

/// Everything Backrest reports.
#[derive(Debug)]
pub struct BrWorld {
    /// Instance id.
    pub instance: String,
    /// Repos in config order.
    pub repos: Vec<RepoRow>,
    /// Plans in config order.
    pub plans: Vec<BrPlan>,
    /// Surviving ops, ascending by id.
    pub ops: Vec<Op>,
    /// The instant.
    pub now: Epoch,
    /// Server zone.
    pub zone: NamedZone,
    /// v1.14 summary shape.
    pub v114: bool,
    /// Identity key id (GetConfig).
    pub key_id: String,
    /// Config modno.
    pub modno: i64,
}

/// The clock of a Backrest schedule.
pub fn clock(s: &BrSchedule) -> ScheduleClock {
    match s.clock.as_deref() {
        Some("utc") => ScheduleClock::Utc,
        Some("last-run") => ScheduleClock::LastRunTime,
        _ => ScheduleClock::Local,
    }
}

/// The core schedule of a Backrest schedule (`None` when disabled).
pub fn schedule(s: &BrSchedule) -> Option<Schedule> {
    if s.disabled {
        return None;
    }
    if let Some(c) = &s.cron {
        return Schedule::parse_cron(c).ok();
    }
    let ms = crate::util::parse_duration_ms(s.every.as_deref()?).ok()?;
    let hours = (ms / 3_600_000) as u32;
    if hours.is_multiple_of(24) {
        Some(Schedule::EveryDays(hours / 24))
    } else {
        Some(Schedule::EveryHours(hours))
    }
}

const ID_BASE: i64 = 1_600_000_000;

/// Op ids are derived from the flow's start second, so regenerating a minute later keeps
/// every id: `(start_s - base) * 16 + index`.
fn op_id(start_s: Epoch, k: i64) -> i64 {
    (start_s - ID_BASE) * 16 + k
}

struct Task {
    at: Epoch,
    kind: TaskKind,
    outcome: Option<Planted>,
}

#[derive(Clone, Copy)]
enum TaskKind {
    Backup(usize),
    Prune(usize),
    Check(usize),
}

/// Runs of a schedule in the window: cron slots, or a chain of periods from an anchor.
fn task_times(
    ctx: &Ctx,
    sched: &Schedule,
    clk: ScheduleClock,
    zone: &NamedZone,
    from: Epoch,
    key: &str,
    duration: i64,
) -> Vec<Epoch> {
    match sched {
        Schedule::Cron(_) => {
            let z: &dyn Zone = if clk == ScheduleClock::Utc {
                &backwatch_core::time::Utc
            } else {
                zone
            };
            ctx.slots(sched, from, z)
        }
        _ => {
            // Periods chain from the end of the previous run; anchor at a stable instant.
            let period = sched
                .nominal_period()
                .map(i64::from)
                .unwrap_or(86_400)
                .max(3600);
            let offset = (hash(&[key]) % 3600) as i64;
            let first = from.max(ctx.start);
            let mut t = (first - offset).div_euclid(period) * period + offset;
            if t < first {
                t += period;
            }
            let mut v = Vec::new();
            while t <= ctx.now {
                v.push(t);
                t += period + duration;
            }
            v
        }
    }
}

/// Generates Backrest.
pub fn generate(ctx: &Ctx) -> BrWorld {
    let sc = &ctx.sc.backrest;
    let zone = ctx.zone(sc.timezone.as_deref());
    let seed = ctx.seed;
    let boot = ctx.now - dur_s(&sc.uptime);
    let repos: Vec<RepoRow> = sc
        .repos
        .iter()
        .map(|r| RepoRow {
            cfg: r.clone(),
            guid: Rng::new(seed, &["guid", &r.id]).hex(64),
        })
        .collect();
    let mut tasks: Vec<Task> = Vec::new();
    for (pi, plan) in sc.plans.iter().enumerate() {
        let Some(sched) = schedule(&plan.schedule) else {
            continue;
        };
        let created = plan
            .created_ago
            .as_deref()
            .map(|a| ctx.now - dur_s(a))
            .unwrap_or(ctx.start);
        let target = format!("plan/{}", plan.id);
        if ctx.never(&target) {
            continue;
        }
        let times = task_times(
            ctx,
            &sched,
            clock(&plan.schedule),
            &zone,
            created,
            &plan.id,
            dur_s(&plan.duration),
        );
        let plants = ctx.planted(std::slice::from_ref(&target), &times);
        for at in times {
            tasks.push(Task {
                at,
                kind: TaskKind::Backup(pi),
                outcome: plants.get(&at).cloned(),
            });
        }
    }
    for (ri, repo) in sc.repos.iter().enumerate() {
        for (which, s) in [(0, &repo.prune), (1, &repo.check)] {
            let Some(s) = s else { continue };
            let Some(sched) = schedule(s) else { continue };
            let target = format!(
                "{}/{}",
                if which == 0 {
                    "repo-prune"
                } else {
                    "repo-check"
                },
                repo.id
            );
            let times = task_times(ctx, &sched, clock(s), &zone, ctx.start, &target, 600);
            let plants = ctx.planted(std::slice::from_ref(&target), &times);
            for at in times {
                tasks.push(Task {
                    at,
                    kind: if which == 0 {
                        TaskKind::Prune(ri)
                    } else {
                        TaskKind::Check(ri)
                    },
                    outcome: plants.get(&at).cloned(),
                });
            }
        }
    }
    tasks.sort_by_key(|t| {
        (
            t.at,
            match t.kind {
                TaskKind::Backup(i) => i,
                TaskKind::Prune(i) => 1000 + i,
                TaskKind::Check(i) => 2000 + i,
            },
        )
    });

    let mut ops: Vec<Op> = Vec::new();
    let mut free = i64::MIN;
    // Per plan: (snapshot id, time) of current snapshots, newest last.
    let mut plan_snaps: BTreeMap<usize, Vec<(String, Epoch, i64)>> = BTreeMap::new();
    let mut last_end: BTreeMap<usize, Epoch> = BTreeMap::new();
    let mut running_plan: BTreeSet<usize> = BTreeSet::new();
    let mut forgotten: Vec<(String, Epoch)> = Vec::new();
    let mut repo_last: BTreeMap<(usize, u8), Epoch> = BTreeMap::new();
    for task in tasks {
        if task.outcome == Some(Planted::Missed) {
            continue;
        }
        let start = task.at.max(free) + 1;
        if start > ctx.now {
            continue;
        }
        let mut rng = Rng::new(
            seed,
            &[
                "brtask",
                &task.at.to_string(),
                &format!("{:?}", task_key(task.kind)),
            ],
        );
        match task.kind {
            TaskKind::Backup(pi) => {
                let plan = &sc.plans[pi];
                let ri = sc.repos.iter().position(|r| r.id == plan.repo).unwrap_or(0);
                let flow = op_id(start, 0);
                let start_ms = start * 1000 + rng.range(100, 900);
                let duration_ms = (rng.jitter(dur_s(&plan.duration) as f64, 0.12) * 1000.0) as i64;
                let end_ms = start_ms + duration_ms.max(1200);
                let total = rng.jitter(size(&plan.size) as f64, 0.004) as i64;
                let files_total = (total / 400_000).max(40);
                let running = task.outcome == Some(Planted::Running) || end_ms > ctx.now * 1000;
                let logref = Some(format!("t-{}", crate::util::uuid(&mut rng)));
                if running {
                    running_plan.insert(pi);
                    let frac = ((ctx.now * 1000 - start_ms) as f64 / duration_ms.max(1) as f64)
                        .clamp(0.01, 0.97);
                    let frac = (frac * 10_000.0).round() / 10_000.0;
                    ops.push(Op {
                        id: flow,
                        modno: flow * 3 % 100_000 + 7,
                        flow_id: flow,
                        repo: ri,
                        plan_id: plan.id.clone(),
                        snapshot_id: None,
                        status: OpStatus::InProgress,
                        start_ms,
                        end_ms: None,
                        message: None,
                        logref,
                        kind: OpKind::Backup {
                            summary: None,
                            progress: Some((
                                frac,
                                (files_total as f64 * frac) as i64,
                                (total as f64 * frac) as i64,
                                files_total,
                                total,
                                format!(
                                    "{}/{}",
                                    plan.paths.first().map(String::as_str).unwrap_or("/data"),
                                    "current-file.bin"
                                ),
                            )),
                        },
                    });
                    free = i64::MAX / 2;
                    continue;
                }
                let end = end_ms / 1000 + 1;
                free = end + 1;
                last_end.insert(pi, end);
                if let Some(Planted::Failed(m)) = &task.outcome {
                    let cmd = format!(
                        "/data/restic-0.18.1 backup --json {} --tag plan:{} --tag created-by:{}",
                        plan.paths.join(" "),
                        plan.id,
                        sc.instance
                    );
                    let cut: String = cmd.chars().take(97).collect();
                    let message = format!(
                        "failed to backup: command \"{cut}...\" failed: exit code 1: {}",
                        m.clone().unwrap_or_else(|| "unable to create lock in backend: repository is already locked exclusively".into())
                    );
                    ops.push(Op {
                        id: flow,
                        modno: flow * 3 % 100_000 + 7,
                        flow_id: flow,
                        repo: ri,
                        plan_id: plan.id.clone(),
                        snapshot_id: None,
                        status: OpStatus::Error,
                        start_ms,
                        end_ms: Some(start_ms + 3000 + rng.range(0, 2500)),
                        message: Some(message),
                        logref,
                        kind: OpKind::Backup {
                            summary: None,
                            progress: None,
                        },
                    });
                    if plan.error_hook {
                        ops.push(Op {
                            id: flow + 1,
                            modno: flow * 3 % 100_000 + 10,
                            flow_id: flow,
                            repo: ri,
                            plan_id: plan.id.clone(),
                            snapshot_id: None,
                            status: OpStatus::Success,
                            start_ms: start_ms + 6000,
                            end_ms: Some(start_ms + 6380),
                            message: Some(format!(
                                "running discord hook plan/{}/hook/0 triggered by CONDITION_SNAPSHOT_ERROR",
                                plan.id
                            )),
                            logref: Some(format!("t-{}", crate::util::uuid(&mut rng))),
                            kind: OpKind::Hook { parent: flow },
                        });
                    }
                    continue;
                }
                let snapshot = Rng::new(seed, &["snap", &plan.id, &start.to_string()]).hex(64);
                let added = (total as f64 * rng.jitter(0.004, 0.9)) as i64;
                let summary = Summary {
                    files_new: rng.range(0, 40),
                    files_changed: rng.range(0, 30),
                    files_unmodified: files_total - 40,
                    dirs_new: rng.range(0, 5),
                    dirs_changed: rng.range(1, 25),
                    dirs_unmodified: files_total / 8,
                    data_blobs: rng.range(10, 300),
                    tree_blobs: rng.range(5, 40),
                    data_added: added,
                    total_files: files_total,
                    total_bytes: total,
                    total_duration: ((end_ms - start_ms) as f64 / 1000.0 * 1e6).round() / 1e6,
                };
                let parent = plan_snaps
                    .get(&pi)
                    .and_then(|v| v.last())
                    .map(|s| s.0.clone());
                ops.push(Op {
                    id: flow,
                    modno: flow * 3 % 100_000 + 7,
                    flow_id: flow,
                    repo: ri,
                    plan_id: plan.id.clone(),
                    snapshot_id: Some(snapshot.clone()),
                    status: OpStatus::Success,
                    start_ms,
                    end_ms: Some(end_ms),
                    message: None,
                    logref,
                    kind: OpKind::Backup {
                        summary: Some(summary.clone()),
                        progress: None,
                    },
                });
                ops.push(Op {
                    id: flow + 1,
                    modno: flow * 3 % 100_000 + 10,
                    flow_id: flow,
                    repo: ri,
                    plan_id: plan.id.clone(),
                    snapshot_id: Some(snapshot.clone()),
                    status: OpStatus::Success,
                    start_ms: start_ms - 228,
                    end_ms: Some(end_ms + 480),
                    message: None,
                    logref: None,
                    kind: OpKind::Index {
                        time_ms: start_ms - 228,
                        tree: rng.hex(64),
                        parent,
                        paths: plan.paths.clone(),
                        summary,
                        forgot: false,
                    },
                });
                ops.push(Op {
                    id: flow + 2,
                    modno: flow * 3 % 100_000 + 13,
                    flow_id: flow,
                    repo: ri,
                    plan_id: plan.id.clone(),
                    snapshot_id: None,
                    status: OpStatus::Success,
                    start_ms: end_ms + 2000,
                    end_ms: Some(end_ms + 3900),
                    message: None,
                    logref: Some(format!("t-{}", crate::util::uuid(&mut rng))),
                    kind: OpKind::Forget,
                });
                let snaps = plan_snaps.entry(pi).or_default();
                snaps.push((snapshot, start, end));
                let removed = apply_retention(plan, snaps, &zone);
                forgotten.extend(removed.into_iter().map(|id| (id, end)));
            }
            TaskKind::Prune(ri) | TaskKind::Check(ri) => {
                let repo = &sc.repos[ri];
                let is_prune = matches!(task.kind, TaskKind::Prune(_));
                let flow = op_id(start, 0);
                let start_ms = start * 1000 + rng.range(100, 900);
                let base = dur_s(if is_prune {
                    &repo.prune_duration
                } else {
                    &repo.check_duration
                });
                let end_ms = start_ms + (rng.jitter(base as f64, 0.1) * 1000.0) as i64;
                if end_ms > ctx.now * 1000 || task.outcome == Some(Planted::Running) {
                    ops.push(Op {
                        id: flow,
                        modno: flow * 3 % 100_000 + 7,
                        flow_id: flow,
                        repo: ri,
                        plan_id: "_system_".into(),
                        snapshot_id: None,
                        status: OpStatus::InProgress,
                        start_ms,
                        end_ms: None,
                        message: None,
                        logref: None,
                        kind: if is_prune {
                            OpKind::Prune {
                                logref: format!("t-{}", crate::util::uuid(&mut rng)),
                            }
                        } else {
                            OpKind::Check {
                                logref: format!("t-{}", crate::util::uuid(&mut rng)),
                            }
                        },
                    });
                    free = i64::MAX / 2;
                    repo_last.insert((ri, u8::from(!is_prune)), i64::MAX / 2);
                    continue;
                }
                let failed = matches!(task.outcome, Some(Planted::Failed(_)));
                let message = match &task.outcome {
                    Some(Planted::Failed(m)) => Some(m.clone().unwrap_or_else(|| {
                        if is_prune {
                            "prune failed: exit code 1: repository contains errors".into()
                        } else {
                            "check failed: exit code 1: Fatal: repository contains errors".into()
                        }
                    })),
                    _ => None,
                };
                ops.push(Op {
                    id: flow,
                    modno: flow * 3 % 100_000 + 7,
                    flow_id: flow,
                    repo: ri,
                    plan_id: "_system_".into(),
                    snapshot_id: None,
                    status: if failed {
                        OpStatus::Error
                    } else {
                        OpStatus::Success
                    },
                    start_ms,
                    end_ms: Some(end_ms),
                    message,
                    logref: None,
                    kind: if is_prune {
                        OpKind::Prune {
                            logref: format!("t-{}", crate::util::uuid(&mut rng)),
                        }
                    } else {
                        OpKind::Check {
                            logref: format!("t-{}", crate::util::uuid(&mut rng)),
                        }
                    },
                });
                let end = end_ms / 1000 + 1;
                if is_prune && !failed {
                    let (count, total): (i64, i64) = plan_snaps
                        .iter()
                        .filter(|(p, _)| sc.plans[**p].repo == repo.id)
                        .map(|(p, v)| {
                            (
                                v.len() as i64,
                                v.len() as i64 * size(&sc.plans[*p].size) as i64 / 9,
                            )
                        })
                        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
                    ops.push(Op {
                        id: op_id(end + 1, 0),
                        modno: op_id(end + 1, 0) * 3 % 100_000 + 7,
                        flow_id: op_id(end + 1, 0),
                        repo: ri,
                        plan_id: "_system_".into(),
                        snapshot_id: None,
                        status: OpStatus::Success,
                        start_ms: (end + 1) * 1000 + 120,
                        end_ms: Some((end + 9) * 1000 + 450),
                        message: None,
                        logref: None,
                        kind: OpKind::Stats {
                            total_size: total,
                            snapshot_count: count,
                        },
                    });
                }
                free = end + 10;
                repo_last.insert((ri, u8::from(!is_prune)), end);
            }
        }
    }

    // Pending ops: one per schedulable task that is not running now.
    for (pi, plan) in sc.plans.iter().enumerate() {
        if running_plan.contains(&pi) {
            continue;
        }
        let Some(sched) = schedule(&plan.schedule) else {
            continue;
        };
        let ri = sc.repos.iter().position(|r| r.id == plan.repo).unwrap_or(0);
        let clk = clock(&plan.schedule);
        let last = last_end.get(&pi).copied();
        let next = match (&sched, clk) {
            (Schedule::Cron(_), _) => sched.next_run(clk, ctx.now, last, &zone),
            (_, ScheduleClock::LastRunTime) => sched.next_after(last.unwrap_or(boot), &zone),
            _ => sched.next_after(last.unwrap_or(boot), &zone),
        };
        let Some(next) = next else { continue };
        let created = last.map(|l| l + 1).unwrap_or(boot).min(ctx.now);
        let id = op_id(created, 8);
        ops.push(Op {
            id,
            modno: id * 3 % 100_000 + 1,
            flow_id: id,
            repo: ri,
            plan_id: plan.id.clone(),
            snapshot_id: None,
            status: OpStatus::Pending,
            start_ms: next * 1000,
            end_ms: None,
            message: None,
            logref: None,
            kind: OpKind::Backup {
                summary: None,
                progress: None,
            },
        });
    }
    for (ri, repo) in sc.repos.iter().enumerate() {
        for (which, s) in [(0u8, &repo.prune), (1u8, &repo.check)] {
            let Some(s) = s else { continue };
            let Some(sched) = schedule(s) else { continue };
            let last = repo_last.get(&(ri, which)).copied();
            if last == Some(i64::MAX / 2) {
                continue;
            }
            let Some(next) = sched.next_run(clock(s), ctx.now, last, &zone) else {
                continue;
            };
            let created = last.map(|l| l + 2).unwrap_or(boot).min(ctx.now);
            let id = op_id(created, 9 + i64::from(which));
            let mut rng = Rng::new(seed, &["pending", &repo.id, &which.to_string()]);
            ops.push(Op {
                id,
                modno: id * 3 % 100_000 + 1,
                flow_id: id,
                repo: ri,
                plan_id: "_system_".into(),
                snapshot_id: None,
                status: OpStatus::Pending,
                start_ms: next * 1000,
                end_ms: None,
                message: None,
                logref: None,
                kind: if which == 0 {
                    OpKind::Prune {
                        logref: format!("t-{}", crate::util::uuid(&mut rng)),
                    }
                } else {
                    OpKind::Check {
                        logref: format!("t-{}", crate::util::uuid(&mut rng)),
                    }
                },
            });
        }
    }

    // Op-log GC, daily since boot: flows whose snapshot was forgotten before the last GC
    // disappear; forgotten since then keep `forgot: true`.
    let last_gc = boot + ((ctx.now - boot) / 86_400) * 86_400;
    let forgotten_before: BTreeSet<&str> = forgotten
        .iter()
        .filter(|(_, at)| *at <= last_gc)
        .map(|(id, _)| id.as_str())
        .collect();
    let forgotten_after: BTreeSet<&str> = forgotten
        .iter()
        .filter(|(_, at)| *at > last_gc)
        .map(|(id, _)| id.as_str())
        .collect();
    let dead_flows: BTreeSet<i64> = ops
        .iter()
        .filter(|o| {
            matches!(o.kind, OpKind::Index { .. })
                && o.snapshot_id
                    .as_deref()
                    .is_some_and(|s| forgotten_before.contains(s))
        })
        .map(|o| o.flow_id)
        .collect();
    let live_flows: BTreeSet<i64> = ops
        .iter()
        .filter(|o| {
            matches!(o.kind, OpKind::Index { .. })
                && o.snapshot_id
                    .as_deref()
                    .is_some_and(|s| !forgotten_before.contains(s))
        })
        .map(|o| o.flow_id)
        .collect();
    let month_ago_ms = (last_gc - 30 * 86_400) * 1000;
    ops.retain(|o| {
        if dead_flows.contains(&o.flow_id) {
            return false;
        }
        if live_flows.contains(&o.flow_id) || o.status == OpStatus::Pending {
            return true;
        }
        match o.kind {
            OpKind::Prune { .. } | OpKind::Check { .. } | OpKind::Stats { .. } => true,
            _ => o.start_ms >= month_ago_ms || o.status == OpStatus::InProgress,
        }
    });
    for o in &mut ops {
        if let OpKind::Index { forgot, .. } = &mut o.kind
            && o.snapshot_id
                .as_deref()
                .is_some_and(|s| forgotten_after.contains(s))
        {
            *forgot = true;
        }
    }
    // At most 12 prune/check ops per repo survive.
    let mut kept: BTreeMap<(usize, u8), usize> = BTreeMap::new();
    ops.sort_by_key(|o| std::cmp::Reverse(o.id));
    ops.retain(|o| {
        let k = match o.kind {
            OpKind::Prune { .. } => 0,
            OpKind::Check { .. } => 1,
            OpKind::Stats { .. } => 2,
            _ => return true,
        };
        let n = kept.entry((o.repo, k)).or_insert(0);
        *n += 1;
        *n <= if k == 2 { 100 } else { 12 }
    });
    ops.sort_by_key(|o| o.id);
    ops.dedup_by_key(|o| o.id);
    let modno = 40 + (hash(&[&sc.instance]) % 40) as i64;
    let _ = local_format;
    BrWorld {
        instance: sc.instance.clone(),
        repos,
        plans: sc.plans.clone(),
        ops,
        now: ctx.now,
        zone,
        v114: sc.version != "1.13",
        key_id: format!(
            "ed25519.{}",
            base64_like(&Rng::new(seed, &["key", &sc.instance]).hex(43))
        ),
        modno,
    }
}

fn base64_like(hex: &str) -> String {
    hex.chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 3 == 0 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

fn task_key(k: TaskKind) -> (u8, usize) {
    match k {
        TaskKind::Backup(i) => (0, i),
        TaskKind::Prune(i) => (1, i),
        TaskKind::Check(i) => (2, i),
    }
}

/// restic forget: keep-last N, time buckets (local), or keep-all. Returns forgotten ids.
fn apply_retention(
    plan: &BrPlan,
    snaps: &mut Vec<(String, Epoch, i64)>,
    zone: &NamedZone,
) -> Vec<String> {
    let r = &plan.retention;
    if r.get("keep_all").and_then(|v| v.as_bool()) == Some(true) || r.is_empty() {
        return Vec::new();
    }
    let n = |k: &str| {
        r.get(k)
            .and_then(|v| v.as_integer())
            .map(|v| v.max(0) as usize)
    };
    let mut keep: BTreeSet<usize> = BTreeSet::new();
    let order: Vec<usize> = (0..snaps.len()).rev().collect();
    if let Some(last) = n("keep_last") {
        keep.extend(order.iter().take(last).copied());
    }
    for (key, fmt) in [
        ("hourly", "%Y-%m-%d %H"),
        ("daily", "%Y-%m-%d"),
        ("weekly", "%G-%V"),
        ("monthly", "%Y-%m"),
        ("yearly", "%Y"),
    ] {
        let Some(count) = n(key) else { continue };
        let mut seen = BTreeSet::new();
        for &i in &order {
            if seen.len() >= count {
                break;
            }
            if seen.insert(local_format(snaps[i].1, zone, fmt)) {
                keep.insert(i);
            }
        }
    }
    let mut removed = Vec::new();
    let mut i = 0;
    snaps.retain(|s| {
        let k = keep.contains(&i);
        i += 1;
        if !k {
            removed.push(s.0.clone());
        }
        k
    });
    removed
}
