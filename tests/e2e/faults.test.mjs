// Polling under faults, measured at the simulator: what the app sent and
// when (`GET /_sim/requests?runId=`), and what the person sees meanwhile.
// Waits the app would spend idle (timeouts, slow polling, a hidden tab) run
// on Playwright's fake clock (`page.clock`) instead of real time.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiFetchSpy, apiFetchStats, errorBanner, gotoRun, runBadge, runHeading, requests, setClock,
  setVisibility, stepRows, uid, waitFor, setupSuite,
} from './harness.mjs';

const suite = setupSuite({ speed: 5 });
const { withPage } = suite;

const TOLERANCE_MS = 100;

test('429 with Retry-After: 3 — the next request waits at least 3 s', async () => {
  await withPage(async (page) => {
    const id = `run_fault_429-${uid()}`;
    await gotoRun(page, id);
    const banner = errorBanner(page);
    await banner.filter({ hasText: 'Rate limited by the API' }).waitFor({ timeout: 10_000 });
    await banner.getByText(/Retrying in \d+ s\./).waitFor();
    // Requests 2–4 get 429; request 5 recovers.
    const log = await waitFor(async () => {
      const l = await requests(suite.sim, id);
      return l.length >= 5 && l[4].status === 200 && l;
    }, { timeout: 20_000, message: 'five requests, the fifth answered 200' });
    assert.deepEqual(log.slice(0, 5).map((r) => r.status), [200, 429, 429, 429, 200]);
    for (let i = 1; i <= 3; i++) {
      const gap = log[i + 1].atMs - log[i].atMs;
      assert.ok(gap >= 3000 - TOLERANCE_MS, `request ${i + 2} came ${gap.toFixed(0)} ms after the 429 (Retry-After: 3)`);
    }
    await banner.waitFor({ state: 'detached' });
  });
});

test('a 500 streak: retries never sooner than 1 s, then recovery without a reload', async () => {
  await withPage(async (page) => {
    const id = `run_fault_streak-${uid()}`;
    await page.goto(`/runs/${id}`);
    await page.evaluate(() => { window.__sameDocument = true; });
    await errorBanner(page).filter({ hasText: 'The API failed (HTTP 500)' }).waitFor({ timeout: 10_000 });
    // Requests 1–3 fail; backoff (1–2, 2–4, 4–8 s) then data.
    await runHeading(page, id).waitFor({ timeout: 25_000 });
    await stepRows(page).first().waitFor();
    await errorBanner(page).waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
    const log = await requests(suite.sim, id);
    assert.deepEqual(log.slice(0, 4).map((r) => r.status), [500, 500, 500, 200]);
    const floors = [1000, 2000, 4000];
    for (let i = 1; i < 4; i++) {
      const gap = log[i].atMs - log[i - 1].atMs;
      assert.ok(gap >= floors[i - 1] - TOLERANCE_MS, `retry ${i} came ${gap.toFixed(0)} ms after a 500 (never sooner than ${floors[i - 1]} ms)`);
    }
  });
});

test('a malformed response: the banner says so and the last good steps stay', async () => {
  await withPage(async (page) => {
    const id = `run_fault_malformed-${uid()}`;
    await gotoRun(page, id);
    const rows = stepRows(page);
    await rows.first().waitFor();
    const before = await rows.count();
    assert.ok(before > 0);
    const b = errorBanner(page);
    await b.filter({ hasText: "The API sent a response runview can't read" }).waitFor({ timeout: 10_000 });
    await b.getByText(/unreadable response/).waitFor();
    await b.getByText('The last good data stays below.').waitFor();
    assert.equal(await rows.count(), before, 'step rows from the first response stay');
    assert.ok(await rows.first().isVisible());
    await runHeading(page, id).waitFor();
  });
});

test('a hanging request times out after 15 s, is retried, and the data stays', async () => {
  await withPage(async (page) => {
    const id = `run_fault_hang-${uid()}`;
    await gotoRun(page, id);
    const rows = stepRows(page);
    await rows.first().waitFor();
    // Request 2 hangs; the app gives up after 15 s and retries (request 3).
    // Real time here: the hang is the simulator's, measured at the simulator
    // (the exact 15 s is checked on a fake clock in the browser tests).
    const log = await waitFor(async () => {
      const l = await requests(suite.sim, id);
      return l.length >= 3 && l;
    }, { timeout: 22_000, interval: 250, message: 'a retry after the hung request' });
    const gap = log[2].atMs - log[1].atMs;
    assert.ok(gap >= 15_000 - TOLERANCE_MS && gap < 15_000 + 2_000 + TOLERANCE_MS, `retry ${gap.toFixed(0)} ms after the hung request`);
    assert.equal(log[1].status, null, 'the hung request was never answered');
    await errorBanner(page).filter({ hasText: 'The API did not answer in time' }).waitFor();
    assert.ok(await rows.first().isVisible(), 'data still shown');
    await runHeading(page, id).waitFor();
  });
});

test('a finished run is not polled again', async () => {
  await withPage(async (page) => {
    await page.clock.install();
    const id = `run_finished-${uid()}`;
    await gotoRun(page, id);
    await page.getByText('Run finished; live updates stopped').waitFor();
    await runBadge(page).filter({ hasText: /^succeeded$/ }).waitFor();
    assert.equal((await requests(suite.sim, id)).length, 1);
    // Ten minutes of the page's time: well past the slowest cadence (5 s).
    await page.clock.runFor(600_000);
    assert.equal((await requests(suite.sim, id)).length, 1, 'no request after the run finished');
  });
});

test('a hidden tab sends no requests; visible again, one arrives at once', async () => {
  await withPage(async (page) => {
    await page.clock.install();
    const id = `run_happy-${uid()}`;
    await gotoRun(page, id);
    await stepRows(page).first().waitFor();
    // Rewind the run so it stays active (≈36 s of run time = 7 s here) while hidden.
    await setClock(suite.sim, id, 0);
    await setVisibility(page, true);
    await page.getByText('Tab hidden: updates resume when you come back').waitFor();
    // A request already in flight when the tab hid may still land; count after it.
    await waitFor(async () => (await apiFetchStats(page)).inFlight === 0, { message: 'no request in flight' });
    const n = (await requests(suite.sim, id)).length;
    await page.clock.runFor(600_000);
    assert.equal((await requests(suite.sim, id)).length, n, 'no request while hidden');
    await setVisibility(page, false);
    // No timer involved: the request starts on the visibility event itself.
    await waitFor(async () => (await requests(suite.sim, id)).length === n + 1, { timeout: 2_000, interval: 50, message: 'a request after becoming visible' });
    await page.getByText('Live: updating automatically').waitFor();
  }, { initScripts: [apiFetchSpy] });
});

test('never more than one request in flight over a whole run', async () => {
  await withPage(async (page) => {
    // 500s on requests 2–4 add retries to the ordinary cadence.
    const id = `run_fault_500-${uid()}`;
    await gotoRun(page, id);
    // "Refresh now" pressed repeatedly while polling must not start a second request.
    const refresh = page.getByRole('button', { name: 'Refresh now' });
    for (let i = 0; i < 5; i++) {
      await refresh.click();
      await page.waitForTimeout(150);
    }
    await runBadge(page).filter({ hasText: /^succeeded$/ }).waitFor({ timeout: 30_000 });
    await page.getByText('Run finished; live updates stopped').waitFor();
    const stats = await apiFetchStats(page);
    assert.ok(stats.total >= 5, `the app's requests went through window.fetch (${stats.total})`);
    assert.equal(stats.inFlight, 0);
    assert.equal(stats.max, 1, `at most one request in flight, saw ${stats.max}`);
    const log = await requests(suite.sim, id);
    assert.ok(log.some((r) => r.status === 500), 'the retries happened');
  }, { initScripts: [apiFetchSpy] });
});
