//! Databasement wire data → model.

use super::DatabasementSettings;
use super::collect::Received;
use super::wire;
use crate::model::{
    BackupSet, Coverage, Epoch, Job, JobKind, Run, RunOutcome, ScheduleClock, ScheduleSpec,
    SourceData, SourceId, Subject, Via,
};
use crate::sources::util;

/// Parses an ISO 8601 / RFC 3339 timestamp (`2026-07-28T00:00:03.000000Z`,
/// `…+02:00`, no zone = UTC) into epoch seconds. `None` for anything else.
pub fn iso8601(s: &str) -> Option<Epoch> {
    let s = s.trim();
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let year = num(0, 4)?;
    let month = num(5, 2)?;
    let day = num(8, 2)?;
    let hour = num(11, 2)?;
    let minute = num(14, 2)?;
    let second = num(17, 2)?;
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b'T' | b't' | b' '))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    let (offset, end) = match b.get(i) {
        None => (0, i),
        Some(b'Z' | b'z') => (0, i + 1),
        Some(sign @ (b'+' | b'-')) => {
            let oh = num(i + 1, 2)?;
            let (om, end) = if b.get(i + 3) == Some(&b':') {
                (num(i + 4, 2)?, i + 6)
            } else {
                (num(i + 3, 2)?, i + 5)
            };
            let o = oh * 3600 + om * 60;
            (if *sign == b'-' { -o } else { o }, end)
        }
        Some(_) => return None,
    };
    if end != b.len() {
        return None;
    }
    // Days from civil (proleptic Gregorian), Howard Hinnant's algorithm.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// Start of a snapshot row: `started_at` (queue time), else `created_at`.
pub(crate) fn row_start(s: &wire::Snapshot) -> Option<Epoch> {
    s.started_at
        .as_deref()
        .and_then(iso8601)
        .or_else(|| s.created_at.as_deref().and_then(iso8601))
}

fn outcome(status: Option<&wire::JobStatus>) -> RunOutcome {
    match status {
        Some(wire::JobStatus::Pending) => RunOutcome::Pending,
        Some(wire::JobStatus::Running) => RunOutcome::Running,
        Some(wire::JobStatus::Completed) => RunOutcome::Ok,
        Some(wire::JobStatus::Failed) => RunOutcome::Failed,
        Some(wire::JobStatus::Unknown(_)) | None => RunOutcome::Unknown,
    }
}

/// A server's backup configurations in the v1.1+ shape (v1.0 and older folded in).
fn configs(s: &wire::DatabaseServer) -> Vec<wire::Backup> {
    if !s.backups.is_empty() {
        return s.backups.clone();
    }
    let Some(mut b) = s.backup.clone() else {
        return Vec::new();
    };
    if b.database_selection_mode.is_none() {
        b.database_selection_mode =
            s.database_selection_mode
                .clone()
                .or(match s.backup_all_databases {
                    Some(true) => Some(wire::SelectionMode::All),
                    Some(false) => Some(wire::SelectionMode::Selected),
                    None => None,
                });
    }
    if b.database_names.is_empty() {
        b.database_names = s.database_names.clone();
    }
    vec![b]
}

pub(crate) fn source_data(
    source: &SourceId,
    settings: &DatabasementSettings,
    rx: Received,
) -> SourceData {
    let mut warnings = rx.warnings;
    let mut pages = rx.servers;
    util::sort_asc(&mut pages, |(p, _)| i64::from(*p));
    let servers: Vec<wire::DatabaseServer> = pages.into_iter().flat_map(|(_, s)| s).collect();
    let schedule_by_id = |id: &str| rx.schedules.iter().flatten().find(|s| s.id == id);
    // The request filters `type=backup`; a restore's job id never matches a snapshot row.
    let message_of = |job: &str| {
        rx.failed_jobs
            .iter()
            .find(|j| j.id == job)
            .and_then(|j| j.error_message.as_deref())
            .map(str::trim)
    };

    // Rows grouped by (server id, exact database name), newest first.
    type Rows<'a> = Vec<((String, String), Vec<(Epoch, &'a wire::Snapshot)>)>;
    let mut rows: Rows = Vec::new();
    let mut undated = 0usize;
    for s in &rx.snapshots {
        let Some(start) = row_start(s) else {
            undated += 1;
            continue;
        };
        util::entry(&mut rows, (s.server.id.clone(), s.database_name.clone())).push((start, s));
    }
    if undated > 0 {
        warnings.push(format!(
            "snapshots: {undated} rows without a valid start time skipped"
        ));
    }
    for (_, list) in rows.iter_mut() {
        // The feed is newest first already; a stable sort keeps its order for ties.
        util::sort_desc(list, |(start, _)| *start);
    }

    let server_name = |id: &str| -> String {
        servers
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .or_else(|| {
                rx.snapshots
                    .iter()
                    .find(|s| s.server.id == id)
                    .and_then(|s| s.server.name.clone())
            })
            .unwrap_or_else(|| id.to_owned())
    };

    // Expected databases (selected mode) even without rows: never run.
    let mut keys: Vec<(String, String)> = rows.iter().map(|(k, _)| k.clone()).collect();
    let mut jobs = Vec::new();
    let mut legacy = false;
    for server in &servers {
        let seen: Vec<String> = rows
            .iter()
            .map(|(k, _)| k)
            .filter(|(sid, _)| *sid == server.id)
            .map(|(_, db)| db.clone())
            .collect();
        for (i, cfg) in configs(server).iter().enumerate() {
            let mode = cfg.database_selection_mode.clone();
            let dbs: Vec<String> = match mode {
                Some(wire::SelectionMode::Selected) => cfg.database_names.clone(),
                _ => seen.clone(),
            };
            if mode == Some(wire::SelectionMode::Selected) {
                for db in &dbs {
                    let key = (server.id.clone(), db.clone());
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
            }
            let schedule = cfg
                .backup_schedule
                .as_ref()
                .or_else(|| cfg.backup_schedule_id.as_deref().and_then(schedule_by_id))
                .map(|s| (s.name.clone(), s.expression.clone()))
                .or_else(|| {
                    let cron = match cfg.recurrence.as_deref()? {
                        "daily" => settings.legacy_daily_cron.clone(),
                        "weekly" => settings.legacy_weekly_cron.clone(),
                        _ => return None,
                    };
                    legacy = true;
                    Some((cfg.recurrence.clone().unwrap_or_default(), cron))
                });
            let id = cfg
                .id
                .clone()
                .unwrap_or_else(|| format!("{}#{i}", server.id));
            let label = match &schedule {
                Some((name, _)) => format!("{} {name}", server.name),
                None => server.name.clone(),
            };
            let mut dbs = dbs;
            util::sort_by_text(&mut dbs, Clone::clone);
            dbs.dedup();
            let subjects: Vec<Subject> = dbs
                .into_iter()
                .map(|database| Subject::Database {
                    server: server.name.clone(),
                    database,
                })
                .collect();
            jobs.push(Job {
                source: source.clone(),
                id,
                kind: JobKind::Dump,
                label,
                schedule: schedule.map(|(_, expr)| ScheduleSpec::Cron(expr)),
                clock: ScheduleClock::Local,
                zone: settings.zone.clone(),
                enabled: server.backups_enabled,
                next_run: None,
                last_run: None,
                covers: Coverage::Subjects(subjects),
            });
        }
    }
    if rx.schedules_missing {
        warnings.push(if legacy {
            "backup schedules endpoint not found (Databasement before 2026-02): daily/weekly \
             times are taken from the settings"
                .to_owned()
        } else {
            "backup schedules endpoint not found (older Databasement): using the schedules \
             embedded in the servers"
                .to_owned()
        });
    }

    let mut backups: Vec<BackupSet> = keys
        .into_iter()
        .map(|(sid, db)| {
            let list = rows
                .iter()
                .find(|((s, d), _)| *s == sid && *d == db)
                .map(|(_, l)| l);
            let server = server_name(&sid);
            let mut set = BackupSet {
                source: source.clone(),
                via: Via::Direct,
                subject: Subject::Database {
                    server,
                    database: db,
                },
                location: None,
                label: None,
                snapshot_count: Some(0),
                last_success: None,
                runs: Vec::new(),
                verification: None,
                size_bytes: None,
                next_run: None,
                runs_complete: rx.history_complete,
                protected_count: None,
                encrypted: None,
            };
            let mut completed = 0u32;
            for (start, row) in list.into_iter().flatten() {
                let status = row.job.as_ref().map(|j| &j.status);
                let outcome = outcome(status);
                let finished = matches!(outcome, RunOutcome::Ok | RunOutcome::Failed);
                let message = match (outcome, &row.job) {
                    (RunOutcome::Failed, Some(j)) => message_of(&j.id).map(str::to_owned),
                    _ => None,
                };
                if outcome == RunOutcome::Ok {
                    completed += 1;
                    if set.last_success.is_none() {
                        set.last_success = Some(*start);
                        set.size_bytes = row.file_size;
                    }
                }
                set.runs.push(Run {
                    start: *start,
                    // The snapshot row has no completion time; `updated_at` is written when
                    // the job finishes.
                    end: if finished {
                        row.updated_at.as_deref().and_then(iso8601)
                    } else {
                        None
                    },
                    outcome,
                    message,
                });
            }
            set.snapshot_count = Some(completed);
            set
        })
        .collect();
    util::sort_by_text(&mut backups, |b| match &b.subject {
        Subject::Database { server, database } => format!("{server}\u{0}{database}"),
        other => other.to_string(),
    });

    SourceData {
        backups,
        jobs,
        guests: Vec::new(),
        not_backed_up: Vec::new(),
        datastores: Vec::new(),
        server: None,
        tasks: Vec::new(),
        timezone: settings.zone.clone(),
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::iso8601;

    #[test]
    fn iso_timestamps() {
        let cases = [
            ("2026-07-28T00:00:03.000000Z", Some(1_785_196_803)),
            ("2026-07-28T00:00:03Z", Some(1_785_196_803)),
            ("2026-07-28T02:00:03+02:00", Some(1_785_196_803)),
            ("2026-07-27T22:00:03-0200", Some(1_785_196_803)),
            ("1970-01-01T00:00:00Z", Some(0)),
            ("2024-02-29T12:00:00Z", Some(1_709_208_000)),
            ("2026-13-01T00:00:00Z", None),
            ("2026-07-28", None),
            ("2026-07-28T00:00:03Zjunk", None),
            ("", None),
            ("ää-07-28T00:00:03Z", None),
        ];
        for (s, want) in cases {
            assert_eq!(iso8601(s), want, "{s}");
        }
    }
}
