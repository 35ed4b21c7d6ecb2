//! A synchronous driver for collectors: answers every request from a function and runs the
//! collector to completion in *waves* (all requests of one round trip, then their
//! follow-ups). Used by native tests, the simulator and the benchmark; the widget shell has
//! its own concurrent driver. The waves show the request sequence and the round trips.

use super::{Collected, Collector, HttpRequest, HttpResponse, TransportError};
use crate::model::Epoch;

/// Upper bound on waves, against a collector that never finishes.
pub const MAX_WAVES: usize = 64;
/// Upper bound on requests in one run.
pub const MAX_REQUESTS: usize = 20_000;

/// The requests of one run, grouped by round trip.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trace {
    /// `waves[0]` is what `start()` returned; `waves[n + 1]` the follow-ups of `waves[n]`.
    pub waves: Vec<Vec<HttpRequest>>,
}

impl Trace {
    /// All request paths in issue order.
    pub fn paths(&self) -> Vec<&str> {
        self.waves
            .iter()
            .flatten()
            .map(|r| r.path.as_str())
            .collect()
    }

    /// Number of requests.
    pub fn requests(&self) -> usize {
        self.waves.iter().map(Vec::len).sum()
    }

    /// Number of sequential round trips.
    pub fn round_trips(&self) -> usize {
        self.waves.len()
    }
}

/// Runs `collector` to completion, answering each request with `respond`.
pub fn run(
    collector: Box<dyn Collector>,
    now: Epoch,
    respond: impl FnMut(&HttpRequest) -> Result<HttpResponse, TransportError>,
) -> (Collected, Trace) {
    let (collected, trace, _) = run_with_partials(collector, now, respond);
    (collected, trace)
}

/// [`run`], also returning the provisional results the collector offered
/// ([`Collector::partial`]), each with the index of the wave whose answers produced it.
pub fn run_with_partials(
    mut collector: Box<dyn Collector>,
    now: Epoch,
    mut respond: impl FnMut(&HttpRequest) -> Result<HttpResponse, TransportError>,
) -> (Collected, Trace, Vec<(usize, Collected)>) {
    let mut trace = Trace::default();
    let mut partials = Vec::new();
    let mut wave = collector.start();
    let mut total = 0usize;
    while !wave.is_empty() && trace.waves.len() < MAX_WAVES && total < MAX_REQUESTS {
        total += wave.len();
        let mut next = Vec::new();
        for request in &wave {
            let response = respond(request);
            next.extend(collector.on_response(request.id, response));
            if let Some(p) = collector.partial(now) {
                partials.push((trace.waves.len(), p));
            }
        }
        trace.waves.push(wave);
        wave = next;
    }
    (collector.finish(now), trace, partials)
}
