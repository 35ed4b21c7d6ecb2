//! The PBS collector: request sequencing and partial-failure handling.

use super::cache::{CachedGroup, GroupKey, PbsCache, SnapshotSummary};
use super::upid::upid_start;
use super::wire;
use super::{PbsSettings, convert};
use crate::model::{Epoch, SourceData, VerifyState};
use crate::sources::flight::{Flight, join, path_segment, query_value};
use crate::sources::http::{check, decode_data};
use crate::sources::util;
use crate::sources::{
    Collected, Collector, HttpRequest, HttpResponse, RequestId, SourceCache, SourceError,
    TransportError,
};

/// What a request was for.
#[derive(Clone, Debug)]
enum Key {
    DatastoreList,
    Namespaces(String),
    Groups { store: String, ns: String },
    SnapshotsNs { store: String, ns: String },
    SnapshotsGroup { key: GroupKey },
    Usage,
    Gc,
    GcStore(String),
    Prune,
    Verify,
    Sync { direction: bool },
    Tape,
    DatastoreConfig,
    Tasks,
    Version,
    NodeStatus,
    NodeTime,
}

/// Everything received, still in wire form (snapshot listings go straight into the cache).
#[derive(Default)]
pub(crate) struct Received {
    pub datastore_list: Option<Vec<wire::DataStoreListItem>>,
    /// Stores whose namespaces/groups are read (from the list or the settings).
    pub stores: Vec<String>,
    pub namespaces: Vec<(String, Vec<String>)>,
    /// Groups per (store, ns), for namespaces whose listing succeeded.
    pub groups: Vec<((String, String), Vec<wire::GroupListItem>)>,
    pub usage: Option<Vec<wire::DataStoreUsage>>,
    pub gc: Vec<wire::GcStatus>,
    pub prune: Option<Vec<wire::PruneJob>>,
    pub verify: Option<Vec<wire::VerifyJob>>,
    pub sync: Option<Vec<wire::SyncJob>>,
    pub tape: Option<Vec<wire::TapeJob>>,
    pub ds_config: Option<Vec<wire::DataStoreConfig>>,
    pub tasks: Option<Vec<wire::TaskListItem>>,
    pub version: Option<wire::Version>,
    pub node_status: Option<wire::NodeStatus>,
    pub node_time: Option<wire::NodeTime>,
    /// Groups whose listing was requested this run but failed (their cached listing is
    /// used if present).
    pub listing_failed: Vec<GroupKey>,
    pub warnings: Vec<String>,
}

impl Received {
    /// The groups of one namespace, if its listing succeeded.
    pub(crate) fn groups_of(&self, store: &str, ns: &str) -> Option<&Vec<wire::GroupListItem>> {
        self.groups
            .iter()
            .find(|((s, n), _)| s == store && n == ns)
            .map(|(_, g)| g)
    }
}

/// Reads one PBS instance. See the [module docs](super) for the request sequence.
pub struct PbsCollector {
    settings: PbsSettings,
    now: Epoch,
    flight: Flight<Key>,
    cache: PbsCache,
    rx: Received,
    fatal: Option<SourceError>,
    group_requests: u32,
    group_failures: u32,
    first_group_error: Option<SourceError>,
    gc_fallback: bool,
    gc_fallback_issued: bool,
    started: bool,
    /// A provisional result was handed out (see [`Collector::partial`]).
    partial_sent: bool,
}

impl PbsCollector {
    /// A collector for one refresh. `cache` is the previous run's [`PbsCache`] (or
    /// `PbsCache::new()`), `now` the current time (task window, listing age).
    pub fn new(settings: PbsSettings, cache: PbsCache, now: Epoch) -> Self {
        PbsCollector {
            settings,
            now,
            flight: Flight::new(),
            cache,
            rx: Received::default(),
            fatal: None,
            group_requests: 0,
            group_failures: 0,
            first_group_error: None,
            gc_fallback: false,
            gc_fallback_issued: false,
            started: false,
            partial_sent: false,
        }
    }

    /// Like [`Collector::finish`], but also returns the updated cache directly.
    pub fn finish_with_cache(self, now: Epoch) -> (Collected, PbsCache) {
        let mut collected = Box::new(self).finish(now);
        let cache = match collected.cache.take() {
            Some(SourceCache::Pbs(c)) => c,
            _ => PbsCache::new(),
        };
        (collected, cache)
    }

    fn api(&self, path: &str) -> String {
        join(&self.settings.base, &format!("/api2/json{path}"))
    }

    fn get(&mut self, key: Key, depth: u32, path: &str) -> HttpRequest {
        let full = self.api(path);
        self.flight.get(key, depth, full, Vec::new())
    }

    fn namespaces_request(&mut self, store: &str, depth: u32) -> HttpRequest {
        let path = format!("/admin/datastore/{}/namespace", path_segment(store));
        self.get(Key::Namespaces(store.to_owned()), depth, &path)
    }

    fn groups_request(&mut self, store: &str, ns: &str, depth: u32) -> HttpRequest {
        let mut path = format!("/admin/datastore/{}/groups", path_segment(store));
        if !ns.is_empty() {
            path.push_str("?ns=");
            path.push_str(&query_value(ns));
        }
        self.group_requests += 1;
        let key = Key::Groups {
            store: store.to_owned(),
            ns: ns.to_owned(),
        };
        self.get(key, depth, &path)
    }

    fn gc_fallback_requests(&mut self, depth: u32) -> Vec<HttpRequest> {
        if !self.gc_fallback || self.gc_fallback_issued || self.rx.stores.is_empty() {
            return Vec::new();
        }
        self.gc_fallback_issued = true;
        let stores = self.rx.stores.clone();
        stores
            .iter()
            .map(|s| {
                let path = format!("/admin/datastore/{}/gc", path_segment(s));
                self.get(Key::GcStore(s.clone()), depth, &path)
            })
            .collect()
    }

    fn warn(&mut self, what: &str, e: &SourceError) {
        self.rx.warnings.push(format!("{what}: {e}"));
    }

    /// Decides which snapshot listings a namespace needs, after its groups arrived.
    fn snapshot_requests(&mut self, store: &str, ns: &str, depth: u32) -> Vec<HttpRequest> {
        if !self.settings.snapshots {
            return Vec::new();
        }
        let Some(groups) = self.rx.groups_of(store, ns) else {
            return Vec::new();
        };
        let due: Vec<GroupKey> = groups
            .iter()
            .filter(|g| g.backup_count > 0)
            .map(|g| (group_key(store, ns, g), g.last_backup, g.backup_count))
            .filter(|(k, last, count)| {
                self.cache.needs_refresh(
                    k,
                    *last,
                    *count,
                    self.now,
                    self.settings.snapshot_refresh_secs,
                )
            })
            .map(|(k, _, _)| k)
            .collect();
        if due.is_empty() {
            return Vec::new();
        }
        let total = groups.len();
        let base = format!("/admin/datastore/{}/snapshots", path_segment(store));
        if due.len() > self.settings.max_group_requests || due.len() * 2 > total {
            let mut path = base;
            if !ns.is_empty() {
                path.push_str("?ns=");
                path.push_str(&query_value(ns));
            }
            let key = Key::SnapshotsNs {
                store: store.to_owned(),
                ns: ns.to_owned(),
            };
            return vec![self.get(key, depth, &path)];
        }
        due.into_iter()
            .map(|k| {
                let mut path = base.clone();
                path.push('?');
                if !k.ns.is_empty() {
                    path.push_str("ns=");
                    path.push_str(&query_value(&k.ns));
                    path.push('&');
                }
                path.push_str("backup-type=");
                path.push_str(&query_value(&k.ty));
                path.push_str("&backup-id=");
                path.push_str(&query_value(&k.id));
                self.get(Key::SnapshotsGroup { key: k }, depth, &path)
            })
            .collect()
    }

    /// Stores a snapshot listing (namespace-wide or one group) in the cache.
    fn store_listing(
        &mut self,
        store: &str,
        ns: &str,
        only: Option<&GroupKey>,
        items: Vec<wire::SnapshotListItem>,
    ) {
        // Group by (type, id) with a short list (a namespace has tens of groups).
        let mut listed: Vec<(GroupKey, Vec<wire::SnapshotListItem>)> = Vec::new();
        for item in items {
            let found = listed
                .iter()
                .position(|(k, _)| k.ty == item.backup_type.as_str() && k.id == item.backup_id);
            match found.and_then(|i| listed.get_mut(i)) {
                Some((_, list)) => list.push(item),
                None => {
                    let key = GroupKey {
                        store: store.to_owned(),
                        ns: ns.to_owned(),
                        ty: item.backup_type.as_str().to_owned(),
                        id: item.backup_id.clone(),
                    };
                    if only.is_none_or(|o| *o == key) {
                        listed.push((key, vec![item]));
                    }
                }
            }
        }
        let summaries: Vec<(GroupKey, i64, i64)> = self
            .rx
            .groups_of(store, ns)
            .map(|gs| {
                gs.iter()
                    .map(|g| (group_key(store, ns, g), g.last_backup, g.backup_count))
                    .filter(|(k, _, _)| only.is_none_or(|o| o == k))
                    .collect()
            })
            .unwrap_or_default();
        // Every group of the namespace (or the one group) gets an entry, even with no
        // snapshots listed, so it is not fetched again until it changes.
        for (key, last, count) in summaries {
            let items = match listed.iter().position(|(k, _)| *k == key) {
                Some(i) => listed.swap_remove(i).1,
                None => Vec::new(),
            };
            let entry = summarize(items, last, count, self.now);
            self.rx.listing_failed.retain(|k| *k != key);
            self.cache.insert(key, entry);
        }
        // Groups that appeared between the two requests.
        for (key, items) in listed {
            let count = i64::try_from(items.len()).unwrap_or(i64::MAX);
            let last = items
                .iter()
                .filter(|i| i.size.is_some())
                .map(|i| i.backup_time)
                .max()
                .unwrap_or(0);
            let entry = summarize(items, last, count, self.now);
            self.cache.insert(key, entry);
        }
    }

    fn on_ok(&mut self, key: Key, path: &str, resp: &HttpResponse, depth: u32) -> Vec<HttpRequest> {
        let mut follow = Vec::new();
        match key {
            Key::DatastoreList => match decode_data::<Vec<wire::DataStoreListItem>>(path, resp) {
                Ok(env) => {
                    let mut stores = Vec::new();
                    for ds in &env {
                        if let Some(problem) = convert::store_unreadable(ds) {
                            self.rx
                                .warnings
                                .push(format!("datastore {}: {problem}; not read", ds.store));
                        } else {
                            stores.push(ds.store.clone());
                        }
                    }
                    self.rx.datastore_list = Some(env);
                    self.rx.stores = stores.clone();
                    for s in &stores {
                        follow.push(self.namespaces_request(s, depth + 1));
                    }
                    follow.extend(self.gc_fallback_requests(depth + 1));
                }
                Err(e) => self.fatal = Some(e),
            },
            Key::Namespaces(store) => {
                match decode_data::<Vec<wire::NamespaceListItem>>(path, resp) {
                    Ok(env) => {
                        let mut list: Vec<String> = env.into_iter().map(|n| n.ns).collect();
                        if list.is_empty() {
                            list.push(String::new());
                        }
                        list.retain(|ns| self.settings.wants_namespace(ns));
                        for ns in &list {
                            follow.push(self.groups_request(&store, ns, depth + 1));
                        }
                        self.rx.namespaces.push((store, list));
                    }
                    Err(e) => {
                        self.warn(&format!("namespaces of {store}"), &e);
                        if self.settings.wants_namespace("") {
                            follow.push(self.groups_request(&store, "", depth + 1));
                        }
                    }
                }
            }
            Key::Groups { store, ns } => {
                match decode_data::<Vec<wire::GroupListItem>>(path, resp) {
                    Ok(env) => {
                        self.rx.groups.push(((store.clone(), ns.clone()), env));
                        follow.extend(self.snapshot_requests(&store, &ns, depth + 1));
                    }
                    Err(e) => self.group_failed(&store, &ns, e),
                }
            }
            Key::SnapshotsNs { store, ns } => {
                match decode_data::<Vec<wire::SnapshotListItem>>(path, resp) {
                    Ok(env) => self.store_listing(&store, &ns, None, env),
                    Err(e) => self.listing_failed(&store, &ns, None, &e),
                }
            }
            Key::SnapshotsGroup { key } => {
                match decode_data::<Vec<wire::SnapshotListItem>>(path, resp) {
                    Ok(env) => {
                        let (store, ns) = (key.store.clone(), key.ns.clone());
                        self.store_listing(&store, &ns, Some(&key), env);
                    }
                    Err(e) => {
                        let (store, ns) = (key.store.clone(), key.ns.clone());
                        self.listing_failed(&store, &ns, Some(key), &e);
                    }
                }
            }
            Key::Usage => match decode_data::<Vec<wire::DataStoreUsage>>(path, resp) {
                Ok(env) => self.rx.usage = Some(env),
                Err(e) => self.warn("datastore usage", &e),
            },
            Key::Gc => match decode_data::<Vec<wire::GcStatus>>(path, resp) {
                Ok(env) => self.rx.gc.extend(env),
                Err(e) => self.warn("garbage collection status", &e),
            },
            Key::GcStore(store) => match decode_data::<wire::GcStatus>(path, resp) {
                Ok(env) => {
                    let mut gc = env;
                    gc.store.get_or_insert(store);
                    self.rx.gc.push(gc);
                }
                Err(e) => self.warn(&format!("garbage collection status of {store}"), &e),
            },
            Key::Prune => match decode_data::<Vec<wire::PruneJob>>(path, resp) {
                Ok(env) => self.rx.prune = Some(env),
                Err(e) => self.warn("prune jobs", &e),
            },
            Key::Verify => match decode_data::<Vec<wire::VerifyJob>>(path, resp) {
                Ok(env) => self.rx.verify = Some(env),
                Err(e) => self.warn("verify jobs", &e),
            },
            Key::Sync { .. } => match decode_data::<Vec<wire::SyncJob>>(path, resp) {
                Ok(env) => self.rx.sync = Some(env),
                Err(e) => self.warn("sync jobs", &e),
            },
            Key::Tape => match decode_data::<Vec<wire::TapeJob>>(path, resp) {
                Ok(env) => self.rx.tape = Some(env),
                Err(e) => self.warn("tape backup jobs", &e),
            },
            Key::DatastoreConfig => match decode_data::<Vec<wire::DataStoreConfig>>(path, resp) {
                Ok(env) => self.rx.ds_config = Some(env),
                Err(e) => self.warn("datastore config", &e),
            },
            Key::Tasks => match decode_data::<Vec<wire::TaskListItem>>(path, resp) {
                Ok(env) => self.rx.tasks = Some(env),
                Err(e) => self.warn("failed tasks", &e),
            },
            Key::Version => match decode_data::<wire::Version>(path, resp) {
                Ok(env) => self.rx.version = Some(env),
                Err(e) => self.warn("version", &e),
            },
            Key::NodeStatus => match decode_data::<wire::NodeStatus>(path, resp) {
                Ok(env) => self.rx.node_status = Some(env),
                Err(e) => self.warn("node status", &e),
            },
            Key::NodeTime => match decode_data::<wire::NodeTime>(path, resp) {
                Ok(env) => self.rx.node_time = Some(env),
                Err(e) => self.warn("server time", &e),
            },
        }
        follow
    }

    fn group_failed(&mut self, store: &str, ns: &str, e: SourceError) {
        self.group_failures += 1;
        let what = if ns.is_empty() {
            format!("groups of {store}")
        } else {
            format!("groups of {store} namespace {ns}")
        };
        self.warn(&what, &e);
        self.first_group_error.get_or_insert(e);
    }

    fn listing_failed(&mut self, store: &str, ns: &str, only: Option<GroupKey>, e: &SourceError) {
        let keys: Vec<GroupKey> = match only {
            Some(k) => vec![k],
            None => self
                .rx
                .groups_of(store, ns)
                .map(|gs| gs.iter().map(|g| group_key(store, ns, g)).collect())
                .unwrap_or_default(),
        };
        for k in keys {
            if !self.rx.listing_failed.contains(&k) {
                self.rx.listing_failed.push(k);
            }
        }
        self.warn("snapshot listing", e);
    }

    fn on_error(&mut self, key: Key, e: SourceError, depth: u32) -> Vec<HttpRequest> {
        let status = match &e {
            SourceError::Status { status, .. } => Some(*status),
            _ => None,
        };
        match key {
            Key::DatastoreList => self.fatal = Some(e),
            Key::Namespaces(store) => {
                // PBS < 2.2 has no namespaces (404): read the root namespace only.
                if status != Some(404) {
                    self.warn(&format!("namespaces of {store}"), &e);
                }
                if !self.settings.wants_namespace("") {
                    return Vec::new();
                }
                return vec![self.groups_request(&store, "", depth + 1)];
            }
            Key::Groups { store, ns } => self.group_failed(&store, &ns, e),
            Key::SnapshotsNs { store, ns } => self.listing_failed(&store, &ns, None, &e),
            Key::SnapshotsGroup { key } => {
                let (store, ns) = (key.store.clone(), key.ns.clone());
                self.listing_failed(&store, &ns, Some(key), &e);
            }
            Key::Gc if status == Some(404) => {
                // PBS < 3.2: no /admin/gc; read each store's GC status instead.
                self.gc_fallback = true;
                return self.gc_fallback_requests(depth + 1);
            }
            Key::Sync { direction: true } if status == Some(400) => {
                // PBS < 3.3 rejects the unknown `sync-direction` parameter.
                return vec![self.get(Key::Sync { direction: false }, depth + 1, "/admin/sync")];
            }
            Key::Usage => self.warn("datastore usage", &e),
            Key::Gc => self.warn("garbage collection status", &e),
            Key::GcStore(store) => self.warn(&format!("garbage collection status of {store}"), &e),
            Key::Prune => self.warn("prune jobs", &e),
            Key::Verify => self.warn("verify jobs", &e),
            Key::Sync { .. } => self.warn("sync jobs", &e),
            Key::Tape => self.warn("tape backup jobs", &e),
            Key::DatastoreConfig => self.warn("datastore config", &e),
            Key::Tasks => self.warn("failed tasks", &e),
            Key::Version => self.warn("version", &e),
            Key::NodeStatus => self.warn("node status", &e),
            Key::NodeTime => self.warn("server time", &e),
        }
        Vec::new()
    }
}

fn group_key(store: &str, ns: &str, g: &wire::GroupListItem) -> GroupKey {
    GroupKey {
        store: store.to_owned(),
        ns: ns.to_owned(),
        ty: g.backup_type.as_str().to_owned(),
        id: g.backup_id.clone(),
    }
}

/// Reduces a group's snapshot items to the cached summary, newest first.
fn summarize(
    mut items: Vec<wire::SnapshotListItem>,
    last_backup: i64,
    count: i64,
    now: Epoch,
) -> CachedGroup {
    util::sort_desc(&mut items, |i| i.backup_time);
    let label = items
        .iter()
        .find_map(|i| {
            i.comment
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
        })
        .map(str::to_owned);
    let snapshots = items
        .into_iter()
        .map(|i| SnapshotSummary {
            time: i.backup_time,
            size: i.size,
            protected: i.protected,
            encrypted: i.fingerprint.is_some(),
            verification: i.verification.map(|v| {
                let state = match v.state {
                    wire::VerifyState::Ok => VerifyState::Ok,
                    // Unknown states are not a pass.
                    _ => VerifyState::Failed,
                };
                (state, upid_start(&v.upid))
            }),
        })
        .collect();
    CachedGroup {
        last_backup,
        count,
        fetched_at: now,
        label,
        snapshots,
    }
}

impl Collector for PbsCollector {
    fn start(&mut self) -> Vec<HttpRequest> {
        if self.started {
            return Vec::new();
        }
        self.started = true;
        let mut out = Vec::new();
        match self.settings.datastores.clone() {
            Some(stores) => {
                self.rx.stores = stores.clone();
                for s in &stores {
                    out.push(self.namespaces_request(s, 1));
                }
            }
            None => out.push(self.get(Key::DatastoreList, 1, "/admin/datastore")),
        }
        let since = self
            .now
            .saturating_sub(i64::from(self.settings.task_window_secs));
        let tasks = format!("/nodes/localhost/tasks?errors=1&since={since}");
        let fixed: [(Key, &str); 9] = [
            (Key::Usage, "/status/datastore-usage"),
            (Key::Gc, "/admin/gc"),
            (Key::Prune, "/admin/prune"),
            (Key::Verify, "/admin/verify"),
            (
                Key::Sync { direction: true },
                "/admin/sync?sync-direction=all",
            ),
            (Key::DatastoreConfig, "/config/datastore"),
            (Key::Tasks, tasks.as_str()),
            (Key::Version, "/version"),
            (Key::NodeStatus, "/nodes/localhost/status"),
        ];
        for (key, path) in fixed {
            out.push(self.get(key, 1, path));
        }
        out.push(self.get(Key::NodeTime, 1, "/nodes/localhost/time"));
        if self.settings.tape_jobs {
            out.push(self.get(Key::Tape, 1, "/tape/backup"));
        }
        out
    }

    fn on_response(
        &mut self,
        id: RequestId,
        response: Result<HttpResponse, TransportError>,
    ) -> Vec<HttpRequest> {
        let Some(pending) = self.flight.take(id, &response) else {
            return Vec::new();
        };
        match check(&pending.path, response) {
            Ok(resp) => self.on_ok(pending.key, &pending.path, &resp, pending.depth),
            Err(e) => self.on_error(pending.key, e, pending.depth),
        }
    }

    fn is_done(&self) -> bool {
        self.started && self.flight.idle()
    }

    fn partial(&mut self, now: Epoch) -> Option<Collected> {
        let only_listings = self
            .flight
            .only_pending(|k| matches!(k, Key::SnapshotsNs { .. } | Key::SnapshotsGroup { .. }));
        if self.partial_sent || self.fatal.is_some() || !only_listings {
            return None;
        }
        if self.group_requests > 0 && self.group_failures == self.group_requests {
            return None;
        }
        self.partial_sent = true;
        let source = self.settings.source_id();
        // source_data sorts (again in finish) and may add warnings: keep rx as it was.
        let before = self.rx.warnings.len();
        let mut data = convert::source_data(&source, &mut self.rx, &self.cache, now);
        let added = self.rx.warnings.split_off(before);
        data.warnings = self.rx.warnings.clone();
        data.warnings.extend(added);
        Some(Collected {
            source,
            at: now,
            result: Ok(data),
            cache: None,
            stats: self.flight.stats,
        })
    }

    fn finish(self: Box<Self>, now: Epoch) -> Collected {
        let me = *self;
        let source = me.settings.source_id();
        let stats = me.flight.stats;
        let mut cache = me.cache;
        let mut rx = me.rx;
        // Drop cached groups that no longer exist in namespaces read this time, stores no
        // longer listed, and namespaces no longer in a store's listing.
        let stores_known = rx.datastore_list.is_some() || me.settings.datastores.is_some();
        cache.retain(|k| {
            let in_read_ns = rx.groups_of(&k.store, &k.ns);
            let group_gone = in_read_ns.is_some_and(|gs| {
                !gs.iter()
                    .any(|g| g.backup_type.as_str() == k.ty && g.backup_id == k.id)
            });
            let store_gone = stores_known && !rx.stores.contains(&k.store);
            let ns_gone = util::lookup(&rx.namespaces, k.store.as_str())
                .is_some_and(|list| !list.contains(&k.ns));
            !(group_gone || store_gone || ns_gone)
        });

        let result = if let Some(e) = me.fatal {
            Err(e)
        } else if me.group_requests > 0 && me.group_failures == me.group_requests {
            Err(me.first_group_error.unwrap_or_else(|| SourceError::Status {
                path: me.settings.base.clone(),
                status: 0,
                body_excerpt: String::new(),
            }))
        } else {
            let mut data: SourceData = convert::source_data(&source, &mut rx, &cache, now);
            data.warnings = std::mem::take(&mut rx.warnings);
            Ok(data)
        };
        Collected {
            source,
            at: now,
            result,
            cache: Some(SourceCache::Pbs(cache)),
            stats,
        }
    }
}
