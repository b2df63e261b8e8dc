import { test } from 'node:test';
import assert from 'node:assert/strict';
import { client, newUser, uniqueEmail } from './helpers.js';

test('sign up, profile, sign in, get and update the user, refresh, sign out (auth-js)', async () => {
  const { supabase, email, password, user } = await newUser('e2e-auth');
  assert.equal(user.email, email);

  const profile = await supabase.from('profiles').select('*').eq('id', user.id).single();
  assert.equal(profile.error, null, JSON.stringify(profile.error));
  assert.equal(profile.data.email, email);
  assert.equal(profile.data.full_name, 'e2e-auth');

  const fresh = client();
  const signIn = await fresh.auth.signInWithPassword({ email, password });
  assert.equal(signIn.error, null);
  assert.ok(signIn.data.session.access_token);

  const me = await fresh.auth.getUser();
  assert.equal(me.data.user.id, user.id);

  const updated = await fresh.auth.updateUser({ data: { theme: 'light' } });
  assert.equal(updated.error, null);
  assert.equal(updated.data.user.user_metadata.theme, 'light');

  const refreshed = await fresh.auth.refreshSession();
  assert.equal(refreshed.error, null);
  assert.notEqual(refreshed.data.session.refresh_token, signIn.data.session.refresh_token);

  const out = await fresh.auth.signOut();
  assert.equal(out.error, null);
  const reuse = await client().auth.refreshSession({ refresh_token: refreshed.data.session.refresh_token });
  assert.ok(reuse.error, 'a signed-out session cannot be refreshed');
});

test('wrong password and duplicate sign-up answer GoTrue error codes', async () => {
  const { email } = await newUser('e2e-dup');
  const wrong = await client().auth.signInWithPassword({ email, password: 'nope-nope-nope' });
  assert.equal(wrong.error?.code, 'invalid_credentials');
  const dup = await client().auth.signUp({ email, password: 'another-password' });
  assert.equal(dup.error?.code, 'user_already_exists');
  const weak = await client().auth.signUp({ email: uniqueEmail('weak'), password: '123' });
  assert.equal(weak.error?.code, 'weak_password');
});

test('anonymous sign-in gives an is_anonymous user', async () => {
  const supabase = client();
  const { data, error } = await supabase.auth.signInAnonymously();
  assert.equal(error, null);
  assert.equal(data.user.is_anonymous, true);
});
