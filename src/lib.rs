//! backwatch widget shell: reads the clock and the network, renders view-models from
//! `backwatch-core`.

use leptos::prelude::*;

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    view! { <main class="card">"backwatch"</main> }
}
