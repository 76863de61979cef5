//! The yew component: the compact seal (a button), the live status, and the detail
//! panel (a modal dialog). Everything from a report is rendered as text nodes.

use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, KeyboardEvent, MouseEvent};
use yew::{html, Component, Context, Html, NodeRef, Properties};

use crate::i18n::{self, Lang};
use crate::icons::{check_icon, seal_not_labelled_icon, state_icon};
use crate::safe::{image_url, link_url};
use crate::state::{badge_outcome, seal_outcome, Outcome, State};
use crate::style;

/// Every translation key the widget uses (the tables hold exactly these).
#[cfg_attr(not(test), allow(dead_code))]
pub const KEYS: [&str; 74] = [
    "state.loading",
    "state.labelled",
    "state.not-labelled",
    "state.label-expired",
    "state.label-suspended",
    "state.label-withdrawn",
    "state.label-untrusted",
    "state.label-unknown",
    "state.invalid",
    "state.revoked",
    "state.expired",
    "state.not-yet-valid",
    "state.unverifiable",
    "state.copied",
    "state.error",
    "state.loading.detail",
    "state.labelled.detail",
    "state.not-labelled.detail",
    "state.label-expired.detail",
    "state.label-suspended.detail",
    "state.label-withdrawn.detail",
    "state.label-untrusted.detail",
    "state.label-unknown.detail",
    "state.invalid.detail",
    "state.revoked.detail",
    "state.expired.detail",
    "state.not-yet-valid.detail",
    "state.unverifiable.detail",
    "state.copied.detail",
    "state.error.detail",
    "panel.title",
    "panel.title-seal",
    "panel.open",
    "panel.close",
    "panel.badge",
    "panel.name",
    "panel.issuer",
    "panel.issued",
    "panel.expires",
    "panel.label",
    "panel.authority",
    "panel.holder",
    "panel.valid-from",
    "panel.valid-until",
    "panel.held-at-issuance",
    "panel.yes",
    "panel.no",
    "panel.certificate",
    "panel.checks",
    "panel.unknown",
    "check.pass",
    "check.fail",
    "check.warn",
    "check.skip",
    "check.unverifiable",
    "check.id.format",
    "check.id.proof",
    "check.id.key-binding",
    "check.id.hosted-origin",
    "check.id.status",
    "check.id.validity",
    "check.id.recipient",
    "check.id.endorsements",
    "check.id.registry-signature",
    "check.id.registry-freshness",
    "check.id.label-proof",
    "check.id.label-authority",
    "check.id.label-holder",
    "check.id.label-validity",
    "check.id.label-status",
    "check.id.label-scope",
    "seal.copied.detail",
    "seal.by",
    "error.no-input",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Badge,
    Seal,
}

/// Where an element is in its work.
#[derive(Clone, Debug)]
pub enum Phase {
    Loading,
    /// The report (a badge's) or label report (a seal's): parsed, and as JavaScript gave
    /// it (the event's detail).
    Done {
        value: Rc<Value>,
        js: JsValue,
    },
    /// The input could not be read; `key` names a translated message, else `message`.
    Failed {
        message: String,
        key: Option<&'static str>,
        js: JsValue,
    },
}

/// One rendering request from the element.
#[derive(Clone, Debug)]
pub struct Config {
    pub kind: Kind,
    pub lang: Lang,
    pub size: &'static str,
    pub theme: &'static str,
    pub phase: Phase,
    pub page_host: String,
    /// The holder attribute of a seal (shown when the registry names none).
    pub holder: String,
    /// The number of the verification shown (`qlabel-status` fires once per number).
    pub result: u32,
    /// Increases with every request; two configs are equal when their numbers are.
    pub seq: u32,
}

impl PartialEq for Config {
    fn eq(&self, other: &Self) -> bool {
        self.seq == other.seq
    }
}

impl Config {
    pub fn outcome(&self) -> Outcome {
        match (&self.phase, self.kind) {
            (Phase::Loading, _) => Outcome {
                state: State::Loading,
                status: "loading".into(),
            },
            (Phase::Failed { .. }, _) => Outcome {
                state: State::Error,
                status: "error".into(),
            },
            (Phase::Done { value, .. }, Kind::Badge) => badge_outcome(value),
            (Phase::Done { value, .. }, Kind::Seal) => seal_outcome(value, &self.page_host),
        }
    }
}

#[derive(Properties, PartialEq, Clone, Debug)]
pub struct Props {
    pub host: HtmlElement,
    pub config: Rc<Config>,
}

#[derive(Debug)]
pub enum Msg {
    Open,
    Close,
    PanelKey(KeyboardEvent),
    Backdrop(MouseEvent),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Focus {
    Panel,
    Seal,
}

#[derive(Debug)]
pub struct App {
    open: bool,
    focus: Option<Focus>,
    reflected: Option<u32>,
    announced: Option<u32>,
    seal: NodeRef,
    panel: NodeRef,
    close: NodeRef,
    backdrop: NodeRef,
}

/// The icon of a state on an element of `kind`.
fn icon(state: State, kind: Kind) -> Html {
    if state == State::NotLabelled && kind == Kind::Seal {
        seal_not_labelled_icon()
    } else {
        state_icon(state)
    }
}

fn s<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str().filter(|s| !s.is_empty())
}

/// Text for people from a report (values only; the widget's words are in `t`).
struct Texts<'a> {
    lang: &'a Lang,
}

impl Texts<'_> {
    fn t(&self, key: &str) -> String {
        i18n::text(self.lang.code, key)
    }
    fn date(&self, iso: Option<&str>) -> String {
        match iso {
            Some(d) => i18n::date(&self.lang.locale, d),
            None => self.t("panel.unknown"),
        }
    }
    fn or_unknown(&self, v: Option<&str>) -> String {
        v.map(str::to_string)
            .unwrap_or_else(|| self.t("panel.unknown"))
    }
}

/// What an element says about its result: the state, its words and its sentence. The
/// view shows it; the browser extension's marks show the same through `describe()`.
pub struct Described {
    pub outcome: Outcome,
    /// The state's words ("Quality Label", "Badge not authentic", …).
    pub words: String,
    /// The state's sentence, filled in (for a copied seal, the copied-seal sentence).
    pub detail: String,
    /// The state's sentence after a space, as the panel's summary shows it.
    pub summary_detail: String,
}

pub fn describe(config: &Config) -> Described {
    let outcome = config.outcome();
    let t = Texts { lang: &config.lang };
    let key = outcome.state.key();
    // A seal shows an organisation, not a badge: "Quality Label: No" rather than the
    // badge's "authentic badge, issuer without Quality Label".
    let words = if outcome.state == State::NotLabelled && config.kind == Kind::Seal {
        format!("{}: {}", t.t("panel.label"), t.t("panel.no"))
    } else {
        t.t(&format!("state.{key}"))
    };
    let args = App::args(config, &t);
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let detail = if outcome.state == State::Copied && config.kind == Kind::Seal {
        i18n::fill(&t.t("seal.copied.detail"), &args)
    } else {
        i18n::fill(&t.t(&format!("state.{key}.detail")), &args)
    };
    let summary_detail = format!(
        " {}",
        i18n::fill(&t.t(&format!("state.{key}.detail")), &args)
    );
    Described {
        outcome,
        words,
        detail,
        summary_detail,
    }
}

impl App {
    fn reflect(&mut self, ctx: &Context<Self>) {
        let config = &ctx.props().config;
        if self.reflected == Some(config.seq) {
            return;
        }
        self.reflected = Some(config.seq);
        let host = &ctx.props().host;
        let outcome = config.outcome();
        let _ = host.set_attribute("status", &outcome.status);
        let detail = match &config.phase {
            Phase::Loading => return,
            Phase::Done { js, .. } | Phase::Failed { js, .. } => js.clone(),
        };
        if self.announced == Some(config.result) {
            return;
        }
        self.announced = Some(config.result);
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&detail);
        if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict("qlabel-status", &init) {
            let _ = host.dispatch_event(&ev);
        }
    }

    /// The panel's focusable elements, in order.
    fn focusables(&self) -> Vec<HtmlElement> {
        let Some(panel) = self.panel.cast::<web_sys::Element>() else {
            return Vec::new();
        };
        let Ok(list) = panel.query_selector_all("a[href],button,[tabindex]:not([tabindex='-1'])")
        else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
            .collect()
    }

    fn args(config: &Config, t: &Texts) -> Vec<(&'static str, String)> {
        let unknown = t.t("panel.unknown");
        let empty = Value::Null;
        let (badge, label) = match (&config.phase, config.kind) {
            (Phase::Done { value, .. }, Kind::Badge) => (
                value.get("badge").unwrap_or(&empty),
                value.get("label").unwrap_or(&empty),
            ),
            (Phase::Done { value, .. }, Kind::Seal) => (&empty, value.as_ref()),
            _ => (&empty, &empty),
        };
        let holder = s(label, &["holder", "name"])
            .or_else(|| s(label, &["holder", "id"]))
            .or(Some(config.holder.as_str()).filter(|h| !h.is_empty()))
            .map(str::to_string)
            .unwrap_or_else(|| unknown.clone());
        // Where a trusted authority's registry named the holder, its name is the one the
        // sentence uses: a badge can call its issuer anything, the signed registry cannot
        // be made to.
        let registry_named = matches!(
            s(label, &["status"]),
            Some("labelled" | "expired" | "suspended" | "withdrawn")
        );
        let issuer = match config.kind {
            Kind::Badge => registry_named
                .then(|| s(label, &["holder", "name"]))
                .flatten()
                .or_else(|| s(badge, &["issuer", "name"]))
                .or_else(|| s(badge, &["issuer", "id"]))
                .map(str::to_string)
                .unwrap_or_else(|| unknown.clone()),
            Kind::Seal => holder.clone(),
        };
        let authority = s(label, &["authority", "name"])
            .or_else(|| s(label, &["authority", "id"]))
            .map(str::to_string)
            .unwrap_or_else(|| unknown.clone());
        let until = t.date(s(label, &["validUntil"]));
        let from = t.date(s(label, &["validFrom"]));
        // `{date}`: the date the state is about.
        let date = match config.outcome().state {
            State::Expired => t.date(s(badge, &["expires"])),
            State::NotYetValid => {
                t.date(s(badge, &["validFrom"]).or_else(|| s(badge, &["issued"])))
            }
            _ => until.clone(),
        };
        vec![
            ("date", date),
            ("issuer", issuer),
            ("holder", holder),
            ("authority", authority),
            ("name", t.or_unknown(s(badge, &["name"]))),
            ("badge", t.or_unknown(s(badge, &["name"]))),
            ("host", {
                let h = config.page_host.clone();
                if h.is_empty() {
                    unknown.clone()
                } else {
                    h
                }
            }),
            ("issued", t.date(s(badge, &["issued"]))),
            ("expires", t.date(s(badge, &["expires"]))),
            ("validUntil", until.clone()),
            ("until", until),
            ("validFrom", from.clone()),
            ("from", from),
        ]
    }

    fn view_panel(
        &self,
        ctx: &Context<Self>,
        outcome: &Outcome,
        t: &Texts,
        words: &str,
        detail: &str,
    ) -> Html {
        let config = &ctx.props().config;
        let link = ctx.link();
        let empty = Value::Null;
        let (badge, label) = match (&config.phase, config.kind) {
            (Phase::Done { value, .. }, Kind::Badge) => (
                Some(value.get("badge").unwrap_or(&empty)),
                Some(value.get("label").unwrap_or(&empty)),
            ),
            (Phase::Done { value, .. }, Kind::Seal) => (None, Some(value.as_ref())),
            _ => (None, None),
        };
        let copied = outcome.state == State::Copied;
        let row = |k: &str, v: String| html! {<><dt>{t.t(k)}</dt><dd>{v}</dd></>};

        let badge_section = badge.map(|b| {
            let img = s(b, &["image"]).and_then(image_url);
            html! {
                <section aria-labelledby="ql-h-badge">
                    <h3 id="ql-h-badge">{t.t("panel.badge")}</h3>
                    <div class="badge">
                        { for img.map(|src| html! { <img src={src} alt="" loading="lazy" referrerpolicy="no-referrer"/> }) }
                        <dl>
                            {row("panel.name", t.or_unknown(s(b, &["name"])))}
                            {row("panel.issuer", t.or_unknown(s(b, &["issuer", "name"]).or_else(|| s(b, &["issuer", "id"]))))}
                            {row("panel.issued", t.date(s(b, &["issued"])))}
                            {row("panel.expires", match s(b, &["expires"]) { Some(d) => t.date(Some(d)), None => "—".to_string() })}
                        </dl>
                    </div>
                </section>
            }
        });

        let show_label = !copied
            && !outcome.state.is_badge_problem()
            && !matches!(config.phase, Phase::Loading | Phase::Failed { .. });
        let label_section = label.filter(|_| show_label).map(|l| {
            let held = match l.get("heldAtIssuance").and_then(Value::as_bool) {
                Some(true) => t.t("panel.yes"),
                Some(false) => t.t("panel.no"),
                None => t.t("panel.unknown"),
            };
            let cert = s(l, &["certificate"]).and_then(link_url);
            html! {
                <section aria-labelledby="ql-h-label">
                    <h3 id="ql-h-label">{t.t("panel.label")}</h3>
                    <dl>
                        {row("panel.authority", t.or_unknown(s(l, &["authority", "name"]).or_else(|| s(l, &["authority", "id"]))))}
                        {row("panel.holder", t.or_unknown(s(l, &["holder", "name"]).or_else(|| s(l, &["holder", "id"]))))}
                        {row("panel.valid-from", t.date(s(l, &["validFrom"])))}
                        {row("panel.valid-until", t.date(s(l, &["validUntil"])))}
                        { if config.kind == Kind::Badge { row("panel.held-at-issuance", held) } else { html!{} } }
                    </dl>
                    { for cert.map(|href| html! {
                        <p><a href={href} target="_blank" rel="noopener noreferrer">{t.t("panel.certificate")}</a></p>
                    }) }
                </section>
            }
        });

        let checks: Vec<&Value> = if copied {
            Vec::new()
        } else {
            let mut v: Vec<&Value> = Vec::new();
            for part in [badge, label].into_iter().flatten() {
                if let Some(a) = part.get("checks").and_then(Value::as_array) {
                    v.extend(a.iter());
                }
            }
            v
        };
        let checks_section = (!checks.is_empty()).then(|| html! {
            <section aria-labelledby="ql-h-checks">
                <h3 id="ql-h-checks">{t.t("panel.checks")}</h3>
                <ul class="checks">
                    { for checks.iter().map(|c| {
                        let id = s(c, &["id"]).unwrap_or("");
                        let status = if c.get("unverifiable").and_then(Value::as_bool) == Some(true) {
                            "unverifiable"
                        } else {
                            s(c, &["status"]).unwrap_or("skip")
                        };
                        let key = format!("check.id.{id}");
                        let name = i18n::text(t.lang.code, &key);
                        let name = if name == key { id.to_string() } else { name };
                        let status_key = match status {
                            "pass" | "fail" | "warn" | "skip" | "unverifiable" => format!("check.{status}"),
                            _ => "check.skip".to_string(),
                        };
                        html! {
                            <li class={format!("c-{}", status_key.trim_start_matches("check."))}>
                                <span class="icon">{check_icon(status)}</span>
                                <span>
                                    <span class="cn">{name}</span>{": "}<span class="cs">{t.t(&status_key)}</span>
                                    <span class="msg">{s(c, &["message"]).unwrap_or("").to_string()}</span>
                                </span>
                            </li>
                        }
                    }) }
                </ul>
            </section>
        });

        let error_note = match &config.phase {
            Phase::Failed { message, key, .. } => Some(html! {
                <p class="copied">{ key.map(|k| t.t(k)).unwrap_or_else(|| message.clone()) }</p>
            }),
            _ => None,
        };

        html! {
            <div class="backdrop" ref={self.backdrop.clone()} onclick={link.callback(Msg::Backdrop)}>
                <div class="panel" role="dialog" aria-modal="true" aria-labelledby="ql-title"
                     aria-describedby="ql-summary" tabindex="-1" ref={self.panel.clone()}
                     onkeydown={link.callback(Msg::PanelKey)}>
                    <div class="head">
                        <h2 id="ql-title">{t.t(if config.kind == Kind::Seal { "panel.title-seal" } else { "panel.title" })}</h2>
                        <button type="button" class="close" ref={self.close.clone()}
                                onclick={link.callback(|_| Msg::Close)}>{t.t("panel.close")}</button>
                    </div>
                    <div class="summary" id="ql-summary">
                        <span class="icon">{icon(outcome.state, config.kind)}</span>
                        <p><strong class="word">{words.to_string()}</strong>{detail.to_string()}</p>
                    </div>
                    {for error_note}
                    {for badge_section}
                    {for label_section}
                    {for checks_section}
                </div>
            </div>
        }
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = Props;

    fn create(_ctx: &Context<Self>) -> Self {
        App {
            open: false,
            focus: None,
            reflected: None,
            announced: None,
            seal: NodeRef::default(),
            panel: NodeRef::default(),
            close: NodeRef::default(),
            backdrop: NodeRef::default(),
        }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Open => {
                self.open = true;
                self.focus = Some(Focus::Panel);
                true
            }
            Msg::Close => {
                self.open = false;
                self.focus = Some(Focus::Seal);
                true
            }
            Msg::Backdrop(e) => {
                let on_backdrop = match (e.target(), self.backdrop.get()) {
                    (Some(t), Some(b)) => JsValue::from(t) == JsValue::from(b),
                    _ => false,
                };
                if on_backdrop {
                    self.open = false;
                    self.focus = Some(Focus::Seal);
                    return true;
                }
                false
            }
            Msg::PanelKey(e) => match e.key().as_str() {
                "Escape" | "Esc" => {
                    e.prevent_default();
                    e.stop_propagation();
                    self.open = false;
                    self.focus = Some(Focus::Seal);
                    true
                }
                "Tab" => {
                    let items = self.focusables();
                    let (Some(first), Some(last)) = (items.first(), items.last()) else {
                        e.prevent_default();
                        return false;
                    };
                    let target: Option<JsValue> = e.target().map(JsValue::from);
                    let at = |el: &HtmlElement| target.as_ref() == Some(&JsValue::from(el.clone()));
                    let on_panel = match (&target, self.panel.get()) {
                        (Some(t), Some(p)) => *t == JsValue::from(p),
                        _ => false,
                    };
                    if e.shift_key() && (at(first) || on_panel) {
                        e.prevent_default();
                        let _ = last.focus();
                    } else if !e.shift_key() && at(last) {
                        e.prevent_default();
                        let _ = first.focus();
                    }
                    false
                }
                _ => false,
            },
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let config = &ctx.props().config;
        let Described {
            outcome,
            words,
            detail,
            summary_detail,
        } = describe(config);
        let t = Texts { lang: &config.lang };
        let key = outcome.state.key();
        let class = format!(
            "ql theme-{} size-{} s-{key} k-{}",
            config.theme,
            config.size,
            match config.kind {
                Kind::Badge => "badge",
                Kind::Seal => "seal",
            }
        );
        html! {
            <>
            <style>{style::css().to_string()}</style>
            <div class={class} lang={config.lang.code} data-state={key}>
                <button type="button" class="seal" ref={self.seal.clone()}
                        aria-haspopup="dialog" aria-expanded={if self.open { "true" } else { "false" }}
                        title={detail.clone()}
                        onclick={ctx.link().callback(|_| Msg::Open)}>
                    <span class="icon">{icon(outcome.state, config.kind)}</span>
                    <span class="txt">
                        <span class="by">{t.t("seal.by")}</span>
                        <span class="word">{words.clone()}</span>
                    </span>
                    // The accessible name is the visible text, then what the button does.
                    <span class="sr">{format!(" — {}", t.t("panel.open"))}</span>
                </button>
                <span class="sr" role="status" aria-live="polite" aria-atomic="true">
                    { if outcome.state == State::Loading { String::new() } else { format!("{words}. {detail}") } }
                </span>
                { if self.open { self.view_panel(ctx, &outcome, &t, &words, &summary_detail) } else { html!{} } }
            </div>
            </>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first: bool) {
        match self.focus.take() {
            Some(Focus::Panel) => {
                if let Some(b) = self.close.cast::<HtmlElement>() {
                    let _ = b.focus();
                }
            }
            Some(Focus::Seal) => {
                if let Some(b) = self.seal.cast::<HtmlElement>() {
                    let _ = b.focus();
                }
            }
            None => {}
        }
        self.reflect(ctx);
    }
}
