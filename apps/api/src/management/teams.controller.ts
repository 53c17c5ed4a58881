import { Body, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Principal, Role } from '@wharf/authz';
import type { TeamRow } from '@wharf/db';

import { OrganizationsService } from '../identity/organizations.service';
import { Allow, Caller } from './api-auth';
import { ApiController } from './api-controller';
import { ApiErrors } from './api-error-responses';
import { CreateTeamDto, TeamDto, TeamListDto, TeamMemberListDto, UpdateTeamDto } from './dto/team.dto';
import { toMemberDto } from './members.controller';

const toTeamDto = (team: TeamRow): TeamDto => ({ id: team.id, name: team.name, role: team.role as Role });

/**
 * Teams of an organization: each gives its members a role. A team is always looked up
 * inside the organization of the path: another organization's team id is 404.
 */
@ApiController('orgs/:org/teams', 'teams')
export class TeamsController {
  constructor(@Inject(OrganizationsService) private readonly organizations: OrganizationsService) {}

  @Get()
  @Allow('signed-in')
  @ApiOperation({ summary: 'Teams by name (guests and above)' })
  @ApiOkResponse({ type: TeamListDto })
  @ApiErrors(401, 403, 404)
  async list(@Caller() caller: Principal, @Param('org') org: string): Promise<TeamListDto> {
    return { items: (await this.organizations.teams(caller, org)).map(toTeamDto) };
  }

  @Post()
  @Allow('signed-in')
  @ApiOperation({ summary: 'Create a team (organization admins)' })
  @ApiCreatedResponse({ type: TeamDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async create(@Caller() caller: Principal, @Param('org') org: string, @Body() body: CreateTeamDto): Promise<TeamDto> {
    return toTeamDto(await this.organizations.createTeam(caller, org, body));
  }

  @Patch(':teamId')
  @Allow('signed-in')
  @ApiOperation({ summary: 'Rename a team or change its role (organization admins)' })
  @ApiOkResponse({ type: TeamDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async update(@Caller() caller: Principal, @Param('org') org: string, @Param('teamId') teamId: string, @Body() body: UpdateTeamDto): Promise<TeamDto> {
    return toTeamDto(await this.organizations.updateTeam(caller, org, teamId, body));
  }

  @Delete(':teamId')
  @Allow('signed-in')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a team (organization admins); its members keep only their own roles' })
  @ApiNoContentResponse()
  @ApiErrors(401, 403, 404)
  async delete(@Caller() caller: Principal, @Param('org') org: string, @Param('teamId') teamId: string): Promise<void> {
    await this.organizations.deleteTeam(caller, org, teamId);
  }

  @Get(':teamId/members')
  @Allow('signed-in')
  @ApiOperation({ summary: "A team's members (guests and above)" })
  @ApiOkResponse({ type: TeamMemberListDto })
  @ApiErrors(401, 403, 404)
  async members(@Caller() caller: Principal, @Param('org') org: string, @Param('teamId') teamId: string): Promise<TeamMemberListDto> {
    return { items: (await this.organizations.teamMembers(caller, org, teamId)).map(toMemberDto) };
  }

  @Put(':teamId/members/:user')
  @Allow('signed-in')
  @HttpCode(204)
  @ApiOperation({ summary: 'Add a user to a team (organization admins)' })
  @ApiNoContentResponse()
  @ApiErrors(401, 403, 404)
  async addMember(@Caller() caller: Principal, @Param('org') org: string, @Param('teamId') teamId: string, @Param('user') user: string): Promise<void> {
    await this.organizations.addTeamMember(caller, org, teamId, user);
  }

  @Delete(':teamId/members/:user')
  @Allow('signed-in')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a user from a team (organization admins)' })
  @ApiNoContentResponse()
  @ApiErrors(401, 403, 404)
  async removeMember(@Caller() caller: Principal, @Param('org') org: string, @Param('teamId') teamId: string, @Param('user') user: string): Promise<void> {
    await this.organizations.removeTeamMember(caller, org, teamId, user);
  }
}
