import { ApiProperty } from '@nestjs/swagger';

/** Storage used by one repository or by the repositories of an organization. */
export class UsageDto {
  @ApiProperty({ description: 'repositories counted' })
  repositories!: number;

  @ApiProperty({
    description:
      'logical bytes, what was pushed: every blob (config or layer, uploaded or mounted) linked to a repository counts once in that repository, ' +
      'and an organization sums its repositories, so a layer shared by two repositories counts twice',
  })
  logicalBytes!: number;

  @ApiProperty({
    description: 'deduplicated bytes, what is stored: every distinct blob linked to any of the repositories counts once (for one repository, equal to logicalBytes)',
  })
  deduplicatedBytes!: number;

  @ApiProperty({ description: 'distinct blobs counted in deduplicatedBytes' })
  blobs!: number;

  @ApiProperty({ description: 'bytes of the manifests and indexes themselves (kept in the database, one copy per repository); not in the two totals above' })
  manifestBytes!: number;

  @ApiProperty()
  manifests!: number;
}
