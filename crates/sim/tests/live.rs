//! The real binary on loopback: TLS with the pinned PBS-style certificate, the auth
//! delay, runtime faults, latency and the request log through the control API; and one
//! end-to-end run through the real Caddy that drives the core collectors.

use std::sync::Arc;
use std::time::{Duration, Instant};

use backwatch_harness::sim::{Lab, LabOptions, Sim, SimOptions};
use serde_json::json;
use ureq::tls::{Certificate, RootCerts, TlsConfig};

fn options() -> SimOptions {
    SimOptions {
        binary: Some(env!("CARGO_BIN_EXE_backwatch-sim").into()),
        ..SimOptions::at_test_now()
    }
}

fn agent_for(sim: &Sim, key: &str) -> ureq::Agent {
    let mut cfg = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)));
    if let Some(ca) = &sim.upstream(key).unwrap().ca_file {
        let pem = std::fs::read(ca).unwrap();
        let cert = Certificate::from_pem(&pem).unwrap().to_owned();
        cfg = cfg.tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::Specific(Arc::new(vec![cert])))
                .build(),
        );
    }
    cfg.build().into()
}

/// `https://localhost:<port>`: the certificate names `localhost`, like PBS's own.
fn url(sim: &Sim, key: &str, path: &str) -> String {
    format!(
        "{}{path}",
        sim.upstream(key)
            .unwrap()
            .url
            .replace("127.0.0.1", "localhost")
    )
}

#[test]
fn tls_auth_faults_latency_and_request_log() {
    let sim = Sim::start("live", options()).unwrap();
    let pbs = agent_for(&sim, "pbs");
    let auth = sim.upstream("pbs").unwrap().authorization.clone();
    let get = |path: &str| {
        pbs.get(&url(&sim, "pbs", path))
            .header("Authorization", &auth)
            .call()
            .unwrap()
    };
    let mut r = get("/api2/json/version");
    assert_eq!(r.status(), 200);
    assert!(
        r.body_mut()
            .read_to_string()
            .unwrap()
            .contains("\"version\":\"4.2\"")
    );

    // 401 after the (shortened) delay, plain text, no content type.
    let t = Instant::now();
    let r = pbs
        .get(&url(&sim, "pbs", "/api2/json/version"))
        .call()
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(t.elapsed() >= Duration::from_millis(190));
    assert!(r.headers().get("content-type").is_none());

    // Faults: 500, HTML, truncated JSON, slow, unauthorized, reset; then clear.
    let c = &sim.control;
    c.inject_fault(json!({"source": "pbs", "kind": "status", "status": 500, "times": 1}))
        .unwrap();
    assert_eq!(get("/api2/json/version").status(), 500);
    assert_eq!(
        get("/api2/json/version").status(),
        200,
        "times: 1 clears itself"
    );
    c.inject_fault(json!({"source": "pbs", "kind": "html"}))
        .unwrap();
    let mut r = get("/api2/json/version");
    assert!(
        r.body_mut()
            .read_to_string()
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    c.clear_faults(Some("pbs")).unwrap();
    c.inject_fault(json!({"source": "pbs", "kind": "truncated", "path": "/api2/json/nodes"}))
        .unwrap();
    let mut r = get("/api2/json/nodes/localhost/time");
    let body = r.body_mut().read_to_string().unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&body).is_err(),
        "{body}"
    );
    assert_eq!(get("/api2/json/version").status(), 200, "path-scoped");
    c.clear_faults(None).unwrap();
    c.inject_fault(json!({"source": "pbs", "kind": "slow", "ms": 400, "times": 1}))
        .unwrap();
    let t = Instant::now();
    assert_eq!(get("/api2/json/version").status(), 200);
    assert!(t.elapsed() >= Duration::from_millis(390));
    c.inject_fault(json!({"source": "pbs", "kind": "unauthorized", "times": 1}))
        .unwrap();
    assert_eq!(get("/api2/json/version").status(), 401);
    c.inject_fault(json!({"source": "pbs", "kind": "reset", "times": 1}))
        .unwrap();
    assert!(
        pbs.get(&url(&sim, "pbs", "/api2/json/version"))
            .header("Authorization", &auth)
            .call()
            .is_err()
    );
    assert!(
        c.inject_fault(json!({"source": "nope", "kind": "reset"}))
            .is_err()
    );

    // Latency per source.
    c.set_latency(Some("pbs"), 300).unwrap();
    let t = Instant::now();
    get("/api2/json/version");
    assert!(t.elapsed() >= Duration::from_millis(290));
    c.set_latency(None, 0).unwrap();
    c.set_latency(Some("pbs"), 0).unwrap();

    // Request log: exactly what arrived, newest last; clearable.
    c.clear_requests().unwrap();
    pbs.get(&url(&sim, "pbs", "/api2/json/admin/datastore?_dc=1"))
        .header("Authorization", &auth)
        .header("Cookie", "PBSAuthCookie=stale")
        .call()
        .unwrap();
    let log = c.requests(Some("pbs")).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].path, "/api2/json/admin/datastore");
    assert_eq!(log[0].query.as_deref(), Some("_dc=1"));
    assert_eq!(log[0].header("authorization"), Some(auth.as_str()));
    assert_eq!(log[0].header("cookie"), Some("PBSAuthCookie=stale"));

    // Plain-HTTP products answer too.
    let db = agent_for(&sim, "databasement");
    let r = db
        .get(&url(&sim, "databasement", "/api/v1/backup-schedules"))
        .header(
            "Authorization",
            &sim.upstream("databasement").unwrap().authorization,
        )
        .header("Accept", "application/json")
        .call()
        .unwrap();
    assert_eq!(r.status(), 200);
    println!("{}", sim.stop());
}

fn stub_dist(name: &str) -> std::path::PathBuf {
    let dir = backwatch_harness::paths::target_dir()
        .join("e2e")
        .join(format!("{name}-dist"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>stub</title>").unwrap();
    dir
}

#[test]
fn through_caddy_the_token_is_injected_and_the_cookie_stripped() {
    let lab = Lab::start_with(LabOptions {
        name: "sim-e2e".into(),
        sim: options(),
        config_toml: include_str!("../../../config/demo.toml").into(),
        dist: Some(stub_dist("sim-e2e")),
        port: None,
    })
    .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let r = agent
        .get(&lab.url("/api/pbs/api2/json/version"))
        .header("Cookie", "PBSAuthCookie=from-the-browser")
        .header("Authorization", "PBSAPIToken=evil@pbs!x:y")
        .call()
        .unwrap();
    assert_eq!(r.status(), 200, "{}", lab.caddy.log_tail());
    let log = lab.sim.control.requests(Some("pbs")).unwrap();
    let last = log.last().expect("the simulator saw the request");
    assert_eq!(last.path, "/api2/json/version");
    let expected = &lab.sim.upstream("pbs").unwrap().authorization;
    assert_eq!(last.header_values("authorization"), vec![expected.as_str()]);
    assert!(
        last.header("authorization")
            .unwrap()
            .starts_with("PBSAPIToken=")
    );
    assert!(
        last.header("cookie").is_none(),
        "Caddy strips the browser's cookies"
    );

    // The core collectors read every source through Caddy.
    use backwatch_core::sources::{self, HttpResponse, Method, TransportError};
    let now = lab.sim.now;
    let fetch = |req: &sources::HttpRequest| -> Result<HttpResponse, TransportError> {
        let url = lab.url(&req.path);
        let resp = match req.method {
            Method::Get => {
                let mut b = agent.get(&url);
                for (k, v) in &req.headers {
                    b = b.header(k, v);
                }
                b.call()
            }
            Method::Post => {
                let mut b = agent.post(&url).header("Content-Type", "application/json");
                for (k, v) in &req.headers {
                    b = b.header(k, v);
                }
                b.send(req.body.clone().unwrap_or_default())
            }
        }
        .map_err(|e| TransportError::Network(e.to_string()))?;
        let status = resp.status().as_u16();
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = resp.into_body().read_to_string().unwrap_or_default();
        Ok(HttpResponse {
            status,
            content_type,
            body,
        })
    };
    let pbs = sources::pbs::PbsCollector::new(
        sources::pbs::PbsSettings::new("pbs-main", "/api/pbs"),
        Default::default(),
        now,
    );
    let (collected, trace) = sources::drive::run(Box::new(pbs), now, fetch);
    let data = collected.result.unwrap_or_else(|e| panic!("PBS: {e}"));
    assert!(
        data.backups.len() >= 10,
        "{} PBS groups",
        data.backups.len()
    );
    assert!(trace.requests() > 5);
    let pve =
        sources::pve::PveCollector::new(sources::pve::PveSettings::new("pve-cluster", "/api/pve"));
    let (collected, _) = sources::drive::run(Box::new(pve), now, fetch);
    let data = collected.result.unwrap_or_else(|e| panic!("PVE: {e}"));
    assert_eq!(data.not_backed_up.len(), 2);
    let db = sources::databasement::DatabasementCollector::new(
        sources::databasement::DatabasementSettings::new("databasement", "/api/db"),
        now,
    );
    let (collected, _) = sources::drive::run(Box::new(db), now, fetch);
    let data = collected
        .result
        .unwrap_or_else(|e| panic!("Databasement: {e}"));
    assert!(!data.backups.is_empty());
    let br = sources::backrest::BackrestCollector::new(
        sources::backrest::BackrestSettings::new("backrest", "/api/backrest"),
        Default::default(),
        now,
    );
    let (collected, _) = sources::drive::run(Box::new(br), now, fetch);
    let data = collected.result.unwrap_or_else(|e| panic!("Backrest: {e}"));
    assert_eq!(data.backups.len(), 4);
    println!("{}", lab.stop());
}
