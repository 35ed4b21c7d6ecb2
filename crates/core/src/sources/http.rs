//! Response handling shared by all sources: status classification, bounded body excerpts,
//! and JSON decoding that reports where in the document decoding failed.
//!
//! Nothing here panics on outside data: excerpts are cut on char boundaries, every scan is
//! bounded by the body length, and error texts are bounded in size.

use serde::de::DeserializeOwned;

use super::{HttpResponse, SourceError, TransportError};

/// Longest body excerpt kept in an error, in characters.
pub const EXCERPT_CHARS: usize = 200;
/// Longest decode path rendered in an error, in characters.
const PATH_CHARS: usize = 120;
/// How much of an HTML page is searched for its `<title>`.
const HTML_SCAN_BYTES: usize = 4096;

/// Turns a transport result into a 2xx response, or the matching [`SourceError`].
///
/// `path` is the request path (shown in the error).
///
/// # Errors
/// [`SourceError::Transport`] without a response, [`SourceError::Unauthorized`] for 401,
/// [`SourceError::Forbidden`] for 403, [`SourceError::Status`] for any other non-2xx status.
pub fn check(
    path: &str,
    response: Result<HttpResponse, TransportError>,
) -> Result<HttpResponse, SourceError> {
    let response = response.map_err(|error| SourceError::Transport {
        path: path.to_owned(),
        error,
    })?;
    if (200..300).contains(&response.status) {
        return Ok(response);
    }
    let body_excerpt = error_excerpt(&response.body);
    let path = path.to_owned();
    Err(match response.status {
        401 => SourceError::Unauthorized { path, body_excerpt },
        403 => SourceError::Forbidden { path, body_excerpt },
        status => SourceError::Status {
            path,
            status,
            body_excerpt,
        },
    })
}

/// Decodes a 2xx JSON body into `T`.
///
/// # Errors
/// [`SourceError::Decode`] with a detail that names the problem and, for data errors, the
/// JSON path (`data[3].backup-time: invalid type: …`), plus a bounded body excerpt.
pub fn decode<T: DeserializeOwned>(path: &str, response: &HttpResponse) -> Result<T, SourceError> {
    decode_borrowed(path, &response.body)
}

fn decode_error(path: &str, detail: String, body: &str) -> SourceError {
    // A 2xx body is shown as it is (an HTML page by its title), not read as an error body.
    let body_excerpt = if body.trim_start().starts_with('<') {
        html_text(body.trim_start())
    } else {
        excerpt(body)
    };
    SourceError::Decode {
        path: path.to_owned(),
        detail,
        body_excerpt,
    }
}

/// Renders a serde_json error as `path: message` (data errors), `truncated JSON: …` (EOF) or
/// `invalid JSON at line L column C: …` (syntax errors).
pub fn describe_json_error(e: &serde_json::Error, body: &str) -> String {
    describe_at(e, body, byte_offset(body, e.line(), e.column()))
}

/// Like [`describe_json_error`] for an error whose position is `offset` bytes into `body`
/// (the error came from decoding a slice of `body` that starts there).
fn describe_at(e: &serde_json::Error, body: &str, offset: usize) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
    let at = json_path_at(body, offset);
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => {
            if at.is_empty() {
                format!("truncated JSON: {message}")
            } else {
                format!("truncated JSON: {message} (in {at})")
            }
        }
        Category::Syntax | Category::Io => {
            let (line, column) = line_column(body, offset);
            let mut s = format!("invalid JSON at line {line} column {column}: {message}");
            if !at.is_empty() {
                s.push_str(" (in ");
                s.push_str(&at);
                s.push(')');
            }
            s
        }
        Category::Data => {
            if at.is_empty() {
                message
            } else {
                format!("{at}: {message}")
            }
        }
    }
}

/// serde_json's (1-based line, byte column) of a byte offset.
fn line_column(body: &str, offset: usize) -> (usize, usize) {
    let head = body.as_bytes().get(..offset).unwrap_or(body.as_bytes());
    let line = 1 + head.iter().filter(|b| **b == b'\n').count();
    let column = match head.iter().rposition(|b| *b == b'\n') {
        Some(nl) => head.len() - nl - 1,
        None => head.len(),
    };
    (line, column)
}

#[derive(serde::Deserialize)]
struct RawEnvelope<'a> {
    #[serde(borrow)]
    data: &'a serde_json::value::RawValue,
}

/// Decodes the `data` member of a PBS/PVE `{"data": …}` envelope into `T`.
///
/// Equivalent to decoding `{"data": T}`, but the envelope is read once for all `T` (a
/// generic envelope costs a deserializer per `T` in the wasm). Error paths and positions
/// refer to the whole body (`data[3].backup-time: …`).
///
/// # Errors
/// As [`decode`].
pub fn decode_data<T: DeserializeOwned>(
    path: &str,
    response: &HttpResponse,
) -> Result<T, SourceError> {
    let body = response.body.as_str();
    let envelope: RawEnvelope = decode_borrowed(path, body)?;
    let raw = envelope.data.get();
    let start = (raw.as_ptr() as usize)
        .checked_sub(body.as_ptr() as usize)
        .filter(|s| *s <= body.len())
        .unwrap_or(0);
    serde_json::from_str::<T>(raw).map_err(|e| {
        let offset = start.saturating_add(byte_offset(raw, e.line(), e.column()));
        decode_error(path, describe_at(&e, body, offset), body)
    })
}

fn decode_borrowed<'a, T: serde::Deserialize<'a>>(
    path: &str,
    body: &'a str,
) -> Result<T, SourceError> {
    let trimmed = body.trim_start();
    if trimmed.is_empty() {
        return Err(decode_error(path, "empty body".to_owned(), body));
    }
    if trimmed.starts_with('<') {
        return Err(decode_error(
            path,
            "expected JSON, got an HTML page".to_owned(),
            body,
        ));
    }
    serde_json::from_str::<T>(body)
        .map_err(|e| decode_error(path, describe_json_error(&e, body), body))
}

/// Byte offset of a serde_json (1-based line, byte column) position, clamped to the body.
fn byte_offset(body: &str, line: usize, column: usize) -> usize {
    let bytes = body.as_bytes();
    let mut start = 0usize;
    let mut current = 1usize;
    if line > 1 {
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'\n' {
                current += 1;
                if current == line {
                    start = i + 1;
                    break;
                }
            }
        }
    }
    start.saturating_add(column).min(bytes.len())
}

enum Frame {
    /// An object; `key` is the byte range of the current member's key, `in_value` is true
    /// between its `:` and the next `,`/`}`.
    Object {
        key: Option<(usize, usize)>,
        in_value: bool,
    },
    Array {
        index: usize,
    },
}

/// The JSON path (`data[3].backup-time`) of the value being read after consuming
/// `offset` bytes of `body`. Tolerates invalid JSON; never panics; O(offset).
pub fn json_path_at(body: &str, offset: usize) -> String {
    let bytes = body.as_bytes();
    let end = offset.min(bytes.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0usize;
    while i < end {
        let Some(&byte) = bytes.get(i) else { break };
        match byte {
            b'{' => stack.push(Frame::Object {
                key: None,
                in_value: false,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index = index.saturating_add(1),
                Some(Frame::Object { in_value, .. }) => *in_value = false,
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { in_value, .. }) = stack.last_mut() {
                    *in_value = true;
                }
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while let Some(&c) = bytes.get(j) {
                    if c == b'"' {
                        break;
                    }
                    if c == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                let stop = j.min(bytes.len());
                if let Some(Frame::Object { key, in_value }) = stack.last_mut()
                    && !*in_value
                {
                    *key = Some((start, stop));
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    let mut out = String::new();
    for frame in &stack {
        match frame {
            Frame::Object {
                key: Some((a, b)),
                in_value: true,
            } => {
                if !out.is_empty() {
                    out.push('.');
                }
                let raw = bytes.get(*a..*b).unwrap_or_default();
                let key = String::from_utf8_lossy(raw);
                push_bounded(&mut out, &key, 40);
            }
            Frame::Object { .. } => {}
            Frame::Array { index } => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
    bound_path(out)
}

fn push_bounded(out: &mut String, s: &str, max_chars: usize) {
    for (n, c) in s.chars().enumerate() {
        if n == max_chars {
            out.push('…');
            return;
        }
        out.push(c);
    }
}

/// Keeps the tail of an over-long path (the innermost part is the useful one).
fn bound_path(path: String) -> String {
    let count = path.chars().count();
    if count <= PATH_CHARS {
        return path;
    }
    let skip = count - (PATH_CHARS - 1);
    let mut out = String::from("…");
    out.extend(path.chars().skip(skip));
    out
}

/// A short, single-line excerpt of an error body for humans.
///
/// - JSON objects with `message` (PVE, Databasement, Backrest Connect errors): the message,
///   prefixed with Connect's `code` and followed by PVE's per-parameter `errors`. PVE's
///   `{"data":null}` without a message (before pve-http-server 5.2, where the reason is
///   only in the status line) gives an empty excerpt.
/// - HTML pages: `HTML page: <title>` (or the page text without tags).
/// - Anything else: the text itself.
///
/// Whitespace runs collapse to one space; at most [`EXCERPT_CHARS`] characters, cut on a
/// char boundary with `…` appended when cut.
pub fn error_excerpt(body: &str) -> String {
    let trimmed = body.trim_start();
    if trimmed.starts_with('{')
        && let Some(message) = json_message(trimmed)
    {
        return excerpt(&message);
    }
    if trimmed.starts_with('<') {
        return html_excerpt(trimmed);
    }
    excerpt(body)
}

/// Collapses whitespace and bounds `text` to [`EXCERPT_CHARS`] characters. Reads at most
/// what it needs, so a 1 MB body costs as much as a short one.
pub fn excerpt(text: &str) -> String {
    let mut out = String::new();
    let mut count = 0usize;
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            pending_space = count > 0;
            continue;
        }
        if pending_space {
            if count + 1 >= EXCERPT_CHARS {
                out.push('…');
                return out;
            }
            out.push(' ');
            count += 1;
            pending_space = false;
        }
        if count == EXCERPT_CHARS {
            out.push('…');
            return out;
        }
        out.push(c);
        count += 1;
    }
    out
}

#[derive(serde::Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    errors: Option<ParamErrors>,
}

/// PVE's `errors` object (parameter → message); values that are not strings are skipped.
/// Hand-written so the error path does not pull `serde_json::Value` into the wasm.
struct ParamErrors(Vec<(String, String)>);

impl<'de> serde::Deserialize<'de> for ParamErrors {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> serde::de::Visitor<'de> for Pairs {
            type Value = ParamErrors;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<ParamErrors, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = m.next_key::<String>()? {
                    if let MaybeText(Some(text)) = m.next_value()? {
                        out.push((key, text));
                    }
                }
                Ok(ParamErrors(out))
            }
        }
        d.deserialize_map(Pairs)
    }
}

/// A string, or anything else (skipped).
struct MaybeText(Option<String>);

impl<'de> serde::Deserialize<'de> for MaybeText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Any;
        impl<'de> serde::de::Visitor<'de> for Any {
            type Value = MaybeText;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E>(self, v: &str) -> Result<MaybeText, E> {
                Ok(MaybeText(Some(v.to_owned())))
            }
            fn visit_bool<E>(self, _: bool) -> Result<MaybeText, E> {
                Ok(MaybeText(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<MaybeText, E> {
                Ok(MaybeText(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<MaybeText, E> {
                Ok(MaybeText(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<MaybeText, E> {
                Ok(MaybeText(None))
            }
            fn visit_unit<E>(self) -> Result<MaybeText, E> {
                Ok(MaybeText(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut s: A,
            ) -> Result<MaybeText, A::Error> {
                while s.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(MaybeText(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<MaybeText, A::Error> {
                while m
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(MaybeText(None))
            }
        }
        d.deserialize_any(Any)
    }
}

fn json_message(body: &str) -> Option<String> {
    if body.len() < 64 {
        let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        if compact == r#"{"data":null}"# {
            return Some(String::new());
        }
    }
    let parsed: ErrorBody = serde_json::from_str(body).ok()?;
    if parsed.code.is_none() && parsed.message.is_none() && parsed.errors.is_none() {
        return None;
    }
    let mut text = String::new();
    if let Some(code) = parsed.code.as_deref().filter(|c| !c.is_empty()) {
        text.push_str(code);
    }
    if let Some(message) = parsed.message.as_deref() {
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(message.trim());
    }
    if let Some(ParamErrors(errors)) = parsed.errors.filter(|e| !e.0.is_empty()) {
        let parts: Vec<String> = errors
            .iter()
            .map(|(k, v)| format!("{k}: {}", v.trim()))
            .collect();
        if !text.is_empty() {
            text.push(' ');
        }
        text.push('(');
        text.push_str(&parts.join("; "));
        text.push(')');
    }
    Some(text)
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn html_excerpt(body: &str) -> String {
    excerpt(&format!("HTML page: {}", html_text(body)))
}

/// The title of an HTML page, or its text without tags.
fn html_text(body: &str) -> String {
    let head = body
        .get(..floor_boundary(body, HTML_SCAN_BYTES))
        .unwrap_or(body);
    // ASCII lower-casing keeps byte offsets identical.
    let lower = head.to_ascii_lowercase();
    if let Some(open) = lower.find("<title")
        && let Some(gt) = lower.get(open..).and_then(|t| t.find('>'))
    {
        let start = open + gt + 1;
        let stop = lower
            .get(start..)
            .and_then(|t| t.find("</title"))
            .map_or(head.len(), |e| start + e);
        if let Some(title) = head.get(start..stop) {
            let title = excerpt(title);
            if !title.is_empty() {
                return title;
            }
        }
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in head.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    excerpt(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_at_error_offsets() {
        let body = r#"{"data":[{"a":1},{"b":{"c":[1,2,"x"]}}]}"#;
        let cases = [
            (8, "data"),
            (15, "data[0].a"),
            (34, "data[1].b.c[2]"),
            (body.len(), ""),
        ];
        for (offset, want) in cases {
            assert_eq!(json_path_at(body, offset), want, "offset {offset}");
        }
    }

    #[test]
    fn excerpt_bounds_and_collapses() {
        assert_eq!(excerpt("  a \n\t b  "), "a b");
        let long = "é".repeat(500);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
    }
}
