import type { FastifyRequest } from 'fastify';

import type { WharfConfig } from '../config/config';

/** The base URL clients reach Wharf at: WHARF_PUBLIC_URL, else what this request used. */
export function publicBaseUrl(config: WharfConfig, request: FastifyRequest): string {
  if (config.auth.publicUrl) return config.auth.publicUrl;
  const host = request.headers.host ?? `${config.host}:${config.port}`;
  return `${request.protocol}://${host}`;
}

/** The token service's absolute URL: docker and containerd do not resolve a relative realm. */
export const tokenRealm = (config: WharfConfig, request: FastifyRequest) => `${publicBaseUrl(config, request)}/token`;
