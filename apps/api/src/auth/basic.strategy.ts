import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ANONYMOUS, type Principal } from '@wharf/authz';
import type { FastifyRequest } from 'fastify';
import passport from 'passport';

import { BasicCredentialsStrategy } from './basic-credentials';
import { AuthenticationError, CredentialsService } from './credentials.service';

/** Basic credentials (user password, personal access token or robot secret), via passport. */
@Injectable()
export class CredentialsStrategy extends PassportStrategy(BasicCredentialsStrategy, 'wharf-basic') {
  constructor(@Inject(CredentialsService) private readonly credentials: CredentialsService) {
    super({ passReqToCallback: true });
  }

  validate(request: FastifyRequest, username: string, password: string): Promise<Principal> {
    return this.credentials.authenticate(username, password, request.ip);
  }
}

/**
 * Lets a request through as the principal of its Basic credentials, or as anonymous when
 * it has none. Wrong credentials never fall back to anonymous.
 *
 * Runs this app's strategy instance rather than `AuthGuard('wharf-basic')`: that looks the
 * name up in passport's process-wide registry, which holds the strategy of the last app
 * created in the process, so a second app (tests start several) would answer for the first,
 * with its database, even after it was closed.
 */
@Injectable()
export class BasicOrAnonymousGuard implements CanActivate {
  constructor(@Inject(CredentialsStrategy) private readonly strategy: CredentialsStrategy) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { user?: Principal }>();
    if (request.headers.authorization === undefined) {
      request.user = ANONYMOUS;
      return true;
    }
    request.user = await new Promise<Principal>((resolve, reject) => {
      // A copy per request, as passport makes of a registered strategy: it binds the request's
      // success and failure callbacks onto the object it is given.
      const strategy = Object.create(this.strategy) as CredentialsStrategy;
      const authenticate = passport.authenticate(strategy, { session: false }, (error: unknown, principal: Principal | false) => {
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else if (principal) resolve(principal);
        else reject(new AuthenticationError());
      }) as (request: unknown, reply: unknown, next: (error?: unknown) => void) => void;
      authenticate(request, http.getResponse(), (error) => reject(error instanceof Error ? error : new AuthenticationError()));
    });
    return true;
  }
}
