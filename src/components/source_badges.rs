use backwatch_core::view::status::SourceBadge;
use leptos::prelude::*;

/// Where a row's backups were read: "PBS", "PBS via PVE", "Databasement", "Backrest",
/// each titled with the source's instance name.
#[component]
pub fn SourceBadges(
    /// The badges (`backwatch_core::view::status::source_badges`).
    badges: Vec<SourceBadge>,
) -> impl IntoView {
    badges
        .into_iter()
        .map(|b| {
            view! {
                <span class="source-badge" data-kind=b.kind title=b.title>
                    {b.label}
                </span>
            }
        })
        .collect_view()
}
