use leptos::prelude::*;

/// The schedule tester tab: type a calendar event or cron line, see its next runs.
#[component]
pub fn ScheduleTester() -> impl IntoView {
    view! { <p class="muted" data-testid="schedule-tester">"Schedule tester"</p> }
}
