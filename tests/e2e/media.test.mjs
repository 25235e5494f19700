// Media economy (README "Media economy"): a run with a batch step of
// several hundred images (`run_batch`) requests about one screen of them at
// load, the rest as they come into view; at most one video (the hero)
// fetches data before a play; with Save-Data, none does until played.
// Every media request is counted at the simulator's media origin.
//
// Save-Data is emulated with an init script that gives the page a
// `navigator.connection` whose `saveData` is true: that is all the app can
// see (a `Save-Data: on` request header is for servers; headless Chromium
// has no data-saver switch that would set both).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uid, setupSuite, gotoRun, setClock, sleep, waitFor } from './harness.mjs';

const suite = setupSuite({ speed: 10 });
const { withPage } = suite;

/** Images the batch step makes (sim/src/scenario/mod.rs `BATCH_IMAGES`). */
const BATCH = 400;
/** Scenario time after which every step of `run_batch` has finished. */
const BATCH_DONE_MS = 60_000;
/**
 * Most batch images a page may request at load: one screen of thumbnails
 * plus the near-screen margin (a filmstrip row of 8rem tiles is ≤ 10 wide
 * at 1280 px, the batch step's timeline row shows ≤ 20 40 px thumbnails).
 * Before the change every one of the 400 was requested.
 */
const LOAD_BOUND = 32;

const PHONE = { width: 375, height: 667 };
const DESKTOP = { width: 1280, height: 900 };

/** Counts the page's requests to the media origin, by kind. */
function mediaRequests(page) {
  const media = new URL(suite.sim.media).host;
  const seen = { batch: new Set(), batchRequests: 0, images: 0, video: 0 };
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.host !== media) return;
    if (/-512x512\.png$/.test(url.pathname)) {
      seen.batch.add(url.pathname);
      seen.batchRequests += 1;
    }
    if (r.resourceType() === 'image') seen.images += 1;
    if (r.resourceType() === 'media') seen.video += 1;
  });
  return seen;
}

/** Resolves once `count()` has not changed for `quietMs`. */
async function settle(count, quietMs = 1_000) {
  let last = count();
  let since = Date.now();
  await waitFor(() => {
    const now = count();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
    return Date.now() - since >= quietMs;
  }, { timeout: 15_000, interval: 100, message: 'media requests settle' });
  return last;
}

/** Opens a finished batch run and waits until its filmstrip is built. */
async function openBatch(page) {
  const id = `run_batch-${uid()}`;
  await setClock(suite.sim, id, BATCH_DONE_MS);
  await gotoRun(page, id);
  const group = page.locator('.filmstrip__group', { has: page.getByRole('heading', { name: 'Generate variations' }) });
  await group.waitFor({ state: 'attached', timeout: 15_000 });
  return { id, group };
}

for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  test(`a batch of ${BATCH} images requests about one screen at load (${name}), the rest as they come into view`, async () => {
    await withPage(async (page) => {
      const seen = mediaRequests(page);
      const { group } = await openBatch(page);
      const tiles = group.getByRole('button', { name: /^image ijo_2_\d+, full size$/ });
      assert.equal(await tiles.count(), BATCH, 'every output of the batch has its tile');
      const atLoad = await settle(() => seen.batchRequests);
      console.log(`# media at load (${name} ${viewport.width}x${viewport.height}): ${atLoad} batch image requests (${seen.batch.size} distinct), ${seen.images} images in all, ${seen.video} video requests`);
      assert.ok(atLoad <= LOAD_BOUND, `${atLoad} batch images requested at load (bound ${LOAD_BOUND})`);

      // Scrolling the filmstrip into view, then along its row, loads more.
      await group.scrollIntoViewIfNeeded();
      const inView = await settle(() => seen.batchRequests);
      assert.ok(inView > 0, 'the tiles on screen load');
      await group.locator('.filmstrip__items').evaluate((row) => { row.scrollLeft += row.clientWidth * 2; });
      const scrolled = await settle(() => seen.batchRequests);
      console.log(`# media after scrolling (${name}): ${inView} once the strip is in view, ${scrolled} after scrolling it two widths`);
      assert.ok(scrolled > inView, `scrolling the strip loads more (${inView} → ${scrolled})`);
      assert.ok(scrolled < BATCH / 4, `still only what came into view (${scrolled})`);

      // The last output is reachable by keyboard: focusing its tile brings
      // it into view and its image loads.
      const last = group.getByRole('button', { name: `image ijo_2_${BATCH}, full size` });
      await last.focus();
      await waitFor(() => last.locator('img').evaluate((img) => img.complete && img.naturalWidth > 0), { message: 'the last tile loads once focused' });
    });
  });
}

test('the media viewer browses every output of the batch', async () => {
  await withPage(async (page) => {
    const { group } = await openBatch(page);
    // The last tile, far along its row, opens like the first.
    await group.getByRole('button', { name: `image ijo_2_${BATCH}, full size` }).click();
    const viewer = page.getByRole('dialog', { name: 'Output viewer' });
    const title = viewer.locator('.lightbox__title');
    await title.filter({ hasText: `Generate variations · image ijo_2_${BATCH}` }).waitFor();
    await page.keyboard.press('ArrowRight');
    await title.filter({ hasText: 'Pick best · image ijo_3_1' }).waitFor();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await title.filter({ hasText: `Generate variations · image ijo_2_${BATCH - 1}` }).waitFor();
    // The viewed image loads at once, wherever its tile is.
    await waitFor(() => viewer.locator('img').evaluate((img) => img.complete && img.naturalWidth === 512), { message: 'the viewed image loads' });
  });
});

test('at most one video (the hero) fetches data before a play', async () => {
  await withPage(async (page) => {
    const seen = mediaRequests(page);
    await openBatch(page);
    await page.locator('.hero video').waitFor();
    await page.getByRole('region', { name: 'Outputs' }).scrollIntoViewIfNeeded();
    await settle(() => seen.video);
    const preloads = await page.locator('video').evaluateAll((vs) => vs.map((v) => v.preload));
    console.log(`# videos: ${preloads.length} elements (${preloads.join(', ')}), ${seen.video} video requests before a play`);
    assert.ok(preloads.length >= 3, `the hero, the final card and the preview tile: ${preloads}`);
    assert.equal(preloads.filter((p) => p !== 'none').length, 1, `only the hero preloads: ${preloads}`);
    assert.equal(await page.locator('.hero video').getAttribute('preload'), 'metadata');
    assert.ok(seen.video >= 1, 'the hero fetched its metadata');
    // NETWORK_LOADING (2) or any data: only the hero.
    const loading = await page.locator('video').evaluateAll((vs) => vs.filter((v) => v.networkState === 2 || v.readyState > 0).length);
    assert.equal(loading, 1, 'one video element has loaded or is loading data');
  });
});

test('with Save-Data no video data is fetched until the person plays one', async () => {
  const saveData = () => {
    Object.defineProperty(navigator, 'connection', {
      configurable: true,
      value: { saveData: true, effectiveType: '4g', addEventListener() {}, removeEventListener() {} },
    });
  };
  await withPage(async (page) => {
    const seen = mediaRequests(page);
    await openBatch(page);
    const hero = page.locator('.hero video');
    await hero.waitFor();
    await page.getByRole('region', { name: 'Outputs' }).scrollIntoViewIfNeeded();
    await sleep(1_500);
    assert.equal(seen.video, 0, 'no video request before a play');
    assert.equal(await hero.getAttribute('preload'), 'none');
    assert.equal(await hero.evaluate((v) => v.controls), true, 'the player shows its play button');
    assert.equal(await page.locator('video').evaluateAll((vs) => vs.filter((v) => v.preload !== 'none').length), 0);
    // Images still come as they come into view.
    assert.ok(seen.images > 0, 'images still load');
    await hero.scrollIntoViewIfNeeded();
    await hero.evaluate((v) => { v.muted = true; return v.play().catch(() => {}); });
    await waitFor(() => seen.video > 0, { message: 'playing fetches the video' });
  }, { initScripts: [saveData] });
});
