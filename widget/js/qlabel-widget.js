// qlabel-widget: the custom elements <qlabel-badge> and <qlabel-seal>.
//
//   <script type="module" src="…/qlabel-widget.js"></script>
//   <qlabel-badge src="https://issuer.example/badges/42.json"></qlabel-badge>
//   <qlabel-seal holder="https://issuer.example/profile"></qlabel-seal>
//
// Each element verifies in the visitor's browser with qlabel-wasm (./pkg/), renders its
// result with the yew app (./qlabel_widget.js) in its shadow root, reflects it in its
// `status` attribute and fires `qlabel-status` (bubbles, composed; detail: the report).

import initWidget, { Widget } from './qlabel_widget.js';
import { init as initCore, verify, label, shareFetches } from './pkg/index.js';

const here = import.meta.url;
let widgetReady = null;
function loadWidget() {
  if (!widgetReady) {
    widgetReady = initWidget({ module_or_path: new URL('qlabel_widget_bg.wasm', here) });
  }
  return widgetReady;
}

// One request per document for the whole page: fifty badges of one issuer share its trust
// file, its authority's profile, its label credential… (qlabel-wasm's shareFetches: a GET
// answered within 30 s is answered again from its response; a failed one is forgotten).
const sharedFetch = shareFetches({ ttlMs: 30000 });

// Attributes that change what is verified; the others only change how it looks.
const INPUTS = ['src', 'holder', 'registry', 'trust'];
const LOOKS = ['lang', 'size', 'theme'];
const INLINE = 'script[type="application/ld+json"]';

function attr(el, name) {
  const v = el.getAttribute(name);
  return v === null || v.trim() === '' ? undefined : v.trim();
}

function absolute(url) {
  try {
    return new URL(url, document.baseURI).href;
  } catch {
    return url;
  }
}

class QlabelElement extends HTMLElement {
  static get observedAttributes() {
    return [...INPUTS, ...LOOKS];
  }

  constructor() {
    super();
    this._view = null;
    this._run = 0;
    this._inputs = null;
    this._last = { phase: 'loading' };
    this._queued = false;
    this._observer = null;
  }

  connectedCallback() {
    if (!this.shadowRoot) this.attachShadow({ mode: 'open', delegatesFocus: true });
    if (!this._observer && this.kind === 'badge') {
      // An inline badge may arrive after the element (streamed or scripted pages).
      this._observer = new MutationObserver(() => this._schedule());
      this._observer.observe(this, { childList: true, subtree: true, characterData: true });
    }
    this._schedule();
  }

  disconnectedCallback() {
    this._run++;
    this._inputs = null;
    if (this._observer) {
      this._observer.disconnect();
      this._observer = null;
    }
  }

  attributeChangedCallback(name, old, value) {
    if (old !== value && this.isConnected) this._schedule();
  }

  _schedule() {
    if (this._queued) return;
    this._queued = true;
    queueMicrotask(() => {
      this._queued = false;
      if (this.isConnected) this._refresh();
    });
  }

  _input() {
    if (this.kind === 'seal') return attr(this, 'holder');
    const src = attr(this, 'src');
    if (src) return absolute(src);
    const inline = this.querySelector(INLINE);
    const text = inline && inline.textContent.trim();
    return text || undefined;
  }

  _options() {
    const o = { fetch: sharedFetch };
    const trust = attr(this, 'trust');
    if (trust) o.trust = absolute(trust);
    const registry = attr(this, 'registry');
    if (registry) o.registry = absolute(registry);
    return o;
  }

  async _refresh() {
    const input = this._input();
    const options = this._options();
    const key = JSON.stringify([input, options]);
    if (key === this._inputs) {
      this._show(this._last);
      return;
    }
    this._inputs = key;
    const run = ++this._run;
    if (this.getAttribute('status') !== 'loading') this.setAttribute('status', 'loading');
    this._show({ phase: 'loading' });
    let result;
    if (input === undefined) {
      const error = { code: 'no-input', message: this.kind === 'seal' ? 'no holder attribute' : 'no src attribute and no inline badge' };
      result = { phase: 'error', error };
    } else {
      try {
        const report = this.kind === 'seal' ? await label(input, options) : await verify(input, options);
        result = { phase: 'done', report };
      } catch (e) {
        result = { phase: 'error', error: { code: (e && e.code) || 'internal', message: (e && e.message) || String(e) } };
      }
    }
    if (run !== this._run) return;
    // Its number: the view fires qlabel-status once per result, not on every re-render.
    result.result = run;
    this._last = result;
    this._show(result);
  }

  async _show(result) {
    const run = this._run;
    try {
      await loadWidget();
    } catch (e) {
      // Without its view the element can still say that it failed.
      if (run === this._run) this.setAttribute('status', 'error');
      return;
    }
    if (run !== this._run || !this.shadowRoot) return;
    if (!this._view) this._view = new Widget(this.shadowRoot, this);
    this._view.update({
      kind: this.kind,
      lang: this.getAttribute('lang') || '',
      size: this.getAttribute('size') || '',
      theme: this.getAttribute('theme') || '',
      holder: this.getAttribute('holder') || '',
      ...result,
    });
  }
}

class QlabelBadge extends QlabelElement {
  get kind() {
    return 'badge';
  }
}

class QlabelSeal extends QlabelElement {
  get kind() {
    return 'seal';
  }
}

// Start both modules early; each element waits for what it needs.
loadWidget().catch(() => {});
initCore().catch(() => {});

if (!customElements.get('qlabel-badge')) customElements.define('qlabel-badge', QlabelBadge);
if (!customElements.get('qlabel-seal')) customElements.define('qlabel-seal', QlabelSeal);

export { QlabelBadge, QlabelSeal };
