// The console in a real browser (Debian's chromium driven by playwright-core) against a running suite.
//   GATEWAY_URL (default http://127.0.0.1:8080) must serve the built console (npm run build, then
//   deploy/gateway/gateway.sh start or deploy/scripts/start-local.sh). CHROMIUM (default /usr/bin/chromium).
// Screenshots of every step: console/test-output/.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const GATEWAY = (process.env.GATEWAY_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-output');
mkdirSync(OUT, { recursive: true });

let browser;
before(async () => {
  const health = await fetch(`${GATEWAY}/gateway/health`, { signal: AbortSignal.timeout(5000) }).catch(() => null);
  assert.ok(health?.ok, `no gateway at ${GATEWAY} (start the suite: deploy/scripts/start-local.sh)`);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});
after(async () => { await browser?.close(); });

async function newPage(t) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  t.after(() => context.close());
  let n = 0;
  const shot = async (name) => {
    n += 1;
    await page.screenshot({ path: join(OUT, `${t.name.replace(/\W+/g, '-').slice(0, 40)}-${String(n).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
  return { page, shot, problems };
}

/** 60 valid two-turn chat examples and 2 invalid lines (line 61: not JSON, line 62: no messages). */
function dataset() {
  const lines = [];
  for (let i = 1; i <= 60; i++) {
    lines.push(JSON.stringify({ messages: [
      { role: 'user', content: `What is ${i} plus ${i}? Please answer with a short sentence.` },
      { role: 'assistant', content: `${i} plus ${i} is ${2 * i}. Adding a number to itself doubles it.` },
    ] }));
  }
  lines.push('this line is not json');
  lines.push(JSON.stringify({ text: 'no messages here' }));
  return Buffer.from(`${lines.join('\n')}\n`);
}

test('the console loads from the gateway with its anon key', async (t) => {
  const { page, shot, problems } = await newPage(t);
  const res = await page.goto(`${GATEWAY}/console/`);
  assert.equal(res.status(), 200);
  assert.equal(await page.title(), 'SLMGEN console');
  await page.locator('#app').waitFor({ state: 'visible', timeout: 15000 });
  await page.locator('#session-status', { hasText: 'signed out' }).waitFor({ timeout: 15000 });
  assert.equal(await page.locator('#setup').isVisible(), false, 'the anon key came from /console/console-config.json');
  if (process.env.MAIL_CATCHER_URL) {
    // start-local.sh's mail catcher is linked for reading magic links and reset mails
    assert.equal(await page.locator('#mail-catcher-link').getAttribute('href'), process.env.MAIL_CATCHER_URL);
    await page.locator('#email').fill('someone@example.test');
    assert.equal(await page.locator('#mail-inbox-link').getAttribute('href'),
      `${process.env.MAIL_CATCHER_URL}api/user/someone%40example.test/messages/INBOX`);
  }
  await shot('loaded');
  assert.deepEqual(problems, []);
});

test('API failures are shown as clear messages (responses stubbed in the browser)', async (t) => {
  const { page, shot } = await newPage(t);
  await page.route('**/auth/v1/signup**', (route) => route.fulfill({
    status: 422, contentType: 'application/json', headers: { 'X-Supabase-Api-Version': '2024-01-01' },
    body: JSON.stringify({ code: 'weak_password', message: 'Password should be at least 6 characters.' }),
  }));
  await page.goto(`${GATEWAY}/console/`);
  await page.locator('#app').waitFor({ state: 'visible' });
  await page.fill('#email', 'weak@example.com');
  await page.fill('#password', 'abc');
  await page.click('#sign-up');
  await page.locator('#auth-msg.error', { hasText: 'Password should be at least 6 characters.' }).waitFor({ timeout: 10000 });
  await shot('signup-error');

  // a gateway 502 while signing in: the page says so and stays usable
  await page.route('**/auth/v1/token**', (route) => route.fulfill({
    status: 502, contentType: 'application/json',
    body: JSON.stringify({ error: 'service_unavailable', message: 'The service behind this path is not reachable', status: 502 }),
  }));
  await page.fill('#password', 'long-enough-password');
  await page.click('#sign-in');
  await page.locator('#auth-msg.error').waitFor({ timeout: 10000 });
  assert.match(await page.locator('#auth-msg').textContent(), /not reachable|502|unavailable/i);
  assert.equal(await page.locator('#sign-in').isDisabled(), false, 'the button is usable again');
  await shot('signin-502');
});

test('sign up, upload, stats, recommendation, job, notebook, live loss chart', async (t) => {
  const { page, shot, problems } = await newPage(t);
  await page.goto(`${GATEWAY}/console/`);
  await page.locator('#app').waitFor({ state: 'visible' });

  // sign up (local auth autoconfirms: a session at once)
  const email = `console-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  await page.fill('#email', email);
  await page.fill('#password', 'console-test-password-1');
  await page.click('#sign-up');
  await page.locator('#session-status', { hasText: `signed in as ${email}` }).waitFor({ timeout: 20000 })
    .catch(async (e) => { await shot('signup-failed'); throw new Error(`sign-up: ${await page.locator('#auth-msg').textContent()} (${e.message})`); });
  await shot('signed-up');

  // upload the dataset with the progress bar; see stats, quality and invalid lines
  await page.setInputFiles('#dataset-file', { name: 'console-test.jsonl', mimeType: 'application/x-ndjson', buffer: dataset() });
  await page.click('#upload-dataset');
  await page.locator('#dataset-result').waitFor({ state: 'visible', timeout: 60000 })
    .catch(async (e) => { await shot('upload-failed'); throw new Error(`upload: ${await page.locator('#dataset-msg').textContent()} (${e.message})`); });
  assert.equal(await page.locator('#upload-progress').getAttribute('value'), '100');
  assert.equal((await page.locator('#stat-total-examples').textContent()).trim(), '60');
  assert.equal((await page.locator('#invalid-count').textContent()).trim(), '2');
  const invalidLines = await page.locator('#invalid-samples tr td:first-child').allTextContents();
  assert.deepEqual(invalidLines, ['61', '62']);
  assert.notEqual((await page.locator('#quality-score').textContent()).trim(), '–');
  await shot('dataset-stats');

  // recommendation for conversation on cloud
  await page.selectOption('#task-type', 'conversation');
  await page.selectOption('#deployment-target', 'cloud');
  await page.click('#get-recommendation');
  await page.locator('#primary-model .card').waitFor({ timeout: 30000 })
    .catch(async (e) => { await shot('recommendation-failed'); throw new Error(`recommendation: ${await page.locator('#recommend-msg').textContent()} (${e.message})`); });
  const primaryId = await page.locator('#primary-model .card').getAttribute('data-model-id');
  assert.ok(primaryId, 'the primary model has an id');
  assert.ok(await page.locator('#primary-model li').count() >= 1, 'the primary model lists its reasons');
  await shot('recommendation');

  // a preset training config is listed and can be picked
  await page.locator('#config-list tr[data-config-id]').first().waitFor({ timeout: 15000 });
  await page.locator('#config-list tr', { hasText: 'preset' }).first().locator('input[type=radio]').check();

  // create the job
  await page.click('#create-job');
  await page.locator('#job-id').waitFor({ timeout: 60000 })
    .catch(async (e) => { await shot('job-failed'); throw new Error(`job: ${await page.locator('#job-msg').textContent()} (${e.message})`); });
  const jobId = (await page.locator('#job-id').textContent()).trim();
  const secret = (await page.locator('#job-secret').textContent()).trim();
  assert.match(jobId, /^[0-9a-f-]{36}$/);
  assert.ok(secret.length >= 16, 'the job secret is shown');
  await shot('job-created');

  // download the notebook (GET /api/jobs/{id}/notebook -> 302 -> signed URL)
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), page.click('#download-notebook')]);
  const nbPath = join(OUT, 'notebook.ipynb');
  await download.saveAs(nbPath);
  const nb = JSON.parse(readFileSync(nbPath, 'utf8'));
  assert.equal(nb.nbformat, 4);
  assert.ok(Array.isArray(nb.cells) && nb.cells.length > 0);
  await shot('notebook-downloaded');

  // the job is in the list, and the page is watching its event stream
  await page.locator(`#job-list tr[data-job-id="${jobId}"]`).waitFor({ timeout: 15000 });
  await page.locator('#stream-state', { hasText: 'live' }).waitFor({ timeout: 15000 });

  // the notebook's progress reports (with the job's secret) reach the chart live
  const report = async (body) => {
    const res = await fetch(`${GATEWAY}/api/jobs/${jobId}/events`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Job-Secret': secret }, body: JSON.stringify(body),
    });
    assert.equal(res.status, 201, `event accepted: ${await res.text()}`);
  };
  await report({ type: 'progress', step: 10, total_steps: 30, epoch: 0.3, loss: 2.5, learning_rate: 0.0002 });
  await report({ type: 'progress', step: 20, total_steps: 30, epoch: 0.6, loss: 1.75, learning_rate: 0.0002 });
  await page.locator('#loss-chart[data-points="2"]').waitFor({ timeout: 15000 });
  assert.equal(await page.locator('#job-status').textContent(), 'processing');
  await shot('chart-two-points');
  await report({ type: 'progress', step: 30, total_steps: 30, epoch: 1, loss: 1.25 });
  await report({ type: 'completed', message: 'training finished' });
  await page.locator('#loss-chart[data-points="3"]').waitFor({ timeout: 15000 });
  await page.locator('#job-status', { hasText: 'completed' }).waitFor({ timeout: 15000 });
  assert.equal(await page.locator('#job-loss').textContent(), '1.2500');
  assert.equal(await page.locator('#job-step').textContent(), '30 / 30');
  assert.equal(await page.locator('#loss-chart polyline').count(), 1);
  await shot('chart-completed');

  await page.click('#reload-jobs');
  await page.locator(`#job-list tr[data-job-id="${jobId}"] .status`, { hasText: 'completed' }).waitFor({ timeout: 15000 });
  await shot('job-list');
  assert.deepEqual(problems, []);
});

/** The first verify link in the mail to `email` with a subject matching `subject` (GreenMail's HTTP API). */
/**
 * The text of a raw MIME message, each part decoded by its own Content-Transfer-Encoding. Only
 * quoted-printable parts are QP-decoded: a 7bit part carries the link literally, and decoding it as QP would
 * turn a token starting with "=8E..." into a stray byte (an intermittent otp_expired).
 */
function mimeText(mime) {
  const [head, ...rest] = mime.split(/\r?\n\r?\n/);
  const body = rest.join('\r\n\r\n');
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(head)?.[1];
  if (!boundary) return decodePart(head, body);
  return body.split(`--${boundary}`).map((part) => {
    const p = part.replace(/^\r?\n/, '');
    if (/content-type:\s*multipart\//i.test(p.split(/\r?\n\r?\n/)[0])) return mimeText(p);
    const [ph, ...pb] = p.split(/\r?\n\r?\n/);
    return decodePart(ph, pb.join('\r\n\r\n'));
  }).join('\n');
}

function decodePart(head, body) {
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  }
  return body;
}

async function mailLink(email, subject) {
  const deadline = Date.now() + 15000;
  for (;;) {
    const r = await fetch(`${process.env.MAIL_CATCHER_URL}api/user/${encodeURIComponent(email)}/messages/INBOX`);
    const mail = (r.ok ? await r.json() : []).find((m) => subject.test(m.subject ?? ''));
    if (mail) {
      const link = /(https?:\/\/[^\s"<>]+\/auth\/v1\/verify\?[^\s"<>]+)/.exec(mimeText(mail.mimeMessage))?.[1];
      if (link) return link.replace(/&amp;/g, '&');
    }
    if (Date.now() > deadline) throw new Error(`no "${subject}" mail for ${email}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

test('magic link from the local mail catcher signs the person in to the console', { skip: !process.env.MAIL_CATCHER_URL && 'MAIL_CATCHER_URL not set' }, async (t) => {
  const { page, shot, problems } = await newPage(t);
  await page.goto(`${GATEWAY}/console/`);
  await page.locator('#app').waitFor({ state: 'visible' });
  const email = `console-mail-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  await page.fill('#email', email);
  await page.fill('#password', 'console-test-password-1');
  await page.click('#sign-up');
  await page.locator('#session-status', { hasText: `signed in as ${email}` }).waitFor({ timeout: 20000 });
  await page.click('#sign-out');
  await page.locator('#session-status', { hasText: 'signed out' }).waitFor({ timeout: 20000 });

  await page.fill('#email', email);
  await page.click('#magic-link');
  await page.locator('#auth-msg', { hasText: 'Magic link sent' }).waitFor({ timeout: 20000 })
    .catch(async (e) => { await shot('magic-link-failed'); throw new Error(`magic link: ${await page.locator('#auth-msg').textContent()} (${e.message})`); });
  const link = await mailLink(email, /magic link/i);
  assert.ok(link.startsWith(`${GATEWAY}/auth/v1/verify?`), `the mail links to the gateway: ${link}`);
  // opening the link: auth-service verifies it and sends the browser back to /console/ with the session
  await page.goto(link);
  await page.locator('#session-status', { hasText: `signed in as ${email}` }).waitFor({ timeout: 20000 })
    .catch(async (e) => { await shot('after-link'); throw new Error(`after the link: ${page.url()} ${await page.locator('#session-status').textContent()} (${e.message})`); });
  assert.equal(new URL(page.url()).pathname, '/console/', 'the link came back to the console');
  await shot('signed-in-by-link');
  assert.deepEqual(problems, []);
});
