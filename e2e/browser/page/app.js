// A stand-in for the SLMGEN web app (a Next.js app using @supabase/ssr): served by the gateway at / on its
// origin (FRONTEND_UPSTREAM), it keeps its session in @supabase/ssr's cookies and calls /slmgen with plain
// fetch and no Authorization header, as the app's wizard does. Bundled by esbuild in the browser test.
import { createBrowserClient } from '@supabase/ssr';

const cfg = await (await fetch('/app-config.json', { cache: 'no-store' })).json();
// the Supabase URL is this origin: the gateway
const supabase = createBrowserClient(window.location.origin, cfg.anonKey);

async function answer(res) {
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: res.status, body };
}

window.app = {
  async signUp(email, password) {
    const { data, error } = await supabase.auth.signUp({ email, password });
    if (error) throw new Error(error.message);
    return { userId: data.user?.id ?? null, hasSession: !!data.session };
  },
  async accessToken() {
    const { data } = await supabase.auth.getSession();
    return data.session?.access_token ?? null;
  },
  async signOut() {
    await supabase.auth.signOut();
  },
  /** The wizard's upload: multipart `file`, no Authorization header (the browser adds the cookies). */
  async upload(text, name = 'browser.jsonl', url = '/slmgen/upload', init = {}) {
    const form = new FormData();
    form.append('file', new File([text], name, { type: 'application/octet-stream' }));
    return answer(await fetch(url, { method: 'POST', body: form, ...init }));
  },
  async post(path, body) {
    return answer(await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
  },
  async get(path) {
    return answer(await fetch(path));
  },
};
document.getElementById('status').textContent = 'ready';
document.body.dataset.ready = '1';
