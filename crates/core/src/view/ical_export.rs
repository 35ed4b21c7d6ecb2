//! The iCal export: the occurrences of the next [`DAYS`] days as [`crate::ical`] events
//! (summary `Kind: label (source)`, a description with the schedule, estimate and
//! overlaps, the kind as category), for a phone calendar or Homepage's iCal widget.

use crate::calendar::{self, Calendar};
use crate::display;
use crate::health::Assessment;
use crate::ical::{self, Event};
use crate::model::Epoch;
use crate::view::occurrence::{self, kind_info};

/// Days exported.
pub const DAYS: i64 = 30;

/// The download's file name.
pub const FILE_NAME: &str = "backups.ics";

/// The calendar's name when the configuration has no title.
pub const DEFAULT_NAME: &str = "backwatch: backup schedules";

/// `[now, now + DAYS)`.
pub fn window(now: Epoch) -> (Epoch, Epoch) {
    (now, now.saturating_add(DAYS * 86_400))
}

/// The events of `cal` (expanded from `a`) that start at or after `now`.
pub fn events(a: &Assessment, cal: &Calendar, now: Epoch) -> Vec<Event> {
    cal.occurrences
        .iter()
        .filter(|o| o.start >= now)
        .map(|o| {
            let kind = kind_info(o.kind());
            let source = occurrence::source_text(o);
            let job = match &o.job.source {
                Some(s) => format!("{}/{}/{}", s.kind.key(), s.name, o.job.id),
                None => format!("config/{}", o.job.id),
            };
            let mut description = Vec::new();
            if let Some(j) = a.jobs.get(o.job_index)
                && let Some(s) = &j.schedule
            {
                description.push(format!(
                    "Schedule: {} ({})",
                    s.describe(),
                    j.zone.zone().name()
                ));
            }
            let estimate = if o.duration.from_runs {
                "from past runs"
            } else {
                "default for the kind"
            };
            description.push(format!(
                "Estimated duration: {} ({estimate})",
                display::duration(o.end.saturating_sub(o.start))
            ));
            for &k in &o.overlaps {
                if let Some(other) = cal.occurrences.get(k) {
                    description.push(format!("Overlap: {}", occurrence::overlap_text(o, other)));
                }
            }
            Event {
                job,
                start: o.start,
                end: o.end,
                summary: format!("{}: {} ({source})", kind.name, o.job.label),
                description: description.join("\n"),
                category: kind.key.to_owned(),
            }
        })
        .collect()
}

/// The `text/calendar` document of the next [`DAYS`] days of `a`, generated at `now`.
pub fn export(a: &Assessment, name: &str, now: Epoch) -> String {
    let (from, to) = window(now);
    let cal = calendar::expand(a, from, to);
    let name = if name.trim().is_empty() {
        DEFAULT_NAME
    } else {
        name
    };
    ical::calendar(name, &events(a, &cal, now), now)
}
