use backwatch_core::view::tester::Highlight;
use leptos::prelude::*;

/// An expression with the column an error points at marked (`<mark>`); a column past the
/// end is marked as a space.
#[component]
pub fn ExprHighlight(
    /// The expression split around the column.
    highlight: Highlight,
) -> impl IntoView {
    let at_end = highlight.at.is_empty();
    let at = if at_end { " ".to_owned() } else { highlight.at };
    view! {
        <code class="expr" data-testid="tester-highlight">
            {highlight.before}
            <mark class:end=at_end>{at}</mark>
            {highlight.after}
        </code>
    }
}
