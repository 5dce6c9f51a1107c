// One-line descriptions of events for the live table.

/** "app1", "app1/dev2", "gw2", "user admin", ... for an identifier object. */
export function entityLabel(ids) {
  if (!ids || typeof ids !== 'object') {
    return '';
  }
  if (ids.device_ids) {
    const d = ids.device_ids;
    return `${(d.application_ids && d.application_ids.application_id) || '?'}/${d.device_id || '?'}`;
  }
  if (ids.application_ids) {
    return ids.application_ids.application_id || '?';
  }
  if (ids.gateway_ids) {
    return ids.gateway_ids.gateway_id || ids.gateway_ids.eui || '?';
  }
  if (ids.user_ids) {
    return `user ${ids.user_ids.user_id}`;
  }
  if (ids.organization_ids) {
    return `org ${ids.organization_ids.organization_id}`;
  }
  if (ids.client_ids) {
    return `client ${ids.client_ids.client_id}`;
  }
  return Object.keys(ids)[0] || '';
}

/** The kind of the first identifier: device, application, gateway, user, ... */
export function entityKind(ids) {
  if (!ids) {
    return '';
  }
  for (const k of ['device_ids', 'application_ids', 'gateway_ids', 'user_ids', 'organization_ids', 'client_ids']) {
    if (ids[k]) {
      return k.replace('_ids', '');
    }
  }
  return '';
}

/** The entity labels of an event, joined. */
export function eventEntities(event) {
  return (event.identifiers || []).map(entityLabel).filter((s) => s).join(', ');
}

const WANTED = ['f_cnt', 'f_port', 'dev_addr', 'dev_eui', 'rssi', 'channel_rssi', 'snr', 'spreading_factor',
  'bandwidth', 'frequency', 'confirmed', 'session_key_id'];
const NODE_BUDGET = 400;

// Breadth-first: the shallowest occurrence of each wanted key (so message.f_cnt wins over deeper ones).
function collect(data) {
  const found = {};
  const queue = [data];
  let visited = 0;
  while (queue.length > 0 && visited < NODE_BUDGET) {
    const node = queue.shift();
    visited++;
    if (Array.isArray(node)) {
      for (const v of node.slice(0, 4)) {
        if (v && typeof v === 'object') {
          queue.push(v);
        }
      }
      continue;
    }
    for (const [k, v] of Object.entries(node)) {
      if (v !== null && typeof v === 'object') {
        queue.push(v);
      } else if (WANTED.includes(k) && !(k in found)) {
        found[k] = v;
      }
    }
  }
  return found;
}

function formatFrequency(hz) {
  const n = Number(hz);
  if (!Number.isFinite(n) || n <= 0) {
    return null;
  }
  return `${(n / 1e6).toFixed(n % 100000 === 0 ? 1 : 3)} MHz`;
}

// "{field} is invalid" with attributes substituted.
function errorMessage(data) {
  let msg = data.message_format || data.message || data.name || 'error';
  const attrs = data.attributes || {};
  msg = msg.replace(/\{([a-z_0-9]+)\}/gi, (m, k) => (k in attrs ? String(attrs[k]) : m));
  return msg;
}

/** A short description of the event's data: FCnt, FPort, DevAddr, RSSI/SNR, data rate, frequency, error, ... */
export function summarize(event) {
  const data = event.data;
  if (event.name === 'events.stream.lag') {
    const missed = data && (data.missed ?? (data.value && data.value.missed));
    return `missed ${missed ?? '?'} events`;
  }
  if (!data || typeof data !== 'object') {
    return '';
  }
  const type = String(data['@type'] || '');
  if (type.endsWith('ErrorDetails') || (event.name || '').endsWith('.fail') && (data.message_format || data.name)) {
    return `error: ${errorMessage(data)}`;
  }
  const f = collect(data);
  const parts = [];
  if (f.dev_eui !== undefined) {
    parts.push(`DevEUI ${f.dev_eui}`);
  }
  if (f.dev_addr !== undefined) {
    parts.push(`DevAddr ${f.dev_addr}`);
  }
  if (f.f_cnt !== undefined) {
    parts.push(`FCnt ${f.f_cnt}`);
  }
  if (f.f_port !== undefined) {
    parts.push(`FPort ${f.f_port}`);
  }
  if (f.confirmed === true) {
    parts.push('confirmed');
  }
  const rssi = f.rssi ?? f.channel_rssi;
  if (rssi !== undefined || f.snr !== undefined) {
    parts.push(`RSSI ${rssi ?? '?'} dBm / SNR ${f.snr ?? '?'} dB`);
  }
  if (f.spreading_factor !== undefined) {
    const bw = f.bandwidth !== undefined ? `BW${Math.round(Number(f.bandwidth) / 1000)}` : '';
    parts.push(`SF${f.spreading_factor}${bw}`);
  }
  const freq = f.frequency !== undefined ? formatFrequency(f.frequency) : null;
  if (freq) {
    parts.push(freq);
  }
  if (f.session_key_id !== undefined && parts.length === 0) {
    parts.push(`session ${f.session_key_id}`);
  }
  if (parts.length === 0 && data.value !== undefined && (typeof data.value !== 'object' || data.value === null)) {
    parts.push(String(data.value));
  } else if (parts.length === 0 && type) {
    parts.push(type.replace(/^type\.googleapis\.com\//, '').replace(/^ttn\.lorawan\.v3\./, ''));
  }
  return parts.join(' · ');
}
