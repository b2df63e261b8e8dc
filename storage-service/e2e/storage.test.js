// Drives a running storage-service with the official client: node --test (STORAGE_URL, default
// http://127.0.0.1:8085; the client appends /storage/v1). Starts nothing itself. Users are minted as
// HS256 tokens with SUPABASE_JWT_SECRET (default: the local development secret); no users table needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import ws from 'ws';

const URL_BASE = (process.env.STORAGE_URL ?? 'http://127.0.0.1:8085').replace(/\/$/, '');
const SECRET = process.env.SUPABASE_JWT_SECRET ?? 'super-secret-jwt-token-with-at-least-32-characters-long';

function hs256(claims) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`;
}

const now = Math.floor(Date.now() / 1000);
const ANON_KEY = process.env.SUPABASE_ANON_KEY ?? hs256({ iss: 'supabase-demo', role: 'anon', iat: now, exp: now + 3600 });

function user() {
  const id = randomUUID();
  const token = hs256({ sub: id, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600,
    email: `${id.slice(0, 8)}@example.test`, session_id: randomUUID() });
  const supabase = createClient(URL_BASE, ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: ws },
    global: { headers: { Authorization: `Bearer ${token}` } },
  });
  return { id, storage: supabase.storage };
}

test('upload (Buffer and Blob) → download identical → info/exists → list → remove', async () => {
  const a = user();
  const datasets = a.storage.from('datasets');
  const lines = Buffer.from('{"messages":[{"role":"user","content":"hi"}]}\n'.repeat(1000));

  const up = await datasets.upload(`${a.id}/job1/train.jsonl`, lines, { contentType: 'application/x-ndjson' });
  assert.equal(up.error, null, JSON.stringify(up.error));
  assert.equal(up.data.path, `${a.id}/job1/train.jsonl`);
  assert.equal(up.data.fullPath, `datasets/${a.id}/job1/train.jsonl`);
  assert.match(up.data.id, /^[0-9a-f-]{36}$/);

  const blob = new Blob(['{"a":1}\n'], { type: 'application/json' });
  const up2 = await datasets.upload(`${a.id}/job1/small.json`, blob, { cacheControl: '120' });
  assert.equal(up2.error, null, JSON.stringify(up2.error));

  const dup = await datasets.upload(`${a.id}/job1/small.json`, blob);
  assert.equal(dup.error?.statusCode, '409');

  const down = await datasets.download(`${a.id}/job1/train.jsonl`);
  assert.equal(down.error, null);
  assert.deepEqual(Buffer.from(await down.data.arrayBuffer()), lines);
  const down2 = await datasets.download(`${a.id}/job1/small.json`);
  assert.equal(await down2.data.text(), '{"a":1}\n');

  const info = await datasets.info(`${a.id}/job1/small.json`);
  assert.equal(info.error, null);
  assert.equal(info.data.size, 8);
  assert.equal(info.data.contentType, 'application/json');
  assert.equal(info.data.cacheControl, 'max-age=120');
  assert.equal((await datasets.exists(`${a.id}/job1/small.json`)).data, true);
  assert.equal((await datasets.exists(`${a.id}/job1/none.json`)).data, false);

  const list = await datasets.list(a.id);
  assert.equal(list.error, null);
  assert.deepEqual(list.data.map((e) => [e.name, e.id]), [['job1', null]]);
  const inner = await datasets.list(`${a.id}/job1`, { sortBy: { column: 'name', order: 'desc' } });
  assert.deepEqual(inner.data.map((e) => e.name), ['train.jsonl', 'small.json']);
  assert.equal(inner.data[0].metadata.size, lines.length);

  const moved = await datasets.move(`${a.id}/job1/small.json`, `${a.id}/job2/small.json`);
  assert.equal(moved.error, null);
  const copied = await datasets.copy(`${a.id}/job2/small.json`, `${a.id}/job3/small.json`);
  assert.equal(copied.error, null);
  assert.equal(copied.data.path, `datasets/${a.id}/job3/small.json`);

  const removed = await datasets.remove([`${a.id}/job1/train.jsonl`, `${a.id}/job2/small.json`, `${a.id}/job3/small.json`]);
  assert.equal(removed.error, null);
  assert.equal(removed.data.length, 3);
  assert.notEqual((await datasets.download(`${a.id}/job1/train.jsonl`)).error, null);
});

test('signed URLs: createSignedUrl(s) fetched without auth; createSignedUploadUrl + uploadToSignedUrl', async () => {
  const a = user();
  const notebooks = a.storage.from('notebooks');
  const nb = Buffer.from('{"cells":[],"nbformat":4}');
  const up = await notebooks.upload(`${a.id}/job/train.ipynb`, nb, { contentType: 'application/x-ipynb+json', upsert: true });
  assert.equal(up.error, null, JSON.stringify(up.error));

  const signed = await notebooks.createSignedUrl(`${a.id}/job/train.ipynb`, 600);
  assert.equal(signed.error, null);
  const res = await fetch(signed.data.signedUrl);
  assert.equal(res.status, 200);
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), nb);

  const many = await notebooks.createSignedUrls([`${a.id}/job/train.ipynb`, `${a.id}/job/missing.ipynb`], 60);
  assert.equal(many.error, null);
  assert.equal(many.data.length, 2);
  assert.ok(many.data[0].signedUrl);
  assert.equal(many.data[1].signedUrl, null);
  assert.ok(many.data[1].error);

  const datasets = a.storage.from('datasets');
  const su = await datasets.createSignedUploadUrl(`${a.id}/signed/up.jsonl`);
  assert.equal(su.error, null, JSON.stringify(su.error));
  assert.ok(su.data.token);
  const put = await datasets.uploadToSignedUrl(`${a.id}/signed/up.jsonl`, su.data.token,
    Buffer.from('{"x":1}\n'), { contentType: 'application/x-ndjson' });
  assert.equal(put.error, null, JSON.stringify(put.error));
  assert.equal(put.data.fullPath, `datasets/${a.id}/signed/up.jsonl`);
  assert.equal(await (await datasets.download(`${a.id}/signed/up.jsonl`)).data.text(), '{"x":1}\n');

  // another user can neither read nor sign it
  const b = user();
  assert.notEqual((await b.storage.from('notebooks').download(`${a.id}/job/train.ipynb`)).error, null);
  assert.notEqual((await b.storage.from('notebooks').createSignedUrl(`${a.id}/job/train.ipynb`, 60)).error, null);
  assert.notEqual((await b.storage.from('datasets').upload(`${a.id}/planted.jsonl`, Buffer.from('x'),
    { contentType: 'application/x-ndjson' })).error, null);

  const rm = await notebooks.remove([`${a.id}/job/train.ipynb`]);
  assert.equal(rm.data.length, 1);
});

test('getPublicUrl on avatars serves without auth', async () => {
  const a = user();
  const avatars = a.storage.from('avatars');
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  const up = await avatars.upload(`${a.id}/avatar.png`, png, { contentType: 'image/png', upsert: true });
  assert.equal(up.error, null, JSON.stringify(up.error));
  const { data } = avatars.getPublicUrl(`${a.id}/avatar.png`);
  const res = await fetch(data.publicUrl);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), png);
});
