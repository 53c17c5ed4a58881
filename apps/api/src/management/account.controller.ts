import { Body, Delete, Get, HttpCode, Inject, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { Principal } from '@wharf/authz';
import type { PersonalTokenRow } from '@wharf/db';
import type { FastifyReply } from 'fastify';

import { AccountsService } from '../identity/accounts.service';
import { Allow, Caller, type ApiRequest } from './api-auth';
import { ApiController } from './api-controller';
import { ApiErrors } from './api-error-responses';
import { ApiErrorDto } from './dto/common.dto';
import { ChangePasswordDto, CreatedPersonalTokenDto, CreatePersonalTokenDto, MeDto, PersonalTokenDto, PersonalTokenListDto } from './dto/account.dto';
import { SESSION_COOKIE } from './sessions.service';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function toTokenDto(token: PersonalTokenRow): PersonalTokenDto {
  return {
    id: token.id,
    name: token.name,
    scope: token.scope,
    namespaces: token.namespaces ? [...token.namespaces] : null,
    repositories: token.repositories ? [...token.repositories] : null,
    createdAt: token.createdAt.toISOString(),
    expiresAt: iso(token.expiresAt),
    lastUsedAt: iso(token.lastUsedAt),
  };
}

/** The signed-in person: profile, password, personal access tokens. */
@ApiController('me', 'account')
export class AccountController {
  constructor(@Inject(AccountsService) private readonly accounts: AccountsService) {}

  @Get()
  @Allow('signed-in')
  @ApiOperation({ summary: 'The signed-in user; for a personal access token, also its scope' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrors(401)
  async profile(@Caller() caller: Principal, @Req() request: ApiRequest): Promise<MeDto> {
    const user = await this.accounts.profile(caller);
    return {
      id: user.id,
      name: user.name,
      email: user.email,
      admin: user.admin,
      createdAt: user.createdAt.toISOString(),
      lastLoginAt: iso(user.lastLoginAt),
      via: request.via === 'token' ? 'token' : 'session',
      token:
        caller.kind === 'token'
          ? { id: caller.id, scope: caller.scope, namespaces: caller.namespaces ? [...caller.namespaces] : null, repositories: caller.repositories ? [...caller.repositories] : null }
          : null,
    };
  }

  @Put('password')
  @Allow('session')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Change the password',
    description: 'Ends every session of the user, this one included (sign in again with the new password), and every refresh token (docker logins).',
  })
  @ApiNoContentResponse()
  @ApiResponse({ status: 400, type: ApiErrorDto, description: 'currentPassword is wrong, or newPassword too short' })
  @ApiResponse({ status: 401, type: ApiErrorDto, description: 'not signed in to the portal (a token may not change the password)' })
  async changePassword(@Caller() caller: Principal, @Body() body: ChangePasswordDto, @Req() request: ApiRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.accounts.changePassword(caller, body.currentPassword, body.newPassword, request.ip);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('tokens')
  @Allow('session')
  @ApiOperation({ summary: 'My personal access tokens, with their last use (never their secrets)' })
  @ApiOkResponse({ type: PersonalTokenListDto })
  @ApiResponse({ status: 401, type: ApiErrorDto, description: 'not signed in to the portal (a token may not list tokens)' })
  async listTokens(@Caller() caller: Principal): Promise<PersonalTokenListDto> {
    return { items: (await this.accounts.listPersonalTokens(caller)).map(toTokenDto) };
  }

  @Post('tokens')
  @Allow('session')
  @ApiOperation({ summary: 'Create a personal access token; its secret is in this answer only' })
  @ApiCreatedResponse({ type: CreatedPersonalTokenDto })
  @ApiErrors(400)
  @ApiResponse({ status: 401, type: ApiErrorDto, description: 'not signed in to the portal (a token may not mint tokens)' })
  @ApiResponse({ status: 409, type: ApiErrorDto, description: 'a token of this name exists' })
  async createToken(@Caller() caller: Principal, @Body() body: CreatePersonalTokenDto): Promise<CreatedPersonalTokenDto> {
    const { token, secret } = await this.accounts.createPersonalToken(caller, {
      name: body.name,
      scope: body.scope,
      ...(body.namespaces ? { namespaces: body.namespaces } : {}),
      ...(body.repositories ? { repositories: body.repositories } : {}),
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
    });
    return { ...toTokenDto(token), secret };
  }

  @Delete('tokens/:id')
  @Allow('session')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one of my personal access tokens, at once' })
  @ApiNoContentResponse()
  @ApiResponse({ status: 401, type: ApiErrorDto, description: 'not signed in to the portal' })
  @ApiResponse({ status: 404, type: ApiErrorDto, description: 'no such token of mine' })
  async revokeToken(@Caller() caller: Principal, @Param('id') id: string): Promise<void> {
    await this.accounts.revokePersonalToken(caller, id);
  }
}
