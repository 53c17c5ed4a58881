import './heap-growth';
import 'reflect-metadata';

import { join } from 'node:path';

import { Logger } from '@nestjs/common';

import { createApp } from './app';
import { ConfigError, loadConfig } from './config/config';
import { PortalService } from './portal/portal.service';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@wharf/db';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new Logger('Wharf');
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(join(config.dataDir, 'postgres'), config.embeddedPostgresPort);
    databaseUrl = embedded.url;
    logger.log(`embedded PostgreSQL running with data in ${join(config.dataDir, 'postgres')}`);
  }
  const app = await createApp(config, databaseUrl);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    await app.close().catch((error: Error) => logger.error(error.message));
    await embedded?.stop().catch((error: Error) => logger.error(error.message));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await app.listen(config.port, config.host);
  logger.log(`Wharf is listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`);
  await app.get(PortalService).warmUp();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`wharf: ${error.message}`);
  } else {
    console.error('wharf: failed to start:', error);
  }
  process.exit(1);
});
