// Maps, drawn by Leaflet (installed from the npm registry by `make install`, served by the app
// from /vendor/leaflet/) over the tiles the installation names. A map only adds the picture:
// every place it shows is also given in words, and every place it takes can be typed, so a
// page still works when the library or the tiles cannot load (offline, blocked, no maps).

import { h } from './dom.js';
import { problemPath } from './problems.js';

const LIBRARY = '/vendor/leaflet/leaflet.js';
const STYLES = '/vendor/leaflet/leaflet.css';
// Close enough to see the street a pin is on.
const STREET_ZOOM = 16;

let library = null;

function attach(element) {
  return new Promise((resolve, reject) => {
    element.addEventListener('load', resolve, { once: true });
    element.addEventListener('error', reject, { once: true });
    document.head.append(element);
  });
}

/** Leaflet, loaded once; rejects when it is not installed or not reachable. */
function loadLibrary() {
  if (!library) {
    library = Promise.all([
      attach(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: STYLES })),
      attach(Object.assign(document.createElement('script'), { src: LIBRARY })),
    ])
      .then(() => window.L)
      .catch((error) => {
        library = null;
        throw error;
      });
  }
  return library;
}

/** The credit as markup for Leaflet's corner, built as text so no setting becomes markup. */
function attributionMarkup(settings) {
  const credit = settings.attributionUrl
    ? h('a', { href: settings.attributionUrl, rel: 'noopener', target: '_blank' }, settings.attribution)
    : h('span', {}, settings.attribution);
  return credit.outerHTML;
}

/**
 * A Leaflet map in `slot` over the configured tiles, or null when there is no map to draw (none
 * configured, or the library could not load). When tiles fail, `onTilesFailed` runs once.
 */
async function drawMap(slot, settings, { label, onTilesFailed }) {
  if (!settings) return null;
  let L;
  try {
    L = await loadLibrary();
  } catch {
    return null;
  }
  if (!slot.isConnected) return null;
  slot.hidden = false;
  // No animations: a page can go (the proposal sent, the view changed) while one is under way,
  // and Leaflet then trips over the panes it has removed; a still map also suits those who
  // prefer reduced motion.
  const map = L.map(slot, {
    attributionControl: false,
    scrollWheelZoom: false,
    tapHold: false,
    zoomAnimation: false,
    fadeAnimation: false,
    markerZoomAnimation: false,
  });
  L.control.attribution({ prefix: false }).addAttribution(attributionMarkup(settings)).addTo(map);
  const tiles = L.tileLayer(settings.tileUrl, {
    maxZoom: 19,
    // Tile hosts ask to know which site shows their tiles; the page's own policy sends nothing.
    referrerPolicy: 'strict-origin',
  });
  let failed = false;
  tiles.on('tileerror', () => {
    if (!failed) {
      failed = true;
      onTilesFailed?.();
    }
  });
  tiles.addTo(map);
  slot.setAttribute('aria-label', label);
  slot.setAttribute('role', 'region');
  // The map follows its box when the layout changes (a toggle, a rotated phone).
  const resized = new ResizeObserver(() => {
    if (!slot.isConnected) {
      resized.disconnect();
      map.remove();
      return;
    }
    map.invalidateSize();
  });
  resized.observe(slot);
  return { L, map };
}

function note(text) {
  return h('p', { class: 'map-note', role: 'status' }, text);
}

/** The box a map draws into, hidden until it has one, with a line for when tiles fail. */
function mapBox(className) {
  const canvas = h('div', { class: `map ${className}`, hidden: true });
  const status = h('div', {});
  const box = h('div', { class: 'map-box' }, canvas, status);
  const tilesFailed = (words) => () => status.replaceChildren(note(words));
  return { box, canvas, tilesFailed };
}

function pin(L, latitude, longitude, title) {
  // Only a marker: the pin is moved by tapping the map or typing, never by dragging it.
  return L.marker([latitude, longitude], { title, alt: title, interactive: false, keyboard: false });
}

/** A problem's (rounded) place on a small map, beside the place in words. */
export function placeMap(settings, location, title) {
  const { box, canvas, tilesFailed } = mapBox('map-place');
  drawMap(canvas, settings, {
    label: 'Where it is, on a map',
    onTilesFailed: tilesFailed('The map could not be loaded; the location above gives the place.'),
  }).then((drawn) => {
    if (!drawn) return;
    const { L, map } = drawn;
    map.setView([location.latitude, location.longitude], STREET_ZOOM);
    pin(L, location.latitude, location.longitude, `Where “${title}” is`).addTo(map);
  });
  return box;
}

/** The problems that have a place, as pins on a map, each opening a link to its page. */
export function problemsMap(settings, problems) {
  const { box, canvas, tilesFailed } = mapBox('map-board');
  const placed = problems.filter((problem) => problem.location);
  drawMap(canvas, settings, {
    label: 'Problems on the map',
    onTilesFailed: tilesFailed('The map could not be loaded; the list shows every problem.'),
  }).then((drawn) => {
    if (!drawn) return;
    const { L, map } = drawn;
    const points = placed.map((problem) => [problem.location.latitude, problem.location.longitude]);
    for (const problem of placed) {
      const { latitude, longitude } = problem.location;
      const popup = h('a', { href: `#${problemPath(problem.id)}` }, problem.title);
      // Pins near each other overlap, too close to be separate targets for a keyboard or a
      // finger that must hit one: the list (a button away) is their equal, one link a problem.
      L.marker([latitude, longitude], { title: problem.title, alt: problem.title, keyboard: false }).bindPopup(popup).addTo(map);
    }
    // More room above: a pin stands up from its point.
    if (points.length) map.fitBounds(points, { paddingTopLeft: [32, 56], paddingBottomRight: [32, 16], maxZoom: STREET_ZOOM });
    else map.setView([settings.centre.latitude, settings.centre.longitude], settings.zoom);
  });
  return box;
}

/**
 * A map to place a pin on, tied to the latitude and longitude fields: a tap (or click) sets
 * them, typing in them moves the pin. Returns its box, with "Use my location", and an address
 * search when one is configured.
 */
export function pinMap(settings, { latitude, longitude }) {
  const { box, canvas, tilesFailed } = mapBox('map-pin');
  const status = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const located = h('button', { type: 'button', class: 'button button-secondary', hidden: !navigator.geolocation }, 'Use my location');
  const clear = h('button', { type: 'button', class: 'button button-quiet', hidden: true }, 'Remove the pin');
  const tools = h('div', { class: 'map-tools' }, located, clear);
  box.prepend(tools);
  box.append(status);

  let marker = null;
  let drawn = null;
  const read = (field) => Number.parseFloat(field.control.value);

  function show(lat, lng, { centre = false } = {}) {
    clear.hidden = false;
    if (!drawn) return;
    const { L, map } = drawn;
    if (!marker) marker = pin(L, lat, lng, 'The place of the problem').addTo(map);
    marker.setLatLng([lat, lng]);
    if (centre) map.setView([lat, lng], Math.max(map.getZoom(), STREET_ZOOM));
  }

  /** Puts a place into the fields, as if typed, and says so. */
  function place(lat, lng, how) {
    const rounded = (value) => String(Number(value.toFixed(5)));
    latitude.control.value = rounded(lat);
    longitude.control.value = rounded(lng);
    show(lat, lng, { centre: how !== 'tap' });
    status.textContent = `Pin placed ${how === 'tap' ? 'on the map' : how}: latitude ${rounded(lat)}, longitude ${rounded(lng)}.`;
  }

  function unpin() {
    marker?.remove();
    marker = null;
    clear.hidden = true;
  }

  clear.addEventListener('click', () => {
    latitude.control.value = '';
    longitude.control.value = '';
    unpin();
    status.textContent = 'Pin removed; the problem has no place.';
  });

  located.addEventListener('click', () => {
    status.textContent = 'Finding where you are…';
    navigator.geolocation.getCurrentPosition(
      (position) => place(position.coords.latitude, position.coords.longitude, 'where you are'),
      () => {
        status.textContent = '';
        tools.append(note('Your location could not be found. Tap the map or type the place below.'));
      },
      { enableHighAccuracy: true, timeout: 15000 },
    );
  });

  for (const field of [latitude, longitude]) {
    field.control.addEventListener('change', () => {
      const lat = read(latitude);
      const lng = read(longitude);
      if (Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180) show(lat, lng, { centre: true });
      else if (!latitude.control.value.trim() && !longitude.control.value.trim()) unpin();
    });
  }

  if (settings?.geocodingUrl) tools.after(addressSearch(settings.geocodingUrl, (lat, lng, name) => place(lat, lng, `at ${name}`)));

  drawMap(canvas, settings, {
    label: 'Map: tap where the problem is to place the pin',
    onTilesFailed: tilesFailed('The map could not be loaded. Use your location, or type the latitude and longitude below.'),
  }).then((result) => {
    if (!result) return;
    drawn = result;
    drawn.map.setView([settings.centre.latitude, settings.centre.longitude], settings.zoom);
    drawn.map.on('click', (event) => place(event.latlng.lat, event.latlng.lng, 'tap'));
    const lat = read(latitude);
    const lng = read(longitude);
    if (Number.isFinite(lat) && Number.isFinite(lng)) show(lat, lng, { centre: true });
  });
  return box;
}

/** The first place of an answer in Nominatim's shape (a list of {lat, lon, display_name}). */
function firstPlace(answer) {
  const [found] = Array.isArray(answer) ? answer : [];
  const lat = Number.parseFloat(found?.lat);
  const lng = Number.parseFloat(found?.lon);
  return Number.isFinite(lat) && Number.isFinite(lng) ? { lat, lng, name: String(found.display_name ?? 'the address') } : null;
}

/** An address or postcode search, asking the configured service and nothing else. */
function addressSearch(template, onFound) {
  const input = h('input', { type: 'search', id: 'address-search', class: 'input', autocomplete: 'street-address' });
  const result = h('p', { class: 'map-note', role: 'status' });
  const button = h('button', { type: 'button', class: 'button button-secondary' }, 'Find');
  async function find() {
    const words = input.value.trim();
    if (!words) {
      result.textContent = 'Enter an address or a postcode.';
      return;
    }
    result.textContent = 'Searching…';
    let found = null;
    try {
      const response = await fetch(template.replace('{query}', encodeURIComponent(words)), { credentials: 'omit', referrerPolicy: 'strict-origin' });
      found = response.ok ? firstPlace(await response.json()) : null;
    } catch {
      result.textContent = 'The address search could not be reached. Tap the map or type the place below.';
      return;
    }
    if (!found) {
      result.textContent = `Nothing found for “${words}”. Try a postcode, or tap the map.`;
      return;
    }
    result.textContent = `Found ${found.name}.`;
    onFound(found.lat, found.lng, found.name);
  }
  button.addEventListener('click', find);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      // Enter finds the address; it does not send the proposal.
      event.preventDefault();
      find();
    }
  });
  return h(
    'div',
    { class: 'address-search' },
    h('label', { for: input.id }, 'Find an address or postcode'),
    h('div', { class: 'tag-entry' }, input, button),
    result,
  );
}
