// B1–B3: request rates of small answers (the base route, manifests, tokens).
import type { RequestSpec } from '../load/jobs';
import { interleave, type Runner } from '../measure';
import type { Phase } from '../phase';
import { MANIFEST_ACCEPT, pushSmallImage } from '../seed';
import { pull, pullPush } from '../servers/registry';
import { basic, BENCH_USER } from '../servers/wharf';
import { say } from '../support/log';
import type { Row } from './row';

/** A request-rate run of the load generator (plan.rateMs unless `durationMs`); its req/s and latency percentiles. */
export function rateRunner(phase: Phase, origin: string, requests: readonly RequestSpec[], connections: number, expectStatus = [200], durationMs = phase.plan.rateMs): Runner {
  return async () => {
    const result = await phase.worker.run({ kind: 'rate', origin, requests, connections, durationMs, expectStatus });
    return { rps: result.rps, p50: result.p50, p99: result.p99 };
  };
}

export const b1: Row = {
  id: 'B1',
  title: 'GET /v2/ with a bearer token',
  perStorage: false,
  async run(phase) {
    const measured = await interleave('B1', phase.plan, {
      wharf: rateRunner(phase, phase.wharf.url, [{ method: 'GET', path: '/v2/', headers: { authorization: await phase.wharf.authorization([]) } }], 32),
      peer: rateRunner(phase, phase.peer.url, [{ method: 'GET', path: '/v2/', headers: { authorization: await phase.peer.authorization([]) } }], 32),
      ceiling: rateRunner(phase, phase.hello.url, [{ method: 'GET', path: '/hello' }], 32),
    });
    const common = { peerOf: 'Distribution 2.8.2, GET /v2/ with a token', ceilingOf: 'NestJS + Fastify hello route, same load generator' };
    phase.results.figure(measured, { id: 'B1', name: 'GET /v2/ with a bearer token, c=32', unit: 'req/s', better: 'higher', metric: 'rps', ...common });
    phase.results.figure(measured, { id: 'B1-p99', name: 'GET /v2/ with a bearer token, c=32: p99 latency', unit: 'ms', better: 'lower', metric: 'p99', ...common });
  },
};

const MANIFEST_REPOSITORY = 'bench/b2';

export const b2: Row = {
  id: 'B2',
  title: 'Manifest GET and HEAD by tag with a bearer token',
  perStorage: true,
  async run(phase) {
    for (const registry of phase.registries) await pushSmallImage(registry, MANIFEST_REPOSITORY, 'latest');
    const helloRate = phase.results.value('B1', 'ceiling');
    // The tag → manifest lookup as one indexed query on one connection.
    const pointSelect: Runner = async () => {
      const result = await phase.worker.run({
        kind: 'pgRate',
        url: phase.databaseUrl,
        sql: 'SELECT t.manifest_id FROM tag t JOIN repository r ON r.id = t.repository_id WHERE r.name = $1 AND t.name = $2',
        params: [MANIFEST_REPOSITORY, 'latest'],
        durationMs: phase.plan.rateMs,
      });
      return { rps: result.rps, p50: result.p50, p99: result.p99 };
    };
    for (const method of ['GET', 'HEAD'] as const) {
      const spec = async (registry: typeof phase.wharf | typeof phase.peer): Promise<RequestSpec[]> => [
        { method, path: `/v2/${MANIFEST_REPOSITORY}/manifests/latest`, headers: { authorization: await registry.authorization([pull(MANIFEST_REPOSITORY)]), accept: MANIFEST_ACCEPT } },
      ];
      const measured = await interleave(`B2 ${method}${phase.suffix}`, phase.plan, {
        wharf: rateRunner(phase, phase.wharf.url, await spec(phase.wharf), 32),
        peer: rateRunner(phase, phase.peer.url, await spec(phase.peer), 32),
        ceiling: pointSelect,
      });
      const pg = measured.median('ceiling', 'rps');
      const ceiling = pg !== null && helloRate !== null ? Math.min(pg, helloRate) : pg;
      const id = `B2-${method}`;
      const peerOf = `Distribution 2.8.2 (${phase.storage === 'fs' ? 'filesystem' : 'S3'}), same request`;
      const name = `manifest ${method} by tag with a bearer token, c=32 (${phase.storage})`;
      phase.results.figure(measured, {
        id: `${id}${phase.suffix}`,
        name,
        unit: 'req/s',
        better: 'higher',
        metric: 'rps',
        peerOf,
        ceilingOf: helloRate !== null ? 'min(NestJS hello of B1, PostgreSQL tag→manifest point select on one connection)' : 'PostgreSQL tag→manifest point select on one connection',
        ceiling,
      });
      for (const p of ['p50', 'p99'] as const) {
        phase.results.figure(measured, { id: `${id}-${p}${phase.suffix}`, name: `${name}: ${p} latency`, unit: 'ms', better: 'lower', metric: p, peerOf, ceilingOf: `PostgreSQL point select ${p} on one connection` });
      }
    }
  },
};

const TOKEN_REPOSITORY = 'bench/b3';

export const b3: Row = {
  id: 'B3',
  title: 'Token issue with Basic auth (GET /token)',
  perStorage: false,
  async run(phase) {
    const wharf = phase.wharf;
    const tokenPath = await wharf.tokenPath([pullPush(TOKEN_REPOSITORY)]);
    const cached = await interleave('B3 cached', phase.plan, {
      wharf: rateRunner(phase, wharf.url, [{ method: 'GET', path: tokenPath, headers: { authorization: basic(BENCH_USER) } }], 16),
      ceiling: async () => ({ rps: (await phase.worker.run({ kind: 'signRate', durationMs: phase.plan.rateMs })).rps }),
    });
    phase.results.figure(cached, {
      id: 'B3-cached',
      name: 'GET /token with Basic auth, c=16, the same user (credentials cached)',
      unit: 'req/s',
      better: 'higher',
      metric: 'rps',
      ceilingOf: 'ES256 JWT signatures with jose, one core',
    });

    // Cold: every request is the first login of its own user, made beforehand through the
    // management API with an administrator's personal access token.
    const admin = String((await wharf.cli(['token', 'create', 'admin', `bench-admin-${Date.now()}`, '--scope', 'read-write-delete'])).secret);
    const count = phase.plan.coldLogins;
    const makeUsers = async (round: number) => {
      const users = Array.from({ length: count }, (_, i) => ({ username: `cold-${round < 0 ? 'w' : round}-${i}`, password: `cold-password-${i}-x` }));
      for (let i = 0; i < users.length; i += 4) {
        await Promise.all(
          users.slice(i, i + 4).map(async (user) => {
            const response = await fetch(`${wharf.url}/api/v1/users`, {
              method: 'POST',
              headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
              body: JSON.stringify({ name: user.username, password: user.password }),
            });
            if (response.status !== 201) throw new Error(`creating user ${user.username}: ${response.status} ${await response.text()}`);
          }),
        );
      }
      return users;
    };
    say(`  B3 cold: ${count} new users per run`);
    const cold = await interleave('B3 cold', phase.plan, {
      wharf: async (round) => {
        const users = await makeUsers(round);
        const requests: RequestSpec[] = users.map((user) => ({ method: 'GET', path: tokenPath, headers: { authorization: basic(user) } }));
        const result = await phase.worker.run({ kind: 'rate', origin: wharf.url, requests, connections: 16, count, expectStatus: [200] });
        return { rps: result.rps };
      },
      ceiling: async () => ({ rps: (await phase.worker.run({ kind: 'argon2Rate', count, concurrency: 16 })).rps }),
    });
    phase.results.figure(cold, {
      id: 'B3-cold',
      name: 'GET /token with Basic auth, c=16, each request a first login',
      unit: 'req/s',
      better: 'higher',
      metric: 'rps',
      ceilingOf: "argon2id verifications with Wharf's parameters, 16 at a time",
    });
  },
};
