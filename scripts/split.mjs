// trunk post_build hook (Trunk.toml, through scripts/split.sh): re-does the
// Rust asset of a release build as a split app. trunk itself cannot split
// (trunk issue #1022): the split must run on cargo's raw output, which keeps
// its relocations in release wasm builds (build.rs), before wasm-bindgen.
//
//   target/wasm32-unknown-unknown/release/runview.wasm   (trunk's cargo build)
//     → wasm-split-cli: main module + one wasm per split point of
//       src/{pages,components}/lazy.rs + chunks of code shared by some of them, and the
//       loader `__wasm_split.js`
//     → wasm-bindgen on the main module (keeping the linker's exports the
//       chunks import: memory, table, shared globals)
//     → wasm-opt -Oz on the main module and on every chunk
//     → the glue and the loader minified (esbuild, as trunk minifies its own)
//     → content-hashed names (nginx caches `-<hex>` names as immutable),
//       the loader and the glue pointed at each other's hashed names,
//       trunk's staged runview-*.js / *_bg.wasm replaced, and index.html's
//       references and SRI integrity values rewritten.
//
// Debug builds (`trunk serve`, the dev loop) are left as trunk made them:
// src/{pages,components}/lazy.rs have no split points there.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const say = (m) => process.stderr.write(`[split] ${m}\n`);
function fail(m) {
  say(`error: ${m}`);
  process.exit(1);
}
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error?.code === 'ENOENT') fail(`${cmd} is not on PATH: run scripts/setup.sh`);
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} exited with ${r.status}\n${r.stderr || ''}${r.stdout || ''}`);
  return r.stdout;
}
const hex16 = (...bufs) => {
  const h = crypto.createHash('sha256');
  for (const b of bufs) h.update(b);
  return h.digest('hex').slice(0, 16);
};
const sri = (buf) => `sha384-${crypto.createHash('sha384').update(buf).digest('base64')}`;
// Replaces every occurrence of `from` (a plain string) and insists there was one.
function replaceAll(text, from, to, what) {
  if (!text.includes(from)) fail(`${what}: "${from}" not found (did the wasm-split-cli or wasm-bindgen output change?)`);
  return text.split(from).join(to);
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const staging = process.env.TRUNK_STAGING_DIR;
const profile = process.env.TRUNK_PROFILE;
if (!staging || !profile) fail('run by trunk as a post_build hook (TRUNK_STAGING_DIR, TRUNK_PROFILE unset)');
if (profile !== 'release') {
  say(`${profile} build: not split (the lazily loaded pages are plain async functions here)`);
  process.exit(0);
}
const publicUrl = (process.env.TRUNK_PUBLIC_URL || '/').replace(/\/?$/, '/');
const started = Date.now();

// The raw wasm of trunk's cargo build: CARGO_TARGET_DIR, if set, is what trunk used too.
const meta = JSON.parse(run('cargo', ['metadata', '--format-version', '1', '--no-deps', '--offline'], { cwd: ROOT }));
const raw = path.join(meta.target_directory, 'wasm32-unknown-unknown', 'release', 'runview.wasm');
if (!fs.existsSync(raw)) fail(`${raw} is missing`);
const rawBytes = fs.readFileSync(raw);
if (!rawBytes.includes(Buffer.from('reloc.CODE'))) fail(`${raw} has no relocations: build.rs should link release wasm with --emit-relocs`);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'runview-split-'));
try {
  const splitDir = path.join(work, 'split');
  const bgDir = path.join(work, 'bg');
  run('wasm-split-cli', ['--target', 'web', '--out-name', 'runview', raw, splitDir]);
  // RUNVIEW_WASM_NAMES=1 (scripts/bench.sh with BENCH_PROFILE): keep the
  // function names, so CPU profiles name Rust functions; never for shipping.
  const names = process.env.RUNVIEW_WASM_NAMES === '1';
  if (names) say('RUNVIEW_WASM_NAMES=1: keeping function names (a profiling build, larger than shipped)');
  run('wasm-bindgen', ['--target', 'web', '--keep-lld-exports', '--no-typescript', ...(names ? ['--keep-debug'] : []), '--out-dir', bgDir, '--out-name', 'runview', path.join(splitDir, 'runview.wasm')]);

  // wasm-opt 132 (npm binaryen; Debian's 108 breaks the output), the
  // features rustc's wasm32 target enables: the chunks carry no
  // target_features section to detect them from.
  const optVersion = run('wasm-opt', ['--version']);
  if (!/version 132\b/.test(optVersion)) fail(`wasm-opt 132 expected on PATH (scripts/setup.sh), found: ${optVersion.trim()}`);
  const FEATURES = ['--enable-bulk-memory', '--enable-bulk-memory-opt', '--enable-call-indirect-overlong', '--enable-multivalue',
    '--enable-mutable-globals', '--enable-nontrapping-float-to-int', '--enable-reference-types', '--enable-sign-ext'];
  const opt = (from) => {
    const to = `${from}.opt`;
    run('wasm-opt', ['-Oz', ...FEATURES, ...(names ? ['--debuginfo'] : []), '--output', to, from]);
    return fs.readFileSync(to);
  };

  // Chunks: split_<page>.wasm (one per split point) and chunk_<n>.wasm (code
  // shared by some of them), named by their own content.
  let loader = fs.readFileSync(path.join(splitDir, '__wasm_split.js'), 'utf8');
  // Which files each split point needs: its split_<name>.wasm, and every
  // shared chunk_<n>.wasm the loader marks as serving it (`/* a, b */`).
  const needs = {};
  for (const m of loader.matchAll(/"\.\/split_(\w+)\.wasm"/g)) needs[m[1]] = [`split_${m[1]}.wasm`];
  for (const m of loader.matchAll(/\/\* ([\w, ]+) \*\/\s*const __chunk_\d+ = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/(chunk_\d+\.wasm)"/g)) {
    for (const split of m[1].split(', ')) (needs[split] ??= []).push(m[2]);
  }
  const chunks = [];
  const renamed = {};
  for (const f of fs.readdirSync(splitDir).filter((f) => f.endsWith('.wasm') && f !== 'runview.wasm').sort()) {
    const bytes = opt(path.join(splitDir, f));
    const name = `${f.replace(/\.wasm$/, '')}-${hex16(bytes)}.wasm`;
    loader = replaceAll(loader, `"./${f}"`, `"./${name}"`, '__wasm_split.js');
    chunks.push({ name, bytes });
    renamed[f] = name;
  }
  if (!chunks.some((c) => c.name.startsWith('split_'))) fail('wasm-split-cli made no split chunk: are the split points of src/{pages,components}/lazy.rs compiled in?');

  // Main module, glue and loader import each other, so they share one hash
  // over everything the app is made of: any change renames all three.
  const wasm = opt(path.join(bgDir, 'runview_bg.wasm'));
  let js = fs.readFileSync(path.join(bgDir, 'runview.js'), 'utf8');
  // (This script too: a change in how it rewrites the files renames them.)
  const H = hex16(fs.readFileSync(new URL(import.meta.url)), wasm, js, loader, ...chunks.map((c) => c.bytes));
  const jsName = `runview-${H}.js`;
  const wasmName = `runview-${H}_bg.wasm`;
  const loaderName = `runview-split-${H}.js`;
  // Only the ES imports: the import object's keys stay the wasm's module names.
  js = replaceAll(js, 'from "./__wasm_split.js"', `from "./${loaderName}"`, 'runview.js');
  js = replaceAll(js, "'runview_bg.wasm'", `'${wasmName}'`, 'runview.js');
  loader = replaceAll(loader, 'from "./runview.js"', `from "./${jsName}"`, '__wasm_split.js');

  // Minified like trunk minifies its own glue (minify = "on_release").
  const { transformSync } = await import('esbuild').catch(() => fail('esbuild is missing from node_modules: run scripts/setup.sh'));
  const minify = (code) => transformSync(code, { minify: true, format: 'esm', legalComments: 'none' }).code;
  js = minify(js);
  loader = minify(loader);

  // Replace trunk's unsplit Rust asset in the staging dir and index.html.
  const indexPath = path.join(staging, 'index.html');
  let html = fs.readFileSync(indexPath, 'utf8');
  const oldJs = html.match(/runview-[0-9a-f]+\.js/)?.[0];
  const oldWasm = html.match(/runview-[0-9a-f]+_bg\.wasm/)?.[0];
  if (!oldJs || !oldWasm) fail("index.html does not reference trunk's runview-<hash>.js and _bg.wasm");
  for (const f of [oldJs, oldWasm]) fs.rmSync(path.join(staging, f), { force: true });
  html = replaceAll(html, oldJs, jsName, 'index.html');
  html = replaceAll(html, oldWasm, wasmName, 'index.html');
  const files = { [jsName]: Buffer.from(js), [wasmName]: wasm, [loaderName]: Buffer.from(loader) };
  for (const c of chunks) files[c.name] = c.bytes;
  for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(staging, name), bytes);
  // JS snippets (#[wasm_bindgen(module/inline_js)]), should the app grow any: ours replace trunk's.
  if (fs.existsSync(path.join(bgDir, 'snippets'))) fs.cpSync(path.join(bgDir, 'snippets'), path.join(staging, 'snippets'), { recursive: true, force: true });

  // SRI: every <link> naming one of our files gets that file's hash.
  html = html.replace(/<link\b[^>]*>/g, (tag) => {
    const name = Object.keys(files).find((n) => tag.includes(`${publicUrl}${n}`));
    if (!name || !/\bintegrity=/.test(tag)) return tag;
    return tag.replace(/\bintegrity=("[^"]*"|'[^']*'|[^\s>]+)/, `integrity=${sri(files[name])}`);
  });
  // The loader is imported by the glue: preload it beside it (no extra round
  // trip before the app starts), with its own integrity value.
  const preload = `<link crossorigin href=${publicUrl}${loaderName} integrity=${sri(files[loaderName])} rel=modulepreload>`;
  html = replaceAll(html, '</head>', `${preload}</head>`, 'index.html');
  // A deep link to a lazily loaded page (the routes of src/lib.rs), or to a
  // run's replay (`?at=`), starts
  // fetching that page's chunks with the main wasm, instead of after the app
  // started: an inline script adds `preload`s the loader's fetch() then
  // takes over. Other pages (a run page without `?at=`) fetch nothing more.
  const files_ = (split) => {
    if (!needs[split]) fail(`no split point "${split}" in the loader: did src/pages/lazy.rs change? (found: ${Object.keys(needs)})`);
    return needs[split].map((f) => publicUrl + renamed[f]);
  };
  // [path pattern, files, query pattern (optional)]: the first that matches.
  const routes = [
    // A replay link (`/runs/<id>?at=`): the replay panel's code too.
    ['^/runs/[^/]+/?$', files_('replay'), '[?&]at='],
    ['^/compare/[^/]+/[^/]+/?$', [...files_('compare')]],
    ['^/blueprints/[^/]+/compare/[^/]+/?$', [...new Set([...files_('compare_previous'), ...files_('compare')])]],
    ['^/blueprints/[^/]+/?$', files_('history')],
    ['^/$', files_('home')],
  ];
  const preloadScript = `(function(r,p,q){for(var i=0;i<r.length;i++)if(new RegExp(r[i][0]).test(p)&&(!r[i][2]||new RegExp(r[i][2]).test(q))){r[i][1].forEach(function(h){var l=document.createElement("link");l.rel="preload";l.as="fetch";l.crossOrigin="anonymous";l.href=h;document.head.appendChild(l)});break}})(${JSON.stringify(routes)},location.pathname,location.search)`;
  html = replaceAll(html, '</head>', `<script>${preloadScript}</script></head>`, 'index.html');
  fs.writeFileSync(indexPath, html);

  const kib = (b) => `${(b.length / 1024).toFixed(1)} KiB`;
  say(`main ${wasmName} ${kib(wasm)}, glue ${kib(files[jsName])}, loader ${kib(files[loaderName])}; ` +
    `chunks: ${chunks.map((c) => `${c.name} ${kib(c.bytes)}`).join(', ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
