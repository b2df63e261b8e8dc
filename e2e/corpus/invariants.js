// The invariants every corpus phase checks on every answer (README): no 5xx, no refused input accepted,
// the path family's JSON error shape, no stack-trace text, no reflected injected header, no redirect to
// `javascript:` or another host. One Checker per test file collects failures and accepted writes.
import { shapeOf, hasShape, gatewayNotFound } from './routes.js';

export const STACK = /Exception|\bat io\.|\bat java\.|\bat org\.|\bat jdk\.|Caused by:/;
export const isWrite = (m) => !['GET', 'HEAD'].includes(m);

export class Checker {
  /** allowGatewayHtml: list nginx's own HTML error pages instead of failing on them (CORPUS_ALLOW_GATEWAY_HTML=1). */
  constructor({ allowGatewayHtml = process.env.CORPUS_ALLOW_GATEWAY_HTML === '1' } = {}) {
    this.allowGatewayHtml = allowGatewayHtml;
    this.failures = [];
    this.accepted = []; // writes that answered 2xx to odd-but-valid input
    this.gatewayHtml = [];
    this.check = this.check.bind(this);
    this.fail = this.fail.bind(this);
    this.report = this.report.bind(this);
  }

  /** A failure found by a phase's own (attack-specific) invariant. */
  fail(phase, route, caseName, req, problem, res = {}) {
    this.failures.push({ phase, route, caseName, problems: [problem], request: req, status: res.status,
      body: (res.text ?? '').slice(0, 300) });
  }

  /**
   * The generic invariants for one answer; true when it kept them. mayAccept: a 2xx is acceptable (recorded
   * in `accepted`, so the row-count check knows which tables it may have written).
   */
  check(phase, route, caseName, req, res, { mayAccept = false } = {}) {
    const problems = [];
    const shape = shapeOf(route.path);
    if (res.status === 0) problems.push(`no answer (${res.error})`);
    else if (res.status >= 500) problems.push('5xx');
    else if (res.status < 400) {
      const harmless = (!isWrite(route.method) && phase !== 'token') || (route.readLike && phase !== 'token');
      if (mayAccept && phase !== 'token') this.accepted.push({ route: `${route.method} ${route.path}`, caseName, status: res.status });
      else if (!harmless) problems.push(`accepted (${res.status})`);
    }
    if (res.status >= 400 && route.method !== 'HEAD') {
      let body;
      const nginxHtml = /^\s*<html>[\s\S]*<center>nginx<\/center>/.test(res.text);
      if (nginxHtml) {
        if (!this.allowGatewayHtml) problems.push(`gateway (nginx) answered ${res.status} in HTML`);
        else this.gatewayHtml.push(`${req} → ${res.status}`);
      } else {
        try { body = JSON.parse(res.text); } catch { problems.push('body is not JSON'); }
      }
      if (body !== undefined && !hasShape(shape, body) && !gatewayNotFound(body)) problems.push(`not in the ${shape} error shape`);
    }
    if (STACK.test(res.text ?? '')) problems.push('stack trace text in body');
    const hdrs = JSON.stringify(res.headers ?? {});
    if (/x-injected/i.test(hdrs) || /injected=1/.test(hdrs)) problems.push('injected header reflected');
    const loc = res.headers?.location ?? '';
    if (/^\s*javascript:/i.test(loc) || /evil\.example/.test(loc)) problems.push(`redirects to ${loc.slice(0, 80)}`);
    if (problems.length) {
      this.failures.push({ phase, route: `${route.method} ${route.path}`, caseName, problems, request: req,
        status: res.status, body: (res.text ?? '').slice(0, 300) });
    }
    return problems.length === 0;
  }

  /** Prints a phase's failures grouped by problem and route; their number. */
  report(phase) {
    const mine = this.failures.filter((f) => f.phase === phase);
    const byKind = new Map();
    for (const f of mine) {
      const key = `${f.problems.join('+')} | ${f.route}`;
      if (!byKind.has(key)) byKind.set(key, []);
      byKind.get(key).push(f);
    }
    for (const [key, list] of byKind) {
      const f = list[0];
      console.log(`FAIL [${phase}] ${key} — ${list.length} case(s), e.g. "${f.caseName}": ${f.request} → ${f.status} ${JSON.stringify(f.body)}`);
      if (list.length > 1) console.log(`     cases: ${[...new Set(list.map((x) => x.caseName))].slice(0, 12).join('; ')}`);
    }
    return mine.length;
  }
}
