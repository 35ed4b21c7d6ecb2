use std::rc::Rc;

use backwatch_core::time::Zone;
use backwatch_core::view::tester;
use leptos::prelude::*;

use super::ExprHighlight;
use crate::runtime::Dashboard;
use crate::view_state::ViewState;
use crate::zone::IntlZone;

/// The schedule tester tab, like PVE's schedule simulator for both syntaxes: pick Proxmox
/// calendar event or cron, type an expression and optionally a time zone (default: the
/// display zone; checked with the browser's `Intl`), and see the normalized form, a
/// description and the next 10 runs, recomputed as you type. A parse error shows the
/// engine's message and marks the column it points at.
#[component]
pub fn ScheduleTester() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let state = expect_context::<ViewState>();
    let (syntax, expr, zone_text) = (state.tester_syntax, state.tester_expr, state.tester_zone);
    let result = Memo::new(move |_| {
        let name = zone_text.get();
        let name = name.trim();
        // An empty zone means the display zone; anything else must be known to Intl.
        let typed =
            (!name.is_empty()).then(|| IntlZone::by_name(name).map(|z| Rc::new(z) as Rc<dyn Zone>));
        dash.snapshot.with(|s| {
            let s = s.as_ref()?;
            let display = s.display.zone();
            let zone: Option<&dyn Zone> = match &typed {
                None => Some(display),
                Some(Some(z)) => Some(&**z),
                Some(None) => None,
            };
            Some(expr.with(|e| tester::test(syntax.get(), e, zone, name, display, s.now)))
        })
    });
    let display_name = move || {
        dash.snapshot
            .with(|s| s.as_ref().map(|s| s.display.zone().name().to_owned()))
            .unwrap_or_default()
    };
    let radios = tester::SYNTAXES
        .iter()
        .map(|s| {
            let s = *s;
            view! {
                <label>
                    <input
                        type="radio"
                        name="tester-syntax"
                        value=tester::syntax_key(s)
                        data-testid=format!("tester-syntax-{}", tester::syntax_key(s))
                        prop:checked=move || syntax.get() == s
                        on:change=move |_| syntax.set(s)
                    />
                    " "
                    {tester::syntax_label(s)}
                </label>
            }
        })
        .collect::<Vec<_>>();
    let output = move || {
        result.get().map(|v| {
            let error = v.error.map(|e| {
                view! {
                    <div class="tester-error" data-testid="tester-error" id="tester-error">
                        <p class="negative">{e.message}</p>
                        {e.highlight.map(|highlight| view! { <ExprHighlight highlight /> })}
                    </div>
                }
            });
            let zone_error = v.zone_error.map(|e| {
                view! {
                    <p class="negative" data-testid="tester-zone-error">{e}</p>
                }
            });
            let runs = v
                .runs
                .into_iter()
                .map(|r| {
                    view! {
                        <li>
                            <time datetime=r.datetime>{r.exact}</time>
                            " "
                            <span class="when">{r.relative}</span>
                            {r.display.map(|d| view! { <span class="alt">{d}</span> })}
                        </li>
                    }
                })
                .collect::<Vec<_>>();
            let parsed = v.normalized.map(|normalized| {
                view! {
                    <dl class="tester-parsed">
                        <dt>"Normalized"</dt>
                        <dd>
                            <code data-testid="tester-normalized">{normalized}</code>
                        </dd>
                        <dt>"Means"</dt>
                        <dd data-testid="tester-description">{v.description}</dd>
                        <dt>"Zone"</dt>
                        <dd data-testid="tester-zone-used">{v.zone}</dd>
                    </dl>
                }
            });
            view! {
                {error}
                {zone_error}
                {parsed}
                {v.note.map(|n| view! { <p class="muted">{n}</p> })}
                {(!runs.is_empty())
                    .then(|| {
                        view! {
                            <h3>"Next runs"</h3>
                            // Ten dates at each keystroke: not read out (`aria-live="off"`).
                            <ol class="tester-runs" data-testid="tester-runs" aria-live="off">
                                {runs}
                            </ol>
                        }
                    })}
            }
        })
    };
    let invalid = move || result.with(|r| r.as_ref().is_some_and(|v| v.error.is_some()));
    view! {
        <section class="tester" data-testid="schedule-tester" aria-label="Schedule tester">
            <fieldset class="tester-syntax">
                <legend>"Syntax"</legend>
                {radios}
            </fieldset>
            <div class="tester-fields">
                <label>
                    "Expression"
                    <input
                        type="text"
                        data-testid="tester-input"
                        spellcheck="false"
                        autocomplete="off"
                        placeholder=move || tester::syntax_example(syntax.get())
                        aria-invalid=move || if invalid() { "true" } else { "false" }
                        aria-describedby="tester-error"
                        prop:value=move || expr.get()
                        on:input=move |ev| expr.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    "Time zone"
                    <input
                        type="text"
                        data-testid="tester-zone"
                        spellcheck="false"
                        autocomplete="off"
                        placeholder=display_name
                        prop:value=move || zone_text.get()
                        on:input=move |ev| zone_text.set(event_target_value(&ev))
                    />
                </label>
            </div>
            <div class="tester-output" aria-live="polite">
                {output}
            </div>
        </section>
    }
}
