//! View-models: what the widget's components render, computed by pure functions. `now`
//! and the display zone are always arguments; positions are integers (per-mille), never
//! floats (float formatting would add ~25 KB to the wasm).

pub mod agenda;
pub mod calendar;
pub mod ical_export;
pub mod occurrence;
pub mod tester;
