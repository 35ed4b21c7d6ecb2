use backwatch_core::view::agenda::FULL_DAYS;
use backwatch_core::view::calendar::{self as vm, Mode, NaiveDate};
use leptos::prelude::*;

use super::{Agenda, CalendarNav, IcalLink, KindLegend, MonthView, OverlapList, WeekView};
use crate::runtime::Dashboard;
use crate::view_state::ViewState;

/// Frames at most this wide open the calendar on the agenda (a week of 7 columns would be
/// too narrow to read).
const AGENDA_FIRST: &str = "(max-width: 560px)";

/// The calendar's first view: `#view=` if given, else the week, or the agenda in a narrow
/// frame.
pub fn first_mode(start: Option<Mode>) -> Mode {
    start.unwrap_or_else(|| if narrow() { Mode::Agenda } else { Mode::Week })
}

fn narrow() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(AGENDA_FIRST).ok().flatten())
        .is_some_and(|q| q.matches())
}

/// The calendar tab: every backup-related schedule over time — a week (hours × days), a
/// month (6 × 7 cells) or an agenda — with navigation, the legend of kinds, the overlaps
/// of the period and the iCal export. Everything shown is laid out by core's
/// `view::calendar` and `view::agenda` from the latest assessment.
#[component]
pub fn CalendarView() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let state = expect_context::<ViewState>();
    let mode = state.calendar_mode;
    // `None` follows today (and the clock); navigation pins a date.
    let cursor = state.calendar_cursor;
    let current = move || {
        let today = dash
            .snapshot
            .with(|s| s.as_ref().and_then(|s| vm::today(s.now, s.display.zone())));
        cursor.get().or(today)
    };
    let nav = Signal::derive(move || {
        let m = mode.get();
        dash.snapshot
            .with(|s| {
                let s = s.as_ref()?;
                Some(vm::nav(m, current()?, s.now, s.display.zone()))
            })
            .unwrap_or(vm::Nav {
                title: String::new(),
                prev: None,
                next: None,
                today: None,
                at_today: true,
            })
    });
    let on_step = move |delta: i32| {
        if let Some(c) = current().and_then(|c| vm::step(mode.get_untracked(), c, delta)) {
            cursor.set(Some(c));
        }
    };
    let on_today = move |()| cursor.set(None);
    let on_open_week = move |date: NaiveDate| {
        cursor.set(Some(date));
        mode.set(Mode::Week);
    };
    let body = move || {
        let m = mode.get();
        if m == Mode::Agenda {
            return view! { <Agenda days=FULL_DAYS /> }.into_any();
        }
        let date = current();
        dash.snapshot
            .with(|s| {
                let (s, date) = (s.as_ref()?, date?);
                let zone = s.display.zone();
                Some(match m {
                    Mode::Month => {
                        let month = vm::month_view(&s.assessment, date, s.now, zone);
                        let (legend, overlaps) = (month.legend.clone(), month.overlaps.clone());
                        view! {
                            <MonthView month on_open_week />
                            <OverlapList overlaps />
                            <KindLegend kinds=legend />
                        }
                        .into_any()
                    }
                    _ => {
                        let week = vm::week_view(&s.assessment, date, s.now, zone);
                        let (legend, overlaps) = (week.legend.clone(), week.overlaps.clone());
                        view! {
                            <WeekView week />
                            <OverlapList overlaps />
                            <KindLegend kinds=legend />
                        }
                        .into_any()
                    }
                })
            })
            .unwrap_or_else(|| view! { <p class="muted">"Loading…"</p> }.into_any())
    };
    view! {
        <section
            class="calendar"
            data-testid="calendar"
            data-mode=move || mode.get().key()
            aria-label="Backup calendar"
        >
            <CalendarNav mode nav on_step on_today />
            {body}
            <IcalLink />
        </section>
    }
}
