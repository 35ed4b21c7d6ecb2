//! PBS wire types: the JSON of `GET /api2/json/...` as PBS 2.x–4.x sends it.
//!
//! Keys are kebab-case, except the task list (snake_case). Every field PBS may omit is an
//! `Option`; sizes accept `-1` (PBS ≤ 3.1) and absence; enums keep unknown values. Fields
//! backwatch does not use are **not declared** on purpose and skipped by serde without
//! allocating: snapshot and group `files`, `owner` on snapshots, datastore-usage `history`,
//! node `cpuinfo`/`boot-info`/`current-kernel`, job `keep-*`, `group-filter`, rate limits.
//! Written from the API documentation (pbs-api-types is AGPL and not used).

use serde::Deserialize;

use crate::sources::de::{self, wire_enum};

/// `{"data": …}` plus attributes (`total`, `digest`) that backwatch ignores.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Envelope<T> {
    /// The result.
    pub data: T,
}

wire_enum! {
    /// `backup-type` of a group or snapshot.
    pub enum BackupType {
        /// A QEMU VM.
        Vm = "vm",
        /// An LXC container.
        Ct = "ct",
        /// A host (proxmox-backup-client) backup.
        Host = "host",
    }
}

wire_enum! {
    /// `mount-status` of a datastore (since 3.3; absent = non-removable).
    pub enum MountStatus {
        /// A removable datastore that is mounted.
        Mounted = "mounted",
        /// A removable datastore that is not mounted (no hyphen on the wire).
        NotMounted = "notmounted",
        /// A fixed datastore.
        NonRemovable = "nonremovable",
    }
}

wire_enum! {
    /// `verification.state` of a snapshot.
    pub enum VerifyState {
        /// The last verification passed.
        Ok = "ok",
        /// The last verification found corrupt chunks.
        Failed = "failed",
    }
}

wire_enum! {
    /// `sync-direction` of a sync job (since 3.3; absent = pull).
    pub enum SyncDirection {
        /// Pull from a remote (or local store) into `store`.
        Pull = "pull",
        /// Push from `store` to a remote.
        Push = "push",
    }
}

/// `GET /version`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Version {
    /// `major.minor`, e.g. `4.2`.
    pub version: String,
    /// The **patch** level (`0` for 4.2.0).
    #[serde(default)]
    pub release: Option<String>,
    /// Git commit.
    #[serde(default)]
    pub repoid: Option<String>,
}

/// An item of `GET /admin/datastore`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct DataStoreListItem {
    /// Datastore name.
    pub store: String,
    /// Comment; `null` when unset or with namespace-level access only.
    #[serde(default)]
    pub comment: Option<String>,
    /// Since 3.3.
    #[serde(default)]
    pub mount_status: Option<MountStatus>,
    /// Maintenance property string, e.g. `type=offline,message="disk swap"` (since 2.2).
    #[serde(default)]
    pub maintenance: Option<String>,
    /// `filesystem` or `s3` (since 4.1.6).
    #[serde(default)]
    pub backend_type: Option<String>,
}

/// An item of `GET /admin/datastore/{store}/namespace`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct NamespaceListItem {
    /// Namespace path; `""` is the root.
    pub ns: String,
}

/// An item of `GET /admin/datastore/{store}/groups` (one namespace, not recursive).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct GroupListItem {
    /// `vm`, `ct` or `host`.
    pub backup_type: BackupType,
    /// VMID for vm/ct, free-form for host.
    pub backup_id: String,
    /// Newest finished snapshot (epoch s); `0` for an empty group (since 4.0.17).
    #[serde(deserialize_with = "de::int")]
    pub last_backup: i64,
    /// Snapshot directories, including an in-progress one.
    #[serde(deserialize_with = "de::int")]
    pub backup_count: i64,
    /// Authid of the owner.
    #[serde(default)]
    pub owner: Option<String>,
    /// First line of the group notes (since 2.0.3).
    #[serde(default)]
    pub comment: Option<String>,
}

/// `verification` of a snapshot.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct SnapshotVerification {
    /// UPID of the verify task; its hex start-time field is the only timestamp.
    pub upid: String,
    /// `ok` or `failed`.
    pub state: VerifyState,
}

/// An item of `GET /admin/datastore/{store}/snapshots`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct SnapshotListItem {
    /// `vm`, `ct` or `host`.
    pub backup_type: BackupType,
    /// Group id.
    pub backup_id: String,
    /// Snapshot time (epoch s).
    #[serde(deserialize_with = "de::int")]
    pub backup_time: i64,
    /// First line of the manifest notes.
    #[serde(default)]
    pub comment: Option<String>,
    /// Last verification; absent = never verified.
    #[serde(default)]
    pub verification: Option<SnapshotVerification>,
    /// Encryption key fingerprint: present = client-side encrypted.
    #[serde(default)]
    pub fingerprint: Option<String>,
    /// Sum of file sizes (logical); absent while in progress or if the manifest is
    /// unreadable; `-1` on old versions.
    #[serde(default, deserialize_with = "de::opt_size")]
    pub size: Option<u64>,
    /// Protected from pruning (always present since 2.1).
    #[serde(default, deserialize_with = "de::flag")]
    pub protected: bool,
}

/// Garbage-collection status, flat as in `/admin/gc`, `…/{store}/gc` (3.2+) and
/// `gc-status` objects. The job-status fields are absent inside `gc-status`.
#[derive(Clone, Debug, PartialEq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct GcStatus {
    /// Datastore (job status only).
    #[serde(default)]
    pub store: Option<String>,
    /// UPID of the last GC; `null` = never ran.
    #[serde(default)]
    pub upid: Option<String>,
    /// Logical bytes referenced by all indexes.
    #[serde(default, deserialize_with = "de::opt_size")]
    pub index_data_bytes: Option<u64>,
    /// Bytes of chunks on disk.
    #[serde(default, deserialize_with = "de::opt_size")]
    pub disk_bytes: Option<u64>,
    /// Bytes removed by the last run.
    #[serde(default, deserialize_with = "de::opt_size")]
    pub removed_bytes: Option<u64>,
    /// Bytes pending removal (within the atime grace period).
    #[serde(default, deserialize_with = "de::opt_size")]
    pub pending_bytes: Option<u64>,
    /// Chunks still bad after the run (> 0 = corruption).
    #[serde(default, deserialize_with = "de::opt_int")]
    pub still_bad: Option<i64>,
    /// Calendar event; absent = manual only.
    #[serde(default)]
    pub schedule: Option<String>,
    /// Next scheduled run (may be in the past).
    #[serde(default, deserialize_with = "de::opt_int")]
    pub next_run: Option<i64>,
    /// End of the last run.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub last_run_endtime: Option<i64>,
    /// `OK`, `WARNINGS: n`, `unknown` or the error text.
    #[serde(default)]
    pub last_run_state: Option<String>,
    /// Seconds from UPID start to end.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub duration: Option<i64>,
}

/// An item of `GET /status/datastore-usage`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct DataStoreUsage {
    /// Datastore name.
    pub store: String,
    /// Bytes; absent on error, `-1` on PBS ≤ 3.1.
    #[serde(default, deserialize_with = "de::opt_size")]
    pub total: Option<u64>,
    /// Bytes used.
    #[serde(default, deserialize_with = "de::opt_size")]
    pub used: Option<u64>,
    /// Bytes available.
    #[serde(default, deserialize_with = "de::opt_size")]
    pub avail: Option<u64>,
    /// Since 3.3.
    #[serde(default)]
    pub mount_status: Option<MountStatus>,
    /// Linear-regression estimate; `0` = never; past = not growing.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub estimated_full_date: Option<i64>,
    /// Error reading the store.
    #[serde(default)]
    pub error: Option<String>,
    /// Last GC.
    #[serde(default)]
    pub gc_status: Option<GcStatus>,
}

/// An item of `GET /admin/prune` (config + job status).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct PruneJob {
    /// Job id (`s-…`).
    pub id: String,
    /// Datastore.
    pub store: String,
    /// Namespace (absent = root).
    #[serde(default)]
    pub ns: Option<String>,
    /// Present and true when disabled.
    #[serde(default, deserialize_with = "de::flag")]
    pub disable: bool,
    /// Calendar event (required upstream; tolerated absent).
    #[serde(default)]
    pub schedule: Option<String>,
    /// Comment.
    #[serde(default)]
    pub comment: Option<String>,
    /// Next run; absent when disabled; may be in the past.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub next_run: Option<i64>,
    /// `OK`, `WARNINGS: n`, `unknown` or the error text.
    #[serde(default)]
    pub last_run_state: Option<String>,
    /// UPID of the last (or running) run.
    #[serde(default)]
    pub last_run_upid: Option<String>,
    /// End of the last run.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub last_run_endtime: Option<i64>,
}

/// An item of `GET /admin/verify`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct VerifyJob {
    /// Job id (`v-…`).
    pub id: String,
    /// Datastore.
    pub store: String,
    /// Namespace.
    #[serde(default)]
    pub ns: Option<String>,
    /// Calendar event; absent = manual only.
    #[serde(default)]
    pub schedule: Option<String>,
    /// Comment.
    #[serde(default)]
    pub comment: Option<String>,
    /// Next run; may be in the past.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub next_run: Option<i64>,
    /// `OK`, `WARNINGS: n`, `unknown` or the error text.
    #[serde(default)]
    pub last_run_state: Option<String>,
    /// UPID of the last (or running) run.
    #[serde(default)]
    pub last_run_upid: Option<String>,
    /// End of the last run.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub last_run_endtime: Option<i64>,
}

/// An item of `GET /admin/sync?sync-direction=all`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct SyncJob {
    /// Job id.
    pub id: String,
    /// Local store (target of a pull, source of a push).
    pub store: String,
    /// Local namespace.
    #[serde(default)]
    pub ns: Option<String>,
    /// Remote; absent = local sync.
    #[serde(default)]
    pub remote: Option<String>,
    /// Remote (or local source) store.
    #[serde(default)]
    pub remote_store: Option<String>,
    /// Remote namespace.
    #[serde(default)]
    pub remote_ns: Option<String>,
    /// Calendar event; absent = manual only.
    #[serde(default)]
    pub schedule: Option<String>,
    /// Comment.
    #[serde(default)]
    pub comment: Option<String>,
    /// Absent = pull.
    #[serde(default)]
    pub sync_direction: Option<SyncDirection>,
    /// Next run; may be in the past.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub next_run: Option<i64>,
    /// `OK`, `WARNINGS: n`, `unknown` or the error text.
    #[serde(default)]
    pub last_run_state: Option<String>,
    /// UPID of the last (or running) run.
    #[serde(default)]
    pub last_run_upid: Option<String>,
    /// End of the last run.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub last_run_endtime: Option<i64>,
}

/// An item of `GET /tape/backup` (needs Tape.Audit; `[]` otherwise).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct TapeJob {
    /// Job id.
    pub id: String,
    /// Datastore.
    pub store: String,
    /// Media pool.
    #[serde(default)]
    pub pool: Option<String>,
    /// Drive.
    #[serde(default)]
    pub drive: Option<String>,
    /// Calendar event; absent = manual only.
    #[serde(default)]
    pub schedule: Option<String>,
    /// Comment.
    #[serde(default)]
    pub comment: Option<String>,
    /// Next run; may be in the past.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub next_run: Option<i64>,
    /// `OK`, `WARNINGS: n`, `unknown` or the error text.
    #[serde(default)]
    pub last_run_state: Option<String>,
    /// UPID of the last (or running) run.
    #[serde(default)]
    pub last_run_upid: Option<String>,
    /// End of the last run.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub last_run_endtime: Option<i64>,
}

/// An item of `GET /config/datastore`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct DataStoreConfig {
    /// Datastore name.
    pub name: String,
    /// Comment.
    #[serde(default)]
    pub comment: Option<String>,
    /// GC calendar event; absent = manual only.
    #[serde(default)]
    pub gc_schedule: Option<String>,
    /// Maintenance property string.
    #[serde(default)]
    pub maintenance_mode: Option<String>,
}

/// An item of `GET /nodes/localhost/tasks` (**snake_case**).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TaskListItem {
    /// Task UPID.
    pub upid: String,
    /// Start (epoch s).
    #[serde(deserialize_with = "de::int")]
    pub starttime: i64,
    /// E.g. `backup`, `verificationjob`, `garbage_collection`.
    pub worker_type: String,
    /// Unescaped worker id, e.g. `store1:ct/101`; `null` when unset.
    #[serde(default)]
    pub worker_id: Option<String>,
    /// Authid that ran the task.
    #[serde(default)]
    pub user: Option<String>,
    /// End (absent while running).
    #[serde(default, deserialize_with = "de::opt_int")]
    pub endtime: Option<i64>,
    /// `OK`, `WARNINGS: n`, `unknown` or the error text (absent while running).
    #[serde(default)]
    pub status: Option<String>,
}

/// `memory` of the node status.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Memory {
    /// Bytes.
    #[serde(default, deserialize_with = "de::opt_size")]
    pub total: Option<u64>,
    /// Bytes.
    #[serde(default, deserialize_with = "de::opt_size")]
    pub used: Option<u64>,
}

/// `GET /nodes/localhost/status`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct NodeStatus {
    /// Memory usage.
    #[serde(default)]
    pub memory: Option<Memory>,
    /// Seconds since boot.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub uptime: Option<i64>,
    /// CPU usage, fraction 0..1 (always a JSON number).
    #[serde(default)]
    pub cpu: Option<f64>,
}

/// `GET /nodes/localhost/time`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct NodeTime {
    /// IANA zone of the server, used for its schedules.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Server clock (epoch s).
    #[serde(default, deserialize_with = "de::opt_int")]
    pub time: Option<i64>,
}
