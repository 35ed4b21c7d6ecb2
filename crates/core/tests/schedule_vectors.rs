//! The shared conformance vectors: every Proxmox calendar-event vector and every cron
//! vector. Each test reports all failures at once, naming the expression.

#![cfg(feature = "tzdb")]

use backwatch_core::schedule::Schedule;
use backwatch_core::time::{NamedZone, Utc, Zone};
use serde_json::Value;

fn zone(name: &str) -> Box<dyn Zone> {
    if name == "UTC" {
        Box::new(Utc)
    } else {
        Box::new(NamedZone::by_name(name).unwrap_or_else(|| panic!("unknown zone {name}")))
    }
}

fn load(file: &str) -> Vec<Value> {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str::<Vec<Value>>(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn calendar_event_vectors() {
    let vectors = load("calendar-events.json");
    assert_eq!(vectors.len(), 193, "vector count");
    let mut failures = Vec::new();
    for v in &vectors {
        // `evaluated_as` is the expression upstream evaluated (` UTC` appended where the
        // upstream test did so); `timezone` is the zone it ran in.
        let expr = v["evaluated_as"].as_str().expect("evaluated_as");
        let start = v["start"].as_i64().expect("start");
        let want = v["expected_next"].as_i64();
        let z = zone(v["timezone"].as_str().expect("timezone"));
        match Schedule::parse_calendar(expr) {
            Ok(s) => {
                let got = s.next_after(start, z.as_ref());
                if got != want {
                    failures.push(format!("{expr:?} from {start}: got {got:?}, want {want:?}"));
                }
            }
            Err(e) => failures.push(format!("{expr:?}: parse error: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn cron_vectors() {
    let vectors = load("cron.json");
    assert_eq!(vectors.len(), 91, "vector count");
    let mut failures = Vec::new();
    let mut errors = 0;
    for v in &vectors {
        let expr = v["expr"].as_str().expect("expr");
        let parsed = Schedule::parse_cron(expr);
        if v.get("error").is_some() {
            errors += 1;
            if let Ok(s) = parsed {
                failures.push(format!("{expr:?}: accepted as {s}, must fail"));
            }
            continue;
        }
        let start = v["start"].as_i64().expect("start");
        let want: Vec<i64> = v["expected_next3"]
            .as_array()
            .expect("expected_next3")
            .iter()
            .map(|x| x.as_i64().expect("epoch"))
            .collect();
        let z = zone(v["timezone"].as_str().expect("timezone"));
        match parsed {
            Ok(s) => {
                let got: Vec<i64> = s
                    .occurrences(start + 1, i64::MAX, z.as_ref())
                    .take(3)
                    .collect();
                if got != want {
                    failures.push(format!("{expr:?} from {start}: got {got:?}, want {want:?}"));
                }
            }
            Err(e) => failures.push(format!("{expr:?}: parse error: {e}")),
        }
    }
    assert_eq!(errors, 9, "must-fail vector count");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
