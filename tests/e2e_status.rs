//! End-to-end: the ADR homelab (backwatch-sim) behind the real Caddy, judged by the widget
//! in headless Chromium at the simulator's test instant. Every planted problem must show
//! as the state the scenario promises (crates/sim/scenarios/adr-homelab.toml).
#![cfg(not(target_arch = "wasm32"))]

use std::time::{Duration, Instant};

use backwatch_harness::browser::{Browser, BrowserOptions, with_browser};
use backwatch_harness::paths::repo_root;
use backwatch_harness::sim::{Lab, SimOptions};

const TIMEOUT: Duration = Duration::from_secs(60);

fn demo_config() -> String {
    std::fs::read_to_string(repo_root().join("config").join("demo.toml")).unwrap()
}

/// Wait until the first refresh is done (every source answered or failed).
fn wait_loaded(b: &Browser) -> Result<(), String> {
    b.session
        .wait_for("[data-testid=backwatch][data-refreshing=false]", TIMEOUT)?;
    b.session.wait_for("[data-service]", TIMEOUT).map(drop)
}

/// `data-health` of every service row, by `data-service`.
fn health_by_service(b: &Browser) -> Result<Vec<(String, String)>, String> {
    let v = b.session.execute(
        "return [...document.querySelectorAll('[data-service]')]
                 .map(e => [e.dataset.service, e.dataset.health]);",
        vec![],
    )?;
    serde_json::from_value(v).map_err(|e| e.to_string())
}

#[test]
fn every_planted_problem_shows_as_its_state() {
    let lab = Lab::start("status-adr", SimOptions::at_test_now(), &demo_config()).unwrap();
    with_browser("status-adr", BrowserOptions::default(), |b| {
        let started = Instant::now();
        b.session.goto(&lab.widget_url())?;
        wait_loaded(b)?;
        let got = health_by_service(b)?;
        let want = [
            ("Vaultwarden", "ok"),
            ("Vault", "ok"),
            ("Immich", "running"),
            // Queued behind Immich in the same running vzdump job: running, not late, so a
            // long nightly run never raises false alarms (docs/health.md).
            ("Paperless", "running"),
            ("Uptime Kuma", "late"),
            ("Home Assistant", "failed"),
            ("Gitea", "missed"),
            ("App configs", "missed"),
            ("Jellyfin", "unknown"),
            ("NAS files", "unscheduled"),
            ("Wiki.js", "retired"),
            ("Photo archive", "never"),
        ];
        let mut wrong = Vec::new();
        for (service, state) in want {
            match got.iter().find(|(s, _)| s == service) {
                Some((_, h)) if h == state => {}
                Some((_, h)) => wrong.push(format!("{service}: {h}, expected {state}")),
                None => wrong.push(format!("{service}: no row")),
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}\nall rows: {got:?}");
        let paperless = b
            .session
            .text(&b.session.wait_for("[data-service=Paperless]", TIMEOUT)?)?;
        assert!(paperless.contains("queued in running job"), "{paperless}");
        let jellyfin = b
            .session
            .text(&b.session.wait_for("[data-service=Jellyfin]", TIMEOUT)?)?;
        assert!(
            jellyfin.contains("usb-offsite") && jellyfin.contains("cannot be read"),
            "{jellyfin}"
        );
        let errors = b.console_errors()?;
        assert!(errors.is_empty(), "console errors: {errors:?}");
        eprintln!("loaded and judged in {:?}", started.elapsed());
        Ok(())
    })
    .unwrap();
}
