//! Parameters in the page's URL fragment (`#now=…&scheme=light&bg=240,13,95`).
//!
//! The fragment, not the query string: it never reaches a server or a proxy log.
//!
//! | key | value | meaning |
//! |---|---|---|
//! | `now` | epoch seconds or RFC 3339 (`2026-05-17T12:00:00Z`) | judge as if it were this instant (demo/testing aid; the clock stands still) |
//! | `scheme` | `dark` \| `light` | Glance's colour scheme |
//! | `bg` | `H,S,L` (degrees, percent, percent) | Glance's background colour |
//! | `primary`, `positive`, `negative` | `H,S,L` | Glance's accent colours |
//! | `cm`, `tsm` | number 0–5 | Glance's contrast and text-saturation multipliers |
//! | `layout` | `compact` \| `full` | force the 300 px layout, or the full one |
//! | `tab` | `status` \| `calendar` \| `tester` | the tab shown first (e.g. a Glance iframe showing only the calendar) |
//! | `view` | `week` \| `month` \| `agenda` | the calendar's first view (default: week, agenda in narrow frames) |
//!
//! Unknown keys and bad values are ignored with a note (shown in the widget), never fatal.

use crate::model::Epoch;
use crate::view::calendar::Mode;

/// Colour scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Dark,
    Light,
}

/// A number with two decimals, stored as hundredths. No floats: float parsing and
/// formatting would add ~25 KB to the wasm for what is a theme parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Centi(pub u32);

impl Centi {
    /// Parse `43`, `43.5`, `43.25` (at most two decimals), at most `max` whole units.
    fn parse(s: &str, max: u32) -> Option<Centi> {
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        if whole.is_empty() || whole.len() > 4 || frac.len() > 2 {
            return None;
        }
        if !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let w: u32 = whole.parse().ok()?;
        let f: u32 = match frac.as_bytes() {
            [] => 0,
            [a] => u32::from(a - b'0') * 10,
            [a, b] => u32::from(a - b'0') * 10 + u32::from(b - b'0'),
            _ => return None,
        };
        let v = w * 100 + f;
        (v <= max * 100).then_some(Centi(v))
    }
}

impl std::fmt::Display for Centi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (w, frac) = (self.0 / 100, self.0 % 100);
        match frac {
            0 => write!(f, "{w}"),
            x if x % 10 == 0 => write!(f, "{w}.{}", x / 10),
            x => write!(f, "{w}.{x:02}"),
        }
    }
}

/// An HSL colour as Glance's theme keys give it (`43,50,70`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hsl {
    pub h: Centi,
    pub s: Centi,
    pub l: Centi,
}

impl Hsl {
    /// `hsl(43, 50%, 70%)`.
    pub fn css(&self) -> String {
        format!("hsl({}, {}%, {}%)", self.h, self.s, self.l)
    }
}

/// Theme values from the fragment; each is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Theme {
    pub scheme: Option<Scheme>,
    pub bg: Option<Hsl>,
    pub primary: Option<Hsl>,
    pub positive: Option<Hsl>,
    pub negative: Option<Hsl>,
    pub contrast: Option<Centi>,
    pub text_saturation: Option<Centi>,
}

impl Theme {
    /// CSS custom properties to set on the root element, as Glance names them. Values are
    /// built from parsed numbers only, so nothing from the URL reaches CSS verbatim.
    pub fn css_vars(&self) -> Vec<(&'static str, String)> {
        let mut vars = Vec::new();
        if let Some(bg) = self.bg {
            vars.push(("--bgh", bg.h.to_string()));
            vars.push(("--bgs", format!("{}%", bg.s)));
            vars.push(("--bgl", format!("{}%", bg.l)));
        }
        for (name, colour) in [
            ("--color-primary", self.primary),
            ("--color-positive", self.positive),
            ("--color-negative", self.negative),
        ] {
            if let Some(c) = colour {
                vars.push((name, c.css()));
            }
        }
        if let Some(cm) = self.contrast {
            vars.push(("--cm", cm.to_string()));
        }
        if let Some(tsm) = self.text_saturation {
            vars.push(("--tsm", tsm.to_string()));
        }
        vars
    }

    /// True when no theme value was given.
    pub fn is_empty(&self) -> bool {
        *self == Theme::default()
    }
}

/// Forced layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Compact,
    Full,
}

/// The tab shown first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartTab {
    Status,
    Calendar,
    Tester,
}

impl StartTab {
    /// The tab's key, as the widget's tab list names it.
    pub fn key(self) -> &'static str {
        match self {
            StartTab::Status => "status",
            StartTab::Calendar => "calendar",
            StartTab::Tester => "tester",
        }
    }
}

/// Everything the fragment said.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    /// A fixed "now" (demo/testing aid).
    pub now: Option<Epoch>,
    pub theme: Theme,
    pub layout: Option<Layout>,
    pub tab: Option<StartTab>,
    /// The calendar's first view.
    pub view: Option<Mode>,
    /// What was ignored, for a notice: `"bg: expected H,S,L, found \"red\""`.
    pub ignored: Vec<String>,
}

/// Parse a fragment, with or without its leading `#`. Never fails: bad parts are noted in
/// [`Params::ignored`].
pub fn parse(fragment: &str) -> Params {
    let mut p = Params::default();
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    for pair in fragment.split('&').filter(|s| !s.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(raw);
        let result: Result<(), String> = match key {
            "now" => parse_instant(&value).map(|t| p.now = Some(t)),
            "scheme" => match value.as_str() {
                "dark" => Ok(Scheme::Dark),
                "light" => Ok(Scheme::Light),
                _ => Err("expected dark or light".to_owned()),
            }
            .map(|s| p.theme.scheme = Some(s)),
            "bg" => parse_hsl(&value).map(|c| p.theme.bg = Some(c)),
            "primary" => parse_hsl(&value).map(|c| p.theme.primary = Some(c)),
            "positive" => parse_hsl(&value).map(|c| p.theme.positive = Some(c)),
            "negative" => parse_hsl(&value).map(|c| p.theme.negative = Some(c)),
            "cm" => parse_multiplier(&value).map(|v| p.theme.contrast = Some(v)),
            "tsm" => parse_multiplier(&value).map(|v| p.theme.text_saturation = Some(v)),
            "layout" => match value.as_str() {
                "compact" => Ok(Layout::Compact),
                "full" => Ok(Layout::Full),
                _ => Err("expected compact or full".to_owned()),
            }
            .map(|l| p.layout = Some(l)),
            "tab" => match value.as_str() {
                "status" => Ok(StartTab::Status),
                "calendar" => Ok(StartTab::Calendar),
                "tester" => Ok(StartTab::Tester),
                _ => Err("expected status, calendar or tester".to_owned()),
            }
            .map(|t| p.tab = Some(t)),
            "view" => match value.as_str() {
                "week" => Ok(Mode::Week),
                "month" => Ok(Mode::Month),
                "agenda" => Ok(Mode::Agenda),
                _ => Err("expected week, month or agenda".to_owned()),
            }
            .map(|m| p.view = Some(m)),
            _ => Err("unknown parameter".to_owned()),
        };
        if let Err(why) = result {
            p.ignored.push(format!("{key}: {why}, found {value:?}"));
        }
    }
    p
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
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

fn parse_hsl(s: &str) -> Result<Hsl, String> {
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    let [h, sat, l] = parts.as_slice() else {
        return Err("expected H,S,L".to_owned());
    };
    let n = |v: &str, max: u32| Centi::parse(v.trim_end_matches('%'), max);
    match (n(h, 360), n(sat, 100), n(l, 100)) {
        (Some(h), Some(s), Some(l)) => Ok(Hsl { h, s, l }),
        _ => Err("expected H,S,L with H 0–360 and S, L 0–100".to_owned()),
    }
}

fn parse_multiplier(s: &str) -> Result<Centi, String> {
    Centi::parse(s, 5).ok_or_else(|| "expected a number from 0 to 5".to_owned())
}

/// Epoch seconds, or RFC 3339 with `Z` or an offset (`2026-05-17T12:00:00Z`,
/// `2026-05-17T14:00:00+02:00`; fractional seconds are ignored). Hand-written: chrono's
/// general format parser costs far more wasm than this one format needs.
pub fn parse_instant(s: &str) -> Result<Epoch, String> {
    if let Ok(secs) = s.parse::<i64>() {
        return Ok(secs);
    }
    rfc3339(s).ok_or_else(|| "expected epoch seconds or an RFC 3339 time".to_owned())
}

fn rfc3339(s: &str) -> Option<Epoch> {
    let b = s.as_bytes();
    let digits = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        part.iter().all(u8::is_ascii_digit).then(|| {
            part.iter()
                .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'))
        })
    };
    let sep = |i: usize, c: &[u8]| b.get(i).is_some_and(|x| c.contains(x));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (y, mo, d) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    let (h, mi, sec) = (digits(11, 2)?, digits(14, 2)?, digits(17, 2)?);
    let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, mo as u32, d as u32)?;
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    if sep(i, b".") {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    let offset = match b.get(i) {
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if i + 6 == b.len() && sep(i + 3, b":") => {
            let (oh, om) = (digits(i + 1, 2)?, digits(i + 4, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let o = oh * 3600 + om * 60;
            if *sign == b'-' { -o } else { o }
        }
        _ => return None,
    };
    let days = date
        .signed_duration_since(chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?)
        .num_days();
    Some(days * 86_400 + h * 3600 + mi * 60 + sec.min(59) - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_fragment() {
        let p = parse(
            "#now=1779019200&scheme=light&bg=240,13,95&primary=230,100,30&cm=1.3&tsm=0.5&layout=compact",
        );
        assert_eq!(p.now, Some(1_779_019_200));
        assert_eq!(p.theme.scheme, Some(Scheme::Light));
        assert_eq!(p.layout, Some(Layout::Compact));
        assert!(p.ignored.is_empty(), "{:?}", p.ignored);
        assert_eq!(
            p.theme.css_vars(),
            vec![
                ("--bgh", "240".to_owned()),
                ("--bgs", "13%".to_owned()),
                ("--bgl", "95%".to_owned()),
                ("--color-primary", "hsl(230, 100%, 30%)".to_owned()),
                ("--cm", "1.3".to_owned()),
                ("--tsm", "0.5".to_owned()),
            ]
        );
    }

    #[test]
    fn start_tab_and_calendar_view() {
        let p = parse("#tab=calendar&view=month");
        assert_eq!(
            (p.tab, p.view),
            (Some(StartTab::Calendar), Some(Mode::Month))
        );
        assert_eq!(StartTab::Calendar.key(), "calendar");
        assert_eq!(parse("tab=tester").tab.map(StartTab::key), Some("tester"));
        let bad = parse("tab=logs&view=year");
        assert_eq!((bad.tab, bad.view), (None, None));
        assert_eq!(
            bad.ignored,
            vec![
                "tab: expected status, calendar or tester, found \"logs\"".to_owned(),
                "view: expected week, month or agenda, found \"year\"".to_owned(),
            ]
        );
    }

    #[test]
    fn rfc3339_and_encoded_values() {
        assert_eq!(parse("now=2026-05-17T12:00:00Z").now, Some(1_779_019_200));
        assert_eq!(
            parse("now=2026-05-17T14:00:00%2B02:00").now,
            Some(1_779_019_200)
        );
        assert_eq!(
            parse("bg=240%2C8.5%2C9.25").theme.css_vars(),
            vec![
                ("--bgh", "240".into()),
                ("--bgs", "8.5%".into()),
                ("--bgl", "9.25%".into())
            ]
        );
    }

    #[test]
    fn rfc3339_forms() {
        let ok = [
            ("2026-05-17T12:00:00Z", 1_779_019_200),
            ("2026-05-17t12:00:00z", 1_779_019_200),
            ("2026-05-17 12:00:00Z", 1_779_019_200),
            ("2026-05-17T12:00:00.123456Z", 1_779_019_200),
            ("2026-05-17T14:00:00+02:00", 1_779_019_200),
            ("2026-05-17T07:30:00-04:30", 1_779_019_200),
            ("1969-12-31T23:59:59Z", -1),
            ("2024-02-29T00:00:00Z", 1_709_164_800),
        ];
        for (text, want) in ok {
            assert_eq!(parse_instant(text), Ok(want), "{text}");
        }
        let bad = [
            "2026-05-17T12:00:00",
            "2026-02-30T00:00:00Z",
            "2026-05-17T24:00:00Z",
            "2026-05-17T12:00:00+2:00",
            "2026-05-17T12:00Z",
            "2026-5-17T12:00:00Z",
            "2026-05-17T12:00:00Zjunk",
            "",
            "１２",
        ];
        for text in bad {
            assert!(parse_instant(text).is_err(), "{text}");
        }
    }

    #[test]
    fn bad_values_are_noted_not_applied() {
        let p = parse("#bg=red&cm=99&now=yesterday&colour=1&scheme=blue&primary=1,2,300");
        assert!(p.theme.is_empty());
        assert_eq!(p.now, None);
        assert_eq!(
            p.ignored,
            vec![
                "bg: expected H,S,L, found \"red\"",
                "cm: expected a number from 0 to 5, found \"99\"",
                "now: expected epoch seconds or an RFC 3339 time, found \"yesterday\"",
                "colour: unknown parameter, found \"1\"",
                "scheme: expected dark or light, found \"blue\"",
                "primary: expected H,S,L with H 0–360 and S, L 0–100, found \"1,2,300\"",
            ]
        );
    }

    #[test]
    fn css_injection_is_impossible() {
        let p = parse("bg=1,2,3);background:url(x)&primary=1,2,3%22");
        assert!(p.theme.bg.is_none());
        assert!(p.theme.primary.is_none());
        assert_eq!(p.ignored.len(), 2);
    }

    #[test]
    fn numbers_are_exact_and_bounded() {
        for (text, ok) in [
            ("0", true),
            ("5", true),
            ("5.00", true),
            ("5.01", false),
            ("1.234", false),
            ("-1", false),
            ("1e2", false),
            ("", false),
            (".5", false),
            ("99999", false),
        ] {
            assert_eq!(Centi::parse(text, 5).is_some(), ok, "{text}");
        }
    }

    #[test]
    fn garbage_never_panics() {
        for s in [
            "",
            "#",
            "&&&",
            "=",
            "now=",
            "%",
            "%4",
            "%zz",
            "bg=,,",
            "now=99999999999999999999",
            "é=%C3",
        ] {
            let _ = parse(s);
        }
    }
}
