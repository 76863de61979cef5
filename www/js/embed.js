// The embedding guide: a live <qlabel-seal> and <qlabel-badge> when this is the demo,
// each with its snippet shown as text.
import { site, el } from '../site.js';

const { lang, t, config } = await site;
if (config.demo && (config.demoHolder || config.demoBadge)) {
  await import('../widget/qlabel-widget.js');
  const box = document.getElementById('live-examples');
  const attrs = (o) =>
    Object.entries(o)
      .filter(([, v]) => v)
      .map(([k, v]) => ` ${k}="${String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`)
      .join('');
  const common = { trust: config.trust, registry: config.registry, lang };
  const examples = [];
  if (config.demoHolder) examples.push(['qlabel-seal', { holder: config.demoHolder, ...common }, 'embed.live.seal']);
  if (config.demoBadge) examples.push(['qlabel-badge', { src: config.demoBadge, ...common }, 'embed.live.badge']);
  for (const [tag, a, key] of examples) {
    const live = el(tag, {});
    for (const [k, v] of Object.entries(a)) if (v) live.setAttribute(k, v);
    // The snippet as a page would write it: the live element's language is this page's.
    const { lang: _, ...shown } = a;
    const snippet = `<script type="module" src="${new URL('widget/qlabel-widget.js', location.href).href}"></script>\n<${tag}${attrs(shown)}></${tag}>`;
    box.append(el('div', { class: 'example' }, el('h3', {}, t(key)), live, el('div', { class: 'code-wrap', role: 'region', 'aria-label': t('embed.live.snippet'), tabindex: '0' }, el('pre', {}, el('code', {}, snippet)))));
  }
  document.getElementById('live').hidden = false;
}
