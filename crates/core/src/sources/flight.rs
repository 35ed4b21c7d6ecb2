//! Book-keeping of in-flight requests, shared by the collectors: request ids, which logical
//! endpoint each id stands for, the request depth (round trips) and statistics.

use super::{CollectStats, HttpRequest, HttpResponse, Method, RequestId, TransportError};

/// One in-flight request: what it was for, its path and how deep in the request chain it is.
pub(crate) struct Pending<K> {
    pub key: K,
    pub path: String,
    /// 1 for requests from `start()`, parent + 1 for follow-ups.
    pub depth: u32,
}

/// Allocates request ids and remembers what each outstanding request is for.
///
/// A plain `Vec` (a few dozen entries at most): a map per key type would add a large
/// generic instantiation to the wasm for each collector.
pub(crate) struct Flight<K> {
    next_id: u32,
    pending: Vec<(RequestId, Pending<K>)>,
    pub stats: CollectStats,
}

impl<K> Flight<K> {
    pub fn new() -> Self {
        Flight {
            next_id: 0,
            pending: Vec::new(),
            stats: CollectStats::default(),
        }
    }

    fn issue(
        &mut self,
        key: K,
        depth: u32,
        method: Method,
        path: String,
        headers: Vec<(String, String)>,
        body: Option<String>,
    ) -> HttpRequest {
        let id = RequestId(self.next_id);
        self.next_id = self.next_id.wrapping_add(1);
        self.stats.requests += 1;
        self.stats.round_trips = self.stats.round_trips.max(depth);
        self.pending.push((
            id,
            Pending {
                key,
                path: path.clone(),
                depth,
            },
        ));
        HttpRequest {
            id,
            method,
            path,
            headers,
            body,
        }
    }

    /// A GET (never with a Content-Type).
    pub fn get(
        &mut self,
        key: K,
        depth: u32,
        path: String,
        headers: Vec<(String, String)>,
    ) -> HttpRequest {
        self.issue(key, depth, Method::Get, path, headers, None)
    }

    /// A JSON POST (`Content-Type: application/json`).
    pub fn post_json(&mut self, key: K, depth: u32, path: String, body: String) -> HttpRequest {
        let headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
        self.issue(key, depth, Method::Post, path, headers, Some(body))
    }

    /// Takes the pending entry of a response; `None` for an unknown or repeated id.
    pub fn take(
        &mut self,
        id: RequestId,
        response: &Result<HttpResponse, TransportError>,
    ) -> Option<Pending<K>> {
        let index = self.pending.iter().position(|(i, _)| *i == id)?;
        let (_, pending) = self.pending.swap_remove(index);
        match response {
            Ok(r) => {
                self.stats.bytes_received = self
                    .stats
                    .bytes_received
                    .saturating_add(r.body.len() as u64);
                if !(200..300).contains(&r.status) {
                    self.stats.failed += 1;
                }
            }
            Err(_) => self.stats.failed += 1,
        }
        Some(pending)
    }

    /// True when nothing is outstanding.
    pub fn idle(&self) -> bool {
        self.pending.is_empty()
    }

    /// True when something is outstanding and every outstanding request's key passes `f`.
    pub fn only_pending(&self, f: impl Fn(&K) -> bool) -> bool {
        !self.pending.is_empty() && self.pending.iter().all(|(_, p)| f(&p.key))
    }
}

/// Percent-encodes a query value (keeps unreserved characters and `/`).
pub(crate) fn query_value(s: &str) -> String {
    encode(s, b"-_.~/")
}

/// Percent-encodes one path segment (keeps unreserved characters).
pub(crate) fn path_segment(s: &str) -> String {
    encode(s, b"-_.~")
}

fn encode(s: &str, keep: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

/// Joins a proxy base (`/api/pbs`, `/api/pbs/`) and an absolute path.
pub(crate) fn join(base: &str, path: &str) -> String {
    let base = base.trim_end_matches('/');
    format!("{base}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding() {
        assert_eq!(query_value("lab/old"), "lab/old");
        assert_eq!(query_value("a b&c=ü"), "a%20b%26c%3D%C3%BC");
        assert_eq!(path_segment("pbs-store1"), "pbs-store1");
        assert_eq!(path_segment("a/b"), "a%2Fb");
        assert_eq!(
            join("/api/pbs/", "/api2/json/version"),
            "/api/pbs/api2/json/version"
        );
    }
}
