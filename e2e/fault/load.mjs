// Bounded mixed read/write load through the gateway while PostgreSQL goes away and comes back, or while
// service replicas are killed (LOAD_MODE=replicas).
// Usage: node load.mjs <seconds> <out.json>   (env: GATEWAY_URL, ANON_KEY, USERS="id token;id token;...",
//   LOAD_STOP_FILE: stop early once it exists, LOAD_MODE, LOAD_CONNECTIONS)
// Every answer is classified: ok (2xx/expected 4xx), retriable (503 JSON in the path's shape, or a
// connection-level error the client may retry; with LOAD_MODE=replicas also the gateway's 502/504 JSON,
// what a request in flight on a killed replica gets), bad (anything else: 500, a non-JSON error, a hang
// past 15 s). Writes a JSON summary with every bad answer, every non-ok answer's start and end (epoch ms:
// the replica fault test checks they overlap a kill) and the time line.
// LOAD_MODE=replicas adds dataset uploads and job creations (they cross services: datasets -> storage,
// jobs -> datasets, catalog, storage) and keeps what they made, for the consistency check.
import { existsSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

const [seconds, out] = [Number(process.argv[2] ?? 20), process.argv[3] ?? '/tmp/load.json'];
const GATEWAY = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';
const ANON = process.env.ANON_KEY;
const REPLICAS = process.env.LOAD_MODE === 'replicas';
const STOP = process.env.LOAD_STOP_FILE;
const users = process.env.USERS.split(';').filter(Boolean).map((s) => { const [id, token] = s.split(' '); return { id, token }; });
const shape = (p) => p.startsWith('/auth/') ? (b) => 'msg' in b || 'message' in b
  : p.startsWith('/storage/') ? (b) => 'statusCode' in b && 'message' in b
  : p.startsWith('/rest/') ? (b) => 'code' in b && 'message' in b && 'hint' in b
  : p.startsWith('/slmgen') ? (b) => 'detail' in b : (b) => 'error' in b && 'message' in b && 'status' in b;

const ops = [
  (u) => ['GET', '/api/jobs?limit=20'],
  (u) => ['GET', '/rest/v1/jobs?order=created_at.desc&limit=20'],
  (u) => ['GET', '/api/models'],
  (u) => ['GET', '/rest/v1/profiles?select=*'],
  (u) => ['GET', '/api/datasets'],
  (u) => ['GET', '/auth/v1/user'],
  (u) => ['PATCH', '/api/profile', { full_name: `load ${Date.now()}` }],
  (u) => ['POST', '/api/training-configs', { name: `fault-${randomUUID().slice(0, 8)}`, num_epochs: 2 }],
  (u) => ['POST', `/storage/v1/object/datasets/${u.id}/fault-load/${randomUUID().slice(0, 8)}.jsonl`, 'RAW'],
  (u) => ['POST', '/rest/v1/training_configs', { name: `fault-rest-${randomUUID().slice(0, 8)}`, user_id: u.id }],
];
const DATASET = Array.from({ length: 60 }, (_, i) => JSON.stringify({ messages: [
  { role: 'user', content: `What is ${i} times 3?` }, { role: 'assistant', content: `It is ${3 * i}.` }] })).join('\n') + '\n';
if (REPLICAS) {
  ops.push((u) => ['POST', `/api/datasets?filename=fault-replicas-${randomUUID().slice(0, 8)}.jsonl`, 'DATASET']);
  ops.push((u) => ['POST', '/api/jobs', 'JOB']);
}
const datasetsOf = new Map(); // user id -> dataset ids without a job yet

const started = Date.now();
const stats = { ok: 0, retriable: 0, bad: 0, byStatus: {}, badSamples: [], timeline: [], failures: [] };
async function one(u) {
  const [method, path, body] = ops[Math.floor(Math.random() * ops.length)](u);
  const headers = { apikey: ANON, authorization: `Bearer ${u.token}` };
  let payload;
  if (body === 'RAW') { headers['content-type'] = 'application/x-ndjson'; payload = '{"messages":[]}\n'; }
  else if (body === 'DATASET') { headers['content-type'] = 'application/x-ndjson'; payload = DATASET; }
  else if (body === 'JOB') {
    const id = (datasetsOf.get(u.id) ?? []).shift();
    if (!id) return; // nothing uploaded yet for this user
    headers['content-type'] = 'application/json';
    payload = JSON.stringify({ dataset_id: id, task_type: 'qa', deployment_target: 'cloud' });
  }
  else if (body) { headers['content-type'] = 'application/json'; payload = JSON.stringify(body); }
  const t0 = Date.now();
  let status = 0, text = '', kind;
  try {
    const res = await fetch(GATEWAY + path, { method, headers, body: payload, signal: AbortSignal.timeout(15000) });
    status = res.status; text = await res.text();
  } catch (e) { text = String(e.cause?.code ?? e.name ?? e); }
  const ms = Date.now() - t0;
  if (status === 0) kind = /Timeout|Abort/.test(text) ? 'bad' : 'retriable';
  else if (status < 500) kind = 'ok';
  else if (status === 503) {
    let b; try { b = JSON.parse(text); } catch { b = null; }
    kind = b && shape(path)(b) ? 'retriable' : 'bad';
  } else if (REPLICAS && (status === 502 || status === 504)) {
    let b; try { b = JSON.parse(text); } catch { b = null; }
    kind = b && typeof b === 'object' ? 'retriable' : 'bad';
  } else kind = 'bad';
  if (kind !== 'ok') stats.failures.push({ start: t0, end: Date.now(), method, path: path.split('?')[0], status, kind, body: text.slice(0, 160) });
  if (status === 201 && body === 'DATASET') {
    try { const id = JSON.parse(text).id; datasetsOf.set(u.id, [...(datasetsOf.get(u.id) ?? []), id]); } catch {}
  }
  stats[kind]++;
  stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  stats.timeline.push([t0 - started, status, ms]);
  if (kind === 'bad' && stats.badSamples.length < 20) stats.badSamples.push({ t: t0 - started, method, path, status, ms, body: text.slice(0, 300) });
  // clean up what we wrote, best effort, so the load leaves nothing behind
  if (status === 201 && path === '/api/training-configs') {
    try { const id = JSON.parse(text).id; await fetch(`${GATEWAY}/api/training-configs/${id}`, { method: 'DELETE', headers }); } catch {}
  }
  if (status === 200 && path.startsWith('/storage/v1/object/datasets/')) {
    try { await fetch(GATEWAY + path, { method: 'DELETE', headers: { apikey: ANON, authorization: `Bearer ${u.token}` } }); } catch {}
  }
}
await Promise.all(Array.from({ length: Number(process.env.LOAD_CONNECTIONS ?? 6) }, async (_, i) => {
  while (Date.now() - started < seconds * 1000 && !(STOP && existsSync(STOP))) await one(users[i % users.length]);
}));
stats.seconds = (Date.now() - started) / 1000;
writeFileSync(out, JSON.stringify(stats));
console.log(`load: ${stats.ok} ok, ${stats.retriable} retriable, ${stats.bad} bad in ${stats.seconds}s; statuses ${JSON.stringify(stats.byStatus)}`);
for (const s of stats.badSamples.slice(0, 8)) console.log(`  bad: t=${s.t}ms ${s.method} ${s.path} → ${s.status} (${s.ms} ms) ${s.body.slice(0, 160)}`);
