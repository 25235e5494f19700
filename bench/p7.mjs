// P7: many viewers, one upstream poll. 200 simulated viewers of one live run
// for 30 s, each polling at 1 s over its own keep-alive connection (like the
// app at its fastest rate): first straight to the simulator (each with the
// key), then through nginx in key-kept mode (deploy/nginx/serve.sh, no key
// in the viewers). Reports the upstream requests per second for that run
// (the simulator's request log) and the latency each viewer saw (p50/p99).
// Run by bench/run.mjs (BENCH_ONLY=P7) or alone: `node bench/p7.mjs`.

import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNginx } from '../tests/e2e/nginx-helpers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIM_BIN = process.env.RUNVIEW_SIM_BIN ?? path.join(ROOT, 'target/release/runview-sim');
const KEY = 'sk_' + '5eed'.repeat(16);
const VIEWERS = Number(process.env.P7_VIEWERS || 200);
const SECONDS = Number(process.env.P7_SECONDS || 30);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** Starts the simulator (no app) at `speed`; resolves with `{ api, media, stop }` once it is READY. */
export async function startSim({ speed = 0.5 } = {}) {
  const child = spawn(SIM_BIN, ['--port', '0', '--media-port', '0', '--speed', String(speed)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  child.stderr.resume();
  const exited = new Promise((r) => child.once('exit', r));
  const ready = await new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error('sim: no READY line in 20 s')), 20000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/READY api=(\S+) media=(\S+)/);
      if (m) {
        clearTimeout(t);
        resolve({ api: m[1], media: m[2] });
      }
    });
    exited.then(() => reject(new Error('sim exited before READY')));
  });
  child.stdout.resume();
  return {
    ...ready,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function admin(sim, method, p, body) {
  const res = await fetch(sim.api + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${p} → HTTP ${res.status}`);
  return res.status === 204 ? null : res.json();
}

/** One GET on `agent`; resolves with [status, ms]. */
function timedGet(url, headers, agent) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.get(url, { headers, agent }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve([res.statusCode, performance.now() - t0]));
    });
    req.on('error', () => resolve([0, performance.now() - t0]));
    req.setTimeout(15_000, () => req.destroy());
  });
}

/** VIEWERS viewers poll `url` at 1 s for SECONDS s; returns latencies and statuses. */
async function viewers(url, headers) {
  const latencies = [];
  const statuses = {};
  const t0 = Date.now();
  await Promise.all(Array.from({ length: VIEWERS }, async (_, i) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await sleep((i * 1000) / VIEWERS); // phases spread over the first second
    while (Date.now() - t0 < SECONDS * 1000) {
      const start = Date.now();
      const [status, ms] = await timedGet(url, headers, agent);
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
      await sleep(Math.max(0, 1000 - (Date.now() - start)));
    }
    agent.destroy();
  }));
  return { latencies, statuses, elapsed: (Date.now() - t0) / 1000 };
}

/** Runs both phases; returns the figures. `dist`: the built app nginx serves. */
export async function measureP7({ dist, log = () => {} }) {
  const sim = await startSim();
  let nginx;
  try {
    // Every viewer polls from this machine's one address: the rate limit must let all of them through.
    nginx = await startNginx({ upstream: sim.api, mode: 'kept', key: KEY, mediaOrigins: [sim.media], dist, rateLimit: VIEWERS * 2 });
    const phases = {};
    for (const [name, base, headers] of [
      ['direct', sim.api, { authorization: `Bearer ${KEY}`, accept: 'application/json' }],
      ['nginx', nginx.url, { accept: 'application/json' }],
    ]) {
      const runId = `run_demo-${uid()}`;
      await admin(sim, 'POST', `/_sim/runs/${runId}/clock`, { elapsedMs: 0 });
      log('P7', `${VIEWERS} viewers → ${name} for ${SECONDS} s (${runId})`);
      const r = await viewers(`${base}/api/v1/runs/${runId}`, headers);
      const upstream = (await admin(sim, 'GET', `/_sim/requests?runId=${runId}`)).filter((x) => x.method === 'GET').length;
      const end = await fetch(`${sim.api}/api/v1/runs/${runId}`, { headers: { authorization: `Bearer ${KEY}` } }).then((res) => res.json());
      phases[name] = {
        viewerRequests: r.latencies.length,
        viewerRps: r.latencies.length / r.elapsed,
        upstream,
        upstreamRps: upstream / r.elapsed,
        p50: quantile(r.latencies, 0.5),
        p99: quantile(r.latencies, 0.99),
        over400ms: r.latencies.filter((ms) => ms > 400).length,
        statuses: r.statuses,
        elapsed: r.elapsed,
        statusAtEnd: end.status,
      };
      log('P7', name, JSON.stringify(phases[name]));
    }
    return phases;
  } finally {
    await nginx?.stop();
    await sim.stop();
  }
}

/** bench/run.mjs entry: adds the P7 row and note. */
export async function p7({ dist, addRow, notes, log }) {
  const { direct, nginx } = await measureP7({ dist, log });
  const ms = (x) => `${x.toFixed(1)} ms`;
  const ratio = nginx.viewerRequests / Math.max(1, nginx.upstream);
  const ok = nginx.upstreamRps <= 1.1 && Object.keys(nginx.statuses).join() === '200';
  addRow('P7', `${VIEWERS} viewers of one live run, ${SECONDS} s: upstream req/s; viewer p50/p99`,
    `nginx: ${nginx.upstreamRps.toFixed(2)} req/s upstream (${nginx.viewerRequests} viewer requests → ${nginx.upstream}, ${ratio.toFixed(0)}:1), p50 ${ms(nginx.p50)} / p99 ${ms(nginx.p99)}; straight to the simulator: ${direct.upstreamRps.toFixed(1)} req/s, p50 ${ms(direct.p50)} / p99 ${ms(direct.p99)}`,
    '≤ ~1 req/s upstream whatever the viewers', ok);
  notes.P7 = `deploy/nginx/serve.sh in key-kept mode (cache key per run, project, credentials and wall-clock second; 200s only; cache lock; no stale serving) in front of the simulator (--speed 0.5), a fresh run_demo instance per phase from its start (status when each phase ended: direct ${direct.statusAtEnd}, nginx ${nginx.statusAtEnd}). Each viewer: its own keep-alive connection, one GET every 1 s (start phases spread over the first second), latency = request sent → last body byte, measured in the load generator (Node, same 2-core machine; load average at the end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}). Direct: ${direct.viewerRequests} requests in ${direct.elapsed.toFixed(1)} s, statuses ${JSON.stringify(direct.statuses)}. Through nginx: ${nginx.viewerRequests} requests in ${nginx.elapsed.toFixed(1)} s, statuses ${JSON.stringify(nginx.statuses)}, ${nginx.upstream} reached the simulator; ${nginx.over400ms} viewer requests (${((100 * nginx.over400ms) / nginx.viewerRequests).toFixed(1)} %) took over 400 ms (direct: ${direct.over400ms}): those that arrived while the second's one upstream request was in flight wait on nginx's cache lock, which re-checks every 500 ms.`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = path.resolve(ROOT, process.env.BENCH_DIST || 'dist');
  const r = await measureP7({ dist, log: (...a) => console.error('[p7]', ...a) });
  console.log(JSON.stringify(r, null, 2));
}
