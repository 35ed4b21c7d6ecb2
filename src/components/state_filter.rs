use backwatch_core::health::State;
use backwatch_core::view::status::Chip;
use leptos::prelude::*;

/// Filter chips: "all" and one per state present, with counts. Toggle buttons
/// (`aria-pressed`), operable with Tab and Enter/Space like any button. Rebuilt in place
/// (same buttons, new attributes), so the focused chip keeps focus when it is pressed.
#[component]
pub fn StateFilter(
    /// The chips (`backwatch_core::view::status::filter_chips`).
    #[prop(into)]
    chips: Signal<Vec<Chip>>,
    /// The selected state (`None` = all).
    selected: RwSignal<Option<State>>,
) -> impl IntoView {
    view! {
        <div class="filters" role="group" aria-label="Filter by state">
            {move || {
                chips
                    .get()
                    .into_iter()
                    .map(|c| {
                        view! {
                            <button
                                type="button"
                                class="filter"
                                data-filter=c.state.map_or("all", State::key)
                                aria-pressed=if c.pressed { "true" } else { "false" }
                                on:click=move |_| selected.set(c.state)
                            >
                                {c.label}
                                " "
                                <span class="filter-count">{c.count}</span>
                            </button>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}
