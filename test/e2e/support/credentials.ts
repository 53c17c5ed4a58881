import { adminPassword } from '../../support/wharf-process.cjs';
import { run, type RunOptions } from './run';

/** What a client logs in with: a user and password or personal access token, or a robot and its secret. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** The `admin` every test server creates at first start (test/support/wharf-process.cjs). */
export function adminCredentials(password = adminPassword): Credentials {
  return { username: 'admin', password };
}

/** `user:password`, as skopeo's --creds, --src-creds and --dest-creds take it. */
export const credsFlag = (credentials: Credentials) => `${credentials.username}:${credentials.password}`;

export type LoginClient = 'docker' | 'podman' | 'crane' | 'oras';

/**
 * Logs clients in to `host` (host:port) the way a user does. docker, crane and oras store
 * the credentials in $DOCKER_CONFIG/config.json, podman (and skopeo after it) in
 * $REGISTRY_AUTH_FILE; `options.env` may point these at a suite's own files.
 *
 * podman logs in first: it also reads $DOCKER_CONFIG/config.json, and refuses to log in
 * ("currently logged in, auth file contains an Identity token") once docker has stored the
 * refresh token Wharf gave it there.
 */
export async function logIn(host: string, credentials: Credentials, clients: readonly LoginClient[], options: Pick<RunOptions, 'env'> = {}): Promise<void> {
  const stdin = { ...options, input: credentials.password };
  for (const client of [...clients].sort((a, b) => Number(b === 'podman') - Number(a === 'podman'))) {
    switch (client) {
      case 'docker':
        await run('docker', ['login', '--username', credentials.username, '--password-stdin', host], stdin);
        break;
      case 'podman':
        await run('podman', ['login', '--tls-verify=false', '--username', credentials.username, '--password-stdin', host], stdin);
        break;
      case 'crane':
        await run('crane', ['auth', 'login', host, '--username', credentials.username, '--password-stdin'], stdin);
        break;
      case 'oras':
        await run('oras', ['login', '--plain-http', '--username', credentials.username, '--password-stdin', host], stdin);
        break;
    }
  }
}
