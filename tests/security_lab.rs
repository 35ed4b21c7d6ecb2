//! The gate in front of the simulated homelab (`backwatch-sim`, its request log and fault
//! injection), through the real Caddy running `Caddyfile.example`:
//!
//! - the core collectors, driven natively with hostile browser headers on every request,
//!   read every source without a single gate refusal (the allow-list covers exactly what
//!   they ask for), and the simulator's log shows each request arrived with the token from
//!   the file and nothing the "browser" added;
//! - hostile upstream answers (401 with Set-Cookie, HTML pages, truncated JSON, slow
//!   answers, connection resets) reach the browser only with the gate's headers, and one
//!   broken source does not disturb the others;
//! - Backrest's `GetConfig` (the simulator returns repository passwords, as the real one
//!   does) never reaches the simulator.
#![cfg(not(target_arch = "wasm32"))]

mod security_common;

use std::cell::RefCell;

use backwatch_core::sources::{
    self, HttpRequest, HttpResponse, Method, TransportError, backrest, databasement, pbs, pve,
};
use backwatch_harness::sim::{Lab, SimOptions};
use security_common::{API_CSP, Request, find, header_problems, send};

/// What a hostile page or client adds to every request.
const HOSTILE: &[(&str, &str)] = &[
    ("Authorization", "Bearer browser-sent-evil"),
    (
        "Cookie",
        "PBSAuthCookie=browser; __Host-PBSAuthCookie=browser; PVEAuthCookie=browser; laravel_session=browser",
    ),
    ("X-HTTP-Method-Override", "DELETE"),
    ("X-Forwarded-Host", "evil.example"),
    ("Forwarded", "for=6.6.6.6;host=evil.example"),
    ("X-Real-IP", "6.6.6.6"),
    ("Sec-Fetch-Site", "same-origin"),
];

const NEVER_UPSTREAM: &[&str] = &[
    "cookie",
    "x-http-method-override",
    "x-forwarded-host",
    "forwarded",
    "x-real-ip",
    "proxy-authorization",
];

/// The repository passwords of the built-in scenario (crates/sim/scenarios/adr-homelab.toml).
const REPO_PASSWORDS: &[&str] = &[
    "EXAMPLE-plaintext-repo-password",
    "EXAMPLE-plaintext-repo-password-2",
];

fn lab(name: &str) -> Lab {
    Lab::start(name, SimOptions::at_test_now(), "title = \"lab\"\n").unwrap()
}

/// Send a collector's request through the gate with the hostile headers.
fn through_gate(
    lab: &Lab,
    req: &HttpRequest,
    seen: &RefCell<Vec<(String, u16)>>,
) -> Result<HttpResponse, TransportError> {
    let method = match req.method {
        Method::Get => "GET",
        Method::Post => "POST",
    };
    let mut r = Request::new(method, &req.path);
    for (k, v) in HOSTILE {
        r = r.header(k, v);
    }
    for (k, v) in &req.headers {
        r = r.header(k, v);
    }
    if let Some(body) = &req.body {
        r = r.body(body.as_bytes());
    }
    let resp = send(lab.caddy.port, &r).map_err(TransportError::Network)?;
    seen.borrow_mut()
        .push((format!("{method} {}", req.path), resp.status));
    let mut problems = header_problems(&resp, "'self'", &req.path);
    if resp.header("content-security-policy") != Some(API_CSP) {
        problems.push("no API CSP".into());
    }
    assert!(problems.is_empty(), "{} {}: {problems:?}", method, req.path);
    Ok(HttpResponse {
        status: resp.status,
        content_type: resp.header("content-type").map(str::to_owned),
        body: resp.body_text(),
    })
}

#[test]
fn collectors_read_every_source_through_the_gate_with_the_file_token_only() {
    let lab = lab("lab-collectors");
    let now = lab.sim.now;
    let seen = RefCell::new(Vec::new());
    let fetch = |req: &HttpRequest| through_gate(&lab, req, &seen);

    let p = pbs::PbsCollector::new(
        pbs::PbsSettings::new("pbs-main", "/api/pbs"),
        Default::default(),
        now,
    );
    let (collected, _) = sources::drive::run(Box::new(p), now, fetch);
    let data = collected.result.unwrap_or_else(|e| panic!("PBS: {e}"));
    assert!(!data.backups.is_empty());

    let mut settings = pve::PveSettings::new("pve-cluster", "/api/pve");
    settings.pbs_storages = vec![pve::PveStorage {
        node: "pve1".into(),
        storage: "pbs-store1".into(),
    }];
    let (collected, _) =
        sources::drive::run(Box::new(pve::PveCollector::new(settings)), now, fetch);
    collected.result.unwrap_or_else(|e| panic!("PVE: {e}"));

    let d = databasement::DatabasementCollector::new(
        databasement::DatabasementSettings::new("db", "/api/db"),
        now,
    );
    let (collected, _) = sources::drive::run(Box::new(d), now, fetch);
    let data = collected
        .result
        .unwrap_or_else(|e| panic!("Databasement: {e}"));
    assert!(!data.backups.is_empty());

    let b = backrest::BackrestCollector::new(
        backrest::BackrestSettings::new("backrest", "/api/backrest"),
        Default::default(),
        now,
    );
    let (collected, _) = sources::drive::run(Box::new(b), now, fetch);
    let data = collected.result.unwrap_or_else(|e| panic!("Backrest: {e}"));
    assert!(!data.backups.is_empty());

    // The allow-list covers every request the collectors make: no gate 403/405 at all.
    let seen = seen.into_inner();
    let refused: Vec<&(String, u16)> = seen
        .iter()
        .filter(|(_, status)| matches!(status, 403 | 405 | 411 | 413))
        .collect();
    assert!(
        refused.is_empty(),
        "the gate refused collector requests: {refused:?}"
    );

    // What the simulator received: every request carried exactly the file's token in the
    // source's scheme and none of the browser's headers.
    let log = lab.sim.control.requests(None).unwrap();
    assert_eq!(
        log.len(),
        seen.len(),
        "one upstream request per collector request"
    );
    let mut problems = Vec::new();
    for r in &log {
        let want = &lab.sim.upstream(&r.source).unwrap().authorization;
        if r.header_values("authorization") != [want.as_str()] {
            problems.push(format!(
                "{} {} {}: Authorization {:?}",
                r.source,
                r.method,
                r.path,
                r.header_values("authorization")
            ));
        }
        for h in NEVER_UPSTREAM {
            if r.header(h).is_some() {
                problems.push(format!("{} {}: {h} reached the upstream", r.source, r.path));
            }
        }
        if r.method == "GET" && r.header("content-type").is_some() {
            problems.push(format!("{} {}: Content-Type on a GET", r.source, r.path));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    println!(
        "{} collector requests through the gate, none refused",
        seen.len()
    );
}

fn fault(lab: &Lab, fault: serde_json::Value) {
    lab.sim.control.inject_fault(fault).unwrap();
}

fn get(lab: &Lab, path: &str) -> security_common::Response {
    let mut r = Request::new("GET", path);
    for (k, v) in HOSTILE {
        r = r.header(k, v);
    }
    send(lab.caddy.port, &r).unwrap()
}

#[test]
fn hostile_upstream_answers_reach_the_browser_only_with_the_gates_headers() {
    let lab = lab("lab-hostile");
    let version = "/api/pbs/api2/json/version";
    let check = |what: &str, r: &security_common::Response, status: u16| {
        assert_eq!(r.status, status, "{what}: {}", r.body_text());
        let p = header_problems(r, "'self'", "/api/");
        assert!(p.is_empty(), "{what}: {p:?}");
    };

    // 401 as PBS sends it (with a Set-Cookie clearing the cookie; the harness runs the
    // simulator without PBS's 3 s delay).
    fault(
        &lab,
        serde_json::json!({"source": "pbs", "kind": "unauthorized", "times": 1}),
    );
    let r = get(&lab, version);
    check("401", &r, 401);
    // Meanwhile the other sources answer normally.
    check(
        "PVE during PBS 401",
        &get(&lab, "/api/pve/api2/json/version"),
        200,
    );
    check(
        "Databasement during PBS 401",
        &get(&lab, "/api/db/api/v1/database-servers"),
        200,
    );

    // An HTML page (a login portal) where JSON was expected: sandboxed, never scripted.
    fault(
        &lab,
        serde_json::json!({"source": "pbs", "kind": "html", "times": 1}),
    );
    let r = get(&lab, version);
    check("html", &r, 200);
    assert!(r.body_text().contains("<html") || r.body_text().contains("<!"));
    assert_eq!(r.header("content-security-policy"), Some(API_CSP));

    // An nginx error page.
    fault(
        &lab,
        serde_json::json!({"source": "databasement", "kind": "html", "status": 502, "times": 1}),
    );
    check("html 502", &get(&lab, "/api/db/api/v1/snapshots"), 502);

    // Truncated JSON passes as it is (the widget reports it; the gate does not parse).
    fault(
        &lab,
        serde_json::json!({"source": "pve", "kind": "truncated", "times": 1}),
    );
    let r = get(&lab, "/api/pve/api2/json/cluster/backup");
    check("truncated", &r, 200);
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());

    // A slow answer within response_header_timeout arrives whole.
    fault(
        &lab,
        serde_json::json!({"source": "pbs", "kind": "slow", "ms": 1500, "times": 1}),
    );
    let r = get(&lab, version);
    check("slow", &r, 200);
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_ok());

    // A connection reset: Caddy's own 502, no upstream detail.
    fault(
        &lab,
        serde_json::json!({"source": "backrest", "kind": "reset", "times": 1}),
    );
    let r = send(
        lab.caddy.port,
        &Request::new("POST", "/api/backrest/v1.Backrest/GetSummaryDashboard")
            .header("Content-Type", "application/json")
            .body(b"{}"),
    )
    .unwrap();
    check("reset", &r, 502);
    assert_eq!(r.body_text(), "502 Bad Gateway");

    // No response carried a token.
    for key in ["pbs", "pve", "databasement", "backrest"] {
        let up = lab.sim.upstream(key).unwrap();
        let secret = up
            .token_file_content
            .rsplit([':', '=', '|'])
            .next()
            .unwrap();
        for path in [version, "/api/pve/api2/json/version", "/"] {
            let r = get(&lab, path);
            assert!(
                find(&r.raw, secret.as_bytes()).is_none(),
                "{key} token in {path}"
            );
        }
    }
}

#[test]
fn backrest_get_config_never_reaches_backrest() {
    let lab = lab("lab-getconfig");
    for (path, body) in [
        ("/api/backrest/v1.Backrest/GetConfig", "{}"),
        ("/api/backrest/v1.Backrest/GetOperations/../GetConfig", "{}"),
        (
            "/api/backrest/v1.Backrest/GetOperations/%2e%2e/GetConfig",
            "{}",
        ),
        ("/api/backrest//v1.Backrest/GetConfig", "{}"),
        (
            "/api/backrest/v1.Backrest/Backup",
            r#"{"value":"photo-archive"}"#,
        ),
        (
            "/api/backrest/v1.Backrest/DoRepoTask",
            r#"{"repoId":"nas-restic","task":"TASK_PRUNE"}"#,
        ),
        (
            "/api/backrest/v1.Authentication/Login",
            r#"{"username":"backwatch","password":"x"}"#,
        ),
    ] {
        let r = send(
            lab.caddy.port,
            &Request::new("POST", path)
                .header("Content-Type", "application/json")
                .body(body.as_bytes()),
        )
        .unwrap();
        assert_eq!(r.status, 403, "{path}");
        for pw in REPO_PASSWORDS {
            assert!(
                find(&r.raw, pw.as_bytes()).is_none(),
                "{path} leaked a repo password"
            );
        }
    }
    // Proof that the simulator would have answered with the passwords.
    let sim_config = lab.sim.upstream("backrest").unwrap();
    assert!(sim_config.url.starts_with("http://127.0.0.1:"));
    let log = lab.sim.control.requests(Some("backrest")).unwrap();
    assert!(
        log.is_empty(),
        "Backrest received {:?}",
        log.iter().map(|r| &r.path).collect::<Vec<_>>()
    );
}
