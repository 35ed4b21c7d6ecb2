//! A small synchronous W3C WebDriver client: just what backwatch's tests and benchmarks use.
//! Errors carry the WebDriver error code and message.

use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

use crate::Result;

/// The W3C key under which element references travel.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One WebDriver session.
pub struct Session {
    agent: ureq::Agent,
    /// `http://127.0.0.1:<port>/session/<id>`
    base: String,
}

/// A reference to a DOM element in a session.
#[derive(Clone, Debug)]
pub struct Element {
    id: String,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(90)))
        .build()
        .into()
}

fn unwrap_value(what: &str, status: u16, body: Value) -> Result<Value> {
    let value = body.get("value").cloned().unwrap_or(Value::Null);
    if status == 200 {
        return Ok(value);
    }
    let error = value
        .get("error")
        .and_then(Value::as_str)
        .unwrap_or("unknown error");
    let message = value.get("message").and_then(Value::as_str).unwrap_or("");
    let first_line = message.lines().next().unwrap_or("");
    Err(format!(
        "webdriver {what}: {error} (HTTP {status}): {first_line}"
    ))
}

fn send(agent: &ureq::Agent, method: &str, url: &str, body: Option<&Value>) -> Result<Value> {
    let what = format!("{method} {}", url.rsplit("/session").next().unwrap_or(url));
    let response = match (method, body) {
        ("GET", _) => agent.get(url).call(),
        ("DELETE", _) => agent.delete(url).call(),
        (_, Some(b)) => agent.post(url).send_json(b),
        (_, None) => agent.post(url).send_json(json!({})),
    };
    let mut response = response.map_err(|e| format!("webdriver {what}: {e}"))?;
    let status = response.status().as_u16();
    let body: Value = response
        .body_mut()
        .read_json()
        .map_err(|e| format!("webdriver {what}: body: {e}"))?;
    unwrap_value(&what, status, body)
}

impl Session {
    /// Create a session on the driver at `driver_url` with these capabilities.
    pub fn new(driver_url: &str, capabilities: Value) -> Result<Session> {
        let agent = agent();
        let value = send(
            &agent,
            "POST",
            &format!("{driver_url}/session"),
            Some(&json!({ "capabilities": { "alwaysMatch": capabilities } })),
        )?;
        let id = value
            .get("sessionId")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("webdriver: new session answer has no sessionId: {value}"))?;
        Ok(Session {
            agent,
            base: format!("{driver_url}/session/{id}"),
        })
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        send(
            &self.agent,
            method,
            &format!("{}{path}", self.base),
            body.as_ref(),
        )
    }

    /// Navigate and wait for the load event.
    pub fn goto(&self, url: &str) -> Result {
        self.call("POST", "/url", Some(json!({ "url": url })))
            .map(drop)
    }

    /// The current URL.
    pub fn current_url(&self) -> Result<String> {
        Ok(self
            .call("GET", "/url", None)?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// Resize the window (CSS pixels of the outer window).
    pub fn set_window_size(&self, width: u32, height: u32) -> Result {
        self.call(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        )
        .map(drop)
    }

    /// Run a synchronous script; its return value comes back as JSON.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// All elements matching a CSS selector (possibly none).
    pub fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        let value = self.call(
            "POST",
            "/elements",
            Some(json!({ "using": "css selector", "value": css })),
        )?;
        Ok(value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| v.get(ELEMENT_KEY).and_then(Value::as_str))
                    .map(|id| Element { id: id.to_owned() })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// The first element matching `css`, waiting up to `timeout` for it to appear.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> Result<Element> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(el) = self.find_all(css)?.into_iter().next() {
                return Ok(el);
            }
            if Instant::now() > deadline {
                return Err(format!("no element matches `{css}` after {timeout:?}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Visible text of an element.
    pub fn text(&self, el: &Element) -> Result<String> {
        let v = self.call("GET", &format!("/element/{}/text", el.id), None)?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// An attribute of an element (`None` when absent).
    pub fn attribute(&self, el: &Element, name: &str) -> Result<Option<String>> {
        let v = self.call("GET", &format!("/element/{}/attribute/{name}", el.id), None)?;
        Ok(v.as_str().map(str::to_owned))
    }

    /// Click an element.
    pub fn click(&self, el: &Element) -> Result {
        self.call(
            "POST",
            &format!("/element/{}/click", el.id),
            Some(json!({})),
        )
        .map(drop)
    }

    /// Type text into an element.
    pub fn send_keys(&self, el: &Element, text: &str) -> Result {
        self.call(
            "POST",
            &format!("/element/{}/value", el.id),
            Some(json!({ "text": text })),
        )
        .map(drop)
    }

    /// A PNG screenshot of the viewport.
    pub fn screenshot_png(&self) -> Result<Vec<u8>> {
        let v = self.call("GET", "/screenshot", None)?;
        let b64 = v.as_str().ok_or("webdriver screenshot: no data")?;
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| format!("webdriver screenshot: {e}"))
    }

    /// The page's HTML.
    pub fn page_source(&self) -> Result<String> {
        Ok(self
            .call("GET", "/source", None)?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// Browser console entries since the last call, as `(level, message)` (ChromeDriver).
    pub fn console_log(&self) -> Result<Vec<(String, String)>> {
        let v = self.call("POST", "/se/log", Some(json!({ "type": "browser" })))?;
        Ok(v.as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| {
                        let level = e.get("level").and_then(Value::as_str).unwrap_or("");
                        let msg = e.get("message").and_then(Value::as_str).unwrap_or("");
                        (level.to_owned(), msg.to_owned())
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// A Chrome DevTools Protocol command on the page (ChromeDriver's `goog/cdp/execute`),
    /// e.g. `Browser.setDownloadBehavior` to let a test read what a download link saves.
    pub fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        self.call(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": cmd, "params": params })),
        )
    }

    /// End the session (closes the browser).
    pub fn quit(&self) -> Result {
        self.call("DELETE", "", None).map(drop)
    }
}
