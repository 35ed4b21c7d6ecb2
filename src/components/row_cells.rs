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
    let never = row.last_backup.is_none().then_some("never");
    let last = row.last_backup.map(|cell| view! { <TimeCell cell /> });
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
    let na = row.verify.is_none().then_some("—");
    let verify = row.verify.map(|v| {
        view! {
            <span class="verify" data-verify=v.key>
                {v.label}
            </span>
            {v.time.map(|cell| view! { " " <TimeCell cell /> })}
        }
    });
    view! {
        <td class="col-state">
            <HealthBadge badge=row.badge />
        </td>
        <td class="col-time" data-field="last-backup">
            <span class="muted">{never}</span>
            {last}
        </td>
        <td class="col-num" data-field="snapshots">
            {row.snapshots}
        </td>
        <td class="col-time" data-field="next-run">
            {next}
        </td>
        <td class="col-verify" data-field="verify">
            <span class="muted">{na}</span>
            {verify}
        </td>
        <td class="col-sources">
            <SourceBadges badges=row.sources />
        </td>
    }
    .into_any()
}
