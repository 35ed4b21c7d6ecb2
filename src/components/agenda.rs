use leptos::prelude::*;

/// Upcoming occurrences as a list (the calendar of narrow frames).
#[component]
pub fn Agenda() -> impl IntoView {
    view! { <p class="muted" data-testid="agenda">"Agenda"</p> }
}
