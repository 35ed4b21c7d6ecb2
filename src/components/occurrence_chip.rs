use backwatch_core::view::occurrence::OccurrenceView;
use leptos::prelude::*;

use super::OutcomeMark;

/// One occurrence in a month cell: kind code, time, label, outcome and an overlap mark,
/// coloured by kind.
#[component]
pub fn OccurrenceChip(
    /// The occurrence as text.
    occ: OccurrenceView,
) -> impl IntoView {
    let overlap = !occ.overlaps.is_empty();
    view! {
        <li
            class="occ chip"
            class:overlap=overlap
            class:past=occ.past
            data-kind=occ.kind.key
            data-outcome=occ.outcome.map(|o| o.key)
            data-overlap=overlap.then_some("true")
            data-count=(occ.count > 1).then_some(occ.count)
            title=occ.title
        >
            <span class="code">{occ.kind.code}</span>
            " "
            <OutcomeMark outcome=occ.outcome />
            " "
            <time datetime=occ.datetime>{occ.time}</time>
            " "
            <span class="label">{occ.label}</span>
            {overlap
                .then(|| {
                    view! {
                        <span class="warn">
                            <span aria-hidden="true">" ⚠"</span>
                            <span class="vh">" overlap"</span>
                        </span>
                    }
                })}
        </li>
    }
}
