//! What the user chose in the views — sort, filter, how many rows, which rows are open,
//! the calendar's view and date, the tester's input — held by the shell so that it
//! survives switching tabs (only the selected tab's panel is mounted) and refreshes.

use std::collections::BTreeSet;

use backwatch_core::health::State;
use backwatch_core::view::calendar::{Mode, NaiveDate};
use backwatch_core::view::status::{PAGE, Sort};
use backwatch_core::view::tester::Syntax;
use leptos::prelude::*;

/// The views' choices, provided as context by [`crate::components::Shell`].
#[derive(Clone, Copy)]
pub struct ViewState {
    pub sort: RwSignal<Sort>,
    pub filter: RwSignal<Option<State>>,
    /// Service rows shown before "show more".
    pub limit: RwSignal<usize>,
    /// Unmapped item rows shown before "show more".
    pub unmapped_limit: RwSignal<usize>,
    /// Services whose items are shown.
    pub expanded: RwSignal<BTreeSet<String>>,
    pub calendar_mode: RwSignal<Mode>,
    /// `None` follows today; navigation pins a date.
    pub calendar_cursor: RwSignal<Option<NaiveDate>>,
    pub tester_syntax: RwSignal<Syntax>,
    pub tester_expr: RwSignal<String>,
    pub tester_zone: RwSignal<String>,
}

impl ViewState {
    /// Defaults, with the calendar opening on `calendar_mode`.
    pub fn new(calendar_mode: Mode) -> Self {
        ViewState {
            sort: RwSignal::new(Sort::default()),
            filter: RwSignal::new(None),
            limit: RwSignal::new(PAGE),
            unmapped_limit: RwSignal::new(PAGE),
            expanded: RwSignal::new(BTreeSet::new()),
            calendar_mode: RwSignal::new(calendar_mode),
            calendar_cursor: RwSignal::new(None),
            tester_syntax: RwSignal::new(Syntax::Calendar),
            tester_expr: RwSignal::new(String::new()),
            tester_zone: RwSignal::new(String::new()),
        }
    }
}
