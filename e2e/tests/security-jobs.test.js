// Hostile probes of jobs-service through the gateway, with the official client as a frontend (or an
// attacker holding a normal account) would use it: client-written rows must not decide what the
// service loads, reads or deletes (SPEC §14), a job reads the same status on every door, and the
// public notebook's dataset link is short-lived (docs/jobs.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, jsonl, newUser, GATEWAY } from './helpers.js';

/** jobs-service's embed limit (JOBS_EMBED_DATASET_MAX_BYTES, 1 MiB unless the suite was started otherwise). */
const EMBED_MAX = Number(process.env.JOBS_EMBED_DATASET_MAX_BYTES ?? 1048576);

/** Stores `text` in the user's own datasets folder with supabase-js; its object path. */
async function putDataset(user, text, path = `${user.user.id}/${randomUUID()}/chats.jsonl`) {
  const { error } = await user.supabase.storage.from('datasets')
    .upload(path, new Blob([text], { type: 'application/x-ndjson' }), { contentType: 'application/x-ndjson' });
  assert.equal(error, null, `upload: ${JSON.stringify(error)}`);
  return path;
}

/** The seed's own way of recording a dataset: a postgrest-js insert with the seed's columns only. */
async function insertDatasetRow(user, path, fileSize) {
  const { data, error } = await user.supabase.from('datasets').insert({
    user_id: user.user.id, filename: 'chats.jsonl', storage_path: path, file_size: fileSize,
    total_examples: 120, total_tokens: 4800, avg_tokens_per_example: 40, quality_score: 0.9,
    single_turn_pct: 100, multi_turn_pct: 0, has_system_prompts: false, quality_issues: [],
    is_multilingual: false, looks_like_json: false, is_multi_turn: false,
  }).select().single();
  assert.equal(error, null, `insert: ${JSON.stringify(error)}`);
  return data;
}

function createJob(user, datasetId) {
  return api(user.session, '/api/jobs', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ dataset_id: datasetId, task_type: 'qa', deployment_target: 'cloud' }),
  });
}

async function notebookSource(url) {
  const r = await fetch(url);
  assert.equal(r.status, 200, `notebook ${url}: ${r.status}`);
  const nb = await r.json();
  assert.equal(nb.nbformat, 4);
  return nb.cells.map((c) => [].concat(c.source).join('')).join('\n');
}

/** The quoted Python string assigned to `name` in the notebook's source. */
function pyString(source, name) {
  const m = source.match(new RegExp(`^${name} = "((?:[^"\\\\]|\\\\.)*)"$`, 'm'));
  return m ? JSON.parse(`"${m[1]}"`) : null;
}

test('a dataset row claiming a 1-byte file for a large object: the job links it by its real size, never loads it', { timeout: 120000 }, async () => {
  const a = await newUser('sec-jobs-tiny');
  const text = jsonl(Math.ceil((EMBED_MAX * 1.5) / 90));
  assert.ok(Buffer.byteLength(text) > EMBED_MAX);
  const path = await putDataset(a, text);
  const row = await insertDatasetRow(a, path, 1);

  const created = await createJob(a, row.id);
  assert.equal(created.status, 201, await created.clone().text());
  const job = await created.json();
  assert.equal(job.status, 'created');

  const source = await notebookSource(job.notebook_url);
  assert.equal(pyString(source, 'DATASET_B64'), null, 'a large object is not embedded');
  const link = pyString(source, 'DATASET_URL');
  assert.ok(link, 'the notebook links the dataset');
  // the link serves the real object, and lives a day (not a week)
  const got = await fetch(link);
  assert.equal(got.status, 200);
  assert.equal(await got.text(), text);
  const token = new URL(link).searchParams.get('token');
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
  assert.ok(claims.exp - claims.iat <= 86400 && claims.exp - claims.iat > 86000, JSON.stringify(claims));

  // the public route Colab opens carries the same 24 h link
  if (job.colab_url) {
    const pub = await notebookSource(`${GATEWAY}/slmgen/notebooks/${job.session_id}.ipynb`);
    const pubLink = new URL(pyString(pub, 'DATASET_URL'));
    const pubClaims = JSON.parse(Buffer.from(pubLink.searchParams.get('token').split('.')[1], 'base64url').toString());
    assert.ok(pubClaims.exp - pubClaims.iat <= 86400, JSON.stringify(pubClaims));
  }
});

test('a dataset row claiming a huge file for a small object: embedded by its real size', { timeout: 60000 }, async () => {
  const a = await newUser('sec-jobs-huge');
  const text = jsonl(60);
  // the seed's rows may name a file right in the user's folder
  const path = await putDataset(a, text, `${a.user.id}/chats-${randomUUID()}.jsonl`);
  const row = await insertDatasetRow(a, path, 2_000_000_000);
  const created = await createJob(a, row.id);
  assert.equal(created.status, 201, await created.clone().text());
  const source = await notebookSource((await created.json()).notebook_url);
  const b64 = pyString(source, 'DATASET_B64');
  assert.ok(b64, 'a small object is embedded');
  assert.equal(Buffer.from(b64, 'base64').toString(), text);
  assert.equal(pyString(source, 'DATASET_URL'), null);
});

test("another user's dataset cannot become a job: neither by naming their object nor by their dataset's id", { timeout: 60000 }, async () => {
  const a = await newUser('sec-jobs-thief');
  const victim = await newUser('sec-jobs-victim');
  const theirs = await putDataset(victim, jsonl(60));
  // a row naming the victim's object is refused when it is written (datasets' rule); jobs-service
  // checks the path again before it asks storage anything (JobsResourceTest)
  const { error } = await a.supabase.from('datasets').insert({
    user_id: a.user.id, filename: 'chats.jsonl', storage_path: theirs, file_size: 100,
  }).select().single();
  assert.equal(error?.code, '23514', JSON.stringify(error));
  // the victim's own row is invisible to the thief: no job from it
  const victimRow = await insertDatasetRow(victim, theirs, 100);
  const refused = await createJob(a, victimRow.id);
  assert.equal(refused.status, 404, await refused.clone().text());
  const { data } = await a.supabase.from('jobs').select('id');
  assert.deepEqual(data, [], 'no job was made');
  assert.deepEqual((await victim.supabase.from('jobs').select('id')).data, []);
});

test('a job with a ready notebook reads "created" on /api, /rest/v1 and /slmgen/jobs until the notebook reports', { timeout: 60000 }, async () => {
  const a = await newUser('sec-jobs-status');
  const row = await insertDatasetRow(a, await putDataset(a, jsonl(60)), 100);
  const created = await createJob(a, row.id);
  assert.equal(created.status, 201, await created.clone().text());
  const job = await created.json();
  assert.ok(job.notebook_filename && job.notebook_path, 'the notebook is ready');

  const statuses = async () => {
    const slmgen = await (await fetch(`${GATEWAY}/slmgen/jobs`, { headers: { Authorization: `Bearer ${a.session.access_token}` } })).json();
    return [
      (await api(a.session, `/api/jobs/${job.id}`).then((r) => r.json())).status,
      (await a.supabase.from('jobs').select('status').eq('id', job.id).single()).data.status,
      slmgen.find((j) => j.id === job.id)?.status,
    ];
  };
  assert.deepEqual(await statuses(), ['created', 'created', 'created']);
  const pending = await fetch(`${GATEWAY}/slmgen/training/${job.session_id}/status`, { headers: { Authorization: `Bearer ${a.session.access_token}` } });
  assert.equal((await pending.json()).status, 'pending');

  // the notebook's first report moves it, for every reader
  const report = await fetch(`${GATEWAY}/api/jobs/${job.id}/events`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Job-Secret': job.job_secret },
    body: JSON.stringify({ type: 'progress', step: 1, loss: 1.0 }),
  });
  assert.equal(report.status, 201);
  assert.deepEqual(await statuses(), ['processing', 'processing', 'processing']);
  // /slmgen/jobs keeps the machine (SPEC §7)
  const back = await fetch(`${GATEWAY}/slmgen/jobs/${job.id}`, {
    method: 'PATCH', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${a.session.access_token}` },
    body: JSON.stringify({ status: 'created' }),
  });
  assert.equal(back.status, 409);
});

test('a rewritten notebook_path opens nothing outside the job folder and deleting the job leaves other objects alone', { timeout: 60000 }, async () => {
  const a = await newUser('sec-jobs-nbpath');
  const row = await insertDatasetRow(a, await putDataset(a, jsonl(60)), 100);
  const created = await createJob(a, row.id);
  assert.equal(created.status, 201, await created.clone().text());
  const job = await created.json();

  // another object of the owner's, outside the job's folder, named by the row
  const other = `${a.user.id}/${randomUUID()}/keep.ipynb`;
  const { error: up } = await a.supabase.storage.from('notebooks')
    .upload(other, new Blob(['{"nbformat":4,"cells":[]}'], { type: 'application/x-ipynb+json' }), { contentType: 'application/x-ipynb+json' });
  assert.equal(up, null, JSON.stringify(up));
  const { error } = await a.supabase.from('jobs').update({ notebook_path: other }).eq('id', job.id);
  assert.equal(error, null, JSON.stringify(error));

  const signed = await api(a.session, `/api/jobs/${job.id}/notebook`, { redirect: 'manual' });
  assert.equal(signed.status, 404, 'no signed link to an object outside the job folder');
  assert.equal((await fetch(`${GATEWAY}/slmgen/notebooks/${job.session_id}.ipynb`)).status, 404);

  assert.equal((await api(a.session, `/api/jobs/${job.id}`, { method: 'DELETE' })).status, 204);
  const { data, error: dl } = await a.supabase.storage.from('notebooks').download(other);
  assert.equal(dl, null, 'the other object is still there');
  assert.equal(await data.text(), '{"nbformat":4,"cells":[]}');
});
