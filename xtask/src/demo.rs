//! `cargo xtask demo`: the widget behind the real Caddy (Caddyfile.example), on loopback.

use std::sync::mpsc;

use backwatch_harness::caddy::{Caddy, CaddyOptions};

use crate::Result;
use crate::{dist, env, tools};

/// Build, serve, print the URL, and stop everything on Ctrl-C (or SIGTERM).
pub fn run(args: &[String]) -> Result {
    let mut port = 8080u16;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--port" => {
                port = iter
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or("--port needs a number")?;
            }
            other => return Err(format!("demo: unknown argument {other}")),
        }
    }
    let tools = tools::setup()?;
    dist::build(&tools)?;

    let config_path = env::root().join("config").join("demo.toml");
    let config = std::fs::read_to_string(&config_path)
        .map_err(|e| format!("{}: {e}", config_path.display()))?;
    let mut options = CaddyOptions::new("demo", &config);
    options.port = Some(port);
    let caddy = Caddy::start(options)?;

    println!("\nbackwatch demo: {}", caddy.url("/"));
    println!("(sample configuration; the simulated homelab arrives with the simulator)");
    println!("Caddy logs: {}", caddy.dir.join("caddy.log").display());
    println!("Press Ctrl-C to stop.\n");

    let (tx, rx) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = tx.send(());
    })
    .map_err(|e| format!("cannot install the Ctrl-C handler: {e}"))?;
    let _ = rx.recv();
    println!("{}", caddy.stop());
    Ok(())
}
