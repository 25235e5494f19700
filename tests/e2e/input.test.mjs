// Real-world input (values beyond the contract): a server that sends nulls, floats, negatives
// and a repeated step id; a run that is cancelled; keys pasted with
// invisible characters or with characters a header cannot carry. Driven
// against the simulator's `ugly` and `canceled` faults.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_KEY, gotoRun, injectFault, openPage, requests, runBadge, setClock, stepRows, uid, waitFor, setupSuite,
} from './harness.mjs';

const suite = setupSuite({ speed: 1 });
const { withPage } = suite;

const rowName = (page, i) => stepRows(page).nth(i).locator('.step-row__name');
const rowStatus = (page, i) => stepRows(page).nth(i).locator('.status__label');

/** How many steps the simulator's happy run has (read from a fresh instance). */
async function happyStepCount() {
  const res = await fetch(`${suite.sim.api}/api/v1/runs/run_happy-count-${uid()}`, {
    headers: { Authorization: `Bearer ${DEMO_KEY}` },
  });
  return (await res.json()).steps.length;
}

test('a run with nulls, floats, negatives and a repeated step id is shown, each row updated on its own', async () => {
  const total = await happyStepCount();
  await withPage(async (page) => {
    const id = `run_happy-${uid()}`;
    await injectFault(suite.sim, id, 'ugly', 10_000);
    await setClock(suite.sim, id, 1_000);
    await gotoRun(page, id);
    await waitFor(async () => (await stepRows(page).count()) === total, { message: `${total} rows` });
    // Rows 1 and 2 share a stepId: still two rows, each with its own step.
    assert.equal(await rowName(page, 0).textContent(), 'Write script');
    assert.equal(await rowName(page, 1).textContent(), 'Generate background');
    assert.equal(await rowStatus(page, 0).textContent(), 'running');
    assert.equal(await rowStatus(page, 1).textContent(), 'queued');
    assert.equal(await page.getByRole('alert').filter({ hasText: "can't read" }).count(), 0, 'no decode error');

    // Later the first step finishes and the second (same id) starts.
    await setClock(suite.sim, id, 5_000);
    await rowStatus(page, 1).filter({ hasText: /^running$/ }).waitFor({ timeout: 10_000 });
    assert.equal(await rowStatus(page, 0).textContent(), 'succeeded');
    assert.equal(await rowName(page, 1).textContent(), 'Generate background');
    const log = await requests(suite.sim, id);
    assert.ok(log.every((r) => r.status === 200), 'every answer was a 200');
  });
});

test('a cancelled run: its own badge and tab title, and polling stops', async () => {
  await withPage(async (page) => {
    const id = `run_happy-${uid()}`;
    await injectFault(suite.sim, id, 'canceled', 10_000);
    await gotoRun(page, id);
    await runBadge(page).filter({ hasText: /^canceled$/ }).waitFor();
    await waitFor(async () => (await page.title()) === `⊘ canceled · ${id}`, { message: 'the tab title' });
    const before = (await requests(suite.sim, id)).length;
    assert.equal(before, 1, 'a terminal status ends polling after the first answer');
    await page.waitForTimeout(2_500);
    assert.equal((await requests(suite.sim, id)).length, before, 'no request after the run was cancelled');
  });
});

for (const [what, pasted] of [
  ['a trailing no-break space (U+00A0)', `${DEMO_KEY}\u00a0`],
  ['a leading byte-order mark (U+FEFF)', `\ufeff${DEMO_KEY}`],
]) {
  test(`a key pasted with ${what} works`, async () => {
    await withPage(async (page) => {
      const id = `run_happy-${uid()}`;
      await page.goto(`/runs/${id}`);
      const dialog = page.getByRole('dialog', { name: 'Settings' });
      await dialog.waitFor({ timeout: 15_000 });
      await dialog.getByLabel('API key').fill(pasted);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('heading', { level: 1, name: `Run ${id}`, exact: true }).waitFor({ timeout: 15_000 });
      assert.equal(await page.evaluate(() => sessionStorage.getItem('runview.apiKey')), DEMO_KEY, 'stored cleaned');
      // Polling goes on with the cleaned key.
      await waitFor(async () => {
        const log = await requests(suite.sim, id);
        return log.filter((r) => r.status === 200).length >= 2;
      }, { timeout: 15_000, message: 'two answered polls' });
    }, { key: null });
  });
}

test('a key a header cannot carry is refused next to the field, and polling goes on', async () => {
  await withPage(async (page) => {
    const id = `run_happy-${uid()}`;
    await gotoRun(page, id);
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByLabel('API key').fill('sk_clé');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: 'The API key contains “é” (U+00E9), which cannot be sent in an HTTP header.' })
      .waitFor();
    assert.equal(await dialog.getByLabel('API key').getAttribute('aria-invalid'), 'true');
    await dialog.getByLabel('Project (optional)').fill('プロジェクト');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'The project contains “プ” (U+30D7)' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => sessionStorage.getItem('runview.apiKey')), DEMO_KEY, 'the good key is kept');
    const seen = (await requests(suite.sim, id)).length;
    await waitFor(async () => {
      const log = await requests(suite.sim, id);
      return log.length >= seen + 2 && log.slice(seen).every((r) => r.status === 200);
    }, { timeout: 15_000, message: 'polling goes on with the good key' });
  });
});
