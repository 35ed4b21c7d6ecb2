use leptos::prelude::*;

/// Placeholder lines while nothing has been read yet: the frame is never blank.
#[component]
pub fn Skeleton(
    /// What is loading, for screen readers.
    label: &'static str,
    /// Number of lines.
    #[prop(default = 3)]
    lines: usize,
) -> impl IntoView {
    let lines = (0..lines)
        .map(|i| {
            let class = match i % 3 {
                0 => "skeleton-line wide",
                1 => "skeleton-line",
                _ => "skeleton-line short",
            };
            view! { <div class=class></div> }
        })
        .collect_view();
    view! {
        <div class="skeleton" role="status" aria-label=label data-testid="skeleton">
            {lines}
        </div>
    }
}
