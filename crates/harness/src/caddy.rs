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
