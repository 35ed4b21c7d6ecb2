//! DST behaviour in Europe/Berlin, America/New_York and Australia/Lord_Howe (30-minute
//! DST). Hazards: a spring-forward gap removes local times, a fall-back fold repeats them.
//!
//! Calendar events follow proxmox-time (libc `mktime` normalisation): gap times are
//! skipped, fold times run once (first occurrence). The calendar rows were checked
//! against a C emulation of proxmox-time's search running on glibc 2.36.
//! Cron follows Debian: fixed-time jobs run a gap time once at the end of the gap and a
//! fold time once; jobs with `*` in minute or hour follow the wall clock.
//!
//! 2024 transitions: Berlin 03-31 01:00Z (02:00→03:00), 10-27 01:00Z (03:00→02:00);
//! New York 03-10 07:00Z, 11-03 06:00Z; Lord Howe 04-06 15:00Z (02:00→01:30),
//! 10-05 15:30Z (02:00→02:30).

#![cfg(feature = "tzdb")]

use backwatch_core::schedule::Schedule;
use backwatch_core::time::NamedZone;

const BERLIN: &str = "Europe/Berlin";
const NEW_YORK: &str = "America/New_York";
const LORD_HOWE: &str = "Australia/Lord_Howe";

#[derive(Clone, Copy)]
enum Kind {
    Calendar,
    Cron,
}

fn parse(kind: Kind, expr: &str) -> Schedule {
    match kind {
        Kind::Calendar => Schedule::parse_calendar(expr),
        Kind::Cron => Schedule::parse_cron(expr),
    }
    .unwrap_or_else(|e| panic!("{expr}: {e}"))
}

/// (name, zone, kind, expr, after, the next occurrences)
type NextCase = (
    &'static str,
    &'static str,
    Kind,
    &'static str,
    i64,
    &'static [i64],
);

const NEXT: &[NextCase] = &[
    // --- calendar events ---
    (
        "cal_berlin_gap_daily_skipped",
        BERLIN,
        Kind::Calendar,
        "02:30",
        1_711_800_000,
        &[1_711_931_400, 1_712_017_800],
    ),
    (
        "cal_berlin_gap_hourly_resumes_after",
        BERLIN,
        Kind::Calendar,
        "*:30",
        1_711_845_900,
        &[1_711_848_600, 1_711_852_200],
    ),
    (
        "cal_berlin_fold_daily_once",
        BERLIN,
        Kind::Calendar,
        "02:30",
        1_729_944_000,
        &[1_729_989_000, 1_730_079_000],
    ),
    (
        "cal_berlin_fold_hourly_skips_second_pass",
        BERLIN,
        Kind::Calendar,
        "*:30",
        1_729_989_000,
        &[1_729_996_200, 1_729_999_800],
    ),
    (
        "cal_berlin_fold_quarter_hours",
        BERLIN,
        Kind::Calendar,
        "*:0/15",
        1_729_990_200,
        &[1_729_994_400, 1_729_995_300],
    ),
    (
        "cal_berlin_from_second_pass",
        BERLIN,
        Kind::Calendar,
        "*:0/15",
        1_729_993_500,
        &[1_729_994_400],
    ),
    (
        "cal_new_york_gap_daily_skipped",
        NEW_YORK,
        Kind::Calendar,
        "02:30",
        1_709_985_600,
        &[1_710_138_600],
    ),
    (
        "cal_new_york_fold_daily_once",
        NEW_YORK,
        Kind::Calendar,
        "01:30",
        1_730_548_800,
        &[1_730_611_800, 1_730_701_800],
    ),
    (
        "cal_lord_howe_gap_time_skipped",
        LORD_HOWE,
        Kind::Calendar,
        "02:15",
        1_728_129_600,
        &[1_728_227_700],
    ),
    (
        "cal_lord_howe_after_gap_runs",
        LORD_HOWE,
        Kind::Calendar,
        "02:45",
        1_728_129_600,
        &[1_728_143_100],
    ),
    (
        "cal_lord_howe_fold_once",
        LORD_HOWE,
        Kind::Calendar,
        "01:45",
        1_712_404_800,
        &[1_712_414_700, 1_712_502_900],
    ),
    (
        "cal_lord_howe_fold_quarter_hours",
        LORD_HOWE,
        Kind::Calendar,
        "*:0/15",
        1_712_414_700,
        &[1_712_417_400, 1_712_418_300],
    ),
    (
        "cal_utc_suffix_ignores_zone",
        BERLIN,
        Kind::Calendar,
        "02:30 UTC",
        1_711_800_000,
        &[1_711_852_200],
    ),
    // --- cron, fixed time ---
    (
        "cron_berlin_gap_runs_at_gap_end",
        BERLIN,
        Kind::Cron,
        "30 2 * * *",
        1_711_800_000,
        &[1_711_846_800, 1_711_931_400],
    ),
    (
        "cron_berlin_fold_runs_once",
        BERLIN,
        Kind::Cron,
        "30 2 * * *",
        1_729_944_000,
        &[1_729_989_000, 1_730_079_000],
    ),
    (
        "cron_new_york_gap_runs_at_gap_end",
        NEW_YORK,
        Kind::Cron,
        "30 2 * * *",
        1_709_985_600,
        &[1_710_054_000, 1_710_138_600],
    ),
    (
        "cron_new_york_fold_runs_once",
        NEW_YORK,
        Kind::Cron,
        "30 1 * * *",
        1_730_548_800,
        &[1_730_611_800, 1_730_701_800],
    ),
    (
        "cron_lord_howe_gap_runs_at_gap_end",
        LORD_HOWE,
        Kind::Cron,
        "15 2 * * *",
        1_728_129_600,
        &[1_728_142_200, 1_728_227_700],
    ),
    (
        "cron_lord_howe_fold_runs_once",
        LORD_HOWE,
        Kind::Cron,
        "45 1 * * *",
        1_712_404_800,
        &[1_712_414_700, 1_712_502_900],
    ),
    // --- cron, wildcard ---
    (
        "cron_berlin_fold_wildcard_runs_twice",
        BERLIN,
        Kind::Cron,
        "30 * * * *",
        1_729_989_000,
        &[1_729_992_600, 1_729_996_200],
    ),
    (
        "cron_berlin_gap_wildcard_follows_clock",
        BERLIN,
        Kind::Cron,
        "*/30 * * * *",
        1_711_845_000,
        &[1_711_846_800, 1_711_848_600],
    ),
    (
        "cron_new_york_fold_hourly_twice",
        NEW_YORK,
        Kind::Cron,
        "0 * * * *",
        1_730_610_000,
        &[1_730_613_600, 1_730_617_200],
    ),
    (
        "cron_new_york_hourly_macro_is_wildcard",
        NEW_YORK,
        Kind::Cron,
        "@hourly",
        1_730_610_000,
        &[1_730_613_600],
    ),
    (
        "cron_lord_howe_fold_wildcard",
        LORD_HOWE,
        Kind::Cron,
        "*/15 * * * *",
        1_712_414_700,
        &[1_712_415_600, 1_712_416_500],
    ),
];

#[test]
fn next_after_across_dst() {
    let mut failures = Vec::new();
    for &(name, tz, kind, expr, after, want) in NEXT {
        let zone = NamedZone::by_name(tz).expect("zone");
        let s = parse(kind, expr);
        let got: Vec<i64> = s
            .occurrences(after + 1, i64::MAX, &zone)
            .take(want.len())
            .collect();
        if got != want {
            failures.push(format!(
                "{name}: {expr:?} after {after}: got {got:?}, want {want:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// (name, zone, kind, expr, before, the last occurrence before it)
type PrevCase = (
    &'static str,
    &'static str,
    Kind,
    &'static str,
    i64,
    Option<i64>,
);

const PREV: &[PrevCase] = &[
    (
        "cal_berlin_gap_day_has_no_run",
        BERLIN,
        Kind::Calendar,
        "02:30",
        1_711_929_600,
        Some(1_711_762_200),
    ),
    (
        "cron_berlin_gap_day_ran_at_gap_end",
        BERLIN,
        Kind::Cron,
        "30 2 * * *",
        1_711_929_600,
        Some(1_711_846_800),
    ),
    (
        "cron_berlin_fold_wildcard_second_pass",
        BERLIN,
        Kind::Cron,
        "30 * * * *",
        1_729_993_500,
        Some(1_729_992_600),
    ),
    (
        "cal_berlin_fold_first_pass_only",
        BERLIN,
        Kind::Calendar,
        "*:30",
        1_729_993_500,
        Some(1_729_989_000),
    ),
    (
        "cal_berlin_fold_later_first_pass_time",
        BERLIN,
        Kind::Calendar,
        "*:0/15",
        1_729_993_000,
        Some(1_729_989_900),
    ),
    (
        "cron_berlin_fold_fixed_first_pass",
        BERLIN,
        Kind::Cron,
        "45 2 * * *",
        1_729_993_000,
        Some(1_729_989_900),
    ),
    (
        "cal_new_york_first_saturday",
        NEW_YORK,
        Kind::Calendar,
        "Sat *-1..7 15:00",
        1_730_764_800,
        Some(1_730_574_000),
    ),
    (
        "cal_new_york_yearly_across_dst",
        NEW_YORK,
        Kind::Calendar,
        "yearly",
        1_730_764_800,
        Some(1_704_085_200),
    ),
    (
        "cal_lord_howe_fold_first_occurrence",
        LORD_HOWE,
        Kind::Calendar,
        "01:45",
        1_712_408_400 + 86_400,
        Some(1_712_414_700),
    ),
    (
        "cron_lord_howe_fold_wildcard_second_pass",
        LORD_HOWE,
        Kind::Cron,
        "45 * * * *",
        1_712_416_800,
        Some(1_712_416_500),
    ),
    (
        "cal_past_only_year",
        BERLIN,
        Kind::Calendar,
        "2030-01-01",
        1_704_067_200,
        None,
    ),
];

#[test]
fn prev_before_across_dst() {
    let mut failures = Vec::new();
    for &(name, tz, kind, expr, before, want) in PREV {
        let zone = NamedZone::by_name(tz).expect("zone");
        let got = parse(kind, expr).prev_before(before, &zone);
        if got != want {
            failures.push(format!(
                "{name}: {expr:?} before {before}: got {got:?}, want {want:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
