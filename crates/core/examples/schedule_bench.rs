//! Benchmark: expand the next 365 days of 50 realistic homelab schedules (calendar
//! events and cron, in several zones) and report occurrences per second.
//!
//! ```text
//! cargo run --release -p backwatch-core --features tzdb --example schedule_bench
//! ```
//!
//! Prints the median of several runs and the spread (min–max). Not a timed test.

use std::cell::Cell;
use std::hint::black_box;
use std::time::Instant;

use backwatch_core::schedule::Schedule;
use backwatch_core::time::{NamedZone, Utc, Zone};

const CALENDAR: &[&str] = &[
    "daily",
    "02:30",
    "03:00",
    "04:00",
    "21:00",
    "*:0/15",
    "0/2:00",
    "2,22:30",
    "sat,sun",
    "sun 01:00",
    "sat 18:15",
    "mon..fri 04:00",
    "mon..fri 22",
    "mon..fri 8..17,22:0/15",
    "*-*-01 03:00",
    "quarterly",
    "weekly",
    "monthly",
    "Sat *-1..7 15:00",
    "hourly",
    "*:30",
    "mon,wed,fri 03:15",
    "fri 12..13:5/20",
    "0..23/2:00",
    "sun 05:00 UTC",
];

const CRON: &[&str] = &[
    "0 2 * * *",
    "0 3 * * 0",
    "0 4 * * *",
    "15 2 * * *",
    "0 7 1 * *",
    "0 3 * * 6",
    "*/15 * * * *",
    "0 */6 * * *",
    "0 0 * * 1-5",
    "30 1 * * 1,3,5",
    "0 5 1,15 * *",
    "0 12 * * sun",
    "0 0 13 * 5",
    "0 0 1-7 * 6",
    "45 23 * * 0",
    "0 9-17/2 * * mon-fri",
    "0 0 1 */3 *",
    "@daily",
    "@weekly",
    "@hourly",
    "0 0/4 * * *",
    "0 0 1 * *",
    "30 2 * * *",
    "*/5 * * * *",
    "0 1 * * *",
];

const ZONES: &[&str] = &[
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "UTC",
];

/// Counts `offset_at` calls: the browser's `Intl` lookups are the expensive part there.
struct Counting<'a> {
    inner: &'a dyn Zone,
    calls: Cell<u64>,
}

impl Zone for Counting<'_> {
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn offset_at(&self, utc: i64) -> i32 {
        self.calls.set(self.calls.get() + 1);
        self.inner.offset_at(utc)
    }
}

const START: i64 = 1_735_689_600; // 2025-01-01T00:00Z
const YEAR: i64 = 365 * 86_400;
const RUNS: usize = 7;

fn main() {
    let zones: Vec<Box<dyn Zone>> = ZONES
        .iter()
        .map(|&n| -> Box<dyn Zone> {
            match n {
                "UTC" => Box::new(Utc),
                _ => Box::new(NamedZone::by_name(n).expect("zone")),
            }
        })
        .collect();
    let schedules: Vec<(Schedule, &dyn Zone)> = CALENDAR
        .iter()
        .map(|e| Schedule::parse_calendar(e).expect("calendar"))
        .chain(CRON.iter().map(|e| Schedule::parse_cron(e).expect("cron")))
        .enumerate()
        .map(|(i, s)| (s, zones[i % zones.len()].as_ref()))
        .collect();
    assert_eq!(schedules.len(), 50);

    let mut rates = Vec::with_capacity(RUNS);
    let mut total = 0;
    for _ in 0..RUNS {
        let t0 = Instant::now();
        let mut n = 0usize;
        for (s, zone) in &schedules {
            n += s
                .occurrences(START, START + YEAR, *zone)
                .map(black_box)
                .count();
        }
        let secs = t0.elapsed().as_secs_f64();
        total = n;
        rates.push(n as f64 / secs);
    }
    rates.sort_by(f64::total_cmp);
    let median = rates[RUNS / 2];
    println!(
        "{} schedules, {} occurrences in 365 days per run, {RUNS} runs",
        schedules.len(),
        total
    );
    println!(
        "occurrences/s: median {:.2} M, min {:.2} M, max {:.2} M (spread ±{:.1} %)",
        median / 1e6,
        rates[0] / 1e6,
        rates[RUNS - 1] / 1e6,
        (rates[RUNS - 1] - rates[0]) / 2.0 / median * 100.0
    );
    println!("time per run: median {:.1} ms", total as f64 / median * 1e3);

    let (mut calls, mut zoned) = (0u64, 0u64);
    for (s, zone) in schedules.iter().filter(|(_, z)| z.name() != "UTC") {
        let counting = Counting {
            inner: *zone,
            calls: Cell::new(0),
        };
        zoned += s.occurrences(START, START + YEAR, &counting).count() as u64;
        calls += counting.calls.get();
    }
    println!(
        "offset_at calls per occurrence (zones other than UTC): {:.2}",
        calls as f64 / zoned as f64
    );
}
