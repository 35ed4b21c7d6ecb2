use backwatch_core::view::status::Badge;
use leptos::prelude::*;

/// A state badge: a glyph whose shape differs per state plus the state's word, so colour
/// is never the only signal. The glyph is decorative (`aria-hidden`); the word is read.
#[component]
pub fn HealthBadge(
    /// The state's key, label and glyph (`backwatch_core::view::status::badge`).
    badge: Badge,
) -> impl IntoView {
    view! {
        <span class="badge" data-state=badge.key>
            <span class="badge-icon" aria-hidden="true">
                {badge.icon}
            </span>
            <span class="badge-label">{badge.label}</span>
        </span>
    }
}
