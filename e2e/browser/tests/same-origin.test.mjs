// The SLMGEN web app served by the gateway on its own origin (SPEC §11, §15), in Debian's chromium:
// a page behind FRONTEND_UPSTREAM signs up with @supabase/ssr's browser client (session in cookies) and
// runs the wizard's calls with plain fetch and no Authorization header: the session, its dataset and its
// job belong to that person. The same cookies sent from another origin do not act as the person.
//
// Needs the local suite (deploy/scripts/start-local.sh) and its gateway's run directory: the test serves
// the stand-in app on BROWSER_FRONTEND_PORT (gateway port + 41), switches the gateway's web app to it with
// `deploy/gateway/gateway.sh set-frontend` and back off at the end. Env: GATEWAY_URL, SUPABASE_JWT_SECRET,
// GATEWAY_RUN_DIR (gateway.sh's default), CHROMIUM (/usr/bin/chromium). Screenshots: test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..', '..');
const GATEWAY = (process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const FRONTEND_PORT = Number(process.env.BROWSER_FRONTEND_PORT ?? Number(new URL(GATEWAY).port || 80) + 41);
// another origin on the same site (cookies for 127.0.0.1 go to every port): the app's own server, directly
const OTHER_ORIGIN = `http://127.0.0.1:${FRONTEND_PORT}`;
const SECRET = process.env.SUPABASE_JWT_SECRET ?? 'super-secret-jwt-token-with-at-least-32-characters-long';
const OUT = join(HERE, '..', 'test-output');
const COOKIE = /^sb-[a-z0-9-]+-auth-token(\.\d+)?$/;

const b64url = (s) => Buffer.from(s).toString('base64url');
function hs256(claims) {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  return `${head}.${body}.${createHmac('sha256', SECRET).update(`${head}.${body}`).digest('base64url')}`;
}
const ANON_KEY = process.env.SUPABASE_ANON_KEY ?? hs256({ iss: 'supabase-demo', role: 'anon', iat: 1700000000, exp: 2000000000 });

/** A valid SLMGEN dataset of n examples. */
const dataset = (n = 60) => Array.from({ length: n }, (_, i) => JSON.stringify({ messages: [
  { role: 'user', content: `Browser question ${i}: what is ${i} times two?` },
  { role: 'assistant', content: `Browser answer ${i}: ${i} times two is ${2 * i}.` },
] })).join('\n') + '\n';

function gatewaySh(...args) {
  return execFileSync('bash', [join(REPO, 'deploy/gateway/gateway.sh'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** fetch through the gateway as an API client (apikey + the user's token when given). */
function api(path, { token, headers = {}, ...init } = {}) {
  return fetch(`${GATEWAY}${path}`, { ...init, headers: { apikey: ANON_KEY, ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } });
}
async function datasetsOf(token) {
  const r = await api('/rest/v1/datasets?select=session_id,user_id', { token });
  assert.equal(r.status, 200, `listing datasets: ${r.status}`);
  return r.json();
}

let server;
let browser;
let dist;
let frontendSet = false;

before(async () => {
  const health = await fetch(`${GATEWAY}/gateway/health`).catch((e) => ({ status: 0, e }));
  assert.equal(health.status, 200, `gateway not up at ${GATEWAY}`);
  dist = mkdtempSync(join(tmpdir(), 'slmgen-browser-'));
  await build({ entryPoints: [join(HERE, '..', 'page', 'app.js')], bundle: true, format: 'esm', target: 'es2022',
    outfile: join(dist, 'app.js'), logLevel: 'error' });
  const files = {
    '/': ['text/html; charset=utf-8', readFileSync(join(HERE, '..', 'page', 'index.html'))],
    '/app.js': ['text/javascript; charset=utf-8', readFileSync(join(dist, 'app.js'))],
    '/app-config.json': ['application/json', Buffer.from(JSON.stringify({ anonKey: ANON_KEY }))],
  };
  server = http.createServer((req, res) => {
    const f = files[new URL(req.url, 'http://x').pathname];
    if (!f) { res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end('stand-in app: no such page'); return; }
    res.writeHead(200, { 'Content-Type': f[0], 'Content-Length': f[1].length, 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : f[1]);
  });
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(FRONTEND_PORT, '127.0.0.1', resolve); });
  gatewaySh('set-frontend', `http://127.0.0.1:${FRONTEND_PORT}`);
  frontendSet = true;
  // bounded wait for the reloaded gateway to serve the app at /
  let page = '';
  // (a connection kept alive from before the reload may be closed under us: retry)
  for (let i = 0; i < 40 && !page.includes('stand-in web app'); i++) {
    page = await fetch(`${GATEWAY}/`).then((r) => r.text()).catch(() => '');
    if (!page.includes('stand-in web app')) await new Promise((r) => setTimeout(r, 250));
  }
  assert.match(page, /stand-in web app/, 'the gateway serves the app at / (FRONTEND_UPSTREAM)');
  // launch() starts chromium on a fresh, temporary --user-data-dir of its own (removed on close)
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(OUT, { recursive: true });
});

after(async () => {
  await browser?.close();
  if (frontendSet) { try { gatewaySh('set-frontend', 'off'); } catch (e) { console.log(`set-frontend off failed: ${e.stderr ?? e.message}`); } }
  await new Promise((r) => (server ? server.close(r) : r()));
  if (dist) rmSync(dist, { recursive: true, force: true });
});

/** A fresh context and page on the gateway's origin with the stand-in app loaded; records /slmgen requests. */
async function openApp(t) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const slmgen = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/slmgen/')) slmgen.push({ url: r.url(), headers: r.headers() }); });
  await page.goto(`${GATEWAY}/`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 20000 });
  const shot = (name) => page.screenshot({ path: join(OUT, `${t.name.replace(/\W+/g, '-').slice(0, 60)}-${name}.png`) }).catch(() => {});
  return { context, page, problems, slmgen, shot };
}

/** Signs a new person up in the stand-in app: the session lands in @supabase/ssr's cookies. */
async function signUpInBrowser(t) {
  const opened = await openApp(t);
  const email = `browser-${randomUUID().slice(0, 8)}@example.test`;
  const signed = await opened.page.evaluate(([e, p]) => window.app.signUp(e, p), [email, 'correct-horse-battery-staple']);
  assert.ok(signed.hasSession, 'sign-up signs in (autoconfirm)');
  const cookies = (await opened.context.cookies(GATEWAY)).filter((c) => COOKIE.test(c.name));
  assert.ok(cookies.length > 0, `@supabase/ssr keeps the session in sb-<ref>-auth-token cookies (got ${(await opened.context.cookies()).map((c) => c.name)})`);
  assert.ok(cookies[0].value.startsWith('base64-'), 'cookie value is base64- + base64url(session)');
  const token = await opened.page.evaluate(() => window.app.accessToken());
  return { ...opened, email, userId: signed.userId, token, cookieHeader: cookies.map((c) => `${c.name}=${c.value}`).join('; ') };
}

test('signed in through @supabase/ssr on the gateway origin, the wizard\'s cookie-only calls act as the person', async (t) => {
  const { context, page, problems, slmgen, shot, userId, token } = await signUpInBrowser(t);

  const up = await page.evaluate((text) => window.app.upload(text), dataset());
  assert.equal(up.status, 200, `upload: ${JSON.stringify(up.body)}`);
  const sessionId = up.body.session_id;
  assert.ok(sessionId, 'upload answers a session_id');
  const sent = slmgen.find((r) => r.url.endsWith('/slmgen/upload'));
  assert.ok(sent, 'the page called /slmgen/upload');
  assert.equal(sent.headers.authorization, undefined, 'the wizard sends no Authorization header');

  // the dataset row is the person's (checked with their own token, under RLS)
  const rows = await datasetsOf(token);
  const row = rows.find((d) => d.session_id === sessionId);
  assert.ok(row, `the uploaded session is among the person's datasets (${rows.length} rows)`);
  assert.equal(row.user_id, userId);

  // the rest of the wizard, cookies only: recommend, then generate-notebook creates the person's job
  const rec = await page.evaluate((sid) => window.app.post('/slmgen/recommend', { session_id: sid, task: 'qa', deployment: 'cloud' }), sessionId);
  assert.equal(rec.status, 200, `recommend: ${JSON.stringify(rec.body)}`);
  const gen = await page.evaluate((sid) => window.app.post('/slmgen/generate-notebook', { session_id: sid, model_id: null }), sessionId);
  assert.equal(gen.status, 200, `generate-notebook: ${JSON.stringify(gen.body)}`);
  assert.ok(slmgen.every((r) => r.headers.authorization === undefined), 'no wizard call carried an Authorization header');

  // History: GET /slmgen/jobs with the person's token lists the job
  const jobs = await (await api('/slmgen/jobs', { token })).json();
  assert.ok(Array.isArray(jobs), `GET /slmgen/jobs answers an array: ${JSON.stringify(jobs).slice(0, 200)}`);
  assert.ok(jobs.some((j) => j.session_id === sessionId), 'the job made through the cookie session is in the person\'s History');
  await shot('wizard-done');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the same cookies sent from another origin do not act as the person', async (t) => {
  const person = await signUpInBrowser(t);
  const before0 = (await datasetsOf(person.token)).length;

  // 1. a plain HTTP client replaying the cookies with a foreign Origin
  const form = new FormData();
  form.append('file', new Blob([dataset()]), 'replayed.jsonl');
  const replay = await fetch(`${GATEWAY}/slmgen/upload`, { method: 'POST', body: form,
    headers: { Cookie: person.cookieHeader, Origin: 'https://evil.example' } });
  const replayBody = await replay.json().catch(() => null);
  assert.ok(replay.status === 200 || (replay.status >= 400 && replay.status < 500), `replay answered ${replay.status}`);
  if (replay.status === 200) {
    const mine = await datasetsOf(person.token);
    assert.ok(!mine.some((d) => d.session_id === replayBody.session_id), 'a foreign Origin\'s upload is not the person\'s session');
  }

  // 2. a real page on another origin of the same site: the browser sends the person's cookies along
  await person.page.goto(`${OTHER_ORIGIN}/`);
  await person.page.waitForSelector('body[data-ready="1"]', { timeout: 20000 });
  // what chromium really put on the wire (cookies included), from the DevTools protocol
  const cdp = await person.context.newCDPSession(person.page);
  await cdp.send('Network.enable');
  const wire = [];
  cdp.on('Network.requestWillBeSentExtraInfo', (e) => wire.push(e.headers));
  const [response] = await Promise.all([
    person.page.waitForResponse((r) => r.url() === `${GATEWAY}/slmgen/upload`, { timeout: 30000 }),
    person.page.evaluate(([url, text]) => window.app.upload(text, 'cross.jsonl', url, { credentials: 'include', mode: 'no-cors' })
      .catch((e) => ({ error: e.message })), [`${GATEWAY}/slmgen/upload`, dataset()]),
  ]);
  const sent = wire.map((h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v])))
    .find((h) => (h[':path'] ?? '').startsWith('/slmgen/upload') || h.origin === OTHER_ORIGIN) ?? {};
  assert.equal(sent.origin, OTHER_ORIGIN, `the request came from the other origin (${JSON.stringify(sent).slice(0, 300)})`);
  assert.match(sent.cookie ?? '', /sb-[a-z0-9-]+-auth-token/, 'the browser sent the person\'s cookies along');
  assert.ok(response.status() === 200 || (response.status() >= 400 && response.status() < 500), `answered ${response.status()}`);
  const after0 = await datasetsOf(person.token);
  assert.equal(after0.length, before0, 'no dataset was added to the person by another origin');
  await person.context.close();
});

test('signed out: the wizard\'s calls are anonymous again (no cookie, no person)', async (t) => {
  const { context, page } = await openApp(t);
  await page.evaluate(([e, p]) => window.app.signUp(e, p), [`browser-${randomUUID().slice(0, 8)}@example.test`, 'correct-horse-battery-staple']);
  const token = await page.evaluate(() => window.app.accessToken());
  await page.evaluate(() => window.app.signOut());
  const left = (await context.cookies(GATEWAY)).filter((c) => COOKIE.test(c.name) && c.value);
  assert.equal(left.length, 0, 'sign-out removes the session cookies');
  const up = await page.evaluate((text) => window.app.upload(text), dataset());
  assert.equal(up.status, 200, `anonymous upload still works: ${JSON.stringify(up.body)}`);
  // the access token stays a valid JWT until it expires: under RLS it still sees that person's rows, and the
  // signed-out upload is not among them (it belongs to a new anonymous user)
  const mine = await datasetsOf(token);
  assert.ok(!mine.some((d) => d.session_id === up.body.session_id), 'after sign-out the session is not the person\'s');
  await context.close();
});
