//! Proxmox Backup Server: `/api2/json/…` as proxmox-rest-server answers it.
//!
//! Envelope `{"data": …}` with `total` before and `digest` after the data; errors are
//! plain text under a JSON content type; 401 has no content type, arrives after the
//! auth delay and clears the cookie; unknown query parameters are a 400 (since 3.1.5), and
//! a GET with `Content-Type: application/json` ignores its query string.

use serde::Serialize;

use super::{Env, Request, Response, json};
use crate::util::{hash, percent_decode};
use crate::world::proxmox::{JobStatus, PbsWorld, Snap, Store, Task};

const CT: &str = "application/json;charset=UTF-8";

#[derive(Serialize)]
struct Data<T> {
    data: T,
}

#[derive(Serialize)]
struct DataDigest<T> {
    data: T,
    digest: String,
}

#[derive(Serialize)]
struct TotalData<T> {
    total: usize,
    data: T,
}

fn ok<T: Serialize>(data: T) -> Response {
    Response::new(200, Some(CT), json(&Data { data }))
}

fn ok_digest<T: Serialize>(data: T, seed: u64, what: &str) -> Response {
    let digest = format!(
        "{:016x}{:016x}{:016x}{:016x}",
        hash(&[what, "1"]) ^ seed,
        hash(&[what, "2"]),
        hash(&[what, "3"]),
        hash(&[what, "4"])
    );
    Response::new(200, Some(CT), json(&DataDigest { data, digest }))
}

/// A PBS error: the message as plain text under a JSON content type.
pub fn error(status: u16, message: &str) -> Response {
    Response::new(status, Some(CT), message.to_owned())
}

/// PBS's 401: `authentication failed`, no content type, after the delay; clears the cookie.
pub fn unauthorized(env: &Env) -> Response {
    let mut r = Response::new(401, None, "authentication failed");
    r.delay = env.auth_delay;
    r.headers.push((
        "set-cookie".into(),
        "PBSAuthCookie=; Secure; SameSite=Lax; HttpOnly; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
            .into(),
    ));
    r
}

/// Checks `Authorization: PBSAPIToken=<id>:<secret>` (or a space after the prefix). A PBS
/// cookie wins over the token and, having no valid ticket, fails.
pub fn authenticated(env: &Env, req: &Request) -> bool {
    if req.cookie("PBSAuthCookie").is_some() || req.cookie("__Host-PBSAuthCookie").is_some() {
        return false;
    }
    let Some(value) = req.header("authorization") else {
        return false;
    };
    let Some(rest) = value.strip_prefix("PBSAPIToken") else {
        return false;
    };
    let Some(rest) = rest.strip_prefix('=').or_else(|| rest.strip_prefix(' ')) else {
        return false;
    };
    let Some((id, secret)) = rest.split_once(':') else {
        return false;
    };
    let Some((want_id, want_secret)) = env.credentials.pbs.split_once(':') else {
        return false;
    };
    id == want_id && percent_decode(secret, false) == want_secret
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct StoreItem<'a> {
    store: &'a str,
    comment: Option<&'a str>,
    mount_status: &'a str,
    backend_type: &'static str,
}

fn mount_status(s: &Store) -> &'static str {
    if !s.removable {
        "nonremovable"
    } else if s.mounted {
        "mounted"
    } else {
        "notmounted"
    }
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct GroupItem<'a> {
    backup_type: &'a str,
    backup_id: &'a str,
    last_backup: i64,
    backup_count: usize,
    files: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<&'a str>,
}

#[derive(Serialize)]
struct Verification<'a> {
    upid: &'a str,
    state: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct FileItem<'a> {
    filename: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    crypt_mode: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<u64>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct SnapshotItem<'a> {
    backup_type: &'a str,
    backup_id: &'a str,
    backup_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verification: Option<Verification<'a>>,
    files: Vec<FileItem<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a str>,
    protected: bool,
}

fn snapshot_item(s: &Snap) -> SnapshotItem<'_> {
    let finished = s.finished();
    SnapshotItem {
        backup_type: s.ty,
        backup_id: &s.id,
        backup_time: s.time,
        comment: if finished { s.comment.as_deref() } else { None },
        verification: s
            .verification
            .as_ref()
            .filter(|_| finished)
            .map(|(u, ok)| Verification {
                upid: u,
                state: if *ok { "ok" } else { "failed" },
            }),
        files: s
            .files
            .iter()
            .map(|f| FileItem {
                filename: &f.name,
                crypt_mode: f.crypt,
                size: f.size,
            })
            .collect(),
        size: s.size,
        owner: Some(&s.owner),
        protected: s.protected,
    }
}

#[derive(Serialize)]
struct NsItem<'a> {
    ns: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct CacheStats {
    hits: u64,
    misses: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct GcStatus<'a> {
    upid: Option<&'a str>,
    index_file_count: u64,
    index_data_bytes: u64,
    disk_bytes: u64,
    disk_chunks: u64,
    removed_bytes: u64,
    removed_chunks: u64,
    pending_bytes: u64,
    pending_chunks: u64,
    removed_bad: u64,
    still_bad: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    cache_stats: Option<CacheStats>,
}

fn gc_status(s: &Store) -> GcStatus<'_> {
    let g = &s.gc;
    GcStatus {
        upid: g.upid.as_deref(),
        index_file_count: g.index_file_count,
        index_data_bytes: g.index_data_bytes,
        disk_bytes: g.disk_bytes,
        disk_chunks: g.disk_chunks,
        removed_bytes: g.removed_bytes,
        removed_chunks: g.removed_chunks,
        pending_bytes: g.pending_bytes,
        pending_chunks: g.pending_chunks,
        removed_bad: 0,
        still_bad: 0,
        cache_stats: g.upid.as_ref().map(|_| CacheStats {
            hits: g.cache_hits,
            misses: g.cache_misses,
        }),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct GcJob<'a> {
    store: &'a str,
    #[serde(flatten)]
    status: GcStatus<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_run: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_run_endtime: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_run_state: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<i64>,
}

fn gc_job(s: &Store) -> GcJob<'_> {
    GcJob {
        store: &s.name,
        status: gc_status(s),
        schedule: s.gc_schedule.as_deref(),
        next_run: s.gc.status.next_run,
        last_run_endtime: s.gc.status.last_end,
        last_run_state: s.gc.status.last_state.as_deref(),
        duration: s.gc.duration,
    }
}

#[derive(Serialize)]
struct TypeCount {
    groups: usize,
    snapshots: usize,
}

#[derive(Serialize)]
struct Counts {
    ct: Option<TypeCount>,
    host: Option<TypeCount>,
    vm: Option<TypeCount>,
    other: Option<TypeCount>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct StoreStatus<'a> {
    total: u64,
    used: u64,
    avail: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    gc_status: Option<GcStatus<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counts: Option<Counts>,
    backend_type: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct UsageItem<'a> {
    store: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    used: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    avail: Option<u64>,
    mount_status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<&'a [Option<f64>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    history_start: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    history_delta: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    estimated_full_date: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gc_status: Option<GcStatus<'a>>,
    backend_type: &'static str,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "kebab-case")]
struct Status<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    next_run: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_run_state: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_run_upid: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_run_endtime: Option<i64>,
}

fn status(s: &JobStatus, with: bool) -> Option<Status<'_>> {
    with.then_some(Status {
        next_run: s.next_run,
        last_run_state: s.last_state.as_deref(),
        last_run_upid: s.last_upid.as_deref(),
        last_run_endtime: s.last_end,
    })
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct PruneItem<'a> {
    id: &'a str,
    store: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    disable: bool,
    schedule: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keep_last: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keep_hourly: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keep_daily: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keep_weekly: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keep_monthly: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keep_yearly: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_depth: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ns: Option<&'a str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    status: Option<Status<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct VerifyItem<'a> {
    id: &'a str,
    store: &'a str,
    ignore_verified: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    outdated_after: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ns: Option<&'a str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    status: Option<Status<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct SyncItem<'a> {
    id: &'a str,
    store: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ns: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remote: Option<&'a str>,
    remote_store: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    remote_ns: Option<&'a str>,
    remove_vanished: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    run_on_mount: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    sync_direction: Option<&'a str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    status: Option<Status<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct DatastoreConfig<'a> {
    name: &'a str,
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gc_schedule: Option<&'a str>,
    notification_mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    backing_device: Option<String>,
}

#[derive(Serialize)]
struct TaskItem<'a> {
    upid: &'a str,
    node: &'static str,
    pid: u32,
    pstart: u32,
    starttime: i64,
    worker_type: &'a str,
    worker_id: Option<&'a str>,
    user: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    endtime: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'a str>,
}

fn task_item(t: &Task) -> TaskItem<'_> {
    TaskItem {
        upid: &t.upid,
        node: "localhost",
        pid: 0x3a8,
        pstart: 0x53f,
        starttime: t.starttime,
        worker_type: t.worker_type,
        worker_id: t.worker_id.as_deref(),
        user: &t.user,
        endtime: t.endtime,
        status: t.status.as_deref(),
    }
}

/// Query parameters after PBS's rules: `_dc` skipped; none at all when the GET carries
/// `Content-Type: application/json` (parameters come from the empty body).
struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, key: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn check(&self, allowed: &[&str]) -> Result<(), Response> {
        for (k, _) in &self.pairs {
            if !allowed.contains(&k.as_str()) {
                return Err(error(
                    400,
                    &format!(
                        "parameter verification failed - '{k}': schema does not allow additional properties"
                    ),
                ));
            }
        }
        Ok(())
    }

    fn bool(&self, key: &str) -> Result<Option<bool>, Response> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => Ok(Some(true)),
                "0" | "false" | "no" | "off" => Ok(Some(false)),
                _ => Err(error(
                    400,
                    &format!(
                        "parameter verification failed - '{key}': Unable to parse boolean option."
                    ),
                )),
            },
        }
    }

    fn int(&self, key: &str) -> Result<Option<i64>, Response> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                error(
                    400,
                    &format!(
                        "parameter verification failed - '{key}': value '{v}' is not an integer"
                    ),
                )
            }),
        }
    }
}

/// Handles a request to the PBS listener.
pub fn handle(w: &PbsWorld, env: &Env, req: &Request) -> Response {
    if !authenticated(env, req) {
        return unauthorized(env);
    }
    let full_path = req.path.clone();
    let not_found = || error(404, &format!("Path '{full_path}' not found."));
    let Some(path) = req.path.strip_prefix("/api2/json") else {
        return not_found();
    };
    if req.method != "GET" {
        return not_found();
    }
    // Parameters: the Content-Type trap.
    let pairs = match req.header("content-type").map(str::trim) {
        None => req.query_pairs(),
        Some(ct) if ct.starts_with("application/json") => Vec::new(),
        Some(ct) if ct.starts_with("application/x-www-form-urlencoded") => req.query_pairs(),
        Some(ct) => return error(400, &format!("unsupported content type Ok({ct:?})")),
    };
    let params = Params {
        pairs: pairs.into_iter().filter(|(k, _)| k != "_dc").collect(),
    };
    let segs: Vec<String> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode(s, false))
        .collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    match route(w, &segs, &params) {
        Some(Ok(r)) | Some(Err(r)) => r,
        None => not_found(),
    }
}

fn store<'a>(w: &'a PbsWorld, name: &str) -> Result<&'a Store, Response> {
    match w.stores.iter().find(|s| s.name == name) {
        None => Err(error(400, &format!("no such datastore '{name}'"))),
        Some(s) if !s.mounted => Err(error(400, &format!("datastore '{name}' is not mounted"))),
        Some(s) => Ok(s),
    }
}

fn check_ns(s: &Store, ns: &str) -> Result<(), Response> {
    if s.namespaces.iter().any(|n| n == ns) {
        Ok(())
    } else {
        Err(error(400, &format!("namespace '{ns}' does not exist")))
    }
}

/// Stable but unsorted order, as a directory listing is.
fn scrambled<T>(items: &mut [T], key: impl Fn(&T) -> String) {
    items.sort_by_key(|t| hash(&[&key(t)]));
}

fn route(w: &PbsWorld, segs: &[&str], p: &Params) -> Option<Result<Response, Response>> {
    Some((|| -> Result<Response, Response> {
        match segs {
            ["version"] => {
                p.check(&[])?;
                #[derive(Serialize)]
                struct V<'a> {
                    version: &'a str,
                    release: &'a str,
                    repoid: &'static str,
                }
                Ok(ok(V {
                    version: &w.version,
                    release: &w.release,
                    repoid: "035c449897fafc228c8bbf3a5b5ba38564478ac7",
                }))
            }
            ["admin", "datastore"] => {
                p.check(&[])?;
                Ok(ok(w
                    .stores
                    .iter()
                    .map(|s| StoreItem {
                        store: &s.name,
                        comment: s.comment.as_deref(),
                        mount_status: mount_status(s),
                        backend_type: "filesystem",
                    })
                    .collect::<Vec<_>>()))
            }
            ["admin", "datastore", name, "namespace"] => {
                p.check(&["parent", "max-depth"])?;
                let s = store(w, name)?;
                let parent = p.get("parent").unwrap_or("");
                check_ns(s, parent)?;
                let depth = p.int("max-depth")?.unwrap_or(7);
                if !(0..=7).contains(&depth) {
                    return Err(error(
                        400,
                        &format!(
                            "parameter verification failed - 'max-depth': value must have a maximum value of 7 (got {depth})"
                        ),
                    ));
                }
                let pdepth = if parent.is_empty() {
                    0
                } else {
                    parent.split('/').count()
                };
                let items: Vec<NsItem> = s
                    .namespaces
                    .iter()
                    .filter(|n| {
                        let below = parent.is_empty()
                            || *n == parent
                            || n.starts_with(&format!("{parent}/"));
                        let d = if n.is_empty() {
                            0
                        } else {
                            n.split('/').count()
                        };
                        below && (d as i64 - pdepth as i64) <= depth
                    })
                    .map(|n| NsItem { ns: n })
                    .collect();
                Ok(ok(items))
            }
            ["admin", "datastore", name, "groups"] => {
                p.check(&["ns"])?;
                let s = store(w, name)?;
                let ns = p.get("ns").unwrap_or("");
                check_ns(s, ns)?;
                let mut groups: Vec<(&'static str, &str, Vec<&Snap>)> = Vec::new();
                for snap in s.snaps.iter().filter(|x| x.ns == ns) {
                    match groups.iter_mut().find(|g| g.0 == snap.ty && g.1 == snap.id) {
                        Some(g) => g.2.push(snap),
                        None => groups.push((snap.ty, &snap.id, vec![snap])),
                    }
                }
                scrambled(&mut groups, |g| format!("{}/{}", g.0, g.1));
                let items: Vec<GroupItem> = groups
                    .iter()
                    .map(|(ty, id, snaps)| {
                        let finished: Vec<&&Snap> = snaps.iter().filter(|s| s.finished()).collect();
                        let last = finished
                            .iter()
                            .max_by_key(|s| s.time)
                            .copied()
                            .or_else(|| snaps.iter().max_by_key(|s| s.time));
                        let mut files: Vec<&str> = last
                            .map(|l| l.files.iter().map(|f| f.name.as_str()).collect())
                            .unwrap_or_default();
                        scrambled(&mut files, |f| f.to_string());
                        GroupItem {
                            backup_type: ty,
                            backup_id: id,
                            last_backup: last.map(|l| l.time).unwrap_or(0),
                            backup_count: snaps.len(),
                            files,
                            owner: snaps.first().map(|s| s.owner.as_str()),
                            comment: snaps.first().and_then(|s| s.group_comment.as_deref()),
                        }
                    })
                    .collect();
                Ok(ok(items))
            }
            ["admin", "datastore", name, "snapshots"] => {
                p.check(&["ns", "backup-type", "backup-id"])?;
                let s = store(w, name)?;
                let ns = p.get("ns").unwrap_or("");
                check_ns(s, ns)?;
                let ty = p.get("backup-type");
                if let Some(t) = ty
                    && !matches!(t, "vm" | "ct" | "host")
                {
                    return Err(error(
                        400,
                        &format!(
                            "parameter verification failed - 'backup-type': value '{t}' is not defined in the enumeration."
                        ),
                    ));
                }
                let id = p.get("backup-id");
                let mut snaps: Vec<&Snap> = s
                    .snaps
                    .iter()
                    .filter(|x| x.ns == ns)
                    .filter(|x| ty.is_none_or(|t| t == x.ty))
                    .filter(|x| id.is_none_or(|i| i == x.id))
                    .collect();
                // Grouped, each group in directory (unsorted) order.
                snaps.sort_by_key(|x| (hash(&[x.ty, &x.id]), hash(&[&x.time.to_string()])));
                Ok(ok(snaps.into_iter().map(snapshot_item).collect::<Vec<_>>()))
            }
            ["admin", "datastore", name, "status"] => {
                p.check(&["verbose"])?;
                let s = store(w, name)?;
                let verbose = p.bool("verbose")?.unwrap_or(false);
                let counts = verbose.then(|| {
                    let count = |ty: &str| {
                        let snaps: Vec<&Snap> = s.snaps.iter().filter(|x| x.ty == ty).collect();
                        let mut groups: Vec<(&str, &str)> = snaps
                            .iter()
                            .map(|x| (x.ns.as_str(), x.id.as_str()))
                            .collect();
                        groups.sort();
                        groups.dedup();
                        (!groups.is_empty()).then_some(TypeCount {
                            groups: groups.len(),
                            snapshots: snaps.len(),
                        })
                    };
                    Counts {
                        ct: count("ct"),
                        host: count("host"),
                        vm: count("vm"),
                        other: None,
                    }
                });
                Ok(ok(StoreStatus {
                    total: s.total,
                    used: s.used,
                    avail: s.total.saturating_sub(s.used),
                    gc_status: verbose.then(|| gc_status(s)),
                    counts,
                    backend_type: "filesystem",
                }))
            }
            ["admin", "datastore", name, "gc"] => {
                p.check(&[])?;
                let s = store(w, name)?;
                Ok(ok(gc_job(s)))
            }
            ["admin", "gc"] => {
                p.check(&["store"])?;
                let want = p.get("store");
                Ok(ok(w
                    .stores
                    .iter()
                    .filter(|s| s.mounted && want.is_none_or(|n| n == s.name))
                    .map(gc_job)
                    .collect::<Vec<_>>()))
            }
            ["admin", "prune"] | ["config", "prune"] => {
                p.check(&["store"])?;
                let admin = segs[0] == "admin";
                let want = p.get("store");
                let items: Vec<PruneItem> = w
                    .prune
                    .iter()
                    .filter(|j| want.is_none_or(|s| s == j.cfg.store))
                    .map(|j| PruneItem {
                        id: &j.cfg.id,
                        store: &j.cfg.store,
                        disable: j.cfg.disable,
                        schedule: &j.cfg.schedule,
                        comment: j.cfg.comment.as_deref(),
                        keep_last: j.cfg.keep_last,
                        keep_hourly: j.cfg.keep_hourly,
                        keep_daily: j.cfg.keep_daily,
                        keep_weekly: j.cfg.keep_weekly,
                        keep_monthly: j.cfg.keep_monthly,
                        keep_yearly: j.cfg.keep_yearly,
                        max_depth: j.cfg.max_depth,
                        ns: j.cfg.ns.as_deref(),
                        status: status(&j.status, admin).map(|mut s| {
                            if j.cfg.disable {
                                s.next_run = None;
                            }
                            s
                        }),
                    })
                    .collect();
                Ok(ok_digest(items, w.seed, "prune"))
            }
            ["admin", "verify"] | ["config", "verify"] => {
                p.check(&["store"])?;
                let admin = segs[0] == "admin";
                let want = p.get("store");
                let items: Vec<VerifyItem> = w
                    .verify
                    .iter()
                    .filter(|j| want.is_none_or(|s| s == j.cfg.store))
                    .map(|j| VerifyItem {
                        id: &j.cfg.id,
                        store: &j.cfg.store,
                        ignore_verified: j.cfg.ignore_verified,
                        outdated_after: j.cfg.outdated_after,
                        comment: j.cfg.comment.as_deref(),
                        schedule: j.cfg.schedule.as_deref(),
                        ns: j.cfg.ns.as_deref(),
                        status: status(&j.status, admin),
                    })
                    .collect();
                Ok(ok_digest(items, w.seed, "verify"))
            }
            ["admin", "sync"] | ["config", "sync"] => {
                p.check(&["store", "sync-direction"])?;
                let admin = segs[0] == "admin";
                let direction = p.get("sync-direction").unwrap_or("pull");
                if !matches!(direction, "pull" | "push" | "all") {
                    return Err(error(
                        400,
                        &format!(
                            "parameter verification failed - 'sync-direction': value '{direction}' is not defined in the enumeration."
                        ),
                    ));
                }
                let want = p.get("store");
                let items: Vec<SyncItem> = w
                    .sync
                    .iter()
                    .filter(|j| want.is_none_or(|s| s == j.cfg.store))
                    .filter(|j| direction == "all" || j.cfg.direction == direction)
                    .map(|j| SyncItem {
                        id: &j.cfg.id,
                        store: &j.cfg.store,
                        ns: j.cfg.ns.as_deref(),
                        remote: j.cfg.remote.as_deref(),
                        remote_store: &j.cfg.remote_store,
                        remote_ns: j.cfg.remote_ns.as_deref(),
                        remove_vanished: j.cfg.remove_vanished,
                        comment: j.cfg.comment.as_deref(),
                        schedule: j.cfg.schedule.as_deref(),
                        run_on_mount: j.cfg.run_on_mount,
                        sync_direction: (j.cfg.direction == "push").then_some("push"),
                        status: status(&j.status, admin),
                    })
                    .collect();
                Ok(ok_digest(items, w.seed, "sync"))
            }
            ["config", "datastore"] => {
                p.check(&[])?;
                let items: Vec<DatastoreConfig> = w.stores.iter().map(ds_config).collect();
                Ok(ok_digest(items, w.seed, "datastore"))
            }
            ["config", "datastore", name] => {
                p.check(&[])?;
                match w.stores.iter().find(|s| s.name == *name) {
                    Some(s) => Ok(ok_digest(ds_config(s), w.seed, "datastore")),
                    None => Err(error(400, &format!("no such datastore '{name}'"))),
                }
            }
            ["status", "datastore-usage"] => {
                p.check(&[])?;
                let items: Vec<UsageItem> = w
                    .stores
                    .iter()
                    .map(|s| {
                        if !s.mounted {
                            return UsageItem {
                                store: &s.name,
                                total: None,
                                used: None,
                                avail: None,
                                mount_status: mount_status(s),
                                history: None,
                                history_start: None,
                                history_delta: None,
                                estimated_full_date: None,
                                gc_status: None,
                                backend_type: "filesystem",
                            };
                        }
                        UsageItem {
                            store: &s.name,
                            total: Some(s.total),
                            used: Some(s.used),
                            avail: Some(s.total.saturating_sub(s.used)),
                            mount_status: mount_status(s),
                            history: Some(&s.history),
                            history_start: Some(s.history_start),
                            history_delta: Some(1800),
                            estimated_full_date: Some(s.estimated_full),
                            gc_status: Some(gc_status(s)),
                            backend_type: "filesystem",
                        }
                    })
                    .collect();
                Ok(ok(items))
            }
            ["tape", "backup"] => {
                p.check(&[])?;
                // The widget's token has Audit only: tape needs Tape.Audit, so [].
                Ok(ok_digest(Vec::<()>::new(), w.seed, "tape"))
            }
            ["nodes", node, rest @ ..] => {
                if !node
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                {
                    return Err(error(
                        400,
                        "parameter verification failed - 'node': value does not match the regex pattern",
                    ));
                }
                match rest {
                    ["time"] => {
                        p.check(&[])?;
                        #[derive(Serialize)]
                        struct T<'a> {
                            timezone: &'a str,
                            time: i64,
                            localtime: i64,
                        }
                        Ok(ok(T {
                            timezone: &w.timezone,
                            time: w.now,
                            localtime: w.now + w.offset,
                        }))
                    }
                    ["status"] => {
                        p.check(&[])?;
                        Ok(node_status(w))
                    }
                    ["tasks"] => tasks(w, p),
                    _ => Err(error(
                        404,
                        &format!("Path '/api2/json/{}' not found.", segs.join("/")),
                    )),
                }
            }
            _ => Err(error(
                404,
                &format!("Path '/api2/json/{}' not found.", segs.join("/")),
            )),
        }
    })())
}

fn ds_config(s: &Store) -> DatastoreConfig<'_> {
    DatastoreConfig {
        name: &s.name,
        path: &s.path,
        comment: s.comment.as_deref(),
        gc_schedule: s.gc_schedule.as_deref(),
        notification_mode: "notification-system",
        backing_device: s
            .removable
            .then(|| format!("{:x}", hash(&[&s.name, "uuid"]))),
    }
}

fn tasks(w: &PbsWorld, p: &Params) -> Result<Response, Response> {
    p.check(&[
        "start",
        "limit",
        "store",
        "running",
        "errors",
        "userfilter",
        "since",
        "until",
        "typefilter",
        "statusfilter",
    ])?;
    let start = p.int("start")?.unwrap_or(0).max(0) as usize;
    let limit = p.int("limit")?.unwrap_or(50).max(0) as usize;
    let running = p.bool("running")?.unwrap_or(false);
    let errors = p.bool("errors")?.unwrap_or(false);
    let since = p.int("since")?;
    let until = p.int("until")?;
    let store = p.get("store");
    let user = p.get("userfilter");
    let ty = p.get("typefilter");
    let statuses = p.all("statusfilter");
    for s in &statuses {
        if !matches!(*s, "ok" | "warning" | "error" | "unknown") {
            return Err(error(
                400,
                &format!(
                    "parameter verification failed - 'statusfilter': value '{s}' is not defined in the enumeration."
                ),
            ));
        }
    }
    let class = |t: &Task| -> Option<&'static str> {
        let s = t.status.as_deref()?;
        Some(if s == "OK" {
            "ok"
        } else if s == "unknown" {
            "unknown"
        } else if s.starts_with("WARNINGS: ") {
            "warning"
        } else {
            "error"
        })
    };
    let filtered: Vec<&Task> = w
        .tasks
        .iter()
        .filter(|t| !running || t.endtime.is_none())
        .filter(|t| !errors || class(t) != Some("ok"))
        .filter(|t| since.is_none_or(|s| t.starttime >= s))
        .filter(|t| until.is_none_or(|u| t.starttime <= u))
        .filter(|t| store.is_none_or(|s| t.store.as_deref() == Some(s)))
        .filter(|t| user.is_none_or(|u| t.user.contains(u)))
        .filter(|t| ty.is_none_or(|f| t.worker_type.contains(f)))
        .filter(|t| statuses.is_empty() || class(t).is_some_and(|c| statuses.contains(&c)))
        .collect();
    let page: Vec<&Task> = filtered
        .iter()
        .skip(start)
        .take(if limit == 0 { usize::MAX } else { limit })
        .copied()
        .collect();
    let mut total = page.len() + start;
    if limit != 0 && page.len() == limit {
        total += 1;
    }
    Ok(Response::new(
        200,
        Some(CT),
        json(&TotalData {
            total,
            data: page.into_iter().map(task_item).collect::<Vec<_>>(),
        }),
    ))
}

fn node_status(w: &PbsWorld) -> Response {
    #[derive(Serialize)]
    struct Mem {
        total: u64,
        used: u64,
        free: u64,
    }
    #[derive(Serialize)]
    struct Disk {
        total: u64,
        used: u64,
        avail: u64,
    }
    #[derive(Serialize)]
    struct Kernel {
        sysname: &'static str,
        release: &'static str,
        version: &'static str,
        machine: &'static str,
    }
    #[derive(Serialize)]
    struct CpuInfo {
        model: &'static str,
        sockets: u32,
        cpus: u32,
    }
    #[derive(Serialize)]
    struct Info {
        fingerprint: String,
    }
    #[derive(Serialize)]
    struct Boot {
        mode: &'static str,
        secureboot: bool,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "kebab-case")]
    struct NodeStatus {
        memory: Mem,
        root: Disk,
        swap: Mem,
        uptime: i64,
        loadavg: [f64; 3],
        current_kernel: Kernel,
        kversion: &'static str,
        cpu: f64,
        wait: f64,
        cpuinfo: CpuInfo,
        info: Info,
        boot_info: Boot,
    }
    let mut fp = String::new();
    for i in 0..32u64 {
        if i > 0 {
            fp.push(':');
        }
        fp.push_str(&format!("{:02x}", hash(&[&w.node, &i.to_string()]) & 0xff));
    }
    let minute = (w.now / 60) as u64;
    let wobble =
        |k: &str, scale: f64| (hash(&[k, &minute.to_string()]) % 1000) as f64 / 1000.0 * scale;
    let st = NodeStatus {
        memory: Mem {
            total: 16_651_423_744,
            used: 6_417_317_888 + (wobble("mem", 1.0) * 1e8) as u64,
            free: 784_433_152,
        },
        root: Disk {
            total: 31_205_556_224,
            used: 4_172_898_304,
            avail: 25_416_519_680,
        },
        swap: Mem {
            total: 8_589_930_496,
            used: 0,
            free: 8_589_930_496,
        },
        uptime: w.now - w.boot,
        loadavg: [
            (0.15 + wobble("l1", 0.3) * 100.0).round() / 100.0,
            (0.2 + wobble("l5", 0.2) * 100.0).round() / 100.0,
            0.27,
        ],
        current_kernel: Kernel {
            sysname: "Linux",
            release: "6.17.13-1-pve",
            version: "#1 SMP PREEMPT_DYNAMIC PMX 6.17.13-1 (2026-04-02T11:05Z)",
            machine: "x86_64",
        },
        kversion: "Linux 6.17.13-1-pve #1 SMP PREEMPT_DYNAMIC PMX 6.17.13-1 (2026-04-02T11:05Z)",
        cpu: ((0.01 + wobble("cpu", 0.05)) * 1e6).round() / 1e6,
        wait: ((0.0005 + wobble("wait", 0.002)) * 1e6).round() / 1e6,
        cpuinfo: CpuInfo {
            model: "Intel(R) N100",
            sockets: 1,
            cpus: 4,
        },
        info: Info { fingerprint: fp },
        boot_info: Boot {
            mode: "efi",
            secureboot: false,
        },
    };
    ok(st)
}
