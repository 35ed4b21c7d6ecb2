//! The widget's runtime configuration (`backwatch.toml`, served next to `index.html`).
//!
//! Minimal first version: the title and the refresh interval. Sources, services and
//! schedules follow (see docs/config.md once written).

use serde::Deserialize;

/// The parsed configuration.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Heading shown on the card.
    #[serde(default = "default_title")]
    pub title: String,
    /// Seconds between refreshes.
    #[serde(default = "default_refresh")]
    pub refresh_secs: u32,
}

fn default_title() -> String {
    "Backups".to_owned()
}

fn default_refresh() -> u32 {
    300
}

/// Why the configuration could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "backwatch.toml: {}", self.message.trim_end())
    }
}

/// Parse the configuration text.
///
/// # Errors
/// A [`ConfigError`] naming the line, column and key of the first problem.
pub fn parse(text: &str) -> Result<Config, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError {
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_to_an_empty_file() {
        let c = parse("").unwrap();
        assert_eq!(c.title, "Backups");
        assert_eq!(c.refresh_secs, 300);
    }

    #[test]
    fn unknown_keys_are_errors_that_name_the_key() {
        let e = parse("titel = \"x\"\n").unwrap_err();
        assert!(e.to_string().contains("titel"), "{e}");
        assert!(e.to_string().contains("line 1"), "{e}");
    }
}
