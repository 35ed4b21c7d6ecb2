//! `config::parse` must never panic: the wasm build aborts on panic, which would blank the
//! widget. Feed it garbage and systematically damaged versions of the example file, and
//! check every reported position lies inside the text.

use backwatch_core::config;

const EXAMPLE: &str = include_str!("../../../config/backwatch.example.toml");

/// Deterministic xorshift64* generator: reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }
}

/// Parse and check that positions are plausible. Returns whether it was valid TOML.
fn parse_checked(text: &str) -> bool {
    let lines = u32::try_from(text.split('\n').count()).unwrap_or(u32::MAX);
    match config::parse(text) {
        Ok(loaded) => {
            for d in &loaded.diagnostics {
                assert!(d.line >= 1 && d.line <= lines, "{d} in {text:?}");
                assert!(d.column >= 1, "{d}");
                let _ = d.to_string();
            }
            true
        }
        Err(e) => {
            assert!(e.line >= 1 && e.line <= lines, "{e} in {text:?}");
            assert!(e.column >= 1, "{e}");
            let _ = e.to_string();
            false
        }
    }
}

/// Byte offsets that are character boundaries.
fn boundaries(text: &str) -> Vec<usize> {
    (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect()
}

#[test]
fn every_prefix_of_the_example() {
    for i in boundaries(EXAMPLE) {
        parse_checked(&EXAMPLE[..i]);
    }
}

#[test]
fn every_line_removed_or_doubled() {
    let lines: Vec<&str> = EXAMPLE.lines().collect();
    for i in 0..lines.len() {
        let mut removed = lines.clone();
        removed.remove(i);
        parse_checked(&removed.join("\n"));
        let mut doubled = lines.clone();
        doubled.insert(i, lines[i]);
        parse_checked(&doubled.join("\n"));
    }
}

#[test]
fn random_mutations_of_the_example() {
    const ALPHABET: &[&str] = &[
        "\"",
        "'",
        "[",
        "]",
        "{",
        "}",
        "=",
        ",",
        ".",
        "\n",
        " ",
        "#",
        "@",
        "/",
        "%",
        "-",
        "0",
        "9",
        "é",
        "\u{feff}",
        "\u{0}",
        "true",
        "1979-05-27",
        "[[",
        "]]",
        "\"\"\"",
        "ct/",
        "vm/",
        "@pbs-main",
        "services.",
        "sources.pbs",
        "every",
        "cron",
        "\\u",
        "99999999999999999999",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut valid = 0;
    for _ in 0..4_000 {
        let mut text = EXAMPLE.to_owned();
        for _ in 0..=rng.below(4) {
            let cuts = boundaries(&text);
            let at = cuts[rng.below(cuts.len())];
            match rng.below(3) {
                // Insert a token.
                0 => text.insert_str(at, ALPHABET[rng.below(ALPHABET.len())]),
                // Delete a short run.
                1 => {
                    let end = cuts
                        .iter()
                        .copied()
                        .find(|&c| c >= at + rng.below(12))
                        .unwrap_or(text.len());
                    text.replace_range(at..end, "");
                }
                // Replace one character.
                _ => {
                    let end = cuts.iter().copied().find(|&c| c > at).unwrap_or(text.len());
                    text.replace_range(at..end, ALPHABET[rng.below(ALPHABET.len())]);
                }
            }
        }
        if parse_checked(&text) {
            valid += 1;
        }
    }
    // Most mutations keep the TOML valid and exercise the walker, not just the parser.
    assert!(valid > 1_000, "only {valid} mutations were valid TOML");
}

#[test]
fn garbage() {
    let cases = [
        "",
        "\u{feff}",
        "\0\0\0",
        "=",
        "[",
        "[[]]",
        "[services]\n",
        "[services.\"\"]\n",
        "services = 1\nsources = \"x\"\ndefaults = []\nschedules = {}\nignore = true\n",
        "[[services]]\nname = \"x\"\n",
        "[sources]\npbs = [1, \"x\", [], {}]\npve = 3\n",
        "[[sources.pbs]]\nname = 1\nbase = []\n",
        "[services.a]\nguests = [[], {}, {guest = 1}, {guest = \"vm/1\", grace = {}}]\n",
        "[services.a]\nguests = [\"vm/1@\", \"vm/1@@\", \"@\", \"/\", \"vm/1@x/y/z/w/v/u/t/s/r/q\"]\n",
        "[services.a]\ndatabases = [\"@\", \"/@\", \"a/b@\", \"@/\"]\nplans = [\"@\", \"plan/\"]\n",
        "[defaults]\nrefresh = \"99999999999999999999999s\"\ngrace = \"%\"\ngrace_max = \"1.%\"\n",
        "[defaults]\ngrace = \"999.99%\"\nrefresh = \"\u{1F600}\"\n",
        "a = 1\n\u{1F600} = 2\n",
        "[services.\"\u{1F600}\u{1F600}\"]\nguests = [\"vm/\u{1F600}\"]\n",
        "[schedules]\nlabel = \"x\"\n",
        "[[schedules]]\n[[schedules]]\nlabel = 1\ncron = 2\ncalendar = 3\n",
        "[[sources.backrest]]\nname = \"b\"\nbase = \"/b\"\nplans = []\nrepos = { r = 1, s = { prune = 2 } }\n",
        "[[sources.backrest]]\nname = \"b\"\nbase = \"/b\"\nplans = { p = { every = 5, disabled = 1 } }\n",
        "paused_until = 1979-05-27T07:32:00Z\n[services.x]\npaused_until = 07:32:00\n",
        "[services.x]\npaused_until = 1979-02-30\n",
    ];
    for text in cases {
        parse_checked(text);
    }
    // Deep nesting must not overflow the stack.
    let deep = format!("a = {}1{}", "[".repeat(5_000), "]".repeat(5_000));
    parse_checked(&deep);
    let deep_tables = format!("a = {}{}", "{b = ".repeat(2_000), "}".repeat(2_000));
    parse_checked(&deep_tables);
    // Random bytes interpreted as text.
    let mut rng = Rng(42);
    for _ in 0..2_000 {
        let len = rng.below(200);
        let bytes: Vec<u8> = (0..len).map(|_| (rng.next() >> 56) as u8).collect();
        parse_checked(&String::from_utf8_lossy(&bytes));
    }
}
