//! The synthetic PBS of the benchmarks: 300 groups × ~35 snapshots (10,000+ snapshots)
//! across 5 namespaces, with realistic fields (files with crypt-mode and size, verification
//! UPIDs, comments, owners, fingerprints, protected flags, one in-progress snapshot per 10
//! groups). Shared by `decode_bench` and `assess_bench`.

use std::collections::HashMap;
use std::fmt::Write as _;

pub const NOW: i64 = 1_779_019_200;
pub const NAMESPACES: [&str; 5] = ["", "prod", "lab", "lab/old", "friends"];
pub const GROUPS: usize = 300;

/// Deterministic pseudo-random numbers.
pub struct Lcg(pub u64);
impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// (path → body) of a whole PBS, and the number of snapshots.
pub fn synth() -> (HashMap<String, String>, usize) {
    let api = "/api/pbs/api2/json";
    let mut routes = HashMap::new();
    let mut rng = Lcg(42);
    let mut snapshots = 0;
    let ns_list: Vec<String> = NAMESPACES
        .iter()
        .map(|n| format!(r#"{{"ns":"{n}"}}"#))
        .collect();
    routes.insert(
        format!("{api}/admin/datastore/store1/namespace"),
        format!(r#"{{"data":[{}]}}"#, ns_list.join(",")),
    );
    let upid = "UPID:pbs:000003A8:0000053F:00000029:6A07F9D0:verificationjob:store1\\\\x3av\\\\x2d7c1f0b8e\\\\x2d2d3a:root@pam:";
    for (n, ns) in NAMESPACES.iter().enumerate() {
        let mut groups = String::from(r#"{"data":["#);
        let mut items: Vec<String> = Vec::new();
        for g in 0..GROUPS / NAMESPACES.len() {
            let vmid = 100 + n * 1000 + g;
            let ty = if g % 3 == 0 { "ct" } else { "vm" };
            let count = 30 + (rng.next() % 11) as usize; // 30..=40, ~35 on average
            let in_progress = g % 10 == 0;
            let encrypted = g % 7 == 0;
            let newest_finished = NOW - 36_000;
            for i in 0..count {
                let time = newest_finished - (i as i64) * 86_400 + (rng.next() % 60) as i64;
                let mut snaps = String::new();
                let size = 8_589_934_592u64 + rng.next() % 1_000_000;
                let _ = write!(
                    snaps,
                    r#"{{"backup-type":"{ty}","backup-id":"{vmid}","backup-time":{time},"comment":"guest-{vmid}","#
                );
                if i % 9 != 0 {
                    let state = if rng.next().is_multiple_of(50) {
                        "failed"
                    } else {
                        "ok"
                    };
                    let _ = write!(
                        snaps,
                        r#""verification":{{"upid":"{upid}","state":"{state}"}},"#
                    );
                }
                if encrypted {
                    snaps.push_str(r#""fingerprint":"a3:5f:09:c2:7d:1e:44:b8:90:6a:e2:11:3c:d7:58:f0:0b:9e:21:47:c6:83:5d:aa:12:e9:70:3b:cd:04:f6:8e","#);
                }
                let mode = if encrypted { "encrypt" } else { "none" };
                let _ = write!(
                    snaps,
                    r#""files":[{{"filename":"qemu-server.conf.blob","crypt-mode":"{mode}","size":544}},{{"filename":"drive-scsi0.img.fidx","crypt-mode":"{mode}","size":{size}}},{{"filename":"drive-efidisk0.img.fidx","crypt-mode":"{mode}","size":540672}},{{"filename":"index.json.blob","crypt-mode":"none","size":652}},{{"filename":"client.log.blob"}}],"size":{},"owner":"pve@pbs!pve1","protected":{}}}"#,
                    size + 541_868,
                    i == 20
                );
                items.push(snaps);
                snapshots += 1;
            }
            let mut total = count;
            if in_progress {
                items.push(format!(
                    r#"{{"backup-type":"{ty}","backup-id":"{vmid}","backup-time":{},"files":[{{"filename":"qemu-server.conf.blob"}},{{"filename":"drive-scsi0.img.fidx"}}],"owner":"pve@pbs!pve1","protected":false}}"#,
                    NOW - 30
                ));
                snapshots += 1;
                total += 1;
            }
            if g > 0 {
                groups.push(',');
            }
            let _ = write!(
                groups,
                r#"{{"backup-type":"{ty}","backup-id":"{vmid}","last-backup":{newest_finished},"backup-count":{total},"files":["index.json.blob","qemu-server.conf.blob","drive-scsi0.img.fidx","client.log.blob"],"owner":"pve@pbs!pve1","comment":"guest {vmid}"}}"#
            );
        }
        groups.push_str("]}");
        let snaps = format!(r#"{{"data":[{}]}}"#, items.join(","));
        let q = if ns.is_empty() {
            String::new()
        } else {
            format!("?ns={ns}")
        };
        routes.insert(format!("{api}/admin/datastore/store1/groups{q}"), groups);
        routes.insert(format!("{api}/admin/datastore/store1/snapshots{q}"), snaps);
    }
    (routes, snapshots)
}
