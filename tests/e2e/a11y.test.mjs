// Accessibility: axe-core (WCAG 2.1 A/AA and best practices) over every page
// of the app, in light and in dark mode, with 0 violations. A failure prints
// each violation with the elements it found and why.
//
// The pages are tests/e2e/pages.mjs's list (shared with the phone check,
// reflow.test.mjs): a new view adds one entry there.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { ROOT, setupSuite } from './harness.mjs';
import { pages } from './pages.mjs';

const suite = setupSuite({ speed: 1 });

const AXE_SOURCE = readFile(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
// Nothing is excluded (the scrollable text preview is focusable now).
const PENDING_ELSEWHERE = [];

/** Every page a person can reach (tests/e2e/pages.mjs). */
const PAGES = pages(suite);

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
      }, { key: entry.key });
    });
  }
}
