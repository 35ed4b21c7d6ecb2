use backwatch_core::view::calendar::{self as vm, NaiveDate};
use leptos::prelude::*;

use super::OccurrenceChip;

/// The month view: 6 weeks × 7 days (Monday first); each day lists its first occurrences
/// as chips, "+N more" (a button that opens that week) and what needs attention.
#[component]
pub fn MonthView(
    /// The laid-out month.
    month: vm::MonthView,
    /// Called with a day's date to show its week.
    #[prop(into)]
    on_open_week: Callback<NaiveDate>,
) -> impl IntoView {
    let head = month
        .weekdays
        .iter()
        .map(|d| view! { <th scope="col">{*d}</th> })
        .collect::<Vec<_>>();
    let mut rows = Vec::with_capacity(6);
    let mut cells = month.cells.into_iter().peekable();
    while cells.peek().is_some() {
        let row = cells
            .by_ref()
            .take(7)
            .map(|c| {
                let chips = c
                    .chips
                    .into_iter()
                    .map(|chip| view! { <OccurrenceChip occ=chip.occ /> })
                    .collect::<Vec<_>>();
                let at = c.at;
                let more = c.more_text.map(|text| {
                    let label = format!("{text}: open the week of {}", c.label);
                    view! {
                        <button
                            type="button"
                            class="more"
                            aria-label=label
                            on:click=move |_| on_open_week.run(at)
                        >
                            {text}
                        </button>
                    }
                });
                let notes = (!c.notes.is_empty())
                    .then(|| view! { <p class="notes">{c.notes.join(" · ")}</p> });
                view! {
                    <td
                        class:out=!c.in_month
                        class:today=c.today
                        data-date=c.date
                        aria-current=c.today.then_some("date")
                    >
                        <span class="day-num">{c.day}</span>
                        <ol class="chips" aria-label=c.label>
                            {chips}
                        </ol>
                        {more}
                        {notes}
                    </td>
                }
            })
            .collect::<Vec<_>>();
        rows.push(view! { <tr>{row}</tr> });
    }
    view! {
        <table class="month" data-testid="calendar-month">
            <thead>
                <tr>{head}</tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
