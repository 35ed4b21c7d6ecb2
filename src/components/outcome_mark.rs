use backwatch_core::view::occurrence::OutcomeInfo;
use leptos::prelude::*;

/// A past occurrence's outcome as a mark and a word (`✓ ok`, `✗ failed`, `! missed`,
/// `↻ running`), so colour is never the only signal. Where space is short (week blocks,
/// month chips) the stylesheet keeps the word for screen readers only. Renders nothing
/// without an outcome.
#[component]
pub fn OutcomeMark(
    /// The outcome, when known.
    outcome: Option<OutcomeInfo>,
) -> impl IntoView {
    outcome.map(|o| {
        view! {
            <span class="outcome" data-outcome=o.key>
                <span aria-hidden="true">{o.mark}</span>
                <span class="word">" " {o.text}</span>
            </span>
        }
    })
}
