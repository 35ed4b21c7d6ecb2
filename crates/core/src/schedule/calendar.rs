//! Proxmox calendar events (PBS, PVE), parsed exactly as proxmox-time accepts them.
//!
//! # Grammar
//!
//! ```text
//! event    = (keyword | spec) [" "* "UTC"]          ; "UTC" must end the input
//! keyword  = minutely | hourly | daily | weekly | monthly | yearly | annually
//!          | quarterly | semiannually | semi-annually  ; exact, lower case
//! spec     = [weekdays " "*] [date " "*] [time]        ; at least one part
//! weekdays = wdrange ("," wdrange)*
//! wdrange  = wd [".." wd]                              ; wraps: fri..mon
//! wd       = mon | tue | … | monday | tuesday | …      ; any case
//! date     = [list(year 0..2199) "-"] list(month 1..12) "-" list(day 1..31)
//! time     = [list(hour 0..23) ":"] list(minute 0..59) [":" list(second 0..59)]
//! list     = "*" ["/" rep] | item ("," item)*
//! item     = n [".." n] ["/" rep]
//! ```
//!
//! A lone number is **minutes** (`mon..fri 22` = every hour at :22). `*/r` starts at the
//! field's minimum; `v/r` runs from `v` up to the field maximum; `a..b/r` up to `b`.
//! Missing parts default to all weekdays, every date and 00:00:00; a time without
//! seconds has second 0; a time without hours matches every hour.
//!
//! The parser backtracks like upstream's nom combinators, so some odd inputs are valid
//! there and here: `30:00` (hour 30 fails, so it is minute 30, second 0), `mon12:00`
//! (no space needed after weekdays), `dailyUTC`. `*/0` is rejected, `5/0` means `5`.

use super::error::{Expected, Field, ScheduleError, Syntax, column, found_at};
use super::fields::{ALL_DAYS, ALL_MONTHS, ALL_WEEKDAYS, CivilSpec, DayRule, YearSet};

/// A parsed calendar event.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CalendarEvent {
    pub(crate) utc: bool,
    pub(crate) spec: CivilSpec,
}

impl CalendarEvent {
    /// Whether the event ends in ` UTC` (evaluated in UTC regardless of the zone).
    pub fn is_utc(&self) -> bool {
        self.utc
    }
}

/// One comma-separated element of a value list.
#[derive(Clone, Copy, Debug)]
enum Item {
    Single(u32),
    Range(u32, u32),
    /// start, repetition, optional end.
    Repeated(u32, u32, Option<u32>),
}

/// Empty = every value.
type List = Vec<Item>;

/// Bits `lo..hi` set for an empty list, else the listed values below `hi`.
fn to_bits(list: &[Item], lo: u32, hi: u32) -> u64 {
    let mut bits = 0u64;
    let mut set = |v: u32| {
        if v < hi && v < 64 {
            bits |= 1 << v;
        }
    };
    if list.is_empty() {
        (lo..hi).for_each(&mut set);
    }
    for item in list {
        match *item {
            Item::Single(v) => set(v),
            Item::Range(a, b) => (a..=b).for_each(&mut set),
            Item::Repeated(s, 0, _) => set(s),
            Item::Repeated(s, r, end) => {
                let end = end
                    .unwrap_or(hi.saturating_sub(1))
                    .min(hi.saturating_sub(1));
                (s..=end).step_by(r as usize).for_each(&mut set);
            }
        }
    }
    bits
}

fn to_years(list: &[Item]) -> Option<Box<YearSet>> {
    if list.is_empty() {
        return None;
    }
    let mut ys = YearSet::empty();
    let hi = super::fields::YEAR_LIMIT as u32 - 1;
    for item in list {
        match *item {
            Item::Single(v) => ys.insert(v),
            Item::Range(a, b) => (a..=b).for_each(|v| ys.insert(v)),
            Item::Repeated(s, 0, _) => ys.insert(s),
            Item::Repeated(s, r, end) => {
                (s..=end.unwrap_or(hi).min(hi))
                    .step_by(r as usize)
                    .for_each(|v| ys.insert(v));
            }
        }
    }
    Some(Box::new(ys))
}

/// Parses a calendar event.
///
/// # Errors
///
/// Returns a [`ScheduleError`] where proxmox-time rejects the input, pointing at the
/// furthest position the parser reached.
pub(crate) fn parse(input: &str) -> Result<CalendarEvent, ScheduleError> {
    if input.is_empty() {
        return Err(ScheduleError::Empty {
            syntax: Syntax::Calendar,
        });
    }
    let (body, utc) = match input.strip_suffix("UTC") {
        Some(rest) => (rest.trim_end_matches(' '), true),
        None => (input, false),
    };
    if let Some(spec) = keyword(body) {
        return Ok(CalendarEvent { utc, spec });
    }
    let mut p = Parser { s: body, err: None };
    match p.event() {
        Ok(spec) => Ok(CalendarEvent { utc, spec }),
        Err(pos) => Err(p.error(input, pos)),
    }
}

fn keyword(s: &str) -> Option<CivilSpec> {
    let base = |months: u16, days: u32, weekdays: u8| CivilSpec {
        years: None,
        months,
        days,
        weekdays,
        day_rule: DayRule::And,
        hours: 1,
        minutes: 1,
        seconds: 1,
    };
    let all = base(ALL_MONTHS, ALL_DAYS, ALL_WEEKDAYS);
    Some(match s {
        "minutely" => CivilSpec {
            hours: super::fields::ALL_HOURS,
            minutes: super::fields::ALL_MINUTES,
            ..all
        },
        "hourly" => CivilSpec {
            hours: super::fields::ALL_HOURS,
            ..all
        },
        "daily" => all,
        "weekly" => base(ALL_MONTHS, ALL_DAYS, 1),
        "monthly" => base(ALL_MONTHS, 1 << 1, ALL_WEEKDAYS),
        "yearly" | "annually" => base(1 << 1, 1 << 1, ALL_WEEKDAYS),
        "quarterly" => base(
            (1 << 1) | (1 << 4) | (1 << 7) | (1 << 10),
            1 << 1,
            ALL_WEEKDAYS,
        ),
        "semiannually" | "semi-annually" => base((1 << 1) | (1 << 7), 1 << 1, ALL_WEEKDAYS),
        _ => return None,
    })
}

/// A failure recorded while backtracking: (byte position, error).
type Recorded = (usize, ScheduleError);

struct Parser<'a> {
    s: &'a str,
    /// The error at the furthest position reached.
    err: Option<Recorded>,
}

/// `Err` carries nothing: the reason is in `Parser::err`.
type PResult<T> = Result<(usize, T), ()>;

impl Parser<'_> {
    fn at(&self, pos: usize, c: u8) -> bool {
        self.s.as_bytes().get(pos) == Some(&c)
    }

    fn starts(&self, pos: usize, t: &str) -> bool {
        self.s.get(pos..).is_some_and(|r| r.starts_with(t))
    }

    #[cold]
    #[inline(never)]
    fn record(&mut self, pos: usize, err: ScheduleError) {
        let replace = match &self.err {
            None => true,
            // A year out of range at the same spot explains more than the other
            // readings of the same number tried after it.
            Some((
                p,
                ScheduleError::OutOfRange {
                    field: Field::Year, ..
                },
            )) => pos > *p,
            Some((p, _)) => pos >= *p,
        };
        if replace {
            self.err = Some((pos, err));
        }
    }

    #[cold]
    #[inline(never)]
    fn unexpected(&mut self, pos: usize, expected: Expected) {
        let err = ScheduleError::Unexpected {
            syntax: Syntax::Calendar,
            expected,
            found: found_at(self.s, pos),
            column: column(self.s, pos),
        };
        self.record(pos, err);
    }

    /// The final error: the furthest recorded one if it lies beyond the point where
    /// parsing stopped, else "expected end of input" (or a date or time) there.
    #[cold]
    #[inline(never)]
    fn error(&mut self, input: &str, stop: usize) -> ScheduleError {
        match self.err.take() {
            Some((p, e)) if p > stop => e,
            Some((p, e)) if p == stop && !matches!(e, ScheduleError::Unexpected { .. }) => e,
            _ => {
                let expected = if stop == 0 {
                    Expected::DateOrTime
                } else {
                    Expected::End
                };
                ScheduleError::Unexpected {
                    syntax: Syntax::Calendar,
                    expected,
                    found: found_at(input, stop),
                    column: column(input, stop),
                }
            }
        }
    }

    /// `Err(pos)`: parsing stopped at `pos` with input left over.
    fn event(&mut self) -> Result<CivilSpec, usize> {
        let mut pos = 0;
        let mut weekdays = 0u8;
        let mut any = false;
        if self.s.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let Ok((p, wd)) = self.weekday_list(pos) else {
                return Err(pos);
            };
            weekdays = wd;
            pos = self.space0(p);
            any = true;
        }
        let mut date = (Vec::new(), Vec::new(), Vec::new());
        if let Ok((p, d)) = self.date(pos) {
            date = d;
            pos = self.space0(p);
            any = true;
        }
        let mut time = (
            vec![Item::Single(0)],
            vec![Item::Single(0)],
            vec![Item::Single(0)],
        );
        if let Ok((p, t)) = self.time(pos) {
            time = t;
            pos = p;
            any = true;
        }
        if !any || pos != self.s.len() {
            return Err(pos);
        }
        let (years, months, days) = date;
        let (hours, minutes, seconds) = time;
        Ok(CivilSpec {
            years: to_years(&years),
            months: to_bits(&months, 1, 13) as u16,
            days: to_bits(&days, 1, 32) as u32,
            weekdays: if weekdays == 0 {
                ALL_WEEKDAYS
            } else {
                weekdays
            },
            day_rule: DayRule::And,
            hours: to_bits(&hours, 0, 24) as u32,
            minutes: to_bits(&minutes, 0, 60),
            seconds: to_bits(&seconds, 0, 60),
        })
    }

    fn space0(&self, mut pos: usize) -> usize {
        while self.at(pos, b' ') {
            pos += 1;
        }
        pos
    }

    fn weekday(&mut self, pos: usize) -> PResult<u8> {
        let rest = self.s.get(pos..).unwrap_or("");
        let len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let word = rest[..len].to_ascii_lowercase();
        let day = match word.as_str() {
            "mon" | "monday" => 0,
            "tue" | "tuesday" => 1,
            "wed" | "wednesday" => 2,
            "thu" | "thursday" => 3,
            "fri" | "friday" => 4,
            "sat" | "saturday" => 5,
            "sun" | "sunday" => 6,
            _ => {
                self.unexpected(pos, Expected::Weekday);
                return Err(());
            }
        };
        Ok((pos + len, day))
    }

    fn weekday_range(&mut self, pos: usize) -> PResult<u8> {
        let (p, start) = self.weekday(pos)?;
        if self.starts(p, "..")
            && let Ok((p2, end)) = self.weekday(p + 2)
        {
            let mut bits = 0u8;
            let mut d = start;
            loop {
                bits |= 1 << d;
                if d == end {
                    break;
                }
                d = (d + 1) % 7;
            }
            return Ok((p2, bits));
        }
        Ok((p, 1 << start))
    }

    fn weekday_list(&mut self, pos: usize) -> PResult<u8> {
        let (mut pos, mut bits) = self.weekday_range(pos)?;
        while self.at(pos, b',') {
            match self.weekday_range(pos + 1) {
                Ok((p, b)) => {
                    bits |= b;
                    pos = p;
                }
                Err(()) => break,
            }
        }
        Ok((pos, bits))
    }

    /// A number below `max`.
    fn number(&mut self, pos: usize, max: u32, field: Field, min: u32) -> PResult<u32> {
        let rest = self.s.get(pos..).unwrap_or("");
        let len = rest.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            self.unexpected(pos, Expected::Number);
            return Err(());
        }
        let value = rest[..len].bytes().fold(0u64, |acc, b| {
            acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
        });
        if value >= u64::from(max) {
            let err = ScheduleError::OutOfRange {
                syntax: Syntax::Calendar,
                field,
                value,
                min,
                max: max - 1,
                column: column(self.s, pos),
            };
            self.record(pos, err);
            return Err(());
        }
        Ok((pos + len, value as u32))
    }

    fn item(&mut self, pos: usize, max: u32, field: Field, min: u32) -> PResult<Item> {
        let (p, v) = self.number(pos, max, field, min)?;
        if self.starts(p, "..")
            && let Ok((p2, end)) = self.number(p + 2, max, field, min)
        {
            if v > end {
                let err = ScheduleError::ReversedRange {
                    syntax: Syntax::Calendar,
                    field,
                    start: v,
                    end,
                    column: column(self.s, pos),
                };
                self.record(p2, err);
                return Err(());
            }
            if self.at(p2, b'/') {
                let (p3, rep) = self.number(p2 + 1, max, Field::Repetition, 0)?;
                return Ok((p3, Item::Repeated(v, rep, Some(end))));
            }
            return Ok((p2, Item::Range(v, end)));
        }
        if self.at(p, b'/') {
            let (p3, rep) = self.number(p + 1, max, Field::Repetition, 0)?;
            return Ok((p3, Item::Repeated(v, rep, None)));
        }
        Ok((p, Item::Single(v)))
    }

    /// `start` is where `*/r` begins; values must be below `max`.
    fn list(&mut self, pos: usize, start: u32, max: u32, field: Field) -> PResult<List> {
        if self.at(pos, b'*') {
            let rest = pos + 1;
            if self.at(rest, b'/') {
                let (n, rep) = self.number(rest + 1, max, Field::Repetition, 0)?;
                if rep > 0 {
                    return Ok((n, vec![Item::Repeated(start, rep, None)]));
                }
                // Upstream leaves "/0" unparsed, which always fails later; say why.
                let err = ScheduleError::ZeroStep {
                    syntax: Syntax::Calendar,
                    column: column(self.s, rest + 1),
                };
                self.record(rest + 1, err);
            }
            return Ok((rest, Vec::new()));
        }
        let (mut pos, first) = self.item(pos, max, field, start)?;
        let mut items = vec![first];
        while self.at(pos, b',') {
            match self.item(pos + 1, max, field, start) {
                Ok((p, it)) => {
                    items.push(it);
                    pos = p;
                }
                Err(()) => break,
            }
        }
        Ok((pos, items))
    }

    fn expect(&mut self, pos: usize, c: char) -> Result<usize, ()> {
        if self.at(pos, c as u8) {
            Ok(pos + 1)
        } else {
            self.unexpected(pos, Expected::Char(c));
            Err(())
        }
    }

    fn date(&mut self, pos: usize) -> PResult<(List, List, List)> {
        let ymd = (|| {
            let (p, y) = self.list(pos, 0, 2200, Field::Year)?;
            // Not recorded: after one number, a time is as likely as a date.
            if !self.at(p, b'-') {
                return Err(());
            }
            let p = p + 1;
            let (p, m) = self.list(p, 1, 13, Field::Month)?;
            let p = self.expect(p, '-')?;
            let (p, d) = self.list(p, 1, 32, Field::DayOfMonth)?;
            Ok((p, (y, m, d)))
        })();
        if ymd.is_ok() {
            return ymd;
        }
        let (p, m) = self.list(pos, 1, 13, Field::Month)?;
        if !self.at(p, b'-') {
            return Err(());
        }
        let (p, d) = self.list(p + 1, 1, 32, Field::DayOfMonth)?;
        Ok((p, (Vec::new(), m, d)))
    }

    fn time(&mut self, pos: usize) -> PResult<(List, List, List)> {
        let (pos, hours) = match self.list(pos, 0, 24, Field::Hour) {
            Ok((p, h)) if self.at(p, b':') => (p + 1, h),
            _ => (pos, Vec::new()),
        };
        let (pos, minutes) = self.list(pos, 0, 60, Field::Minute)?;
        if self.at(pos, b':')
            && let Ok((p, seconds)) = self.list(pos + 1, 0, 60, Field::Second)
        {
            return Ok((p, (hours, minutes, seconds)));
        }
        Ok((pos, (hours, minutes, vec![Item::Single(0)])))
    }
}
