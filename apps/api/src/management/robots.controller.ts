import { Body, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Principal, RepositoryAction } from '@wharf/authz';
import type { RobotRow } from '@wharf/db';

import { isExpired, robotAccountName } from '../access/access.service';
import { RobotsService, type RobotWithSecret } from '../identity/robots.service';
import { Allow, Caller } from './api-auth';
import { ApiController } from './api-controller';
import { ApiErrors } from './api-error-responses';
import { CreateRobotDto, RobotDto, RobotListDto, RobotWithSecretDto, UpdateRobotDto } from './dto/robot.dto';

/** A robot as the API shows it: never its secret nor the secret's hash. */
const toRobotDto = (robot: RobotRow): RobotDto => ({
  id: robot.id,
  name: robot.name,
  username: robotAccountName(robot.namespaceName, robot.name),
  description: robot.description,
  rules: robot.rules.map((rule) => ({ pattern: rule.pattern, actions: [...rule.actions] as RepositoryAction[] })),
  expiresAt: robot.expiresAt?.toISOString() ?? null,
  expired: isExpired(robot.expiresAt),
  disabled: robot.disabled,
  createdAt: robot.createdAt.toISOString(),
  lastUsedAt: robot.lastUsedAt?.toISOString() ?? null,
});

const withSecret = (created: RobotWithSecret): RobotWithSecretDto => ({ ...toRobotDto(created.robot), username: created.username, secret: created.secret });

/**
 * Robot accounts of an organization. Robots themselves cannot call this API: they have no
 * session and no personal access token. A robot is always looked up inside the organization
 * of the path: another organization's robot id is 404.
 */
@ApiController('orgs/:org/robots', 'robots')
export class RobotsController {
  constructor(@Inject(RobotsService) private readonly robots: RobotsService) {}

  @Get()
  @Allow('signed-in')
  @ApiOperation({ summary: 'Robot accounts by name (guests and above); never a secret' })
  @ApiOkResponse({ type: RobotListDto })
  @ApiErrors(401, 403, 404)
  async list(@Caller() caller: Principal, @Param('org') org: string): Promise<RobotListDto> {
    return { items: (await this.robots.list(caller, org)).map(toRobotDto) };
  }

  @Post()
  @Allow('signed-in')
  @ApiOperation({ summary: 'Create a robot account (organization admins, with permissions they hold); its secret is shown this once' })
  @ApiCreatedResponse({ type: RobotWithSecretDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async create(@Caller() caller: Principal, @Param('org') org: string, @Body() body: CreateRobotDto): Promise<RobotWithSecretDto> {
    return withSecret(
      await this.robots.create(caller, org, {
        name: body.name,
        rules: body.rules,
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.expiresAt !== undefined ? { expiresAt: new Date(body.expiresAt) } : {}),
      }),
    );
  }

  @Patch(':id')
  @Allow('signed-in')
  @ApiOperation({ summary: 'Change permissions, expiry, description, or disable (organization admins, with permissions they hold)' })
  @ApiOkResponse({ type: RobotDto })
  @ApiErrors(400, 401, 403, 404)
  async update(@Caller() caller: Principal, @Param('org') org: string, @Param('id') id: string, @Body() body: UpdateRobotDto): Promise<RobotDto> {
    const robot = await this.robots.update(caller, org, id, {
      ...(body.rules !== undefined ? { rules: body.rules } : {}),
      ...(body.expiresAt !== undefined ? { expiresAt: body.expiresAt === null ? null : new Date(body.expiresAt) } : {}),
      ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
    });
    return toRobotDto(robot);
  }

  @Post(':id/secret')
  @Allow('signed-in')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the secret (organization admins): the new one is shown this once, the old one stops working at once' })
  @ApiOkResponse({ type: RobotWithSecretDto })
  @ApiErrors(401, 403, 404)
  async rotateSecret(@Caller() caller: Principal, @Param('org') org: string, @Param('id') id: string): Promise<RobotWithSecretDto> {
    return withSecret(await this.robots.rotateSecret(caller, org, id));
  }

  @Delete(':id')
  @Allow('signed-in')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a robot account (organization admins)' })
  @ApiNoContentResponse()
  @ApiErrors(401, 403, 404)
  async delete(@Caller() caller: Principal, @Param('org') org: string, @Param('id') id: string): Promise<void> {
    await this.robots.delete(caller, org, id);
  }
}
