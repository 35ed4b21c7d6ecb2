//! `cargo xtask build`: the release widget in `dist/`, precompressed for Caddy's
//! `file_server { precompressed br gzip }`, and its first-load transfer size.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Result;
use crate::env::{self, command, run};
use crate::tools::Tools;

/// Extensions worth precompressing (everything the first load transfers).
const COMPRESSIBLE: &[&str] = &["html", "js", "wasm", "css", "toml", "svg", "json"];

/// Sizes of one file: raw, gzip -9, brotli 11.
#[derive(Clone, Debug)]
pub struct Sizes {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// Build `dist/` with Trunk (release: opt-level z, LTO, wasm-opt -Oz), precompress it and
/// return the transfer sizes of what a first load fetches.
pub fn build(_tools: &Tools) -> Result<Vec<Sizes>> {
    let dist = env::root().join("dist");
    run(command("trunk").args(["build", "--release"]))?;
    let sizes = precompress(&dist)?;
    print_sizes(&sizes);
    Ok(sizes)
}

fn files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            out.extend(files(&path)?);
        } else {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// Write `.br` and `.gz` next to every compressible file; return the sizes.
pub fn precompress(dist: &Path) -> Result<Vec<Sizes>> {
    let mut sizes = Vec::new();
    for path in files(dist)? {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let raw = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let gz = gzip(&raw)?;
        let br = brotli(&raw)?;
        write(&sidecar(&path, "gz"), &gz)?;
        write(&sidecar(&path, "br"), &br)?;
        let name = path
            .strip_prefix(dist)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        sizes.push(Sizes {
            name,
            raw: raw.len() as u64,
            gzip: gz.len() as u64,
            brotli: br.len() as u64,
        });
    }
    Ok(sizes)
}

fn sidecar(path: &Path, ext: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn gzip(raw: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(raw).map_err(|e| e.to_string())?;
    enc.finish().map_err(|e| e.to_string())
}

pub fn brotli(raw: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &raw[..], &mut out, &params).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Print the table; the total is what a first load transfers (compressed).
pub fn print_sizes(sizes: &[Sizes]) {
    println!(
        "\n{:<44} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    for s in sizes {
        println!(
            "{:<44} {:>10} {:>10} {:>10}",
            s.name, s.raw, s.gzip, s.brotli
        );
    }
    let total = |f: fn(&Sizes) -> u64| sizes.iter().map(f).sum::<u64>();
    println!(
        "{:<44} {:>10} {:>10} {:>10}\n",
        "total",
        total(|s| s.raw),
        total(|s| s.gzip),
        total(|s| s.brotli)
    );
}
