//! Plain-English texts of verdicts. Ages only (`3 d ago`), no absolute times: those need
//! the display zone and belong to the view. The texts are pinned by
//! `tests/health_text.rs`.

use std::fmt::{self, Display, Formatter, Write as _};

use super::{
    Ago, Due, FailedRun, JobRef, NextRun, Provenance, UnknownCause, Unscheduled, Verdict,
    VerifyHealth,
};
use crate::state::{Availability, ErrorKind};

/// A span of seconds, short: `45 s`, `12 min`, `5 h`, `3 d` (negative spans as positive).
/// Minutes up to 90, hours up to 48, then days; always rounded down.
pub fn span(secs: i64) -> String {
    let s = secs.unsigned_abs();
    if s < 60 {
        format!("{s} s")
    } else if s < 90 * 60 {
        format!("{} min", s / 60)
    } else if s < 48 * 3_600 {
        format!("{} h", s / 3_600)
    } else {
        format!("{} d", s / 86_400)
    }
}

/// `3 d ago`, `in 2 h`.
fn ago(f: &mut Formatter<'_>, a: Ago) -> fmt::Result {
    if a.secs < 0 {
        write!(f, "in {}", span(a.secs))
    } else {
        write!(f, "{} ago", span(a.secs))
    }
}

fn last_backup(f: &mut Formatter<'_>, last: Option<Ago>) -> fmt::Result {
    match last {
        Some(a) => {
            f.write_str("last backup ")?;
            ago(f, a)
        }
        None => f.write_str("never backed up"),
    }
}

fn failure(f: &mut Formatter<'_>, r: &FailedRun) -> fmt::Result {
    ago(f, r.at)?;
    if let Some(m) = r
        .message
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        // One line of untrusted text, bounded.
        let line = m.lines().next().unwrap_or("");
        let mut short: String = line.chars().take(200).collect();
        if short.len() < line.len() {
            short.push('…');
        }
        write!(f, ": {short}")?;
    }
    Ok(())
}

fn runs(n: u32) -> String {
    let plus = if n >= super::MISSED_CAP { "+" } else { "" };
    if n == 1 {
        "1 run".to_owned()
    } else {
        format!("{n}{plus} runs")
    }
}

impl Display for JobRef {
    /// The label (`nightly to PBS`).
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

impl Display for Unscheduled {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Unscheduled::NoJob => f.write_str("no backup job covers it"),
            Unscheduled::NoSchedule { job } => write!(f, "the schedule of {job} is not known"),
            Unscheduled::OnlyDisabled { job } => {
                write!(f, "only the disabled job {job} covers it")
            }
            Unscheduled::NotBackedUp { source } => {
                write!(f, "{source} lists it without backup job")
            }
            Unscheduled::NoItems => f.write_str("nothing is monitored"),
        }
    }
}

impl Display for UnknownCause {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            UnknownCause::Source {
                id,
                availability,
                kind,
                last_good,
            } => {
                match (availability, kind) {
                    (Availability::Loading, _) => write!(f, "{id} not read yet")?,
                    (Availability::Stale, _) => write!(f, "{id} data is stale")?,
                    (_, Some(ErrorKind::Unreachable)) => write!(f, "{id} unreachable")?,
                    (_, Some(ErrorKind::Unauthorized)) => {
                        write!(f, "{id} rejected the credentials — check the token file")?
                    }
                    (_, Some(ErrorKind::Forbidden)) => {
                        write!(f, "{id} denied permission — check the token's privileges")?
                    }
                    (_, Some(ErrorKind::BadResponse)) => {
                        write!(f, "{id} sent an unexpected response")?
                    }
                    (_, None) => write!(f, "{id} cannot be read")?,
                }
                if let Some(t) = last_good.filter(|_| *availability != Availability::Loading) {
                    f.write_str(" (last read ")?;
                    ago(f, t)?;
                    f.write_str(")")?;
                }
                Ok(())
            }
            UnknownCause::NoSource => f.write_str("no configured source can report it"),
            UnknownCause::CoverageUnknown { source } => {
                write!(f, "{source} cannot tell which backup job covers it")
            }
            UnknownCause::Datastore {
                source,
                store,
                problem,
            } => {
                write!(f, "datastore {store} of {source} cannot be read: {problem}")
            }
            UnknownCause::BadSchedule { job, error } => {
                write!(f, "the schedule of {job} cannot be read: {error}")
            }
        }
    }
}

impl Display for Verdict {
    /// Plain English, e.g. `missed 2 runs, last backup 3 d ago`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Ok { last_success, .. } => {
                f.write_str("ok, ")?;
                last_backup(f, Some(*last_success))
            }
            Verdict::Running {
                since,
                queued_in,
                last_success,
                overdue,
            } => {
                match queued_in {
                    Some(job) => {
                        write!(f, "queued in running job {job} (started ")?;
                        ago(f, *since)?;
                        f.write_str(")")?;
                    }
                    None if last_success.is_none() => {
                        f.write_str("first backup running (started ")?;
                        ago(f, *since)?;
                        f.write_str(")")?;
                    }
                    None => {
                        f.write_str("backing up now (started ")?;
                        ago(f, *since)?;
                        f.write_str(")")?;
                    }
                }
                if last_success.is_some() {
                    f.write_str(", ")?;
                    last_backup(f, *last_success)?;
                }
                if *overdue > 0 {
                    write!(f, "; missed {} before", runs(*overdue))?;
                }
                Ok(())
            }
            Verdict::Late {
                expected,
                grace_ends,
                last_success,
                ..
            } => {
                f.write_str("late: due ")?;
                ago(f, *expected)?;
                f.write_str(", grace ends ")?;
                ago(f, *grace_ends)?;
                f.write_str("; ")?;
                last_backup(f, Some(*last_success))
            }
            Verdict::Missed {
                runs: n,
                last_success,
                last_failure,
                ..
            } => {
                write!(f, "missed {}, ", runs(*n))?;
                last_backup(f, *last_success)?;
                if let Some(r) = last_failure {
                    f.write_str("; last attempt failed ")?;
                    failure(f, r)?;
                }
                Ok(())
            }
            Verdict::Failed {
                failure: r,
                last_success,
                missed,
                retrying,
            } => {
                f.write_str("latest run failed ")?;
                failure(f, r)?;
                f.write_str("; ")?;
                match last_success {
                    Some(_) => last_backup(f, *last_success)?,
                    None => f.write_str("never succeeded")?,
                }
                if *missed > 1 {
                    write!(f, "; {} without success", runs(*missed))?;
                }
                if *retrying {
                    f.write_str("; retry running")?;
                }
                Ok(())
            }
            Verdict::Never {
                job,
                unscheduled,
                history_complete,
            } => {
                f.write_str("never backed up")?;
                if !history_complete {
                    f.write_str(" (in the history read)")?;
                }
                if let Some(job) = job {
                    write!(f, "; expected by {job}")?;
                }
                if let Some(why) = unscheduled {
                    write!(f, "; {why}")?;
                }
                Ok(())
            }
            Verdict::Unscheduled { last_success, why } => {
                write!(f, "unscheduled: {why}")?;
                if last_success.is_some() {
                    f.write_str("; ")?;
                    last_backup(f, *last_success)?;
                }
                Ok(())
            }
            Verdict::Retired { last_success } => {
                f.write_str("retired")?;
                if last_success.is_some() {
                    f.write_str(", ")?;
                    last_backup(f, *last_success)?;
                }
                Ok(())
            }
            Verdict::Paused { until, underlying } => {
                write!(f, "paused until {until} ({underlying})")
            }
            Verdict::Unknown { causes, last_known } => {
                f.write_str("unknown: ")?;
                let mut first = true;
                for c in causes {
                    if !first {
                        f.write_str("; ")?;
                    }
                    first = false;
                    write!(f, "{c}")?;
                }
                if let Some(v) = last_known {
                    write!(f, " (last known: {v})")?;
                }
                Ok(())
            }
        }
    }
}

impl Display for VerifyHealth {
    /// `verified 3 d ago`, `verification failed 2 d ago`, `verification stale (40 d ago)`,
    /// `never verified`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            VerifyHealth::Ok { at } => {
                f.write_str("verified ")?;
                ago(f, *at)
            }
            VerifyHealth::Failed { at } => {
                f.write_str("verification failed")?;
                if let Some(at) = at {
                    f.write_str(" ")?;
                    ago(f, *at)?;
                }
                Ok(())
            }
            VerifyHealth::Stale { at } => {
                f.write_str("verification stale")?;
                if let Some(at) = at {
                    f.write_str(" (")?;
                    ago(f, *at)?;
                    f.write_str(")")?;
                }
                Ok(())
            }
            VerifyHealth::None => f.write_str("never verified"),
        }
    }
}

impl NextRun {
    /// `next: nightly to PBS in 14 h (server)`, `… 2 h ago, pending (server)`, given `now`.
    pub fn describe(&self, now: i64) -> String {
        let mut out = String::new();
        let a = Ago::new(self.at, now);
        let when = if a.secs < 0 {
            format!("in {}", span(a.secs))
        } else {
            format!("{} ago", span(a.secs))
        };
        let _ = write!(out, "next: {} {when}", self.job);
        match self.due {
            Due::Upcoming => {}
            Due::Pending => out.push_str(", pending"),
            Due::Missed => out.push_str(", missed"),
        }
        out.push_str(match self.provenance {
            Provenance::Server => " (server)",
            Provenance::Computed => " (computed)",
        });
        out
    }
}
