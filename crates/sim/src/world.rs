//! The simulated homelab at one instant: everything each API reports, generated from a
//! [`Scenario`] and `now` by a pure function ([`World::generate`]).
//!
//! Run times come from the core schedule engine (`backwatch_core::schedule`): calendar
//! events for PBS and PVE, cron for Databasement and Backrest. History starts
//! `lab.history_days` before `now` and ends at `now`: nothing after `now` exists, a run
//! that started before `now` and ends after it is in progress.

pub mod backrest;
pub mod databasement;
pub mod proxmox;

use std::collections::BTreeMap;

use backwatch_core::model::Epoch;
use backwatch_core::schedule::Schedule;
use backwatch_core::time::{NamedZone, Zone};

use crate::scenario::{Plant, Scenario};

/// What a planted problem does to one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Planted {
    /// The run never happens (no trace at all).
    Missed,
    /// The run fails with this message (`None`: the product's usual text).
    Failed(Option<String>),
    /// The run is still in progress at `now`, whatever its usual duration.
    Running,
}

/// The generation context shared by the product generators.
pub struct Ctx<'a> {
    /// The scenario.
    pub sc: &'a Scenario,
    /// The simulated instant.
    pub now: Epoch,
    /// First instant of generated history.
    pub start: Epoch,
    /// Scenario seed.
    pub seed: u64,
}

impl Ctx<'_> {
    /// The zone named `name`, or the lab's zone.
    pub fn zone(&self, name: Option<&str>) -> NamedZone {
        name.and_then(NamedZone::by_name)
            .or_else(|| NamedZone::by_name(&self.sc.lab.timezone))
            .or_else(|| NamedZone::by_name("Etc/UTC"))
            .expect("Etc/UTC exists in the tz database")
    }

    /// The plants for `target` (exact match).
    pub fn plants(&self, target: &str) -> Vec<&Plant> {
        self.sc
            .plant
            .iter()
            .filter(|p| p.target == target)
            .collect()
    }

    /// True when `target` is planted as never run.
    pub fn never(&self, target: &str) -> bool {
        self.plants(target).iter().any(|p| p.kind == "never")
    }

    /// True when `target` has a planted failed verification.
    pub fn verify_failed(&self, target: &str) -> bool {
        self.plants(target)
            .iter()
            .any(|p| p.kind == "verify-failed")
    }

    /// Planted outcomes per slot time, for a subject whose scheduled slots (ascending, all
    /// at or before `now`) are `slots`. Several targets may apply (a database and its
    /// server); the first plant for a slot wins.
    pub fn planted(&self, targets: &[String], slots: &[Epoch]) -> BTreeMap<Epoch, Planted> {
        let mut out = BTreeMap::new();
        for target in targets {
            for plant in self.plants(target) {
                let kind = match plant.kind.as_str() {
                    "missed" => Planted::Missed,
                    "failed" => Planted::Failed(plant.message.clone()),
                    "running" => Planted::Running,
                    _ => continue,
                };
                let wanted: &[i32] = if plant.slots.is_empty() {
                    &[-1]
                } else {
                    &plant.slots
                };
                for &rel in wanted {
                    let idx = slots.len() as i64 + i64::from(rel);
                    if rel < 0
                        && idx >= 0
                        && let Some(&t) = slots.get(idx as usize)
                    {
                        out.entry(t).or_insert_with(|| kind.clone());
                    }
                }
            }
        }
        out
    }

    /// Scheduled slots of `schedule` in `[from, now]`, ascending, evaluated in `zone`.
    pub fn slots(&self, schedule: &Schedule, from: Epoch, zone: &dyn Zone) -> Vec<Epoch> {
        schedule
            .occurrences(from.max(self.start), self.now + 1, zone)
            .collect()
    }
}

/// Parses a duration option that the scenario check already validated.
pub fn dur_s(s: &str) -> i64 {
    crate::util::parse_duration_ms(s).unwrap_or(0) as i64 / 1000
}

/// Parses a size option that the scenario check already validated.
pub fn size(s: &str) -> u64 {
    crate::util::parse_size(s).unwrap_or(0)
}

/// Everything the four simulated servers report at one instant.
#[derive(Debug)]
pub struct World {
    /// The instant the world was generated for.
    pub now: Epoch,
    /// PBS state.
    pub pbs: proxmox::PbsWorld,
    /// PVE state.
    pub pve: proxmox::PveWorld,
    /// Databasement state.
    pub db: databasement::DbWorld,
    /// Backrest state.
    pub br: backrest::BrWorld,
}

impl World {
    /// Generates the homelab as it is at `now`. Pure: the same scenario and `now` give the
    /// same world.
    pub fn generate(sc: &Scenario, now: Epoch) -> World {
        let ctx = Ctx {
            sc,
            now,
            start: now - i64::from(sc.lab.history_days) * 86_400,
            seed: sc.lab.seed,
        };
        let (pbs, pve) = proxmox::generate(&ctx);
        World {
            now,
            pbs,
            pve,
            db: databasement::generate(&ctx),
            br: backrest::generate(&ctx),
        }
    }
}
