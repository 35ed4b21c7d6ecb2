use backwatch_core::config::Loaded;
use leptos::prelude::*;

use super::ConfigNotice;
use super::status_list::StatusList;
use crate::runtime::{Clock, Runtime};

/// The card once the configuration is loaded: starts the engine, provides the
/// [`crate::runtime::Dashboard`] context and lays out the views.
#[component]
pub fn Shell(
    /// The parsed configuration and its diagnostics.
    loaded: Loaded,
    /// The clock (fixed by `#now=`, or live).
    clock: Clock,
) -> impl IntoView {
    let Loaded {
        config,
        diagnostics,
    } = loaded;
    let title = config.title.clone();
    let refresh = format!("refresh every {} s", config.defaults.refresh_secs);
    let dash = Runtime::start(std::rc::Rc::new(config), clock);
    provide_context(dash);
    view! {
        <section
            data-testid="backwatch"
            data-state="ready"
            data-refreshing=move || if dash.refreshing.get() { "true" } else { "false" }
        >
            <h1 data-testid="title">{title}</h1>
            <p class="muted" data-testid="refresh">{refresh}</p>
            <ConfigNotice diagnostics />
            <StatusList />
        </section>
    }
}
