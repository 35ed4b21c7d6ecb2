//! One calendar occurrence as text, shared by the week blocks, month chips, agenda rows
//! and the iCal export: kind (key, short code, name), label, source, times, outcome and
//! the overlaps it is part of. Colour is never the only signal: every view shows the
//! kind's code or name and the outcome as a mark and a word.

use crate::calendar::{Calendar, Occurrence, Outcome};
use crate::display;
use crate::model::{Epoch, JobKind};
use crate::time::Zone;

/// Every kind, in legend order.
pub const KINDS: [JobKind; 9] = JobKind::ALL;

/// How a kind is named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindInfo {
    /// Stable key for `data-kind` and the colour (`backup`, `gc`, …).
    pub key: &'static str,
    /// Short code shown on blocks and chips (`BKP`, `GC`, …).
    pub code: &'static str,
    /// Name for the legend and the agenda (`Backup`, `Garbage collection`, …).
    pub name: &'static str,
    /// Noun inside sentences (`backup`, `GC`, …).
    pub noun: &'static str,
}

/// The names of `kind`.
pub fn kind_info(kind: JobKind) -> KindInfo {
    let (code, name, noun) = match kind {
        JobKind::Backup => ("BKP", "Backup", "backup"),
        JobKind::Dump => ("DMP", "Database dump", "dump"),
        JobKind::Prune => ("PRN", "Prune", "prune"),
        JobKind::GarbageCollection => ("GC", "Garbage collection", "GC"),
        JobKind::Verify => ("VFY", "Verify", "verify"),
        JobKind::Sync => ("SYN", "Sync", "sync"),
        JobKind::Check => ("CHK", "Integrity check", "check"),
        JobKind::Cleanup => ("CLN", "Cleanup", "cleanup"),
        JobKind::Other => ("OTH", "Other", "task"),
    };
    KindInfo {
        key: kind.key(),
        code,
        name,
        noun,
    }
}

/// The legend: the kinds that occur in `occurrences` (all kinds when there are none), in
/// legend order.
pub fn legend(occurrences: &[Occurrence]) -> Vec<KindInfo> {
    let mut present = [false; KINDS.len()];
    let mut any = false;
    for o in occurrences {
        if let Some(i) = KINDS.iter().position(|k| *k == o.kind())
            && let Some(p) = present.get_mut(i)
        {
            *p = true;
            any = true;
        }
    }
    KINDS
        .iter()
        .zip(present)
        .filter(|(_, p)| *p || !any)
        .map(|(k, _)| kind_info(*k))
        .collect()
}

/// A past occurrence's outcome as a mark and a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutcomeInfo {
    /// Stable key (`ok`, `failed`, `missed`, `running`) for `data-outcome`.
    pub key: &'static str,
    /// `✓`, `✗`, `!`, `↻`.
    pub mark: &'static str,
    /// `ok`, `failed`, `missed`, `running`.
    pub text: &'static str,
}

/// The mark and word of an outcome.
pub fn outcome_info(o: Outcome) -> OutcomeInfo {
    let mark = match o {
        Outcome::Ok => "✓",
        Outcome::Failed => "✗",
        Outcome::Missed => "!",
        Outcome::Running => "↻",
    };
    OutcomeInfo {
        key: o.key(),
        mark,
        text: o.key(),
    }
}

/// One occurrence, ready to render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OccurrenceView {
    /// Index into [`Calendar::occurrences`] (a stable key within one calendar); the first
    /// of a group.
    pub index: usize,
    /// How many occurrences this stands for (see [`group_view`]).
    pub count: usize,
    /// The kind.
    pub kind: KindInfo,
    /// The job's label.
    pub label: String,
    /// `PBS pbs-main`, or `config` for a `[[schedules]]` entry.
    pub source: String,
    /// Start as RFC 3339 in the display zone (`<time datetime>`).
    pub datetime: String,
    /// Start, `04:00`.
    pub time: String,
    /// Estimated end, `04:37`.
    pub end_time: String,
    /// Estimated duration, `~37 min`.
    pub duration: String,
    /// Started at or before `now`.
    pub past: bool,
    /// Outcome of a past occurrence, when known.
    pub outcome: Option<OutcomeInfo>,
    /// The overlaps it is part of, one sentence each
    /// (`GC “GC store1” during backup “nightly”`).
    pub overlaps: Vec<String>,
    /// Everything above in one line, for `title` and `aria-label`.
    pub title: String,
}

fn is_maintenance(k: JobKind) -> bool {
    !matches!(k, JobKind::Backup | JobKind::Dump | JobKind::Other)
}

/// `GC “GC store1” during backup “nightly”`: the maintenance job first (it is what can be
/// moved); between two maintenance jobs, the later one during the earlier.
pub fn overlap_text(a: &Occurrence, b: &Occurrence) -> String {
    let a_first = match (is_maintenance(a.kind()), is_maintenance(b.kind())) {
        (true, false) => true,
        (false, true) => false,
        _ => a.start >= b.start,
    };
    let (x, y) = if a_first { (a, b) } else { (b, a) };
    format!(
        "{} “{}” during {} “{}”",
        capitalized(kind_info(x.kind()).noun),
        x.job.label,
        kind_info(y.kind()).noun,
        y.job.label
    )
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The source of an occurrence's job as text.
pub fn source_text(o: &Occurrence) -> String {
    o.job
        .source
        .as_ref()
        .map_or_else(|| "config".to_owned(), ToString::to_string)
}

/// The occurrence at `index` of `cal` as text, seen at `now` in `zone`. `None` when the
/// index is out of range.
pub fn occurrence_view(
    cal: &Calendar,
    index: usize,
    now: Epoch,
    zone: &dyn Zone,
) -> Option<OccurrenceView> {
    let o = cal.occurrences.get(index)?;
    let kind = kind_info(o.kind());
    let overlaps: Vec<String> = o
        .overlaps
        .iter()
        .filter_map(|&k| cal.occurrences.get(k))
        .map(|other| overlap_text(o, other))
        .collect();
    let secs = o.end.saturating_sub(o.start).max(0);
    let duration = format!("~{}", display::span(secs));
    let time = display::clock(o.start, zone);
    let end_time = display::clock(o.end, zone);
    let source = source_text(o);
    let outcome = o.outcome.map(outcome_info);
    let mut title = format!(
        "{} · {} · {} · {}–{} ({duration})",
        kind.name,
        o.job.label,
        source,
        display::exact(o.start, now, zone),
        end_time
    );
    if let Some(out) = outcome {
        title.push_str(" · ");
        title.push_str(out.mark);
        title.push(' ');
        title.push_str(out.text);
    }
    for text in &overlaps {
        title.push_str(" · overlap: ");
        title.push_str(text);
    }
    Some(OccurrenceView {
        index,
        count: 1,
        kind,
        label: o.job.label.clone(),
        source,
        datetime: display::rfc3339(o.start, zone),
        time,
        end_time,
        duration,
        past: o.start <= now,
        outcome,
        overlaps,
        title,
    })
}

/// Groups `indices` (into `cal.occurrences`) by start, kind and source, in order of first
/// appearance: four database dumps of one Databasement at 02:00 become one group.
pub fn group(cal: &Calendar, indices: &[usize]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &i in indices {
        let Some(o) = cal.occurrences.get(i) else {
            continue;
        };
        let same = |g: &Vec<usize>| {
            g.first()
                .and_then(|&f| cal.occurrences.get(f))
                .is_some_and(|f| {
                    f.start == o.start && f.kind() == o.kind() && f.job.source == o.job.source
                })
        };
        match groups.iter_mut().find(|g| same(g)) {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    groups
}

/// Severity of an outcome for a group: failed, missed, running, ok.
fn severity(o: &OutcomeInfo) -> u8 {
    match o.key {
        "failed" => 3,
        "missed" => 2,
        "running" => 1,
        _ => 0,
    }
}

/// A group of occurrences with one start, kind and source (see [`group`]) as one view:
/// `4 × homelab-pg Daily, hass-mariadb Daily, …`, the longest estimate, the worst known
/// outcome, every overlap, and one line per member in the title. A single occurrence is
/// its own [`occurrence_view`]. `None` for an empty or out-of-range group.
pub fn group_view(
    cal: &Calendar,
    indices: &[usize],
    now: Epoch,
    zone: &dyn Zone,
) -> Option<OccurrenceView> {
    let mut views: Vec<OccurrenceView> = indices
        .iter()
        .filter_map(|&i| occurrence_view(cal, i, now, zone))
        .collect();
    if views.len() <= 1 {
        return views.pop();
    }
    let members: Vec<&Occurrence> = indices
        .iter()
        .filter_map(|&i| cal.occurrences.get(i))
        .collect();
    let start = members.iter().map(|o| o.start).min().unwrap_or(0);
    let end = members.iter().map(|o| o.end).max().unwrap_or(start);
    let n = views.len();
    let labels: Vec<&str> = views.iter().map(|v| v.label.as_str()).collect();
    let label = format!("{n} × {}", labels.join(", "));
    let outcome = views.iter().filter_map(|v| v.outcome).max_by_key(severity);
    let mut overlaps: Vec<String> = Vec::new();
    for v in &views {
        for o in &v.overlaps {
            if !overlaps.contains(o) {
                overlaps.push(o.clone());
            }
        }
    }
    let end_time = display::clock(end, zone);
    let duration = format!("~{}", display::span(end.saturating_sub(start).max(0)));
    let mut first = views.first()?.clone();
    let mut title = format!(
        "{n} × {} · {} · {}–{end_time} ({duration})",
        first.kind.name,
        first.source,
        display::exact(start, now, zone)
    );
    for v in &views {
        title.push('\n');
        title.push_str(&v.label);
        title.push_str(" (");
        title.push_str(&v.duration);
        title.push(')');
        if let Some(out) = v.outcome {
            title.push(' ');
            title.push_str(out.mark);
            title.push(' ');
            title.push_str(out.text);
        }
    }
    for text in &overlaps {
        title.push_str("\noverlap: ");
        title.push_str(text);
    }
    first.count = n;
    first.label = label;
    first.end_time = end_time;
    first.duration = duration;
    first.outcome = outcome;
    first.overlaps = overlaps;
    first.title = title;
    Some(first)
}

/// Every overlapping pair of `cal` whose earlier occurrence starts in `[from, to)`, once,
/// as text, in order of that start.
pub fn overlap_list(cal: &Calendar, from: Epoch, to: Epoch) -> Vec<String> {
    let mut out = Vec::new();
    for (i, o) in cal.occurrences.iter().enumerate() {
        if o.start < from || o.start >= to {
            continue;
        }
        for &k in &o.overlaps {
            if k > i
                && let Some(other) = cal.occurrences.get(k)
            {
                out.push(overlap_text(o, other));
            }
        }
    }
    out
}

/// Per-mille of a whole, printed as a CSS percentage with one decimal (`125` →
/// `12.5%`) by integer arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Permille(pub u32);

impl Permille {
    /// `part / whole` in per-mille, rounded down, at most 1000; 0 for an empty whole.
    pub fn of(part: u32, whole: u32) -> Permille {
        if whole == 0 {
            return Permille(0);
        }
        let v = u64::from(part) * 1000 / u64::from(whole);
        Permille(u32::try_from(v.min(1000)).unwrap_or(1000))
    }

    /// `12.5%`, `0%`, `100%`.
    pub fn css(self) -> String {
        let v = self.0;
        if v.is_multiple_of(10) {
            format!("{}%", v / 10)
        } else {
            format!("{}.{}%", v / 10, v % 10)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;
    use crate::health::{EstDuration, JobRef};
    use crate::model::{SourceId, SourceKind};
    use crate::time::{FixedOffset, Utc};

    /// Monday 2026-05-18 02:20 UTC (04:20 in Berlin).
    const NOW: Epoch = 1_779_070_800;

    fn occ(label: &str, kind: JobKind, start: Epoch, minutes: i64) -> Occurrence {
        Occurrence {
            job: Rc::new(JobRef {
                source: Some(SourceId {
                    kind: SourceKind::Pbs,
                    name: "pbs-main".into(),
                }),
                id: label.into(),
                label: label.into(),
                kind,
            }),
            job_index: 0,
            start,
            end: start + minutes * 60,
            duration: EstDuration {
                secs: minutes * 60,
                from_runs: false,
            },
            outcome: None,
            overlaps: Vec::new(),
        }
    }

    fn cal(occurrences: Vec<Occurrence>) -> Calendar {
        Calendar {
            from: 0,
            to: Epoch::MAX,
            occurrences,
            truncated: Vec::new(),
        }
    }

    #[test]
    fn kind_names_and_codes() {
        let codes: Vec<(&str, &str)> = KINDS
            .iter()
            .map(|k| (kind_info(*k).key, kind_info(*k).code))
            .collect();
        assert_eq!(
            codes,
            [
                ("backup", "BKP"),
                ("dump", "DMP"),
                ("prune", "PRN"),
                ("gc", "GC"),
                ("verify", "VFY"),
                ("sync", "SYN"),
                ("check", "CHK"),
                ("cleanup", "CLN"),
                ("other", "OTH")
            ]
        );
    }

    #[test]
    fn legend_lists_present_kinds_in_order_or_all() {
        let c = cal(vec![
            occ("p", JobKind::Prune, NOW, 10),
            occ("b", JobKind::Backup, NOW, 10),
            occ("b2", JobKind::Backup, NOW, 10),
        ]);
        let keys: Vec<&str> = legend(&c.occurrences).iter().map(|k| k.key).collect();
        assert_eq!(keys, ["backup", "prune"]);
        assert_eq!(legend(&[]).len(), 9, "nothing scheduled: the whole legend");
    }

    #[test]
    fn overlap_sentences_name_both_maintenance_first() {
        let gc = occ("GC store1", JobKind::GarbageCollection, NOW, 30);
        let backup = occ("nightly", JobKind::Backup, NOW - 600, 60);
        assert_eq!(
            overlap_text(&backup, &gc),
            "GC “GC store1” during backup “nightly”"
        );
        assert_eq!(overlap_text(&gc, &backup), overlap_text(&backup, &gc));
        let verify = occ("verify new", JobKind::Verify, NOW, 60);
        let prune = occ("daily prune", JobKind::Prune, NOW + 600, 10);
        assert_eq!(
            overlap_text(&verify, &prune),
            "Prune “daily prune” during verify “verify new”",
            "two maintenance jobs: the later during the earlier"
        );
    }

    #[test]
    fn an_occurrence_as_text() {
        let mut a = occ("GC store1", JobKind::GarbageCollection, NOW - 20 * 60, 30);
        a.outcome = Some(Outcome::Failed);
        a.overlaps = vec![1];
        let mut b = occ("nightly", JobKind::Backup, NOW - 20 * 60, 37);
        b.job = Rc::new(JobRef {
            source: None,
            ..(*b.job).clone()
        });
        b.overlaps = vec![0];
        let c = cal(vec![a, b]);
        let berlin_summer = FixedOffset::east(7_200).unwrap();
        let v = occurrence_view(&c, 0, NOW, &berlin_summer).unwrap();
        assert_eq!(v.kind.key, "gc");
        assert_eq!(v.datetime, "2026-05-18T04:00:00+02:00");
        assert_eq!((v.time.as_str(), v.end_time.as_str()), ("04:00", "04:30"));
        assert_eq!(v.duration, "~30 min");
        assert_eq!(v.source, "PBS pbs-main");
        assert!(v.past);
        assert_eq!(v.outcome.map(|o| (o.mark, o.text)), Some(("✗", "failed")));
        assert_eq!(v.overlaps, ["GC “GC store1” during backup “nightly”"]);
        assert_eq!(
            v.title,
            "Garbage collection · GC store1 · PBS pbs-main · Mon 18 May 04:00–04:30 (~30 min) \
             · ✗ failed · overlap: GC “GC store1” during backup “nightly”"
        );
        let b = occurrence_view(&c, 1, NOW, &Utc).unwrap();
        assert_eq!(b.source, "config");
        assert_eq!(b.time, "02:00");
        assert!(occurrence_view(&c, 2, NOW, &Utc).is_none());
        assert_eq!(
            overlap_list(&c, 0, Epoch::MAX),
            ["GC “GC store1” during backup “nightly”"],
            "each pair once"
        );
    }

    #[test]
    fn outcome_marks() {
        let marks: Vec<(&str, &str)> = [
            Outcome::Ok,
            Outcome::Failed,
            Outcome::Missed,
            Outcome::Running,
        ]
        .into_iter()
        .map(|o| (outcome_info(o).mark, outcome_info(o).text))
        .collect();
        assert_eq!(
            marks,
            [
                ("✓", "ok"),
                ("✗", "failed"),
                ("!", "missed"),
                ("↻", "running")
            ]
        );
    }

    #[test]
    fn permille_css() {
        assert_eq!(Permille::of(1, 8).css(), "12.5%");
        assert_eq!(Permille::of(1, 3).css(), "33.3%");
        assert_eq!(Permille::of(0, 3).css(), "0%");
        assert_eq!(Permille::of(5, 3).css(), "100%", "capped");
        assert_eq!(Permille::of(5, 0).css(), "0%", "empty whole");
        assert_eq!(Permille::of(u32::MAX, u32::MAX).css(), "100%");
    }
}
