//! Walking the spanned TOML document: typed accessors that report instead of failing.
//!
//! Every accessor takes the [`Sink`] and the key path, records a diagnostic with the
//! value's position on failure and returns `Err(Reported)`; the caller decides whether
//! that drops the entry or falls back to a default.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diag::{Reported, Sink, clip, did_you_mean, quoted};

/// A spanned TOML value.
pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

/// Result of an accessor: `Err` means a diagnostic was recorded.
pub(crate) type Res<T> = Result<T, Reported>;

/// `parent.key`, quoting keys that are not bare TOML keys.
pub(crate) fn child(parent: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let key = if bare {
        key.to_owned()
    } else {
        super::diag::quoted(key)
    };
    if parent.is_empty() {
        key
    } else {
        format!("{parent}.{key}")
    }
}

/// `parent[i]`.
pub(crate) fn index(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

/// How a value is described after "found": `"lxc/101"`, `integer 300`, `a table`.
pub(crate) fn found(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => quoted(s),
        DeValue::Integer(i) => format!("integer {}", clip(&i.to_string())),
        DeValue::Float(f) => format!("float {}", clip(f.as_str())),
        DeValue::Boolean(b) => format!("boolean {b}"),
        DeValue::Datetime(d) => format!("datetime {d}"),
        DeValue::Array(_) => "an array".to_owned(),
        DeValue::Table(_) => "a table".to_owned(),
    }
}

/// Record "expected {what}, found {value}".
pub(crate) fn mismatch(sink: &mut Sink<'_>, v: &Value<'_>, path: &str, what: &str) -> Reported {
    sink.error(
        &v.span(),
        path,
        format!("expected {what}, found {}", found(v.get_ref())),
    )
}

/// A string value.
pub(crate) fn string<'a>(
    sink: &mut Sink<'_>,
    v: &'a Value<'_>,
    path: &str,
    what: &str,
) -> Res<&'a str> {
    match v.get_ref() {
        DeValue::String(s) => Ok(s),
        _ => Err(mismatch(sink, v, path, what)),
    }
}

/// A boolean value.
pub(crate) fn boolean(sink: &mut Sink<'_>, v: &Value<'_>, path: &str) -> Res<bool> {
    match v.get_ref() {
        DeValue::Boolean(b) => Ok(*b),
        _ => Err(mismatch(sink, v, path, "`true` or `false`")),
    }
}

/// An integer value in `min..=max`.
pub(crate) fn integer(
    sink: &mut Sink<'_>,
    v: &Value<'_>,
    path: &str,
    min: i64,
    max: i64,
) -> Res<i64> {
    let what = format!("an integer from {min} to {max}");
    match v.get_ref() {
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(mismatch(sink, v, path, &what)),
        },
        _ => Err(mismatch(sink, v, path, &what)),
    }
}

/// An array value's items.
pub(crate) fn array<'a, 'i>(
    sink: &mut Sink<'_>,
    v: &'a Value<'i>,
    path: &str,
    what: &str,
) -> Res<&'a [Value<'i>]> {
    match v.get_ref() {
        DeValue::Array(a) => Ok(a),
        _ => Err(mismatch(sink, v, path, what)),
    }
}

/// A table with its span and key path.
#[derive(Clone)]
pub(crate) struct Table<'a, 'i> {
    pub(crate) map: &'a DeTable<'i>,
    /// Where the table starts: its `[header]`, `{` or, for implicit tables, its key.
    pub(crate) span: Range<usize>,
    pub(crate) path: String,
}

impl<'a, 'i> Table<'a, 'i> {
    /// The table behind `v`, or a "expected {what}" diagnostic.
    pub(crate) fn of(sink: &mut Sink<'_>, v: &'a Value<'i>, path: String, what: &str) -> Res<Self> {
        match v.get_ref() {
            DeValue::Table(map) => Ok(Table {
                map,
                span: v.span(),
                path,
            }),
            _ => Err(mismatch(sink, v, &path, what)),
        }
    }

    /// The value of `key`, if present.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value<'i>> {
        self.map.get(key)
    }

    /// The key path of `key` inside this table.
    pub(crate) fn path(&self, key: &str) -> String {
        child(&self.path, key)
    }

    /// Entries in the order they appear in the file: (key, key span, value).
    pub(crate) fn entries(&self) -> Vec<(&'a str, Range<usize>, &'a Value<'i>)> {
        let mut out: Vec<_> = self
            .map
            .iter()
            .map(|(k, v)| (k.get_ref().as_ref(), k.span(), v))
            .collect();
        // Spans of distinct keys never start at the same offset.
        out.sort_unstable_by_key(|(_, span, _)| span.start);
        out
    }

    /// Report every key not in `known` as an error (with a suggestion when one is close).
    pub(crate) fn check_keys(&self, sink: &mut Sink<'_>, known: &[&str]) {
        for (key, span, _) in self.entries() {
            if !known.contains(&key) {
                let hint = match did_you_mean(key, known) {
                    hint if !hint.is_empty() => hint,
                    _ => {
                        let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
                        format!(" (expected one of {})", list.join(", "))
                    }
                };
                sink.error(
                    &span,
                    &self.path(key),
                    format!("unknown key `{}`{hint}", clip(key)),
                );
            }
        }
    }

    /// Record "missing required key" at the table's position.
    pub(crate) fn missing(&self, sink: &mut Sink<'_>, key: &str) -> Reported {
        sink.error(
            &self.span,
            &self.path,
            format!("missing required key `{key}`"),
        )
    }

    /// A required string.
    pub(crate) fn req_str(
        &self,
        sink: &mut Sink<'_>,
        key: &str,
        what: &str,
    ) -> Res<(&'a str, Range<usize>)> {
        match self.get(key) {
            None => Err(self.missing(sink, key)),
            Some(v) => Ok((string(sink, v, &self.path(key), what)?, v.span())),
        }
    }

    /// An optional string: `Ok(None)` when absent.
    pub(crate) fn opt_str(
        &self,
        sink: &mut Sink<'_>,
        key: &str,
        what: &str,
    ) -> Res<Option<(&'a str, Range<usize>)>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => Ok(Some((string(sink, v, &self.path(key), what)?, v.span()))),
        }
    }

    /// An optional boolean: `default` when absent **or invalid** (the error is recorded).
    pub(crate) fn bool_or(&self, sink: &mut Sink<'_>, key: &str, default: bool) -> bool {
        match self.get(key) {
            None => default,
            Some(v) => boolean(sink, v, &self.path(key)).unwrap_or(default),
        }
    }
}
