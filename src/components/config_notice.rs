use backwatch_core::config::Diagnostic;
use leptos::prelude::*;

/// Problems in backwatch.toml that did not stop the widget: listed, never hidden, because
/// a typo may have switched monitoring off.
#[component]
pub fn ConfigNotice(
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
