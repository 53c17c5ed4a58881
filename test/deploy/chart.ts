// Rendering and validating the Helm chart infra/deploy/helm/wharf with the real helm and
// kubeconform (offline schemas from ensure-deploy-tools.sh).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chartDir, dataFile, kubernetesVersions, parseYamlStream, run, tool, type Result } from './tools';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; annotations?: Record<string, string> }; [key: string]: any };

export const ciValues = (name: string): string => join(chartDir, 'ci', `${name}-values.yaml`);

/** `helm template` of the chart; `values` are files, `set` are --set pairs. */
export function helmTemplate(values: string[] = [], set: string[] = []): Result {
  return run(tool('helm'), ['template', 'wharf-test', chartDir, '--namespace', 'registry', ...values.flatMap((v) => ['-f', v]), ...set.flatMap((s) => ['--set', s])]);
}

export interface Rendered {
  readonly yaml: string;
  readonly objects: K8sObject[];
  one(kind: string): K8sObject;
  all(kind: string): K8sObject[];
}

export function render(values: string[] = [], set: string[] = []): Rendered {
  const result = helmTemplate(values, set);
  if (result.status !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  const objects = parseYamlStream(result.stdout) as K8sObject[];
  const all = (kind: string) => objects.filter((o) => o.kind === kind);
  return {
    yaml: result.stdout,
    objects,
    all,
    one: (kind: string) => {
      const found = all(kind);
      if (found.length !== 1) throw new Error(`expected one ${kind}, rendered ${found.length}: ${objects.map((o) => o.kind).join(', ')}`);
      return found[0]!;
    },
  };
}

export interface KubeconformReport {
  readonly status: number;
  readonly output: string;
  readonly resources: Array<{ kind: string; name: string; status: string; msg: string }>;
}

/** kubeconform -strict over manifests, against the offline schemas of one Kubernetes version. */
export function kubeconform(manifests: string, kubernetesVersion: string): KubeconformReport {
  if (!kubernetesVersions.includes(kubernetesVersion)) throw new Error(`no schemas installed for Kubernetes ${kubernetesVersion}`);
  const schemas = dataFile('k8s-schemas');
  const dir = mkdtempSync(join(tmpdir(), 'wharf-kubeconform-'));
  try {
    const file = join(dir, 'manifests.yaml');
    writeFileSync(file, manifests);
    const result = run(tool('kubeconform'), [
      '-strict',
      '-verbose',
      '-output', 'json',
      '-kubernetes-version', kubernetesVersion,
      // Only the local folder: kubeconform's default (GitHub) is not reachable, and a kind with
      // no schema there must fail, not be skipped.
      '-schema-location', `${schemas}/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
      file,
    ]);
    const parsed = JSON.parse(result.stdout || '{"resources":[]}') as { resources: KubeconformReport['resources'] };
    return { status: result.status, output: result.stdout + result.stderr, resources: parsed.resources };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The container's environment as Kubernetes would build it from envFrom (ConfigMap + Secret). */
export function containerEnvironment(rendered: Rendered, secretData?: Record<string, string>): Record<string, string> {
  const container = rendered.one('Deployment').spec.template.spec.containers[0];
  const env: Record<string, string> = {};
  for (const source of container.envFrom as Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>) {
    if (source.configMapRef) {
      const map = rendered.all('ConfigMap').find((c) => c.metadata.name === source.configMapRef!.name);
      if (!map) throw new Error(`envFrom names ConfigMap ${source.configMapRef.name}, which the chart does not render`);
      Object.assign(env, map.data);
    }
    if (source.secretRef) {
      const secret = rendered.all('Secret').find((s) => s.metadata.name === source.secretRef!.name);
      if (secret) {
        for (const [key, value] of Object.entries(secret.data as Record<string, string>)) env[key] = Buffer.from(value, 'base64').toString('utf8');
      } else if (secretData) {
        Object.assign(env, secretData);
      } else {
        throw new Error(`envFrom names Secret ${source.secretRef.name}, which the chart does not render`);
      }
    }
  }
  for (const item of (container.env ?? []) as Array<{ name: string; value?: string }>) env[item.name] = item.value ?? '';
  return env;
}
