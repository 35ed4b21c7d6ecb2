//! Small deterministic helpers: hashing, pseudo-random numbers keyed by names, ids in each
//! product's format, time formatting and human sizes.
//!
//! Every "random" value in the simulated homelab is a pure function of the scenario seed and
//! a key (subject, slot time, …), never of generation order. So the same scenario and the
//! same `now` give byte-identical responses, and regenerating the world a minute later keeps
//! the past exactly as it was.

use backwatch_core::model::Epoch;
use backwatch_core::time::Zone;
use chrono::{DateTime, Datelike, Timelike};

/// FNV-1a over the parts, separated so that `("ab","c")` and `("a","bc")` differ.
pub fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix(h)
}

/// splitmix64 finaliser.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A small deterministic generator (splitmix64), seeded from a key.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `key` under the scenario `seed`.
    pub fn new(seed: u64, key: &[&str]) -> Rng {
        Rng(mix(hash(key) ^ seed))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An integer in `[lo, hi]` (inclusive); `lo` when the range is empty.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        lo + (self.next_u64() % span) as i64
    }

    /// `base` scaled by a factor in `[1 - spread, 1 + spread]`.
    pub fn jitter(&mut self, base: f64, spread: f64) -> f64 {
        base * (1.0 + spread * (2.0 * self.unit() - 1.0))
    }

    /// `n` lower-case hex digits.
    pub fn hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        while s.len() < n {
            s.push_str(&format!("{:016x}", self.next_u64()));
        }
        s.truncate(n);
        s
    }
}

/// A UUID-shaped string (lower case), as PBS/PVE secrets and Backrest logrefs look.
pub fn uuid(rng: &mut Rng) -> String {
    let h = rng.hex(32);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A ULID (26 Crockford base32 characters): 48-bit millisecond time, 80 bits from `key`.
pub fn ulid(ms: i64, seed: u64, key: &[&str]) -> String {
    let mut rng = Rng::new(seed, key);
    let time = (ms.max(0) as u128) & ((1u128 << 48) - 1);
    let random = (u128::from(rng.next_u64()) << 16 | u128::from(rng.next_u64() & 0xffff))
        & ((1u128 << 80) - 1);
    let value = time << 80 | random;
    (0..26)
        .rev()
        .map(|i| CROCKFORD[((value >> (5 * i)) & 31) as usize] as char)
        .collect()
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
pub fn rfc3339(t: Epoch) -> String {
    match DateTime::from_timestamp(t, 0) {
        Some(dt) => dt.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        None => "1970-01-01T00:00:00Z".to_owned(),
    }
}

/// Laravel/Carbon `toJSON()`: `YYYY-MM-DDTHH:MM:SS.000000Z`.
pub fn iso_micros(t: Epoch) -> String {
    match DateTime::from_timestamp(t, 0) {
        Some(dt) => dt.format("%Y-%m-%dT%H:%M:%S.000000Z").to_string(),
        None => "1970-01-01T00:00:00.000000Z".to_owned(),
    }
}

/// Local wall-clock fields of `t` in `zone`: (year, month, day, hour, minute, second).
pub fn local_fields(t: Epoch, zone: &dyn Zone) -> (i32, u32, u32, u32, u32, u32) {
    let local = t + i64::from(zone.offset_at(t));
    match DateTime::from_timestamp(local, 0) {
        Some(dt) => (
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
        ),
        None => (1970, 1, 1, 0, 0, 0),
    }
}

/// Format `t` in `zone` with a chrono format string.
pub fn local_format(t: Epoch, zone: &dyn Zone, fmt: &str) -> String {
    let local = t + i64::from(zone.offset_at(t));
    match DateTime::from_timestamp(local, 0) {
        Some(dt) => dt.naive_utc().format(fmt).to_string(),
        None => String::new(),
    }
}

/// Local midnight (00:00 wall clock) of the day containing `t`, as UTC epoch.
pub fn local_midnight(t: Epoch, zone: &dyn Zone) -> Epoch {
    let (_, _, _, h, m, s) = local_fields(t, zone);
    let guess = t - i64::from(h) * 3600 - i64::from(m) * 60 - i64::from(s);
    // Across a DST change the offset at midnight differs from the one at `t`.
    let fix = i64::from(zone.offset_at(t)) - i64::from(zone.offset_at(guess));
    guess + fix
}

/// Parses `--now`: epoch seconds or RFC 3339.
pub fn parse_instant(s: &str) -> Result<Epoch, String> {
    let s = s.trim();
    if let Ok(n) = s.parse::<i64>() {
        return Ok(n);
    }
    DateTime::parse_from_rfc3339(s)
        .map(|dt| dt.timestamp())
        .map_err(|e| format!("expected epoch seconds or RFC 3339, found {s:?} ({e})"))
}

/// Parses a duration like `90s`, `15m`, `3h`, `2d`, `1w`, `1h30m`, or `500ms`.
pub fn parse_duration_ms(s: &str) -> Result<u64, String> {
    let text = s.trim();
    if text.is_empty() {
        return Err("empty duration".to_owned());
    }
    let mut total: u64 = 0;
    let mut num = String::new();
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: u64 = num
            .parse()
            .map_err(|_| format!("expected a duration like \"90s\", found {text:?}"))?;
        num.clear();
        let unit = if c == 'm' && chars.peek() == Some(&'s') {
            chars.next();
            1
        } else {
            match c {
                's' => 1000,
                'm' => 60_000,
                'h' => 3_600_000,
                'd' => 86_400_000,
                'w' => 604_800_000,
                _ => return Err(format!("unknown unit {c:?} in duration {text:?}")),
            }
        };
        total = total.saturating_add(n.saturating_mul(unit));
        any = true;
    }
    if !num.is_empty() || !any {
        return Err(format!(
            "expected a duration with a unit like \"90s\", found {text:?}"
        ));
    }
    Ok(total)
}

/// Databasement's `file_size_human`: 1024-based, at most two decimals, trailing zeros cut.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KB", "MB", "GB", "TB", "PB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{} {}", trim_decimals(value), UNITS[unit])
}

/// `round(x, 2)` printed as PHP prints floats: `180`, `2.21`, `36.87`.
pub fn trim_decimals(value: f64) -> String {
    let s = format!("{:.2}", (value * 100.0).round() / 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

/// Databasement's `Formatters::humanDuration`.
pub fn human_duration_ms(ms: i64) -> String {
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let seconds = (ms as f64 / 1000.0 * 100.0).round() / 100.0;
    if seconds < 60.0 {
        return format!("{}s", trim_decimals(seconds));
    }
    let minutes = (seconds / 60.0).floor();
    // PHP's `%` on floats truncates both operands to integers.
    let remaining = (seconds as i64) % 60;
    format!("{minutes}m {remaining}s")
}

/// Percent-decodes a URL component (`+` as space when `plus` is set). Invalid escapes are
/// kept literally, as most servers do.
pub fn percent_decode(s: &str, plus: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hi = (bytes[i + 1] as char).to_digit(16);
                let lo = (bytes[i + 2] as char).to_digit(16);
                match (hi, lo) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                    }
                    _ => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything outside the unreserved set.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Parses a query string into decoded `(key, value)` pairs, in order.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k, true), percent_decode(v, true)),
            None => (percent_decode(p, true), String::new()),
        })
        .collect()
}

/// Escapes a PBS/systemd UPID worker id: `/` → `-`, anything outside `[A-Za-z0-9_.]` → `\xHH`.
pub fn upid_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, b) in s.bytes().enumerate() {
        if b == b'/' {
            out.push('-');
        } else if b.is_ascii_alphanumeric() || b == b'_' || (b == b'.' && i > 0) {
            out.push(b as char);
        } else {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// Parses a size like `4TiB`, `180MiB`, `2.5GiB`, `1000` (bytes).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let text = s.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (num, unit) = text.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("expected a size like \"180MiB\", found {text:?}"))?;
    let mult: f64 = match unit.trim() {
        "" | "B" => 1.0,
        "KiB" | "K" | "KB" => 1024.0,
        "MiB" | "M" | "MB" => 1024.0 * 1024.0,
        "GiB" | "G" | "GB" => 1024.0 * 1024.0 * 1024.0,
        "TiB" | "T" | "TB" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        other => return Err(format!("unknown size unit {other:?} in {text:?}")),
    };
    Ok((n * mult).round() as u64)
}

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_upstream() {
        assert_eq!(human_size(188_743_680), "180 MB");
        assert_eq!(human_size(2_314_671), "2.21 MB");
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(734_003_200), "700 MB");
        assert_eq!(human_duration_ms(850), "850ms");
        assert_eq!(human_duration_ms(36_870), "36.87s");
        assert_eq!(human_duration_ms(83_000), "1m 23s");
        assert_eq!(human_duration_ms(49_000), "49s");
        assert_eq!(human_duration_ms(1_410), "1.41s");
        assert_eq!(
            upid_escape("store1:ct/101"),
            "store1\\x3act-101".to_string()
        );
        assert_eq!(
            upid_escape("-:store1:usb-offsite::s-6c4a3e0b-1f2d"),
            "\\x2d\\x3astore1\\x3ausb\\x2doffsite\\x3a\\x3as\\x2d6c4a3e0b\\x2d1f2d"
        );
        assert_eq!(iso_micros(1_785_231_060), "2026-07-28T09:31:00.000000Z");
        assert_eq!(rfc3339(1_778_810_406), "2026-05-15T02:00:06Z");
    }

    #[test]
    fn parses_inputs() {
        assert_eq!(parse_duration_ms("1h30m").unwrap(), 5_400_000);
        assert_eq!(parse_duration_ms("500ms").unwrap(), 500);
        assert!(parse_duration_ms("90").is_err());
        assert_eq!(parse_size("180MiB").unwrap(), 188_743_680);
        assert_eq!(
            parse_instant("2026-05-18T04:20:00+02:00").unwrap(),
            1_779_070_800
        );
        assert_eq!(
            query_pairs("filter%5Bstatus%5D=failed&a=b+c"),
            vec![
                ("filter[status]".to_owned(), "failed".to_owned()),
                ("a".to_owned(), "b c".to_owned())
            ]
        );
        assert_eq!(percent_decode("%zz%4", false), "%zz%4");
    }

    #[test]
    fn ulid_shape() {
        let id = ulid(1_785_231_060_000, 1, &["x"]);
        assert_eq!(id.len(), 26);
        assert_eq!(id, ulid(1_785_231_060_000, 1, &["x"]));
        assert!(id.starts_with("01KY"));
    }
}
