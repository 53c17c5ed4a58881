import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The browser tests build nothing: they need the API and the portal built and Debian's
 * Chromium installed, and say how to get each one.
 */
export default function browserSetup(): void {
  const root = join(__dirname, '..', '..', '..');
  const missing: string[] = [];
  if (!existsSync(join(root, 'apps/api/dist/main.js'))) missing.push('the API is not built (apps/api/dist/main.js): run `npx nx run api:build`');
  if (!existsSync(join(root, 'apps/web/.next/BUILD_ID'))) missing.push('the portal is not built (apps/web/.next): run `npx nx run web:build`');
  if (!existsSync(CHROMIUM)) missing.push(`Chromium is missing (${CHROMIUM}): run \`apt-get install -y chromium\` or \`bash infra/scripts/ensure-tools.sh\``);
  if (missing.length > 0) throw new Error(`browser tests cannot run:\n  - ${missing.join('\n  - ')}`);
}

export const CHROMIUM = '/usr/bin/chromium';
