// Preloaded into a Wharf process (NODE_OPTIONS=--require) by heap-growth.e2e-spec.ts: counts the
// process's own garbage collections by kind and keeps the counts in WHARF_TEST_GC_FILE.
const { renameSync, writeFileSync } = require('node:fs');
const { PerformanceObserver, constants } = require('node:perf_hooks');

const file = process.env.WHARF_TEST_GC_FILE;
const counts = { major: 0, minor: 0, incremental: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = entry.detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) counts.major++;
    else if (kind === constants.NODE_PERFORMANCE_GC_MINOR) counts.minor++;
    else if (kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL) counts.incremental++;
  }
}).observe({ entryTypes: ['gc'] });
// Written beside the file and renamed over it: the test never reads a file half-written (or
// just truncated, which writeFileSync does first).
if (file) {
  const partial = `${file}.${process.pid}.partial`;
  setInterval(() => {
    writeFileSync(partial, JSON.stringify(counts));
    renameSync(partial, file);
  }, 50).unref();
}
