use leptos::prelude::*;

use crate::runtime::Dashboard;

/// Title, when the data was judged, and a refresh button. While a refresh runs the button
/// is `aria-disabled` (and does nothing), not `disabled`: a disabled button would drop the
/// keyboard focus to the page.
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
                aria-disabled=move || if busy() { "true" } else { "false" }
                on:click=move |_| {
                    if !dash.refreshing.get_untracked() {
                        dash.refresh_now();
                    }
                }
            >
                {move || if busy() { "refreshing…" } else { "refresh" }}
            </button>
        </header>
    }
}
