//! The release wasm's size by crate, so a regression has a name. Reads a wasm that kept
//! its name section (`wasm-opt -Oz -g`), demangles each function's name and charges its
//! body to the crate that defines it (for `<T as Trait>::f`, the crate of `T`).

use std::collections::BTreeMap;

use crate::Result;

fn leb(bytes: &[u8], pos: &mut usize) -> Result<u64> {
    let mut value = 0u64;
    let mut shift = 0;
    loop {
        let b = *bytes.get(*pos).ok_or("truncated LEB128")?;
        *pos += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(value);
        }
        shift += 7;
        if shift > 63 {
            return Err("LEB128 too long".into());
        }
    }
}

fn name_at(bytes: &[u8], pos: &mut usize) -> Result<String> {
    let len = leb(bytes, pos)? as usize;
    let s = bytes.get(*pos..*pos + len).ok_or("truncated name")?;
    *pos += len;
    Ok(String::from_utf8_lossy(s).into_owned())
}

/// Sizes of one module: function bodies by index, imported function count, data bytes,
/// function names.
struct Module {
    imported_funcs: usize,
    bodies: Vec<usize>,
    data: usize,
    names: BTreeMap<usize, String>,
}

fn parse(bytes: &[u8]) -> Result<Module> {
    if bytes.get(..4) != Some(b"\0asm") {
        return Err("not a wasm module".into());
    }
    let mut m = Module {
        imported_funcs: 0,
        bodies: Vec::new(),
        data: 0,
        names: BTreeMap::new(),
    };
    let mut pos = 8;
    while pos < bytes.len() {
        let id = bytes[pos];
        pos += 1;
        let size = leb(bytes, &mut pos)? as usize;
        let end = pos + size;
        let section = bytes.get(pos..end).ok_or("truncated section")?;
        let mut p = 0;
        match id {
            2 => {
                // Imports: count the functions (kind 0).
                let count = leb(section, &mut p)?;
                for _ in 0..count {
                    name_at(section, &mut p)?;
                    name_at(section, &mut p)?;
                    let kind = *section.get(p).ok_or("truncated import")?;
                    p += 1;
                    match kind {
                        0 => {
                            leb(section, &mut p)?;
                            m.imported_funcs += 1;
                        }
                        1 => {
                            p += 1;
                            let flags = leb(section, &mut p)?;
                            leb(section, &mut p)?;
                            if flags & 1 == 1 {
                                leb(section, &mut p)?;
                            }
                        }
                        2 => {
                            let flags = leb(section, &mut p)?;
                            leb(section, &mut p)?;
                            if flags & 1 == 1 {
                                leb(section, &mut p)?;
                            }
                        }
                        3 => p += 2,
                        4 => {
                            p += 1;
                            leb(section, &mut p)?;
                        }
                        _ => return Err(format!("unknown import kind {kind}")),
                    }
                }
            }
            10 => {
                let count = leb(section, &mut p)?;
                for _ in 0..count {
                    let len = leb(section, &mut p)? as usize;
                    m.bodies.push(len);
                    p += len;
                }
            }
            11 => m.data += size,
            0 => {
                let name = name_at(section, &mut p)?;
                if name == "name" {
                    while p < section.len() {
                        let sub = section[p];
                        p += 1;
                        let len = leb(section, &mut p)? as usize;
                        let body = section.get(p..p + len).ok_or("truncated name subsection")?;
                        if sub == 1 {
                            let mut q = 0;
                            let count = leb(body, &mut q)?;
                            for _ in 0..count {
                                let idx = leb(body, &mut q)? as usize;
                                m.names.insert(idx, name_at(body, &mut q)?);
                            }
                        }
                        p += len;
                    }
                }
            }
            _ => {}
        }
        pos = end;
    }
    Ok(m)
}

/// The crate a demangled function path belongs to.
pub fn crate_of(demangled: &str) -> String {
    let s = demangled
        .trim_start_matches('<')
        .trim_start_matches('&')
        .trim_start_matches("mut ");
    let s = s.trim_start_matches("dyn ");
    let end = s.find("::").unwrap_or(s.len());
    let head = &s[..end];
    let head = head.split(['<', ' ', '[', '(']).next().unwrap_or(head);
    if head.is_empty() || !head.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        "(other)".to_owned()
    } else {
        head.to_owned()
    }
}

/// `crate::module` of a demangled path whose crate is `krate` (e.g.
/// `backwatch_core::health`), or the crate alone when there is no module.
pub fn module_of(demangled: &str, krate: &str) -> String {
    let Some(start) = demangled.find(&format!("{krate}::")) else {
        return krate.to_owned();
    };
    let rest = &demangled[start + krate.len() + 2..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    if end == 0 {
        krate.to_owned()
    } else {
        format!("{krate}::{}", &rest[..end])
    }
}

/// Sizes of an optimized wasm with names.
pub struct Breakdown {
    /// Code bytes per crate, largest first.
    pub crates: Vec<(String, usize)>,
    /// Code bytes per module of the workspace's own crates, largest first.
    pub own_modules: Vec<(String, usize)>,
    pub code: usize,
    pub data: usize,
}

/// Code bytes per crate (and per module of our own crates) and data bytes.
pub fn by_crate(wasm: &[u8]) -> Result<Breakdown> {
    let m = parse(wasm)?;
    let mut per: BTreeMap<String, usize> = BTreeMap::new();
    let mut modules: BTreeMap<String, usize> = BTreeMap::new();
    for (i, size) in m.bodies.iter().enumerate() {
        let name = m.names.get(&(i + m.imported_funcs));
        let krate = match name {
            Some(n) => {
                let demangled = format!("{:#}", rustc_demangle::demangle(n));
                let krate = crate_of(&demangled);
                if krate.starts_with("backwatch") {
                    *modules.entry(module_of(&demangled, &krate)).or_default() += size;
                }
                krate
            }
            None => "(unnamed)".to_owned(),
        };
        *per.entry(krate).or_default() += size;
    }
    let sorted = |map: BTreeMap<String, usize>| {
        let mut list: Vec<(String, usize)> = map.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list
    };
    Ok(Breakdown {
        crates: sorted(per),
        own_modules: sorted(modules),
        code: m.bodies.iter().sum(),
        data: m.data,
    })
}

#[cfg(test)]
mod tests {
    use super::{crate_of, module_of};

    #[test]
    fn modules_of_our_crates() {
        assert_eq!(
            module_of("backwatch_core::health::assess::assess", "backwatch_core"),
            "backwatch_core::health"
        );
        assert_eq!(
            module_of(
                "<backwatch_core::config::Diagnostic as core::fmt::Display>::fmt",
                "backwatch_core"
            ),
            "backwatch_core::config"
        );
        assert_eq!(module_of("backwatch::main", "backwatch"), "backwatch::main");
    }

    #[test]
    fn crates_of_demangled_paths() {
        for (path, want) in [
            ("backwatch_core::health::assess::assess", "backwatch_core"),
            (
                "<serde_json::de::Deserializer<R> as serde::de::Deserializer>::deserialize_seq",
                "serde_json",
            ),
            (
                "<&mut serde_json::ser::Serializer<W,F> as serde::ser::Serializer>::serialize_str",
                "serde_json",
            ),
            ("core::fmt::write", "core"),
            ("<[T] as core::fmt::Debug>::fmt", "(other)"),
            ("__wbindgen_malloc", "__wbindgen_malloc"),
        ] {
            assert_eq!(crate_of(path), want, "{path}");
        }
    }
}
