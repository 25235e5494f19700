// The run page as a person sees it: header, progress, steps, outputs, and a
// run watched live to its end.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import {
  ROOT, apiFetchSpy, apiFetchStats, startSim, openPage, gotoRun, runBadge, setClock, stepRows, uid,
  waitFor, setupSuite, requests,
} from './harness.mjs';

/** The outputs section. */
const gallery = (page) => page.getByRole('region', { name: 'Outputs' });
/** The step row whose name is exactly `name`. */
const stepRow = (page, name) =>
  stepRows(page).filter({ has: page.locator('.step-row__name', { hasText: new RegExp(`^${name}$`) }) });

const suite = setupSuite({ speed: 10 });
const { withPage } = suite;

test('a demo run shows its header, progress bar, steps and outputs', async () => {
  await withPage(async (page) => {
    const id = `run_demo-${uid()}`;
    await gotoRun(page, id);
    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: `Run ${id}` }).waitFor());
    await runBadge(page).waitFor();
    const bar = page.getByRole('progressbar', { name: 'Steps done' });
    await bar.waitFor();
    assert.equal(await bar.getAttribute('aria-valuemax'), '12');
    await page.getByText(/\d+ of 12 steps done/).first().waitFor();
    await page.getByRole('heading', { name: /^Steps/ }).waitFor();
    assert.equal(await stepRows(page).count(), 12);
    await stepRow(page, 'Write script').waitFor();
    await page.getByRole('heading', { name: 'Outputs' }).waitFor();
    await gallery(page).getByRole('listitem').first().waitFor({ timeout: 15_000 });
  });
});

test('a happy run watched live ends succeeded and polling stops', async () => {
  await withPage(async (page) => {
    const id = `run_happy-${uid()}`;
    await gotoRun(page, id);
    // Rewind to the start, so a slow page load can't miss the running phase.
    await setClock(suite.sim, id, 0);
    await page.getByText('Live: updating automatically').waitFor();
    // Seen queued/running, then succeeded (≈36 s of run time = 3.6 s at speed 10).
    await runBadge(page).filter({ hasText: /^(queued|running)$/ }).waitFor();
    await runBadge(page).filter({ hasText: /^succeeded$/ }).waitFor({ timeout: 20_000 });
    await page.getByText('Run finished; live updates stopped').waitFor();
    assert.equal(await page.title(), `✓ succeeded · ${id}`);
    const bar = page.getByRole('progressbar', { name: 'Steps done' });
    assert.equal(await bar.getAttribute('aria-valuenow'), '12');
    await page.getByText('12 of 12 steps done', { exact: false }).waitFor();
  });
});

test('the first request starts with the page and is not repeated by the app', async () => {
  await withPage(async (page) => {
    const id = `run_finished-${uid()}`;
    await gotoRun(page, id);
    await page.getByText('Run finished; live updates stopped').waitFor();
    const { calls, appStarted: started } = await apiFetchStats(page);
    const left = await page.evaluate(() => typeof window.__runviewPrefetch);
    assert.equal(calls.length, 1, 'one request for a finished run');
    assert.ok(calls[0] < started, `sent at ${calls[0]} ms, before the app started (${started} ms)`);
    assert.equal(left, 'undefined', 'the app adopted the prefetched request');
    assert.equal((await requests(suite.sim, id)).length, 1, 'one GET at the simulator');
  }, { initScripts: [apiFetchSpy] });
});

test('the golden run_abc123 shows the contract example at 60%', async () => {
  await withPage(async (page) => {
    await gotoRun(page, 'run_abc123');
    assert.equal(await runBadge(page).textContent(), 'running');
    for (const name of ['Generate background', 'Render video', 'Publish']) {
      await stepRow(page, name).waitFor();
    }
    await page.getByText('60%', { exact: true }).waitFor();
    const bar = page.getByRole('progressbar', { name: 'Steps done' });
    assert.equal(await bar.getAttribute('aria-valuenow'), '3');
    assert.equal(await bar.getAttribute('aria-valuemax'), '5');
    await page.getByText(/3 of 5 steps done/).waitFor();
  });
});

test('a failed run shows failed, with downstream steps still queued', async () => {
  await withPage(async (page) => {
    const id = `run_failed-${uid()}`;
    await setClock(suite.sim, id, 120_000);
    await gotoRun(page, id);
    await runBadge(page).filter({ hasText: /^failed$/ }).waitFor();
    assert.match(await page.title(), /^✗ failed · /);
    const compose = stepRow(page, 'Compose scene');
    assert.equal(await compose.locator('.status__label').textContent(), 'failed');
    for (const name of ['Render video', 'Thumbnail', 'Publish YouTube']) {
      const row = stepRow(page, name);
      assert.equal(await row.locator('.status__label').textContent(), 'queued', `${name} stays queued`);
    }
    await page.getByText('Run finished; live updates stopped').waitFor();
  });
});

test('a step retried shows attempt 2 and attempt 3', async () => {
  await withPage(async (page) => {
    const id = `run_retries-${uid()}`;
    await gotoRun(page, id);
    // Watched live (speed 10): the attempt badges appear as the retries happen.
    await page.locator('.badge--attempt', { hasText: 'attempt 2' }).first().waitFor({ timeout: 20_000 });
    const character = stepRow(page, 'Generate character');
    await character.getByText('attempt 3').waitFor({ timeout: 20_000 });
    const narration = stepRow(page, 'Narration');
    await narration.getByText('attempt 2').waitFor({ timeout: 20_000 });
  });
});

test('publish outputs show platform, status and an "Open post" link', async () => {
  await withPage(async (page) => {
    const id = `run_publish-${uid()}`;
    await setClock(suite.sim, id, 300_000);
    await gotoRun(page, id);
    await runBadge(page).filter({ hasText: /^succeeded$/ }).waitFor();
    const outputs = gallery(page);
    const youtube = outputs.locator('.preview--publish', { hasText: /youtube/i });
    await youtube.waitFor();
    assert.equal(await youtube.locator('.publish__platform').textContent(), 'YouTube');
    assert.equal(await youtube.locator('.publish__status').textContent(), 'succeeded');
    const link = youtube.getByRole('link', { name: 'Open post' });
    assert.match(await link.getAttribute('href'), /^https:\/\//);
    const tiktok = outputs.locator('.preview--publish', { hasText: /tiktok/i });
    assert.equal(await tiktok.locator('.publish__status').textContent(), 'failed');
    const instagram = outputs.locator('.preview--publish', { hasText: /instagram/i });
    assert.equal(await instagram.locator('.publish__status').textContent(), 'scheduled');
    assert.equal(await instagram.getByRole('link', { name: 'Open post' }).count(), 0, 'not published yet: no post link');
  });
});

test('an unknown run status reads "unknown: paused_by_operator"', async () => {
  await withPage(async (page) => {
    const id = `run_unknown_status-${uid()}`;
    await setClock(suite.sim, id, 300_000);
    await gotoRun(page, id);
    await runBadge(page).filter({ hasText: 'unknown: paused_by_operator' }).waitFor();
    await stepRows(page).getByText('unknown: waiting_for_gpu', { exact: true }).waitFor();
  });
});

test('a video output loads its metadata and shows its duration', async () => {
  await withPage(async (page) => {
    const id = `run_demo-${uid()}`;
    await setClock(suite.sim, id, 120_000);
    await gotoRun(page, id);
    await runBadge(page).filter({ hasText: /^succeeded$/ }).waitFor();
    // The rendered video is the run's hero.
    const figure = page.locator('section.hero figure.preview--video');
    const video = figure.locator('video');
    await video.waitFor();
    assert.equal(await video.getAttribute('preload'), 'metadata');
    assert.notEqual(await video.getAttribute('controls'), null);
    await waitFor(() => video.evaluate((v) => v.readyState >= 1), { timeout: 15_000, message: 'video metadata' });
    const secs = await video.evaluate((v) => v.duration);
    assert.ok(Number.isFinite(secs) && secs > 0, `duration ${secs}`);
    const expected = secs < 1 ? `${Math.floor(secs * 1000)} ms` : `${(Math.floor(secs * 1000) / 1000).toFixed(1)} s`;
    await waitFor(async () => (await figure.locator('figcaption').textContent()).trim() === `video · ${expected}`, {
      message: `caption "video · ${expected}"`,
    });
  });
});

test('a step deep link highlights the row and scrolls it into view', async () => {
  await withPage(async (page) => {
    const id = `run_demo-${uid()}`;
    await setClock(suite.sim, id, 120_000);
    await gotoRun(page, id, '?step=step_011');
    const row = page.locator('#step-step_011');
    await row.waitFor();
    assert.match(await row.getAttribute('class'), /\bstep-row--highlight\b/);
    assert.equal(await page.locator('.step-row--highlight').count(), 1);
    await waitFor(() => row.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }), { timeout: 5_000, message: 'row in the viewport' });
  }, { viewport: { width: 1280, height: 600 } });
});

// Writes tests/e2e/out/screenshot.png on every run; RUNVIEW_UPDATE_SCREENSHOT=1
// also refreshes the README's committed docs/screenshot.png.
test('screenshot of a finished demo run', async () => {
  // A real-time simulator, so the durations in the picture are the demo's own.
  const realtime = await startSim({ speed: 1 });
  const p = await openPage(suite.browser, realtime);
  try {
    const page = p.page;
    const id = 'run_demo';
    await setClock(realtime, id, 120_000);
    await gotoRun(page, id);
    await runBadge(page).filter({ hasText: /^succeeded$/ }).waitFor();
    await page.getByText('Run finished; live updates stopped').waitFor();
    // Let lazy images in view decode.
    await page.waitForLoadState('networkidle').catch(() => {});
    const out = process.env.RUNVIEW_UPDATE_SCREENSHOT === '1' ? 'docs' : 'tests/e2e/out';
    await mkdir(path.join(ROOT, out), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, out, 'screenshot.png'), fullPage: true });
    p.check();
  } finally {
    await p.close();
    await realtime.stop();
  }
});
