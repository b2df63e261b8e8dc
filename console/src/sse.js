// A small server-sent events parser (the WHATWG "event stream" format), fed with text chunks as they
// arrive from fetch(). EventSource cannot send an Authorization header, so the console reads the
// stream itself.
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.reset();
    this.lastEventId = '';
  }

  reset() {
    this.data = [];
    this.event = '';
    this.id = null;
  }

  push(chunk) {
    this.buffer += chunk;
    let nl;
    // lines end with \n, \r\n or \r; a trailing lone \r may be the first half of \r\n: keep it
    while ((nl = this.buffer.search(/\r\n|\n|\r(?!$)/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      const sepLen = this.buffer.startsWith('\r\n', nl) ? 2 : 1;
      this.buffer = this.buffer.slice(nl + sepLen);
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    // "retry" and unknown fields are ignored
  }

  dispatch() {
    if (this.id !== null) this.lastEventId = this.id;
    if (this.data.length > 0) {
      this.onEvent({ id: this.lastEventId, event: this.event || 'message', data: this.data.join('\n') });
    }
    this.reset();
  }
}
