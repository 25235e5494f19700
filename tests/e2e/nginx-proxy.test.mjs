// What deploy/nginx/serve.sh lets through to the API, shown with raw request
// lines over a socket and a recording upstream that keeps exactly what
// reached it: only the checked request, rebuilt from its parts, with only
// the headers the API needs; nothing that could poison the shared cache for
// another viewer; errors in the API's shape with the security headers; no
// way around the one-request-per-run-per-second coalescing.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT, sleep, uid } from './harness.mjs';
import { startNginx, startRecorder, rawGetLine, rawRequest } from './nginx-helpers.mjs';

const SERVER_KEY = 'sk_' + '5eed'.repeat(16);
const USER_KEY = 'sk_' + '0bad'.repeat(16);
const ctx = {};

/**
 * The recorder's answers: a JSON 200 echoing the target, and reflecting
 * what a careless API might reflect (Origin into CORS, X-Forwarded-Host and
 * X-Original-URL into the body); `run_hang-*` never answers, `run_html-*` is
 * an HTML 200, `run_err-*` a JSON 503.
 */
function respond(req) {
  if (req.url.startsWith('/api/v1/runs/run_hang')) return null;
  const headers = { 'cache-control': 'no-store', vary: 'Origin' };
  if (req.headers.origin) {
    headers['access-control-allow-origin'] = req.headers.origin;
    headers['access-control-allow-credentials'] = 'true';
  }
  if (req.url.startsWith('/api/v1/runs/run_html')) return { headers: { 'content-type': 'text/html' }, body: '<h1>hi</h1>' };
  if (req.url.startsWith('/api/v1/runs/run_err')) {
    return { status: 503, body: JSON.stringify({ error: { message: 'down', code: 'internal_server_error' } }) };
  }
  const body = { runId: 'run_x', target: req.url, host: req.headers['x-forwarded-host'] ?? null, original: req.headers['x-original-url'] ?? null };
  return { headers, body: JSON.stringify(body) };
}

before(async () => {
  ctx.api = await startRecorder(respond);
  ctx.kept = await startNginx({ upstream: ctx.api.url, mode: 'kept', key: SERVER_KEY });
  ctx.pass = await startNginx({ upstream: ctx.api.url, mode: 'pass' });
});

after(async () => {
  await ctx.kept?.stop();
  await ctx.pass?.stop();
  await ctx.api?.stop();
});

/** Waits for the start of the next wall-clock second: the cache key holds the second. */
async function startOfSecond() {
  await sleep(1000 - (Date.now() % 1000) + 10);
}

/** Asserts an answer nginx made itself: status, the API's error shape with `code`, security headers, no-store. */
function assertOwnError(res, status, code, what) {
  assert.equal(res.status, status, `${what}: ${res.raw.slice(0, 300)}`);
  assert.equal(JSON.parse(res.body).error.code, code, `${what}: ${res.body}`);
  assert.match(res.headers['content-type'], /^application\/json/, what);
  assert.match(res.headers['content-security-policy'] ?? '', /^default-src 'none'/, `${what}: CSP`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.equal(res.headers['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`);
  assert.equal(res.headers['cache-control'], 'no-store', `${what}: Cache-Control`);
}

test('only the checked path goes upstream: dot segments, empty segments, encoded slashes and backslashes are refused, nothing reaches the API', async () => {
  const id = `run_demo-${uid()}`;
  const refused = [
    `/_sim/x/../../api/v1/runs/${id}`,
    `//api//v1//runs//${id}`,
    `/api//v1/runs/${id}`,
    `/api/v1/runs/${id}/`,
    `/api/v1/./runs/${id}`,
    `/api/v1/runs/${id}/../../blueprints/bp_x/runs`,
    `/api/v1/blueprints/bp_x/runs/../../../runs/${id}`,
    `/api/v1/runs/x/..%2F..%2Fblueprints%2Fbp_x%2Fruns`,
    `/api/v1/runs/${id}%2F..%2F..`,
    `/api/v1/runs/..`,
    `/api/v1/runs/.`,
    `/api/v1/runs/%2E%2E`,
    `/api/v1/runs/.hidden`,
    `/api/v1/runs/${id}%5C..%5Cx`,
    `/api\\v1\\runs\\${id}`,
    `/api/v1/runs/${id}\\..\\x`,
    `/api/v1/runs/run%5Fdemo`,
    `/api/v1/runs/${'a'.repeat(129)}`,
    `/api/v1/blueprints//runs`,
    `/api/v1/blueprints/bp_x/runs/`,
    `/api/v2/runs/${id}`,
    `/api/v1/blueprints/bp_x/metadata`,
  ];
  for (const target of refused) {
    for (const nginx of [ctx.kept, ctx.pass]) {
      const res = await rawGetLine(nginx.port, target, [`Authorization: Bearer ${USER_KEY}`]);
      if (target.startsWith('/api\\')) {
        // Not under /api/ for nginx either (a backslash is no separator): the app's page.
        assert.equal(res.status, 200, target);
        assert.equal(res.body, (await rawGetLine(nginx.port, '/')).body, target);
        continue;
      }
      assert.ok([400, 404].includes(res.status), `${target}: ${res.status}`);
      assertOwnError(res, res.status, res.status === 404 ? 'not_found' : 'bad_request', target);
    }
  }
  assert.deepEqual(ctx.api.requests.map((r) => r.url), [], 'nothing reached the API');

  // The checked forms do, rebuilt from their parts.
  const ok = await rawGetLine(ctx.kept.port, `/api/v1/runs/${id}`);
  assert.equal(ok.status, 200);
  const history = await rawGetLine(ctx.kept.port, '/api/v1/blueprints/bp_x.1~-_/runs');
  assert.equal(history.status, 200);
  assert.deepEqual(ctx.api.requests.map((r) => r.url), [`/api/v1/runs/${id}`, '/api/v1/blueprints/bp_x.1~-_/runs']);
});

test('the cache key is the request sent upstream: every spelling of one history page is one request, a run URL takes no query', async () => {
  const bp = `bp_${uid()}`;
  const base = `/api/v1/blueprints/${bp}/runs`;
  await startOfSecond();
  // One page, spelled five ways: one upstream request, one cache entry.
  const spellings = [`${base}?cursor=17_run%2Fa&limit=5`, `${base}?limit=5&cursor=17_run%2fa`, `${base}?limit=5&cursor=%31%37_run%2Fa`, `${base}?cursor=17_run/a&limit=5`];
  const answers = [];
  for (const target of spellings) answers.push(await rawGetLine(ctx.kept.port, target));
  const canonical = `${base}?cursor=17_run%2Fa&limit=5`;
  for (const res of answers) {
    assert.equal(res.status, 200, res.raw);
    assert.equal(JSON.parse(res.body).target, canonical, 'each answer is the answer to what went upstream');
  }
  assert.deepEqual(ctx.api.to(base).map((r) => r.url), [canonical]);
  assert.deepEqual(answers.map((r) => r.headers['x-runview-cache']), ['MISS', 'HIT', 'HIT', 'HIT']);

  // What used to share a key with a different upstream request: refused.
  const id = `run_demo-${uid()}`;
  const run = `/api/v1/runs/${id}`;
  for (const target of [`${run}?y=1`, `${run}%3Fy=1`, `${run}?`, `${base}%3Fcursor=17_run%2Fa&limit=5`, `${base}?cursor=a&cursor=b`, `${base}?nonce=1`,
    `${base}?limit=0`, `${base}?limit=101`, `${base}?limit=05`, `${base}?page=x`, `${base}?cursor=`, `${base}?cursor=%E0%A4%A`, `${base}?cursor=${'c'.repeat(513)}`, `${base}?cursor=a&`]) {
    const res = await rawGetLine(ctx.kept.port, target);
    assert.ok([400, 404].includes(res.status), `${target}: ${res.status} ${res.body}`);
    assertOwnError(res, res.status, res.status === 404 ? 'not_found' : 'bad_request', target);
  }
  assert.deepEqual(ctx.api.to(run).map((r) => r.url), []);
  assert.deepEqual(ctx.api.to(base).map((r) => r.url), [canonical]);
});

test('only Authorization, one X-Wonda-Project, Accept and User-Agent reach the API; no client header, no body', async () => {
  const id = `run_demo-${uid()}`;
  const smuggled = [
    'X-Forwarded-Host: evil.example', 'X-Forwarded-For: 6.6.6.6', 'X-Original-URL: /api/v1/admin', 'X-Rewrite-URL: /api/v1/admin',
    'Forwarded: host=evil.example', 'X-HTTP-Method-Override: DELETE', 'Proxy-Authorization: Basic ZXZpbDpldmls', 'Origin: https://evil.example',
    'Cookie: session=1', 'Referer: https://evil.example/', 'Accept-Encoding: gzip', 'Accept: text/html', 'User-Agent: evil/1.0',
    'X-Wonda-Project: alpha', 'Content-Type: text/plain', 'Content-Length: 5',
  ];
  for (const [nginx, auth] of [[ctx.kept, `Bearer ${SERVER_KEY}`], [ctx.pass, `Bearer ${USER_KEY}`]]) {
    const target = `/api/v1/runs/${id}-${nginx === ctx.kept ? 'kept' : 'pass'}`;
    const res = await rawRequest(nginx.port, [`GET ${target} HTTP/1.1`, 'Host: localhost', `Authorization: Bearer ${USER_KEY}`, ...smuggled, 'Connection: close', '', 'hello'].join('\r\n'));
    assert.equal(res.status, 200, res.raw);
    const [got] = ctx.api.to(target);
    const names = [];
    const values = {};
    for (let i = 0; i < got.rawHeaders.length; i += 2) {
      names.push(got.rawHeaders[i].toLowerCase());
      values[got.rawHeaders[i].toLowerCase()] = got.rawHeaders[i + 1];
    }
    assert.deepEqual(names.sort(), ['accept', 'authorization', 'host', 'user-agent', 'x-wonda-project'], target);
    assert.equal(values.authorization, auth, `${target}: Authorization`);
    assert.equal(values['x-wonda-project'], 'alpha');
    assert.equal(values.accept, 'application/json');
    assert.equal(values['user-agent'], 'runview-nginx');
    assert.equal(got.method, 'GET');
    assert.equal(got.body, '', 'no request body upstream');
    // The API's CORS and caching headers stay here (same origin).
    for (const h of Object.keys(res.headers)) assert.ok(!h.startsWith('access-control-'), `${target}: ${h}`);
    assert.equal(res.headers['content-encoding'], 'gzip', 'compressed here for the client that asked');
    assert.equal(JSON.parse(gunzipSync(Buffer.from(res.body, 'latin1'))).host, null);
  }

  // Two projects, two Authorization headers: refused, nothing upstream.
  const before = ctx.api.requests.length;
  for (const nginx of [ctx.kept, ctx.pass]) {
    const two = await rawGetLine(nginx.port, `/api/v1/runs/${id}`, ['X-Wonda-Project: alpha', 'X-Wonda-Project: beta']);
    assertOwnError(two, 400, 'bad_request', 'two X-Wonda-Project headers');
    const joined = await rawGetLine(nginx.port, `/api/v1/runs/${id}`, ['X-Wonda-Project: alpha,beta']);
    assertOwnError(joined, 400, 'bad_request', 'X-Wonda-Project with a comma');
  }
  const twoAuth = await rawGetLine(ctx.pass.port, `/api/v1/runs/${id}`, [`Authorization: Bearer ${USER_KEY}`, `Authorization: Bearer ${SERVER_KEY}`]);
  assert.equal(twoAuth.status, 400);
  assert.equal(twoAuth.headers['content-security-policy']?.startsWith("default-src 'none'"), true);
  assert.equal(ctx.api.requests.length, before, 'nothing reached the API');
});

test('header poisoning never reaches another viewer: what one client sends cannot change what the next one gets from the cache', async () => {
  const id = `run_demo-${uid()}`;
  const target = `/api/v1/runs/${id}`;
  await startOfSecond();
  const attacker = await rawGetLine(ctx.kept.port, target, ['Origin: https://evil.example', 'X-Forwarded-Host: evil.example', 'X-Original-URL: /evil', 'Accept: text/html']);
  const viewer = await rawGetLine(ctx.kept.port, target);
  assert.equal(viewer.headers['x-runview-cache'], 'HIT', 'the viewer got the cached answer');
  for (const res of [attacker, viewer]) {
    assert.equal(res.status, 200);
    assert.ok(!res.raw.includes('evil'), res.raw);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    assert.equal(res.headers['access-control-allow-credentials'], undefined);
    assert.deepEqual(JSON.parse(res.body), { runId: 'run_x', target, host: null, original: null });
  }
  assert.equal(ctx.api.to(target).length, 1);
});

test('only JSON 200s are kept: an HTML 200 or an API error goes upstream every time and is marked no-store', async () => {
  for (const [id, status] of [[`run_html-${uid()}`, 200], [`run_err-${uid()}`, 503]]) {
    const target = `/api/v1/runs/${id}`;
    await startOfSecond();
    const a = await rawGetLine(ctx.kept.port, target);
    const b = await rawGetLine(ctx.kept.port, target);
    for (const res of [a, b]) {
      assert.equal(res.status, status);
      assert.equal(res.headers['cache-control'], 'no-store', target);
    }
    assert.equal(ctx.api.to(target).length, 2, `${target} went upstream twice`);
  }
});

test('nginx\'s own errors carry the security headers and the API\'s error shape: bad request line, 405, 414, headers too large', async () => {
  const { port } = ctx.kept;
  const cases = [
    [await rawRequest(port, 'GET /api/v1/runs/a b HTTP/1.1\r\nHost: x\r\n\r\n'), 400, 'bad_request', 'a space in the path'],
    [await rawRequest(port, 'GET /index.html HTTP/1.1\r\n\r\n'), 400, 'bad_request', 'no Host'],
    [await rawRequest(port, 'BREW / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), 405, 'method_not_allowed', 'an unknown method on the app'],
    [await rawRequest(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi'), 405, 'method_not_allowed', 'POST on the app'],
    [await rawGetLine(port, `/runs/${'x'.repeat(9000)}`), 414, 'bad_request', 'a 9 KB URL'],
    [await rawGetLine(port, '/', [`X-Big: ${'y'.repeat(9000)}`]), 400, 'bad_request', 'a 9 KB header'],
    [await rawGetLine(port, '/no-such-0123456789abcdef.js'), 404, 'not_found', 'a missing hashed asset'],
  ];
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    const res = await rawRequest(port, `${method} /api/v1/runs/run_demo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
    cases.push([res, 405, 'method_not_allowed', `${method} on the API`]);
    assert.equal(res.headers.allow, 'GET, HEAD', `${method}: Allow`);
  }
  for (const [res, status, code, what] of cases) assertOwnError(res, status, code, what);
  assert.deepEqual(ctx.api.requests.filter((r) => r.url === '/api/v1/runs/run_demo'), [], 'no method but GET reached the API');
});

test('assets: a missing hashed asset is a no-store 404, never immutable; dot files and .br/.gz siblings are not served by their own names', async () => {
  const files = await readdir(path.join(ROOT, 'dist'));
  const wasm = files.find((f) => /^runview-[0-9a-f]+_bg\.wasm$/.test(f));
  assert.ok(wasm, 'a built dist/');
  // The real one is immutable…
  const real = await rawGetLine(ctx.kept.port, `/${wasm}`);
  assert.equal(real.status, 200);
  assert.equal(real.headers['cache-control'], 'public, max-age=31536000, immutable');
  // …a name of the next (or previous) deploy is not.
  for (const missing of ['/runview-0123456789abcdef_bg.wasm', '/runview-0123456789abcdef.js', '/main-0123456789abcdef.css']) {
    assertOwnError(await rawGetLine(ctx.kept.port, missing), 404, 'not_found', missing);
  }
  const siblings = files.filter((f) => /\.(br|gz)$/.test(f));
  assert.ok(siblings.length > 0, 'pre-compressed siblings in dist/');
  for (const target of ['/.trunk-lock', '/.env', '/%2Etrunk-lock', `/${siblings[0]}`, '/index.html.gz', '/index.html.br', `/${wasm}.br`]) {
    assertOwnError(await rawGetLine(ctx.kept.port, target), 404, 'not_found', target);
  }
  // The siblings still replace their original when the browser accepts them.
  const br = await rawGetLine(ctx.kept.port, `/${wasm}`, ['Accept-Encoding: br']);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(Number(br.headers['content-length']), (await readFile(path.join(ROOT, 'dist', `${wasm}.br`))).length);
});

test('a query cannot bypass the coalescing: 40 cache-busting variations in one second cost one upstream request', async () => {
  const id = `run_demo-${uid()}`;
  const bp = `bp_${uid()}`;
  const nginx = await startNginx({ upstream: ctx.api.url, mode: 'kept', key: SERVER_KEY, rateLimit: 1000 });
  try {
    await startOfSecond();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => [
      rawGetLine(nginx.port, `/api/v1/runs/${id}?nonce=${i}`),
      rawGetLine(nginx.port, `/api/v1/runs/${id}#${i}`),
      rawGetLine(nginx.port, `/api/v1/blueprints/${bp}/runs?limit=5&nonce=${i}`),
      rawGetLine(nginx.port, i % 2 ? `/api/v1/blueprints/${bp}/runs?limit=5&cursor=c%${(0x61 + (i % 3)).toString(16)}` : `/api/v1/blueprints/${bp}/runs?cursor=c${'abc'[i % 3]}&limit=5`),
    ]).flat());
    const statuses = {};
    for (const r of answers) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    assert.deepEqual(statuses, { 200: 40, 400: 80, 404: 40 }, 'nonces refused, fragments (not HTTP) refused, cursor spellings served');
    assert.deepEqual(ctx.api.to(`/api/v1/runs/${id}`).length, 0);
    // Three cursors (ca, cb, cc), each asked for in two spellings: three requests.
    assert.deepEqual(ctx.api.to(`/api/v1/blueprints/${bp}/runs`).map((r) => r.url).sort(),
      ['ca', 'cb', 'cc'].map((c) => `/api/v1/blueprints/${bp}/runs?cursor=${c}&limit=5`));
  } finally {
    await nginx.stop();
  }
});

test('rate limit per client address: a burst of 2×rate is served, beyond it a JSON 429 with Retry-After, nothing more upstream', async () => {
  const bp = `bp_${uid()}`;
  const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => rawGetLine(ctx.pass.port, `/api/v1/blueprints/${bp}/runs?page=${i + 1}`, [`Authorization: Bearer ${USER_KEY}`])));
  const ok = answers.filter((r) => r.status === 200).length;
  const limited = answers.filter((r) => r.status === 429);
  // rate 10/s, burst 20: 21 at once, plus at most a few refilled while the 60 arrive.
  assert.ok(ok >= 21 && ok <= 26, `served: ${ok}`);
  assert.equal(ok + limited.length, 60);
  for (const res of limited) {
    assertOwnError(res, 429, 'rate_limit_exceeded', '429');
    assert.equal(res.headers['retry-after'], '1');
  }
  assert.equal(ctx.api.to(`/api/v1/blueprints/${bp}/runs`).length, ok);
  await sleep(2_100); // the limit refills: the next test's requests pass
});

test('a hanging API still sees one request per run per second: the viewers wait on the lock, then share nginx\'s 504', async () => {
  const nginx = await startNginx({ upstream: ctx.api.url, mode: 'kept', key: SERVER_KEY });
  const id = `run_hang-${uid()}`;
  const target = `/api/v1/runs/${id}`;
  const seconds = 12; // past the old 5 s lock timeout and the 10 s read timeout
  const answers = [];
  const inFlight = [];
  try {
    const t0 = Date.now();
    while (Date.now() - t0 < seconds * 1000) {
      // Four viewers a second, each asking once and waiting (well under the rate limit).
      inFlight.push(rawGetLine(nginx.port, target).then((r) => answers.push(r), () => {}));
      await sleep(250);
    }
    const elapsed = (Date.now() - t0) / 1000;
    const upstream = ctx.api.to(target).length;
    assert.ok(upstream <= Math.ceil(elapsed) + 1, `${upstream} upstream requests in ${elapsed.toFixed(1)} s`);
    // Those whose one upstream request timed out (10 s) got nginx's 504 in the API's shape.
    assert.ok(answers.length >= 4, `answers before the end: ${answers.length}`);
    for (const res of answers) assertOwnError(res, 504, 'gateway_timeout', '504');
  } finally {
    await nginx.stop(); // closes the viewers still waiting
    await Promise.all(inFlight);
  }
});
