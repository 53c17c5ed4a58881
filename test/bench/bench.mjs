// `npm run bench [-- --quick] [-- --only B1,B5] [-- --storage fs]`: builds Wharf as `npm start`
// does, compiles the harness (test/bench, TypeScript) and runs it. A run over every row
// then checks the results file it wrote (every expected figure with a Wharf value).
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { build, ensureDependencies, root, run } from '../../infra/scripts/lib/workspace.mjs';
import { resultProblems } from './check-results.mjs';

const args = process.argv.slice(2);
if (!args.includes('--help') && !args.includes('-h')) {
  ensureDependencies();
  build();
}
rmSync(join(root, 'test/bench/dist'), { recursive: true, force: true });
run('npx', ['tsc', '-p', 'test/bench/tsconfig.json']);

const whole = !args.some((a) => a.startsWith('--only') || a.startsWith('--storage') || a === '--help' || a === '-h');
const resultsFile = join(root, args.includes('--quick') ? 'reports/bench-quick.json' : 'bench-results.json');
// A stale file must not pass the check below.
if (whole) rmSync(resultsFile, { force: true });

const child = spawn(process.execPath, ['--enable-source-maps', join(root, 'test/bench/dist/main.js'), ...args], { cwd: root, stdio: 'inherit' });
// Ctrl-C reaches the harness too (same process group); a SIGTERM sent to this process only
// (e.g. by npm test) is passed on, so the harness stops every server it started.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (code !== 0) process.exit(code ?? (signal ? 1 : 0));
  if (whole) {
    const problems = resultProblems(resultsFile);
    if (problems.length > 0) {
      console.error(`bench: ${resultsFile} is incomplete:\n  - ${problems.join('\n  - ')}`);
      process.exit(1);
    }
  }
  process.exit(0);
});
