import { Body, Delete, Get, HttpCode, Inject, Param, Patch, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiResponse } from '@nestjs/swagger';
import type { Principal } from '@wharf/authz';

import { Allow, Caller } from './api-auth';
import { ApiController } from './api-controller';
import { ApiErrorDto } from './dto/common.dto';
import { REPOSITORY_NAME_PARAM, RepositoryDto, RepositoryListQueryDto, RepositoryPageDto, UpdateRepositoryDto } from './dto/repositories.dto';
import { RepositoriesService } from './repositories.service';

const NOT_FOUND = { status: 404, type: ApiErrorDto, description: 'no such repository, or one the caller may not see (the same answer)' } as const;
const INVALID = { status: 400, type: ApiErrorDto, description: 'a malformed name, query or body (the field is named)' } as const;

/**
 * Repositories, addressed by their full name as one URL-encoded path segment
 * (`/api/v1/repositories/acme%2Fteam%2Fapp`): the router decodes `%2F` inside a parameter, so
 * a name needs no wildcard route and `.../tags`, `.../artifacts` stay unambiguous.
 */
@ApiController('repositories', 'repositories')
export class RepositoriesController {
  constructor(@Inject(RepositoriesService) private readonly repositories: RepositoriesService) {}

  @Get()
  @Allow('anyone')
  @ApiOperation({
    summary: 'List the repositories the caller may see',
    description:
      'Anonymous callers see public repositories; members also those of their organizations. Every repository that exists is listed, ' +
      'including one whose artifacts were all deleted (tagCount 0). Keyset-paged: pass nextCursor as cursor, with the same sort.',
  })
  @ApiOkResponse({ type: RepositoryPageDto })
  @ApiResponse(INVALID)
  list(@Caller() caller: Principal, @Query() query: RepositoryListQueryDto): Promise<RepositoryPageDto> {
    return this.repositories.list(caller, query);
  }

  @Get(':name')
  @Allow('anyone')
  @ApiOperation({ summary: 'One repository (who may read it)' })
  @ApiParam(REPOSITORY_NAME_PARAM)
  @ApiOkResponse({ type: RepositoryDto })
  @ApiResponse(NOT_FOUND)
  @ApiResponse(INVALID)
  get(@Caller() caller: Principal, @Param('name') name: string): Promise<RepositoryDto> {
    return this.repositories.get(caller, name);
  }

  @Patch(':name')
  @Allow('signed-in')
  @ApiOperation({
    summary: 'Change the description (developers and up) or the visibility override (organization admins)',
    description: 'Both permissions are checked before anything changes. Answers the repository as it is now.',
  })
  @ApiParam(REPOSITORY_NAME_PARAM)
  @ApiOkResponse({ type: RepositoryDto })
  @ApiResponse({ status: 403, type: ApiErrorDto, description: 'the caller may read the repository but not make this change' })
  @ApiResponse(NOT_FOUND)
  @ApiResponse(INVALID)
  update(@Caller() caller: Principal, @Param('name') name: string, @Body() body: UpdateRepositoryDto): Promise<RepositoryDto> {
    return this.repositories.update(caller, name, {
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.public !== undefined ? { public: body.public } : {}),
    });
  }

  @Delete(':name')
  @Allow('signed-in')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a repository with all its tags and manifests (maintainers and up)',
    description: 'Blobs stay stored while other repositories link them; uploads in progress are cancelled.',
  })
  @ApiParam(REPOSITORY_NAME_PARAM)
  @ApiNoContentResponse()
  @ApiResponse({ status: 403, type: ApiErrorDto })
  @ApiResponse(NOT_FOUND)
  @ApiResponse(INVALID)
  async delete(@Caller() caller: Principal, @Param('name') name: string): Promise<void> {
    await this.repositories.delete(caller, name);
  }
}
