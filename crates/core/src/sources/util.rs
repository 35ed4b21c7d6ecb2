//! Small helpers that keep the wasm small: every sort goes through one of two shared
//! `sort_unstable` instances (on `(u64, u32)` and `(String, u32)` pairs) instead of one
//! std sort instantiation per element type and closure, and lookups use short `Vec`s
//! instead of a `BTreeMap` per key/value type.

/// Maps an `i64` to a `u64` with the same order.
fn ordered(k: i64) -> u64 {
    (k as u64) ^ (1 << 63)
}

/// Reorders `v` by `order` (indices into `v`).
fn permute<T>(v: &mut Vec<T>, order: impl Iterator<Item = u32>) {
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    for i in order {
        if let Some(item) = slots.get_mut(i as usize).and_then(Option::take) {
            v.push(item);
        }
    }
}

fn sort_by_u64<T>(v: &mut Vec<T>, key: impl Fn(&T) -> u64) {
    let mut keys: Vec<(u64, u32)> = v
        .iter()
        .enumerate()
        .map(|(i, t)| (key(t), i as u32))
        .collect();
    keys.sort_unstable();
    permute(v, keys.into_iter().map(|(_, i)| i));
}

/// Stable sort by an integer key, ascending.
pub(crate) fn sort_asc<T>(v: &mut Vec<T>, key: impl Fn(&T) -> i64) {
    sort_by_u64(v, |t| ordered(key(t)));
}

/// Stable sort by an integer key, descending (newest first); ties keep their order.
pub(crate) fn sort_desc<T>(v: &mut Vec<T>, key: impl Fn(&T) -> i64) {
    sort_by_u64(v, |t| !ordered(key(t)));
}

/// Stable sort by a string key, ascending.
pub(crate) fn sort_by_text<T>(v: &mut Vec<T>, key: impl Fn(&T) -> String) {
    let mut keys: Vec<(String, u32)> = v
        .iter()
        .enumerate()
        .map(|(i, t)| (key(t), i as u32))
        .collect();
    keys.sort_unstable();
    permute(v, keys.into_iter().map(|(_, i)| i));
}

/// The value for `key` in a small association list.
pub(crate) fn lookup<'a, K: PartialEq + ?Sized, V, Q>(list: &'a [(Q, V)], key: &K) -> Option<&'a V>
where
    Q: std::borrow::Borrow<K>,
{
    list.iter().find(|(k, _)| k.borrow() == key).map(|(_, v)| v)
}

/// The entry for `key`, inserted with `V::default()` when missing.
pub(crate) fn entry<K: PartialEq, V: Default>(list: &mut Vec<(K, V)>, key: K) -> &mut V {
    let index = match list.iter().position(|(k, _)| *k == key) {
        Some(i) => i,
        None => {
            list.push((key, V::default()));
            list.len() - 1
        }
    };
    // `index` is valid: found above, or the element just pushed.
    match list.get_mut(index) {
        Some((_, v)) => v,
        None => unreachable_entry(),
    }
}

#[cold]
fn unreachable_entry() -> ! {
    // Only reachable if Vec::push did not push; abort is the honest answer.
    std::process::abort()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_are_stable_and_ordered() {
        let mut v = vec![
            (3, 'a'),
            (-1, 'b'),
            (3, 'c'),
            (i64::MIN, 'd'),
            (i64::MAX, 'e'),
        ];
        sort_asc(&mut v, |t| t.0);
        assert_eq!(
            v,
            vec![
                (i64::MIN, 'd'),
                (-1, 'b'),
                (3, 'a'),
                (3, 'c'),
                (i64::MAX, 'e')
            ]
        );
        sort_desc(&mut v, |t| t.0);
        assert_eq!(
            v,
            vec![
                (i64::MAX, 'e'),
                (3, 'a'),
                (3, 'c'),
                (-1, 'b'),
                (i64::MIN, 'd')
            ]
        );
        let mut w = vec!["b", "a", "c", "a"];
        sort_by_text(&mut w, |s| (*s).to_owned());
        assert_eq!(w, vec!["a", "a", "b", "c"]);
        let mut list: Vec<(String, u32)> = Vec::new();
        *entry(&mut list, "x".to_owned()) += 1;
        *entry(&mut list, "x".to_owned()) += 1;
        assert_eq!(lookup(&list, "x"), Some(&2));
        assert_eq!(lookup(&list, "y"), None);
    }
}
