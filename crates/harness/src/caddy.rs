//! The real Caddy running the repository's `Caddyfile.example`, on loopback.
//!
//! Only what a deployment changes anyway is changed, through the environment the example
//! reads: the site address, upstream addresses, token files (written as Vault Agent writes
//! them: to a temporary file, then renamed, mode 0640) and certificate files.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::Result;
use crate::paths::{dist_dir, path_with_tools, repo_root, scratch_dir, which};
use crate::ports::free_port;
use crate::process::Guard;

/// The four proxied source kinds of the example, with their environment prefix.
pub const SOURCES: &[(&str, &str)] = &[
    ("pbs", "PBS"),
    ("pve", "PVE"),
    ("databasement", "DATABASEMENT"),
    ("backrest", "BACKREST"),
];

/// How to run Caddy.
#[derive(Clone, Debug)]
pub struct CaddyOptions {
    /// Scratch directory name under `target/e2e/`.
    pub name: String,
    /// The built widget to serve.
    pub dist: PathBuf,
    /// Contents of the served `backwatch.toml`.
    pub config_toml: String,
    /// Token file contents per source kind key (`pbs`, `pve`, …).
    pub tokens: BTreeMap<String, String>,
    /// Extra/overriding environment (upstream URLs, CA files, server names, GLANCE_ORIGIN).
    pub env: BTreeMap<String, String>,
    /// Port to listen on; a free one when `None`.
    pub port: Option<u16>,
}

impl CaddyOptions {
    /// Serve `dist_dir()` with this configuration; upstreams unset (502 on the API paths).
    pub fn new(name: &str, config_toml: &str) -> CaddyOptions {
        CaddyOptions {
            name: name.to_owned(),
            dist: dist_dir(),
            config_toml: config_toml.to_owned(),
            tokens: BTreeMap::new(),
            env: BTreeMap::new(),
            port: None,
        }
    }
}

/// A running Caddy; stopped by PID when dropped.
pub struct Caddy {
    pub port: u16,
    pub dir: PathBuf,
    guard: Guard,
}

/// Write `content` to `path` the way Vault Agent does: temporary file, then rename.
pub fn write_atomically(path: &Path, content: &str, mode: u32) -> Result {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, content).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(mode))
        .map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}

impl Caddy {
    /// Start Caddy and wait until it listens.
    pub fn start(options: CaddyOptions) -> Result<Caddy> {
        let dir = scratch_dir(&options.name)?;
        if !options.dist.join("index.html").is_file() {
            return Err(format!(
                "{} has no index.html; run `cargo xtask build` first",
                options.dist.display()
            ));
        }
        let config_dir = dir.join("config");
        let secrets = dir.join("secrets");
        for d in [&config_dir, &secrets, &dir.join("caddy-home")] {
            std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
        }
        write_atomically(
            &config_dir.join("backwatch.toml"),
            &options.config_toml,
            0o644,
        )?;

        let port = match options.port {
            Some(p) => p,
            None => free_port()?,
        };
        let dummy_pem = repo_root()
            .join("tests")
            .join("data")
            .join("dummy-upstream.pem");
        let mut env: BTreeMap<String, String> = BTreeMap::new();
        let mut set = |k: &str, v: String| {
            env.insert(k.to_owned(), v);
        };
        set("BACKWATCH_SITE", format!("http://127.0.0.1:{port}"));
        set("BACKWATCH_BIND", "127.0.0.1".into());
        set("BACKWATCH_ADMIN", "off".into());
        set("BACKWATCH_DIST", options.dist.display().to_string());
        set("BACKWATCH_CONFIG_DIR", config_dir.display().to_string());
        for (key, prefix) in SOURCES {
            let token_file = secrets.join(key);
            let content = options.tokens.get(*key).cloned().unwrap_or_default();
            write_atomically(&token_file, &content, 0o640)?;
            set(
                &format!("{prefix}_TOKEN_FILE"),
                token_file.display().to_string(),
            );
            // Unset upstreams point at the discard port: connection refused, 502. PBS and
            // PVE upstreams are HTTPS with a pinned certificate, as in production.
            let scheme = if matches!(*key, "pbs" | "pve") {
                "https"
            } else {
                "http"
            };
            set(
                &format!("{prefix}_UPSTREAM"),
                format!("{scheme}://127.0.0.1:9"),
            );
            set(
                &format!("{prefix}_CA_FILE"),
                dummy_pem.display().to_string(),
            );
        }
        for (k, v) in &options.env {
            set(k, v.clone());
        }

        let caddy = which("caddy")?;
        let mut cmd = Command::new(&caddy);
        cmd.args(["run", "--adapter", "caddyfile", "--config"])
            .arg(repo_root().join("Caddyfile.example"))
            .env("PATH", path_with_tools())
            .env("XDG_CONFIG_HOME", dir.join("caddy-home"))
            .env("XDG_DATA_HOME", dir.join("caddy-home"))
            .envs(&env);
        let mut guard = Guard::spawn("caddy", &mut cmd, Some(&dir.join("caddy.log")))?;
        if let Err(e) = guard.wait_for_port(&format!("127.0.0.1:{port}"), Duration::from_secs(20)) {
            // `caddy run` exits 1 without saying why when the Caddyfile does not adapt;
            // `caddy adapt` with the same environment names the problem.
            let adapt = Command::new(&caddy)
                .args(["adapt", "--adapter", "caddyfile", "--config"])
                .arg(repo_root().join("Caddyfile.example"))
                .envs(&env)
                .output();
            let why = adapt
                .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
                .unwrap_or_default();
            return Err(format!(
                "{e}
--- caddy adapt ---
{}",
                why.trim()
            ));
        }
        Ok(Caddy { port, dir, guard })
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Replace a token file (as a rotation by Vault Agent would).
    pub fn write_token(&self, kind: &str, content: &str) -> Result {
        write_atomically(&self.dir.join("secrets").join(kind), content, 0o640)
    }

    /// Replace the served `backwatch.toml`.
    pub fn write_config(&self, text: &str) -> Result {
        write_atomically(&self.dir.join("config").join("backwatch.toml"), text, 0o644)
    }

    /// The last lines of Caddy's log.
    pub fn log_tail(&self) -> String {
        self.guard.log_tail()
    }

    /// Stop Caddy now.
    pub fn stop(self) -> String {
        self.guard.stop()
    }
}

/// One request as an upstream received it (from the recorder's access log).
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    /// Path and query exactly as received (still percent-encoded).
    pub uri: String,
    /// The Host header the upstream saw.
    pub host: String,
    /// Every other header, names as sent (canonical case), values in order.
    pub headers: BTreeMap<String, Vec<String>>,
}

impl Received {
    /// All values of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .flat_map(|(_, v)| v.clone())
            .collect()
    }
}

/// Fake upstreams that record what they receive: a second Caddy with one site per source
/// kind (PBS and PVE over HTTPS with a PBS-shaped self-signed certificate, Databasement and
/// Backrest over HTTP), each logging every request with all its headers (credentials
/// included: `log_credentials`) and answering `{"data":[]}` with hostile response headers
/// (CORS `*`, `Set-Cookie`, `Server`, `X-Frame-Options: DENY`, a permissive CSP) that the
/// gate must strip or override.
pub struct RecordingUpstreams {
    /// Port per source kind key (`pbs`, `pve`, `databasement`, `backrest`).
    pub ports: BTreeMap<String, u16>,
    /// The upstream certificate (PEM), to pin in the gate.
    pub cert: PathBuf,
    pub dir: PathBuf,
    guard: Guard,
}

impl RecordingUpstreams {
    /// Start the recorder. The certificate is made with `openssl` (CA:FALSE leaf, EKU
    /// serverAuth, SANs `pbs`, `pve`, `localhost`, `127.0.0.1`: the shape of PBS's own).
    pub fn start(name: &str) -> Result<RecordingUpstreams> {
        let dir = scratch_dir(&format!("{name}-upstreams"))?;
        let cert = dir.join("upstream.pem");
        let key = dir.join("upstream.key");
        let status = Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=pbs",
                "-addext",
                "subjectAltName=DNS:pbs,DNS:pve,DNS:localhost,IP:127.0.0.1",
                "-addext",
                "basicConstraints=critical,CA:FALSE",
                "-addext",
                "extendedKeyUsage=serverAuth",
                "-keyout",
            ])
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .output()
            .map_err(|e| format!("openssl (needed for the upstream certificate): {e}"))?;
        if !status.status.success() {
            return Err(format!(
                "openssl req failed: {}",
                String::from_utf8_lossy(&status.stderr)
            ));
        }
        let mut ports = BTreeMap::new();
        let mut sites = String::new();
        for (kind, _) in SOURCES {
            let port = free_port()?;
            ports.insert((*kind).to_owned(), port);
            let log = dir.join(format!("{kind}.log"));
            let (address, tls) = if matches!(*kind, "pbs" | "pve") {
                (
                    format!("https://:{port}"),
                    format!("\ttls {} {}\n", cert.display(), key.display()),
                )
            } else {
                (format!("http://:{port}"), String::new())
            };
            sites.push_str(&format!(
                "{address} {{\n{tls}\tlog {{\n\t\toutput file {}\n\t\tformat json\n\t}}\n\timport reply\n}}\n",
                log.display()
            ));
        }
        let caddyfile = format!(
            "{{\n\tadmin off\n\tpersist_config off\n\tdefault_bind 127.0.0.1\n\tservers {{\n\t\tlog_credentials\n\t}}\n}}\n\
             (reply) {{\n\theader {{\n\t\tAccess-Control-Allow-Origin *\n\t\tAccess-Control-Allow-Credentials true\n\
             \t\tSet-Cookie \"PBSAuthCookie=from-upstream; Path=/\"\n\t\tServer upstream-server\n\
             \t\tX-Powered-By upstream\n\t\tX-Frame-Options DENY\n\t\tContent-Security-Policy \"default-src *\"\n\t}}\n\
             \trespond `{{\"data\":[]}}` 200\n}}\n{sites}"
        );
        let config = dir.join("Caddyfile");
        std::fs::write(&config, caddyfile).map_err(|e| format!("{}: {e}", config.display()))?;
        let mut cmd = Command::new(which("caddy")?);
        cmd.args(["run", "--adapter", "caddyfile", "--config"])
            .arg(&config)
            .env("XDG_CONFIG_HOME", dir.join("caddy-home"))
            .env("XDG_DATA_HOME", dir.join("caddy-home"));
        let mut guard = Guard::spawn(
            "recording upstreams",
            &mut cmd,
            Some(&dir.join("caddy.log")),
        )?;
        for port in ports.values() {
            guard.wait_for_port(&format!("127.0.0.1:{port}"), Duration::from_secs(20))?;
        }
        Ok(RecordingUpstreams {
            ports,
            cert,
            dir,
            guard,
        })
    }

    /// The environment that points `Caddyfile.example` at these upstreams, pinning the
    /// certificate with the TLS server names `pbs` and `pve`.
    pub fn env(&self) -> BTreeMap<String, String> {
        let mut env = BTreeMap::new();
        for (kind, prefix) in SOURCES {
            let port = self.ports[*kind];
            let scheme = if matches!(*kind, "pbs" | "pve") {
                env.insert(format!("{prefix}_CA_FILE"), self.cert.display().to_string());
                env.insert(format!("{prefix}_SERVER_NAME"), (*kind).to_owned());
                "https"
            } else {
                "http"
            };
            env.insert(
                format!("{prefix}_UPSTREAM"),
                format!("{scheme}://127.0.0.1:{port}"),
            );
        }
        env
    }

    /// Everything source `kind` has received so far, in order.
    pub fn received(&self, kind: &str) -> Result<Vec<Received>> {
        let path = self.dir.join(format!("{kind}.log"));
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        let mut out = Vec::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format!("{}: {e}", path.display()))?;
            let Some(req) = v.get("request") else {
                continue;
            };
            let s = |k: &str| {
                req.get(k)
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let mut headers = BTreeMap::new();
            if let Some(map) = req.get("headers").and_then(serde_json::Value::as_object) {
                for (k, vals) in map {
                    let vals = vals
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default();
                    headers.insert(k.clone(), vals);
                }
            }
            out.push(Received {
                method: s("method"),
                uri: s("uri"),
                host: s("host"),
                headers,
            });
        }
        Ok(out)
    }

    /// The last lines of the recorder's own log.
    pub fn log_tail(&self) -> String {
        self.guard.log_tail()
    }
}
