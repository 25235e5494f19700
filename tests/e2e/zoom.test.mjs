// Timeline zoom (issue 20, item 2), driven as a person would: the buttons,
// the keys `+`/`=`, `-`, `0`, a `?view=` deep link, "Squeeze idle gaps" on
// a run with a 4-minute idle gap (the simulator's `idle_gap` scenario), a
// 320 px phone, and axe in light and dark at 320 and 1280 px with the zoom
// controls on screen.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { ROOT, gotoRun, setupSuite, uid, waitFor, stepRows } from './harness.mjs';

const suite = setupSuite({ speed: 1 });
const AXE_SOURCE = readFile(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** Opens a finished run with an idle gap; waits for its rows and the zoom buttons. */
async function openGapRun(page, query = '') {
  const id = `run_idle_gap-${uid()}`;
  await gotoRun(page, id, query);
  await waitFor(async () => (await stepRows(page).count()) === 3, { message: 'three rows' });
  await page.getByRole('button', { name: 'Zoom in' }).waitFor();
  return id;
}

/** Where step `name`'s bar is across its track: {left, width} as fractions. */
const bar = (page, name) =>
  page.locator('li.step-row', { hasText: name }).locator('.step-row__bar').evaluate((el) => {
    const t = el.parentElement.getBoundingClientRect();
    const b = el.getBoundingClientRect();
    return { left: (b.left - t.left) / t.width, width: b.width / t.width };
  });

/**
 * The ruler's tick labels on screen: each inside its track (nothing cut by
 * its right edge) and none overlapping the next (a phone's narrow track may
 * have room for none in a zoomed window). Returns what was measured.
 */
async function assertLabelsFit(page) {
  const m = await page.evaluate(() => {
    const t = document.querySelector('.step-ruler__track').getBoundingClientRect();
    const labels = [...document.querySelectorAll('.ruler__tick')].map((e) => {
      const r = e.getBoundingClientRect();
      return { text: e.textContent, left: r.left - t.left, right: r.right - t.left };
    });
    return { width: t.width, labels };
  });
  for (const l of m.labels) {
    assert.ok(l.left >= -0.5 && l.right <= m.width + 0.5, `label inside the track: ${JSON.stringify(m)}`);
  }
  m.labels.sort((a, b) => a.left - b.left);
  for (let i = 1; i < m.labels.length; i++) {
    assert.ok(m.labels[i].left >= m.labels[i - 1].right - 0.5, `labels apart: ${JSON.stringify(m)}`);
  }
  return m;
}

const param = (page, name) => new URL(page.url()).searchParams.get(name);
const close = (a, b, eps = 0.02) => Math.abs(a - b) <= eps;

test('buttons and keys zoom in, out and fit all; the URL keeps the window', async () => {
  await suite.withPage(async (page) => {
    await openGapRun(page);
    const zoomIn = page.getByRole('button', { name: 'Zoom in' });
    const fit = page.getByRole('button', { name: 'Fit all' });
    assert.equal(param(page, 'view'), null);
    assert.ok(await fit.isDisabled(), 'the whole run is shown already');
    const before = await bar(page, 'Render on GPU');
    await zoomIn.click();
    await waitFor(async () => param(page, 'view') !== null, { message: '?view= after Zoom in' });
    const after = await bar(page, 'Render on GPU');
    assert.ok(close(after.width, 2 * before.width, 0.01), `2x wider: ${before.width} -> ${after.width}`);
    // Zoom out around the same middle: the whole run again.
    await page.getByRole('button', { name: 'Zoom out' }).click();
    await waitFor(async () => param(page, 'view') === null, { message: 'no ?view= after Zoom out' });
    assert.ok(close((await bar(page, 'Render on GPU')).width, before.width, 0.005));
    // Keys: + and = zoom in, - out, 0 fits all (a focused button does not
    // keep them).
    await page.keyboard.press('+');
    await waitFor(async () => param(page, 'view') !== null, { message: '+ zooms in' });
    const once = param(page, 'view');
    await page.keyboard.press('=');
    await waitFor(async () => param(page, 'view') !== once, { message: '= zooms in again' });
    const [a, b] = param(page, 'view').split('-').map(Number);
    const [c, d] = once.split('-').map(Number);
    assert.ok(close((b - a) / (d - c), 0.5, 0.01), `= halves the window: ${once} -> ${a}-${b}`);
    const twice = param(page, 'view');
    await page.keyboard.press('-');
    await waitFor(async () => param(page, 'view') !== twice, { message: '- zooms back out' });
    const out = param(page, 'view');
    const [e, f] = out.split('-').map(Number);
    assert.ok(Math.abs((f - e) - (d - c)) <= 2, `- doubles the window again: ${once} vs ${out}`);
    await page.keyboard.press('0');
    await waitFor(async () => param(page, 'view') === null, { message: '0 fits all' });
    // Back undoes a zoom step (buttons and keys are history entries).
    await page.goBack();
    await waitFor(async () => param(page, 'view') === out, { message: 'Back restores the window' });
  });
});

test('a ?view= deep link restores the window; panning stops at the run start', async () => {
  await suite.withPage(async (page) => {
    await openGapRun(page, '?view=0-6000');
    // "Write script" ran 0–3 s: half of the 6 s window.
    await waitFor(async () => close((await bar(page, 'Write script')).width, 0.5), { message: 'script bar is half the track' });
    assert.ok(close((await bar(page, 'Write script')).left, 0));
    assert.match(await page.locator('.zoom__range').textContent(), /^0\.0s–6\.0s of 4:1\d/);
    assert.ok(await page.getByRole('button', { name: 'Show earlier' }).isDisabled());
    await page.getByRole('button', { name: 'Show later' }).click();
    await waitFor(async () => param(page, 'view') === '3000-9000', { message: 'later by half a window' });
    await waitFor(async () => close((await bar(page, 'Write script')).left, -0.5), { message: 'bar moved left' });
    // A window the run does not have is clamped, never an error.
    await page.goto(page.url().replace(/view=[^&]*/, 'view=999999999-9999999999'));
    await page.getByRole('button', { name: 'Zoom in' }).waitFor();
    await waitFor(async () => (await bar(page, 'Publish')).left < 1, { message: 'clamped to the run end' });
  });
});

test('squeezing idle gaps draws the 4-minute gap as a marked break', async () => {
  await suite.withPage(async (page) => {
    await openGapRun(page);
    const real = await bar(page, 'Render on GPU');
    assert.ok(real.left > 0.9, `real time: the GPU step starts late (${real.left})`);
    assert.equal(await page.locator('.ruler__break').count(), 0);
    const squeeze = page.getByRole('checkbox', { name: 'Squeeze idle gaps' });
    await squeeze.check();
    await waitFor(async () => param(page, 'gaps') === 'squeeze', { message: '?gaps=squeeze' });
    await page.locator('.ruler__break').first().waitFor();
    assert.equal(await page.locator('.ruler__break').count(), 1);
    assert.match(await page.locator('.ruler__break').getAttribute('title'), /^Idle 4 min 0\d s$/);
    assert.match(await page.locator('.zoom__range').textContent(), /1 idle gap squeezed/);
    const squeezed = await bar(page, 'Render on GPU');
    assert.ok(squeezed.left < 0.5 && squeezed.width > 5 * real.width, `squeezed: ${JSON.stringify(squeezed)}`);
    // The break sits between the script's bar and the GPU step's.
    const brk = await page.locator('.ruler__break').evaluate((el) => {
      const t = el.parentElement.getBoundingClientRect();
      const b = el.getBoundingClientRect();
      return (b.left - t.left) / t.width;
    });
    const script = await bar(page, 'Write script');
    assert.ok(close(brk, script.left + script.width, 0.01), `break at the script's end: ${brk}`);
    // A reload keeps it; unchecking shows real time again.
    await page.reload();
    await page.getByRole('checkbox', { name: 'Squeeze idle gaps' }).waitFor();
    assert.ok(await page.getByRole('checkbox', { name: 'Squeeze idle gaps' }).isChecked());
    await page.getByRole('checkbox', { name: 'Squeeze idle gaps' }).uncheck();
    await waitFor(async () => param(page, 'gaps') === null, { message: 'no ?gaps=' });
    await waitFor(async () => (await bar(page, 'Render on GPU')).left > 0.9, { message: 'real time again' });
  });
});

test('320 px: controls and ruler fit, zoomed bars are clipped, no sideways scroll', async () => {
  await suite.withPage(async (page) => {
    await openGapRun(page, '?gaps=squeeze');
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await waitFor(async () => param(page, 'view') !== null, { message: 'zoomed' });
    // The ruler (a phone's narrow track may have room for no label here).
    await page.locator('.step-ruler__track .ruler').waitFor({ state: 'attached' });
    const widths = await page.evaluate(() => ({
      inner: window.innerWidth,
      doc: document.documentElement.scrollWidth,
      body: document.body.scrollWidth,
      controls: [...document.querySelectorAll('.zoom > *')].map((e) => e.getBoundingClientRect().right),
      tracks: [...document.querySelectorAll('.step-row__track, .step-ruler__track')].map((t) => getComputedStyle(t).overflowX),
    }));
    assert.ok(widths.doc <= widths.inner && widths.body <= widths.inner, `no sideways scroll: ${JSON.stringify(widths)}`);
    assert.ok(widths.controls.every((r) => r <= widths.inner), `controls on screen: ${widths.controls}`);
    assert.ok(widths.tracks.every((o) => o === 'hidden'), `bars clipped in their tracks: ${widths.tracks}`);
    // Touch targets of at least 24 px.
    for (const b of await page.locator('.zoom button').all()) {
      const box = await b.boundingBox();
      assert.ok(box.width >= 24 && box.height >= 24, `target ${JSON.stringify(box)}`);
    }
    // The ruler's track lies over the rows' tracks.
    const [ruler, track] = await page.evaluate(() =>
      ['.step-ruler__track', 'li.step-row .step-row__track'].map((s) => {
        const r = document.querySelector(s).getBoundingClientRect();
        return [Math.round(r.left), Math.round(r.right)];
      }));
    assert.deepEqual(ruler, track);
    await assertLabelsFit(page);
  }, { viewport: { width: 320, height: 640 } });
});

for (const width of [320, 1280]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`axe: zoomed and squeezed timeline at ${width} px (${colorScheme})`, async () => {
      await suite.withPage(async (page) => {
        await page.emulateMedia({ colorScheme });
        await openGapRun(page, '?gaps=squeeze&view=1000-250000');
        await page.locator('.ruler__break').first().waitFor();
        const [ruler, track] = await page.evaluate(() =>
          ['.step-ruler__track', 'li.step-row .step-row__track'].map((s) => {
            const r = document.querySelector(s).getBoundingClientRect();
            return [Math.round(r.left), Math.round(r.right)];
          }));
        assert.deepEqual(ruler, track, 'the ruler is over the bars');
        const { labels } = await assertLabelsFit(page);
        if (width === 1280) assert.ok(labels.length >= 3, `a wide ruler has room for labels: ${labels.length}`);
        await page.evaluate(await AXE_SOURCE);
        const violations = await page.evaluate(async (tags) => {
          const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
          return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        }, TAGS);
        assert.deepEqual(violations, []);
      }, { viewport: { width, height: width === 320 ? 640 : 900 } });
    });
  }
}
