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
                disabled=move || dash.refreshing.get()
                on:click=move |_| dash.refresh_now()
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
                {notice.data_age.map(|a| view! { " " <span class="data-age">{a}</span> })}
                {notice.next_attempt.map(|a| view! { " · " <span class="next-attempt">{a}</span> })}
                " "
                {retry}
            </p>
            {notice.detail.map(|d| view! { <p class="source-detail">{d}</p> })}
            {warnings}
        </div>
    }
}
