//! The Backrest collector and its operations cache.

use super::{BackrestSettings, Rpc, convert, wire};
use crate::model::Epoch;
use crate::sources::de::json_string;
use crate::sources::flight::{Flight, join};
use crate::sources::http::{check, decode};
use crate::sources::{
    Collected, Collector, HttpRequest, HttpResponse, RequestId, SourceCache, SourceError,
    TransportError,
};

/// What the operations of one plan told, reduced.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(crate) struct PlanOps {
    /// Newest recent backup (flow id, status) on the dashboard when fetched.
    pub newest: Option<(i64, String)>,
    pub fetched_at: Epoch,
    /// Index-snapshot ops not forgotten.
    pub snapshot_count: u32,
    /// Start of the newest successful (or warning) non-dry-run backup op.
    pub last_success: Option<Epoch>,
    /// Display messages of failed/warning backup ops by flow id.
    pub messages: Vec<(i64, String)>,
}

/// Per-plan operation summaries, carried from one collection to the next so a plan's
/// operations are read again only when its newest backup changed (new flow or new status)
/// or after [`BackrestSettings::operations_refresh_secs`].
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct BackrestCache {
    pub(crate) plans: Vec<(String, PlanOps)>,
}

impl BackrestCache {
    /// An empty cache.
    pub fn new() -> Self {
        BackrestCache::default()
    }

    /// The cached operations of `plan`.
    pub(crate) fn get(&self, plan: &str) -> Option<&PlanOps> {
        crate::sources::util::lookup(&self.plans, plan)
    }

    /// Number of plans with cached operations.
    pub fn len(&self) -> usize {
        self.plans.len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.plans.is_empty()
    }
}

#[derive(Clone, Debug)]
enum Key {
    Dashboard,
    Operations {
        plan: String,
        newest: Option<(i64, String)>,
    },
}

/// Everything received.
#[derive(Default)]
pub(crate) struct Received {
    pub dashboard: Option<wire::SummaryDashboard>,
    pub warnings: Vec<String>,
}

/// Reads one Backrest instance. See the [module docs](super) for the request sequence.
pub struct BackrestCollector {
    settings: BackrestSettings,
    now: Epoch,
    flight: Flight<Key>,
    cache: BackrestCache,
    rx: Received,
    fatal: Option<SourceError>,
    started: bool,
}

/// The newest recent backup of a summary: (flow id, status).
pub(crate) fn newest(s: &wire::Summary) -> Option<(i64, String)> {
    let rb = s.recent_backups.as_ref()?;
    let flow = rb.flow_id.first()?.0;
    let status = rb
        .status
        .first()
        .map(|s| s.as_str().to_owned())
        .unwrap_or_default();
    Some((flow, status))
}

impl BackrestCollector {
    /// A collector for one refresh; `cache` is the previous run's [`BackrestCache`].
    pub fn new(settings: BackrestSettings, cache: BackrestCache, now: Epoch) -> Self {
        BackrestCollector {
            settings,
            now,
            flight: Flight::new(),
            cache,
            rx: Received::default(),
            fatal: None,
            started: false,
        }
    }

    /// The only way this collector forms a request: one of the allowed [`Rpc`]s.
    fn rpc(&mut self, key: Key, depth: u32, rpc: Rpc, body: String) -> HttpRequest {
        let path = join(&self.settings.base, rpc.path());
        self.flight.post_json(key, depth, path, body)
    }

    fn operations_request(
        &mut self,
        plan: &str,
        newest: Option<(i64, String)>,
        depth: u32,
    ) -> HttpRequest {
        let mut selector = format!("\"planId\":{}", json_string(plan));
        if let Some(instance) = &self.settings.instance_id {
            selector.push_str(",\"instanceId\":");
            selector.push_str(&json_string(instance));
        }
        let body = format!("{{\"selector\":{{{selector}}}}}");
        let key = Key::Operations {
            plan: plan.to_owned(),
            newest,
        };
        self.rpc(key, depth, Rpc::GetOperations, body)
    }

    fn needs_ops(&self, plan: &str, newest: &Option<(i64, String)>) -> bool {
        match self.cache.get(plan) {
            None => true,
            Some(c) => {
                c.newest != *newest
                    || self.now.saturating_sub(c.fetched_at)
                        >= i64::from(self.settings.operations_refresh_secs)
            }
        }
    }
}

impl Collector for BackrestCollector {
    fn start(&mut self) -> Vec<HttpRequest> {
        if self.started {
            return Vec::new();
        }
        self.started = true;
        vec![self.rpc(Key::Dashboard, 1, Rpc::GetSummaryDashboard, "{}".to_owned())]
    }

    fn on_response(
        &mut self,
        id: RequestId,
        response: Result<HttpResponse, TransportError>,
    ) -> Vec<HttpRequest> {
        let Some(pending) = self.flight.take(id, &response) else {
            return Vec::new();
        };
        let path = pending.path;
        let resp = match check(&path, response) {
            Ok(r) => r,
            Err(e) => {
                match pending.key {
                    Key::Dashboard => self.fatal = Some(e),
                    Key::Operations { plan, .. } => {
                        self.rx
                            .warnings
                            .push(format!("operations of plan {plan}: {e}"));
                    }
                }
                return Vec::new();
            }
        };
        match pending.key {
            Key::Dashboard => match decode::<wire::SummaryDashboard>(&path, &resp) {
                Ok(d) => {
                    let mut follow = Vec::new();
                    if self.settings.operations {
                        let plans: Vec<(String, Option<(i64, String)>)> = d
                            .plan_summaries
                            .iter()
                            .map(|s| (s.id.clone(), newest(s)))
                            .collect();
                        for (plan, key) in plans {
                            if self.needs_ops(&plan, &key) {
                                follow.push(self.operations_request(&plan, key, pending.depth + 1));
                            }
                        }
                    }
                    self.rx.dashboard = Some(d);
                    follow
                }
                Err(e) => {
                    self.fatal = Some(e);
                    Vec::new()
                }
            },
            Key::Operations { plan, newest } => {
                match decode::<wire::OperationList>(&path, &resp) {
                    Ok(list) => {
                        let ops = convert::plan_ops(&list.operations, newest, self.now);
                        *crate::sources::util::entry(&mut self.cache.plans, plan) = ops;
                    }
                    Err(e) => self
                        .rx
                        .warnings
                        .push(format!("operations of plan {plan}: {e}")),
                }
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
        let mut cache = me.cache;
        let result = match (me.fatal, me.rx.dashboard) {
            (Some(e), _) => Err(e),
            (None, Some(d)) => {
                cache
                    .plans
                    .retain(|(id, _)| d.plan_summaries.iter().any(|s| s.id == *id));
                let mut data = convert::source_data(&source, &me.settings, &d, &cache);
                data.warnings.extend(me.rx.warnings);
                Ok(data)
            }
            (None, None) => Err(SourceError::Status {
                path: join(&me.settings.base, Rpc::GetSummaryDashboard.path()),
                status: 0,
                body_excerpt: "no response".to_owned(),
            }),
        };
        Collected {
            source,
            at: now,
            result,
            cache: Some(SourceCache::Backrest(cache)),
            stats: me.flight.stats,
        }
    }
}
