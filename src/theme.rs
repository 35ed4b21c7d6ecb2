//! Glance's look, in order of preference:
//! 1. **Same origin** (widget served under the Glance host): read the parent's theme
//!    variables and `data-scheme`, and follow the theme picker live (MutationObserver on
//!    the parent's root attributes and its `#theme-style` element).
//! 2. **URL fragment**: `#scheme=light&bg=240,13,95&primary=…` (see `backwatch_core::params`).
//! 3. **prefers-color-scheme** with Glance's default palettes (in style.css).
//!
//! Values are written as CSS custom properties through CSSOM, which the CSP
//! (`style-src 'self'`, no inline styles) allows.

use backwatch_core::params::{Scheme, Theme};
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlElement, MutationObserver, MutationObserverInit, Window};

/// Glance's theme variables, as read from (and written to) the root element.
pub const THEME_VARS: &[&str] = &[
    "--bgh",
    "--bgs",
    "--bgl",
    "--color-primary",
    "--color-positive",
    "--color-negative",
    "--cm",
    "--tsm",
];

/// Where the theme came from (exposed as `data-theme-source` for tests and debugging).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemeSource {
    Parent,
    Fragment,
    Default,
}

impl ThemeSource {
    fn key(self) -> &'static str {
        match self {
            ThemeSource::Parent => "parent",
            ThemeSource::Fragment => "fragment",
            ThemeSource::Default => "default",
        }
    }
}

/// The parent's document when it is same-origin; `None` when standalone or cross-origin.
/// Access goes through `Reflect`, so a cross-origin SecurityError is an `Err`, not an
/// exception unwinding through wasm.
fn parent_document(window: &Window) -> Option<Document> {
    let parent = js_sys::Reflect::get(window, &"parent".into()).ok()?;
    if parent.is_undefined() || parent.is_null() || parent == JsValue::from(window.clone()) {
        return None;
    }
    let document = js_sys::Reflect::get(&parent, &"document".into()).ok()?;
    if document.is_undefined() || document.is_null() {
        return None;
    }
    // Not `dyn_into`: the parent's Document is an instance of the *parent's* realm, so an
    // `instanceof Document` check against ours always fails. Same origin was proven by
    // reading the property at all (cross-origin access throws, caught above).
    Some(document.unchecked_into::<Document>())
}

fn root(document: &Document) -> Option<HtmlElement> {
    document.document_element()?.dyn_into::<HtmlElement>().ok()
}

fn set_scheme(own: &HtmlElement, scheme: Option<&str>) {
    match scheme {
        Some(s) => {
            let _ = own.set_attribute("data-scheme", s);
        }
        None => {
            let _ = own.remove_attribute("data-scheme");
        }
    }
}

/// Copy the parent's theme variables and scheme onto our root. Returns false if the
/// parent defines none of them (not a Glance page).
fn copy_from_parent(parent_doc: &Document, own: &HtmlElement) -> bool {
    let Some(parent_root) = parent_doc.document_element() else {
        return false;
    };
    let Some(view) = parent_doc.default_view() else {
        return false;
    };
    let Ok(Some(computed)) = view.get_computed_style(&parent_root) else {
        return false;
    };
    let style = own.style();
    let mut found = false;
    for name in THEME_VARS {
        let value = computed.get_property_value(name).unwrap_or_default();
        let value = value.trim();
        if value.is_empty() {
            let _ = style.remove_property(name);
        } else {
            found = true;
            let _ = style.set_property(name, value);
        }
    }
    let scheme = parent_root.get_attribute("data-scheme");
    set_scheme(own, scheme.as_deref());
    found
}

/// Apply the fragment's theme values.
fn apply_fragment(theme: &Theme, own: &HtmlElement) {
    let style = own.style();
    for (name, value) in theme.css_vars() {
        let _ = style.set_property(name, &value);
    }
    match theme.scheme {
        Some(Scheme::Light) => set_scheme(own, Some("light")),
        Some(Scheme::Dark) => set_scheme(own, Some("dark")),
        None => {}
    }
}

/// Apply the best available theme and keep following the parent if it is same-origin.
pub fn install(theme_from_fragment: &Theme) -> ThemeSource {
    let Some(window) = web_sys::window() else {
        return ThemeSource::Default;
    };
    let Some(document) = window.document() else {
        return ThemeSource::Default;
    };
    let Some(own) = root(&document) else {
        return ThemeSource::Default;
    };

    let source = match parent_document(&window) {
        Some(parent_doc) if copy_from_parent(&parent_doc, &own) => {
            follow_parent(&parent_doc, &own);
            ThemeSource::Parent
        }
        _ if !theme_from_fragment.is_empty() => {
            apply_fragment(theme_from_fragment, &own);
            ThemeSource::Fragment
        }
        _ => ThemeSource::Default,
    };
    let _ = own.set_attribute("data-theme-source", source.key());
    source
}

/// Re-copy the theme whenever Glance's picker changes it: it updates `data-theme` and
/// `data-scheme` on the root and swaps the contents of `<style id="theme-style">`.
fn follow_parent(parent_doc: &Document, own: &HtmlElement) {
    let (doc, own2) = (parent_doc.clone(), own.clone());
    let callback = Closure::<dyn FnMut()>::new(move || {
        copy_from_parent(&doc, &own2);
    });
    let Ok(observer) = MutationObserver::new(callback.as_ref().unchecked_ref()) else {
        return;
    };
    // The observer lives as long as the page: leak the closure deliberately.
    callback.forget();
    if let Some(root) = parent_doc.document_element() {
        let opts = MutationObserverInit::new();
        opts.set_attributes(true);
        opts.set_attribute_filter(&js_sys::Array::of2(
            &"data-theme".into(),
            &"data-scheme".into(),
        ));
        let _ = observer.observe_with_options(&root, &opts);
    }
    if let Some(style) = parent_doc.get_element_by_id("theme-style") {
        observe_subtree(&observer, &style);
    }
}

fn observe_subtree(observer: &MutationObserver, el: &Element) {
    let opts = MutationObserverInit::new();
    opts.set_child_list(true);
    opts.set_character_data(true);
    opts.set_subtree(true);
    let _ = observer.observe_with_options(el, &opts);
}
