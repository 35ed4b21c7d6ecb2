//! End-to-end: the calendar tab and the schedule tester, on the ADR homelab (backwatch-sim)
//! behind the real Caddy, in headless Chromium at the simulator's test instant
//! (Monday 2026-05-18 04:20 Europe/Berlin, `lab.test_now` of
//! crates/sim/scenarios/adr-homelab.toml). What the calendar must hold is derived from the
//! scenario's schedules and config/demo.toml: PBS GC `sat 03:00`, prune `05:00` and verify
//! `06:00` on store1, the PVE jobs at 04:00, Databasement's daily dumps at 02:00, Backrest's
//! plans at 02:15/02:20/02:30, the configured cleanup at 04:00; and the planted failed Home
//! Assistant dump and missed Gitea and app-configs runs of the last nights.
#![cfg(not(target_arch = "wasm32"))]

use std::time::{Duration, Instant};

use backwatch_harness::browser::{Browser, BrowserOptions, with_browser};
use backwatch_harness::paths::{repo_root, scratch_dir};
use backwatch_harness::sim::{Lab, SimOptions};
use serde::Deserialize;
use serde_json::Value;

const TIMEOUT: Duration = Duration::from_secs(60);

/// WebDriver key codes.
const ENTER: &str = "\u{E007}";
const TAB: &str = "\u{E004}";
const CONTROL: &str = "\u{E009}";
const NULL: &str = "\u{E000}";
const BACKSPACE: &str = "\u{E003}";

/// The scenario's `lab.test_now`, 2026-05-18T04:20:00+02:00.
const TEST_NOW: i64 = 1_779_070_800;
/// Europe/Berlin in May (CEST): every instant these tests look at is in summer time.
const BERLIN_SUMMER: i64 = 7_200;
/// The local date of the test instant, a Monday, and its week.
const TODAY: &str = "2026-05-18";
const WEEK: [&str; 7] = [
    "2026-05-18",
    "2026-05-19",
    "2026-05-20",
    "2026-05-21",
    "2026-05-22",
    "2026-05-23",
    "2026-05-24",
];
const SATURDAY: &str = "2026-05-23";

fn demo_config() -> String {
    std::fs::read_to_string(repo_root().join("config").join("demo.toml")).unwrap()
}

fn start_lab(name: &str) -> Lab {
    let lab = Lab::start(name, SimOptions::at_test_now(), &demo_config()).unwrap();
    assert_eq!(lab.sim.now, TEST_NOW, "the scenario's test_now");
    lab
}

/// Wait until the first refresh is done (every source answered or failed).
fn wait_loaded(b: &Browser) -> Result<(), String> {
    b.session
        .wait_for("[data-testid=backwatch][data-refreshing=false]", TIMEOUT)
        .map(drop)
}

/// Run a script and decode its result.
fn js<T: serde::de::DeserializeOwned>(b: &Browser, script: &str) -> Result<T, String> {
    let v = b.session.execute(script, vec![])?;
    serde_json::from_value(v.clone()).map_err(|e| format!("{e}: {v}"))
}

/// Poll `condition` (a JS expression) until it is true.
fn wait_until(b: &Browser, condition: &str) -> Result<(), String> {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let v = b
            .session
            .execute(&format!("return !!({condition});"), vec![])?;
        if v == Value::Bool(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("still false after {TIMEOUT:?}: {condition}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn text_of(b: &Browser, css: &str) -> Result<String, String> {
    js(
        b,
        &format!("const e = document.querySelector('{css}'); return e ? e.innerText.trim() : '';"),
    )
}

// ---- Civil time, to derive expected runs from an expression independently of the engine.

/// Local calendar fields of an epoch second at a fixed offset (no year: the runs looked
/// at are all in 2026).
#[derive(Clone, Copy, Debug)]
struct Civil {
    month: u32,
    day: u32,
    /// Monday = 0.
    weekday: u32,
    hour: u32,
    minute: u32,
}

fn civil(t: i64, offset: i64) -> Civil {
    let local = t + offset;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    Civil {
        month,
        day,
        // 1970-01-01 was a Thursday.
        weekday: (days + 3).rem_euclid(7) as u32,
        hour: (secs / 3600) as u32,
        minute: (secs % 3600 / 60) as u32,
    }
}

/// `Mon 18 May 04:22`, as the widget writes a time in the current year.
fn exact(c: Civil) -> String {
    const WD: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MON: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{} {} {} {:02}:{:02}",
        WD[c.weekday as usize],
        c.day,
        MON[c.month as usize - 1],
        c.hour,
        c.minute
    )
}

/// The first `n` minutes strictly after `now` whose local fields (at `offset`) satisfy
/// `matches`: a brute-force reading of a schedule expression.
fn brute_runs(now: i64, offset: i64, n: usize, matches: impl Fn(Civil) -> bool) -> Vec<i64> {
    let mut out = Vec::new();
    let mut t = (now.div_euclid(60) + 1) * 60;
    let limit = now + 400 * 86_400;
    while out.len() < n && t < limit {
        if matches(civil(t, offset)) {
            out.push(t);
        }
        t += 60;
    }
    out
}

// ---- Week view.

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WeekBlock {
    date: String,
    kind: String,
    outcome: Option<String>,
    overlap: bool,
    continued: bool,
    datetime: String,
    top: f64,
    label: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NowLine {
    date: String,
    top: f64,
    datetime: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Week {
    title: String,
    body_height: f64,
    /// (`03:00`, top).
    hours: Vec<(String, f64)>,
    /// (date, height, today).
    days: Vec<(String, f64, bool)>,
    /// (date, label).
    heads: Vec<(String, String)>,
    blocks: Vec<WeekBlock>,
    now: Vec<NowLine>,
    overlaps: Vec<String>,
    overlap_heading: Option<String>,
    legend: Vec<String>,
}

const WEEK_JS: &str = "
    const week = document.querySelector('[data-testid=calendar-week]');
    const body = week.querySelector('.week-body');
    const br = body.getBoundingClientRect();
    const rel = e => e.getBoundingClientRect().top - br.top;
    const ov = document.querySelector('[data-testid=overlaps]');
    return {
      title: document.querySelector('[data-testid=cal-title]').innerText.trim(),
      bodyHeight: br.height,
      hours: [...body.querySelectorAll('.hour')].map(h => [h.textContent.trim(), rel(h)]),
      days: [...body.querySelectorAll('.day')].map(d =>
        [d.dataset.date, d.getBoundingClientRect().height, d.classList.contains('today')]),
      heads: [...week.querySelectorAll('.day-head')].map(d => [d.dataset.date, d.textContent.trim()]),
      blocks: [...body.querySelectorAll('li.block')].map(b => ({
        date: b.closest('.day').dataset.date,
        kind: b.dataset.kind,
        outcome: b.dataset.outcome || null,
        overlap: b.dataset.overlap === 'true',
        continued: b.classList.contains('continued'),
        datetime: b.querySelector('time').dateTime,
        top: rel(b),
        label: b.getAttribute('aria-label'),
      })),
      now: [...body.querySelectorAll('[data-testid=now-line]')].map(n => ({
        date: n.closest('.day').dataset.date, top: rel(n), datetime: n.querySelector('time').dateTime,
      })),
      overlaps: ov ? [...ov.querySelectorAll('li')].map(l => l.textContent.trim()) : [],
      overlapHeading: ov ? ov.querySelector('p').textContent.trim() : null,
      legend: [...document.querySelectorAll('[data-testid=kind-legend] li')].map(l => l.dataset.kind),
    };";

fn week(b: &Browser) -> Result<Week, String> {
    js(b, WEEK_JS)
}

/// Minutes into the local day of an RFC 3339 local time (`2026-05-23T03:00:00+02:00`).
fn minute_of(datetime: &str) -> u32 {
    let h: u32 = datetime[11..13].parse().unwrap();
    let m: u32 = datetime[14..16].parse().unwrap();
    h * 60 + m
}

/// Where a local minute must be drawn: on its hour's line, plus the share of the hour.
fn expected_top(w: &Week, minute: u32) -> Option<f64> {
    let label = format!("{:02}:00", minute / 60);
    let line = w.hours.iter().find(|(l, _)| *l == label)?.1;
    let per_hour = w.body_height / w.hours.len() as f64;
    Some(line + per_hour * f64::from(minute % 60) / 60.0)
}

fn blocks_of<'a>(w: &'a Week, date: &str, kind: &str) -> Vec<&'a WeekBlock> {
    w.blocks
        .iter()
        .filter(|b| b.date == date && b.kind == kind)
        .collect()
}

#[test]
fn week_view_places_blocks_by_time() {
    let lab = start_lab("cal-week");
    let options = BrowserOptions {
        width: 1200,
        height: 1400,
    };
    with_browser("cal-week", options, |b| {
        b.session
            .goto(&format!("{}&tab=calendar&scheme=dark", lab.widget_url()))?;
        wait_loaded(b)?;
        b.session
            .wait_for("[data-testid=calendar][data-mode=week] li.block", TIMEOUT)?;
        let w = week(b)?;

        // The week of the test instant, Monday first.
        assert_eq!(w.title, "18–24 May 2026", "{w:#?}");
        let heads: Vec<&str> = w.heads.iter().map(|h| h.0.as_str()).collect();
        assert_eq!(heads, WEEK, "{w:#?}");
        assert!(w.heads[0].1.starts_with("Mon") && w.heads[0].1.contains("18"), "{w:#?}");

        // Kinds the scenario schedules this week: PVE jobs and Backrest plans (backup),
        // Databasement (dump), PBS prune, GC, verify, and the configured cleanup.
        for kind in ["backup", "dump", "prune", "gc", "verify", "cleanup"] {
            assert!(
                w.blocks.iter().any(|b| b.kind == kind),
                "no {kind} block: {:#?}",
                w.blocks
            );
            assert!(w.legend.iter().any(|k| k == kind), "{kind} not in the legend: {:?}", w.legend);
        }
        // GC runs on Saturdays only (`sat 03:00`); verify daily at 06:00.
        let gc: Vec<&WeekBlock> = w.blocks.iter().filter(|b| b.kind == "gc").collect();
        assert!(gc.iter().all(|b| b.date == SATURDAY), "{gc:#?}");
        let gc = blocks_of(&w, SATURDAY, "gc");
        assert_eq!(gc.len(), 1, "{gc:#?}");
        assert_eq!(gc[0].datetime, "2026-05-23T03:00:00+02:00", "{gc:#?}");
        for date in WEEK {
            let verify = blocks_of(&w, date, "verify");
            assert!(
                verify.iter().any(|b| b.datetime.ends_with("T06:00:00+02:00")),
                "verify at 06:00 on {date}: {verify:#?}"
            );
            // The critical PVE job every night at 04:00.
            let backups = blocks_of(&w, date, "backup");
            assert!(
                backups.iter().any(|b| b.datetime.ends_with("T04:00:00+02:00")),
                "backup at 04:00 on {date}: {backups:#?}"
            );
        }
        let verify = blocks_of(&w, SATURDAY, "verify")[0];
        assert!(
            verify.top > gc[0].top + 20.0,
            "06:00 verify below 03:00 GC: verify {verify:?}, gc {:?}",
            gc[0]
        );

        // The body is as tall as its hours, and every day column as tall as the body (a
        // class collision once squashed the columns to 3 px: every block sat at 00:00).
        assert!(w.hours.len() >= 8, "{:?}", w.hours);
        assert!(w.body_height > 300.0, "{w:#?}");
        assert_eq!(w.days.len(), 7, "{w:#?}");
        for (date, height, _) in &w.days {
            assert!(
                (height - w.body_height).abs() <= 1.0,
                "day {date} is {height} px tall, the week body {} px",
                w.body_height
            );
        }
        // Hour lines evenly spaced, in order.
        let per_hour = w.body_height / w.hours.len() as f64;
        for (i, (label, top)) in w.hours.iter().enumerate() {
            assert!(
                (top - per_hour * i as f64).abs() <= 2.0,
                "hour line {label} at {top}, expected {}",
                per_hour * i as f64
            );
        }
        // Every block starting this day sits at its start time: on its hour's line plus
        // the share of the hour, within a few px.
        for block in w.blocks.iter().filter(|b| !b.continued) {
            assert!(block.datetime.starts_with(&block.date), "{block:?}");
            let minute = minute_of(&block.datetime);
            let want = expected_top(&w, minute)
                .ok_or_else(|| format!("no hour line for {block:?} in {:?}", w.hours))?;
            assert!(
                (block.top - want).abs() <= 3.0,
                "{block:?} drawn at {} px, its time is at {want} px",
                block.top
            );
        }

        // The now line: one, on today's column, at 04:20.
        assert_eq!(w.now.len(), 1, "{:?}", w.now);
        let now = &w.now[0];
        assert_eq!(now.date, TODAY, "{now:?}");
        assert_eq!(now.datetime, "2026-05-18T04:20:00+02:00", "{now:?}");
        let want = expected_top(&w, 4 * 60 + 20).unwrap();
        assert!((now.top - want).abs() <= 3.0, "{now:?}: expected {want}");
        let today: Vec<&str> = w.days.iter().filter(|d| d.2).map(|d| d.0.as_str()).collect();
        assert_eq!(today, [TODAY], "{w:#?}");

        // Past occurrences carry their outcome: last night's Databasement dumps include
        // the failed Home Assistant dump (the group shows its worst outcome).
        let dumps = blocks_of(&w, TODAY, "dump");
        assert!(
            dumps
                .iter()
                .any(|b| b.outcome.as_deref() == Some("failed") && b.label.contains("hass-mariadb")),
            "{dumps:#?}"
        );
        // Backrest's app-configs plan (planted: missed the last two 02:20 runs) is not
        // missed yet today: its grace (25 % of a day, at most 3 h) runs until 05:20.
        let backups = blocks_of(&w, TODAY, "backup");
        let app_configs: Vec<&&WeekBlock> = backups
            .iter()
            .filter(|b| b.label.contains("app-configs"))
            .collect();
        assert!(
            app_configs.len() == 1
                && app_configs[0].datetime == "2026-05-18T02:20:00+02:00"
                && app_configs[0].outcome.is_none(),
            "{backups:#?}"
        );
        // Vault's snapshot at 02:15 ran.
        assert!(
            backups.iter().any(|b| b.label.contains("vault-snapshot")
                && b.outcome.as_deref() == Some("ok")),
            "{backups:#?}"
        );
        // Future occurrences have none.
        assert!(
            w.blocks
                .iter()
                .filter(|b| b.date.as_str() > TODAY)
                .all(|b| b.outcome.is_none()),
            "{:#?}",
            w.blocks
        );

        // Overlaps: marked blocks and the list agree. Every sentence names two jobs
        // (“…” during “…”), each drawn as a marked block.
        let marked: Vec<&WeekBlock> = w.blocks.iter().filter(|b| b.overlap).collect();
        assert_eq!(
            marked.is_empty(),
            w.overlaps.is_empty(),
            "marked {marked:#?}, list {:?}",
            w.overlaps
        );
        if !w.overlaps.is_empty() {
            let heading = w.overlap_heading.clone().unwrap_or_default();
            let n = w.overlaps.len();
            let count = if n == 1 { "1 overlap".to_owned() } else { format!("{n} overlaps") };
            assert!(heading.contains(&count), "{heading} / {:?}", w.overlaps);
            for sentence in &w.overlaps {
                let labels: Vec<&str> = sentence
                    .split('“')
                    .skip(1)
                    .filter_map(|s| s.split('”').next())
                    .collect();
                assert_eq!(labels.len(), 2, "{sentence}");
                assert!(sentence.contains(" during "), "{sentence}");
                for label in labels {
                    assert!(
                        marked.iter().any(|b| b.label.contains(label)),
                        "{label} of “{sentence}” is not a marked block: {marked:#?}"
                    );
                }
            }
        }
        eprintln!("overlaps this week: {:?}", w.overlaps);

        // Blocks are focusable, with their description as accessible name.
        let focus: Value = b.session.execute(
            "const b = document.querySelector('.day[data-date=\"2026-05-23\"] li.block[data-kind=gc]');
             b.focus();
             return { focused: document.activeElement === b, label: b.getAttribute('aria-label') };",
            vec![],
        )?;
        assert_eq!(focus["focused"], true, "{focus}");
        let label = focus["label"].as_str().unwrap_or("");
        assert!(label.starts_with("Garbage collection · "), "{label}");
        assert!(label.contains("PBS pbs-main") && label.contains("03:00"), "{label}");

        let errors = b.console_errors()?;
        assert!(errors.is_empty(), "console errors: {errors:?}");
        b.save_artifacts("week")?;
        Ok(())
    })
    .unwrap();
}

// ---- Navigation and the month view.

fn title(b: &Browser) -> Result<String, String> {
    text_of(b, "[data-testid=cal-title]")
}

fn wait_title(b: &Browser, want: &str) -> Result<(), String> {
    wait_until(
        b,
        &format!("document.querySelector('[data-testid=cal-title]').innerText.trim() === '{want}'"),
    )
    .map_err(|e| format!("{e} (title: {:?})", title(b)))
}

fn week_dates(b: &Browser) -> Result<Vec<String>, String> {
    js(
        b,
        "return [...document.querySelectorAll('[data-testid=calendar-week] .day')].map(d => d.dataset.date);",
    )
}

fn focused_testid(b: &Browser) -> Result<String, String> {
    js(
        b,
        "return document.activeElement.dataset.testid || document.activeElement.id || '';",
    )
}

#[test]
fn navigate_weeks_and_months_by_keyboard() {
    let lab = start_lab("cal-nav");
    let options = BrowserOptions {
        width: 1200,
        height: 1200,
    };
    with_browser("cal-nav", options, |b| {
        b.session
            .goto(&format!("{}&tab=calendar", lab.widget_url()))?;
        wait_loaded(b)?;
        b.session
            .wait_for("[data-testid=calendar][data-mode=week]", TIMEOUT)?;
        wait_title(b, "18–24 May 2026")?;
        let today = b.session.wait_for("[data-testid=cal-today]", TIMEOUT)?;
        assert_eq!(
            b.session.attribute(&today, "aria-disabled")?.as_deref(),
            Some("true"),
            "“This week” is disabled in this week"
        );
        assert_eq!(b.session.text(&today)?, "This week");
        let next = b.session.wait_for("[data-testid=cal-next]", TIMEOUT)?;
        let prev = b.session.wait_for("[data-testid=cal-prev]", TIMEOUT)?;
        assert_eq!(b.session.attribute(&next, "aria-label")?.as_deref(), Some("Next week"));
        assert_eq!(b.session.attribute(&prev, "aria-label")?.as_deref(), Some("Previous week"));

        // Enter on "next": the following week, focus stays on the button.
        b.session.send_keys(&next, ENTER)?;
        wait_title(b, "25–31 May 2026")?;
        assert_eq!(week_dates(b)?.first().map(String::as_str), Some("2026-05-25"));
        assert_eq!(week_dates(b)?.last().map(String::as_str), Some("2026-05-31"));
        assert_eq!(focused_testid(b)?, "cal-next");
        // No now line and no today column outside the current week.
        let now_lines: u64 = js(b, "return document.querySelectorAll('[data-testid=now-line]').length;")?;
        assert_eq!(now_lines, 0);
        // Sunday 31 May: the Sunday jobs (Backrest prune 06:00 on both repos, PVE media
        // backup 05:00), but no GC (Saturdays only).
        let sunday: Vec<(String, String)> = js(
            b,
            "return [...document.querySelectorAll('.day[data-date=\"2026-05-31\"] li.block')]
                     .map(e => [e.dataset.kind, e.querySelector('time').dateTime]);",
        )?;
        assert!(
            sunday.iter().any(|(k, t)| k == "prune" && t == "2026-05-31T06:00:00+02:00"),
            "{sunday:?}"
        );
        assert!(!sunday.iter().any(|(k, _)| k == "gc"), "{sunday:?}");

        // Two weeks back with Enter on "previous".
        b.session.send_keys(&prev, ENTER)?;
        wait_title(b, "18–24 May 2026")?;
        b.session.send_keys(&prev, ENTER)?;
        wait_title(b, "11–17 May 2026")?;
        assert_eq!(week_dates(b)?.first().map(String::as_str), Some("2026-05-11"));
        // A past week: its occurrences have outcomes; the Gitea dump of Sunday night was
        // missed (planted slots -1 and -2 of the 02:00 daily; -1 is still in its grace).
        let sunday17: Vec<(String, Option<String>, String)> = js(
            b,
            "return [...document.querySelectorAll('.day[data-date=\"2026-05-17\"] li.block')]
                     .map(e => [e.dataset.kind, e.dataset.outcome || null, e.getAttribute('aria-label')]);",
        )?;
        assert!(
            sunday17.iter().any(|(k, o, l)| k == "dump"
                && o.as_deref() == Some("missed")
                && l.contains("gitea-mysql")),
            "{sunday17:?}"
        );

        // Tab order: from "previous", Tab reaches "This week" (enabled now); Enter on it.
        b.session.send_keys(&prev, TAB)?;
        assert_eq!(focused_testid(b)?, "cal-today");
        let today = b.session.wait_for("[data-testid=cal-today]", TIMEOUT)?;
        assert_eq!(b.session.attribute(&today, "aria-disabled")?.as_deref(), Some("false"));
        b.session.send_keys(&today, ENTER)?;
        wait_title(b, "18–24 May 2026")?;
        assert_eq!(
            focused_testid(b)?,
            "cal-today",
            "the keyboard focus stays on the button that disabled itself"
        );
        assert_eq!(week_dates(b)?, WEEK);

        // Month view by its button (Tab from the view switch, Enter), aria-pressed moves.
        let month_button = b.session.wait_for("button[data-mode=month]", TIMEOUT)?;
        let week_button = b.session.wait_for("button[data-mode=week]", TIMEOUT)?;
        assert_eq!(b.session.attribute(&week_button, "aria-pressed")?.as_deref(), Some("true"));
        b.session.send_keys(&week_button, TAB)?;
        assert_eq!(focused_testid(b)?, "cal-mode-month");
        b.session.send_keys(&month_button, ENTER)?;
        b.session
            .wait_for("[data-testid=calendar][data-mode=month] [data-testid=calendar-month]", TIMEOUT)?;
        assert_eq!(b.session.attribute(&month_button, "aria-pressed")?.as_deref(), Some("true"));
        assert_eq!(b.session.attribute(&week_button, "aria-pressed")?.as_deref(), Some("false"));
        wait_title(b, "May 2026")?;
        check_month(b)?;

        // Next month and back by keyboard.
        let next = b.session.wait_for("[data-testid=cal-next]", TIMEOUT)?;
        assert_eq!(b.session.attribute(&next, "aria-label")?.as_deref(), Some("Next month"));
        b.session.send_keys(&next, ENTER)?;
        wait_title(b, "June 2026")?;
        // 1 June is a Monday: the grid starts on it. The Backrest checks run on the 1st
        // at 07:00 (`0 7 1 * *`).
        let june: Value = b.session.execute(
            "const cells = [...document.querySelectorAll('[data-testid=calendar-month] td[data-date]')];
             const first = cells.find(c => c.dataset.date === '2026-06-01');
             return { first: cells[0].dataset.date,
                      chips: [...first.querySelectorAll('li.chip')].map(c => c.dataset.kind),
                      label: first.querySelector('ol.chips').getAttribute('aria-label') };",
            vec![],
        )?;
        assert_eq!(june["first"], "2026-06-01", "{june}");
        assert!(
            june["label"].as_str().unwrap_or("").starts_with("Monday 1 June: "),
            "{june}"
        );
        let today = b.session.wait_for("[data-testid=cal-today]", TIMEOUT)?;
        assert_eq!(b.session.text(&today)?, "This month");
        b.session.send_keys(&today, ENTER)?;
        wait_title(b, "May 2026")?;

        // "+N more" in a busy day opens that day's week.
        let more = b
            .session
            .wait_for("[data-testid=calendar-month] td[data-date=\"2026-05-13\"] button.more", TIMEOUT)?;
        let label = b.session.attribute(&more, "aria-label")?.unwrap_or_default();
        assert!(label.contains("open the week of"), "{label}");
        b.session.send_keys(&more, ENTER)?;
        b.session
            .wait_for("[data-testid=calendar][data-mode=week] [data-testid=calendar-week]", TIMEOUT)?;
        wait_title(b, "11–17 May 2026")?;
        assert_eq!(week_dates(b)?.first().map(String::as_str), Some("2026-05-11"));

        // ←/→ move between the views inside the switch.
        let week_button = b.session.wait_for("button[data-mode=week]", TIMEOUT)?;
        b.session.send_keys(&week_button, "\u{E014}")?; // ArrowRight
        b.session
            .wait_for("[data-testid=calendar][data-mode=month]", TIMEOUT)?;
        assert_eq!(focused_testid(b)?, "cal-mode-month");

        let errors = b.console_errors()?;
        assert!(errors.is_empty(), "console errors: {errors:?}");
        Ok(())
    })
    .unwrap();
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Cell {
    date: String,
    out: bool,
    today: bool,
    /// (kind, outcome, title).
    chips: Vec<(String, Option<String>, String)>,
    notes: String,
}

fn month_cells(b: &Browser) -> Result<(Vec<usize>, Vec<Cell>), String> {
    js(
        b,
        "const t = document.querySelector('[data-testid=calendar-month]');
         return [[...t.querySelectorAll('tbody tr')].map(r => r.querySelectorAll('td').length),
           [...t.querySelectorAll('tbody td')].map(c => ({
             date: c.dataset.date, out: c.classList.contains('out'),
             today: c.getAttribute('aria-current') === 'date',
             chips: [...c.querySelectorAll('li.chip')].map(e =>
               [e.dataset.kind, e.dataset.outcome || null, e.title]),
             notes: (c.querySelector('.notes') || {}).textContent || '',
           }))];",
    )
}

/// May 2026: 6 × 7 cells from Monday 27 April; today's cell; outcomes in the past.
fn check_month(b: &Browser) -> Result<(), String> {
    let (rows, cells) = month_cells(b)?;
    assert_eq!(rows, [7; 6], "6 weeks of 7 days");
    assert_eq!(cells.len(), 42);
    assert_eq!(cells[0].date, "2026-04-27", "1 May 2026 is a Friday");
    assert_eq!(cells[41].date, "2026-06-07");
    let out: Vec<&str> = cells
        .iter()
        .filter(|c| c.out)
        .map(|c| c.date.as_str())
        .collect();
    assert_eq!(out.len(), 42 - 31, "{out:?}");
    assert!(out.iter().all(|d| !d.starts_with("2026-05")), "{out:?}");
    let today: Vec<&str> = cells
        .iter()
        .filter(|c| c.today)
        .map(|c| c.date.as_str())
        .collect();
    assert_eq!(today, [TODAY]);
    // Every day has something scheduled (daily dumps at 02:00 and backups at 04:00).
    for c in &cells {
        assert!(!c.chips.is_empty(), "{c:?}");
        assert!(c.chips.iter().all(|(k, _, _)| !k.is_empty()), "{c:?}");
    }
    let cell = |d: &str| cells.iter().find(|c| c.date == d).unwrap();
    // Last night: the failed Home Assistant dump, the missed Gitea dump and app-configs.
    let last_night = cell(TODAY);
    assert!(
        last_night.chips.iter().any(|(k, o, t)| k == "dump"
            && o.as_deref() == Some("failed")
            && t.contains("hass-mariadb")),
        "{last_night:?}"
    );
    assert!(last_night.notes.contains("✗ 1 failed"), "{last_night:?}");
    // Gitea's and app-configs' runs of last night are still within their grace (3 h):
    // not counted as missed yet.
    assert!(!last_night.notes.contains("missed"), "{last_night:?}");
    // The night before: the first of their two missed slots, past its grace.
    let sunday = cell("2026-05-17");
    assert!(
        sunday.notes.contains("! 2 missed"),
        "gitea and app-configs: {sunday:?}"
    );
    assert!(
        sunday.chips.iter().any(|(k, o, t)| k == "dump"
            && o.as_deref() == Some("missed")
            && t.contains("gitea-mysql")),
        "{sunday:?}"
    );
    // An ordinary past night: its first jobs (dumps, Backrest plans) ran fine; future
    // days have no outcomes.
    let ordinary = cell("2026-05-12");
    assert!(
        ordinary
            .chips
            .iter()
            .any(|(_, o, _)| o.as_deref() == Some("ok")),
        "{ordinary:?}"
    );
    assert!(
        ordinary
            .chips
            .iter()
            .all(|(_, o, _)| matches!(o.as_deref(), Some("ok") | None)),
        "{ordinary:?}"
    );
    assert!(
        !ordinary.notes.contains("failed") && !ordinary.notes.contains("missed"),
        "{ordinary:?}"
    );
    let future = cell("2026-05-20");
    assert!(
        future.chips.iter().all(|(_, o, _)| o.is_none()),
        "{future:?}"
    );
    Ok(())
}

#[test]
fn month_view_from_the_fragment() {
    let lab = start_lab("cal-month");
    let options = BrowserOptions {
        width: 1200,
        height: 1200,
    };
    with_browser("cal-month", options, |b| {
        b.session
            .goto(&format!("{}&tab=calendar&view=month", lab.widget_url()))?;
        wait_loaded(b)?;
        b.session.wait_for(
            "[data-testid=calendar][data-mode=month] [data-testid=calendar-month] li.chip",
            TIMEOUT,
        )?;
        let tab: String = js(
            b,
            "return document.querySelector('[role=tab][aria-selected=true]').dataset.tab;",
        )?;
        assert_eq!(tab, "calendar");
        let pressed: String = js(
            b,
            "return document.querySelector('.mode-switch [aria-pressed=true]').dataset.mode;",
        )?;
        assert_eq!(pressed, "month");
        wait_title(b, "May 2026")?;
        check_month(b)?;
        // No notice about ignored fragment parameters: tab and view are known.
        let notice: u64 = js(
            b,
            "return document.querySelectorAll('[data-testid=fragment-ignored]').length;",
        )?;
        assert_eq!(notice, 0);
        let errors = b.console_errors()?;
        assert!(errors.is_empty(), "console errors: {errors:?}");
        Ok(())
    })
    .unwrap();
}

// ---- Agenda.

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AgendaDay {
    date: String,
    heading: String,
    /// (datetime, kind, in progress).
    items: Vec<(String, String, bool)>,
}

fn agenda(b: &Browser) -> Result<(u32, Vec<AgendaDay>), String> {
    js(
        b,
        "const a = document.querySelector('[data-testid=agenda]');
         return [Number(a.dataset.days), [...a.querySelectorAll('li.agenda-day')].map(d => ({
           date: d.dataset.date,
           heading: d.querySelector('h3').textContent.trim(),
           items: [...d.querySelectorAll('li.agenda-item')].map(i =>
             [i.querySelector('time').dateTime, i.dataset.kind, i.classList.contains('in-progress')]),
         }))];",
    )
}

/// Days in order with headings, items sorted by time, today first with what is still
/// running (the critical PVE job started at 04:00, still backing up Immich at 04:20).
fn check_agenda(days: &[AgendaDay], expect_days: usize) {
    assert!(!days.is_empty(), "{days:#?}");
    assert!(days.len() <= expect_days, "{days:#?}");
    let dates: Vec<&str> = days.iter().map(|d| d.date.as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(dates, sorted, "days in order, once each");
    assert_eq!(days[0].date, TODAY);
    assert_eq!(days[0].heading, "Today · Mon 18 May");
    if let Some(d) = days.get(1) {
        assert_eq!(d.date, "2026-05-19");
        assert_eq!(d.heading, "Tomorrow · Tue 19 May");
    }
    let mut all: Vec<&str> = Vec::new();
    for d in days {
        assert!(!d.items.is_empty(), "{d:?}");
        for (t, kind, _) in &d.items {
            assert!(!kind.is_empty(), "{d:?}");
            // In-progress items started today are listed under today; the others on their day.
            assert!(
                t.starts_with(&d.date) || d.date == TODAY,
                "{t} under {}",
                d.date
            );
            assert!(t.ends_with("+02:00"), "{t}");
            all.push(t);
        }
    }
    let mut by_time = all.clone();
    by_time.sort();
    assert_eq!(all, by_time, "sorted by time");
    // Started before 04:20 and still running: the 04:00 backup; everything after is upcoming.
    let today = &days[0].items;
    assert!(
        today
            .iter()
            .any(|(t, k, p)| *p && k == "backup" && t == "2026-05-18T04:00:00+02:00"),
        "{today:?}"
    );
    for (t, _, in_progress) in days.iter().flat_map(|d| &d.items) {
        assert_eq!(
            *in_progress,
            t.as_str() < "2026-05-18T04:20:00+02:00",
            "{t}"
        );
    }
    // Later today: prune at 05:00 and verify at 06:00 on store1.
    assert!(
        today
            .iter()
            .any(|(t, k, _)| k == "prune" && t == "2026-05-18T05:00:00+02:00"),
        "{today:?}"
    );
    assert!(
        today
            .iter()
            .any(|(t, k, _)| k == "verify" && t == "2026-05-18T06:00:00+02:00"),
        "{today:?}"
    );
}

#[test]
fn agenda_in_narrow_frames() {
    let lab = start_lab("cal-agenda");
    // A narrow frame (Glance's medium column) opening the calendar: the agenda first.
    let options = BrowserOptions {
        width: 500,
        height: 1000,
    };
    with_browser("cal-agenda", options, |b| {
        b.session
            .goto(&format!("{}&tab=calendar", lab.widget_url()))?;
        wait_loaded(b)?;
        b.session
            .wait_for("[data-testid=backwatch][data-layout=full]", TIMEOUT)?;
        b.session.wait_for(
            "[data-testid=calendar][data-mode=agenda] [data-testid=agenda] li.agenda-item",
            TIMEOUT,
        )?;
        let pressed: String = js(
            b,
            "return document.querySelector('.mode-switch [aria-pressed=true]').dataset.mode;",
        )?;
        assert_eq!(pressed, "agenda");
        assert_eq!(title(b)?, "Next 7 days");
        let (n, days) = agenda(b)?;
        assert_eq!(n, 7);
        check_agenda(&days, 7);
        // The whole week: 7 days, every one has its nightly jobs; Saturday has the GC.
        assert_eq!(days.len(), 7, "{days:#?}");
        let saturday = days.iter().find(|d| d.date == SATURDAY).unwrap();
        assert!(
            saturday
                .items
                .iter()
                .any(|(t, k, _)| k == "gc" && t == "2026-05-23T03:00:00+02:00"),
            "{saturday:?}"
        );
        // Nothing wider than the frame.
        let overflow: i64 = js(
            b,
            "const app = document.getElementById('app'); return app.scrollWidth - app.clientWidth;",
        )?;
        assert!(overflow <= 0, "horizontal overflow {overflow}");
        let errors = b.console_errors()?;
        assert!(errors.is_empty(), "console errors: {errors:?}");
        b.save_artifacts("agenda-500")?;
        Ok(())
    })
    .unwrap();

    // The compact layout (Glance's 300 px column): the status, then today and tomorrow.
    let options = BrowserOptions {
        width: 500,
        height: 1400,
    };
    with_browser("cal-agenda-compact", options, |b| {
        b.session
            .goto(&format!("{}&layout=compact", lab.widget_url()))?;
        b.session
            .execute("document.body.style.width = '300px';", vec![])?;
        wait_loaded(b)?;
        b.session.wait_for(
            "[data-testid=backwatch][data-layout=compact] [data-testid=agenda] li.agenda-item",
            TIMEOUT,
        )?;
        let (n, days) = agenda(b)?;
        assert_eq!(n, 2);
        check_agenda(&days, 2);
        assert_eq!(days.len(), 2, "{days:#?}");
        let page: Value = b.session.execute(
            "const app = document.getElementById('app');
             const a = document.querySelector('[data-testid=agenda]');
             return { width: app.getBoundingClientRect().width,
                      overflow: app.scrollWidth - app.clientWidth,
                      title: a.querySelector('.agenda-title').textContent,
                      tabs: document.querySelectorAll('[role=tab]').length };",
            vec![],
        )?;
        assert_eq!(page["width"], 300, "{page}");
        assert!(page["overflow"].as_i64().unwrap_or(1) <= 0, "{page}");
        assert_eq!(page["title"], "Upcoming", "{page}");
        assert_eq!(page["tabs"], 0, "no tabs in the compact layout: {page}");
        let errors = b.console_errors()?;
        assert!(errors.is_empty(), "console errors: {errors:?}");
        b.save_artifacts("agenda-compact")?;
        Ok(())
    })
    .unwrap();
}

// ---- iCal export.

#[test]
fn ical_export_is_a_calendar() {
    let lab = start_lab("cal-ical");
    with_browser("cal-ical", BrowserOptions::default(), |b| {
        b.session
            .goto(&format!("{}&tab=calendar", lab.widget_url()))?;
        wait_loaded(b)?;
        let link = b
            .session
            .wait_for("[data-testid=ical-download][aria-disabled=false]", TIMEOUT)?;
        assert_eq!(b.session.attribute(&link, "data-file")?.as_deref(), Some("backups.ics"));
        // Download it as a user would (the CSP's `connect-src 'self'` keeps the page itself
        // from fetching a blob: URL; a download is a navigation), and read the saved file.
        let downloads = scratch_dir("cal-ical-downloads")?;
        b.session.cdp(
            "Browser.setDownloadBehavior",
            serde_json::json!({ "behavior": "allow", "downloadPath": downloads.display().to_string() }),
        )?;
        b.session.click(&link)?;
        let saved = downloads.join("backups.ics");
        let deadline = Instant::now() + TIMEOUT;
        while !saved.is_file() {
            if Instant::now() > deadline {
                return Err(format!("no {} after {TIMEOUT:?}", saved.display()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let ics = std::fs::read_to_string(&saved).map_err(|e| e.to_string())?;
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{}", &ics[..ics.len().min(300)]);
        assert!(ics.ends_with("END:VCALENDAR\r\n"), "{}", &ics[ics.len().saturating_sub(300)..]);
        assert!(!ics.replace("\r\n", "").contains('\n'), "every line ends with CRLF");
        assert!(ics.contains("\r\nVERSION:2.0\r\n"));
        let events = ics.matches("\r\nBEGIN:VEVENT\r\n").count();
        assert!(events > 0);
        assert_eq!(events, ics.matches("\r\nEND:VEVENT\r\n").count());
        assert_eq!(events, ics.matches("\r\nDTSTART").count(), "one start per event");
        assert_eq!(events, ics.matches("\r\nUID:").count(), "one UID per event");
        // 30 days of a daily verify: at least 30 verify events.
        assert!(ics.matches("SUMMARY:Verify: ").count() >= 29, "{events} events");
        // Known jobs of the scenario: PBS GC of store1 (Saturdays) and the configured cleanup.
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("SUMMARY:Garbage collection: "), "no GC");
        assert!(
            unfolded.contains("SUMMARY:Cleanup: Databasement cleanup (config)"),
            "no configured cleanup"
        );
        assert!(unfolded.contains("(PBS pbs-main)"), "no PBS job");
        // Nothing before now: every DTSTART is at or after 2026-05-18 02:20 UTC.
        for line in unfolded.split("\r\n").filter(|l| l.starts_with("DTSTART")) {
            let value = line.rsplit(':').next().unwrap_or("");
            assert!(value.len() >= 15, "{line}");
            let stamp = value.trim_end_matches('Z');
            if value.ends_with('Z') {
                assert!(stamp >= "20260518T022000", "{line}");
            }
        }
        let errors = b.console_errors()?;
        assert!(errors.is_empty(), "console errors: {errors:?}");
        Ok(())
    })
    .unwrap();
}

// ---- Schedule tester.

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Tester {
    normalized: Option<String>,
    description: Option<String>,
    zone: Option<String>,
    /// (datetime, epoch, exact text, relative).
    runs: Vec<(String, i64, String, String)>,
    error: Option<String>,
    mark: Option<String>,
    invalid: String,
}

const TESTER_JS: &str = "
    const t = document.querySelector('[data-testid=schedule-tester]');
    const txt = s => { const e = t.querySelector(s); return e ? e.textContent.trim() : null; };
    return {
      normalized: txt('[data-testid=tester-normalized]'),
      description: txt('[data-testid=tester-description]'),
      zone: txt('[data-testid=tester-zone-used]'),
      runs: [...t.querySelectorAll('[data-testid=tester-runs] li')].map(li => {
        const time = li.querySelector('time');
        return [time.dateTime, Math.round(Date.parse(time.dateTime) / 1000),
                time.textContent.trim(), li.querySelector('.when').textContent.trim()];
      }),
      error: txt('[data-testid=tester-error] p'),
      mark: txt('[data-testid=tester-highlight] mark'),
      invalid: t.querySelector('[data-testid=tester-input]').getAttribute('aria-invalid'),
    };";

fn tester(b: &Browser) -> Result<Tester, String> {
    js(b, TESTER_JS)
}

/// Replace the expression by typing `expr`, then wait for the output to follow.
fn type_expr(b: &Browser, expr: &str, done: &str) -> Result<Tester, String> {
    let input = b.session.wait_for("[data-testid=tester-input]", TIMEOUT)?;
    b.session
        .send_keys(&input, &format!("{CONTROL}a{NULL}{BACKSPACE}"))?;
    b.session.send_keys(&input, expr)?;
    let value: String = js(
        b,
        "return document.querySelector('[data-testid=tester-input]').value;",
    )?;
    assert_eq!(value, expr);
    wait_until(b, done).map_err(|e| format!("{e}\n{:?}", tester(b)))?;
    tester(b)
}

/// The runs shown match the brute-force reading of the expression in Berlin summer time.
fn check_runs(t: &Tester, want: &[i64]) {
    assert_eq!(want.len(), 10, "brute force found 10 runs");
    let got: Vec<i64> = t.runs.iter().map(|r| r.1).collect();
    assert_eq!(got, want, "{t:#?}");
    for ((datetime, epoch, text, relative), &w) in t.runs.iter().zip(want) {
        assert!(datetime.ends_with("+02:00"), "{datetime}");
        assert_eq!(*epoch, w);
        assert_eq!(*text, exact(civil(w, BERLIN_SUMMER)), "{datetime}");
        assert!(relative.starts_with("in "), "{relative}");
    }
}

#[test]
fn schedule_tester_both_syntaxes_and_errors() {
    let lab = start_lab("cal-tester");
    let options = BrowserOptions {
        width: 1200,
        height: 1100,
    };
    with_browser("cal-tester", options, |b| {
        b.session
            .goto(&format!("{}&tab=tester", lab.widget_url()))?;
        wait_loaded(b)?;
        b.session.wait_for("[data-testid=schedule-tester]", TIMEOUT)?;
        let calendar = b.session.wait_for("[data-testid=tester-syntax-calendar]", TIMEOUT)?;
        assert_eq!(
            b.session.execute("return document.querySelector('[data-testid=tester-syntax-calendar]').checked;", vec![])?,
            Value::Bool(true),
            "Proxmox calendar events by default"
        );
        let _ = calendar;

        // The famous gotcha: a lone number is minutes, so `mon..fri 22` fires at :22 every
        // hour on weekdays, not at 22:00.
        let t = type_expr(b, "mon..fri 22", "document.querySelectorAll('[data-testid=tester-runs] li').length === 10")?;
        assert_eq!(t.normalized.as_deref(), Some("Mon..Fri *-*-* *:22:00"), "{t:#?}");
        let description = t.description.clone().unwrap_or_default();
        assert!(description.contains(":22") && description.contains("every hour"), "{t:#?}");
        assert_eq!(t.zone.as_deref(), Some("Europe/Berlin"), "the display zone: {t:#?}");
        assert_eq!(t.invalid, "false");
        let want = brute_runs(TEST_NOW, BERLIN_SUMMER, 10, |c| c.weekday < 5 && c.minute == 22);
        check_runs(&t, &want);
        assert_eq!(t.runs[0].2, "Mon 18 May 04:22");
        assert_eq!(t.runs[0].3, "in 2 min");

        // PBS's GC schedule: Saturdays at 03:00.
        let t = type_expr(
            b,
            "sat 03:00",
            "(document.querySelector('[data-testid=tester-normalized]') || {}).textContent === 'Sat *-*-* 03:00:00'",
        )?;
        let want = brute_runs(TEST_NOW, BERLIN_SUMMER, 10, |c| {
            c.weekday == 5 && c.hour == 3 && c.minute == 0
        });
        check_runs(&t, &want);
        assert_eq!(t.runs[0].2, "Sat 23 May 03:00");

        // An invalid expression: the message names the column, which is marked.
        let t = type_expr(b, "*/0", "!!document.querySelector('[data-testid=tester-error]')")?;
        let error = t.error.clone().unwrap_or_default();
        assert!(error.contains("column 3"), "{t:#?}");
        assert!(error.contains("greater than zero"), "{t:#?}");
        assert_eq!(t.mark.as_deref(), Some("0"), "{t:#?}");
        assert_eq!(t.invalid, "true");
        assert!(t.runs.is_empty() && t.normalized.is_none(), "{t:#?}");
        // The error is the input's description, read in the polite output region (not an
        // alert interrupting each keystroke of a half-typed expression).
        let described: Vec<Option<String>> = js(
            b,
            "const i = document.querySelector('[data-testid=tester-input]');
             const e = document.getElementById(i.getAttribute('aria-describedby'));
             return [e && e.dataset.testid, e && e.getAttribute('role'),
                     e && e.closest('[aria-live]').getAttribute('aria-live')];",
        )?;
        assert_eq!(
            described,
            [Some("tester-error".to_owned()), None, Some("polite".to_owned())]
        );

        // Switch to cron with the keyboard (Space on the radio): the expression stays and
        // is read as cron now.
        let cron = b.session.wait_for("[data-testid=tester-syntax-cron]", TIMEOUT)?;
        b.session.send_keys(&cron, " ")?;
        wait_until(b, "document.querySelector('[data-testid=tester-syntax-cron]').checked")?;
        let placeholder: String = js(b, "return document.querySelector('[data-testid=tester-input]').placeholder;")?;
        assert_eq!(placeholder, "0 2 * * *");

        // Weekly on Mondays at 04:00: 04:00 today has passed at 04:20, so next Monday first.
        let t = type_expr(b, "0 4 * * 1", "document.querySelectorAll('[data-testid=tester-runs] li').length === 10")?;
        assert_eq!(t.normalized.as_deref(), Some("0 4 * * 1"), "{t:#?}");
        assert!(t.error.is_none() && t.invalid == "false", "{t:#?}");
        let want = brute_runs(TEST_NOW, BERLIN_SUMMER, 10, |c| {
            c.weekday == 0 && c.hour == 4 && c.minute == 0
        });
        check_runs(&t, &want);
        assert_eq!(t.runs[0].2, "Mon 25 May 04:00");

        // Day of month and day of week both restricted: cron runs when either matches.
        let t = type_expr(
            b,
            "0 12 1 * 1",
            "(document.querySelector('[data-testid=tester-normalized]') || {}).textContent === '0 12 1 * 1'",
        )?;
        let want = brute_runs(TEST_NOW, BERLIN_SUMMER, 10, |c| {
            c.hour == 12 && c.minute == 0 && (c.day == 1 || c.weekday == 0)
        });
        check_runs(&t, &want);
        assert!(
            t.runs.iter().any(|r| r.2 == "Wed 1 Jul 12:00"),
            "the 1st, not a Monday: {t:#?}"
        );
        assert_eq!(t.runs[0].2, "Mon 18 May 12:00");

        // Out of range: column 1, the minute field.
        let t = type_expr(b, "61 * * * *", "!!document.querySelector('[data-testid=tester-error]')")?;
        let error = t.error.clone().unwrap_or_default();
        assert!(error.contains("column 1") && error.contains("61"), "{t:#?}");
        assert_eq!(t.mark.as_deref(), Some("6"), "{t:#?}");
        assert_eq!(t.invalid, "true");

        // Another zone: runs in that zone, also shown in the display zone.
        let t = type_expr(b, "0 4 * * 1", "document.querySelectorAll('[data-testid=tester-runs] li').length === 10")?;
        assert_eq!(t.invalid, "false");
        let zone = b.session.wait_for("[data-testid=tester-zone]", TIMEOUT)?;
        b.session.send_keys(&zone, "America/New_York")?;
        wait_until(
            b,
            "(document.querySelector('[data-testid=tester-zone-used]') || {}).textContent === 'America/New_York'",
        )?;
        let runs: Vec<(String, i64, String, String)> = js(
            b,
            "return [...document.querySelectorAll('[data-testid=tester-runs] li')].map(li => {
                 const t = li.querySelector('time');
                 return [t.dateTime, Math.round(Date.parse(t.dateTime) / 1000), t.textContent.trim(),
                         (li.querySelector('.alt') || {}).textContent || ''];
             });",
        )?;
        // In New York (EDT, -04:00) it is still Sunday 22:20: the first Monday 04:00 is
        // tonight's, 10:00 in Berlin.
        const NEW_YORK_SUMMER: i64 = -4 * 3600;
        let want = brute_runs(TEST_NOW, NEW_YORK_SUMMER, 10, |c| {
            c.weekday == 0 && c.hour == 4 && c.minute == 0
        });
        let got: Vec<i64> = runs.iter().map(|r| r.1).collect();
        assert_eq!(got, want, "{runs:?}");
        for (datetime, epoch, text, alt) in &runs {
            assert!(datetime.ends_with("-04:00"), "{datetime}");
            assert_eq!(*text, exact(civil(*epoch, NEW_YORK_SUMMER)));
            assert_eq!(*alt, format!("{} Europe/Berlin", exact(civil(*epoch, BERLIN_SUMMER))));
        }
        assert_eq!(runs[0].2, "Mon 18 May 04:00");
        b.session.send_keys(&zone, "/Nowhere")?;
        b.session.wait_for("[data-testid=tester-zone-error]", TIMEOUT)?;

        // The widget still works after errors: the other tabs render.
        let status = b.session.wait_for("[role=tab][data-tab=status]", TIMEOUT)?;
        b.session.click(&status)?;
        b.session.wait_for("[data-testid=status-table] [data-service]", TIMEOUT)?;
        let errors = b.console_errors()?;
        assert!(errors.is_empty(), "console errors: {errors:?}");
        Ok(())
    })
    .unwrap();
}
