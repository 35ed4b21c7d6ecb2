use backwatch_core::view::occurrence::KindInfo;
use leptos::prelude::*;

/// The legend of kinds: each kind's colour swatch, code and name.
#[component]
pub fn KindLegend(
    /// The kinds to list, in order.
    kinds: Vec<KindInfo>,
) -> impl IntoView {
    let items = kinds
        .into_iter()
        .map(|k| {
            view! {
                <li data-kind=k.key>
                    <span class="swatch" aria-hidden="true"></span>
                    <span class="code">{k.code}</span>
                    " "
                    {k.name}
                </li>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <ul class="kind-legend" aria-label="Kinds" data-testid="kind-legend">
            {items}
        </ul>
    }
}
