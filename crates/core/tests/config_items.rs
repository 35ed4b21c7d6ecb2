//! Service item forms: compact strings and tables parse into the same typed targets.

use backwatch_core::config::{self, Grace, Scope, ServiceItem, Target};
use backwatch_core::model::{GuestType, PbsLocation, SourceId, SourceKind, Subject};

const SOURCES: &str = "\
[[sources.pbs]]
name = \"pbs-main\"
base = \"/api/pbs\"
[[sources.pve]]
name = \"pve\"
base = \"/api/pve\"
[[sources.databasement]]
name = \"db-main\"
base = \"/api/db\"
timezone = \"UTC\"
[[sources.backrest]]
name = \"nas\"
base = \"/api/backrest\"
";

fn src(kind: SourceKind, name: &str) -> Option<SourceId> {
    Some(SourceId {
        kind,
        name: name.to_owned(),
    })
}

fn scope(source: Option<SourceId>, datastore: Option<&str>, namespace: Option<&str>) -> Scope {
    Scope {
        source,
        datastore: datastore.map(str::to_owned),
        namespace: namespace.map(str::to_owned),
    }
}

/// Parse one item written under `list` and return it (asserting no diagnostics).
fn one_item(list: &str, item: &str) -> ServiceItem {
    let text = format!("{SOURCES}[services.s]\n{list} = [{item}]\n");
    let loaded = config::parse(&text).unwrap();
    let shown: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(shown, Vec::<String>::new(), "{list} = [{item}]");
    let mut items = loaded.config.services.into_iter().next().unwrap().items;
    assert_eq!(items.len(), 1, "{item}");
    items.remove(0)
}

#[test]
fn compact_and_table_forms() {
    let vm200 = Subject::Guest {
        ty: GuestType::Vm,
        id: 200,
    };
    let pbs = || src(SourceKind::Pbs, "pbs-main");
    let cases: Vec<(&str, &str, &str, Target)> = vec![
        (
            "bare guest",
            "guests",
            r#""ct/101""#,
            Target {
                subject: Subject::Guest {
                    ty: GuestType::Ct,
                    id: 101,
                },
                scope: Scope::default(),
            },
        ),
        (
            "guest on a source",
            "guests",
            r#""vm/200@pbs-main""#,
            Target {
                subject: vm200.clone(),
                scope: scope(pbs(), None, None),
            },
        ),
        (
            "guest in a datastore",
            "guests",
            r#""vm/200@pbs-main/store1""#,
            Target {
                subject: vm200.clone(),
                scope: scope(pbs(), Some("store1"), None),
            },
        ),
        (
            "guest in a nested namespace",
            "guests",
            r#""vm/200@pbs-main/store1/lab/old""#,
            Target {
                subject: vm200.clone(),
                scope: scope(pbs(), Some("store1"), Some("lab/old")),
            },
        ),
        (
            "table form equals the compact form",
            "guests",
            r#"{ guest = "vm/200", pbs = "pbs-main", datastore = "store1", namespace = "lab/old" }"#,
            Target {
                subject: vm200.clone(),
                scope: scope(pbs(), Some("store1"), Some("lab/old")),
            },
        ),
        (
            "table form: root namespace and datastore without a source",
            "guests",
            r#"{ guest = "vm/200", datastore = "store1", namespace = "" }"#,
            Target {
                subject: vm200.clone(),
                scope: scope(None, Some("store1"), Some("")),
            },
        ),
        (
            "guest through PVE",
            "guests",
            r#"{ guest = "vm/200", pve = "pve" }"#,
            Target {
                subject: vm200.clone(),
                scope: scope(src(SourceKind::Pve, "pve"), None, None),
            },
        ),
        (
            "host with prefix",
            "hosts",
            r#""host/nas@pbs-main/store2""#,
            Target {
                subject: Subject::Host { id: "nas".into() },
                scope: scope(pbs(), Some("store2"), None),
            },
        ),
        (
            "database with a slash in its name",
            "databases",
            r#""sqlite-box//data/app.db@db-main""#,
            Target {
                subject: Subject::Database {
                    server: "sqlite-box".into(),
                    database: "/data/app.db".into(),
                },
                scope: scope(src(SourceKind::Databasement, "db-main"), None, None),
            },
        ),
        (
            "database name with an @ needs the table form",
            "databases",
            r#"{ server = "pg", database = "a@b" }"#,
            Target {
                subject: Subject::Database {
                    server: "pg".into(),
                    database: "a@b".into(),
                },
                scope: Scope::default(),
            },
        ),
        (
            "plan with prefix and instance",
            "plans",
            r#""plan/photos@nas""#,
            Target {
                subject: Subject::Plan {
                    id: "photos".into(),
                },
                scope: scope(src(SourceKind::Backrest, "nas"), None, None),
            },
        ),
    ];
    for (name, list, item, want) in cases {
        let got = one_item(list, item);
        assert_eq!(got.target, want, "case `{name}`");
        assert_eq!((got.grace, got.retired), (None, false), "case `{name}`");
    }
}

#[test]
fn per_item_grace_and_retired() {
    let got = one_item(
        "guests",
        r#"{ guest = "ct/5", grace = "10%", retired = true }"#,
    );
    assert_eq!(
        got.grace,
        Some(Grace::Fraction {
            basis_points: 1_000
        })
    );
    assert!(got.retired);
}

#[test]
fn scopes_match_backup_sets() {
    let pbs = SourceId {
        kind: SourceKind::Pbs,
        name: "pbs-main".into(),
    };
    let other = SourceId {
        kind: SourceKind::Pbs,
        name: "pbs-offsite".into(),
    };
    let at = |store: &str, ns: &str| PbsLocation {
        datastore: store.into(),
        namespace: ns.into(),
    };
    let s = scope(Some(pbs.clone()), Some("store1"), Some(""));
    assert!(s.matches(&pbs, Some(&at("store1", ""))));
    assert!(!s.matches(&pbs, Some(&at("store1", "lab"))));
    assert!(!s.matches(&pbs, Some(&at("store2", ""))));
    assert!(!s.matches(&other, Some(&at("store1", ""))));
    assert!(!s.matches(&pbs, None));
    assert!(Scope::default().matches(&other, None));
}

#[test]
fn grace_rule() {
    let quarter = Grace::Fraction {
        basis_points: 2_500,
    };
    assert_eq!(quarter.seconds(3_600, 10_800), 900);
    assert_eq!(quarter.seconds(86_400, 10_800), 10_800, "capped");
    assert_eq!(
        Grace::Fixed { secs: 7_200 }.seconds(3_600, 60),
        7_200,
        "fixed is not capped"
    );
    assert_eq!(
        Grace::Fraction {
            basis_points: 10_000
        }
        .seconds(u64::MAX, u64::MAX),
        u64::MAX
    );
}

#[test]
fn other_value_forms() {
    use backwatch_core::config::DisplayZone;
    let text = format!(
        "title = \"  Homelab  \"\n[defaults]\ntimezone = \"America/Argentina/Buenos_Aires\"\nrefresh = \"1h30m\"\n\
         {SOURCES}[services.s]\nguests = [\"ct/1\"]\npaused_until = \"2026-02-28\"\n"
    );
    let loaded = config::parse(&text).unwrap();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let c = loaded.config;
    assert_eq!(c.title, "Homelab");
    assert_eq!(
        c.defaults.timezone,
        DisplayZone::Named("America/Argentina/Buenos_Aires".into())
    );
    assert_eq!(c.defaults.refresh_secs, 5_400);
    assert_eq!(c.defaults.stale_after_secs, 16_200, "three refreshes");
    assert_eq!(
        c.services[0].paused_until,
        chrono::NaiveDate::from_ymd_opt(2026, 2, 28)
    );
}
