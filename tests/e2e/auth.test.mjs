// The API key: a 401 opens the settings with the reason; a key typed there
// is used at once; the key goes to the API only, never to the media origin
// and never into a URL.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_KEY, KEY_STORAGE, openPage, runBadge, runHeading, setClock, stepRows, requests, uid, waitFor,
  setupSuite,
} from './harness.mjs';

const suite = setupSuite({ speed: 5 });
const { withPage } = suite;

/** Records every request the page makes, with all its headers. */
function recordRequests(page) {
  const seen = [];
  page.on('request', async (req) => {
    const entry = { url: req.url(), headers: null };
    seen.push(entry);
    try {
      entry.headers = await req.allHeaders();
    } catch {
      entry.headers = req.headers();
    }
  });
  return seen;
}

/** Opens a finished demo run with `key` stored (null: none), expects the 401 dialog, types the demo key. */
async function refusedThenFixed(key, expectedAuth) {
  const p = await openPage(suite.browser, suite.sim, { key });
  const { page } = p;
  const seen = recordRequests(page);
  try {
    const id = `run_demo-${uid()}`;
    await setClock(suite.sim, id, 120_000);
    await page.goto(`/runs/${id}`);

    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.getByRole('alert').filter({ hasText: /401/ }).waitFor();
    assert.equal(await runHeading(page, id).count(), 0, 'no run data behind the dialog yet');

    const keyField = dialog.getByLabel('API key');
    await keyField.fill(DEMO_KEY);
    assert.equal(await dialog.getByLabel('Remember on this device').isChecked(), false);
    await dialog.getByRole('button', { name: 'Save' }).click();

    await dialog.waitFor({ state: 'detached' });
    await runHeading(page, id).waitFor({ timeout: 15_000 });
    await runBadge(page).filter({ hasText: /^succeeded$/ }).waitFor();
    await stepRows(page).first().waitFor();

    // Kept for this tab only (sessionStorage), not remembered on the device.
    assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), KEY_STORAGE), DEMO_KEY);
    assert.ok(!(await page.evaluate((k) => localStorage.getItem(k), KEY_STORAGE)), 'key not in localStorage');

    // The simulator saw a refused request, then accepted ones.
    const log = await requests(suite.sim, id);
    assert.equal(log[0].status, 401);
    assert.equal(log[0].auth, expectedAuth);
    assert.ok(log.some((r) => r.status === 200 && r.auth === 'ok'), JSON.stringify(log));

    // Load media from the media origin: the hero video, the filmstrip (images, video, audio).
    await page.getByRole('region', { name: 'Outputs' }).locator('video').first().waitFor();
    await waitFor(() => seen.filter((r) => r.url.startsWith(suite.sim.media)).length >= 3, { message: 'media requests' });
    await waitFor(() => seen.every((r) => r.headers !== null), { message: 'request headers' });

    const media = seen.filter((r) => r.url.startsWith(suite.sim.media));
    for (const r of media) {
      assert.equal(r.headers.authorization, undefined, `no Authorization header to the media origin: ${r.url}`);
      assert.ok(!JSON.stringify(r.headers).includes(DEMO_KEY), `key in a header to ${r.url}`);
    }
    for (const r of seen) assert.ok(!r.url.includes(DEMO_KEY) && !r.url.includes('5eed5eed'), `key in URL ${r.url}`);
    const api = seen.filter((r) => r.url.startsWith(`${suite.sim.api}/api/`));
    assert.ok(api.some((r) => r.headers.authorization === `Bearer ${DEMO_KEY}`), 'the API got the key');
    p.check();
  } finally {
    await p.close();
  }
}

test('no key: 401 opens the settings with the reason; the typed key shows the run', async () => {
  await refusedThenFixed(null, 'missing');
});

test('wrong key: 401 opens the settings; the typed key replaces it and shows the run', async () => {
  await refusedThenFixed('sk_' + '0'.repeat(64), 'wrong');
});
