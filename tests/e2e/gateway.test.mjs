// A gateway's or CDN's HTML error page (`run_fault_gateway_html`: a 503
// page with inline style and script) is told in words in the error banner,
// naming at most the page's title, never its CSS, script or markup.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorBanner, gotoRun, uid, setupSuite } from './harness.mjs';

const suite = setupSuite({ speed: 5 });
const { withPage } = suite;

test("a CDN's HTML 503 page shows as words in the banner, with no CSS or script", async () => {
  await withPage(async (page) => {
    const id = `run_fault_gateway_html-${uid()}`;
    await gotoRun(page, id);
    const banner = errorBanner(page);
    await banner.waitFor({ timeout: 10_000 });
    await banner.getByText('The API failed (HTTP 503)').waitFor();
    const detail = banner.locator('.banner__detail');
    assert.equal(
      await detail.textContent(),
      'HTTP 503: The API\'s gateway answered 503 Service Unavailable: “api.runview.test | 503: Service temporarily unavailable”',
    );
    const text = await banner.textContent();
    for (const leak of ['{', '}', 'font-family', 'box-sizing', '_cf_chl_opt', 'document.', '<', '&nbsp;', 'Ray ID']) {
      assert.ok(!text.includes(leak), `the banner shows no page source (${JSON.stringify(leak)}): ${text}`);
    }
    // Requests 2–4 get the page; the fifth recovers and the banner goes.
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
  });
});
