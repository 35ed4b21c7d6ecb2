//! PBS wire data → model.

use super::cache::{CachedGroup, GroupKey, PbsCache};
use super::collect::Received;
use super::upid::{subject_of, task_outcome, upid_start, worker_subject};
use super::wire;
use crate::model::{
    BackupSet, Coverage, Datastore, Epoch, Job, JobKind, PbsLocation, Run, RunOutcome,
    ScheduleClock, ScheduleSpec, ServerInfo, SourceData, SourceId, Task, Verification, Via,
};
use crate::sources::util;

/// Why a listed datastore cannot be read (not mounted, offline maintenance), if so.
pub(crate) fn store_unreadable(ds: &wire::DataStoreListItem) -> Option<String> {
    if ds.mount_status == Some(wire::MountStatus::NotMounted) {
        return Some("not mounted".to_owned());
    }
    let m = maintenance(ds.maintenance.as_deref()?)?;
    match m.0.as_str() {
        "offline" | "unmount" | "delete" => Some(describe_maintenance(&m)),
        _ => None,
    }
}

/// Parses a maintenance property string `type=offline,message="disk swap"` into
/// (type, message). A bare value is the type.
fn maintenance(s: &str) -> Option<(String, Option<String>)> {
    let mut ty = None;
    let mut message = None;
    for (k, v) in property_string(s) {
        match k.as_deref() {
            Some("type") | None => ty = Some(v),
            Some("message") => message = Some(v),
            _ => {}
        }
    }
    Some((ty?, message))
}

fn describe_maintenance((ty, message): &(String, Option<String>)) -> String {
    match message.as_deref().filter(|m| !m.is_empty()) {
        Some(m) => format!("maintenance mode {ty}: {m}"),
        None => format!("maintenance mode {ty}"),
    }
}

/// Splits a Proxmox property string into (key, value) pairs; values may be double-quoted
/// with `\"` escapes. Never panics on malformed input.
fn property_string(s: &str) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        let mut key = String::new();
        let mut value = String::new();
        let mut has_key = false;
        // key or bare value
        while let Some(&c) = chars.peek() {
            if c == '=' {
                has_key = true;
                chars.next();
                break;
            }
            if c == ',' {
                break;
            }
            key.push(c);
            chars.next();
        }
        if has_key {
            if chars.peek() == Some(&'"') {
                chars.next();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(n) = chars.next() {
                                value.push(n);
                            }
                        }
                        '"' => break,
                        c => value.push(c),
                    }
                }
                // skip to the next comma
                for c in chars.by_ref() {
                    if c == ',' {
                        break;
                    }
                }
            } else {
                for c in chars.by_ref() {
                    if c == ',' {
                        break;
                    }
                    value.push(c);
                }
            }
            out.push((Some(key.trim().to_owned()), value));
        } else {
            chars.next(); // the comma, if any
            if !key.trim().is_empty() {
                out.push((None, key.trim().to_owned()));
            }
        }
        if chars.peek().is_none() {
            break;
        }
    }
    out
}

/// A job's last run from its status fields: start from the UPID, end and state.
/// A UPID without end/state is a run in progress.
pub(crate) fn job_last_run(
    upid: Option<&str>,
    endtime: Option<i64>,
    state: Option<&str>,
) -> Option<Run> {
    let start = upid.and_then(upid_start);
    match (state, endtime) {
        (Some(state), _) => {
            let (outcome, message) = task_outcome(state);
            Some(Run {
                start: start.or(endtime)?,
                end: endtime,
                outcome,
                message,
            })
        }
        (None, Some(end)) => Some(Run {
            start: start.unwrap_or(end),
            end: Some(end),
            outcome: RunOutcome::Unknown,
            message: None,
        }),
        (None, None) => start.map(|s| Run {
            start: s,
            end: None,
            outcome: RunOutcome::Running,
            message: None,
        }),
    }
}

fn nonempty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn calendar(s: Option<&str>) -> Option<ScheduleSpec> {
    nonempty(s).map(|s| ScheduleSpec::Calendar(s.to_owned()))
}

fn ns_label(store: &str, ns: Option<&str>) -> String {
    match nonempty(ns) {
        Some(ns) => format!("{store}/{ns}"),
        None => store.to_owned(),
    }
}

fn ds_coverage(store: &str, ns: Option<&str>) -> Coverage {
    Coverage::Datastore {
        store: store.to_owned(),
        namespace: nonempty(ns).map(str::to_owned),
    }
}

/// The backup set of one group, from its summary and (when it matches) its cached listing.
pub(crate) fn group_set(
    source: &SourceId,
    store: &str,
    ns: &str,
    g: &wire::GroupListItem,
    listing: Option<&CachedGroup>,
) -> Option<BackupSet> {
    let subject = subject_of(g.backup_type.as_str(), &g.backup_id)?;
    let group_label = nonempty(g.comment.as_deref()).map(str::to_owned);
    let mut set = BackupSet {
        source: source.clone(),
        via: Via::Direct,
        subject,
        location: Some(PbsLocation {
            datastore: store.to_owned(),
            namespace: ns.to_owned(),
        }),
        label: group_label,
        snapshot_count: u32::try_from(g.backup_count.max(0)).ok(),
        last_success: (g.last_backup > 0).then_some(g.last_backup),
        runs: Vec::new(),
        verification: None,
        size_bytes: None,
        next_run: None,
        runs_complete: false,
        protected_count: None,
        encrypted: None,
    };
    let listing = listing.filter(|l| l.last_backup == g.last_backup && l.count == g.backup_count);
    let Some(listing) = listing else {
        if g.last_backup > 0 {
            set.runs.push(Run {
                start: g.last_backup,
                end: None,
                outcome: RunOutcome::Ok,
                message: None,
            });
        }
        return Some(set);
    };
    if set.label.is_none() {
        set.label = listing.label.clone();
    }
    let mut finished = 0u32;
    let mut protected = 0u32;
    for (i, s) in listing.snapshots.iter().enumerate() {
        let outcome = match s.size {
            Some(_) => RunOutcome::Ok,
            // No manifest: the newest one is being written; older ones were aborted.
            None if i == 0 => RunOutcome::Running,
            None => RunOutcome::Failed,
        };
        let message = (outcome == RunOutcome::Failed)
            .then(|| "snapshot has no manifest (aborted backup)".to_owned());
        if outcome == RunOutcome::Ok {
            finished += 1;
            if set.size_bytes.is_none() {
                set.size_bytes = s.size;
                set.encrypted = Some(s.encrypted);
                set.last_success = Some(s.time);
            }
        }
        if s.protected {
            protected += 1;
        }
        if set.verification.is_none()
            && let Some((state, at)) = s.verification
        {
            set.verification = Some(Verification { state, at });
        }
        set.runs.push(Run {
            start: s.time,
            end: None,
            outcome,
            message,
        });
    }
    if finished == 0 {
        set.last_success = None;
    }
    set.snapshot_count = Some(finished);
    set.protected_count = Some(protected);
    set.runs_complete = true;
    Some(set)
}

fn datastores(rx: &Received, now: Epoch) -> Vec<Datastore> {
    let mut names: Vec<String> = Vec::new();
    let listed = rx.datastore_list.iter().flatten().map(|d| &d.store);
    let used = rx.usage.iter().flatten().map(|u| &u.store);
    for name in listed.chain(used).chain(rx.stores.iter()) {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    let mut out = Vec::new();
    for name in names {
        let listed = rx
            .datastore_list
            .as_ref()
            .and_then(|l| l.iter().find(|d| d.store == name));
        let usage = rx
            .usage
            .as_ref()
            .and_then(|u| u.iter().find(|d| d.store == name));
        let gc = usage.and_then(|u| u.gc_status.as_ref()).or_else(|| {
            rx.gc
                .iter()
                .find(|g| g.store.as_deref() == Some(name.as_str()))
        });
        let dedup_factor = gc.and_then(|g| match (g.index_data_bytes, g.disk_bytes) {
            (Some(index), Some(disk)) if disk > 0 => Some(index as f64 / disk as f64),
            _ => None,
        });
        let mut problems = Vec::new();
        let not_mounted = listed.and_then(|l| l.mount_status.as_ref())
            == Some(&wire::MountStatus::NotMounted)
            || usage.and_then(|u| u.mount_status.as_ref()) == Some(&wire::MountStatus::NotMounted);
        if not_mounted {
            problems.push("not mounted".to_owned());
        }
        if let Some(m) = listed
            .and_then(|l| l.maintenance.as_deref())
            .and_then(maintenance)
        {
            problems.push(describe_maintenance(&m));
        }
        if let Some(e) = nonempty(usage.and_then(|u| u.error.as_deref())) {
            problems.push(e.to_owned());
        }
        if let Some(bad) = gc.and_then(|g| g.still_bad).filter(|b| *b > 0) {
            problems.push(format!("{bad} bad chunks after garbage collection"));
        }
        out.push(Datastore {
            name,
            total: usage.and_then(|u| u.total),
            used: usage.and_then(|u| u.used),
            avail: usage.and_then(|u| u.avail),
            dedup_factor,
            // 0 = never; a past date means usage is flat or falling.
            estimated_full: usage
                .and_then(|u| u.estimated_full_date)
                .filter(|d| *d > now),
            problem: (!problems.is_empty()).then(|| problems.join("; ")),
        });
    }
    out
}

fn jobs(source: &SourceId, rx: &Received) -> Vec<Job> {
    let mut jobs = Vec::new();
    // Garbage collection: one per store with a schedule or a known run.
    type GcEntry<'a> = (Option<String>, Option<&'a wire::GcStatus>);
    let mut gc_stores: Vec<(String, GcEntry)> = Vec::new();
    if let Some(cfg) = &rx.ds_config {
        for c in cfg {
            util::entry(&mut gc_stores, c.name.clone()).0 = c.gc_schedule.clone();
        }
    }
    for g in &rx.gc {
        if let Some(store) = &g.store {
            let e = util::entry(&mut gc_stores, store.clone());
            if g.schedule.is_some() {
                e.0 = g.schedule.clone();
            }
            e.1 = Some(g);
        }
    }
    for (store, (schedule, status)) in gc_stores {
        if schedule.is_none() && status.is_none_or(|s| s.upid.is_none()) {
            continue;
        }
        jobs.push(Job {
            source: source.clone(),
            id: format!("gc:{store}"),
            kind: JobKind::GarbageCollection,
            label: format!("GC {store}"),
            schedule: calendar(schedule.as_deref()),
            clock: ScheduleClock::Local,
            zone: None,
            enabled: true,
            next_run: status.and_then(|s| s.next_run),
            last_run: status.and_then(|s| {
                job_last_run(
                    s.upid.as_deref(),
                    s.last_run_endtime,
                    s.last_run_state.as_deref(),
                )
            }),
            covers: ds_coverage(&store, None),
        });
    }
    for p in rx.prune.iter().flatten() {
        let enabled = !p.disable;
        jobs.push(Job {
            source: source.clone(),
            id: p.id.clone(),
            kind: JobKind::Prune,
            label: nonempty(p.comment.as_deref())
                .map(str::to_owned)
                .unwrap_or_else(|| format!("Prune {}", ns_label(&p.store, p.ns.as_deref()))),
            schedule: calendar(p.schedule.as_deref()),
            clock: ScheduleClock::Local,
            zone: None,
            enabled,
            next_run: p.next_run.filter(|_| enabled),
            last_run: job_last_run(
                p.last_run_upid.as_deref(),
                p.last_run_endtime,
                p.last_run_state.as_deref(),
            ),
            covers: ds_coverage(&p.store, p.ns.as_deref()),
        });
    }
    for v in rx.verify.iter().flatten() {
        jobs.push(Job {
            source: source.clone(),
            id: v.id.clone(),
            kind: JobKind::Verify,
            label: nonempty(v.comment.as_deref())
                .map(str::to_owned)
                .unwrap_or_else(|| format!("Verify {}", ns_label(&v.store, v.ns.as_deref()))),
            schedule: calendar(v.schedule.as_deref()),
            clock: ScheduleClock::Local,
            zone: None,
            enabled: true,
            next_run: v.next_run,
            last_run: job_last_run(
                v.last_run_upid.as_deref(),
                v.last_run_endtime,
                v.last_run_state.as_deref(),
            ),
            covers: ds_coverage(&v.store, v.ns.as_deref()),
        });
    }
    for s in rx.sync.iter().flatten() {
        let remote = match (&s.remote, &s.remote_store) {
            (Some(r), Some(rs)) => format!("{r}:{rs}"),
            (Some(r), None) => r.clone(),
            (None, Some(rs)) => rs.clone(),
            (None, None) => "?".to_owned(),
        };
        let default_label = match s.sync_direction {
            Some(wire::SyncDirection::Push) => format!("Sync {} → {remote}", s.store),
            _ => format!("Sync {remote} → {}", s.store),
        };
        jobs.push(Job {
            source: source.clone(),
            id: s.id.clone(),
            kind: JobKind::Sync,
            label: nonempty(s.comment.as_deref())
                .map(str::to_owned)
                .unwrap_or(default_label),
            schedule: calendar(s.schedule.as_deref()),
            clock: ScheduleClock::Local,
            zone: None,
            enabled: true,
            next_run: s.next_run,
            last_run: job_last_run(
                s.last_run_upid.as_deref(),
                s.last_run_endtime,
                s.last_run_state.as_deref(),
            ),
            covers: ds_coverage(&s.store, s.ns.as_deref()),
        });
    }
    for t in rx.tape.iter().flatten() {
        jobs.push(Job {
            source: source.clone(),
            id: t.id.clone(),
            kind: JobKind::Other,
            label: nonempty(t.comment.as_deref())
                .map(str::to_owned)
                .unwrap_or_else(|| {
                    format!(
                        "Tape backup {} → {}",
                        t.store,
                        t.pool.as_deref().unwrap_or("?")
                    )
                }),
            schedule: calendar(t.schedule.as_deref()),
            clock: ScheduleClock::Local,
            zone: None,
            enabled: true,
            next_run: t.next_run,
            last_run: job_last_run(
                t.last_run_upid.as_deref(),
                t.last_run_endtime,
                t.last_run_state.as_deref(),
            ),
            covers: ds_coverage(&t.store, None),
        });
    }
    jobs
}

/// Failed and warning tasks (running ones are left out; `errors=1` still lists them).
fn tasks(rx: &Received) -> Vec<Task> {
    let mut out: Vec<Task> = rx
        .tasks
        .iter()
        .flatten()
        .filter_map(|t| {
            let status = t.status.as_deref()?;
            let (outcome, message) = task_outcome(status);
            if outcome == RunOutcome::Ok {
                return None;
            }
            let subject = t
                .worker_id
                .as_deref()
                .and_then(worker_subject)
                .map(|(_, s)| s);
            Some(Task {
                upid: t.upid.clone(),
                worker_type: t.worker_type.clone(),
                worker_id: t.worker_id.clone(),
                subject,
                run: Run {
                    start: t.starttime,
                    end: t.endtime,
                    outcome,
                    message,
                },
            })
        })
        .collect();
    util::sort_desc(&mut out, |t| t.run.start);
    out
}

/// Adds failed backup tasks to their group's runs when the group is unambiguous (the
/// backup worker id names store and group but no namespace).
fn attach_failed_backups(backups: &mut [BackupSet], rx: &Received) {
    for t in rx.tasks.iter().flatten() {
        if t.worker_type != "backup" {
            continue;
        }
        let Some(status) = t.status.as_deref() else {
            continue;
        };
        let (outcome, message) = task_outcome(status);
        if outcome != RunOutcome::Failed {
            continue;
        }
        let Some((store, subject)) = t.worker_id.as_deref().and_then(worker_subject) else {
            continue;
        };
        let mut matches = backups.iter_mut().filter(|b| {
            b.subject == subject && b.location.as_ref().is_some_and(|l| l.datastore == store)
        });
        let (Some(set), None) = (matches.next(), matches.next()) else {
            continue;
        };
        if set.runs.iter().any(|r| r.start == t.starttime) {
            continue;
        }
        set.runs.push(Run {
            start: t.starttime,
            end: t.endtime,
            outcome,
            message,
        });
        util::sort_desc(&mut set.runs, |r| r.start);
    }
}

fn server(rx: &Received) -> Option<ServerInfo> {
    if rx.version.is_none() && rx.node_status.is_none() {
        return None;
    }
    let version = rx
        .version
        .as_ref()
        .map(|v| match nonempty(v.release.as_deref()) {
            Some(r) if r.chars().all(|c| c.is_ascii_digit()) => format!("{}.{r}", v.version),
            _ => v.version.clone(),
        });
    let status = rx.node_status.as_ref();
    Some(ServerInfo {
        version,
        cpu: status.and_then(|s| s.cpu),
        memory_used: status.and_then(|s| s.memory.as_ref()).and_then(|m| m.used),
        memory_total: status.and_then(|s| s.memory.as_ref()).and_then(|m| m.total),
        uptime_secs: status
            .and_then(|s| s.uptime)
            .and_then(|u| u64::try_from(u).ok()),
    })
}

/// Everything received → [`SourceData`] (warnings are added by the caller).
pub(crate) fn source_data(
    source: &SourceId,
    rx: &mut Received,
    cache: &PbsCache,
    now: Epoch,
) -> SourceData {
    // Responses arrive in any order; list namespaces in a fixed order.
    util::sort_by_text(&mut rx.groups, |((s, n), _)| format!("{s}\u{0}{n}"));
    let mut backups = Vec::new();
    for ((store, ns), groups) in &rx.groups {
        for g in groups {
            let key = GroupKey {
                store: store.clone(),
                ns: ns.clone(),
                ty: g.backup_type.as_str().to_owned(),
                id: g.backup_id.clone(),
            };
            if let Some(set) = group_set(source, store, ns, g, cache.get(&key)) {
                backups.push(set);
            }
        }
    }
    attach_failed_backups(&mut backups, rx);
    let stale: Vec<String> = rx
        .listing_failed
        .iter()
        .filter(|k| cache.get(k).is_none())
        .map(|k| format!("{}/{}", k.ty, k.id))
        .collect();
    if !stale.is_empty() {
        rx.warnings.push(format!(
            "no snapshot details for {} (listing failed)",
            stale.join(", ")
        ));
    }
    SourceData {
        backups,
        jobs: jobs(source, rx),
        guests: Vec::new(),
        not_backed_up: Vec::new(),
        datastores: datastores(rx, now),
        server: server(rx),
        tasks: tasks(rx),
        timezone: rx
            .node_time
            .as_ref()
            .and_then(|t| nonempty(t.timezone.as_deref()))
            .map(str::to_owned),
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn property_strings() {
        type Pairs = Vec<(Option<&'static str>, &'static str)>;
        let cases: &[(&str, Pairs)] = &[
            (
                r#"type=offline,message="disk swap, back soon""#,
                vec![
                    (Some("type"), "offline"),
                    (Some("message"), "disk swap, back soon"),
                ],
            ),
            ("read-only", vec![(None, "read-only")]),
            ("type=read-only", vec![(Some("type"), "read-only")]),
            (
                r#"message="a \"q\"",type=offline"#,
                vec![(Some("message"), "a \"q\""), (Some("type"), "offline")],
            ),
            ("", vec![]),
            (",,=", vec![(Some(""), "")]),
        ];
        for (input, want) in cases {
            let got = property_string(input);
            let want: Vec<(Option<String>, String)> = want
                .iter()
                .map(|(k, v)| (k.map(str::to_owned), (*v).to_owned()))
                .collect();
            assert_eq!(got, want, "{input}");
        }
    }

    #[test]
    fn job_runs() {
        let upid = "UPID:pbs:000003A8:0000053F:00000029:6A07F9D0:verificationjob:x:root@pam:";
        let r = job_last_run(Some(upid), Some(1778910137), Some("verification failed")).unwrap();
        assert_eq!(
            (r.start, r.end, r.outcome),
            (1778907600, Some(1778910137), RunOutcome::Failed)
        );
        let r = job_last_run(Some(upid), None, None).unwrap();
        assert_eq!(r.outcome, RunOutcome::Running);
        assert_eq!(job_last_run(None, None, None), None);
    }
}
