//! Health through `assess`: configuration, source states and precedence rules that need
//! more than one item's runs — retired, paused, unknown and stale sources, disabled jobs,
//! several guests per service, zones, next-run provenance, verification, unmapped items.

// Tables use tuple rows.
#![allow(clippy::type_complexity)]

mod health_support;

use backwatch_core::health::{
    Ago, Due, Note, Provenance, State, UnknownCause, Unscheduled, Verdict, VerifyHealth,
};
use backwatch_core::model::{
    Coverage, Guest, GuestType, JobKind, RunOutcome, ScheduleSpec, SourceKind, Subject,
    Verification, VerifyState,
};
use backwatch_core::state::{Availability, ErrorKind};
use health_support::*;

/// Monday 2024-01-01 02:00 UTC.
const SLOT: i64 = MON + 2 * H;

/// PBS with the given sets, PVE with a nightly 02:00 job over `covered`, read at
/// SLOT + 10 h.
fn lab(
    sets: Vec<backwatch_core::model::BackupSet>,
    covered: Vec<Subject>,
) -> Vec<backwatch_core::sources::Collected> {
    lab_at(SLOT + 10 * H, sets, covered)
}

fn lab_at(
    at: i64,
    sets: Vec<backwatch_core::model::BackupSet>,
    covered: Vec<Subject>,
) -> Vec<backwatch_core::sources::Collected> {
    vec![
        collected(&pbs(), at, Ok(data(sets, vec![]))),
        collected(
            &pve(),
            at,
            Ok(data(vec![], vec![pve_job("nightly", "02:00", covered)])),
        ),
    ]
}

#[test]
fn a_service_is_as_bad_as_its_worst_item() {
    let c = config("[services.immich]\nguests = [\"ct/101\", \"vm/102\", \"ct/103\"]\n");
    let s = states(
        &c,
        lab(
            vec![
                set(&pbs(), ct(101), vec![ok(SLOT + 5)]),
                set(&pbs(), vm(102), vec![ok(SLOT - 2 * D + 5)]),
                set(&pbs(), ct(103), vec![running(SLOT + 9 * H), ok(SLOT + 5)]),
            ],
            vec![ct(101), vm(102), ct(103)],
        ),
    );
    let a = assess(&c, &s, SLOT + 10 * H);
    let svc = &a.services[0];
    let states: Vec<&str> = svc.items.iter().map(|i| i.state.key()).collect();
    assert_eq!(states, ["ok", "missed", "running"]);
    assert_eq!((svc.state, svc.worst), (State::Missed, Some(1)));
    assert_eq!(svc.summary(), "immich — missed 2 runs, last backup 2 d ago");
    assert_eq!(
        svc.next_run.as_ref().map(|n| (n.at, n.provenance)),
        Some((SLOT + D, Provenance::Computed))
    );
}

#[test]
fn retired_wins_and_is_left_out_of_the_roll_up() {
    let c = config(
        "[services.immich]\nguests = [\"ct/101\", { guest = \"vm/102\", retired = true }]\n\n\
         [services.old]\nretired = true\nguests = [\"ct/103\"]\n",
    );
    let sets = vec![
        set(&pbs(), ct(101), vec![ok(SLOT + 5)]),
        set(&pbs(), vm(102), vec![failed(SLOT + 5)]),
        set(&pbs(), ct(103), vec![ok(SLOT - 9 * D)]),
    ];
    let s = states(&c, lab(sets, vec![ct(101), vm(102), ct(103)]));
    let a = assess(&c, &s, SLOT + 10 * H);
    let immich = &a.services[0];
    assert_eq!(immich.items[1].state, State::Retired);
    assert_eq!(immich.state, State::Ok, "the retired item does not count");
    let old = &a.services[1];
    assert_eq!(old.state, State::Retired);
    assert_eq!(
        old.items[0].verdict.to_string(),
        "retired, last backup 9 d ago"
    );
    // Retired even when its source is down.
    let mut s = s;
    s.record(collected(&pbs(), SLOT + 11 * H, Err(unreachable(&pbs()))));
    let a = assess(&c, &s, SLOT + 11 * H);
    assert_eq!(a.services[1].state, State::Retired);
    assert_eq!(a.services[0].state, State::Unknown);
}

#[test]
fn paused_silences_through_the_end_of_the_day() {
    let c = config("[services.ha]\nguests = [\"vm/120\"]\npaused_until = 2024-01-01\n");
    let sets = vec![set(&pbs(), vm(120), vec![ok(SLOT - 3 * D)])];
    let s = states(&c, lab_at(MON + 23 * H, sets.clone(), vec![vm(120)]));
    let a = assess(&c, &s, MON + 23 * H);
    let svc = &a.services[0];
    assert_eq!(svc.state, State::Paused);
    assert_eq!(svc.verdict.underlying_state(), State::Missed);
    assert_eq!(
        svc.items[0].verdict.to_string(),
        "paused until 2024-01-01 (missed 3 runs, last backup 3 d ago)"
    );
    assert!(!svc.verdict.state().is_alarm());
    // The next day in the display zone (UTC here) the pause is over.
    let s = states(&c, lab_at(MON + D + 30 * 60, sets, vec![vm(120)]));
    let a = assess(&c, &s, MON + D + 30 * 60);
    assert_eq!(a.services[0].state, State::Missed);
    assert_eq!(a.services[0].paused_until, None);
}

#[cfg(feature = "tzdb")]
#[test]
fn paused_until_is_a_day_of_the_display_zone() {
    let c = config(
        "[defaults]\ntimezone = \"America/New_York\"\n\n[services.ha]\nguests = [\"vm/120\"]\npaused_until = 2024-01-01\n",
    );
    let sets = vec![set(&pbs(), vm(120), vec![ok(SLOT - 3 * D)])];
    let s = states(&c, lab_at(MON + D + 30 * 60, sets, vec![vm(120)]));
    // 2024-01-02 00:30Z is still 2024-01-01 in New York.
    let a = assess(&c, &s, MON + D + 30 * 60);
    assert_eq!(a.services[0].state, State::Paused);
}

#[test]
fn a_source_down_is_unknown_then_stale_and_never_blanks_the_others() {
    let c = load(
        "[[sources.pbs]]\nname = \"pbs\"\nbase = \"/api/pbs\"\n\n\
         [[sources.pbs]]\nname = \"pbs2\"\nbase = \"/api/pbs2\"\n\n\
         [services.a]\nguests = [\"ct/101@pbs\"]\n\n[services.b]\nguests = [\"ct/201@pbs2\"]\n\n\
         [[schedules]]\nlabel = \"nightly\"\nkind = \"backup\"\ncalendar = \"02:00\"\nservice = \"a\"\n\n\
         [[schedules]]\nlabel = \"nightly b\"\nkind = \"backup\"\ncalendar = \"02:00\"\nservice = \"b\"\n",
    );
    let pbs2 = id(SourceKind::Pbs, "pbs2");
    let t0 = SLOT + 10 * H;
    let mut s = states(
        &c,
        vec![
            collected(
                &pbs(),
                t0,
                Ok(data(vec![set(&pbs(), ct(101), vec![ok(SLOT + 5)])], vec![])),
            ),
            collected(
                &pbs2,
                t0,
                Ok(data(vec![set(&pbs2, ct(201), vec![ok(SLOT + 5)])], vec![])),
            ),
        ],
    );
    assert_eq!(assess(&c, &s, t0).services[0].state, State::Ok);

    // Five minutes later pbs fails: its items are unknown at once, with the last known
    // verdict; pbs2's items are untouched.
    s.record(collected(&pbs(), t0 + 300, Err(unreachable(&pbs()))));
    s.record(collected(
        &pbs2,
        t0 + 300,
        Ok(data(vec![set(&pbs2, ct(201), vec![ok(SLOT + 5)])], vec![])),
    ));
    let a = assess(&c, &s, t0 + 300);
    assert_eq!(a.sources[0].availability, Availability::Error);
    assert_eq!(
        a.sources[0].failure.as_ref().map(|f| f.kind),
        Some(ErrorKind::Unreachable)
    );
    let item = &a.services[0].items[0];
    assert_eq!(
        item.verdict.to_string(),
        "unknown: PBS pbs unreachable (last read 5 min ago) (last known: ok, last backup 10 h ago)"
    );
    assert_eq!(
        a.services[1].state,
        State::Ok,
        "one source failing never blanks the others"
    );

    // After stale_after (3 × refresh = 15 min) the kept data is stale.
    s.record(collected(
        &pbs2,
        t0 + 901,
        Ok(data(vec![set(&pbs2, ct(201), vec![ok(SLOT + 5)])], vec![])),
    ));
    let a = assess(&c, &s, t0 + 901);
    assert_eq!(a.sources[0].availability, Availability::Stale);
    assert_eq!(a.sources[0].last_good, Some(t0));
    match &a.services[0].items[0].verdict {
        Verdict::Unknown { causes, last_known } => {
            assert_eq!(
                causes,
                &[UnknownCause::Source {
                    id: pbs(),
                    availability: Availability::Stale,
                    kind: None,
                    last_good: Some(Ago::new(t0, t0 + 901)),
                }]
            );
            assert_eq!(last_known.as_ref().map(|v| v.state()), Some(State::Ok));
        }
        v => panic!("{v:?}"),
    }
    assert_eq!(
        a.services[0].items[0].verdict.to_string(),
        "unknown: PBS pbs data is stale (last read 15 min ago) (last known: ok, last backup 10 h ago)"
    );
    assert_eq!(a.services[1].state, State::Ok);

    // Recovery: usable again.
    s.record(collected(
        &pbs(),
        t0 + 1_000,
        Ok(data(vec![set(&pbs(), ct(101), vec![ok(SLOT + 5)])], vec![])),
    ));
    assert_eq!(assess(&c, &s, t0 + 1_000).services[0].state, State::Ok);
}

#[test]
fn a_source_never_read_is_unknown_without_a_last_known_verdict() {
    let c = config("[services.a]\nguests = [\"ct/101\"]\n");
    let s = states(&c, vec![]);
    let a = assess(&c, &s, SLOT);
    assert_eq!(
        a.services[0].items[0].verdict.to_string(),
        "unknown: PBS pbs not read yet; PVE pve not read yet"
    );
}

#[test]
fn unauthorized_is_a_configuration_error_that_backs_off() {
    let c = config("[services.a]\nguests = [\"ct/101\"]\n");
    let mut s = states(&c, vec![]);
    s.record(collected(&pbs(), SLOT, Err(unauthorized(&pbs()))));
    let st = s.status(&pbs(), SLOT).unwrap();
    assert_eq!(st.availability, Availability::Error);
    let failure = st.failure.unwrap();
    assert_eq!(failure.kind, ErrorKind::Unauthorized);
    assert_eq!(
        failure.to_string(),
        "credentials rejected — check the token file (/api/pbs: credentials rejected (401))"
    );
    // Not retried at the next refresh (5 min), but after 2 × refresh at the earliest.
    assert!(!s.is_due(&pbs(), SLOT + 300));
    assert_eq!(st.next_attempt, Some(SLOT + 600));
    assert!(s.is_due(&pbs(), SLOT + 600));
    assert!(
        s.is_due(&pve(), SLOT + 300),
        "other sources are not held back"
    );
    // A second rejection waits longer; a user's retry lifts the wait.
    s.record(collected(&pbs(), SLOT + 600, Err(unauthorized(&pbs()))));
    assert_eq!(
        s.status(&pbs(), SLOT + 600).unwrap().next_attempt,
        Some(SLOT + 600 + 1_200)
    );
    s.retry_now(&pbs());
    assert!(s.is_due(&pbs(), SLOT + 601));
    // Transient errors are retried every refresh.
    s.record(collected(&pve(), SLOT, Err(unreachable(&pve()))));
    assert!(s.is_due(&pve(), SLOT + 300));
    let a = assess(&c, &s, SLOT + 700);
    assert_eq!(
        a.services[0].items[0].verdict.to_string(),
        "unknown: PBS pbs rejected the credentials — check the token file; PVE pve unreachable"
    );
}

#[test]
fn disabled_jobs_create_no_expectation() {
    let c = config("[services.a]\nguests = [\"vm/100\"]\n");
    let mut local = pve_job("backup-local", "sun 01:00", vec![vm(100)]);
    local.enabled = false;
    local.next_run = Some(SLOT + 6 * D);
    local.label = "Backup to local".into();
    let s = states(
        &c,
        vec![
            collected(
                &pbs(),
                SLOT,
                Ok(data(
                    vec![set(&pbs(), vm(100), vec![ok(SLOT - 20 * D)])],
                    vec![],
                )),
            ),
            collected(&pve(), SLOT, Ok(data(vec![], vec![local]))),
        ],
    );
    let a = assess(&c, &s, SLOT);
    let item = &a.services[0].items[0];
    assert_eq!(
        item.verdict.to_string(),
        "unscheduled: only the disabled job Backup to local covers it; last backup 20 d ago"
    );
    assert_eq!(item.next_run, None);
    assert_eq!(
        a.jobs[0].next_run, None,
        "PVE's next-run of a disabled job is ignored"
    );
}

#[test]
fn a_guest_covered_by_two_jobs_is_judged_against_both() {
    let c = config("[services.nc]\nguests = [\"ct/102\"]\n");
    let s = states(
        &c,
        vec![
            collected(
                &pbs(),
                MON + 13 * H,
                Ok(data(vec![set(&pbs(), ct(102), vec![ok(SLOT + 9)])], vec![])),
            ),
            collected(
                &pve(),
                MON + 13 * H,
                Ok(data(
                    vec![],
                    vec![
                        pve_job("nightly", "02:00", vec![ct(101), ct(102)]),
                        pve_job("critical", "mon..fri 12:30", vec![ct(102)]),
                    ],
                )),
            ),
        ],
    );
    let a = assess(&c, &s, MON + 13 * H);
    let item = &a.services[0].items[0];
    assert_eq!(item.expectations.len(), 2);
    match &item.verdict {
        Verdict::Late { job, .. } => assert_eq!(job.label, "critical"),
        v => panic!("{v:?}"),
    }
    // The soonest next run of both jobs: tomorrow's nightly 02:00 vs today's… already
    // past; tomorrow 02:00 comes first.
    assert_eq!(
        item.next_run.as_ref().map(|n| n.job.label.as_str()),
        Some("nightly")
    );
}

#[test]
fn pbs_next_run_in_the_past_is_pending_then_missed() {
    let c = config("");
    let mut prune = job(
        &pbs(),
        "s-prune",
        JobKind::Prune,
        Some(ScheduleSpec::Calendar("04:00".into())),
        Coverage::Datastore {
            store: "store1".into(),
            namespace: None,
        },
    );
    prune.next_run = Some(MON + 4 * H);
    let s = states(
        &c,
        vec![collected(
            &pbs(),
            MON + 5 * H,
            Ok(data(vec![], vec![prune])),
        )],
    );
    let due = |now| {
        let a = assess(&c, &s, now);
        let n = a.jobs[0].next_run.clone().unwrap();
        (n.provenance, n.due)
    };
    assert_eq!(due(MON + 3 * H), (Provenance::Server, Due::Upcoming));
    // Grace of a daily job: 3 h.
    assert_eq!(due(MON + 5 * H), (Provenance::Server, Due::Pending));
    assert_eq!(due(MON + 7 * H), (Provenance::Server, Due::Missed));
    let a = assess(&c, &s, MON + 5 * H);
    assert_eq!(
        a.jobs[0].next_run.as_ref().unwrap().describe(MON + 5 * H),
        "next: s-prune 60 min ago, pending (server)"
    );
}

#[cfg(feature = "tzdb")]
#[test]
fn schedules_run_in_the_server_zone_not_the_browsers() {
    use backwatch_core::time::NamedZone;
    use std::rc::Rc;
    // PVE reports America/New_York; the browser is in Berlin. The nightly 02:00 is
    // 07:00Z in January.
    let run = |extra: &str| {
        let c = config(&format!("[services.a]\nguests = [\"vm/100\"]\n{extra}"));
        let at = MON + D + 3 * H + 30 * 60;
        let mut pve_data = data(vec![], vec![pve_job("nightly", "02:00", vec![vm(100)])]);
        pve_data.timezone = Some("America/New_York".into());
        let s = states(
            &c,
            vec![
                collected(
                    &pbs(),
                    at,
                    Ok(data(
                        vec![set(&pbs(), vm(100), vec![ok(MON + 7 * H + 10)])],
                        vec![],
                    )),
                ),
                collected(&pve(), at, Ok(pve_data)),
            ],
        );
        let berlin = Rc::new(NamedZone::by_name("Europe/Berlin").unwrap());
        let a = assess_in(&c, &s, at, &Lookup, berlin);
        (
            a.services[0].items[0].state,
            a.services[0].items[0].expectations[0]
                .zone
                .0
                .name()
                .to_owned(),
        )
    };
    assert_eq!(run(""), (State::Ok, "America/New_York".to_owned()));
    // A zone in the config overrides the reported one.
    let c = config("");
    drop(c);
    let overridden = {
        let c = load(
            "[[sources.pbs]]\nname = \"pbs\"\nbase = \"/api/pbs\"\n\n[[sources.pve]]\nname = \"pve\"\nbase = \"/api/pve\"\ntimezone = \"UTC\"\n\n[services.a]\nguests = [\"vm/100\"]\n",
        );
        let at = MON + D + 3 * H + 30 * 60;
        let mut pve_data = data(vec![], vec![pve_job("nightly", "02:00", vec![vm(100)])]);
        pve_data.timezone = Some("America/New_York".into());
        let s = states(
            &c,
            vec![
                collected(
                    &pbs(),
                    at,
                    Ok(data(
                        vec![set(&pbs(), vm(100), vec![ok(MON + 7 * H + 10)])],
                        vec![],
                    )),
                ),
                collected(&pve(), at, Ok(pve_data)),
            ],
        );
        let a = assess(&c, &s, at);
        a.services[0].items[0].state
    };
    assert_eq!(overridden, State::Late);
}

#[test]
fn unknown_zone_names_fall_back_to_the_display_zone_with_a_warning() {
    let c = config("[services.a]\nguests = [\"vm/100\"]\n");
    let mut pve_data = data(vec![], vec![pve_job("nightly", "02:00", vec![vm(100)])]);
    pve_data.timezone = Some("Mars/Olympus_Mons".into());
    let s = states(
        &c,
        vec![
            collected(
                &pbs(),
                SLOT + H,
                Ok(data(
                    vec![set(&pbs(), vm(100), vec![ok(SLOT + 10)])],
                    vec![],
                )),
            ),
            collected(&pve(), SLOT + H, Ok(pve_data)),
        ],
    );
    let a = assess(&c, &s, SLOT + H);
    assert_eq!(a.services[0].state, State::Ok);
    assert_eq!(
        a.warnings,
        ["unknown time zone `Mars/Olympus_Mons` for PVE pve; using the display zone UTC"]
    );
}

#[test]
fn job_coverage_unknown_makes_guests_unknown() {
    let c = config("[services.a]\nguests = [\"vm/100\"]\n");
    let mut j = pve_job("nightly", "02:00", vec![]);
    j.covers = Coverage::Unknown;
    let s = states(
        &c,
        vec![
            collected(
                &pbs(),
                SLOT + H,
                Ok(data(
                    vec![set(&pbs(), vm(100), vec![ok(SLOT + 10)])],
                    vec![],
                )),
            ),
            collected(&pve(), SLOT + H, Ok(data(vec![], vec![j]))),
        ],
    );
    let a = assess(&c, &s, SLOT + H);
    assert_eq!(
        a.services[0].items[0].verdict.to_string(),
        "unknown: PVE pve cannot tell which backup job covers it (last known: unscheduled: no backup job covers it; last backup 59 min ago)"
    );
}

#[test]
fn config_schedules_cover_what_no_source_schedules() {
    let c = config(
        "[services.nas]\nhosts = [\"nas\"]\n\n[[schedules]]\nlabel = \"nas client backup\"\nkind = \"backup\"\ncalendar = \"01:00\"\nservice = \"nas\"\n\n\
         [[schedules]]\nlabel = \"USB copy\"\nkind = \"sync\"\ncalendar = \"sat 10:00\"\nservice = \"nas\"\n",
    );
    let nas = Subject::Host { id: "nas".into() };
    let s = states(
        &c,
        vec![
            collected(
                &pbs(),
                MON + 6 * H,
                Ok(data(
                    vec![set(&pbs(), nas, vec![ok(MON - D + H + 30)])],
                    vec![],
                )),
            ),
            collected(&pve(), MON + 6 * H, Ok(data(vec![], vec![]))),
        ],
    );
    let a = assess(&c, &s, MON + 6 * H);
    let item = &a.services[0].items[0];
    assert_eq!(
        item.verdict.to_string(),
        "missed 1 run, last backup 28 h ago"
    );
    assert_eq!(
        item.expectations.len(),
        1,
        "only backup and dump entries expect runs"
    );
    assert!(item.notes.contains(&Note::ScheduleFromConfig {
        label: "nas client backup".into()
    }));
    assert_eq!(
        item.next_run.as_ref().map(|n| (n.at, n.provenance)),
        Some((MON + D + H, Provenance::Computed))
    );
    assert_eq!(a.services[0].schedules.len(), 2);
}

#[test]
fn an_item_no_source_can_report_is_unknown() {
    let c = config("[services.db]\ndatabases = [\"pg/app\"]\n");
    let s = states(&c, lab(vec![], vec![]));
    let a = assess(&c, &s, SLOT);
    assert_eq!(
        a.services[0].items[0].verdict.to_string(),
        "unknown: no configured source can report it"
    );
}

#[test]
fn unmapped_ignored_and_not_backed_up() {
    let c = config("[services.a]\nguests = [\"ct/101\"]\n\n[ignore]\nguests = [\"vm/9000\"]\n");
    let mut pve_data = data(
        vec![],
        vec![pve_job("nightly", "02:00", vec![ct(101), vm(300)])],
    );
    let guest = |id: u32, name: &str| Guest {
        ty: if id == 101 {
            GuestType::Ct
        } else {
            GuestType::Vm
        },
        id,
        name: Some(name.into()),
        node: None,
        pool: None,
        template: id == 9000,
        backup_running: false,
    };
    pve_data.guests = vec![
        guest(101, "pihole"),
        guest(300, "k3s"),
        guest(400, "test"),
        guest(9000, "tpl"),
    ];
    pve_data.not_backed_up = vec![guest(400, "test"), guest(9000, "tpl")];
    let s = states(
        &c,
        vec![
            collected(
                &pbs(),
                SLOT + 4 * H,
                Ok(data(
                    vec![
                        set(&pbs(), ct(101), vec![ok(SLOT + 10)]),
                        set(&pbs(), vm(300), vec![ok(SLOT - 2 * D)]),
                    ],
                    vec![],
                )),
            ),
            collected(&pve(), SLOT + 4 * H, Ok(pve_data)),
        ],
    );
    let a = assess(&c, &s, SLOT + 4 * H);
    let unmapped: Vec<(String, Option<&str>, &str)> = a
        .unmapped
        .iter()
        .map(|i| {
            (
                i.target.subject.to_string(),
                i.label.as_deref(),
                i.state.key(),
            )
        })
        .collect();
    assert_eq!(
        unmapped,
        [
            ("vm/300".to_owned(), Some("k3s"), "missed"),
            ("vm/400".to_owned(), Some("test"), "never"),
        ]
    );
    assert!(
        a.unmapped[1]
            .notes
            .contains(&Note::NotBackedUp { source: pve() })
    );
    match &a.unmapped[1].verdict {
        Verdict::Never { unscheduled, .. } => {
            assert_eq!(
                unscheduled,
                &Some(Unscheduled::NotBackedUp { source: pve() })
            )
        }
        v => panic!("{v:?}"),
    }
    assert_eq!(a.ignored.len(), 1);
    assert_eq!(a.not_backed_up.len(), 1, "vm/9000 is ignored");
    assert_eq!(a.not_backed_up[0].guest.id, 400);
}

#[test]
fn verification_per_item_and_service() {
    let c = config(
        "[defaults]\nverify_max_age = \"7d\"\n\n[services.a]\nguests = [\"ct/101\", \"ct/102\", \"ct/103\"]\n\n[services.b]\nguests = [\"ct/104\"]\n",
    );
    let verified = |subject, state, at| {
        let mut s = set(&pbs(), subject, vec![ok(SLOT + 5)]);
        s.verification = Some(Verification { state, at });
        s
    };
    let sets = vec![
        verified(ct(101), VerifyState::Ok, Some(SLOT - D)),
        verified(ct(102), VerifyState::Ok, Some(SLOT - 8 * D)),
        set(&pbs(), ct(103), vec![ok(SLOT + 5)]),
        verified(ct(104), VerifyState::Failed, Some(SLOT - D)),
    ];
    let s = states(&c, lab(sets, vec![ct(101), ct(102), ct(103), ct(104)]));
    let a = assess(&c, &s, SLOT + H);
    let v: Vec<String> = a.services[0]
        .items
        .iter()
        .map(|i| i.verification.unwrap().to_string())
        .collect();
    assert_eq!(
        v,
        [
            "verified 25 h ago",
            "verification stale (8 d ago)",
            "never verified"
        ]
    );
    assert_eq!(a.services[0].verification.map(|v| v.key()), Some("stale"));
    assert!(matches!(
        a.services[1].verification,
        Some(VerifyHealth::Failed { .. })
    ));
}

#[test]
fn warning_runs_are_noted() {
    let c = config("[services.a]\nguests = [\"ct/101\"]\n");
    let mut r = run(SLOT + 5, RunOutcome::Warning);
    r.message = Some("WARNINGS: 2".into());
    let s = states(&c, lab(vec![set(&pbs(), ct(101), vec![r])], vec![ct(101)]));
    let a = assess(&c, &s, SLOT + H);
    let item = &a.services[0].items[0];
    assert_eq!(item.state, State::Ok);
    assert_eq!(
        item.notes,
        [Note::LatestRunWarning {
            at: Ago::new(SLOT + 5, SLOT + H),
            message: Some("WARNINGS: 2".into())
        }]
    );
}

#[cfg(feature = "tzdb")]
#[test]
fn a_pbs_in_another_zone_than_the_browser() {
    use backwatch_core::calendar;
    use backwatch_core::time::NamedZone;
    use std::rc::Rc;
    // PBS runs in Tokyo (+09:00), the browser in New York. Its GC is `daily` with no
    // next-run reported (a store that was not mounted): computed at Tokyo midnight, 15:00Z.
    let c = config("");
    let mut gc = job(
        &pbs(),
        "gc:usb",
        JobKind::GarbageCollection,
        Some(ScheduleSpec::Calendar("daily".into())),
        Coverage::Datastore {
            store: "usb".into(),
            namespace: None,
        },
    );
    gc.next_run = None;
    let mut d = data(vec![], vec![gc]);
    d.timezone = Some("Asia/Tokyo".into());
    let s = states(&c, vec![collected(&pbs(), MON + 6 * H, Ok(d))]);
    let ny = Rc::new(NamedZone::by_name("America/New_York").unwrap());
    let a = assess_in(&c, &s, MON + 6 * H, &Lookup, ny);
    let n = a.jobs[0].next_run.as_ref().unwrap();
    assert_eq!((n.at, n.provenance), (MON + 15 * H, Provenance::Computed));
    assert_eq!(a.jobs[0].zone.0.name(), "Asia/Tokyo");
    assert_eq!(a.display_zone.0.name(), "America/New_York");
    let cal = calendar::expand(&a, MON, MON + 2 * D);
    let starts: Vec<i64> = cal.occurrences.iter().map(|o| o.start).collect();
    assert_eq!(starts, [MON + 15 * H, MON + D + 15 * H]);
}

#[test]
fn a_backrest_plan_missing_from_the_config_is_unscheduled_with_the_reason() {
    let c = load(
        "[[sources.backrest]]\nname = \"nas\"\nbase = \"/api/backrest\"\ntimezone = \"UTC\"\n\n[services.media]\nplans = [\"media\"]\n",
    );
    let nas = id(SourceKind::Backrest, "nas");
    let plan = Subject::Plan { id: "media".into() };
    let j = job(
        &nas,
        "media",
        JobKind::Backup,
        None,
        Coverage::Subjects(vec![plan.clone()]),
    );
    let s = states(
        &c,
        vec![collected(
            &nas,
            SLOT,
            Ok(data(vec![set(&nas, plan, vec![ok(SLOT - D)])], vec![j])),
        )],
    );
    let a = assess(&c, &s, SLOT);
    assert_eq!(
        a.services[0].items[0].verdict.to_string(),
        "unscheduled: the schedule of media is not known; last backup 24 h ago"
    );
}

#[test]
fn a_target_scoped_to_pve_finds_its_pbs_via_pve_backups_next_to_direct_pbs() {
    use backwatch_core::model::Via;
    let c = load(
        "[[sources.pbs]]\nname = \"pbs\"\nbase = \"/api/pbs\"\n\n\
         [[sources.pve]]\nname = \"pve\"\nbase = \"/api/pve\"\npbs_storages = [{ storage = \"pbs-store1\", node = \"pve1\" }]\n\n\
         [services.nc]\nguests = [{ guest = \"vm/110\", pve = \"pve\" }]\n",
    );
    let direct = set(&pbs(), vm(110), vec![ok(SLOT + 5)]);
    let mut via = set(&pve(), vm(110), vec![ok(SLOT + 5)]);
    via.via = Via::PbsViaPve {
        storage: "pbs-store1".into(),
    };
    let s = states(
        &c,
        vec![
            collected(&pbs(), SLOT + H, Ok(data(vec![direct], vec![]))),
            collected(
                &pve(),
                SLOT + H,
                Ok(data(
                    vec![via],
                    vec![pve_job("nightly", "02:00", vec![vm(110)])],
                )),
            ),
        ],
    );
    let a = assess(&c, &s, SLOT + H);
    let item = &a.services[0].items[0];
    assert_eq!(item.state, State::Ok, "{}", item.verdict);
    assert_eq!(item.sources, [pve()]);
    assert!(
        a.unmapped.is_empty(),
        "the direct twin counts as mapped: {:?}",
        a.unmapped
    );
}

#[test]
fn a_datastore_pbs_cannot_read_makes_its_items_unknown_not_never() {
    let c = config(
        "[services.media]\nguests = [{ guest = \"ct/106\", datastore = \"usb\" }]\n\
         [services.other]\nguests = [\"ct/107\"]\n\
         [services.fine]\nguests = [\"ct/101\"]\n",
    );
    let mut pbs_data = data(vec![set(&pbs(), ct(101), vec![ok(SLOT + 5)])], vec![]);
    pbs_data.datastores.push(backwatch_core::model::Datastore {
        name: "usb".into(),
        total: None,
        used: None,
        avail: None,
        dedup_factor: None,
        estimated_full: None,
        problem: Some("datastore is not mounted".into()),
    });
    let at = SLOT + 10 * H;
    let s = states(
        &c,
        vec![
            collected(&pbs(), at, Ok(pbs_data)),
            collected(
                &pve(),
                at,
                Ok(data(
                    vec![],
                    vec![pve_job("nightly", "02:00", vec![ct(106), ct(107), ct(101)])],
                )),
            ),
        ],
    );
    let a = assess(&c, &s, at);
    let texts: Vec<(String, String)> = a
        .services
        .iter()
        .map(|svc| (svc.name.clone(), svc.items[0].verdict.to_string()))
        .collect();
    assert_eq!(
        texts,
        [
            (
                "media".to_owned(),
                "unknown: datastore usb of PBS pbs cannot be read: datastore is not mounted \
                 (last known: never backed up; expected by nightly)"
                    .to_owned()
            ),
            (
                "other".to_owned(),
                "unknown: datastore usb of PBS pbs cannot be read: datastore is not mounted \
                 (last known: never backed up; expected by nightly)"
                    .to_owned()
            ),
            ("fine".to_owned(), "ok, last backup 9 h ago".to_owned()),
        ],
        "scoped to the unreadable store, or found nowhere while it is unreadable: unknown; \
         found elsewhere: judged normally"
    );
    assert!(matches!(
        &a.services[0].items[0].verdict,
        Verdict::Unknown { causes, .. } if matches!(causes[0], UnknownCause::Datastore { .. })
    ));
}
