//! Text for people: relative and exact times, durations, sizes. `now` and the display
//! zone are always arguments. Integer arithmetic only (float formatting would add ~25 KB
//! to the wasm).

use crate::model::Epoch;
use crate::time::Zone;

const MINUTE: i64 = 60;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// Civil date-time fields of an instant in a zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u32,
    /// Offset from UTC in seconds at that instant.
    pub offset: i32,
}

/// Days since 1970-01-01 → (year, month, day). Howard Hinnant's algorithm.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) → days since 1970-01-01.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil fields of `t` in `zone`.
pub fn civil(t: Epoch, zone: &dyn Zone) -> Civil {
    let offset = zone.offset_at(t);
    let local = t.saturating_add(i64::from(offset));
    let days = local.div_euclid(DAY);
    let secs = local.rem_euclid(DAY);
    let (year, month, day) = civil_from_days(days);
    Civil {
        year,
        month,
        day,
        hour: (secs / HOUR) as u32,
        minute: (secs % HOUR / MINUTE) as u32,
        second: (secs % MINUTE) as u32,
        // 1970-01-01 was a Thursday (index 3).
        weekday: (days + 3).rem_euclid(7) as u32,
        offset,
    }
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Short weekday name, Monday = 0.
pub fn weekday_name(weekday: u32) -> &'static str {
    WEEKDAYS.get(weekday as usize).copied().unwrap_or("?")
}

/// Short month name, January = 1.
pub fn month_name(month: u32) -> &'static str {
    MONTHS
        .get((month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// `2026-05-17T04:00:00+02:00`: the value of a `<time datetime>` attribute, in the zone.
pub fn rfc3339(t: Epoch, zone: &dyn Zone) -> String {
    let c = civil(t, zone);
    let sign = if c.offset < 0 { '-' } else { '+' };
    let off = c.offset.unsigned_abs();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        c.year,
        c.month,
        c.day,
        c.hour,
        c.minute,
        c.second,
        off / 3600,
        off % 3600 / 60
    )
}

/// `Sun 17 May 04:00`, and with the year when it is not `now`'s year: `Sun 17 May 2025 04:00`.
pub fn exact(t: Epoch, now: Epoch, zone: &dyn Zone) -> String {
    let c = civil(t, zone);
    let this_year = civil(now, zone).year;
    let year = if c.year == this_year {
        String::new()
    } else {
        format!(" {}", c.year)
    };
    format!(
        "{} {} {}{year} {:02}:{:02}",
        weekday_name(c.weekday),
        c.day,
        month_name(c.month),
        c.hour,
        c.minute
    )
}

/// `04:00` in the zone.
pub fn clock(t: Epoch, zone: &dyn Zone) -> String {
    let c = civil(t, zone);
    format!("{:02}:{:02}", c.hour, c.minute)
}

/// A span of time, coarse: `45 s`, `12 min`, `5 h`, `3 d`, `5 w`; two units where the
/// first is small: `1 h 30 min`, `1 d 6 h`.
pub fn span(secs: i64) -> String {
    let s = secs.unsigned_abs() as i64;
    if s < MINUTE {
        format!("{s} s")
    } else if s < HOUR {
        format!("{} min", s / MINUTE)
    } else if s < 2 * HOUR {
        let m = s % HOUR / MINUTE;
        if m == 0 {
            "1 h".to_owned()
        } else {
            format!("1 h {m} min")
        }
    } else if s < DAY {
        format!("{} h", s / HOUR)
    } else if s < 2 * DAY {
        let h = s % DAY / HOUR;
        if h == 0 {
            "1 d".to_owned()
        } else {
            format!("1 d {h} h")
        }
    } else if s < 14 * DAY {
        format!("{} d", s / DAY)
    } else {
        format!("{} w", s / (7 * DAY))
    }
}

/// `3 d ago`, `in 5 h`, `just now` (within a minute either way).
pub fn relative(t: Epoch, now: Epoch) -> String {
    let delta = now.saturating_sub(t);
    if delta.abs() < MINUTE {
        "just now".to_owned()
    } else if delta > 0 {
        format!("{} ago", span(delta))
    } else {
        format!("in {}", span(delta))
    }
}

/// A run's duration: `850 ms`-free (seconds resolution): `42 s`, `3 min 20 s`, `1 h 5 min`.
pub fn duration(secs: i64) -> String {
    let s = secs.max(0);
    if s < MINUTE {
        format!("{s} s")
    } else if s < HOUR {
        let rest = s % MINUTE;
        if rest == 0 {
            format!("{} min", s / MINUTE)
        } else {
            format!("{} min {rest} s", s / MINUTE)
        }
    } else {
        let m = s % HOUR / MINUTE;
        if m == 0 {
            format!("{} h", s / HOUR)
        } else {
            format!("{} h {m} min", s / HOUR)
        }
    }
}

/// Bytes in binary units with one decimal below 10: `512 B`, `1.5 KiB`, `23 GiB`, `1.2 TiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut unit = 0;
    let mut scaled = u128::from(n) * 10; // tenths
    while scaled >= 10_240 && unit < UNITS.len() - 1 {
        scaled /= 1024;
        unit += 1;
    }
    let whole = scaled / 10;
    let tenth = scaled % 10;
    if unit == 0 || whole >= 10 || tenth == 0 {
        format!("{whole} {}", UNITS[unit])
    } else {
        format!("{whole}.{tenth} {}", UNITS[unit])
    }
}

/// A count with a noun: `1 snapshot`, `3 snapshots`, `0 snapshots`.
pub fn count(n: u64, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{FixedOffset, Utc};

    const NOW: Epoch = 1_779_019_200; // Sun 2026-05-17 12:00:00 UTC

    #[test]
    fn civil_round_trips_over_four_centuries() {
        let mut d = -146_097 * 2;
        while d < 146_097 * 2 {
            let (y, m, day) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, day), d);
            d += 37;
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn civil_fields_and_weekday() {
        let c = civil(NOW, &Utc);
        assert_eq!(
            (c.year, c.month, c.day, c.hour, c.weekday),
            (2026, 5, 17, 12, 6)
        );
        let plus2 = FixedOffset::east(7_200).unwrap();
        let c = civil(NOW + 11 * HOUR, &plus2);
        assert_eq!(
            (c.month, c.day, c.hour, c.weekday),
            (5, 18, 1, 0),
            "Monday 01:00"
        );
    }

    #[test]
    fn rfc3339_carries_the_offset() {
        assert_eq!(rfc3339(NOW, &Utc), "2026-05-17T12:00:00+00:00");
        let minus = FixedOffset::east(-(4 * HOUR as i32 + 1_800)).unwrap();
        assert_eq!(rfc3339(NOW, &minus), "2026-05-17T07:30:00-04:30");
    }

    #[test]
    fn exact_adds_the_year_only_when_it_differs() {
        assert_eq!(exact(NOW - 8 * HOUR, NOW, &Utc), "Sun 17 May 04:00");
        assert_eq!(exact(NOW - 400 * DAY, NOW, &Utc), "Sat 12 Apr 2025 12:00");
        assert_eq!(clock(NOW + 90, &Utc), "12:01");
    }

    #[test]
    fn spans_and_relative_times() {
        let cases = [
            (0, "just now"),
            (59, "just now"),
            (-59, "just now"),
            (60, "1 min ago"),
            (45 * MINUTE, "45 min ago"),
            (HOUR, "1 h ago"),
            (HOUR + 30 * MINUTE, "1 h 30 min ago"),
            (5 * HOUR + 59 * MINUTE, "5 h ago"),
            (DAY, "1 d ago"),
            (DAY + 6 * HOUR, "1 d 6 h ago"),
            (3 * DAY, "3 d ago"),
            (13 * DAY, "13 d ago"),
            (35 * DAY, "5 w ago"),
            (-5 * HOUR, "in 5 h"),
            (-(DAY + HOUR), "in 1 d 1 h"),
        ];
        for (ago, want) in cases {
            assert_eq!(relative(NOW - ago, NOW), want, "{ago} s ago");
        }
        assert_eq!(
            relative(i64::MIN, i64::MAX),
            relative(i64::MIN, i64::MAX),
            "no overflow"
        );
    }

    #[test]
    fn durations() {
        for (s, want) in [
            (-3, "0 s"),
            (42, "42 s"),
            (60, "1 min"),
            (200, "3 min 20 s"),
            (3_600, "1 h"),
            (3_900, "1 h 5 min"),
        ] {
            assert_eq!(duration(s), want);
        }
    }

    #[test]
    fn byte_sizes() {
        for (n, want) in [
            (0, "0 B"),
            (512, "512 B"),
            (1_023, "1023 B"),
            (1_024, "1 KiB"),
            (1_536, "1.5 KiB"),
            (10 * 1_024, "10 KiB"),
            (188_743_680, "180 MiB"),
            (1_288_490_188, "1.1 GiB"),
            (1_319_413_953_331, "1.1 TiB"),
            (u64::MAX, "16383 PiB"),
        ] {
            assert_eq!(bytes(n), want, "{n}");
        }
        assert_eq!(count(1, "snapshot", "snapshots"), "1 snapshot");
        assert_eq!(count(35, "snapshot", "snapshots"), "35 snapshots");
    }
}
