use backwatch_core::view::calendar as vm;
use leptos::prelude::*;

use super::OccurrenceBlock;

/// Rem per shown hour (the body's height is set through CSSOM from the hours shown).
const REM_PER_HOUR: u32 = 5;

/// The week view: the shown hours × 7 day columns (Monday first) in the display zone, with
/// occurrence blocks in lanes and the current time as a line.
#[component]
pub fn WeekView(
    /// The laid-out week.
    week: vm::WeekView,
) -> impl IntoView {
    let vm::WeekView {
        first_hour,
        end_hour,
        hours,
        days,
        now,
        hidden,
        ..
    } = week;
    let heads = days
        .iter()
        .map(|d| {
            view! {
                <div class="day-head" class:today=d.today data-date=d.date.clone()>
                    {d.label.clone()}
                </div>
            }
        })
        .collect::<Vec<_>>();
    let lines = hours
        .into_iter()
        .map(|h| {
            view! {
                <div class="hour" style:top=h.top.css()>
                    <span>{h.label}</span>
                </div>
            }
        })
        .collect::<Vec<_>>();
    let columns = days
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let line = now.as_ref().filter(|n| n.day == i).map(|n| {
                view! {
                    <div class="now-line" data-testid="now-line" style:top=n.top.css()>
                        <time datetime=n.datetime.clone()>"now " {n.time.clone()}</time>
                    </div>
                }
            });
            let blocks = d
                .blocks
                .into_iter()
                .map(|b| view! { <OccurrenceBlock block=b /> })
                .collect::<Vec<_>>();
            view! {
                <div class="day" class:today=d.today data-date=d.date>
                    <ol class="blocks" aria-label=d.label>
                        {blocks}
                    </ol>
                    {line}
                </div>
            }
        })
        .collect::<Vec<_>>();
    let height = format!("{}rem", (end_hour - first_hour) * REM_PER_HOUR);
    view! {
        <div class="week" data-testid="calendar-week">
            <div class="week-head" aria-hidden="true">
                <div class="gutter"></div>
                {heads}
            </div>
            <div class="week-body" style:height=height>
                <div class="hours" aria-hidden="true">
                    {lines}
                </div>
                <div class="gutter"></div>
                {columns}
            </div>
            {(hidden > 0)
                .then(|| {
                    view! {
                        <p class="muted">
                            {format!("{hidden} more occurrences not drawn (too many to show)")}
                        </p>
                    }
                })}
        </div>
    }
}
