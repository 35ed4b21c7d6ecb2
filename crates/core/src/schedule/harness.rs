//! The line protocol of the `schedule` example (a CLI harness for comparing against
//! other implementations). One JSON object per line in, one per line out:
//!
//! ```text
//! {"kind":"calendar"|"cron","expr":"…","tz":"Europe/Berlin","after":<epoch s>,"count":<n>}
//! -> {"next":[<epoch s>,…]}  or  {"error":"<message>"}
//! ```
//!
//! `tz` defaults to `UTC`, `count` to 1 (at most 1000). Fewer than `count` instants
//! come back when the schedule ends.

use super::Schedule;
use crate::time::{NamedZone, Utc, Zone};
use serde_json::{Value, json};

/// Most instants one request may ask for.
pub const MAX_COUNT: u64 = 1000;

/// Answers one input line (without its newline) with one output line.
pub fn handle_line(line: &str) -> String {
    match answer(line) {
        Ok(next) => json!({ "next": next }).to_string(),
        Err(error) => json!({ "error": error }).to_string(),
    }
}

fn answer(line: &str) -> Result<Vec<i64>, String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("invalid json: {e}"))?;
    let field = |name: &str| v.get(name).filter(|x| !x.is_null());
    let expr = field("expr")
        .and_then(Value::as_str)
        .ok_or("expected string field `expr`")?;
    let schedule = match field("kind").and_then(Value::as_str) {
        Some("calendar") => Schedule::parse_calendar(expr),
        Some("cron") => Schedule::parse_cron(expr),
        _ => return Err("expected `kind` \"calendar\" or \"cron\"".to_string()),
    }
    .map_err(|e| e.to_string())?;
    let after = field("after")
        .and_then(Value::as_i64)
        .ok_or("expected integer field `after`")?;
    let count = match field("count") {
        None => 1,
        Some(c) => c
            .as_u64()
            .filter(|&c| c <= MAX_COUNT)
            .ok_or(format!("expected `count` between 0 and {MAX_COUNT}"))?,
    };
    let named;
    let zone: &dyn Zone = match field("tz").and_then(Value::as_str) {
        None | Some("UTC") => &Utc,
        Some(name) => {
            named = NamedZone::by_name(name).ok_or(format!("unknown time zone `{name}`"))?;
            &named
        }
    };
    let mut out = Vec::new();
    let mut t = after;
    while (out.len() as u64) < count {
        match schedule.next_after(t, zone) {
            Some(n) => {
                out.push(n);
                t = n;
            }
            None => break,
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::handle_line;

    #[test]
    fn lines() {
        let cases = [
            (
                "calendar_berlin",
                r#"{"kind":"calendar","expr":"mon..fri 04:00","tz":"Europe/Berlin","after":1704067200,"count":2}"#,
                r#"{"next":[1704078000,1704164400]}"#,
            ),
            (
                "cron_default_utc",
                r#"{"kind":"cron","expr":"@daily","after":0}"#,
                r#"{"next":[86400]}"#,
            ),
            (
                "never",
                r#"{"kind":"calendar","expr":"2015-10-21","after":1704067200,"count":3}"#,
                r#"{"next":[]}"#,
            ),
            (
                "parse_error",
                r#"{"kind":"cron","expr":"60 * * * *","after":0}"#,
                r#"{"error":"expected minute between 0 and 59, found 60 at column 1"}"#,
            ),
            (
                "bad_json",
                "{nope",
                r#"{"error":"invalid json: key must be a string at line 1 column 2"}"#,
            ),
            (
                "unknown_zone",
                r#"{"kind":"cron","expr":"@daily","tz":"Mars/Olympus","after":0}"#,
                r#"{"error":"unknown time zone `Mars/Olympus`"}"#,
            ),
            (
                "bad_kind",
                r#"{"kind":"systemd","expr":"daily","after":0}"#,
                r#"{"error":"expected `kind` \"calendar\" or \"cron\""}"#,
            ),
        ];
        for (name, input, want) in cases {
            assert_eq!(handle_line(input), want, "{name}");
        }
    }
}
