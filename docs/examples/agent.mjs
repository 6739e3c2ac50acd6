#!/usr/bin/env node
// A reference agent in plain JavaScript (Node 20+, fetch only): plays one seat through the JSON seat API.
//   node docs/examples/agent.mjs --server http://127.0.0.1:2567 --code ABCDEF --role usGov
// Each phase: accept proposals waiting for us, say ready, or submit legal.order.example in the orders.
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .join(' ')
    .split('--')
    .filter(Boolean)
    .map((s) => {
      const [k, ...v] = s.trim().split(/\s+/);
      return [k, v.join(' ') || true];
    }),
);
const server = args.server,
  name = args.name || 'JsAgent';
let calls = 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// one call; "429 slow-down" (the per-seat limit, as for people) and a dropped connection are tried again after a pause
async function call(method, path, body, token) {
  for (let attempt = 1; ; attempt++) {
    calls++;
    try {
      const res = await fetch(server + path, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const answer = { status: res.status, body: await res.json() };
      if (answer.status !== 429 || attempt >= 20) return answer;
    } catch (err) {
      if (attempt >= 5) throw err;
    }
    await sleep(250 * Math.min(attempt, 4));
  }
}
const joined = await call('POST', '/api/agents/join', { code: args.code, name, agent: true, ...(args.role ? { role: args.role } : {}) });
if (joined.status !== 201) {
  console.error('join refused:', joined.body);
  process.exit(1);
}
const token = joined.body.token;
let view = (await call('GET', '/api/agents/view', undefined, token)).body;
let ending = null;
const done = new Set();
while (view.match.phase !== 'ended') {
  for (const p of view.legal.proposals.waitingForYourAnswer)
    if (!done.has(`r${p.key}`)) {
      done.add(`r${p.key}`);
      await call('POST', '/api/agents/act', { type: 'respond', payload: { key: p.key, accept: true } }, token);
    }
  const allowed = new Set(view.legal.actions.filter((a) => a.allowedNow).map((a) => a.type));
  if (allowed.has('submit') && !view.team.submitted && !done.has(view.stamp)) {
    done.add(view.stamp);
    const r = await call('POST', '/api/agents/act', { type: 'submit', payload: { order: view.legal.order.example } }, token);
    if (r.status !== 200) console.error('submit refused:', r.body.error);
  } else if (allowed.has('ready') && !view.team.ready && !done.has(view.stamp)) {
    done.add(view.stamp);
    await call('POST', '/api/agents/act', { type: 'ready', payload: { ready: true } }, token);
  }
  const w = await call('GET', `/api/agents/wait?after=${encodeURIComponent(view.stamp)}&timeout=25`, undefined, token);
  if (w.status === 409 && w.body.code === 'match-over') {
    ending = w.body.ending;
    break;
  }
  if (w.status !== 200) {
    console.error('wait failed:', w.body);
    process.exit(1);
  }
  view = w.body.changed ? w.body.view : (await call('GET', '/api/agents/view', undefined, token)).body;
}
ending ??= view.view?.world?.ending ?? null;
console.log(JSON.stringify({ role: joined.body.role, ending: ending?.id ?? null, calls }));
