//! A human summary of a scenario at one instant: what the demo prints.

use std::fmt::Write;

use crate::scenario::Scenario;
use crate::util::rfc3339;
use crate::world::World;

/// The summary text.
pub fn text(sc: &Scenario, w: &World) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "scenario {} at {} ({})",
        sc.lab.name,
        rfc3339(w.now),
        w.now
    );
    if !sc.lab.description.is_empty() {
        let _ = writeln!(out, "  {}", sc.lab.description);
    }
    let snaps: usize = w.pbs.stores.iter().map(|s| s.snaps.len()).sum();
    let running = w
        .pbs
        .stores
        .iter()
        .flat_map(|s| s.snaps.iter())
        .filter(|s| !s.finished())
        .count();
    let _ = writeln!(
        out,
        "  PBS {}: {} datastores, {} snapshots ({} in progress), {} tasks",
        w.pbs.node,
        w.pbs.stores.len(),
        snaps,
        running,
        w.pbs.tasks.len()
    );
    let _ = writeln!(
        out,
        "  PVE: {} guests, {} backup jobs, {} not backed up",
        w.pve.guests.len(),
        w.pve.jobs.len(),
        w.pve.not_backed_up.len()
    );
    let _ = writeln!(
        out,
        "  Databasement: {} servers, {} jobs",
        w.db.servers.len(),
        w.db.jobs.len()
    );
    let _ = writeln!(
        out,
        "  Backrest: {} repos, {} plans, {} operations",
        w.br.repos.len(),
        w.br.plans.len(),
        w.br.ops.len()
    );
    if !sc.services.is_empty() {
        let _ = writeln!(out, "services (expected state at lab.test_now):");
        for s in &sc.services {
            let _ = writeln!(
                out,
                "  {:<16} {:<12} {}",
                s.name,
                s.expect,
                s.items.join(", ")
            );
            if !s.why.is_empty() {
                let _ = writeln!(out, "  {:<16} {:<12} {}", "", "", s.why);
            }
        }
    }
    if !sc.plant.is_empty() {
        let _ = writeln!(out, "planted:");
        for p in &sc.plant {
            let slots = if p.slots.is_empty() {
                String::from("[-1]")
            } else {
                format!("{:?}", p.slots)
            };
            let _ = writeln!(
                out,
                "  {:<14} {:<28} {:<8} {}",
                p.kind, p.target, slots, p.note
            );
        }
    }
    out
}
