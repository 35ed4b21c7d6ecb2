//! Proxmox VE: backup jobs, guests, coverage, and "PBS via PVE" storage listings.
//!
//! # Requests
//! Paths are `{base}/api2/json/…`, GETs without a Content-Type.
//!
//! Wave 1 (concurrently): `/cluster/backup` (essential), `/cluster/resources?type=vm`,
//! `/cluster/backup-info/not-backed-up`, `/version`,
//! `/nodes/{node}/storage/{storage}/content?content=backup` per configured PBS storage, and
//! `/nodes/{node}/time` when the node is known from the settings ([`PveSettings::time_node`],
//! else the first PBS storage's node).
//! Wave 2 (only when no node is known up front): `/nodes/{node}/time` for the first node
//! (alphabetically) found in the resources.
//!
//! So 1 round trip with a known node, else 2.
//!
//! # Partial failure
//! `Err` only when `/cluster/backup` fails. Without resources, job coverage is
//! [`Coverage::Unknown`](crate::model::Coverage::Unknown) and a warning says why.
//! A storage listing that comes back **empty** is reported as a warning: PVE silently
//! filters backup volumes unless the token has `Datastore.Allocate` on the storage (or
//! `Datastore.AllocateSpace` plus `VM.Backup` on each guest); `PVEAuditor` sees `[]`.

mod collect;
mod convert;
pub mod wire;

pub use collect::PveCollector;

use crate::model::{SourceId, SourceKind};

/// A PVE storage backed by PBS whose backups are read through PVE.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PveStorage {
    /// A node that has the storage, e.g. `pve1`.
    pub node: String,
    /// Storage id, e.g. `pbs-store1`.
    pub storage: String,
}

/// Settings of one PVE instance (a cluster or a single node).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PveSettings {
    /// Instance name (unique among PVE instances).
    pub name: String,
    /// Same-origin proxy base, e.g. `/api/pve`.
    pub base: String,
    /// PBS storages to list through PVE ("PBS via PVE"). Prefer a direct PBS source; where
    /// both exist, [`crate::sources::merge`] drops the duplicates.
    pub pbs_storages: Vec<PveStorage>,
    /// Node whose time zone is the cluster's schedule zone; `None` = the first PBS
    /// storage's node, else the first node in the resources (one more round trip).
    pub time_node: Option<String>,
}

impl PveSettings {
    /// Settings with defaults for the given instance name and proxy base.
    pub fn new(name: impl Into<String>, base: impl Into<String>) -> Self {
        PveSettings {
            name: name.into(),
            base: base.into(),
            pbs_storages: Vec::new(),
            time_node: None,
        }
    }

    /// The source id of this instance.
    pub fn source_id(&self) -> SourceId {
        SourceId {
            kind: SourceKind::Pve,
            name: self.name.clone(),
        }
    }
}

impl Default for PveSettings {
    fn default() -> Self {
        PveSettings::new("pve", "/api/pve")
    }
}
