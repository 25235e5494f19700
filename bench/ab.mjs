// A/B of two or more builds of the app, loads interleaved so machine noise
// falls on all alike: each load in a fresh browser (V8 shares compiled wasm
// between pages of one process), a fresh run instance, and the time between
// two of the app's marks (or from navigation to one).
//   node bench/ab.mjs <distA> <distB> [...] [--run run_large_5k] [--clock 30000]
//        [--from runview:first-response|nav] [--to runview:first-data] [--n 10] [--shared]
// Expects the sim built ($RUNVIEW_SIM_BIN).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIM_BIN = process.env.RUNVIEW_SIM_BIN ?? path.join(ROOT, 'target/release/runview-sim');
const argv = process.argv.slice(2);
const opt = (k, d) => { const i = argv.indexOf(`--${k}`); return i >= 0 ? argv.splice(i, 2)[1] : d; };
const RUN = opt('run', 'run_large_5k');
const CLOCK = Number(opt('clock', '30000'));
const FROM = opt('from', 'runview:first-response');
const TO = opt('to', 'runview:first-data');
const N = Number(opt('n', '10'));
// --shared: one browser for all loads, each build loaded once unmeasured
// first (as bench/run.mjs's P2 does: V8 then reuses compiled code).
const SHARED = argv.includes('--shared') && argv.splice(argv.indexOf('--shared'), 1);
const dists = argv.map((d) => path.resolve(d));
const KEY = 'sk_' + '5eed'.repeat(16);
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

async function startSim(dir) {
  const child = spawn(SIM_BIN, ['--port', '0', '--media-port', '0', '--app-dir', dir, '--speed', '0.000001'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, RUST_LOG: 'warn' } });
  const api = await new Promise((res) => { let o = ''; child.stdout.on('data', (d) => { o += d; const m = o.match(/READY api=(\S+)/); if (m) res(m[1]); }); });
  return { child, api };
}
const sims = await Promise.all(dists.map(startSim));
const times = dists.map(() => []);
let shared = null;
try {
  if (SHARED) shared = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  for (let i = SHARED ? -1 : 0; i < N; i++) {
    for (let k = 0; k < dists.length; k++) {
      const kk = i % 2 === 1 ? dists.length - 1 - k : k; // alternate which build goes first
      const { api } = sims[kk];
      const runId = `${RUN}-ab${i}x${kk}${Date.now().toString(36)}`;
      await fetch(`${api}/_sim/runs/${runId}/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ elapsedMs: CLOCK }) });
      const browser = shared || (await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS }));
      try {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        await context.addInitScript(`try { sessionStorage.setItem('runview.apiKey', ${JSON.stringify(KEY)}); } catch (e) {}`);
        const page = await context.newPage();
        await page.goto(`${api}/runs/${runId}`);
        await page.waitForFunction((m) => performance.getEntriesByName(m).length > 0, TO, { timeout: 30000 });
        const t = await page.evaluate(([a, b]) => {
          const at = (n) => (n === 'nav' ? 0 : performance.getEntriesByName(n)[0].startTime);
          return at(b) - at(a);
        }, [FROM, TO]);
        if (i >= 0) times[kk].push(t);
        await context.close();
      } finally {
        if (!shared) await browser.close();
      }
    }
  }
} finally {
  if (shared) await shared.close();
  for (const s of sims) s.child.kill('SIGTERM');
}
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
dists.forEach((d, k) => console.log(`${path.relative(ROOT, d)}: median ${med(times[k]).toFixed(1)} ms, mean ${(times[k].reduce((a, x) => a + x, 0) / times[k].length).toFixed(1)}; ${times[k].map((x) => x.toFixed(0)).join(' ')}`));
