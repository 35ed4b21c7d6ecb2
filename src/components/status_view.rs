use backwatch_core::view::sources::sources_view;
use leptos::prelude::*;

use super::{Skeleton, SourceNotices, StatusTable};
use crate::runtime::Dashboard;

/// The status tab: per-source notices, then the status table (filter chips, sortable
/// columns, expandable services, unmapped items). In the compact layout only the notices:
/// the summary above already lists the problems, and a wide table does not fit 300 px.
/// A skeleton stands in for the table until a first source has been read.
#[component]
pub fn StatusView(
    /// Compact layout (narrow frames): notices only, no table.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    // A memo: the table below is rebuilt only when this flips, not on every snapshot, so
    // its sort, filter, expanded rows and focus survive refreshes.
    let nothing_read = Memo::new(move |_| {
        dash.snapshot.with(|s| {
            s.as_ref()
                .is_none_or(|s| sources_view(&s.assessment.sources, s.now).nothing_read())
        })
    });
    let body = move || {
        if compact {
            None
        } else if nothing_read.get() {
            Some(view! { <Skeleton label="Reading the backup sources" lines=4 /> }.into_any())
        } else {
            Some(view! { <StatusTable /> }.into_any())
        }
    };
    view! {
        <div class="status-view" class:compact=compact data-testid="status-view">
            <SourceNotices />
            {body}
        </div>
    }
}
