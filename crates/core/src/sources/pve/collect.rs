//! The PVE collector.

use super::{PveSettings, PveStorage, convert, wire};
use crate::model::Epoch;
use crate::sources::flight::{Flight, join, path_segment};
use crate::sources::http::{check, decode_data};
use crate::sources::{
    Collected, Collector, HttpRequest, HttpResponse, RequestId, SourceError, TransportError,
};

#[derive(Clone, Debug)]
enum Key {
    Jobs,
    Resources,
    NotBackedUp,
    Version,
    Content(PveStorage),
    Time(String),
}

/// Everything received, in wire form.
#[derive(Default)]
pub(crate) struct Received {
    pub jobs: Vec<wire::BackupJob>,
    pub resources: Option<Vec<wire::Resource>>,
    pub not_backed_up: Option<Vec<wire::NotBackedUp>>,
    pub version: Option<wire::Version>,
    pub contents: Vec<(PveStorage, Vec<wire::StorageContent>)>,
    pub time: Option<wire::NodeTime>,
    pub warnings: Vec<String>,
}

/// Reads one PVE instance. See the [module docs](super) for the request sequence.
pub struct PveCollector {
    settings: PveSettings,
    flight: Flight<Key>,
    rx: Received,
    fatal: Option<SourceError>,
    time_requested: bool,
    started: bool,
}

impl PveCollector {
    /// A collector for one refresh.
    pub fn new(settings: PveSettings) -> Self {
        PveCollector {
            settings,
            flight: Flight::new(),
            rx: Received::default(),
            fatal: None,
            time_requested: false,
            started: false,
        }
    }

    fn get(&mut self, key: Key, depth: u32, path: &str) -> HttpRequest {
        let full = join(&self.settings.base, &format!("/api2/json{path}"));
        self.flight.get(key, depth, full, Vec::new())
    }

    fn time_request(&mut self, node: &str, depth: u32) -> HttpRequest {
        self.time_requested = true;
        let path = format!("/nodes/{}/time", path_segment(node));
        self.get(Key::Time(node.to_owned()), depth, &path)
    }

    fn warn(&mut self, what: &str, e: &SourceError) {
        self.rx.warnings.push(format!("{what}: {e}"));
    }

    fn on_ok(&mut self, key: Key, path: &str, resp: &HttpResponse, depth: u32) -> Vec<HttpRequest> {
        match key {
            Key::Jobs => match decode_data::<Vec<wire::BackupJob>>(path, resp) {
                Ok(env) => self.rx.jobs = env,
                Err(e) => self.fatal = Some(e),
            },
            Key::Resources => match decode_data::<Vec<wire::Resource>>(path, resp) {
                Ok(env) => {
                    let first_node = env.iter().filter_map(|r| r.node.clone()).min();
                    self.rx.resources = Some(env);
                    if !self.time_requested
                        && let Some(node) = first_node
                    {
                        return vec![self.time_request(&node, depth + 1)];
                    }
                }
                Err(e) => self.warn("guests", &e),
            },
            Key::NotBackedUp => match decode_data::<Vec<wire::NotBackedUp>>(path, resp) {
                Ok(env) => self.rx.not_backed_up = Some(env),
                Err(e) => self.warn("guests without backup job", &e),
            },
            Key::Version => match decode_data::<wire::Version>(path, resp) {
                Ok(env) => self.rx.version = Some(env),
                Err(e) => self.warn("version", &e),
            },
            Key::Content(storage) => match decode_data::<Vec<wire::StorageContent>>(path, resp) {
                Ok(env) => self.rx.contents.push((storage, env)),
                Err(e) => self.warn(&format!("storage {}", storage.storage), &e),
            },
            Key::Time(node) => match decode_data::<wire::NodeTime>(path, resp) {
                Ok(env) => self.rx.time = Some(env),
                Err(e) => self.warn(&format!("time of node {node}"), &e),
            },
        }
        Vec::new()
    }

    fn on_error(&mut self, key: Key, e: SourceError) {
        match key {
            Key::Jobs => self.fatal = Some(e),
            Key::Resources => self.warn("guests", &e),
            Key::NotBackedUp => self.warn("guests without backup job", &e),
            Key::Version => self.warn("version", &e),
            Key::Content(storage) => self.warn(&format!("storage {}", storage.storage), &e),
            Key::Time(node) => self.warn(&format!("time of node {node}"), &e),
        }
    }
}

impl Collector for PveCollector {
    fn start(&mut self) -> Vec<HttpRequest> {
        if self.started {
            return Vec::new();
        }
        self.started = true;
        let mut out = vec![
            self.get(Key::Jobs, 1, "/cluster/backup"),
            self.get(Key::Resources, 1, "/cluster/resources?type=vm"),
            self.get(Key::NotBackedUp, 1, "/cluster/backup-info/not-backed-up"),
            self.get(Key::Version, 1, "/version"),
        ];
        for st in self.settings.pbs_storages.clone() {
            let path = format!(
                "/nodes/{}/storage/{}/content?content=backup",
                path_segment(&st.node),
                path_segment(&st.storage)
            );
            out.push(self.get(Key::Content(st), 1, &path));
        }
        let node = self
            .settings
            .time_node
            .clone()
            .or_else(|| self.settings.pbs_storages.first().map(|s| s.node.clone()));
        if let Some(node) = node {
            out.push(self.time_request(&node, 1));
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
            Err(e) => {
                self.on_error(pending.key, e);
                Vec::new()
            }
        }
    }

    fn is_done(&self) -> bool {
        self.started && self.flight.idle()
    }

    fn finish(self: Box<Self>, now: Epoch) -> Collected {
        let me = *self;
        let source = me.settings.source_id();
        let result = match me.fatal {
            Some(e) => Err(e),
            None => Ok(convert::source_data(&source, me.rx)),
        };
        Collected {
            source,
            at: now,
            result,
            cache: None,
            stats: me.flight.stats,
        }
    }
}
