//! Parse errors. Their `Display` texts are interface: tests pin them exactly.
//!
//! Messages are lowercase, without a trailing period, and mostly of the form
//! `expected X, found Y at column N` (columns count characters from 1).

use std::fmt;

/// Which syntax an error belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Syntax {
    /// Proxmox calendar event.
    Calendar,
    /// Standard cron.
    Cron,
}

/// A field of either syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// Calendar years 0–2199.
    Year,
    /// Months 1–12.
    Month,
    /// Days of the month 1–31.
    DayOfMonth,
    /// Cron day of week 0–7.
    DayOfWeek,
    /// Hours 0–23.
    Hour,
    /// Minutes 0–59.
    Minute,
    /// Seconds 0–59 (calendar events only).
    Second,
    /// A repetition (`/n`) or cron step.
    Repetition,
}

impl Field {
    fn label(self) -> &'static str {
        match self {
            Field::Year => "year",
            Field::Month => "month",
            Field::DayOfMonth => "day of month",
            Field::DayOfWeek => "day of week",
            Field::Hour => "hour",
            Field::Minute => "minute",
            Field::Second => "second",
            Field::Repetition => "repetition",
        }
    }
}

/// What the parser would have accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Expected {
    /// A decimal number.
    Number,
    /// A weekday name (`mon`, `monday`, …) or, at the start, a keyword.
    Weekday,
    /// A weekday, date or time part of a calendar event.
    DateOrTime,
    /// This exact character.
    Char(char),
    /// Nothing more.
    End,
    /// A cron value: a number, `*`, or (month and weekday fields) a three-letter name.
    CronValue(Field),
    /// One of the supported `@` macros.
    Macro,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Number => f.write_str("a number"),
            Expected::Weekday => f.write_str("a weekday or keyword"),
            Expected::DateOrTime => f.write_str("a weekday, date or time"),
            Expected::Char(c) => write!(f, "`{c}`"),
            Expected::End => f.write_str("end of input"),
            Expected::CronValue(Field::Month) => f.write_str("a number, `*` or month name"),
            Expected::CronValue(Field::DayOfWeek) => f.write_str("a number, `*` or weekday name"),
            Expected::CronValue(_) => f.write_str("a number or `*`"),
            Expected::Macro => f.write_str(
                "one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly",
            ),
        }
    }
}

/// What the parser found instead.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Found {
    /// The input ended.
    End,
    /// A space or tab.
    Whitespace,
    /// A single character.
    Char(char),
    /// A run of letters or digits, or an `@` word.
    Token(String),
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::End => f.write_str("end of input"),
            Found::Whitespace => f.write_str("whitespace"),
            Found::Char(c) => write!(f, "`{c}`"),
            Found::Token(t) => write!(f, "`{t}`"),
        }
    }
}

/// A feature of other cron dialects that standard cron does not have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Extension {
    /// `L`: last day of month / last weekday.
    Last,
    /// `W`: nearest weekday.
    NearestWeekday,
    /// `#`: nth weekday of the month.
    NthWeekday,
    /// `?`: no specific value.
    NoSpecificValue,
}

impl Extension {
    fn label(self) -> &'static str {
        match self {
            Extension::Last => "`L` (last)",
            Extension::NearestWeekday => "`W` (nearest weekday)",
            Extension::NthWeekday => "`#` (nth weekday)",
            Extension::NoSpecificValue => "`?` (no specific value)",
        }
    }
}

/// The unit of a Backrest period schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PeriodUnit {
    /// `maxFrequencyHours`.
    Hours,
    /// `maxFrequencyDays`.
    Days,
}

/// Why a schedule could not be parsed.
///
/// Fields named `column` count characters from 1; `syntax` says which parser failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScheduleError {
    /// The expression is empty.
    Empty {
        /// Which parser.
        syntax: Syntax,
    },
    /// Something other than what the grammar allows at this point.
    Unexpected {
        /// Which parser.
        syntax: Syntax,
        /// What would have been accepted.
        expected: Expected,
        /// What was there.
        found: Found,
        /// Where (characters from 1).
        column: usize,
    },
    /// A number outside its field's range.
    OutOfRange {
        /// Which parser.
        syntax: Syntax,
        /// The field the number was read for.
        field: Field,
        /// The number as written, saturated at `u64::MAX`.
        value: u64,
        /// Smallest allowed value.
        min: u32,
        /// Largest allowed value.
        max: u32,
        /// Where the number starts.
        column: usize,
    },
    /// A range whose start is above its end (`5..3`, `5-3`).
    ReversedRange {
        /// Which parser.
        syntax: Syntax,
        /// The field of the range.
        field: Field,
        /// The range's start.
        start: u32,
        /// The range's end.
        end: u32,
        /// Where the range starts.
        column: usize,
    },
    /// A repetition or step of zero (`*/0`).
    ZeroStep {
        /// Which parser.
        syntax: Syntax,
        /// Where the zero is.
        column: usize,
    },
    /// Cron: not exactly five fields.
    FieldCount {
        /// How many fields there were.
        found: usize,
    },
    /// Cron: an `@` word that is not a supported macro.
    UnknownMacro {
        /// The word, `@` included.
        name: String,
        /// Where it starts.
        column: usize,
    },
    /// Cron: a feature of other cron dialects (`L`, `W`, `#`, `?`).
    Unsupported {
        /// Which feature.
        extension: Extension,
        /// Where it is.
        column: usize,
    },
    /// Backrest: a period of zero hours or days.
    ZeroPeriod {
        /// Hours or days.
        unit: PeriodUnit,
    },
}

impl ScheduleError {
    /// The syntax the error belongs to (`None` for Backrest periods).
    pub fn syntax(&self) -> Option<Syntax> {
        match self {
            ScheduleError::Empty { syntax }
            | ScheduleError::Unexpected { syntax, .. }
            | ScheduleError::OutOfRange { syntax, .. }
            | ScheduleError::ReversedRange { syntax, .. }
            | ScheduleError::ZeroStep { syntax, .. } => Some(*syntax),
            ScheduleError::FieldCount { .. }
            | ScheduleError::UnknownMacro { .. }
            | ScheduleError::Unsupported { .. } => Some(Syntax::Cron),
            ScheduleError::ZeroPeriod { .. } => None,
        }
    }

    /// The character column (from 1) in the expression the error points at, if any.
    pub fn column(&self) -> Option<usize> {
        match self {
            ScheduleError::Unexpected { column, .. }
            | ScheduleError::OutOfRange { column, .. }
            | ScheduleError::ReversedRange { column, .. }
            | ScheduleError::ZeroStep { column, .. }
            | ScheduleError::UnknownMacro { column, .. }
            | ScheduleError::Unsupported { column, .. } => Some(*column),
            ScheduleError::Empty { .. }
            | ScheduleError::FieldCount { .. }
            | ScheduleError::ZeroPeriod { .. } => None,
        }
    }
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScheduleError::Empty { syntax } => {
                let what = match syntax {
                    Syntax::Calendar => "a calendar event",
                    Syntax::Cron => "a cron expression",
                };
                write!(f, "expected {what}, found end of input at column 1")
            }
            ScheduleError::Unexpected {
                expected,
                found,
                column,
                ..
            } => write!(f, "expected {expected}, found {found} at column {column}"),
            ScheduleError::OutOfRange {
                field,
                value,
                min,
                max,
                column,
                ..
            } => write!(
                f,
                "expected {} between {min} and {max}, found {value} at column {column}",
                field.label()
            ),
            ScheduleError::ReversedRange {
                syntax,
                field,
                start,
                end,
                column,
            } => {
                let sep = match syntax {
                    Syntax::Calendar => "..",
                    Syntax::Cron => "-",
                };
                write!(
                    f,
                    "expected a {} range whose start is not above its end, found {start}{sep}{end} at column {column}",
                    field.label()
                )
            }
            ScheduleError::ZeroStep { column, .. } => write!(
                f,
                "expected a repetition greater than zero, found 0 at column {column}"
            ),
            ScheduleError::FieldCount { found } => {
                write!(f, "expected 5 fields, found {found}")
            }
            ScheduleError::UnknownMacro { name, column } => write!(
                f,
                "expected {}, found `{name}` at column {column}",
                Expected::Macro
            ),
            ScheduleError::Unsupported { extension, column } => write!(
                f,
                "expected standard cron syntax, found {} at column {column}",
                extension.label()
            ),
            ScheduleError::ZeroPeriod { unit } => {
                let unit = match unit {
                    PeriodUnit::Hours => "hour",
                    PeriodUnit::Days => "day",
                };
                write!(f, "expected a period of at least one {unit}, found 0")
            }
        }
    }
}

impl std::error::Error for ScheduleError {}

/// The character column (1-based) of byte offset `pos` in `input`.
#[cold]
#[inline(never)]
pub(crate) fn column(input: &str, pos: usize) -> usize {
    input.get(..pos).map_or(pos, |s| s.chars().count()) + 1
}

/// The token starting at byte offset `pos`: a run of ASCII letters or digits, a single
/// other character, whitespace, or the end.
#[cold]
#[inline(never)]
pub(crate) fn found_at(input: &str, pos: usize) -> Found {
    let rest = input.get(pos..).unwrap_or("");
    let Some(c) = rest.chars().next() else {
        return Found::End;
    };
    if c == ' ' || c == '\t' {
        return Found::Whitespace;
    }
    let run = |f: fn(&char) -> bool| rest.chars().take_while(f).collect::<String>();
    if c.is_ascii_alphabetic() {
        Found::Token(run(char::is_ascii_alphabetic))
    } else if c.is_ascii_digit() {
        Found::Token(run(char::is_ascii_digit))
    } else {
        Found::Char(c)
    }
}
