//! UPIDs, task states and worker ids (PBS and PVE).

use crate::model::{Epoch, GuestType, RunOutcome, Subject};

/// Start time of a task from its UPID's hex start-time field.
///
/// PBS: `UPID:<node>:<pid>:<pstart>:<task_id>:<starttime>:<type>:<id>:<authid>:`;
/// PVE (no task_id): `UPID:<node>:<pid>:<pstart>:<starttime>:<type>:<id>:<user>:`.
/// Worker ids and authids never contain a raw `:` (it is escaped as `\x3a`).
pub fn upid_start(upid: &str) -> Option<Epoch> {
    let parts: Vec<&str> = upid.trim().split(':').collect();
    if parts.first() != Some(&"UPID") {
        return None;
    }
    let field = match parts.len() {
        n if n >= 10 => parts.get(5)?,
        9 => parts.get(4)?,
        _ => return None,
    };
    if field.is_empty() || field.len() > 16 {
        return None;
    }
    i64::from_str_radix(field, 16).ok()
}

/// Classifies a PBS/PVE task or job state like the Proxmox GUI (`parse_task_status`):
/// `OK` → ok, `unknown` → unknown, `WARNINGS: n` → warning, anything else → error (the text
/// is the error message).
pub fn task_outcome(state: &str) -> (RunOutcome, Option<String>) {
    let state = state.trim();
    if state == "OK" {
        (RunOutcome::Ok, None)
    } else if state == "unknown" {
        (RunOutcome::Unknown, None)
    } else if state.starts_with("WARNINGS:") {
        (RunOutcome::Warning, Some(state.to_owned()))
    } else {
        (RunOutcome::Failed, Some(state.to_owned()))
    }
}

/// The datastore and subject of a worker id such as `store1:ct/101` (backup) or
/// `store1:ns:vm/100/2026-05-17T02:00:12Z` (verify_snapshot). The subject is the first
/// `:`-separated part after the store that starts with `vm/`, `ct/` or `host/`.
pub fn worker_subject(worker_id: &str) -> Option<(String, Subject)> {
    let (store, rest) = worker_id.split_once(':')?;
    let mut parts = rest.split(':');
    let found = parts.find_map(|p| {
        let (ty, tail) = p.split_once('/')?;
        let id = tail.split('/').next().unwrap_or(tail);
        if id.is_empty() {
            return None;
        }
        subject_of(ty, id)
    })?;
    Some((store.to_owned(), found))
}

/// A subject from a PBS backup type and id. `vm`/`ct` with a numeric id are guests;
/// `host` groups (and vm/ct groups with a non-numeric id) are hosts named `type/id` unless
/// the type is `host`.
pub fn subject_of(ty: &str, id: &str) -> Option<Subject> {
    let guest = match ty {
        "vm" => Some(GuestType::Vm),
        "ct" => Some(GuestType::Ct),
        "host" => None,
        _ => {
            return Some(Subject::Host {
                id: format!("{ty}/{id}"),
            });
        }
    };
    Some(match guest {
        Some(g) => match id.parse::<u32>() {
            Ok(n) => Subject::Guest { ty: g, id: n },
            Err(_) => Subject::Host {
                id: format!("{ty}/{id}"),
            },
        },
        None => Subject::Host { id: id.to_owned() },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upid_start_times() {
        let cases = [
            (
                "UPID:pbs:000003A8:0000053F:00000029:6A07F9D0:verificationjob:store1\\x3av\\x2d7c1f0b8e\\x2d2d3a:root@pam:",
                Some(1778907600),
            ),
            (
                "UPID:pve1:0000C350:0035A0F6:6A07F9D0:vzdump::root@pam:",
                Some(1778907600),
            ),
            ("UPID:broken", None),
            ("", None),
            ("UPID:a:b:c:d:ZZZZ:x:y:z:", None),
            (
                "NOTUPID:pbs:000003A8:0000053F:00000029:6A07F9D0:x:y:z:",
                None,
            ),
        ];
        for (upid, want) in cases {
            assert_eq!(upid_start(upid), want, "{upid}");
        }
    }

    #[test]
    fn task_states() {
        assert_eq!(task_outcome("OK"), (RunOutcome::Ok, None));
        assert_eq!(task_outcome("unknown"), (RunOutcome::Unknown, None));
        assert_eq!(
            task_outcome("WARNINGS: 2"),
            (RunOutcome::Warning, Some("WARNINGS: 2".into()))
        );
        assert_eq!(
            task_outcome("datastore 'x' is not mounted"),
            (
                RunOutcome::Failed,
                Some("datastore 'x' is not mounted".into())
            )
        );
    }

    #[test]
    fn worker_subjects() {
        let g = |ty, id| Subject::Guest { ty, id };
        let cases = [
            ("store1:ct/101", Some(("store1", g(GuestType::Ct, 101)))),
            ("store1:vm/100", Some(("store1", g(GuestType::Vm, 100)))),
            (
                "store1:lab:vm/200/2026-05-10T02:15:22Z",
                Some(("store1", g(GuestType::Vm, 200))),
            ),
            (
                "store1:host/nas",
                Some(("store1", Subject::Host { id: "nas".into() })),
            ),
            ("store1:v-7c1f0b8e-2d3a", None),
            ("store1", None),
        ];
        for (wid, want) in cases {
            let got = worker_subject(wid);
            let want = want.map(|(s, subj)| (s.to_owned(), subj));
            assert_eq!(got, want, "{wid}");
        }
    }
}
