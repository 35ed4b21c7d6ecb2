use backwatch_core::health::State;
use backwatch_core::view::status::Chip;
use leptos::prelude::*;

/// Filter chips: "all" and one per state present, with counts. Toggle buttons
/// (`aria-pressed`), operable with Tab and Enter/Space like any button; keyed, so the
/// focused chip stays in place when it is pressed.
#[component]
pub fn StateFilter(
    /// The chips (`backwatch_core::view::status::filter_chips`).
    #[prop(into)]
    chips: Signal<Vec<Chip>>,
    /// The selected state (`None` = all).
    selected: RwSignal<Option<State>>,
) -> impl IntoView {
    view! {
        <div class="chips" role="group" aria-label="Filter by state">
            <For
                each=move || chips.get()
                key=|c| (c.state.map_or("all", State::key), c.count)
                let:c
            >
                <button
                    type="button"
                    class="chip"
                    data-filter=c.state.map_or("all", State::key)
                    aria-pressed=move || if selected.get() == c.state { "true" } else { "false" }
                    on:click=move |_| selected.set(c.state)
                >
                    {c.label}
                    " "
                    <span class="chip-count">{c.count}</span>
                </button>
            </For>
        </div>
    }
}
