//! Time zones without a tz database.
//!
//! The widget must not ship the IANA database to the browser (it would add about
//! 900 KB to the wasm, see `docs/schedules.md`), so everything in this crate sees a
//! zone only through the [`Zone`] trait: a name and the UTC offset at an instant. The
//! browser implements it with `Intl.DateTimeFormat`; native tools and tests use
//! [`NamedZone`] (feature `tzdb`), [`Utc`] or [`FixedOffset`].
//!
//! [`resolve_local`] turns a local wall-clock time into UTC using nothing but
//! [`Zone::offset_at`], and reports gaps (spring forward) and folds (fall back).
//!
//! # Assumptions about zones
//!
//! - Offsets are less than one day in magnitude (values outside are clamped).
//! - A zone changes its offset at most once within any 48 hours. This holds for every
//!   zone of the IANA database since 1970; it lets the resolver find both sides of a
//!   transition with two probes.
//!
//! # Cost
//!
//! `offset_at` may be slow (the browser's `Intl` is). [`resolve_local`] makes two calls,
//! four near a transition; a schedule evaluation makes about three to five in total and
//! some fifteen more (a bisection) only when a result falls next to a transition.
//! Callers that expand many occurrences in one zone should memoise `offset_at` in their
//! implementation.

use crate::model::Epoch;

/// Seconds in a day.
pub(crate) const DAY: i64 = 86_400;

/// A time zone, seen only through its UTC offsets.
pub trait Zone {
    /// The zone's name, for display (an IANA name such as `Europe/Berlin`, or `UTC`).
    fn name(&self) -> &str;

    /// Offset of local time from UTC at the instant `utc`, in seconds east of UTC
    /// (Berlin in winter: `3600`).
    fn offset_at(&self, utc: Epoch) -> i32;
}

impl<Z: Zone + ?Sized> Zone for &Z {
    fn name(&self) -> &str {
        (**self).name()
    }

    fn offset_at(&self, utc: Epoch) -> i32 {
        (**self).offset_at(utc)
    }
}

/// Coordinated Universal Time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Utc;

impl Zone for Utc {
    fn name(&self) -> &str {
        "UTC"
    }

    fn offset_at(&self, _utc: Epoch) -> i32 {
        0
    }
}

/// A zone with one constant offset, named like `+02:00`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixedOffset {
    seconds: i32,
    name: String,
}

impl FixedOffset {
    /// A zone `seconds` east of UTC; `None` unless the offset is less than a day.
    pub fn east(seconds: i32) -> Option<FixedOffset> {
        if seconds.unsigned_abs() >= DAY as u32 {
            return None;
        }
        let sign = if seconds < 0 { '-' } else { '+' };
        let abs = seconds.unsigned_abs();
        let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
        let name = if s == 0 {
            format!("{sign}{h:02}:{m:02}")
        } else {
            format!("{sign}{h:02}:{m:02}:{s:02}")
        };
        Some(FixedOffset { seconds, name })
    }

    /// The offset in seconds east of UTC.
    pub fn seconds(&self) -> i32 {
        self.seconds
    }
}

impl Zone for FixedOffset {
    fn name(&self) -> &str {
        &self.name
    }

    fn offset_at(&self, _utc: Epoch) -> i32 {
        self.seconds
    }
}

/// An IANA zone from the compiled-in database of `chrono-tz` (feature `tzdb`; for native
/// tools and tests, not for the widget).
#[cfg(feature = "tzdb")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NamedZone {
    tz: chrono_tz::Tz,
}

#[cfg(feature = "tzdb")]
impl NamedZone {
    /// Looks up an IANA name such as `Europe/Berlin` (exact spelling).
    pub fn by_name(name: &str) -> Option<NamedZone> {
        name.parse::<chrono_tz::Tz>()
            .ok()
            .map(|tz| NamedZone { tz })
    }
}

#[cfg(feature = "tzdb")]
impl Zone for NamedZone {
    fn name(&self) -> &str {
        self.tz.name()
    }

    fn offset_at(&self, utc: Epoch) -> i32 {
        use chrono::{Offset, TimeZone};
        match chrono::DateTime::from_timestamp(utc, 0) {
            Some(dt) => self
                .tz
                .offset_from_utc_datetime(&dt.naive_utc())
                .fix()
                .local_minus_utc(),
            None => 0,
        }
    }
}

/// How a local wall-clock time maps to UTC in a zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalResult {
    /// The local time happens exactly once.
    Single(Epoch),
    /// The local time happens twice (a fold, when clocks go back).
    Ambiguous {
        /// The first occurrence (old, larger offset).
        earlier: Epoch,
        /// The second occurrence (new, smaller offset).
        later: Epoch,
    },
    /// The local time does not happen (a gap, when clocks go forward).
    Gap {
        /// The local time read with the new offset: an instant before the transition,
        /// when the clock showed the local time minus the gap.
        before: Epoch,
        /// The local time read with the old offset: an instant after the transition,
        /// when the clock showed the local time plus the gap. This is what libc's
        /// `mktime` returns for such a time.
        after: Epoch,
    },
}

/// The offset of `zone` at `utc`, clamped to less than a day.
pub(crate) fn offset(zone: &dyn Zone, utc: Epoch) -> i64 {
    i64::from(zone.offset_at(utc)).clamp(-(DAY - 1), DAY - 1)
}

/// Resolves local wall-clock seconds (`local` = seconds since 1970-01-01T00:00 local) to
/// UTC, using only [`Zone::offset_at`]: two calls, four near a transition.
///
/// `None` only when the arithmetic would overflow `i64`.
pub fn resolve_local(zone: &dyn Zone, local: i64) -> Option<LocalResult> {
    let before = offset(zone, local.checked_sub(DAY)?);
    let after = offset(zone, local.checked_add(DAY)?);
    let t_before = local.checked_sub(before)?;
    if before == after {
        return Some(LocalResult::Single(t_before));
    }
    let t_after = local.checked_sub(after)?;
    let valid_before = offset(zone, t_before) == before;
    let valid_after = offset(zone, t_after) == after;
    Some(match (valid_before, valid_after) {
        (true, true) => LocalResult::Ambiguous {
            earlier: t_before.min(t_after),
            later: t_before.max(t_after),
        },
        (true, false) => LocalResult::Single(t_before),
        (false, true) => LocalResult::Single(t_after),
        (false, false) => LocalResult::Gap {
            before: t_after.min(t_before),
            after: t_after.max(t_before),
        },
    })
}

/// The first instant in `(lo, hi]` whose offset differs from the offset at `lo`,
/// by bisection; `hi` when none differs. About log2(hi - lo) calls.
pub(crate) fn transition_between(zone: &dyn Zone, lo: Epoch, hi: Epoch) -> Epoch {
    let o_lo = offset(zone, lo);
    let (mut lo, mut hi) = (lo, hi);
    // Invariant: offset(lo) == o_lo, and hi is the candidate answer.
    while hi.saturating_sub(lo) > 1 {
        let mid = lo + (hi - lo) / 2;
        if offset(zone, mid) == o_lo {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// Local wall-clock seconds at `utc` in `zone` (one call), or `None` on overflow.
pub(crate) fn to_local(zone: &dyn Zone, utc: Epoch) -> Option<(i64, i64)> {
    let o = offset(zone, utc);
    Some((utc.checked_add(o)?, o))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zone with one spring-forward transition at `t` from `a` to `b`.
    struct Step {
        t: Epoch,
        a: i32,
        b: i32,
    }

    impl Zone for Step {
        fn name(&self) -> &str {
            "step"
        }
        fn offset_at(&self, utc: Epoch) -> i32 {
            if utc < self.t { self.a } else { self.b }
        }
    }

    #[test]
    fn fixed_offset_names() {
        let cases = [
            ("zero", 0, Some("+00:00")),
            ("plus_two", 7200, Some("+02:00")),
            ("minus_five_thirty", -19800, Some("-05:30")),
            ("seconds", 61, Some("+00:01:01")),
            ("too_large", 86400, None),
        ];
        for (name, secs, want) in cases {
            let got = FixedOffset::east(secs);
            assert_eq!(got.as_ref().map(|z| z.name()), want, "{name}");
        }
    }

    #[test]
    fn resolve_gap_fold_single() {
        // Spring: at 1000000 the offset goes 3600 -> 7200. Local 1003600 .. 1007200 is a gap.
        let spring = Step {
            t: 1_000_000,
            a: 3600,
            b: 7200,
        };
        // Fall: at 1000000 the offset goes 7200 -> 3600. Local 1003600 .. 1007200 twice.
        let fall = Step {
            t: 1_000_000,
            a: 7200,
            b: 3600,
        };
        let cases: [(&str, &Step, i64, LocalResult); 6] = [
            (
                "spring_before",
                &spring,
                1_003_599,
                LocalResult::Single(999_999),
            ),
            (
                "spring_gap_start",
                &spring,
                1_003_600,
                LocalResult::Gap {
                    before: 996_400,
                    after: 1_000_000,
                },
            ),
            (
                "spring_after",
                &spring,
                1_007_200,
                LocalResult::Single(1_000_000),
            ),
            (
                "fall_before",
                &fall,
                1_003_599,
                LocalResult::Single(996_399),
            ),
            (
                "fall_fold",
                &fall,
                1_003_600,
                LocalResult::Ambiguous {
                    earlier: 996_400,
                    later: 1_000_000,
                },
            ),
            (
                "fall_after",
                &fall,
                1_007_200,
                LocalResult::Single(1_003_600),
            ),
        ];
        for (name, zone, local, want) in cases {
            assert_eq!(resolve_local(zone, local), Some(want), "{name}");
        }
        assert_eq!(transition_between(&spring, 0, 2_000_000), 1_000_000);
    }

    #[test]
    fn resolve_overflow_is_none() {
        assert_eq!(resolve_local(&Utc, i64::MAX), None);
        assert_eq!(resolve_local(&Utc, i64::MIN), None);
    }
}
