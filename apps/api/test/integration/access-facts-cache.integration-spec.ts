import { Role } from '@wharf/authz';
import { ACCESS_CHANGES_CHANNEL, listenerName } from '@wharf/db';
import { Client } from 'pg';

import { adminRegistry, createOrganization, createRobot, createUser, grantOf, principalOf, requestToken, unique, type Credentials } from './support/access-fixtures';
import { eventually } from './support/eventually';
import { startTestApp, type TestApp } from './support/test-app';

/*
 * The token service remembers the facts of its access decisions per process and caller
 * (AccessFactsCache) and forgets them on every change of namespaces, visibility, members and
 * teams: at once in the process that made it, through PostgreSQL notices in every other
 * process sharing the database. These tests change access behind a process that has just
 * decided, and cut the notices off.
 */

const ACCESS_LISTENERS = `datname = current_database() AND application_name = '${listenerName(ACCESS_CHANGES_CHANNEL)}'`;

/** The actions a token of `who` grants on `repository` (pull, push and delete asked), sorted. */
async function actions(app: TestApp, who: Credentials | undefined, repository: string): Promise<string> {
  const claims = await grantOf(app, who, `repository:${repository}:pull,push,delete`);
  return [...(claims.find((claim) => claim.name === repository)?.actions ?? [])].sort().join(',');
}

async function onDatabase<T>(app: TestApp, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: app.databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('access facts remembered per process', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    first = await startTestApp({ authenticate: false });
    second = await startTestApp({ authenticate: false, databaseUrl: first.databaseUrl, storageDir: first.config.storageDir, env: first.storageEnv });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('counts a role changed or removed in this process at the next token', async () => {
    const org = unique('facts');
    await createOrganization(first, org);
    const user = await createUser(first);
    const admin = await first.admin();
    const repository = `${org}/app`;
    expect(await actions(first, user, repository)).toBe('');
    await first.identity.organizations.setMember(admin, org, user.username, Role.Developer);
    // Twice: the second decision is made from memory.
    expect(await actions(first, user, repository)).toBe('pull,push');
    expect(await actions(first, user, repository)).toBe('pull,push');
    await first.identity.organizations.setMember(admin, org, user.username, Role.Guest);
    expect(await actions(first, user, repository)).toBe('pull');
    await first.identity.organizations.removeMember(admin, org, user.username);
    expect(await actions(first, user, repository)).toBe('');
  });

  it('sees members, teams, visibility and deletion changed by another process as soon as it has answered', async () => {
    // The writer answers once its own notice of the change is back, by which time this process has it too.
    const org = unique('shared');
    await createOrganization(first, org);
    const user = await createUser(first);
    const repository = `${org}/app`;
    // Pushed: a repository nobody created reads as private, whatever its organization's visibility.
    await (await adminRegistry(first, repository)).pushImage(repository, 'v1');
    const elsewhere = await second.admin();
    expect(await actions(first, user, repository)).toBe('');
    expect(await actions(first, undefined, repository)).toBe('');

    await second.identity.organizations.setMember(elsewhere, org, user.username, Role.Maintainer);
    expect(await actions(first, user, repository)).toBe('delete,pull,push');

    await second.identity.organizations.removeMember(elsewhere, org, user.username);
    expect(await actions(first, user, repository)).toBe('');

    const team = await second.identity.organizations.createTeam(elsewhere, org, { name: 'builders', role: Role.Developer });
    await second.identity.organizations.addTeamMember(elsewhere, org, team.id, user.username);
    expect(await actions(first, user, repository)).toBe('pull,push');
    await second.identity.organizations.updateTeam(elsewhere, org, team.id, { role: Role.Guest });
    expect(await actions(first, user, repository)).toBe('pull');

    await second.identity.organizations.updateSettings(elsewhere, org, { public: true });
    expect(await actions(first, undefined, repository)).toBe('pull');

    await second.identity.organizations.delete(elsewhere, org, true);
    expect(await actions(first, user, repository)).toBe('');
    expect(await actions(first, undefined, repository)).toBe('');
  });

  // The checked credentials a process remembers (CredentialCache, 10 s here) used to outlive
  // a change made through another process for that long: "revoked at once" was only true in
  // the process that revoked.
  it('forgets credentials it checked once another process revokes, disables or changes them', async () => {
    const org = unique('creds');
    await createOrganization(first, org);
    const user = await createUser(first);
    const pat = await first.identity.accounts.createPersonalToken(await principalOf(first, user), { name: 'ci', scope: 'read' });
    const token = { username: user.username, password: pat.secret };
    const robot = await createRobot(first, org, [{ pattern: '**', actions: ['pull'] }]);
    const loginsOf = async (...who: Credentials[]) => Promise.all(who.map(async (credentials) => (await requestToken(first, credentials, [])).status));
    // Checked, then answered from memory.
    expect(await loginsOf(token, robot, user)).toEqual([200, 200, 200]);
    expect(await loginsOf(token, robot, user)).toEqual([200, 200, 200]);

    await second.identity.accounts.revokePersonalToken(await principalOf(second, user), pat.token.id);
    await second.identity.robots.update(await second.admin(), org, robot.id, { disabled: true });
    await second.identity.accounts.updateUser(await second.admin(), user.id, { password: 'a-new-password-for-them' });
    expect(await loginsOf(token, robot, user)).toEqual([401, 401, 401]);
    expect(await loginsOf({ username: user.username, password: 'a-new-password-for-them' })).toEqual([200]);
  });

  it('decides from the database while the notices are cut off, and remembers again once they flow', async () => {
    const org = unique('outage');
    await createOrganization(first, org);
    const user = await createUser(first);
    const repository = `${org}/app`;
    await first.identity.organizations.setMember(await first.admin(), org, user.username, Role.Developer);
    expect(await actions(first, user, repository)).toBe('pull,push');

    // Ends the access-notice connections of both processes; nobody hears the next change.
    expect(await onDatabase(first, async (db) => (await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${ACCESS_LISTENERS}`)).rowCount)).toBe(2);
    await onDatabase(first, (db) => db.query(`UPDATE org_member SET role = 'guest' WHERE user_id = $1`, [user.id]));
    expect(await actions(first, user, repository)).toBe('pull');

    // Listening again (a reconnect after a second): changes are seen as before.
    const listeners = async () => String(await onDatabase(first, async (db) => (await db.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE ${ACCESS_LISTENERS}`)).rows[0]!.n));
    expect(await eventually(listeners, '2', 10_000)).toBe('2');
    expect(await actions(first, user, repository)).toBe('pull');
    await onDatabase(first, (db) => db.query(`UPDATE org_member SET role = 'maintainer' WHERE user_id = $1`, [user.id]));
    expect(await eventually(() => actions(first, user, repository), 'delete,pull,push')).toBe('delete,pull,push');
  });
});
