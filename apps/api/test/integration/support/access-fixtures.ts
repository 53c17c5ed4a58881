import { randomBytes } from 'node:crypto';

import type { Role, RobotRule, UserPrincipal } from '@wharf/authz';
import { UsersRepository } from '@wharf/db';
import type { AccessClaim } from '@wharf/oci';
import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';

import { userPrincipal } from '../../../src/access/access.service';
import { send, sha256, type OciErrorJson, type RawRequest, type RawResponse } from './registry-client';
import { ADMIN_PASSWORD, type TestApp } from './test-app';

/**
 * People, robots and tokens for access-control tests: every request states its own
 * credentials, so an app started with `{ authenticate: false }` never adds an admin token.
 */

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export const ADMIN: Credentials = { username: 'admin', password: ADMIN_PASSWORD };

/** The password of every user these helpers create. */
export const USER_PASSWORD = 'correct-horse-battery';

export const basic = (credentials: Credentials) => `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;

/** A name nobody else in the database uses. */
export const unique = (prefix: string) => `${prefix}${randomBytes(4).toString('hex')}`;

export interface TestUser extends Credentials {
  readonly id: string;
}

export async function createUser(app: TestApp, name = unique('user')): Promise<TestUser> {
  const row = await app.identity.accounts.createUser(await app.admin(), { name, password: USER_PASSWORD });
  return { id: row.id, username: name, password: USER_PASSWORD };
}

/** The user as a principal, for calling identity services on their behalf. */
export async function principalOf(app: TestApp, user: TestUser): Promise<UserPrincipal> {
  const row = await app.app.get(UsersRepository).findById(user.id);
  if (!row) throw new Error(`no user ${user.username}`);
  return userPrincipal(row);
}

/** An organization created by the system administrator (who becomes its admin). */
export async function createOrganization(app: TestApp, name: string, options: { public?: boolean } = {}): Promise<void> {
  await app.identity.organizations.create(await app.admin(), { name, ...options });
}

/** A new user holding `role` in `organization`. */
export async function userWithRole(app: TestApp, organization: string, role: Role, name?: string): Promise<TestUser> {
  const user = await createUser(app, name);
  await app.identity.organizations.setMember(await app.admin(), organization, user.username, role);
  return user;
}

export interface TestRobot extends Credentials {
  readonly id: string;
}

/** A robot of `organization`, created by the system administrator. */
export async function createRobot(app: TestApp, organization: string, rules: readonly RobotRule[], name = unique('robot')): Promise<TestRobot> {
  const created = await app.identity.robots.create(await app.admin(), organization, { name, rules });
  return { id: created.robot.id, username: created.username, password: created.secret };
}

/** GET /token exactly as docker sends it; the raw answer. */
export async function requestToken(app: TestApp, credentials: Credentials | undefined, scopes: readonly string[], params: Record<string, string> = {}): Promise<RawResponse> {
  const query = new URLSearchParams({ service: 'wharf', ...params });
  for (const scope of scopes) query.append('scope', scope);
  return send(`${app.url}/token?${query}`, { method: 'GET', headers: credentials ? { Authorization: basic(credentials) } : {} });
}

/** POST /token with a form (the OAuth2 grants); the raw answer. */
export function postToken(app: TestApp, form: Record<string, string>): Promise<RawResponse> {
  return send(`${app.url}/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
}

/** A registry token for these credentials (anonymous when undefined) and scopes. */
export async function tokenFor(app: TestApp, credentials: Credentials | undefined, ...scopes: string[]): Promise<string> {
  const response = await requestToken(app, credentials, scopes);
  if (response.status !== 200) throw new Error(`GET /token as ${credentials?.username ?? 'anonymous'}: ${response.status} ${response.body.toString()}`);
  return response.json<{ token: string }>().token;
}

export interface RegistryTokenPayload extends JWTPayload {
  readonly access: AccessClaim[];
  readonly principal: string;
}

/** Header and claims of a JWT, without verifying it. */
export function decodeToken(token: string): { header: ProtectedHeaderParameters; payload: RegistryTokenPayload } {
  return { header: decodeProtectedHeader(token), payload: decodeJwt(token) as RegistryTokenPayload };
}

/** What the token service grants these credentials for these scopes. */
export async function grantOf(app: TestApp, credentials: Credentials | undefined, ...scopes: string[]): Promise<AccessClaim[]> {
  return decodeToken(await tokenFor(app, credentials, ...scopes)).payload.access;
}

/** The parameters of a `WWW-Authenticate: Bearer ...` challenge. */
export function challengeOf(response: RawResponse): Record<string, string> {
  const header = response.header('www-authenticate') ?? '';
  if (!header.startsWith('Bearer ')) throw new Error(`not a Bearer challenge: ${header}`);
  return Object.fromEntries([...header.slice('Bearer '.length).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

/** Expects a 401 insufficient_scope asking for exactly `scope`. */
export function expectInsufficientScope(response: RawResponse, scope: string): void {
  expect(response.status).toBe(401);
  expect(response.json<OciErrorJson>().errors.map((e) => e.code)).toEqual(['UNAUTHORIZED']);
  expect(challengeOf(response)).toMatchObject({ service: 'wharf', scope, error: 'insufficient_scope' });
}

/** Expects a 401 for a token that is not valid at all. */
export function expectInvalidToken(response: RawResponse): void {
  expect(response.status).toBe(401);
  if (response.body.length > 0) expect(response.json<OciErrorJson>().errors.map((e) => e.code)).toEqual(['UNAUTHORIZED']);
  expect(challengeOf(response)).toMatchObject({ service: 'wharf', error: 'invalid_token' });
}

/**
 * /v2 requests carrying exactly one token (or none): nothing is added behind the test's
 * back. `push*` helpers expect success and throw with the answer otherwise.
 */
export class Registry {
  constructor(
    readonly base: string,
    readonly token: string | undefined,
  ) {}

  request(path: string, init: Omit<RawRequest, 'anonymous'> = { method: 'GET' }): Promise<RawResponse> {
    const headers = { ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}), ...init.headers };
    return send(`${this.base}${path}`, { ...init, headers, anonymous: true });
  }

  /** POST /blobs/uploads/; the raw answer. */
  startUpload(name: string, query = ''): Promise<RawResponse> {
    return this.request(`/v2/${name}/blobs/uploads/${query}`, { method: 'POST' });
  }

  async pushBlob(name: string, data: Buffer | string): Promise<string> {
    const digest = sha256(data);
    const started = await this.startUpload(name);
    if (started.status !== 202) throw new Error(`POST uploads to ${name}: ${started.status} ${started.body.toString()}`);
    const location = new URL(started.header('location')!, this.base);
    location.searchParams.set('digest', digest);
    const done = await this.request(location.pathname + location.search, { method: 'PUT', body: data, headers: { 'Content-Type': 'application/octet-stream' } });
    if (done.status !== 201) throw new Error(`PUT blob to ${name}: ${done.status} ${done.body.toString()}`);
    return digest;
  }

  /** A config, `layers` and an OCI image manifest tagged `reference`; its digest and its layers' digests. */
  async pushImage(name: string, reference: string, layers: readonly string[] = [unique('layer-')]): Promise<{ digest: string; layers: string[] }> {
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
    const configDigest = await this.pushBlob(name, config);
    const layerDigests: string[] = [];
    for (const layer of layers) layerDigests.push(await this.pushBlob(name, layer));
    const manifest = this.manifest(configDigest, config.length, layers, layerDigests);
    const response = await this.putManifest(name, reference, manifest);
    if (response.status !== 201) throw new Error(`PUT manifest ${name}:${reference}: ${response.status} ${response.body.toString()}`);
    return { digest: sha256(manifest), layers: layerDigests };
  }

  putManifest(name: string, reference: string, manifest: Buffer | string): Promise<RawResponse> {
    return this.request(`/v2/${name}/manifests/${reference}`, { method: 'PUT', body: manifest, headers: { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' } });
  }

  /** An image manifest referencing nothing that needs to exist (its blobs are checked later). */
  manifest(configDigest: string, configSize: number, layers: readonly string[], layerDigests: readonly string[]): Buffer {
    return Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: configSize },
        layers: layers.map((layer, i) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigests[i], size: Buffer.byteLength(layer) })),
      }),
    );
  }
}

/** The registry as whoever holds `token` (anonymous without one). */
export const registryAs = (app: TestApp, token: string | undefined) => new Registry(app.url, token);

/** The registry as the system administrator, with every action on `repositories`. */
export async function adminRegistry(app: TestApp, ...repositories: string[]): Promise<Registry> {
  return registryAs(app, await tokenFor(app, ADMIN, ...repositories.map((name) => `repository:${name}:pull,push,delete`)));
}
