// LoRaLab console: sign-in, live events and entity pages over the public HTTP API.
import { api, ApiError, ids, seg, session } from './api.js';
import { EventStream } from './stream.js';
import { compileNameFilter, unmatchedPatterns } from './names.js';
import { entityKind, eventEntities, summarize } from './summary.js';
import { SseParser } from './sse.js';

/** Rows kept in the live table; older ones are dropped. */
const MAX_ROWS = 2000;
/** History replayed when a stream opens. */
const TAIL = 50;
/** Built-in frequency plans (the API has no listing of them yet). */
const FREQUENCY_PLANS = ['EU_863_870_TTN', 'EU_863_870', 'US_902_928_FSB_2', 'US_902_928_FSB_1', 'AU_915_928_FSB_2',
  'AS_923', 'AS_923_2', 'AS_923_3', 'AS_923_4', 'IN_865_867', 'KR_920_923'];
const RIGHTS = {
  users: ['RIGHT_ALL', 'RIGHT_USER_ALL', 'RIGHT_APPLICATION_ALL', 'RIGHT_GATEWAY_ALL', 'RIGHT_USER_INFO',
    'RIGHT_USER_APPLICATIONS_LIST', 'RIGHT_USER_APPLICATIONS_CREATE', 'RIGHT_USER_GATEWAYS_LIST',
    'RIGHT_USER_GATEWAYS_CREATE', 'RIGHT_USER_SETTINGS_API_KEYS', 'RIGHT_APPLICATION_TRAFFIC_READ',
    'RIGHT_GATEWAY_TRAFFIC_READ'],
  applications: ['RIGHT_APPLICATION_ALL', 'RIGHT_APPLICATION_INFO', 'RIGHT_APPLICATION_SETTINGS_BASIC',
    'RIGHT_APPLICATION_SETTINGS_API_KEYS', 'RIGHT_APPLICATION_DEVICES_READ', 'RIGHT_APPLICATION_DEVICES_WRITE',
    'RIGHT_APPLICATION_DEVICES_READ_KEYS', 'RIGHT_APPLICATION_DEVICES_WRITE_KEYS', 'RIGHT_APPLICATION_TRAFFIC_READ',
    'RIGHT_APPLICATION_TRAFFIC_UP_WRITE', 'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE', 'RIGHT_APPLICATION_LINK',
    'RIGHT_APPLICATION_DELETE'],
  gateways: ['RIGHT_GATEWAY_ALL', 'RIGHT_GATEWAY_INFO', 'RIGHT_GATEWAY_SETTINGS_BASIC',
    'RIGHT_GATEWAY_SETTINGS_API_KEYS', 'RIGHT_GATEWAY_LINK', 'RIGHT_GATEWAY_STATUS_READ', 'RIGHT_GATEWAY_TRAFFIC_READ',
    'RIGHT_GATEWAY_TRAFFIC_DOWN_WRITE', 'RIGHT_GATEWAY_LOCATION_READ', 'RIGHT_GATEWAY_DELETE'],
};

const $ = (id) => document.getElementById(id);

/** Creates an element; children are nodes or strings (as text, never HTML). */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k === 'class') {
      e.className = v;
    } else if (k.startsWith('on')) {
      e.addEventListener(k.slice(2), v);
    } else {
      e.setAttribute(k, v === true ? '' : v);
    }
  }
  for (const c of children) {
    if (c !== null && c !== undefined) {
      e.append(c instanceof Node ? c : String(c));
    }
  }
  return e;
}

function showError(p, message) {
  p.textContent = message || '';
  p.hidden = !message;
}

let noticeTimer = null;
function notice(message, isError = false) {
  const n = $('notice');
  n.textContent = message;
  n.classList.toggle('error', isError);
  n.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { n.hidden = true; }, isError ? 10000 : 5000);
}

function formError(form) {
  return form.querySelector('p.error');
}

function hexBytes(n) {
  const b = new Uint8Array(n);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
}

/** A sort key: RFC 3339 UTC time with nanoseconds (fraction padded to 9 digits), then the unique ID. */
function timeKey(ev) {
  const t = String(ev.time || '');
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(t);
  const norm = m ? `${m[1]}.${(m[2] || '').padEnd(9, '0')}Z` : t;
  return `${norm} ${ev.unique_id || ''}`;
}

function fmtTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return iso || '';
  }
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

// ---- entity lists (cached per page visit) -----------------------------------------------------

async function listApplications() {
  const r = await api('GET', '/api/v3/applications?field_mask=name,description');
  return (r.applications || []).map((a) => ({ id: a.ids.application_id, name: a.name || '', created: a.created_at || '' }));
}

async function listGateways() {
  const r = await api('GET', '/api/v3/gateways?field_mask=name,frequency_plan_id');
  return (r.gateways || []).map((g) => ({
    id: g.ids.gateway_id, eui: g.ids.eui || '', name: g.name || '', plan: g.frequency_plan_id || '',
  }));
}

async function listDevices(appId) {
  const r = await api('GET', `/api/v3/applications/${seg(appId)}/devices?field_mask=name`);
  return (r.end_devices || []).map((d) => ({
    id: d.ids.device_id, devEui: d.ids.dev_eui || '', joinEui: d.ids.join_eui || '', devAddr: d.ids.dev_addr || '',
  }));
}

function fillSelect(select, values, { empty } = {}) {
  const keep = select.value;
  select.replaceChildren();
  if (empty) {
    select.append(el('option', { value: '' }, empty));
  }
  for (const v of values) {
    select.append(el('option', { value: v }, v));
  }
  if (values.includes(keep)) {
    select.value = keep;
  }
}

// ---- router ----------------------------------------------------------------------------------

const VIEWS = ['sign-in', 'events', 'applications', 'gateways', 'devices', 'api-keys', 'downlink'];
const loaders = {};

function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [name, query] = hash.split('?');
  let view = VIEWS.includes(name) ? name : 'events';
  if (!session.apiKey) {
    view = 'sign-in';
  } else if (view === 'sign-in') {
    view = 'events';
  }
  for (const v of VIEWS) {
    $(`view-${v}`).hidden = v !== view;
  }
  const signedIn = !!session.apiKey;
  $('nav').hidden = !signedIn;
  $('who').hidden = !signedIn;
  $('who-user').textContent = signedIn ? `signed in as ${session.userId}` : '';
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.view === view);
    if (a.dataset.view === view) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
  document.body.dataset.view = view;
  if (loaders[view]) {
    loaders[view](new URLSearchParams(query || ''));
  }
}

// ---- sign in ---------------------------------------------------------------------------------

function initSignIn() {
  $('sign-in-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const key = $('api-key').value.trim();
    const user = $('user-id').value.trim() || 'admin';
    const err = $('sign-in-error');
    showError(err, '');
    try {
      await api('GET', '/api/v3/applications?limit=1', undefined, key);
    } catch (ex) {
      showError(err, ex.status === 401 ? 'This API key is not valid.' : ex.message);
      return;
    }
    session.signIn(key, user);
    $('api-key').value = '';
    location.hash = '#/events';
    route();
  });
  $('sign-out').addEventListener('click', () => {
    events.stopStream();
    session.signOut();
    location.hash = '#/sign-in';
    route();
  });
}

// ---- live events -----------------------------------------------------------------------------

const events = {
  stream: null,
  rows: [], // newest first: {event, tr, haystack}
  paused: false,
  pending: [],
  selected: null,
  nameFilter: compileNameFilter(''),
  text: '',
  definedNames: [],
  loadedLists: false,
  pickerGen: 0,
  missed: 0,

  init() {
    $('watch').addEventListener('click', () => this.watchSelected());
    $('refresh-entities').addEventListener('click', () => this.loadPicker());
    $('pick-device-app').addEventListener('change', () => this.loadDevices());
    $('pause').addEventListener('click', () => this.togglePause());
    $('clear').addEventListener('click', () => this.clear());
    $('name-filter').addEventListener('input', () => this.setNameFilter($('name-filter').value));
    $('text-filter').addEventListener('input', () => {
      this.text = $('text-filter').value.trim().toLowerCase();
      this.applyFilters();
    });
    $('lag-dismiss').addEventListener('click', () => { $('lag-banner').hidden = true; });
    $('details-close').addEventListener('click', () => this.select(null));
    $('related').addEventListener('click', () => this.showRelated());
    $('copy-json').addEventListener('click', () => {
      if (navigator.clipboard) {
        navigator.clipboard.writeText($('event-json').textContent).catch(() => {});
      }
    });
    $('events-body').addEventListener('click', (e) => {
      const tr = e.target.closest('tr');
      if (tr) {
        this.select(this.rows.find((r) => r.tr === tr) || null);
      }
    });
    $('events-body').addEventListener('keydown', (e) => {
      if ((e.key === 'Enter' || e.key === ' ') && e.target.tagName === 'TR') {
        e.preventDefault();
        this.select(this.rows.find((r) => r.tr === e.target) || null);
      }
    });
  },

  async load(params) {
    if (!this.loadedLists) {
      this.loadedLists = true;
      await this.loadPicker();
      api('GET', '/api/v3/events/definitions').then((r) => {
        this.definedNames = (r.definitions || []).filter((d) => !d.synthetic).map((d) => d.name);
        this.setNameFilter($('name-filter').value);
      }).catch(() => {});
    }
    // deep links: #/events?application=app1&gateway=gw1&device=app1/dev1
    const wanted = [];
    for (const a of params.getAll('application')) {
      wanted.push(ids.application(a));
    }
    for (const g of params.getAll('gateway')) {
      wanted.push(ids.gateway(g));
    }
    for (const d of params.getAll('device')) {
      const [a, dev] = d.split('/');
      if (a && dev) {
        wanted.push(ids.device(a, dev));
      }
    }
    if (wanted.length > 0) {
      this.watch(wanted);
    }
  },

  async loadPicker() {
    // the latest load wins; data-loading tells tests and screen readers when the lists are final
    const gen = ++this.pickerGen;
    const picker = $('picker');
    picker.dataset.loading = 'true';
    picker.setAttribute('aria-busy', 'true');
    const err = $('picker-error');
    showError(err, '');
    try {
      const [apps, gtws] = await Promise.all([listApplications(), listGateways()]);
      if (gen !== this.pickerGen) {
        return;
      }
      this.fillPickList($('pick-applications'), apps.map((a) => ({ key: a.id, label: a.name ? `${a.id} (${a.name})` : a.id,
        ids: ids.application(a.id), testid: `pick-application-${a.id}` })), 'No applications');
      this.fillPickList($('pick-gateways'), gtws.map((g) => ({ key: g.id, label: g.id,
        ids: ids.gateway(g.id), testid: `pick-gateway-${g.id}` })), 'No gateways');
      fillSelect($('pick-device-app'), apps.map((a) => a.id), { empty: '— choose —' });
      await this.loadDevices(gen);
    } catch (ex) {
      showError(err, ex.message);
    } finally {
      if (gen === this.pickerGen) {
        picker.dataset.loading = 'false';
        picker.removeAttribute('aria-busy');
      }
    }
  },

  async loadDevices(gen = ++this.pickerGen) {
    const app = $('pick-device-app').value;
    if (!app) {
      this.fillPickList($('pick-devices'), [], 'Choose an application');
      return;
    }
    try {
      const devs = await listDevices(app);
      if (gen !== this.pickerGen) {
        return;
      }
      this.fillPickList($('pick-devices'), devs.map((d) => ({ key: `${app}/${d.id}`, label: d.id,
        ids: ids.device(app, d.id), testid: `pick-device-${app}-${d.id}` })), 'No end devices');
    } catch (ex) {
      showError($('picker-error'), ex.message);
    }
  },

  fillPickList(ul, items, emptyText) {
    const checked = new Set(Array.from(ul.querySelectorAll('input:checked'), (i) => i.value));
    ul.replaceChildren();
    if (items.length === 0) {
      ul.append(el('li', { class: 'none' }, emptyText));
    }
    for (const it of items) {
      const input = el('input', { type: 'checkbox', value: it.key, 'data-testid': it.testid, id: it.testid });
      input.checked = checked.has(it.key);
      input.idsJson = JSON.stringify(it.ids);
      ul.append(el('li', {}, el('label', { for: it.testid }, input, it.label)));
    }
  },

  watchSelected() {
    const chosen = Array.from(document.querySelectorAll('.pick-list input:checked'), (i) => JSON.parse(i.idsJson));
    if (chosen.length === 0) {
      showError($('picker-error'), 'Select at least one application, gateway or end device.');
      return;
    }
    showError($('picker-error'), '');
    this.watch(chosen);
  },

  watch(identifiers) {
    this.stopStream();
    this.clear();
    $('lag-banner').hidden = true;
    $('stream-error').hidden = true;
    $('watching').textContent = `Watching ${identifiers.map((i) => eventEntities({ identifiers: [i] })).join(', ')}`;
    this.stream = new EventStream({ apiKey: session.apiKey, identifiers, tail: TAIL }, {
      onEvent: (ev) => this.receive(ev),
      onLag: (missed) => {
        // cumulative until dismissed
        this.missed = ($('lag-banner').hidden ? 0 : this.missed) + missed;
        const n = this.missed;
        $('lag-text').textContent = `The server reported ${n} missed event${n === 1 ? '' : 's'}: this console fell behind the stream.`;
        $('lag-banner').hidden = false;
      },
      onStatus: (s) => this.status(s),
      onFatal: (message) => {
        const b = $('stream-error');
        b.textContent = `The event stream was refused: ${message}`;
        b.hidden = false;
      },
    });
    this.stream.start();
  },

  stopStream() {
    if (this.stream) {
      this.stream.stop();
      this.stream = null;
    }
  },

  status(s) {
    const st = $('stream-status');
    let text;
    switch (s.state) {
      case 'connecting': text = 'Connecting…'; break;
      case 'reconnecting': text = `Reconnecting (attempt ${s.attempt})…`; break;
      case 'live': text = this.paused ? 'Live (paused)' : 'Live'; break;
      case 'waiting': text = `Disconnected (${s.message}); retrying in ${(s.delayMs / 1000).toFixed(1)} s`; break;
      case 'failed': text = 'Stream refused'; break;
      default: text = 'Not watching';
    }
    st.textContent = text;
    st.dataset.state = s.state;
  },

  receive(ev) {
    if (this.paused) {
      this.pending.push(ev);
      const pc = $('paused-count');
      pc.textContent = `${this.pending.length} new while paused`;
      pc.hidden = false;
      return;
    }
    this.addRow(ev, true);
    this.updateCount();
  },

  addRow(ev, fresh) {
    const summary = summarize(ev);
    const entity = eventEntities(ev);
    const isError = /\.(fail|drop|error)$/.test(ev.name || '') || /ErrorDetails$/.test((ev.data && ev.data['@type']) || '');
    const tr = el('tr', {
      'data-testid': 'event-row', 'data-unique-id': ev.unique_id || '', 'data-name': ev.name || '',
      tabindex: '0', class: `${isError ? 'error' : ''}${fresh ? ' fresh' : ''}`.trim() || null,
      'aria-selected': 'false',
    },
    el('td', { title: ev.time || '' }, fmtTime(ev.time)),
    el('td', { class: `entity ${entityKind((ev.identifiers || [])[0])}` }, entity),
    el('td', { class: 'name' }, ev.name || ''),
    el('td', { class: 'summary' }, summary));
    const row = { event: ev, tr, haystack: null, summary, entity, key: timeKey(ev) };
    // newest first by event time: servers' events may arrive slightly out of order
    let i = 0;
    while (i < this.rows.length && this.rows[i].key > row.key) {
      i++;
    }
    tr.hidden = !this.matches(row);
    if (i < this.rows.length) {
      this.rows[i].tr.before(tr);
    } else {
      $('events-body').append(tr);
    }
    this.rows.splice(i, 0, row);
    while (this.rows.length > MAX_ROWS) {
      const old = this.rows.pop();
      old.tr.remove();
    }
  },

  matches(row) {
    if (!this.nameFilter.test(row.event.name || '')) {
      return false;
    }
    if (this.text) {
      if (row.haystack === null) {
        row.haystack = `${row.entity}\n${row.summary}\n${JSON.stringify(row.event)}`.toLowerCase();
      }
      return row.haystack.includes(this.text);
    }
    return true;
  },

  applyFilters() {
    for (const r of this.rows) {
      r.tr.hidden = !this.matches(r);
    }
    this.updateCount();
  },

  setNameFilter(input) {
    const f = compileNameFilter(input);
    const err = $('name-filter-error');
    const field = $('name-filter');
    if (!f.ok) {
      field.setAttribute('aria-invalid', 'true');
      showError(err, f.error);
      // keep the previous valid filter
      return;
    }
    field.removeAttribute('aria-invalid');
    const none = unmatchedPatterns(f, this.definedNames);
    showError(err, none.length ? `No defined event matches ${none.join(', ')}` : '');
    this.nameFilter = f;
    this.applyFilters();
  },

  updateCount() {
    const shown = this.rows.filter((r) => !r.tr.hidden).length;
    const n = this.rows.length;
    $('row-count').textContent = shown === n ? `${n} event${n === 1 ? '' : 's'}` : `${shown} of ${n} events shown`;
    $('events-empty').hidden = this.rows.length > 0;
  },

  togglePause() {
    this.paused = !this.paused;
    const b = $('pause');
    b.textContent = this.paused ? 'Resume' : 'Pause';
    b.setAttribute('aria-pressed', String(this.paused));
    if (!this.paused) {
      for (const ev of this.pending) {
        this.addRow(ev, true);
      }
      this.pending = [];
      $('paused-count').hidden = true;
      this.updateCount();
    }
    const st = $('stream-status');
    if (st.dataset.state === 'live') {
      st.textContent = this.paused ? 'Live (paused)' : 'Live';
    }
  },

  clear() {
    this.rows = [];
    this.pending = [];
    $('paused-count').hidden = true;
    $('events-body').replaceChildren();
    this.select(null);
    this.updateCount();
  },

  select(row) {
    if (this.selected) {
      this.selected.tr.setAttribute('aria-selected', 'false');
    }
    this.selected = row;
    const d = $('details');
    $('related-panel').hidden = true;
    if (!row) {
      d.hidden = true;
      return;
    }
    row.tr.setAttribute('aria-selected', 'true');
    d.hidden = false;
    this.showJson(row.event);
  },

  showJson(ev) {
    $('details-name').textContent = `${ev.name} · ${ev.time}`;
    $('event-json').textContent = JSON.stringify(ev, null, 2);
  },

  async showRelated() {
    const row = this.selected;
    if (!row) {
      return;
    }
    const cids = row.event.correlation_ids || [];
    const list = $('related-list');
    list.replaceChildren();
    $('related-panel').hidden = false;
    if (cids.length === 0) {
      list.append(el('li', {}, 'This event has no correlation IDs.'));
      return;
    }
    const byId = new Map();
    try {
      const results = await Promise.all(cids.map((c) => api('GET', `/api/v3/events/related?correlation_id=${encodeURIComponent(c)}`)));
      for (const r of results) {
        for (const ev of r.events || []) {
          byId.set(ev.unique_id || `${ev.name}@${ev.time}`, ev);
        }
      }
    } catch (ex) {
      list.append(el('li', { class: 'error' }, ex.message));
      return;
    }
    const related = Array.from(byId.values()).sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1
      : String(a.unique_id).localeCompare(String(b.unique_id))));
    for (const ev of related) {
      const current = ev.unique_id && ev.unique_id === row.event.unique_id;
      list.append(el('li', { 'data-testid': 'related-item', 'data-name': ev.name, class: current ? 'current' : null },
        el('button', { type: 'button', onclick: () => this.showJson(ev) },
          `${fmtTime(ev.time)} ${ev.name} ${eventEntities(ev)}`)));
    }
    if (related.length === 0) {
      list.append(el('li', {}, 'No related events in the server\'s history.'));
    }
  },
};

// ---- applications ------------------------------------------------------------------------------

async function loadApplications() {
  const tbody = $('apps-table').tBodies[0];
  try {
    const apps = await listApplications();
    tbody.replaceChildren(...apps.map((a) => el('tr', { 'data-testid': 'app-row', 'data-id': a.id },
      el('td', { class: 'mono' }, a.id), el('td', {}, a.name), el('td', {}, a.created ? new Date(a.created).toLocaleString() : ''),
      el('td', {}, el('a', { href: `#/events?application=${encodeURIComponent(a.id)}` }, 'Live events'), ' ',
        el('a', { href: `#/devices?application=${encodeURIComponent(a.id)}` }, 'End devices')))));
  } catch (ex) {
    notice(ex.message, true);
  }
}

function initApplications() {
  const form = $('app-form');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError(formError(form), '');
    const id = $('app-id').value.trim();
    const application = { ids: { application_id: id } };
    if ($('app-name').value.trim()) {
      application.name = $('app-name').value.trim();
    }
    if ($('app-description').value.trim()) {
      application.description = $('app-description').value.trim();
    }
    try {
      await api('POST', `/api/v3/users/${seg(session.userId)}/applications`, { application });
      form.reset();
      notice(`Application ${id} created.`);
      events.loadedLists = false;
      loadApplications();
    } catch (ex) {
      showError(formError(form), ex.message);
    }
  });
}

// ---- gateways ----------------------------------------------------------------------------------

async function loadGateways() {
  const tbody = $('gtws-table').tBodies[0];
  try {
    const gtws = await listGateways();
    tbody.replaceChildren(...gtws.map((g) => el('tr', { 'data-testid': 'gtw-row', 'data-id': g.id },
      el('td', { class: 'mono' }, g.id), el('td', { class: 'mono' }, g.eui), el('td', {}, g.plan),
      el('td', {}, el('button', { type: 'button', class: 'secondary', 'data-testid': `gtw-status-${g.id}`,
        onclick: () => showGatewayStatus(g) }, 'Status')),
      el('td', {}, el('a', { href: `#/events?gateway=${encodeURIComponent(g.id)}` }, 'Live events')))));
  } catch (ex) {
    notice(ex.message, true);
  }
}

// Reads a stream's replayed history: frames until quietMs pass without one, then aborts.
async function readHistory(identifiers, tail, quietMs = 1200) {
  const controller = new AbortController();
  const out = [];
  let timer = null;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), quietMs);
  };
  try {
    const res = await fetch('/api/v3/events', {
      method: 'POST', signal: controller.signal, cache: 'no-store',
      headers: { Authorization: `Bearer ${session.apiKey}`, Accept: 'text/event-stream', 'Content-Type': 'application/json' },
      body: JSON.stringify({ identifiers, tail }),
    });
    if (!res.ok) {
      throw new ApiError(res.status, `events: HTTP ${res.status}`);
    }
    const parser = new SseParser((m) => {
      try {
        const f = JSON.parse(m.data);
        if (f.result && !f.result.name.startsWith('events.stream.')) {
          out.push(f.result);
        }
      } catch (e) {
        // ignore a malformed frame
      }
    });
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    arm();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      parser.push(dec.decode(value, { stream: true }));
      arm();
    }
  } catch (e) {
    if (!controller.signal.aborted) {
      throw e;
    }
  } finally {
    clearTimeout(timer);
  }
  return out;
}

async function showGatewayStatus(g) {
  const box = $('gtw-status');
  const dl = $('gtw-status-list');
  const note = $('gtw-status-note');
  box.hidden = false;
  $('gtw-status-title').textContent = `Connection status of ${g.id}`;
  dl.replaceChildren();
  note.textContent = 'Loading…';
  const add = (k, v) => dl.append(el('dt', {}, k), el('dd', { 'data-testid': `gtw-status-${k.toLowerCase().replace(/\W+/g, '-')}` }, v));
  try {
    const stats = await api('GET', `/api/v3/gs/gateways/${seg(g.id)}/connection/stats`);
    box.dataset.source = 'stats';
    add('Connected', 'yes');
    for (const [k, v] of Object.entries(stats)) {
      add(k.replace(/_/g, ' '), typeof v === 'object' ? JSON.stringify(v) : String(v));
    }
    note.textContent = 'From the gateway server\'s connection statistics.';
    return;
  } catch (ex) {
    if (ex.status !== 404 && ex.status !== 501 && ex.status !== 405) {
      if (ex.status === 0) {
        note.textContent = ex.message;
        return;
      }
      // e.g. NOT_FOUND "not connected" would also be a 404; other errors are shown
      note.textContent = ex.message;
      return;
    }
  }
  // No statistics route (or not connected): derive the status from the gateway's recent events.
  box.dataset.source = 'events';
  try {
    const evs = await readHistory([ids.gateway(g.id)], 200);
    const last = (pred) => evs.filter(pred).pop();
    const conn = last((e) => e.name === 'gs.gateway.connect' || e.name === 'gs.gateway.disconnect');
    const up = last((e) => e.name === 'gs.up.receive');
    const status = last((e) => e.name === 'gs.status.receive');
    const down = last((e) => e.name === 'gs.down.send');
    add('Connected', conn ? (conn.name === 'gs.gateway.connect' ? `yes, since ${conn.time}` : `no, disconnected at ${conn.time}`)
      : 'unknown (no connect event in history)');
    add('Last uplink', up ? up.time : '—');
    add('Last status', status ? status.time : '—');
    add('Last downlink', down ? down.time : '—');
    add('Uplinks in history', String(evs.filter((e) => e.name === 'gs.up.receive').length));
    note.textContent = 'Derived from the gateway\'s recent events (the gateway server offers no connection statistics route).';
  } catch (ex) {
    note.textContent = ex.message;
  }
}

function initGateways() {
  const form = $('gtw-form');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError(formError(form), '');
    const id = $('gtw-id').value.trim();
    const gateway = {
      ids: { gateway_id: id, eui: $('gtw-eui').value.trim().toUpperCase() },
      frequency_plan_id: $('gtw-plan').value,
    };
    if ($('gtw-name').value.trim()) {
      gateway.name = $('gtw-name').value.trim();
    }
    try {
      await api('POST', `/api/v3/users/${seg(session.userId)}/gateways`, { gateway });
      form.reset();
      notice(`Gateway ${id} created.`);
      events.loadedLists = false;
      loadGateways();
    } catch (ex) {
      showError(formError(form), ex.message);
    }
  });
}

// ---- end devices -------------------------------------------------------------------------------

async function fillApplicationSelect(select, preferred) {
  const apps = await listApplications();
  fillSelect(select, apps.map((a) => a.id));
  if (preferred && apps.some((a) => a.id === preferred)) {
    select.value = preferred;
  }
}

async function loadDevicesView(params) {
  try {
    await fillApplicationSelect($('dev-app'), params && params.get('application'));
    await loadDeviceTable();
  } catch (ex) {
    notice(ex.message, true);
  }
}

async function loadDeviceTable() {
  const app = $('dev-app').value;
  const tbody = $('devs-table').tBodies[0];
  if (!app) {
    tbody.replaceChildren();
    return;
  }
  const devs = await listDevices(app);
  tbody.replaceChildren(...devs.map((d) => el('tr', { 'data-testid': 'dev-row', 'data-id': d.id },
    el('td', { class: 'mono' }, d.id), el('td', { class: 'mono' }, d.devEui), el('td', { class: 'mono' }, d.joinEui),
    el('td', { class: 'mono' }, d.devAddr),
    el('td', {}, el('a', { href: `#/events?device=${encodeURIComponent(`${app}/${d.id}`)}` }, 'Live events')))));
}

function updateDeviceForm() {
  const abp = $('dev-activation').value === 'abp';
  const v11 = $('dev-version').value === 'MAC_V1_1';
  for (const n of document.querySelectorAll('#dev-form .otaa, #dev-form .abp')) {
    const on = (n.classList.contains('abp') ? abp : !abp) && (!n.classList.contains('v11') || v11);
    n.hidden = !on;
    for (const i of n.tagName === 'INPUT' ? [n] : n.querySelectorAll('input')) {
      i.disabled = !on;
    }
  }
  const required = abp ? ['dev-addr', 'dev-app-s-key', 'dev-nwk-s-key'].concat(v11 ? ['dev-s-nwk-s-int-key', 'dev-nwk-s-enc-key'] : [])
    : ['dev-eui', 'dev-join-eui', 'dev-app-key'].concat(v11 ? ['dev-nwk-key'] : []);
  for (const i of $('dev-form').querySelectorAll('input')) {
    i.required = i.id === 'dev-id' || required.includes(i.id);
  }
}

function initDevices() {
  const form = $('dev-form');
  $('dev-app').addEventListener('change', () => loadDeviceTable().catch((ex) => notice(ex.message, true)));
  $('dev-activation').addEventListener('change', updateDeviceForm);
  $('dev-version').addEventListener('change', updateDeviceForm);
  for (const b of form.querySelectorAll('button.gen')) {
    b.addEventListener('click', () => { $(b.dataset.for).value = hexBytes(Number(b.dataset.len)); });
  }
  updateDeviceForm();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError(formError(form), '');
    const app = $('dev-app').value;
    if (!app) {
      showError(formError(form), 'Choose an application first.');
      return;
    }
    const v = (id) => $(id).value.trim().toUpperCase();
    const abp = $('dev-activation').value === 'abp';
    const version = $('dev-version').value;
    const v11 = version === 'MAC_V1_1';
    const devId = $('dev-id').value.trim();
    const d = {
      ids: { device_id: devId, application_ids: { application_id: app } },
      lorawan_version: version,
      frequency_plan_id: $('dev-plan').value,
      supports_join: !abp,
    };
    if (v('dev-eui')) {
      d.ids.dev_eui = v('dev-eui');
    }
    if (abp) {
      d.ids.dev_addr = v('dev-addr');
      const keys = { app_s_key: { key: v('dev-app-s-key') }, f_nwk_s_int_key: { key: v('dev-nwk-s-key') } };
      if (v11) {
        keys.s_nwk_s_int_key = { key: v('dev-s-nwk-s-int-key') };
        keys.nwk_s_enc_key = { key: v('dev-nwk-s-enc-key') };
      }
      d.session = { dev_addr: v('dev-addr'), keys };
    } else {
      d.ids.join_eui = v('dev-join-eui');
      d.root_keys = { app_key: { key: v('dev-app-key') } };
      if (v11) {
        d.root_keys.nwk_key = { key: v('dev-nwk-key') };
      }
    }
    try {
      await api('POST', `/api/v3/applications/${seg(app)}/devices`, { end_device: d });
      // keys are not kept in the form once registered
      for (const id of ['dev-id', 'dev-eui', 'dev-app-key', 'dev-nwk-key', 'dev-addr', 'dev-app-s-key', 'dev-nwk-s-key',
        'dev-s-nwk-s-int-key', 'dev-nwk-s-enc-key']) {
        $(id).value = '';
      }
      notice(`End device ${app}/${devId} registered.`);
      events.loadedLists = false;
      await loadDeviceTable();
    } catch (ex) {
      showError(formError(form), ex.message);
    }
  });
}

// ---- API keys ----------------------------------------------------------------------------------

function renderRights() {
  const kind = $('key-owner-kind').value;
  $('key-rights').replaceChildren(...RIGHTS[kind].map((r) => el('label', {},
    el('input', { type: 'checkbox', value: r, 'data-testid': `right-${r}` }), r.replace(/^RIGHT_/, ''))));
}

async function loadKeys() {
  const kind = $('key-owner-kind').value;
  const owner = $('key-owner-id').value.trim();
  const tbody = $('keys-table').tBodies[0];
  tbody.replaceChildren();
  if (!owner) {
    return;
  }
  try {
    const r = await api('GET', `/api/v3/${kind}/${seg(owner)}/api-keys`);
    tbody.replaceChildren(...(r.api_keys || []).map((k) => el('tr', { 'data-testid': 'key-row', 'data-id': k.id },
      el('td', { class: 'mono' }, k.id), el('td', {}, k.name || ''),
      el('td', {}, (k.rights || []).map((x) => x.replace(/^RIGHT_/, '')).join(', ')),
      el('td', {}, k.expires_at || 'never'))));
  } catch (ex) {
    notice(ex.message, true);
  }
}

function initApiKeys() {
  $('key-owner-kind').addEventListener('change', () => {
    renderRights();
    if ($('key-owner-kind').value === 'users') {
      $('key-owner-id').value = session.userId;
    }
    loadKeys();
  });
  $('key-list').addEventListener('click', loadKeys);
  renderRights();
  const form = $('key-form');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError(formError(form), '');
    $('key-secret').hidden = true;
    const kind = $('key-owner-kind').value;
    const owner = $('key-owner-id').value.trim();
    const rights = Array.from($('key-rights').querySelectorAll('input:checked'), (i) => i.value);
    if (!owner || rights.length === 0) {
      showError(formError(form), 'Give the owner ID and at least one right.');
      return;
    }
    try {
      const k = await api('POST', `/api/v3/${kind}/${seg(owner)}/api-keys`, { name: $('key-name').value.trim(), rights });
      $('key-secret-value').textContent = k.key || '(the server returned no secret)';
      $('key-secret').hidden = false;
      $('key-name').value = '';
      loadKeys();
    } catch (ex) {
      showError(formError(form), ex.message);
    }
  });
}

// ---- downlink ----------------------------------------------------------------------------------

async function loadDownlink() {
  try {
    await fillApplicationSelect($('down-app'));
    await loadDownlinkDevices();
  } catch (ex) {
    notice(ex.message, true);
  }
}

async function loadDownlinkDevices() {
  const app = $('down-app').value;
  fillSelect($('down-dev'), app ? (await listDevices(app)).map((d) => d.id) : []);
}

function initDownlink() {
  const form = $('down-form');
  $('down-app').addEventListener('change', () => loadDownlinkDevices().catch((ex) => notice(ex.message, true)));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const err = formError(form);
    const ok = form.querySelector('p.ok');
    showError(err, '');
    ok.hidden = true;
    const app = $('down-app').value;
    const dev = $('down-dev').value;
    const hex = $('down-payload').value.trim();
    if (!app || !dev) {
      showError(err, 'Choose an application and an end device.');
      return;
    }
    const bytes = (hex.match(/../g) || []).map((h) => parseInt(h, 16));
    const down = {
      f_port: Number($('down-port').value),
      frm_payload: btoa(String.fromCharCode(...bytes)),
      priority: $('down-priority').value,
    };
    if ($('down-confirmed').checked) {
      down.confirmed = true;
    }
    try {
      await api('POST', `/api/v3/as/applications/${seg(app)}/devices/${seg(dev)}/down/push`, { downlinks: [down] });
      ok.textContent = `Queued on FPort ${down.f_port} for ${app}/${dev}.`;
      ok.hidden = false;
    } catch (ex) {
      showError(err, ex.status === 404 && /no route|not found/i.test(ex.message) && !ex.body?.details
        ? `${ex.message} (is the application server part of this stack?)` : ex.message);
    }
  });
}

// ---- start -------------------------------------------------------------------------------------

function init() {
  for (const s of document.querySelectorAll('.plan-select')) {
    fillSelect(s, FREQUENCY_PLANS);
  }
  initSignIn();
  events.init();
  initApplications();
  initGateways();
  initDevices();
  initApiKeys();
  initDownlink();
  loaders.events = (p) => events.load(p);
  loaders.applications = loadApplications;
  loaders.gateways = loadGateways;
  loaders.devices = loadDevicesView;
  loaders['api-keys'] = () => {
    if (!$('key-owner-id').value) {
      $('key-owner-id').value = session.userId;
    }
    loadKeys();
  };
  loaders.downlink = loadDownlink;
  window.addEventListener('hashchange', route);
  route();
  document.body.dataset.ready = 'true';
}

init();
