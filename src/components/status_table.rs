use backwatch_core::view::status::{
    PAGE, SortKey, TableOrder, filter_chips, item_row, table_order, unmapped_heading, window,
};
use leptos::prelude::*;

use super::{ItemRow, ServiceRow, StateFilter};
use crate::runtime::Dashboard;
use crate::view_state::ViewState;

/// Sortable columns, in table order with the plain columns between them.
const COLUMNS: [(Option<SortKey>, &str, &str); 8] = [
    (Some(SortKey::Name), "Service", "col-name"),
    (Some(SortKey::State), "State", "col-state"),
    (Some(SortKey::LastBackup), "Last backup", "col-time"),
    (None, "Snapshots", "col-num"),
    (Some(SortKey::NextRun), "Next run", "col-time"),
    (None, "Verified", "col-verify"),
    (None, "Sources", "col-sources"),
    (None, "Last 30 days", "col-history"),
];

/// The status table: one row per service (worst first by default), expandable to its
/// items; header buttons sort by name, state, last backup and next run (`aria-sort`);
/// chips filter by state; unmapped items form their own group. Only a window of rows is
/// rendered (50, then "show more"), so a lab with thousands of items stays fast.
#[component]
pub fn StatusTable() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let ViewState {
        sort,
        filter,
        limit,
        unmapped_limit,
        ..
    } = expect_context::<ViewState>();
    // The order is the only thing computed over every row; rows are formatted lazily.
    let order = Memo::new(move |_| {
        dash.snapshot.with(|s| {
            s.as_ref()
                .map(|s| table_order(&s.assessment, sort.get(), filter.get()))
                .unwrap_or_default()
        })
    });
    let chips = Signal::derive(move || {
        dash.snapshot.with(|s| {
            s.as_ref()
                .map(|s| filter_chips(&s.assessment, filter.get()))
                .unwrap_or_default()
        })
    });
    let service_window = move || order.with(|o| window(o.services.len(), limit.get()));
    let visible = move || {
        let shown = service_window().shown;
        let ids: Vec<usize> =
            order.with(|o: &TableOrder| o.services.iter().take(shown).copied().collect());
        dash.snapshot.with(|s| {
            s.as_ref()
                .map(|s| {
                    ids.iter()
                        .filter_map(|&i| s.assessment.services.get(i).map(|x| x.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let header = COLUMNS
        .iter()
        .map(|&(key, label, class)| match key {
            Some(key) => view! {
                <th scope="col" class=class aria-sort=move || sort.get().aria(key)>
                    <button
                        type="button"
                        class="sort"
                        data-sort=key.key()
                        on:click=move |_| sort.update(|s| *s = s.toggle(key))
                    >
                        {label}
                        <span class="sort-mark" aria-hidden="true"></span>
                    </button>
                </th>
            }
            .into_any(),
            None => view! { <th scope="col" class=class>{label}</th> }.into_any(),
        })
        .collect_view();
    let unmapped = move || {
        let rows: Vec<usize> = order.with(|o| o.unmapped.clone());
        if rows.is_empty() {
            return None;
        }
        let w = window(rows.len(), unmapped_limit.get());
        dash.snapshot.with(|s| {
            let s = s.as_ref()?;
            let a = &s.assessment;
            let zone = s.display.zone();
            let heading = unmapped_heading(a, &rows);
            let body = rows
                .iter()
                .take(w.shown)
                .filter_map(|&i| a.unmapped.get(i))
                .map(|it| view! { <ItemRow row=item_row(it, s.now, zone) /> })
                .collect_view();
            let more = (w.hidden > 0).then(|| {
                view! {
                    <tr class="more-row">
                        <td colspan="8">
                            <button
                                type="button"
                                class="more-rows"
                                data-testid="more-unmapped"
                                on:click=move |_| unmapped_limit.update(|l| *l += PAGE)
                            >
                                {w.more_label()}
                            </button>
                        </td>
                    </tr>
                }
            });
            Some(view! {
                <tbody class="unmapped" data-testid="unmapped">
                    <tr class="group-row">
                        <th scope="rowgroup" colspan="8">
                            {heading}
                        </th>
                    </tr>
                    {body}
                    {more}
                </tbody>
            })
        })
    };
    let more_services = move || {
        let w = service_window();
        (w.hidden > 0).then(|| {
            view! {
                <button
                    type="button"
                    class="more-rows"
                    data-testid="more-services"
                    on:click=move |_| limit.update(|l| *l += PAGE)
                >
                    {w.more_label()}
                </button>
            }
        })
    };
    let empty = move || {
        let nothing = order.with(|o| o.services.is_empty() && o.unmapped.is_empty());
        nothing.then(|| {
            let text = if filter.get().is_some() {
                "No rows in this state."
            } else {
                "No services configured and nothing seen in the sources."
            };
            view! { <p class="muted" data-testid="no-rows">{text}</p> }
        })
    };
    view! {
        <StateFilter chips selected=filter />
        <div class="table-wrap">
            <table class="status-table" data-testid="status-table">
                <caption class="vh">"Backup status per service"</caption>
                <thead>
                    <tr>{header}</tr>
                </thead>
                <For each=visible key=|name| name.clone() let:name>
                    <ServiceRow name />
                </For>
                {unmapped}
            </table>
        </div>
        {more_services}
        {empty}
    }
}
