// What the run page's main wasm is made of: twiggy over a build that keeps
// function names (`RUNVIEW_WASM_NAMES=1`, as scripts/bench.sh makes it into
// target/bench-dist-names). Prints (and exports for bench/run.mjs) two
// Markdown tables: the 20 largest functions and data items, and the bytes
// per crate (each function's own bytes, by the crate its path names; a
// generic function counts where it is defined, e.g. `tachys` for the view
// code Leptos monomorphises for each component). Sizes are before brotli.
//
//   node bench/twiggy.mjs [dist-with-names]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The main wasm of `dist` (not a chunk). */
function mainWasm(dist) {
  const f = fs.readdirSync(dist).find((n) => /^runview-[0-9a-f]{16}_bg\.wasm$/.test(n));
  if (!f) throw new Error(`no runview-<hash>_bg.wasm in ${dist}`);
  return path.join(dist, f);
}

/** Parses twiggy's CSV: quoted fields may hold commas and doubled quotes. */
function parseCsv(text) {
  const rows = [];
  for (const line of text.split('\n').slice(1)) {
    if (!line) continue;
    const cells = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) { cells.push(cell); cell = ''; }
      else cell += c;
    }
    cells.push(cell);
    rows.push({ name: cells[0], bytes: Number(cells[1]) });
  }
  return rows;
}

/** The crate a function's path starts with (`<T as tachys::…>` → tachys). */
export function crateOf(name) {
  let n = name.replace(/^[<&(]+/, '').replace(/^(dyn |mut )+/, '');
  if (/^[A-Z]\w* as /.test(n)) n = n.replace(/^[A-Z]\w* as /, '').replace(/^[<&]+/, '');
  const m = /^([a-z_][a-z0-9_]*)(\[[0-9a-f]+\])?::/.exec(n);
  if (!m) return /^(data|elem|table|type|import|export|code)\b/.test(name) ? `(${name.split(/[\s[]/)[0]})` : '(other)';
  if (m[1] !== 'runview') return m[1];
  const sub = /^runview::([a-z_]+)/.exec(n);
  return `runview::${sub ? sub[1] : '?'}`;
}

/** The two tables for `dist`'s main wasm, as Markdown. */
export function twiggyTables(dist) {
  const wasm = mainWasm(dist);
  const r = spawnSync('twiggy', ['top', '-n', '1000000', '--format', 'csv', wasm], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error || r.status !== 0) throw new Error(`twiggy: ${r.error?.message ?? r.stderr}`);
  const items = parseCsv(r.stdout).filter((i) => !/^custom section|subsection/.test(i.name));
  const total = items.reduce((a, i) => a + i.bytes, 0);
  const pct = (b) => `${((100 * b) / total).toFixed(1)} %`;
  const short = (s) => (s.length > 90 ? `${s.slice(0, 87)}…` : s).replace(/\|/g, '\\|');
  const top = items.sort((a, b) => b.bytes - a.bytes).slice(0, 20)
    .map((i, k) => `| ${k + 1} | \`${short(i.name)}\` | ${i.bytes} | ${pct(i.bytes)} |`);
  const byCrate = new Map();
  for (const i of items) byCrate.set(crateOf(i.name), (byCrate.get(crateOf(i.name)) ?? 0) + i.bytes);
  const crates = [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, 20)
    .map(([c, b], k) => `| ${k + 1} | \`${c}\` | ${b} | ${pct(b)} |`);
  return `Main wasm \`${path.basename(wasm)}\`: ${total} bytes of code and data before brotli (names kept, so the file itself is larger).\n\n` +
    `Largest items:\n\n| # | item | bytes | share |\n|---|---|---|---|\n${top.join('\n')}\n\n` +
    `By crate:\n\n| # | crate | bytes | share |\n|---|---|---|---|\n${crates.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(twiggyTables(process.argv[2] ?? 'target/bench-dist-names'));
}
