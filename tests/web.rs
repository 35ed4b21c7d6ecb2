//! Browser tests of the widget shell (wasm-bindgen-test in headless Chromium):
//! `cargo test -p backwatch --target wasm32-unknown-unknown` (run by `cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Mount the app into a fresh container and wait until it has rendered its final state.
async fn mount_app() -> web_sys::HtmlElement {
    use wasm_bindgen::JsCast;
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone(), backwatch::App).forget();
    for _ in 0..200 {
        if host.query_selector("[data-state]").unwrap().is_some() {
            break;
        }
        gloo_timers_sleep(25).await;
    }
    host
}

async fn gloo_timers_sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_missing_config_shows_its_http_status_instead_of_a_blank_frame() {
    // The test runner's server has no backwatch.toml: the widget must say so.
    let host = mount_app().await;
    let card = host
        .query_selector("[data-testid=backwatch]")
        .unwrap()
        .expect("card rendered");
    assert_eq!(card.get_attribute("data-state").as_deref(), Some("error"));
    let message = host
        .query_selector("[data-testid=start-error]")
        .unwrap()
        .unwrap();
    let text = message.text_content().unwrap();
    assert!(
        text.starts_with("could not load backwatch.toml: HTTP 404"),
        "{text}"
    );
    assert_eq!(card.get_attribute("role").as_deref(), Some("alert"));
}
