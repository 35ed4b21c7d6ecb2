//! The Databasement collector.

use super::{DatabasementSettings, convert, wire};
use crate::model::Epoch;
use crate::sources::flight::{Flight, join};
use crate::sources::http::{check, decode};
use crate::sources::{
    Collected, Collector, HttpRequest, HttpResponse, RequestId, SourceError, TransportError,
};

#[derive(Clone, Copy, Debug)]
enum Key {
    Servers { page: u32 },
    Schedules,
    Snapshots { page: u32 },
    FailedJobs,
}

/// Everything received, in wire form.
#[derive(Default)]
pub(crate) struct Received {
    pub servers: Vec<(u32, Vec<wire::DatabaseServer>)>,
    pub schedules: Option<Vec<wire::BackupSchedule>>,
    /// `false` when the schedules endpoint does not exist (old versions).
    pub schedules_missing: bool,
    pub snapshots: Vec<wire::Snapshot>,
    /// Paging reached the last page: every snapshot row was seen.
    pub history_complete: bool,
    pub failed_jobs: Vec<wire::Job>,
    pub warnings: Vec<String>,
}

/// Reads one Databasement instance. See the [module docs](super) for the request sequence.
pub struct DatabasementCollector {
    settings: DatabasementSettings,
    now: Epoch,
    flight: Flight<Key>,
    rx: Received,
    fatal: Option<SourceError>,
    started: bool,
}

impl DatabasementCollector {
    /// A collector for one refresh; `now` bounds the snapshot window.
    pub fn new(settings: DatabasementSettings, now: Epoch) -> Self {
        DatabasementCollector {
            settings,
            now,
            flight: Flight::new(),
            rx: Received::default(),
            fatal: None,
            started: false,
        }
    }

    fn get(&mut self, key: Key, depth: u32, path: &str) -> HttpRequest {
        let full = join(&self.settings.base, &format!("/api/v1{path}"));
        let mut headers = vec![("Accept".to_owned(), "application/json".to_owned())];
        if let Some(org) = &self.settings.organization {
            headers.push(("X-Organization-Id".to_owned(), org.clone()));
        }
        self.flight.get(key, depth, full, headers)
    }

    fn servers_page(&mut self, page: u32, depth: u32) -> HttpRequest {
        let path = if page <= 1 {
            "/database-servers?per_page=100".to_owned()
        } else {
            format!("/database-servers?per_page=100&page={page}")
        };
        self.get(Key::Servers { page }, depth, &path)
    }

    fn snapshots_page(&mut self, page: u32, depth: u32) -> HttpRequest {
        let path = if page <= 1 {
            "/snapshots?per_page=100&sort=-started_at".to_owned()
        } else {
            format!("/snapshots?per_page=100&sort=-started_at&page={page}")
        };
        self.get(Key::Snapshots { page }, depth, &path)
    }

    fn warn(&mut self, what: &str, e: &SourceError) {
        self.rx.warnings.push(format!("{what}: {e}"));
    }

    fn on_ok(&mut self, key: Key, path: &str, resp: &HttpResponse, depth: u32) -> Vec<HttpRequest> {
        let mut follow = Vec::new();
        match key {
            Key::Servers { page } => match decode::<wire::Page<wire::DatabaseServer>>(path, resp) {
                Ok(p) => {
                    if page <= 1 {
                        let last = p
                            .meta
                            .as_ref()
                            .and_then(|m| m.last_page)
                            .and_then(|l| u32::try_from(l).ok())
                            .unwrap_or(1);
                        let cap = self.settings.max_pages.max(1);
                        if last > cap {
                            self.rx.warnings.push(format!(
                                "database servers: only the first {cap} of {last} pages read"
                            ));
                        }
                        for n in 2..=last.min(cap) {
                            follow.push(self.servers_page(n, depth + 1));
                        }
                    }
                    self.rx.servers.push((page, p.data));
                }
                Err(e) => self.server_page_failed(page, e),
            },
            Key::Schedules => match decode::<wire::Page<wire::BackupSchedule>>(path, resp) {
                Ok(p) => self.rx.schedules = Some(p.data),
                Err(e) => self.warn("backup schedules", &e),
            },
            Key::Snapshots { page } => match decode::<wire::Page<wire::Snapshot>>(path, resp) {
                Ok(p) => {
                    let window_start = self
                        .now
                        .saturating_sub(i64::from(self.settings.window_secs));
                    let oldest = p.data.iter().filter_map(convert::row_start).min();
                    let (current, last) = p
                        .meta
                        .as_ref()
                        .map(|m| {
                            (
                                m.current_page.unwrap_or(i64::from(page)),
                                m.last_page.unwrap_or(1),
                            )
                        })
                        .unwrap_or((i64::from(page), i64::from(page)));
                    let empty = p.data.is_empty();
                    self.rx.snapshots.extend(p.data);
                    if empty || current >= last {
                        self.rx.history_complete = true;
                    } else if oldest.is_some_and(|o| o < window_start) {
                        // The window is covered.
                    } else if page >= self.settings.max_pages {
                        self.rx.warnings.push(format!(
                            "snapshots: stopped after {page} pages ({} rows) before covering the window",
                            self.rx.snapshots.len()
                        ));
                    } else {
                        follow.push(self.snapshots_page(page + 1, depth + 1));
                    }
                }
                Err(e) => self.snapshot_page_failed(page, e),
            },
            Key::FailedJobs => match decode::<wire::Page<wire::Job>>(path, resp) {
                Ok(p) => self.rx.failed_jobs = p.data,
                Err(e) => self.warn("failed job messages", &e),
            },
        }
        follow
    }

    fn server_page_failed(&mut self, page: u32, e: SourceError) {
        if page <= 1 {
            self.fatal.get_or_insert(e);
        } else {
            self.warn(&format!("database servers page {page}"), &e);
        }
    }

    fn snapshot_page_failed(&mut self, page: u32, e: SourceError) {
        if page <= 1 {
            self.fatal.get_or_insert(e);
        } else {
            self.warn(&format!("snapshots page {page}"), &e);
        }
    }

    fn on_error(&mut self, key: Key, e: SourceError) {
        match key {
            Key::Servers { page } => self.server_page_failed(page, e),
            Key::Snapshots { page } => self.snapshot_page_failed(page, e),
            Key::Schedules => {
                if matches!(e, SourceError::Status { status: 404, .. }) {
                    self.rx.schedules_missing = true;
                } else {
                    self.warn("backup schedules", &e);
                }
            }
            Key::FailedJobs => self.warn("failed job messages", &e),
        }
    }
}

impl Collector for DatabasementCollector {
    fn start(&mut self) -> Vec<HttpRequest> {
        if self.started {
            return Vec::new();
        }
        self.started = true;
        let mut out = vec![
            self.servers_page(1, 1),
            self.get(Key::Schedules, 1, "/backup-schedules?per_page=100"),
            self.snapshots_page(1, 1),
        ];
        if self.settings.failed_job_messages {
            out.push(self.get(
                Key::FailedJobs,
                1,
                "/jobs?filter[status]=failed&filter[type]=backup&per_page=100",
            ));
        }
        out
    }

    fn on_response(
        &mut self,
        id: RequestId,
        response: Result<HttpResponse, TransportError>,
    ) -> Vec<HttpRequest> {
        let Some(pending) = self.flight.take(id, &response) else {
            return Vec::new();
        };
        match check(&pending.path, response) {
            Ok(resp) => self.on_ok(pending.key, &pending.path, &resp, pending.depth),
            Err(e) => {
                self.on_error(pending.key, e);
                Vec::new()
            }
        }
    }

    fn is_done(&self) -> bool {
        self.started && self.flight.idle()
    }

    fn finish(self: Box<Self>, now: Epoch) -> Collected {
        let me = *self;
        let source = me.settings.source_id();
        let result = match me.fatal {
            Some(e) => Err(e),
            None => Ok(convert::source_data(&source, &me.settings, me.rx)),
        };
        Collected {
            source,
            at: now,
            result,
            cache: None,
            stats: me.flight.stats,
        }
    }
}
