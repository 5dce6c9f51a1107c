// DOM helpers shared by the console's views (text only, never HTML).

export const $ = (id) => document.getElementById(id);

/** Creates an element; children are nodes or strings (as text, never HTML). */
export function el(tag, attrs = {}, ...children) {
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

export function showError(p, message) {
  p.textContent = message || '';
  p.hidden = !message;
}

let noticeTimer = null;
export function notice(message, isError = false) {
  const n = $('notice');
  n.textContent = message;
  n.classList.toggle('error', isError);
  n.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { n.hidden = true; }, isError ? 10000 : 5000);
}

export function formError(form) {
  return form.querySelector('p.error');
}

export function hexBytes(n) {
  const b = new Uint8Array(n);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
}

export function fmtTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return iso || '';
  }
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

export function fillSelect(select, values, { empty } = {}) {
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
