// A blueprint's run history and two runs side by side, as a person uses them:
// open the history, pick two runs, compare; deep links and back/forward.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uid, setupSuite, gotoRun } from './harness.mjs';

const suite = setupSuite({ speed: 10 });
const { withPage } = suite;

/** The run ids of the history rows, top to bottom. */
const rowIds = (page) => page.locator('.history-row .history-row__id code').allTextContents();

test('the history lists the takes newest first and loads more on demand', async () => {
  await withPage(async (page) => {
    await page.goto('/blueprints/bp_shorts');
    await page.getByRole('heading', { level: 1, name: 'Runs of bp_shorts' }).waitFor();
    const list = page.getByRole('list', { name: 'Runs, newest first' });
    await list.waitFor();
    await page.locator('.history-row').nth(4).waitFor();
    const first = await rowIds(page);
    assert.equal(first.length, 5);
    assert.deepEqual(first.slice(2), ['run_take_5', 'run_take_4', 'run_take_3']);
    // A canceled take reads as canceled.
    await page.locator('.history-row', { hasText: 'run_take_3' }).getByText(/canceled/).waitFor();
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.waitForURL(/\/blueprints\/bp_shorts\?pages=2$/);
    await page.locator('.history-row').nth(6).waitFor();
    assert.deepEqual((await rowIds(page)).slice(5), ['run_take_2', 'run_take_1']);
    assert.equal(await page.getByRole('button', { name: 'Load more' }).count(), 0, 'no more pages');
    // Back shows one page again; forward two.
    await page.goBack();
    await page.waitForURL(/\/blueprints\/bp_shorts$/);
    await page.waitForFunction(() => document.querySelectorAll('.history-row').length === 5);
    await page.goForward();
    await page.waitForFunction(() => document.querySelectorAll('.history-row').length === 7);
  });
});

test('pick two runs, compare them, swap, and come back', async () => {
  await withPage(async (page) => {
    await page.goto('/blueprints/bp_shorts');
    await page.locator('.history-row').nth(4).waitFor();
    const compare = page.getByRole('button', { name: 'Compare', exact: true });
    assert.equal(await compare.isDisabled(), true);
    await page.getByRole('checkbox', { name: 'Pick run_take_5 to compare' }).check();
    await page.getByRole('checkbox', { name: 'Pick run_take_4 to compare' }).check();
    await page.waitForURL(/sel=run_take_5,run_take_4$/);
    await compare.click();
    // The older run is A, the newer B.
    await page.waitForURL(/\/compare\/run_take_4\/run_take_5$/);
    await page.getByRole('heading', { level: 1, name: 'Compare runs' }).waitFor();
    const summary = page.getByRole('region', { name: 'Summary' });
    await summary.getByText(/^B is .* (faster|slower)$/).waitFor();
    await summary.getByText(/^\d+ faster, \d+ slower, \d+ same/).waitFor();
    const table = page.getByRole('table');
    await table.getByRole('rowheader', { name: 'Write script' }).waitFor();
    assert.equal(await table.locator('tbody tr').count(), 12);
    // Take 5 skipped its captions: the status change shows in the row.
    const captions = table.getByRole('row', { name: /Captions/ });
    await captions.getByText('skipped').waitFor();
    // Videos of both takes play under one control.
    await page.getByRole('button', { name: 'Play both' }).waitFor();
    await page.getByRole('slider', { name: 'Position in both videos' }).waitFor();
    await page.getByRole('button', { name: 'Swap A and B' }).click();
    await page.waitForURL(/\/compare\/run_take_5\/run_take_4$/);
    await page.goBack();
    await page.waitForURL(/\/compare\/run_take_4\/run_take_5$/);
    await page.goBack();
    await page.waitForURL(/\/blueprints\/bp_shorts\?sel=run_take_5,run_take_4$/);
    assert.equal(await page.getByRole('checkbox', { name: 'Pick run_take_5 to compare' }).isChecked(), true);
  });
});

test('a deep link to a comparison opens it directly; a run page links to its history', async () => {
  await withPage(async (page) => {
    await page.goto('/compare/run_take_1/run_take_2');
    await page.getByRole('table').getByRole('rowheader', { name: 'Compose scene' }).waitFor();
    await page.getByRole('region', { name: 'Summary' }).getByText('failed').waitFor();
    const id = `run_happy-${uid()}`;
    await gotoRun(page, id);
    await page.getByRole('link', { name: 'Other runs of bp_shorts' }).click();
    await page.waitForURL(/\/blueprints\/bp_shorts$/);
    // The run just opened started last: it tops the list.
    await page.locator('.history-row').first().getByRole('link', { name: id }).waitFor();
    await page.goto('/');
    await page.getByRole('link', { name: 'Runs of bp_shorts' }).waitFor();
    await gotoRun(page, id);
    await page.getByRole('link', { name: 'Compare with previous run' }).click();
    await page.waitForURL(new RegExp(`/compare/run_take_6/${id}$`));
    await page.getByRole('heading', { level: 1, name: 'Compare runs' }).waitFor();
  });
});
