// `npm start`: install what is missing, build, and serve Wharf on embedded defaults.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { build, ensureDependencies, root } from './lib/workspace.mjs';

ensureDependencies();
build();
// As the image runs it: no --enable-source-maps (it costs memory and time on every error stack).
const server = spawn(process.execPath, [join(root, 'apps/api/dist/main.js')], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
