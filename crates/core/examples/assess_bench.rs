//! Decode + convert + assess benchmark on the 10,000-snapshot scenario.
//!
//! The synthetic PBS of `decode_bench` (300 groups × ~35 snapshots, 5 namespaces) plus a
//! synthetic PVE (300 guests, a nightly job over all of them, a weekday job over a pool, a
//! disabled one) and busy PBS jobs (daily GC, prune, weekly verify, a sync every 15
//! minutes), judged with a configuration of 60 services of 5 guests each (half of them
//! scoped to datastore and namespace, two paused, some retired items).
//!
//! Phases, each timed separately over several runs (median, min, max) with allocation
//! counts from a counting global allocator:
//! 1. collect: both collectors, cold (every listing decoded and converted);
//! 2. assess: record into the source states and assess every service;
//! 3. history: the 30-day strip of every service;
//! 4. calendar: a month of every job expanded, outcomes and overlaps, plus the month and
//!    week grids.
//!
//! Run: `cargo run -p backwatch-core --release --example assess_bench`

#[path = "support/measure.rs"]
mod measure;
#[path = "support/pbs_synth.rs"]
mod pbs_synth;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::rc::Rc;
use std::time::Duration;

use backwatch_core::assemble;
use backwatch_core::calendar;
use backwatch_core::config::{self, Config};
use backwatch_core::health::{self, Assessment};
use backwatch_core::history;
use backwatch_core::sources::{Collected, drive};
use backwatch_core::state::SourceStates;
use backwatch_core::time::Utc;
use backwatch_core::zones::{UtcLookup, Zones};
use measure::{Sample, measure, respond};
use pbs_synth::{GROUPS, NAMESPACES, NOW, synth};

const RUNS: usize = 15;
const SERVICES: usize = 60;

/// Routes of the synthetic PVE and the PBS jobs, added to the synthetic PBS.
fn more_routes(routes: &mut HashMap<String, String>) {
    let pbs = "/api/pbs/api2/json";
    let pve = "/api/pve/api2/json";
    routes.insert(
        format!("{pbs}/admin/gc"),
        format!(
            r#"{{"data":[{{"store":"store1","schedule":"daily","next-run":{},"last-run-endtime":{},"last-run-state":"OK","upid":"UPID:pbs:000003A8:0000053F:00000034:6A090502:garbage_collection:store1:root@pam:"}}]}}"#,
            NOW + 43_200,
            NOW - 41_000
        ),
    );
    routes.insert(
        format!("{pbs}/admin/prune"),
        format!(
            r#"{{"data":[{{"id":"s-prune","store":"store1","schedule":"04:00","next-run":{},"last-run-state":"OK","last-run-endtime":{}}}]}}"#,
            NOW + 57_600,
            NOW - 28_000
        ),
    );
    routes.insert(
        format!("{pbs}/admin/verify"),
        format!(
            r#"{{"data":[{{"id":"v-weekly","store":"store1","schedule":"sat 05:00","next-run":{}}}]}}"#,
            NOW + 5 * 86_400
        ),
    );
    routes.insert(
        format!("{pbs}/admin/sync?sync-direction=all"),
        format!(
            r#"{{"data":[{{"id":"s-offsite","store":"store1","remote":"cloud","remote-store":"b","schedule":"*:0/15","next-run":{}}}]}}"#,
            NOW + 600
        ),
    );
    routes.insert(
        format!("{pbs}/config/datastore"),
        r#"{"data":[{"name":"store1","gc-schedule":"daily"}]}"#.to_owned(),
    );
    routes.insert(
        format!("{pbs}/nodes/localhost/time"),
        r#"{"data":{"localtime":1779019200,"time":1779019200,"timezone":"Etc/UTC"}}"#.to_owned(),
    );

    let mut guests = Vec::new();
    for (n, _) in NAMESPACES.iter().enumerate() {
        for g in 0..GROUPS / NAMESPACES.len() {
            let vmid = 100 + n * 1000 + g;
            let ty = if g.is_multiple_of(3) { "lxc" } else { "qemu" };
            let pool = if g.is_multiple_of(7) {
                r#","pool":"critical""#
            } else {
                ""
            };
            guests.push(format!(
                r#"{{"id":"{ty}/{vmid}","type":"{ty}","vmid":{vmid},"name":"guest-{vmid}","node":"pve1","status":"running","template":0{pool}}}"#
            ));
        }
    }
    routes.insert(
        format!("{pve}/cluster/resources?type=vm"),
        format!(r#"{{"data":[{}]}}"#, guests.join(",")),
    );
    routes.insert(
        format!("{pve}/cluster/backup"),
        format!(
            r#"{{"data":[
                {{"id":"backup-nightly","type":"vzdump","all":1,"enabled":1,"schedule":"02:00","storage":"pbs","next-run":{},"comment":"nightly to PBS"}},
                {{"id":"backup-critical","type":"vzdump","pool":"critical","enabled":1,"schedule":"mon..fri 12:30","storage":"pbs","next-run":{}}},
                {{"id":"backup-local","type":"vzdump","vmid":"100,101","enabled":0,"schedule":"sun 01:00","storage":"local"}}
            ]}}"#,
            NOW + 50_400,
            NOW + 88_200
        ),
    );
    routes.insert(
        format!("{pve}/cluster/backup-info/not-backed-up"),
        r#"{"data":[]}"#.to_owned(),
    );
    routes.insert(
        format!("{pve}/version"),
        r#"{"data":{"version":"9.2.11","release":"9.2","repoid":"abc"}}"#.to_owned(),
    );
    routes.insert(
        format!("{pve}/nodes/pve1/time"),
        r#"{"data":{"localtime":1779019200,"time":1779019200,"timezone":"Etc/UTC"}}"#.to_owned(),
    );
}

/// 60 services of 5 guests; odd services scoped to datastore and namespace.
fn config_text() -> String {
    let mut t = String::from(
        "[[sources.pbs]]\nname = \"bench\"\nbase = \"/api/pbs\"\ndatastores = [\"store1\"]\n\n\
         [[sources.pve]]\nname = \"pve\"\nbase = \"/api/pve\"\n\n",
    );
    let per_ns = GROUPS / NAMESPACES.len();
    for s in 0..SERVICES {
        let n = s * 5 / per_ns;
        let ns = NAMESPACES[n];
        let _ = writeln!(t, "[services.svc-{s:02}]");
        if s % 25 == 3 {
            let _ = writeln!(t, "paused_until = 2026-06-01");
        }
        t.push_str("guests = [");
        for k in 0..5 {
            let g = (s * 5 + k) % per_ns;
            let vmid = 100 + n * 1000 + g;
            let ty = if g.is_multiple_of(3) { "ct" } else { "vm" };
            if k > 0 {
                t.push_str(", ");
            }
            if s % 2 == 1 {
                let _ = write!(
                    t,
                    r#"{{ guest = "{ty}/{vmid}", pbs = "bench", datastore = "store1", namespace = "{ns}""#
                );
                if k == 4 && s % 10 == 1 {
                    t.push_str(", retired = true");
                }
                t.push_str(" }");
            } else {
                let _ = write!(t, "\"{ty}/{vmid}\"");
            }
        }
        t.push_str("]\n\n");
    }
    t
}

fn report(name: &str, mut samples: Vec<Sample>) -> f64 {
    samples.sort_by_key(|s| s.time);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let median = ms(samples[samples.len() / 2].time);
    println!(
        "{name:<40} median {median:8.3} ms  (min {:8.3}, max {:8.3}, n={})  allocs {:>8}  alloc bytes {:>7.2} MB",
        ms(samples[0].time),
        ms(samples[samples.len() - 1].time),
        samples.len(),
        samples[0].allocs,
        samples[0].alloc_bytes as f64 / 1e6,
    );
    median
}

fn collect_all(config: &Config, routes: &HashMap<String, String>) -> Vec<Collected> {
    let mut states = SourceStates::new(config);
    assemble::collectors(config, &mut states, NOW)
        .into_iter()
        .map(|c| drive::run(c, NOW, |r| Ok(respond(routes, &r.path))).0)
        .collect()
}

fn assess(config: &Config, collected: Vec<Collected>) -> Assessment {
    let mut states = SourceStates::new(config);
    for c in collected {
        states.record(c);
    }
    let mut zones = Zones::new(&UtcLookup, Rc::new(Utc), &config.defaults.timezone);
    health::assess(config, &states, &mut zones, NOW)
}

fn main() {
    let (mut routes, snapshots) = synth();
    more_routes(&mut routes);
    let loaded = config::parse(&config_text()).expect("valid TOML");
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let config = loaded.config;
    println!(
        "scenario: {GROUPS} PBS groups, {snapshots} snapshots in {} namespaces, 300 PVE guests, {} services",
        NAMESPACES.len(),
        config.services.len()
    );

    // 1. Collect (decode + convert), cold.
    let mut samples = Vec::new();
    let mut collected = Vec::new();
    for _ in 0..RUNS {
        let (s, c) = measure(|| collect_all(&config, &routes));
        samples.push(s);
        collected = c;
    }
    report("1. collect PBS + PVE (cold)", samples);
    for c in &collected {
        assert!(c.result.is_ok(), "{:?}", c.result.as_ref().err());
    }

    // 2. Record + assess.
    let mut samples = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let input = collected.clone();
        let (s, a) = measure(|| assess(&config, input));
        samples.push(s);
        last = Some(a);
    }
    report("2. record + assess", samples);
    let a = last.expect("ran");
    let items: usize = a.services.iter().map(|s| s.items.len()).sum();
    let mut by_state: Vec<(&str, usize)> = Vec::new();
    for s in &a.services {
        match by_state.iter_mut().find(|(k, _)| *k == s.state.key()) {
            Some(e) => e.1 += 1,
            None => by_state.push((s.state.key(), 1)),
        }
    }
    println!(
        "   -> {items} items, {} unmapped, {} jobs; services by state: {by_state:?}",
        a.unmapped.len(),
        a.jobs.len()
    );

    // 3. History of every service.
    let mut samples = Vec::new();
    for _ in 0..RUNS {
        let (s, _) = measure(|| {
            history::service_histories(&a.services, NOW, &Utc, history::DEFAULT_DAYS).len()
        });
        samples.push(s);
    }
    report("3. 30-day history, all services", samples);

    // 4. Calendar: a month of every job, plus grids.
    let (from, to) =
        calendar::month_range(2026, 5, &Utc, calendar::DEFAULT_WEEK_START).expect("valid month");
    let mut samples = Vec::new();
    let mut occurrences = 0;
    let mut overlaps = 0;
    for _ in 0..RUNS {
        let (s, _) = measure(|| {
            let cal = calendar::expand(&a, from, to);
            let m = calendar::month_grid(&cal, 2026, 5, &Utc, calendar::DEFAULT_WEEK_START);
            let w = calendar::week_grid(&cal, NOW, &Utc, calendar::DEFAULT_WEEK_START);
            occurrences = cal.occurrences.len();
            overlaps = cal
                .occurrences
                .iter()
                .filter(|o| !o.overlaps.is_empty())
                .count();
            m.cells.len() + w.days.len()
        });
        samples.push(s);
    }
    let median = report("4. calendar month + grids", samples);
    let scheduled = a
        .jobs
        .iter()
        .filter(|j| j.enabled && j.schedule.is_some())
        .count();
    println!(
        "   -> {occurrences} occurrences of {scheduled} schedules over 6 weeks, {overlaps} flagged overlapping; {:.3} ms per schedule",
        median / scheduled as f64
    );

    // 5. Raw expansion of each schedule over the month, without outcomes or grids.
    for j in a.jobs.iter().filter(|j| j.enabled) {
        let Some(schedule) = &j.schedule else {
            continue;
        };
        let mut samples = Vec::new();
        let mut n = 0;
        for _ in 0..RUNS {
            let (s, c) = measure(|| schedule.occurrences(from, to, j.zone.zone()).count());
            samples.push(s);
            n = c;
        }
        report(
            &format!(
                "5. expand {:<14} ({n:>4} occ.)",
                j.job.label.chars().take(14).collect::<String>()
            ),
            samples,
        );
    }
}
