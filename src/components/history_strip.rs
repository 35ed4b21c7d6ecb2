use backwatch_core::view::history::Strip;
use leptos::prelude::*;

/// The 30-day strip: one mark per day whose shape tells ok (full bar), running (half
/// bar), failed (striped bar), missed (hollow box) and nothing (low tick) apart; each day
/// has a `title`, and the strip an `aria-label` summing it up.
#[component]
pub fn HistoryStrip(
    /// The days and their text (`backwatch_core::view::history::strip`).
    strip: Strip,
) -> impl IntoView {
    let days = strip
        .days
        .into_iter()
        .map(|d| view! { <span class="strip-day" data-day=d.key title=d.title></span> })
        .collect_view();
    view! {
        <span class="strip" role="img" aria-label=strip.label.clone() title=strip.label>
            {days}
        </span>
    }
}
