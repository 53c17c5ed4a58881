import { Body, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { Principal } from '@wharf/authz';
import type { UserRow } from '@wharf/db';

import { AccountsService } from '../identity/accounts.service';
import { Allow, Caller } from './api-auth';
import { ApiController } from './api-controller';
import { ApiErrors } from './api-error-responses';
import { badRequest } from './api-error';
import { ApiErrorDto } from './dto/common.dto';
import { CreateUserDto, RegisterDto, UpdateUserDto, UserDto, UserListQueryDto, UserPageDto } from './dto/users.dto';
import { decodeCursor, DEFAULT_PAGE, pageOf } from './paging';

function toUserDto(user: UserRow): UserDto {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    admin: user.admin,
    disabled: user.disabled,
    createdAt: user.createdAt.toISOString(),
    lastLoginAt: user.lastLoginAt ? user.lastLoginAt.toISOString() : null,
  };
}

/** Users, managed by system administrators; and self-registration, when it is switched on. */
@ApiController('users', 'users')
export class UsersController {
  constructor(@Inject(AccountsService) private readonly accounts: AccountsService) {}

  @Get()
  @Allow('signed-in')
  @ApiOperation({ summary: 'List and search users by name (system administrators)' })
  @ApiOkResponse({ type: UserPageDto })
  @ApiErrors(400, 401, 403)
  async list(@Caller() caller: Principal, @Query() query: UserListQueryDto): Promise<UserPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const after = decodeCursor(query.cursor, 1)?.[0];
    if (after !== undefined && typeof after !== 'string') throw badRequest('cursor', 'is not a cursor from this API');
    const rows = await this.accounts.listUsers(caller, { ...(query.q ? { q: query.q } : {}), ...(after !== undefined ? { afterName: after } : {}), limit: limit + 1 });
    return pageOf(rows, limit, (user) => [user.name], toUserDto);
  }

  @Post()
  @Allow('signed-in')
  @ApiOperation({ summary: 'Create a user (system administrators)' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiErrors(400, 401, 403)
  @ApiResponse({ status: 409, type: ApiErrorDto, description: 'the name is taken by a user or an organization' })
  async create(@Caller() caller: Principal, @Body() body: CreateUserDto): Promise<UserDto> {
    return toUserDto(await this.accounts.createUser(caller, body));
  }

  @Post('register')
  @Allow('anyone')
  @ApiOperation({ summary: 'Create an account for oneself, while self-registration is on; never an administrator' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiResponse({ status: 400, type: ApiErrorDto, description: 'invalid or unknown fields (such as admin)' })
  @ApiResponse({ status: 403, type: ApiErrorDto, description: 'self-registration is switched off' })
  @ApiResponse({ status: 409, type: ApiErrorDto, description: 'the name is taken' })
  async register(@Body() body: RegisterDto): Promise<UserDto> {
    return toUserDto(await this.accounts.register(body));
  }

  @Patch(':name')
  @Allow('signed-in')
  @ApiOperation({
    summary: 'Disable or enable a user, grant or revoke admin, set a password (system administrators)',
    description: 'Disabling or setting a password ends every session and refresh token of the user. Administrators cannot disable themselves or revoke their own admin.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 401, 403, 404)
  async update(@Caller() caller: Principal, @Param('name') name: string, @Body() body: UpdateUserDto): Promise<UserDto> {
    return toUserDto(await this.accounts.updateUserNamed(caller, name, body));
  }

  @Delete(':name')
  @Allow('signed-in')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a user with their personal namespace and its repositories (system administrators; never oneself)',
    description: 'Their sessions, tokens, memberships and refresh tokens end with them.',
  })
  @ApiNoContentResponse()
  @ApiErrors(401, 403, 404)
  async remove(@Caller() caller: Principal, @Param('name') name: string): Promise<void> {
    await this.accounts.deleteUserNamed(caller, name);
  }
}
