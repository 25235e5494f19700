// Helpers of the nginx end-to-end tests (tests/e2e/nginx.test.mjs) and the
// P7 benchmark: deploy/nginx/serve.sh as a child process, free ports, and
// raw HTTP requests (node:http, so content-encoding arrives untouched).

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Not imported from harness.mjs: bench/p7.mjs uses these helpers outside node:test.
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const SERVE_SH = path.join(ROOT, 'deploy/nginx/serve.sh');

/** A TCP port that was free a moment ago (nginx cannot listen on port 0 and report it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Runs `serve.sh` with `args` (array) and `env`; resolves with
 * `{ code, stdout, stderr }` once it exits. For flag checks.
 */
export function runServe(args, { env = {}, timeout = 20_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(SERVE_SH, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve.sh ${args.join(' ')} did not exit within ${timeout} ms`));
    }, timeout);
    child.once('exit', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Starts nginx through `deploy/nginx/serve.sh` on a free port in front of
 * `upstream`, with its state in a new temporary folder. Resolves once it
 * printed `READY http://HOST:PORT`. `stop()` sends SIGTERM (serve.sh stops
 * nginx) and removes the state folder.
 */
export async function startNginx({ upstream, mode, key, keyFile, mediaOrigins = [], dist = 'dist' }) {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'runview-nginx-test-'));
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const args = ['--dist', dist, '--listen', `127.0.0.1:${port}`, '--upstream', upstream, '--mode', mode, '--state-dir', stateDir];
    if (keyFile) args.push('--key-file', keyFile);
    for (const m of mediaOrigins) args.push('--media-origin', m);
    const env = { ...process.env };
    delete env.RUNVIEW_API_KEY;
    if (key) env.RUNVIEW_API_KEY = key;
    const child = spawn(SERVE_SH, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const ready = await new Promise((resolve) => {
      let out = '';
      const timer = setTimeout(() => resolve({ error: 'no READY line within 20 s' }), 20_000);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/^READY (http:\/\/\S+)$/m);
        if (m) {
          clearTimeout(timer);
          resolve({ url: m[1], stdout: out });
        }
      });
      exited.then(({ code }) => {
        clearTimeout(timer);
        resolve({ error: `exited with code ${code}` });
      });
    });
    if (ready.url) {
      let stopped = false;
      return {
        url: ready.url,
        port,
        stateDir,
        stdout: ready.stdout,
        stderr: () => stderr,
        async stop() {
          if (stopped) return;
          stopped = true;
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
          const res = await exited;
          clearTimeout(t);
          await rm(stateDir, { recursive: true, force: true });
          return res;
        },
      };
    }
    child.kill('SIGTERM');
    await exited;
    // Another process may have taken the port between freePort() and nginx's bind.
    if (attempt >= 2 || !/Address already in use|did not start listening/.test(stderr)) {
      await rm(stateDir, { recursive: true, force: true });
      throw new Error(`serve.sh failed (${ready.error}).\nstderr: ${stderr}`);
    }
  }
}

/** One GET with node:http: `{ status, headers, body }` (body: Buffer, not decoded). */
export function rawGet(url, headers = {}, { agent } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error(`GET ${url} timed out`)));
  });
}
