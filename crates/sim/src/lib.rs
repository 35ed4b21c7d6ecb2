//! backwatch-sim: a schema-exact simulated homelab on loopback.
//!
//! Proxmox Backup Server and Proxmox VE (HTTPS with PBS-style self-signed certificates),
//! Databasement and Backrest (HTTP), each on its own listener as Caddy would proxy to them,
//! plus a control API for runtime faults, latency, the clock and the request log.
//!
//! - [`scenario`]: the TOML scenario (homelab, schedules, planted problems).
//! - [`world`]: the homelab at an instant, generated from the scenario with the core
//!   schedule engine. Pure: same scenario and `now`, same bytes.
//! - [`api`]: sans-IO handlers per product (what each endpoint answers).
//! - [`server`]: listeners, TLS, faults, latency, the request log, the control API.
//!
//! `docs/simulator.md` documents the scenario format, the CLI, the control API and the
//! ready file.

pub mod api;
pub mod faults;
pub mod scenario;
pub mod server;
pub mod summary;
pub mod tls;
pub mod util;
pub mod world;

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio_rustls::TlsAcceptor;

use crate::api::{Env, Product};
use crate::scenario::Scenario;
use crate::server::{Clock, State, Upstream, credentials_for};
use crate::util::rfc3339;

/// How to start the simulator.
#[derive(Clone, Debug)]
pub struct Options {
    /// The scenario.
    pub scenario: Scenario,
    /// Fixed or wall clock.
    pub clock: Clock,
    /// Loopback address to bind.
    pub bind: IpAddr,
    /// Ports per product (0 = any free port).
    pub ports: [(Product, u16); 4],
    /// Control API port (0 = any).
    pub control_port: u16,
    /// Latency added to every product request.
    pub latency: Duration,
    /// Delay of PBS/PVE authentication failures.
    pub auth_delay: Duration,
    /// Where the certificates are written.
    pub state_dir: PathBuf,
    /// Where the ready file is written once listening.
    pub ready_file: Option<PathBuf>,
}

/// A started simulator.
pub struct Started {
    /// Shared state (world, faults, log).
    pub state: Arc<State>,
    /// The ready-file document.
    pub info: Value,
}

/// Checks that an address is loopback: the simulator never listens elsewhere.
pub fn check_loopback(ip: IpAddr) -> Result<(), String> {
    if ip.is_loopback() {
        Ok(())
    } else {
        Err(format!(
            "refusing to bind {ip}: only loopback addresses are allowed"
        ))
    }
}

/// Binds every listener, writes the certificates and the ready file, and serves in the
/// background on the current tokio runtime.
pub async fn start(opts: Options) -> Result<Started, String> {
    check_loopback(opts.bind)?;
    std::fs::create_dir_all(&opts.state_dir)
        .map_err(|e| format!("{}: {e}", opts.state_dir.display()))?;
    let env = Env {
        credentials: opts.scenario.credentials.clone(),
        auth_delay: opts.auth_delay,
    };
    let test_now = opts.scenario.test_now()?;
    let state = State::new(
        opts.scenario.clone(),
        opts.clock,
        env.clone(),
        opts.latency.as_millis() as u64,
    );
    let host = match opts.bind {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let mut sources = serde_json::Map::new();
    for (product, port) in opts.ports {
        let listener = server::bind(opts.bind, port).await?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let (token_file_content, authorization) = credentials_for(product, &env);
        let (tls, ca_file, server_name) = if product.tls() {
            let node = match product {
                Product::Pbs => opts.scenario.pbs.node.clone(),
                _ => opts
                    .scenario
                    .pve
                    .nodes
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "pve1".into()),
            };
            let pem = opts.state_dir.join(format!("{}.pem", product.key()));
            let org = if product == Product::Pbs {
                "Proxmox Backup Server"
            } else {
                "PVE Cluster Node"
            };
            let cert = tls::generate(&node, org, &pem)?;
            (Some(TlsAcceptor::from(cert.config)), Some(pem), Some(node))
        } else {
            (None, None, None)
        };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let upstream = Upstream {
            url: format!("{scheme}://{host}:{port}"),
            ca_file,
            server_name,
            token_file_content,
            authorization,
        };
        sources.insert(
            product.key().to_owned(),
            serde_json::to_value(&upstream).map_err(|e| e.to_string())?,
        );
        tokio::spawn(server::accept_product(
            state.clone(),
            product,
            listener,
            tls,
        ));
    }
    let control = server::bind(opts.bind, opts.control_port).await?;
    let control_port = control.local_addr().map_err(|e| e.to_string())?.port();
    tokio::spawn(server::accept_control(state.clone(), control));
    let now = state.world().now;
    let info = json!({
        "pid": std::process::id(),
        "scenario": opts.scenario.lab.name,
        "now": now,
        "now_rfc3339": rfc3339(now),
        "clock": if matches!(opts.clock, Clock::Fixed(_)) { "fixed" } else { "wall" },
        "test_now": test_now,
        "widget_fragment": format!("#now={now}"),
        "auth_delay_ms": opts.auth_delay.as_millis() as u64,
        "latency_ms": opts.latency.as_millis() as u64,
        "control": format!("http://{host}:{control_port}"),
        "sources": Value::Object(sources),
    });
    *state
        .info
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = info.clone();
    if let Some(path) = &opts.ready_file {
        let tmp = path.with_extension("tmp");
        let text = serde_json::to_string_pretty(&info).map_err(|e| e.to_string())?;
        std::fs::write(&tmp, text).map_err(|e| format!("{}: {e}", tmp.display()))?;
        std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(Started { state, info })
}
