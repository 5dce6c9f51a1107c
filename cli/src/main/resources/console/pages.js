// Entity pages: applications, gateways (with connection status), end devices, API keys, downlink.
import { api, ApiError, ids, seg, session } from './api.js';
import { $, el, fillSelect, formError, hexBytes, notice, showError } from './dom.js';
import { listApplications, listDevices, listGateways } from './entities.js';
import { events } from './events-view.js';
import { SseParser } from './sse.js';

/** The plan selected by default when the server offers it (the stack's default plan). */
const DEFAULT_PLAN = 'EU_863_870_TTN';

/**
 * Fills every frequency-plan select from GET /api/v3/configuration/frequency-plans (the plans the
 * stack actually serves). Never rejects: a failure leaves an empty option saying so.
 */
export async function loadFrequencyPlans(apiKey = session.apiKey) {
  let plans = [];
  let failure = '';
  try {
    const res = await api('GET', '/api/v3/configuration/frequency-plans', undefined, apiKey);
    plans = res.frequency_plans || [];
  } catch (ex) {
    failure = ex.message;
  }
  for (const select of document.querySelectorAll('.plan-select')) {
    const keep = select.value;
    select.replaceChildren();
    if (!plans.length) {
      select.append(el('option', { value: '' }, failure ? 'frequency plans unavailable' : 'no frequency plans'));
      select.title = failure;
      continue;
    }
    for (const p of plans) {
      select.append(el('option', { value: p.id, title: p.name || '' }, p.name ? `${p.id} — ${p.name}` : p.id));
    }
    const ids = plans.map((p) => p.id);
    select.value = ids.includes(keep) ? keep : ids.includes(DEFAULT_PLAN) ? DEFAULT_PLAN : ids[0];
  }
}
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

// ---- applications ------------------------------------------------------------------------------

export async function loadApplications() {
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

export function initApplications() {
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

export async function loadGateways() {
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
  let notConnected = false;
  const add = (k, v) => dl.append(el('dt', {}, k), el('dd', { 'data-testid': `gtw-status-${k.toLowerCase().replace(/\W+/g, '-')}` }, v));
  try {
    const stats = await api('GET', `/api/v3/gs/gateways/${seg(g.id)}/connection/stats`);
    box.dataset.source = 'stats';
    add('Connected', stats.connected_at ? `yes, since ${stats.connected_at}` : 'yes');
    for (const [k, v] of Object.entries(stats)) {
      add(k.replace(/_/g, ' '), typeof v === 'object' ? JSON.stringify(v) : String(v));
    }
    note.textContent = 'From the gateway server\'s connection statistics.';
    return;
  } catch (ex) {
    notConnected = ex.status === 404;
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
  // Not connected (404), or a server without the statistics route: derive from recent events.
  box.dataset.source = 'events';
  try {
    const evs = await readHistory([ids.gateway(g.id)], 200);
    const last = (pred) => evs.filter(pred).pop();
    const conn = last((e) => e.name === 'gs.gateway.connect' || e.name === 'gs.gateway.disconnect');
    const up = last((e) => e.name === 'gs.up.receive');
    const status = last((e) => e.name === 'gs.status.receive');
    const down = last((e) => e.name === 'gs.down.send');
    if (notConnected) {
      add('Connected', conn ? `no (last ${conn.name === 'gs.gateway.connect' ? 'connected' : 'disconnected'} at ${conn.time})` : 'no');
    } else {
      add('Connected', conn ? (conn.name === 'gs.gateway.connect' ? `yes, since ${conn.time}` : `no, disconnected at ${conn.time}`)
        : 'unknown (no connect event in history)');
    }
    add('Last uplink', up ? up.time : '—');
    add('Last status', status ? status.time : '—');
    add('Last downlink', down ? down.time : '—');
    add('Uplinks in history', String(evs.filter((e) => e.name === 'gs.up.receive').length));
    note.textContent = notConnected
      ? 'The gateway is not connected to the gateway server; the last activity is from its recent events.'
      : 'Derived from the gateway\'s recent events (the gateway server offers no connection statistics route).';
  } catch (ex) {
    note.textContent = ex.message;
  }
}

export function initGateways() {
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

export async function loadDevicesView(params) {
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

export function initDevices() {
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

export async function loadKeys() {
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

export function initApiKeys() {
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

export async function loadDownlink() {
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

export function initDownlink() {
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
