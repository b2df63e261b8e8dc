// Plain HTTP through the gateway. node:http sends the path exactly as given (fetch would normalise
// %2e%2e segments away), and net sends requests that no HTTP client would build.
import http from 'node:http';
import net from 'node:net';
import { execFileSync } from 'node:child_process';

export const GATEWAY = new URL(process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080');
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/**
 * One request through the gateway. localAddress: the socket's own address (a 127.x.y.z of the caller's
 * choosing, for per-client-address limits; Linux routes all of 127/8 to lo), on a fresh connection.
 */
export function send(method, path, { headers = {}, body = null, timeoutMs = 20000, localAddress } = {}) {
  // node:http sends a DELETE body with neither Content-Length nor chunked framing: always frame it
  if (body && body.length) headers = { ...headers, 'content-length': String(body.length) };
  return new Promise((resolve) => {
    const started = Date.now();
    const req = http.request({ host: GATEWAY.hostname, port: GATEWAY.port, method, path, headers,
      ...(localAddress ? { localAddress, agent: false } : { agent }) }, (res) => {
      const chunks = [];
      let size = 0;
      const sse = (res.headers['content-type'] ?? '').includes('text/event-stream');
      res.on('data', (c) => {
        if (size < 256 * 1024) chunks.push(c);
        size += c.length;
        if (sse) res.destroy();
      });
      const done = () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), sse, ms: Date.now() - started });
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    req.setTimeout(timeoutMs, () => { req.destroy(new Error(`timeout after ${timeoutMs} ms`)); });
    req.on('error', (e) => resolve({ status: 0, headers: {}, text: '', error: e.message, ms: Date.now() - started }));
    if (body && body.length) req.end(body); else req.end();
  });
}

/** Sends raw bytes on a fresh connection; returns the status line, headers and body text. */
export function raw(bytes, timeoutMs = 10000) {
  return new Promise((resolve) => {
    const sock = net.connect(Number(GATEWAY.port), GATEWAY.hostname);
    const chunks = [];
    const finish = (error) => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = text.split('\r\n\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      const headers = {};
      for (const line of head.split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = (headers[line.slice(0, i).trim().toLowerCase()] ? headers[line.slice(0, i).trim().toLowerCase()] + ', ' : '') + line.slice(i + 1).trim();
      }
      let body = rest.join('\r\n\r\n');
      if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = body.replace(/^[0-9a-f]+\r\n/i, '').replace(/\r\n0\r\n\r\n$/, '').replace(/\r\n$/, '');
      resolve({ status: m ? Number(m[1]) : 0, headers, text: body, error });
    };
    sock.setTimeout(timeoutMs, () => { sock.destroy(); });
    sock.on('data', (c) => {
      chunks.push(c);
      // Connection: close is asked, but stop reading once a complete small answer is in
      const t = Buffer.concat(chunks).toString('latin1');
      const cl = /\r\ncontent-length:\s*(\d+)/i.exec(t);
      const end = t.indexOf('\r\n\r\n');
      if (end > 0 && ((cl && t.length - end - 4 >= Number(cl[1])) || /\r\n0\r\n\r\n$/.test(t))) sock.destroy();
    });
    sock.on('close', () => finish());
    sock.on('error', (e) => finish(e.message));
    sock.write(bytes);
  });
}

export async function pool(items, n, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) { const i = next++; results[i] = await fn(items[i], i); }
  }));
  return results;
}

/** psql as the superuser (as the deploy scripts do). */
export function psql(sql) {
  const env = { ...process.env, PGOPTIONS: '-c client_min_messages=warning' };
  return execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', process.env.DB_HOST ?? '127.0.0.1',
    '-p', process.env.DB_PORT ?? '5432', '-U', process.env.PG_SUPERUSER ?? 'postgres', '-d', process.env.DB_NAME ?? 'slmgen', '-c', sql], { env, encoding: 'utf8' }).trim();
}

export const TABLES = ['auth.users', 'auth.sessions', 'auth.refresh_tokens', 'auth.identities', 'auth.one_time_tokens',
  'public.profiles', 'public.model_catalog', 'public.training_configs', 'public.datasets', 'public.jobs',
  'public.job_events', 'storage.buckets', 'storage.objects'];
export function counts() {
  const out = psql(TABLES.map((t) => `select '${t}', count(*) from ${t}`).join(' union all '));
  return Object.fromEntries(out.split('\n').map((l) => { const [t, n] = l.split('|'); return [t, Number(n)]; }));
}
