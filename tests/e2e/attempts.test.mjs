// Attempts seen while polling (README "Attempts"): a step retried while the
// page is open keeps its earlier attempt, listed under the step's attempt
// badge and marked on its track; a reload in the same tab keeps it; the
// list says that attempts before the page was opened are not known.
//
// run_retries: "Generate character" fails its first attempt at 6.2 s
// and starts its second about a second later (scenario time: 7.3 s shows
// the failure, 8.5 s the second attempt). The simulator runs at
// 1/100 speed, so the test moves the run's clock itself (the API's
// timestamps are wall-clock: 3 scenario seconds are 5 minutes).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { ROOT, uid, setupSuite, gotoRun, setClock, stepRows } from './harness.mjs';

const suite = setupSuite({ speed: 0.01 });
const { withPage } = suite;

const row = (page) => stepRows(page).filter({ hasText: 'Generate character' });

test('a retried step lists its earlier failed attempt, marks it, and keeps it over a reload', async () => {
  await withPage(async (page) => {
    const id = `run_retries-${uid()}`;
    await setClock(suite.sim, id, 7_300);
    await gotoRun(page, id);
    await row(page).locator('.status__label', { hasText: 'failed' }).waitFor();
    assert.equal(await row(page).locator('.step-row__attempt-mark').count(), 0);

    await setClock(suite.sim, id, 8_500);
    const badge = row(page).getByRole('button', { name: /list the attempts of Generate character$/ });
    await badge.waitFor({ timeout: 15_000 });
    assert.equal(await badge.textContent(), 'attempt 2');
    await row(page).locator('.step-row__attempt-mark').waitFor({ state: 'attached' });
    assert.equal(await row(page).locator('.step-row__attempt-mark').count(), 1);

    await badge.click();
    const list = page.getByRole('dialog', { name: 'Attempts of Generate character' });
    await list.waitFor();
    assert.deepEqual(await list.getByRole('listitem').allTextContents(), [
      'Attempt 2 (current) running',
      'Attempt 1 failed after 5 min 00 s',
    ]);
    assert.match(await list.textContent(), /attempts before it was opened are not known/);
    await list.getByRole('button', { name: 'Close' }).click();
    await list.waitFor({ state: 'hidden' });

    // The same tab, reloaded: the earlier attempt is still known.
    await page.reload();
    await row(page).locator('.step-row__attempt-mark').waitFor({ state: 'attached', timeout: 15_000 });
    await row(page).getByRole('button', { name: /list the attempts of Generate character$/ }).click();
    await list.getByText('Attempt 1 failed after 5 min 00 s').waitFor();
  });
});

// The list and the stored form of attempts are a chunk (README "Code
// splitting"): fetched when the tab first has an attempt to keep (or a
// stored one to read), never on a first load without one.
test("a retried step's attempts: their code arrives after the first paint, and a badge opens its popover at once while it loads", async () => {
  await withPage(async (page) => {
    const seen = [];
    page.on('request', (r) => {
      const m = /\/(split_\w+)-[0-9a-f]{16}\.wasm$/.exec(r.url());
      if (m) seen.push(m[1]);
    });
    // Hold the attempts chunk until the popover has been seen open without it.
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route(/\/split_attempts-[0-9a-f]{16}\.wasm$/, async (route) => {
      await held;
      await route.continue();
    });
    const id = `run_retries-${uid()}`;
    await setClock(suite.sim, id, 7_300);
    await gotoRun(page, id);
    await row(page).locator('.status__label', { hasText: 'failed' }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.ok(!seen.includes('split_attempts'), `no attempts code before an attempt is seen: ${seen}`);

    // The retry: the first attempt to keep fetches the chunk (to store it).
    await setClock(suite.sim, id, 8_500);
    const badge = row(page).getByRole('button', { name: /list the attempts of Generate character$/ });
    await badge.waitFor({ timeout: 15_000 });
    await badge.click();
    const popover = page.locator('#step-attempts');
    await popover.getByRole('status').filter({ hasText: 'Loading the attempts…' }).waitFor();
    assert.ok(await popover.isVisible(), 'the popover opened before its list arrived');
    await popover.getByRole('button', { name: 'Close' }).waitFor();

    release();
    const list = page.getByRole('dialog', { name: 'Attempts of Generate character' });
    await list.getByText(/^Attempt 1 failed after/).waitFor();
    assert.equal(seen.filter((f) => f === 'split_attempts').length, 1, 'fetched once (storing and listing share it)');
    const stored = await page.evaluate((k) => sessionStorage.getItem(k), `runview.attempts.${id}`);
    assert.match(stored ?? '', /"attemptNo":1/);
  });
});

test('a step first seen at its second attempt says its first is not known', async () => {
  await withPage(async (page) => {
    const id = `run_retries-${uid()}`;
    await setClock(suite.sim, id, 7_300);
    await gotoRun(page, id);
    const narration = stepRows(page).filter({ hasText: 'Narration' });
    await narration.getByRole('button', { name: /list the attempts of Narration$/ }).click();
    // No attempt was kept, so the list's code is fetched by this press.
    const list = page.getByRole('dialog', { name: 'Attempts of Narration' });
    await list.waitFor();
    assert.deepEqual(await list.getByRole('listitem').allTextContents(), ['Attempt 2 (current) running']);
    assert.match(await list.textContent(), /attempts before it was opened are not known/);
    assert.equal(await narration.locator('.step-row__attempt-mark').count(), 0);
  });
});

const AXE_SOURCE = readFile(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

for (const width of [320, 1280]) {
  test(`the attempt list reflows and is axe-clean at ${width} px, light and dark`, async () => {
    await withPage(async (page) => {
      const id = `run_retries-${uid()}`;
      await setClock(suite.sim, id, 7_300);
      await gotoRun(page, id);
      await row(page).locator('.status__label', { hasText: 'failed' }).waitFor();
      await setClock(suite.sim, id, 8_500);
      await row(page).locator('.step-row__attempt-mark').waitFor({ state: 'attached', timeout: 15_000 });
      await row(page).getByRole('button', { name: /list the attempts of Generate character$/ }).click();
      const list = page.getByRole('dialog', { name: 'Attempts of Generate character' });
      await list.waitFor();
      const wide = await page.evaluate(() => ({
        inner: innerWidth, doc: document.documentElement.scrollWidth,
        box: document.getElementById('step-attempts').getBoundingClientRect().right,
      }));
      assert.ok(wide.doc <= wide.inner && wide.box <= wide.inner, `no sideways scroll: ${JSON.stringify(wide)}`);
      await page.evaluate(await AXE_SOURCE);
      for (const colorScheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme });
        const violations = await page.evaluate(async (tags) => {
          const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
          return result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        }, TAGS);
        assert.deepEqual(violations, [], `${width} px ${colorScheme}`);
      }
    }, { viewport: { width, height: 800 } });
  });
}
