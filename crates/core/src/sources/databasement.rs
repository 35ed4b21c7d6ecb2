//! Databasement: database dumps (Laravel + Sanctum API under `/api/v1`).
//!
//! # Requests
//! All GETs carry `Accept: application/json` (without it a 401 becomes a redirect to the
//! login page) and, when set, `X-Organization-Id`. Page URLs are built here: `links.next`
//! drops `per_page` and the filters.
//!
//! Wave 1 (concurrently): `/api/v1/database-servers?per_page=100` (essential),
//! `/api/v1/backup-schedules?per_page=100` (404 on old versions → fallback + warning),
//! `/api/v1/snapshots?per_page=100&sort=-started_at` (essential) and, when
//! [`DatabasementSettings::failed_job_messages`] is set,
//! `/api/v1/jobs?filter[status]=failed&filter[type]=backup&per_page=100` for the error
//! texts of failed dumps (the snapshot rows carry none).
//! Wave 2: the remaining server pages (all at once), and snapshot page 2.
//! Wave n: snapshot page n, until the window ([`DatabasementSettings::window_secs`],
//! default 35 days) is covered, the history ends, or [`DatabasementSettings::max_pages`].
//!
//! # Snapshot counts
//! `snapshot_count` is the number of **completed rows seen**. It is exact when paging
//! reached the end of the history (then `runs_complete` is true), else it counts the
//! completed dumps inside the window (a lower bound with long retention). The per-database
//! `filter[status]=completed&per_page=1` → `meta.total` trick was not used: it costs one
//! request per database per refresh and `filter[database_name]` is a LIKE match (`app`
//! also counts `app_test`), so it over-counts exactly where names overlap.
//!
//! Restores never appear in the snapshot feed (a restore has a job but no snapshot); the
//! job feed is filtered to `type=backup`.

mod collect;
mod convert;
pub mod wire;

pub use collect::DatabasementCollector;

use crate::model::{SourceId, SourceKind};

/// Settings of one Databasement instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatabasementSettings {
    /// Instance name.
    pub name: String,
    /// Same-origin proxy base, e.g. `/api/db`; requests go to `{base}/api/v1/…`.
    pub base: String,
    /// `APP_DISPLAY_TIMEZONE` of the server (IANA name), which the API does not expose;
    /// set as the `zone` of every job. `None` = UTC (Databasement's default).
    pub zone: Option<String>,
    /// How far back snapshot rows are read (default 35 days).
    pub window_secs: u32,
    /// Upper bound on snapshot pages of 100 rows (default 10).
    pub max_pages: u32,
    /// Read the error messages of failed dumps (one extra request, default on).
    pub failed_job_messages: bool,
    /// Organization (`X-Organization-Id`); `None` = the token user's default org.
    pub organization: Option<String>,
    /// Cron of `recurrence: daily` on servers from before 2026-02 (`BACKUP_DAILY_CRON`).
    pub legacy_daily_cron: String,
    /// Cron of `recurrence: weekly` (`BACKUP_WEEKLY_CRON`).
    pub legacy_weekly_cron: String,
}

impl DatabasementSettings {
    /// Settings with defaults for the given instance name and proxy base.
    pub fn new(name: impl Into<String>, base: impl Into<String>) -> Self {
        DatabasementSettings {
            name: name.into(),
            base: base.into(),
            zone: None,
            window_secs: 35 * 86_400,
            max_pages: 10,
            failed_job_messages: true,
            organization: None,
            legacy_daily_cron: "0 2 * * *".to_owned(),
            legacy_weekly_cron: "0 3 * * 0".to_owned(),
        }
    }

    /// The source id of this instance.
    pub fn source_id(&self) -> SourceId {
        SourceId {
            kind: SourceKind::Databasement,
            name: self.name.clone(),
        }
    }
}

impl Default for DatabasementSettings {
    fn default() -> Self {
        DatabasementSettings::new("databasement", "/api/databasement")
    }
}
