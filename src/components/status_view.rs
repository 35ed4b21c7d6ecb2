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
    let skeleton = move || {
        (!compact && nothing_read.get())
            .then(|| view! { <Skeleton label="Reading the backup sources" lines=4 /> })
    };
    let table = move || (!compact && !nothing_read.get()).then(|| view! { <StatusTable /> });
    view! {
        <div class="status-view" class:compact=compact data-testid="status-view">
            <SourceNotices />
            {skeleton}
            {table}
        </div>
    }
}
