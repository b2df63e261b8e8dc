// A job's progress reporter and its live viewer, both through the gateway, while replicas are killed.
// Usage: node sse-follow.mjs <out.json>   (env: GATEWAY_URL, ANON_KEY, JOB_ID, JOB_SECRET, USER_TOKEN,
//   STOP_FILE: once it exists, the reporter sends `completed` and the viewer reads until it arrives)
// The reporter posts one progress event every 150 ms (step 1, 2, ...); an answer that is not 201 is
// retried with the same step after 200 ms (so a step may be stored twice when a kill cut the answer, never
// lost). The viewer reads GET /api/jobs/{id}/events as an EventSource does: when the stream breaks it
// reconnects after 200 ms with Last-Event-ID, the id of the last event it got. Writes {acked: [steps],
// received: [{id, event, step}], reconnects, postFailures, viewerErrors}.
import { existsSync, writeFileSync } from 'node:fs';

const out = process.argv[2] ?? '/tmp/sse-follow.json';
const GATEWAY = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';
const { ANON_KEY, JOB_ID, JOB_SECRET, USER_TOKEN, STOP_FILE } = process.env;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const res = { acked: [], received: [], reconnects: 0, postFailures: [], viewerErrors: [] };


async function viewer() {
  let lastId = null;
  const deadline = () => res.received.some((e) => e.event === 'completed');
  while (!deadline()) {
    const headers = { Accept: 'text/event-stream', apikey: ANON_KEY, Authorization: `Bearer ${USER_TOKEN}` };
    if (lastId) headers['Last-Event-ID'] = lastId;
    try {
      const r = await fetch(`${GATEWAY}/api/jobs/${JOB_ID}/events`, { headers, signal: AbortSignal.timeout(120000) });
      if (r.status !== 200) { res.viewerErrors.push(`HTTP ${r.status}`); await r.text().catch(() => {}); }
      else {
        const decoder = new TextDecoder();
        let buffer = '';
        for await (const chunk of r.body) {
          buffer += decoder.decode(chunk, { stream: true });
          let cut;
          while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
            const ev = { event: 'message', data: '' };
            for (const line of block.split(/\r?\n/)) {
              if (line.startsWith('event:')) ev.event = line.slice(6).trim();
              else if (line.startsWith('data:')) ev.data += line.slice(5).replace(/^ /, '');
              else if (line.startsWith('id:')) ev.id = line.slice(3).trim();
            }
            if (!ev.data) continue;
            if (ev.id) lastId = ev.id;
            let step = null;
            try { step = JSON.parse(ev.data).payload?.step ?? null; } catch {}
            res.received.push({ id: ev.id, event: ev.event, step });
            if (ev.event === 'completed') break;
          }
          if (res.received.at(-1)?.event === 'completed') break;
        }
      }
    } catch (e) {
      res.viewerErrors.push(String(e.cause?.code ?? e.name));
    }
    if (deadline()) break;
    res.reconnects++;
    await sleep(200);
  }
}

async function reporter() {
  let step = 1;
  const post = async (body) => {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        const r = await fetch(`${GATEWAY}/api/jobs/${JOB_ID}/events`, {
          method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Job-Secret': JOB_SECRET },
          body: JSON.stringify(body), signal: AbortSignal.timeout(15000) });
        const text = await r.text();
        if (r.status === 201) return true;
        res.postFailures.push({ at: Date.now(), step: body.step, status: r.status, body: text.slice(0, 120) });
      } catch (e) {
        res.postFailures.push({ at: Date.now(), step: body.step, status: 0, body: String(e.cause?.code ?? e.name) });
      }
      await sleep(200);
    }
    return false;
  };
  while (!existsSync(STOP_FILE)) {
    if (await post({ type: 'progress', step, loss: 2 - step / 1000 })) res.acked.push(step);
    step++;
    await sleep(150);
  }
  if (await post({ type: 'completed', step, loss: 1 })) res.acked.push(step);

}

const v = viewer();
await reporter();
await Promise.race([v, sleep(30000)]);
writeFileSync(out, JSON.stringify(res));
console.log(`sse: ${res.acked.length} events acknowledged, ${res.received.length} received, ${res.reconnects} reconnects, ` +
  `${res.postFailures.length} retried posts, viewer errors ${JSON.stringify(res.viewerErrors.slice(0, 5))}`);
process.exit(0);
