//! PVE and PBS together: PVE's vzdump jobs write PBS snapshots, so one generator makes both.
//!
//! - vzdump jobs run per node, one at a time (vzdump's global lock): a job that starts while
//!   another runs waits, and the guests of a job are backed up one after another in VMID
//!   order. At `now` this gives a running guest, guests still waiting (late) and guests
//!   done, exactly as on a real node.
//! - PBS prune jobs delete by keep rules as PBS does; verify jobs verify what is new or
//!   outdated; GC, sync and logrotate leave tasks and job state.

use std::collections::{BTreeMap, BTreeSet};

use backwatch_core::model::Epoch;
use backwatch_core::schedule::Schedule;
use backwatch_core::time::{NamedZone, Zone};

use super::{Ctx, Planted, dur_s, size};
use crate::scenario::{BackupJob, Guest, PruneJob, Storage};
use crate::util::{Rng, hash, local_fields, upid_escape};

const GIB: u64 = 1 << 30;

/// A file of a PBS snapshot.
#[derive(Clone, Debug)]
pub struct SnapFile {
    /// File name.
    pub name: String,
    /// `none`, `encrypt`, `sign-only`; absent for files outside the manifest.
    pub crypt: Option<&'static str>,
    /// Size; absent for files outside the manifest.
    pub size: Option<u64>,
}

/// A PBS snapshot.
#[derive(Clone, Debug)]
pub struct Snap {
    /// Namespace (`""` = root).
    pub ns: String,
    /// `vm`, `ct`, `host`.
    pub ty: &'static str,
    /// backup-id.
    pub id: String,
    /// backup-time.
    pub time: Epoch,
    /// End of the backup (`None` while in progress).
    pub end: Option<Epoch>,
    /// Manifest comment (first line of the notes).
    pub comment: Option<String>,
    /// Files (manifest order, then `client.log.blob`).
    pub files: Vec<SnapFile>,
    /// Sum of file sizes (absent while in progress).
    pub size: Option<u64>,
    /// Owner auth id.
    pub owner: String,
    /// Protected snapshot.
    pub protected: bool,
    /// Last verification: (verify task UPID, ok).
    pub verification: Option<(String, bool)>,
    /// Time of the last verification.
    pub verified_at: Option<Epoch>,
    /// First line of the group notes (for the group listing).
    pub group_comment: Option<String>,
    /// Planted verification failure for this subject.
    pub verify_fails: bool,
}

impl Snap {
    /// Finished (has a manifest).
    pub fn finished(&self) -> bool {
        self.end.is_some()
    }
}

/// A PBS task.
#[derive(Clone, Debug)]
pub struct Task {
    /// UPID.
    pub upid: String,
    /// Start time.
    pub starttime: Epoch,
    /// End time (`None` = running).
    pub endtime: Option<Epoch>,
    /// worker_type.
    pub worker_type: &'static str,
    /// worker_id.
    pub worker_id: Option<String>,
    /// Auth id.
    pub user: String,
    /// Status text (`OK`, `WARNINGS: n`, error text); `None` while running.
    pub status: Option<String>,
    /// Datastore the task concerns (for the `store` filter).
    pub store: Option<String>,
}

/// Last-run state of a PBS job.
#[derive(Clone, Debug, Default)]
pub struct JobStatus {
    /// next-run (after the end of the last run, or after creation).
    pub next_run: Option<Epoch>,
    /// last-run-state.
    pub last_state: Option<String>,
    /// last-run-upid.
    pub last_upid: Option<String>,
    /// last-run-endtime.
    pub last_end: Option<Epoch>,
}

impl JobStatus {
    /// Record one run of a scheduled job (prune, verify, sync): its task in the task log,
    /// and the job's last-run fields (still running when `end` is after `now`).
    #[allow(clippy::too_many_arguments)]
    fn record_run(
        tasks: &mut Vec<Task>,
        upid: String,
        worker_type: &'static str,
        worker_id: String,
        store: &str,
        (start, end): (Epoch, Epoch),
        now: Epoch,
        state: String,
    ) -> JobStatus {
        let running = end > now;
        tasks.push(Task {
            upid: upid.clone(),
            starttime: start,
            endtime: (!running).then_some(end),
            worker_type,
            worker_id: Some(worker_id),
            user: "root@pam".into(),
            status: (!running).then(|| state.clone()),
            store: Some(store.to_owned()),
        });
        JobStatus {
            next_run: None,
            last_state: (!running).then_some(state),
            last_upid: Some(upid),
            last_end: (!running).then_some(end),
        }
    }

    /// next-run as PBS computes it: none while the last run is still running, else the
    /// schedule's next event after the last run's end (or after `created`).
    fn schedule_next(&mut self, schedule: &Schedule, created: Epoch, zone: &NamedZone) {
        let running = self.last_upid.is_some() && self.last_end.is_none();
        self.next_run = if running {
            None
        } else {
            schedule.next_after(self.last_end.unwrap_or(created), zone)
        };
    }
}

/// Garbage collection state of a datastore.
#[derive(Clone, Debug, Default)]
pub struct GcState {
    /// UPID of the last GC (`None` = never ran).
    pub upid: Option<String>,
    /// index-file-count
    pub index_file_count: u64,
    /// index-data-bytes
    pub index_data_bytes: u64,
    /// disk-bytes
    pub disk_bytes: u64,
    /// disk-chunks
    pub disk_chunks: u64,
    /// removed-bytes
    pub removed_bytes: u64,
    /// removed-chunks
    pub removed_chunks: u64,
    /// pending-bytes
    pub pending_bytes: u64,
    /// pending-chunks
    pub pending_chunks: u64,
    /// cache hits
    pub cache_hits: u64,
    /// cache misses
    pub cache_misses: u64,
    /// Job status (next-run etc.).
    pub status: JobStatus,
    /// Duration of the last GC.
    pub duration: Option<i64>,
}

/// A PBS datastore.
#[derive(Clone, Debug)]
pub struct Store {
    /// Name.
    pub name: String,
    /// Path.
    pub path: String,
    /// Comment.
    pub comment: Option<String>,
    /// Removable.
    pub removable: bool,
    /// Mounted now.
    pub mounted: bool,
    /// gc-schedule.
    pub gc_schedule: Option<String>,
    /// Namespaces, root first, sorted.
    pub namespaces: Vec<String>,
    /// Snapshots that exist now.
    pub snaps: Vec<Snap>,
    /// Filesystem size.
    pub total: u64,
    /// Used bytes.
    pub used: u64,
    /// GC state.
    pub gc: GcState,
    /// Usage ratios every 1800 s (first point may be `None`).
    pub history: Vec<Option<f64>>,
    /// Start of the usage history.
    pub history_start: Epoch,
    /// Estimated full date (0 = never).
    pub estimated_full: Epoch,
}

/// A PBS job (prune, verify, sync) with its state.
#[derive(Clone, Debug)]
pub struct PbsJob<T> {
    /// The configuration.
    pub cfg: T,
    /// The state.
    pub status: JobStatus,
}

/// Everything PBS reports.
#[derive(Debug)]
pub struct PbsWorld {
    /// Node name.
    pub node: String,
    /// Server time zone.
    pub timezone: String,
    /// `version`.
    pub version: String,
    /// `release`.
    pub release: String,
    /// The simulated instant.
    pub now: Epoch,
    /// UTC offset at `now`.
    pub offset: i64,
    /// Boot time.
    pub boot: Epoch,
    /// Datastores.
    pub stores: Vec<Store>,
    /// Prune jobs.
    pub prune: Vec<PbsJob<crate::scenario::PruneJob>>,
    /// Verify jobs.
    pub verify: Vec<PbsJob<crate::scenario::VerifyJob>>,
    /// Sync jobs.
    pub sync: Vec<PbsJob<crate::scenario::SyncJob>>,
    /// Tasks: running first, then newest first.
    pub tasks: Vec<Task>,
    /// Seed (for digests).
    pub seed: u64,
}

/// A PVE guest now.
#[derive(Clone, Debug)]
pub struct GuestState {
    /// The configuration.
    pub cfg: Guest,
    /// Node.
    pub node: String,
    /// `backup` while vzdump runs on it.
    pub lock: bool,
    /// Max disk.
    pub maxdisk: u64,
    /// Used disk (CT) / 0 (VM).
    pub disk: u64,
    /// Max memory.
    pub maxmem: u64,
    /// Used memory.
    pub mem: u64,
    /// CPU fraction.
    pub cpu: f64,
    /// Uptime.
    pub uptime: i64,
    /// Counters.
    pub netin: u64,
    /// Counters.
    pub netout: u64,
    /// Counters.
    pub diskread: u64,
    /// Counters.
    pub diskwrite: u64,
}

/// A vzdump archive on a directory storage.
#[derive(Clone, Debug)]
pub struct Archive {
    /// `qemu` or `lxc`.
    pub subtype: &'static str,
    /// VMID.
    pub vmid: u32,
    /// Start time (ctime).
    pub ctime: Epoch,
    /// File name.
    pub file: String,
    /// Extension (`vma.zst`, `tar.zst`).
    pub format: &'static str,
    /// Size.
    pub size: u64,
    /// Notes.
    pub notes: Option<String>,
}

/// Everything PVE reports.
#[derive(Debug)]
pub struct PveWorld {
    /// Nodes.
    pub nodes: Vec<String>,
    /// Time zone.
    pub timezone: String,
    /// Version.
    pub version: String,
    /// The instant.
    pub now: Epoch,
    /// UTC offset at now.
    pub offset: i64,
    /// Guests present now.
    pub guests: Vec<GuestState>,
    /// Jobs with their next-run.
    pub jobs: Vec<(BackupJob, Option<Epoch>)>,
    /// Storages.
    pub storages: Vec<Storage>,
    /// Guests (present) no job covers.
    pub not_backed_up: Vec<(u32, &'static str, String)>,
    /// Directory storage archives, per storage id.
    pub archives: BTreeMap<String, Vec<Archive>>,
    /// Token may list storage content.
    pub content_visible: bool,
    /// Seed.
    pub seed: u64,
}

struct Upids {
    node: String,
}

impl Upids {
    fn make(&self, starttime: Epoch, ty: &str, id: Option<&str>, user: &str) -> String {
        let task_id = hash(&[ty, id.unwrap_or(""), &starttime.to_string()]) & 0xffff_ffff;
        format!(
            "UPID:{}:{:08X}:{:08X}:{:08X}:{:08X}:{}:{}:{}:",
            self.node,
            0x3a8,
            0x53f,
            task_id,
            starttime,
            ty,
            upid_escape(id.unwrap_or("")),
            user
        )
    }
}

/// The guests a job selects, as vzdump does: pool, else vmid list, else all minus exclude;
/// then the node filter.
pub fn job_selects(job: &BackupJob, guest: &Guest, node: &str) -> bool {
    let selected = if let Some(pool) = &job.pool {
        guest.pool.as_deref() == Some(pool.as_str())
    } else if !job.vmid.is_empty() {
        job.vmid.contains(&guest.vmid)
    } else if job.all {
        !job.exclude.contains(&guest.vmid)
    } else {
        false
    };
    selected && job.node.as_deref().is_none_or(|n| n == node)
}

fn guest_node(ctx: &Ctx, g: &Guest) -> String {
    g.node
        .clone()
        .or_else(|| ctx.sc.pve.nodes.first().cloned())
        .unwrap_or_else(|| "pve1".to_owned())
}

/// Logical size of one backup of a guest at `t`: VMs back up the whole image, containers
/// the used part (slowly growing).
fn guest_backup_size(ctx: &Ctx, g: &Guest, t: Epoch) -> u64 {
    let disk = size(&g.disk);
    if g.kind == "qemu" {
        disk
    } else {
        let base = disk as f64 * (0.18 + 0.25 * (hash(&[&g.name]) % 100) as f64 / 100.0);
        // Growth is a function of the backup time alone, so the past never changes.
        let days = (t - 1_700_000_000) as f64 / 86_400.0;
        let mut rng = Rng::new(ctx.seed, &["ctsize", &g.vmid.to_string(), &t.to_string()]);
        (rng.jitter(base * (0.7 + days * 0.0004), 0.002)) as u64
    }
}

fn guest_duration(ctx: &Ctx, g: &Guest, t: Epoch) -> i64 {
    let base = match &g.backup_duration {
        Some(d) => dur_s(d) as f64,
        None => 20.0 + size(&g.disk) as f64 / GIB as f64 * 3.0,
    };
    let mut rng = Rng::new(ctx.seed, &["dur", &g.vmid.to_string(), &t.to_string()]);
    rng.jitter(base, 0.08).max(5.0) as i64
}

fn guest_files(g: &Guest, total: u64, rng: &mut Rng) -> Vec<SnapFile> {
    let f = |name: &str, size: u64| SnapFile {
        name: name.to_owned(),
        crypt: Some("none"),
        size: Some(size),
    };
    let mut files = Vec::new();
    if g.kind == "qemu" {
        files.push(f("qemu-server.conf.blob", rng.range(420, 900) as u64));
        if g.uefi {
            files.push(f("drive-efidisk0.img.fidx", 540_672));
        }
        files.push(f("drive-scsi0.img.fidx", total));
    } else {
        files.push(f("pct.conf.blob", rng.range(380, 700) as u64));
        files.push(f("root.pxar.didx", total));
        files.push(f("catalog.pcat1.didx", (total / 7000).max(4096)));
    }
    files.push(f("index.json.blob", rng.range(560, 820) as u64));
    files.push(SnapFile {
        name: "client.log.blob".to_owned(),
        crypt: None,
        size: None,
    });
    files
}

fn in_progress_files(files: &[SnapFile]) -> Vec<SnapFile> {
    files
        .iter()
        .filter(|f| f.name != "index.json.blob" && f.name != "client.log.blob")
        .map(|f| SnapFile {
            name: f.name.clone(),
            crypt: None,
            size: None,
        })
        .collect()
}

fn notes(template: Option<&str>, g: &Guest) -> Option<String> {
    template.map(|t| {
        t.replace("{{guestname}}", &g.name)
            .replace("{{vmid}}", &g.vmid.to_string())
            .replace("{{node}}", g.node.as_deref().unwrap_or(""))
    })
}

struct JobRun<'a> {
    slot: Epoch,
    job_index: usize,
    job: &'a BackupJob,
}

/// Generates PBS and PVE.
pub fn generate(ctx: &Ctx) -> (PbsWorld, PveWorld) {
    let sc = ctx.sc;
    let pbs_zone = ctx.zone(sc.pbs.timezone.as_deref());
    let pve_zone = ctx.zone(sc.pve.timezone.as_deref());
    let upids = Upids {
        node: sc.pbs.node.clone(),
    };
    let mut tasks: Vec<Task> = Vec::new();
    let mut stores: Vec<Store> = sc
        .pbs
        .datastores
        .iter()
        .map(|d| {
            let unplugged = d
                .unplugged
                .as_deref()
                .and_then(|u| crate::util::parse_instant(u).ok())
                .or_else(|| d.unplugged_ago.as_deref().map(|a| ctx.now - dur_s(a)));
            let mut namespaces: Vec<String> = vec![String::new()];
            for ns in &d.namespaces {
                // Parents exist implicitly.
                let mut acc = String::new();
                for part in ns.split('/') {
                    if !acc.is_empty() {
                        acc.push('/');
                    }
                    acc.push_str(part);
                    if !namespaces.contains(&acc) {
                        namespaces.push(acc.clone());
                    }
                }
            }
            namespaces.sort();
            Store {
                name: d.name.clone(),
                path: d
                    .path
                    .clone()
                    .unwrap_or_else(|| format!("/mnt/datastore/{}", d.name)),
                comment: d.comment.clone(),
                removable: d.removable,
                mounted: !(d.removable && unplugged.is_some_and(|u| u <= ctx.now)),
                gc_schedule: d.gc.clone(),
                namespaces,
                snaps: Vec::new(),
                total: size(&d.size),
                used: d.base_used.as_deref().map(size).unwrap_or(0),
                gc: GcState::default(),
                history: Vec::new(),
                history_start: 0,
                estimated_full: 0,
            }
        })
        .collect();
    let unplugged_at: BTreeMap<String, Epoch> = sc
        .pbs
        .datastores
        .iter()
        .filter_map(|d| {
            d.unplugged
                .as_deref()
                .and_then(|u| crate::util::parse_instant(u).ok())
                .or_else(|| d.unplugged_ago.as_deref().map(|a| ctx.now - dur_s(a)))
                .map(|t| (d.name.clone(), t))
        })
        .collect();
    if let Some(scale) = &sc.scale
        && !stores.iter().any(|s| s.name == scale.store)
    {
        stores.push(Store {
            name: scale.store.clone(),
            path: format!("/mnt/datastore/{}", scale.store),
            comment: None,
            removable: false,
            mounted: true,
            gc_schedule: None,
            namespaces: vec![String::new()],
            snaps: Vec::new(),
            total: 64 * 1024 * GIB,
            used: 0,
            gc: GcState::default(),
            history: Vec::new(),
            history_start: 0,
            estimated_full: 0,
        });
    }

    // ---- PVE guests and vzdump jobs -------------------------------------------------------
    let removed_at = |g: &Guest| g.removed_ago.as_deref().map(|a| ctx.now - dur_s(a));
    let mut runs: Vec<JobRun> = Vec::new();
    for (job_index, job) in sc.pve.jobs.iter().enumerate() {
        if !job.enabled {
            continue;
        }
        let Ok(schedule) = Schedule::parse_calendar(&job.schedule) else {
            continue;
        };
        for slot in ctx.slots(&schedule, ctx.start, &pve_zone) {
            runs.push(JobRun {
                slot,
                job_index,
                job,
            });
        }
    }
    runs.sort_by_key(|r| (r.slot, r.job_index));
    // Each guest's slots (all jobs), for planted faults counted per guest.
    let mut guest_slots: BTreeMap<u32, Vec<Epoch>> = BTreeMap::new();
    for run in &runs {
        for g in &sc.pve.guests {
            let node = guest_node(ctx, g);
            if job_selects(run.job, g, &node) && removed_at(g).is_none_or(|r| run.slot < r) {
                guest_slots.entry(g.vmid).or_default().push(run.slot);
            }
        }
    }
    let mut planted: BTreeMap<u32, BTreeMap<Epoch, Planted>> = BTreeMap::new();
    for (vmid, slots) in &guest_slots {
        let target = format!("guest/{vmid}");
        if ctx.never(&target) {
            planted.insert(*vmid, slots.iter().map(|&s| (s, Planted::Missed)).collect());
        } else {
            planted.insert(*vmid, ctx.planted(&[target], slots));
        }
    }
    let mut node_free: BTreeMap<String, Epoch> = BTreeMap::new();
    let mut locked: BTreeSet<u32> = BTreeSet::new();
    let mut archives: BTreeMap<String, Vec<Archive>> = BTreeMap::new();
    for run in &runs {
        let job = run.job;
        let Some(storage) = sc.pve.storages.iter().find(|s| s.id == job.storage) else {
            continue;
        };
        let mut guests: Vec<&Guest> = sc
            .pve
            .guests
            .iter()
            .filter(|g| job_selects(job, g, &guest_node(ctx, g)))
            .filter(|g| removed_at(g).is_none_or(|r| run.slot < r))
            .collect();
        guests.sort_by_key(|g| g.vmid);
        // One queue per node; a job covering several nodes runs on each.
        let mut per_node: BTreeMap<String, Vec<&Guest>> = BTreeMap::new();
        for g in guests {
            per_node.entry(guest_node(ctx, g)).or_default().push(g);
        }
        for (node, guests) in per_node {
            let mut rng = Rng::new(ctx.seed, &["job", &job.id, &run.slot.to_string(), &node]);
            let free = node_free.get(&node).copied().unwrap_or(i64::MIN);
            let mut t = run.slot.max(free) + rng.range(1, 4);
            for g in guests {
                if t > ctx.now {
                    break;
                }
                let outcome = planted.get(&g.vmid).and_then(|p| p.get(&run.slot)).cloned();
                if outcome == Some(Planted::Missed) {
                    continue;
                }
                let start = t;
                let duration = guest_duration(ctx, g, run.slot);
                let mut end = start + duration;
                let running = outcome == Some(Planted::Running) || end > ctx.now;
                let failed =
                    match &outcome {
                        Some(Planted::Failed(m)) => Some(m.clone().unwrap_or_else(|| {
                            "backup ended but finished state is not set.".into()
                        })),
                        _ => None,
                    };
                if failed.is_some() {
                    end = start + (duration / 3).max(5);
                }
                let vm_ty = if g.kind == "qemu" { "vm" } else { "ct" };
                let total = guest_backup_size(ctx, g, run.slot);
                let mut frng = Rng::new(
                    ctx.seed,
                    &["files", &g.vmid.to_string(), &start.to_string()],
                );
                match storage.kind.as_str() {
                    "pbs" => {
                        let store_name = storage.datastore.clone().unwrap_or_default();
                        let worker_id = format!("{store_name}:{vm_ty}/{}", g.vmid);
                        let user = sc.pbs.pve_owner.clone();
                        let unplugged = unplugged_at.get(&store_name).is_some_and(|&u| start >= u);
                        if unplugged {
                            // The backup session cannot start: PBS logs a failed task.
                            tasks.push(Task {
                                upid: upids.make(start, "backup", Some(&worker_id), &user),
                                starttime: start,
                                endtime: Some(start),
                                worker_type: "backup",
                                worker_id: Some(worker_id),
                                user,
                                status: Some(format!("datastore '{store_name}' is not mounted")),
                                store: Some(store_name),
                            });
                            t = start + 3;
                            continue;
                        }
                        let upid = upids.make(start, "backup", Some(&worker_id), &user);
                        let Some(store) = stores.iter_mut().find(|s| s.name == store_name) else {
                            continue;
                        };
                        let files = guest_files(g, total, &mut frng);
                        let sum: u64 = files.iter().filter_map(|f| f.size).sum();
                        if running {
                            locked.insert(g.vmid);
                            store.snaps.push(Snap {
                                ns: storage.namespace.clone(),
                                ty: vm_ty,
                                id: g.vmid.to_string(),
                                time: start,
                                end: None,
                                comment: None,
                                files: in_progress_files(&files),
                                size: None,
                                owner: user.clone(),
                                protected: false,
                                verification: None,
                                verified_at: None,
                                group_comment: g.group_notes.clone(),
                                verify_fails: false,
                            });
                            tasks.push(Task {
                                upid,
                                starttime: start,
                                endtime: None,
                                worker_type: "backup",
                                worker_id: Some(worker_id),
                                user,
                                status: None,
                                store: Some(store_name),
                            });
                        } else if let Some(message) = failed {
                            tasks.push(Task {
                                upid,
                                starttime: start,
                                endtime: Some(end),
                                worker_type: "backup",
                                worker_id: Some(worker_id),
                                user,
                                status: Some(message),
                                store: Some(store_name),
                            });
                        } else {
                            store.snaps.push(Snap {
                                ns: storage.namespace.clone(),
                                ty: vm_ty,
                                id: g.vmid.to_string(),
                                time: start,
                                end: Some(end),
                                comment: notes(job.notes_template.as_deref(), g),
                                files,
                                size: Some(sum),
                                owner: user.clone(),
                                protected: false,
                                verification: None,
                                verified_at: None,
                                group_comment: g.group_notes.clone(),
                                verify_fails: ctx.verify_failed(&format!("guest/{}", g.vmid))
                                    && start >= ctx.now - 2 * 86_400,
                            });
                            tasks.push(Task {
                                upid,
                                starttime: start,
                                endtime: Some(end),
                                worker_type: "backup",
                                worker_id: Some(worker_id),
                                user,
                                status: Some("OK".to_owned()),
                                store: Some(store_name),
                            });
                        }
                    }
                    _ => {
                        if running {
                            locked.insert(g.vmid);
                        } else if failed.is_none() {
                            let (subtype, format, ext) = if g.kind == "qemu" {
                                ("qemu", "vma.zst", "vma.zst")
                            } else {
                                ("lxc", "tar.zst", "tar.zst")
                            };
                            let stamp =
                                crate::util::local_format(start, &pve_zone, "%Y_%m_%d-%H_%M_%S");
                            archives
                                .entry(storage.id.clone())
                                .or_default()
                                .push(Archive {
                                    subtype,
                                    vmid: g.vmid,
                                    ctime: start,
                                    file: format!("vzdump-{subtype}-{}-{stamp}.{ext}", g.vmid),
                                    format,
                                    size: (total as f64 * 0.42) as u64,
                                    notes: notes(job.notes_template.as_deref(), g),
                                });
                        }
                    }
                }
                t = if running {
                    ctx.now + 1
                } else {
                    end + frng.range(1, 3)
                };
            }
            node_free.insert(node, t);
        }
    }
    // Directory storages: prune-backups keep-last per guest.
    for job in &sc.pve.jobs {
        if let Some(keep) = job.prune_backups.get("keep-last")
            && let Some(list) = archives.get_mut(&job.storage)
        {
            let mut by_guest: BTreeMap<u32, Vec<Archive>> = BTreeMap::new();
            for a in list.drain(..) {
                by_guest.entry(a.vmid).or_default().push(a);
            }
            for (_, mut v) in by_guest {
                v.sort_by_key(|a| std::cmp::Reverse(a.ctime));
                v.truncate(*keep as usize);
                list.extend(v);
            }
        }
    }

    // ---- host backups (proxmox-backup-client) ----------------------------------------------
    for h in &sc.pbs.hosts {
        let Ok(schedule) = Schedule::parse_calendar(&h.schedule) else {
            continue;
        };
        let target = format!("host/{}", h.id);
        let slots = ctx.slots(&schedule, ctx.start, &pbs_zone);
        let plants = if ctx.never(&target) {
            slots.iter().map(|&s| (s, Planted::Missed)).collect()
        } else {
            ctx.planted(std::slice::from_ref(&target), &slots)
        };
        let owner = h
            .owner
            .clone()
            .unwrap_or_else(|| format!("{}@pbs!client", h.id));
        for slot in slots {
            let outcome = plants.get(&slot).cloned();
            if outcome == Some(Planted::Missed) {
                continue;
            }
            let mut rng = Rng::new(ctx.seed, &["host", &h.id, &slot.to_string()]);
            let start = slot + rng.range(0, 2);
            let end = start + rng.jitter(dur_s(&h.duration) as f64, 0.1) as i64;
            let running = outcome == Some(Planted::Running) || end > ctx.now;
            let worker_id = format!("{}:host/{}", h.store, h.id);
            let upid = upids.make(start, "backup", Some(&worker_id), &owner);
            let archives: Vec<String> = if h.archives.is_empty() {
                vec!["root.pxar.didx".into(), "catalog.pcat1.didx".into()]
            } else {
                h.archives.clone()
            };
            let total = (rng.jitter(size(&h.size) as f64, 0.01)) as u64;
            let mut files: Vec<SnapFile> = archives
                .iter()
                .enumerate()
                .map(|(i, a)| SnapFile {
                    name: a.clone(),
                    crypt: Some("none"),
                    size: Some(if i == 0 {
                        total
                    } else {
                        (total / 6000).max(4096)
                    }),
                })
                .collect();
            files.push(SnapFile {
                name: "index.json.blob".into(),
                crypt: Some("none"),
                size: Some(rng.range(400, 700) as u64),
            });
            let Some(store) = stores.iter_mut().find(|s| s.name == h.store) else {
                continue;
            };
            if let Some(Planted::Failed(m)) = &outcome {
                tasks.push(Task {
                    upid,
                    starttime: start,
                    endtime: Some(start + 20),
                    worker_type: "backup",
                    worker_id: Some(worker_id),
                    user: owner.clone(),
                    status: Some(
                        m.clone().unwrap_or_else(|| {
                            "backup ended but finished state is not set.".into()
                        }),
                    ),
                    store: Some(h.store.clone()),
                });
                continue;
            }
            let sum: u64 = files.iter().filter_map(|f| f.size).sum();
            store.snaps.push(Snap {
                ns: h.ns.clone(),
                ty: "host",
                id: h.id.clone(),
                time: start,
                end: (!running).then_some(end),
                comment: None,
                files: if running {
                    in_progress_files(&files)
                } else {
                    files
                },
                size: (!running).then_some(sum),
                owner: owner.clone(),
                protected: false,
                verification: None,
                verified_at: None,
                group_comment: h.comment.clone(),
                verify_fails: ctx.verify_failed(&target) && start >= ctx.now - 2 * 86_400,
            });
            tasks.push(Task {
                upid,
                starttime: start,
                endtime: (!running).then_some(end),
                worker_type: "backup",
                worker_id: Some(worker_id),
                user: owner.clone(),
                status: (!running).then(|| "OK".to_owned()),
                store: Some(h.store.clone()),
            });
        }
    }

    // ---- synthetic scale groups -------------------------------------------------------------
    if let Some(scale) = &sc.scale
        && let Ok(schedule) = Schedule::parse_calendar(&scale.schedule)
    {
        let namespaces: Vec<String> = (0..scale.namespaces.max(1))
            .map(|i| {
                if i == 0 {
                    String::new()
                } else {
                    format!("ns{i}")
                }
            })
            .collect();
        let slots: Vec<Epoch> = {
            // The newest `snapshots` occurrences before now, whatever the history length.
            let mut v = Vec::new();
            let mut t = ctx.now;
            while v.len() < scale.snapshots as usize {
                match schedule.prev_before(t, &pbs_zone) {
                    Some(p) => {
                        v.push(p);
                        t = p;
                    }
                    None => break,
                }
            }
            v.reverse();
            v
        };
        if let Some(store) = stores.iter_mut().find(|s| s.name == scale.store) {
            for ns in &namespaces {
                if !store.namespaces.contains(ns) {
                    store.namespaces.push(ns.clone());
                }
            }
            store.namespaces.sort();
            for gi in 0..scale.groups {
                let id = scale.first_id + gi;
                let ns = namespaces[(gi as usize) % namespaces.len()].clone();
                let ty = if gi % 3 == 0 { "vm" } else { "ct" };
                let name = format!("guest-{id}");
                for (si, &slot) in slots.iter().enumerate() {
                    let mut rng =
                        Rng::new(ctx.seed, &["scale", &id.to_string(), &slot.to_string()]);
                    let start = slot + (gi as i64 % 600);
                    let total = GIB * 4 + rng.range(0, 1 << 28) as u64;
                    let g = Guest {
                        vmid: id,
                        kind: if ty == "vm" {
                            "qemu".into()
                        } else {
                            "lxc".into()
                        },
                        name: name.clone(),
                        node: None,
                        pool: None,
                        template: false,
                        status: "running".into(),
                        tags: Vec::new(),
                        disk: "4GiB".into(),
                        memory: "1GiB".into(),
                        cores: 1,
                        backup_duration: None,
                        uefi: false,
                        removed_ago: None,
                        group_notes: None,
                    };
                    let files = guest_files(&g, total, &mut rng);
                    let sum: u64 = files.iter().filter_map(|f| f.size).sum();
                    let verified = si + 3 < slots.len();
                    store.snaps.push(Snap {
                        ns: ns.clone(),
                        ty,
                        id: id.to_string(),
                        time: start,
                        end: Some(start + 60),
                        comment: Some(name.clone()),
                        files,
                        size: Some(sum),
                        owner: sc.pbs.pve_owner.clone(),
                        protected: false,
                        verification: verified.then(|| {
                            (
                                upids.make(
                                    slot + 7200,
                                    "verificationjob",
                                    Some(&format!("{}:v-scale", scale.store)),
                                    "root@pam",
                                ),
                                true,
                            )
                        }),
                        verified_at: verified.then_some(slot + 7200),
                        group_comment: None,
                        verify_fails: false,
                    });
                }
            }
        }
    }

    // ---- prune jobs ---------------------------------------------------------------------------
    let mut prune_jobs = Vec::new();
    let mut prune_events: Vec<(Epoch, usize)> = Vec::new();
    for (i, job) in sc.pbs.prune.iter().enumerate() {
        if job.disable {
            continue;
        }
        if let Ok(s) = Schedule::parse_calendar(&job.schedule) {
            for slot in ctx.slots(&s, ctx.start, &pbs_zone) {
                prune_events.push((slot, i));
            }
        }
    }
    prune_events.sort();
    let mut prune_status: BTreeMap<usize, JobStatus> = BTreeMap::new();
    for (slot, i) in &prune_events {
        let job = &sc.pbs.prune[*i];
        let mut rng = Rng::new(ctx.seed, &["prune", &job.id, &slot.to_string()]);
        let start = slot + rng.range(0, 2);
        let end = start + rng.range(3, 12);
        if let Some(store) = stores.iter_mut().find(|s| s.name == job.store)
            && store.mounted
        {
            prune_store(store, job, start, &pbs_zone);
        }
        let worker_id = match &job.ns {
            Some(ns) if !ns.is_empty() => format!("{}:{ns}", job.store),
            _ => job.store.clone(),
        };
        let upid = upids.make(start, "prunejob", Some(&worker_id), "root@pam");
        let state = if stores.iter().any(|s| s.name == job.store && !s.mounted) {
            format!("datastore '{}' is not mounted", job.store)
        } else {
            "OK".to_owned()
        };
        let status = JobStatus::record_run(
            &mut tasks,
            upid,
            "prunejob",
            worker_id,
            &job.store,
            (start, end),
            ctx.now,
            state,
        );
        prune_status.insert(*i, status);
    }
    for (i, job) in sc.pbs.prune.iter().enumerate() {
        let mut status = prune_status.remove(&i).unwrap_or_default();
        if !job.disable
            && let Ok(s) = Schedule::parse_calendar(&job.schedule)
        {
            status.schedule_next(&s, ctx.start, &pbs_zone);
        }
        prune_jobs.push(PbsJob {
            cfg: job.clone(),
            status,
        });
    }

    // ---- verify jobs ---------------------------------------------------------------------------
    let mut verify_jobs = Vec::new();
    for job in &sc.pbs.verify {
        let mut status = JobStatus::default();
        let schedule = job
            .schedule
            .as_deref()
            .and_then(|s| Schedule::parse_calendar(s).ok());
        if let Some(s) = &schedule {
            let worker_id = format!("{}:{}", job.store, job.id);
            for slot in ctx.slots(s, ctx.start, &pbs_zone) {
                let Some(store) = stores.iter_mut().find(|st| st.name == job.store) else {
                    break;
                };
                let start = slot + 1;
                let upid = upids.make(start, "verificationjob", Some(&worker_id), "root@pam");
                let outdated = job.outdated_after.map(|d| i64::from(d) * 86_400);
                let mut bytes: u64 = 0;
                let mut failed = false;
                let ns = job.ns.clone().unwrap_or_default();
                for snap in store.snaps.iter_mut() {
                    let in_scope =
                        ns.is_empty() || snap.ns == ns || snap.ns.starts_with(&format!("{ns}/"));
                    let done = snap.end.is_some_and(|e| e <= start);
                    if !in_scope || !done {
                        continue;
                    }
                    let needs = match (snap.verified_at, &snap.verification) {
                        (None, _) => true,
                        (Some(_), Some((_, false))) => true,
                        (Some(at), _) => {
                            !job.ignore_verified || outdated.is_some_and(|o| start - at > o)
                        }
                    };
                    if !needs {
                        continue;
                    }
                    bytes += snap.size.unwrap_or(0);
                    let ok = !snap.verify_fails;
                    failed |= !ok;
                    snap.verification = Some((upid.clone(), ok));
                    snap.verified_at = Some(start);
                }
                let end = start + 5 + (bytes / (450 * 1024 * 1024)) as i64;
                let state = if failed {
                    "verification failed - please check the log for details".to_owned()
                } else {
                    "OK".to_owned()
                };
                status = JobStatus::record_run(
                    &mut tasks,
                    upid,
                    "verificationjob",
                    worker_id.clone(),
                    &job.store,
                    (start, end),
                    ctx.now,
                    state,
                );
            }
            status.schedule_next(s, ctx.start, &pbs_zone);
        }
        verify_jobs.push(PbsJob {
            cfg: job.clone(),
            status,
        });
    }
    // ---- sync jobs -------------------------------------------------------------------------
    let mut sync_jobs = Vec::new();
    for job in &sc.pbs.sync {
        let mut status = JobStatus::default();
        let worker_id = format!(
            "{}:{}:{}:{}:{}",
            job.remote.as_deref().unwrap_or("-"),
            job.remote_store,
            job.store,
            job.ns.as_deref().unwrap_or(""),
            job.id
        );
        let schedule = job
            .schedule
            .as_deref()
            .and_then(|s| Schedule::parse_calendar(s).ok());
        if let Some(s) = &schedule {
            for slot in ctx.slots(s, ctx.start, &pbs_zone) {
                let mut rng = Rng::new(ctx.seed, &["sync", &job.id, &slot.to_string()]);
                let unplugged = [&job.store, &job.remote_store]
                    .iter()
                    .find(|st| unplugged_at.get(st.as_str()).is_some_and(|&u| slot >= u))
                    .map(|st| st.to_string());
                let (end, state) = match unplugged {
                    Some(st) => (slot, format!("datastore '{st}' is not mounted")),
                    None => (slot + rng.range(60, 1500), "OK".to_owned()),
                };
                let upid = upids.make(slot, "syncjob", Some(&worker_id), "root@pam");
                status = JobStatus::record_run(
                    &mut tasks,
                    upid,
                    "syncjob",
                    worker_id.clone(),
                    &job.store,
                    (slot, end),
                    ctx.now,
                    state,
                );
            }
            status.schedule_next(s, ctx.start, &pbs_zone);
        }
        sync_jobs.push(PbsJob {
            cfg: job.clone(),
            status,
        });
    }

    // ---- GC, usage -------------------------------------------------------------------------
    for store in stores.iter_mut() {
        let index_files: u64 = store
            .snaps
            .iter()
            .map(|s| s.files.iter().filter(|f| f.name.ends_with("idx")).count() as u64)
            .sum();
        let index_bytes: u64 = store
            .snaps
            .iter()
            .flat_map(|s| s.files.iter())
            .filter(|f| f.name.ends_with("idx"))
            .filter_map(|f| f.size)
            .sum();
        let dedup = 4.5 + (hash(&[&store.name]) % 300) as f64 / 100.0;
        let disk_bytes = (index_bytes as f64 / dedup) as u64;
        store.used = store.used.saturating_add(disk_bytes).min(store.total);
        if let Some(s) = store
            .gc_schedule
            .as_deref()
            .and_then(|s| Schedule::parse_calendar(s).ok())
        {
            let last = s
                .prev_before(ctx.now + 1, &pbs_zone)
                .filter(|&t| t >= ctx.start);
            let mut gc = GcState {
                index_file_count: index_files,
                index_data_bytes: index_bytes,
                disk_bytes,
                disk_chunks: disk_bytes / (1_835_008),
                ..GcState::default()
            };
            if let Some(slot) = last {
                let mut rng = Rng::new(ctx.seed, &["gc", &store.name, &slot.to_string()]);
                let start = slot + 2;
                let duration = 60 + (disk_bytes / (1_400_000_000)) as i64;
                let end = start + duration;
                let running = end > ctx.now || !store.mounted;
                let upid = upids.make(start, "garbage_collection", Some(&store.name), "root@pam");
                if store.mounted {
                    tasks.push(Task {
                        upid: upid.clone(),
                        starttime: start,
                        endtime: (!running).then_some(end),
                        worker_type: "garbage_collection",
                        worker_id: Some(store.name.clone()),
                        user: "root@pam".into(),
                        status: (!running).then(|| "OK".to_owned()),
                        store: Some(store.name.clone()),
                    });
                }
                gc.upid = Some(upid);
                gc.removed_bytes = (disk_bytes as f64 * rng.jitter(0.01, 0.5)) as u64;
                gc.removed_chunks = gc.removed_bytes / 1_835_008;
                gc.pending_bytes = (disk_bytes as f64 * rng.jitter(0.003, 0.5)) as u64;
                gc.pending_chunks = gc.pending_bytes / 1_835_008;
                gc.cache_hits = gc.disk_chunks * 9 / 10 + rng.range(0, 1000) as u64;
                gc.cache_misses = gc.disk_chunks / 12 + rng.range(0, 100) as u64;
                if !running {
                    gc.status.last_end = Some(end);
                    gc.status.last_state = Some("OK".into());
                    gc.duration = Some(duration);
                }
                gc.status.next_run = s.next_after(if running { ctx.now } else { end }, &pbs_zone);
            } else {
                gc.status.next_run = s.next_after(ctx.now, &pbs_zone);
            }
            store.gc = gc;
            // Earlier GCs leave tasks too (weekly: only a few).
            for slot in ctx.slots(&s, ctx.start, &pbs_zone) {
                if Some(slot) == last || !store.mounted {
                    continue;
                }
                let start = slot + 2;
                let end = start + 60 + (disk_bytes / 1_400_000_000) as i64;
                tasks.push(Task {
                    upid: upids.make(start, "garbage_collection", Some(&store.name), "root@pam"),
                    starttime: start,
                    endtime: Some(end),
                    worker_type: "garbage_collection",
                    worker_id: Some(store.name.clone()),
                    user: "root@pam".into(),
                    status: Some("OK".into()),
                    store: Some(store.name.clone()),
                });
            }
        } else {
            store.gc = GcState {
                index_file_count: index_files,
                index_data_bytes: index_bytes,
                disk_bytes,
                disk_chunks: disk_bytes / 1_835_008,
                ..GcState::default()
            };
        }
        // Usage history: 30 days at 1800 s, growing to today's ratio.
        let delta = 1800;
        let points = 30 * 48;
        let start = (ctx.now - points * delta) / delta * delta;
        store.history_start = start;
        let ratio = if store.total > 0 {
            store.used as f64 / store.total as f64
        } else {
            0.0
        };
        let mut rng = Rng::new(ctx.seed, &["usage", &store.name, &start.to_string()]);
        store.history = (0..points)
            .map(|i| {
                if i == 0 {
                    return None;
                }
                let age = (points - i) as f64 / points as f64;
                let v = ratio * (1.0 - 0.04 * age) + rng.jitter(0.0, 1.0) * 0.0004;
                Some((v.clamp(0.0, 1.0) * 10_000.0).round() / 10_000.0)
            })
            .collect();
        store.estimated_full = estimate_full(&store.history, start, delta);
    }

    // ---- logrotate -----------------------------------------------------------------------
    if let Ok(s) = Schedule::parse_calendar("daily") {
        for slot in ctx.slots(&s, ctx.start, &pbs_zone) {
            tasks.push(Task {
                upid: upids.make(slot, "logrotate", None, "root@pam"),
                starttime: slot,
                endtime: Some(slot + 1),
                worker_type: "logrotate",
                worker_id: None,
                user: "root@pam".into(),
                status: Some("OK".into()),
                store: None,
            });
        }
    }
    tasks.retain(|t| t.starttime <= ctx.now);
    tasks.sort_by(|a, b| {
        a.endtime
            .is_some()
            .cmp(&b.endtime.is_some())
            .then(b.starttime.cmp(&a.starttime))
            .then(a.upid.cmp(&b.upid))
    });
    for store in &mut stores {
        store.snaps.sort_by(|a, b| {
            (a.ns.as_str(), a.ty, &a.id, a.time).cmp(&(b.ns.as_str(), b.ty, &b.id, b.time))
        });
    }

    // ---- PVE now ---------------------------------------------------------------------------
    let present: Vec<&Guest> = sc
        .pve
        .guests
        .iter()
        .filter(|g| removed_at(g).is_none_or(|r| r > ctx.now))
        .collect();
    let guests: Vec<GuestState> = present
        .iter()
        .map(|g| {
            let mut rng = Rng::new(ctx.seed, &["guest", &g.vmid.to_string()]);
            let running = g.status == "running" && !g.template;
            let maxdisk = size(&g.disk);
            let maxmem = size(&g.memory);
            let uptime = if running {
                (ctx.now - (ctx.now - i64::from(sc.pbs.uptime_days) * 86_400)).max(0)
                    - rng.range(30, 600)
            } else {
                0
            };
            GuestState {
                cfg: (*g).clone(),
                node: guest_node(ctx, g),
                lock: locked.contains(&g.vmid),
                maxdisk,
                disk: if g.kind == "lxc" && running {
                    guest_backup_size(ctx, g, ctx.now)
                } else {
                    0
                },
                maxmem,
                mem: if running {
                    (maxmem as f64 * rng.jitter(0.45, 0.5)) as u64
                } else {
                    0
                },
                cpu: if running {
                    (rng.unit() * 0.06 * 10_000.0).round() / 10_000.0
                } else {
                    0.0
                },
                uptime,
                netin: if running {
                    rng.range(1 << 24, 1 << 33) as u64
                } else {
                    0
                },
                netout: if running {
                    rng.range(1 << 24, 1 << 32) as u64
                } else {
                    0
                },
                diskread: if running {
                    rng.range(1 << 26, 1 << 32) as u64
                } else {
                    0
                },
                diskwrite: if running {
                    rng.range(1 << 25, 1 << 31) as u64
                } else {
                    0
                },
            }
        })
        .collect();
    let not_backed_up = present
        .iter()
        .filter(|g| {
            let node = guest_node(ctx, g);
            !sc.pve.jobs.iter().any(|j| job_selects(j, g, &node))
        })
        .map(|g| {
            (
                g.vmid,
                if g.kind == "qemu" { "qemu" } else { "lxc" },
                g.name.clone(),
            )
        })
        .collect();
    let jobs = sc
        .pve
        .jobs
        .iter()
        .map(|j| {
            let next = Schedule::parse_calendar(&j.schedule)
                .ok()
                .and_then(|s| s.next_after(ctx.now, &pve_zone));
            (j.clone(), next)
        })
        .collect();
    let pbs = PbsWorld {
        node: sc.pbs.node.clone(),
        timezone: pbs_zone.name().to_owned(),
        version: sc.pbs.version.clone(),
        release: sc.pbs.release.clone(),
        now: ctx.now,
        offset: i64::from(pbs_zone.offset_at(ctx.now)),
        boot: ctx.now - i64::from(sc.pbs.uptime_days) * 86_400 - 3_217,
        stores,
        prune: prune_jobs,
        verify: verify_jobs,
        sync: sync_jobs,
        tasks,
        seed: ctx.seed,
    };
    let pve = PveWorld {
        nodes: sc.pve.nodes.clone(),
        timezone: pve_zone.name().to_owned(),
        version: sc.pve.version.clone(),
        now: ctx.now,
        offset: i64::from(pve_zone.offset_at(ctx.now)),
        guests,
        jobs,
        storages: sc.pve.storages.clone(),
        not_backed_up,
        archives,
        content_visible: sc.pve.storage_content_visible,
        seed: ctx.seed,
    };
    (pbs, pve)
}

/// PBS's linear regression over the usage history (needs 7 points): the time the ratio
/// reaches 1.0, or 0 when usage does not grow.
fn estimate_full(history: &[Option<f64>], start: Epoch, delta: i64) -> Epoch {
    let points: Vec<(f64, f64)> = history
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| ((start + i as i64 * delta) as f64, v)))
        .collect();
    if points.len() < 7 {
        return 0;
    }
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = points.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    if sxx == 0.0 || sxy <= 0.0 {
        return 0;
    }
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    ((1.0 - intercept) / slope) as Epoch
}

/// The bucket a snapshot time falls in (hour, day, ISO week, month, year; local time).
type BucketKey = fn(Epoch, &NamedZone) -> String;

/// Applies a prune job at `at` as PBS does: per group, newest first, keep-last, then one
/// per hour/day/week/month/year bucket (local time); protected and unfinished snapshots
/// are never removed.
fn prune_store(store: &mut Store, job: &PruneJob, at: Epoch, zone: &NamedZone) {
    let ns = job.ns.clone().unwrap_or_default();
    let max_depth = job.max_depth.unwrap_or(7) as usize;
    let in_scope = |snap_ns: &str| {
        if ns.is_empty() {
            snap_ns.split('/').filter(|p| !p.is_empty()).count() <= max_depth
        } else if snap_ns == ns {
            true
        } else if let Some(rest) = snap_ns.strip_prefix(&format!("{ns}/")) {
            rest.split('/').count() <= max_depth
        } else {
            false
        }
    };
    let keeps = [
        job.keep_last,
        job.keep_hourly,
        job.keep_daily,
        job.keep_weekly,
        job.keep_monthly,
        job.keep_yearly,
    ];
    if keeps.iter().all(Option::is_none) {
        return;
    }
    let mut groups: BTreeMap<(String, &'static str, String), Vec<usize>> = BTreeMap::new();
    for (i, s) in store.snaps.iter().enumerate() {
        if s.time < at && s.end.is_some_and(|e| e <= at) && in_scope(&s.ns) {
            groups
                .entry((s.ns.clone(), s.ty, s.id.clone()))
                .or_default()
                .push(i);
        }
    }
    let mut remove: BTreeSet<usize> = BTreeSet::new();
    for (_, mut idx) in groups {
        idx.sort_by_key(|&i| std::cmp::Reverse(store.snaps[i].time));
        let mut keep: BTreeSet<usize> = BTreeSet::new();
        if let Some(n) = job.keep_last {
            keep.extend(idx.iter().take(n as usize).copied());
        }
        let buckets: [(Option<u32>, BucketKey); 5] = [
            (job.keep_hourly, |t, z| {
                let (y, m, d, h, _, _) = local_fields(t, z);
                format!("{y}-{m}-{d}-{h}")
            }),
            (job.keep_daily, |t, z| {
                let (y, m, d, _, _, _) = local_fields(t, z);
                format!("{y}-{m}-{d}")
            }),
            (job.keep_weekly, |t, z| {
                crate::util::local_format(t, z, "%G-%V")
            }),
            (job.keep_monthly, |t, z| {
                let (y, m, _, _, _, _) = local_fields(t, z);
                format!("{y}-{m}")
            }),
            (job.keep_yearly, |t, z| {
                let (y, _, _, _, _, _) = local_fields(t, z);
                format!("{y}")
            }),
        ];
        for (count, key) in buckets {
            let Some(count) = count else { continue };
            let mut seen: BTreeSet<String> = BTreeSet::new();
            for &i in &idx {
                if seen.len() >= count as usize {
                    break;
                }
                let k = key(store.snaps[i].time, zone);
                if seen.insert(k) {
                    keep.insert(i);
                }
            }
        }
        for &i in &idx {
            if !keep.contains(&i) && !store.snaps[i].protected {
                remove.insert(i);
            }
        }
    }
    let mut i = 0;
    store.snaps.retain(|_| {
        let r = !remove.contains(&i);
        i += 1;
        r
    });
}
