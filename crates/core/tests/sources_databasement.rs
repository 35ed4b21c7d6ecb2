//! Databasement: fixtures through the collector, grouping, paging, old server shapes.

// Settings are tweaked field by field, as a config mapper would; tables use tuple rows.
#![allow(clippy::field_reassign_with_default, clippy::type_complexity)]

mod support;

use backwatch_core::model::{
    Coverage, Epoch, JobKind, RunOutcome, ScheduleSpec, SourceData, Subject,
};
use backwatch_core::sources::Collected;
use backwatch_core::sources::databasement::{DatabasementCollector, DatabasementSettings};
use backwatch_core::sources::drive::{self, Trace};
use support::{FakeServer, status};

/// 2026-07-28T09:31:00Z.
const NOW: Epoch = 1_785_231_060;
const V1: &str = "/api/databasement/api/v1";
const SERVERS: &str = "/database-servers?per_page=100";
const SCHEDULES: &str = "/backup-schedules?per_page=100";
const SNAPSHOTS: &str = "/snapshots?per_page=100&sort=-started_at";
const FAILED: &str = "/jobs?filter[status]=failed&filter[type]=backup&per_page=100";

fn p(path: &str) -> String {
    format!("{V1}{path}")
}

fn server() -> FakeServer {
    let mut s = FakeServer::new();
    s.fixture(p(SERVERS), "databasement/database_servers_index.json")
        .fixture(p(SCHEDULES), "databasement/backup_schedules_index.json")
        .fixture(p(SNAPSHOTS), "databasement/snapshots_index_page1.json")
        .fixture(
            p(&format!("{SNAPSHOTS}&page=2")),
            "databasement/snapshots_index_page2.json",
        )
        .fixture(p(FAILED), "databasement/jobs_index_page1.json");
    s
}

fn settings() -> DatabasementSettings {
    let mut s = DatabasementSettings::default();
    s.zone = Some("Europe/Paris".into());
    s
}

fn collect(s: &mut FakeServer, settings: DatabasementSettings) -> (Collected, Trace) {
    drive::run(
        Box::new(DatabasementCollector::new(settings, NOW)),
        NOW,
        |r| s.respond(r),
    )
}

fn data(c: &Collected) -> &SourceData {
    c.result
        .as_ref()
        .unwrap_or_else(|e| panic!("source failed: {e}"))
}

fn db(server: &str, database: &str) -> Subject {
    Subject::Database {
        server: server.into(),
        database: database.into(),
    }
}

#[test]
fn request_sequence_and_headers() {
    let mut s = server();
    let (collected, trace) = collect(&mut s, settings());
    let waves: Vec<Vec<&str>> = trace
        .waves
        .iter()
        .map(|w| w.iter().map(|r| r.path.strip_prefix(V1).unwrap()).collect())
        .collect();
    assert_eq!(
        waves,
        vec![
            vec![SERVERS, SCHEDULES, SNAPSHOTS, FAILED],
            vec!["/snapshots?per_page=100&sort=-started_at&page=2"],
        ],
        "page 2 reaches 2026-06-01, outside the 35-day window: no page 3"
    );
    for r in trace.waves.iter().flatten() {
        assert_eq!(
            r.headers,
            vec![("Accept".to_owned(), "application/json".to_owned())]
        );
    }
    assert_eq!(collected.stats.round_trips, 2);
    assert!(
        data(&collected).warnings.is_empty(),
        "{:?}",
        data(&collected).warnings
    );
}

#[test]
fn databases_grouped_exactly() {
    let mut s = server();
    let (collected, _) = collect(&mut s, settings());
    let d = data(&collected);
    let summary: Vec<(String, Option<u32>, Option<Epoch>, Vec<RunOutcome>)> = d
        .backups
        .iter()
        .map(|b| {
            (
                b.subject.to_string(),
                b.snapshot_count,
                b.last_success,
                b.runs.iter().map(|r| r.outcome).collect(),
            )
        })
        .collect();
    use RunOutcome::*;
    let want: Vec<(String, Option<u32>, Option<Epoch>, Vec<RunOutcome>)> = vec![
        (
            "homelab-pg/immich".into(),
            Some(1),
            Some(1_785_196_803),
            vec![Ok],
        ),
        (
            "homelab-pg/nextcloud".into(),
            Some(3),
            Some(1_785_196_803),
            vec![Ok, Ok, Ok],
        ),
        ("homelab-pg/wiki".into(), Some(0), None, vec![]),
        ("legacy-mongo/unifi".into(), Some(0), None, vec![]),
        (
            "nas-mariadb/firefly".into(),
            Some(0),
            None,
            vec![Pending, Failed],
        ),
        (
            "nas-mariadb/photoprism".into(),
            Some(1),
            Some(1_785_196_802),
            vec![Pending, Ok],
        ),
        (
            "vaultwarden-sqlite//data/vaultwarden/db.sqlite3".into(),
            Some(1),
            Some(1_785_227_400),
            vec![Running, Ok],
        ),
    ];
    assert_eq!(summary, want);

    let nextcloud = d
        .backups
        .iter()
        .find(|b| b.subject == db("homelab-pg", "nextcloud"))
        .unwrap();
    assert_eq!(nextcloud.size_bytes, Some(188_743_680));
    assert_eq!(
        nextcloud.runs[0].end,
        Some(1_785_196_840),
        "updated_at of the finished row"
    );
    assert!(!nextcloud.runs_complete, "history not read to the end");
    let firefly = d
        .backups
        .iter()
        .find(|b| b.subject == db("nas-mariadb", "firefly"))
        .unwrap();
    assert_eq!(firefly.runs[0].end, None);
    assert_eq!(
        firefly.runs[1].message.as_deref(),
        Some(
            "mariadb-dump: Couldn't execute 'show create table `transactions`': Table 'firefly.transactions' doesn't exist in engine (1932)"
        )
    );
}

#[test]
fn jobs_per_backup_config() {
    let mut s = server();
    let (collected, _) = collect(&mut s, settings());
    let d = data(&collected);
    let jobs: Vec<(&str, &str, bool, Option<&ScheduleSpec>)> = d
        .jobs
        .iter()
        .map(|j| {
            (
                j.id.as_str(),
                j.label.as_str(),
                j.enabled,
                j.schedule.as_ref(),
            )
        })
        .collect();
    let cron = |s: &str| ScheduleSpec::Cron(s.into());
    assert_eq!(
        jobs,
        vec![
            (
                "01KY06CCH8VPVTX363SN6FCCW8",
                "legacy-mongo Weekly",
                false,
                Some(&cron("0 3 * * 0"))
            ),
            (
                "01KRB1KC7R42N4FHZD8YFYTC66",
                "vaultwarden-sqlite Hourly (:30)",
                true,
                Some(&cron("30 * * * *"))
            ),
            (
                "01KJQZBQK0SQWW7FE4N1EE043E",
                "nas-mariadb Daily",
                true,
                Some(&cron("0 2 * * *"))
            ),
            (
                "01KJQYZFZRF3F55Z488YAGVDCK",
                "homelab-pg Daily",
                true,
                Some(&cron("0 2 * * *"))
            ),
        ]
    );
    assert!(
        d.jobs
            .iter()
            .all(|j| j.kind == JobKind::Dump && j.zone.as_deref() == Some("Europe/Paris"))
    );
    assert_eq!(
        d.jobs[3].covers,
        Coverage::Subjects(vec![
            db("homelab-pg", "immich"),
            db("homelab-pg", "nextcloud"),
            db("homelab-pg", "wiki")
        ])
    );
    // Mode `all`: the databases seen in the rows.
    assert_eq!(
        d.jobs[2].covers,
        Coverage::Subjects(vec![
            db("nas-mariadb", "firefly"),
            db("nas-mariadb", "photoprism")
        ])
    );
}

#[test]
fn paging_stops_at_the_end_of_history() {
    let mut s = server();
    s.route(
        p(SNAPSHOTS),
        support::json(
            support::fixture("databasement/snapshots_index_page1.json")
                .replace("\"last_page\": 36", "\"last_page\": 1"),
        ),
    );
    let (collected, trace) = collect(&mut s, settings());
    assert_eq!(trace.round_trips(), 1);
    assert!(data(&collected).backups.iter().all(|b| b.runs_complete));
}

#[test]
fn paging_is_bounded() {
    let mut s = server();
    let mut st = settings();
    st.max_pages = 1;
    let (collected, trace) = collect(&mut s, st);
    assert_eq!(trace.requests(), 4);
    assert_eq!(
        data(&collected).warnings,
        vec!["snapshots: stopped after 1 pages (6 rows) before covering the window".to_owned()]
    );
}

#[test]
fn old_server_shapes() {
    // v1.0.x: a single `backup` with top-level selection; no schedules endpoint.
    // Before 2026-02: `recurrence` instead of a schedule.
    let servers = r#"{"data":[
        {"id":"S1","name":"pg-old","database_type":"postgres","backups_enabled":true,
         "database_selection_mode":"selected","database_names":["app"],
         "backup":{"id":"B1","backup_schedule_id":"SCH1","volume_id":"V"}},
        {"id":"S2","name":"maria-older","backups_enabled":1,"backup_all_databases":false,
         "database_names":["shop"],"backup":{"id":"B2","recurrence":"weekly","volume_id":"V"}},
        {"id":"S3","name":"future","backups_enabled":true,"backups":null,"backup":null,"brand_new":{"x":1}}
    ],"links":{},"meta":{"current_page":1,"last_page":1,"total":3}}"#;
    let mut s = FakeServer::new();
    s.route(p(SERVERS), support::json(servers))
        .route(
            p(SCHEDULES),
            status(404, Some("application/json"), r#"{"message":"Not Found"}"#),
        )
        .route(
            p(SNAPSHOTS),
            support::json(r#"{"data":[],"meta":{"current_page":1,"last_page":1,"total":0}}"#),
        )
        .route(p(FAILED), support::json(r#"{"data":[]}"#));
    let (collected, _) = collect(&mut s, settings());
    let d = data(&collected);
    assert_eq!(d.jobs.len(), 2);
    assert_eq!(
        d.jobs[0].schedule, None,
        "schedule id unknown without the schedules endpoint"
    );
    assert_eq!(
        d.jobs[0].covers,
        Coverage::Subjects(vec![db("pg-old", "app")])
    );
    assert_eq!(
        d.jobs[1].schedule,
        Some(ScheduleSpec::Cron("0 3 * * 0".into()))
    );
    assert_eq!(d.jobs[1].label, "maria-older weekly");
    assert_eq!(
        d.jobs[1].covers,
        Coverage::Subjects(vec![db("maria-older", "shop")])
    );
    let subjects: Vec<String> = d.backups.iter().map(|b| b.subject.to_string()).collect();
    assert_eq!(subjects, vec!["maria-older/shop", "pg-old/app"]);
    assert!(
        d.backups
            .iter()
            .all(|b| b.runs.is_empty() && b.runs_complete)
    );
    assert_eq!(
        d.warnings,
        vec!["backup schedules endpoint not found (Databasement before 2026-02): daily/weekly times are taken from the settings".to_owned()]
    );
}

#[test]
fn errors() {
    let cases: &[(&str, &str, u16, &str, &str)] = &[
        (
            "401 JSON",
            SERVERS,
            401,
            r#"{"message":"Unauthenticated."}"#,
            "/api/databasement/api/v1/database-servers?per_page=100: credentials rejected (401): Unauthenticated.",
        ),
        (
            "403 organization",
            SNAPSHOTS,
            403,
            r#"{"message":"The requested organization is not accessible."}"#,
            "/api/databasement/api/v1/snapshots?per_page=100&sort=-started_at: permission denied (403): The requested organization is not accessible.",
        ),
    ];
    for (name, path, code, body, want) in cases {
        let mut s = server();
        s.route(p(path), status(*code, Some("application/json"), *body));
        let (collected, _) = collect(&mut s, settings());
        assert_eq!(collected.result.unwrap_err().to_string(), *want, "{name}");
    }
    // The optional job feed failing is a warning.
    let mut s = server();
    s.route(
        p(FAILED),
        status(
            500,
            Some("text/html"),
            "<html><title>Server Error</title></html>",
        ),
    );
    let (collected, _) = collect(&mut s, settings());
    assert_eq!(
        data(&collected).warnings,
        vec!["failed job messages: /api/databasement/api/v1/jobs?filter[status]=failed&filter[type]=backup&per_page=100: HTTP 500: HTML page: Server Error".to_owned()]
    );
}
