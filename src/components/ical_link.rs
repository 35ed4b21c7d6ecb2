use std::cell::RefCell;

use backwatch_core::view::ical_export;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::runtime::Dashboard;

thread_local! {
    /// The object URL the link currently points at, revoked when replaced or unmounted.
    static CURRENT: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn revoke_current() {
    if let Some(old) = CURRENT.with(|c| c.borrow_mut().take()) {
        let _ = web_sys::Url::revoke_object_url(&old);
    }
}

/// An object URL for `text` as a `text/calendar` Blob.
fn object_url(text: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/calendar");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// The iCal export: a download link (`backups.ics`) to a `text/calendar` Blob of the next
/// 30 days of occurrences. Built through an object URL, so it works under the CSP
/// (no `data:` navigation, no inline handler); rebuilt when the assessment changes.
#[component]
pub fn IcalLink() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let href = RwSignal::new(None::<String>);
    let title = dash.config().title.clone();
    Effect::new(move |_| {
        let text = dash.snapshot.with(|s| {
            s.as_ref()
                .map(|s| ical_export::export(&s.assessment, &title, s.now))
        });
        let Some(url) = text.as_deref().and_then(object_url) else {
            return;
        };
        revoke_current();
        CURRENT.with(|c| *c.borrow_mut() = Some(url.clone()));
        href.set(Some(url));
    });
    on_cleanup(revoke_current);
    view! {
        <p class="ical">
            <a
                data-testid="ical-download"
                download=ical_export::FILE_NAME
                type="text/calendar"
                href=move || href.get()
            >
                "Export the next 30 days (iCal)"
            </a>
        </p>
    }
}
