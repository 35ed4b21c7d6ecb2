//! Runtime faults: what a source does instead of answering normally.

use serde::Serialize;

use crate::api::{Product, Response};
use crate::scenario::FaultSpec;

/// What a faulty source does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum FaultKind {
    /// Answer this status with the product's error body (or `body`).
    Status {
        /// HTTP status.
        status: u16,
        /// Body override.
        body: Option<String>,
    },
    /// Answer an HTML page (a login portal or a proxy error page) with this status.
    Html {
        /// HTTP status (default 200: a captive login page).
        status: u16,
    },
    /// The normal answer, cut in the middle (valid HTTP, broken JSON).
    Truncated,
    /// Wait before answering normally.
    Slow {
        /// Delay in milliseconds.
        ms: u64,
    },
    /// Answer as the product does for a bad token.
    Unauthorized,
    /// Close the connection without an answer.
    Reset,
    /// A 200 JSON answer of `mb` MiB (a runaway upstream; the widget must refuse it).
    Huge {
        /// Size in MiB.
        mb: u64,
    },
}

/// A fault on one source.
#[derive(Clone, Debug, Serialize)]
pub struct Fault {
    /// Id for listing and removal.
    pub id: u64,
    /// The source.
    pub source: Product,
    /// Only paths starting with this.
    pub path: Option<String>,
    /// Remaining uses (`None` = until cleared).
    pub times: Option<u32>,
    /// What happens.
    #[serde(flatten)]
    pub kind: FaultKind,
}

impl Fault {
    /// Builds a fault from its JSON/TOML form.
    pub fn from_spec(spec: FaultSpec) -> Result<Fault, String> {
        let source = Product::from_key(&spec.source).ok_or_else(|| {
            format!(
                "unknown source {:?} (pbs, pve, databasement, backrest)",
                spec.source
            )
        })?;
        let kind = match spec.kind.as_str() {
            "status" => FaultKind::Status {
                status: match spec.status {
                    Some(s) if (100..=599).contains(&s) => s,
                    Some(s) => return Err(format!("status {s} is not an HTTP status")),
                    None => return Err("kind \"status\" needs \"status\"".into()),
                },
                body: spec.body,
            },
            "html" => FaultKind::Html {
                status: spec.status.unwrap_or(200),
            },
            "truncated" => FaultKind::Truncated,
            "slow" => FaultKind::Slow {
                ms: spec.ms.ok_or("kind \"slow\" needs \"ms\"")?,
            },
            "unauthorized" => FaultKind::Unauthorized,
            "reset" => FaultKind::Reset,
            "huge" => FaultKind::Huge {
                mb: match spec.mb {
                    Some(mb) if (1..=512).contains(&mb) => mb,
                    _ => return Err("kind \"huge\" needs \"mb\" from 1 to 512".into()),
                },
            },
            other => {
                return Err(format!(
                    "unknown fault kind {other:?} (status, html, truncated, slow, unauthorized, reset, huge)"
                ));
            }
        };
        Ok(Fault {
            id: 0,
            source,
            path: spec.path,
            times: spec.times,
            kind,
        })
    }

    /// Whether it applies to a request path.
    pub fn matches(&self, source: Product, path: &str) -> bool {
        self.source == source && self.path.as_deref().is_none_or(|p| path.starts_with(p))
    }
}

/// The error body each product sends with `status`.
pub fn status_response(source: Product, status: u16, body: Option<&str>) -> Response {
    let reason = reason(status);
    match (source, body) {
        (_, Some(b)) => Response::new(status, Some("application/json"), b.to_owned()),
        (Product::Pbs, None) => crate::api::pbs::error(status, &reason.to_lowercase()),
        (Product::Pve, None) => crate::api::pve::error(status, reason),
        (Product::Databasement, None) => Response::new(
            status,
            Some("application/json"),
            format!(
                "{{\"message\":\"{}\"}}",
                if status >= 500 {
                    "Server Error"
                } else {
                    reason
                }
            ),
        ),
        (Product::Backrest, None) => crate::api::backrest::connect_error(
            status,
            match status {
                400 => "invalid_argument",
                401 => "unauthenticated",
                403 => "permission_denied",
                404 => "not_found",
                429 => "resource_exhausted",
                503 => "unavailable",
                504 => "deadline_exceeded",
                _ => "unknown",
            },
            reason,
        ),
    }
}

/// An HTML page: a login portal for 200, an nginx-style error page otherwise.
pub fn html_response(status: u16) -> Response {
    let body = if status == 200 {
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in</title></head>\n<body><form method=\"post\" action=\"/login\"><h1>Sign in to continue</h1><input name=\"username\"><input name=\"password\" type=\"password\"><button>Sign in</button></form></body></html>\n".to_owned()
    } else {
        format!(
            "<html>\r\n<head><title>{status} {r}</title></head>\r\n<body>\r\n<center><h1>{status} {r}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
            r = reason(status)
        )
    };
    Response::new(status, Some("text/html; charset=utf-8"), body)
}

/// Cuts a response body in half (at least one byte goes missing).
/// `{"data":["xxxx…","xxxx…",…]}` of about `mb` MiB: valid JSON, absurd size.
pub fn huge_response(mb: u64) -> Response {
    let item = format!("\"{}\",", "x".repeat(1022));
    let count = usize::try_from(mb).unwrap_or(1).saturating_mul(1024);
    let mut body = String::with_capacity(count * item.len() + 16);
    body.push_str("{\"data\":[");
    for _ in 0..count {
        body.push_str(&item);
    }
    body.push_str("\"end\"]}");
    Response::new(200, Some("application/json"), body)
}

pub fn truncate(mut r: Response) -> Response {
    let keep = r.body.len() / 2;
    r.body.truncate(keep);
    r
}

/// The standard reason phrase.
pub fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}
