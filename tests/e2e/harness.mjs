// Shared helpers of the end-to-end suite: the simulator process, the browser,
// pages with the API key stored, and the simulator's admin endpoints.
//
// Every test file starts one simulator and one browser and stops both in
// `after`. Tests assert what a person sees (roles, labels, text); timing
// assertions read the simulator's request log (`GET /_sim/requests`).

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// scripts/env.sh exports RUNVIEW_SIM_BIN (cargo's target dir lives outside the checkout).
const SIM_BIN = process.env.RUNVIEW_SIM_BIN ?? path.join(ROOT, 'target/release/runview-sim');

/** The simulator's documented demo key: `sk_` + `5eed` × 16. */
export const DEMO_KEY = 'sk_' + '5eed'.repeat(16);
/** Where the app keeps the key for this tab (leptos-use, FromToStringCodec: a plain string). */
export const KEY_STORAGE = 'runview.apiKey';

/** A fresh run-id suffix, so every test gets its own run clock. */
export function uid() {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `runview-sim` on free ports serving the built app from `dist/`.
 * Resolves once it printed its READY line.
 */
export async function startSim({ speed = 1, extraArgs = [] } = {}) {
  const args = ['--port', '0', '--media-port', '0', '--app-dir', 'dist', '--speed', String(speed), ...extraArgs];
  const child = spawn(SIM_BIN, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr += d;
    if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const ready = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`runview-sim printed no READY line within 20 s.\nstdout: ${out}\nstderr: ${stderr}`));
    }, 20_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/READY api=(\S+) media=(\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ api: m[1], media: m[2] });
      }
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${SIM_BIN}: ${e.message} (run cargo build -p runview-sim --release)`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`runview-sim exited (code ${code}, signal ${signal}) before READY.\nstderr: ${stderr}`));
    });
  });
  // Keep draining stdout so the child never blocks on a full pipe.
  child.stdout.resume();

  let stopped = false;
  return {
    ...ready,
    stderr: () => stderr,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 8_000);
      await exited;
      clearTimeout(t);
    },
  };
}

async function admin(sim, method, p, body) {
  const res = await fetch(sim.api + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${p} → HTTP ${res.status}: ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

/** Jumps a run's clock to `elapsedMs` (simulated time). */
export const setClock = (sim, runId, elapsedMs) => admin(sim, 'POST', `/_sim/runs/${runId}/clock`, { elapsedMs });
/** Injects `fault` into the next `count` requests of `runId`. */
export const injectFault = (sim, runId, fault, count = 1) => admin(sim, 'POST', '/_sim/faults', { runId, fault, count });
export const clearFaults = (sim) => admin(sim, 'DELETE', '/_sim/faults');
/** The simulator's request log for one run: GETs only (no preflights). */
export async function requests(sim, runId) {
  const all = await admin(sim, 'GET', `/_sim/requests?runId=${encodeURIComponent(runId)}`);
  return all.filter((r) => r.method === 'GET');
}

/** Polls `fn` until it returns a truthy value (returned) or `timeout` ms pass. */
export async function waitFor(fn, { timeout = 10_000, interval = 100, message = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${message} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await sleep(interval);
  }
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * A new page (own context) on the simulator's app origin. Collects uncaught
 * page errors and console errors; `check()` fails the test if the page threw.
 * Requests to hosts other than the simulator (the golden run's
 * storage.example.com, youtu.be, …) are aborted so the suite never waits on
 * the network. `key`: stored in sessionStorage before the app loads
 * (`null`: no key).
 */
export async function openPage(browser, sim, { key = DEMO_KEY, viewport = { width: 1280, height: 900 }, initScripts = [] } = {}) {
  const context = await browser.newContext({ viewport, baseURL: sim.api });
  const page = await context.newPage();
  const pageErrors = [];
  const consoleErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  const local = [new URL(sim.api).host, new URL(sim.media).host];
  await context.route(
    (url) => !local.includes(url.host) && url.protocol !== 'data:' && url.protocol !== 'blob:',
    (route) => route.abort('blockedbyclient'),
  );
  if (key !== null) {
    await page.addInitScript(([k, v]) => {
      if (!sessionStorage.getItem(k)) sessionStorage.setItem(k, v);
    }, [KEY_STORAGE, key]);
  }
  for (const s of initScripts) await page.addInitScript(s);
  return {
    page,
    context,
    pageErrors,
    consoleErrors,
    /** Console errors other than failed resource loads (expected for faults, 401s, blocked hosts). */
    unexpectedConsoleErrors() {
      return consoleErrors.filter((t) => !/Failed to load resource|net::ERR_/.test(t));
    },
    check() {
      assert.deepEqual(pageErrors.map((e) => String(e.stack ?? e)), [], 'the page threw');
      assert.deepEqual(this.unexpectedConsoleErrors(), [], 'unexpected console errors');
    },
    close: () => context.close(),
  };
}

/** The run page's heading, which names the run once its data is shown. */
export const runHeading = (page, runId) => page.getByRole('heading', { level: 1, name: `Run ${runId}`, exact: true });

/** Opens `/runs/<runId>` and waits until the run's header shows. */
export async function gotoRun(page, runId, query = '') {
  await page.goto(`/runs/${runId}${query}`);
  await runHeading(page, runId).waitFor({ timeout: 15_000 });
}

/** The status badge in the run header (a word beside an icon; it has no role of its own). */
export const runBadge = (page) => page.locator('.run-header .status__label');

/** The step rows of the timeline, in order. */
export const stepRows = (page) => page.getByRole('region', { name: /^Steps/ }).locator('li.step-row');

/** The error banner shown over the last good data (an alert with "Retry now"). */
export const errorBanner = (page) =>
  page.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Retry now' }) });

/**
 * An init script (pass it in `openPage`'s `initScripts`) that spies on the
 * page's `fetch` for `/api/` URLs: `window.__apiFetch` counts calls, requests
 * in flight (until the body is read or the request fails) and the most at
 * once, and records when each call started and when the app started
 * (`performance.now()`). Read it with `apiFetchStats(page)`.
 */
export function apiFetchSpy() {
  const real = window.fetch;
  const s = (window.__apiFetch = { total: 0, inFlight: 0, max: 0, calls: [], appStarted: null });
  addEventListener('TrunkApplicationStarted', () => { s.appStarted = performance.now(); });
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!String(url).includes('/api/')) return real.call(this, input, init);
    s.total += 1;
    s.inFlight += 1;
    s.max = Math.max(s.max, s.inFlight);
    s.calls.push(performance.now());
    let done = false;
    const finish = () => { if (!done) { done = true; s.inFlight -= 1; } };
    return real.call(this, input, init).then((res) => {
      for (const m of ['text', 'json', 'arrayBuffer', 'blob']) {
        const f = res[m].bind(res);
        res[m] = (...a) => f(...a).finally(finish);
      }
      return res;
    }, (e) => { finish(); throw e; });
  };
}

/** What `apiFetchSpy` recorded so far. */
export const apiFetchStats = (page) => page.evaluate(() => window.__apiFetch);

/** Makes the page hidden or visible as the Page Visibility API reports it. */
export async function setVisibility(page, hidden) {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, 'visibilityState', { value: hidden ? 'hidden' : 'visible', configurable: true });
    Object.defineProperty(document, 'hidden', { value: hidden, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/**
 * One simulator and one browser for a test file: started in `before`,
 * stopped in `after`. `withPage(body, opts)` runs `body` with a fresh page
 * and fails the test if the page threw.
 */
export function setupSuite({ speed = 1 } = {}) {
  const ctx = { sim: null, browser: null };
  before(async () => {
    ctx.sim = await startSim({ speed });
    ctx.browser = await launchBrowser();
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.sim?.stop();
  });
  ctx.withPage = async (body, opts) => {
    const p = await openPage(ctx.browser, ctx.sim, opts);
    try {
      await body(p.page);
      p.check();
    } finally {
      await p.close();
    }
  };
  return ctx;
}
