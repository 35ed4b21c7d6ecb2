//! Merging the data of several source instances into one view.
//!
//! The same PBS snapshot can be seen twice: directly from PBS and through a PVE storage
//! ("PBS via PVE"). [`merge`] keeps one: the direct one, which has more detail (namespace,
//! group notes, verification jobs, the cache).
//!
//! # The duplicate rule
//! A backup set `v` with [`Via::PbsViaPve`] is dropped when some set `d` exists with
//! - `d.via == Via::Direct` and `d.source.kind == SourceKind::Pbs`,
//! - the same subject: `Subject::Guest` with the same guest type (never a `vm` for a `ct`)
//!   and the same VMID, and
//! - the same **newest backup time**: `last_success` (the newest finished snapshot), or,
//!   when neither has finished one, the start of the newest run (an in-progress first
//!   snapshot). Both come from the same PBS `backup-time`, so equal seconds identify the
//!   same snapshot; a set without any time never matches.
//!
//! Guests with the same VMID on separate clusters back up to separate namespaces or
//! stores; their newest backups differ, so both stay. Everything else is kept unchanged,
//! in source order.

use crate::model::{BackupSet, Epoch, Job, SourceData, SourceId, SourceKind, Subject, Via};

/// Backups and jobs of all sources, de-duplicated.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Merged {
    /// All backup sets, "PBS via PVE" duplicates removed, in source order.
    pub backups: Vec<BackupSet>,
    /// All jobs, in source order.
    pub jobs: Vec<Job>,
    /// What was dropped, for a "shown once" hint.
    pub duplicates: Vec<Duplicate>,
}

/// A "PBS via PVE" set dropped in favour of a direct PBS set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// The guest.
    pub subject: Subject,
    /// The PVE source and storage that listed it.
    pub dropped_source: SourceId,
    /// The PVE storage id.
    pub storage: String,
    /// The PBS source that is kept.
    pub kept_source: SourceId,
}

/// The time that identifies a set's newest backup (see the module docs).
pub fn newest_backup(set: &BackupSet) -> Option<Epoch> {
    set.last_success
        .or_else(|| set.runs.iter().map(|r| r.start).max())
}

/// Whether `via_pve` shows the same backups as `direct` (see the module docs).
pub fn is_duplicate(via_pve: &BackupSet, direct: &BackupSet) -> bool {
    matches!(via_pve.via, Via::PbsViaPve { .. })
        && direct.via == Via::Direct
        && direct.source.kind == SourceKind::Pbs
        && matches!(via_pve.subject, Subject::Guest { .. })
        && via_pve.subject == direct.subject
        && newest_backup(via_pve).is_some()
        && newest_backup(via_pve) == newest_backup(direct)
}

/// Merges the data of all sources (only the `Ok` ones are passed in).
pub fn merge<'a>(sources: impl IntoIterator<Item = &'a SourceData>) -> Merged {
    let sources: Vec<&SourceData> = sources.into_iter().collect();
    let direct: Vec<&BackupSet> = sources
        .iter()
        .flat_map(|s| s.backups.iter())
        .filter(|b| b.via == Via::Direct && b.source.kind == SourceKind::Pbs)
        .collect();
    let mut merged = Merged::default();
    for s in &sources {
        for b in &s.backups {
            if let Via::PbsViaPve { storage } = &b.via
                && let Some(d) = direct.iter().find(|d| is_duplicate(b, d))
            {
                merged.duplicates.push(Duplicate {
                    subject: b.subject.clone(),
                    dropped_source: b.source.clone(),
                    storage: storage.clone(),
                    kept_source: d.source.clone(),
                });
                continue;
            }
            merged.backups.push(b.clone());
        }
        merged.jobs.extend(s.jobs.iter().cloned());
    }
    merged
}
