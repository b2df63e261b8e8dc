// Hostile regression tests for datasets-service through the gateway (issue 15 items 3 and 6, SPEC §14):
// rows a client writes through /rest/v1 are never trusted for resources or access, the seed's own way
// of recording a dataset (postgrest-js with the seed's columns) works, and SLMGEN's duplicate listing
// is served from what the upload stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GATEWAY, jsonl, newUser } from './helpers.js';

/** The seed's columns only, as a frontend that stored the file itself records it. */
function seedRow(user, name) {
  return {
    user_id: user.id,
    filename: name,
    storage_path: `${user.id}/own/${name}`,
    file_size: 2048,
    total_examples: 120,
    total_tokens: 2400,
    avg_tokens_per_example: 20,
    quality_score: 0.9,
    single_turn_pct: 100,
    multi_turn_pct: 0,
    has_system_prompts: false,
    quality_issues: ['✅ Dataset looks great!'],
    is_multilingual: false,
    looks_like_json: false,
    is_multi_turn: false,
  };
}

/** A /slmgen call as the SLMGEN web app makes it: no token, no apikey. */
function slmgen(path, body) {
  const init = { headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.method = 'POST';
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return fetch(`${GATEWAY}/slmgen${path}`, init);
}

test('postgrest-js: an insert with the seed columns is accepted and gets server-chosen session and job ids', async () => {
  const a = await newUser('sec-ds-seed');
  const { data, error, status } = await a.supabase.from('datasets').insert(seedRow(a.user, 'seed.jsonl')).select().single();
  assert.equal(error, null, JSON.stringify(error));
  assert.equal(status, 201);
  assert.equal(data.user_id, a.user.id);
  assert.equal(data.file_size, 2048);
  assert.match(data.session_id, /^[0-9a-f-]{36}$/);
  assert.match(data.allocated_job_id, /^[0-9a-f-]{36}$/);
  assert.equal(data.owner_is_anonymous, false);
  assert.equal(data.expires_at, null);
  assert.equal(data.job_id, null);
  assert.equal(data.duplicate_count, null);

  // without .select() (return=minimal) too
  const minimal = await a.supabase.from('datasets').insert({
    user_id: a.user.id, filename: 'min.jsonl', storage_path: `${a.user.id}/min.jsonl`, file_size: 1,
  });
  assert.equal(minimal.error, null, JSON.stringify(minimal.error));
  assert.equal(minimal.status, 201);
});

test('postgrest-js: server-owned columns cannot be inserted or updated, and seed columns others rely on are checked', async () => {
  const a = await newUser('sec-ds-forge');
  const b = await newUser('sec-ds-forge-b');
  const forged = {
    owner_is_anonymous: true,
    expires_at: '2999-01-01T00:00:00Z',
    session_id: crypto.randomUUID(),
    allocated_job_id: crypto.randomUUID(),
    selected_model_id: 'qwen25',
    last_scores: { qwen25: 100 },
    duplicate_count: 0,
    invalid_samples: [],
  };
  for (const [column, value] of Object.entries(forged)) {
    const { error, status } = await a.supabase.from('datasets').insert({ ...seedRow(a.user, `${column}.jsonl`), [column]: value });
    assert.equal(status, 403, `${column}: ${JSON.stringify(error)}`);
    assert.equal(error.code, '42501', column);
  }
  const mine = await a.supabase.from('datasets').select('id');
  assert.equal(mine.data.length, 0, 'nothing was inserted');

  // an object outside the user's own folder, a negative size, someone else's (or no) job: refused
  for (const storage_path of [`${b.user.id}/x.jsonl`, `${a.user.id}/../${b.user.id}/x.jsonl`, 'x.jsonl']) {
    const { error, status } = await a.supabase.from('datasets').insert({ ...seedRow(a.user, 'p.jsonl'), storage_path });
    assert.equal(status, 400, `${storage_path}: ${JSON.stringify(error)}`);
    assert.equal(error.code, '23514');
  }
  const negative = await a.supabase.from('datasets').insert({ ...seedRow(a.user, 'n.jsonl'), file_size: -1 });
  assert.equal(negative.status, 400);
  const noSuchJob = await a.supabase.from('datasets').insert({ ...seedRow(a.user, 'j.jsonl'), job_id: crypto.randomUUID() });
  assert.equal(noSuchJob.status, 403, JSON.stringify(noSuchJob.error));

  // no updates at all (the seed has no UPDATE policy): neither server-owned nor seed columns
  const { data: row } = await a.supabase.from('datasets').insert(seedRow(a.user, 'u.jsonl')).select().single();
  for (const change of [{ owner_is_anonymous: true }, { expires_at: '2999-01-01T00:00:00Z' }, { file_size: 1 },
    { storage_path: `${b.user.id}/x.jsonl` }]) {
    const { error, status } = await a.supabase.from('datasets').update(change).eq('id', row.id);
    assert.equal(status, 403, `${JSON.stringify(change)}: ${JSON.stringify(error)}`);
    assert.equal(error.code, '42501');
  }
  const again = await a.supabase.from('datasets').select('owner_is_anonymous, expires_at, file_size').eq('id', row.id).single();
  assert.deepEqual(again.data, { owner_is_anonymous: false, expires_at: null, file_size: 2048 });
});

test('a session recorded through /rest/v1 is never reachable without its owner\'s token on any /slmgen route', async () => {
  const a = await newUser('sec-ds-owner');
  // the forgery itself is refused...
  const forged = await a.supabase.from('datasets')
    .insert({ ...seedRow(a.user, 'forged.jsonl'), owner_is_anonymous: true, expires_at: '2999-01-01T00:00:00Z' });
  assert.equal(forged.status, 403);
  // ...and the row a user may write is the user's session, not an anonymous one
  const { data: row, error } = await a.supabase.from('datasets').insert(seedRow(a.user, 'plain.jsonl')).select().single();
  assert.equal(error, null, JSON.stringify(error));
  const sid = row.session_id;
  const detail = 'Session not found, expired, or access denied. Please upload again.';

  let r = await slmgen('/analyze', { session_id: sid });
  assert.equal(r.status, 404, await r.clone().text());
  assert.equal((await r.json()).detail, detail);
  for (const path of [`/preview/${sid}`, `/preview/${sid}/duplicates`, `/preview/${sid}/distribution`]) {
    r = await slmgen(path);
    assert.equal(r.status, 404, `${path}: ${await r.clone().text()}`);
  }
  // catalog-service and jobs-service ask datasets-service who owns the session: the same answer
  r = await slmgen('/recommend', { session_id: sid, task: 'qa', deployment: 'cloud' });
  assert.equal(r.status, 404, await r.clone().text());
  r = await slmgen('/generate-notebook', { session_id: sid, model_id: null });
  assert.equal(r.status, 404, await r.clone().text());

  // the owner, with the token, reaches it
  r = await fetch(`${GATEWAY}/slmgen/analyze`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${a.session.access_token}` },
    body: JSON.stringify({ session_id: sid }),
  });
  assert.equal(r.status, 200, await r.clone().text());
  assert.equal((await r.json()).stats.total_examples, 120);
});

test('SLMGEN duplicates are served from what the upload stored, without reading the object again', async () => {
  const a = await newUser('sec-ds-dups');
  // 60 distinct examples, then copies of example 3 (indices 60, 61) and example 1 (62)
  const lines = jsonl(60).trim().split('\n');
  const text = [...lines, lines[3], lines[3], lines[1]].join('\n') + '\n';
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'application/octet-stream' }), 'dups.jsonl');
  let r = await fetch(`${GATEWAY}/slmgen/upload`, {
    method: 'POST', headers: { Authorization: `Bearer ${a.session.access_token}` }, body: form,
  });
  assert.equal(r.status, 200, await r.clone().text());
  const sid = (await r.json()).session_id;
  const auth = { headers: { Authorization: `Bearer ${a.session.access_token}` } };
  const expected = { count: 3, examples: [62, 60, 61] };

  r = await fetch(`${GATEWAY}/slmgen/preview/${sid}/duplicates`, auth);
  assert.equal(r.status, 200, await r.clone().text());
  assert.deepEqual(await r.json(), expected);
  const { data: row } = await a.supabase.from('datasets').select('storage_path, duplicate_count, duplicate_examples')
    .eq('session_id', sid).single();
  assert.equal(row.duplicate_count, 3);
  assert.deepEqual(row.duplicate_examples, [62, 60, 61]);

  // the object goes away: the preview, which reads it, cannot answer any more; the duplicates still do
  const removed = await a.supabase.storage.from('datasets').remove([row.storage_path]);
  assert.equal(removed.error, null, JSON.stringify(removed.error));
  assert.equal(removed.data.length, 1);
  r = await fetch(`${GATEWAY}/slmgen/preview/${sid}?page=1&page_size=3`, auth);
  assert.notEqual(r.status, 200, 'the preview reads the (now missing) object');
  r = await fetch(`${GATEWAY}/slmgen/preview/${sid}/duplicates`, auth);
  assert.equal(r.status, 200, await r.clone().text());
  assert.deepEqual(await r.json(), expected);
});
