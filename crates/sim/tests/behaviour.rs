//! Sans-IO behaviour: authentication per product, planted faults, `--now` determinism,
//! pagination, the PBS parameter rules, and that the demo config parses.

mod common;

use std::time::Duration;

use backwatch_sim::api::Product::{Backrest, Databasement, Pbs, Pve};
use backwatch_sim::api::{Request, handle};
use backwatch_sim::world::World;
use common::{TEST_NOW, auth, env, get, json, rpc, scenario, world};

fn raw(p: backwatch_sim::api::Product, req: Request) -> backwatch_sim::api::Response {
    handle(p, world(), &env(), &req)
}

#[test]
fn pbs_auth_like_upstream() {
    let good = auth(Pbs);
    let r = raw(Pbs, Request::get("/api2/json/version", &[]));
    assert_eq!(
        (r.status, r.text().as_str(), r.content_type()),
        (401, "authentication failed", None)
    );
    assert_eq!(r.delay, Duration::from_secs(3));
    assert!(
        r.headers
            .iter()
            .any(|(k, v)| k == "set-cookie" && v.starts_with("PBSAuthCookie=;"))
    );
    // Wrong secret, PVE-style separator, and a cookie that wins over a valid token.
    for h in [good.replace("a2910", "a2911"), good.replacen(':', "=", 1)] {
        assert_eq!(
            raw(
                Pbs,
                Request::get("/api2/json/version", &[("authorization", &h)])
            )
            .status,
            401
        );
    }
    let r = raw(
        Pbs,
        Request::get(
            "/api2/json/version",
            &[("authorization", &good), ("cookie", "PBSAuthCookie=PBS:x")],
        ),
    );
    assert_eq!(r.status, 401, "a cookie beats the token");
    // A space after the prefix is accepted too.
    let spaced = good.replacen('=', " ", 1);
    assert_eq!(
        raw(
            Pbs,
            Request::get("/api2/json/version", &[("authorization", &spaced)])
        )
        .status,
        200
    );
}

#[test]
fn pve_databasement_backrest_auth_like_upstream() {
    let r = raw(Pve, Request::get("/api2/json/version", &[]));
    assert_eq!(
        (r.status, r.body.len(), r.reason.as_deref()),
        (401, 0, Some("Authentication failed!"))
    );
    assert!(r.close);
    let good = auth(Pve);
    let r = raw(
        Pve,
        Request::get(
            "/api2/json/version",
            &[("authorization", &good), ("cookie", "PVEAuthCookie=x")],
        ),
    );
    assert_eq!(r.status, 401);
    // Databasement: JSON 401 only for JSON clients, else a redirect to /login.
    let r = raw(
        Databasement,
        Request::get("/api/v1/jobs", &[("accept", "application/json")]),
    );
    assert_eq!(
        (r.status, r.text().as_str()),
        (401, "{\"message\":\"Unauthenticated.\"}")
    );
    let r = raw(
        Databasement,
        Request::get(
            "/api/v1/jobs",
            &[("accept", "text/html"), ("host", "db.lan")],
        ),
    );
    assert_eq!(r.status, 302);
    assert!(
        r.headers
            .iter()
            .any(|(k, v)| k == "location" && v == "http://db.lan/login")
    );
    // Backrest: text/plain 401 from the middleware.
    let r = raw(
        Backrest,
        Request::post_json("/v1.Backrest/GetSummaryDashboard", "{}", &[]),
    );
    assert_eq!(r.status, 401);
    assert_eq!(r.content_type(), Some("text/plain; charset=utf-8"));
    assert_eq!(r.text(), "Unauthorized (No Authorization Header)\n");
    let r = raw(
        Backrest,
        Request::post_json(
            "/v1.Backrest/GetSummaryDashboard",
            "{}",
            &[("authorization", "Bearer x")],
        ),
    );
    assert_eq!(r.text(), "Unauthorized (Bad Token)\n");
}

#[test]
fn pbs_parameter_rules() {
    let a = auth(Pbs);
    let r = get(Pbs, "/api2/json/admin/datastore/store1/groups?foo=1");
    assert_eq!(r.status, 400);
    assert_eq!(
        r.text(),
        "parameter verification failed - 'foo': schema does not allow additional properties"
    );
    assert_eq!(
        get(Pbs, "/api2/json/admin/datastore/store1/groups?_dc=1").status,
        200
    );
    // With Content-Type: application/json, a GET's query is ignored (ns=hosts is lost).
    let plain = json(&get(
        Pbs,
        "/api2/json/admin/datastore/store1/groups?ns=hosts",
    ));
    let trapped = json(&raw(
        Pbs,
        Request::get(
            "/api2/json/admin/datastore/store1/groups?ns=hosts",
            &[("authorization", &a), ("content-type", "application/json")],
        ),
    ));
    assert_ne!(plain, trapped);
    assert_eq!(plain["data"][0]["backup-type"], "host");
    let r = raw(
        Pbs,
        Request::get(
            "/api2/json/version",
            &[("authorization", &a), ("content-type", "text/plain")],
        ),
    );
    assert_eq!(
        (r.status, r.text().as_str()),
        (400, "unsupported content type Ok(\"text/plain\")")
    );
    let r = get(Pbs, "/api2/json/admin/datastore/store9/groups");
    assert_eq!(
        (r.status, r.text().as_str()),
        (400, "no such datastore 'store9'")
    );
    let r = get(Pbs, "/api2/json/admin/datastore/usb-offsite/groups");
    assert_eq!(
        (r.status, r.text().as_str()),
        (400, "datastore 'usb-offsite' is not mounted")
    );
    let r = get(Pbs, "/api2/json/admin/datastore/store1/snapshot");
    assert_eq!(
        (r.status, r.text().as_str()),
        (
            404,
            "Path '/api2/json/admin/datastore/store1/snapshot' not found."
        )
    );
}

#[test]
fn planted_faults_are_visible() {
    // Running: ct/103 has an in-progress snapshot, a running task and a PVE lock.
    let snaps = json(&get(
        Pbs,
        "/api2/json/admin/datastore/store1/snapshots?backup-type=ct&backup-id=103",
    ));
    let in_progress: Vec<_> = snaps["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s.get("size").is_none())
        .collect();
    assert_eq!(in_progress.len(), 1);
    let tasks = json(&get(Pbs, "/api2/json/nodes/localhost/tasks?running=1"));
    assert_eq!(tasks["data"][0]["worker_id"], "store1:ct/103");
    let res = json(&get(Pve, "/api2/json/cluster/resources?type=vm"));
    let locked: Vec<_> = res["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["lock"] == "backup")
        .map(|g| g["vmid"].as_u64().unwrap())
        .collect();
    assert_eq!(locked, vec![103]);
    // Late: ct/104's newest backup is yesterday's (its 04:00 run has not started).
    let groups = json(&get(Pbs, "/api2/json/admin/datastore/store1/groups"));
    let last = |id: &str| {
        groups["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["backup-id"] == id)
            .unwrap()["last-backup"]
            .as_i64()
            .unwrap()
    };
    assert!(
        TEST_NOW - last("104") > 20 * 3600,
        "ct/104 last backed up yesterday"
    );
    assert!(
        TEST_NOW - last("101") < 3600,
        "ct/101 was backed up tonight"
    );
    // Failed verification: the newest verified ct/102 snapshot failed; the verify job too.
    let s = json(&get(
        Pbs,
        "/api2/json/admin/datastore/store1/snapshots?backup-type=ct&backup-id=102",
    ));
    let newest_verified = s["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x.get("verification").is_some())
        .max_by_key(|x| x["backup-time"].as_i64())
        .unwrap();
    assert_eq!(newest_verified["verification"]["state"], "failed");
    let v = json(&get(Pbs, "/api2/json/admin/verify"));
    assert_eq!(
        v["data"][0]["last-run-state"],
        "verification failed - please check the log for details"
    );
    // Guest without a job and the template: not backed up. Retired ct/130: in PBS, not in PVE.
    let nb = json(&get(Pve, "/api2/json/cluster/backup-info/not-backed-up"));
    let ids: Vec<u64> = nb["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["vmid"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, vec![120, 9000]);
    assert!(
        groups["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["backup-id"] == "130")
    );
    assert!(
        !res["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["vmid"] == 130)
    );
    // Databasement: the Home Assistant dump failed; gitea-mysql left no job for two nights.
    let jobs = json(&get(
        Databasement,
        "/api/v1/jobs?filter[search]=homeassistant&per_page=1",
    ));
    assert_eq!(jobs["data"][0]["status"], "failed");
    assert!(
        jobs["data"][0]["error_message"]
            .as_str()
            .unwrap()
            .starts_with("mariadb-dump")
    );
    let gitea = json(&get(
        Databasement,
        "/api/v1/snapshots?filter[database_name]=gitea&per_page=1",
    ));
    let newest = gitea["data"][0]["started_at"].as_str().unwrap();
    assert!(
        newest.starts_with("2026-05-16T00:00"),
        "newest gitea dump is from Saturday night: {newest}"
    );
    // Backrest: app-configs missed two nights; photo-archive never ran (pending only).
    let ops = json(&rpc(
        "GetOperations",
        "{\"selector\":{\"planId\":\"photo-archive\"}}",
    ));
    let statuses: Vec<&str> = ops["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, vec!["STATUS_PENDING"]);
    let dash = json(&rpc("GetSummaryDashboard", "{}"));
    let app = dash["planSummaries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "app-configs")
        .unwrap();
    let newest_ms: i64 = app["recentBackups"]["timestampMs"][0]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(TEST_NOW * 1000 - newest_ms > 49 * 3600 * 1000);
    // Unknown: usb-offsite is not mounted (PBS 400, PVE 500 for its storage).
    let r = get(
        Pve,
        "/api2/json/nodes/pve1/storage/pbs-usb/content?content=backup",
    );
    assert_eq!(r.status, 500);
}

#[test]
fn same_scenario_and_now_give_identical_bytes() {
    let a = World::generate(&scenario(), TEST_NOW);
    let b = World::generate(&scenario(), TEST_NOW);
    let paths = [
        (Pbs, "/api2/json/admin/datastore/store1/snapshots"),
        (Pbs, "/api2/json/nodes/localhost/tasks?limit=0"),
        (Pbs, "/api2/json/status/datastore-usage"),
        (Pve, "/api2/json/cluster/backup"),
        (Pve, "/api2/json/cluster/resources"),
        (Databasement, "/api/v1/snapshots?per_page=100"),
        (Databasement, "/api/v1/jobs?per_page=100&page=3"),
    ];
    for (p, path) in paths {
        let au = auth(p);
        let req = Request::get(
            path,
            &[("authorization", &au), ("accept", "application/json")],
        );
        assert_eq!(
            handle(p, &a, &env(), &req).body,
            handle(p, &b, &env(), &req).body,
            "{path}"
        );
    }
    let au = auth(Backrest);
    for body in ["{}", "{\"selector\":{}}"] {
        for m in ["GetSummaryDashboard", "GetOperations"] {
            if m == "GetSummaryDashboard" && body != "{}" {
                continue;
            }
            let req = Request::post_json(
                &format!("/v1.Backrest/{m}"),
                body,
                &[("authorization", &au)],
            );
            assert_eq!(
                handle(Backrest, &a, &env(), &req).body,
                handle(Backrest, &b, &env(), &req).body
            );
        }
    }
    // A later instant keeps the past: an old snapshot keeps its time and size.
    let later = World::generate(&scenario(), TEST_NOW + 3600);
    let old = |w: &World| {
        w.pbs.stores[0]
            .snaps
            .iter()
            .find(|s| s.id == "101" && s.time < TEST_NOW - 5 * 86_400)
            .map(|s| (s.time, s.size))
    };
    assert_eq!(old(&a), old(&later));
}

#[test]
fn databasement_pagination_like_laravel() {
    let p1 = json(&get(
        Databasement,
        "/api/v1/jobs?per_page=500&filter[status]=completed",
    ));
    assert_eq!(p1["meta"]["per_page"], 100, "per_page is capped at 100");
    let total = p1["meta"]["total"].as_u64().unwrap();
    assert!(total > 100);
    let next = p1["links"]["next"].as_str().unwrap();
    assert!(
        next.ends_with("/api/v1/jobs?page=2"),
        "links drop filters and per_page: {next}"
    );
    let last_page = p1["meta"]["last_page"].as_u64().unwrap();
    assert_eq!(last_page, total.div_ceil(100));
    let links = p1["meta"]["links"].as_array().unwrap();
    assert_eq!(links.first().unwrap()["label"], "&laquo; Previous");
    assert_eq!(links.last().unwrap()["page"], 2);
    // A page past the end: empty, from/to null.
    let past = json(&get(
        Databasement,
        &format!("/api/v1/snapshots?page={}", 10_000),
    ));
    assert!(past["data"].as_array().unwrap().is_empty());
    assert!(past["meta"]["from"].is_null() && past["meta"]["to"].is_null());
    // Default 15; a big list gets the "..." window.
    let d = json(&get(Databasement, "/api/v1/jobs"));
    assert_eq!(d["meta"]["per_page"], 15);
    let labels: Vec<&str> = d["meta"]["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"..."), "{labels:?}");
    // Unknown filters and sorts are 400s, as spatie/laravel-query-builder answers.
    let r = get(Databasement, "/api/v1/snapshots?filter[nope]=1");
    assert_eq!(r.status, 400);
    let r = get(Databasement, "/api/v1/jobs?sort=-nope");
    assert_eq!(r.status, 400);
    // Backrest lastN: the newest N, ascending by id.
    let ops = json(&rpc(
        "GetOperations",
        "{\"selector\":{\"planId\":\"vault-snapshot\"},\"lastN\":\"4\"}",
    ));
    let ids: Vec<i64> = ops["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(ids.len(), 4);
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn demo_config_parses_without_errors() {
    let text = include_str!("../../../config/demo.toml");
    let loaded = backwatch_core::config::parse(text).expect("valid TOML");
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Every service of the scenario is configured.
    for s in scenario().services {
        assert!(
            loaded.config.services.iter().any(|c| c.name == s.name),
            "{} missing from demo.toml",
            s.name
        );
    }
}

#[test]
fn scale_scenario_has_10k_snapshots() {
    let sc = backwatch_sim::scenario::Scenario::parse(backwatch_sim::scenario::SCALE_10K).unwrap();
    let w = World::generate(&sc, sc.test_now().unwrap().unwrap());
    let snaps = &w.pbs.stores[0].snaps;
    assert_eq!(snaps.len(), 300 * 35);
    let ns: std::collections::BTreeSet<&str> = snaps.iter().map(|s| s.ns.as_str()).collect();
    assert_eq!(ns.len(), 5);
}

#[test]
fn malformed_requests_get_error_responses() {
    let odd_paths = [
        "/",
        "//",
        "/api2/json",
        "/api2/json/",
        "/api2/json/%zz",
        "/api2/json/admin/datastore/%ff%fe/groups",
        "/api2/json/admin/datastore/store1/groups?ns=%",
        "/api2/json/nodes/localhost/tasks?limit=-5&start=99999999999",
        "/api2/json/nodes/localhost/tasks?statusfilter=bogus",
        "/api2/json/admin/datastore/store1/namespace?max-depth=99",
        "/api2/json/nodes/../../etc/passwd/time",
        "/api2/json/nodes/pve1/storage/nope/content?vmid=x",
        "/api/v1/snapshots?page=-3&per_page=abc",
        "/api/v1/jobs?page=999999999999999999999",
        "/api/v1/snapshots?filter=1",
        "/api/v1/jobs/unknown",
        "/api/v1/",
        "/api/v1/snapshots?sort=",
    ];
    for p in [Pbs, Pve, Databasement] {
        for path in odd_paths {
            let r = get(p, path);
            assert!((200..600).contains(&r.status), "{p:?} {path}");
        }
    }
    let a = auth(Backrest);
    for body in [
        "",
        "[]",
        "null",
        "{",
        "{\"selector\":[]}",
        "{\"selector\":{\"ids\":[\"x\",1]}}",
        "{\"nope\":1}",
        "\u{0}",
    ] {
        for m in [
            "GetOperations",
            "GetSummaryDashboard",
            "GetConfig",
            "ListSnapshots",
            "Nope",
        ] {
            let r = raw(
                Backrest,
                Request::post_json(&format!("/v1.Backrest/{m}"), body, &[("authorization", &a)]),
            );
            assert!((200..600).contains(&r.status), "{m} {body:?}");
        }
    }
    let r = raw(
        Backrest,
        Request::get("/v1.Backrest/GetOperations", &[("authorization", &a)]),
    );
    assert_eq!(r.status, 405);
}
