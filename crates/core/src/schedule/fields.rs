//! The shared matcher: sets of allowed field values and the search for the next or
//! previous matching local wall-clock second. Both syntaxes compile into a [`CivilSpec`];
//! time zones are handled one level up (`engine.rs`).
//!
//! Local times are "civil seconds": seconds since 1970-01-01T00:00 on the local clock,
//! as if the zone were UTC.

use crate::time::DAY;

/// Years a calendar event can name: `0..=2199` (systemd's limit, kept by Proxmox).
pub(crate) const YEAR_LIMIT: usize = 2200;
const YEAR_WORDS: usize = YEAR_LIMIT.div_ceil(64);

/// A set of years in `0..2200`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct YearSet([u64; YEAR_WORDS]);

impl YearSet {
    pub(crate) fn empty() -> YearSet {
        YearSet([0; YEAR_WORDS])
    }

    pub(crate) fn insert(&mut self, y: u32) {
        let y = y as usize;
        if y < YEAR_LIMIT {
            self.0[y / 64] |= 1 << (y % 64);
        }
    }

    pub(crate) fn contains(&self, y: i64) -> bool {
        (0..YEAR_LIMIT as i64).contains(&y) && self.0[y as usize / 64] >> (y % 64) & 1 == 1
    }

    /// Smallest member `>= y`.
    pub(crate) fn next_from(&self, y: i64) -> Option<i64> {
        let start = y.max(0);
        (start..YEAR_LIMIT as i64).find(|&v| self.contains(v))
    }

    /// Largest member `<= y`.
    pub(crate) fn prev_from(&self, y: i64) -> Option<i64> {
        let end = y.min(YEAR_LIMIT as i64 - 1);
        (0..=end).rev().find(|&v| self.contains(v))
    }

    /// Members in ascending order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..YEAR_LIMIT as u32).filter(|&v| self.contains(i64::from(v)))
    }
}

/// How day-of-month and weekday combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum DayRule {
    /// Both must match (calendar events; cron when either field starts with `*`).
    And,
    /// Either may match (cron when both fields are restricted).
    Or,
}

/// Allowed values of every field, as bit sets.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct CivilSpec {
    /// `None` = any year.
    pub years: Option<Box<YearSet>>,
    /// Bit `m` = month `m` (1..=12). Bit 0 may be set by `0` and never matches.
    pub months: u16,
    /// Bit `d` = day of month `d` (1..=31). Bit 0 may be set and never matches.
    pub days: u32,
    /// Bit `w` = weekday, 0 = Monday … 6 = Sunday.
    pub weekdays: u8,
    pub day_rule: DayRule,
    /// Bit `h` = hour.
    pub hours: u32,
    /// Bit `m` = minute.
    pub minutes: u64,
    /// Bit `s` = second.
    pub seconds: u64,
}

pub(crate) const ALL_MONTHS: u16 = 0b1_1111_1111_1110;
pub(crate) const ALL_DAYS: u32 = !1;
pub(crate) const ALL_WEEKDAYS: u8 = 0x7f;
pub(crate) const ALL_HOURS: u32 = (1 << 24) - 1;
pub(crate) const ALL_MINUTES: u64 = (1 << 60) - 1;

/// Days since 1970-01-01 of a proleptic Gregorian date (any `i64` year that fits).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> Option<i64> {
    let y = if m <= 2 { y.checked_sub(1)? } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era.checked_mul(146_097)?.checked_add(doe - 719_468)
}

/// The date of a day count since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    // Valid for every i64 day count that keeps `z + 719468` in range; callers stay far
    // inside that (civil seconds / 86400).
    let z = z.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Weekday of a day count, 0 = Monday.
pub(crate) fn weekday(days: i64) -> u32 {
    // 1970-01-01 was a Thursday.
    (days + 3).rem_euclid(7) as u32
}

pub(crate) fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

pub(crate) fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Lowest set bit `>= from` in `set` (bits 0..64).
fn next_bit(set: u64, from: u32) -> Option<u32> {
    if from >= 64 {
        return None;
    }
    let masked = set & (u64::MAX << from);
    (masked != 0).then(|| masked.trailing_zeros())
}

/// Highest set bit `<= from` in `set`.
fn prev_bit(set: u64, from: u32) -> Option<u32> {
    let from = from.min(63);
    let masked = set & (u64::MAX >> (63 - from));
    (masked != 0).then(|| 63 - masked.leading_zeros())
}

/// Civil dates are searched at most this many years away when years are unrestricted:
/// the Gregorian calendar repeats (weekdays included) every 400 years.
const CYCLE_YEARS: i64 = 400;

/// Civil years beyond this magnitude are never searched (no overflow anywhere below).
const YEAR_BOUND: i64 = 100_000_000_000;

impl CivilSpec {
    pub(crate) fn day_matches(&self, y: i64, m: u32, d: u32, days: i64) -> bool {
        let dom = self.days >> d & 1 == 1;
        let dow = self.weekdays >> weekday(days) & 1 == 1;
        let day = match self.day_rule {
            DayRule::And => dom && dow,
            DayRule::Or => dom || dow,
        };
        day && self.month_ok(m) && self.year_ok(y)
    }

    fn month_ok(&self, m: u32) -> bool {
        self.months >> m & 1 == 1
    }

    fn year_ok(&self, y: i64) -> bool {
        self.years.as_ref().is_none_or(|ys| ys.contains(y))
    }

    /// First matching date (as a day count) `>= from_days`.
    pub(crate) fn next_date(&self, from_days: i64) -> Option<i64> {
        let (y0, m0, d0) = civil_from_days(from_days);
        if !(-YEAR_BOUND..=YEAR_BOUND).contains(&y0) {
            return None;
        }
        let last_year = match &self.years {
            Some(ys) => ys.prev_from(i64::MAX)?,
            None => y0 + CYCLE_YEARS,
        };
        let (mut y, mut m, mut d) = (y0, m0, d0);
        while y <= last_year {
            if let Some(ys) = &self.years
                && !ys.contains(y)
            {
                y = ys.next_from(y + 1)?;
                (m, d) = (1, 1);
                continue;
            }
            while m <= 12 {
                if self.month_ok(m) {
                    let dim = days_in_month(y, m);
                    let base = days_from_civil(y, m, 1)?;
                    while d <= dim {
                        let days = base + i64::from(d) - 1;
                        if self.day_matches(y, m, d, days) {
                            return Some(days);
                        }
                        d += 1;
                    }
                }
                m += 1;
                d = 1;
            }
            y += 1;
            (m, d) = (1, 1);
        }
        None
    }

    /// Last matching date (as a day count) `<= from_days`.
    pub(crate) fn prev_date(&self, from_days: i64) -> Option<i64> {
        let (y0, m0, d0) = civil_from_days(from_days);
        if !(-YEAR_BOUND..=YEAR_BOUND).contains(&y0) {
            return None;
        }
        let first_year = match &self.years {
            Some(ys) => ys.next_from(i64::MIN)?,
            None => y0 - CYCLE_YEARS,
        };
        let (mut y, mut m, mut d) = (y0, m0, d0);
        while y >= first_year {
            if let Some(ys) = &self.years
                && !ys.contains(y)
            {
                y = ys.prev_from(y - 1)?;
                (m, d) = (12, 31);
                continue;
            }
            while m >= 1 {
                if self.month_ok(m) {
                    let dim = days_in_month(y, m);
                    let base = days_from_civil(y, m, 1)?;
                    d = d.min(dim);
                    while d >= 1 {
                        let days = base + i64::from(d) - 1;
                        if self.day_matches(y, m, d, days) {
                            return Some(days);
                        }
                        d -= 1;
                    }
                }
                m -= 1;
                d = 31;
            }
            y -= 1;
            (m, d) = (12, 31);
        }
        None
    }

    /// First matching second of the day `>= sod`.
    fn next_time(&self, sod: i64) -> Option<i64> {
        let (h, mi, s) = (
            (sod / 3600) as u32,
            (sod / 60 % 60) as u32,
            (sod % 60) as u32,
        );
        let hours = u64::from(self.hours);
        if hours >> h & 1 == 1 {
            if self.minutes >> mi & 1 == 1
                && let Some(s2) = next_bit(self.seconds, s)
            {
                return Some(hms(h, mi, s2));
            }
            if let (Some(m2), Some(s2)) =
                (next_bit(self.minutes, mi + 1), next_bit(self.seconds, 0))
            {
                return Some(hms(h, m2, s2));
            }
        }
        let h2 = next_bit(hours, h + 1)?;
        Some(hms(
            h2,
            next_bit(self.minutes, 0)?,
            next_bit(self.seconds, 0)?,
        ))
    }

    /// Last matching second of the day `<= sod`.
    fn prev_time(&self, sod: i64) -> Option<i64> {
        let (h, mi, s) = (
            (sod / 3600) as u32,
            (sod / 60 % 60) as u32,
            (sod % 60) as u32,
        );
        let hours = u64::from(self.hours);
        if hours >> h & 1 == 1 {
            if self.minutes >> mi & 1 == 1
                && let Some(s2) = prev_bit(self.seconds, s)
            {
                return Some(hms(h, mi, s2));
            }
            if mi > 0
                && let (Some(m2), Some(s2)) =
                    (prev_bit(self.minutes, mi - 1), prev_bit(self.seconds, 59))
            {
                return Some(hms(h, m2, s2));
            }
        }
        if h == 0 {
            return None;
        }
        let h2 = prev_bit(hours, h - 1)?;
        Some(hms(
            h2,
            prev_bit(self.minutes, 59)?,
            prev_bit(self.seconds, 59)?,
        ))
    }

    /// First matching civil second `>= from`.
    pub(crate) fn next_civil(&self, from: i64) -> Option<i64> {
        let days = from.div_euclid(DAY);
        let sod = from.rem_euclid(DAY);
        let date = self.next_date(days)?;
        if date == days
            && let Some(tod) = self.next_time(sod)
        {
            return date.checked_mul(DAY)?.checked_add(tod);
        }
        let date = if date == days {
            self.next_date(days + 1)?
        } else {
            date
        };
        date.checked_mul(DAY)?.checked_add(self.next_time(0)?)
    }

    /// Last matching civil second `<= from`.
    pub(crate) fn prev_civil(&self, from: i64) -> Option<i64> {
        let days = from.div_euclid(DAY);
        let sod = from.rem_euclid(DAY);
        let date = self.prev_date(days)?;
        if date == days
            && let Some(tod) = self.prev_time(sod)
        {
            return date.checked_mul(DAY)?.checked_add(tod);
        }
        let date = if date == days {
            self.prev_date(days - 1)?
        } else {
            date
        };
        date.checked_mul(DAY)?.checked_add(self.prev_time(DAY - 1)?)
    }

    /// Sorted seconds-of-day that match (empty if any time field is empty).
    pub(crate) fn times_of_day(&self) -> impl Iterator<Item = i64> + '_ {
        (0..24u32)
            .filter(|h| self.hours >> h & 1 == 1)
            .flat_map(move |h| {
                (0..60u32)
                    .filter(|m| self.minutes >> m & 1 == 1)
                    .flat_map(move |m| {
                        (0..60u32)
                            .filter(|s| self.seconds >> s & 1 == 1)
                            .map(move |s| hms(h, m, s))
                    })
            })
    }
}

fn hms(h: u32, m: u32, s: u32) -> i64 {
    i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        let cases = [
            ("epoch", 0, (1970, 1, 1)),
            ("leap_day_2024", 19_782, (2024, 2, 29)),
            ("before_epoch", -1, (1969, 12, 31)),
            ("year_zero", -719_528, (0, 1, 1)),
        ];
        for (name, days, (y, m, d)) in cases {
            assert_eq!(civil_from_days(days), (y, m, d), "{name}");
            assert_eq!(days_from_civil(y, m, d), Some(days), "{name}");
        }
        assert_eq!(weekday(0), 3, "1970-01-01 was a Thursday");
    }

    #[test]
    fn bits() {
        assert_eq!(next_bit(0b1010, 2), Some(3));
        assert_eq!(next_bit(0b1010, 4), None);
        assert_eq!(prev_bit(0b1010, 2), Some(1));
        assert_eq!(prev_bit(0b1000, 2), None);
        assert_eq!(next_bit(u64::MAX, 64), None);
    }
}
