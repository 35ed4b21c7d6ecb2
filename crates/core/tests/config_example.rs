//! `config/backwatch.example.toml` shows every key; it must load without a diagnostic into
//! exactly these typed values.

use backwatch_core::config::{
    self, BackrestPlan, BackrestRepo, BackrestSchedule, BackrestSource, Config, DatabasementSource,
    Defaults, DisplayZone, ExtraSchedule, Grace, PbsSource, PbsStorage, PveSource, Scope, Service,
    ServiceItem, Sources, Target,
};
use backwatch_core::model::{
    GuestType, JobKind, ScheduleClock, ScheduleSpec, SourceId, SourceKind, Subject,
};
use chrono::NaiveDate;

const EXAMPLE: &str = include_str!("../../../config/backwatch.example.toml");

fn id(kind: SourceKind, name: &str) -> SourceId {
    SourceId {
        kind,
        name: name.to_owned(),
    }
}

fn guest(ty: GuestType, id: u32) -> Subject {
    Subject::Guest { ty, id }
}

fn item(subject: Subject, scope: Scope) -> ServiceItem {
    ServiceItem {
        target: Target { subject, scope },
        grace: None,
        retired: false,
    }
}

fn plain(subject: Subject) -> ServiceItem {
    item(subject, Scope::default())
}

fn scope(source: Option<SourceId>, datastore: Option<&str>, namespace: Option<&str>) -> Scope {
    Scope {
        source,
        datastore: datastore.map(str::to_owned),
        namespace: namespace.map(str::to_owned),
    }
}

fn db(server: &str, database: &str) -> Subject {
    Subject::Database {
        server: server.to_owned(),
        database: database.to_owned(),
    }
}

fn plan(id: &str) -> Subject {
    Subject::Plan { id: id.to_owned() }
}

fn host(id: &str) -> Subject {
    Subject::Host { id: id.to_owned() }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn expected() -> Config {
    let pbs_main = id(SourceKind::Pbs, "pbs-main");
    let pbs_offsite = id(SourceKind::Pbs, "pbs-offsite");
    let pve_cluster = id(SourceKind::Pve, "pve-cluster");
    let pve_lab = id(SourceKind::Pve, "pve-lab");
    let db_main = id(SourceKind::Databasement, "db-main");
    let backrest = id(SourceKind::Backrest, "nas-backrest");
    let local = |spec| BackrestSchedule {
        spec: Some(spec),
        clock: ScheduleClock::Local,
    };
    let with_clock = |spec, clock| BackrestSchedule {
        spec: Some(spec),
        clock,
    };

    Config {
        title: "Backups".to_owned(),
        defaults: Defaults {
            refresh_secs: 300,
            stale_after_secs: 900,
            grace: Grace::Fraction {
                basis_points: 2_500,
            },
            grace_max_secs: 10_800,
            verify_max_age_secs: 2_592_000,
            timezone: DisplayZone::Browser,
        },
        sources: Sources {
            pbs: vec![
                PbsSource {
                    id: pbs_main.clone(),
                    base: "/api/pbs".to_owned(),
                    timezone: Some("Europe/Berlin".to_owned()),
                    datastores: Some(strings(&["store1", "store2"])),
                    namespaces: Some(strings(&["", "lab"])),
                    max_depth: Some(2),
                    snapshot_refresh_secs: 1_800,
                    task_window_secs: 172_800,
                },
                PbsSource {
                    id: pbs_offsite.clone(),
                    base: "/api/pbs-offsite".to_owned(),
                    timezone: None,
                    datastores: None,
                    namespaces: None,
                    max_depth: None,
                    snapshot_refresh_secs: 1_800,
                    task_window_secs: 172_800,
                },
            ],
            pve: vec![
                PveSource {
                    id: pve_cluster.clone(),
                    base: "/api/pve".to_owned(),
                    timezone: Some("Europe/Berlin".to_owned()),
                    pbs_storages: vec![PbsStorage {
                        storage: "pbs-store1".to_owned(),
                        node: "pve1".to_owned(),
                    }],
                },
                PveSource {
                    id: pve_lab.clone(),
                    base: "/api/pve-lab".to_owned(),
                    timezone: None,
                    pbs_storages: vec![],
                },
            ],
            databasement: vec![DatabasementSource {
                id: db_main.clone(),
                base: "/api/db".to_owned(),
                timezone: Some("Europe/Paris".to_owned()),
                history_secs: 2_592_000,
                organization: Some("01JZ3V8Q4B6X2N9M5K7T1R0CWD".to_owned()),
            }],
            backrest: vec![BackrestSource {
                id: backrest.clone(),
                base: "/api/backrest".to_owned(),
                timezone: Some("Europe/Berlin".to_owned()),
                // Keys of one table come in file order.
                plans: vec![
                    BackrestPlan {
                        id: "photos".to_owned(),
                        schedule: local(ScheduleSpec::Cron("0 2 * * *".to_owned())),
                    },
                    BackrestPlan {
                        id: "documents".to_owned(),
                        schedule: with_clock(
                            ScheduleSpec::EveryHours(6),
                            ScheduleClock::LastRunTime,
                        ),
                    },
                    BackrestPlan {
                        id: "system".to_owned(),
                        schedule: with_clock(ScheduleSpec::EveryDays(1), ScheduleClock::Utc),
                    },
                    BackrestPlan {
                        id: "old-laptop".to_owned(),
                        schedule: BackrestSchedule {
                            spec: None,
                            clock: ScheduleClock::Local,
                        },
                    },
                ],
                repos: vec![BackrestRepo {
                    id: "nas-restic".to_owned(),
                    prune: Some(with_clock(
                        ScheduleSpec::Cron("0 0 1 * *".to_owned()),
                        ScheduleClock::LastRunTime,
                    )),
                    check: Some(with_clock(
                        ScheduleSpec::EveryDays(7),
                        ScheduleClock::LastRunTime,
                    )),
                }],
            }],
        },
        services: vec![
            Service {
                name: "immich".to_owned(),
                description: Some("Photos and videos".to_owned()),
                link: Some("https://photos.example.lan".to_owned()),
                grace: Some(Grace::Fixed { secs: 7_200 }),
                retired: false,
                paused_until: None,
                items: vec![
                    plain(guest(GuestType::Ct, 101)),
                    item(
                        guest(GuestType::Vm, 200),
                        scope(Some(pbs_main.clone()), Some("store1"), Some("lab")),
                    ),
                    ServiceItem {
                        grace: Some(Grace::Fixed { secs: 21_600 }),
                        ..item(
                            guest(GuestType::Vm, 201),
                            scope(Some(pbs_offsite), Some("store1"), Some("")),
                        )
                    },
                    plain(db("homelab-pg", "immich")),
                    item(plan("photos"), scope(Some(backrest.clone()), None, None)),
                ],
            },
            Service {
                name: "nextcloud".to_owned(),
                description: None,
                link: None,
                grace: None,
                retired: false,
                paused_until: None,
                items: vec![
                    item(
                        guest(GuestType::Vm, 110),
                        scope(Some(pve_cluster), None, None),
                    ),
                    plain(host("nas")),
                    item(
                        host("nextcloud-files"),
                        scope(Some(pbs_main), Some("store2"), None),
                    ),
                    ServiceItem {
                        grace: Some(Grace::Fixed { secs: 1_800 }),
                        ..item(
                            db("nas-mariadb", "nextcloud"),
                            scope(Some(db_main), None, None),
                        )
                    },
                    item(plan("documents"), scope(Some(backrest), None, None)),
                ],
            },
            Service {
                name: "Home Assistant".to_owned(),
                description: None,
                link: None,
                grace: None,
                retired: false,
                paused_until: NaiveDate::from_ymd_opt(2026, 9, 1),
                items: vec![
                    plain(guest(GuestType::Vm, 120)),
                    ServiceItem {
                        retired: true,
                        ..plain(guest(GuestType::Vm, 121))
                    },
                ],
            },
            Service {
                name: "wiki".to_owned(),
                description: None,
                link: None,
                grace: None,
                retired: true,
                paused_until: None,
                items: vec![plain(guest(GuestType::Ct, 130))],
            },
        ],
        schedules: vec![
            ExtraSchedule {
                label: "Databasement cleanup".to_owned(),
                kind: JobKind::Cleanup,
                schedule: ScheduleSpec::Cron("0 4 * * *".to_owned()),
                timezone: Some("Europe/Paris".to_owned()),
                service: None,
            },
            ExtraSchedule {
                label: "offsite USB copy".to_owned(),
                kind: JobKind::Sync,
                schedule: ScheduleSpec::Calendar("sat 10:00".to_owned()),
                timezone: Some("Europe/Berlin".to_owned()),
                service: Some("nextcloud".to_owned()),
            },
        ],
        ignore: vec![
            Target {
                subject: guest(GuestType::Ct, 999),
                scope: Scope::default(),
            },
            Target {
                subject: guest(GuestType::Vm, 9000),
                scope: scope(Some(pve_lab), None, None),
            },
            Target {
                subject: host("laptop-old"),
                scope: Scope::default(),
            },
            Target {
                subject: db("homelab-pg", "scratch"),
                scope: Scope::default(),
            },
            Target {
                subject: plan("tmp-test"),
                scope: Scope::default(),
            },
        ],
    }
}

#[test]
fn example_file_loads_without_diagnostics() {
    let loaded = config::parse(EXAMPLE).expect("example is valid TOML");
    let shown: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(shown, Vec::<String>::new());
}

#[test]
fn example_file_parses_into_the_expected_typed_values() {
    let loaded = config::parse(EXAMPLE).expect("example is valid TOML");
    let want = expected();
    // Section by section first, for readable failures.
    assert_eq!(loaded.config.defaults, want.defaults);
    assert_eq!(loaded.config.sources.pbs, want.sources.pbs);
    assert_eq!(loaded.config.sources.pve, want.sources.pve);
    assert_eq!(
        loaded.config.sources.databasement,
        want.sources.databasement
    );
    assert_eq!(loaded.config.sources.backrest, want.sources.backrest);
    for (got, want) in loaded.config.services.iter().zip(&want.services) {
        assert_eq!(got, want, "service {}", want.name);
    }
    assert_eq!(loaded.config.schedules, want.schedules);
    assert_eq!(loaded.config.ignore, want.ignore);
    assert_eq!(loaded.config, want);
}

/// Keys written in the example (`key =`, also inside inline tables), without strings
/// and comments.
fn example_keys() -> Vec<String> {
    let mut keys = Vec::new();
    for line in EXAMPLE.lines() {
        let line = line.split('#').next().unwrap_or("");
        if line.trim_start().starts_with('[') && !line.contains('=') {
            continue; // a table header
        }
        // Drop string literals.
        let mut bare = String::new();
        let mut in_string = false;
        for c in line.chars() {
            if c == '"' {
                in_string = !in_string;
            } else if !in_string {
                bare.push(c);
            }
        }
        let mut rest = bare.as_str();
        while let Some(eq) = rest.find('=') {
            let before = rest[..eq].trim_end();
            let key: String = before
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if !key.is_empty() && !keys.contains(&key) {
                keys.push(key);
            }
            rest = &rest[eq + 1..];
        }
    }
    keys
}

#[test]
fn every_key_of_the_example_is_documented() {
    let docs = include_str!("../../../docs/config.md");
    // Plan ids are the user's names, not keys.
    let user_ids = ["photos", "documents", "system", "old-laptop"];
    let missing: Vec<String> = example_keys()
        .into_iter()
        .filter(|k| !user_ids.contains(&k.as_str()))
        .filter(|k| !docs.contains(&format!("| `{k}` |")))
        .collect();
    assert_eq!(missing, Vec::<String>::new());
}

#[test]
fn an_empty_file_is_all_defaults_and_a_warning() {
    let loaded = config::parse("").unwrap();
    assert_eq!(loaded.config, Config::default());
    let shown: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "warning: sources: no source is configured; add `[[sources.pbs]]`, `[[sources.pve]]`, \
          `[[sources.databasement]]` or `[[sources.backrest]]` at line 1, column 1"
        ]
    );
}
