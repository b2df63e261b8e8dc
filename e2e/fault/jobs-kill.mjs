// Uploads N small datasets, then creates N jobs at once (the driver SIGKILLs jobs-service meanwhile).
// Usage: node jobs-kill.mjs <n> <out.json>   (env: GATEWAY_URL, ANON_KEY, USERS="id token")
// Touches <out.json>.creating when the creations start and <out.json>.first201 at the first success. Prints what each creation answered.
import { writeFileSync } from 'node:fs';

const [n, out] = [Number(process.argv[2] ?? 24), process.argv[3] ?? '/tmp/jobs.json'];
const GATEWAY = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';
const [, token] = process.env.USERS.split(' ');
const headers = { apikey: process.env.ANON_KEY, authorization: `Bearer ${token}` };
const jsonl = Array.from({ length: 60 }, (_, i) => JSON.stringify({ messages: [
  { role: 'user', content: `What is ${i} plus ${i}?` }, { role: 'assistant', content: `It is ${2 * i}.` }] })).join('\n') + '\n';

const ids = [];
for (let i = 0; i < n; i++) {
  const res = await fetch(`${GATEWAY}/api/datasets?filename=fault-job-${i}.jsonl`, {
    method: 'POST', headers: { ...headers, 'content-type': 'application/x-ndjson' }, body: jsonl });
  if (res.status !== 201) { console.log(`dataset upload ${i} → ${res.status} ${(await res.text()).slice(0, 200)}`); continue; }
  ids.push((await res.json()).id);
}
writeFileSync(`${out}.creating`, '');
// staggered (one every JOB_STAGGER_MS), so the kill finds creations at every step: before the commit,
// between the commit and the notebook upload, after it
const stagger = Number(process.env.JOB_STAGGER_MS ?? 60);
const results = await Promise.all(ids.map(async (id, i) => {
  await new Promise((r) => setTimeout(r, i * stagger));
  try {
    const res = await fetch(`${GATEWAY}/api/jobs`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ dataset_id: id, task_type: 'qa', deployment_target: 'cloud' }), signal: AbortSignal.timeout(30000) });
    if (res.status === 201) writeFileSync(`${out}.first201`, '');
    return res.status;
  } catch (e) { return String(e.cause?.code ?? e.name); }
}));
const tally = {};
for (const r of results) tally[r] = (tally[r] ?? 0) + 1;
writeFileSync(out, JSON.stringify({ datasets: ids.length, tally }));
console.log(`jobs: ${ids.length} datasets, creations answered ${JSON.stringify(tally)}`);
