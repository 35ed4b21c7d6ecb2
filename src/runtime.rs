//! The widget's engine: reads the clock, runs the collectors of each refresh through
//! [`crate::fetch`], records what they bring in core's [`SourceStates`], and re-assesses.
//! Components only read the resulting [`Snapshot`].
//!
//! - Refresh every `defaults.refresh` (min 60 s); paused while the page is hidden and
//!   caught up as soon as it is visible again.
//! - A source that failed for a transient reason is retried sooner, with backoff
//!   (30 s, 60 s, 120 s … up to the refresh interval); 401/403 are held back by core's state.
//! - A newer refresh aborts whatever the previous one still has in flight.
//! - The verdicts are recomputed every 30 s with the current time even without new data,
//!   so a run becomes "late" when it is late, not at the next fetch.
//! - Performance marks (`backwatch:*`) for the benchmarks.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use backwatch_core::config::Config;
use backwatch_core::health::{self, Assessment};
use backwatch_core::model::Epoch;
use backwatch_core::state::SourceStates;
use backwatch_core::time::Zone;
use backwatch_core::zones::{SharedZone, ZoneLookup, Zones};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::fetch::{self, Refresh};
use crate::zone::{IntlZone, browser_zone};

/// How often verdicts are recomputed from the current time, without fetching.
const REASSESS_SECS: u32 = 30;
/// First retry after a transient failure.
const FIRST_RETRY_SECS: u32 = 30;

/// The clock: the real one, or a fixed instant from `#now=` (demo/testing aid).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    Live,
    Fixed(Epoch),
}

impl Clock {
    /// Current Unix time in seconds.
    pub fn now(self) -> Epoch {
        match self {
            Clock::Fixed(t) => t,
            Clock::Live => (js_sys::Date::now() / 1000.0) as Epoch,
        }
    }
}

/// Zones by name from the browser's Intl, each created once (it keeps its own offset cache).
#[derive(Default)]
pub struct IntlLookup {
    zones: RefCell<HashMap<String, Option<Rc<dyn Zone>>>>,
}

impl ZoneLookup for IntlLookup {
    fn zone(&self, name: &str) -> Option<Rc<dyn Zone>> {
        self.zones
            .borrow_mut()
            .entry(name.to_owned())
            .or_insert_with(|| IntlZone::by_name(name).map(|z| Rc::new(z) as Rc<dyn Zone>))
            .clone()
    }
}

/// What the components render: one consistent assessment, the instant it was made at and
/// the display zone.
#[derive(Clone)]
pub struct Snapshot {
    pub now: Epoch,
    pub assessment: Rc<Assessment>,
    pub display: SharedZone,
    /// Bumped on every recompute, so views can tell a new snapshot from the old.
    pub generation: u64,
}

/// The running engine. Shared by the timers and the tasks it spawns.
pub struct Runtime {
    pub config: Rc<Config>,
    pub clock: Clock,
    states: RefCell<SourceStates>,
    lookup: IntlLookup,
    browser: Rc<dyn Zone>,
    current: RefCell<Option<Refresh>>,
    /// Collectors still running in the current refresh.
    in_flight: Cell<usize>,
    /// Sources of the current refresh that have not delivered rows yet (partial or final).
    rows_pending: Cell<usize>,
    /// Sequence number of the current refresh; tasks and timers of older ones stand down.
    seq: Cell<u64>,
    generation: Cell<u64>,
    /// Consecutive refreshes with a transient failure (for the retry backoff).
    failing_streak: Cell<u32>,
    /// A refresh came due while the page was hidden.
    due_while_hidden: Cell<bool>,
    first_round_done: Cell<bool>,
    first_rows_done: Cell<bool>,
    snapshot: RwSignal<Option<Snapshot>, LocalStorage>,
    refreshing: RwSignal<bool>,
}

/// Handles the components get through context.
#[derive(Clone, Copy)]
pub struct Dashboard {
    /// The latest assessment (None until the first one).
    pub snapshot: RwSignal<Option<Snapshot>, LocalStorage>,
    /// True while a refresh is in flight.
    pub refreshing: RwSignal<bool>,
    runtime: StoredValue<Rc<Runtime>, LocalStorage>,
}

impl Dashboard {
    /// Start a refresh now (the "refresh" button, or a retry after a configuration error).
    pub fn refresh_now(&self) {
        let rt = self.runtime.get_value();
        {
            let mut states = rt.states.borrow_mut();
            let ids: Vec<_> = states.ids().cloned().collect();
            for id in &ids {
                states.retry_now(id);
            }
        }
        Runtime::refresh(&rt);
    }

    /// The configuration the engine runs with.
    pub fn config(&self) -> Rc<Config> {
        self.runtime.get_value().config.clone()
    }
}

fn mark(name: &str) {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark(name);
    }
}

/// `window.backwatchStats["PBS pbs-main"] = {requests, roundTrips, failed, bytes, round}`:
/// what the last collection of each source cost, for the benchmarks and for anyone curious
/// (nothing secret: counts only).
fn publish_stats(source: &str, stats: &backwatch_core::sources::CollectStats, round: u64) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let key = JsValue::from_str("backwatchStats");
    let all = js_sys::Reflect::get(&window, &key)
        .ok()
        .filter(|v| v.is_object())
        .unwrap_or_else(|| js_sys::Object::new().into());
    let entry = js_sys::Object::new();
    for (k, v) in [
        ("requests", f64::from(stats.requests)),
        ("roundTrips", f64::from(stats.round_trips)),
        ("failed", f64::from(stats.failed)),
        ("bytes", stats.bytes_received as f64),
        ("round", round as f64),
    ] {
        let _ = js_sys::Reflect::set(&entry, &JsValue::from_str(k), &JsValue::from_f64(v));
    }
    let _ = js_sys::Reflect::set(&all, &JsValue::from_str(source), &entry);
    let _ = js_sys::Reflect::set(&window, &key, &all);
}

fn hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

fn set_timeout(f: impl FnOnce() + 'static, secs: u32) {
    let mut f = Some(f);
    let closure = Closure::<dyn FnMut()>::new(move || {
        if let Some(f) = f.take() {
            f();
        }
    });
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
            closure.as_ref().unchecked_ref(),
            i32::try_from(secs.saturating_mul(1000)).unwrap_or(i32::MAX),
        );
    }
    // One-shot; the closure frees itself after running through `take`, its shell is leaked
    // (a few bytes per timer).
    closure.forget();
}

impl Runtime {
    /// Start the engine: first refresh now, then on its timers. Returns the context handle.
    pub fn start(config: Rc<Config>, clock: Clock) -> Dashboard {
        let rt = Rc::new(Runtime {
            states: RefCell::new(SourceStates::new(&config)),
            config,
            clock,
            lookup: IntlLookup::default(),
            browser: browser_zone(),
            current: RefCell::new(None),
            in_flight: Cell::new(0),
            rows_pending: Cell::new(0),
            seq: Cell::new(0),
            generation: Cell::new(0),
            failing_streak: Cell::new(0),
            due_while_hidden: Cell::new(false),
            first_round_done: Cell::new(false),
            first_rows_done: Cell::new(false),
            snapshot: RwSignal::new_local(None),
            refreshing: RwSignal::new(false),
        });
        let dash = Dashboard {
            snapshot: rt.snapshot,
            refreshing: rt.refreshing,
            runtime: StoredValue::new_local(rt.clone()),
        };
        Runtime::refresh(&rt);
        Runtime::install_visibility(&rt);
        if clock == Clock::Live {
            Runtime::tick_reassess(rt.clone());
        }
        dash
    }

    fn refresh_secs(&self) -> u32 {
        u32::try_from(self.config.defaults.refresh_secs)
            .unwrap_or(u32::MAX)
            .max(60)
    }

    /// Abort the previous refresh, start the collectors that are due, re-assess now (so
    /// loading states show) and again as each source arrives.
    pub fn refresh(rt: &Rc<Runtime>) {
        if hidden() {
            rt.due_while_hidden.set(true);
            return;
        }
        if let Some(previous) = rt.current.borrow_mut().take() {
            previous.abort();
        }
        let refresh = Refresh::default();
        *rt.current.borrow_mut() = Some(refresh.clone());
        let seq = rt.seq.get() + 1;
        rt.seq.set(seq);
        let now = rt.clock.now();
        let collectors = {
            let mut states = rt.states.borrow_mut();
            backwatch_core::assemble::collectors(&rt.config, &mut states, now)
        };
        rt.in_flight.set(collectors.len());
        rt.rows_pending.set(collectors.len());
        rt.refreshing.set(!collectors.is_empty());
        for collector in collectors {
            let (rt, refresh) = (rt.clone(), refresh.clone());
            leptos::task::spawn_local(async move {
                let delivered = Cell::new(false);
                let on_partial = |partial: backwatch_core::sources::Collected| {
                    if rt.seq.get() == seq {
                        mark(&format!("backwatch:partial:{}", partial.source));
                        rt.states.borrow_mut().record(partial);
                        rt.reassess();
                        if !delivered.replace(true) {
                            rt.rows_delivered();
                        }
                    }
                };
                let collected = fetch::run(collector, &refresh, rt.clock.now(), on_partial).await;
                // Recorded even when superseded: it carries the source's cache back, and
                // core does not count an aborted request as a failure.
                let source = collected.source.to_string();
                let stats = collected.stats;
                rt.states.borrow_mut().record(collected);
                if rt.seq.get() != seq {
                    return;
                }
                publish_stats(&source, &stats, seq);
                mark(&format!("backwatch:source:{source}"));
                rt.in_flight.set(rt.in_flight.get().saturating_sub(1));
                rt.reassess();
                if !delivered.replace(true) {
                    rt.rows_delivered();
                }
                if rt.in_flight.get() == 0 {
                    rt.round_done();
                }
            });
        }
        rt.reassess();
        if rt.in_flight.get() == 0 {
            rt.round_done();
        }
    }

    /// One more source has rows on screen (partial or final). When every source of the
    /// first load has, mark `backwatch:rows` (and `backwatch:rows-rendered` a frame later):
    /// the time a user sees every source's rows, before slow details such as PBS snapshot
    /// listings are in.
    fn rows_delivered(&self) {
        let left = self.rows_pending.get().saturating_sub(1);
        self.rows_pending.set(left);
        if left == 0 && !self.first_rows_done.replace(true) {
            mark("backwatch:rows");
            if let Some(w) = web_sys::window() {
                let cb = Closure::once_into_js(|| mark("backwatch:rows-rendered"));
                let _ = w.request_animation_frame(cb.unchecked_ref());
            }
        }
    }

    /// All collectors of a refresh have reported: mark, and schedule the next refresh.
    fn round_done(self: &Rc<Self>) {
        self.refreshing.set(false);
        // `backwatch:all-sources` / `backwatch:rendered` once (first load), and per refresh
        // round `backwatch:round-N` / `backwatch:round-N-rendered` (the frame after the DOM
        // update that follows the last reassess).
        let seq = self.seq.get();
        let first = !self.first_round_done.replace(true);
        if first {
            mark("backwatch:all-sources");
        }
        mark(&format!("backwatch:round-{seq}"));
        if let Some(w) = web_sys::window() {
            let cb = Closure::once_into_js(move || {
                if first {
                    mark("backwatch:rendered");
                }
                mark(&format!("backwatch:round-{seq}-rendered"));
            });
            let _ = w.request_animation_frame(cb.unchecked_ref());
        }
        let now = self.clock.now();
        let transient = self.states.borrow().statuses(now).iter().any(|s| {
            s.failure
                .as_ref()
                .is_some_and(|f| !f.kind.is_configuration() && Some(f.at) == s.last_attempt)
        });
        let streak = if transient {
            self.failing_streak.get() + 1
        } else {
            0
        };
        self.failing_streak.set(streak);
        let delay = retry_delay(streak, self.refresh_secs());
        let rt = self.clone();
        let seq = self.seq.get();
        set_timeout(
            move || {
                // A manual refresh in between has scheduled its own successor.
                if rt.seq.get() == seq {
                    Runtime::refresh(&rt);
                }
            },
            delay,
        );
    }

    /// Recompute the assessment at the current time and publish it.
    fn reassess(&self) {
        let now = self.clock.now();
        let states = self.states.borrow();
        let mut zones = Zones::new(
            &self.lookup,
            self.browser.clone(),
            &self.config.defaults.timezone,
        );
        let assessment = health::assess(&self.config, &states, &mut zones, now);
        let generation = self.generation.get() + 1;
        self.generation.set(generation);
        self.snapshot.set(Some(Snapshot {
            now,
            assessment: Rc::new(assessment),
            display: zones.display(),
            generation,
        }));
    }

    fn tick_reassess(rt: Rc<Runtime>) {
        set_timeout(
            move || {
                if !hidden() {
                    rt.reassess();
                }
                Runtime::tick_reassess(rt);
            },
            REASSESS_SECS,
        );
    }

    /// Catch up when the page becomes visible again.
    fn install_visibility(rt: &Rc<Runtime>) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let rt = rt.clone();
        let closure = Closure::<dyn FnMut()>::new(move || {
            if !hidden() && rt.due_while_hidden.replace(false) {
                Runtime::refresh(&rt);
            } else if !hidden() {
                rt.reassess();
            }
        });
        let _ = document
            .add_event_listener_with_callback("visibilitychange", closure.as_ref().unchecked_ref());
        closure.forget();
    }
}

/// Seconds until the next refresh: the refresh interval normally; after `streak`
/// consecutive refreshes with a transient failure, 30 s, 60 s, 120 s … capped at the
/// interval, so a source that comes back is seen soon without hammering one that does not.
pub fn retry_delay(streak: u32, refresh_secs: u32) -> u32 {
    if streak == 0 {
        return refresh_secs;
    }
    let backoff = FIRST_RETRY_SECS.saturating_mul(1u32 << (streak - 1).min(16));
    backoff.min(refresh_secs)
}
