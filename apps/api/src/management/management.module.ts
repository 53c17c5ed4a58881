import { Module } from '@nestjs/common';

import { AccountController } from './account.controller';
import { ApiAuthGuard } from './api-auth';
import { ArtifactsController } from './artifacts.controller';
import { ArtifactsService } from './artifacts.service';
import { MembersController } from './members.controller';
import { OrganizationsController } from './organizations.controller';
import { RepositoriesController } from './repositories.controller';
import { RepositoriesService } from './repositories.service';
import { RobotsController } from './robots.controller';
import { RolesController } from './roles.controller';
import { SessionController } from './session.controller';
import { SessionsService } from './sessions.service';
import { SystemController } from './system.controller';
import { TeamsController } from './teams.controller';
import { UsageController } from './usage.controller';
import { UsersController } from './users.controller';

/**
 * The management API, /api/v1: everything the portal and users' scripts do besides pushing
 * and pulling. Controllers parse and delegate to the identity and registry services, which
 * ask the authorization module.
 */
@Module({
  controllers: [SessionController, SystemController, AccountController, UsersController, OrganizationsController, MembersController, TeamsController, RobotsController, RolesController, RepositoriesController, ArtifactsController, UsageController],
  providers: [SessionsService, ApiAuthGuard, RepositoriesService, ArtifactsService],
  exports: [SessionsService],
})
export class ManagementModule {}
