//! PVE wire types: the JSON of `GET /api2/json/...` as PVE 7–9 sends it.
//!
//! Booleans are `0`/`1`; integers are numbers at the top level but **strings inside parsed
//! property strings**, so numbers are read leniently. Unused fields (resource counters,
//! vzdump options, `prune-backups`, `fleecing`, …) are not declared and skipped.

use serde::Deserialize;

use crate::sources::de::{self, wire_enum};

pub use crate::sources::pbs::wire::{Envelope, VerifyState};

wire_enum! {
    /// `type` of a guest in `/cluster/resources` and `/cluster/backup-info/not-backed-up`.
    pub enum GuestKind {
        /// A QEMU VM.
        Qemu = "qemu",
        /// An LXC container.
        Lxc = "lxc",
    }
}

fn yes() -> bool {
    true
}

/// An item of `GET /cluster/backup` (a vzdump job from `jobs.cfg`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct BackupJob {
    /// Job id (`backup-…`, or a UUID for older jobs).
    pub id: String,
    /// Calendar event (synthesized for legacy `vzdump.cron` jobs).
    #[serde(default)]
    pub schedule: Option<String>,
    /// `0`/`1`; absent = enabled.
    #[serde(default = "yes", deserialize_with = "de::flag")]
    pub enabled: bool,
    /// Next run, computed from now in the node's zone, **even for disabled jobs**.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub next_run: Option<i64>,
    /// Run only on this node (and back up only its guests).
    #[serde(default)]
    pub node: Option<String>,
    /// Back up all guests (minus `exclude`).
    #[serde(default, deserialize_with = "de::flag")]
    pub all: bool,
    /// Comma/space-separated VMIDs.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub vmid: Option<String>,
    /// Comma/space-separated VMIDs excluded from `all`.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub exclude: Option<String>,
    /// Back up the members of this pool.
    #[serde(default)]
    pub pool: Option<String>,
    /// Target storage id.
    #[serde(default)]
    pub storage: Option<String>,
    /// Comment.
    #[serde(default)]
    pub comment: Option<String>,
}

/// An item of `GET /cluster/resources?type=vm`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Resource {
    /// `qemu` or `lxc`.
    #[serde(rename = "type")]
    pub kind: GuestKind,
    /// VMID.
    #[serde(deserialize_with = "de::int")]
    pub vmid: i64,
    /// Guest name (qemu name / lxc hostname).
    #[serde(default)]
    pub name: Option<String>,
    /// Node the guest is on.
    #[serde(default)]
    pub node: Option<String>,
    /// `0`/`1`.
    #[serde(default, deserialize_with = "de::flag")]
    pub template: bool,
    /// Resource pool.
    #[serde(default)]
    pub pool: Option<String>,
    /// `backup` while vzdump runs.
    #[serde(default)]
    pub lock: Option<String>,
}

/// An item of `GET /cluster/backup-info/not-backed-up`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct NotBackedUp {
    /// VMID.
    #[serde(deserialize_with = "de::int")]
    pub vmid: i64,
    /// `qemu` or `lxc`.
    #[serde(rename = "type")]
    pub kind: GuestKind,
    /// Guest name.
    #[serde(default)]
    pub name: Option<String>,
}

/// `verification` of a PBS-backed volume (copied from PBS).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Verification {
    /// Verify task UPID (PBS format).
    pub upid: String,
    /// `ok` or `failed`.
    pub state: VerifyState,
}

/// An item of `GET /nodes/{node}/storage/{storage}/content?content=backup`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct StorageContent {
    /// `<sid>:backup/<vm|ct>/<vmid>/<time>` for PBS storages.
    pub volid: String,
    /// `pbs-vm` / `pbs-ct` for PBS storages, else the archive extension.
    #[serde(default)]
    pub format: Option<String>,
    /// Bytes; **`1` when PBS sent none** (in progress).
    #[serde(default, deserialize_with = "de::opt_size")]
    pub size: Option<u64>,
    /// Backup time (epoch s).
    #[serde(default, deserialize_with = "de::opt_int")]
    pub ctime: Option<i64>,
    /// VMID.
    #[serde(default, deserialize_with = "de::opt_int")]
    pub vmid: Option<i64>,
    /// `qemu` or `lxc` (`unknown` fallback on directory storages).
    #[serde(default)]
    pub subtype: Option<String>,
    /// PBS comment / first line of the notes file.
    #[serde(default)]
    pub notes: Option<String>,
    /// `1` only when protected.
    #[serde(default, deserialize_with = "de::flag")]
    pub protected: bool,
    /// Last verification (PBS storages).
    #[serde(default)]
    pub verification: Option<Verification>,
    /// Key fingerprint or `"1"` when encrypted.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub encrypted: Option<String>,
}

/// `GET /version`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Version {
    /// Full pve-manager version, e.g. `9.2.11`.
    pub version: String,
    /// `major.minor` (a different meaning than PBS's `release`).
    #[serde(default)]
    pub release: Option<String>,
}

pub use crate::sources::pbs::wire::NodeTime;
