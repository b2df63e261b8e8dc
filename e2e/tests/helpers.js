// Shared set-up for the end-to-end tests: the gateway URL, API keys minted from the JWT secret
// (as `deploy/scripts/keys.sh` does), and supabase-js clients exactly as a frontend would create them.
import { createHmac, randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';

export const GATEWAY = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';
const SECRET = process.env.SUPABASE_JWT_SECRET ?? 'super-secret-jwt-token-with-at-least-32-characters-long';

const b64url = (s) => Buffer.from(s).toString('base64url');
export function hs256(claims) {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', SECRET).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

export const ANON_KEY = hs256({ iss: 'supabase-demo', role: 'anon', iat: 1700000000, exp: 2000000000 });
export const SERVICE_KEY = hs256({ iss: 'supabase-demo', role: 'service_role', iat: 1700000000, exp: 2000000000 });

export function client(key = ANON_KEY) {
  return createClient(GATEWAY, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket },
  });
}

export function uniqueEmail(prefix) {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

/** A signed-up, signed-in user with its own client. */
export async function newUser(prefix, password = 'correct-horse-battery-staple') {
  const supabase = client();
  const email = uniqueEmail(prefix);
  const { data, error } = await supabase.auth.signUp({ email, password, options: { data: { full_name: prefix } } });
  if (error) throw error;
  if (!data.session) throw new Error('sign-up returned no session (autoconfirm off?)');
  return { supabase, email, password, user: data.user, session: data.session };
}

/** fetch with the user's token and the anon key, as the app does for /api calls. */
export function api(session, path, init = {}) {
  const headers = { apikey: ANON_KEY, ...(init.headers ?? {}) };
  if (session) headers.Authorization = `Bearer ${session.access_token}`;
  return fetch(`${GATEWAY}${path}`, { ...init, headers });
}

/** A valid SLMGEN dataset: n examples, one user + one assistant message each. */
export function jsonl(n, fn = (i) => [
  { role: 'user', content: `What is ${i} plus ${i}?` },
  { role: 'assistant', content: `The answer to ${i} plus ${i} is ${2 * i}.` },
]) {
  return Array.from({ length: n }, (_, i) => JSON.stringify({ messages: fn(i) })).join('\n') + '\n';
}
