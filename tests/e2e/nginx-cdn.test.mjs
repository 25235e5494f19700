// deploy/nginx/serve.sh behind a CDN: two edges (plain shared caches that
// honour the origin's Cache-Control and Vary, as a CDN would; see
// startEdge) in front of one serve.sh, in front of a recording API.
// key-kept: many viewers through both edges cost each tier about one
// request per run per second. pass-through: the edge keeps nothing, so one
// key's answer never reaches another key.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { sleep, uid } from './harness.mjs';
import { startNginx, startRecorder, startEdge, rawGet, accessLogLines } from './nginx-helpers.mjs';

const SERVER_KEY = 'sk_' + '5eed'.repeat(16);
const KEY_A = 'sk_' + 'aaaa'.repeat(16);
const KEY_B = 'sk_' + 'bbbb'.repeat(16);
const ctx = {};

/** The API: a JSON 200 naming the caller's credentials and project; 401 without a key. */
function respond(req) {
  if (!req.headers.authorization) {
    return { status: 401, body: JSON.stringify({ error: { message: 'no key', code: 'unauthorized' } }) };
  }
  const body = { runId: 'run_x', target: req.url, auth: req.headers.authorization, project: req.headers['x-wonda-project'] ?? null };
  return { headers: { 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}

before(async () => {
  ctx.api = await startRecorder(respond);
});

after(async () => {
  await ctx.api?.stop();
});

test('key-kept behind two CDN edges: 40 viewers polling at 1 s cost about one request per run and project per second at each tier', async (t) => {
  const origin = await startNginx({ upstream: ctx.api.url, mode: 'kept', key: SERVER_KEY });
  const edges = [await startEdge({ origin: origin.url }), await startEdge({ origin: origin.url })];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  try {
    const id = `run_demo-${uid()}`;
    const target = `/api/v1/runs/${id}`;
    const viewers = 40;
    const seconds = 8;
    const answers = [];
    const t0 = Date.now();
    await Promise.all(Array.from({ length: viewers }, async (_, i) => {
      const edge = edges[i % 2];
      const project = i % 4 < 2 ? 'alpha' : 'beta'; // both projects through both edges
      await sleep((i * 1000) / viewers);
      while (Date.now() - t0 < seconds * 1000) {
        const start = Date.now();
        const res = await rawGet(edge.url + target, { 'x-wonda-project': project }, { agent });
        answers.push({ project, res });
        await sleep(Math.max(0, 1000 - (Date.now() - start)));
      }
    }));
    const elapsed = (Date.now() - t0) / 1000;
    assert.ok(answers.length >= viewers * (seconds - 1), `viewer requests: ${answers.length}`);
    for (const { project, res } of answers) {
      assert.equal(res.status, 200);
      assert.equal(res.headers['cache-control'], 'public, s-maxage=1, max-age=0');
      assert.match(res.headers.vary, /X-Wonda-Project/);
      const body = JSON.parse(res.body);
      assert.equal(body.project, project, 'each project gets its own answer through the edge');
      assert.equal(body.auth, `Bearer ${SERVER_KEY}`);
    }
    const hits = answers.filter(({ res }) => ['HIT', 'UPDATING'].includes(res.headers['x-edge-cache'])).length;
    assert.ok(hits > answers.length * 0.8, `edge hits: ${hits} of ${answers.length}`);

    // Tier by tier, per project: edges → serve.sh at most one per edge per second; serve.sh → API at most one per second.
    await sleep(1_200); // serve.sh flushes its access log every second
    const atOrigin = (await accessLogLines(origin, target)).length;
    const perSecond = Math.ceil(elapsed) + 1;
    assert.ok(atOrigin <= 2 * 2 * perSecond, `${atOrigin} requests reached serve.sh in ${elapsed.toFixed(1)} s for ${answers.length} viewer requests`);
    t.diagnostic(`${answers.length} viewer requests in ${elapsed.toFixed(1)} s (${hits} edge hits) → ${atOrigin} at serve.sh → ${ctx.api.to(target).length} at the API (2 projects)`);
    for (const project of ['alpha', 'beta']) {
      const atApi = ctx.api.to(target).filter((r) => r.headers['x-wonda-project'] === project).length;
      assert.ok(atApi >= seconds / 2 && atApi <= perSecond, `${atApi} API requests for ${project} in ${elapsed.toFixed(1)} s`);
    }
  } finally {
    agent.destroy();
    for (const e of edges) await e.stop();
    await origin.stop();
  }
});

test('pass-through behind a CDN edge: private, no-store and Vary: Authorization, so no key\'s answer reaches another', async () => {
  const origin = await startNginx({ upstream: ctx.api.url, mode: 'pass' });
  const edge = await startEdge({ origin: origin.url });
  try {
    const id = `run_demo-${uid()}`;
    const target = `/api/v1/runs/${id}`;
    await sleep(1000 - (Date.now() % 1000) + 10); // all within one second
    const callers = [KEY_A, KEY_B, null, KEY_A, KEY_B];
    const answers = [];
    for (const key of callers) answers.push(await rawGet(edge.url + target, key ? { authorization: `Bearer ${key}` } : {}));
    answers.forEach((res, i) => {
      const key = callers[i];
      assert.equal(res.status, key ? 200 : 401);
      if (key) assert.equal(JSON.parse(res.body).auth, `Bearer ${key}`, `caller ${i} got its own answer`);
      assert.equal(res.headers['cache-control'], key ? 'private, no-store' : 'no-store');
      assert.match(res.headers.vary, /Authorization/);
      assert.notEqual(res.headers['x-edge-cache'], 'HIT');
    });
    await sleep(1_200);
    assert.equal((await accessLogLines(origin, target)).length, callers.length, 'every request went through the edge to serve.sh');
    // serve.sh's own cache still shares an answer between requests of the same key only.
    assert.deepEqual(ctx.api.to(target).map((r) => r.headers.authorization ?? null), [`Bearer ${KEY_A}`, `Bearer ${KEY_B}`, null]);
  } finally {
    await edge.stop();
    await origin.stop();
  }
});
