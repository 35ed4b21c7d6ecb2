use backwatch_core::config::Loaded;
use backwatch_core::params::{Layout, Params};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::{
    Agenda, CalendarView, ConfigNotice, FragmentNotice, Header, ScheduleTester, StatusView,
    Summary, Tab, Tabs,
};
use crate::runtime::{Clock, Runtime};
use crate::view_state::ViewState;

/// Frames at most this wide get the compact layout (Glance's small column is 300 px).
const COMPACT_MAX_WIDTH: &str = "(max-width: 420px)";

const TABS: [Tab; 3] = [
    Tab {
        key: "status",
        label: "Status",
    },
    Tab {
        key: "calendar",
        label: "Calendar",
    },
    Tab {
        key: "tester",
        label: "Schedule tester",
    },
];

/// Follows `(max-width: 420px)`, unless the fragment forces a layout.
fn compact_signal(forced: Option<Layout>) -> Signal<bool> {
    if let Some(layout) = forced {
        return Signal::stored(layout == Layout::Compact);
    }
    let query = web_sys::window().and_then(|w| w.match_media(COMPACT_MAX_WIDTH).ok().flatten());
    let compact = RwSignal::new(query.as_ref().is_some_and(|q| q.matches()));
    if let Some(q) = query {
        let q2 = q.clone();
        let listener = Closure::<dyn FnMut()>::new(move || compact.set(q2.matches()));
        let _ = q.add_event_listener_with_callback("change", listener.as_ref().unchecked_ref());
        // Lives as long as the page.
        listener.forget();
    }
    compact.into()
}

/// The card once the configuration is loaded: starts the engine, provides the
/// [`crate::runtime::Dashboard`] context and lays out the views — tabs in a wide frame;
/// summary, problems and agenda in a narrow one.
#[component]
pub fn Shell(
    /// The parsed configuration and its diagnostics.
    loaded: Loaded,
    /// The clock (fixed by `#now=`, or live).
    clock: Clock,
    /// The URL fragment's parameters: forced layout, first tab and calendar view.
    params: Params,
) -> impl IntoView {
    let Loaded {
        config,
        diagnostics,
    } = loaded;
    let title = config.title.clone();
    let dash = Runtime::start(std::rc::Rc::new(config), clock);
    provide_context(dash);
    let compact = compact_signal(params.layout);
    let selected = RwSignal::new(params.tab.map_or("status", |t| t.key()));
    provide_context(ViewState::new(super::calendar_view::first_mode(
        params.view,
    )));
    let full = move || {
        view! {
            <Tabs tabs=TABS.to_vec() selected />
            <div
                class="tab-panel"
                role="tabpanel"
                id=move || format!("panel-{}", selected.get())
                aria-labelledby=move || format!("tab-{}", selected.get())
            >
                {move || match selected.get() {
                    "calendar" => view! { <CalendarView /> }.into_any(),
                    "tester" => view! { <ScheduleTester /> }.into_any(),
                    _ => view! { <StatusView /> }.into_any(),
                }}
            </div>
        }
    };
    let narrow = move || {
        view! {
            <StatusView compact=true />
            <Agenda />
        }
    };
    view! {
        <section
            data-testid="backwatch"
            data-state="ready"
            data-layout=move || if compact.get() { "compact" } else { "full" }
            data-refreshing=move || if dash.refreshing.get() { "true" } else { "false" }
        >
            <Header title />
            <ConfigNotice diagnostics />
            <FragmentNotice ignored=params.ignored.clone() />
            <Summary />
            {move || if compact.get() { narrow().into_any() } else { full().into_any() }}
        </section>
    }
}
