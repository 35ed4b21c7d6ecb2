//! Every fixture is accounted for: decoded into its wire type with an asserted value, used
//! by a collector test (named), or listed as not read by backwatch (with the reason).
//! A new fixture file fails `every_fixture_is_accounted_for` until it is added here.

// Settings are tweaked field by field, as a config mapper would; tables use tuple rows.
#![allow(clippy::field_reassign_with_default, clippy::type_complexity)]

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use backwatch_core::sources::HttpResponse;
use backwatch_core::sources::http::decode;
use backwatch_core::sources::{backrest, databasement as dbm, pbs, pve};
use pbs::wire::Envelope;

enum Use {
    /// Decoded here with asserted values.
    Decode(fn(&str)),
    /// Driven through a collector in the named test.
    Collector(&'static str),
    /// Not requested by backwatch.
    NotRead(&'static str),
}

fn de<T: serde::de::DeserializeOwned>(body: &str) -> T {
    let resp = HttpResponse {
        status: 200,
        content_type: None,
        body: body.to_owned(),
    };
    decode::<T>("/fixture", &resp).unwrap_or_else(|e| panic!("{e}"))
}

fn table() -> Vec<(&'static str, Use)> {
    use Use::*;
    vec![
        (
            "pbs/admin_datastore_list.json",
            Collector("sources_pbs::full_collection_request_sequence"),
        ),
        ("pbs/admin_gc.json", Collector("sources_pbs::jobs_convert")),
        (
            "pbs/admin_prune.json",
            Collector("sources_pbs::jobs_convert"),
        ),
        (
            "pbs/admin_sync.json",
            Collector("sources_pbs::old_servers_fall_back"),
        ),
        (
            "pbs/admin_sync_direction_all.json",
            Collector("sources_pbs::jobs_convert"),
        ),
        (
            "pbs/admin_verify.json",
            Collector("sources_pbs::jobs_convert"),
        ),
        (
            "pbs/config_datastore_list.json",
            Collector("sources_pbs::jobs_convert"),
        ),
        (
            "pbs/config_datastore_store1.json",
            Decode(|b| {
                let d: Envelope<pbs::wire::DataStoreConfig> = de(b);
                assert_eq!(
                    (d.data.name.as_str(), d.data.gc_schedule.as_deref()),
                    ("store1", Some("daily"))
                );
            }),
        ),
        (
            "pbs/config_prune.json",
            Decode(|b| {
                // The config shape is the job shape without status fields.
                let d: Envelope<Vec<pbs::wire::PruneJob>> = de(b);
                assert_eq!(d.data.len(), 2);
                assert!(d.data[1].disable);
                assert_eq!(d.data[0].next_run, None);
            }),
        ),
        (
            "pbs/config_sync.json",
            Decode(|b| {
                let d: Envelope<Vec<pbs::wire::SyncJob>> = de(b);
                assert_eq!(d.data[0].id, "s-6c4a3e0b-1f2d");
                assert!(d.data.iter().all(|j| j.last_run_state.is_none()));
            }),
        ),
        (
            "pbs/config_verify.json",
            Decode(|b| {
                let d: Envelope<Vec<pbs::wire::VerifyJob>> = de(b);
                assert_eq!(d.data[0].schedule.as_deref(), Some("sat 05:00"));
            }),
        ),
        (
            "pbs/datastore_gc.json",
            Decode(|b| {
                // PBS ≥ 3.2 per-store GC job status (the fallback reads this shape too).
                let d: Envelope<pbs::wire::GcStatus> = de(b);
                assert_eq!(d.data.index_data_bytes, Some(2_306_847_690_752));
                assert_eq!(d.data.disk_bytes, Some(389_104_381_542));
                assert_eq!(d.data.next_run, Some(1_779_062_400));
                assert_eq!(d.data.duration, Some(312));
            }),
        ),
        (
            "pbs/datastore_groups.json",
            Collector("sources_pbs::groups_and_snapshots_convert"),
        ),
        (
            "pbs/datastore_groups_ns_lab.json",
            Collector("sources_pbs::groups_and_snapshots_convert"),
        ),
        (
            "pbs/datastore_groups_ns_lab_old.json",
            Collector("sources_pbs::full_collection_request_sequence"),
        ),
        (
            "pbs/datastore_namespaces.json",
            Collector("sources_pbs::full_collection_request_sequence"),
        ),
        (
            "pbs/datastore_snapshots.json",
            Collector("sources_pbs::groups_and_snapshots_convert"),
        ),
        (
            "pbs/datastore_snapshots_ns_lab.json",
            Collector("sources_pbs::groups_and_snapshots_convert"),
        ),
        (
            "pbs/datastore_status.json",
            NotRead("/status/datastore-usage gives every store's usage in one call"),
        ),
        (
            "pbs/datastore_status_verbose.json",
            NotRead("counts come from /groups per namespace; GC from /admin/gc"),
        ),
        (
            "pbs/nodes_localhost_status.json",
            Collector("sources_pbs::tasks_datastores_server"),
        ),
        (
            "pbs/nodes_localhost_tasks.json",
            Decode(|b| {
                let d: Envelope<Vec<pbs::wire::TaskListItem>> = de(b);
                assert_eq!(d.data.len(), 13);
                assert!(
                    d.data.iter().any(|t| t.worker_id.is_none()),
                    "null worker_id"
                );
                assert_eq!(d.data[0].endtime, None, "running first");
            }),
        ),
        (
            "pbs/nodes_localhost_tasks_errors.json",
            Collector("sources_pbs::tasks_datastores_server"),
        ),
        (
            "pbs/nodes_localhost_time.json",
            Collector("sources_pbs::tasks_datastores_server"),
        ),
        (
            "pbs/status_datastore_usage.json",
            Collector("sources_pbs::tasks_datastores_server"),
        ),
        (
            "pbs/tape_backup_jobs.json",
            Collector("sources_pbs::tape_jobs_when_enabled"),
        ),
        (
            "pbs/version.json",
            Collector("sources_pbs::tasks_datastores_server"),
        ),
        (
            "pbs/errors/400_datastore_not_mounted.txt",
            Collector("sources_errors::pinned_messages"),
        ),
        (
            "pbs/errors/400_no_such_datastore.txt",
            Collector("sources_errors::pinned_messages"),
        ),
        (
            "pbs/errors/400_param_verification.txt",
            Collector("sources_errors::pinned_messages"),
        ),
        (
            "pbs/errors/400_unsupported_content_type.txt",
            NotRead("GETs never carry a Content-Type (asserted in the request tests)"),
        ),
        (
            "pbs/errors/401_authentication_failed.txt",
            Collector("sources_errors::pinned_messages"),
        ),
        (
            "pbs/errors/403_permission_check_failed.txt",
            Collector("sources_errors::pinned_messages"),
        ),
        (
            "pbs/errors/404_path_not_found.txt",
            Collector("sources_errors::pinned_messages"),
        ),
        (
            "pve/cluster_backup.json",
            Collector("sources_pve::jobs_resolve_to_guests"),
        ),
        (
            "pve/cluster_backup_info_not_backed_up.json",
            Collector("sources_pve::guests_and_not_backed_up"),
        ),
        (
            "pve/cluster_jobs_schedule_analyze_mon-fri_0200.json",
            NotRead(
                "backwatch evaluates calendar events itself; an oracle for the schedule engine",
            ),
        ),
        (
            "pve/cluster_resources_type_vm.json",
            Collector("sources_pve::guests_and_not_backed_up"),
        ),
        (
            "pve/nodes_pve1_storage_local_content_backup.json",
            Collector("sources_pve::storage_quirks_become_warnings"),
        ),
        (
            "pve/nodes_pve1_storage_pbs-store1_content_backup.json",
            Collector("sources_pve::pbs_via_pve_sets"),
        ),
        (
            "pve/nodes_pve1_time.json",
            Collector("sources_pve::request_sequence"),
        ),
        (
            "pve/version.json",
            Collector("sources_pve::guests_and_not_backed_up"),
        ),
        (
            "pve/errors/400_parameter_verification_failed.json",
            Collector("sources_errors::pinned_messages"),
        ),
        (
            "pve/errors/401_authentication_failed.txt",
            Collector("sources_errors::pinned_messages"),
        ),
        (
            "pve/errors/403_permission_check_failed.json",
            Collector("sources_errors::pinned_messages"),
        ),
        (
            "pve/errors/403_permission_check_failed_pre_http_server_5.2.json",
            Collector("sources_errors::pinned_messages"),
        ),
        (
            "databasement/backup_schedules_index.json",
            Collector("sources_databasement::jobs_per_backup_config"),
        ),
        (
            "databasement/database_servers_index.json",
            Collector("sources_databasement::jobs_per_backup_config"),
        ),
        (
            "databasement/error_401_unauthenticated.json",
            Collector("sources_errors::pinned_messages"),
        ),
        (
            "databasement/error_403_org.json",
            Collector("sources_errors::pinned_messages"),
        ),
        (
            "databasement/health.json",
            NotRead("public health check; the API answering is the health signal"),
        ),
        (
            "databasement/health_debug.json",
            NotRead("offset of one instant is not a time zone; the zone is a setting"),
        ),
        (
            "databasement/jobs_index_page1.json",
            Collector("sources_databasement::databases_grouped_exactly"),
        ),
        (
            "databasement/jobs_show_failed.json",
            Decode(|b| {
                #[derive(serde::Deserialize)]
                struct Show {
                    data: dbm::wire::Job,
                }
                let d: Show = de(b);
                assert_eq!(d.data.status, dbm::wire::JobStatus::Failed);
                assert!(
                    d.data
                        .error_message
                        .as_deref()
                        .unwrap()
                        .ends_with("(1932)\n")
                );
                assert_eq!(d.data.kind.as_deref(), Some("backup"));
            }),
        ),
        (
            "databasement/snapshots_count_nextcloud_completed.json",
            Decode(|b| {
                // The meta.total count trick (not used, see the module docs) decodes too.
                let d: dbm::wire::Page<dbm::wire::Snapshot> = de(b);
                assert_eq!(d.meta.and_then(|m| m.total), Some(23));
                assert_eq!(d.data[0].file_size, Some(188_743_680));
            }),
        ),
        (
            "databasement/snapshots_empty_never_run_wiki.json",
            Decode(|b| {
                let d: dbm::wire::Page<dbm::wire::Snapshot> = de(b);
                assert!(d.data.is_empty());
                assert_eq!(d.meta.and_then(|m| m.last_page), Some(1));
            }),
        ),
        (
            "databasement/snapshots_index_page1.json",
            Collector("sources_databasement::databases_grouped_exactly"),
        ),
        (
            "databasement/snapshots_index_page2.json",
            Collector("sources_databasement::databases_grouped_exactly"),
        ),
        (
            "databasement/volumes_index.json",
            NotRead("storage targets are not shown"),
        ),
        (
            "backrest/error_get_operations_empty_selector.json",
            Collector("sources_backrest::errors"),
        ),
        (
            "backrest/get_operations_docker-volumes_lastN12.json",
            Collector("sources_backrest::plans_convert"),
        ),
        (
            "backrest/get_operations_empty.json",
            Decode(|b| {
                let d: backrest::wire::OperationList = de(b);
                assert!(d.operations.is_empty());
            }),
        ),
        (
            "backrest/get_operations_home-dirs_lastN4.json",
            Collector("sources_backrest::plans_convert"),
        ),
        (
            "backrest/get_operations_media-archive_never_run.json",
            Collector("sources_backrest::plans_convert"),
        ),
        (
            "backrest/get_operations_photos_all.json",
            Collector("sources_backrest::plans_convert"),
        ),
        (
            "backrest/get_summary_dashboard_pre1.14.json",
            Collector("sources_backrest::older_and_sparse_dashboards"),
        ),
        (
            "backrest/get_summary_dashboard_v1.14.json",
            Collector("sources_backrest::plans_convert"),
        ),
        (
            "backrest/list_snapshots_photos.json",
            NotRead("ListSnapshots runs restic live (slow); counts come from operations"),
        ),
        (
            "backrest/public_homepage_issue5839_no_plans.json",
            Decode(|b| {
                let d: backrest::wire::SummaryDashboard = de(b);
                assert!(d.plan_summaries.is_empty());
                assert_eq!(d.repo_summaries.len(), 2);
                assert_eq!(
                    d.repo_summaries[0]
                        .recent_backups
                        .as_ref()
                        .map(|r| r.flow_id.len()),
                    Some(0)
                );
            }),
        ),
        (
            "backrest/public_homepage_pr5741_repoSummaries_only.json",
            Decode(|b| {
                let d: backrest::wire::SummaryDashboard = de(b);
                let r = &d.repo_summaries[0];
                assert_eq!(r.next_backup_time_ms, Some(1_756_911_600_000));
                assert_eq!(r.backups_failed_30days, Some(1));
                let rb = r.recent_backups.as_ref().unwrap();
                assert_eq!(rb.status[1], backrest::wire::OpStatus::Error);
                assert_eq!(rb.timestamp_ms[0].0, 1_756_910_705_131);
            }),
        ),
    ]
}

#[test]
fn decodable_fixtures() {
    for (file, usage) in table() {
        if let Use::Decode(check) = usage {
            check(&support::fixture(file));
        }
    }
    // Keep the PVE module in the table's imports meaningful.
    let _ = pve::PveSettings::default();
}

#[test]
fn every_fixture_is_accounted_for() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fixtures");
    let mut files = BTreeSet::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json" || e == "txt") {
                files.insert(
                    path.strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    let listed: BTreeSet<String> = table().into_iter().map(|(f, _)| f.to_owned()).collect();
    let missing: Vec<&String> = files.difference(&listed).collect();
    let stale: Vec<&String> = listed.difference(&files).collect();
    assert!(
        missing.is_empty(),
        "fixtures not accounted for: {missing:?}"
    );
    assert!(stale.is_empty(), "listed but missing: {stale:?}");
    for (file, usage) in table() {
        match usage {
            Use::Collector(test) => {
                assert!(
                    test.starts_with("sources_") && test.contains("::"),
                    "{file}: {test}"
                )
            }
            Use::NotRead(reason) => assert!(reason.len() > 10, "{file}: give the reason"),
            Use::Decode(_) => {}
        }
    }
    let not_read = table()
        .iter()
        .filter(|(_, u)| matches!(u, Use::NotRead(_)))
        .count();
    assert!(not_read <= 9, "{not_read}");
}
