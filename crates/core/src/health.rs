//! Health: every monitored item and every service judged against its schedule.
//!
//! [`assess`] takes the configuration, the state of every source ([`SourceStates`]), the
//! zones and `now`, and returns an [`Assessment`]: one [`ServiceHealth`] per configured
//! service with its [`ItemHealth`]s, the unmapped and ignored items, PVE's "not backed up"
//! guests, every job with its next run ([`JobHealth`]), the source statuses and warnings.
//! [`judge`] is the rule for one item, exposed for tests and tools.
//!
//! The states, their precedence, the grace rule and its justification are specified in
//! `docs/health.md`; in short (first match wins):
//!
//! 1. **retired** (service or item) — shown, never alarming;
//! 2. **paused** (`paused_until` today or later, display zone) — the verdict underneath is
//!    kept, alarms are silenced;
//! 3. **unknown** — a source the item depends on is not usable (error, stale, not read
//!    yet, or none configured), or its schedule cannot be evaluated; the verdict the last
//!    good data gives is kept as "last known";
//! 4. **failed** — the latest finished run failed and nothing succeeded since (unless a
//!    later slot then passed its grace without any attempt: missed);
//! 5. **missed** — an expected run plus grace passed without a success (with the count);
//! 6. **running** — a backup is in progress (its own, or its PVE job is working through
//!    its guests);
//! 7. **never** — no success was ever seen;
//! 8. **unscheduled** — no enabled schedule covers it;
//! 9. **late** — the expected run passed, still within grace;
//! 10. **ok**.
//!
//! Every verdict carries structured reason data ([`Verdict`]) and prints as plain English
//! (`missed 2 runs, last backup 3 d ago`).

mod assess;
pub(crate) mod judge;
mod text;

pub use assess::assess;
pub use judge::{Facts, InFlightHint, MISSED_CAP, judge};
pub use text::span;

use chrono::NaiveDate;

use crate::config::Target;
use crate::model::{Coverage, Epoch, Guest, JobKind, Run, ScheduleClock, ScheduleSpec, SourceId};
use crate::schedule::Schedule;
use crate::state::{Availability, ErrorKind, SourceStatus};
use crate::zones::SharedZone;

#[allow(unused_imports)] // linked from the docs
use crate::state::SourceStates;

/// The state of an item or a service (fieldless; see [`Verdict`] for the data).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    /// The latest expected backup exists.
    Ok,
    /// A backup is in progress.
    Running,
    /// The expected run passed; still within grace.
    Late,
    /// Expected runs plus grace passed without a success.
    Missed,
    /// The latest finished run failed.
    Failed,
    /// No successful backup was ever seen.
    Never,
    /// No enabled schedule covers it.
    Unscheduled,
    /// Gone for good: shown, never alarming.
    Retired,
    /// A source it depends on cannot be read (or is stale); the state cannot be known.
    Unknown,
    /// Alarms silenced until a date.
    Paused,
}

impl State {
    /// Every state, from best to worst ([`State::severity`] order).
    pub const ALL: [State; 10] = [
        State::Retired,
        State::Paused,
        State::Ok,
        State::Running,
        State::Late,
        State::Unscheduled,
        State::Unknown,
        State::Never,
        State::Failed,
        State::Missed,
    ];

    /// Rank for "a service is as bad as its worst item": higher is worse.
    ///
    /// retired < paused < ok < running < late < unscheduled < unknown < never < failed <
    /// missed. Missed ranks worst because nothing else reports it: PBS and PVE notify on
    /// failures, but a job that never started produces no event at all.
    pub fn severity(self) -> u8 {
        match self {
            State::Retired => 0,
            State::Paused => 1,
            State::Ok => 2,
            State::Running => 3,
            State::Late => 4,
            State::Unscheduled => 5,
            State::Unknown => 6,
            State::Never => 7,
            State::Failed => 8,
            State::Missed => 9,
        }
    }

    /// Stable key for CSS hooks and tests: `ok`, `running`, `late`, `missed`, `failed`,
    /// `never`, `unscheduled`, `retired`, `unknown`, `paused`.
    pub fn key(self) -> &'static str {
        match self {
            State::Ok => "ok",
            State::Running => "running",
            State::Late => "late",
            State::Missed => "missed",
            State::Failed => "failed",
            State::Never => "never",
            State::Unscheduled => "unscheduled",
            State::Retired => "retired",
            State::Unknown => "unknown",
            State::Paused => "paused",
        }
    }

    /// Does this state call for action (missed, failed, never)?
    pub fn is_alarm(self) -> bool {
        matches!(self, State::Missed | State::Failed | State::Never)
    }
}

/// An instant and how long ago it was at the assessment's `now` (negative: in the future).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ago {
    /// The instant.
    pub at: Epoch,
    /// `now - at` in seconds.
    pub secs: i64,
}

impl Ago {
    /// `at` seen from `now`.
    pub fn new(at: Epoch, now: Epoch) -> Ago {
        Ago {
            at,
            secs: now.saturating_sub(at),
        }
    }
}

/// A job or schedule, as named in reasons.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct JobRef {
    /// The source that reported it; `None` for a `[[schedules]]` entry of the config.
    pub source: Option<SourceId>,
    /// Job id (PVE `backup-…`, PBS `s-…`, plan id, `config#0`).
    pub id: String,
    /// Human label.
    pub label: String,
    /// What it does.
    pub kind: JobKind,
}

/// A failed run, for reasons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedRun {
    /// When it started.
    pub at: Ago,
    /// The error as the source reported it (untrusted text).
    pub message: Option<String>,
}

/// Why nothing is expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unscheduled {
    /// No job or schedule covers it.
    NoJob,
    /// A job covers it but its schedule is not known: a Backrest plan missing from the
    /// config's `plans`, a PVE job without a schedule.
    NoSchedule {
        /// The job.
        job: JobRef,
    },
    /// Only disabled jobs cover it (disabled jobs create no expectation).
    OnlyDisabled {
        /// One of them.
        job: JobRef,
    },
    /// PVE lists the guest under "Guests without backup job".
    NotBackedUp {
        /// The PVE source saying so.
        source: SourceId,
    },
    /// A service with no items: nothing is monitored.
    NoItems,
}

/// Why an item's state cannot be known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnknownCause {
    /// A source that holds (or may hold) its backups or schedule is not usable.
    Source {
        /// The source.
        id: SourceId,
        /// Error, stale or not read yet.
        availability: Availability,
        /// The latest failure's kind, if the latest attempt failed.
        kind: Option<ErrorKind>,
        /// When its last good data was read.
        last_good: Option<Ago>,
    },
    /// A PBS datastore that holds (or may hold) its backups could not be read (not
    /// mounted, maintenance, error), though the rest of the source could.
    Datastore {
        /// The PBS source.
        source: SourceId,
        /// The datastore.
        store: String,
        /// What PBS reported about it.
        problem: String,
    },
    /// No configured source can report this kind of item.
    NoSource,
    /// PVE could not resolve its job selections (guests unreadable), so which job covers
    /// the guest is unknown.
    CoverageUnknown {
        /// The PVE source.
        source: SourceId,
    },
    /// A covering job's schedule could not be parsed.
    BadSchedule {
        /// The job.
        job: JobRef,
        /// The parser's message.
        error: String,
    },
}

/// A state with its reason data. [`Verdict::state`] gives the fieldless [`State`];
/// `Display` gives plain English (`missed 2 runs, last backup 3 d ago`).
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// The latest expected backup exists.
    Ok {
        /// Newest successful backup.
        last_success: Ago,
        /// The expected run it satisfies (`None` when the schedule has no past occurrence).
        expected: Option<Ago>,
    },
    /// A backup is in progress.
    Running {
        /// When it started (for a queued guest: when its job's run started).
        since: Ago,
        /// Set when this guest waits for its turn in a PVE job that is running.
        queued_in: Option<JobRef>,
        /// Newest successful backup, if any.
        last_success: Option<Ago>,
        /// Earlier expected runs that passed their grace without success.
        overdue: u32,
    },
    /// The expected run passed; still within grace.
    Late {
        /// The expected run.
        expected: Ago,
        /// When grace ends (usually in the future: negative `secs`).
        grace_ends: Ago,
        /// The job or schedule that expected it.
        job: JobRef,
        /// Newest successful backup.
        last_success: Ago,
    },
    /// Expected runs plus grace passed without a success.
    Missed {
        /// How many expected runs passed grace without success (capped at [`MISSED_CAP`]).
        runs: u32,
        /// The newest of them.
        expected: Ago,
        /// The job or schedule that expected it.
        job: JobRef,
        /// Newest successful backup, if any.
        last_success: Option<Ago>,
        /// The newest failed attempt since the last success, if any.
        last_failure: Option<FailedRun>,
    },
    /// The latest finished run failed.
    Failed {
        /// The failed run.
        failure: FailedRun,
        /// Newest successful backup, if any.
        last_success: Option<Ago>,
        /// Expected runs since the last success that passed grace (the failed one included).
        missed: u32,
        /// A new run is already in progress.
        retrying: bool,
    },
    /// No successful backup was ever seen.
    Never {
        /// The job that expects one, if any.
        job: Option<JobRef>,
        /// Why nothing is expected, when nothing is.
        unscheduled: Option<Unscheduled>,
        /// Whether the whole history was read (`false`: none within the window read).
        history_complete: bool,
    },
    /// No enabled schedule covers it.
    Unscheduled {
        /// Newest successful backup, if any.
        last_success: Option<Ago>,
        /// Why.
        why: Unscheduled,
    },
    /// Gone for good.
    Retired {
        /// Newest successful backup, if any.
        last_success: Option<Ago>,
    },
    /// Alarms silenced through `until` (display zone).
    Paused {
        /// Last paused day.
        until: NaiveDate,
        /// The verdict without the pause.
        underlying: Box<Verdict>,
    },
    /// The state cannot be known.
    Unknown {
        /// Why (at least one cause).
        causes: Vec<UnknownCause>,
        /// The verdict the last good data gives, if there is any.
        last_known: Option<Box<Verdict>>,
    },
}

impl Verdict {
    /// The fieldless state.
    pub fn state(&self) -> State {
        match self {
            Verdict::Ok { .. } => State::Ok,
            Verdict::Running { .. } => State::Running,
            Verdict::Late { .. } => State::Late,
            Verdict::Missed { .. } => State::Missed,
            Verdict::Failed { .. } => State::Failed,
            Verdict::Never { .. } => State::Never,
            Verdict::Unscheduled { .. } => State::Unscheduled,
            Verdict::Retired { .. } => State::Retired,
            Verdict::Paused { .. } => State::Paused,
            Verdict::Unknown { .. } => State::Unknown,
        }
    }

    /// The state under a pause (a paused verdict's underlying state), else the state.
    pub fn underlying_state(&self) -> State {
        match self {
            Verdict::Paused { underlying, .. } => underlying.underlying_state(),
            v => v.state(),
        }
    }
}

/// The schedule an item is judged against: one covering job or `[[schedules]]` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Expectation {
    /// The job.
    pub job: JobRef,
    /// Its schedule.
    pub schedule: Schedule,
    /// Backrest clock (`Local` elsewhere). `LastRunTime`, and every period schedule
    /// (`every = "6h"`), count from the last run instead of a fixed grid.
    pub clock: ScheduleClock,
    /// The zone it is evaluated in (calendar events ending in ` UTC` ignore it).
    pub zone: SharedZone,
    /// Grace in seconds.
    pub grace_secs: i64,
    /// Nominal period in seconds, if the schedule has one.
    pub period_secs: Option<i64>,
}

impl Expectation {
    /// True for schedules with a fixed grid of occurrences (cron and calendar events on
    /// the local or UTC clock); false for `LastRunTime` and periods.
    pub fn is_grid(&self) -> bool {
        matches!(self.schedule, Schedule::Calendar(_) | Schedule::Cron(_))
            && self.clock != ScheduleClock::LastRunTime
    }

    /// How early a run may start and still count for an occurrence: 10 % of the period,
    /// at most 15 minutes (60 s without a period). Covers clock skew between servers.
    pub fn tolerance(&self) -> i64 {
        match self.period_secs {
            Some(p) => (p / 10).clamp(0, 900),
            None => 60,
        }
    }

    /// The zone occurrences are computed in (UTC for Backrest's UTC clock).
    pub(crate) fn eval_zone(&self) -> &dyn crate::time::Zone {
        if self.clock == ScheduleClock::Utc {
            &crate::time::Utc
        } else {
            self.zone.zone()
        }
    }
}

/// Where a next run comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provenance {
    /// Reported by the server (PBS/PVE `next-run`, Backrest's pending operation).
    Server,
    /// Computed by backwatch from the schedule.
    Computed,
}

/// Whether a next run still lies ahead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Due {
    /// In the future.
    Upcoming,
    /// In the past, within grace: the server has not started it yet ("pending").
    Pending,
    /// In the past, beyond grace: it did not run.
    Missed,
}

/// The next scheduled run, with its provenance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextRun {
    /// When.
    pub at: Epoch,
    /// Server-reported or computed.
    pub provenance: Provenance,
    /// Which job.
    pub job: JobRef,
    /// Whether it is still ahead.
    pub due: Due,
}

/// Verification state of an item or service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerifyHealth {
    /// The newest verification passed and is younger than `verify_max_age`.
    Ok {
        /// When it ran.
        at: Ago,
    },
    /// The newest verification failed.
    Failed {
        /// When it ran, if known.
        at: Option<Ago>,
    },
    /// The newest verification passed but is older than `verify_max_age` (or undated).
    Stale {
        /// When it ran, if known.
        at: Option<Ago>,
    },
    /// Never verified.
    None,
}

impl VerifyHealth {
    /// Higher is worse: ok < none < stale < failed.
    pub fn severity(self) -> u8 {
        match self {
            VerifyHealth::Ok { .. } => 0,
            VerifyHealth::None => 1,
            VerifyHealth::Stale { .. } => 2,
            VerifyHealth::Failed { .. } => 3,
        }
    }

    /// Stable key: `ok`, `failed`, `stale`, `none`.
    pub fn key(self) -> &'static str {
        match self {
            VerifyHealth::Ok { .. } => "ok",
            VerifyHealth::Failed { .. } => "failed",
            VerifyHealth::Stale { .. } => "stale",
            VerifyHealth::None => "none",
        }
    }
}

/// Extra facts about an item that do not change its state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    /// PVE lists the guest under "Guests without backup job".
    NotBackedUp {
        /// The PVE source.
        source: SourceId,
    },
    /// The newest successful run finished with warnings (data was written).
    LatestRunWarning {
        /// When it started.
        at: Ago,
        /// The warning text.
        message: Option<String>,
    },
    /// No source schedules it; a `[[schedules]]` entry of its service does.
    ScheduleFromConfig {
        /// The entry's label.
        label: String,
    },
}

/// One monitored item: a configured target, or a subject seen but mapped to no service.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemHealth {
    /// What and where (unmapped items get a scope naming where they were seen).
    pub target: Target,
    /// Human name: PVE guest name, PBS group comment, Backrest/Databasement label.
    pub label: Option<String>,
    /// Retired (itself or its service).
    pub retired: bool,
    /// State and reason.
    pub verdict: Verdict,
    /// `verdict.state()`.
    pub state: State,
    /// Newest successful backup.
    pub last_success: Option<Epoch>,
    /// Start of a backup in progress, if any.
    pub in_flight: Option<Epoch>,
    /// Next scheduled run.
    pub next_run: Option<NextRun>,
    /// `None` where verification does not apply (Databasement, Backrest).
    pub verification: Option<VerifyHealth>,
    /// Snapshots / dumps that exist now (summed over the sources that report it).
    pub snapshot_count: Option<u32>,
    /// Size of the newest backup.
    pub size_bytes: Option<u64>,
    /// Sources its backups were read from.
    pub sources: Vec<SourceId>,
    /// Facts that do not change the state.
    pub notes: Vec<Note>,
    /// Known runs from every matching backup set, newest first, duplicates removed.
    pub runs: Vec<Run>,
    /// The schedules it is judged against.
    pub expectations: Vec<Expectation>,
    /// The instant its data describes (the oldest read time of the sources it depends
    /// on, at most `now`): grace is measured against this, not against `now`, so data
    /// that is one refresh old never makes a run look late.
    pub as_of: Epoch,
}

/// A service: its items and their roll-up.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceHealth {
    /// The name (`[services.<name>]`).
    pub name: String,
    /// Free text from the config.
    pub description: Option<String>,
    /// Link from the config.
    pub link: Option<String>,
    /// Retired as a whole.
    pub retired: bool,
    /// Paused through this day (display zone), when the pause is still on.
    pub paused_until: Option<NaiveDate>,
    /// The worst non-retired item's verdict (see [`State::severity`]; a paused service
    /// picks by the state under the pause).
    pub verdict: Verdict,
    /// `verdict.state()`.
    pub state: State,
    /// Index of that item in `items`.
    pub worst: Option<usize>,
    /// Items in config order.
    pub items: Vec<ItemHealth>,
    /// Worst verification over its non-retired items where it applies.
    pub verification: Option<VerifyHealth>,
    /// The soonest next run of its non-retired items.
    pub next_run: Option<NextRun>,
    /// Indices into [`Assessment::jobs`] of the `[[schedules]]` entries naming it.
    pub schedules: Vec<usize>,
}

impl ServiceHealth {
    /// One line: `immich — missed 2 runs, last backup 3 d ago`.
    pub fn summary(&self) -> String {
        format!("{} — {}", self.name, self.verdict)
    }
}

/// A guest PVE lists as covered by no backup job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotBackedUp {
    /// The guest.
    pub guest: Guest,
    /// The PVE source.
    pub source: SourceId,
    /// The service that maps it, if any.
    pub service: Option<String>,
}

/// Something a job uses, for overlap detection in the calendar.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Resource {
    /// A PBS datastore.
    PbsStore {
        /// The PBS source.
        source: SourceId,
        /// Datastore name.
        store: String,
    },
    /// A Backrest instance, or one repository of it (`None` = any).
    Backrest {
        /// The Backrest source.
        source: SourceId,
        /// Repository id.
        repo: Option<String>,
    },
    /// A Databasement instance.
    Databasement {
        /// The source.
        source: SourceId,
    },
}

impl Resource {
    /// Could two jobs using these contend?
    pub fn shared_with(&self, other: &Resource) -> bool {
        match (self, other) {
            (
                Resource::Backrest {
                    source: a,
                    repo: ra,
                },
                Resource::Backrest {
                    source: b,
                    repo: rb,
                },
            ) => a == b && (ra.is_none() || rb.is_none() || ra == rb),
            _ => self == other,
        }
    }
}

/// An estimated run duration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EstDuration {
    /// Seconds.
    pub secs: i64,
    /// From the median of known runs (true) or a per-kind default (false).
    pub from_runs: bool,
}

/// A job from a source or a `[[schedules]]` entry, resolved for the calendar and job list.
#[derive(Clone, Debug, PartialEq)]
pub struct JobHealth {
    /// Source, id, label, kind.
    pub job: JobRef,
    /// Disabled jobs are shown but create no expectation.
    pub enabled: bool,
    /// The schedule as written.
    pub spec: Option<ScheduleSpec>,
    /// The parsed schedule (`None`: manual only, or unparsable, see `schedule_error`).
    pub schedule: Option<Schedule>,
    /// Why the schedule could not be parsed.
    pub schedule_error: Option<String>,
    /// Backrest clock.
    pub clock: ScheduleClock,
    /// Evaluation zone.
    pub zone: SharedZone,
    /// Grace (default rule) in seconds.
    pub grace_secs: i64,
    /// Nominal period.
    pub period_secs: Option<i64>,
    /// Next run with provenance (server-reported preferred; a past PBS `next-run` is
    /// pending or missed).
    pub next_run: Option<NextRun>,
    /// The job's own last run, when the source reports one (PBS jobs, Backrest plans).
    pub last_run: Option<Run>,
    /// What it covers.
    pub covers: Coverage,
    /// Estimated duration.
    pub duration: EstDuration,
    /// What it uses (overlap detection).
    pub resources: Vec<Resource>,
    /// The service a `[[schedules]]` entry names.
    pub service: Option<String>,
    /// Availability of its source (`None` for config entries).
    pub availability: Option<Availability>,
}

/// Everything the view needs, for one `now`.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    /// The instant assessed.
    pub now: Epoch,
    /// The display zone.
    pub display_zone: SharedZone,
    /// Services in config order.
    pub services: Vec<ServiceHealth>,
    /// Subjects seen in a source but mapped to no service (minus `[ignore]`).
    pub unmapped: Vec<ItemHealth>,
    /// Subjects hidden by `[ignore]`, assessed anyway.
    pub ignored: Vec<ItemHealth>,
    /// Guests PVE lists as covered by no backup job (minus `[ignore]`).
    pub not_backed_up: Vec<NotBackedUp>,
    /// Every job of every source, then the `[[schedules]]` entries.
    pub jobs: Vec<JobHealth>,
    /// Every configured source.
    pub sources: Vec<SourceStatus>,
    /// Zone fallbacks, unparsable schedules.
    pub warnings: Vec<String>,
}

impl Assessment {
    /// The worst state over all services and unmapped items (`None` when there are none).
    pub fn worst(&self) -> Option<State> {
        self.services
            .iter()
            .map(|s| s.state)
            .chain(self.unmapped.iter().map(|i| i.state))
            .max_by_key(|s| s.severity())
    }

    /// Every item of every service, then the unmapped and the ignored ones.
    pub fn all_items(&self) -> impl Iterator<Item = &ItemHealth> {
        self.services
            .iter()
            .flat_map(|s| s.items.iter())
            .chain(self.unmapped.iter())
            .chain(self.ignored.iter())
    }
}
