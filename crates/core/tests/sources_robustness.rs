//! No panic on outside data: every response of every collector run is replaced, one at a
//! time, by mangled variants (truncations, type swaps, odd statuses, garbage) and the
//! collector must still finish with `Ok` or a typed `Err`.

mod support;

use backwatch_core::model::Epoch;
use backwatch_core::sources::backrest::{BackrestCache, BackrestCollector, BackrestSettings};
use backwatch_core::sources::databasement::{DatabasementCollector, DatabasementSettings};
use backwatch_core::sources::drive;
use backwatch_core::sources::pbs::{PbsCache, PbsCollector, PbsSettings};
use backwatch_core::sources::pve::{PveCollector, PveSettings, PveStorage};
use backwatch_core::sources::{Collector, HttpResponse};
use support::FakeServer;

fn mutations(body: &str) -> Vec<(u16, String)> {
    let mut out = Vec::new();
    let cuts: Vec<usize> = body.char_indices().map(|(i, _)| i).collect();
    for k in 1..8 {
        if let Some(&cut) = cuts.get(cuts.len() * k / 8) {
            out.push((200, body[..cut].to_owned()));
        }
    }
    out.push((200, body.replace('"', "'")));
    out.push((200, body.replace(':', ":[").replace(',', "],")));
    out.push((200, body.replace("1", "\"1\"")));
    out.push((200, body.replace("\"", "\"\u{FFFD}")));
    out.push((200, body.replace("true", "null").replace("false", "{}")));
    out.push((200, body.replace('[', "{").replace(']', "}")));
    out.push((200, "null".into()));
    out.push((200, "[]".into()));
    out.push((200, "{\"data\":null}".into()));
    out.push((200, "{\"data\":{}}".into()));
    out.push((200, "\u{FEFF}{}".into()));
    out.push((200, "🦀".repeat(300)));
    for status in [204, 301, 400, 401, 403, 404, 429, 500, 502, 503] {
        out.push((status, body.to_owned()));
    }
    out
}

fn hammer(
    name: &str,
    routes: Vec<(String, String)>,
    make: &dyn Fn() -> Box<dyn Collector>,
    now: Epoch,
) -> usize {
    let mut runs = 0;
    for (victim, body) in &routes {
        for (status, mangled) in mutations(body) {
            let mut s = FakeServer::new();
            for (k, b) in &routes {
                s.route(k.clone(), support::json(b.clone()));
            }
            s.route(
                victim.clone(),
                HttpResponse {
                    status,
                    content_type: Some("application/json".into()),
                    body: mangled,
                },
            );
            let (collected, trace) = drive::run(make(), now, |r| s.respond(r));
            assert!(trace.round_trips() < 10, "{name}: {victim}");
            if let Err(e) = &collected.result {
                assert!(!e.to_string().is_empty());
            }
            runs += 1;
        }
    }
    runs
}

fn files(base: &str, list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(path, file)| (format!("{base}{path}"), support::fixture(file)))
        .collect()
}

#[test]
fn pbs_survives_mangled_responses() {
    let routes = files(
        "/api/pbs/api2/json",
        &[
            ("/admin/datastore", "pbs/admin_datastore_list.json"),
            (
                "/admin/datastore/store1/namespace",
                "pbs/datastore_namespaces.json",
            ),
            (
                "/admin/datastore/store1/groups",
                "pbs/datastore_groups.json",
            ),
            (
                "/admin/datastore/store1/groups?ns=lab",
                "pbs/datastore_groups_ns_lab.json",
            ),
            (
                "/admin/datastore/store1/snapshots",
                "pbs/datastore_snapshots.json",
            ),
            (
                "/admin/datastore/store1/snapshots?ns=lab",
                "pbs/datastore_snapshots_ns_lab.json",
            ),
            ("/status/datastore-usage", "pbs/status_datastore_usage.json"),
            ("/admin/gc", "pbs/admin_gc.json"),
            ("/admin/prune", "pbs/admin_prune.json"),
            ("/admin/verify", "pbs/admin_verify.json"),
            (
                "/admin/sync?sync-direction=all",
                "pbs/admin_sync_direction_all.json",
            ),
            ("/config/datastore", "pbs/config_datastore_list.json"),
            (
                "/nodes/localhost/tasks?errors=1&since=1778932800",
                "pbs/nodes_localhost_tasks_errors.json",
            ),
            ("/version", "pbs/version.json"),
            ("/nodes/localhost/status", "pbs/nodes_localhost_status.json"),
            ("/nodes/localhost/time", "pbs/nodes_localhost_time.json"),
        ],
    );
    let now = 1_779_019_200;
    let n = hammer(
        "pbs",
        routes,
        &|| {
            Box::new(PbsCollector::new(
                PbsSettings::default(),
                PbsCache::new(),
                now,
            ))
        },
        now,
    );
    assert!(n > 400, "{n}");
}

#[test]
fn pve_survives_mangled_responses() {
    let routes = files(
        "/api/pve/api2/json",
        &[
            ("/cluster/backup", "pve/cluster_backup.json"),
            (
                "/cluster/resources?type=vm",
                "pve/cluster_resources_type_vm.json",
            ),
            (
                "/cluster/backup-info/not-backed-up",
                "pve/cluster_backup_info_not_backed_up.json",
            ),
            ("/version", "pve/version.json"),
            ("/nodes/pve1/time", "pve/nodes_pve1_time.json"),
            (
                "/nodes/pve1/storage/pbs-store1/content?content=backup",
                "pve/nodes_pve1_storage_pbs-store1_content_backup.json",
            ),
        ],
    );
    let make = || -> Box<dyn Collector> {
        let mut s = PveSettings::default();
        s.pbs_storages.push(PveStorage {
            node: "pve1".into(),
            storage: "pbs-store1".into(),
        });
        Box::new(PveCollector::new(s))
    };
    hammer("pve", routes, &make, 1_779_019_200);
}

#[test]
fn databasement_survives_mangled_responses() {
    let routes = files(
        "/api/databasement/api/v1",
        &[
            (
                "/database-servers?per_page=100",
                "databasement/database_servers_index.json",
            ),
            (
                "/backup-schedules?per_page=100",
                "databasement/backup_schedules_index.json",
            ),
            (
                "/snapshots?per_page=100&sort=-started_at",
                "databasement/snapshots_index_page1.json",
            ),
            (
                "/snapshots?per_page=100&sort=-started_at&page=2",
                "databasement/snapshots_index_page2.json",
            ),
            (
                "/jobs?filter[status]=failed&filter[type]=backup&per_page=100",
                "databasement/jobs_index_page1.json",
            ),
        ],
    );
    let now = 1_785_231_060;
    hammer(
        "databasement",
        routes,
        &|| {
            Box::new(DatabasementCollector::new(
                DatabasementSettings::default(),
                now,
            ))
        },
        now,
    );
}

#[test]
fn backrest_survives_mangled_responses() {
    let base = "/api/backrest/v1.Backrest";
    let op = |plan: &str, file: &str| {
        (
            format!("{base}/GetOperations {{\"selector\":{{\"planId\":\"{plan}\"}}}}"),
            support::fixture(file),
        )
    };
    let routes = vec![
        (
            format!("{base}/GetSummaryDashboard"),
            support::fixture("backrest/get_summary_dashboard_v1.14.json"),
        ),
        op("photos", "backrest/get_operations_photos_all.json"),
        op(
            "docker-volumes",
            "backrest/get_operations_docker-volumes_lastN12.json",
        ),
        op("home-dirs", "backrest/get_operations_home-dirs_lastN4.json"),
        op(
            "media-archive",
            "backrest/get_operations_media-archive_never_run.json",
        ),
    ];
    let now = 1_785_231_060;
    hammer(
        "backrest",
        routes,
        &|| {
            Box::new(BackrestCollector::new(
                BackrestSettings::default(),
                BackrestCache::new(),
                now,
            ))
        },
        now,
    );
}
