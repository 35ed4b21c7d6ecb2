//! The 30-day strip as the view shows it: one labelled cell per day and a text
//! alternative for the whole strip. The days come from [`crate::history`].

use chrono::Datelike;

use crate::display;
use crate::history::{Day, DayState};

/// One day of the strip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StripDay {
    /// [`DayState::key`]: `ok`, `failed`, `missed`, `running`, `none` (CSS shape and colour).
    pub key: &'static str,
    /// `Sun 17 May: ok (2 backups)`, for the day's `title`.
    pub title: String,
}

/// A strip ready to render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Strip {
    /// Oldest first.
    pub days: Vec<StripDay>,
    /// `Last 30 days: 27 ok, 1 failed, 2 missed`, the strip's `aria-label`.
    pub label: String,
}

fn date_text(d: &Day) -> String {
    format!(
        "{} {} {}",
        display::weekday_name(d.date.weekday().num_days_from_monday()),
        d.date.day(),
        display::month_name(d.date.month())
    )
}

fn day_text(d: &Day) -> String {
    let what = match d.state {
        DayState::Ok => format!(
            "ok ({})",
            display::count(u64::from(d.ok), "backup", "backups")
        ),
        DayState::Running => "backup running".to_owned(),
        DayState::Failed => format!(
            "failed ({})",
            display::count(u64::from(d.failed), "failed run", "failed runs")
        ),
        DayState::Missed => format!(
            "missed ({})",
            display::count(u64::from(d.missed), "scheduled run", "scheduled runs")
        ),
        DayState::None => "nothing scheduled or known".to_owned(),
    };
    format!("{}: {what}", date_text(d))
}

/// Words of the summary, in this order.
const ORDER: [(DayState, &str); 5] = [
    (DayState::Ok, "ok"),
    (DayState::Running, "running"),
    (DayState::Failed, "failed"),
    (DayState::Missed, "missed"),
    (DayState::None, "without data"),
];

/// The strip of `days` (oldest first), with titles and the summary label.
pub fn strip(days: &[Day]) -> Strip {
    let mut label = format!("Last {} days", days.len());
    let mut first = true;
    for (state, word) in ORDER {
        let n = days.iter().filter(|d| d.state == state).count();
        if n == 0 {
            continue;
        }
        label.push_str(if first { ": " } else { ", " });
        first = false;
        label.push_str(&n.to_string());
        label.push(' ');
        label.push_str(word);
    }
    Strip {
        days: days
            .iter()
            .map(|d| StripDay {
                key: d.state.key(),
                title: day_text(d),
            })
            .collect(),
        label,
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn day(m: u32, d: u32, state: DayState, ok: u16, failed: u16, missed: u16) -> Day {
        Day {
            date: NaiveDate::from_ymd_opt(2026, m, d).unwrap(),
            start: 0,
            end: 0,
            state,
            ok,
            failed,
            missed,
        }
    }

    #[test]
    fn every_day_has_a_title_and_the_strip_a_summary() {
        let days = [
            day(5, 14, DayState::None, 0, 0, 0),
            day(5, 15, DayState::Missed, 0, 0, 1),
            day(5, 16, DayState::Failed, 0, 2, 0),
            day(5, 17, DayState::Ok, 1, 0, 0),
            day(5, 18, DayState::Running, 0, 0, 0),
        ];
        let s = strip(&days);
        let got: Vec<(&str, &str)> = s.days.iter().map(|d| (d.key, d.title.as_str())).collect();
        assert_eq!(
            got,
            [
                ("none", "Thu 14 May: nothing scheduled or known"),
                ("missed", "Fri 15 May: missed (1 scheduled run)"),
                ("failed", "Sat 16 May: failed (2 failed runs)"),
                ("ok", "Sun 17 May: ok (1 backup)"),
                ("running", "Mon 18 May: backup running"),
            ]
        );
        assert_eq!(
            s.label,
            "Last 5 days: 1 ok, 1 running, 1 failed, 1 missed, 1 without data"
        );
    }

    #[test]
    fn summary_names_only_states_present() {
        let days = [
            day(5, 16, DayState::Ok, 2, 1, 0),
            day(5, 17, DayState::Ok, 1, 0, 0),
        ];
        let s = strip(&days);
        assert_eq!(s.label, "Last 2 days: 2 ok");
        assert_eq!(s.days[0].title, "Sat 16 May: ok (2 backups)");
        assert_eq!(strip(&[]).label, "Last 0 days");
    }
}
