// What this installation says about itself (the force's guidance, where maps come from),
// asked of the server once per page load.

import { h } from './dom.js';
import { request } from './graphql.js';

let site = null;

/** The installation's settings; asked again after a failure. */
export function loadSite() {
  if (!site) {
    site = request('Site')
      .then((data) => data.site)
      .catch((error) => {
        site = null;
        throw error;
      });
  }
  return site;
}

/** The words on emergencies and crimes, with the force's online report link when it has one. */
export function guidanceNotice(guidance, { id } = {}) {
  return h(
    'div',
    { class: 'notice guidance-notice', id },
    h('p', {}, h('strong', {}, 'Not for emergencies or crimes. '), guidance.emergencyGuidance),
    guidance.crimeReportUrl &&
      h('p', {}, h('a', { href: guidance.crimeReportUrl, rel: 'noopener', target: '_blank' }, 'Report a crime online (opens in a new tab)')),
  );
}
