use backwatch_core::view::status::Problems;
use leptos::prelude::*;

use super::HealthBadge;

/// The worst problems first as short lines (`Immich — missed 2 runs, last backup 3 d
/// ago`, or a failed verification), each with its badge and `data-problem`/`data-health`/
/// `data-badge` hooks, then "+N more".
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
                <li
                    data-problem=p.service
                    data-health=p.state.key()
                    data-badge=p.badge.key
                    title=title
                >
                    <HealthBadge badge=p.badge />
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
