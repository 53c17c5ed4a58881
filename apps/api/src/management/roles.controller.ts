import { Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { permissionsOf, Role, ROLES } from '@wharf/authz';

import { Allow } from './api-auth';
import { ApiController } from './api-controller';
import { RoleListDto } from './dto/member.dto';

/** What each role means to people; what it allows comes from the policy itself. */
const EXPLAINED: Readonly<Record<Role, { title: string; description: string }>> = {
  [Role.LimitedGuest]: { title: 'Limited guest', description: 'Sees the organization and its repositories, and pulls. Does not see members or robots.' },
  [Role.Guest]: { title: 'Guest', description: 'Pulls and browses; also sees members, teams and robot accounts.' },
  [Role.Developer]: { title: 'Developer', description: "Also pushes (creating repositories, artifacts and tags) and edits repositories' descriptions." },
  [Role.Maintainer]: { title: 'Maintainer', description: 'Also deletes tags, artifacts and repositories. Does not change settings, members or robots.' },
  [Role.Admin]: { title: 'Admin', description: "Everything in the organization: also its settings (visibility, description), members, teams, robot accounts, and deleting it." },
};

/** The five organization roles (Harbor's), for the portal to explain them. */
@ApiController('roles', 'members')
export class RolesController {
  @Get()
  @Allow('anyone')
  @ApiOperation({ summary: 'The organization roles, weakest first, each with what it allows' })
  @ApiOkResponse({ type: RoleListDto })
  list(): RoleListDto {
    return { items: ROLES.map((role) => ({ role, ...EXPLAINED[role], permissions: permissionsOf(role) })) };
  }
}
