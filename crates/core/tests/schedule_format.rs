//! Canonical forms, their round-trips, human descriptions and nominal periods.

use backwatch_core::model::ScheduleSpec;
use backwatch_core::schedule::Schedule;

fn spec(kind: &str, expr: &str) -> Schedule {
    let s = match kind {
        "cal" => Schedule::parse_calendar(expr),
        _ => Schedule::parse_cron(expr),
    };
    s.unwrap_or_else(|e| panic!("{expr}: {e}"))
}

/// (kind, input, normalized, describe, nominal period)
const CASES: &[(&str, &str, &str, &str, Option<u32>)] = &[
    (
        "cal",
        "daily",
        "*-*-* 00:00:00",
        "daily at 00:00",
        Some(86_400),
    ),
    (
        "cal",
        "04:00",
        "*-*-* 04:00:00",
        "daily at 04:00",
        Some(86_400),
    ),
    (
        "cal",
        "mon 04:00",
        "Mon *-*-* 04:00:00",
        "Mondays at 04:00",
        Some(604_800),
    ),
    (
        "cal",
        "weekly",
        "Mon *-*-* 00:00:00",
        "Mondays at 00:00",
        Some(604_800),
    ),
    (
        "cal",
        "*-*-01 07:00",
        "*-*-01 07:00:00",
        "1st of month at 07:00",
        Some(2_419_200),
    ),
    (
        "cal",
        "*:0/15",
        "*-*-* *:00/15:00",
        "every 15 minutes",
        Some(900),
    ),
    (
        "cal",
        "mon..fri 22:00",
        "Mon..Fri *-*-* 22:00:00",
        "weekdays at 22:00",
        Some(86_400),
    ),
    (
        "cal",
        "mon..fri 22",
        "Mon..Fri *-*-* *:22:00",
        "every hour at :22 on weekdays",
        Some(3600),
    ),
    (
        "cal",
        "0/6:00",
        "*-*-* 00/6:00:00",
        "every 6 hours",
        Some(21_600),
    ),
    ("cal", "hourly", "*-*-* *:00:00", "every hour", Some(3600)),
    ("cal", "minutely", "*-*-* *:*:00", "every minute", Some(60)),
    (
        "cal",
        "sat,sun 10:00",
        "Sat,Sun *-*-* 10:00:00",
        "weekends at 10:00",
        Some(86_400),
    ),
    (
        "cal",
        "2,22:30",
        "*-*-* 02,22:30:00",
        "daily at 02:30 and 22:30",
        Some(14_400),
    ),
    (
        "cal",
        "quarterly",
        "*-01/3-01 00:00:00",
        "1st of Jan, Apr, Jul, Oct at 00:00",
        Some(7_776_000),
    ),
    (
        "cal",
        "yearly",
        "*-01-01 00:00:00",
        "yearly on Jan 1 at 00:00",
        Some(31_536_000),
    ),
    (
        "cal",
        "Sat *-1..7 15:00",
        "Sat *-*-01..07 15:00:00",
        "first Saturday of the month at 15:00",
        Some(2_419_200),
    ),
    (
        "cal",
        "mon..fri 8..17,22:0/15",
        "Mon..Fri *-*-* 08..17,22:00/15:00",
        "every 15 minutes during hours 08–17, 22 on weekdays",
        Some(900),
    ),
    (
        "cal",
        "sun 01:00 UTC",
        "Sun *-*-* 01:00:00 UTC",
        "Sundays at 01:00 UTC",
        Some(604_800),
    ),
    (
        "cal",
        "fri..mon 06:00",
        "Mon,Fri..Sun *-*-* 06:00:00",
        "Mon, Fri, Sat and Sun at 06:00",
        Some(86_400),
    ),
    (
        "cal",
        "*-02-29",
        "*-02-29 00:00:00",
        "yearly on Feb 29 at 00:00",
        Some(126_230_400),
    ),
    (
        "cal",
        "2015-10-21",
        "2015-10-21 00:00:00",
        "yearly on Oct 21 in 2015 at 00:00",
        None,
    ),
    ("cal", "*:*:*", "*-*-* *:*:*", "every second", Some(1)),
    (
        "cron",
        "0 2 * * *",
        "0 2 * * *",
        "daily at 02:00",
        Some(86_400),
    ),
    (
        "cron",
        "@daily",
        "0 0 * * *",
        "daily at 00:00",
        Some(86_400),
    ),
    ("cron", "@hourly", "0 * * * *", "every hour", Some(3600)),
    (
        "cron",
        "*/15 * * * *",
        "*/15 * * * *",
        "every 15 minutes",
        Some(900),
    ),
    (
        "cron",
        "0 */6 * * *",
        "0 */6 * * *",
        "every 6 hours",
        Some(21_600),
    ),
    (
        "cron",
        "0 0 * * 1-5",
        "0 0 * * 1-5",
        "weekdays at 00:00",
        Some(86_400),
    ),
    (
        "cron",
        "0 12 * * sun",
        "0 12 * * 0",
        "Sundays at 12:00",
        Some(604_800),
    ),
    (
        "cron",
        "0 12 * * 7",
        "0 12 * * 0",
        "Sundays at 12:00",
        Some(604_800),
    ),
    (
        "cron",
        "0 0 13 * 5",
        "0 0 13 * 5",
        "the 13th of the month and Fridays at 00:00",
        Some(86_400),
    ),
    (
        "cron",
        "0 7 1 * *",
        "0 7 1 * *",
        "1st of month at 07:00",
        Some(2_419_200),
    ),
    (
        "cron",
        "22 * * * 1-5",
        "22 * * * 1-5",
        "every hour at :22 on weekdays",
        Some(3600),
    ),
    (
        "cron",
        "0 0-23 * * *",
        "0 0-23 * * *",
        "every hour",
        Some(3600),
    ),
    (
        "cron",
        "5/15 * * * *",
        "5-50/15 * * * *",
        "every hour at minutes 05, 20, 35, 50",
        Some(900),
    ),
];

#[test]
fn normalized_describe_period() {
    let mut failures = Vec::new();
    for &(kind, input, norm, text, period) in CASES {
        let s = spec(kind, input);
        if s.normalized() != norm {
            failures.push(format!(
                "{input:?}: normalized {:?}, want {norm:?}",
                s.normalized()
            ));
        }
        if s.describe() != text {
            failures.push(format!(
                "{input:?}: describe {:?}, want {text:?}",
                s.describe()
            ));
        }
        if s.nominal_period() != period {
            failures.push(format!(
                "{input:?}: period {:?}, want {period:?}",
                s.nominal_period()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Parsing the normalized form gives an equal schedule, for the cases above and every
/// valid vector expression.
#[test]
fn normalized_round_trips() {
    let mut inputs: Vec<(&str, String)> =
        CASES.iter().map(|&(k, i, ..)| (k, i.to_string())).collect();
    let dir = format!("{}/tests/data", env!("CARGO_MANIFEST_DIR"));
    for (file, kind, key) in [
        ("calendar-events.json", "cal", "evaluated_as"),
        ("cron.json", "cron", "expr"),
    ] {
        let text = std::fs::read_to_string(format!("{dir}/{file}")).expect("vectors");
        let vectors: Vec<serde_json::Value> = serde_json::from_str(&text).expect("json");
        for v in vectors.iter().filter(|v| v.get("error").is_none()) {
            inputs.push((kind, v[key].as_str().expect("expr").to_string()));
        }
    }
    let mut failures = Vec::new();
    for (kind, input) in &inputs {
        let s = spec(kind, input);
        let norm = s.normalized();
        match spec_result(kind, &norm) {
            Ok(again) if again == s => {}
            Ok(again) => failures.push(format!("{input:?} -> {norm:?} -> {again}: not equal")),
            Err(e) => failures.push(format!("{input:?} -> {norm:?}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn spec_result(
    kind: &str,
    expr: &str,
) -> Result<Schedule, backwatch_core::schedule::ScheduleError> {
    match kind {
        "cal" => Schedule::parse_calendar(expr),
        _ => Schedule::parse_cron(expr),
    }
}

#[test]
fn period_schedules() {
    let cases = [
        (
            "six_hours",
            ScheduleSpec::EveryHours(6),
            "every 6 hours",
            Some(21_600),
        ),
        (
            "one_hour",
            ScheduleSpec::EveryHours(1),
            "every hour",
            Some(3600),
        ),
        (
            "one_day",
            ScheduleSpec::EveryDays(1),
            "every day",
            Some(86_400),
        ),
        (
            "huge",
            ScheduleSpec::EveryDays(u32::MAX),
            "every 4294967295 days",
            None,
        ),
    ];
    for (name, sp, text, period) in cases {
        let s = Schedule::parse(&sp).expect(name);
        assert_eq!(s.describe(), text, "{name}");
        assert_eq!(s.normalized(), text, "{name}");
        assert_eq!(s.nominal_period(), period, "{name}");
    }
}
