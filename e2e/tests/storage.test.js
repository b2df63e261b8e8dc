import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newUser } from './helpers.js';

test('storage-js: upload, download, list, signed URLs, signed upload, public avatar, remove', async () => {
  const a = await newUser('e2e-storage-a');
  const b = await newUser('e2e-storage-b');
  const bucket = a.supabase.storage.from('datasets');
  const folder = `${a.user.id}/e2e`;
  const text = '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n';

  const up = await bucket.upload(`${folder}/one.jsonl`, new Blob([text], { type: 'application/x-ndjson' }));
  assert.equal(up.error, null, JSON.stringify(up.error));
  assert.equal(up.data.path, `${folder}/one.jsonl`);

  const down = await bucket.download(`${folder}/one.jsonl`);
  assert.equal(down.error, null);
  assert.equal(await down.data.text(), text);

  const listed = await bucket.list(folder);
  assert.deepEqual(listed.data.map((o) => o.name), ['one.jsonl']);

  const signed = await bucket.createSignedUrl(`${folder}/one.jsonl`, 60);
  assert.equal(signed.error, null);
  const fetched = await fetch(signed.data.signedUrl);
  assert.equal(fetched.status, 200);
  assert.equal(await fetched.text(), text);

  const uploadUrl = await bucket.createSignedUploadUrl(`${folder}/two.jsonl`);
  assert.equal(uploadUrl.error, null, JSON.stringify(uploadUrl.error));
  const viaToken = await bucket.uploadToSignedUrl(`${folder}/two.jsonl`, uploadUrl.data.token,
    new Blob([text], { type: 'application/x-ndjson' }));
  assert.equal(viaToken.error, null, JSON.stringify(viaToken.error));

  // user B can neither read nor sign nor delete A's objects
  const stolen = await b.supabase.storage.from('datasets').download(`${folder}/one.jsonl`);
  assert.ok(stolen.error);
  const signedByB = await b.supabase.storage.from('datasets').createSignedUrl(`${folder}/one.jsonl`, 60);
  assert.ok(signedByB.error);
  await b.supabase.storage.from('datasets').remove([`${folder}/one.jsonl`]);
  assert.equal((await bucket.download(`${folder}/one.jsonl`)).error, null);

  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
  const avatar = await a.supabase.storage.from('avatars').upload(`${a.user.id}/avatar.png`, png, { contentType: 'image/png', upsert: true });
  assert.equal(avatar.error, null, JSON.stringify(avatar.error));
  const publicUrl = a.supabase.storage.from('avatars').getPublicUrl(`${a.user.id}/avatar.png`).data.publicUrl;
  const pub = await fetch(publicUrl);
  assert.equal(pub.status, 200);
  assert.deepEqual(Buffer.from(await pub.arrayBuffer()), png);

  const removed = await bucket.remove([`${folder}/one.jsonl`, `${folder}/two.jsonl`]);
  assert.equal(removed.error, null);
  assert.equal(removed.data.length, 2);
  assert.ok((await bucket.download(`${folder}/one.jsonl`)).error);
});
