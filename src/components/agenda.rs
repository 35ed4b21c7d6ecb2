use backwatch_core::view::agenda::{self, AgendaItem};
use leptos::prelude::*;

use super::OutcomeMark;
use crate::runtime::Dashboard;

/// Upcoming occurrences grouped by local day: the calendar of narrow frames (below the
/// status, today and tomorrow) and the calendar tab's agenda (a week). Jobs still in
/// progress by their estimate are listed first.
#[component]
pub fn Agenda(
    /// Local days to list, today included (default: today and tomorrow, the compact
    /// layout's next 24–48 h).
    #[prop(optional)]
    days: Option<u32>,
) -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let days = days.unwrap_or(agenda::COMPACT_DAYS);
    let compact = days <= agenda::COMPACT_DAYS;
    move || {
        dash.snapshot.get().map(|snap| {
            let zone = snap.display.zone();
            let view = agenda::agenda(&snap.assessment, snap.now, zone, days);
            let groups = view
                .days
                .into_iter()
                .map(|d| {
                    let items = d.items.into_iter().map(row).collect::<Vec<_>>();
                    view! {
                        <li class="agenda-day" data-date=d.date>
                            <h3>{d.heading}</h3>
                            <ol>{items}</ol>
                        </li>
                    }
                })
                .collect::<Vec<_>>();
            let hidden = (view.hidden > 0)
                .then(|| view! { <p class="muted">{format!("+{} more", view.hidden)}</p> });
            view! {
                <section
                    class="agenda"
                    class:compact=compact
                    data-testid="agenda"
                    data-days=days
                    aria-label="Upcoming schedule"
                >
                    {compact.then(|| view! { <h2 class="agenda-title">"Upcoming"</h2> })}
                    {view.empty.map(|e| view! { <p class="muted">{e}</p> })}
                    <ol class="agenda-days">{groups}</ol>
                    {hidden}
                </section>
            }
        })
    }
}

/// One agenda row.
fn row(item: AgendaItem) -> impl IntoView {
    let occ = item.occ;
    let overlap = (!occ.overlaps.is_empty()).then(|| {
        view! {
            <span class="warn">
                <span aria-hidden="true">"⚠ "</span>
                {occ.overlaps.join("; ")}
            </span>
        }
    });
    view! {
        <li
            class="occ agenda-item"
            class:in-progress=item.in_progress
            data-kind=occ.kind.key
            data-outcome=occ.outcome.map(|o| o.key)
            data-count=(occ.count > 1).then_some(occ.count)
            title=occ.title
        >
            <time datetime=occ.datetime>{occ.time}</time>
            " "
            <span class="code" aria-hidden="true">{occ.kind.code}</span>
            <span class="kind">{occ.kind.name}</span>
            " "
            <span class="label">{occ.label}</span>
            " "
            <span class="when">{item.when} " " <OutcomeMark outcome=occ.outcome /></span>
            <span class="source">{occ.source}</span>
            {overlap}
        </li>
    }
}
