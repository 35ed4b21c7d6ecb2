//! Proxmox VE: `/api2/json/…` as pve-http-server answers it.
//!
//! Booleans are numbers, integers inside property strings stay strings, errors are
//! `{"data":null,"message":…}`, a 401 has the status line `401 Authentication failed!`,
//! an empty body, comes after the auth delay and closes the connection.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::value::RawValue;

use super::{Env, Request, Response, json};
use crate::util::{percent_decode, rfc3339};
use crate::world::proxmox::{PbsWorld, PveWorld, job_selects};

const CT: &str = "application/json;charset=UTF-8";

#[derive(Serialize)]
struct Data<T> {
    data: T,
}

fn ok<T: Serialize>(data: T) -> Response {
    Response::new(200, Some(CT), json(&Data { data }))
}

/// A PVE error with a message (`\n`-terminated, as `die` leaves it).
pub fn error(status: u16, message: &str) -> Response {
    #[derive(Serialize)]
    struct E<'a> {
        data: Option<()>,
        message: &'a str,
    }
    let m = format!("{}\n", message.trim_end_matches('\n'));
    Response::new(
        status,
        Some(CT),
        json(&E {
            data: None,
            message: &m,
        }),
    )
}

fn param_error(errors: BTreeMap<String, String>) -> Response {
    #[derive(Serialize)]
    struct E {
        data: Option<()>,
        errors: BTreeMap<String, String>,
        message: &'static str,
    }
    Response::new(
        400,
        Some(CT),
        json(&E {
            data: None,
            errors,
            message: "Parameter verification failed.\n",
        }),
    )
}

/// PVE's 401: reason phrase `Authentication failed!`, empty body, delayed, connection closed.
pub fn unauthorized(env: &Env) -> Response {
    let mut r = Response::new(401, None, Vec::new());
    r.reason = Some("Authentication failed!".into());
    r.delay = env.auth_delay;
    r.close = true;
    r
}

/// Checks `Authorization: PVEAPIToken=<user>@<realm>!<tokenid>=<secret>`. A
/// `PVEAuthCookie` is preferred over the token and, with no valid ticket, fails.
pub fn authenticated(env: &Env, req: &Request) -> bool {
    if req.cookie("PVEAuthCookie").is_some() {
        return false;
    }
    let Some(value) = req.header("authorization") else {
        return false;
    };
    let Some(rest) = value.strip_prefix("PVEAPIToken") else {
        return false;
    };
    let Some(rest) = rest.strip_prefix('=').or_else(|| rest.strip_prefix(' ')) else {
        return false;
    };
    let rest = percent_decode(rest.split(';').next().unwrap_or(""), false);
    let Some((id, secret)) = rest.rsplit_once('=') else {
        return false;
    };
    let Some((want_id, want_secret)) = env.credentials.pve.rsplit_once('=') else {
        return false;
    };
    id == want_id && secret == want_secret
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct JobItem<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    all: Option<u8>,
    enabled: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    exclude: Option<String>,
    id: &'a str,
    mode: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_run: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    node: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes_template: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pool: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prune_backups: Option<BTreeMap<&'a str, String>>,
    schedule: &'a str,
    storage: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    vmid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    compress: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repeat_missed: Option<u8>,
}

#[derive(Serialize)]
struct ResourceItem<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'a str,
    vmid: u32,
    name: &'a str,
    node: &'a str,
    status: &'a str,
    template: u8,
    maxcpu: u32,
    cpu: f64,
    maxmem: u64,
    mem: u64,
    maxdisk: u64,
    disk: u64,
    netin: u64,
    netout: u64,
    diskread: u64,
    diskwrite: u64,
    uptime: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pool: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lock: Option<&'static str>,
}

#[derive(Serialize)]
struct NodeResource<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    node: &'a str,
    status: &'static str,
    cpu: f64,
    maxcpu: u32,
    mem: u64,
    maxmem: u64,
    disk: u64,
    maxdisk: u64,
    uptime: i64,
    level: &'static str,
}

#[derive(Serialize)]
struct StorageResource<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    node: &'a str,
    storage: &'a str,
    status: &'static str,
    plugintype: &'a str,
    content: &'static str,
    shared: u8,
    disk: u64,
    maxdisk: u64,
}

#[derive(Serialize)]
struct Verification<'a> {
    upid: &'a str,
    state: &'static str,
}

#[derive(Serialize)]
struct DirItem<'a> {
    volid: String,
    format: &'a str,
    ctime: i64,
    subtype: &'a str,
    vmid: u32,
    size: u64,
    content: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<&'a str>,
}

fn check(pairs: &[(String, String)], allowed: &[&str]) -> Result<(), Response> {
    let mut errors = BTreeMap::new();
    for (k, _) in pairs {
        if k != "_dc" && !allowed.contains(&k.as_str()) {
            errors.insert(
                k.clone(),
                "property is not defined in schema and the schema does not allow additional properties".to_owned(),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(param_error(errors))
    }
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Handles a request to the PVE listener.
pub fn handle(w: &PveWorld, pbs: &PbsWorld, env: &Env, req: &Request) -> Response {
    if !authenticated(env, req) {
        return unauthorized(env);
    }
    let not_implemented = || {
        error(
            501,
            &format!("Method '{} {}' not implemented", req.method, req.path),
        )
    };
    let Some(path) = req.path.strip_prefix("/api2/json") else {
        return not_implemented();
    };
    if req.method != "GET" {
        return not_implemented();
    }
    let pairs = req.query_pairs();
    let segs: Vec<String> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode(s, false))
        .collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let result = (|| -> Result<Response, Response> {
        match segs.as_slice() {
            ["version"] => {
                check(&pairs, &[])?;
                #[derive(Serialize)]
                struct V<'a> {
                    release: String,
                    repoid: &'static str,
                    version: &'a str,
                    console: &'static str,
                }
                let release = w.version.split('.').take(2).collect::<Vec<_>>().join(".");
                Ok(ok(V {
                    release,
                    repoid: "14a22df3",
                    version: &w.version,
                    console: "xtermjs",
                }))
            }
            ["cluster", "backup"] => {
                check(&pairs, &[])?;
                let items: Vec<JobItem> = w
                    .jobs
                    .iter()
                    .map(|(j, next)| {
                        let list = |v: &[u32]| {
                            (!v.is_empty())
                                .then(|| v.iter().map(u32::to_string).collect::<Vec<_>>().join(","))
                        };
                        JobItem {
                            all: j.all.then_some(1),
                            enabled: u8::from(j.enabled),
                            exclude: list(&j.exclude),
                            id: &j.id,
                            mode: &j.mode,
                            next_run: *next,
                            node: j.node.as_deref(),
                            notes_template: j.notes_template.as_deref(),
                            pool: j.pool.as_deref(),
                            prune_backups: (!j.prune_backups.is_empty()).then(|| {
                                j.prune_backups
                                    .iter()
                                    .map(|(k, v)| (k.as_str(), v.to_string()))
                                    .collect()
                            }),
                            schedule: &j.schedule,
                            storage: &j.storage,
                            kind: "vzdump",
                            vmid: list(&j.vmid),
                            comment: j.comment.as_deref(),
                            compress: j.compress.as_deref(),
                            repeat_missed: j.repeat_missed.then_some(1),
                        }
                    })
                    .collect();
                Ok(ok(items))
            }
            ["cluster", "backup-info", "not-backed-up"] => {
                check(&pairs, &[])?;
                #[derive(Serialize)]
                struct N<'a> {
                    vmid: u32,
                    #[serde(rename = "type")]
                    kind: &'a str,
                    name: &'a str,
                }
                Ok(ok(w
                    .not_backed_up
                    .iter()
                    .map(|(vmid, kind, name)| N {
                        vmid: *vmid,
                        kind,
                        name,
                    })
                    .collect::<Vec<_>>()))
            }
            ["cluster", "resources"] => {
                check(&pairs, &["type"])?;
                let ty = get(&pairs, "type");
                if let Some(t) = ty
                    && !matches!(t, "vm" | "storage" | "node" | "sdn")
                {
                    let mut e = BTreeMap::new();
                    e.insert(
                        "type".to_owned(),
                        format!("value '{t}' does not have a value in the enumeration 'vm, storage, node, sdn'"),
                    );
                    return Err(param_error(e));
                }
                let mut out: Vec<Box<RawValue>> = Vec::new();
                fn raw<T: Serialize>(v: &T) -> Box<RawValue> {
                    serde_json::value::to_raw_value(v).unwrap_or_else(|_| {
                        RawValue::from_string("null".into()).unwrap_or_default()
                    })
                }
                if ty.is_none_or(|t| t == "vm") {
                    for g in &w.guests {
                        let kind = if g.cfg.kind == "qemu" { "qemu" } else { "lxc" };
                        let running = g.cfg.status == "running" && !g.cfg.template;
                        out.push(raw(&ResourceItem {
                            id: format!("{kind}/{}", g.cfg.vmid),
                            kind,
                            vmid: g.cfg.vmid,
                            name: &g.cfg.name,
                            node: &g.node,
                            status: if running { "running" } else { "stopped" },
                            template: u8::from(g.cfg.template),
                            maxcpu: g.cfg.cores,
                            cpu: g.cpu,
                            maxmem: g.maxmem,
                            mem: g.mem,
                            maxdisk: g.maxdisk,
                            disk: g.disk,
                            netin: g.netin,
                            netout: g.netout,
                            diskread: g.diskread,
                            diskwrite: g.diskwrite,
                            uptime: g.uptime,
                            tags: (!g.cfg.tags.is_empty()).then(|| g.cfg.tags.join(";")),
                            pool: g.cfg.pool.as_deref(),
                            lock: g.lock.then_some("backup"),
                        }));
                    }
                }
                if ty.is_none_or(|t| t == "node") {
                    for n in &w.nodes {
                        out.push(raw(&NodeResource {
                            id: format!("node/{n}"),
                            kind: "node",
                            node: n,
                            status: "online",
                            cpu: 0.0312,
                            maxcpu: 8,
                            mem: 21_474_836_480,
                            maxmem: 67_108_864_000,
                            disk: 18_253_611_008,
                            maxdisk: 100_861_726_720,
                            uptime: 1_209_600,
                            level: "",
                        }));
                    }
                }
                if ty.is_none_or(|t| t == "storage") {
                    for n in &w.nodes {
                        for s in &w.storages {
                            out.push(raw(&StorageResource {
                                id: format!("storage/{n}/{}", s.id),
                                kind: "storage",
                                node: n,
                                storage: &s.id,
                                status: "available",
                                plugintype: &s.kind,
                                content: "backup",
                                shared: u8::from(s.kind == "pbs"),
                                disk: 1_212_376_694_784,
                                maxdisk: 3_985_729_650_688,
                            }));
                        }
                    }
                }
                Ok(ok(out))
            }
            ["nodes", node, rest @ ..] => {
                if !w.nodes.iter().any(|n| n == node) {
                    return Err(error(
                        500,
                        &format!(
                            "hostname lookup '{node}' failed - failed to get address info for: {node}: Name or service not known"
                        ),
                    ));
                }
                match rest {
                    ["time"] => {
                        check(&pairs, &[])?;
                        #[derive(Serialize)]
                        struct T<'a> {
                            localtime: i64,
                            time: i64,
                            timezone: &'a str,
                        }
                        Ok(ok(T {
                            localtime: w.now + w.offset,
                            time: w.now,
                            timezone: &w.timezone,
                        }))
                    }
                    ["storage", sid, "content"] => {
                        check(&pairs, &["content", "vmid"])?;
                        storage_content(w, pbs, sid, &pairs)
                    }
                    _ => Err(not_implemented()),
                }
            }
            _ => Err(not_implemented()),
        }
    })();
    match result {
        Ok(r) | Err(r) => r,
    }
}

fn storage_content(
    w: &PveWorld,
    pbs: &PbsWorld,
    sid: &str,
    pairs: &[(String, String)],
) -> Result<Response, Response> {
    let Some(storage) = w.storages.iter().find(|s| s.id == sid) else {
        return Err(error(500, &format!("storage '{sid}' does not exist")));
    };
    if let Some(c) = get(pairs, "content")
        && !matches!(
            c,
            "images" | "rootdir" | "vztmpl" | "iso" | "backup" | "snippets" | "import"
        )
    {
        let mut e = BTreeMap::new();
        e.insert(
            "content".to_owned(),
            format!("invalid format - invalid content type '{c}'\n"),
        );
        return Err(param_error(e));
    }
    let vmid: Option<u32> = match get(pairs, "vmid") {
        None => None,
        Some(v) => match v.parse() {
            Ok(n) => Some(n),
            Err(_) => {
                let mut e = BTreeMap::new();
                e.insert(
                    "vmid".to_owned(),
                    format!("type check ('integer') failed - got '{v}'"),
                );
                return Err(param_error(e));
            }
        },
    };
    let wants_backup = get(pairs, "content").is_none_or(|c| c == "backup");
    if !wants_backup || !w.content_visible {
        return Ok(ok(Vec::<()>::new()));
    }
    if storage.kind == "pbs" {
        let store_name = storage.datastore.as_deref().unwrap_or("");
        let Some(store) = pbs.stores.iter().find(|s| s.name == store_name) else {
            return Err(error(
                500,
                &format!("proxmox-backup-client failed: Error: no such datastore '{store_name}'"),
            ));
        };
        if !store.mounted {
            return Err(error(
                500,
                &format!(
                    "proxmox-backup-client failed: Error: datastore '{store_name}' is not mounted"
                ),
            ));
        }
        let mut items: Vec<(String, Box<RawValue>)> = Vec::new();
        for s in store.snaps.iter().filter(|s| s.ns == storage.namespace) {
            let Ok(id) = s.id.parse::<u32>() else {
                continue;
            };
            if s.ty == "host" || vmid.is_some_and(|v| v != id) {
                continue;
            }
            let volid = format!("{sid}:backup/{}/{}/{}", s.ty, s.id, rfc3339(s.time));
            // PVE writes `size` (1 when PBS sent none) in this position.
            #[derive(Serialize)]
            struct Item<'a> {
                volid: &'a str,
                format: &'a str,
                size: u64,
                content: &'static str,
                vmid: u32,
                ctime: i64,
                subtype: &'static str,
                #[serde(skip_serializing_if = "Option::is_none")]
                verification: Option<Verification<'a>>,
                #[serde(skip_serializing_if = "Option::is_none")]
                notes: Option<&'a str>,
                #[serde(skip_serializing_if = "Option::is_none")]
                protected: Option<u8>,
            }
            let item =
                Item {
                    volid: &volid,
                    format: if s.ty == "vm" { "pbs-vm" } else { "pbs-ct" },
                    size: s.size.unwrap_or(1),
                    content: "backup",
                    vmid: id,
                    ctime: s.time,
                    subtype: if s.ty == "vm" { "qemu" } else { "lxc" },
                    verification: s.verification.as_ref().filter(|_| s.finished()).map(
                        |(u, ok)| Verification {
                            upid: u,
                            state: if *ok { "ok" } else { "failed" },
                        },
                    ),
                    notes: if s.finished() {
                        s.comment.as_deref()
                    } else {
                        None
                    },
                    protected: s.protected.then_some(1),
                };
            if let Ok(raw) = serde_json::value::to_raw_value(&item) {
                items.push((volid.to_lowercase(), raw));
            }
        }
        items.sort_by(|a, b| a.0.cmp(&b.0));
        return Ok(ok(items.into_iter().map(|(_, v)| v).collect::<Vec<_>>()));
    }
    let mut items: Vec<DirItem> = w
        .archives
        .get(sid)
        .map(|v| {
            v.iter()
                .filter(|a| vmid.is_none_or(|x| x == a.vmid))
                .map(|a| DirItem {
                    volid: format!("{sid}:backup/{}", a.file),
                    format: a.format,
                    ctime: a.ctime,
                    subtype: a.subtype,
                    vmid: a.vmid,
                    size: a.size,
                    content: "backup",
                    notes: a.notes.as_deref(),
                })
                .collect()
        })
        .unwrap_or_default();
    items.sort_by_key(|a| a.volid.to_lowercase());
    Ok(ok(items))
}

/// Whether a job covers a guest (re-exported for tests).
pub fn covers(
    job: &crate::scenario::BackupJob,
    guest: &crate::scenario::Guest,
    node: &str,
) -> bool {
    job_selects(job, guest, node)
}
