//! Decode + convert benchmark for the PBS source on a synthetic large datastore.
//!
//! 300 groups × ~35 snapshots (10,000+ snapshots) across 5 namespaces, with realistic
//! fields (files with crypt-mode and size, verification UPIDs, comments, owners,
//! fingerprints, protected flags, one in-progress snapshot per 10 groups). A full cold
//! collection (every namespace listed) and a warm one (cache hit: groups only) run through
//! the real `PbsCollector`, answered from memory. Prints median and spread over several
//! runs, bytes processed, and allocations (a counting global allocator).
//!
//! Run: `cargo run -p backwatch-core --release --example decode_bench`

#[path = "support/measure.rs"]
mod measure;
#[path = "support/pbs_synth.rs"]
mod pbs_synth;

use std::collections::HashMap;
use std::time::Duration;

use backwatch_core::sources::drive;
use backwatch_core::sources::http::decode;
use backwatch_core::sources::pbs::wire::{Envelope, SnapshotListItem};
use backwatch_core::sources::pbs::{PbsCache, PbsCollector, PbsSettings};
use backwatch_core::sources::{Collected, HttpResponse, SourceCache};
use measure::{Sample, measure, respond};
use pbs_synth::{GROUPS, NAMESPACES, NOW, synth};

const RUNS: usize = 15;

fn settings() -> PbsSettings {
    let mut s = PbsSettings::new("bench", "/api/pbs");
    s.datastores = Some(vec!["store1".into()]);
    s
}

fn report(name: &str, mut samples: Vec<Sample>, bytes: usize) {
    samples.sort_by_key(|s| s.time);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let median = ms(samples[samples.len() / 2].time);
    let min = ms(samples[0].time);
    let max = ms(samples[samples.len() - 1].time);
    let mb = bytes as f64 / 1e6;
    println!(
        "{name:<34} median {median:8.2} ms  (min {min:7.2}, max {max:7.2}, n={})  {:7.1} MB/s  allocs {:>8}  alloc bytes {:>6.1} MB",
        samples.len(),
        mb / (median / 1e3),
        samples[0].allocs,
        samples[0].alloc_bytes as f64 / 1e6,
    );
}

fn main() {
    let (routes, snapshots) = synth();
    let listing_bytes: usize = routes
        .iter()
        .filter(|(k, _)| k.contains("/snapshots"))
        .map(|(_, v)| v.len())
        .sum();
    let all_bytes: usize = routes.values().map(String::len).sum();
    println!(
        "synthetic PBS: {GROUPS} groups, {snapshots} snapshots in {} namespaces; snapshot listings {:.2} MB, all bodies {:.2} MB",
        NAMESPACES.len(),
        listing_bytes as f64 / 1e6,
        all_bytes as f64 / 1e6
    );

    // 1. serde only: the snapshot listings into wire types.
    let listings: Vec<HttpResponse> = routes
        .iter()
        .filter(|(k, _)| k.contains("/snapshots"))
        .map(|(k, _)| respond(&routes, k))
        .collect();
    let mut samples = Vec::new();
    let mut decoded = 0;
    for _ in 0..RUNS {
        samples.push(
            measure(|| {
                decoded = 0;
                for r in &listings {
                    let env: Envelope<Vec<SnapshotListItem>> =
                        decode("/bench", r).unwrap_or_else(|e| panic!("{e}"));
                    decoded += env.data.len();
                }
            })
            .0,
        );
    }
    assert_eq!(decoded, snapshots);
    report("decode snapshot listings (serde)", samples, listing_bytes);

    // 2. A cold collection: everything decoded and converted, listings cached.
    let mut samples = Vec::new();
    let mut last: Option<Collected> = None;
    for _ in 0..RUNS {
        samples.push(
            measure(|| {
                let c = PbsCollector::new(settings(), PbsCache::new(), NOW);
                let (collected, _) =
                    drive::run(Box::new(c), NOW, |r| Ok(respond(&routes, &r.path)));
                last = Some(collected);
            })
            .0,
        );
    }
    report("cold collection (decode+convert)", samples, all_bytes);
    let collected = last.take().expect("ran");
    let data = collected.result.as_ref().expect("ok");
    let runs: usize = data.backups.iter().map(|b| b.runs.len()).sum();
    println!(
        "  -> {} backup sets, {runs} runs, {} requests, {} round trips",
        data.backups.len(),
        collected.stats.requests,
        collected.stats.round_trips
    );
    let Some(SourceCache::Pbs(cache)) = collected.cache.clone() else {
        panic!("no cache")
    };

    // 3. A warm refresh: groups only, listings from the cache.
    let group_bytes: usize = routes
        .iter()
        .filter(|(k, _)| !k.contains("/snapshots"))
        .map(|(_, v)| v.len())
        .sum();
    let mut samples = Vec::new();
    for _ in 0..RUNS {
        let cache = cache.clone();
        samples.push(
            measure(|| {
                let c = PbsCollector::new(settings(), cache, NOW + 60);
                let (collected, trace) =
                    drive::run(Box::new(c), NOW + 60, |r| Ok(respond(&routes, &r.path)));
                assert!(trace.paths().iter().all(|p| !p.contains("/snapshots")));
                last = Some(collected);
            })
            .0,
        );
    }
    report("warm refresh (cache hit)", samples, group_bytes);
    let collected = last.take().expect("ran");
    let data = collected.result.as_ref().expect("ok");
    assert_eq!(data.backups, collected_backups_cold(&routes));
    println!(
        "  -> warm result equals the cold one ({} requests)",
        collected.stats.requests
    );
}

fn collected_backups_cold(
    routes: &HashMap<String, String>,
) -> Vec<backwatch_core::model::BackupSet> {
    let c = PbsCollector::new(settings(), PbsCache::new(), NOW + 60);
    let (collected, _) = drive::run(Box::new(c), NOW + 60, |r| Ok(respond(routes, &r.path)));
    collected.result.expect("ok").backups
}
