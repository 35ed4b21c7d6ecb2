//! Diagnostics: severities, positions, the fatal error and "did you mean" suggestions.

use std::fmt;
use std::ops::Range;

/// How serious a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Part of the file was **not applied**: an entry was dropped, a key was ignored or a
    /// value fell back to its default. Monitoring may be missing something.
    Error,
    /// Applied, but probably not what was meant (e.g. a missing time zone with a fallback).
    Warning,
}

impl Severity {
    /// `error` / `warning`.
    pub fn key(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A non-fatal problem in `backwatch.toml`, with its position and key path.
///
/// `Display` gives `error: services.immich.gests: unknown key `gests` (did you mean
/// `guests`?) at line 14, column 1`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// 1-based line of the offending key or value.
    pub line: u32,
    /// 1-based column, counted in characters (not bytes).
    pub column: u32,
    /// Dotted key path, e.g. `services.immich.guests[1]` (keys that are not bare TOML keys
    /// are quoted: `services."Home Assistant"`).
    pub key: String,
    /// What is wrong: lowercase, no trailing period, "expected X, found Y" where it fits.
    pub message: String,
}

impl Diagnostic {
    /// Is this an [`Severity::Error`]?
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.severity.key())?;
        if !self.key.is_empty() {
            write!(f, "{}: ", self.key)?;
        }
        write!(
            f,
            "{} at line {}, column {}",
            self.message, self.line, self.column
        )
    }
}

/// Why `backwatch.toml` could not be read at all: it is not valid TOML.
///
/// Everything else is reported as a [`Diagnostic`] and the rest of the file still loads.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConfigError {
    /// 1-based line of the syntax error.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
    /// The TOML parser's description, e.g. ``duplicate key `immich` ``.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid TOML: {} at line {}, column {}",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    #[cold]
    #[inline(never)]
    pub(crate) fn from_toml(text: &str, error: &toml::de::Error) -> Self {
        let lines = LineIndex::new(text);
        let span = error.span().unwrap_or(text.len()..text.len());
        let (line, column) = lines.position(span.start);
        let mut message = error.message().trim_end().to_owned();
        if message == "duplicate key" {
            let key = text.get(span.clone()).unwrap_or("").trim();
            if !key.is_empty() {
                message = format!(
                    "duplicate key `{}` (a key or table may be defined only once)",
                    clip(key)
                );
            }
        }
        ConfigError {
            line,
            column,
            message,
        }
    }
}

/// Byte offset → (line, column) conversion.
pub(crate) struct LineIndex<'t> {
    text: &'t str,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// 1-based line and character column of a byte offset (clamped to the text).
    pub(crate) fn position(&self, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let prefix = self.text.get(start..offset).unwrap_or("");
        let mut column = prefix.chars().count();
        // An editor does not show a byte-order mark as a column.
        if start == 0 && prefix.starts_with('\u{feff}') {
            column -= 1;
        }
        (to_u32(line), to_u32(column + 1))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Collects diagnostics with positions.
pub(crate) struct Sink<'t> {
    lines: LineIndex<'t>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Marker: a diagnostic explaining the failure has already been recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Reported;

impl<'t> Sink<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Sink {
            lines: LineIndex::new(text),
            diagnostics: Vec::new(),
        }
    }

    pub(crate) fn position(&self, span: &Range<usize>) -> (u32, u32) {
        self.lines.position(span.start)
    }

    fn push(&mut self, severity: Severity, span: &Range<usize>, key: &str, message: String) {
        let (line, column) = self.position(span);
        self.diagnostics.push(Diagnostic {
            severity,
            line,
            column,
            key: key.to_owned(),
            message,
        });
    }

    /// Record an error; returns [`Reported`] so callers can write `return Err(sink.error(…))`.
    #[cold]
    #[inline(never)]
    pub(crate) fn error(
        &mut self,
        span: &Range<usize>,
        key: &str,
        message: impl Into<String>,
    ) -> Reported {
        self.push(Severity::Error, span, key, message.into());
        Reported
    }

    /// Record a warning.
    #[cold]
    #[inline(never)]
    pub(crate) fn warning(&mut self, span: &Range<usize>, key: &str, message: impl Into<String>) {
        self.push(Severity::Warning, span, key, message.into());
    }

    /// "line 3, column 8" for cross-references in messages.
    pub(crate) fn at(&self, span: &Range<usize>) -> String {
        let (line, column) = self.position(span);
        format!("line {line}, column {column}")
    }
}

/// Shorten user text for a message (at most 60 characters).
pub(crate) fn clip(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(MAX - 1).collect();
        out.push('…');
        out
    }
}

/// User text as a quoted, escaped string for a message: `"lxc/101"`.
///
/// Escapes only `"`, `\` and control characters; other characters stay readable. (Not
/// `{:?}`: its Unicode printability tables cost wasm size for no gain here.)
pub(crate) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in clip(s).chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
///
/// Case and `-`/`_` are ignored, a swap of two neighbours counts as one edit; the
/// allowed distance grows with the length of the word (1 up to 3 characters, 2 up to 6,
/// then 3).
pub(crate) fn suggest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let norm = |s: &str| -> Vec<char> {
        s.chars()
            .map(|c| {
                if c == '-' {
                    '_'
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    };
    let w = norm(word);
    let limit = match w.len() {
        0 => return None,
        1..=3 => 1,
        4..=6 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &'c str)> = None;
    for &c in candidates {
        let d = distance(&w, &norm(c));
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    // A fragment of a longer key (`zone` for `timezone`) is a typo too.
    best.map(|(_, c)| c).or_else(|| {
        let word: String = w.iter().collect();
        (w.len() >= 4)
            .then(|| {
                candidates
                    .iter()
                    .find(|c| norm(c).iter().collect::<String>().contains(&word))
            })
            .flatten()
            .copied()
    })
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
fn distance(a: &[char], b: &[char]) -> usize {
    // Three rolling rows: i-2, i-1, i.
    let n = b.len();
    let mut prev2 = vec![0usize; n + 1];
    let mut prev: Vec<usize> = (0..=n).collect();
    let mut cur = vec![0usize; n + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n]
}

/// ` (did you mean `x`?)` or nothing.
pub(crate) fn did_you_mean(word: &str, candidates: &[&str]) -> String {
    match suggest(word, candidates) {
        Some(c) => format!(" (did you mean `{c}`?)"),
        None => String::new(),
    }
}

/// ` (did you mean "x"?)` or nothing: for values, which are quoted like strings.
pub(crate) fn did_you_mean_value(word: &str, candidates: &[&str]) -> String {
    match suggest(word, candidates) {
        Some(c) => format!(" (did you mean {}?)", quoted(c)),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_and_lines() {
        let text = "a = 1\nbé = \"x\"\r\nc = 2";
        let idx = LineIndex::new(text);
        let cases = [
            (0, (1, 1)),
            (4, (1, 5)),
            (6, (2, 1)),
            (11, (2, 5)),
            (17, (3, 1)),
        ];
        for (offset, want) in cases {
            assert_eq!(idx.position(offset), want, "offset {offset}");
        }
        // Past the end and inside a multi-byte character: clamped, no panic.
        assert_eq!(idx.position(1000), (3, 6));
        assert_eq!(idx.position(8), (2, 2));
    }

    #[test]
    fn byte_order_mark_is_not_a_column() {
        let idx = LineIndex::new("\u{feff}a = 1");
        assert_eq!(idx.position(3), (1, 1));
    }

    #[test]
    fn suggestions_tolerate_typos_but_not_strangers() {
        let keys = ["guests", "hosts", "databases", "plans", "grace", "retired"];
        let cases = [
            ("gests", Some("guests")),
            ("gusets", Some("guests")),
            ("Guests", Some("guests")),
            ("databse", Some("databases")),
            ("retierd", Some("retired")),
            ("plan", Some("plans")),
            ("xyz", None),
            ("description", None),
            ("", None),
        ];
        for (word, want) in cases {
            assert_eq!(suggest(word, &keys), want, "{word}");
        }
        assert_eq!(suggest("grace-max", &["grace_max"]), Some("grace_max"));
        assert_eq!(suggest("zone", &["name", "timezone"]), Some("timezone"));
    }
}
