// Entity lists from the identity server's public routes.
import { api, seg } from './api.js';

export async function listApplications() {
  const r = await api('GET', '/api/v3/applications?field_mask=name,description');
  return (r.applications || []).map((a) => ({ id: a.ids.application_id, name: a.name || '', created: a.created_at || '' }));
}

export async function listGateways() {
  const r = await api('GET', '/api/v3/gateways?field_mask=name,frequency_plan_id');
  return (r.gateways || []).map((g) => ({
    id: g.ids.gateway_id, eui: g.ids.eui || '', name: g.name || '', plan: g.frequency_plan_id || '',
  }));
}

export async function listDevices(appId) {
  const r = await api('GET', `/api/v3/applications/${seg(appId)}/devices?field_mask=name`);
  return (r.end_devices || []).map((d) => ({
    id: d.ids.device_id, devEui: d.ids.dev_eui || '', joinEui: d.ids.join_eui || '', devAddr: d.ids.dev_addr || '',
  }));
}
