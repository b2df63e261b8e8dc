// "Use a Custom Model" as the SLMGEN app does it (SPEC §15): POST /slmgen/validate-model through the
// gateway, answered by catalog-service from the Hugging Face Hub at HF_ENDPOINT - in CI a local stand-in,
// e2e/hub/fake_hub.py (FAKE_HUB_URL) - then generate-notebook with the validated id, and the notebook
// loads that model with LoRA targets for its architecture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GATEWAY, jsonl, newUser } from './helpers.js';

const API = `${GATEWAY}/slmgen`;
const HUB = process.env.FAKE_HUB_URL;
const skip = HUB ? false : 'FAKE_HUB_URL not set (catalog-service must read a local stand-in for the hub)';

// exactly what the app sends: JSON, no apikey, optionally the user's token
function post(path, body, token) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  return fetch(`${API}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function hubRequests() {
  return (await (await fetch(`${HUB}/requests`)).json()).requests;
}

test('a compatible custom model validates with the hub facts SLMGEN shows', { skip }, async () => {
  const res = await post('/validate-model', { model_id: 'e2e-org/tiny-chat' });
  assert.equal(res.status, 200, await res.clone().text());
  const body = await res.json();
  assert.deepEqual(Object.keys(body), ['model_id', 'name', 'architecture', 'context_window', 'is_gated', 'downloads',
    'likes', 'is_compatible', 'compatibility_reason', 'supported_architectures']);
  assert.equal(body.model_id, 'e2e-org/tiny-chat');
  assert.equal(body.name, 'tiny-chat');
  assert.equal(body.architecture, 'LlamaForCausalLM');
  assert.equal(body.context_window, 2048);
  assert.equal(body.is_gated, false);
  assert.equal(body.downloads, 1234);
  assert.equal(body.likes, 56);
  assert.equal(body.is_compatible, true);
  assert.equal(body.compatibility_reason, "✅ Architecture 'LlamaForCausalLM' is supported by Unsloth");
  assert.ok(body.supported_architectures.includes('LlamaForCausalLM'));
});

test('an unsupported architecture, an unknown id, a malformed id', { skip }, async () => {
  const odd = await (await post('/validate-model', { model_id: 'e2e-org/odd-arch' })).json();
  assert.equal(odd.is_compatible, false);
  assert.equal(odd.architecture, 'BloomForCausalLM');
  assert.equal(odd.context_window, 4096);
  assert.match(odd.compatibility_reason, /^⚠️ Architecture 'BloomForCausalLM' may not be optimized by Unsloth$/);

  const unknown = await post('/validate-model', { model_id: 'e2e-org/does-not-exist' });
  assert.equal(unknown.status, 404);
  assert.equal((await unknown.json()).detail, "Model 'e2e-org/does-not-exist' not found on Hugging Face Hub");

  const before = await hubRequests();
  for (const id of ['../../etc/passwd', 'a/b/c', 'x?y=1/z', '']) {
    const res = await post('/validate-model', { model_id: id });
    assert.ok([400, 422].includes(res.status), `${id} -> ${res.status}`);
    assert.equal(typeof (await res.json()).detail !== 'undefined', true);
  }
  assert.equal(await hubRequests(), before, 'a malformed id must never reach the hub');
});

test('catalog models are answered without the hub; a second lookup is cached', { skip }, async () => {
  const before = await hubRequests();
  const res = await post('/validate-model', { model_id: 'microsoft/Phi-4-mini-instruct' });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).is_compatible, true);
  await post('/validate-model', { model_id: 'e2e-org/tiny-chat' }); // validated by the first test
  assert.equal(await hubRequests(), before);
});

test('a signed-in person gets a notebook for the validated custom model', { skip }, async () => {
  const { session } = await newUser('custom-model');
  const form = new FormData();
  form.append('file', new Blob([jsonl(60)], { type: 'application/octet-stream' }), 'custom.jsonl');
  const up = await fetch(`${API}/upload`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${session.access_token}` } });
  assert.equal(up.status, 200, await up.clone().text());
  const { session_id } = await up.json();

  const gen = await post('/generate-notebook', { session_id, model_id: 'e2e-org/tiny-chat' }, session.access_token);
  assert.equal(gen.status, 200, await gen.clone().text());
  const out = await gen.json();
  assert.equal(out.message, 'Notebook generated for tiny-chat!');
  assert.match(out.notebook_filename, /^finetune_tiny-chat_[0-9a-f]{8}\.ipynb$/);

  const nb = await fetch(`${API}${out.download_url}`);
  assert.equal(nb.status, 200);
  const source = (await nb.json()).cells.map((c) => [].concat(c.source).join('')).join('\n');
  assert.match(source, /e2e-org\/tiny-chat/);
  const targets = /target_modules=\[([^\]]*)\]/.exec(source);
  assert.ok(targets, 'the LoRA cell names its target modules');
  assert.deepEqual(targets[1].split(',').map((t) => t.trim().replace(/^["']|["']$/g, '')),
    ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']);

  // the job in History names the custom model
  const jobs = await (await fetch(`${API}/jobs`, { headers: { Authorization: `Bearer ${session.access_token}` } })).json();
  const job = jobs.find((j) => j.session_id === session_id);
  assert.ok(job, 'the job is in History');
  assert.equal(job.selected_model_id, 'e2e-org/tiny-chat');

  // an incompatible model is refused as SLMGEN refuses an invalid id
  const bad = await post('/generate-notebook', { session_id, model_id: 'e2e-org/odd-arch' }, session.access_token);
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).detail, /^Invalid model_id\./);
});
