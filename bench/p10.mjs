// P10: replay on 5,000 steps (issue 20, item 3): opening it, playing at 60×
// and dragging the scrubber. Opens run_large_5k finished (simulator at real
// speed, its clock past the end: no polls), waits for the page to settle,
// then per load:
// - open: a click on "Replay" → the scrubber shown and the first derived
//   frame painted (the app's `runview:replay-shown` mark, set in the frame
//   that paints the replayed run; the first bench frame after it), the
//   replay chunk's fetch included (the first open of the page);
// - playback: 60× from the start for 5 s (the run is ~52 s long, so a play
//   reaches the end in under a second: Play is pressed again each time it
//   stops, which restarts from the start): long tasks (PerformanceObserver
//   `longtask`), frames (requestAnimationFrame callbacks) and dropped frames
//   (rAF intervals > 50 ms), and how far the moment moved;
// - drag: the scrubber dragged from the start to the end and back, one
//   `input` event per frame for 2 s each way (as a drag sends them), then
//   `change`: the same figures.
// LOADS fresh pages (a new browser context each); min and median of each
// figure over them.
const LOADS = 3;
const PLAY_MS = 5000;
const DRAG_MS = 2000;
const SLOW_FRAME_MS = 50;

// In the page: runs `drive` (an async function of `until`) while recording
// long tasks and animation frames until `ms` have passed.
const RECORD = `async (ms, drive) => {
  const lt = [];
  const po = new PerformanceObserver((l) => { for (const e of l.getEntries()) lt.push(e.duration); });
  po.observe({ type: 'longtask' });
  const frames = [];
  const t0 = performance.now();
  let last = t0;
  await new Promise((done) => {
    const tick = (now) => {
      frames.push(now - last);
      last = now;
      if (now - t0 < ms) requestAnimationFrame(tick); else done();
    };
    requestAnimationFrame(tick);
    drive(t0 + ms);
  });
  await new Promise((r) => setTimeout(r, 100));
  po.takeRecords().forEach((e) => lt.push(e.duration));
  po.disconnect();
  return { longtasks: lt, frames: frames.length, dropped: frames.filter((f) => f > ${SLOW_FRAME_MS}).length, maxFrame: Math.max(0, ...frames), ms: performance.now() - t0 };
}`;

export async function p10({ startSim, newPage, setClock, waitMark, addRow, notes, log, uid, DIST }) {
  const sim = await startSim({ appDir: DIST, speed: 1 });
  const loads = [];
  try {
    for (let i = 0; i < LOADS; i++) {
      const { context, page } = await newPage();
      try {
        const runId = `run_large_5k-p10${i}${uid()}`;
        await setClock(sim, runId, 600000); // long finished: a ~52 s run
        await page.goto(`${sim.api}/runs/${runId}`);
        await waitMark(page, 'runview:first-data', 60000);
        await page.getByText('Run finished; live updates stopped').first().waitFor({ timeout: 30000 });
        await page.locator('.filmstrip__step').first().waitFor({ timeout: 30000 }); // the gallery chunk came
        await page.waitForTimeout(1000);

        // Open: click → the mark of the first replayed frame → the next frame.
        const open = await page.evaluate(async () => {
          performance.clearMarks('runview:replay-shown');
          const btn = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Replay');
          const t0 = performance.now();
          btn.click();
          return new Promise((done, fail) => {
            const check = () => {
              const m = performance.getEntriesByName('runview:replay-shown', 'mark')[0];
              if (m && document.querySelector('.replay__range')) done({ painted: performance.now() - t0, mark: m.startTime - t0 });
              else if (performance.now() - t0 > 20000) fail(new Error('replay did not open in 20 s'));
              else requestAnimationFrame(check);
            };
            requestAnimationFrame(check);
          });
        });
        await page.waitForTimeout(500);

        // Playback at 60× from the start, pressed again whenever it stops.
        await page.getByRole('combobox', { name: 'Speed' }).selectOption('60');
        const play = await page.evaluate(`(${RECORD})(${PLAY_MS}, async (until) => {
          const range = document.querySelector('.replay__range');
          const btn = document.querySelector('.replay__play');
          let plays = 0, moved = 0, last = Number(range.value);
          const step = () => {
            const v = Number(range.value);
            if (v > last) moved += v - last;
            last = v;
            if (performance.now() >= until) {
              if (btn.getAttribute('aria-pressed') === 'true') btn.click();
              window.__p10 = { plays, moved, length: Number(range.max) };
              return;
            }
            if (btn.getAttribute('aria-pressed') !== 'true') { plays++; btn.click(); }
            requestAnimationFrame(step);
          };
          range.value = '0';
          range.dispatchEvent(new Event('input', { bubbles: true }));
          range.dispatchEvent(new Event('change', { bubbles: true }));
          requestAnimationFrame(step);
        })`);
        Object.assign(play, await page.evaluate(() => window.__p10));
        await page.waitForTimeout(500);

        // A drag: start → end → start, one input per frame.
        const drag = await page.evaluate(`(${RECORD})(${2 * DRAG_MS}, async (until) => {
          const range = document.querySelector('.replay__range');
          const len = Number(range.max);
          const t0 = until - ${2 * DRAG_MS};
          let inputs = 0;
          const step = (now) => {
            const f = Math.min(1, (now - t0) / ${DRAG_MS});
            const pos = f < 1 ? f : Math.max(0, 2 - (now - t0) / ${DRAG_MS});
            range.value = String(Math.round(len * pos));
            range.dispatchEvent(new Event('input', { bubbles: true }));
            inputs++;
            if (now < until) requestAnimationFrame(step);
            else { range.dispatchEvent(new Event('change', { bubbles: true })); window.__p10 = { inputs }; }
          };
          requestAnimationFrame(step);
        })`);
        Object.assign(drag, await page.evaluate(() => window.__p10));
        const rows = await page.locator('li.step-row').count();
        loads.push({ open, play, drag, rows });
        log('P10', `load ${i}: ${JSON.stringify({ open, play: { ...play, longtasks: play.longtasks.map(Math.round) }, drag: { ...drag, longtasks: drag.longtasks.map(Math.round) }, rows })}`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await sim.stop();
  }
  const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
  const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : String(x));
  const mm = (xs, f = f0) => `${f(Math.min(...xs))}/${f(med(xs))}`;
  const maxLong = (r) => Math.max(0, ...r.longtasks);
  const part = (k) => {
    const rs = loads.map((l) => l[k]);
    return `long tasks ${mm(rs.map((r) => r.longtasks.length))} (max ${mm(rs.map(maxLong))} ms), frames ${mm(rs.map((r) => r.frames))}, dropped ${mm(rs.map((r) => r.dropped))}`;
  };
  const opens = loads.map((l) => l.open.painted);
  const worst = Math.max(...loads.map((l) => maxLong(l.play)));
  addRow('P10', `5,000 steps: replay open; 60× playback ${PLAY_MS / 1000} s; scrub drag (${LOADS} loads, min/median)`,
    `open ${mm(opens)} ms; play: ${part('play')}; drag: ${part('drag')}`,
    'no long task > 50 ms during 60× playback; open ≤ 200 ms', worst <= 50 && med(opens) <= 200);
  notes.P10 = `run_large_5k finished (sim at real speed, clock at 600 s: a ~52 s run, no polls), 1280×800, a fresh browser context per load, 1 s after the gallery came. ` +
    `Open: click on Replay → the first animation frame after the app's \`runview:replay-shown\` mark (set before the paint of the first replayed frame), the replay chunk fetched and compiled on that click: ${opens.map(f0).join(', ')} ms (mark at ${loads.map((l) => f0(l.open.mark)).join(', ')} ms). ` +
    `Playback: speed 60×, from 0, Play pressed again whenever it stopped at the end, for ${PLAY_MS / 1000} s: per load long tasks ${loads.map((l) => l.play.longtasks.map(f0).join('+') || '0').join(' | ')} ms; frames ${loads.map((l) => l.play.frames).join(', ')} (dropped, rAF interval > ${SLOW_FRAME_MS} ms: ${loads.map((l) => l.play.dropped).join(', ')}; longest ${loads.map((l) => f0(l.play.maxFrame)).join(', ')} ms); plays ${loads.map((l) => l.play.plays).join(', ')}, run time covered ${loads.map((l) => f0(l.play.moved / 1000)).join(', ')} s of a ${f0(loads[0].play.length / 1000)} s span. ` +
    `Drag: the scrubber from the start to the end and back in ${(2 * DRAG_MS) / 1000} s, one input event per frame (${loads.map((l) => l.drag.inputs).join(', ')} inputs), then change: long tasks ${loads.map((l) => l.drag.longtasks.map(f0).join('+') || '0').join(' | ')} ms; frames ${loads.map((l) => l.drag.frames).join(', ')} (dropped ${loads.map((l) => l.drag.dropped).join(', ')}; longest ${loads.map((l) => f0(l.drag.maxFrame)).join(', ')} ms). ` +
    `${loads[0].rows} row elements in the list.`;
  log('P10', notes.P10);
}
