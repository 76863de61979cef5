// qlabel extension: the content script. It runs on the sites the user chose (and on a
// page whose toolbar button was clicked). It only looks: it lists the page's links,
// images, JSON-LD blocks, alternates and Credly embeds for the service worker, which
// decides with the core's rules which are badges and verifies them; then it puts a
// <qlabel-mark> beside each badge with the widget's words, icon and style. Nothing from
// a badge becomes HTML: every text is a text node, every link is checked.
//
// Its cost on the page's main thread is measured and reported (`stats`): scanning runs
// in idle time, and a page that changes after load (a single-page app) is watched with
// a MutationObserver, debounced, only the new elements being looked at.

(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  if (globalThis.__qlabelContent) {
    // Injected again (the toolbar button): look again.
    globalThis.__qlabelContent.rescan();
    return;
  }

  const MAX_LINKS = 5000;
  const MAX_IMAGES = 500;
  const MAX_SCRIPTS = 100;
  const DEBOUNCE_MS = 300;
  const SVG = 'http://www.w3.org/2000/svg';
  const MARK_CSS = `
:host{margin-inline:0.25em;position:relative}
.tip{position:absolute;z-index:2147483000;inset-block-start:calc(100% + 0.375em);inset-inline-start:0;width:max-content;max-width:22em;padding:0.5em 0.75em;border-radius:0.375em;background:var(--bg);color:var(--fg);border:0.0625em solid var(--line);box-shadow:0 0.25em 1em rgba(0,0,0,0.25);font-size:0.875rem;line-height:1.4;overflow-wrap:anywhere;visibility:hidden;opacity:0}
.tip .word{display:block}
.ql:hover .tip,.ql:focus-within .tip{visibility:visible;opacity:1}
.seal{font-size:0.8125rem}
`;

  let scriptMs = 0;
  let tabId = null;
  let style = null;
  let loadingView = null;
  let pageSent = '';
  // This document's name for the service worker: a reload or a new page is a new list.
  const doc = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
  let lastUrl = location.href;
  let fresh = false;
  const views = new Map(); // key → the widget's view of its result, or null (no mark)
  const byKey = new Map(); // key → Set of {el, source, platform, mark}
  let seen = new WeakSet(); // elements already reported
  const entriesOf = new WeakMap(); // element → Map(key → entry): one mark per badge and element
  const pageEntries = new Map(); // key → entry, for badges of the page itself
  let pageEntry = null; // the mark container for page-level badges

  function timed(fn) {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      scriptMs += performance.now() - t0;
    }
  }

  let paintedAt = 0;
  function reportStats() {
    try {
      api.runtime.sendMessage({ type: 'stats', scriptMs, paintedAt }).catch?.(() => {});
    } catch {
      // the extension was reloaded
    }
  }

  // ------------------------------------------------------------ looking

  const isWeb = (u) => u.startsWith('https:') || u.startsWith('http:');

  /** The page's new elements of each kind, and what the service worker needs of them. */
  function collect(all) {
    const page = { url: '', links: [], images: [], scripts: [], alternates: [], embeds: [] };
    const els = { link: [], image: [], script: [], alternate: [], embed: [] };
    const linkIndex = new Map();
    const anchors = document.getElementsByTagName('a');
    for (let i = 0; i < anchors.length && page.links.length < MAX_LINKS; i++) {
      const a = anchors[i];
      if (seen.has(a)) continue;
      seen.add(a);
      const href = a.href;
      if (typeof href !== 'string' || !isWeb(href)) continue;
      let at = linkIndex.get(href);
      if (at === undefined) {
        at = page.links.length;
        linkIndex.set(href, at);
        page.links.push(href);
        els.link.push([]);
      }
      els.link[at].push(a);
    }
    const imgs = document.images;
    for (let i = 0; i < imgs.length && page.images.length < MAX_IMAGES; i++) {
      const img = imgs[i];
      if (seen.has(img)) continue;
      const src = img.currentSrc || img.src;
      if (!src) continue; // not loaded yet: looked at by a later scan
      seen.add(img);
      if (!(isWeb(src) || src.startsWith('data:image/'))) continue;
      page.images.push({ src, alt: img.alt || '', title: img.title || '' });
      els.image.push([img]);
    }
    for (const s of document.querySelectorAll('script[type="application/ld+json"]')) {
      if (seen.has(s) || page.scripts.length >= MAX_SCRIPTS) continue;
      seen.add(s);
      page.scripts.push(s.textContent || '');
      els.script.push([s]);
    }
    for (const l of document.querySelectorAll('link[rel~="alternate"][href]')) {
      if (seen.has(l)) continue;
      seen.add(l);
      if (!isWeb(l.href)) continue;
      page.alternates.push([l.href, l.type || '']);
      els.alternate.push([l]);
    }
    for (const d of document.querySelectorAll('[data-share-badge-id]')) {
      if (seen.has(d)) continue;
      seen.add(d);
      page.embeds.push([d.getAttribute('data-share-badge-id') || '', d.getAttribute('data-share-badge-host') || '']);
      els.embed.push([d]);
    }
    if (all || location.href !== pageSent) {
      page.url = location.href;
      pageSent = location.href;
    }
    return { page, els };
  }

  function empty(page) {
    return !page.url && !page.links.length && !page.images.length && !page.scripts.length && !page.alternates.length && !page.embeds.length;
  }

  async function scan(all) {
    // A single-page app moved to another address: report the whole page again.
    if (location.href !== lastUrl) {
      lastUrl = location.href;
      seen = new WeakSet();
      fresh = true;
      all = true;
    }
    const { page, els } = timed(() => collect(all));
    if (empty(page)) {
      reportStats();
      return;
    }
    let answer;
    try {
      answer = await api.runtime.sendMessage({ type: 'scan', doc, fresh, page, haveStyle: style !== null });
      fresh = false;
    } catch {
      return; // the extension was reloaded or is gone
    }
    if (!answer || !Array.isArray(answer.items)) return;
    timed(() => {
      if (answer.tabId !== undefined) tabId = answer.tabId;
      if (answer.style) style = answer.style;
      if (answer.loading) loadingView = answer.loading;
      for (const it of answer.items) {
        if (it.read) readImage(it.key, els.image[it.index] && els.image[it.index][0]);
        const targets = it.source === 'page' ? [null] : (els[it.source] && els[it.source][it.index]) || [];
        let set = byKey.get(it.key);
        if (!set) {
          set = new Set();
          byKey.set(it.key, set);
        }
        for (const el of targets) {
          const entry = entryFor(it, el);
          set.add(entry);
          const known = views.get(it.key);
          if (known) show(it.key, entry, known);
          else if (it.show && known === undefined && loadingView) show(it.key, entry, loadingView);
        }
      }
    });
    reportStats();
  }

  /**
   * Hands the service worker this page's copy of one of its own images, from the
   * browser's cache (so it is not downloaded again); null when it cannot be had.
   */
  async function readImage(key, img) {
    let dataUrl = null;
    try {
      const src = img && (img.currentSrc || img.src);
      const res = await fetch(src, { cache: 'force-cache', credentials: 'same-origin' });
      if (res.ok) {
        const blob = await res.blob();
        if (blob.size <= 2 * 1024 * 1024) {
          dataUrl = await new Promise((resolve) => {
            const r = new FileReader();
            r.onload = () => resolve(typeof r.result === 'string' ? r.result : null);
            r.onerror = () => resolve(null);
            r.readAsDataURL(blob);
          });
        }
      }
    } catch {
      // the service worker fetches it instead
    }
    try {
      await api.runtime.sendMessage({ type: 'image', key, dataUrl });
    } catch {
      // gone
    }
  }

  /** The one entry of a badge on an element (or on the page), made when first seen. */
  function entryFor(it, el) {
    let map = pageEntries;
    if (el) {
      map = entriesOf.get(el);
      if (!map) {
        map = new Map();
        entriesOf.set(el, map);
      }
    }
    let entry = map.get(it.key);
    if (!entry) {
      entry = { el, source: it.source, platform: it.platform, mark: null };
      map.set(it.key, entry);
    }
    return entry;
  }

  // ------------------------------------------------------------ marks

  function svgIcon(shapes) {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    for (const [tag, attrs] of shapes || []) {
      if (!['path', 'circle', 'rect'].includes(tag)) continue;
      const el = document.createElementNS(SVG, tag);
      for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
      svg.append(el);
    }
    return svg;
  }

  function span(cls, text) {
    const s = document.createElement('span');
    s.className = cls;
    s.textContent = text;
    return s;
  }

  /** Where a page-level mark goes: after the first heading, or at the top of the body. */
  function pageAnchor() {
    if (pageEntry && pageEntry.isConnected) return pageEntry;
    const holder = document.createElement('div');
    holder.setAttribute('data-qlabel', 'page');
    holder.style.margin = '0.5em 0';
    const h1 = document.querySelector('h1');
    if (h1 && h1.parentNode) h1.after(holder);
    else (document.body || document.documentElement).prepend(holder);
    pageEntry = holder;
    return holder;
  }

  function place(entry, mark) {
    const { el, source } = entry;
    if (source === 'page' || source === 'script' || source === 'alternate' || !el || !el.isConnected) {
      pageAnchor().append(mark);
    } else {
      el.after(mark);
    }
  }

  function show(key, entry, v) {
    // The badge's element left the page: so does its mark.
    const gone = entry.el && entry.source !== 'script' && entry.source !== 'alternate' && !entry.el.isConnected;
    if (!v || gone) {
      if (entry.mark) entry.mark.host.remove();
      entry.mark = null;
      return;
    }
    if (!entry.mark || !entry.mark.host.isConnected) {
      entry.mark = makeMark(key, entry);
      place(entry, entry.mark.host);
    }
    paint(entry.mark, v);
  }

  function makeMark(key, entry) {
    const host = document.createElement('qlabel-mark');
    host.setAttribute('source', entry.source);
    host.setAttribute('platform', entry.platform);
    const root = host.attachShadow({ mode: 'closed' });
    const css = document.createElement('style');
    css.textContent = (style || '') + MARK_CSS;
    const box = document.createElement('div');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'seal';
    button.setAttribute('aria-haspopup', 'dialog');
    const icon = span('icon', '');
    const txt = span('txt', '');
    const by = span('by', '');
    const word = span('word', '');
    txt.append(by, word);
    const sr = span('sr', '');
    button.append(icon, txt, sr);
    const tip = document.createElement('div');
    tip.className = 'tip';
    tip.setAttribute('role', 'tooltip');
    tip.id = 'tip';
    button.setAttribute('aria-describedby', 'tip');
    box.append(button, tip);
    root.append(css, box);
    // A mark inside a link must not follow it.
    const stop = (e) => {
      e.stopPropagation();
      if (e.type === 'click') e.preventDefault();
    };
    host.addEventListener('mousedown', stop);
    host.addEventListener('click', (e) => {
      stop(e);
      openDetail(key, button);
    });
    return { host, box, button, icon, by, word, sr, tip, state: null };
  }

  function paint(m, v) {
    if (m.state === v) return;
    m.state = v;
    m.host.setAttribute('status', v.status);
    m.host.setAttribute('lang', v.lang);
    m.box.className = `ql theme-auto size-small s-${v.state} k-badge`;
    m.box.setAttribute('lang', v.lang);
    m.icon.replaceChildren(svgIcon(v.icon));
    m.by.textContent = v.by;
    m.word.textContent = v.words;
    m.sr.textContent = ` — ${v.open}`;
    m.tip.replaceChildren(span('word', v.words), document.createTextNode(v.detail || ''));
  }

  // ------------------------------------------------------------ the detail

  let overlay = null;
  let returnFocus = null;

  function openDetail(key, button) {
    if (overlay || tabId === null) return;
    const frame = document.createElement('iframe');
    const url = new URL(api.runtime.getURL('src/detail.html'));
    url.searchParams.set('tab', String(tabId));
    url.searchParams.set('key', key);
    frame.src = url.href;
    frame.title = 'qlabel';
    frame.setAttribute('allowtransparency', 'true');
    Object.assign(frame.style, {
      position: 'fixed',
      inset: '0',
      width: '100vw',
      height: '100vh',
      border: '0',
      margin: '0',
      padding: '0',
      zIndex: '2147483647',
      background: 'transparent',
      colorScheme: 'normal',
    });
    overlay = frame;
    returnFocus = button;
    (document.body || document.documentElement).append(frame);
    frame.focus();
  }

  const extensionOrigin = new URL(api.runtime.getURL('')).origin;
  window.addEventListener('message', (e) => {
    if (!overlay || e.source !== overlay.contentWindow || e.origin !== extensionOrigin) return;
    if (e.data && e.data.qlabel === 'close') {
      overlay.remove();
      overlay = null;
      if (returnFocus && returnFocus.isConnected) returnFocus.focus();
      returnFocus = null;
    }
  });

  // ------------------------------------------------------------ results

  api.runtime.onMessage.addListener((msg) => {
    if (!msg || msg.type !== 'results' || !Array.isArray(msg.list)) return;
    timed(() => {
      for (const { key, view } of msg.list) {
        views.set(key, view);
        const set = byKey.get(key);
        if (set) for (const entry of set) show(key, entry, view);
      }
      paintedAt = Date.now();
    });
    reportStats();
  });

  // ------------------------------------------------------------ watching

  let timer = null;
  const observer = new MutationObserver((mutations) => timed(() => noticed(mutations)));
  function noticed(mutations) {
    // Our own marks coming and going are not news.
    const news = mutations.some((m) => {
      if (m.type === 'attributes') {
        // A link or image pointed elsewhere: look at it again.
        seen.delete(m.target);
        return m.target.localName !== 'qlabel-mark';
      }
      for (const n of m.addedNodes) {
        if (n.nodeType === 1 && n.localName !== 'qlabel-mark' && !(n.getAttribute && n.getAttribute('data-qlabel'))) return true;
      }
      return false;
    });
    if (!news || timer) return;
    timer = setTimeout(() => {
      timer = null;
      idle(() => scan(false));
    }, DEBOUNCE_MS);
  }

  function idle(fn) {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => fn(), { timeout: 1000 });
    else setTimeout(fn, 0);
  }

  globalThis.__qlabelContent = {
    rescan() {
      pageSent = '';
      seen = new WeakSet();
      fresh = true;
      idle(() => scan(true));
    },
  };

  observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['href', 'src'] });
  idle(() => scan(true));
})();
