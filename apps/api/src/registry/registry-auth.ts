import { Inject, Injectable } from '@nestjs/common';
import {
  bearerChallenge,
  grantCovers,
  mountSourceAccess,
  OciError,
  OciErrorCode,
  requiredAccess,
  type AccessClaim,
  type AccessScope,
  type RegistryRoute,
} from '@wharf/oci';
import type { FastifyRequest } from 'fastify';

import { AccessService } from '../access/access.service';
import { tokenRealm } from '../auth/public-url';
import { InvalidTokenError, RegistryTokens, type RegistryTokenClaims } from '../auth/registry-tokens';
import { WHARF_CONFIG, type WharfConfig } from '../config/config';

/** Who made a /v2 request and what their token grants. */
export interface RegistryCaller {
  /** The principal key of the token (`user:1`, `robot:2`, `token:<id>`, `anonymous`). */
  readonly principal: string;
  readonly access: readonly AccessClaim[];
  /** Whether the request names a mount source (mountSourceAccess) and the token grants pull on it. */
  readonly mayMountFromSource: boolean;
}

/**
 * Bearer-token checks for /v2: every request carries a registry token that covers what the
 * route needs, else it gets a 401 with a challenge naming the whole scope, so the client
 * fetches a better token. The token's grant was decided by the authorization module when
 * it was issued; it holds until the token expires, but only in the namespaces it was decided
 * in: one deleted and registered again under its name is another tenant (invalid_token).
 */
@Injectable()
export class RegistryAuth {
  constructor(
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    @Inject(RegistryTokens) private readonly tokens: RegistryTokens,
    @Inject(AccessService) private readonly access: AccessService,
  ) {}

  async authorize(request: FastifyRequest, route: RegistryRoute, query: { from?: string; mount?: string }): Promise<RegistryCaller> {
    const needs = requiredAccess(route, request.method);
    const source = mountSourceAccess(route, request.method, query);
    // A mount from the repository itself asks for nothing the request does not.
    const challengeScopes: AccessScope[] = source && !grantCovers(needs, [source]) ? [...needs, source] : [...needs];
    const refuse = (message: string, error?: 'invalid_token' | 'insufficient_scope') =>
      new OciError(OciErrorCode.Unauthorized, message, error === 'insufficient_scope' ? challengeScopes.map((s) => ({ Type: s.type, Name: s.name, Action: s.actions.join(',') })) : undefined).withHeader(
        'WWW-Authenticate',
        bearerChallenge({ realm: tokenRealm(this.config, request), service: this.config.auth.service, scopes: challengeScopes, ...(error ? { error } : {}) }),
      );

    const authorization = request.headers.authorization;
    const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
    if (!match) throw refuse('authentication required');
    let claims;
    try {
      claims = await this.tokens.verify(match[1]!);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw refuse('invalid or expired token', 'invalid_token');
      throw error;
    }
    if (!grantCovers(claims.access, needs)) throw refuse('access to the resource is not granted by this token', 'insufficient_scope');
    if (!(await this.inGrantedNamespaces(claims, needs))) throw refuse('the token was issued for a namespace that has since been deleted', 'invalid_token');
    const access = claims.access;
    let mayMountFromSource = false;
    if (source && grantCovers(access, [source])) {
      mayMountFromSource = await this.inGrantedNamespaces(claims, [source]);
    } else if (source && (await this.mayPull(claims.principal, source.name))) {
      // A client that caches one token per repository asks again with the whole scope; a
      // caller without the right gets the upload fallback instead, which reveals nothing.
      throw refuse('the mount source is not covered by this token', 'insufficient_scope');
    }
    return { principal: claims.principal, access, mayMountFromSource };
  }

  private async inGrantedNamespaces(claims: RegistryTokenClaims, scopes: readonly AccessScope[]): Promise<boolean> {
    const { namespaces } = claims;
    if (!namespaces) return true;
    for (const scope of scopes) {
      if (scope.type === 'repository' && !(await this.access.sameNamespace(namespaces, scope.name))) return false;
    }
    return true;
  }

  private async mayPull(principalKey: string, repository: string): Promise<boolean> {
    const principal = await this.access.principalFromKey(principalKey);
    return principal !== undefined && (await this.access.mayOnRepository(principal, 'repository:pull', repository));
  }
}
