// Unit test of the console's SSE parser (no browser, no server).
import test from 'node:test';
import assert from 'node:assert/strict';
import { SseParser } from '../src/sse.js';

function parse(chunks) {
  const out = [];
  const p = new SseParser((e) => out.push(e));
  for (const c of chunks) p.push(c);
  return { out, p };
}

test('events split across chunks, CRLF and LF, comments and multi-line data', () => {
  const { out, p } = parse([
    ': keep-alive\n\n',
    'id: 1\nevent: progress\nda', 'ta: {"seq":1}\n\n',
    'id: 2\r\nevent: log\r\ndata: line one\r\ndata: line two\r\n\r',
    '\n',
    'data:no-space\n\n',
  ]);
  assert.deepEqual(out, [
    { id: '1', event: 'progress', data: '{"seq":1}' },
    { id: '2', event: 'log', data: 'line one\nline two' },
    { id: '2', event: 'message', data: 'no-space' },
  ]);
  assert.equal(p.lastEventId, '2');
});

test('an event without a blank line after it is not dispatched yet', () => {
  const { out } = parse(['id: 5\nevent: progress\ndata: {}\n']);
  assert.deepEqual(out, []);
});
