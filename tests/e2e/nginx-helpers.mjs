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

/**
 * A recording upstream: an HTTP server on a free port that keeps every
 * request exactly as it arrived (method, raw target, raw headers, body) and
 * answers with `respond(req)` → `{ status, headers, body }` (default: a
 * JSON 200 naming the target). `respond` may return `null` to never answer
 * (a hanging API). `requests` is the log; `stop()` closes every socket.
 */
export async function startRecorder(respond = () => null) {
  const requests = [];
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const entry = { method: req.method, url: req.url, rawHeaders: req.rawHeaders, headers: req.headers, body: Buffer.concat(chunks).toString('latin1') };
      requests.push(entry);
      const answer = respond(entry);
      if (answer === null) return; // hang
      const { status = 200, headers = {}, body = JSON.stringify({ runId: 'run_x', target: req.url }) } = answer ?? {};
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    /** The requests whose raw target starts with `prefix`. */
    to: (prefix) => requests.filter((r) => r.url.startsWith(prefix)),
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Sends `text` (a whole raw request, CRLFs included) over a new TCP socket
 * to `port`, and resolves with the parsed answer `{ status, headers, body,
 * raw }` (headers lower-cased; repeated ones joined by ", "). For request
 * lines and headers no HTTP client would send.
 */
export function rawRequest(port, text) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(text));
    const chunks = [];
    socket.on('data', (c) => chunks.push(c));
    socket.setTimeout(20_000, () => socket.destroy(new Error(`no answer to ${JSON.stringify(text.slice(0, 80))}`)));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = raw.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        const name = line.slice(0, i).trim().toLowerCase();
        const value = line.slice(i + 1).trim();
        headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n'), raw });
    });
  });
}

/** A raw GET of `target` with `headers` (array of "Name: value" lines), closing the connection. */
export function rawGetLine(port, target, headers = [], method = 'GET') {
  return rawRequest(port, [`${method} ${target} HTTP/1.1`, 'Host: localhost', ...headers, 'Connection: close', '', ''].join('\r\n'));
}
