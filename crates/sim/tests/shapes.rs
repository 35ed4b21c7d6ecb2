//! Every endpoint's output has the shape of the matching shared fixture: same keys, same
//! JSON types, recursively (`common::shape`).

mod common;

use backwatch_sim::api::Product::{Databasement, Pbs, Pve};
use common::{assert_shape, get, json, rpc};

fn pbs(path: &str, fixtures: &[&str], optional: &[&str]) {
    let r = get(Pbs, &format!("/api2/json{path}"));
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    assert_eq!(r.content_type(), Some("application/json;charset=UTF-8"));
    let fx: Vec<String> = fixtures.iter().map(|f| format!("pbs/{f}")).collect();
    let fx: Vec<&str> = fx.iter().map(String::as_str).collect();
    assert_shape(path, &json(&r), &fx, optional);
}

#[test]
fn pbs_endpoints_match_the_fixtures() {
    pbs("/version", &["version.json"], &[]);
    pbs("/admin/datastore", &["admin_datastore_list.json"], &[]);
    pbs(
        "/admin/datastore/store1/namespace",
        &["datastore_namespaces.json"],
        &[],
    );
    pbs(
        "/admin/datastore/store1/groups",
        &["datastore_groups.json"],
        &[],
    );
    pbs(
        "/admin/datastore/store1/groups?ns=hosts",
        &["datastore_groups.json"],
        &[],
    );
    pbs(
        "/admin/datastore/store1/snapshots",
        &[
            "datastore_snapshots.json",
            "datastore_snapshots_ns_lab.json",
        ],
        &[],
    );
    pbs(
        "/admin/datastore/store1/snapshots?ns=&backup-type=ct&backup-id=103",
        &["datastore_snapshots.json"],
        &[],
    );
    pbs(
        "/admin/datastore/store1/status",
        &["datastore_status.json"],
        &[],
    );
    pbs(
        "/admin/datastore/store1/status?verbose=1",
        &["datastore_status_verbose.json"],
        &[],
    );
    pbs("/admin/datastore/store1/gc", &["datastore_gc.json"], &[]);
    pbs("/admin/gc", &["admin_gc.json"], &[]);
    pbs("/admin/prune", &["admin_prune.json"], &[]);
    pbs("/config/prune", &["config_prune.json"], &[]);
    pbs("/admin/verify", &["admin_verify.json"], &[]);
    pbs("/config/verify", &["config_verify.json"], &[]);
    pbs(
        "/admin/sync?sync-direction=all",
        &["admin_sync_direction_all.json", "admin_sync.json"],
        &[],
    );
    pbs("/admin/sync", &["admin_sync.json"], &[]);
    pbs("/config/sync", &["config_sync.json"], &[]);
    pbs(
        "/config/datastore/store1",
        &["config_datastore_store1.json"],
        &["tuning"],
    );
    pbs(
        "/status/datastore-usage",
        &["status_datastore_usage.json"],
        &[],
    );
    pbs(
        "/nodes/localhost/tasks",
        &["nodes_localhost_tasks.json"],
        &[],
    );
    pbs(
        "/nodes/localhost/tasks?errors=1&since=1778000000",
        &["nodes_localhost_tasks_errors.json"],
        &[],
    );
    pbs(
        "/nodes/localhost/status",
        &["nodes_localhost_status.json"],
        &[],
    );
    pbs("/nodes/localhost/time", &["nodes_localhost_time.json"], &[]);
    pbs("/tape/backup", &["tape_backup_jobs.json"], &[]);
}

fn pve(path: &str, fixture: &str) {
    let r = get(Pve, &format!("/api2/json{path}"));
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    // Values inside property strings (prune-backups) are optional one by one.
    assert_shape(
        path,
        &json(&r),
        &[&format!("pve/{fixture}")],
        &["keep-weekly", "keep-last"],
    );
}

#[test]
fn pve_endpoints_match_the_fixtures() {
    pve("/version", "version.json");
    pve("/cluster/backup", "cluster_backup.json");
    pve(
        "/cluster/backup-info/not-backed-up",
        "cluster_backup_info_not_backed_up.json",
    );
    pve(
        "/cluster/resources?type=vm",
        "cluster_resources_type_vm.json",
    );
    pve("/nodes/pve1/time", "nodes_pve1_time.json");
    pve(
        "/nodes/pve1/storage/pbs-store1/content?content=backup",
        "nodes_pve1_storage_pbs-store1_content_backup.json",
    );
    pve(
        "/nodes/pve1/storage/local/content?content=backup",
        "nodes_pve1_storage_local_content_backup.json",
    );
}

fn db(path: &str, fixtures: &[&str]) -> serde_json::Value {
    let r = get(Databasement, &format!("/api/v1{path}"));
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    let v = json(&r);
    let fx: Vec<String> = fixtures
        .iter()
        .map(|f| format!("databasement/{f}"))
        .collect();
    let fx: Vec<&str> = fx.iter().map(String::as_str).collect();
    assert_shape(path, &v, &fx, &[]);
    v
}

#[test]
fn databasement_endpoints_match_the_fixtures() {
    db("/database-servers", &["database_servers_index.json"]);
    db("/backup-schedules", &["backup_schedules_index.json"]);
    db("/volumes", &["volumes_index.json"]);
    db("/snapshots?per_page=6", &["snapshots_index_page1.json"]);
    let jobs = db(
        "/jobs?per_page=100",
        &["jobs_index_page1.json", "jobs_show_failed.json"],
    );
    db(
        "/snapshots?filter[database_name]=nextcloud&filter[status]=completed&per_page=1",
        &["snapshots_count_nextcloud_completed.json"],
    );
    db(
        "/snapshots?filter[database_name]=nosuchdb",
        &["snapshots_empty_never_run_wiki.json"],
    );
    let failed = jobs["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["status"] == "failed")
        .expect("a failed job");
    let id = failed["id"].as_str().unwrap();
    db(&format!("/jobs/{id}"), &["jobs_show_failed.json"]);
}

/// protojson omits zero int64s: a summary of a small backup lacks some of them.
const SUMMARY_ZEROS: [&str; 11] = [
    "filesNew",
    "filesChanged",
    "filesUnmodified",
    "dirsNew",
    "dirsChanged",
    "dirsUnmodified",
    "dataBlobs",
    "treeBlobs",
    "dataAdded",
    "totalFilesProcessed",
    "totalBytesProcessed",
];

#[test]
fn backrest_rpcs_match_the_fixtures() {
    let r = rpc("GetSummaryDashboard", "{}");
    assert_eq!(r.status, 200);
    // protojson omits zero int64s and empty lists: those keys are optional.
    let zero_omitted = [
        "backupsFailed30days",
        "backupsWarningLast30days",
        "backupsSuccessLast30days",
        "bytesScannedLast30days",
        "bytesAddedLast30days",
        "bytesScannedAvg",
        "bytesAddedAvg",
        "nextBackupTimeMs",
        "protectedBytes",
        "flowId",
        "timestampMs",
        "durationMs",
        "status",
        "bytesAdded",
        "bytesScanned",
        "statusCounts",
        "overdue",
    ];
    assert_shape(
        "dashboard",
        &json(&r),
        &["backrest/get_summary_dashboard_v1.14.json"],
        &zero_omitted,
    );
    let ops = [
        "backrest/get_operations_docker-volumes_lastN12.json",
        "backrest/get_operations_home-dirs_lastN4.json",
        "backrest/get_operations_media-archive_never_run.json",
        "backrest/get_operations_photos_all.json",
    ];
    for plan in [
        "vault-snapshot",
        "app-configs",
        "databasement-dumps",
        "photo-archive",
    ] {
        let r = rpc(
            "GetOperations",
            &format!(
                "{{\"selector\":{{\"planId\":\"{plan}\",\"instanceId\":\"homelab\"}},\"lastN\":\"20\"}}"
            ),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        assert_shape(plan, &json(&r), &ops, &SUMMARY_ZEROS);
    }
    let r = rpc("GetOperations", "{\"selector\":{\"planId\":\"nope\"}}");
    assert_eq!(r.text(), "{}", "an empty list is omitted");
    let r = rpc("GetOperations", "{}");
    assert_eq!(r.status, 500);
    assert_shape(
        "empty selector",
        &json(&r),
        &["backrest/error_get_operations_empty_selector.json"],
        &[],
    );
    assert_eq!(json(&r)["message"], "empty selector");
    let r = rpc("GetConfig", "{}");
    assert_eq!(r.status, 200);
    assert_shape(
        "config",
        &json(&r),
        &["backrest/get_config.json"],
        &[
            "excludes",
            "iexcludes",
            "hooks",
            "skipIfUnchanged",
            "backup_flags",
            "env",
            "readDataSubsetPercent",
            "clock",
        ],
    );
}

#[test]
fn error_bodies_match_the_fixtures() {
    use backwatch_sim::api::{Request, handle};
    let w = common::world();
    let env = common::env();
    // Databasement 401 with Accept JSON, 403 for a foreign organization.
    let r = handle(
        Databasement,
        w,
        &env,
        &Request::get("/api/v1/jobs", &[("accept", "application/json")]),
    );
    assert_eq!(r.status, 401);
    assert_shape(
        "401",
        &json(&r),
        &["databasement/error_401_unauthenticated.json"],
        &[],
    );
    let a = common::auth(Databasement);
    let r = handle(
        Databasement,
        w,
        &env,
        &Request::get(
            "/api/v1/jobs?org_id=01XXXXXXXXXXXXXXXXXXXXXXXX",
            &[("authorization", &a), ("accept", "application/json")],
        ),
    );
    assert_eq!(r.status, 403);
    assert_eq!(json(&r), common::fixture("databasement/error_403_org.json"));
    // PVE parameter error.
    let r = get(Pve, "/api2/json/cluster/resources?type=vms");
    assert_eq!(r.status, 400);
    assert_eq!(
        json(&r),
        common::fixture("pve/errors/400_parameter_verification_failed.json")
    );
}
