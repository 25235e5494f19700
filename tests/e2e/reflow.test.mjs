// A phone: every page at 320x640 and 375x667 CSS px (issue 18).
//
// - Reflow (WCAG 2.1 SC 1.4.10): no page-level horizontal scrolling
//   (document and body scrollWidth <= innerWidth); only boxes that are
//   themselves 2-D (the compare table, the filmstrip) scroll inside.
// - Touch targets: every visible control at least 24x24 px (WCAG 2.2
//   SC 2.5.8); on a phone every button 44 px high.
// - Step rows: the name has its own line, as wide as the row, never cut.
// - axe-core (WCAG 2.1 A/AA, best practices) at both widths.
// - The top bar's menu (Shortcuts, Settings) and the viewer's swipe.
// - docs/screenshot-phone.png (RUNVIEW_UPDATE_SCREENSHOT=1; else tests/e2e/out/).
//
// PAGES is a list: a new view adds one entry.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdir, readFile } from 'node:fs/promises';
import { ROOT, setupSuite, openPage, setClock, gotoRun, runBadge } from './harness.mjs';
import { openRun, pages } from './pages.mjs';

const suite = setupSuite({ speed: 1 });

const PHONES = [{ width: 320, height: 640 }, { width: 375, height: 667 }];
const AXE_SOURCE = readFile(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

const PAGES = pages(suite);

/** Page-level horizontal overflow: `{ inner, doc, body, widest }` (widest: the element reaching furthest right). */
const overflow = (page) => page.evaluate(() => {
  const inner = window.innerWidth;
  // The element reaching furthest right, outside boxes that scroll on their own.
  let widest = null;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= inner + 0.5) continue;
    let p = el.parentElement;
    let clipped = false;
    for (; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox !== 'visible') { clipped = true; break; }
    }
    if (!clipped && (!widest || r.right > widest.right)) {
      widest = { right: Math.round(r.right), what: `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}` };
    }
  }
  return { inner, doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, widest };
});

/** Visible controls smaller than `min` px (either side); `buttons44`: buttons under 44 px high. */
const smallTargets = (page) => page.evaluate(() => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('.visually-hidden, [hidden], [inert]');
  };
  const name = (el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${(el.getAttribute('aria-label') || el.textContent || el.name || '').trim().slice(0, 30)}"`;
  const controls = [...document.querySelectorAll('button, select, input:not([type=hidden]), a.button, .step-row__link, [role=button]')]
    .filter(visible);
  const under = (min) => controls.filter((el) => {
    const r = el.getBoundingClientRect();
    return r.width < min - 0.5 || r.height < min - 0.5;
  }).map(name);
  const buttons44 = controls.filter((el) => el.matches('.button, button.filmstrip__tile') && el.getBoundingClientRect().height < 43.5).map(name);
  return { under24: under(24), buttons44, count: controls.length };
});

/**
 * Step rows on screen whose name is cut or squeezed: its line narrower than
 * half the row, text overflowing sideways, or the name clamped away at the
 * bottom (only what follows it may be cut off by the two-line clamp).
 */
const cutNames = (page) => page.evaluate(() => {
  const rows = [...document.querySelectorAll('li.step-row')].filter((r) => {
    const b = r.getBoundingClientRect();
    return b.bottom > 0 && b.top < window.innerHeight && r.textContent.trim();
  });
  const bad = rows.filter((row) => {
    const main = row.querySelector('.step-row__main');
    const name = row.querySelector('.step-row__name');
    const m = main.getBoundingClientRect();
    const n = name.getBoundingClientRect();
    const last = [...name.getClientRects()].pop();
    return m.width < 0.5 * row.clientWidth || main.scrollWidth > main.clientWidth + 1 || name.scrollWidth > name.clientWidth + 1 || n.right > m.right + 1
      || !last || last.bottom > m.bottom + 1;
  }).map((row) => row.querySelector('.step-row__name').textContent);
  return { rows: rows.length, bad };
});

async function axe(page) {
  await page.evaluate(await AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, TAGS);
}

for (const viewport of PHONES) {
  for (const entry of PAGES) {
    test(`${viewport.width}px: ${entry.name} reflows, has big enough targets and passes axe`, async () => {
      await suite.withPage(async (page) => {
        await entry.open(page);
        const o = await overflow(page);
        assert.ok(o.doc <= o.inner && o.body <= o.inner,
          `${entry.name} at ${viewport.width}px scrolls sideways: document ${o.doc}, body ${o.body} > ${o.inner} (widest: ${JSON.stringify(o.widest)})`);
        assert.equal(o.widest, null, `an element reaches past the right edge: ${JSON.stringify(o.widest)}`);
        const t = await smallTargets(page);
        assert.ok(t.count > 0, 'found controls to measure');
        assert.deepEqual(t.under24, [], 'controls under 24x24 px');
        assert.deepEqual(t.buttons44, [], 'buttons under 44 px high on a phone');
        if (entry.rows) {
          // The timeline is below the hero on a phone: scroll its rows into view.
          await page.locator('.timeline__rows').scrollIntoViewIfNeeded();
          await page.waitForTimeout(300);
          const c = await cutNames(page);
          assert.ok(c.rows > 0, 'step rows on screen');
          assert.deepEqual(c.bad, [], 'step names cut or squeezed');
        }
        assert.deepEqual(await axe(page), [], `axe at ${viewport.width}px`);
      }, { viewport, key: entry.key });
    });
  }
}

test('the top bar menu: a disclosure button on a phone, Esc closes it and focus returns', async () => {
  await suite.withPage(async (page) => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Watch a run' }).waitFor();
    const menu = page.getByRole('button', { name: 'Menu' });
    const settings = page.getByRole('button', { name: 'Settings' });
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    assert.equal(await settings.isVisible(), false, 'Settings folded away');
    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    assert.ok(await settings.isVisible());
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Shortcuts', 'Tab goes into the menu');
    await page.keyboard.press('Escape');
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    assert.equal(await settings.isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-controls')), 'topbar-items', 'focus back on Menu');
    // A tap elsewhere closes it; a pick closes it and does what it says.
    await menu.click();
    await page.mouse.click(20, 400);
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    await menu.click();
    await settings.click();
    await page.getByRole('dialog', { name: 'Settings' }).waitFor();
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  }, { viewport: PHONES[0] });
  // On a desk the buttons sit in the bar and there is no menu button.
  await suite.withPage(async (page) => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Watch a run' }).waitFor();
    assert.ok(await page.getByRole('button', { name: 'Settings' }).isVisible());
    assert.equal(await page.getByRole('button', { name: 'Menu' }).isVisible(), false);
  });
});

test('a swipe in the viewer moves between outputs; a tap or a mouse drag does not', async () => {
  await suite.withPage(async (page) => {
    await openRun(suite, page, 'run_demo', 120_000, /^succeeded$/);
    await page.getByRole('button', { name: 'View full size' }).click();
    const dialog = page.getByRole('dialog', { name: 'Output viewer' });
    const title = dialog.locator('.lightbox__title');
    const body = dialog.locator('.lightbox__body');
    const first = await title.textContent();
    const gesture = async (pointerType, dx) => {
      await body.dispatchEvent('pointerdown', { pointerType, isPrimary: true, clientX: 250, clientY: 300 });
      await body.dispatchEvent('pointerup', { pointerType, isPrimary: true, clientX: 250 + dx, clientY: 310 });
    };
    await gesture('touch', 5);
    await gesture('mouse', -150);
    assert.equal(await title.textContent(), first, 'a tap and a mouse drag leave the viewer where it was');
    await gesture('touch', -150);
    const second = await title.textContent();
    assert.notEqual(second, first, 'a swipe to the left shows the next output');
    await gesture('touch', 150);
    assert.equal(await title.textContent(), first, 'a swipe to the right goes back');
  }, { viewport: PHONES[1] });
});

// Writes tests/e2e/out/screenshot-phone.png on every run; RUNVIEW_UPDATE_SCREENSHOT=1
// also refreshes the README's committed docs/screenshot-phone.png.
test('screenshot of a finished demo run on a phone', async () => {
  const p = await openPage(suite.browser, suite.sim, { viewport: { width: 375, height: 812 } });
  try {
    const page = p.page;
    // The id the desktop screenshot shows (the plain scenario name).
    await setClock(suite.sim, 'run_demo', 120_000);
    await gotoRun(page, 'run_demo');
    await runBadge(page).filter({ hasText: /^succeeded$/ }).waitFor();
    await page.getByText('Run finished; live updates stopped').waitFor();
    await page.waitForLoadState('networkidle').catch(() => {});
    const out = process.env.RUNVIEW_UPDATE_SCREENSHOT === '1' ? 'docs' : 'tests/e2e/out';
    await mkdir(path.join(ROOT, out), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, out, 'screenshot-phone.png') });
    p.check();
  } finally {
    await p.close();
  }
});
