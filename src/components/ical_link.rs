use std::cell::RefCell;

use backwatch_core::view::ical_export;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::runtime::Dashboard;

thread_local! {
    /// The object URL of the last download, revoked when replaced or unmounted.
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

/// Start the download of `url` as `name` through a temporary `<a download>` (a navigation,
/// which the CSP allows; no `data:` URL, no inline handler).
fn download(url: &str, name: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let body = document.body()?;
    let a = document.create_element("a").ok()?;
    a.set_attribute("href", url).ok()?;
    a.set_attribute("download", name).ok()?;
    body.append_child(&a).ok()?;
    if let Some(a) = a.dyn_ref::<web_sys::HtmlElement>() {
        a.click();
    }
    a.remove();
    Some(())
}

/// The iCal export: a button that downloads `backups.ics`, the next 30 days of occurrences
/// as a `text/calendar` Blob. The file is built when the button is pressed, from the latest
/// assessment, not on every refresh (expanding 30 days of every job is the calendar's
/// heaviest computation).
#[component]
pub fn IcalLink() -> impl IntoView {
    let dash = expect_context::<Dashboard>();
    let title = dash.config().title.clone();
    let ready = move || dash.snapshot.with(Option::is_some);
    let on_click = move |_| {
        let text = dash.snapshot.with_untracked(|s| {
            s.as_ref()
                .map(|s| ical_export::export(&s.assessment, &title, s.now))
        });
        let Some(url) = text.as_deref().and_then(object_url) else {
            return;
        };
        revoke_current();
        CURRENT.with(|c| *c.borrow_mut() = Some(url.clone()));
        let _ = download(&url, ical_export::FILE_NAME);
    };
    on_cleanup(revoke_current);
    view! {
        <p class="ical">
            <button
                type="button"
                class="link-button"
                data-testid="ical-download"
                data-file=ical_export::FILE_NAME
                aria-disabled=move || if ready() { "false" } else { "true" }
                on:click=on_click
            >
                "Export the next 30 days (iCal)"
            </button>
        </p>
    }
}
