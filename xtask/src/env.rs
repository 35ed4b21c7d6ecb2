//! Paths and command helpers shared by the tasks.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use backwatch_harness::paths::path_with_tools;
pub use backwatch_harness::paths::{repo_root as root, tools_dir};
pub use backwatch_harness::process::describe;

use crate::Result;

/// A command that runs in the repository root with the pinned tools first on PATH.
pub fn command(program: &str) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(root()).env("PATH", path_with_tools());
    cmd
}

/// Run to completion with inherited output; an error names the command and its status.
pub fn run(cmd: &mut Command) -> Result {
    println!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start `{}`: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

/// Stdout of a command that succeeded, or `None` (not installed, failed).
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Find a program on the tool-first PATH.
pub fn which(program: &str) -> Result<PathBuf> {
    backwatch_harness::paths::which(program)
}
