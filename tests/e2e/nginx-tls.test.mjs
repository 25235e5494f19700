// deploy/nginx/serve.sh with TLS: a certificate the test makes (openssl),
// the app and the API over https with Strict-Transport-Security, plain HTTP
// redirected when asked, and the flags' mistakes refused.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { uid } from './harness.mjs';
import { startNginx, startRecorder, rawGet, runServe, freePort } from './nginx-helpers.mjs';

const ctx = {};

before(async () => {
  ctx.dir = await mkdtemp(path.join(os.tmpdir(), 'runview-tls-test-'));
  ctx.cert = path.join(ctx.dir, 'cert.pem');
  ctx.key = path.join(ctx.dir, 'key.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-keyout', ctx.key, '-out', ctx.cert, '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  ctx.ca = await readFile(ctx.cert);
  ctx.api = await startRecorder(() => ({}));
  ctx.redirectPort = await freePort();
  ctx.nginx = await startNginx({ upstream: ctx.api.url, mode: 'kept', key: 'sk_' + '5eed'.repeat(16), tls: { cert: ctx.cert, key: ctx.key }, redirectHttp: ctx.redirectPort });
});

after(async () => {
  await ctx.nginx?.stop();
  await ctx.api?.stop();
  if (ctx.dir) await rm(ctx.dir, { recursive: true, force: true });
});

/** One GET over https, trusting only the test's certificate: `{ status, headers, body, protocol }`. */
function httpsGet(url) {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca: ctx.ca, agent: false }, (res) => {
      const protocol = res.socket.getProtocol();
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body, protocol }));
    });
    req.on('error', reject);
  });
}

test('TLS: the app and the API over https with Strict-Transport-Security; the certificate is the one given', async () => {
  assert.match(ctx.nginx.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const page = await httpsGet(`${ctx.nginx.url}/runs/run_demo`);
  assert.equal(page.status, 200);
  assert.match(page.headers['content-type'], /^text\/html/);
  assert.match(page.protocol, /^TLSv1\.[23]$/);
  const id = `run_demo-${uid()}`;
  const api = await httpsGet(`${ctx.nginx.url}/api/v1/runs/${id}`);
  assert.equal(api.status, 200);
  assert.deepEqual(ctx.api.to(`/api/v1/runs/${id}`).map((r) => r.url), [`/api/v1/runs/${id}`]);
  const missing = await httpsGet(`${ctx.nginx.url}/runview-0123456789abcdef.js`);
  assert.equal(missing.status, 404);
  for (const res of [page, api, missing]) {
    assert.equal(res.headers['strict-transport-security'], 'max-age=31536000');
    assert.match(res.headers['content-security-policy'], /^default-src 'none'/);
  }
  // A client that does not trust the certificate is refused.
  await assert.rejects(new Promise((resolve, reject) => https.get(`${ctx.nginx.url}/`, resolve).on('error', reject)), /self[- ]signed/i);
});

test('TLS: --redirect-http answers plain HTTP with a redirect to the https origin, path and query kept', async () => {
  const res = await rawGet(`http://127.0.0.1:${ctx.redirectPort}/runs/run_demo?x=1`);
  assert.equal(res.status, 301);
  assert.equal(res.headers.location, `${ctx.nginx.url}/runs/run_demo?x=1`);
  assert.equal(ctx.api.requests.filter((r) => r.url.includes('x=1')).length, 0);
});

test('TLS flags: a certificate without its key, a redirect without TLS, an unreadable file: exit 2 with the reason', async () => {
  const base = ['--dist', 'dist', '--listen', `127.0.0.1:${await freePort()}`, '--upstream', ctx.api.url, '--mode', 'pass'];
  const cases = [
    [['--tls-cert', ctx.cert], /--tls-cert and --tls-key go together/],
    [['--redirect-http', '127.0.0.1:8081'], /--redirect-http needs --tls-cert and --tls-key/],
    [['--tls-cert', ctx.cert, '--tls-key', path.join(ctx.dir, 'nope.pem')], /--tls-key .* cannot be read/],
    [['--rate-limit', '0'], /--rate-limit must be a whole number/],
  ];
  for (const [flags, message] of cases) {
    const res = await runServe([...base, ...flags]);
    assert.equal(res.code, 2, flags.join(' '));
    assert.match(res.stderr, message);
    assert.equal(res.stdout, '');
  }
});
