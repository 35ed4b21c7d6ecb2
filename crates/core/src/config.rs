//! The widget's runtime configuration: `backwatch.toml`, served next to `index.html`.
//!
//! Reference: `docs/config.md`; every key is shown in `config/backwatch.example.toml`.
//!
//! ```toml
//! title = "Backups"
//!
//! [defaults]                      # refresh, stale_after, grace, grace_max, verify_max_age, timezone
//! grace = "25%"
//!
//! [[sources.pbs]]                 # also sources.pve, sources.databasement, sources.backrest
//! name = "pbs-main"
//! base = "/api/pbs"
//!
//! [services.immich]
//! guests = ["ct/101", { guest = "vm/200", pbs = "pbs-main", datastore = "store1" }]
//! databases = ["homelab-pg/immich"]
//!
//! [[schedules]]                   # schedules no API reports
//! label = "offsite USB copy"
//! calendar = "sat 10:00"
//! ```
//!
//! # Errors are diagnostics
//!
//! Only invalid TOML is fatal ([`ConfigError`]). Everything else becomes a [`Diagnostic`]
//! with line, column and key path, and the rest of the file loads:
//!
//! - an **invalid entry** (a source, a service item, a Backrest plan, a `[[schedules]]`
//!   entry) whose identity is broken is **dropped**;
//! - an **invalid optional value** falls back to its default (a bad `grace` → the default
//!   grace; a bad `datastores` list → discover all datastores, so nothing goes unwatched);
//! - an **unknown key** is reported with a "did you mean" suggestion and ignored.
//!
//! All of these are [`Severity::Error`]: something written was not applied. Warnings mark
//! what was applied but is probably unintended (a missing time zone, an empty service).
//!
//! ```
//! use backwatch_core::config;
//!
//! let text = "[[sources.pbs]]\nname = \"pbs\"\nbase = \"/api/pbs\"\n\n[services.immich]\ngests = [\"ct/101\"]\n";
//! let loaded = config::parse(text)?;
//! let typo = loaded.diagnostics.iter().find(|d| d.is_error()).unwrap();
//! assert_eq!(
//!     typo.to_string(),
//!     "error: services.immich.gests: unknown key `gests` (did you mean `guests`?) at line 6, column 1"
//! );
//! // The service itself still loads, with a warning that it maps nothing.
//! assert_eq!(loaded.config.services[0].name, "immich");
//! # Ok::<(), config::ConfigError>(())
//! ```
//!
//! # Design notes
//!
//! - **Why not `serde` + `deny_unknown_fields`**: serde stops at the first error and
//!   loses positions below the failing value. We parse into toml's spanned
//!   [`toml::de::DeTable`] and walk it (`read.rs`), so every value keeps its span.
//! - **wasm size** (tiny `cdylib`, `opt-level = "z"`, LTO, `wasm-opt -Oz`, brotli -q 11):
//!   an empty module with `format!` 9.3 KB; `DeTable::parse` alone 33.1 KB; this module
//!   (parse, validation, typed config, diagnostics) 60.4 KB; `toml::from_str` into a
//!   serde mirror of the same schema, without any validation, 90.6 KB (95.7 KB with the
//!   untagged string-or-table item enum the schema needs). Next to `serde_json` (22.4 KB
//!   alone) this module adds 49.6 KB: about 24 KB is toml's parser, the rest the walker.
//!   Unicode tables are avoided on purpose (`to_lowercase`, `{:?}` on strings).
//! - **Schedule syntax** is checked in one place, `values::schedule_syntax`, a hook for
//!   `crate::schedule` (written separately).
//! - **Order**: toml's map is sorted by key; `read::Table` re-sorts entries by
//!   their span, so services, plans and diagnostics follow the file.

mod diag;
mod duration;
mod read;
mod schedules;
mod services;
mod sources;
mod types;
mod values;

pub use diag::{ConfigError, Diagnostic, Severity};
pub use types::{
    BackrestPlan, BackrestRepo, BackrestSchedule, BackrestSource, Config, DatabasementSource,
    Defaults, DisplayZone, ExtraSchedule, Grace, PbsSource, PbsStorage, PveSource, Scope, Service,
    ServiceItem, Sources, Target,
};

use toml::de::DeTable;

use diag::{Sink, did_you_mean};
use duration::{duration_value, grace_value};
use read::{Table, Value};

/// A parsed configuration and everything worth telling the user about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded {
    /// The configuration with defaults applied and invalid parts left out.
    pub config: Config,
    /// Problems found, ordered by position in the file.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// Were any [`Severity::Error`] diagnostics reported?
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

const TOP_KEYS: [&str; 6] = [
    "title",
    "defaults",
    "sources",
    "services",
    "schedules",
    "ignore",
];
const DEFAULT_KEYS: [&str; 6] = [
    "refresh",
    "stale_after",
    "grace",
    "grace_max",
    "verify_max_age",
    "timezone",
];

/// Parse `backwatch.toml`.
///
/// Never panics, whatever the input.
///
/// # Errors
/// A [`ConfigError`] with line and column when `text` is not valid TOML. Every other
/// problem is a [`Diagnostic`] in [`Loaded::diagnostics`].
pub fn parse(text: &str) -> Result<Loaded, ConfigError> {
    let doc = DeTable::parse(text).map_err(|e| ConfigError::from_toml(text, &e))?;
    let mut sink = Sink::new(text);
    let root = Table {
        map: doc.get_ref(),
        span: 0..0,
        path: String::new(),
    };
    let config = read_config(&mut sink, &root);
    let mut diagnostics = sink.diagnostics;
    diagnostics.sort_by_key(|d| (d.line, d.column));
    Ok(Loaded {
        config,
        diagnostics,
    })
}

fn read_config(sink: &mut Sink<'_>, root: &Table<'_, '_>) -> Config {
    for (key, span, _) in root.entries() {
        if TOP_KEYS.contains(&key) {
            continue;
        }
        // A `[defaults]` key written at the top level deserves a pointer.
        let hint = if DEFAULT_KEYS.contains(&key) {
            format!(" (did you mean `defaults.{key}`?)")
        } else {
            match did_you_mean(key, &TOP_KEYS) {
                h if h.is_empty() => {
                    " (expected one of `title`, `defaults`, `sources`, `services`, `schedules`, `ignore`)"
                        .to_owned()
                }
                h => h,
            }
        };
        sink.error(
            &span,
            &root.path(key),
            format!("unknown key `{}`{hint}", diag::clip(key)),
        );
    }

    let mut config = Config::default();
    if let Some(v) = root.get("title")
        && let Ok(s) = read::string(sink, v, "title", "a string")
    {
        config.title = s.trim().to_owned();
    }
    if let Some(v) = root.get("defaults") {
        config.defaults = read_defaults(sink, v);
    }
    let (sources, index) = match root.get("sources") {
        Some(v) => sources::read(sink, v, "sources"),
        None => Default::default(),
    };
    config.sources = sources;
    if config.sources.is_empty() {
        let span = root.get("sources").map_or(0..0, Value::span);
        sink.warning(
            &span,
            "sources",
            "no source is configured; add `[[sources.pbs]]`, `[[sources.pve]]`, \
             `[[sources.databasement]]` or `[[sources.backrest]]`",
        );
    }

    let mut read = match root.get("services") {
        Some(v) => services::read(sink, v, "services", &index),
        None => services::ServicesRead {
            services: Vec::new(),
            origins: Vec::new(),
            mapped: Vec::new(),
        },
    };
    if let Some(v) = root.get("ignore") {
        config.ignore = services::read_ignore(sink, v, "ignore", &index, &mut read.mapped);
    }
    if let Some(v) = root.get("schedules") {
        config.schedules = schedules::read(sink, v, "schedules", &read.services);
    }
    for (service, (span, path, had_items)) in read.services.iter().zip(&read.origins) {
        let scheduled = config
            .schedules
            .iter()
            .any(|s| s.service.as_deref() == Some(service.name.as_str()));
        if !had_items && !scheduled {
            sink.warning(
                span,
                path,
                format!(
                    "service `{}` lists no `guests`, `hosts`, `databases` or `plans` and no \
                     `[[schedules]]` entry names it; nothing is monitored for it",
                    service.name
                ),
            );
        }
    }
    config.services = read.services;
    config
}

fn read_defaults(sink: &mut Sink<'_>, v: &Value<'_>) -> Defaults {
    let mut d = Defaults::default();
    let Ok(t) = Table::of(sink, v, "defaults".to_owned(), "a table") else {
        return d;
    };
    t.check_keys(sink, &DEFAULT_KEYS);

    if let Some(v) = t.get("refresh") {
        let path = t.path("refresh");
        if let Ok(secs) = duration_value(sink, v, &path) {
            d.refresh_secs = if secs < Defaults::MIN_REFRESH_SECS {
                sink.warning(
                    &v.span(),
                    &path,
                    "raised to the minimum of 60s (PBS token authentication is expensive)",
                );
                Defaults::MIN_REFRESH_SECS
            } else {
                secs
            };
        }
    }
    d.stale_after_secs = d.refresh_secs.saturating_mul(3);
    if let Some(v) = t.get("stale_after") {
        let path = t.path("stale_after");
        if let Ok(secs) = duration_value(sink, v, &path) {
            if secs < d.refresh_secs {
                sink.error(
                    &v.span(),
                    &path,
                    "must be at least `refresh`, or every source would turn stale between \
                     refreshes; using three times `refresh`",
                );
            } else {
                d.stale_after_secs = secs;
            }
        }
    }
    if let Some(v) = t.get("grace")
        && let Ok(g) = grace_value(sink, v, &t.path("grace"))
    {
        d.grace = g;
    }
    if let Some(v) = t.get("grace_max")
        && let Ok(secs) = duration_value(sink, v, &t.path("grace_max"))
    {
        d.grace_max_secs = secs;
    }
    if let Some(v) = t.get("verify_max_age") {
        let path = t.path("verify_max_age");
        if let Ok(secs) = duration_value(sink, v, &path) {
            if secs < 3_600 {
                sink.error(
                    &v.span(),
                    &path,
                    "must be at least 1h; using the default 30d",
                );
            } else {
                d.verify_max_age_secs = secs;
            }
        }
    }
    if let Ok(Some((z, span))) =
        t.opt_str(sink, "timezone", r#""browser" or an IANA time zone name"#)
    {
        if z == "browser" {
            d.timezone = DisplayZone::Browser;
        } else {
            match values::zone(z) {
                Ok(()) => d.timezone = DisplayZone::Named(z.to_owned()),
                Err(m) => {
                    let m = m.replace("an IANA time zone", r#""browser" or an IANA time zone"#);
                    sink.error(&span, &t.path("timezone"), m);
                }
            }
        }
    }
    d
}
