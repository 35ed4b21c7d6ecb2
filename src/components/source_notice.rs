use backwatch_core::view::sources::Notice;
use leptos::prelude::*;

use crate::runtime::Dashboard;

/// One source's notice.
#[component]
pub fn SourceNotice(
    /// What to say (`backwatch_core::view::sources::sources_view`).
    notice: Notice,
) -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let warnings = (!notice.warnings.is_empty()).then(|| {
        let items = notice
            .warnings
            .into_iter()
            .map(|w| view! { <li>{w}</li> })
            .collect_view();
        view! { <ul class="source-warnings">{items}</ul> }
    });
    let retry = notice.retry.then(|| {
        view! {
            <button
                type="button"
                class="retry"
                data-testid="retry"
                aria-disabled=move || if dash.refreshing.get() { "true" } else { "false" }
                on:click=move |_| {
                    if !dash.refreshing.get_untracked() {
                        dash.refresh_now();
                    }
                }
            >
                "retry"
            </button>
        }
    });
    view! {
        <div
            class="notice source-notice"
            data-source=notice.kind
            data-source-name=notice.name
            data-source-state=notice.state
        >
            <p>
                <strong class="source-message">{notice.message}</strong>
                // Ages tick every refresh: out of the polite live region (`aria-live="off"`) so a
                // screen reader is not read the notice again each minute.
                {notice.data_age.map(|a| view! { " " <span class="data-age" aria-live="off">{a}</span> })}
                {notice.next_attempt.map(|a| view! { " · " <span class="next-attempt" aria-live="off">{a}</span> })}
                " "
                {retry}
            </p>
            {notice.detail.map(|d| view! { <p class="source-detail">{d}</p> })}
            {warnings}
        </div>
    }
}
