import { createHash } from 'node:crypto';

/** Every manifest type a client may have pushed. */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly artifactType?: string;
  readonly platform?: { readonly os: string; readonly architecture: string; readonly variant?: string };
  readonly annotations?: Record<string, string>;
}

export interface ImageManifest {
  readonly schemaVersion: number;
  readonly mediaType?: string;
  readonly artifactType?: string;
  readonly config: Descriptor;
  readonly layers: Descriptor[];
  readonly subject?: Descriptor;
}

export interface IndexManifest {
  readonly schemaVersion: number;
  readonly mediaType?: string;
  readonly manifests: Descriptor[];
}

export interface FetchedManifest {
  readonly digest: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

export const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** Plain HTTP checks against the registry API, independent of any client. */
export class RegistryApi {
  constructor(readonly url: string) {}

  request(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, { redirect: 'follow', ...init });
  }

  /** GETs a manifest; fails unless 200 and the served digest matches the bytes. */
  async manifest(name: string, reference: string): Promise<FetchedManifest> {
    const response = await this.request(`/v2/${name}/manifests/${reference}`, { headers: { Accept: MANIFEST_ACCEPT } });
    const bytes = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200) throw new Error(`GET /v2/${name}/manifests/${reference}: ${response.status} ${bytes.toString('utf8').slice(0, 300)}`);
    const digest = sha256(bytes);
    const header = response.headers.get('docker-content-digest');
    if (header !== digest) throw new Error(`GET /v2/${name}/manifests/${reference}: Docker-Content-Digest ${header} but the body hashes to ${digest}`);
    return { digest, contentType: response.headers.get('content-type') ?? '', bytes };
  }

  async manifestStatus(name: string, reference: string): Promise<number> {
    const response = await this.request(`/v2/${name}/manifests/${reference}`, { method: 'HEAD', headers: { Accept: MANIFEST_ACCEPT } });
    return response.status;
  }

  async tags(name: string): Promise<string[]> {
    const response = await this.request(`/v2/${name}/tags/list`);
    if (response.status !== 200) throw new Error(`GET /v2/${name}/tags/list: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { tags: string[] | null }).tags ?? [];
  }

  /** HEAD of a blob: status and Content-Length. */
  async blobHead(name: string, digest: string): Promise<{ status: number; size: number | undefined }> {
    const response = await this.request(`/v2/${name}/blobs/${digest}`, { method: 'HEAD' });
    const length = response.headers.get('content-length');
    return { status: response.status, size: length === null ? undefined : Number(length) };
  }

  async blob(name: string, digest: string): Promise<Buffer> {
    const response = await this.request(`/v2/${name}/blobs/${digest}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200) throw new Error(`GET /v2/${name}/blobs/${digest}: ${response.status} ${bytes.toString('utf8').slice(0, 300)}`);
    return bytes;
  }

  async referrers(name: string, digest: string): Promise<IndexManifest> {
    const response = await this.request(`/v2/${name}/referrers/${digest}`);
    if (response.status !== 200) throw new Error(`GET /v2/${name}/referrers/${digest}: ${response.status} ${await response.text()}`);
    return (await response.json()) as IndexManifest;
  }
}
