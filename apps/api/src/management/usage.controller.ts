import { Get, Inject, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiResponse } from '@nestjs/swagger';
import type { Principal } from '@wharf/authz';

import { Allow, Caller } from './api-auth';
import { ApiController } from './api-controller';
import { ApiErrorDto } from './dto/common.dto';
import { REPOSITORY_NAME_PARAM } from './dto/repositories.dto';
import { UsageDto } from './dto/usage.dto';
import { RepositoriesService } from './repositories.service';

const DEFINITIONS =
  'logicalBytes counts, in each repository, every blob it links once, and sums the repositories; deduplicatedBytes counts every distinct ' +
  'blob once, as it is stored; manifestBytes is the manifests themselves.';

/** Storage used, logical (what was pushed) and deduplicated (what is stored). */
@ApiController('', 'usage')
export class UsageController {
  constructor(@Inject(RepositoriesService) private readonly repositories: RepositoriesService) {}

  @Get('orgs/:org/usage')
  @Allow('anyone')
  @ApiOperation({
    summary: 'Storage used by the repositories of an organization (or personal namespace)',
    description: `${DEFINITIONS} Only the repositories the caller may read are counted: a non-member of a public organization gets the usage of its public repositories.`,
  })
  @ApiParam({ name: 'org', example: 'acme' })
  @ApiOkResponse({ type: UsageDto })
  @ApiResponse({ status: 404, type: ApiErrorDto, description: 'no such organization, or one the caller may not see (the same answer)' })
  organization(@Caller() caller: Principal, @Param('org') org: string): Promise<UsageDto> {
    return this.repositories.namespaceUsage(caller, org);
  }

  @Get('repositories/:name/usage')
  @Allow('anyone')
  @ApiOperation({ summary: 'Storage used by one repository (who may read it)', description: DEFINITIONS })
  @ApiParam(REPOSITORY_NAME_PARAM)
  @ApiOkResponse({ type: UsageDto })
  @ApiResponse({ status: 404, type: ApiErrorDto, description: 'no such repository, or one the caller may not see (the same answer)' })
  @ApiResponse({ status: 400, type: ApiErrorDto, description: 'a malformed repository name' })
  repository(@Caller() caller: Principal, @Param('name') name: string): Promise<UsageDto> {
    return this.repositories.repositoryUsage(caller, name);
  }
}
