#!/usr/bin/env node
// Counts the test cases of a JUnit XML report (node builtins only).
//
//   node test/e2e/junit-count.mjs <junit.xml> [--label conformance-main] [--list-failed [--max-list N]]
//
// Prints exactly one line on stdout: `<label>: N passed, N failed, N skipped`
// (label defaults to the file name). With --list-failed, the names of the failed test cases
// go to stderr, one per line. Exit code: 0 = no failures, 1 = failures, 2 = unusable input
// (missing/unreadable file, no <testcase> at all).
//
// A <testcase> counts as failed when it has a <failure> or <error> child element, or a
// `status` attribute of failure/failed/error (the OCI conformance suite on main writes only
// the `status` attribute, no child elements); as skipped when it has a <skipped> child or a
// status of skipped/disabled/pending; otherwise as passed. Ginkgo (the legacy conformance
// suite) adds its reporting nodes (`[ReportAfterSuite] ...`) as test cases: they are not
// conformance tests and are ignored unless they failed, so the counts match Ginkgo's summary.
import { readFileSync, realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const FAILED_STATUS = new Set(['failure', 'failed', 'error', 'errored']);
const SKIPPED_STATUS = new Set(['skipped', 'skip', 'disabled', 'pending']);
const GINKGO_REPORT_NODE = /^\[(ReportAfterSuite|ReportBeforeSuite)\]/;

function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e) => {
    switch (e) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}

function parseAttributes(src) {
  const attrs = {};
  const re = /([A-Za-z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g;
  let m;
  while ((m = re.exec(src)) !== null) attrs[m[1]] = decodeEntities(m[3] ?? m[4] ?? '');
  return attrs;
}

/** Parses JUnit XML text; returns { passed, failed, skipped, total, failedNames }. */
export function countJunit(xml) {
  // Drop everything that may contain markup-looking text but is not markup.
  const text = xml
    .replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!DOCTYPE[^>]*>/gi, '');
  const tagRe = /<(\/?)([A-Za-z_][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
  const result = { passed: 0, failed: 0, skipped: 0, total: 0, failedNames: [] };
  let current = null; // { name, status, children:Set }
  const finish = (tc) => {
    const failed =
      tc.children.has('failure') || tc.children.has('error') || FAILED_STATUS.has(tc.status);
    const skipped = !failed && (tc.children.has('skipped') || SKIPPED_STATUS.has(tc.status));
    if (!failed && GINKGO_REPORT_NODE.test(tc.name)) return;
    result.total++;
    if (failed) {
      result.failed++;
      result.failedNames.push(tc.name);
    } else if (skipped) result.skipped++;
    else result.passed++;
  };
  let m;
  while ((m = tagRe.exec(text)) !== null) {
    const [, closing, rawName, attrSrc, selfClosing] = m;
    const name = rawName.replace(/^.*:/, '').toLowerCase();
    if (name === 'testcase') {
      if (closing) {
        if (current) finish(current);
        current = null;
      } else {
        if (current) finish(current); // tolerate an unclosed previous testcase
        const attrs = parseAttributes(attrSrc);
        const tc = {
          name: attrs.name || attrs.classname || '(unnamed)',
          status: (attrs.status ?? '').toLowerCase(),
          children: new Set(),
        };
        if (selfClosing) finish(tc);
        else current = tc;
      }
    } else if (current && !closing) {
      current.children.add(name);
    }
  }
  if (current) finish(current);
  return result;
}

function main(argv) {
  let file;
  let label;
  let listFailed = false;
  let maxList = Infinity;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--label') label = argv[++i];
    else if (a === '--list-failed') listFailed = true;
    else if (a === '--max-list') maxList = Number(argv[++i]);
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: junit-count.mjs <junit.xml> [--label NAME] [--list-failed [--max-list N]]\n');
      return 0;
    } else if (!file) file = a;
    else {
      process.stderr.write(`junit-count: unexpected argument ${a}\n`);
      return 2;
    }
  }
  if (!file) {
    process.stderr.write('usage: junit-count.mjs <junit.xml> [--label NAME] [--list-failed [--max-list N]]\n');
    return 2;
  }
  let xml;
  try {
    xml = readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`junit-count: cannot read ${file}: ${err.message}\n`);
    return 2;
  }
  const r = countJunit(xml);
  if (r.total === 0 && r.failed === 0) {
    process.stderr.write(`junit-count: no <testcase> elements in ${file}\n`);
    return 2;
  }
  if (listFailed) {
    for (const n of r.failedNames.slice(0, maxList)) process.stderr.write(`  FAILED: ${n}\n`);
    if (r.failedNames.length > maxList)
      process.stderr.write(`  ... and ${r.failedNames.length - maxList} more failed\n`);
  }
  process.stdout.write(
    `${label ?? basename(file)}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped\n`,
  );
  return r.failed > 0 ? 1 : 0;
}

function invokedDirectly() {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  process.exitCode = main(process.argv.slice(2));
}
