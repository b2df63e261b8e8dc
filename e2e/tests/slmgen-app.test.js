// Replays the SLMGEN web app's own requests (slmgenui/src/lib/api.ts, dashboard/history, the
// training-progress and preview components, auth-context's supabase-js calls) against the suite at
// `${GATEWAY}/slmgen`, in the app's order. Contract: /work/notes/slmgen-v1-contract.md (SPEC §15).
//
// Expected numbers for the fixture (slmgen/fixture.js), worked out by hand and cross-checked by
// running SLMGEN's own Python (core.ingest/quality/analyzer/recommender) on the same file:
// - tokens (§8.2, ⌊len/4⌋ per message): single-turn 9+11 = 20; with system 7+20 = 27; multi-turn
//   20+4+7 = 31. total = 50·20 + 4·27 + 2·31 + 4·20 = 1000+108+62+80 = 1250; avg ⌊1250/60⌋ = 20.
// - single-turn (exactly 2 non-system messages): 58 of 60 → (int)(96.67) = 96, multi 4.
// - quality: dupes 4/60 = 6.67 % → "A few duplicates: 6.7%" (0.05); 60 < 100 → small (0.2);
//   no empty/short replies; system 4 vs 56 → ratio 0.07 ≤ 0.3. score 1 − 0.25 = 0.75 → "👍 …".
// - avg_response_length ⌊(60·46 + 2·30)/62⌋ = ⌊45.48⌋ = 45; ASCII only → en, not multilingual.
// - preview token_count (SLMGEN: ⌊words·1.3⌋): 16 words → 20; +5 system words → 27; 26 words → 33.
// - distribution: roles user 60+2, assistant 60+2, system 4; lengths 60·38+2·19+60·46+2·30+4·28 =
//   5250 over 128 messages → 41.0; two examples with 2 user messages → 3.3 %.
// - duplicates: copies of example 0 at 56, 57 and of example 1 at 58, 59.
// - recommendation qa/cloud (§8.5): llama32 50+30+5 = 85 (first in registry), phi35 85, phi4 65, gemma2 65.
//   conversation/edge: gemma2 85, stablelm 75, llama32_1b 70, llama32 65.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { GATEWAY, ANON_KEY, SERVICE_KEY, client, newUser, api, jsonl } from './helpers.js';
import { datasetText, messagesOf } from '../slmgen/fixture.js';

const API_URL = `${GATEWAY}/slmgen`; // what NEXT_PUBLIC_API_URL is set to
const SESSION_404 = 'Session not found, expired, or access denied. Please upload again.';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const COLAB_PREFIX = 'https://colab.research.google.com/notebooks/empty.ipynb#fileId=';

const STATS = {
  total_examples: 60, total_tokens: 1250, avg_tokens_per_example: 20, single_turn_pct: 96,
  multi_turn_pct: 4, has_system_prompts: true, quality_score: 0.75,
  quality_issues: ['👍 Dataset is good, with some minor issues', 'A few duplicates: 6.7%',
    '⚠️ Small dataset - 100+ examples recommended'],
};
const CHARACTERISTICS = {
  is_multilingual: false, avg_response_length: 45, looks_like_json: false, is_multi_turn: false,
  has_system_prompts: true, dominant_language: 'en',
};
const REC_QA_CLOUD = {
  primary: {
    model_id: 'meta-llama/Llama-3.2-3B-Instruct', model_name: 'Llama 3.2 3B', size: '3B', score: 85,
    reasons: ['✅ Excellent for qa tasks', '✅ Great for cloud deployment', '💪 Q&A', '💪 Conversations'],
    context_window: 8192, is_gated: true,
  },
  alternatives: [
    { model_id: 'microsoft/Phi-3.5-mini-instruct', model_name: 'Phi-3.5 Mini', size: '3.8B', score: 85,
      reasons: ['✅ Excellent for qa tasks', '✅ Great for cloud deployment', '💪 128K context', '💪 Reasoning'],
      context_window: 128000, is_gated: false },
    { model_id: 'microsoft/Phi-4-mini-instruct', model_name: 'Phi-4 Mini', size: '3.8B', score: 65,
      reasons: ['✅ Excellent for qa tasks', '✅ Great for cloud deployment', '💪 Classification', '💪 Extraction'],
      context_window: 16384, is_gated: false },
    { model_id: 'google/gemma-2-2b-it', model_name: 'Gemma 2 2B', size: '2B', score: 65,
      reasons: ['✅ Excellent for qa tasks', '💪 Edge deployment', '💪 Small footprint'],
      context_window: 8192, is_gated: true },
  ],
};
const PRIMARY_CONVERSATION_EDGE = {
  model_id: 'google/gemma-2-2b-it', model_name: 'Gemma 2 2B', size: '2B', score: 85,
  reasons: ['✅ Excellent for conversation tasks', '✅ Great for edge deployment',
    '✅ Compact size perfect for edge devices', '💪 Edge deployment'],
  context_window: 8192, is_gated: true,
};
const STATUS_KEYS = ['session_id', 'job_id', 'model_id', 'status', 'total_steps', 'total_epochs', 'current_step',
  'current_epoch', 'progress_percent', 'latest_loss', 'eta_seconds', 'eta_formatted', 'created_at', 'started_at',
  'completed_at', 'error_message', 'event_count'];
const JOB_KEYS = ['id', 'user_id', 'session_id', 'dataset_filename', 'dataset_path', 'total_examples', 'total_tokens',
  'quality_score', 'task_type', 'deployment_target', 'selected_model_id', 'selected_model_name', 'model_score',
  'training_config', 'notebook_filename', 'notebook_path', 'colab_url', 'status', 'created_at', 'updated_at'];

// ---------------------------------------------------------------------------------------------
// HTTP as the app does it

/** One request to `${API_URL}${path}`; resolves to {route, status, headers, text, body}. */
async function call(route, path, init = {}) {
  let res;
  try {
    res = await fetch(`${API_URL}${path}`, init);
  } catch (e) {
    assert.fail(`${route}: the gateway at ${GATEWAY} is unreachable (${e.message})`);
  }
  const text = await res.text();
  let body;
  try { body = text ? JSON.parse(text) : undefined; } catch { body = undefined; }
  return { route, status: res.status, headers: res.headers, text, body };
}

const auth = (token) => (token ? { Authorization: `Bearer ${token}` } : {});
/** apiRequest() in api.ts: Accept JSON; JSON bodies with Content-Type; no token (unless an API client passes one). */
const appGet = (route, path, token) => call(route, path, { headers: { Accept: 'application/json', ...auth(token) } });
const appPost = (route, path, body, token, extra = {}) => call(route, path, {
  method: 'POST',
  headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...auth(token), ...extra },
  body: JSON.stringify(body),
});
/** uploadDataset(): FormData with the File under `file` (a browser File with no type). */
function appUpload(text, filename, token) {
  const form = new FormData();
  form.append('file', new Blob([text]), filename);
  return call('POST /slmgen/upload', '/upload', { method: 'POST', headers: { Accept: 'application/json', ...auth(token) }, body: form });
}
/** The notebook's calls: JSON with the job's secret. */
const notebookPost = (route, path, body, secret) =>
  call(route, path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(secret ? { 'X-Job-Secret': secret } : {}) }, body: JSON.stringify(body) });

function expectStatus(res, status) {
  if (res.status === status) return res;
  let hint = '';
  if (res.status === 404 && res.body?.detail === 'Not Found') hint = ' — route not served (missing in the gateway or in the owning service)';
  else if (res.status === 502 || res.status === 503) hint = ' — owning service down or not ready';
  assert.fail(`${res.route}: expected HTTP ${status}, got ${res.status}${hint}; body: ${res.text.slice(0, 400)}`);
}
function expectJson(res, status) {
  expectStatus(res, status);
  assert.ok(res.body !== undefined, `${res.route}: body is not JSON: ${res.text.slice(0, 200)}`);
  return res.body;
}
/** FastAPI's error shape; `detail` exact when given, else any non-empty value. */
function expectDetail(res, status, detail) {
  expectStatus(res, status);
  assert.ok(res.body && typeof res.body === 'object' && 'detail' in res.body, `${res.route}: expected {"detail": …}, got ${res.text.slice(0, 300)}`);
  if (detail === undefined) {
    assert.ok(typeof res.body.detail === 'string' ? res.body.detail.length > 0 : Array.isArray(res.body.detail),
      `${res.route}: detail must be a text or FastAPI's error list: ${res.text}`);
  } else if (detail instanceof RegExp) {
    assert.match(String(res.body.detail), detail, `${res.route}: detail`);
  } else {
    assert.equal(res.body.detail, detail, `${res.route}: detail`);
  }
}

/** Reads a server-sent-event stream to its end (or fails after ms); returns [{event, data}]. */
async function readSse(route, path, headers = {}, ms = 20000, base = API_URL) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), ms);
  try {
    const res = await fetch(`${base}${path}`, { headers: { Accept: 'text/event-stream', ...headers }, signal: ctl.signal });
    if (res.status !== 200) {
      const text = await res.text();
      assert.fail(`${route}: expected an event stream, got HTTP ${res.status}: ${text.slice(0, 300)}`);
    }
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/, `${route}: content-type`);
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body) text += decoder.decode(chunk, { stream: true });
    return parseSse(text);
  } catch (e) {
    if (e.name === 'AbortError') assert.fail(`${route}: the stream did not end within ${ms} ms`);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
function parseSse(text) {
  return text.split(/\r?\n\r?\n/).map((block) => {
    let event = 'message';
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    return data.length ? { event, data: data.join('\n') } : null;
  }).filter(Boolean);
}

function expectJobRow(job, route) {
  for (const k of JOB_KEYS) assert.ok(k in job, `${route}: job row lacks ${k}: ${JSON.stringify(job)}`);
}
function expectStatusShape(s, route) {
  for (const k of STATUS_KEYS) assert.ok(k in s, `${route}: status lacks ${k}: ${JSON.stringify(s)}`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// 1. The anonymous wizard, exactly as the app runs it (no token anywhere)

const anon = {};

test('anonymous upload: FormData `file`, no token → 200 {session_id, stats, message}', async () => {
  const body = expectJson(await appUpload(datasetText(), 'my-dataset.jsonl'), 200);
  assert.deepEqual(Object.keys(body).sort(), ['message', 'session_id', 'stats']);
  assert.match(body.session_id, UUID_RE);
  assert.deepEqual(body.stats, STATS);
  assert.equal(body.message, 'Dataset uploaded! Found 60 examples.');
  anon.sid = body.session_id;
});

test('anonymous analyze → stats and characteristics', async () => {
  assert.ok(anon.sid, 'needs the anonymous upload');
  const body = expectJson(await appPost('POST /slmgen/analyze', '/analyze', { session_id: anon.sid }), 200);
  assert.deepEqual(body, { session_id: anon.sid, stats: STATS, characteristics: CHARACTERISTICS });
});

test('anonymous preview, distribution and duplicates (the preview components, no token)', async () => {
  assert.ok(anon.sid, 'needs the anonymous upload');
  const first = expectJson(await appGet('GET /slmgen/preview/{sid}', `/preview/${anon.sid}?page=1&page_size=3`), 200);
  assert.deepEqual(first, {
    examples: [0, 1, 2].map((i) => ({ index: i, messages: messagesOf(i), token_count: 20 })),
    total_count: 60, page: 1, page_size: 3,
  });
  const later = expectJson(await appGet('GET /slmgen/preview/{sid}', `/preview/${anon.sid}?page=19&page_size=3`), 200);
  assert.deepEqual(later, {
    examples: [{ index: 54, messages: messagesOf(54), token_count: 33 }, { index: 55, messages: messagesOf(55), token_count: 33 },
      { index: 56, messages: messagesOf(56), token_count: 20 }],
    total_count: 60, page: 19, page_size: 3,
  });
  const sys = expectJson(await appGet('GET /slmgen/preview/{sid}', `/preview/${anon.sid}?page=18&page_size=3`), 200);
  assert.deepEqual(sys.examples.map((e) => [e.index, e.token_count, e.messages[0].role]), [[51, 27, 'system'], [52, 27, 'system'], [53, 27, 'system']]);
  const defaults = expectJson(await appGet('GET /slmgen/preview/{sid}', `/preview/${anon.sid}`), 200);
  assert.equal(defaults.page, 1);
  assert.equal(defaults.page_size, 5);
  assert.deepEqual(defaults.examples.map((e) => e.index), [0, 1, 2, 3, 4]);

  const dist = expectJson(await appGet('GET /slmgen/preview/{sid}/distribution', `/preview/${anon.sid}/distribution`), 200);
  assert.deepEqual(dist, {
    roles: { user: 62, assistant: 62, system: 4 }, avg_message_length: 41,
    token_distribution: { '0-100': 60, '100-500': 0, '500-1000': 0, '1000+': 0 },
    has_system_prompts: true, multi_turn_percentage: 3.3,
  });
  const dups = expectJson(await appGet('GET /slmgen/preview/{sid}/duplicates', `/preview/${anon.sid}/duplicates`), 200);
  assert.deepEqual(dups, { count: 4, examples: [56, 57, 58, 59] });
});

test('anonymous recommend (qa, cloud) → SLMGEN\'s ranking', async () => {
  assert.ok(anon.sid, 'needs the anonymous upload');
  const body = expectJson(await appPost('POST /slmgen/recommend', '/recommend', { session_id: anon.sid, task: 'qa', deployment: 'cloud' }), 200);
  assert.deepEqual(body, REC_QA_CLOUD);
});

test('anonymous generate-notebook with model_id null uses the remembered primary; download by plain link; public notebook', async () => {
  assert.ok(anon.sid, 'needs the anonymous upload');
  const gen = expectJson(await appPost('POST /slmgen/generate-notebook', '/generate-notebook', { session_id: anon.sid, model_id: null }), 200);
  assert.equal(gen.session_id, anon.sid);
  assert.match(gen.notebook_filename, new RegExp(`^finetune_llama_3[._]2_3b_${anon.sid.slice(0, 8)}\\.ipynb$`));
  assert.equal(gen.message, 'Notebook generated for Llama 3.2 3B!');
  assert.match(gen.download_url, new RegExp(`^/download/${anon.sid}\\?token=[^&\\s]+$`), 'download_url is relative to the API URL');
  if (gen.colab_url !== null) {
    assert.ok(gen.colab_url.startsWith(COLAB_PREFIX), `colab_url: ${gen.colab_url}`);
    assert.match(decodeURIComponent(gen.colab_url.slice(COLAB_PREFIX.length)), new RegExp(`^https?://[^/]+(/.*)?/slmgen/notebooks/${anon.sid}\\.ipynb$`));
  }
  assert.match(gen.job_id, UUID_RE, 'generate-notebook returns the job id (our addition)');
  assert.equal(typeof gen.job_secret, 'string', 'generate-notebook returns the job secret once (our addition)');
  assert.ok(gen.job_secret.length >= 16);
  Object.assign(anon, { jobId: gen.job_id, secret: gen.job_secret, gen });

  // the app renders <a href={API_URL + download_url} download>: a plain GET, no headers at all
  const dl = await fetch(`${API_URL}${gen.download_url}`);
  const dlText = await dl.text();
  assert.equal(dl.status, 200, `GET /slmgen/download/{sid}?token=: ${dlText.slice(0, 300)}`);
  assert.match(dl.headers.get('content-type') ?? '', /^application\/x-ipynb\+json/);
  assert.equal(dl.headers.get('content-disposition'), `attachment; filename="${gen.notebook_filename}"`);
  const nb = JSON.parse(dlText);
  assert.equal(nb.nbformat, 4);
  assert.ok(Array.isArray(nb.cells) && nb.cells.length > 0);
  assert.ok(dlText.includes('Llama-3.2-3B-Instruct'), 'the notebook loads the primary model');
  assert.ok(dlText.includes(gen.job_secret), 'the notebook carries its job secret for X-Job-Secret');

  const pub = await call('GET /slmgen/notebooks/{sid}.ipynb', `/notebooks/${anon.sid}.ipynb`);
  expectStatus(pub, 200);
  assert.match(pub.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(pub.headers.get('access-control-allow-origin'), '*');
  assert.equal(pub.text, dlText, 'the public route serves the same notebook');

  expectDetail(await call('GET /slmgen/download/{sid}?token=', `/download/${anon.sid}?token=not-the-token`), 403,
    'Invalid or expired download token. Please regenerate the notebook.');
  expectDetail(await call('GET /slmgen/download/{sid}', `/download/${anon.sid}`), 422);
  const otherSession = randomUUID();
  const token = new URL(gen.download_url, 'http://x').searchParams.get('token');
  expectDetail(await call('GET /slmgen/download/{sid}?token=', `/download/${otherSession}?token=${encodeURIComponent(token)}`), 403,
    'Invalid or expired download token. Please regenerate the notebook.');
  expectDetail(await call('GET /slmgen/notebooks/{sid}.ipynb', `/notebooks/${otherSession}.ipynb`), 404,
    'Notebook not found or session expired. Please generate a new notebook.');
});

test('anonymous training: start, webhook with X-Job-Secret, status/events/latest, /api events, live stream, complete', { timeout: 60000 }, async () => {
  assert.ok(anon.secret, 'needs generate-notebook');
  const sid = anon.sid;
  // a job without events reports pending (SLMGEN 404'd before /start: we differ, SPEC §15)
  const before = expectJson(await appGet('GET /slmgen/training/{sid}/status', `/training/${sid}/status`), 200);
  expectStatusShape(before, 'GET /slmgen/training/{sid}/status');
  assert.equal(before.status, 'pending');
  assert.equal(before.job_id, anon.jobId);
  assert.equal(before.current_step, 0);
  assert.equal(before.event_count, 0);
  assert.deepEqual(expectJson(await appGet('GET /slmgen/training/{sid}/events', `/training/${sid}/events`), 200), []);
  expectDetail(await appGet('GET /slmgen/training/{sid}/latest', `/training/${sid}/latest`), 404, 'No events found for session');

  const start = { session_id: sid, job_id: anon.jobId, model_id: 'meta-llama/Llama-3.2-3B-Instruct', total_steps: 30, total_epochs: 3 };
  expectDetail(await notebookPost('POST /slmgen/training/start', '/training/start', start), 401);
  expectDetail(await notebookPost('POST /slmgen/training/start', '/training/start', start, 'wrong-secret'), 401);
  assert.deepEqual(expectJson(await notebookPost('POST /slmgen/training/start', '/training/start', start, anon.secret), 200),
    { message: 'Training session started', session_id: sid, status: 'pending' });

  const ev10 = { session_id: sid, step: 10, loss: 1.25, epoch: 1, learning_rate: 0.0002 };
  expectDetail(await notebookPost('POST /slmgen/training/webhook', '/training/webhook', ev10), 401);
  expectDetail(await notebookPost('POST /slmgen/training/webhook', '/training/webhook', ev10, 'wrong-secret'), 401);
  const stillPending = expectJson(await appGet('GET /slmgen/training/{sid}/status', `/training/${sid}/status`), 200);
  assert.equal(stillPending.event_count, 0, 'a rejected webhook stores nothing');
  assert.equal(stillPending.status, 'pending');
  assert.equal(stillPending.total_steps, 30);
  assert.equal(stillPending.total_epochs, 3);

  assert.deepEqual(expectJson(await notebookPost('POST /slmgen/training/webhook', '/training/webhook', ev10, anon.secret), 200),
    { message: 'Event received', received: true });
  await sleep(50);
  const ev20 = { session_id: sid, step: 20, loss: 0.75, epoch: 2, learning_rate: 0.00015, grad_norm: 0.5, tokens_per_second: 1200.5, gpu_memory_used: 7.25 };
  assert.deepEqual(expectJson(await notebookPost('POST /slmgen/training/webhook', '/training/webhook', ev20, anon.secret), 200),
    { message: 'Event received', received: true });

  const running = expectJson(await appGet('GET /slmgen/training/{sid}/status', `/training/${sid}/status`), 200);
  expectStatusShape(running, 'GET /slmgen/training/{sid}/status');
  assert.equal(running.session_id, sid);
  assert.equal(running.job_id, anon.jobId);
  assert.equal(running.model_id, 'meta-llama/Llama-3.2-3B-Instruct');
  assert.equal(running.status, 'running');
  assert.equal(running.current_step, 20);
  assert.equal(running.current_epoch, 2);
  assert.equal(running.progress_percent, 66.67);
  assert.equal(running.latest_loss, 0.75);
  assert.equal(running.event_count, 2);
  assert.ok(!Number.isNaN(Date.parse(running.started_at)), 'started_at is set by the first event');
  assert.equal(running.completed_at, null);
  assert.ok(running.eta_seconds === null || typeof running.eta_seconds === 'number');

  const events = expectJson(await appGet('GET /slmgen/training/{sid}/events', `/training/${sid}/events`), 200);
  assert.equal(events.length, 2);
  assert.deepEqual(events.map(({ step, loss, epoch, learning_rate }) => ({ step, loss, epoch, learning_rate })),
    [{ step: 10, loss: 1.25, epoch: 1, learning_rate: 0.0002 }, { step: 20, loss: 0.75, epoch: 2, learning_rate: 0.00015 }]);
  assert.ok(events.every((e) => !Number.isNaN(Date.parse(e.timestamp))), 'timestamps are ISO-8601');
  assert.equal(events[0].grad_norm ?? null, null);
  assert.deepEqual([events[1].grad_norm, events[1].tokens_per_second, events[1].gpu_memory_used], [0.5, 1200.5, 7.25]);
  const since = expectJson(await appGet('GET /slmgen/training/{sid}/events?since_step=', `/training/${sid}/events?since_step=10`), 200);
  assert.deepEqual(since.map((e) => e.step), [20]);
  const latest = expectJson(await appGet('GET /slmgen/training/{sid}/latest', `/training/${sid}/latest`), 200);
  assert.equal(latest.step, 20);
  assert.equal(latest.loss, 0.75);

  // the same job's events through /api (SPEC §7) are the same data
  const apiEvent = await fetch(`${GATEWAY}/api/jobs/${anon.jobId}/events`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Job-Secret': anon.secret },
    body: JSON.stringify({ type: 'progress', step: 25, epoch: 2, loss: 0.5, learning_rate: 0.0001 }),
  });
  assert.equal(apiEvent.status, 201, `POST /api/jobs/{id}/events: ${await apiEvent.text()}`);
  const after = expectJson(await appGet('GET /slmgen/training/{sid}/events', `/training/${sid}/events?since_step=20`), 200);
  assert.deepEqual(after.map(({ step, loss, epoch, learning_rate }) => ({ step, loss, epoch, learning_rate })),
    [{ step: 25, loss: 0.5, epoch: 2, learning_rate: 0.0001 }]);

  // the progress view's EventSource: no headers; unnamed status events, then `complete`
  const streamed = readSse('GET /slmgen/training/{sid}/stream', `/training/${sid}/stream`);
  streamed.catch(() => {}); // awaited below; keeps an early failure from being an unhandled rejection
  await sleep(1500);
  assert.deepEqual(expectJson(await notebookPost('POST /slmgen/training/webhook', '/training/webhook',
    { session_id: sid, step: 30, loss: 0.4, epoch: 3, learning_rate: 0.00005 }, anon.secret), 200), { message: 'Event received', received: true });
  await sleep(1500);
  expectDetail(await notebookPost('POST /slmgen/training/complete', '/training/complete', { session_id: sid }), 401);
  assert.deepEqual(expectJson(await notebookPost('POST /slmgen/training/complete', '/training/complete', { session_id: sid }, anon.secret), 200),
    { message: 'Training marked as completed', session_id: sid });
  const sse = await streamed;
  const last = sse.at(-1);
  assert.equal(last?.event, 'complete', `the stream ends with a complete event: ${JSON.stringify(sse)}`);
  const final = JSON.parse(last.data);
  expectStatusShape(final, 'complete event');
  assert.equal(final.status, 'completed');
  assert.equal(final.current_step, 30);
  assert.equal(final.progress_percent, 100);
  const updates = sse.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data));
  assert.ok(updates.length >= 1, 'at least one unnamed status update before complete');
  updates.forEach((u) => expectStatusShape(u, 'unnamed stream event'));
  assert.ok(updates.some((u) => u.current_step === 30), 'the live webhook reached the stream');

  const done = expectJson(await appGet('GET /slmgen/training/{sid}/status', `/training/${sid}/status`), 200);
  assert.equal(done.status, 'completed');
  assert.equal(done.event_count, 4);
  assert.ok(!Number.isNaN(Date.parse(done.completed_at)));
  // an already-finished session's stream ends at once with `complete`
  const replay = await readSse('GET /slmgen/training/{sid}/stream', `/training/${sid}/stream`, {}, 10000);
  assert.equal(replay.at(-1)?.event, 'complete');
});

test('an anonymous session is not reachable with somebody\'s user token, and its job needs a token', async () => {
  assert.ok(anon.sid, 'needs the anonymous upload');
  const b = await newUser('e2e-slmgen-stranger');
  const tok = b.session.access_token;
  expectDetail(await appPost('POST /slmgen/analyze', '/analyze', { session_id: anon.sid }, tok), 404, SESSION_404);
  expectDetail(await appGet('GET /slmgen/preview/{sid}', `/preview/${anon.sid}`, tok), 404, 'Session not found');
  expectDetail(await appGet('GET /slmgen/training/{sid}/status', `/training/${anon.sid}/status`, tok), 404, 'Training session not found');
  expectDetail(await appGet('GET /slmgen/jobs/session/{sid}', `/jobs/session/${anon.sid}`), 401, 'Authentication required');
  expectDetail(await appGet('GET /slmgen/jobs/session/{sid}', `/jobs/session/${anon.sid}`, tok), 404, 'Job not found');
  expectDetail(await appGet('GET /slmgen/jobs/{id}', `/jobs/${anon.jobId}`, tok), 404, 'Job not found');
});

// ---------------------------------------------------------------------------------------------
// 2. A signed-in user (an API client sending the token; the history page's /jobs calls)

const mine = {};

test('signed-in wizard: the session is the user\'s; generate remembers the primary, regenerates in place', async () => {
  const a = await newUser('e2e-slmgen-owner');
  mine.a = a;
  mine.tok = a.session.access_token;
  const up = expectJson(await appUpload(datasetText(), 'support-chats.jsonl', mine.tok), 200);
  assert.deepEqual(up.stats, STATS);
  mine.sid = up.session_id;
  assert.notEqual(mine.sid, anon.sid);

  assert.deepEqual(expectJson(await appPost('POST /slmgen/analyze', '/analyze', { session_id: mine.sid }, mine.tok), 200),
    { session_id: mine.sid, stats: STATS, characteristics: CHARACTERISTICS });
  expectDetail(await appPost('POST /slmgen/generate-notebook', '/generate-notebook', { session_id: mine.sid, model_id: null }, mine.tok), 400,
    'No model selected. Please get a recommendation first.');

  const rec = expectJson(await appPost('POST /slmgen/recommend', '/recommend', { session_id: mine.sid, task: 'conversation', deployment: 'edge' }, mine.tok), 200);
  assert.deepEqual(rec.primary, PRIMARY_CONVERSATION_EDGE);
  assert.deepEqual(rec.alternatives.map((r) => [r.model_name, r.score]), [['StableLM Zephyr 3B', 75], ['Llama 3.2 1B', 70], ['Llama 3.2 3B', 65]]);

  const first = expectJson(await appPost('POST /slmgen/generate-notebook', '/generate-notebook', { session_id: mine.sid, model_id: null }, mine.tok), 200);
  assert.equal(first.message, 'Notebook generated for Gemma 2 2B!');
  assert.match(first.notebook_filename, new RegExp(`^finetune_gemma_2_2b_${mine.sid.slice(0, 8)}\\.ipynb$`));

  const listed = expectJson(await appGet('GET /slmgen/jobs', '/jobs', mine.tok), 200);
  assert.ok(Array.isArray(listed), 'GET /slmgen/jobs answers a JSON array');
  const job = listed.find((j) => j.session_id === mine.sid);
  assert.ok(job, 'generate-notebook created the session\'s job');
  expectJobRow(job, 'GET /slmgen/jobs');
  assert.equal(job.id, first.job_id);
  assert.equal(job.user_id, a.user.id);
  assert.equal(job.dataset_filename, 'support-chats.jsonl');
  assert.equal(job.total_examples, 60);
  assert.equal(job.total_tokens, 1250);
  assert.equal(job.quality_score, 0.75);
  assert.equal(job.task_type, 'conversation');
  assert.equal(job.deployment_target, 'edge');
  assert.equal(job.selected_model_name, 'Gemma 2 2B');
  assert.equal(job.model_score, 85);
  assert.equal(job.notebook_filename, first.notebook_filename);
  assert.equal(job.colab_url, first.colab_url);
  assert.equal(job.status, 'created');
  assert.equal(job.training_config.lora_rank, 16, 'no default config of the user: Balanced');
  assert.equal(job.training_config.learning_rate, 0.0002);
  assert.equal(job.training_config.num_epochs, 3);

  expectDetail(await appPost('POST /slmgen/generate-notebook', '/generate-notebook', { session_id: mine.sid, model_id: 'nobody/not-a-model' }, mine.tok), 400,
    /^Invalid model_id\./);
  const again = expectJson(await appPost('POST /slmgen/generate-notebook', '/generate-notebook',
    { session_id: mine.sid, model_id: 'meta-llama/Llama-3.2-1B-Instruct' }, mine.tok), 200);
  assert.equal(again.message, 'Notebook generated for Llama 3.2 1B!');
  assert.equal(again.job_id, first.job_id, 'generating again updates the session\'s one job');
  const relisted = expectJson(await appGet('GET /slmgen/jobs', '/jobs', mine.tok), 200);
  const same = relisted.filter((j) => j.session_id === mine.sid);
  assert.equal(same.length, 1);
  assert.equal(same[0].selected_model_name, 'Llama 3.2 1B');
  assert.equal(same[0].model_score, 70);
  assert.equal(same[0].notebook_filename, again.notebook_filename);
  mine.jobId = again.job_id;
  mine.secret = again.job_secret;

  // the download token alone authorizes, also for a user's session
  const dl = await fetch(`${API_URL}${again.download_url}`);
  const text = await dl.text();
  assert.equal(dl.status, 200, `GET /slmgen/download/{sid}?token=: ${text.slice(0, 300)}`);
  assert.ok(text.includes('Llama-3.2-1B-Instruct'));
});

test('isolation: no token or another user\'s token cannot reach a user\'s session, job or events', async () => {
  assert.ok(mine.jobId, 'needs the signed-in wizard');
  const b = await newUser('e2e-slmgen-other');
  mine.b = b;
  const tb = b.session.access_token;
  for (const tok of [undefined, tb]) {
    const who = tok ? 'another user' : 'no token';
    expectDetail(await appPost('POST /slmgen/analyze', '/analyze', { session_id: mine.sid }, tok), 404, SESSION_404);
    expectDetail(await appPost('POST /slmgen/recommend', '/recommend', { session_id: mine.sid, task: 'qa', deployment: 'cloud' }, tok), 404, SESSION_404);
    expectDetail(await appPost('POST /slmgen/generate-notebook', '/generate-notebook', { session_id: mine.sid, model_id: null }, tok), 404, SESSION_404);
    expectDetail(await appGet('GET /slmgen/preview/{sid}', `/preview/${mine.sid}`, tok), 404, 'Session not found');
    expectDetail(await appGet('GET /slmgen/preview/{sid}/distribution', `/preview/${mine.sid}/distribution`, tok), 404, 'Session not found');
    expectDetail(await appGet('GET /slmgen/preview/{sid}/duplicates', `/preview/${mine.sid}/duplicates`, tok), 404, 'Session not found');
    expectDetail(await appGet('GET /slmgen/training/{sid}/status', `/training/${mine.sid}/status`, tok), 404, 'Training session not found');
    expectDetail(await appGet('GET /slmgen/training/{sid}/events', `/training/${mine.sid}/events`, tok), 404, 'Training session not found');
    const list = expectJson(await appGet('GET /slmgen/training/', '/training/', tok), 200);
    assert.ok(Array.isArray(list) && !list.some((s) => s.session_id === mine.sid), `${who}: /training/ lists only the caller's sessions`);
  }
  expectDetail(await appGet('GET /slmgen/jobs', '/jobs'), 401, 'Authentication required');
  expectDetail(await appGet('GET /slmgen/jobs/{id}', `/jobs/${mine.jobId}`), 401, 'Authentication required');
  expectDetail(await appGet('GET /slmgen/jobs/{id}', `/jobs/${mine.jobId}`, tb), 404, 'Job not found');
  expectDetail(await appGet('GET /slmgen/jobs/session/{sid}', `/jobs/session/${mine.sid}`, tb), 404, 'Job not found');
  expectDetail(await call('PATCH /slmgen/jobs/{id}', `/jobs/${mine.jobId}`, {
    method: 'PATCH', headers: { 'Content-Type': 'application/json', ...auth(tb) }, body: JSON.stringify({ status: 'failed' }) }), 404, 'Job not found');
  expectDetail(await call('DELETE /slmgen/jobs/{id}', `/jobs/${mine.jobId}`, { method: 'DELETE', headers: auth(tb) }), 404, 'Job not found');
  assert.deepEqual(expectJson(await appGet('GET /slmgen/jobs', '/jobs', tb), 200), []);
  const stillThere = expectJson(await appGet('GET /slmgen/jobs/{id}', `/jobs/${mine.jobId}`, mine.tok), 200);
  assert.equal(stillThere.status, 'created');
});

test('jobs routes: POST, list newest first, GET, PATCH, by session, DELETE (the history page\'s calls)', async () => {
  assert.ok(mine.jobId, 'needs the signed-in wizard');
  const manualSession = `manual-${randomUUID()}`;
  const created = expectJson(await call('POST /slmgen/jobs', '/jobs', {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...auth(mine.tok) },
    body: JSON.stringify({
      session_id: manualSession, dataset_filename: 'manual.jsonl', dataset_path: `datasets/${mine.a.user.id}/manual.jsonl`,
      total_examples: 120, total_tokens: 4800, quality_score: 0.9, task_type: 'qa', deployment_target: 'cloud',
      selected_model_id: 'qwen25', selected_model_name: 'Qwen 2.5 3B', model_score: 72.5, training_config: { lora_rank: 8 },
    }),
  }), 201);
  expectJobRow(created, 'POST /slmgen/jobs');
  assert.equal(created.status, 'created');
  assert.equal(created.user_id, mine.a.user.id);
  assert.equal(created.session_id, manualSession);
  assert.equal(created.model_score, 72.5);
  assert.deepEqual(created.training_config, { lora_rank: 8 });
  assert.equal(created.notebook_filename, null);

  // what the history page sends: only the Authorization header
  const list = expectJson(await call('GET /slmgen/jobs', '/jobs', { headers: auth(mine.tok) }), 200);
  assert.deepEqual(list.map((j) => j.id), [created.id, mine.jobId], 'own jobs, newest first');
  list.forEach((j) => expectJobRow(j, 'GET /slmgen/jobs'));

  assert.deepEqual(expectJson(await appGet('GET /slmgen/jobs/{id}', `/jobs/${created.id}`, mine.tok), 200), created);
  const bySession = expectJson(await appGet('GET /slmgen/jobs/session/{sid}', `/jobs/session/${mine.sid}`, mine.tok), 200);
  assert.equal(bySession.id, mine.jobId);

  const patched = expectJson(await call('PATCH /slmgen/jobs/{id}', `/jobs/${created.id}`, {
    method: 'PATCH', headers: { 'Content-Type': 'application/json', ...auth(mine.tok) },
    body: JSON.stringify({ colab_url: 'https://colab.research.google.com/drive/abc', notebook_filename: 'manual.ipynb', status: null }),
  }), 200);
  assert.equal(patched.colab_url, 'https://colab.research.google.com/drive/abc');
  assert.equal(patched.notebook_filename, 'manual.ipynb');
  assert.equal(patched.status, 'created', 'null fields are ignored');
  assert.ok(Date.parse(patched.updated_at) >= Date.parse(created.updated_at));
  expectDetail(await call('PATCH /slmgen/jobs/{id}', `/jobs/${created.id}`, {
    method: 'PATCH', headers: { 'Content-Type': 'application/json', ...auth(mine.tok) }, body: JSON.stringify({}) }), 400, 'No update fields provided');

  const del = await call('DELETE /slmgen/jobs/{id}', `/jobs/${created.id}`, { method: 'DELETE', headers: auth(mine.tok) });
  expectStatus(del, 204);
  assert.equal(del.text, '');
  expectDetail(await appGet('GET /slmgen/jobs/{id}', `/jobs/${created.id}`, mine.tok), 404, 'Job not found');
  assert.deepEqual(expectJson(await appGet('GET /slmgen/jobs', '/jobs', mine.tok), 200).map((j) => j.id), [mine.jobId]);
});

test('signed-in training: the owner sees status, events and the stream; /api/jobs events show the same data', { timeout: 60000 }, async () => {
  assert.ok(mine.secret, 'needs the signed-in wizard');
  const sid = mine.sid;
  assert.deepEqual(expectJson(await notebookPost('POST /slmgen/training/start', '/training/start',
    { session_id: sid, job_id: mine.jobId, model_id: 'meta-llama/Llama-3.2-1B-Instruct', total_steps: 8, total_epochs: 1 }, mine.secret), 200),
  { message: 'Training session started', session_id: sid, status: 'pending' });
  for (const [step, loss] of [[2, 2.0], [4, 1.5], [6, 1.0]]) {
    assert.deepEqual(expectJson(await notebookPost('POST /slmgen/training/webhook', '/training/webhook',
      { session_id: sid, step, loss, epoch: 0, learning_rate: 0.0002 }, mine.secret), 200), { message: 'Event received', received: true });
  }
  const st = expectJson(await appGet('GET /slmgen/training/{sid}/status', `/training/${sid}/status`, mine.tok), 200);
  assert.equal(st.status, 'running');
  assert.equal(st.current_step, 6);
  assert.equal(st.progress_percent, 75);
  assert.equal(st.event_count, 3);
  const job = expectJson(await appGet('GET /slmgen/jobs/{id}', `/jobs/${mine.jobId}`, mine.tok), 200);
  assert.equal(job.status, 'processing', 'running is the job\'s processing');
  const mineList = expectJson(await appGet('GET /slmgen/training/', '/training/', mine.tok), 200);
  assert.ok(mineList.some((s) => s.session_id === sid && s.job_id === mine.jobId), 'the owner\'s /training/ lists the session');

  assert.deepEqual(expectJson(await notebookPost('POST /slmgen/training/complete', '/training/complete',
    { session_id: sid, error: 'CUDA out of memory' }, mine.secret), 200), { message: 'Training marked as failed', session_id: sid });
  const failed = expectJson(await appGet('GET /slmgen/training/{sid}/status', `/training/${sid}/status`, mine.tok), 200);
  assert.equal(failed.status, 'failed');
  assert.equal(failed.error_message, 'CUDA out of memory');
  assert.equal(expectJson(await appGet('GET /slmgen/jobs/{id}', `/jobs/${mine.jobId}`, mine.tok), 200).status, 'failed');

  const sse = await readSse('GET /slmgen/training/{sid}/stream', `/training/${sid}/stream`, auth(mine.tok), 10000);
  assert.equal(sse.at(-1)?.event, 'complete');
  assert.equal(JSON.parse(sse.at(-1).data).status, 'failed');

  // SPEC §7's stream of the same job (owner's token + apikey) carries what the webhook posted
  const apiSse = await readSse('GET /api/jobs/{id}/events', `/api/jobs/${mine.jobId}/events`,
    { apikey: ANON_KEY, ...auth(mine.tok) }, 10000, GATEWAY);
  const rows = apiSse.map((e) => JSON.parse(e.data));
  assert.deepEqual(rows.filter((r) => r.type === 'progress').map((r) => r.payload.step), [2, 4, 6]);
  assert.equal(rows.at(-1).type, 'failed');
});

// ---------------------------------------------------------------------------------------------
// 3. Error shapes

test('errors in SLMGEN\'s shape and statuses', async () => {
  expectDetail(await appUpload(jsonl(60), 'dataset.txt'), 400, 'Please upload a .jsonl file');
  expectDetail(await appUpload(jsonl(60), 'dataset.json'), 400, 'Please upload a .jsonl file');
  expectDetail(await appUpload(jsonl(49), 'small.jsonl'), 400,
    'Need at least 50 examples for fine-tuning. You only have 49. Maybe try adding more data?');
  assert.equal(expectJson(await appUpload(jsonl(50), 'UPPER.JSONL'), 200).stats.total_examples, 50, 'the extension is checked in any case');
  const noFile = new FormData();
  noFile.append('other', new Blob(['x']), 'x.jsonl');
  expectDetail(await call('POST /slmgen/upload', '/upload', { method: 'POST', body: noFile }), 422);

  const unknown = randomUUID();
  expectDetail(await appPost('POST /slmgen/analyze', '/analyze', { session_id: unknown }), 404, SESSION_404);
  expectDetail(await appPost('POST /slmgen/analyze', '/analyze', {}), 422);
  expectDetail(await appPost('POST /slmgen/recommend', '/recommend', { session_id: unknown, task: 'qa', deployment: 'cloud' }), 404, SESSION_404);
  expectDetail(await appPost('POST /slmgen/recommend', '/recommend', { session_id: anon.sid ?? unknown, task: 'poetry', deployment: 'cloud' }), 422);
  expectDetail(await appPost('POST /slmgen/recommend', '/recommend', { session_id: anon.sid ?? unknown, task: 'qa', deployment: 'moon' }), 422);
  expectDetail(await appPost('POST /slmgen/generate-notebook', '/generate-notebook', { session_id: unknown, model_id: null }), 404, SESSION_404);
  expectDetail(await call('GET /slmgen/download/{sid}?token=', `/download/${unknown}?token=whatever`), 403,
    'Invalid or expired download token. Please regenerate the notebook.');
  expectDetail(await appGet('GET /slmgen/preview/{sid}', `/preview/${unknown}`), 404, 'Session not found');
  expectDetail(await appGet('GET /slmgen/training/{sid}/status', `/training/${unknown}/status`), 404, 'Training session not found');
  expectDetail(await appGet('GET /slmgen/training/{sid}/stream', `/training/${unknown}/stream`), 404, 'Training session not found');
  expectDetail(await notebookPost('POST /slmgen/training/webhook', '/training/webhook',
    { session_id: unknown, step: 1, loss: 1.0 }, 'some-secret'), 401);

  // a present but invalid token is 401 on every /slmgen route (SLMGEN fell back to anonymous: we differ)
  const u = await newUser('e2e-slmgen-badtoken');
  const [h, p] = u.session.access_token.split('.');
  const forged = `${h}.${p}.${'A'.repeat(43)}`;
  expectDetail(await appUpload(datasetText(), 'x.jsonl', forged), 401);
  expectDetail(await appPost('POST /slmgen/analyze', '/analyze', { session_id: anon.sid ?? unknown }, forged), 401);
  expectDetail(await appGet('GET /slmgen/jobs', '/jobs', forged), 401);
  expectDetail(await appGet('GET /slmgen/training/{sid}/status', `/training/${anon.sid ?? unknown}/status`, forged), 401);
  expectDetail(await appGet('GET /slmgen/preview/{sid}', `/preview/${anon.sid ?? unknown}`, 'not-a-jwt'), 401);

  const health = expectJson(await appGet('GET /slmgen/health', '/health'), 200);
  assert.deepEqual(health, { status: 'healthy' });
});

// ---------------------------------------------------------------------------------------------
// 4. What auth-context.tsx does through supabase-js, and anonymous sign-in (SPEC §4.1)

test('supabase-js: anonymous sign-in gives an is_anonymous user whose token owns its /slmgen session', async () => {
  const supabase = client();
  const { data, error } = await supabase.auth.signInAnonymously();
  assert.equal(error, null, JSON.stringify(error));
  assert.ok(data.session?.access_token, 'a session');
  assert.equal(data.user.is_anonymous, true);
  const claims = JSON.parse(Buffer.from(data.session.access_token.split('.')[1], 'base64url').toString());
  assert.equal(claims.is_anonymous, true);
  assert.equal(claims.role, 'authenticated');

  const up = expectJson(await appUpload(datasetText(), 'anon-token.jsonl', data.session.access_token), 200);
  const other = await newUser('e2e-slmgen-anon-probe');
  expectDetail(await appPost('POST /slmgen/analyze', '/analyze', { session_id: up.session_id }, other.session.access_token), 404, SESSION_404);
  assert.deepEqual(expectJson(await appPost('POST /slmgen/analyze', '/analyze', { session_id: up.session_id }, data.session.access_token), 200).stats, STATS);
});

test('supabase-js profile flows of auth-context: select single, 406 PGRST116, insert own, update settings', async () => {
  const u = await newUser('e2e-slmgen-profile');
  const uid = u.user.id;
  const got = await u.supabase.from('profiles').select('*').eq('id', uid).single();
  assert.equal(got.error, null, JSON.stringify(got.error));
  assert.equal(got.data.id, uid);
  assert.equal(got.data.email, u.email);
  assert.equal(got.data.full_name, 'e2e-slmgen-profile');
  assert.equal(got.data.bio, null);
  assert.equal(got.data.notifications_enabled, true);
  assert.equal(got.data.theme, 'dark');

  // updateProfile(): full_name, avatar_url, updated_at
  const stamp = new Date().toISOString();
  const upd = await u.supabase.from('profiles')
    .update({ full_name: 'Ada Lovelace', avatar_url: 'https://example.test/a.png', updated_at: stamp }).eq('id', uid);
  assert.equal(upd.error, null, JSON.stringify(upd.error));
  assert.equal(upd.status, 204);
  const settings = await u.supabase.from('profiles')
    .update({ bio: 'Fine-tunes small models.', theme: 'light', notifications_enabled: false }).eq('id', uid).select().single();
  assert.equal(settings.error, null, JSON.stringify(settings.error));
  assert.equal(settings.data.full_name, 'Ada Lovelace');
  assert.equal(settings.data.avatar_url, 'https://example.test/a.png');
  assert.equal(Date.parse(settings.data.updated_at), Date.parse(stamp));
  assert.deepEqual([settings.data.bio, settings.data.theme, settings.data.notifications_enabled], ['Fine-tunes small models.', 'light', false]);

  // the profile goes missing (service role removes it): .single() → 406 PGRST116, then the app inserts its own
  const removed = await client(SERVICE_KEY).from('profiles').delete().eq('id', uid);
  assert.equal(removed.error, null, JSON.stringify(removed.error));
  const missing = await u.supabase.from('profiles').select('*').eq('id', uid).single();
  assert.equal(missing.status, 406);
  assert.equal(missing.error?.code, 'PGRST116');
  const { data: { user } } = await u.supabase.auth.getUser();
  assert.equal(user.id, uid);
  const inserted = await u.supabase.from('profiles').insert({
    id: uid, email: user.email || '', full_name: user.user_metadata?.full_name || user.user_metadata?.name || '',
    avatar_url: user.user_metadata?.avatar_url || user.user_metadata?.picture || '',
  }).select().single();
  assert.equal(inserted.error, null, JSON.stringify(inserted.error));
  assert.equal(inserted.status, 201);
  assert.deepEqual([inserted.data.id, inserted.data.email, inserted.data.full_name, inserted.data.avatar_url], [uid, u.email, 'e2e-slmgen-profile', '']);
  assert.deepEqual([inserted.data.bio, inserted.data.theme, inserted.data.notifications_enabled], [null, 'dark', true]);

  const forged = await u.supabase.from('profiles').insert({ id: randomUUID(), email: 'x@example.test' });
  assert.equal(forged.status, 403);
  assert.equal(forged.error?.code, '42501');
  const notMine = await api(u.session, `/rest/v1/profiles?id=eq.${mine.b?.user.id ?? randomUUID()}&select=id`);
  assert.equal(notMine.status, 200);
  assert.deepEqual(await notMine.json(), [], 'another user\'s profile is invisible');
});
