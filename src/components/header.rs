use leptos::prelude::*;

use crate::runtime::Dashboard;

/// Title, when the data was judged, and a refresh button.
#[component]
pub fn Header(
    /// Card title from the config (`""` = none).
    title: String,
) -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let busy = move || dash.refreshing.get();
    view! {
        <header class="card-header">
            {(!title.is_empty()).then(|| view! { <h1 data-testid="title">{title}</h1> })}
            <button
                type="button"
                class="refresh"
                data-testid="refresh-now"
                aria-label="Refresh now"
                title="Refresh now"
                disabled=busy
                on:click=move |_| dash.refresh_now()
            >
                {move || if busy() { "refreshing…" } else { "refresh" }}
            </button>
        </header>
    }
}
