use leptos::prelude::*;

use crate::runtime::Dashboard;

/// One line: how many services are in each state.
#[component]
pub fn Summary() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    move || {
        dash.snapshot.get().map(|snap| {
            let services = &snap.assessment.services;
            let alarms = services.iter().filter(|s| s.state.is_alarm()).count();
            let text = format!("{} services, {alarms} need attention", services.len());
            view! { <p class="summary" data-testid="summary">{text}</p> }
        })
    }
}
