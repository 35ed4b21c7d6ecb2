use leptos::prelude::*;

use crate::runtime::Dashboard;

/// The status tab: every service and its verdict.
#[component]
pub fn StatusView() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    move || {
        dash.snapshot.get().map(|snap| {
            let rows = snap
                .assessment
                .services
                .iter()
                .map(|s| {
                    let summary = s.summary();
                    view! {
                        <li data-service=s.name.clone() data-health=s.state.key()>{summary}</li>
                    }
                })
                .collect::<Vec<_>>();
            view! { <ul class="services">{rows}</ul> }
        })
    }
}
