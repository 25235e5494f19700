// Helpers of the nginx end-to-end tests (tests/e2e/nginx.test.mjs) and the
// P7 benchmark: deploy/nginx/serve.sh as a child process, free ports, and
// raw HTTP requests (node:http, so content-encoding arrives untouched).

import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
 * printed `READY http(s)://HOST:PORT`. `stop()` sends SIGTERM (serve.sh stops
 * nginx) and removes the state folder. `rateLimit`: serve.sh's
 * --rate-limit; `tls`: `{ cert, key }` files; `redirectHttp`: a port for
 * --redirect-http.
 */
export async function startNginx({ upstream, mode, key, keyFile, mediaOrigins = [], dist = 'dist', rateLimit, tls, redirectHttp }) {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'runview-nginx-test-'));
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const args = ['--dist', dist, '--listen', `127.0.0.1:${port}`, '--upstream', upstream, '--mode', mode, '--state-dir', stateDir];
    if (keyFile) args.push('--key-file', keyFile);
    for (const m of mediaOrigins) args.push('--media-origin', m);
    if (rateLimit) args.push('--rate-limit', String(rateLimit));
    if (tls) args.push('--tls-cert', tls.cert, '--tls-key', tls.key);
    if (redirectHttp) args.push('--redirect-http', `127.0.0.1:${redirectHttp}`);
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
        const m = out.match(/^READY (https?:\/\/\S+)$/m);
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
    if (attempt >= 2 || !/Address already in use|did not start listening/.test(stderr) || redirectHttp) {
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
    // Not half-closed after writing: nginx would take that for a client that gave up (499).
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
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
      let body = rest.join('\r\n\r\n');
      if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body, raw });
    });
  });
}

/** The payload of a chunked body (latin1 text in, latin1 text out). */
function dechunk(text) {
  let out = '';
  let at = 0;
  for (;;) {
    const eol = text.indexOf('\r\n', at);
    const size = parseInt(text.slice(at, eol), 16);
    if (!(size > 0)) return out;
    out += text.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/** A raw GET of `target` with `headers` (array of "Name: value" lines); nginx closes the connection. */
export function rawGetLine(port, target, headers = [], method = 'GET') {
  return rawRequest(port, [`${method} ${target} HTTP/1.1`, 'Host: localhost', ...headers, 'Connection: close', '', ''].join('\r\n'));
}

/**
 * A CDN edge, as the tests picture one: a second nginx that is a plain
 * shared cache in front of `origin` (a serve.sh URL). It knows nothing of
 * runview: it keys on the URL, honours the origin's Cache-Control (s-maxage
 * before max-age; private and no-store are never kept) and Vary, collapses
 * concurrent misses (cache lock) and serves the expired copy while one
 * request refreshes it (as request collapsing does at a real CDN). Every
 * answer says `X-Edge-Cache: <HIT|MISS|EXPIRED|UPDATING|…>`.
 */
export async function startEdge({ origin }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'runview-edge-test-'));
  await mkdir(path.join(dir, 'logs'));
  await chmod(dir, 0o755); // started as root, nginx's workers are nobody
  const port = await freePort();
  const conf = `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path ${dir}/tmp_body;
    proxy_temp_path ${dir}/tmp_proxy;
    fastcgi_temp_path ${dir}/tmp_fastcgi;
    uwsgi_temp_path ${dir}/tmp_uwsgi;
    scgi_temp_path ${dir}/tmp_scgi;
    proxy_cache_path ${dir}/cache keys_zone=edge:1m inactive=10s use_temp_path=off;
    server {
        listen 127.0.0.1:${port};
        location / {
            proxy_pass ${origin};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_cache edge;
            proxy_cache_key $scheme$proxy_host$request_uri;
            proxy_cache_lock on;
            proxy_cache_use_stale updating;
            add_header X-Edge-Cache $upstream_cache_status always;
        }
    }
}
`;
  await writeFile(path.join(dir, 'nginx.conf'), conf);
  const child = spawn('nginx', ['-p', dir, '-e', `${dir}/logs/error.log`, '-c', `${dir}/nginx.conf`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  for (let i = 0; ; i++) {
    const up = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (up) break;
    if (i >= 100 || child.exitCode !== null) {
      child.kill('SIGKILL');
      const log = await readFile(path.join(dir, 'logs/error.log'), 'utf8').catch(() => '');
      await rm(dir, { recursive: true, force: true });
      throw new Error(`the edge nginx did not start: ${stderr}${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The lines of serve.sh's access log (flushed every second) whose request contains `text`. */
export async function accessLogLines(nginx, text) {
  const log = await readFile(path.join(nginx.stateDir, 'logs/access.log'), 'utf8').catch(() => '');
  return log.split('\n').filter((l) => l.includes(text));
}
