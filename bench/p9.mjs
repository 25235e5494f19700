// P9: the step search on 20,000 steps (issue 20): the cost of each key press.
// Opens run_large_20k mid-run on a frozen simulator, pauses live updates (a
// poll of 20,000 steps is its own cost, measured by P3/P4, not a key's),
// focuses the search with `/` and types a query one key at a time, pauses
// (the search writes `?q=` once typing pauses: that task is the last key's),
// then clears it with Esc. Per key: the input event's handler time and its
// key-to-next-paint duration (Event Timing API), the key-to-frame time seen
// by the page (input event → next animation frame → task after it), the
// longest long task that began while that key was being handled, and the
// number of matches shown. Long tasks come from a PerformanceObserver
// (`longtask`) running for the whole typing.
const QUERY = 'task 123';
const KEY_GAP_MS = 150; // a fast typist: ~7 keys/s
const URL_SETTLE_MS = 600; // after the last key, before Esc

export async function p9({ startSim, newPage, setClock, waitMark, addRow, notes, log, uid, FROZEN, DIST }) {
  const sim = await startSim({ appDir: DIST, speed: FROZEN });
  const { context, page } = await newPage();
  try {
    const runId = `run_large_20k-p9${uid()}`;
    await setClock(sim, runId, 30000); // mid-run: a mix of statuses
    await page.goto(`${sim.api}/runs/${runId}`);
    const fd = await waitMark(page, 'runview:first-data', 60000);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByText('Paused').first().waitFor();
    await page.waitForTimeout(1000); // let the first paint's follow-up work end
    await page.evaluate(() => {
      const P = (window.__p9 = { longtasks: [], events: [], keys: [] });
      new PerformanceObserver((l) => { for (const e of l.getEntries()) P.longtasks.push({ start: e.startTime, duration: e.duration }); })
        .observe({ type: 'longtask' });
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) {
          if (e.name === 'input' || e.name === 'keydown') P.events.push({ name: e.name, start: e.startTime, duration: e.duration, processing: e.processingEnd - e.processingStart });
        }
      }).observe({ type: 'event', durationThreshold: 16, buffered: false });
      // Key → the frame that shows it: input event, next animation frame, then the task after it.
      document.addEventListener('keydown', (ev) => {
        const k = { key: ev.key, t0: performance.now(), frame: null };
        P.keys.push(k);
        requestAnimationFrame(() => setTimeout(() => { k.frame = performance.now() - k.t0; }, 0));
      }, true);
    });
    await page.keyboard.press('/');
    const box = page.getByRole('searchbox', { name: 'Search steps' });
    await box.waitFor();
    const focused = await box.evaluate((el) => el === document.activeElement);
    if (!focused) throw new Error('/ did not focus the step search');
    const counts = [];
    const count = () => page.locator('.timeline__matches').textContent();
    for (const ch of QUERY) {
      await page.keyboard.press(ch === ' ' ? 'Space' : ch);
      await page.waitForTimeout(KEY_GAP_MS);
      counts.push(await count());
    }
    // A pause before Esc: the search writes `?q=` once typing pauses, and
    // that task counts too (as the last key's).
    await page.waitForTimeout(URL_SETTLE_MS);
    const url = new URL(page.url()).searchParams.get('q');
    await page.keyboard.press('Escape');
    await page.waitForTimeout(KEY_GAP_MS * 2);
    counts.push((await count()) || '(cleared)');
    await page.waitForTimeout(300);
    const r = await page.evaluate(() => {
      const P = window.__p9;
      const keys = P.keys.filter((k) => k.key !== '/');
      return keys.map((k, i) => {
        // Up to the next key's keydown: a task that began within 1 ms
        // before it is that key's own (its keydown listener runs in it).
        const end = i + 1 < keys.length ? keys[i + 1].t0 - 1 : Infinity;
        const B = window.__bench;
        // Each long task attributed as P4 does: a poll response ended ≤30 ms before/inside it, else a 1 s clock tick ran in it, else the key.
        const cause = (t) => (B.ends.some((x) => x >= t.start - 30 && x <= t.start + t.duration) ? 'poll'
          : B.tickAt.some((x) => x >= t.start - 1 && x <= t.start + t.duration) ? 'tick' : 'key');
        const lt = P.longtasks.filter((t) => t.start >= k.t0 - 1 && t.start < end);
        const lts = lt.map((t) => t.duration);
        const causes = lt.map(cause);
        const evs = P.events.filter((e) => e.start >= k.t0 - 20 && e.start < end);
        return {
          key: k.key,
          frame: k.frame,
          longtasks: lts,
          causes,
          maxLong: lts.length ? Math.max(...lts) : 0,
          processing: evs.length ? Math.max(...evs.map((e) => e.processing)) : null,
          paint: evs.length ? Math.max(...evs.map((e) => e.duration)) : null,
        };
      });
    });
    const rows = await page.locator('li.step-row').count();
    const all = r.flatMap((k) => k.longtasks);
    const polls = await page.evaluate(() => window.__bench.done);
    const maxLong = all.length ? Math.max(...all) : 0;
    const maxFrame = Math.max(...r.map((k) => k.frame ?? Infinity));
    const f1 = (x) => (x == null ? '<16' : Number.isFinite(x) ? x.toFixed(1) : String(x));
    addRow('P9', `20,000 steps: search, typing "${QUERY}" + Esc (${r.length} keys)`,
      `long tasks ${all.length} (max ${f1(maxLong)} ms); key → next frame max ${f1(maxFrame)} ms`,
      'no task > 50 ms per key', all.length === 0);
    notes.P9 = `run_large_20k (20,000 steps in 40 waves) at 30 s on a frozen sim, first data ${f1(fd)} ms after navigation, live updates paused (Pause) before typing; 1280×800. ` +
      `\`/\` focused the search, then "${QUERY}" typed one key every ${KEY_GAP_MS} ms (Playwright keyboard.press), a ${URL_SETTLE_MS} ms pause (\`?q=\` then ${JSON.stringify(url)}; its write counts as the last key's) and Esc. Per key: key, matches shown, key → next frame (page clock: keydown → rAF → next task), ` +
      `input handler time and key → next paint (Event Timing, only events ≥ 16 ms are reported: "<16" means under), long tasks: ` +
      r.map((k, i) => `${k.key === ' ' ? '␣' : k.key} "${counts[i] ?? ''}" ${f1(k.frame)}/${f1(k.processing)}/${f1(k.paint)} ms${k.longtasks.length ? ` LT ${k.longtasks.map((d, j) => `${f1(d)} (${k.causes[j]})`).join('+')}` : ''}`).join('; ') +
      `. ${rows} row elements in the list at the end.`;
    log('P9', notes.P9);
  } finally {
    await context.close();
    await sim.stop();
  }
}
