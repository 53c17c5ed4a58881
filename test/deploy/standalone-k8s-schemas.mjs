// Turns the Kubernetes JSON schemas that the PyPI package kubernetes-validate ships (one file
// per kind, referring to a shared `/api/_definitions.json` that kubeconform would try to
// download) into standalone schemas in kubeconform's layout, so that kubeconform validates
// fully offline:
//
//   node test/deploy/standalone-k8s-schemas.mjs <.../v1.37.0-local-strict> <out>/v1.37.0-standalone-strict
//
// Each `<kind>-<group>-<version>.json` gets the definitions it reaches (transitively) inlined
// under `$defs`, with `/api/_definitions.json#/$defs/X` rewritten to `#/$defs/X`. Nothing else
// changes, so what kubeconform checks is exactly what kubernetes-validate checks.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [source, target] = process.argv.slice(2);
if (!source || !target) {
  console.error('usage: standalone-k8s-schemas.mjs <source dir> <target dir>');
  process.exit(2);
}
const SHARED = '/api/_definitions.json#';
const definitions = JSON.parse(readFileSync(join(source, '_definitions.json'), 'utf8')).$defs;
if (!definitions || typeof definitions !== 'object') throw new Error(`no $defs in ${source}/_definitions.json`);

/** Rewrites shared refs to local ones and collects the names of the definitions referred to. */
function localize(node, found) {
  if (Array.isArray(node)) return node.map((item) => localize(item, found));
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      const ref = value.startsWith(SHARED) ? `#${value.slice(SHARED.length)}` : value;
      const match = /^#\/\$defs\/(.+)$/.exec(ref);
      if (!match) throw new Error(`unexpected $ref ${value}`);
      found.add(match[1]);
      out[key] = ref;
    } else {
      out[key] = localize(value, found);
    }
  }
  return out;
}

const tmp = `${target}.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
let count = 0;
for (const file of readdirSync(source)) {
  if (!file.endsWith('.json') || file === '_definitions.json' || file === 'all.json') continue;
  const found = new Set();
  const schema = localize(JSON.parse(readFileSync(join(source, file), 'utf8')), found);
  delete schema.$id;
  const defs = {};
  const queue = [...found];
  while (queue.length > 0) {
    const name = queue.pop();
    if (name in defs) continue;
    if (!(name in definitions)) throw new Error(`${file}: no definition ${name}`);
    const more = new Set();
    defs[name] = localize(definitions[name], more);
    for (const next of more) if (!(next in defs)) queue.push(next);
  }
  if (Object.keys(defs).length > 0) schema.$defs = defs;
  writeFileSync(join(tmp, file), JSON.stringify(schema));
  count++;
}
if (count < 100) throw new Error(`only ${count} schemas in ${source}`);
rmSync(target, { recursive: true, force: true });
renameSync(tmp, target);
console.log(`${count} standalone schemas in ${target}`);
