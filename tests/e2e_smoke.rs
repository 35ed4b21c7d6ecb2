//! End-to-end: the built widget (`dist/`) behind the real Caddy running Caddyfile.example,
//! in headless Chromium through ChromeDriver.
#![cfg(not(target_arch = "wasm32"))]

use std::time::Duration;

use backwatch_harness::browser::{BrowserOptions, with_browser};
use backwatch_harness::caddy::{Caddy, CaddyOptions};

const MOUNT_TIMEOUT: Duration = Duration::from_secs(30);

#[test]
fn widget_mounts_and_renders_from_its_config() {
    let config = "title = \"Lab backups\"\n[defaults]\nrefresh = \"2m\"\n";
    let caddy = Caddy::start(CaddyOptions::new("smoke-config", config)).unwrap();
    with_browser("smoke-config", BrowserOptions::default(), |b| {
        b.session.goto(&caddy.url("/"))?;
        b.session
            .wait_for("[data-testid=backwatch][data-state=ready]", MOUNT_TIMEOUT)?;
        let title = b
            .session
            .text(&b.session.wait_for("[data-testid=title]", MOUNT_TIMEOUT)?)?;
        assert_eq!(title, "Lab backups", "title comes from backwatch.toml");
        assert!(
            b.session.find_all(".skeleton")?.is_empty(),
            "the loading skeleton is replaced"
        );
        let errors = b.console_errors()?;
        assert!(
            errors.is_empty(),
            "console errors (CSP violations show here too): {errors:?}"
        );
        Ok(())
    })
    .unwrap();
}

#[test]
fn config_problems_are_listed_with_line_and_key() {
    let config = "titel = \"typo\"\n";
    let caddy = Caddy::start(CaddyOptions::new("smoke-config-typo", config)).unwrap();
    with_browser("smoke-config-typo", BrowserOptions::default(), |b| {
        b.session.goto(&caddy.url("/"))?;
        b.session
            .wait_for("[data-testid=backwatch][data-state=ready]", MOUNT_TIMEOUT)?;
        let items = b.session.find_all("[data-testid=config-diagnostic]")?;
        let texts = items
            .iter()
            .map(|i| b.session.text(i))
            .collect::<Result<Vec<_>, _>>()?;
        assert!(
            texts.iter().any(|t| t
                == "error: titel: unknown key `titel` (did you mean `title`?) at line 1, column 1"),
            "{texts:?}"
        );
        Ok(())
    })
    .unwrap();
}

#[test]
fn invalid_toml_is_explained_instead_of_a_blank_frame() {
    let caddy = Caddy::start(CaddyOptions::new("smoke-bad-config", "title = \n")).unwrap();
    with_browser("smoke-bad-config", BrowserOptions::default(), |b| {
        b.session.goto(&caddy.url("/"))?;
        b.session
            .wait_for("[data-testid=backwatch][data-state=error]", MOUNT_TIMEOUT)?;
        let message = b.session.text(
            &b.session
                .wait_for("[data-testid=start-error]", MOUNT_TIMEOUT)?,
        )?;
        assert!(message.starts_with("backwatch.toml: "), "{message}");
        assert!(message.contains("line 1"), "names the line: {message}");
        Ok(())
    })
    .unwrap();
}

#[test]
fn theme_from_fragment_parameters_is_applied() {
    let caddy = Caddy::start(CaddyOptions::new("smoke-theme", "title = \"T\"\n")).unwrap();
    with_browser("smoke-theme", BrowserOptions::default(), |b| {
        b.session.goto(&caddy.url("/#scheme=light&bg=240,13,95&primary=230,100,30&cm=1.3"))?;
        b.session.wait_for("[data-testid=backwatch][data-state=ready]", MOUNT_TIMEOUT)?;
        let got = b.session.execute(
            "const r = document.documentElement, s = getComputedStyle(r);
             return [r.dataset.themeSource, r.dataset.scheme, s.getPropertyValue('--bgl').trim(),
                     s.getPropertyValue('--color-primary').trim(), s.getPropertyValue('--cm').trim(),
                     getComputedStyle(document.body).colorScheme];",
            vec![],
        )?;
        assert_eq!(
            got,
            serde_json::json!(["fragment", "light", "95%", "hsl(230, 100%, 30%)", "1.3", "light"])
        );
        Ok(())
    })
    .unwrap();
}

/// `#scheme=light` without colours: Glance's default light palette, not dark text on the
/// dark default background.
#[test]
fn scheme_light_alone_is_readable() {
    let caddy = Caddy::start(CaddyOptions::new("smoke-light", "title = \"Backups\"\n")).unwrap();
    with_browser("smoke-light", BrowserOptions::default(), |b| {
        b.session.goto(&caddy.url("/#scheme=light"))?;
        b.session.wait_for("[data-testid=backwatch][data-state=ready]", MOUNT_TIMEOUT)?;
        // Relative luminance (WCAG) of the card's background and of the title's text.
        let got = b.session.execute(
            "const lum = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number)
                 .map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
                 return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
             const card = document.querySelector('[data-testid=backwatch]');
             let el = card, bg = 'rgba(0, 0, 0, 0)';
             while (el && /rgba\\(.*, 0\\)$/.test(bg = getComputedStyle(el).backgroundColor)) el = el.parentElement;
             const fg = getComputedStyle(card.querySelector('h1, h2, header') || card).color;
             const [lb, lf] = [lum(bg), lum(fg)];
             return { bg, fg, contrast: (Math.max(lb, lf) + 0.05) / (Math.min(lb, lf) + 0.05),
                      light: lb > lf };",
            vec![],
        )?;
        assert_eq!(got["light"], true, "dark text on a light background: {got}");
        let contrast = got["contrast"].as_f64().unwrap_or(0.0);
        assert!(contrast >= 4.5, "WCAG AA contrast for the title: {got}");
        Ok(())
    })
    .unwrap();
}
