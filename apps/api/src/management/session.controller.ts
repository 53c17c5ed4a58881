import { Body, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { UsersRepository } from '@wharf/db';
import type { FastifyReply } from 'fastify';

import { AuthenticationError, CredentialsService } from '../auth/credentials.service';
import { Allow, type ApiRequest } from './api-auth';
import { ApiController } from './api-controller';
import { ApiErrorDto } from './dto/common.dto';
import { SessionDto, SignInDto } from './dto/session.dto';
import { SESSION_COOKIE, SessionsService } from './sessions.service';

/** Signing in and out of the portal. */
@ApiController('session', 'session')
export class SessionController {
  constructor(
    @Inject(CredentialsService) private readonly credentials: CredentialsService,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(UsersRepository) private readonly users: UsersRepository,
  ) {}

  @Get()
  @Allow('anyone')
  @ApiOperation({ summary: 'Who is signed in, and the CSRF token of the session' })
  @ApiOkResponse({ type: SessionDto })
  async current(@Req() request: ApiRequest): Promise<SessionDto> {
    const session = request.via === 'session' && request.sessionCookie ? await this.sessions.resolve(request.sessionCookie) : undefined;
    if (!session) return { user: null, csrfToken: null, expiresAt: null };
    return { user: { id: session.user.id, name: session.user.name, admin: session.user.admin }, csrfToken: session.csrfToken, expiresAt: null };
  }

  @Post()
  @Allow('anyone')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with a user name and password; starts a new session (cookie)' })
  @ApiOkResponse({ type: SessionDto })
  @ApiResponse({ status: 401, type: ApiErrorDto, description: 'wrong user name or password' })
  @ApiResponse({ status: 429, type: ApiErrorDto, description: 'too many failed attempts; see Retry-After' })
  async signIn(@Body() body: SignInDto, @Req() request: ApiRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionDto> {
    const principal = await this.credentials.authenticate(body.username, body.password, request.ip);
    // Robots and personal access tokens are for machines: they never get a portal session.
    if (principal.kind !== 'user') throw new AuthenticationError();
    const user = await this.users.findById(principal.id);
    if (!user) throw new AuthenticationError();
    // A fresh session id at every sign-in; the one the browser had before ends now.
    const previous = request.cookies?.[SESSION_COOKIE];
    if (previous) await this.sessions.close(previous);
    const session = await this.sessions.open(user);
    reply.setCookie(SESSION_COOKIE, session.cookie, {
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
      path: '/',
      expires: session.expiresAt,
    });
    return { user: { id: user.id, name: user.name, admin: user.admin }, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
  }

  @Delete()
  @Allow('session')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: the session ends on the server' })
  @ApiResponse({ status: 204 })
  async signOut(@Req() request: ApiRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    if (request.sessionCookie) await this.sessions.close(request.sessionCookie);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }
}
