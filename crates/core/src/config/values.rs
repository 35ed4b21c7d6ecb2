//! Validators for the string values the config shares: names, paths, zones, links,
//! schedules. Each returns the exact diagnostic message on failure.

use crate::model::ScheduleSpec;

use super::diag::quoted;

/// Source names: used in references (`vm/200@pbs-main`), CSS hooks and URLs.
pub(crate) fn source_name(s: &str) -> Result<(), String> {
    let ok = s.len() <= 64
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            r#"expected a name of letters, digits, "-", "_" and "." like "pbs-main", found {}"#,
            quoted(s)
        ))
    }
}

/// The proxy base path, normalised without a trailing slash.
pub(crate) fn base_path(s: &str) -> Result<String, String> {
    let bad = |why: &str| {
        format!(
            r#"expected a same-origin path like "/api/pbs"{why}, found {}"#,
            quoted(s)
        )
    };
    if s.contains("://") {
        return Err(bad(
            " (the widget reads every API through its own proxy; see docs/config.md)",
        ));
    }
    if !s.starts_with('/') {
        return Err(bad(""));
    }
    let clean = s.chars().all(|c| c.is_ascii_graphic())
        && !s.contains(['?', '#', '\\'])
        && !s.contains("//")
        && !s.split('/').any(|seg| seg == "." || seg == "..");
    if !clean {
        return Err(bad(""));
    }
    Ok(s.trim_end_matches('/').to_owned())
}

/// An IANA time zone name, checked for shape (and, with the `tzdb` feature, existence).
pub(crate) fn zone(s: &str) -> Result<(), String> {
    let upper = s.to_ascii_uppercase();
    let hint =
        if upper.starts_with("UTC+") || upper.starts_with("UTC-") || s.starts_with(['+', '-']) {
            " (a fixed offset is not a zone; for UTC+2 all year write \"Etc/GMT-2\", note the sign)"
        } else if s == "browser" {
            " (`browser` is only valid for `defaults.timezone`)"
        } else {
            ""
        };
    let shaped = hint.is_empty()
        && s.len() <= 64
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'))
        && !s.ends_with('/')
        && !s.contains("//");
    if !shaped {
        return Err(format!(
            r#"expected an IANA time zone like "Europe/Berlin" or "UTC", found {}{hint}"#,
            quoted(s)
        ));
    }
    #[cfg(feature = "tzdb")]
    if s.parse::<chrono_tz::Tz>().is_err() {
        let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
        let hint = super::diag::did_you_mean_value(s, &names);
        return Err(format!("unknown time zone {}{hint}", quoted(s)));
    }
    Ok(())
}

/// PBS `SAFE_ID`-style names: datastores, host backup ids; also PVE storage and node
/// names and Backrest plan and repo ids.
pub(crate) fn safe_id(s: &str, what: &str) -> Result<(), String> {
    let ok = s.len() <= 128
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            r#"expected {what} of letters, digits, "-", "_" and ".", found {}"#,
            quoted(s)
        ))
    }
}

/// A PBS namespace path: `""` (root), `lab`, `lab/old`; at most 7 levels.
pub(crate) fn namespace(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    let parts: Vec<&str> = s.split('/').collect();
    let ok = s.len() <= 256 && parts.len() <= 7 && parts.iter().all(|p| safe_id(p, "").is_ok());
    if ok {
        Ok(())
    } else {
        Err(format!(
            r#"expected a namespace path like "lab" or "lab/old" (at most 7 levels, "" for the root), found {}"#,
            quoted(s)
        ))
    }
}

/// A link shown as `href`: only `http(s)://` URLs and same-origin paths.
pub(crate) fn link(s: &str) -> Result<(), String> {
    let lower = s.to_ascii_lowercase();
    let scheme_ok = ["http://", "https://"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len())
        || (s.starts_with('/') && !s.starts_with("//"));
    if scheme_ok && !s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Ok(())
    } else {
        Err(format!(
            r#"expected an "http://" or "https://" URL or a path starting with "/", found {}"#,
            quoted(s)
        ))
    }
}

/// Non-empty schedule text.
pub(crate) fn schedule_text(
    s: &str,
    spec: fn(String) -> ScheduleSpec,
) -> Result<ScheduleSpec, String> {
    let text = s.trim();
    if text.is_empty() {
        let example = match spec(String::new()) {
            ScheduleSpec::Calendar(_) => r#"a calendar event like "daily" or "mon..fri 04:00""#,
            _ => r#"a cron expression like "0 2 * * *""#,
        };
        return Err(format!("expected {example}, found {}", quoted(s)));
    }
    let spec = spec(text.to_owned());
    schedule_syntax(&spec)?;
    Ok(spec)
}

/// The one place every configured schedule passes through (Backrest `cron`,
/// `[[schedules]]` `calendar` and `cron`): the schedule engine's parse error becomes the
/// diagnostic. A column from the engine counts within the expression, so the message says
/// which ("… at column 9 of `sat 3:00 CEST`"); the diagnostic adds the value's position.
pub(crate) fn schedule_syntax(spec: &ScheduleSpec) -> Result<(), String> {
    crate::schedule::Schedule::parse(spec)
        .map(drop)
        .map_err(|e| {
            let text = match spec {
                ScheduleSpec::Calendar(t) | ScheduleSpec::Cron(t) => t.as_str(),
                ScheduleSpec::EveryHours(_) | ScheduleSpec::EveryDays(_) => "",
            };
            match e.column() {
                Some(_) if !text.is_empty() => format!("{e} of `{text}`"),
                _ => e.to_string(),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        let ok = [
            ("/api/pbs", "/api/pbs"),
            ("/api/pbs/", "/api/pbs"),
            ("/", ""),
        ];
        for (s, want) in ok {
            assert_eq!(base_path(s).as_deref(), Ok(want), "{s}");
        }
        for s in [
            "api/pbs",
            "https://pbs.lan:8007",
            "/api/../x",
            "/a b",
            "/a?x",
            "//evil",
            "",
        ] {
            assert!(base_path(s).is_err(), "{s}");
        }
    }

    #[test]
    fn zones() {
        for s in [
            "UTC",
            "Europe/Berlin",
            "America/Argentina/Buenos_Aires",
            "Etc/GMT-2",
        ] {
            assert_eq!(zone(s), Ok(()), "{s}");
        }
        for s in [
            "",
            "UTC+2",
            "+02:00",
            "Europe//Berlin",
            "Europe/",
            "browser",
            "Mars Base",
        ] {
            assert!(zone(s).is_err(), "{s}");
        }
    }

    #[cfg(feature = "tzdb")]
    #[test]
    fn zones_must_exist_with_tzdb() {
        assert_eq!(
            zone("Europe/Berln"),
            Err(r#"unknown time zone "Europe/Berln" (did you mean "Europe/Berlin"?)"#.to_owned())
        );
    }

    #[test]
    fn links() {
        for s in ["https://photos.lan", "http://x", "/grafana/d/backups"] {
            assert_eq!(link(s), Ok(()), "{s}");
        }
        for s in [
            "javascript:alert(1)",
            "https://",
            "//evil.example",
            "photos.lan",
            "https://a b",
        ] {
            assert!(link(s).is_err(), "{s}");
        }
    }

    #[test]
    fn namespaces() {
        for s in ["", "lab", "lab/old", "a/b/c/d/e/f/g"] {
            assert_eq!(namespace(s), Ok(()), "{s}");
        }
        for s in ["/lab", "lab/", "lab//old", "a/b/c/d/e/f/g/h", "la b"] {
            assert!(namespace(s).is_err(), "{s}");
        }
    }
}
