import { applyDecorators, createParamDecorator, Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import { ANONYMOUS, type Principal } from '@wharf/authz';
import type { FastifyRequest } from 'fastify';

import { publicBaseUrl } from '../auth/public-url';
import { CredentialsService } from '../auth/credentials.service';
import { constantTimeEquals } from '../auth/secrets';
import { WHARF_CONFIG, type WharfConfig } from '../config/config';
import { userPrincipal } from '../access/access.service';
import { csrfRefused, unauthenticated } from './api-error';
import { SESSION_COOKIE, SessionsService } from './sessions.service';

/**
 * Who may call an endpoint, stated on each handler: `anyone` (anonymous included: public
 * content, sign-in), `signed-in` (a session or a personal access token) or `session` (a
 * person in the portal: a token may not change the password or mint tokens). What exactly
 * the caller may do is then decided by the authorization module.
 */
export type Audience = 'anyone' | 'signed-in' | 'session';
const AUDIENCE = 'wharf:audience';
/** The audience in the OpenAPI document, from which openapi.ts derives each operation's security requirements. */
export const AUDIENCE_EXTENSION = 'x-wharf-audience';
export const Allow = (audience: Audience) => applyDecorators(SetMetadata(AUDIENCE, audience), ApiExtension(AUDIENCE_EXTENSION, audience));

export interface ApiRequest extends FastifyRequest {
  principal: Principal;
  /** How the caller authenticated. */
  via: 'session' | 'token' | 'none';
  sessionCookie?: string;
}

/** The calling principal, as the guard established it. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<ApiRequest>().principal);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Authenticates every /api/v1 request: a Bearer personal access token (scripts) or the
 * session cookie (the portal). With the cookie, every state-changing call must carry the
 * session's X-CSRF-Token and, when the browser sends an Origin, come from this origin.
 */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(CredentialsService) private readonly credentials: CredentialsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ApiRequest>();
    const audience = this.reflector.getAllAndOverride<Audience>(AUDIENCE, [context.getHandler(), context.getClass()]) ?? 'signed-in';
    await this.authenticate(request, audience);
    if (audience === 'anyone') return true;
    if (request.principal.kind === 'anonymous') throw unauthenticated();
    if (audience === 'session' && request.via !== 'session') throw unauthenticated();
    return true;
  }

  private async authenticate(request: ApiRequest, audience: Audience): Promise<void> {
    request.principal = ANONYMOUS;
    request.via = 'none';
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!bearer) throw unauthenticated();
      request.principal = await this.credentials.authenticatePersonalToken(bearer[1]!, request.ip);
      request.via = 'token';
      return;
    }
    const cookie = request.cookies?.[SESSION_COOKIE];
    if (!cookie) return;
    const session = await this.sessions.resolve(cookie);
    // An expired or unknown cookie is no identity: the request goes on as anonymous.
    if (!session) return;
    if (!SAFE_METHODS.has(request.method) && !this.csrfHolds(request, session.csrfToken)) {
      // Open endpoints (sign-in, registration) then see an anonymous caller; others refuse.
      if (audience === 'anyone') return;
      throw csrfRefused();
    }
    request.principal = userPrincipal(session.user);
    request.via = 'session';
    request.sessionCookie = cookie;
  }

  private csrfHolds(request: ApiRequest, expected: string): boolean {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !constantTimeEquals(sent, expected)) return false;
    const origin = request.headers.origin;
    return origin === undefined || origin === new URL(publicBaseUrl(this.config, request)).origin;
  }
}
