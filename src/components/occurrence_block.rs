use backwatch_core::view::calendar::WeekBlock;
use leptos::prelude::*;

use super::OutcomeMark;

/// One occurrence in a week day column: placed by start and estimated duration (CSSOM
/// properties, allowed by the CSP, never a `style` attribute), in its lane; coloured by
/// kind, with the kind's code, start time, label, outcome and an overlap warning in text.
/// Focusable; its full description is its accessible name and tooltip.
#[component]
pub fn OccurrenceBlock(
    /// The block and its geometry.
    block: WeekBlock,
) -> impl IntoView {
    let WeekBlock {
        occ,
        top,
        height,
        left,
        width,
        continued,
        continues,
    } = block;
    let overlap = !occ.overlaps.is_empty();
    view! {
        <li
            class="occ block"
            class:overlap=overlap
            class:past=occ.past
            class:continued=continued
            class:continues=continues
            data-kind=occ.kind.key
            data-outcome=occ.outcome.map(|o| o.key)
            data-overlap=overlap.then_some("true")
            data-count=(occ.count > 1).then_some(occ.count)
            tabindex="0"
            title=occ.title.clone()
            aria-label=occ.title
            style:top=top.css()
            style:height=height.css()
            style:left=left.css()
            style:width=width.css()
        >
            <span class="code">{occ.kind.code}</span>
            " "
            <OutcomeMark outcome=occ.outcome />
            " "
            <time datetime=occ.datetime>{occ.time}</time>
            " "
            <span class="label">{occ.label}</span>
            {overlap.then(|| view! { <span class="warn" aria-hidden="true">" ⚠"</span> })}
        </li>
    }
}
