//! backwatch widget shell: the only place that reads the clock or the network. It fetches,
//! hands bytes to `backwatch-core`, and renders the view-models core computes.

use backwatch_core::config::{self, Diagnostic, Loaded};
use leptos::prelude::*;

mod api;
pub mod fetch;
pub mod theme;
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
    config::parse(&text).map_err(StartError::Config)
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
    let config = LocalResource::new(load_config);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading configuration…"</p> }>
            {move || {
                config
                    .get()
                    .map(|loaded| match loaded {
                        Ok(loaded) => view! { <Card loaded /> }.into_any(),
                        Err(err) => view! { <StartFailure error=err /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

/// The card rendered from a loaded configuration.
#[component]
fn Card(
    /// The parsed configuration and its diagnostics.
    loaded: Loaded,
) -> impl IntoView {
    let Loaded {
        config,
        diagnostics,
    } = loaded;
    let refresh = format!("refresh every {} s", config.defaults.refresh_secs);
    view! {
        <section data-testid="backwatch" data-state="ready">
            <h1 data-testid="title">{config.title}</h1>
            <p class="muted" data-testid="refresh">{refresh}</p>
            <ConfigNotice diagnostics />
        </section>
    }
}

/// Problems in backwatch.toml that did not stop the widget: listed, never hidden, because
/// a typo may have switched monitoring off.
#[component]
fn ConfigNotice(
    /// Diagnostics in file order.
    diagnostics: Vec<Diagnostic>,
) -> impl IntoView {
    (!diagnostics.is_empty()).then(|| {
        let items = diagnostics
            .into_iter()
            .map(|d| {
                let class = if d.is_error() { "negative" } else { "muted" };
                view! { <li class=class data-testid="config-diagnostic">{d.to_string()}</li> }
            })
            .collect::<Vec<_>>();
        view! {
            <div class="notice" role="status">
                <p>"backwatch.toml has problems:"</p>
                <ul>{items}</ul>
            </div>
        }
    })
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
