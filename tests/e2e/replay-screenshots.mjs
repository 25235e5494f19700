// The README's replay screenshots: the finished demo run replayed 12 s in,
// on a desk (1280 px) and on a phone (320 px). Not part of the suite (not a
// `.test.mjs`): run it by hand against a release build in dist/,
//
//   node tests/e2e/replay-screenshots.mjs            # → tests/e2e/out/
//   RUNVIEW_UPDATE_SCREENSHOT=1 node tests/e2e/replay-screenshots.mjs   # → docs/

import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { ROOT, startSim, launchBrowser, openPage, setClock, gotoRun, runBadge } from './harness.mjs';

const out = process.env.RUNVIEW_UPDATE_SCREENSHOT === '1' ? 'docs' : 'tests/e2e/out';
const SHOTS = [
  { file: 'screenshot-replay.png', viewport: { width: 1280, height: 900 } },
  { file: 'screenshot-replay-phone.png', viewport: { width: 320, height: 640 } },
];

const sim = await startSim({ speed: 1 });
const browser = await launchBrowser();
try {
  await mkdir(path.join(ROOT, out), { recursive: true });
  await setClock(sim, 'run_demo', 120_000);
  for (const { file, viewport } of SHOTS) {
    const p = await openPage(browser, sim, { viewport });
    try {
      const page = p.page;
      // A deep link to the moment: the run as it was 12 s in.
      await gotoRun(page, 'run_demo', '?at=12000');
      await runBadge(page).waitFor();
      await page.getByRole('slider', { name: 'Moment of the run' }).waitFor();
      await page.locator('.step-row .status__label', { hasText: /^running$/ }).first().waitFor();
      await page.waitForLoadState('networkidle').catch(() => {});
      // The scrubber in view with rows under it.
      await page.locator('.replay').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(ROOT, out, file) });
      p.check();
      console.log(`wrote ${path.join(out, file)}`);
    } finally {
      await p.close();
    }
  }
} finally {
  await browser.close();
  await sim.stop();
}
