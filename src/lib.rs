//! backwatch widget shell: the only place that reads the clock or the network. It fetches,
//! hands bytes to `backwatch-core`, and renders the view-models core computes.

use backwatch_core::config::{self, Loaded};
use leptos::prelude::*;

mod api;
pub mod components;
pub mod fetch;
pub mod runtime;
pub mod theme;
pub mod view_state;
pub mod zone;

/// Where the runtime configuration lives, relative to index.html.
pub const CONFIG_PATH: &str = "backwatch.toml";

/// Why the widget could not start from its configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartError {
    Fetch(api::FetchError),
    Config(config::ConfigError),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Fetch(e) => write!(f, "could not load {CONFIG_PATH}: {e}"),
            StartError::Config(e) => write!(f, "{CONFIG_PATH}: {e}"),
        }
    }
}

async fn load_config() -> Result<Loaded, StartError> {
    let text = api::get_text(CONFIG_PATH)
        .await
        .map_err(StartError::Fetch)?;
    let loaded = config::parse(&text).map_err(StartError::Config);
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark("backwatch:config");
    }
    loaded
}

/// The page's URL fragment parameters (`#now=…&scheme=…`), parsed by core.
pub fn fragment_params() -> backwatch_core::params::Params {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    backwatch_core::params::parse(&hash)
}

/// The root component: applies the theme, loads the configuration, then renders the card.
#[component]
pub fn App() -> impl IntoView {
    let params = fragment_params();
    theme::install(&params.theme);
    let clock = params
        .now
        .map_or(runtime::Clock::Live, runtime::Clock::Fixed);
    let config = LocalResource::new(load_config);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading configuration…"</p> }>
            {move || {
                config
                    .get()
                    .map(|loaded| match loaded {
                        Ok(loaded) => view! { <components::Shell loaded clock params=params.clone() /> }.into_any(),
                        Err(err) => view! { <StartFailure error=err /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

/// Shown when the configuration cannot be loaded: the cause, never a blank frame.
#[component]
fn StartFailure(
    /// What went wrong.
    error: StartError,
) -> impl IntoView {
    view! {
        <section data-testid="backwatch" data-state="error" role="alert">
            <h1>"backwatch"</h1>
            <p class="negative" data-testid="start-error">{error.to_string()}</p>
        </section>
    }
}
