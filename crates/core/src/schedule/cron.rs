//! Standard five-field cron with Debian (Vixie) semantics.
//!
//! # Grammar
//!
//! ```text
//! cron    = macro | field ws field ws field ws field ws field   ; surrounding ws ignored
//! macro   = @yearly | @annually | @monthly | @weekly | @daily | @midnight | @hourly
//! field   = element ("," element)*
//! element = "*" ["/" step] | value ["-" value] ["/" step]
//! value   = number | name                    ; names: jan…dec, sun…sat, any case
//! ```
//!
//! Ranges: minute 0–59, hour 0–23, day of month 1–31, month 1–12, day of week 0–7
//! (0 and 7 are Sunday). `v/step` runs from `v` to the field maximum. When both day
//! fields are restricted (neither starts with `*`) a day matches if **either** matches;
//! otherwise both must.
//!
//! We do not use the `cron` crate: it wants 6–7 fields, counts Sunday as 1 and ANDs the
//! day fields. Adapting it would take our own validating pre-parser, an OR-merge of two
//! schedules and our own DST handling, leaving it only the bit-set search that the
//! calendar evaluator already has.

use super::error::{Expected, Extension, Field, Found, ScheduleError, Syntax, column, found_at};
use super::fields::{CivilSpec, DayRule};

/// A parsed cron expression.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cron {
    pub(crate) spec: CivilSpec,
    /// Each field's text started with `*` (minute, hour, day of month, day of week).
    pub(crate) star: [bool; 4],
}

impl Cron {
    /// Debian cron runs jobs with `*` in the minute or hour field by the wall clock
    /// ("wildcard" jobs); all others are fixed-time jobs with special DST handling.
    pub fn is_wildcard(&self) -> bool {
        self.star[0] || self.star[1]
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// The textual expansion of each macro.
fn expand(name: &str) -> Option<&'static str> {
    Some(match name {
        "@yearly" | "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" | "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        _ => return None,
    })
}

/// Parses a cron expression.
///
/// # Errors
///
/// Returns a [`ScheduleError`] for anything Debian cron would not accept, and for the
/// range errors Debian cron silently accepts (a reversed range).
pub(crate) fn parse(input: &str) -> Result<Cron, ScheduleError> {
    let is_ws = |c: char| c == ' ' || c == '\t';
    let start = input.len() - input.trim_start_matches(is_ws).len();
    let trimmed = input.trim_matches(is_ws);
    if trimmed.is_empty() {
        return Err(ScheduleError::Empty {
            syntax: Syntax::Cron,
        });
    }
    if trimmed.starts_with('@') {
        let len = trimmed.find(is_ws).unwrap_or(trimmed.len());
        let name = &trimmed[..len];
        let Some(expansion) = expand(name) else {
            return Err(ScheduleError::UnknownMacro {
                name: name.to_string(),
                column: column(input, start),
            });
        };
        if len != trimmed.len() {
            let pos = start + len;
            return Err(ScheduleError::Unexpected {
                syntax: Syntax::Cron,
                expected: Expected::End,
                found: Found::Whitespace,
                column: column(input, pos),
            });
        }
        return parse(expansion);
    }
    let mut fields = Vec::with_capacity(5);
    let mut pos = start;
    for word in trimmed.split(is_ws).filter(|w| !w.is_empty()) {
        // Byte offset of this word in `input`.
        let off = input[pos..].find(word).map_or(pos, |i| pos + i);
        fields.push((word, off));
        pos = off + word.len();
    }
    if fields.len() != 5 {
        return Err(ScheduleError::FieldCount {
            found: fields.len(),
        });
    }
    let kinds = [
        (Field::Minute, 0, 59),
        (Field::Hour, 0, 23),
        (Field::DayOfMonth, 1, 31),
        (Field::Month, 1, 12),
        (Field::DayOfWeek, 0, 7),
    ];
    let mut bits = [0u64; 5];
    for (i, ((text, off), (field, lo, hi))) in fields.iter().zip(kinds).enumerate() {
        bits[i] = FieldParser {
            input,
            field,
            lo,
            hi,
        }
        .field(text, *off)?;
    }
    let star = [0, 1, 2, 4].map(|i| fields[i].0.starts_with('*'));
    // Day of week: cron bit 0 and 7 = Sunday; ours: bit 0 = Monday … bit 6 = Sunday.
    let dow = bits[4];
    let mut weekdays = 0u8;
    for d in 0..=7u32 {
        if dow >> d & 1 == 1 {
            weekdays |= 1 << ((d + 6) % 7);
        }
    }
    let day_rule = if star[2] || star[3] {
        DayRule::And
    } else {
        DayRule::Or
    };
    Ok(Cron {
        spec: CivilSpec {
            years: None,
            months: bits[3] as u16,
            days: bits[2] as u32,
            weekdays,
            day_rule,
            hours: bits[1] as u32,
            minutes: bits[0],
            seconds: 1,
        },
        star,
    })
}

struct FieldParser<'a> {
    input: &'a str,
    field: Field,
    lo: u32,
    hi: u32,
}

impl FieldParser<'_> {
    #[cold]
    #[inline(never)]
    fn unexpected(&self, pos: usize, expected: Expected) -> ScheduleError {
        let found = found_at(self.input, pos);
        let column = column(self.input, pos);
        let extension = match &found {
            Found::Char('#') => Some(Extension::NthWeekday),
            Found::Char('?') => Some(Extension::NoSpecificValue),
            Found::Token(t) if t.eq_ignore_ascii_case("l") => Some(Extension::Last),
            Found::Token(t) if t.eq_ignore_ascii_case("w") || t.eq_ignore_ascii_case("lw") => {
                Some(Extension::NearestWeekday)
            }
            _ => None,
        };
        match extension {
            Some(extension) => ScheduleError::Unsupported { extension, column },
            None => ScheduleError::Unexpected {
                syntax: Syntax::Cron,
                expected,
                found,
                column,
            },
        }
    }

    /// Parses one field (`text` starts at byte `off` of the input) into a bit set.
    fn field(&self, text: &str, off: usize) -> Result<u64, ScheduleError> {
        let mut bits = 0u64;
        let mut i = 0;
        loop {
            i = self.element(text, off, i, &mut bits)?;
            match text.as_bytes().get(i) {
                None => return Ok(bits),
                Some(b',') => i += 1,
                Some(_) => return Err(self.unexpected(off + i, Expected::Char(','))),
            }
        }
    }

    fn element(
        &self,
        text: &str,
        off: usize,
        i: usize,
        bits: &mut u64,
    ) -> Result<usize, ScheduleError> {
        let b = text.as_bytes();
        let (start, end, mut i, single) = if b.get(i) == Some(&b'*') {
            (self.lo, self.hi, i + 1, false)
        } else {
            let (i2, a) = self.value(text, off, i)?;
            if b.get(i2) == Some(&b'-') {
                let (i3, z) = self.value(text, off, i2 + 1)?;
                if a > z {
                    return Err(ScheduleError::ReversedRange {
                        syntax: Syntax::Cron,
                        field: self.field,
                        start: a,
                        end: z,
                        column: column(self.input, off + i),
                    });
                }
                (a, z, i3, false)
            } else {
                (a, a, i2, true)
            }
        };
        let mut step = 1u32;
        if b.get(i) == Some(&b'/') {
            let (i2, s) = self.number(text, off, i + 1)?;
            if s == 0 {
                return Err(ScheduleError::ZeroStep {
                    syntax: Syntax::Cron,
                    column: column(self.input, off + i + 1),
                });
            }
            step = u32::try_from(s).unwrap_or(u32::MAX);
            i = i2;
        }
        // `v/step` (an extension that Databasement and Backrest accept) runs to the max.
        let end = if single && step > 1 { self.hi } else { end };
        let mut v = start;
        while v <= end {
            *bits |= 1 << v;
            v = match v.checked_add(step) {
                Some(n) => n,
                None => break,
            };
        }
        Ok(i)
    }

    /// A number (digits only) without range check.
    fn number(&self, text: &str, off: usize, i: usize) -> Result<(usize, u64), ScheduleError> {
        let rest = &text[i..];
        let len = rest.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return Err(self.unexpected(off + i, Expected::Number));
        }
        let v = rest[..len].bytes().fold(0u64, |acc, b| {
            acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
        });
        Ok((i + len, v))
    }

    /// A number or name within the field's range.
    fn value(&self, text: &str, off: usize, i: usize) -> Result<(usize, u32), ScheduleError> {
        let rest = &text[i..];
        let alpha = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        if alpha > 0 {
            let word = rest[..alpha].to_ascii_lowercase();
            let names: &[&str] = match self.field {
                Field::Month => &MONTHS,
                Field::DayOfWeek => &DAYS,
                _ => &[],
            };
            let lo = if self.field == Field::Month { 1 } else { 0 };
            return match names.iter().position(|n| *n == word) {
                Some(p) => Ok((i + alpha, p as u32 + lo)),
                None => Err(self.unexpected(off + i, Expected::CronValue(self.field))),
            };
        }
        if !rest.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(self.unexpected(off + i, Expected::CronValue(self.field)));
        }
        let (i2, v) = self.number(text, off, i)?;
        if v < u64::from(self.lo) || v > u64::from(self.hi) {
            return Err(ScheduleError::OutOfRange {
                syntax: Syntax::Cron,
                field: self.field,
                value: v,
                min: self.lo,
                max: self.hi,
                column: column(self.input, off + i),
            });
        }
        Ok((i2, v as u32))
    }
}
