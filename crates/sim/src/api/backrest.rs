//! Backrest: Connect RPC with protojson (`POST /v1.Backrest/<Method>`).
//!
//! protojson rules: lowerCamelCase names, int64 as decimal strings, enums by name,
//! defaults omitted (an empty list disappears; a set-but-empty message stays `{}`).
//! `GetOperations` with `{}` is the real 500 `empty selector`; unknown request fields are
//! `invalid_argument`. Authentication failures are `text/plain` 401s from the middleware.

use serde::Serialize;
use serde::ser::Serializer;
use serde_json::Value;

use super::{Env, Request, Response, json};
use crate::util::{local_midnight, parse_size};
use crate::world::backrest::{BrWorld, Op, OpKind, OpStatus, Summary, clock, schedule};

const CT: &str = "application/json";

/// An int64, written as protojson writes it: a decimal string.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct I64(i64);

impl Serialize for I64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

fn zero(v: &I64) -> bool {
    v.0 == 0
}
fn is_false(v: &bool) -> bool {
    !*v
}

/// A Connect error.
pub fn connect_error(status: u16, code: &str, message: &str) -> Response {
    #[derive(Serialize)]
    struct E<'a> {
        code: &'a str,
        message: &'a str,
    }
    Response::new(status, Some(CT), json(&E { code, message }))
}

/// The auth middleware's 401 (Go `http.Error`: text/plain, trailing newline).
pub fn unauthorized(message: &str) -> Response {
    Response::new(
        401,
        Some("text/plain; charset=utf-8"),
        format!("{message}\n"),
    )
    .with_header("x-content-type-options", "nosniff")
}

/// Checks `Authorization: Basic base64(user:pass)`; `Err` carries the middleware's message.
pub fn authenticate(env: &Env, req: &Request) -> Result<(), &'static str> {
    use base64::Engine;
    let Some(value) = req.header("authorization") else {
        return Err("Unauthorized (No Authorization Header)");
    };
    if let Some(b64) = value.strip_prefix("Basic ") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .ok()
            .and_then(|d| String::from_utf8(d).ok());
        if decoded.as_deref() == Some(env.credentials.backrest.as_str()) {
            return Ok(());
        }
        // A wrong Basic login falls through to the bearer check, which finds none.
        return Err("Unauthorized (No Authorization Header)");
    }
    if value.starts_with("Bearer ") {
        return Err("Unauthorized (Bad Token)");
    }
    Err("Unauthorized (No Authorization Header)")
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SummaryOut {
    #[serde(skip_serializing_if = "zero")]
    files_new: I64,
    #[serde(skip_serializing_if = "zero")]
    files_changed: I64,
    #[serde(skip_serializing_if = "zero")]
    files_unmodified: I64,
    #[serde(skip_serializing_if = "zero")]
    dirs_new: I64,
    #[serde(skip_serializing_if = "zero")]
    dirs_changed: I64,
    #[serde(skip_serializing_if = "zero")]
    dirs_unmodified: I64,
    #[serde(skip_serializing_if = "zero")]
    data_blobs: I64,
    #[serde(skip_serializing_if = "zero")]
    tree_blobs: I64,
    #[serde(skip_serializing_if = "zero")]
    data_added: I64,
    #[serde(skip_serializing_if = "zero")]
    total_files_processed: I64,
    #[serde(skip_serializing_if = "zero")]
    total_bytes_processed: I64,
    total_duration: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    snapshot_id: Option<String>,
}

fn summary_out(s: &Summary, snapshot: Option<&str>) -> SummaryOut {
    SummaryOut {
        files_new: I64(s.files_new),
        files_changed: I64(s.files_changed),
        files_unmodified: I64(s.files_unmodified),
        dirs_new: I64(s.dirs_new),
        dirs_changed: I64(s.dirs_changed),
        dirs_unmodified: I64(s.dirs_unmodified),
        data_blobs: I64(s.data_blobs),
        tree_blobs: I64(s.tree_blobs),
        data_added: I64(s.data_added),
        total_files_processed: I64(s.total_files),
        total_bytes_processed: I64(s.total_bytes),
        total_duration: s.total_duration,
        snapshot_id: snapshot.map(str::to_owned),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Progress {
    percent_done: f64,
    total_files: I64,
    total_bytes: I64,
    files_done: I64,
    bytes_done: I64,
    current_file: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
enum LastStatus {
    Status(Progress),
    Summary(SummaryOut),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BackupOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    last_status: Option<LastStatus>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SnapshotOut<'a> {
    id: &'a str,
    unix_time_ms: I64,
    hostname: &'a str,
    username: &'static str,
    tree: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a str>,
    paths: &'a [String],
    tags: Vec<String>,
    summary: SummaryOut,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IndexOut<'a> {
    snapshot: SnapshotOut<'a>,
    #[serde(skip_serializing_if = "is_false")]
    forgot: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HookOut<'a> {
    parent_op: I64,
    name: String,
    condition: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogrefOut<'a> {
    output_logref: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StatsOut {
    stats: RepoStats,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RepoStats {
    total_size: I64,
    total_uncompressed_size: I64,
    compression_ratio: f64,
    total_blob_count: I64,
    snapshot_count: I64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ForgetOut {
    policy: Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(clippy::enum_variant_names)] // the protojson oneof names
enum OpOneof<'a> {
    OperationBackup(BackupOut),
    OperationIndexSnapshot(IndexOut<'a>),
    OperationForget(ForgetOut),
    OperationPrune(LogrefOut<'a>),
    OperationStats(StatsOut),
    OperationRunHook(HookOut<'a>),
    OperationCheck(LogrefOut<'a>),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OpOut<'a> {
    id: I64,
    modno: I64,
    flow_id: I64,
    repo_id: &'a str,
    repo_guid: &'a str,
    plan_id: &'a str,
    instance_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    snapshot_id: Option<&'a str>,
    status: &'static str,
    unix_time_start_ms: I64,
    #[serde(skip_serializing_if = "Option::is_none")]
    unix_time_end_ms: Option<I64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logref: Option<&'a str>,
    #[serde(flatten)]
    op: OpOneof<'a>,
}

/// A plan's retention as protojson (`policyKeepLastN`, `policyTimeBucketed`, `policyKeepAll`).
fn retention(plan: &crate::scenario::BrPlan) -> Value {
    let r = &plan.retention;
    let mut out = serde_json::Map::new();
    if let Some(n) = r.get("keep_last").and_then(|v| v.as_integer()) {
        out.insert("policyKeepLastN".into(), Value::from(n));
    } else if r.get("keep_all").and_then(|v| v.as_bool()) == Some(true) || r.is_empty() {
        out.insert("policyKeepAll".into(), Value::Bool(true));
    } else {
        let mut tb = serde_json::Map::new();
        for k in ["yearly", "monthly", "weekly", "daily", "hourly"] {
            if let Some(n) = r.get(k).and_then(|v| v.as_integer()) {
                tb.insert(k.into(), Value::from(n));
            }
        }
        out.insert("policyTimeBucketed".into(), Value::Object(tb));
    }
    Value::Object(out)
}

fn op_out<'a>(w: &'a BrWorld, op: &'a Op) -> OpOut<'a> {
    let repo = &w.repos[op.repo.min(w.repos.len().saturating_sub(1))];
    let plan = w.plans.iter().find(|p| p.id == op.plan_id);
    let oneof = match &op.kind {
        OpKind::Backup { summary, progress } => OpOneof::OperationBackup(BackupOut {
            last_status: match (summary, progress) {
                (Some(s), _) => Some(LastStatus::Summary(summary_out(
                    s,
                    op.snapshot_id.as_deref(),
                ))),
                (None, Some((frac, fd, bd, tf, tb, file))) => Some(LastStatus::Status(Progress {
                    percent_done: *frac,
                    total_files: I64(*tf),
                    total_bytes: I64(*tb),
                    files_done: I64(*fd),
                    bytes_done: I64(*bd),
                    current_file: vec![file.clone()],
                })),
                _ => None,
            },
        }),
        OpKind::Index {
            time_ms,
            tree,
            parent,
            paths,
            summary,
            forgot,
        } => OpOneof::OperationIndexSnapshot(IndexOut {
            snapshot: SnapshotOut {
                id: op.snapshot_id.as_deref().unwrap_or(""),
                unix_time_ms: I64(*time_ms),
                hostname: "backrest",
                username: "root",
                tree,
                parent: parent.as_deref(),
                paths,
                tags: vec![
                    format!("plan:{}", op.plan_id),
                    format!("created-by:{}", w.instance),
                ],
                summary: summary_out(summary, None),
            },
            forgot: *forgot,
        }),
        OpKind::Forget => OpOneof::OperationForget(ForgetOut {
            policy: plan
                .map(retention)
                .unwrap_or(Value::Object(Default::default())),
        }),
        OpKind::Hook { parent } => OpOneof::OperationRunHook(HookOut {
            parent_op: I64(*parent),
            name: format!("discord hook plan/{}/hook/0", op.plan_id),
            condition: "CONDITION_SNAPSHOT_ERROR",
        }),
        OpKind::Prune { logref } => OpOneof::OperationPrune(LogrefOut {
            output_logref: logref,
        }),
        OpKind::Check { logref } => OpOneof::OperationCheck(LogrefOut {
            output_logref: logref,
        }),
        OpKind::Stats {
            total_size,
            snapshot_count,
        } => OpOneof::OperationStats(StatsOut {
            stats: RepoStats {
                total_size: I64(*total_size),
                total_uncompressed_size: I64(total_size * 13 / 10),
                compression_ratio: 1.3,
                total_blob_count: I64(total_size / 1_200_000),
                snapshot_count: I64(*snapshot_count),
            },
        }),
    };
    OpOut {
        id: I64(op.id),
        modno: I64(op.modno),
        flow_id: I64(op.flow_id),
        repo_id: &repo.cfg.id,
        repo_guid: &repo.guid,
        plan_id: &op.plan_id,
        instance_id: &w.instance,
        snapshot_id: op.snapshot_id.as_deref(),
        status: op.status.name(),
        unix_time_start_ms: I64(op.start_ms),
        unix_time_end_ms: op.end_ms.map(I64),
        display_message: op.message.as_deref(),
        logref: op.logref.as_deref(),
        op: oneof,
    }
}

/// Handles a request to the Backrest listener.
pub fn handle(w: &BrWorld, env: &Env, req: &Request) -> Response {
    let path = req.path.as_str();
    let authed_area = path.starts_with("/v1.Backrest/") || path == "/metrics";
    if path.starts_with("/v1.Authentication/") {
        return login(env, req);
    }
    if !authed_area {
        if path == "/" || path == "/index.html" {
            return Response::new(
                200,
                Some("text/html; charset=utf-8"),
                "<!doctype html><html><head><title>Backrest</title></head><body><div id=\"app\"></div></body></html>",
            );
        }
        return Response::new(
            404,
            Some("text/plain; charset=utf-8"),
            "404 page not found\n",
        );
    }
    if let Err(m) = authenticate(env, req) {
        return unauthorized(m);
    }
    if path == "/metrics" {
        return Response::new(
            200,
            Some("text/plain; version=0.0.4; charset=utf-8"),
            "# HELP backrest_backup_bytes_processed The total number of bytes processed during a backup\n# TYPE backrest_backup_bytes_processed gauge\n",
        );
    }
    let method = &path["/v1.Backrest/".len()..];
    if req.method != "POST" {
        return Response::new(
            405,
            Some("text/plain; charset=utf-8"),
            "Method Not Allowed\n",
        )
        .with_header("allow", "POST");
    }
    let ct = req
        .header("content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    if !(ct.starts_with("application/json") || ct.starts_with("application/proto")) {
        return Response::new(415, None, Vec::new())
            .with_header("accept-post", "application/json, application/proto");
    }
    let body: Value = if req.body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) | Err(_) => {
                return connect_error(
                    400,
                    "invalid_argument",
                    &format!(
                        "unmarshal into {}: proto: syntax error (line 1:1): unexpected token",
                        request_type(method)
                    ),
                );
            }
        }
    };
    match method {
        "GetSummaryDashboard" => {
            if let Some(k) = body.as_object().and_then(|o| o.keys().next()) {
                return unknown_field(method, k);
            }
            Response::new(200, Some(CT), json(&dashboard(w)))
        }
        "GetOperations" => get_operations(w, &body),
        "GetConfig" => {
            if let Some(k) = body.as_object().and_then(|o| o.keys().next()) {
                return unknown_field(method, k);
            }
            Response::new(200, Some(CT), json(&config(w, env)))
        }
        "ListSnapshots" => list_snapshots(w, &body),
        "Backup" | "DoRepoTask" | "SetConfig" | "AddRepo" | "Restore" | "Cancel"
        | "ClearHistory" | "RunCommand" | "Unlock" | "Forget" | "GetLogs" | "GetDownloadURL"
        | "PathAutocomplete" | "GetOperationEvents" => connect_error(
            501,
            "unimplemented",
            &format!("v1.Backrest.{method} is not simulated"),
        ),
        _ => Response::new(
            404,
            Some("text/plain; charset=utf-8"),
            "404 page not found\n",
        ),
    }
}

fn request_type(method: &str) -> &'static str {
    match method {
        "GetOperations" => "*v1.GetOperationsRequest",
        "ListSnapshots" => "*v1.ListSnapshotsRequest",
        _ => "*emptypb.Empty",
    }
}

fn unknown_field(method: &str, field: &str) -> Response {
    connect_error(
        400,
        "invalid_argument",
        &format!(
            "unmarshal into {}: proto: (line 1:2): unknown field \"{field}\"",
            request_type(method)
        ),
    )
}

fn login(env: &Env, req: &Request) -> Response {
    if req.path != "/v1.Authentication/Login" {
        return Response::new(
            404,
            Some("text/plain; charset=utf-8"),
            "404 page not found\n",
        );
    }
    let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
    let user = body.get("username").and_then(Value::as_str).unwrap_or("");
    let pass = body.get("password").and_then(Value::as_str).unwrap_or("");
    if format!("{user}:{pass}") == env.credentials.backrest {
        Response::new(
            200,
            Some(CT),
            "{\"token\":\"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJiYWNrd2F0Y2giLCJleHAiOjQxMDI0NDQ4MDB9.c2ltdWxhdGVkLXNpZ25hdHVyZQ\"}",
        )
    } else {
        connect_error(401, "unauthenticated", "invalid username or password")
    }
}

fn get_operations(w: &BrWorld, body: &Value) -> Response {
    let Some(obj) = body.as_object() else {
        return connect_error(500, "unknown", "empty selector");
    };
    for k in obj.keys() {
        if !matches!(k.as_str(), "selector" | "lastN" | "last_n") {
            return unknown_field("GetOperations", k);
        }
    }
    let Some(sel) = obj.get("selector") else {
        return connect_error(500, "unknown", "empty selector");
    };
    let Some(sel) = sel.as_object() else {
        return connect_error(
            400,
            "invalid_argument",
            "unmarshal into *v1.GetOperationsRequest: proto: (line 1:13): invalid value for v1.OpSelector type",
        );
    };
    let int = |v: &Value| -> Option<i64> {
        match v {
            Value::String(s) => s.parse().ok(),
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    };
    let mut ids: Option<Vec<i64>> = None;
    let mut instance = None;
    let mut repo_guid = None;
    let mut plan = None;
    let mut snapshot = None;
    let mut flow = None;
    let mut modno_gte = None;
    for (k, v) in sel {
        match k.as_str() {
            "ids" => {
                ids = Some(
                    v.as_array()
                        .map(|a| a.iter().filter_map(int).collect())
                        .unwrap_or_default(),
                )
            }
            "instanceId" | "instance_id" => instance = v.as_str(),
            "originalInstanceKeyid" | "original_instance_keyid" => {}
            "repoGuid" | "repo_guid" => repo_guid = v.as_str(),
            "planId" | "plan_id" => plan = v.as_str(),
            "snapshotId" | "snapshot_id" => snapshot = v.as_str(),
            "flowId" | "flow_id" => flow = int(v),
            "modnoGte" | "modno_gte" => modno_gte = int(v),
            other => {
                return connect_error(
                    400,
                    "invalid_argument",
                    &format!(
                        "unmarshal into *v1.GetOperationsRequest: proto: (line 1:14): unknown field \"{other}\""
                    ),
                );
            }
        }
    }
    let last_n = obj.get("lastN").or_else(|| obj.get("last_n")).and_then(int);
    let mut ops: Vec<&Op> = w
        .ops
        .iter()
        .filter(|o| match &ids {
            Some(ids) => ids.contains(&o.id),
            None => {
                instance.is_none_or(|i| i == w.instance)
                    && repo_guid.is_none_or(|g| w.repos.get(o.repo).is_some_and(|r| r.guid == g))
                    && plan.is_none_or(|p| p == o.plan_id)
                    && snapshot.is_none_or(|s| o.snapshot_id.as_deref() == Some(s))
                    && flow.is_none_or(|f| f == o.flow_id)
                    && modno_gte.is_none_or(|m| o.modno >= m)
            }
        })
        .collect();
    if let Some(n) = last_n.filter(|n| *n > 0) {
        let n = n as usize;
        if ops.len() > n {
            ops = ops.split_off(ops.len() - n);
        }
    }
    #[derive(Serialize)]
    struct List<'a> {
        #[serde(skip_serializing_if = "Vec::is_empty")]
        operations: Vec<OpOut<'a>>,
    }
    Response::new(
        200,
        Some(CT),
        json(&List {
            operations: ops.into_iter().map(|o| op_out(w, o)).collect(),
        }),
    )
}

fn list_snapshots(w: &BrWorld, body: &Value) -> Response {
    let repo_id = body
        .get("repoId")
        .or_else(|| body.get("repo_id"))
        .and_then(Value::as_str);
    let plan_id = body
        .get("planId")
        .or_else(|| body.get("plan_id"))
        .and_then(Value::as_str);
    let Some(repo) = w
        .repos
        .iter()
        .position(|r| Some(r.cfg.id.as_str()) == repo_id)
    else {
        return connect_error(
            500,
            "unknown",
            &format!("repo {:?} not found", repo_id.unwrap_or("")),
        );
    };
    let snaps: Vec<SnapshotOut> = w
        .ops
        .iter()
        .filter(|o| o.repo == repo && plan_id.is_none_or(|p| p == o.plan_id))
        .filter_map(|o| match &o.kind {
            OpKind::Index {
                time_ms,
                tree,
                parent,
                paths,
                summary,
                forgot: false,
            } => Some(SnapshotOut {
                id: o.snapshot_id.as_deref().unwrap_or(""),
                unix_time_ms: I64(*time_ms),
                hostname: "backrest",
                username: "root",
                tree,
                parent: parent.as_deref(),
                paths,
                tags: vec![
                    format!("plan:{}", o.plan_id),
                    format!("created-by:{}", w.instance),
                ],
                summary: summary_out(summary, None),
            }),
            _ => None,
        })
        .collect();
    #[derive(Serialize)]
    struct L<'a> {
        #[serde(skip_serializing_if = "Vec::is_empty")]
        snapshots: Vec<SnapshotOut<'a>>,
    }
    Response::new(200, Some(CT), json(&L { snapshots: snaps }))
}

// ---- GetSummaryDashboard ------------------------------------------------------------------

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Chart {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    flow_id: Vec<I64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    timestamp_ms: Vec<I64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    duration_ms: Vec<I64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    status: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    bytes_added: Vec<I64>,
}

#[derive(Serialize)]
struct StatusCount {
    count: I64,
    status: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Bucket {
    timestamp_ms: I64,
    #[serde(skip_serializing_if = "zero")]
    bytes_added: I64,
    #[serde(skip_serializing_if = "zero")]
    bytes_scanned: I64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    status_counts: Vec<StatusCount>,
    #[serde(skip_serializing_if = "is_false")]
    overdue: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SummaryItem {
    id: String,
    #[serde(rename = "backupsFailed30days", skip_serializing_if = "zero")]
    backups_failed: I64,
    #[serde(rename = "backupsWarningLast30days", skip_serializing_if = "zero")]
    backups_warning: I64,
    #[serde(rename = "backupsSuccessLast30days", skip_serializing_if = "zero")]
    backups_success: I64,
    #[serde(rename = "bytesScannedLast30days", skip_serializing_if = "zero")]
    bytes_scanned30: I64,
    #[serde(rename = "bytesAddedLast30days", skip_serializing_if = "zero")]
    bytes_added30: I64,
    #[serde(skip_serializing_if = "zero")]
    bytes_scanned_avg: I64,
    #[serde(skip_serializing_if = "zero")]
    bytes_added_avg: I64,
    #[serde(skip_serializing_if = "zero")]
    next_backup_time_ms: I64,
    recent_backups: Chart,
    #[serde(skip_serializing_if = "Option::is_none")]
    protected_bytes: Option<I64>,
    #[serde(rename = "historyLast30days", skip_serializing_if = "Option::is_none")]
    history: Option<Vec<Bucket>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dashboard {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    repo_summaries: Vec<SummaryItem>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    plan_summaries: Vec<SummaryItem>,
    config_path: &'static str,
    data_path: &'static str,
}

/// Per-day totals: bytes added, bytes scanned, counts per status.
type DayTotals = (
    i64,
    i64,
    std::collections::BTreeMap<i32, (i64, &'static str)>,
);

struct Acc {
    cutoff: i64,
    examined: i64,
    scanned: i64,
    added: i64,
    failed: i64,
    success: i64,
    warning: i64,
    next: i64,
    protected: i64,
    chart: Chart,
    per_day: std::collections::BTreeMap<i64, DayTotals>,
    oldest_day: Option<i64>,
    reached_cutoff: bool,
    ok_dates: Vec<i64>,
    last_ok_before: Option<i64>,
}

fn next_midnight(day: i64, w: &BrWorld) -> i64 {
    local_midnight(day + 36 * 3600, &w.zone)
}

impl Acc {
    fn new(cutoff: i64) -> Acc {
        Acc {
            cutoff,
            examined: 0,
            scanned: 0,
            added: 0,
            failed: 0,
            success: 0,
            warning: 0,
            next: 0,
            protected: 0,
            chart: Chart::default(),
            per_day: Default::default(),
            oldest_day: None,
            reached_cutoff: false,
            ok_dates: Vec::new(),
            last_ok_before: None,
        }
    }

    fn observe(&mut self, op: &Op, w: &BrWorld) {
        let start = op.start_ms.div_euclid(1000);
        let midnight = local_midnight(start, &w.zone);
        let summary = match &op.kind {
            OpKind::Backup { summary, .. } => summary.as_ref(),
            _ => return,
        };
        let ok = matches!(op.status, OpStatus::Success | OpStatus::Warning);
        if midnight < self.cutoff {
            self.reached_cutoff = true;
            if ok && self.last_ok_before.is_none() {
                self.last_ok_before = Some(op.start_ms);
            }
            return;
        }
        if op.status == OpStatus::Pending {
            self.next = op.start_ms;
            return;
        }
        self.examined += 1;
        match op.status {
            OpStatus::Success => self.success += 1,
            OpStatus::Error => self.failed += 1,
            OpStatus::Warning => self.warning += 1,
            _ => {}
        }
        if ok {
            self.ok_dates.push(op.start_ms);
        }
        if let Some(s) = summary {
            self.scanned += s.total_bytes;
            self.added += s.data_added;
            if self.protected == 0 && ok {
                self.protected = s.total_bytes;
            }
        }
        let day = self.per_day.entry(midnight * 1000).or_default();
        let e = day
            .2
            .entry(op.status.number())
            .or_insert((0, op.status.name()));
        e.0 += 1;
        if let Some(s) = summary {
            day.0 += s.data_added;
            day.1 += s.total_bytes;
        }
        if self.oldest_day.is_none_or(|d| midnight < d) {
            self.oldest_day = Some(midnight);
        }
        if self.chart.timestamp_ms.len() < 60 {
            let duration = (op.end_ms.unwrap_or(0) - op.start_ms).max(1000);
            self.chart.flow_id.push(I64(op.flow_id));
            self.chart.timestamp_ms.push(I64(op.start_ms));
            self.chart.duration_ms.push(I64(duration));
            self.chart.status.push(op.status.name());
            self.chart
                .bytes_added
                .push(I64(summary.map(|s| s.data_added).unwrap_or(0)));
        }
    }

    fn finalize(self, id: &str, w: &BrWorld, allowed_ms: i64) -> SummaryItem {
        let now_ms = w.now * 1000;
        let today = local_midnight(w.now, &w.zone);
        let examined = self.examined.max(1);
        let mut ok_dates = self.ok_dates.clone();
        if ok_dates.is_empty()
            && let Some(b) = self.last_ok_before
        {
            ok_dates.push(b);
        }
        ok_dates.sort();
        let start = if self.reached_cutoff {
            self.cutoff
        } else {
            self.oldest_day.unwrap_or(today)
        };
        let mut history = Vec::new();
        let mut last_ok: Option<i64> = None;
        let mut next_ok = 0;
        let mut day = start;
        let mut guard = 0;
        while day <= today && guard < 400 {
            guard += 1;
            let mut bucket = Bucket {
                timestamp_ms: I64(day * 1000),
                bytes_added: I64(0),
                bytes_scanned: I64(0),
                status_counts: Vec::new(),
                overdue: false,
            };
            if let Some((added, scanned, counts)) = self.per_day.get(&(day * 1000)) {
                bucket.bytes_added = I64(*added);
                bucket.bytes_scanned = I64(*scanned);
                bucket.status_counts = counts
                    .values()
                    .map(|(n, s)| StatusCount {
                        count: I64(*n),
                        status: s,
                    })
                    .collect();
            }
            let following = next_midnight(day, w);
            if allowed_ms > 0 {
                let checkpoint = (following * 1000).min(now_ms);
                while next_ok < ok_dates.len() && ok_dates[next_ok] <= checkpoint {
                    last_ok = Some(ok_dates[next_ok]);
                    next_ok += 1;
                }
                bucket.overdue =
                    last_ok.is_some_and(|l| l < day * 1000 && checkpoint - l > allowed_ms);
            }
            history.push(bucket);
            day = following;
        }
        SummaryItem {
            id: id.to_owned(),
            backups_failed: I64(self.failed),
            backups_warning: I64(self.warning),
            backups_success: I64(self.success),
            bytes_scanned30: I64(self.scanned),
            bytes_added30: I64(self.added),
            bytes_scanned_avg: I64(self.scanned / examined),
            bytes_added_avg: I64(self.added / examined),
            next_backup_time_ms: I64(self.next),
            recent_backups: self.chart,
            protected_bytes: (w.v114 && self.protected != 0).then_some(I64(self.protected)),
            history: w.v114.then_some(history),
        }
    }
}

fn allowed_staleness_ms(plan: &crate::scenario::BrPlan) -> i64 {
    let _ = clock(&plan.schedule);
    match schedule(&plan.schedule).and_then(|s| s.nominal_period()) {
        Some(p) => (f64::from(p) * 1.25 * 1000.0) as i64,
        None => 0,
    }
}

fn dashboard(w: &BrWorld) -> Dashboard {
    let mut cutoff = local_midnight(w.now, &w.zone);
    for _ in 0..29 {
        cutoff = local_midnight(cutoff - 3600, &w.zone);
    }
    let mut repo_accs: Vec<Acc> = w.repos.iter().map(|_| Acc::new(cutoff)).collect();
    let mut plan_accs: Vec<Acc> = w.plans.iter().map(|_| Acc::new(cutoff)).collect();
    for op in w.ops.iter().rev() {
        if !matches!(op.kind, OpKind::Backup { .. }) {
            continue;
        }
        if let Some(i) = w.plans.iter().position(|p| p.id == op.plan_id) {
            plan_accs[i].observe(op, w);
        }
        if let Some(acc) = repo_accs.get_mut(op.repo) {
            acc.observe(op, w);
        }
    }
    let repo_summaries = repo_accs
        .into_iter()
        .zip(&w.repos)
        .map(|(acc, repo)| {
            let widest = w
                .plans
                .iter()
                .filter(|p| p.repo == repo.cfg.id)
                .map(allowed_staleness_ms)
                .max()
                .unwrap_or(0);
            acc.finalize(&repo.cfg.id, w, widest)
        })
        .collect();
    let plan_summaries = plan_accs
        .into_iter()
        .zip(&w.plans)
        .map(|(acc, plan)| acc.finalize(&plan.id, w, allowed_staleness_ms(plan)))
        .collect();
    Dashboard {
        repo_summaries,
        plan_summaries,
        config_path: "/config/config.json",
        data_path: "/data",
    }
}

// ---- GetConfig (returns secrets, like the real one) ---------------------------------------

fn schedule_json(s: &crate::scenario::BrSchedule) -> Value {
    let mut m = serde_json::Map::new();
    if s.disabled {
        m.insert("disabled".into(), Value::Bool(true));
    } else if let Some(c) = &s.cron {
        m.insert("cron".into(), Value::from(c.clone()));
    } else if let Some(e) = &s.every {
        let ms = crate::util::parse_duration_ms(e).unwrap_or(0);
        let h = ms / 3_600_000;
        if h.is_multiple_of(24) {
            m.insert("maxFrequencyDays".into(), Value::from(h / 24));
        } else {
            m.insert("maxFrequencyHours".into(), Value::from(h));
        }
    }
    match s.clock.as_deref() {
        Some("utc") => {
            m.insert("clock".into(), Value::from("CLOCK_UTC"));
        }
        Some("last-run") => {
            m.insert("clock".into(), Value::from("CLOCK_LAST_RUN_TIME"));
        }
        Some("local") => {
            m.insert("clock".into(), Value::from("CLOCK_LOCAL"));
        }
        _ => {}
    }
    Value::Object(m)
}

fn config(w: &BrWorld, env: &Env) -> Value {
    // Keys are built in protojson order with a small ordered writer (serde_json's map sorts).
    let repos: Vec<Value> = w
        .repos
        .iter()
        .map(|r| {
            let mut m = serde_json::Map::new();
            m.insert("id".into(), Value::from(r.cfg.id.clone()));
            m.insert("uri".into(), Value::from(r.cfg.uri.clone()));
            m.insert("guid".into(), Value::from(r.guid.clone()));
            m.insert("password".into(), Value::from(r.cfg.password.clone()));
            if !r.cfg.env.is_empty() {
                m.insert("env".into(), Value::from(r.cfg.env.clone()));
            }
            if let Some(p) = &r.cfg.prune {
                m.insert(
                    "prunePolicy".into(),
                    serde_json::json!({"schedule": schedule_json(p), "maxUnusedPercent": 10}),
                );
            }
            if let Some(c) = &r.cfg.check {
                m.insert(
                    "checkPolicy".into(),
                    serde_json::json!({"schedule": schedule_json(c)}),
                );
            }
            m.insert("commandPrefix".into(), serde_json::json!({}));
            Value::Object(m)
        })
        .collect();
    let plans: Vec<Value> = w
        .plans
        .iter()
        .map(|p| {
            let mut m = serde_json::Map::new();
            m.insert("id".into(), Value::from(p.id.clone()));
            m.insert("repo".into(), Value::from(p.repo.clone()));
            m.insert("paths".into(), Value::from(p.paths.clone()));
            if !p.excludes.is_empty() {
                m.insert("excludes".into(), Value::from(p.excludes.clone()));
            }
            m.insert("schedule".into(), schedule_json(&p.schedule));
            m.insert("retention".into(), retention(p));
            if p.error_hook {
                m.insert(
                    "hooks".into(),
                    serde_json::json!([{"conditions": ["CONDITION_SNAPSHOT_ERROR", "CONDITION_ANY_ERROR"], "actionDiscord": {"webhookUrl": "https://discord.com/api/webhooks/000000000000000000/EXAMPLE", "template": "{{ .Summary }}"}}]),
                );
            }
            Value::Object(m)
        })
        .collect();
    let user = env
        .credentials
        .backrest
        .split(':')
        .next()
        .unwrap_or("admin");
    let _ = parse_size;
    serde_json::json!({
        "modno": w.modno,
        "version": 6,
        "instance": w.instance,
        "repos": repos,
        "plans": plans,
        "auth": {"users": [{"name": user, "passwordBcrypt": "********"}]},
        "sync": {"identity": {"keyId": w.key_id}},
    })
}
