//! Databasement: one job and one snapshot per database per scheduled run, run by a single
//! queue worker in order; retention by days or GFS; restore tests as jobs with `type: null`.

use std::collections::BTreeMap;

use backwatch_core::model::Epoch;
use backwatch_core::schedule::Schedule;
use backwatch_core::time::{NamedZone, Zone};

use super::{Ctx, Planted, dur_s, size};
use crate::scenario::{DbBackup, DbServer};
use crate::util::{Rng, hash, local_fields, local_format, ulid};

/// A named cron.
#[derive(Clone, Debug)]
pub struct ScheduleRow {
    /// ULID.
    pub id: String,
    /// Name.
    pub name: String,
    /// Cron expression.
    pub expression: String,
    /// Created.
    pub created: Epoch,
}

/// A storage volume.
#[derive(Clone, Debug)]
pub struct VolumeRow {
    /// ULID.
    pub id: String,
    /// Name.
    pub name: String,
    /// Type.
    pub kind: String,
    /// Path.
    pub path: String,
    /// Created.
    pub created: Epoch,
}

/// A backup configuration of a server.
#[derive(Clone, Debug)]
pub struct BackupRow {
    /// ULID.
    pub id: String,
    /// The configuration.
    pub cfg: DbBackup,
    /// Schedule index.
    pub schedule: usize,
    /// Volume index.
    pub volume: usize,
}

/// A database server.
#[derive(Clone, Debug)]
pub struct ServerRow {
    /// ULID.
    pub id: String,
    /// The configuration.
    pub cfg: DbServer,
    /// Created.
    pub created: Epoch,
    /// Backup configurations.
    pub backups: Vec<BackupRow>,
}

/// Job status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Queued.
    Pending,
    /// Dumping.
    Running,
    /// Done.
    Completed,
    /// Failed.
    Failed,
}

impl Status {
    /// Wire name.
    pub fn key(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Running => "running",
            Status::Completed => "completed",
            Status::Failed => "failed",
        }
    }
}

/// One run for one database (a BackupJob with its Snapshot), or a restore.
#[derive(Clone, Debug)]
pub struct JobRow {
    /// Job ULID.
    pub id: String,
    /// Queue id (`None` while pending).
    pub queue_id: Option<String>,
    /// Status.
    pub status: Status,
    /// Queued (created_at; the snapshot's started_at).
    pub created: Epoch,
    /// Picked up by the worker.
    pub started: Option<Epoch>,
    /// Finished.
    pub completed: Option<Epoch>,
    /// Duration in ms.
    pub duration_ms: Option<i64>,
    /// Error text.
    pub error: Option<String>,
    /// Server index.
    pub server: usize,
    /// Backup configuration index within the server (`None` for restores).
    pub backup: Option<usize>,
    /// Database name.
    pub database: String,
    /// The snapshot (backups only).
    pub snapshot: Option<SnapRow>,
    /// Restore details (restores only): snapshot id, schema.
    pub restore: Option<(String, String)>,
}

/// A snapshot row.
#[derive(Clone, Debug)]
pub struct SnapRow {
    /// ULID.
    pub id: String,
    /// File name (`""` until completed).
    pub filename: String,
    /// Size (0 until completed).
    pub file_size: u64,
    /// sha256 (None until completed).
    pub checksum: Option<String>,
    /// Still listed (not removed by retention).
    pub exists: bool,
}

/// Everything Databasement reports.
#[derive(Debug)]
pub struct DbWorld {
    /// Named crons, by name.
    pub schedules: Vec<ScheduleRow>,
    /// Volumes.
    pub volumes: Vec<VolumeRow>,
    /// Servers.
    pub servers: Vec<ServerRow>,
    /// Jobs, newest created first.
    pub jobs: Vec<JobRow>,
    /// The default organization.
    pub organization: String,
    /// Host used in pagination links when the request names none.
    pub host: String,
    /// Display zone name.
    pub timezone: String,
    /// The instant.
    pub now: Epoch,
    /// UTC offset at now.
    pub offset: i64,
}

fn extension(kind: &str, cfg: &DbServer) -> &'static str {
    match kind {
        "postgres"
            if cfg
                .extra_config
                .as_ref()
                .and_then(|e| e.get("dump_format"))
                .is_some_and(|f| f == "custom") =>
        {
            "dump"
        }
        "sqlite" => "db",
        "mongodb" => "archive",
        "redis" => "rdb",
        _ => "sql",
    }
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn default_error(kind: &str, db: &str) -> String {
    match kind {
        "mysql" => format!(
            "mariadb-dump: Got error: 2002: \"Can't connect to server on '{db}' (115)\" when trying to connect\n"
        ),
        "postgres" => format!(
            "pg_dump: error: connection to server failed: FATAL:  password authentication failed for user \"backup\" (database \"{db}\")\n"
        ),
        _ => format!("dump of {db} failed: exit code 1\n"),
    }
}

/// Generates Databasement.
pub fn generate(ctx: &Ctx) -> DbWorld {
    let sc = &ctx.sc.databasement;
    let zone = ctx.zone(sc.timezone.as_deref());
    let seed = ctx.seed;
    // Creation times are anchored to whole days so ids stay the same all day long.
    let install = (ctx.now - 120 * 86_400).div_euclid(86_400) * 86_400;
    let schedules: Vec<ScheduleRow> = {
        let mut v: Vec<ScheduleRow> = sc
            .schedules
            .iter()
            .map(|s| {
                let created = install + (hash(&[&s.name]) % 86_400) as i64;
                ScheduleRow {
                    id: ulid(created * 1000, seed, &["schedule", &s.name]),
                    name: s.name.clone(),
                    expression: s.expression.clone(),
                    created,
                }
            })
            .collect();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v
    };
    let volumes: Vec<VolumeRow> = sc
        .volumes
        .iter()
        .map(|v| {
            let created = install + 60 + (hash(&[&v.name]) % 600) as i64;
            VolumeRow {
                id: ulid(created * 1000, seed, &["volume", &v.name]),
                name: v.name.clone(),
                kind: v.kind.clone(),
                path: v.path.clone(),
                created,
            }
        })
        .collect();
    let servers: Vec<ServerRow> = sc
        .servers
        .iter()
        .map(|s| {
            let created = (ctx.now - dur_s(&s.created_ago)).div_euclid(86_400) * 86_400
                + 36_000
                + (hash(&[&s.name]) % 3600) as i64;
            ServerRow {
                id: ulid(created * 1000, seed, &["server", &s.name]),
                cfg: s.clone(),
                created,
                backups: s
                    .backups
                    .iter()
                    .enumerate()
                    .map(|(i, b)| BackupRow {
                        id: ulid(created * 1000, seed, &["backup", &s.name, &i.to_string()]),
                        cfg: b.clone(),
                        schedule: schedules
                            .iter()
                            .position(|x| x.name == b.schedule)
                            .unwrap_or(0),
                        volume: volumes.iter().position(|x| x.name == b.volume).unwrap_or(0),
                    })
                    .collect(),
            }
        })
        .collect();

    // Every (slot, server, backup) run, then the worker queue.
    struct Planned {
        slot: Epoch,
        server: usize,
        backup: usize,
        database: String,
        outcome: Option<Planted>,
    }
    let mut planned: Vec<Planned> = Vec::new();
    for (si, server) in servers.iter().enumerate() {
        if !server.cfg.backups_enabled {
            continue;
        }
        for (bi, backup) in server.backups.iter().enumerate() {
            let Some(sched) = schedules
                .get(backup.schedule)
                .and_then(|s| Schedule::parse_cron(&s.expression).ok())
            else {
                continue;
            };
            let slots = ctx.slots(&sched, server.created, &zone);
            let databases: Vec<String> = match backup.cfg.selection.as_str() {
                "selected" => backup.cfg.databases.clone(),
                "pattern" => {
                    let p = backup.cfg.pattern.clone().unwrap_or_default();
                    let p = p.trim_start_matches('^');
                    server
                        .cfg
                        .databases
                        .keys()
                        .filter(|d| d.contains(p))
                        .cloned()
                        .collect()
                }
                _ => server.cfg.databases.keys().cloned().collect(),
            };
            let server_target = format!("server/{}", server.cfg.name);
            for db in databases {
                let db_target = format!("database/{}/{db}", server.cfg.name);
                let never = ctx.never(&db_target) || ctx.never(&server_target);
                let plants = ctx.planted(&[db_target, server_target.clone()], &slots);
                for &slot in &slots {
                    let outcome = if never {
                        Some(Planted::Missed)
                    } else {
                        plants.get(&slot).cloned()
                    };
                    planned.push(Planned {
                        slot,
                        server: si,
                        backup: bi,
                        database: db.clone(),
                        outcome,
                    });
                }
            }
        }
    }
    planned.sort_by(|a, b| {
        (a.slot, a.server, a.backup, &a.database).cmp(&(b.slot, b.server, b.backup, &b.database))
    });
    let mut jobs: Vec<JobRow> = Vec::new();
    let mut worker_free = i64::MIN;
    let mut batch_pos: BTreeMap<Epoch, i64> = BTreeMap::new();
    for p in planned {
        if p.outcome == Some(Planted::Missed) {
            continue;
        }
        let server = &servers[p.server];
        let key = [
            server.cfg.name.as_str(),
            p.database.as_str(),
            &p.slot.to_string(),
        ];
        let mut rng = Rng::new(seed, &key);
        let created = p.slot + 2 + (p.server as i64 % 2);
        if created > ctx.now {
            continue;
        }
        let pos = batch_pos.entry(p.slot).or_insert(0);
        *pos += 1;
        let start = created.max(worker_free) + 1;
        let bytes = server
            .cfg
            .databases
            .get(&p.database)
            .map(|s| size(s))
            .unwrap_or(50 << 20);
        let bytes = (rng.jitter(bytes as f64, 0.03)) as u64;
        let mut duration_ms = 700 + (bytes / (5 * 1024 * 1024 / 1000)) as i64;
        duration_ms = rng.jitter(duration_ms as f64, 0.1) as i64;
        let failed = match &p.outcome {
            Some(Planted::Failed(m)) => Some(
                m.clone()
                    .unwrap_or_else(|| default_error(&server.cfg.kind, &p.database)),
            ),
            _ => None,
        };
        if failed.is_some() {
            duration_ms = 1_520;
        }
        let end = start + (duration_ms + 999) / 1000;
        let status = if start > ctx.now {
            Status::Pending
        } else if p.outcome == Some(Planted::Running) || end > ctx.now {
            Status::Running
        } else if failed.is_some() {
            Status::Failed
        } else {
            Status::Completed
        };
        worker_free = match status {
            Status::Pending | Status::Running => i64::MAX / 2,
            _ => end,
        };
        let backup = &server.backups[p.backup];
        let filename = if status == Status::Completed {
            let (y, m, _, _, _, _) = local_fields(end, &zone);
            let prefix = backup
                .cfg
                .path
                .as_deref()
                .map(|pth| {
                    format!(
                        "{}/",
                        pth.replace("{year}", &y.to_string())
                            .replace("{month}", &format!("{m:02}"))
                    )
                })
                .unwrap_or_default();
            let ext = extension(&server.cfg.kind, &server.cfg);
            let comp = match backup.cfg.compression.as_str() {
                "zstd" => "zst",
                "encrypted" => "7z",
                _ => "gz",
            };
            format!(
                "{prefix}{}-{}-{}.{ext}.{comp}",
                server.cfg.name,
                sanitize(&p.database),
                local_format(end, &zone, "%Y-%m-%d-%H%M%S")
            )
        } else {
            String::new()
        };
        let done = status == Status::Completed;
        jobs.push(JobRow {
            id: ulid(created * 1000, seed, &["job", &key.join("|")]),
            queue_id: (status != Status::Pending)
                .then(|| ((created - 1_600_000_000) / 60 * 16 + *pos).to_string()),
            status,
            created,
            started: (status != Status::Pending).then_some(start),
            completed: matches!(status, Status::Completed | Status::Failed).then_some(end),
            duration_ms: matches!(status, Status::Completed | Status::Failed)
                .then_some(duration_ms),
            error: failed,
            server: p.server,
            backup: Some(p.backup),
            database: p.database.clone(),
            snapshot: Some(SnapRow {
                id: ulid(created * 1000, seed, &["snapshot", &key.join("|")]),
                filename,
                file_size: if done { bytes } else { 0 },
                checksum: done.then(|| rng.hex(64)),
                exists: true,
            }),
            restore: None,
        });
    }

    // Retention (snapshots:cleanup, daily): completed dumps beyond the policy disappear.
    for (si, server) in servers.iter().enumerate() {
        for (bi, backup) in server.backups.iter().enumerate() {
            let mut by_db: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, j) in jobs.iter().enumerate() {
                if j.server == si && j.backup == Some(bi) && j.status == Status::Completed {
                    by_db.entry(j.database.clone()).or_default().push(i);
                }
            }
            for (_, mut idx) in by_db {
                idx.sort_by_key(|&i| std::cmp::Reverse(jobs[i].created));
                let keep: Vec<bool> = match backup.cfg.retention.as_str() {
                    "forever" => vec![true; idx.len()],
                    "gfs" => gfs_keep(&idx, &jobs, &backup.cfg, &zone),
                    _ => {
                        let days = i64::from(backup.cfg.retention_days.unwrap_or(14));
                        idx.iter()
                            .map(|&i| jobs[i].created >= ctx.now - days * 86_400)
                            .collect()
                    }
                };
                for (k, &i) in keep.iter().zip(&idx) {
                    if !k && let Some(s) = &mut jobs[i].snapshot {
                        s.exists = false;
                    }
                }
            }
        }
    }

    // Restore tests.
    for r in &sc.restores {
        let Some(si) = servers.iter().position(|s| s.cfg.name == r.server) else {
            continue;
        };
        let Ok(sched) = Schedule::parse_cron(&r.schedule) else {
            continue;
        };
        for slot in ctx.slots(&sched, servers[si].created, &zone) {
            let source = jobs
                .iter()
                .filter(|j| {
                    j.server == si
                        && j.database == r.database
                        && j.status == Status::Completed
                        && j.completed.is_some_and(|c| c < slot)
                        && j.snapshot.as_ref().is_some_and(|s| s.exists)
                })
                .max_by_key(|j| j.created);
            if source.is_none() {
                continue;
            }
            let mut rng = Rng::new(seed, &["restore", &r.schema, &slot.to_string()]);
            let created = slot + 1;
            let start = created + 1;
            let duration_ms = rng.range(20_000, 70_000);
            let end = start + duration_ms / 1000;
            let running = end > ctx.now;
            jobs.push(JobRow {
                id: ulid(
                    created * 1000,
                    seed,
                    &["restorejob", &r.schema, &slot.to_string()],
                ),
                queue_id: Some(((created - 1_600_000_000) / 60 * 16 + 15).to_string()),
                status: if running {
                    Status::Running
                } else {
                    Status::Completed
                },
                created,
                started: Some(start),
                completed: (!running).then_some(end),
                duration_ms: (!running).then_some(duration_ms),
                error: None,
                server: si,
                backup: None,
                database: r.database.clone(),
                snapshot: None,
                restore: Some((
                    ulid(
                        created * 1000,
                        seed,
                        &["restore", &r.schema, &slot.to_string()],
                    ),
                    r.schema.clone(),
                )),
            });
        }
    }
    jobs.sort_by(|a, b| b.created.cmp(&a.created).then(b.id.cmp(&a.id)));
    DbWorld {
        schedules,
        volumes,
        servers,
        jobs,
        organization: sc.organization.clone(),
        host: sc.host.clone(),
        timezone: zone.name().to_owned(),
        now: ctx.now,
        offset: i64::from(zone.offset_at(ctx.now)),
    }
}

fn gfs_keep(idx: &[usize], jobs: &[JobRow], cfg: &DbBackup, zone: &NamedZone) -> Vec<bool> {
    let mut keep = vec![false; idx.len()];
    let rules: [(Option<u32>, &str); 3] = [
        (cfg.gfs_keep_daily, "%Y-%m-%d"),
        (cfg.gfs_keep_weekly, "%G-%V"),
        (cfg.gfs_keep_monthly, "%Y-%m"),
    ];
    for (count, fmt) in rules {
        let Some(count) = count else { continue };
        let mut seen = std::collections::BTreeSet::new();
        for (k, &i) in idx.iter().enumerate() {
            if seen.len() >= count as usize {
                break;
            }
            if seen.insert(local_format(jobs[i].created, zone, fmt)) {
                keep[k] = true;
            }
        }
    }
    keep
}
