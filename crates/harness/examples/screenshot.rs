//! Developer aid: start the ADR homelab lab and save screenshots of the widget.
//! `cargo run -p backwatch-harness --example screenshot -- <out-dir> [width] [fragment-extra] [height]`
//! With `JS='return …'` in the environment, also runs that script and prints its result
//! (for looking into layout problems, or to type into the schedule tester before the
//! screenshot).
use std::time::Duration;

use backwatch_harness::browser::{Browser, BrowserOptions};
use backwatch_harness::paths::repo_root;
use backwatch_harness::sim::{Lab, SimOptions};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = args
        .first()
        .cloned()
        .unwrap_or_else(|| "target/screens".into());
    let width: u32 = args.get(1).and_then(|w| w.parse().ok()).unwrap_or(1100);
    let extra = args.get(2).cloned().unwrap_or_default();
    let height: u32 = args.get(3).and_then(|h| h.parse().ok()).unwrap_or(900);
    let config =
        std::fs::read_to_string(repo_root().join("config/demo.toml")).map_err(|e| e.to_string())?;
    let lab = Lab::start("screenshot", SimOptions::at_test_now(), &config)?;
    let b = Browser::start("screenshot", BrowserOptions { width, height })?;
    b.session.goto(&format!("{}{extra}", lab.widget_url()))?;
    b.session.wait_for(
        "[data-testid=backwatch][data-refreshing=false]",
        Duration::from_secs(60),
    )?;
    std::thread::sleep(Duration::from_millis(300));
    if let Ok(script) = std::env::var("JS") {
        println!("{}", b.session.execute(&script, vec![])?);
        // Let the page render what the script changed.
        std::thread::sleep(Duration::from_millis(300));
    }
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let png = b.session.screenshot_png()?;
    let path = format!("{out}/widget-{width}.png");
    std::fs::write(&path, png).map_err(|e| e.to_string())?;
    println!("{path}");
    Ok(())
}
