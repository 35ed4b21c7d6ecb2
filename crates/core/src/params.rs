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
//!
//! Unknown keys and bad values are ignored with a note (shown in the widget), never fatal.

use crate::model::Epoch;

/// Colour scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Dark,
    Light,
}

/// An HSL colour as Glance's theme keys give it (`43,50,70`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hsl {
    pub h: f64,
    pub s: f64,
    pub l: f64,
}

impl Hsl {
    /// `hsl(43, 50%, 70%)`.
    pub fn css(&self) -> String {
        format!("hsl({}, {}%, {}%)", num(self.h), num(self.s), num(self.l))
    }
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v:.2}")
    }
}

/// Theme values from the fragment; each is optional.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Theme {
    pub scheme: Option<Scheme>,
    pub bg: Option<Hsl>,
    pub primary: Option<Hsl>,
    pub positive: Option<Hsl>,
    pub negative: Option<Hsl>,
    pub contrast: Option<f64>,
    pub text_saturation: Option<f64>,
}

impl Theme {
    /// CSS custom properties to set on the root element, as Glance names them. Values are
    /// built from parsed numbers only, so nothing from the URL reaches CSS verbatim.
    pub fn css_vars(&self) -> Vec<(&'static str, String)> {
        let mut vars = Vec::new();
        if let Some(bg) = self.bg {
            vars.push(("--bgh", num(bg.h)));
            vars.push(("--bgs", format!("{}%", num(bg.s))));
            vars.push(("--bgl", format!("{}%", num(bg.l))));
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
            vars.push(("--cm", num(cm)));
        }
        if let Some(tsm) = self.text_saturation {
            vars.push(("--tsm", num(tsm)));
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

/// Everything the fragment said.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    /// A fixed "now" (demo/testing aid).
    pub now: Option<Epoch>,
    pub theme: Theme,
    pub layout: Option<Layout>,
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
    let n = |v: &str, max: f64| -> Option<f64> {
        let x: f64 = v.trim_end_matches('%').parse().ok()?;
        (x.is_finite() && (0.0..=max).contains(&x)).then_some(x)
    };
    match (n(h, 360.0), n(sat, 100.0), n(l, 100.0)) {
        (Some(h), Some(s), Some(l)) => Ok(Hsl { h, s, l }),
        _ => Err("expected H,S,L with H 0–360 and S, L 0–100".to_owned()),
    }
}

fn parse_multiplier(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=5.0).contains(&v) => Ok(v),
        _ => Err("expected a number from 0 to 5".to_owned()),
    }
}

/// Epoch seconds, or RFC 3339 with `Z` or an offset (`2026-05-17T12:00:00Z`).
pub fn parse_instant(s: &str) -> Result<Epoch, String> {
    if let Ok(secs) = s.parse::<i64>() {
        return Ok(secs);
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.timestamp())
        .map_err(|_| "expected epoch seconds or an RFC 3339 time".to_owned())
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
                ("--cm", "1.30".to_owned()),
                ("--tsm", "0.50".to_owned()),
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
            parse("bg=240%2C8%2C9").theme.bg,
            Some(Hsl {
                h: 240.0,
                s: 8.0,
                l: 9.0
            })
        );
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
