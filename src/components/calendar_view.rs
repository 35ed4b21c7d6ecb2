use leptos::prelude::*;

/// The calendar tab: every backup-related schedule over time.
#[component]
pub fn CalendarView() -> impl IntoView {
    view! { <p class="muted" data-testid="calendar">"Calendar"</p> }
}
