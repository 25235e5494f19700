// The keyboard, driven as a person would: `?` help, `/` the run-id box,
// `r` refresh, `p` pause/resume, `g` `h` home, and the media viewer's
// arrows, `d` and Esc. Each shortcut's visible control exists too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gotoRun, runBadge, setClock, uid, waitFor, setupSuite, requests } from './harness.mjs';

const suite = setupSuite({ speed: 1 });
const { withPage } = suite;

const focusedLabel = (page) =>
  page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');

test('? opens the help overlay listing every shortcut; Esc closes it and focus returns', async () => {
  await withPage(async (page) => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Watch a run' }).waitFor();
    const shortcuts = page.getByRole('button', { name: 'Shortcuts' });
    await shortcuts.focus();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    assert.deepEqual(await dialog.getByRole('heading', { level: 3 }).allTextContents(), [
      'Everywhere', 'On a run page', 'In the media viewer',
    ]);
    assert.equal(await dialog.locator('.help__row').count(), 21);
    assert.equal(await dialog.locator('.help__row', { hasText: 'Go home' }).locator('dt').textContent(), 'g then h');
    assert.equal(await focusedLabel(page), 'Close', 'focus starts in the dialog');
    // Page shortcuts are off while it is open: `/` does not reach the run-id box.
    await page.keyboard.press('/');
    assert.equal(await focusedLabel(page), 'Close');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await waitFor(async () => (await focusedLabel(page)) === 'Shortcuts', { message: 'focus back on "Shortcuts"' });
    // The visible control opens it too, and "Close" closes it.
    await shortcuts.click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });
});

test('/ focuses the step search on a run page; keys typed in the run-id box are text, not shortcuts', async () => {
  await withPage(async (page) => {
    const id = `run_finished-${uid()}`;
    await gotoRun(page, id);
    await page.getByText('Run finished; live updates stopped').waitFor();
    const before = (await requests(suite.sim, id)).length;
    // On a run page `/` is the step search (elsewhere the run-id box: search.test.mjs).
    await page.keyboard.press('/');
    const search = page.getByRole('searchbox', { name: 'Search steps' });
    assert.ok(await search.evaluate((el) => el === document.activeElement), 'the step search has focus');
    await page.keyboard.press('Escape');
    const box = page.getByRole('textbox', { name: 'Run id or URL' });
    await box.focus();
    assert.ok(await box.evaluate((el) => el === document.activeElement), 'the box has focus');
    const other = `run_finished-${uid()}`;
    await page.keyboard.type(other); // contains r, p, g, h…
    assert.equal(await box.inputValue(), other);
    assert.equal((await requests(suite.sim, id)).length, before, 'typing r refreshed nothing');
    await page.keyboard.press('Enter');
    await page.locator('code.run-header__id', { hasText: other }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/runs/${other}`);
  });
});

test('r refreshes now, p pauses and resumes, g h goes home', async () => {
  await withPage(async (page) => {
    const done = `run_finished-${uid()}`;
    await gotoRun(page, done);
    await page.getByText('Run finished; live updates stopped').waitFor();
    const before = (await requests(suite.sim, done)).length;
    await page.keyboard.press('r');
    await waitFor(async () => (await requests(suite.sim, done)).length === before + 1, { message: 'one more GET after r' });

    const live = `run_happy-${uid()}`;
    await setClock(suite.sim, live, 2_000);
    await gotoRun(page, live);
    await runBadge(page).filter({ hasText: /^(queued|running)$/ }).waitFor();
    await page.getByText('Live: updating automatically').waitFor();
    await page.keyboard.press('p');
    await page.getByText('Paused: live updates are off').waitFor();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await page.keyboard.press('p');
    await page.getByText('Live: updating automatically').waitFor();
    await page.getByRole('button', { name: 'Pause' }).waitFor();

    await page.keyboard.press('g');
    await page.keyboard.press('h');
    await page.getByRole('heading', { name: 'Watch a run' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
  });
});

test('the media viewer: arrows move, d downloads, Esc closes and focus returns', async () => {
  await withPage(async (page) => {
    const id = `run_demo-${uid()}`;
    await setClock(suite.sim, id, 120_000);
    await gotoRun(page, id);
    await runBadge(page).filter({ hasText: /^succeeded$/ }).waitFor();
    // Stop link clicks from leaving the page; remember which link was clicked.
    await page.evaluate(() => {
      window.__clicked = [];
      document.addEventListener('click', (e) => {
        const a = e.target.closest?.('a');
        if (a) {
          window.__clicked.push(a.textContent);
          e.preventDefault();
        }
      }, true);
    });
    const open = page.getByRole('button', { name: 'View full size' });
    await open.click();
    const viewer = page.getByRole('dialog', { name: 'Output viewer' });
    await viewer.waitFor();
    const title = viewer.locator('.lightbox__title');
    assert.match(await title.textContent(), /^Render video · video ejo_/);
    await page.keyboard.press('ArrowRight');
    await waitFor(async () => /^Thumbnail · image /.test(await title.textContent()), { message: 'next: the thumbnail' });
    await page.keyboard.press('ArrowLeft');
    await waitFor(async () => /^Render video · video /.test(await title.textContent()), { message: 'back to the video' });
    // With a modifier, arrows are the browser's.
    await page.keyboard.press('Control+ArrowRight');
    assert.match(await title.textContent(), /^Render video · video /);
    await page.keyboard.press('d');
    assert.deepEqual(await page.evaluate(() => window.__clicked), ['Download']);
    // Page shortcuts are off while the viewer is open: g h stays here.
    await page.keyboard.press('g');
    await page.keyboard.press('h');
    await viewer.waitFor();
    assert.equal(new URL(page.url()).pathname, `/runs/${id}`);
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    await waitFor(async () => (await focusedLabel(page)) === 'View full size', { message: 'focus back on "View full size"' });
  });
});
