//! `[[sources.<kind>]]`: API instances.

use std::ops::Range;

use toml::de::DeValue;

use crate::model::{ScheduleClock, ScheduleSpec, SourceId, SourceKind};

use super::diag::{Reported, Sink, did_you_mean, did_you_mean_value, quoted};
use super::duration::{duration_value, parse_duration};
use super::read::{Res, Table, Value, array, index, integer, string};
use super::types::{
    BackrestPlan, BackrestRepo, BackrestSchedule, BackrestSource, DatabasementSource, PbsSource,
    PbsStorage, PveSource, Sources,
};
use super::values;

const KINDS: [&str; 4] = ["pbs", "pve", "databasement", "backrest"];
const COMMON: [&str; 3] = ["name", "base", "timezone"];

/// Every source read so far, for duplicate checks and reference resolution.
#[derive(Default)]
pub(crate) struct SourceIndex {
    entries: Vec<Indexed>,
}

/// One source kept: its id, base and where they were written.
struct Indexed {
    id: SourceId,
    name_span: Range<usize>,
    base: String,
    base_span: Range<usize>,
}

impl SourceIndex {
    /// The source named `name`, of any kind.
    pub(crate) fn find(&self, name: &str) -> Option<&SourceId> {
        self.entries
            .iter()
            .map(|e| &e.id)
            .find(|id| id.name == name)
    }

    /// ` (did you mean `x`?)` among the names of the given kinds.
    pub(crate) fn suggest(&self, name: &str, kinds: &[SourceKind]) -> String {
        let names: Vec<&str> = self
            .entries
            .iter()
            .filter(|e| kinds.contains(&e.id.kind))
            .map(|e| e.id.name.as_str())
            .collect();
        did_you_mean(name, &names)
    }
}

/// Read the `[sources]` table.
pub(crate) fn read(sink: &mut Sink<'_>, v: &Value<'_>, path: &str) -> (Sources, SourceIndex) {
    let mut sources = Sources::default();
    let mut found = SourceIndex::default();
    let Ok(table) = Table::of(sink, v, path.to_owned(), "a table of source kinds") else {
        return (sources, found);
    };
    table.check_keys(sink, &KINDS);
    for (key, _, value) in table.entries() {
        let kind = match key {
            "pbs" => SourceKind::Pbs,
            "pve" => SourceKind::Pve,
            "databasement" => SourceKind::Databasement,
            "backrest" => SourceKind::Backrest,
            _ => continue,
        };
        let kind_path = table.path(key);
        // `[[sources.pbs]]` (an array of tables) or a lone `[sources.pbs]`.
        let items: Vec<(&Value<'_>, String)> = match value.get_ref() {
            DeValue::Array(a) => a
                .iter()
                .enumerate()
                .map(|(i, item)| (item, index(&kind_path, i)))
                .collect(),
            DeValue::Table(_) => vec![(value, kind_path.clone())],
            _ => {
                super::read::mismatch(sink, value, &kind_path, "tables (`[[sources.pbs]]`)");
                continue;
            }
        };
        for (item, item_path) in items {
            let Ok(t) = Table::of(sink, item, item_path, "a table") else {
                continue;
            };
            let _ = entry(sink, &t, kind, &mut sources, &mut found);
        }
    }
    (sources, found)
}

/// Common part of every source: name, base, timezone. Checks keys and uniqueness.
struct Common {
    id: SourceId,
    base: String,
    timezone: Option<String>,
}

fn entry(
    sink: &mut Sink<'_>,
    t: &Table<'_, '_>,
    kind: SourceKind,
    sources: &mut Sources,
    index: &mut SourceIndex,
) -> Res<()> {
    let specific: &[&str] = match kind {
        SourceKind::Pbs => &[
            "datastores",
            "namespaces",
            "max_depth",
            "snapshot_refresh",
            "task_window",
        ],
        SourceKind::Pve => &["pbs_storages"],
        SourceKind::Databasement => &["history", "organization"],
        SourceKind::Backrest => &["plans", "repos"],
    };
    let known: Vec<&str> = COMMON.iter().chain(specific).copied().collect();
    t.check_keys(sink, &known);

    let (name, name_span) = t.req_str(sink, "name", "a source name")?;
    values::source_name(name).map_err(|m| sink.error(&name_span, &t.path("name"), m))?;
    let (base, base_span) = t.req_str(sink, "base", "a same-origin path")?;
    let base = values::base_path(base).map_err(|m| sink.error(&base_span, &t.path("base"), m))?;

    if let Some(first) = index.entries.iter().find(|e| e.id.name == name) {
        let at = sink.at(&first.name_span);
        return Err(sink.error(
            &name_span,
            &t.path("name"),
            format!("duplicate source name `{name}` (first defined at {at})"),
        ));
    }
    if let Some(other) = index.entries.iter().find(|e| e.base == base) {
        let msg = format!(
            "same `base` as source `{}` ({}); both read the same API",
            other.id.name,
            sink.at(&other.base_span)
        );
        sink.warning(&base_span, &t.path("base"), msg);
    }

    let timezone = match t.opt_str(sink, "timezone", "an IANA time zone name") {
        Ok(Some((z, span))) => match values::zone(z) {
            Ok(()) => Some(z.to_owned()),
            Err(m) => {
                sink.error(&span, &t.path("timezone"), m);
                None
            }
        },
        _ => None,
    };
    let id = SourceId {
        kind,
        name: name.to_owned(),
    };
    index.entries.push(Indexed {
        id: id.clone(),
        name_span,
        base: base.clone(),
        base_span,
    });
    let common = Common { id, base, timezone };

    match kind {
        SourceKind::Pbs => sources.pbs.push(pbs(sink, t, common)),
        SourceKind::Pve => sources.pve.push(pve(sink, t, common)),
        SourceKind::Databasement => {
            if common.timezone.is_none() && t.get("timezone").is_none() {
                sink.warning(
                    &t.span,
                    &t.path,
                    "no `timezone`: Databasement does not report the zone its schedules run in \
                     (APP_DISPLAY_TIMEZONE); using the browser's zone",
                );
            }
            sources.databasement.push(databasement(sink, t, common));
        }
        SourceKind::Backrest => {
            let source = backrest(sink, t, common);
            let zone_matters = source
                .plans
                .iter()
                .map(|p| &p.schedule)
                .chain(
                    source
                        .repos
                        .iter()
                        .flat_map(|r| r.prune.iter().chain(r.check.iter())),
                )
                .any(|s| {
                    matches!(s.spec, Some(ScheduleSpec::Cron(_))) && s.clock != ScheduleClock::Utc
                });
            if zone_matters && t.get("timezone").is_none() {
                sink.warning(
                    &t.span,
                    &t.path,
                    "no `timezone`: Backrest does not report the zone its cron schedules run in; \
                     using the browser's zone",
                );
            }
            sources.backrest.push(source);
        }
    }
    Ok(())
}

fn duration_or(
    sink: &mut Sink<'_>,
    t: &Table<'_, '_>,
    key: &str,
    default: &str,
    min_secs: u64,
) -> u64 {
    let default_secs = parse_duration(default).unwrap_or(0);
    let Some(v) = t.get(key) else {
        return default_secs;
    };
    let path = t.path(key);
    match duration_value(sink, v, &path) {
        Ok(secs) if secs >= min_secs => secs,
        Ok(_) => {
            let min = if min_secs.is_multiple_of(3_600) {
                format!("{}h", min_secs / 3_600)
            } else {
                format!("{min_secs}s")
            };
            sink.error(
                &v.span(),
                &path,
                format!("must be at least {min}; using the default {default}"),
            );
            default_secs
        }
        Err(Reported) => default_secs,
    }
}

/// A list of names where one bad item voids the list (falls back to reading everything).
fn name_list(
    sink: &mut Sink<'_>,
    t: &Table<'_, '_>,
    key: &str,
    check: fn(&str) -> Result<(), String>,
    fallback: &str,
) -> Option<Vec<String>> {
    let v = t.get(key)?;
    let path = t.path(key);
    let items = array(sink, v, &path, "an array of strings").ok()?;
    if items.is_empty() {
        sink.error(&v.span(), &path, format!("empty list; {fallback}"));
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let p = index(&path, i);
        match string(sink, item, &p, "a string") {
            Ok(s) => match check(s) {
                Ok(()) if out.iter().any(|o| o == s) => {
                    sink.warning(&item.span(), &p, format!("{} is listed twice", quoted(s)));
                }
                Ok(()) => out.push(s.to_owned()),
                Err(m) => {
                    sink.error(&item.span(), &p, format!("{m}; {fallback}"));
                    ok = false;
                }
            },
            Err(Reported) => ok = false,
        }
    }
    ok.then_some(out)
}

fn pbs(sink: &mut Sink<'_>, t: &Table<'_, '_>, c: Common) -> PbsSource {
    let datastores = name_list(
        sink,
        t,
        "datastores",
        |s| values::safe_id(s, "a datastore name"),
        "reading all datastores instead",
    );
    let namespaces = name_list(
        sink,
        t,
        "namespaces",
        values::namespace,
        "reading all namespaces instead",
    );
    let max_depth = t.get("max_depth").and_then(|v| {
        integer(sink, v, &t.path("max_depth"), 0, 7)
            .ok()
            .and_then(|n| u8::try_from(n).ok())
    });
    PbsSource {
        id: c.id,
        base: c.base,
        timezone: c.timezone,
        datastores,
        namespaces,
        max_depth,
        snapshot_refresh_secs: duration_or(sink, t, "snapshot_refresh", "30m", 60),
        task_window_secs: duration_or(sink, t, "task_window", "2d", 0),
    }
}

fn pve(sink: &mut Sink<'_>, t: &Table<'_, '_>, c: Common) -> PveSource {
    let mut pbs_storages: Vec<PbsStorage> = Vec::new();
    if let Some(v) = t.get("pbs_storages") {
        let path = t.path("pbs_storages");
        let items = array(
            sink,
            v,
            &path,
            r#"an array of tables like { storage = "pbs-store1", node = "pve1" }"#,
        );
        for (i, item) in items.unwrap_or_default().iter().enumerate() {
            let Ok(st) = Table::of(
                sink,
                item,
                index(&path, i),
                r#"a table like { storage = "pbs-store1", node = "pve1" }"#,
            ) else {
                continue;
            };
            st.check_keys(sink, &["storage", "node"]);
            let read = |sink: &mut Sink<'_>, key: &str, what: &str| -> Res<String> {
                let (s, span) = st.req_str(sink, key, what)?;
                values::safe_id(s, what)
                    .map(|()| s.to_owned())
                    .map_err(|m| sink.error(&span, &st.path(key), m))
            };
            let storage = read(sink, "storage", "a storage id");
            let node = read(sink, "node", "a node name");
            if let (Ok(storage), Ok(node)) = (storage, node) {
                let entry = PbsStorage { storage, node };
                if pbs_storages.contains(&entry) {
                    sink.warning(&st.span, &st.path, "listed twice");
                } else {
                    pbs_storages.push(entry);
                }
            }
        }
    }
    PveSource {
        id: c.id,
        base: c.base,
        timezone: c.timezone,
        pbs_storages,
    }
}

fn databasement(sink: &mut Sink<'_>, t: &Table<'_, '_>, c: Common) -> DatabasementSource {
    let organization = match t.opt_str(sink, "organization", "an organization id") {
        Ok(Some((s, span))) => {
            if !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric()) {
                Some(s.to_owned())
            } else {
                sink.error(
                    &span,
                    &t.path("organization"),
                    format!(
                        r#"expected an organization id (a ULID like "01JZ3V8Q4B6X2N9M5K7T1R0CWD"), found {}"#,
                        quoted(s)
                    ),
                );
                None
            }
        }
        _ => None,
    };
    DatabasementSource {
        id: c.id,
        base: c.base,
        timezone: c.timezone,
        history_secs: duration_or(sink, t, "history", "30d", 3_600),
        organization,
    }
}

fn backrest(sink: &mut Sink<'_>, t: &Table<'_, '_>, c: Common) -> BackrestSource {
    let mut plans = Vec::new();
    if let Some(v) = t.get("plans")
        && let Ok(pt) = Table::of(
            sink,
            v,
            t.path("plans"),
            r#"a table of plan schedules like { nightly = { cron = "0 2 * * *" } }"#,
        )
    {
        for (id, key_span, value) in pt.entries() {
            let path = pt.path(id);
            if let Err(m) = values::safe_id(id, "a plan id") {
                sink.error(&key_span, &path, m);
                continue;
            }
            if let Ok(schedule) = schedule(sink, value, &path) {
                plans.push(BackrestPlan {
                    id: id.to_owned(),
                    schedule,
                });
            }
        }
    }
    let mut repos = Vec::new();
    if let Some(v) = t.get("repos")
        && let Ok(rt) = Table::of(sink, v, t.path("repos"), "a table of repositories")
    {
        for (id, key_span, value) in rt.entries() {
            let path = rt.path(id);
            if let Err(m) = values::safe_id(id, "a repository id") {
                sink.error(&key_span, &path, m);
                continue;
            }
            let Ok(r) = Table::of(
                sink,
                value,
                path,
                r#"a table like { prune = { cron = "0 0 1 * *" } }"#,
            ) else {
                continue;
            };
            r.check_keys(sink, &["prune", "check"]);
            let mut sched = |key: &str| {
                r.get(key)
                    .and_then(|v| schedule(sink, v, &r.path(key)).ok())
            };
            let prune = sched("prune");
            let check = sched("check");
            repos.push(BackrestRepo {
                id: id.to_owned(),
                prune,
                check,
            });
        }
    }
    BackrestSource {
        id: c.id,
        base: c.base,
        timezone: c.timezone,
        plans,
        repos,
    }
}

const CLOCKS: [&str; 3] = ["local", "utc", "last-run"];

/// `{ cron = "…" }`, `{ every = "6h" }` or `{ disabled = true }`, each with an optional
/// `clock`.
pub(crate) fn schedule(sink: &mut Sink<'_>, v: &Value<'_>, path: &str) -> Res<BackrestSchedule> {
    let t = Table::of(
        sink,
        v,
        path.to_owned(),
        r#"a schedule like { cron = "0 2 * * *" }, { every = "6h" } or { disabled = true }"#,
    )?;
    t.check_keys(sink, &["cron", "every", "disabled", "clock"]);

    let clock = match t.opt_str(sink, "clock", r#""local", "utc" or "last-run""#) {
        Ok(Some((s, span))) => match s {
            "local" => ScheduleClock::Local,
            "utc" => ScheduleClock::Utc,
            "last-run" => ScheduleClock::LastRunTime,
            other => {
                let hint = did_you_mean_value(other, &CLOCKS);
                sink.error(
                    &span,
                    &t.path("clock"),
                    format!(
                        r#"expected "local", "utc" or "last-run", found {}{hint}"#,
                        quoted(other)
                    ),
                );
                ScheduleClock::Local
            }
        },
        _ => ScheduleClock::Local,
    };

    let disabled = t.bool_or(sink, "disabled", false);
    // In file order, as `entries` is.
    let given: Vec<(&str, Range<usize>)> = t
        .entries()
        .into_iter()
        .filter(|(k, _, _)| *k == "cron" || *k == "every" || (*k == "disabled" && disabled))
        .map(|(k, span, _)| (k, span))
        .collect();
    let which = match given.as_slice() {
        [] => {
            return Err(sink.error(
                &t.span,
                &t.path,
                "missing schedule: expected one of `cron`, `every` or `disabled = true`",
            ));
        }
        [(one, _)] => *one,
        [first, second, ..] => {
            return Err(sink.error(
                &second.1,
                &t.path(second.0),
                format!(
                    "`{}` and `{}` cannot be combined; a schedule has exactly one of `cron`, `every` or `disabled = true`",
                    first.0, second.0
                ),
            ));
        }
    };
    let spec = match which {
        "disabled" => None,
        "cron" => {
            let (text, span) = t.req_str(sink, "cron", r#"a cron expression like "0 2 * * *""#)?;
            Some(
                values::schedule_text(text, ScheduleSpec::Cron)
                    .map_err(|m| sink.error(&span, &t.path("cron"), m))?,
            )
        }
        _ => {
            let v = t.get("every").ok_or(Reported)?;
            let p = t.path("every");
            let secs = duration_value(sink, v, &p)?;
            let span = v.span();
            let text = match v.get_ref() {
                DeValue::String(s) => quoted(s),
                _ => String::new(),
            };
            let whole = |n: u64| u32::try_from(n).ok().filter(|&n| n > 0);
            let spec = if secs % 86_400 == 0 {
                whole(secs / 86_400).map(ScheduleSpec::EveryDays)
            } else if secs % 3_600 == 0 {
                whole(secs / 3_600).map(ScheduleSpec::EveryHours)
            } else {
                None
            };
            Some(spec.ok_or_else(|| {
                sink.error(
                    &span,
                    &p,
                    format!(r#"expected whole hours or days like "6h" or "1d", found {text}"#),
                )
            })?)
        }
    };
    Ok(BackrestSchedule { spec, clock })
}
