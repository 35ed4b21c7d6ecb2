//! Human descriptions and the nominal period, both computed from the bit sets.

use super::fields::{
    ALL_DAYS, ALL_HOURS, ALL_MINUTES, ALL_MONTHS, ALL_WEEKDAYS, CivilSpec, DayRule, days_from_civil,
};
use crate::time::DAY;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAYS_PLURAL: [&str; 7] = [
    "Mondays",
    "Tuesdays",
    "Wednesdays",
    "Thursdays",
    "Fridays",
    "Saturdays",
    "Sundays",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn members(bits: u64, lo: u32, hi: u32) -> Vec<u32> {
    (lo..=hi).filter(|v| bits >> v & 1 == 1).collect()
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Values as runs: `8–17, 22`.
fn runs(vals: &[u32], fmt: impl Fn(u32) -> String) -> String {
    let mut out = Vec::new();
    let mut i = 0;
    while i < vals.len() {
        let mut j = i;
        while j + 1 < vals.len() && vals[j + 1] == vals[j] + 1 {
            j += 1;
        }
        if j >= i + 2 {
            out.push(format!("{}–{}", fmt(vals[i]), fmt(vals[j])));
        } else {
            (i..=j).for_each(|k| out.push(fmt(vals[k])));
        }
        i = j + 1;
    }
    out.join(", ")
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, v) if v != 11 => "st",
        (2, v) if v != 12 => "nd",
        (3, v) if v != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// `Some(step)` if `vals` is `0, step, 2·step, …` up to the last value below `limit`.
fn open_progression(vals: &[u32], limit: u32) -> Option<u32> {
    let (&first, &second) = (vals.first()?, vals.get(1)?);
    if first != 0 {
        return None;
    }
    let step = second;
    let expected: Vec<u32> = (0..limit).step_by(step as usize).collect();
    (expected == vals).then_some(step)
}

fn weekday_phrase(bits: u8) -> String {
    match bits {
        0b001_1111 => "weekdays".to_string(),
        0b110_0000 => "weekends".to_string(),
        b if b.count_ones() == 1 => WEEKDAYS_PLURAL[b.trailing_zeros() as usize].to_string(),
        b => and_list(
            &members(u64::from(b), 0, 6)
                .into_iter()
                .map(|d| WEEKDAYS[d as usize].to_string())
                .collect::<Vec<_>>(),
        ),
    }
}

fn day_of_month_phrase(days: u32) -> String {
    let vals = members(u64::from(days), 0, 31);
    if vals == [1] {
        return "1st of month".to_string();
    }
    let list: Vec<String> = vals.iter().map(|&d| ordinal(d)).collect();
    if list.len() <= 4 {
        format!("the {} of the month", and_list(&list))
    } else {
        format!("days {} of the month", runs(&vals, |d| d.to_string()))
    }
}

/// The day part, or `None` for every day.
fn day_phrase(s: &CivilSpec) -> Option<String> {
    let wd = s.weekdays != ALL_WEEKDAYS;
    let dom = s.days != ALL_DAYS;
    let mut text = match (wd, dom, s.day_rule) {
        (false, false, _) => None,
        (true, false, DayRule::And) => Some(weekday_phrase(s.weekdays)),
        (false, true, DayRule::And) => Some(day_of_month_phrase(s.days)),
        (true, true, DayRule::And) => {
            let days = members(u64::from(s.days), 0, 31);
            let wdp = weekday_phrase(s.weekdays);
            if s.weekdays.count_ones() == 1
                && days.len() == 7
                && days[0] % 7 == 1
                && days[6] == days[0] + 6
            {
                let nth = ["first", "second", "third", "fourth", "fifth"][(days[0] / 7) as usize];
                let name = WEEKDAYS_PLURAL[s.weekdays.trailing_zeros() as usize];
                Some(format!("{nth} {} of the month", name.trim_end_matches('s')))
            } else {
                Some(format!(
                    "{wdp} that fall on {}",
                    day_of_month_phrase(s.days)
                ))
            }
        }
        (_, _, DayRule::Or) => Some(format!(
            "{} and {}",
            day_of_month_phrase(s.days),
            weekday_phrase(s.weekdays)
        )),
    };
    let months = members(u64::from(s.months), 1, 12);
    let days = members(u64::from(s.days), 0, 31);
    if let ([m], [d], ALL_WEEKDAYS) = (months.as_slice(), days.as_slice(), s.weekdays) {
        text = Some(format!("yearly on {} {d}", MONTHS[*m as usize - 1]));
    } else if s.months != ALL_MONTHS {
        let names = runs(&months, |m| MONTHS[m as usize - 1].to_string());
        let names = if months.is_empty() {
            "no month".to_string()
        } else {
            names
        };
        text = Some(match text {
            Some(t) if s.days == 1 << 1 && s.weekdays == ALL_WEEKDAYS => {
                let _ = t;
                format!("1st of {names}")
            }
            Some(t) => format!("{t} in {names}"),
            None => format!("every day in {names}"),
        });
    }
    if let Some(ys) = &s.years {
        let years: Vec<u32> = ys.iter().collect();
        let list = if years.len() <= 4 {
            and_list(&years.iter().map(u32::to_string).collect::<Vec<_>>())
        } else {
            format!("{} years from {}", years.len(), years[0])
        };
        text = Some(match text {
            Some(t) => format!("{t} in {list}"),
            None => format!("every day in {list}"),
        });
    }
    text
}

fn hm(h: u32, m: u32) -> String {
    format!("{h:02}:{m:02}")
}

/// Either fixed times of day ("at 04:00") or a repeating pattern ("every 15 minutes").
enum TimePart {
    At(String),
    Every(String),
}

fn time_phrase(s: &CivilSpec) -> TimePart {
    let hours = members(u64::from(s.hours), 0, 23);
    let minutes = members(s.minutes, 0, 59);
    let seconds = members(s.seconds, 0, 59);
    let sec_suffix = match seconds.as_slice() {
        [0] => String::new(),
        [s] => format!(":{s:02}"),
        _ => {
            if s.seconds == ALL_MINUTES && s.minutes == ALL_MINUTES && s.hours == ALL_HOURS {
                return TimePart::Every("every second".to_string());
            }
            return TimePart::Every(format!(
                "at seconds {} of minutes {} of hours {}",
                runs(&seconds, |v| v.to_string()),
                runs(&minutes, |v| v.to_string()),
                runs(&hours, |v| v.to_string())
            ));
        }
    };
    let all_hours = s.hours == ALL_HOURS;
    if let ([m], Some(step)) = (minutes.as_slice(), open_progression(&hours, 24))
        && step > 1
    {
        let at = if *m == 0 && sec_suffix.is_empty() {
            String::new()
        } else {
            format!(" at :{m:02}{sec_suffix}")
        };
        return TimePart::Every(format!("every {step} hours{at}"));
    }
    if hours.len() * minutes.len() <= 4 && !all_hours {
        let mut times = Vec::new();
        for &h in &hours {
            for &m in &minutes {
                times.push(format!("{}{sec_suffix}", hm(h, m)));
            }
        }
        return TimePart::At(format!("at {}", and_list(&times)));
    }
    if let [m] = minutes.as_slice() {
        let at = if *m == 0 && sec_suffix.is_empty() {
            String::new()
        } else {
            format!(" at :{m:02}{sec_suffix}")
        };
        if all_hours {
            return TimePart::Every(format!("every hour{at}"));
        }
        if let Some(step) = open_progression(&hours, 24) {
            return TimePart::Every(format!("every {step} hours{at}"));
        }
        return TimePart::Every(format!(
            "at :{m:02}{sec_suffix} past hours {}",
            runs(&hours, |h| format!("{h:02}"))
        ));
    }
    let every = if s.minutes == ALL_MINUTES {
        Some("every minute".to_string())
    } else {
        open_progression(&minutes, 60).map(|step| format!("every {step} minutes"))
    };
    match every {
        Some(e) if sec_suffix.is_empty() && all_hours => TimePart::Every(e),
        Some(e) if sec_suffix.is_empty() => TimePart::Every(format!(
            "{e} during hours {}",
            runs(&hours, |h| format!("{h:02}"))
        )),
        _ if all_hours && sec_suffix.is_empty() => TimePart::Every(format!(
            "every hour at minutes {}",
            runs(&minutes, |m| format!("{m:02}"))
        )),
        _ => TimePart::Every(format!(
            "at minutes {}{} past hours {}",
            runs(&minutes, |m| format!("{m:02}")),
            if sec_suffix.is_empty() {
                String::new()
            } else {
                format!(" (second {})", &sec_suffix[1..])
            },
            runs(&hours, |h| format!("{h:02}"))
        )),
    }
}

/// Short human text for a calendar event or cron expression.
pub(crate) fn describe(s: &CivilSpec, utc: bool) -> String {
    let day = day_phrase(s);
    let mut out = match (time_phrase(s), day) {
        (TimePart::At(t), None) => format!("daily {t}"),
        (TimePart::At(t), Some(d)) => format!("{d} {t}"),
        (TimePart::Every(t), None) => t,
        (TimePart::Every(t), Some(d)) => format!("{t} on {d}"),
    };
    if utc {
        out.push_str(" UTC");
    }
    out
}

/// Years scanned for the nominal period: one weekday and leap-year cycle.
const WINDOW_YEARS: i64 = 28;

/// The smallest gap between consecutive occurrences of the wall-clock pattern.
pub(crate) fn nominal_period(s: &CivilSpec) -> Option<u32> {
    let tods: Vec<i64> = s.times_of_day().collect();
    let (&first, &last) = (tods.first()?, tods.last()?);
    let tod_gap = tods.windows(2).map(|w| w[1] - w[0]).min();
    let start_year = match &s.years {
        Some(ys) => i64::from(ys.iter().next()?),
        None => 2000,
    };
    let start = days_from_civil(start_year, 1, 1)?;
    let end = days_from_civil(start_year + WINDOW_YEARS, 1, 1)?;
    let mut day_gap: Option<i64> = None;
    let mut prev: Option<i64> = None;
    let mut d = start;
    while let Some(next) = s.next_date(d).filter(|&n| n < end) {
        if let Some(p) = prev {
            let g = next - p;
            day_gap = Some(day_gap.map_or(g, |dg| dg.min(g)));
        }
        prev = Some(next);
        d = next + 1;
    }
    prev?;
    let across_days = day_gap.map(|g| g * DAY - (last - first));
    let gap = match (tod_gap, across_days) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => return None,
    };
    u32::try_from(gap).ok()
}
