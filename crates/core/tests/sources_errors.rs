//! Hostile responses: every one becomes a typed `SourceError` with a pinned message.

// Settings are tweaked field by field, as a config mapper would; tables use tuple rows.
#![allow(clippy::field_reassign_with_default, clippy::type_complexity)]

mod support;

use std::time::Instant;

use backwatch_core::sources::http::{EXCERPT_CHARS, check, decode, decode_data, error_excerpt};
use backwatch_core::sources::pbs::wire::{Envelope, GroupListItem};
use backwatch_core::sources::{HttpResponse, SourceError, TransportError};
use support::{JSON, status};

const PATH: &str = "/api/pbs/api2/json/admin/datastore/store1/groups";

type Groups = Envelope<Vec<GroupListItem>>;

/// check + decode_data, as the PBS and PVE collectors do.
fn read(resp: Result<HttpResponse, TransportError>) -> Result<Groups, SourceError> {
    let ok = check(PATH, resp)?;
    decode_data::<Vec<GroupListItem>>(PATH, &ok).map(|data| Envelope { data })
}

/// check + decode of the whole envelope type.
fn read_whole(resp: Result<HttpResponse, TransportError>) -> Result<Groups, SourceError> {
    let ok = check(PATH, resp)?;
    decode::<Groups>(PATH, &ok)
}

fn ok(body: &str) -> Result<HttpResponse, TransportError> {
    Ok(status(200, Some(JSON), body))
}

fn code(c: u16, ct: Option<&str>, body: impl Into<String>) -> Result<HttpResponse, TransportError> {
    Ok(status(c, ct, body))
}

const GROUP: &str =
    r#"{"backup-type":"vm","backup-id":"100","last-backup":1778983212,"backup-count":4}"#;
const HTML: &str = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>502 Bad Gateway</h1></body></html>";

/// (name, response, expected `Display` after the path).
fn cases() -> Vec<(&'static str, Result<HttpResponse, TransportError>, String)> {
    let fx = support::fixture;
    vec![
        (
            "missing required field",
            ok(r#"{"data":[{"backup-type":"vm","backup-id":"1","last-backup":1,"backup-count":1},{"backup-type":"ct","last-backup":1,"backup-count":1}]}"#),
            r#"unexpected response: data[1]: missing field `backup-id`: {"data":[{"backup-type":"vm","backup-id":"1","last-backup":1,"backup-count":1},{"backup-type":"ct","last-backup":1,"backup-count":1}]}"#.into(),
        ),
        (
            "wrong type deep inside",
            ok(&format!(r#"{{"data":[{GROUP},{GROUP},{GROUP},{{"backup-type":"vm","backup-id":"1","last-backup":"soon","backup-count":1}}]}}"#)),
            r#"unexpected response: data[3].last-backup: invalid value: string "soon", expected an integer or a decimal string: {"data":[{"backup-type":"vm","backup-id":"100","last-backup":1778983212,"backup-count":4},{"backup-type":"vm","backup-id":"100","last-backup":1778983212,"backup-count":4},{"backup-type":"vm","backup-i…"#.into(),
        ),
        (
            "data is not a list",
            ok(r#"{"data":{"backup-type":"vm"}}"#),
            r#"unexpected response: data: invalid type: map, expected a sequence: {"data":{"backup-type":"vm"}}"#.into(),
        ),
        (
            "HTML page with 200 (SPA fallback)",
            code(200, Some("text/html"), HTML),
            "unexpected response: expected JSON, got an HTML page: 502 Bad Gateway".into(),
        ),
        ("HTML page with 502", code(502, Some("text/html"), HTML), "HTTP 502: HTML page: 502 Bad Gateway".into()),
        (
            "HTML page without a title",
            code(503, Some("text/html"), "<html><body><p>Service\n  Unavailable</p></body></html>"),
            "HTTP 503: HTML page: Service Unavailable".into(),
        ),
        (
            "truncated body",
            ok(&format!(r#"{{"data":[{GROUP},{{"backup-type":"vm","backup-id":"10"#)),
            r#"unexpected response: truncated JSON: EOF while parsing a string (in data[1].backup-id): {"data":[{"backup-type":"vm","backup-id":"100","last-backup":1778983212,"backup-count":4},{"backup-type":"vm","backup-id":"10"#.into(),
        ),
        ("empty body with 200", ok(""), "unexpected response: empty body".into()),
        ("whitespace body with 200", ok("\n \n"), "unexpected response: empty body".into()),
        (
            "PBS 400 plain text, JSON content type",
            code(400, Some(JSON), fx("pbs/errors/400_datastore_not_mounted.txt")),
            "HTTP 400: datastore 'usb-offsite' is not mounted".into(),
        ),
        (
            "PBS 400 parameter",
            code(400, Some(JSON), fx("pbs/errors/400_param_verification.txt")),
            "HTTP 400: parameter verification failed - 'foo': schema does not allow additional properties".into(),
        ),
        (
            "PBS 400 plain text, no content type",
            code(400, None, fx("pbs/errors/400_no_such_datastore.txt")),
            "HTTP 400: no such datastore 'store9'".into(),
        ),
        (
            "PBS 401 no content type, plain text",
            code(401, None, fx("pbs/errors/401_authentication_failed.txt")),
            "credentials rejected (401): authentication failed".into(),
        ),
        (
            "PBS 401 JSON content type, plain text",
            code(401, Some(JSON), "authentication failed"),
            "credentials rejected (401): authentication failed".into(),
        ),
        ("PBS 401 no content type, empty", code(401, None, ""), "credentials rejected (401)".into()),
        (
            "PBS 403 plain text under JSON content type",
            code(403, Some(JSON), fx("pbs/errors/403_permission_check_failed.txt")),
            "permission denied (403): permission check failed".into(),
        ),
        (
            "PBS 403 plain text, no content type",
            code(403, None, "permission check failed"),
            "permission denied (403): permission check failed".into(),
        ),
        (
            "PBS 404",
            code(404, Some(JSON), fx("pbs/errors/404_path_not_found.txt")),
            "HTTP 404: Path '/api2/json/admin/datastore/store1/snapshot' not found.".into(),
        ),
        ("PVE 401 empty body", code(401, None, fx("pve/errors/401_authentication_failed.txt")), "credentials rejected (401)".into()),
        (
            "PVE 403 with message",
            code(403, Some(JSON), fx("pve/errors/403_permission_check_failed.json")),
            "permission denied (403): Permission check failed (/, Sys.Audit)".into(),
        ),
        (
            "PVE 403 without message (before pve-http-server 5.2)",
            code(403, Some(JSON), fx("pve/errors/403_permission_check_failed_pre_http_server_5.2.json")),
            "permission denied (403)".into(),
        ),
        (
            "PVE 400 with parameter errors",
            code(400, Some(JSON), fx("pve/errors/400_parameter_verification_failed.json")),
            "HTTP 400: Parameter verification failed. (type: value 'vms' does not have a value in the enumeration 'vm, storage, node, sdn')".into(),
        ),
        (
            "Databasement 401",
            code(401, Some("application/json"), fx("databasement/error_401_unauthenticated.json")),
            "credentials rejected (401): Unauthenticated.".into(),
        ),
        (
            "Databasement 403",
            code(403, Some("application/json"), fx("databasement/error_403_org.json")),
            "permission denied (403): The requested organization is not accessible.".into(),
        ),
        (
            "Backrest 401 text/plain",
            code(401, Some("text/plain; charset=utf-8"), "Unauthorized (Bad Token)\n"),
            "credentials rejected (401): Unauthorized (Bad Token)".into(),
        ),
        (
            "Backrest Connect error",
            code(500, Some("application/json"), fx("backrest/error_get_operations_empty_selector.json")),
            "HTTP 500: unknown: empty selector".into(),
        ),
        (
            "JSON error body without a message",
            code(502, Some("application/json"), r#"{"error":"upstream unavailable"}"#),
            r#"HTTP 502: {"error":"upstream unavailable"}"#.into(),
        ),
        (
            "invalid UTF-8 replaced by the shell",
            ok("{\"data\":[\u{FFFD}\u{FFFD}]}"),
            "unexpected response: invalid JSON at line 1 column 10: expected value (in data[0]): {\"data\":[\u{FFFD}\u{FFFD}]}".into(),
        ),
        (
            "lone surrogate escape",
            ok(r#"{"data":[{"backup-type":"vm","backup-id":"\ud800","last-backup":1,"backup-count":1}]}"#),
            r#"unexpected response: invalid JSON at line 1 column 49: unexpected end of hex escape (in data[0].backup-id): {"data":[{"backup-type":"vm","backup-id":"\ud800","last-backup":1,"backup-count":1}]}"#.into(),
        ),
        (
            "multi-line body: line and column",
            ok("{\n  \"data\": [\n    {\"backup-type\": \"vm\",, }\n  ]\n}"),
            r#"unexpected response: invalid JSON at line 3 column 26: key must be a string (in data[0]): { "data": [ {"backup-type": "vm",, } ] }"#.into(),
        ),
        ("network error", Err(TransportError::Network("connection refused".into())), "network error: connection refused".into()),
        ("timeout", Err(TransportError::Timeout { after_ms: 30_000 }), "no response after 30000 ms".into()),
        ("aborted", Err(TransportError::Aborted), "request aborted".into()),
    ]
}

#[test]
fn pinned_messages() {
    for (name, resp, want) in cases() {
        let got = read(resp.clone()).map(|_| ()).unwrap_err().to_string();
        assert_eq!(got, format!("{PATH}: {want}"), "{name}");
        // Reading the envelope once and then `data` reports the same as one pass.
        let whole = read_whole(resp).map(|_| ()).unwrap_err().to_string();
        assert_eq!(got, whole, "{name}");
    }
}

#[test]
fn typed_variants() {
    let kind = |r| match read(r).map(|_| ()).unwrap_err() {
        SourceError::Transport { .. } => "transport",
        SourceError::Unauthorized { .. } => "401",
        SourceError::Forbidden { .. } => "403",
        SourceError::Status { .. } => "status",
        SourceError::Decode { .. } => "decode",
    };
    assert_eq!(kind(code(401, None, "")), "401");
    assert_eq!(
        kind(code(403, Some(JSON), "permission check failed")),
        "403"
    );
    assert_eq!(kind(code(502, Some("text/html"), HTML)), "status");
    assert_eq!(kind(code(200, Some("text/html"), HTML)), "decode");
    assert_eq!(kind(Err(TransportError::Aborted)), "transport");
}

#[test]
fn deep_nesting() {
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    // Inside a field backwatch does not read: skipped without recursion, no stack overflow.
    let body = format!(
        r#"{{"data":[{{"backup-type":"vm","backup-id":"1","last-backup":1,"backup-count":1,"files":{nested}}}]}}"#
    );
    assert_eq!(read(ok(&body)).unwrap().data.len(), 1);
    // As the item itself: a type error at the first level.
    let e = read(ok(&format!(r#"{{"data":{nested}}}"#)))
        .map(|_| ())
        .unwrap_err();
    let SourceError::Decode {
        detail,
        body_excerpt,
        ..
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!(
        detail, "data[0][0]: invalid type: sequence, expected a string",
        "a struct may come as a list"
    );
    assert_eq!(body_excerpt.chars().count(), EXCERPT_CHARS + 1);
    // In an error body: the nested value is skipped without recursion; the message stays.
    let body = format!(r#"{{"message":"x","errors":{{"a":{nested},"b":"bad value"}}}}"#);
    let e = read(code(400, Some(JSON), body)).map(|_| ()).unwrap_err();
    assert_eq!(e.to_string(), format!("{PATH}: HTTP 400: x (b: bad value)"));
    // A decode path deeper than the bound keeps its innermost part.
    let deep = format!(
        r#"{{"data":[{{"backup-type":"vm","backup-id":"1","last-backup":1,"backup-count":1,"comment":{}}}]}}"#,
        "[".repeat(300)
    );
    let e = read(ok(&deep)).map(|_| ()).unwrap_err();
    let SourceError::Decode { detail, .. } = &e else {
        panic!("{e:?}")
    };
    // The body is also invalid JSON (the brackets never close), which the envelope pass
    // finds first; the 300-level path is cut to its innermost 120 characters.
    assert!(
        detail.starts_with("invalid JSON at line 1 column 389: expected value (in …0][0]"),
        "{detail}"
    );
    let path = detail.split("(in ").nth(1).unwrap().trim_end_matches(')');
    assert_eq!(path.chars().count(), 120, "{path}");
}

#[test]
fn one_megabyte_of_garbage() {
    // Deterministic noise, including multi-byte characters, so cuts must respect boundaries.
    let mut garbage = String::with_capacity(1 << 20);
    let mut x: u32 = 12345;
    while garbage.len() < (1 << 20) {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        garbage.push(match x % 7 {
            0 => 'é',
            1 => '€',
            2 => ' ',
            3 => '\n',
            4 => '{',
            5 => '🦀',
            _ => char::from(b'a' + (x % 26) as u8),
        });
    }
    for (name, resp) in [
        ("200", ok(&garbage)),
        ("500", code(500, Some("text/plain"), garbage.clone())),
    ] {
        let t = Instant::now();
        let e = read(resp).map(|_| ()).unwrap_err();
        let elapsed = t.elapsed();
        let (SourceError::Decode { body_excerpt, .. } | SourceError::Status { body_excerpt, .. }) =
            &e
        else {
            panic!("{name}: {e:?}")
        };
        assert!(body_excerpt.chars().count() <= EXCERPT_CHARS + 1, "{name}");
        assert!(
            e.to_string().len() < 1200,
            "{name}: {} bytes",
            e.to_string().len()
        );
        assert!(elapsed.as_millis() < 500, "{name}: {elapsed:?}");
    }
    // error_excerpt alone on 1 MB of one long word.
    let word = "x".repeat(1 << 20);
    assert_eq!(error_excerpt(&word).chars().count(), EXCERPT_CHARS + 1);
}

#[test]
fn excerpts_cut_on_char_boundaries() {
    for len in 195..=205 {
        for filler in ["é", "🦀", "a", "\u{301}"] {
            let body = filler.repeat(len);
            let e = error_excerpt(&body);
            assert!(e.chars().count() <= EXCERPT_CHARS + 1);
            assert!(body.starts_with(e.trim_end_matches('…')));
        }
    }
}
