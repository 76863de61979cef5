// qlabel extension: a badge's detail, opened from its mark. It runs in an iframe the
// content script lays over the page; it is an extension page, so the page can neither
// read nor change it. It shows the widget's own detail panel for the result the service
// worker holds, and tells the content script when it is closed.

import initWidget, { Widget } from '../widget/qlabel_widget.js';

const api = globalThis.browser ?? globalThis.chrome;
const params = new URLSearchParams(location.search);
const tabId = Number(params.get('tab'));
const key = params.get('key') ?? '';

function close() {
  // Only the page that opened this frame listens; it checks that the message is ours.
  window.parent.postMessage({ qlabel: 'close' }, '*');
}

async function main() {
  const [answer] = await Promise.all([
    api.runtime.sendMessage({ type: 'get', tabId, key }),
    initWidget({ module_or_path: new URL('../widget/qlabel_widget_bg.wasm', import.meta.url) }),
  ]);
  const host = document.createElement('qlabel-badge');
  host.id = 'host';
  document.body.append(host);
  const root = host.attachShadow({ mode: 'open', delegatesFocus: true });
  const widget = new Widget(root, host);
  const result = answer && answer.report ? { phase: 'done', report: answer.report } : { phase: 'error', error: answer?.error ?? { code: 'gone', message: 'no result' } };
  widget.update({ kind: 'badge', lang: answer?.lang ?? '', size: '', theme: '', holder: '', result: 1, ...result });
  // Open the panel as a click on the seal would (yew renders on its own schedule: wait
  // for the seal); close the frame when the panel closes.
  const seal = await rendered(() => root.querySelector('button.seal'));
  if (!seal) return close();
  seal.click();
  let opened = false;
  new MutationObserver(() => {
    const panel = root.querySelector('.backdrop');
    if (panel) opened = true;
    else if (opened) close();
  }).observe(root, { childList: true, subtree: true });
  if (root.querySelector('.backdrop')) opened = true;
}

/** `find()`'s answer once it has one (checked each frame, for at most 5 s). */
function rendered(find) {
  return new Promise((resolve) => {
    const start = performance.now();
    const look = () => {
      const found = find();
      if (found || performance.now() - start > 5000) resolve(found ?? null);
      else requestAnimationFrame(look);
    };
    look();
  });
}

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') close();
});

main().catch(() => close());
