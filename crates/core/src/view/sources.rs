//! Per-source notices: a source that cannot be read (unreachable, credentials rejected,
//! permission denied, bad responses) or whose data went stale gets a notice saying what
//! happened, how old the data still shown is, and what to do; the others are summed up in
//! one short "ok" line. Every source appears exactly once, in one or the other.

use crate::display;
use crate::model::{Epoch, SourceId};
use crate::state::{Availability, ErrorKind, SourceStatus};

/// Longest error detail shown (the source's own message, untrusted text).
const DETAIL_MAX: usize = 300;

/// A source that needs a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// [`crate::model::SourceKind::key`]: `pbs`, `pve`, `databasement`, `backrest`.
    pub kind: &'static str,
    /// The instance name from the config.
    pub name: String,
    /// [`Availability::key`]: `loading`, `ok` (read, with warnings), `error`, `stale`.
    pub state: &'static str,
    /// `credentials rejected for PBS pbs-main — check the token file`.
    pub message: String,
    /// `showing data from 12 min ago`, `no data from it yet`; `None` when it is fine.
    pub data_age: Option<String>,
    /// The error as read (path, status, body excerpt), bounded.
    pub detail: Option<String>,
    /// `next attempt in 10 min` while credentials problems hold retries back.
    pub next_attempt: Option<String>,
    /// Offer a retry button.
    pub retry: bool,
    /// Non-fatal problems of the last good read.
    pub warnings: Vec<String>,
}

/// A source that is fine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OkSource {
    /// Kind key.
    pub kind: &'static str,
    /// Instance name.
    pub name: String,
    /// `PBS pbs-main`.
    pub label: String,
    /// `read 2 min ago`.
    pub title: String,
}

/// Every source, split into notices and the ok line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourcesView {
    /// Sources needing a word, in configuration order.
    pub notices: Vec<Notice>,
    /// Sources that are fine.
    pub ok: Vec<OkSource>,
    /// Configured sources.
    pub total: usize,
    /// Sources not read yet (first attempt in flight).
    pub loading: usize,
}

impl SourcesView {
    /// `all 4 sources ok`, `2 of 4 sources ok`, `no sources configured`. A source read
    /// with warnings counts as ok (its notice lists them).
    pub fn ok_line(&self) -> String {
        let bad = self.notices.iter().filter(|n| n.state != "ok").count();
        let ok = self.total.saturating_sub(bad);
        if self.total == 0 {
            "no sources configured".to_owned()
        } else if ok == self.total {
            if self.total == 1 {
                "source ok".to_owned()
            } else {
                format!("all {} sources ok", self.total)
            }
        } else {
            format!("{ok} of {} sources ok", self.total)
        }
    }

    /// Every source is fine (no error, stale or loading notice).
    pub fn all_ok(&self) -> bool {
        self.notices.iter().all(|n| n.state == "ok")
    }

    /// Nothing has been read yet from any source (show a skeleton, not verdicts).
    pub fn nothing_read(&self) -> bool {
        self.total > 0 && self.loading == self.total
    }
}

/// What went wrong, naming the source: `credentials rejected for PBS pbs-main — check the
/// token file`.
pub fn failure_message(kind: ErrorKind, id: &SourceId) -> String {
    match kind {
        ErrorKind::Unreachable => format!("cannot reach {id} through the proxy"),
        ErrorKind::Unauthorized => {
            format!("credentials rejected for {id} — check the token file")
        }
        ErrorKind::Forbidden => {
            format!("permission denied for {id} — check the token's privileges")
        }
        ErrorKind::BadResponse => format!("unexpected response from {id}"),
    }
}

fn bounded(text: &str) -> String {
    let mut out: String = text.chars().take(DETAIL_MAX).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// The notices and the ok line for `statuses` at `now`.
pub fn sources_view(statuses: &[SourceStatus], now: Epoch) -> SourcesView {
    let mut view = SourcesView {
        total: statuses.len(),
        ..SourcesView::default()
    };
    for s in statuses {
        let kind = s.id.kind.key();
        let data_age = || {
            Some(match s.last_good {
                Some(t) => format!("showing data from {}", display::relative(t, now)),
                None => "no data from it yet".to_owned(),
            })
        };
        let failure_text = s.failure.as_ref().map(|f| failure_message(f.kind, &s.id));
        let detail = s.failure.as_ref().map(|f| bounded(&f.error.to_string()));
        let next_attempt = s
            .next_attempt
            .map(|t| format!("next attempt {}", display::relative(t, now)));
        let notice = match s.availability {
            Availability::Ok if s.warnings.is_empty() => {
                view.ok.push(OkSource {
                    kind,
                    name: s.id.name.clone(),
                    label: s.id.to_string(),
                    title: s
                        .last_good
                        .map(|t| format!("{}: read {}", s.id, display::relative(t, now)))
                        .unwrap_or_else(|| s.id.to_string()),
                });
                continue;
            }
            Availability::Ok => Notice {
                kind,
                name: s.id.name.clone(),
                state: "ok",
                message: format!("{} read, with warnings", s.id),
                data_age: None,
                detail: None,
                next_attempt: None,
                retry: false,
                warnings: s.warnings.iter().map(|w| bounded(w)).collect(),
            },
            Availability::Loading => {
                view.loading += 1;
                Notice {
                    kind,
                    name: s.id.name.clone(),
                    state: "loading",
                    message: format!("reading {}…", s.id),
                    data_age: None,
                    detail: None,
                    next_attempt: None,
                    retry: false,
                    warnings: Vec::new(),
                }
            }
            Availability::Error => Notice {
                kind,
                name: s.id.name.clone(),
                state: "error",
                message: failure_text.unwrap_or_else(|| format!("{} cannot be read", s.id)),
                data_age: data_age(),
                detail,
                next_attempt,
                retry: true,
                warnings: Vec::new(),
            },
            Availability::Stale => Notice {
                kind,
                name: s.id.name.clone(),
                state: "stale",
                message: match failure_text {
                    Some(f) => format!("{f}; its data is stale"),
                    None => format!("data from {} is stale", s.id),
                },
                data_age: data_age(),
                detail,
                next_attempt,
                retry: true,
                warnings: Vec::new(),
            },
        };
        view.notices.push(notice);
    }
    view
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceKind;
    use crate::sources::SourceError;
    use crate::state::Failure;

    const NOW: Epoch = 1_779_070_800;

    fn id(kind: SourceKind, name: &str) -> SourceId {
        SourceId {
            kind,
            name: name.into(),
        }
    }

    fn status(id: SourceId, availability: Availability) -> SourceStatus {
        SourceStatus {
            id,
            availability,
            last_good: None,
            last_attempt: None,
            failure: None,
            consecutive_failures: 0,
            warnings: Vec::new(),
            next_attempt: None,
        }
    }

    fn failing(
        id: SourceId,
        kind: ErrorKind,
        error: SourceError,
        last_good: Option<Epoch>,
    ) -> SourceStatus {
        SourceStatus {
            last_good,
            failure: Some(Failure {
                at: NOW - 5,
                kind,
                error,
            }),
            consecutive_failures: 1,
            ..status(id, Availability::Error)
        }
    }

    #[test]
    fn failure_messages_name_the_source_and_the_fix() {
        let pbs = id(SourceKind::Pbs, "pbs-main");
        let cases = [
            (
                ErrorKind::Unreachable,
                "cannot reach PBS pbs-main through the proxy",
            ),
            (
                ErrorKind::Unauthorized,
                "credentials rejected for PBS pbs-main — check the token file",
            ),
            (
                ErrorKind::Forbidden,
                "permission denied for PBS pbs-main — check the token's privileges",
            ),
            (
                ErrorKind::BadResponse,
                "unexpected response from PBS pbs-main",
            ),
        ];
        for (kind, want) in cases {
            assert_eq!(failure_message(kind, &pbs), want, "{kind:?}");
        }
    }

    #[test]
    fn all_ok_is_one_line() {
        let statuses = [
            SourceStatus {
                last_good: Some(NOW - 120),
                ..status(id(SourceKind::Pbs, "pbs-main"), Availability::Ok)
            },
            status(id(SourceKind::Backrest, "backrest"), Availability::Ok),
        ];
        let v = sources_view(&statuses, NOW);
        assert!(v.notices.is_empty());
        assert!(v.all_ok());
        assert_eq!(v.ok_line(), "all 2 sources ok");
        assert_eq!(v.ok[0].label, "PBS pbs-main");
        assert_eq!(v.ok[0].title, "PBS pbs-main: read 2 min ago");
        assert_eq!(v.ok[1].title, "Backrest backrest");
        assert!(!v.nothing_read());
    }

    #[test]
    fn a_failing_source_keeps_its_data_and_says_how_old() {
        let pbs = id(SourceKind::Pbs, "pbs-main");
        let err = SourceError::Unauthorized {
            path: "/api/pbs/api2/json/version".into(),
            body_excerpt: String::new(),
        };
        let mut s = failing(pbs, ErrorKind::Unauthorized, err, Some(NOW - 12 * 60));
        s.next_attempt = Some(NOW + 600);
        let statuses = [s, status(id(SourceKind::Pve, "pve"), Availability::Ok)];
        let v = sources_view(&statuses, NOW);
        assert_eq!(v.ok_line(), "1 of 2 sources ok");
        let n = &v.notices[0];
        assert_eq!(
            (n.kind, n.name.as_str(), n.state),
            ("pbs", "pbs-main", "error")
        );
        assert_eq!(
            n.message,
            "credentials rejected for PBS pbs-main — check the token file"
        );
        assert_eq!(n.data_age.as_deref(), Some("showing data from 12 min ago"));
        assert_eq!(n.next_attempt.as_deref(), Some("next attempt in 10 min"));
        assert!(n.retry);
        assert!(
            n.detail.as_deref().is_some_and(|d| d.contains("/api/pbs")),
            "{:?}",
            n.detail
        );
    }

    #[test]
    fn stale_loading_and_warnings() {
        let statuses = [
            SourceStatus {
                last_good: Some(NOW - 3 * 3600),
                ..status(id(SourceKind::Pbs, "pbs-main"), Availability::Stale)
            },
            status(id(SourceKind::Pve, "pve"), Availability::Loading),
            SourceStatus {
                warnings: vec!["datastore usb-offsite: not mounted".into()],
                ..status(id(SourceKind::Databasement, "db"), Availability::Ok)
            },
            failing(
                id(SourceKind::Backrest, "br"),
                ErrorKind::Unreachable,
                SourceError::Status {
                    path: "/api/backrest/x".into(),
                    status: 502,
                    body_excerpt: "x".repeat(400),
                },
                None,
            ),
        ];
        let v = sources_view(&statuses, NOW);
        let got: Vec<(&str, &str, Option<&str>)> = v
            .notices
            .iter()
            .map(|n| (n.state, n.message.as_str(), n.data_age.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "stale",
                    "data from PBS pbs-main is stale",
                    Some("showing data from 3 h ago")
                ),
                ("loading", "reading PVE pve…", None),
                ("ok", "Databasement db read, with warnings", None),
                (
                    "error",
                    "cannot reach Backrest br through the proxy",
                    Some("no data from it yet")
                ),
            ]
        );
        assert_eq!(
            v.notices[2].warnings,
            ["datastore usb-offsite: not mounted"]
        );
        let detail = v.notices[3].detail.as_deref().unwrap_or("");
        assert!(detail.ends_with('…') && detail.chars().count() == DETAIL_MAX + 1);
        assert_eq!(
            v.ok_line(),
            "1 of 4 sources ok",
            "read with warnings counts as ok"
        );
        assert!(!v.all_ok());
        assert_eq!(v.loading, 1);
        assert!(!v.nothing_read());
        let all_loading = [status(id(SourceKind::Pve, "pve"), Availability::Loading)];
        assert!(sources_view(&all_loading, NOW).nothing_read());
        assert_eq!(sources_view(&[], NOW).ok_line(), "no sources configured");
    }
}
