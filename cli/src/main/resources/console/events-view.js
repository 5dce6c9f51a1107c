// The live events view: entity picker, table, filters, pause, details and related events.
import { api, ids, session } from './api.js';
import { $, el, fillSelect, fmtTime, showError } from './dom.js';
import { listApplications, listDevices, listGateways } from './entities.js';
import { EventStream } from './stream.js';
import { compileNameFilter, unmatchedPatterns } from './names.js';
import { entityKind, eventEntities, summarize } from './summary.js';

/** Rows kept in the live table; older ones are dropped. */
const MAX_ROWS = 2000;
/** History replayed when a stream opens. */
const TAIL = 50;

/** A sort key: RFC 3339 UTC time with nanoseconds (fraction padded to 9 digits), then the unique ID. */
function timeKey(ev) {
  const t = String(ev.time || '');
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(t);
  const norm = m ? `${m[1]}.${(m[2] || '').padEnd(9, '0')}Z` : t;
  return `${norm} ${ev.unique_id || ''}`;
}

/** The live events view (one per page). */
export const events = {
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
