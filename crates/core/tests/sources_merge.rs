//! Merging sources: "PBS via PVE" duplicates of direct PBS sets are dropped.

// Settings are tweaked field by field, as a config mapper would; tables use tuple rows.
#![allow(clippy::field_reassign_with_default, clippy::type_complexity)]

mod support;

use backwatch_core::model::{
    BackupSet, Epoch, GuestType, PbsLocation, Run, RunOutcome, SourceData, SourceId, SourceKind,
    Subject, Via,
};
use backwatch_core::sources::drive;
use backwatch_core::sources::merge::{is_duplicate, merge};
use backwatch_core::sources::pbs::{PbsCache, PbsCollector, PbsSettings};
use backwatch_core::sources::pve::{PveCollector, PveSettings, PveStorage};

fn id(kind: SourceKind, name: &str) -> SourceId {
    SourceId {
        kind,
        name: name.into(),
    }
}

fn set(
    kind: SourceKind,
    via: Via,
    subject: Subject,
    last: Option<Epoch>,
    runs: &[(Epoch, RunOutcome)],
) -> BackupSet {
    BackupSet {
        source: id(kind, kind.key()),
        via,
        subject,
        location: (kind == SourceKind::Pbs).then(|| PbsLocation {
            datastore: "store1".into(),
            namespace: String::new(),
        }),
        label: None,
        snapshot_count: None,
        last_success: last,
        runs: runs
            .iter()
            .map(|(start, outcome)| Run {
                start: *start,
                end: None,
                outcome: *outcome,
                message: None,
            })
            .collect(),
        verification: None,
        size_bytes: None,
        next_run: None,
        runs_complete: true,
        protected_count: None,
        encrypted: None,
    }
}

fn pve(subject: Subject, last: Option<Epoch>, runs: &[(Epoch, RunOutcome)]) -> BackupSet {
    set(
        SourceKind::Pve,
        Via::PbsViaPve {
            storage: "pbs-store1".into(),
        },
        subject,
        last,
        runs,
    )
}
fn pbs(subject: Subject, last: Option<Epoch>, runs: &[(Epoch, RunOutcome)]) -> BackupSet {
    set(SourceKind::Pbs, Via::Direct, subject, last, runs)
}

#[test]
fn duplicate_rule() {
    let vm100 = Subject::Guest {
        ty: GuestType::Vm,
        id: 100,
    };
    let ct100 = Subject::Guest {
        ty: GuestType::Ct,
        id: 100,
    };
    let ok = RunOutcome::Ok;
    let running = RunOutcome::Running;
    let cases: Vec<(&str, BackupSet, BackupSet, bool)> = vec![
        (
            "same guest, same newest backup",
            pve(vm100.clone(), Some(10), &[(10, ok)]),
            pbs(vm100.clone(), Some(10), &[(10, ok)]),
            true,
        ),
        (
            "direct set without listing still matches",
            pve(vm100.clone(), Some(10), &[(20, running), (10, ok)]),
            pbs(vm100.clone(), Some(10), &[(10, ok)]),
            true,
        ),
        (
            "different newest backup (other cluster)",
            pve(vm100.clone(), Some(10), &[(10, ok)]),
            pbs(vm100.clone(), Some(11), &[(11, ok)]),
            false,
        ),
        (
            "vm is never a ct",
            pve(vm100.clone(), Some(10), &[(10, ok)]),
            pbs(ct100.clone(), Some(10), &[(10, ok)]),
            false,
        ),
        (
            "only an in-progress first snapshot on both",
            pve(vm100.clone(), None, &[(20, running)]),
            pbs(vm100.clone(), None, &[(20, running)]),
            true,
        ),
        (
            "no time at all never matches",
            pve(vm100.clone(), None, &[]),
            pbs(vm100.clone(), None, &[]),
            false,
        ),
        (
            "a direct set must come from PBS",
            pve(vm100.clone(), Some(10), &[]),
            set(SourceKind::Pve, Via::Direct, vm100.clone(), Some(10), &[]),
            false,
        ),
        (
            "two via-PVE sets are not duplicates",
            pve(vm100.clone(), Some(10), &[]),
            pve(vm100.clone(), Some(10), &[]),
            false,
        ),
    ];
    for (name, via_pve, direct, want) in cases {
        assert_eq!(is_duplicate(&via_pve, &direct), want, "{name}");
    }
}

#[test]
fn merge_keeps_everything_else() {
    let vm100 = Subject::Guest {
        ty: GuestType::Vm,
        id: 100,
    };
    let vm101 = Subject::Guest {
        ty: GuestType::Vm,
        id: 101,
    };
    let a = SourceData {
        backups: vec![pbs(vm100.clone(), Some(10), &[(10, RunOutcome::Ok)])],
        ..SourceData::default()
    };
    let b = SourceData {
        backups: vec![
            pve(vm100.clone(), Some(10), &[(10, RunOutcome::Ok)]),
            pve(vm101.clone(), Some(10), &[(10, RunOutcome::Ok)]),
        ],
        ..SourceData::default()
    };
    let m = merge([&b, &a]);
    let kept: Vec<(&Subject, &Via)> = m.backups.iter().map(|s| (&s.subject, &s.via)).collect();
    assert_eq!(
        kept,
        vec![
            (
                &vm101,
                &Via::PbsViaPve {
                    storage: "pbs-store1".into()
                }
            ),
            (&vm100, &Via::Direct)
        ]
    );
    assert_eq!(m.duplicates.len(), 1);
    assert_eq!(m.duplicates[0].subject, vm100);
    assert_eq!(m.duplicates[0].storage, "pbs-store1");
}

#[test]
fn fixtures_pbs_and_pve_show_each_backup_once() {
    // The PBS and PVE fixture scenarios describe the same four guests on store1.
    let now = 1_779_019_200;
    let mut pbs_server = support::FakeServer::new();
    let api = "/api/pbs/api2/json";
    for (path, file) in [
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
            "/admin/datastore/store1/groups?ns=lab/old",
            "pbs/datastore_groups_ns_lab_old.json",
        ),
        (
            "/admin/datastore/store1/snapshots",
            "pbs/datastore_snapshots.json",
        ),
        (
            "/admin/datastore/store1/snapshots?ns=lab",
            "pbs/datastore_snapshots_ns_lab.json",
        ),
    ] {
        pbs_server.fixture(format!("{api}{path}"), file);
    }
    let mut settings = PbsSettings::default();
    settings.datastores = Some(vec!["store1".into()]);
    let (pbs_c, _) = drive::run(
        Box::new(PbsCollector::new(settings, PbsCache::new(), now)),
        now,
        |r| pbs_server.respond(r),
    );

    let mut pve_server = support::FakeServer::new();
    let api = "/api/pve/api2/json";
    pve_server
        .fixture(format!("{api}/cluster/backup"), "pve/cluster_backup.json")
        .fixture(
            format!("{api}/nodes/pve1/storage/pbs-store1/content?content=backup"),
            "pve/nodes_pve1_storage_pbs-store1_content_backup.json",
        );
    let mut settings = PveSettings::default();
    settings.pbs_storages.push(PveStorage {
        node: "pve1".into(),
        storage: "pbs-store1".into(),
    });
    let (pve_c, _) = drive::run(Box::new(PveCollector::new(settings)), now, |r| {
        pve_server.respond(r)
    });

    let pbs_data = pbs_c.result.unwrap();
    let pve_data = pve_c.result.unwrap();
    assert_eq!((pbs_data.backups.len(), pve_data.backups.len()), (5, 4));
    let m = merge([&pbs_data, &pve_data]);
    assert_eq!(m.duplicates.len(), 4);
    assert_eq!(m.backups.len(), 5);
    assert!(m.backups.iter().all(|b| b.via == Via::Direct));
    assert_eq!(m.jobs.len(), 3);
}
