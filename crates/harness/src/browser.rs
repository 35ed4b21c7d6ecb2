//! Headless Chromium through ChromeDriver, with a fresh profile per browser and
//! screenshots on failure under `target/e2e-screenshots/`.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use serde_json::json;

use crate::Result;
use crate::paths::{scratch_dir, target_dir, which};
use crate::ports::free_port;
use crate::process::Guard;
use crate::webdriver::Session;

/// Chromium flags for this machine kind: no sandbox as root, no GPU, and no background
/// networking (the closed network refuses those connections, many at a time).
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    // performance.memory with real numbers, for the benchmarks' heap figure.
    "--enable-precise-memory-info",
];

/// Window size and device scale of a browser.
#[derive(Clone, Copy, Debug)]
pub struct BrowserOptions {
    pub width: u32,
    pub height: u32,
}

impl Default for BrowserOptions {
    fn default() -> Self {
        BrowserOptions {
            width: 1280,
            height: 900,
        }
    }
}

/// A running ChromeDriver with one Chromium session. Dropping it ends the session and
/// stops ChromeDriver (and with it Chromium) by PID.
pub struct Browser {
    pub session: Session,
    name: String,
    // Dropped after `session` (field order), so the session is quit first in Drop.
    _driver: Guard,
}

impl Browser {
    /// Start a browser whose profile and logs live in `target/e2e/<name>-browser/`.
    pub fn start(name: &str, options: BrowserOptions) -> Result<Browser> {
        let dir = scratch_dir(&format!("{name}-browser"))?;
        let chromedriver = which("chromedriver")?;
        let chromium = std::env::var_os("CHROMIUM")
            .map(PathBuf::from)
            .map(Ok)
            .unwrap_or_else(|| which("chromium"))?;
        let port = free_port()?;
        let mut cmd = Command::new(&chromedriver);
        cmd.arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1");
        let mut driver = Guard::spawn(
            "chromedriver",
            &mut cmd,
            Some(&dir.join("chromedriver.log")),
        )?;
        driver.wait_for_port(&format!("127.0.0.1:{port}"), Duration::from_secs(20))?;

        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| (*s).to_owned()).collect();
        args.push(format!("--user-data-dir={}", dir.join("profile").display()));
        args.push(format!(
            "--window-size={},{}",
            options.width, options.height
        ));
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium.to_string_lossy(), "args": args },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let session = Session::new(&format!("http://127.0.0.1:{port}"), capabilities)
            .map_err(|e| format!("{e}{}", driver.log_tail()))?;
        Ok(Browser {
            session,
            name: name.to_owned(),
            _driver: driver,
        })
    }

    /// Save a screenshot and the page source as `target/e2e-screenshots/<name>-<label>.*`.
    pub fn save_artifacts(&self, label: &str) -> Result<PathBuf> {
        let dir = target_dir().join("e2e-screenshots");
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let png = dir.join(format!("{}-{label}.png", self.name));
        let png_bytes = self.session.screenshot_png()?;
        std::fs::write(&png, png_bytes).map_err(|e| format!("{}: {e}", png.display()))?;
        if let Ok(html) = self.session.page_source() {
            let _ = std::fs::write(dir.join(format!("{}-{label}.html", self.name)), html);
        }
        Ok(png)
    }

    /// Console messages at level SEVERE (errors, uncaught exceptions, failed loads).
    pub fn console_errors(&self) -> Result<Vec<String>> {
        Ok(self
            .session
            .console_log()?
            .into_iter()
            .filter(|(level, _)| level == "SEVERE")
            .map(|(_, message)| message)
            .collect())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.session.quit();
    }
}

/// Run `test` with a fresh browser. On `Err` or panic, save a screenshot and the page
/// source under `target/e2e-screenshots/` and name them in the failure.
pub fn with_browser<F>(name: &str, options: BrowserOptions, test: F) -> Result
where
    F: FnOnce(&Browser) -> Result,
{
    let browser = Browser::start(name, options)?;
    match catch_unwind(AssertUnwindSafe(|| test(&browser))) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(message)) => {
            let saved = browser.save_artifacts("failure");
            Err(match saved {
                Ok(path) => format!("{message}\n(screenshot: {})", path.display()),
                Err(e) => format!("{message}\n(no screenshot: {e})"),
            })
        }
        Err(panic) => {
            match browser.save_artifacts("failure") {
                Ok(path) => eprintln!("screenshot of the failure: {}", path.display()),
                Err(e) => eprintln!("no screenshot of the failure: {e}"),
            }
            drop(browser);
            resume_unwind(panic)
        }
    }
}
