//! Where things are: repository, target directory, pinned tools.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .nth(2)
        .unwrap_or(manifest)
        .to_path_buf()
}

/// Cargo's target directory (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"))
}

/// The built widget (`cargo xtask build`), or `BACKWATCH_DIST`.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("BACKWATCH_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("dist"))
}

fn home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".tools"))
}

/// Where `cargo xtask setup` keeps tools that are not installed system-wide.
pub fn tools_dir() -> PathBuf {
    std::env::var_os("BACKWATCH_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| home().join(".cache").join("backwatch-tools"))
}

/// Directories searched before PATH, so the pinned tools win over system ones.
pub fn tool_bins() -> Vec<PathBuf> {
    let tools = tools_dir();
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home().join(".cargo"));
    vec![
        tools.join("npm").join("node_modules").join(".bin"),
        tools.join("venv").join("bin"),
        cargo_home.join("bin"),
    ]
}

/// PATH with the tool directories first.
pub fn path_with_tools() -> OsString {
    let mut dirs = tool_bins();
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// Find `program` in the tool directories or on PATH.
pub fn which(program: &str) -> crate::Result<PathBuf> {
    std::env::split_paths(&path_with_tools())
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| format!("{program} not found; run `cargo xtask setup`"))
}

/// A fresh directory under `target/e2e/<name>` (emptied if it exists).
pub fn scratch_dir(name: &str) -> crate::Result<PathBuf> {
    let dir = target_dir().join("e2e").join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}
