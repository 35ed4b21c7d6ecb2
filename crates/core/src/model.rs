//! The domain model: what every source is converted into, exactly once.
//!
//! Wire types (`crate::sources::*::wire`) mirror each API; converters turn them into
//! the types here. Health, the calendar and the view-models only ever see these types.
//!
//! All instants are Unix epoch seconds in UTC ([`Epoch`]). Nothing here reads a clock.

use std::fmt;

/// Unix epoch seconds, UTC.
pub type Epoch = i64;

/// The four kinds of source backwatch reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    /// Proxmox Backup Server, read directly.
    Pbs,
    /// Proxmox VE (backup jobs, guests; "PBS via PVE" storage listings).
    Pve,
    /// Databasement (database dumps).
    Databasement,
    /// Backrest (restic plans).
    Backrest,
}

impl SourceKind {
    /// Stable lower-case key, used in config, CSS hooks (`data-source`) and URLs.
    pub fn key(self) -> &'static str {
        match self {
            SourceKind::Pbs => "pbs",
            SourceKind::Pve => "pve",
            SourceKind::Databasement => "databasement",
            SourceKind::Backrest => "backrest",
        }
    }

    /// Human label ("PBS", "PVE", "Databasement", "Backrest").
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Pbs => "PBS",
            SourceKind::Pve => "PVE",
            SourceKind::Databasement => "Databasement",
            SourceKind::Backrest => "Backrest",
        }
    }
}

/// One configured instance of a source, e.g. PBS `pbs-main` behind `/api/pbs`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId {
    /// Which product.
    pub kind: SourceKind,
    /// The instance name from the config (unique per kind).
    pub name: String,
}

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind.label(), self.name)
    }
}

/// How a datum reached us.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Via {
    /// Read from the product's own API.
    Direct,
    /// PBS snapshots listed through a PVE storage (`/nodes/{node}/storage/{storage}/content`).
    PbsViaPve {
        /// The PVE storage id (e.g. `pbs-store1`).
        storage: String,
    },
}

/// VM or container, as PBS groups and PVE guests name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GuestType {
    /// A QEMU virtual machine (PVE `qemu`).
    Vm,
    /// An LXC container (PVE `lxc`).
    Ct,
}

impl GuestType {
    /// `vm` / `ct`, as in PBS groups and in config (`ct/101`).
    pub fn key(self) -> &'static str {
        match self {
            GuestType::Vm => "vm",
            GuestType::Ct => "ct",
        }
    }
}

/// What a backup is *of*.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// A PVE guest / PBS `vm` or `ct` group.
    Guest {
        /// VM or container.
        ty: GuestType,
        /// VMID.
        id: u32,
    },
    /// A PBS `host` group (free-form id).
    Host {
        /// The group's backup id.
        id: String,
    },
    /// A Databasement database: server name and database name.
    Database {
        /// Server name.
        server: String,
        /// Database name (a file path for SQLite).
        database: String,
    },
    /// A Backrest plan id.
    Plan {
        /// Plan id.
        id: String,
    },
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Guest { ty, id } => write!(f, "{}/{}", ty.key(), id),
            Subject::Host { id } => write!(f, "host/{id}"),
            Subject::Database { server, database } => write!(f, "{server}/{database}"),
            Subject::Plan { id } => write!(f, "plan/{id}"),
        }
    }
}

/// Where a PBS group lives. Separate clusters sharing VMIDs are told apart by this.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PbsLocation {
    /// Datastore name.
    pub datastore: String,
    /// Namespace path; `""` is the root namespace.
    pub namespace: String,
}

/// Outcome of one run (a backup, dump, job execution).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RunOutcome {
    /// Finished successfully / passed.
    Ok,
    /// Finished with warnings (PBS `WARNINGS: n`, Backrest `STATUS_WARNING`): data was written.
    Warning,
    /// Failed.
    Failed,
    /// Started and not finished yet.
    Running,
    /// Queued but not started (Databasement `pending`).
    Pending,
    /// Cancelled by a user or the system; neither success nor failure.
    Cancelled,
    /// The source reports a state it could not determine (PBS `unknown`: the task was
    /// interrupted, e.g. by a server restart) or a status backwatch does not know.
    Unknown,
}

impl RunOutcome {
    /// Did this run produce a usable backup?
    pub fn is_success(self) -> bool {
        matches!(self, RunOutcome::Ok | RunOutcome::Warning)
    }
}

/// One run: a snapshot, a dump, a job execution or a failed task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// When the run started (PBS/PVE snapshots: the backup time).
    pub start: Epoch,
    /// `None` while running, or when the source does not say.
    pub end: Option<Epoch>,
    /// How it ended, or that it is still going.
    pub outcome: RunOutcome,
    /// Error or warning text as the source reported it (trimmed).
    pub message: Option<String>,
}

/// Result of the last verification of a backup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VerifyState {
    /// Finished successfully / passed.
    Ok,
    /// Failed.
    Failed,
}

/// The last verification of a backup (PBS verify).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verification {
    /// Passed or failed.
    pub state: VerifyState,
    /// When the verification ran (PBS: start time from the verify UPID), if known.
    pub at: Option<Epoch>,
}

/// A next run reported by a server (preferred over our own computation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportedNextRun {
    /// When the next run is due.
    pub at: Epoch,
    /// Which job reported it (job id or plan id), for the "source" label.
    pub job: String,
}

/// Everything one source knows about the backups of one subject.
///
/// PBS: one group (in one datastore and namespace). PVE "PBS via PVE": the storage
/// listing rows of one guest. Databasement: one database of one server. Backrest: one plan.
#[derive(Clone, Debug, PartialEq)]
pub struct BackupSet {
    /// The source instance that reported it.
    pub source: SourceId,
    /// Read directly or through another product.
    pub via: Via,
    /// What is backed up.
    pub subject: Subject,
    /// PBS only: where the group lives.
    pub location: Option<PbsLocation>,
    /// A human hint from the source: group comment (first line of notes), snapshot comment,
    /// server/plan display name. Untrusted text: render as text only.
    pub label: Option<String>,
    /// Number of snapshots/dumps that exist now (PBS `backup-count` includes an
    /// in-progress one; converters correct for it where they know).
    pub snapshot_count: Option<u32>,
    /// Newest successful backup (finished, usable).
    pub last_success: Option<Epoch>,
    /// Known runs, **newest first**: successful snapshots, failed/running attempts.
    /// May be partial (e.g. PBS groups without a snapshot listing give only the newest).
    pub runs: Vec<Run>,
    /// Verification of the newest verified snapshot, if any verification is known.
    pub verification: Option<Verification>,
    /// Total logical size of the newest backup in bytes, if known.
    pub size_bytes: Option<u64>,
    /// Server-reported next run for this subject (Backrest `nextBackupTimeMs`).
    pub next_run: Option<ReportedNextRun>,
    /// Whether the snapshot list behind `runs` was complete (true) or only a summary (false).
    pub runs_complete: bool,
    /// How many of the existing snapshots are protected from pruning (PBS `protected`),
    /// when a snapshot listing is known.
    pub protected_count: Option<u32>,
    /// Whether the newest backup is client-side encrypted (PBS `fingerprint`, PVE
    /// `encrypted`), when known.
    pub encrypted: Option<bool>,
}

/// What kind of scheduled activity a job is; drives colours in the calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum JobKind {
    /// A backup of guests/hosts/files (PVE vzdump, Backrest plan).
    Backup,
    /// A database dump (Databasement).
    Dump,
    /// Retention pruning (PBS prune job, Backrest prune).
    Prune,
    /// PBS garbage collection.
    GarbageCollection,
    /// PBS verify job.
    Verify,
    /// PBS sync (pull or push).
    Sync,
    /// Repository integrity check (Backrest check).
    Check,
    /// Retention cleanup of dumps (Databasement `snapshots:cleanup`).
    Cleanup,
    /// Anything else a user put in config.
    Other,
}

impl JobKind {
    /// Every kind, in legend order (the calendar's legend, config's accepted `kind`s).
    pub const ALL: [JobKind; 9] = [
        JobKind::Backup,
        JobKind::Dump,
        JobKind::Prune,
        JobKind::GarbageCollection,
        JobKind::Verify,
        JobKind::Sync,
        JobKind::Check,
        JobKind::Cleanup,
        JobKind::Other,
    ];

    /// Stable key: `backup`, `dump`, `prune`, `gc`, `verify`, `sync`, `check`, `cleanup`, `other`.
    pub fn key(self) -> &'static str {
        match self {
            JobKind::Backup => "backup",
            JobKind::Dump => "dump",
            JobKind::Prune => "prune",
            JobKind::GarbageCollection => "gc",
            JobKind::Verify => "verify",
            JobKind::Sync => "sync",
            JobKind::Check => "check",
            JobKind::Cleanup => "cleanup",
            JobKind::Other => "other",
        }
    }
}

/// A schedule as written by its source, not yet parsed. `crate::schedule` parses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScheduleSpec {
    /// Proxmox calendar event (PBS, PVE), e.g. `mon..fri 04:00`, `daily`, `*:0/15`.
    Calendar(String),
    /// Standard 5-field cron (Databasement, Backrest, config extras).
    Cron(String),
    /// Backrest `maxFrequencyHours`.
    EveryHours(u32),
    /// Backrest `maxFrequencyDays`.
    EveryDays(u32),
}

/// Which clock a Backrest schedule counts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleClock {
    /// The server's local time zone (default).
    Local,
    /// UTC.
    Utc,
    /// Counted from the end of the last run.
    LastRunTime,
}

/// What a job covers.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Coverage {
    /// Unknown or not applicable (e.g. GC).
    #[default]
    Unknown,
    /// Resolved list of subjects (PVE job selection resolved against guests; Databasement
    /// databases; a Backrest plan).
    Subjects(Vec<Subject>),
    /// A whole PBS datastore, optionally limited to a namespace subtree.
    Datastore {
        /// Datastore name.
        store: String,
        /// Namespace subtree; `None` = the whole store.
        namespace: Option<String>,
    },
    /// A whole Backrest repository.
    Repo(String),
}

/// A scheduled job from any source (or from config extras).
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    /// The source instance that reported it.
    pub source: SourceId,
    /// Job id as the source knows it (PVE `backup-…`, PBS `s-…`, plan id, schedule name).
    pub id: String,
    /// What the job does.
    pub kind: JobKind,
    /// Short human label ("nightly to PBS", "GC store1", "Backrest check nas-restic").
    pub label: String,
    /// `None` = manual only.
    pub schedule: Option<ScheduleSpec>,
    /// Which clock the schedule counts in (Backrest); `Local` elsewhere.
    pub clock: ScheduleClock,
    /// IANA zone the schedule is evaluated in; `None` = the source's default zone.
    /// A calendar event ending in ` UTC` is UTC regardless.
    pub zone: Option<String>,
    /// Disabled jobs are shown but do not create expectations.
    pub enabled: bool,
    /// Server-reported next run (PBS/PVE `next-run`, Backrest pending op). May be in the past
    /// for PBS jobs after missed runs (= pending).
    pub next_run: Option<Epoch>,
    /// The last run of the job itself (PBS job status; GC), if known.
    pub last_run: Option<Run>,
    /// What the job covers.
    pub covers: Coverage,
}

/// A PVE guest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guest {
    /// VM or container.
    pub ty: GuestType,
    /// VMID.
    pub id: u32,
    /// Guest name (qemu name / lxc hostname).
    pub name: Option<String>,
    /// Node the guest is on.
    pub node: Option<String>,
    /// Resource pool.
    pub pool: Option<String>,
    /// A template (vzdump still backs it up when selected).
    pub template: bool,
    /// PVE reports `lock: backup` while vzdump runs.
    pub backup_running: bool,
}

/// Usage and state of a PBS datastore.
#[derive(Clone, Debug, PartialEq)]
pub struct Datastore {
    /// Name.
    pub name: String,
    /// Bytes of the filesystem.
    pub total: Option<u64>,
    /// Bytes used.
    pub used: Option<u64>,
    /// Bytes available.
    pub avail: Option<u64>,
    /// index-data-bytes / disk-bytes from the last GC.
    pub dedup_factor: Option<f64>,
    /// Linear-regression estimate from PBS; `None` when unknown or never.
    pub estimated_full: Option<Epoch>,
    /// Problems that make it unreadable: not mounted, maintenance text, error text.
    pub problem: Option<String>,
}

/// Server health (PBS node status).
#[derive(Clone, Debug, PartialEq)]
pub struct ServerInfo {
    /// Product version, e.g. `4.2.0`, `9.2.11`.
    pub version: Option<String>,
    /// Fraction 0..1.
    pub cpu: Option<f64>,
    /// Bytes.
    pub memory_used: Option<u64>,
    /// Bytes.
    pub memory_total: Option<u64>,
    /// Seconds since boot.
    pub uptime_secs: Option<u64>,
}

/// A finished-with-error (or warning) task, for the "failed tasks" list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    /// Task id.
    pub upid: String,
    /// PBS `worker_type`, e.g. `backup`, `verificationjob`, `garbage_collection`.
    pub worker_type: String,
    /// Worker id as PBS reports it, e.g. `store1:ct/101`.
    pub worker_id: Option<String>,
    /// The subject the task was about, when the worker id names one (`store1:ct/101`).
    pub subject: Option<Subject>,
    /// When and how it ran.
    pub run: Run,
}

/// Everything one source instance delivered in one refresh, converted.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SourceData {
    /// Backups per subject.
    pub backups: Vec<BackupSet>,
    /// Scheduled jobs.
    pub jobs: Vec<Job>,
    /// All guests the source knows (PVE).
    pub guests: Vec<Guest>,
    /// Guests no backup job covers (PVE `/cluster/backup-info/not-backed-up`).
    pub not_backed_up: Vec<Guest>,
    /// PBS datastores.
    pub datastores: Vec<Datastore>,
    /// Server version and health.
    pub server: Option<ServerInfo>,
    /// Failed/warning tasks within the configured window, newest first.
    pub tasks: Vec<Task>,
    /// The server's own time zone (PBS/PVE `/nodes/…/time`), IANA name.
    pub timezone: Option<String>,
    /// Non-fatal problems: an optional endpoint failed (e.g. 403 on tasks), a datastore is
    /// not mounted. The source as a whole was still read.
    pub warnings: Vec<String>,
}
