// P8: Lighthouse's mobile run (issue 18). Lighthouse 12.2.3 (pinned in
// package.json; 13 wants Node 22) drives Debian's Chromium ($CHROME_PATH,
// default /usr/bin/chromium, headless) with its default config: the mobile
// preset (Moto G Power screen, Slow 4G and 4x CPU, simulated throttling),
// performance category only. Every page is served as in production:
// deploy/nginx/serve.sh in key-kept mode in front of the simulator, brotli
// assets, CSP, the simulator at real time. Pages: a live run (run_demo from
// 5 s in: its first image, the hero, arrives during the audit),
// a live 5,000-step run, a blueprint's history; and the plain-JS baseline
// (bench/baseline, served by the same nginx setup) on the same live run.
// Reports the performance score, LCP, TBT, CLS (medians of P8_RUNS runs,
// default 3) and the run's first data painted: the app's and the baseline's
// `runview:first-data` mark, as observed (Lighthouse's throttling is
// simulated, so marks are unthrottled wall-clock times on this machine).
//
// Run by bench/run.mjs (BENCH_ONLY=P8) or alone: `node bench/p8.mjs`
// (dist: $BENCH_DIST or dist/). P8_RUNS (3), P8_PAGES (a regex of page
// names: run, baseline run, 5k run, history) and P8_SPEED (the simulator's
// speed, 1) change what it runs; P8_DUMP=<dir> keeps each run's Lighthouse
// JSON there. Besides the scores it reports what the LCP was made of: the
// observed (unthrottled) LCP and Lighthouse's LCP phases (time to first byte,
// resource load delay, resource load time, render delay), so a slow LCP says
// whether the page or the image's transfer is to blame. A benchmark, never a
// timed test.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { startNginx } from '../tests/e2e/nginx-helpers.mjs';
import { startSim } from './p7.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BASELINE = path.join(ROOT, 'bench/baseline');
const KEY = 'sk_' + '5eed'.repeat(16);
const RUNS = Number(process.env.P8_RUNS || 3);
const ONLY = process.env.P8_PAGES ? new RegExp(process.env.P8_PAGES) : null;
// Run clocks at real time: what arrives while the page loads (the first
// image of run_demo a few seconds in, step changes) is part of the audit.
const SPEED = Number(process.env.P8_SPEED || 1);
const DUMP = process.env.P8_DUMP || null;
const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function setClock(sim, runId, elapsedMs) {
  const res = await fetch(`${sim.api}/_sim/runs/${runId}/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ elapsedMs }),
  });
  if (!res.ok) throw new Error(`set clock of ${runId} → HTTP ${res.status}`);
}

/** One Lighthouse mobile run of `url` in Chromium on `port`: the figures. */
async function audit(url, port) {
  const result = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
  const lhr = result.lhr;
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const num = (id) => lhr.audits[id]?.numericValue ?? NaN;
  const marks = lhr.audits['user-timings']?.details?.items ?? [];
  const firstData = marks.find((m) => m.name === 'runview:first-data' && m.timingType === 'Mark');
  if (DUMP) {
    mkdirSync(DUMP, { recursive: true });
    writeFileSync(path.join(DUMP, `${uid()}.json`), JSON.stringify(lhr));
  }
  const metrics = lhr.audits.metrics?.details?.items?.[0] ?? {};
  // The LCP element audit's second table: phase name → simulated ms.
  const phaseTable = (lhr.audits['largest-contentful-paint-element']?.details?.items ?? [])
    .find((t) => Array.isArray(t.items) && t.items.some((i) => 'phase' in i));
  const lcpPhases = Object.fromEntries((phaseTable?.items ?? []).map((i) => [i.phase, i.timing]));
  const lcpNode = lhr.audits['largest-contentful-paint-element']?.details?.items?.[0]?.items?.[0]?.node;
  return {
    score: Math.round((lhr.categories.performance.score ?? NaN) * 100),
    lcp: num('largest-contentful-paint'),
    tbt: num('total-blocking-time'),
    cls: num('cumulative-layout-shift'),
    firstData: firstData ? firstData.startTime : NaN,
    observedLcp: metrics.observedLargestContentfulPaint ?? NaN,
    lcpPhases,
    lcpElement: lcpNode?.snippet ?? null,
  };
}

/** The pages P8 audits: name, the nginx (app or baseline) and a fresh URL path per run. */
function pages(sim) {
  const run = (scenario, elapsedMs) => async () => {
    const id = `${scenario}-p8${uid()}`;
    await setClock(sim, id, elapsedMs);
    return `/runs/${id}`;
  };
  return [
    // 5 s in: running, no image yet; the first arrives during the audit.
    { name: 'run', server: 'app', path: run('run_demo', 5_000) },
    { name: 'baseline run', server: 'baseline', path: run('run_demo', 5_000) },
    { name: '5k run', server: 'app', path: run('run_large_5k', 30_000) },
    { name: 'history', server: 'app', path: async () => '/blueprints/bp_shorts' },
  ];
}

/** Runs every page P8_RUNS times; returns `{ name: { score, lcp, tbt, cls, firstData, runs } }`. */
export async function measureP8({ dist, log = () => {} }) {
  const sim = await startSim({ speed: SPEED });
  const servers = {};
  // The baseline pre-compressed like the app's dist (scripts/compress.sh), in a copy.
  const baseline = mkdtempSync(path.join(os.tmpdir(), 'runview-p8-baseline-'));
  let chrome;
  try {
    cpSync(BASELINE, baseline, { recursive: true });
    execFileSync(path.join(ROOT, 'scripts/compress.sh'), [baseline]);
    const common = { upstream: sim.api, mode: 'kept', key: KEY, mediaOrigins: [sim.media] };
    servers.app = await startNginx({ ...common, dist });
    servers.baseline = await startNginx({ ...common, dist: baseline });
    chrome = await chromeLauncher.launch({
      chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
      chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    const out = {};
    for (const page of pages(sim)) {
      if (ONLY && !ONLY.test(page.name)) continue;
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        const url = servers[page.server].url + (await page.path());
        const r = await audit(url, chrome.port);
        log('P8', page.name, url, JSON.stringify(r));
        runs.push(r);
      }
      const m = (k) => median(runs.map((r) => r[k]));
      out[page.name] = {
        score: m('score'), lcp: m('lcp'), tbt: m('tbt'), cls: m('cls'), firstData: m('firstData'),
        observedLcp: m('observedLcp'), runs,
      };
    }
    return out;
  } finally {
    await chrome?.kill();
    for (const s of Object.values(servers)) await s.stop();
    await sim.stop();
    rmSync(baseline, { recursive: true, force: true });
  }
}

const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const ms0 = (ms) => (Number.isFinite(ms) ? `${Math.round(ms)} ms` : 'n/a');
const fig = (r) => `${r.score} (LCP ${s(r.lcp)}, TBT ${ms0(r.tbt)}, CLS ${r.cls.toFixed(3)}, first data ${ms0(r.firstData)}, observed LCP ${ms0(r.observedLcp)})`;
/** The LCP element and its phases in one run, e.g. `<img …>: TTFB 600 ms, Load Time 2,800 ms`. */
const lcpWhy = (x) => (x.lcpElement
  ? `${x.lcpElement.slice(0, 60)}: ${Object.entries(x.lcpPhases).map(([k, v]) => `${k} ${ms0(v)}`).join(', ')}`
  // Lighthouse names the element only if it is still in the page at the end
  // (a skeleton or a status line replaced later is not).
  : 'Lighthouse named no LCP element (it was no longer in the page when the audit ended), so no phases');

/** bench/run.mjs entry: adds the P8 row and note. */
export async function p8({ dist, addRow, notes, log }) {
  const r = await measureP8({ dist, log });
  const run = r.run;
  const ok = run.score >= 95 && run.lcp <= 2000 && run.tbt <= 150 && run.cls <= 0.05;
  addRow('P8', 'Lighthouse mobile (Slow 4G, 4x CPU), median of ' + RUNS + ': score (LCP, TBT, CLS, first data)',
    `run page ${fig(run)}; baseline ${fig(r['baseline run'])}; 5,000 steps ${fig(r['5k run'])}; history ${fig(r.history)}`,
    'run page: score ≥ 95, LCP ≤ 2.0 s, TBT ≤ 150 ms, CLS ≤ 0.05', ok);
  const each = (name) => r[name].runs.map((x) => `${x.score}/${s(x.lcp)}/${ms0(x.tbt)}/${x.cls.toFixed(3)}`).join(', ');
  notes.P8 = `Lighthouse 12.2.3 (npm, pinned), default config = mobile preset (simulated Slow 4G, 4x CPU slowdown, 412×823 screen), performance category, Chromium ${process.env.CHROME_PATH || '/usr/bin/chromium'} --headless=new, through deploy/nginx/serve.sh in key-kept mode (brotli, CSP) in front of the simulator at real time (--speed \${SPEED}): the runs go on during the audit. Run page: run_demo from 5 s in (running, no image yet: its first image, the hero, arrives during the audit; timeline, gallery). Baseline: bench/baseline on the same run, through the same nginx setup. 5,000 steps: run_large_5k at 30 s. History: /blueprints/bp_shorts. "First data" is the \`runview:first-data\` user-timing mark as observed (not throttled: Lighthouse simulates throttling). Per run score/LCP/TBT/CLS — run page: ${each('run')}; baseline: ${each('baseline run')}; 5,000 steps: ${each('5k run')}; history: ${each('history')}. What the run page's LCP was made of (first run): ${lcpWhy(r.run.runs[0])}.`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = path.resolve(ROOT, process.env.BENCH_DIST || 'dist');
  const r = await measureP8({ dist, log: (...a) => console.error('[p8]', ...a) });
  for (const [name, x] of Object.entries(r)) console.log(`${name}: ${fig(x)}\n  LCP ${lcpWhy(x.runs[0])}`);
}
