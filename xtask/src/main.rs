//! `cargo xtask <task>`: backwatch's developer tasks in one place.
//!
//! - `setup`: install the pinned toolchain pieces that are missing (tools.toml).
//! - `build`: the release widget in `dist/` (Trunk + wasm-opt), precompressed, with sizes.
//! - `demo`:  build, then serve the widget behind the real Caddy (Caddyfile.example), in
//!   front of the simulated homelab (`backwatch-sim`).
//! - `test`:  setup, then every check and test layer; what CI runs.

mod demo;
mod dist;
mod env;
mod test;
mod tools;

use std::process::ExitCode;

/// Every task returns this; the message is printed and the exit code is 1.
pub type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  setup              install the pinned tools that are missing (see tools.toml)
  build              build the release widget into dist/ and print its transfer size
  demo [--port N] [--live]
                     build; serve the widget behind Caddy on 127.0.0.1:N (default 8080)
                     in front of the simulated homelab (backwatch-sim)
  test               set up, then run every check and test (what CI runs)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    let result = match args.first().map(String::as_str) {
        Some("setup") => tools::setup().map(|_| ()),
        Some("build") => tools::setup().and_then(|t| dist::build(&t).map(|_| ())),
        Some("demo") => demo::run(rest),
        Some("test") => test::run_all(rest),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
