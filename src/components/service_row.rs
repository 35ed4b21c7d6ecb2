use backwatch_core::history::{DEFAULT_DAYS, service_history};
use backwatch_core::view::history::{Strip, strip};
use backwatch_core::view::status::{Row, item_row, service_row};
use leptos::prelude::*;

use super::{HistoryStrip, ItemRow, RowCells};
use crate::runtime::Dashboard;
use crate::view_state::ViewState;

/// What one service row shows: its row, its items' rows and its history strip.
#[derive(Clone, Debug, PartialEq)]
struct ServiceData {
    row: Row,
    items: Vec<Row>,
    strip: Strip,
}

/// One service as a `<tbody>`: a row carrying `data-service` and `data-health` with a
/// disclosure button (`aria-expanded`) that shows the service's items below it. The row
/// stays in the DOM across refreshes (the table keys rows by name), so focus and the
/// expanded state survive new data; only changed cells are rebuilt.
#[component]
pub fn ServiceRow(
    /// The service's name (`[services.<name>]`), looked up in each new snapshot.
    name: String,
) -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let open = expect_context::<ViewState>().expanded;
    let key = name.clone();
    let expanded = Memo::new(move |_| open.with(|o| o.contains(&key)));
    let key = name.clone();
    let toggle = move || {
        open.update(|o| {
            if !o.remove(&key) {
                o.insert(key.clone());
            }
        })
    };
    let lookup = name.clone();
    let data = Memo::new(move |_| {
        dash.snapshot.with(|snap| {
            let snap = snap.as_ref()?;
            let s = snap.assessment.services.iter().find(|s| s.name == lookup)?;
            let zone = snap.display.zone();
            Some(ServiceData {
                row: service_row(s, snap.now, zone),
                items: s
                    .items
                    .iter()
                    .map(|i| item_row(i, snap.now, zone))
                    .collect(),
                strip: strip(&service_history(s, snap.now, zone, DEFAULT_DAYS)),
            })
        })
    });
    let health = move || data.with(|d| d.as_ref().map_or("unknown", |d| d.row.badge.key));
    let retired = move || data.with(|d| d.as_ref().is_some_and(|d| d.row.retired));
    let count = move || data.with(|d| d.as_ref().map_or(0, |d| d.items.len()));
    let text = move || {
        data.with(|d| {
            d.as_ref().map(|d| {
                view! {
                    {d.row
                        .detail
                        .clone()
                        .map(|t| view! { <span class="detail">{t}</span> })}
                    {d.row.tags.iter().map(|t| view! { <span class="tag">{*t}</span> }).collect_view()}
                    {d.row.reason.clone().map(|r| view! { <div class="reason">{r}</div> })}
                }
            })
        })
    };
    let cells = move || {
        data.with(|d| {
            d.as_ref().map(|d| {
                view! {
                    <RowCells row=d.row.clone() />
                    <td class="col-history">
                        <HistoryStrip strip=d.strip.clone() />
                    </td>
                }
            })
        })
    };
    let items = move || {
        if !expanded.get() {
            return None;
        }
        data.with(|d| {
            d.as_ref().map(|d| {
                d.items
                    .iter()
                    .map(|row| view! { <ItemRow row=row.clone() /> })
                    .collect_view()
            })
        })
    };
    let key = name.clone();
    view! {
        <tbody class="service" class:retired=retired class:open=move || expanded.get()>
            <tr class="service-row" data-service=key data-health=health>
                <th scope="row" class="col-name">
                    <button
                        type="button"
                        class="expand"
                        data-testid="expand"
                        aria-expanded=move || if expanded.get() { "true" } else { "false" }
                        disabled=move || count() == 0
                        on:click=move |_| toggle()
                    >
                        <span class="chevron" aria-hidden="true"></span>
                        <span class="service-name">{name}</span>
                        <span class="item-count">{move || format!("({})", count())}</span>
                    </button>
                    {text}
                </th>
                {cells}
            </tr>
            {items}
        </tbody>
    }
    .into_any()
}
