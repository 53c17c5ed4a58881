import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'tag' })
export class TagEntity {
  @PrimaryColumn({ name: 'repository_id', type: 'bigint' })
  repositoryId!: string;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ name: 'manifest_id', type: 'bigint' })
  manifestId!: string;

  @Column({ name: 'pushed_at', type: 'timestamptz' })
  pushedAt!: Date;
}
