use backwatch_core::view::status::TimeCell as Cell;
use leptos::prelude::*;

/// An instant: the relative time inside `<time datetime="RFC 3339">`, the exact local
/// time as its tooltip, and again as text that is visually hidden until the row has
/// keyboard focus (screen readers always read it).
#[component]
pub fn TimeCell(
    /// The formatted instant (`backwatch_core::view::status::time_cell`).
    cell: Cell,
) -> impl IntoView {
    view! {
        <time datetime=cell.datetime title=cell.exact.clone()>
            {cell.relative}
        </time>
        <span class="exact">{cell.exact}</span>
    }
}
