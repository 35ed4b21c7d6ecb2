//! PBS: fixtures through the collector, request sequence, partial failure, cache.

// Settings are tweaked field by field, as a config mapper would; tables use tuple rows.
#![allow(clippy::field_reassign_with_default, clippy::type_complexity)]

mod support;

use backwatch_core::model::{
    Coverage, Epoch, GuestType, JobKind, PbsLocation, RunOutcome, ScheduleSpec, SourceData,
    Subject, VerifyState,
};
use backwatch_core::sources::drive::{self, Trace};
use backwatch_core::sources::pbs::{PbsCache, PbsCollector, PbsSettings};
use backwatch_core::sources::{Collected, Method, SourceCache, SourceError};
use support::{FakeServer, JSON, status};

/// 2026-05-17T12:00:00Z, the fixtures' "now".
const NOW: Epoch = 1_779_019_200;
const API: &str = "/api/pbs/api2/json";

fn p(path: &str) -> String {
    format!("{API}{path}")
}

fn server() -> FakeServer {
    let mut s = FakeServer::new();
    support::pbs_fixture_routes(&mut s, NOW - 86_400);
    s
}

fn collect(
    s: &mut FakeServer,
    settings: PbsSettings,
    cache: PbsCache,
    now: Epoch,
) -> (Collected, Trace) {
    // The task window moves with `now`; answer it with the same fixture.
    let tasks = p(&format!(
        "/nodes/localhost/tasks?errors=1&since={}",
        now - 86_400
    ));
    if now != NOW {
        s.fixture(tasks, "pbs/nodes_localhost_tasks_errors.json");
    }
    let c = PbsCollector::new(settings, cache, now);
    drive::run(Box::new(c), now, |r| s.respond(r))
}

fn cache_of(c: &Collected) -> PbsCache {
    match &c.cache {
        Some(SourceCache::Pbs(cache)) => cache.clone(),
        other => panic!("no PBS cache: {other:?}"),
    }
}

fn data(c: &Collected) -> &SourceData {
    c.result
        .as_ref()
        .unwrap_or_else(|e| panic!("source failed: {e}"))
}

fn guest(ty: GuestType, id: u32) -> Subject {
    Subject::Guest { ty, id }
}

#[test]
fn full_collection_request_sequence() {
    let mut s = server();
    let (collected, trace) = collect(&mut s, PbsSettings::default(), PbsCache::new(), NOW);
    let waves: Vec<Vec<&str>> = trace
        .waves
        .iter()
        .map(|w| {
            w.iter()
                .map(|r| r.path.strip_prefix(API).unwrap())
                .collect()
        })
        .collect();
    assert_eq!(
        waves,
        vec![
            vec![
                "/admin/datastore",
                "/status/datastore-usage",
                "/admin/gc",
                "/admin/prune",
                "/admin/verify",
                "/admin/sync?sync-direction=all",
                "/config/datastore",
                "/nodes/localhost/tasks?errors=1&since=1778932800",
                "/version",
                "/nodes/localhost/status",
                "/nodes/localhost/time",
            ],
            vec!["/admin/datastore/store1/namespace"],
            vec![
                "/admin/datastore/store1/groups",
                "/admin/datastore/store1/groups?ns=lab",
                "/admin/datastore/store1/groups?ns=lab/old",
            ],
            vec![
                "/admin/datastore/store1/snapshots",
                "/admin/datastore/store1/snapshots?ns=lab",
            ],
        ]
    );
    for r in trace.waves.iter().flatten() {
        assert_eq!(r.method, Method::Get);
        assert!(r.headers.is_empty(), "GET with headers: {r:?}");
        assert!(r.body.is_none());
    }
    assert_eq!(collected.stats.requests, 17);
    assert_eq!(collected.stats.round_trips, 4);
    assert_eq!(collected.stats.failed, 0);
    let d = data(&collected);
    assert_eq!(
        d.warnings,
        vec!["datastore usb-offsite: not mounted; not read".to_owned()]
    );
}

#[test]
fn groups_and_snapshots_convert() {
    let mut s = server();
    let (collected, _) = collect(&mut s, PbsSettings::default(), PbsCache::new(), NOW);
    let d = data(&collected);
    assert_eq!(d.backups.len(), 5);
    let find = |subj: Subject| {
        d.backups
            .iter()
            .find(|b| b.subject == subj)
            .unwrap_or_else(|| panic!("no set for {subj}"))
    };

    // vm/100: an in-progress snapshot on top of three finished ones.
    let vm100 = find(guest(GuestType::Vm, 100));
    assert_eq!(
        vm100.location,
        Some(PbsLocation {
            datastore: "store1".into(),
            namespace: "".into()
        })
    );
    assert_eq!(vm100.snapshot_count, Some(3));
    assert_eq!(vm100.last_success, Some(1_778_983_212));
    assert_eq!(vm100.size_bytes, Some(34_360_280_369));
    assert_eq!(vm100.label.as_deref(), Some("homeassistant"));
    assert!(vm100.runs_complete);
    let outcomes: Vec<(Epoch, RunOutcome)> =
        vm100.runs.iter().map(|r| (r.start, r.outcome)).collect();
    assert_eq!(
        outcomes,
        vec![
            (1_779_019_170, RunOutcome::Running),
            (1_778_983_212, RunOutcome::Ok),
            (1_778_896_812, RunOutcome::Ok),
            (1_778_810_412, RunOutcome::Ok),
        ]
    );
    let v = vm100.verification.unwrap();
    assert_eq!((v.state, v.at), (VerifyState::Ok, Some(1_778_907_600)));
    assert_eq!(vm100.encrypted, Some(false));
    assert_eq!(vm100.protected_count, Some(0));

    // ct/102: newest verified snapshot failed verification; one protected snapshot.
    let ct102 = find(guest(GuestType::Ct, 102));
    assert_eq!(
        ct102.verification.map(|v| v.state),
        Some(VerifyState::Failed)
    );
    assert_eq!(ct102.protected_count, Some(1));
    assert_eq!(ct102.snapshot_count, Some(3));

    // vm/103: encrypted; the failed nightly (task) is attached as a failed run.
    let vm103 = find(guest(GuestType::Vm, 103));
    assert_eq!(vm103.encrypted, Some(true));
    assert_eq!(
        vm103.label.as_deref(),
        Some("Windows 11 - encrypted with key \"pve1-2025\"")
    );
    assert_eq!(vm103.last_success, Some(1_778_896_830));
    let first = &vm103.runs[0];
    assert_eq!(
        (first.start, first.end, first.outcome),
        (1_778_983_231, Some(1_778_983_592), RunOutcome::Failed)
    );
    assert_eq!(
        first.message.as_deref(),
        Some("backup ended but finished state is not set.")
    );
    assert_eq!(vm103.runs.len(), 3);

    // vm/200 in namespace lab.
    let vm200 = find(guest(GuestType::Vm, 200));
    assert_eq!(
        vm200.location.as_ref().map(|l| l.namespace.as_str()),
        Some("lab")
    );
    assert_eq!(vm200.label.as_deref(), Some("k3s-test"));
    assert_eq!(vm200.snapshot_count, Some(1));
    assert_eq!(vm200.verification, None);
}

#[test]
fn jobs_convert() {
    let mut s = server();
    let (collected, _) = collect(&mut s, PbsSettings::default(), PbsCache::new(), NOW);
    let d = data(&collected);
    let ids: Vec<(&str, JobKind)> = d.jobs.iter().map(|j| (j.id.as_str(), j.kind)).collect();
    assert_eq!(
        ids,
        vec![
            ("gc:store1", JobKind::GarbageCollection),
            ("gc:usb-offsite", JobKind::GarbageCollection),
            ("s-9b1e2f3a-4c5d", JobKind::Prune),
            ("s-0f5d8c7e-1a2b", JobKind::Prune),
            ("v-7c1f0b8e-2d3a", JobKind::Verify),
            ("s-6c4a3e0b-1f2d", JobKind::Sync),
            ("s-1d2e3f4a-5b6c", JobKind::Sync),
            ("s-3a4b5c6d-7e8f", JobKind::Sync),
        ]
    );
    let job = |id: &str| d.jobs.iter().find(|j| j.id == id).unwrap();

    let gc = job("gc:store1");
    assert_eq!(gc.schedule, Some(ScheduleSpec::Calendar("daily".into())));
    assert_eq!(gc.next_run, Some(1_779_062_400));
    let last = gc.last_run.as_ref().unwrap();
    assert_eq!(
        (last.start, last.end, last.outcome),
        (0x6A09_0502, Some(1_778_976_314), RunOutcome::Ok)
    );
    // usb-offsite: dropped from /admin/gc (not mounted) but scheduled in the config.
    let gc2 = job("gc:usb-offsite");
    assert_eq!(
        gc2.schedule,
        Some(ScheduleSpec::Calendar("sun 07:00".into()))
    );
    assert_eq!((gc2.next_run, gc2.last_run.as_ref()), (None, None));

    let disabled = job("s-0f5d8c7e-1a2b");
    assert!(!disabled.enabled);
    assert_eq!(disabled.next_run, None);
    assert_eq!(disabled.label, "Prune store1/lab");
    assert_eq!(
        disabled.covers,
        Coverage::Datastore {
            store: "store1".into(),
            namespace: Some("lab".into())
        }
    );

    let verify = job("v-7c1f0b8e-2d3a");
    let last = verify.last_run.as_ref().unwrap();
    assert_eq!(last.outcome, RunOutcome::Failed);
    assert_eq!(
        last.message.as_deref(),
        Some("verification failed - please check the log for details")
    );
    assert_eq!(verify.label, "weekly verify");

    let push = job("s-3a4b5c6d-7e8f");
    assert_eq!(
        push.last_run.as_ref().map(|r| r.outcome),
        Some(RunOutcome::Warning)
    );
    assert_eq!(push.label, "offsite push");
    let pull = job("s-1d2e3f4a-5b6c");
    assert_eq!(pull.label, "Sync friend-pbs:backups → store1");
    assert_eq!(pull.next_run, Some(1_779_053_400));
    let local = job("s-6c4a3e0b-1f2d");
    assert_eq!(
        local.last_run.as_ref().and_then(|r| r.message.as_deref()),
        Some("datastore 'usb-offsite' is not mounted")
    );
    // next-run in the past would stay as reported (pending); here it is in the future.
    assert!(d.jobs.iter().all(|j| j.zone.is_none()));
}

#[test]
fn tasks_datastores_server() {
    let mut s = server();
    let (collected, _) = collect(&mut s, PbsSettings::default(), PbsCache::new(), NOW);
    let d = data(&collected);
    let tasks: Vec<(&str, RunOutcome, Option<&Subject>)> = d
        .tasks
        .iter()
        .map(|t| (t.worker_type.as_str(), t.run.outcome, t.subject.as_ref()))
        .collect();
    let vm103 = guest(GuestType::Vm, 103);
    assert_eq!(
        tasks,
        vec![
            ("syncjob", RunOutcome::Failed, None),
            ("syncjob", RunOutcome::Warning, None),
            ("backup", RunOutcome::Failed, Some(&vm103)),
            ("verificationjob", RunOutcome::Failed, None),
        ],
        "the running backup is left out"
    );

    assert_eq!(d.datastores.len(), 2);
    let store1 = &d.datastores[0];
    assert_eq!(store1.name, "store1");
    assert_eq!(store1.total, Some(3_985_729_650_688));
    assert_eq!(store1.used, Some(1_212_376_694_784));
    assert_eq!(store1.avail, Some(2_773_352_955_904));
    assert_eq!(store1.estimated_full, Some(1_819_955_564));
    let dedup = store1.dedup_factor.unwrap();
    assert!((dedup - 5.9286).abs() < 0.001, "{dedup}");
    assert_eq!(store1.problem, None);
    let usb = &d.datastores[1];
    assert_eq!(
        (usb.name.as_str(), usb.problem.as_deref()),
        ("usb-offsite", Some("not mounted"))
    );
    assert_eq!(usb.total, None);

    let server = d.server.as_ref().unwrap();
    assert_eq!(server.version.as_deref(), Some("4.2.0"));
    assert_eq!(server.cpu, Some(0.012864));
    assert_eq!(server.memory_used, Some(6_417_317_888));
    assert_eq!(server.memory_total, Some(16_651_423_744));
    assert_eq!(server.uptime_secs, Some(1_209_673));
    assert_eq!(d.timezone.as_deref(), Some("Etc/UTC"));
}

#[test]
fn configured_datastores_skip_the_list_and_save_a_round_trip() {
    let mut s = server();
    let mut settings = PbsSettings::new("main", "/api/pbs/");
    settings.datastores = Some(vec!["store1".into()]);
    let (collected, trace) = collect(&mut s, settings, PbsCache::new(), NOW);
    assert_eq!(trace.round_trips(), 3);
    assert_eq!(
        trace.waves[0][0].path,
        p("/admin/datastore/store1/namespace")
    );
    assert!(!trace.paths().contains(&p("/admin/datastore").as_str()));
    let d = data(&collected);
    assert_eq!(d.backups.len(), 5);
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn cache_skips_unchanged_listings() {
    let mut s = server();
    let (first, t1) = collect(&mut s, PbsSettings::default(), PbsCache::new(), NOW);
    let cache = cache_of(&first);
    assert_eq!(cache.len(), 5);
    assert_eq!(cache.snapshots(), 13);
    assert_eq!(t1.requests(), 17);

    // Ten minutes later nothing changed: no snapshot listing at all.
    let (second, t2) = collect(&mut s, PbsSettings::default(), cache.clone(), NOW + 600);
    assert_eq!(t2.requests(), 15);
    assert_eq!(t2.round_trips(), 3);
    assert!(
        t2.paths().iter().all(|p| !p.contains("/snapshots")),
        "{:?}",
        t2.paths()
    );
    // The converted data is the same (from the cache).
    assert_eq!(data(&first).backups, data(&second).backups);

    // vm/100's running backup finished: only that group is listed again.
    let groups = support::fixture("pbs/datastore_groups.json")
        .replace("\"last-backup\": 1778983212", "\"last-backup\": 1779019170");
    s.route(p("/admin/datastore/store1/groups"), support::json(groups));
    let (_, t3) = collect(
        &mut s,
        PbsSettings::default(),
        cache_of(&second),
        NOW + 1200,
    );
    let listings: Vec<&str> = t3
        .paths()
        .into_iter()
        .filter(|p| p.contains("/snapshots"))
        .collect();
    assert_eq!(
        listings,
        vec![p("/admin/datastore/store1/snapshots?backup-type=vm&backup-id=100").as_str()]
    );

    // After snapshot_refresh_secs every listing is refreshed (verification may change).
    let (_, t4) = collect(
        &mut s,
        PbsSettings::default(),
        cache_of(&second),
        NOW + 3600,
    );
    assert_eq!(
        t4.paths()
            .iter()
            .filter(|p| p.contains("/snapshots"))
            .count(),
        2
    );
}

#[test]
fn optional_endpoint_forbidden_is_a_warning() {
    let mut s = server();
    s.route(
        p("/nodes/localhost/tasks?errors=1&since=1778932800"),
        status(403, Some(JSON), "permission check failed"),
    );
    s.route(
        p("/admin/sync?sync-direction=all"),
        status(403, Some(JSON), "permission check failed"),
    );
    let (collected, _) = collect(&mut s, PbsSettings::default(), PbsCache::new(), NOW);
    let d = data(&collected);
    assert!(d.tasks.is_empty());
    assert_eq!(d.backups.len(), 5);
    assert_eq!(d.jobs.iter().filter(|j| j.kind == JobKind::Sync).count(), 0);
    assert_eq!(
        d.warnings,
        vec![
            "datastore usb-offsite: not mounted; not read".to_owned(),
            "sync jobs: /api/pbs/api2/json/admin/sync?sync-direction=all: permission denied (403): permission check failed".to_owned(),
            "failed tasks: /api/pbs/api2/json/nodes/localhost/tasks?errors=1&since=1778932800: permission denied (403): permission check failed".to_owned(),
        ]
    );
    // Without the task list the failed vm/103 run is not attached.
    let vm103 = d
        .backups
        .iter()
        .find(|b| b.subject == guest(GuestType::Vm, 103))
        .unwrap();
    assert_eq!(vm103.runs.len(), 2);
}

#[test]
fn one_namespace_failing_keeps_the_others() {
    let mut s = server();
    s.route(
        p("/admin/datastore/store1/groups?ns=lab"),
        status(403, Some(JSON), "permission check failed"),
    );
    let (collected, trace) = collect(&mut s, PbsSettings::default(), PbsCache::new(), NOW);
    let d = data(&collected);
    assert_eq!(d.backups.len(), 4);
    assert!(
        d.warnings
            .iter()
            .any(|w| w.starts_with("groups of store1 namespace lab: "))
    );
    assert!(
        !trace
            .paths()
            .contains(&p("/admin/datastore/store1/snapshots?ns=lab").as_str())
    );
}

#[test]
fn essential_failures_fail_the_source() {
    // The datastore list.
    let mut s = server();
    s.route(
        p("/admin/datastore"),
        status(401, None, "authentication failed"),
    );
    let (collected, _) = collect(&mut s, PbsSettings::default(), PbsCache::new(), NOW);
    assert_eq!(
        collected.result.as_ref().unwrap_err().to_string(),
        "/api/pbs/api2/json/admin/datastore: credentials rejected (401): authentication failed"
    );
    // Every group listing.
    let mut s = server();
    for ns in ["", "?ns=lab", "?ns=lab/old"] {
        s.route(
            p(&format!("/admin/datastore/store1/groups{ns}")),
            status(
                400,
                Some(JSON),
                "datastore 'store1' is unavailable: offline maintenance mode: disk swap",
            ),
        );
    }
    let (collected, _) = collect(&mut s, PbsSettings::default(), PbsCache::new(), NOW);
    let err = collected.result.unwrap_err();
    assert!(
        matches!(err, SourceError::Status { status: 400, .. }),
        "{err:?}"
    );
    // The cache survives a failed refresh.
    assert!(collected.cache.is_some());
}

#[test]
fn old_servers_fall_back() {
    // PBS 3.1: no /admin/gc (404), no sync-direction (400); PBS 2.1: no namespaces (404).
    let mut s = server();
    s.route(
        p("/admin/gc"),
        status(404, Some(JSON), "Path '/api2/json/admin/gc' not found."),
    );
    s.route(
        p("/admin/sync?sync-direction=all"),
        status(400, Some(JSON), "parameter verification failed - 'sync-direction': schema does not allow additional properties"),
    );
    s.fixture(p("/admin/sync"), "pbs/admin_sync.json");
    s.route(
        p("/admin/datastore/store1/gc"),
        support::json(r#"{"data":{"upid":null,"index-file-count":0,"index-data-bytes":-1,"disk-bytes":-1,"removed-bad":0,"still-bad":0}}"#),
    );
    s.route(
        p("/admin/datastore/store1/namespace"),
        status(
            404,
            Some(JSON),
            "Path '/api2/json/admin/datastore/store1/namespace' not found.",
        ),
    );
    let (collected, trace) = collect(&mut s, PbsSettings::default(), PbsCache::new(), NOW);
    let paths = trace.paths();
    assert!(paths.contains(&p("/admin/datastore/store1/gc").as_str()));
    assert!(paths.contains(&p("/admin/sync").as_str()));
    let d = data(&collected);
    // Root namespace only; no warning for the expected 404.
    assert_eq!(d.backups.len(), 4);
    assert_eq!(
        d.warnings,
        vec!["datastore usb-offsite: not mounted; not read".to_owned()]
    );
    assert_eq!(d.jobs.iter().filter(|j| j.kind == JobKind::Sync).count(), 2);
    let gc = d.jobs.iter().find(|j| j.id == "gc:store1").unwrap();
    assert_eq!(gc.schedule, Some(ScheduleSpec::Calendar("daily".into())));
    assert_eq!(gc.last_run, None);
}

#[test]
fn legacy_sizes_and_empty_groups() {
    let mut s = server();
    s.route(
        p("/admin/datastore/store1/groups"),
        support::json(
            r#"{"data":[{"backup-type":"host","backup-id":"nas","last-backup":0,"backup-count":0,"files":[]},
                        {"backup-type":"ct","backup-id":"300","last-backup":1778983206,"backup-count":"1"},
                        {"backup-type":"future","backup-id":"x","last-backup":5,"backup-count":1}]}"#,
        ),
    );
    s.route(
        p("/admin/datastore/store1/snapshots"),
        support::json(
            r#"{"data":[{"backup-type":"ct","backup-id":"300","backup-time":1778983206,"size":-1,"protected":false,
                          "verification":{"upid":"garbage","state":"corrupt-ish"}}]}"#,
        ),
    );
    let (collected, _) = collect(&mut s, PbsSettings::default(), PbsCache::new(), NOW);
    let d = data(&collected);
    let host = d
        .backups
        .iter()
        .find(|b| b.subject == Subject::Host { id: "nas".into() })
        .unwrap();
    assert_eq!(
        (host.snapshot_count, host.last_success, host.runs.len()),
        (Some(0), None, 0)
    );
    let ct = d
        .backups
        .iter()
        .find(|b| b.subject == guest(GuestType::Ct, 300))
        .unwrap();
    // size -1 = unknown → treated like a missing manifest on the newest snapshot.
    assert_eq!(ct.runs[0].outcome, RunOutcome::Running);
    let v = ct.verification.unwrap();
    assert_eq!((v.state, v.at), (VerifyState::Failed, None));
    assert!(d.backups.iter().any(|b| b.subject
        == Subject::Host {
            id: "future/x".into()
        }));
}

#[test]
fn tape_jobs_when_enabled() {
    let mut s = server();
    s.fixture(p("/tape/backup"), "pbs/tape_backup_jobs.json");
    let mut settings = PbsSettings::default();
    settings.tape_jobs = true;
    let (collected, trace) = collect(&mut s, settings, PbsCache::new(), NOW);
    assert!(trace.waves[0].iter().any(|r| r.path == p("/tape/backup")));
    let d = data(&collected);
    let tape = d.jobs.iter().find(|j| j.id == "tape-weekly").unwrap();
    assert_eq!(tape.kind, JobKind::Other);
    assert_eq!(tape.label, "Tape backup store1 → weekly");
    assert_eq!(
        tape.schedule,
        Some(ScheduleSpec::Calendar("sat 22:00".into()))
    );
    assert_eq!(tape.next_run, Some(1_779_573_600));
    assert_eq!(
        tape.last_run.as_ref().map(|r| (r.outcome, r.end)),
        Some((RunOutcome::Ok, Some(1_778_974_202)))
    );
    // Off by default: not requested.
    let (_, trace) = collect(&mut server(), PbsSettings::default(), PbsCache::new(), NOW);
    assert!(!trace.paths().contains(&p("/tape/backup").as_str()));
}

#[test]
fn cache_forgets_removed_groups_and_namespaces() {
    let mut s = server();
    let (first, _) = collect(&mut s, PbsSettings::default(), PbsCache::new(), NOW);
    assert_eq!(cache_of(&first).len(), 5);
    // vm/103 was deleted and namespace lab removed.
    let groups = r#"{"data":[
        {"backup-type":"ct","backup-id":"101","last-backup":1778983206,"backup-count":3},
        {"backup-type":"ct","backup-id":"102","last-backup":1778983209,"backup-count":3},
        {"backup-type":"vm","backup-id":"100","last-backup":1778983212,"backup-count":4}]}"#;
    s.route(p("/admin/datastore/store1/groups"), support::json(groups));
    s.route(
        p("/admin/datastore/store1/namespace"),
        support::json(r#"{"data":[{"ns":""}]}"#),
    );
    let (second, trace) = collect(&mut s, PbsSettings::default(), cache_of(&first), NOW + 60);
    assert_eq!(cache_of(&second).len(), 3);
    assert!(trace.paths().iter().all(|p| !p.contains("/snapshots")));
    assert_eq!(data(&second).backups.len(), 3);
}

#[test]
fn a_partial_result_comes_once_the_groups_are_in_before_the_snapshot_listings() {
    let mut s = server();
    let c = PbsCollector::new(PbsSettings::default(), PbsCache::new(), NOW);
    let (collected, trace, partials) =
        backwatch_core::sources::drive::run_with_partials(Box::new(c), NOW, |r| s.respond(r));
    assert_eq!(
        trace.round_trips(),
        4,
        "datastores, namespaces, groups, snapshots"
    );
    assert_eq!(partials.len(), 1, "exactly one provisional result");
    let (wave, partial) = &partials[0];
    assert_eq!(
        *wave, 2,
        "offered after the groups wave, before the snapshot listings"
    );
    assert!(partial.cache.is_none(), "a partial carries no cache");
    let (early, last) = (data(partial), data(&collected));
    let counts = |d: &SourceData| {
        d.backups
            .iter()
            .map(|b| (b.subject.to_string(), b.snapshot_count))
            .collect::<Vec<_>>()
    };
    let (early_counts, mut last_counts) = (counts(early), counts(last));
    // PBS counts vm/100's in-progress snapshot in backup-count; only the listing shows it
    // is unfinished, so the final count is one lower. Everything else is the same.
    let vm100 = last_counts.iter_mut().find(|(s, _)| s == "vm/100").unwrap();
    assert_eq!(vm100.1, Some(3));
    vm100.1 = Some(4);
    assert_eq!(
        early_counts, last_counts,
        "same groups and, but for in-progress, counts"
    );
    assert!(
        early.backups.iter().all(|b| b.verification.is_none()),
        "verification needs the snapshot listing"
    );
    assert!(last.backups.iter().any(|b| b.verification.is_some()));
    assert_eq!(early.jobs, last.jobs);
}

#[test]
fn no_partial_when_nothing_slow_remains() {
    // A refresh where the listings are cached: the groups wave is the last, no partial.
    let mut s = server();
    let (first, _) = collect(&mut s, PbsSettings::default(), PbsCache::new(), NOW);
    let c = PbsCollector::new(PbsSettings::default(), cache_of(&first), NOW + 60);
    let (_, trace, partials) =
        backwatch_core::sources::drive::run_with_partials(Box::new(c), NOW + 60, |r| s.respond(r));
    assert_eq!(trace.round_trips(), 3);
    assert!(partials.is_empty());
}
