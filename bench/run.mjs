// runview performance benchmark: ten measures (P1–P10; P7 in p7.mjs, P8 in p8.mjs, P9 in p9.mjs, P10 in p10.mjs), one table on stdout,
// BENCHMARKS.md at the repository root. Expects the sim built
// ($RUNVIEW_SIM_BIN, set by scripts/env.sh) and the app built into $BENCH_DIST
// (default target/bench-dist). Run through scripts/bench.sh.
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { p7 } from './p7.mjs'; // P7: viewers through deploy/nginx (issue 10)
import { p8 } from './p8.mjs'; // P8: Lighthouse mobile (issue 18)
import { p9 } from './p9.mjs'; // P9: step search on 20,000 steps (issue 20)
import { p10 } from './p10.mjs'; // P10: replay on 5,000 steps (issue 20)

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIM_BIN = process.env.RUNVIEW_SIM_BIN ?? path.join(ROOT, 'target/release/runview-sim');
const DIST = path.resolve(ROOT, process.env.BENCH_DIST || 'target/bench-dist');
const BASELINE = path.join(ROOT, 'bench/baseline');
const KEY = 'sk_' + '5eed'.repeat(16);
const FROZEN = 0.000001; // sim speed that effectively freezes run clocks (0 is refused)
const ONLY = (process.env.BENCH_ONLY || '').split(',').filter(Boolean);
const want = (p) => ONLY.length === 0 || ONLY.includes(p);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : String(x));
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : String(x));
const log = (...a) => console.error('[bench]', ...a);

// ---------------------------------------------------------------- servers
const sims = new Set();
async function startSim({ appDir, speed }) {
  const child = spawn(SIM_BIN, ['--port', '0', '--media-port', '0', '--app-dir', appDir, '--speed', String(speed)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  child.stderr.resume();
  const exited = new Promise((r) => child.once('exit', r));
  const sim = {
    child,
    async stop() {
      sims.delete(sim);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
  sims.add(sim);
  const api = await new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error('sim: no READY line in 20 s')), 20000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/READY api=(\S+) media=(\S+)/);
      if (m) { clearTimeout(t); resolve(m[1]); }
    });
    exited.then((c) => { clearTimeout(t); reject(new Error(`sim exited early (${c})`)); });
  });
  child.stdout.resume();
  sim.api = api;
  return sim;
}
async function stopAll() {
  await Promise.all([...sims].map((s) => s.stop()));
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, async () => { await stopAll(); process.exit(130); });

async function admin(sim, method, p, body) {
  const res = await fetch(sim.api + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${p} → ${res.status}`);
  return res.status === 204 ? null : res.json();
}
const setClock = (sim, runId, elapsedMs) => admin(sim, 'POST', `/_sim/runs/${runId}/clock`, { elapsedMs });
const simGets = async (sim, runId) =>
  (await admin(sim, 'GET', `/_sim/requests?runId=${encodeURIComponent(runId)}`)).filter((r) => r.method === 'GET');
async function getRun(sim, runId) {
  const res = await fetch(`${sim.api}/api/v1/runs/${runId}`, { headers: { Authorization: `Bearer ${KEY}` } });
  if (!res.ok) throw new Error(`GET run ${runId} → ${res.status}`);
  return res.json();
}

// ---------------------------------------------------------------- browser
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--js-flags=--expose-gc'];

// Injected into every page: the key, a fetch wrapper counting concurrent
// /api/ requests, the wasm memory, and a hook on the app's 1 s clock interval.
const INIT = `(() => {
  try { sessionStorage.setItem('runview.apiKey', ${JSON.stringify(KEY)}); } catch (e) {}
  const B = (window.__bench = { inflight: 0, maxInflight: 0, started: 0, done: 0, ticks: 0, lastTick: 0, ends: [], tickAt: [] });
  const of = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : (input && input.url) || String(input);
    if (!url.includes('/api/')) return of.apply(this, arguments);
    B.inflight++; B.started++; B.maxInflight = Math.max(B.maxInflight, B.inflight);
    const p = of.apply(this, arguments);
    const end = () => { B.inflight--; B.done++; B.ends.push(performance.now()); if (B.ends.length > 200) B.ends.shift(); };
    p.then(end, end);
    return p;
  };
  const keep = (r) => { try { const i = r.instance || r; if (i.exports && i.exports.memory) window.__wasmMemory = i.exports.memory; } catch (e) {} return r; };
  const is = WebAssembly.instantiateStreaming, ii = WebAssembly.instantiate;
  if (is) WebAssembly.instantiateStreaming = function () { return is.apply(this, arguments).then(keep); };
  WebAssembly.instantiate = function () { return ii.apply(this, arguments).then(keep); };
  const si = window.setInterval;
  window.setInterval = function (fn, ms, ...rest) {
    if (typeof fn !== 'function' || ms !== 1000) return si.call(this, fn, ms, ...rest);
    return si.call(this, function () { B.ticks++; B.lastTick = performance.now(); B.tickAt.push(B.lastTick); if (B.tickAt.length > 200) B.tickAt.shift(); return fn.apply(this, arguments); }, ms, ...rest);
  };
})();`;

let browser;
async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(INIT);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  return { context, page, cdp };
}
const markTime = (page, name) =>
  page.evaluate((n) => { const m = performance.getEntriesByName(n, 'mark')[0]; return m ? m.startTime : null; }, name);
async function waitMark(page, name, timeout = 30000) {
  await page.waitForFunction((n) => performance.getEntriesByName(n, 'mark').length > 0, name, { timeout, polling: 20 });
  return markTime(page, name);
}
const raf2 = 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))))';

// Clicks "Refresh now" and resolves once the response arrived and two frames passed.
const REFRESH_FN = `async () => {
  const B = window.__bench, before = B.done;
  const btn = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Refresh now');
  btn.click();
  const t0 = performance.now();
  while (B.done === before) { if (performance.now() - t0 > 10000) throw new Error('no response in 10 s'); await new Promise((r) => setTimeout(r, 2)); }
  await new Promise((r) => setTimeout(r, 0));
  await ${raf2};
}`;
async function clickButton(page, text) {
  await page.getByRole('button', { name: text, exact: true }).click();
}

// ---------------------------------------------------------------- results
const rows = [];
const notes = {};
function addRow(id, measure, figure, target, pass) {
  rows.push({ id, measure, figure, target, result: pass === null ? 'n/a' : pass ? 'PASS' : 'MISS' });
}

// P1 ------------------------------------------------------------------
// The run page's first load, what follows its first paint, and the chunks loaded on demand.
function brotliBytes(f) {
  const buf = fs.readFileSync(path.join(DIST, f));
  return zlib.brotliCompressSync(buf, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_MODE]: f.endsWith('.wasm') ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
    },
  }).length;
}
// The files of DIST a fresh browser context fetches for `url` before the
// user-timing mark `mark` (or before `ready` resolved, without one), and
// those it starts in the 500 ms after (what waits for the first paint).
// Told apart by the page's own clock (resource timing), so a request made
// right after the mark is never counted as before it. index.html counts as
// fetched: every route is served as it.
async function distFilesFetched(sim, url, ready, known, mark = null) {
  const { context, page } = await newPage();
  try {
    await page.goto(sim.api + url);
    await ready(page);
    const cutoff = await page.evaluate((m) => (m ? performance.getEntriesByName(m)[0].startTime : performance.now()), mark);
    await sleep(500);
    const entries = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => [e.name, e.startTime]));
    const first = new Set(['index.html']);
    const after = new Set();
    for (const [name, start] of entries) {
      const f = decodeURIComponent(new URL(name).pathname.slice(1));
      if (known.has(f)) (start <= cutoff ? first : after).add(f);
    }
    return { first, after: [...after].filter((f) => !first.has(f)) };
  } finally {
    await context.close();
  }
}
async function p1() {
  const files = fs.readdirSync(DIST).filter((f) => /\.(wasm|js|css|html)$/.test(f)).sort();
  const br = new Map(files.map((f) => [f, brotliBytes(f)]));
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const sum = (fs_) => [...fs_].reduce((a, f) => a + br.get(f), 0);
  const name = (f) => f.replace(/-[0-9a-f]{16}(?=(_bg)?\.)/, '');
  const list = (fs_) => [...fs_].sort().map((f) => `${name(f)} ${kib(br.get(f))}`).join(', ');
  const sim = await startSim({ appDir: DIST, speed: 1 });
  let first, afterPaint, compare;
  try {
    ({ first, after: afterPaint } = await distFilesFetched(sim, `/runs/run_happy-p1${uid()}`, (page) => waitMark(page, 'runview:first-data'), br, 'runview:first-data'));
    ({ first: compare } = await distFilesFetched(sim, '/compare/run_take_1/run_take_2',
      (page) => page.getByRole('table').getByRole('rowheader', { name: 'Compose scene' }).waitFor({ timeout: 30000 }), br));
  } finally {
    await sim.stop();
  }
  const lazy = files.filter((f) => !first.has(f) && !afterPaint.includes(f));
  const compareExtra = [...compare].filter((f) => !first.has(f));
  const firstBytes = sum(first);
  addRow('P1', "shipped bytes, brotli -q 11: a run page's first load", `${kib(firstBytes)} (then ${kib(sum(afterPaint))} after the first paint; all files ${kib(sum(files))}; loaded on demand ${kib(sum(lazy))})`,
    '≤ 200 KiB (goal 100)', firstBytes <= 200 * 1024);
  notes.P1 = `Files of ${path.relative(ROOT, DIST)}, brotli -q 11 each. First load of /runs/<id> (what a fresh browser context fetches until first data is painted): ${list(first)}. ` +
    `Fetched right after the first paint (the output gallery): ${afterPaint.length ? list(afterPaint) : 'nothing'}. ` +
    `Loaded on demand (never fetched by the run page unless asked for: pages, dialogs): ${lazy.length ? list(lazy) : 'none (unsplit build)'}. ` +
    `A deep link to /compare/<a>/<b> fetches the first-load files plus ${compareExtra.length ? `${list(compareExtra)} = ${kib(sum(compareExtra))}` : 'nothing'}.`;
  log('P1', notes.P1);
}

// P2 ------------------------------------------------------------------
async function p2() {
  const app = await startSim({ appDir: DIST, speed: 1 });
  const base = await startSim({ appDir: BASELINE, speed: 1 });
  try {
    async function once(sim, i) {
      const { context, page } = await newPage();
      try {
        const runId = `run_happy-p2${i}${uid()}`;
        await page.goto(`${sim.api}/runs/${runId}`);
        const fd = await waitMark(page, 'runview:first-data');
        const br = await page.evaluate(() => {
          const r = performance.getEntriesByType('resource');
          const w = r.find((e) => e.name.endsWith('.wasm'));
          const api = r.find((e) => e.name.includes('/api/v1/runs/'));
          const m = performance.getEntriesByName('runview:first-response')[0];
          return { wasmEnd: w ? w.responseEnd : null, apiStart: api ? api.startTime : null, firstResponse: m ? m.startTime : null };
        });
        (sim === app ? parts : null)?.push(br);
        return fd;
      } finally {
        await context.close();
      }
    }
    const parts = [];
    await once(app, 'warm'); await once(base, 'warm');
    parts.length = 0; // warm the browser process, not measured
    const a = [], b = [];
    for (let i = 0; i < 10; i++) {
      a.push(await once(app, i));
      b.push(await once(base, i));
    }
    const ma = median(a), mb = median(b), ratio = ma / mb;
    addRow('P2', 'navigation → first data painted (median of 10)', `${f1(ma)} ms (baseline ${f1(mb)} ms, ${ratio.toFixed(2)}×)`,
      '≤ 150 ms and ≤ 1.5× baseline', ma <= 150 && ratio <= 1.5);
    notes.P2 = `\`runview:first-data\` startTime, run_happy (fresh instance each time), new browser context per load (empty cache), 1280×800. App: ${a.map(f1).join(', ')} ms (app medians: wasm responseEnd ${f1(median(parts.map((p) => p.wasmEnd)))} ms, API request start ${f1(median(parts.map((p) => p.apiStart)))} ms, first-response mark ${f1(median(parts.map((p) => p.firstResponse)))} ms). Plain-JS baseline (bench/baseline, same sim build, loads interleaved): ${b.map(f1).join(', ')} ms.`;
    log('P2', notes.P2);
  } finally {
    await app.stop(); await base.stop();
  }
}

// P3 ------------------------------------------------------------------
function diffSteps(a, b) {
  const out = [];
  const n = Math.max(a.steps.length, b.steps.length);
  for (let i = 0; i < n; i++) if (JSON.stringify(a.steps[i]) !== JSON.stringify(b.steps[i])) out.push(i);
  return out;
}
// The run's schedule (step start/end times relative to the run start, in run
// ms): deterministic for a scenario, read from a finished throwaway instance.
async function schedule(sim, scenario, speed) {
  const id = `${scenario}-sched${uid()}`;
  await setClock(sim, id, 600000);
  const r = await getRun(sim, id);
  const t0 = Date.parse(r.startedAt);
  return r.steps.map((s, index) => ({ index, stepId: s.stepId, start: (Date.parse(s.startedAt) - t0) * speed, end: s.completedAt ? (Date.parse(s.completedAt) - t0) * speed : Infinity }));
}
// Step starts that change exactly one step (queued → running) and have no
// other event within [-before, +after] run-ms, spread over the run.
function quietStarts(steps, before, after, n) {
  const times = steps.flatMap((s) => [s.start, s.end]).filter(Number.isFinite).sort((a, b) => a - b);
  const near = (t) => times.filter((x) => x >= t - before && x <= t + after).length;
  const ok = steps.filter((s) => near(s.start) === 1).sort((a, b) => a.start - b.start);
  if (ok.length <= n) return ok;
  return Array.from({ length: n }, (_, i) => ok[Math.floor((i * ok.length) / n)]);
}
// BENCH_PROFILE=1: CPU-profile P3's changed polls and P4's loads and scrolls
// and print the top functions by self time (scripts/bench.sh then builds a
// copy that keeps function names: RUNVIEW_WASM_NAMES=1 in scripts/split.mjs).
const PROFILE = !!process.env.BENCH_PROFILE;
const profSelf = new Map();
const profTotal = new Map(); // inclusive: each function once per sample whose stack holds it
let profDumps = 0;
function addProfile(profile) {
  // BENCH_PROFILE_DUMP=<dir>: also keep each raw profile (.cpuprofile, opens in DevTools).
  const dump = process.env.BENCH_PROFILE_DUMP;
  if (dump) { fs.mkdirSync(dump, { recursive: true }); fs.writeFileSync(path.join(dump, `${++profDumps}.cpuprofile`), JSON.stringify(profile)); }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const name = (n) => (n.callFrame.functionName || `(anon ${n.callFrame.url.split('/').pop()})`).replace(/::h[0-9a-f]{16}/g, '');
  profile.samples.forEach((id, i) => {
    const ms = profile.timeDeltas[i] / 1000;
    const k = name(byId.get(id));
    profSelf.set(k, (profSelf.get(k) || 0) + ms);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) seen.add(name(byId.get(at)));
    for (const s of seen) profTotal.set(s, (profTotal.get(s) || 0) + ms);
  });
}
function printProfile(label) {
  const fmt = (m, n) => [...m].filter(([k]) => !['(idle)', '(root)', '(program)'].includes(k)).sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, v]) => `${v.toFixed(2).padStart(8)} ${k.slice(0, 150)}`).join('\n');
  log(`${label} profile (self ms):\n${fmt(profSelf, 40)}`);
  if (process.env.BENCH_PROFILE === 'total') log(`${label} profile (inclusive ms):\n${fmt(profTotal, 80)}`);
  profSelf.clear();
  profTotal.clear();
}

// Measures polls that change exactly one step on `page` (the app or the
// baseline, already showing `runId` with automatic polling off).
async function p3Trials({ sim, page, cdp, runId, cands, offset, label }) {
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const scriptMs = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return 1000 * metrics.find((m) => m.name === 'ScriptDuration').value;
  };
  // Arms the mutation recorder on the timeline list.
  const arm = () => page.evaluate(() => {
    const ol = document.querySelector('ol.timeline__rows');
    const recs = (window.__muts = []);
    window.__mo && window.__mo.disconnect();
    window.__mo = new MutationObserver((ms) => {
      for (const m of ms) {
        const node = m.target.nodeType === 1 ? m.target : m.target.parentElement;
        const row = node && node.closest('li.step-row');
        let where = row ? row.id : 'ol';
        if (!row && m.type === 'childList') where = 'ol:children';
        if (!row && m.type === 'attributes') where = `ol@${m.attributeName}`;
        recs.push({ where, type: m.type });
      }
    });
    window.__mo.observe(ol, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  const collect = () => page.evaluate(() => { window.__mo.takeRecords(); const r = window.__muts; window.__mo.disconnect(); return r; });
  // Waits until the page's 1 s clock just ticked (and its effects flushed), so
  // the measured poll (≈ tens of ms) falls between two ticks.
  const afterTick = () => page.evaluate(async (raf) => {
    const B = window.__bench, n = B.ticks, t0 = performance.now();
    while (B.ticks === n && performance.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 5));
    await eval(raf);
    return B.ticks;
  }, raf2);
  const ticks = () => page.evaluate(() => window.__bench.ticks);
  const measurePoll = async () => {
    await afterTick();
    await arm();
    const t0 = await ticks();
    const s0 = await scriptMs();
    await page.evaluate(`(${REFRESH_FN})()`);
    const s1 = await scriptMs();
    const t1 = await ticks();
    const muts = await collect();
    return { script: s1 - s0, muts, tickInside: t1 !== t0 };
  };

  // The harness's own script time: the same wait without a click.
  const overhead = [];
  for (let k = 0; k < 3; k++) {
    await afterTick();
    const s0 = await scriptMs();
    await page.evaluate(`(async () => { await new Promise((r) => setTimeout(r, 40)); await ${raf2}; })()`);
    overhead.push((await scriptMs()) - s0);
  }
  log(`P3 ${label} overhead`, overhead, 'ticks', await ticks());
  const single = [], identical = [];
  for (const c of cands) {
    // Just before the step starts (≈1 s of wall time at this speed); the
    // page applies that state (not measured).
    await setClock(sim, runId, Math.ceil(c.start + offset) - 2);
    const before = await getRun(sim, runId);
    await page.evaluate(`(${REFRESH_FN})()`);
    const check = await getRun(sim, runId);
    const stepId = c.stepId;
    if (before.steps[c.index].status !== 'queued' || diffSteps(before, check).length) { log('P3 skip: started too early', stepId); continue; }
    // Put the step's row on screen.
    await page.evaluate(({ index }) => {
      const ol = document.querySelector('ol.timeline__rows');
      const top = ol.getBoundingClientRect().top + scrollY + index * 48 - 300;
      window.scrollTo(0, Math.max(0, top));
    }, { index: c.index });
    await page.evaluate(raf2); await sleep(100); await page.evaluate(raf2);
    const visible = await page.evaluate((id) => {
      const e = document.getElementById(`step-${id}`);
      if (!e) return false;
      const r = e.getBoundingClientRect();
      return r.bottom > 0 && r.top < innerHeight;
    }, stepId);
    // Wait for the step to start at the API.
    let after = before;
    for (let k = 0; k < 60 && !diffSteps(before, after).length; k++) { await sleep(100); after = await getRun(sim, runId); }
    const d = diffSteps(before, after);
    if (d.length !== 1 || d[0] !== c.index) { log('P3 skip: diff is', d); continue; }
    if (PROFILE) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 25 }); await cdp.send('Profiler.start'); }
    const m = await measurePoll();
    if (PROFILE) addProfile((await cdp.send('Profiler.stop')).profile);
    if (diffSteps(after, await getRun(sim, runId)).length) { log('P3 skip: another change during the poll'); continue; }
    const inRow = m.muts.filter((x) => x.where === `step-${stepId}`).length;
    const elsewhere = {};
    for (const x of m.muts) if (x.where !== `step-${stepId}`) elsewhere[x.where] = (elsewhere[x.where] || 0) + 1;
    const change = `${before.steps[c.index].status}→${after.steps[c.index].status}`;
    single.push({ stepId, change, visible, script: m.script, inRow, elsewhere, tickInside: m.tickInside });
    // Same response again: the noise floor.
    const z = await measurePoll();
    if (diffSteps(after, await getRun(sim, runId)).length) { log('P3: identical poll not identical'); continue; }
    identical.push({ script: z.script, muts: z.muts.length, where: [...new Set(z.muts.map((x) => x.where))], tickInside: z.tickInside });
  }
  if (PROFILE) printProfile(`P3 ${label} (all changed polls)`);
  log(`P3 ${label} single`, JSON.stringify(single));
  log(`P3 ${label} identical`, JSON.stringify(identical));
  const clean = single.filter((s) => !s.tickInside);
  const ms1 = median((clean.length ? clean : single).map((s) => s.script));
  const ms0 = median(identical.filter((s) => !s.tickInside).map((s) => s.script));
  return { single, identical, overhead, ms1, ms0 };
}

async function p3() {
  const sim = await startSim({ appDir: DIST, speed: 0.002 });
  const base = await startSim({ appDir: BASELINE, speed: 0.002 });
  const { context, page, cdp } = await newPage();
  const b = await newPage();
  try {
    const runId = `run_large_1k-p3${uid()}`;
    const steps = await schedule(sim, 'run_large_1k', 0.002);
    const cands = quietStarts(steps, 3, 8, 7);
    log('P3 candidates', cands.map((c) => `${c.stepId}@${c.start}`).join(' '));
    if (!cands.length) throw new Error('no quiet single-step start in the schedule');
    // Calibrate: the clock value at which the first candidate starts.
    let lo = cands[0].start - 2000, hi = cands[0].start + 2000;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      await setClock(sim, runId, mid);
      if ((await getRun(sim, runId)).steps[cands[0].index].status === 'queued') lo = mid; else hi = mid;
    }
    const offset = hi - cands[0].start;
    log('P3 clock offset', offset);
    await setClock(sim, runId, cands[0].start + offset - 200);
    await page.goto(`${sim.api}/runs/${runId}`);
    await waitMark(page, 'runview:first-data');
    await clickButton(page, 'Pause');
    await page.waitForFunction(() => document.body.innerText.includes('Paused'));
    const app = await p3Trials({ sim, page, cdp, runId, cands, offset, label: 'app' });

    // The plain-JS baseline, same schedule on its own simulator.
    const runB = `run_large_1k-p3b${uid()}`;
    await setClock(base, runB, cands[0].start + offset - 200);
    await b.page.goto(`${base.api}/runs/${runB}?paused`);
    await waitMark(b.page, 'runview:first-data');
    const js = await p3Trials({ sim: base, page: b.page, cdp: b.cdp, runId: runB, cands, offset, label: 'baseline' });

    const { single, identical, overhead, ms1, ms0 } = app;
    const onlyRow = single.every((s) => s.visible && s.inRow > 0 && Object.keys(s.elsewhere).length === 0);
    const idMuts = identical.reduce((a, s) => a + s.muts, 0);
    addRow('P3', 'one poll, 1,000 steps, one step changed', `${f2(ms1)} ms script (identical response ${f2(ms0)} ms; plain-JS baseline ${f2(js.ms1)} / ${f2(js.ms0)} ms); mutations: changed row ${single.map((s) => s.inRow).join('/')}, elsewhere ${single.map((s) => Object.values(s.elsewhere).reduce((a, b) => a + b, 0)).join('/')}; identical ${idMuts}`,
      '≤ 1 ms; only that row; identical 0', ms1 <= 1 && onlyRow && idMuts === 0);
    const trials = (t) => t.single.map((s) => `${s.stepId} ${s.change} ${f2(s.script)} ms, row muts ${s.inRow}${Object.keys(s.elsewhere).length ? ' + ' + JSON.stringify(s.elsewhere) : ''}${s.visible ? '' : ' (row NOT on screen)'}${s.tickInside ? ' (tick inside)' : ''}`).join('; ');
    const idles = (t) => t.identical.map((s) => `${f2(s.script)} ms/${s.muts} muts${s.muts ? ' ' + s.where.join(',') : ''}`).join('; ');
    notes.P3 = `run_large_1k on a slow sim (--speed 0.002, clock offset ${offset} ms); the run's schedule picks step starts with no other event within −3/+8 ms of run time (−1.5/+4 s wall); the clock is set 2 ms before, the page applies that state, then the API JSON is diffed until exactly that one step changed; automatic polling off (Refresh now drives each poll); each poll measured right after the page's 1 s clock tick (setInterval hooked) so no tick falls inside. ScriptDuration delta (CDP Performance.getMetrics) around click → response → 2 frames; includes fetch/JSON decode/diff of the whole 1,000-step body (≈${Math.round(JSON.stringify(await getRun(sim, runId)).length / 1024)} KiB). App trials: ${trials(app)}. Harness overhead (same wait, no click): ${overhead.map(f2).join(', ')} ms. Identical-response polls: ${idles(app)}. Plain-JS baseline (bench/baseline: text compare, JSON.parse, per-step field compare, changed rows rebuilt in place): ${trials(js)}; identical: ${idles(js)}.`;
    log('P3', notes.P3);
  } finally {
    await context.close();
    await b.context.close();
    await sim.stop();
    await base.stop();
  }
}

// P4 ------------------------------------------------------------------
const scrollProfiles = []; // BENCH_PROFILE: kept apart from the loads' profile
const addScrollProfile = (p) => scrollProfiles.push(p);
async function p4() {
  const sim = await startSim({ appDir: DIST, speed: FROZEN });
  try {
    const firsts = [];
    const scrolls = [];
    let scroll = null;
    for (let i = 0; i < 5; i++) {
      const { context, page, cdp } = await newPage();
      try {
        const runId = `run_large_5k-p4${i}${uid()}`;
        await setClock(sim, runId, 30000); // mid-run: a mix of statuses
        if (PROFILE) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 50 }); await cdp.send('Profiler.start'); }
        await page.goto(`${sim.api}/runs/${runId}`);
        const fd = await waitMark(page, 'runview:first-data');
        const fr = await markTime(page, 'runview:first-response');
        firsts.push(fd - fr);
        if (PROFILE) addProfile((await cdp.send('Profiler.stop')).profile);
        {
          await page.evaluate(raf2);
          if (PROFILE) await cdp.send('Profiler.start');
          const sc = await page.evaluate(async () => {
            const tasks = [];
            const lt = [];
            const po = new PerformanceObserver((l) => { for (const e of l.getEntries()) lt.push(e); });
            po.observe({ type: 'longtask' });
            const nodes0 = document.getElementsByTagName('*').length;
            const t0 = performance.now();
            for (let k = 0; k < 60; k++) {
              window.scrollBy(0, 800);
              await new Promise((r) => requestAnimationFrame(() => r()));
            }
            await new Promise((r) => setTimeout(r, 300));
            po.takeRecords().forEach((e) => lt.push(e));
            po.disconnect();
            // Attribute each long task: a poll response arrived just before / in it, a clock tick ran in it, or neither (scrolling).
            const B = window.__bench;
            const kinds = { poll: 0, tick: 0, scroll: 0 };
            for (const e of lt) {
              tasks.push(e.duration);
              const a = e.startTime - 30, b = e.startTime + e.duration;
              const k = B.ends.some((t) => t >= a && t <= b) ? 'poll' : B.tickAt.some((t) => t >= e.startTime - 1 && t <= b) ? 'tick' : 'scroll';
              kinds[k]++;
            }
            var kindsOut = kinds;
            return { tasks, kinds: kindsOut, ms: performance.now() - t0, y: scrollY, rows: document.querySelectorAll('li.step-row').length, nodes0, nodes1: document.getElementsByTagName('*').length };
          });
          scrolls.push(sc);
          if (!scroll) scroll = sc;
          if (PROFILE) addScrollProfile((await cdp.send('Profiler.stop')).profile);
        }
      } finally {
        await context.close();
      }
    }
    if (PROFILE) {
      printProfile('P4 first loads (goto → first-data, 5 loads)');
      for (const p of scrollProfiles) addProfile(p);
      printProfile('P4 scrolls (5 runs)');
    }
    const m = median(firsts);
    const all = scrolls.flatMap((x) => x.tasks);
    const max = all.length ? Math.max(...all) : 0;
    addRow('P4', '5,000 steps: first render; scroll (5 loads)', `${f1(m)} ms render; long tasks while scrolling ${all.length} in 5 scrolls (max ${f2(max)} ms)`,
      '≤ 100 ms; no task > 50 ms', m <= 100 && all.length === 0);
    notes.P4 = `run_large_5k at 30 s (mid-run), first-data − first-response per load: ${firsts.map(f1).join(', ')} ms. Scroll: 60 × scrollBy(0, 800) + rAF in ${f1(scroll.ms)} ms, ended at y=${Math.round(scroll.y)}, ${scroll.rows} rows in DOM (nodes ${scroll.nodes0} → ${scroll.nodes1}); long tasks per scroll run: ${scrolls.map((x) => x.tasks.map(f1).join('+') || '0').join(' | ')} ms; attributed (a poll response ended ≤30 ms before/inside the task, else a 1 s clock tick ran in it, else scroll): ${JSON.stringify(scrolls.reduce((acc, x) => { for (const k in x.kinds) acc[k] = (acc[k] || 0) + x.kinds[k]; return acc; }, {}))}; the app kept polling (not paused) during the scroll; scroll durations ${scrolls.map((x) => f1(x.ms)).join(', ')} ms.`;
    log('P4', notes.P4);
  } finally {
    await sim.stop();
  }
}

// P5 ------------------------------------------------------------------
async function p5() {
  const sim = await startSim({ appDir: DIST, speed: FROZEN });
  const { context, page, cdp } = await newPage();
  try {
    const runId = `run_large_1k-p5${uid()}`;
    await setClock(sim, runId, 1000);
    await page.goto(`${sim.api}/runs/${runId}`);
    await waitMark(page, 'runview:first-data');
    await clickButton(page, 'Pause');
    await page.waitForFunction(() => document.body.innerText.includes('Paused'));
    await page.evaluate(() => performance.setResourceTimingBufferSize(100000));
    // n polls; before each, the run's clock moves forward so responses change.
    const drive = (from, n) => page.evaluate(async ({ runId, from, n, refresh }) => {
      const go = eval(refresh);
      let changed = 0, last = '';
      for (let i = from; i < from + n; i++) {
        await fetch(`/_sim/runs/${runId}/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ elapsedMs: 1000 + i * 55 }) });
        await go();
        const t = document.querySelector('.progress__text')?.textContent || '';
        if (t !== last) { changed++; last = t; }
      }
      return changed;
    }, { runId, from, n, refresh: `(${REFRESH_FN})` });
    const snap = async () => {
      await cdp.send('HeapProfiler.enable');
      for (let i = 0; i < 3; i++) { await cdp.send('HeapProfiler.collectGarbage'); await sleep(50); }
      const heap = await cdp.send('Runtime.getHeapUsage');
      const s = await page.evaluate(() => ({
        nodes: document.getElementsByTagName('*').length,
        wasm: window.__wasmMemory ? window.__wasmMemory.buffer.byteLength : null,
        polls: performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/runs/')).length,
        B: { ...window.__bench },
      }));
      return { ...s, heap: heap.usedSize };
    };
    await drive(0, 20); // warm-up
    await drive(0, 1); // back to the state of poll 0
    const a = await snap();
    const t0 = Date.now();
    const changed = await drive(20, 1000);
    const secs = (Date.now() - t0) / 1000;
    const bLast = await snap();
    await drive(0, 1); // the same state as the "before" snapshot
    const b = await snap();
    // Leak or high-water mark? The same 1,000 polls again: a leak keeps growing.
    await drive(20, 1000);
    await drive(0, 1);
    const c = await snap();
    const requests = (await simGets(sim, runId)).length;
    const heapMB = (b.heap - a.heap) / 1e6;
    const pages = a.wasm && b.wasm ? (b.wasm - a.wasm) / 65536 : NaN;
    const pages2 = b.wasm && c.wasm ? (c.wasm - b.wasm) / 65536 : NaN;
    const heap2 = (c.heap - b.heap) / 1e6;
    addRow('P5', '1,000 polls: DOM / JS heap / wasm memory', `nodes ${a.nodes}→${b.nodes}; heap ${heapMB >= 0 ? '+' : ''}${heapMB.toFixed(3)} MB; wasm +${pages} pages (next 1,000 polls: nodes ${c.nodes}, heap ${heap2 >= 0 ? '+' : ''}${heap2.toFixed(3)} MB, wasm +${pages2} pages)`,
      'heap < 1 MB; wasm ≤ 2 pages', heapMB < 1 && pages <= 2);
    notes.P5 = `run_large_1k on a frozen sim (--speed ${FROZEN}), clock advanced 55 ms of run time before each poll (every clock jump also shifts the past timestamps, so every response differs) (1.0 s → 56 s, still running; progress text changed on ${changed} of 1,000 polls); app paused, each poll a "Refresh now" click awaited to its response + 2 frames; ${b.polls - a.polls} resource entries, ${requests} GETs at the sim in total; ${f1(secs)} s (${f1((secs * 1000) / 1000)} ms/poll). After 3× HeapProfiler.collectGarbage: JS heap ${(a.heap / 1e6).toFixed(2)} → ${(b.heap / 1e6).toFixed(2)} MB; wasm memory ${a.wasm} → ${b.wasm} bytes; DOM nodes ${a.nodes} → ${b.nodes}. Before/after are taken in the same run state (clock back to poll 0's value, one more poll); right after the last of the 1,000 polls (run at 56 s): nodes ${bLast.nodes}, heap ${(bLast.heap / 1e6).toFixed(2)} MB, wasm ${bLast.wasm} bytes.`;
    notes.P5max = b.B.maxInflight;
    log('P5', notes.P5);
  } finally {
    await context.close();
    await sim.stop();
  }
}

// P6 ------------------------------------------------------------------
async function p6() {
  const sim = await startSim({ appDir: DIST, speed: 1 });
  const pages = [];
  try {
    const open = async (runId, clock) => {
      if (clock != null) await setClock(sim, runId, clock);
      const p = await newPage();
      pages.push(p);
      await p.page.goto(`${sim.api}/runs/${runId}`);
      await waitMark(p.page, 'runview:first-data');
      return p;
    };
    const FIN = 'Run finished; live updates stopped';
    const idFin = `run_finished-p6${uid()}`, idEnd = `run_happy-p6e${uid()}`, idHid = `run_happy-p6h${uid()}`;
    const [pf, pe, ph] = await Promise.all([open(idFin), open(idEnd, 33000), open(idHid, 2000)]);
    // Hidden: let it poll a little, hide for 10 s.
    await sleep(2500);
    await ph.page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      Object.defineProperty(document, 'hidden', { value: true, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const waitFinished = async (p) => { await p.page.getByText(FIN).waitFor({ timeout: 30000 }); return (await simGets(sim, p === pf ? idFin : idEnd)).length; };
    const hidStartP = sleep(300).then(() => simGets(sim, idHid)); // grace for a request already in flight
    const [finAt, endAt] = await Promise.all([waitFinished(pf), waitFinished(pe)]);
    const hid0 = (await hidStartP).length;
    const hidStartedInPage = await ph.page.evaluate(() => window.__bench.started);
    await sleep(10000);
    const hid1 = (await simGets(sim, idHid)).length;
    const hidStartedInPage1 = await ph.page.evaluate(() => window.__bench.started);
    await ph.page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      Object.defineProperty(document, 'hidden', { value: false, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    // 30 s after "finished" for both finished pages (10 s already elapsed).
    await sleep(20000);
    const finAfter = (await simGets(sim, idFin)).length - finAt;
    const endAfter = (await simGets(sim, idEnd)).length - endAt;
    const resumed = (await simGets(sim, idHid)).length - hid1;
    const maxes = await Promise.all(pages.map((p) => p.page.evaluate(() => window.__bench.maxInflight)));
    const maxInflight = Math.max(...maxes, notes.P5max ?? 0);
    const hidden = hid1 - hid0;
    addRow('P6', 'network: max in flight / after end / hidden', `${maxInflight} / ${finAfter}+${endAfter} / ${hidden}`,
      '≤ 1 / 0 / 0', maxInflight <= 1 && finAfter === 0 && endAfter === 0 && hidden === 0);
    notes.P6 = `Max concurrent /api/ fetches (window.fetch wrapped) over the P5 page (1,000 rapid polls: ${notes.P5max ?? 'n/a'}) and these pages (${maxes.join(', ')}). After the run ended, 30 s after "${FIN}" appeared, GETs at the sim: run_finished ${finAfter} (${finAt} before), run_happy finishing while watched ${endAfter} (${endAt} before). Hidden 10 s on a running run_happy: ${hidden} GETs at the sim (${hidStartedInPage1 - hidStartedInPage} fetches started in the page); after visible again, ${resumed} GETs in the next ~20 s (polling resumed: ${resumed > 0 ? 'yes' : 'NO'}).`;
    log('P6', notes.P6);
  } finally {
    for (const p of pages) await p.context.close().catch(() => {});
    await sim.stop();
  }
}

// ---------------------------------------------------------------- main
function machine() {
  const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown';
  const mem = (os.totalmem() / 2 ** 30).toFixed(1);
  let chromiumV = browser?.version() ?? '';
  try { chromiumV = execFileSync('/usr/bin/chromium', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch {}
  return `nproc ${os.cpus().length}; CPU ${cpu}; memory ${mem} GiB; ${chromiumV}; Node ${process.version}; load average at start ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`;
}

// P1's make-up by crate (bench/twiggy.mjs over the names-kept copy that
// scripts/bench.sh builds when twiggy is installed), beside the committed
// figures of the build before the phone-first work.
async function sizeSection() {
  const dist = process.env.BENCH_TWIGGY_DIST;
  if (!dist || !want('P1')) return '';
  const { twiggyTables } = await import('./twiggy.mjs');
  const before = fs.readFileSync(path.join(ROOT, 'bench/twiggy-c808737.md'), 'utf8').split('\n').slice(4).join('\n');
  return `\n## What P1's main wasm is made of (twiggy)\n\n### Now\n\n${twiggyTables(dist)}\n### Before (c808737, bench/twiggy-c808737.md)\n\n${before}`;
}

function table() {
  const head = '| # | measure | figure | target | result |\n|---|---|---|---|---|';
  return [head, ...rows.map((r) => `| ${r.id} | ${r.measure} | ${r.figure} | ${r.target} | ${r.result} |`)].join('\n');
}

async function main() {
  const mach0 = machine();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS });
  const steps = [['P1', p1], ['P2', p2], ['P3', p3], ['P4', p4], ['P5', p5], ['P6', p6],
    ['P7', () => p7({ dist: DIST, addRow, notes, log })], ['P8', () => p8({ dist: DIST, addRow, notes, log })],
    ['P9', () => p9({ startSim, newPage, setClock, waitMark, addRow, notes, log, uid, FROZEN, DIST })],
    ['P10', () => p10({ startSim, newPage, setClock, waitMark, addRow, notes, log, uid, DIST })]];
  for (const [id, fn] of steps) {
    if (!want(id)) continue;
    const t = Date.now();
    try {
      await fn();
    } catch (e) {
      log(id, 'FAILED', e.stack || e);
      addRow(id, 'error', String(e.message || e).split('\n')[0].replace(/\|/g, '/'), '', false);
      await stopAll();
    }
    log(`${id} took ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  const bv = browser.version();
  await browser.close();
  await stopAll();
  const t = table();
  console.log(t);
  const md = `# runview benchmarks

Generated by \`scripts/bench.sh\` (\`node bench/run.mjs\`) on ${new Date().toISOString()}.

Machine: ${mach0} (Playwright browser version ${bv}). Timings are from a shared 2-core machine where other builds may run concurrently: treat them as noisy.

${t}

## Notes
${rows.map((r) => `- **${r.id}** — ${notes[r.id] ?? ''}`).join('\n')}
${await sizeSection()}`;
  if ((!ONLY.length || process.env.BENCH_WRITE) && !PROFILE) fs.writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), md);
  else fs.writeFileSync(path.join(ROOT, 'target/BENCHMARKS.partial.md'), md);
}

main().catch(async (e) => {
  console.error(e);
  await stopAll();
  if (browser) await browser.close().catch(() => {});
  process.exit(1);
});
