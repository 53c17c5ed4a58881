// Preloaded into a Wharf process (NODE_OPTIONS=--require) by tests that check what the process
// loads: on SIGUSR2 it writes the paths of every CommonJS module it has loaded to
// WHARF_TEST_MODULES_FILE, one per line.
const { renameSync, writeFileSync } = require('node:fs');

const file = process.env.WHARF_TEST_MODULES_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    // Written whole, then renamed: a reader never sees half a list.
    writeFileSync(`${file}.partial`, Object.keys(require.cache).join('\n'));
    renameSync(`${file}.partial`, file);
  });
}
