// Replica mode (SPEC §11, §14): job events stored through one jobs-service replica reach server-sent-event
// clients of the other, in order and without loss, and a reconnect to either replica replays from
// job_events by Last-Event-ID. Runs when the suite was started with SLMGEN_REPLICAS=2: JOBS_REPLICA_URLS
// names the two jobs-service instances ("http://127.0.0.1:8084 http://127.0.0.1:8094"; test-all.sh sets it).
// The clients talk to each replica directly, never through the gateway, so no balancing can hide a miss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ANON_KEY, api, jsonl, newUser, GATEWAY } from './helpers.js';

const REPLICAS = (process.env.JOBS_REPLICA_URLS ?? '').split(/\s+/).filter(Boolean);
const skip = REPLICAS.length < 2 ? 'needs JOBS_REPLICA_URLS with two jobs-service replicas (SLMGEN_REPLICAS=2)' : false;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** An SSE client on one URL: collects {event, id, data} until stop(), or until `until(events)`. */
function subscribe(url, headers = {}) {
  const ctl = new AbortController();
  const events = [];
  let opened;
  const open = new Promise((r) => { opened = r; });
  const done = (async () => {
    const res = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: ctl.signal });
    opened(res.status);
    if (res.status !== 200) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut;
        while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
          const ev = { event: 'message', data: '' };
          for (const line of block.split(/\r?\n/)) {
            if (line.startsWith('event:')) ev.event = line.slice(6).trim();
            else if (line.startsWith('data:')) ev.data += line.slice(5).replace(/^ /, '');
            else if (line.startsWith('id:')) ev.id = line.slice(3).trim();
          }
          if (ev.data) events.push(ev);
        }
      }
    } catch (e) {
      if (e.name !== 'AbortError') throw e;
    }
  })();
  done.catch(() => {});
  return {
    events, open,
    async until(pred, ms, what) {
      const deadline = Date.now() + ms;
      while (!pred(events)) {
        if (Date.now() > deadline) assert.fail(`${what}: timed out after ${ms} ms with ${events.length} events: ${JSON.stringify(events.map((e) => e.event + '#' + e.id))}`);
        await sleep(50);
      }
    },
    stop() { ctl.abort(); return done.catch(() => {}); },
  };
}

async function jobWithSecret(prefix) {
  const a = await newUser(prefix);
  const form = new FormData();
  form.append('file', new Blob([jsonl(60)], { type: 'application/x-ndjson' }), 'replicas.jsonl');
  const up = await api(a.session, '/api/datasets', { method: 'POST', body: form });
  assert.equal(up.status, 201, await up.clone().text());
  const dataset = await up.json();
  const created = await api(a.session, '/api/jobs', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ dataset_id: dataset.id, task_type: 'qa', deployment_target: 'cloud' }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  return { a, job: await created.json() };
}

test('job events posted through one replica reach an SSE client of the other, in order; Last-Event-ID replays on either', { skip, timeout: 90000 }, async () => {
  const [A, B] = REPLICAS;
  const { a, job } = await jobWithSecret('e2e-replicas');
  const auth = { apikey: ANON_KEY, Authorization: `Bearer ${a.session.access_token}` };
  const onA = subscribe(`${A}/api/jobs/${job.id}/events`, auth);
  const onB = subscribe(`${B}/api/jobs/${job.id}/events`, auth);
  assert.equal(await onA.open, 200, 'stream on replica A');
  assert.equal(await onB.open, 200, 'stream on replica B');
  await sleep(500); // both subscriptions are live before the first event

  // 30 progress events, alternating replicas (B, A, B, ...), each one answered before the next is sent
  const N = 30;
  for (let step = 1; step <= N; step++) {
    const target = step % 2 ? B : A;
    const res = await fetch(`${target}/api/jobs/${job.id}/events`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Job-Secret': job.job_secret },
      body: JSON.stringify({ type: 'progress', step, loss: 2 - step / 100 }),
    });
    assert.equal(res.status, 201, `event ${step} through ${target}: ${await res.text()}`);
  }
  const done = await fetch(`${B}/api/jobs/${job.id}/events`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Job-Secret': job.job_secret },
    body: JSON.stringify({ type: 'completed', step: N + 1, loss: 1.5 }),
  });
  assert.equal(done.status, 201);
  const complete = (evs) => evs.some((e) => e.event === 'completed');
  await onA.until(complete, 20000, 'replica A');
  await onB.until(complete, 20000, 'replica B');
  await Promise.all([onA.stop(), onB.stop()]);
  const steps = (evs) => evs.filter((e) => e.event === 'progress').map((e) => JSON.parse(e.data).payload.step);
  const expected = Array.from({ length: N }, (_, i) => i + 1);
  assert.deepEqual(steps(onA.events), expected, 'replica A got every event, in order (half of them were stored by B)');
  assert.deepEqual(steps(onB.events), expected, 'replica B got every event, in order');
  assert.deepEqual(onA.events.map((e) => e.id), onB.events.map((e) => e.id), 'both replicas number the events alike');

  // reconnect with Last-Event-ID = the 12th event, once on each replica: the rest is replayed from job_events
  const last = onA.events[11].id;
  for (const url of [A, B]) {
    const again = subscribe(`${url}/api/jobs/${job.id}/events`, { ...auth, 'Last-Event-ID': last });
    assert.equal(await again.open, 200);
    await again.until(complete, 15000, `replay on ${url}`);
    await again.stop();
    assert.deepEqual(steps(again.events), expected.slice(12), `replay after event 12 on ${url}`);
  }
});

test('/slmgen/training/{sid}/stream on one replica receives webhooks posted through the other', { skip, timeout: 90000 }, async () => {
  const [A, B] = REPLICAS;
  const form = new FormData();
  form.append('file', new Blob([jsonl(60)]), 'replicas.jsonl');
  const up = await fetch(`${GATEWAY}/slmgen/upload`, { method: 'POST', headers: { Accept: 'application/json' }, body: form });
  assert.equal(up.status, 200, await up.clone().text());
  const sid = (await up.json()).session_id;
  const post = (base, path, body, secret) => fetch(`${base}${path}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...(secret ? { 'X-Job-Secret': secret } : {}) }, body: JSON.stringify(body),
  });
  assert.equal((await post(GATEWAY, '/slmgen/recommend', { session_id: sid, task: 'qa', deployment: 'cloud' })).status, 200);
  const gen = await post(GATEWAY, '/slmgen/generate-notebook', { session_id: sid, model_id: null });
  assert.equal(gen.status, 200, await gen.clone().text());
  const { job_secret: secret } = await gen.json();
  assert.equal((await post(B, '/slmgen/training/start', { session_id: sid, total_steps: 20, total_epochs: 2 }, secret)).status, 200);

  const stream = subscribe(`${A}/slmgen/training/${sid}/stream`);
  assert.equal(await stream.open, 200, 'stream on replica A');
  await sleep(500);
  for (const step of [5, 10, 15]) {
    const res = await post(B, '/slmgen/training/webhook', { session_id: sid, step, loss: 1 - step / 100, epoch: 1 }, secret);
    assert.equal(res.status, 200, `webhook ${step} through replica B`);
    await stream.until((evs) => evs.some((e) => e.event === 'message' && JSON.parse(e.data).current_step === step), 15000,
      `status with step ${step} on replica A`);
  }
  assert.equal((await post(B, '/slmgen/training/complete', { session_id: sid }, secret)).status, 200);
  await stream.until((evs) => evs.some((e) => e.event === 'complete'), 15000, 'complete on replica A');
  await stream.stop();
  const final = JSON.parse(stream.events.at(-1).data);
  assert.equal(final.status, 'completed');
  assert.equal(final.current_step, 15);
});
