use backwatch_core::view::calendar::{MODES, Mode, Nav};
use leptos::prelude::*;

/// The calendar's toolbar: the view switch (week, month, agenda: real buttons with
/// `aria-pressed`, reachable by Tab, also moved between with ←/→), then previous, today and
/// next (labelled buttons) and the title of the period shown.
#[component]
pub fn CalendarNav(
    /// The view shown.
    mode: RwSignal<Mode>,
    /// The texts of the navigation for the current mode and cursor.
    #[prop(into)]
    nav: Signal<Nav>,
    /// Move by this many weeks or months.
    #[prop(into)]
    on_step: Callback<i32>,
    /// Back to the period holding today.
    #[prop(into)]
    on_today: Callback<()>,
) -> impl IntoView {
    let switch_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some(pos) = MODES.iter().position(|m| *m == mode.get_untracked()) else {
            return;
        };
        let next = match ev.key().as_str() {
            "ArrowRight" => (pos + 1) % MODES.len(),
            "ArrowLeft" => (pos + MODES.len() - 1) % MODES.len(),
            _ => return,
        };
        ev.prevent_default();
        if let Some(m) = MODES.get(next) {
            mode.set(*m);
            if let Some(el) = document().get_element_by_id(&format!("cal-mode-{}", m.key())) {
                use wasm_bindgen::JsCast;
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        }
    };
    let switch = MODES
        .iter()
        .map(|m| {
            let m = *m;
            let pressed = move || mode.get() == m;
            view! {
                <button
                    type="button"
                    id=format!("cal-mode-{}", m.key())
                    data-mode=m.key()
                    aria-pressed=move || if pressed() { "true" } else { "false" }
                    class:selected=pressed
                    on:click=move |_| mode.set(m)
                >
                    {m.label()}
                </button>
            }
        })
        .collect::<Vec<_>>();
    let step_button = move |delta: i32, text: &'static str, testid: &'static str| {
        let label = move || {
            let n = nav.get();
            if delta < 0 { n.prev } else { n.next }.unwrap_or_default()
        };
        view! {
            <button
                type="button"
                class="step"
                data-testid=testid
                aria-label=label
                title=label
                on:click=move |_| on_step.run(delta)
            >
                <span aria-hidden="true">{text}</span>
            </button>
        }
    };
    let stepping = move || nav.get().prev.is_some();
    view! {
        <div class="cal-nav">
            <div class="mode-switch" role="group" aria-label="Calendar view" on:keydown=switch_key>
                {switch}
            </div>
            <Show when=stepping>
                <div class="steps" role="group" aria-label="Navigate">
                    {step_button(-1, "‹", "cal-prev")}
                    <button
                        type="button"
                        class="today"
                        data-testid="cal-today"
                        aria-disabled=move || if nav.get().at_today { "true" } else { "false" }
                        on:click=move |_| {
                            if !nav.get_untracked().at_today {
                                on_today.run(());
                            }
                        }
                    >
                        {move || nav.get().today.unwrap_or_default()}
                    </button>
                    {step_button(1, "›", "cal-next")}
                </div>
            </Show>
            <h2 class="cal-title" data-testid="cal-title" aria-live="polite">
                {move || nav.get().title}
            </h2>
        </div>
    }
}
