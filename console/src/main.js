import './style.css';
import { Api, ApiError, CONSOLE_URL, describeFailure, loadConfig, makeClient, saveAnonKey } from './api.js';
import { renderLossChart } from './chart.js';

const $ = (id) => document.getElementById(id);
const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const num = (v, digits = 2) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : esc(v ?? '–'));
const yesNo = (v) => (v === true ? 'yes' : v === false ? 'no' : '–');

const state = {
  supabase: null, api: null, anonKey: '', user: null,
  dataset: null, recommendation: null, modelId: null, configId: '', configs: [],
  job: null, stream: null, points: [],
};

function say(id, text, kind = 'ok') {
  const el = $(id);
  el.textContent = text || '';
  el.className = `msg ${text ? kind : ''}`;
}

/** Runs an action for a button: disables it meanwhile, reports any failure in the section's message line. */
async function act(button, msgId, fn) {
  if (button.disabled) return;
  button.disabled = true;
  button.classList.add('busy');
  say(msgId, '');
  try {
    await fn();
  } catch (e) {
    say(msgId, describeFailure(e), 'error');
  } finally {
    button.disabled = false;
    button.classList.remove('busy');
  }
}

// ---- start ------------------------------------------------------------------------------------
async function boot() {
  const cfg = await loadConfig();
  if (!cfg) {
    $('session-status').textContent = 'not configured';
    $('setup').hidden = false;
    $('save-key').onclick = () => {
      const k = $('anon-key').value.trim();
      if (k.split('.').length !== 3) { $('global-error').hidden = false; $('global-error').textContent = 'That is not a JWT.'; return; }
      saveAnonKey(k);
      location.reload();
    };
    return;
  }
  state.anonKey = cfg.anonKey;
  if (cfg.mailUrl) {
    // the local mail catcher (deploy/scripts/mail-catcher.sh): its page, and the JSON of this address' inbox
    $('mail-catcher').hidden = false;
    $('mail-catcher-link').href = cfg.mailUrl;
    const inbox = () => { $('mail-inbox-link').href = `${cfg.mailUrl}api/user/${encodeURIComponent($('email').value.trim())}/messages/INBOX`; };
    $('email').addEventListener('input', inbox);
    inbox();
  }
  state.supabase = makeClient(cfg.anonKey);
  state.api = new Api(state.supabase, cfg.anonKey);
  $('app').hidden = false;
  wire();
  state.supabase.auth.onAuthStateChange((event, session) => {
    // keep the callback synchronous (supabase-js holds a lock while it runs)
    setTimeout(() => onAuth(event, session), 0);
  });
  const { data, error } = await state.supabase.auth.getSession();
  if (error) say('auth-msg', error.message, 'error');
  onAuth('INITIAL', data?.session ?? null);
}

function onAuth(event, session) {
  const user = session?.user ?? null;
  const changed = (user?.id ?? null) !== (state.user?.id ?? null);
  state.user = user;
  $('session-status').textContent = user ? `signed in as ${user.email || user.id}` : 'signed out';
  $('sign-out').hidden = !user;
  document.body.classList.toggle('signed-in', !!user);
  if (event === 'PASSWORD_RECOVERY') {
    $('new-password-form').hidden = false;
    say('auth-msg', 'Choose a new password.', 'ok');
  }
  if (changed) {
    stopStream();
    if (user) {
      loadProfile();
      loadConfigs();
      loadJobs();
    }
  }
}

// ---- wiring -----------------------------------------------------------------------------------
function wire() {
  const sb = state.supabase;
  const creds = () => ({ email: $('email').value.trim(), password: $('password').value });
  const needEmail = () => { if (!$('email').value.trim()) throw new ApiError('Enter your email address.'); };

  $('auth-form').onsubmit = (e) => {
    e.preventDefault();
    act($('sign-in'), 'auth-msg', async () => {
      needEmail();
      const { error } = await sb.auth.signInWithPassword(creds());
      if (error) throw new ApiError(error.message);
      say('auth-msg', 'Signed in.');
    });
  };
  $('sign-up').onclick = (e) => act(e.currentTarget, 'auth-msg', async () => {
    needEmail();
    const { data, error } = await sb.auth.signUp({ ...creds(), options: { emailRedirectTo: CONSOLE_URL } });
    if (error) throw new ApiError(error.message);
    say('auth-msg', data.session ? 'Account created; you are signed in.' : 'Account created: confirm it with the link in the mail we sent.');
  });
  $('magic-link').onclick = (e) => act(e.currentTarget, 'auth-msg', async () => {
    needEmail();
    const { error } = await sb.auth.signInWithOtp({ email: $('email').value.trim(), options: { emailRedirectTo: CONSOLE_URL } });
    if (error) {
      if (error.status === 404) throw new ApiError('Magic links are not supported by this auth service (no /auth/v1/otp).');
      throw new ApiError(error.message);
    }
    say('auth-msg', 'Magic link sent: open it from the mail (see the note below for local development).');
  });
  $('reset-password').onclick = (e) => act(e.currentTarget, 'auth-msg', async () => {
    needEmail();
    const { error } = await sb.auth.resetPasswordForEmail($('email').value.trim(), { redirectTo: CONSOLE_URL });
    if (error) throw new ApiError(error.message);
    say('auth-msg', 'If the address has an account, a reset link is on its way.');
  });
  $('new-password-form').onsubmit = (e) => {
    e.preventDefault();
    act(e.submitter || $('new-password-form').querySelector('button'), 'auth-msg', async () => {
      const { error } = await sb.auth.updateUser({ password: $('new-password').value });
      if (error) throw new ApiError(error.message);
      $('new-password-form').hidden = true;
      say('auth-msg', 'Password changed.');
    });
  };
  $('sign-out').onclick = (e) => act(e.currentTarget, 'auth-msg', async () => {
    const { error } = await sb.auth.signOut();
    if (error) throw new ApiError(error.message);
    say('auth-msg', 'Signed out.');
  });

  $('save-profile').onclick = (e) => act(e.currentTarget, 'profile-msg', saveProfile);
  $('upload-dataset').onclick = (e) => act(e.currentTarget, 'dataset-msg', uploadDataset);
  $('get-recommendation').onclick = (e) => act(e.currentTarget, 'recommend-msg', recommend);
  $('reload-configs').onclick = (e) => act(e.currentTarget, 'configs-msg', loadConfigs);
  $('config-form').onsubmit = (e) => { e.preventDefault(); act($('save-config'), 'configs-msg', saveConfig); };
  $('new-config').onclick = () => editConfig(null);
  $('create-job').onclick = (e) => act(e.currentTarget, 'job-msg', createJob);
  $('reload-jobs').onclick = (e) => act(e.currentTarget, 'jobs-msg', loadJobs);
  $('stop-stream').onclick = () => stopStream();
  renderLossChart($('loss-chart'), []);
}

// ---- profile ----------------------------------------------------------------------------------
async function loadProfile() {
  try {
    const p = await state.api.get('/api/profile');
    $('full-name').value = p?.full_name ?? '';
    showAvatar(p?.avatar_url);
  } catch (e) {
    say('profile-msg', `Could not load the profile: ${describeFailure(e)}`, 'error');
  }
}

function showAvatar(url) {
  const img = $('avatar-img');
  img.hidden = !url;
  if (url) img.src = url;
}

async function saveProfile() {
  const body = { full_name: $('full-name').value.trim() };
  const file = $('avatar-file').files[0];
  if (file) {
    if (file.size > 5 * 1024 * 1024) throw new ApiError('The avatar must be at most 5 MB.');
    const ext = ((file.name.match(/\.([A-Za-z0-9]{1,5})$/) || [])[1] || file.type.split('/')[1] || 'png').toLowerCase();
    const path = `${state.user.id}/avatar.${ext}`;
    const bucket = state.supabase.storage.from('avatars');
    const { error } = await bucket.upload(path, file, { upsert: true, contentType: file.type || undefined, cacheControl: '60' });
    if (error) throw new ApiError(`Avatar upload failed: ${error.message}`);
    body.avatar_url = bucket.getPublicUrl(path).data.publicUrl;
  }
  const p = await state.api.patch('/api/profile', body);
  $('full-name').value = p?.full_name ?? body.full_name;
  if (p?.avatar_url) showAvatar(`${p.avatar_url}${p.avatar_url.includes('?') ? '&' : '?'}v=${Date.now()}`);
  $('avatar-file').value = '';
  say('profile-msg', 'Profile saved.');
}

// ---- dataset ----------------------------------------------------------------------------------
async function uploadDataset() {
  const file = $('dataset-file').files[0];
  if (!file) throw new ApiError('Choose a JSONL file first.');
  const bar = $('upload-progress');
  bar.hidden = false;
  bar.value = 0;
  $('upload-percent').textContent = '0%';
  $('dataset-result').hidden = true;
  const { promise, abort } = await state.api.uploadDataset(file, (loaded, total, done) => {
    const pct = total ? Math.round((loaded / total) * 100) : 0;
    bar.value = pct;
    $('upload-percent').textContent = done ? '100% sent, analysing…' : `${pct}%`;
  });
  $('cancel-upload').hidden = false;
  $('cancel-upload').onclick = abort;
  try {
    const ds = await promise;
    state.dataset = ds;
    state.recommendation = null;
    state.modelId = null;
    $('recommendation').hidden = true;
    $('upload-percent').textContent = 'done';
    renderDataset(ds);
    say('dataset-msg', `Uploaded ${file.name}.`);
  } catch (e) {
    $('upload-percent').textContent = '';
    bar.hidden = true;
    throw e;
  } finally {
    $('cancel-upload').hidden = true;
  }
}

function issueText(i) {
  if (typeof i === 'string') return esc(i);
  if (i && typeof i === 'object') {
    const sev = i.severity || i.level || i.type;
    const msg = i.message || i.text || i.issue || i.description || JSON.stringify(i);
    return `${sev ? `<b>${esc(sev)}</b>: ` : ''}${esc(msg)}`;
  }
  return esc(i);
}

function renderDataset(ds) {
  const score = typeof ds.quality_score === 'number' ? ds.quality_score : null;
  const scoreText = score === null ? '–' : score <= 1 ? `${Math.round(score * 100)}%` : `${num(score, 1)}`;
  const issues = Array.isArray(ds.quality_issues) ? ds.quality_issues : [];
  const invalid = Array.isArray(ds.invalid_samples) ? ds.invalid_samples : [];
  const jobId = ds.allocated_job_id || ds.job_id;
  $('dataset-result').innerHTML = `
    <div class="cards">
      <div class="card"><h3>Stats</h3><table id="dataset-stats">
        <tr><th>Examples</th><td id="stat-total-examples">${num(ds.total_examples)}</td></tr>
        <tr><th>Tokens</th><td id="stat-total-tokens">${num(ds.total_tokens)}</td></tr>
        <tr><th>Avg tokens / example</th><td>${num(ds.avg_tokens_per_example, 1)}</td></tr>
        <tr><th>Single-turn</th><td>${num(ds.single_turn_pct, 1)}%</td></tr>
        <tr><th>Multi-turn</th><td>${num(ds.multi_turn_pct, 1)}%</td></tr>
        <tr><th>System prompts</th><td>${yesNo(ds.has_system_prompts)}</td></tr>
      </table></div>
      <div class="card"><h3>Quality <span id="quality-score" class="score">${esc(scoreText)}</span></h3>
        ${issues.length ? `<ul id="quality-issues">${issues.map((i) => `<li>${issueText(i)}</li>`).join('')}</ul>` : '<p id="quality-issues" class="muted">No issues found.</p>'}
      </div>
      <div class="card"><h3>Characteristics</h3><table>
        <tr><th>Multi-turn</th><td>${yesNo(ds.is_multi_turn)}</td></tr>
        <tr><th>Multilingual</th><td>${yesNo(ds.is_multilingual)}</td></tr>
        <tr><th>Looks like JSON output</th><td>${yesNo(ds.looks_like_json)}</td></tr>
        <tr><th>Avg response length</th><td>${num(ds.avg_response_length, 1)}</td></tr>
        <tr><th>Dominant language</th><td>${esc(ds.dominant_language ?? '–')}</td></tr>
      </table></div>
    </div>
    <h3>Invalid lines: <span id="invalid-count">${num(ds.invalid_lines ?? invalid.length)}</span></h3>
    ${invalid.length ? `<table id="invalid-samples"><tr><th>Line</th><th>Reason</th></tr>${invalid.map((s) => `<tr><td>${esc(s.line)}</td><td>${esc(s.reason)}</td></tr>`).join('')}</table>` : ''}
    <p class="muted">dataset <code id="dataset-id">${esc(ds.id)}</code>${jobId ? ` · job id <code>${esc(jobId)}</code>` : ''}${ds.session_id ? ` · session <code>${esc(ds.session_id)}</code>` : ''}</p>`;
  $('dataset-result').hidden = false;
}

// ---- recommendation ---------------------------------------------------------------------------
async function recommend() {
  if (!state.dataset?.id) throw new ApiError('Upload a dataset first.');
  const rec = await state.api.post('/api/recommendations', {
    dataset_id: state.dataset.id, task_type: $('task-type').value, deployment_target: $('deployment-target').value,
  });
  if (!rec?.primary) throw new ApiError('The recommendation service returned no model.');
  state.recommendation = rec;
  state.modelId = rec.primary.model_id;
  const card = (m, primary) => `
    <label class="card model ${primary ? 'primary' : ''}" data-model-id="${esc(m.model_id)}">
      <input type="radio" name="model" value="${esc(m.model_id)}" ${primary ? 'checked' : ''} />
      <h3>${primary ? '★ ' : ''}${esc(m.model_name || m.model_id)} <span class="score">${num(m.score, 0)}</span></h3>
      <p class="muted">${esc(m.size ?? '')}${m.context_window ? ` · context ${num(m.context_window)}` : ''}${m.estimated_training_minutes != null ? ` · ~${num(m.estimated_training_minutes, 0)} min training` : ''}${m.is_gated ? ' · gated (needs a Hugging Face token)' : ''}</p>
      <ul>${(m.reasons || []).map((r) => `<li>${esc(r)}</li>`).join('')}</ul>
    </label>`;
  const alts = Array.isArray(rec.alternatives) ? rec.alternatives : [];
  $('recommendation').innerHTML = `<div id="primary-model">${card(rec.primary, true)}</div>
    <h3>Alternatives</h3><div class="cards" id="alternatives">${alts.map((m) => card(m, false)).join('') || '<p class="muted">none</p>'}</div>`;
  $('recommendation').hidden = false;
  $('recommendation').querySelectorAll('input[name=model]').forEach((r) => { r.onchange = () => { state.modelId = r.value; }; });
}

// ---- training configs -------------------------------------------------------------------------
const CFG_FIELDS = ['lora_rank', 'lora_alpha', 'lora_dropout', 'learning_rate', 'num_epochs', 'batch_size',
  'gradient_accumulation_steps', 'warmup_ratio', 'max_seq_length'];

async function loadConfigs() {
  const page = await state.api.get('/api/training-configs?limit=100');
  state.configs = Array.isArray(page?.items) ? page.items : [];
  if (state.configId && !state.configs.some((c) => c.id === state.configId)) state.configId = '';
  const row = (c) => `<tr data-config-id="${esc(c.id)}">
      <td><input type="radio" name="config" value="${esc(c.id)}" ${state.configId === c.id ? 'checked' : ''} /></td>
      <td>${esc(c.name)} ${c.is_system ? '<span class="tag">preset</span>' : ''}${c.is_default ? '<span class="tag">default</span>' : ''}</td>
      <td>${num(c.lora_rank)}</td><td>${num(c.learning_rate, 6)}</td><td>${num(c.num_epochs)}</td><td>${num(c.batch_size)}</td>
      <td>${c.is_system ? '' : `<button type="button" data-edit="${esc(c.id)}">Edit</button> <button type="button" data-delete="${esc(c.id)}">Delete</button>`}</td></tr>`;
  $('config-list').innerHTML = `<table><tr><th></th><th>Name</th><th>Rank</th><th>LR</th><th>Epochs</th><th>Batch</th><th></th></tr>
    <tr><td><input type="radio" name="config" value="" ${state.configId ? '' : 'checked'} /></td><td colspan="6">Recommended defaults (no config)</td></tr>
    ${state.configs.map(row).join('')}</table>
    <p class="muted">${num(page?.total)} configs</p>`;
  $('config-list').querySelectorAll('input[name=config]').forEach((r) => { r.onchange = () => { state.configId = r.value; }; });
  $('config-list').querySelectorAll('[data-edit]').forEach((b) => {
    b.onclick = () => editConfig(state.configs.find((c) => c.id === b.dataset.edit));
  });
  $('config-list').querySelectorAll('[data-delete]').forEach((b) => {
    b.onclick = () => act(b, 'configs-msg', async () => {
      if (!confirm('Delete this training config?')) return;
      await state.api.del(`/api/training-configs/${encodeURIComponent(b.dataset.delete)}`);
      say('configs-msg', 'Config deleted.');
      await loadConfigs();
    });
  });
}

function editConfig(c) {
  $('cfg-id').value = c?.id ?? '';
  $('cfg-name').value = c?.name ?? '';
  $('cfg-is_default').checked = !!c?.is_default;
  const defaults = { lora_rank: 16, lora_alpha: 32, lora_dropout: 0.05, learning_rate: 0.0002, num_epochs: 3, batch_size: 4,
    gradient_accumulation_steps: 4, warmup_ratio: 0.03, max_seq_length: 2048 };
  for (const f of CFG_FIELDS) $(`cfg-${f}`).value = String(c?.[f] ?? defaults[f]);
  $('config-editor-title').textContent = c ? `Edit “${c.name}”` : 'New training config';
  $('config-editor-box').open = true;
}

async function saveConfig() {
  const body = { name: $('cfg-name').value.trim(), is_default: $('cfg-is_default').checked };
  for (const f of CFG_FIELDS) {
    const v = $(`cfg-${f}`).value.trim();
    if (v === '') continue;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new ApiError(`${f} must be a number.`, { field: f });
    body[f] = n;
  }
  if (!body.name) throw new ApiError('Give the config a name.', { field: 'name' });
  const id = $('cfg-id').value;
  const saved = id ? await state.api.put(`/api/training-configs/${encodeURIComponent(id)}`, body)
    : await state.api.post('/api/training-configs', body);
  state.configId = saved?.id ?? state.configId;
  editConfig(null);
  $('config-editor-box').open = false;
  say('configs-msg', id ? 'Config updated.' : 'Config created and selected.');
  await loadConfigs();
}

// ---- jobs -------------------------------------------------------------------------------------
async function createJob() {
  if (!state.dataset?.id) throw new ApiError('Upload a dataset first.');
  const body = { dataset_id: state.dataset.id, task_type: $('task-type').value, deployment_target: $('deployment-target').value };
  if (state.modelId) body.model_id = state.modelId;
  if (state.configId) body.training_config_id = state.configId;
  const job = await state.api.post('/api/jobs', body);
  state.job = job;
  const notebookUrl = job.notebook_url || job.signed_url || job.notebook_signed_url;
  $('job-result').innerHTML = `
    <table>
      <tr><th>Job</th><td><code id="job-id">${esc(job.id)}</code></td></tr>
      <tr><th>Status</th><td id="created-job-status">${esc(job.status)}</td></tr>
      <tr><th>Model</th><td>${esc(job.model_name || job.model_id || '–')}</td></tr>
      <tr><th>Notebook</th><td>${notebookUrl ? `<a id="notebook-link" href="${esc(notebookUrl)}" target="_blank" rel="noopener">signed link</a> (expires) · ` : ''}
        <button type="button" id="download-notebook">Download notebook</button></td></tr>
      ${job.job_secret ? `<tr><th>Job secret</th><td><code id="job-secret">${esc(job.job_secret)}</code><br/><span class="muted">Shown once: the notebook uses it to report progress.</span></td></tr>` : ''}
    </table>`;
  $('job-result').hidden = false;
  $('download-notebook').onclick = (e) => act(e.currentTarget, 'job-msg', () => downloadNotebook(job.id, job.notebook_name));
  say('job-msg', 'Job created.');
  watch(job.id);
  loadJobs().catch((e) => say('jobs-msg', describeFailure(e), 'error'));
}

async function downloadNotebook(jobId, name) {
  const blob = await state.api.notebookBlob(jobId);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name && /\.ipynb$/.test(name) ? name : `slmgen-${jobId}.ipynb`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
  say('job-msg', `Notebook downloaded (${blob.size < 1024 ? `${blob.size} bytes` : `${Math.round(blob.size / 1024)} KB`}).`);
}

async function loadJobs() {
  const page = await state.api.get('/api/jobs?limit=20');
  const items = Array.isArray(page?.items) ? page.items : [];
  $('job-list').innerHTML = items.length ? `<table id="job-table"><tr><th>Created</th><th>Model</th><th>Task</th><th>Target</th><th>Status</th><th></th></tr>
    ${items.map((j) => `<tr data-job-id="${esc(j.id)}"><td>${esc((j.created_at || '').replace('T', ' ').slice(0, 19))}</td>
      <td>${esc(j.model_name || j.model_id || '–')}</td><td>${esc(j.task_type)}</td><td>${esc(j.deployment_target)}</td>
      <td class="status status-${esc(j.status)}">${esc(j.status)}</td>
      <td><button type="button" data-watch="${esc(j.id)}">Watch</button> <button type="button" data-notebook="${esc(j.id)}">Notebook</button></td></tr>`).join('')}
    </table><p class="muted">${num(page.total)} jobs</p>` : '<p class="muted">No jobs yet.</p>';
  $('job-list').querySelectorAll('[data-watch]').forEach((b) => { b.onclick = () => watch(b.dataset.watch); });
  $('job-list').querySelectorAll('[data-notebook]').forEach((b) => {
    b.onclick = () => act(b, 'jobs-msg', () => downloadNotebook(b.dataset.notebook));
  });
}

// ---- live progress ----------------------------------------------------------------------------
function stopStream() {
  if (state.stream) { state.stream.stop(); state.stream = null; }
  $('stop-stream').hidden = true;
}

function watch(jobId) {
  stopStream();
  state.points = [];
  renderLossChart($('loss-chart'), state.points);
  $('event-log').replaceChildren();
  $('progress-job').textContent = jobId;
  $('job-status').textContent = '–';
  $('job-step').textContent = '–';
  $('job-loss').textContent = '–';
  $('stop-stream').hidden = false;
  const stream = state.api.streamEvents(jobId, {
    onState: (s) => { if (state.stream === stream || !state.stream) $('stream-state').textContent = s; },
    onEvent: (e) => { if (state.stream === stream) onProgressEvent(e); },
  });
  state.stream = stream;
  document.getElementById('progress').scrollIntoView({ block: 'nearest' });
}

function onProgressEvent(e) {
  const p = e.payload && typeof e.payload === 'object' ? e.payload : {};
  const status = { completed: 'completed', failed: 'failed', cancelled: 'cancelled' }[e.type] || 'processing';
  $('job-status').textContent = status;
  if (typeof p.step === 'number') $('job-step').textContent = p.total_steps ? `${p.step} / ${p.total_steps}` : String(p.step);
  if (typeof p.loss === 'number') {
    $('job-loss').textContent = p.loss.toFixed(4);
    state.points.push({ x: typeof p.step === 'number' ? p.step : Number(e.seq) || state.points.length, y: p.loss });
    renderLossChart($('loss-chart'), state.points);
  }
  const li = document.createElement('li');
  const parts = [e.type];
  if (p.epoch != null) parts.push(`epoch ${p.epoch}`);
  if (p.step != null) parts.push(`step ${p.step}`);
  if (p.loss != null) parts.push(`loss ${p.loss}`);
  if (p.learning_rate != null) parts.push(`lr ${p.learning_rate}`);
  if (p.message) parts.push(p.message);
  li.textContent = parts.join(' · ');
  $('event-log').prepend(li);
  if (status !== 'processing') {
    // the server's list now has the final status too
    setTimeout(() => loadJobs().catch((err) => say('jobs-msg', describeFailure(err), 'error')), 300);
    const cell = document.querySelector(`#job-list tr[data-job-id="${CSS.escape(e.job_id || '')}"] .status`);
    if (cell) { cell.textContent = status; cell.className = `status status-${status}`; }
  } else {
    const cell = document.querySelector(`#job-list tr[data-job-id="${CSS.escape(e.job_id || '')}"] .status`);
    if (cell && cell.textContent === 'created') { cell.textContent = 'processing'; cell.className = 'status status-processing'; }
  }
}

window.addEventListener('unhandledrejection', (e) => {
  const el = $('global-error');
  el.hidden = false;
  el.textContent = describeFailure(e.reason);
});

boot().catch((e) => {
  const el = $('global-error');
  el.hidden = false;
  el.textContent = `The console could not start: ${describeFailure(e)}`;
});
