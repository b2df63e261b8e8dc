// Talking to the gateway: the supabase-js client, the /api JSON wrapper with readable errors,
// the XMLHttpRequest upload with progress, and the authenticated SSE reader.
import { createClient } from '@supabase/supabase-js';
import { SseParser } from './sse.js';

const KEY_STORAGE = 'slmgen-console-anon-key';

/** Where the console lives (/console/): mail links come back here. */
export const CONSOLE_URL = `${window.location.origin}${import.meta.env.BASE_URL}`;

/** A local mail catcher's address from the gateway's config, if it is a plain http(s) URL. */
function mailUrl(cfg) {
  if (typeof cfg?.mailUrl !== 'string') return '';
  try {
    const u = new URL(cfg.mailUrl);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : '';
  } catch { return ''; }
}

/**
 * The anon key (and the local mail catcher's URL): <base>console-config.json (written by the gateway),
 * else a key pasted by the user earlier.
 */
export async function loadConfig() {
  try {
    const res = await fetch(`${import.meta.env.BASE_URL}console-config.json`, { cache: 'no-store', signal: AbortSignal.timeout(10000) });
    if (res.ok) {
      const cfg = await res.json();
      if (cfg && typeof cfg.anonKey === 'string' && cfg.anonKey) return { anonKey: cfg.anonKey, mailUrl: mailUrl(cfg), source: 'gateway' };
    }
  } catch { /* fall through */ }
  const saved = localStorage.getItem(KEY_STORAGE);
  return saved ? { anonKey: saved, mailUrl: '', source: 'saved' } : null;
}

export function saveAnonKey(key) {
  localStorage.setItem(KEY_STORAGE, key);
}

export function makeClient(anonKey) {
  return createClient(window.location.origin, anonKey, {
    auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: true, flowType: 'implicit' },
  });
}

/** An error with a message fit for a person, built from any of the suite's error shapes. */
export class ApiError extends Error {
  constructor(message, { status = 0, code = '', field = '' } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export function describeErrorBody(status, body, fallback) {
  if (body && typeof body === 'object') {
    // /api {error,message,status,field?} · storage {statusCode,error,message} · GoTrue {code,msg|message}
    // · PostgREST {code,message,details,hint} · FastAPI {detail}
    const message = body.message || body.msg || body.error_description
      || (typeof body.detail === 'string' ? body.detail : body.detail ? JSON.stringify(body.detail) : '')
      || (typeof body.error === 'string' ? body.error : '');
    const code = (typeof body.error === 'string' && body.message ? body.error : '') || body.error_code
      || (typeof body.code === 'string' ? body.code : '');
    const field = body.field || '';
    if (message) {
      return new ApiError(`${message}${field ? ` (field: ${field})` : ''} [HTTP ${status}${code ? `, ${code}` : ''}]`,
        { status, code, field });
    }
  }
  return new ApiError(`${fallback || 'Request failed'} [HTTP ${status}]`, { status });
}

export function describeFailure(e) {
  if (e instanceof ApiError) return e.message;
  if (e && (e.name === 'TimeoutError' || e.name === 'AbortError')) return 'The request took too long and was stopped; try again.';
  if (e instanceof TypeError) return 'Network error: the gateway could not be reached.';
  return (e && e.message) || String(e);
}

export class Api {
  constructor(supabase, anonKey) {
    this.supabase = supabase;
    this.anonKey = anonKey;
  }

  async headers(extra = {}) {
    const { data } = await this.supabase.auth.getSession();
    const token = data.session?.access_token;
    if (!token) throw new ApiError('Sign in first.', { status: 401, code: 'not_signed_in' });
    return { apikey: this.anonKey, Authorization: `Bearer ${token}`, ...extra };
  }

  /** JSON request to the gateway; throws ApiError with the server's message on any non-2xx answer. */
  async request(method, path, body, { timeoutMs = 60000 } = {}) {
    const headers = await this.headers(body !== undefined ? { 'Content-Type': 'application/json' } : {});
    const res = await fetch(path, {
      method, headers, body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    if (!res.ok) throw describeErrorBody(res.status, json, res.statusText || text.slice(0, 200));
    return json;
  }

  get(path) { return this.request('GET', path); }
  post(path, body) { return this.request('POST', path, body ?? {}); }
  put(path, body) { return this.request('PUT', path, body); }
  patch(path, body) { return this.request('PATCH', path, body); }
  del(path) { return this.request('DELETE', path); }

  /** POST /api/datasets (multipart field "file") with upload progress; returns {promise, abort}. */
  async uploadDataset(file, onProgress) {
    const headers = await this.headers();
    const xhr = new XMLHttpRequest();
    const promise = new Promise((resolve, reject) => {
      xhr.open('POST', '/api/datasets');
      for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); };
      xhr.upload.onload = () => onProgress(file.size, file.size, true);
      xhr.onload = () => {
        let json = null;
        try { json = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
        if (xhr.status >= 200 && xhr.status < 300 && json) resolve(json);
        else reject(describeErrorBody(xhr.status, json, xhr.statusText || 'Upload failed'));
      };
      xhr.onerror = () => reject(new ApiError('Network error during the upload: the gateway could not be reached.'));
      xhr.onabort = () => reject(new ApiError('Upload cancelled.'));
      xhr.ontimeout = () => reject(new ApiError('The upload timed out.'));
      const form = new FormData();
      form.append('file', file, file.name);
      xhr.send(form);
    });
    return { promise, abort: () => xhr.abort() };
  }

  /** GET /api/jobs/{id}/notebook follows the 302 to the signed URL; returns the notebook as a Blob. */
  async notebookBlob(jobId) {
    const headers = await this.headers();
    const res = await fetch(`/api/jobs/${encodeURIComponent(jobId)}/notebook`, {
      headers, redirect: 'follow', signal: AbortSignal.timeout(60000),
    });
    if (!res.ok) {
      let json = null;
      try { json = await res.json(); } catch { /* not JSON */ }
      throw describeErrorBody(res.status, json, 'Notebook download failed');
    }
    return res.blob();
  }

  /**
   * Reads GET /api/jobs/{id}/events with the Authorization header, reconnecting (with Last-Event-ID)
   * until a final event arrives or stop() is called. Callbacks: onEvent(evt), onState(text).
   */
  streamEvents(jobId, { onEvent, onState }) {
    let stopped = false;
    let controller = null;
    let lastId = '';
    let attempt = 0;
    const finalTypes = new Set(['completed', 'failed', 'cancelled']);
    const run = async () => {
      while (!stopped) {
        controller = new AbortController();
        let finished = false;
        try {
          const headers = await this.headers({ Accept: 'text/event-stream' });
          if (lastId) headers['Last-Event-ID'] = lastId;
          onState(attempt ? 'reconnecting…' : 'connecting…');
          const res = await fetch(`/api/jobs/${encodeURIComponent(jobId)}/events`, {
            headers, signal: controller.signal, cache: 'no-store',
          });
          if (!res.ok) {
            let json = null;
            try { json = await res.json(); } catch { /* not JSON */ }
            const err = describeErrorBody(res.status, json, 'Event stream failed');
            if (res.status >= 400 && res.status < 500 && res.status !== 429) { onState(`stopped: ${err.message}`); return; }
            throw err;
          }
          onState('live');
          attempt = 0;
          const parser = new SseParser((e) => {
            lastId = e.id || lastId;
            let data = null;
            try { data = JSON.parse(e.data); } catch { data = { raw: e.data }; }
            onEvent({ type: e.event, ...data });
            if (finalTypes.has(e.event)) finished = true;
          });
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            parser.push(value);
          }
          if (finished) { onState('finished'); return; }
        } catch (e) {
          if (stopped) return;
          onState(`connection lost (${describeFailure(e)}); retrying`);
        }
        if (stopped) return;
        attempt += 1;
        await new Promise((r) => setTimeout(r, Math.min(1000 * 2 ** Math.min(attempt, 4), 15000)));
      }
    };
    run();
    return { stop: () => { stopped = true; controller?.abort(); onState('stopped'); } };
  }
}
