//! backwatch's harness for end-to-end tests, the demo and the benchmarks.
//!
//! - [`process::Guard`]: a child in its own process group, stopped by PID on drop
//!   (TERM, then KILL), so no test leaves a server behind even when it panics.
//! - [`ports::free_port`]: a free loopback port.
//! - [`caddy::Caddy`]: the real Caddy running the repository's `Caddyfile.example`, with
//!   only the site address, upstream addresses and token files changed (environment).
//! - [`browser::Browser`]: headless Chromium driven through ChromeDriver by a small
//!   synchronous WebDriver client ([`webdriver`]); screenshots on failure under `target/`.
//! - [`sim::Sim`] / [`sim::Lab`]: the simulated homelab (`backwatch-sim`), alone or behind
//!   the real Caddy with its token files and pinned certificates.
//!
//! Tools are found on PATH after the directories `cargo xtask setup` installs into.

pub mod browser;
pub mod caddy;
pub mod paths;
pub mod ports;
pub mod process;
pub mod sim;
pub mod webdriver;

/// Errors are messages that name what failed and why.
pub type Result<T = ()> = std::result::Result<T, String>;
