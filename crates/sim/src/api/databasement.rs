//! Databasement (Laravel 13 + Sanctum): `/api/v1/…` with Laravel's paginator envelope.
//!
//! `per_page` defaults to 15 and is capped at 100; `links` and `meta.links` carry
//! `path?page=N` only (filters and `per_page` are dropped, no `withQueryString()`);
//! filters and sorts follow spatie/laravel-query-builder and reject unknown names with 400.
//! Without a token the answer is JSON 401 only for clients that expect JSON, else a 302 to
//! `/login`.

use serde::Serialize;

use super::{Env, Request, Response, json};
use crate::util::{human_duration_ms, human_size, iso_micros};
use crate::world::databasement::{DbWorld, JobRow, ServerRow, Status};

const CT: &str = "application/json";

fn message(status: u16, text: &str) -> Response {
    #[derive(Serialize)]
    struct M<'a> {
        message: &'a str,
    }
    Response::new(status, Some(CT), json(&M { message: text }))
        .with_header("cache-control", "no-cache, private")
}

/// Laravel's `expectsJson()`: the first acceptable type is JSON, or an XHR that accepts
/// anything.
pub fn expects_json(req: &Request) -> bool {
    let accept = req.header("accept").unwrap_or("");
    let first = accept
        .split(',')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let wants_json = first.contains("/json") || first.contains("+json");
    let ajax = req
        .header("x-requested-with")
        .is_some_and(|v| v.eq_ignore_ascii_case("XMLHttpRequest"));
    let accepts_any = accept.is_empty() || first.starts_with("*/*") || first == "*";
    wants_json || (ajax && accepts_any)
}

fn base_url(w: &DbWorld, req: &Request) -> String {
    let host = req
        .header("x-forwarded-host")
        .map(|h| h.split(',').next().unwrap_or(h).trim().to_owned())
        .or_else(|| req.header("host").map(str::to_owned))
        .unwrap_or_else(|| w.host.clone());
    let scheme = req
        .header("x-forwarded-proto")
        .map(|p| p.split(',').next().unwrap_or(p).trim().to_owned())
        .unwrap_or_else(|| "http".to_owned());
    format!("{scheme}://{host}")
}

/// The 401 a Laravel API gives a request without (valid) Sanctum token.
pub fn unauthorized(w: &DbWorld, req: &Request) -> Response {
    if expects_json(req) {
        message(401, "Unauthenticated.")
    } else {
        let to = format!("{}/login", base_url(w, req));
        let body = format!(
            "<!DOCTYPE html>\n<html>\n    <head>\n        <meta charset=\"UTF-8\" />\n        <meta http-equiv=\"refresh\" content=\"0;url='{to}'\" />\n\n        <title>Redirecting to {to}</title>\n    </head>\n    <body>\n        Redirecting to <a href=\"{to}\">{to}</a>.\n    </body>\n</html>"
        );
        Response::new(302, Some("text/html; charset=utf-8"), body)
            .with_header("location", &to)
            .with_header("cache-control", "no-cache, private")
    }
}

/// `Authorization: Bearer <token>` exactly as issued.
pub fn authenticated(env: &Env, req: &Request) -> bool {
    req.header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|t| t.trim() == env.credentials.databasement)
}

#[derive(Serialize)]
struct Links {
    first: String,
    last: String,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Serialize)]
struct PageLink {
    url: Option<String>,
    label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<Option<usize>>,
    active: bool,
}

#[derive(Serialize)]
struct Meta {
    current_page: usize,
    from: Option<usize>,
    last_page: usize,
    links: Vec<PageLink>,
    path: String,
    per_page: usize,
    to: Option<usize>,
    total: usize,
}

#[derive(Serialize)]
struct Page<T> {
    data: Vec<T>,
    links: Links,
    meta: Meta,
}

/// Laravel's `UrlWindow` with `onEachSide = 3`.
fn window(current: usize, last: usize) -> Vec<Option<Vec<usize>>> {
    let on_each_side = 3;
    if last < on_each_side * 2 + 8 {
        return vec![Some((1..=last).collect())];
    }
    let window = on_each_side + 4;
    let start = Some(vec![1, 2]);
    let finish = Some(vec![last - 1, last]);
    if current <= window {
        vec![Some((1..=window + on_each_side).collect()), None, finish]
    } else if current > last - window {
        vec![
            start,
            None,
            Some((last - (window + on_each_side - 1)..=last).collect()),
        ]
    } else {
        vec![
            start,
            None,
            Some((current - on_each_side..=current + on_each_side).collect()),
            None,
            finish,
        ]
    }
}

fn paginate<T: Serialize>(all: Vec<T>, page: usize, per_page: usize, path: &str) -> Response {
    let total = all.len();
    let last_page = total.div_ceil(per_page).max(1);
    let url = |p: usize| format!("{path}?page={p}");
    let offset = (page - 1).saturating_mul(per_page);
    let data: Vec<T> = all.into_iter().skip(offset).take(per_page).collect();
    let (from, to) = if data.is_empty() {
        (None, None)
    } else {
        (Some(offset + 1), Some(offset + data.len()))
    };
    let has_more = page < last_page;
    let mut links = vec![PageLink {
        url: (page > 1).then(|| url(page - 1)),
        label: "&laquo; Previous".into(),
        page: Some((page > 1).then(|| page - 1)),
        active: false,
    }];
    for part in window(page, last_page) {
        match part {
            Some(pages) => links.extend(pages.into_iter().map(|p| PageLink {
                url: Some(url(p)),
                label: p.to_string(),
                page: Some(Some(p)),
                active: p == page,
            })),
            None => links.push(PageLink {
                url: None,
                label: "...".into(),
                page: None,
                active: false,
            }),
        }
    }
    links.push(PageLink {
        url: has_more.then(|| url(page + 1)),
        label: "Next &raquo;".into(),
        page: Some(has_more.then(|| page + 1)),
        active: false,
    });
    let body = Page {
        data,
        links: Links {
            first: url(1),
            last: url(last_page),
            prev: (page > 1).then(|| url(page - 1)),
            next: has_more.then(|| url(page + 1)),
        },
        meta: Meta {
            current_page: page,
            from,
            last_page,
            links,
            path: path.to_owned(),
            per_page,
            to,
            total,
        },
    };
    Response::new(200, Some(CT), json(&body)).with_header("cache-control", "no-cache, private")
}

#[derive(Serialize)]
struct IdName<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct SshTunnel {
    enabled: bool,
}

#[derive(Serialize)]
struct MetaServer<'a> {
    host: &'a str,
    port: u16,
    username: &'a str,
    database_name: &'a str,
    ssh_tunnel: SshTunnel,
}

#[derive(Serialize)]
struct VolumeConfig<'a> {
    path: &'a str,
}

#[derive(Serialize)]
struct MetaVolume<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    config: VolumeConfig<'a>,
}

#[derive(Serialize)]
struct Metadata<'a> {
    database_server: MetaServer<'a>,
    volume: MetaVolume<'a>,
    #[serde(flatten)]
    extra: std::collections::BTreeMap<&'a str, &'a str>,
}

fn metadata<'a>(w: &'a DbWorld, j: &'a JobRow) -> Metadata<'a> {
    let server = &w.servers[j.server];
    let volume = j
        .backup
        .and_then(|b| server.backups.get(b))
        .and_then(|b| w.volumes.get(b.volume));
    Metadata {
        database_server: MetaServer {
            host: &server.cfg.host,
            port: server.cfg.port,
            username: &server.cfg.username,
            database_name: &j.database,
            ssh_tunnel: SshTunnel { enabled: false },
        },
        volume: MetaVolume {
            kind: volume.map(|v| v.kind.as_str()).unwrap_or("local"),
            config: VolumeConfig {
                path: volume.map(|v| v.path.as_str()).unwrap_or("/backups"),
            },
        },
        extra: server
            .cfg
            .extra_config
            .iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
    }
}

#[derive(Serialize)]
struct JobRef<'a> {
    id: &'a str,
    status: &'static str,
    duration: Option<String>,
}

#[derive(Serialize)]
struct SnapshotResource<'a> {
    id: &'a str,
    database_name: &'a str,
    database_type: &'a str,
    metadata: Metadata<'a>,
    filename: &'a str,
    file_size: u64,
    file_size_human: String,
    checksum: Option<&'a str>,
    compression_type: &'a str,
    method: &'static str,
    started_at: String,
    created_at: String,
    updated_at: String,
    server: IdName<'a>,
    volume: Option<VolumeRef<'a>>,
    triggered_by: Option<()>,
    job: JobRef<'a>,
}

#[derive(Serialize)]
struct VolumeRef<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
}

fn updated(j: &JobRow) -> i64 {
    j.completed.or(j.started).unwrap_or(j.created)
}

fn snapshot_resource<'a>(w: &'a DbWorld, j: &'a JobRow) -> Option<SnapshotResource<'a>> {
    let snap = j.snapshot.as_ref()?;
    let server = &w.servers[j.server];
    let backup = j.backup.and_then(|b| server.backups.get(b))?;
    let volume = w.volumes.get(backup.volume);
    Some(SnapshotResource {
        id: &snap.id,
        database_name: &j.database,
        database_type: &server.cfg.kind,
        metadata: metadata(w, j),
        filename: &snap.filename,
        file_size: snap.file_size,
        file_size_human: human_size(snap.file_size),
        checksum: snap.checksum.as_deref(),
        compression_type: &backup.cfg.compression,
        method: "scheduled",
        started_at: iso_micros(j.created),
        created_at: iso_micros(j.created),
        updated_at: iso_micros(if j.status == Status::Completed {
            updated(j)
        } else {
            j.created
        }),
        server: IdName {
            id: &server.id,
            name: &server.cfg.name,
        },
        volume: volume.map(|v| VolumeRef {
            id: &v.id,
            name: &v.name,
            kind: &v.kind,
        }),
        triggered_by: None,
        job: JobRef {
            id: &j.id,
            status: j.status.key(),
            duration: j.duration_ms.map(human_duration_ms),
        },
    })
}

#[derive(Serialize)]
struct JobSnapshot<'a> {
    id: &'a str,
    metadata: Metadata<'a>,
    database_name: &'a str,
    database_type: &'a str,
    server: IdName<'a>,
    triggered_by: Option<()>,
}

#[derive(Serialize)]
struct JobRestore<'a> {
    id: &'a str,
    schema_name: &'a str,
    target_server: IdName<'a>,
    triggered_by: Option<User>,
}

/// The user who started a manual run (restore tests are started by hand).
#[derive(Serialize)]
struct User {
    id: u32,
    name: &'static str,
}

#[derive(Serialize)]
struct JobResource<'a> {
    id: &'a str,
    job_id: Option<&'a str>,
    status: &'static str,
    started_at: Option<String>,
    completed_at: Option<String>,
    duration: Option<String>,
    error_message: Option<&'a str>,
    created_at: String,
    updated_at: String,
    #[serde(rename = "type")]
    kind: Option<&'static str>,
    snapshot: Option<JobSnapshot<'a>>,
    restore: Option<JobRestore<'a>>,
}

fn job_resource<'a>(w: &'a DbWorld, j: &'a JobRow) -> JobResource<'a> {
    let server = &w.servers[j.server];
    JobResource {
        id: &j.id,
        job_id: j.queue_id.as_deref(),
        status: j.status.key(),
        started_at: j.started.map(iso_micros),
        completed_at: j.completed.map(iso_micros),
        duration: j.duration_ms.map(human_duration_ms),
        error_message: j.error.as_deref(),
        created_at: iso_micros(j.created),
        updated_at: iso_micros(updated(j)),
        kind: j.snapshot.is_some().then_some("backup"),
        snapshot: j.snapshot.as_ref().map(|s| JobSnapshot {
            id: &s.id,
            metadata: metadata(w, j),
            database_name: &j.database,
            database_type: &server.cfg.kind,
            server: IdName {
                id: &server.id,
                name: &server.cfg.name,
            },
            triggered_by: None,
        }),
        restore: j.restore.as_ref().map(|(id, schema)| JobRestore {
            id,
            schema_name: schema,
            target_server: IdName {
                id: &server.id,
                name: &server.cfg.name,
            },
            triggered_by: Some(User {
                id: 1,
                name: "admin",
            }),
        }),
    }
}

#[derive(Serialize)]
struct ScheduleRef<'a> {
    id: &'a str,
    name: &'a str,
    expression: &'a str,
}

#[derive(Serialize)]
struct BackupResource<'a> {
    id: &'a str,
    backup_schedule_id: &'a str,
    backup_schedule: ScheduleRef<'a>,
    volume_id: &'a str,
    path: Option<&'a str>,
    retention_policy: &'a str,
    retention_days: Option<u32>,
    gfs_keep_daily: Option<u32>,
    gfs_keep_weekly: Option<u32>,
    gfs_keep_monthly: Option<u32>,
    database_selection_mode: &'a str,
    database_names: Option<&'a [String]>,
    database_include_pattern: Option<&'a str>,
}

#[derive(Serialize)]
struct ServerResource<'a> {
    id: &'a str,
    name: &'a str,
    host: &'a str,
    port: u16,
    database_type: &'a str,
    description: Option<&'a str>,
    backups_enabled: bool,
    ssh_config_id: Option<()>,
    agent_id: Option<()>,
    extra_config: Option<&'a std::collections::BTreeMap<String, String>>,
    managed_by: Option<()>,
    created_at: String,
    updated_at: String,
    backups: Vec<BackupResource<'a>>,
}

fn server_resource<'a>(w: &'a DbWorld, s: &'a ServerRow) -> ServerResource<'a> {
    ServerResource {
        id: &s.id,
        name: &s.cfg.name,
        host: &s.cfg.host,
        port: s.cfg.port,
        database_type: &s.cfg.kind,
        description: s.cfg.description.as_deref(),
        backups_enabled: s.cfg.backups_enabled,
        ssh_config_id: None,
        agent_id: None,
        extra_config: s.cfg.extra_config.as_ref(),
        managed_by: None,
        created_at: iso_micros(s.created),
        updated_at: iso_micros(s.created),
        backups: s
            .backups
            .iter()
            .map(|b| {
                let sched = &w.schedules[b.schedule.min(w.schedules.len().saturating_sub(1))];
                BackupResource {
                    id: &b.id,
                    backup_schedule_id: &sched.id,
                    backup_schedule: ScheduleRef {
                        id: &sched.id,
                        name: &sched.name,
                        expression: &sched.expression,
                    },
                    volume_id: w.volumes.get(b.volume).map(|v| v.id.as_str()).unwrap_or(""),
                    path: b.cfg.path.as_deref(),
                    retention_policy: &b.cfg.retention,
                    retention_days: (b.cfg.retention == "days")
                        .then_some(b.cfg.retention_days.unwrap_or(14)),
                    gfs_keep_daily: b.cfg.gfs_keep_daily,
                    gfs_keep_weekly: b.cfg.gfs_keep_weekly,
                    gfs_keep_monthly: b.cfg.gfs_keep_monthly,
                    database_selection_mode: &b.cfg.selection,
                    database_names: (b.cfg.selection == "selected").then_some(&b.cfg.databases[..]),
                    database_include_pattern: b.cfg.pattern.as_deref(),
                }
            })
            .collect(),
    }
}

/// Query-builder style options of an index request.
struct Query {
    page: usize,
    per_page: usize,
    filters: Vec<(String, String)>,
    sort: Option<String>,
}

fn query(
    req: &Request,
    allowed_filters: &[&str],
    allowed_sorts: &[&str],
) -> Result<Query, Response> {
    let pairs = req.query_pairs();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let page = get("page")
        .and_then(|p| p.trim().parse::<i64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1) as usize;
    let per_page = get("per_page")
        .map(|p| p.trim().parse::<i64>().unwrap_or(0))
        .map(|p| if p <= 0 { 15 } else { p.min(100) })
        .unwrap_or(15) as usize;
    let mut filters = Vec::new();
    let mut unknown = Vec::new();
    for (k, v) in &pairs {
        if let Some(name) = k.strip_prefix("filter[").and_then(|r| r.strip_suffix(']')) {
            if allowed_filters.contains(&name) {
                filters.push((name.to_owned(), v.clone()));
            } else {
                unknown.push(name.to_owned());
            }
        }
    }
    if !unknown.is_empty() {
        return Err(message(
            400,
            &format!(
                "Requested filter(s) `{}` are not allowed. Allowed filter(s) are `{}`.",
                unknown.join(", "),
                allowed_filters.join(", ")
            ),
        ));
    }
    let sort = get("sort").map(str::to_owned);
    if let Some(s) = &sort {
        for part in s.split(',') {
            let name = part.trim_start_matches('-');
            if !allowed_sorts.contains(&name) {
                return Err(message(
                    400,
                    &format!(
                        "Requested sort(s) `{name}` is not allowed. Allowed sort(s) are `{}`.",
                        allowed_sorts.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(Query {
        page,
        per_page,
        filters,
        sort,
    })
}

fn partial(haystack: &str, needle: &str) -> bool {
    needle
        .split(',')
        .any(|n| haystack.to_lowercase().contains(&n.trim().to_lowercase()))
}

fn exact(value: &str, wanted: &str) -> bool {
    wanted.split(',').any(|w| w.trim() == value)
}

/// Handles a request to the Databasement listener.
pub fn handle(w: &DbWorld, env: &Env, req: &Request) -> Response {
    let path = req.path.trim_end_matches('/');
    match path {
        "/health" => return Response::new(200, Some(CT), "{\"success\":true}"),
        "/login" => {
            return Response::new(
                200,
                Some("text/html; charset=UTF-8"),
                "<!DOCTYPE html><html><head><title>Databasement</title></head><body><form method=\"POST\" action=\"/login\"><input name=\"email\"><input name=\"password\" type=\"password\"></form></body></html>",
            );
        }
        _ => {}
    }
    let Some(rest) = path.strip_prefix("/api/") else {
        return Response::new(
            404,
            Some("text/html; charset=UTF-8"),
            "<!DOCTYPE html><html><head><title>Not Found</title></head><body>404 | Not Found</body></html>",
        );
    };
    if !authenticated(env, req) {
        return unauthorized(w, req);
    }
    let org = req
        .query_pairs()
        .into_iter()
        .find(|(k, _)| k == "org_id")
        .map(|(_, v)| v)
        .or_else(|| req.header("x-organization-id").map(str::to_owned));
    if org.is_some_and(|o| o != w.organization) {
        return message(403, "The requested organization is not accessible.");
    }
    let segs: Vec<&str> = rest.split('/').collect();
    if req.method != "GET" && req.method != "HEAD" {
        return message(
            405,
            &format!(
                "The {} method is not supported for route api/{rest}. Supported methods: GET, HEAD.",
                req.method
            ),
        );
    }
    let list_path = format!("{}/api/{rest}", base_url(w, req));
    let not_found_model = |model: &str, id: &str| {
        message(
            404,
            &format!("No query results for model [App\\Models\\{model}] {id}"),
        )
    };
    let result = (|| -> Result<Response, Response> {
        match segs.as_slice() {
            ["v1", "snapshots"] => {
                let q = query(
                    req,
                    &[
                        "database_server_id",
                        "database_name",
                        "database_type",
                        "method",
                        "status",
                        "search",
                    ],
                    &["started_at", "created_at", "file_size", "database_name"],
                )?;
                let mut rows: Vec<&JobRow> = w
                    .jobs
                    .iter()
                    .filter(|j| j.snapshot.as_ref().is_some_and(|s| s.exists))
                    .filter(|j| {
                        let server = &w.servers[j.server];
                        let snap = j.snapshot.as_ref();
                        q.filters.iter().all(|(k, v)| match k.as_str() {
                            "database_server_id" => exact(&server.id, v),
                            "database_name" => partial(&j.database, v),
                            "database_type" => exact(&server.cfg.kind, v),
                            "method" => exact("scheduled", v),
                            "status" => exact(j.status.key(), v),
                            "search" => {
                                partial(&j.database, v)
                                    || partial(&server.cfg.name, v)
                                    || snap.is_some_and(|s| partial(&s.filename, v))
                            }
                            _ => true,
                        })
                    })
                    .collect();
                let sort = q.sort.clone().unwrap_or_else(|| "-started_at".into());
                sort_rows(&mut rows, &sort);
                let items: Vec<SnapshotResource> = rows
                    .into_iter()
                    .filter_map(|j| snapshot_resource(w, j))
                    .collect();
                Ok(paginate(items, q.page, q.per_page, &list_path))
            }
            ["v1", "snapshots", id] => w
                .jobs
                .iter()
                .find(|j| j.snapshot.as_ref().is_some_and(|s| s.exists && s.id == *id))
                .and_then(|j| snapshot_resource(w, j))
                .map(|s| Response::new(200, Some(CT), json(&Data { data: s })))
                .ok_or_else(|| not_found_model("Snapshot", id)),
            ["v1", "jobs"] => {
                let q = query(
                    req,
                    &["status", "type", "search"],
                    &["created_at", "started_at", "completed_at", "status"],
                )?;
                let mut rows: Vec<&JobRow> = w
                    .jobs
                    .iter()
                    .filter(|j| {
                        q.filters.iter().all(|(k, v)| match k.as_str() {
                            "status" => exact(j.status.key(), v),
                            "type" => exact(
                                if j.snapshot.is_some() {
                                    "backup"
                                } else {
                                    "restore"
                                },
                                v,
                            ),
                            "search" => {
                                partial(&j.database, v) || partial(&w.servers[j.server].cfg.name, v)
                            }
                            _ => true,
                        })
                    })
                    .collect();
                let sort = q.sort.clone().unwrap_or_else(|| "-created_at".into());
                sort_rows(&mut rows, &sort);
                let items: Vec<JobResource> =
                    rows.into_iter().map(|j| job_resource(w, j)).collect();
                Ok(paginate(items, q.page, q.per_page, &list_path))
            }
            ["v1", "jobs", id] => w
                .jobs
                .iter()
                .find(|j| j.id == *id)
                .map(|j| {
                    Response::new(
                        200,
                        Some(CT),
                        json(&Data {
                            data: job_resource(w, j),
                        }),
                    )
                })
                .ok_or_else(|| not_found_model("BackupJob", id)),
            ["v1", "database-servers"] => {
                let q = query(
                    req,
                    &["name", "host", "database_type", "description", "managed_by"],
                    &["name", "created_at"],
                )?;
                let mut rows: Vec<&ServerRow> = w
                    .servers
                    .iter()
                    .filter(|s| {
                        q.filters.iter().all(|(k, v)| match k.as_str() {
                            "name" => partial(&s.cfg.name, v),
                            "host" => partial(&s.cfg.host, v),
                            "database_type" => exact(&s.cfg.kind, v),
                            "description" => {
                                s.cfg.description.as_deref().is_some_and(|d| partial(d, v))
                            }
                            "managed_by" => false,
                            _ => true,
                        })
                    })
                    .collect();
                match q.sort.as_deref() {
                    Some("name") => rows.sort_by(|a, b| a.cfg.name.cmp(&b.cfg.name)),
                    Some("-name") => rows.sort_by(|a, b| b.cfg.name.cmp(&a.cfg.name)),
                    Some("created_at") => rows.sort_by_key(|s| (s.created, s.id.clone())),
                    _ => rows.sort_by(|a, b| b.created.cmp(&a.created).then(b.id.cmp(&a.id))),
                }
                let items: Vec<ServerResource> =
                    rows.into_iter().map(|s| server_resource(w, s)).collect();
                Ok(paginate(items, q.page, q.per_page, &list_path))
            }
            ["v1", "database-servers", id] => w
                .servers
                .iter()
                .find(|s| s.id == *id)
                .map(|s| {
                    Response::new(
                        200,
                        Some(CT),
                        json(&Data {
                            data: server_resource(w, s),
                        }),
                    )
                })
                .ok_or_else(|| not_found_model("DatabaseServer", id)),
            ["v1", "backup-schedules"] => {
                let q = query(req, &["name"], &["name"])?;
                #[derive(Serialize)]
                struct S<'a> {
                    id: &'a str,
                    name: &'a str,
                    expression: &'a str,
                    created_at: String,
                    updated_at: String,
                }
                let items: Vec<S> = w
                    .schedules
                    .iter()
                    .filter(|s| q.filters.iter().all(|(_, v)| partial(&s.name, v)))
                    .map(|s| S {
                        id: &s.id,
                        name: &s.name,
                        expression: &s.expression,
                        created_at: iso_micros(s.created),
                        updated_at: iso_micros(s.created),
                    })
                    .collect();
                Ok(paginate(items, q.page, q.per_page, &list_path))
            }
            ["v1", "volumes"] => {
                let q = query(req, &["name", "type"], &["name"])?;
                #[derive(Serialize)]
                struct V<'a> {
                    id: &'a str,
                    name: &'a str,
                    #[serde(rename = "type")]
                    kind: &'a str,
                    config: VolumeConfig<'a>,
                    created_at: String,
                    updated_at: String,
                }
                let items: Vec<V> = w
                    .volumes
                    .iter()
                    .filter(|v| {
                        q.filters.iter().all(|(k, val)| match k.as_str() {
                            "name" => partial(&v.name, val),
                            "type" => exact(&v.kind, val),
                            _ => true,
                        })
                    })
                    .map(|v| V {
                        id: &v.id,
                        name: &v.name,
                        kind: &v.kind,
                        config: VolumeConfig { path: &v.path },
                        created_at: iso_micros(v.created),
                        updated_at: iso_micros(v.created),
                    })
                    .collect();
                Ok(paginate(items, q.page, q.per_page, &list_path))
            }
            ["v1", "user", "organizations"] => {
                #[derive(Serialize)]
                struct O<'a> {
                    id: &'a str,
                    name: &'static str,
                    is_default: bool,
                    role: &'static str,
                }
                Ok(Response::new(
                    200,
                    Some(CT),
                    json(&Data {
                        data: vec![O {
                            id: &w.organization,
                            name: "Default",
                            is_default: true,
                            role: "viewer",
                        }],
                    }),
                ))
            }
            _ => Err(message(
                404,
                &format!("The route api/{rest} could not be found."),
            )),
        }
    })();
    match result {
        Ok(r) | Err(r) => r,
    }
}

#[derive(Serialize)]
struct Data<T> {
    data: T,
}

fn sort_rows(rows: &mut [&JobRow], sort: &str) {
    let desc = sort.starts_with('-');
    let key = sort.trim_start_matches('-').split(',').next().unwrap_or("");
    rows.sort_by(|a, b| {
        let ord = match key {
            "started_at" | "created_at" => a.created.cmp(&b.created),
            "completed_at" => a.completed.cmp(&b.completed),
            "status" => a.status.key().cmp(b.status.key()),
            "file_size" => a
                .snapshot
                .as_ref()
                .map(|s| s.file_size)
                .cmp(&b.snapshot.as_ref().map(|s| s.file_size)),
            "database_name" => a.database.cmp(&b.database),
            _ => std::cmp::Ordering::Equal,
        }
        .then_with(|| a.id.cmp(&b.id));
        if desc { ord.reverse() } else { ord }
    });
}
