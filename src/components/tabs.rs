use leptos::prelude::*;

/// One tab: stable key (used in `data-tab` and element ids) and label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tab {
    pub key: &'static str,
    pub label: &'static str,
}

/// An ARIA tab list: roving focus with ←/→/Home/End, `aria-selected`, and panels labelled
/// by their tab. The panel content is rendered by the caller for the selected key.
#[component]
pub fn Tabs(
    /// The tabs, in order.
    tabs: Vec<Tab>,
    /// The selected tab's key.
    selected: RwSignal<&'static str>,
) -> impl IntoView {
    let keys: Vec<&'static str> = tabs.iter().map(|t| t.key).collect();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some(pos) = keys.iter().position(|k| *k == selected.get_untracked()) else {
            return;
        };
        let next = match ev.key().as_str() {
            "ArrowRight" => (pos + 1) % keys.len(),
            "ArrowLeft" => (pos + keys.len() - 1) % keys.len(),
            "Home" => 0,
            "End" => keys.len() - 1,
            _ => return,
        };
        ev.prevent_default();
        selected.set(keys[next]);
        if let Some(el) = document().get_element_by_id(&format!("tab-{}", keys[next])) {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    };
    let buttons = tabs
        .into_iter()
        .map(|t| {
            let is = move || selected.get() == t.key;
            view! {
                <button
                    type="button"
                    role="tab"
                    id=format!("tab-{}", t.key)
                    data-tab=t.key
                    // Only the selected tab's panel exists.
                    aria-controls=move || is().then(|| format!("panel-{}", t.key))
                    aria-selected=move || if is() { "true" } else { "false" }
                    tabindex=move || if is() { "0" } else { "-1" }
                    class:selected=is
                    on:click=move |_| selected.set(t.key)
                >
                    {t.label}
                </button>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <div class="tabs" role="tablist" aria-label="Views" on:keydown=on_key>
            {buttons}
        </div>
    }
}
