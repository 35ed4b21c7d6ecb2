//! Shared by the `security_*` tests: a raw HTTP/1.1 client (so a test controls every byte
//! of the request line: odd methods, `..`, `%2e%2e`, `//`, a spoofed Host, overlong paths)
//! and the security-header checks.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A response as the browser would get it.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The raw bytes (head and body), for "does any token byte leak" checks.
    pub raw: Vec<u8>,
}

impl Response {
    /// All values of a header (case-insensitive name).
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The single value of a header, if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_all(name).first().copied()
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A request: method, request target (sent verbatim), headers, body.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    /// Send no Host header of our own (the test supplies one, or none).
    pub custom_host: bool,
}

impl Request {
    pub fn new(method: &str, target: &str) -> Request {
        Request {
            method: method.to_owned(),
            target: target.to_owned(),
            headers: Vec::new(),
            body: None,
            custom_host: false,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Request {
        if name.eq_ignore_ascii_case("host") {
            self.custom_host = true;
        }
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn body(mut self, body: &[u8]) -> Request {
        self.body = Some(body.to_vec());
        self
    }
}

/// Send `req` to 127.0.0.1:`port` over a fresh connection (`Connection: close`) and read
/// the whole response. Adds `Host: 127.0.0.1:<port>` unless the request has its own, and a
/// `Content-Length` for a body unless the request sets `Transfer-Encoding`.
pub fn send(port: u16, req: &Request) -> Result<Response, String> {
    let mut head = format!("{} {} HTTP/1.1\r\n", req.method, req.target);
    if !req.custom_host {
        head.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for (k, v) in &req.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let chunked = req
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("transfer-encoding"));
    let mut body = Vec::new();
    if let Some(b) = &req.body {
        if chunked {
            body.extend_from_slice(format!("{:x}\r\n", b.len()).as_bytes());
            body.extend_from_slice(b);
            body.extend_from_slice(b"\r\n0\r\n\r\n");
        } else {
            head.push_str(&format!("Content-Length: {}\r\n", b.len()));
            body.extend_from_slice(b);
        }
    }
    head.push_str("Connection: close\r\n\r\n");
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect {port}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&body))
        .map_err(|e| format!("write: {e}"))?;
    let mut raw = Vec::new();
    // The server may close early (e.g. 431 before reading everything): keep what arrived.
    let _ = stream.read_to_end(&mut raw);
    parse(&raw, req.method == "HEAD").map_err(|e| format!("{} {}: {e}", req.method, req.target))
}

fn parse(raw: &[u8], head_only: bool) -> Result<Response, String> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no complete response head in {} bytes", raw.len()))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let rest = &raw[split + 4..];
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let body = if head_only {
        Vec::new()
    } else if chunked {
        dechunk(rest)?
    } else {
        rest.to_vec()
    };
    Ok(Response {
        status,
        headers,
        body,
        raw: raw.to_vec(),
    })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("chunk size line")?;
        let size_text = String::from_utf8_lossy(&data[..end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|e| format!("chunk size {size_text:?}: {e}"))?;
        data = &data[end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size + 2 {
            return Err("truncated chunk".into());
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// The CSP of Caddyfile.example with `frame-ancestors` = `glance`.
pub fn expected_csp(glance: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; frame-ancestors {glance}; base-uri 'none'; \
         form-action 'none'"
    )
}

/// The CSP of every answer under `/api/`: data only, never script, never framed.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; sandbox";

/// Is `target` (a request target) under `/api/` (matched case-insensitively, as Caddy does)?
pub fn is_api(target: &str) -> bool {
    let path = target
        .strip_prefix("http://")
        .map(|rest| rest.find('/').map_or("/", |i| &rest[i..]))
        .unwrap_or(target);
    path.len() >= 5 && path[..5].eq_ignore_ascii_case("/api/")
}

/// Problems with the security headers of `r`, the answer to `target` (empty = fine):
/// exactly one CSP (the widget's for pages, [`API_CSP`] under `/api/`; never
/// 'unsafe-inline'), nosniff, no-referrer, no X-Frame-Options, no Server, no CORS, no
/// Set-Cookie.
pub fn header_problems(r: &Response, glance: &str, target: &str) -> Vec<String> {
    let mut p = Vec::new();
    let csp = r.header_all("content-security-policy");
    let want = if is_api(target) {
        API_CSP.to_owned()
    } else {
        expected_csp(glance)
    };
    if csp != [want.as_str()] {
        p.push(format!("Content-Security-Policy {csp:?}"));
    }
    if csp.iter().any(|c| c.contains("unsafe-inline")) {
        p.push("CSP allows 'unsafe-inline'".into());
    }
    if r.header_all("x-content-type-options") != ["nosniff"] {
        p.push(format!(
            "X-Content-Type-Options {:?}",
            r.header_all("x-content-type-options")
        ));
    }
    if r.header_all("referrer-policy") != ["no-referrer"] {
        p.push(format!(
            "Referrer-Policy {:?}",
            r.header_all("referrer-policy")
        ));
    }
    for forbidden in [
        "x-frame-options",
        "server",
        "x-powered-by",
        "set-cookie",
        "access-control-allow-origin",
        "access-control-allow-credentials",
    ] {
        if !r.header_all(forbidden).is_empty() {
            p.push(format!("{forbidden}: {:?}", r.header_all(forbidden)));
        }
    }
    p
}

/// Where `needle` occurs in `hay`, if anywhere.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}
