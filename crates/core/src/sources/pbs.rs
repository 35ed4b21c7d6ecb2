//! Proxmox Backup Server, read directly.
//!
//! # Requests
//! Paths are `{base}/api2/json/…`; GETs without a Content-Type and without unknown query
//! parameters (PBS ≥ 3.1.5 rejects those with 400).
//!
//! Wave 1 (all from [`Collector::start`](crate::sources::Collector::start), concurrently):
//! - `/admin/datastore` (skipped when [`PbsSettings::datastores`] names the stores; then
//!   `/admin/datastore/{store}/namespace` for each is issued here instead),
//! - `/status/datastore-usage`, `/admin/gc`, `/admin/prune`, `/admin/verify`,
//!   `/admin/sync?sync-direction=all`, `/config/datastore`,
//!   `/nodes/localhost/tasks?errors=1&since=…`, `/version`, `/nodes/localhost/status`,
//!   `/nodes/localhost/time`, and `/tape/backup` when [`PbsSettings::tape_jobs`] is set.
//!
//! Wave 2: `/admin/datastore/{store}/namespace` per readable store (not-mounted and
//! offline stores are skipped with a warning).
//! Wave 3: `/admin/datastore/{store}/groups[?ns=…]` for **each** namespace (the listing is
//! not recursive).
//! Wave 4: snapshot listings, only where needed (see [`PbsCache`]).
//!
//! So a cold start with a store list from the server takes 4 round trips; with stores named
//! in the settings 3; a warm refresh where nothing changed 3 (2 with named stores).
//!
//! Fallbacks for older servers: `/admin/gc` 404 (PBS < 3.2) → `/admin/datastore/{store}/gc`
//! per store; `sync-direction` rejected with 400 (PBS < 3.3) → `/admin/sync`; namespace
//! listing failing (PBS < 2.2: 404) → the root namespace's groups only, with a warning.
//!
//! # Partial failure
//! The source is `Err` when the datastore list fails, or when every group listing failed.
//! Everything else (one namespace, snapshots, tasks, node status, jobs, usage) becomes a
//! warning and the rest still counts.

mod cache;
mod collect;
mod convert;
pub mod upid;
pub mod wire;

pub use cache::PbsCache;
pub use collect::PbsCollector;

use crate::model::{SourceId, SourceKind};

/// Settings of one PBS instance. Built from the TOML config by the config module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PbsSettings {
    /// Instance name (unique among PBS instances), e.g. `pbs-main`.
    pub name: String,
    /// Same-origin proxy base, e.g. `/api/pbs`; requests go to `{base}/api2/json/…`.
    pub base: String,
    /// Read only these datastores; `None` = every store the token can see (one more round
    /// trip: `/admin/datastore`).
    pub datastores: Option<Vec<String>>,
    /// Failed tasks are listed from `now - task_window_secs` (default 24 h).
    pub task_window_secs: u32,
    /// Fetch snapshot listings (verification, sizes, protected, in-progress). Off = groups
    /// only (count and newest backup).
    pub snapshots: bool,
    /// A cached snapshot listing is refetched after this many seconds even when the group
    /// did not change, to pick up verification results (default 1 h).
    pub snapshot_refresh_secs: u32,
    /// When more groups of one namespace need a listing than this, one namespace-wide
    /// listing replaces the per-group requests (default 4).
    pub max_group_requests: usize,
    /// Read tape backup jobs (`/tape/backup`; needs Tape.Audit, else the list is empty).
    pub tape_jobs: bool,
    /// Namespace subtrees to read (`""` = the root and everything below); `None` = all.
    /// Namespaces outside every subtree are not listed (see [`PbsSettings::wants_namespace`]).
    pub namespaces: Option<Vec<String>>,
    /// How many levels below each subtree root to read (0 = only the root itself);
    /// `None` = unlimited.
    pub max_depth: Option<u8>,
}

impl PbsSettings {
    /// Settings with defaults for the given instance name and proxy base.
    pub fn new(name: impl Into<String>, base: impl Into<String>) -> Self {
        PbsSettings {
            name: name.into(),
            base: base.into(),
            datastores: None,
            task_window_secs: 86_400,
            snapshots: true,
            snapshot_refresh_secs: 3_600,
            max_group_requests: 4,
            tape_jobs: false,
            namespaces: None,
            max_depth: None,
        }
    }

    /// Is namespace `ns` (`""` = root, `a/b` nested) inside a configured subtree, no deeper
    /// than [`PbsSettings::max_depth`] below its root?
    pub fn wants_namespace(&self, ns: &str) -> bool {
        let depth_below = |root: &str| -> Option<usize> {
            if root.is_empty() {
                return Some(if ns.is_empty() {
                    0
                } else {
                    ns.split('/').count()
                });
            }
            if ns == root {
                return Some(0);
            }
            let rest = ns.strip_prefix(root)?.strip_prefix('/')?;
            Some(rest.split('/').count())
        };
        let within = |root: &str| {
            depth_below(root).is_some_and(|d| self.max_depth.is_none_or(|m| d <= usize::from(m)))
        };
        match &self.namespaces {
            None => within(""),
            Some(roots) => roots.iter().any(|r| within(r)),
        }
    }

    /// The source id of this instance.
    pub fn source_id(&self) -> SourceId {
        SourceId {
            kind: SourceKind::Pbs,
            name: self.name.clone(),
        }
    }
}

impl Default for PbsSettings {
    fn default() -> Self {
        PbsSettings::new("pbs", "/api/pbs")
    }
}
