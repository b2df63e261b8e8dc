// Mail through the local mail catcher (SPEC §11; deploy/scripts/mail-catcher.sh, GreenMail): the suite's
// auth mail is caught, read back over the catcher's HTTP API, and its link or code signs the person in, as
// with Supabase's local stack. Magic link (implicit and PKCE flows), the six-digit code, and password recovery.
// MAIL_CATCHER_URL (test-all.sh sets it; default: the gateway's port + 26) — when it is not set and nothing
// answers there, the tests are skipped (a suite started with MAIL_CATCHER=0 or a real SMTP_HOST).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { GATEWAY, ANON_KEY, client, newUser, uniqueEmail } from './helpers.js';

const MAIL = (process.env.MAIL_CATCHER_URL ?? `http://127.0.0.1:${Number(new URL(GATEWAY).port || 80) + 26}/`).replace(/\/?$/, '/');
// where the links send the browser back: any path on the gateway's origin is allowed (SUPABASE_URL)
const LANDING = `${GATEWAY}/console/`;
let skip = false;

before(async () => {
  try {
    const r = await fetch(`${MAIL}api/service/readiness`, { signal: AbortSignal.timeout(3000) });
    assert.equal(r.status, 200);
  } catch (e) {
    if (process.env.MAIL_CATCHER_URL) throw new Error(`mail catcher not reachable at ${MAIL}: ${e.message}`);
    skip = `no mail catcher at ${MAIL}`;
  }
});

/** Decodes one MIME part's body (quoted-printable or base64). */
function decodePart(headers, body) {
  const enc = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const bytes = Buffer.from(body.replace(/=\r?\n/g, ''), 'latin1').toString('latin1')
      .replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** The text/plain part of a raw MIME message (GreenMail's `mimeMessage`). */
function plainText(mime) {
  const [head, ...rest] = mime.split(/\r?\n\r?\n/);
  const body = rest.join('\r\n\r\n');
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(head)?.[1];
  if (!boundary) return decodePart(head, body);
  for (const part of body.split(`--${boundary}`)) {
    const [ph, ...pb] = part.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
    if (/content-type:\s*multipart\//i.test(ph)) { const t = plainText(part.replace(/^\r?\n/, '')); if (t) return t; }
    if (/content-type:\s*text\/plain/i.test(ph)) return decodePart(ph, pb.join('\r\n\r\n'));
  }
  return '';
}

/** Waits (bounded) for the next mail to `email` with a subject matching `subject`; returns {subject, text, link, code}. */
async function nextMail(email, subject, seen = 0) {
  const deadline = Date.now() + 15000;
  for (;;) {
    const r = await fetch(`${MAIL}api/user/${encodeURIComponent(email)}/messages/INBOX`);
    const list = r.status === 200 ? await r.json() : [];
    const found = list.slice(seen).find((m) => subject.test(m.subject ?? ''));
    if (found) {
      const text = plainText(found.mimeMessage);
      const link = /(https?:\/\/\S+\/auth\/v1\/verify\?\S+)/.exec(text)?.[1];
      const code = /code:\s*(\d{6})/.exec(text)?.[1];
      return { subject: found.subject, text, link, code, count: list.length };
    }
    if (Date.now() > deadline) throw new Error(`no mail "${subject}" for ${email} at ${MAIL} (mailbox has ${list.length})`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

/** Opens a mail link as a browser would (no headers), without following the redirect. */
async function follow(link) {
  const r = await fetch(link, { redirect: 'manual' });
  assert.equal(r.status, 303, `verify link answered ${r.status}: ${await r.text()}`);
  return new URL(r.headers.get('location'));
}

const pkceClient = () => createClient(GATEWAY, ANON_KEY, {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false, flowType: 'pkce' },
  realtime: { transport: WebSocket },
});

test('magic link: signInWithOtp sends a mail whose link signs the person in (implicit flow)', async (t) => {
  if (skip) return t.skip(skip);
  const u = await newUser('mail-link');
  const sb = client();
  const { error } = await sb.auth.signInWithOtp({ email: u.email, options: { emailRedirectTo: LANDING, shouldCreateUser: false } });
  assert.equal(error, null, `signInWithOtp: ${error?.message}`);
  const mail = await nextMail(u.email, /magic link/i);
  assert.ok(mail.link, `no verify link in the mail:\n${mail.text}`);
  assert.ok(mail.link.startsWith(`${GATEWAY}/auth/v1/verify?`), `link points at ${mail.link}`);
  assert.match(mail.link, /type=magiclink/);
  const to = await follow(mail.link);
  assert.equal(`${to.origin}${to.pathname}`, LANDING, 'back to the requested page');
  const frag = new URLSearchParams(to.hash.slice(1));
  assert.equal(frag.get('type'), 'magiclink');
  const { data: set, error: setErr } = await sb.auth.setSession({ access_token: frag.get('access_token'), refresh_token: frag.get('refresh_token') });
  assert.equal(setErr, null);
  assert.equal(set.user.id, u.user.id, 'the session is the person who asked for the link');
  const { data: got } = await sb.auth.getUser();
  assert.equal(got.user.email, u.email);
  // single use
  const again = await follow(mail.link);
  assert.match(again.hash, /error_code=otp_expired/);
});

test('magic link with PKCE (as @supabase/ssr): the link brings back a code the same client exchanges', async (t) => {
  if (skip) return t.skip(skip);
  const u = await newUser('mail-pkce');
  const sb = pkceClient();
  const { error } = await sb.auth.signInWithOtp({ email: u.email, options: { emailRedirectTo: `${GATEWAY}/auth/callback` } });
  assert.equal(error, null, `signInWithOtp: ${error?.message}`);
  const mail = await nextMail(u.email, /magic link/i);
  const to = await follow(mail.link);
  assert.equal(`${to.origin}${to.pathname}`, `${GATEWAY}/auth/callback`);
  const code = to.searchParams.get('code');
  assert.ok(code, `no code in ${to}`);
  const { data, error: exErr } = await sb.auth.exchangeCodeForSession(code);
  assert.equal(exErr, null, `exchangeCodeForSession: ${exErr?.message}`);
  assert.equal(data.user.id, u.user.id);
  assert.ok(data.session.access_token);
});

test('the six-digit code in the same mail signs in with verifyOtp', async (t) => {
  if (skip) return t.skip(skip);
  const u = await newUser('mail-code');
  const sb = client();
  const { error } = await sb.auth.signInWithOtp({ email: u.email, options: { shouldCreateUser: false } });
  assert.equal(error, null);
  const mail = await nextMail(u.email, /magic link/i);
  assert.match(mail.code ?? '', /^\d{6}$/, `no code in the mail:\n${mail.text}`);
  const wrong = await sb.auth.verifyOtp({ email: u.email, token: mail.code === '000000' ? '111111' : '000000', type: 'email' });
  assert.ok(wrong.error, 'a wrong code is refused');
  const { data, error: vErr } = await sb.auth.verifyOtp({ email: u.email, token: mail.code, type: 'email' });
  assert.equal(vErr, null, `verifyOtp: ${vErr?.message}`);
  assert.equal(data.user.id, u.user.id);
});

test('signInWithOtp for a new address: the confirmation mail creates and signs in the account', async (t) => {
  if (skip) return t.skip(skip);
  const email = uniqueEmail('mail-new');
  const sb = client();
  const { error } = await sb.auth.signInWithOtp({ email, options: { emailRedirectTo: LANDING } });
  assert.equal(error, null, `signInWithOtp: ${error?.message}`);
  const mail = await nextMail(email, /confirm/i);
  const to = await follow(mail.link);
  const frag = new URLSearchParams(to.hash.slice(1));
  assert.ok(frag.get('access_token'), `no session in ${to}`);
  const { data } = await sb.auth.getUser(frag.get('access_token'));
  assert.equal(data.user.email, email);
  assert.ok(data.user.email_confirmed_at, 'the address is confirmed by following the link');
});

test('password recovery: the recovery mail signs in, the new password works, the old one does not', async (t) => {
  if (skip) return t.skip(skip);
  const u = await newUser('mail-recover');
  const sb = client();
  const { error } = await sb.auth.resetPasswordForEmail(u.email, { redirectTo: `${GATEWAY}/auth/update-password` });
  assert.equal(error, null, `resetPasswordForEmail: ${error?.message}`);
  const mail = await nextMail(u.email, /reset/i);
  assert.match(mail.link ?? '', /type=recovery/);
  const to = await follow(mail.link);
  assert.equal(`${to.origin}${to.pathname}`, `${GATEWAY}/auth/update-password`);
  const frag = new URLSearchParams(to.hash.slice(1));
  assert.equal(frag.get('type'), 'recovery');
  const { error: setErr } = await sb.auth.setSession({ access_token: frag.get('access_token'), refresh_token: frag.get('refresh_token') });
  assert.equal(setErr, null);
  const fresh = 'a-brand-new-passphrase-42';
  const { error: updErr } = await sb.auth.updateUser({ password: fresh });
  assert.equal(updErr, null, `updateUser: ${updErr?.message}`);
  const ok = await client().auth.signInWithPassword({ email: u.email, password: fresh });
  assert.equal(ok.error, null, 'the new password signs in');
  const old = await client().auth.signInWithPassword({ email: u.email, password: u.password });
  assert.ok(old.error, 'the old password no longer does');
});

test('no mail is sent for an address without an account (recovery answers the same)', async (t) => {
  if (skip) return t.skip(skip);
  const email = uniqueEmail('mail-nobody');
  const { error } = await client().auth.resetPasswordForEmail(email);
  assert.equal(error, null);
  await new Promise((res) => setTimeout(res, 1000));
  const r = await fetch(`${MAIL}api/user/${encodeURIComponent(email)}/messages/INBOX`);
  const list = r.status === 200 ? await r.json() : [];
  assert.equal(list.length, 0);
});
