// Every page a person can reach, in the state a check looks at: the list the
// accessibility check (a11y.test.mjs, on a desk, light and dark) and the
// phone check (reflow.test.mjs, 320 and 375 px) both walk. A new view adds
// one entry: a name and how to open it (`key: null`: no API key stored;
// `rows: true`: a run page whose step rows are on screen).

import { gotoRun, runBadge, setClock, uid, errorBanner, waitFor } from './harness.mjs';

/** Clicks one of the top bar's Shortcuts or Settings, through its menu on a phone. */
export async function topbarItem(page, name) {
  const menu = page.getByRole('button', { name: 'Menu' });
  const item = page.getByRole('banner').getByRole('button', { name, exact: true });
  // The top bar may not be drawn yet: wait until one of the two shows.
  await waitFor(async () => (await menu.isVisible()) || (await item.isVisible()), {
    timeout: 30_000, message: `the top bar's Menu or ${name}`,
  });
  if (await menu.isVisible()) await menu.click();
  await item.click();
}

/** Opens run `scenario` (a new instance) at `elapsedMs` and waits for `status` in its header; resolves with its id. */
export async function openRun(suite, page, scenario, elapsedMs, status) {
  const id = `${scenario}-${uid()}`;
  await setClock(suite.sim, id, elapsedMs);
  await gotoRun(page, id);
  await runBadge(page).filter({ hasText: status }).waitFor();
  return id;
}

/** The pages, for a suite from `setupSuite` (its simulator runs the scenarios). */
export function pages(suite) {
  const run = (scenario, elapsedMs, status) => (page) => openRun(suite, page, scenario, elapsedMs, status);
  return [
    {
      name: 'home',
      open: async (page) => {
        await page.goto('/');
        await page.getByRole('heading', { name: 'Watch a run' }).waitFor();
      },
    },
    // Queued for the first 0.5 s only: the page is checked as it first shows.
    { name: 'run, just started (queued)', open: run('run_happy', 0, /^(queued|running)$/) },
    { name: 'run, running', open: run('run_demo', 14_000, /^running$/), rows: true },
    { name: 'run, failed', open: run('run_failed', 120_000, /^failed$/), rows: true },
    { name: 'run, finished', open: run('run_demo', 120_000, /^succeeded$/), rows: true },
    { name: 'run, publish', open: run('run_publish', 300_000, /^succeeded$/) },
    { name: 'run, 5,000 steps', open: run('run_large_5k', 30_000, /^running$/), rows: true },
    { name: 'run, unknown status', open: run('run_unknown_status', 120_000, /paused_by_operator/) },
    {
      name: 'run not found',
      open: async (page) => {
        await page.goto(`/runs/nope_${uid()}`);
        await page.getByRole('heading', { name: 'Run not found' }).waitFor();
      },
    },
    {
      name: 'error banner over a run',
      open: async (page) => {
        // A 502 with an HTML body on requests 2-4: the banner over the last good data.
        await gotoRun(page, `run_fault_502-${uid()}`);
        await errorBanner(page).waitFor({ timeout: 15_000 });
      },
    },
    {
      name: 'no key',
      key: null,
      open: async (page) => {
        await page.goto(`/runs/run_demo-${uid()}`);
        await page.getByRole('button', { name: 'Open settings' }).waitFor();
      },
    },
    {
      name: 'media viewer',
      open: async (page) => {
        await run('run_demo', 120_000, /^succeeded$/)(page);
        await page.getByRole('button', { name: 'View full size' }).click();
        await page.getByRole('dialog', { name: 'Output viewer' }).waitFor();
      },
    },
    {
      name: 'settings',
      open: async (page) => {
        await page.goto('/');
        await topbarItem(page, 'Settings');
        await page.getByRole('dialog', { name: 'Settings' }).waitFor();
      },
    },
    {
      name: 'shortcut overlay',
      open: async (page) => {
        await run('run_demo', 120_000, /^succeeded$/)(page);
        await topbarItem(page, 'Shortcuts');
        await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
      },
    },
    {
      name: 'blueprint history, two runs picked',
      open: async (page) => {
        await page.goto('/blueprints/bp_shorts');
        // Runs opened by earlier checks top the list: pick whatever shows first.
        await page.locator('.history-row').nth(4).waitFor();
        await page.getByRole('checkbox', { name: /^Pick / }).nth(0).check();
        await page.getByRole('checkbox', { name: /^Pick / }).nth(1).check();
        await page.getByText('2 runs picked.').waitFor();
      },
    },
    {
      name: 'compare',
      open: async (page) => {
        await page.goto('/compare/run_take_4/run_take_5');
        await page.getByRole('table').getByRole('rowheader', { name: 'Write script' }).waitFor();
        await page.getByRole('button', { name: 'Play both' }).waitFor();
      },
    },
  ];
}
