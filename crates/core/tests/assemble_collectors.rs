//! Assembly: configuration → collector settings and collectors, caches carried across
//! refreshes, back-off after 401, PBS namespace subtrees.

// Tables use tuple rows.
#![allow(clippy::type_complexity)]

mod support;

use backwatch_core::assemble;
use backwatch_core::config::{self, Config};
use backwatch_core::model::{Epoch, ScheduleClock, ScheduleSpec, SourceId, SourceKind};
use backwatch_core::sources::pbs::PbsSettings;
use backwatch_core::sources::{Collected, SourceError, TransportError, drive};
use backwatch_core::state::{Availability, SourceStates};
use support::{FakeServer, status};

const NOW: Epoch = 1_779_019_200;

fn example() -> Config {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../config/backwatch.example.toml"
    ))
    .expect("example config");
    config::parse(&text).expect("valid").config
}

fn id(kind: SourceKind, name: &str) -> SourceId {
    SourceId {
        kind,
        name: name.into(),
    }
}

#[test]
fn settings_follow_the_config() {
    let c = example();
    let pbs = assemble::pbs_settings(&c.sources.pbs[0]);
    assert_eq!(
        (pbs.name.as_str(), pbs.base.as_str()),
        ("pbs-main", "/api/pbs")
    );
    assert_eq!(pbs.datastores, Some(vec!["store1".into(), "store2".into()]));
    assert_eq!(pbs.namespaces, Some(vec!["".into(), "lab".into()]));
    assert_eq!(pbs.max_depth, Some(2));
    assert_eq!(
        (pbs.snapshot_refresh_secs, pbs.task_window_secs),
        (1_800, 172_800)
    );
    assert!(pbs.snapshots && !pbs.tape_jobs);
    let offsite = assemble::pbs_settings(&c.sources.pbs[1]);
    assert_eq!((offsite.datastores, offsite.namespaces), (None, None));

    let pve = assemble::pve_settings(&c.sources.pve[0]);
    assert_eq!(pve.pbs_storages.len(), 1);
    assert_eq!(
        (
            pve.pbs_storages[0].node.as_str(),
            pve.pbs_storages[0].storage.as_str()
        ),
        ("pve1", "pbs-store1")
    );

    let db = assemble::databasement_settings(&c.sources.databasement[0]);
    assert_eq!(db.zone.as_deref(), Some("Europe/Paris"));
    assert_eq!(db.window_secs, 30 * 86_400);
    assert_eq!(
        db.organization.as_deref(),
        Some("01JZ3V8Q4B6X2N9M5K7T1R0CWD")
    );

    let br = assemble::backrest_settings(&c.sources.backrest[0]);
    assert_eq!(br.zone.as_deref(), Some("Europe/Berlin"));
    let plans: Vec<(&str, bool, Option<(&ScheduleSpec, ScheduleClock)>)> = br
        .plans
        .iter()
        .map(|p| {
            (
                p.id.as_str(),
                p.enabled,
                p.schedule.as_ref().map(|s| (&s.spec, s.clock)),
            )
        })
        .collect();
    assert_eq!(
        plans,
        vec![
            (
                "photos",
                true,
                Some((
                    &ScheduleSpec::Cron("0 2 * * *".into()),
                    ScheduleClock::Local
                ))
            ),
            (
                "documents",
                true,
                Some((&ScheduleSpec::EveryHours(6), ScheduleClock::LastRunTime))
            ),
            (
                "system",
                true,
                Some((&ScheduleSpec::EveryDays(1), ScheduleClock::Utc))
            ),
            ("old-laptop", false, None),
        ]
    );
    assert_eq!(br.repos.len(), 1);
    assert_eq!(
        br.repos[0].check.as_ref().map(|s| (&s.spec, s.clock)),
        Some((&ScheduleSpec::EveryDays(7), ScheduleClock::LastRunTime))
    );
}

#[test]
fn one_collector_per_configured_source() {
    let c = example();
    let mut states = SourceStates::new(&c);
    let collectors = assemble::collectors(&c, &mut states, NOW);
    assert_eq!(collectors.len(), 6);
    let ids: Vec<String> = states.ids().map(ToString::to_string).collect();
    assert_eq!(
        ids,
        [
            "PBS pbs-main",
            "PBS pbs-offsite",
            "PVE pve-cluster",
            "PVE pve-lab",
            "Databasement db-main",
            "Backrest nas-backrest"
        ]
    );
    // Collectors for a source that is not configured: none.
    assert!(assemble::collector(&c, &id(SourceKind::Pbs, "nope"), None, NOW).is_none());
}

fn pbs_server() -> FakeServer {
    let p = |x: &str| format!("/api/pbs/api2/json{x}");
    let mut s = FakeServer::new();
    for (path, file) in [
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
        ("/status/datastore-usage", "pbs/status_datastore_usage.json"),
        ("/admin/gc", "pbs/admin_gc.json"),
        ("/admin/prune", "pbs/admin_prune.json"),
        ("/admin/verify", "pbs/admin_verify.json"),
        (
            "/admin/sync?sync-direction=all",
            "pbs/admin_sync_direction_all.json",
        ),
        ("/config/datastore", "pbs/config_datastore_list.json"),
        ("/version", "pbs/version.json"),
        ("/nodes/localhost/status", "pbs/nodes_localhost_status.json"),
        ("/nodes/localhost/time", "pbs/nodes_localhost_time.json"),
    ] {
        s.fixture(p(path), file);
    }
    for now in [NOW, NOW + 600] {
        s.fixture(
            p(&format!(
                "/nodes/localhost/tasks?errors=1&since={}",
                now - 172_800
            )),
            "pbs/nodes_localhost_tasks_errors.json",
        );
    }
    s
}

fn refresh(
    c: &Config,
    states: &mut SourceStates,
    server: &mut FakeServer,
    now: Epoch,
) -> Vec<usize> {
    let mut requests = Vec::new();
    for collector in assemble::collectors(c, states, now) {
        let (collected, trace) = drive::run(collector, now, |r| server.respond(r));
        requests.push(trace.requests());
        states.record(collected);
    }
    requests
}

#[test]
fn caches_carry_over_between_refreshes() {
    let c = config::parse("[[sources.pbs]]\nname = \"pbs\"\nbase = \"/api/pbs\"\n")
        .unwrap()
        .config;
    let mut states = SourceStates::new(&c);
    let mut server = pbs_server();
    assert_eq!(refresh(&c, &mut states, &mut server, NOW), [17], "cold");
    assert_eq!(states.caches.len(), 1);
    // Ten minutes later nothing changed: the snapshot listings come from the cache.
    assert_eq!(
        refresh(&c, &mut states, &mut server, NOW + 600),
        [15],
        "warm"
    );
    let pbs = id(SourceKind::Pbs, "pbs");
    assert_eq!(states.availability(&pbs, NOW + 600), Availability::Ok);
    assert_eq!(states.data(&pbs).map(|(_, d)| d.backups.len()), Some(5));
}

#[test]
fn rejected_credentials_hold_the_source_back() {
    let c = config::parse(
        "[[sources.pbs]]\nname = \"pbs\"\nbase = \"/api/pbs\"\n\n[[sources.pve]]\nname = \"pve\"\nbase = \"/api/pve\"\n",
    )
    .unwrap()
    .config;
    let mut states = SourceStates::new(&c);
    let mut server = FakeServer::new();
    server.route(
        "/api/pbs/api2/json/admin/datastore",
        status(401, None, "authentication failed"),
    );
    server.route("/api/pve/api2/json/cluster/backup", status(401, None, ""));
    assert_eq!(refresh(&c, &mut states, &mut server, NOW).len(), 2);
    // The next refresh (5 min later) skips both; after 2 × refresh they are tried again.
    assert_eq!(refresh(&c, &mut states, &mut server, NOW + 300).len(), 0);
    assert_eq!(refresh(&c, &mut states, &mut server, NOW + 600).len(), 2);
}

#[test]
fn superseded_requests_are_not_failures() {
    let c = config::parse("[[sources.pbs]]\nname = \"pbs\"\nbase = \"/api/pbs\"\n")
        .unwrap()
        .config;
    let pbs = id(SourceKind::Pbs, "pbs");
    let mut states = SourceStates::new(&c);
    states.record(Collected {
        source: pbs.clone(),
        at: NOW,
        result: Err(SourceError::Transport {
            path: "/api/pbs/api2/json/admin/datastore".into(),
            error: TransportError::Aborted,
        }),
        cache: None,
        stats: Default::default(),
    });
    let st = states.status(&pbs, NOW).unwrap();
    assert_eq!((st.availability, st.failure), (Availability::Loading, None));
}

#[test]
fn reconfiguring_keeps_what_is_known() {
    let one = config::parse("[[sources.pbs]]\nname = \"pbs\"\nbase = \"/api/pbs\"\n")
        .unwrap()
        .config;
    let mut states = SourceStates::new(&one);
    let mut server = pbs_server();
    refresh(&one, &mut states, &mut server, NOW);
    let two = config::parse(
        "[[sources.pbs]]\nname = \"pbs\"\nbase = \"/api/pbs\"\n\n[[sources.pbs]]\nname = \"b\"\nbase = \"/api/b\"\n",
    )
    .unwrap()
    .config;
    states.reconfigure(&two);
    assert_eq!(
        states.availability(&id(SourceKind::Pbs, "pbs"), NOW),
        Availability::Ok
    );
    assert_eq!(
        states.availability(&id(SourceKind::Pbs, "b"), NOW),
        Availability::Loading
    );
    states.reconfigure(&config::parse("").unwrap().config);
    assert_eq!(states.ids().count(), 0);
    assert!(states.caches.is_empty());
}

#[test]
fn namespace_subtrees_and_depth() {
    let mut s = PbsSettings::default();
    let cases: &[(Option<&[&str]>, Option<u8>, &[(&str, bool)])] = &[
        (
            None,
            None,
            &[("", true), ("lab", true), ("lab/old/x", true)],
        ),
        (
            None,
            Some(1),
            &[("", true), ("lab", true), ("lab/old", false)],
        ),
        (
            Some(&["lab"]),
            None,
            &[
                ("", false),
                ("lab", true),
                ("lab/old", true),
                ("labs", false),
            ],
        ),
        (
            Some(&["lab"]),
            Some(0),
            &[("lab", true), ("lab/old", false)],
        ),
        (
            Some(&["", "lab/old"]),
            Some(0),
            &[("", true), ("lab", false), ("lab/old", true)],
        ),
    ];
    for (roots, depth, want) in cases {
        s.namespaces = roots.map(|r| r.iter().map(|x| x.to_string()).collect());
        s.max_depth = *depth;
        for (ns, yes) in *want {
            assert_eq!(s.wants_namespace(ns), *yes, "{roots:?} {depth:?} {ns}");
        }
    }
    // Through the collector: only `lab` itself is listed.
    let c = config::parse(
        "[[sources.pbs]]\nname = \"pbs\"\nbase = \"/api/pbs\"\nnamespaces = [\"lab\"]\nmax_depth = 0\n",
    )
    .unwrap()
    .config;
    let mut states = SourceStates::new(&c);
    let mut server = pbs_server();
    let collector = assemble::collectors(&c, &mut states, NOW).pop().unwrap();
    let (collected, trace) = drive::run(collector, NOW, |r| server.respond(r));
    let groups: Vec<&str> = trace
        .paths()
        .into_iter()
        .filter(|p| p.contains("/groups"))
        .collect();
    assert_eq!(
        groups,
        ["/api/pbs/api2/json/admin/datastore/store1/groups?ns=lab"]
    );
    let backups = collected.result.unwrap().backups;
    assert_eq!(backups.len(), 1, "only vm/200 in lab");
}
