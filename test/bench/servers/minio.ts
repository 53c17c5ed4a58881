import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { Client } from 'minio';

import { cleanEnv, freePort, spawnServer, waitUntil, type Managed } from '../support/processes';
import { root } from '../support/paths';

/** The MinIO binary infra/scripts/ensure-tools.sh builds (the same one the S3 tests use). */
export function minioBinary(): string {
  return join(process.env.WHARF_TOOLS_BIN ?? join(root, '.cache', 'bin'), 'minio');
}

export const hasMinio = () => existsSync(minioBinary());

/** Objects under this prefix are reference copies that rows read again: never cleaned up. */
export const KEEP_PREFIX = 'keep/';

/** A real MinIO server on 127.0.0.1 with one drive, shared by Wharf, the peer and the raw-S3 ceilings. */
export class MinioServer {
  readonly accessKey = 'wharf-bench';
  readonly secretKey = 'wharf-bench-secret-key';
  readonly client: Client;

  private constructor(
    readonly endpoint: string,
    readonly port: number,
    readonly pid: number,
    private readonly managed: Managed,
  ) {
    this.client = new Client({ endPoint: '127.0.0.1', port, useSSL: false, accessKey: this.accessKey, secretKey: this.secretKey });
  }

  static async start(dir: string, logFile: string): Promise<MinioServer> {
    const drive = join(dir, 'drive');
    mkdirSync(drive, { recursive: true });
    const port = await freePort();
    const consolePort = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const server = { accessKey: 'wharf-bench', secretKey: 'wharf-bench-secret-key' };
    const { child, managed } = spawnServer('minio', minioBinary(), ['server', '--quiet', '--address', `127.0.0.1:${port}`, '--console-address', `127.0.0.1:${consolePort}`, drive], {
      logFile,
      env: cleanEnv({ MINIO_ROOT_USER: server.accessKey, MINIO_ROOT_PASSWORD: server.secretKey, MINIO_BROWSER: 'off', MINIO_UPDATE: 'off', MINIO_CI_CD: '1' }),
    });
    await waitUntil('minio', async () => (await fetch(`${endpoint}/minio/health/cluster`)).ok, { child, logFile });
    return new MinioServer(endpoint, port, child.pid!, managed);
  }

  async makeBucket(name: string): Promise<void> {
    if (!(await this.client.bucketExists(name))) await this.client.makeBucket(name, 'us-east-1');
  }

  presignGet(bucket: string, key: string): Promise<string> {
    return this.client.presignedGetObject(bucket, key, 3600);
  }

  presignPut(bucket: string, key: string): Promise<string> {
    return this.client.presignedPutObject(bucket, key, 3600);
  }

  /**
   * Deletes the objects of at least `minBytes` written since `sinceMs` (neither registry
   * collects garbage by itself, and big rows would fill the disk), except under KEEP_PREFIX.
   */
  async removeBigObjectsSince(bucket: string, sinceMs: number, minBytes: number): Promise<number> {
    const names: string[] = [];
    for await (const item of this.client.listObjectsV2(bucket, '', true)) {
      const object = item as { name?: string; size?: number; lastModified?: Date };
      if (object.name && !object.name.startsWith(KEEP_PREFIX) && (object.size ?? 0) >= minBytes && (object.lastModified?.getTime() ?? 0) >= sinceMs - 2_000) names.push(object.name);
    }
    for (let i = 0; i < names.length; i += 1000) await this.client.removeObjects(bucket, names.slice(i, i + 1000));
    return names.length;
  }

  stop(): Promise<void> {
    return this.managed.stop();
  }
}
