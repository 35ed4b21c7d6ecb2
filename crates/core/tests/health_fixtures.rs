//! End to end in core: the four collectors driven with the fixtures under `tests/data/`,
//! assembled from a configuration, recorded into source states and assessed at each
//! fixture set's "now". Every verdict is asserted per item, planted problems included.
#![cfg(feature = "tzdb")]
#![allow(clippy::type_complexity)]

mod support;

use std::rc::Rc;

use backwatch_core::assemble;
use backwatch_core::calendar::{self, Outcome};
use backwatch_core::config::{self, Config};
use backwatch_core::health::{
    self, Assessment, Due, ItemHealth, Note, Provenance, State, Verdict, VerifyHealth,
};
use backwatch_core::history::{self, DayState};
use backwatch_core::model::RunOutcome;
use backwatch_core::model::{Epoch, GuestType, Subject};
use backwatch_core::sources::drive;
use backwatch_core::state::{Availability, SourceStates};
use backwatch_core::time::NamedZone;
use backwatch_core::time::Utc;
use backwatch_core::zones::{TzdbLookup, Zones};
use support::FakeServer;

/// 2026-05-17T12:00:00Z, a Sunday: the PBS and PVE fixtures' "now".
const PROXMOX_NOW: Epoch = 1_779_019_200;
/// 2026-07-28T09:31:00Z, a Tuesday: the Databasement and Backrest fixtures' "now".
const APPS_NOW: Epoch = 1_785_231_060;

fn pve_routes(s: &mut FakeServer) {
    let p = |x: &str| format!("/api/pve/api2/json{x}");
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
        );
}

fn apps_routes(s: &mut FakeServer) {
    let v1 = |x: &str| format!("/api/db/api/v1{x}");
    let snapshots = "/snapshots?per_page=100&sort=-started_at";
    s.fixture(
        v1("/database-servers?per_page=100"),
        "databasement/database_servers_index.json",
    )
    .fixture(
        v1("/backup-schedules?per_page=100"),
        "databasement/backup_schedules_index.json",
    )
    .fixture(v1(snapshots), "databasement/snapshots_index_page1.json")
    .fixture(
        v1(&format!("{snapshots}&page=2")),
        "databasement/snapshots_index_page2.json",
    )
    .fixture(
        v1("/jobs?filter[status]=failed&filter[type]=backup&per_page=100"),
        "databasement/jobs_index_page1.json",
    );
    let ops = |plan: &str| {
        format!(
            "/api/backrest/v1.Backrest/GetOperations {{\"selector\":{{\"planId\":\"{plan}\"}}}}"
        )
    };
    s.fixture(
        "/api/backrest/v1.Backrest/GetSummaryDashboard",
        "backrest/get_summary_dashboard_v1.14.json",
    )
    .fixture(ops("photos"), "backrest/get_operations_photos_all.json")
    .fixture(
        ops("docker-volumes"),
        "backrest/get_operations_docker-volumes_lastN12.json",
    )
    .fixture(
        ops("home-dirs"),
        "backrest/get_operations_home-dirs_lastN4.json",
    )
    .fixture(
        ops("media-archive"),
        "backrest/get_operations_media-archive_never_run.json",
    )
    .fixture(ops("etc-configs"), "backrest/get_operations_empty.json");
}

const PROXMOX_TOML: &str = r#"
[defaults]
timezone = "Europe/Berlin"

[[sources.pbs]]
name = "pbs-main"
base = "/api/pbs"

[[sources.pve]]
name = "pve"
base = "/api/pve"
pbs_storages = [{ storage = "pbs-store1", node = "pve1" }]

[services."Home Assistant"]
guests = ["vm/100"]

[services.pihole]
guests = ["ct/101"]

[services.nextcloud]
guests = ["ct/102"]

[services.windows]
guests = ["vm/103"]

[services.k3s]
guests = ["vm/200@pbs-main/store1/lab"]

[ignore]
guests = ["vm/9000"]
"#;

const APPS_TOML: &str = r#"
[defaults]
timezone = "Europe/Paris"

[[sources.databasement]]
name = "db"
base = "/api/db"
timezone = "Europe/Paris"

[[sources.backrest]]
name = "nas"
base = "/api/backrest"
timezone = "Europe/Paris"

[sources.backrest.plans]
photos = { cron = "0 3 * * *" }
docker-volumes = { every = "6h", clock = "last-run" }
home-dirs = { cron = "30 * * * *" }
media-archive = { every = "7d" }
etc-configs = { disabled = true }

[sources.backrest.repos.nas-restic]
prune = { cron = "0 0 1 * *", clock = "last-run" }

[services.immich]
databases = ["homelab-pg/immich"]
plans = ["photos"]

[services.nextcloud]
databases = ["homelab-pg/nextcloud"]

[services.wiki]
databases = ["homelab-pg/wiki"]

[services.firefly]
databases = ["nas-mariadb/firefly"]

[services.photoprism]
databases = ["nas-mariadb/photoprism"]

[services.vaultwarden]
databases = ["vaultwarden-sqlite//data/vaultwarden/db.sqlite3"]

[services.unifi]
databases = ["legacy-mongo/unifi"]

[services.docker]
plans = ["docker-volumes"]

[services.home]
plans = ["home-dirs"]

[services.media]
plans = ["media-archive"]

[services.etc]
plans = ["etc-configs"]
"#;

fn load(toml: &str) -> Config {
    let loaded = config::parse(toml).expect("valid TOML");
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.config
}

/// Collects every configured source from `server` at `now` and assesses.
fn run(
    config: &Config,
    server: &mut FakeServer,
    states: &mut SourceStates,
    now: Epoch,
) -> Assessment {
    for c in assemble::collectors(config, states, now) {
        let (collected, _) = drive::run(c, now, |r| server.respond(r));
        states.record(collected);
    }
    let browser = Rc::new(NamedZone::by_name("America/New_York").unwrap());
    let mut zones = Zones::new(&TzdbLookup, browser, &config.defaults.timezone);
    health::assess(config, states, &mut zones, now)
}

fn item<'a>(a: &'a Assessment, service: &str) -> &'a ItemHealth {
    let s = a
        .services
        .iter()
        .find(|s| s.name == service)
        .unwrap_or_else(|| panic!("no service {service}"));
    &s.items[0]
}

fn texts(a: &Assessment) -> Vec<(String, &'static str, String)> {
    a.services
        .iter()
        .flat_map(|s| {
            s.items
                .iter()
                .map(move |i| (s.name.clone(), i.state.key(), i.verdict.to_string()))
        })
        .collect()
}

#[test]
fn proxmox_scenario() {
    let config = load(PROXMOX_TOML);
    let mut server = FakeServer::new();
    support::pbs_fixture_routes(&mut server, PROXMOX_NOW - 172_800);
    pve_routes(&mut server);
    let mut states = SourceStates::new(&config);
    let a = run(&config, &mut server, &mut states, PROXMOX_NOW);

    assert!(
        a.sources.iter().all(|s| s.availability == Availability::Ok),
        "{:?}",
        a.sources
    );
    assert_eq!(a.display_zone.0.name(), "Europe/Berlin");
    let want: Vec<(&str, &str, &str)> = vec![
        (
            "Home Assistant",
            "running",
            "backing up now (started 30 s ago), last backup 9 h ago",
        ),
        ("pihole", "ok", "ok, last backup 9 h ago"),
        ("nextcloud", "ok", "ok, last backup 9 h ago"),
        (
            "windows",
            "failed",
            "latest run failed 9 h ago: backup ended but finished state is not set.; last backup 33 h ago",
        ),
        (
            "k3s",
            "unscheduled",
            "unscheduled: no backup job covers it; last backup 7 d ago",
        ),
    ];
    let got = texts(&a);
    let got: Vec<(&str, &str, &str)> = got
        .iter()
        .map(|(s, k, t)| (s.as_str(), *k, t.as_str()))
        .collect();
    assert_eq!(got, want);

    // ct/102 is covered by two jobs: the nightly (02:00) and the weekday one (12:30). On a
    // Sunday at noon the most recent expectation is today's 02:00.
    let nextcloud = item(&a, "nextcloud");
    let jobs: Vec<&str> = nextcloud
        .expectations
        .iter()
        .map(|e| e.job.label.as_str())
        .collect();
    assert_eq!(jobs, ["nightly to PBS", "Backup to pbs-store1"]);
    assert_eq!(
        nextcloud.verdict,
        Verdict::Ok {
            last_success: health::Ago::new(1_778_983_209, PROXMOX_NOW),
            expected: Some(health::Ago::new(1_778_983_200, PROXMOX_NOW)),
        }
    );
    // Planted: its newest verified snapshot failed verification.
    assert!(matches!(
        nextcloud.verification,
        Some(VerifyHealth::Failed { .. })
    ));
    assert_eq!(a.services[2].verification.map(|v| v.key()), Some("failed"));
    // The next run is PVE's own `next-run` (the nightly at 02:00 tomorrow).
    let next = nextcloud.next_run.as_ref().unwrap();
    assert_eq!(
        (next.at, next.provenance, next.due),
        (1_779_069_600, Provenance::Server, Due::Upcoming)
    );
    // vm/100 is also listed through PVE's storage: the duplicate is dropped.
    assert_eq!(
        item(&a, "Home Assistant").sources,
        vec![backwatch_core::model::SourceId {
            kind: backwatch_core::model::SourceKind::Pbs,
            name: "pbs-main".into()
        }]
    );
    // The disabled "Backup to local" job creates no expectation for vm/100 and vm/103.
    assert!(
        item(&a, "windows")
            .expectations
            .iter()
            .all(|e| e.job.label != "Backup to local")
    );

    // Unmapped: ct/105 "scratch" is in PVE's not-backed-up list and has no backup at all
    // (the nightly's `all=1` seems to cover it, but PVE's own list wins). vm/9000 is
    // ignored.
    let unmapped: Vec<(String, &str, String)> = a
        .unmapped
        .iter()
        .map(|i| {
            (
                i.target.subject.to_string(),
                i.state.key(),
                i.verdict.to_string(),
            )
        })
        .collect();
    assert_eq!(
        unmapped,
        vec![(
            "ct/105".to_owned(),
            "never",
            "never backed up; PVE pve lists it without backup job".to_owned()
        )]
    );
    assert_eq!(a.unmapped[0].label.as_deref(), Some("scratch"));
    assert!(
        a.unmapped[0]
            .notes
            .iter()
            .any(|n| matches!(n, Note::NotBackedUp { .. }))
    );
    assert_eq!(a.ignored.len(), 1);
    let nbu: Vec<(u32, Option<&str>)> = a
        .not_backed_up
        .iter()
        .map(|n| (n.guest.id, n.service.as_deref()))
        .collect();
    assert_eq!(nbu, vec![(105, None)]);

    // PBS jobs: server next-runs, none in the past; the not-mounted store's GC is computed.
    let gc = a
        .jobs
        .iter()
        .find(|j| j.job.id == "gc:usb-offsite")
        .unwrap();
    let n = gc.next_run.as_ref().unwrap();
    assert_eq!((n.provenance, n.at), (Provenance::Computed, 1_779_606_000));
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    assert_eq!(a.worst(), Some(State::Failed));

    // Planted in the PBS jobs: the weekly verify and the USB sync failed, the offsite push
    // ended with warnings; the USB datastore is not mounted.
    let last = |id: &str| {
        a.jobs
            .iter()
            .find(|j| j.job.id == id)
            .and_then(|j| j.last_run.as_ref())
            .map(|r| r.outcome)
    };
    assert_eq!(last("v-7c1f0b8e-2d3a"), Some(RunOutcome::Failed));
    assert_eq!(last("s-6c4a3e0b-1f2d"), Some(RunOutcome::Failed));
    assert_eq!(last("s-3a4b5c6d-7e8f"), Some(RunOutcome::Warning));
    assert_eq!(
        a.sources[0].warnings,
        ["datastore usb-offsite: not mounted; not read"]
    );

    // Today's nightly: vm/103 failed, so the occurrence failed; nothing overlaps.
    let cal = calendar::expand(&a, PROXMOX_NOW - 86_400, PROXMOX_NOW + 86_400);
    let nightly: Vec<(Epoch, Option<Outcome>)> = cal
        .occurrences
        .iter()
        .filter(|o| o.job.id == "backup-4f2a9c1e-7b3d")
        .map(|o| (o.start, o.outcome))
        .collect();
    assert_eq!(
        nightly,
        [
            (1_778_983_200, Some(Outcome::Failed)),
            (1_779_069_600, None)
        ]
    );
    assert!(cal.occurrences.iter().all(|o| o.overlaps.is_empty()));
    // The history of pihole: the three snapshots PBS keeps, nothing missed before them.
    let pihole = &a.services[1];
    let strip: String = history::service_history(pihole, PROXMOX_NOW, &Utc, 7)
        .iter()
        .map(|d| d.state.key().chars().next().unwrap_or('?'))
        .collect();
    assert_eq!(strip, "nnnnooo");
}

#[test]
fn apps_scenario() {
    let config = load(APPS_TOML);
    let mut server = FakeServer::new();
    apps_routes(&mut server);
    let mut states = SourceStates::new(&config);
    let a = run(&config, &mut server, &mut states, APPS_NOW);
    assert!(
        a.sources.iter().all(|s| s.availability == Availability::Ok),
        "{:?}",
        a.sources
    );
    let got = texts(&a);
    let got: Vec<(&str, &str, &str)> = got
        .iter()
        .map(|(s, k, t)| (s.as_str(), *k, t.as_str()))
        .collect();
    let want: Vec<(&str, &str, &str)> = vec![
        ("immich", "ok", "ok, last backup 9 h ago"),
        ("immich", "ok", "ok, last backup 8 h ago"),
        ("nextcloud", "ok", "ok, last backup 9 h ago"),
        (
            "wiki",
            "never",
            "never backed up (in the history read); expected by homelab-pg Daily",
        ),
        (
            "firefly",
            "failed",
            "latest run failed 9 h ago: mariadb-dump: Couldn't execute 'show create table `transactions`': Table 'firefly.transactions' doesn't exist in engine (1932); never succeeded; retry running",
        ),
        (
            "photoprism",
            "running",
            "backing up now (started 1 min ago), last backup 9 h ago",
        ),
        (
            "vaultwarden",
            "running",
            "backing up now (started 1 min ago), last backup 61 min ago",
        ),
        (
            "unifi",
            "never",
            "never backed up (in the history read); only the disabled job legacy-mongo Weekly covers it",
        ),
        (
            "docker",
            "failed",
            "latest run failed 2 h ago: failed to backup: command \"/data/restic-0.18.1 backup --json /userdata/docker --exclude **/cache/** --tag plan:docker-volumes -...\" failed: exit code 1: backup failed; last backup 26 h ago",
        ),
        (
            "home",
            "running",
            "backing up now (started 59 s ago), last backup 60 min ago",
        ),
        (
            "media",
            "never",
            "never backed up (in the history read); expected by Backrest plan media-archive",
        ),
        (
            "etc",
            "unscheduled",
            "unscheduled: only the disabled job Backrest plan etc-configs covers it; last backup 4 d ago",
        ),
    ];
    assert_eq!(got, want);
    let etc = item(&a, "etc");
    assert!(
        etc.notes
            .iter()
            .any(|n| matches!(n, Note::LatestRunWarning { .. }))
    );
    // Backrest reports the next runs; Databasement's are computed (02:00 Paris = 00:00Z).
    let photos = &a.services[0].items[1];
    let n = photos.next_run.as_ref().unwrap();
    assert_eq!((n.at, n.provenance), (1_785_286_800, Provenance::Server));
    let immich_db = &a.services[0].items[0];
    let n = immich_db.next_run.as_ref().unwrap();
    assert_eq!((n.at, n.provenance), (1_785_283_200, Provenance::Computed));
    assert_eq!(
        a.services[0].next_run.as_ref().map(|n| n.at),
        Some(1_785_283_200),
        "the service's next run is its soonest item's"
    );
    let docker = item(&a, "docker");
    assert_eq!(
        docker.next_run.as_ref().map(|n| (n.at, n.provenance)),
        Some((1_785_244_492, Provenance::Server))
    );
    assert_eq!(
        a.unmapped
            .iter()
            .map(|i| i.target.subject.clone())
            .collect::<Vec<_>>(),
        Vec::<Subject>::new()
    );
    let _ = GuestType::Vm;
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);

    // Backrest's garbage collection removed the operations of forgotten snapshots: the
    // gaps in photos' history are not missed days; the 07-15 error is a failed day.
    let paris = NamedZone::by_name("Europe/Paris").unwrap();
    let photos = &a.services[0].items[1];
    let strip: String = history::item_history(photos, APPS_NOW, &paris, 30)
        .iter()
        .map(|d| match d.state {
            DayState::Ok => 'o',
            DayState::Failed => 'F',
            DayState::Missed => 'M',
            DayState::Running => 'R',
            DayState::None => '.',
        })
        .collect();
    // 06-29 … 07-28 in Paris.
    assert_eq!(strip, ".o...........o..F...o..ooooooo");
}
