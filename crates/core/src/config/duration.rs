//! Human durations (`"90s"`, `"15m"`, `"1h30m"`, `"2d"`, `"1w"`) and grace values
//! (a duration or a percentage of the schedule period, `"25%"`).
//!
//! # Grammar
//!
//! ```text
//! duration = 1*( 1*DIGIT unit )        ; "90s", "1h30m", "0s"
//! unit     = "s" / "m" / "h" / "d" / "w" ; second, minute, hour, day (86400 s), week
//! percent  = 1*DIGIT [ "." 1*2DIGIT ] "%" ; 0 to 100, at most two decimals
//! ```
//!
//! No spaces, signs, fractions of units or long unit names (`"5min"`); a day is always
//! 86 400 seconds. TOML integers are rejected (`300` could be seconds or minutes).

use super::diag::{Reported, Sink, quoted};
use super::read::{Value, found};
use super::types::Grace;
use toml::de::DeValue;

/// Phrase used when a duration was expected.
pub(crate) const EXPECTED: &str = r#"a duration like "90s", "15m", "3h" or "2d""#;

/// Parse a duration into seconds.
///
/// # Errors
/// The exact diagnostic message.
pub(crate) fn parse_duration(s: &str) -> Result<u64, String> {
    if s.is_empty() {
        return Err(format!("expected {EXPECTED}, found \"\""));
    }
    if s.ends_with('%') {
        return Err(format!(
            "a percentage is not allowed here; expected {EXPECTED}, found {}",
            quoted(s)
        ));
    }
    let mut total: u64 = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            let bad = rest.chars().next().unwrap_or(' ');
            return Err(format!(
                "unexpected {} in duration {}; expected {EXPECTED}",
                quoted(&bad.to_string()),
                quoted(s)
            ));
        }
        let (number, after) = rest.split_at(digits);
        let unit_len = after
            .char_indices()
            .find(|(_, c)| !c.is_ascii_alphabetic())
            .map_or(after.len(), |(i, _)| i);
        let (unit, after_unit) = after.split_at(unit_len);
        let scale: u64 = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3_600,
            "d" => 86_400,
            "w" => 604_800,
            "" if after.is_empty() => {
                return Err(format!(
                    "missing unit in duration {}; expected s, m, h, d or w after the number",
                    quoted(s)
                ));
            }
            "" => {
                let bad = after.chars().next().unwrap_or(' ');
                return Err(format!(
                    "unexpected {} in duration {}; expected {EXPECTED}",
                    quoted(&bad.to_string()),
                    quoted(s)
                ));
            }
            other => {
                return Err(format!(
                    "unknown unit {} in duration {}; expected s, m, h, d or w",
                    quoted(other),
                    quoted(s)
                ));
            }
        };
        let too_large = || format!("duration {} is too large", quoted(s));
        let n: u64 = number.parse().map_err(|_| too_large())?;
        let part = n.checked_mul(scale).ok_or_else(too_large)?;
        total = total.checked_add(part).ok_or_else(too_large)?;
        rest = after_unit;
    }
    // Nothing in backwatch is sensibly longer than ten years; keeps arithmetic far from overflow.
    if total > 10 * 366 * 86_400 {
        return Err(format!("duration {} is too large", quoted(s)));
    }
    Ok(total)
}

/// Parse a grace value: a duration or a percentage of the period.
///
/// # Errors
/// The exact diagnostic message.
pub(crate) fn parse_grace(s: &str) -> Result<Grace, String> {
    let Some(number) = s.strip_suffix('%') else {
        return parse_duration(s)
            .map(|secs| Grace::Fixed { secs })
            .map_err(|e| {
                e.replace(
                    EXPECTED,
                    r#"a duration like "30m" or a percentage like "25%""#,
                )
            });
    };
    let bad = || {
        format!(
            r#"expected a percentage like "25%" or "12.5%", found {}"#,
            quoted(s)
        )
    };
    let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
    let digits_only = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || whole.len() > 3
        || !digits_only(whole)
        || !digits_only(frac)
        || frac.len() > 2
        || (number.contains('.') && frac.is_empty())
    {
        return Err(bad());
    }
    let whole: u32 = whole.parse().map_err(|_| bad())?;
    let frac: u32 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    let basis_points = whole * 100 + frac;
    if basis_points > 10_000 {
        return Err(format!(
            "percentage {} is out of range; expected 0% to 100%",
            quoted(s)
        ));
    }
    Ok(Grace::Fraction { basis_points })
}

/// A duration-valued key: accepts only strings, with a hint for bare integers.
pub(crate) fn duration_value(
    sink: &mut Sink<'_>,
    v: &Value<'_>,
    path: &str,
) -> Result<u64, Reported> {
    match v.get_ref() {
        DeValue::String(s) => parse_duration(s).map_err(|m| sink.error(&v.span(), path, m)),
        other => Err(sink.error(&v.span(), path, not_a_string(other, EXPECTED))),
    }
}

/// A grace-valued key.
pub(crate) fn grace_value(
    sink: &mut Sink<'_>,
    v: &Value<'_>,
    path: &str,
) -> Result<Grace, Reported> {
    match v.get_ref() {
        DeValue::String(s) => parse_grace(s).map_err(|m| sink.error(&v.span(), path, m)),
        other => Err(sink.error(
            &v.span(),
            path,
            not_a_string(other, r#"a duration like "30m" or a percentage like "25%""#),
        )),
    }
}

fn not_a_string(v: &DeValue<'_>, what: &str) -> String {
    match v {
        DeValue::Integer(i) if i.radix() == 10 && !i.as_str().starts_with('-') => format!(
            "expected {what}, found {} (did you mean \"{}s\"?)",
            found(v),
            i.as_str()
        ),
        _ => format!("expected {what}, found {}", found(v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let ok = [
            ("0s", 0),
            ("90s", 90),
            ("15m", 900),
            ("3h", 10_800),
            ("2d", 172_800),
            ("1w", 604_800),
            ("1h30m", 5_400),
            ("1d12h", 129_600),
        ];
        for (s, want) in ok {
            assert_eq!(parse_duration(s), Ok(want), "{s}");
        }
        let bad = [
            (
                "",
                r#"expected a duration like "90s", "15m", "3h" or "2d", found """#,
            ),
            (
                "300",
                r#"missing unit in duration "300"; expected s, m, h, d or w after the number"#,
            ),
            (
                "5x",
                r#"unknown unit "x" in duration "5x"; expected s, m, h, d or w"#,
            ),
            (
                "5min",
                r#"unknown unit "min" in duration "5min"; expected s, m, h, d or w"#,
            ),
            (
                "1.5h",
                r#"unexpected "." in duration "1.5h"; expected a duration like "90s", "15m", "3h" or "2d""#,
            ),
            (
                "-5m",
                r#"unexpected "-" in duration "-5m"; expected a duration like "90s", "15m", "3h" or "2d""#,
            ),
            (
                "h",
                r#"unexpected "h" in duration "h"; expected a duration like "90s", "15m", "3h" or "2d""#,
            ),
            (
                "1h 30m",
                r#"unexpected " " in duration "1h 30m"; expected a duration like "90s", "15m", "3h" or "2d""#,
            ),
            (
                "25%",
                r#"a percentage is not allowed here; expected a duration like "90s", "15m", "3h" or "2d", found "25%""#,
            ),
            (
                "99999999999999999999s",
                r#"duration "99999999999999999999s" is too large"#,
            ),
            (
                "9999999999999999w",
                r#"duration "9999999999999999w" is too large"#,
            ),
            ("4000d", r#"duration "4000d" is too large"#),
        ];
        for (s, want) in bad {
            assert_eq!(parse_duration(s), Err(want.to_owned()), "{s}");
        }
    }

    #[test]
    fn graces() {
        let ok = [
            (
                "25%",
                Grace::Fraction {
                    basis_points: 2_500,
                },
            ),
            (
                "12.5%",
                Grace::Fraction {
                    basis_points: 1_250,
                },
            ),
            ("0.25%", Grace::Fraction { basis_points: 25 }),
            (
                "100%",
                Grace::Fraction {
                    basis_points: 10_000,
                },
            ),
            ("0%", Grace::Fraction { basis_points: 0 }),
            ("30m", Grace::Fixed { secs: 1_800 }),
        ];
        for (s, want) in ok {
            assert_eq!(parse_grace(s), Ok(want), "{s}");
        }
        let bad = [
            (
                "150%",
                r#"percentage "150%" is out of range; expected 0% to 100%"#,
            ),
            (
                "%",
                r#"expected a percentage like "25%" or "12.5%", found "%""#,
            ),
            (
                "1.%",
                r#"expected a percentage like "25%" or "12.5%", found "1.%""#,
            ),
            (
                "1.234%",
                r#"expected a percentage like "25%" or "12.5%", found "1.234%""#,
            ),
            (
                "-5%",
                r#"expected a percentage like "25%" or "12.5%", found "-5%""#,
            ),
            (
                "10000%",
                r#"expected a percentage like "25%" or "12.5%", found "10000%""#,
            ),
            (
                "3x",
                r#"unknown unit "x" in duration "3x"; expected s, m, h, d or w"#,
            ),
            (
                "",
                r#"expected a duration like "30m" or a percentage like "25%", found """#,
            ),
        ];
        for (s, want) in bad {
            assert_eq!(parse_grace(s), Err(want.to_owned()), "{s}");
        }
    }
}
