// A trace of one window of a page load, for finding where the time goes:
// loads /runs/<run> N times (a fresh browser each), records a Chrome trace
// (main-thread events + V8 CPU samples + user timing), and prints, for the
// window between two of the app's marks, the main thread's time by trace
// event and the wasm/JS functions by self and inclusive time.
//   node bench/trace.mjs [--run run_large_5k] [--clock 30000] [--from runview:first-response]
//        [--to runview:first-data] [--n 3] [--top 30] [--grep runview]
//        [--type "task 123"] [--replay 60]
// --type: after the first data, pauses live updates, focuses the step
// search (`/`) and types the text one key every 150 ms; the window is then
// the typing (marks trace:type-start → trace:type-end) unless --from/--to
// say otherwise.
// --replay N: after the first data, opens replay (the window then starts at
// the click, mark trace:replay-open), sets the speed to N× and plays from the
// start for 3 s, pressing Play again whenever it stops (mark trace:play-start
// → trace:play-end; `--from trace:replay-open --to trace:replay-painted` for
// the opening). Use --clock 600000 for a finished run.
// --long N: count only the CPU samples inside tasks over N ms (what makes
// the long tasks).
// Expects the sim built ($RUNVIEW_SIM_BIN) and a dist ($BENCH_DIST; a
// BENCH_PROFILE=1 build keeps function names).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIM_BIN = process.env.RUNVIEW_SIM_BIN ?? path.join(ROOT, 'target/release/runview-sim');
const DIST = path.resolve(ROOT, process.env.BENCH_DIST || 'target/bench-dist-names');
const arg = (k, d) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? process.argv[i + 1] : d; };
const RUN = arg('run', 'run_large_5k');
const CLOCK = Number(arg('clock', '30000'));
const TYPE = arg('type');
const REPLAY = arg('replay');
const FROM = arg('from', TYPE ? 'trace:type-start' : REPLAY ? 'trace:play-start' : 'runview:first-response');
const TO = arg('to', TYPE ? 'trace:type-end' : REPLAY ? 'trace:play-end' : 'runview:first-data');
const N = Number(arg('n', '3'));
const LONG = Number(arg('long', '0')) * 1000;
const KEY = 'sk_' + '5eed'.repeat(16);

const sim = spawn(SIM_BIN, ['--port', '0', '--media-port', '0', '--app-dir', DIST, '--speed', REPLAY ? '1' : '0.000001'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, RUST_LOG: 'warn' } });
const api = await new Promise((res) => { let o = ''; sim.stdout.on('data', (d) => { o += d; const m = o.match(/READY api=(\S+)/); if (m) res(m[1]); }); });
// A new browser per load: V8 shares compiled wasm between pages of one
// process, so a second load in the same browser would compile less.
const launch = () => chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
let browser = null;
const perLoad = [];
const byEvent = new Map();
const countEvent = new Map();
const bySelf = new Map();
const byTotal = new Map();
const applyMs = [];
const memMb = [];
const windows = [];
const longTasks = [];
try {
  for (let i = 0; i < N; i++) {
    const runId = `${RUN}-tr${i}${Date.now().toString(36)}`;
    await fetch(`${api}/_sim/runs/${runId}/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ elapsedMs: CLOCK }) });
    if (browser) await browser.close();
    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(`(() => { const keep = (r) => { const i = r.instance || r; if (i.exports && i.exports.memory) window.__wasmMemory = i.exports.memory; return r; }; const is = WebAssembly.instantiateStreaming; WebAssembly.instantiateStreaming = function () { return is.apply(this, arguments).then(keep); }; const ii = WebAssembly.instantiate; WebAssembly.instantiate = function () { return ii.apply(this, arguments).then(keep); }; })();`);
    await context.addInitScript(`try { sessionStorage.setItem('runview.apiKey', ${JSON.stringify(KEY)}); } catch (e) {}`);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'disabled-by-default-v8.cpu_profiler', 'v8', 'v8.wasm', 'disabled-by-default-v8.compile'] }, transferMode: 'ReportEvents' });
    await page.goto(`${api}/runs/${runId}`);
    if (TYPE) {
      await page.waitForFunction(() => performance.getEntriesByName('runview:first-data').length > 0, null, { timeout: 60000 });
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      await page.waitForTimeout(1000);
      await page.keyboard.press('/');
      await page.evaluate(() => performance.mark('trace:type-start'));
      for (const ch of TYPE) {
        await page.keyboard.press(ch === ' ' ? 'Space' : ch);
        await page.waitForTimeout(150);
      }
      await page.evaluate(() => performance.mark('trace:type-end'));
    }
    if (REPLAY) {
      await page.waitForFunction(() => performance.getEntriesByName('runview:first-data').length > 0, null, { timeout: 60000 });
      await page.waitForTimeout(1500);
      // In the page, without Playwright's locators (their role queries force layouts).
      await page.evaluate(() => {
        performance.mark('trace:replay-open');
        [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Replay').click();
      });
      // The first frame after the one the app marks (as P10 times it).
      await page.evaluate(() => new Promise((done) => {
        const check = () => {
          if (performance.getEntriesByName('runview:replay-shown').length) { performance.mark('trace:replay-painted'); done(); }
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }));
      await page.waitForTimeout(500);
      await page.evaluate((speed) => {
        const select = document.querySelector('.replay__select');
        select.value = speed;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      }, REPLAY);
      await page.evaluate(() => new Promise((done) => {
        const range = document.querySelector('.replay__range');
        const btn = document.querySelector('.replay__play');
        range.value = '0';
        range.dispatchEvent(new Event('input', { bubbles: true }));
        performance.mark('trace:play-start');
        const t0 = performance.now();
        const step = () => {
          if (performance.now() - t0 > 3000) {
            if (btn.getAttribute('aria-pressed') === 'true') btn.click();
            performance.mark('trace:play-end');
            return done();
          }
          if (btn.getAttribute('aria-pressed') !== 'true') btn.click();
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }));
    }
    await page.waitForFunction((m) => performance.getEntriesByName(m).length > 0, TO, { timeout: 30000 });
    await page.waitForTimeout(300);
    memMb.push(await page.evaluate(() => (window.__wasmMemory ? window.__wasmMemory.buffer.byteLength / 1048576 : NaN)));
    applyMs.push(await page.evaluate(() => performance.getEntriesByName('runview:apply').map((e) => e.duration)[0]));
    await cdp.send('Tracing.end');
    await done;
    await context.close();
    const mark = (name) => events.find((e) => e.name === name && e.cat.includes('user_timing'));
    const a = mark(FROM), b = mark(TO);
    if (!a || !b) { console.error('marks missing', !!a, !!b); continue; }
    const t0 = a.ts, t1 = b.ts;
    windows.push((t1 - t0) / 1000);
    const main = a.pid + ':' + a.tid;
    // Trace events on the main thread, clipped to the window (self time: minus children).
    const slices = events.filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === main && e.ts < t1 && e.ts + e.dur > t0)
      .map((e) => ({ name: e.name, s: Math.max(e.ts, t0), e: Math.min(e.ts + e.dur, t1) })).sort((x, y) => x.s - y.s || y.e - x.e);
    const stack = [];
    for (const sl of slices) {
      while (stack.length && stack[stack.length - 1].e <= sl.s) stack.pop();
      sl.self = sl.e - sl.s;
      if (stack.length) stack[stack.length - 1].self -= sl.e - sl.s;
      stack.push(sl);
    }
    const sum = (name) => slices.filter((x) => x.name === name).reduce((a, x) => a + x.self, 0) / 1000;
    // Tasks over 30 ms in the window, each with where its time went.
    for (const task of slices.filter((x) => x.name === 'RunTask' && x.e - x.s > 30000)) {
      const inner = new Map();
      for (const x of slices) if (x !== task && x.s >= task.s && x.e <= task.e) inner.set(x.name, (inner.get(x.name) || 0) + x.self / 1000);
      longTasks.push(`${((task.e - task.s) / 1000).toFixed(1)} ms at +${((task.s - t0) / 1000).toFixed(0)} ms: ${[...inner].sort((p, q) => q[1] - p[1]).slice(0, 5).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
    }
    perLoad.push(`${((t1 - t0) / 1000).toFixed(1)} ms (script ${sum('FunctionCall').toFixed(1)}, compile ${sum('wasm.CompileLazy').toFixed(1)}, grow ${sum('wasm.GrowMemory').toFixed(1)})`);
    for (const sl of slices) { byEvent.set(sl.name, (byEvent.get(sl.name) || 0) + sl.self / 1000); countEvent.set(sl.name, (countEvent.get(sl.name) || 0) + 1); }
    const longs = slices.filter((x) => x.name === 'RunTask' && x.e - x.s > LONG);
    const inLong = (t) => !LONG || longs.some((x) => t >= x.s && t < x.e);
    // CPU samples of the main thread (ProfileChunk) in the window, by function.
    const profiles = new Map();
    for (const e of events.filter((e) => e.name === 'Profile' && `${e.pid}:${e.tid}` === main)) profiles.set(e.id, { t: e.args.data.startTime, nodes: new Map() });
    for (const e of events.filter((e) => e.name === 'ProfileChunk')) {
      const p = profiles.get(e.id); if (!p) continue;
      const cp = e.args.data.cpuProfile || {};
      for (const n of cp.nodes || []) p.nodes.set(n.id, n);
      const deltas = e.args.data.timeDeltas || [];
      (cp.samples || []).forEach((id, k) => {
        p.t += deltas[k];
        const dt = (deltas[k + 1] ?? 0);
        if (p.t >= t0 && p.t < t1 && inLong(p.t)) {
          const n = p.nodes.get(id);
          const name = (n?.callFrame?.functionName || `(anon ${n?.callFrame?.url?.split('/').pop() || ''})`).replace(/::h[0-9a-f]{16}/g, '');
          bySelf.set(name, (bySelf.get(name) || 0) + Math.max(dt, 0) / 1000);
          const seen = new Set();
          for (let at = n; at; at = p.nodes.get(at.parent)) {
            const nm = (at.callFrame?.functionName || '(anon)').replace(/::h[0-9a-f]{16}/g, '');
            if (!seen.has(nm)) { seen.add(nm); byTotal.set(nm, (byTotal.get(nm) || 0) + Math.max(dt, 0) / 1000); }
          }
        }
      });
    }
  }
} finally {
  if (browser) await browser.close();
  sim.kill('SIGTERM');
}
const top = (m, n) => [...m].sort((x, y) => y[1] - x[1]).slice(0, n).map(([k, v]) => `${(v / windows.length).toFixed(2).padStart(8)}  ${k.slice(0, 140)}`).join('\n');
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
console.log(`${FROM} → ${TO}: median ${med(windows).toFixed(1)} ms; per load: ${perLoad.join('; ')}`);
console.log(`main-thread trace events, self ms per load (count per load):\n${top(byEvent, 12).split('\n').map((l) => { const k = l.slice(10); return `${l}  (${((countEvent.get(k) || 0) / windows.length).toFixed(0)})`; }).join('\n')}`);
console.log(`tasks over 30 ms in the window (${longTasks.length}):\n${longTasks.join('\n')}`);
console.log(`wasm memory after: ${memMb.map((x) => x.toFixed(1)).join(', ')} MiB`);
console.log(`runview:apply (decode + store) ms: ${applyMs.map((x) => x?.toFixed(1)).join(', ')}`);
console.log(`CPU samples, self ms per load:\n${top(bySelf, Number(arg('top', '30')))}`);
console.log(`CPU samples, inclusive ms per load:\n${top(byTotal, Number(arg('top', '30')) * 2)}`);
const grep = arg('grep');
if (grep) console.log(`inclusive, matching ${grep}:\n${top(new Map([...byTotal].filter(([k]) => k.includes(grep))), 60)}`);
