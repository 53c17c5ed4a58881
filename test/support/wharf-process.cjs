// Starts a real Wharf server process (the built apps/api) for end-to-end tests and the
// conformance suites. Node built-ins only, so that plain scripts and Jest can share it.
const { spawn } = require('node:child_process');
const { mkdirSync, openSync } = require('node:fs');
const { createServer } = require('node:net');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');

/**
 * The password of the `admin` every test server creates at first start (WHARF_ADMIN_PASSWORD).
 * Test servers never print a generated one: tests log in with this.
 */
const adminPassword = 'wharf-test-admin-password';

function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wharf exited with ${child.exitCode} before it was ready; see ${logFile}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`wharf did not become healthy within ${timeoutMs} ms; see ${logFile}`);
}

/** `host:port` as it goes into a URL or an image reference: an IPv6 address in brackets. */
const hostPort = (host, port) => `${host.includes(':') ? `[${host}]` : host}:${port}`;

/**
 * Starts `node apps/api/dist/main.js` with its data in `dataDir` (embedded PostgreSQL unless
 * env.DATABASE_URL is given) and `adminPassword` for its admin (env.WHARF_ADMIN_PASSWORD
 * overrides it), listening on `host` (127.0.0.1 unless given, e.g. `::1`). Resolves with
 * { url, port, pid, env, stop() } once /readyz answers; `env` is
 * the server's own configuration, which the admin CLI needs to run beside it. Stack traces
 * point into the TypeScript sources unless `sourceMaps` is false (as `npm start` and the
 * image run it: source maps cost memory and time on every error).
 */
async function startWharf({ dataDir, env = {}, logFile, port, host = '127.0.0.1', sourceMaps = true } = {}) {
  if (!dataDir) throw new Error('startWharf needs a dataDir');
  mkdirSync(dataDir, { recursive: true });
  const listenPort = port ?? (await freePort(host));
  const log = logFile ?? join(dataDir, 'wharf.log');
  const wharfEnv = { WHARF_DATA_DIR: dataDir, WHARF_ADMIN_PASSWORD: adminPassword, ...env };
  const out = openSync(log, 'a');
  const child = spawn(process.execPath, [...(sourceMaps ? ['--enable-source-maps'] : []), join(root, 'apps/api/dist/main.js')], {
    cwd: root,
    stdio: ['ignore', out, out],
    env: { ...process.env, NO_COLOR: '1', PORT: String(listenPort), HOST: host, ...wharfEnv },
  });
  const url = `http://${hostPort(host, listenPort)}`;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await waitForHealth(url, child, log, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    port: listenPort,
    pid: child.pid,
    logFile: log,
    env: wharfEnv,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

module.exports = { startWharf, freePort, hostPort, root, adminPassword };
