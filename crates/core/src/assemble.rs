//! Assembly: from the configuration to the collectors of one refresh.
//!
//! The widget calls [`collectors`] on every refresh, runs what it returns (concurrently),
//! and records each result with [`SourceStates::record`]. Settings come from the config
//! with its defaults applied; per-kind options map one to one (see the `*_settings`
//! functions). Backrest plan and repository schedules come **from the config**: the widget
//! never asks Backrest for its configuration (it contains repository passwords).
//!
//! Collector caches (PBS snapshot listings, Backrest operation summaries) are kept per
//! source in [`Caches`] and handed back to the next collector of the same source, so a
//! warm refresh does not re-read unchanged listings. A cache is taken out while its
//! collector runs; if that collector never finishes (superseded), the next one starts
//! cold, which costs requests but never correctness.

use crate::config::{BackrestSchedule, BackrestSource, Config, DatabasementSource};
use crate::config::{PbsSource, PveSource};
use crate::model::{Epoch, SourceId, SourceKind};
use crate::sources::backrest::{self, BackrestCache, BackrestCollector, BackrestSettings};
use crate::sources::databasement::{DatabasementCollector, DatabasementSettings};
use crate::sources::pbs::{PbsCache, PbsCollector, PbsSettings};
use crate::sources::pve::{PveCollector, PveSettings, PveStorage};
use crate::sources::{Collector, SourceCache};
use crate::state::SourceStates;

/// Collector caches by source, carried from one refresh to the next.
#[derive(Clone, Debug, Default)]
pub struct Caches {
    entries: Vec<(SourceId, SourceCache)>,
}

impl Caches {
    /// Takes the cache of `id` out (the collector owns it while it runs).
    pub fn take(&mut self, id: &SourceId) -> Option<SourceCache> {
        let i = self.entries.iter().position(|(s, _)| s == id)?;
        Some(self.entries.swap_remove(i).1)
    }

    /// Stores the cache a collector returned, replacing an older one.
    pub fn put(&mut self, id: SourceId, cache: SourceCache) {
        match self.entries.iter_mut().find(|(s, _)| *s == id) {
            Some(slot) => slot.1 = cache,
            None => self.entries.push((id, cache)),
        }
    }

    /// The cache of `id`, if any.
    pub fn get(&self, id: &SourceId) -> Option<&SourceCache> {
        self.entries.iter().find(|(s, _)| s == id).map(|(_, c)| c)
    }

    /// Forgets the caches of sources not in `keep`.
    pub fn retain(&mut self, keep: &[SourceId]) {
        self.entries.retain(|(s, _)| keep.contains(s));
    }

    /// Number of sources with a cache.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no source has a cache.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn secs_u32(secs: u64) -> u32 {
    u32::try_from(secs).unwrap_or(u32::MAX)
}

/// PBS settings from `[[sources.pbs]]`: datastores, namespace subtrees, depth, snapshot
/// refresh and task window as configured; snapshot listings on; tape jobs off.
pub fn pbs_settings(s: &PbsSource) -> PbsSettings {
    let mut p = PbsSettings::new(s.id.name.clone(), s.base.clone());
    p.datastores = s.datastores.clone();
    p.namespaces = s.namespaces.clone();
    p.max_depth = s.max_depth;
    p.snapshot_refresh_secs = secs_u32(s.snapshot_refresh_secs);
    p.task_window_secs = secs_u32(s.task_window_secs);
    p
}

/// PVE settings from `[[sources.pve]]`: the "PBS via PVE" storages.
pub fn pve_settings(s: &PveSource) -> PveSettings {
    let mut p = PveSettings::new(s.id.name.clone(), s.base.clone());
    p.pbs_storages = s
        .pbs_storages
        .iter()
        .map(|st| PveStorage {
            node: st.node.clone(),
            storage: st.storage.clone(),
        })
        .collect();
    p
}

/// Databasement settings from `[[sources.databasement]]`: zone, history window,
/// organization.
pub fn databasement_settings(s: &DatabasementSource) -> DatabasementSettings {
    let mut p = DatabasementSettings::new(s.id.name.clone(), s.base.clone());
    p.zone = s.timezone.clone();
    p.window_secs = secs_u32(s.history_secs);
    p.organization = s.organization.clone();
    p
}

fn backrest_schedule(s: &BackrestSchedule) -> Option<backrest::BackrestSchedule> {
    s.spec.clone().map(|spec| backrest::BackrestSchedule {
        spec,
        clock: s.clock,
    })
}

/// Backrest settings from `[[sources.backrest]]`: zone, plan schedules (`disabled = true`
/// becomes a disabled plan), repository prune and check schedules.
pub fn backrest_settings(s: &BackrestSource) -> BackrestSettings {
    let mut p = BackrestSettings::new(s.id.name.clone(), s.base.clone());
    p.zone = s.timezone.clone();
    p.plans = s
        .plans
        .iter()
        .map(|plan| backrest::BackrestPlan {
            id: plan.id.clone(),
            schedule: backrest_schedule(&plan.schedule),
            enabled: plan.schedule.spec.is_some(),
        })
        .collect();
    p.repos = s
        .repos
        .iter()
        .map(|r| backrest::BackrestRepo {
            id: r.id.clone(),
            prune: r.prune.as_ref().and_then(backrest_schedule),
            check: r.check.as_ref().and_then(backrest_schedule),
        })
        .collect();
    p
}

/// The collector of one configured source, with `cache` from its previous run (a cache of
/// the wrong kind is ignored). `None` when `id` is not configured.
pub fn collector(
    config: &Config,
    id: &SourceId,
    cache: Option<SourceCache>,
    now: Epoch,
) -> Option<Box<dyn Collector>> {
    let src = &config.sources;
    Some(match id.kind {
        SourceKind::Pbs => {
            let s = src.pbs.iter().find(|s| &s.id == id)?;
            let cache = match cache {
                Some(SourceCache::Pbs(c)) => c,
                _ => PbsCache::new(),
            };
            Box::new(PbsCollector::new(pbs_settings(s), cache, now))
        }
        SourceKind::Pve => {
            let s = src.pve.iter().find(|s| &s.id == id)?;
            Box::new(PveCollector::new(pve_settings(s)))
        }
        SourceKind::Databasement => {
            let s = src.databasement.iter().find(|s| &s.id == id)?;
            Box::new(DatabasementCollector::new(databasement_settings(s), now))
        }
        SourceKind::Backrest => {
            let s = src.backrest.iter().find(|s| &s.id == id)?;
            let cache = match cache {
                Some(SourceCache::Backrest(c)) => c,
                _ => BackrestCache::new(),
            };
            Box::new(BackrestCollector::new(backrest_settings(s), cache, now))
        }
    })
}

/// The collectors for one refresh at `now`: one per configured source that is due
/// (sources held back after a 401/403 are skipped, see [`SourceStates::is_due`]), each
/// with its cache taken from `states`. Order: PBS, PVE, Databasement, Backrest, each in
/// file order.
pub fn collectors(
    config: &Config,
    states: &mut SourceStates,
    now: Epoch,
) -> Vec<Box<dyn Collector>> {
    let mut out = Vec::new();
    for id in config.sources.ids() {
        if !states.is_due(id, now) {
            continue;
        }
        let cache = states.caches.take(id);
        if let Some(c) = collector(config, id, cache, now) {
            out.push(c);
        }
    }
    out
}
