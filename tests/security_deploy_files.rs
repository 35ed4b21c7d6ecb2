//! The shipped deployment files agree with each other and with Caddyfile.example:
//! the env file sets every variable the Caddyfile reads (nothing secret in it), the Vault
//! and OpenBao agent configurations render the same files the same way, the Caddyfile
//! injects credentials only from files, and `caddy validate` accepts the Caddyfile with
//! the shipped env file.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use backwatch_harness::paths::{path_with_tools, repo_root, scratch_dir, which};

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo_root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// `{$NAME` occurrences.
fn caddy_vars(text: &str) -> BTreeSet<String> {
    text.split("{$")
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

fn env_keys(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && l.contains('='))
        .map(|l| l.split('=').next().unwrap().trim().to_owned())
        .collect()
}

#[test]
fn env_file_covers_the_caddyfile_and_holds_no_secret() {
    let caddyfile = read("Caddyfile.example");
    let env = read("deploy/caddy/backwatch.env");
    let code: String = caddyfile
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let vars = caddy_vars(&code);
    let keys = env_keys(&env);
    // Defaults that are right for production and need no line in the env file.
    let optional: BTreeSet<String> = ["BACKWATCH_ADMIN", "BACKWATCH_BIND", "BACKWATCH_LOG_LEVEL"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let missing: Vec<&String> = vars
        .iter()
        .filter(|v| !keys.contains(*v) && !optional.contains(*v))
        .collect();
    assert!(missing.is_empty(), "backwatch.env lacks {missing:?}");
    let unknown: Vec<&String> = keys.iter().filter(|k| !vars.contains(*k)).collect();
    assert!(unknown.is_empty(), "backwatch.env sets unused {unknown:?}");
    for line in env.lines().filter(|l| !l.starts_with('#')) {
        let lower = line.to_ascii_lowercase();
        assert!(
            !lower.contains("secret=") && !lower.contains("password") && !lower.contains("token="),
            "a secret-looking line in backwatch.env: {line}"
        );
    }
}

#[test]
fn credentials_come_only_from_files() {
    let caddyfile = read("Caddyfile.example");
    let mut auth_lines = 0;
    for line in caddyfile.lines().map(str::trim) {
        assert!(
            !line.contains("{env."),
            "{{env.*}} leaks via /proc/<pid>/environ: {line}"
        );
        if line.starts_with("header_up Authorization") {
            auth_lines += 1;
            assert!(line.contains("{file.{args[3]}}"), "{line}");
            assert!(!line.contains("{$"), "adapt-time secret: {line}");
        }
        assert!(
            !line.starts_with("header_up -Authorization"),
            "set + delete = the upstream gets no Authorization: {line}"
        );
        assert!(!line.contains("tls_insecure_skip_verify"), "{line}");
    }
    assert_eq!(auth_lines, 4, "one Authorization per source kind");
}

#[test]
fn vault_and_openbao_render_the_same_files() {
    let blocks = |rel: &str| -> Vec<String> {
        let text = read(rel);
        text.split("\ntemplate {")
            .skip(1)
            .map(|b| b.split("\n}").next().unwrap().trim().to_owned())
            .collect()
    };
    let vault = blocks("deploy/vault/agent.hcl");
    let bao = blocks("deploy/openbao/agent.hcl");
    assert_eq!(vault.len(), 4, "one template per source");
    assert_eq!(vault, bao);
    for b in &vault {
        assert!(b.contains("perms                = \"0640\""), "{b}");
        assert!(b.contains("error_on_missing_key = true"), "{b}");
        assert!(
            b.contains("destination          = \"/run/caddy-secrets/"),
            "{b}"
        );
    }
    for rel in ["deploy/vault/agent.hcl", "deploy/openbao/agent.hcl"] {
        let text = read(rel);
        assert!(text.contains("exit_on_retry_failure = true"), "{rel}");
        assert!(text.contains("static_secret_render_interval"), "{rel}");
        assert!(
            text.contains("remove_secret_id_file_after_reading = false"),
            "{rel}"
        );
    }
    for rel in [
        "deploy/systemd/vault-agent-backwatch.service",
        "deploy/systemd/openbao-agent-backwatch.service",
    ] {
        let unit = read(rel);
        for line in [
            "RuntimeDirectory=caddy-secrets",
            "RuntimeDirectoryMode=0750",
            "RuntimeDirectoryPreserve=yes",
            "Group=caddy",
        ] {
            assert!(unit.lines().any(|l| l == line), "{rel} lacks {line}");
        }
    }
}

#[test]
fn caddy_validates_the_example_with_the_shipped_env_file() {
    let dir = scratch_dir("validate-env").unwrap();
    let pem = repo_root().join("tests/data/dummy-upstream.pem");
    // The shipped file, with the certificate paths pointed at the dummy PEM (validate
    // loads them) and the paths that need root replaced.
    let env: String = read("deploy/caddy/backwatch.env")
        .lines()
        .map(|l| {
            if l.starts_with("PBS_CA_FILE=") || l.starts_with("PVE_CA_FILE=") {
                format!("{}={}", l.split('=').next().unwrap(), pem.display())
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let envfile = dir.join("backwatch.env");
    std::fs::write(&envfile, env).unwrap();
    let out = Command::new(which("caddy").unwrap())
        .args(["validate", "--adapter", "caddyfile", "--config"])
        .arg(repo_root().join("Caddyfile.example"))
        .arg("--envfile")
        .arg(&envfile)
        .env("PATH", path_with_tools())
        .env("XDG_CONFIG_HOME", dir.join("home"))
        .env("XDG_DATA_HOME", dir.join("home"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "caddy validate: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(Path::new(&envfile).exists());
}
