import { createHash } from 'node:crypto';

import { adminCredentials, type Credentials } from './credentials';

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

/** The parameters of a `WWW-Authenticate: Bearer ...` challenge; undefined for any other. */
export function bearerChallenge(header: string | null): Record<string, string> | undefined {
  if (!header || !/^Bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const [, name, value] of header.slice(7).matchAll(/([A-Za-z_]+)="((?:[^"\\]|\\.)*)"/g)) params[name!.toLowerCase()] = value!.replace(/\\(.)/g, '$1');
  return params.realm ? params : undefined;
}

/**
 * The token scope a /v2 request needs, as a client knows it before it asks: pull to read,
 * pull and push to write, delete to delete; no scope for `/v2/`. Undefined outside /v2.
 */
export function scopeOf(method: string, pathname: string): string | undefined {
  if (pathname === '/v2' || pathname === '/v2/') return '';
  if (pathname === '/v2/_catalog') return 'registry:catalog:*';
  const match = /^\/v2\/(.+)\/(blobs|manifests|tags|referrers)\//.exec(pathname);
  if (!match) return undefined;
  const upload = pathname.startsWith(`/v2/${match[1]}/blobs/uploads/`);
  const actions = method === 'GET' || method === 'HEAD' ? 'pull' : method === 'DELETE' && !upload ? 'delete' : 'pull,push';
  return `repository:${match[1]}:${actions}`;
}

interface CachedToken {
  readonly header: string;
  readonly expiresAt: number;
}

/** A token is reused until this long before it expires. */
const RENEW_BEFORE_MS = 30_000;

/**
 * Plain HTTP checks against the registry API, independent of any client, through the
 * Docker token flow as a client does it: for each request it takes a token for the scope the
 * request needs from the realm the registry's `/v2/` challenge names (Basic credentials, or
 * none for an anonymous caller), keeps it per scope until shortly before it expires, and on a
 * 401 Bearer challenge fetches one for the challenge's scope and sends the request once more.
 */
export class RegistryApi {
  private realm: Promise<{ realm: string; service: string }> | undefined;
  private readonly tokens = new Map<string, CachedToken>();

  /** `credentials` null: an anonymous client. */
  constructor(
    readonly url: string,
    readonly credentials: Credentials | null = adminCredentials(),
  ) {}

  /** A path of this registry (`/v2/...`), with the token flow. */
  request(path: string, init: RequestInit = {}): Promise<Response> {
    return this.fetch(`${this.url}${path}`, init);
  }

  /**
   * fetch() with the token flow, for a URL of this registry or of another process serving
   * the same registry (a token from one is valid on all of them).
   */
  async fetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(input);
    const method = (init.method ?? 'GET').toUpperCase();
    const scope = scopeOf(method, url.pathname);
    const send = (authorization?: string) => {
      const headers = new Headers(init.headers);
      if (authorization) headers.set('Authorization', authorization);
      return fetch(url, { redirect: 'follow', ...init, headers });
    };
    if (scope === undefined) return send();
    const response = await send(await this.authorization(scope));
    const challenge = response.status === 401 ? bearerChallenge(response.headers.get('www-authenticate')) : undefined;
    // A streamed body cannot be sent twice.
    if (!challenge || init.body instanceof ReadableStream) return response;
    await response.arrayBuffer();
    return send(await this.authorization(challenge.scope ?? '', true));
  }

  /** The Authorization header value for a request (e.g. to use with node:http). */
  async authorizationFor(method: string, input: string | URL): Promise<string> {
    const scope = scopeOf(method.toUpperCase(), new URL(input).pathname);
    if (scope === undefined) throw new Error(`${String(input)} is not a /v2 URL`);
    return this.authorization(scope);
  }

  /**
   * Renews every token held now, as a client does at the start of a session: what follows
   * (e.g. a dependency outage) runs on tokens that stay valid for their whole lifetime.
   */
  async renewTokens(): Promise<void> {
    for (const scope of [...this.tokens.keys()]) await this.authorization(scope, true);
  }

  /** `Bearer <token>` for a scope (space-separated scopes; '' for none). */
  async authorization(scope: string, fresh = false): Promise<string> {
    const cached = this.tokens.get(scope);
    if (!fresh && cached && cached.expiresAt - RENEW_BEFORE_MS > Date.now()) return cached.header;
    this.realm ??= this.discoverRealm().catch((error: Error) => {
      this.realm = undefined;
      throw error;
    });
    const { realm, service } = await this.realm;
    const query = new URLSearchParams({ service });
    for (const one of scope.split(' ').filter(Boolean)) query.append('scope', one);
    const headers: Record<string, string> = {};
    if (this.credentials) headers.Authorization = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
    const started = Date.now();
    const response = await fetch(`${realm}?${query}`, { headers });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`GET ${realm}?${query}: ${response.status} ${text.slice(0, 300)}`);
    const body = JSON.parse(text) as { token?: string; access_token?: string; expires_in?: number };
    const token = body.token ?? body.access_token;
    if (!token) throw new Error(`GET ${realm}?${query}: no token in ${text.slice(0, 300)}`);
    const header = `Bearer ${token}`;
    this.tokens.set(scope, { header, expiresAt: started + (body.expires_in ?? 60) * 1000 });
    return header;
  }

  private async discoverRealm(): Promise<{ realm: string; service: string }> {
    const response = await fetch(`${this.url}/v2/`);
    await response.arrayBuffer();
    const challenge = bearerChallenge(response.headers.get('www-authenticate'));
    if (response.status !== 401 || !challenge) throw new Error(`GET ${this.url}/v2/: expected 401 with a Bearer challenge, got ${response.status} ${response.headers.get('www-authenticate')}`);
    return { realm: challenge.realm!, service: challenge.service ?? '' };
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
