//! The read-only gate: the real Caddy running `Caddyfile.example` in front of upstreams
//! that record exactly what they receive (`RecordingUpstreams`). A table of hostile requests
//! (every method on every prefix, paths outside the allow-list, encoded and doubled
//! slashes, case, overlong paths, browser-sent credentials and forwarding headers, Host
//! spoofing, Backrest's dangerous RPCs), each checked for its status, its security headers,
//! and for what the upstream received: the token from the file (never the browser's), no
//! cookie, no forwarding or override header, the exact path. Plus: no token byte in any
//! response, built asset, served file or adapted config; rotation without reload; TLS
//! pinning failures; the IP allow-list.
//!
//! The table is written to `target/security-gate-table.md`; `docs/security.md` carries it
//! and a test checks that every case is listed there.
#![cfg(not(target_arch = "wasm32"))]

mod security_common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

use backwatch_harness::caddy::{Caddy, CaddyOptions, Received, RecordingUpstreams};
use backwatch_harness::paths::{dist_dir, path_with_tools, repo_root, target_dir, which};
use security_common::{Request, Response, find, header_problems, send};

const GLANCE: &str = "https://glance.home.lan";

/// Token file contents per source (what Vault Agent would render).
const TOKENS: &[(&str, &str)] = &[
    ("pbs", "glance@pbs!backwatch:9f1c2e7a-pbs-secret-5b1d"),
    ("pve", "glance@pve!backwatch=3c8d4b21-pve-secret-77aa"),
    (
        "databasement",
        "17|dbsecretQx81LmNvZkR0aWdyYXBoZXIxMjM0NTY3ODkw",
    ),
    // base64("backwatch:br-secret-Zq7")
    ("backrest", "YmFja3dhdGNoOmJyLXNlY3JldC1acTc="),
];

/// Byte strings that must never reach a browser.
const SECRETS: &[&str] = &[
    "9f1c2e7a-pbs-secret-5b1d",
    "3c8d4b21-pve-secret-77aa",
    "dbsecretQx81LmNvZkR0aWdyYXBoZXIxMjM0NTY3ODkw",
    "YmFja3dhdGNoOmJyLXNlY3JldC1acTc=",
    "br-secret-Zq7",
];

/// The Authorization header each source must receive for a token file content.
fn authorization(kind: &str, token: &str) -> String {
    match kind {
        "pbs" => format!("PBSAPIToken={token}"),
        "pve" => format!("PVEAPIToken={token}"),
        "databasement" => format!("Bearer {token}"),
        "backrest" => format!("Basic {token}"),
        _ => unreachable!(),
    }
}

fn token(kind: &str) -> &'static str {
    TOKENS.iter().find(|(k, _)| *k == kind).unwrap().1
}

/// Headers a hostile page or client adds to every request of the table.
const HOSTILE_HEADERS: &[(&str, &str)] = &[
    ("Authorization", "Bearer browser-sent-evil"),
    (
        "Cookie",
        "PBSAuthCookie=browser; __Host-PBSAuthCookie=browser; PVEAuthCookie=browser; laravel_session=browser",
    ),
    ("Proxy-Authorization", "Basic ZXZpbDpldmls"),
    ("CSRFPreventionToken", "browser"),
    ("X-HTTP-Method-Override", "DELETE"),
    ("X-HTTP-Method", "DELETE"),
    ("X-Method-Override", "DELETE"),
    ("X-Original-URL", "/api2/json/access/ticket"),
    ("X-Rewrite-URL", "/api2/json/access/ticket"),
    ("Forwarded", "for=6.6.6.6;host=evil.example;proto=https"),
    ("X-Forwarded-Host", "evil.example"),
    ("X-Forwarded-For", "6.6.6.6"),
    ("X-Forwarded-Prefix", "/evil"),
    ("X-Real-IP", "6.6.6.6"),
];

/// Headers the upstream must never see (whatever the browser sent).
const NEVER_UPSTREAM: &[&str] = &[
    "Cookie",
    "Proxy-Authorization",
    "CSRFPreventionToken",
    "X-HTTP-Method-Override",
    "X-HTTP-Method",
    "X-Method-Override",
    "X-Original-URL",
    "X-Rewrite-URL",
    "Forwarded",
    "X-Forwarded-Host",
    "X-Forwarded-Prefix",
    "X-Real-IP",
];

#[derive(Clone, Debug)]
enum Expect {
    /// Forwarded to `source` as `uri`; the upstream's 200 reaches the client.
    Forward { source: &'static str, uri: String },
    /// Answered by the gate with this status; nothing forwarded.
    Block {
        status: u16,
        allow: Option<&'static str>,
    },
    /// Refused by Go's HTTP server before any handler (no security headers possible).
    Refused { status: u16 },
    /// Not this site (Host mismatch): nothing forwarded, nothing served.
    NotRouted,
}

struct Case {
    id: String,
    category: &'static str,
    note: &'static str,
    req: Request,
    expect: Expect,
}

const PBS: &str = "/api/pbs/api2/json";
const PVE: &str = "/api/pve/api2/json";
const DB: &str = "/api/db/api/v1";
const BR: &str = "/api/backrest/v1.Backrest";
const SELECTOR: &[u8] = br#"{"selector":{"planId":"photos"},"lastN":"20"}"#;

fn get(target: &str) -> Request {
    Request::new("GET", target)
}

fn post_json(target: &str, body: &[u8]) -> Request {
    Request::new("POST", target)
        .header("Content-Type", "application/json")
        .body(body)
}

fn fwd(source: &'static str, uri: &str) -> Expect {
    Expect::Forward {
        source,
        uri: uri.to_owned(),
    }
}

fn block(status: u16) -> Expect {
    Expect::Block {
        status,
        allow: None,
    }
}

fn not_allowed(allow: &'static str) -> Expect {
    Expect::Block {
        status: 405,
        allow: Some(allow),
    }
}

fn cases() -> Vec<Case> {
    let mut v: Vec<Case> = Vec::new();
    let mut add = |category: &'static str, note: &'static str, req: Request, expect: Expect| {
        let id = format!("{:02}", v.len() + 1);
        v.push(Case {
            id,
            category,
            note,
            req,
            expect,
        });
    };

    // --- What backwatch itself sends: forwarded, with every hostile header stripped. ---
    let allowed = "allowed path (hostile headers stripped, token injected)";
    for (path, uri) in [
        ("/version", "/api2/json/version"),
        (
            "/admin/datastore/store1/groups?ns=lab",
            "/api2/json/admin/datastore/store1/groups?ns=lab",
        ),
        (
            "/admin/datastore/store1/snapshots?ns=lab&backup-type=vm&backup-id=100",
            "/api2/json/admin/datastore/store1/snapshots?ns=lab&backup-type=vm&backup-id=100",
        ),
        (
            "/nodes/localhost/tasks?errors=1&since=1767225600",
            "/api2/json/nodes/localhost/tasks?errors=1&since=1767225600",
        ),
        (
            "/admin/sync?sync-direction=all",
            "/api2/json/admin/sync?sync-direction=all",
        ),
        ("/tape/backup", "/api2/json/tape/backup"),
    ] {
        add(
            allowed,
            "PBS",
            get(&format!("{PBS}{path}")),
            fwd("pbs", uri),
        );
    }
    for (path, uri) in [
        ("/cluster/backup", "/api2/json/cluster/backup"),
        (
            "/nodes/pve1/storage/pbs-store1/content?content=backup",
            "/api2/json/nodes/pve1/storage/pbs-store1/content?content=backup",
        ),
    ] {
        add(
            allowed,
            "PVE",
            get(&format!("{PVE}{path}")),
            fwd("pve", uri),
        );
    }
    add(
        allowed,
        "Databasement; Accept forced to JSON",
        get(&format!("{DB}/snapshots?per_page=100&sort=-started_at")),
        fwd(
            "databasement",
            "/api/v1/snapshots?per_page=100&sort=-started_at",
        ),
    );
    add(
        allowed,
        "Databasement filter brackets",
        get(&format!(
            "{DB}/jobs?filter[status]=failed&filter[type]=backup&per_page=100"
        )),
        fwd(
            "databasement",
            "/api/v1/jobs?filter[status]=failed&filter[type]=backup&per_page=100",
        ),
    );
    add(
        allowed,
        "Backrest read-only RPC",
        post_json(&format!("{BR}/GetOperations"), SELECTOR),
        fwd("backrest", "/v1.Backrest/GetOperations"),
    );
    add(
        allowed,
        "Backrest read-only RPC",
        post_json(&format!("{BR}/GetSummaryDashboard"), b"{}"),
        fwd("backrest", "/v1.Backrest/GetSummaryDashboard"),
    );

    // --- Every other method on every prefix: 405 with Allow. ---
    let methods = "wrong method";
    for m in [
        "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND",
    ] {
        add(
            methods,
            "PBS",
            Request::new(m, &format!("{PBS}/admin/datastore/store1/snapshots")),
            not_allowed("GET"),
        );
    }
    for m in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"] {
        add(
            methods,
            "PVE",
            Request::new(m, &format!("{PVE}/cluster/backup")),
            not_allowed("GET"),
        );
    }
    for m in ["POST", "PUT", "DELETE", "PATCH", "HEAD"] {
        add(
            methods,
            "Databasement",
            Request::new(m, &format!("{DB}/database-servers")),
            not_allowed("GET"),
        );
    }
    for m in ["GET", "PUT", "DELETE", "OPTIONS", "HEAD"] {
        add(
            methods,
            "Backrest",
            Request::new(m, &format!("{BR}/GetOperations")),
            not_allowed("POST"),
        );
    }
    add(
        methods,
        "POST with X-HTTP-Method-Override: GET",
        Request::new("POST", &format!("{PBS}/version")).header("X-HTTP-Method-Override", "GET"),
        not_allowed("GET"),
    );

    // --- Paths outside the allow-list: 403, never forwarded. ---
    let paths = "path not allowed";
    for (note, path) in [
        (
            "PBS backup contents",
            "/admin/datastore/store1/download?backup-type=vm&backup-id=100&backup-time=1767225600&file-name=index.json.blob",
        ),
        (
            "PBS backup contents",
            "/admin/datastore/store1/download-decoded",
        ),
        (
            "PBS backup contents",
            "/admin/datastore/store1/pxar-file-download",
        ),
        ("PBS backup contents", "/admin/datastore/store1/catalog"),
        ("PBS file list", "/admin/datastore/store1/files"),
        ("PBS notes", "/admin/datastore/store1/notes"),
        ("PBS login", "/access/ticket"),
        ("PBS users", "/access/users"),
        (
            "PBS task log",
            "/nodes/localhost/tasks/UPID:pbs:1:2:3:4:5:6:/log",
        ),
        ("PBS remotes config", "/config/remote"),
        ("PBS trailing slash", "/version/"),
        ("PBS path parameter", "/admin/datastore/store1/groups;x=1"),
    ] {
        add(paths, note, get(&format!("{PBS}{path}")), block(403));
    }
    for (note, path) in [
        ("PVE guest config", "/nodes/pve1/qemu/100/config"),
        (
            "PVE file restore",
            "/nodes/pve1/storage/pbs-store1/file-restore/download",
        ),
        ("PVE login", "/access/ticket"),
        ("PVE one backup job", "/cluster/backup/backup-1234"),
    ] {
        add(paths, note, get(&format!("{PVE}{path}")), block(403));
    }
    for (note, path) in [
        ("Databasement one server", "/database-servers/01HXYZ"),
        ("Databasement agent", "/agent/heartbeat"),
    ] {
        add(paths, note, get(&format!("{DB}{path}")), block(403));
    }
    add(paths, "Databasement MCP", get("/api/db/mcp"), block(403));
    for (note, rpc) in [
        (
            "Backrest GetConfig (repo passwords in plain text)",
            "/v1.Backrest/GetConfig",
        ),
        ("Backrest Backup", "/v1.Backrest/Backup"),
        ("Backrest DoRepoTask", "/v1.Backrest/DoRepoTask"),
        (
            "Backrest ListSnapshots (not used)",
            "/v1.Backrest/ListSnapshots",
        ),
        ("Backrest Login", "/v1.Authentication/Login"),
        ("Backrest metrics", "/metrics"),
    ] {
        add(
            paths,
            note,
            post_json(&format!("/api/backrest{rpc}"), b"{}"),
            block(403),
        );
    }
    add(paths, "other API", get("/api/other/x"), block(403));
    add(paths, "bare prefix", get("/api/pbs"), block(403));

    // --- Encodings, dot segments, slashes, case, length. ---
    let tricks = "path tricks";
    add(
        tricks,
        "dot segments (sent verbatim)",
        get(&format!(
            "{PBS}/admin/datastore/store1/../../../access/ticket"
        )),
        block(403),
    );
    add(
        tricks,
        "dot segments after an allowed path",
        get(&format!(
            "{PBS}/admin/datastore/store1/snapshots/../download"
        )),
        block(403),
    );
    add(
        tricks,
        "%2e%2e",
        get(&format!("{PBS}/admin/datastore/store1/%2e%2e/download")),
        block(403),
    );
    add(
        tricks,
        "%2e%2e to the root",
        get(&format!("{PBS}/%2e%2e/%2e%2e/access/ticket")),
        block(403),
    );
    add(
        tricks,
        "%2F..%2F",
        get(&format!("{PBS}/admin/datastore/store1%2F..%2Fdownload")),
        block(403),
    );
    add(
        tricks,
        "%2F inside a store name (matched decoded: one segment too many)",
        get(&format!("{PBS}/admin/datastore/store1%2Fx/groups")),
        block(403),
    );
    add(
        tricks,
        "Backrest %2e%2e to GetConfig",
        post_json(&format!("{BR}/GetOperations/%2e%2e/GetConfig"), b"{}"),
        block(403),
    );
    add(
        tricks,
        "double slash after the prefix: cleaned",
        get("/api/pbs//api2/json/version"),
        fwd("pbs", "/api2/json/version"),
    );
    add(
        tricks,
        "double slash inside: merged, the upstream gets the clean allowed path",
        get(&format!("{PBS}/admin//datastore")),
        fwd("pbs", "/api2/json/admin/datastore"),
    );
    add(
        tricks,
        "upper-case prefix",
        get("/API/PBS/api2/json/version"),
        block(403),
    );
    add(
        tricks,
        "upper-case API path",
        get("/api/pbs/API2/JSON/VERSION"),
        block(403),
    );
    add(
        tricks,
        "upper-case Backrest RPC",
        post_json(&format!("{BR}/getconfig"), b"{}"),
        block(403),
    );
    add(
        tricks,
        "encoded ? in the path",
        get(&format!("{PBS}/version%3F_dc=1")),
        block(403),
    );
    add(
        tricks,
        "NUL byte",
        get(&format!("{PBS}/version%00")),
        block(403),
    );
    add(
        tricks,
        "backslash",
        get(&format!("{PBS}/admin/datastore/store1\\..\\download")),
        block(403),
    );
    add(
        tricks,
        "overlong path (8 KB)",
        get(&format!("{PBS}/{}", "a".repeat(8 * 1024))),
        block(403),
    );
    add(
        tricks,
        "overlong request line (40 KB): 431 from Go's HTTP server",
        get(&format!("{PBS}/{}", "a".repeat(40 * 1024))),
        Expect::Refused { status: 431 },
    );

    // --- Query strings: forwarded verbatim (the path decides; PBS validates parameters). ---
    let query = "query string";
    add(
        query,
        "ExtJS cache buster (PBS skips _dc)",
        get(&format!("{PBS}/version?_dc=1767225600")),
        fwd("pbs", "/api2/json/version?_dc=1767225600"),
    );
    add(
        query,
        "path-like parameter",
        get(&format!("{PBS}/admin/datastore/store1/groups?ns=../../x")),
        fwd("pbs", "/api2/json/admin/datastore/store1/groups?ns=../../x"),
    );
    add(
        query,
        "Laravel _method on a GET (ignored: only POST is overridable)",
        get(&format!("{DB}/snapshots?_method=DELETE")),
        fwd("databasement", "/api/v1/snapshots?_method=DELETE"),
    );

    // --- Host, origin, browser context. ---
    let host = "host and origin";
    add(
        host,
        "spoofed Host: not this site",
        get(&format!("{PBS}/version")).header("Host", "evil.example"),
        Expect::NotRouted,
    );
    add(
        host,
        "absolute-form request target to another host",
        get(&format!("http://evil.example{PBS}/version")),
        Expect::NotRouted,
    );
    add(
        host,
        "request from another site's page",
        get(&format!("{PBS}/version")).header("Sec-Fetch-Site", "cross-site"),
        block(403),
    );
    add(
        host,
        "request from a sibling subdomain's page",
        get(&format!("{DB}/snapshots")).header("Sec-Fetch-Site", "same-site"),
        block(403),
    );
    add(
        host,
        "cross-site Backrest POST (text/plain, no preflight)",
        Request::new("POST", &format!("{BR}/GetOperations"))
            .header("Sec-Fetch-Site", "cross-site")
            .header("Content-Type", "text/plain")
            .body(SELECTOR),
        block(403),
    );
    add(
        host,
        "the widget itself (same-origin); foreign Origin gets no CORS",
        get(&format!("{PVE}/cluster/resources?type=vm"))
            .header("Sec-Fetch-Site", "same-origin")
            .header("Origin", "https://evil.example"),
        fwd("pve", "/api2/json/cluster/resources?type=vm"),
    );

    // --- Backrest bodies. ---
    let bodies = "request body";
    add(
        bodies,
        "Backrest body of 20 KB",
        post_json(&format!("{BR}/GetOperations"), &[b' '; 20 * 1024]),
        block(413),
    );
    add(
        bodies,
        "Backrest chunked body (no length)",
        Request::new("POST", &format!("{BR}/GetOperations"))
            .header("Content-Type", "application/json")
            .header("Transfer-Encoding", "chunked")
            .body(SELECTOR),
        block(411),
    );
    add(
        bodies,
        "Backrest form-encoded body: sent as JSON (Backrest rejects it)",
        Request::new("POST", &format!("{BR}/GetOperations"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(b"selector=x"),
        fwd("backrest", "/v1.Backrest/GetOperations"),
    );
    add(
        bodies,
        "GET with a JSON body and Content-Type (PBS would read parameters from it)",
        Request::new(
            "GET",
            &format!("{PBS}/admin/datastore/store1/groups?ns=lab"),
        )
        .header("Content-Type", "application/json")
        .body(br#"{"ns":"other"}"#),
        fwd("pbs", "/api2/json/admin/datastore/store1/groups?ns=lab"),
    );
    v
}

fn start_gate(name: &str, upstreams: &RecordingUpstreams, extra: &[(&str, &str)]) -> Caddy {
    let mut options = CaddyOptions::new(name, "title = \"gate test\"\n");
    options.tokens = TOKENS
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    options.env = upstreams.env();
    options
        .env
        .insert("GLANCE_ORIGIN".to_owned(), GLANCE.to_owned());
    for (k, v) in extra {
        options.env.insert((*k).to_owned(), (*v).to_owned());
    }
    Caddy::start(options).unwrap()
}

/// Every request the upstreams received for case `id`, with the source that got it.
fn received_for(all: &BTreeMap<String, Vec<Received>>, id: &str) -> Vec<(String, Received)> {
    all.iter()
        .flat_map(|(kind, list)| {
            list.iter()
                .filter(|r| r.header("X-Case") == [id])
                .map(move |r| (kind.clone(), r.clone()))
        })
        .collect()
}

fn all_received(upstreams: &RecordingUpstreams) -> BTreeMap<String, Vec<Received>> {
    ["pbs", "pve", "databasement", "backrest"]
        .iter()
        .map(|k| ((*k).to_owned(), upstreams.received(k).unwrap()))
        .collect()
}

fn secret_in(bytes: &[u8]) -> Option<&'static str> {
    SECRETS
        .iter()
        .find(|s| find(bytes, s.as_bytes()).is_some())
        .copied()
}

fn check_upstream_request(case: &Case, kind: &str, got: &Received, port: u16) -> Vec<String> {
    let mut p = Vec::new();
    if got.method != case.req.method {
        p.push(format!("method {:?}", got.method));
    }
    if let Expect::Forward { uri, .. } = &case.expect
        && &got.uri != uri
    {
        p.push(format!("uri {:?}, expected {uri:?}", got.uri));
    }
    if got.host != format!("127.0.0.1:{port}") {
        p.push(format!("Host {:?} (not the upstream's own)", got.host));
    }
    let auth = got.header("Authorization");
    let want = authorization(kind, token(kind));
    if auth != [want.as_str()] {
        p.push(format!("Authorization {auth:?}, expected [{want:?}]"));
    }
    for h in NEVER_UPSTREAM {
        if !got.header(h).is_empty() {
            p.push(format!("{h} reached the upstream: {:?}", got.header(h)));
        }
    }
    if got.header("X-Forwarded-For") != ["127.0.0.1"] {
        p.push(format!(
            "X-Forwarded-For {:?} (a client-supplied chain was kept)",
            got.header("X-Forwarded-For")
        ));
    }
    match kind {
        "backrest" => {
            if got.header("Content-Type") != ["application/json"] {
                p.push(format!("Content-Type {:?}", got.header("Content-Type")));
            }
        }
        _ => {
            if !got.header("Content-Type").is_empty() {
                p.push(format!(
                    "Content-Type on a GET reached the upstream: {:?}",
                    got.header("Content-Type")
                ));
            }
        }
    }
    if kind == "databasement" && got.header("Accept") != ["application/json"] {
        p.push(format!("Accept {:?}", got.header("Accept")));
    }
    p
}

fn describe(req: &Request) -> String {
    let mut target = req.target.clone();
    if target.len() > 70 {
        target = format!("{}…({} bytes)", &target[..60], req.target.len());
    }
    let extra: Vec<String> = req
        .headers
        .iter()
        .filter(|(k, _)| !HOSTILE_HEADERS.iter().any(|(h, _)| h == k))
        .filter(|(k, _)| !k.eq_ignore_ascii_case("content-type") || req.method == "GET")
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    let mut s = format!("`{} {}`", req.method, target.replace('|', "\\|"));
    if !extra.is_empty() {
        s.push_str(&format!(" + `{}`", extra.join("`, `")));
    }
    if let Some(b) = &req.body {
        s.push_str(&format!(" ({} B body)", b.len()));
    }
    s
}

#[test]
fn hostile_request_table() {
    let upstreams = RecordingUpstreams::start("gate-table").unwrap();
    let gate = start_gate("gate-table", &upstreams, &[]);
    let cases = cases();
    assert!(cases.len() >= 60, "only {} cases", cases.len());

    let mut responses: Vec<Response> = Vec::new();
    for case in &cases {
        let mut req = case.req.clone();
        let extra = std::mem::take(&mut req.headers);
        for (k, v) in HOSTILE_HEADERS {
            req = req.header(k, v);
        }
        for (k, v) in extra {
            req = req.header(&k, &v);
        }
        req = req.header("X-Case", &case.id);
        let r = send(gate.port, &req)
            .unwrap_or_else(|e| panic!("case {} ({}): {e}", case.id, case.note));
        responses.push(r);
    }

    // The upstream logs a request after answering it: wait until every forward arrived.
    let expected_forwards = cases
        .iter()
        .filter(|c| matches!(c.expect, Expect::Forward { .. }))
        .count();
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut all = all_received(&upstreams);
    while all.values().map(Vec::len).sum::<usize>() < expected_forwards && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(50));
        all = all_received(&upstreams);
    }
    std::thread::sleep(Duration::from_millis(200));
    all = all_received(&upstreams);

    let mut failures = Vec::new();
    let mut table = String::from(
        "| # | category | request | note | result | upstream received |\n|---|---|---|---|---|---|\n",
    );
    for (case, r) in cases.iter().zip(&responses) {
        let mut p: Vec<String> = Vec::new();
        let got = received_for(&all, &case.id);
        let upstream_text = match &case.expect {
            Expect::Forward { source, uri } => {
                if r.status != 200 {
                    p.push(format!("status {} (body {:?})", r.status, r.body_text()));
                }
                match got.as_slice() {
                    [(kind, req)] if kind == source => {
                        p.extend(check_upstream_request(
                            case,
                            kind,
                            req,
                            upstreams.ports[kind.as_str()],
                        ));
                    }
                    other => p.push(format!(
                        "expected one request at {source}, upstreams got {:?}",
                        other
                            .iter()
                            .map(|(k, r)| format!("{k} {} {}", r.method, r.uri))
                            .collect::<Vec<_>>()
                    )),
                }
                p.extend(header_problems(r, GLANCE, &case.req.target));
                format!(
                    "{source}: `{} {}`, file token",
                    case.req.method,
                    uri.replace('|', "\\|")
                )
            }
            Expect::Block { status, allow } => {
                if r.status != *status {
                    p.push(format!("status {}, expected {status}", r.status));
                }
                if let Some(a) = allow
                    && r.header_all("allow") != [*a]
                {
                    p.push(format!("Allow {:?}", r.header_all("allow")));
                }
                if !got.is_empty() {
                    p.push(format!("forwarded to {:?}", got[0].0));
                }
                p.extend(header_problems(r, GLANCE, &case.req.target));
                "nothing".to_owned()
            }
            Expect::Refused { status } => {
                if r.status != *status {
                    p.push(format!("status {}, expected {status}", r.status));
                }
                if !got.is_empty() {
                    p.push(format!("forwarded to {:?}", got[0].0));
                }
                "nothing".to_owned()
            }
            Expect::NotRouted => {
                if !got.is_empty() {
                    p.push(format!("forwarded to {:?}", got[0].0));
                }
                if !r.body.is_empty() {
                    p.push(format!("served a body: {:?}", r.body_text()));
                }
                "nothing".to_owned()
            }
        };
        if let Some(s) = secret_in(&r.raw) {
            p.push(format!("response contains token bytes {s:?}"));
        }
        let result = match &case.expect {
            Expect::Block {
                allow: Some(a),
                status,
            } => format!("{status}, `Allow: {a}`"),
            Expect::NotRouted => format!("{} empty (no site for that Host)", r.status),
            _ => r.status.to_string(),
        };
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} | {} | {} |",
            case.id,
            case.category,
            describe(&case.req),
            case.note,
            result,
            upstream_text
        );
        if !p.is_empty() {
            failures.push(format!(
                "case {} [{}] {} {}: {}",
                case.id,
                case.note,
                case.req.method,
                describe(&case.req),
                p.join("; ")
            ));
        }
    }
    // Nothing reached an upstream that the table did not expect.
    let stray: Vec<String> = all
        .iter()
        .flat_map(|(k, list)| {
            list.iter()
                .filter(|r| {
                    let id = r.header("X-Case");
                    !cases.iter().any(|c| {
                        id == [c.id.as_str()] && matches!(c.expect, Expect::Forward { .. })
                    })
                })
                .map(move |r| format!("{k}: {} {} {:?}", r.method, r.uri, r.header("X-Case")))
        })
        .collect();
    if !stray.is_empty() {
        failures.push(format!("unexpected upstream requests: {stray:?}"));
    }
    let out = target_dir().join("security-gate-table.md");
    let _ = std::fs::write(&out, &table);
    let log = gate.log_tail();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed (table: {}):\n{}{log}",
        failures.len(),
        cases.len(),
        out.display(),
        failures.join("\n")
    );
}

#[test]
fn docs_list_every_case_of_the_table() {
    let doc = std::fs::read_to_string(repo_root().join("docs").join("security.md")).unwrap();
    let missing: Vec<String> = cases()
        .iter()
        .filter(|c| !doc.contains(&format!("| {} | {} |", c.id, c.category)))
        .map(|c| format!("{} ({})", c.id, c.note))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/security.md lacks these gate cases (copy target/security-gate-table.md after \
         running hostile_request_table): {missing:?}"
    );
}

#[test]
fn security_headers_and_caching_on_every_kind_of_response() {
    let upstreams = RecordingUpstreams::start("gate-headers").unwrap();
    let gate = start_gate("gate-headers", &upstreams, &[]);
    let dist = dist_dir();
    let hashed_wasm = std::fs::read_dir(&dist)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with("_bg.wasm"))
        .expect("dist has a hashed wasm");
    let br = || vec![("Accept-Encoding", "br, gzip")];
    let checks: Vec<(&str, Request, u16)> = vec![
        ("index", get("/"), 200),
        ("wasm", get(&format!("/{hashed_wasm}")), 200),
        ("config", get("/backwatch.toml"), 200),
        ("api 200", get(&format!("{PBS}/version")), 200),
        ("favicon", get("/favicon.ico"), 204),
        ("404", get("/no-such-file.js"), 404),
        (
            "404 for a missing hashed asset",
            get("/backwatch-0123456789abcdef_bg.wasm"),
            404,
        ),
        ("403", get(&format!("{PBS}/access/ticket")), 403),
        (
            "405",
            Request::new("DELETE", &format!("{PBS}/version")),
            405,
        ),
        (
            "413",
            post_json(&format!("{BR}/GetOperations"), &[b' '; 20 * 1024]),
            413,
        ),
    ];
    let mut failures = Vec::new();
    for (what, mut req, status) in checks {
        for (k, v) in br() {
            req = req.header(k, v);
        }
        let r = send(gate.port, &req).unwrap();
        let mut p = header_problems(&r, GLANCE, &req.target);
        if r.status != status {
            p.push(format!("status {}, expected {status}", r.status));
        }
        let cc = r.header("cache-control").unwrap_or_default().to_owned();
        let want_cc = match what {
            "wasm" => "public, max-age=31536000, immutable",
            "index" | "config" => "no-cache",
            _ => "no-store",
        };
        if !matches!(what, "403" | "405" | "413" | "favicon") && cc != want_cc {
            p.push(format!("Cache-Control {cc:?}, expected {want_cc:?}"));
        }
        if what == "wasm" {
            if r.header("content-type") != Some("application/wasm") {
                p.push(format!("Content-Type {:?}", r.header("content-type")));
            }
            if r.header("content-encoding") != Some("br") {
                p.push(format!(
                    "Content-Encoding {:?} (the .br sidecar was not used)",
                    r.header("content-encoding")
                ));
            }
        }
        if matches!(what, "wasm" | "index") && r.header_all("vary") != ["Accept-Encoding"] {
            p.push(format!("Vary {:?}", r.header_all("vary")));
        }
        if !p.is_empty() {
            failures.push(format!("{what}: {}", p.join("; ")));
        }
    }
    // 502: an upstream that is down (the harness default for an unset upstream).
    let mut options = CaddyOptions::new("gate-headers-502", "title = \"x\"\n");
    options
        .env
        .insert("GLANCE_ORIGIN".to_owned(), GLANCE.to_owned());
    let down = Caddy::start(options).unwrap();
    for req in [
        get(&format!("{PBS}/version")),
        get(&format!("{DB}/snapshots")),
        post_json(&format!("{BR}/GetOperations"), SELECTOR),
    ] {
        let r = send(down.port, &req).unwrap();
        let mut p = header_problems(&r, GLANCE, &req.target);
        if r.status != 502 {
            p.push(format!("status {}", r.status));
        }
        if r.body_text() != "502 Bad Gateway" {
            p.push(format!(
                "body {:?} (upstream details leaked?)",
                r.body_text()
            ));
        }
        if !p.is_empty() {
            failures.push(format!("502 {}: {}", req.target, p.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn token_rotation_needs_no_reload() {
    let upstreams = RecordingUpstreams::start("gate-rotation").unwrap();
    let gate = start_gate("gate-rotation", &upstreams, &[]);
    let ask = |case: &str| {
        let r = send(
            gate.port,
            &get(&format!("{PBS}/version")).header("X-Case", case),
        )
        .unwrap();
        assert_eq!(r.status, 200, "{}", gate.log_tail());
    };
    let seen = |case: &str| -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let got: Vec<String> = upstreams
                .received("pbs")
                .unwrap()
                .into_iter()
                .filter(|r| r.header("X-Case") == [case])
                .flat_map(|r| r.header("Authorization"))
                .collect();
            if !got.is_empty() || Instant::now() > deadline {
                return got;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    ask("before");
    assert_eq!(seen("before"), [format!("PBSAPIToken={}", token("pbs"))]);
    // Vault Agent writes a temporary file and renames it over the old one.
    let rotated = "glance@pbs!backwatch2:0d9e8f7a-rotated-secret";
    gate.write_token("pbs", rotated).unwrap();
    ask("after");
    assert_eq!(seen("after"), [format!("PBSAPIToken={rotated}")]);
    // A trailing newline (an editor, `echo`) is stripped by Caddy >= 2.9.
    gate.write_token("pbs", &format!("{rotated}\n")).unwrap();
    ask("newline");
    assert_eq!(seen("newline"), [format!("PBSAPIToken={rotated}")]);
    // A missing file fails closed: an empty token (PBS answers 401), never a stale one.
    std::fs::remove_file(gate.dir.join("secrets").join("pbs")).unwrap();
    ask("missing");
    assert_eq!(seen("missing"), ["PBSAPIToken="]);
}

#[test]
fn no_token_byte_in_assets_pages_config_or_adapted_json() {
    let upstreams = RecordingUpstreams::start("gate-leak").unwrap();
    let gate = start_gate("gate-leak", &upstreams, &[]);
    let mut leaks = Vec::new();
    // Every built asset, as files and as served (also compressed variants on disk).
    for entry in std::fs::read_dir(dist_dir()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        if let Some(s) = secret_in(&bytes) {
            leaks.push(format!("{}: {s}", path.display()));
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".br") && !name.ends_with(".gz") {
            let r = send(gate.port, &get(&format!("/{name}"))).unwrap();
            assert_eq!(r.status, 200, "/{name}");
            if let Some(s) = secret_in(&r.raw) {
                leaks.push(format!("served /{name}: {s}"));
            }
        }
    }
    for path in ["/", "/backwatch.toml", "/index.html"] {
        let r = send(gate.port, &get(path)).unwrap();
        if let Some(s) = secret_in(&r.raw) {
            leaks.push(format!("served {path}: {s}"));
        }
    }
    // The adapted configuration (what the admin API and autosave.json would hold).
    let mut env = upstreams.env();
    for (kind, prefix) in [
        ("pbs", "PBS"),
        ("pve", "PVE"),
        ("databasement", "DATABASEMENT"),
        ("backrest", "BACKREST"),
    ] {
        env.insert(
            format!("{prefix}_TOKEN_FILE"),
            gate.dir.join("secrets").join(kind).display().to_string(),
        );
    }
    let adapted = Command::new(which("caddy").unwrap())
        .args(["adapt", "--adapter", "caddyfile", "--config"])
        .arg(repo_root().join("Caddyfile.example"))
        .env("PATH", path_with_tools())
        .envs(&env)
        .output()
        .unwrap();
    assert!(adapted.status.success());
    if let Some(s) = secret_in(&adapted.stdout) {
        leaks.push(format!("caddy adapt output: {s}"));
    }
    // Everything Caddy wrote under its home (autosave.json and friends) and its log.
    for file in walk(&gate.dir.join("caddy-home")) {
        if let Some(s) = secret_in(&std::fs::read(&file).unwrap_or_default()) {
            leaks.push(format!("{}: {s}", file.display()));
        }
    }
    if let Some(s) = secret_in(gate.log_tail().as_bytes()) {
        leaks.push(format!("caddy log: {s}"));
    }
    assert!(leaks.is_empty(), "token bytes found: {leaks:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn pinned_certificate_failures_are_502_with_caddys_reason() {
    let upstreams = RecordingUpstreams::start("gate-tls").unwrap();
    let dummy = repo_root()
        .join("tests")
        .join("data")
        .join("dummy-upstream.pem");
    let dummy = dummy.display().to_string();
    for (what, extra, reason) in [
        (
            "wrong server name",
            vec![
                ("PBS_SERVER_NAME", "other.lan"),
                ("BACKWATCH_LOG_LEVEL", "DEBUG"),
            ],
            "not other.lan",
        ),
        (
            "unknown authority",
            vec![
                ("PBS_CA_FILE", dummy.as_str()),
                ("BACKWATCH_LOG_LEVEL", "DEBUG"),
            ],
            "certificate signed by unknown authority",
        ),
    ] {
        let gate = start_gate(
            &format!("gate-tls-{}", what.replace(' ', "-")),
            &upstreams,
            &extra,
        );
        let r = send(
            gate.port,
            &get(&format!("{PBS}/version")).header("X-Case", what),
        )
        .unwrap();
        assert_eq!(r.status, 502, "{what}");
        let problems = header_problems(&r, GLANCE, "/api/pbs/");
        assert!(problems.is_empty(), "{what}: {problems:?}");
        assert_eq!(
            r.body_text(),
            "502 Bad Gateway",
            "{what}: no TLS details for the browser"
        );
        // Caddy logs the error after answering: wait for it.
        let deadline = Instant::now() + Duration::from_secs(5);
        let log = loop {
            let log = std::fs::read_to_string(gate.dir.join("caddy.log")).unwrap_or_default();
            if log.contains(reason) || Instant::now() > deadline {
                break log;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(
            log.contains(reason),
            "{what}: Caddy's log lacks {reason:?}:\n{log}"
        );
        assert!(
            secret_in(log.as_bytes()).is_none(),
            "{what}: token in Caddy's log"
        );
    }
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        upstreams.received("pbs").unwrap().is_empty(),
        "a request reached the upstream over an unverified connection"
    );
}

#[test]
fn addresses_outside_the_allow_list_get_nothing() {
    let upstreams = RecordingUpstreams::start("gate-allow-from").unwrap();
    let gate = start_gate(
        "gate-allow-from",
        &upstreams,
        &[("BACKWATCH_ALLOW_FROM", "10.0.0.0/8 192.168.0.0/16")],
    );
    for req in [
        get("/"),
        get("/backwatch.toml"),
        get(&format!("{PBS}/version")),
        get(&format!("{DB}/snapshots")),
        post_json(&format!("{BR}/GetOperations"), SELECTOR),
    ] {
        let r = send(gate.port, &req).unwrap();
        assert_eq!(r.status, 403, "{} {}", req.method, req.target);
        assert!(header_problems(&r, GLANCE, &req.target).is_empty());
        assert!(r.body.is_empty(), "{}: {:?}", req.target, r.body_text());
    }
    std::thread::sleep(Duration::from_millis(200));
    for kind in ["pbs", "pve", "databasement", "backrest"] {
        assert!(
            upstreams.received(kind).unwrap().is_empty(),
            "{kind} was reached"
        );
    }
}
