// A live event stream over POST /api/v3/events (fetch + SSE), with reconnection.
import { SseParser } from './sse.js';

/** Reconnection delays grow from BACKOFF_MIN_MS by doubling to BACKOFF_MAX_MS, with jitter. */
export const BACKOFF_MIN_MS = 500;
export const BACKOFF_MAX_MS = 8000;
/** A stream silent for this long (no event, no keepalive comment) is considered dead. */
export const STALL_MS = 45000;
/** Unique IDs remembered for de-duplication. */
export const SEEN_LIMIT = 20000;

/**
 * Follows the events of some entities. Events are delivered once each (de-duplicated by
 * unique_id) across reconnections, which resume after the last received ID (Last-Event-ID).
 *
 * Callbacks (all optional): onEvent(event), onStart(event), onLag(missed, event),
 * onStatus({state, attempt, delayMs, message}), onFatal(message).
 */
export class EventStream {
  /**
   * @param {{baseUrl?: string, apiKey: string, identifiers: object[], tail?: number}} options
   * @param {object} callbacks
   */
  constructor(options, callbacks) {
    this.baseUrl = options.baseUrl || '';
    this.apiKey = options.apiKey;
    this.identifiers = options.identifiers;
    this.tail = options.tail ?? 50;
    this.cb = callbacks;
    this.lastEventId = null;
    this.seen = new Set();
    this.seenOrder = [];
    this.attempt = 0;
    this.stopped = false;
    this.controller = null;
    this.timer = null;
    this.stallTimer = null;
    this.duplicates = 0;
  }

  /** Opens the stream (and keeps it open until stop()). */
  start() {
    this.stopped = false;
    this.connect();
  }

  /** Closes the stream for good. */
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.stallTimer);
    if (this.controller) {
      this.controller.abort();
    }
    this.status('stopped');
  }

  status(state, extra = {}) {
    if (this.cb.onStatus) {
      this.cb.onStatus({ state, attempt: this.attempt, ...extra });
    }
  }

  remember(id) {
    this.seen.add(id);
    this.seenOrder.push(id);
    if (this.seenOrder.length > SEEN_LIMIT) {
      this.seen.delete(this.seenOrder.shift());
    }
  }

  armStallTimer() {
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => {
      if (this.controller) {
        this.controller.abort(new Error('stalled'));
      }
    }, STALL_MS);
  }

  async connect() {
    if (this.stopped) {
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    const body = { identifiers: this.identifiers };
    const headers = {
      Authorization: `Bearer ${this.apiKey}`,
      Accept: 'text/event-stream',
      'Content-Type': 'application/json',
    };
    if (this.lastEventId) {
      // resume: the server replays everything after this ID that it still has
      headers['Last-Event-ID'] = this.lastEventId;
    } else if (this.tail > 0) {
      body.tail = this.tail;
    }
    this.status(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let response;
    try {
      response = await fetch(`${this.baseUrl}/api/v3/events`, {
        method: 'POST', headers, body: JSON.stringify(body), signal: controller.signal, cache: 'no-store',
      });
    } catch (e) {
      this.retry(`network error: ${e.message || e}`);
      return;
    }
    if (!response.ok) {
      let message = `HTTP ${response.status}`;
      try {
        const err = await response.json();
        message += `: ${err.message || JSON.stringify(err)}`;
      } catch (e) {
        // not JSON
      }
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
        // a bad request or missing rights: retrying cannot help
        this.stopped = true;
        this.status('failed', { message });
        if (this.cb.onFatal) {
          this.cb.onFatal(message);
        }
        return;
      }
      this.retry(message);
      return;
    }
    let streamError = null;
    const parser = new SseParser((msg) => {
      this.armStallTimer();
      let frame;
      try {
        frame = JSON.parse(msg.data);
      } catch (e) {
        return;
      }
      if (frame.error) {
        streamError = frame.error;
        return;
      }
      const ev = frame.result;
      if (!ev) {
        return;
      }
      if (msg.id) {
        this.lastEventId = msg.id;
      }
      this.deliver(ev);
    }, { onComment: () => this.armStallTimer() });
    const reader = response.body.getReader();
    const decoder = new TextDecoder('utf-8');
    this.armStallTimer();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        parser.push(decoder.decode(value, { stream: true }));
      }
      parser.push(decoder.decode());
      parser.end();
    } catch (e) {
      if (this.stopped) {
        return;
      }
      this.retry(`connection lost: ${e.message || e}`);
      return;
    } finally {
      clearTimeout(this.stallTimer);
    }
    if (this.stopped) {
      return;
    }
    this.retry(streamError ? `server ended the stream: ${streamError.message || JSON.stringify(streamError)}`
      : 'server ended the stream');
  }

  deliver(ev) {
    if (ev.name === 'events.stream.start') {
      this.attempt = 0;
      this.status('live');
      if (this.cb.onStart) {
        this.cb.onStart(ev);
      }
      return;
    }
    if (ev.name === 'events.stream.lag') {
      const d = ev.data || {};
      const missed = d.missed ?? (d.value && d.value.missed);
      if (this.cb.onLag) {
        this.cb.onLag(Number(missed) || 0, ev);
      }
      return;
    }
    const id = ev.unique_id;
    if (id) {
      if (this.seen.has(id)) {
        this.duplicates++;
        return;
      }
      this.remember(id);
    }
    if (this.cb.onEvent) {
      this.cb.onEvent(ev);
    }
  }

  retry(message) {
    if (this.stopped) {
      return;
    }
    this.attempt++;
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (this.attempt - 1));
    const delayMs = Math.round(base * (0.75 + Math.random() * 0.5));
    this.status('waiting', { delayMs, message });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delayMs);
  }
}
