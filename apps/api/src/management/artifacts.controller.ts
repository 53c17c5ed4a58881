import { Delete, Get, HttpCode, Inject, Param, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiResponse } from '@nestjs/swagger';
import type { Principal } from '@wharf/authz';

import { Allow, Caller } from './api-auth';
import { ApiController } from './api-controller';
import { ArtifactsService } from './artifacts.service';
import { ArtifactDetailDto, ArtifactListQueryDto, ArtifactPageDto, DIGEST_PARAM, TagListQueryDto, TagPageDto } from './dto/artifacts.dto';
import { ApiErrorDto } from './dto/common.dto';
import { REPOSITORY_NAME_PARAM } from './dto/repositories.dto';

const NOT_FOUND = { status: 404, type: ApiErrorDto, description: 'no such repository (or one the caller may not see), tag or artifact' } as const;
const INVALID = { status: 400, type: ApiErrorDto, description: 'a malformed name, digest, tag, sort, order or cursor (the field is named)' } as const;
const FORBIDDEN = { status: 403, type: ApiErrorDto, description: 'the caller may read the repository but not delete in it (maintainers and up)' } as const;

/** Tags and artifacts of a repository (named as one URL-encoded segment, see RepositoriesController). */
@ApiController('repositories', 'artifacts')
export class ArtifactsController {
  constructor(@Inject(ArtifactsService) private readonly artifacts: ArtifactsService) {}

  @Get(':name/tags')
  @Allow('anyone')
  @ApiOperation({
    summary: 'List the tags of a repository, one row per tag, with its artifact',
    description: 'Keyset-paged on indexes, so that deep pages stay fast on repositories with many thousands of tags. Pass nextCursor as cursor, with the same sort.',
  })
  @ApiParam(REPOSITORY_NAME_PARAM)
  @ApiOkResponse({ type: TagPageDto })
  @ApiResponse(NOT_FOUND)
  @ApiResponse(INVALID)
  listTags(@Caller() caller: Principal, @Param('name') name: string, @Query() query: TagListQueryDto): Promise<TagPageDto> {
    return this.artifacts.listTags(caller, name, query);
  }

  @Delete(':name/tags/:tag')
  @Allow('signed-in')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a tag; its artifact stays (maintainers and up)' })
  @ApiParam(REPOSITORY_NAME_PARAM)
  @ApiParam({ name: 'tag', example: 'v1.2.3' })
  @ApiNoContentResponse()
  @ApiResponse(FORBIDDEN)
  @ApiResponse(NOT_FOUND)
  @ApiResponse(INVALID)
  async deleteTag(@Caller() caller: Principal, @Param('name') name: string, @Param('tag') tag: string): Promise<void> {
    await this.artifacts.deleteTag(caller, name, tag);
  }

  @Get(':name/artifacts')
  @Allow('anyone')
  @ApiOperation({
    summary: 'List the top-level artifacts of a repository with their tags',
    description:
      'As Harbor lists them: every manifest that carries a tag, and every untagged one that is neither a referrer of a manifest of the ' +
      'repository (signatures, SBOMs: see the detail of their subject) nor a child of one of its indexes (see the index). Keyset-paged.',
  })
  @ApiParam(REPOSITORY_NAME_PARAM)
  @ApiOkResponse({ type: ArtifactPageDto })
  @ApiResponse(NOT_FOUND)
  @ApiResponse(INVALID)
  listArtifacts(@Caller() caller: Principal, @Param('name') name: string, @Query() query: ArtifactListQueryDto): Promise<ArtifactPageDto> {
    return this.artifacts.listArtifacts(caller, name, query);
  }

  @Get(':name/artifacts/:digest')
  @Allow('anyone')
  @ApiOperation({
    summary: 'One artifact: manifest, config, layers, build history, children of an index, referrers by artifact type',
    description: 'The config is read from blob storage when it is JSON of at most 1 MiB.',
  })
  @ApiParam(REPOSITORY_NAME_PARAM)
  @ApiParam(DIGEST_PARAM)
  @ApiOkResponse({ type: ArtifactDetailDto })
  @ApiResponse(NOT_FOUND)
  @ApiResponse(INVALID)
  getArtifact(@Caller() caller: Principal, @Param('name') name: string, @Param('digest') digest: string): Promise<ArtifactDetailDto> {
    return this.artifacts.getArtifact(caller, name, digest);
  }

  @Delete(':name/artifacts/:digest')
  @Allow('signed-in')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete an artifact with every tag on it and its referrers (maintainers and up)',
    description: 'Its referrers in the repository (signatures, SBOMs, attestations), and theirs, go with it; a referrer that an index lists stays. /v2 DELETE deletes the manifest alone.',
  })
  @ApiParam(REPOSITORY_NAME_PARAM)
  @ApiParam(DIGEST_PARAM)
  @ApiNoContentResponse()
  @ApiResponse(FORBIDDEN)
  @ApiResponse(NOT_FOUND)
  @ApiResponse({ status: 409, type: ApiErrorDto, description: 'an index of the repository lists this manifest: delete the index first' })
  @ApiResponse(INVALID)
  async deleteArtifact(@Caller() caller: Principal, @Param('name') name: string, @Param('digest') digest: string): Promise<void> {
    await this.artifacts.deleteArtifact(caller, name, digest);
  }
}
