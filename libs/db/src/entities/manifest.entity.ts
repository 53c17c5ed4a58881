import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';

@Entity({ name: 'manifest' })
@Unique(['repositoryId', 'digest'])
export class ManifestEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'repository_id', type: 'bigint' })
  repositoryId!: string;

  @Column({ type: 'text' })
  digest!: string;

  @Column({ name: 'media_type', type: 'text' })
  mediaType!: string;

  @Column({ name: 'artifact_type', type: 'text', nullable: true })
  artifactType!: string | null;

  /** The exact bytes pushed; served back unchanged. */
  @Column({ type: 'bytea' })
  content!: Buffer;

  @Column({ type: 'integer' })
  size!: number;

  @Column({ name: 'subject_digest', type: 'text', nullable: true })
  subjectDigest!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  annotations!: Record<string, string> | null;

  @Column({ name: 'pushed_at', type: 'timestamptz' })
  pushedAt!: Date;

  @Column({ name: 'last_pulled_at', type: 'timestamptz', nullable: true })
  lastPulledAt!: Date | null;

  /** Bytes of the manifest, its blobs and its children's, fixed at push (lists sort by it). */
  @Column({ name: 'total_size', type: 'bigint' })
  totalSize!: string;
}

/** manifest → blob (config and layers), so that a collector can find unreferenced blobs. */
@Entity({ name: 'manifest_blob' })
export class ManifestBlobEntity {
  @PrimaryColumn({ name: 'manifest_id', type: 'bigint' })
  manifestId!: string;

  @PrimaryColumn({ type: 'text' })
  digest!: string;
}

/** index → child manifest. */
@Entity({ name: 'manifest_child' })
export class ManifestChildEntity {
  @PrimaryColumn({ name: 'manifest_id', type: 'bigint' })
  manifestId!: string;

  @PrimaryColumn({ name: 'child_digest', type: 'text' })
  childDigest!: string;
}
