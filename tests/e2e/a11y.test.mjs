// Accessibility: axe-core (WCAG 2.1 A/AA and best practices) over every page
// of the app, in light and in dark mode, with 0 violations. A failure prints
// each violation with the elements it found and why.
//
// PAGES is a list: a new view adds one entry (a path or a simulator run, and
// optionally what to do before checking, e.g. open a dialog).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { ROOT, gotoRun, runBadge, setClock, uid, setupSuite } from './harness.mjs';

const suite = setupSuite({ speed: 1 });

const AXE_SOURCE = readFile(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
// Nothing is excluded (the scrollable text preview is focusable now).
const PENDING_ELSEWHERE = [];

/** Opens a run at `elapsedMs` of its scenario and waits for `status` in the header. */
const run = (scenario, elapsedMs, status) => async (page) => {
  const id = `${scenario}-${uid()}`;
  await setClock(suite.sim, id, elapsedMs);
  await gotoRun(page, id);
  await runBadge(page).filter({ hasText: status }).waitFor();
  return id;
};

/** Every page a person can reach, in the state to check. */
const PAGES = [
  {
    name: 'home',
    open: async (page) => {
      await page.goto('/');
      await page.getByRole('heading', { name: 'Watch a run' }).waitFor();
    },
  },
  { name: 'run page, running', open: run('run_happy', 14_000, /^running$/) },
  { name: 'run page, failed', open: run('run_failed', 120_000, /^failed$/) },
  { name: 'run page, finished', open: run('run_finished', 0, /^succeeded$/) },
  { name: 'run page, publish outputs', open: run('run_publish', 300_000, /^succeeded$/) },
  { name: 'run page, finished demo', open: run('run_demo', 120_000, /^succeeded$/) },
  {
    name: 'run page, media viewer open',
    open: async (page) => {
      await run('run_demo', 120_000, /^succeeded$/)(page);
      await page.getByRole('button', { name: 'View full size' }).click();
      await page.getByRole('dialog', { name: 'Output viewer' }).waitFor();
    },
  },
  {
    name: 'help overlay open',
    open: async (page) => {
      await run('run_demo', 120_000, /^succeeded$/)(page);
      await page.keyboard.press('?');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    },
  },
  {
    name: 'blueprint history, two runs picked',
    open: async (page) => {
      // Runs opened by earlier checks top the list: pick whatever shows first.
      await page.goto('/blueprints/bp_shorts');
      await page.locator('.history-row').nth(4).waitFor();
      await page.getByRole('checkbox', { name: /^Pick / }).nth(0).check();
      await page.getByRole('checkbox', { name: /^Pick / }).nth(1).check();
      await page.getByText('2 runs picked.').waitFor();
    },
  },
  {
    name: 'compare two runs',
    open: async (page) => {
      await page.goto('/compare/run_take_4/run_take_5');
      await page.getByRole('table').getByRole('rowheader', { name: 'Write script' }).waitFor();
      await page.getByRole('button', { name: 'Play both' }).waitFor();
    },
  },
];

/** Human-readable report of axe violations. */
function describe(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    - ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'})\n${nodes}`;
    })
    .join('\n');
}

for (const colorScheme of ['light', 'dark']) {
  for (const entry of PAGES) {
    test(`axe: ${entry.name} (${colorScheme})`, async () => {
      await suite.withPage(async (page) => {
        await page.emulateMedia({ colorScheme });
        await entry.open(page);
        // Injected through the DevTools protocol: no <script> tag, so the
        // page's own policies are untouched.
        await page.evaluate(await AXE_SOURCE);
        const violations = await page.evaluate(async ([tags, exclude]) => {
          const context = { include: [['html']], exclude: exclude.map((s) => [s]) };
          const result = await window.axe.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
          return result.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
          }));
        }, [TAGS, PENDING_ELSEWHERE]);
        const count = violations.reduce((n, v) => n + v.nodes.length, 0);
        assert.equal(
          violations.length,
          0,
          `${entry.name} (${colorScheme}): ${violations.length} axe rule(s) failed on ${count} element(s):\n${describe(violations)}`,
        );
      });
    });
  }
}
