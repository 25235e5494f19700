// Replay (issue 20, item 3): the run as it was at a moment, reconstructed
// from the steps' timestamps, against the simulator over real HTTP.
//
// - Open replay, scrub before a step's start: that step shows queued and
//   its outputs are gone from the gallery; the progress is recomputed.
// - A `?at=` deep link opens replay at that moment (its code loads too).
// - Play advances the moment; Live returns to the current run.
// - 320 px: the scrubber fits (no sideways scroll, 44 px controls).
// - axe-core, light and dark, at 320 and 1280 px with the scrubber open.
// - No request of replay's own: the derivation reads the polled data.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { ROOT, setupSuite, stepRows } from './harness.mjs';
import { openRun } from './pages.mjs';

const suite = setupSuite({ speed: 1 });
const AXE_SOURCE = readFile(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

const scrubber = (page) => page.getByRole('slider', { name: 'Moment of the run' });
const row = (page, name) => stepRows(page).filter({ has: page.locator('.step-row__name', { hasText: name }) });
const rowStatus = (page, name) => row(page, name).locator('.status__label');
const galleryGroups = (page) => page.locator('.filmstrip__step');

/** Moves the scrubber to `ms` after the run's start, as a drag does (input, then change). */
async function scrubTo(page, ms) {
  await scrubber(page).evaluate((el, ms) => {
    el.value = String(ms);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, ms);
}

/** Counts the requests for the replay chunk (release builds: split_replay-<hash>.wasm). */
function replayChunkRequests(page) {
  const seen = { count: 0 };
  page.on('request', (r) => {
    if (/\/split_replay-[0-9a-f]{16}\.wasm$/.test(r.url())) seen.count += 1;
  });
  return seen;
}

/** The finished demo run, with replay opened through its button. */
async function openReplay(page) {
  const chunk = replayChunkRequests(page);
  const id = await openRun(suite, page, 'run_demo', 120_000, /^succeeded$/);
  await galleryGroups(page).filter({ hasText: 'Render video' }).waitFor();
  assert.equal(chunk.count, 0, 'the replay chunk waits until replay opens');
  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  await scrubber(page).waitFor();
  assert.equal(chunk.count, 1, 'the replay chunk is fetched when replay opens');
  return id;
}

test('scrubbing before a step started shows it queued, without its outputs; Live returns', async () => {
  await suite.withPage(async (page) => {
    await openReplay(page);
    assert.match(await page.locator('.replay__note').textContent(), /reconstructed from the steps' start and end times/);
    // Opened at the present: the run as it is.
    assert.equal(await rowStatus(page, 'Render video').textContent(), 'succeeded');

    // 1 s in: only the first step runs.
    await scrubTo(page, 1000);
    await rowStatus(page, 'Render video').filter({ hasText: /^queued$/ }).waitFor();
    assert.equal(await rowStatus(page, 'Write script').textContent(), 'running');
    // No outputs of a step not yet run. The gallery, below the steps, follows
    // the moment as it comes near the screen (not while far: a replay frame
    // would rebuild it for nobody).
    await page.locator('.gallery').scrollIntoViewIfNeeded();
    await galleryGroups(page).filter({ hasText: 'Render video' }).waitFor({ state: 'detached', timeout: 5_000 });
    assert.match(await page.locator('.progress__text').textContent(), /^0% · 0 of \d+ steps done · 1 running · 0 failed$/);
    assert.equal(await page.locator('.run-header .status__label').textContent(), 'running', 'the header as it was');
    assert.match(page.url(), /[?&]at=1000\b/, 'the moment is in the URL');

    // Live: the run as it is now, and the URL without a moment.
    await page.getByRole('button', { name: 'Live', exact: true }).click();
    await rowStatus(page, 'Render video').filter({ hasText: /^succeeded$/ }).waitFor();
    await galleryGroups(page).filter({ hasText: 'Render video' }).waitFor();
    assert.equal(await scrubber(page).count(), 0);
    assert.doesNotMatch(page.url(), /[?&]at=/);
  });
});

test('a ?at= link opens replay at that moment; , and . step; t leaves', async () => {
  await suite.withPage(async (page) => {
    const id = await openRun(suite, page, 'run_demo', 120_000, /^succeeded$/);
    const chunk = replayChunkRequests(page);
    await page.goto(`/runs/${id}?at=2000`);
    await scrubber(page).waitFor({ timeout: 15_000 });
    await rowStatus(page, 'Write script').filter({ hasText: /^running$/ }).waitFor();
    assert.equal(await scrubber(page).inputValue(), '2000');
    assert.equal(chunk.count, 1, 'the deep link fetched the replay chunk (preloaded with the main wasm)');
    assert.equal(await rowStatus(page, 'Generate background').textContent(), 'queued');
    // `.`: on to the next change (the first step's end, the next ones' start).
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('.');
    await rowStatus(page, 'Write script').filter({ hasText: /^succeeded$/ }).waitFor();
    const after = Number(new URL(page.url()).searchParams.get('at'));
    assert.ok(after > 2000, `moved on to ${after}`);
    await page.keyboard.press(',');
    await rowStatus(page, 'Write script').filter({ hasText: /^running$/ }).waitFor();
    await page.keyboard.press('t');
    await scrubber(page).waitFor({ state: 'detached' });
    assert.equal(await rowStatus(page, 'Write script').textContent(), 'succeeded');
  });
});

test('play advances the moment, and makes no request of its own', async () => {
  await suite.withPage(async (page) => {
    await openReplay(page);
    await scrubTo(page, 0);
    const before = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/')).length);
    await page.getByRole('combobox', { name: 'Speed' }).selectOption('60');
    await page.getByRole('button', { name: 'Play' }).click();
    await rowStatus(page, 'Write script').filter({ hasText: /^succeeded$/ }).waitFor({ timeout: 5_000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    const at = Number(new URL(page.url()).searchParams.get('at'));
    assert.ok(at > 3000, `the moment advanced to ${at}`);
    const after = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/')).length);
    assert.equal(after, before, 'replay fetched nothing (the run is finished: no polls either)');
  });
});

test('320 px: the scrubber fits, its controls are 44 px', async () => {
  await suite.withPage(async (page) => {
    await openReplay(page);
    await scrubTo(page, 5000);
    const fit = await page.evaluate(() => {
      const inner = window.innerWidth;
      const panel = document.querySelector('.replay').getBoundingClientRect();
      const range = document.querySelector('.replay__range').getBoundingClientRect();
      const small = [...document.querySelectorAll('.replay button, .replay select, .replay input')]
        .map((el) => el.getBoundingClientRect())
        .filter((r) => r.height < 44 || r.width < 44).length;
      return { inner, doc: document.documentElement.scrollWidth, right: panel.right, range: range.width, panel: panel.width, small };
    });
    assert.ok(fit.doc <= fit.inner, `sideways scroll: ${JSON.stringify(fit)}`);
    assert.ok(fit.right <= fit.inner, `the panel reaches past the edge: ${JSON.stringify(fit)}`);
    assert.ok(fit.range > fit.panel * 0.8, `the scrubber is full width: ${JSON.stringify(fit)}`);
    assert.equal(fit.small, 0, 'controls under 44 px');
  }, { viewport: { width: 320, height: 640 } });
});

for (const width of [320, 1280]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`axe with the scrubber open: ${width} px, ${colorScheme}`, async () => {
      await suite.withPage(async (page) => {
        await page.emulateMedia({ colorScheme });
        await openReplay(page);
        await scrubTo(page, 12_000);
        await page.evaluate(await AXE_SOURCE);
        const violations = await page.evaluate(async (tags) => {
          const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
          return result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        }, TAGS);
        assert.deepEqual(violations, []);
      }, { viewport: { width, height: width === 320 ? 640 : 900 } });
    });
  }
}
