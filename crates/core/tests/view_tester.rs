//! The schedule tester: normalized form, description and the next runs of both syntaxes in
//! a zone (and in the display zone when it differs), the engine's errors with the column
//! split out, unknown zones, empty input and schedules that never run again.

use backwatch_core::model::Epoch;
use backwatch_core::time::{FixedOffset, Utc};
use backwatch_core::view::tester::{self, Highlight, Syntax};

/// Monday 2026-05-18 02:20 UTC: 04:20 in Berlin (the ADR homelab's test instant).
const NOW: Epoch = 1_779_070_800;

fn hl(before: &str, at: &str, after: &str) -> Highlight {
    Highlight {
        before: before.into(),
        at: at.into(),
        after: after.into(),
    }
}

#[test]
fn weekday_hours_in_the_display_zone() {
    let berlin_summer = FixedOffset::east(7_200).unwrap();
    let v = tester::test(
        Syntax::Calendar,
        "mon..fri 22",
        Some(&berlin_summer),
        "",
        &berlin_summer,
        NOW,
    );
    assert_eq!(v.normalized.as_deref(), Some("Mon..Fri *-*-* *:22:00"));
    assert_eq!(
        v.description.as_deref(),
        Some("every hour at :22 on weekdays")
    );
    assert_eq!((v.error, v.zone_error, v.note), (None, None, None));
    assert_eq!(v.zone, "+02:00");
    let runs: Vec<(&str, &str, &str)> = v
        .runs
        .iter()
        .map(|r| (r.datetime.as_str(), r.exact.as_str(), r.relative.as_str()))
        .collect();
    assert_eq!(runs.len(), tester::RUNS);
    assert_eq!(
        runs[..3],
        [
            ("2026-05-18T04:22:00+02:00", "Mon 18 May 04:22", "in 2 min"),
            (
                "2026-05-18T05:22:00+02:00",
                "Mon 18 May 05:22",
                "in 1 h 2 min"
            ),
            ("2026-05-18T06:22:00+02:00", "Mon 18 May 06:22", "in 2 h"),
        ]
    );
    assert_eq!(runs[9].0, "2026-05-18T13:22:00+02:00");
    assert!(v.runs.iter().all(|r| r.display.is_none()), "same zone");
}

#[test]
fn a_zero_repetition_points_at_its_column() {
    let v = tester::test(Syntax::Calendar, "*/0", Some(&Utc), "", &Utc, NOW);
    let e = v.error.unwrap();
    assert_eq!(
        e.message,
        "expected a repetition greater than zero, found 0 at column 3"
    );
    assert_eq!(e.column, Some(3));
    assert_eq!(e.highlight, Some(hl("*/", "0", "")));
    assert_eq!((v.normalized, v.description), (None, None));
    assert!(v.runs.is_empty());
}

#[test]
fn errors_at_the_end_and_without_a_column() {
    let v = tester::test(Syntax::Calendar, "mon..", Some(&Utc), "", &Utc, NOW);
    let e = v.error.unwrap();
    assert_eq!(
        e.message,
        "expected a weekday or keyword, found end of input at column 6"
    );
    assert_eq!(e.highlight, Some(hl("mon..", "", "")), "past the end");
    let v = tester::test(Syntax::Cron, "*/0", Some(&Utc), "", &Utc, NOW);
    let e = v.error.unwrap();
    assert_eq!(e.message, "expected 5 fields, found 1");
    assert_eq!((e.column, e.highlight), (None, None));
    assert_eq!(
        tester::highlight("é*/0", 4),
        hl("é*/", "0", ""),
        "columns count characters"
    );
}

#[test]
fn unknown_zones_empty_input_and_no_future_runs() {
    let v = tester::test(Syntax::Cron, "0 2 * * *", None, " Mars/Base ", &Utc, NOW);
    assert_eq!(
        v.zone_error.as_deref(),
        Some("unknown time zone `Mars/Base`")
    );
    assert_eq!(v.normalized.as_deref(), Some("0 2 * * *"));
    assert!(v.runs.is_empty());
    let v = tester::test(Syntax::Calendar, "", Some(&Utc), "", &Utc, NOW);
    assert_eq!(
        v.note.as_deref(),
        Some("Type a Proxmox calendar event such as `mon..fri 04:00`")
    );
    assert_eq!(v.error, None);
    let v = tester::test(Syntax::Cron, "", Some(&Utc), "", &Utc, NOW);
    assert_eq!(v.note.as_deref(), Some("Type a cron such as `0 2 * * *`"));
    let v = tester::test(
        Syntax::Calendar,
        "2020-01-01 00:00",
        Some(&Utc),
        "",
        &Utc,
        NOW,
    );
    assert_eq!(v.note.as_deref(), Some("It never runs after now"));
    assert!(v.runs.is_empty());
}

#[test]
fn syntaxes() {
    let s: Vec<(&str, &str)> = tester::SYNTAXES
        .iter()
        .map(|s| (tester::syntax_key(*s), tester::syntax_label(*s)))
        .collect();
    assert_eq!(
        s,
        [("calendar", "Proxmox calendar event"), ("cron", "cron")]
    );
    assert_eq!(tester::syntax_of("cron"), Syntax::Cron);
    assert_eq!(tester::syntax_of("anything"), Syntax::Calendar);
}

#[cfg(feature = "tzdb")]
#[test]
fn cron_in_new_york_seen_from_berlin() {
    use backwatch_core::time::NamedZone;
    let ny = NamedZone::by_name("America/New_York").unwrap();
    let berlin = NamedZone::by_name("Europe/Berlin").unwrap();
    let v = tester::test(
        Syntax::Cron,
        "0 2 * * *",
        Some(&ny),
        "America/New_York",
        &berlin,
        NOW,
    );
    assert_eq!(v.normalized.as_deref(), Some("0 2 * * *"));
    assert_eq!(v.description.as_deref(), Some("daily at 02:00"));
    assert_eq!(v.zone, "America/New_York");
    let first = &v.runs[0];
    // Sun 17 May 22:20 in New York: the next 02:00 there is 06:00 UTC, 08:00 in Berlin.
    assert_eq!(first.datetime, "2026-05-18T02:00:00-04:00");
    assert_eq!(first.exact, "Mon 18 May 02:00");
    assert_eq!(first.relative, "in 3 h");
    assert_eq!(
        first.display.as_deref(),
        Some("Mon 18 May 08:00 Europe/Berlin")
    );
    assert_eq!(v.runs[1].datetime, "2026-05-19T02:00:00-04:00");
    assert_eq!(v.runs.len(), 10);
}
