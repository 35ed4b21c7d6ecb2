//! Shared helpers: the ADR homelab at its test instant, authenticated requests, and a
//! shape comparator against the shared fixtures.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use backwatch_sim::api::{self, Env, Product, Request, Response};
use backwatch_sim::scenario::{ADR_HOMELAB, Scenario};
use backwatch_sim::server::credentials_for;
use backwatch_sim::world::World;
use serde_json::Value;

pub const TEST_NOW: i64 = 1_779_070_800;

pub fn scenario() -> Scenario {
    Scenario::parse(ADR_HOMELAB).expect("the ADR scenario parses")
}

pub fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| World::generate(&scenario(), TEST_NOW))
}

pub fn env() -> Env {
    Env {
        credentials: scenario().credentials,
        auth_delay: Duration::from_secs(3),
    }
}

pub fn auth(p: Product) -> String {
    credentials_for(p, &env()).1
}

/// An authenticated GET (Databasement also sends `Accept: application/json`, as Caddy does).
pub fn get(p: Product, path: &str) -> Response {
    let a = auth(p);
    let req = Request::get(
        path,
        &[("authorization", &a), ("accept", "application/json")],
    );
    api::handle(p, world(), &env(), &req)
}

/// An authenticated Backrest RPC.
pub fn rpc(method: &str, body: &str) -> Response {
    let a = auth(Product::Backrest);
    let req = Request::post_json(
        &format!("/v1.Backrest/{method}"),
        body,
        &[("authorization", &a)],
    );
    api::handle(Product::Backrest, world(), &env(), &req)
}

pub fn json(r: &Response) -> Value {
    serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.text()))
}

pub fn fixture(rel: &str) -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Compares `sim` against every fixture value seen at the same place (array elements of
/// all fixtures merged). Rules: the JSON type must be one the fixtures use (an int may
/// stand where the fixture has floats); objects must not have keys no fixture has, and
/// must have every key all fixture samples have, except `optional`. Returns the problems.
pub fn shape(sim: &Value, fixtures: &[&Value], optional: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    walk(sim, fixtures, "$", optional, &mut problems);
    problems
}

fn walk(sim: &Value, fx: &[&Value], path: &str, optional: &[&str], out: &mut Vec<String>) {
    if fx.is_empty() {
        return;
    }
    let kinds: BTreeSet<&str> = fx.iter().map(|v| kind(v)).collect();
    // A fixture that only ever shows `null` says nothing about the type behind it.
    if kinds.len() == 1 && kinds.contains("null") {
        return;
    }
    let k = kind(sim);
    let ok = kinds.contains(k) || (k == "int" && kinds.contains("float"));
    if !ok {
        out.push(format!("{path}: {k}, fixtures have {kinds:?}"));
        return;
    }
    match sim {
        Value::Object(map) => {
            let objs: Vec<&serde_json::Map<String, Value>> =
                fx.iter().filter_map(|v| v.as_object()).collect();
            for key in map.keys() {
                if !objs.iter().any(|o| o.contains_key(key)) {
                    out.push(format!("{path}.{key}: no fixture has this key"));
                }
            }
            if let Some(first) = objs.first() {
                for key in first.keys() {
                    let required = objs.iter().all(|o| o.contains_key(key));
                    if required && !map.contains_key(key) && !optional.contains(&key.as_str()) {
                        out.push(format!(
                            "{path}.{key}: missing (every fixture sample has it)"
                        ));
                    }
                }
            }
            for (key, v) in map {
                let children: Vec<&Value> = objs.iter().filter_map(|o| o.get(key)).collect();
                walk(v, &children, &format!("{path}.{key}"), optional, out);
            }
        }
        Value::Array(items) => {
            let children: Vec<&Value> = fx.iter().filter_map(|v| v.as_array()).flatten().collect();
            for (i, v) in items.iter().enumerate() {
                walk(v, &children, &format!("{path}[{i}]"), optional, out);
            }
        }
        _ => {}
    }
}

/// Asserts the shape and that the sim's answer is not trivially empty where the fixture
/// has content.
pub fn assert_shape(what: &str, sim: &Value, fixtures: &[&str], optional: &[&str]) {
    let fx: Vec<Value> = fixtures.iter().map(|f| fixture(f)).collect();
    let refs: Vec<&Value> = fx.iter().collect();
    let problems = shape(sim, &refs, optional);
    assert!(
        problems.is_empty(),
        "{what}: shape differs from {fixtures:?}:\n{}\n{sim}",
        problems.join("\n")
    );
}
