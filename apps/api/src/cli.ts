import 'reflect-metadata';

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { isRole, REPOSITORY_ACTIONS, TOKEN_SCOPES, type Principal, type RepositoryAction, type Role, type RobotRule, type TokenScope } from '@wharf/authz';
import { UsersRepository } from '@wharf/db';

import { userPrincipal } from './access/access.service';
import { SigningKeys } from './auth/signing-keys';
import { ConfigError, loadConfig, WHARF_CONFIG, type WharfConfig } from './config/config';
import { DATABASE_URL, DatabaseModule } from './database/database.module';
import { AccountsService } from './identity/accounts.service';
import { IdentityError } from './identity/errors';
import { IdentityModule } from './identity/identity.module';
import { OrganizationsService } from './identity/organizations.service';
import { RobotsService } from './identity/robots.service';

const USAGE = `wharf administration (runs beside the server, on the same configuration)

  user create <name> [--admin] [--email <e>]     password from WHARF_CLI_PASSWORD or --password
  user disable|enable|delete <name>
  user admin <name> on|off
  org create <name> [--public] [--owner <user>] [--description <text>]
  org visibility <org> public|private
  org member <org> <user> <role>                  role: limited-guest guest developer maintainer admin
  org remove-member <org> <user>
  team create <org> <team> <role>
  team add <org> <team> <user>
  robot create <org> <name> --rule <glob>=<actions> [--rule ...] [--expires <days>]
                                                  e.g. --rule 'app/*=pull,push'; prints the secret once
  token create <user> <name> [--scope read|read-write|read-write-delete] [--namespace <n>]...
               [--repository <glob>]... [--expires <days>]   prints the secret once
  signing-key rotate
  settings self-registration on|off

Every command acts as the user named by --as (default admin), with that user's rights.
Output is one JSON object per command.`;

@Module({})
class CliModule {
  static forRoot(config: WharfConfig, databaseUrl: string): DynamicModule {
    return {
      module: CliModule,
      global: true,
      imports: [DatabaseModule, IdentityModule],
      providers: [
        { provide: WHARF_CONFIG, useValue: config },
        { provide: DATABASE_URL, useValue: databaseUrl },
      ],
      exports: [WHARF_CONFIG, DATABASE_URL],
    };
  }
}

class UsageError extends Error {}

/** The running server's database: DATABASE_URL, or the embedded PostgreSQL under the data directory. */
function databaseUrlOf(config: WharfConfig): string {
  if (config.databaseUrl) return config.databaseUrl;
  const dir = join(config.dataDir, 'postgres');
  const pidFile = join(dir, 'cluster', 'postmaster.pid');
  if (!existsSync(pidFile)) throw new UsageError(`no embedded PostgreSQL is running under ${dir}: start Wharf first (npm start), or set DATABASE_URL`);
  // postmaster.pid: pid, data dir, start time, port, ...
  const port = readFileSync(pidFile, 'utf8').split('\n')[3]?.trim();
  const password = readFileSync(join(dir, 'password'), 'utf8').trim();
  return `postgres://wharf:${encodeURIComponent(password)}@127.0.0.1:${port}/wharf`;
}

function days(value: string | undefined): Date | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError('--expires takes a positive number of days');
  return new Date(Date.now() + n * 86_400_000);
}

function parseRule(value: string): RobotRule {
  const [pattern, actions] = value.split('=');
  const list = (actions ?? '').split(',').filter(Boolean);
  if (!pattern || list.length === 0 || !list.every((a) => REPOSITORY_ACTIONS.includes(a as RepositoryAction))) throw new UsageError(`--rule takes <glob>=<pull,push,delete>, got ${value}`);
  return { pattern, actions: list as RepositoryAction[] };
}

function onOff(value: string | undefined): boolean {
  if (value !== 'on' && value !== 'off') throw new UsageError('expected on or off');
  return value === 'on';
}

async function run(argv: string[]): Promise<unknown> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      admin: { type: 'boolean' },
      email: { type: 'string' },
      password: { type: 'string' },
      public: { type: 'boolean' },
      owner: { type: 'string' },
      description: { type: 'string' },
      rule: { type: 'string', multiple: true },
      expires: { type: 'string' },
      scope: { type: 'string' },
      namespace: { type: 'string', multiple: true },
      repository: { type: 'string', multiple: true },
      as: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, command, ...rest] = positionals;
  if (values.help || !group) throw new UsageError(USAGE);
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, databaseUrlOf(config)), { logger: ['error'] });
  try {
    const accounts = app.get(AccountsService);
    const organizations = app.get(OrganizationsService);
    const robots = app.get(RobotsService);
    const users = app.get(UsersRepository);
    const userNamed = async (name: string | undefined) => {
      const user = name ? await users.findByName(name) : undefined;
      if (!user) throw new UsageError(`no user named ${name}`);
      return user;
    };
    // Every command runs as a user (default `admin`), with that user's rights only.
    const system: Principal = userPrincipal(await userNamed(values.as ?? 'admin'));
    const key = `${group} ${command}`;
    switch (key) {
      case 'user create': {
        const password = values.password ?? process.env.WHARF_CLI_PASSWORD;
        if (!password) throw new UsageError('give the password in WHARF_CLI_PASSWORD or --password');
        const user = await accounts.createUser(system, { name: rest[0] ?? '', password, ...(values.email ? { email: values.email } : {}), admin: values.admin ?? false });
        return { user: user.name, id: user.id, admin: user.admin };
      }
      case 'user disable':
      case 'user enable':
        await accounts.updateUser(system, (await userNamed(rest[0])).id, { disabled: command === 'disable' });
        return { user: rest[0], disabled: command === 'disable' };
      case 'user delete':
        await accounts.deleteUser(system, (await userNamed(rest[0])).id);
        return { user: rest[0], deleted: true };
      case 'user admin':
        await accounts.updateUser(system, (await userNamed(rest[0])).id, { admin: onOff(rest[1]) });
        return { user: rest[0], admin: rest[1] === 'on' };
      case 'org create': {
        const owner = values.owner ? userPrincipal(await userNamed(values.owner)) : system;
        const org = await organizations.create(owner, { name: rest[0] ?? '', public: values.public ?? false, ...(values.description ? { description: values.description } : {}) });
        return { organization: org.name, id: org.id, public: org.public };
      }
      case 'org visibility':
        if (rest[1] !== 'public' && rest[1] !== 'private') throw new UsageError('org visibility <org> public|private');
        await organizations.updateSettings(system, rest[0] ?? '', { public: rest[1] === 'public' });
        return { organization: rest[0], public: rest[1] === 'public' };
      case 'org member':
        if (!isRole(rest[2])) throw new UsageError('role: limited-guest, guest, developer, maintainer or admin');
        await organizations.setMember(system, rest[0] ?? '', rest[1] ?? '', rest[2]);
        return { organization: rest[0], user: rest[1], role: rest[2] };
      case 'org remove-member':
        await organizations.removeMember(system, rest[0] ?? '', rest[1] ?? '');
        return { organization: rest[0], user: rest[1], removed: true };
      case 'team create': {
        if (!isRole(rest[2])) throw new UsageError('role: limited-guest, guest, developer, maintainer or admin');
        const team = await organizations.createTeam(system, rest[0] ?? '', { name: rest[1] ?? '', role: rest[2] as Role });
        return { organization: rest[0], team: team.name, id: team.id, role: team.role };
      }
      case 'team add': {
        const org = await organizations.authorize(system, rest[0] ?? '', 'member:manage');
        const team = (await organizations.teams(system, org.name)).find((t) => t.name === rest[1]);
        if (!team) throw new UsageError(`no team named ${rest[1]} in ${rest[0]}`);
        await organizations.addTeamMember(system, org.name, team.id, rest[2] ?? '');
        return { organization: rest[0], team: rest[1], user: rest[2] };
      }
      case 'robot create': {
        const created = await robots.create(system, rest[0] ?? '', { name: rest[1] ?? '', rules: (values.rule ?? []).map(parseRule), expiresAt: days(values.expires) });
        return { username: created.username, secret: created.secret, id: created.robot.id, rules: created.robot.rules };
      }
      case 'token create': {
        const scope = (values.scope ?? 'read-write') as TokenScope;
        if (!TOKEN_SCOPES.includes(scope)) throw new UsageError(`--scope: one of ${TOKEN_SCOPES.join(', ')}`);
        const owner = userPrincipal(await userNamed(rest[0]));
        const created = await accounts.createPersonalToken(owner, {
          name: rest[1] ?? '',
          scope,
          ...(values.namespace ? { namespaces: values.namespace } : {}),
          ...(values.repository ? { repositories: values.repository } : {}),
          expiresAt: days(values.expires),
        });
        return { user: rest[0], name: created.token.name, id: created.token.id, secret: created.secret };
      }
      case 'signing-key rotate':
        return { kid: await app.get(SigningKeys).rotate() };
      case 'settings self-registration':
        await accounts.setSelfRegistration(system, onOff(rest[0]));
        return { selfRegistration: rest[0] === 'on' };
      default:
        throw new UsageError(`unknown command: ${key}\n\n${USAGE}`);
    }
  } finally {
    await app.close();
  }
}

run(process.argv.slice(2)).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  },
  (error: unknown) => {
    const known = error instanceof UsageError || error instanceof IdentityError || error instanceof ConfigError;
    console.error(known ? `wharf: ${(error as Error).message}` : error);
    process.exitCode = known ? 2 : 1;
  },
);
