import { Body, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Principal } from '@wharf/authz';

import { OrganizationsService, type OrganizationView } from '../identity/organizations.service';
import { Allow, Caller } from './api-auth';
import { ApiController } from './api-controller';
import { badRequest } from './api-error';
import { ApiErrors } from './api-error-responses';
import { CreateOrganizationDto, DeleteOrganizationQueryDto, OrganizationDto, OrganizationListQueryDto, OrganizationPageDto, UpdateOrganizationDto } from './dto/organization.dto';
import { DEFAULT_PAGE, decodeCursor, pageOf } from './paging';

export const toOrganizationDto = (organization: OrganizationView): OrganizationDto => ({
  name: organization.name,
  description: organization.description,
  public: organization.public,
  role: organization.role ?? null,
  repositoryCount: organization.repositoryCount,
  permissions: organization.permissions,
  createdAt: organization.createdAt.toISOString(),
});

/** Organizations: listing, creation, settings and deletion. */
@ApiController('orgs', 'organizations')
export class OrganizationsController {
  constructor(@Inject(OrganizationsService) private readonly organizations: OrganizationsService) {}

  @Get()
  @Allow('anyone')
  @ApiOperation({ summary: 'Organizations the caller may see (public ones, those where they hold a role; every one for system administrators), by name' })
  @ApiOkResponse({ type: OrganizationPageDto })
  @ApiErrors(400)
  async list(@Caller() caller: Principal, @Query() query: OrganizationListQueryDto): Promise<OrganizationPageDto> {
    const order = query.order ?? 'asc';
    const position = decodeCursor(query.cursor, 2);
    if (position && (position[0] !== order || typeof position[1] !== 'string')) throw badRequest('cursor', 'belongs to another sort order');
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.organizations.list(caller, {
      ...(query.q !== undefined ? { q: query.q } : {}),
      ...(position ? { after: position[1] as string } : {}),
      descending: order === 'desc',
      limit,
    });
    return pageOf(rows, limit, (row) => [order, row.name], toOrganizationDto);
  }

  @Post()
  @Allow('signed-in')
  @ApiOperation({ summary: 'Create an organization; the caller becomes its admin' })
  @ApiCreatedResponse({ type: OrganizationDto })
  @ApiErrors(400, 401, 403, 409)
  async create(@Caller() caller: Principal, @Body() body: CreateOrganizationDto): Promise<OrganizationDto> {
    return toOrganizationDto(await this.organizations.create(caller, body));
  }

  @Get(':org')
  @Allow('anyone')
  @ApiOperation({ summary: 'An organization (anyone who may see it)' })
  @ApiOkResponse({ type: OrganizationDto })
  @ApiErrors(404)
  async get(@Caller() caller: Principal, @Param('org') org: string): Promise<OrganizationDto> {
    return toOrganizationDto(await this.organizations.describe(caller, org));
  }

  @Patch(':org')
  @Allow('signed-in')
  @ApiOperation({ summary: 'Change visibility or description (organization admins; maintainers may not, GHSA-hw28-333w-qxp3)' })
  @ApiOkResponse({ type: OrganizationDto })
  @ApiErrors(400, 401, 403, 404)
  async update(@Caller() caller: Principal, @Param('org') org: string, @Body() body: UpdateOrganizationDto): Promise<OrganizationDto> {
    return toOrganizationDto(await this.organizations.updateSettings(caller, org, body));
  }

  @Delete(':org')
  @Allow('signed-in')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete an organization (organization admins); refused while it holds repositories unless force=true. The name is free again, and whoever takes it inherits nothing',
  })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404, 409)
  async delete(@Caller() caller: Principal, @Param('org') org: string, @Query() query: DeleteOrganizationQueryDto): Promise<void> {
    await this.organizations.delete(caller, org, query.force === 'true');
  }
}
