//! `cargo xtask test`: set up, then every check and test layer. This is what CI runs.
//!
//! Steps run in order and all run even when one fails (so one report shows every
//! problem); the summary at the end lists each with its time, and the exit code is 1 if
//! any failed.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::Result;
use crate::env::{command, output, root, run, which};
use crate::{dist, tools};

struct Step {
    name: &'static str,
    took: Duration,
    result: Result,
}

fn caddy_checks() -> Result {
    let caddy = which("caddy")?;
    let version = output(Command::new(&caddy).arg("version")).unwrap_or_default();
    let pins = tools::setup_pins()?;
    match (
        tools::version_triple(&version),
        tools::version_triple(&pins.caddy_min),
    ) {
        (Some(v), Some(min)) if v >= min => println!("caddy {version} (>= {})", pins.caddy_min),
        _ => {
            return Err(format!(
                "caddy {version:?} is older than {}",
                pins.caddy_min
            ));
        }
    }
    let example = root().join("Caddyfile.example");
    // `fmt --diff` echoes the whole file; show only changed lines, fail on any.
    let fmt = Command::new(&caddy)
        .arg("fmt")
        .arg("--diff")
        .arg(&example)
        .output()
        .map_err(|e| format!("caddy fmt: {e}"))?;
    let diff = String::from_utf8_lossy(&fmt.stdout);
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('-') || l.starts_with('+'))
        .collect();
    if !fmt.status.success() || !changed.is_empty() {
        return Err(format!(
            "Caddyfile.example is not caddy-formatted:\n{}",
            changed.join("\n")
        ));
    }
    println!("caddy fmt: Caddyfile.example is formatted");
    // validate provisions every module: the pinned-certificate files must exist, so point
    // them at a dummy PEM; token files may be missing (read per request).
    let pem = root().join("tests").join("data").join("dummy-upstream.pem");
    let home = root().join("target").join("caddy-validate");
    run(Command::new(&caddy)
        .args(["validate", "--adapter", "caddyfile", "--config"])
        .arg(&example)
        .env("PBS_CA_FILE", &pem)
        .env("PVE_CA_FILE", &pem)
        .env("XDG_CONFIG_HOME", &home)
        .env("XDG_DATA_HOME", &home))
}

fn wasm_browser_tests(tools: &tools::Tools) -> Result {
    run(command("cargo")
        .args([
            "test",
            "-p",
            "backwatch",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("CHROMEDRIVER", &tools.chromedriver)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120"))
}

/// Run everything; `args` may be `--no-browser` to skip the browser layers locally.
pub fn run_all(args: &[String]) -> Result {
    let started = Instant::now();
    let browsers = !args.iter().any(|a| a == "--no-browser");
    let tools = tools::setup()?;
    let mut steps: Vec<Step> = Vec::new();
    let mut step = |name: &'static str, f: &mut dyn FnMut() -> Result| {
        println!("\n=== {name}");
        let t = Instant::now();
        let result = f();
        if let Err(e) = &result {
            eprintln!("=== {name} FAILED: {e}");
        }
        steps.push(Step {
            name,
            took: t.elapsed(),
            result,
        });
    };

    step("rustfmt", &mut || {
        run(command("cargo").args(["fmt", "--all", "--", "--check"]))
    });
    step("clippy (native)", &mut || {
        run(command("cargo").args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ]))
    });
    step("clippy (wasm32)", &mut || {
        run(command("cargo").args([
            "clippy",
            "-p",
            "backwatch",
            "-p",
            "backwatch-core",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    });
    step("Caddyfile.example", &mut caddy_checks);
    step("release build (dist/)", &mut || {
        dist::build(&tools).map(drop)
    });
    let mut nextest = vec![
        "nextest",
        "run",
        "--workspace",
        "--all-features",
        "--no-fail-fast",
    ];
    if !browsers {
        nextest.extend(["-E", "not package(backwatch)"]);
    }
    // The harness starts the simulator as a process (target/debug/backwatch-sim) and
    // builds nothing itself.
    step("simulator build", &mut || {
        run(command("cargo").args(["build", "-p", "backwatch-sim"]))
    });
    step("native tests (nextest)", &mut || {
        run(command("cargo").args(&nextest))
    });
    step("doc tests", &mut || {
        run(command("cargo").args(["test", "--workspace", "--all-features", "--doc"]))
    });
    if browsers {
        step("browser tests (wasm-bindgen-test)", &mut || {
            wasm_browser_tests(&tools)
        });
    }

    println!("\n=== summary ({:.0?} in all)", started.elapsed());
    for s in &steps {
        let verdict = if s.result.is_ok() { "ok" } else { "FAILED" };
        println!("{:<36} {:>8.1?}  {verdict}", s.name, s.took);
    }
    let failed: Vec<&str> = steps
        .iter()
        .filter(|s| s.result.is_err())
        .map(|s| s.name)
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("failed: {}", failed.join(", ")))
    }
}
