//! Properties over many generated inputs (a fixed-seed generator, no clock): next/prev
//! consistency, no panics on garbage or extreme instants, and Backrest's clocks.

#![cfg(feature = "tzdb")]

use backwatch_core::model::{ScheduleClock, ScheduleSpec};
use backwatch_core::schedule::Schedule;
use backwatch_core::time::{FixedOffset, NamedZone, Utc, Zone};

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const CALENDARS: &[&str] = &[
    "daily",
    "hourly",
    "weekly",
    "monthly",
    "quarterly",
    "yearly",
    "02:30",
    "*:0/15",
    "mon..fri 22",
    "mon..fri 04:00",
    "sat,sun 10:00",
    "Sat *-1..7 15:00",
    "*-*-01 03:00",
    "0/2:00",
    "2,22:30",
    "*:30",
    "01:45",
    "*-02-29 12:00",
    "fri 12..13:5/20",
    "*:*:0/20",
    "1965/5-01-01",
    "mon..fri 8..17,22:0/15",
    "sun 01:00 UTC",
    "2024..2030-*-* 04:00",
];

const CRONS: &[&str] = &[
    "0 2 * * *",
    "30 2 * * *",
    "*/15 * * * *",
    "0 */6 * * *",
    "0 0 * * 1-5",
    "0 0 13 * 5",
    "0 0 1-7 * 6",
    "45 1 * * *",
    "30 * * * *",
    "@hourly",
    "@weekly",
    "@yearly",
    "0 0 29 2 *",
    "15 2 * * 0",
    "*/7 2 * * *",
];

fn zones() -> Vec<Box<dyn Zone>> {
    let mut z: Vec<Box<dyn Zone>> = vec![
        Box::new(Utc),
        Box::new(FixedOffset::east(19_800).expect("offset")),
    ];
    for name in ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"] {
        z.push(Box::new(NamedZone::by_name(name).expect("zone")));
    }
    z
}

/// For random schedules, zones and instants t (many placed next to DST transitions):
/// n = next_after(t) and p = prev_before(t) bracket t with nothing in between.
#[test]
fn next_and_prev_are_consistent() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let zones = zones();
    // 2024 transitions, for instants near them.
    let near = [
        1_711_846_800,
        1_729_990_800,
        1_710_054_000,
        1_730_613_600,
        1_712_415_600,
        1_728_142_200,
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for i in 0..4000 {
        let s = if rng.below(2) == 0 {
            Schedule::parse_calendar(rng.pick::<&str>(CALENDARS))
        } else {
            Schedule::parse_cron(rng.pick::<&str>(CRONS))
        }
        .expect("valid");
        let zone = rng.pick(&zones).as_ref();
        let t = if i % 2 == 0 {
            rng.pick(&near) + rng.below(4 * 3600) as i64 - 2 * 3600
        } else {
            1_600_000_000 + rng.below(400_000_000) as i64
        };
        let n = s.next_after(t, zone);
        let p = s.prev_before(t + 1, zone);
        if let Some(n) = n {
            checked += 1;
            // Nothing between t and n.
            if n <= t || s.prev_before(n, zone).is_some_and(|q| q > t) {
                failures.push(format!(
                    "{s} in {}: next_after({t}) = {n}, prev_before(n) = {:?}",
                    zone.name(),
                    s.prev_before(n, zone)
                ));
            }
            // n is itself an occurrence: the one right before n+1.
            if s.prev_before(n + 1, zone) != Some(n) {
                failures.push(format!(
                    "{s} in {}: prev_before(next_after({t}) + 1) = {:?}, want {n}",
                    zone.name(),
                    s.prev_before(n + 1, zone)
                ));
            }
        }
        if let Some(p) = p
            && (p > t || s.next_after(p, zone).is_some_and(|q| q <= t))
        {
            failures.push(format!(
                "{s} in {}: prev_before({}) = {p}, next_after(p) = {:?}",
                zone.name(),
                t + 1,
                s.next_after(p, zone)
            ));
        }
    }
    assert!(checked > 3000, "too few checks: {checked}");
    failures.truncate(20);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Garbage strings and extreme instants never panic; errors always have a message.
#[test]
fn garbage_and_extremes_never_panic() {
    let mut rng = Rng(0xdead_beef_0bad_f00d);
    let alphabet: Vec<char> = "0123456789*/,.-: @#?LWmonfriUTCsatdaily\tjané~"
        .chars()
        .collect();
    let extremes = [
        i64::MIN,
        i64::MIN + 1,
        -62_167_219_200,
        -1,
        0,
        1,
        4_102_444_800,
        i64::MAX - 1,
        i64::MAX,
    ];
    let zones = zones();
    let mut parsed = 0;
    for _ in 0..20_000 {
        let len = rng.below(16) as usize;
        let s: String = (0..len).map(|_| *rng.pick(&alphabet)).collect();
        for result in [Schedule::parse_calendar(&s), Schedule::parse_cron(&s)] {
            match result {
                Ok(sched) => {
                    parsed += 1;
                    let zone = rng.pick(&zones).as_ref();
                    let t = *rng.pick(&extremes);
                    let _ = sched.next_after(t, zone);
                    let _ = sched.prev_before(t, zone);
                    let _ = (sched.normalized(), sched.describe(), sched.nominal_period());
                }
                Err(e) => assert!(!e.to_string().is_empty()),
            }
        }
    }
    assert!(
        parsed > 100,
        "the generator should hit some valid inputs: {parsed}"
    );
    for expr in CALENDARS
        .iter()
        .map(|e| Schedule::parse_calendar(e))
        .chain(CRONS.iter().map(|e| Schedule::parse_cron(e)))
    {
        let s = expr.expect("valid");
        for zone in &zones {
            for &t in &extremes {
                let _ = s.next_after(t, zone.as_ref());
                let _ = s.prev_before(t, zone.as_ref());
                let _ = s
                    .occurrences(t, t.saturating_add(3 * 86_400), zone.as_ref())
                    .take(5)
                    .count();
            }
        }
    }
    for spec in [
        ScheduleSpec::EveryHours(u32::MAX),
        ScheduleSpec::EveryDays(u32::MAX),
    ] {
        let s = Schedule::parse(&spec).expect("valid");
        assert_eq!(s.next_after(i64::MAX, &Utc), None);
        let _ = s.next_run(ScheduleClock::LastRunTime, i64::MAX, Some(i64::MAX), &Utc);
    }
}

const MON_2024_01_01: i64 = 1_704_067_200;
const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

/// Backrest: local / UTC clocks count from `after`; LastRunTime from the last run's end,
/// or from `after` when it never ran.
#[test]
fn backrest_clocks() {
    let berlin = NamedZone::by_name("Europe/Berlin").expect("zone");
    let cron = Schedule::parse(&ScheduleSpec::Cron("0 2 * * *".into())).expect("cron");
    let hours = Schedule::parse(&ScheduleSpec::EveryHours(6)).expect("hours");
    let days = Schedule::parse(&ScheduleSpec::EveryDays(1)).expect("days");
    let now = MON_2024_01_01 + 12 * HOUR;
    let last = Some(MON_2024_01_01 - 3 * DAY);
    /// (name, schedule, clock, last run end, expected next run)
    type Case<'a> = (
        &'a str,
        &'a Schedule,
        ScheduleClock,
        Option<i64>,
        Option<i64>,
    );
    let cases: [Case; 9] = [
        // 02:00 CET on Tuesday = 01:00Z.
        (
            "cron_local",
            &cron,
            ScheduleClock::Local,
            last,
            Some(MON_2024_01_01 + DAY + HOUR),
        ),
        (
            "cron_utc",
            &cron,
            ScheduleClock::Utc,
            last,
            Some(MON_2024_01_01 + DAY + 2 * HOUR),
        ),
        // Next 02:00 CET after the last run's end (Fri 2023-12-29 00:00Z) = Fri 01:00Z.
        (
            "cron_last_run",
            &cron,
            ScheduleClock::LastRunTime,
            last,
            Some(MON_2024_01_01 - 3 * DAY + HOUR),
        ),
        (
            "cron_never_ran",
            &cron,
            ScheduleClock::LastRunTime,
            None,
            Some(MON_2024_01_01 + DAY + HOUR),
        ),
        (
            "hours_local",
            &hours,
            ScheduleClock::Local,
            last,
            Some(now + 6 * HOUR),
        ),
        (
            "hours_last_run_overdue",
            &hours,
            ScheduleClock::LastRunTime,
            last,
            Some(MON_2024_01_01 - 3 * DAY + 6 * HOUR),
        ),
        (
            "hours_never_ran",
            &hours,
            ScheduleClock::LastRunTime,
            None,
            Some(now + 6 * HOUR),
        ),
        ("days_utc", &days, ScheduleClock::Utc, None, Some(now + DAY)),
        (
            "days_last_run",
            &days,
            ScheduleClock::LastRunTime,
            Some(now - HOUR),
            Some(now + DAY - HOUR),
        ),
    ];
    for (name, s, clock, last_end, want) in cases {
        assert_eq!(s.next_run(clock, now, last_end, &berlin), want, "{name}");
    }
    assert_eq!(
        hours.prev_before(now, &berlin),
        None,
        "periods have no grid"
    );
}
