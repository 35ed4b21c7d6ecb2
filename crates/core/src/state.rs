//! Source state across refreshes: the last good data, the last failure, staleness and
//! back-off.
//!
//! The widget keeps one [`SourceStates`] for the life of the page. Each refresh it asks
//! [`crate::assemble::collectors`] for the collectors that are due, runs them, and hands
//! every [`Collected`] to [`SourceStates::record`]. Nothing here reads a clock.
//!
//! # Rules
//! - **Keep the last good data.** A failed refresh never throws away what was read before
//!   (nor the collector cache); one source failing never touches the others.
//! - **Availability** at `now` ([`Availability`]): `Loading` until the first attempt
//!   finishes; `Ok` when the latest attempt succeeded and its data is younger than
//!   `stale_after`; `Error` when the latest attempt failed (the last good data, if any, is
//!   kept and still younger than `stale_after`); `Stale` when the last good data is older
//!   than `stale_after`, whatever the latest attempt did (a hidden tab that stopped
//!   refreshing goes stale without any error).
//! - Only `Ok` is **usable** for judging backups: health treats the items of an `Error`,
//!   `Stale` or `Loading` source as unknown (and keeps the verdict the old data gave as
//!   "last known").
//! - **401 and 403 are configuration errors** ("credentials rejected — check the token
//!   file"; "permission denied — check the token's privileges"): retrying every refresh
//!   only burns expensive PBS token authentications and cannot help, so the next attempt
//!   waits `refresh × 2^n` (n = consecutive configuration failures, at least two refresh
//!   intervals, at most one hour). [`SourceStates::retry_now`] lifts the wait (a "retry"
//!   button). Network errors, timeouts, 5xx and undecodable answers are retried every
//!   refresh.
//! - A request aborted because a newer refresh superseded it is not a failure: only the
//!   collector cache is kept.

use std::fmt;

use crate::assemble::Caches;
use crate::config::Config;
use crate::model::{Epoch, SourceData, SourceId};
use crate::sources::{Collected, SourceError, TransportError};

/// What kind of failure made a source unreadable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// No answer: network error, timeout, or the proxy could not reach the API
    /// (HTTP 502, 503, 504).
    Unreachable,
    /// HTTP 401: the API token was rejected.
    Unauthorized,
    /// HTTP 403: the token lacks a privilege.
    Forbidden,
    /// Any other status, or a body that did not decode.
    BadResponse,
}

impl ErrorKind {
    /// Classifies a source error.
    pub fn of(e: &SourceError) -> ErrorKind {
        match e {
            SourceError::Transport {
                error: TransportError::TooLarge { .. },
                ..
            } => ErrorKind::BadResponse,
            SourceError::Transport { .. } => ErrorKind::Unreachable,
            SourceError::Unauthorized { .. } => ErrorKind::Unauthorized,
            SourceError::Forbidden { .. } => ErrorKind::Forbidden,
            SourceError::Status {
                status: 0 | 502..=504,
                ..
            } => ErrorKind::Unreachable,
            SourceError::Status { .. } | SourceError::Decode { .. } => ErrorKind::BadResponse,
        }
    }

    /// A configuration problem (401, 403) that retrying cannot fix.
    pub fn is_configuration(self) -> bool {
        matches!(self, ErrorKind::Unauthorized | ErrorKind::Forbidden)
    }

    /// Stable key: `unreachable`, `unauthorized`, `forbidden`, `bad-response`.
    pub fn key(self) -> &'static str {
        match self {
            ErrorKind::Unreachable => "unreachable",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::BadResponse => "bad-response",
        }
    }

    /// What to do about it, in plain English.
    pub fn advice(self) -> &'static str {
        match self {
            ErrorKind::Unreachable => "cannot reach the API through the proxy",
            ErrorKind::Unauthorized => "credentials rejected — check the token file",
            ErrorKind::Forbidden => "permission denied — check the token's privileges",
            ErrorKind::BadResponse => "unexpected response from the API",
        }
    }
}

/// The latest failed attempt to read a source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// When the attempt finished.
    pub at: Epoch,
    /// Classification.
    pub kind: ErrorKind,
    /// The error with its cause (path, status, body excerpt, decode path).
    pub error: SourceError,
}

impl fmt::Display for Failure {
    /// `credentials rejected — check the token file (/api/pbs/…: credentials rejected (401))`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.kind.advice(), self.error)
    }
}

/// Whether a source's data can be used at a given instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Availability {
    /// Never attempted, or the first attempt has not finished.
    Loading,
    /// The latest attempt succeeded and the data is fresh.
    Ok,
    /// The latest attempt failed; the last good data (if any) is not yet stale.
    Error,
    /// The last good data is older than `stale_after`.
    Stale,
}

impl Availability {
    /// Stable key: `loading`, `ok`, `error`, `stale`.
    pub fn key(self) -> &'static str {
        match self {
            Availability::Loading => "loading",
            Availability::Ok => "ok",
            Availability::Error => "error",
            Availability::Stale => "stale",
        }
    }
}

/// What the view shows per source.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceStatus {
    /// The source.
    pub id: SourceId,
    /// Usable or not, and why not.
    pub availability: Availability,
    /// When the last good data was read.
    pub last_good: Option<Epoch>,
    /// When the latest attempt (good or bad) finished.
    pub last_attempt: Option<Epoch>,
    /// The latest attempt's failure, when the latest attempt failed.
    pub failure: Option<Failure>,
    /// Consecutive failed attempts.
    pub consecutive_failures: u32,
    /// Non-fatal problems of the last good read (an optional endpoint failed, a datastore
    /// is not mounted).
    pub warnings: Vec<String>,
    /// Set while a configuration error (401/403) holds back the next attempt.
    pub next_attempt: Option<Epoch>,
}

/// One source's history.
#[derive(Clone, Debug)]
struct Entry {
    id: SourceId,
    good: Option<(Epoch, SourceData)>,
    attempt: Option<Epoch>,
    failure: Option<Failure>,
    failures: u32,
    config_failures: u32,
    not_before: Option<Epoch>,
}

impl Entry {
    fn new(id: SourceId) -> Self {
        Entry {
            id,
            good: None,
            attempt: None,
            failure: None,
            failures: 0,
            config_failures: 0,
            not_before: None,
        }
    }
}

/// Longest wait after configuration errors.
const MAX_BACKOFF_SECS: u64 = 3_600;

/// The state of every configured source, kept across refreshes.
#[derive(Clone, Debug)]
pub struct SourceStates {
    entries: Vec<Entry>,
    refresh_secs: u64,
    stale_after_secs: u64,
    /// Collector caches carried to the next refresh.
    pub caches: Caches,
}

impl SourceStates {
    /// Empty states (all `Loading`) for every source in `config`.
    pub fn new(config: &Config) -> Self {
        let mut s = SourceStates {
            entries: Vec::new(),
            refresh_secs: config.defaults.refresh_secs,
            stale_after_secs: config.defaults.stale_after_secs,
            caches: Caches::default(),
        };
        s.reconfigure(config);
        s
    }

    /// Follows a changed configuration: keeps what is known about sources that are still
    /// configured (same kind and name), forgets removed ones, adds new ones as `Loading`.
    pub fn reconfigure(&mut self, config: &Config) {
        self.refresh_secs = config.defaults.refresh_secs;
        self.stale_after_secs = config.defaults.stale_after_secs;
        let ids = config.sources.ids();
        let mut entries = Vec::with_capacity(ids.len());
        for id in ids {
            let pos = self.entries.iter().position(|e| &e.id == id);
            entries.push(match pos {
                Some(i) => self.entries.swap_remove(i),
                None => Entry::new(id.clone()),
            });
        }
        self.entries = entries;
        let keep: Vec<SourceId> = self.entries.iter().map(|e| e.id.clone()).collect();
        self.caches.retain(&keep);
    }

    /// Records the outcome of one collection (its `at` is the current time). The cache is
    /// kept in either case. A result for a source that is not configured is ignored.
    pub fn record(&mut self, collected: Collected) {
        let Collected {
            source,
            at,
            result,
            cache,
            ..
        } = collected;
        let Some(entry) = self.entries.iter_mut().find(|e| e.id == source) else {
            return;
        };
        if let Some(cache) = cache {
            self.caches.put(source.clone(), cache);
        }
        match result {
            Ok(data) => {
                entry.good = Some((at, data));
                entry.attempt = Some(at);
                entry.failure = None;
                entry.failures = 0;
                entry.config_failures = 0;
                entry.not_before = None;
            }
            Err(SourceError::Transport {
                error: TransportError::Aborted,
                ..
            }) => {}
            Err(error) => {
                let kind = ErrorKind::of(&error);
                entry.attempt = Some(at);
                entry.failures = entry.failures.saturating_add(1);
                if kind.is_configuration() {
                    entry.config_failures = entry.config_failures.saturating_add(1);
                    let factor = 1u64 << entry.config_failures.min(12);
                    let wait = self
                        .refresh_secs
                        .saturating_mul(factor)
                        .min(MAX_BACKOFF_SECS)
                        .max(self.refresh_secs.saturating_mul(2));
                    entry.not_before = Some(at.saturating_add(i64::try_from(wait).unwrap_or(0)));
                } else {
                    entry.config_failures = 0;
                    entry.not_before = None;
                }
                entry.failure = Some(Failure { at, kind, error });
            }
        }
    }

    /// Should `id` be read at `now`? False only while a configuration error holds it back.
    pub fn is_due(&self, id: &SourceId, now: Epoch) -> bool {
        self.entries
            .iter()
            .find(|e| &e.id == id)
            .is_none_or(|e| e.not_before.is_none_or(|t| now >= t))
    }

    /// Lifts the back-off of `id` (a user asked to retry).
    pub fn retry_now(&mut self, id: &SourceId) {
        if let Some(e) = self.entries.iter_mut().find(|e| &e.id == id) {
            e.not_before = None;
        }
    }

    /// The last good data of `id` and when it was read, however old.
    pub fn data(&self, id: &SourceId) -> Option<(Epoch, &SourceData)> {
        let e = self.entries.iter().find(|e| &e.id == id)?;
        e.good.as_ref().map(|(at, d)| (*at, d))
    }

    /// Availability of `id` at `now`; `Loading` for a source that is not configured.
    pub fn availability(&self, id: &SourceId, now: Epoch) -> Availability {
        match self.entries.iter().find(|e| &e.id == id) {
            Some(e) => self.availability_of(e, now),
            None => Availability::Loading,
        }
    }

    fn availability_of(&self, e: &Entry, now: Epoch) -> Availability {
        let stale_after = i64::try_from(self.stale_after_secs).unwrap_or(i64::MAX);
        match (&e.good, &e.failure) {
            (Some((at, _)), _) if now.saturating_sub(*at) > stale_after => Availability::Stale,
            (_, Some(_)) => Availability::Error,
            (Some(_), None) => Availability::Ok,
            (None, None) => Availability::Loading,
        }
    }

    /// The status of `id` at `now`.
    pub fn status(&self, id: &SourceId, now: Epoch) -> Option<SourceStatus> {
        let e = self.entries.iter().find(|e| &e.id == id)?;
        Some(self.status_of(e, now))
    }

    fn status_of(&self, e: &Entry, now: Epoch) -> SourceStatus {
        SourceStatus {
            id: e.id.clone(),
            availability: self.availability_of(e, now),
            last_good: e.good.as_ref().map(|(at, _)| *at),
            last_attempt: e.attempt,
            failure: e.failure.clone(),
            consecutive_failures: e.failures,
            warnings: e
                .good
                .as_ref()
                .map(|(_, d)| d.warnings.clone())
                .unwrap_or_default(),
            next_attempt: e.not_before.filter(|t| *t > now),
        }
    }

    /// The status of every configured source, in configuration order.
    pub fn statuses(&self, now: Epoch) -> Vec<SourceStatus> {
        self.entries
            .iter()
            .map(|e| self.status_of(e, now))
            .collect()
    }

    /// Configured sources, in configuration order.
    pub fn ids(&self) -> impl Iterator<Item = &SourceId> {
        self.entries.iter().map(|e| &e.id)
    }
}

#[cfg(test)]
mod kind_tests {
    use super::*;

    #[test]
    fn a_refused_huge_body_is_a_bad_response_with_its_limit() {
        let e = SourceError::Transport {
            path: "/api/pbs/api2/json/admin/datastore".into(),
            error: TransportError::TooLarge {
                limit_bytes: 64 * 1024 * 1024,
            },
        };
        assert_eq!(ErrorKind::of(&e), ErrorKind::BadResponse);
        assert_eq!(
            e.to_string(),
            "/api/pbs/api2/json/admin/datastore: response larger than 64 MiB refused"
        );
        let unreachable = SourceError::Transport {
            path: "/x".into(),
            error: TransportError::Network("connection refused".into()),
        };
        assert_eq!(ErrorKind::of(&unreachable), ErrorKind::Unreachable);
    }
}
