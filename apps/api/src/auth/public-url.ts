import { isIPv6 } from 'node:net';

import type { FastifyRequest } from 'fastify';

import type { WharfConfig } from '../config/config';

/**
 * The base URL clients reach Wharf at: WHARF_PUBLIC_URL, else what this request used, else
 * (an HTTP/1.0 request without Host) the address Wharf listens on, an IPv6 one in brackets.
 */
export function publicBaseUrl(config: Pick<WharfConfig, 'auth' | 'host' | 'port'>, request: Pick<FastifyRequest, 'headers' | 'protocol'>): string {
  if (config.auth.publicUrl) return config.auth.publicUrl;
  const host = request.headers.host ?? `${isIPv6(config.host) ? `[${config.host}]` : config.host}:${config.port}`;
  return `${request.protocol}://${host}`;
}

/** The token service's absolute URL: docker and containerd do not resolve a relative realm. */
export const tokenRealm = (...args: Parameters<typeof publicBaseUrl>) => `${publicBaseUrl(...args)}/token`;
