//! The simulated homelab (`backwatch-sim`) as a child process, and [`Lab`]: the simulator
//! behind the real Caddy, wired exactly like a homelab (upstream URLs, pinned certificates,
//! TLS server names and token files as Vault Agent writes them).
//!
//! Nothing is built here: the binary is expected at `target/debug/backwatch-sim`
//! (`cargo xtask test` and `cargo xtask demo` run `cargo build -p backwatch-sim` first), or
//! wherever `BACKWATCH_SIM` or [`SimOptions::binary`] points.
//!
//! ```no_run
//! use backwatch_harness::sim::{Lab, SimOptions};
//!
//! let lab = Lab::start("example", SimOptions::at_test_now(), "")?;
//! let body = ureq::get(&lab.url("/api/pbs/api2/json/version")).call();
//! let seen = lab.sim.control.requests(Some("pbs"))?;
//! # Ok::<(), String>(())
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::Result;
use crate::caddy::{Caddy, CaddyOptions, SOURCES};
use crate::paths::{dist_dir, scratch_dir, target_dir};
use crate::process::Guard;

/// How to start the simulator.
#[derive(Clone, Debug, Default)]
pub struct SimOptions {
    /// Scenario file or built-in name (`adr-homelab`, `scale-10k`); `None` = the ADR homelab.
    pub scenario: Option<String>,
    /// `--now`: epoch seconds, RFC 3339, or `scenario` (the file's `lab.test_now`);
    /// `None` = the wall clock.
    pub now: Option<String>,
    /// `--latency` for every request.
    pub latency: Option<Duration>,
    /// `--auth-delay` (PBS/PVE 401 delay; 3 s when `None`).
    pub auth_delay: Option<Duration>,
    /// More command-line arguments (`--scale 300x35`, fixed ports, …).
    pub extra_args: Vec<String>,
    /// The binary (default: `BACKWATCH_SIM`, else `target/debug/backwatch-sim`).
    pub binary: Option<PathBuf>,
}

impl SimOptions {
    /// The ADR homelab at its documented test instant, with a short auth delay.
    pub fn at_test_now() -> SimOptions {
        SimOptions {
            now: Some("scenario".into()),
            auth_delay: Some(Duration::from_millis(200)),
            ..SimOptions::default()
        }
    }
}

/// Where and how to reach one simulated product.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upstream {
    /// Base URL (`https://127.0.0.1:port` for PBS and PVE).
    pub url: String,
    /// Certificate to pin (PBS, PVE).
    pub ca_file: Option<PathBuf>,
    /// TLS server name (PBS, PVE).
    pub server_name: Option<String>,
    /// What the token file holds (PBS `user@realm!name:secret`, PVE `…=secret`,
    /// Databasement the token, Backrest base64 of `user:pass`).
    pub token_file_content: String,
    /// The complete `Authorization` header value the product accepts.
    pub authorization: String,
}

/// One request as the simulator received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// Sequence number.
    pub seq: u64,
    /// `pbs`, `pve`, `databasement`, `backrest`.
    pub source: String,
    /// Method.
    pub method: String,
    /// Path without query.
    pub path: String,
    /// Raw query string.
    pub query: Option<String>,
    /// Every header, in order, names lower case.
    pub headers: Vec<(String, String)>,
    /// Body text.
    pub body: String,
}

impl Received {
    /// All values of header `name`.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The first value of header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_values(name).into_iter().next()
    }
}

/// A small client for the simulator's control API.
#[derive(Clone, Debug)]
pub struct Control {
    /// Base URL of the control API.
    pub base: String,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

impl Control {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let url = format!("{}{path}", self.base);
        let agent = agent();
        let resp = match (method, body) {
            ("GET", _) => agent.get(&url).call(),
            ("DELETE", _) => agent.delete(&url).call(),
            (_, Some(b)) => agent.post(&url).send_json(&b),
            (_, None) => agent.post(&url).send_empty(),
        }
        .map_err(|e| format!("control {method} {path}: {e}"))?;
        let status = resp.status().as_u16();
        let text = resp
            .into_body()
            .read_to_string()
            .map_err(|e| format!("control {method} {path}: {e}"))?;
        let value: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        if status >= 400 {
            return Err(format!("control {method} {path}: HTTP {status}: {value}"));
        }
        Ok(value)
    }

    /// Injects a fault, e.g. `json!({"source":"pbs","kind":"status","status":500})`.
    /// Kinds: `status`, `html`, `truncated`, `slow` (`ms`), `unauthorized`, `reset`;
    /// optional `path` prefix and `times`. Returns the fault id.
    pub fn inject_fault(&self, fault: Value) -> Result<u64> {
        let v = self.call("POST", "/faults", Some(fault))?;
        v.get("id")
            .and_then(Value::as_u64)
            .ok_or_else(|| format!("control: no fault id in {v}"))
    }

    /// Clears the faults of one source, or all.
    pub fn clear_faults(&self, source: Option<&str>) -> Result {
        let path = match source {
            Some(s) => format!("/faults?source={s}"),
            None => "/faults".into(),
        };
        self.call("DELETE", &path, None).map(drop)
    }

    /// Sets the latency (ms) of one source, or of all when `None`; 0 removes it.
    pub fn set_latency(&self, source: Option<&str>, ms: u64) -> Result {
        let mut body = json!({ "ms": ms });
        if let Some(s) = source {
            body["source"] = json!(s);
        }
        self.call("POST", "/latency", Some(body)).map(drop)
    }

    /// Moves the simulated clock (epoch seconds) and regenerates the homelab.
    pub fn set_now(&self, now: i64) -> Result {
        self.call("POST", "/clock", Some(json!({ "now": now })))
            .map(drop)
    }

    /// The requests received (oldest first), of one source or all.
    pub fn requests(&self, source: Option<&str>) -> Result<Vec<Received>> {
        let path = match source {
            Some(s) => format!("/requests?source={s}"),
            None => "/requests".into(),
        };
        let v = self.call("GET", &path, None)?;
        let items = v.as_array().cloned().unwrap_or_default();
        Ok(items
            .iter()
            .map(|e| Received {
                seq: e["seq"].as_u64().unwrap_or(0),
                source: e["source"].as_str().unwrap_or("").to_owned(),
                method: e["method"].as_str().unwrap_or("").to_owned(),
                path: e["path"].as_str().unwrap_or("").to_owned(),
                query: e["query"].as_str().map(str::to_owned),
                headers: e["headers"]
                    .as_array()
                    .map(|hs| {
                        hs.iter()
                            .filter_map(|h| {
                                Some((
                                    h.get(0)?.as_str()?.to_owned(),
                                    h.get(1)?.as_str()?.to_owned(),
                                ))
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                body: e["body"].as_str().unwrap_or("").to_owned(),
            })
            .collect())
    }

    /// Empties the request log.
    pub fn clear_requests(&self) -> Result {
        self.call("DELETE", "/requests", None).map(drop)
    }

    /// The scenario summary (services, planted problems).
    pub fn summary(&self) -> Result<String> {
        let v = self.call("GET", "/summary", None)?;
        Ok(v.as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| v.to_string()))
    }
}

/// A running simulator, stopped by PID when dropped.
pub struct Sim {
    /// Per source key (`pbs`, `pve`, `databasement`, `backrest`).
    pub upstreams: BTreeMap<String, Upstream>,
    /// The control API.
    pub control: Control,
    /// The simulated instant at start (epoch seconds).
    pub now: i64,
    /// `#now=<epoch>`: the URL fragment that makes the widget judge at the same instant.
    pub widget_fragment: String,
    /// The whole ready file.
    pub ready: Value,
    /// Scratch directory (ready file, certificates, log).
    pub dir: PathBuf,
    guard: Guard,
}

/// The simulator binary: `BACKWATCH_SIM`, else `target/debug/backwatch-sim`.
pub fn default_binary() -> PathBuf {
    std::env::var_os("BACKWATCH_SIM")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug").join("backwatch-sim"))
}

impl Sim {
    /// Starts the simulator in `target/e2e/<name>-sim/` and waits for its ready file.
    pub fn start(name: &str, options: SimOptions) -> Result<Sim> {
        let dir = scratch_dir(&format!("{name}-sim"))?;
        let binary = options.binary.clone().unwrap_or_else(default_binary);
        if !binary.is_file() {
            return Err(format!(
                "{} does not exist; run `cargo build -p backwatch-sim` first",
                binary.display()
            ));
        }
        let ready_path = dir.join("ready.json");
        let mut cmd = Command::new(&binary);
        cmd.arg("--ready-file").arg(&ready_path);
        cmd.arg("--state-dir").arg(&dir);
        if let Some(s) = &options.scenario {
            cmd.args(["--scenario", s]);
        }
        if let Some(n) = &options.now {
            cmd.args(["--now", n]);
        }
        if let Some(l) = options.latency {
            cmd.args(["--latency", &format!("{}ms", l.as_millis())]);
        }
        if let Some(d) = options.auth_delay {
            cmd.args(["--auth-delay", &format!("{}ms", d.as_millis())]);
        }
        cmd.args(&options.extra_args);
        let mut guard = Guard::spawn("backwatch-sim", &mut cmd, Some(&dir.join("sim.log")))?;
        let ready = wait_for_ready(&mut guard, &ready_path, Duration::from_secs(30))?;
        let mut upstreams = BTreeMap::new();
        for (key, v) in ready["sources"].as_object().into_iter().flatten() {
            upstreams.insert(
                key.clone(),
                Upstream {
                    url: v["url"].as_str().unwrap_or("").to_owned(),
                    ca_file: v["ca_file"].as_str().map(PathBuf::from),
                    server_name: v["server_name"].as_str().map(str::to_owned),
                    token_file_content: v["token_file_content"].as_str().unwrap_or("").to_owned(),
                    authorization: v["authorization"].as_str().unwrap_or("").to_owned(),
                },
            );
        }
        Ok(Sim {
            upstreams,
            control: Control {
                base: ready["control"].as_str().unwrap_or("").to_owned(),
            },
            now: ready["now"].as_i64().unwrap_or(0),
            widget_fragment: ready["widget_fragment"].as_str().unwrap_or("").to_owned(),
            ready,
            dir,
            guard,
        })
    }

    /// The upstream of a source key; `Err` names the missing key.
    pub fn upstream(&self, key: &str) -> Result<&Upstream> {
        self.upstreams
            .get(key)
            .ok_or_else(|| format!("the simulator has no source {key:?}"))
    }

    /// The end of the simulator's log.
    pub fn log_tail(&self) -> String {
        self.guard.log_tail()
    }

    /// Stops the simulator now.
    pub fn stop(self) -> String {
        self.guard.stop()
    }
}

fn wait_for_ready(guard: &mut Guard, path: &Path, timeout: Duration) -> Result<Value> {
    let deadline = Instant::now() + timeout;
    loop {
        guard.check_alive()?;
        if let Ok(text) = std::fs::read_to_string(path)
            && let Ok(v) = serde_json::from_str::<Value>(&text)
        {
            return Ok(v);
        }
        if Instant::now() > deadline {
            return Err(format!(
                "backwatch-sim wrote no ready file after {timeout:?}{}",
                guard.log_tail()
            ));
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// The simulator behind the real Caddy (`Caddyfile.example`), configured as a homelab:
/// upstream URLs, pinned certificates, TLS server names and token files from the
/// simulator's ready file.
pub struct Lab {
    // Dropped first: Caddy stops before the simulator.
    /// Caddy.
    pub caddy: Caddy,
    /// The simulator.
    pub sim: Sim,
}

/// Options of [`Lab::start_with`].
#[derive(Clone, Debug)]
pub struct LabOptions {
    /// Scratch name.
    pub name: String,
    /// The simulator.
    pub sim: SimOptions,
    /// The served `backwatch.toml`.
    pub config_toml: String,
    /// The widget to serve (default: `dist/`).
    pub dist: Option<PathBuf>,
    /// Caddy's port (default: a free one).
    pub port: Option<u16>,
}

impl Lab {
    /// Starts the simulator and Caddy in front of it.
    pub fn start(name: &str, sim: SimOptions, config_toml: &str) -> Result<Lab> {
        Lab::start_with(LabOptions {
            name: name.to_owned(),
            sim,
            config_toml: config_toml.to_owned(),
            dist: None,
            port: None,
        })
    }

    /// [`Lab::start`] with every option.
    pub fn start_with(options: LabOptions) -> Result<Lab> {
        let sim = Sim::start(&options.name, options.sim)?;
        let mut caddy = CaddyOptions::new(&options.name, &options.config_toml);
        caddy.dist = options.dist.unwrap_or_else(dist_dir);
        caddy.port = options.port;
        for (key, prefix) in SOURCES {
            let up = sim.upstream(key)?;
            caddy
                .tokens
                .insert((*key).to_owned(), up.token_file_content.clone());
            caddy
                .env
                .insert(format!("{prefix}_UPSTREAM"), up.url.clone());
            if let Some(ca) = &up.ca_file {
                caddy
                    .env
                    .insert(format!("{prefix}_CA_FILE"), ca.display().to_string());
            }
            if let Some(name) = &up.server_name {
                caddy
                    .env
                    .insert(format!("{prefix}_SERVER_NAME"), name.clone());
            }
        }
        let caddy = Caddy::start(caddy).map_err(|e| format!("{e}{}", sim.log_tail()))?;
        Ok(Lab { caddy, sim })
    }

    /// `http://127.0.0.1:<caddy port><path>`.
    pub fn url(&self, path: &str) -> String {
        self.caddy.url(path)
    }

    /// The widget URL with the simulator's instant in the fragment (`/#now=<epoch>`).
    pub fn widget_url(&self) -> String {
        self.caddy.url(&format!("/{}", self.sim.widget_fragment))
    }

    /// Stops Caddy, then the simulator; reports how.
    pub fn stop(self) -> String {
        let Lab { caddy, sim } = self;
        format!("{}\n{}", caddy.stop(), sim.stop())
    }
}
