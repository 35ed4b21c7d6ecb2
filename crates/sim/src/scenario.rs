//! The scenario file: a homelab, its job schedules and the problems planted in its history.
//!
//! The format is documented key by key in `docs/simulator.md`. Unknown keys are errors
//! (`deny_unknown_fields`): a typo must not silently drop a planted fault.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::util::{parse_duration_ms, parse_instant, parse_size};

/// The built-in default scenario: the ADR homelab.
pub const ADR_HOMELAB: &str = include_str!("../scenarios/adr-homelab.toml");
/// The built-in scale scenario (≈ 10,000 PBS snapshots).
pub const SCALE_10K: &str = include_str!("../scenarios/scale-10k.toml");

/// A whole scenario file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Name, time zone, seed, history length, the documented test instant.
    #[serde(default)]
    pub lab: Lab,
    /// The credentials each simulated product requires.
    #[serde(default)]
    pub credentials: Credentials,
    /// Proxmox Backup Server.
    #[serde(default)]
    pub pbs: Pbs,
    /// Proxmox VE.
    #[serde(default)]
    pub pve: Pve,
    /// Databasement.
    #[serde(default)]
    pub databasement: Databasement,
    /// Backrest.
    #[serde(default)]
    pub backrest: Backrest,
    /// Problems planted in the generated history.
    #[serde(default)]
    pub plant: Vec<Plant>,
    /// Runtime faults active from the start (the control API can add and clear more).
    #[serde(default)]
    pub faults: Vec<FaultSpec>,
    /// Synthetic PBS groups for benchmarks.
    #[serde(default)]
    pub scale: Option<Scale>,
    /// The services as a user would name them (for the summary and the demo config).
    #[serde(default)]
    pub services: Vec<ServiceNote>,
}

/// `[lab]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lab {
    /// Scenario name (shown in the summary and the ready file).
    #[serde(default = "default_name")]
    pub name: String,
    /// One-line description.
    #[serde(default)]
    pub description: String,
    /// IANA zone of every server unless a product overrides it.
    #[serde(default = "default_tz")]
    pub timezone: String,
    /// Seed of every random choice (sizes, durations, ids).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// How far back history is generated, in days.
    #[serde(default = "default_history")]
    pub history_days: u32,
    /// The documented instant for tests and screenshots (`--now scenario`).
    #[serde(default)]
    pub test_now: Option<String>,
}

impl Default for Lab {
    fn default() -> Self {
        Lab {
            name: default_name(),
            description: String::new(),
            timezone: default_tz(),
            seed: default_seed(),
            history_days: default_history(),
            test_now: None,
        }
    }
}

fn default_name() -> String {
    "homelab".to_owned()
}
fn default_tz() -> String {
    "Etc/UTC".to_owned()
}
fn default_seed() -> u64 {
    1
}
fn default_history() -> u32 {
    40
}

/// `[credentials]`: what each simulated server accepts.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// PBS token in the token file's form `user@realm!name:secret`.
    #[serde(default = "default_pbs_token")]
    pub pbs: String,
    /// PVE token in the token file's form `user@realm!name=secret`.
    #[serde(default = "default_pve_token")]
    pub pve: String,
    /// Databasement Sanctum token `<id>|<40 chars><crc>`.
    #[serde(default = "default_db_token")]
    pub databasement: String,
    /// Backrest `user:password` (the token file holds its base64).
    #[serde(default = "default_backrest_login")]
    pub backrest: String,
}

impl Default for Credentials {
    fn default() -> Self {
        Credentials {
            pbs: default_pbs_token(),
            pve: default_pve_token(),
            databasement: default_db_token(),
            backrest: default_backrest_login(),
        }
    }
}

fn default_pbs_token() -> String {
    "backwatch@pbs!widget:4f1e6c2a-8b7d-4e3f-9a10-6d5c4b3a2910".to_owned()
}
fn default_pve_token() -> String {
    "backwatch@pve!widget=0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f".to_owned()
}
fn default_db_token() -> String {
    "7|Kq3yNw8VtZ0pLr5sXc2bHj9mDf4gAe1uIo6aTy7Q0d4e3f2a".to_owned()
}
fn default_backrest_login() -> String {
    "backwatch:correct-horse-battery-staple".to_owned()
}

/// `[pbs]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pbs {
    /// Node name: the TLS server name and the name inside UPIDs.
    #[serde(default = "default_pbs_node")]
    pub node: String,
    /// IANA zone (default: the lab's).
    pub timezone: Option<String>,
    /// `version` of `/version` (major.minor).
    #[serde(default = "default_pbs_version")]
    pub version: String,
    /// `release` of `/version` (patch level only).
    #[serde(default = "default_pbs_release")]
    pub release: String,
    /// Days since the server booted.
    #[serde(default = "default_uptime_days")]
    pub uptime_days: u32,
    /// Owner of the backups PVE makes (the PVE storage's PBS user or token).
    #[serde(default = "default_owner")]
    pub pve_owner: String,
    /// Datastores.
    #[serde(default)]
    pub datastores: Vec<Datastore>,
    /// Prune jobs.
    #[serde(default)]
    pub prune: Vec<PruneJob>,
    /// Verify jobs.
    #[serde(default)]
    pub verify: Vec<VerifyJob>,
    /// Sync jobs.
    #[serde(default)]
    pub sync: Vec<SyncJob>,
    /// Host backups made with `proxmox-backup-client` (PBS does not know their schedule).
    #[serde(default)]
    pub hosts: Vec<HostBackup>,
}

impl Default for Pbs {
    fn default() -> Self {
        Pbs {
            node: default_pbs_node(),
            timezone: None,
            version: default_pbs_version(),
            release: default_pbs_release(),
            uptime_days: default_uptime_days(),
            pve_owner: default_owner(),
            datastores: Vec::new(),
            prune: Vec::new(),
            verify: Vec::new(),
            sync: Vec::new(),
            hosts: Vec::new(),
        }
    }
}

fn default_pbs_node() -> String {
    "pbs-sim".to_owned()
}
fn default_pbs_version() -> String {
    "4.2".to_owned()
}
fn default_pbs_release() -> String {
    "0".to_owned()
}
fn default_uptime_days() -> u32 {
    14
}
fn default_owner() -> String {
    "pve@pbs!pve1".to_owned()
}
fn default_true() -> bool {
    true
}

/// `[[pbs.datastores]]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Datastore {
    /// Store name.
    pub name: String,
    /// Path (default `/mnt/datastore/<name>`).
    pub path: Option<String>,
    /// Comment (`null` in the list when absent).
    pub comment: Option<String>,
    /// Filesystem size, e.g. `"4TiB"`.
    #[serde(default = "default_store_size")]
    pub size: String,
    /// Used space not explained by the generated backups (other data on the filesystem).
    #[serde(default)]
    pub base_used: Option<String>,
    /// GC schedule (calendar event); absent = manual GC only.
    pub gc: Option<String>,
    /// Namespaces besides the root (`""` is always there), e.g. `["hosts", "lab/old"]`.
    #[serde(default)]
    pub namespaces: Vec<String>,
    /// A removable datastore (`mount-status` mounted/notmounted instead of nonremovable).
    #[serde(default)]
    pub removable: bool,
    /// When a removable datastore was unplugged (RFC 3339 or epoch); it stays `notmounted`.
    pub unplugged: Option<String>,
    /// Relative form of `unplugged`: this long before now, e.g. `"9d"`.
    pub unplugged_ago: Option<String>,
}

fn default_store_size() -> String {
    "4TiB".to_owned()
}

/// `[[pbs.prune]]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PruneJob {
    /// Job id (`s-…` in the GUI).
    pub id: String,
    /// Datastore.
    pub store: String,
    /// Calendar event.
    pub schedule: String,
    /// Namespace (root when absent).
    pub ns: Option<String>,
    /// Depth below `ns`.
    pub max_depth: Option<u32>,
    /// Disabled job (no next-run).
    #[serde(default)]
    pub disable: bool,
    /// Comment.
    pub comment: Option<String>,
    /// keep-last
    pub keep_last: Option<u32>,
    /// keep-hourly
    pub keep_hourly: Option<u32>,
    /// keep-daily
    pub keep_daily: Option<u32>,
    /// keep-weekly
    pub keep_weekly: Option<u32>,
    /// keep-monthly
    pub keep_monthly: Option<u32>,
    /// keep-yearly
    pub keep_yearly: Option<u32>,
}

/// `[[pbs.verify]]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyJob {
    /// Job id (`v-…`).
    pub id: String,
    /// Datastore.
    pub store: String,
    /// Calendar event; absent = manual.
    pub schedule: Option<String>,
    /// Namespace.
    pub ns: Option<String>,
    /// Skip snapshots verified within `outdated_after` days.
    #[serde(default = "default_true")]
    pub ignore_verified: bool,
    /// Re-verify after this many days.
    pub outdated_after: Option<u32>,
    /// Comment.
    pub comment: Option<String>,
}

/// `[[pbs.sync]]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncJob {
    /// Job id.
    pub id: String,
    /// Local datastore (target of a pull, source of a push).
    pub store: String,
    /// Calendar event.
    pub schedule: Option<String>,
    /// Remote name; absent = local sync.
    pub remote: Option<String>,
    /// Store on the remote (or the local source store of a local sync).
    pub remote_store: String,
    /// Local namespace.
    pub ns: Option<String>,
    /// Remote namespace.
    pub remote_ns: Option<String>,
    /// `pull` (default) or `push`.
    #[serde(default = "default_pull")]
    pub direction: String,
    /// remove-vanished
    #[serde(default)]
    pub remove_vanished: bool,
    /// run-on-mount (removable targets)
    #[serde(default)]
    pub run_on_mount: bool,
    /// Comment.
    pub comment: Option<String>,
}

fn default_pull() -> String {
    "pull".to_owned()
}

/// `[[pbs.hosts]]`: a `host` group written by `proxmox-backup-client` on a timer PBS cannot see.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostBackup {
    /// backup-id.
    pub id: String,
    /// Datastore.
    pub store: String,
    /// Namespace (root when absent).
    #[serde(default)]
    pub ns: String,
    /// The client's timer, as a calendar event (only the simulator knows it).
    pub schedule: String,
    /// Logical size of one backup.
    #[serde(default = "default_host_size")]
    pub size: String,
    /// Typical duration, e.g. `"6m"`.
    #[serde(default = "default_host_duration")]
    pub duration: String,
    /// Owner (auth id of the client).
    pub owner: Option<String>,
    /// First line of the group notes.
    pub comment: Option<String>,
    /// Archive names (default `["root.pxar.didx", "catalog.pcat1.didx"]`).
    #[serde(default)]
    pub archives: Vec<String>,
}

fn default_host_size() -> String {
    "40GiB".to_owned()
}
fn default_host_duration() -> String {
    "6m".to_owned()
}

/// `[pve]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pve {
    /// Cluster nodes (the first is the default node of guests).
    #[serde(default = "default_pve_nodes")]
    pub nodes: Vec<String>,
    /// IANA zone (default: the lab's).
    pub timezone: Option<String>,
    /// pve-manager version (`/version` `version`).
    #[serde(default = "default_pve_version")]
    pub version: String,
    /// Whether the token may list PBS storage content (needs Datastore.Allocate on
    /// `/storage`; PVEAuditor gets `[]`).
    #[serde(default = "default_true")]
    pub storage_content_visible: bool,
    /// Storages.
    #[serde(default)]
    pub storages: Vec<Storage>,
    /// Guests (VMs and containers).
    #[serde(default)]
    pub guests: Vec<Guest>,
    /// vzdump backup jobs (`/cluster/backup`).
    #[serde(default)]
    pub jobs: Vec<BackupJob>,
}

impl Default for Pve {
    fn default() -> Self {
        Pve {
            nodes: default_pve_nodes(),
            timezone: None,
            version: default_pve_version(),
            storage_content_visible: true,
            storages: Vec::new(),
            guests: Vec::new(),
            jobs: Vec::new(),
        }
    }
}

fn default_pve_nodes() -> Vec<String> {
    vec!["pve1".to_owned()]
}
fn default_pve_version() -> String {
    "9.2.11".to_owned()
}

/// `[[pve.storages]]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    /// Storage id.
    pub id: String,
    /// `pbs` or `dir`.
    #[serde(rename = "type")]
    pub kind: String,
    /// PBS datastore (type `pbs`).
    pub datastore: Option<String>,
    /// PBS namespace (type `pbs`; root when absent).
    #[serde(default)]
    pub namespace: String,
}

/// `[[pve.guests]]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guest {
    /// VMID.
    pub vmid: u32,
    /// `lxc` or `qemu`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Name (qemu name or lxc hostname).
    pub name: String,
    /// Node (default: the first node).
    pub node: Option<String>,
    /// Pool.
    pub pool: Option<String>,
    /// Template (never running; still listed by not-backed-up when uncovered).
    #[serde(default)]
    pub template: bool,
    /// `running` (default) or `stopped`.
    #[serde(default = "default_running")]
    pub status: String,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Disk size (VM: the image size; CT: the used part is backed up).
    #[serde(default = "default_disk")]
    pub disk: String,
    /// Memory.
    #[serde(default = "default_mem")]
    pub memory: String,
    /// CPU cores.
    #[serde(default = "default_cores")]
    pub cores: u32,
    /// Typical backup duration, e.g. `"4m"` (default from the size).
    pub backup_duration: Option<String>,
    /// Extra VM disks backed up as `drive-*.img.fidx` (default `["scsi0"]`, plus
    /// `efidisk0` for `uefi = true`).
    #[serde(default)]
    pub uefi: bool,
    /// The guest was destroyed this long before now (`"28d"`): gone from PVE, its
    /// backups remain in PBS until pruned.
    pub removed_ago: Option<String>,
    /// First line of the PBS group notes.
    pub group_notes: Option<String>,
}

fn default_running() -> String {
    "running".to_owned()
}
fn default_disk() -> String {
    "8GiB".to_owned()
}
fn default_mem() -> String {
    "1GiB".to_owned()
}
fn default_cores() -> u32 {
    1
}

/// `[[pve.jobs]]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupJob {
    /// Job id (`backup-…`).
    pub id: String,
    /// Calendar event.
    pub schedule: String,
    /// Target storage.
    pub storage: String,
    /// Every guest (minus `exclude`).
    #[serde(default)]
    pub all: bool,
    /// Explicit VMIDs.
    #[serde(default)]
    pub vmid: Vec<u32>,
    /// Every guest of a pool.
    pub pool: Option<String>,
    /// Excluded VMIDs (with `all`).
    #[serde(default)]
    pub exclude: Vec<u32>,
    /// Only guests on this node.
    pub node: Option<String>,
    /// `enabled` (absent in the API when true).
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// `snapshot`, `suspend` or `stop`.
    #[serde(default = "default_mode")]
    pub mode: String,
    /// Comment.
    pub comment: Option<String>,
    /// Becomes the PBS snapshot comment; `{{guestname}}`, `{{vmid}}` are expanded.
    pub notes_template: Option<String>,
    /// prune-backups, e.g. `{ keep-last = 3 }` (serialized as a property-string object).
    #[serde(default)]
    pub prune_backups: BTreeMap<String, u32>,
    /// repeat-missed
    #[serde(default)]
    pub repeat_missed: bool,
    /// compress (dir storages)
    pub compress: Option<String>,
}

fn default_mode() -> String {
    "snapshot".to_owned()
}

/// `[databasement]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Databasement {
    /// APP_DISPLAY_TIMEZONE: crons run in it (default: the lab's zone).
    pub timezone: Option<String>,
    /// The default organization's ULID (`org_id` other than this → 403).
    #[serde(default = "default_org")]
    pub organization: String,
    /// Host the API believes it is served at, when no forwarded host is given.
    #[serde(default = "default_db_host")]
    pub host: String,
    /// Named crons.
    #[serde(default)]
    pub schedules: Vec<DbSchedule>,
    /// Storage volumes.
    #[serde(default)]
    pub volumes: Vec<DbVolume>,
    /// Database servers.
    #[serde(default)]
    pub servers: Vec<DbServer>,
    /// Restore tests: one restore job per entry at its schedule.
    #[serde(default)]
    pub restores: Vec<DbRestore>,
}

impl Default for Databasement {
    fn default() -> Self {
        Databasement {
            timezone: None,
            organization: default_org(),
            host: default_db_host(),
            schedules: Vec::new(),
            volumes: Vec::new(),
            servers: Vec::new(),
            restores: Vec::new(),
        }
    }
}

fn default_org() -> String {
    "01KJQYQ7Z0B2S9V6X4M8N1P3RT".to_owned()
}
fn default_db_host() -> String {
    "databasement.lan:2226".to_owned()
}

/// `[[databasement.schedules]]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DbSchedule {
    /// Unique name.
    pub name: String,
    /// Cron expression (dragonmantank dialect; 5 fields or `@daily`).
    pub expression: String,
}

/// `[[databasement.volumes]]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DbVolume {
    /// Name.
    pub name: String,
    /// `local`, `s3`, `sftp`, …
    #[serde(rename = "type", default = "default_local")]
    pub kind: String,
    /// Path (local volumes).
    #[serde(default = "default_backups_path")]
    pub path: String,
}

fn default_local() -> String {
    "local".to_owned()
}
fn default_backups_path() -> String {
    "/backups".to_owned()
}

/// `[[databasement.servers]]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DbServer {
    /// Name.
    pub name: String,
    /// `postgres`, `mysql`, `sqlite`, `mongodb`, `redis`, `mssql`, `firebird`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Host (`""` for SQLite).
    #[serde(default)]
    pub host: String,
    /// Port (0 for SQLite).
    #[serde(default)]
    pub port: u16,
    /// Dump user.
    #[serde(default)]
    pub username: String,
    /// Description.
    pub description: Option<String>,
    /// `false`: the scheduler skips it.
    #[serde(default = "default_true")]
    pub backups_enabled: bool,
    /// Non-secret extra settings (merged into snapshot metadata).
    #[serde(default)]
    pub extra_config: Option<BTreeMap<String, String>>,
    /// Created this long before now.
    #[serde(default = "default_created_ago")]
    pub created_ago: String,
    /// Databases on the server with their dump sizes (`{ nextcloud = "180MiB" }`).
    #[serde(default)]
    pub databases: BTreeMap<String, String>,
    /// Backup configurations.
    #[serde(default)]
    pub backups: Vec<DbBackup>,
}

fn default_created_ago() -> String {
    "75d".to_owned()
}

/// `[[databasement.servers.backups]]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DbBackup {
    /// Name of a `[[databasement.schedules]]` entry.
    pub schedule: String,
    /// Name of a volume.
    pub volume: String,
    /// Path prefix with `{year}`/`{month}` placeholders.
    pub path: Option<String>,
    /// `days`, `gfs` or `forever`.
    #[serde(default = "default_retention")]
    pub retention: String,
    /// retention_days
    pub retention_days: Option<u32>,
    /// gfs_keep_daily
    pub gfs_keep_daily: Option<u32>,
    /// gfs_keep_weekly
    pub gfs_keep_weekly: Option<u32>,
    /// gfs_keep_monthly
    pub gfs_keep_monthly: Option<u32>,
    /// `all`, `selected` or `pattern`.
    #[serde(default = "default_selection")]
    pub selection: String,
    /// For `selected`: the names (may include databases the server does not have yet).
    #[serde(default)]
    pub databases: Vec<String>,
    /// For `pattern`: a regular expression (only `^prefix` and plain substrings are simulated).
    pub pattern: Option<String>,
    /// `gzip`, `zstd` or `encrypted`.
    #[serde(default = "default_gzip")]
    pub compression: String,
}

fn default_retention() -> String {
    "days".to_owned()
}
fn default_selection() -> String {
    "all".to_owned()
}
fn default_gzip() -> String {
    "gzip".to_owned()
}

/// `[[databasement.restores]]`: a scheduled restore test (a job with `type: null`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DbRestore {
    /// Server whose dump is restored.
    pub server: String,
    /// Database restored.
    pub database: String,
    /// Target schema name.
    pub schema: String,
    /// Cron in the display zone.
    pub schedule: String,
}

/// `[backrest]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backrest {
    /// Instance id (`config.instance`).
    #[serde(default = "default_instance")]
    pub instance: String,
    /// IANA zone of the server process (default: the lab's zone).
    pub timezone: Option<String>,
    /// How long ago the server process started (pending ops of never-run plans count from it).
    #[serde(default = "default_br_uptime")]
    pub uptime: String,
    /// `1.14` (default: summary with protectedBytes/historyLast30days) or `1.13`.
    #[serde(default = "default_br_version")]
    pub version: String,
    /// Hostname recorded in snapshots.
    #[serde(default = "default_br_host")]
    pub hostname: String,
    /// Repositories.
    #[serde(default)]
    pub repos: Vec<BrRepo>,
    /// Plans.
    #[serde(default)]
    pub plans: Vec<BrPlan>,
}

impl Default for Backrest {
    fn default() -> Self {
        Backrest {
            instance: default_instance(),
            timezone: None,
            uptime: default_br_uptime(),
            version: default_br_version(),
            hostname: default_br_host(),
            repos: Vec::new(),
            plans: Vec::new(),
        }
    }
}

fn default_instance() -> String {
    "homelab".to_owned()
}
fn default_br_uptime() -> String {
    "3d".to_owned()
}
fn default_br_version() -> String {
    "1.14".to_owned()
}
fn default_br_host() -> String {
    "backrest".to_owned()
}

/// A Backrest schedule: exactly one of `cron`, `every`, `disabled`, plus `clock`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrSchedule {
    /// 5-field cron.
    pub cron: Option<String>,
    /// `"6h"` (maxFrequencyHours) or `"7d"` (maxFrequencyDays).
    pub every: Option<String>,
    /// No schedule.
    #[serde(default)]
    pub disabled: bool,
    /// `local` (default), `utc`, `last-run`.
    pub clock: Option<String>,
}

/// `[[backrest.repos]]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrRepo {
    /// Repo id.
    pub id: String,
    /// restic URI.
    pub uri: String,
    /// Repository password (GetConfig returns it in plain text: that is the point).
    #[serde(default = "default_repo_password")]
    pub password: String,
    /// Environment (cloud keys), also returned by GetConfig.
    #[serde(default)]
    pub env: Vec<String>,
    /// Prune schedule.
    pub prune: Option<BrSchedule>,
    /// Check schedule.
    pub check: Option<BrSchedule>,
    /// Typical prune duration.
    #[serde(default = "default_prune_duration")]
    pub prune_duration: String,
    /// Typical check duration.
    #[serde(default = "default_check_duration")]
    pub check_duration: String,
}

fn default_repo_password() -> String {
    "EXAMPLE-plaintext-repo-password".to_owned()
}
fn default_prune_duration() -> String {
    "3m".to_owned()
}
fn default_check_duration() -> String {
    "12m".to_owned()
}

/// `[[backrest.plans]]`
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrPlan {
    /// Plan id.
    pub id: String,
    /// Repo id.
    pub repo: String,
    /// Paths.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Excludes.
    #[serde(default)]
    pub excludes: Vec<String>,
    /// Schedule.
    #[serde(default)]
    pub schedule: BrSchedule,
    /// `keep_last = N`, `{ hourly, daily, weekly, monthly, yearly }` or `keep_all = true`.
    #[serde(default)]
    pub retention: BTreeMap<String, toml::Value>,
    /// Size scanned per backup.
    #[serde(default = "default_plan_size")]
    pub size: String,
    /// Typical duration.
    #[serde(default = "default_plan_duration")]
    pub duration: String,
    /// A Discord hook on errors (adds a hook op after each failure).
    #[serde(default)]
    pub error_hook: bool,
    /// Created this long before now (no runs before).
    pub created_ago: Option<String>,
}

fn default_plan_size() -> String {
    "2GiB".to_owned()
}
fn default_plan_duration() -> String {
    "1m".to_owned()
}

/// `[[plant]]`: a problem planted in the generated history.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plant {
    /// What: `guest/<vmid>`, `host/<id>`, `database/<server>/<db>`, `server/<name>`,
    /// `plan/<id>`, `pbs-gc/<store>`, `pbs-prune/<id>`, `pbs-verify/<id>`, `pbs-sync/<id>`,
    /// `repo-prune/<id>`, `repo-check/<id>`.
    pub target: String,
    /// `missed`, `failed`, `running`, `verify-failed`, `never`.
    pub kind: String,
    /// Which scheduled runs, counted back from now: `-1` is the newest slot at or before
    /// now, `-2` the one before. Default `[-1]`.
    #[serde(default)]
    pub slots: Vec<i32>,
    /// Error text for `failed` (default: the product's typical message).
    pub message: Option<String>,
    /// A note for the summary and the docs.
    #[serde(default)]
    pub note: String,
}

/// `[[faults]]`: a runtime fault active from the start (same fields as `POST /faults`).
#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// `pbs`, `pve`, `databasement`, `backrest`.
    pub source: String,
    /// `status`, `html`, `truncated`, `slow`, `unauthorized`, `reset`, `huge`.
    pub kind: String,
    /// HTTP status for `status` (and `html`).
    pub status: Option<u16>,
    /// Delay for `slow`.
    pub ms: Option<u64>,
    /// Only requests whose path starts with this.
    pub path: Option<String>,
    /// Only this many requests, then the fault clears itself.
    pub times: Option<u32>,
    /// Response body for `status` (default: the product's error body).
    pub body: Option<String>,
    /// Body size in MiB for `huge`.
    pub mb: Option<u64>,
}

/// `[scale]`: synthetic groups for benchmarks.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// Datastore that holds them (created if missing).
    #[serde(default = "default_scale_store")]
    pub store: String,
    /// Number of groups.
    pub groups: u32,
    /// Snapshots per group.
    pub snapshots: u32,
    /// Namespaces they are spread over (the root plus `ns1` …).
    #[serde(default = "default_scale_ns")]
    pub namespaces: u32,
    /// Calendar event of the backups.
    #[serde(default = "default_scale_schedule")]
    pub schedule: String,
    /// First backup id.
    #[serde(default = "default_scale_first")]
    pub first_id: u32,
}

fn default_scale_store() -> String {
    "store1".to_owned()
}
fn default_scale_ns() -> u32 {
    5
}
fn default_scale_schedule() -> String {
    "01:00".to_owned()
}
fn default_scale_first() -> u32 {
    1000
}

/// `[[services]]`: the services a user names, with what they map to and the state a
/// correct widget shows at the scenario's `test_now`. Informational: the summary prints it
/// and `config/demo.toml` mirrors it.
#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceNote {
    /// Service name.
    pub name: String,
    /// Items (`ct/101`, `homelab-pg/nextcloud`, `plan/vault-snapshot`, …).
    #[serde(default)]
    pub items: Vec<String>,
    /// Expected state at `test_now`.
    pub expect: String,
    /// Why.
    #[serde(default)]
    pub why: String,
}

impl Scenario {
    /// Parses a scenario and checks what serde cannot: schedules, sizes, durations,
    /// references between sections.
    pub fn parse(text: &str) -> Result<Scenario, String> {
        let scenario: Scenario = toml::from_str(text).map_err(|e| e.to_string())?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// The built-in scenario by name (`adr-homelab`, `scale-10k`).
    pub fn builtin(name: &str) -> Option<&'static str> {
        match name {
            "adr-homelab" | "adr" | "default" => Some(ADR_HOMELAB),
            "scale-10k" | "scale" => Some(SCALE_10K),
            _ => None,
        }
    }

    /// The documented test instant, if any.
    pub fn test_now(&self) -> Result<Option<i64>, String> {
        self.lab
            .test_now
            .as_deref()
            .map(parse_instant)
            .transpose()
            .map_err(|e| format!("lab.test_now: {e}"))
    }

    fn validate(&self) -> Result<(), String> {
        use backwatch_core::schedule::Schedule;
        use backwatch_core::time::NamedZone;
        let errors: std::cell::RefCell<Vec<String>> = std::cell::RefCell::new(Vec::new());
        let zone = |what: &str, z: &Option<String>| {
            if let Some(z) = z
                && NamedZone::by_name(z).is_none()
            {
                errors
                    .borrow_mut()
                    .push(format!("{what}: unknown time zone {z:?}"));
            }
        };
        zone("lab.timezone", &Some(self.lab.timezone.clone()));
        zone("pbs.timezone", &self.pbs.timezone);
        zone("pve.timezone", &self.pve.timezone);
        zone("databasement.timezone", &self.databasement.timezone);
        zone("backrest.timezone", &self.backrest.timezone);
        if let Err(e) = self.test_now() {
            errors.borrow_mut().push(e);
        }
        let cal = |what: String, s: &str| {
            if let Err(e) = Schedule::parse_calendar(s) {
                errors.borrow_mut().push(format!("{what}: {e}"));
            }
        };
        let stores: Vec<&str> = self
            .pbs
            .datastores
            .iter()
            .map(|d| d.name.as_str())
            .chain(self.scale.as_ref().map(|s| s.store.as_str()))
            .collect();
        for d in &self.pbs.datastores {
            if let Some(gc) = &d.gc {
                cal(format!("pbs.datastores.{}.gc", d.name), gc);
            }
        }
        for j in &self.pbs.prune {
            cal(format!("pbs.prune.{}.schedule", j.id), &j.schedule);
        }
        for j in &self.pbs.verify {
            if let Some(s) = &j.schedule {
                cal(format!("pbs.verify.{}.schedule", j.id), s);
            }
        }
        for j in &self.pbs.sync {
            if let Some(s) = &j.schedule {
                cal(format!("pbs.sync.{}.schedule", j.id), s);
            }
        }
        for h in &self.pbs.hosts {
            cal(format!("pbs.hosts.{}.schedule", h.id), &h.schedule);
        }
        for j in &self.pve.jobs {
            cal(format!("pve.jobs.{}.schedule", j.id), &j.schedule);
        }
        if let Some(s) = &self.scale {
            cal("scale.schedule".to_owned(), &s.schedule);
        }
        let check = |what: String, r: Result<u64, String>| {
            if let Err(e) = r {
                errors.borrow_mut().push(format!("{what}: {e}"));
            }
        };
        for d in &self.pbs.datastores {
            check(
                format!("pbs.datastores.{}.size", d.name),
                parse_size(&d.size),
            );
            if let Some(b) = &d.base_used {
                check(
                    format!("pbs.datastores.{}.base_used", d.name),
                    parse_size(b),
                );
            }
            if let Some(u) = &d.unplugged_ago {
                check(
                    format!("pbs.datastores.{}.unplugged_ago", d.name),
                    parse_duration_ms(u),
                );
            }
            if let Some(u) = &d.unplugged
                && let Err(e) = parse_instant(u)
            {
                errors
                    .borrow_mut()
                    .push(format!("pbs.datastores.{}.unplugged: {e}", d.name));
            }
        }
        for h in &self.pbs.hosts {
            check(format!("pbs.hosts.{}.size", h.id), parse_size(&h.size));
            check(
                format!("pbs.hosts.{}.duration", h.id),
                parse_duration_ms(&h.duration),
            );
            if !stores.contains(&h.store.as_str()) {
                errors.borrow_mut().push(format!(
                    "pbs.hosts.{}: unknown datastore {:?}",
                    h.id, h.store
                ));
            }
        }
        for g in &self.pve.guests {
            check(format!("pve.guests.{}.disk", g.vmid), parse_size(&g.disk));
            check(
                format!("pve.guests.{}.memory", g.vmid),
                parse_size(&g.memory),
            );
            if let Some(d) = &g.backup_duration {
                check(
                    format!("pve.guests.{}.backup_duration", g.vmid),
                    parse_duration_ms(d),
                );
            }
            if let Some(d) = &g.removed_ago {
                check(
                    format!("pve.guests.{}.removed_ago", g.vmid),
                    parse_duration_ms(d),
                );
            }
            if !matches!(g.kind.as_str(), "lxc" | "qemu") {
                errors.borrow_mut().push(format!(
                    "pve.guests.{}.type: expected \"lxc\" or \"qemu\", found {:?}",
                    g.vmid, g.kind
                ));
            }
        }
        for s in &self.pve.storages {
            match s.kind.as_str() {
                "pbs" => match &s.datastore {
                    Some(d) if stores.contains(&d.as_str()) => {}
                    other => errors.borrow_mut().push(format!(
                        "pve.storages.{}: type pbs needs a known datastore, found {other:?}",
                        s.id
                    )),
                },
                "dir" => {}
                other => errors.borrow_mut().push(format!(
                    "pve.storages.{}.type: expected \"pbs\" or \"dir\", found {other:?}",
                    s.id
                )),
            }
        }
        for j in &self.pve.jobs {
            if !self.pve.storages.iter().any(|s| s.id == j.storage) {
                errors.borrow_mut().push(format!(
                    "pve.jobs.{}: unknown storage {:?}",
                    j.id, j.storage
                ));
            }
        }
        for s in &self.databasement.schedules {
            if let Err(e) = Schedule::parse_cron(&s.expression) {
                errors
                    .borrow_mut()
                    .push(format!("databasement.schedules.{}: {e}", s.name));
            }
        }
        for srv in &self.databasement.servers {
            check(
                format!("databasement.servers.{}.created_ago", srv.name),
                parse_duration_ms(&srv.created_ago),
            );
            for (db, size) in &srv.databases {
                check(
                    format!("databasement.servers.{}.databases.{db}", srv.name),
                    parse_size(size),
                );
            }
            for b in &srv.backups {
                if !self
                    .databasement
                    .schedules
                    .iter()
                    .any(|s| s.name == b.schedule)
                {
                    errors.borrow_mut().push(format!(
                        "databasement.servers.{}: unknown schedule {:?}",
                        srv.name, b.schedule
                    ));
                }
                if !self.databasement.volumes.iter().any(|v| v.name == b.volume) {
                    errors.borrow_mut().push(format!(
                        "databasement.servers.{}: unknown volume {:?}",
                        srv.name, b.volume
                    ));
                }
            }
        }
        for r in &self.databasement.restores {
            if let Err(e) = Schedule::parse_cron(&r.schedule) {
                errors
                    .borrow_mut()
                    .push(format!("databasement.restores: {e}"));
            }
        }
        check(
            "backrest.uptime".to_owned(),
            parse_duration_ms(&self.backrest.uptime),
        );
        let br_schedule = |what: String, s: &BrSchedule| {
            let set = usize::from(s.cron.is_some())
                + usize::from(s.every.is_some())
                + usize::from(s.disabled);
            if set != 1 {
                errors.borrow_mut().push(format!(
                    "{what}: exactly one of cron, every, disabled is needed"
                ));
            }
            if let Some(c) = &s.cron
                && let Err(e) = Schedule::parse_cron(c)
            {
                errors.borrow_mut().push(format!("{what}: {e}"));
            }
            if let Some(e) = &s.every {
                match parse_duration_ms(e) {
                    Ok(ms) if ms > 0 && ms % 3_600_000 == 0 => {}
                    _ => errors.borrow_mut().push(format!(
                        "{what}.every: expected whole hours or days, found {e:?}"
                    )),
                }
            }
            if let Some(c) = &s.clock
                && !matches!(c.as_str(), "local" | "utc" | "last-run")
            {
                errors.borrow_mut().push(format!(
                    "{what}.clock: expected \"local\", \"utc\" or \"last-run\", found {c:?}"
                ));
            }
        };
        for r in &self.backrest.repos {
            if let Some(s) = &r.prune {
                br_schedule(format!("backrest.repos.{}.prune", r.id), s);
            }
            if let Some(s) = &r.check {
                br_schedule(format!("backrest.repos.{}.check", r.id), s);
            }
        }
        for p in &self.backrest.plans {
            br_schedule(format!("backrest.plans.{}.schedule", p.id), &p.schedule);
        }
        let repo_ids: Vec<&str> = self.backrest.repos.iter().map(|r| r.id.as_str()).collect();
        for p in &self.backrest.plans {
            if !repo_ids.contains(&p.repo.as_str()) {
                errors.borrow_mut().push(format!(
                    "backrest.plans.{}: unknown repo {:?}",
                    p.id, p.repo
                ));
            }
            check(format!("backrest.plans.{}.size", p.id), parse_size(&p.size));
            check(
                format!("backrest.plans.{}.duration", p.id),
                parse_duration_ms(&p.duration),
            );
        }
        for p in &self.plant {
            if !matches!(
                p.kind.as_str(),
                "missed" | "failed" | "running" | "verify-failed" | "never"
            ) {
                errors.borrow_mut().push(format!(
                    "plant {}: unknown kind {:?} (missed, failed, running, verify-failed, never)",
                    p.target, p.kind
                ));
            }
            if !p.target.contains('/') {
                errors
                    .borrow_mut()
                    .push(format!("plant: target {:?} is not kind/name", p.target));
            }
        }
        for f in &self.faults {
            if let Err(e) = crate::faults::Fault::from_spec(f.clone()) {
                errors.borrow_mut().push(format!("faults: {e}"));
            }
        }
        let errors = errors.into_inner();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("\n"))
        }
    }
}
