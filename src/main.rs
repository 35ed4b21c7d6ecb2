//! Entry point: install the panic hook and mount the app into `#app`, replacing the
//! loading skeleton that index.html shows until the wasm runs.

use wasm_bindgen::JsCast;

fn main() {
    console_error_panic_hook::set_once();
    let host = leptos::prelude::document()
        .get_element_by_id("app")
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    match host {
        Some(host) => {
            host.set_inner_html("");
            let _ = host.remove_attribute("aria-busy");
            leptos::mount::mount_to(host, backwatch::App).forget();
        }
        None => leptos::mount::mount_to_body(backwatch::App),
    }
}
