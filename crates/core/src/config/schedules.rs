//! `[[schedules]]`: schedules no API reports (a Databasement cleanup cron, a manual
//! offsite copy).

use std::ops::Range;

use crate::model::{JobKind, ScheduleSpec};

use super::diag::{Reported, Sink, did_you_mean, did_you_mean_value, quoted};
use super::read::{Res, Table, Value, array, index};
use super::types::{ExtraSchedule, Service};
use super::values;

const KEYS: [&str; 6] = ["label", "kind", "calendar", "cron", "timezone", "service"];

const KINDS: [JobKind; 9] = JobKind::ALL;

/// Read `[[schedules]]`; `service` references are checked against `services`.
/// Also returns, per schedule kept, the span of its `service` value (for cross-checks).
pub(crate) fn read(
    sink: &mut Sink<'_>,
    v: &Value<'_>,
    path: &str,
    services: &[Service],
) -> Vec<ExtraSchedule> {
    let mut out = Vec::new();
    let Ok(items) = array(sink, v, path, "an array of tables (`[[schedules]]`)") else {
        return out;
    };
    for (i, item) in items.iter().enumerate() {
        let Ok(t) = Table::of(sink, item, index(path, i), "a table") else {
            continue;
        };
        if let Ok(s) = schedule(sink, &t, services) {
            out.push(s);
        }
    }
    out
}

fn schedule(sink: &mut Sink<'_>, t: &Table<'_, '_>, services: &[Service]) -> Res<ExtraSchedule> {
    t.check_keys(sink, &KEYS);
    let label = t.req_str(sink, "label", "a string");
    let label = match label {
        Ok((s, span)) if s.trim().is_empty() => Err(sink.error(
            &span,
            &t.path("label"),
            r#"expected a label like "offsite USB copy", found """#,
        )),
        Ok((s, _)) => Ok(s.trim().to_owned()),
        Err(r) => Err(r),
    };

    let kind = match t.opt_str(sink, "kind", "a job kind") {
        Ok(Some((s, span))) => match KINDS.iter().find(|k| k.key() == s) {
            Some(k) => *k,
            None => {
                let keys: Vec<&str> = KINDS.iter().map(|k| k.key()).collect();
                let hint = did_you_mean_value(s, &keys);
                let msg = if hint.is_empty() {
                    format!(
                        "unknown kind {}; expected one of {}",
                        quoted(s),
                        keys.join(", ")
                    )
                } else {
                    format!("unknown kind {}{hint}", quoted(s))
                };
                sink.error(&span, &t.path("kind"), msg);
                JobKind::Other
            }
        },
        _ => JobKind::Other,
    };

    // In file order, as `entries` is.
    let given: Vec<(&str, Range<usize>)> = t
        .entries()
        .into_iter()
        .filter(|(k, _, _)| *k == "calendar" || *k == "cron")
        .map(|(k, span, _)| (k, span))
        .collect();
    let spec: Res<ScheduleSpec> = match given.as_slice() {
        [] => Err(sink.error(
            &t.span,
            &t.path,
            "missing schedule: expected `calendar` (a Proxmox calendar event) or `cron`",
        )),
        [(key, _)] => {
            let key = *key;
            let ctor: fn(String) -> ScheduleSpec = if key == "calendar" {
                ScheduleSpec::Calendar
            } else {
                ScheduleSpec::Cron
            };
            t.req_str(sink, key, "a string").and_then(|(text, span)| {
                values::schedule_text(text, ctor).map_err(|m| sink.error(&span, &t.path(key), m))
            })
        }
        [_, (_, span), ..] => Err(sink.error(
            span,
            &t.path("cron"),
            "`calendar` and `cron` cannot be combined; give exactly one",
        )),
    };

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

    let service = match t.opt_str(sink, "service", "a service name") {
        Ok(Some((name, span))) => {
            if services.iter().any(|s| s.name == name) {
                Some(name.to_owned())
            } else {
                let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
                let hint = did_you_mean(name, &names);
                sink.error(
                    &span,
                    &t.path("service"),
                    format!("unknown service `{name}`{hint}; the schedule is shown on its own"),
                );
                None
            }
        }
        _ => None,
    };

    match (label, spec) {
        (Ok(label), Ok(schedule)) => Ok(ExtraSchedule {
            label,
            kind,
            schedule,
            timezone,
            service,
        }),
        _ => Err(Reported),
    }
}
