import { createHash } from 'node:crypto';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  /** Parsed JSON body, when there is one. */
  json<T = unknown>(): T;
  header(name: string): string | undefined;
}

export interface RawRequest {
  readonly method: string;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
  /** Send no token even when the registry has a token provider. */
  readonly anonymous?: boolean;
}

function toRawResponse(res: IncomingMessage, data: Buffer): RawResponse {
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    body: data,
    json: <T>() => JSON.parse(data.toString('utf8')) as T,
    header: (name: string) => {
      const value = res.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

function collect(res: IncomingMessage, resolve: (response: RawResponse) => void, reject: (error: Error) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => resolve(toRawResponse(res, Buffer.concat(chunks))));
  res.on('error', reject);
}

/**
 * Registries the tests talk to as an authenticated client: requests to their origin carry a
 * registry token for the path (see test-app's `authenticate`) unless the test sets its own
 * Authorization header or passes `anonymous`.
 */
export type TokenProvider = (method: string, path: string) => Promise<string>;
const authenticators = new Map<string, TokenProvider>();

export function useTokens(base: string, provider: TokenProvider | undefined): void {
  const origin = new URL(base).origin;
  if (provider) authenticators.set(origin, provider);
  else authenticators.delete(origin);
}

async function withToken(url: string | URL, method: string, headers: Record<string, string>, anonymous = false): Promise<Record<string, string>> {
  if (anonymous || Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) return headers;
  const target = new URL(url);
  const provider = authenticators.get(target.origin);
  if (!provider || !target.pathname.startsWith('/v2')) return headers;
  return { ...headers, Authorization: `Bearer ${await provider(method, target.pathname + target.search)}` };
}

/** One HTTP request with node:http, so tests control every header (no fetch niceties). */
export async function send(url: string, { method, headers = {}, body, anonymous }: RawRequest): Promise<RawResponse> {
  const authorized = await withToken(url, method, headers, anonymous);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: authorized }, (res) => collect(res, resolve, reject));
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/**
 * Like send(), but the path goes on the wire exactly as written: a URL string would be
 * normalised first (`a/../b` and `a/%2e%2e/b` become `b`), hiding what the server does.
 * Uses a fresh connection, so a server closing it cannot affect other requests.
 */
export async function sendPath(base: string, path: string, { method, headers = {}, body, anonymous }: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  const authorized = await withToken(new URL(path.startsWith('/') ? path : `/${path}`, base).origin + path, method, headers, anonymous).catch(() => headers);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method, headers: authorized, agent: false }, (res) => collect(res, resolve, reject));
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** A request whose body the test writes piece by piece, and may never finish. */
export interface OpenRequest {
  /** Resolves when the server has answered (whatever was sent so far). */
  readonly response: Promise<RawResponse>;
  /** True once response headers arrived. */
  answered(): boolean;
  /** Writes a piece of body; resolves once it is handed to the socket. */
  write(chunk: Buffer | string): Promise<void>;
  end(): void;
  /** Drops the connection, as a client that crashed mid-request. */
  abort(): void;
}

/**
 * Sends the request line and headers at once, then lets the test decide about the body.
 * Pass the Authorization header yourself (see test-app's `authorization`).
 */
export function openRequest(url: string, { method, headers = {} }: Omit<RawRequest, 'body'>): OpenRequest {
  let answered = false;
  let req!: ClientRequest;
  const response = new Promise<RawResponse>((resolve, reject) => {
    req = httpRequest(url, { method, headers, agent: false }, (res) => {
      answered = true;
      collect(res, resolve, reject);
    });
    req.on('error', reject);
  });
  response.catch(() => undefined); // aborting is expected; callers that await still see the error
  req.flushHeaders();
  return {
    response,
    answered: () => answered,
    write: (chunk) => new Promise<void>((resolve) => (req.write(chunk) ? resolve() : req.once('drain', () => resolve()))),
    end: () => req.end(),
    abort: () => req.destroy(),
  };
}

export const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
export const sha512 = (data: Buffer | string) => `sha512:${createHash('sha512').update(data).digest('hex')}`;

export interface OciErrorJson {
  errors: { code: string; message?: string; detail?: unknown }[];
}

/** Error codes of an OCI error body. */
export const codesOf = (response: RawResponse) => response.json<OciErrorJson>().errors.map((e) => e.code);

/** Expects an OCI error answer: this status, and this one code in its body. */
export function expectError(response: RawResponse, status: number, code: string): void {
  expect({ status: response.status, codes: codesOf(response) }).toEqual({ status, codes: [code] });
}

/** A small registry client over raw HTTP, for setting up state in tests. */
export class RegistryClient {
  constructor(readonly base: string) {}

  request(path: string, init: RawRequest): Promise<RawResponse> {
    return send(`${this.base}${path}`, init);
  }

  /** A request whose path is sent verbatim (no `..` / `%2e` normalisation); see sendPath. */
  raw(path: string, init: RawRequest): Promise<RawResponse> {
    return sendPath(this.base, path, init);
  }

  /** Resolves an upload Location (relative) against the registry. */
  url(location: string): string {
    return new URL(location, this.base).toString();
  }

  async startUpload(name: string): Promise<string> {
    const response = await this.request(`/v2/${name}/blobs/uploads/`, { method: 'POST' });
    if (response.status !== 202) throw new Error(`POST uploads: ${response.status} ${response.body.toString()}`);
    return response.header('location')!;
  }

  /** Monolithic upload (POST then PUT); returns the digest. */
  async pushBlob(name: string, data: Buffer | string): Promise<string> {
    const digest = sha256(data);
    const location = await this.startUpload(name);
    const target = new URL(location, this.base);
    target.searchParams.set('digest', digest);
    const response = await send(target.toString(), { method: 'PUT', body: data, headers: { 'Content-Type': 'application/octet-stream' } });
    if (response.status !== 201) throw new Error(`PUT blob: ${response.status} ${response.body.toString()}`);
    return digest;
  }

  /** Pushes a config and layers and an OCI image manifest referencing them. */
  async pushImage(name: string, reference: string, layers: (Buffer | string)[] = ['layer'], extra: Record<string, unknown> = {}): Promise<{ digest: string; manifest: Buffer }> {
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
    const configDigest = await this.pushBlob(name, config);
    const layerDescriptors = [];
    for (const layer of layers) {
      const digest = await this.pushBlob(name, layer);
      layerDescriptors.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest, size: Buffer.byteLength(layer) });
    }
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
        layers: layerDescriptors,
        ...extra,
      }),
    );
    const response = await this.putManifest(name, reference, manifest);
    if (response.status !== 201) throw new Error(`PUT manifest: ${response.status} ${response.body.toString()}`);
    return { digest: sha256(manifest), manifest };
  }

  putManifest(name: string, reference: string, manifest: Buffer | string, contentType = 'application/vnd.oci.image.manifest.v1+json'): Promise<RawResponse> {
    return this.request(`/v2/${name}/manifests/${reference}`, { method: 'PUT', body: manifest, headers: { 'Content-Type': contentType } });
  }
}
