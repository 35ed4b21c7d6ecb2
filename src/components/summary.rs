use backwatch_core::view::status::{PROBLEM_CAP, badge, counts_sentence, problems, state_counts};
use leptos::prelude::*;

use super::{ProblemList, Skeleton};
use crate::runtime::Dashboard;

/// The summary: services per state (only the states present, worst first, each with its
/// glyph and word) and the worst problems as short lines, capped with "+N more". A
/// skeleton until the first assessment.
#[component]
pub fn Summary() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let loading = move || {
        dash.snapshot
            .with(Option::is_none)
            .then(|| view! { <Skeleton label="Loading backup status" lines=2 /> })
    };
    let summary = move || {
        let snap = dash.snapshot.get()?;
        let a = &snap.assessment;
        let counts = state_counts(&a.services);
        let sentence = counts_sentence(&counts);
        let chips = counts
            .iter()
            .map(|c| {
                let b = badge(c.state);
                view! {
                    <span class="count" data-state=b.key data-count=c.count aria-hidden="true">
                        <span class="badge-icon" aria-hidden="true">
                            {b.icon}
                        </span>
                        {c.count}
                        " "
                        {b.label}
                    </span>
                }
            })
            .collect_view();
        let list = problems(a, PROBLEM_CAP);
        Some(view! {
            <div class="summary" data-testid="summary">
                <p class="counts" data-testid="counts">
                    // A paragraph cannot be named: the sentence is text for screen readers,
                    // the chips (aria-hidden) are its visual form.
                    <span class="vh">{sentence}</span>
                    {chips}
                </p>
                <ProblemList problems=list />
            </div>
        })
    };
    view! {
        {loading}
        {summary}
    }
}
