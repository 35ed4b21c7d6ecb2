//! Backrest (restic plans) over Connect RPC.
//!
//! # Requests
//! Every request is `POST {base}/v1.Backrest/<Method>` with a JSON body and
//! `Content-Type: application/json`. Only two methods can be called: [`Rpc`] has no other
//! variant, and requests are built only from it. **`GetConfig` is unreachable by
//! construction**: it returns repository passwords and cloud credentials in plain text.
//!
//! Wave 1: `GetSummaryDashboard` `{}` (essential; per plan: recent backups newest first,
//! the next scheduled backup).
//! Wave 2: `GetOperations` `{"selector":{"planId":"…"[,"instanceId":"…"]}}` per plan whose
//! newest backup changed since the cached result, or whose result is older than
//! [`BackrestSettings::operations_refresh_secs`]: snapshot count (index-snapshot ops not
//! forgotten), last success, "never run", error texts. So 2 round trips, 1 when nothing
//! changed.
//!
//! # Schedules
//! Plan schedules live in the config, which backwatch must not read, so they come from
//! [`BackrestSettings::plans`]; repo prune/check schedules from [`BackrestSettings::repos`].
//! The server-reported next run (`nextBackupTimeMs`, the PENDING op) is used as is.

mod collect;
mod convert;
pub mod wire;

pub use collect::{BackrestCache, BackrestCollector};

use crate::model::{ScheduleClock, ScheduleSpec, SourceId, SourceKind};

/// The only Backrest RPCs backwatch calls. There is deliberately no `GetConfig` (it
/// returns repository passwords), no `Backup`, `DoRepoTask` or `Login`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rpc {
    /// Per-plan and per-repo summary (Backrest ≥ 1.6).
    GetSummaryDashboard,
    /// Operation history for a selector.
    GetOperations,
}

impl Rpc {
    /// The Connect path below the proxy base.
    pub fn path(self) -> &'static str {
        match self {
            Rpc::GetSummaryDashboard => "/v1.Backrest/GetSummaryDashboard",
            Rpc::GetOperations => "/v1.Backrest/GetOperations",
        }
    }
}

/// A Backrest schedule as configured (cron, every N hours/days) and its clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackrestSchedule {
    /// The schedule.
    pub spec: ScheduleSpec,
    /// Local time (default), UTC, or counted from the last run.
    pub clock: ScheduleClock,
}

/// What backwatch knows about a plan beyond the API (its schedule).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackrestPlan {
    /// Plan id.
    pub id: String,
    /// `None` = manual only, or not told.
    pub schedule: Option<BackrestSchedule>,
    /// `false` for a plan whose schedule is `{disabled: true}`.
    pub enabled: bool,
}

/// Prune and check schedules of a repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackrestRepo {
    /// Repo id.
    pub id: String,
    /// `prunePolicy.schedule`.
    pub prune: Option<BackrestSchedule>,
    /// `checkPolicy.schedule`.
    pub check: Option<BackrestSchedule>,
}

/// Settings of one Backrest instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackrestSettings {
    /// Instance name in backwatch.
    pub name: String,
    /// Same-origin proxy base, e.g. `/api/backrest`.
    pub base: String,
    /// Backrest's own instance id (`config.instance`): limits operations to this host's
    /// (ops synced from other instances are left out). `None` = no filter.
    pub instance_id: Option<String>,
    /// The server process's time zone (not exposed by the API), set as the jobs' `zone`.
    pub zone: Option<String>,
    /// Known plan schedules.
    pub plans: Vec<BackrestPlan>,
    /// Known repo prune/check schedules.
    pub repos: Vec<BackrestRepo>,
    /// Read operations per plan (snapshot counts, last success, never-run). Default on.
    pub operations: bool,
    /// Re-read a plan's operations after this many seconds even when its newest backup is
    /// unchanged (default 1 h).
    pub operations_refresh_secs: u32,
}

impl BackrestSettings {
    /// Settings with defaults for the given instance name and proxy base.
    pub fn new(name: impl Into<String>, base: impl Into<String>) -> Self {
        BackrestSettings {
            name: name.into(),
            base: base.into(),
            instance_id: None,
            zone: None,
            plans: Vec::new(),
            repos: Vec::new(),
            operations: true,
            operations_refresh_secs: 3_600,
        }
    }

    /// The source id of this instance.
    pub fn source_id(&self) -> SourceId {
        SourceId {
            kind: SourceKind::Backrest,
            name: self.name.clone(),
        }
    }
}

impl Default for BackrestSettings {
    fn default() -> Self {
        BackrestSettings::new("backrest", "/api/backrest")
    }
}
