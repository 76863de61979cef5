// Home: the demo's issuer site and profile page, when this is the demo.
import { site } from '../site.js';

const { config } = await site;
if (config.demo && (config.issuerSite || config.profile)) {
  const box = document.getElementById('demo-links');
  const issuer = document.getElementById('demo-issuer');
  const profile = document.getElementById('demo-profile');
  if (config.issuerSite) issuer.href = config.issuerSite;
  else issuer.parentElement.remove();
  if (config.profile) profile.href = config.profile;
  else profile.parentElement.remove();
  box.hidden = false;
}
