//! Time zones from the browser: `Intl.DateTimeFormat` knows every IANA zone and is kept up
//! to date by the browser, so the widget ships no tz database (chrono-tz would add ~910 KB
//! raw / ~127 KB gzip, see docs/schedules.md).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use backwatch_core::model::Epoch;
use backwatch_core::time::Zone;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Intl.DateTimeFormat`, bound with `catch` so an unknown zone is an `Err`, not a JS
    /// exception unwinding through wasm.
    #[wasm_bindgen(js_namespace = Intl, js_name = DateTimeFormat)]
    type DateTimeFormat;

    #[wasm_bindgen(constructor, catch, js_namespace = Intl, js_class = "DateTimeFormat")]
    fn new(locales: &JsValue, options: &JsValue) -> Result<DateTimeFormat, JsValue>;

    #[wasm_bindgen(method, catch, js_name = formatToParts)]
    fn format_to_parts(this: &DateTimeFormat, millis: f64) -> Result<js_sys::Array, JsValue>;

    #[wasm_bindgen(method, js_name = resolvedOptions)]
    fn resolved_options(this: &DateTimeFormat) -> js_sys::Object;
}

/// Offsets are constant within a 15-minute bucket whenever they are equal at both ends
/// (zones change at most once in 48 hours), so a bucket is cached after two lookups.
const BUCKET: i64 = 900;

/// JavaScript dates cover ±8.64e15 ms.
const JS_DATE_LIMIT_SECS: i64 = 8_640_000_000_000;

/// A named IANA zone evaluated by the browser.
pub struct IntlZone {
    name: String,
    format: DateTimeFormat,
    cache: RefCell<HashMap<i64, i32>>,
}

fn options(zone: Option<&str>) -> JsValue {
    let o = js_sys::Object::new();
    let set = |k: &str, v: &str| {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    };
    if let Some(zone) = zone {
        set("timeZone", zone);
    }
    set("hourCycle", "h23");
    for key in ["year", "month", "day", "hour", "minute", "second"] {
        set(key, "numeric");
    }
    set("era", "short");
    o.into()
}

impl IntlZone {
    /// The zone called `name`, or `None` if the browser does not know it.
    pub fn by_name(name: &str) -> Option<IntlZone> {
        let format = DateTimeFormat::new(&JsValue::from_str("en-US"), &options(Some(name))).ok()?;
        // Canonical spelling as the browser resolved it ("utc" → "UTC").
        let resolved = js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| name.to_owned());
        Some(IntlZone {
            name: resolved,
            format,
            cache: RefCell::new(HashMap::new()),
        })
    }

    /// The name of the browser's own zone, if it says.
    pub fn browser_zone_name() -> Option<String> {
        DateTimeFormat::new(&JsValue::UNDEFINED, &JsValue::UNDEFINED)
            .ok()
            .and_then(|f| js_sys::Reflect::get(&f.resolved_options(), &"timeZone".into()).ok())
            .and_then(|v| v.as_string())
    }

    /// Offset at `utc` straight from Intl, without the cache.
    fn lookup(&self, utc: Epoch) -> i32 {
        let utc = utc.clamp(-JS_DATE_LIMIT_SECS, JS_DATE_LIMIT_SECS);
        let Ok(parts) = self.format.format_to_parts(utc as f64 * 1000.0) else {
            return 0;
        };
        let (mut y, mut mo, mut d, mut h, mut mi, mut s) = (1970i64, 1i64, 1i64, 0i64, 0i64, 0i64);
        let mut bc = false;
        for part in parts.iter() {
            let get = |k: &str| {
                js_sys::Reflect::get(&part, &JsValue::from_str(k))
                    .ok()
                    .and_then(|v| v.as_string())
            };
            let (Some(kind), Some(value)) = (get("type"), get("value")) else {
                continue;
            };
            let n = value.parse::<i64>().unwrap_or(0);
            match kind.as_str() {
                "year" => y = n,
                "month" => mo = n,
                "day" => d = n,
                "hour" => h = n,
                "minute" => mi = n,
                "second" => s = n,
                "era" => bc = value.starts_with('B'),
                _ => {}
            }
        }
        if bc {
            y = 1 - y;
        }
        let local = days_from_civil(y, mo, d) * 86_400 + h * 3_600 + mi * 60 + s;
        i32::try_from(local - utc).unwrap_or(0)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Zone for IntlZone {
    fn name(&self) -> &str {
        &self.name
    }

    fn offset_at(&self, utc: Epoch) -> i32 {
        let bucket = utc.div_euclid(BUCKET);
        if let Some(offset) = self.cache.borrow().get(&bucket) {
            return *offset;
        }
        let start = bucket.saturating_mul(BUCKET);
        let (a, b) = (
            self.lookup(start),
            self.lookup(start.saturating_add(BUCKET - 1)),
        );
        if a == b {
            let mut cache = self.cache.borrow_mut();
            if cache.len() > 50_000 {
                cache.clear();
            }
            cache.insert(bucket, a);
            a
        } else {
            self.lookup(utc)
        }
    }
}

/// The browser's own zone as a [`Zone`]; UTC if the browser cannot say.
pub fn browser_zone() -> Rc<dyn Zone> {
    IntlZone::browser_zone_name()
        .and_then(|name| IntlZone::by_name(&name))
        .map(|z| Rc::new(z) as Rc<dyn Zone>)
        .unwrap_or_else(|| Rc::new(backwatch_core::time::Utc))
}
