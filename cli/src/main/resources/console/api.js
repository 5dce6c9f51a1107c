// The HTTP API as the console uses it: the same public routes as every other client.

const KEY = 'loralab.console.apiKey';
const USER = 'loralab.console.userId';

/** The signed-in session (API key and user ID), kept in sessionStorage only. */
export const session = {
  get apiKey() {
    return sessionStorage.getItem(KEY) || '';
  },
  get userId() {
    return sessionStorage.getItem(USER) || '';
  },
  signIn(apiKey, userId) {
    sessionStorage.setItem(KEY, apiKey);
    sessionStorage.setItem(USER, userId);
  },
  signOut() {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(USER);
  },
};

/** An API error with the HTTP status and the server's message. */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** Encodes one path segment. */
export const seg = (s) => encodeURIComponent(s);

/** Calls the API with the session's key; resolves to the parsed JSON body. */
export async function api(method, path, body, apiKey = session.apiKey) {
  const headers = { Accept: 'application/json', Authorization: `Bearer ${apiKey}` };
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, `network error: ${e.message || e}`);
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : {};
  } catch (e) {
    json = null;
  }
  if (!res.ok) {
    const msg = (json && (json.message || (json.error && json.error.message))) || text || res.statusText;
    throw new ApiError(res.status, `${method} ${path}: HTTP ${res.status}: ${msg}`, json);
  }
  return json;
}

/** Identifier objects for the events API. */
export const ids = {
  application: (appId) => ({ application_ids: { application_id: appId } }),
  gateway: (gtwId) => ({ gateway_ids: { gateway_id: gtwId } }),
  device: (appId, devId) => ({ device_ids: { device_id: devId, application_ids: { application_id: appId } } }),
};
