//! The browser side of the sans-IO collectors: runs their requests concurrently with
//! `fetch`, hands the responses back, and returns what the collector made of them.
//!
//! GETs carry no Content-Type (PBS ignores query parameters when a GET has one). Every
//! request has a timeout well above PBS's 3 s delay on authentication failures, and all
//! requests of a refresh are aborted when a newer refresh supersedes it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use backwatch_core::model::Epoch;
use backwatch_core::sources::{
    Collected, Collector, HttpRequest, HttpResponse, Method, RequestId, TransportError,
};
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use gloo_net::http::{Method as HttpMethod, RequestBuilder};
use wasm_bindgen::prelude::*;
use web_sys::AbortController;

/// Per-request timeout: PBS answers auth failures after 3 s and big snapshot listings can
/// take tens of seconds; Caddy's response_header_timeout (60 s) is the outer bound.
pub const REQUEST_TIMEOUT_MS: u32 = 45_000;

/// Bodies above this are refused unread (a hostile or broken upstream must not eat memory).
pub const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;

/// All requests of one refresh; [`Refresh::abort`] cancels whatever is still in flight.
#[derive(Clone, Default)]
pub struct Refresh {
    controllers: Rc<RefCell<Vec<AbortController>>>,
    aborted: Rc<Cell<bool>>,
}

impl Refresh {
    /// Abort every request of this refresh that has not finished.
    pub fn abort(&self) {
        self.aborted.set(true);
        for c in self.controllers.borrow_mut().drain(..) {
            c.abort();
        }
    }

    /// Was this refresh aborted?
    pub fn is_aborted(&self) -> bool {
        self.aborted.get()
    }

    fn controller(&self) -> Option<AbortController> {
        let c = AbortController::new().ok()?;
        self.controllers.borrow_mut().push(c.clone());
        Some(c)
    }
}

/// Drive `collector` to completion: start its requests, feed the responses, follow up.
/// A provisional result the collector offers on the way (see `Collector::partial`) goes to
/// `on_partial`, so the rows can render before slow detail requests are done.
pub async fn run(
    mut collector: Box<dyn Collector>,
    refresh: &Refresh,
    now: Epoch,
    mut on_partial: impl FnMut(Collected),
) -> Collected {
    let mut pending = FuturesUnordered::new();
    for request in collector.start() {
        pending.push(perform(request, refresh.clone()));
    }
    while let Some((id, response)) = pending.next().await {
        for request in collector.on_response(id, response) {
            pending.push(perform(request, refresh.clone()));
        }
        if let Some(partial) = collector.partial(now) {
            on_partial(partial);
        }
    }
    collector.finish(now)
}

async fn perform(
    request: HttpRequest,
    refresh: Refresh,
) -> (RequestId, Result<HttpResponse, TransportError>) {
    let id = request.id;
    if refresh.is_aborted() {
        return (id, Err(TransportError::Aborted));
    }
    (id, send(request, &refresh).await)
}

async fn send(request: HttpRequest, refresh: &Refresh) -> Result<HttpResponse, TransportError> {
    let controller = refresh.controller();
    let timed_out = Rc::new(Cell::new(false));
    let timer = controller.as_ref().map(|c| {
        let (c, flag) = (c.clone(), timed_out.clone());
        gloo_timers_like_timeout(REQUEST_TIMEOUT_MS, move || {
            flag.set(true);
            c.abort();
        })
    });

    let method = match request.method {
        Method::Get => HttpMethod::GET,
        Method::Post => HttpMethod::POST,
    };
    let mut builder = RequestBuilder::new(&request.path)
        .method(method)
        .abort_signal(controller.as_ref().map(|c| c.signal()).as_ref());
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let result = match request.body {
        Some(body) => match builder.body(body) {
            Ok(req) => req.send().await,
            Err(e) => return Err(TransportError::Network(e.to_string())),
        },
        None => builder.send().await,
    };
    let outcome = match result {
        Ok(response) => read(response).await,
        Err(e) => Err(TransportError::Network(e.to_string())),
    };
    drop(timer);
    match outcome {
        Err(_) if timed_out.get() => Err(TransportError::Timeout {
            after_ms: REQUEST_TIMEOUT_MS,
        }),
        Err(_) if refresh.is_aborted() => Err(TransportError::Aborted),
        other => other,
    }
}

async fn read(response: gloo_net::http::Response) -> Result<HttpResponse, TransportError> {
    let status = response.status();
    let content_type = response.headers().get("content-type");
    let declared = response
        .headers()
        .get("content-length")
        .and_then(|l| l.parse::<u64>().ok());
    if declared.is_some_and(|l| l > MAX_BODY_BYTES) {
        return Err(too_big());
    }
    let body = read_limited(&response).await?;
    Ok(HttpResponse {
        status,
        content_type,
        body,
    })
}

fn too_big() -> TransportError {
    TransportError::TooLarge {
        limit_bytes: MAX_BODY_BYTES,
    }
}

/// The body as text, counting bytes as they arrive: Caddy compresses API answers and then
/// sends no Content-Length, so the limit must hold while reading, not only up front.
async fn read_limited(response: &gloo_net::http::Response) -> Result<String, TransportError> {
    let network = |e: JsValue| TransportError::Network(format!("{e:?}"));
    let Some(stream) = response.body() else {
        return Ok(String::new());
    };
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut bytes: Vec<u8> = Vec::new();
    loop {
        let chunk = wasm_bindgen_futures::JsFuture::from(reader.read())
            .await
            .map_err(network)?;
        let done = js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool());
        if done != Some(false) {
            break;
        }
        let Ok(value) = js_sys::Reflect::get(&chunk, &"value".into()) else {
            break;
        };
        let array: js_sys::Uint8Array = value.unchecked_into();
        let len = array.length() as usize;
        if (bytes.len() + len) as u64 > MAX_BODY_BYTES {
            let _ = reader.cancel();
            return Err(too_big());
        }
        let start = bytes.len();
        bytes.resize(start + len, 0);
        array.copy_to(&mut bytes[start..]);
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// A `setTimeout` that is cleared when the returned guard is dropped.
struct TimeoutGuard {
    handle: i32,
    _closure: Closure<dyn FnMut()>,
}

impl Drop for TimeoutGuard {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            w.clear_timeout_with_handle(self.handle);
        }
    }
}

fn gloo_timers_like_timeout(ms: u32, f: impl FnOnce() + 'static) -> Option<TimeoutGuard> {
    let mut f = Some(f);
    let closure = Closure::<dyn FnMut()>::new(move || {
        if let Some(f) = f.take() {
            f();
        }
    });
    let handle = web_sys::window()?
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            closure.as_ref().unchecked_ref(),
            i32::try_from(ms).unwrap_or(i32::MAX),
        )
        .ok()?;
    Some(TimeoutGuard {
        handle,
        _closure: closure,
    })
}
