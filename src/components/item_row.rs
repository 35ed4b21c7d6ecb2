use backwatch_core::view::status::Row;
use leptos::prelude::*;

use super::RowCells;

/// One item of a service (guest, database, plan, host), or an unmapped one: its name,
/// subject, tags (`not backed up`), reason and the shared cells. Carries `data-item` and
/// `data-health`.
#[component]
pub fn ItemRow(
    /// The item's view-model.
    row: Row,
    /// Cells after the shared ones (the history column) to leave empty.
    #[prop(default = 1)]
    trailing: usize,
) -> impl IntoView {
    let tags = row
        .tags
        .iter()
        .map(|t| view! { <span class="tag">{*t}</span> })
        .collect_view();
    let detail = row
        .detail
        .clone()
        .filter(|d| *d != row.name)
        .map(|d| view! { <span class="detail">{d}</span> });
    let reason = row
        .reason
        .clone()
        .map(|r| view! { <div class="reason">{r}</div> });
    let (key, health, retired, name) = (
        row.key.clone(),
        row.badge.key,
        row.retired,
        row.name.clone(),
    );
    let empty = (0..trailing)
        .map(|_| view! { <td class="col-history"></td> })
        .collect_view();
    view! {
        <tr
            class="item-row"
            class:retired=retired
            data-item=key
            data-health=health
        >
            <th scope="row" class="col-name">
                <span class="item-name">{name}</span>
                {detail}
                {tags}
                {reason}
            </th>
            <RowCells row />
            {empty}
        </tr>
    }
    .into_any()
}
