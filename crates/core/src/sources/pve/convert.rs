//! PVE wire data → model.

use super::collect::Received;
use super::wire;
use crate::model::{
    BackupSet, Coverage, Guest, GuestType, Job, JobKind, Run, RunOutcome, ScheduleClock,
    ScheduleSpec, ServerInfo, SourceData, SourceId, Subject, Verification, VerifyState, Via,
};
use crate::sources::pbs::upid::upid_start;
use crate::sources::util;

/// Sort key of a guest: VMs before containers (as `GuestType`'s order), then by VMID.
fn guest_rank(ty: GuestType, id: u32) -> i64 {
    let t = match ty {
        GuestType::Vm => 0,
        GuestType::Ct => 1,
    };
    (t << 32) | i64::from(id)
}

fn guest_type(kind: &wire::GuestKind) -> Option<GuestType> {
    match kind {
        wire::GuestKind::Qemu => Some(GuestType::Vm),
        wire::GuestKind::Lxc => Some(GuestType::Ct),
        wire::GuestKind::Unknown(_) => None,
    }
}

fn nonempty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// VMIDs of a PVE list parameter (`"100,103"`, `"100 103"`, `"100;103"`).
fn vmid_list(s: Option<&str>) -> Vec<u32> {
    s.unwrap_or_default()
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter_map(|p| p.trim().parse::<u32>().ok())
        .collect()
}

pub(crate) fn guests(resources: &[wire::Resource]) -> Vec<Guest> {
    let mut out: Vec<Guest> = resources
        .iter()
        .filter_map(|r| {
            Some(Guest {
                ty: guest_type(&r.kind)?,
                id: u32::try_from(r.vmid).ok()?,
                name: nonempty(r.name.as_deref()).map(str::to_owned),
                node: r.node.clone(),
                pool: nonempty(r.pool.as_deref()).map(str::to_owned),
                template: r.template,
                backup_running: r.lock.as_deref() == Some("backup"),
            })
        })
        .collect();
    util::sort_asc(&mut out, |g| {
        (i64::from(g.id) << 1) | guest_rank(g.ty, 0) >> 32
    });
    out
}

/// The guests a vzdump job backs up, as PVE's `get_included_guests` selects them:
/// `pool` > `vmid` > `all` minus `exclude`, then only guests on `node` if set.
/// Templates are included, as vzdump includes them.
pub(crate) fn resolve(job: &wire::BackupJob, guests: &[Guest]) -> Vec<Subject> {
    let mut selected: Vec<&Guest> = if let Some(pool) = nonempty(job.pool.as_deref()) {
        guests
            .iter()
            .filter(|g| g.pool.as_deref() == Some(pool))
            .collect()
    } else if nonempty(job.vmid.as_deref()).is_some() {
        let ids = vmid_list(job.vmid.as_deref());
        guests.iter().filter(|g| ids.contains(&g.id)).collect()
    } else if job.all {
        let exclude = vmid_list(job.exclude.as_deref());
        guests.iter().filter(|g| !exclude.contains(&g.id)).collect()
    } else {
        Vec::new()
    };
    if let Some(node) = nonempty(job.node.as_deref()) {
        selected.retain(|g| g.node.as_deref() == Some(node));
    }
    util::sort_asc(&mut selected, |g| guest_rank(g.ty, g.id));
    selected.dedup_by_key(|g| (g.ty, g.id));
    selected
        .into_iter()
        .map(|g| Subject::Guest { ty: g.ty, id: g.id })
        .collect()
}

fn job(source: &SourceId, j: &wire::BackupJob, guests: Option<&[Guest]>) -> Job {
    let label = match (
        nonempty(j.comment.as_deref()),
        nonempty(j.storage.as_deref()),
    ) {
        (Some(c), _) => c.to_owned(),
        (None, Some(st)) => format!("Backup to {st}"),
        (None, None) => format!("Backup job {}", j.id),
    };
    Job {
        source: source.clone(),
        id: j.id.clone(),
        kind: JobKind::Backup,
        label,
        schedule: nonempty(j.schedule.as_deref()).map(|s| ScheduleSpec::Calendar(s.to_owned())),
        clock: ScheduleClock::Local,
        zone: None,
        enabled: j.enabled,
        // PVE computes next-run even for disabled jobs.
        next_run: j.next_run.filter(|_| j.enabled),
        last_run: None,
        covers: match guests {
            Some(g) => Coverage::Subjects(resolve(j, g)),
            None => Coverage::Unknown,
        },
    }
}

/// Backup sets of one storage listing, one per guest, `Via::PbsViaPve`.
pub(crate) fn storage_sets(
    source: &SourceId,
    storage: &str,
    items: &[wire::StorageContent],
    warnings: &mut Vec<String>,
) -> Vec<BackupSet> {
    let mut by_guest: Vec<((GuestType, u32), Vec<&wire::StorageContent>)> = Vec::new();
    let mut skipped = 0usize;
    for it in items {
        let ty = match (it.format.as_deref(), it.subtype.as_deref()) {
            (Some("pbs-vm"), _) => GuestType::Vm,
            (Some("pbs-ct"), _) => GuestType::Ct,
            _ => {
                skipped += 1;
                continue;
            }
        };
        let (Some(vmid), Some(_)) = (it.vmid.and_then(|v| u32::try_from(v).ok()), it.ctime) else {
            skipped += 1;
            continue;
        };
        util::entry(&mut by_guest, (ty, vmid)).push(it);
    }
    if skipped > 0 {
        warnings.push(format!(
            "storage {storage}: {skipped} volumes skipped (not PBS backups); only PBS storages are read"
        ));
    }
    util::sort_asc(&mut by_guest, |((ty, id), _)| guest_rank(*ty, *id));
    by_guest
        .into_iter()
        .map(|((ty, id), mut rows)| {
            util::sort_desc(&mut rows, |r| r.ctime.unwrap_or_default());
            let mut set = BackupSet {
                source: source.clone(),
                via: Via::PbsViaPve {
                    storage: storage.to_owned(),
                },
                subject: Subject::Guest { ty, id },
                location: None,
                label: rows
                    .iter()
                    .find_map(|r| nonempty(r.notes.as_deref()))
                    .map(str::to_owned),
                snapshot_count: None,
                last_success: None,
                runs: Vec::new(),
                verification: None,
                size_bytes: None,
                next_run: None,
                runs_complete: true,
                protected_count: None,
                encrypted: None,
            };
            let mut finished = 0u32;
            let mut protected = 0u32;
            for (i, r) in rows.iter().enumerate() {
                let start = r.ctime.unwrap_or_default();
                // PVE reports `size: 1` when PBS sent no size: no manifest yet.
                let in_progress = matches!(r.size, None | Some(1));
                let outcome = match (in_progress, i) {
                    (false, _) => RunOutcome::Ok,
                    (true, 0) => RunOutcome::Running,
                    (true, _) => RunOutcome::Failed,
                };
                if outcome == RunOutcome::Ok {
                    finished += 1;
                    if set.last_success.is_none() {
                        set.last_success = Some(start);
                        set.size_bytes = r.size;
                        set.encrypted = Some(r.encrypted.is_some());
                    }
                }
                if r.protected {
                    protected += 1;
                }
                if set.verification.is_none()
                    && let Some(v) = &r.verification
                {
                    let state = match v.state {
                        wire::VerifyState::Ok => VerifyState::Ok,
                        _ => VerifyState::Failed,
                    };
                    set.verification = Some(Verification {
                        state,
                        at: upid_start(&v.upid),
                    });
                }
                set.runs.push(Run {
                    start,
                    end: None,
                    outcome,
                    message: (outcome == RunOutcome::Failed)
                        .then(|| "snapshot has no manifest (aborted backup)".to_owned()),
                });
            }
            set.snapshot_count = Some(finished);
            set.protected_count = Some(protected);
            set
        })
        .collect()
}

pub(crate) fn source_data(source: &SourceId, rx: Received) -> SourceData {
    let mut warnings = rx.warnings;
    let guests = rx.resources.as_deref().map(guests);
    if guests.is_none() {
        warnings.push("job coverage unknown: guests could not be read".to_owned());
    }
    let jobs = rx
        .jobs
        .iter()
        .map(|j| job(source, j, guests.as_deref()))
        .collect();
    let all_guests = guests.unwrap_or_default();
    let not_backed_up = rx
        .not_backed_up
        .iter()
        .flatten()
        .filter_map(|n| {
            let ty = guest_type(&n.kind)?;
            let id = u32::try_from(n.vmid).ok()?;
            let known = all_guests.iter().find(|g| g.ty == ty && g.id == id);
            Some(match known {
                Some(g) => g.clone(),
                None => Guest {
                    ty,
                    id,
                    name: nonempty(n.name.as_deref()).map(str::to_owned),
                    node: None,
                    pool: None,
                    template: false,
                    backup_running: false,
                },
            })
        })
        .collect();
    let mut backups = Vec::new();
    for (st, items) in &rx.contents {
        if items.is_empty() {
            warnings.push(format!(
                "storage {} on {} lists no backups. PVE hides backup volumes unless the token has \
                 Datastore.Allocate on /storage/{} (or Datastore.AllocateSpace plus VM.Backup on \
                 each guest); PVEAuditor alone sees an empty list",
                st.storage, st.node, st.storage
            ));
            continue;
        }
        backups.extend(storage_sets(source, &st.storage, items, &mut warnings));
    }
    SourceData {
        backups,
        jobs,
        guests: all_guests,
        not_backed_up,
        datastores: Vec::new(),
        server: rx.version.map(|v| ServerInfo {
            version: Some(v.version),
            cpu: None,
            memory_used: None,
            memory_total: None,
            uptime_secs: None,
        }),
        tasks: Vec::new(),
        timezone: rx
            .time
            .and_then(|t| t.timezone)
            .filter(|t| !t.trim().is_empty()),
        warnings,
    }
}
