use backwatch_core::view::sources::sources_view;
use leptos::prelude::*;

use super::SourceNotice;
use crate::runtime::Dashboard;

/// Per-source status: a notice for every source that cannot be read (what happened, how
/// old the data still shown is, what to do, a retry button) or is still loading, and one
/// compact line for the sources that are fine. Each carries `data-source`,
/// `data-source-name` and `data-source-state` (`ok`, `error`, `stale`, `loading`).
#[component]
pub fn SourceNotices() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let view_model = move || {
        dash.snapshot.with(|s| {
            s.as_ref()
                .map(|s| sources_view(&s.assessment.sources, s.now))
                .unwrap_or_default()
        })
    };
    let notices = move || view_model().notices;
    let ok_line = move || {
        let v = view_model();
        let line = v.ok_line();
        let all_ok = v.all_ok();
        let sources =
            v.ok.into_iter()
                .enumerate()
                .map(|(i, s)| {
                    view! {
                        {(i > 0).then_some(" · ")}
                        <span
                            class="source-ok"
                            data-source=s.kind
                            data-source-name=s.name
                            data-source-state="ok"
                            title=s.title
                        >
                            {s.label}
                        </span>
                    }
                })
                .collect_view();
        view! {
            <p class="sources-ok" class:all=all_ok data-testid="sources-ok">
                <span class="badge-icon" aria-hidden="true">
                    {if all_ok { "✓" } else { "!" }}
                </span>
                {line}
                <span class="source-ok-list">{(v.total > 0).then_some(": ")} {sources}</span>
            </p>
        }
    };
    view! {
        <div class="sources" data-testid="sources" aria-live="polite">
            {move || {
                notices()
                    .into_iter()
                    .map(|notice| view! { <SourceNotice notice /> })
                    .collect_view()
            }}
            {ok_line}
        </div>
    }
}
