//! The PBS/PVE setup scripts (`deploy/*-setup.sh`), run against stub `proxmox-backup-manager`
//! and `pveum` commands that record every call: twice each, to prove they are idempotent.
//! The checks themselves are in `deploy/test/run.sh` (bash -n, shellcheck when installed,
//! the calls made, the ACLs left behind, the printed token forms).
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::Command;

#[test]
fn setup_scripts_are_idempotent_and_grant_audit_to_user_and_token() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("bash")
        .arg(root.join("deploy/test/run.sh"))
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "deploy/test/run.sh failed\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}
