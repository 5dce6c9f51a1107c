// LoRaLab console: routing, sign-in and start-up. Every view talks to the public HTTP API only.
import { api, session } from './api.js';
import { $, showError } from './dom.js';
import { events } from './events-view.js';
import {
  initApiKeys, initApplications, initDevices, initDownlink, initGateways, loadApplications,
  loadDevicesView, loadDownlink, loadFrequencyPlans, loadGateways, loadKeys,
} from './pages.js';

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

/**
 * The user owning `key` (GET /api/v3/auth_info), or '' for an application or gateway key.
 * Resolves to null if the server has no auth_info route; rejects with the ApiError otherwise.
 */
async function keyOwnerUser(key) {
  try {
    const info = await api('GET', '/api/v3/auth_info', undefined, key);
    const owner = (info.api_key && info.api_key.entity_ids) || {};
    return (owner.user_ids && owner.user_ids.user_id) || '';
  } catch (ex) {
    if (ex.status === 404) {
      return null;
    }
    throw ex;
  }
}

function initSignIn() {
  // Prefill the user ID from the key as soon as it is entered; the input stays as a fallback.
  $('api-key').addEventListener('change', async () => {
    const key = $('api-key').value.trim();
    if (!key) {
      return;
    }
    try {
      const owner = await keyOwnerUser(key);
      // never overwrite what the user is typing
      if (owner && $('api-key').value.trim() === key && document.activeElement !== $('user-id')) {
        $('user-id').value = owner;
      }
    } catch (ex) {
      // reported on submit
    }
  });
  $('sign-in-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const key = $('api-key').value.trim();
    let user = $('user-id').value.trim() || 'admin';
    const err = $('sign-in-error');
    showError(err, '');
    try {
      const owner = await keyOwnerUser(key);
      if (owner === null) {
        await api('GET', '/api/v3/applications?limit=1', undefined, key);
      } else if (owner) {
        user = owner;
        $('user-id').value = owner;
      }
    } catch (ex) {
      showError(err, ex.status === 401 ? 'This API key is not valid.' : ex.message);
      return;
    }
    session.signIn(key, user);
    $('api-key').value = '';
    await loadFrequencyPlans(key);
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

// ---- start -------------------------------------------------------------------------------------

async function init() {
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
  if (session.apiKey) {
    await loadFrequencyPlans();
  }
  window.addEventListener('hashchange', route);
  route();
  document.body.dataset.ready = 'true';
}

init();
