//! The typed configuration. Downstream code sees only these types, never raw TOML.
//!
//! Durations are whole seconds (`*_secs`), schedules are [`ScheduleSpec`] text not yet
//! evaluated, time zones are IANA names as written (validated for shape only; see
//! `docs/config.md`).

use chrono::NaiveDate;

#[allow(unused_imports)] // SourceKind: linked from the docs.
use crate::model::{
    JobKind, PbsLocation, ScheduleClock, ScheduleSpec, SourceId, SourceKind, Subject,
};

/// The whole `backwatch.toml`, with every default applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Heading shown on the card (`""` = no heading). Default `"Backups"`.
    pub title: String,
    /// `[defaults]`: refresh, staleness, grace and the display time zone.
    pub defaults: Defaults,
    /// `[[sources.*]]`: the API instances to read.
    pub sources: Sources,
    /// `[services.<name>]`, in file order.
    pub services: Vec<Service>,
    /// `[[schedules]]`: schedules no API reports, in file order.
    pub schedules: Vec<ExtraSchedule>,
    /// `[ignore]`: subjects hidden from the "unmapped" and "not backed up" lists.
    pub ignore: Vec<Target>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Backups".to_owned(),
            defaults: Defaults::default(),
            sources: Sources::default(),
            services: Vec::new(),
            schedules: Vec::new(),
            ignore: Vec::new(),
        }
    }
}

impl Config {
    /// The service with this exact name.
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }
}

/// `[defaults]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Defaults {
    /// Seconds between refreshes; at least [`Defaults::MIN_REFRESH_SECS`]. Default 300.
    pub refresh_secs: u64,
    /// A source whose last good read is older than this is shown as stale.
    /// Default three times `refresh_secs`.
    pub stale_after_secs: u64,
    /// Default grace for services and items that set none. Default 25 %.
    pub grace: Grace,
    /// Cap on a grace given as a percentage. Default 3 h.
    pub grace_max_secs: u64,
    /// A verification older than this counts as stale. Default 30 days.
    pub verify_max_age_secs: u64,
    /// Time zone for displaying times. Default: the browser's.
    pub timezone: DisplayZone,
}

impl Defaults {
    /// PBS token authentication is expensive: never refresh faster than this.
    pub const MIN_REFRESH_SECS: u64 = 60;
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            refresh_secs: 300,
            stale_after_secs: 900,
            grace: Grace::Fraction {
                basis_points: 2_500,
            },
            grace_max_secs: 3 * 3_600,
            verify_max_age_secs: 30 * 86_400,
            timezone: DisplayZone::Browser,
        }
    }
}

/// How late a run may be before it counts as late.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Grace {
    /// A fixed allowance (`"30m"`).
    Fixed {
        /// Seconds.
        secs: u64,
    },
    /// A share of the schedule's period (`"25%"`), capped by `grace_max`.
    Fraction {
        /// Hundredths of a percent: `"25%"` is 2500, `"12.5%"` is 1250 (0 to 10 000).
        basis_points: u32,
    },
}

impl Grace {
    /// Seconds of grace for a schedule whose period is `period_secs`: a fixed grace as is,
    /// a percentage of the period capped at `max_secs`.
    ///
    /// This is the rule `docs/config.md` describes; the health module may refine it.
    pub fn seconds(self, period_secs: u64, max_secs: u64) -> u64 {
        match self {
            Grace::Fixed { secs } => secs,
            Grace::Fraction { basis_points } => {
                let share = u128::from(period_secs) * u128::from(basis_points) / 10_000;
                u64::try_from(share).unwrap_or(u64::MAX).min(max_secs)
            }
        }
    }
}

/// The zone times are displayed in.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DisplayZone {
    /// The browser's zone (`timezone = "browser"`, the default).
    Browser,
    /// A named IANA zone such as `Europe/Berlin`.
    Named(String),
}

/// All configured source instances, by kind, in file order. Names are unique across
/// all kinds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sources {
    /// `[[sources.pbs]]`.
    pub pbs: Vec<PbsSource>,
    /// `[[sources.pve]]`.
    pub pve: Vec<PveSource>,
    /// `[[sources.databasement]]`.
    pub databasement: Vec<DatabasementSource>,
    /// `[[sources.backrest]]`.
    pub backrest: Vec<BackrestSource>,
}

impl Sources {
    /// Every configured instance: PBS first, then PVE, Databasement, Backrest.
    pub fn ids(&self) -> Vec<&SourceId> {
        let pbs = self.pbs.iter().map(|s| &s.id);
        let pve = self.pve.iter().map(|s| &s.id);
        let db = self.databasement.iter().map(|s| &s.id);
        let br = self.backrest.iter().map(|s| &s.id);
        pbs.chain(pve).chain(db).chain(br).collect()
    }

    /// Is no source configured?
    pub fn is_empty(&self) -> bool {
        self.pbs.is_empty()
            && self.pve.is_empty()
            && self.databasement.is_empty()
            && self.backrest.is_empty()
    }
}

/// A Proxmox Backup Server instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PbsSource {
    /// Kind [`SourceKind::Pbs`] and the configured `name`.
    pub id: SourceId,
    /// Same-origin proxy path without a trailing slash, e.g. `/api/pbs` (`""` for `/`).
    pub base: String,
    /// Overrides the zone PBS reports (`/nodes/localhost/time`).
    pub timezone: Option<String>,
    /// Datastores to read; `None` = discover them with `/admin/datastore`.
    pub datastores: Option<Vec<String>>,
    /// Namespace subtrees to read (`""` = the root namespace and below); `None` = all.
    pub namespaces: Option<Vec<String>>,
    /// How deep below each namespace to read (0 to 7); `None` = fully recursive.
    pub max_depth: Option<u8>,
    /// How often to re-read the expensive per-snapshot listings. Default 30 minutes.
    pub snapshot_refresh_secs: u64,
    /// How far back to list failed tasks. Default 2 days.
    pub task_window_secs: u64,
}

/// A Proxmox VE node or cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PveSource {
    /// Kind [`SourceKind::Pve`] and the configured `name`.
    pub id: SourceId,
    /// Same-origin proxy path without a trailing slash.
    pub base: String,
    /// Overrides the zone PVE reports (`/nodes/{node}/time`).
    pub timezone: Option<String>,
    /// PBS storages to list through PVE ("PBS via PVE").
    pub pbs_storages: Vec<PbsStorage>,
}

/// A PBS storage as PVE sees it: listed with `/nodes/{node}/storage/{storage}/content`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PbsStorage {
    /// PVE storage id, e.g. `pbs-store1`.
    pub storage: String,
    /// The node to ask.
    pub node: String,
}

/// A Databasement instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatabasementSource {
    /// Kind [`SourceKind::Databasement`] and the configured `name`.
    pub id: SourceId,
    /// Same-origin proxy path without a trailing slash.
    pub base: String,
    /// Databasement's `APP_DISPLAY_TIMEZONE`, which its crons run in. The API does not
    /// report it; `None` = the browser's zone (a warning is reported).
    pub timezone: Option<String>,
    /// How far back to page through dump history. Default 30 days.
    pub history_secs: u64,
    /// Organization id (`org_id`, a ULID); `None` = the token owner's default organization.
    pub organization: Option<String>,
}

/// A Backrest instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackrestSource {
    /// Kind [`SourceKind::Backrest`] and the configured `name`.
    pub id: SourceId,
    /// Same-origin proxy path without a trailing slash.
    pub base: String,
    /// The Backrest server's local zone, which its schedules run in. The API does not
    /// report it; `None` = the browser's zone.
    pub timezone: Option<String>,
    /// Plan schedules, copied from Backrest's config (the widget must never ask
    /// Backrest for its config: it contains repository passwords).
    pub plans: Vec<BackrestPlan>,
    /// Repository prune and check schedules.
    pub repos: Vec<BackrestRepo>,
}

/// A Backrest schedule: `cron`, `every` or disabled, plus its clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackrestSchedule {
    /// `None` = disabled (`disabled = true`). Otherwise [`ScheduleSpec::Cron`],
    /// [`ScheduleSpec::EveryHours`] or [`ScheduleSpec::EveryDays`].
    pub spec: Option<ScheduleSpec>,
    /// Which clock it counts in. Default [`ScheduleClock::Local`].
    pub clock: ScheduleClock,
}

/// A Backrest plan's schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackrestPlan {
    /// Plan id as in Backrest.
    pub id: String,
    /// Its backup schedule.
    pub schedule: BackrestSchedule,
}

/// A Backrest repository's maintenance schedules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackrestRepo {
    /// Repository id as in Backrest.
    pub id: String,
    /// `prunePolicy.schedule`, if configured.
    pub prune: Option<BackrestSchedule>,
    /// `checkPolicy.schedule`, if configured.
    pub check: Option<BackrestSchedule>,
}

/// A named service and what backs it up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    /// The table key: `[services.immich]` → `immich`.
    pub name: String,
    /// Free text shown with the service. Render as text only.
    pub description: Option<String>,
    /// An `http(s)://` URL or a same-origin path, e.g. the service's UI.
    pub link: Option<String>,
    /// Overrides `defaults.grace` for every item of this service.
    pub grace: Option<Grace>,
    /// Gone for good: shown with its history, never alarming.
    pub retired: bool,
    /// Alarms are silenced through the end of this day (in the display zone).
    pub paused_until: Option<NaiveDate>,
    /// Guests, host groups, databases and plans, in file order (`guests` first, then
    /// `hosts`, `databases`, `plans`).
    pub items: Vec<ServiceItem>,
}

/// One thing a service is backed up as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceItem {
    /// What and where.
    pub target: Target,
    /// Overrides the service's (or the default) grace for this item.
    pub grace: Option<Grace>,
    /// This item alone is retired (e.g. the VM the service moved away from).
    pub retired: bool,
}

/// A subject, optionally narrowed to a source instance, datastore and namespace.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Target {
    /// `ct/101`, `host/nas`, `server/database`, a plan id.
    pub subject: Subject,
    /// Where it must have been seen; unset parts match anything.
    pub scope: Scope,
}

/// Qualifiers of a [`Target`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Scope {
    /// Only backups read from this source instance.
    pub source: Option<SourceId>,
    /// Only this PBS datastore (PBS sources only).
    pub datastore: Option<String>,
    /// Only this PBS namespace (`""` = root). Not recursive.
    pub namespace: Option<String>,
}

impl Scope {
    /// Does a backup set read from `source` at `location` fall in this scope?
    pub fn matches(&self, source: &SourceId, location: Option<&PbsLocation>) -> bool {
        if self.source.as_ref().is_some_and(|s| s != source) {
            return false;
        }
        let store_ok = self
            .datastore
            .as_ref()
            .is_none_or(|d| location.is_some_and(|l| &l.datastore == d));
        let ns_ok = self
            .namespace
            .as_ref()
            .is_none_or(|n| location.is_some_and(|l| &l.namespace == n));
        store_ok && ns_ok
    }

    /// Could one backup set fall in both scopes?
    pub fn overlaps(&self, other: &Scope) -> bool {
        fn compatible<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
            match (a, b) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
        }
        compatible(&self.source, &other.source)
            && compatible(&self.datastore, &other.datastore)
            && compatible(&self.namespace, &other.namespace)
    }
}

impl Target {
    /// Could one backup set match both targets?
    pub fn overlaps(&self, other: &Target) -> bool {
        self.subject == other.subject && self.scope.overlaps(&other.scope)
    }
}

/// A schedule no API reports (`[[schedules]]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtraSchedule {
    /// Shown in the calendar, e.g. "offsite USB copy".
    pub label: String,
    /// Drives the colour. Default [`JobKind::Other`].
    pub kind: JobKind,
    /// [`ScheduleSpec::Calendar`] or [`ScheduleSpec::Cron`].
    pub schedule: ScheduleSpec,
    /// IANA zone it runs in; `None` = the display zone.
    pub timezone: Option<String>,
    /// Name of the service it belongs to, if any (checked to exist).
    pub service: Option<String>,
}
