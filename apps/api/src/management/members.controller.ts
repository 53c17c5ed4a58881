import { Body, Delete, Get, HttpCode, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Principal, Role } from '@wharf/authz';
import type { MemberRow } from '@wharf/db';

import { OrganizationsService } from '../identity/organizations.service';
import { Allow, Caller } from './api-auth';
import { ApiController } from './api-controller';
import { badRequest } from './api-error';
import { ApiErrors } from './api-error-responses';
import { MemberDto, MemberPageDto, SetMemberDto } from './dto/member.dto';
import { DEFAULT_PAGE, decodeCursor, pageOf, PageQueryDto } from './paging';

export const toMemberDto = (member: MemberRow): MemberDto => ({ name: member.userName, role: member.role as Role });

/** Direct members of an organization and their roles (see GET /api/v1/roles). */
@ApiController('orgs/:org/members', 'members')
export class MembersController {
  constructor(@Inject(OrganizationsService) private readonly organizations: OrganizationsService) {}

  @Get()
  @Allow('signed-in')
  @ApiOperation({ summary: 'Direct members by name (guests and above)' })
  @ApiOkResponse({ type: MemberPageDto })
  @ApiErrors(400, 401, 403, 404)
  async list(@Caller() caller: Principal, @Param('org') org: string, @Query() query: PageQueryDto): Promise<MemberPageDto> {
    const position = decodeCursor(query.cursor, 1);
    if (position && typeof position[0] !== 'string') throw badRequest('cursor', 'is not a cursor from this API');
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.organizations.members(caller, org, { ...(position ? { after: position[0] as string } : {}), limit });
    return pageOf(rows, limit, (row) => [row.userName], toMemberDto);
  }

  @Put(':user')
  @Allow('signed-in')
  @ApiOperation({ summary: 'Add a member or change their role (organization admins); 409 when it would demote the last admin' })
  @ApiOkResponse({ type: MemberDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async set(@Caller() caller: Principal, @Param('org') org: string, @Param('user') user: string, @Body() body: SetMemberDto): Promise<MemberDto> {
    await this.organizations.setMember(caller, org, user, body.role);
    return { name: user, role: body.role };
  }

  @Delete(':user')
  @Allow('signed-in')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member (organization admins); registry tokens already issued expire within their lifetime; 409 for the last admin' })
  @ApiNoContentResponse()
  @ApiErrors(401, 403, 404, 409)
  async remove(@Caller() caller: Principal, @Param('org') org: string, @Param('user') user: string): Promise<void> {
    await this.organizations.removeMember(caller, org, user);
  }
}
