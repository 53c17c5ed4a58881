import { Role, ROLES } from '@wharf/authz';

import { ADMIN, createRobot, createUser, principalOf, unique, type TestRobot, type TestUser } from './access-fixtures';
import { ApiClient, errorCode, type ApiErrorJson, type ApiResponse } from './api-client';
import type { TestApp } from './test-app';

/**
 * Callers of the management API for permission tests on organizations: one user for each
 * Harbor role, a signed-in non-member, anonymous, a robot (which has no way in: no session,
 * no personal access token) and an organization admin's read-only personal access token.
 * Each test gets a fresh organization in which the cast holds its roles.
 */

export type Who = 'anonymous' | 'robot' | 'non-member' | Role | 'admin read token';

/** Refusals first, the organization admin last: a write that succeeds changes the organization. */
export const EVERY_CALLER: readonly Who[] = ['anonymous', 'robot', 'non-member', ...ROLES.filter((role) => role !== Role.Admin), 'admin read token', Role.Admin];

const rank = (role: Role) => ROLES.indexOf(role);

export interface Operation {
  readonly name: string;
  /** `anyone` endpoints answer anonymous callers like non-members; the others answer 401. */
  readonly audience: 'anyone' | 'signed-in';
  /** The weakest role allowed. */
  readonly minimum: Role;
  /** Whether it only reads (then a read-only token may call it). */
  readonly reads: boolean;
  /** The status of a success. */
  readonly ok: number;
  call(client: ApiClient, org: OrgUnderTest): Promise<ApiResponse>;
}

/** What `who` should be answered. */
export function expectedStatus(operation: Operation, who: Who): number {
  switch (who) {
    case 'anonymous':
      return operation.audience === 'anyone' ? 404 : 401;
    case 'robot':
      return 401;
    case 'non-member':
      return 404;
    case 'admin read token':
      return operation.reads ? operation.ok : 403;
    default:
      return rank(who) >= rank(operation.minimum) ? operation.ok : 403;
  }
}

/** An organization made for one test, with a team, a robot, and users to act on. */
export interface OrgUnderTest {
  readonly name: string;
  /** A team (role guest) holding `teamMember`. */
  readonly teamId: string;
  readonly teamMember: TestUser;
  readonly robot: TestRobot;
  /** A guest, to be removed or changed. */
  readonly member: TestUser;
  /** A user who belongs to nothing here, to be added. */
  readonly outsider: TestUser;
}

export class Cast {
  private constructor(
    readonly app: TestApp,
    readonly users: Readonly<Record<Role | 'non-member', TestUser>>,
    readonly clients: Readonly<Record<Who, ApiClient>>,
    /** Users acted upon (members to remove, outsiders to add). */
    private readonly extras: { teamMember: TestUser; member: TestUser; outsider: TestUser },
  ) {}

  static async create(app: TestApp): Promise<Cast> {
    const users = {} as Record<Role | 'non-member', TestUser>;
    const clients = {} as Record<Who, ApiClient>;
    for (const who of [...ROLES, 'non-member'] as const) {
      users[who] = await createUser(app, unique(who === 'non-member' ? 'outside' : who.replace('-', '')));
      clients[who] = await new ApiClient(app.url).signIn(users[who].username, users[who].password);
    }
    clients.anonymous = new ApiClient(app.url);
    const token = await app.identity.accounts.createPersonalToken(await principalOf(app, users[Role.Admin]), { name: unique('read'), scope: 'read' });
    clients['admin read token'] = new ApiClient(app.url).withToken(token.secret);
    const extras = { teamMember: await createUser(app), member: await createUser(app), outsider: await createUser(app) };
    const cast = new Cast(app, users, clients, extras);
    return cast;
  }

  /**
   * A fresh private organization: the cast holds their roles, and it has a team, a robot
   * and a guest. The robot client (filled in here) holds that robot's secret.
   */
  async organization(prefix = 'org'): Promise<OrgUnderTest> {
    const { app } = this;
    const admin = await app.admin();
    const name = unique(prefix);
    await app.identity.organizations.create(admin, { name });
    for (const role of ROLES) await app.identity.organizations.setMember(admin, name, this.users[role].username, role);
    await app.identity.organizations.setMember(admin, name, this.extras.member.username, Role.Guest);
    const team = await app.identity.organizations.createTeam(admin, name, { name: 'builders', role: Role.Guest });
    await app.identity.organizations.addTeamMember(admin, name, team.id, this.extras.teamMember.username);
    const robot = await createRobot(app, name, [{ pattern: '**', actions: ['pull', 'push'] }], 'ci');
    (this.clients as Record<Who, ApiClient>).robot = new ApiClient(app.url).withToken(robot.password);
    return { name, teamId: team.id, teamMember: this.extras.teamMember, robot, member: this.extras.member, outsider: this.extras.outsider };
  }

  /**
   * Runs `operation` as every caller on a fresh organization: each refusal must leave the
   * organization exactly as it was, and the organization admin's call must succeed.
   */
  async sweep(operation: Operation): Promise<Record<Who, number>> {
    const org = await this.organization();
    const seen = {} as Record<Who, number>;
    for (const who of EVERY_CALLER) {
      const expected = expectedStatus(operation, who);
      const before = await organizationRows(this.app, org.name);
      const response = await operation.call(this.clients[who], org);
      seen[who] = response.status;
      if (response.status !== expected) throw new Error(`${operation.name} as ${who}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body)}`);
      if (expected >= 400) {
        expect(errorCode(response)).toBe({ 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' }[expected]);
        expect(await organizationRows(this.app, org.name)).toEqual(before);
      }
    }
    return seen;
  }
}

/**
 * Every row of an organization, as sorted strings: the namespace, members, teams and their
 * members, robots (with their secret hashes) and repositories.
 */
export async function organizationRows(app: TestApp, name: string): Promise<string[]> {
  const rows = await app.query<{ v: string }>(
    `WITH ns AS (SELECT id FROM namespace WHERE name = $1)
     SELECT 'namespace ' || n.name || ' ' || n.public || ' ' || n.description AS v FROM namespace n WHERE n.id IN (SELECT id FROM ns)
     UNION ALL SELECT 'member ' || user_id || ' ' || role FROM org_member WHERE namespace_id IN (SELECT id FROM ns)
     UNION ALL SELECT 'team ' || id || ' ' || name || ' ' || role FROM team WHERE namespace_id IN (SELECT id FROM ns)
     UNION ALL SELECT 'team member ' || tm.team_id || ' ' || tm.user_id FROM team_member tm JOIN team t ON t.id = tm.team_id WHERE t.namespace_id IN (SELECT id FROM ns)
     UNION ALL SELECT 'robot ' || id || ' ' || name || ' ' || secret_hash || ' ' || rules::text || ' ' || disabled || ' ' || COALESCE(expires_at::text, '-') || ' ' || description
                 FROM robot WHERE namespace_id IN (SELECT id FROM ns)
     UNION ALL SELECT 'repository ' || name FROM repository WHERE namespace_id IN (SELECT id FROM ns)
     ORDER BY 1`,
    [name],
  );
  return rows.map((row) => row.v);
}

/** The system administrator, signed in. */
export const adminClient = (app: TestApp) => new ApiClient(app.url).signIn(ADMIN.username, ADMIN.password);

/** A personal access token of `user` with `scope`, as an API client. */
export async function tokenClient(app: TestApp, user: TestUser, scope: 'read' | 'read-write' | 'read-write-delete', limits: { namespaces?: string[] } = {}): Promise<ApiClient> {
  const created = await app.identity.accounts.createPersonalToken(await principalOf(app, user), { name: unique('token'), scope, ...limits });
  return new ApiClient(app.url).withToken(created.secret);
}

/** The API error of a response. */
export const errorOf = (response: ApiResponse) => (response.body as ApiErrorJson).error;

/** Expects a 400 naming `field`. */
export function expectInvalid(response: ApiResponse, field: string): void {
  expect({ status: response.status, code: errorCode(response), field: errorOf(response)?.field }).toEqual({ status: 400, code: 'validation_failed', field });
}
