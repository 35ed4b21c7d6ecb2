//! The snapshot-listing cache handed from one PBS collection to the next.

use crate::model::{Epoch, VerifyState};

/// Identifies a group: datastore, namespace (`""` = root), backup type and id.
#[derive(Clone, Debug, Eq)]
pub(crate) struct GroupKey {
    pub store: String,
    pub ns: String,
    pub ty: String,
    pub id: String,
}

impl PartialEq for GroupKey {
    /// Most selective field first: lookups scan a list where store and namespace repeat.
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.ty == other.ty
            && self.ns == other.ns
            && self.store == other.store
    }
}

/// One snapshot, reduced to what the model needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SnapshotSummary {
    pub time: Epoch,
    /// `None` = no readable manifest (in progress, or aborted).
    pub size: Option<u64>,
    pub protected: bool,
    pub encrypted: bool,
    pub verification: Option<(VerifyState, Option<Epoch>)>,
}

/// A group's snapshot listing and the group summary it was fetched for.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(crate) struct CachedGroup {
    /// `last-backup` of the group when the listing was fetched.
    pub last_backup: i64,
    /// `backup-count` of the group when the listing was fetched.
    pub count: i64,
    pub fetched_at: Epoch,
    /// Comment of the newest snapshot that has one.
    pub label: Option<String>,
    /// Newest first.
    pub snapshots: Vec<SnapshotSummary>,
}

/// Snapshot listings of PBS groups, carried from one collection to the next
/// ([`crate::sources::Collected::cache`] → [`super::PbsCollector::new`]).
///
/// A group's listing is fetched again only when its `last-backup` or `backup-count`
/// changed (a backup finished, started, or was pruned) or the listing is older than
/// [`super::PbsSettings::snapshot_refresh_secs`] (verification results change neither).
/// Groups that disappeared from a successfully read namespace are dropped; listings of
/// namespaces that could not be read this time are kept.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PbsCache {
    pub(crate) groups: Vec<(GroupKey, CachedGroup)>,
}

impl PbsCache {
    /// An empty cache (first collection).
    pub fn new() -> Self {
        PbsCache::default()
    }

    /// Number of groups with a cached listing.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// True when no listing is cached.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Number of cached snapshots over all groups.
    pub fn snapshots(&self) -> usize {
        self.groups.iter().map(|(_, g)| g.snapshots.len()).sum()
    }

    /// Whether the listing of `key` must be fetched for a group now showing `last_backup`
    /// and `count`.
    /// The cached listing of `key`.
    pub(crate) fn get(&self, key: &GroupKey) -> Option<&CachedGroup> {
        crate::sources::util::lookup(&self.groups, key)
    }

    /// Stores (or replaces) the listing of `key`.
    pub(crate) fn insert(&mut self, key: GroupKey, value: CachedGroup) {
        *crate::sources::util::entry(&mut self.groups, key) = value;
    }

    /// Keeps the groups for which `keep` is true.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&GroupKey) -> bool) {
        self.groups.retain(|(k, _)| keep(k));
    }

    pub(crate) fn needs_refresh(
        &self,
        key: &GroupKey,
        last_backup: i64,
        count: i64,
        now: Epoch,
        refresh_secs: u32,
    ) -> bool {
        match self.get(key) {
            None => true,
            Some(c) => {
                c.last_backup != last_backup
                    || c.count != count
                    || now.saturating_sub(c.fetched_at) >= i64::from(refresh_secs)
            }
        }
    }
}
