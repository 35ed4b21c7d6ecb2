use backwatch_core::view::status::{Problems, badge};
use leptos::prelude::*;

use super::HealthBadge;

/// The worst problems first as short lines (`Immich — missed 2 runs, last backup 3 d
/// ago`), each with its state badge and `data-problem`/`data-health` hooks, then "+N more".
#[component]
pub fn ProblemList(
    /// The lines (`backwatch_core::view::status::problems`).
    problems: Problems,
) -> impl IntoView {
    if problems.lines.is_empty() {
        return None;
    }
    let lines = problems
        .lines
        .into_iter()
        .map(|p| {
            let title = p.text.clone();
            view! {
                <li data-problem=p.service data-health=p.state.key() title=title>
                    <HealthBadge badge=badge(p.state) />
                    " "
                    <span class="problem-text">{p.text}</span>
                </li>
            }
        })
        .collect_view();
    let more = (problems.more > 0).then(|| {
        view! { <li class="more-problems muted">{format!("+{} more", problems.more)}</li> }
    });
    Some(view! {
        <ul class="problems" data-testid="problems" aria-label="Problems, worst first">
            {lines}
            {more}
        </ul>
    })
}
