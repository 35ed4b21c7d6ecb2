//! The schedule tester (like PVE's schedule simulator, for both syntaxes): an expression
//! in a syntax and a zone give its normalized form, a description and the next runs — or
//! the parser's message with the column it points at split out for highlighting.

use crate::display;
use crate::model::Epoch;
use crate::schedule::Schedule;
pub use crate::schedule::Syntax;
use crate::time::Zone;

/// Runs listed.
pub const RUNS: usize = 10;

/// The syntaxes the tester offers, in order.
pub const SYNTAXES: [Syntax; 2] = [Syntax::Calendar, Syntax::Cron];

/// Stable key of a syntax (`calendar`, `cron`) for form values.
pub fn syntax_key(s: Syntax) -> &'static str {
    match s {
        Syntax::Calendar => "calendar",
        Syntax::Cron => "cron",
    }
}

/// The syntax with key `key` (calendar for anything else).
pub fn syntax_of(key: &str) -> Syntax {
    if key == "cron" {
        Syntax::Cron
    } else {
        Syntax::Calendar
    }
}

/// Human name of a syntax.
pub fn syntax_label(s: Syntax) -> &'static str {
    match s {
        Syntax::Calendar => "Proxmox calendar event",
        Syntax::Cron => "cron",
    }
}

/// An example of a syntax, for the placeholder.
pub fn syntax_example(s: Syntax) -> &'static str {
    match s {
        Syntax::Calendar => "mon..fri 04:00",
        Syntax::Cron => "0 2 * * *",
    }
}

/// One upcoming run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TesterRun {
    /// RFC 3339 in the tester's zone.
    pub datetime: String,
    /// `Tue 19 May 02:00` in the tester's zone.
    pub exact: String,
    /// `in 21 h`.
    pub relative: String,
    /// The same instant in the display zone when that is another zone:
    /// `Tue 19 May 08:00 Europe/Berlin`.
    pub display: Option<String>,
}

/// The expression split around the column an error points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Highlight {
    /// Before the column.
    pub before: String,
    /// The character at the column; empty when the column is past the end.
    pub at: String,
    /// After it.
    pub after: String,
}

/// A parse error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TesterError {
    /// The engine's message.
    pub message: String,
    /// The column it points at (characters from 1).
    pub column: Option<usize>,
    /// The expression split at that column.
    pub highlight: Option<Highlight>,
}

/// What the tester shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TesterView {
    /// The canonical form.
    pub normalized: Option<String>,
    /// Short human text.
    pub description: Option<String>,
    /// The zone evaluated in.
    pub zone: String,
    /// The next [`RUNS`] runs after `now`.
    pub runs: Vec<TesterRun>,
    /// Why the expression does not parse.
    pub error: Option<TesterError>,
    /// Why the zone is not usable.
    pub zone_error: Option<String>,
    /// A hint when there is nothing else to say (empty input, no run ahead).
    pub note: Option<String>,
}

/// Splits `expr` around character `column` (from 1).
pub fn highlight(expr: &str, column: usize) -> Highlight {
    let index = column.saturating_sub(1);
    let before: String = expr.chars().take(index).collect();
    let at: String = expr.chars().skip(index).take(1).collect();
    let after: String = expr.chars().skip(index + 1).collect();
    Highlight { before, at, after }
}

/// Tests `expr` in `syntax`. `zone` is the zone typed as `zone_input`, resolved by the
/// caller (`None`: unknown; an empty input means the display zone and is resolved to it
/// by the caller). Runs are listed in that zone, and also in `display` when it differs.
pub fn test(
    syntax: Syntax,
    expr: &str,
    zone: Option<&dyn Zone>,
    zone_input: &str,
    display: &dyn Zone,
    now: Epoch,
) -> TesterView {
    let mut view = TesterView {
        normalized: None,
        description: None,
        zone: zone.map_or_else(|| zone_input.trim().to_owned(), |z| z.name().to_owned()),
        runs: Vec::new(),
        error: None,
        zone_error: zone
            .is_none()
            .then(|| format!("unknown time zone `{}`", zone_input.trim())),
        note: None,
    };
    if expr.is_empty() {
        view.note = Some(format!(
            "Type a {} such as `{}`",
            syntax_label(syntax),
            syntax_example(syntax)
        ));
        return view;
    }
    let parsed = match syntax {
        Syntax::Calendar => Schedule::parse_calendar(expr),
        Syntax::Cron => Schedule::parse_cron(expr),
    };
    let schedule = match parsed {
        Ok(s) => s,
        Err(e) => {
            let column = e.column();
            view.error = Some(TesterError {
                message: e.to_string(),
                column,
                highlight: column.map(|c| highlight(expr, c)),
            });
            return view;
        }
    };
    view.normalized = Some(schedule.normalized());
    view.description = Some(schedule.describe());
    let Some(zone) = zone else {
        return view;
    };
    let other = (display.name() != zone.name()).then_some(display);
    let mut cursor = now;
    for _ in 0..RUNS {
        let Some(t) = schedule.next_after(cursor, zone) else {
            break;
        };
        view.runs.push(TesterRun {
            datetime: display::rfc3339(t, zone),
            exact: display::exact(t, now, zone),
            relative: display::relative(t, now),
            display: other.map(|d| format!("{} {}", display::exact(t, now, d), d.name())),
        });
        cursor = t;
    }
    if view.runs.is_empty() {
        view.note = Some("It never runs after now".to_owned());
    }
    view
}
