//! CLI harness: JSON lines on stdin, one JSON line per input on stdout.
//!
//! ```text
//! echo '{"kind":"calendar","expr":"mon..fri 04:00","tz":"Europe/Berlin","after":1704067200,"count":3}' \
//!   | cargo run -q -p backwatch-core --features tzdb --example schedule
//! {"next":[1704078000,1704164400,1704250800]}
//! ```
//!
//! The protocol is documented in `backwatch_core::schedule::harness`. A bad line gives
//! an `{"error":…}` line; the harness never stops early.

use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line?;
        writeln!(
            out,
            "{}",
            backwatch_core::schedule::harness::handle_line(&line)
        )?;
    }
    out.flush()
}
