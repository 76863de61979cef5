//! qlabel-widget: the yew app behind the custom elements `<qlabel-badge>` and
//! `<qlabel-seal>`. The element classes live in `js/qlabel-widget.js`; they verify with
//! qlabel-wasm and hand each result to a [`Widget`] mounted in their shadow root, which
//! renders it, reflects the `status` attribute and fires `qlabel-status`.

mod i18n;
mod icons;
mod safe;
mod state;
mod style;
mod view;

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use view::{App, Config, Kind, Phase, Props};

/// One element's yew app.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Widget {
    app: yew::AppHandle<App>,
    host: HtmlElement,
    seq: u32,
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn get_str(obj: &JsValue, key: &str) -> String {
    get(obj, key).as_string().unwrap_or_default()
}

/// The language candidates after the element's own `lang`: the page's, the browser's.
fn page_langs() -> Vec<String> {
    let mut out = Vec::new();
    if let Some(w) = web_sys::window() {
        if let Some(root) = w.document().and_then(|d| d.document_element()) {
            if let Some(l) = root.get_attribute("lang") {
                out.push(l);
            }
        }
        let langs = w.navigator().languages();
        for v in langs.iter() {
            if let Some(l) = v.as_string() {
                out.push(l);
            }
        }
        if let Some(l) = w.navigator().language() {
            out.push(l);
        }
    }
    out
}

fn page_host() -> String {
    web_sys::window()
        .and_then(|w| w.location().hostname().ok())
        .unwrap_or_default()
}

#[wasm_bindgen]
impl Widget {
    /// Mounts the app in `root` (the element's shadow root); `host` is the element.
    #[wasm_bindgen(constructor)]
    pub fn new(root: JsValue, host: JsValue) -> Result<Widget, JsValue> {
        let root: web_sys::Node = root.dyn_into()?;
        let host: HtmlElement = host.dyn_into()?;
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or_else(|| JsValue::from_str("no document"))?;
        let container = document.create_element("div")?;
        container.set_attribute("part", "widget")?;
        root.append_child(&container)?;
        let config = Config {
            kind: if host.tag_name().eq_ignore_ascii_case("qlabel-seal") {
                Kind::Seal
            } else {
                Kind::Badge
            },
            lang: i18n::Lang::default(),
            size: "medium",
            theme: "auto",
            phase: Phase::Loading,
            page_host: page_host(),
            holder: String::new(),
            result: 0,
            seq: 0,
        };
        let app = yew::Renderer::<App>::with_root_and_props(
            container,
            Props {
                host: host.clone(),
                config: Rc::new(config),
            },
        )
        .render();
        Ok(Widget { app, host, seq: 0 })
    }

    /// Renders a request: `{kind: 'badge'|'seal', lang, size, theme, holder, phase:
    /// 'loading'|'done'|'error', report, error: {message, code}, result}` (`result`
    /// numbers the verification: `qlabel-status` fires once per number).
    pub fn update(&mut self, request: JsValue) -> Result<(), JsValue> {
        self.seq = self.seq.wrapping_add(1);
        let kind = if get_str(&request, "kind") == "seal" {
            Kind::Seal
        } else {
            Kind::Badge
        };
        let own = get_str(&request, "lang");
        let rest = page_langs();
        let lang =
            i18n::choose(std::iter::once(own.as_str()).chain(rest.iter().map(String::as_str)));
        let size = match get_str(&request, "size")
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "small" => "small",
            "large" => "large",
            _ => "medium",
        };
        let theme = match get_str(&request, "theme")
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "light" => "light",
            "dark" => "dark",
            _ => "auto",
        };
        let phase = match get_str(&request, "phase").as_str() {
            "done" => {
                let js = get(&request, "report");
                let text = js_sys::JSON::stringify(&js)
                    .ok()
                    .and_then(|s| s.as_string())
                    .unwrap_or_default();
                match serde_json::from_str(&text) {
                    Ok(value) => Phase::Done {
                        value: Rc::new(value),
                        js,
                    },
                    Err(e) => Phase::Failed {
                        message: format!("the report could not be read: {e}"),
                        key: None,
                        js,
                    },
                }
            }
            "error" => {
                let err = get(&request, "error");
                let code = get_str(&err, "code");
                Phase::Failed {
                    message: get_str(&err, "message"),
                    key: (code == "no-input").then_some("error.no-input"),
                    js: err,
                }
            }
            _ => Phase::Loading,
        };
        let config = Config {
            kind,
            lang,
            size,
            theme,
            phase,
            page_host: page_host(),
            holder: get_str(&request, "holder"),
            result: get(&request, "result").as_f64().unwrap_or(0.0) as u32,
            seq: self.seq,
        };
        self.app.update(Props {
            host: self.host.clone(),
            config: Rc::new(config),
        });
        Ok(())
    }
}

/// What the widget would show for a badge's report, for the browser extension's marks
/// (which cannot run wasm in the page): `{status, state, words, by, detail, open, lang,
/// icon}` where `icon` is the state's shapes (`[[tag, {attr: value}], …]`). `langs` are
/// the language tags to try in order (the user's choice, then the browser's).
/// `report` null means the badge could not be read (`error`); the string `"loading"`,
/// that it is being verified.
#[wasm_bindgen(js_name = describe)]
pub fn describe_js(report: JsValue, langs: Vec<String>) -> Result<JsValue, JsValue> {
    let lang = i18n::choose(langs.iter().map(String::as_str));
    let phase = if report.as_string().as_deref() == Some("loading") {
        Phase::Loading
    } else if report.is_null() || report.is_undefined() {
        Phase::Failed {
            message: String::new(),
            key: None,
            js: JsValue::NULL,
        }
    } else {
        let text = js_sys::JSON::stringify(&report)?
            .as_string()
            .unwrap_or_default();
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| JsValue::from_str(&e.to_string()))?;
        Phase::Done {
            value: Rc::new(value),
            js: JsValue::NULL,
        }
    };
    let config = Config {
        kind: Kind::Badge,
        lang,
        size: "small",
        theme: "auto",
        phase,
        page_host: String::new(),
        holder: String::new(),
        result: 0,
        seq: 0,
    };
    let d = view::describe(&config);
    let out = serde_json::json!({
        "status": d.outcome.status,
        "state": d.outcome.state.key(),
        "words": d.words,
        "by": i18n::text(config.lang.code, "seal.by"),
        "detail": d.detail,
        "open": i18n::text(config.lang.code, "panel.open"),
        "lang": config.lang.code,
        "icon": icons::shapes_of(d.outcome.state),
    });
    js_sys::JSON::parse(&out.to_string())
}

/// The widget's style sheet, for the extension's marks (same classes as the seal).
#[wasm_bindgen(js_name = widgetStyle)]
pub fn widget_style() -> String {
    style::css().to_string()
}
