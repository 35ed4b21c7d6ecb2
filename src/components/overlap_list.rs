use leptos::prelude::*;

/// The overlaps in the period shown, one sentence each ("GC “GC store1” during backup
/// “nightly”"). Renders nothing when there are none.
#[component]
pub fn OverlapList(
    /// The overlap sentences.
    overlaps: Vec<String>,
) -> impl IntoView {
    (!overlaps.is_empty()).then(|| {
        let n = overlaps.len();
        let heading = if n == 1 {
            "1 overlap".to_owned()
        } else {
            format!("{n} overlaps")
        };
        let items = overlaps
            .into_iter()
            .map(|o| view! { <li>{o}</li> })
            .collect::<Vec<_>>();
        view! {
            <div class="overlaps" data-testid="overlaps" role="note">
                <p>
                    <span aria-hidden="true">"⚠ "</span>
                    {heading}
                    ": maintenance while another job on the same store or repository runs"
                </p>
                <ul>{items}</ul>
            </div>
        }
    })
}
