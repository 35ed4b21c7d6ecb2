//! Named, table-driven tests of the status view-models with exact strings.

use super::*;
use crate::config::{Scope, Target};
use crate::health::{Ago, FailedRun, JobRef, Unscheduled, Verdict};
use crate::model::{GuestType, JobKind, Subject};
use crate::time::{FixedOffset, Utc};
use crate::zones::SharedZone;

/// Mon 2026-05-18 02:20:00 UTC (04:20 in Berlin): the ADR homelab's test instant.
const NOW: Epoch = 1_779_070_800;
const H: i64 = 3_600;
const D: i64 = 86_400;

fn ct(id: u32) -> Subject {
    Subject::Guest {
        ty: GuestType::Ct,
        id,
    }
}

fn pbs() -> SourceId {
    SourceId {
        kind: SourceKind::Pbs,
        name: "pbs-main".into(),
    }
}

fn pve() -> SourceId {
    SourceId {
        kind: SourceKind::Pve,
        name: "pve-cluster".into(),
    }
}

fn job() -> JobRef {
    JobRef {
        source: Some(pve()),
        id: "backup-critical".into(),
        label: "nightly to PBS".into(),
        kind: JobKind::Backup,
    }
}

fn ok_verdict(last: Epoch) -> Verdict {
    Verdict::Ok {
        last_success: Ago::new(last, NOW),
        expected: None,
    }
}

fn missed(runs: u32, last: Option<Epoch>) -> Verdict {
    Verdict::Missed {
        runs,
        expected: Ago::new(NOW - 2 * H, NOW),
        job: job(),
        last_success: last.map(|t| Ago::new(t, NOW)),
        last_failure: None,
    }
}

fn failed(last: Option<Epoch>) -> Verdict {
    Verdict::Failed {
        failure: FailedRun {
            at: Ago::new(NOW - 3 * H, NOW),
            message: Some("mariadb-dump: access denied".into()),
        },
        last_success: last.map(|t| Ago::new(t, NOW)),
        missed: 1,
        retrying: false,
    }
}

fn unscheduled() -> Verdict {
    Verdict::Unscheduled {
        last_success: None,
        why: Unscheduled::NoJob,
    }
}

fn item(subject: Subject, verdict: Verdict, last: Option<Epoch>) -> ItemHealth {
    ItemHealth {
        target: Target {
            subject,
            scope: Scope::default(),
        },
        label: None,
        retired: false,
        state: verdict.state(),
        verdict,
        last_success: last,
        in_flight: None,
        next_run: None,
        verification: None,
        snapshot_count: None,
        size_bytes: None,
        sources: Vec::new(),
        notes: Vec::new(),
        runs: Vec::new(),
        expectations: Vec::new(),
        as_of: NOW,
    }
}

/// A service whose verdict is its worst item's, as health rolls it up.
fn service(name: &str, items: Vec<ItemHealth>) -> ServiceHealth {
    let worst = items
        .iter()
        .enumerate()
        .max_by_key(|(_, i)| i.state.severity())
        .map(|(k, _)| k);
    let verdict = worst.and_then(|k| items.get(k)).map_or(
        Verdict::Unscheduled {
            last_success: None,
            why: Unscheduled::NoItems,
        },
        |i| i.verdict.clone(),
    );
    ServiceHealth {
        name: name.into(),
        description: None,
        link: None,
        retired: false,
        paused_until: None,
        state: verdict.state(),
        verdict,
        worst,
        items,
        verification: None,
        next_run: None,
        schedules: Vec::new(),
    }
}

fn assessment(services: Vec<ServiceHealth>, unmapped: Vec<ItemHealth>) -> Assessment {
    Assessment {
        now: NOW,
        display_zone: SharedZone::new(Utc),
        services,
        unmapped,
        ignored: Vec::new(),
        not_backed_up: Vec::new(),
        jobs: Vec::new(),
        sources: Vec::new(),
        warnings: Vec::new(),
    }
}

fn retired(mut s: ServiceHealth) -> ServiceHealth {
    s.retired = true;
    for i in &mut s.items {
        i.retired = true;
        i.verdict = Verdict::Retired {
            last_success: i.last_success.map(|t| Ago::new(t, NOW)),
        };
        i.state = State::Retired;
    }
    s.verdict = Verdict::Retired { last_success: None };
    s.state = State::Retired;
    s
}

/// A small lab: one service per interesting state, plus two unmapped guests.
fn lab() -> Assessment {
    let not_backed_up = {
        let mut i = item(
            ct(120),
            Verdict::Never {
                job: None,
                unscheduled: Some(Unscheduled::NotBackedUp { source: pve() }),
                history_complete: true,
            },
            None,
        );
        i.label = Some("scratch".into());
        i.notes.push(Note::NotBackedUp { source: pve() });
        i
    };
    assessment(
        vec![
            service(
                "vaultwarden",
                vec![item(ct(101), ok_verdict(NOW - 2 * H), Some(NOW - 2 * H))],
            ),
            service(
                "Gitea",
                vec![item(
                    ct(105),
                    missed(2, Some(NOW - 3 * D)),
                    Some(NOW - 3 * D),
                )],
            ),
            service(
                "Home Assistant",
                vec![item(ct(100), failed(Some(NOW - D)), Some(NOW - D))],
            ),
            service(
                "NAS files",
                vec![item(ct(140), unscheduled(), Some(NOW - 5 * D))],
            ),
            retired(service(
                "Wiki.js",
                vec![item(ct(130), ok_verdict(NOW - 28 * D), Some(NOW - 28 * D))],
            )),
            service("App configs", vec![item(ct(150), missed(1, None), None)]),
        ],
        vec![
            item(ct(107), ok_verdict(NOW - H), Some(NOW - H)),
            not_backed_up,
        ],
    )
}

#[test]
fn badges_have_a_label_and_a_distinct_glyph_for_every_state() {
    let mut icons = Vec::new();
    for s in State::ALL {
        let b = badge(s);
        assert_eq!(b.key, s.key());
        assert_eq!(b.label, s.key(), "the label is the word of the state");
        assert!(!icons.contains(&b.icon), "{s:?} shares its glyph");
        icons.push(b.icon);
    }
}

#[test]
fn problem_states() {
    let cases = [
        (State::Ok, false),
        (State::Running, false),
        (State::Paused, false),
        (State::Retired, false),
        (State::Late, true),
        (State::Unscheduled, true),
        (State::Unknown, true),
        (State::Never, true),
        (State::Failed, true),
        (State::Missed, true),
    ];
    for (state, want) in cases {
        assert_eq!(is_problem(state), want, "{state:?}");
    }
}

#[test]
fn counts_only_present_states_worst_first() {
    let a = lab();
    let got: Vec<(&str, usize)> = state_counts(&a.services)
        .iter()
        .map(|c| (c.state.key(), c.count))
        .collect();
    assert_eq!(
        got,
        [
            ("missed", 2),
            ("failed", 1),
            ("unscheduled", 1),
            ("ok", 1),
            ("retired", 1)
        ]
    );
    assert_eq!(
        counts_sentence(&state_counts(&a.services)),
        "6 services: 2 missed, 1 failed, 1 unscheduled, 1 ok, 1 retired"
    );
    assert_eq!(counts_sentence(&[]), "0 services");
}

#[test]
fn problems_worst_first_with_verdict_text_and_a_cap() {
    let a = lab();
    let p = problems(&a, 10);
    let got: Vec<&str> = p.lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        got,
        [
            "App configs — missed 1 run, never backed up",
            "Gitea — missed 2 runs, last backup 3 d ago",
            "Home Assistant — latest run failed 3 h ago: mariadb-dump: access denied; last backup 24 h ago",
            "Not mapped to a service — 1 item needs attention: scratch (ct/120)",
            "NAS files — unscheduled: no backup job covers it",
        ]
    );
    assert_eq!(p.more, 0);
    let capped = problems(&a, 2);
    assert_eq!(capped.lines.len(), 2);
    assert_eq!(capped.more, 3);
    assert_eq!(capped.lines[0].service, "App configs");
    assert_eq!(capped.lines[0].state, State::Missed);
}

#[test]
fn a_failed_verification_is_a_problem_even_when_backups_are_on_time() {
    let mut a = lab();
    let vw = a.services.iter_mut().find(|s| s.name == "vaultwarden");
    vw.unwrap().verification = Some(VerifyHealth::Failed {
        at: Some(Ago::new(NOW - 22 * H, NOW)),
    });
    let gitea = a.services.iter_mut().find(|s| s.name == "Gitea");
    gitea.unwrap().verification = Some(VerifyHealth::Failed { at: None });
    // Retired services' verifications are history, not a problem.
    let wiki = a.services.iter_mut().find(|s| s.name == "Wiki.js");
    wiki.unwrap().verification = Some(VerifyHealth::Failed {
        at: Some(Ago::new(NOW - 30 * D, NOW)),
    });
    let p = problems(&a, 10);
    let got: Vec<(&str, &str, &str)> = p
        .lines
        .iter()
        .map(|l| (l.badge.key, l.state.key(), l.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "missed",
                "missed",
                "App configs — missed 1 run, never backed up"
            ),
            (
                "missed",
                "missed",
                "Gitea — missed 2 runs, last backup 3 d ago"
            ),
            (
                "failed",
                "failed",
                "Home Assistant — latest run failed 3 h ago: mariadb-dump: access denied; last backup 24 h ago"
            ),
            (
                "verify-failed",
                "missed",
                "Gitea — newest verification failed; a restore from it may fail"
            ),
            (
                "verify-failed",
                "ok",
                "vaultwarden — newest verification failed 22 h ago; a restore from it may fail"
            ),
            (
                "never",
                "never",
                "Not mapped to a service — 1 item needs attention: scratch (ct/120)"
            ),
            (
                "unscheduled",
                "unscheduled",
                "NAS files — unscheduled: no backup job covers it"
            ),
        ]
    );
    assert_eq!(VERIFY_FAILED.label, "verify failed");
}

#[test]
fn no_problems_when_everything_is_fine() {
    let a = assessment(
        vec![service(
            "Vault",
            vec![item(ct(1), ok_verdict(NOW - H), Some(NOW - H))],
        )],
        vec![item(ct(107), ok_verdict(NOW - H), Some(NOW - H))],
    );
    assert_eq!(
        problems(&a, 5),
        Problems {
            lines: Vec::new(),
            more: 0
        }
    );
}

#[test]
fn item_names() {
    let mut i = item(ct(103), ok_verdict(NOW), Some(NOW));
    assert_eq!(item_name(&i), "ct/103");
    i.label = Some("immich".into());
    assert_eq!(item_name(&i), "immich (ct/103)");
    i.label = Some("  ".into());
    assert_eq!(item_name(&i), "ct/103");
}

fn names(a: &Assessment, order: &TableOrder) -> Vec<String> {
    order
        .services
        .iter()
        .map(|&i| a.services[i].name.clone())
        .collect()
}

#[test]
fn sort_orders() {
    let a = lab();
    let by = |key: SortKey, descending: bool| {
        names(&a, &table_order(&a, Sort { key, descending }, None))
    };
    let cases: [(SortKey, bool, [&str; 6]); 6] = [
        (
            SortKey::State,
            true,
            [
                "App configs",
                "Gitea",
                "Home Assistant",
                "NAS files",
                "vaultwarden",
                "Wiki.js",
            ],
        ),
        (
            SortKey::State,
            false,
            [
                "Wiki.js",
                "vaultwarden",
                "NAS files",
                "Home Assistant",
                "App configs",
                "Gitea",
            ],
        ),
        (
            SortKey::Name,
            false,
            [
                "App configs",
                "Gitea",
                "Home Assistant",
                "NAS files",
                "vaultwarden",
                "Wiki.js",
            ],
        ),
        // Oldest first; never backed up before everything.
        (
            SortKey::LastBackup,
            false,
            [
                "App configs",
                "Wiki.js",
                "NAS files",
                "Gitea",
                "Home Assistant",
                "vaultwarden",
            ],
        ),
        (
            SortKey::LastBackup,
            true,
            [
                "vaultwarden",
                "Home Assistant",
                "Gitea",
                "NAS files",
                "Wiki.js",
                "App configs",
            ],
        ),
        // No next run anywhere: ties fall back to worst first, then name.
        (
            SortKey::NextRun,
            false,
            [
                "App configs",
                "Gitea",
                "Home Assistant",
                "NAS files",
                "vaultwarden",
                "Wiki.js",
            ],
        ),
    ];
    for (key, desc, want) in cases {
        assert_eq!(by(key, desc), want, "{key:?} descending={desc}");
    }
}

#[test]
fn next_run_sorts_soonest_first_and_none_last_both_ways() {
    let mut a = lab();
    let at = |t: Epoch| NextRun {
        at: t,
        provenance: Provenance::Server,
        job: job(),
        due: Due::Upcoming,
    };
    a.services[0].next_run = Some(at(NOW + 5 * H)); // vaultwarden
    a.services[1].next_run = Some(at(NOW + H)); // Gitea
    let asc = names(
        &a,
        &table_order(
            &a,
            Sort {
                key: SortKey::NextRun,
                descending: false,
            },
            None,
        ),
    );
    assert_eq!(&asc[..3], ["Gitea", "vaultwarden", "App configs"]);
    let desc = names(
        &a,
        &table_order(
            &a,
            Sort {
                key: SortKey::NextRun,
                descending: true,
            },
            None,
        ),
    );
    assert_eq!(&desc[..3], ["vaultwarden", "Gitea", "App configs"]);
}

#[test]
fn sort_toggles_and_aria() {
    let s = Sort::default();
    assert_eq!(
        s,
        Sort {
            key: SortKey::State,
            descending: true
        }
    );
    assert_eq!(s.aria(SortKey::State), "descending");
    assert_eq!(s.aria(SortKey::Name), "none");
    let s = s.toggle(SortKey::State);
    assert_eq!(s.aria(SortKey::State), "ascending");
    let s = s.toggle(SortKey::Name);
    assert_eq!(
        s,
        Sort {
            key: SortKey::Name,
            descending: false
        }
    );
    let s = s.toggle(SortKey::LastBackup);
    assert_eq!(s.aria(SortKey::LastBackup), "ascending");
    assert_eq!(
        s.toggle(SortKey::LastBackup).aria(SortKey::LastBackup),
        "descending"
    );
    let keys: Vec<(&str, &str)> = [
        SortKey::Name,
        SortKey::State,
        SortKey::LastBackup,
        SortKey::NextRun,
    ]
    .iter()
    .map(|k| (k.key(), k.label()))
    .collect();
    assert_eq!(
        keys,
        [
            ("name", "Service"),
            ("state", "State"),
            ("last-backup", "Last backup"),
            ("next-run", "Next run")
        ]
    );
}

#[test]
fn filter_keeps_one_state_in_services_and_unmapped() {
    let a = lab();
    let o = table_order(&a, Sort::default(), Some(State::Missed));
    assert_eq!(names(&a, &o), ["App configs", "Gitea"]);
    assert!(o.unmapped.is_empty());
    let o = table_order(&a, Sort::default(), Some(State::Never));
    assert!(o.services.is_empty());
    assert_eq!(o.unmapped, [1]);
    let o = table_order(&a, Sort::default(), None);
    assert_eq!(
        o.unmapped,
        [1, 0],
        "worst first: the never-backed-up guest on top"
    );
}

#[test]
fn chips_count_services_and_unmapped_items() {
    let a = lab();
    let chips = filter_chips(&a, Some(State::Failed));
    let got: Vec<(&str, usize, bool)> = chips
        .iter()
        .map(|c| (c.label, c.count, c.pressed))
        .collect();
    assert_eq!(
        got,
        [
            ("all", 8, false),
            ("missed", 2, false),
            ("failed", 1, true),
            ("never", 1, false),
            ("unscheduled", 1, false),
            ("ok", 2, false),
            ("retired", 1, false),
        ]
    );
    assert!(filter_chips(&a, None)[0].pressed);
    // A selected state that disappeared keeps a chip so the filter can be cleared.
    let gone = filter_chips(&a, Some(State::Running));
    let last = gone.last().copied();
    assert_eq!(
        last,
        Some(Chip {
            state: Some(State::Running),
            label: "running",
            count: 0,
            pressed: true
        })
    );
}

#[test]
fn windows() {
    let cases = [
        (0, PAGE, 0, 0, 0, ""),
        (10, PAGE, 10, 0, 0, ""),
        (300, PAGE, 50, 250, 50, "show 50 more (250 not shown)"),
        (300, 280, 280, 20, 20, "show 20 more (20 not shown)"),
        (300, 1000, 300, 0, 0, ""),
    ];
    for (total, limit, shown, hidden, step, label) in cases {
        let w = window(total, limit);
        assert_eq!(
            (w.shown, w.hidden, w.step, w.total),
            (shown, hidden, step, total),
            "{total}/{limit}"
        );
        assert_eq!(w.more_label(), label);
    }
}

#[test]
fn time_cells_in_the_display_zone() {
    let berlin = FixedOffset::east(2 * 3600).unwrap();
    let c = time_cell(NOW - 3 * D, NOW, &berlin);
    assert_eq!(
        c,
        TimeCell {
            datetime: "2026-05-15T04:20:00+02:00".into(),
            relative: "3 d ago".into(),
            exact: "Fri 15 May 04:20".into(),
        }
    );
    assert_eq!(time_cell(NOW + 14 * H, NOW, &Utc).relative, "in 14 h");
}

#[test]
fn next_run_cells_say_where_the_time_comes_from() {
    let cases = [
        (
            Provenance::Server,
            Due::Upcoming,
            NOW + 5 * H,
            ("upcoming", "server", "in 5 h"),
            "nightly to PBS · Mon 18 May 07:20 · reported by the server",
        ),
        (
            Provenance::Computed,
            Due::Pending,
            NOW - 20 * 60,
            ("pending", "computed", "20 min ago"),
            "nightly to PBS · Mon 18 May 02:00 · due, not started yet · computed from the schedule",
        ),
        (
            Provenance::Server,
            Due::Missed,
            NOW - 5 * H,
            ("missed", "server", "5 h ago"),
            "nightly to PBS · Sun 17 May 21:20 · due time passed without a run · reported by the server",
        ),
    ];
    for (provenance, due, at, (d, p, rel), title) in cases {
        let n = NextRun {
            at,
            provenance,
            job: job(),
            due,
        };
        let c = next_run_cell(&n, NOW, &Utc);
        assert_eq!((c.due, c.provenance, c.time.relative.as_str()), (d, p, rel));
        assert_eq!(c.provenance_label, p);
        assert_eq!(c.title, title);
    }
}

#[test]
fn verify_cells() {
    let at = Ago::new(NOW - 2 * D, NOW);
    let cases = [
        (VerifyHealth::Ok { at }, "ok", "verified", Some("2 d ago")),
        (
            VerifyHealth::Failed { at: Some(at) },
            "failed",
            "failed",
            Some("2 d ago"),
        ),
        (VerifyHealth::Failed { at: None }, "failed", "failed", None),
        (
            VerifyHealth::Stale { at: Some(at) },
            "stale",
            "stale",
            Some("2 d ago"),
        ),
        (VerifyHealth::None, "none", "never verified", None),
    ];
    for (v, key, label, rel) in cases {
        let c = verify_cell(v, NOW, &Utc);
        assert_eq!(
            (c.key, c.label, c.time.as_ref().map(|t| t.relative.as_str())),
            (key, label, rel),
            "{v:?}"
        );
    }
}

#[test]
fn source_badges_name_pbs_via_pve() {
    let db = SourceId {
        kind: SourceKind::Databasement,
        name: "databasement".into(),
    };
    let br = SourceId {
        kind: SourceKind::Backrest,
        name: "backrest".into(),
    };
    let got: Vec<(&str, &str, String)> = source_badges([&pbs(), &pve(), &pbs(), &db, &br])
        .into_iter()
        .map(|b| (b.kind, b.label, b.title))
        .collect();
    assert_eq!(
        got,
        [
            ("pbs", "PBS", "PBS pbs-main".to_owned()),
            ("pve", "PBS via PVE", "PBS via PVE pve-cluster".to_owned()),
            (
                "databasement",
                "Databasement",
                "Databasement databasement".to_owned()
            ),
            ("backrest", "Backrest", "Backrest backrest".to_owned()),
        ]
    );
}

#[test]
fn service_last_backup_is_the_worst_items() {
    let two = service(
        "Immich",
        vec![
            item(ct(103), missed(1, Some(NOW - 2 * D)), Some(NOW - 2 * D)),
            item(ct(104), ok_verdict(NOW - H), Some(NOW - H)),
        ],
    );
    assert_eq!(two.worst, Some(0));
    assert_eq!(
        service_last_backup(&two),
        Some(NOW - 2 * D),
        "agrees with the reason"
    );
    let never = service(
        "Photos",
        vec![
            item(ct(103), ok_verdict(NOW - H), Some(NOW - H)),
            item(ct(104), missed(1, None), None),
        ],
    );
    assert_eq!(service_last_backup(&never), None);
    let gone = retired(service(
        "Wiki",
        vec![
            item(ct(130), ok_verdict(NOW - 28 * D), Some(NOW - 28 * D)),
            item(ct(131), ok_verdict(NOW - 30 * D), Some(NOW - 30 * D)),
        ],
    ));
    assert_eq!(
        service_last_backup(&gone),
        Some(NOW - 28 * D),
        "all retired: the newest"
    );
    assert_eq!(service_last_backup(&service("Empty", Vec::new())), None);
}

#[test]
fn service_rows() {
    let mut a = lab();
    let s = &mut a.services[1]; // Gitea
    s.description = Some("git forge".into());
    s.items[0].snapshot_count = Some(12);
    s.items[0].sources = vec![pve()];
    s.items
        .push(item(ct(106), ok_verdict(NOW - H), Some(NOW - H)));
    s.items[1].snapshot_count = Some(3);
    s.items[1].sources = vec![pbs()];
    s.verification = Some(VerifyHealth::Failed { at: None });
    let row = service_row(&a.services[1], NOW, &Utc);
    assert_eq!(row.key, "Gitea");
    assert_eq!(row.detail.as_deref(), Some("git forge"));
    assert_eq!(row.badge.key, "missed");
    assert_eq!(
        row.reason.as_deref(),
        Some("missed 2 runs, last backup 3 d ago")
    );
    assert_eq!(
        row.last_backup.map(|t| t.relative),
        Some("3 d ago".to_owned())
    );
    assert_eq!(row.snapshots, "15");
    assert_eq!(row.verify.map(|v| v.key), Some("failed"));
    let labels: Vec<&str> = row.sources.iter().map(|b| b.label).collect();
    assert_eq!(labels, ["PBS via PVE", "PBS"]);
    assert!(row.tags.is_empty());
    assert!(!row.retired);

    let ok = service_row(&a.services[0], NOW, &Utc);
    assert_eq!(ok.reason, None, "ok rows carry no reason");
    assert_eq!(ok.snapshots, "—");
    let wiki = service_row(&a.services[4], NOW, &Utc);
    assert!(wiki.retired);
    assert_eq!(wiki.reason.as_deref(), Some("retired"));
}

#[test]
fn item_rows() {
    let a = lab();
    let scratch = item_row(&a.unmapped[1], NOW, &Utc);
    assert_eq!(
        (
            scratch.key.as_str(),
            scratch.name.as_str(),
            scratch.detail.as_deref()
        ),
        ("ct/120", "scratch", Some("ct/120"))
    );
    assert_eq!(scratch.tags, ["not backed up"]);
    assert_eq!(
        scratch.reason.as_deref(),
        Some("never backed up; PVE pve-cluster lists it without backup job")
    );
    assert_eq!(scratch.last_backup, None);

    let mut usb = item(ct(106), ok_verdict(NOW - H), Some(NOW - H));
    usb.target.scope.datastore = Some("usb-offsite".into());
    usb.notes.push(Note::LatestRunWarning {
        at: Ago::new(NOW - H, NOW),
        message: None,
    });
    let row = item_row(&usb, NOW, &Utc);
    assert_eq!(row.detail.as_deref(), Some("ct/106 · usb-offsite"));
    assert_eq!(row.tags, ["warnings"]);
}

#[test]
fn unmapped_heading_counts_rows_shown() {
    let a = lab();
    assert_eq!(
        unmapped_heading(&a, &[1, 0]),
        "Not mapped to a service · 2 items, 1 not backed up"
    );
    assert_eq!(
        unmapped_heading(&a, &[0]),
        "Not mapped to a service · 1 item"
    );
}

#[test]
fn many_rows_sort_quickly_and_only_the_window_is_formatted() {
    // 300 unmapped guests, as in the scale-10k scenario.
    let unmapped: Vec<ItemHealth> = (0..300)
        .map(|k| {
            item(
                ct(1000 + k),
                ok_verdict(NOW - i64::from(k) * 60),
                Some(NOW - i64::from(k) * 60),
            )
        })
        .collect();
    let a = assessment(Vec::new(), unmapped);
    let o = table_order(
        &a,
        Sort {
            key: SortKey::LastBackup,
            descending: false,
        },
        None,
    );
    assert_eq!(o.unmapped.len(), 300);
    assert_eq!(o.unmapped.first(), Some(&299), "oldest first");
    let w = window(o.unmapped.len(), PAGE);
    let rows: Vec<Row> = o.unmapped[..w.shown]
        .iter()
        .map(|&i| item_row(&a.unmapped[i], NOW, &Utc))
        .collect();
    assert_eq!(rows.len(), 50);
    assert_eq!(rows[0].key, "ct/1299");
}
