//! # qlabel-wasm
//!
//! The qlabel core for browsers and Node, through wasm-bindgen. These exports are the
//! low-level half of the package; `js/index.js` is the JavaScript API users call
//! (`init`, `verify`, `extract`, `assess`): it turns inputs into bytes, fetches with
//! the browser's `fetch` (timeouts, byte limits, caching) and loads the second module
//! (RDF canonicalization) when a credential needs it.
//!
//! Errors reach JavaScript as `Error` objects with a stable `code`; with
//! `panic = "abort"` in `[profile.wasm-release]` and no `unwrap` in the core, no panic
//! unwinds into JavaScript (a bug would trap, which the glue reports as `internal`).

use std::cell::{Cell, RefCell};

use js_sys::{Function, Promise, Reflect, Uint8Array};
use qlabel_core::fetch::{Expect, Fetch, FetchError, Fetched};
use qlabel_core::jsonld::{self, JsonLdError};
use qlabel_core::label::TrustAnchor;
use qlabel_core::{Limits, Options};
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A JavaScript `Error` with a stable `code` property.
fn js_error(code: &str, message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    let _ = Reflect::set(&e, &"code".into(), &code.into());
    e.into()
}

/// The options the glue passes, already normalised (see `js/index.js`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct WireOptions {
    /// RFC 3339 time to judge validity at.
    at: String,
    /// Trust anchors: a list (or one) as `qlabel authority trust` writes them.
    #[serde(default)]
    trust: Option<Value>,
    #[serde(default)]
    registry: Option<String>,
    #[serde(default)]
    offline: bool,
    #[serde(default)]
    recipient: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    max_bytes: Option<usize>,
}

fn core_options(json: &str) -> Result<(Options, bool), JsValue> {
    let wire: WireOptions = serde_json::from_str(json)
        .map_err(|e| js_error("bad-options", &format!("options: {e}")))?;
    let at = qlabel_core::datetime::parse(&wire.at)
        .ok_or_else(|| {
            js_error(
                "bad-options",
                &format!("options.at: '{}' is not a date and time", wire.at),
            )
        })?
        .at;
    let mut options = Options::at(at);
    if let Some(max) = wire.max_bytes {
        options.limits = Limits {
            max_bytes: max,
            ..Limits::default()
        };
    }
    options.source = wire.source;
    options.recipient = wire.recipient;
    options.registry = wire.registry;
    if let Some(trust) = wire.trust {
        let text = match trust {
            Value::String(s) => s,
            other => other.to_string(),
        };
        options.trust = TrustAnchor::parse_many(&text)
            .map_err(|e| js_error("bad-options", &format!("options.trust: {e}")))?;
    }
    Ok((options, wire.offline))
}

thread_local! {
    /// The second module's `canonicalize(text) -> string`, once loaded.
    static CANONICALIZER: RefCell<Option<Function>> = const { RefCell::new(None) };
    /// Set when a verification needed RDF canonicalization that was not loaded.
    static NEEDED_RDFC: Cell<bool> = const { Cell::new(false) };
}

/// The core's canonicalizer hook: hands the document to the second module.
fn canonicalize_in_js(doc: &Value) -> Result<String, JsonLdError> {
    let f = CANONICALIZER.with(|c| c.borrow().clone());
    let Some(f) = f else {
        NEEDED_RDFC.with(|n| n.set(true));
        return Err(JsonLdError::Unavailable(
            "the RDF canonicalization module is not loaded".into(),
        ));
    };
    let out = f
        .call1(&JsValue::NULL, &JsValue::from_str(&doc.to_string()))
        .map_err(|e| JsonLdError::Canonicalization(describe(&e)))?;
    // The module answers `{"ok": nquads}` or `{"kind": …, "error": …}` (as JSON text).
    let text = out.as_string().unwrap_or_default();
    let answer: Value = serde_json::from_str(&text)
        .map_err(|e| JsonLdError::Canonicalization(format!("canonicalization module: {e}")))?;
    if let Some(nquads) = answer.get("ok").and_then(Value::as_str) {
        return Ok(nquads.to_string());
    }
    let kind = answer
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("canonicalization");
    let detail = answer
        .get("error")
        .and_then(Value::as_str)
        .unwrap_or("the canonicalization module gave no answer");
    Err(JsonLdError::from_kind(kind, detail.to_string()))
}

/// Gives the core the second module's canonicalizer: `f(jsonText)` returns the JSON
/// text `{"ok": nquads}` or `{"kind": …, "error": …}`.
#[wasm_bindgen(js_name = setCanonicalizer)]
pub fn set_canonicalizer(f: Function) {
    CANONICALIZER.with(|c| *c.borrow_mut() = Some(f));
}

/// A message for a thrown JavaScript value.
fn describe(v: &JsValue) -> String {
    if let Some(e) = v.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    v.as_string().unwrap_or_else(|| "an unknown error".into())
}

/// Fetching through a JavaScript function `(url, expect) → Promise<response>` — the
/// glue's `fetch`-based fetcher (or a caller's own). A response is
/// `{url, redirects, contentType, body: Uint8Array}`; a failure is an object with
/// `code` (`timeout`, `too-large`, `status`, `refused`, `redirect`, `network`), `message`
/// and, as they apply, `status`, `limit`, `seconds`.
struct JsFetch {
    fetcher: Function,
    /// Fetch nothing: every request fails as the core's `Offline` would. (One fetcher
    /// type for both cases, so that the verification code is in the module once.)
    offline: bool,
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn fetch_error(url: &str, e: &JsValue) -> FetchError {
    let code = get(e, "code").as_string().unwrap_or_default();
    let message = get(e, "message").as_string().unwrap_or_else(|| describe(e));
    let url = url.to_string();
    let number = |k: &str| get(e, k).as_f64().unwrap_or(0.0);
    match code.as_str() {
        "offline" => FetchError::Offline(url),
        "status" => FetchError::Status {
            url,
            status: number("status") as u16,
        },
        "too-large" => FetchError::TooLarge {
            url,
            limit: number("limit") as usize,
        },
        "timeout" => FetchError::Timeout {
            url,
            millis: (number("seconds") * 1000.0).round() as u64,
        },
        "redirect" => FetchError::Redirect {
            url,
            reason: message,
        },
        "refused" => FetchError::Refused {
            url,
            reason: message,
        },
        _ => FetchError::Network {
            url,
            reason: message,
        },
    }
}

impl Fetch for JsFetch {
    async fn fetch(&self, url: &str, expect: Expect) -> Result<Fetched, FetchError> {
        if self.offline {
            return Err(FetchError::Offline(url.to_string()));
        }
        let called = self.fetcher.call2(
            &JsValue::NULL,
            &JsValue::from_str(url),
            &JsValue::from_str(expect.name()),
        );
        let promise = match called {
            Ok(p) => p,
            Err(e) => return Err(fetch_error(url, &e)),
        };
        let response = JsFuture::from(Promise::resolve(&promise))
            .await
            .map_err(|e| fetch_error(url, &e))?;
        let body = get(&response, "body");
        let Some(body) = body.dyn_ref::<Uint8Array>() else {
            return Err(FetchError::Network {
                url: url.to_string(),
                reason: "the fetcher returned no body".into(),
            });
        };
        let final_url = get(&response, "url")
            .as_string()
            .unwrap_or_else(|| url.to_string());
        let redirects = js_sys::Array::from(&get(&response, "redirects"))
            .iter()
            .filter_map(|v| v.as_string())
            .collect();
        let content_type = get(&response, "contentType").as_string();
        if !expect.accepts(content_type.as_deref()) {
            return Err(FetchError::ContentType {
                url: url.to_string(),
                content_type: content_type.unwrap_or_default(),
                expected: expect.name().into(),
            });
        }
        Ok(Fetched {
            url: final_url,
            redirects,
            content_type,
            body: body.to_vec(),
        })
    }
}

fn core_error(e: &qlabel_core::Error) -> JsValue {
    js_error(e.code(), &e.to_string())
}

/// Verifies a badge given as bytes. `options` is the glue's normalised options as JSON;
/// `fetcher` as [`JsFetch`] describes. Resolves to the `qlabel-report/1` report as JSON
/// text; rejects with an `Error` whose `code` is the core's (`too-large`, `not-utf8`,
/// `invalid-json`, `too-deep`, `unknown-format`, …), `bad-options`, or `needs-rdfc`
/// (the glue loads the second module and asks again).
#[wasm_bindgen(js_name = verifyBytes)]
pub async fn verify_bytes(
    input: Vec<u8>,
    options: String,
    fetcher: Function,
) -> Result<String, JsValue> {
    let (options, offline) = core_options(&options)?;
    let fetch = JsFetch { fetcher, offline };
    let report = needing_rdfc(qlabel_core::verify(&input, &options, &fetch))
        .await?
        .map_err(|e| core_error(&e))?;
    serde_json::to_string(&report).map_err(|e| js_error("internal", &e.to_string()))
}

/// Runs one verification with the core's canonicalizer hook in place. The hook answers
/// through the second module once it is loaded, and until then notes that it was
/// needed: the answer is then the `needs-rdfc` error (the glue loads the module and runs
/// the verification again), never a verdict reached without it.
async fn needing_rdfc<T>(work: impl std::future::Future<Output = T>) -> Result<T, JsValue> {
    jsonld::set_canonicalizer(canonicalize_in_js);
    NEEDED_RDFC.with(|n| n.set(false));
    let out = work.await;
    if NEEDED_RDFC.with(Cell::get) {
        return Err(js_error(
            "needs-rdfc",
            "this verification needs the RDF canonicalization module",
        ));
    }
    Ok(out)
}

/// The Quality Label of an organisation (a seal), as the `label` part of a report (JSON
/// text): `holder` is the issuer id; `options` and `fetcher` as for [`verify_bytes`].
#[wasm_bindgen(js_name = labelOfHolder)]
pub async fn label_of_holder(
    holder: String,
    options: String,
    fetcher: Function,
) -> Result<String, JsValue> {
    let (options, offline) = core_options(&options)?;
    if holder.trim().is_empty() {
        return Err(js_error("bad-input", "the holder is empty"));
    }
    let fetch = JsFetch { fetcher, offline };
    let label = needing_rdfc(qlabel_core::label::check_holder(
        holder.trim(),
        &options,
        &fetch,
    ))
    .await?;
    serde_json::to_string(&label).map_err(|e| js_error("internal", &e.to_string()))
}

/// The badge baked into a PNG or SVG image, as JSON text `{"kind": "png"|"svg",
/// "payload": …}`; rejects with code `not-baked` when the image carries none.
#[wasm_bindgen(js_name = extractBytes)]
pub fn extract_bytes(image: &[u8]) -> Result<String, JsValue> {
    if qlabel_core::baked::sniff(image).is_none() {
        return Err(js_error(
            "not-an-image",
            "the bytes are not a PNG or SVG image",
        ));
    }
    let found =
        qlabel_core::baked::unbake(image).map_err(|e| js_error("not-baked", &e.to_string()))?;
    let kind = match found.kind {
        qlabel_core::baked::ImageKind::Png => "png",
        qlabel_core::baked::ImageKind::Svg => "svg",
    };
    Ok(serde_json::json!({ "kind": kind, "payload": found.payload }).to_string())
}

/// Largest page description [`detect_page`] accepts, in bytes (`data:` image sources
/// can make it big).
const MAX_PAGE_JSON_BYTES: usize = 32 * 1024 * 1024;

/// The badges on a page. `page_json` is a `PageInput` as JSON: `{url, links: [href],
/// images: [{src, alt, title}], scripts: [text], alternates: [[href, type]],
/// embeds: [[badgeId, host]]}` (absolute URLs; every field optional; each list capped
/// as `qlabel_core::detect` says). Answers a JSON array of `{source, index, platform,
/// page, fetch, via}` (`fetch` null for link-only badges; `platform`, `page`, `fetch`
/// null for images and scripts). Rejects with code `bad-input` on malformed JSON or
/// more than 32 MiB.
#[wasm_bindgen(js_name = detectPage)]
pub fn detect_page(page_json: &str) -> Result<String, JsValue> {
    if page_json.len() > MAX_PAGE_JSON_BYTES {
        return Err(js_error(
            "bad-input",
            &format!("the page description is larger than {MAX_PAGE_JSON_BYTES} bytes"),
        ));
    }
    let page: qlabel_core::detect::PageInput = serde_json::from_str(page_json)
        .map_err(|e| js_error("bad-input", &format!("page: {e}")))?;
    serde_json::to_string(&qlabel_core::detect::detect_page(&page))
        .map_err(|e| js_error("internal", &e.to_string()))
}

/// What the first bytes of an image download say: `"badge"` (a baked badge is in
/// them: read the rest), `"not-baked"` (stop) or `"more"` (cannot tell yet).
#[wasm_bindgen(js_name = bakedPrefix)]
pub fn baked_prefix(bytes: &[u8]) -> String {
    qlabel_core::detect::baked_in_prefix(bytes)
        .name()
        .to_string()
}

/// The https (or loopback http) URL in the top-level string field `field` of platform
/// JSON (Open Badge Passport's `assertion_url`), or `undefined`.
#[wasm_bindgen(js_name = followVia)]
pub fn follow_via(json_text: &str, field: &str) -> Option<String> {
    qlabel_core::detect::follow_via(json_text, field)
}

/// The registry explorer (the website's registry page): reads a label registry, checks
/// its `eddsa-jcs-2022` signature against the trust anchors in `trust_text` (a trust
/// file's JSON text) before anything of it is given out, and answers JSON text
/// `{"authority": {id, name}, "updated", "nextUpdate", "stale", "entries": [{holder:
/// {id, name, ids}, status, validFrom, validUntil, certificate, credential, domains,
/// scope}]}`. `at_iso` (RFC 3339; empty: the registry is not judged stale) is the time
/// freshness is judged at. Rejects with code `bad-options` (trust), `invalid-json`, or
/// `untrusted` / `bad-signature` / `not-a-registry`.
#[wasm_bindgen(js_name = readRegistry)]
pub fn read_registry(
    registry_text: &str,
    trust_text: &str,
    at_iso: &str,
) -> Result<String, JsValue> {
    use qlabel_core::label::{RegistryEntry, REGISTRY_TYPE};
    let anchors = TrustAnchor::parse_many(trust_text).map_err(|e| js_error("bad-options", &e))?;
    let doc = match qlabel_core::limits::parse_json(registry_text.as_bytes(), Limits::default()) {
        Ok(Value::Object(m)) => m,
        Ok(_) => {
            return Err(js_error(
                "invalid-json",
                "the registry is not a JSON object",
            ))
        }
        Err(e) => return Err(core_error(&e)),
    };
    if !qlabel_core::vc::map_types(&doc).contains(&REGISTRY_TYPE) {
        return Err(js_error(
            "not-a-registry",
            &format!("the document is not a {REGISTRY_TYPE}"),
        ));
    }
    let (vm, issuer) = qlabel_core::label::registry_signer(&doc);
    let Some(anchor) = anchors.iter().find(|a| a.owns(&vm) && a.id == issuer) else {
        return Err(js_error(
            "untrusted",
            &format!(
                "the registry is signed by {} ({}), which is not among the trusted label authorities",
                if issuer.is_empty() { "an unnamed party" } else { &issuer },
                if vm.is_empty() { "no key" } else { &vm }
            ),
        ));
    };
    let key = qlabel_core::label::anchor_key(anchor, &vm)
        .ok_or_else(|| js_error("bad-options", "the trust anchor has no usable key"))?;
    qlabel_core::di::verify_with_key(&doc, &key).map_err(|e| {
        js_error(
            "bad-signature",
            &format!("the registry does not verify against {}: {e}", anchor.name),
        )
    })?;
    let subject = doc.get("credentialSubject").cloned().unwrap_or(Value::Null);
    let text = |k: &str| subject.get(k).and_then(Value::as_str).map(str::to_string);
    let updated = text("updated");
    let next = text("nextUpdate");
    let stale = match (
        qlabel_core::datetime::parse(at_iso),
        next.as_deref().and_then(qlabel_core::datetime::parse),
    ) {
        (Some(at), Some(n)) => n.at < at.at,
        _ => false,
    };
    let entries: Vec<Value> = subject
        .get("labels")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|e| serde_json::from_value::<RegistryEntry>(e.clone()).ok())
                .map(|e| {
                    serde_json::json!({
                        "holder": {
                            "id": e.holder.ids.first().cloned().unwrap_or_default(),
                            "name": e.holder.name,
                            "ids": e.holder.ids,
                        },
                        "label": e.label,
                        "status": e.status,
                        "validFrom": e.valid_from,
                        "validUntil": e.valid_until,
                        "certificate": e.certificate,
                        "credential": e.credential,
                        "domains": e.domains,
                        "scope": e.scope,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let answer = serde_json::json!({
        "authority": {"id": anchor.id, "name": anchor.name},
        "updated": updated,
        "nextUpdate": next,
        "stale": stale,
        "entries": entries,
    });
    serde_json::to_string(&answer).map_err(|e| js_error("internal", &e.to_string()))
}
