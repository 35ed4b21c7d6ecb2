//! Sans-IO request handling: a [`Request`] in, a [`Response`] out, per product.
//!
//! The HTTP layer (`server.rs`) only moves bytes, applies latency and runtime faults and
//! sleeps for [`Response::delay`]. Tests can call [`handle`] directly.

pub mod backrest;
pub mod databasement;
pub mod pbs;
pub mod pve;

use std::time::Duration;

use serde::Serialize;

use crate::scenario::Credentials;
use crate::util::query_pairs;
use crate::world::World;

/// The four simulated products.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Product {
    /// Proxmox Backup Server.
    Pbs,
    /// Proxmox VE.
    Pve,
    /// Databasement.
    Databasement,
    /// Backrest.
    Backrest,
}

impl Product {
    /// All products.
    pub const ALL: [Product; 4] = [
        Product::Pbs,
        Product::Pve,
        Product::Databasement,
        Product::Backrest,
    ];

    /// `pbs`, `pve`, `databasement`, `backrest`.
    pub fn key(self) -> &'static str {
        match self {
            Product::Pbs => "pbs",
            Product::Pve => "pve",
            Product::Databasement => "databasement",
            Product::Backrest => "backrest",
        }
    }

    /// Parses a key.
    pub fn from_key(key: &str) -> Option<Product> {
        Product::ALL.into_iter().find(|p| p.key() == key)
    }

    /// Served over TLS with a PBS-style certificate.
    pub fn tls(self) -> bool {
        matches!(self, Product::Pbs | Product::Pve)
    }
}

/// A received request, as the product sees it.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// Method (upper case).
    pub method: String,
    /// Path without the query string.
    pub path: String,
    /// Raw query string (without `?`).
    pub query: Option<String>,
    /// Headers in order (names lower case).
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Request {
    /// A GET of `path_and_query` with the given headers.
    pub fn get(path_and_query: &str, headers: &[(&str, &str)]) -> Request {
        let (path, query) = match path_and_query.split_once('?') {
            Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
            None => (path_and_query.to_owned(), None),
        };
        Request {
            method: "GET".into(),
            path,
            query,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), (*v).to_owned()))
                .collect(),
            body: Vec::new(),
        }
    }

    /// A POST with a JSON body.
    pub fn post_json(path: &str, body: &str, headers: &[(&str, &str)]) -> Request {
        let mut r = Request::get(path, headers);
        r.method = "POST".into();
        r.headers
            .push(("content-type".into(), "application/json".into()));
        r.body = body.as_bytes().to_vec();
        r
    }

    /// The first header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Decoded query pairs.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query.as_deref().map(query_pairs).unwrap_or_default()
    }

    /// The value of cookie `name`, if sent.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("cookie"))
            .flat_map(|(_, v)| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    }
}

/// A response to send.
#[derive(Clone, Debug)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// A non-standard reason phrase (PVE: `401 Authentication failed!`).
    pub reason: Option<String>,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
    /// Wait this long before answering (PBS/PVE authentication failures).
    pub delay: Duration,
    /// Close the connection after answering.
    pub close: bool,
}

impl Response {
    /// A response with a body and a content type (`None`: no Content-Type header).
    pub fn new(status: u16, content_type: Option<&str>, body: impl Into<Vec<u8>>) -> Response {
        let mut headers = Vec::new();
        if let Some(ct) = content_type {
            headers.push(("content-type".to_owned(), ct.to_owned()));
        }
        Response {
            status,
            reason: None,
            headers,
            body: body.into(),
            delay: Duration::ZERO,
            close: false,
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The Content-Type header, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What the handlers need besides the world.
#[derive(Clone, Debug)]
pub struct Env {
    /// Accepted credentials.
    pub credentials: Credentials,
    /// Delay of authentication failures (PBS and PVE: 3 s upstream).
    pub auth_delay: Duration,
}

/// Serializes to JSON text (never fails for our types).
pub fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}").into_bytes())
}

/// Handles one request for `product`.
pub fn handle(product: Product, world: &World, env: &Env, req: &Request) -> Response {
    match product {
        Product::Pbs => pbs::handle(&world.pbs, env, req),
        Product::Pve => pve::handle(&world.pve, &world.pbs, env, req),
        Product::Databasement => databasement::handle(&world.db, env, req),
        Product::Backrest => backrest::handle(&world.br, env, req),
    }
}
