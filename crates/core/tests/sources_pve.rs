//! PVE: fixtures through the collector, coverage resolution, PBS via PVE, partial failure.

// Settings are tweaked field by field, as a config mapper would; tables use tuple rows.
#![allow(clippy::field_reassign_with_default, clippy::type_complexity)]

mod support;

use backwatch_core::model::{
    Coverage, Epoch, GuestType, RunOutcome, ScheduleSpec, SourceData, Subject, VerifyState, Via,
};
use backwatch_core::sources::drive::{self, Trace};
use backwatch_core::sources::pve::{PveCollector, PveSettings, PveStorage};
use backwatch_core::sources::{Collected, Method};
use support::{FakeServer, JSON, status};

const NOW: Epoch = 1_779_019_200;
const API: &str = "/api/pve/api2/json";

fn p(path: &str) -> String {
    format!("{API}{path}")
}

fn server() -> FakeServer {
    let mut s = FakeServer::new();
    s.fixture(p("/cluster/backup"), "pve/cluster_backup.json")
        .fixture(
            p("/cluster/resources?type=vm"),
            "pve/cluster_resources_type_vm.json",
        )
        .fixture(
            p("/cluster/backup-info/not-backed-up"),
            "pve/cluster_backup_info_not_backed_up.json",
        )
        .fixture(p("/version"), "pve/version.json")
        .fixture(p("/nodes/pve1/time"), "pve/nodes_pve1_time.json")
        .fixture(
            p("/nodes/pve1/storage/pbs-store1/content?content=backup"),
            "pve/nodes_pve1_storage_pbs-store1_content_backup.json",
        )
        .fixture(
            p("/nodes/pve1/storage/local/content?content=backup"),
            "pve/nodes_pve1_storage_local_content_backup.json",
        );
    s
}

fn with_storage(storage: &str) -> PveSettings {
    let mut settings = PveSettings::default();
    settings.pbs_storages.push(PveStorage {
        node: "pve1".into(),
        storage: storage.into(),
    });
    settings
}

fn collect(s: &mut FakeServer, settings: PveSettings) -> (Collected, Trace) {
    drive::run(Box::new(PveCollector::new(settings)), NOW, |r| s.respond(r))
}

fn data(c: &Collected) -> &SourceData {
    c.result
        .as_ref()
        .unwrap_or_else(|e| panic!("source failed: {e}"))
}

fn vm(id: u32) -> Subject {
    Subject::Guest {
        ty: GuestType::Vm,
        id,
    }
}
fn ct(id: u32) -> Subject {
    Subject::Guest {
        ty: GuestType::Ct,
        id,
    }
}

#[test]
fn request_sequence() {
    let cases: &[(&str, PveSettings, Vec<Vec<&str>>)] = &[
        (
            "node from the storage: one round trip",
            with_storage("pbs-store1"),
            vec![vec![
                "/cluster/backup",
                "/cluster/resources?type=vm",
                "/cluster/backup-info/not-backed-up",
                "/version",
                "/nodes/pve1/storage/pbs-store1/content?content=backup",
                "/nodes/pve1/time",
            ]],
        ),
        (
            "node from the resources: two round trips",
            PveSettings::default(),
            vec![
                vec![
                    "/cluster/backup",
                    "/cluster/resources?type=vm",
                    "/cluster/backup-info/not-backed-up",
                    "/version",
                ],
                vec!["/nodes/pve1/time"],
            ],
        ),
    ];
    for (name, settings, want) in cases {
        let mut s = server();
        let (collected, trace) = collect(&mut s, settings.clone());
        let got: Vec<Vec<&str>> = trace
            .waves
            .iter()
            .map(|w| {
                w.iter()
                    .map(|r| r.path.strip_prefix(API).unwrap())
                    .collect()
            })
            .collect();
        assert_eq!(&got, want, "{name}");
        assert!(
            trace
                .waves
                .iter()
                .flatten()
                .all(|r| r.method == Method::Get && r.headers.is_empty())
        );
        assert_eq!(collected.stats.round_trips as usize, want.len(), "{name}");
        assert_eq!(
            data(&collected).timezone.as_deref(),
            Some("Etc/UTC"),
            "{name}"
        );
    }
}

#[test]
fn jobs_resolve_to_guests() {
    let mut s = server();
    let (collected, _) = collect(&mut s, PveSettings::default());
    let d = data(&collected);
    assert_eq!(d.jobs.len(), 3);
    let nightly = &d.jobs[0];
    assert_eq!(nightly.id, "backup-4f2a9c1e-7b3d");
    assert_eq!(nightly.label, "nightly to PBS");
    assert_eq!(
        nightly.schedule,
        Some(ScheduleSpec::Calendar("02:00".into()))
    );
    assert!(nightly.enabled);
    assert_eq!(nightly.next_run, Some(1_779_069_600));
    // all=1 minus exclude 9000 (the template), node pve1.
    assert_eq!(
        nightly.covers,
        Coverage::Subjects(vec![vm(100), vm(103), ct(101), ct(102), ct(105)])
    );

    let disabled = &d.jobs[1];
    assert!(!disabled.enabled);
    assert_eq!(
        disabled.next_run, None,
        "next-run of a disabled job is ignored"
    );
    assert_eq!(disabled.label, "Backup to local");
    assert_eq!(disabled.covers, Coverage::Subjects(vec![vm(100), vm(103)]));

    let pool = &d.jobs[2];
    assert_eq!(pool.covers, Coverage::Subjects(vec![ct(102)]));
    assert_eq!(pool.next_run, Some(1_779_107_400));
    assert_eq!(
        pool.schedule,
        Some(ScheduleSpec::Calendar("mon..fri 12:30".into()))
    );
}

#[test]
fn guests_and_not_backed_up() {
    let mut s = server();
    let (collected, _) = collect(&mut s, PveSettings::default());
    let d = data(&collected);
    let names: Vec<(u32, Option<&str>, bool, bool)> = d
        .guests
        .iter()
        .map(|g| (g.id, g.name.as_deref(), g.template, g.backup_running))
        .collect();
    assert_eq!(
        names,
        vec![
            (100, Some("homeassistant"), false, true),
            (101, Some("pihole"), false, false),
            (102, Some("nextcloud"), false, false),
            (103, Some("win11"), false, false),
            (105, Some("scratch"), false, false),
            (9000, Some("debian13-cloudinit"), true, false),
        ]
    );
    assert_eq!(d.guests[2].pool.as_deref(), Some("critical"));
    let nbu: Vec<(GuestType, u32, bool)> = d
        .not_backed_up
        .iter()
        .map(|g| (g.ty, g.id, g.template))
        .collect();
    assert_eq!(
        nbu,
        vec![(GuestType::Vm, 9000, true), (GuestType::Ct, 105, false)]
    );
    assert_eq!(
        d.server.as_ref().and_then(|s| s.version.as_deref()),
        Some("9.2.11")
    );
}

#[test]
fn pbs_via_pve_sets() {
    let mut s = server();
    let (collected, _) = collect(&mut s, with_storage("pbs-store1"));
    let d = data(&collected);
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    let subjects: Vec<&Subject> = d.backups.iter().map(|b| &b.subject).collect();
    assert_eq!(subjects, vec![&vm(100), &vm(103), &ct(101), &ct(102)]);
    let vm100 = &d.backups[0];
    assert_eq!(
        vm100.via,
        Via::PbsViaPve {
            storage: "pbs-store1".into()
        }
    );
    assert_eq!(vm100.location, None);
    assert_eq!(
        vm100.runs[0].outcome,
        RunOutcome::Running,
        "size 1 = in progress"
    );
    assert_eq!(vm100.runs[0].start, 1_779_019_170);
    assert_eq!(vm100.snapshot_count, Some(3));
    assert_eq!(vm100.last_success, Some(1_778_983_212));
    assert_eq!(vm100.size_bytes, Some(34_360_280_369));
    let vm103 = &d.backups[1];
    assert_eq!(vm103.encrypted, Some(true));
    assert_eq!(vm103.label.as_deref(), Some("win11"));
    let ct102 = &d.backups[3];
    assert_eq!(ct102.protected_count, Some(1));
    let v = ct102.verification.unwrap();
    assert_eq!((v.state, v.at), (VerifyState::Failed, Some(1_778_907_600)));
}

#[test]
fn storage_quirks_become_warnings() {
    // An empty listing: the permission quirk.
    let mut s = server();
    s.route(
        p("/nodes/pve1/storage/pbs-store1/content?content=backup"),
        support::json(r#"{"data":[]}"#),
    );
    let (collected, _) = collect(&mut s, with_storage("pbs-store1"));
    let d = data(&collected);
    assert!(d.backups.is_empty());
    assert_eq!(
        d.warnings,
        vec![
            "storage pbs-store1 on pve1 lists no backups. PVE hides backup volumes unless the \
             token has Datastore.Allocate on /storage/pbs-store1 (or Datastore.AllocateSpace plus \
             VM.Backup on each guest); PVEAuditor alone sees an empty list"
                .to_owned()
        ]
    );
    // A directory storage configured by mistake.
    let mut s = server();
    let (collected, _) = collect(&mut s, with_storage("local"));
    let d = data(&collected);
    assert!(d.backups.is_empty());
    assert_eq!(
        d.warnings,
        vec![
            "storage local: 4 volumes skipped (not PBS backups); only PBS storages are read"
                .to_owned()
        ]
    );
}

#[test]
fn partial_failure() {
    let mut s = server();
    s.route(
        p("/cluster/resources?type=vm"),
        status(
            403,
            Some(JSON),
            r#"{"data":null,"message":"Permission check failed (/vms, VM.Audit)\n"}"#,
        ),
    );
    s.route(
        p("/nodes/pve1/storage/pbs-store1/content?content=backup"),
        status(500, Some(JSON), r#"{"data":null,"message":"pbs-store1: error fetching datastores - 500 Can't connect to 10.0.0.5:8007\n"}"#),
    );
    let (collected, trace) = collect(&mut s, with_storage("pbs-store1"));
    let d = data(&collected);
    assert_eq!(trace.round_trips(), 1);
    assert!(d.jobs.iter().all(|j| j.covers == Coverage::Unknown));
    assert_eq!(d.jobs[1].next_run, None);
    assert_eq!(
        d.warnings,
        vec![
            "guests: /api/pve/api2/json/cluster/resources?type=vm: permission denied (403): Permission check failed (/vms, VM.Audit)".to_owned(),
            "storage pbs-store1: /api/pve/api2/json/nodes/pve1/storage/pbs-store1/content?content=backup: HTTP 500: pbs-store1: error fetching datastores - 500 Can't connect to 10.0.0.5:8007".to_owned(),
            "job coverage unknown: guests could not be read".to_owned(),
        ]
    );
    // not-backed-up still has names without resources.
    assert_eq!(
        d.not_backed_up[0].name.as_deref(),
        Some("debian13-cloudinit")
    );
}

#[test]
fn backup_jobs_are_essential() {
    let cases: &[(&str, u16, &str, &str)] = &[
        (
            "401 empty body",
            401,
            "",
            "/api/pve/api2/json/cluster/backup: credentials rejected (401)",
        ),
        (
            "403 with message",
            403,
            "{\"data\":null,\"message\":\"Permission check failed (/, Sys.Audit)\\n\"}",
            "/api/pve/api2/json/cluster/backup: permission denied (403): Permission check failed (/, Sys.Audit)",
        ),
        (
            "403 before http-server 5.2",
            403,
            "{\n  \"data\": null\n}\n",
            "/api/pve/api2/json/cluster/backup: permission denied (403)",
        ),
    ];
    for (name, code, body, want) in cases {
        let mut s = server();
        let ct = if body.is_empty() { None } else { Some(JSON) };
        s.route(p("/cluster/backup"), status(*code, ct, *body));
        let (collected, _) = collect(&mut s, PveSettings::default());
        assert_eq!(collected.result.unwrap_err().to_string(), *want, "{name}");
    }
}

#[test]
fn lenient_numbers_and_legacy_jobs() {
    let mut s = server();
    s.route(
        p("/cluster/backup"),
        support::json(
            r#"{"data":[{"id":"2f1b8c3e-0000-4000-8000-000000000001","type":"vzdump","schedule":"sat 03:00",
                         "vmid":101,"enabled":"1","prune-backups":{"keep-last":"3"}},
                        {"id":"backup-x","vmid":"101 102","node":"pve2","next-run":"1779069600"}]}"#,
        ),
    );
    let (collected, _) = collect(&mut s, PveSettings::default());
    let d = data(&collected);
    assert_eq!(d.jobs[0].covers, Coverage::Subjects(vec![ct(101)]));
    assert_eq!(d.jobs[0].next_run, None, "legacy jobs have no next-run");
    assert_eq!(
        d.jobs[1].covers,
        Coverage::Subjects(vec![]),
        "no guest of the list is on pve2"
    );
    assert_eq!(d.jobs[1].next_run, Some(1_779_069_600));
    assert_eq!(d.jobs[1].schedule, None);
}
