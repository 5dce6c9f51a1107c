// Server-Sent Events parsing for fetch() bodies (EventSource cannot POST).
// Follows the WHATWG HTML "event stream interpretation" rules: lines end in CRLF, LF or CR;
// a line starting with ':' is a comment; "field: value" loses one leading space of the value;
// "data" lines are joined with LF; "id" (without NUL) sets the last event ID, which persists
// across events; a blank line dispatches the pending event (none when no data was given).

/** Incremental SSE parser: feed it text chunks, it calls back with complete messages. */
export class SseParser {
  /**
   * @param {(msg: {data: string, event: string, id: string}) => void} onMessage a dispatched event;
   *   id is the last event ID in effect (possibly from an earlier event)
   * @param {{onComment?: (text: string) => void, onId?: (id: string) => void,
   *   onRetry?: (ms: number) => void}} [hooks]
   */
  constructor(onMessage, hooks = {}) {
    this.onMessage = onMessage;
    this.hooks = hooks;
    this.buffer = '';
    this.skipLeadingLf = false;
    this.data = [];
    this.hasData = false;
    this.eventType = '';
    this.lastEventId = '';
    this.firstChunk = true;
  }

  /** Parses a chunk of decoded text; an incomplete last line waits for the next chunk. */
  push(text) {
    let s = text;
    if (this.firstChunk && s.length > 0) {
      this.firstChunk = false;
      if (s.charCodeAt(0) === 0xfeff) {
        s = s.slice(1);
      }
    }
    let buf = this.buffer + s;
    let start = 0;
    for (let i = 0; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (c === 10 && this.skipLeadingLf && i === start) {
        // LF of a CRLF split across lines
        this.skipLeadingLf = false;
        start = i + 1;
        continue;
      }
      this.skipLeadingLf = false;
      if (c === 13 || c === 10) {
        this.line(buf.slice(start, i));
        start = i + 1;
        if (c === 13) {
          if (i + 1 < buf.length) {
            if (buf.charCodeAt(i + 1) === 10) {
              i++;
              start = i + 1;
            }
          } else {
            this.skipLeadingLf = true;
          }
        }
      }
    }
    this.buffer = buf.slice(start);
  }

  /** Ends the stream: an unterminated pending event is discarded, as the specification says. */
  end() {
    this.buffer = '';
    this.data = [];
    this.hasData = false;
    this.eventType = '';
  }

  line(line) {
    if (line.length === 0) {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) {
      if (this.hooks.onComment) {
        this.hooks.onComment(line.slice(1).replace(/^ /, ''));
      }
      return;
    }
    const colon = line.indexOf(':');
    let field;
    let value;
    if (colon < 0) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.slice(colon + 1);
      if (value.charCodeAt(0) === 32) {
        value = value.slice(1);
      }
    }
    switch (field) {
      case 'data':
        this.data.push(value);
        this.hasData = true;
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (value.indexOf('\u0000') < 0) {
          this.lastEventId = value;
          if (this.hooks.onId) {
            this.hooks.onId(value);
          }
        }
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value) && this.hooks.onRetry) {
          this.hooks.onRetry(Number(value));
        }
        break;
      default:
        // unknown fields are ignored
    }
  }

  dispatch() {
    const had = this.hasData;
    const data = this.data.join('\n');
    const type = this.eventType || 'message';
    this.data = [];
    this.hasData = false;
    this.eventType = '';
    if (!had) {
      return;
    }
    this.onMessage({ data, event: type, id: this.lastEventId });
  }
}

/** Parses a complete SSE text into messages (for tests and tools). */
export function parseAll(text) {
  const out = [];
  const p = new SseParser((m) => out.push(m));
  p.push(text);
  p.end();
  return out;
}
