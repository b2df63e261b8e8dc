import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, jsonl, newUser, GATEWAY } from './helpers.js';

/** Reads server-sent events from a fetch() response until `until(events)` is true. */
async function readEvents(response, until, timeoutMs = 15000) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const events = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  while (!until(events)) {
    if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(events)}`);
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = { event: 'message', data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event.event = line.slice(6).trim();
        else if (line.startsWith('data:')) event.data += line.slice(5).trim();
        else if (line.startsWith('id:')) event.id = line.slice(3).trim();
      }
      if (event.data) events.push(event);
    }
  }
  await reader.cancel().catch(() => {});
  return events;
}

test('the SLMGEN flow through /api: dataset → recommendation → job → notebook → live progress', async () => {
  const a = await newUser('e2e-flow-a');
  const b = await newUser('e2e-flow-b');

  // 120 single-turn examples: 120 × (user + assistant) messages
  const form = new FormData();
  form.append('file', new Blob([jsonl(120)], { type: 'application/x-ndjson' }), 'arith.jsonl');
  const upload = await api(a.session, '/api/datasets', { method: 'POST', body: form });
  assert.equal(upload.status, 201, await upload.clone().text());
  const dataset = await upload.json();
  assert.equal(dataset.total_examples, 120);
  assert.equal(dataset.single_turn_pct, 100);
  assert.equal(dataset.invalid_lines, 0);
  assert.ok(dataset.session_id);

  const rec = await api(a.session, '/api/recommendations', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ dataset_id: dataset.id, task_type: 'qa', deployment_target: 'cloud' }),
  });
  assert.equal(rec.status, 200, await rec.clone().text());
  const recommendation = await rec.json();
  // 120 examples: llama32 50+30+(10+0)=90 and phi35 90; llama32 first by registry order
  assert.equal(recommendation.primary.model_id, 'llama32');
  assert.equal(recommendation.primary.score, 90);
  assert.equal(recommendation.alternatives.length, 3);

  const created = await api(a.session, '/api/jobs', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ dataset_id: dataset.id, task_type: 'qa', deployment_target: 'cloud', overrides: { num_epochs: 2 } }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const job = await created.json();
  assert.equal(job.id, dataset.job_id, 'the job takes the id the upload allocated');
  assert.equal(job.status, 'created');
  assert.equal(job.selected_model_id, 'llama32');
  assert.equal(job.training_config.num_epochs, 2);
  assert.equal(job.training_config.lora_rank, 16, 'Balanced preset by default');

  // the notebook, through the signed URL with no credentials at all
  const notebook = await fetch(job.notebook_url);
  assert.equal(notebook.status, 200);
  const nb = await notebook.json();
  assert.equal(nb.nbformat, 4);
  const source = nb.cells.map((c) => [].concat(c.source).join('')).join('\n');
  assert.match(source, /NUM_EPOCHS = 2\n/);
  assert.match(source, /num_train_epochs\s*=\s*NUM_EPOCHS/);
  assert.match(source, /Llama-3\.2-3B-Instruct/);

  // the dataset row is linked to its job now, and user B sees neither
  const linked = await a.supabase.from('datasets').select('job_id').eq('id', dataset.id).single();
  assert.equal(linked.data.job_id, job.id);
  assert.deepEqual((await b.supabase.from('jobs').select('id')).data, []);
  assert.deepEqual((await b.supabase.from('datasets').select('id')).data, []);
  assert.equal((await api(b.session, `/api/jobs/${job.id}`)).status, 404);

  // live progress: subscribe, then report as the notebook does (X-Job-Secret, no user token)
  const stream = await api(a.session, `/api/jobs/${job.id}/events`, { headers: { Accept: 'text/event-stream' } });
  assert.equal(stream.status, 200);
  const events = readEvents(stream, (evs) => evs.some((e) => e.event === 'completed'));
  const post = (body, secret = job.job_secret) => fetch(`${GATEWAY}/api/jobs/${job.id}/events`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Job-Secret': secret }, body: JSON.stringify(body),
  });
  assert.equal((await post({ type: 'progress', step: 1, loss: 1.5 }, 'wrong-secret')).status, 401);
  assert.equal((await post({ type: 'progress', step: 1, epoch: 0.5, loss: 1.25, learning_rate: 0.0002 })).status, 201);
  assert.equal((await api(a.session, `/api/jobs/${job.id}`).then((r) => r.json())).status, 'processing');
  assert.equal((await post({ type: 'completed', step: 2, loss: 0.75 })).status, 201);
  const received = await events;
  assert.deepEqual(received.map((e) => e.event), ['progress', 'completed']);
  assert.equal(JSON.parse(received[0].data).payload.loss, 1.25);
  assert.equal((await api(a.session, `/api/jobs/${job.id}`).then((r) => r.json())).status, 'completed');

  // deleting the job removes it and unlinks the dataset (ON DELETE SET NULL)
  assert.equal((await api(a.session, `/api/jobs/${job.id}`, { method: 'DELETE' })).status, 204);
  const unlinked = await a.supabase.from('datasets').select('job_id').eq('id', dataset.id).single();
  assert.equal(unlinked.data.job_id, null);
});
