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

mod zones {
    use backwatch::zone::IntlZone;
    use backwatch_core::schedule::Schedule;
    use backwatch_core::time::Zone;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// (zone, UTC instant, expected offset in seconds): both sides of real transitions.
    const OFFSETS: &[(&str, i64, i32)] = &[
        // Europe/Berlin spring forward 2026-03-29 01:00 UTC.
        ("Europe/Berlin", 1_774_745_999, 3_600),
        ("Europe/Berlin", 1_774_746_000, 7_200),
        // ... and fall back 2026-10-25 01:00 UTC.
        ("Europe/Berlin", 1_792_889_999, 7_200),
        ("Europe/Berlin", 1_792_890_000, 3_600),
        // America/New_York spring forward 2026-03-08 07:00 UTC.
        ("America/New_York", 1_772_953_199, -18_000),
        ("America/New_York", 1_772_953_200, -14_400),
        // Australia/Lord_Howe: half-hour DST, ends 2026-04-05 02:00 local (15:00 UTC).
        ("Australia/Lord_Howe", 1_775_314_799, 39_600),
        ("Australia/Lord_Howe", 1_775_314_800, 37_800),
        ("UTC", 0, 0),
        ("Asia/Kathmandu", 1_779_019_200, 20_700),
    ];

    #[wasm_bindgen_test]
    fn intl_offsets_match_the_tz_database() {
        for (name, utc, want) in OFFSETS {
            let zone = IntlZone::by_name(name).unwrap_or_else(|| panic!("{name} unknown"));
            assert_eq!(zone.offset_at(*utc), *want, "{name} at {utc}");
            // Second call is answered from the bucket cache and must agree.
            assert_eq!(zone.offset_at(*utc), *want, "{name} at {utc} (cached)");
        }
    }

    #[wasm_bindgen_test]
    fn unknown_zones_are_none_not_exceptions() {
        assert!(IntlZone::by_name("Mars/Olympus_Mons").is_none());
        assert!(IntlZone::by_name("").is_none());
    }

    #[wasm_bindgen_test]
    fn schedules_evaluate_through_intl_across_dst() {
        // 02:30 daily in Berlin: on 2026-03-29 the wall clock skips 02:00–03:00, so
        // proxmox-time semantics skip that day's run (docs/schedules.md).
        let berlin = IntlZone::by_name("Europe/Berlin").unwrap();
        let daily = Schedule::parse_calendar("02:30").unwrap();
        let after = 1_774_656_000; // 2026-03-28 00:00 UTC
        let first = daily.next_after(after, &berlin).unwrap();
        assert_eq!(first, 1_774_661_400, "2026-03-28 02:30 CET");
        let second = daily.next_after(first, &berlin).unwrap();
        assert_eq!(
            second, 1_774_830_600,
            "2026-03-30 02:30 CEST (the 29th has no 02:30)"
        );
    }
}
