//! Canonical text of calendar events and cron expressions, printed from the bit sets so
//! that equal schedules print alike and the text parses back to an equal schedule.

use super::calendar::CalendarEvent;
use super::cron::Cron;
use super::fields::{ALL_WEEKDAYS, YEAR_LIMIT};

const WEEKDAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Members of `bits` within `lo..=hi`, ascending.
fn members(bits: u64, lo: u32, hi: u32) -> Vec<u32> {
    (lo..=hi).filter(|v| bits >> v & 1 == 1).collect()
}

/// Compresses sorted values into list items. `range(a, b)` prints a run,
/// `prog(a, b, step, open)` a progression (`open`: it reaches the field maximum).
fn compress(
    values: &[u32],
    hi: u32,
    single: impl Fn(u32) -> String,
    range: impl Fn(u32, u32) -> String,
    prog: impl Fn(u32, u32, u32, bool) -> String,
) -> String {
    let mut out = Vec::new();
    let mut i = 0;
    while i < values.len() {
        let a = values[i];
        let mut j = i;
        if let Some(&b) = values.get(i + 1) {
            let step = b - a;
            j = i + 1;
            while values.get(j + 1) == Some(&(values[j] + step)) {
                j += 1;
            }
            if j - i + 1 < 3 {
                j = i;
            } else if step == 1 {
                out.push(range(a, values[j]));
            } else {
                let open = values[j] + step > hi;
                out.push(prog(a, values[j], step, open));
            }
        }
        if j == i {
            out.push(single(a));
        }
        i = j + 1;
    }
    out.join(",")
}

/// One calendar field: `*` when every value in `lo..=hi` is set.
fn cal_field(bits: u64, lo: u32, hi: u32, width: usize) -> String {
    let all = members(u64::MAX, lo, hi);
    let vals = members(bits, 0, hi);
    if vals == all {
        return "*".to_string();
    }
    let num = |v: u32| format!("{v:0width$}");
    compress(
        &vals,
        hi,
        num,
        |a, b| format!("{}..{}", num(a), num(b)),
        |a, b, s, open| {
            if open {
                format!("{}/{s}", num(a))
            } else {
                format!("{}..{}/{s}", num(a), num(b))
            }
        },
    )
}

fn years(c: &CalendarEvent) -> String {
    let Some(ys) = &c.spec.years else {
        return "*".to_string();
    };
    let vals: Vec<u32> = ys.iter().collect();
    let hi = YEAR_LIMIT as u32 - 1;
    let num = |v: u32| format!("{v:04}");
    compress(
        &vals,
        hi,
        num,
        |a, b| format!("{}..{}", num(a), num(b)),
        |a, b, s, open| {
            if open {
                format!("{}/{s}", num(a))
            } else {
                format!("{}..{}/{s}", num(a), num(b))
            }
        },
    )
}

fn weekdays(bits: u8) -> String {
    let vals = members(u64::from(bits), 0, 6);
    let name = |v: u32| WEEKDAY_NAMES[v as usize].to_string();
    compress(
        &vals,
        6,
        name,
        |a, b| {
            format!(
                "{}..{}",
                WEEKDAY_NAMES[a as usize], WEEKDAY_NAMES[b as usize]
            )
        },
        // Weekday lists have no repetitions: spell the members out.
        |a, b, s, _| {
            (a..=b)
                .step_by(s as usize)
                .map(|v| WEEKDAY_NAMES[v as usize])
                .collect::<Vec<_>>()
                .join(",")
        },
    )
}

/// `Mon..Fri *-*-* 04:00:00 UTC` style.
pub(crate) fn calendar(c: &CalendarEvent) -> String {
    let s = &c.spec;
    let mut out = String::new();
    if s.weekdays != ALL_WEEKDAYS {
        out.push_str(&weekdays(s.weekdays));
        out.push(' ');
    }
    out.push_str(&format!(
        "{}-{}-{} {}:{}:{}",
        years(c),
        cal_field(u64::from(s.months), 1, 12, 2),
        cal_field(u64::from(s.days), 1, 31, 2),
        cal_field(u64::from(s.hours), 0, 23, 2),
        cal_field(s.minutes, 0, 59, 2),
        cal_field(s.seconds, 0, 59, 2),
    ));
    if c.utc {
        out.push_str(" UTC");
    }
    out
}

/// One cron field. A field that was written with a leading `*` keeps it (`*` or
/// `*/step`): that decides the DST rule and how the day fields combine.
fn cron_field(bits: u64, lo: u32, hi: u32, star: bool) -> String {
    let vals = members(bits, lo, hi);
    if star {
        return match vals.as_slice() {
            v if v.len() == (hi - lo + 1) as usize => "*".to_string(),
            [a, b, ..] => format!("*/{}", b - a),
            // Only the first value: any step beyond the range.
            _ => format!("*/{}", hi - lo + 1),
        };
    }
    compress(
        &vals,
        hi,
        |v| v.to_string(),
        |a, b| format!("{a}-{b}"),
        |a, b, s, _| format!("{a}-{b}/{s}"),
    )
}

/// Five numeric fields; day of week 0–6 with Sunday = 0.
pub(crate) fn cron(c: &Cron) -> String {
    let s = &c.spec;
    // Ours: bit 0 = Monday … 6 = Sunday; cron: 0 = Sunday.
    let mut dow = 0u64;
    for w in 0..7u32 {
        if s.weekdays >> w & 1 == 1 {
            dow |= 1 << ((w + 1) % 7);
        }
    }
    format!(
        "{} {} {} {} {}",
        cron_field(s.minutes, 0, 59, c.star[0]),
        cron_field(u64::from(s.hours), 0, 23, c.star[1]),
        cron_field(u64::from(s.days), 1, 31, c.star[2]),
        cron_field(
            u64::from(s.months),
            1,
            12,
            s.months == super::fields::ALL_MONTHS,
        ),
        cron_field(dow, 0, 6, c.star[3]),
    )
}
