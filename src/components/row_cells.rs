use backwatch_core::view::status::Row;
use leptos::prelude::*;

use super::{HealthBadge, SourceBadges, TimeCell};

/// The data cells shared by service and item rows: state, last backup, snapshots, next
/// run (with provenance and pending/missed), verification and sources. Each cell carries
/// its `data-field` hook; times sit inside `<time datetime>`.
#[component]
pub fn RowCells(
    /// The row's view-model.
    row: Row,
) -> impl IntoView {
    let last = match row.last_backup {
        Some(cell) => view! { <TimeCell cell /> }.into_any(),
        None => view! { <span class="muted">"never"</span> }.into_any(),
    };
    let next = row.next_run.map(|n| {
        view! {
            <TimeCell cell=n.time />
            {(n.due != "upcoming")
                .then(|| view! { <span class="due" data-due=n.due>{n.due}</span> })}
            <span class="provenance" data-provenance=n.provenance title=n.title>
                {n.provenance_label}
            </span>
        }
    });
    let verify = match row.verify {
        Some(v) => view! {
            <span class="verify" data-verify=v.key>
                {v.label}
            </span>
            {v.time.map(|cell| view! { " " <TimeCell cell /> })}
        }
        .into_any(),
        None => {
            view! { <span class="muted" title="verification does not apply">"—"</span> }.into_any()
        }
    };
    view! {
        <td class="col-state">
            <HealthBadge badge=row.badge />
        </td>
        <td class="col-time" data-field="last-backup">
            {last}
        </td>
        <td class="col-num" data-field="snapshots">
            {row.snapshots}
        </td>
        <td class="col-time" data-field="next-run">
            {next}
        </td>
        <td class="col-verify" data-field="verify">
            {verify}
        </td>
        <td class="col-sources">
            <SourceBadges badges=row.sources />
        </td>
    }
}
