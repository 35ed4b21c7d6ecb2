//! Backrest: dashboard and operations through the collector, cache, GetConfig never called.

// Settings are tweaked field by field, as a config mapper would; tables use tuple rows.
#![allow(clippy::field_reassign_with_default, clippy::type_complexity)]

mod support;

use backwatch_core::model::{
    Coverage, Epoch, JobKind, RunOutcome, ScheduleClock, ScheduleSpec, SourceData, Subject,
};
use backwatch_core::sources::backrest::{
    BackrestCache, BackrestCollector, BackrestPlan, BackrestRepo, BackrestSchedule,
    BackrestSettings, Rpc,
};
use backwatch_core::sources::drive::{self, Trace};
use backwatch_core::sources::{Collected, Method, SourceCache};
use support::{FakeServer, status};

/// 2026-07-28T09:31:00Z.
const NOW: Epoch = 1_785_231_060;
const DASH: &str = "/api/backrest/v1.Backrest/GetSummaryDashboard";
const OPS: &str = "/api/backrest/v1.Backrest/GetOperations";

fn ops_key(plan: &str) -> String {
    format!("{OPS} {{\"selector\":{{\"planId\":\"{plan}\",\"instanceId\":\"homelab\"}}}}")
}

fn server(dashboard: &str) -> FakeServer {
    let mut s = FakeServer::new();
    s.fixture(DASH, dashboard)
        .fixture(ops_key("photos"), "backrest/get_operations_photos_all.json")
        .fixture(
            ops_key("docker-volumes"),
            "backrest/get_operations_docker-volumes_lastN12.json",
        )
        .fixture(
            ops_key("home-dirs"),
            "backrest/get_operations_home-dirs_lastN4.json",
        )
        .fixture(
            ops_key("media-archive"),
            "backrest/get_operations_media-archive_never_run.json",
        )
        .fixture(ops_key("etc-configs"), "backrest/get_operations_empty.json");
    s
}

fn settings() -> BackrestSettings {
    let mut s = BackrestSettings::default();
    s.instance_id = Some("homelab".into());
    s.zone = Some("Europe/Paris".into());
    s.plans = vec![
        BackrestPlan {
            id: "photos".into(),
            schedule: Some(BackrestSchedule {
                spec: ScheduleSpec::Cron("0 3 * * *".into()),
                clock: ScheduleClock::Local,
            }),
            enabled: true,
        },
        BackrestPlan {
            id: "docker-volumes".into(),
            schedule: Some(BackrestSchedule {
                spec: ScheduleSpec::EveryHours(6),
                clock: ScheduleClock::LastRunTime,
            }),
            enabled: true,
        },
        BackrestPlan {
            id: "etc-configs".into(),
            schedule: None,
            enabled: false,
        },
    ];
    s.repos = vec![BackrestRepo {
        id: "nas-restic".into(),
        prune: Some(BackrestSchedule {
            spec: ScheduleSpec::Cron("0 0 1 * *".into()),
            clock: ScheduleClock::LastRunTime,
        }),
        check: None,
    }];
    s
}

fn collect(
    s: &mut FakeServer,
    settings: BackrestSettings,
    cache: BackrestCache,
    now: Epoch,
) -> (Collected, Trace) {
    drive::run(
        Box::new(BackrestCollector::new(settings, cache, now)),
        now,
        |r| s.respond(r),
    )
}

fn data(c: &Collected) -> &SourceData {
    c.result
        .as_ref()
        .unwrap_or_else(|e| panic!("source failed: {e}"))
}

fn plan(d: &SourceData, id: &str) -> backwatch_core::model::BackupSet {
    d.backups
        .iter()
        .find(|b| b.subject == Subject::Plan { id: id.into() })
        .cloned()
        .unwrap_or_else(|| panic!("no plan {id}"))
}

#[test]
fn request_sequence() {
    let mut s = server("backrest/get_summary_dashboard_v1.14.json");
    let (collected, trace) = collect(&mut s, settings(), BackrestCache::new(), NOW);
    let waves: Vec<Vec<(String, String)>> = trace
        .waves
        .iter()
        .map(|w| {
            w.iter()
                .map(|r| (r.path.clone(), r.body.clone().unwrap_or_default()))
                .collect()
        })
        .collect();
    let op = |p: &str| {
        (
            OPS.to_owned(),
            format!("{{\"selector\":{{\"planId\":\"{p}\",\"instanceId\":\"homelab\"}}}}"),
        )
    };
    assert_eq!(
        waves,
        vec![
            vec![(DASH.to_owned(), "{}".to_owned())],
            vec![
                op("photos"),
                op("docker-volumes"),
                op("home-dirs"),
                op("media-archive"),
                op("etc-configs")
            ],
        ]
    );
    for r in trace.waves.iter().flatten() {
        assert_eq!(r.method, Method::Post);
        assert_eq!(
            r.headers,
            vec![("Content-Type".to_owned(), "application/json".to_owned())]
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
fn plans_convert() {
    let mut s = server("backrest/get_summary_dashboard_v1.14.json");
    let (collected, _) = collect(&mut s, settings(), BackrestCache::new(), NOW);
    let d = data(&collected);
    let ids: Vec<String> = d.backups.iter().map(|b| b.subject.to_string()).collect();
    assert_eq!(
        ids,
        vec![
            "plan/photos",
            "plan/docker-volumes",
            "plan/home-dirs",
            "plan/media-archive",
            "plan/etc-configs"
        ]
    );

    let photos = plan(d, "photos");
    assert_eq!(
        photos.snapshot_count,
        Some(12),
        "12 index ops, none forgotten"
    );
    assert_eq!(photos.last_success, Some(1_785_200_401));
    assert_eq!(photos.runs.len(), 11);
    assert_eq!(
        (photos.runs[0].start, photos.runs[0].end),
        (1_785_200_401, Some(1_785_200_631))
    );
    assert_eq!(photos.next_run.as_ref().map(|n| n.at), Some(1_785_286_800));
    assert_eq!(photos.size_bytes, Some(417_910_330_901));
    let failed = photos
        .runs
        .iter()
        .find(|r| r.outcome == RunOutcome::Failed)
        .unwrap();
    assert_eq!(failed.start, 1_784_077_201);
    assert!(
        failed
            .message
            .as_deref()
            .unwrap()
            .starts_with("failed to backup: path /userdata/photos does not exist")
    );

    let docker = plan(d, "docker-volumes");
    assert_eq!(docker.runs[0].outcome, RunOutcome::Failed);
    assert!(
        docker.runs[0]
            .message
            .as_deref()
            .unwrap()
            .starts_with("failed to backup: command \"/data/restic-0.18.1 backup")
    );
    assert_eq!(docker.snapshot_count, Some(1));
    assert_eq!(docker.next_run.as_ref().map(|n| n.at), Some(1_785_244_492));

    let home = plan(d, "home-dirs");
    assert_eq!(
        (home.runs[0].outcome, home.runs[0].end),
        (RunOutcome::Running, None)
    );
    assert_eq!(home.next_run, None, "no PENDING op while running");
    assert_eq!(home.last_success, Some(1_785_227_401));

    let media = plan(d, "media-archive");
    assert!(media.runs.is_empty(), "never run");
    assert_eq!((media.snapshot_count, media.last_success), (Some(0), None));
    assert_eq!(media.next_run.as_ref().map(|n| n.at), Some(1_785_780_000));

    let etc = plan(d, "etc-configs");
    let outcomes: Vec<RunOutcome> = etc.runs.iter().map(|r| r.outcome).collect();
    assert_eq!(outcomes, vec![RunOutcome::Warning, RunOutcome::Ok]);
    assert_eq!(
        etc.last_success,
        Some(1_784_833_540),
        "a warning run wrote a snapshot"
    );
}

#[test]
fn jobs_from_settings() {
    let mut s = server("backrest/get_summary_dashboard_v1.14.json");
    let (collected, _) = collect(&mut s, settings(), BackrestCache::new(), NOW);
    let d = data(&collected);
    let jobs: Vec<(&str, JobKind, bool, Option<&ScheduleSpec>, ScheduleClock)> = d
        .jobs
        .iter()
        .map(|j| {
            (
                j.id.as_str(),
                j.kind,
                j.enabled,
                j.schedule.as_ref(),
                j.clock,
            )
        })
        .collect();
    use ScheduleClock::*;
    assert_eq!(
        jobs,
        vec![
            (
                "photos",
                JobKind::Backup,
                true,
                Some(&ScheduleSpec::Cron("0 3 * * *".into())),
                Local
            ),
            (
                "docker-volumes",
                JobKind::Backup,
                true,
                Some(&ScheduleSpec::EveryHours(6)),
                LastRunTime
            ),
            ("home-dirs", JobKind::Backup, true, None, Local),
            ("media-archive", JobKind::Backup, true, None, Local),
            ("etc-configs", JobKind::Backup, false, None, Local),
            (
                "nas-restic/prune",
                JobKind::Prune,
                true,
                Some(&ScheduleSpec::Cron("0 0 1 * *".into())),
                LastRunTime
            ),
        ]
    );
    assert_eq!(d.jobs[0].next_run, Some(1_785_286_800));
    assert_eq!(
        d.jobs[0].covers,
        Coverage::Subjects(vec![Subject::Plan {
            id: "photos".into()
        }])
    );
    assert_eq!(d.jobs[5].covers, Coverage::Repo("nas-restic".into()));
    assert!(
        d.jobs
            .iter()
            .all(|j| j.zone.as_deref() == Some("Europe/Paris"))
    );
}

#[test]
fn cache_skips_unchanged_plans() {
    let mut s = server("backrest/get_summary_dashboard_v1.14.json");
    let (first, _) = collect(&mut s, settings(), BackrestCache::new(), NOW);
    let Some(SourceCache::Backrest(cache)) = first.cache.clone() else {
        panic!("no cache")
    };
    assert_eq!(cache.len(), 5);
    let (second, trace) = collect(&mut s, settings(), cache.clone(), NOW + 300);
    assert_eq!(trace.requests(), 1, "{:?}", trace.paths());
    assert_eq!(data(&first).backups, data(&second).backups);

    // home-dirs finished: its newest status changed, only its operations are read.
    let dash = support::fixture("backrest/get_summary_dashboard_v1.14.json")
        .replace("\"STATUS_INPROGRESS\"", "\"STATUS_SUCCESS\"");
    s.route(DASH, support::json(dash));
    let (_, trace) = collect(&mut s, settings(), cache.clone(), NOW + 600);
    let bodies: Vec<String> = trace
        .waves
        .iter()
        .flatten()
        .filter_map(|r| r.body.clone())
        .collect();
    assert_eq!(
        bodies,
        vec![
            "{}".to_owned(),
            "{\"selector\":{\"planId\":\"home-dirs\",\"instanceId\":\"homelab\"}}".to_owned()
        ]
    );

    // After the refresh interval all plans are read again.
    let (_, trace) = collect(&mut s, settings(), cache, NOW + 3600);
    assert_eq!(trace.requests(), 6);
}

#[test]
fn get_config_is_never_called() {
    // Whatever the settings and server say, only the two allowed RPCs are formed.
    let hostile_plan = r#"photos","x":"/v1.Backrest/GetConfig"#;
    let dash = format!(
        r#"{{"planSummaries":[{{"id":"GetConfig"}},{{"id":{}}},{{"id":"../GetConfig"}}]}}"#,
        serde_json::to_string(hostile_plan).unwrap()
    );
    let mut s = FakeServer::new();
    s.route(DASH, support::json(dash));
    s.route(OPS, support::json("{}"));
    let mut st = settings();
    st.plans.push(BackrestPlan {
        id: "GetConfig".into(),
        schedule: None,
        enabled: true,
    });
    st.instance_id = Some("\"}},\"GetConfig".into());
    let (collected, trace) = collect(&mut s, st, BackrestCache::new(), NOW);
    assert!(collected.result.is_ok());
    assert_eq!(trace.requests(), 4);
    for r in &s.log {
        assert!(
            r.path == DASH || r.path == OPS,
            "unexpected request {}",
            r.path
        );
        assert!(!r.path.contains("GetConfig"));
        // Bodies stay well-formed JSON with only the selector keys.
        let body: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
        if r.path == OPS {
            let sel = body["selector"].as_object().unwrap();
            let keys: Vec<&String> = sel.keys().collect();
            assert_eq!(keys, vec!["instanceId", "planId"]);
            assert_eq!(body.as_object().unwrap().len(), 1);
        }
    }
    // The RPC type only knows the two methods.
    assert_eq!(
        Rpc::GetSummaryDashboard.path(),
        "/v1.Backrest/GetSummaryDashboard"
    );
    assert_eq!(Rpc::GetOperations.path(), "/v1.Backrest/GetOperations");
}

#[test]
fn older_and_sparse_dashboards() {
    let cases: &[(&str, &str, usize)] = &[
        (
            "pre-1.14 (no protectedBytes, no history)",
            "backrest/get_summary_dashboard_pre1.14.json",
            5,
        ),
        (
            "no plans: planSummaries omitted",
            "backrest/public_homepage_issue5839_no_plans.json",
            0,
        ),
        (
            "repo summaries only",
            "backrest/public_homepage_pr5741_repoSummaries_only.json",
            0,
        ),
        ("empty response {}", "backrest/get_operations_empty.json", 0),
    ];
    for (name, file, plans) in cases {
        let mut s = server(file);
        let (collected, _) = collect(&mut s, settings(), BackrestCache::new(), NOW);
        let d = data(&collected);
        assert_eq!(d.backups.len(), *plans, "{name}");
    }
    let mut s = server("backrest/get_summary_dashboard_pre1.14.json");
    let (collected, _) = collect(&mut s, settings(), BackrestCache::new(), NOW);
    let photos = plan(data(&collected), "photos");
    assert_eq!(photos.size_bytes, None);
    assert_eq!(photos.snapshot_count, Some(12));
}

#[test]
fn errors() {
    let mut s = server("backrest/get_summary_dashboard_v1.14.json");
    s.route(
        DASH,
        status(
            401,
            Some("text/plain; charset=utf-8"),
            "Unauthorized (No Authorization Header)\n",
        ),
    );
    let (collected, _) = collect(&mut s, settings(), BackrestCache::new(), NOW);
    assert_eq!(
        collected.result.unwrap_err().to_string(),
        "/api/backrest/v1.Backrest/GetSummaryDashboard: credentials rejected (401): Unauthorized (No Authorization Header)"
    );

    let mut s = server("backrest/get_summary_dashboard_v1.14.json");
    s.route(
        ops_key("photos"),
        status(
            500,
            Some("application/json"),
            support::fixture("backrest/error_get_operations_empty_selector.json"),
        ),
    );
    let (collected, _) = collect(&mut s, settings(), BackrestCache::new(), NOW);
    let d = data(&collected);
    assert_eq!(
        d.warnings,
        vec!["operations of plan photos: /api/backrest/v1.Backrest/GetOperations: HTTP 500: unknown: empty selector".to_owned()]
    );
    assert_eq!(plan(d, "photos").snapshot_count, None);
    assert_eq!(
        plan(d, "photos").runs.len(),
        11,
        "the dashboard still counts"
    );
}
