// "Download all" (README): the manifest of every output as JSON and CSV,
// the files one by one with progress where the media host allows
// cross-origin reads, and the manifest plus a list of links where it does
// not. The dialog's code is a chunk fetched on the first click. Phone
// reflow and axe (light and dark, 320 and 1280 px) with the dialog open.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { ROOT, DEMO_KEY, uid, setupSuite, openPage, gotoRun, setClock, waitFor, sleep } from './harness.mjs';

const suite = setupSuite({ speed: 1 });
const { withPage } = suite;
const AXE_SOURCE = readFile(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** A finished run_happy and its API body (what the manifest must list). */
async function finishedRun(page) {
  const id = `run_happy-${uid()}`;
  await setClock(suite.sim, id, 600_000);
  const body = await (await fetch(`${suite.sim.api}/api/v1/runs/${id}`, { headers: { Authorization: `Bearer ${DEMO_KEY}` } })).json();
  await gotoRun(page, id);
  return { id, body };
}

async function openDialog(page) {
  const chunks = [];
  page.on('request', (r) => { if (/split_download/.test(r.url())) chunks.push(r.url()); });
  await page.getByRole('button', { name: 'Download all' }).click();
  const dialog = page.getByRole('dialog', { name: 'Download all' });
  await dialog.getByRole('button', { name: 'Save manifest (CSV)' }).waitFor();
  return { dialog, chunks };
}

/** RFC 4180 CSV into rows of cells. */
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += c;
  }
  return rows;
}

const readDownload = async (download) => readFile(await download.path(), 'utf8');

test('the manifest downloads as CSV and JSON with one row per output', async () => {
  await withPage(async (page) => {
    const { id, body } = await finishedRun(page);
    const expected = body.steps.flatMap((s) => s.outputs.map((o) => [s.stepId, s.name, o.type, o.outputId, o.mimeType ?? '', '', o.url ?? '']));
    assert.ok(expected.length >= 5, `the finished run has outputs: ${expected.length}`);
    const { dialog, chunks } = await openDialog(page);
    assert.equal(chunks.length, 1, 'the dialog code arrives as its own chunk on the first click');

    const [csv] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Save manifest (CSV)' }).click()]);
    assert.equal(csv.suggestedFilename(), `${id}-manifest.csv`);
    const rows = parseCsv(await readDownload(csv));
    assert.deepEqual(rows[0], ['step_id', 'step', 'type', 'output_id', 'mime', 'size', 'url']);
    assert.deepEqual(rows.slice(1), expected);

    const [json] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Save manifest (JSON)' }).click()]);
    const manifest = JSON.parse(await readDownload(json));
    assert.equal(manifest.runId, id);
    assert.deepEqual(manifest.outputs.map((o) => [o.stepId, o.outputId, o.url ?? '']), expected.map((r) => [r[0], r[3], r[6]]));
  });
});

test('the files download one by one with progress', async () => {
  await withPage(async (page) => {
    const { body } = await finishedRun(page);
    const files = body.steps.flatMap((s) => s.outputs).filter((o) => o.url && o.type !== 'output');
    // Each file takes a moment, so the progress can be seen.
    await page.route(`${suite.sim.media}/**`, async (route) => { await sleep(150); await route.continue(); });
    const { dialog } = await openDialog(page);
    const downloads = [];
    page.on('download', (d) => downloads.push(d));
    await dialog.getByRole('button', { name: 'Download files' }).click();
    await dialog.getByRole('progressbar', { name: 'Files downloaded' }).waitFor();
    await dialog.getByText(new RegExp(`^Downloading file \\d+ of ${files.length}: `)).first().waitFor();
    await dialog.getByText(`${files.length} files saved.`).waitFor({ timeout: 30_000 });
    await waitFor(() => downloads.length === files.length, { message: `${files.length} downloads` });
    const names = downloads.map((d) => d.suggestedFilename());
    assert.match(names[0], /^001-write_script-.+\.txt$/);
    assert.equal(new Set(names).size, names.length, 'every file has its own name');
    const first = await readFile(await downloads[0].path());
    assert.ok(first.length > 0, 'the first file has content');
  });
});

test('downloads can be canceled', async () => {
  await withPage(async (page) => {
    await finishedRun(page);
    await page.route(`${suite.sim.media}/**`, async (route) => { await sleep(400); await route.continue().catch(() => {}); });
    const { dialog } = await openDialog(page);
    await dialog.getByRole('button', { name: 'Download files' }).click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.getByText(/files saved \(canceled\)\.$/).waitFor();
  });
});

test('where the media host refuses cross-origin reads, the manifest and a list of links remain', async () => {
  // Not withPage: the browser logs each refused read as a console error.
  const p = await openPage(suite.browser, suite.sim);
  const { page } = p;
  try {
    const { body } = await finishedRun(page);
    const files = body.steps.flatMap((s) => s.outputs).filter((o) => o.url && o.type !== 'output');
    // The page's reads of the media host fail as a CORS refusal makes them
    // fail (fetch rejects with a TypeError). Playwright's fulfilled responses
    // skip Chromium's CORS check, so the refusal is simulated by failing the
    // page's fetches (its img/video loads stay allowed).
    await page.route(`${suite.sim.media}/**`, (route) =>
      route.request().resourceType() === 'fetch' ? route.abort('accessdenied') : route.continue());
    const { dialog } = await openDialog(page);
    let downloads = 0;
    page.on('download', () => { downloads += 1; });
    await dialog.getByRole('button', { name: 'Download files' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'does not let this page read its files' }).waitFor();
    const links = dialog.getByRole('list', { name: 'Files' }).getByRole('link');
    assert.equal(await links.count(), files.length);
    assert.deepEqual(await links.evaluateAll((as) => as.map((a) => a.href)), files.map((f) => f.url));
    assert.equal(downloads, 0);
    const [csv] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Save manifest (CSV)' }).click()]);
    assert.equal(parseCsv(await readDownload(csv)).length, 1 + body.steps.flatMap((s) => s.outputs).length, 'the manifest still saves');
    assert.deepEqual(p.pageErrors.map(String), [], 'the page threw');
    assert.deepEqual(p.unexpectedConsoleErrors().filter((t) => !/CORS policy|ERR_ACCESS_DENIED/.test(t)), []);
  } finally {
    await p.close();
  }
});

for (const width of [320, 1280]) {
  test(`the dialog reflows and is axe-clean at ${width} px, light and dark`, async () => {
    await withPage(async (page) => {
      await finishedRun(page);
      const { dialog } = await openDialog(page);
      if (width === 320) {
        const wide = await page.evaluate(() => ({ inner: innerWidth, doc: document.documentElement.scrollWidth, box: document.querySelector('dialog.download').getBoundingClientRect().right }));
        assert.ok(wide.doc <= wide.inner && wide.box <= wide.inner, `no sideways scroll: ${JSON.stringify(wide)}`);
      }
      await page.evaluate(await AXE_SOURCE);
      for (const colorScheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme });
        const violations = await page.evaluate(async (tags) => {
          const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
          return result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        }, TAGS);
        assert.deepEqual(violations, [], `${width} px ${colorScheme}`);
      }
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'hidden' });
    }, { viewport: { width, height: 800 } });
  });
}
