// Plain-JS baseline for the runview benchmark (P2, P3): fetches the same run
// with the same key and renders header, progress bar, step rows (windowed
// above 200 steps, like the app) and the final outputs with direct DOM calls.
// Later polls are applied the way a careful hand-written dashboard would: an
// identical body is skipped, and when the step list keeps its shape only the
// rows of changed steps are rebuilt (in place). A 1 s clock refreshes the
// running durations. `?paused` stops automatic polling ("Refresh now" polls).
// Writes the same User Timing marks as the app.
const KEY = sessionStorage.getItem('runview.apiKey') || '';
const runId = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() || '');
const ROW_H = 48;
const app = document.getElementById('app');

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  if (attrs) for (const k in attrs) {
    if (k === 'class') e.className = attrs[k];
    else if (k === 'style') e.style.cssText = attrs[k];
    else e.setAttribute(k, attrs[k]);
  }
  for (const c of kids) if (c != null) e.append(c);
  return e;
}
const ms = (t) => (t ? Date.parse(t) : null);
function duration(d) {
  if (d == null || d < 0) return '';
  if (d < 1000) return `${d} ms`;
  if (d < 60000) return `${(d / 1000).toFixed(1)} s`;
  if (d < 3600000) return `${Math.floor(d / 60000)} min ${String(Math.floor((d % 60000) / 1000)).padStart(2, '0')} s`;
  return `${Math.floor(d / 3600000)} h ${String(Math.floor((d % 3600000) / 60000)).padStart(2, '0')} min`;
}
const badge = (s) => el('span', { class: `status status--${s}` }, el('span', { class: 'status__label' }, s));

let run = null;
let axis = { start: 0, total: 1 };
let list, rowsRange = [0, 0];

function rowFor(s) {
  const st = ms(s.startedAt), en = ms(s.completedAt);
  const now = Date.now();
  const bar = st == null ? null : el('div', {
    class: `step-row__bar step-row__bar--${s.status}`,
    style: `left:${(100 * (st - axis.start)) / axis.total}%;width:${(100 * ((en ?? now) - st)) / axis.total}%`,
  });
  return el('li', { id: `step-${s.stepId}`, class: 'step-row' },
    badge(s.status),
    el('div', { class: 'step-row__main' },
      el('span', { class: 'step-row__name' }, s.name), ' ',
      el('code', { class: 'step-row__ref' }, s.referenceId),
      s.attemptNo > 1 ? el('span', { class: 'badge' }, ` attempt ${s.attemptNo}`) : null,
      s.predecessorsLeft > 0 && s.status === 'queued' ? el('span', { class: 'step-row__waiting' }, ` waiting on ${s.predecessorsLeft}`) : null),
    el('span', { class: 'step-row__duration' }, st == null ? '' : duration((en ?? now) - st)),
    el('div', { class: 'step-row__track' }, bar));
}

function renderRows() {
  const steps = run.steps;
  let a = 0, b = steps.length;
  if (steps.length > 200) {
    const top = list.getBoundingClientRect().top;
    a = Math.max(0, Math.floor(-top / ROW_H) - 5);
    b = Math.min(steps.length, Math.ceil((innerHeight - top) / ROW_H) + 5);
  }
  if (a === rowsRange[0] && b === rowsRange[1] && list.childElementCount) return;
  rowsRange = [a, b];
  list.style.paddingTop = `${a * ROW_H}px`;
  list.style.paddingBottom = `${(steps.length - b) * ROW_H}px`;
  const frag = document.createDocumentFragment();
  for (let i = a; i < b; i++) frag.append(rowFor(steps[i]));
  list.replaceChildren(frag);
}

function headerEl() {
  const st = ms(run.startedAt), en = ms(run.completedAt);
  return el('header', { class: 'run-header' },
    el('h1', null, el('code', { class: 'run-header__id' }, run.runId), ' ', badge(run.status)),
    el('dl', { class: 'run-header__facts' },
      el('div', null, el('dt', null, 'Blueprint'), el('dd', null, run.blueprintId)),
      el('div', null, el('dt', null, 'Started'), el('dd', null, run.startedAt || '—')),
      el('div', null, el('dt', null, 'Ended'), el('dd', null, run.completedAt || '—')),
      el('div', null, el('dt', null, 'Duration'), el('dd', null, st == null ? '—' : duration((en ?? Date.now()) - st)))));
}
function progressEl() {
  const p = run.progress;
  const pct = (n) => `${((100 * n) / Math.max(1, p.totalSteps)).toFixed(3)}%`;
  return el('section', { class: 'progress' },
    el('div', { class: 'progress__bar', role: 'progressbar' },
      el('div', { class: 'progress__segment progress__segment--succeeded', style: `width:${pct(p.completedSteps)}` }),
      el('div', { class: 'progress__segment progress__segment--failed', style: `width:${pct(p.failedSteps)}` }),
      el('div', { class: 'progress__segment progress__segment--running', style: `width:${pct(p.runningSteps)}` })),
    el('p', null, `${Math.round((100 * (p.completedSteps + p.failedSteps)) / Math.max(1, p.totalSteps))}% · ${p.completedSteps} of ${p.totalSteps} done`));
}
function galleryEl() {
  const outs = (run.finalOutputs || []).map((o) =>
    el('li', { class: 'gallery__card' }, el('a', { href: o.url || '#' }, o.type || 'output'), ' ', o.mimeType || ''));
  return el('section', { class: 'gallery' }, el('h2', null, 'Outputs'),
    outs.length ? el('ul', { class: 'gallery__grid' }, ...outs) : el('p', null, 'No final outputs yet.'));
}
let parts = null;
// Header, progress and gallery: small, rebuilt whole when the run's own fields change.
function renderTop() {
  const next = { header: headerEl(), progress: progressEl(), gallery: galleryEl() };
  for (const k in next) parts[k].replaceWith(next[k]);
  parts = { ...parts, ...next };
}

function render() {
  let lo = Infinity, hi = -Infinity;
  for (const s of run.steps) {
    const st = ms(s.startedAt), en = ms(s.completedAt);
    if (st != null) { lo = Math.min(lo, st); hi = Math.max(hi, en ?? Date.now()); }
  }
  axis = lo === Infinity ? { start: 0, total: 1 } : { start: lo, total: Math.max(1, hi - lo) };
  list = el('ol', { class: 'timeline__rows' });
  rowsRange = [0, 0];
  parts = { header: headerEl(), progress: progressEl(), gallery: galleryEl() };
  app.replaceChildren(parts.header, parts.progress,
    el('section', { class: 'timeline' }, el('h2', null, `Steps ${run.steps.length}`), list), parts.gallery);
  renderRows();
}

// Rebuilds a row's content in place (the <li> stays: mutations stay in the row).
function updateRow(li, s) {
  const fresh = rowFor(s);
  li.replaceChildren(...fresh.childNodes);
}

const sameStep = (a, b) => a.stepId === b.stepId && a.status === b.status && a.startedAt === b.startedAt &&
  a.completedAt === b.completedAt && a.attemptNo === b.attemptNo && a.predecessorsLeft === b.predecessorsLeft &&
  a.name === b.name && a.referenceId === b.referenceId &&
  (a.outputs || []).length === (b.outputs || []).length && JSON.stringify(a.outputs || []) === JSON.stringify(b.outputs || []);
const head = (r) => JSON.stringify([r.runId, r.blueprintId, r.status, r.startedAt, r.completedAt, r.progress, r.finalOutputs]);

// Applies a new body: whole render when the step list changed shape, else
// the top sections if the run's own fields changed, and the changed rows on
// screen (bars keep the time axis of the last whole render).
function apply(next) {
  const old = run;
  const sameShape = old && old.steps.length === next.steps.length && next.steps.every((s, i) => s.stepId === old.steps[i].stepId);
  run = next;
  if (!sameShape) { render(); return; }
  if (head(old) !== head(next)) renderTop();
  for (let i = 0; i < next.steps.length; i++) {
    if (sameStep(old.steps[i], next.steps[i])) continue;
    if (i >= rowsRange[0] && i < rowsRange[1]) updateRow(list.children[i - rowsRange[0]], next.steps[i]);
  }
}

let first = true, lastText = null, timer = null;
const paused = new URLSearchParams(location.search).has('paused');
async function poll() {
  clearTimeout(timer);
  try {
    const res = await fetch(`/api/v1/runs/${encodeURIComponent(runId)}`, { headers: { Authorization: `Bearer ${KEY}` } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const text = await res.text();
    if (first) performance.mark('runview:first-response');
    if (text !== lastText) { lastText = text; apply(JSON.parse(text)); }
    if (first) { first = false; requestAnimationFrame(() => performance.mark('runview:first-data')); }
    const done = ['succeeded', 'failed', 'cancelled'].includes(run.status);
    if (!done && !paused) timer = setTimeout(poll, 2000);
  } catch (e) {
    app.replaceChildren(el('p', { role: 'alert' }, `Error: ${e.message}`));
    if (!paused) timer = setTimeout(poll, 2000);
  }
}
// The 1 s clock: durations of running rows on screen.
setInterval(() => {
  if (!run || !list) return;
  for (let i = rowsRange[0]; i < rowsRange[1]; i++) {
    const s = run.steps[i];
    if (s.status === 'running' && s.startedAt) {
      const cell = list.children[i - rowsRange[0]]?.querySelector('.step-row__duration');
      if (cell) cell.textContent = duration(Date.now() - ms(s.startedAt));
    }
  }
}, 1000);
document.getElementById('refresh').addEventListener('click', poll);
addEventListener('scroll', () => run && run.steps.length > 200 && renderRows(), { passive: true });
poll();
