//! End-to-end: sources failing mid-session. Faults are injected into the simulator through
//! its control API while the widget runs in headless Chromium behind the real Caddy: the
//! failing source's rows turn unknown with a notice saying what happened and how old the
//! data shown is, the other sources keep working, and a refresh after the fault clears
//! recovers. A 401 asks to check the token file.
#![cfg(not(target_arch = "wasm32"))]

use std::time::Duration;

use backwatch_harness::browser::{Browser, BrowserOptions, with_browser};
use backwatch_harness::paths::repo_root;
use backwatch_harness::sim::{Lab, SimOptions};
use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(60);

fn demo_config() -> String {
    std::fs::read_to_string(repo_root().join("config").join("demo.toml")).unwrap()
}

fn wait_idle(b: &Browser) -> Result<(), String> {
    b.session
        .wait_for("[data-testid=backwatch][data-refreshing=false]", TIMEOUT)
        .map(drop)
}

/// Click "refresh" and wait for the refresh to finish.
fn refresh(b: &Browser) -> Result<(), String> {
    let button = b
        .session
        .wait_for("[data-testid=refresh-now][aria-disabled=false]", TIMEOUT)?;
    b.session.click(&button)?;
    // The button is disabled while the refresh runs; wait until it is done.
    std::thread::sleep(Duration::from_millis(100));
    wait_idle(b)
}

fn health(b: &Browser, service: &str) -> Result<String, String> {
    let row = b
        .session
        .wait_for(&format!("[data-service=\"{service}\"]"), TIMEOUT)?;
    Ok(b.session
        .attribute(&row, "data-health")?
        .unwrap_or_default())
}

/// `data-source-state` of every source element, by kind.
fn source_states(b: &Browser) -> Result<Vec<(String, String)>, String> {
    let v = b.session.execute(
        "return [...document.querySelectorAll('[data-source]')]
                 .map(e => [e.dataset.source, e.dataset.sourceState]);",
        vec![],
    )?;
    serde_json::from_value(v).map_err(|e| e.to_string())
}

/// Console errors other than the browser's own report of the injected HTTP status.
fn unexpected_console_errors(b: &Browser) -> Result<Vec<String>, String> {
    Ok(b.console_errors()?
        .into_iter()
        .filter(|m| !m.contains("Failed to load resource"))
        .collect())
}

#[test]
fn a_source_going_down_mid_session_and_recovering() {
    let lab = Lab::start("sources-down", SimOptions::at_test_now(), &demo_config()).unwrap();
    let options = BrowserOptions {
        width: 1400,
        height: 1100,
    };
    with_browser("sources-down", options, |b| {
        b.session
            .goto(&format!("{}&scheme=dark", lab.widget_url()))?;
        wait_idle(b)?;
        assert_eq!(health(b, "Vaultwarden")?, "ok");
        assert_eq!(health(b, "Vault")?, "ok");

        lab.sim
            .control
            .inject_fault(json!({"source": "pbs", "kind": "status", "status": 500}))?;
        refresh(b)?;
        let notice = b
            .session
            .wait_for("[data-source=pbs][data-source-state=error]", TIMEOUT)?;
        assert_eq!(
            b.session.attribute(&notice, "data-source-name")?.as_deref(),
            Some("pbs-main")
        );
        let text = b.session.text(&notice)?;
        assert!(
            text.contains("unexpected response from PBS pbs-main"),
            "{text}"
        );
        assert!(
            text.contains("showing data from"),
            "keeps the last good data: {text}"
        );
        assert!(text.contains("500"), "names the status: {text}");
        b.session
            .wait_for("[data-source=pbs] [data-testid=retry]", TIMEOUT)?;
        // Rows backed up to PBS are unknown now, never ok; the reason names the source.
        assert_eq!(health(b, "Vaultwarden")?, "unknown");
        let row = b.session.wait_for("[data-service=Vaultwarden]", TIMEOUT)?;
        let reason = b.session.text(&row)?;
        assert!(reason.contains("PBS pbs-main"), "{reason}");
        assert!(
            reason.contains("last known"),
            "the old verdict is kept: {reason}"
        );
        // Rows that do not depend on PBS stay as they were; the other sources are fine.
        assert_eq!(health(b, "Vault")?, "ok");
        let states = source_states(b)?;
        for kind in ["pve", "databasement", "backrest"] {
            assert!(
                states.contains(&(kind.to_owned(), "ok".to_owned())),
                "{kind}: {states:?}"
            );
        }
        let ok = b
            .session
            .text(&b.session.wait_for("[data-testid=sources-ok]", TIMEOUT)?)?;
        assert!(ok.contains("3 of 4 sources ok"), "{ok}");
        // The summary lists the unknown services among the problems.
        let summary = b
            .session
            .text(&b.session.wait_for("[data-testid=summary]", TIMEOUT)?)?;
        assert!(summary.contains("unknown"), "{summary}");
        b.save_artifacts("source-down")?;

        // Recovery: clear the fault, retry from the notice.
        lab.sim.control.clear_faults(Some("pbs"))?;
        let retry = b.session.wait_for(
            "[data-source=pbs] [data-testid=retry][aria-disabled=false]",
            TIMEOUT,
        )?;
        b.session.click(&retry)?;
        std::thread::sleep(Duration::from_millis(100));
        wait_idle(b)?;
        b.session
            .wait_for("[data-source=pbs][data-source-state=ok]", TIMEOUT)?;
        assert!(
            b.session
                .find_all("[data-source=pbs][data-source-state=error]")?
                .is_empty()
        );
        assert_eq!(health(b, "Vaultwarden")?, "ok");
        let ok = b
            .session
            .text(&b.session.wait_for("[data-testid=sources-ok]", TIMEOUT)?)?;
        assert!(ok.contains("all 4 sources ok"), "{ok}");

        let errors = unexpected_console_errors(b)?;
        assert!(errors.is_empty(), "console errors: {errors:?}");
        Ok(())
    })
    .unwrap();
}

#[test]
fn rejected_credentials_ask_to_check_the_token_file() {
    let lab = Lab::start("sources-401", SimOptions::at_test_now(), &demo_config()).unwrap();
    with_browser("sources-401", BrowserOptions::default(), |b| {
        b.session.goto(&lab.widget_url())?;
        wait_idle(b)?;
        lab.sim
            .control
            .inject_fault(json!({"source": "pbs", "kind": "unauthorized"}))?;
        refresh(b)?;
        let notice = b
            .session
            .wait_for("[data-source=pbs][data-source-state=error]", TIMEOUT)?;
        let text = b.session.text(&notice)?;
        assert!(
            text.contains("credentials rejected for PBS pbs-main — check the token file"),
            "{text}"
        );
        assert!(text.contains("showing data from"), "{text}");
        // The other sources keep working.
        let states = source_states(b)?;
        for kind in ["pve", "databasement", "backrest"] {
            assert!(
                states.contains(&(kind.to_owned(), "ok".to_owned())),
                "{kind}: {states:?}"
            );
        }
        assert_eq!(health(b, "Vault")?, "ok");
        assert_eq!(health(b, "Vaultwarden")?, "unknown");
        let errors = unexpected_console_errors(b)?;
        assert!(errors.is_empty(), "console errors: {errors:?}");
        b.save_artifacts("unauthorized")?;
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_slow_source_shows_as_loading_while_the_others_render() {
    let lab = Lab::start("sources-slow", SimOptions::at_test_now(), &demo_config()).unwrap();
    lab.sim.control.set_latency(Some("pbs"), 1_000).unwrap();
    with_browser("sources-slow", BrowserOptions::default(), |b| {
        b.session.goto(&lab.widget_url())?;
        b.session
            .wait_for("[data-source=pbs][data-source-state=loading]", TIMEOUT)?;
        // Never a blank frame: the summary and the other sources show meanwhile.
        b.session.wait_for("[data-testid=summary]", TIMEOUT)?;
        b.session
            .wait_for("[data-source=backrest][data-source-state=ok]", TIMEOUT)?;
        let v: Value = b.session.execute(
            "return document.querySelector('[data-source=pbs]').dataset.sourceState;",
            vec![],
        )?;
        assert_eq!(v, "loading", "PBS is still being read");
        // Rows waiting for PBS are unknown ("not read yet"), never ok.
        let vaultwarden = b.session.wait_for("[data-service=Vaultwarden]", TIMEOUT)?;
        assert_eq!(
            b.session.attribute(&vaultwarden, "data-health")?.as_deref(),
            Some("unknown")
        );
        wait_idle(b)?;
        b.session
            .wait_for("[data-source=pbs][data-source-state=ok]", TIMEOUT)?;
        let errors = unexpected_console_errors(b)?;
        assert!(errors.is_empty(), "console errors: {errors:?}");
        Ok(())
    })
    .unwrap();
}
