// Code splitting (README "Code splitting"): the release build keeps out of
// the run page's first load every page but the run page (home, history,
// compare), the dialogs (settings, media viewer, shortcut overlay), the
// output gallery and the text preview. Each arrives as its own wasm chunk when a person first
// needs it (deep link, link, keyboard, a click; the gallery right after the
// first paint), and a chunk that does not arrive gives a message and a
// Retry, never a blank page. Runs against the release build in dist/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uid, setupSuite, openPage, gotoRun, setClock } from './harness.mjs';

const suite = setupSuite({ speed: 10 });
const { withPage } = suite;

/** Records the app files (not API or media) the page requests, by their unhashed names. */
function appFiles(page) {
  const seen = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (/\.(wasm|js)$/.test(url.pathname)) seen.push(url.pathname.slice(1).replace(/-[0-9a-f]{16}(?=(_bg)?\.)/, ''));
  });
  return seen;
}
const lazyChunks = (seen) => seen.filter((f) => /^(split|chunk)_/.test(f)).sort();
/** The split points whose chunks were fetched (not the code they share). */
const splits = (seen) => [...new Set(seen.filter((f) => f.startsWith('split_')))].sort();
// What a run page fetches right after its first paint: the output gallery,
// the timeline's zoom controls and ruler, and (for the run's text output)
// the text preview.
const AFTER_PAINT = ['split_gallery.wasm', 'split_text.wasm', 'split_zoom_axis.wasm', 'split_zoom_buttons.wasm'];
/** Waits until a run page's after-paint chunks are in (gallery, text preview, zoom). */
const afterPaint = async (page) => {
  await page.getByRole('heading', { name: 'Outputs', exact: true }).waitFor();
  await page.locator('.gallery .preview--text pre.preview__lines').first().waitFor();
  await page.getByRole('button', { name: 'Zoom in' }).waitFor();
  await page.locator('.ruler').waitFor({ state: 'attached' });
};

test("a run page's first load fetches no page chunk; its history link and compare load theirs", async () => {
  await withPage(async (page) => {
    const seen = appFiles(page);
    const id = `run_happy-${uid()}`;
    let painted = null;
    page.on('request', (r) => {
      if (/\/(split|chunk)_\w+-[0-9a-f]{16}\.wasm$/.test(r.url()) && painted === null) painted = seen.slice(0, -1);
    });
    await gotoRun(page, id);
    await afterPaint(page);
    assert.deepEqual(painted?.sort(), ['runview-split.js', 'runview.js', 'runview_bg.wasm'], 'first load: glue, main wasm, chunk loader; then the gallery and zoom');
    assert.deepEqual(splits(seen), AFTER_PAINT, 'the run page fetched only the gallery, the zoom controls and the text preview, after its first paint');
    await page.getByRole('link', { name: 'Other runs of bp_shorts' }).click();
    await page.waitForURL(/\/blueprints\/bp_shorts$/);
    // Among the newest rows, not necessarily the first: the simulator's
    // history (run_take_6 …) runs on its own sped-up clock.
    await page.locator('.history-row').getByRole('link', { name: id }).waitFor();
    assert.ok(seen.includes('split_history.wasm'), `history chunk fetched on the way: ${seen}`);
    assert.ok(!seen.includes('split_compare.wasm'), 'the compare chunk waits until a comparison is opened');
    await page.getByRole('checkbox', { name: 'Pick run_take_6 to compare' }).check();
    await page.getByRole('checkbox', { name: `Pick ${id} to compare` }).check();
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await page.waitForURL(new RegExp(`/compare/(run_take_6/${id}|${id}/run_take_6)$`));
    await page.getByRole('heading', { level: 1, name: 'Compare runs' }).waitFor();
    await page.getByRole('table').getByRole('rowheader', { name: 'Write script' }).waitFor();
    assert.ok(seen.includes('split_compare.wasm'), `compare chunk fetched: ${seen}`);
    // Each chunk is fetched once per page load, however often its page opens.
    await page.goBack();
    await page.locator('.history-row').first().waitFor();
    await page.goForward();
    await page.getByRole('heading', { level: 1, name: 'Compare runs' }).waitFor();
    assert.equal(seen.filter((f) => f === 'split_compare.wasm').length, 1);
    assert.equal(seen.filter((f) => f === 'split_history.wasm').length, 1);
  });
});

test('h on a run page opens the history (its chunk loads on the way)', async () => {
  await withPage(async (page) => {
    const seen = appFiles(page);
    const id = `run_happy-${uid()}`;
    await gotoRun(page, id);
    await afterPaint(page);
    assert.deepEqual(splits(seen), AFTER_PAINT);
    await page.locator('body').press('h');
    await page.waitForURL(/\/blueprints\/bp_shorts$/);
    await page.getByRole('heading', { level: 1, name: 'Runs of bp_shorts' }).waitFor();
    await page.locator('.history-row').getByRole('link', { name: id }).waitFor();
    assert.ok(seen.includes('split_history.wasm'));
  });
});

test('the dialogs load their code when they first open, once', async () => {
  await withPage(async (page) => {
    const seen = appFiles(page);
    const id = `run_demo-${uid()}`;
    await setClock(suite.sim, id, 120_000);
    await gotoRun(page, id);
    await afterPaint(page);
    assert.deepEqual(splits(seen), AFTER_PAINT);
    // The shortcut overlay: `?`, Esc, `?` again.
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    // The media viewer, from the hero.
    await page.getByRole('button', { name: 'View full size' }).click();
    await page.getByRole('dialog', { name: 'Output viewer' }).waitFor();
    await page.keyboard.press('Escape');
    // Settings.
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('dialog', { name: /Settings/ }).waitFor();
    assert.deepEqual(splits(seen), [...AFTER_PAINT, 'split_help.wasm', 'split_settings.wasm', 'split_viewer.wasm'].sort());
    assert.equal(seen.filter((f) => f === 'split_help.wasm').length, 1, 'opened twice, fetched once');
  });
});

test('deep links open a lazily loaded page straight away', async () => {
  await withPage(async (page) => {
    const seen = appFiles(page);
    await page.goto('/compare/run_take_1/run_take_2');
    await page.getByRole('table').getByRole('rowheader', { name: 'Compose scene' }).waitFor();
    const lazy = lazyChunks(seen);
    assert.equal(new Set(lazy).size, lazy.length, `each chunk fetched once: ${lazy}`);
    assert.ok(lazy.includes('split_compare.wasm') && !lazy.some((f) => /^split_(history|compare_previous)\./.test(f)), `only what /compare needs: ${lazy}`);
    // The page's chunk is preloaded by index.html's deep-link script (a
    // `<link rel=preload>`, which the browser's own resource timing reports
    // as `link`), not fetched by the app once it runs (that would be
    // `fetch`). Not ordered by time: on loopback the main wasm can finish
    // before the browser starts a preload it schedules at low priority.
    const timing = await page.evaluate(() => performance.getEntriesByType('resource')
      .filter((e) => /\/split_compare-[0-9a-f]{16}\.wasm$/.test(e.name))
      .map((e) => ({ initiator: e.initiatorType, start: e.startTime })));
    assert.ok(timing.length >= 1, 'the compare chunk was fetched');
    assert.equal(timing[0].initiator, 'link', `the chunk came from the preload: ${JSON.stringify(timing)}`);
  });
  await withPage(async (page) => {
    await page.goto('/blueprints/bp_shorts?pages=2');
    await page.locator('.history-row').nth(6).waitFor();
  });
  await withPage(async (page) => {
    await page.goto('/blueprints/bp_shorts/compare/run_take_5');
    await page.waitForURL(/\/compare\/run_take_4\/run_take_5$/);
    await page.getByRole('heading', { level: 1, name: 'Compare runs' }).waitFor();
  });
});

test("a page chunk that does not arrive: a message and Retry, and the app keeps working", async () => {
  const { page, pageErrors, consoleErrors, close } = await openPage(suite.browser, suite.sim);
  try {
    let blocked = 0;
    const block = (route) => {
      blocked++;
      return route.abort('internetdisconnected');
    };
    await page.route(/\/split_history-[0-9a-f]{16}\.wasm$/, block);
    // From a run page (a deep link would preload the chunk as well).
    await gotoRun(page, `run_happy-${uid()}`);
    await page.getByRole('link', { name: 'Other runs of bp_shorts' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'This view could not be loaded' });
    await alert.waitFor();
    await alert.getByText(/did not arrive from the server/).waitFor();
    assert.equal(blocked, 1);
    // A second failure: Retry fetches again (a failed load is not remembered).
    await alert.getByRole('button', { name: 'Retry' }).click();
    await waitUntil(() => blocked === 2, 'the retry fetched the chunk again');
    await alert.getByRole('button', { name: 'Retry' }).waitFor();
    // Back online: Retry shows the page.
    await page.unroute(/\/split_history-[0-9a-f]{16}\.wasm$/, block);
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('heading', { level: 1, name: 'Runs of bp_shorts' }).waitFor();
    await page.locator('.history-row').nth(4).waitFor();
    assert.equal(await alert.count(), 0);
    // The app never threw; the loader logged each failed fetch.
    assert.deepEqual(pageErrors.map(String), []);
    assert.deepEqual(consoleErrors.filter((t) => !/Failed to fetch|net::ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(t)), []);
    // Client-side navigation elsewhere still works.
    await page.getByRole('link', { name: 'runview', exact: true }).click();
    await page.waitForURL(/\/$/);
  } finally {
    await close();
  }
});

async function waitUntil(cond, what, timeout = 10_000) {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeout) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
