//! The listeners: one per product (PBS and PVE over TLS) and the control API, all on
//! loopback; shared state with the world, runtime faults, latency and the request log.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde::Serialize;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::api::{self, Env, Product, Request, Response};
use crate::faults::{self, Fault, FaultKind};
use crate::scenario::{FaultSpec, Scenario};
use crate::util::{base64_encode, parse_instant, rfc3339};
use crate::world::World;

/// Largest request body accepted (bigger: 413).
const MAX_BODY: usize = 1 << 20;

/// How the simulated clock runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// Always this instant (`--now`).
    Fixed(i64),
    /// The wall clock; the world is regenerated when it is a minute old.
    Wall,
}

/// One received request, as the control API reports it.
#[derive(Clone, Debug, Serialize)]
pub struct LogEntry {
    /// Sequence number (1, 2, …), never reused, even after clearing.
    pub seq: u64,
    /// Receiving listener.
    pub source: Product,
    /// Wall-clock receive time (epoch milliseconds).
    pub at_ms: u128,
    /// Method.
    pub method: String,
    /// Path (without query).
    pub path: String,
    /// Raw query string.
    pub query: Option<String>,
    /// Every header in received order (names lower case).
    pub headers: Vec<(String, String)>,
    /// Body as text (lossy UTF-8).
    pub body: String,
}

/// Shared simulator state.
pub struct State {
    /// The scenario.
    pub scenario: Scenario,
    /// Credentials and auth delay.
    pub env: Env,
    clock: Mutex<Clock>,
    world: RwLock<Arc<World>>,
    faults: Mutex<Vec<Fault>>,
    next_fault: AtomicU64,
    latency: Mutex<BTreeMap<String, u64>>,
    log: Mutex<Vec<LogEntry>>,
    seq: AtomicU64,
    /// The ready-file document (filled once listening).
    pub info: Mutex<Value>,
}

fn wall_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl State {
    /// New state; generates the world for the clock's instant.
    pub fn new(scenario: Scenario, clock: Clock, env: Env, latency_ms: u64) -> Arc<State> {
        let now = match clock {
            Clock::Fixed(t) => t,
            Clock::Wall => wall_now(),
        };
        let world = World::generate(&scenario, now);
        let mut faults = Vec::new();
        let mut id = 1;
        for spec in &scenario.faults {
            if let Ok(mut f) = Fault::from_spec(spec.clone()) {
                f.id = id;
                id += 1;
                faults.push(f);
            }
        }
        let mut latency = BTreeMap::new();
        if latency_ms > 0 {
            latency.insert("*".to_owned(), latency_ms);
        }
        Arc::new(State {
            scenario,
            env,
            clock: Mutex::new(clock),
            world: RwLock::new(Arc::new(world)),
            faults: Mutex::new(faults),
            next_fault: AtomicU64::new(id),
            latency: Mutex::new(latency),
            log: Mutex::new(Vec::new()),
            seq: AtomicU64::new(0),
            info: Mutex::new(Value::Null),
        })
    }

    /// The world now (regenerated first when the wall clock moved on a minute).
    pub fn world(&self) -> Arc<World> {
        let clock = *lock(&self.clock);
        let current = self
            .world
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        if clock == Clock::Wall {
            let now = wall_now();
            if now - current.now >= 60 {
                let fresh = Arc::new(World::generate(&self.scenario, now));
                *self
                    .world
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = fresh.clone();
                return fresh;
            }
        }
        current
    }

    /// Sets the clock and regenerates the world.
    pub fn set_clock(&self, clock: Clock) -> i64 {
        *lock(&self.clock) = clock;
        let now = match clock {
            Clock::Fixed(t) => t,
            Clock::Wall => wall_now(),
        };
        *self
            .world
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            Arc::new(World::generate(&self.scenario, now));
        now
    }

    /// The current clock.
    pub fn clock(&self) -> Clock {
        *lock(&self.clock)
    }

    fn record(&self, source: Product, req: &Request) {
        let seq = self.seq.fetch_add(1, Ordering::SeqCst) + 1;
        let at_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        lock(&self.log).push(LogEntry {
            seq,
            source,
            at_ms,
            method: req.method.clone(),
            path: req.path.clone(),
            query: req.query.clone(),
            headers: req.headers.clone(),
            body: String::from_utf8_lossy(&req.body).into_owned(),
        });
    }

    fn take_fault(&self, source: Product, path: &str) -> Option<FaultKind> {
        let mut faults = lock(&self.faults);
        let i = faults.iter().position(|f| f.matches(source, path))?;
        let kind = faults[i].kind.clone();
        if let Some(t) = &mut faults[i].times {
            *t = t.saturating_sub(1);
            if *t == 0 {
                faults.remove(i);
            }
        }
        Some(kind)
    }

    fn latency_for(&self, source: Product) -> u64 {
        let l = lock(&self.latency);
        l.get(source.key())
            .or_else(|| l.get("*"))
            .copied()
            .unwrap_or(0)
    }

    /// Adds a fault; returns its id.
    pub fn add_fault(&self, spec: FaultSpec) -> Result<u64, String> {
        let mut f = Fault::from_spec(spec)?;
        f.id = self.next_fault.fetch_add(1, Ordering::SeqCst);
        let id = f.id;
        lock(&self.faults).push(f);
        Ok(id)
    }

    /// Removes faults (all, of a source, or one id); returns how many.
    pub fn clear_faults(&self, source: Option<Product>, id: Option<u64>) -> usize {
        let mut faults = lock(&self.faults);
        let before = faults.len();
        faults.retain(|f| !(source.is_none_or(|s| s == f.source) && id.is_none_or(|i| i == f.id)));
        before - faults.len()
    }
}

/// Handles one request for a product listener, sans IO except sleeping.
pub async fn respond(state: &State, source: Product, req: Request) -> Option<Response> {
    state.record(source, &req);
    let latency = state.latency_for(source);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let fault = state.take_fault(source, &req.path);
    let world = state.world();
    let normal = |req: &Request| api::handle(source, &world, &state.env, req);
    let resp = match fault {
        None => normal(&req),
        Some(FaultKind::Slow { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            normal(&req)
        }
        Some(FaultKind::Reset) => return None,
        Some(FaultKind::Unauthorized) => match source {
            Product::Pbs => api::pbs::unauthorized(&state.env),
            Product::Pve => api::pve::unauthorized(&state.env),
            Product::Databasement => api::databasement::unauthorized(&world.db, &req),
            Product::Backrest => api::backrest::unauthorized("Unauthorized (Bad Token)"),
        },
        Some(FaultKind::Status { status, body }) => {
            faults::status_response(source, status, body.as_deref())
        }
        Some(FaultKind::Html { status }) => faults::html_response(status),
        Some(FaultKind::Truncated) => faults::truncate(normal(&req)),
        Some(FaultKind::Huge { mb }) => faults::huge_response(mb),
    };
    if !resp.delay.is_zero() {
        tokio::time::sleep(resp.delay).await;
    }
    Some(resp)
}

fn to_hyper(resp: Response) -> hyper::Response<Full<Bytes>> {
    let mut b = hyper::Response::builder().status(resp.status);
    for (k, v) in &resp.headers {
        b = b.header(k.as_str(), v.as_str());
    }
    if resp.close {
        b = b.header("connection", "close");
    }
    let mut r = b
        .body(Full::new(Bytes::from(resp.body)))
        .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::new())));
    if let Some(reason) = resp.reason
        && let Ok(p) = hyper::ext::ReasonPhrase::try_from(reason.into_bytes())
    {
        r.extensions_mut().insert(p);
    }
    r
}

async fn read_request(req: hyper::Request<Incoming>) -> Result<Request, Response> {
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(b) => b.to_bytes().to_vec(),
        Err(_) => {
            return Err(Response::new(
                413,
                Some("text/plain"),
                "request body too large",
            ));
        }
    };
    Ok(Request {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    })
}

/// Error of a connection that is reset on purpose (a `reset` fault).
#[derive(Debug)]
struct ResetOnPurpose;
impl std::fmt::Display for ResetOnPurpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by a fault")
    }
}
impl std::error::Error for ResetOnPurpose {}

async fn serve_product<S>(state: Arc<State>, source: Product, io: S)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let svc = service_fn(move |req: hyper::Request<Incoming>| {
        let state = state.clone();
        async move {
            let req = match read_request(req).await {
                Ok(r) => r,
                Err(resp) => return Ok(to_hyper(resp)),
            };
            match respond(&state, source, req).await {
                Some(resp) => Ok(to_hyper(resp)),
                None => Err(ResetOnPurpose),
            }
        }
    });
    let _ = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(io), svc)
        .await;
}

/// Binds `addr` (port 0 = any free port).
pub async fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, String> {
    TcpListener::bind(SocketAddr::new(ip, port))
        .await
        .map_err(|e| format!("bind {ip}:{port}: {e}"))
}

/// Accepts connections for a product forever.
pub async fn accept_product(
    state: Arc<State>,
    source: Product,
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let state = state.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                Some(acceptor) => {
                    if let Ok(s) = acceptor.accept(stream).await {
                        serve_product(state, source, s).await;
                    }
                }
                None => serve_product(state, source, stream).await,
            }
        });
    }
}

// ---- control API -------------------------------------------------------------------------

fn control_json(status: u16, v: &Value) -> Response {
    Response::new(
        status,
        Some("application/json"),
        serde_json::to_vec_pretty(v).unwrap_or_default(),
    )
}

fn control_error(status: u16, message: &str) -> Response {
    control_json(status, &json!({ "error": message }))
}

/// Handles a control API request.
pub fn control(state: &State, req: &Request) -> Response {
    let pairs = req.query_pairs();
    let q = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let body: Value = if req.body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(v) => v,
            Err(e) => return control_error(400, &format!("body is not JSON: {e}")),
        }
    };
    let source_param = |v: Option<String>| -> Result<Option<Product>, Response> {
        match v {
            None => Ok(None),
            Some(s) => Product::from_key(&s)
                .map(Some)
                .ok_or_else(|| control_error(400, &format!("unknown source {s:?}"))),
        }
    };
    match (req.method.as_str(), req.path.trim_end_matches('/')) {
        ("GET", "/health") => control_json(200, &json!({ "ok": true, "now": state.world().now })),
        ("GET", "/info") => control_json(200, &lock(&state.info).clone()),
        ("GET", "/summary") => Response::new(
            200,
            Some("text/plain; charset=utf-8"),
            crate::summary::text(&state.scenario, &state.world()),
        ),
        ("GET", "/faults") => control_json(
            200,
            &serde_json::to_value(&*lock(&state.faults)).unwrap_or_default(),
        ),
        ("POST", "/faults") => {
            let spec: FaultSpec = match serde_json::from_value(body) {
                Ok(s) => s,
                Err(e) => return control_error(400, &format!("fault: {e}")),
            };
            match state.add_fault(spec) {
                Ok(id) => control_json(201, &json!({ "id": id })),
                Err(e) => control_error(400, &e),
            }
        }
        ("DELETE", "/faults") | ("POST", "/faults/clear") => {
            let source = match source_param(q("source").or_else(|| {
                body.get("source")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })) {
                Ok(s) => s,
                Err(r) => return r,
            };
            let id = q("id")
                .and_then(|i| i.parse().ok())
                .or_else(|| body.get("id").and_then(Value::as_u64));
            let n = state.clear_faults(source, id);
            control_json(200, &json!({ "cleared": n }))
        }
        ("GET", "/latency") => control_json(
            200,
            &serde_json::to_value(&*lock(&state.latency)).unwrap_or_default(),
        ),
        ("POST", "/latency") => {
            let Some(ms) = body.get("ms").and_then(Value::as_u64) else {
                return control_error(400, "latency needs {\"ms\": N} (and optionally \"source\")");
            };
            let key = match body.get("source").and_then(Value::as_str) {
                None => "*".to_owned(),
                Some(s) => match Product::from_key(s) {
                    Some(p) => p.key().to_owned(),
                    None => return control_error(400, &format!("unknown source {s:?}")),
                },
            };
            let mut l = lock(&state.latency);
            if ms == 0 {
                l.remove(&key);
            } else {
                l.insert(key, ms);
            }
            control_json(200, &serde_json::to_value(&*l).unwrap_or_default())
        }
        ("GET", "/requests") => {
            let source = match source_param(q("source")) {
                Ok(s) => s,
                Err(r) => return r,
            };
            let since: u64 = q("since").and_then(|s| s.parse().ok()).unwrap_or(0);
            let log = lock(&state.log);
            let items: Vec<&LogEntry> = log
                .iter()
                .filter(|e| e.seq > since && source.is_none_or(|s| s == e.source))
                .collect();
            control_json(200, &serde_json::to_value(items).unwrap_or_default())
        }
        ("DELETE", "/requests") | ("POST", "/requests/clear") => {
            let mut log = lock(&state.log);
            let n = log.len();
            log.clear();
            control_json(200, &json!({ "cleared": n }))
        }
        ("GET", "/clock") => {
            let w = state.world();
            control_json(
                200,
                &json!({ "now": w.now, "rfc3339": rfc3339(w.now), "fixed": matches!(state.clock(), Clock::Fixed(_)) }),
            )
        }
        ("POST", "/clock") => {
            let clock = match body.get("now") {
                Some(Value::String(s)) if s == "wall" => Clock::Wall,
                Some(Value::String(s)) => match parse_instant(s) {
                    Ok(t) => Clock::Fixed(t),
                    Err(e) => return control_error(400, &e),
                },
                Some(Value::Number(n)) => match n.as_i64() {
                    Some(t) => Clock::Fixed(t),
                    None => return control_error(400, "now must be an integer epoch"),
                },
                _ => {
                    return control_error(
                        400,
                        "clock needs {\"now\": <epoch | RFC 3339 | \"wall\">}",
                    );
                }
            };
            let now = state.set_clock(clock);
            control_json(200, &json!({ "now": now, "rfc3339": rfc3339(now) }))
        }
        _ => control_error(
            404,
            &format!("no control route {} {}", req.method, req.path),
        ),
    }
}

/// Accepts control connections forever.
pub async fn accept_control(state: Arc<State>, listener: TcpListener) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let state = state.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |req: hyper::Request<Incoming>| {
                let state = state.clone();
                async move {
                    let resp = match read_request(req).await {
                        Ok(r) => control(&state, &r),
                        Err(resp) => resp,
                    };
                    Ok::<_, Infallible>(to_hyper(resp))
                }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}

/// What a product listener needs to be reached through a proxy.
#[derive(Clone, Debug, Serialize)]
pub struct Upstream {
    /// Base URL.
    pub url: String,
    /// PEM of the pinned certificate (TLS products).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
    /// TLS server name to verify (TLS products).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_name: Option<String>,
    /// What a token file holds for this product (as Vault Agent writes it).
    pub token_file_content: String,
    /// The full `Authorization` header value the product accepts.
    pub authorization: String,
}

/// The token-file content and the Authorization header for a product.
pub fn credentials_for(product: Product, env: &Env) -> (String, String) {
    let c = &env.credentials;
    match product {
        Product::Pbs => (c.pbs.clone(), format!("PBSAPIToken={}", c.pbs)),
        Product::Pve => (c.pve.clone(), format!("PVEAPIToken={}", c.pve)),
        Product::Databasement => (c.databasement.clone(), format!("Bearer {}", c.databasement)),
        Product::Backrest => {
            let b = base64_encode(c.backrest.as_bytes());
            (b.clone(), format!("Basic {b}"))
        }
    }
}
