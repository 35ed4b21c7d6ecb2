//! Hostile upstreams through the full stack: the simulated homelab behind the real Caddy,
//! judged by the widget in headless Chromium.
//!
//! - PBS rejecting the token (401): the services PBS backs are *unknown* with the reason
//!   ("PBS pbs-main rejected the credentials"), never *ok*; the other sources keep working
//!   and their services keep their verdicts.
//! - Markup and script in upstream text (a Databasement failure message, PBS/PVE comments)
//!   render as inert text: no element is created, nothing runs, no CSP violation.
//! - HTML pages and truncated JSON from an upstream make that source unreadable (its
//!   services unknown), not the widget.
//! - A huge answer (80 MiB, compressed by Caddy so no Content-Length) is refused while it
//!   is read: that source is unreadable, the widget lives on.
#![cfg(not(target_arch = "wasm32"))]

use std::time::Duration;

use backwatch_harness::browser::{Browser, BrowserOptions, with_browser};
use backwatch_harness::paths::{repo_root, scratch_dir};
use backwatch_harness::sim::{Lab, SimOptions};

const TIMEOUT: Duration = Duration::from_secs(60);

fn demo_config() -> String {
    std::fs::read_to_string(repo_root().join("config").join("demo.toml")).unwrap()
}

fn wait_loaded(b: &Browser) -> Result<(), String> {
    b.session
        .wait_for("[data-testid=backwatch][data-refreshing=false]", TIMEOUT)?;
    b.session.wait_for("[data-service]", TIMEOUT).map(drop)
}

/// `(service, health, text)` of every row.
fn rows(b: &Browser) -> Result<Vec<(String, String, String)>, String> {
    let v = b.session.execute(
        "return [...document.querySelectorAll('[data-service]')]
                 .map(e => [e.dataset.service, e.dataset.health, e.textContent]);",
        vec![],
    )?;
    serde_json::from_value(v).map_err(|e| e.to_string())
}

fn health<'a>(rows: &'a [(String, String, String)], service: &str) -> Option<&'a str> {
    rows.iter()
        .find(|(s, _, _)| s == service)
        .map(|(_, h, _)| h.as_str())
}

#[test]
fn pbs_rejecting_the_token_is_a_clear_message_and_other_sources_keep_working() {
    let lab = Lab::start("hostile-401", SimOptions::at_test_now(), &demo_config()).unwrap();
    lab.sim
        .control
        .inject_fault(serde_json::json!({"source": "pbs", "kind": "unauthorized"}))
        .unwrap();
    with_browser("hostile-401", BrowserOptions::default(), |b| {
        b.session.goto(&lab.widget_url())?;
        wait_loaded(b)?;
        let rows = rows(b)?;
        // Backrest-only services keep their verdicts (as in e2e_status.rs).
        for (service, want) in [
            ("Vault", "ok"),
            ("App configs", "missed"),
            ("Photo archive", "never"),
        ] {
            assert_eq!(health(&rows, service), Some(want), "{service}: {rows:#?}");
        }
        // PBS-only services are unknown, never ok, and say why.
        for service in ["Uptime Kuma", "Jellyfin"] {
            assert_eq!(
                health(&rows, service),
                Some("unknown"),
                "{service}: {rows:#?}"
            );
        }
        // Nothing that needs PBS is ok (Home Assistant and Gitea keep their Databasement
        // failures: a missing source never hides a known problem).
        let ok: Vec<&str> = rows
            .iter()
            .filter(|(_, h, _)| h == "ok")
            .map(|(s, _, _)| s.as_str())
            .collect();
        assert_eq!(
            ok,
            ["Vault"],
            "only the Backrest-only service may be ok: {rows:#?}"
        );
        assert_eq!(health(&rows, "Home Assistant"), Some("failed"));
        // Every service that PBS backs says so, in words, instead of a verdict.
        for service in ["Vaultwarden", "Uptime Kuma", "Jellyfin"] {
            let text = &rows.iter().find(|(s, _, _)| s == service).unwrap().2;
            assert!(
                text.contains("PBS pbs-main rejected the credentials — check the token file"),
                "{service}: {text}"
            );
        }
        Ok(())
    })
    .unwrap();
}

/// The ADR scenario with markup in free-text fields that reach the widget.
fn hostile_scenario() -> String {
    let text = std::fs::read_to_string(
        repo_root()
            .join("crates")
            .join("sim")
            .join("scenarios")
            .join("adr-homelab.toml"),
    )
    .unwrap();
    let payload = r#"<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>"#;
    let text = text.replacen(
        "message = \"mariadb-dump:",
        &format!("message = \"{payload} mariadb-dump:"),
        1,
    );
    text.replace("comment = \"", &format!("comment = \"{payload} "))
}

#[test]
fn markup_from_upstreams_renders_as_inert_text() {
    let dir = scratch_dir("hostile-xss-scenario").unwrap();
    let scenario = dir.join("hostile.toml");
    std::fs::write(&scenario, hostile_scenario()).unwrap();
    let sim = SimOptions {
        scenario: Some(scenario.display().to_string()),
        ..SimOptions::at_test_now()
    };
    let lab = Lab::start("hostile-xss", sim, &demo_config()).unwrap();
    with_browser("hostile-xss", BrowserOptions::default(), |b| {
        b.session.goto(&lab.widget_url())?;
        wait_loaded(b)?;
        let rows = rows(b)?;
        std::thread::sleep(Duration::from_millis(500));
        let got = b.session.execute(
            "const app = document.querySelector('[data-testid=backwatch]');
             return [window.__xss === undefined,
                     app.querySelectorAll('img, script, iframe, object, embed').length,
                     document.body.textContent.includes('<img src=x')];",
            vec![],
        )?;
        assert_eq!(got[0], serde_json::json!(true), "a payload ran: {rows:#?}");
        assert_eq!(
            got[1],
            serde_json::json!(0),
            "upstream markup became elements"
        );
        // The failed Home Assistant dump's message is shown, payload and all, as text.
        assert_eq!(
            got[2],
            serde_json::json!(true),
            "the payload text is not shown at all (cannot tell inert from dropped): {rows:#?}"
        );
        let errors = b.console_errors()?;
        assert!(
            errors
                .iter()
                .all(|e| !e.contains("Content Security Policy")),
            "CSP violations (markup was injected): {errors:?}"
        );
        Ok(())
    })
    .unwrap();
}

#[test]
fn html_pages_and_truncated_json_make_one_source_unreadable_not_the_widget() {
    let lab = Lab::start("hostile-html", SimOptions::at_test_now(), &demo_config()).unwrap();
    lab.sim
        .control
        .inject_fault(serde_json::json!({"source": "backrest", "kind": "html"}))
        .unwrap();
    lab.sim
        .control
        .inject_fault(serde_json::json!({"source": "databasement", "kind": "truncated"}))
        .unwrap();
    with_browser("hostile-html", BrowserOptions::default(), |b| {
        b.session.goto(&lab.widget_url())?;
        wait_loaded(b)?;
        let rows = rows(b)?;
        // Backrest-only services: unknown, never ok.
        for service in ["Vault", "App configs", "Photo archive"] {
            assert_eq!(
                health(&rows, service),
                Some("unknown"),
                "{service}: {rows:#?}"
            );
        }
        // PBS-backed services are judged as usual.
        assert_eq!(health(&rows, "Uptime Kuma"), Some("late"), "{rows:#?}");
        let errors = b.console_errors()?;
        assert!(
            errors
                .iter()
                .all(|e| !e.contains("Content Security Policy")),
            "{errors:?}"
        );
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_huge_answer_is_refused_while_reading_and_only_its_source_suffers() {
    let lab = Lab::start("hostile-huge", SimOptions::at_test_now(), &demo_config()).unwrap();
    lab.sim
        .control
        .inject_fault(serde_json::json!({
            "source": "pbs", "kind": "huge", "mb": 80, "path": "/api2/json/admin/datastore"
        }))
        .unwrap();
    with_browser("hostile-huge", BrowserOptions::default(), |b| {
        b.session.goto(&lab.widget_url())?;
        wait_loaded(b)?;
        let rows = rows(b)?;
        for service in ["Uptime Kuma", "Jellyfin"] {
            assert_eq!(
                health(&rows, service),
                Some("unknown"),
                "{service}: {rows:#?}"
            );
        }
        assert_eq!(
            health(&rows, "Vault"),
            Some("ok"),
            "Backrest is unaffected: {rows:#?}"
        );
        // The PBS notice says why, with the request that was refused.
        let notice = b.session.text(
            &b.session
                .wait_for("[data-source=pbs][data-source-state]", TIMEOUT)?,
        )?;
        assert!(
            notice.contains("/api/pbs/api2/json/admin/datastore")
                && notice.contains("larger than 64 MiB refused"),
            "{notice}"
        );
        // The transfer was compressed, so only counting while reading could stop it.
        let encoding = b.session.execute(
            "const r = performance.getEntriesByType('resource')
                 .find(e => e.name.endsWith('/api/pbs/api2/json/admin/datastore'));
             return r ? [r.encodedBodySize < r.decodedBodySize || r.decodedBodySize === 0,
                         r.transferSize] : null;",
            vec![],
        )?;
        assert!(
            encoding.is_array(),
            "the PBS datastore list was requested: {encoding}"
        );
        let heap = b
            .session
            .execute("return performance.memory.usedJSHeapSize;", vec![])?;
        let heap = heap.as_f64().unwrap_or(f64::MAX);
        assert!(
            heap < 200.0 * 1048576.0,
            "the 80 MiB body was not kept: heap {heap} B"
        );
        Ok(())
    })
    .unwrap();
}
