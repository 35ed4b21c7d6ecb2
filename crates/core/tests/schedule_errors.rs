//! Error messages are interface: exact strings for bad inputs of both syntaxes, and the
//! inputs upstream accepts although they look wrong.

use backwatch_core::model::ScheduleSpec;
use backwatch_core::schedule::{Schedule, ScheduleError};

const CALENDAR_ERRORS: &[(&str, &str, &str)] = &[
    (
        "empty",
        "",
        "expected a calendar event, found end of input at column 1",
    ),
    (
        "keyword_case",
        "Daily",
        "expected a weekday, date or time, found `Daily` at column 1",
    ),
    (
        "keyword_with_time",
        "daily 04:00",
        "expected a weekday, date or time, found `daily` at column 1",
    ),
    (
        "lowercase_utc",
        "daily utc",
        "expected a weekday, date or time, found `daily` at column 1",
    ),
    (
        "leading_space",
        " mon 0 0 0",
        "expected a weekday, date or time, found whitespace at column 1",
    ),
    (
        "minute_61",
        "61",
        "expected minute between 0 and 59, found 61 at column 1",
    ),
    (
        "repetition_61",
        "*/61",
        "expected repetition between 0 and 59, found 61 at column 3",
    ),
    (
        "range_end_80",
        "0..80",
        "expected minute between 0 and 59, found 80 at column 4",
    ),
    (
        "zero_repetition",
        "*/0",
        "expected a repetition greater than zero, found 0 at column 3",
    ),
    (
        "reversed_range",
        "5..3",
        "expected a minute range whose start is not above its end, found 5..3 at column 1",
    ),
    (
        "minute_60",
        "12:60",
        "expected minute between 0 and 59, found 60 at column 4",
    ),
    (
        "month_13",
        "2024-13-01",
        "expected month between 1 and 12, found 13 at column 6",
    ),
    (
        "year_2200",
        "2200-01-01",
        "expected year between 0 and 2199, found 2200 at column 1",
    ),
    (
        "incomplete_date",
        "2024-01",
        "expected `-`, found end of input at column 8",
    ),
    (
        "unknown_weekday",
        "monx",
        "expected a weekday, date or time, found `monx` at column 1",
    ),
    (
        "trailing_comma",
        "mon,",
        "expected a weekday or keyword, found end of input at column 5",
    ),
    (
        "epoch",
        "@epoch",
        "expected a weekday, date or time, found `@` at column 1",
    ),
    (
        "last_day",
        "~",
        "expected a weekday, date or time, found `~` at column 1",
    ),
    (
        "fraction",
        "1.5",
        "expected end of input, found `.` at column 2",
    ),
    (
        "three_numbers",
        "mon 0 0 0",
        "expected end of input, found whitespace at column 6",
    ),
    (
        "utc_only",
        "UTC",
        "expected a weekday, date or time, found `UTC` at column 1",
    ),
];

const CRON_ERRORS: &[(&str, &str, &str)] = &[
    (
        "empty",
        "  ",
        "expected a cron expression, found end of input at column 1",
    ),
    ("four_fields", "* * * *", "expected 5 fields, found 4"),
    ("six_fields", "0 2 * * * *x", "expected 5 fields, found 6"),
    (
        "minute_60",
        "60 * * * *",
        "expected minute between 0 and 59, found 60 at column 1",
    ),
    (
        "hour_24",
        "* 24 * * *",
        "expected hour between 0 and 23, found 24 at column 3",
    ),
    (
        "dom_32",
        "* * 32 * *",
        "expected day of month between 1 and 31, found 32 at column 5",
    ),
    (
        "month_13",
        "* * * 13 *",
        "expected month between 1 and 12, found 13 at column 7",
    ),
    (
        "dow_8",
        "* * * * 8",
        "expected day of week between 0 and 7, found 8 at column 9",
    ),
    (
        "zero_step",
        "*/0 * * * *",
        "expected a repetition greater than zero, found 0 at column 3",
    ),
    (
        "letters",
        "a b c d e",
        "expected a number or `*`, found `a` at column 1",
    ),
    (
        "reboot",
        "@reboot",
        "expected one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, found `@reboot` at column 1",
    ),
    (
        "macro_with_more",
        "@daily x",
        "expected end of input, found whitespace at column 7",
    ),
    (
        "reversed_range",
        "5-3 * * * *",
        "expected a minute range whose start is not above its end, found 5-3 at column 1",
    ),
    (
        "last",
        "0 0 L * *",
        "expected standard cron syntax, found `L` (last) at column 5",
    ),
    (
        "nearest_weekday",
        "0 0 15W * *",
        "expected standard cron syntax, found `W` (nearest weekday) at column 7",
    ),
    (
        "nth_weekday",
        "0 0 * * 5#2",
        "expected standard cron syntax, found `#` (nth weekday) at column 10",
    ),
    (
        "question_mark",
        "0 0 ? * *",
        "expected standard cron syntax, found `?` (no specific value) at column 5",
    ),
    (
        "bad_month_name",
        "0 0 * foo *",
        "expected a number, `*` or month name, found `foo` at column 7",
    ),
    (
        "double_comma",
        "1,,2 * * * *",
        "expected a number or `*`, found `,` at column 3",
    ),
    (
        "star_suffix",
        "*x * * * *",
        "expected `,`, found `x` at column 2",
    ),
    (
        "weekday_in_month",
        "0 0 * mon *",
        "expected a number, `*` or month name, found `mon` at column 7",
    ),
];

#[test]
fn calendar_error_messages() {
    let mut failures = Vec::new();
    for &(name, input, want) in CALENDAR_ERRORS {
        match Schedule::parse_calendar(input) {
            Ok(s) => failures.push(format!("{name}: {input:?} accepted as {s}")),
            Err(e) if e.to_string() != want => {
                failures.push(format!("{name}: {input:?}\n  got  {e}\n  want {want}"))
            }
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn cron_error_messages() {
    let mut failures = Vec::new();
    for &(name, input, want) in CRON_ERRORS {
        match Schedule::parse_cron(input) {
            Ok(s) => failures.push(format!("{name}: {input:?} accepted as {s}")),
            Err(e) if e.to_string() != want => {
                failures.push(format!("{name}: {input:?}\n  got  {e}\n  want {want}"))
            }
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn zero_periods() {
    let cases = [
        (
            ScheduleSpec::EveryHours(0),
            "expected a period of at least one hour, found 0",
        ),
        (
            ScheduleSpec::EveryDays(0),
            "expected a period of at least one day, found 0",
        ),
    ];
    for (spec, want) in cases {
        let err: ScheduleError = Schedule::parse(&spec).expect_err("zero period");
        assert_eq!(err.to_string(), want);
    }
}

/// Inputs upstream (proxmox-time) accepts although they look wrong, with what they mean.
#[test]
fn calendar_quirks_upstream_accepts() {
    let cases = [
        ("hour_too_large_is_minute", "30:00", "*-*-* *:30:00"),
        ("no_space_after_weekday", "mon12:00", "Mon *-*-* 12:00:00"),
        ("repetition_zero_is_single", "5/0", "*-*-* *:05:00"),
        ("utc_without_space", "dailyUTC", "*-*-* 00:00:00 UTC"),
        ("weekday_case", "MON", "Mon *-*-* 00:00:00"),
        ("wrapping_range", "fri..mon", "Mon,Fri..Sun *-*-* 00:00:00"),
        ("month_zero_never", "*-00-01", "*-00-01 00:00:00"),
        ("range_with_repetition", "4..10/2:0", "*-*-* 04..10/2:00:00"),
    ];
    for (name, input, want) in cases {
        let s = Schedule::parse_calendar(input).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(s.normalized(), want, "{name}");
    }
}
