//! `cargo xtask demo`: the widget behind the real Caddy (Caddyfile.example), in front of the
//! simulated homelab (`backwatch-sim`, scenario `adr-homelab`), on loopback.

use std::sync::mpsc;

use backwatch_harness::sim::{Lab, LabOptions, SimOptions};

use crate::Result;
use crate::env::{command, run as run_cmd};
use crate::{dist, env, tools};

const USAGE: &str =
    "usage: cargo xtask demo [--port N] [--live] [--now EPOCH|RFC3339] [--scenario PATH|NAME]

  --port N          Caddy's port (default 8080)
  --live            use the wall clock (default: the scenario's lab.test_now, where every
                    state is visible, including running and late)
  --now T           a fixed instant of your choice
  --scenario S      another scenario file or built-in name (default adr-homelab)";

/// Build, serve, print the URL and the scenario, and stop everything on Ctrl-C (or SIGTERM).
pub fn run(args: &[String]) -> Result {
    let mut port = 8080u16;
    let mut now: Option<String> = Some("scenario".into());
    let mut scenario: Option<String> = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--port" => {
                port = iter
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or("--port needs a number")?;
            }
            "--live" => now = None,
            "--now" => now = Some(iter.next().ok_or("--now needs a value")?.clone()),
            "--scenario" => scenario = Some(iter.next().ok_or("--scenario needs a value")?.clone()),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("demo: unknown argument {other}\n{USAGE}")),
        }
    }
    let tools = tools::setup()?;
    dist::build(&tools)?;
    run_cmd(command("cargo").args(["build", "-p", "backwatch-sim"]))?;

    let config_path = env::root().join("config").join("demo.toml");
    let config = std::fs::read_to_string(&config_path)
        .map_err(|e| format!("{}: {e}", config_path.display()))?;
    let lab = Lab::start_with(LabOptions {
        name: "demo".into(),
        sim: SimOptions {
            scenario,
            now,
            ..SimOptions::default()
        },
        config_toml: config,
        dist: None,
        port: Some(port),
    })?;

    match lab.sim.control.summary() {
        Ok(s) => println!("\n{s}"),
        Err(e) => eprintln!("(no scenario summary: {e})"),
    }
    println!("backwatch demo: {}", lab.widget_url());
    println!(
        "  (the #now fragment makes the widget judge at the simulated instant {})",
        lab.sim.ready["now_rfc3339"].as_str().unwrap_or("")
    );
    println!("simulator control API: {}", lab.sim.control.base);
    println!("Caddy logs: {}", lab.caddy.dir.join("caddy.log").display());
    println!("Press Ctrl-C to stop.\n");

    let (tx, rx) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = tx.send(());
    })
    .map_err(|e| format!("cannot install the Ctrl-C handler: {e}"))?;
    let _ = rx.recv();
    println!("{}", lab.stop());
    Ok(())
}
