// `npm test`: installs and starts what the tests need, runs every suite, and ends with one
// line `N passed, N failed` summing them all. Exits non-zero on any failure.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { ensureDependencies, root, runStatus } from './lib/workspace.mjs';

const require = createRequire(import.meta.url);
const reports = join(root, 'reports');
const results = [];
const started = Date.now();

function record(suite, passed, failed, skipped = 0, note = '') {
  results.push({ suite, passed, failed, skipped });
  console.log(`\n== ${suite}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${note ? ` (${note})` : ''}\n`);
}

function section(title) {
  console.log(`\n==== ${title} ====`);
}

/** A step that is one check: passed when the command exits 0. */
async function check(suite, command, args, env) {
  section(suite);
  const code = await runStatus(command, args, { env });
  record(suite, code === 0 ? 1 : 0, code === 0 ? 0 : 1);
  return code === 0;
}

/** Runs a command, echoing its output, and returns [exit code, last line matching re]. */
function runCapturing(command, args, pattern, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let match;
    let buffer = '';
    child.stdout.on('data', (data) => {
      process.stdout.write(data);
      buffer += data.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) match = pattern.exec(line) ?? match;
    });
    child.on('error', () => resolve([127, undefined]));
    child.on('close', (code) => {
      match = pattern.exec(buffer) ?? match;
      resolve([code ?? 1, match]);
    });
  });
}

async function main() {
  mkdirSync(reports, { recursive: true });
  const nxEnv = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

  section('dependencies');
  ensureDependencies();
  const toolsOk = await check('tools (ensure-tools.sh)', 'bash', ['infra/scripts/ensure-tools.sh', '-v']);
  await check('deploy tools (ensure-deploy-tools.sh)', 'bash', ['infra/scripts/ensure-deploy-tools.sh', '-v']);

  // Every project, the web portal included (`npx nx run web:build`, the production build).
  const built = await check('build', 'npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], nxEnv);
  await check('typecheck', 'npx', ['nx', 'run-many', '-t', 'typecheck', '--outputStyle=static'], nxEnv);
  await check('lint', 'npx', ['nx', 'run-many', '-t', 'lint', '--outputStyle=static'], nxEnv);
  if (!built) {
    console.error('wharf: the build failed; integration, end-to-end and conformance suites need it and were not run');
    return summary();
  }

  section('jest: unit, integration, end-to-end');
  const jestReport = join(reports, 'jest.json');
  rmSync(jestReport, { force: true });
  for (const suite of ['legacy', 'main']) rmSync(join(reports, `conformance-cluster-${suite}`), { recursive: true, force: true });
  await runStatus('npx', ['jest', '--ci', '--json', `--outputFile=${jestReport}`, '--selectProjects', 'unit', 'integration', 'e2e'], { env: { WHARF_TOOLS_OK: toolsOk ? '1' : '0' } });
  recordJest('jest', jestReport);

  // The web portal in Debian's Chromium, after the end-to-end tests (screenshots in reports/screenshots).
  section('jest: browser (portal)');
  const browserReport = join(reports, 'jest-browser.json');
  rmSync(browserReport, { force: true });
  rmSync(join(reports, 'screenshots'), { recursive: true, force: true });
  await runStatus('npx', ['jest', '--ci', '--json', `--outputFile=${browserReport}`, '--selectProjects', 'browser']);
  recordJest('jest-browser', browserReport);

  // The jest scale-out test ran both suites through the load balancer; count their cases too.
  await clusterConformanceCounts();
  for (const suite of ['legacy', 'main']) await conformance(suite);

  // A small run of the benchmark harness (test/bench: B1–B12 against Distribution 2.8.2 and
  // each row's physical limit, on a folder and on MinIO). It exits 0 only when
  // reports/bench-quick.json holds every expected figure with a Wharf value; no timing is judged.
  await check('bench (quick)', process.execPath, ['test/bench/bench.mjs', '--quick']);
  return summary();
}

/** Records the counts of a jest --json report; a suite that failed to run counts as a failure. */
function recordJest(suite, file) {
  if (!existsSync(file)) {
    record(suite, 0, 1, 0, 'jest produced no report');
    return;
  }
  const jest = JSON.parse(readFileSync(file, 'utf8'));
  const suiteErrors = jest.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
  record(suite, jest.numPassedTests, jest.numFailedTests + suiteErrors + (jest.numRuntimeErrorTestSuites && !suiteErrors ? jest.numRuntimeErrorTestSuites : 0), jest.numPendingTests + jest.numTodoTests);
}

async function clusterConformanceCounts() {
  const { countJunit } = await import(join(root, 'test/e2e/junit-count.mjs'));
  for (const suite of ['legacy', 'main']) {
    const file = join(reports, `conformance-cluster-${suite}`, 'junit.xml');
    if (!existsSync(file)) {
      record(`conformance-cluster-${suite}`, 0, 1, 0, 'the scale-out e2e test produced no report');
      continue;
    }
    const counts = countJunit(readFileSync(file, 'utf8'));
    record(`conformance-cluster-${suite}`, counts.passed, counts.failed, counts.skipped, '3 processes, nginx, MinIO');
  }
}

const CONFORMANCE_ADMIN_PASSWORD = 'conformance-admin-password';
const CONFORMANCE_PASSWORD = 'conformance-tester-password';

async function conformance(suite) {
  section(`OCI conformance (${suite})`);
  const { startWharf } = require(join(root, 'test/support/wharf-process.cjs'));
  const dataDir = join(root, '.cache', 'test-runs', `conformance-${suite}`);
  rmSync(dataDir, { recursive: true, force: true });
  let server;
  try {
    server = await startWharf({ dataDir, env: { WHARF_ADMIN_PASSWORD: CONFORMANCE_ADMIN_PASSWORD } });
  } catch (error) {
    record(`conformance-${suite}`, 0, 1, 0, `server did not start: ${error.message}`);
    return;
  }
  try {
    // With access control on, through the token flow: a maintainer (push and delete) of the
    // organization the suites push into, set up with the admin CLI.
    const cli = (args, env = {}) => execFileSync(process.execPath, ['apps/api/dist/cli.js', ...args], { cwd: root, env: { ...process.env, WHARF_DATA_DIR: dataDir, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    cli(['org', 'create', 'conformance']);
    cli(['user', 'create', 'conformance-tester'], { WHARF_CLI_PASSWORD: CONFORMANCE_PASSWORD });
    cli(['org', 'member', 'conformance', 'conformance-tester', 'maintainer']);
    const [code, match] = await runCapturing(
      'bash',
      ['test/e2e/run-conformance.sh', suite, server.url, join(reports, `conformance-${suite}`)],
      /^conformance-\w+: (\d+) passed, (\d+) failed, (\d+) skipped$/,
      { OCI_USERNAME: 'conformance-tester', OCI_PASSWORD: CONFORMANCE_PASSWORD },
    );
    if (!match) {
      record(`conformance-${suite}`, 0, 1, 0, `the suite did not run (exit ${code})`);
    } else {
      const failed = Number(match[2]);
      record(`conformance-${suite}`, Number(match[1]), failed === 0 && code !== 0 ? 1 : failed, Number(match[3]));
    }
  } finally {
    await server.stop();
  }
}

function summary() {
  const total = results.reduce((sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed, skipped: sum.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
  console.log('\n==== summary ====');
  for (const r of results) console.log(`${r.suite.padEnd(28)} ${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(4)} failed${r.skipped ? ` ${r.skipped} skipped` : ''}`);
  console.log(`time: ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
  return total.failed === 0 ? 0 : 1;
}

main()
  .then((code) => process.exit(code))
  .catch((error) => {
    console.error('wharf test run failed:', error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
