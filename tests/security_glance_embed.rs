//! Embedding in Glance, in Chromium: the CSP's `frame-ancestors` (one variable,
//! `GLANCE_ORIGIN`) lets exactly Glance frame the widget, and the documented same-origin
//! setup of docs/glance.md (the Glance site passing `/backwatch/*` to a loopback-only
//! backwatch site) works: the widget loads under the prefix, follows the parent's theme,
//! and its API calls still get the token injected.
#![cfg(not(target_arch = "wasm32"))]

mod security_common;

use std::process::Command;
use std::time::{Duration, Instant};

use backwatch_harness::browser::{Browser, BrowserOptions, with_browser};
use backwatch_harness::caddy::{Caddy, CaddyOptions, RecordingUpstreams};
use backwatch_harness::paths::{scratch_dir, which};
use backwatch_harness::ports::free_port;
use backwatch_harness::process::Guard;
use security_common::{Request, send};

const MOUNT_TIMEOUT: Duration = Duration::from_secs(30);

/// A stand-in for the Glance host: a Caddy serving a Glance-like page at `/` (theme
/// variables in `#theme-style`, `data-scheme` on the root) with an iframe of `frame_src`,
/// and passing `/backwatch/*` to `backwatch_port` exactly as docs/glance.md shows.
struct FakeGlance {
    port: u16,
    _guard: Guard,
}

fn fake_glance(name: &str, port: u16, frame_src: &str, backwatch_port: u16) -> FakeGlance {
    let dir = scratch_dir(&format!("{name}-glance")).unwrap();
    let page = format!(
        r#"<!doctype html><html data-scheme="light" data-theme="default-light"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Glance</title><style id="theme-style">:root {{ --bgh: 225; --bgs: 14%; --bgl: 91%; --color-primary: hsl(157, 47%, 65%); --color-negative: hsl(0, 70%, 50%); --cm: 1.3; --tsm: 0.5; }}</style></head><body><div class="widget-content widget-content-frameless"><iframe src="{frame_src}" width="100%" height="400px" frameborder="0"></iframe></div></body></html>"#
    );
    std::fs::write(dir.join("index.html"), page).unwrap();
    let caddyfile = format!(
        "{{\n\tadmin off\n\tpersist_config off\n\tdefault_bind 127.0.0.1\n}}\n\
         http://:{port} {{\n\thandle_path /backwatch/* {{\n\t\treverse_proxy 127.0.0.1:{backwatch_port}\n\t}}\n\
         \thandle {{\n\t\troot * {}\n\t\tfile_server\n\t}}\n}}\n",
        dir.display()
    );
    let config = dir.join("Caddyfile");
    std::fs::write(&config, caddyfile).unwrap();
    let mut cmd = Command::new(which("caddy").unwrap());
    cmd.args(["run", "--adapter", "caddyfile", "--config"])
        .arg(&config)
        .env("XDG_CONFIG_HOME", dir.join("home"))
        .env("XDG_DATA_HOME", dir.join("home"));
    let mut guard = Guard::spawn("fake glance", &mut cmd, Some(&dir.join("caddy.log"))).unwrap();
    guard
        .wait_for_port(&format!("127.0.0.1:{port}"), Duration::from_secs(20))
        .unwrap();
    FakeGlance {
        port,
        _guard: guard,
    }
}

/// Poll `script` (run in the top page) until it returns something other than null/false.
fn wait_js(b: &Browser, script: &str) -> Result<serde_json::Value, String> {
    let deadline = Instant::now() + MOUNT_TIMEOUT;
    loop {
        let v = b.session.execute(script, vec![])?;
        if !(v.is_null() || v == serde_json::Value::Bool(false)) {
            return Ok(v);
        }
        if Instant::now() > deadline {
            return Err(format!("timed out waiting for: {script}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn only_the_glance_origin_may_frame_the_widget() {
    // Reserve Glance's port first, so GLANCE_ORIGIN can name it.
    let glance_port = free_port().unwrap();
    for (allowed, label) in [(true, "allowed"), (false, "refused")] {
        let origin = if allowed {
            format!("http://127.0.0.1:{glance_port}")
        } else {
            "https://glance.elsewhere.lan".to_owned()
        };
        let mut options = CaddyOptions::new(&format!("embed-{label}"), "title = \"Embedded\"\n");
        options.env.insert("GLANCE_ORIGIN".to_owned(), origin);
        let widget = Caddy::start(options).unwrap();
        // A page on another origin (another port) that frames the widget.
        let glance = fake_glance(
            &format!("embed-{label}"),
            glance_port,
            &widget.url("/#scheme=light"),
            widget.port,
        );
        let page = format!("http://127.0.0.1:{}/", glance.port);
        with_browser(&format!("embed-{label}"), BrowserOptions::default(), |b| {
            b.session.goto(&page)?;
            std::thread::sleep(Duration::from_millis(1500));
            let errors = b.console_errors()?;
            let refused = errors.iter().any(|e| e.contains("frame-ancestors"));
            if allowed {
                assert!(!refused, "Glance's origin was refused: {errors:?}");
            }
            if !allowed {
                assert!(
                    refused,
                    "another origin could frame the widget (console: {errors:?})"
                );
            }
            Ok(())
        })
        .unwrap();
    }
}

#[test]
fn same_origin_setup_under_the_glance_host() {
    let upstreams = RecordingUpstreams::start("embed-same-origin").unwrap();
    let backwatch_port = free_port().unwrap();
    let mut options = CaddyOptions::new(
        "embed-same-origin",
        "title = \"Same origin\"\n[[sources.pbs]]\nname = \"pbs\"\nbase = \"/backwatch/api/pbs\"\n",
    );
    options.port = Some(backwatch_port);
    options.env = upstreams.env();
    // Exactly the settings docs/glance.md gives.
    options.env.insert(
        "BACKWATCH_SITE".to_owned(),
        format!("http://:{backwatch_port}"),
    );
    options
        .env
        .insert("GLANCE_ORIGIN".to_owned(), "'self'".to_owned());
    options.tokens.insert(
        "pbs".to_owned(),
        "glance@pbs!backwatch:same-origin-secret".to_owned(),
    );
    let _widget = Caddy::start(options).unwrap();
    let glance = fake_glance(
        "embed-same-origin",
        free_port().unwrap(),
        "/backwatch/",
        backwatch_port,
    );

    // Through the Glance host: the API prefix under /backwatch still injects the token.
    let r = send(
        glance.port,
        &Request::new("GET", "/backwatch/api/pbs/api2/json/version").header("X-Case", "so"),
    )
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.body_text());
    assert_eq!(
        r.header("content-security-policy"),
        Some(security_common::API_CSP)
    );
    let page = send(glance.port, &Request::new("GET", "/backwatch/")).unwrap();
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-security-policy")
            .is_some_and(|c| c.contains("frame-ancestors 'self'")),
        "{:?}",
        page.headers
    );
    let r = send(
        glance.port,
        &Request::new("GET", "/backwatch/api/pbs/api2/json/access/ticket"),
    )
    .unwrap();
    assert_eq!(r.status, 403);

    with_browser("embed-same-origin", BrowserOptions::default(), |b| {
        b.session
            .goto(&format!("http://127.0.0.1:{}/", glance.port))?;
        let state = wait_js(
            b,
            "const d = document.querySelector('iframe').contentDocument;
             const w = d && d.querySelector('[data-testid=backwatch]');
             return w && w.dataset.state;",
        )?;
        assert_eq!(state, "ready", "the widget mounted under /backwatch/");
        let errors = b.console_errors()?;
        assert!(errors.is_empty(), "console errors: {errors:?}");
        Ok(())
    })
    .unwrap();

    // Every request that reached PBS (ours, and the widget's if it already reads sources)
    // carried the token from the file.
    let got = upstreams.received("pbs").unwrap();
    assert!(!got.is_empty());
    for req in got {
        assert_eq!(
            req.header("Authorization"),
            ["PBSAPIToken=glance@pbs!backwatch:same-origin-secret"]
        );
    }
}

#[test]
fn same_origin_widget_follows_the_parents_theme() {
    let backwatch_port = free_port().unwrap();
    let mut options = CaddyOptions::new("embed-theme", "title = \"Theme\"\n");
    options.port = Some(backwatch_port);
    options.env.insert(
        "BACKWATCH_SITE".to_owned(),
        format!("http://:{backwatch_port}"),
    );
    options
        .env
        .insert("GLANCE_ORIGIN".to_owned(), "'self'".to_owned());
    let _widget = Caddy::start(options).unwrap();
    let glance = fake_glance(
        "embed-theme",
        free_port().unwrap(),
        "/backwatch/",
        backwatch_port,
    );
    with_browser("embed-theme", BrowserOptions::default(), |b| {
        b.session
            .goto(&format!("http://127.0.0.1:{}/", glance.port))?;
        wait_js(
            b,
            "const d = document.querySelector('iframe').contentDocument;
             const w = d && d.querySelector('[data-testid=backwatch][data-state=ready]');
             return !!w;",
        )?;
        let theme = b.session.execute(
            "const r = document.querySelector('iframe').contentDocument.documentElement;
             const s = getComputedStyle(r);
             return [r.dataset.themeSource, r.dataset.scheme, s.getPropertyValue('--bgl').trim(),
                     s.getPropertyValue('--color-primary').trim()];",
            vec![],
        )?;
        assert_eq!(
            theme,
            serde_json::json!(["parent", "light", "91%", "hsl(157, 47%, 65%)"]),
            "the widget follows the parent's theme"
        );
        // Glance's theme picker: swap the #theme-style contents and the root attributes.
        b.session.execute(
            "document.getElementById('theme-style').textContent =
               ':root { --bgh: 240; --bgs: 8%; --bgl: 9%; --color-primary: hsl(43, 50%, 70%); }';
             document.documentElement.dataset.scheme = 'dark';
             document.documentElement.dataset.theme = 'default-dark';
             return true;",
            vec![],
        )?;
        let followed = wait_js(
            b,
            "const r = document.querySelector('iframe').contentDocument.documentElement;
             const s = getComputedStyle(r);
             const v = [r.dataset.scheme, s.getPropertyValue('--bgl').trim(),
                        s.getPropertyValue('--color-primary').trim()];
             return v[0] === 'dark' ? v : null;",
        )?;
        assert_eq!(
            followed,
            serde_json::json!(["dark", "9%", "hsl(43, 50%, 70%)"]),
            "a theme change in Glance reaches the widget without a reload"
        );
        Ok(())
    })
    .unwrap();
}
