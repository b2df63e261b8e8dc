// Drives a running auth-service with the official client: node --test (AUTH_URL, default http://127.0.0.1:8081).
// Starts nothing itself. SUPABASE_ANON_KEY is used when set, else an anon key is minted with
// SUPABASE_JWT_SECRET (default: the local development secret).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import ws from 'ws';

const AUTH_URL = (process.env.AUTH_URL ?? 'http://127.0.0.1:8081').replace(/\/$/, '');
const SECRET = process.env.SUPABASE_JWT_SECRET ?? 'super-secret-jwt-token-with-at-least-32-characters-long';

function hs256(claims) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`;
}

const now = Math.floor(Date.now() / 1000);
const ANON_KEY = process.env.SUPABASE_ANON_KEY ?? hs256({ iss: 'supabase-demo', role: 'anon', iat: now, exp: now + 3600 });

function client() {
  return createClient(AUTH_URL, ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: ws },
  });
}

async function profile(accessToken) {
  const res = await fetch(`${AUTH_URL}/api/profile`, {
    headers: { apikey: ANON_KEY, Authorization: `Bearer ${accessToken}` },
  });
  return { status: res.status, body: await res.json() };
}

test('signUp → profile → signInWithPassword → getUser → updateUser → refreshSession → signOut', async () => {
  const email = `e2e-auth-${randomUUID().slice(0, 8)}@example.test`;
  const password = 'correct-horse-1';
  const supabase = client();

  const signUp = await supabase.auth.signUp({ email, password, options: { data: { full_name: 'E2E User' } } });
  assert.equal(signUp.error, null, JSON.stringify(signUp.error));
  assert.equal(signUp.data.user.email, email);
  assert.ok(signUp.data.session?.access_token, 'autoconfirm answers a session');
  const userId = signUp.data.user.id;

  const row = await profile(signUp.data.session.access_token);
  assert.equal(row.status, 200);
  assert.equal(row.body.id, userId);
  assert.equal(row.body.full_name, 'E2E User');

  const fresh = client();
  const signIn = await fresh.auth.signInWithPassword({ email, password });
  assert.equal(signIn.error, null, JSON.stringify(signIn.error));
  assert.equal(signIn.data.user.id, userId);
  assert.ok(signIn.data.session.expires_in > 90);

  const me = await fresh.auth.getUser();
  assert.equal(me.error, null);
  assert.equal(me.data.user.id, userId);
  assert.equal(me.data.user.user_metadata.full_name, 'E2E User');

  const updated = await fresh.auth.updateUser({ data: { theme: 'light' } });
  assert.equal(updated.error, null, JSON.stringify(updated.error));
  assert.equal(updated.data.user.user_metadata.theme, 'light');

  const refreshed = await fresh.auth.refreshSession();
  assert.equal(refreshed.error, null, JSON.stringify(refreshed.error));
  assert.notEqual(refreshed.data.session.refresh_token, signIn.data.session.refresh_token);
  assert.equal(refreshed.data.user.id, userId);

  const out = await fresh.auth.signOut();
  assert.equal(out.error, null);
  const reuse = await client().auth.refreshSession({ refresh_token: refreshed.data.session.refresh_token });
  assert.ok(reuse.error, 'a signed-out session cannot be refreshed');
  assert.equal(reuse.error.code, 'refresh_token_not_found');
});

test('errors carry GoTrue codes: wrong password, duplicate, weak password', async () => {
  const email = `e2e-err-${randomUUID().slice(0, 8)}@example.test`;
  const first = await client().auth.signUp({ email, password: 'correct-horse-1' });
  assert.equal(first.error, null);
  const wrong = await client().auth.signInWithPassword({ email, password: 'nope-nope-nope' });
  assert.equal(wrong.error?.code, 'invalid_credentials');
  assert.equal(wrong.error?.status, 400);
  const dup = await client().auth.signUp({ email, password: 'another-password' });
  assert.equal(dup.error?.code, 'user_already_exists');
  const weak = await client().auth.signUp({ email: `w-${email}`, password: '123' });
  assert.equal(weak.error?.code, 'weak_password');
  assert.deepEqual(weak.error?.reasons, ['length']);
});

test('signInAnonymously, then add an email and password keeping the id', async () => {
  const supabase = client();
  const anon = await supabase.auth.signInAnonymously();
  assert.equal(anon.error, null, JSON.stringify(anon.error));
  assert.equal(anon.data.user.is_anonymous, true);
  const email = `e2e-anon-${randomUUID().slice(0, 8)}@example.test`;
  const upgraded = await supabase.auth.updateUser({ email, password: 'correct-horse-1' });
  assert.equal(upgraded.error, null, JSON.stringify(upgraded.error));
  assert.equal(upgraded.data.user.id, anon.data.user.id);
  assert.equal(upgraded.data.user.is_anonymous, false);
  const again = await client().auth.signInWithPassword({ email, password: 'correct-horse-1' });
  assert.equal(again.data.user.id, anon.data.user.id);
});
