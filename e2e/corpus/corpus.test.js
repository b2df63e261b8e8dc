// Bad-input corpus (SPEC §14): hostile tokens, bodies, path parameters, query strings and headers sent
// to every route of every service through the gateway. Every answer must be a 4xx JSON body in the
// path's error shape (a 2xx only where the input is harmless: reads, or free text a route may store),
// never a 5xx or a stack trace, and the database must be unchanged by what was refused.
// Run against the started suite: cd e2e/corpus && node --test   (GATEWAY_URL, DB_* and SUPABASE_JWT_SECRET as for e2e)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ROUTES } from './routes.js';
import { Checker, isWrite } from './invariants.js';
import { ANON_KEY, SERVICE_KEY, hostileTokens, hostileBodies, PATH_VALUES, OBJECT_PATHS, QUERIES } from './corpus.js';
import { send, raw, pool, counts, psql, TABLES, GATEWAY } from './http.js';

const CONCURRENCY = Number(process.env.CORPUS_CONCURRENCY ?? 6);
const RUN_STARTED = new Date().toISOString();
let user; // { id, token }
let before0;
// the generic invariants (invariants.js); CORPUS_ALLOW_GATEWAY_HTML=1 lists nginx's own HTML error pages
// (400 for undecodable or above-root paths, 414 for huge URIs) instead of failing on them
const inv = new Checker();
const { check, report, failures, accepted, gatewayHtml } = inv;

const xff = () => `10.${(Math.random() * 255) | 0}.${(Math.random() * 255) | 0}.${(Math.random() * 255) | 0}`;

/** Fills path parameters: `{name}` → value; bucket → datasets, path → an object in the user's folder. */
function fill(path, which, value) {
  return path.replace(/\{(\w+)\}/g, (_, name) => {
    if (name === which) return value;
    if (name === 'bucket') return 'datasets';
    if (name === 'path') return `${user.id}/corpus-${randomUUID().slice(0, 8)}.jsonl`;
    return randomUUID();
  });
}

const userHeaders = (extra = {}) => ({ apikey: ANON_KEY, authorization: `Bearer ${user.token}`, 'x-forwarded-for': xff(), ...extra });

before(async () => {
  const health = await send('GET', '/gateway/health');
  assert.equal(health.status, 200, `gateway not up at ${GATEWAY.href}`);
  const email = `corpus-${randomUUID().slice(0, 8)}@example.test`;
  const res = await send('POST', '/auth/v1/signup', {
    headers: { apikey: ANON_KEY, authorization: `Bearer ${ANON_KEY}`, 'content-type': 'application/json', 'x-forwarded-for': xff() },
    body: JSON.stringify({ email, password: 'correct-horse-battery-staple' }),
  });
  assert.equal(res.status, 200, `sign-up failed: ${res.status} ${res.text}`);
  const session = JSON.parse(res.text);
  user = { id: session.user.id, token: session.access_token };
  before0 = counts();
});

test('hostile tokens are refused on every route (as Bearer and as apikey)', async () => {
  const tokens = Object.entries(hostileTokens(user.id));
  const cases = [];
  for (const route of ROUTES) {
    for (const [name, tok] of tokens) cases.push({ route, name: `Bearer: ${name}`, headers: { apikey: ANON_KEY, authorization: `Bearer ${tok}` } });
    for (const [name, tok] of tokens.slice(0, 8)) cases.push({ route, name: `apikey only: ${name}`, headers: { apikey: tok } });
    cases.push({ route, name: 'Bearer with user token but hostile apikey', headers: { apikey: tokens[0][1], authorization: `Bearer ${user.token}` } });
  }
  await pool(cases, CONCURRENCY, async (c) => {
    const path = fill(c.route.path);
    const body = isWrite(c.route.method) ? Buffer.from('{}') : null;
    const res = await send(c.route.method, path, { headers: { ...c.headers, 'x-forwarded-for': xff(), ...(body ? { 'content-type': 'application/json' } : {}) }, body });
    check('token', c.route, c.name, `${c.route.method} ${path} [${c.name}]`, res);
    if (res.status !== 401 && res.status !== 403 && res.status > 0 && res.status < 500 && !failures.some((f) => f.caseName === c.name && f.route === `${c.route.method} ${c.route.path}`)) {
      // a 4xx other than 401/403 means the token was not what refused the request: worth knowing, not a failure
    }
  });
  console.log(`token phase: ${cases.length} requests`);
  assert.equal(report('token'), 0);
});

test('hostile bodies are refused by every route that reads a body', async () => {
  const bodies = Object.entries(hostileBodies());
  const cases = [];
  for (const route of ROUTES.filter((r) => isWrite(r.method) && !r.bodyIgnored && !r.upload)) {
    for (const [name, [bytes, type, kind]] of bodies) {
      cases.push({ route, name, bytes, type, kind, headers: userHeaders() });
      if (/^\/auth\/v1\/admin|^\/storage\/v1\/bucket/.test(route.path)) {
        cases.push({ route, name: `${name} (service key)`, bytes, type, kind, headers: { apikey: SERVICE_KEY, authorization: `Bearer ${SERVICE_KEY}`, 'x-forwarded-for': xff() } });
      }
    }
  }
  await pool(cases, CONCURRENCY, async (c) => {
    // buckets: a name that does not exist, so a refused body can never touch a real bucket
    const path = fill(c.route.path.replace('{bucket}', 'corpus-no-such-bucket'));
    const res = await send(c.route.method, path, { headers: { ...c.headers, 'content-type': c.type }, body: c.bytes });
    check('body', c.route, c.name, `${c.route.method} ${path} [${c.name}]`, res, { mayAccept: c.kind === 'odd-text' });
  });
  console.log(`body phase: ${cases.length} requests`);
  assert.equal(report('body'), 0);
});

test('traversal and junk in every path parameter are refused', async () => {
  const cases = [];
  for (const route of ROUTES.filter((r) => /\{\w+\}/.test(r.path))) {
    for (const param of [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
      for (const [name, value] of Object.entries(PATH_VALUES)) cases.push({ route, param, name, value });
      if (param === 'path') {
        for (const [name, value] of Object.entries(OBJECT_PATHS)) cases.push({ route, param, name, value: value.replace('{uid}', user.id), odd: /SQL|RTL|long/.test(name) });
      }
    }
  }
  await pool(cases, CONCURRENCY, async (c) => {
    const path = fill(c.route.path, c.param, c.value);
    const body = isWrite(c.route.method) ? Buffer.from(c.route.upload ? '{"messages":[]}\n' : '{}') : null;
    const res = await send(c.route.method, path, { headers: userHeaders(body ? { 'content-type': 'application/json' } : {}), body });
    check('path', c.route, `${c.param}: ${c.name}`, `${c.route.method} ${path.slice(0, 200)}`, res, { mayAccept: !!c.odd });
  });
  // un-normalised dot segments, which no URL library will send: raw request lines
  const rawPaths = [
    ['GET', `/storage/v1/object/authenticated/datasets/${'x'}/../../../../etc/passwd`],
    ['GET', `/storage/v1/object/public/avatars/../datasets/${'x'}/a.jsonl`],
    ['POST', `/storage/v1/object/datasets/USER/../../notebooks/USER/x.jsonl`],
    ['GET', '/api/jobs/../../../etc/passwd'],
    ['GET', '/api/datasets/..%2f..%2f/preview'],
    ['GET', '/slmgen/notebooks/..%2F..%2Fetc%2Fpasswd.ipynb'],
    ['GET', '/rest/v1/jobs/../profiles'],
    ['GET', '/auth/v1/admin/users/../../../etc/passwd'],
  ];
  for (const [method, p] of rawPaths) {
    const path = p.replaceAll('USER', user.id);
    const body = method === 'POST' ? '{"x":1}' : '';
    const res = await raw(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\napikey: ${ANON_KEY}\r\nAuthorization: Bearer ${user.token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    check('path', { method, path: p.split('/..')[0] }, 'raw dot-dot segments', `${method} ${path}`, res);
    cases.push(null);
  }
  console.log(`path phase: ${cases.length} requests`);
  assert.equal(report('path'), 0);
});

test('SQL-looking and junk query strings are refused or harmless', async () => {
  const cases = [];
  for (const route of ROUTES.filter((r) => r.path.startsWith('/rest/v1/'))) {
    for (const [name, q] of Object.entries(QUERIES.postgrest)) cases.push({ route, name, q });
  }
  for (const route of ROUTES.filter((r) => r.method === 'GET' && !/\{/.test(r.path) && /^\/(api|slmgen|auth\/v1\/admin|storage\/v1\/bucket)/.test(r.path))) {
    for (const [name, q] of Object.entries(QUERIES.api)) cases.push({ route, name, q });
  }
  await pool(cases, CONCURRENCY, async (c) => {
    const q = c.q.replace(/ /g, '%20').replace(/'/g, '%27');
    const path = `${c.route.path}${c.route.path.includes('?') ? '&' : '?'}${q}`;
    // writes: a real column set to what it is where nothing matches, so only the query is hostile
    const body = isWrite(c.route.method) ? Buffer.from('{"id":"00000000-0000-0000-0000-000000000000"}') : null;
    const res = await send(c.route.method, path, { headers: userHeaders(body ? { 'content-type': 'application/json' } : {}), body });
    const strict = c.name.startsWith('!') || (c.name.startsWith('?') && !isWrite(c.route.method));
    check('query', c.route, c.name, `${c.route.method} ${path.slice(0, 200)}`, res, { mayAccept: !strict });
  });
  console.log(`query phase: ${cases.length} requests`);
  assert.equal(report('query'), 0);
});

test('header injection and hostile header values', async () => {
  const inj = 'https%3A%2F%2Fevil.example%2F%0d%0aX-Injected%3A%20yes%0d%0aSet-Cookie%3A%20injected%3D1';
  const redirects = [
    ['GET', `/auth/v1/authorize?provider=github&redirect_to=${inj}`],
    ['GET', `/auth/v1/authorize?provider=%0d%0aX-Injected:%20yes`],
    ['GET', `/auth/v1/authorize?provider=github&redirect_to=javascript%3Aalert(1)`],
    ['GET', `/auth/v1/verify?type=signup&token=abc&redirect_to=${inj}`],
    ['GET', `/auth/v1/verify?type=magiclink&token=abc&redirect_to=javascript%3Aalert(1)`],
    ['GET', `/auth/v1/callback?error=x%0d%0aX-Injected:%20yes&state=${inj}`],
    ['GET', `/auth/callback?code=abc&next=${inj}`],
    ['GET', `/auth/callback?code=abc&next=%2F%2Fevil.example`],
    ['POST', `/auth/v1/otp?redirect_to=${inj}`],
    ['POST', `/auth/v1/recover?redirect_to=${inj}`],
  ];
  for (const [method, path] of redirects) {
    const body = method === 'POST' ? Buffer.from(JSON.stringify({ email: 'not-an-email' })) : null;
    const res = await send(method, path, { headers: { apikey: ANON_KEY, 'x-forwarded-for': xff(), ...(body ? { 'content-type': 'application/json' } : {}) }, body });
    // redirects (3xx) are these routes' normal answer; what matters is where they point and what they echo
    check('header', { method: 'GET', path: path.split('?')[0] }, 'redirect/header injection', `${method} ${path}`, res);
  }
  const H = [
    ['GET', '/rest/v1/jobs', { prefer: 'count=exact; select pg_sleep(5)' }],
    ['POST', '/rest/v1/jobs', { prefer: 'return=representation, resolution=merge-duplicates, missing=default, tx=rollback, count=pg_sleep(5)' }, '{}'],
    ['GET', '/rest/v1/jobs', { range: 'bytes=-99999999999999999999' }],
    ['GET', '/rest/v1/jobs', { range: '99999999999999999999-0' }],
    ['GET', '/rest/v1/jobs', { 'accept-profile': 'pg_catalog' }],
    ['POST', '/rest/v1/profiles', { 'content-profile': 'auth' }, '{"id":"00000000-0000-0000-0000-000000000000"}'],
    ['GET', '/rest/v1/profiles', { accept: 'application/vnd.pgrst.object+json; nulls=stripped; evil' }],
    ['GET', '/storage/v1/object/authenticated/datasets/USER/none.jsonl', { range: 'bytes=99999999999999999999-' }],
    ['GET', '/storage/v1/object/authenticated/datasets/USER/none.jsonl', { 'if-none-match': '"' + 'x'.repeat(5000) }],
    ['POST', '/storage/v1/object/datasets/USER/hdr.jsonl', { 'x-upsert': "true'; drop", 'content-type': 'text/html' }, '<script>alert(1)</script>'],
    ['POST', '/storage/v1/object/datasets/USER/hdr2.jsonl', { 'content-type': 'application/json', 'cache-control': 'max-age=-1e999' }, '{}'],
    ['POST', '/storage/v1/object/datasets/USER/hdr3.jsonl', { 'content-type': 'multipart/form-data' }, '--x--'],
    ['GET', '/auth/v1/user', { 'x-supabase-api-version': '9999-99-99\u00e9' }],
    ['POST', '/auth/v1/token?grant_type=password', { 'x-supabase-api-version': "'; drop", 'content-type': 'application/json' }, '{"email":"a","password":1}'],
    ['GET', '/api/jobs', { 'x-forwarded-for': "' OR 1=1 --, 999.999.999.999", 'x-forwarded-host': 'evil.example\u00e9' }],
    ['GET', '/api/jobs', { origin: 'https://evil.example', 'access-control-request-method': 'DELETE' }],
  ];
  for (const [method, p, headers, body] of H) {
    const path = p.replaceAll('USER', user.id);
    const res = await send(method, path, { headers: userHeaders(headers), body: body ? Buffer.from(body, 'latin1') : null });
    check('header', { method, path: p }, `hostile header ${JSON.stringify(headers).slice(0, 80)}`, `${method} ${path} ${JSON.stringify(headers).slice(0, 120)}`, res,
      { mayAccept: 'cache-control' in headers });
  }
  // raw: requests that no client library would build
  const base = (extra, path = '/api/jobs', method = 'GET', body = '') =>
    `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\napikey: ${ANON_KEY}\r\nAuthorization: Bearer ${user.token}\r\n${extra}Connection: close\r\n\r\n${body}`;
  const R = {
    'bare LF inside a header value': base('X-Test: a\nX-Injected: yes\r\n'),
    'obs-fold continuation line': base('X-Test: a\r\n X-Injected: yes\r\n'),
    'NUL in a header value': base('X-Test: a\u0000b\r\n'),
    'BEL control character in Prefer': base('Prefer: return=minimal\u0007\r\n', '/rest/v1/jobs'),
    'CR inside a header value': base('Prefer: return=minimal\rX-Injected: yes\r\n', '/rest/v1/jobs'),
    'duplicate Content-Length': base('Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n', '/api/jobs', 'POST', '{}'),
    'Content-Length and chunked (smuggling)': base('Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n', '/api/jobs', 'POST', '0\r\n\r\nGET /auth/v1/admin/users HTTP/1.1\r\nHost: x\r\n\r\n'),
    'negative Content-Length': base('Content-Type: application/json\r\nContent-Length: -1\r\n', '/api/jobs', 'POST', '{}'),
    'header of 64 KB': base(`X-Big: ${'a'.repeat(65536)}\r\n`),
    'absolute-form URI to another host': `GET http://evil.example/auth/v1/admin/users HTTP/1.1\r\nHost: evil.example\r\napikey: ${ANON_KEY}\r\nConnection: close\r\n\r\n`,
    'authorization scheme only': base('').replace(`Authorization: Bearer ${user.token}`, 'Authorization: Bearer'),
    'two Authorization headers': base(`Authorization: Bearer ${SERVICE_KEY.slice(0, -3)}AAA\r\n`),
    'Basic credentials with SQL': base('').replace(`Authorization: Bearer ${user.token}`, `Authorization: Basic ${Buffer.from("admin' --:x").toString('base64')}`),
  };
  for (const [name, bytes] of Object.entries(R)) {
    const res = await raw(bytes);
    const pathOf = /^\w+ (\S+)/.exec(bytes)[1];
    check('header', { method: bytes.split(' ')[0], path: pathOf.replace(/^http:\/\/[^/]+/, '') }, `raw: ${name}`, `raw ${name}`, res,
);
  }
  assert.equal(report('header'), 0);
});

/** Removes what accepted requests created during the run (own users, buckets, configs), so reruns start alike. */
async function cleanup() {
  try {
    // objects through the API (bytes and rows together), then rows by SQL
    for (const bucket of ['datasets', 'notebooks', 'avatars']) {
      const names = psql(`select name from storage.objects where bucket_id = '${bucket}' and name like '${user.id}/%'`).split('\n').filter(Boolean);
      if (!names.length) continue;
      const res = await send('DELETE', `/storage/v1/object/${bucket}`, { headers: userHeaders({ 'content-type': 'application/json' }), body: Buffer.from(JSON.stringify({ prefixes: names })) });
      if (res.status !== 200) console.log(`cleanup: removing ${names.length} objects from ${bucket} answered ${res.status} ${res.text.slice(0, 200)}`);
    }
    psql(`delete from storage.buckets where created_at >= '${RUN_STARTED}';
      delete from public.training_configs where user_id = '${user.id}';
      delete from auth.users where created_at >= '${RUN_STARTED}' and (email like 'corpus-%' or email is null or email = '' or is_anonymous);`);
  } catch (e) { console.log(`cleanup failed: ${e.message}`); }
}

after(async () => {
  if (!before0) return;
  const now = counts();
  const owners = {
    'auth.': /^(POST|PUT|PATCH|DELETE) \/auth/, 'public.profiles': /\/auth|\/api\/profile|\/rest\/v1\/profiles/,
    'public.training_configs': /training.configs/, 'public.datasets': /datasets|\/slmgen\/upload/,
    'public.jobs': /jobs|generate-notebook|training/, 'public.job_events': /jobs|training/,
    'storage.objects': /storage|datasets|jobs|generate-notebook|upload/, 'storage.buckets': /storage\/v1\/bucket/,
  };
  const unexplained = [];
  for (const t of TABLES) {
    const d = now[t] - before0[t];
    if (d === 0) continue;
    const owner = Object.entries(owners).find(([k]) => t.startsWith(k))?.[1];
    const explained = owner && accepted.some((a) => owner.test(a.route));
    console.log(`${t}: ${before0[t]} → ${now[t]} (${d > 0 ? '+' : ''}${d})${explained ? ' (accepted odd-text writes)' : ' UNEXPLAINED'}`);
    if (!explained) unexplained.push(t);
  }
  if (accepted.length) {
    console.log(`accepted odd-but-valid writes (${accepted.length}):`);
    const seen = new Map();
    for (const a of accepted) seen.set(a.route, [...(seen.get(a.route) ?? []), `${a.caseName}→${a.status}`]);
    for (const [r, l] of seen) console.log(`  ${r}: ${l.join(', ').slice(0, 300)}`);
  }
  console.log(`failures: ${failures.length}`);
  if (gatewayHtml.length) console.log(`gateway HTML answers allowed by CORPUS_ALLOW_GATEWAY_HTML (${gatewayHtml.length}), e.g. ${gatewayHtml.slice(0, 3).join(' | ')}`);
  await cleanup();
  assert.deepEqual(unexplained, [], 'the database changed in tables no accepted request writes');
});
