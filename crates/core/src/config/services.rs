//! `[services.<name>]` and `[ignore]`: what each service is backed up as.
//!
//! # Item forms
//!
//! | key         | compact string                                   | table keys |
//! |-------------|--------------------------------------------------|------------|
//! | `guests`    | `ct/101`, `vm/200@pbs-main/store1/lab`            | `guest`, `pbs` or `pve`, `datastore`, `namespace` |
//! | `hosts`     | `nas`, `host/nas@pbs-main/store1`                 | `host`, `pbs`, `datastore`, `namespace` |
//! | `databases` | `homelab-pg/immich`, `homelab-pg/immich@db-main`  | `server`, `database`, `databasement` |
//! | `plans`     | `photos`, `photos@nas-backrest`                   | `plan`, `backrest` |
//!
//! In services the table form also takes `grace` and `retired`.

use std::ops::Range;

use chrono::NaiveDate;
use toml::de::DeValue;

use crate::model::{GuestType, SourceId, SourceKind, Subject};

use super::diag::{Reported, Sink, quoted};
use super::duration::grace_value;
use super::read::{Res, Table, Value, array, found, index, mismatch};
use super::sources::SourceIndex;
use super::types::{Scope, Service, ServiceItem, Target};
use super::values;

/// What one list of a service holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Guest,
    Host,
    Database,
    Plan,
}

const LISTS: [(&str, Kind); 4] = [
    ("guests", Kind::Guest),
    ("hosts", Kind::Host),
    ("databases", Kind::Database),
    ("plans", Kind::Plan),
];

const SERVICE_KEYS: [&str; 9] = [
    "description",
    "link",
    "grace",
    "retired",
    "paused_until",
    "guests",
    "hosts",
    "databases",
    "plans",
];

impl Kind {
    /// Keys of the table form (without `grace` and `retired`).
    fn table_keys(self) -> &'static [&'static str] {
        match self {
            Kind::Guest => &["guest", "pbs", "pve", "datastore", "namespace"],
            Kind::Host => &["host", "pbs", "datastore", "namespace"],
            Kind::Database => &["server", "database", "databasement"],
            Kind::Plan => &["plan", "backrest"],
        }
    }

    fn source_kinds(self) -> &'static [SourceKind] {
        match self {
            Kind::Guest => &[SourceKind::Pbs, SourceKind::Pve],
            Kind::Host => &[SourceKind::Pbs],
            Kind::Database => &[SourceKind::Databasement],
            Kind::Plan => &[SourceKind::Backrest],
        }
    }

    /// "guests are read from PBS or PVE sources".
    fn read_from(self) -> &'static str {
        match self {
            Kind::Guest => "guests are read from PBS or PVE sources",
            Kind::Host => "host groups are read from PBS sources",
            Kind::Database => "databases are read from Databasement sources",
            Kind::Plan => "plans are read from Backrest sources",
        }
    }
}

/// Where a target was mapped, for "mapped twice" diagnostics.
pub(crate) struct Mapping {
    target: Target,
    /// Service name, or `None` for `[ignore]`.
    owner: Option<String>,
    span: Range<usize>,
}

/// Services plus what cross-checks need afterwards.
pub(crate) struct ServicesRead {
    pub(crate) services: Vec<Service>,
    /// Per service (same order): its table span and path, and whether any item list was
    /// written at all.
    pub(crate) origins: Vec<(Range<usize>, String, bool)>,
    pub(crate) mapped: Vec<Mapping>,
}

/// Read `[services]`.
pub(crate) fn read(
    sink: &mut Sink<'_>,
    v: &Value<'_>,
    path: &str,
    sources: &SourceIndex,
) -> ServicesRead {
    let mut out = ServicesRead {
        services: Vec::new(),
        origins: Vec::new(),
        mapped: Vec::new(),
    };
    let Ok(table) = Table::of(
        sink,
        v,
        path.to_owned(),
        "a table of services (`[services.immich]`)",
    ) else {
        return out;
    };
    let mut names: Vec<(String, Range<usize>)> = Vec::new();
    for (name, key_span, value) in table.entries() {
        let spath = table.path(name);
        if name.trim().is_empty() || name.chars().any(char::is_control) || name.chars().count() > 64
        {
            sink.error(
                &key_span,
                &spath,
                format!(
                    "expected a service name of 1 to 64 printable characters, found {}",
                    quoted(name)
                ),
            );
            continue;
        }
        // ASCII case only: full Unicode case mapping costs wasm size and buys little here.
        if let Some((first, span)) = names.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            let msg = format!(
                "service `{name}` differs from `{first}` ({}) only in case; names must be unique",
                sink.at(span)
            );
            sink.error(&key_span, &spath, msg);
            continue;
        }
        let Ok(t) = Table::of(sink, value, spath, "a table") else {
            continue;
        };
        names.push((name.to_owned(), key_span));
        let had_items = LISTS.iter().any(|(k, _)| t.get(k).is_some());
        let service = service(sink, &t, name, sources, &mut out.mapped);
        out.services.push(service);
        out.origins
            .push((t.span.clone(), t.path.clone(), had_items));
    }
    out
}

fn service(
    sink: &mut Sink<'_>,
    t: &Table<'_, '_>,
    name: &str,
    sources: &SourceIndex,
    mapped: &mut Vec<Mapping>,
) -> Service {
    t.check_keys(sink, &SERVICE_KEYS);
    let description = t
        .opt_str(sink, "description", "a string")
        .ok()
        .flatten()
        .map(|(s, _)| s.to_owned());
    let link = match t.opt_str(sink, "link", "a URL") {
        Ok(Some((s, span))) => match values::link(s) {
            Ok(()) => Some(s.to_owned()),
            Err(m) => {
                sink.error(&span, &t.path("link"), m);
                None
            }
        },
        _ => None,
    };
    let grace = t
        .get("grace")
        .and_then(|v| grace_value(sink, v, &t.path("grace")).ok());
    let retired = t.bool_or(sink, "retired", false);
    let paused_until = t
        .get("paused_until")
        .and_then(|v| date(sink, v, &t.path("paused_until")).ok());

    let mut items = Vec::new();
    for (key, kind) in LISTS {
        let Some(v) = t.get(key) else { continue };
        let path = t.path(key);
        let Ok(list) = array(sink, v, &path, "an array") else {
            continue;
        };
        for (i, item) in list.iter().enumerate() {
            let ipath = index(&path, i);
            let Ok(parsed) = item_value(sink, item, &ipath, kind, sources, true) else {
                continue;
            };
            if check_mapped(
                sink,
                mapped,
                &parsed.target,
                Some(name),
                &item.span(),
                &ipath,
            ) {
                items.push(parsed);
            }
        }
    }
    Service {
        name: name.to_owned(),
        description,
        link,
        grace,
        retired,
        paused_until,
        items,
    }
}

/// Record a mapping unless it overlaps an earlier one. Returns whether to keep it.
fn check_mapped(
    sink: &mut Sink<'_>,
    mapped: &mut Vec<Mapping>,
    target: &Target,
    owner: Option<&str>,
    span: &Range<usize>,
    path: &str,
) -> bool {
    let shown = describe(target);
    if let Some(m) = mapped.iter().find(|m| m.target.overlaps(target)) {
        let at = sink.at(&m.span);
        match (&m.owner, owner) {
            (Some(a), Some(b)) if a == b => {
                sink.warning(
                    span,
                    path,
                    format!("`{shown}` is listed twice in this service (see {at})"),
                );
            }
            (None, None) => {
                sink.warning(
                    span,
                    path,
                    format!("`{shown}` is listed twice in `ignore` (see {at})"),
                );
            }
            (Some(a), Some(_)) => {
                sink.error(
                    span,
                    path,
                    format!("`{shown}` is already mapped to service `{a}` (see {at}); a backup belongs to one service"),
                );
            }
            _ => {
                let a = m.owner.as_deref().or(owner).unwrap_or_default();
                sink.warning(
                    span,
                    path,
                    format!("`{shown}` is both ignored and mapped to service `{a}` (see {at}); the service wins"),
                );
                // Keep both: the ignore list simply never matches a mapped subject.
                mapped.push(Mapping {
                    target: target.clone(),
                    owner: owner.map(str::to_owned),
                    span: span.clone(),
                });
                return true;
            }
        }
        return false;
    }
    mapped.push(Mapping {
        target: target.clone(),
        owner: owner.map(str::to_owned),
        span: span.clone(),
    });
    true
}

/// `vm/200@pbs-main/store1/lab` — the compact form, for messages.
fn describe(t: &Target) -> String {
    let mut s = match &t.subject {
        Subject::Plan { id } => id.clone(),
        other => other.to_string(),
    };
    if let Some(src) = &t.scope.source {
        s.push('@');
        s.push_str(&src.name);
    }
    if let Some(d) = &t.scope.datastore {
        s.push_str(&format!(" datastore {d}"));
    }
    if let Some(n) = &t.scope.namespace {
        s.push_str(" namespace ");
        s.push_str(&quoted(n));
    }
    s
}

/// Read `[ignore]`.
pub(crate) fn read_ignore(
    sink: &mut Sink<'_>,
    v: &Value<'_>,
    path: &str,
    sources: &SourceIndex,
    mapped: &mut Vec<Mapping>,
) -> Vec<Target> {
    let mut out = Vec::new();
    let Ok(t) = Table::of(
        sink,
        v,
        path.to_owned(),
        "a table with `guests`, `hosts`, `databases` or `plans`",
    ) else {
        return out;
    };
    let keys: Vec<&str> = LISTS.iter().map(|(k, _)| *k).collect();
    t.check_keys(sink, &keys);
    for (key, kind) in LISTS {
        let Some(v) = t.get(key) else { continue };
        let path = t.path(key);
        let Ok(list) = array(sink, v, &path, "an array") else {
            continue;
        };
        for (i, item) in list.iter().enumerate() {
            let ipath = index(&path, i);
            if let Ok(parsed) = item_value(sink, item, &ipath, kind, sources, false)
                && check_mapped(sink, mapped, &parsed.target, None, &item.span(), &ipath)
            {
                out.push(parsed.target);
            }
        }
    }
    out
}

/// One item: a compact string or a table.
fn item_value(
    sink: &mut Sink<'_>,
    v: &Value<'_>,
    path: &str,
    kind: Kind,
    sources: &SourceIndex,
    in_service: bool,
) -> Res<ServiceItem> {
    match v.get_ref() {
        DeValue::String(s) => {
            let target = compact(s, kind, sources).map_err(|m| sink.error(&v.span(), path, m))?;
            Ok(ServiceItem {
                target,
                grace: None,
                retired: false,
            })
        }
        DeValue::Table(_) => item_table(sink, v, path, kind, sources, in_service),
        _ => Err(mismatch(
            sink,
            v,
            path,
            &format!("a string like {} or a table", example(kind)),
        )),
    }
}

fn example(kind: Kind) -> &'static str {
    match kind {
        Kind::Guest => r#""ct/101""#,
        Kind::Host => r#""nas""#,
        Kind::Database => r#""homelab-pg/immich""#,
        Kind::Plan => r#""photos""#,
    }
}

/// Parse the compact string form, including `@source[/datastore[/namespace]]`.
fn compact(s: &str, kind: Kind, sources: &SourceIndex) -> Result<Target, String> {
    let (subject_text, qualifier) = match kind {
        // Database names may contain "/" (SQLite paths): only an "@" whose suffix has no
        // "/" is a qualifier.
        Kind::Database => match s.rsplit_once('@') {
            Some((a, b)) if !b.contains('/') => (a, Some(b)),
            _ => (s, None),
        },
        _ => match s.split_once('@') {
            Some((a, b)) => (a, Some(b)),
            None => (s, None),
        },
    };
    let subject = subject(subject_text, kind, s)?;
    let mut scope = Scope::default();
    if let Some(q) = qualifier {
        let mut parts = q.splitn(3, '/');
        let name = parts.next().unwrap_or("");
        let id = resolve(name, kind.source_kinds(), kind, sources)?;
        let datastore = parts.next();
        let namespace = parts.next();
        if datastore.is_some() && id.kind != SourceKind::Pbs {
            return Err(format!(
                "a datastore can only follow a PBS source; `{}` is a {} source",
                id.name,
                id.kind.label()
            ));
        }
        if let Some(d) = datastore {
            values::safe_id(d, "a datastore name")?;
            scope.datastore = Some(d.to_owned());
        }
        if let Some(n) = namespace {
            values::namespace(n)?;
            scope.namespace = Some(n.to_owned());
        }
        scope.source = Some(id);
    }
    Ok(Target { subject, scope })
}

/// The subject part of an item. `whole` is the full text, for messages.
fn subject(s: &str, kind: Kind, whole: &str) -> Result<Subject, String> {
    match kind {
        Kind::Guest => {
            let err = |hint: String| {
                format!(
                    r#"expected "ct/<id>" or "vm/<id>", found {}{hint}"#,
                    quoted(whole)
                )
            };
            let (ty, id) = s.split_once('/').ok_or_else(|| err(String::new()))?;
            let numeric = !id.is_empty() && id.len() <= 9 && id.bytes().all(|b| b.is_ascii_digit());
            let ty = match ty {
                "ct" => GuestType::Ct,
                "vm" => GuestType::Vm,
                "lxc" if numeric => return Err(err(format!(r#" (did you mean "ct/{id}"?)"#))),
                "qemu" if numeric => return Err(err(format!(r#" (did you mean "vm/{id}"?)"#))),
                "host" => return Err(err(" (host groups belong in `hosts`)".to_owned())),
                _ => return Err(err(String::new())),
            };
            match id.parse::<u32>() {
                Ok(id) if numeric => Ok(Subject::Guest { ty, id }),
                _ => Err(err(String::new())),
            }
        }
        Kind::Host => {
            let id = s.strip_prefix("host/").unwrap_or(s);
            values::safe_id(id, "a host backup id").map_err(|_| {
                format!(
                    r#"expected a host backup id like "nas" or "host/nas", found {}"#,
                    quoted(whole)
                )
            })?;
            Ok(Subject::Host { id: id.to_owned() })
        }
        Kind::Database => match s.split_once('/') {
            Some((server, database))
                if !server.trim().is_empty() && !database.trim().is_empty() =>
            {
                Ok(Subject::Database {
                    server: server.to_owned(),
                    database: database.to_owned(),
                })
            }
            _ => Err(format!(
                r#"expected "<server>/<database>", found {}"#,
                quoted(whole)
            )),
        },
        Kind::Plan => {
            let id = s.strip_prefix("plan/").unwrap_or(s);
            values::safe_id(id, "a plan id").map_err(|_| {
                format!(
                    r#"expected a plan id like "photos", found {}"#,
                    quoted(whole)
                )
            })?;
            Ok(Subject::Plan { id: id.to_owned() })
        }
    }
}

/// Resolve a source name, checking its kind.
fn resolve(
    name: &str,
    allowed: &[SourceKind],
    kind: Kind,
    sources: &SourceIndex,
) -> Result<SourceId, String> {
    values::source_name(name)?;
    match sources.find(name) {
        Some(id) if allowed.contains(&id.kind) => Ok(id.clone()),
        Some(id) => Err(format!(
            "`{name}` is a {} source; {}",
            id.kind.label(),
            kind.read_from()
        )),
        None => Err(format!(
            "unknown source `{name}`{}",
            sources.suggest(name, allowed)
        )),
    }
}

/// The table form of an item.
fn item_table(
    sink: &mut Sink<'_>,
    v: &Value<'_>,
    path: &str,
    kind: Kind,
    sources: &SourceIndex,
    in_service: bool,
) -> Res<ServiceItem> {
    let t = Table::of(sink, v, path.to_owned(), "a table")?;
    let mut keys: Vec<&str> = kind.table_keys().to_vec();
    if in_service {
        keys.extend(["grace", "retired"]);
    }
    t.check_keys(sink, &keys);

    let subject_key = match kind {
        Kind::Guest => "guest",
        Kind::Host => "host",
        Kind::Database => "database",
        Kind::Plan => "plan",
    };
    // Every problem is reported; any of them drops the item.
    let mut failed = false;
    let subject = match kind {
        Kind::Database => {
            let server = t.req_str(sink, "server", "a server name");
            let database = t.req_str(sink, "database", "a database name");
            match (server, database) {
                (Ok((s, s_span)), Ok((d, _))) => {
                    if s.trim().is_empty() || d.trim().is_empty() {
                        Err(sink.error(
                            &s_span,
                            &t.path("server"),
                            "server and database names must not be empty",
                        ))
                    } else {
                        Ok(Subject::Database {
                            server: s.to_owned(),
                            database: d.to_owned(),
                        })
                    }
                }
                _ => Err(Reported),
            }
        }
        _ => t
            .req_str(sink, subject_key, "a string")
            .and_then(|(s, span)| {
                let p = t.path(subject_key);
                if s.contains('@') {
                    let keys = match kind {
                        Kind::Guest => "`pbs` or `pve`, `datastore` and `namespace`",
                        Kind::Host => "`pbs`, `datastore` and `namespace`",
                        _ => "`backrest`",
                    };
                    return Err(sink.error(
                        &span,
                        &p,
                        format!(
                            "{} has a qualifier; in the table form use the keys {keys}",
                            quoted(s)
                        ),
                    ));
                }
                subject(s, kind, s).map_err(|m| sink.error(&span, &p, m))
            }),
    };
    failed |= subject.is_err();

    let mut source: Option<SourceId> = None;
    let source_keys: &[(&str, SourceKind)] = match kind {
        Kind::Guest => &[("pbs", SourceKind::Pbs), ("pve", SourceKind::Pve)],
        Kind::Host => &[("pbs", SourceKind::Pbs)],
        Kind::Database => &[("databasement", SourceKind::Databasement)],
        Kind::Plan => &[("backrest", SourceKind::Backrest)],
    };
    let mut seen_key: Option<&str> = None;
    for (key, skind) in source_keys {
        match t.opt_str(sink, key, "a source name") {
            Ok(None) => {}
            Ok(Some((name, span))) => {
                if let Some(first) = seen_key {
                    sink.error(
                        &span,
                        &t.path(key),
                        format!("`{first}` and `{key}` cannot be combined"),
                    );
                    failed = true;
                    continue;
                }
                seen_key = Some(key);
                match resolve(name, &[*skind], kind, sources) {
                    Ok(id) => source = Some(id),
                    Err(m) => {
                        // A name of the other kind deserves a pointer to the right key.
                        let m = match sources.find(name) {
                            Some(id) if kind.source_kinds().contains(&id.kind) => format!(
                                "`{name}` is a {} source; write `{} = {}`",
                                id.kind.label(),
                                id.kind.key(),
                                quoted(name)
                            ),
                            _ => m,
                        };
                        sink.error(&span, &t.path(key), m);
                        failed = true;
                    }
                }
            }
            Err(Reported) => failed = true,
        }
    }

    let mut scope = Scope {
        source,
        ..Scope::default()
    };
    if matches!(kind, Kind::Guest | Kind::Host) {
        for key in ["datastore", "namespace"] {
            let Ok(Some((s, span))) = t.opt_str(sink, key, "a string") else {
                failed |= t.get(key).is_some();
                continue;
            };
            let p = t.path(key);
            if let Some(id) = scope
                .source
                .as_ref()
                .filter(|id| id.kind != SourceKind::Pbs)
            {
                sink.error(
                    &span,
                    &p,
                    format!(
                        "`{key}` applies only to PBS sources; `{}` is a {} source",
                        id.name,
                        id.kind.label()
                    ),
                );
                failed = true;
                continue;
            }
            let checked = if key == "datastore" {
                values::safe_id(s, "a datastore name")
            } else {
                values::namespace(s)
            };
            match checked {
                Ok(()) if key == "datastore" => scope.datastore = Some(s.to_owned()),
                Ok(()) => scope.namespace = Some(s.to_owned()),
                Err(m) => {
                    sink.error(&span, &p, m);
                    failed = true;
                }
            }
        }
    }

    let grace = t
        .get("grace")
        .filter(|_| in_service)
        .and_then(|v| grace_value(sink, v, &t.path("grace")).ok());
    let retired = in_service && t.bool_or(sink, "retired", false);
    match subject {
        Ok(subject) if !failed => Ok(ServiceItem {
            target: Target { subject, scope },
            grace,
            retired,
        }),
        _ => Err(Reported),
    }
}

/// `paused_until`: a TOML local date (`2026-09-01`) or the same as a string.
fn date(sink: &mut Sink<'_>, v: &Value<'_>, path: &str) -> Res<NaiveDate> {
    let parsed = match v.get_ref() {
        DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
            dt.date.and_then(|d| {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
            })
        }
        DeValue::String(s) => {
            let mut it = s.splitn(3, '-');
            let mut num = |len: usize| {
                it.next()
                    .filter(|p| p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|p| p.parse::<u32>().ok())
            };
            match (num(4), num(2), num(2)) {
                (Some(y), Some(m), Some(d)) => i32::try_from(y)
                    .ok()
                    .and_then(|y| NaiveDate::from_ymd_opt(y, m, d)),
                _ => None,
            }
        }
        _ => None,
    };
    parsed.ok_or_else(|| {
        sink.error(
            &v.span(),
            path,
            format!(
                "expected a date like 2026-09-01, found {}",
                found(v.get_ref())
            ),
        )
    })
}
