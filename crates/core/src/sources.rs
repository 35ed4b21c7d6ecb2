//! Sources: wire types, decoding and collection, without I/O.
//!
//! Each source is read by a [`Collector`]: a small state machine that says which HTTP
//! requests to make ([`HttpRequest`]), is handed each response as bytes ([`HttpResponse`])
//! and finally yields the converted [`SourceData`]. The widget shell only executes the
//! requests (concurrently, in the browser); native tests, the simulator's tests and the
//! benchmarks drive the same collectors with fixture bytes.
//!
//! Paths in requests are relative to the source's proxy base (for example `/api/pbs`):
//! the collector knows the base from its config and returns full same-origin paths.
//!
//! - [`pbs`], [`pve`], [`databasement`], [`backrest`]: one module per product, each with
//!   `wire` (the API's JSON, mirrored), a collector (request sequence, partial failure) and
//!   a converter into the [`model`](crate::model). Each module's docs list its requests and
//!   round trips.
//! - [`merge`]: several instances into one view ("PBS via PVE" duplicates dropped).
//! - [`http`]: status classification, bounded body excerpts, decoding with JSON paths.
//! - [`drive`]: a synchronous driver for tests, the simulator and benchmarks.
//!
//! Collectors never panic on outside data (the wasm build aborts on panic): no `unwrap`,
//! no indexing and no byte slicing of response text; every error is a typed
//! [`SourceError`] that keeps its cause.

use std::fmt;

use crate::model::{Epoch, SourceData, SourceId};

/// HTTP method. GETs carry no body and **no Content-Type** (PBS ignores query
/// parameters when a GET has `Content-Type: application/json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET without body and without Content-Type.
    Get,
    /// Only Backrest's Connect RPC (JSON body, `Content-Type: application/json`).
    Post,
}

/// Identifies a request within one collection run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u32);

/// A request the shell must perform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    /// Identifies the request when its response is handed back.
    pub id: RequestId,
    /// GET or POST.
    pub method: Method,
    /// Same-origin path including the proxy base and the query string,
    /// e.g. `/api/pbs/api2/json/admin/datastore/store1/groups?ns=lab`.
    pub path: String,
    /// Extra request headers (e.g. `Accept: application/json` for Databasement).
    pub headers: Vec<(String, String)>,
    /// Body for POST (JSON text).
    pub body: Option<String>,
}

/// A response as received: status, content type and body text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type` header, if any (PBS 401s have none).
    pub content_type: Option<String>,
    /// Body text (the shell decodes bytes lossily as UTF-8).
    pub body: String,
}

/// Why a request produced no response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// Connection refused, DNS, CORS, aborted by the network layer.
    Network(String),
    /// No response within the client timeout.
    Timeout {
        /// The client timeout.
        after_ms: u32,
    },
    /// Superseded by a newer refresh; not an error worth showing.
    Aborted,
    /// The body grew past the client's limit and reading stopped (a runaway upstream).
    TooLarge {
        /// The limit in bytes.
        limit_bytes: u64,
    },
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Network(m) => write!(f, "network error: {m}"),
            TransportError::Timeout { after_ms } => write!(f, "no response after {after_ms} ms"),
            TransportError::Aborted => write!(f, "request aborted"),
            TransportError::TooLarge { limit_bytes } => {
                write!(
                    f,
                    "response larger than {} MiB refused",
                    limit_bytes / (1024 * 1024)
                )
            }
        }
    }
}

/// The outcome of reading one source instance.
#[derive(Clone, Debug, PartialEq)]
pub struct Collected {
    /// The instance.
    pub source: SourceId,
    /// When collection finished (the `now` passed in).
    pub at: Epoch,
    /// `Ok` when the essential endpoints answered (optional endpoints may have failed and
    /// are listed in `SourceData::warnings`); `Err` when the source as a whole is unreadable.
    pub result: Result<SourceData, crate::sources::SourceError>,
    /// State to hand to the next collection of the same instance (PBS snapshot listings,
    /// Backrest operation counts), so unchanged data is not fetched again. Kept even when
    /// `result` is `Err`, so a failed refresh does not throw away what is known.
    pub cache: Option<SourceCache>,
    /// Requests, round trips and bytes of this collection.
    pub stats: CollectStats,
}

/// Counters of one collection run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CollectStats {
    /// Requests issued.
    pub requests: u32,
    /// Length of the longest request chain (sequential round trips).
    pub round_trips: u32,
    /// Responses that were not 2xx, plus transport errors.
    pub failed: u32,
    /// Body bytes received.
    pub bytes_received: u64,
}

/// Per-source state carried from one collection to the next (see [`Collected::cache`]).
#[derive(Clone, Debug, PartialEq)]
pub enum SourceCache {
    /// Snapshot listings of PBS groups.
    Pbs(pbs::PbsCache),
    /// Per-plan operation summaries of Backrest.
    Backrest(backrest::BackrestCache),
}

/// A sans-IO reader of one source instance.
pub trait Collector {
    /// The requests to start with.
    fn start(&mut self) -> Vec<HttpRequest>;
    /// Hand in the response (or transport error) for a request; returns follow-up requests.
    fn on_response(
        &mut self,
        id: RequestId,
        response: Result<HttpResponse, TransportError>,
    ) -> Vec<HttpRequest>;
    /// True when no request is outstanding and no follow-up will come.
    fn is_done(&self) -> bool;
    /// Convert everything received into the domain model. `now` is only recorded.
    fn finish(self: Box<Self>, now: Epoch) -> Collected;
    /// A provisional result while only slow detail requests are still outstanding, at most
    /// once per collection (the shell renders it and replaces it with [`Collector::finish`]'s).
    /// PBS offers one once its groups are in and only snapshot listings remain: those read
    /// one manifest per snapshot and can take seconds on a big datastore, while the groups
    /// already carry counts and last backups. Carries no cache.
    fn partial(&mut self, now: Epoch) -> Option<Collected> {
        let _ = now;
        None
    }
}

mod de;
pub mod drive;
mod error;
mod flight;
pub mod http;
pub mod merge;
pub(crate) mod util;

pub mod backrest;
pub mod databasement;
pub mod pbs;
pub mod pve;

pub use error::SourceError;
