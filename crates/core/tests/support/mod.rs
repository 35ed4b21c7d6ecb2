//! A tiny in-test "fake server": a map from request path (and POST body) to a response,
//! plus helpers to load fixtures.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use backwatch_core::sources::{HttpRequest, HttpResponse, Method, TransportError};

pub const JSON: &str = "application/json;charset=UTF-8";

/// Reads a fixture under `tests/data/fixtures/`.
pub fn fixture(rel: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "data", "fixtures", rel]
        .iter()
        .collect();
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn json(body: impl Into<String>) -> HttpResponse {
    HttpResponse {
        status: 200,
        content_type: Some(JSON.to_owned()),
        body: body.into(),
    }
}

pub fn status(status: u16, content_type: Option<&str>, body: impl Into<String>) -> HttpResponse {
    HttpResponse {
        status,
        content_type: content_type.map(str::to_owned),
        body: body.into(),
    }
}

/// Answers requests from a route table; unknown routes get PBS's 404 text.
#[derive(Default)]
pub struct FakeServer {
    routes: BTreeMap<String, Result<HttpResponse, TransportError>>,
    pub log: Vec<HttpRequest>,
}

impl FakeServer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Route a GET path (or a POST path; for POSTs a route `"{path} {body}"` wins).
    pub fn route(&mut self, key: impl Into<String>, response: HttpResponse) -> &mut Self {
        self.routes.insert(key.into(), Ok(response));
        self
    }

    pub fn fixture(&mut self, key: impl Into<String>, rel: &str) -> &mut Self {
        self.route(key, json(fixture(rel)))
    }

    pub fn fail(&mut self, key: impl Into<String>, e: TransportError) -> &mut Self {
        self.routes.insert(key.into(), Err(e));
        self
    }

    pub fn respond(&mut self, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
        self.log.push(req.clone());
        if req.method == Method::Post {
            let with_body = format!("{} {}", req.path, req.body.as_deref().unwrap_or(""));
            if let Some(r) = self.routes.get(&with_body) {
                return r.clone();
            }
        }
        match self.routes.get(&req.path) {
            Some(r) => r.clone(),
            None => Ok(status(
                404,
                Some(JSON),
                format!("Path '{}' not found.", req.path),
            )),
        }
    }
}

/// Every PBS endpoint the collector reads, answered from the PBS fixtures under
/// `/api/pbs/api2/json`; the task list asks for errors since `tasks_since`.
pub fn pbs_fixture_routes(s: &mut FakeServer, tasks_since: i64) {
    let p = |x: &str| format!("/api/pbs/api2/json{x}");
    s.fixture(p("/admin/datastore"), "pbs/admin_datastore_list.json")
        .fixture(
            p("/admin/datastore/store1/namespace"),
            "pbs/datastore_namespaces.json",
        )
        .fixture(
            p("/admin/datastore/store1/groups"),
            "pbs/datastore_groups.json",
        )
        .fixture(
            p("/admin/datastore/store1/groups?ns=lab"),
            "pbs/datastore_groups_ns_lab.json",
        )
        .fixture(
            p("/admin/datastore/store1/groups?ns=lab/old"),
            "pbs/datastore_groups_ns_lab_old.json",
        )
        .fixture(
            p("/admin/datastore/store1/snapshots"),
            "pbs/datastore_snapshots.json",
        )
        .fixture(
            p("/admin/datastore/store1/snapshots?ns=lab"),
            "pbs/datastore_snapshots_ns_lab.json",
        )
        .fixture(
            p("/status/datastore-usage"),
            "pbs/status_datastore_usage.json",
        )
        .fixture(p("/admin/gc"), "pbs/admin_gc.json")
        .fixture(p("/admin/prune"), "pbs/admin_prune.json")
        .fixture(p("/admin/verify"), "pbs/admin_verify.json")
        .fixture(
            p("/admin/sync?sync-direction=all"),
            "pbs/admin_sync_direction_all.json",
        )
        .fixture(p("/config/datastore"), "pbs/config_datastore_list.json")
        .fixture(
            p(&format!(
                "/nodes/localhost/tasks?errors=1&since={tasks_since}"
            )),
            "pbs/nodes_localhost_tasks_errors.json",
        )
        .fixture(p("/version"), "pbs/version.json")
        .fixture(
            p("/nodes/localhost/status"),
            "pbs/nodes_localhost_status.json",
        )
        .fixture(p("/nodes/localhost/time"), "pbs/nodes_localhost_time.json");
}
