// The console's flow in a real browser against the gateway's static files, with every API answer
// stubbed in the browser (page.route) in the shapes of the SPEC: checks what the page sends and
// shows without needing the services. The same flow against the real suite: console.test.mjs.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const GATEWAY = (process.env.GATEWAY_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-output');
mkdirSync(OUT, { recursive: true });

let browser;
before(async () => {
  const health = await fetch(`${GATEWAY}/gateway/health`, { signal: AbortSignal.timeout(5000) }).catch(() => null);
  assert.ok(health?.ok, `no gateway at ${GATEWAY}`);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});
after(async () => { await browser?.close(); });

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const USER = { id: '11111111-2222-3333-4444-555555555555', email: 'stub@example.com', aud: 'authenticated', role: 'authenticated',
  app_metadata: {}, user_metadata: {}, created_at: '2025-01-01T00:00:00Z' };
const TOKEN = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: USER.id, role: 'authenticated', exp: 4000000000 })}.c2ln`;
const JOB = { id: '99999999-8888-7777-6666-555555555555', status: 'created', model_id: 'phi-4-mini', model_name: 'Phi-4 Mini',
  task_type: 'qa', deployment_target: 'edge', created_at: '2025-01-02T03:04:05Z' };

test('stubbed API: the page sends the contract and renders every answer', async (t) => {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
  t.after(() => context.close());
  const page = await context.newPage();
  const seen = [];
  const json = (route, status, body) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
  await page.route('**/auth/v1/signup**', (r) => json(r, 200, { access_token: TOKEN, token_type: 'bearer', expires_in: 3600,
    expires_at: Math.floor(Date.now() / 1000) + 3600, refresh_token: 'refresh-1', user: USER }));
  await page.route('**/api/**', async (route) => {
    const req = route.request();
    const url = new URL(req.url());
    seen.push({ method: req.method(), path: url.pathname, auth: req.headers().authorization, apikey: req.headers().apikey,
      body: req.method() === 'POST' && url.pathname !== '/api/datasets' ? req.postDataJSON() : null,
      contentType: req.headers()['content-type'] || '' });
    const key = `${req.method()} ${url.pathname}`;
    if (key === 'GET /api/profile') return json(route, 200, { id: USER.id, email: USER.email, full_name: 'Stub User', avatar_url: null });
    if (key === 'GET /api/training-configs') return json(route, 200, { items: [
      { id: 'cfg-fast', name: 'Fast', is_system: true, lora_rank: 8, learning_rate: 0.0005, num_epochs: 1, batch_size: 4 },
      { id: 'cfg-mine', name: 'Mine', is_system: false, lora_rank: 32, learning_rate: 0.0001, num_epochs: 2, batch_size: 2 }],
    total: 2, limit: 100, offset: 0 });
    if (key === 'GET /api/jobs') return json(route, 200, { items: seen.some((s) => s.path === '/api/jobs' && s.method === 'POST') ? [JOB] : [], total: 1, limit: 20, offset: 0 });
    if (key === 'POST /api/datasets') return json(route, 201, { id: 'ds-1', job_id: null, allocated_job_id: JOB.id, session_id: 'sess-1',
      total_examples: 120, total_tokens: 4800, avg_tokens_per_example: 40, single_turn_pct: 75, multi_turn_pct: 25,
      has_system_prompts: true, quality_score: 0.85, quality_issues: ['Some responses are very short'], is_multilingual: false,
      looks_like_json: false, is_multi_turn: true, avg_response_length: 88.5, dominant_language: 'en', invalid_lines: 2,
      invalid_samples: [{ line: 7, reason: 'not valid JSON' }, { line: 9, reason: 'missing "messages"' }] });
    if (key === 'POST /api/recommendations') return json(route, 200, { primary: { model_id: 'qwen-2.5-0.5b', model_name: 'Qwen 2.5 0.5B',
      size: '0.5B', score: 91, reasons: ['Small enough for edge devices'], estimated_training_minutes: 12, is_gated: false, context_window: 32768 },
    alternatives: [{ model_id: 'phi-4-mini', model_name: 'Phi-4 Mini', size: '3.8B', score: 80, reasons: ['Strong at QA'],
      estimated_training_minutes: 30, is_gated: false, context_window: 128000 }] });
    if (key === 'POST /api/jobs') return json(route, 201, { ...JOB, notebook_url: `${GATEWAY}/storage/v1/object/sign/notebooks/x.ipynb?token=t`, job_secret: 'secret-0123456789abcdef' });
    // (a stubbed 302's target is not routed by Playwright, so the stub answers with the bytes; the real
    // redirect to the signed URL is followed in console.test.mjs)
    if (key === `GET /api/jobs/${JOB.id}/notebook`) return route.fulfill({ status: 200, contentType: 'application/x-ipynb+json',
      body: JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }) });
    if (key === `GET /api/jobs/${JOB.id}/events`) return route.fulfill({ status: 200, contentType: 'text/event-stream', body:
      ': hello\n\nid: 1\nevent: progress\ndata: {"job_id":"' + JOB.id + '","seq":1,"type":"progress","payload":{"step":5,"total_steps":10,"loss":2.0}}\n\n'
      + 'id: 2\nevent: progress\ndata: {"job_id":"' + JOB.id + '","seq":2,"type":"progress","payload":{"step":10,"total_steps":10,"loss":1.5}}\n\n'
      + 'id: 3\nevent: completed\ndata: {"job_id":"' + JOB.id + '","seq":3,"type":"completed","payload":{"message":"done"}}\n\n' });
    return json(route, 404, { error: 'not_found', message: `unexpected ${key}`, status: 404 });
  });

  await page.goto(`${GATEWAY}/console/`);
  await page.fill('#email', USER.email);
  await page.fill('#password', 'whatever-password');
  await page.click('#sign-up');
  await page.locator('#session-status', { hasText: 'signed in as stub@example.com' }).waitFor({ timeout: 10000 });
  await page.waitForFunction(() => document.getElementById('full-name').value === 'Stub User');

  await page.setInputFiles('#dataset-file', { name: 'd.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from('{"messages":[]}\n') });
  await page.click('#upload-dataset');
  await page.locator('#dataset-result').waitFor({ state: 'visible', timeout: 10000 });
  assert.equal(await page.locator('#stat-total-examples').textContent(), '120');
  assert.equal(await page.locator('#quality-score').textContent(), '85%');
  assert.deepEqual(await page.locator('#quality-issues li').allTextContents(), ['Some responses are very short']);
  assert.deepEqual(await page.locator('#invalid-samples td').allTextContents(), ['7', 'not valid JSON', '9', 'missing "messages"']);

  await page.selectOption('#task-type', 'qa');
  await page.selectOption('#deployment-target', 'edge');
  await page.click('#get-recommendation');
  await page.locator('#primary-model .card[data-model-id="qwen-2.5-0.5b"]').waitFor({ timeout: 10000 });
  await page.locator('#alternatives .card[data-model-id="phi-4-mini"] input').check();
  await page.locator('#config-list tr[data-config-id="cfg-mine"] input[type=radio]').check();
  await page.screenshot({ path: join(OUT, 'stubbed-01-before-job.png'), fullPage: true });

  await page.click('#create-job');
  await page.locator('#job-id').waitFor({ timeout: 10000 });
  assert.equal(await page.locator('#job-secret').textContent(), 'secret-0123456789abcdef');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), page.click('#download-notebook')])
    .catch(async (e) => { throw new Error(`download: ${await page.locator('#job-msg').textContent()} (${e.message})`); });
  assert.match(download.suggestedFilename(), /\.ipynb$/);
  await page.locator('#job-status', { hasText: 'completed' }).waitFor({ timeout: 10000 });
  assert.equal(await page.locator('#loss-chart').getAttribute('data-points'), '2');
  assert.equal(await page.locator('#job-loss').textContent(), '1.5000');
  await page.locator(`#job-list tr[data-job-id="${JOB.id}"]`).waitFor({ timeout: 10000 });
  await page.screenshot({ path: join(OUT, 'stubbed-02-after-job.png'), fullPage: true });

  // what the page sent
  for (const s of seen) {
    assert.equal(s.auth, `Bearer ${TOKEN}`, `${s.method} ${s.path} carries the user's token`);
    assert.ok(s.apikey, `${s.method} ${s.path} carries the apikey`);
  }
  assert.match(seen.find((s) => s.path === '/api/datasets').contentType, /^multipart\/form-data/);
  assert.deepEqual(seen.find((s) => s.path === '/api/recommendations').body, { dataset_id: 'ds-1', task_type: 'qa', deployment_target: 'edge' });
  assert.deepEqual(seen.find((s) => s.path === '/api/jobs' && s.method === 'POST').body, { dataset_id: 'ds-1', task_type: 'qa',
    deployment_target: 'edge', model_id: 'phi-4-mini', training_config_id: 'cfg-mine' });
});
