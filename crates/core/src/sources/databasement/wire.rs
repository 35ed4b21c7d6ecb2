//! Databasement wire types (Laravel API resources, snake_case), v1.0–1.3.
//!
//! Older server shapes are accepted: v1.0.x has a single `backup` object plus top-level
//! `database_names`/`database_selection_mode`; before 2026-02 a `backup.recurrence`
//! (`daily`/`weekly`) instead of a named schedule. Unused fields (`metadata`, `checksum`,
//! `links`, `meta.links`, volumes, …) are not declared.

use serde::Deserialize;

use crate::sources::de::{self, wire_enum};

/// A paginated index response (`data[]`, `links`, `meta`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Page<T> {
    /// The rows of this page.
    pub data: Vec<T>,
    /// Pagination; absent on non-paginated responses.
    #[serde(default)]
    pub meta: Option<Meta>,
}

/// `meta` of a paginated response (`links` inside it is not read).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Meta {
    /// 1-based page number.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub current_page: Option<i64>,
    /// Last page number (1 for an empty result).
    #[serde(default, deserialize_with = "de::opt_int")]
    pub last_page: Option<i64>,
    /// Rows over all pages.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub total: Option<i64>,
}

wire_enum! {
    /// Status of a backup job run (`app/Enums/BackupJobStatus.php`).
    pub enum JobStatus {
        /// Queued, not started.
        Pending = "pending",
        /// Dumping.
        Running = "running",
        /// Finished with a dump.
        Completed = "completed",
        /// Finished without a dump.
        Failed = "failed",
    }
}

wire_enum! {
    /// Which databases a backup configuration dumps.
    pub enum SelectionMode {
        /// Every database listed at run time.
        All = "all",
        /// `database_names`.
        Selected = "selected",
        /// Databases matching `database_include_pattern`.
        Pattern = "pattern",
    }
}

/// A named cron schedule (`/api/v1/backup-schedules`, or embedded in a backup config).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct BackupSchedule {
    /// ULID.
    pub id: String,
    /// Unique name, e.g. `Daily`.
    pub name: String,
    /// 5-field cron (dragonmantank/cron-expression), evaluated in `APP_DISPLAY_TIMEZONE`.
    pub expression: String,
}

/// One backup configuration of a server (`backups[]`, or v1.0's single `backup`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Backup {
    /// ULID.
    #[serde(default)]
    pub id: Option<String>,
    /// Schedule id.
    #[serde(default)]
    pub backup_schedule_id: Option<String>,
    /// The schedule (v1.1+).
    #[serde(default)]
    pub backup_schedule: Option<BackupSchedule>,
    /// Before 2026-02: `daily` or `weekly` (times from server env, not in the API).
    #[serde(default)]
    pub recurrence: Option<String>,
    /// Selection mode (v1.1+; top-level on the server in v1.0).
    #[serde(default)]
    pub database_selection_mode: Option<SelectionMode>,
    /// Databases of `selected` mode.
    #[serde(default, deserialize_with = "de::null_vec")]
    pub database_names: Vec<String>,
    /// Regex of `pattern` mode.
    #[serde(default)]
    pub database_include_pattern: Option<String>,
}

/// An item of `/api/v1/database-servers`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct DatabaseServer {
    /// ULID.
    pub id: String,
    /// Server name.
    pub name: String,
    /// `mysql`, `postgres`, `sqlite`, `redis`, `mongodb`, `mssql`, `firebird`.
    #[serde(default)]
    pub database_type: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// `false` = the scheduler skips this server.
    #[serde(default = "yes", deserialize_with = "de::flag")]
    pub backups_enabled: bool,
    /// Backup configurations (v1.1+).
    #[serde(default, deserialize_with = "de::null_vec")]
    pub backups: Vec<Backup>,
    /// The single backup configuration (v1.0.x).
    #[serde(default)]
    pub backup: Option<Backup>,
    /// v1.0.x: selection mode at the top level.
    #[serde(default)]
    pub database_selection_mode: Option<SelectionMode>,
    /// v1.0.x: selected databases at the top level.
    #[serde(default, deserialize_with = "de::null_vec")]
    pub database_names: Vec<String>,
    /// Before 2026-02: all databases (`true`) or the selected ones.
    #[serde(default)]
    pub backup_all_databases: Option<bool>,
}

fn yes() -> bool {
    true
}

/// `{id, name}` of a related record.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Ref {
    /// ULID.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
}

/// `job` of a snapshot row.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct SnapshotJob {
    /// ULID of the BackupJob.
    pub id: String,
    /// Run status.
    pub status: JobStatus,
    /// Human duration (`36.87s`), null until finished.
    #[serde(default)]
    pub duration: Option<String>,
}

/// An item of `/api/v1/snapshots`: one database of one run, from queue time on.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Snapshot {
    /// ULID.
    pub id: String,
    /// Database name (a file path for SQLite, `all` for Redis).
    pub database_name: String,
    /// Bytes; 0 until completed.
    #[serde(default, deserialize_with = "de::opt_size")]
    pub file_size: Option<u64>,
    /// `manual` or `scheduled`.
    #[serde(default)]
    pub method: Option<String>,
    /// Queue time (ISO 8601 UTC).
    #[serde(default)]
    pub started_at: Option<String>,
    /// Creation time.
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last change; for finished rows about when the dump ended.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// The server.
    pub server: Ref,
    /// The run.
    #[serde(default)]
    pub job: Option<SnapshotJob>,
}

/// An item of `/api/v1/jobs` (only read for failed backups' error messages).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Job {
    /// ULID.
    pub id: String,
    /// Run status.
    pub status: JobStatus,
    /// Tool stderr of a failed run.
    #[serde(default)]
    pub error_message: Option<String>,
    /// `backup`, or `null` for restores.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}
