//! The status side: summary counts, the problem list, the status table's rows and cells,
//! sort, state filter and pagination windows.
//!
//! Everything is computed from an [`Assessment`] (health is judged in
//! [`crate::health`], never here); `now` and the display zone are arguments. Rows are
//! built only for the window that is shown, so a lab with thousands of items stays fast:
//! [`table_order`] sorts lightweight keys, [`service_row`] / [`item_row`] format one row.

use std::cmp::Ordering;

use crate::display;
use crate::health::{
    Assessment, Due, ItemHealth, NextRun, Note, Provenance, ServiceHealth, State, VerifyHealth,
};
use crate::model::{Epoch, SourceId, SourceKind};
use crate::time::Zone;

/// Rows shown at first, and added by each "show more".
pub const PAGE: usize = 50;

/// Problem lines shown by the summary before "+N more".
pub const PROBLEM_CAP: usize = 5;

/// How a state looks: its stable key (CSS, `data-health`), a text label and a glyph, so
/// colour is never the only signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Badge {
    /// [`State::key`].
    pub key: &'static str,
    /// The word shown.
    pub label: &'static str,
    /// A glyph whose shape differs per state (decorative: the label carries the meaning).
    pub icon: &'static str,
}

/// The badge of a state.
pub fn badge(state: State) -> Badge {
    let (label, icon) = match state {
        State::Ok => ("ok", "✓"),
        State::Running => ("running", "↻"),
        State::Late => ("late", "◔"),
        State::Missed => ("missed", "⊘"),
        State::Failed => ("failed", "✕"),
        State::Never => ("never", "∅"),
        State::Unscheduled => ("unscheduled", "–"),
        State::Retired => ("retired", "◌"),
        State::Unknown => ("unknown", "?"),
        State::Paused => ("paused", "‖"),
    };
    Badge {
        key: state.key(),
        label,
        icon,
    }
}

/// Does a state belong in the problem list? Everything that is neither fine (ok, running)
/// nor silenced (paused, retired).
pub fn is_problem(state: State) -> bool {
    !matches!(
        state,
        State::Ok | State::Running | State::Paused | State::Retired
    )
}

/// How many services are in one state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateCount {
    /// The state.
    pub state: State,
    /// Services in it.
    pub count: usize,
}

/// Services per state: only the states present, worst first.
pub fn state_counts(services: &[ServiceHealth]) -> Vec<StateCount> {
    counts_of(services.iter().map(|s| s.state))
}

fn counts_of(states: impl Iterator<Item = State>) -> Vec<StateCount> {
    let mut n = [0usize; State::ALL.len()];
    for s in states {
        if let Some(c) = n.get_mut(usize::from(s.severity())) {
            *c += 1;
        }
    }
    State::ALL
        .iter()
        .rev()
        .filter_map(|&state| {
            let count = n.get(usize::from(state.severity())).copied().unwrap_or(0);
            (count > 0).then_some(StateCount { state, count })
        })
        .collect()
}

/// The counts as one sentence, for screen readers and the compact line:
/// `14 services: 2 missed, 1 failed, 3 ok`.
pub fn counts_sentence(counts: &[StateCount]) -> String {
    let total: usize = counts.iter().map(|c| c.count).sum();
    let mut out = display::count(total as u64, "service", "services");
    for (i, c) in counts.iter().enumerate() {
        out.push_str(if i == 0 { ": " } else { ", " });
        out.push_str(&c.count.to_string());
        out.push(' ');
        out.push_str(badge(c.state).label);
    }
    out
}

/// One line of the problem list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The service's name; `""` for the line about unmapped items.
    pub service: String,
    /// Its state (the worst of the unmapped items for that line).
    pub state: State,
    /// What the line shows: the state's badge, or [`VERIFY_FAILED`] for a service whose
    /// backups run on time but whose newest verification failed.
    pub badge: Badge,
    /// `Immich — missed 2 runs, last backup 3 d ago`.
    pub text: String,
}

/// The badge of a problem line about a failed verification: the backups exist and are on
/// schedule (the service's state may well be ok), but PBS found their content damaged, so
/// a restore may fail. It is listed because that must not go unnoticed either.
pub const VERIFY_FAILED: Badge = Badge {
    key: "verify-failed",
    label: "verify failed",
    icon: "✕",
};

/// The worst problems first, capped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problems {
    /// At most the cap.
    pub lines: Vec<Problem>,
    /// How many more there are (`+N more`).
    pub more: usize,
}

/// Short name of an item: `immich (ct/103)`, or the subject alone without a label.
pub fn item_name(item: &ItemHealth) -> String {
    let subject = item.target.subject.to_string();
    match item
        .label
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        Some(label) if label != subject => format!("{label} ({subject})"),
        _ => subject,
    }
}

fn not_backed_up(item: &ItemHealth) -> bool {
    item.notes
        .iter()
        .any(|n| matches!(n, Note::NotBackedUp { .. }))
}

/// Unmapped items that call for attention: alarming states, and guests PVE lists without
/// a backup job.
fn unmapped_attention(a: &Assessment) -> Vec<&ItemHealth> {
    a.unmapped
        .iter()
        .filter(|i| !i.retired && (i.state.is_alarm() || not_backed_up(i)))
        .collect()
}

/// The problem list: services in a problem state ([`is_problem`]), worst first then by
/// name, each as `ServiceHealth::summary()`; plus one line naming the unmapped items that
/// need attention (never backed up, failed, missed, or without a PVE backup job). At most
/// `cap` lines; the rest are counted in `more`.
pub fn problems(a: &Assessment, cap: usize) -> Problems {
    let mut all: Vec<Problem> = a
        .services
        .iter()
        .filter(|s| is_problem(s.state))
        .map(|s| Problem {
            service: s.name.clone(),
            state: s.state,
            badge: badge(s.state),
            text: s.summary(),
        })
        .collect();
    // Verification failures of services that are not retired: after the health problems
    // of the same severity as "failed" (a damaged backup is as bad as a failed run).
    let verify: Vec<Problem> = a
        .services
        .iter()
        .filter(|s| !s.retired)
        .filter_map(|s| match s.verification {
            Some(VerifyHealth::Failed { at }) => Some(Problem {
                service: s.name.clone(),
                state: s.state,
                badge: VERIFY_FAILED,
                text: match at {
                    Some(at) => format!(
                        "{} — newest verification failed {}; a restore from it may fail",
                        s.name,
                        display::relative(at.at, a.now)
                    ),
                    None => format!(
                        "{} — newest verification failed; a restore from it may fail",
                        s.name
                    ),
                },
            }),
            _ => None,
        })
        .collect();
    let attention = unmapped_attention(a);
    if let Some(worst) = attention
        .iter()
        .map(|i| i.state)
        .max_by_key(|s| s.severity())
    {
        const SHOWN: usize = 3;
        let names: Vec<String> = attention.iter().take(SHOWN).map(|i| item_name(i)).collect();
        let verb = if attention.len() == 1 {
            "needs"
        } else {
            "need"
        };
        let mut text = format!(
            "Not mapped to a service — {} {verb} attention: {}",
            display::count(attention.len() as u64, "item", "items"),
            names.join(", ")
        );
        if attention.len() > SHOWN {
            text.push_str(", …");
        }
        all.push(Problem {
            service: String::new(),
            state: worst,
            badge: badge(worst),
            text,
        });
    }
    // Health lines by severity; verification lines rank just after "failed".
    let rank = |p: &Problem| {
        let state = if p.badge == VERIFY_FAILED {
            State::Failed
        } else {
            p.state
        };
        (state.severity(), p.badge != VERIFY_FAILED)
    };
    all.extend(verify);
    all.sort_by(|x, y| {
        rank(y)
            .cmp(&rank(x))
            .then_with(|| cmp_name(&x.service, &y.service))
    });
    let more = all.len().saturating_sub(cap);
    all.truncate(cap);
    Problems { lines: all, more }
}

fn cmp_name(a: &str, b: &str) -> Ordering {
    // Unmapped ("") after named services of the same state.
    match (a.is_empty(), b.is_empty()) {
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => a
            .chars()
            .flat_map(char::to_lowercase)
            .cmp(b.chars().flat_map(char::to_lowercase))
            .then_with(|| a.cmp(b)),
    }
}

/// A column the table can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// Service name, A→Z.
    Name,
    /// Severity, worst first.
    State,
    /// Last backup, oldest first (never backed up before everything).
    LastBackup,
    /// Next run, soonest first (no next run after everything).
    NextRun,
}

impl SortKey {
    /// Stable key for `data-sort`: `name`, `state`, `last-backup`, `next-run`.
    pub fn key(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::State => "state",
            SortKey::LastBackup => "last-backup",
            SortKey::NextRun => "next-run",
        }
    }

    /// Column heading.
    pub fn label(self) -> &'static str {
        match self {
            SortKey::Name => "Service",
            SortKey::State => "State",
            SortKey::LastBackup => "Last backup",
            SortKey::NextRun => "Next run",
        }
    }

    /// The direction a column starts in: the order that puts trouble on top (state:
    /// worst first; last backup: oldest first; next run: soonest first; name: A→Z).
    pub fn natural_descending(self) -> bool {
        matches!(self, SortKey::State)
    }
}

/// The table's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sort {
    /// The column.
    pub key: SortKey,
    /// Reversed from the ascending order of that column.
    pub descending: bool,
}

impl Default for Sort {
    /// Worst first.
    fn default() -> Self {
        Sort {
            key: SortKey::State,
            descending: true,
        }
    }
}

impl Sort {
    /// Activating a column's sort button: the same column flips direction, another column
    /// starts in its natural direction.
    pub fn toggle(self, key: SortKey) -> Sort {
        if self.key == key {
            Sort {
                key,
                descending: !self.descending,
            }
        } else {
            Sort {
                key,
                descending: key.natural_descending(),
            }
        }
    }

    /// `aria-sort` of a column header: `ascending`, `descending` or `none`.
    pub fn aria(self, key: SortKey) -> &'static str {
        match (self.key == key, self.descending) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        }
    }
}

/// The sort keys of one row.
struct Keys<'a> {
    name: &'a str,
    severity: u8,
    last: Option<Epoch>,
    next: Option<Epoch>,
}

fn compare(a: &Keys<'_>, b: &Keys<'_>, sort: Sort) -> Ordering {
    let primary = match sort.key {
        SortKey::Name => cmp_name(a.name, b.name),
        SortKey::State => a.severity.cmp(&b.severity),
        // None = never backed up = oldest.
        SortKey::LastBackup => a.last.cmp(&b.last),
        // None = nothing ahead: after every time, in both directions.
        SortKey::NextRun => match (a.next, b.next) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => {
                return Ordering::Less;
            }
            (None, Some(_)) => return Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
    };
    let primary = if sort.descending {
        primary.reverse()
    } else {
        primary
    };
    // Ties: worst first, then by name.
    primary
        .then_with(|| b.severity.cmp(&a.severity))
        .then_with(|| cmp_name(a.name, b.name))
}

/// The last backup shown for a service: that of the item its verdict is about (its worst
/// item), so the cell agrees with the state and the reason beside it. When every item is
/// retired, the newest of them; without items, none.
pub fn service_last_backup(s: &ServiceHealth) -> Option<Epoch> {
    if s.items.iter().all(|i| i.retired) {
        return s.items.iter().filter_map(|i| i.last_success).max();
    }
    s.worst
        .and_then(|w| s.items.get(w))
        .and_then(|i| i.last_success)
}

/// Snapshots of a service: the sum over its items that report a count.
pub fn service_snapshots(s: &ServiceHealth) -> Option<u32> {
    s.items
        .iter()
        .filter_map(|i| i.snapshot_count)
        .reduce(|a, b| a.saturating_add(b))
}

/// Rows of the table in display order, as indices: services into
/// [`Assessment::services`], unmapped items into [`Assessment::unmapped`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableOrder {
    /// Services that pass the filter, sorted.
    pub services: Vec<usize>,
    /// Unmapped items that pass the filter, sorted the same way.
    pub unmapped: Vec<usize>,
}

/// Sort and filter the table (`filter`: only rows in that state).
pub fn table_order(a: &Assessment, sort: Sort, filter: Option<State>) -> TableOrder {
    let pass = |s: State| filter.is_none_or(|f| f == s);
    let mut services: Vec<(usize, Keys<'_>)> = a
        .services
        .iter()
        .enumerate()
        .filter(|(_, s)| pass(s.state))
        .map(|(i, s)| {
            (
                i,
                Keys {
                    name: &s.name,
                    severity: s.state.severity(),
                    last: service_last_backup(s),
                    next: s.next_run.as_ref().map(|n| n.at),
                },
            )
        })
        .collect();
    services.sort_by(|x, y| compare(&x.1, &y.1, sort));
    // Unmapped items sort by their subject (`ct/107`): labels are untrusted hints.
    let names: Vec<String> = a
        .unmapped
        .iter()
        .map(|i| i.target.subject.to_string())
        .collect();
    let mut unmapped: Vec<(usize, Keys<'_>)> = a
        .unmapped
        .iter()
        .zip(&names)
        .enumerate()
        .filter(|(_, (it, _))| pass(it.state))
        .map(|(i, (it, name))| {
            (
                i,
                Keys {
                    name,
                    severity: it.state.severity(),
                    last: it.last_success,
                    next: it.next_run.as_ref().map(|n| n.at),
                },
            )
        })
        .collect();
    unmapped.sort_by(|x, y| compare(&x.1, &y.1, sort));
    TableOrder {
        services: services.into_iter().map(|(i, _)| i).collect(),
        unmapped: unmapped.into_iter().map(|(i, _)| i).collect(),
    }
}

/// One state filter chip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chip {
    /// `None` = all rows.
    pub state: Option<State>,
    /// `all`, or the state's label.
    pub label: &'static str,
    /// Rows (services and unmapped items) it shows.
    pub count: usize,
    /// The active filter.
    pub pressed: bool,
}

/// The filter chips: `all`, then every state present among services and unmapped items,
/// worst first. A selected state that no row has any more keeps its chip (count 0), so
/// the filter can always be seen and cleared.
pub fn filter_chips(a: &Assessment, selected: Option<State>) -> Vec<Chip> {
    let counts = counts_of(
        a.services
            .iter()
            .map(|s| s.state)
            .chain(a.unmapped.iter().map(|i| i.state)),
    );
    let total = a.services.len() + a.unmapped.len();
    let mut chips = vec![Chip {
        state: None,
        label: "all",
        count: total,
        pressed: selected.is_none(),
    }];
    for c in &counts {
        chips.push(Chip {
            state: Some(c.state),
            label: badge(c.state).label,
            count: c.count,
            pressed: selected == Some(c.state),
        });
    }
    if let Some(s) = selected.filter(|s| !counts.iter().any(|c| c.state == *s)) {
        chips.push(Chip {
            state: Some(s),
            label: badge(s).label,
            count: 0,
            pressed: true,
        });
    }
    chips
}

/// How much of a list is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Rows rendered (the first `shown` of the order).
    pub shown: usize,
    /// Rows in the order.
    pub total: usize,
    /// Rows not rendered.
    pub hidden: usize,
    /// How many the next "show more" adds.
    pub step: usize,
}

/// The first `limit` of `total` rows.
pub fn window(total: usize, limit: usize) -> Window {
    let shown = total.min(limit);
    let hidden = total - shown;
    Window {
        shown,
        total,
        hidden,
        step: hidden.min(PAGE),
    }
}

impl Window {
    /// `show 50 more (250 not shown)`; `""` when everything is shown.
    pub fn more_label(&self) -> String {
        if self.hidden == 0 {
            String::new()
        } else {
            format!("show {} more ({} not shown)", self.step, self.hidden)
        }
    }
}

/// A time cell: relative text, the exact local time and the `<time datetime>` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeCell {
    /// RFC 3339 in the display zone.
    pub datetime: String,
    /// `3 d ago`, `in 5 h`.
    pub relative: String,
    /// `Sun 17 May 04:00`.
    pub exact: String,
}

/// The cell of an instant seen from `now`, in `zone`.
pub fn time_cell(at: Epoch, now: Epoch, zone: &dyn Zone) -> TimeCell {
    TimeCell {
        datetime: display::rfc3339(at, zone),
        relative: display::relative(at, now),
        exact: display::exact(at, now, zone),
    }
}

/// The next-run cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextRunCell {
    /// When.
    pub time: TimeCell,
    /// `upcoming`, `pending` (due, within grace, not started) or `missed`.
    pub due: &'static str,
    /// `server` (reported by the source) or `computed` (from the schedule).
    pub provenance: &'static str,
    /// Short provenance mark shown beside the time: `server` / `computed`.
    pub provenance_label: &'static str,
    /// `nightly to PBS · Mon 18 May 04:00 · reported by the server`.
    pub title: String,
}

/// The cell of a next run.
pub fn next_run_cell(n: &NextRun, now: Epoch, zone: &dyn Zone) -> NextRunCell {
    let time = time_cell(n.at, now, zone);
    let (provenance, provenance_label, from) = match n.provenance {
        Provenance::Server => ("server", "server", "reported by the server"),
        Provenance::Computed => ("computed", "computed", "computed from the schedule"),
    };
    let due = match n.due {
        Due::Upcoming => "upcoming",
        Due::Pending => "pending",
        Due::Missed => "missed",
    };
    let state = match n.due {
        Due::Upcoming => "",
        Due::Pending => " · due, not started yet",
        Due::Missed => " · due time passed without a run",
    };
    let title = format!("{} · {}{state} · {from}", n.job, time.exact);
    NextRunCell {
        time,
        due,
        provenance,
        provenance_label,
        title,
    }
}

/// The verification cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyCell {
    /// [`VerifyHealth::key`]: `ok`, `failed`, `stale`, `none`.
    pub key: &'static str,
    /// `verified`, `failed`, `stale`, `never verified`.
    pub label: &'static str,
    /// When the newest verification ran, if known.
    pub time: Option<TimeCell>,
}

/// The cell of a verification state.
pub fn verify_cell(v: VerifyHealth, now: Epoch, zone: &dyn Zone) -> VerifyCell {
    let (label, at) = match v {
        VerifyHealth::Ok { at } => ("verified", Some(at)),
        VerifyHealth::Failed { at } => ("failed", at),
        VerifyHealth::Stale { at } => ("stale", at),
        VerifyHealth::None => ("never verified", None),
    };
    VerifyCell {
        key: v.key(),
        label,
        time: at.map(|a| time_cell(a.at, now, zone)),
    }
}

/// Where a row's backups were read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceBadge {
    /// [`SourceKind::key`] of the source read.
    pub kind: &'static str,
    /// `PBS`, `PBS via PVE`, `Databasement`, `Backrest`.
    pub label: &'static str,
    /// `PBS via PVE pve-cluster`.
    pub title: String,
}

/// The badge of one source (a PVE source holds PBS snapshots listed through its storages).
pub fn source_badge(id: &SourceId) -> SourceBadge {
    let label = match id.kind {
        SourceKind::Pve => "PBS via PVE",
        k => k.label(),
    };
    SourceBadge {
        kind: id.kind.key(),
        label,
        title: format!("{label} {}", id.name),
    }
}

/// Badges of several sources, duplicates removed, in the given order.
pub fn source_badges<'a>(ids: impl IntoIterator<Item = &'a SourceId>) -> Vec<SourceBadge> {
    let mut out: Vec<SourceBadge> = Vec::new();
    for id in ids {
        let b = source_badge(id);
        if !out.contains(&b) {
            out.push(b);
        }
    }
    out
}

/// One row of the status table: a service or an item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Service name, or the item's subject (`ct/103`): the `data-service` / `data-item` hook.
    pub key: String,
    /// What is shown as the name.
    pub name: String,
    /// Second line: a service's description; an item's subject and datastore.
    pub detail: Option<String>,
    /// The state.
    pub state: State,
    /// Its badge.
    pub badge: Badge,
    /// The verdict in plain English, for every state but ok.
    pub reason: Option<String>,
    /// Newest successful backup (a service: its worst item's).
    pub last_backup: Option<TimeCell>,
    /// Snapshot / dump count, or `—`.
    pub snapshots: String,
    /// Next scheduled run.
    pub next_run: Option<NextRunCell>,
    /// Verification, where it applies.
    pub verify: Option<VerifyCell>,
    /// Where the backups were read.
    pub sources: Vec<SourceBadge>,
    /// Retired: greyed, never alarming.
    pub retired: bool,
    /// Extra marks: `not backed up` (PVE lists it without a job), `warnings`.
    pub tags: Vec<&'static str>,
}

fn reason(state: State, verdict: &impl std::fmt::Display) -> Option<String> {
    (state != State::Ok).then(|| verdict.to_string())
}

fn snapshots_text(n: Option<u32>) -> String {
    n.map_or_else(|| "—".to_owned(), |n| n.to_string())
}

/// The row of a service (its items are rows of their own, see [`item_row`]).
pub fn service_row(s: &ServiceHealth, now: Epoch, zone: &dyn Zone) -> Row {
    let mut tags = Vec::new();
    if s.items.iter().any(not_backed_up) {
        tags.push("not backed up");
    }
    Row {
        key: s.name.clone(),
        name: s.name.clone(),
        detail: s.description.clone(),
        state: s.state,
        badge: badge(s.state),
        reason: reason(s.state, &s.verdict),
        last_backup: service_last_backup(s).map(|t| time_cell(t, now, zone)),
        snapshots: snapshots_text(service_snapshots(s)),
        next_run: s.next_run.as_ref().map(|n| next_run_cell(n, now, zone)),
        verify: s.verification.map(|v| verify_cell(v, now, zone)),
        sources: source_badges(s.items.iter().flat_map(|i| i.sources.iter())),
        retired: s.retired,
        tags,
    }
}

/// The row of an item (a service's guest, database, plan or host, or an unmapped one).
pub fn item_row(i: &ItemHealth, now: Epoch, zone: &dyn Zone) -> Row {
    let subject = i.target.subject.to_string();
    let mut detail = subject.clone();
    if let Some(store) = &i.target.scope.datastore {
        detail.push_str(" · ");
        detail.push_str(store);
    }
    let mut tags = Vec::new();
    if not_backed_up(i) {
        tags.push("not backed up");
    }
    if i.notes
        .iter()
        .any(|n| matches!(n, Note::LatestRunWarning { .. }))
    {
        tags.push("warnings");
    }
    let name = i
        .label
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .unwrap_or(&subject)
        .to_owned();
    Row {
        key: subject,
        name,
        detail: Some(detail),
        state: i.state,
        badge: badge(i.state),
        reason: reason(i.state, &i.verdict),
        last_backup: i.last_success.map(|t| time_cell(t, now, zone)),
        snapshots: snapshots_text(i.snapshot_count),
        next_run: i.next_run.as_ref().map(|n| next_run_cell(n, now, zone)),
        verify: i.verification.map(|v| verify_cell(v, now, zone)),
        sources: source_badges(&i.sources),
        retired: i.retired,
        tags,
    }
}

/// The heading of the unmapped group, over the rows shown (indices into
/// [`Assessment::unmapped`]): `Not mapped to a service · 3 items, 2 not backed up`.
pub fn unmapped_heading(a: &Assessment, rows: &[usize]) -> String {
    let mut out = format!(
        "Not mapped to a service · {}",
        display::count(rows.len() as u64, "item", "items")
    );
    let nb = rows
        .iter()
        .filter_map(|&i| a.unmapped.get(i))
        .filter(|i| not_backed_up(i))
        .count();
    if nb > 0 {
        out.push_str(", ");
        out.push_str(&nb.to_string());
        out.push_str(" not backed up");
    }
    out
}

#[cfg(test)]
mod tests;
