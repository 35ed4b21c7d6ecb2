use leptos::prelude::*;

/// URL fragment parameters that were ignored (`#tab=logs`): listed so that a typo in the
/// Glance iframe URL is visible instead of silently falling back.
#[component]
pub fn FragmentNotice(
    /// One line per ignored parameter, from `backwatch_core::params::Params::ignored`.
    ignored: Vec<String>,
) -> impl IntoView {
    (!ignored.is_empty()).then(|| {
        let items = ignored
            .into_iter()
            .map(|line| view! { <li class="muted" data-testid="fragment-ignored">{line}</li> })
            .collect::<Vec<_>>();
        view! {
            <div class="notice" role="status">
                <p>"Ignored in the page address (after #):"</p>
                <ul>{items}</ul>
            </div>
        }
    })
}
