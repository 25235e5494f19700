// The deployment: the built app served by nginx through deploy/nginx/serve.sh,
// /api/ proxied to the simulator, in key-kept and pass-through modes. What a
// viewer sees (a run without typing a key, Settings saying who holds it),
// what leaves the browser (no key in key-kept mode), what the simulator
// receives (its request log), the headers, and the shared cache.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import {
  DEMO_KEY, KEY_STORAGE, ROOT, startSim, launchBrowser, openPage, gotoRun, runBadge, setClock, injectFault, requests, uid, waitFor, sleep,
} from './harness.mjs';
import { startNginx, rawGet, runServe, freePort } from './nginx-helpers.mjs';

const OTHER_KEY = 'sk_' + '0bad'.repeat(16);
const ctx = {};

before(async () => {
  ctx.sim = await startSim({ speed: 5 });
  const mediaOrigins = [ctx.sim.media];
  // 40 viewers poll from one address below: above the default rate limit (nginx-proxy.test.mjs tests it).
  ctx.kept = await startNginx({ upstream: ctx.sim.api, mode: 'kept', key: DEMO_KEY, mediaOrigins, rateLimit: 100 });
  ctx.pass = await startNginx({ upstream: ctx.sim.api, mode: 'pass', mediaOrigins });
  ctx.browser = await launchBrowser();
});

after(async () => {
  await ctx.browser?.close();
  await ctx.kept?.stop();
  await ctx.pass?.stop();
  await ctx.sim?.stop();
});

/** The page's origin is nginx; the media origin stays the simulator's. */
const site = (nginx) => ({ api: nginx.url, media: ctx.sim.media });

/** Records every request the page makes, with all its headers. */
function recordRequests(page) {
  const seen = [];
  page.on('request', async (req) => {
    const entry = { url: req.url(), headers: null };
    seen.push(entry);
    try {
      entry.headers = await req.allHeaders();
    } catch {
      entry.headers = req.headers();
    }
  });
  return seen;
}

/** sha256 CSP sources of every inline <script> body of the built index.html. */
async function inlineScriptHashes() {
  const html = await readFile(path.join(ROOT, 'dist/index.html'), 'utf8');
  const out = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (/\bsrc\s*=/i.test(m[1])) continue;
    out.push(`'sha256-${createHash('sha256').update(m[2], 'utf8').digest('base64')}'`);
  }
  return out;
}

/** Waits for the start of the next wall-clock second: the cache key holds the second. */
async function startOfSecond() {
  await sleep(1000 - (Date.now() % 1000) + 10);
}

/** Every file under `dir`, recursively. */
async function filesUnder(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

test('key-kept mode: a run shows with no key in the browser, and Settings says the server holds it', async () => {
  const p = await openPage(ctx.browser, site(ctx.kept), { key: null });
  const { page } = p;
  const seen = recordRequests(page);
  try {
    const id = `run_demo-${uid()}`;
    await setClock(ctx.sim, id, 120_000);
    await gotoRun(page, id);
    await runBadge(page).filter({ hasText: /^succeeded$/ }).waitFor();
    await page.locator('li.step-row').first().waitFor();
    assert.equal(await page.getByRole('dialog', { name: 'Settings' }).count(), 0, 'no settings prompt');

    // No Authorization header left the browser; the simulator got the configured key.
    await waitFor(() => seen.every((r) => r.headers !== null), { message: 'request headers' });
    const api = seen.filter((r) => r.url.startsWith(`${ctx.kept.url}/api/`));
    assert.ok(api.length > 0, 'the page called the API through nginx');
    for (const r of seen) assert.equal(r.headers.authorization, undefined, `Authorization sent to ${r.url}`);
    const log = await requests(ctx.sim, id);
    assert.ok(log.length > 0);
    assert.deepEqual(log.map((r) => [r.status, r.auth]), log.map(() => [200, 'ok']));
    assert.equal(await page.evaluate((k) => sessionStorage.getItem(k) ?? localStorage.getItem(k), KEY_STORAGE), null);

    // Settings: one line about the server's key, no key field.
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.waitFor();
    assert.equal(
      (await dialog.getByRole('note').textContent()).trim(),
      'The API key is managed by the server: this page reaches the API through it, and no key is kept in this browser.',
    );
    assert.equal(await dialog.getByLabel('API key').count(), 0);
    assert.equal(await dialog.getByRole('button', { name: 'Forget key' }).count(), 0);
    p.check();
  } finally {
    await p.close();
  }
});

test('key-kept mode: a server key the API refuses is explained as the server\'s, with no key prompt', async () => {
  const wrong = await startNginx({ upstream: ctx.sim.api, mode: 'kept', key: OTHER_KEY, mediaOrigins: [ctx.sim.media] });
  const p = await openPage(ctx.browser, site(wrong), { key: null });
  const { page } = p;
  try {
    const id = `run_demo-${uid()}`;
    await page.goto(`/runs/${id}`);
    await page.getByRole('heading', { name: "The API refused this server's key." }).waitFor();
    assert.equal(await page.getByRole('dialog', { name: 'Settings' }).count(), 0, 'no settings prompt');
    assert.match(await page.getByRole('alert').filter({ hasText: 'refused this server' }).textContent(), /Ask whoever runs it to check the key/);
    assert.deepEqual((await requests(ctx.sim, id)).map((r) => [r.status, r.auth]), [[401, 'wrong']]);
    p.check();
  } finally {
    await p.close();
    await wrong.stop();
  }
});

test('key-kept mode: a key a browser sends is replaced by the server key', async () => {
  const id = `run_demo-${uid()}`;
  await setClock(ctx.sim, id, 120_000);
  const res = await rawGet(`${ctx.kept.url}/api/v1/runs/${id}`, { authorization: `Bearer ${OTHER_KEY}` });
  assert.equal(res.status, 200);
  assert.equal(JSON.parse(res.body).runId, id);
  assert.deepEqual((await requests(ctx.sim, id)).map((r) => r.auth), ['ok']);
  assert.ok(!JSON.stringify(res.headers).includes(DEMO_KEY), 'the key in a response header');
});

test('pass-through mode: the browser\'s own key is forwarded', async () => {
  const p = await openPage(ctx.browser, site(ctx.pass), { key: DEMO_KEY });
  const { page } = p;
  const seen = recordRequests(page);
  try {
    const id = `run_demo-${uid()}`;
    await setClock(ctx.sim, id, 120_000);
    await gotoRun(page, id);
    await runBadge(page).filter({ hasText: /^succeeded$/ }).waitFor();
    await waitFor(() => seen.every((r) => r.headers !== null), { message: 'request headers' });
    const api = seen.filter((r) => r.url.startsWith(`${ctx.pass.url}/api/`));
    assert.ok(api.length > 0);
    for (const r of api) assert.equal(r.headers.authorization, `Bearer ${DEMO_KEY}`);
    const log = await requests(ctx.sim, id);
    assert.ok(log.length > 0);
    assert.deepEqual(log.map((r) => r.auth), log.map(() => 'ok'));
    p.check();
  } finally {
    await p.close();
  }
});

test('pass-through mode: a second key never receives the first key\'s cached response', async () => {
  const id = `run_demo-${uid()}`;
  await setClock(ctx.sim, id, 120_000);
  const url = `${ctx.pass.url}/api/v1/runs/${id}`;
  await startOfSecond(); // all four requests within one second (one cache element per second)
  const first = await rawGet(url, { authorization: `Bearer ${DEMO_KEY}` });
  assert.equal(first.status, 200);
  const other = await rawGet(url, { authorization: `Bearer ${OTHER_KEY}` });
  const none = await rawGet(url);
  const again = await rawGet(url, { authorization: `Bearer ${DEMO_KEY}` });
  // The first key's answer is cached (so the refusals below are not the cache being off)…
  assert.equal(again.status, 200);
  assert.equal(again.headers['x-runview-cache'], 'HIT');
  // …and the other callers got the API's own refusal, body unchanged.
  assert.equal(other.status, 401);
  assert.equal(JSON.parse(other.body).error.code, 'unauthorized');
  assert.equal(other.headers['x-runview-cache'], 'MISS');
  assert.equal(none.status, 401);
  assert.deepEqual((await requests(ctx.sim, id)).map((r) => [r.status, r.auth]), [[200, 'ok'], [401, 'wrong'], [401, 'missing']]);
});

test('key-kept mode: the project header passes and splits the cache', async () => {
  const id = `run_demo-${uid()}`;
  await setClock(ctx.sim, id, 120_000);
  const url = `${ctx.kept.url}/api/v1/runs/${id}`;
  await startOfSecond();
  const a = await rawGet(url, { 'x-wonda-project': 'alpha' });
  const b = await rawGet(url, { 'x-wonda-project': 'beta' });
  const a2 = await rawGet(url, { 'x-wonda-project': 'alpha' });
  assert.deepEqual([a.status, b.status, a2.status], [200, 200, 200]);
  assert.deepEqual([a.headers['x-runview-cache'], b.headers['x-runview-cache'], a2.headers['x-runview-cache']], ['MISS', 'MISS', 'HIT']);
  assert.equal((await requests(ctx.sim, id)).length, 2);
  // An unknown project: the API's 400 and its body reach the caller unchanged.
  const bad = await rawGet(url, { 'x-wonda-project': 'nope' });
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.body).error.code, 'unknown_project');
});

test('errors pass unchanged and uncached: Retry-After and the body of a 429', async () => {
  const id = `run_demo-${uid()}`;
  await setClock(ctx.sim, id, 120_000);
  await injectFault(ctx.sim, id, '429', 3);
  const direct = await rawGet(`${ctx.sim.api}/api/v1/runs/${id}`, { authorization: `Bearer ${DEMO_KEY}` });
  assert.equal(direct.status, 429);
  const url = `${ctx.kept.url}/api/v1/runs/${id}`;
  const first = await rawGet(url);
  const second = await rawGet(url);
  for (const res of [first, second]) {
    assert.equal(res.status, 429);
    assert.equal(res.headers['retry-after'], direct.headers['retry-after']);
    assert.ok(res.body.equals(direct.body), `body ${res.body} vs ${direct.body}`);
  }
  // Both 429s came from the API (nothing cached); then the run itself.
  const ok = await rawGet(url);
  assert.equal(ok.status, 200);
  assert.deepEqual((await requests(ctx.sim, id)).map((r) => r.status), [429, 429, 429, 200]);
});

test('the key never lands in a log, a cache file or a response; only its 0600 include holds it', async () => {
  // Some traffic first, so logs and cache files exist.
  const id = `run_demo-${uid()}`;
  await setClock(ctx.sim, id, 120_000);
  await rawGet(`${ctx.kept.url}/api/v1/runs/${id}`);
  await rawGet(`${ctx.pass.url}/api/v1/runs/${id}`, { authorization: `Bearer ${DEMO_KEY}` });
  await rawGet(`${ctx.kept.url}/api/v2/nothing`);
  await sleep(1_200); // access logs flush every second
  const holders = [];
  let cacheFiles = 0;
  for (const nginx of [ctx.kept, ctx.pass]) {
    for (const f of await filesUnder(nginx.stateDir)) {
      if (f.includes(`${path.sep}cache${path.sep}`)) cacheFiles++;
      if ((await readFile(f)).includes(DEMO_KEY)) holders.push(path.relative(nginx.stateDir, f) + (nginx === ctx.kept ? ' (kept)' : ' (pass)'));
    }
  }
  assert.ok(cacheFiles >= 2, `cache files written: ${cacheFiles}`);
  assert.deepEqual(holders, ['conf/key.conf (kept)']);
  assert.equal((await stat(path.join(ctx.kept.stateDir, 'conf/key.conf'))).mode & 0o777, 0o600);
  assert.equal((await stat(path.join(ctx.kept.stateDir, 'conf/nginx.conf'))).mode & 0o777, 0o600);
});

test('CSP: exact inline-script hashes, and zero violations while loading, polling and opening media', async () => {
  const p = await openPage(ctx.browser, site(ctx.kept), {
    key: null,
    initScripts: [() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
      });
    }],
  });
  const { page } = p;
  const refused = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  const seen = recordRequests(page);
  try {
    const id = `run_demo-${uid()}`;
    await setClock(ctx.sim, id, 0); // live for ~20 s at speed 5
    const response = await page.goto(`/runs/${id}`);
    const csp = response.headers()['content-security-policy'];
    const hashes = await inlineScriptHashes();
    assert.ok(hashes.length >= 2, `inline scripts in dist/index.html: ${hashes.length}`);
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(directives['default-src'], ["'none'"]);
    assert.deepEqual(directives['script-src'], ["'self'", ...hashes, "'wasm-unsafe-eval'"]);
    assert.deepEqual(directives['connect-src'], ["'self'", ctx.sim.api, ctx.sim.media]);
    assert.deepEqual(directives['media-src'], ["'self'", 'https:', ctx.sim.media]);
    for (const d of ['frame-ancestors', 'base-uri', 'object-src']) assert.deepEqual(directives[d], ["'none'"], d);
    assert.equal(response.headers()['x-content-type-options'], 'nosniff');
    assert.equal(response.headers()['referrer-policy'], 'no-referrer');

    // Loading and polling a live run (the page polls at 1 s while it changes).
    await page.locator('code.run-header__id', { hasText: id }).waitFor({ timeout: 15_000 });
    const polls = () => seen.filter((r) => r.url === `${ctx.kept.url}/api/v1/runs/${id}`).length;
    await waitFor(() => polls() >= 4, { timeout: 15_000, message: '4 polls' });
    await setClock(ctx.sim, id, 120_000);
    await runBadge(page).filter({ hasText: /^succeeded$/ }).waitFor({ timeout: 15_000 });

    // Media: the hero, the gallery and its filmstrip, and the lightbox (images, video, audio, text).
    const video = page.locator('main video').first();
    await video.waitFor();
    await waitFor(() => video.evaluate((v) => v.readyState >= 1), { timeout: 15_000, message: 'video metadata' });
    const text = page.locator('main .preview--text pre.preview__lines').first();
    await waitFor(async () => (await text.textContent()).trim().length > 1, { timeout: 15_000, message: 'a text preview' });
    const viewButtons = page.getByRole('region', { name: 'Outputs' }).getByRole('button', { name: /full size$/ });
    const n = await viewButtons.count();
    assert.ok(n >= 3, `outputs to view: ${n}`);
    await viewButtons.first().click();
    const lightbox = page.getByRole('dialog', { name: 'Output viewer' });
    await lightbox.waitFor();
    for (let i = 1; i < n; i++) {
      await lightbox.getByRole('button', { name: 'Next output' }).click();
      await sleep(200);
    }
    await lightbox.getByRole('button', { name: 'Close viewer' }).click();
    await sleep(500);
    // Code splitting: the lazily loaded pages' chunks load under the CSP too.
    await page.locator('body').press('h');
    await page.getByRole('heading', { level: 1, name: /^Runs of / }).waitFor();
    await page.goto('/compare/run_take_1/run_take_2');
    await page.getByRole('table').getByRole('rowheader', { name: 'Compose scene' }).waitFor();
    assert.ok(seen.some((r) => /\/split_compare-[0-9a-f]{16}\.wasm$/.test(r.url)), 'the compare chunk was fetched');

    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'securitypolicyviolation events');
    assert.deepEqual(refused, [], 'CSP console messages');
    p.check();
  } finally {
    await p.close();
  }
});

test('SPA fallback for every app route, pre-compressed assets, cache lifetimes, wasm type', async () => {
  const index = await readFile(path.join(ROOT, 'dist/index.html'));
  for (const route of ['/', '/runs/run_abc123', '/blueprints/bp_1', '/compare/run_a/run_b', '/no/such/page']) {
    const res = await rawGet(ctx.pass.url + route);
    assert.equal(res.status, 200, route);
    assert.match(res.headers['content-type'], /^text\/html/, route);
    assert.equal(res.headers['cache-control'], 'no-cache', route);
    assert.ok(res.body.equals(index), `${route} serves dist/index.html`);
    assert.ok(res.headers['content-security-policy'].startsWith("default-src 'none'"), route);
  }
  const html = index.toString('utf8');
  const wasm = html.match(/\/(runview-[0-9a-f]+_bg\.wasm)/)[1];
  const js = html.match(/\/(runview-[0-9a-f]+\.js)/)[1];
  const css = html.match(/\/(main-[0-9a-f]+\.css)/)[1];
  const cases = [[wasm, 'application/wasm'], [js, 'application/javascript'], [css, 'text/css']];
  // Code splitting: the chunk loader and every page chunk are hashed, immutable assets too.
  const lazy = (await readdir(path.join(ROOT, 'dist'))).filter((f) => /^(split|chunk)_\w+-[0-9a-f]{16}\.wasm$/.test(f));
  assert.ok(lazy.some((f) => f.startsWith('split_history-')) && lazy.some((f) => f.startsWith('split_compare-')), `chunks in dist: ${lazy}`);
  cases.push([html.match(/\/(runview-split-[0-9a-f]+\.js)/)[1], 'application/javascript'], ...lazy.map((f) => [f, 'application/wasm']));
  for (const [file, type] of cases) {
    for (const [accept, encoding, suffix] of [['br, gzip', 'br', '.br'], ['gzip', 'gzip', '.gz'], ['identity', undefined, '']]) {
      const res = await rawGet(`${ctx.kept.url}/${file}`, { 'accept-encoding': accept });
      assert.equal(res.status, 200, file);
      assert.equal(res.headers['content-type'].split(';')[0], type, file);
      assert.equal(res.headers['content-encoding'], encoding, `${file} with Accept-Encoding: ${accept}`);
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', file);
      assert.ok(res.body.equals(await readFile(path.join(ROOT, 'dist', file + suffix))), `${file}${suffix} bytes`);
    }
  }
  // A missing hashed asset is a 404, never index.html under a script's name.
  assert.equal((await rawGet(`${ctx.kept.url}/runview-0000000000000000.js`)).status, 404);
  // Only GET /api/v1/runs/{id} and a blueprint's history are proxied.
  const other = await rawGet(`${ctx.kept.url}/api/v1/blueprints`);
  assert.equal(other.status, 404);
  assert.equal(JSON.parse(other.body).error.code, 'not_found');
  const history = await rawGet(`${ctx.kept.url}/api/v1/blueprints/bp_shorts/runs`);
  assert.equal(history.status, 200, history.body);
  assert.ok(Array.isArray(JSON.parse(history.body).runs ?? JSON.parse(history.body)), history.body);
});

test('40 viewers polling one run at 1 s cost about one upstream request per second', async () => {
  const id = `run_demo-${uid()}`;
  await setClock(ctx.sim, id, 10_000);
  const url = `${ctx.kept.url}/api/v1/runs/${id}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const viewers = 40;
  const seconds = 10;
  const statuses = [];
  const t0 = Date.now();
  await Promise.all(Array.from({ length: viewers }, async (_, i) => {
    await sleep((i * 1000) / viewers); // spread over the first second, like real viewers
    while (Date.now() - t0 < seconds * 1000) {
      const start = Date.now();
      statuses.push((await rawGet(url, {}, { agent })).status);
      await sleep(Math.max(0, 1000 - (Date.now() - start)));
    }
  }));
  agent.destroy();
  const elapsed = (Date.now() - t0) / 1000;
  const upstream = (await requests(ctx.sim, id)).length;
  assert.ok(statuses.length >= viewers * (seconds - 1), `viewer requests: ${statuses.length}`);
  assert.deepEqual([...new Set(statuses)], [200]);
  assert.ok(upstream >= 3, `upstream requests: ${upstream}`);
  assert.ok(upstream <= Math.ceil(elapsed) + 1, `${upstream} upstream requests in ${elapsed.toFixed(1)} s for ${statuses.length} viewer requests`);
});

test('serve.sh: --help, bad flags, a missing key and an nginx config error exit non-zero with a clear message; SIGTERM stops it', async () => {
  const help = await runServe(['--help']);
  assert.equal(help.code, 0);
  for (const flag of ['--dist', '--listen', '--upstream', '--mode', '--key-file', '--media-origin', '--state-dir', '--rate-limit', '--tls-cert', '--tls-key', '--redirect-http', 'RUNVIEW_API_KEY']) {
    assert.ok(help.stdout.includes(flag), `--help documents ${flag}`);
  }
  const base = ['--dist', 'dist', '--listen', `127.0.0.1:${await freePort()}`, '--upstream', ctx.sim.api];
  const bad = await runServe([...base, '--mode', 'pass', '--frobnicate']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown flag: --frobnicate/);
  const noKey = await runServe([...base, '--mode', 'kept'], { env: { RUNVIEW_API_KEY: '' } });
  assert.equal(noKey.code, 2);
  assert.match(noKey.stderr, /kept mode needs the API key/);
  const badMode = await runServe([...base, '--mode', 'open']);
  assert.equal(badMode.code, 2);
  assert.match(badMode.stderr, /--mode must be kept or pass/);
  const confError = await runServe(['--dist', 'dist', '--listen', 'no-such-host.invalid:8080', '--upstream', ctx.sim.api, '--mode', 'pass']);
  assert.equal(confError.code, 1);
  assert.match(confError.stderr, /nginx refused the configuration/);
  for (const r of [bad, noKey, badMode, confError]) assert.equal(r.stdout, '', 'nothing on stdout (no READY line)');

  const nginx = await startNginx({ upstream: ctx.sim.api, mode: 'kept', key: DEMO_KEY });
  assert.equal(nginx.stdout, `READY http://127.0.0.1:${nginx.port}\n`);
  assert.equal((await rawGet(`${nginx.url}/`)).status, 200);
  assert.deepEqual(await nginx.stop(), { code: 0, signal: null });
  const refused = await new Promise((resolve) => {
    const s = net.connect(nginx.port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(false); });
    s.once('error', () => resolve(true));
  });
  assert.ok(refused, 'nginx stopped listening');
});
