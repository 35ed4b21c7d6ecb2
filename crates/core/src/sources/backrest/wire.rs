//! Backrest wire types: protojson of the Connect RPC responses (lowerCamelCase, int64 as
//! decimal strings, enums as names, defaults and empty lists **omitted** (never `null`): an empty
//! response is `{}`). Before 1.14 `protectedBytes` and `historyLast30days` do not exist;
//! neither is needed here. Unused fields (`bytes*`, `historyLast30days`, progress and
//! summaries of backup ops, hook/forget/prune ops, …) are not declared.

use serde::Deserialize;

use crate::sources::de::{self, Int, wire_enum};

wire_enum! {
    /// `OperationStatus` (`proto/v1/operations.proto`). `STATUS_UNKNOWN` is the default and
    /// therefore omitted on the wire.
    pub enum OpStatus {
        /// Default / unset.
        StatusUnknown = "STATUS_UNKNOWN",
        /// Scheduled, not started (`unixTimeStartMs` = scheduled time).
        Pending = "STATUS_PENDING",
        /// Running.
        InProgress = "STATUS_INPROGRESS",
        /// Finished OK.
        Success = "STATUS_SUCCESS",
        /// Finished with warnings (partial backup); a snapshot was written.
        Warning = "STATUS_WARNING",
        /// Failed.
        Error = "STATUS_ERROR",
        /// Cancelled by Backrest (e.g. on restart).
        SystemCancelled = "STATUS_SYSTEM_CANCELLED",
        /// Cancelled by a user.
        UserCancelled = "STATUS_USER_CANCELLED",
    }
}

/// `GetSummaryDashboardResponse`.
#[derive(Clone, Debug, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryDashboard {
    /// Per repo (omitted when empty).
    #[serde(default)]
    pub repo_summaries: Vec<Summary>,
    /// Per plan, in config order (omitted when empty).
    #[serde(default)]
    pub plan_summaries: Vec<Summary>,
}

/// `SummaryDashboardResponse.Summary` of a repo or plan.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Repo or plan id.
    pub id: String,
    /// Failed backups in 30 days (absent = 0).
    #[serde(
        default,
        rename = "backupsFailed30days",
        deserialize_with = "de::opt_int"
    )]
    pub backups_failed_30days: Option<i64>,
    /// Successful backups in 30 days.
    #[serde(
        default,
        rename = "backupsSuccessLast30days",
        deserialize_with = "de::opt_int"
    )]
    pub backups_success_last_30days: Option<i64>,
    /// Start of the PENDING backup op (ms); absent while running or when unscheduled.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub next_backup_time_ms: Option<i64>,
    /// Recent backups, newest first (≤ 60); PENDING excluded, INPROGRESS included.
    #[serde(default)]
    pub recent_backups: Option<BackupsList>,
    /// Bytes of the latest OK backup (v1.14+).
    #[serde(default, deserialize_with = "de::opt_int")]
    pub protected_bytes: Option<i64>,
}

/// `recentBackups`: parallel arrays, newest first; each omitted when empty.
#[derive(Clone, Debug, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupsList {
    /// Flow ids.
    #[serde(default)]
    pub flow_id: Vec<Int>,
    /// Start times (ms).
    #[serde(default)]
    pub timestamp_ms: Vec<Int>,
    /// Durations (ms, ≥ 1000).
    #[serde(default)]
    pub duration_ms: Vec<Int>,
    /// Statuses.
    #[serde(default)]
    pub status: Vec<OpStatus>,
}

/// `GetOperationsResponse` (`{}` when no op matches).
#[derive(Clone, Debug, PartialEq, Default, Deserialize)]
pub struct OperationList {
    /// Ops, ascending by id.
    #[serde(default)]
    pub operations: Vec<Operation>,
}

/// An `Operation` (only the fields and op kinds backwatch reads).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    /// Sequential id.
    #[serde(deserialize_with = "de::int")]
    pub id: i64,
    /// First op id of the plan execution this op belongs to.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub flow_id: Option<i64>,
    /// Plan id (`_system_` for repo tasks).
    #[serde(default)]
    pub plan_id: Option<String>,
    /// Status; absent = `STATUS_UNKNOWN`.
    #[serde(default)]
    pub status: Option<OpStatus>,
    /// Start (ms); for PENDING the scheduled time.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub unix_time_start_ms: Option<i64>,
    /// End (ms); absent while pending or running.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub unix_time_end_ms: Option<i64>,
    /// Error/warning text.
    #[serde(default)]
    pub display_message: Option<String>,
    /// Present on backup ops (`{}` for a PENDING one).
    #[serde(default)]
    pub operation_backup: Option<OperationBackup>,
    /// Present on index-snapshot ops (one per restic snapshot).
    #[serde(default)]
    pub operation_index_snapshot: Option<OperationIndexSnapshot>,
}

/// `OperationBackup` (progress and summary are not read).
#[derive(Clone, Debug, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationBackup {
    /// A dry run wrote no snapshot.
    #[serde(default, deserialize_with = "de::flag")]
    pub dry_run: bool,
}

/// `OperationIndexSnapshot`.
#[derive(Clone, Debug, PartialEq, Default, Deserialize)]
pub struct OperationIndexSnapshot {
    /// The restic snapshot.
    #[serde(default)]
    pub snapshot: Option<ResticSnapshot>,
    /// True once retention forgot the snapshot.
    #[serde(default, deserialize_with = "de::flag")]
    pub forgot: bool,
}

/// `ResticSnapshot` (only its time is read).
#[derive(Clone, Debug, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResticSnapshot {
    /// Snapshot time (ms).
    #[serde(default, deserialize_with = "de::opt_int")]
    pub unix_time_ms: Option<i64>,
}
