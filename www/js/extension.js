// The extension's guide: links to its packages when the build put them beside the site.
import { site, el } from '../site.js';

const { t } = await site;
const out = document.getElementById('zip-links');
const found = [];
for (const [file, name] of [['downloads/qlabel-chromium.zip', 'Chromium'], ['downloads/qlabel-firefox.zip', 'Firefox']]) {
  try {
    const r = await fetch(file, { method: 'HEAD' });
    if (r.ok) found.push(el('a', { href: file, download: '' }, t('extension.download', { browser: name })));
  } catch {
    /* not there */
  }
}
if (found.length) {
  out.append(...found.flatMap((a, i) => (i ? [' · ', a] : [a])));
} else {
  out.textContent = t('extension.nozip');
}
